"""Workshop tooling: student copies hold no solution, learners' mistakes get plain answers."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import nbformat
import pytest

from roi_helpers import RoiInputError
from roi_helpers.workshop import load_my_export, student_copies

from conftest import ROOT


def _nb(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Exercise"),
        nbformat.v4.new_code_cell("answer = ...", metadata={"tags": ["exercise"]}),
        nbformat.v4.new_code_cell("answer = 42  # the solution", metadata={"tags": ["solution"]}),
        nbformat.v4.new_code_cell("print(answer)"),
    ]
    nb.cells[3].outputs = [nbformat.v4.new_output("stream", text="42\n")]
    nb.cells[3].execution_count = 3
    src = tmp_path / "src"
    src.mkdir()
    nbformat.write(nb, src / "01_x.ipynb")
    (src / "README.md").write_text("facilitator guide")
    (src / "image.png").write_bytes(b"\x89PNG")
    return src


def test_student_copies_drop_solutions_and_outputs_keep_tags(tmp_path):
    src = _nb(tmp_path)
    written = student_copies(src, tmp_path / "out")
    assert [p.name for p in written] == ["01_x.ipynb"]
    nb = nbformat.read(written[0], as_version=4)
    sources = [c.source for c in nb.cells]
    assert "answer = 42  # the solution" not in sources and len(nb.cells) == 3
    assert nb.cells[1].metadata["tags"] == ["exercise"]
    assert all(
        not c.get("outputs") and c.get("execution_count") is None
        for c in nb.cells
        if c.cell_type == "code"
    )
    assert (tmp_path / "out" / "image.png").exists()
    assert not (tmp_path / "out" / "README.md").exists()  # the guide stays with the trainer
    # the solutions are untouched
    assert "answer = 42  # the solution" in (src / "01_x.ipynb").read_text()


def test_student_copies_refuse_to_overwrite_solutions(tmp_path):
    src = _nb(tmp_path)
    with pytest.raises(RoiInputError, match="overwrite"):
        student_copies(src, src)


def test_command_line(tmp_path):
    src = _nb(tmp_path)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "roi_helpers.cli",
            "workshop",
            "--student",
            str(tmp_path / "s"),
            "--source",
            str(src),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "s" / "01_x.ipynb").exists()


CONNECTIONS = (
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Ana,Silva,https://www.linkedin.com/in/ana-s,,Acme,CFO,24 Mar 2025\n"
)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        (
            "Messages.csv",
            "CONVERSATION ID,CONVERSATION TITLE,FROM,TO,DATE,CONTENT\n1,x,a,b,2024,hi\n",
            "Messages.csv",
        ),
        (
            "Invitations.csv",
            "From,To,Sent At,Message,Direction\na,b,2024,hi,OUTGOING\n",
            "Invitations",
        ),
        ("Connections.csv", "", "empty"),
        ("Connections.xlsx", "not really excel", "spreadsheet"),
        ("notes.csv", "hello,world\n1,2\n", "does not recognise"),
    ],
)
def test_newcomer_mistakes_get_plain_answers(tmp_path, name, content, says):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(RoiInputError, match=says):
        load_my_export(path)


def test_the_whole_archive(tmp_path):
    archive = tmp_path / "Basic_LinkedInDataExport_11-26-2026.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Connections.csv", CONNECTIONS)
    with pytest.raises(RoiInputError, match="whole zip archive.*Connections.csv"):
        load_my_export(archive)


def test_missing_file_lists_what_is_there(tmp_path):
    (tmp_path / "Connections.csv").write_text(CONNECTIONS)
    with pytest.raises(RoiInputError, match="no file at .*Files here: Connections.csv"):
        load_my_export(tmp_path / "connections.csv")


def test_another_platform_file(shared):
    pytest.importorskip(
        "roi_helpers.sources.x_tweet_activity", reason="the X reader has not landed yet"
    )
    path = next((shared / "x_tweet_activity").glob("*.csv"))
    with pytest.raises(
        RoiInputError, match="X.*post analytics. This step needs a list of connections"
    ):
        load_my_export(path)


def test_a_good_file_loads_and_says_what_was_noticed(tmp_path, capsys):
    path = tmp_path / "Connections.csv"
    path.write_text(CONNECTIONS.replace("24 Mar 2025", "3/24/2025"))
    res = load_my_export(path)
    assert len(res.data) == 1
    out = capsys.readouterr().out
    assert "Loaded 1 rows" in out and "re-saved by a spreadsheet" in out
