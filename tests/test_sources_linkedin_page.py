"""LinkedIn page exports: daily content metrics (page_daily) and follower metrics (followers).

Expected values are read from the raw files with the csv module; variants in LinkedIn's own
raw-export layout (a description line above the header, month-first dates, older column
names, an .xlsx workbook) are written from the same rows and must load to the same values.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pandas as pd
import pytest

from roi_helpers import RoiInputError, load, load_dir
from roi_helpers.sources import linkedin_followers, linkedin_page

CONTENT = "women_in_ai_usa_clean.csv"
FOLLOWERS = "women_in_ai_usa_followers.csv"


def raw_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def write_rows(path, header, rows, delimiter=",", encoding="utf-8", preamble=None):
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    if preamble is not None:
        writer.writerow([preamble])
    writer.writerow(header)
    writer.writerows([[r[h] for h in header] for r in rows])
    path.write_text(buf.getvalue(), encoding=encoding)
    return path


@pytest.fixture(scope="module")
def content(shared):
    path = shared / "linkedin_page" / CONTENT
    return (path, *raw_rows(path))


@pytest.fixture(scope="module")
def followers(shared):
    path = shared / "linkedin_page" / FOLLOWERS
    return (path, *raw_rows(path))


# -- content metrics -> page_daily ----------------------------------------------------------------
_MAP = {
    "impressions": "Impressions (total)",
    "reach": "Unique impressions (organic)",
    "clicks": "Clicks (total)",
    "likes": "Reactions (total)",
    "comments": "Comments (total)",
    "shares": "Reposts (total)",
    "impressions_organic": "Impressions (organic)",
    "impressions_sponsored": "Impressions (sponsored)",
    "likes_organic": "Reactions (organic)",
    "shares_sponsored": "Reposts (sponsored)",
    "clicks_organic": "Clicks (organic)",
    "linkedin_engagements": "Total Engagement",
}


def test_every_day_matches_the_raw_file(content):
    path, _, rows = content
    res = load(path)
    assert (res.source, res.kind) == ("linkedin_page", "page_daily")
    data = res.data
    assert len(data) == len(rows) == 365
    bal = res.report.balance().iloc[0]
    assert bal["rows_read"] == 365 == bal["rows_kept"] + bal["rows_set_aside"]
    assert set(data["account"]) == {"women_in_ai_usa"} and set(data["platform"]) == {"linkedin"}
    for got, raw in zip(data.to_dict("records"), rows, strict=True):
        assert got["date"] == pd.Timestamp(raw["Date"])
        for column, name in _MAP.items():
            assert got[column] == int(raw[name]), (raw["Date"], column)
        assert got["engagement_rate"] == float(raw["Engagement rate (total)"])
        assert got["engagement_rate_organic"] == float(raw["Engagement rate (organic)"])


def test_engagement_rate_is_linkedins_own_which_counts_clicks(content):
    data = load(content[0]).data
    with_clicks = (data["clicks"] + data["likes"] + data["comments"] + data["shares"]) / data[
        "impressions"
    ]
    seen = data["impressions"] > 0
    assert (with_clicks[seen] - data.loc[seen, "engagement_rate"]).abs().max() < 1e-9
    without = (data["likes"] + data["comments"] + data["shares"]) / data["impressions"]
    assert (without[seen] < data.loc[seen, "engagement_rate"]).mean() > 0.9


def test_negative_corrections_are_kept_and_flagged_on_their_rows(content):
    path, _, rows = content
    res = load(path)
    negative = {
        (i + 2, column)
        for i, r in enumerate(rows)
        for column, name in _MAP.items()
        if column in ("likes", "comments", "shares", "clicks", "impressions", "reach")
        and int(r[name]) < 0
    }
    assert {row for row, _ in negative} == {114, 118, 138, 192, 243, 330}
    flags = res.report.to_frame().query("rule == 'negative count'")
    assert set(zip(flags["row"], flags["column"], strict=True)) == negative
    assert (flags["action"] == "flagged").all()
    kept = res.data.set_index("source_row")
    assert kept.loc[243, "comments"] == -2 and kept.loc[114, "shares"] == -1


def test_account_option_and_file_name(content, tmp_path):
    path, header, rows = content
    assert set(load(path, account="WAI USA").data["account"]) == {"WAI USA"}
    raw_name = write_rows(tmp_path / "womeninaiusa_content_1738368000000.csv", header, rows[:3])
    res = load(raw_name)
    assert set(res.data["account"]) == {"womeninaiusa"}
    assert res.exported_at == pd.Timestamp("2025-02-01")  # LinkedIn's epoch milliseconds
    assert load(path).exported_at == pd.Timestamp(rows[-1]["Date"])  # the last day covered


def _linkedin_raw_layout(rows, header):
    """The same days as LinkedIn's own export writes them: US dates and older names."""
    renames = {
        "Reposts (organic)": "Shares (organic)",
        "Reposts (sponsored)": "Shares (sponsored)",
        "Reposts (total)": "Shares (total)",
    }
    out = []
    for r in rows:
        new = {renames.get(k, k): v for k, v in r.items()}
        new["Date"] = datetime.strptime(r["Date"], "%Y-%m-%d").strftime("%m/%d/%Y")
        out.append(new)
    new_header = [renames.get(h, h) for h in header if h != "Total Engagement"]
    return new_header, out


def test_linkedin_raw_export_layout_loads_to_the_same_values(content, tmp_path):
    path, header, rows = content
    new_header, variant = _linkedin_raw_layout(rows, header)
    raw = write_rows(
        tmp_path / "women_in_ai_usa_content_1769558400000.csv",
        new_header,
        variant,
        preamble="Aggregated daily metrics for the page's updates",
    )
    a, b = load(path).data, load(raw).data
    columns = [
        c for c in a.columns if c not in ("source_file", "source_row", "linkedin_engagements")
    ]
    pd.testing.assert_frame_equal(a[columns], b[columns])
    assert (b["source_row"] == a["source_row"] + 1).all()  # the description line is row 1


def test_xlsx_workbook_loads_to_the_same_values(content, tmp_path):
    path, header, rows = content
    new_header, variant = _linkedin_raw_layout(rows[:40], header)
    book = tmp_path / "women_in_ai_usa_content_1769558400000.xlsx"
    frame = pd.DataFrame(variant, columns=new_header)
    for column in new_header[1:]:
        frame[column] = pd.to_numeric(frame[column])
    with pd.ExcelWriter(book) as xl:
        pd.DataFrame({"about": ["Notes"]}).to_excel(xl, sheet_name="About", index=False)
        frame.to_excel(xl, sheet_name="Metrics", index=False, startrow=1)
    res = load(book)
    assert (res.source, len(res.data)) == ("linkedin_page", 40)
    a = load(path).data.iloc[:40]
    for column in ["date", "impressions", "reach", "likes", "shares", "engagement_rate"]:
        assert a[column].tolist() == res.data[column].tolist(), column
    assert res.data["source_row"].tolist() == list(range(3, 43))  # header on the sheet's row 2


def test_organic_only_export_says_what_stands_in(tmp_path):
    path = tmp_path / "acme_content.csv"
    path.write_text(
        "Date,Impressions (organic),Unique impressions (organic),Clicks (organic),"
        "Reactions (organic),Comments (organic),Reposts (organic)\n2025-03-01,100,60,5,4,3,2\n"
    )
    res = load(path)
    got = res.data.iloc[0]
    assert (got["impressions"], got["reach"], got["likes"], got["shares"]) == (100, 60, 4, 2)
    assert "organic only" in set(res.report.to_frame()["rule"])


def test_overlapping_page_exports_keep_the_later_one(content, tmp_path):
    _, header, rows = content
    older, newer = "acme_content_1738368000000.csv", "acme_content_1740787200000.csv"
    write_rows(tmp_path / older, header, rows[:40])
    write_rows(tmp_path / newer, header, [r | {"Impressions (total)": "7"} for r in rows[30:60]])
    ds = load_dir(tmp_path)
    daily = ds.page_daily
    assert len(daily) == 60 and int((daily["impressions"] == 7).sum()) == 30
    dropped = ds.report.to_frame().query("action == 'deduplicated'")
    assert set(dropped["file"]) == {older} and sorted(dropped["row"]) == list(range(32, 42))


# -- follower metrics -> followers ----------------------------------------------------------------
def test_followers_are_the_running_total_and_gains_are_total_followers(followers):
    path, _, rows = followers
    res = load(path)
    assert (res.source, res.kind) == ("linkedin_followers", "followers")
    data = res.data
    assert len(data) == len(rows) == 365
    bal = res.report.balance().iloc[0]
    assert bal["rows_read"] == 365 == bal["rows_kept"] + bal["rows_set_aside"]
    for got, raw in zip(data.to_dict("records"), rows, strict=True):
        assert got["date"] == pd.Timestamp(raw["Date"])
        assert got["followers"] == int(raw["Cumulative Followers"])
        assert got["new_followers"] == int(raw["Total followers"])  # a daily gain
        assert got["organic_followers"] == int(raw["Organic followers"])
        assert got["sponsored_followers"] == int(raw["Sponsored followers"])
        assert got["auto_invited_followers"] == int(raw["Auto-invited followers"])
        assert got["followers_7d_avg"] == float(raw["Followers 7d Avg"])
    # the running total is the sum of the gains: checked here by hand, and by the reader
    gains = [int(r["Total followers"]) for r in rows]
    assert data["followers"].iloc[-1] == sum(gains) == 2200
    assert "running total disagrees" not in set(res.report.to_frame()["rule"])
    assert "followers counted from the first day" in set(res.report.to_frame()["rule"])


def test_negative_daily_gains_are_flagged_on_their_rows(followers):
    path, _, rows = followers
    negative = [i + 2 for i, r in enumerate(rows) if int(r["Total followers"]) < 0]
    assert negative == [52, 161, 278]
    flags = load(path).report.to_frame().query("rule == 'negative count'")
    assert sorted(flags.loc[flags["column"] == "new_followers", "row"]) == negative


def test_a_running_total_that_disagrees_is_flagged(followers, tmp_path):
    _, header, rows = followers
    rows = [dict(r) for r in rows[:10]]
    rows[4]["Cumulative Followers"] = str(int(rows[4]["Cumulative Followers"]) + 50)
    res = load(write_rows(tmp_path / FOLLOWERS, header, rows))
    flags = res.report.to_frame().query("rule == 'running total disagrees'")
    # day 5 does not follow from day 4, and day 6 does not follow from day 5
    assert sorted(flags["row"]) == [6, 7]
    assert res.data["followers"].iloc[4] == int(rows[4]["Cumulative Followers"])  # kept


def test_linkedin_own_follower_export_has_no_total(followers, tmp_path):
    _, header, rows = followers
    raw_header = [
        "Date",
        "Sponsored followers",
        "Organic followers",
        "Auto-invited followers",
        "Total followers",
    ]
    variant = [
        r | {"Date": datetime.strptime(r["Date"], "%Y-%m-%d").strftime("%m/%d/%Y")} for r in rows
    ]
    path = write_rows(tmp_path / "womeninaiusa_followers_1770422400000.csv", raw_header, variant)
    res = load(path)
    assert res.source == "linkedin_followers" and res.data["followers"].isna().all()
    assert res.data["new_followers"].tolist() == [int(r["Total followers"]) for r in rows]
    assert res.data["date"].iloc[0] == pd.Timestamp(rows[0]["Date"])
    assert "followers unknown" in set(res.report.to_frame()["rule"])


# -- broken files, both formats ---------------------------------------------------------------------
FORMATS = {  # the column, and every split of it, taken out (organic stands in for a total)
    "linkedin_page": (CONTENT, "Reactions (total)"),
    "linkedin_followers": (FOLLOWERS, "Total followers"),
}


@pytest.fixture(params=list(FORMATS))
def real(request, shared):
    name = request.param
    file, required = FORMATS[name]
    return name, shared / "linkedin_page" / file, required


def test_utf16_re_encoding_loads_the_same(real, tmp_path):
    _, path, _ = real
    copy = tmp_path / path.name
    copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-16")
    pd.testing.assert_frame_equal(load(path).data, load(copy).data)


def test_truncated_inside_a_quoted_value(real, tmp_path):
    _, path, _ = real
    broken = tmp_path / path.name
    broken.write_text(path.read_text(encoding="utf-8") + '2026-02-08,"12')
    with pytest.raises(RoiInputError, match="truncated") as err:
        load(broken)
    assert path.name in str(err.value)


def test_truncated_last_row_is_set_aside_not_lost(real, tmp_path):
    name, path, _ = real
    header, rows = raw_rows(path)
    text = path.read_text(encoding="utf-8").rstrip("\n")
    last = text.rsplit("\n", 1)[1]
    broken = tmp_path / path.name
    broken.write_text(text[: len(text) - len(last)] + ",".join(last.split(",")[:3]) + "\n")
    res = load(broken)
    assert res.source == name
    bal = res.report.balance().iloc[0]
    assert (bal["rows_read"], bal["rows_kept"], bal["rows_set_aside"]) == (
        len(rows),
        len(rows) - 1,
        1,
    )
    aside = res.report.to_frame().query("action == 'set aside'")
    assert aside["row"].tolist() == [len(rows) + 1]
    assert f"has 3 fields where the header has {len(header)}" in aside["reason"].iloc[0]


def test_missing_required_column_names_file_column_and_header(real, tmp_path):
    name, path, required = real
    header, rows = raw_rows(path)
    kept = [h for h in header if not h.startswith(required.split(" (")[0])]
    broken = write_rows(tmp_path / path.name, kept, rows)
    with pytest.raises(RoiInputError) as err:
        load(broken, source=name)
    msg = str(err.value)
    assert path.name in msg and repr(required) in msg and err.value.column == required
    assert all(repr(h) in msg for h in kept[:4])


def test_wrong_separator_says_which(real, tmp_path):
    name, path, _ = real
    header, rows = raw_rows(path)
    broken = write_rows(tmp_path / path.name, header, rows, delimiter="\t")
    with pytest.raises(RoiInputError, match="separated by '\\\\t'") as err:
        load(broken)
    assert path.name in str(err.value)


def test_empty_file(real, tmp_path):
    name, path, _ = real
    empty = tmp_path / path.name
    empty.write_bytes(b"")
    with pytest.raises(RoiInputError, match="empty"):
        load(empty, source=name)


def test_unreadable_date_is_recorded_and_the_row_set_aside(real, tmp_path):
    name, path, _ = real
    header, rows = raw_rows(path)
    rows = [dict(r) for r in rows[:5]]
    rows[3]["Date"] = "sometime"
    res = load(write_rows(tmp_path / path.name, header, rows))
    entries = res.report.to_frame()
    assert entries.query("rule == 'unreadable date'")["row"].tolist() == [5]
    assert entries.query("action == 'set aside'")["row"].tolist() == [5]  # no date: unusable
    bal = res.report.balance().iloc[0]
    assert (bal["rows_read"], bal["rows_kept"]) == (5, 4) and len(res.data) == 4


def test_sniffers_tell_the_two_apart():
    page = (
        "Date,Impressions (organic),Impressions (sponsored),Impressions (total),Reactions (total)\n"
    )
    fol = "Date,Sponsored followers,Organic followers,Auto-invited followers,Total followers\n"
    assert linkedin_page.sniff(None, page) and not linkedin_page.sniff(None, fol)
    assert linkedin_followers.sniff(None, fol) and not linkedin_followers.sniff(None, page)
    described = "Aggregated metrics\n" + page  # LinkedIn's description line above the header
    assert linkedin_page.sniff(None, described)
    assert not linkedin_page.sniff(None, "Date,Impressions,Likes\n")


@pytest.mark.parametrize("kind", ["content", "followers"])
def test_an_excel_file_that_cannot_be_opened_says_what_to_do(tmp_path, kind):
    path = tmp_path / f"acme_{kind}_1738368000000.xls"
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000)
    )  # an OLE2 header, no workbook
    with pytest.raises(RoiInputError) as err:
        load(path)
    msg = str(err.value)
    assert path.name in msg and "Excel" in msg
    ds = load_dir(tmp_path)
    assert ds.files["status"].tolist() == ["failed"]  # listed as broken, not silently skipped


def test_the_metrics_sheet_of_a_workbook_that_also_holds_posts(content, tmp_path):
    path, header, rows = content
    new_header, variant = _linkedin_raw_layout(rows[:10], header)
    metrics = pd.DataFrame(variant, columns=new_header)
    for column in new_header[1:]:
        metrics[column] = pd.to_numeric(metrics[column])
    posts = pd.DataFrame(
        {"Post title": ["Hello"], "Created date": ["01/28/2025"], "Impressions": [10]}
    )
    book = tmp_path / "acme_content_1743465600000.xlsx"
    with pd.ExcelWriter(book) as xl:  # LinkedIn's order: the posts sheet can come first
        posts.to_excel(xl, sheet_name="All posts", index=False, startrow=1)
        metrics.to_excel(xl, sheet_name="Metrics", index=False, startrow=1)
    res = load(book, source="linkedin_page")
    assert (res.kind, len(res.data)) == ("page_daily", 10)
    assert res.data["impressions"].tolist() == [int(r["Impressions (total)"]) for r in rows[:10]]
    assert "read sheet 'Metrics'" in set(res.report.to_frame()["reason"])
