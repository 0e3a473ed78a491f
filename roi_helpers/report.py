"""``roi report``: run the notebooks headless and write a folder of HTML reports.

The scheduled path of the kit. Half its users never open a notebook: they get this folder
every Monday. One command runs every report notebook with papermill on a data folder and
writes, into a fresh ``reports/<UTC timestamp>/`` folder:

``index.html``
    The page to open: title, date, period, data folder, a table of the notebooks with a
    status badge each (finished / skipped: no data / failed / timed out), their timings
    and key numbers, and the run's parameters.
``<notebook>.html``
    Each notebook as a page without code: narrative, tables and charts (embedded
    images). A notebook that failed or hung says so at the top, with the failing cell
    and its error.
``<notebook>/``
    The executed notebook (``.ipynb``), the cleaning reports (CSV) and the key numbers
    (``*.numbers.json``) the notebook wrote into its ``output_dir``.
``run.log``, ``run.json``
    What happened, for people and for programs.

Guarantees: one failing or hung notebook does not stop the others and makes the exit
status non-zero; no page holds an email address (every page is scanned and redacted, and
the log says so); people appear as pseudonyms unless ``--show-names``; CSV cells cannot
start a spreadsheet formula; an existing output folder is never written into; widgets are
off (``interactive=False``) and every cell has a timeout.

Each notebook runs in a child process of its own (:mod:`roi_helpers._nbclient_patch` run as
a script: the patch is applied before papermill's API), so that even a stall no timeout
catches cannot hang the schedule: the child is stopped when the notebook exceeds its
overall time budget.

A notebook that finds nothing to analyse in the data folder says so in its page and
records it for the index: ``results.record(name, {"no_data": "why"}, output_dir)``.
"""

from __future__ import annotations

import argparse
import ast
import codecs
import contextlib
import datetime as dt
import html
import json
import logging
import os
import queue
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

import nbformat
import pandas as pd
import yaml

from . import _nbclient_patch
from ._nbclient_patch import EVENT_PREFIX as _EVENT
from .clean import safe_for_spreadsheet
from .errors import RoiInputError
from .privacy import EMAIL, find_emails, redact_emails

__all__ = [
    "FORMATS",
    "STATUSES",
    "NotebookResult",
    "Report",
    "find_project",
    "list_notebooks",
    "main",
    "read_params",
    "report_period",
    "run_report",
]

#: What the run can keep per notebook (``--format``).
FORMATS = ("html", "ipynb")

#: A notebook's outcome, as the index shows it.
STATUSES = ("ok", "no data", "failed", "timed out", "not run")

_LABELS = {
    "ok": "Finished",
    "no data": "Skipped: no data",
    "failed": "Failed",
    "timed out": "Timed out",
    "not run": "Not run",
    "waiting": "Waiting",
}
_COLORS = {
    "ok": "#1a7f37",
    "no data": "#6e7781",
    "failed": "#cf222e",
    "timed out": "#bc4c00",
    "not run": "#6e7781",
    "waiting": "#0969da",
}

#: Parameters the runner sets itself; a params file cannot change them.
_RUNNER_SET = {
    "output_dir": "roi report gives each notebook its own folder in the report",
    "interactive": "reports never create widgets (interactive is always False)",
    "show_names": "names are shown only with --show-names on the command line",
}
_PERIOD = ("start_date", "end_date")
_HIDDEN = "[email hidden]"
# An address a browser would show although its '@' is written as an entity or escape.
_ENCODED_EMAIL = re.compile(
    r"[A-Za-z0-9._%+\-]+(?:&#0*64;|&#[xX]0*40;|&commat;|%40)[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"
)
_NUMBER = r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$"
_FORMULA = r"^[=+\-@\t\r]"
# Other text a notebook may write beside its CSVs and numbers, scanned for emails too.
_TEXT_FILES = {".html", ".htm", ".txt", ".md", ".log", ".tsv", ".svg"}


# -- results -----------------------------------------------------------------------------------


@dataclass
class NotebookResult:
    """What happened to one notebook of a report run.

    Attributes
    ----------
    name : str
        The notebook's file name without ``.ipynb`` (``02_engagement_rates``).
    title : str
        Its first markdown heading (the name when it has none).
    status : str
        One of :data:`STATUSES`: ``ok``; ``no data`` (it ran and recorded ``no_data``:
        the folder lacks what it needs); ``failed``; ``timed out``; ``not run``
        (the run was interrupted first).
    seconds : float
        Wall-clock time, kernel start included.
    message : str
        For people: the error, the timeout or the missing data; empty when ``ok``.
    error : dict
        ``ename``, ``evalue``, ``cell`` (execution count, or None), ``position`` (the
        failing cell's place among the notebook's own cells, 1-based: what a reader
        counts in the stored notebook, without the injected parameters cell),
        ``code_position`` (its place among the notebook's own code cells), ``first_line``
        (its first line of code) and ``source`` (its code) when it failed or timed out;
        empty otherwise.
    parameters : dict
        The parameters passed to the notebook.
    ignored : list of str
        Parameters of the run that the notebook does not declare, not passed.
    takes_period : bool
        False when the notebook declares neither ``start_date`` nor ``end_date``: it
        covers every date in the data whatever the run's period, and its page and index
        row say so.
    numbers : dict
        The key numbers it recorded (``results.record``), emails hidden.
    page, notebook : str or None
        The HTML page and the executed notebook, relative to the report folder.
    files : list of str
        Other files it wrote (cleaning reports...), relative to the report folder.
    emails_hidden : int
        Email addresses redacted from its outputs, page, CSVs and numbers.
    cells_made_safe : int
        CSV cells prefixed with ``'`` so that a spreadsheet does not run them.
    """

    name: str
    title: str
    status: str = "not run"
    seconds: float = 0.0
    message: str = ""
    error: dict[str, Any] = field(default_factory=dict)
    parameters: dict[str, Any] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    numbers: dict[str, Any] = field(default_factory=dict)
    page: str | None = None
    notebook: str | None = None
    files: list[str] = field(default_factory=list)
    emails_hidden: int = 0
    cells_made_safe: int = 0
    takes_period: bool = True


@dataclass
class Report:
    """A report run: where it went, and what happened to each notebook.

    Attributes
    ----------
    folder : Path
        The report folder (``index.html`` is in it).
    data_dir : Path
        The data folder analysed.
    start_date, end_date : str or None
        The period, ISO dates, inclusive (None: unbounded on that side).
    results : list of NotebookResult
        One per notebook, in the order they ran.
    started, finished : str
        UTC timestamps (ISO 8601).
    """

    folder: Path
    data_dir: Path
    start_date: str | None
    end_date: str | None
    results: list[NotebookResult]
    started: str
    finished: str = ""
    parameters: dict[str, Any] = field(default_factory=dict)
    show_names: bool = False
    timeout: float = 600
    command: str = ""

    @property
    def exit_status(self) -> int:
        """0 when every notebook finished (or had no data to analyse), 1 otherwise."""
        return 0 if all(r.status in ("ok", "no data") for r in self.results) else 1

    @property
    def emails_hidden(self) -> int:
        """Email addresses hidden in the whole run."""
        return sum(r.emails_hidden for r in self.results)


# -- finding things ----------------------------------------------------------------------------


def _is_project(folder: Path) -> bool:
    if not (folder / "notebooks").is_dir():
        return False
    if (folder / "roi_helpers").is_dir():
        return True
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        try:
            name = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["name"]
        except (tomllib.TOMLDecodeError, KeyError, TypeError, OSError, UnicodeDecodeError):
            return False
        return str(name).lower().replace("_", "-") == "roi-helpers"
    return False


def find_project(start: str | Path | None = None) -> Path:
    """The kit's project folder: ``start`` or the nearest folder above it that holds it.

    The project folder holds ``notebooks/`` and either ``roi_helpers/`` or a
    ``pyproject.toml`` naming ``roi-helpers``. It is found from the current directory,
    not from where the package is installed, so it works the same for an editable and
    a regular install.

    Parameters
    ----------
    start
        Where to start looking (default: the current directory).

    Returns
    -------
    Path
        The project folder, absolute.

    Raises
    ------
    RoiInputError
        No such folder at or above ``start``; the message says what to do.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> root = Path(tempfile.mkdtemp())
    >>> for sub in ("notebooks", "roi_helpers", "data/sample"):
    ...     (root / sub).mkdir(parents=True)
    >>> find_project(root / "data" / "sample") == root.resolve()
    True
    """
    here = Path.cwd() if start is None else Path(start)
    here = here.resolve()
    for folder in (here, *here.parents):
        if _is_project(folder):
            return folder
    raise RoiInputError(
        f"no Return on Influence kit folder at or above {here} (one holding notebooks/ and "
        "roi_helpers/, or a pyproject.toml naming roi-helpers)",
        path=here,
        hint="cd into the kit's folder (your clone of the project) and run again, or say "
        "where the report notebooks are with --notebooks DIR and give the DATA_DIR.",
    )


def _match(names: Sequence[str], wanted: str) -> list[str]:
    want = wanted.strip().removesuffix(".ipynb")
    exact = [n for n in names if n == want]
    if exact:
        return exact
    return [n for n in names if n.startswith(want + "_") or n.split("_", 1)[-1] == want]


def list_notebooks(folder: str | Path, only: Sequence[str] | None = None) -> list[Path]:
    """The report notebooks of ``folder`` (``*.ipynb``, not sub-folders), in name order.

    Parameters
    ----------
    folder
        The notebooks folder (``notebooks/`` of the project). Sub-folders such as
        ``notebooks/workshop/`` are not reports and are left out.
    only
        Keep these: a name (``02_engagement_rates``), its number (``02``) or the name
        without its number (``engagement_rates``); items may also be comma-separated.

    Returns
    -------
    list of Path
        The notebooks to run, sorted by name.

    Raises
    ------
    RoiInputError
        The folder is missing or holds no notebook, or a name in ``only`` matches none
        (the error lists the names that exist).

    Examples
    --------
    >>> import tempfile, nbformat
    >>> from pathlib import Path
    >>> d = Path(tempfile.mkdtemp())
    >>> for name in ("02_engagement_rates", "01_audience_relevance"):
    ...     nbformat.write(nbformat.v4.new_notebook(), d / f"{name}.ipynb")
    >>> [p.name for p in list_notebooks(d)]
    ['01_audience_relevance.ipynb', '02_engagement_rates.ipynb']
    >>> [p.stem for p in list_notebooks(d, only=["02"])]
    ['02_engagement_rates']
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise RoiInputError(
            f"the notebooks folder {folder} does not exist",
            path=folder,
            hint="Pass --notebooks with the folder that holds the report notebooks.",
        )
    found = sorted(
        p
        for p in folder.glob("*.ipynb")
        if p.is_file() and not p.name.startswith(".") and not p.stem.endswith("-checkpoint")
    )
    if not found:
        raise RoiInputError(
            f"{folder} holds no notebook (*.ipynb)",
            path=folder,
            hint="Pass --notebooks with the folder that holds the report notebooks.",
        )
    if not only:
        return found
    names = [p.stem for p in found]
    wanted = [w for item in only for w in str(item).split(",") if w.strip()]
    keep: set[str] = set()
    for w in wanted:
        hits = _match(names, w)
        if not hits:
            raise RoiInputError(
                f"--only {w!r} names no notebook in {folder}",
                path=folder,
                expected="one of " + ", ".join(names),
            )
        keep.update(hits)
    return [p for p in found if p.stem in keep]


# -- period and parameters ----------------------------------------------------------------------


def _as_date(value: str | dt.date | None, what: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise RoiInputError(
            f"{what} {value!r} is not a date", expected="an ISO date such as 2026-11-23"
        ) from None


def _local_today() -> dt.date:
    """Today by the machine's local clock and time zone (``TZ``), as cron reads it."""
    return dt.date.today()


def report_period(
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    last: str | None = None,
    today: dt.date | None = None,
) -> tuple[dt.date | None, dt.date | None]:
    """The period a report covers, both ends inclusive.

    Parameters
    ----------
    since, until
        First and last day (ISO dates). Either may be omitted: that side is open.
    last
        ``7d``, ``4w``, ``3m`` or ``1y``: that many whole days, weeks, months or years
        ending ``until`` or, without it, *yesterday* by the machine's local date (so a
        Monday run with ``--last 7d`` covers Monday to Sunday of the week before, also
        in the early hours of a time zone ahead of UTC). Not with ``since``.
    today
        Today's date (default: the machine's local date, as cron and a person see it).

    Returns
    -------
    (date or None, date or None)
        ``(start, end)``; passed to the notebooks as ``start_date`` and ``end_date``.

    Raises
    ------
    RoiInputError
        A date that is not ISO, ``last`` not like ``7d``, ``last`` with ``since``, or a
        period that ends before it starts.

    Examples
    --------
    >>> import datetime as dt
    >>> report_period(last="7d", today=dt.date(2026, 11, 30))
    (datetime.date(2026, 11, 23), datetime.date(2026, 11, 29))
    >>> report_period(last="3m", until="2026-11-30")
    (datetime.date(2026, 9, 1), datetime.date(2026, 11, 30))
    >>> report_period(since="2026-11-01")
    (datetime.date(2026, 11, 1), None)
    """
    start = _as_date(since, "--since")
    end = _as_date(until, "--until")
    if last is not None:
        if start is not None:
            raise RoiInputError(
                "--last and --since both say where the period starts: give one of them",
                expected="--last 7d, or --since DATE [--until DATE]",
            )
        m = re.fullmatch(r"\s*(\d+)\s*([dwmy])\s*", str(last).lower())
        if m is None or int(m.group(1)) == 0:
            raise RoiInputError(
                f"--last {last!r} is not a length of time",
                expected="a number and a unit: 7d (days), 4w (weeks), 3m (months), 1y (years)",
            )
        n, unit = int(m.group(1)), m.group(2)
        if end is None:
            today = _local_today() if today is None else today
            end = today - dt.timedelta(days=1)
        after = pd.Timestamp(end + dt.timedelta(days=1))
        offset = {
            "d": pd.DateOffset(days=n),
            "w": pd.DateOffset(weeks=n),
            "m": pd.DateOffset(months=n),
            "y": pd.DateOffset(years=n),
        }[unit]
        start = (after - offset).date()
    if start is not None and end is not None and start > end:
        raise RoiInputError(
            f"the period ends ({end}) before it starts ({start})",
            expected="--since on or before --until",
        )
    return start, end


def _plain_value(value: Any, where: str, path: Path) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, list):
        return [_plain_value(v, where, path) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain_value(v, f"{where}.{k}", path) for k, v in value.items()}
    raise RoiInputError(
        f"{where} is a {type(value).__name__}, which a notebook parameter cannot be",
        path=path,
        column=where,
        expected="text, a number, true/false, a date, a list or a mapping",
    )


class _ParamsLoader(yaml.SafeLoader):
    """YAML's safe loader, keeping mapping keys as written: ``02:`` stays ``"02"``."""


def _keys_as_written(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    out = {}
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            key = key_node.value
        else:
            key = loader.construct_object(key_node, deep=True)
        out[key] = loader.construct_object(value_node, deep=True)
    return out


_ParamsLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _keys_as_written)


def read_params(
    path: str | Path, notebooks: Sequence[str] | None = None
) -> dict[str, dict[str, Any]]:
    """Read a YAML parameters file: common parameters and per-notebook sections.

    The file is a mapping. ``common:`` holds parameters for every notebook; a key that
    names a notebook (``02_engagement_rates``, or just ``02``) holds that notebook's own,
    which win over the common ones. Other top-level keys with a plain value are common
    parameters too. Dates are passed as ISO text. A ``data_dir`` is read relative to the
    file's folder.

    Parameters
    ----------
    path
        The YAML file.
    notebooks
        The notebook names that sections may refer to (all names when omitted).

    Returns
    -------
    dict
        ``{"common": {...}, "<notebook name>": {...}, ...}``; the input file is only read.

    Raises
    ------
    RoiInputError
        The file is missing, not valid YAML (the error gives the line), not a mapping,
        has a section that names no notebook, or a value that cannot be a parameter.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> f = Path(tempfile.mkdtemp()) / "weekly.yml"
    >>> _ = f.write_text("common:\\n  platform: linkedin\\n02:\\n  min_posts: 5\\n")
    >>> read_params(f, ["01_audience_relevance", "02_engagement_rates"])
    {'common': {'platform': 'linkedin'}, '02_engagement_rates': {'min_posts': 5}}
    """
    path = Path(path)
    if not path.is_file():
        raise RoiInputError(
            f"the parameters file {path} does not exist",
            path=path,
            hint="Pass --params with a YAML file, or leave --params out.",
        )
    try:
        raw = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_ParamsLoader)
    except UnicodeDecodeError as exc:
        raise RoiInputError(
            f"is not UTF-8 text (byte {exc.start})", path=path, expected="a UTF-8 YAML file"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise RoiInputError(
            f"is not valid YAML: {problem}",
            path=path,
            rows=None if mark is None else [mark.line + 1],
            expected="a mapping such as 'common: {start_date: 2026-11-01}'",
        ) from None
    if raw is None:
        return {"common": {}}
    if not isinstance(raw, dict):
        raise RoiInputError(
            f"holds a {type(raw).__name__}, not a mapping of parameters",
            path=path,
            expected="a mapping such as 'common: {start_date: 2026-11-01}'",
        )
    out: dict[str, dict[str, Any]] = {"common": {}}
    for key, value in raw.items():
        key = str(key)
        if key == "common":
            if value is None:
                continue
            if not isinstance(value, dict):
                raise RoiInputError(
                    "'common' is not a mapping", path=path, column="common", expected="name: value"
                )
            out["common"].update(_plain_value(value, "common", path))
        elif isinstance(value, dict) or value is None and notebooks and _match(notebooks, key):
            hits = [key] if notebooks is None else _match(notebooks, key)
            if len(hits) != 1:
                raise RoiInputError(
                    f"section {key!r} names no notebook"
                    if not hits
                    else f"section {key!r} names several notebooks ({', '.join(hits)})",
                    path=path,
                    column=key,
                    expected="'common' or one of " + ", ".join(notebooks or []),
                )
            out.setdefault(hits[0], {}).update(_plain_value(value or {}, key, path))
        else:
            out["common"][key] = _plain_value(value, key, path)
    for section in out.values():
        if section.get("data_dir"):
            section["data_dir"] = str((path.parent / str(section["data_dir"])).resolve())
    return out


def _declared_parameters(path: Path, nb: nbformat.NotebookNode) -> dict[str, str | None]:
    """Names (and declared types) of the notebook's parameters cell.

    Read with ``ast`` (exact for the kit's ``name: type = literal`` lines) and with
    ``papermill.inspect_notebook`` (which skips a line with a second ``=``, even in its
    comment), and merged.
    """
    cell = next(
        (
            c
            for c in nb.cells
            if c.cell_type == "code" and "parameters" in c.get("metadata", {}).get("tags", [])
        ),
        None,
    )
    if cell is None:
        return {}
    declared: dict[str, str | None] = {}
    try:
        tree = ast.parse(cell.source)
    except SyntaxError:
        tree = None
    if tree is not None:
        for node in tree.body:
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                declared[node.target.id] = ast.unparse(node.annotation)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        declared.setdefault(target.id, None)
    import papermill as pm

    pm_log = logging.getLogger("papermill")
    level = pm_log.level
    pm_log.setLevel(logging.ERROR)  # its "Unable to parse line" warnings are ours to judge
    try:
        inspected = pm.inspect_notebook(str(path))
    except Exception:  # ast has already read what it could
        inspected = {}
    finally:
        pm_log.setLevel(level)
    for name, info in inspected.items():
        kind = info.get("inferred_type_name")
        declared.setdefault(name, None if kind in (None, "None") else kind)
    return declared


_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "list": (list,),
    "dict": (dict,),
}


def _type_mismatch(kind: str | None, value: Any) -> bool:
    expected = _TYPES.get((kind or "").split("[")[0].strip())
    if expected is None or value is None:
        return False
    if isinstance(value, bool) and bool not in expected:
        return True
    return not isinstance(value, expected)


# -- writing safely -----------------------------------------------------------------------------


def _redact_text(text: str) -> tuple[str, int]:
    n = len(find_emails(text))
    if n:
        text = redact_emails(text)
    m = len(_ENCODED_EMAIL.findall(text))
    if m:
        text = _ENCODED_EMAIL.sub(_HIDDEN, text)
    return text, n + m


def _redact_tree(node: Any) -> tuple[Any, int]:
    """Every string in a JSON-like tree with emails hidden (images and attachments skipped)."""
    if isinstance(node, str):
        return _redact_text(node)
    if isinstance(node, list):
        total = 0
        items = []
        for item in node:
            item, n = _redact_tree(item)
            items.append(item)
            total += n
        return items, total
    if isinstance(node, dict):
        total = 0
        for key in list(node):
            if key == "attachments" or str(key).startswith("image/") or key == "application/pdf":
                continue
            node[key], n = _redact_tree(node[key])
            total += n
        return node, total
    return node, 0


def _write_page(path: Path, text: str) -> int:
    """Write an HTML page with every email address hidden; return how many were hidden."""
    text, n = _redact_text(text)
    path.write_text(text, encoding="utf-8")
    return n


def _make_csv_safe(path: Path) -> tuple[int, int]:
    """Make a CSV safe to open in a spreadsheet and free of emails, in place.

    Text cells starting with ``= + - @``, tab or return get a leading apostrophe
    (:func:`roi_helpers.clean.safe_for_spreadsheet`); plain numbers such as ``-3`` are
    left alone. Email addresses are hidden. The file is rewritten only when something
    changed. Returns (cells made safe, emails hidden).
    """
    raw = path.read_bytes()
    if not raw.strip():
        return 0, 0
    bom = raw.startswith(codecs.BOM_UTF8)
    frame = pd.read_csv(
        path,
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        encoding="utf-8-sig",
    )
    text = frame.astype(object)
    number = text.apply(lambda s: s.astype(str).str.fullmatch(_NUMBER))
    safe = safe_for_spreadsheet(text.where(~number))
    safe = safe.where(~number, text)
    made_safe = int((safe != text).to_numpy().sum())
    emails = 0
    for col in safe.columns:
        s = safe[col].astype(str)
        counts = s.str.count(EMAIL.pattern)
        if counts.any():
            emails += int(counts.sum())
            safe[col] = s.map(redact_emails)
    header = [
        c if re.match(_FORMULA, str(c)) is None or re.fullmatch(_NUMBER, str(c)) else "'" + c
        for c in safe.columns
    ]
    header_safe = sum(a != b for a, b in zip(header, safe.columns, strict=True))
    header_emails = sum(len(find_emails(str(c))) for c in header)
    header = [redact_emails(str(c)) for c in header]
    if made_safe or emails or header_safe or header_emails:
        safe.columns = header
        safe.to_csv(path, index=False, encoding="utf-8-sig" if bom else "utf-8")
    return made_safe + header_safe, emails + header_emails


# -- running one notebook in a child process ---------------------------------------------------


def _child_env() -> dict[str, str]:
    import roi_helpers

    env = dict(os.environ)
    # Let the child and its kernel import this very package, installed or not.
    package_parent = str(Path(roi_helpers.__file__).resolve().parents[1])
    paths = [package_parent, *[p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    env.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    env["PYTHONUNBUFFERED"] = "1"
    # Figures must reach the page: a headless MPLBACKEND=Agg (set for scripts, cron or
    # tests) would make plt.show() draw nothing in the kernel.
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    return env


def _stop(proc: subprocess.Popen[str]) -> None:
    """Stop a child and everything in its process group (TERM, then KILL)."""
    if proc.poll() is not None:
        return
    killpg = getattr(os, "killpg", None)
    for sig, wait in ((signal.SIGTERM, 5), (getattr(signal, "SIGKILL", signal.SIGTERM), 5)):
        try:
            if killpg is not None:
                killpg(proc.pid, sig)
            else:  # pragma: no cover - Windows
                proc.kill()
        except (ProcessLookupError, PermissionError):
            pass
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _execute(
    src: Path,
    output: Path,
    parameters: dict[str, Any],
    kernel: str,
    timeout: float,
    on_event: Any,
    hard_limit: float,
) -> tuple[dict[str, Any], str]:
    """Run ``src`` into ``output`` in a child process; return (its last event, its stderr)."""
    spec = {
        "input": str(src),
        "output": str(output),
        "parameters": parameters,
        "kernel": kernel,
        "cwd": str(src.parent),
        "timeout": timeout,
    }
    with tempfile.TemporaryDirectory(prefix="roi-report-") as tmp:
        spec_file = Path(tmp) / "spec.json"
        spec_file.write_text(json.dumps(spec), encoding="utf-8")
        err_path = Path(tmp) / "stderr.txt"
        # The child runs the patch module as a script (-P: nothing prepended to sys.path),
        # so it loads papermill without importing the kit (pandas, pandera...) first.
        script = str(Path(_nbclient_patch.__file__).resolve())
        with err_path.open("w", encoding="utf-8") as err:
            proc = subprocess.Popen(
                [sys.executable, "-P", script, str(spec_file)],
                stdout=subprocess.PIPE,
                stderr=err,
                stdin=subprocess.DEVNULL,
                text=True,
                encoding="utf-8",
                errors="replace",
                env=_child_env(),
                start_new_session=True,
            )
            lines: queue.Queue[str | None] = queue.Queue()

            def _read() -> None:
                assert proc.stdout is not None
                for line in proc.stdout:
                    lines.put(line)
                lines.put(None)

            reader = threading.Thread(target=_read, daemon=True)
            reader.start()
            deadline = time.monotonic() + hard_limit
            final: dict[str, Any] = {}
            try:
                while True:
                    try:
                        line = lines.get(timeout=min(1.0, max(0.05, deadline - time.monotonic())))
                    except queue.Empty:
                        if time.monotonic() >= deadline:
                            _stop(proc)
                            final = {
                                "event": "done",
                                "status": "timed out",
                                "index": final.get("index"),
                                "ename": "TimeoutError",
                                "evalue": f"the notebook ran longer than {hard_limit:.0f} s "
                                "in all and was stopped",
                            }
                            break
                        continue
                    if line is None:
                        break
                    if not line.startswith(_EVENT):
                        continue
                    event = json.loads(line[len(_EVENT) :])
                    if event.get("event") == "done":
                        final = event
                    else:
                        final["index"] = event.get("index")
                        on_event(event)
            except BaseException:
                _stop(proc)
                raise
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                _stop(proc)
        stderr = err_path.read_text(encoding="utf-8", errors="replace")
    if final.get("event") != "done":
        tail = "\n".join(stderr.strip().splitlines()[-5:])
        final = {
            "event": "done",
            "status": "failed",
            "index": final.get("index"),
            "ename": "RunnerError",
            "evalue": f"the process running the notebook ended unexpectedly "
            f"(exit status {proc.returncode}){': ' + tail if tail else ''}",
        }
    return final, stderr


# -- turning an executed notebook into a page ----------------------------------------------------


def _title(nb: nbformat.NotebookNode, default: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip() or default
    return default


def _fence(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"~+", text)), default=0)
    return "~" * max(3, longest + 1)


_NOT_OWN = {"injected-parameters", "papermill-error-cell-tag", "roi-report-error"}


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _place(nb: nbformat.NotebookNode, index: int) -> dict[str, Any]:
    """Where cell ``index`` of an executed notebook is in the notebook as stored.

    Counts the notebook's own cells only: not the parameters cell papermill injects, nor
    the marks papermill and the runner add. Returns ``position``, ``code_position``,
    ``n_cells`` (1-based positions; the number of own cells) and ``first_line``.
    """
    own = [
        i
        for i, c in enumerate(nb.cells)
        if not _NOT_OWN & set(c.get("metadata", {}).get("tags", []))
    ]
    code = [i for i in own if nb.cells[i].cell_type == "code"]
    lines = [line.strip() for line in str(nb.cells[index].source).splitlines() if line.strip()]
    first = lines[0] if lines else ""
    if len(first) > 80:
        first = first[:79] + "…"
    return {
        "position": own.index(index) + 1 if index in own else None,
        "code_position": code.index(index) + 1 if index in code else None,
        "n_cells": len(own),
        "first_line": first,
    }


def _where(outcome: Mapping[str, Any], markdown: bool = False) -> str:
    """The failing cell as a reader finds it: ``cell 4 of 5 (the 3rd code cell, ...)``."""
    if not outcome.get("position"):
        return "a cell"
    text = f"cell {outcome['position']} of {outcome['n_cells']}"
    first = outcome.get("first_line") or ""
    if markdown and first:
        quoted = f"{_fence_inline(first)}"
    else:
        quoted = f'"{first}"'
    if outcome.get("code_position"):
        text += f" (the {_ordinal(outcome['code_position'])} code cell"
        text += f", which begins {quoted})" if first else ")"
    elif first:
        text += f" (which begins {quoted})"
    return text


def _fence_inline(text: str) -> str:
    """``text`` as inline code, whatever backticks it holds."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _error_cell(outcome: dict[str, Any], source: str | None, timeout: float) -> Any:
    """A markdown cell for the top of a notebook that did not finish."""
    ename, evalue = outcome.get("ename") or "Error", outcome.get("evalue") or ""
    where = _where(outcome, markdown=True)
    if outcome["status"] == "timed out":
        lead = (
            f"**This notebook did not finish: {where} was still running after its time limit "
            f"and was stopped** (`--timeout {timeout:g}` seconds per cell)."
        )
    else:
        lead = f"**This notebook did not finish: {where} failed.**"
    message = f"{ename}: {evalue}".strip()
    parts = [lead, "", "The error:", "", _fence(message) + "text", message, _fence(message)]
    if source:
        fence = _fence(source)
        parts += ["", "The cell that failed:", "", fence + "python", source, fence]
    parts += [
        "",
        "Everything below ran before it stopped; the full error is shown "
        "[where it happened](#papermill-error-cell).",
    ]
    cell = nbformat.v4.new_markdown_cell("\n".join(parts))
    cell.metadata["tags"] = ["roi-report-error"]
    return cell


def _mark_stop(nb: nbformat.NotebookNode, outcome: dict[str, Any], timeout: float) -> str | None:
    """Mark where a notebook stopped; return the failing cell's source (if known).

    papermill marks a cell that raised (an anchor cell before it, its traceback as an
    output). A cell stopped by the runner (time limit, dead kernel) gets the same: an
    anchor before it and an error output that says why.
    """
    index = outcome.get("index")
    target: int | None = None
    if outcome["status"] == "timed out" or outcome.get("ename") in ("DeadKernelError",):
        if isinstance(index, int) and 0 <= index < len(nb.cells):
            if nb.cells[index].cell_type == "code":
                target = index
    if target is None:
        target = next(
            (
                i
                for i, c in enumerate(nb.cells)
                if c.cell_type == "code"
                and any(o.get("output_type") == "error" for o in c.get("outputs", []))
            ),
            None,
        )
    if target is None:
        return None
    cell = nb.cells[target]
    outcome.update(_place(nb, target))
    has_anchor = any(
        c.cell_type == "markdown" and 'id="papermill-error-cell"' in c.source for c in nb.cells
    )
    if outcome["status"] == "timed out" or not has_anchor:
        cell.outputs.append(
            nbformat.v4.new_output(
                "error",
                ename=outcome.get("ename") or "Error",
                evalue=outcome.get("evalue") or "",
                traceback=[f"{outcome.get('ename')}: {outcome.get('evalue')}"],
            )
        )
    if not has_anchor:
        anchor = nbformat.v4.new_markdown_cell(
            '<span id="papermill-error-cell" style="color:red; font-family:Helvetica Neue,'
            ' Helvetica, Arial, sans-serif; font-size:2em;">The run stopped here: '
            f"{html.escape(str(outcome.get('evalue') or ''))}</span>"
        )
        anchor.metadata["tags"] = ["papermill-error-cell-tag"]
        nb.cells.insert(target, anchor)
    if not outcome.get("cell") and cell.get("execution_count"):
        outcome["cell"] = cell.execution_count
    return cell.source


_EXPORTER: Any = None

# The lab template without the scripts it fetches from a CDN on every view: require.js (for
# widgets and JavaScript outputs, which reports have none of), MathJax (the notebooks hold
# no formulas in TeX) and mermaid (no diagrams). Pages then open offline, and a reader's
# browser asks no third party for anything; images are embedded as data URIs.
_PAGE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""


def _exporter() -> Any:
    global _EXPORTER
    if _EXPORTER is None:
        import jinja2
        from nbconvert import HTMLExporter
        from traitlets.config import Config

        config = Config()
        config.HTMLExporter.exclude_input = True
        config.HTMLExporter.exclude_input_prompt = True
        config.HTMLExporter.exclude_output_prompt = True
        config.HTMLExporter.embed_images = True
        config.TagRemovePreprocessor.enabled = True
        config.TagRemovePreprocessor.remove_cell_tags = {"remove_cell", "remove-cell"}
        config.TagRemovePreprocessor.remove_all_outputs_tags = {"remove_output", "remove-output"}
        _EXPORTER = HTMLExporter(
            config=config,
            extra_loaders=[jinja2.DictLoader({"roi_page.html.j2": _PAGE_TEMPLATE})],
            template_file="roi_page.html.j2",
        )
    return _EXPORTER


_PAGE_CSS = """
.roi-banner{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1100px;
margin:0 auto;padding:14px 20px;border-bottom:1px solid #d0d7de;background:#f6f8fa;color:#1f2328}
.roi-banner a{color:#0969da}.roi-banner .roi-meta{color:#57606a;font-size:.9em;margin-top:6px}
.roi-badge{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-weight:600;
font-size:.85em;vertical-align:middle}
.roi-note{margin-top:8px;padding:8px 12px;border-left:4px solid #6e7781;background:#fff}
.roi-banner h1{font-size:1.35em;margin:8px 0 4px}
.celltag_roi-report-error{border-left:6px solid #cf222e;background:#fff8f8;margin:16px 0;
padding:4px 12px}
.celltag_roi-report-error pre{background:#f6f8fa;padding:8px 12px;border-radius:6px;
overflow:auto;white-space:pre-wrap}
"""


def _badge(status: str) -> str:
    return (
        f'<span class="roi-badge" style="background:{_COLORS[status]}">'
        f"{html.escape(_LABELS[status])}</span>"
    )


def _period_text(start: str | None, end: str | None) -> str:
    def day(value: str) -> str:
        d = dt.date.fromisoformat(value)
        return f"{d.day} {d:%B %Y}"

    if start and end:
        return f"{day(start)} to {day(end)}"
    if start:
        return f"from {day(start)} on"
    if end:
        return f"up to {day(end)}"
    return "all dates in the data"


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


_NO_PERIOD = "all dates (this report does not take a period)"


def _notebook_period(result: NotebookResult, run: Report) -> tuple[str | None, str | None]:
    """The period a notebook says it used (its recorded dates), else the one it was given.

    A notebook that declares no period parameter was given none, whatever the run's
    period: (None, None), which :func:`_notebook_period_text` words as such.
    """
    used = tuple(result.numbers.get(k) for k in _PERIOD)
    if all(isinstance(v, str) and len(v) >= 10 for v in used):
        return used[0][:10], used[1][:10]
    if not result.takes_period:
        return None, None
    return result.parameters.get("start_date"), result.parameters.get("end_date")


def _notebook_period_text(result: NotebookResult, run: Report) -> str:
    """The period of one notebook's page, in words."""
    start, end = _notebook_period(result, run)
    if start is None and end is None and not result.takes_period:
        return _NO_PERIOD
    return _period_text(start, end)


def _banner(result: NotebookResult, run: Report) -> str:
    note = ""
    if result.status == "no data":
        note = f'<div class="roi-note">Nothing to analyse: {html.escape(result.message)}</div>'
    elif result.status in ("failed", "timed out"):
        note = (
            f'<div class="roi-note" style="border-color:{_COLORS[result.status]}">'
            f"{html.escape(result.message)} (details just below)</div>"
        )
    return (
        f'<div class="roi-banner"><a href="index.html">&larr; All reports of this run</a>'
        f"<h1>{html.escape(result.title)} {_badge(result.status)}</h1>"
        f'<div class="roi-meta">Period: {html.escape(_notebook_period_text(result, run))} &middot; '
        f"Data: {html.escape(str(run.data_dir))} &middot; Run "
        f"{html.escape(run.started[:16].replace('T', ' '))} UTC &middot; took {_duration(result.seconds)}</div>{note}</div>"
    )


def _to_html(nb: nbformat.NotebookNode, result: NotebookResult, run: Report) -> str:
    body, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"name": result.title}})
    body = body.replace("</head>", f"<style>{_PAGE_CSS}</style></head>", 1)
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + _banner(result, run), body, count=1)


# -- the index -----------------------------------------------------------------------------------


def _flat_numbers(numbers: Mapping[str, Any], limit: int = 10) -> tuple[list[tuple[str, str]], int]:
    # the notebook's own top-level numbers first, then the parts of nested ones
    items: list[tuple[str, Any]] = [
        (k, v) for k, v in numbers.items() if k != "no_data" and not isinstance(v, Mapping)
    ]
    for key, value in numbers.items():
        if key != "no_data" and isinstance(value, Mapping):
            items += [(f"{key} › {k}", v) for k, v in value.items()]

    def fmt(v: Any) -> str:
        if isinstance(v, bool) or v is None:
            return {True: "yes", False: "no", None: "unknown"}[v]
        if isinstance(v, int):
            return f"{v:,}"
        if isinstance(v, float):
            return f"{v:,.4g}"
        if isinstance(v, list):
            text = ", ".join(fmt(x) for x in v[:5])
            return text + (f" and {len(v) - 5} more" if len(v) > 5 else "")
        if isinstance(v, Mapping):
            return json.dumps(v, default=str)[:80]
        return str(v)

    shown = [(k.replace("_", " "), fmt(v)) for k, v in items[:limit]]
    return shown, max(0, len(items) - limit)


def _kit_version() -> str:
    from . import __version__

    return __version__


def _index_html(run: Report, final: bool) -> str:
    e = html.escape
    results = run.results
    counts = {s: sum(r.status == s for r in results) for s in STATUSES}
    done = counts["ok"] + counts["no data"]
    if not final:
        summary = (
            f"Running: {done + counts['failed'] + counts['timed out']} of {len(results)} done."
        )
        headline = "waiting"
    elif done == len(results):
        summary = f"All {len(results)} reports finished."
        if counts["no data"]:
            summary += f" {counts['no data']} had no data to analyse in this folder."
        headline = "ok"
    else:
        bad = [f"{counts[s]} {s}" for s in ("failed", "timed out", "not run") if counts[s]]
        summary = f"{len(results) - done} of {len(results)} need attention: " + ", ".join(bad) + "."
        headline = "failed"
    when = dt.datetime.fromisoformat(run.started)
    rows = []
    for r in results:
        link = r.page or r.notebook
        name = (
            f'<a href="{e(link)}">{e(r.title)}</a>' if link else e(r.title)
        ) + f'<div class="file">{e(r.name)}</div>'
        if r.status in ("failed", "timed out", "no data", "not run") and r.message:
            said = f'<div class="msg">{e(r.message)}</div>'
        else:
            said = ""
        own = _notebook_period_text(r, run)
        run_has_period = run.start_date is not None or run.end_date is not None
        if own != _period_text(run.start_date, run.end_date) and (r.takes_period or run_has_period):
            said += f'<div class="msg">Period: {e(own)}</div>'
        sentence = r.numbers.get("headline")
        if isinstance(sentence, str) and sentence:
            said += f'<div class="headline">{e(sentence)}</div>'
        highlights = r.numbers.get("highlights")
        if isinstance(highlights, Mapping) and highlights:
            # what the notebook chose to show a reader, already worded and formatted
            shown = [(str(k), str(v)) for k, v in highlights.items()]
            more = 0
        else:
            numbers = {k: v for k, v in r.numbers.items() if k not in ("headline", "highlights")}
            shown, more = _flat_numbers(numbers)
        if shown:
            said += "<ul class='numbers'>" + "".join(
                f"<li><span>{e(k)}</span> <b>{e(v)}</b></li>" for k, v in shown
            )
            if more:
                said += f"<li class='more'>and {more} more in the key numbers file</li>"
            said += "</ul>"
        shown_status = r.status if final or r.status != "not run" else "waiting"
        files = []
        if r.page:
            files.append(f'<a href="{e(r.page)}">page</a>')
        if r.notebook:
            files.append(f'<a href="{e(r.notebook)}">notebook</a>')
        for f in r.files:
            files.append(f'<a href="{e(f)}">{e(Path(f).name)}</a>')
        rows.append(
            f"<tr><td>{name}</td><td>{_badge(shown_status)}</td>"
            f"<td>{said}</td><td class='num'>{_duration(r.seconds) if r.seconds else ''}</td>"
            f"<td class='files'>{'<br>'.join(files)}</td></tr>"
        )
    params = "".join(
        f"<tr><th>{e(k)}</th><td>{e(json.dumps(v, default=str))}</td></tr>"
        for k, v in run.parameters.items()
    )
    per_nb = "".join(
        f"<tr><th>{e(r.name)}</th><td>{e(', '.join(f'{k}={json.dumps(v, default=str)}' for k, v in r.parameters.items()))}"
        + (
            f"<br><i>not declared, so not passed: {e(', '.join(r.ignored))}</i>"
            if r.ignored
            else ""
        )
        + "</td></tr>"
        for r in results
        if r.parameters or r.ignored
    )
    names = (
        "Names are shown (--show-names): keep this report private."
        if run.show_names
        else "People appear as pseudonyms (run with --show-names to see names)."
    )
    privacy = (
        f"{names} Email addresses are never shown: {run.emails_hidden} were hidden in this run."
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Return on Influence report, {e(f"{when.day} {when:%B %Y}")}</title>
<style>
body{{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;
max-width:1100px;margin:0 auto;padding:24px;line-height:1.45}}
h1{{margin-bottom:0}} .sub{{color:#57606a;margin-top:4px}}
.summary{{font-size:1.15em;padding:10px 14px;border-radius:6px;background:#f6f8fa;
border-left:6px solid {_COLORS[headline]}}}
dl.facts{{display:grid;grid-template-columns:max-content auto;gap:4px 16px}}
dl.facts dt{{font-weight:600}} dl.facts dd{{margin:0}}
table{{border-collapse:collapse;width:100%}} th,td{{text-align:left;vertical-align:top;
padding:8px 10px;border-bottom:1px solid #d0d7de}}
thead th{{background:#f6f8fa}} td.num{{white-space:nowrap}} .file{{color:#57606a;font-size:.85em}}
.msg{{color:#1f2328;margin-bottom:4px}} .headline{{font-weight:600;margin-bottom:6px}} ul.numbers{{margin:0;padding-left:18px}}
ul.numbers span{{color:#57606a}} .more{{color:#57606a;list-style:none}}
.roi-badge{{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-weight:600;
font-size:.85em;white-space:nowrap}}
a{{color:#0969da}} .foot{{color:#57606a;font-size:.85em;margin-top:24px}}
</style></head>
<body>
<h1>Return on Influence report</h1>
<p class="sub">Run on {e(f"{when:%A} {when.day} {when:%B %Y} at {when:%H:%M} UTC")}</p>
<p class="summary">{e(summary)}</p>
<dl class="facts">
<dt>Period</dt><dd>{e(_period_text(run.start_date, run.end_date))}</dd>
<dt>Data folder</dt><dd>{e(str(run.data_dir))}</dd>
<dt>Privacy</dt><dd>{e(privacy)}</dd>
</dl>
<h2>Reports</h2>
<table><thead><tr><th>Report</th><th>Status</th><th>What it says</th><th>Time</th><th>Files</th></tr></thead>
<tbody>
{"".join(rows)}
</tbody></table>
<h2>How it was run</h2>
<table><tbody>
<tr><th>Command</th><td><code>{e(run.command)}</code></td></tr>
<tr><th>Time limit</th><td>{run.timeout:g} s per cell</td></tr>
<tr><th>Kit version</th><td>{e(_kit_version())}</td></tr>
</tbody></table>
<h3>Parameters given to every report</h3>
<table><tbody>
{params}
</tbody></table>
<h3>Parameters each report received</h3>
<table><tbody>
{per_nb}
</tbody></table>
<p class="foot">The full log is in <a href="run.log">run.log</a>; the same facts for programs
are in <a href="run.json">run.json</a>. Made by the Return on Influence kit.</p>
</body></html>
"""


# -- progress and logging ------------------------------------------------------------------------


class _Log:
    """Log lines to run.log and to the terminal (through tqdm when bars are shown)."""

    def __init__(self, path: Path, stream: IO[str], tty: bool) -> None:
        self.file = path.open("a", encoding="utf-8")
        self.stream = stream
        self.tty = tty

    def __call__(self, message: str, level: str = "INFO", echo: bool = True) -> None:
        message = redact_emails(message)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
        for line in message.splitlines() or [""]:
            self.file.write(f"{stamp} {level:<7} {line}\n")
        self.file.flush()
        if echo:
            text = message if level in ("INFO", "DEBUG") else f"{level}: {message}"
            if self.tty:
                from tqdm import tqdm

                tqdm.write(text, file=self.stream)
            else:
                print(text, file=self.stream, flush=True)

    def close(self) -> None:
        self.file.close()


class _Progress:
    """Per-notebook and overall progress: tqdm bars on a terminal, plain lines otherwise."""

    def __init__(self, total: int, log: _Log, tty: bool) -> None:
        self.log, self.tty, self.total = log, tty, total
        self.overall = self.cells = None
        self.last_line = 0.0
        self.started = 0.0
        self.name = ""
        if tty:
            from tqdm import tqdm

            self.overall = tqdm(
                total=total, desc="report", unit="notebook", position=0, file=log.stream
            )

    def start(self, i: int, name: str, n_cells: int) -> None:
        self.name, self.started, self.last_line = name, time.monotonic(), time.monotonic()
        self.log(f"[{i}/{self.total}] {name}: running")
        if self.tty:
            from tqdm import tqdm

            self.cells = tqdm(
                total=n_cells, desc=name, unit="cell", position=1, leave=False, file=self.log.stream
            )

    def cell(self, event: Mapping[str, Any]) -> None:
        n, total = event.get("n", 0), event.get("total", 0)
        now = time.monotonic()
        quiet_for = now - self.last_line
        echo = not self.tty and quiet_for >= 15  # a sign of life in cron logs, not a flood
        self.log(
            f"    {self.name}: cell {n}/{total} ({_duration(now - self.started)})",
            "DEBUG",
            echo=echo,
        )
        if echo:
            self.last_line = now
        if self.cells is not None:
            self.cells.total = total
            self.cells.n = max(0, n - 1)
            self.cells.refresh()

    def finish(self, i: int, result: NotebookResult) -> None:
        if self.cells is not None:
            self.cells.close()
            self.cells = None
        if self.overall is not None:
            self.overall.update(1)
        level = "INFO" if result.status in ("ok", "no data") else "ERROR"
        tail = f": {result.message}" if result.message else ""
        self.log(
            f"[{i}/{self.total}] {result.name}: {_LABELS[result.status].lower()} "
            f"in {_duration(result.seconds)}{tail}",
            level,
        )

    def close(self) -> None:
        for bar in (self.cells, self.overall):
            if bar is not None:
                bar.close()


# -- the run -------------------------------------------------------------------------------------


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _new_folder(out: str | Path | None, parent: Path, stamp: dt.datetime) -> Path:
    if out is not None:
        folder = Path(out).absolute()
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise RoiInputError(
                f"{folder} already exists: a report never writes into an earlier one",
                path=folder,
                hint="Choose another --out folder, or leave --out out to get a fresh "
                "reports/<timestamp>/ folder.",
            )
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    base = parent / "reports" / stamp.strftime("%Y-%m-%d_%H%M%SZ")
    for n in range(1, 1000):
        folder = base if n == 1 else base.with_name(f"{base.name}-{n}")
        try:
            folder.mkdir(parents=True, exist_ok=False)
            return folder
        except FileExistsError:
            continue
    raise RoiInputError(f"could not make a fresh folder next to {base}", path=base)


def _write_run_files(run: Report, final: bool) -> None:
    _write_page(run.folder / "index.html", _index_html(run, final))
    data = asdict(run)
    data["folder"] = str(run.folder)
    data["data_dir"] = str(run.data_dir)
    data["exit_status"] = run.exit_status if final else None
    data, _ = _redact_tree(json.loads(json.dumps(data, default=str)))
    (run.folder / "run.json").write_text(json.dumps(data, indent=2), encoding="utf-8")


def _hard_limit(nb: nbformat.NotebookNode, timeout: float) -> float:
    n_code = sum(c.cell_type == "code" for c in nb.cells)
    return 180 + (n_code + 2) * (timeout + 15)


def _finish_notebook(
    src: Path,
    source_nb: nbformat.NotebookNode,
    outcome: dict[str, Any],
    result: NotebookResult,
    run: Report,
    formats: Sequence[str],
    log: _Log,
) -> None:
    """Everything after execution: error marks, redaction, HTML page, CSVs, numbers."""
    name = result.name
    folder = run.folder / name
    executed = folder / f"{name}.ipynb"
    result.status = outcome["status"]
    if executed.exists():
        try:
            nb = nbformat.read(executed, as_version=4)
        except Exception as exc:  # a half-written notebook still gets a page
            log(f"{name}: the executed notebook could not be read back ({exc})", "WARNING")
            nb = nbformat.from_dict(json.loads(json.dumps(source_nb)))
    else:
        nb = nbformat.from_dict(json.loads(json.dumps(source_nb)))
    if result.status in ("failed", "timed out"):
        source = _mark_stop(nb, outcome, run.timeout)
        result.error = {
            "ename": outcome.get("ename"),
            "evalue": outcome.get("evalue"),
            "cell": outcome.get("cell"),
            "position": outcome.get("position"),
            "code_position": outcome.get("code_position"),
            "first_line": outcome.get("first_line"),
            "source": source,
        }
        where = _where(outcome)
        if result.status == "timed out" or outcome.get("ename") == "KeyboardInterrupt":
            result.message = f"stopped: {outcome.get('evalue')}"
        else:
            result.message = f"{where} failed with {outcome.get('ename')}: {outcome.get('evalue')}"
        # papermill's own notice at the top counts its injected cell ("In [4]"): ours
        # names the cell as the stored notebook has it, so it replaces that notice
        nb.cells = [
            c
            for c in nb.cells
            if "papermill-error-cell-tag" not in c.get("metadata", {}).get("tags", [])
            or 'id="papermill-error-cell"' in c.source
        ]
        nb.cells.insert(0, _error_cell(outcome, source, run.timeout))
    nb, hidden = _redact_tree(nb)
    result.emails_hidden += hidden
    result.message, n = _redact_text(result.message)
    result.error, n2 = _redact_tree(result.error)
    result.emails_hidden += n + n2

    # key numbers, CSVs and other text the notebook wrote
    for path in sorted(p for p in folder.rglob("*.json") if p != executed):
        try:
            tree = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            log(f"{name}: {path.name} is not valid JSON ({exc}); not shown", "WARNING")
            continue
        tree, n = _redact_tree(tree)
        if n:
            path.write_text(json.dumps(tree, indent=2, sort_keys=True), encoding="utf-8")
            result.emails_hidden += n
        if path.name.endswith(".numbers.json") and isinstance(tree, dict):
            result.numbers.update(tree)
    for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() in _TEXT_FILES):
        try:
            text, n = _redact_text(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            continue
        if n:
            path.write_text(text, encoding="utf-8")
            result.emails_hidden += n
    reason = result.numbers.get("no_data")
    if result.status == "ok" and reason:
        result.status = "no data"
        result.message = str(reason)
    for path in sorted(folder.rglob("*.csv")):
        try:
            made_safe, n = _make_csv_safe(path)
        except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
            moved = path.with_name(path.name + ".unchecked.txt")
            path.rename(moved)
            log(
                f"{name}: {path.name} could not be checked for spreadsheet formulas ({exc}); "
                f"renamed {moved.name} so that a spreadsheet does not open it as a table",
                "WARNING",
            )
            continue
        result.cells_made_safe += made_safe
        result.emails_hidden += n
        if made_safe:
            log(
                f"{name}: {path.name}: {made_safe} cells could start a spreadsheet formula; "
                "prefixed with '"
            )
    result.files = sorted(
        str(p.relative_to(run.folder))
        for p in folder.rglob("*")
        if p.is_file() and p != executed and not p.name.startswith(".")
    )

    if "ipynb" in formats:
        nbformat.write(nb, executed)
        result.notebook = str(executed.relative_to(run.folder))
    else:
        executed.unlink(missing_ok=True)
    if "html" in formats:
        page = run.folder / f"{name}.html"
        result.page = page.name
        try:
            result.emails_hidden += _write_page(page, _to_html(nb, result, run))
        except Exception as exc:  # a page that says why, rather than none
            log(f"{name}: the HTML page could not be made ({type(exc).__name__}: {exc})", "ERROR")
            _write_page(
                page,
                f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(result.title)}"
                f"</title></head><body>{_banner(result, run)}<p>The page could not be made: "
                f"{html.escape(type(exc).__name__)}: {html.escape(str(exc))}</p></body></html>",
            )
    if result.emails_hidden:
        log(f"{name}: hid {result.emails_hidden} email address(es) in its outputs and files")


def _notebook_parameters(
    name: str,
    common: Mapping[str, Any],
    sections: Mapping[str, Mapping[str, Any]],
    log: _Log,
) -> dict[str, Any]:
    wanted = dict(common)
    for key, value in sections.get(name, {}).items():
        if key in _RUNNER_SET:
            log(f"{name}: params file sets {key}, ignored: {_RUNNER_SET[key]}", "WARNING")
            continue
        wanted[key] = value
    return wanted


def run_report(
    data_dir: str | Path | None = None,
    *,
    out: str | Path | None = None,
    params: str | Path | None = None,
    notebooks: str | Path | None = None,
    only: Sequence[str] | None = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    last: str | None = None,
    formats: Sequence[str] = FORMATS,
    timeout: float = 600,
    show_names: bool = False,
    stream: IO[str] | None = None,
    start: str | Path | None = None,
    command: str = "",
) -> Report:
    """Run the report notebooks on a data folder and write a report folder.

    Parameters
    ----------
    data_dir
        The folder of exports (default: the params file's ``data_dir``, else the
        project's ``data/sample/``).
    out
        The report folder; it must not exist (or be empty). Default:
        ``reports/<UTC timestamp>/`` in the project (a suffix is added if taken).
    params
        A YAML parameters file (see :func:`read_params`).
    notebooks
        The folder of report notebooks (default: the project's ``notebooks/``).
    only
        Run only these notebooks (see :func:`list_notebooks`).
    since, until, last
        The period (see :func:`report_period`); passed as ``start_date``/``end_date``.
    formats
        What to keep per notebook: ``"html"`` pages and/or ``"ipynb"`` executed notebooks.
    timeout
        Seconds a single cell may run before the notebook is stopped.
    show_names
        Pass ``show_names=True``: people's names instead of pseudonyms.
    stream
        Where progress goes (default ``sys.stderr``); bars when it is a terminal.
    start
        Where to look for the project from (default: the current directory).
    command
        The command line, for the index.

    Returns
    -------
    Report
        The folder, and one :class:`NotebookResult` per notebook; ``exit_status`` is 1
        when any notebook failed or timed out. Nothing passed in is modified.

    Raises
    ------
    RoiInputError
        Before running anything: no project or notebooks folder, a data folder that does
        not exist, an output folder that exists, a bad parameters file or period.

    Examples
    --------
    >>> report = run_report("data/sample", only=["02"], timeout=300)  # doctest: +SKIP
    >>> report.exit_status, (report.folder / "index.html").exists()  # doctest: +SKIP
    (0, True)
    """
    stream = sys.stderr if stream is None else stream
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise RoiInputError(
            f"--format {','.join(formats)} is not a list of known formats",
            expected="html, ipynb or html,ipynb",
        )
    if not timeout or timeout <= 0:
        raise RoiInputError(f"--timeout {timeout} is not a positive number of seconds")
    project: Path | None
    try:
        project = find_project(start)
    except RoiInputError:
        if notebooks is None:
            raise
        project = None
    nb_folder = Path(notebooks) if notebooks is not None else project / "notebooks"  # type: ignore[operator]
    every = list_notebooks(nb_folder)
    chosen = list_notebooks(nb_folder, only)
    sections = read_params(params, [p.stem for p in every]) if params is not None else {}
    common = dict(sections.pop("common", {}))
    if data_dir is None:
        if common.get("data_dir"):
            data_dir = common["data_dir"]
        elif project is not None:
            data_dir = project / "data" / "sample"
        else:
            raise RoiInputError(
                "no DATA_DIR given, and no project folder to take data/sample/ from",
                hint="Give the folder of exports: roi report path/to/exports.",
            )
    data = Path(data_dir).absolute()
    if not data.is_dir():
        raise RoiInputError(
            f"the data folder {data} does not exist"
            if not data.exists()
            else f"{data} is a file, not a folder",
            path=data,
            hint="Give the folder that holds the exports (CSV, Excel...): roi report FOLDER.",
        )
    common["data_dir"] = str(data)
    flags_period = since is not None or until is not None or last is not None
    if flags_period:
        first, final = report_period(since, until, last)
    else:
        first, final = report_period(common.get("start_date"), common.get("end_date"))
    for key, value in zip(_PERIOD, (first, final), strict=True):
        if value is not None:
            common[key] = value.isoformat()
        elif flags_period:
            common.pop(key, None)
    for key, reason in _RUNNER_SET.items():
        if key in common:
            common.pop(key)
            sections.setdefault("_runner_notes", {})[key] = reason
    runner_notes = sections.pop("_runner_notes", {})
    common.update({"interactive": False, "show_names": bool(show_names)})

    stamp = _utc_now()
    folder = _new_folder(out, project if project is not None else Path.cwd(), stamp)
    tty = bool(getattr(stream, "isatty", lambda: False)())
    log = _Log(folder / "run.log", stream, tty)
    run = Report(
        folder=folder,
        data_dir=data,
        start_date=common.get("start_date"),
        end_date=common.get("end_date"),
        results=[],
        started=stamp.isoformat(),
        parameters={k: v for k, v in common.items() if k != "output_dir"},
        show_names=bool(show_names),
        timeout=float(timeout),
        command=command,
    )
    from ._kernel import ensure_kernel

    kernel = ensure_kernel()
    log(f"Return on Influence report -> {folder}")
    log(f"data: {data}; period: {_period_text(run.start_date, run.end_date)}")
    if params is not None:
        log(f"parameters file: {Path(params).absolute()}")
    for key, reason in runner_notes.items():
        log(f"params file sets {key}, ignored: {reason}", "WARNING")
    if show_names:
        log("--show-names: people's names are shown; keep this report private", "WARNING")
    sources = {p.stem: nbformat.read(p, as_version=4) for p in chosen}
    run.results = [
        NotebookResult(name=p.stem, title=_title(sources[p.stem], p.stem)) for p in chosen
    ]
    _write_run_files(run, final=False)
    progress = _Progress(len(chosen), log, tty)
    interrupted = False
    previous_term = _term_as_interrupt()
    try:
        for i, (src, result) in enumerate(zip(chosen, run.results, strict=True), start=1):
            if interrupted:
                result.message = "the run was interrupted before this report"
                continue
            source_nb = sources[src.stem]
            declared = _declared_parameters(src, source_nb)
            wanted = _notebook_parameters(src.stem, common, sections, log)
            wanted["output_dir"] = str(folder / src.stem)
            result.parameters = {k: v for k, v in wanted.items() if k in declared}
            result.ignored = [k for k in wanted if k not in declared]
            result.takes_period = any(k in declared for k in _PERIOD)
            if not declared:
                log(
                    f"{src.stem}: no cell tagged 'parameters', so it runs on its own defaults "
                    "(not on this data folder)",
                    "WARNING",
                )
            elif result.ignored:
                log(
                    f"{src.stem}: not a parameter of this notebook, ignored: "
                    + ", ".join(result.ignored)
                )
            for key, value in result.parameters.items():
                if _type_mismatch(declared.get(key), value):
                    log(
                        f"{src.stem}: parameter {key} is declared {declared[key]} but is given "
                        f"{type(value).__name__} {value!r}",
                        "WARNING",
                    )
            (folder / src.stem).mkdir()
            n_code = sum(c.cell_type == "code" for c in source_nb.cells)
            progress.start(i, src.stem, n_code)
            began = time.monotonic()
            try:
                outcome, stderr = _execute(
                    src,
                    folder / src.stem / f"{src.stem}.ipynb",
                    result.parameters,
                    kernel,
                    float(timeout),
                    progress.cell,
                    _hard_limit(source_nb, float(timeout)),
                )
            except KeyboardInterrupt:
                interrupted = True
                outcome, stderr = (
                    {
                        "status": "failed",
                        "ename": "KeyboardInterrupt",
                        "evalue": "the run was interrupted while this report was running",
                    },
                    "",
                )
            result.seconds = time.monotonic() - began
            if outcome["status"] != "ok" and stderr.strip():
                log(f"{src.stem}: what the runner said:\n" + _indent(stderr), "DEBUG", echo=False)
            _finish_notebook(src, source_nb, outcome, result, run, formats, log)
            progress.finish(i, result)
            _write_run_files(run, final=False)
    finally:
        progress.close()
        _restore_term(previous_term)
        run.finished = _utc_now().isoformat()
        _write_run_files(run, final=True)
        counts = ", ".join(
            f"{sum(r.status == s for r in run.results)} {_LABELS[s].lower()}"
            for s in STATUSES
            if any(r.status == s for r in run.results)
        )
        log(f"done: {counts}. Open {folder / 'index.html'}")
        if run.emails_hidden:
            log(f"privacy: {run.emails_hidden} email address(es) hidden in this run")
        log.close()
    if interrupted:
        raise KeyboardInterrupt
    return run


def _indent(text: str, limit: int = 60) -> str:
    lines = text.strip().splitlines()
    if len(lines) > limit:
        lines = [f"... {len(lines) - limit} lines before ...", *lines[-limit:]]
    return "\n".join("    " + line for line in lines)


def _term_as_interrupt() -> Any:
    """Turn SIGTERM (cron, CI cancelling) into KeyboardInterrupt, so children are stopped."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def _raise(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    try:
        return signal.signal(signal.SIGTERM, _raise)
    except (ValueError, OSError):  # pragma: no cover
        return None


def _restore_term(previous: Any) -> None:
    if previous is not None:
        with contextlib.suppress(ValueError, OSError):
            signal.signal(signal.SIGTERM, previous)


# -- the command ---------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="roi report",
        description="Run the report notebooks headless on a folder of exports and write "
        "HTML pages without code, an index, the executed notebooks and the cleaning reports "
        "into a fresh folder. The exit status is 0 when every report finished, 1 when one "
        "failed or timed out, 2 when the command itself was wrong.",
        epilog="Example (every Monday): roi report data/exports --last 7d. Run it from the "
        "kit's folder, or pass --notebooks.",
    )
    p.add_argument(
        "data_dir",
        nargs="?",
        metavar="DATA_DIR",
        help="folder of exports (default: the params file's data_dir, else data/sample/)",
    )
    p.add_argument("--params", metavar="FILE.yml", help="YAML parameters: common and per notebook")
    p.add_argument(
        "--out", metavar="DIR", help="report folder; must not exist (default reports/<UTC time>/)"
    )
    p.add_argument("--since", metavar="DATE", help="first day of the period (YYYY-MM-DD)")
    p.add_argument("--until", metavar="DATE", help="last day of the period (YYYY-MM-DD)")
    p.add_argument(
        "--last",
        metavar="N{d,w,m,y}",
        help="the N days/weeks/months/years up to yesterday, by this machine's local date "
        "(or up to --until): 7d, 4w, 3m, 1y",
    )
    p.add_argument(
        "--only",
        nargs="+",
        action="extend",
        metavar="NAME",
        help="run only these notebooks (name, number such as 02, or comma-separated)",
    )
    p.add_argument(
        "--format",
        default="html,ipynb",
        metavar="html,ipynb",
        help="what to keep per notebook (default both)",
    )
    p.add_argument(
        "--notebooks", metavar="DIR", help="folder of report notebooks (default notebooks/)"
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=600,
        metavar="SECONDS",
        help="seconds one cell may run before its notebook is stopped (default 600)",
    )
    p.add_argument(
        "--show-names",
        action="store_true",
        help="show people's names instead of pseudonyms (emails are never shown)",
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``roi report [DATA_DIR] [options]`` and return the exit status.

    Parameters
    ----------
    argv
        The arguments after ``roi report`` (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 when every notebook finished (or had no data to analyse), 1 when any failed
        or timed out, 2 for a wrong command (the reason is printed), 130 when interrupted.

    Examples
    --------
    >>> main(["/no/such/folder", "--notebooks", "/no/such/notebooks"])
    2
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:
        return int(exc.code or 0)
    formats = [f.strip().lower() for f in str(args.format).split(",") if f.strip()]
    command = "roi report " + " ".join(args_list)
    try:
        report = run_report(
            args.data_dir,
            out=args.out,
            params=args.params,
            notebooks=args.notebooks,
            only=args.only,
            since=args.since,
            until=args.until,
            last=args.last,
            formats=formats,
            timeout=args.timeout,
            show_names=args.show_names,
            command=command.strip(),
        )
    except RoiInputError as exc:
        print(f"roi report: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("roi report: interrupted; the reports made so far are kept", file=sys.stderr)
        return 130
    if report.exit_status:
        failed = [r.name for r in report.results if r.status not in ("ok", "no data")]
        print(
            f"roi report: {len(failed)} report(s) did not finish: {', '.join(failed)}. "
            f"See {report.folder / 'index.html'}",
            file=sys.stderr,
        )
    return report.exit_status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
