"""X's newer per-post export: ``<account>_account_analytics_content_<start>_<end>.csv``.

X (analytics.x.com, "Export data" on the Content tab) has written this file with several
headers over time. One version has ``Post id, Date, Post text, Link, Impressions, Likes,
Engagements, Bookmarks, Share, New follows, Replies, Reposts, Profile visits, Detail
expands, Url clicks, Hashtag clicks, Permalink clicks`` and dates like ``Mon Feb 10 2025``;
others write ``Post Link``, ``Shares``, ``URL Clicks``, ``Detail Expands`` and dates like
``"Thu, Apr 23, 2026"``. Names are matched case- and punctuation-blind through aliases.

How X's columns map to the posts table:

=========================  ====================================================
X column                   posts column
=========================  ====================================================
``Post id``                ``post_id`` (text, every digit kept)
``Link`` / ``Post Link``   ``url``; ``account`` is its ``x.com/<account>``
``Post text``              ``text``
``Date``                   ``published_at``: that day at 00:00 in ``tz`` (UTC);
                           ``time_known`` is False
``Impressions``            ``impressions``
``Likes``                  ``likes``
``Replies``                ``comments``
``Reposts``                ``shares`` (a repost is X's share to followers)
``Bookmarks``              ``saves``
``Url clicks``             ``clicks``
``Video views``            ``video_views`` (where exported)
=========================  ====================================================

Every other column is kept in snake case with an ``x_`` prefix: ``x_shares`` (X's own
``Share``/``Shares``: sends by message or copied link, *not* reposts), ``x_engagements``,
``x_new_follows``, ``x_profile_visits``, ``x_detail_expands``, ``x_hashtag_clicks``,
``x_permalink_clicks``, ``x_media_views``, ``x_media_engagements``...
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..clean import CleaningReport
from ._common import (  # shared by the X, Instagram and LinkedIn readers
    account_from_links as _account_from_links,
)
from ._common import (
    check_columns as _check_columns,
)
from ._common import (
    dates_in_name as _dates_in_name,
)
from ._common import (
    extras as _extras,
)
from ._common import (
    fill_account as _account,
)
from ._common import (
    find_header as _header,
)
from ._common import (
    first_lines,
    norm,
    parse_dates,
    parse_header,
    to_utc,
)
from ._common import (
    read_counts as _counts,
)
from ._common import (
    read_export as _read,
)

__all__ = ["DESCRIPTION", "KIND", "NAME", "exported_at", "read", "sniff"]

NAME = "x_account_analytics"
KIND = "posts"
DESCRIPTION = "X account_analytics_content CSV (per-post export, every header version)"

_ALIASES = {
    "post_id": ["Post id", "Post ID", "Tweet id"],
    "published_at": ["Date", "Post date", "Time"],
    "text": ["Post text", "Text"],
    "url": ["Post Link", "Link", "Permalink", "Post URL"],
    "impressions": ["Impressions"],
    "likes": ["Likes"],
    "comments": ["Replies"],
    "shares": ["Reposts", "Retweets"],
    "saves": ["Bookmarks"],
    "clicks": ["URL Clicks", "Url clicks", "Link clicks"],
    "video_views": ["Video views"],
    "x_shares": ["Shares", "Share"],
}
_NEEDED = ["post_id", "published_at", "impressions"]
_OPTIONAL = ["likes", "comments", "shares"]
_MARKERS = {"post id", "date", "impressions"}
#: X writes one of these; the ISO form is what a re-export through pandas gives.
DATE_FORMATS = ("%a %b %d %Y", "%a, %b %d, %Y", "%b %d, %Y", "%Y-%m-%d")
_COUNTS = [
    "engagements",
    "new follows",
    "profile visits",
    "detail expands",
    "hashtag clicks",
    "permalink clicks",
    "media views",
    "media engagements",
    "app opens",
    "app installs",
    "follows",
    "email tweet",
    "dial phone",
    "user profile clicks",
]
_RATES = ["engagement rate"]


def _is_content(head: str) -> bool:
    found = _header(head, _MARKERS, lines=2)
    if found is None:
        return False
    names = {norm(c) for c in parse_header(first_lines(head, found[0])[-1], found[1])}
    # X's own words, so that another platform's "Post id, Date, Impressions" is not claimed
    return bool(names & {"reposts", "replies", "bookmarks", "url clicks", "post link", "link"})


def sniff(path: Path, head: str) -> bool:
    """True for an account_analytics_content header (``Post id``, ``Date``, ``Impressions``
    and X's own words such as ``Reposts`` or ``Bookmarks``).

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
    >>> sniff(Path("a.csv"), "Post id,Date,Post text,Post Link,Impressions,Likes,Reposts\\n")
    True
    >>> sniff(Path("a.csv"), "Date,Impressions,Likes,New follows,Unfollows\\n")
    False
    """
    return _is_content(head)


def exported_at(path: Path) -> pd.Timestamp | None:
    """The export's end date, from its name (``..._20241114_20250212.csv`` -> 2025-02-12).

    X names the files ``account_analytics_content_<start>_<end>.csv``, with the dates as
    ``YYYYMMDD`` or ``YYYY-MM-DD``.

    Returns
    -------
    Timestamp or None
        A naive calendar date, or None when the name carries no dates.

    Examples
    --------
    >>> exported_at(Path("acme_account_analytics_content_2026-04-27_2026-07-25.csv"))
    Timestamp('2026-07-25 00:00:00')
    """
    return _dates_in_name(path)


def _name_account(path: Path) -> str | None:
    found = re.match(r"(.+?)_account_analytics_content", Path(path).name)
    return found.group(1) if found else None


def read(
    path: Path,
    report: CleaningReport,
    *,
    tz: str | None = None,
    account: str | None = None,
    **_: object,
) -> pd.DataFrame:
    """Read an account_analytics_content export into the posts table (not yet validated).

    Does not modify the file or any input. See the module docstring for the column map.

    Parameters
    ----------
    path
        The CSV export.
    report
        Receives rows set aside (wrong number of fields), unreadable numbers and dates,
        the time-zone assumption and the fact that dates carry no time.
    tz
        Time zone of the dates (X writes days, not times): ``published_at`` is that day at
        00:00 there, in UTC. Default UTC.
    account
        Used only for rows whose link names no account; then the file name's
        ``<account>_account_analytics_content_...`` prefix.

    Returns
    -------
    DataFrame
        ``post_id``, ``platform`` ("x"), ``account``, ``published_at`` (UTC), ``text``,
        ``url``, ``impressions``, ``likes``, ``comments`` (replies), ``shares`` (reposts),
        ``saves`` (bookmarks), ``clicks`` (URL clicks), the ``x_...`` extras
        (``x_shares``: X's "Share" column) and ``source_row``. Counts a header lacks are
        ``<NA>`` (said in the report).

    Raises
    ------
    RoiInputError
        Empty or truncated file, fields not separated by commas, or no ``Post id``,
        ``Date`` or ``Impressions`` column (the message names the file and lists the header).

    Examples
    --------
    >>> import tempfile
    >>> from roi_helpers import CleaningReport
    >>> path = Path(tempfile.mkdtemp()) / "acme_account_analytics_content_20250101_20250301.csv"
    >>> _ = path.write_text(
    ...     "Post id,Date,Post text,Post Link,Impressions,Likes,Shares,Replies,Reposts\\n"
    ...     '1888959709614682283,"Thu, Apr 23, 2026",hi,https://x.com/acme/status/1888959709614682283,'
    ...     "104,7,2,0,1\\n")
    >>> posts = read(path, CleaningReport())
    >>> posts[["post_id", "account", "shares", "x_shares"]].values.tolist()
    [['1888959709614682283', 'acme', 1, 2]]
    >>> str(posts["published_at"].iloc[0])
    '2026-04-23 00:00:00+00:00'
    """
    path = Path(path)
    raw = _read(
        path,
        report,
        _MARKERS,
        "X account_analytics_content export",
        string_columns=["Post id", "Post ID", "Tweet id", "Post text", "Text", "Date"],
    )
    cols = _check_columns(raw, _ALIASES, _NEEDED, path, "X account_analytics_content export")
    rows = raw["source_row"]
    absent = [k for k in _OPTIONAL if k not in cols]
    if absent:
        report.note(
            path,
            rule="column not exported",
            reason=f"no column for {', '.join(absent)}: unknown (<NA>) for every post",
        )
    url = raw[cols["url"]].astype("str") if "url" in cols else None
    links = _account_from_links(url) if url is not None else pd.Series(np.nan, index=raw.index)
    who = _account(links.astype("str"), account, _name_account(path), report, path, "link")

    date_col = cols["published_at"]
    day = parse_dates(
        raw[date_col], DATE_FORMATS, report=report, path=path, column=date_col, rows=rows
    )
    report.note(
        path,
        rule="date without time",
        reason=f"{date_col!r} gives the day, not the time: published_at is 00:00 that day",
    )
    out: dict[str, pd.Series | None] = {
        "post_id": raw[cols["post_id"]].astype("str").str.strip(),
        "platform": pd.Series("x", index=raw.index, dtype="str"),
        "account": who,
        "published_at": to_utc(day, tz, report=report, path=path, column=date_col, rows=rows),
        "time_known": pd.Series(False, index=raw.index, dtype="boolean"),
        "text": raw[cols["text"]].astype("str") if "text" in cols else None,
        "url": url,
    }
    for key in ("impressions", "likes", "comments", "shares", "saves", "clicks", "video_views"):
        if key in cols:
            out[key] = _counts(raw, cols[key], report, path, rows)
        elif key in _OPTIONAL:
            out[key] = pd.Series(pd.NA, index=raw.index, dtype="Int64")
    if "x_shares" in cols:
        out["x_shares"] = _counts(raw, cols["x_shares"], report, path, rows)
    used = list(cols.values())
    out.update(_extras(raw, used, report, path, rows, "x_", counts=_COUNTS, rates=_RATES))
    out["source_row"] = rows
    return pd.DataFrame({k: v for k, v in out.items() if v is not None}, copy=False)
