"""LinkedIn company-page follower metrics, one row per day (Page analytics > Followers > Export).

LinkedIn's ``<page>_followers_<timestamp>.xls`` has a ``New followers`` sheet with
``Date, Sponsored followers, Organic followers, Auto-invited followers, Total followers``.
Beware the names: ``Total followers`` is the day's *gain* (sponsored + organic +
auto-invited, negative when more people left than came), not the page's follower count.
Analysts often add ``Cumulative Followers`` (the running sum of those gains) and
``Followers 7d Avg``, as in ``women_in_ai_usa_followers.csv``.

How the columns map to the followers table:

=============================  ============================================================
LinkedIn column                followers column
=============================  ============================================================
``Date``                       ``date``
``Cumulative Followers``       ``followers`` (``<NA>`` when absent: LinkedIn's own export
                               gives only gains). It counts from the file's first day, so
                               it is the page's total only if the page started then.
``Total followers``            ``new_followers`` (net daily gain)
``Sponsored followers`` ...    ``sponsored_followers``, ``organic_followers``,
                               ``auto_invited_followers`` (counts)
``Followers 7d Avg``           ``followers_7d_avg`` (float)
=============================  ============================================================

Where both are given, each day's cumulative figure is checked against the previous day's
plus the day's gain, and days that disagree are flagged. Reads CSV or ``.xlsx``; the page
(``account``) is ``account=`` or the file name without the export's suffixes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..clean import CleaningReport
from ._common import (  # shared by the X, Instagram and LinkedIn readers
    match_columns,
)
from ._common import (
    read_counts as _counts,
)
from ._common import (
    read_rates as _rates,
)
from ._common import (
    require_aliases as _require,
)
from ._common import (
    snake as _snake,
)
from .linkedin_page import _days, _exported_at, _page_account, _read_table, _sniff

__all__ = ["DESCRIPTION", "KIND", "NAME", "exported_at", "read", "sniff"]

NAME = "linkedin_followers"
KIND = "followers"
DESCRIPTION = "LinkedIn company-page follower metrics (daily gains, optional cumulative total)"

_ALIASES = {
    "date": ["Date", "Day"],
    "followers": ["Cumulative Followers", "Cumulative followers", "Cumulative total"],
    "new_followers": ["Total followers", "Total new followers", "New followers"],
    "sponsored_followers": ["Sponsored followers"],
    "organic_followers": ["Organic followers"],
    "auto_invited_followers": ["Auto-invited followers", "Auto invited followers"],
    "followers_7d_avg": ["Followers 7d Avg", "Followers 7 day average"],
}
_NEEDED = ["date", "new_followers"]
_MARKER_SETS = (
    {"date", "total followers", "organic followers"},
    {"date", "total followers", "sponsored followers"},
)
_RATES = {"followers_7d_avg"}


def sniff(path: Path, head: str) -> bool:
    """True for a LinkedIn follower export: ``Date``, ``Total followers`` and ``Organic
    followers`` (or ``Sponsored followers``) in a header within the first lines.

    Parameters
    ----------
    path
        The file; only an Excel file (which has no text head) is opened.
    head
        The file's first 64 KiB, decoded (``""`` for binary files).

    Returns
    -------
    bool

    Examples
    --------
    >>> sniff(Path("a.csv"), "Date,Sponsored followers,Organic followers,Total followers\\n")
    True
    >>> sniff(Path("a.csv"), "Date,Impressions,New follows,Unfollows\\n")
    False
    """
    return _sniff(path, head, _MARKER_SETS, "followers")


def exported_at(path: Path) -> pd.Timestamp | None:
    """When the export was made: LinkedIn's epoch timestamp in the name, else the last day in it.

    Examples
    --------
    >>> exported_at(Path("acme_followers_1738368000000.xls"))
    Timestamp('2025-02-01 00:00:00')
    """
    return _exported_at(path, read)


def _check_running_total(
    out: dict[str, pd.Series], report: CleaningReport, path: Path, column: str
) -> None:
    """Flag days whose cumulative total is not the previous day's plus the day's gain."""
    frame = pd.DataFrame(
        {"date": out["date"], "total": out["followers"], "gain": out["new_followers"]}
    )
    order = frame.sort_values("date", kind="stable")
    previous = order["total"].shift(1)
    consecutive = order["date"].diff().eq(pd.Timedelta(days=1))
    expected = previous + order["gain"]
    wrong = (consecutive & order["total"].ne(expected)).fillna(False).astype(bool)
    if wrong.any():
        idx = order.index[wrong.to_numpy()]
        report.record(
            path,
            out["source_row"].loc[idx],
            rule="running total disagrees",
            action="flagged",
            column=column,
            original=order.loc[idx, "total"],
            value=expected.loc[idx],
            reason="not the previous day's total plus the day's gain: one of them is wrong",
        )


def read(
    path: Path,
    report: CleaningReport,
    *,
    account: str | None = None,
    **_: object,
) -> pd.DataFrame:
    """Read a LinkedIn page follower export into the followers table (not yet validated).

    Does not modify the file or any input. See the module docstring for the column map.

    Parameters
    ----------
    path
        The export: CSV, or the ``.xlsx`` LinkedIn writes.
    report
        Receives rows set aside (wrong number of fields), unreadable numbers and dates,
        days whose running total disagrees with the gains (flagged), and assumptions.
    account
        The page's name; default: the file name without the export's suffixes.

    Returns
    -------
    DataFrame
        ``account``, ``platform`` ("linkedin"), ``date``, ``followers`` (the cumulative
        column, or ``<NA>``), ``new_followers`` (``Total followers``: the net daily gain),
        ``sponsored_followers``, ``organic_followers``, ``auto_invited_followers``,
        ``followers_7d_avg`` where exported, other columns in snake case, ``source_row``.

    Raises
    ------
    RoiInputError
        Empty or truncated file, fields not separated by commas, or no ``Date`` or
        ``Total followers`` column (the message names the file and lists the header).

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "acme_followers.csv"
    >>> _ = path.write_text("Date,Organic followers,Total followers,Cumulative Followers\\n"
    ...                     "2025-02-08,4,4,4\\n2025-02-09,-1,-1,3\\n")
    >>> read(path, CleaningReport())[["followers", "new_followers"]].values.tolist()
    [[4, 4], [3, -1]]
    """
    path = Path(path)
    fmt = "LinkedIn page follower export"
    raw = _read_table(path, report, _MARKER_SETS, fmt)
    columns = [c for c in raw.columns if c != "source_row"]
    cols = match_columns(columns, _ALIASES)
    _require(cols, _ALIASES, _NEEDED, path, columns, fmt)
    rows = raw["source_row"]
    who = _page_account(path, account, report)
    out: dict[str, pd.Series] = {
        "account": pd.Series(who, index=raw.index, dtype="str"),
        "platform": pd.Series("linkedin", index=raw.index, dtype="str"),
        "date": _days(raw, cols["date"], report, path, rows),
    }
    for key, col in cols.items():
        if key == "date":
            continue
        if key in _RATES:
            out[key] = _rates(raw, col, report, path, rows)
        else:
            out[key] = _counts(raw, col, report, path, rows)
    if "followers" in out:
        first = out["date"].min()
        report.note(
            path,
            rule="followers counted from the first day",
            reason=f"followers is {cols['followers']!r}, a running sum of daily gains from "
            f"{first:%Y-%m-%d}: the page's true total only if it had no followers before",
        )
        out["source_row"] = rows
        _check_running_total(out, report, path, cols["followers"])
    else:
        out["followers"] = pd.Series(pd.NA, index=raw.index, dtype="Int64")
        report.note(
            path,
            rule="followers unknown",
            reason="the export gives daily gains ('Total followers'), not the follower "
            "total: followers is <NA>",
        )
    used = set(cols.values())
    for col in columns:
        if col not in used:
            out[_snake(col)] = raw[col]
    out["source_row"] = rows
    order = ["account", "platform", "date", "followers", "new_followers"]
    rest = [k for k in out if k not in order]
    return pd.DataFrame({k: out[k] for k in order + rest}, copy=False)
