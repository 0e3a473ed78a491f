"""X's daily account export: ``<account>_account_overview_analytics.csv``.

One row per day (newest first) with ``Date`` like ``"Tue, Feb 11, 2025"`` and the day's
``Impressions, Likes, Engagements, Bookmarks, Shares, New follows, Unfollows, Replies,
Reposts, Profile visits, Create Post, Video views, Media views``.

It gives follower *changes*, never the follower total, so it becomes the followers table
with ``followers`` unknown (``<NA>``), ``new_followers`` from ``New follows`` and
``lost_followers`` from ``Unfollows``. The other daily columns are kept in snake case with
an ``x_`` prefix (``x_impressions``, ``x_likes``, ``x_engagements``, ``x_bookmarks``,
``x_shares``, ``x_replies``, ``x_reposts``, ``x_profile_visits``, ``x_create_post``,
``x_video_views``, ``x_media_views``), as counts.

The account is not in the file: pass ``account=``, or it is the file name's prefix
(``TopDomainClub_account_overview_analytics.csv`` is TopDomainClub's).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..clean import CleaningReport
from ..errors import RoiInputError
from ._common import (  # shared by the X, Instagram and LinkedIn readers
    check_columns as _check_columns,
)
from ._common import (
    extras as _extras,
)
from ._common import (
    find_header as _header,
)
from ._common import (
    first_lines,
    norm,
    parse_dates,
    parse_header,
)
from ._common import (
    read_counts as _counts,
)
from ._common import (
    read_export as _read,
)
from .x_account_analytics import DATE_FORMATS

__all__ = ["DESCRIPTION", "KIND", "NAME", "exported_at", "read", "sniff"]

NAME = "x_account_overview"
KIND = "followers"
DESCRIPTION = "X account_overview_analytics CSV (daily totals and follows/unfollows)"

_ALIASES = {
    "date": ["Date"],
    "new_followers": ["New follows", "New followers", "Follows"],
    "lost_followers": ["Unfollows", "Lost followers"],
}
_NEEDED = ["date", "new_followers", "lost_followers"]
_MARKERS = {"date", "new follows", "unfollows"}


def sniff(path: Path, head: str) -> bool:
    """True for a daily account overview header (``Date``, ``New follows``, ``Unfollows``,
    and no ``Post id``).

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
    >>> sniff(Path("a.csv"), "Date,Impressions,Likes,New follows,Unfollows,Replies\\n")
    True
    >>> sniff(Path("a.csv"), "Post id,Date,Impressions,New follows,Unfollows\\n")
    False
    """
    found = _header(head, _MARKERS, lines=2)
    if found is None:
        return False
    names = {norm(c) for c in parse_header(first_lines(head, found[0])[-1], found[1])}
    return "post id" not in names and "tweet id" not in names


def _name_account(path: Path) -> str | None:
    found = re.match(r"(.+?)_account_overview_analytics", Path(path).name)
    return found.group(1) if found else None


def exported_at(path: Path) -> pd.Timestamp | None:
    """The last day the export covers (it was made that day or later); None if unreadable.

    X does not date this file's name, so the latest ``Date`` in it stands in: of two
    overlapping exports, the one reaching further is the later one.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "acme_account_overview_analytics.csv"
    >>> _ = path.write_text('Date,New follows,Unfollows\\n"Tue, Feb 11, 2025",1,0\\n"Mon, Feb 10, 2025",0,0\\n')
    >>> exported_at(path)
    Timestamp('2025-02-11 00:00:00')
    """
    try:
        days = read(path, CleaningReport())["date"]
    except (RoiInputError, OSError, ValueError):
        return None
    last = days.max()
    return None if pd.isna(last) else pd.Timestamp(last)


def read(
    path: Path,
    report: CleaningReport,
    *,
    account: str | None = None,
    **_: object,
) -> pd.DataFrame:
    """Read an account_overview_analytics export into the followers table (not yet validated).

    Does not modify the file or any input.

    Parameters
    ----------
    path
        The CSV export.
    report
        Receives rows set aside (wrong number of fields), unreadable numbers and dates,
        and where the account and follower total came from.
    account
        Whose account it is; default: the file name's ``<account>_account_overview...``
        prefix, else the folder's name.

    Returns
    -------
    DataFrame
        ``account``, ``platform`` ("x"), ``date`` (the calendar day), ``followers``
        (``<NA>``: the export gives only changes), ``new_followers`` (New follows),
        ``lost_followers`` (Unfollows), the ``x_...`` daily extras and ``source_row``.

    Raises
    ------
    RoiInputError
        Empty or truncated file, fields not separated by commas, or no ``Date``,
        ``New follows`` or ``Unfollows`` column (the message lists the header seen).

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "acme_account_overview_analytics.csv"
    >>> _ = path.write_text('Date,Impressions,New follows,Unfollows\\n"Tue, Feb 11, 2025",9,2,1\\n')
    >>> table = read(path, CleaningReport())
    >>> table[["account", "new_followers", "lost_followers", "x_impressions"]].values.tolist()
    [['acme', 2, 1, 9]]
    >>> table["followers"].isna().all()
    np.True_
    """
    path = Path(path)
    raw = _read(
        path, report, _MARKERS, "X account_overview_analytics export", string_columns=["Date"]
    )
    cols = _check_columns(raw, _ALIASES, _NEEDED, path, "X account_overview_analytics export")
    rows = raw["source_row"]
    who = account or _name_account(path) or path.parent.name or path.stem
    if account is None:
        report.note(
            path,
            rule="account assumed",
            reason=f"the file does not name its account: read as {who!r} "
            "(from its name; pass account= to load() to set it)",
        )
    report.note(
        path,
        rule="followers unknown",
        reason="the export gives daily follows and unfollows, not the follower total: "
        "followers is <NA>",
    )
    day = parse_dates(
        raw[cols["date"]], DATE_FORMATS, report=report, path=path, column=cols["date"], rows=rows
    )
    extra_counts = [c for c in raw.columns if c not in cols.values() and c != "source_row"]
    out = {
        "account": pd.Series(who, index=raw.index, dtype="str"),
        "platform": pd.Series("x", index=raw.index, dtype="str"),
        "date": day,
        "followers": pd.Series(pd.NA, index=raw.index, dtype="Int64"),
        "new_followers": _counts(raw, cols["new_followers"], report, path, rows),
        "lost_followers": _counts(raw, cols["lost_followers"], report, path, rows),
    }
    out.update(_extras(raw, cols.values(), report, path, rows, "x_", counts=extra_counts))
    out["source_row"] = rows
    return pd.DataFrame(out, copy=False)
