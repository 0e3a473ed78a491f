"""Training workshops: student copies, friendly loading of a learner's own export, answer checks.

Trainers run the kit for rooms of newcomers (marketers, sales people, not programmers).
Three things here make that work:

- :func:`student_copies` (``roi workshop --student OUT``) writes the workshop notebooks
  without the cells tagged ``solution`` and without outputs, tags kept;
- :func:`load_my_export` loads a learner's own file and, when it is the wrong one (the
  whole LinkedIn archive, ``Messages.csv``, an X export where a LinkedIn one was wanted,
  an Excel re-save), says what to do in plain words instead of a traceback;
- :func:`check` tells a learner whether an exercise's answer is right and, if not, gives
  a hint.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from .errors import RoiInputError
from .loading import Loaded, load, sniff
from .sources._common import first_lines, norm, parse_header, read_head

__all__ = [
    "EXERCISES",
    "Exercise",
    "check",
    "load_my_export",
    "main",
    "student_copies",
]

SOLUTION_TAG = "solution"


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
        The notebooks written. Other files in ``source`` (the facilitator guide, images)
        are copied as they are.
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
            nb = nbformat.read(path, as_version=4)
            nbformat.write(strip_notebook(nb), target)
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
}

_KIND_WORDS = {
    "audience": "a list of connections or followers",
    "posts": "post analytics",
    "events": "reshare cascades",
    "followers": "follower counts per day",
    "profiles": "account profiles",
    "page_daily": "page analytics per day",
    "accounts": "a CRM account list",
}


def _explain(path: Path, want: str) -> str | None:
    """A plain-words diagnosis of why ``path`` is not the export wanted, or None."""
    if not path.exists():
        near = sorted(p.name for p in path.parent.glob("*.csv")) if path.parent.is_dir() else []
        hint = f" Files here: {', '.join(near[:8])}." if near else ""
        return (
            f"There is no file at {path}. In JupyterLab, drag your file into the file panel on the "
            f"left, next to this notebook, and write its name exactly (capitals count).{hint}"
        )
    if path.is_dir():
        return f"{path} is a folder. Give the path of the file inside it (for LinkedIn: Connections.csv)."
    if zipfile.is_zipfile(path) and path.suffix.lower() == ".zip":
        names = zipfile.ZipFile(path).namelist()
        inside = next((n for n in names if n.endswith("Connections.csv")), None)
        where = f" It contains {inside}: unzip it and use that file." if inside else ""
        return f"{path.name} is the whole zip archive LinkedIn sent you, not one file.{where}"
    if path.stat().st_size == 0:
        return f"{path.name} is empty (0 bytes): the download did not finish. Download it again."
    if path.suffix.lower() in {".xlsx", ".xls", ".numbers"}:
        return (
            f"{path.name} was saved as a spreadsheet ({path.suffix}). Use the original .csv file "
            "LinkedIn sent you, or in Excel choose File > Save As > CSV UTF-8."
        )
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
    if mod is not None and want and getattr(mod, "KIND", None) not in (None, want):
        got = _KIND_WORDS.get(mod.KIND, mod.KIND)
        need = _KIND_WORDS.get(want, want)
        return (
            f"{path.name} is {mod.DESCRIPTION}: {got}. This step needs {need}. "
            "Check that you picked the right file (it may belong in another notebook)."
        )
    if mod is None:
        first = lines[0] if lines else ""
        return (
            f"The kit does not recognise {path.name} (its first line is {first[:120]!r}). "
            "If you opened and saved it in Excel or Numbers, download the original again and use it as it is."
        )
    return None


def load_my_export(path: str | Path, want: str = "audience", **options: Any) -> Loaded:
    """Load a learner's own export, or explain in plain words what to do instead.

    Parameters
    ----------
    path
        The learner's file (relative to the notebook's folder).
    want
        The canonical table the exercise needs (``"audience"`` for LinkedIn connections).
    **options
        Passed to :func:`roi_helpers.load` (``account=``, ``tz=``).

    Returns
    -------
    Loaded
        As :func:`roi_helpers.load`; a short summary is printed, with what the cleaning
        report noticed (an Excel re-save, rows without a company...).

    Raises
    ------
    RoiInputError
        With a message for a newcomer: the whole zip archive, another file of the archive,
        another platform's export, an empty or re-saved file.
    """
    path = Path(path)
    problem = _explain(path, want)
    if problem is not None:
        raise RoiInputError(problem) from None
    res = load(path, **options)
    if res.kind != want:
        raise RoiInputError(_explain(path, want) or f"{path.name} holds {res.kind}, not {want}")
    notes = res.report.to_frame()
    print(f"Loaded {len(res.data)} rows from {path.name} ({res.source}).")
    for reason in notes.loc[notes["row"].isna(), "reason"].drop_duplicates():
        print(f"  note: {reason}")
    changed = notes[notes["row"].notna()]
    if len(changed):
        print(f"  {len(changed)} values were cleaned or flagged: see .report for each one.")
    return res


# -- answer checks -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Exercise:
    """An exercise's check: ``expected(data_dir)`` computes the right answer with the package."""

    question: str
    expected: Callable[[Path], Any]
    hint: str
    tolerance: float = 0.005


#: Exercises by name; the workshop notebooks call ``check(name, answer)``.
EXERCISES: dict[str, Exercise] = {}


def _close(answer: Any, expected: Any, tol: float) -> bool:
    if isinstance(expected, float | int) and not isinstance(expected, bool):
        try:
            value = float(answer)
        except (TypeError, ValueError):
            return False
        if 1 < value <= 100 and 0 <= expected <= 1:  # a percentage typed as 23 for 0.23
            value /= 100
        return abs(value - float(expected)) <= tol * max(1.0, abs(float(expected)))
    if isinstance(expected, str):
        return str(answer).strip().lower() == expected.strip().lower()
    if isinstance(expected, set | frozenset | list | tuple):
        got = (
            {str(a).strip().lower() for a in answer}
            if not isinstance(answer, str)
            else {answer.lower()}
        )
        return got == {str(e).strip().lower() for e in expected}
    return answer == expected


def check(name: str, answer: Any, data_dir: str | Path = "../../data/sample") -> bool:
    """Tell a learner whether their answer to exercise ``name`` is right; a hint if not.

    Parameters
    ----------
    name
        The exercise's name, as the notebook gives it.
    answer
        The learner's answer: a number (a share as 0.23 or 23), a word, or a list.
    data_dir
        The data the exercise is about (the sample data by default).

    Returns
    -------
    bool
        True when right. A line of feedback is printed either way.
    """
    if name not in EXERCISES:
        raise KeyError(f"no exercise called {name!r}; the exercises are {', '.join(EXERCISES)}")
    ex = EXERCISES[name]
    if answer is None or answer is ...:
        print(f"✏️  Not answered yet. {ex.question}")
        return False
    expected = ex.expected(Path(data_dir))
    if _close(answer, expected, ex.tolerance):
        print(f"✅ Right! {ex.question}")
        return True
    print(f"❌ Not quite. Hint: {ex.hint}")
    return False


# -- the command ---------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """``roi workshop --student OUT [--source notebooks/workshop]``."""
    parser = argparse.ArgumentParser(
        prog="roi workshop",
        description="Write student copies of the workshop notebooks (no solutions, no outputs).",
    )
    parser.add_argument(
        "--student", required=True, metavar="OUT", help="folder to write the student copies into"
    )
    parser.add_argument(
        "--source",
        default=None,
        help="folder of the full-solution notebooks (default: the project's notebooks/workshop)",
    )
    args = parser.parse_args(argv)
    source = Path(args.source) if args.source else _project_workshop()
    try:
        written = student_copies(source, args.student)
    except RoiInputError as exc:
        print(f"roi workshop: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    return 0


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
