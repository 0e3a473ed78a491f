"""CRM account lists: the sample's, and broken copies of it, counted against the raw file."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from roi_helpers import RoiInputError, load, load_dir
from roi_helpers.sources import crm

STATUS = {
    "client": "client",
    "customer": "client",
    "lead": "prospect",
    "prospect": "prospect",
    "partner": "partner",
    "competitor": "competitor",
}


def _rows(path, encoding="utf-8", delimiter=","):
    with open(path, encoding=encoding, newline="") as fh:
        rows = list(csv.reader(fh, delimiter=delimiter))
    return rows[0], rows[1:]


def _write(path, header, rows, delimiter=",", encoding="utf-8"):
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows([header, *rows])
    path.write_text(buf.getvalue(), encoding=encoding)
    return path


@pytest.fixture
def crm_rows(sample):
    return _rows(sample / "crm_accounts.csv")


def test_sample_crm_every_row_against_the_csv_module(sample, crm_rows):
    header, rows = crm_rows
    res = load(sample / "crm_accounts.csv")
    assert (res.kind, res.source) == ("accounts", "crm")
    assert res.report.balance()[["rows_read", "rows_kept"]].values.tolist() == [
        [len(rows), len(rows)]
    ]
    col = {h: i for i, h in enumerate(header)}
    assert res.data["company"].tolist() == [r[col["company"]].strip() for r in rows]
    assert res.data["status"].tolist() == [r[col["status"]] for r in rows]
    assert res.data["source_row"].tolist() == list(range(2, len(rows) + 2))


def test_statuses_mapped_and_unknown_ones_set_aside_with_their_value(tmp_path):
    header = ["Account Name", "Type", "Website"]
    rows = [
        ["Acme", "Customer", "https://www.acme.example/"],
        ["Beta", "lead", "beta.example"],
        ["Gamma", "friend", ""],
        ["Delta", "Competitor", "WWW.DELTA.EXAMPLE"],
    ]
    res = load(_write(tmp_path / "accounts.csv", header, rows))
    known = [r for r in rows if r[1].lower() in STATUS]
    assert res.data["status"].tolist() == [STATUS[r[1].lower()] for r in known]
    assert res.data["domain"].tolist()[::2] == ["acme.example", "delta.example"]
    bal = res.report.balance().iloc[0]
    assert (bal["rows_read"], bal["rows_kept"], bal["rows_set_aside"]) == (
        len(rows),
        len(known),
        len(rows) - len(known),
    )
    aside = res.report.to_frame().query("action == 'set aside'")
    assert aside[["row", "column", "original"]].values.tolist() == [[4, "status", "friend"]]


def test_semicolon_re_save_reads_the_same(tmp_path, sample, crm_rows):
    header, rows = crm_rows
    path = _write(tmp_path / "crm_accounts.csv", header, rows, delimiter=";")
    res = load(path)
    expected = load(sample / "crm_accounts.csv").data.drop(columns="source_file")
    pd.testing.assert_frame_equal(res.data.drop(columns="source_file"), expected)


def test_utf16_re_save_reads_the_same(tmp_path, sample, crm_rows):
    header, rows = crm_rows
    path = _write(tmp_path / "crm_accounts.csv", header, rows, encoding="utf-16")
    expected = load(sample / "crm_accounts.csv").data.drop(columns="source_file")
    pd.testing.assert_frame_equal(load(path).data.drop(columns="source_file"), expected)


def test_other_separator_is_not_taken_for_a_crm_and_says_what_it_saw(tmp_path, crm_rows):
    header, rows = crm_rows
    path = _write(tmp_path / "crm_accounts.csv", header, rows[:3], delimiter="|")
    with pytest.raises(RoiInputError, match="not a format the kit recognises") as err:
        load(path)
    assert "company|status" in str(err.value)
    with pytest.raises(RoiInputError, match=r"missing column\(s\) company, status") as err:
        load(path, source="crm")
    assert "'company|status|aliases|domain'" in str(err.value)
    assert "separated by '|'" in str(err.value)
    assert (err.value.path.name, err.value.rows, err.value.column) == (
        "crm_accounts.csv",
        [1],
        "company",
    )


def test_missing_status_column_names_it(tmp_path):
    path = _write(tmp_path / "crm.csv", ["company", "domain"], [["Acme", "acme.example"]])
    assert not crm.sniff(path, path.read_text())
    with pytest.raises(RoiInputError) as err:
        load(path, source="crm")
    text = str(err.value)
    assert text.startswith("crm.csv: row 1, column 'status': missing column(s) status")
    assert "'company', 'domain'" in text and "'relationship'" in text  # names it accepts
    assert (err.value.path.name, err.value.rows, err.value.column) == ("crm.csv", [1], "status")


def test_truncated_inside_quotes(tmp_path, crm_rows):
    header, rows = crm_rows
    text = _write(tmp_path / "full.csv", header, rows).read_text()
    path = tmp_path / "crm.csv"
    path.write_text(text + 'Zeta Corp,client,"Zeta; Zeta Cor')
    with pytest.raises(RoiInputError, match="truncated") as err:
        load(path)
    assert str(err.value).startswith("crm.csv:")


def test_last_row_cut_short_is_set_aside_not_lost(tmp_path, crm_rows):
    header, rows = crm_rows
    path = _write(tmp_path / "crm.csv", header, [*rows, ["Zeta Corp"]])
    res = load(path)
    bal = res.report.balance().iloc[0]
    assert (bal["rows_read"], bal["rows_kept"], bal["rows_set_aside"]) == (
        len(rows) + 1,
        len(rows),
        1,
    )
    aside = res.report.to_frame().query("action == 'set aside'")
    assert aside["row"].tolist() == [len(rows) + 2]
    assert res.report.set_aside_frame()["company"].tolist() == ["Zeta Corp"]


def test_empty_and_header_only_files(tmp_path):
    empty = tmp_path / "crm.csv"
    empty.write_bytes(b"")
    with pytest.raises(RoiInputError, match="crm.csv: the file is empty"):
        load(empty, source="crm")
    blank = tmp_path / "blank.csv"
    blank.write_text("\n\n  \n")
    with pytest.raises(RoiInputError, match="blank.csv: the file is empty"):
        load(blank, source="crm")
    header_only = tmp_path / "header.csv"
    header_only.write_text("company,status\n")
    with pytest.raises(RoiInputError) as err:  # an account list without accounts
        load(header_only)
    assert str(err.value).startswith("header.csv: holds a header (row 1) but no accounts")
    assert err.value.path.name == "header.csv"
    files = load_dir(tmp_path).files.set_index("file")
    assert files.loc[["crm.csv", "header.csv"], "status"].tolist() == ["failed", "failed"]


def test_all_rows_set_aside_is_not_a_header_only_file(tmp_path):
    path = _write(tmp_path / "crm.csv", ["company", "status"], [["Acme", "friend"]])
    res = load(path, source="crm")
    assert len(res.data) == 0
    assert res.report.balance()[["rows_read", "rows_set_aside"]].values.tolist() == [[1, 1]]


def test_wrong_number_of_fields_names_file_and_row(tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text("company,status\nAcme,client\nBeta,prospect,beta.com,extra\n")
    res = load(path)
    aside = res.report.to_frame().query("action == 'set aside'")
    assert aside[["file", "row"]].values.tolist() == [["crm.csv", 3]]
    assert aside["reason"].iloc[0] == "has 4 fields where the header has 2"


# -- a company listed twice is a conflict for relevance, not a duplicate for loading -----------------
def test_accounts_schema_and_loader_keep_a_company_listed_twice(tmp_path):
    from roi_helpers import schema

    frame = pd.DataFrame({"company": ["Acme", "Acme"], "status": ["client", "competitor"]})
    checked = schema.validate(frame, "accounts")  # keys checked too: company is not one
    assert checked["status"].tolist() == ["client", "competitor"]
    assert "accounts" not in schema.KEYS
    for sub, status in (("a", "client"), ("b", "competitor")):
        (tmp_path / sub).mkdir()
        _write(tmp_path / sub / "crm.csv", ["company", "status"], [["Acme", status]])
    ds = load_dir(tmp_path)
    assert sorted(ds.accounts["status"]) == ["client", "competitor"]
    assert not ds.report.to_frame()["action"].isin(["deduplicated", "set aside"]).any()
