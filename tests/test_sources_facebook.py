"""Facebook exports -> posts: Page Insights (.xlsx and SpreadsheetML .xls), and the UCI layout.

Expectations come from the raw files read independently: openpyxl for the .xlsx, a plain
``ElementTree.parse`` of the .xls, the csv module for the UCI file, or values worked out by
hand for the small hand-made fixtures.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from roi_helpers import RoiInputError, load, load_dir
from roi_helpers.clean import CleaningReport
from roi_helpers.loading import sniff
from roi_helpers.sources import facebook_insights, facebook_uci

FIXTURES = Path(__file__).parent / "fixtures" / "facebook"
OVERLAP = FIXTURES / "overlap"
EARLY = OVERLAP / "Facebook Insights Data Export (Post Level) - ACME - 2024-03-01.xls"
LATE = OVERLAP / "Facebook Insights Data Export (Post Level) - ACME - 2024-03-15.xls"
UCI = FIXTURES / "uci_facebook_metrics.csv"
NAME = "Facebook Insights Data Export (Post Level) - LOK - 2017-10-22"
SS = "{urn:schemas-microsoft-com:office:spreadsheet}"


@pytest.fixture(scope="module")
def real(shared) -> dict[str, Path]:
    folder = shared / "facebook_insights"
    return {"xls": folder / f"{NAME}.xls", "xlsx": folder / f"{NAME}.xlsx"}


def _xlsx_sheet(path: Path, prefix: str) -> list[tuple]:
    book = openpyxl.load_workbook(path, read_only=True)
    name = next(n for n in book.sheetnames if n.startswith(prefix))
    rows = [tuple(r) for r in book[name].iter_rows(values_only=True)]
    book.close()
    return rows


def _xls_key_metrics_rows(path: Path) -> list[list[str]]:
    """Key Metrics rows of the SpreadsheetML file, read with a plain ElementTree parse."""
    root = ET.parse(path).getroot()
    sheet = next(w for w in root.iter(f"{SS}Worksheet") if w.get(f"{SS}Name") == "Key Metrics")
    return [
        ["".join(d.itertext()) for d in row.iter(f"{SS}Data")] for row in sheet.iter(f"{SS}Row")
    ]


# -- the real export ---------------------------------------------------------------------------
def test_xls_and_xlsx_give_the_same_posts(real):
    xls, xlsx = load(real["xls"]), load(real["xlsx"])
    assert (xls.source, xlsx.source) == ("facebook_insights", "facebook_insights")
    # posts in Key Metrics, counted independently: rows after the header and descriptions
    raw_xlsx = _xlsx_sheet(real["xlsx"], "Key Metrics")
    raw_xls = _xls_key_metrics_rows(real["xls"])
    n_xlsx = sum(1 for r in raw_xlsx[2:] if r[0])
    n_xls = sum(1 for r in raw_xls[2:] if r[0])
    assert len(xls.data) == len(xlsx.data) == n_xls == n_xlsx == 12
    for res in (xls, xlsx):
        bal = res.report.balance().iloc[0]
        assert bal["rows_read"] == 12 and bal["rows_kept"] + bal["rows_set_aside"] == 12
    a = xls.data.drop(columns=["source_file", "text"])
    b = xlsx.data.drop(columns=["source_file", "text"])
    pd.testing.assert_frame_equal(a, b)
    # The .xlsx export flattened the messages' line breaks into spaces; the words agree.
    words = lambda s: s.str.split().str.join(" ")  # noqa: E731
    assert words(xls.data["text"]).tolist() == words(xlsx.data["text"]).tolist()
    assert xls.data["text"].str.contains("\n").sum() > 0
    assert xls.exported_at == xlsx.exported_at == pd.Timestamp("2017-10-22")


def test_values_match_the_raw_key_metrics_sheet(real):
    data = load(real["xlsx"]).data.set_index("post_id")
    raw = _xlsx_sheet(real["xlsx"], "Key Metrics")
    header = list(raw[0])
    for row in raw[2:]:
        r = dict(zip(header, row, strict=False))  # repeated names: the last wins, unused here
        got = data.loc[r["Post ID"]]
        assert got["reach"] == r["Lifetime Post Total Reach"]
        assert got["impressions"] == r["Lifetime Post Total Impressions"]
        assert got["clicks"] == r["Lifetime Post Consumptions"]
        assert got["engaged_users"] == r["Lifetime Engaged Users"]
        assert got["url"] == r["Permalink"]
        assert got["content_type"] == r["Type"].lower()
        assert got["published_at"] == pd.Timestamp(r["Posted"], tz="UTC")
        assert got["paid"] == (r["Lifetime Post Paid Impressions"] > 0)
    # video views: organic + paid, the "Total Count" column of each repeated pair (by hand,
    # columns 30 and 32 in the sheet for the video post 1553363564876294_1939567076255939)
    video = next(r for r in raw[2:] if r[0] == "1553363564876294_1939567076255939")
    assert raw[1][29].endswith("(Total Count)") and raw[1][31].endswith("(Total Count)")
    assert data.loc[video[0], "video_views"] == video[29] + video[31] == 63256


def test_likes_comments_shares_from_the_stories_sheet(real):
    data = load(real["xlsx"]).data.set_index("post_id")
    stories = _xlsx_sheet(real["xlsx"], "Lifetime Post Stories by act")
    header = list(stories[0])
    assert header[9:] == ["share", "like", "comment"]
    by_id = {r[1]: dict(zip(header, r, strict=True)) for r in stories[1:]}
    assert set(by_id) == set(data.index)
    # a few posts, checked cell by cell; an empty cell is zero stories of that type
    for pid in [
        "1553363564876294_1940000072879306",  # share 1, like 346, comment 5
        "1553363564876294_1939999886212658",  # share '', like 154, comment ''
        "1553363564876294_1939567076255939",  # share 279, like 1072, comment 172
    ]:
        raw = by_id[pid]
        for col, name in [("likes", "like"), ("comments", "comment"), ("shares", "share")]:
            want = raw[name] if raw[name] != "" else 0
            assert data.loc[pid, col] == want, (pid, col)
    assert data.loc[
        "1553363564876294_1940000072879306", ["likes", "comments", "shares"]
    ].tolist() == [
        346,
        5,
        1,
    ]


def test_description_row_is_not_a_post(real):
    for path in real.values():
        res = load(path)
        data = res.data
        assert data["post_id"].notna().all()
        assert not data["post_id"].str.startswith("Lifetime").any()
        assert data["source_row"].min() == 3  # row 1 header, row 2 descriptions
        notes = res.report.to_frame()
        note = notes[notes["rule"] == "description row skipped"]["reason"].tolist()
        assert len(note) == 1 and note[0].startswith("row 2 of 'Key Metrics'")


def test_time_zone_option_and_account(real):
    utc = load(real["xls"]).data
    hanoi = load(real["xls"], tz="Asia/Ho_Chi_Minh").data
    # Posted 2017-09-30 10:00 in Hanoi (UTC+7) is 03:00 UTC
    assert hanoi.loc[0, "published_at"] == pd.Timestamp("2017-09-30 03:00", tz="UTC")
    assert (utc["published_at"] - hanoi["published_at"]).eq(pd.Timedelta(hours=7)).all()
    notes = load(real["xls"], tz="Asia/Ho_Chi_Minh").report.to_frame()
    assert (
        "read as Asia/Ho_Chi_Minh" in notes[notes["rule"] == "time zone assumed"]["reason"].iloc[0]
    )
    assert set(utc["account"]) == {"LOK"}  # from "... - LOK - 2017-10-22"
    assert set(load(real["xlsx"], account="LOK Vietnam").data["account"]) == {"LOK Vietnam"}


def test_load_dir_keeps_one_copy_of_each_post(real):
    ds = load_dir(real["xls"].parent)
    assert len(ds.posts) == 12 and ds.posts["post_id"].is_unique
    assert (ds.report.to_frame()["action"] == "deduplicated").sum() == 12


# -- hand-made SpreadsheetML: API ids, ss:Index, MergeAcross, overlapping exports ---------------
def test_api_id_headers_index_and_merge_across():
    report = CleaningReport()
    data = facebook_insights.read(EARLY, report).set_index("post_id")
    assert data.index.tolist() == ["901_1001", "901_1002", "901_1003"]
    # 901_1001: the message cell is skipped with ss:Index="4": no text, type still Photo
    assert pd.isna(data.loc["901_1001", "text"]) and data.loc["901_1001", "content_type"] == "photo"
    # 901_1002: the message spans two columns (MergeAcross), so the Type cell is empty and
    # created_time still lands in its own column; <B> markup inside Data is text
    assert data.loc["901_1002", "text"] == "Spring sale & more"
    assert pd.isna(data.loc["901_1002", "content_type"])
    assert data.loc["901_1002", "published_at"] == pd.Timestamp("2024-02-25 18:00", tz="UTC")
    assert data.loc["901_1002", ["reach", "impressions", "clicks"]].tolist() == [5400, 9000, 410]
    assert data.loc["901_1002", "paid"] and not data.loc["901_1001", "paid"]
    # Row ss:Index="7": the third post is on row 7 of the sheet
    assert data.loc["901_1003", "source_row"] == 7
    # stories: 901_1002 has no share cell (0); 901_1003 has no stories row at all (unknown)
    assert data.loc["901_1001", ["likes", "comments", "shares"]].tolist() == [57, 9, 4]
    assert data.loc["901_1002", ["likes", "comments", "shares"]].tolist() == [230, 31, 0]
    assert data.loc["901_1003", ["likes", "comments", "shares"]].isna().all()
    entries = report.to_frame().set_index("rule")
    assert entries.loc["no stories row", "row"] == 7
    assert "unknown, not zero" in entries.loc["no stories row", "reason"]
    assert entries.loc["stories row without post", "original"] == "901_0999"


def test_overlapping_exports_keep_the_latest():
    assert facebook_insights.exported_at(EARLY) == pd.Timestamp("2024-03-01")
    assert facebook_insights.exported_at(LATE) == pd.Timestamp("2024-03-15")
    ds = load_dir(OVERLAP)
    posts = ds.posts.set_index("post_id")
    assert sorted(posts.index) == ["901_1001", "901_1002", "901_1003", "901_1004"]
    # 901_1002 is in both: the 2024-03-15 export's numbers win
    assert posts.loc["901_1002", ["reach", "likes", "shares"]].tolist() == [6100, 260, 2]
    assert posts.loc["901_1002", "source_file"] == LATE.name
    dedup = ds.report.to_frame().query("action == 'deduplicated'")
    assert dedup["file"].tolist() == [EARLY.name] and dedup["row"].tolist() == [4]
    bal = ds.report.balance().set_index("file")
    assert bal.loc[EARLY.name].tolist() == [3, 2, 1]
    assert bal.loc[LATE.name].tolist() == [2, 2, 0]


# -- broken files -----------------------------------------------------------------------------
def test_truncated_xml_names_the_file_and_where(real, tmp_path):
    raw = real["xls"].read_bytes()
    cut = raw.index(b"<Row", raw.index(b'Name="Key Metrics"'))
    cut = raw.index(b"<Row", cut + 1)
    cut = raw.index(b"<Row", cut + 1) + 200  # inside the third row of Key Metrics
    path = tmp_path / f"{NAME}.xls"
    path.write_bytes(raw[:cut])
    assert sniff(path) is facebook_insights  # still recognised: the head is intact
    with pytest.raises(RoiInputError) as err:
        load(path)
    msg = str(err.value)
    assert msg.startswith(f"{NAME}.xls: the XML is cut off or broken at line")
    assert "last complete row read was row 2 of sheet 'Key Metrics'" in msg


def test_missing_key_metrics_sheet(real, tmp_path):
    xml = real["xls"].read_bytes().replace(b'ss:Name="Key Metrics"', b'ss:Name="Summary"')
    path = tmp_path / "insights.xls"
    path.write_bytes(xml)
    with pytest.raises(RoiInputError) as err:
        load(path, source="facebook_insights")
    msg = str(err.value)
    assert "insights.xls: no 'Key Metrics' sheet" in msg and "'Summary'" in msg
    book = openpyxl.Workbook()
    book.active.title = "Page data"
    book.active.append(["Date", "Lifetime Total Likes"])
    book.save(tmp_path / "page.xlsx")
    assert not facebook_insights.sniff(tmp_path / "page.xlsx", "")
    with pytest.raises(RoiInputError, match=r"page\.xlsx: no 'Key Metrics' sheet.*'Page data'"):
        load(tmp_path / "page.xlsx", source="facebook_insights")


def test_key_metrics_without_post_id(tmp_path):
    xml = EARLY.read_text().replace(">post_id<", ">identifier<")
    path = tmp_path / "x.xls"
    path.write_text(xml)
    with pytest.raises(RoiInputError) as err:
        load(path, source="facebook_insights")
    assert err.value.rows == [1] and "no Post ID column" in str(err.value)


def test_empty_and_non_workbook_files(tmp_path):
    empty = tmp_path / "a.xls"
    empty.write_bytes(b"")
    with pytest.raises(RoiInputError, match="empty"):
        load(empty, source="facebook_insights")
    other = tmp_path / "b.xls"
    other.write_text("<?xml version='1.0'?><html><body/></html>")
    assert not facebook_insights.sniff(other, other.read_text())
    with pytest.raises(RoiInputError, match="SpreadsheetML"):
        load(other, source="facebook_insights")
    broken = tmp_path / "c.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(RoiInputError, match="could not be opened"):
        load(broken, source="facebook_insights")


def test_no_stories_sheet_means_unknown_counts(tmp_path):
    text = EARLY.read_text()
    text = text[: text.index('<Worksheet ss:Name="Lifetime Post Stories')] + "</Workbook>\n"
    path = tmp_path / "no stories - ACME - 2024-03-01.xls"
    path.write_text(text)
    res = load(path)
    assert res.data[["likes", "comments", "shares"]].isna().all().all()
    assert "no stories sheet" in set(res.report.to_frame()["rule"])


# -- UCI layout ---------------------------------------------------------------------------------
def test_uci_fixture_against_the_csv_module():
    with open(UCI, newline="") as fh:
        raw = list(csv.reader(fh, delimiter=";"))
    header, rows = raw[0], raw[1:]
    assert header == facebook_uci.HEADER and len(rows) == 15
    res = load(UCI)
    assert (res.kind, res.source) == ("posts", "facebook_uci")
    data = res.data
    bal = res.report.balance().iloc[0]
    assert bal["rows_read"] == len(rows) == len(data) == bal["rows_kept"]
    assert data["post_id"].tolist() == [f"uci-uci_facebook_metrics-{i}" for i in range(2, 17)]
    col = {h: i for i, h in enumerate(header)}

    def ints(name: str) -> list:
        return [int(r[col[name]]) if r[col[name]] else None for r in rows]

    def got(c: str) -> list:
        return [None if pd.isna(v) else int(v) for v in data[c]]

    assert got("followers") == ints("Page total likes")
    assert got("reach") == ints("Lifetime Post Total Reach")
    assert got("impressions") == ints("Lifetime Post Total Impressions")
    assert got("likes") == ints("like")
    assert got("comments") == ints("comment")
    assert got("shares") == ints("share")
    assert got("clicks") == ints("Lifetime Post Consumptions")
    assert got("post_weekday") == ints("Post Weekday")
    assert got("post_hour") == ints("Post Hour")
    # empty cells are unknown, not zero: like on row 9, share on rows 6 and 12, Paid on row 6
    assert data.set_index("source_row")["likes"].isna().pipe(lambda s: s[s].index.tolist()) == [9]
    assert data.set_index("source_row")["shares"].isna().pipe(lambda s: s[s].index.tolist()) == [
        6,
        12,
    ]
    assert data["paid"].isna().tolist() == [r[col["Paid"]] == "" for r in rows]
    assert data["paid"].sum() == sum(r[col["Paid"]] == "1" for r in rows) == 4
    assert data["published_at"].isna().all()
    assert set(data["account"]) == {"uci_facebook_metrics"}
    assert data["content_type"].tolist()[:4] == ["photo", "status", "photo", "link"]
    rules = set(res.report.to_frame()["rule"])
    assert {"ids and dates derived", "account from file name"} <= rules


def test_uci_options_and_weekday_codes():
    res = load(UCI, account="cosmetics brand", id_prefix="cb2014")
    assert set(res.data["account"]) == {"cosmetics brand"}
    assert res.data["post_id"].iloc[0] == "cb2014-uci_facebook_metrics-2"
    assert "account from file name" not in set(res.report.to_frame()["rule"])
    # 1 = Sunday ... 7 = Saturday: in the real data set, the first posts of December 2014
    # (Monday the 1st) carry 2 and the last of November (Sunday the 30th) carry 1.
    assert facebook_uci.WEEKDAYS[2] == "Monday" and facebook_uci.WEEKDAYS[1] == "Sunday"


def test_uci_total_interactions_checked(tmp_path):
    text = UCI.read_text().splitlines()
    text[3] = text[3].rsplit(";", 1)[0] + ";999"  # row 4: 12 + 430 + 41 = 483, not 999
    path = tmp_path / "uci.csv"
    path.write_text("\n".join(text) + "\n")
    entries = load(path).report.to_frame().set_index("rule")
    assert entries.loc["total interactions differ", "row"] == 4
    assert entries.loc["total interactions differ", "original"] == "999"
    assert entries.loc["total interactions differ", "value"] == "483"


def test_uci_wrong_separator_and_broken_rows(tmp_path):
    commas = tmp_path / "commas.csv"
    commas.write_text(UCI.read_text().replace(";", ","))
    with pytest.raises(RoiInputError, match="not a format the kit recognises"):
        load(commas)
    with pytest.raises(RoiInputError) as err:
        load(commas, source="facebook_uci")
    msg = str(err.value)
    assert "commas.csv" in msg and "row 1" in msg and "separated by ','" in msg
    short = tmp_path / "short.csv"
    short.write_text(UCI.read_text() + "52170;Photo;2;10\n")
    res = load(short)
    bal = res.report.balance().iloc[0]
    assert (bal["rows_read"], bal["rows_kept"], bal["rows_set_aside"]) == (16, 15, 1)
    assert res.report.to_frame().query("action == 'set aside'")["row"].tolist() == [17]
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(RoiInputError, match="empty"):
        load(empty, source="facebook_uci")


def test_sniffers_recognise_each_facebook_format(real, tmp_path):
    assert sniff(real["xls"]) is facebook_insights
    assert sniff(real["xlsx"]) is facebook_insights
    assert sniff(EARLY) is facebook_insights
    assert sniff(UCI) is facebook_uci
    copy = tmp_path / "posts.txt"
    copy.write_text(UCI.read_text())
    assert sniff(copy) is facebook_uci


def test_times_written_with_an_offset_are_not_relocalised(tmp_path):
    text = EARLY.read_text().replace(
        '<Data ss:Type="DateTime">2024-02-20T09:15:00.000</Data>',
        '<Data ss:Type="String">2024-02-20T09:15:00+0100</Data>',
    )
    path = tmp_path / "api - ACME - 2024-03-01.xls"
    path.write_text(text)
    data = load(path, tz="America/New_York").data.set_index("post_id")
    # +01:00 is kept as written (08:15 UTC); the naive ones are New York time (UTC-5 in Feb)
    assert data.loc["901_1001", "published_at"] == pd.Timestamp("2024-02-20 08:15", tz="UTC")
    assert data.loc["901_1002", "published_at"] == pd.Timestamp("2024-02-25 23:00", tz="UTC")


def test_binary_excel_97_is_refused_with_advice(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(RoiInputError, match=r"old\.xls: is a binary Excel 97-2003 workbook"):
        load(path, source="facebook_insights")


def test_two_uci_files_of_different_pages_keep_all_their_posts(tmp_path):
    for name in ("brand_a.csv", "brand_b.csv"):
        (tmp_path / name).write_bytes(UCI.read_bytes())
    with open(UCI, newline="") as fh:
        n = len(list(csv.reader(fh, delimiter=";"))) - 1
    ds = load_dir(tmp_path)
    assert ds.posts.groupby("account").size().to_dict() == {"brand_a": n, "brand_b": n}
    assert ds.posts["post_id"].is_unique
    assert ds.posts["post_id"].tolist()[:2] == ["uci-brand_a-2", "uci-brand_a-3"]
    assert not (ds.report.to_frame()["action"] == "deduplicated").any()
    # in sub-folders, two files of the same name stay apart too
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for sub in ("a", "b"):
        (tmp_path / sub / "dataset_Facebook.csv").write_bytes(UCI.read_bytes())
    ds = load_dir(tmp_path)
    assert len(ds.posts) == 4 * n and ds.posts["post_id"].is_unique
