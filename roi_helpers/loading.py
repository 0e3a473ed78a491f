"""The front door for data: ``load`` one export, ``load_dir`` a folder of them."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pandas as pd

from . import schema, sources
from .clean import CleaningReport, _duplicated, clean_table, deduplicate
from .errors import RoiInputError
from .sources._common import constant, read_head

__all__ = ["Dataset", "Loaded", "load", "load_dir", "sniff"]

#: Files ``load_dir`` never tries to read.
_IGNORED = {".md", ".txt.md", ".py", ".ipynb", ".yml", ".yaml", ".json.md", ".pdf", ".png", ".jpg"}


@dataclass(frozen=True)
class Loaded:
    """One loaded export.

    Attributes
    ----------
    kind : str
        Which canonical table ``data`` is (``posts``, ``audience``...).
    data : DataFrame
        The validated table.
    report : CleaningReport
        Every row set aside, deduplicated, coerced or flagged while loading.
    source : str
        The format's name (``x_tweet_activity``, ``linkedin_connections``...).
    path : Path
        The file read.
    exported_at : Timestamp or None
        When the export was made, when the file says.
    """

    kind: str
    data: pd.DataFrame
    report: CleaningReport
    source: str
    path: Path
    exported_at: pd.Timestamp | None = None

    def __repr__(self) -> str:
        return f"<Loaded {self.kind} from {self.path.name} ({self.source}): {len(self.data)} rows>"


def sniff(path: str | Path) -> ModuleType | None:
    """The source module that recognises ``path``, or None."""
    path = Path(path)
    head = read_head(path)
    for mod in sources.formats():
        try:
            if mod.sniff(path, head):
                return mod
        except Exception:  # a sniffer that cannot read the file does not recognise it
            continue
    return None


def _unrecognised(path: Path) -> RoiInputError:
    head = read_head(path)
    first = next((ln for ln in head.splitlines() if ln.strip()), "")
    seen = f"its first line is {first[:200]!r}" if head else "it is not a text file we know"
    known = "; ".join(f"{m.NAME} ({m.DESCRIPTION})" for m in sources.formats())
    return RoiInputError(
        f"not a format the kit recognises: {seen}",
        path=path,
        hint=f"Known formats: {known}. Force one with load(path, source=NAME), or map "
        "columns with load(path, source='generic', table='posts', columns={...}).",
    )


def load(
    path: str | Path, source: str | None = None, *, label: str | None = None, **options: object
) -> Loaded:
    """Load one export into its canonical table, cleaned and validated.

    Parameters
    ----------
    path
        The exported file.
    source
        Force a format by name (see ``roi_helpers.sources``); by default it is sniffed
        from the file's content.
    label
        How the file is named in ``source_file`` and in the report (default: its name;
        ``load_dir`` passes the path relative to the folder, so six ``Connections.csv``
        stay apart).
    **options
        Passed to the format's reader. Common ones: ``tz`` (time zone of timestamps
        written without one; default UTC, said in the report), ``account`` (whose data
        this is, where the file does not say).

    Returns
    -------
    Loaded
        With ``.kind``, ``.data``, ``.report``, ``.source``.

    Raises
    ------
    RoiInputError
        The file is missing, empty, unrecognised (the error lists the known formats and
        the header seen), or does not fit its table (the error names rows and columns).
    FileNotFoundError
        ``path`` does not exist.

    Examples
    --------
    >>> from roi_helpers import load
    >>> crm = load("data/sample/crm_accounts.csv")  # doctest: +SKIP
    >>> crm.kind, crm.source                         # doctest: +SKIP
    ('accounts', 'crm')
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    if path.is_dir():
        raise RoiInputError("is a folder: use load_dir() for folders", path=path)
    if path.stat().st_size == 0:
        raise RoiInputError("the file is empty (0 bytes)", path=path, hint="Export it again.")
    mod = sources.get(source) if source is not None else sniff(path)
    if mod is None:
        raise _unrecognised(path)
    kind = mod.kind_of(path, **options) if hasattr(mod, "kind_of") else mod.KIND
    report = CleaningReport()
    # the label goes to the reader too: a format without ids makes them from it
    frame = mod.read(path, report, **options, **({"label": label} if label else {}))
    set_aside_by_reader = report.n_removed(path)
    report.read_rows(path, len(frame) + set_aside_by_reader)
    renamed = label is not None and label != path.name
    one_file = "source_file" not in frame
    if renamed and not one_file:
        frame["source_file"] = frame["source_file"].replace(path.name, label)
    if renamed:
        report.rename_file(path, label)
    # a file the reader did not split gets its name after cleaning, which files every row
    # under it anyway: a million copies of one name are not counted and checked again
    data, report = clean_table(frame, kind, report, file=label or path)
    if one_file:
        data.insert(len(data.columns), "source_file", constant(label or path.name, data.index))
    exported = mod.exported_at(path) if hasattr(mod, "exported_at") else None
    return Loaded(kind, data, report, mod.NAME, path, exported)


@dataclass
class Dataset:
    """Every table found in a folder, concatenated per table.

    Attributes
    ----------
    posts, events, audience, accounts, followers, profiles, page_daily : DataFrame
        The tables (empty, correctly typed, when no file gave them).
    report : CleaningReport
        All files' reports, plus rows deduplicated across files.
    files : DataFrame
        One row per file looked at: ``file``, ``source``, ``kind``, ``rows``, ``status``
        (``loaded``, ``skipped``: not an export the kit knows, ``failed``), ``message``.
    loaded : list of Loaded
        Each file's own result, in the order read.
    """

    tables: dict[str, pd.DataFrame]
    report: CleaningReport
    files: pd.DataFrame
    loaded: list[Loaded] = field(default_factory=list)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in schema.TABLES:
            return tables.get(name, schema.empty(name))
        raise AttributeError(name)

    def __getitem__(self, kind: str) -> pd.DataFrame:
        return getattr(self, kind)

    def report_for(self, *kinds: str) -> CleaningReport:
        """The cleaning report of the files that gave these tables only.

        A notebook about posts shows what happened to the posts exports, not to every
        connections file in the folder.
        """
        unknown = [k for k in kinds if k not in schema.TABLES]
        if unknown:
            raise ValueError(
                f"Unknown table(s) {unknown}: the tables are {', '.join(schema.TABLES)}."
            )
        files = self.files.loc[self.files["kind"].isin(kinds), "file"]
        return self.report.only(files)

    def has(self, kind: str) -> bool:
        """True when at least one row of ``kind`` was loaded."""
        return kind in self.tables and len(self.tables[kind]) > 0

    @property
    def errors(self) -> pd.DataFrame:
        """The files that failed, with their messages."""
        return self.files[self.files["status"] == "failed"]

    def __repr__(self) -> str:
        parts = [f"{k}: {len(v)}" for k, v in self.tables.items()]
        failed = len(self.errors)
        return f"<Dataset {', '.join(parts) or 'empty'}{f'; {failed} file(s) failed' if failed else ''}>"

    def _repr_html_(self) -> str:
        return self.files.to_html(index=False)


def _candidates(folder: Path, recursive: bool) -> list[Path]:
    """The files to look at, sorted; sub-folders reached through links followed once each.

    ``os.walk(followlinks=True)`` goes into linked folders (``Path.glob`` does not); a
    folder already seen under its real path is not entered again, so a link to a parent
    folder cannot loop.
    """
    found: list[Path] = []
    seen: set[str] = set()
    for top, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(top)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")) if recursive else []
        for name in files:
            p = Path(top) / name
            if not name.startswith(".") and p.suffix.lower() not in _IGNORED and p.is_file():
                found.append(p)
    return sorted(found)


def _failure(rel: str, exc: Exception) -> str:
    """The message listed for a file that failed: the error's own words when it is ours."""
    if isinstance(exc, RoiInputError):
        return str(exc)
    return (
        f"{rel}: could not be read ({type(exc).__name__}: {exc}). The other files were "
        "loaded; if this one opens correctly in a spreadsheet, please report the problem "
        "with the file's first lines."
    )


def _fill_from_other_exports(
    frame: pd.DataFrame, kind: str, report: CleaningReport
) -> pd.DataFrame:
    """Fill what the latest export of a row leaves unknown from earlier exports of it.

    Overlapping exports of the same rows are deduplicated with the latest kept; before
    that, a cell the latest leaves unknown (X's overview knows follows, not the total an
    analyst recorded elsewhere) takes the latest known value from the other files. Each
    filled cell is in the report. ``frame`` holds older exports first; not mutated.
    """
    key = [c for c in schema.KEYS.get(kind, []) if c in frame]
    if kind == "events" or not key:
        return frame
    repeated = _duplicated(frame, key, keep=False)
    if not repeated.any():
        return frame
    kept = ~frame.duplicated(key, keep="last")
    if not repeated.any():
        return frame
    cols = [c for c in frame.columns if c not in key and not c.startswith("source_")]
    groups = frame[repeated].groupby(key, sort=False, dropna=False)
    latest = groups[cols].transform("last")  # the latest known value per key and column
    out = frame.copy()
    target = (kept & repeated)[repeated]
    for col in cols:
        fill = target & frame.loc[repeated, col].isna() & latest[col].notna()
        if not fill.any():
            continue
        idx = fill[fill].index
        # which file the value came from: the last row of the key holding a value
        donors = frame.loc[repeated, [*key, col, "source_file"]].dropna(subset=[col])
        donor = donors.groupby(key, sort=False, dropna=False)["source_file"].last()
        keys = (
            pd.MultiIndex.from_frame(frame.loc[idx, key])
            if len(key) > 1
            else frame.loc[idx, key[0]]
        )
        origin = donor.reindex(keys).to_numpy()
        out.loc[idx, col] = latest.loc[idx, col]
        report.record(
            frame.loc[idx, "source_file"].to_numpy() if "source_file" in frame else None,
            frame.loc[idx, "source_row"] if "source_row" in frame else [pd.NA] * len(idx),
            rule="filled from another export",
            action="coerced",
            column=col,
            original=None,
            value=latest.loc[idx, col],
            reason=[f"unknown in this export; the value comes from {o}" for o in origin],
        )
    return out


def _keep_local_ids_apart(parts: list[Loaded], report: CleaningReport) -> list[pd.DataFrame] | None:
    """Events of formats whose cascade ids are the file's own, kept apart from other files'.

    A Weibo cascades file numbers its cascades 1, 2, 3..., and a flat cascade is named by
    its file (``SMH-cascade-0``): two files can use the same id for different cascades,
    which concatenated would be merged into one. Where such an id (``LOCAL_POST_IDS`` in
    the format's module) is also used by another file, it is written
    ``<file as load_dir names it>:<id>`` (``a/dataset.txt:1``), and the file says so in the
    report. Ids no other file uses stay as written. Returns the frames in order, or None
    when nothing changed.
    """
    local = [bool(getattr(sources.get(r.source), "LOCAL_POST_IDS", False)) for r in parts]
    if not any(local):
        return None
    ids = pd.concat(
        [pd.Series(r.data["post_id"].dropna().unique(), dtype="str") for r in parts],
        ignore_index=True,
    )
    shared = set(ids[ids.duplicated()])
    if not shared:
        return None
    out = []
    for r, is_local in zip(parts, local, strict=True):
        data = r.data
        clash = data["post_id"].isin(shared).to_numpy(dtype=bool) if is_local else None
        if clash is not None and clash.any():
            label = str(data["source_file"].iloc[0]) if "source_file" in data else r.path.name
            ids_here = data.loc[clash, "post_id"].unique()
            data = data.copy()
            data.loc[clash, "post_id"] = label + ":" + data.loc[clash, "post_id"]
            shown = ", ".join(repr(i) for i in ids_here[:3])
            more = f" and {len(ids_here) - 3} more" if len(ids_here) > 3 else ""
            report.note(
                label,
                rule="cascade ids kept apart",
                reason=f"{len(ids_here)} cascade id(s) of this file ({shown}{more}) are also "
                f"used by another file: here they read '{label}:<id>', "
                "so that cascades of different files are never merged",
            )
        out.append(data)
    return out


#: What makes two event rows the same event.
_EVENT_KEY = ["platform", "post_id", "user_id", "action", "occurred_at", "parent_user_id"]


def _flag_repeated_events(frame: pd.DataFrame, report: CleaningReport) -> None:
    """Flag event rows that repeat, exactly, a row of another (earlier) file.

    Overlapping exports hold the same likes and reshares twice, which would double them.
    They are flagged, not removed: repairing repeated reshare edges is
    :func:`roi_helpers.virality.build_cascades`'s job, with the whole cascade in view.
    """
    if "source_file" not in frame:
        return
    key = [c for c in _EVENT_KEY if c in frame]
    repeated = frame.duplicated(key, keep="first")
    if not repeated.any():
        return
    groups = frame.groupby(key, sort=False, dropna=False)
    first_file = groups["source_file"].transform("first")
    first_row = groups["source_row"].transform("first") if "source_row" in frame else None
    other = repeated & (frame["source_file"] != first_file).fillna(False)
    if not other.any():
        return
    where = first_file[other].to_numpy(dtype=object)
    rows = first_row[other].to_numpy(dtype=object) if first_row is not None else [None] * len(where)
    report.record(
        frame.loc[other, "source_file"].to_numpy(dtype=object),
        frame.loc[other, "source_row"] if "source_row" in frame else [pd.NA] * int(other.sum()),
        rule="event in two exports",
        action="flagged",
        reason=[
            f"the same {' + '.join(key)} as {f} row {r}: the exports overlap, and counting "
            "both would double this event"
            for f, r in zip(where, rows, strict=True)
        ],
    )


def load_dir(
    folder: str | Path,
    *,
    recursive: bool = True,
    errors: str = "collect",
    progress: bool = False,
    **options: object,
) -> Dataset:
    """Load every export the kit recognises in a folder.

    Files of the same table are concatenated, older exports first, and rows repeated
    across overlapping exports are deduplicated with the latest kept (each such row is in
    the report). Files the kit does not recognise are listed as ``skipped``.

    Parameters
    ----------
    folder
        The folder (searched recursively by default).
    errors
        ``"collect"`` (default): a broken file is listed as ``failed`` with its message
        and the rest still load. ``"raise"``: stop at the first broken file.
    progress
        Show a progress bar (tqdm) on standard error.
    **options
        Passed to every reader (``tz=``, ``account=``...).

    Returns
    -------
    Dataset
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise RoiInputError(
            "is not a folder",
            path=folder,
            hint="Pass the folder holding your exports, such as data/sample.",
        )
    paths = list(_candidates(folder, recursive))
    rows, loaded = [], []
    report = CleaningReport()
    iterator: Iterable[Path] = paths
    if progress:
        from tqdm import tqdm

        iterator = tqdm(paths, desc=f"Loading {folder.name}", unit="file")
    for path in iterator:
        rel = path.relative_to(folder).as_posix()
        mod = None
        try:
            if path.stat().st_size == 0:
                raise RoiInputError(
                    "the file is empty (0 bytes)", path=rel, hint="Export it again."
                )
            mod = sniff(path)
            if mod is None:
                rows.append((rel, None, None, 0, "skipped", "not an export the kit recognises"))
                continue
            res = load(path, source=mod.NAME, label=rel, **options)
        except Exception as exc:  # one file's failure, whatever it is, is not the folder's
            if errors == "raise":
                raise
            name = mod.NAME if mod is not None else None
            rows.append((rel, name, None, 0, "failed", _failure(rel, exc)))
            continue
        loaded.append(res)
        report.extend(res.report)
        rows.append((rel, res.source, res.kind, len(res.data), "loaded", ""))
    files = pd.DataFrame(rows, columns=["file", "source", "kind", "rows", "status", "message"])
    tables: dict[str, pd.DataFrame] = {}
    for kind in schema.TABLES:
        parts = [r for r in loaded if r.kind == kind]
        if not parts:
            continue
        # older exports first, so deduplication keeps the latest
        parts.sort(key=lambda r: (r.exported_at or pd.Timestamp.min, r.path.name))
        datas = _keep_local_ids_apart(parts, report) if kind == "events" else None
        datas = datas or [r.data for r in parts]
        frame = pd.concat(datas, ignore_index=True) if len(parts) > 1 else datas[0]
        if len(parts) > 1:
            if kind == "events":
                _flag_repeated_events(frame, report)
            frame = _fill_from_other_exports(frame, kind, report)
            frame = deduplicate(frame, kind, report).reset_index(drop=True)
            frame = schema.validate(frame, kind, path=folder)
        tables[kind] = frame
    return Dataset(tables, report, files, loaded)
