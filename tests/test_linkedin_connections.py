"""LinkedIn Connections.csv: the real export, an older one, and broken ones."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from roi_helpers import RoiInputError, load, load_dir


def _raw_rows(path):
    """The data rows, counted with the csv module (independently of the loader)."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = next(i for i, r in enumerate(rows) if r[:2] == ["First Name", "Last Name"])
    return rows[header], rows[header + 1 :]


def test_real_connections_every_row_accounted(shared):
    path = shared / "linkedin_connections" / "Connections.csv"
    header, rows = _raw_rows(path)
    res = load(path)
    assert (res.kind, res.source) == ("audience", "linkedin_connections")
    bal = res.report.balance().iloc[0]
    assert bal["rows_read"] == len(rows) == 456
    assert bal["rows_kept"] + bal["rows_set_aside"] == bal["rows_read"]
    assert len(res.data) == bal["rows_kept"]
    # values, checked against the raw rows
    first = dict(zip(header, rows[0], strict=True))
    got = res.data.iloc[0]
    assert got["person_id"] == first["URL"].rsplit("/", 1)[-1]
    assert got["title"] == first["Position"] and got["company"] == first["Company"]
    assert got["connected_on"] == pd.Timestamp("2025-03-24")
    assert got["source_row"] == 5  # three notes lines and a blank, then the header on row 4
    empty_company = sum(1 for r in rows if not r[header.index("Company")].strip())
    assert res.data["company"].isna().sum() == empty_company == 43
    # the account comes from the folder's name
    assert set(res.data["account"]) == {"linkedin_connections"}


def test_account_option(shared):
    res = load(shared / "linkedin_connections" / "Connections.csv", account="ana")
    assert set(res.data["account"]) == {"ana"}


OLD = (
    "First Name,Last Name,Email Address,Company,Position,Connected On\r\n"
    "Ana,Silva,ana@example.com,Acme S.A.,Directora Financiera,12-Oct-20\r\n"
    "Jo,M\xfcller,,Beispiel GmbH,Leiter Vertrieb,03-Jan-19\r\n"
    "Li,Wei,,Foo Ltd,CFO,not a date\r\n"
)


def test_older_export_without_notes_or_urls_with_invalid_utf8(tmp_path):
    path = tmp_path / "old" / "Connections.csv"
    path.parent.mkdir()
    path.write_bytes(OLD.encode("latin-1"))  # the u-umlaut is one invalid UTF-8 byte
    res = load(path)
    data = res.data
    assert len(data) == 3
    assert data["connected_on"].tolist()[:2] == [
        pd.Timestamp("2020-10-12"),
        pd.Timestamp("2019-01-03"),
    ]
    assert pd.isna(data["connected_on"].iloc[2])
    assert data["name"].iloc[1] == "Jo M\ufffdller"
    entries = res.report.to_frame()
    utf = entries[entries["rule"] == "invalid UTF-8"]
    assert utf["row"].tolist() == [3] and utf["column"].tolist() == ["Last Name"]
    bad_date = entries[entries["rule"] == "unreadable date"]
    assert bad_date["row"].tolist() == [4] and bad_date["original"].tolist() == ["not a date"]
    # no URL: ids are pseudonymous hashes, stable across loads, never the email
    again = load(path)
    assert data["person_id"].tolist() == again.data["person_id"].tolist()
    assert not data["person_id"].str.contains("@").any()


def test_utf16_export(tmp_path):
    path = tmp_path / "u16" / "Connections.csv"
    path.parent.mkdir()
    path.write_text(OLD.replace("\xfc", "ü"), encoding="utf-16")
    assert load(path).data["name"].iloc[1] == "Jo Müller"


def test_empty_file(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_bytes(b"")
    with pytest.raises(RoiInputError, match=r"Connections.csv: the file is empty"):
        load(path)


def test_truncated_file(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(OLD + 'Zoe,Ng,,"Acme, In')
    with pytest.raises(RoiInputError, match="truncated"):
        load(path, source="linkedin_connections")


def test_short_row_set_aside_not_lost(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(OLD.replace("\xfc", "u") + "Zoe,Ng,,Acme\r\n")
    res = load(path)
    bal = res.report.balance().iloc[0]
    assert (bal["rows_read"], bal["rows_kept"], bal["rows_set_aside"]) == (4, 3, 1)
    aside = res.report.to_frame().query("action == 'set aside'")
    assert aside["row"].tolist() == [5]
    assert "4 fields" in aside["reason"].iloc[0]


def test_missing_column_names_the_file_and_the_header(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text("First Name,Last Name,Email Address,Company,Connected On\nA,B,,C,12-Oct-20\n")
    with pytest.raises(RoiInputError) as err:
        load(path, source="linkedin_connections")
    assert "Connections.csv" in str(err.value) and "title" in str(err.value)
    assert "'Company'" in str(err.value)


def test_wrong_separator_is_not_recognised_and_says_what_it_saw(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(OLD.replace(",", "|").replace("\xfc", "u"))
    with pytest.raises(RoiInputError) as err:
        load(path)
    msg = str(err.value)
    assert "not a format the kit recognises" in msg and "First Name|Last Name" in msg
    assert "linkedin_connections" in msg  # lists the known formats


def test_load_dir_collects_a_broken_file_and_loads_the_rest(tmp_path):
    (tmp_path / "ana").mkdir()
    (tmp_path / "bo").mkdir()
    (tmp_path / "ana" / "Connections.csv").write_text(OLD.replace("\xfc", "u"))
    (tmp_path / "bo" / "Connections.csv").write_text(OLD.replace("\xfc", "u") + 'Zoe,"Ng')
    ds = load_dir(tmp_path)
    assert ds.has("audience") and set(ds.audience["account"]) == {"ana"}
    failed = ds.errors
    assert failed["file"].tolist() == ["bo/Connections.csv"]
    assert "truncated" in failed["message"].iloc[0]


def test_excel_resave_with_semicolons_and_slash_dates(tmp_path):
    """A European Excel re-save: ';' separators, dates written 24/03/2025."""
    text = (
        "First Name;Last Name;URL;Email Address;Company;Position;Connected On\n"
        "Ana;Silva;https://www.linkedin.com/in/ana-s;;Acme;CFO;24/03/2025\n"
        "Bo;Li;https://www.linkedin.com/in/bo-l;;Foo;CTO;05/01/2024\n"
    )
    path = tmp_path / "Connections.csv"
    path.write_text(text, encoding="utf-8-sig")
    res = load(path)
    assert res.data["connected_on"].tolist() == [
        pd.Timestamp("2025-03-24"),
        pd.Timestamp("2024-01-05"),
    ]
    rules = set(res.report.to_frame()["rule"])
    assert {"separator", "dates re-saved by Excel"} <= rules


def test_ambiguous_excel_dates_read_month_first_and_say_so(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ana,Silva,https://www.linkedin.com/in/ana-s,,Acme,CFO,3/4/2025\n"
    )
    res = load(path)
    assert res.data["connected_on"].iloc[0] == pd.Timestamp("2025-03-04")
    note = res.report.to_frame().query("rule == 'dates re-saved by Excel'")["reason"].iloc[0]
    assert "month first" in note and "no date says which" in note


def test_load_dir_keeps_same_named_exports_apart(tmp_path):
    for who in ("ana", "bo"):
        (tmp_path / who).mkdir()
        (tmp_path / who / "Connections.csv").write_text(OLD.replace("\xfc", "u"))
    ds = load_dir(tmp_path)
    bal = ds.report.balance().set_index("file")
    assert bal.loc["ana/Connections.csv", "rows_read"] == 3
    assert bal.loc["bo/Connections.csv", "rows_read"] == 3
    assert set(ds.audience["source_file"]) == {"ana/Connections.csv", "bo/Connections.csv"}
    dates = ds.report.to_frame().query("rule == 'unreadable date'")
    assert sorted(dates["file"]) == ["ana/Connections.csv", "bo/Connections.csv"]


def test_unknown_time_zone_is_a_clear_error(shared):
    path = next((shared / "x_tweet_activity").glob("*.csv"))
    pytest.importorskip("roi_helpers.sources.x_account_analytics")
    other = (
        shared
        / "x_account_analytics"
        / "TopDomainClub_account_analytics_content_20241114_20250212.csv"
    )
    with pytest.raises(RoiInputError, match="tz='Mars/Olympus'.*IANA"):
        load(other, tz="Mars/Olympus")
    assert path.exists()


def test_load_dir_reports_an_empty_file_as_failed(tmp_path):
    (tmp_path / "ana").mkdir()
    (tmp_path / "ana" / "Connections.csv").write_text("")
    ds = load_dir(tmp_path)
    row = ds.files.iloc[0]
    assert (row["status"], row["file"]) == ("failed", "ana/Connections.csv")
    assert "empty" in row["message"]


@pytest.mark.parametrize(
    ("written", "expected", "how"),
    [
        ("24-3-2025", "2025-03-24", "day first"),
        ("24.03.2025", "2025-03-24", "day first"),
        ("5-1-2024", "2024-01-05", "as European spreadsheets write"),
        ("1/5/2024", "2024-01-05", "as US Excel writes"),
    ],
)
def test_dutch_german_and_us_resaves(tmp_path, written, expected, how):
    path = tmp_path / "Connections.csv"
    path.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        f"Ana,Silva,https://www.linkedin.com/in/ana-s,,Acme,CFO,{written}\n"
    )
    res = load(path)
    assert res.data["connected_on"].iloc[0] == pd.Timestamp(expected)
    assert how in res.report.to_frame().query("rule == 'dates re-saved by Excel'")["reason"].iloc[0]


# -- row numbers, and privacy, of rows set aside ------------------------------------------------
SAMPLE_CONNECTIONS = "linkedin/ana-duarte-5a1b7c/Connections.csv"
ZELDA = "Zelda,Zorn,https://www.linkedin.com/in/zelda-zorn-9f3c,,Acme,CFO,12 Mar 2024,EXTRA"


def _numbered(path):
    """(line number, fields) of every record after the header, by the csv module."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        records = [(reader.line_num, r) for r in reader]
    header = next(i for i, (_, r) in enumerate(records) if r[:2] == ["First Name", "Last Name"])
    return records[header + 1 :]


def _with_lines(sample, tmp_path, at, *lines):
    text = (sample / SAMPLE_CONNECTIONS).read_text(encoding="utf-8").split("\n")
    path = tmp_path / "ana" / "Connections.csv"
    path.parent.mkdir()
    path.write_text("\n".join(text[: at - 1] + list(lines) + text[at - 1 :]), encoding="utf-8")
    return path


def test_current_format_bad_row_keeps_its_number_and_the_rows_after_theirs(sample, tmp_path):
    path = _with_lines(sample, tmp_path, 7, ZELDA)  # on line 7, after notes and header (row 4)
    res = load(path)
    records = _numbered(path)
    bad = [n for n, r in records if len(r) != 7]
    assert bad == [7]
    aside = res.report.to_frame().query("action == 'set aside'")
    assert aside["row"].tolist() == [7]
    good = [(n, r) for n, r in records if len(r) == 7]
    assert res.data["source_row"].tolist() == [n for n, _ in good]
    assert res.data["source_row"].tolist()[:4] == [5, 6, 8, 9]
    titles = res.data["title"].astype(object).where(res.data["title"].notna(), None)
    assert titles.tolist() == [r[5].strip() or None for _, r in good]


def test_blank_line_mid_file_keeps_later_rows_numbered_as_in_the_file(sample, tmp_path):
    path = _with_lines(sample, tmp_path, 8, "")
    res = load(path)
    records = [(n, r) for n, r in _numbered(path) if r]  # the csv module yields [] for a blank
    assert res.data["source_row"].tolist() == [n for n, _ in records]
    assert 8 not in res.data["source_row"].tolist() and 9 in res.data["source_row"].tolist()
    bal = res.report.balance().iloc[0]
    assert bal["rows_read"] == len(records) == bal["rows_kept"]


def test_real_file_rows_numbered_as_the_csv_module_counts_them(shared):
    path = shared / "linkedin_connections" / "Connections.csv"
    res = load(path)
    assert res.data["source_row"].tolist() == [n for n, _ in _numbered(path)]


def test_set_aside_row_keeps_no_name_or_link_where_reports_look(sample, tmp_path):
    from roi_helpers.relevance import load_network

    path = _with_lines(sample, tmp_path, 7, ZELDA)
    res = load(path)
    entries = res.report.to_frame()
    shown = entries[["column", "original", "value", "reason"]].astype("str")
    # no entry holds the set-aside person's name or profile link in a column not named so
    leaks = shown.apply(
        lambda c: c.str.contains("Zelda|Zorn|zelda-zorn", regex=True, na=False)
    ).any(axis=1)
    people = entries["column"].astype("str").str.lower().str.contains("name|url|mail|person")
    assert not (leaks & ~people).any()
    # the row is kept whole, field by field under the file's own column names
    kept = res.report.set_aside_frame().iloc[0]
    assert (kept["First Name"], kept["URL"], kept["extra_fields"]) == (
        "Zelda",
        "https://www.linkedin.com/in/zelda-zorn-9f3c",
        "EXTRA",
    )
    assert kept["source_row"] == 7 and pd.isna(kept["Email Address"])
    # and the CSV written beside a report holds neither
    net = load_network(tmp_path)
    text = net.save_report(tmp_path / "cleaning.csv").read_text()
    assert "wrong number of fields" in text
    assert "Zelda" not in text and "Zorn" not in text and "zelda-zorn" not in text


# -- ids for exports without profile URLs -----------------------------------------------------
def test_namesakes_and_nameless_rows_keep_apart_without_urls(tmp_path):
    text = (
        "First Name,Last Name,Email Address,Company,Position,Connected On\n"
        "Ana,Silva,,Acme,CFO,12-Oct-20\n"
        "Ana,Silva,,Beta,CTO,12-Oct-20\n"  # a namesake, connected the same day
        ",,,Gamma,,12-Oct-20\n"
        ",,,Delta,,12-Oct-20\n"
        ",,,,,12-Oct-20\n"
        ",,,,,12-Oct-20\n"  # the same as the row above in every field
    )
    path = tmp_path / "old" / "Connections.csv"
    path.parent.mkdir()
    path.write_text(text)
    res = load(path)
    with open(path, newline="") as fh:
        n_rows = len(list(csv.reader(fh))) - 1
    assert len(res.data) == n_rows == 6 and res.data["person_id"].is_unique
    assert res.report.balance()["rows_kept"].tolist() == [6]
    # stable: the same file gives the same ids, and a row's id does not depend on the rows
    # after it (a later export that adds connections keeps the earlier ids)
    again = load(path).data["person_id"].tolist()
    assert again == res.data["person_id"].tolist()
    shorter = tmp_path / "short" / "Connections.csv"
    shorter.parent.mkdir()
    shorter.write_text("\n".join(text.split("\n")[:3]) + "\n")
    assert load(shorter).data["person_id"].tolist() == again[:2]


# -- spreadsheet re-saves: dates read as the file's locale writes them ---------------------------
def test_comma_file_with_day_first_dates(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ana,Silva,https://www.linkedin.com/in/ana-s,,Acme,CFO,03/04/2025\n"
        "Bo,Li,https://www.linkedin.com/in/bo-l,,Foo,CTO,24/03/2025\n"
    )
    res = load(path)
    assert res.data["connected_on"].tolist() == [
        pd.Timestamp("2025-04-03"),
        pd.Timestamp("2025-03-24"),
    ]
    note = res.report.to_frame().query("rule == 'dates re-saved by Excel'")["reason"].iloc[0]
    assert "day first (some days are above 12)" in note
    assert "dates like 03/04/2025" in note and "3/24/2025" not in note  # quoted from the file


def test_semicolon_file_with_ambiguous_slash_dates_reads_day_first(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(
        "First Name;Last Name;URL;Email Address;Company;Position;Connected On\n"
        "Ana;Silva;https://www.linkedin.com/in/ana-s;;Acme;CFO;03/04/2025\n"
        "Bo;Li;https://www.linkedin.com/in/bo-l;;Foo;CTO;11/12/2024\n",
        encoding="utf-8-sig",
    )
    res = load(path)
    assert res.data["connected_on"].tolist() == [
        pd.Timestamp("2025-04-03"),
        pd.Timestamp("2024-12-11"),
    ]
    note = res.report.to_frame().query("rule == 'dates re-saved by Excel'")["reason"].iloc[0]
    assert "day first" in note and "';'" in note and "dates like 03/04/2025" in note


# -- what the report says, for a person ---------------------------------------------------------
def test_invalid_utf8_entry_shows_the_bytes_as_read(tmp_path):
    path = tmp_path / "old" / "Connections.csv"
    path.parent.mkdir()
    path.write_bytes(OLD.encode("latin-1"))
    utf = load(path).report.to_frame().query("rule == 'invalid UTF-8'")
    assert utf["original"].tolist() == ["b'M\\xfcller'"]
    assert utf["value"].tolist() == ["M\ufffdller"]


def test_unreadable_date_reason_gives_examples_not_codes(tmp_path):
    path = tmp_path / "old" / "Connections.csv"
    path.parent.mkdir()
    path.write_bytes(OLD.encode("latin-1"))
    reason = load(path).report.to_frame().query("rule == 'unreadable date'")["reason"].iloc[0]
    assert "like 24 Mar 2025" in reason and "%" not in reason
