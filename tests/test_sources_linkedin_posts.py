"""LinkedIn page post analytics (the 'All posts' sheet) -> the posts table.

There is no real export of this sheet in ../shared/data, so the fixture is hand-made in
LinkedIn's layout (a title line above the header, ``01/28/2025`` dates, ``-`` for counts
that do not apply, a ``1,234``, an ``8.5%``, an encoded URN, a short link, a post with no
link, an impossible date, a post listed twice). Expected values are worked out here from
the raw rows read with the csv module and the ``re`` module, never from the reader. The
``.xlsx`` variants are written from the same rows with openpyxl (numbers as numbers, some
dates as Excel dates) and must load to the same table.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pandas as pd
import pytest

from roi_helpers import RoiInputError, load, load_dir
from roi_helpers.engagement import add_followers_at_post
from roi_helpers.sources import linkedin_posts
from roi_helpers.sources._common import read_head

FIXTURES = Path(__file__).parent / "fixtures" / "linkedin_posts"
CSV = FIXTURES / "acme-analytics_content_1743465600000.csv"
PAGE = "acme-analytics"
COUNTS = {
    "impressions": "Impressions",
    "video_views": "Views (excluding off-site video views)",
    "clicks": "Clicks",
    "likes": "Likes",
    "comments": "Comments",
    "shares": "Reposts",
    "li_follows": "Follows",
    "li_offsite_views": "Off-site views",
}


# -- the raw file, read independently ---------------------------------------------------------
def raw_sheet(path: Path = CSV) -> tuple[str, list[str], list[dict[str, str]]]:
    """Title line, header and rows (each with ``_row``, its line number in the file)."""
    with open(path, encoding="utf-8", newline="") as fh:
        lines = list(csv.reader(fh))
    title, header = lines[0][0], lines[1]
    rows = [dict(zip(header, r, strict=True)) | {"_row": i} for i, r in enumerate(lines[2:], 3)]
    return title, header, rows


def count(text: str) -> int | None:
    text = text.replace(",", "").strip()
    return int(text) if text.isdigit() else None


def rate(text: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    return float(text[:-1]) / 100 if text.endswith("%") else float(text)


def urn(link: str) -> str:
    found = re.search(r"urn(?::|%3A)li(?::|%3A)(activity|share|ugcPost)(?::|%3A)(\d+)", link)
    return f"urn:li:{found.group(1)}:{found.group(2)}" if found else link


def when(text: str, tz: str = "UTC") -> datetime | None:
    for fmt in ("%m/%d/%Y", "%m/%d/%Y %H:%M"):
        try:
            local = datetime.strptime(text, fmt).replace(tzinfo=ZoneInfo(tz))
        except ValueError:
            continue
        return local.astimezone(UTC)
    return None


def expected(rows: list[dict[str, str]]) -> dict[str, dict[str, object]]:
    """Each kept post by id: the last row of a repeated post wins, rows without a link go."""
    out: dict[str, dict[str, object]] = {}
    for r in rows:
        if not r["Post link"]:
            continue
        pid = urn(r["Post link"])
        out.pop(pid, None)  # a later row replaces an earlier one, and takes its place last
        kind = r["Content Type"].lower() or None
        known = bool(r["Post type"] or r["Audience"])
        sponsored = "Sponsored" in (r["Post type"] + r["Audience"])
        out[pid] = {
            "source_row": r["_row"],
            "text": r["Post title"],
            "url": r["Post link"],
            "content_type": kind,
            "paid": sponsored if known else None,
            "published_at": when(r["Created date"]),
            "li_engagement_rate": rate(r["Engagement rate"]),
            "li_ctr": rate(r["Click through rate (CTR)"]),
            "li_posted_by": r["Posted by"],
        } | {col: count(r[name]) for col, name in COUNTS.items()}
    return out


def same(got: object, want: object) -> bool:
    if want is None:
        return pd.isna(got)
    if isinstance(want, float):
        return abs(float(got) - want) < 1e-12
    if isinstance(want, datetime):
        return pd.Timestamp(got) == pd.Timestamp(want)
    return got == want


def check_against_raw(data: pd.DataFrame, rows: list[dict[str, str]]) -> None:
    want = expected(rows)
    assert sorted(data["post_id"]) == sorted(want)
    for post in data.to_dict("records"):
        for column, value in want[post["post_id"]].items():
            assert same(post[column], value), (post["post_id"], column, post[column], value)
    assert set(data["platform"]) == {"linkedin"} and set(data["account"]) == {PAGE}


# -- workbooks written from the same rows --------------------------------------------------------
def _cell(column: str, text: str, row: int) -> object:
    """The value as a spreadsheet would hold it: numbers as numbers, some dates as dates."""
    if text == "":
        return None
    if column in COUNTS.values() and count(text) is not None:
        return count(text)
    if column in ("Engagement rate", "Click through rate (CTR)") and not text.endswith("%"):
        return float(text)
    if column == "Created date" and row % 2 and when(text) is not None:
        return when(text).replace(tzinfo=None)  # an Excel date cell on every other row
    return text


def write_workbook(
    path: Path,
    *,
    sheet: str = "All posts",
    header: list[str] | None = None,
    rows: list[dict[str, str]] | None = None,
    rename: dict[str, str] | None = None,
    metrics_first: bool = True,
    title: bool = True,
) -> Path:
    title_text, raw_header, raw_rows = raw_sheet()
    header = header or raw_header
    rows = raw_rows if rows is None else rows
    book = openpyxl.Workbook()
    book.remove(book.active)
    if metrics_first:
        metrics = book.create_sheet("Metrics")
        metrics.append(["Aggregated metrics for the selected period"])
        metrics.append(["Date", "Impressions (organic)", "Impressions (total)", "Clicks (total)"])
        metrics.append(["01/07/2025", 900, 900, 40])
    posts = book.create_sheet(sheet)
    if title:
        posts.append([title_text])
    posts.append([(rename or {}).get(h, h) for h in header])
    for r in rows:
        posts.append([_cell(h, r[h], r["_row"]) for h in header])
    book.save(path)
    return path


# -- values and row accounting -----------------------------------------------------------------
def test_csv_values_match_the_raw_rows():
    _, _, rows = raw_sheet()
    res = load(CSV)
    assert (res.source, res.kind) == ("linkedin_posts", "posts")
    check_against_raw(res.data, rows)
    assert len(res.data) == 10  # 12 rows: one without a link, one repeated


def test_every_row_is_accounted_for():
    _, _, rows = raw_sheet()
    res = load(CSV)
    bal = res.report.balance().iloc[0]
    assert bal["rows_read"] == len(rows) == 12
    assert bal["rows_read"] == bal["rows_kept"] + bal["rows_set_aside"]
    assert bal["rows_kept"] == len(res.data)
    entries = res.report.to_frame()
    gone = entries[entries["action"].isin(["set aside", "deduplicated"])]
    no_link = [r["_row"] for r in rows if not r["Post link"]]
    links = [urn(r["Post link"]) for r in rows]
    repeated = [
        r["_row"]
        for i, r in enumerate(rows)
        if r["Post link"] and urn(r["Post link"]) in links[i + 1 :]
    ]
    assert sorted(gone["row"].astype(int)) == sorted(no_link + repeated) == [3, 10]
    aside = res.report.set_aside_frame()
    assert list(aside["Post title"].dropna()) == ["Team offsite recap"]  # original values kept


def test_unreadable_cells_are_recorded_on_their_rows():
    _, _, rows = raw_sheet()
    entries = load(CSV).report.to_frame()
    bad_date = [r["_row"] for r in rows if r["Created date"] and when(r["Created date"]) is None]
    bad_count = [r["_row"] for r in rows if r["Clicks"] and count(r["Clicks"]) is None]
    dates = entries.query("rule == 'unreadable date'")
    numbers = entries.query("rule == 'unreadable number'")
    assert list(dates["row"]) == bad_date == [12] and list(dates["column"]) == ["Created date"]
    assert list(numbers["row"]) == bad_count == [11] and list(numbers["original"]) == ["12x"]
    short = entries.query("rule == 'link without URN'")
    assert list(short["row"]) == [9] and list(short["action"]) == ["coerced"]
    notes = set(entries.loc[entries["row"].isna(), "rule"])
    assert {"time zone assumed", "date without time", "account assumed"} <= notes


def test_paid_and_content_type():
    data = load(CSV).data.set_index("source_row")
    assert data.loc[4, "paid"] and data.loc[4, "li_campaign_name"] == "Q1 webinar push"
    assert data.loc[8, "paid"]  # no post type, but the audience says Sponsored
    assert pd.isna(data.loc[12, "paid"])  # nothing says either way: unknown, not False
    assert not data.loc[5, "paid"]
    assert data.loc[4, "li_campaign_start"] == pd.Timestamp("2025-01-09")
    kinds = data["content_type"].value_counts().to_dict()
    assert kinds == {"image": 2, "document": 2, "video": 2, "text": 1, "poll": 1, "article": 1}
    assert data["content_type"].isna().sum() == 1  # the post with no Content Type


def test_post_type_names_the_content_in_exports_without_content_type(tmp_path):
    title, header, rows = raw_sheet()
    header = [h for h in header if h != "Content Type"]
    rows = [r | {"Post type": "Video"} if r["_row"] == 5 else r for r in rows]
    path = _write_csv(tmp_path / f"{PAGE}_content.csv", header, rows, title=title)
    data = load(path).data.set_index("source_row")
    assert data.loc[5, "content_type"] == "video"  # from Post type
    assert data.loc[8, "content_type"] is pd.NA or pd.isna(data.loc[8, "content_type"])
    assert pd.isna(data.loc[14, "content_type"])  # 'Organic' is not a kind of content


def test_times_are_read_in_the_time_zone_given():
    _, _, rows = raw_sheet()
    data = load(CSV, tz="Europe/Amsterdam").data.set_index("source_row")
    for r in rows:
        got = data["published_at"].get(r["_row"])
        if got is not None and r["Created date"] and when(r["Created date"]):
            assert got == pd.Timestamp(when(r["Created date"], "Europe/Amsterdam"))
    assert data.loc[7, "published_at"] == pd.Timestamp("2025-02-03 13:05", tz="UTC")


def test_time_known_says_which_posts_have_only_a_day():
    _, _, rows = raw_sheet()
    data = load(CSV).data.set_index("source_row")
    for r in rows:
        if r["_row"] not in data.index:
            continue
        known = data.loc[r["_row"], "time_known"]
        if when(r["Created date"]) is None:
            assert pd.isna(known)  # no date at all: unknown
        else:
            assert known == (":" in r["Created date"]), r["_row"]
    assert data["time_known"].sum() == 1


def test_account_from_the_option_or_the_file_name(tmp_path):
    assert set(load(CSV, account="Acme Analytics B.V.").data["account"]) == {"Acme Analytics B.V."}
    title, header, rows = raw_sheet()
    for name in ["acme-analytics_posts.csv", "acme-analytics_content.csv", "acme-analytics.csv"]:
        path = _write_csv(tmp_path / name, header, rows, title=title)
        assert set(load(path).data["account"]) == {PAGE}, name
    assert linkedin_posts.exported_at(CSV) == pd.Timestamp("2025-04-01")
    undated = _write_csv(tmp_path / "acme-analytics_posts.csv", header, rows, title=title)
    assert linkedin_posts.exported_at(undated) == pd.Timestamp("2025-03-04")  # the last post


# -- workbooks -------------------------------------------------------------------------------------
def test_xlsx_with_a_metrics_sheet_loads_the_same_posts(tmp_path):
    _, _, rows = raw_sheet()
    path = write_workbook(tmp_path / CSV.with_suffix(".xlsx").name)
    res = load(path)
    assert (res.source, res.kind) == ("linkedin_posts", "posts")
    check_against_raw(res.data, rows)
    bal = res.report.balance().iloc[0]
    assert (bal["rows_read"], bal["rows_kept"], bal["rows_set_aside"]) == (12, 10, 2)
    csv_data = load(CSV).data.drop(columns="source_file")
    pd.testing.assert_frame_equal(res.data.drop(columns="source_file"), csv_data, check_dtype=False)
    sheet = res.report.to_frame().query("rule == 'sheet'")["reason"].item()
    assert "'All posts'" in sheet and "'Metrics'" in sheet and "linkedin_page" in sheet


def test_older_export_with_update_columns(tmp_path):
    _, header, rows = raw_sheet()
    rename = {
        "Post title": "Update title",
        "Post link": "Update link",
        "Post type": "Update type",
        "Reposts": "Shares",
    }
    path = write_workbook(
        tmp_path / f"{PAGE}_updates_1743465600000.xlsx",
        sheet="Update engagement",
        rename=rename,
        metrics_first=False,
    )
    check_against_raw(load(path).data, rows)


def test_semicolon_csv_resaved_by_a_spreadsheet(tmp_path):
    title, header, rows = raw_sheet()
    path = _write_csv(tmp_path / CSV.name, header, rows, title=title, delimiter=";")
    check_against_raw(load(path).data, rows)


def test_csv_without_the_title_line(tmp_path):
    _, header, rows = raw_sheet()
    path = _write_csv(tmp_path / CSV.name, header, rows)
    data = load(path).data
    check_against_raw(data.assign(source_row=data["source_row"] + 1), rows)  # one line less


def test_followers_at_posting_from_the_page_follower_export(tmp_path):
    """The account read from the file name matches the follower export's: the as-of join works."""
    folder = tmp_path / "page"
    folder.mkdir()
    (folder / CSV.name).write_bytes(CSV.read_bytes())
    days = pd.date_range("2025-01-01", "2025-03-31", freq="D")
    gains = [(i % 5) for i in range(len(days))]
    with open(folder / f"{PAGE}_followers.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Date", "Organic followers", "Total followers", "Cumulative Followers"])
        total = 0
        for day, gain in zip(days, gains, strict=True):
            total += gain
            writer.writerow([f"{day:%Y-%m-%d}", gain, gain, total])
    ds = load_dir(folder)
    assert ds.files["status"].eq("loaded").all()
    posts = add_followers_at_post(ds.posts, ds.followers).set_index("source_row")
    running = dict(zip(days, [sum(gains[: i + 1]) for i in range(len(days))], strict=True))
    for r in raw_sheet()[2]:
        if r["_row"] not in posts.index or when(r["Created date"]) is None:
            continue
        day = pd.Timestamp(when(r["Created date"]).date())
        assert posts.loc[r["_row"], "followers"] == running[day - pd.Timedelta(days=1)]
        assert posts.loc[r["_row"], "followers_source"] == "followers history"


# -- what the reader recognises -------------------------------------------------------------------
def test_sniffing(tmp_path, shared):
    assert linkedin_posts.sniff(CSV, read_head(CSV))
    assert linkedin_posts.sniff(write_workbook(tmp_path / "a.xlsx"), "")
    renamed = write_workbook(tmp_path / "b.xlsx", sheet="Sheet1", metrics_first=False)
    assert linkedin_posts.sniff(renamed, "")  # a renamed sheet, found by its header
    x_content = next((shared / "x_account_analytics").glob("*content*.csv"))
    for other in [
        x_content,
        *sorted((shared / "linkedin_page").glob("*.csv")),
        next((shared / "facebook_insights").glob("*.xlsx")),
    ]:
        assert not linkedin_posts.sniff(other, read_head(other)), other.name
    assert not linkedin_posts.sniff(
        Path("a.csv"), "Post id,Date,Post text,Post Link,Impressions,Likes,Reposts\n"
    )
    book = openpyxl.Workbook()
    book.active.title = "Posts"  # someone's own workbook: not LinkedIn's sheet
    book.active.append(["id", "when", "likes"])
    book.save(tmp_path / "mine.xlsx")
    assert not linkedin_posts.sniff(tmp_path / "mine.xlsx", "")


# -- malformed input ---------------------------------------------------------------------------------
def test_workbook_without_an_all_posts_sheet(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Metrics"
    book.active.append(["Aggregated metrics"])
    book.active.append(["Date", "Impressions (organic)", "Impressions (total)"])
    path = tmp_path / f"{PAGE}_content_1743465600000.xlsx"
    book.save(path)
    with pytest.raises(RoiInputError) as err:
        linkedin_posts.read(path, _report())
    text = str(err.value)
    assert text.startswith(path.name) and "no 'All posts' sheet" in text and "'Metrics'" in text
    assert "source='linkedin_page'" in text


def test_missing_column_names_file_row_and_column(tmp_path):
    _, header, rows = raw_sheet()
    header = [h for h in header if h != "Impressions"]
    path = write_workbook(tmp_path / "posts.xlsx", header=header)
    with pytest.raises(RoiInputError) as err:
        load(path, source="linkedin_posts")
    assert err.value.path.name == "posts.xlsx"
    assert err.value.rows == [2] and err.value.column == "Impressions"
    assert "'Post link'" in str(err.value)  # the header seen is listed
    csv_path = _write_csv(tmp_path / "posts.csv", header, rows, title="All posts")
    with pytest.raises(RoiInputError, match=r"posts\.csv: row 2, column 'Impressions'"):
        load(csv_path, source="linkedin_posts")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_empty_file(tmp_path, suffix):
    path = tmp_path / f"posts{suffix}"
    path.write_bytes(b"")
    with pytest.raises(RoiInputError, match="empty"):
        linkedin_posts.read(path, _report())
    with pytest.raises(RoiInputError, match="empty"):
        load(path, source="linkedin_posts")


def test_empty_sheet_and_header_only_sheet(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "All posts"
    empty = tmp_path / "empty.xlsx"
    book.save(empty)
    with pytest.raises(RoiInputError, match="'All posts' is empty"):
        load(empty)
    header_only = write_workbook(tmp_path / "quiet.xlsx", rows=[])
    res = load(header_only)
    assert len(res.data) == 0 and "no posts" in set(res.report.to_frame()["rule"])


def test_a_damaged_workbook_says_so(tmp_path):
    whole = write_workbook(tmp_path / "whole.xlsx").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    assert not zipfile.is_zipfile(path)
    with pytest.raises(RoiInputError, match="could not be opened as an Excel workbook"):
        linkedin_posts.read(path, _report())


def test_reading_does_not_touch_the_file():
    before = CSV.read_bytes()
    load(CSV)
    assert CSV.read_bytes() == before


# -- helpers ------------------------------------------------------------------------------------------
def _report():
    from roi_helpers import CleaningReport

    return CleaningReport()


def _write_csv(path, header, rows, title=None, delimiter=","):
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    if title is not None:
        writer.writerow([title])
    writer.writerow(header)
    writer.writerows([[r[h] for h in header] for r in rows])
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path
