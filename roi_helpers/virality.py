"""Does my content travel? Reshare cascades: how far, how deep, and carried by whom.

Every follower is a micro-influencer. From the canonical events table (one row per action;
see :class:`roi_helpers.schema.Events`) this module grows, for every post, the reshare tree
it started, measures how it spread, and credits the people who carried it.

- :func:`select_period` keeps the events of the posts published in a period, and says
  which period that was;
- :func:`build_cascades` repairs the messy reshare edges real exports hold and returns a
  :class:`Cascades` (its ``edges``, ``nodes``, ``roots`` and a ``report`` of every repair);
- :func:`cascade_metrics` gives one row per post: size, depth, breadth, structural
  virality (Goel et al. 2016), time to half and 90% of the final size, potential reach;
- :func:`cascade_generations` gives the branching factor generation by generation;
- :func:`cascade_spread` gives the cumulative adopters over time;
- :func:`attribution` gives one row per person: reshares they triggered, everyone
  downstream of them, and how many of those are relevant (:func:`relevant_people`:
  clients', prospects' people and target personas); :func:`audience_overlap` says how
  many resharers the audience knows at all;
- :func:`cascade_layout` places one cascade's nodes for drawing;
- :func:`select_cascades` keeps the cascades of a minimum size, or of some posts;
- :func:`repair_summary` says what was repaired, :func:`cleaning_balance` what loading
  and growing the trees kept and set aside, :func:`key_numbers` what notebook 03
  records and :func:`headline` how the report's index words it;
- :func:`inference_note` says which cascades are flat (their source does not record who
  reshared from whom) and what an inference rule does to them, for all cascades or the
  one drawn.

Conventions of the events table: the original post is one event with action ``"post"`` by
its author (parent empty); each reshare is an action ``"share"`` event whose
``parent_user_id`` is whom it was reshared from, empty meaning straight from the original
post; ``author_id`` is the original author. Other actions are ignored here.

Everything is computed for all cascades at once with numpy: no Python loop runs per node
or per cascade (loops run over pointer-jumping rounds or depth levels).

References
----------
Goel, S., Anderson, A., Hofman, J. and Watts, D. J. (2016). The structural virality of
online diffusion. *Management Science* 62(1), 180-196.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import _cascade_tree as tree
from .clean import CleaningReport, file_of, files_of
from .errors import RoiInputError
from .parsing import parameter_day

__all__ = [
    "INFERENCE_RULES",
    "REPAIR_RULES",
    "Cascades",
    "attribution",
    "audience_overlap",
    "build_cascades",
    "cascade_generations",
    "cascade_layout",
    "cascade_metrics",
    "cascade_spread",
    "cleaning_balance",
    "headline",
    "inference_caveat",
    "inference_note",
    "key_numbers",
    "relevant_people",
    "repair_summary",
    "select_cascades",
    "select_period",
]

#: Rules that :func:`build_cascades` can use to infer parents in flat cascades.
INFERENCE_RULES = ("root", "latest", "influence")

_CAVEATS = {
    "given": (
        "A flat cascade, every reshare recorded as straight from the original post, looks like "
        "a broadcast (depth 1, structural virality near 2) whatever actually happened: "
        "X/Twitter's API, for one, attributes every retweet to the original tweet, so who "
        "passed the post on is unknown. An inference rule (latest or influence) shows a "
        "plausible deeper tree."
    ),
    "root": (
        "Flat cascades are drawn as their source records them: every reshare attached to the "
        "original post (a star). This is what the data says, not how the post travelled: "
        "people mostly reshare what they saw from someone they follow, so depth and "
        "structural virality are underestimated."
    ),
    "latest": (
        "Flat cascades were given inferred parents: each reshare is attached to the most "
        "recent earlier adopter. This assumes people see a post from whoever shared it just "
        "before them; it makes chains, so depth and structural virality may be "
        "overestimated. Treat the trees as plausible, not observed."
    ),
    "influence": (
        "Flat cascades were given inferred parents: each reshare is attached to the earlier "
        "adopter with the most followers (unknown counts read as 0; ties go to the earliest). "
        "This assumes people see a post from the biggest account that shared it before "
        "them (bigger accounts are seen by more people); it makes a few carriers look "
        "important. Treat the trees as plausible, not observed."
    ),
}

_STR = "str"
_LABELS = ["given", *INFERENCE_RULES]  # how a node's parent was set
_NAT = np.iinfo(np.int64).min
_LATE = np.iinfo(np.int64).max
_REQUIRED = ("post_id", "user_id", "action", "occurred_at")
_DEFAULT_FILE = "events"

_EDGE_COLUMNS = ["cascade", "post_id", "platform", "parent", "user", "generation", "time"]
_RADIAL_DEPTH = 12  # deeper trees are drawn layered


def inference_caveat(rule: str | None) -> str:
    """The text a reader needs next to cascades whose parents were inferred.

    Parameters
    ----------
    rule
        ``None`` (parents as given), ``"root"``, ``"latest"`` or ``"influence"``.

    Returns
    -------
    str
        A few sentences: what the rule assumes and which way it biases depth and
        structural virality.

    Raises
    ------
    ValueError
        For a rule that is not one of :data:`INFERENCE_RULES` or None.

    Examples
    --------
    >>> inference_caveat("latest").split(":")[0]
    'Flat cascades were given inferred parents'
    """
    return _CAVEATS[_check_rule(rule)]


def _check_rule(rule: str | None) -> str:
    if rule is None or rule == "given":
        return "given"
    if rule not in INFERENCE_RULES:
        raise ValueError(f"infer must be None or one of {', '.join(INFERENCE_RULES)}; got {rule!r}")
    return rule


@dataclass(frozen=True, eq=False)
class Cascades:
    """Reshare trees, one per post, repaired and measured node by node.

    Build with :func:`build_cascades`; read with :func:`cascade_metrics`,
    :func:`cascade_generations`, :func:`cascade_spread` and :func:`attribution`.

    Attributes
    ----------
    edges : DataFrame
        One row per person other than the root: ``cascade`` (number), ``post_id``,
        ``platform``, ``parent`` (whom they reshared from, after repair or inference),
        ``child`` (who reshared), ``generation`` (1 = straight from the original post),
        ``time`` (when the child adopted: their earliest appearance) and ``inference``
        (how the parent was set: ``given`` or the rule's name).
    nodes : DataFrame
        One row per person per cascade, roots included, in adoption order (root first):
        ``cascade``, ``post_id``, ``platform``, ``user``, ``parent`` (``<NA>`` for the
        root), ``generation`` (0 for the root), ``time``, ``is_root``, ``children``
        (direct reshares from them), ``subtree_size`` (themselves and everyone
        downstream), ``height`` (longest chain of reshares below them), ``followers``
        (their follower count where known, ``Int64``), ``inference`` (how their parent was
        set: ``given`` or the rule's name).
    roots : DataFrame
        One row per cascade: ``cascade``, ``post_id``, ``platform``, ``root`` (the
        original author, or a synthetic ``(post <id>)`` when unknown), ``started_at``
        (the original post's time, ``NaT`` if no post event), ``size``, ``source`` (the
        file its reshares were read from, the first one when several; its post's file
        without reshares), ``parents_recorded`` (whether its source records who reshared
        from whom: the events' ``parents_recorded`` where given, else True when its file
        names a parent other than the original author for some reshare, ``<NA>`` when it
        names none), ``flat`` (three people or more, every reshare attributed to the
        original post, from a source that does not record parents: see
        :func:`build_cascades`) and ``inference``.
    report : CleaningReport
        Every repair, with the post and the person in each entry's reason.
    inference : str
        The rule asked for: ``given`` (parents as the data says), ``root``, ``latest``
        or ``influence``. It applies to flat cascades only; see ``roots["inference"]``.
    repairs : DataFrame
        The report's structural repairs (the rules of :data:`REPAIR_RULES`; notes on
        ignored actions and unreadable values stay in ``report`` only) as a table with
        the people in their own columns (so that
        :func:`roi_helpers.privacy.hide_people` can hide them): ``file``, ``row``,
        ``post_id``, ``platform``, ``user`` (the person concerned), ``parent_user_id``
        (the parent the data gave, when one matters), ``parent`` (the parent used after
        the repair, when it changed), ``rule``, ``action``. See :func:`repair_summary`.
    """

    edges: pd.DataFrame
    nodes: pd.DataFrame
    roots: pd.DataFrame
    report: CleaningReport
    inference: str = "given"
    _parent: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64), repr=False)
    repairs: pd.DataFrame = field(default_factory=lambda: _empty_repairs(), repr=False)

    @property
    def caveat(self) -> str:
        """The inference caveat to show, or ``""`` when no cascade is flat."""
        if not bool(self.roots["flat"].any()):
            return ""
        return inference_caveat(self.inference)

    def __len__(self) -> int:
        return len(self.roots)

    def __repr__(self) -> str:
        return (
            f"<Cascades: {len(self.roots)} cascade(s), {len(self.nodes)} people, "
            f"inference={self.inference}, {len(self.report)} report entries>"
        )


# -- reading the events --------------------------------------------------------------------------
@dataclass
class _Input:
    """The post and share events, as integer codes."""

    frame: pd.DataFrame  # the rows used (post and share events with ids), original values
    cascade: np.ndarray  # cascade number per row
    user: np.ndarray  # user code per row
    parent: np.ndarray  # parent user code per row, -1 when empty
    author: np.ndarray  # author code per row, -1 when empty
    time: np.ndarray  # microseconds since the epoch, _NAT when unknown
    is_post: np.ndarray
    followers: np.ndarray  # float, NaN when unknown
    files: np.ndarray  # file name per row
    default_file: str  # the file named for entries about a whole cascade
    rows: np.ndarray  # spreadsheet row per row (object, <NA> when unknown)
    recorded: np.ndarray  # parents_recorded per row: 1.0, 0.0, NaN when the events do not say
    post_ids: pa.Array  # per cascade
    platforms: pa.Array  # per cascade
    users: pa.Array  # per user code
    repairs: list = field(default_factory=list)  # (rule, action, rows, casc, user, given, used)

    @property
    def tkey(self) -> np.ndarray:
        return np.where(self.time == _NAT, _LATE, self.time)


def _files_of(events: pd.DataFrame) -> list[str]:
    """The files the rows came from, in order of appearance (none without ``source_file``)."""
    if "source_file" not in events:
        return []
    return [str(f) for f in events["source_file"].dropna().unique()]


def _error_rows(events: pd.DataFrame, mask: pd.Series) -> list[int]:
    if "source_row" in events:
        return [int(r) for r in events.loc[mask, "source_row"].dropna()]
    return [int(i) + 2 for i in np.flatnonzero(mask.to_numpy())]


def _bad_rows_error(
    events: pd.DataFrame, bad: pd.Series, message: str, column: str, expected: str
) -> RoiInputError:
    """An error naming the file and rows of the bad values; when they span files, the first
    file is the error's path and rows, and the message lists the others with their rows."""
    from .errors import format_rows

    files = _files_of(events.loc[bad.to_numpy()])
    if len(files) <= 1:
        path = files[0] if files else file_of(events)
        return RoiInputError(
            message,
            path=path,
            rows=_error_rows(events, bad),
            column=column,
            expected=expected,
        )
    in_file = events["source_file"].astype("str")
    others = "; ".join(
        f"{f}: {format_rows(_error_rows(events, bad & (in_file == f)), limit=5)}"
        for f in files[1:4]
    )
    more = f" and {len(files) - 4} more files" if len(files) > 4 else ""
    return RoiInputError(
        f"{message}; also in {others}{more}",
        path=files[0],
        rows=_error_rows(events, bad & (in_file == files[0])),
        column=column,
        expected=expected,
    )


def _as_utc(events: pd.DataFrame, report: CleaningReport) -> pd.Series:
    t = events["occurred_at"]
    if not pd.api.types.is_datetime64_any_dtype(t):
        parsed = pd.to_datetime(t, utc=True, errors="coerce", format="mixed")
        bad = parsed.isna() & t.notna() & (t.astype("str").str.strip() != "")
        if bad.any():
            seen = ", ".join(repr(v) for v in t[bad].astype("str").unique()[:3])
            raise _bad_rows_error(
                events,
                bad,
                f"unreadable times; saw {seen}",
                column="occurred_at",
                expected="a date and time, such as 2024-05-01T09:30:00Z",
            )
        t = parsed
    elif t.dt.tz is None:
        t = t.dt.tz_localize("UTC")
        report.note(
            file_of(events) or _DEFAULT_FILE,
            rule="time zone assumed",
            reason="occurred_at has no time zone: read as UTC",
        )
    return t.dt.tz_convert("UTC").dt.as_unit("us")


def _arrow(values: pd.Index) -> pa.Array:
    """Text values as one arrow array (missing values as nulls)."""
    return pa.array(values.astype(_STR).array, type=pa.large_string(), from_pandas=True)


def _codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    codes, uniques = pd.factorize(values)
    return codes.astype(np.int64), uniques


def _followers(
    frame: pd.DataFrame, files: np.ndarray, rows: np.ndarray, report: CleaningReport
) -> np.ndarray:
    """Follower counts as floats (NaN unknown); values that are not counts are reported."""
    if "user_followers" not in frame:
        return np.full(len(frame), np.nan)
    raw = frame["user_followers"]
    values = pd.to_numeric(raw, errors="coerce").astype("Float64")
    bad = (values.isna() & raw.notna()) | (values < 0).fillna(False)
    if bad.any():
        where = bad.to_numpy()
        report.record(
            files[where],
            rows[where],
            rule="unreadable follower count",
            action="coerced",
            column="user_followers",
            original=raw[bad].astype("str"),
            reason="not a count of followers: read as unknown",
        )
        values = values.mask(bad)
    return values.to_numpy(dtype=float, na_value=np.nan)


_TRUE = ("true", "1", "yes", "t", "y")
_FALSE = ("false", "0", "no", "f", "n")


def _recorded(
    frame: pd.DataFrame, files: np.ndarray, rows: np.ndarray, report: CleaningReport
) -> np.ndarray:
    """``parents_recorded`` per row as 1.0 / 0.0, NaN where the events do not say.

    The column says whether the row's source records who reshared from whom (False for a
    flat retweet series, True for a tree export). Text such as ``"true"``/``"False"`` (a
    re-saved CSV) is read; other values are reported and read as unknown.
    """
    if "parents_recorded" not in frame:
        return np.full(len(frame), np.nan)
    raw = frame["parents_recorded"]
    if pd.api.types.is_bool_dtype(raw):
        return raw.astype("boolean").to_numpy(dtype=float, na_value=np.nan)
    text = raw.astype("str").str.strip().str.lower()
    out = np.full(len(frame), np.nan)
    out[text.isin(_TRUE).to_numpy(dtype=bool)] = 1.0
    out[text.isin(_FALSE).to_numpy(dtype=bool)] = 0.0
    bad = (np.isnan(out) & raw.notna().to_numpy() & (text != "").to_numpy(dtype=bool)).astype(bool)
    if bad.any():
        report.record(
            files[bad],
            rows[bad],
            rule="unreadable parents_recorded",
            action="coerced",
            column="parents_recorded",
            original=raw[bad].astype("str"),
            reason="not true or false: whether this source records parents is read as unknown",
        )
    return out


def _prepare(events: pd.DataFrame, report: CleaningReport) -> _Input:
    if not isinstance(events, pd.DataFrame):
        raise TypeError(f"events must be a DataFrame, not {type(events).__name__}")
    missing = [c for c in _REQUIRED if c not in events.columns]
    if missing:
        files = _files_of(events)
        where = f" in the events of {_files_text(files)}" if len(files) > 1 else ""
        raise RoiInputError(
            f"missing column(s) {', '.join(repr(c) for c in missing)}{where}",
            path=file_of(events),
            column=missing[0],
            expected="the events table: post_id, platform, user_id, action, occurred_at, "
            "and optionally parent_user_id, author_id, user_followers",
            hint="Load the export with roi_helpers.load() or load_dir(), which give this table.",
        )
    default_file = file_of(events) or _DEFAULT_FILE
    action = events["action"].astype("str")
    used = action.isin(["post", "share"])
    ignored = action[~used].value_counts()
    if len(ignored):
        counts = ", ".join(f"{n} {a}" for a, n in ignored.items())
        report.note(
            default_file,
            rule="not a reshare",
            action="flagged",
            reason=f"{counts} event(s) ignored: cascades are made of post and share events",
        )
    frame = events.loc[used.to_numpy()]
    read = pd.Series(files_of(frame, default_file))
    for fname, n in read.value_counts(sort=False).items():  # rows read, set aside ones included
        report.read_rows(fname, int(n))
    no_id = frame["post_id"].isna() | frame["user_id"].isna()
    if no_id.any():
        bad = frame.loc[no_id.to_numpy()]
        if "source_file" not in bad:
            bad = bad.assign(source_file=default_file)
        report.set_aside(
            default_file,
            bad,
            rule="missing id",
            reason="a post or share event without a post_id or user_id cannot join a cascade",
        )
        frame = frame.loc[~no_id.to_numpy()]
    frame = frame.reset_index(drop=True)
    files = files_of(frame, default_file)
    rows = (
        frame["source_row"].astype("Int64").to_numpy(dtype=object, na_value=pd.NA)
        if "source_row" in frame
        else np.full(len(frame), pd.NA, dtype=object)
    )
    times = _as_utc(frame, report).array.asi8.copy() if len(frame) else np.zeros(0, np.int64)

    post_code, post_uniques = _codes(frame["post_id"].astype("str"))
    if "platform" in frame:
        plat_code, plat_uniques = pd.factorize(
            frame["platform"].astype("str"), use_na_sentinel=False
        )
    else:
        plat_code, plat_uniques = np.zeros(len(frame), np.int64), pd.Index([pd.NA])
    n_plat = max(len(plat_uniques), 1)
    if n_plat == 1:
        cascade, keys = post_code, np.arange(len(post_uniques), dtype=np.int64)
    else:
        cascade, keys = _codes(pd.Series(post_code * n_plat + plat_code))
        keys = np.asarray(keys, dtype=np.int64)

    n = len(frame)
    people = [frame["user_id"].astype("str")]
    for col in ("parent_user_id", "author_id"):
        people.append(
            frame[col].astype("str")
            if col in frame
            else pd.Series(pd.NA, index=frame.index, dtype="str")
        )
    codes, users = _codes(pd.concat(people, ignore_index=True))
    blank = np.flatnonzero(users.astype("str").str.strip() == "")
    if len(blank):
        codes[np.isin(codes, blank)] = -1
    followers = _followers(frame, files, rows, report)
    recorded = _recorded(frame, files, rows, report)
    return _Input(
        frame=frame,
        cascade=cascade,
        user=codes[:n],
        parent=codes[n : 2 * n],
        author=codes[2 * n :],
        time=times,
        is_post=(frame["action"].astype("str") == "post").to_numpy(dtype=bool),
        followers=followers,
        files=files,
        default_file=default_file,
        rows=rows,
        recorded=recorded,
        post_ids=_arrow(post_uniques).take(pa.array(keys // n_plat)),
        platforms=_arrow(plat_uniques).take(pa.array(keys % n_plat)),
        users=_arrow(users),
    )


# -- writing the report --------------------------------------------------------------------------
def _take(names: pa.Array, codes: np.ndarray) -> pa.Array:
    codes = np.asarray(codes, dtype=np.int64)
    return names.take(pa.array(codes, mask=codes < 0))


def _parent_names(inp: _Input, codes: np.ndarray) -> pa.Array:
    """Parents' names; ``-1`` (empty parent) reads as the original post."""
    return pc.fill_null(_take(inp.users, codes), "the original post")


def _join(*parts: Any) -> np.ndarray:
    """Concatenate text arrays and literals element-wise (vectorised); missing reads '?'."""
    args = [
        pc.fill_null(p, "?") if isinstance(p, pa.Array) else pa.scalar(str(p), pa.large_string())
        for p in parts
    ]
    return np.asarray(
        pc.binary_join_element_wise(*args, pa.scalar("", pa.large_string())).to_numpy(
            zero_copy_only=False
        ),
        dtype=object,
    )


def _log(
    report: CleaningReport,
    inp: _Input,
    idx: np.ndarray,
    *,
    rule: str,
    action: str,
    reason: np.ndarray,
    column: str | None = None,
    original: np.ndarray | pa.Array | None = None,
    value: np.ndarray | pa.Array | None = None,
    who: tuple[np.ndarray, ...] = (),
) -> None:
    """Record one entry per row ``idx`` (``-1``: no row, a whole-cascade entry).

    ``who`` is ``(cascade, person, parent given, parent used)`` as codes (``-1``: none),
    kept for :attr:`Cascades.repairs`.
    """
    idx = np.asarray(idx, dtype=np.int64)
    if len(idx) == 0:
        return
    _remember(inp, rule, action, idx, who)
    has = idx >= 0
    safe = np.where(has, idx, 0)
    report.record(
        np.where(has, inp.files[safe], inp.default_file),  # cascades span files
        np.where(has, inp.rows[safe], pd.NA),
        rule=rule,
        action=action,
        reason=reason,  # each entry names its own post and person
        column=column,
        original=None if original is None else np.asarray(original, dtype=object),
        value=None if value is None else np.asarray(value, dtype=object),
    )


def _remember(
    inp: _Input, rule: str, action: str, idx: np.ndarray, who: tuple[np.ndarray, ...]
) -> None:
    n = len(idx)
    parts = [np.asarray(w, dtype=np.int64) for w in who] + [np.full(n, -1)] * (4 - len(who))
    inp.repairs.append((rule, action, np.asarray(idx, dtype=np.int64), *parts))


def _set_aside(
    report: CleaningReport,
    inp: _Input,
    idx: np.ndarray,
    *,
    rule: str,
    reason: np.ndarray,
    action: str = "set aside",
    column: str | None = None,
    who: tuple[np.ndarray, ...] = (),
) -> None:
    """Take rows out of the cascades into the report, with their original values."""
    if len(idx) == 0:
        return
    _remember(inp, rule, action, idx, who)
    part = inp.frame.iloc[idx].assign(source_file=inp.files[idx])
    report.set_aside(None, part, rule=rule, reason=reason, column=column, action=action)


# -- building the trees --------------------------------------------------------------------------
def _first_of_groups(*keys: np.ndarray) -> np.ndarray:
    """For arrays sorted by ``keys``, True where a new group starts."""
    n = len(keys[0])
    if n == 0:
        return np.zeros(0, dtype=bool)
    new = np.zeros(n, dtype=bool)
    new[0] = True
    for k in keys:
        new[1:] |= k[1:] != k[:-1]
    return new


def _roots(inp: _Input, report: CleaningReport) -> tuple[np.ndarray, ...]:
    """The root of every cascade: its earliest 'post' event, else author_id, else synthetic.

    Returns ``(root_user, root_time, root_row, promoted)``: ``promoted`` are rows of further
    'post' events by other people, which count as reshares of the original post.
    """
    n_casc = len(inp.post_ids)
    tkey = inp.tkey
    posts = np.flatnonzero(inp.is_post)
    posts = posts[np.lexsort((posts, tkey[posts], inp.cascade[posts]))]
    first = _first_of_groups(inp.cascade[posts])
    root_row = np.full(n_casc, -1, dtype=np.int64)
    root_row[inp.cascade[posts[first]]] = posts[first]
    root_user = np.full(n_casc, -1, dtype=np.int64)
    root_user[inp.cascade[posts[first]]] = inp.user[posts[first]]
    root_time = np.full(n_casc, _NAT, dtype=np.int64)
    root_time[inp.cascade[posts[first]]] = inp.time[posts[first]]

    extra = posts[~first]
    again = inp.user[extra] == root_user[inp.cascade[extra]]
    post_names = _take(inp.post_ids, inp.cascade[extra])
    _set_aside(
        report,
        inp,
        extra[again],
        rule="repeated post event",
        action="deduplicated",
        reason=_join(
            "post ",
            post_names.filter(pa.array(again)),
            ": ",
            _take(inp.users, inp.user[extra[again]]),
            " has another, earlier 'post' event for it; the earliest is the original",
        ),
        who=(inp.cascade[extra[again]], inp.user[extra[again]]),
    )
    promoted = extra[~again]
    _log(
        report,
        inp,
        promoted,
        rule="second post event",
        action="repaired",
        column="action",
        original=np.full(len(promoted), "post", dtype=object),
        value=np.full(len(promoted), "share", dtype=object),
        reason=_join(
            "post ",
            post_names.filter(pa.array(~again)),
            ": ",
            _take(inp.users, inp.user[promoted]),
            " has a 'post' event too, but ",
            _take(inp.users, root_user[inp.cascade[promoted]]),
            " posted it first: counted as a reshare of the original post",
        ),
        who=(
            inp.cascade[promoted],
            inp.user[promoted],
            np.full(len(promoted), -1),
            root_user[inp.cascade[promoted]],
        ),
    )

    no_post = root_row < 0
    with_author = np.flatnonzero(inp.author >= 0)
    casc_a, first_a = np.unique(inp.cascade[with_author], return_index=True)
    author_row = np.full(n_casc, -1, dtype=np.int64)
    author_row[casc_a] = with_author[first_a]
    by_author = np.flatnonzero(no_post & (author_row >= 0))
    root_user[by_author] = inp.author[author_row[by_author]]
    _log(
        report,
        inp,
        author_row[by_author],
        rule="root from author_id",
        action="assumed",
        column="author_id",
        reason=_join(
            "post ",
            _take(inp.post_ids, by_author),
            ": no 'post' event; its author ",
            _take(inp.users, root_user[by_author]),
            " (author_id) is taken as the root, posting at an unknown time",
        ),
        who=(by_author, root_user[by_author]),
    )
    differs = np.flatnonzero(
        (inp.author >= 0) & (root_row[inp.cascade] >= 0) & (inp.author != root_user[inp.cascade])
    )
    _log(
        report,
        inp,
        differs,
        rule="author differs",
        action="flagged",
        column="author_id",
        original=_take(inp.users, inp.author[differs]),
        value=_take(inp.users, root_user[inp.cascade[differs]]),
        reason=_join(
            "post ",
            _take(inp.post_ids, inp.cascade[differs]),
            ": author_id says ",
            _take(inp.users, inp.author[differs]),
            " but the 'post' event is by ",
            _take(inp.users, root_user[inp.cascade[differs]]),
            ", who is kept as the root",
        ),
        who=(inp.cascade[differs], inp.author[differs]),
    )

    synthetic = np.flatnonzero(root_user < 0)
    if len(synthetic):
        names = _join("(post ", _take(inp.post_ids, synthetic), ")")
        root_user[synthetic] = len(inp.users) + np.arange(len(synthetic))
        inp.users = pa.concat_arrays([inp.users, pa.array(names, type=pa.large_string())])
        first_row = np.full(n_casc, -1, dtype=np.int64)
        rev = np.arange(len(inp.cascade))[::-1]
        first_row[inp.cascade[rev]] = rev  # the first row of each cascade wins
        _log(
            report,
            inp,
            first_row[synthetic],
            rule="synthetic root",
            action="repaired",
            column="author_id",
            value=names,
            reason=_join(
                "post ",
                _take(inp.post_ids, synthetic),
                ": no 'post' event and no author_id: a root named ",
                pa.array(names, type=pa.large_string()),
                " stands for the original post",
            ),
            who=(synthetic, root_user[synthetic]),
        )
    return root_user, root_time, root_row, promoted


def _adoptions(
    inp: _Input, report: CleaningReport, root_user: np.ndarray, promoted: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each person's adoption: their earliest share row per cascade; the other rows set aside.

    Returns ``(rows, parent, followers)``: the adoption rows, their parent codes (``-1`` =
    the original post; a code equal to the person's own is a self-loop) and the largest
    follower count known on any of the person's rows.
    """
    rows = np.concatenate([np.flatnonzero(~inp.is_post), promoted])
    parent = inp.parent[rows].copy()
    parent[len(rows) - len(promoted) :] = -1
    casc, user = inp.cascade[rows], inp.user[rows]

    own = user == root_user[casc]
    _set_aside(
        report,
        inp,
        rows[own],
        rule="author reshared own post",
        action="deduplicated",
        reason=_join(
            "post ",
            _take(inp.post_ids, casc[own]),
            ": ",
            _take(inp.users, user[own]),
            " is its original author (the root): resharing it adds nobody",
        ),
        who=(casc[own], user[own], inp.parent[rows[own]]),
    )
    rows, parent, casc, user = rows[~own], parent[~own], casc[~own], user[~own]
    parent = np.where(parent == root_user[casc], -1, parent)

    person = casc * len(inp.users) + user
    order = np.lexsort((rows, inp.tkey[rows], person))
    rows, parent, casc, user = rows[order], parent[order], casc[order], user[order]
    first = _first_of_groups(person[order])
    group = np.cumsum(first) - 1
    kept_parent = parent[first][group]
    later = ~first
    loop = later & (parent == user)
    dup = later & ~loop & (parent == kept_parent)
    second = later & ~loop & ~dup
    given = np.where(inp.is_post[rows], -1, inp.parent[rows])  # as written, for the report
    for mask, rule, action, tail in (
        (
            loop,
            "self-loop",
            "set aside",
            " reshared from themselves; their earliest appearance is kept",
        ),
        (
            dup,
            "duplicate edge",
            "deduplicated",
            " appears again with the same parent; the earliest is kept",
        ),
        (
            second,
            "second parent",
            "set aside",
            " appears again with another parent; their earliest appearance (adoption) is kept",
        ),
    ):
        _set_aside(
            report,
            inp,
            rows[mask],
            rule=rule,
            action=action,
            column="parent_user_id",
            reason=_join(
                "post ",
                _take(inp.post_ids, casc[mask]),
                ": ",
                _take(inp.users, user[mask]),
                " (from ",
                _parent_names(inp, given[mask]),
                ")",
                tail,
            ),
            who=(casc[mask], user[mask], given[mask]),
        )
    starts = np.flatnonzero(first)
    followers = np.fmax.reduceat(inp.followers[rows], starts) if len(starts) else np.zeros(0)
    return rows[first], parent[first], followers


def _infer(
    rule: str, parent: np.ndarray, mask: np.ndarray, casc: np.ndarray, followers: np.ndarray
) -> np.ndarray:
    """New parents for the nodes in ``mask`` (non-roots of flat cascades), by ``rule``.

    Nodes are in adoption order within each cascade, the root first, so "earlier adopters"
    of node ``i`` are the nodes between its cascade's root and ``i - 1``.
    """
    idx = np.flatnonzero(mask)
    out = parent.copy()
    if rule == "latest":
        out[idx] = idx - 1
    elif rule == "influence":
        f = np.nan_to_num(followers, nan=0.0)
        rank = np.unique(f, return_inverse=True)[1].astype(np.int64)
        key = casc * (int(rank.max()) + 1) + rank
        running = np.maximum.accumulate(key)
        record = np.ones(len(key), dtype=bool)
        record[1:] = key[1:] > running[:-1]  # a strictly larger count: ties stay with the earliest
        best = np.maximum.accumulate(np.where(record, np.arange(len(key)), 0))
        out[idx] = best[idx - 1]
    return out


def build_cascades(events: pd.DataFrame, infer: str | None = None) -> Cascades:
    """Grow every post's reshare tree from the events table, repairing what is broken.

    Only ``post`` and ``share`` events are used (others are counted in the report). The
    repair rules, each entry in ``report`` naming the post and the person:

    1. The root is the author of the earliest ``post`` event; without one, the first
       ``author_id`` given for the post ("assumed"); without that, a synthetic root named
       ``(post <post_id>)`` ("repaired"). Further ``post`` events by the author are
       duplicates; by someone else, they count as reshares of the original post.
    2. A person's adoption is their earliest appearance (time, then row order). Their
       later rows are set aside: a *self-loop* (reshared from themselves), a *duplicate
       edge* (same parent again) or a *second parent* (another parent). The author's own
       reshares of their post are duplicates of the root.
    3. The adoption's parent must be an adopter of the same post: a parent never seen in
       the cascade (*lost*), the person themselves (*self-loop*), or a parent who adopted
       *later* than the child re-attaches the child to the root.
    4. A *cycle* (possible only among equal or unknown times) is broken by attaching its
       earliest adopter to the root; the others keep their parents.
    5. Reshares timed before the original post are *flagged*, not changed (times are
       measured from the post: see :func:`cascade_metrics`).

    Every person who appears as ``user_id`` of a post or share event ends in exactly one
    tree per post; parents that never adopted are not people of the tree (rule 3).

    Parent inference (``infer``) applies to *flat* cascades only: those of three people or
    more, every reshare attributed to the original post, whose source does not record who
    reshared from whom, as X/Twitter's API does not for retweets. Whether a source
    records parents is read from the events' ``parents_recorded`` column (the loaders say:
    False for flat retweet series, True for tree exports such as Twitter16, where each
    tree is a file of its own). Where the column is absent or empty, a source is a file
    (``source_file``; the whole table without it) and platform, taken as recording parents
    when any of its reshares names a parent other than the original author. Cascades from
    a source that records parents keep them, even those whose reshares all came straight
    from the original post: that is a broadcast the data saw.

    Parameters
    ----------
    events
        The canonical events table (:class:`roi_helpers.schema.Events`): ``post_id``,
        ``user_id``, ``action``, ``occurred_at``; ``platform``, ``parent_user_id``,
        ``author_id``, ``user_followers``, ``parents_recorded``, ``source_file``,
        ``source_row`` when known. Not mutated.
    infer
        ``None``: parents as given. ``"root"``: every reshare from the original post (the
        star the API reports). ``"latest"``: from the most recent earlier adopter.
        ``"influence"``: from the earlier adopter with the most followers
        (``user_followers``; unknown counts as 0, ties go to the earliest, the root
        included).

    Returns
    -------
    Cascades
        ``edges``, ``nodes``, ``roots`` (columns described in :class:`Cascades`),
        ``report`` and ``inference`` (the rule, ``"given"`` for None).

    Raises
    ------
    RoiInputError
        A required column is missing, or ``occurred_at`` holds values that are not times
        (the error names the rows).
    ValueError
        ``infer`` is not one of None, ``"root"``, ``"latest"``, ``"influence"``.
    TypeError
        ``events`` is not a DataFrame.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({
    ...     "post_id": "p1", "platform": "x",
    ...     "user_id": ["ann", "bob", "cat", "cat"],
    ...     "action": ["post", "share", "share", "share"],
    ...     "occurred_at": pd.to_datetime(["2024-05-01 09:00", "2024-05-01 10:00",
    ...                                    "2024-05-01 11:00", "2024-05-01 12:00"], utc=True),
    ...     "parent_user_id": [None, None, "bob", "bob"]})
    >>> c = build_cascades(ev)
    >>> c.edges[["parent", "child", "generation"]].values.tolist()
    [['ann', 'bob', 1], ['bob', 'cat', 2]]
    >>> c.report.summary()["rule"].tolist()
    ['duplicate edge']
    """
    rule = _check_rule(infer)
    report = CleaningReport()
    inp = _prepare(events, report)
    n_casc = len(inp.post_ids)
    if n_casc == 0:
        return _empty(report, rule)
    root_user, root_time, root_row, promoted = _roots(inp, report)
    a_rows, a_parent, a_followers = _adoptions(inp, report, root_user, promoted)

    # nodes: the roots, then every adoption; sorted by cascade, root first, then time
    casc = np.concatenate([np.arange(n_casc), inp.cascade[a_rows]])
    user = np.concatenate([root_user, inp.user[a_rows]])
    when = np.concatenate([root_time, inp.time[a_rows]])
    row = np.concatenate([root_row, a_rows])
    given = np.concatenate([np.full(n_casc, -1), a_parent])
    root_followers = np.where(root_row >= 0, inp.followers[np.maximum(root_row, 0)], np.nan)
    followers = np.concatenate([root_followers, a_followers])
    is_root = np.arange(len(casc)) < n_casc
    order = np.lexsort((row, np.where(when == _NAT, _LATE, when), 2 * casc + ~is_root))
    casc, user, when, row, given, is_root, followers = (
        a[order] for a in (casc, user, when, row, given, is_root, followers)
    )
    n_users = len(inp.users)
    start = np.flatnonzero(is_root)
    root_of = start[casc]
    parent = root_of.copy()

    # rule 3: parents must be earlier adopters of the same post
    loop = ~is_root & (given == user)
    want = np.flatnonzero(~is_root & (given >= 0) & ~loop)
    key = casc * n_users + user
    by_key = np.argsort(key, kind="stable")
    sorted_key = key[by_key]
    query = casc[want] * n_users + given[want]
    j = np.clip(np.searchsorted(sorted_key, query), 0, len(sorted_key) - 1)
    found = sorted_key[j] == query
    cand = by_key[j]
    late = found & (when[cand] != _NAT) & (when[want] != _NAT) & (when[cand] > when[want])
    ok = found & ~late
    parent[want[ok]] = cand[ok]

    def names(codes: np.ndarray) -> pa.Array:
        return _take(inp.users, codes)

    for nodes_, rule_name, why in (
        (np.flatnonzero(loop), "self-loop", ""),
        (want[~found], "parent never seen", ", who never appears in this cascade"),
        (want[late], "parent adopted later", ", who adopted it later"),
    ):
        _log(
            report,
            inp,
            row[nodes_],
            rule=rule_name,
            action="repaired",
            column="parent_user_id",
            original=names(given[nodes_]),
            value=names(user[root_of[nodes_]]),
            reason=_join(
                "post ",
                _take(inp.post_ids, casc[nodes_]),
                ": ",
                names(user[nodes_]),
                " reshared from ",
                names(given[nodes_]),
                why,
                ": attached to the original post",
            ),
            who=(casc[nodes_], user[nodes_], given[nodes_], user[root_of[nodes_]]),
        )
    early = np.flatnonzero(
        ~is_root & (when != _NAT) & (when[root_of] != _NAT) & (when < when[root_of])
    )
    _log(
        report,
        inp,
        row[early],
        rule="before the original post",
        action="flagged",
        column="occurred_at",
        reason=_join(
            "post ",
            _take(inp.post_ids, casc[early]),
            ": ",
            names(user[early]),
            " reshared it before its 'post' event's time: kept as is; check the clocks",
        ),
        who=(casc[early], user[early]),
    )

    # flat cascades and parent inference
    size = np.bincount(casc, minlength=n_casc)
    named = np.bincount(casc[~is_root & (given >= 0)], minlength=n_casc) > 0
    source, recorded = _sources(inp, root_user)
    # with one reshare, every rule gives the same tree
    flat = ~named & (recorded != 1.0) & (size >= 3)
    inferred = ~is_root & flat[casc]
    if rule in ("latest", "influence"):
        parent = _infer(rule, parent, inferred, casc, followers)

    # rule 4: cycles
    depth, rooted = tree.depths(parent, is_root)
    if not rooted.all():
        reps = tree.cycle_representatives(parent, is_root)
        _log(
            report,
            inp,
            row[reps],
            rule="cycle",
            action="repaired",
            column="parent_user_id",
            original=names(user[parent[reps]]),
            value=names(user[root_of[reps]]),
            reason=_join(
                "post ",
                _take(inp.post_ids, casc[reps]),
                ": ",
                names(user[reps]),
                " reshared from ",
                names(user[parent[reps]]),
                ", in a cycle of reshares leading back to them; as its earliest adopter they"
                " are attached to the original post",
            ),
            who=(casc[reps], user[reps], user[parent[reps]], user[root_of[reps]]),
        )
        parent[reps] = root_of[reps]
        depth, rooted = tree.depths(parent, is_root)
    if not rooted.all():  # pragma: no cover - impossible after breaking every cycle
        raise AssertionError("cascade repair left a node without a root")

    by_level = tree.levels(depth)
    subtree = tree.sum_up(parent, by_level, np.ones(len(parent))).astype(np.int64)
    children = np.bincount(parent[~is_root], minlength=len(parent))
    tall = tree.height(parent, by_level)
    label = np.where(inferred, _LABELS.index(rule), 0)
    return _assemble(
        inp,
        report,
        rule,
        casc,
        user,
        parent,
        depth,
        when,
        is_root,
        children,
        subtree,
        tall,
        followers,
        label,
        size,
        flat,
        root_time,
        source,
        recorded,
    )


def _sources(inp: _Input, root_user: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per cascade: the file its reshares came from, and whether their source records parents.

    The second array is 1.0 (records who reshared from whom), 0.0 (the events say it does
    not: ``parents_recorded`` False) or NaN (not said, and no reshare of its file and
    platform names a parent other than the original author: taken as not recording). A
    reshare row's value is its ``parents_recorded`` where given; otherwise 1.0 when its
    source (file and platform) names such a parent anywhere. A cascade records parents when
    any of its reshare rows does; else 0.0 when any says it does not.
    """
    n_casc = len(root_user)
    share = ~inp.is_post
    plat_code = pd.factorize(pd.Series(_text(inp.platforms)), use_na_sentinel=False)[0]
    file_code, _ = pd.factorize(pd.Series(inp.files, dtype=object), use_na_sentinel=False)
    src = file_code.astype(np.int64) * (int(plat_code.max(initial=0)) + 1) + plat_code[inp.cascade]
    src = np.unique(src, return_inverse=True)[1].reshape(-1)
    names = share & (inp.parent >= 0) & (inp.parent != root_user[inp.cascade])
    records = np.bincount(src[names], minlength=int(src.max(initial=-1)) + 1) > 0
    said = ~np.isnan(inp.recorded)
    row_value = np.where(said, inp.recorded, np.where(records[src], 1.0, np.nan))
    shares = np.flatnonzero(share)
    casc, value = inp.cascade[shares], row_value[shares]
    yes = np.bincount(casc, weights=value == 1.0, minlength=n_casc) > 0
    no = np.bincount(casc, weights=value == 0.0, minlength=n_casc) > 0
    recorded = np.where(yes, 1.0, np.where(no, 0.0, np.nan))
    # the file of each cascade's first reshare row, else of its first row
    first = np.full(n_casc, -1, dtype=np.int64)
    rows = np.arange(len(inp.cascade))[::-1]
    first[inp.cascade[rows]] = rows
    rev = shares[::-1]
    first[inp.cascade[rev]] = rev
    files = inp.files[np.maximum(first, 0)] if len(inp.files) else np.zeros(0, dtype=object)
    return np.asarray(files, dtype=object), recorded


def _utc(micros: np.ndarray) -> pd.Series:
    return pd.Series(np.asarray(micros, dtype=np.int64).view("datetime64[us]")).dt.tz_localize(
        "UTC"
    )


def _text(arr: pa.Array) -> pd.Series:
    return pd.Series(pd.array(arr, dtype=_STR))


def _assemble(
    inp,
    report,
    rule,
    casc,
    user,
    parent,
    depth,
    when,
    is_root,
    children,
    subtree,
    tall,
    followers,
    label,
    size,
    flat,
    root_time,
    source,
    recorded,
) -> Cascades:
    post_id = _text(_take(inp.post_ids, casc))
    platform = _text(_take(inp.platforms, casc))
    users = _text(_take(inp.users, user))
    parents = _text(_take(inp.users, np.where(is_root, -1, user[parent])))
    times = _utc(when)
    inference = pd.Categorical.from_codes(label, categories=_LABELS)
    nodes = pd.DataFrame(
        {
            "cascade": casc,
            "post_id": post_id,
            "platform": platform,
            "user": users,
            "parent": parents,
            "generation": depth,
            "time": times,
            "is_root": is_root,
            "children": children.astype(np.int64),
            "subtree_size": subtree,
            "height": tall,
            "followers": pd.array(followers, dtype="Int64"),
            "inference": inference,
        }
    )
    edges = nodes.loc[~is_root, [*_EDGE_COLUMNS, "inference"]]
    edges = edges.rename(columns={"user": "child"}).reset_index(drop=True)
    n_casc = len(size)
    root_nodes = np.flatnonzero(is_root)
    roots = pd.DataFrame(
        {
            "cascade": np.arange(n_casc),
            "post_id": _text(inp.post_ids),
            "platform": _text(inp.platforms),
            "root": users.iloc[root_nodes].reset_index(drop=True),
            "started_at": _utc(root_time),
            "size": size.astype(np.int64),
            "source": pd.Series(source, dtype=_STR),
            "parents_recorded": pd.array(
                np.where(np.isnan(recorded), None, recorded == 1.0), dtype="boolean"
            ),
            "flat": flat,
            "inference": pd.Categorical.from_codes(
                np.where(flat, _LABELS.index(rule), 0), categories=_LABELS
            ),
        }
    )
    return Cascades(edges, nodes, roots, report, rule, parent, _repairs(inp))


def _repairs(inp: _Input) -> pd.DataFrame:
    """The structured twin of the report: one row per repair, people in their own columns."""
    if not inp.repairs:
        return _empty_repairs()
    rule, action, idx, casc, user, given, used = (
        np.concatenate(
            [np.full(len(r[2]), r[k], dtype=object) if k < 2 else r[k] for r in inp.repairs]
        )
        for k in range(7)
    )
    idx = idx.astype(np.int64)
    has = idx >= 0
    safe = np.where(has, idx, 0)
    casc = casc.astype(np.int64)
    return pd.DataFrame(
        {
            "file": pd.array(np.where(has, inp.files[safe], inp.default_file), dtype=_STR),
            "row": pd.array(np.where(has, inp.rows[safe], pd.NA), dtype="Int64"),
            "post_id": _text(_take(inp.post_ids, casc)),
            "platform": _text(_take(inp.platforms, casc)),
            "user": _text(_take(inp.users, user.astype(np.int64))),
            "parent_user_id": _text(_take(inp.users, given.astype(np.int64))),
            "parent": _text(_take(inp.users, used.astype(np.int64))),
            "rule": pd.array(rule, dtype=_STR),
            "action": pd.array(action, dtype=_STR),
        }
    )


def _empty_repairs() -> pd.DataFrame:
    cols = ["file", "row", "post_id", "platform", "user", "parent_user_id", "parent", "rule"]
    out = pd.DataFrame({c: pd.Series([], dtype="Int64" if c == "row" else _STR) for c in cols})
    return out.assign(action=pd.Series([], dtype=_STR))


def _empty(report: CleaningReport, rule: str) -> Cascades:
    cat = pd.Categorical([], categories=_LABELS)
    nodes = pd.DataFrame(
        {
            "cascade": np.zeros(0, np.int64),
            "post_id": pd.Series([], dtype=_STR),
            "platform": pd.Series([], dtype=_STR),
            "user": pd.Series([], dtype=_STR),
            "parent": pd.Series([], dtype=_STR),
            "generation": np.zeros(0, np.int64),
            "time": _utc(np.zeros(0, np.int64)),
            "is_root": np.zeros(0, bool),
            "children": np.zeros(0, np.int64),
            "subtree_size": np.zeros(0, np.int64),
            "height": np.zeros(0, np.int64),
            "followers": pd.array([], dtype="Int64"),
            "inference": cat,
        }
    )
    edges = nodes[_EDGE_COLUMNS]
    edges = edges.rename(columns={"user": "child"}).assign(inference=cat)
    roots = pd.DataFrame(
        {
            "cascade": np.zeros(0, np.int64),
            "post_id": pd.Series([], dtype=_STR),
            "platform": pd.Series([], dtype=_STR),
            "root": pd.Series([], dtype=_STR),
            "started_at": _utc(np.zeros(0, np.int64)),
            "size": np.zeros(0, np.int64),
            "source": pd.Series([], dtype=_STR),
            "parents_recorded": pd.array([], dtype="boolean"),
            "flat": np.zeros(0, bool),
            "inference": cat,
        }
    )
    return Cascades(edges, nodes, roots, report, rule, np.zeros(0, np.int64), _empty_repairs())


# -- the period ----------------------------------------------------------------------------------
def select_period(
    events: pd.DataFrame, start_date: str | None = "", end_date: str | None = ""
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The events of the posts published in a period, and the period actually covered.

    A post's publication is the time of its earliest ``post`` event (its UTC day); for a
    post without one, its earliest post or share event. Every event of a post published in
    the period is kept (its reshares may come later); posts whose time is unknown are kept
    only when the period is open at both ends.

    Parameters
    ----------
    events
        The events table (``post_id``, ``action``, ``occurred_at``; ``platform``); not
        mutated.
    start_date, end_date
        First and last day included, ISO dates (``"2025-03-01"``); ``""`` or None leaves
        that side open.

    Returns
    -------
    tuple of (DataFrame, dict)
        The events kept (the same columns), and ``{"start_date", "end_date", "posts",
        "posts_in_folder", "sentence"}``: the first and last day of the period covered
        (the bound given, else the first or last publication day of the posts kept; None
        when nothing is known), how many posts are kept and were there, and a sentence
        saying so.

    Raises
    ------
    RoiInputError
        A date that is not an ISO date, a period that ends before it starts, or
        unreadable times (the error names the file and rows).

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"post_id": ["p", "p", "q"], "platform": "x",
    ...     "action": ["post", "share", "post"], "user_id": ["a", "b", "a"],
    ...     "occurred_at": pd.to_datetime(["2025-03-01 10:00", "2025-04-02 08:00",
    ...                                    "2025-04-01 09:00"], utc=True)})
    >>> kept, period = select_period(ev, "2025-03-01", "2025-03-31")
    >>> kept["user_id"].tolist(), period["start_date"], period["end_date"], period["posts"]
    (['a', 'b'], '2025-03-01', '2025-03-31', 1)
    """
    if not isinstance(events, pd.DataFrame):
        raise TypeError(f"events must be a DataFrame, not {type(events).__name__}")
    start, end = parameter_day(start_date, "start_date"), parameter_day(end_date, "end_date")
    if start is not None and end is not None and end < start:
        raise RoiInputError(
            f"the period ends ({end:%Y-%m-%d}) before it starts ({start:%Y-%m-%d})",
            column="end_date",
            expected="end_date on or after start_date",
        )
    for col in ("post_id", "action", "occurred_at"):
        if col not in events.columns:
            raise RoiInputError(
                f"missing column {col!r}",
                path=file_of(events),
                column=col,
                expected="the events table: post_id, platform, user_id, action, occurred_at",
            )
    given = [None if d is None else f"{d:%Y-%m-%d}" for d in (start, end)]
    if events.empty:
        return events, {
            "start_date": given[0],
            "end_date": given[1],
            "posts": 0,
            "posts_in_folder": 0,
            "sentence": "No post or reshare events: no post to place in the period.",
        }
    keys = [events["post_id"].astype("str")]
    if "platform" in events:
        keys.append(events["platform"].astype("str"))
    action = events["action"].astype("str")
    used = action.isin(["post", "share"])
    t = _as_utc(events, CleaningReport())
    published = t.where(action == "post").groupby(keys, dropna=False).transform("min")
    published = published.fillna(t.where(used).groupby(keys, dropna=False).transform("min"))
    day = published.dt.tz_convert("UTC").dt.tz_localize(None).dt.normalize()
    keep = used.groupby(keys, dropna=False).transform("any").astype(bool)
    if start is not None:
        keep &= (day >= start).fillna(False)
    if end is not None:
        keep &= (day <= end).fillna(False)
    kept = events[keep.to_numpy(dtype=bool)]
    post = used.groupby(keys, dropna=False, sort=False).ngroup()  # one number per post
    n_all, n_kept = int(post[used].nunique()), int(post[keep & used].nunique())
    days = day[keep & used].dropna()
    first = start if start is not None else (days.min() if len(days) else None)
    last = end if end is not None else (days.max() if len(days) else None)
    iso = [None if d is None else f"{d:%Y-%m-%d}" for d in (first, last)]
    if start is None and end is None:
        sentence = f"All {_plural(n_all, 'post')} with post or reshare events" + (
            f", published {iso[0]} to {iso[1]}." if iso[0] else "."
        )
    else:
        sentence = (
            f"{n_kept:,} of {_plural(n_all, 'post')} with post or reshare events were "
            f"published from {iso[0] or 'the first'} to {iso[1] or 'the last'}: their "
            "cascades are the ones below (their reshares counted whenever they came)."
        )
    return kept, {
        "start_date": iso[0],
        "end_date": iso[1],
        "posts": n_kept,
        "posts_in_folder": n_all,
        "sentence": sentence,
    }


# -- measuring -----------------------------------------------------------------------------------
def _check_cascades(cascades: Any) -> Cascades:
    if not isinstance(cascades, Cascades):
        raise TypeError(
            f"expected the Cascades that build_cascades() returns, not {type(cascades).__name__}"
        )
    return cascades


def select_cascades(
    cascades: Cascades, min_size: int = 1, post_ids: str | list[str] | None = None
) -> Cascades:
    """Some of the cascades: those of at least ``min_size`` people (and of some posts).

    Parameters
    ----------
    cascades
        From :func:`build_cascades`; not mutated.
    min_size
        Smallest cascade kept (people, the author included).
    post_ids
        Keep only these posts (one id or several); ``None`` keeps all.

    Returns
    -------
    Cascades
        The same tables restricted to the chosen cascades, renumbered from 0, with the
        same ``report`` and ``inference``.

    Raises
    ------
    RoiInputError
        A post id with no cascade.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"post_id": ["p", "p", "q"], "platform": "x",
    ...     "action": ["post", "share", "post"], "user_id": ["a", "b", "a"],
    ...     "parent_user_id": [None, None, None],
    ...     "occurred_at": pd.Timestamp("2024-01-01", tz="UTC")})
    >>> select_cascades(build_cascades(ev), min_size=2).roots["post_id"].tolist()
    ['p']
    """
    cascades = _check_cascades(cascades)
    roots = cascades.roots
    keep = roots["size"].to_numpy() >= min_size
    if post_ids is not None:
        chosen = np.zeros(len(roots), dtype=bool)
        chosen[_pick(cascades, post_ids)] = True
        keep &= chosen
    renumber = np.cumsum(keep) - 1
    casc = cascades.nodes["cascade"].to_numpy()
    mask = keep[casc]
    new_index = np.cumsum(mask) - 1
    nodes = cascades.nodes.loc[mask].reset_index(drop=True)
    nodes["cascade"] = renumber[nodes["cascade"].to_numpy()]
    edges = cascades.edges.loc[keep[cascades.edges["cascade"].to_numpy()]].reset_index(drop=True)
    edges["cascade"] = renumber[edges["cascade"].to_numpy()]
    kept_roots = roots.loc[keep].reset_index(drop=True)
    kept_roots["cascade"] = np.arange(len(kept_roots))
    parent = new_index[cascades._parent[mask]]
    repairs = cascades.repairs[cascades.repairs["post_id"].isin(kept_roots["post_id"])]
    return Cascades(
        edges,
        nodes,
        kept_roots,
        cascades.report,
        cascades.inference,
        parent,
        repairs.reset_index(drop=True),
    )


#: What each repair rule of :func:`build_cascades` does, in a sentence.
REPAIR_RULES = {
    "repeated post event": "the author's 'post' event appears again: the earliest is the original",
    "second post event": "someone else also has a 'post' event for it: counted as a reshare",
    "root from author_id": "no 'post' event: the author named in author_id is taken as the root",
    "author differs": "author_id names someone other than who posted: the 'post' event wins",
    "synthetic root": "no 'post' event and no author: a stand-in root named after the post",
    "author reshared own post": "the author reshared their own post: adds nobody, set aside",
    "self-loop": "reshared from themselves: set aside, or attached to the post if their first",
    "duplicate edge": "the same reshare again: the earliest is kept",
    "second parent": "reshared again from someone else: the earliest appearance is the adoption",
    "parent never seen": "reshared from someone not in the cascade: attached to the post",
    "parent adopted later": "reshared from someone who adopted later: attached to the post",
    "cycle": "reshares in a loop: its earliest adopter is attached to the post",
    "before the original post": "reshared before the post's own time: kept, flagged",
}


def cleaning_balance(cascades: Cascades, load_report: CleaningReport | None = None) -> pd.DataFrame:
    """Rows read, kept, set aside, changed and flagged: loading the files, then the trees.

    The two steps count different things and must not be read as one: loading reads
    every row of the events files (likes and comments included) and keeps what it can
    read; growing the trees reads the post and share rows loading kept, keeps one row per
    person per cascade (their adoption) and sets aside the rest (duplicates, self-loops,
    second parents), repairing parents and flagging doubtful times on the way.

    Parameters
    ----------
    cascades
        From :func:`build_cascades`; not mutated.
    load_report
        The load report of the events files (``Dataset.report_for("events")``), or None.

    Returns
    -------
    DataFrame
        One row per step (``loading the events files`` when ``load_report`` is given,
        then ``growing the reshare trees``): ``step``, ``files``, ``rows_read``,
        ``rows_kept``, ``rows_set_aside`` (deduplicated included), ``rows_changed``
        (values repaired, coerced or assumed, row by row) and ``rows_flagged`` (kept as
        they are, but doubtful).

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"post_id": "p", "platform": "x", "action": ["post", "share", "share"],
    ...     "user_id": ["a", "b", "b"], "parent_user_id": [None, None, None],
    ...     "occurred_at": pd.date_range("2024-01-01", periods=3, freq="h", tz="UTC")})
    >>> b = cleaning_balance(build_cascades(ev))
    >>> b[["rows_read", "rows_kept", "rows_set_aside"]].values.tolist()
    [[3, 2, 1]]
    """
    cascades = _check_cascades(cascades)
    steps = []
    if load_report is not None:
        steps.append(("loading the events files", load_report))
    steps.append(("growing the reshare trees (post and share rows)", cascades.report))
    rows = []
    for name, rep in steps:
        bal = rep.balance()
        entries = rep.to_frame()
        with_row = entries[entries["row"].notna()]
        action = with_row["action"].astype("str")
        rows.append(
            {
                "step": name,
                "files": len(bal),
                "rows_read": int(bal["rows_read"].sum()),
                "rows_kept": int(bal["rows_kept"].sum()),
                "rows_set_aside": int(bal["rows_set_aside"].sum()),
                "rows_changed": int(action.isin(["repaired", "coerced", "assumed"]).sum()),
                "rows_flagged": int((action == "flagged").sum()),
            }
        )
    return pd.DataFrame(rows).astype({"step": _STR})


def repair_summary(cascades: Cascades) -> pd.DataFrame:
    """What :func:`build_cascades` repaired, one row per rule, with an example.

    Parameters
    ----------
    cascades
        From :func:`build_cascades`; not mutated.

    Returns
    -------
    DataFrame
        One row per rule and action, most frequent first: ``rule``, ``action``
        (repaired, set aside, deduplicated, assumed, flagged), ``rows`` (entries),
        ``posts`` (cascades concerned), ``post_id``, ``user``, ``parent_user_id`` (one
        example: pass the table through :func:`roi_helpers.privacy.hide_people` before
        showing it), ``meaning`` (what the rule does).

    Raises
    ------
    TypeError
        ``cascades`` is not what :func:`build_cascades` returns.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"post_id": "p", "platform": "x", "action": ["post", "share", "share"],
    ...     "user_id": ["a", "b", "b"], "parent_user_id": [None, None, None],
    ...     "occurred_at": pd.date_range("2024-01-01", periods=3, freq="h", tz="UTC")})
    >>> repair_summary(build_cascades(ev))[["rule", "rows", "user"]].values.tolist()
    [['duplicate edge', 1, 'b']]
    """
    rep = _check_cascades(cascades).repairs
    cols = ["rule", "action", "rows", "posts", "post_id", "user", "parent_user_id", "meaning"]
    if rep.empty:
        return pd.DataFrame(
            {c: pd.Series([], dtype="int64" if c in ("rows", "posts") else _STR) for c in cols}
        )
    grouped = rep.groupby(["rule", "action"], sort=False)
    out = grouped.agg(
        rows=("post_id", "size"),
        posts=("post_id", "nunique"),
        post_id=("post_id", "first"),
        user=("user", "first"),
        parent_user_id=("parent_user_id", "first"),
    ).reset_index()
    out["meaning"] = out["rule"].map(REPAIR_RULES).astype(_STR)
    out = out.sort_values("rows", ascending=False, kind="stable").reset_index(drop=True)
    return out[cols]


def _origin(cascades: Cascades) -> np.ndarray:
    """Each cascade's start in microseconds: the post's time, else its earliest adoption."""
    nodes = cascades.nodes
    casc = nodes["cascade"].to_numpy()
    t = nodes["time"].array.asi8
    earliest = np.full(len(cascades.roots), _LATE, dtype=np.int64)
    known = t != _NAT
    np.minimum.at(earliest, casc[known], t[known])
    earliest[earliest == _LATE] = _NAT
    started = cascades.roots["started_at"].array.asi8
    return np.where(started != _NAT, started, earliest)


def _adoption_order(
    cascades: Cascades, origin: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Node order by cascade then time (the root first), those times, and which were early.

    Times are measured from the origin: a reshare timed before the original post (a
    clock problem, flagged by :func:`build_cascades`) counts as adopting at the post's
    time, after the author. Returns ``(order, times, early)``; ``early`` marks the
    clamped reshares. Nodes are stored root first, then by adoption time, so the stored
    order is already this one; a sort runs only for tables put together otherwise.
    """
    nodes = cascades.nodes
    casc = nodes["cascade"].to_numpy()
    raw = nodes["time"].array.asi8
    t = raw.copy()
    roots = nodes["is_root"].to_numpy()
    t[roots] = origin[casc[roots]]
    start = origin[casc]
    early = ~roots & (t != _NAT) & (start != _NAT) & (t < start)
    t[early] = start[early]
    key = np.where(t == _NAT, _LATE, t)
    if len(key) < 2:
        return np.arange(len(t)), t, early
    same = casc[1:] == casc[:-1]
    in_order = ~roots[1:] & (key[1:] >= key[:-1])
    ordered = (casc[1:] >= casc[:-1]) & (~same | in_order)
    if bool(np.all(ordered)):
        return np.arange(len(t)), t, early
    tie = np.where(raw == _NAT, _LATE, raw)
    return np.lexsort((tie, ~roots, key, casc)), t, early


def _time_to(cascades: Cascades, shares: tuple[float, ...], origin: np.ndarray) -> list[pd.Series]:
    """Time from the start until ``ceil(share * size)`` people had adopted, per share."""
    order, t, _ = _adoption_order(cascades, origin)
    size = cascades.roots["size"].to_numpy()
    start = np.concatenate([[0], np.cumsum(size)[:-1]]).astype(np.int64)
    out = []
    for share in shares:
        k = np.ceil(share * size - 1e-9).astype(np.int64)
        reached = t[order[start + np.maximum(k, 1) - 1]]
        delta = np.where((reached == _NAT) | (origin == _NAT), _NAT, reached - origin)
        out.append(pd.Series(delta.view("timedelta64[us]")))
    return out


def cascade_metrics(cascades: Cascades) -> pd.DataFrame:
    """One row per cascade (post): how big, how deep, how broad, how viral, how fast.

    Structural virality is Goel et al.'s (2016) mean shortest-path distance between all
    pairs of people in the tree, computed in O(n) from subtree sizes: the edge above a
    subtree of ``s`` nodes lies on the path of ``s (n - s)`` pairs, so it is
    ``sum(s (n - s)) / (n (n - 1) / 2)``. A star (one broadcast) of ``n`` people scores
    ``2 (n - 1) / n``, close to 2; a chain of ``n`` people ``(n + 1) / 3``. A cascade of
    one person (nobody reshared) has no pairs: its value is defined as 0, as networkx's
    ``average_shortest_path_length`` gives for a single node.

    Parameters
    ----------
    cascades
        From :func:`build_cascades`; not mutated.

    Returns
    -------
    DataFrame
        Sorted by size (largest first), one row per cascade:

        ``cascade``, ``post_id``, ``platform``
            Which post.
        ``size``
            People in the tree, the original author included.
        ``depth``
            Generations below the root (0 when nobody reshared).
        ``max_breadth``, ``breadth_generation``
            The most people in one generation (generation 1 or later; 0 when nobody
            reshared) and the first generation where it occurs (``<NA>`` when none).
        ``structural_virality``
            Mean distance between two people of the tree (see above).
        ``direct_reshares``
            Reshares straight from the original post (generation 1).
        ``time_to_half``, ``time_to_90pct``
            Time from the original post (or, when its time is unknown, the first
            adoption) until half and 90% of the final size had adopted (``ceil`` of the
            share, the author counting as the first); ``NaT`` where times are unknown.
            Never negative: reshares timed before the post count as adopting at the
            post's time (see ``reshares_before_post``).
        ``reshares_before_post``
            Reshares whose time is before the original post's (clocks disagree; flagged
            by :func:`build_cascades`): counted from the post's time.
        ``potential_reach``
            Sum of the known follower counts of everyone in the tree (``<NA>`` when none
            is known): how many feeds it could have appeared in, duplicates included.
        ``followers_known``
            How many people in the tree have a known follower count.
        ``started_at``
            The original post's time (``NaT`` without a post event).
        ``flat``, ``inference``
            Whether the data attributed every reshare to the original post, and how
            parents were set (``given``, or the inference rule's name).

    Raises
    ------
    TypeError
        ``cascades`` is not what :func:`build_cascades` returns.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"post_id": "p", "platform": "x", "action": "share",
    ...                    "user_id": ["b", "c", "d"], "author_id": "a",
    ...                    "occurred_at": pd.Timestamp("2024-01-01", tz="UTC"),
    ...                    "parent_user_id": [None, None, None]})
    >>> m = cascade_metrics(build_cascades(ev))
    >>> m[["size", "depth", "max_breadth", "structural_virality"]].values.tolist()
    [[4.0, 1.0, 3.0, 1.5]]
    """
    cascades = _check_cascades(cascades)
    nodes, roots = cascades.nodes, cascades.roots
    n_casc = len(roots)
    casc = nodes["cascade"].to_numpy()
    gen = nodes["generation"].to_numpy()
    sub = nodes["subtree_size"].to_numpy().astype(np.float64)
    is_root = nodes["is_root"].to_numpy()
    size = roots["size"].to_numpy()
    n = size[casc].astype(np.float64)
    pairs = np.bincount(casc[~is_root], weights=(sub * (n - sub))[~is_root], minlength=n_casc)
    total = size * (size - 1) / 2.0
    virality = np.divide(pairs, total, out=np.zeros(n_casc), where=total > 0)

    depth = np.zeros(n_casc, dtype=np.int64)
    np.maximum.at(depth, casc, gen)
    breadth = np.zeros(n_casc, dtype=np.int64)
    breadth_gen = np.full(n_casc, -1, dtype=np.int64)
    if (~is_root).any():
        width = int(gen.max()) + 1
        key, count = np.unique(casc[~is_root] * width + gen[~is_root], return_counts=True)
        kc, kg = key // width, key % width
        best = np.lexsort((kg, -count, kc))
        first = _first_of_groups(kc[best])
        breadth[kc[best][first]] = count[best][first]
        breadth_gen[kc[best][first]] = kg[best][first]

    followers = nodes["followers"].to_numpy(dtype=float, na_value=np.nan)
    known = ~np.isnan(followers)
    reach = np.bincount(casc[known], weights=followers[known], minlength=n_casc)
    n_known = np.bincount(casc[known], minlength=n_casc)
    origin = _origin(cascades)
    half, most = _time_to(cascades, (0.5, 0.9), origin)
    early = _adoption_order(cascades, origin)[2]
    n_early = np.bincount(casc[early], minlength=n_casc).astype(np.int64)
    out = pd.DataFrame(
        {
            "cascade": roots["cascade"].to_numpy(),
            "post_id": roots["post_id"],
            "platform": roots["platform"],
            "size": size,
            "depth": depth,
            "max_breadth": breadth,
            "breadth_generation": pd.array(
                np.where(breadth_gen < 0, np.nan, breadth_gen), dtype="Int64"
            ),
            "structural_virality": virality,
            "direct_reshares": nodes["children"].to_numpy()[is_root],
            "time_to_half": half,
            "time_to_90pct": most,
            "reshares_before_post": n_early,
            "potential_reach": pd.array(np.where(n_known > 0, reach, np.nan), dtype="Int64"),
            "followers_known": n_known.astype(np.int64),
            "started_at": roots["started_at"],
            "flat": roots["flat"],
            "inference": roots["inference"],
        }
    )
    out = out.sort_values(["size", "cascade"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


def cascade_generations(cascades: Cascades) -> pd.DataFrame:
    """Generation by generation: how many people, and how many each passed it on to.

    Parameters
    ----------
    cascades
        From :func:`build_cascades`; not mutated.

    Returns
    -------
    DataFrame
        One row per cascade and generation (0 = the original post), in cascade order:
        ``cascade``, ``post_id``, ``platform``, ``generation``; ``people`` (in that
        generation); ``cumulative`` (people up to and including it); ``branching_factor``
        (people in the next generation per person in this one: the mean number of
        reshares each triggered; 0 in the last generation); ``inference`` (how the
        cascade's parents were set: ``given``, or the rule that inferred them in a flat
        cascade, which decides every generation below the first).

    Raises
    ------
    TypeError
        ``cascades`` is not what :func:`build_cascades` returns.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"post_id": "p", "platform": "x",
    ...     "action": ["post", "share", "share", "share"], "user_id": ["a", "b", "c", "d"],
    ...     "parent_user_id": [None, None, "b", "b"],
    ...     "occurred_at": pd.date_range("2024-01-01", periods=4, freq="h", tz="UTC")})
    >>> cascade_generations(build_cascades(ev))[["generation", "people", "branching_factor"]].values.tolist()
    [[0.0, 1.0, 1.0], [1.0, 1.0, 2.0], [2.0, 2.0, 0.0]]
    """
    cascades = _check_cascades(cascades)
    nodes, roots = cascades.nodes, cascades.roots
    casc = nodes["cascade"].to_numpy()
    gen = nodes["generation"].to_numpy()
    width = int(gen.max()) + 1 if len(gen) else 1
    key, people = np.unique(casc * width + gen, return_counts=True)
    kc, kg = key // width, key % width
    nxt = np.zeros(len(key), dtype=np.int64)
    same = np.zeros(len(key), dtype=bool)
    same[:-1] = (kc[1:] == kc[:-1]) & (kg[1:] == kg[:-1] + 1)
    nxt[:-1] = np.where(same[:-1], people[1:], 0)
    cum = np.cumsum(people)
    first = _first_of_groups(kc)
    base = np.maximum.accumulate(np.where(first, cum - people, 0)) if len(cum) else cum
    return pd.DataFrame(
        {
            "cascade": kc,
            "post_id": roots["post_id"].to_numpy()[kc],
            "platform": roots["platform"].to_numpy()[kc],
            "generation": kg,
            "people": people.astype(np.int64),
            "cumulative": (cum - base).astype(np.int64),
            "branching_factor": nxt / people,
            "inference": pd.Categorical(
                np.asarray(roots["inference"].astype(str), dtype=object)[kc], categories=_LABELS
            ),
        }
    ).astype({"post_id": _STR, "platform": _STR})


def _pick(cascades: Cascades, post_ids: Any) -> np.ndarray:
    """Cascade numbers for some post ids (all when None); an error naming the unknown ones."""
    roots = cascades.roots
    if post_ids is None:
        return roots["cascade"].to_numpy()
    wanted = [post_ids] if isinstance(post_ids, str) else list(post_ids)
    known = roots["post_id"].isin(wanted)
    missing = sorted(set(map(str, wanted)) - set(roots.loc[known, "post_id"]))
    if missing:
        largest = roots.nlargest(3, "size")["post_id"].tolist()
        raise RoiInputError(
            f"no cascade for post(s) {', '.join(missing[:5])}",
            column="post_id",
            expected="the post_id of a cascade, such as " + ", ".join(largest),
        )
    return roots.loc[known, "cascade"].to_numpy()


def cascade_spread(cascades: Cascades, post_ids: str | list[str] | None = None) -> pd.DataFrame:
    """Cumulative adopters over time, for some cascades (all by default).

    Parameters
    ----------
    cascades
        From :func:`build_cascades`; not mutated.
    post_ids
        One post id or several; ``None`` for all.

    Returns
    -------
    DataFrame
        One row per person, by cascade then time, the author first: ``cascade``,
        ``post_id``, ``user``, ``time`` (adoption as recorded; the original post's time for
        the root), ``elapsed`` (time since the start: the post's time, or the first
        adoption when that is unknown; never negative), ``hours`` (the same in hours),
        ``before_post`` (True for a reshare timed before the original post: counted at
        the post's time, right after the author), ``adopters`` (people who had adopted by
        then, the author included) and ``share_of_final`` (``adopters / size``). People
        whose time is unknown come last, with ``NaT``.

    Raises
    ------
    RoiInputError
        A post id with no cascade.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"post_id": "p", "platform": "x", "action": ["post", "share"],
    ...     "user_id": ["a", "b"], "parent_user_id": [None, None],
    ...     "occurred_at": pd.to_datetime(["2024-01-01 00:00", "2024-01-01 03:00"], utc=True)})
    >>> cascade_spread(build_cascades(ev))[["hours", "adopters"]].values.tolist()
    [[0.0, 1.0], [3.0, 2.0]]
    """
    cascades = _check_cascades(cascades)
    nodes, roots = cascades.nodes, cascades.roots
    origin = _origin(cascades)
    order, t, early = _adoption_order(cascades, origin)
    order = order[np.isin(nodes["cascade"].to_numpy()[order], _pick(cascades, post_ids))]
    part = nodes.iloc[order][["cascade", "post_id", "user"]].reset_index(drop=True)
    recorded = nodes["time"].array.asi8[order]
    is_root = nodes["is_root"].to_numpy()[order]
    t, casc = t[order], part["cascade"].to_numpy()
    part["time"] = _utc(np.where(is_root, t, recorded))
    delta = np.where((t == _NAT) | (origin[casc] == _NAT), _NAT, t - origin[casc])
    part["elapsed"] = delta.view("timedelta64[us]")
    part["hours"] = np.where(delta == _NAT, np.nan, delta / 3.6e9)
    part["before_post"] = early[order]
    first = _first_of_groups(casc)
    idx = np.arange(len(casc))
    part["adopters"] = idx - np.maximum.accumulate(np.where(first, idx, 0)) + 1
    part["share_of_final"] = part["adopters"] / roots["size"].to_numpy()[casc]
    return part


# -- who carried it ------------------------------------------------------------------------------
def _relationships(audience: pd.DataFrame) -> pd.Series:
    """One relationship per person id (the most commercial one when accounts disagree)."""
    from .schema import RELATIONSHIPS

    for col in ("person_id", "relationship"):
        if col not in audience.columns:
            raise RoiInputError(
                f"the audience table has no {col!r} column",
                path=file_of(audience),
                column=col,
                expected="an audience table with person_id and relationship (client, "
                "prospect, partner, competitor, internal, peer, other)",
                hint="Derive relationships with roi_helpers.relevance first.",
            )
    rank = {r: i for i, r in enumerate(RELATIONSHIPS)}
    aud = audience[["person_id", "relationship"]].dropna()
    aud = aud.assign(
        _rank=aud["relationship"].astype("str").map(rank).fillna(len(rank)),
        person_id=aud["person_id"].astype("str"),
    )
    aud = aud.sort_values("_rank", kind="stable").drop_duplicates("person_id")
    return aud.set_index("person_id")["relationship"].astype("str")


def relevant_people(
    audience: pd.DataFrame,
    target_functions: Any = (),
    min_seniority: str = "Manager",
    relationships: tuple[str, ...] = ("client", "prospect"),
) -> frozenset[str]:
    """The people of an audience who count as relevant: buyers' people and target personas.

    Notebook 01's definition of a buyer: a connection at a client or prospect account
    (``relationships``), or a *target persona*: someone in one of ``target_functions``
    at ``min_seniority`` or above who is not a colleague, partner or competitor.

    Parameters
    ----------
    audience
        An audience table with ``person_id`` and ``relationship`` (see
        :func:`roi_helpers.relevance.add_relationship`), and ``function`` and
        ``seniority`` for target personas. Not mutated.
    target_functions
        LinkedIn job functions sold to (``"Finance"`` or a list; case does not matter);
        empty: no target persona.
    min_seniority
        The lowest seniority of a target persona (one of
        :data:`roi_helpers.relevance.SENIORITIES`, Unknown excepted).
    relationships
        Relationships whose people are relevant whatever their job.

    Returns
    -------
    frozenset of str
        Their ``person_id`` values: pass it to :func:`attribution` as ``relevant``.

    Raises
    ------
    RoiInputError
        A missing column, or a function or seniority the kit does not know.

    Examples
    --------
    >>> import pandas as pd
    >>> aud = pd.DataFrame({"person_id": ["a", "b", "c", "d"],
    ...     "relationship": ["client", "other", "other", "internal"],
    ...     "function": ["Sales", "Finance", "Finance", "Finance"],
    ...     "seniority": ["Entry", "Director", "Entry", "VP"]})
    >>> sorted(relevant_people(aud, ["finance"], "Manager"))
    ['a', 'b']
    """
    from .relevance import personas

    _relationships(audience)  # checks person_id and relationship
    rel = audience["relationship"].astype("str")
    keep = rel.isin(list(relationships)).to_numpy(dtype=bool)
    targets = [target_functions] if isinstance(target_functions, str) else target_functions
    targets = [t for t in (str(v).strip() for v in targets or ()) if t]
    if targets:
        for col in ("function", "seniority"):
            if col not in audience.columns:
                raise RoiInputError(
                    f"target personas need the audience's {col!r} column",
                    path=file_of(audience),
                    column=col,
                    expected="an audience whose titles were classified (function, seniority)",
                    hint="Derive them with roi_helpers.relevance.add_relationship first.",
                )
        # one definition of a target persona, the relevance notebook's
        keep = keep | personas(audience, targets, min_seniority).to_numpy(dtype=bool)
    return frozenset(audience.loc[keep, "person_id"].astype("str"))


def audience_overlap(
    cascades: Cascades, audience: pd.DataFrame | None, relevant: Any = None
) -> dict[str, Any]:
    """How many resharers the audience knows, in a sentence for the page.

    Resharers are matched to the audience on ``user == person_id``. Ids from different
    platforms never match: an X user id is not a LinkedIn profile slug, so reshares on X
    against LinkedIn connections match nobody, and saying so beats a column that reads
    "not in audience" for everyone.

    Parameters
    ----------
    cascades
        From :func:`build_cascades`; not mutated.
    audience
        The audience table (``person_id``), or None.
    relevant
        The relevant person ids (see :func:`relevant_people`), or None.

    Returns
    -------
    dict
        ``resharers`` (distinct people who reshared), ``in_audience`` (of them, in the
        audience), ``relevant`` (of them, relevant; None without ``relevant``),
        ``platforms`` (the resharers' platforms) and ``sentence``.

    Raises
    ------
    RoiInputError
        ``audience`` has no ``person_id`` column.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"post_id": "p", "platform": "x", "action": ["post", "share"],
    ...     "user_id": ["a", "123"], "parent_user_id": [None, None],
    ...     "occurred_at": pd.Timestamp("2024-01-01", tz="UTC")})
    >>> aud = pd.DataFrame({"person_id": ["jane-doe-1a2b"], "relationship": ["client"]})
    >>> audience_overlap(build_cascades(ev), aud)["in_audience"]
    0
    """
    cascades = _check_cascades(cascades)
    nodes = cascades.nodes[~cascades.nodes["is_root"].to_numpy()]
    people = pd.Index(nodes["user"].astype("str").unique())
    platforms = sorted(nodes["platform"].astype("str").dropna().unique())
    out: dict[str, Any] = {
        "resharers": len(people),
        "in_audience": 0,
        "relevant": None,
        "platforms": platforms,
    }
    if audience is None:
        out["sentence"] = ""
        return out
    if "person_id" not in audience.columns:
        raise RoiInputError(
            "the audience table has no 'person_id' column",
            path=file_of(audience),
            column="person_id",
            expected="an audience table with person_id",
        )
    known = people.isin(audience["person_id"].astype("str").unique())
    out["in_audience"] = int(known.sum())
    if relevant is not None:
        out["relevant"] = int(people.isin(list(relevant)).sum())
    n, k = len(people), out["in_audience"]
    where = " and ".join(platforms) if platforms else "these platforms"
    if n == 0:
        out["sentence"] = "Nobody reshared: there is nobody to look up in the audience."
    elif k == 0:
        out["sentence"] = (
            f"None of the {_plural(n, 'resharer')} is in the audience (the connection "
            f"exports, {audience['person_id'].nunique():,} people): the reshares are on "
            f"{where}, and ids from one platform never match another's (an X user id is "
            "not a LinkedIn profile), so nobody downstream can be called a client, a "
            "prospect or a target persona here. Relationships are left out below."
        )
    else:
        rel = "" if out["relevant"] is None else f", {out['relevant']:,} of them relevant"
        out["sentence"] = (
            f"{k:,} of the {_plural(n, 'resharer')} ({k / n:.0%}) are in the audience{rel}; "
            "the others are not among the connections, and are shown as 'not in audience'."
        )
    return out


def attribution(
    cascades: Cascades,
    audience: pd.DataFrame | None = None,
    relevant: Any = None,
    *,
    relevant_relationships: tuple[str, ...] = ("client", "prospect"),
) -> pd.DataFrame:
    """Who carried the posts: per person, the reshares they triggered and everyone downstream.

    A person's *descendants* in a cascade are everyone who reshared from them, directly or
    through others. Counts are summed over the cascades they joined as a resharer; the
    cascades they started as the author are counted apart (``cascades_started``), so the
    leaderboard ranks carriers, not authors.

    Parameters
    ----------
    cascades
        From :func:`build_cascades`; not mutated.
    audience
        An audience table with ``person_id`` and ``relationship`` (see
        :mod:`roi_helpers.relevance`); people are matched on ``person_id == user``. Not
        mutated.
    relevant
        Person ids that count as relevant (an iterable), such as
        :func:`relevant_people` of the audience with target personas. Without it, the
        people of ``audience`` whose relationship is in ``relevant_relationships`` are.
    relevant_relationships
        Relationships that make a person relevant (default client and prospect).

    Returns
    -------
    DataFrame
        One row per person, most descendants first:

        ``user``
            The person.
        ``cascades_joined``, ``cascades_started``
            Cascades they reshared into; cascades they started as the author.
        ``direct_reshares``
            Reshares made straight from them.
        ``descendants``
            Everyone downstream of them, all generations.
        ``deepest_chain``
            The longest chain of reshares below them, in generations.
        ``descendants_reach``
            Sum of the known follower counts of their descendants (0 without
            descendants, ``<NA>`` when none of them has a known count): the potential
            audience they opened up.
        ``followers``
            Their own follower count, where known.
        ``relationship``
            Their own relationship (only with ``audience``).
        ``relevant_descendants``, ``relevant_share``
            Descendants who are relevant, and their share of all descendants (only with
            ``audience`` or ``relevant``; see :func:`relevant_people` for target personas).
        ``inference``
            How the parents were set in the cascades they joined: the rule's name when
            at least one of them is a flat cascade whose parents the rule inferred (their
            counts there are only as good as the rule), else ``given``.

    Raises
    ------
    RoiInputError
        ``audience`` lacks ``person_id`` or ``relationship``.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"post_id": "p", "platform": "x",
    ...     "action": ["post", "share", "share", "share"], "user_id": ["a", "b", "c", "d"],
    ...     "parent_user_id": [None, None, "b", "c"],
    ...     "occurred_at": pd.date_range("2024-01-01", periods=4, freq="h", tz="UTC")})
    >>> att = attribution(build_cascades(ev), relevant={"d"})
    >>> att[["user", "descendants", "direct_reshares", "relevant_descendants"]].values.tolist()[:2]
    [['b', 2, 1, 1], ['c', 1, 1, 1]]
    """
    cascades = _check_cascades(cascades)
    nodes = cascades.nodes
    parent = cascades._parent
    is_root = nodes["is_root"].to_numpy()
    users = nodes["user"]
    followers = nodes["followers"].to_numpy(dtype=float, na_value=np.nan)
    relation = None
    if audience is not None:
        relation = _relationships(audience)
    if relevant is not None:
        good = np.isin(users.to_numpy(dtype=object), np.asarray(list(relevant), dtype=object))
    elif relation is not None:
        wanted = relation[relation.isin(relevant_relationships)].index
        good = users.isin(wanted).to_numpy()
    else:
        good = None
    weights = np.column_stack(
        [
            np.nan_to_num(followers, nan=0.0),
            ~np.isnan(followers),
            np.zeros(len(nodes)) if good is None else good,
        ]
    ).astype(np.float64)
    by_level = tree.levels(nodes["generation"].to_numpy())
    below = tree.sum_up(parent, by_level, weights) - weights

    code, people = pd.factorize(users)
    n_people = len(people)
    carried = ~is_root

    def total(values: np.ndarray, mask: np.ndarray = carried) -> np.ndarray:
        return np.bincount(code[mask], weights=values[mask], minlength=n_people)

    deepest = np.zeros(n_people, dtype=np.int64)
    np.maximum.at(deepest, code[carried], nodes["height"].to_numpy()[carried])
    own = np.full(n_people, -np.inf)
    np.maximum.at(own, code, np.where(np.isnan(followers), -np.inf, followers))
    descendants = total(nodes["subtree_size"].to_numpy() - 1.0)
    reach_known = total(below[:, 1])
    out = pd.DataFrame(
        {
            "user": pd.Series(people, dtype=_STR),
            "cascades_joined": total(np.ones(len(nodes))).astype(np.int64),
            "cascades_started": total(np.ones(len(nodes)), is_root).astype(np.int64),
            "direct_reshares": total(nodes["children"].to_numpy().astype(float)).astype(np.int64),
            "descendants": descendants.astype(np.int64),
            "deepest_chain": deepest,
            "descendants_reach": pd.array(
                np.where((reach_known > 0) | (descendants == 0), total(below[:, 0]), np.nan),
                dtype="Int64",
            ),
            "followers": pd.array(np.where(np.isinf(own), np.nan, own), dtype="Int64"),
        }
    )
    if relation is not None:
        out["relationship"] = out["user"].map(relation).astype(_STR)
    if good is not None:
        rel = total(below[:, 2]).astype(np.int64)
        out["relevant_descendants"] = rel
        out["relevant_share"] = np.divide(
            rel, descendants, out=np.full(n_people, np.nan), where=descendants > 0
        )
    inferred = (cascades.roots["inference"].astype(str) != "given").to_numpy()
    casc = nodes["cascade"].to_numpy()
    in_inferred = total(inferred[casc].astype(float)) > 0
    out["inference"] = pd.Categorical(
        np.where(in_inferred, cascades.inference, "given"), categories=_LABELS
    )
    out = out.sort_values(
        ["descendants", "direct_reshares", "user"], ascending=[False, False, True], kind="stable"
    )
    return out.reset_index(drop=True)


def cascade_layout(
    cascades: Cascades,
    post_id: str | None = None,
    *,
    audience: pd.DataFrame | None = None,
    radial: bool | None = None,
) -> pd.DataFrame:
    """Positions for drawing one cascade as a tree, root at the centre (or top).

    A tidy-tree layout computed level by level: leaves are spread evenly in depth-first
    order (children in adoption order), each parent centred over its leaves; generation
    is the distance from the root. Radial for trees up to 12 generations deep (angle from
    the leaf order, radius from the generation), which keeps broadcasts of hundreds of
    reshares readable; layered for deeper ones (a chain of a hundred generations drawn
    radially is a disk of rings).

    Parameters
    ----------
    cascades
        From :func:`build_cascades`; not mutated.
    post_id
        The post to draw; ``None`` or ``""`` draws the largest cascade.
    audience
        Optional audience table (``person_id``, ``relationship``): adds each person's
        ``relationship`` for colouring.
    radial
        ``True`` radial, ``False`` a layered layout (``x`` along the leaves,
        ``y = -generation``), ``None`` (default) radial up to 12 generations deep,
        layered beyond.

    Returns
    -------
    DataFrame
        One row per person of the cascade: ``post_id``, ``user``, ``parent``,
        ``generation``, ``time``, ``children``, ``subtree_size``, ``inference`` (how
        their parent was set: ``given``, or the inference rule that chose it), ``x``,
        ``y`` (position) and ``parent_x``, ``parent_y`` (the parent's position, ``NaN``
        for the root), plus ``relationship`` with an audience.

    Raises
    ------
    RoiInputError
        ``post_id`` has no cascade.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"post_id": "p", "platform": "x",
    ...     "action": ["post", "share", "share"], "user_id": ["a", "b", "c"],
    ...     "parent_user_id": [None, None, None],
    ...     "occurred_at": pd.date_range("2024-01-01", periods=3, freq="h", tz="UTC")})
    >>> cascade_layout(build_cascades(ev), radial=False)[["user", "x", "y"]].values.tolist()
    [['a', 0.5, 0.0], ['b', 0.0, -1.0], ['c', 1.0, -1.0]]
    """
    cascades = _check_cascades(cascades)
    roots = cascades.roots
    if len(roots) == 0:
        return pd.DataFrame(
            columns=[
                "post_id",
                "user",
                "parent",
                "generation",
                "time",
                "children",
                "subtree_size",
                "inference",
                "x",
                "y",
                "parent_x",
                "parent_y",
            ]
        )
    if post_id is None or post_id == "":
        which = int(
            roots.sort_values(["size", "cascade"], ascending=[False, True])["cascade"].iloc[0]
        )
    else:
        which = int(_pick(cascades, post_id)[0])
    casc = cascades.nodes["cascade"].to_numpy()
    lo, hi = np.searchsorted(casc, [which, which + 1])
    part = cascades.nodes.iloc[lo:hi]
    parent = cascades._parent[lo:hi] - lo
    gen = part["generation"].to_numpy()
    by_level = tree.levels(gen)
    size = part["subtree_size"].to_numpy()
    pre = tree.preorder(parent, by_level, size)
    leaf = part["children"].to_numpy() == 0
    leaf_in_order = np.zeros(len(pre), dtype=np.int64)
    leaf_in_order[pre] = leaf
    leaves_before = np.cumsum(leaf_in_order) - leaf_in_order
    leaves_below = tree.sum_up(parent, by_level, leaf.astype(float))
    slot = leaves_before[pre] + (leaves_below - 1) / 2.0
    if radial is None:
        radial = int(gen.max(initial=0)) <= _RADIAL_DEPTH
    if radial:
        angle = 2 * np.pi * (slot + 0.5) / max(int(leaf.sum()), 1)
        x, y = gen * np.cos(angle), gen * np.sin(angle)
    else:
        x, y = slot, 0.0 - gen
    cols = ["post_id", "user", "parent", "generation", "time", "children", "subtree_size"]
    out = part[[*cols, "inference"]].reset_index(drop=True).assign(x=x, y=y)
    out["parent_x"] = np.where(parent == np.arange(len(parent)), np.nan, x[parent])
    out["parent_y"] = np.where(parent == np.arange(len(parent)), np.nan, y[parent])
    if audience is not None:
        out["relationship"] = out["user"].map(_relationships(audience)).astype(_STR)
    return out


def key_numbers(
    cascades: Cascades,
    metrics: pd.DataFrame | None = None,
    carriers: pd.DataFrame | None = None,
    show_names: bool = False,
) -> dict[str, Any]:
    """The few numbers notebook 03 records: how many cascades, how big, how viral, who.

    Parameters
    ----------
    cascades
        From :func:`build_cascades`; not mutated.
    metrics, carriers
        :func:`cascade_metrics` and :func:`attribution` of ``cascades``, if already
        computed (they are computed otherwise).
    show_names
        Give the top carrier's id; otherwise their pseudonym.

    Returns
    -------
    dict
        ``cascades``, ``people`` (people in trees, counted once per cascade),
        ``reshares``, ``never_reshared`` (share of posts nobody reshared),
        ``largest_size``, ``largest_post_id`` and ``largest_depth`` (its generations),
        ``deepest`` (generations, over all cascades),
        ``cascades_size_10`` and ``median_structural_virality_size_10`` (cascades of 10
        people or more), ``top_carrier`` and ``top_carrier_descendants`` (the resharer
        with most people downstream), ``flat_cascades``, ``inference``, ``repairs``
        (report entries). Missing values are ``None``.

    Raises
    ------
    TypeError
        ``cascades`` is not what :func:`build_cascades` returns.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"post_id": "p", "platform": "x", "action": ["post", "share", "share"],
    ...     "user_id": ["a", "b", "c"], "parent_user_id": [None, None, "b"],
    ...     "occurred_at": pd.date_range("2024-01-01", periods=3, freq="h", tz="UTC")})
    >>> k = key_numbers(build_cascades(ev), show_names=True)
    >>> k["cascades"], k["largest_size"], k["top_carrier"], k["top_carrier_descendants"]
    (1, 3, 'b', 1)
    """
    from .privacy import hide_people

    cascades = _check_cascades(cascades)
    m = cascade_metrics(cascades) if metrics is None else metrics
    att = attribution(cascades) if carriers is None else carriers
    big = m[m["size"] >= 10]
    top = att[(att["cascades_joined"] > 0) & (att["descendants"] > 0)].head(1)
    top = hide_people(top, show_names)
    return {
        "cascades": len(m),
        "people": len(cascades.nodes),
        "reshares": len(cascades.edges),
        "never_reshared": float((m["size"] == 1).mean()) if len(m) else None,
        "largest_size": int(m["size"].max()) if len(m) else None,
        "largest_post_id": str(m["post_id"].iloc[0]) if len(m) else None,
        "largest_depth": int(m["depth"].iloc[0]) if len(m) else None,
        "deepest": int(m["depth"].max()) if len(m) else None,
        "cascades_size_10": len(big),
        "median_structural_virality_size_10": (
            float(big["structural_virality"].median()) if len(big) else None
        ),
        "top_carrier": str(top["user"].iloc[0]) if len(top) else None,
        "top_carrier_descendants": int(top["descendants"].iloc[0]) if len(top) else None,
        "flat_cascades": int(cascades.roots["flat"].sum()),
        "inference": cascades.inference,
        "repairs": len(cascades.repairs),
    }


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def _files_text(files: list[str], most: int = 3) -> str:
    if len(files) <= most:
        return " and ".join([", ".join(files[:-1]), files[-1]]) if len(files) > 1 else files[0]
    return f"{', '.join(files[:most])} and {_plural(len(files) - most, 'more file')}"


def inference_note(cascades: Cascades, post_id: str | None = None) -> str:
    """What a reader needs to know about flat cascades and the inference rule, for this data.

    A cascade is *flat* when it has three people or more, every reshare attributed to the
    original post, and its source does not record who reshared from whom (see
    :func:`build_cascades`); the rule changes nothing else.

    Parameters
    ----------
    cascades
        From :func:`build_cascades`; not mutated.
    post_id
        One cascade (the one drawn); ``None`` or ``""``: all of them.

    Returns
    -------
    str
        For all cascades: how many are flat and which files they come from, then
        :func:`inference_caveat` of the rule; under a rule with no flat cascade, that the
        rule changes nothing; ``""`` when parents are as given and no cascade is flat.
        For one post: whether it is flat (then the caveat), or, under a rule, that the rule
        does not change it and why; ``""`` for a cascade that is not flat with parents as
        given.

    Raises
    ------
    RoiInputError
        ``post_id`` has no cascade.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"post_id": "p", "platform": "x", "source_file": "api.csv",
    ...     "action": ["post", "share", "share"], "user_id": ["a", "b", "c"],
    ...     "parent_user_id": [None, None, None],
    ...     "occurred_at": pd.date_range("2024-01-01", periods=3, freq="h", tz="UTC")})
    >>> inference_note(build_cascades(ev)).split(":")[0]
    '1 flat cascade (3 people or more)'
    >>> inference_note(build_cascades(ev.iloc[:2]), "p")
    ''
    """
    cascades = _check_cascades(cascades)
    rule, roots = cascades.inference, cascades.roots
    flat = roots["flat"].to_numpy(dtype=bool)
    said = _said_not_recorded(roots)
    n_flat = int(flat.sum())
    if post_id:
        i = int(_pick(cascades, post_id)[0])
        r = roots.iloc[i]
        if bool(r["flat"]):
            how = (
                f"its source, {r['source']}, does not record who reshared from whom"
                if said[i]
                else f"{r['source']} attributes every reshare to the original post and names no "
                "other parent for any post, so its source is taken as one that does not record "
                "who reshared from whom"
            )
            return (
                f"Post {post_id} is a flat cascade of {_plural(int(r['size']) - 1, 'reshare')}: "
                f"{how}. " + inference_caveat(rule)
            )
        if rule == "given":
            return ""
        if int(r["size"]) < 3:
            why = "it has fewer than 3 people, and every rule gives the same tree"
        elif said[i]:
            why = f"its data, from {r['source']}, names who some reshares came from"
        else:
            why = f"its source, {r['source']}, records who reshared from whom"
        others = (
            f"it changes only the {_plural(n_flat, 'flat cascade')} in the charts below"
            if n_flat
            else "no cascade here is flat, so it changes nothing"
        )
        return (
            f"The rule '{rule}' gives parents to flat cascades only: post {post_id} is not one "
            f"({why}), so it is drawn with the parents its data records; {others}."
        )
    if n_flat:
        parts = []
        for which, one, many in (
            (
                flat & said,
                "does not record who reshared from whom",
                "do not record who reshared from whom",
            ),
            (
                flat & ~said,
                "attributes every reshare to the original post and names no other parent, "
                "so it is taken as recording no parents",
                "attribute every reshare to the original post and name no other parent, "
                "so they are taken as recording no parents",
            ),
        ):
            files = list(dict.fromkeys(roots.loc[which, "source"].astype(str)))
            if files:
                parts.append(f"{_files_text(files)} {one if len(files) == 1 else many}")
        text = (
            f"{_plural(n_flat, 'flat cascade')} (3 people or more): {'; '.join(parts)}. "
            + inference_caveat(rule)
        )
        if rule != "given" and n_flat < len(roots):
            text += " The other cascades keep the parents their data records."
        return text
    if rule == "given":
        return ""
    return (
        f"No cascade here is flat (3 people or more, from a source that does not record who "
        f"reshared from whom), so the rule '{rule}' changes nothing: every cascade keeps the "
        f"parents its data records."
    )


def _said_not_recorded(roots: pd.DataFrame) -> np.ndarray:
    """True where the events said (``parents_recorded`` False) that the source records none."""
    if "parents_recorded" not in roots:
        return np.zeros(len(roots), dtype=bool)
    return (roots["parents_recorded"] == False).fillna(False).to_numpy(dtype=bool)  # noqa: E712


def headline(numbers: dict[str, Any]) -> dict[str, Any]:
    """The sentence and the few worded values the report's index shows for notebook 03.

    Parameters
    ----------
    numbers
        :func:`key_numbers` of the cascades; not mutated.

    Returns
    -------
    dict
        ``headline``: one sentence (how many posts were reshared, how far the largest
        went, who carried most, and how many cascades are flat when there are some);
        ``highlights``: three to five ``{label: formatted value}``: posts reshared, the
        largest cascade, the deepest, the top carrier (when someone carried a reshare on),
        the median structural virality of cascades of 10 people or more (when there are
        some), in that order, with flat cascades last when there are some.
        Nobody reshared: posts, posts reshared and the largest cascade. Without cascades:
        ``headline`` None and ``{"Cascades": "none"}``.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"post_id": ["p", "p", "p", "q"], "platform": "x",
    ...     "action": ["post", "share", "share", "post"], "user_id": ["a", "b", "c", "a"],
    ...     "parent_user_id": [None, None, "b", None],
    ...     "occurred_at": pd.date_range("2024-01-01", periods=4, freq="h", tz="UTC")})
    >>> h = headline(key_numbers(build_cascades(ev), show_names=True))
    >>> h["highlights"]["Posts reshared"], h["highlights"]["Largest cascade"]
    ('50% (1 of 2)', '3 people, 2 generations deep')
    """
    n = int(numbers.get("cascades") or 0)
    if n == 0:
        return {"headline": None, "highlights": {"Cascades": "none"}}
    never = float(numbers["never_reshared"])
    reshared = n - round(never * n)
    if reshared == 0:
        return {
            "headline": f"None of the {_plural(n, 'post')} was reshared.",
            "highlights": {
                "Posts": f"{n:,}",
                "Posts reshared": "none",
                "Largest cascade": "1 person (the author)",
            },
        }
    largest, depth = int(numbers["largest_size"]), numbers.get("largest_depth")
    deep = "" if depth is None else f", {_plural(int(depth), 'generation')} deep"
    reached = f"{_plural(largest, 'person', 'people')}{deep}"
    found = [
        ("Posts reshared", f"{1 - never:.0%} ({reshared:,} of {n:,})"),
        ("Largest cascade", reached),
    ]
    text = (
        f"{reshared:,} of {_plural(n, 'post')} ({1 - never:.0%}) "
        f"{'was' if reshared == 1 else 'were'} reshared; the largest cascade reached {reached}"
    )
    if numbers.get("deepest") is not None:
        found.append(("Deepest cascade", _plural(int(numbers["deepest"]), "generation")))
    top, down = numbers.get("top_carrier"), numbers.get("top_carrier_descendants")
    if top is not None and down:
        people = _plural(int(down), "person", "people")
        found.append(("Top carrier", f"{top}: {people} downstream"))
        text += f", and {top} carried most ({people} reshared after them)"
    big = int(numbers.get("cascades_size_10") or 0)
    sv = numbers.get("median_structural_virality_size_10")
    if big and sv is not None:
        found.append(("Structural virality, 10+ people", f"median {sv:.2f} (2 = a broadcast)"))
    flat = int(numbers.get("flat_cascades") or 0)
    if flat:
        rule = numbers.get("inference") or "given"
        how = "depth unknown" if rule == "given" else f"parents inferred by rule '{rule}'"
        found = found[:4] + [("Flat cascades", f"{flat:,} (no reshare parents recorded: {how})")]
        text += (
            f"; {_plural(flat, 'cascade')} {'is' if flat == 1 else 'are'} flat "
            f"({'its' if flat == 1 else 'their'} source records no reshare parents: {how})"
        )
    return {"headline": text + ".", "highlights": dict(found[:5])}
