"""House style, checked: ruff clean, notebooks stored without outputs and properly tagged."""

from __future__ import annotations

import shutil
import subprocess
import sys

import nbformat
import pytest

from tests.conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").rglob("*.ipynb"))
NOTEBOOKS = [p for p in NOTEBOOKS if ".ipynb_checkpoints" not in p.parts]


def _ruff() -> str:
    exe = shutil.which("ruff", path=str(ROOT / ".venv" / "bin")) or shutil.which("ruff")
    if exe is None:
        exe = str(ROOT / ".venv" / "bin" / "ruff")
    return exe


@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]])
def test_ruff_is_clean(args):
    proc = subprocess.run([_ruff(), *args], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_stored_clean(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "a notebook with no code"
    with_output = [i for i, c in enumerate(code) if c.get("outputs") or c.get("execution_count")]
    assert not with_output, f"code cells {with_output} are stored with outputs: run nbstripout"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", "kernel must be python3"
    if "workshop" not in path.parts:
        first = code[0]
        assert "parameters" in first.metadata.get("tags", []), (
            "first code cell must be tagged parameters"
        )


@pytest.mark.parametrize(
    "path", [p for p in NOTEBOOKS if "workshop" not in p.parts], ids=lambda p: p.name
)
def test_parameters_cell_holds_literals_with_hints_and_comments(path):
    import ast

    nb = nbformat.read(path, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    tree = ast.parse(first.source)
    names = []
    for node in tree.body:
        assert isinstance(node, ast.AnnAssign), f"not 'name: type = literal': {ast.unparse(node)}"
        ast.literal_eval(node.value)  # literals only
        names.append(node.target.id)
    for line in first.source.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            assert "#" in line, f"parameter line without a comment: {line!r}"
    assert names[:3] == ["data_dir", "output_dir", "interactive"], names


def test_notebook_cells_stay_short():
    """Notebooks narrate; the package computes. A long code cell belongs in roi_helpers."""
    long = []
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for i, c in enumerate(nb.cells):
            if "parameters" in c.get("metadata", {}).get("tags", []):
                continue  # literals only, one per line: checked by the test above
            lines = [
                ln for ln in c.source.splitlines() if ln.strip() and not ln.strip().startswith("#")
            ]
            if c.cell_type == "code" and len(lines) > 12:
                long.append(f"{path.name} cell {i}: {len(lines)} lines")
    assert not long, long


def test_python_is_the_one_running_the_tests():
    assert sys.version_info >= (3, 11)
