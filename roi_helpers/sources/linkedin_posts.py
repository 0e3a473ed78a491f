"""LinkedIn company-page post analytics: the ``All posts`` sheet of the content export.

LinkedIn Page > Analytics > Content > Export writes ``<page>_content_<epoch ms>.xls``, a
workbook whose ``Metrics`` sheet holds the daily totals (read by
:mod:`~roi_helpers.sources.linkedin_page`) and whose ``All posts`` sheet has a title line
above the header ``Post title, Post link, Post type, Campaign name, Posted by, Created date,
Campaign start date, Campaign end date, Audience, Impressions, Views (excluding off-site video
views), Off-site views, Clicks, Click through rate (CTR), Likes, Comments, Reposts, Follows,
Engagement rate, Content Type``, then one row per post. Older exports call the sheet
``Update engagement`` and say ``Update title``, ``Update link``, ``Update type`` and
``Shares``; others say ``Published by``, ``Date`` and ``Followers``. Names are matched case-
and punctuation-blind through aliases. The sheet is read from an ``.xlsx`` (or an ``.xls``
pandas can open), or saved as CSV (comma, semicolon or tab separated, title line or not).

How the columns map to the posts table:

=====================================  ===========================================================
LinkedIn column                        posts column
=====================================  ===========================================================
``Post link`` / ``Update link``        ``url``; ``post_id`` is the URN in it
                                       (``urn:li:activity:7123...``), else the link itself
``Post title`` / ``Update title``      ``text`` (LinkedIn writes the post's opening words)
``Created date`` / ``Date``            ``published_at``: read in ``tz`` (default UTC, said in the
                                       report); a date without a time is 00:00 that day, and
                                       ``time_known`` says which (False: the day only)
``Content Type``                       ``content_type``, lower case (``image``, ``video``,
                                       ``document``...); where absent, ``Post type`` when it
                                       names a kind of content rather than organic/sponsored
``Post type`` / ``Audience``           ``paid``: true when either says Sponsored (or boosted,
                                       promoted); unknown when neither column has a value
``Impressions``                        ``impressions``
``Views (excluding off-site ...)``     ``video_views`` (LinkedIn counts views of videos only)
``Clicks``                             ``clicks``
``Likes`` / ``Reactions``              ``likes``
``Comments``                           ``comments``
``Reposts`` / ``Shares``               ``shares``
``Engagement rate``                    ``li_engagement_rate``: LinkedIn's own, (clicks + likes +
                                       comments + reposts + follows) / impressions, a fraction
=====================================  ===========================================================

The other columns are kept with an ``li_`` prefix: ``li_ctr`` (a fraction), ``li_follows``
(follows the post earned: *not* the page's follower count, whatever the column is called),
``li_offsite_views``, ``li_post_type``, ``li_audience``, ``li_campaign_name``,
``li_campaign_start`` and ``li_campaign_end`` (dates), ``li_posted_by`` (an admin's name),
and any column not listed here in snake case.

The page (``account``) is not in the sheet: pass ``account=``, or it is the file name without
LinkedIn's suffixes (``quillmoor-software_content_1767225600000.xlsx`` is
``quillmoor-software``), so that it matches the page's follower export and
:func:`roi_helpers.engagement.add_followers_at_post` can give each post the page's follower
count when it went out. :func:`roi_helpers.load_dir` reads one table per file: a workbook with
both sheets is read as posts, and the report says how to read its ``Metrics`` sheet.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..clean import CleaningReport
from ..errors import RoiInputError
from ._common import (
    first_lines,
    match_columns,
    norm,
    parse_dates,
    parse_header,
    read_counts,
    read_csv,
    read_head,
    read_rates,
    snake,
    to_utc,
    unique_names,
)

__all__ = [
    "DATE_FORMATS",
    "DESCRIPTION",
    "KIND",
    "NAME",
    "PRIORITY",
    "exported_at",
    "read",
    "sniff",
]

NAME = "linkedin_posts"
KIND = "posts"
DESCRIPTION = "LinkedIn company-page post analytics ('All posts' sheet of the content export)"
#: Before linkedin_page (50): LinkedIn's own workbook also holds the daily ``Metrics`` sheet.
PRIORITY = 40

_ALIASES: dict[str, list[str]] = {
    "text": ["Post title", "Update title", "Title"],
    "url": ["Post link", "Update link", "Link"],
    "post_type": ["Post type", "Update type"],
    "campaign_name": ["Campaign name"],
    "posted_by": ["Posted by", "Published by"],
    "published_at": ["Created date", "Date", "Posted on", "Created"],
    "campaign_start": ["Campaign start date"],
    "campaign_end": ["Campaign end date"],
    "audience": ["Audience"],
    "impressions": ["Impressions"],
    "video_views": ["Views (excluding off-site video views)", "Views", "Video views"],
    "offsite_views": ["Off-site views", "Offsite views"],
    "clicks": ["Clicks"],
    "ctr": ["Click through rate (CTR)", "Click-through rate", "CTR"],
    "likes": ["Likes", "Reactions"],
    "comments": ["Comments"],
    "shares": ["Reposts", "Shares"],
    "follows": ["Follows", "Followers"],
    "engagement_rate": ["Engagement rate"],
    "content_type": ["Content Type"],
}
_NEEDED = ["url", "published_at", "impressions"]
_OPTIONAL = ["likes", "comments", "shares"]
_COUNTS = ["impressions", "video_views", "clicks", "likes", "comments", "shares"]
#: Kept under an ``li_`` name: counts, rates, dates and text.
_EXTRA_COUNTS = {"follows": "li_follows", "offsite_views": "li_offsite_views"}
_EXTRA_RATES = {"engagement_rate": "li_engagement_rate", "ctr": "li_ctr"}
_EXTRA_DATES = {"campaign_start": "li_campaign_start", "campaign_end": "li_campaign_end"}
_EXTRA_TEXT = {
    "post_type": "li_post_type",
    "audience": "li_audience",
    "campaign_name": "li_campaign_name",
    "posted_by": "li_posted_by",
}
#: Sheet names LinkedIn gives the post sheet (sniffed), and others it is read from.
_OWN_SHEETS = ("all posts", "update engagement", "all updates")
_SHEETS = (*_OWN_SHEETS, "posts", "updates")
_LINKS = {"post link", "update link"}
#: Words only LinkedIn's post sheet has (so X's "Post Link, Impressions" is not claimed).
_LINKEDIN_WORDS = {
    "post title",
    "update title",
    "post type",
    "update type",
    "created date",
    "posted by",
    "published by",
    "campaign name",
    "audience",
    "click through rate ctr",
    "content type",
}
_SEPARATORS = (",", ";", "\t")
_HEAD_ROWS = 6
#: Month first, as LinkedIn writes them; ISO as spreadsheets re-save them.
DATE_FORMATS = (
    "%m/%d/%Y",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %I:%M %p",
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%m/%d/%y",
)
_URN = r"(?i)urn(?::|%3A)li(?::|%3A)(?P<kind>activity|share|ugcPost)(?::|%3A)(?P<id>\d+)"
_PAID = r"(?i)sponsor|boost|promot"
_KINDS_OF_PAYMENT = {"organic", "sponsored", "boosted", "promoted", "sponsored content"}
_EXCEL = {".xlsx", ".xlsm", ".xls"}
_NAME_SUFFIXES = (
    r"(?:_(?:content|posts|all_posts|updates|update_engagement|clean|cleaned|export|"
    r"analytics|metrics))+$"
)


# -- recognising the sheet --------------------------------------------------------------------
def _is_posts_header(names: Sequence[object]) -> bool:
    """A header with a post link, impressions and a word only LinkedIn's post sheet has."""
    normed = {norm(str(n)) for n in names if n is not None and str(n) != "nan"}
    return (
        bool(normed & _LINKS)
        and "impressions" in normed
        and bool(normed & _LINKEDIN_WORDS)
        and not normed & {"post id", "tweet id"}
    )


def _alias_hits(names: Sequence[object]) -> int:
    return len(match_columns([str(n) for n in names if n is not None], _ALIASES))


def _best_header(rows: Sequence[Sequence[object]]) -> int | None:
    """0-based index of the row that looks most like the header (3 or more known names)."""
    hits = [_alias_hits(r) for r in rows]
    if not hits or max(hits) < 3:
        return None
    return int(np.argmax(hits))


def _csv_header(head: str) -> tuple[int, str] | None:
    """Row (1-based) and separator of the header line in a CSV's first lines."""
    best: tuple[int, int, str] | None = None
    for i, line in enumerate(first_lines(head, _HEAD_ROWS), start=1):
        for sep in _SEPARATORS:
            names = parse_header(line, sep)
            if len(names) < 3:
                continue
            hits = _alias_hits(names)
            if hits >= 3 and (best is None or hits > best[0]):
                best = (hits, i, sep)
    return None if best is None else (best[1], best[2])


def _sheet_names(path: Path) -> list[str]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def sniff(path: Path, head: str) -> bool:
    """True for LinkedIn's post sheet: a workbook with an ``All posts`` sheet, or a header
    (in a CSV's or a sheet's first lines) with ``Post link``, ``Impressions`` and a word
    only that sheet has (``Post title``, ``Created date``, ``Content Type``...).

    Parameters
    ----------
    path
        The file; only a workbook (which has no text head) is opened.
    head
        The file's first 64 KiB, decoded (``""`` for binary files).

    Returns
    -------
    bool

    Examples
    --------
    >>> sniff(Path("a.csv"), "All posts\\nPost title,Post link,Created date,Impressions,Likes\\n")
    True
    >>> sniff(Path("a.csv"), "Post id,Date,Post text,Post Link,Impressions,Likes,Reposts\\n")
    False
    """
    if head:
        lines = first_lines(head, _HEAD_ROWS)
        return any(_is_posts_header(parse_header(ln, sep)) for ln in lines for sep in _SEPARATORS)
    path = Path(path)
    if path.suffix.lower() not in _EXCEL:
        return False
    try:
        if path.suffix.lower() != ".xls" and any(
            norm(s) in _OWN_SHEETS for s in _sheet_names(path)
        ):
            return True
        tops = pd.read_excel(path, sheet_name=None, header=None, nrows=_HEAD_ROWS)
    except Exception:  # cannot open it here: not recognisably this format
        return False
    return any(_is_posts_header(row) for top in tops.values() for row in top.to_numpy().tolist())


# -- reading ---------------------------------------------------------------------------------------
def _read_excel(path: Path, report: CleaningReport) -> tuple[pd.DataFrame, int]:
    """The post sheet's rows and its header's row number (1-based, as Excel shows it)."""
    try:
        tops = pd.read_excel(path, sheet_name=None, header=None, nrows=_HEAD_ROWS)
    except ImportError as exc:
        raise RoiInputError(
            f"cannot open this Excel file ({exc})",
            path=path,
            hint="Open it in Excel or LibreOffice and save it as .xlsx (or the 'All posts' "
            "sheet as .csv), then load that.",
        ) from None
    except (zipfile.BadZipFile, OSError, ValueError, KeyError) as exc:
        raise RoiInputError(
            f"could not be opened as an Excel workbook ({type(exc).__name__}: {exc})",
            path=path,
            expected="an .xlsx workbook as LinkedIn exports it",
            hint="The file may be truncated or damaged: export it again from LinkedIn.",
        ) from None
    names = list(tops)
    named = [s for s in names if norm(s) in _SHEETS]
    candidates = named or [
        s for s in names if _best_header(tops[s].to_numpy().tolist()) is not None
    ]
    if not candidates:
        raise RoiInputError(
            "no 'All posts' sheet: the workbook's sheets are " + ", ".join(repr(s) for s in names),
            path=path,
            expected="LinkedIn's content export, whose 'All posts' sheet lists one post a row",
            hint="The 'Metrics' sheet alone holds daily totals: load it with "
            "load(path, source='linkedin_page'). For posts, export Content again with all posts.",
        )
    sheet = candidates[0]
    top = tops[sheet]
    if top.dropna(how="all").empty:
        raise RoiInputError(
            f"the sheet {sheet!r} is empty",
            path=path,
            expected="a title line, the header (Post title, Post link, ...) and one post a row",
            hint="Export Content again from the page's Analytics.",
        )
    header = _best_header(top.to_numpy().tolist())
    if header is None:
        seen = [str(v) for v in top.iloc[0].dropna()]
        raise RoiInputError(
            f"no header row in the first {_HEAD_ROWS} rows of sheet {sheet!r}; row 1 holds "
            + ", ".join(repr(v) for v in seen[:8]),
            path=path,
            rows=range(1, min(len(top), _HEAD_ROWS) + 1),
            expected="a header with Post title, Post link, Created date, Impressions, Likes...",
        )
    others = [s for s in names if s != sheet]
    if others:
        report.note(
            path,
            rule="sheet",
            reason=f"read sheet {sheet!r}; not read: {', '.join(repr(s) for s in others)}"
            + (
                " (the daily totals: load(path, source='linkedin_page') reads them)"
                if any(norm(s) == "metrics" for s in others)
                else ""
            ),
        )
    df = pd.read_excel(path, sheet_name=sheet, header=header)
    df.columns = unique_names([str(c).strip() for c in df.columns])
    df["source_row"] = pd.array(np.arange(len(df)) + header + 2, dtype="Int64")
    return df, header + 1


def _read_csv(path: Path, report: CleaningReport) -> tuple[pd.DataFrame, int]:
    head = read_head(path)
    if not head.strip():
        raise RoiInputError(
            "the file is empty", path=path, hint="Export Content again from the page's Analytics."
        )
    row, sep = _csv_header(head) or (1, ",")
    names = parse_header(first_lines(head, row)[-1], sep)
    found = match_columns(names, _ALIASES)
    text = [
        found[k]
        for k in ("text", "url", "published_at", "campaign_start", "campaign_end")
        if k in found
    ]
    df = read_csv(path, report, header_row=row, sep=sep, string_columns=text)
    if sep != ",":
        report.note(path, rule="separator", reason=f"fields separated by {sep!r}")
    return df, row


def _require(found: Mapping[str, str], path: Path, header: Sequence[str], row: int) -> None:
    missing = [k for k in _NEEDED if k not in found]
    if not missing:
        return
    names = [_ALIASES[k][0] for k in missing]
    raise RoiInputError(
        f"missing column(s) {', '.join(repr(n) for n in names)} in the header; it has: "
        + ", ".join(repr(c) for c in header),
        path=path,
        rows=[row],
        column=names[0],
        expected=" or ".join(repr(a) for a in _ALIASES[missing[0]]),
        hint="Check that this is the 'All posts' sheet of LinkedIn's content export, and that "
        "it was not re-saved with other column names.",
    )


def _post_ids(
    url: pd.Series, report: CleaningReport, path: Path, rows: pd.Series, column: str
) -> pd.Series:
    """The URN in each link; the link itself where it has none (said in the report)."""
    found = url.str.extract(_URN)
    urn = (
        "urn:li:" + found["kind"].str.replace("ugcpost", "ugcPost", case=False) + ":" + found["id"]
    )
    bare = urn.isna() & url.notna()
    if bare.any():
        report.record(
            path,
            rows[bare],
            rule="link without URN",
            action="coerced",
            column=column,
            original=url[bare],
            value=url[bare],
            reason="the link holds no urn:li:activity/share/ugcPost id: the link itself is "
            "the post's id",
        )
    return urn.where(~bare, url).astype("str")


def _text(values: pd.Series) -> pd.Series:
    text = values.astype("str").str.strip()
    return text.where(text != "")


def _published(
    raw: pd.DataFrame,
    column: str,
    tz: str | None,
    report: CleaningReport,
    path: Path,
    rows: pd.Series,
) -> tuple[pd.Series, pd.Series]:
    """``published_at`` in UTC, and ``time_known`` (False for a day without a time)."""
    values = raw[column]
    if pd.api.types.is_datetime64_any_dtype(values):
        naive = values.dt.tz_localize(None) if values.dt.tz is not None else values
        timeless = naive.notna() & naive.eq(naive.dt.normalize())
    else:
        text = values.astype("str").str.strip()  # Excel cells read as datetimes become ISO text
        naive = parse_dates(text, DATE_FORMATS, report=report, path=path, column=column, rows=rows)
        timeless = naive.notna() & ~text.str.contains(":", regex=False, na=False)
        timeless |= naive.notna() & text.str.endswith(" 00:00:00", na=False)
    if timeless.any():
        report.note(
            path,
            rule="date without time",
            reason=f"{int(timeless.sum())} of {int(naive.notna().sum())} post(s) have a day in "
            f"{column!r} but no time: published_at is 00:00 that day",
        )
    when = to_utc(
        naive.astype("datetime64[us]"), tz, report=report, path=path, column=column, rows=rows
    )
    known = pd.Series(~timeless.to_numpy(), index=raw.index, dtype="boolean").where(naive.notna())
    return when, known


def _dates(raw, column, report, path, rows) -> pd.Series:
    values = raw[column]
    if pd.api.types.is_datetime64_any_dtype(values):
        out = values.dt.tz_localize(None) if values.dt.tz is not None else values
        return out.astype("datetime64[us]")
    return parse_dates(
        values.astype("str").str.strip(),
        DATE_FORMATS,
        report=report,
        path=path,
        column=column,
        rows=rows,
    )


def _kinds_and_payment(cols: Mapping[str, str], raw: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """``content_type`` (lower case) and ``paid`` (boolean, unknown where nothing says)."""
    index = raw.index
    post_type = (
        _text(raw[cols["post_type"]])
        if "post_type" in cols
        else pd.Series(pd.NA, index=index, dtype="str")
    )
    audience = (
        _text(raw[cols["audience"]])
        if "audience" in cols
        else pd.Series(pd.NA, index=index, dtype="str")
    )
    kind = (
        _text(raw[cols["content_type"]]).str.lower()
        if "content_type" in cols
        else pd.Series(pd.NA, index=index, dtype="str")
    )
    typed = post_type.str.lower()
    names_content = (
        typed.notna() & ~typed.isin(_KINDS_OF_PAYMENT) & ~typed.str.contains(_PAID, na=False)
    )
    kind = kind.where(kind.notna() | ~names_content, typed)
    says_paid = post_type.str.contains(_PAID, na=False) | audience.str.contains(_PAID, na=False)
    known = post_type.notna() | audience.notna()
    paid = pd.Series(says_paid.to_numpy(), index=index, dtype="boolean").where(known)
    return kind.astype("str"), paid


def _page(path: Path, account: str | None, report: CleaningReport) -> str:
    if account:
        return account
    stem = re.sub(r"_\d{10,13}$", "", Path(path).stem)  # LinkedIn's export timestamp
    who = re.sub(_NAME_SUFFIXES, "", stem, flags=re.IGNORECASE) or stem
    report.note(
        path,
        rule="account assumed",
        reason=f"the sheet does not name its page: read as {who!r} (from the file name; pass "
        "account= to load() to set it, the same as for the page's follower export)",
    )
    return who


def read(
    path: Path,
    report: CleaningReport,
    *,
    tz: str | None = None,
    account: str | None = None,
    **_: object,
) -> pd.DataFrame:
    """Read LinkedIn's ``All posts`` sheet into the posts table (not yet validated).

    Does not modify the file or any input. See the module docstring for the column map.

    Parameters
    ----------
    path
        The content export (``.xlsx``; ``.xls`` where pandas can open it), or its
        ``All posts`` sheet saved as CSV.
    report
        Receives rows set aside (no link, wrong number of fields), blank rows skipped,
        unreadable numbers and dates (made unknown), links without a URN, the sheet read,
        the page name and time-zone assumptions, and posts dated without a time.
    tz
        Time zone of ``Created date`` (LinkedIn writes none). Default UTC.
    account
        The page's name; default: the file name without LinkedIn's suffixes.

    Returns
    -------
    DataFrame
        ``post_id`` (the URN), ``platform`` ("linkedin"), ``account``, ``published_at``
        (UTC), ``time_known`` (False where the export gives the day only), ``content_type``, ``text`` (the post title), ``url``, ``impressions``,
        ``clicks``, ``likes``, ``comments``, ``shares`` (reposts), ``video_views``,
        ``paid``, ``li_engagement_rate`` (LinkedIn's own rate, follows counted), ``li_ctr``,
        ``li_follows`` (follows the post earned), ``li_offsite_views``, ``li_post_type``,
        ``li_audience``, ``li_campaign_name``, ``li_campaign_start``, ``li_campaign_end``,
        ``li_posted_by``, other columns as ``li_<snake_case>``, and ``source_row`` (the row
        as the sheet numbers it, title line and header included).

    Raises
    ------
    RoiInputError
        An empty or damaged file; a workbook without an ``All posts`` sheet (or any sheet
        with its header); no header in the first rows; a header without ``Post link``,
        ``Created date`` or ``Impressions`` (naming the file, the header's row and the
        column, and listing the header seen).

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "acme_content_1767225600000.csv"
    >>> _ = path.write_text(
    ...     "All posts\\n"
    ...     "Post title,Post link,Post type,Created date,Impressions,Clicks,Likes,Comments,"
    ...     "Reposts,Follows,Engagement rate,Content Type\\n"
    ...     "Hello,https://www.linkedin.com/feed/update/urn:li:activity:7123456789012345678,"
    ...     "Organic,01/28/2025,1000,30,20,2,1,1,0.054,Image\\n")
    >>> post = read(path, CleaningReport()).iloc[0]
    >>> post["post_id"], post["account"], post["content_type"], post["shares"], post["paid"]
    ('urn:li:activity:7123456789012345678', 'acme', 'image', np.int64(1), np.False_)
    >>> str(post["published_at"]), float(post["li_engagement_rate"])
    ('2025-01-28 00:00:00+00:00', 0.054)
    """
    path = Path(path)
    if path.stat().st_size == 0:
        raise RoiInputError(
            "the file is empty (0 bytes)", path=path, hint="Export Content again from LinkedIn."
        )
    if path.suffix.lower() in _EXCEL:
        raw, header_row = _read_excel(path, report)
    else:
        raw, header_row = _read_csv(path, report)
    columns = [c for c in raw.columns if c != "source_row"]
    cols = match_columns(columns, _ALIASES)
    _require(cols, path, columns, header_row)
    blank = raw[columns].isna().all(axis=1)
    if blank.any():  # sheets often end with empty rows: nothing in them to lose
        report.note(
            path,
            rule="empty rows skipped",
            reason=f"{int(blank.sum())} empty row(s) below the header were ignored",
        )
        raw = raw[~blank].reset_index(drop=True)
    if raw.empty:
        report.note(path, rule="no posts", reason="the sheet lists no posts below its header")
    rows = raw["source_row"]
    url = _text(raw[cols["url"]])
    no_link = url.isna()
    if no_link.any():
        report.set_aside(
            path,
            raw[no_link],
            rule="no post link",
            column=cols["url"],
            reason=f"no {cols['url']!r}: the post cannot be identified without its link",
        )
        raw, url, rows = raw[~no_link], url[~no_link], rows[~no_link]
    absent = [k for k in _OPTIONAL if k not in cols]
    if absent:
        report.note(
            path,
            rule="column not exported",
            reason=f"no column for {', '.join(absent)}: unknown (<NA>) for every post",
        )
    kind, paid = _kinds_and_payment(cols, raw)
    published, time_known = _published(raw, cols["published_at"], tz, report, path, rows)
    out: dict[str, pd.Series] = {
        "post_id": _post_ids(url, report, path, rows, cols["url"]),
        "platform": pd.Series("linkedin", index=raw.index, dtype="str"),
        "account": pd.Series(_page(path, account, report), index=raw.index, dtype="str"),
        "published_at": published,
        "time_known": time_known,
        "content_type": kind,
        "text": _text(raw[cols["text"]]) if "text" in cols else None,
        "url": url.astype("str"),
    }
    for key in _COUNTS:
        if key in cols:
            out[key] = read_counts(raw, cols[key], report, path, rows)
        elif key in _OPTIONAL:
            out[key] = pd.Series(pd.NA, index=raw.index, dtype="Int64")
    out["paid"] = paid
    for key, name in _EXTRA_RATES.items():
        if key in cols:
            out[name] = read_rates(raw, cols[key], report, path, rows)
    for key, name in _EXTRA_COUNTS.items():
        if key in cols:
            out[name] = read_counts(raw, cols[key], report, path, rows)
    for key, name in _EXTRA_TEXT.items():
        if key in cols:
            out[name] = _text(raw[cols[key]])
    for key, name in _EXTRA_DATES.items():
        if key in cols:
            out[name] = _dates(raw, cols[key], report, path, rows)
    used = set(cols.values())
    for col in columns:
        if col not in used:
            out.setdefault("li_" + snake(col), raw[col])
    out["source_row"] = rows
    return pd.DataFrame({k: v for k, v in out.items() if v is not None}, copy=False)


def exported_at(path: Path) -> pd.Timestamp | None:
    """When the export was made: LinkedIn's epoch timestamp in the name, else the last post's day.

    Returns
    -------
    Timestamp or None
        A naive calendar date (the last post's day is a lower bound of the export date: of
        two overlapping exports, the one reaching further wins).

    Examples
    --------
    >>> exported_at(Path("acme_content_1767225600000.xlsx"))
    Timestamp('2026-01-01 00:00:00')
    """
    found = re.search(r"_(\d{13}|\d{10})$", Path(path).stem)
    if found:
        digits = found.group(1)
        return pd.Timestamp(int(digits), unit="ms" if len(digits) == 13 else "s").normalize()
    try:
        days = read(Path(path), CleaningReport())["published_at"]
    except (RoiInputError, OSError, ValueError):
        return None
    last = days.max()
    return None if pd.isna(last) else pd.Timestamp(last).tz_localize(None).normalize()
