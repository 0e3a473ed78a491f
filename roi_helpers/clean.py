"""Cleaning that accounts for every row.

Every step that drops, deduplicates, changes or doubts a row writes it down in a
:class:`CleaningReport`, with the file, the row as a spreadsheet numbers it, the column,
the original value and the reason. Rows that cannot be used are *set aside* (kept in the
report, with their original values), never silently deleted, so that for every file

    rows read = rows kept + rows set aside

and a person can see, and undo, each decision.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import schema
from .errors import format_rows

__all__ = [
    "ACTIONS",
    "CleaningReport",
    "clean_table",
    "deduplicate",
    "flag_implausible",
    "safe_for_spreadsheet",
    "set_aside_missing",
]

#: What a report entry can say happened to a row or value.
ACTIONS = (
    "set aside",  # row removed from the table, kept in the report (unusable)
    "deduplicated",  # row removed because another row says the same, more recently
    "coerced",  # a value changed or made unknown (bad number, invalid bytes...)
    "flagged",  # kept as it is, but implausible: look at it
    "repaired",  # structure fixed by a documented rule (cascades)
    "assumed",  # a whole-file assumption, such as a time zone
)
_REMOVING = ("set aside", "deduplicated")
#: What an email is replaced by in a report (the words reports use elsewhere).
EMAIL_HIDDEN = "[email hidden]"
# an address as a file may hold it mangled: invalid bytes shown as \xNN or replaced by
# U+FFFD, so not only what privacy.EMAIL matches
_EMAIL_LIKE = re.compile(
    r"[^\s,;:'\"<>()\[\]{}|/]+@[^\s,;:'\"<>()\[\]{}|/@]+\.[^\s,;:'\"<>()\[\]{}|/@]+"
)
_ENTRY_COLUMNS = ["file", "row", "column", "rule", "action", "original", "value", "reason"]


@dataclass
class CleaningReport:
    """What cleaning did, row by row.

    Attributes
    ----------
    entries : list of DataFrame
        Chunks of the entry table; read it whole with :meth:`to_frame`.
    read : dict
        Rows read per file (rows kept = rows read - rows set aside or deduplicated).

    Each entry has the columns:

    ``file``
        File name the row came from.
    ``row``
        Row number in that file as a spreadsheet shows it (header included); empty for a
        whole-file note.
    ``column``
        The column concerned, if one.
    ``rule``
        Short name of the rule applied (``"unparseable number"``, ``"duplicate post"``...).
    ``action``
        One of :data:`ACTIONS`.
    ``original``, ``value``
        The value as read, and as kept (empty when the row was set aside); email
        addresses in them, and in ``reason``, read ``[email hidden]``.
    ``reason``
        A sentence for a person.

    Examples
    --------
    >>> report = CleaningReport()
    >>> report.record("posts.csv", [3, 9], rule="negative count", action="flagged",
    ...               column="likes", original=["-1", "-4"], reason="counts cannot be negative")
    >>> report.read_rows("posts.csv", 10)
    >>> report.summary()[["file", "rule", "action", "rows"]].values.tolist()
    [['posts.csv', 'negative count', 'flagged', 2]]
    >>> report.balance()[["rows_read", "rows_kept", "rows_set_aside"]].values.tolist()
    [[10, 10, 0]]
    """

    entries: list[pd.DataFrame] = field(default_factory=list)
    read: dict[str, int] = field(default_factory=dict)
    set_aside_rows: list[pd.DataFrame] = field(default_factory=list)

    # -- writing ---------------------------------------------------------------------------
    def record(
        self,
        file: str | Path | None,
        rows: Iterable[int] | None,
        *,
        rule: str,
        action: str,
        reason: str,
        column: str | None = None,
        original: Any = None,
        value: Any = None,
    ) -> None:
        """Add one entry per row (vectorised: ``rows``, ``original``, ``value`` may be arrays).

        ``file`` and ``reason`` may be one value for all rows or one per row (a cascade's
        repairs span files, each with its own reason). ``rows=None`` records a single
        whole-file entry (an assumption or a summary).
        """
        if action not in ACTIONS:
            raise ValueError(f"action must be one of {ACTIONS}, not {action!r}")
        if rows is None:
            rows_arr = np.array([pd.NA], dtype=object)
        else:
            rows_arr = np.asarray(list(rows) if not hasattr(rows, "__len__") else rows)
            if len(rows_arr) == 0:
                return
        n = len(rows_arr)
        mail = column is not None and "mail" in str(column).lower()
        if isinstance(file, str | Path) or file is None:
            names: Any = _name(file)
        else:
            names = pd.array(np.asarray(file, dtype=object), dtype="str")
        chunk = pd.DataFrame(
            {
                "file": names,
                "row": pd.array(rows_arr, dtype="Int64"),
                "column": column,
                "rule": rule,
                "action": action,
                "original": _without_emails(_as_text(original, n), whole=mail),
                "value": _without_emails(_as_text(value, n), whole=mail),
                "reason": _without_emails(
                    reason if isinstance(reason, str) else _as_text(reason, n)
                ),
            }
        )
        self.entries.append(chunk)

    def note(
        self, file: str | Path | None, *, rule: str, reason: str, action: str = "assumed"
    ) -> None:
        """Record a whole-file assumption (a default time zone, a derived id...)."""
        self.record(file, None, rule=rule, action=action, reason=reason)

    def record_rows(
        self,
        frame: pd.DataFrame,
        default_file: str | Path | None = None,
        *,
        rule: str,
        reason: str | Sequence[str],
        action: str = "flagged",
        column: str | None = None,
        original: Any = None,
    ) -> None:
        """One entry per row of ``frame``, each filed under the row's own file and row.

        ``frame`` is a slice of a loaded table: a row's ``source_file`` names its file
        (``default_file`` where there is none) and ``source_row`` its row. ``original``
        defaults to ``frame[column]``; the rest is as for :meth:`record`.

        Examples
        --------
        >>> import pandas as pd
        >>> posts = pd.DataFrame({"source_file": ["a.csv", None], "source_row": [4, 7],
        ...                       "likes": [-2, -1]})
        >>> r = CleaningReport()
        >>> r.record_rows(posts, "posts", rule="negative", column="likes", reason="below 0")
        >>> r.entries[0][["file", "row", "original"]].values.tolist()
        [['a.csv', 4, '-2'], ['posts', 7, '-1']]
        """
        if len(frame) == 0:
            return
        if original is None and column is not None and column in frame:
            original = frame[column]
        self.record(
            files_of(frame, default_file),
            _rows_of(frame),
            rule=rule,
            action=action,
            column=column,
            original=original,
            reason=reason,
        )

    def set_aside(
        self,
        file: str | Path | None,
        frame: pd.DataFrame,
        *,
        rule: str,
        reason: str | Sequence[str],
        column: str | None = None,
        action: str = "set aside",
    ) -> None:
        """Move rows out of a table into the report, keeping their original values.

        ``frame`` holds the rows as they were (with ``source_row`` and ``source_file``
        when known: rows are then filed under their own file). ``reason`` is one sentence,
        or one per row. Email addresses are the one thing not kept: each is replaced by
        ``[email hidden]`` (a column named for emails is hidden whole), here as in every
        entry, since reports are shown and shared.
        """
        if action not in _REMOVING:
            raise ValueError(f"set_aside action must be one of {_REMOVING}")
        if len(frame) == 0:
            return
        reasons = np.array(
            [reason] * len(frame) if isinstance(reason, str) else list(reason), dtype=object
        )
        self.record_rows(frame, file, rule=rule, action=action, reason=reasons, column=column)
        kept = frame.copy()
        for col in kept.columns:  # the row's values are kept, people's emails are not
            if pd.api.types.is_object_dtype(kept[col]) or pd.api.types.is_string_dtype(kept[col]):
                kept[col] = _without_emails(kept[col], whole="mail" in str(col).lower())
        kept.insert(0, "set_aside_because", list(_without_emails(pd.Series(reasons))))
        kept.insert(0, "set_aside_rule", rule)
        if "source_file" not in kept:
            kept.insert(0, "source_file", _name(file))
        self.set_aside_rows.append(kept)

    def read_rows(self, file: str | Path | None, n: int) -> None:
        """Say how many data rows were read from a file (called once per file)."""
        name = _name(file)
        self.read[name] = self.read.get(name, 0) + int(n)

    def rename_file(self, old: str | Path, new: str) -> None:
        """File entries under ``new`` instead of ``old`` (a path relative to a folder, say)."""
        old_name = _name(old)
        if old_name == new:
            return
        for chunk in self.entries:
            chunk.loc[chunk["file"] == old_name, "file"] = new
        for chunk in self.set_aside_rows:
            if "source_file" in chunk:
                chunk.loc[chunk["source_file"] == old_name, "source_file"] = new
        if old_name in self.read:
            self.read[new] = self.read.pop(old_name) + self.read.get(new, 0)

    def extend(self, other: CleaningReport) -> CleaningReport:
        """Add another report's entries to this one (in place) and return self."""
        self.entries += other.entries
        self.set_aside_rows += other.set_aside_rows
        for k, v in other.read.items():
            self.read[k] = self.read.get(k, 0) + v
        return self

    # -- reading ---------------------------------------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """All entries as one tidy table (columns described in the class docstring)."""
        if not self.entries:
            return pd.DataFrame(
                {c: pd.Series(dtype="Int64" if c == "row" else "str") for c in _ENTRY_COLUMNS}
            )
        return pd.concat(self.entries, ignore_index=True)[_ENTRY_COLUMNS]

    def set_aside_frame(self) -> pd.DataFrame:
        """The rows taken out of tables, with their original values and why."""
        if not self.set_aside_rows:
            return pd.DataFrame(columns=["source_file", "set_aside_rule", "set_aside_because"])
        return pd.concat(self.set_aside_rows, ignore_index=True)

    def summary(self, by_file: bool = True) -> pd.DataFrame:
        """Entries counted by rule and action (and file), with example rows and a reason.

        Parameters
        ----------
        by_file
            One line per file and rule (the default, for the CSV beside a report), or one
            line per rule across files (compact, for a notebook page).

        Returns
        -------
        DataFrame
            ``file`` (with ``by_file=False``: how many files, or the file when only one),
            ``rule``, ``action``, ``column``, ``rows`` (entries), ``example`` (a few row
            numbers, or "whole file" for a note), ``reason`` (the first one).
        """
        entries = self.to_frame()
        cols = ["file", "rule", "action", "column", "rows", "example", "reason"]
        if entries.empty:
            return pd.DataFrame(columns=cols)
        entries["column"] = entries["column"].fillna("")
        keys = ["file", "rule", "action", "column"] if by_file else ["rule", "action", "column"]
        grouped = entries.groupby(keys, sort=False, dropna=False)
        out = grouped.agg(
            rows=("row", "size"),
            example=(
                "row",
                lambda r: format_rows(r.dropna(), limit=3) if r.notna().any() else "whole file",
            ),
            reason=("reason", "first"),
            **({} if by_file else {"file": ("file", _files_text)}),
        ).reset_index()
        return out[cols]

    def only(self, files: Iterable[str]) -> CleaningReport:
        """A report holding only the entries and counts of ``files`` (as the report names them)."""
        keep = {str(f) for f in files}
        out = CleaningReport()
        out.entries = [e[e["file"].isin(keep)] for e in self.entries]
        out.entries = [e for e in out.entries if len(e)]
        out.set_aside_rows = [
            r[r["source_file"].isin(keep)] for r in self.set_aside_rows if "source_file" in r
        ]
        out.read = {k: v for k, v in self.read.items() if k in keep}
        return out

    def balance(self) -> pd.DataFrame:
        """Per file: rows read, kept and set aside (set aside includes deduplicated rows).

        ``rows_kept`` is ``rows_read - rows_set_aside``; tests check it against the table
        and ``rows_read`` against a count taken independently from the raw file.
        """
        entries = self.to_frame()
        removed = entries[entries["action"].isin(_REMOVING)].groupby("file").size()
        files = list(dict.fromkeys(list(self.read) + list(removed.index)))
        read = pd.Series(self.read, dtype="int64").reindex(files, fill_value=0)
        removed = removed.reindex(files, fill_value=0).astype("int64")
        return pd.DataFrame(
            {
                "file": files,
                "rows_read": read.to_numpy(),
                "rows_kept": (read - removed).to_numpy(),
                "rows_set_aside": removed.to_numpy(),
            }
        )

    def n_removed(self, file: str | Path | None = None) -> int:
        """Rows set aside or deduplicated so far (for one file, or all)."""
        name = None if file is None else _name(file)
        return int(
            sum(
                int(
                    (
                        e["action"].isin(_REMOVING)
                        & ((e["file"] == name) if name is not None else True)
                    ).sum()
                )
                for e in self.entries
            )
        )

    def to_csv(self, path: str | Path) -> Path:
        """Write the entries to CSV, with cells made safe to open in a spreadsheet."""
        path = Path(path)
        safe_for_spreadsheet(self.to_frame()).to_csv(path, index=False)
        return path

    def __len__(self) -> int:
        return int(sum(len(e) for e in self.entries))

    def __repr__(self) -> str:
        bal = self.balance()
        return (
            f"<CleaningReport: {len(bal)} file(s), {int(bal['rows_read'].sum())} rows read, "
            f"{int(bal['rows_kept'].sum())} kept, {int(bal['rows_set_aside'].sum())} set aside, "
            f"{len(self)} entries>"
        )

    def _repr_html_(self) -> str:
        bal = self.balance()
        summary = self.summary()
        head = (
            f"<p><b>Cleaning report</b>: {int(bal['rows_read'].sum()):,} rows read, "
            f"{int(bal['rows_kept'].sum()):,} kept, {int(bal['rows_set_aside'].sum()):,} set aside.</p>"
        )
        if summary.empty:
            return head + "<p>Nothing was changed, set aside or flagged.</p>"
        return head + self.summary(by_file=False).to_html(index=False, escape=True)


def _files_text(files: pd.Series) -> str:
    names = files.dropna().unique()
    return str(names[0]) if len(names) == 1 else f"{len(names)} files"


def _name(file: str | Path | None) -> str:
    """How a file is named in reports: a Path by its name, a string label as given."""
    if file is None:
        return ""
    if isinstance(file, Path):
        return file.name
    return str(file)


def files_of(frame: pd.DataFrame, default: str | Path | None = None) -> np.ndarray:
    """The file each row of a loaded table came from (``source_file``), ``default`` if unknown.

    >>> files_of(pd.DataFrame({"source_file": ["a.csv", None]}), "posts").tolist()
    ['a.csv', 'posts']
    """
    if "source_file" in frame:
        return frame["source_file"].astype(object).fillna(_name(default)).to_numpy()
    return np.full(len(frame), _name(default), dtype=object)


def file_of(frame: pd.DataFrame) -> str | None:
    """The one file a table's rows came from (``source_file``), to name in an error.

    None when the rows came from several files, or the table does not say.

    >>> file_of(pd.DataFrame({"source_file": ["a.csv", None, "a.csv"]}))
    'a.csv'
    >>> file_of(pd.DataFrame({"source_file": ["a.csv", "b.csv"]})) is None
    True
    """
    if "source_file" not in frame:
        return None
    files = frame["source_file"].dropna().astype("str").unique()
    return str(files[0]) if len(files) == 1 else None


def _rows_of(frame: pd.DataFrame) -> np.ndarray:
    if "source_row" in frame:
        return frame["source_row"].to_numpy()
    return np.full(len(frame), pd.NA, dtype=object)


def _as_text(values: Any, n: int) -> Any:
    """Values as text for the report, missing ones kept missing."""
    if values is None:
        return pd.array([pd.NA] * n, dtype="str") if n else []
    if isinstance(values, str | int | float | bool):
        return str(values)
    arr = (
        values.to_numpy(dtype=object)
        if isinstance(values, pd.Series)
        else np.asarray(values, dtype=object)
    )
    return pd.Series(arr, dtype=object).astype("str").to_numpy()


def _without_emails(values: Any, whole: bool = False) -> Any:
    """``values`` with each email address replaced by :data:`EMAIL_HIDDEN`.

    Connection exports hold private people's emails; a report is shown and shared, so it
    keeps none, not even in a row set aside. With ``whole`` (a column of emails), any value
    holding an ``@`` is hidden entirely, however mangled. Text, a Series or an array in,
    the same out; values without an ``@`` are left as they are.

    >>> _without_emails("ana@example.com, 3 fields")
    '[email hidden], 3 fields'
    >>> _without_emails(pd.Series(["b'bo@ex\\xe9mple.com'", "@rOpenSci", None])).tolist()
    ["b'[email hidden]'", '@rOpenSci', nan]
    """
    if values is None:
        return values
    if isinstance(values, str):
        if "@" not in values:
            return values
        return EMAIL_HIDDEN if whole else _EMAIL_LIKE.sub(EMAIL_HIDDEN, values)
    series = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    text = series.astype("str")
    at = text.str.contains("@", regex=False, na=False).to_numpy(dtype=bool)
    if not at.any():
        return values
    hidden = (
        pd.Series(EMAIL_HIDDEN, index=text.index[at])
        if whole
        else text[at].str.replace(_EMAIL_LIKE, EMAIL_HIDDEN, regex=True)
    )
    out = series.astype(object).copy()
    out[at] = hidden.to_numpy(dtype=object)
    if isinstance(values, pd.Series):
        return out.astype(values.dtype) if pd.api.types.is_string_dtype(values) else out
    return out.to_numpy(dtype=object)


# -- the cleaning steps ----------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_for_spreadsheet(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy in which no text cell can start a spreadsheet formula.

    Text cells starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return get a leading
    apostrophe (OWASP's advice for CSV injection); numbers are left alone, so ``-3`` stays a
    number. Does not mutate the input.

    Examples
    --------
    >>> import pandas as pd
    >>> safe_for_spreadsheet(pd.DataFrame({"a": ["=1+1", "ok", "-x"], "b": [-1, 2, 3]}))["a"].tolist()
    ["'=1+1", 'ok', "'-x"]
    """
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if not (pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)):
            continue
        text = s.astype("str")
        risky = text.str.startswith(_FORMULA_START, na=False)
        if risky.any():
            out[col] = s.astype(object).where(~risky, "'" + text)
    return out


def set_aside_missing(
    df: pd.DataFrame, kind: str, report: CleaningReport, file: str | Path | None = None
) -> pd.DataFrame:
    """Set aside rows lacking a value the table cannot do without (its ids and keys).

    Returns the rows kept; the others go to ``report`` with the column that was empty.
    Does not mutate the input.
    """
    needed = [c for c in _ID_COLUMNS.get(kind, []) if c in df]
    if not needed:
        return df
    missing = df[needed].isna().any(axis=1)
    if not missing.any():
        return df
    if missing.any():
        bad = df[missing]
        which = bad[needed].isna().apply(lambda r: ", ".join(c for c in needed if r[c]), axis=1)
        report.set_aside(
            file,
            bad,
            rule="missing id",
            reason=[f"no {w}: a {kind} row cannot be used without it" for w in which],
        )
    return df[~missing]


_ID_COLUMNS = {
    "posts": ["post_id"],
    "events": ["post_id", "user_id"],
    "audience": ["person_id"],
    "accounts": ["company"],
    "followers": ["date"],
    "profiles": ["account"],
    "page_daily": ["date"],
    "team": ["member"],
}


def deduplicate(
    df: pd.DataFrame,
    kind: str,
    report: CleaningReport,
    file: str | Path | None = None,
    keep: str = "last",
) -> pd.DataFrame:
    """Drop repeated rows of the same key, keeping the last (the latest export), and say so.

    The key is ``schema.KEYS[kind]`` (for posts: platform and post_id). Events are not
    deduplicated here: a repeated reshare edge is a cascade repair (see ``virality``).
    Does not mutate the input.
    """
    key = [c for c in schema.KEYS.get(kind, []) if c in df]
    if kind == "events" or not key:
        return df
    dup = _duplicated(df, key, keep)
    if not dup.any():
        return df
    if dup.any():
        removed = df[dup]
        winners = df[~dup].drop_duplicates(key).set_index(key)
        idx = pd.MultiIndex.from_frame(removed[key]) if len(key) > 1 else pd.Index(removed[key[0]])
        where = []
        for col in ("source_file", "source_row"):
            where.append(
                winners[col].reindex(idx).to_numpy() if col in winners else [None] * len(removed)
            )
        reasons = [
            f"same {' + '.join(key)} as {f or 'a'} row {r}, which is kept (the later one)"
            for f, r in zip(where[0], where[1], strict=True)
        ]
        noun = kind[:-1] if kind.endswith("s") else kind
        report.set_aside(
            file, removed, rule=f"duplicate {noun}", reason=reasons, action="deduplicated"
        )
    return df[~dup]


def _is_constant(values: pd.Series) -> bool:
    """True when every value is the same known one (a file's platform, say)."""
    if len(values) == 0:
        return True
    first = values.iloc[0]
    return bool(pd.notna(first)) and bool(
        (values == first).to_numpy(dtype=bool, na_value=False).all()
    )


def _duplicated(df: pd.DataFrame, key: Sequence[str], keep: str | bool = "last") -> pd.Series:
    """``df.duplicated(key, keep=keep)``, without hashing the key columns that never vary.

    One export holds one platform (and often one account): only the id is compared, and
    when the ids are all different (the usual case) nothing more is done.
    """
    varying = [c for c in key if not _is_constant(df[c])]
    if len(varying) == 1:
        ids = df[varying[0]]
        if _surely_unique(ids):
            return pd.Series(np.zeros(len(df), dtype=bool), index=df.index)
        return ids.duplicated(keep=keep)
    return df.duplicated(varying or list(key), keep=keep)


def _surely_unique(ids: pd.Series) -> bool:
    """True when no value repeats. Ids written as digits (X's, Facebook's) are compared
    as 64-bit numbers, much faster than as text: distinct numbers are distinct texts, and
    when the numbers repeat ("007" and "7") the texts are compared after all."""
    if pd.api.types.is_string_dtype(ids) and not isinstance(ids.array, np.ndarray):
        import pyarrow as pa
        import pyarrow.compute as pc

        try:
            numbers = pc.cast(pa.array(ids.array), pa.int64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, TypeError):
            numbers = None
        if numbers is not None and numbers.null_count == 0:
            as_int = numbers.to_numpy(zero_copy_only=False)
            if pd.Series(as_int, copy=False).is_unique:
                return True
    return bool(ids.is_unique)


_COUNTS = [
    "impressions",
    "reach",
    "likes",
    "comments",
    "shares",
    "saves",
    "clicks",
    "video_views",
    "followers",
    "new_followers",
    "lost_followers",
    "posts",
]


def flag_implausible(
    df: pd.DataFrame, kind: str, report: CleaningReport, file: str | Path | None = None
) -> pd.DataFrame:
    """Flag, without changing, values that cannot be right as they stand.

    - negative counts (platform corrections show up this way: kept as they are);
    - reach above impressions (each person reached saw it at least once);
    - likes + comments + shares above impressions.

    Returns ``df`` unchanged; the flags are in ``report``.
    """

    def _flag(mask: pd.Series, rule: str, column: str, original: pd.Series, reason: str) -> None:
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return
        files = pd.Series(files_of(df, file), index=df.index)  # only when there is a flag
        for fname, idx in mask[mask].groupby(files[mask], sort=False).groups.items():
            rows = df.loc[idx, "source_row"] if "source_row" in df else [pd.NA] * len(idx)
            report.record(
                fname,
                rows,
                rule=rule,
                action="flagged",
                column=column,
                original=original.loc[idx],
                reason=reason,
            )

    for col in _COUNTS:
        if col in df and pd.api.types.is_numeric_dtype(df[col]):
            _flag(
                df[col] < 0,
                "negative count",
                col,
                df[col],
                "a count below zero: kept as exported (often a platform correction); check it",
            )
    if {"reach", "impressions"} <= set(df.columns):
        _flag(
            df["reach"] > df["impressions"],
            "reach above impressions",
            "reach",
            df["reach"],
            "more people reached than impressions: one of the two is wrong",
        )
    if kind == "posts" and "impressions" in df:
        # unknown unless all three are known (a row-wise sum(min_count=3), without its cost)
        eng = df["likes"] + df["comments"] + df["shares"]
        _flag(
            eng > df["impressions"],
            "engagement above impressions",
            "impressions",
            df["impressions"],
            "more likes + comments + shares than impressions",
        )
    return df


def clean_table(
    df: pd.DataFrame,
    kind: str,
    report: CleaningReport | None = None,
    file: str | Path | None = None,
) -> tuple[pd.DataFrame, CleaningReport]:
    """Run the standard cleaning on a canonical table and validate it.

    Steps, each recorded in the report: set aside rows with no id; deduplicate on the
    table's key (the last row wins, so concatenate older exports first); flag implausible
    values; validate against the schema (see :func:`roi_helpers.schema.validate`).

    Parameters
    ----------
    df
        A frame in the shape of ``kind``; not mutated.
    kind
        The canonical table's name.
    report
        A report to add to (a new one is made if omitted).
    file
        The file the rows came from, if ``df`` has no ``source_file`` column.

    Returns
    -------
    (DataFrame, CleaningReport)
        The cleaned, validated frame (fresh ``RangeIndex``) and the report.
    """
    report = CleaningReport() if report is None else report
    # rows per file (one file: no column of its name is built and counted)
    counts = (
        df["source_file"].fillna(_name(file)).value_counts(sort=False).items()
        if "source_file" in df
        else [(_name(file), len(df))]
    )
    for fname, n in counts:
        if fname not in report.read:  # a loader that set rows aside itself has counted already
            report.read_rows(fname, n)
    out = set_aside_missing(df, kind, report, file)
    out = deduplicate(out, kind, report, file)
    out = flag_implausible(out, kind, report, file)
    # keys were just deduplicated: the schema need not check their uniqueness again
    out = schema.validate(out.reset_index(drop=True), kind, path=file, check_keys=False, copy=False)
    return out, report
