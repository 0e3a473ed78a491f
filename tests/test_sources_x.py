"""X exports: tweet_activity_metrics, account_analytics_content, account_overview_analytics.

Every expected value is read from the raw file with the csv module and converted by hand
here (``int(float("2633.0"))``, ``datetime.strptime``), never taken from the loader.
"""

from __future__ import annotations

import csv
import doctest
import io
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from roi_helpers import RoiInputError, load, load_dir
from roi_helpers.sources import (
    instagram_profiles,
    linkedin_followers,
    linkedin_page,
    x_account_analytics,
    x_account_overview,
    x_tweet_activity,
)
from roi_helpers.sources._common import read_head

MINE = [
    x_tweet_activity,
    x_account_analytics,
    x_account_overview,
    instagram_profiles,
    linkedin_page,
    linkedin_followers,
]
CONTENT = "TopDomainClub_account_analytics_content_20241114_20250212.csv"
OVERVIEW = "TopDomainClub_account_overview_analytics.csv"
JANUARY = "tweet_activity_metrics_rOpenSci_20190101_20190201_en.csv"


def raw_rows(path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows as dicts, read with the csv module (independently of the loader)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def write_rows(path, header, rows, delimiter=",", encoding="utf-8", quoting=csv.QUOTE_MINIMAL):
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[r[h] for h in header] for r in rows])
    path.write_text(buf.getvalue(), encoding=encoding)
    return path


def count(text: str) -> int:
    return int(float(text))


def balance_holds(res) -> None:
    bal = res.report.balance()
    assert (bal["rows_kept"] + bal["rows_set_aside"] == bal["rows_read"]).all()
    assert int(bal["rows_kept"].sum()) == len(res.data)


# -- tweet_activity_metrics ---------------------------------------------------------------------
def test_folder_of_tweet_exports_loads_307_unique_tweets(shared):
    folder = shared / "x_tweet_activity"
    raw_ids = []
    per_file = {}
    for path in sorted(folder.glob("*.csv")):
        _, rows = raw_rows(path)
        per_file[path.name] = len(rows)
        raw_ids += [r["Tweet id"] for r in rows]
    ds = load_dir(folder)
    assert len(raw_ids) == 307 and len(set(raw_ids)) == 307
    assert (ds.files["status"] == "loaded").all() and set(ds.files["source"]) == {
        "x_tweet_activity"
    }
    posts = ds.posts
    assert len(posts) == 307
    assert not posts["post_id"].duplicated().any()
    assert sorted(posts["post_id"]) == sorted(raw_ids)  # exact to the last digit, as text
    assert set(posts["platform"]) == {"x"} and set(posts["account"]) == {"rOpenSci"}
    assert str(posts["published_at"].dt.tz) == "UTC"
    # every file: rows read (counted by csv) = rows kept + rows set aside
    bal = ds.report.balance().set_index("file")
    for name, n in per_file.items():
        assert bal.loc[name, "rows_read"] == n
        assert bal.loc[name, "rows_kept"] + bal.loc[name, "rows_set_aside"] == n
    assert int(bal["rows_set_aside"].sum()) == 0


def _expected_post(raw: dict[str, str]) -> dict[str, object]:
    """The canonical values of one raw tweet row, worked out by hand."""
    when = datetime.strptime(raw["time"], "%Y-%m-%d %H:%M %z").astimezone(UTC)
    return {
        "post_id": raw["Tweet id"],
        "account": raw["Tweet permalink"].split("/")[3],
        "url": raw["Tweet permalink"],
        "text": raw["Tweet text"],
        "published_at": pd.Timestamp(when),
        "impressions": count(raw["impressions"]),
        "shares": count(raw["retweets"]),
        "comments": count(raw["replies"]),
        "likes": count(raw["likes"]),
        "clicks": count(raw["url clicks"]),
        "x_engagements": count(raw["engagements"]),
        "x_user_profile_clicks": count(raw["user profile clicks"]),
        "x_detail_expands": count(raw["detail expands"]),
        "x_media_views": count(raw["media views"]),
    }


@pytest.mark.parametrize(
    "name",
    [
        JANUARY,  # the first tweet of the folder; one rate written 7.35E-4
        "tweet_activity_metrics_rOpenSci_20191101_20191201_en.csv",
        "tweet_activity_metrics_rOpenSci_20191201_20200101_en.csv",
    ],
)
def test_tweets_field_by_field(shared, name):
    path = shared / "x_tweet_activity" / name
    _, rows = raw_rows(path)
    data = load(path).data.set_index("post_id", drop=False)
    assert len(data) == len(rows)
    checked_scientific = checked_newlines = 0
    for raw in rows:
        got = data.loc[raw["Tweet id"]]
        for column, value in _expected_post(raw).items():
            assert got[column] == value, (raw["Tweet id"], column)
        assert got["x_engagement_rate"] == pytest.approx(float(raw["engagement rate"]), rel=1e-12)
        assert got["paid"] == False  # noqa: E712 - "-" in every promoted column
        assert pd.isna(got["x_promoted_impressions"]) and pd.isna(got["x_promoted_likes"])
        checked_scientific += "E-" in raw["engagement rate"]
        checked_newlines += "\n" in raw["Tweet text"]
    assert checked_scientific >= 1 and checked_newlines >= 1


def test_a_known_tweet_by_hand(shared):
    data = load(shared / "x_tweet_activity" / JANUARY).data
    first = data[data["post_id"] == "1091117122825084928"].iloc[0]
    assert first["published_at"] == pd.Timestamp("2019-01-31 23:32", tz="UTC")
    assert (first["impressions"], first["shares"], first["likes"], first["clicks"]) == (
        2633,
        5,
        7,
        16,
    )
    assert first["x_engagement_rate"] == pytest.approx(41 / 2633)
    assert first["text"].startswith("2 rOpenSci peer reviewed packages") and "\n" in first["text"]
    assert first["source_row"] == 2


def test_rates_in_scientific_notation(shared):
    data = load(shared / "x_tweet_activity" / JANUARY).data
    _, rows = raw_rows(shared / "x_tweet_activity" / JANUARY)
    sci = next(r for r in rows if "E-4" in r["engagement rate"])
    got = data.loc[data["post_id"] == sci["Tweet id"], "x_engagement_rate"].iloc[0]
    assert got == pytest.approx(7.358351729212656e-4)


def test_exported_at_from_the_file_name(shared):
    assert load(shared / "x_tweet_activity" / JANUARY).exported_at == pd.Timestamp("2019-02-01")
    assert x_tweet_activity.exported_at(shared / "x_tweet_activity" / "tweets.csv") is None


def test_promoted_tweet_is_paid_and_its_numbers_kept(tmp_path, shared):
    header, rows = raw_rows(shared / "x_tweet_activity" / JANUARY)
    rows = rows[:3]
    rows[1] = rows[1] | {"promoted impressions": "1200", "promoted likes": "14"}
    rows[1]["promoted engagement rate"] = "0.02"
    path = write_rows(tmp_path / "t.csv", header, rows, quoting=csv.QUOTE_ALL)
    data = load(path).data
    assert data["paid"].tolist() == [False, True, False]
    assert data["x_promoted_impressions"].tolist()[1] == 1200
    assert data["x_promoted_likes"].tolist()[1] == 14
    assert data["x_promoted_engagement_rate"].tolist()[1] == 0.02
    assert pd.isna(data["x_promoted_likes"].iloc[0])


def test_a_tweet_saying_only_a_dash_keeps_it_while_promoted_dashes_are_unknown(tmp_path, shared):
    # '-' is read as empty in the number columns (X's 'not promoted'): a text column
    # holding a lone '-' (or nothing) is read again so that its cells stay as written
    header, rows = raw_rows(shared / "x_tweet_activity" / JANUARY)
    rows = rows[:3]
    rows[0] = rows[0] | {"Tweet text": "-"}
    rows[2] = rows[2] | {"Tweet text": ""}
    path = write_rows(tmp_path / "t.csv", header, rows, quoting=csv.QUOTE_ALL)
    data = load(path).data
    assert data["text"].iloc[0] == "-" and pd.isna(data["text"].iloc[2])
    assert data["text"].iloc[1] == rows[1]["Tweet text"]
    assert [r["promoted likes"] for r in rows] == ["-", "-", "-"]
    assert data["x_promoted_likes"].isna().all()
    assert str(data["x_promoted_likes"].dtype) == "Int64"
    assert data["likes"].tolist() == [count(r["likes"]) for r in rows]


def test_counts_written_otherwise_in_a_tweet_export_still_go_through_the_parser(tmp_path, shared):
    header, rows = raw_rows(shared / "x_tweet_activity" / JANUARY)
    rows = rows[:3]
    rows[0] = rows[0] | {"impressions": "1,234", "promoted likes": "2.5"}
    rows[1] = rows[1] | {"promoted likes": "3"}
    res = load(write_rows(tmp_path / "t.csv", header, rows, quoting=csv.QUOTE_ALL))
    assert res.data["impressions"].tolist() == [1234] + [count(r["impressions"]) for r in rows[1:]]
    assert res.data["x_promoted_likes"].tolist()[:2] == [pd.NA, 3]
    entry = res.report.to_frame().query("column == 'promoted likes'")
    assert entry[["row", "original"]].values.tolist() == [[2, "2.5"]]


def test_loaded_counts_take_assignments_without_touching_another_load(tmp_path, shared):
    # count columns are handed over from pyarrow without a copy: they must still be
    # writable, and belong to one frame only
    path = shared / "x_tweet_activity" / JANUARY
    first, second = load(path).data, load(path).data
    before = second["likes"].tolist()
    first.loc[0, "likes"] = 10**6
    first["x_promoted_likes"] = first["x_promoted_likes"].fillna(0)
    assert first["likes"].iloc[0] == 10**6
    assert second["likes"].tolist() == before


def test_ids_mangled_by_a_spreadsheet_come_back_from_the_permalink(tmp_path, shared):
    header, rows = raw_rows(shared / "x_tweet_activity" / JANUARY)
    rows = rows[:2]
    true_id = rows[0]["Tweet id"]
    rows[0] = rows[0] | {"Tweet id": "1.09112E+18"}
    res = load(write_rows(tmp_path / "t.csv", header, rows))
    assert res.data["post_id"].tolist()[0] == true_id
    entry = res.report.to_frame().query("rule == 'id from permalink'")
    assert entry["row"].tolist() == [2] and entry["original"].tolist() == ["1.09112E+18"]


def test_overlapping_tweet_exports_keep_the_later_one(tmp_path, shared):
    header, jan = raw_rows(shared / "x_tweet_activity" / JANUARY)
    _, feb = raw_rows(
        shared / "x_tweet_activity" / "tweet_activity_metrics_rOpenSci_20190201_20190301_en.csv"
    )
    # a mid-month export repeating the 5 latest January tweets, with later numbers
    overlap = [r | {"likes": str(count(r["likes"]) + 100) + ".0"} for r in jan[:5]]
    write_rows(tmp_path / JANUARY, header, jan, quoting=csv.QUOTE_ALL)
    later = "tweet_activity_metrics_rOpenSci_20190115_20190215_en.csv"
    write_rows(tmp_path / later, header, feb + overlap, quoting=csv.QUOTE_ALL)
    ds = load_dir(tmp_path)
    posts = ds.posts.set_index("post_id")
    assert len(posts) == len(jan) + len(feb)
    for r in jan[:5]:
        assert posts.loc[r["Tweet id"], "likes"] == count(r["likes"]) + 100
        assert posts.loc[r["Tweet id"], "source_file"] == later
    dropped = ds.report.to_frame().query("action == 'deduplicated'")
    assert set(dropped["file"]) == {JANUARY}
    assert sorted(dropped["row"].tolist()) == [2, 3, 4, 5, 6]
    bal = ds.report.balance().set_index("file")
    assert bal.loc[JANUARY, "rows_read"] == len(jan)
    assert bal.loc[JANUARY, "rows_kept"] == len(jan) - 5
    assert bal.loc[later, "rows_kept"] == len(feb) + 5


# -- account_analytics_content ------------------------------------------------------------------
def test_account_analytics_content_43_posts(shared):
    path = shared / "x_account_analytics" / CONTENT
    _, rows = raw_rows(path)
    res = load(path)
    assert (res.source, res.kind, len(rows), len(res.data)) == (
        "x_account_analytics",
        "posts",
        43,
        43,
    )
    balance_holds(res)
    data = res.data.set_index("post_id", drop=False)
    assert sorted(data.index) == sorted(r["Post id"] for r in rows)
    for raw in rows:
        got = data.loc[raw["Post id"]]
        day = datetime.strptime(raw["Date"], "%a %b %d %Y").replace(tzinfo=UTC)
        expected = {
            "account": raw["Link"].split("/")[3],
            "url": raw["Link"],
            "text": raw["Post text"],
            "published_at": pd.Timestamp(day),
            "impressions": int(raw["Impressions"]),
            "likes": int(raw["Likes"]),
            "comments": int(raw["Replies"]),
            "shares": int(raw["Reposts"]),  # reposts are the canonical shares on X
            "saves": int(raw["Bookmarks"]),
            "clicks": int(raw["Url clicks"]),
            "x_shares": int(raw["Share"]),  # X's own "Share": sends, not reposts
            "x_engagements": int(raw["Engagements"]),
            "x_new_follows": int(raw["New follows"]),
            "x_profile_visits": int(raw["Profile visits"]),
        }
        for column, value in expected.items():
            assert got[column] == value, (raw["Post id"], column)
    assert res.exported_at == pd.Timestamp("2025-02-12")
    notes = res.report.to_frame()
    assert {"date without time", "time zone assumed"} <= set(notes["rule"])


def test_dates_are_days_in_the_tz_option(shared):
    path = shared / "x_account_analytics" / CONTENT
    utc = load(path).data["published_at"]
    ny = load(path, tz="America/New_York").data["published_at"]
    # midnight in New York is 05:00 UTC in winter (EST) and 04:00 in summer (EDT)
    assert set((ny - utc).unique()) <= {pd.Timedelta(hours=5), pd.Timedelta(hours=4)}
    assert ny.iloc[0] == pd.Timestamp("2025-02-10 05:00", tz="UTC")


_RENAMES = {
    "Link": "Post Link",
    "Share": "Shares",
    "Url clicks": "URL Clicks",
    "Detail expands": "Detail Expands",
    "Hashtag clicks": "Hashtag Clicks",
    "Permalink clicks": "Permalink Clicks",
}


def _other_version(rows, renames, date_format):
    out = []
    for r in rows:
        day = datetime.strptime(r["Date"], "%a %b %d %Y")
        new = {renames.get(k, k): v for k, v in r.items()}
        new[renames.get("Date", "Date")] = day.strftime(date_format).replace(" 0", " ")
        out.append(new)
    return out


@pytest.mark.parametrize(
    "renames",
    [
        _RENAMES,
        {k: k.upper() for k in ["Post id", "Date", "Link", "Likes", "Replies", "Reposts", "Share"]},
    ],
    ids=["newer-header", "upper-case"],
)
def test_header_versions_load_to_the_same_values(tmp_path, shared, renames):
    path = shared / "x_account_analytics" / CONTENT
    header, rows = raw_rows(path)
    variant = _other_version(rows, renames, "%a, %b %d, %Y")
    assert variant[0][renames.get("Date", "Date")] == "Mon, Feb 10, 2025"  # quoted when written
    new_header = [renames.get(h, h) for h in header]
    other = write_rows(
        tmp_path / "acme_account_analytics_content_2026-04-27_2026-07-25.csv", new_header, variant
    )
    assert '"Mon, Feb 10, 2025"' in other.read_text()
    a, b = load(path).data, load(other).data
    columns = [c for c in a.columns if c != "source_file"]
    assert set(columns) <= set(b.columns)
    pd.testing.assert_frame_equal(a[columns], b[columns])
    assert load(other).exported_at == pd.Timestamp("2026-07-25")


def test_thu_apr_23_2026(tmp_path):
    path = tmp_path / "acme_account_analytics_content_20260401_20260430.csv"
    path.write_text(
        "Post id,Date,Post text,Post Link,Impressions,Likes,Engagements,Bookmarks,Shares,"
        "New follows,Replies,Reposts,Profile visits,Detail Expands,URL Clicks\n"
        '2047000000000000001,"Thu, Apr 23, 2026","a post, with a comma",'
        "https://x.com/acme/status/2047000000000000001,1500,12,40,3,2,1,4,5,6,7,8\n"
    )
    got = load(path).data.iloc[0]
    assert got["post_id"] == "2047000000000000001"
    assert got["published_at"] == pd.Timestamp("2026-04-23", tz="UTC")
    assert (got["shares"], got["x_shares"], got["comments"], got["saves"], got["clicks"]) == (
        5,
        2,
        4,
        3,
        8,
    )
    assert got["text"] == "a post, with a comma" and got["account"] == "acme"


def test_account_from_the_file_name_when_links_are_missing(tmp_path):
    path = tmp_path / "acme_account_analytics_content_20260401_20260430.csv"
    path.write_text(
        "Post id,Date,Post text,Impressions,Likes,Replies,Reposts\n"
        "2047000000000000001,Thu Apr 23 2026,hello,10,1,0,0\n"
    )
    res = load(path)
    assert res.data["account"].tolist() == ["acme"]
    assert "account assumed" in set(res.report.to_frame()["rule"])
    assert load(path, account="someone").data["account"].tolist() == ["someone"]


def test_overlapping_content_exports_keep_the_later_one(tmp_path, shared):
    header, rows = raw_rows(shared / "x_account_analytics" / CONTENT)
    older = "acme_account_analytics_content_20241101_20250101.csv"
    newer = "acme_account_analytics_content_20241201_20250212.csv"
    # files are newest first: the older export holds the last 30 rows, the newer the first 23
    write_rows(tmp_path / older, header, rows[13:])
    bumped = [r | {"Impressions": str(int(r["Impressions"]) + 1000)} for r in rows[:23]]
    write_rows(tmp_path / newer, header, bumped)
    ds = load_dir(tmp_path)
    posts = ds.posts.set_index("post_id")
    assert len(posts) == 43
    for r in rows[13:23]:  # the ten posts in both
        assert posts.loc[r["Post id"], "impressions"] == int(r["Impressions"]) + 1000
    dropped = ds.report.to_frame().query("action == 'deduplicated'")
    assert set(dropped["file"]) == {older} and sorted(dropped["row"]) == list(range(2, 12))
    bal = ds.report.balance().set_index("file")
    assert (bal.loc[older, "rows_read"], bal.loc[older, "rows_kept"]) == (30, 20)
    assert (bal.loc[newer, "rows_read"], bal.loc[newer, "rows_kept"]) == (23, 23)


# -- account_overview_analytics -----------------------------------------------------------------
def test_account_overview_is_a_followers_table_of_changes(shared):
    path = shared / "x_account_analytics" / OVERVIEW
    _, rows = raw_rows(path)
    res = load(path)
    assert (res.source, res.kind) == ("x_account_overview", "followers")
    assert len(res.data) == len(rows) == 314
    balance_holds(res)
    data = res.data
    assert data["followers"].isna().all()
    for i in (0, 1, 157, 313):
        raw, got = rows[i], data.iloc[i]
        assert got["date"] == pd.Timestamp(datetime.strptime(raw["Date"], "%a, %b %d, %Y"))
        assert got["new_followers"] == int(raw["New follows"])
        assert got["lost_followers"] == int(raw["Unfollows"])
        assert got["x_impressions"] == int(raw["Impressions"])
        assert got["x_reposts"] == int(raw["Reposts"])
        assert got["x_media_views"] == int(raw["Media views"])
    assert data["new_followers"].sum() == sum(int(r["New follows"]) for r in rows)
    assert data["lost_followers"].sum() == sum(int(r["Unfollows"]) for r in rows)
    assert set(data["account"]) == {"TopDomainClub"}
    assert res.exported_at == pd.Timestamp("2025-02-11")  # the last day it covers
    assert set(load(path, account="tdc").data["account"]) == {"tdc"}


def test_overlapping_overview_exports_keep_the_one_reaching_further(tmp_path, shared):
    header, rows = raw_rows(shared / "x_account_analytics" / OVERVIEW)
    write_rows(tmp_path / "old_account_overview_analytics.csv", header, rows[100:])
    newer = [r | {"Impressions": "99999"} for r in rows[:150]]
    write_rows(tmp_path / "new_account_overview_analytics.csv", header, newer)
    ds = load_dir(tmp_path, account="tdc")
    followers = ds.followers
    assert len(followers) == 314
    assert int(followers["x_impressions"].eq(99999).sum()) == 150  # the newer export's days
    dropped = ds.report.to_frame().query("action == 'deduplicated'")
    assert set(dropped["file"]) == {"old_account_overview_analytics.csv"} and len(dropped) == 50


# -- broken files, every format -----------------------------------------------------------------
FORMATS = {
    "x_tweet_activity": ("x_tweet_activity", JANUARY, "retweets"),
    "x_account_analytics": ("x_account_analytics", CONTENT, "Impressions"),
    "x_account_overview": ("x_account_analytics", OVERVIEW, "Unfollows"),
}


@pytest.fixture(params=list(FORMATS))
def real(request, shared):
    name, (folder, file, required) = request.param, FORMATS[request.param]
    return name, shared / folder / file, required


def test_every_real_file_balances(real):
    name, path, _ = real
    res = load(path)
    assert res.source == name
    _, rows = raw_rows(path)
    bal = res.report.balance().iloc[0]
    assert bal["rows_read"] == len(rows) == bal["rows_kept"] + bal["rows_set_aside"]
    assert len(res.data) == bal["rows_kept"]


def test_utf16_re_encoding_loads_the_same(real, tmp_path):
    _, path, _ = real
    copy = tmp_path / path.name
    copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-16")
    a, b = load(path).data, load(copy).data
    pd.testing.assert_frame_equal(a, b)


def cut_inside_quotes(text: str) -> str:
    """The text up to two characters into a quoted value past its middle (a broken download)."""
    j = len(text) // 2
    while True:
        j = text.index('"', j) + 1
        if text[:j].count('"') % 2 == 1 and '"' not in text[j : j + 2]:
            return text[: j + 2]


def test_truncated_inside_a_quoted_value(real, tmp_path):
    _, path, _ = real
    broken = tmp_path / path.name
    broken.write_text(cut_inside_quotes(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(RoiInputError, match="truncated") as err:
        load(broken)
    assert path.name in str(err.value)


def test_truncated_last_row_is_set_aside_not_lost(real, tmp_path):
    name, path, _ = real
    header, rows = raw_rows(path)
    broken = write_rows(tmp_path / path.name, header, rows[:-1])
    with open(broken, "a", encoding="utf-8", newline="") as fh:  # the last row cut after 5 fields
        csv.writer(fh, lineterminator="\n").writerow([rows[-1][h] for h in header[:5]])
    res = load(broken)
    assert res.source == name
    bal = res.report.balance().iloc[0]
    assert (bal["rows_read"], bal["rows_kept"], bal["rows_set_aside"]) == (
        len(rows),
        len(rows) - 1,
        1,
    )
    aside = res.report.to_frame().query("action == 'set aside'")
    assert aside["row"].tolist() == [len(rows) + 1]  # records are numbered, header is row 1
    assert f"has 5 fields where the header has {len(header)}" in aside["reason"].iloc[0]
    assert len(res.data) == len(rows) - 1


def test_missing_required_column_names_file_column_and_header(real, tmp_path):
    name, path, required = real
    header, rows = raw_rows(path)
    kept = [h for h in header if h != required]
    broken = write_rows(tmp_path / path.name, kept, rows)
    with pytest.raises(RoiInputError) as err:
        load(broken, source=name)
    msg = str(err.value)
    assert path.name in msg and repr(required) in msg
    assert err.value.column == required
    assert all(repr(h) in msg for h in kept[:4])  # the header it saw


def test_wrong_separator_says_which(real, tmp_path):
    name, path, _ = real
    header, rows = raw_rows(path)
    broken = write_rows(tmp_path / path.name, header, rows, delimiter=";")
    with pytest.raises(RoiInputError, match="separated by ';'") as err:
        load(broken)
    assert path.name in str(err.value)
    with pytest.raises(RoiInputError, match="separated by ';'"):
        load(broken, source=name)


def test_empty_file(real, tmp_path):
    name, path, _ = real
    empty = tmp_path / path.name
    empty.write_bytes(b"")
    with pytest.raises(RoiInputError, match="empty"):
        load(empty, source=name)
    blank = tmp_path / ("blank_" + path.name)
    blank.write_text("\n\n")
    with pytest.raises(RoiInputError, match="empty"):
        load(blank, source=name)


def test_header_only_file_loads_no_rows(real, tmp_path):
    name, path, _ = real
    header, _ = raw_rows(path)
    res = load(write_rows(tmp_path / path.name, header, []))
    assert res.source == name and len(res.data) == 0
    assert res.report.balance()["rows_read"].sum() == 0


def test_unreadable_numbers_are_recorded_with_their_row(tmp_path, shared):
    header, rows = raw_rows(shared / "x_account_analytics" / CONTENT)
    rows = rows[:3]
    rows[2] = rows[2] | {"Likes": "lots"}
    res = load(write_rows(tmp_path / CONTENT, header, rows))
    assert pd.isna(res.data["likes"].iloc[2]) and res.data["likes"].iloc[0] == 7
    entry = res.report.to_frame().query("rule == 'unreadable number'")
    assert entry[["row", "column", "original"]].values.tolist() == [[4, "Likes", "lots"]]


# -- sniffing -------------------------------------------------------------------------------------
def _owners(path):
    head = read_head(path)
    return [m.NAME for m in MINE if m.sniff(path, head)]


def test_each_real_file_is_claimed_by_one_reader_only(shared):
    expected = {
        "x_tweet_activity/" + JANUARY: ["x_tweet_activity"],
        "x_account_analytics/" + CONTENT: ["x_account_analytics"],
        "x_account_analytics/" + OVERVIEW: ["x_account_overview"],
        "instagram_profiles/top_insta_influencers_data.csv": ["instagram_profiles"],
        "linkedin_page/women_in_ai_usa_clean.csv": ["linkedin_page"],
        "linkedin_page/women_in_ai_usa_followers.csv": ["linkedin_followers"],
        "linkedin_connections/Connections.csv": [],
        "linkedin_connections/linkedin_connections_categorized.csv": [],
        "cascades/smh/SMH-cascade-0.csv": [],
        "cascades/weibo/dataset.txt": [],
        "cascades/twitter16/label.txt": [],
        "facebook_insights/Facebook Insights Data Export (Post Level) - LOK - 2017-10-22.xls": [],
    }
    for rel, owners in expected.items():
        assert _owners(shared / rel) == owners, rel


@pytest.mark.parametrize(
    "header",
    [
        "post_id,platform,account,published_at,likes,comments,shares",
        "company,status,domain",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
        "Date,Impressions,Likes",
        "Tweet id;Tweet text",
        "",
    ],
)
def test_unrelated_headers_are_not_claimed(tmp_path, header):
    path = tmp_path / "some.csv"
    path.write_text(header + "\n1,2,3\n")
    assert _owners(path) == []


@pytest.mark.parametrize("module", MINE, ids=lambda m: m.NAME)
def test_docstring_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
    assert set(module.__all__) >= {"NAME", "KIND", "read", "sniff"}


def test_time_offsets_other_than_utc_are_converted(tmp_path, shared):
    header, rows = raw_rows(shared / "x_tweet_activity" / JANUARY)
    rows = [rows[0] | {"time": "2019-01-31 23:32 +0100"}, rows[1]]
    data = load(write_rows(tmp_path / "t.csv", header, rows, quoting=csv.QUOTE_ALL)).data
    assert data["published_at"].iloc[0] == pd.Timestamp("2019-01-31 22:32", tz="UTC")
    assert data["published_at"].iloc[0] + timedelta(hours=1) == pd.Timestamp(
        "2019-01-31 23:32", tz="UTC"
    )


def test_other_time_writings_are_read_and_unreadable_ones_recorded(tmp_path, shared):
    header, rows = raw_rows(shared / "x_tweet_activity" / JANUARY)
    rows = [
        rows[0] | {"time": "2019-01-31T23:32:00+01:00"},  # ISO, as a re-export might write it
        rows[1] | {"time": "yesterday"},
        rows[2],
    ]
    res = load(write_rows(tmp_path / "t.csv", header, rows, quoting=csv.QUOTE_ALL))
    times = res.data["published_at"]
    assert times.iloc[0] == pd.Timestamp("2019-01-31 22:32", tz="UTC")
    assert pd.isna(times.iloc[1])  # kept, with its time unknown
    assert times.iloc[2] == pd.Timestamp(datetime.strptime(rows[2]["time"], "%Y-%m-%d %H:%M %z"))
    entry = res.report.to_frame().query("rule == 'unreadable date'")
    assert entry[["row", "column", "original"]].values.tolist() == [[3, "time", "yesterday"]]
    # a sentence with an example in the export's own form, not a format code or exception
    assert entry["reason"].tolist() == ["not a time like 2025-03-24 14:30 +0000: read as unknown"]


def test_each_tweet_takes_its_account_from_its_own_permalink(tmp_path, shared):
    header, rows = raw_rows(shared / "x_tweet_activity" / JANUARY)
    other = rows[1]["Tweet permalink"].replace("/rOpenSci/", "/ropensci_es/")
    rows = [rows[0], rows[1] | {"Tweet permalink": other}, rows[2] | {"Tweet permalink": ""}]
    res = load(write_rows(tmp_path / JANUARY, header, rows, quoting=csv.QUOTE_ALL))
    # the third has no link: the file name's account stands in, and the report says so
    assert res.data["account"].tolist() == ["rOpenSci", "ropensci_es", "rOpenSci"]
    assert "account assumed" in set(res.report.to_frame()["rule"])


def test_date_only_exports_say_their_time_is_unknown(shared):
    content = load(
        shared
        / "x_account_analytics"
        / "TopDomainClub_account_analytics_content_20241114_20250212.csv"
    )
    assert content.data["time_known"].eq(False).all()
    tweets = load(next((shared / "x_tweet_activity").glob("*.csv")))
    assert "time_known" not in tweets.data  # the legacy export gives the minute


def test_rows_numbered_as_a_spreadsheet_shows_them_around_blank_and_bad_rows(tmp_path, shared):
    """Tweet texts hold line breaks: a record is one spreadsheet row, a blank line one too."""
    header, rows = raw_rows(shared / "x_tweet_activity" / JANUARY)
    assert any("\n" in r["Tweet text"] for r in rows[:6])  # multi-line records in play
    pieces = []
    for rec in [header, *[[r[h] for h in header] for r in rows[:6]]]:
        buf = io.StringIO()
        csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n").writerow(rec)
        pieces.append(buf.getvalue())
    # a blank line before the 4th tweet, and a row cut short before the 6th
    text = "".join(pieces[:4]) + "\n" + "".join(pieces[4:6]) + '"1","2"\n' + pieces[6]
    path = tmp_path / JANUARY
    path.write_text(text, encoding="utf-8")
    numbered = list(enumerate(csv.reader(io.StringIO(text, newline="")), start=1))
    kept = [n for n, r in numbered[1:] if len(r) == len(header)]
    bad = [n for n, r in numbered[1:] if r and len(r) != len(header)]
    assert kept == [2, 3, 4, 6, 7, 9] and bad == [8]
    res = load(path)
    assert res.data["source_row"].tolist() == kept
    assert res.data["post_id"].tolist() == [r["Tweet id"] for r in rows[:6]]
    assert res.report.to_frame().query("action == 'set aside'")["row"].tolist() == bad
