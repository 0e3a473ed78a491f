"""The UCI "Facebook metrics" data set (Moro, Rita & Vala 2016): one post a row, ``;``-separated.

The header, exactly::

    Page total likes;Type;Category;Post Month;Post Weekday;Post Hour;Paid;
    Lifetime Post Total Reach;Lifetime Post Total Impressions;Lifetime Engaged Users;
    Lifetime Post Consumers;Lifetime Post Consumptions;
    Lifetime Post Impressions by people who have liked your Page;
    Lifetime Post reach by people who like your Page;
    Lifetime People who have liked your Page and engaged with your post;
    comment;like;share;Total Interactions

(one line in the file). The posts were published in 2014 on one cosmetics brand's page;
some cells are empty (a few ``like``, ``share`` and ``Paid``).

The layout has no post ids and no dates, so:

- ``post_id`` is made from the file and the row: ``uci-<file>-<row>``, the file's name
  without extension (with ``load_dir``, its path in the folder: ``a/dataset_Facebook``)
  and the row as a spreadsheet numbers it (the first post of ``brand_a.csv``, under the
  header, is ``uci-brand_a-2``), so two pages' files loaded together never share an id;
  ``id_prefix=`` changes the ``uci`` part;
- ``published_at`` is unknown (``NaT``); what the file does say is kept as extra columns:
  ``post_month`` (1-12), ``post_weekday`` (1 = Sunday, 2 = Monday ... 7 = Saturday, the
  data set's coding) and ``post_hour`` (0-23, the page's local time), and ``category``
  (1 = action: offers and contests, 2 = product: direct advertising, 3 = inspiration:
  brand content that is not advertising);
- ``followers`` is ``Page total likes`` (the page's audience when the post was published);
- ``account`` is the ``account=`` option, else the file name without extension;
- ``content_type`` is ``Type`` in lower case; ``paid`` is ``Paid`` (1/0);
  ``reach``, ``impressions``, ``likes``, ``comments``, ``shares`` as named; ``clicks`` is
  Lifetime Post Consumptions (clicks anywhere in the post); ``engaged_users`` is kept.

A row whose ``Total Interactions`` is not ``like + comment + share`` is flagged.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..clean import CleaningReport
from ..errors import RoiInputError
from ..parsing import parse_counts
from ._common import first_lines, norm, parse_header, read_csv

__all__ = ["DESCRIPTION", "HEADER", "KIND", "NAME", "PRIORITY", "WEEKDAYS", "read", "sniff"]

NAME = "facebook_uci"
KIND = "posts"
DESCRIPTION = "UCI Facebook metrics data set (Moro et al. 2016; ';'-separated, no ids or dates)"
PRIORITY = 40

#: The layout's header, in order.
HEADER = [
    "Page total likes",
    "Type",
    "Category",
    "Post Month",
    "Post Weekday",
    "Post Hour",
    "Paid",
    "Lifetime Post Total Reach",
    "Lifetime Post Total Impressions",
    "Lifetime Engaged Users",
    "Lifetime Post Consumers",
    "Lifetime Post Consumptions",
    "Lifetime Post Impressions by people who have liked your Page",
    "Lifetime Post reach by people who like your Page",
    "Lifetime People who have liked your Page and engaged with your post",
    "comment",
    "like",
    "share",
    "Total Interactions",
]
#: The data set's weekday codes.
WEEKDAYS = {
    1: "Sunday",
    2: "Monday",
    3: "Tuesday",
    4: "Wednesday",
    5: "Thursday",
    6: "Friday",
    7: "Saturday",
}
_KEY = {norm(h) for h in ("Page total likes", "Post Weekday", "Lifetime Post Total Reach")}
_COUNTS = {
    "followers": "Page total likes",
    "reach": "Lifetime Post Total Reach",
    "impressions": "Lifetime Post Total Impressions",
    "engaged_users": "Lifetime Engaged Users",
    "clicks": "Lifetime Post Consumptions",
    "likes": "like",
    "comments": "comment",
    "shares": "share",
}
_CODES = {
    "category": ("Category", 1, 3),
    "post_month": ("Post Month", 1, 12),
    "post_weekday": ("Post Weekday", 1, 7),
    "post_hour": ("Post Hour", 0, 23),
}


def sniff(path: Path, head: str) -> bool:
    """True when the first line, split on ``;``, names the UCI layout's key columns.

    Parameters
    ----------
    path
        The file (not opened: the content decides).
    head
        Its first 64 KiB, decoded (``""`` for binary files).

    Returns
    -------
    bool
        Whether this reader should read it.

    Examples
    --------
    >>> sniff(Path("d.csv"), ";".join(HEADER) + "\\n")
    True
    >>> sniff(Path("d.csv"), ",".join(HEADER) + "\\n")
    False
    """
    lines = first_lines(head, 1)
    if not lines or ";" not in lines[0]:
        return False
    return _KEY <= {norm(c) for c in parse_header(lines[0], sep=";")}


def read(
    path: Path,
    report: CleaningReport,
    *,
    account: str | None = None,
    id_prefix: str = "uci",
    label: str | None = None,
    **_: object,
) -> pd.DataFrame:
    """Read a UCI Facebook metrics file into the posts table.

    Does not modify the file; mutates nothing but ``report``.

    Parameters
    ----------
    path
        The ``;``-separated file (``dataset_Facebook.csv``).
    report
        Receives notes on the derived ids, the unknown dates and the account, codes out of
        range, unreadable numbers, and rows whose Total Interactions does not add up.
    account
        The page's name; default: the file name without extension.
    id_prefix
        Start of every ``post_id`` (``<id_prefix>-<file>-<row>``).
    label
        How the file is named among others (``load_dir`` passes its path in the folder);
        the ``<file>`` part of the ids is this without its extension (default: the
        file's name without extension).

    Returns
    -------
    DataFrame
        The posts table: ``post_id`` (``<id_prefix>-<file>-<row>``), ``platform``
        (``"facebook"``), ``account``, ``published_at`` (``NaT``: the file has no dates),
        ``content_type``, ``impressions``, ``reach``, ``likes``, ``comments``, ``shares``,
        ``clicks`` (consumptions), ``followers`` (Page total likes), ``paid``, and the
        extra columns ``engaged_users``, ``category``, ``post_month``, ``post_weekday``
        (1 = Sunday ... 7 = Saturday), ``post_hour`` (Int64), ``source_row``.

    Raises
    ------
    RoiInputError
        An empty file; a header that is not the UCI layout (naming what it saw, and
        saying so when the separator is not ``;``).

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "cosmetics.csv"
    >>> _ = p.write_text(";".join(HEADER) + "\\n"
    ...     "139441;Photo;2;12;4;3;0;2752;5091;178;109;159;3078;1640;119;4;79;17;100\\n")
    >>> posts = read(p, CleaningReport())
    >>> posts[["post_id", "account", "followers", "likes", "post_weekday"]].values.tolist()
    [['uci-cosmetics-2', 'cosmetics', 139441, 79, 4]]
    >>> WEEKDAYS[4]
    'Wednesday'
    """
    path = Path(path)
    stem = str(Path(label).with_suffix("").as_posix()) if label else path.stem
    raw = read_csv(path, report, sep=";", all_strings=True)
    names = [c for c in raw.columns if c != "source_row"]
    by_norm = {norm(c): c for c in names}
    missing = [h for h in HEADER if norm(h) not in by_norm]
    if missing:
        seen = names[0] if len(names) == 1 else ";".join(names)
        other = next((s for s in (",", "\t", "|") if s in seen and len(names) == 1), None)
        raise RoiInputError(
            f"the header is not the UCI Facebook metrics layout; it reads {seen[:200]!r}"
            + (f": its fields are separated by {other!r}, not ';'" if other else ""),
            path=path,
            rows=[1],
            expected="the 19 ';'-separated columns, from 'Page total likes' to 'Total Interactions'",
            hint="Re-save the file with ';' separators, or map its columns with "
            "load(path, source='generic', table='posts', columns={...}).",
        )
    col = {h: by_norm[norm(h)] for h in HEADER}
    rows = raw["source_row"]

    def count(header: str) -> pd.Series:
        return parse_counts(raw[col[header]], report=report, file=path, rows=rows, column=header)

    out = pd.DataFrame(
        {
            "post_id": (f"{id_prefix}-{stem}-" + rows.astype("str")).astype("str"),
            "platform": "facebook",
            "account": account if account is not None else path.stem,
            "published_at": pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us, UTC]"),
            "content_type": raw[col["Type"]].str.strip().str.lower(),
        }
    )
    for name, header in _COUNTS.items():
        out[name] = count(header)
    out["paid"] = _paid(raw[col["Paid"]], rows, path, report)
    for name, (header, low, high) in _CODES.items():
        values = count(header)
        outside = values.notna() & ((values < low) | (values > high))
        if outside.any():
            report.record(
                path,
                rows[outside],
                rule="code out of range",
                action="flagged",
                column=header,
                original=raw.loc[outside, col[header]],
                reason=f"expected a code from {low} to {high}: kept as written",
            )
        out[name] = values
    out["source_row"] = rows.to_numpy()
    _check_total(out, count("Total Interactions"), rows, path, report)
    report.note(
        path,
        rule="ids and dates derived",
        reason=f"the layout has no post ids or dates: post_id is '{id_prefix}-{stem}-<row>', "
        "published_at is unknown; post_month, post_weekday (1 = Sunday ... 7 = Saturday) and "
        "post_hour are kept as columns; followers = Page total likes",
    )
    if account is None:
        report.note(
            path,
            rule="account from file name",
            reason=f"the file does not name its page: account is {path.stem!r} "
            "(pass account='...' to load() to set it)",
        )
    return out


def _paid(values: pd.Series, rows: pd.Series, path: Path, report: CleaningReport) -> pd.Series:
    text = values.astype("str").str.strip()
    mapped = text.map({"1": True, "0": False, "1.0": True, "0.0": False})
    bad = mapped.isna() & text.notna() & text.ne("")
    if bad.any():
        report.record(
            path,
            rows[bad],
            rule="unreadable yes/no",
            action="coerced",
            column="Paid",
            original=values[bad],
            reason="Paid is not 1 or 0: read as unknown",
        )
    return pd.Series(
        pd.array(mapped.where(mapped.notna(), None), dtype="boolean"), index=values.index
    )


def _check_total(
    out: pd.DataFrame, total: pd.Series, rows: pd.Series, path: Path, report: CleaningReport
) -> None:
    parts = out[["likes", "comments", "shares"]].sum(axis=1, min_count=3)
    differs = (parts.notna() & total.notna() & (parts != total)).fillna(False).astype(bool)
    if differs.any():
        report.record(
            path,
            rows[differs],
            rule="total interactions differ",
            action="flagged",
            column="Total Interactions",
            original=total[differs].astype("str"),
            value=parts[differs].astype("str"),
            reason="Total Interactions is not like + comment + share (value: the sum)",
        )
