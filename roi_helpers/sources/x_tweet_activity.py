"""X/Twitter Analytics ``tweet_activity_metrics_<account>_<start>_<end>_<lang>.csv`` (legacy).

The per-tweet export of analytics.twitter.com: every field double-quoted, tweet texts
holding newlines, counts written ``"2633.0"``, ``engagement rate`` a fraction (sometimes
``7.35E-4``), the ``promoted ...`` columns ``"-"`` for tweets that were not promoted,
``time`` like ``2019-01-31 23:32 +0000`` and 64-bit tweet ids (kept as text, exact).

How X's columns map to the posts table:

=====================  =====================================================
X column               posts column
=====================  =====================================================
``Tweet id``           ``post_id`` (text; from the permalink if mangled)
``Tweet permalink``    ``url``; ``account`` is its ``twitter.com/<account>``
``Tweet text``         ``text``
``time``               ``published_at`` (converted to UTC)
``impressions``        ``impressions``
``retweets``           ``shares``
``replies``            ``comments``
``likes``              ``likes``
``url clicks``         ``clicks``
``promoted ...``       ``paid``: True where ``promoted impressions`` > 0,
                       False where X wrote ``-`` (not promoted)
=====================  =====================================================

Every other column is kept under its own name in snake case with an ``x_`` prefix:
``x_engagements`` and ``x_engagement_rate`` (X's own: engagements / impressions, where X
counts every click, expand and follow as an engagement), ``x_user_profile_clicks``,
``x_hashtag_clicks``, ``x_detail_expands``, ``x_permalink_clicks``, ``x_app_opens``,
``x_app_installs``, ``x_follows``, ``x_email_tweet``, ``x_dial_phone``, ``x_media_views``
(views of any media, images included, so not ``video_views``), ``x_media_engagements``
and the ``x_promoted_...`` twins (``<NA>`` where X wrote ``-``).

This module also holds the small helpers the other X, Instagram and LinkedIn readers share
(``_header``, ``_counts``, ``_rates``...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..clean import CleaningReport
from ..errors import RoiInputError
from ..parsing import parse_counts, parse_rates
from ._common import first_lines, match_columns, norm, parse_header, read_csv, read_head

__all__ = ["DESCRIPTION", "KIND", "NAME", "exported_at", "read", "sniff"]

NAME = "x_tweet_activity"
KIND = "posts"
DESCRIPTION = "X/Twitter Analytics tweet_activity_metrics CSV (legacy per-tweet export)"

_ALIASES = {
    "post_id": ["Tweet id", "Tweet ID"],
    "url": ["Tweet permalink"],
    "text": ["Tweet text"],
    "published_at": ["time"],
    "impressions": ["impressions"],
    "shares": ["retweets"],
    "comments": ["replies"],
    "likes": ["likes"],
    "clicks": ["url clicks"],
}
_NEEDED = ["post_id", "published_at", "impressions", "shares", "comments", "likes"]
_MARKERS = {"tweet id", "tweet permalink", "time"}
_TIME_FORMAT = "%Y-%m-%d %H:%M %z"


# -- helpers shared by this package's X, Instagram and LinkedIn readers ----------------------
_SEPARATORS = (",", ";", "\t")
_DATES_IN_NAME = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})[_-](\d{4})-?(\d{2})-?(\d{2})")
_LINK_ACCOUNT = r"(?:twitter|x)\.com/(?P<account>[A-Za-z0-9_]+)/status/"


def _header(head: str, markers: set[str], lines: int = 6) -> tuple[int, str] | None:
    """Row number (1-based) and separator of the first line whose names include ``markers``."""
    markers = {norm(m) for m in markers}
    for i, line in enumerate(first_lines(head, lines), start=1):
        for sep in _SEPARATORS:
            if markers <= {norm(c) for c in parse_header(line, sep)}:
                return i, sep
    return None


def _read(
    path: Path, report: CleaningReport, markers: set[str], fmt: str, **kwargs: object
) -> pd.DataFrame:
    """Read a CSV export whose header holds ``markers``; a clear error for other separators."""
    path = Path(path)
    found = _header(read_head(path), markers)
    row, sep = found or (1, ",")
    if sep != ",":
        raise RoiInputError(
            f"the fields are separated by {sep!r}, not by commas as in every {fmt}",
            path=path,
            rows=[row],
            expected="comma-separated values, as the platform exports them",
            hint="The file was probably re-saved by a spreadsheet (which also rewrites "
            "numbers and dates): export it again from the platform.",
        )
    return read_csv(path, report, header_row=row, **kwargs)


def _snake(name: str) -> str:
    """``"promoted url clicks"`` -> ``"promoted_url_clicks"``; ``"Clicks (organic)"`` -> ``"clicks_organic"``."""
    return re.sub(r"[^a-z0-9]+", "_", norm(name).replace("%", " pct ")).strip("_")


def _all_missing(values: pd.Series) -> pd.Series:
    return values.isna() | (values.eq("-") if not pd.api.types.is_numeric_dtype(values) else False)


def _counts(
    raw: pd.DataFrame, column: str, report: CleaningReport, path: Path, rows: pd.Series
) -> pd.Series:
    """A column of counts as ``Int64``, unreadable cells recorded; all-``-`` columns made fast."""
    values = raw[column]
    if pd.api.types.is_numeric_dtype(values):
        fast = _whole_numbers(values)
        if fast is not None:
            return fast
        return parse_counts(values, report=report, file=path, rows=rows, column=column)
    # text: parse only the cells that say something (X's promoted columns are mostly "-")
    missing = _all_missing(values)
    out = pd.Series(pd.NA, index=raw.index, dtype="Int64")
    if not missing.all():
        some = ~missing
        parsed = parse_counts(
            values[some], report=report, file=path, rows=rows[some], column=column
        )
        out[some.to_numpy()] = parsed.array  # positional: no index alignment
    return out


def _whole_numbers(values: pd.Series) -> pd.Series | None:
    """``Int64`` straight from a column pyarrow read as numbers, when all are whole (else None).

    X writes counts as ``"2633.0"``: pyarrow reads them as floats, and the general parser
    (which also records fractions and text) is not needed when every value is whole.
    """
    if pd.api.types.is_bool_dtype(values):
        return None
    if pd.api.types.is_integer_dtype(values):
        return values.astype("Int64")
    numbers = values.to_numpy(dtype="float64", na_value=np.nan)
    missing = np.isnan(numbers)
    filled = np.where(missing, 0.0, numbers)
    if not (np.all(filled == np.round(filled)) and np.all(np.abs(filled) < 2**53)):
        return None
    counts = pd.arrays.IntegerArray(filled.astype("int64"), missing)
    return pd.Series(counts, index=values.index, name=values.name)


def _rates(
    raw: pd.DataFrame,
    column: str,
    report: CleaningReport,
    path: Path,
    rows: pd.Series,
    percent: bool | None = None,
) -> pd.Series:
    """A column of rates as float fractions, unreadable cells recorded."""
    values = raw[column]
    if pd.api.types.is_numeric_dtype(values):
        if pd.api.types.is_float_dtype(values) and not percent:
            return values.astype("float64")
        return parse_rates(
            values, report=report, file=path, rows=rows, column=column, percent=percent
        )
    missing = _all_missing(values)
    out = pd.Series(np.nan, index=raw.index, dtype="float64")
    if not missing.all():
        some = ~missing
        parsed = parse_rates(
            values[some], report=report, file=path, rows=rows[some], column=column, percent=percent
        )
        out[some.to_numpy()] = parsed.to_numpy()
    return out


def _extras(
    raw: pd.DataFrame,
    used: Iterable[str],
    report: CleaningReport,
    path: Path,
    rows: pd.Series,
    prefix: str,
    counts: Sequence[str] = (),
    rates: Sequence[str] = (),
) -> dict[str, pd.Series]:
    """Columns not mapped to the table, under snake-case names with ``prefix``.

    Columns named in ``counts`` / ``rates`` (by normalised name) are parsed as such; any
    other column is kept as it was read.
    """
    used = set(used) | {"source_row"}
    count_names, rate_names = {norm(c) for c in counts}, {norm(c) for c in rates}
    out: dict[str, pd.Series] = {}
    for col in raw.columns:
        if col in used:
            continue
        key = prefix + _snake(col)
        if norm(col) in rate_names:
            out[key] = _rates(raw, col, report, path, rows)
        elif norm(col) in count_names:
            out[key] = _counts(raw, col, report, path, rows)
        else:
            out[key] = raw[col]
    return out


def _dates_in_name(path: Path) -> pd.Timestamp | None:
    """The end date of a ``..._YYYYMMDD_YYYYMMDD...`` (or ``YYYY-MM-DD``) file name."""
    found = _DATES_IN_NAME.findall(Path(path).name)
    if not found:
        return None
    y, m, d = found[-1][3:]
    try:
        return pd.Timestamp(int(y), int(m), int(d))
    except ValueError:
        return None


def _account_from_links(links: pd.Series) -> pd.Series:
    """``https://twitter.com/rOpenSci/status/1`` -> ``rOpenSci`` (``<NA>`` where none)."""
    arr = pa.array(links.astype("str"))
    first = next((m for m in map(re.compile(_LINK_ACCOUNT).search, links.dropna()[:1]) if m), None)
    if first is not None:  # usually one account: check the prefix instead of matching each link
        same = pc.starts_with(arr, links.dropna().iloc[0][: first.end()])
        if pc.all(pc.fill_null(same, False)).as_py():
            return pd.Series(first.group("account"), index=links.index, dtype="str")
    found = pc.extract_regex(arr, _LINK_ACCOUNT)
    account = pc.struct_field(found, "account").to_pandas()
    return pd.Series(account.to_numpy(), index=links.index, dtype="str")


def _account(
    from_file: pd.Series,
    option: str | None,
    fallback: str | None,
    report: CleaningReport,
    path: Path,
    what: str,
) -> pd.Series:
    """The account: what the file says per row, else ``account=``, else the file name's."""
    if from_file.notna().all():
        return from_file
    other = option or fallback
    missing = from_file.isna()
    if other is not None and missing.any():
        report.note(
            path,
            rule="account assumed",
            reason=f"{int(missing.sum())} row(s) have no {what}: account read as {other!r}"
            + (" (the account= option)" if option else " (from the file name)"),
        )
        return from_file.fillna(other)
    return from_file


def _check_columns(
    raw: pd.DataFrame, aliases: Mapping[str, Sequence[str]], needed: Sequence[str], path, fmt
) -> dict[str, str]:
    """Map the file's columns through ``aliases``; a missing one is named as exports write it."""
    header = [c for c in raw.columns if c != "source_row"]
    cols = match_columns(header, aliases)
    _require(cols, aliases, needed, path, header, fmt)
    return cols


def _require(
    cols: Mapping[str, str],
    aliases: Mapping[str, Sequence[str]],
    needed: Sequence[str],
    path: Path,
    header: Sequence[str],
    fmt: str,
) -> None:
    missing = [k for k in needed if k not in cols]
    if not missing:
        return
    names = [repr(aliases[k][0]) if k in aliases else repr(k) for k in missing]
    also = [
        f"{aliases[k][0]!r} (or {', '.join(repr(a) for a in aliases[k][1:])})"
        for k in missing
        if k in aliases and len(aliases[k]) > 1
    ]
    raise RoiInputError(
        f"missing column(s) {', '.join(names)}, which every {fmt} has; the header has: "
        + ", ".join(repr(c) for c in header if c != "source_row"),
        path=path,
        column=aliases[missing[0]][0] if missing[0] in aliases else missing[0],
        expected="; ".join(also) if also else None,
        hint="Check that this is the right export, and that the file was not re-saved "
        "with other column names.",
    )


def _utc_times(
    values: pd.Series,
    fmt: str,
    report: CleaningReport,
    path: Path,
    rows: pd.Series,
    column: str,
) -> pd.Series:
    """Timestamps written with their UTC offset, parsed in C (pyarrow), as UTC microseconds."""
    if pd.api.types.is_datetime64_any_dtype(values):
        out = values if values.dt.tz is not None else values.dt.tz_localize("UTC")
        return out.dt.tz_convert("UTC").dt.as_unit("us")
    text = values.astype("str")
    parsed = pc.strptime(pa.array(text), format=fmt, unit="s", error_is_null=True)
    out = pd.Series(parsed.to_pandas(), index=values.index).dt.as_unit("us")
    todo = out.isna() & text.notna() & text.str.strip().ne("")
    if todo.any():  # another writing of the time: let pandas try, one by one
        again = pd.to_datetime(text[todo], errors="coerce", utc=True, format="mixed")
        out.loc[todo] = again.dt.as_unit("us")
        bad = todo & out.isna()
        if bad.any():
            report.record(
                path,
                rows[bad],
                rule="unreadable date",
                action="coerced",
                column=column,
                original=values[bad],
                reason=f"not a time like {pd.Timestamp(0, tz='UTC').strftime(fmt)}: read as unknown",
            )
    return out


# -- the format -----------------------------------------------------------------------------
_COUNTS = [
    "engagements",
    "user profile clicks",
    "hashtag clicks",
    "detail expands",
    "permalink clicks",
    "app opens",
    "app installs",
    "follows",
    "email tweet",
    "dial phone",
    "media views",
    "media engagements",
]
_COUNTS += ["promoted " + c for c in [*_COUNTS, "impressions", "retweets", "replies", "likes"]]
_COUNTS += ["promoted url clicks"]
_RATES = ["engagement rate", "promoted engagement rate"]


def sniff(path: Path, head: str) -> bool:
    """True when the header is a tweet_activity_metrics one (``Tweet id``, ``Tweet permalink``, ``time``).

    Parameters
    ----------
    path
        The file (its name is not looked at).
    head
        The file's first 64 KiB, decoded.

    Returns
    -------
    bool

    Examples
    --------
    >>> sniff(Path("any.csv"), '"Tweet id","Tweet permalink","Tweet text","time"\\n')
    True
    >>> sniff(Path("tweet_activity_metrics.csv"), "Post id,Date,Post text\\n")
    False
    """
    return _header(head, _MARKERS, lines=2) is not None


def exported_at(path: Path) -> pd.Timestamp | None:
    """The export's end date, from its name (``..._20190101_20190201_en.csv`` -> 2019-02-01).

    Returns
    -------
    Timestamp or None
        A naive calendar date, or None when the name carries no dates.

    Examples
    --------
    >>> exported_at(Path("tweet_activity_metrics_rOpenSci_20190101_20190201_en.csv"))
    Timestamp('2019-02-01 00:00:00')
    """
    return _dates_in_name(path)


def read(
    path: Path,
    report: CleaningReport,
    *,
    account: str | None = None,
    **_: object,
) -> pd.DataFrame:
    """Read a tweet_activity_metrics export into the posts table (not yet validated).

    Does not modify the file or any input. See the module docstring for the column map.

    Parameters
    ----------
    path
        The CSV export.
    report
        Receives rows with the wrong number of fields (set aside), unreadable numbers and
        times (coerced to unknown), ids taken from the permalink, and assumptions.
    account
        Used only for rows whose permalink names no account; then the file name's
        ``tweet_activity_metrics_<account>_...`` part is the last resort.

    Returns
    -------
    DataFrame
        ``post_id`` (text, all digits kept), ``platform`` ("x"), ``account``,
        ``published_at`` (UTC), ``text``, ``url``, ``impressions``, ``likes``,
        ``comments`` (replies), ``shares`` (retweets), ``clicks`` (url clicks), ``paid``
        (promoted), the ``x_...`` extras (see module docstring) and ``source_row``.

    Raises
    ------
    RoiInputError
        Empty or truncated file, fields not separated by commas, or a missing column
        (the message names the file and lists the header it saw).

    Examples
    --------
    >>> import tempfile
    >>> from roi_helpers import CleaningReport
    >>> path = Path(tempfile.mkdtemp()) / "tweets.csv"
    >>> _ = path.write_text(
    ...     '"Tweet id","Tweet permalink","Tweet text","time","impressions","retweets",'
    ...     '"replies","likes"\\n"1091117122825084928","https://twitter.com/acme/status/'
    ...     '1091117122825084928","hi","2019-01-31 23:32 +0000","2633.0","5.0","0.0","7.0"\\n')
    >>> posts = read(path, CleaningReport())
    >>> posts[["post_id", "account", "likes", "shares"]].values.tolist()
    [['1091117122825084928', 'acme', 7, 5]]
    >>> str(posts["published_at"].iloc[0])
    '2019-01-31 23:32:00+00:00'
    """
    path = Path(path)
    raw = _read(
        path,
        report,
        _MARKERS,
        "X tweet_activity_metrics export",
        string_columns=["Tweet id", "Tweet ID", "Tweet permalink", "Tweet text", "time"],
    )
    cols = _check_columns(raw, _ALIASES, _NEEDED, path, "X tweet_activity_metrics export")
    rows = raw["source_row"]
    url = raw[cols["url"]].astype("str") if "url" in cols else None

    post_id = raw[cols["post_id"]].astype("str").str.strip()
    mangled = post_id.notna() & ~post_id.str.isdigit().fillna(False).astype(bool)
    if mangled.any() and url is not None:
        # a spreadsheet writes 1.09112E+18: the permalink still holds every digit
        from_link = url[mangled].str.extract(r"/status/(\d+)", expand=False)
        ok = from_link.notna()
        report.record(
            path,
            rows[mangled][ok],
            rule="id from permalink",
            action="coerced",
            column=cols["post_id"],
            original=post_id[mangled][ok],
            value=from_link[ok],
            reason="the tweet id is not all digits (re-saved by a spreadsheet?): taken from the permalink",
        )
        post_id = post_id.where(~mangled, from_link)

    links = _account_from_links(url) if url is not None else pd.Series(np.nan, index=raw.index)
    who = _account(
        links.astype("str"),
        account,
        _name_account(path),
        report,
        path,
        "account in its permalink",
    )
    out: dict[str, pd.Series] = {
        "post_id": post_id,
        "platform": pd.Series("x", index=raw.index, dtype="str"),
        "account": who,
        "published_at": _utc_times(
            raw[cols["published_at"]], _TIME_FORMAT, report, path, rows, cols["published_at"]
        ),
        "text": raw[cols["text"]].astype("str") if "text" in cols else None,
        "url": url,
    }
    for key in ("impressions", "likes", "comments", "shares", "clicks"):
        if key in cols:
            out[key] = _counts(raw, cols[key], report, path, rows)
    extras = _extras(raw, cols.values(), report, path, rows, "x_", counts=_COUNTS, rates=_RATES)
    promoted = extras.get("x_promoted_impressions")
    if promoted is not None:
        out["paid"] = pd.Series((promoted.fillna(0) > 0).to_numpy(), index=raw.index).astype(
            "boolean"
        )
    out.update(extras)
    out["source_row"] = rows
    return pd.DataFrame({k: v for k, v in out.items() if v is not None}, copy=False)


def _name_account(path: Path) -> str | None:
    found = re.match(r"tweet_activity_metrics_(.+?)_\d{8}_\d{8}", Path(path).name)
    return found.group(1) if found else None
