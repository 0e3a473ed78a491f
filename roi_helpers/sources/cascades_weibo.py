"""Sina Weibo reshare cascades with full reshare paths (the DeepHawkes / CasFlow layout).

One cascade a line, tab-separated (CRLF line ends in the published files)::

    cascade_id <TAB> root_user <TAB> publish_unix_ts <TAB> n_retweets <TAB> adoptions

``adoptions`` is a space-separated list of ``u1/u2/.../un:seconds``: the whole reshare path
from the root user ``u1`` to the adopter ``un``, and the seconds since publication. The root's
own entry (``root:0``) is the original post. Adoptions are not sorted by time, and a few
paths repeat a user; both are kept as written.

How a line becomes events, one event per adoption (rows read = adoptions):

- a path of one user (``u1:0``) is the original post: ``action="post"`` by its author;
- every longer path is a reshare, ``action="share"`` by its last user, with
  ``parent_user_id`` the user before it, or ``<NA>`` when the path is ``root/adopter``
  (straight from the original post);
- ``post_id`` is ``cascade_id``, ``author_id`` is ``root_user``, ``platform`` is
  ``"other"`` (Weibo is not one of the kit's named platforms);
- ``occurred_at`` = ``publish_unix_ts`` + seconds, in UTC;
- ``path`` keeps the full reshare path, so deeper structure is never lost.

A line whose ``n_retweets`` differs from its number of adoptions, and a path that does not
start at ``root_user``, are flagged in the report (kept as written).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..clean import CleaningReport
from ..errors import RoiInputError

__all__ = ["DESCRIPTION", "KIND", "NAME", "PRIORITY", "read", "sniff"]

NAME = "cascades_weibo"
KIND = "events"
DESCRIPTION = (
    "Weibo reshare cascades (tab-separated: id, root user, time, count, u1/u2:seconds paths)"
)
PRIORITY = 40
#: Cascade ids are the file's own numbering: ``load_dir`` keeps two files' ids apart.
LOCAL_POST_IDS = True

_FIELDS = ["cascade_id", "root_user", "publish_unix_ts", "n_retweets", "adoptions"]
_ADOPTION = r"^(?P<path>[^\s:/]+(?:/[^\s:/]+)*):(?P<seconds>[+-]?\d+(?:\.\d+)?)$"
_FORM = "u1/u2/.../un:seconds"
_LINE = re.compile(r"^\s*\d+\t[^\t]+\t\d+(?:\.\d+)?\t\d+\t\S+:\d+")


def sniff(path: Path, head: str) -> bool:
    """True when the first non-blank line is five tab-separated fields ending in paths.

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
    >>> sniff(Path("dataset.txt"), "14709\\t1\\t1464739201\\t2\\t1:0 1/850430:481\\r\\n")
    True
    >>> sniff(Path("dataset.txt"), "a\\tb\\tc\\td\\te\\n")
    False
    """
    line = next((ln for ln in head.splitlines() if ln.strip()), "")
    if line.count("\t") != 4 or not _LINE.match(line):
        return False
    first = line.split("\t")[4].split(" ", 1)[0]
    return re.match(_ADOPTION, first) is not None


def _lines(path: Path) -> pd.Series:
    raw = path.read_bytes()
    if not raw.strip():
        raise RoiInputError(
            "the file is empty",
            path=path,
            expected="one cascade a line: " + ", ".join(_FIELDS) + " (tab-separated)",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RoiInputError(
            "holds bytes that are not UTF-8",
            path=path,
            rows=[raw[: exc.start].count(b"\n") + 1],
            expected="a UTF-8 text file",
        ) from None
    return pd.Series(text.splitlines(), dtype="str")


def read(path: Path, report: CleaningReport, **_: object) -> pd.DataFrame:
    """Read a Weibo cascades file into the events table, one event per adoption.

    Does not modify the file; mutates nothing but ``report``.

    Parameters
    ----------
    path
        The tab-separated cascades file (``dataset.txt``).
    report
        Receives a note on lines and adoptions read, flags for lines whose
        ``n_retweets`` disagrees with their adoptions, paths not starting at the root user,
        paths that repeat a user, and cascades without their root entry.

    Returns
    -------
    DataFrame
        The events table: ``post_id`` (cascade_id), ``platform`` (``"other"``),
        ``user_id`` (the path's last user), ``action`` (``"post"`` for the root's own
        entry, ``"share"`` otherwise), ``occurred_at`` (publication + seconds, UTC),
        ``parent_user_id`` (the user before the adopter on the path; ``<NA>`` when the
        reshare came straight from the original post), ``author_id`` (root_user),
        ``path`` (the reshare path as written), ``seconds`` (as written),
        ``parents_recorded`` (True: each path names who the adopter reshared from) and
        ``source_row`` (the line number; a line holds many adoptions).

    Raises
    ------
    RoiInputError
        An empty file; a line without five tab-separated fields, with a publication time
        that is not a number, or with an adoption not written ``u1/.../un:seconds``
        (naming the line and the column).

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "dataset.txt"
    >>> _ = p.write_bytes(b"7\\t1\\t1464739201\\t3\\t1:0 1/5:60 1/5/9:90\\r\\n")
    >>> ev = read(p, CleaningReport())
    >>> ev[["user_id", "action", "author_id"]].values.tolist()
    [['1', 'post', '1'], ['5', 'share', '1'], ['9', 'share', '1']]
    >>> ev["parent_user_id"].fillna("(original post)").tolist()
    ['(original post)', '(original post)', '5']
    >>> ev["occurred_at"].dt.strftime("%H:%M:%S").tolist()
    ['00:00:01', '00:01:01', '00:01:31']
    """
    path = Path(path)
    lines = _lines(path)
    line_no = pd.Series(np.arange(1, len(lines) + 1, dtype="int64"), index=lines.index)
    blank = lines.str.strip() == ""
    n_blank = int(blank.sum())
    lines, line_no = lines[~blank], line_no[~blank]

    wrong = lines.str.count("\t") != 4
    if wrong.any():
        raise RoiInputError(
            f"{int(wrong.sum())} line(s) without five tab-separated fields "
            f"(first: {lines[wrong].iloc[0][:120]!r})",
            path=path,
            rows=line_no[wrong],
            expected="cascade_id, root_user, publish_unix_ts, n_retweets, adoptions, tab-separated",
            hint="Is this a Weibo cascades file, and is it complete?",
        )
    f = lines.str.split("\t", expand=True)
    f.columns = _FIELDS
    f = f.apply(lambda col: col.str.strip())
    again = f["cascade_id"].duplicated().to_numpy()
    if again.any():  # ids are unique in a file: a line reusing one is not merged into it
        new = f.loc[again, "cascade_id"] + "-line" + line_no[again].astype("str")
        report.record(
            path,
            line_no[again],
            rule="repeated cascade id",
            action="coerced",
            column="cascade_id",
            original=f.loc[again, "cascade_id"],
            value=new,
            reason="an earlier line has the same cascade_id: this line's cascade is kept "
            "apart as '<id>-line<n>' rather than merged into it",
        )
        f.loc[again, "cascade_id"] = new
    published = pd.to_numeric(f["publish_unix_ts"], errors="coerce")
    if published.isna().any():
        bad = published.isna()
        raise RoiInputError(
            f"publication time {f.loc[bad, 'publish_unix_ts'].iloc[0]!r} is not a number",
            path=path,
            rows=line_no[bad],
            column="publish_unix_ts",
            expected="seconds since 1970-01-01 UTC",
        )
    declared = pd.to_numeric(f["n_retweets"], errors="coerce")

    # one row per adoption, split and matched in C++ (pyarrow / RE2)
    lists = pc.utf8_split_whitespace(pa.array(f["adoptions"], type=pa.string()))
    owner = f.index.to_numpy()[pc.list_parent_indices(lists).to_numpy()]
    tokens = pc.list_flatten(lists)
    parts = pc.extract_regex(tokens, _ADOPTION)
    bad = parts.is_null().to_numpy(zero_copy_only=False)
    if bad.any():
        first = tokens.to_numpy(zero_copy_only=False)[bad][0]
        raise RoiInputError(
            f"{int(bad.sum())} adoption(s) not written {_FORM} (first: {first[:80]!r})",
            path=path,
            rows=line_no.loc[owner[bad]],
            column="adoptions",
            expected=f"space-separated {_FORM}",
        )
    hops = pc.count_substring(pc.struct_field(parts, "path"), "/").to_numpy()
    ad_path = pd.Series(pc.struct_field(parts, "path"), dtype="str")
    user = pd.Series(
        pc.struct_field(pc.extract_regex(pc.struct_field(parts, "path"), r"(?P<u>[^/]+)$"), "u"),
        dtype="str",
    )
    before = pd.Series(
        pc.struct_field(
            pc.extract_regex(pc.struct_field(parts, "path"), r"(?P<b>[^/]+)/[^/]+$"), "b"
        ),
        dtype="str",
    )
    root_user = f.loc[owner, "root_user"].to_numpy()
    seconds = pc.cast(pc.struct_field(parts, "seconds"), pa.float64()).to_numpy()
    when = pd.to_datetime(
        np.round((published.loc[owner].to_numpy() + seconds) * 1e6).astype("int64"),
        unit="us",
        utc=True,
    )
    rows = line_no.loc[owner].to_numpy()
    out = pd.DataFrame(
        {
            "post_id": f.loc[owner, "cascade_id"].to_numpy(),
            "platform": "other",
            "user_id": user,
            "action": np.where(hops == 0, "post", "share"),
            "occurred_at": when,
            "parent_user_id": before.where((hops > 1) | (before != root_user)),
            "author_id": root_user,
            "path": ad_path,
            "seconds": seconds,
            "source_row": pd.array(rows, dtype="Int64"),
            # each adoption's path names who it came from
            "parents_recorded": pd.array(np.ones(len(rows), dtype=bool), dtype="boolean"),
        }
    ).astype({c: "str" for c in ["post_id", "user_id", "parent_user_id", "author_id", "path"]})

    counts = pd.Series(owner).value_counts().reindex(f.index, fill_value=0)
    report.note(
        path,
        rule="lines and adoptions",
        reason=f"{len(f)} cascade lines hold {len(out)} adoptions, one event each"
        + (f"; {n_blank} blank line(s) held none" if n_blank else "")
        + "; occurred_at = publish_unix_ts + seconds, UTC",
    )
    _flag(report, path, f, line_no, declared, counts, out, root_user)
    return out


def _flag(
    report: CleaningReport,
    path: Path,
    f: pd.DataFrame,
    line_no: pd.Series,
    declared: pd.Series,
    counts: pd.Series,
    out: pd.DataFrame,
    root_user: np.ndarray,
) -> None:
    """Flag, without changing, lines and paths that do not add up."""
    differ = declared.ne(counts) | declared.isna()
    if differ.any():
        report.record(
            path,
            line_no[differ],
            rule="retweet count differs",
            action="flagged",
            column="n_retweets",
            original=f.loc[differ, "n_retweets"],
            value=counts[differ].astype(str),
            reason="n_retweets is not the number of adoptions on the line (value: the count)",
        )
    split = pc.split_pattern(pa.array(out["path"], type=pa.string()), "/")
    first = pc.list_element(split, 0).to_numpy(zero_copy_only=False)
    off_root = first != root_user
    if off_root.any():
        report.record(
            path,
            out.loc[off_root, "source_row"],
            rule="path not from root",
            action="flagged",
            column="adoptions",
            original=out.loc[off_root, "path"],
            reason="the reshare path does not start at root_user: kept as written",
        )
    pairs = pd.DataFrame(
        {
            "event": pc.list_parent_indices(split).to_numpy(),
            "user": pc.list_flatten(split).to_numpy(zero_copy_only=False),
        }
    )
    repeated = pairs.loc[pairs.duplicated(["event", "user"]), "event"].unique()
    repeats = out.index.isin(repeated)
    if repeats.any():
        report.record(
            path,
            out.loc[repeats, "source_row"],
            rule="path repeats a user",
            action="flagged",
            column="adoptions",
            original=out.loc[repeats, "path"],
            reason="a user appears twice on the reshare path: kept as written",
        )
    has_post = out.loc[out["action"] == "post", "post_id"].unique()
    missing = ~f["cascade_id"].isin(has_post)
    if missing.any():
        report.record(
            path,
            line_no[missing],
            rule="no root entry",
            action="flagged",
            column="adoptions",
            original=f.loc[missing, "cascade_id"],
            reason="no root_user:seconds entry, so the cascade has no post event",
        )
