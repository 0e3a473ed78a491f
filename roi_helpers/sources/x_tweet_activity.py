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

"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..clean import CleaningReport
from ._common import account_from_links as _account_from_links
from ._common import check_columns as _check_columns
from ._common import constant as _constant
from ._common import dates_in_name as _dates_in_name
from ._common import extras as _extras
from ._common import fill_account as _account
from ._common import find_header as _header
from ._common import read_counts as _counts
from ._common import read_export as _read
from ._common import utc_times as _utc_times

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


# Helpers shared with the other readers live in _common; the old names stay importable.
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
        dash_is_empty=True,  # '-' in the promoted columns: read as numbers, not text
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
        "platform": _constant("x", raw.index),
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
