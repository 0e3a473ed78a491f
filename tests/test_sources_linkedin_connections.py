"""LinkedIn Connections.csv: trimmed cells, ids without URLs, column names, values by hand."""

from __future__ import annotations

import csv
import hashlib

import pandas as pd
import pytest

from roi_helpers import RoiInputError, load
from tests.conftest import SAMPLE

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
OLD_HEADER = "First Name,Last Name,Email Address,Company,Position,Connected On\n"


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- a trimmed cell is recorded once ----------------------------------------------------------
def test_each_trimmed_cell_is_recorded_once(tmp_path):
    path = _write(
        tmp_path / "ana" / "Connections.csv",
        HEADER + "Ana , Silva,https://www.linkedin.com/in/ana-s,, Acme ,CFO ,24 Mar 2025\n"
        "Bo,Li,https://www.linkedin.com/in/bo-l,,Foo, Head of Sales,24 Mar 2025\n"
        "Cy,Dee,https://www.linkedin.com/in/cy-d,,Bar,CTO,24 Mar 2025\n",
    )
    entries = load(path).report.to_frame().query("rule == 'spaces trimmed'")
    # by hand: row 2 First Name, Last Name, Company, Position; row 3 Position
    expected = [
        [2, "Company"],
        [2, "First Name"],
        [2, "Last Name"],
        [2, "Position"],
        [3, "Position"],
    ]
    assert sorted(entries[["row", "column"]].values.tolist()) == expected
    got = entries.set_index(["row", "column"])
    assert got.loc[(2, "Company"), ["original", "value"]].tolist() == [" Acme ", "Acme"]
    assert got.loc[(3, "Position"), ["original", "value"]].tolist() == [
        " Head of Sales",
        "Head of Sales",
    ]


def _changed_cells(path):
    """(row, column) of every cell with spaces around it, by the csv module."""
    # an older export in the sample holds invalid bytes: replaced, they change no spaces
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
        reader = csv.reader(fh)
        records = [(reader.line_num, r) for r in reader]
    start = next(i for i, (_, r) in enumerate(records) if r[:2] == ["First Name", "Last Name"])
    header = records[start][1]
    wanted = {"First Name", "Last Name", "Email Address", "Company", "Position"}
    return sorted(
        (n, col)
        for n, r in records[start + 1 :]
        if len(r) == len(header)
        for col, v in zip(header, r, strict=True)
        if col in wanted and v != v.strip()
    )


def test_sample_trimmed_entries_equal_the_changed_cells():
    files = sorted(SAMPLE.glob("linkedin/*/Connections.csv"))
    assert files
    total = 0
    for path in files:
        entries = load(path).report.to_frame().query("rule == 'spaces trimmed'")
        got = sorted(zip(entries["row"].astype(int), entries["column"], strict=True))
        assert got == _changed_cells(path), path
        total += len(got)
    assert total > 0  # the sample does hold such cells


# -- ids for exports without profile URLs ---------------------------------------------------------
def _id(name, day, company, title):
    """The documented id: a hash of name, connection date, company and position."""
    key = f"{name}|{day}|{company}|{title}"
    return "li-" + hashlib.blake2b(key.encode(), digest_size=8).hexdigest()


def test_namesakes_get_ids_from_company_and_position(tmp_path):
    both = _write(
        tmp_path / "a" / "Connections.csv",
        OLD_HEADER + "John,Smith,,Acme,CFO,12-Oct-20\nJohn,Smith,,Beta,Engineer,12-Oct-20\n",
    )
    ids = load(both).data["person_id"].tolist()
    assert ids == [
        _id("John Smith", "2020-10-12", "Acme", "CFO"),
        _id("John Smith", "2020-10-12", "Beta", "Engineer"),
    ]
    # the second John Smith's id does not come from his row: alone in a file, he has it too
    alone = _write(
        tmp_path / "b" / "Connections.csv", OLD_HEADER + "John,Smith,,Beta,Engineer,12-Oct-20\n"
    )
    assert load(alone).data["person_id"].tolist() == [ids[1]]
    # the same name at the same company in another position is someone else, too
    other = _write(
        tmp_path / "c" / "Connections.csv", OLD_HEADER + "John,Smith,,Acme,CTO,12-Oct-20\n"
    )
    assert load(other).data["person_id"].iloc[0] not in ids


# -- column names, as older and re-saved exports write them ----------------------------------------
@pytest.mark.parametrize(
    "header",
    [
        OLD_HEADER,
        "first name,last name,email address,company,position,connected on\n",
        "First Name,Last Name,Email Address,Company,Title,Connected On\n",
        "First Name,Last Name,Email Address,Company,Job Title,Connected On\n",
    ],
)
def test_company_and_position_recognised_in_older_and_renamed_headers(tmp_path, header):
    path = _write(tmp_path / "x" / "Connections.csv", header + "Ana,Silva,,Acme,CFO,12-Oct-20\n")
    row = load(path).data.iloc[0]
    assert (row["company"], row["title"], row["connected_on"]) == (
        "Acme",
        "CFO",
        pd.Timestamp("2020-10-12"),
    )


def test_an_export_without_position_is_refused_naming_what_is_missing(tmp_path):
    path = _write(
        tmp_path / "Connections.csv",
        "First Name,Last Name,Email Address,Company,Connected On\nAna,Silva,,Acme,12-Oct-20\n",
    )
    with pytest.raises(RoiInputError) as err:
        load(path, source="linkedin_connections")
    text = str(err.value)
    assert text.startswith("Connections.csv: missing column(s) title for a LinkedIn")
    assert "'Company'" in text  # the header seen
    assert err.value.path.name == "Connections.csv"
