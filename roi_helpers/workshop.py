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
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
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
    "broadcast_and_chain",
    "check",
    "describe_cascade",
    "director_effect",
    "follower_spread",
    "formula_table",
    "job_function",
    "load_my_export",
    "main",
    "my_engagement",
    "reshare_summary",
    "sell_to_functions",
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
        ``source`` is not a folder, ``out_dir`` is ``source``, or ``out_dir`` cannot be a
        folder (an existing file, a path through a file, a folder one may not write into).

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
    if out_dir.exists() and not out_dir.is_dir():
        raise RoiInputError(
            f"{out_dir} is a file, not a folder: the student copies need a folder",
            hint="Give the name of a new folder (such as notebooks/student) instead.",
        )
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file on the way (a/file/b), no permission, a read-only disk
        raise RoiInputError(
            f"{out_dir} cannot be created as a folder ({exc.strerror or exc})",
            hint="Give the name of a new folder you can write into (such as notebooks/student).",
        ) from None
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

#: What a table holds, in plain words.
_KIND_WORDS = {
    "audience": "a list of connections",
    "posts": "post analytics",
    "events": "reshares (who reshared whose post)",
    "followers": "follower counts per day",
    "profiles": "a table of accounts (followers and likes per account)",
    "page_daily": "page analytics per day",
    "accounts": "a list of companies from a CRM",
    "team": "a list of team members",
}
#: What each export format is, in plain words, by the source's NAME.
_PLAIN_SOURCES = {
    "linkedin_connections": "a LinkedIn Connections.csv (a list of connections)",
    "linkedin_posts": "a LinkedIn page's content export (post analytics)",
    "linkedin_page": "a LinkedIn page's daily analytics (page analytics per day, no posts)",
    "linkedin_followers": "a LinkedIn page's followers export (follower counts per day)",
    "x_account_analytics": "an X (Twitter) posts export (post analytics)",
    "x_tweet_activity": "an older X (Twitter) posts export (post analytics)",
    "x_account_overview": "an X (Twitter) account overview (follower counts per day, no posts)",
    "facebook_insights": "a Facebook Page posts export (post analytics)",
    "facebook_uci": "a research data set of Facebook posts (post analytics)",
    "instagram_profiles": "a table of Instagram accounts (followers and likes per account)",
    "crm": "a list of companies from a CRM (clients, prospects, partners)",
    "cascades_flat": "a research data set of reshares",
    "cascades_twitter16": "a research data set of reshares",
    "cascades_weibo": "a research data set of reshares",
}
#: What one row is, per table, for "Loaded 420 connections": (one, many).
_ROWS = {
    "audience": ("connection", "connections"),
    "posts": ("post", "posts"),
    "events": ("post or reshare", "posts and reshares"),
    "followers": ("day of follower counts", "days of follower counts"),
    "page_daily": ("day of page analytics", "days of page analytics"),
    "profiles": ("account", "accounts"),
    "accounts": ("company", "companies"),
    "team": ("team member", "team members"),
}


def _count(n: int, one: str, many: str | None = None) -> str:
    """``"1 connection"``, ``"1,234 connections"``: a count with its noun, singular or plural."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


#: What to look for, per table a notebook asks for.
_WHERE = {
    "audience": "your LinkedIn Connections.csv (LinkedIn: Settings > Data privacy > Get a "
    "copy of your data > Connections)",
    "posts": "a posts export of X (Analytics > Posts > Export data) or of a LinkedIn page "
    "(Page > Analytics > Content > Export)",
    "events": "a file of reshares saying who reshared from whom (such as the sample's events.csv)",
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
        what = _PLAIN_SOURCES.get(mod.NAME) or _KIND_WORDS.get(kind, "another kind of file")
        return (
            f"{path.name} is {what}. This step needs {_need(wants)}, from {_where(wants)}. Check "
            "that you picked the right file: this one may belong in another part of the workshop."
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


def _sentence(text: str) -> str:
    """A reason from the cleaning report as a sentence: capital first, a full stop last,
    without advice meant for programmers (``(pass tz=... to load())``)."""
    text = re.sub(r"\s*\((?:pass|see) [^()]*(?:\([^()]*\)[^()]*)*\)", "", text).strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _quoted(reason: str) -> str | None:
    found = re.search(r"(?:read as|account is) '([^']*)'", reason)
    return found.group(1) if found else None


def _note_time_zone(reason: str) -> str:
    tz = re.search(r"read as ([^\s(]+)", reason)
    zone = tz.group(1) if tz else "UTC"
    if zone == "UTC":
        return (
            "The export gives times without a time zone: they are read as UTC (London's winter "
            "time), so the hours of the day may be off by your own difference from UTC."
        )
    return f"The export gives times without a time zone: they are read as {zone} time."


def _note_no_time(reason: str) -> str:
    return (
        "The export gives each post's day but not its time: the hour-by-hour analyses leave "
        "these posts out; everything else uses them."
    )


def _note_account(reason: str) -> str:
    who = _quoted(reason)
    if who is None:
        return _sentence(reason)
    return f"The file does not say whose account it is: it is labelled {who!r}."


def _note_not_exported(reason: str) -> str:
    cols = re.search(r"no column for (.+?):", reason)
    if cols is None:
        return _sentence(reason)
    return (
        f"The export has no column for {cols.group(1)}: those numbers are unknown for every "
        "post (left empty, never counted as 0)."
    )


def _note_person_id(reason: str) -> str:
    count = re.match(r"\s*(\d[\d,]*)", reason)
    if count is None:
        return _sentence(reason)
    n = int(count.group(1).replace(",", ""))
    has, they = ("has", "it is") if n == 1 else ("have", "they are")
    return (
        f"{_count(n, 'connection')} {has} no profile link (LinkedIn leaves it out for some "
        f"people): {they} told apart by name and connection date."
    )


#: Whole-file notes said again in plain words: rule -> reason -> sentence (None: not said).
_PLAIN_FILE: dict[str, Callable[[str], str | None]] = {
    "person id derived": _note_person_id,
    "time zone assumed": _note_time_zone,
    "date without time": _note_no_time,
    "account assumed": _note_account,
    "account from file name": _note_account,
    "column not exported": _note_not_exported,
    "sheet": lambda reason: None,  # which sheet of the workbook was read: nothing to act on
}


def _rows_dates(part: pd.DataFrame) -> str:
    example = part["original"].dropna()
    n = part["row"].nunique()
    such = f" (such as {str(example.iloc[0])!r})" if len(example) else ""
    return (
        f"{_count(n, 'date')} could not be read{such} and {'counts' if n == 1 else 'count'} "
        "as unknown: if you opened the file in a spreadsheet, download the original again. "
        "Only the analyses over time need them."
    )


def _rows_letters(part: pd.DataFrame) -> str:
    n = part["row"].nunique()
    return (
        f"{_count(n, 'row')} had letters that could not be read (shown as �): the file was "
        "saved in an older encoding, usually by a spreadsheet. Everything else is read; to "
        "keep the accents, download the original again."
    )


def _cells(part: pd.DataFrame) -> int:
    """How many values (row and column) the entries are about, each counted once."""
    return len(part.drop_duplicates(["file", "row", "column"]))


def _rows_spaces(part: pd.DataFrame) -> str:
    n = _cells(part)
    return f"{_count(n, 'value')} had spaces before or after {'it' if n == 1 else 'them'}: removed."


def _rows_numbers(part: pd.DataFrame) -> str:
    n = _cells(part)
    example = part["original"].dropna()
    such = f" (such as {str(example.iloc[0])!r})" if len(example) else ""
    return f"{_count(n, 'number')} could not be read{such}: unknown, never counted as 0."


#: Row-level rules said again in plain words: rule -> that rule's entries -> sentence.
_PLAIN_ROWS: dict[str, Callable[[pd.DataFrame], str]] = {
    "invalid UTF-8": _rows_letters,
    "unreadable date": _rows_dates,
    "spaces trimmed": _rows_spaces,
    "unreadable number": _rows_numbers,
}

#: Why a row was left out, in plain words, per rule (others are said by their rule's name).
_LEFT_OUT = {
    "wrong number of fields": "more or fewer values than the header has columns (often a "
    "comma inside a name that lost its quotes)",
    "missing id": "nothing to tell the row apart (no name, link or id)",
}


def _plain_notes(res: Loaded) -> list[str]:
    """What the cleaning report noticed, in sentences for a newcomer."""
    notes = res.report.to_frame()
    whole = notes[notes["row"].isna()].drop_duplicates(["rule", "reason"])
    lines = []
    for rule, reason in zip(whole["rule"], whole["reason"].astype("str"), strict=True):
        said = _PLAIN_FILE[rule](reason) if rule in _PLAIN_FILE else _sentence(reason)
        if said:
            lines.append(said)
    rows = notes[notes["row"].notna()]
    removed = rows[rows["action"].isin(["set aside", "deduplicated"])]
    for rule, part in removed.groupby("rule", sort=True):
        n = part["row"].nunique()
        why = _LEFT_OUT.get(str(rule), str(rule))
        lines.append(
            f"{_count(n, 'row')} {'was' if n == 1 else 'were'} left out "
            f"({format_rows(part['row'])}): {why}."
        )
    kept = rows[~rows.index.isin(removed.index)]
    for rule, describe in _PLAIN_ROWS.items():
        part = kept[kept["rule"] == rule]
        if len(part):
            lines.append(describe(part))
    rest = kept[~kept["rule"].isin(list(_PLAIN_ROWS))]
    if len(rest):
        rest = rest.drop_duplicates(["file", "row", "column", "rule"])
        counts = rest["rule"].astype("str").value_counts(sort=True)
        what = ", ".join(f"{rule} ({n:,})" for rule, n in counts.items())
        lines.append(f"{_count(len(rest), 'other value')} tidied up or flagged: {what}.")
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
            f"{_need(wants)}, from {_where(wants)}."
        )
    if len(res.data) == 0:
        raise RoiInputError(
            f"{path.name} has its column names but no rows. If you have connections or posts, "
            "the export was made before the platform had finished preparing it (LinkedIn can "
            "take up to a day): download it again later."
        )
    print(
        f"Loaded {_count(len(res.data), *_ROWS.get(res.kind, ('row', 'rows')))} from {path.name}."
    )
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


def _function_names() -> tuple[str, ...]:
    from . import relevance as R

    return tuple(R.FUNCTIONS[:-1])  # the last one is "Unknown"


def _read_function(given: str) -> tuple[str | None, bool]:
    """``(function, read_from_a_title)`` for what a learner wrote; ``(None, True)`` if unknown."""
    from . import relevance as R

    names = {f.lower(): f for f in _function_names()}
    if given.lower() in names:
        return names[given.lower()], False
    read = str(R.classify_titles(pd.Series([given]))["function"].iloc[0])
    return (None if read == "Unknown" else read), True


def _closest_functions(given: str, most: int = 3) -> list[str]:
    """LinkedIn's job functions spelled most like ``given`` (a typo's likely meaning)."""
    from rapidfuzz import fuzz, process

    names = _function_names()
    found = process.extract(
        given.lower(), [n.lower() for n in names], scorer=fuzz.ratio, limit=most, score_cutoff=60
    )
    best = found[0][1] if found else 0.0
    return [names[index] for _, score, index in found if score >= best - 10]  # near the best


def _did_you_mean(given: str) -> str:
    close = _closest_functions(given)
    return f" (did you mean {' or '.join(close)}?)" if close else ""


def job_function(text: str | None) -> str | None:
    """A learner's own job function, from a function's name or a job title; None if unknown.

    Newcomers write ``"marketing"``, ``"Marketer"`` or ``"Head of Growth"`` where the
    relevance functions want one of LinkedIn's job functions: a function's name is
    accepted in any case, anything else is read as a job title by
    :func:`roi_helpers.relevance.classify_titles`. What was understood is printed; a
    typo is answered with the closest functions.

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
    given = "" if text is None else str(text).strip()
    if not given:
        return None
    read, from_title = _read_function(given)
    if read is None:
        print(
            f"⚠ {given!r}{_did_you_mean(given)} is not one of LinkedIn's job functions, and not "
            "a job title the kit can read: your function is guessed from your network instead. "
            f"The functions are: {', '.join(_function_names())}."
        )
        return None
    if from_title:
        print(f"Read {given!r} as the job function {read}.")
    return read


def sell_to_functions(values: str | Sequence[str], *, errors: str = "raise") -> list[str] | None:
    """The job functions a learner sells to, checked: LinkedIn's names, whatever was typed.

    Each entry is a job function's name in any case (``"finance"``) or a job title read
    as its function (``"CFO"`` is Finance; what was understood is printed). A typo is
    not dropped: the message names it and the closest functions, so that the learner's
    buyers are never counted from a shorter list than the one they meant.

    Parameters
    ----------
    values
        What the learner wrote: a list (``["Finance", "Accounting"]``) or one name.
    errors
        ``"raise"`` (default) or ``"print"``: print the message after a ⚠ and return None.

    Returns
    -------
    list of str or None
        The job functions, each once, in the order given; None when ``errors="print"``
        and an entry is unknown or the list is empty. ``values`` is not modified.

    Raises
    ------
    RoiInputError
        An entry is neither a job function nor a job title the kit can read (the message
        names it and the closest functions), or nothing was given.
    ValueError
        ``errors`` is not ``"raise"`` or ``"print"``.

    Examples
    --------
    >>> sell_to_functions(["finance", "Purchasing"])
    ['Finance', 'Purchasing']
    >>> sell_to_functions(["Finance", "Acounting"], errors="print")
    ⚠ 'Acounting' (did you mean Accounting?) is not one of LinkedIn's job functions, nor a job title the kit can read. Correct it in the list of functions you sell to and run the cell again: until then your buyers cannot be counted.
    """
    if errors not in ("raise", "print"):
        raise ValueError("errors must be 'raise' or 'print'")
    items = [values] if isinstance(values, str) else list(values or [])
    given = [str(v).strip() for v in items if v is not None and str(v).strip()]
    out: list[str] = []
    unknown: list[str] = []
    read_as: list[tuple[str, str]] = []
    for text in given:  # a few words a learner typed, not data
        function, from_title = _read_function(text)
        if function is None:
            unknown.append(text)
            continue
        if from_title:
            read_as.append((text, function))
        if function not in out:
            out.append(function)
    problem = None
    if not given:
        problem = (
            "The list of functions you sell to is empty: name at least one of LinkedIn's job "
            'functions, such as ["Finance", "Purchasing"].'
        )
    elif unknown:
        named = [f"{u!r}{_did_you_mean(u)}" for u in unknown]
        listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
        problem = (
            f"{listed} {'is' if len(unknown) == 1 else 'are'} not one of LinkedIn's job "
            "functions, nor a job title the kit can read. Correct "
            f"{'it' if len(unknown) == 1 else 'them'} in the list of functions you sell to "
            "and run the cell again: until then your buyers cannot be counted."
        )
        if not all(_closest_functions(u) for u in unknown):
            problem += f" The functions are: {', '.join(_function_names())}."
    if problem is not None:
        if errors == "print":
            print(f"⚠ {problem}")
            return None
        raise RoiInputError(problem)
    for text, function in read_as:
        print(f"Read {text!r} as the job function {function}.")
    return out


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


# -- sentences computed from the data shown -----------------------------------------------------
def _pct(share: float) -> str:
    return f"{share:.0%}"


def _small(n: int) -> str:
    """Numbers up to ten in words, as prose writes them."""
    words = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    return words[n] if 0 <= n < len(words) else f"{n:,}"


def _ordinal(rank: int) -> str:
    """0 -> ``"largest"``, 1 -> ``"second-largest"``..."""
    words = ["", "second-", "third-", "fourth-", "fifth-", "sixth-", "seventh-", "eighth-"]
    return f"{words[rank] if rank < len(words) else f'{rank + 1}th-'}largest"


def _and(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def follower_spread(table: pd.DataFrame) -> str:
    """How far apart the follower counts in a table are, and whether likes follow them.

    For the table of accounts that part 1 shows: the sentence under it is computed from
    the rows shown, so it cannot claim a spread the table does not have.

    Parameters
    ----------
    table
        The accounts shown: ``account``, ``followers``, ``avg_likes`` (at least two rows
        with followers). Not mutated.

    Returns
    -------
    str
        One or two sentences (Markdown): the largest and smallest follower counts and
        their ratio, then the most liked account's place in the ranking by followers.

    Raises
    ------
    RoiInputError
        A column is missing, or fewer than two accounts have a follower count above 0.

    Examples
    --------
    >>> t = pd.DataFrame({"account": ["big", "mid", "small"], "followers": [9000, 3000, 1000],
    ...                   "avg_likes": [20.0, 35.5, 12.0]})
    >>> print(follower_spread(t))
    Follower counts here run from 9,000 down to 1,000: 9.0 times apart. Likes per post do not follow them: the most liked account, mid (35.5 likes a post), is number 2 of 3 by followers, and the most followed, big, gets 20.0.
    """
    missing = [c for c in ("account", "followers", "avg_likes") if c not in table]
    if missing:
        raise RoiInputError(
            "the table of accounts lacks a column",
            column=missing[0],
            expected="account, followers and avg_likes",
        )
    t = table[["account", "followers", "avg_likes"]].astype({"followers": "Float64"})
    t = t[t["followers"].gt(0).fillna(False)].sort_values("followers", ascending=False)
    if len(t) < 2:
        raise RoiInputError(
            "has fewer than two accounts with followers: no spread to describe",
            column="followers",
        )
    most, least = float(t["followers"].iloc[0]), float(t["followers"].iloc[-1])
    text = (
        f"Follower counts here run from {most:,.0f} down to {least:,.0f}: "
        f"{most / least:,.1f} times apart."
    )
    likes = t["avg_likes"].astype("Float64")
    if likes.notna().any():
        rank = int(np.flatnonzero(likes.fillna(-np.inf).to_numpy() == likes.max())[0])
        top = t.iloc[rank]
        text += " Likes per post do not follow them" if rank else " Here likes follow"
        place = (
            f"has the fewest followers of these {len(t)}"
            if rank == len(t) - 1 and rank
            else f"is number {rank + 1} of {len(t)} by followers"
        )
        text += (
            f": the most liked account, {top['account']} ({float(top['avg_likes']):,.1f} likes "
            f"a post), {place}"
        )
        if rank:
            first = t.iloc[0]
            text += f", and the most followed, {first['account']}, gets {float(first['avg_likes']):,.1f}"
        text += "."
    return text


def _move(before: int, after: int) -> str:
    if after == before:
        return f"stay at {before:,}"
    return f"{'fall' if after < before else 'rise'} from {before:,} to {after:,}"


def director_effect(before: pd.DataFrame, after: pd.DataFrame) -> str:
    """What a stricter seniority bar changed in one network's buyers, in words.

    Parameters
    ----------
    before, after
        One-row outputs of :func:`roi_helpers.relevance.relevance_summary` for the same
        network at the lower and at the higher ``min_seniority``. Not mutated.

    Returns
    -------
    str
        Sentences (Markdown) with the numbers the two summaries show: target personas
        and buyers before and after, the buyer share, and how many of the people who
        stopped being target personas still count as buyers because they work at a
        client or prospect (buyers whatever their seniority).

    Raises
    ------
    RoiInputError
        A summary lacks ``target_personas``, ``buyers`` or ``buyer_share``.

    Examples
    --------
    >>> b = pd.DataFrame({"target_personas": [19], "buyers": [72], "buyer_share": [0.1714]})
    >>> a = pd.DataFrame({"target_personas": [8], "buyers": [71], "buyer_share": [0.1690]})
    >>> print(director_effect(b, a))
    Target personas fall from 19 to 8, but buyers only fall from 72 to 71 (17% of the network either way). Of the 11 people who are no longer target personas, 10 work at clients or prospects, who count as buyers whatever their seniority; 1 was a buyer only as a target persona.
    """
    for frame in (before, after):
        for col in ("target_personas", "buyers", "buyer_share"):
            if col not in frame:
                raise RoiInputError(
                    "is not an output of relevance_summary", column=col, expected="its columns"
                )
    p0, p1 = int(before["target_personas"].iloc[0]), int(after["target_personas"].iloc[0])
    b0, b1 = int(before["buyers"].iloc[0]), int(after["buyers"].iloc[0])
    s0, s1 = float(before["buyer_share"].iloc[0]), float(after["buyer_share"].iloc[0])
    shares = (
        f"{_pct(s0)} of the network either way"
        if _pct(s0) == _pct(s1)
        else f"from {_pct(s0)} to {_pct(s1)} of the network"
    )
    smaller = abs(b1 - b0) < abs(p1 - p0)
    buyers = f"but buyers only {_move(b0, b1)}" if smaller else f"and buyers {_move(b0, b1)}"
    text = f"Target personas {_move(p0, p1)}, {buyers} ({shares})."
    dropped, lost = p0 - p1, b0 - b1
    if dropped > 0 and lost >= 0:
        stay = dropped - lost
        who = _count(dropped, "person", "people")
        text += (
            f" Of the {who} who {'is' if dropped == 1 else 'are'} no longer "
            f"{'a target persona' if dropped == 1 else 'target personas'}, {stay:,} "
            f"{'works' if stay == 1 else 'work'} at clients or prospects, who count as buyers "
            f"whatever their seniority; {lost:,} {'was' if lost == 1 else 'were'} a buyer only "
            "as a target persona."
        )
    return text


def _generations(cascades: Any, post_id: str) -> pd.DataFrame:
    from . import virality as V

    gens = V.cascade_generations(V.select_cascades(cascades, post_ids=post_id))
    return gens.sort_values("generation")[["generation", "people"]].astype("int64")


def describe_cascade(cascades: Any, post_id: str) -> str:
    """How one post's cascade grew, generation by generation, in words.

    Parameters
    ----------
    cascades
        From :func:`roi_helpers.virality.build_cascades`; not mutated.
    post_id
        The post whose cascade to describe.

    Returns
    -------
    str
        A sentence (Markdown) from :func:`roi_helpers.virality.cascade_generations`: how
        many people, how many reshared the original directly (and their share of all
        reshares), how deep it went, and whether each generation was smaller than the one
        before (a first ring that faded) or some grew (people passing it on to more people).

    Raises
    ------
    RoiInputError
        No cascade for ``post_id``.

    Examples
    --------
    >>> from roi_helpers import virality as V
    >>> ev = pd.DataFrame({"post_id": "p", "platform": "x",
    ...     "action": ["post", "share", "share", "share"], "user_id": ["a", "b", "c", "d"],
    ...     "parent_user_id": [None, None, "b", "b"],
    ...     "occurred_at": pd.date_range("2024-01-01", periods=4, freq="h", tz="UTC")})
    >>> print(describe_cascade(V.build_cascades(ev), "p"))
    4 people in all: 1 reshared the original directly (33% of the reshares), and it went 2 generations deep. Generation 2 was larger than the one before it: there, each person of the generation before passed the post on to more than one new person, on average.
    """
    gens = _generations(cascades, post_id)
    people = dict(zip(gens["generation"], gens["people"], strict=True))
    size = int(gens["people"].sum())
    if size <= 1:
        return "Nobody reshared this post: its cascade is its author alone."
    direct = people.get(1, 0)
    depth = int(gens.loc[gens["people"] > 0, "generation"].max())
    text = (
        f"{size:,} people in all: {direct:,} reshared the original directly "
        f"({_pct(direct / (size - 1))} of the reshares), and it went "
        f"{_count(depth, 'generation')} deep."
    )
    grew = [g for g in range(2, depth + 1) if people.get(g, 0) > people.get(g - 1, 0)]
    if depth == 1:
        text += " Nobody reshared a reshare: a pure broadcast."
    elif not grew:
        text += (
            " Each generation was smaller than the one before it: a first ring that faded as "
            "it was passed on."
        )
    else:
        which = _and([str(g) for g in grew])
        text += (
            f" Generation{'s' if len(grew) > 1 else ''} {which} "
            f"{'were' if len(grew) > 1 else 'was'} larger than the one before "
            f"{'them' if len(grew) > 1 else 'it'}: there, each person of the generation "
            "before passed the post on to more than one new person, on average."
        )
    return text


def broadcast_and_chain(metrics: pd.DataFrame, top: int = 5) -> str:
    """Which of the largest cascades is the broadcast and which the chain, by their numbers.

    A broadcast is everybody resharing the original (structural virality close to 2); a
    chain passes the post from person to person (higher). The sentences name the
    cascades by rank and quote the numbers the metrics table shows, never a shape the
    numbers do not support.

    Parameters
    ----------
    metrics
        From :func:`roi_helpers.virality.cascade_metrics` (``size``, ``depth``,
        ``direct_reshares``, ``structural_virality``). Not mutated.
    top
        How many of the largest cascades to compare.

    Returns
    -------
    str
        Sentences (Markdown): the cascade closest to a broadcast and the most chain-like
        among the ``top`` largest, and how the two largest compare.

    Raises
    ------
    RoiInputError
        A column is missing, or no cascade has more than one person.

    Examples
    --------
    >>> m = pd.DataFrame({"size": [40, 30, 20], "depth": [6, 4, 1],
    ...     "direct_reshares": [5, 20, 19], "structural_virality": [4.1, 3.0, 1.9]})
    >>> print(broadcast_and_chain(m, top=3))
    Among the three largest cascades, the closest to a broadcast is the third-largest: 19 of its 19 reshares came straight from the original (structural virality 1.90). The most chain-like is the largest (4.10, 6 generations deep). The two largest score 4.10 and 3.00, from first rings of 5 and 20 people.
    """
    need = ["size", "depth", "direct_reshares", "structural_virality"]
    missing = [c for c in need if c not in metrics]
    if missing:
        raise RoiInputError("is not an output of cascade_metrics", column=missing[0])
    m = metrics[need].sort_values("size", ascending=False, kind="stable").reset_index(drop=True)
    m = m[m["size"] > 1].head(top)
    if m.empty:
        raise RoiInputError("holds no cascade with a reshare", column="size")
    sv = m["structural_virality"].astype("float64")
    b, c = int(sv.idxmin()), int(sv.idxmax())
    rb, rc = m.iloc[b], m.iloc[c]
    text = (
        f"Among the {_small(len(m))} largest cascades, the closest to a broadcast is the "
        f"{_ordinal(b)}: "
        f"{int(rb['direct_reshares']):,} of its {int(rb['size']) - 1:,} reshares came straight "
        f"from the original (structural virality {sv[b]:.2f})."
    )
    if c != b:
        text += (
            f" The most chain-like is the {_ordinal(c)} ({sv[c]:.2f}, "
            f"{_count(int(rc['depth']), 'generation')} deep)."
        )
    if len(m) > 1:
        d0, d1 = int(m["direct_reshares"].iloc[0]), int(m["direct_reshares"].iloc[1])
        text += f" The two largest score {sv[0]:.2f} and {sv[1]:.2f}"
        if abs(sv[0] - sv[1]) < 0.25 and max(d0, d1) >= 2 * max(1, min(d0, d1)):
            text += (
                f", about the same, yet {d0:,} and {d1:,} people reshared their originals "
                "directly: one number averages over the whole tree, the generations show how "
                "each grew."
            )
        else:
            text += f", from first rings of {d0:,} and {d1:,} people."
    return text


def formula_table(presets: pd.DataFrame) -> Any:
    """The table of formulas (:func:`roi_helpers.engagement.compare_presets`) to read.

    Parameters
    ----------
    presets
        The output of ``compare_presets``: ``preset``, ``rate``, ``unit``, ``n_posts``,
        ``formula`` and ``note``. Not mutated.

    Returns
    -------
    Styler
        Through :func:`roi_helpers.tables.show` (no index, every row): ``preset``;
        ``rate`` as the formula's unit says (``3.0%`` for a fraction, ``38.9 per 1,000
        impressions``), empty where it cannot be computed; ``posts`` rated; the
        ``formula`` in full and the ``note`` (why there is no rate), both wrapped.

    Raises
    ------
    RoiInputError
        A column of ``compare_presets`` is missing.

    Examples
    --------
    >>> t = pd.DataFrame({"preset": ["custom", "emplifi"], "rate": [0.0304, 38.949],
    ...     "unit": ["fraction", "per 1,000 impressions"], "n_posts": [119, 119],
    ...     "formula": ["median over posts of (likes + comments + shares) / impressions",
    ...                 "sum of (likes + comments + shares) / sum of impressions x 1,000"],
    ...     "note": [None, None]})
    >>> html = formula_table(t).to_html()
    >>> "3.0%" in html and "38.9 per 1,000 impressions" in html and "/ impressions" in html
    True
    """
    from .tables import show

    need = ["preset", "rate", "unit", "n_posts", "formula"]
    missing = [c for c in need if c not in presets]
    if missing:
        raise RoiInputError("is not an output of compare_presets", column=missing[0])
    rate = presets["rate"].astype("Float64")
    unit = presets["unit"].astype("str")
    shown = pd.Series(
        np.where(unit == "fraction", rate.map(lambda v: "" if pd.isna(v) else f"{v:.1%}"), ""),
        index=presets.index,
        dtype="str",
    )
    other = (unit != "fraction") & rate.notna()
    shown[other] = [f"{v:,.1f} {u}" for v, u in zip(rate[other], unit[other], strict=True)]
    frame = pd.DataFrame(
        {
            "preset": presets["preset"].astype("str"),
            "rate": shown,
            "posts": presets["n_posts"].astype("Int64"),
            "formula": presets["formula"].astype("str"),
            "note": presets["note"].astype("str").fillna("") if "note" in presets else "",
        }
    )
    wrap = {"white-space": "normal", "min-width": "16em", "max-width": "30em"}
    return show(frame, max_rows=None).set_properties(subset=["formula", "note"], **wrap)


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
    share : bool
        The answer is a share: ``0.23``, ``23`` and ``"23%"`` all mean 23%. Elsewhere
        (a correlation, a count) a percentage is a wrong answer.
    decimals : int
        For numbers, the precision the notebook shows, in decimals of the answer itself
        (2 for ``0.31`` or for ``17%``, which is 0.17). An answer with at least that many
        decimals is right when it is the expected value rounded or cut to the decimals
        typed (``0.62`` and ``0.63`` for 0.6259); fewer decimals are too coarse.
    tolerance : float
        For numbers given to more decimals than typed by hand (a computed answer): how
        far off they may be, relative to the expected value (at least 1).
    """

    question: str
    expected: Callable[[Path], Any]
    hint: str
    share: bool = False
    decimals: int = 2
    tolerance: float = 1e-6


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


def _ana_summary(folder: Path, level: str = MIN_SENIORITY) -> pd.Series:
    from . import relevance as R

    rel = _relationships(_key(folder), SAMPLE_OWNER)
    return R.relevance_summary(rel, list(SELL_TO), level).iloc[0]


def _buyer_share(folder: Path, level: str = MIN_SENIORITY) -> float:
    return float(_ana_summary(folder, level)["buyer_share"])


def _buyers(folder: Path, level: str) -> int:
    return int(_ana_summary(folder, level)["buyers"])


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
    ),
    "02_buyer_share": Exercise(
        "What share of Ana's network are buyers?",
        _buyer_share,
        "It is the buyer_share column of Ana's summary (a share: 0.25, 25 or 25% all work).",
        share=True,
    ),
    "02_marketer_top_function": Exercise(
        "In the team's heatmap, which job function do most of the marketer's connections have?",
        _marketer_top_function,
        "Look along the Marketing row of the heatmap: which column is darkest?",
    ),
    "02_director_effect": Exercise(
        "Raise the target persona's seniority from Manager to Director: how many buyers does "
        "Ana have now?",
        lambda d: _buyers(d, "Director"),
        "Read the buyers column of the summary at Director level (or, in the explorer, the "
        "number in brackets after 'are buyers'), not the share.",
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
        "Compare the rate of the 'custom' row (the kit's default) with the 'linkedin' row of "
        "the table of formulas.",
    ),
    "04_never_reshared": Exercise(
        "What share of the company's posts were never reshared?",
        lambda d: float((_cascade_metrics(d)["size"] == 1).mean()),
        "A post nobody reshared has a cascade of size 1 (its author alone): what share of "
        'the rows of metrics have size 1? Try (metrics["size"] == 1).mean().',
        share=True,
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


@dataclass(frozen=True)
class _Typed:
    """A number as a learner typed it: its value, its decimals, and whether it said ``%``."""

    value: float
    decimals: int
    percent: bool


def _decimals(text: str) -> int:
    try:
        exponent = Decimal(text).as_tuple().exponent
    except InvalidOperation:
        return 0
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _typed(answer: Any) -> _Typed | None:
    """The number in a learner's answer (``0.23``, ``"23%"``, ``"0,23"``, ``17``), or None."""
    if isinstance(answer, bool):
        return None
    if isinstance(answer, str):
        text = answer.strip().replace(" ", "").replace("\u202f", "")
        percent = text.endswith("%")
        text = text.rstrip("%")
        if "," in text and "." not in text:
            text = text.replace(",", ".")  # 0,23 as many European keyboards write it
        try:
            value = float(text)
        except ValueError:
            return None
        if math.isnan(value) or math.isinf(value):
            return None
        return _Typed(value, _decimals(text), percent)
    if isinstance(answer, Decimal):
        return _Typed(float(answer), _decimals(str(answer)), False)
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return None
    if math.isnan(value) or math.isinf(value):
        return None
    decimals = 0 if isinstance(answer, int) else _decimals(repr(value))
    return _Typed(value, decimals, False)


def _number(answer: Any) -> float | None:
    typed = _typed(answer)
    return None if typed is None else typed.value


def _as_share(typed: _Typed) -> _Typed:
    """A share typed as a percentage (23, "23%") as the fraction it means (0.23)."""
    if typed.percent or 1 < abs(typed.value) <= 100:
        return _Typed(typed.value / 100, typed.decimals + 2, True)
    return typed


def _cut(value: float, decimals: int, rounding: str) -> float:
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=rounding))


def _matches(value: float, expected: float, decimals: int) -> bool:
    """``value`` is ``expected`` rounded, or cut, to ``decimals`` decimals."""
    unit = 10.0**-decimals
    return any(
        math.isclose(value, _cut(expected, decimals, how), rel_tol=0, abs_tol=unit * 1e-6)
        for how in (ROUND_HALF_UP, ROUND_DOWN)
    )


def _number_verdict(answer: Any, expected: float, ex: Exercise) -> str:
    """``"right"``, ``"wrong"``, ``"percent"`` (a percentage where none is meant) or
    ``"coarse"`` (right, but with fewer decimals than the notebook shows)."""
    typed = _typed(answer)
    if typed is None:
        return "wrong"
    if ex.share:
        typed = _as_share(typed)
    elif typed.percent or abs(expected) <= 1 < abs(typed.value) <= 100:
        return "percent"  # 31 or "31%" for a correlation of 0.31
    value = typed.value
    if abs(value - expected) <= ex.tolerance * max(1.0, abs(expected)):
        return "right"
    if isinstance(expected, int):
        return "wrong"  # a count: no rounding to accept
    if _matches(value, expected, typed.decimals):
        return "right" if typed.decimals >= ex.decimals else "coarse"
    return "wrong"


#: Words learners use for the same answer: the answer -> what else means it.
_SYNONYMS = {
    "up": {"higher", "increase", "increases", "increased", "rise", "rises", "goes up", "more"},
    "down": {"lower", "decrease", "decreases", "decreased", "fall", "falls", "goes down", "less"},
    "same": {"unchanged", "no change", "stays the same", "stay the same", "equal", "the same"},
    "x": {"twitter", "x twitter", "x/twitter", "tweets"},
    "linkedin": {"linked in"},
    "document": {"doc", "docs", "pdf", "pdfs", "carousel", "carousels", "document post"},
    "image": {"photo", "photos", "picture", "pictures", "image post"},
    "video": {"video post", "clip", "clips"},
    "text": {"text only", "text post", "plain text"},
}


def _word(text: Any) -> str:
    """A word as compared: lower case, no quotes, dots or extra spaces, no leading article."""
    word = re.sub(r"\s+", " ", str(text).strip().lower()).strip(" \"'.!`")
    return re.sub(r"^(?:a|an|the) ", "", word)


def _same_word(answer: Any, expected: str) -> bool:
    got, want = _word(answer), _word(expected)
    if not got:
        return False
    if got == want or got in _SYNONYMS.get(want, ()):
        return True
    if got.endswith("s") and (got[:-1] == want or got[:-1] in _SYNONYMS.get(want, ())):
        return True  # "documents", "videos"
    if len(got) >= 3 and want.startswith(got):
        return True  # "doc", "mark"
    if want in {f.lower() for f in _function_names()}:  # a job function: "marketers" works
        read, _ = _read_function(str(answer).strip())
        return read is not None and read.lower() == want
    return False


def _close(answer: Any, expected: Any, ex: Exercise) -> bool:
    if isinstance(expected, np.generic):
        expected = expected.item()
    if isinstance(expected, bool):
        if isinstance(answer, bool):
            return answer is expected
        word = _word(answer)
        return (word in _YES) if expected else (word in _NO)
    if isinstance(expected, float | int):
        return _number_verdict(answer, expected, ex) == "right"
    if isinstance(expected, str):
        return _same_word(answer, expected)
    return answer == expected


def _kind_hint(expected: Any, answer: Any, ex: Exercise) -> str:
    """What kind of answer was expected, when the answer is of another kind."""
    if isinstance(expected, np.generic):
        expected = expected.item()
    if isinstance(expected, bool):
        if _word(answer) not in _YES | _NO:
            return "Answer yes or no. "
    elif isinstance(expected, float | int):
        if _number(answer) is None:
            return "The answer is a number. "
        verdict = _number_verdict(answer, expected, ex)
        if verdict == "percent":
            return (
                "This answer is not a percentage: write the number as the notebook shows it "
                "(such as 0.42). "
            )
        if verdict == "coarse":
            shown = (
                "a whole percent, such as 42% or 0.42" if ex.share else f"{ex.decimals} decimals"
            )
            return f"Nearly: give it as precisely as the notebook shows it ({shown}). "
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
        The learner's answer: a number, a word, yes or no, or a one-value table cell
        (``summary["buyer_share"]`` of a one-row table). A share may be typed as 0.23, 23
        or "23%"; elsewhere (a correlation) a percentage is wrong, with a hint saying so.
        A number is right when it is the expected value rounded or cut to the decimals
        typed, given at least as precisely as the notebook shows it (``Exercise.decimals``);
        a word is right in any case, in the plural, shortened (``"doc"``) or as an obvious
        synonym (``"PDF"`` for ``document``, ``"higher"`` for ``up``).
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
    if _close(value, expected, ex):
        print(f"✅ Right! {ex.question}")
        return True
    print(f"❌ Not quite. {_kind_hint(expected, value, ex)}Hint: {ex.hint}")
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
    except OSError as exc:  # a copy that cannot be written (permissions, a full disk)
        print(
            f"roi workshop: cannot write the student copies into {args.student} "
            f"({exc.strerror or exc}). Choose a folder you can write into.",
            file=sys.stderr,
        )
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
