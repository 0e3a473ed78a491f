"""Training workshops: student copies, friendly loading of a learner's own export, answer checks.

Trainers run the kit for rooms of newcomers (marketers, sales people, not programmers).
The workshop notebooks live in ``notebooks/workshop/``; this module makes them work:

- :func:`student_copies` (``roi workshop --student OUT``) writes the workshop notebooks
  without the cells tagged ``solution`` and without outputs, tags kept, with their
  ``data_dir`` pointed at the same sample data from wherever the copies are written;
- :func:`load_my_export` loads a learner's own file and, when it is the wrong one (the
  whole LinkedIn archive, ``Messages.csv``, an X export where a LinkedIn one was wanted,
  a web page or a PDF, an Excel re-save), says what to do in plain words instead of a
  traceback; with ``errors="print"`` a notebook cell never fails on a learner's file;
- :func:`check` tells a learner whether an exercise's answer is right and, if not, gives
  a hint; every expected answer in :data:`EXERCISES` is computed from the data by the
  package's own functions, never written down; :func:`answer_key` lists them for the
  trainer and :func:`answers` returns what a learner answered (for the last cell's record);
- :func:`my_engagement` and :func:`reshare_summary` sum up a learner's own posts export
  whatever it holds (impressions or not, reshare trees or only reshare counts).
"""

from __future__ import annotations

import argparse
import functools
import math
import os
import re
import sys
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import numpy as np
import pandas as pd

from .errors import RoiInputError, format_rows
from .loading import Loaded, load, sniff
from .sources._common import first_lines, norm, parse_header, read_head

__all__ = [
    "EXERCISES",
    "MIN_SENIORITY",
    "SAMPLE_COMPANY",
    "SAMPLE_OWNER",
    "SAMPLE_OWNER_FUNCTION",
    "SELL_TO",
    "Exercise",
    "answer_key",
    "answers",
    "check",
    "job_function",
    "load_my_export",
    "main",
    "my_engagement",
    "reshare_summary",
    "student_copies",
]

SOLUTION_TAG = "solution"

#: The sample team member whose network notebook 02 studies (Ana Duarte, Head of Sales).
SAMPLE_OWNER = "ana-duarte-5a1b7c"
#: Ana's own job function: her peers are the sales people she knows.
SAMPLE_OWNER_FUNCTION = "Sales"
#: The sample company: its people are colleagues (internal), not buyers.
SAMPLE_COMPANY = "Quillmoor Software B.V."
#: The job functions the sample company sells to (its target personas).
SELL_TO = ("Finance", "Accounting", "Purchasing")
#: The lowest seniority of a target persona in the workshop.
MIN_SENIORITY = "Manager"


# -- student copies ------------------------------------------------------------------------------
def strip_notebook(
    nb: nbformat.NotebookNode, drop_tag: str | None = SOLUTION_TAG
) -> nbformat.NotebookNode:
    """A copy of ``nb`` without outputs, execution counts and cells tagged ``drop_tag``.

    Cell tags are kept (``parameters`` must survive). The input is not modified.
    """
    out = nbformat.from_dict(nbformat.v4.upgrade(nb) if nb.nbformat < 4 else dict(nb))
    out = nbformat.from_dict(nbformat.reads(nbformat.writes(out), as_version=4))
    cells = []
    for cell in out.cells:
        if drop_tag and drop_tag in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    out.cells = cells
    out.metadata.pop("widgets", None)
    out.metadata.pop("papermill", None)
    return out


#: ``data_dir: str = "../../data/sample"`` in a parameters cell: the path's quotes and text.
_DATA_DIR = re.compile(
    r"""^(?P<lead>\s*data_dir\s*(?::[^=]+)?=\s*)(?P<q>["'])(?P<path>[^"'\n]*)(?P=q)""", re.M
)


def _retarget(nb: nbformat.NotebookNode, source: Path, out_dir: Path) -> None:
    """Point a relative ``data_dir`` of the parameters cell at the same folder from ``out_dir``.

    The notebooks say ``../../data/sample`` relative to ``notebooks/workshop``; a copy
    written elsewhere would look in the wrong place. Absolute or missing paths are left
    as they are.
    """

    def repl(m: re.Match[str]) -> str:
        given = m.group("path")
        if not given or Path(given).is_absolute() or not (source / given).is_dir():
            return m.group(0)
        target = (source / given).resolve()
        try:
            new = Path(os.path.relpath(target, out_dir.resolve())).as_posix()
        except ValueError:  # another drive on Windows: no relative path exists
            new = target.as_posix()
        return f"{m.group('lead')}{m.group('q')}{new}{m.group('q')}"

    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            cell.source = _DATA_DIR.sub(repl, cell.source)


def student_copies(source: str | Path, out_dir: str | Path) -> list[Path]:
    """Write student copies of every notebook in ``source`` into ``out_dir``.

    Parameters
    ----------
    source
        The folder of full-solution workshop notebooks (``notebooks/workshop``).
    out_dir
        Where to write the copies; created if needed. Existing copies are replaced, the
        source is never touched (``out_dir`` may not be ``source``).

    Returns
    -------
    list of Path
        The notebooks written: no ``solution`` cells, no outputs, tags kept, and a
        relative ``data_dir`` in the parameters cell rewritten so that it still reaches
        the same folder from ``out_dir``. Other files in ``source`` (images) are copied
        as they are; the facilitator guide (``README.md``) stays with the trainer.

    Raises
    ------
    RoiInputError
        ``source`` is not a folder, or ``out_dir`` is ``source``.

    Examples
    --------
    >>> import tempfile
    >>> src, out = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp())
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("answer = ..."),
    ...     nbformat.v4.new_code_cell("answer = 42", metadata={"tags": ["solution"]})])
    >>> nbformat.write(nb, src / "01_a.ipynb")
    >>> [c.source for c in nbformat.read(student_copies(src, out)[0], as_version=4).cells]
    ['answer = ...']
    """
    import shutil

    source, out_dir = Path(source), Path(out_dir)
    if not source.is_dir():
        raise RoiInputError("is not a folder of notebooks", path=source)
    if out_dir.resolve() == source.resolve():
        raise RoiInputError(
            "student copies would overwrite the solutions",
            path=out_dir,
            hint="Choose another folder.",
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(source.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        target = out_dir / path.name
        if path.suffix == ".ipynb":
            nb = strip_notebook(nbformat.read(path, as_version=4))
            _retarget(nb, source, out_dir)
            nbformat.write(nb, target)
            written.append(target)
        elif path.name.lower() != "readme.md":  # the facilitator guide stays with the trainer
            shutil.copy2(path, target)
    return written


# -- a learner's own export ----------------------------------------------------------------------
#: Files of LinkedIn's data archive that are not the connections, by a column only they have.
_LINKEDIN_ARCHIVE = {
    "conversation id": "Messages.csv (your messages)",
    "sent at": "Invitations.csv (invitations sent and received)",
    "maiden name": "Profile.csv (your own profile)",
    "started on": "Positions.csv (your own jobs)",
    "sharecommentary": "Shares.csv (your own posts)",
    "endorsement date": "Endorsement_Received_Info.csv (endorsements)",
    "school name": "Education.csv (your schools)",
    "followed on": "Company Follows.csv (companies you follow)",
    "creation date": "Recommendations (recommendations given or received)",
    "registered at": "Registration.csv (your account)",
    "skill name": "Endorsement_Given_Info.csv (endorsements)",
    "content title": "Learning.csv (your LinkedIn Learning courses)",
    "type of inference": "Inferences_about_you.csv (LinkedIn's guesses about you)",
    "application date": "Job Applications.csv (your job applications)",
    "saved date": "Saved Jobs.csv (jobs you saved)",
}
#: The columns of LinkedIn's Connections.csv, as norm() writes them.
_CONNECTIONS_COLUMNS = ("first name", "last name", "company", "position", "connected on")

_KIND_WORDS = {
    "audience": "a list of connections or followers",
    "posts": "post analytics",
    "events": "reshare cascades",
    "followers": "follower counts per day",
    "profiles": "account profiles",
    "page_daily": "page analytics per day",
    "accounts": "a CRM account list",
    "team": "a list of team members",
}
#: What one row is, per table, for "Loaded 420 connections".
_ROWS = {
    "audience": "connections",
    "posts": "posts",
    "events": "events (posts and reshares)",
    "followers": "days of follower counts",
    "page_daily": "days of page analytics",
    "profiles": "account profiles",
    "accounts": "CRM accounts",
    "team": "team members",
}
#: What to look for, per table a notebook asks for.
_WHERE = {
    "audience": "your LinkedIn Connections.csv (LinkedIn: Settings > Data privacy > Get a "
    "copy of your data > Connections)",
    "posts": "a posts export: X (Analytics > Posts > Export data), or a LinkedIn page's "
    "content export (Page > Analytics > Content > Export)",
    "events": "a reshare-cascade file (events.csv in the kit's own format)",
}
#: Things that are not exports at all, by their first bytes.
_NOT_EXPORTS = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a picture (PNG)"),
    (b"\xff\xd8\xff", "a picture (JPEG)"),
    (b"GIF8", "a picture (GIF)"),
)


def _clean_path(path: str | Path) -> Path:
    """The path a learner meant: spaces and pasted quotes removed, ``~`` expanded.

    Windows' "Copy as path" pastes ``"C:\\...\\Connections.csv"`` with its quotes.
    """
    text = str(path).strip().strip("\"'").strip()
    return Path(text).expanduser()


def _wants(want: str | Sequence[str]) -> tuple[str, ...]:
    return (want,) if isinstance(want, str) else tuple(want)


def _need(wants: tuple[str, ...]) -> str:
    return " or ".join(_KIND_WORDS.get(w, w) for w in wants)


def _where(wants: tuple[str, ...]) -> str:
    return "; or ".join(_WHERE[w] for w in wants if w in _WHERE) or "the export this step needs"


def _missing(path: Path, wants: tuple[str, ...]) -> str:
    folder = path.parent if str(path.parent) else Path(".")
    here = sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    lower = path.name.lower()
    close = [n for n in here if n.lower() == lower or Path(n).stem.lower() == lower]
    if close:
        return (
            f"There is no file called {path.name!r}, but there is {close[0]!r} in the same "
            f"folder: write its name exactly like that (capitals and the ending .csv count)."
        )
    downloads = Path.home() / "Downloads" / path.name
    if path.parent == Path(".") and downloads.is_file():
        return (
            f"{path.name} is in your Downloads folder, not next to this notebook. Either "
            f"drag it into the file panel on the left, or write '~/Downloads/{path.name}'."
        )
    near = [n for n in here if n.lower().endswith((".csv", ".xlsx", ".xls", ".txt"))]
    hint = f" Files there: {', '.join(near[:8])}." if near else ""
    return (
        f"There is no file at {path}. In JupyterLab, drag your file into the file panel on the "
        f"left, next to this notebook, and write its name exactly (capitals count).{hint} "
        f"This step needs {_where(wants)}."
    )


def _not_an_export(path: Path) -> str | None:
    with open(path, "rb") as fh:
        raw = fh.read(512)
    for magic, what in _NOT_EXPORTS:
        if raw.startswith(magic):
            return f"{path.name} is {what}, not an export. Download the export file itself."
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff \r\n\t").lower()
    if text.startswith(("<!doctype html", "<html", "<head")):
        return (
            f"{path.name} is a web page saved from your browser, not the export. Use the "
            "download link (the file ends in .csv or .xlsx) instead of saving the page."
        )
    return None


def _explain(path: Path, want: str | Sequence[str]) -> str | None:
    """A plain-words diagnosis of why ``path`` is not the export wanted, or None."""
    wants = _wants(want)
    if str(path).strip() in ("", "."):
        return (
            f"No file given yet. Put {_where(wants)} next to this notebook (drag it into the "
            "file panel on the left) and write its name between the quotes."
        )
    if not path.exists():
        return _missing(path, wants)
    if path.is_dir():
        return (
            f"{path} is a folder. Give the path of the file inside it "
            "(for LinkedIn: Connections.csv)."
        )
    if path.stat().st_size == 0:
        return f"{path.name} is empty (0 bytes): the download did not finish. Download it again."
    if zipfile.is_zipfile(path) and path.suffix.lower() == ".zip":
        names = zipfile.ZipFile(path).namelist()
        inside = next((n for n in names if n.endswith("Connections.csv")), None)
        where = f" It contains {inside}: unzip it and use that file." if inside else ""
        return f"{path.name} is the whole zip archive LinkedIn sent you, not one file.{where}"
    not_export = _not_an_export(path)
    if not_export:
        return not_export
    head = read_head(path)
    lines = first_lines(head, 6)
    for line in lines:
        names = {norm(c) for c in parse_header(line)}
        for column, what in _LINKEDIN_ARCHIVE.items():
            if column in names:
                return (
                    f"{path.name} is LinkedIn's {what}, not your connections. In the same archive, "
                    "use Connections.csv."
                )
    mod = sniff(path)
    kind = getattr(mod, "KIND", None)
    if mod is not None and kind is not None and kind not in wants:
        return (
            f"{path.name} is {mod.DESCRIPTION}: {_KIND_WORDS.get(kind, kind)}. This step needs "
            f"{_need(wants)}. Check that you picked the right file (it may belong in another "
            "notebook)."
        )
    if mod is not None:
        return None
    if path.suffix.lower() in {".xlsx", ".xls", ".numbers", ".ods"}:
        original = (
            "the original .csv file LinkedIn sent you, or in Excel choose File > Save As > CSV UTF-8"
            if "audience" in wants
            else "the export as the platform gave it to you (download it again)"
        )
        return f"{path.name} was saved as a spreadsheet ({path.suffix}). Use {original}."
    for sep in (",", ";", "\t"):
        for line in lines:
            names = {norm(c) for c in parse_header(line, sep)}
            if {"first name", "last name"} <= names:
                gone = [c for c in _CONNECTIONS_COLUMNS if c not in names]
                return (
                    f"{path.name} looks like a LinkedIn Connections export with column(s) "
                    f"missing: {', '.join(gone)}. Columns were probably deleted in a "
                    "spreadsheet: download the original again and use it as it is."
                )
    first = lines[0] if lines else ""
    return (
        f"The kit does not recognise {path.name} (its first line is {first[:120]!r}). "
        f"This step needs {_where(wants)}. If you opened and saved the file in Excel or "
        "Numbers, download the original again and use it as it is."
    )


#: Cleaning-report rules said again in plain words: rule -> sentence with {n} (rows).
_PLAIN = {
    "invalid UTF-8": "{n} row(s) had letters that could not be read (shown as �): the file "
    "was saved in an older encoding, usually by a spreadsheet. Everything else is read; to "
    "keep the accents, download the original again.",
    "unreadable date": "{n} date(s) could not be read and count as unknown (such as {example!r}): "
    "if you opened the file in a spreadsheet, download the original again. Only the "
    "analyses over time need them.",
}


#: Whole-file notes said again in plain words: rule -> sentence with {n} (the note's count).
_PLAIN_FILE = {
    "person id derived": "{n} connection(s) have no profile link (LinkedIn leaves it out for "
    "some people): they are told apart by name and connection date.",
}


def _plain_notes(res: Loaded) -> list[str]:
    """What the cleaning report noticed, in sentences for a newcomer."""
    notes = res.report.to_frame()
    whole = notes[notes["row"].isna()].drop_duplicates(["rule", "reason"])
    lines = []
    for rule, reason in zip(whole["rule"], whole["reason"].astype("str"), strict=True):
        count = re.match(r"\s*(\d[\d,]*)", reason)
        if rule in _PLAIN_FILE and count:
            lines.append(_PLAIN_FILE[rule].format(n=count.group(1)))
        else:
            lines.append(reason)
    rows = notes[notes["row"].notna()]
    said = set()
    for rule, sentence in _PLAIN.items():
        part = rows[rows["rule"] == rule]
        if len(part):
            example = part["original"].dropna()
            lines.append(
                sentence.format(
                    n=part["row"].nunique(),
                    example=str(example.iloc[0]) if len(example) else "",
                )
            )
            said.add(rule)
    removed = rows[rows["action"].isin(["set aside", "deduplicated"])]
    if len(removed):
        lines.append(
            f"{removed['row'].nunique()} row(s) were set aside ({format_rows(removed['row'])}): "
            "see .report for why."
        )
        said |= set(removed["rule"])
    rest = rows[~rows["rule"].isin(said)]
    if len(rest):
        lines.append(
            f"{len(rest)} other value(s) were tidied or flagged: see .report for each one."
        )
    return lines


def load_my_export(
    path: str | Path,
    want: str | Sequence[str] = "audience",
    *,
    errors: str = "raise",
    **options: Any,
) -> Loaded | None:
    """Load a learner's own export, or explain in plain words what to do instead.

    Parameters
    ----------
    path
        The learner's file (relative to the notebook's folder). Spaces and quotes pasted
        around it are removed and ``~`` means the home folder.
    want
        The canonical table the exercise needs (``"audience"`` for LinkedIn connections,
        ``"posts"`` for post analytics), or several (``("events", "posts")``).
    errors
        ``"raise"`` (default): raise the plain-words error. ``"print"``: print it after a
        ⚠ and return None, so a notebook cell never stops on a learner's file.
    **options
        Passed to :func:`roi_helpers.load` (``account=``, ``tz=``). A connections export
        is labelled ``account="me"`` unless an account is given (its folder's name would
        otherwise be used, such as ``Downloads``).

    Returns
    -------
    Loaded or None
        As :func:`roi_helpers.load`; a short summary is printed, with what the cleaning
        report noticed (an Excel re-save, letters or dates that could not be read, rows
        set aside) in plain sentences. None when ``errors="print"`` and it failed.

    Raises
    ------
    RoiInputError
        With a message for a newcomer: no file given, a wrong name, the whole zip
        archive, another file of the archive, another platform's export, a web page or a
        PDF, an empty, truncated, column-less or re-saved file, an export with no rows.
    ValueError
        ``errors`` is not ``"raise"`` or ``"print"``.

    Examples
    --------
    >>> load_my_export("", errors="print")  # doctest: +ELLIPSIS
    ⚠ No file given yet. Put your LinkedIn Connections.csv ... between the quotes.
    """
    if errors not in ("raise", "print"):
        raise ValueError("errors must be 'raise' or 'print'")
    try:
        return _load_my_export(path, _wants(want), options)
    except RoiInputError as exc:
        if errors == "raise":
            raise
        print(f"⚠ {exc}")
        return None


def _load_my_export(path: str | Path, wants: tuple[str, ...], options: dict[str, Any]) -> Loaded:
    path = _clean_path(path)
    problem = _explain(path, wants)
    if problem is not None:
        raise RoiInputError(problem) from None
    if "audience" in wants and "account" not in options:
        options = {**options, "account": "me"}
    try:
        res = load(path, **options)
    except RoiInputError as exc:
        raise RoiInputError(
            f"{exc} Download the file again and use it as the platform gave it to you, "
            "without opening it in a spreadsheet first."
        ) from None
    except (OSError, ValueError, UnicodeError, KeyError, IndexError) as exc:
        raise RoiInputError(
            f"The kit could not read {path.name} ({type(exc).__name__}: {exc}). Download the "
            "file again and use it as the platform gave it to you; if that does not help, "
            "show this message to your trainer."
        ) from None
    if res.kind not in wants:
        raise RoiInputError(
            f"{path.name} holds {_KIND_WORDS.get(res.kind, res.kind)}; this step needs "
            f"{_need(wants)}: {_where(wants)}."
        )
    if len(res.data) == 0:
        raise RoiInputError(
            f"{path.name} has its column names but no rows. If you have connections or posts, "
            "the export was made before the platform had finished preparing it (LinkedIn can "
            "take up to a day): download it again later."
        )
    print(f"Loaded {len(res.data)} {_ROWS.get(res.kind, 'rows')} from {path.name}.")
    for line in _plain_notes(res):
        print(f"  note: {line}")
    return res


# -- a learner's own posts -----------------------------------------------------------------------
def my_engagement(
    posts: pd.DataFrame, by: str | None = "content_type", *, errors: str = "raise"
) -> pd.DataFrame | None:
    """The engagement rate of a learner's own posts, with whatever denominator they have.

    Impressions when the export has them, else reach, else followers (said in the
    ``formula`` column); grouped by ``by`` when the export fills that column, else
    overall. Calls :func:`roi_helpers.engagement.engagement_rate`; does not mutate
    ``posts``.

    Parameters
    ----------
    posts
        A posts table (``load_my_export(..., want="posts").data``).
    by
        The column to group by when it is filled (``content_type``); None: overall.
    errors
        ``"raise"`` (default) or ``"print"``: print the plain-words error and return None.

    Returns
    -------
    DataFrame or None
        As :func:`roi_helpers.engagement.engagement_rate`: ``rate`` (median over posts
        of (likes + comments + shares) / the denominator), ``low``, ``high`` (95%
        bootstrap interval), ``n_posts``, ``n_excluded``, ``formula``, ``preset``,
        ``unit``, ``interval``, and the group column when grouped.

    Raises
    ------
    RoiInputError
        The posts have none of impressions, reach or followers.

    Examples
    --------
    >>> posts = pd.DataFrame({"likes": [3, 1], "comments": 0, "shares": 0,
    ...                       "reach": [100, 50]}, dtype="Int64")
    >>> r = my_engagement(posts)
    >>> float(r["rate"].item()), r["formula"].item()
    (0.025, 'median over posts of (likes + comments + shares) / reach')
    """
    from . import engagement as E

    denominator = next(
        (c for c in ("impressions", "reach", "followers") if c in posts and posts[c].notna().any()),
        None,
    )
    if denominator is None:
        exc = RoiInputError(
            "these posts have no impressions, reach or follower counts: no rate can be computed",
            column="impressions",
            expected="a posts export with impressions (X and LinkedIn exports have them)",
        )
        if errors == "print":
            print(f"⚠ {exc}")
            return None
        raise exc
    group = by if by and by in posts and posts[by].notna().any() else None
    return E.engagement_rate(posts, denominator=denominator, by=group)


def job_function(text: str | None) -> str | None:
    """A learner's own job function, from a function's name or a job title; None if unknown.

    Newcomers write ``"marketing"``, ``"Marketer"`` or ``"Head of Growth"`` where the
    relevance functions want one of LinkedIn's job functions: a function's name is
    accepted in any case, anything else is read as a job title by
    :func:`roi_helpers.relevance.classify_titles`. What was understood is printed.

    Parameters
    ----------
    text
        What the learner wrote (empty or None: not given).

    Returns
    -------
    str or None
        The job function (``"Marketing"``), or None when not given or not understood
        (the analysis then guesses it from the network, and says so).

    Examples
    --------
    >>> job_function("marketing")
    'Marketing'
    >>> job_function("Senior Account Executive")
    Read 'Senior Account Executive' as the job function Sales.
    'Sales'
    """
    from . import relevance as R

    given = "" if text is None else str(text).strip()
    if not given:
        return None
    names = {f.lower(): f for f in R.FUNCTIONS[:-1]}
    if given.lower() in names:
        return names[given.lower()]
    read = str(R.classify_titles(pd.Series([given]))["function"].iloc[0])
    if read == "Unknown":
        print(
            f"⚠ {given!r} is not one of LinkedIn's job functions, and not a job title the kit "
            f"can read: your function is guessed from your network instead. The functions are: "
            f"{', '.join(R.FUNCTIONS[:-1])}."
        )
        return None
    print(f"Read {given!r} as the job function {read}.")
    return read


def reshare_summary(posts: pd.DataFrame) -> pd.DataFrame:
    """How many of each account's posts were reshared at all, from a posts export alone.

    A posts export gives each post's reshare count (X's reposts, LinkedIn's reposts,
    Facebook's shares) but not who reshared from whom: the trees of notebook 04 need
    reshare events. These counts still show the first thing a cascade analysis shows:
    most posts are never reshared. Does not mutate ``posts``.

    Parameters
    ----------
    posts
        A posts table with ``platform``, ``account`` and ``shares``.

    Returns
    -------
    DataFrame
        One row per platform and account: ``posts``; ``shares_known`` (posts whose count
        is known: unknown counts are left out, never read as 0); ``reshared`` (posts with
        at least one reshare); ``never_reshared_share`` (posts with none / shares_known);
        ``median_reshares`` and ``most_reshares`` (over posts with a known count).

    Raises
    ------
    RoiInputError
        No ``shares`` column.

    Examples
    --------
    >>> posts = pd.DataFrame({"platform": "x", "account": "me",
    ...     "shares": pd.array([0, 0, 3, None], dtype="Int64")})
    >>> r = reshare_summary(posts).iloc[0]
    >>> int(r["posts"]), int(r["shares_known"]), int(r["reshared"]), round(float(r["never_reshared_share"]), 3)
    (4, 3, 1, 0.667)
    """
    if "shares" not in posts:
        raise RoiInputError(
            "these posts have no reshare counts",
            column="shares",
            expected="a posts export with reposts or shares per post",
        )
    shares = posts["shares"].astype("Float64").astype("float64")
    frame = pd.DataFrame(
        {
            "platform": posts["platform"].astype("str") if "platform" in posts else "other",
            "account": posts["account"].astype("str") if "account" in posts else "",
            "shares": shares,
            "known": shares.notna(),
            "reshared": shares > 0,
        }
    )
    g = frame.groupby(["platform", "account"], dropna=False, sort=True)
    out = pd.DataFrame(
        {
            "posts": g.size(),
            "shares_known": g["known"].sum(),
            "reshared": g["reshared"].sum(),
            "median_reshares": g["shares"].median(),
            "most_reshares": g["shares"].max(),
        }
    ).reset_index()
    known = out["shares_known"].where(out["shares_known"] > 0)
    out["never_reshared_share"] = (known - out["reshared"]) / known
    cols = ["platform", "account", "posts", "shares_known", "reshared", "never_reshared_share"]
    return out[[*cols, "median_reshares", "most_reshares"]].astype(
        {"posts": "int64", "shares_known": "int64", "reshared": "int64"}
    )


# -- answer checks -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Exercise:
    """An exercise's check: ``expected(data_dir)`` computes the right answer with the package.

    Attributes
    ----------
    question : str
        The question as the notebook asks it.
    expected : callable
        ``expected(data_dir) -> answer``: a number, a word, or True/False (yes/no).
    hint : str
        Shown after a wrong answer: where to look, never the answer.
    tolerance : float
        For numbers: how far off an answer may be (absolute below 1, relative above).
    """

    question: str
    expected: Callable[[Path], Any]
    hint: str
    tolerance: float = 0.005


def _key(data_dir: Path) -> str:
    return str(Path(data_dir).resolve())


@functools.lru_cache(maxsize=4)
def _dataset(folder: str) -> Any:
    from .loading import load_dir

    return load_dir(folder)


@functools.lru_cache(maxsize=4)
def _network(folder: str) -> Any:
    from . import relevance as R

    return R.load_network(folder)


@functools.lru_cache(maxsize=8)
def _relationships(folder: str, owner: str) -> pd.DataFrame:
    """The sample network labelled as notebook 02 labels it (one owner, or the team)."""
    from . import relevance as R

    net = _network(folder)
    if owner:
        mine = net.audience[net.audience["account"] == owner].reset_index(drop=True)
        if mine.empty:
            raise RoiInputError(f"has no connections of {owner!r}", path=folder)
        return R.add_relationship(mine, net.accounts, SAMPLE_COMPANY, SAMPLE_OWNER_FUNCTION)
    team = Path(folder) / "team.csv"  # who the team is: each member's function and company
    if team.is_file():
        return R.add_relationship(net.audience, net.accounts, **R.owners(load(team).data))
    return R.add_relationship(net.audience, net.accounts, SAMPLE_COMPANY, infer_owner_function=True)


def _profiles(folder: Path) -> pd.DataFrame:
    profiles = _dataset(_key(folder)).profiles
    if profiles.empty:
        raise RoiInputError("holds no profiles table (peer_accounts.csv)", path=folder)
    return profiles


def _linkedin_posts(folder: Path) -> pd.DataFrame:
    posts = _dataset(_key(folder)).posts
    return posts[posts["platform"] == "linkedin"]


def _cascade_metrics(folder: Path) -> pd.DataFrame:
    from . import virality as V

    return V.cascade_metrics(V.build_cascades(_dataset(_key(folder)).events))


def _rho(folder: Path, engagement: str) -> float:
    from . import engagement as E

    return float(E.follower_fallacy(_profiles(folder), "followers", engagement)["rho"].item())


def _biggest_gets_most(folder: Path) -> bool:
    p = _profiles(folder)
    return bool(
        p.loc[p["followers"].idxmax(), "account"] == p.loc[p["avg_likes"].idxmax(), "account"]
    )


def _buyer_share(folder: Path, level: str = MIN_SENIORITY) -> float:
    from . import relevance as R

    rel = _relationships(_key(folder), SAMPLE_OWNER)
    return float(R.relevance_summary(rel, list(SELL_TO), level)["buyer_share"].iloc[0])


def _direction(before: float, after: float) -> str:
    if math.isclose(before, after, rel_tol=1e-12, abs_tol=1e-12):
        return "same"
    return "up" if after > before else "down"


def _marketer_top_function(folder: Path) -> str:
    from . import relevance as R

    matrix = R.function_matrix(_relationships(_key(folder), ""))
    row = matrix[matrix["owner"] == "Marketing"]
    return str(row.loc[row["share"].idxmax(), "function"])


def _best(table: pd.DataFrame, column: str) -> str:
    return str(table.loc[table["rate"].idxmax(), column])


def _best_content_type(folder: Path) -> str:
    from . import engagement as E

    return _best(E.engagement_rate(_linkedin_posts(folder), by="content_type"), "content_type")


def _best_platform(folder: Path) -> str:
    from . import engagement as E

    return _best(E.engagement_rate(_dataset(_key(folder)).posts, by="platform"), "platform")


def _clicks_effect(folder: Path) -> str:
    from . import engagement as E

    li = _linkedin_posts(folder)
    kit = float(E.engagement_rate(li, ci=None)["rate"].item())
    linkedin = float(E.engagement_rate(li, preset="linkedin", ci=None)["rate"].item())
    return _direction(kit, linkedin)


EXERCISES: dict[str, Exercise] = {
    "01_rho_likes": Exercise(
        "Across the 31 accounts, what is Spearman's rho between followers and average likes?",
        lambda d: _rho(d, "avg_likes"),
        "It is in the chart's title and in the finding above it: the number after 'rho ='.",
        tolerance=0.01,
    ),
    "01_biggest_gets_most": Exercise(
        "Does the account with the most followers also get the most likes per post? (yes or no)",
        _biggest_gets_most,
        "Find the dot furthest to the right, then the highest dot: are they the same account?",
    ),
    "01_rho_rate": Exercise(
        "Across the same accounts, what is rho between followers and engagement rate?",
        lambda d: _rho(d, "engagement_rate"),
        'Run the same check with "engagement_rate" in place of "avg_likes", then read rho.',
        tolerance=0.01,
    ),
    "02_buyer_share": Exercise(
        "What share of Ana's network are buyers?",
        _buyer_share,
        "It is the buyer_share column of Ana's summary (a share: 0.25 or 25 both work).",
        tolerance=0.006,
    ),
    "02_marketer_top_function": Exercise(
        "In the team's heatmap, which job function do most of the marketer's connections have?",
        _marketer_top_function,
        "Look along the Marketing row of the heatmap: which column is darkest?",
    ),
    "02_director_effect": Exercise(
        "Raise the target persona's seniority from Manager to Director: does Ana's buyer share "
        "go up, down or stay the same? (up, down or same)",
        lambda d: _direction(_buyer_share(d, MIN_SENIORITY), _buyer_share(d, "Director")),
        "Compare buyer_share in the two summaries (or in the explorer before and after).",
    ),
    "03_best_platform": Exercise(
        "Which platform engages better per impression, x or linkedin?",
        _best_platform,
        "Compare the rate column of the table by platform: the larger one.",
    ),
    "03_best_content_type": Exercise(
        "On the LinkedIn page, which content type has the highest median engagement rate?",
        _best_content_type,
        "Find the longest bar in the chart by content type.",
    ),
    "03_clicks_effect": Exercise(
        "Switch from the kit's formula to LinkedIn's own (which counts clicks): does the "
        "LinkedIn page's rate go up, down or stay the same? (up, down or same)",
        _clicks_effect,
        "Compare the 'kit default' row with the 'linkedin' row of the table of formulas.",
    ),
    "04_never_reshared": Exercise(
        "What share of the company's posts were never reshared?",
        lambda d: float((_cascade_metrics(d)["size"] == 1).mean()),
        "A post nobody reshared has a cascade of size 1 (its author alone): what share of "
        'the rows of metrics have size 1? Try (metrics["size"] == 1).mean().',
    ),
    "04_largest_depth": Exercise(
        "How many generations deep did the largest cascade go?",
        lambda d: int(_cascade_metrics(d)["depth"].iloc[0]),
        "The metrics table is sorted largest first: read the depth column of its first row.",
    ),
    "04_second_direct": Exercise(
        "In the second-largest cascade, how many people reshared the original post directly?",
        lambda d: int(_cascade_metrics(d)["direct_reshares"].iloc[1]),
        "Generation 1 is the people who reshared the original itself: read its row in the "
        "generations table (or direct_reshares in the second row of the metrics table).",
    ),
}

#: What each learner answered in this session: name -> answer (None when not answered).
_GIVEN: dict[str, Any] = {}

_YES = {"yes", "y", "true", "1", "oui", "ja", "si", "sí"}
_NO = {"no", "n", "false", "0", "non", "nein", "nee"}


class _Many(ValueError):
    """An answer holding several values where one was wanted."""


def _one(answer: Any) -> Any:
    """One plain value from what a learner typed: a cell of a table, a numpy number..."""
    if isinstance(answer, pd.DataFrame | pd.Series | pd.Index | np.ndarray):
        values = np.asarray(answer, dtype=object).ravel()
        if len(values) != 1:
            raise _Many(len(values))
        answer = values[0]
    if isinstance(answer, np.generic):
        answer = answer.item()
    return answer


def _number(answer: Any) -> float | None:
    if isinstance(answer, bool):
        return None
    if isinstance(answer, str):
        text = answer.strip().replace(" ", "")
        percent = text.endswith("%")
        text = text.rstrip("%")
        if "," in text and "." not in text:
            text = text.replace(",", ".")  # 0,23 as many European keyboards write it
        try:
            value = float(text)
        except ValueError:
            return None
        return value / 100 if percent else value
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def _close(answer: Any, expected: Any, tol: float) -> bool:
    if isinstance(expected, np.generic):
        expected = expected.item()
    if isinstance(expected, bool):
        if isinstance(answer, bool):
            return answer is expected
        word = str(answer).strip().lower()
        return (word in _YES) if expected else (word in _NO)
    if isinstance(expected, float | int):
        value = _number(answer)
        if value is None:
            return False
        if 1 < value <= 100 and 0 <= expected <= 1:  # a percentage typed as 23 for 0.23
            value /= 100
        return abs(value - float(expected)) <= tol * max(1.0, abs(float(expected)))
    if isinstance(expected, str):
        got, want = str(answer).strip().lower(), expected.strip().lower()
        return got == want or (len(got) >= 3 and want.startswith(got))
    if isinstance(expected, set | frozenset | list | tuple):
        got = (
            {str(a).strip().lower() for a in answer}
            if not isinstance(answer, str)
            else {answer.lower()}
        )
        return got == {str(e).strip().lower() for e in expected}
    return answer == expected


def _kind_hint(expected: Any, answer: Any) -> str:
    """What kind of answer was expected, when the answer is of another kind."""
    if isinstance(expected, bool):
        if str(answer).strip().lower() not in _YES | _NO:
            return "Answer yes or no. "
    elif isinstance(expected, float | int) and _number(answer) is None:
        return "The answer is a number. "
    return ""


def _record(name: str, answer: Any) -> None:
    value = None if answer is None or answer is ... else answer
    if not (value is None or isinstance(value, bool | int | float | str)):
        value = str(value)
    _GIVEN[name] = value


def check(name: str, answer: Any, data_dir: str | Path = "../../data/sample") -> bool:
    """Tell a learner whether their answer to exercise ``name`` is right; a hint if not.

    Parameters
    ----------
    name
        The exercise's name, as the notebook gives it (a key of :data:`EXERCISES`).
    answer
        The learner's answer: a number (a share as 0.23, 23 or "23%"), a word, yes or no,
        or a one-value table cell (``summary["buyer_share"]`` of a one-row table).
        ``...`` (the blank of an exercise cell) or None means not answered yet.
    data_dir
        The data the exercise is about (the sample data by default).

    Returns
    -------
    bool
        True when right. A line of feedback is printed either way; the answer is kept
        for :func:`answers`. Never raises for a learner's answer: a check that cannot be
        made (the data folder lacks what the exercise is about) says so and returns False.

    Raises
    ------
    KeyError
        No exercise called ``name`` (a mistake in the notebook, not the learner's).

    Examples
    --------
    >>> check("04_largest_depth", ..., "data/sample")  # doctest: +ELLIPSIS
    ✏️  Not answered yet. How many generations deep did the largest cascade go?
    False
    """
    if name not in EXERCISES:
        raise KeyError(f"no exercise called {name!r}; the exercises are {', '.join(EXERCISES)}")
    ex = EXERCISES[name]
    if answer is None or answer is ...:
        _record(name, None)
        print(f"✏️  Not answered yet. {ex.question}")
        return False
    try:
        value = _one(answer)
    except _Many as many:
        _record(name, None)
        print(
            f"❌ Your answer holds {many} values, and the question asks for one. Pick one, "
            f"for example with .iloc[0]. Hint: {ex.hint}"
        )
        return False
    _record(name, value)
    try:
        expected = ex.expected(Path(data_dir))
    except (RoiInputError, OSError, KeyError, IndexError, ValueError) as exc:
        print(
            f"⚠ This exercise is about the workshop's sample data, and it cannot be checked "
            f"on {data_dir} ({exc}). Set data_dir back to the sample data to check it."
        )
        return False
    if _close(value, expected, ex.tolerance):
        print(f"✅ Right! {ex.question}")
        return True
    print(f"❌ Not quite. {_kind_hint(expected, value)}Hint: {ex.hint}")
    return False


def answers(prefix: str = "") -> dict[str, Any]:
    """The answers given to :func:`check` in this session, for the exercises named ``prefix...``.

    Parameters
    ----------
    prefix
        Keep the exercises whose names start with it (``"02_"``: notebook 02's).

    Returns
    -------
    dict
        Exercise name -> the answer last checked (a number, word or True/False), or None
        for an exercise not answered (or not checked) yet. Every exercise of the prefix
        is listed. Fit for :func:`roi_helpers.results.record`.

    Examples
    --------
    >>> sorted(answers("04_"))
    ['04_largest_depth', '04_never_reshared', '04_second_direct']
    """
    return {name: _GIVEN.get(name) for name in EXERCISES if name.startswith(prefix)}


def answer_key(data_dir: str | Path = "data/sample", prefix: str = "") -> pd.DataFrame:
    """Every exercise with its answer, computed from the data: the trainer's key.

    Parameters
    ----------
    data_dir
        The sample data the workshop uses.
    prefix
        Keep the exercises whose names start with it.

    Returns
    -------
    DataFrame
        ``exercise`` (name), ``question``, ``answer`` (as computed by the package's
        functions from ``data_dir``; True/False stand for yes/no), ``hint``.

    Raises
    ------
    RoiInputError
        ``data_dir`` lacks the data an exercise is about.

    Examples
    --------
    >>> key = answer_key("data/sample", "04_")  # run from the kit's folder
    >>> key["exercise"].tolist()
    ['04_never_reshared', '04_largest_depth', '04_second_direct']
    """
    rows = [
        (name, ex.question, ex.expected(Path(data_dir)), ex.hint)
        for name, ex in EXERCISES.items()
        if name.startswith(prefix)
    ]
    return pd.DataFrame(rows, columns=["exercise", "question", "answer", "hint"])


# -- the command ---------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """``roi workshop --student OUT [--source notebooks/workshop]``, or ``--answers``."""
    parser = argparse.ArgumentParser(
        prog="roi workshop",
        description="Write student copies of the workshop notebooks (no solutions, no outputs), "
        "or print the answer key.",
    )
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--student", metavar="OUT", help="folder to write the student copies into")
    what.add_argument(
        "--answers",
        action="store_true",
        help="print every exercise with its answer, computed from the sample data",
    )
    parser.add_argument(
        "--source",
        default=None,
        help="folder of the full-solution notebooks (default: the project's notebooks/workshop)",
    )
    args = parser.parse_args(argv)
    source = Path(args.source) if args.source else _project_workshop()
    if args.answers:
        try:
            key = answer_key(source.resolve().parents[1] / "data" / "sample")
        except RoiInputError as exc:
            print(f"roi workshop: {exc}", file=sys.stderr)
            return 2
        for row in key.itertuples():
            print(f"{row.exercise:<26} {_shown(row.answer):<10} {row.question}")
        return 0
    try:
        written = student_copies(source, args.student)
    except RoiInputError as exc:
        print(f"roi workshop: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    return 0


def _shown(answer: Any) -> str:
    if isinstance(answer, bool):
        return "yes" if answer else "no"
    return f"{answer:.3f}" if isinstance(answer, float) else str(answer)


def _project_workshop() -> Path:
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        candidate = folder / "notebooks" / "workshop"
        if candidate.is_dir() and (folder / "roi_helpers").is_dir():
            return candidate
    raise SystemExit(
        "roi workshop: no notebooks/workshop folder found above the current folder; run it from the "
        "kit's folder or pass --source"
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
