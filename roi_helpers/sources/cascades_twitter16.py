"""Twitter15/16 propagation trees (Ma, Gao & Wong 2017): one ``tree/<tweet id>.txt`` per cascade.

Each line is one edge, ``parent->child``, each node written as a Python list
``['user id', 'tweet id', 'delay in minutes']``::

    ['ROOT', 'ROOT', '0.0']->['24165761', '498430783699554305', '0.0']
    ['24165761', '498430783699554305', '0.0']->['33164207', '498430783699554305', '0.3']

The ``ROOT`` line names the author of the source tweet (it is usually, not always, the
first line). Retweets reuse the source tweet's id, so a node is not its tweet id.

How the file becomes the events table, line by line (rows read = lines):

- the ``ROOT`` line is the original post: ``action="post"`` by the author, no parent;
- every other line is a reshare: ``action="share"`` by the child's user, with
  ``parent_user_id`` the parent's user, or ``<NA>`` when the parent is the original post
  (the author's node named by the ``ROOT`` line);
- ``post_id`` is the file's name (the source tweet id), ``platform`` is ``"x"``,
  ``author_id`` the author on every row;
- ``occurred_at`` is the source tweet's time, read from its snowflake id
  (``(id >> 22) + 1288834974657`` ms since the Unix epoch, UTC), plus the child's delay.

The file is read *faithfully*: duplicate edges, self-loops, nodes with two parents,
children earlier than their parents and negative delays all stay, one event per line,
exactly as written (each is flagged in the report). Repairing the structure is
:func:`roi_helpers.virality.build_cascades`'s job, not a reader's. Extra columns keep what
a node is made of, so every line can be rebuilt from its row: ``tweet_id`` and
``delay_minutes`` (the child node), ``parent_tweet_id`` and ``parent_delay_minutes`` (the
parent node; ``<NA>`` on the post row).

When a ``label.txt`` (lines ``label:source_tweet_id``) sits beside the ``tree`` folder, the
cascade's label (true, false, unverified, non-rumor) is joined as the column ``label``.
Lines are parsed with a regular expression, falling back to :func:`ast.literal_eval` (never
``eval``) for lines written in another Python list style.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..clean import CleaningReport
from ..errors import RoiInputError

__all__ = ["DESCRIPTION", "KIND", "NAME", "PRIORITY", "read", "snowflake_time", "sniff"]

NAME = "cascades_twitter16"
KIND = "events"
DESCRIPTION = "Twitter15/16 propagation tree (tree/<tweet id>.txt, one parent->child edge a line)"
PRIORITY = 40

#: Twitter's snowflake epoch (2010-11-04T01:42:54.657Z), in ms since the Unix epoch.
TWEPOCH_MS = 1288834974657
#: Tweet ids below this predate snowflake ids (sequential ids ended near 29.7 billion, Nov 2010).
_FIRST_SNOWFLAKE = 30_000_000_000

#: One edge line, for pyarrow's RE2 (named groups: the six node fields).
_EDGE = (
    r"^\s*\[\s*'(?P<p_user>[^']*)'\s*,\s*'(?P<p_tweet>[^']*)'\s*,\s*'(?P<p_delay>[^']*)'\s*\]"
    r"\s*->\s*"
    r"\[\s*'(?P<c_user>[^']*)'\s*,\s*'(?P<c_tweet>[^']*)'\s*,\s*'(?P<c_delay>[^']*)'\s*\]\s*$"
)
_EDGE_HEAD = re.compile(r"^\s*\[[^\]]*\]\s*->\s*\[[^\]]*\]\s*$")
_EDGE_FORM = "['user id', 'tweet id', 'delay minutes']->['user id', 'tweet id', 'delay minutes']"
_PARTS = ["p_user", "p_tweet", "p_delay", "c_user", "c_tweet", "c_delay"]


def sniff(path: Path, head: str) -> bool:
    """True when the first non-blank line is a ``[...]->[...]`` edge of three-item nodes.

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
    >>> sniff(Path("1.txt"), "['ROOT', 'ROOT', '0.0']->['7', '1', '0.0']\\n")
    True
    >>> sniff(Path("label.txt"), "false:656955120626880512\\n")
    False
    """
    line = next((ln for ln in head.splitlines() if ln.strip()), "")
    return bool(_EDGE_HEAD.match(line)) and _parse_node_pair(line) is not None


def snowflake_time(tweet_id: str | int) -> pd.Timestamp | None:
    """When a tweet was posted, read from its snowflake id; None for pre-snowflake ids.

    Parameters
    ----------
    tweet_id
        The tweet's id (decimal text or int).

    Returns
    -------
    Timestamp or None
        UTC, millisecond precision: ``(id >> 22) + 1288834974657`` ms since 1970-01-01.

    Examples
    --------
    >>> snowflake_time("498430783699554305")
    Timestamp('2014-08-10 11:28:53.887000+0000', tz='UTC')
    >>> snowflake_time(20) is None
    True
    """
    try:
        value = int(str(tweet_id).strip())
    except ValueError:
        return None
    if value < _FIRST_SNOWFLAKE:
        return None
    return pd.Timestamp((value >> 22) + TWEPOCH_MS, unit="ms", tz="UTC").as_unit("us")


def _parse_node_pair(line: str) -> tuple[str, ...] | None:
    """One edge line, parsed with ast.literal_eval: six strings, or None if it is not an edge."""
    if "->" not in line:
        return None
    left, _, right = line.strip().partition("->")
    nodes = []
    for side in (left, right):
        try:
            node = ast.literal_eval(side.strip())
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return None
        if not isinstance(node, list | tuple) or len(node) != 3:
            return None
        if not all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in node):
            return None
        nodes.extend(str(v).strip() for v in node)
    return tuple(nodes)


def _read_lines(path: Path) -> list[str]:
    raw = path.read_bytes()
    if not raw.strip():
        raise RoiInputError(
            "the file is empty",
            path=path,
            expected=f"one edge a line, {_EDGE_FORM}",
            hint="Each Twitter15/16 tree file holds at least its ROOT line.",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RoiInputError(
            "holds bytes that are not UTF-8",
            path=path,
            rows=[line],
            expected="a UTF-8 text file of edges",
            hint="Is this a Twitter15/16 tree file?",
        ) from None
    return text.splitlines()


def _edges(lines: list[str], path: Path) -> pd.DataFrame:
    """Every line split into the six node fields (vectorised; literal_eval for the odd line)."""
    arr = pa.array(lines, type=pa.string())
    found = pc.extract_regex(arr, _EDGE)  # RE2, in C++: one pass over every line
    parts = pd.DataFrame(
        {name: pd.Series(pc.struct_field(found, name), dtype="str") for name in _PARTS}
    )
    blank = pd.Series(pc.equal(pc.utf8_trim_whitespace(arr), "").to_numpy(zero_copy_only=False))
    odd = parts["p_user"].isna() & ~blank
    if odd.any():
        idx = odd[odd].index
        parsed = [_parse_node_pair(lines[i]) for i in idx]  # only lines the regex did not take
        bad = [i for i, p in zip(idx, parsed, strict=True) if p is None]
        if bad:
            first = lines[bad[0]]
            raise RoiInputError(
                f"{'this line is' if len(bad) == 1 else f'{len(bad)} lines are'} not an edge "
                f"(first: {first[:120]!r})",
                path=path,
                rows=[i + 1 for i in bad],
                expected=_EDGE_FORM,
                hint="Twitter15/16 tree files hold one parent->child edge a line; "
                "is this the right file, and is it complete?",
            )
        parts.loc[idx, _PARTS] = np.array(parsed, dtype=object)
    parts["line"] = np.arange(1, len(lines) + 1, dtype="int64")
    parts["blank"] = blank.to_numpy()
    return parts


def _labels(path: Path, label_file: str | Path | None) -> tuple[Path | None, dict[str, str]]:
    if label_file is None:
        guess = path.parent.parent / "label.txt"
        label_file = guess if path.parent.name == "tree" and guess.is_file() else None
    if label_file is None:
        return None, {}
    label_file = Path(label_file)
    found = {}
    for line in label_file.read_text(encoding="utf-8", errors="replace").splitlines():
        label, sep, tid = line.strip().partition(":")
        if sep and tid.strip():
            found[tid.strip()] = label.strip()
    return label_file, found


def read(
    path: Path,
    report: CleaningReport,
    *,
    label_file: str | Path | None = None,
    **_: object,
) -> pd.DataFrame:
    """Read one Twitter15/16 tree file into the events table, one event per line.

    Does not modify the file; mutates nothing but ``report``.

    Parameters
    ----------
    path
        ``tree/<source tweet id>.txt``.
    report
        Receives blank lines (set aside), flags for duplicate edges, self-loops, nodes
        with two parents, children earlier than their parent and negative delays (all
        kept), unreadable delays, and notes on the time origin and the label.
    label_file
        A ``label.txt`` (``label:source_tweet_id`` lines); default: ``../label.txt``
        beside the ``tree`` folder, when there is one.

    Returns
    -------
    DataFrame
        The events table: ``post_id`` (the source tweet id, from the file name),
        ``platform`` (``"x"``), ``user_id`` (the child node's user; the author on the post
        row), ``action`` (``"post"`` for the ROOT line, ``"share"`` otherwise),
        ``occurred_at`` (snowflake time of the source tweet + the child's delay, UTC),
        ``parent_user_id`` (the parent node's user, ``<NA>`` when it is the original post),
        ``author_id``, ``tweet_id``, ``delay_minutes``, ``parent_tweet_id``,
        ``parent_delay_minutes`` (the nodes as written), ``label`` (when known),
        ``parents_recorded`` (True: every edge names its parent, so a star tree is a
        broadcast) and ``source_row`` (the line number).

    Raises
    ------
    RoiInputError
        An empty file; a line that is not an edge (naming its line number); no ROOT
        line, or ROOT lines naming different authors.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "498430783699554305.txt"
    >>> _ = p.write_text(
    ...     "['7', '498430783699554305', '0.0']->['9', '498430783699554305', '1.5']\\n"
    ...     "['ROOT', 'ROOT', '0.0']->['7', '498430783699554305', '0.0']\\n"
    ... )
    >>> ev = read(p, CleaningReport())
    >>> ev[["user_id", "action", "author_id"]].values.tolist()
    [['9', 'share', '7'], ['7', 'post', '7']]
    >>> ev["parent_user_id"].isna().tolist()  # both came from the original post
    [True, True]
    >>> str(ev["occurred_at"].iloc[0])
    '2014-08-10 11:30:23.887000+00:00'
    """
    path = Path(path)
    lines = _read_lines(path)
    e = _edges(lines, path)
    blank = e["blank"].to_numpy()
    if blank.any():
        report.set_aside(
            path,
            pd.DataFrame({"source_row": e.loc[blank, "line"], "text": pd.Series(lines)[blank]}),
            rule="blank line",
            column="text",
            reason="an empty line holds no edge",
        )
    e = e[~blank].drop(columns="blank").reset_index(drop=True)
    is_root = e["p_user"].eq("ROOT") & e["p_tweet"].eq("ROOT")
    if not is_root.any():
        raise RoiInputError(
            "no ROOT line, so the author of the source tweet is unknown",
            path=path,
            expected="one line ['ROOT', 'ROOT', '0.0']->[author id, tweet id, '0.0']",
            hint="Is the file complete?",
        )
    roots = e[is_root]
    authors = roots["c_user"].unique()
    if len(authors) > 1:
        raise RoiInputError(
            f"ROOT lines name different authors ({', '.join(map(repr, authors[:5]))})",
            path=path,
            rows=roots["line"],
            expected="every ROOT line to name the same author",
        )
    author = str(authors[0])
    root_node = tuple(roots.iloc[0][["c_user", "c_tweet", "c_delay"]])
    post_id = path.stem

    # time: the source tweet's snowflake time + the child's delay
    delay = pd.to_numeric(e["c_delay"], errors="coerce")
    parent_delay = pd.to_numeric(e["p_delay"], errors="coerce")
    bad_delay = delay.isna()
    if bad_delay.any():
        report.record(
            path,
            e.loc[bad_delay, "line"],
            rule="unreadable delay",
            action="coerced",
            column="delay_minutes",
            original=e.loc[bad_delay, "c_delay"],
            reason="the child's delay is not a number of minutes: its time is unknown",
        )
    origin = snowflake_time(post_id)
    if origin is None:
        occurred = pd.Series(pd.NaT, index=e.index, dtype="datetime64[us, UTC]")
        report.note(
            path,
            rule="time unknown",
            reason=f"the file name {post_id!r} is not a snowflake tweet id, so the source "
            "tweet's time is unknown: occurred_at is empty; delays are kept in delay_minutes",
        )
    else:
        offset = pd.to_timedelta(np.round(delay.to_numpy() * 60e6), unit="us")
        occurred = pd.Series(origin + offset, index=e.index).dt.as_unit("us")
        report.note(
            path,
            rule="time from snowflake id",
            reason=f"occurred_at = the source tweet's time from its snowflake id "
            f"((id >> 22) + {TWEPOCH_MS} ms since 1970-01-01 UTC: {origin.isoformat()}) "
            "+ each node's delay in minutes",
        )

    from_post = (
        e["p_user"].eq(root_node[0]) & e["p_tweet"].eq(root_node[1]) & e["p_delay"].eq(root_node[2])
    )
    parent = e["p_user"].where(~is_root & ~from_post).astype("str")
    out = pd.DataFrame(
        {
            "post_id": post_id,
            "platform": "x",
            "user_id": e["c_user"].astype("str"),
            "action": np.where(is_root, "post", "share"),
            "occurred_at": occurred,
            "parent_user_id": parent,
            "author_id": author,
            "tweet_id": e["c_tweet"].astype("str"),
            "delay_minutes": delay.astype("float64"),
            "parent_tweet_id": e["p_tweet"].where(~is_root).astype("str"),
            "parent_delay_minutes": parent_delay.where(~is_root).astype("float64"),
            "source_row": pd.array(e["line"], dtype="Int64"),
            # every edge names its parent: a star tree is a broadcast, not a flat series
            "parents_recorded": pd.array(np.ones(len(e), dtype=bool), dtype="boolean"),
        }
    )
    label_path, labels = _labels(path, label_file)
    if label_path is not None:
        label = labels.get(post_id)
        out["label"] = pd.Series(label, index=out.index, dtype="str")
        report.note(
            path,
            rule="label joined" if label is not None else "no label",
            reason=f"label {label!r} from {label_path.name}"
            if label is not None
            else f"{label_path.name} has no line for {post_id}: label unknown",
        )
    _flag_structure(e, is_root, delay, parent_delay, path, report)
    return out


def _flag_structure(
    e: pd.DataFrame,
    is_root: pd.Series,
    delay: pd.Series,
    parent_delay: pd.Series,
    path: Path,
    report: CleaningReport,
) -> None:
    """Flag, without changing, what a tree should not have (virality repairs it)."""
    rows = e["line"]
    child = e["c_user"] + "\x1f" + e["c_tweet"] + "\x1f" + e["c_delay"]
    parent = e["p_user"] + "\x1f" + e["p_tweet"] + "\x1f" + e["p_delay"]

    def flag(mask: pd.Series, rule: str, reason: str) -> None:
        mask = mask.fillna(False).astype(bool)
        if mask.any():
            report.record(
                path, rows[mask], rule=rule, action="flagged", reason=reason, column="edge"
            )

    edges = pd.DataFrame({"parent": parent, "child": child})
    flag(
        edges.duplicated(keep="first"),
        "duplicate edge",
        "the same parent->child edge as an earlier line: kept as written",
    )
    flag(parent == child, "self-loop", "a node reshared from itself: kept as written")
    distinct = edges[~is_root].drop_duplicates()
    per_child = distinct["child"].value_counts()
    several = per_child.index[per_child.to_numpy() > 1]
    flag(
        child.isin(several) & ~is_root,
        "node with two parents",
        "this node has more than one parent: kept as written",
    )
    flag(
        ~is_root & (delay < parent_delay),
        "child before parent",
        "the reshare's delay is earlier than its parent's: kept as written",
    )
    flag(delay < 0, "negative delay", "a delay below zero minutes: kept as written")
