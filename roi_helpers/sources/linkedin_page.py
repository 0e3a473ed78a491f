"""LinkedIn company-page content metrics, one row per day (Page analytics > Content > Export).

LinkedIn exports ``<page>_content_<timestamp>.xls`` whose metrics sheet has a line of
description above the header ``Date, Impressions (organic), Impressions (sponsored),
Impressions (total), Unique impressions (organic), Clicks (organic|sponsored|total),
Reactions (...), Comments (...), Reposts (...), Engagement rate (organic|sponsored|total)``
with dates like ``01/28/2025``; analysts often save it as CSV with ISO dates (and add a
``Total Engagement`` column), as in ``women_in_ai_usa_clean.csv``. Both are read, as CSV
or ``.xlsx`` (and ``.xls`` where pandas can open it); older exports say ``Shares`` for
reposts and ``Likes`` for reactions, matched through aliases.

How the columns map to the page_daily table:

=====================================  ==================================================
LinkedIn column                        page_daily column
=====================================  ==================================================
``Date``                               ``date`` (the calendar day)
``Impressions (total)``                ``impressions``
``Unique impressions (organic)``       ``reach`` (LinkedIn gives unique impressions for
                                       organic posts only; said in the report)
``Clicks (total)``                     ``clicks``
``Reactions (total)``                  ``likes``
``Comments (total)``                   ``comments``
``Reposts (total)``                    ``shares``
``Engagement rate (total)``            ``engagement_rate``: LinkedIn's own, (clicks +
                                       reactions + comments + reposts) / impressions
=====================================  ==================================================

The organic and sponsored splits are kept under the table's names with the split as a
suffix: ``impressions_organic``, ``impressions_sponsored``, ``clicks_organic``, ...,
``likes_organic`` (reactions), ``shares_sponsored`` (reposts), ``engagement_rate_organic``;
``Total Engagement`` becomes ``linkedin_engagements``. Negative daily values are LinkedIn's
own corrections: kept as exported, and flagged row by row by the cleaning step.

The page (``account``) is not in the file: pass ``account=``, or it is the file name
without the export's suffixes (``women_in_ai_usa_clean.csv`` is ``women_in_ai_usa``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..clean import CleaningReport
from ..errors import RoiInputError
from ._common import (  # shared by the X, Instagram and LinkedIn readers
    find_header as _header,
)
from ._common import (
    match_columns,
    norm,
    parse_dates,
    read_head,
    unique_names,
)
from ._common import (
    read_counts as _counts,
)
from ._common import (
    read_export as _read,
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

__all__ = ["DESCRIPTION", "KIND", "NAME", "exported_at", "read", "sniff"]

NAME = "linkedin_page"
KIND = "page_daily"
DESCRIPTION = "LinkedIn company-page content metrics (daily impressions, clicks, reactions...)"

_SPLITS = ("total", "organic", "sponsored")
_METRICS = {
    "impressions": ["Impressions"],
    "clicks": ["Clicks"],
    "likes": ["Reactions", "Likes"],
    "comments": ["Comments"],
    "shares": ["Reposts", "Shares"],
    "engagement_rate": ["Engagement rate"],
}
_ALIASES: dict[str, list[str]] = {"date": ["Date", "Day"]}
for _key, _names in _METRICS.items():
    _ALIASES[_key] = [f"{n} (total)" for n in _names] + list(_names)
    for _split in ("organic", "sponsored"):
        _ALIASES[f"{_key}_{_split}"] = [f"{n} ({_split})" for n in _names]
_ALIASES["reach"] = ["Unique impressions (total)", "Unique impressions"]
_ALIASES["reach_organic"] = ["Unique impressions (organic)"]
_ALIASES["linkedin_engagements"] = ["Total Engagement", "Total engagements", "Engagements"]
_NEEDED = ["date", "impressions", "likes", "comments", "shares"]
_MARKER_SETS = (
    {"date", "impressions (total)"},
    {"date", "impressions (organic)"},
)
#: ISO as analysts save it; month first as LinkedIn's own export writes it.
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%Y-%m-%d %H:%M:%S", "%m/%d/%y")
_EXCEL = {".xlsx", ".xlsm", ".xls"}
_EXPORT_SUFFIXES = (
    r"(?:_(?:clean|cleaned|content|followers|follower|updates|visitors|metrics|analytics|export))+$"
)


# -- reading CSV or Excel, shared with linkedin_followers -----------------------------------------
def _find_header(head: str, marker_sets: Sequence[set[str]]) -> tuple[int, str] | None:
    for markers in marker_sets:
        found = _header(head, markers, lines=6)
        if found is not None:
            return found
    return None


def _excel_header(path: Path, marker_sets: Sequence[set[str]]) -> tuple[str | int, int] | None:
    """The sheet and 0-based header row of an Excel export whose header holds the markers."""
    wanted = [{norm(m) for m in markers} for markers in marker_sets]
    sheets = pd.read_excel(path, sheet_name=None, header=None, nrows=6)
    for name, top in sheets.items():
        for i in range(len(top)):
            names = {norm(v) for v in top.iloc[i].dropna().astype(str)}
            if any(m <= names for m in wanted):
                return name, i
    return None


def _read_excel(
    path: Path, marker_sets: Sequence[set[str]], fmt: str, report: CleaningReport
) -> pd.DataFrame:
    try:
        where = _excel_header(path, marker_sets)
    except ImportError as exc:
        raise RoiInputError(
            f"cannot open this Excel file ({exc})",
            path=path,
            hint="Save it as .xlsx or .csv from Excel or LibreOffice, and load that.",
        ) from None
    except Exception as exc:  # a broken workbook: say so for a person
        raise RoiInputError(
            f"could not be read as an Excel workbook ({type(exc).__name__}: {exc})",
            path=path,
            hint="Export it again from LinkedIn.",
        ) from None
    if where is None:
        raise RoiInputError(
            f"no sheet has the header of a {fmt}",
            path=path,
            expected="a header row with Date and the export's metric columns",
        )
    sheet, header = where
    df = pd.read_excel(path, sheet_name=sheet, header=header)
    df.columns = unique_names([str(c).strip() for c in df.columns])
    blank = df.isna().all(axis=1)
    df["source_row"] = pd.array(np.arange(len(df)) + header + 2, dtype="Int64")
    if blank.any():  # Excel sheets often end with empty rows: nothing in them to lose
        report.note(
            path,
            rule="empty rows skipped",
            action="assumed",
            reason=f"{int(blank.sum())} empty row(s) in sheet {sheet!r} were ignored",
        )
        df = df[~blank].reset_index(drop=True)
    if sheet != 0:
        report.note(path, rule="sheet", reason=f"read sheet {sheet!r}")
    return df


def _read_table(
    path: Path, report: CleaningReport, marker_sets: Sequence[set[str]], fmt: str
) -> pd.DataFrame:
    """The export's rows as read (CSV or Excel), header found below any description lines."""
    path = Path(path)
    if path.suffix.lower() in _EXCEL:
        return _read_excel(path, marker_sets, fmt, report)
    head = read_head(path)
    markers = next((m for m in marker_sets if _header(head, m, lines=6)), set())
    return _read(path, report, markers, fmt)


def _sniff(path: Path, head: str, marker_sets: Sequence[set[str]], kind: str) -> bool:
    if head:
        return _find_header(head, marker_sets) is not None
    if Path(path).suffix.lower() not in _EXCEL:
        return False
    try:
        return _excel_header(Path(path), marker_sets) is not None
    except Exception:  # cannot open it here (old .xls without xlrd): LinkedIn's name decides,
        # so that reading it explains what to do instead of "not a format the kit knows"
        return re.search(rf"_{kind}_\d{{10,13}}\.xlsx?$", Path(path).name) is not None


def _page_account(path: Path, account: str | None, report: CleaningReport) -> str:
    if account:
        return account
    stem = Path(path).stem
    stem = re.sub(r"_\d{10,13}$", "", stem)  # LinkedIn's export timestamp
    who = re.sub(_EXPORT_SUFFIXES, "", stem, flags=re.IGNORECASE) or stem
    report.note(
        path,
        rule="account assumed",
        reason=f"the file does not name its page: read as {who!r} "
        "(from its name; pass account= to load() to set it)",
    )
    return who


def _days(
    raw: pd.DataFrame, column: str, report: CleaningReport, path: Path, rows: pd.Series
) -> pd.Series:
    values = raw[column]
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.tz_localize(None) if values.dt.tz is not None else values
    return parse_dates(
        values.astype("str"), DATE_FORMATS, report=report, path=path, column=column, rows=rows
    )


def _exported_at(path: Path, reader) -> pd.Timestamp | None:
    found = re.search(r"_(\d{13}|\d{10})$", Path(path).stem)
    if found:  # LinkedIn names its exports <page>_content_<epoch milliseconds>.xls
        digits = found.group(1)
        stamp = pd.Timestamp(int(digits), unit="ms" if len(digits) == 13 else "s")
        return stamp.normalize()
    try:
        days = reader(path, CleaningReport())["date"]
    except (RoiInputError, OSError, ValueError):
        return None
    last = days.max()
    return None if pd.isna(last) else pd.Timestamp(last)


def _split_columns(
    raw: pd.DataFrame,
    cols: Mapping[str, str],
    report: CleaningReport,
    path: Path,
    rows: pd.Series,
    rates: set[str],
) -> dict[str, pd.Series]:
    out: dict[str, pd.Series] = {}
    for key, col in cols.items():
        if key in rates:
            out[key] = _rates(raw, col, report, path, rows)
        else:
            out[key] = _counts(raw, col, report, path, rows)
    return out


# -- the format ---------------------------------------------------------------------------------
def sniff(path: Path, head: str) -> bool:
    """True for a LinkedIn page content export: ``Date`` and ``Impressions (total)`` or
    ``Impressions (organic)`` in a header within the first lines (or an Excel sheet's).

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
    >>> sniff(Path("a.csv"), "Date,Impressions (organic),Impressions (total),Reactions (total)\\n")
    True
    >>> sniff(Path("a.csv"), "Date,Sponsored followers,Organic followers,Total followers\\n")
    False
    """
    return _sniff(path, head, _MARKER_SETS, "content")


def exported_at(path: Path) -> pd.Timestamp | None:
    """When the export was made: LinkedIn's epoch timestamp in the name, else the last day in it.

    Returns
    -------
    Timestamp or None
        A naive calendar date (the last day covered is a lower bound of the export date:
        of two overlapping exports, the one reaching further wins).

    Examples
    --------
    >>> exported_at(Path("acme_content_1738368000000.xls"))
    Timestamp('2025-02-01 00:00:00')
    """
    return _exported_at(path, read)


def read(
    path: Path,
    report: CleaningReport,
    *,
    account: str | None = None,
    **_: object,
) -> pd.DataFrame:
    """Read a LinkedIn page content export into the page_daily table (not yet validated).

    Does not modify the file or any input. See the module docstring for the column map.

    Parameters
    ----------
    path
        The export: CSV, or the ``.xlsx`` LinkedIn writes.
    report
        Receives rows set aside (wrong number of fields), unreadable numbers and dates,
        where the page name came from, and what stands in for missing totals.
    account
        The page's name; default: the file name without the export's suffixes.

    Returns
    -------
    DataFrame
        ``account``, ``platform`` ("linkedin"), ``date``, ``impressions``, ``reach``
        (unique impressions), ``clicks``, ``likes`` (reactions), ``comments``, ``shares``
        (reposts), ``engagement_rate`` (LinkedIn's, clicks included), the organic and
        sponsored splits (``impressions_organic``...), ``linkedin_engagements`` where
        exported, other columns in snake case, and ``source_row``.

    Raises
    ------
    RoiInputError
        Empty or truncated file, fields not separated by commas, or no date,
        impressions, reactions, comments or reposts column (the message names the file
        and lists the header it saw).

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "acme_clean.csv"
    >>> _ = path.write_text(
    ...     "Date,Impressions (total),Unique impressions (organic),Clicks (total),"
    ...     "Reactions (total),Comments (total),Reposts (total),Engagement rate (total)\\n"
    ...     "2025-01-28,1234,573,59,42,2,-1,0.0834\\n")
    >>> day = read(path, CleaningReport()).iloc[0]
    >>> day["account"], day["impressions"], day["reach"], day["likes"], day["shares"]
    ('acme', np.int64(1234), np.int64(573), np.int64(42), np.int64(-1))
    """
    path = Path(path)
    fmt = "LinkedIn page content export"
    raw = _read_table(path, report, _MARKER_SETS, fmt)
    columns = [c for c in raw.columns if c != "source_row"]
    cols = match_columns(columns, _ALIASES)
    for key in ("impressions", "likes", "comments", "shares", "clicks", "engagement_rate"):
        if key not in cols and f"{key}_organic" in cols:
            cols[key] = cols[f"{key}_organic"]  # no total: organic stands in, and says so
            report.note(
                path,
                rule="organic only",
                reason=f"no total column for {key}: {cols[key]!r} (organic only) is used",
            )
    if "reach" not in cols and "reach_organic" in cols:
        cols["reach"] = cols.pop("reach_organic")
        report.note(
            path,
            rule="reach is organic",
            reason=f"reach is {cols['reach']!r}: LinkedIn counts unique viewers of organic "
            "posts only, so sponsored reach is not in it",
        )
    _require(cols, _ALIASES, _NEEDED, path, columns, fmt)
    rows = raw["source_row"]
    who = _page_account(path, account, report)
    metrics = {k: v for k, v in cols.items() if k != "date"}
    parsed = _split_columns(raw, metrics, report, path, rows, {k for k in cols if "rate" in k})
    out: dict[str, pd.Series] = {
        "account": pd.Series(who, index=raw.index, dtype="str"),
        "platform": pd.Series("linkedin", index=raw.index, dtype="str"),
        "date": _days(raw, cols["date"], report, path, rows),
    }
    main = ["impressions", "reach", "clicks", "likes", "comments", "shares", "engagement_rate"]
    out.update({k: parsed[k] for k in main if k in parsed})
    out.update({k: v for k, v in parsed.items() if k not in out})
    used = set(cols.values())
    for col in columns:
        if col not in used:
            out[_snake(col)] = raw[col]
    out["source_row"] = rows
    return pd.DataFrame(out, copy=False)
