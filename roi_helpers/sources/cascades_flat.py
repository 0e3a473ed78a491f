"""Flat retweet time series with follower counts (``time,magnitude,user_id``).

The layout of the SMH cascades of Rizoiu et al. (2018) and of the Hawkes-process cascade
tools that follow them: one file per cascade, one retweet a row, the first row the original
post::

    time,magnitude,user_id
    0,6936,384
    62,1673,664

``time`` is seconds since the original post, ``magnitude`` the user's follower count.
There are no parent pointers: every retweet is attributed to the root.

How the file becomes events, one event per row (rows read = rows):

- the first row is the original post: ``action="post"`` by its author;
- every other row is ``action="share"`` with ``parent_user_id`` ``<NA>`` (from the
  original post, as the file says; inferring a deeper tree is
  :mod:`roi_helpers.virality`'s job);
- ``user_followers`` is ``magnitude``; ``author_id`` the first row's user;
- ``occurred_at`` = origin + ``time`` seconds, the origin being 1970-01-01 UTC unless an
  ``origin=`` option gives the post's real time (said in the report);
- ``post_id`` is the file name without extension (``SMH-cascade-3``), ``platform`` is
  ``"x"`` (the SMH cascades are Twitter's) unless ``platform=`` says otherwise.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import schema
from ..clean import CleaningReport
from ..errors import RoiInputError
from ..parsing import parse_counts
from ._common import first_lines, read_csv

__all__ = ["DESCRIPTION", "HEADER", "KIND", "NAME", "PRIORITY", "read", "sniff"]

NAME = "cascades_flat"
KIND = "events"
DESCRIPTION = "flat retweet cascade (time,magnitude,user_id; first row the original post)"
PRIORITY = 40
#: A cascade is named by its file: ``load_dir`` keeps two folders' same-named files apart.
LOCAL_POST_IDS = True

#: The exact header of the layout.
HEADER = ["time", "magnitude", "user_id"]


def sniff(path: Path, head: str) -> bool:
    """True when the first line is exactly ``time,magnitude,user_id``.

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
    >>> sniff(Path("c.csv"), "time,magnitude,user_id\\n0,991,419\\n")
    True
    >>> sniff(Path("c.csv"), "time,magnitude\\n0,991\\n")
    False
    """
    lines = first_lines(head, 1)
    return bool(lines) and [c.strip() for c in lines[0].split(",")] == HEADER


def read(
    path: Path,
    report: CleaningReport,
    *,
    origin: str | pd.Timestamp | None = None,
    tz: str | None = None,
    post_id: str | None = None,
    platform: str = "x",
    **_: object,
) -> pd.DataFrame:
    """Read a flat cascade file into the events table, one event per row.

    Does not modify the file; mutates nothing but ``report``.

    Parameters
    ----------
    path
        The cascade file.
    report
        Receives the time origin (a note), unreadable times and follower counts, rows
        earlier than the original post (flagged), and rows set aside by the CSV reader.
    origin
        When the original post was published (anything :class:`pandas.Timestamp` reads);
        default 1970-01-01 UTC, so that times are offsets. A naive origin is read in
        ``tz`` (default UTC).
    tz
        Time zone of a naive ``origin``.
    post_id
        The cascade's id; default: the file name without its extension.
    platform
        One of :data:`roi_helpers.schema.PLATFORMS`; default ``"x"``.

    Returns
    -------
    DataFrame
        The events table: ``post_id``, ``platform``, ``user_id``, ``action`` (``"post"``
        on the first row, ``"share"`` after), ``occurred_at`` (origin + time, UTC),
        ``parent_user_id`` (always ``<NA>``: the file gives no parents), ``author_id``
        (the first row's user), ``user_followers`` (magnitude, Int64), ``seconds``
        (``time`` as written), ``parents_recorded`` (False: the layout records no
        parents, so a cascade's shape is unknown, not flat) and ``source_row``.

    Raises
    ------
    RoiInputError
        An empty file or one with only its header; a header other than
        ``time,magnitude,user_id``; an ``origin`` that is not a time; an unknown platform.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "SMH-cascade-0.csv"
    >>> _ = p.write_text("time,magnitude,user_id\\n0,991,419\\n75,120,77\\n")
    >>> ev = read(p, CleaningReport(), origin="2024-05-01 09:00")
    >>> ev[["post_id", "user_id", "action", "author_id"]].values.tolist()
    [['SMH-cascade-0', '419', 'post', '419'], ['SMH-cascade-0', '77', 'share', '419']]
    >>> ev["user_followers"].tolist(), ev["occurred_at"].dt.strftime("%H:%M:%S").tolist()
    ([991, 120], ['09:00:00', '09:01:15'])
    """
    path = Path(path)
    if platform not in schema.PLATFORMS:
        raise RoiInputError(
            f"platform={platform!r} is not a platform the kit knows",
            path=path,
            expected="one of " + ", ".join(schema.PLATFORMS),
        )
    raw = read_csv(path, report, all_strings=True)
    names = [c for c in raw.columns if c != "source_row"]
    if names != HEADER:
        raise RoiInputError(
            f"the header is {','.join(names)!r}",
            path=path,
            rows=[1],
            expected="exactly time,magnitude,user_id",
            hint="Is this a flat retweet cascade file?",
        )
    if raw.empty:
        raise RoiInputError(
            "holds a header but no rows",
            path=path,
            expected="at least the original post on row 2",
        )
    rows = raw["source_row"]
    seconds = pd.to_numeric(raw["time"], errors="coerce")
    bad = seconds.isna()
    if bad.any():
        report.record(
            path,
            rows[bad],
            rule="unreadable time",
            action="coerced",
            column="time",
            original=raw.loc[bad, "time"],
            reason="not a number of seconds: the time is unknown",
        )
    followers = parse_counts(
        raw["magnitude"], report=report, file=path, rows=rows, column="magnitude"
    )
    start = _origin(origin, tz, path, report)
    offset = pd.to_timedelta(np.round(seconds.to_numpy(dtype="float64") * 1e6), unit="us")
    user = raw["user_id"].str.strip()
    first = np.arange(len(raw)) == 0
    out = pd.DataFrame(
        {
            "post_id": post_id if post_id is not None else path.stem,
            "platform": platform,
            "user_id": user.to_numpy(),
            "action": np.where(first, "post", "share"),
            "occurred_at": pd.DatetimeIndex(start + offset).as_unit("us"),
            "parent_user_id": pd.Series(pd.NA, index=raw.index, dtype="str").to_numpy(),
            "author_id": user.iloc[0],
            "user_followers": followers.to_numpy(),
            "seconds": seconds.to_numpy(dtype="float64"),
            "source_row": rows.to_numpy(),
            # the layout has no parent pointers: who reshared from whom is not recorded
            "parents_recorded": pd.array(np.zeros(len(raw), dtype=bool), dtype="boolean"),
        }
    ).astype({"user_id": "str", "parent_user_id": "str", "author_id": "str"})
    early = seconds < seconds.iloc[0]
    if early.any():
        report.record(
            path,
            rows[early],
            rule="share before post",
            action="flagged",
            column="time",
            original=raw.loc[early, "time"],
            reason="earlier than the first row, which is taken as the original post",
        )
    report.note(
        path,
        rule="shares attributed to the root",
        reason="the file gives no parents: every share is recorded as coming from the "
        "original post (parent_user_id empty); virality may infer a deeper tree",
    )
    return out


def _origin(
    origin: str | pd.Timestamp | None, tz: str | None, path: Path, report: CleaningReport
) -> pd.Timestamp:
    if origin is None:
        report.note(
            path,
            rule="time origin assumed",
            reason="time is seconds since the original post: occurred_at counts from "
            "1970-01-01 00:00 UTC (pass origin='2024-05-01 09:00' to load() for real times)",
        )
        return pd.Timestamp(0, unit="s", tz="UTC")
    try:
        start = pd.Timestamp(origin)
    except (ValueError, TypeError):
        raise RoiInputError(
            f"origin={origin!r} is not a date and time",
            path=path,
            expected="a time such as '2024-05-01 09:00' or a pandas Timestamp",
        ) from None
    if start.tzinfo is None:  # a clock change resolved as loaders do (sources._common.to_utc)
        local = start
        start = local.tz_localize(tz or "UTC", ambiguous=True, nonexistent="shift_forward")
        other = local.tz_localize(tz or "UTC", ambiguous=False, nonexistent="shift_forward")
        if start != other or start.tz_localize(None) != local:
            report.note(
                path,
                rule="ambiguous local time" if start != other else "local time that does not exist",
                action="coerced",
                reason=f"origin {local} "
                + (
                    f"happened twice in {tz} (the clocks went back): read as the first of the two"
                    if start != other
                    else f"does not exist in {tz}: moved to the first time after the gap"
                ),
            )
    start = start.tz_convert("UTC")
    report.note(
        path,
        rule="time origin given",
        reason=f"occurred_at = origin {start.isoformat()} + time seconds",
    )
    return start
