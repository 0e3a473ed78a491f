"""load / load_dir behaviours that every format shares."""

from __future__ import annotations

import pandas as pd
import pytest

from roi_helpers import RoiInputError, load, load_dir


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_overlapping_exports_latest_wins_unknowns_filled_from_earlier(tmp_path):
    # a.csv is older (sorted first); b.csv repeats 2025-01-02 with the total unknown
    _write(
        tmp_path / "a.csv",
        "account,platform,date,followers,new_followers\nacme,x,2025-01-01,100,1\nacme,x,2025-01-02,104,4\n",
    )
    _write(
        tmp_path / "b.csv",
        "account,platform,date,followers,new_followers\nacme,x,2025-01-02,,5\nacme,x,2025-01-03,,2\n",
    )
    ds = load_dir(tmp_path)
    f = ds.followers.set_index(ds.followers["date"].dt.strftime("%Y-%m-%d"))
    assert f.loc["2025-01-02", "new_followers"] == 5  # the later export wins
    assert f.loc["2025-01-02", "followers"] == 104  # unknown there: filled from a.csv
    assert pd.isna(f.loc["2025-01-03", "followers"])  # nobody knew it: stays unknown
    entries = ds.report.to_frame()
    filled = entries[entries["rule"] == "filled from another export"]
    assert filled[["file", "row", "column", "value"]].values.tolist() == [
        ["b.csv", 2, "followers", "104"]
    ]
    assert "a.csv" in filled["reason"].iloc[0]
    dedup = entries[entries["action"] == "deduplicated"]
    assert dedup[["file", "row"]].values.tolist() == [["a.csv", 3]]
    bal = ds.report.balance().set_index("file")
    assert bal.loc["a.csv", "rows_kept"] == 1 and bal.loc["b.csv", "rows_kept"] == 2


def test_unrecognised_files_are_skipped_and_listed(tmp_path):
    _write(tmp_path / "notes.csv", "hello,world\n1,2\n")
    _write(tmp_path / "README.md", "# my exports\n")
    ds = load_dir(tmp_path)
    assert ds.files[["file", "status"]].values.tolist() == [["notes.csv", "skipped"]]
    assert not ds.has("posts") and len(ds.posts) == 0
    assert list(ds.posts.columns)[:3] == ["post_id", "platform", "account"]


def test_load_refuses_folders_and_missing_files(tmp_path):
    with pytest.raises(RoiInputError, match="use load_dir"):
        load(tmp_path)
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "nope.csv")


def test_forcing_an_unknown_source_lists_the_known_ones(tmp_path):
    path = _write(tmp_path / "a.csv", "a\n1\n")
    with pytest.raises(ValueError, match="Known sources: .*linkedin_connections"):
        load(path, source="myspace")


def test_generic_mapping(tmp_path):
    path = _write(
        tmp_path / "mine.csv", "ID,When,Thumbs,Replies,Reshares\n7,2025-03-01 10:00,1.2K,3,--\n"
    )
    res = load(
        path,
        source="generic",
        table="posts",
        columns={
            "ID": "post_id",
            "When": "published_at",
            "Thumbs": "likes",
            "Replies": "comments",
            "Reshares": "shares",
        },
        platform="linkedin",
        account="acme",
        tz="Europe/Amsterdam",
    )
    row = res.data.iloc[0]
    assert (row["post_id"], row["likes"], row["comments"]) == ("7", 1200, 3)
    assert pd.isna(row["shares"])  # "--" is unknown, not zero
    assert row["published_at"] == pd.Timestamp("2025-03-01 09:00", tz="UTC")
    assert "Europe/Amsterdam" in " ".join(res.report.to_frame()["reason"])


def test_generic_mapping_names_a_column_that_is_not_there(tmp_path):
    path = _write(tmp_path / "mine.csv", "ID,When\n7,2025-03-01\n")
    with pytest.raises(
        RoiInputError, match="'Likes' named in columns= are not in the file; it has 'ID', 'When'"
    ):
        load(path, source="generic", table="posts", columns={"Likes": "likes"})


def test_report_for_a_table_holds_only_its_files(tmp_path):
    _write(
        tmp_path / "ana" / "Connections.csv",
        "First Name,Last Name,Company,Position,Connected On\n Ana ,B,C,CFO,12-Oct-20\n",
    )
    _write(tmp_path / "f.csv", "account,platform,date,followers\nacme,x,2025-01-01,-5\n")
    ds = load_dir(tmp_path)
    followers = ds.report_for("followers")
    assert set(followers.to_frame()["file"]) == {"f.csv"}
    assert followers.balance()[["file", "rows_read"]].values.tolist() == [["f.csv", 1]]
    everything = ds.report.summary(by_file=False)
    assert set(everything["rule"]) >= {"spaces trimmed", "negative count"}
    trimmed = everything[everything["rule"] == "spaces trimmed"].iloc[0]
    assert trimmed["file"] == "ana/Connections.csv" and trimmed["rows"] == 1
    with pytest.raises(ValueError, match="Unknown table"):
        ds.report_for("tweets")


def test_canonical_ids_stay_text_and_times_are_utc(tmp_path):
    path = _write(
        tmp_path / "events.csv",
        "post_id,platform,user_id,action,occurred_at,parent_user_id,user_followers\n"
        "00123,x,007,post,2025-01-01T10:00:00Z,,1200\n"
        "00123,x,42,share,2025-01-01T11:30:00+01:00,007,\n",
    )
    ev = load(path).data
    assert ev["post_id"].tolist() == ["00123", "00123"]
    assert ev["user_id"].tolist() == ["007", "42"] and ev["parent_user_id"].iloc[1] == "007"
    assert ev["occurred_at"].tolist() == [
        pd.Timestamp("2025-01-01 10:00", tz="UTC"),
        pd.Timestamp("2025-01-01 10:30", tz="UTC"),
    ]
    assert ev["user_followers"].tolist()[0] == 1200 and pd.isna(ev["user_followers"].iloc[1])


# -- one file's failure, whatever it is, is listed and the folder still loads -------------------
def test_load_dir_lists_any_exception_as_that_files_failure(tmp_path, monkeypatch):
    from roi_helpers.sources import crm

    _write(tmp_path / "crm.csv", "company,status\nAcme,client\n")
    _write(tmp_path / "f.csv", "account,platform,date,followers\nacme,x,2025-01-01,5\n")

    def broken(*args, **kwargs):
        raise OverflowError("Python int too large to convert to C long")

    monkeypatch.setattr(crm, "read", broken)
    ds = load_dir(tmp_path)
    row = ds.files.set_index("file").loc["crm.csv"]
    assert (row["status"], row["source"]) == ("failed", "crm")
    assert "OverflowError" in row["message"] and "crm.csv" in row["message"]
    assert ds.has("followers") and len(ds.followers) == 1  # the other file still loaded
    with pytest.raises(OverflowError):
        load_dir(tmp_path, errors="raise")


def test_infinite_and_huge_counts_in_a_canonical_file_are_recorded(tmp_path):
    path = _write(
        tmp_path / "posts.csv",
        "post_id,platform,account,published_at,likes,comments,shares\n"
        "1,x,a,2025-01-01T00:00:00Z,inf,1,1\n"
        "2,x,a,2025-01-01T00:00:00Z,3,1e20,1\n",
    )
    res = load(path)
    assert res.data["likes"].isna().tolist() == [True, False]
    assert res.data["comments"].isna().tolist() == [False, True]
    entries = res.report.to_frame().query("rule == 'unreadable number'")
    assert entries[["file", "row", "column"]].values.tolist() == [
        ["posts.csv", 2, "likes"],
        ["posts.csv", 3, "comments"],
    ]
    assert float(entries["original"].iloc[0]) == float("inf")
    assert float(entries["original"].iloc[1]) == 1e20


# -- rows are numbered as in the file ------------------------------------------------------------
def _csv_line_numbers(path, skip=1):
    """Each data record's number, by the csv module: (line_num, fields), blank records left out."""
    import csv

    out = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        for _ in range(skip):
            next(reader)
        for fields in reader:
            if fields and any(fields):
                out.append((reader.line_num, fields))
    return out


def test_a_blank_line_mid_file_does_not_shift_later_rows(tmp_path):
    path = _write(
        tmp_path / "f.csv",
        "account,platform,date,followers\n"
        "acme,x,2025-01-01,1\n"
        "\n"
        "acme,x,2025-01-02,2\n"
        ",,,\n"
        "acme,x,2025-01-03,3\n"
        "\n",
    )
    res = load(path)
    expected = _csv_line_numbers(path)
    assert [n for n, _ in expected] == [2, 4, 6]
    assert res.data["source_row"].tolist() == [2, 4, 6]
    assert res.data["followers"].tolist() == [int(f[3]) for _, f in expected]
    note = res.report.to_frame().query("rule == 'empty rows skipped'")["reason"].iloc[0]
    assert note.startswith("rows 3, 5 are empty")  # the trailing blank line says nothing
    assert res.report.balance()["rows_read"].tolist() == [3]


def test_a_bad_row_after_a_blank_line_keeps_its_own_number(tmp_path):
    path = _write(
        tmp_path / "f.csv",
        "account,platform,date,followers\nacme,x,2025-01-01,1\n\nacme,x,2025-01-02\n"
        "acme,x,2025-01-03,3\n",
    )
    res = load(path)
    assert res.data["source_row"].tolist() == [2, 5]
    aside = res.report.to_frame().query("action == 'set aside'")
    assert aside["row"].tolist() == [4]


# -- time zones: clock changes said, not silently changed ----------------------------------------
def test_ambiguous_and_missing_local_times_resolved_by_rule_and_recorded(tmp_path):
    path = _write(
        tmp_path / "posts.csv",
        "post_id,platform,account,published_at,likes,comments,shares\n"
        "1,x,a,2025-10-26 02:30,1,1,1\n"  # Amsterdam: 02:30 happened twice that night
        "2,x,a,2025-03-30 02:30,1,1,1\n"  # Amsterdam: 02:00-03:00 did not exist
        "3,x,a,2025-06-01 12:00,1,1,1\n"
        "4,x,a,2025-10-26 01:59,1,1,1\n",  # the minute before: summer time, not ambiguous
    )
    res = load(path, tz="Europe/Amsterdam")
    when = res.data["published_at"]
    # worked out by hand: the first 02:30 of 26 October is CEST (UTC+2), i.e. 00:30 UTC;
    # the second would be CET (UTC+1), 01:30 UTC. 30 March's 02:30 moves to 03:00 CEST.
    assert when.tolist() == [
        pd.Timestamp("2025-10-26 00:30", tz="UTC"),
        pd.Timestamp("2025-03-30 01:00", tz="UTC"),
        pd.Timestamp("2025-06-01 10:00", tz="UTC"),
        pd.Timestamp("2025-10-25 23:59", tz="UTC"),
    ]
    entries = res.report.to_frame()
    twice = entries[entries["rule"] == "ambiguous local time"]
    assert twice[["file", "row", "column", "action", "original", "value"]].values.tolist() == [
        [
            "posts.csv",
            2,
            "published_at",
            "coerced",
            "2025-10-26 02:30:00",
            "2025-10-26 00:30:00 UTC",
        ]
    ]
    assert twice["reason"].iloc[0] == (
        "happened twice in Europe/Amsterdam (the clocks went back): read as the first of "
        "the two, 02:30 CEST, not the second, 02:30 CET"
    )
    gap = entries[entries["rule"] == "local time that does not exist"]
    assert gap[["file", "row", "column", "original", "value"]].values.tolist() == [
        ["posts.csv", 3, "published_at", "2025-03-30 02:30:00", "2025-03-30 01:00:00 UTC"]
    ]
    assert gap["reason"].iloc[0].endswith("moved to the first time after the gap, 03:00 CEST")
    # no other row was touched, and none left unknown
    assert len(twice) + len(gap) == 2 and when.notna().all()


def test_ambiguous_time_in_new_york_reads_as_daylight_time(tmp_path):
    path = _write(
        tmp_path / "posts.csv",
        "post_id,platform,account,published_at,likes,comments,shares\n"
        "1,x,a,2024-11-03 01:15,1,1,1\n",  # New York: 01:00-02:00 happened twice
    )
    res = load(path, tz="America/New_York")
    assert res.data["published_at"].iloc[0] == pd.Timestamp("2024-11-03 05:15", tz="UTC")  # EDT
    entry = res.report.to_frame().query("rule == 'ambiguous local time'").iloc[0]
    assert (entry["row"], entry["original"]) == (2, "2024-11-03 01:15:00")


# -- overlapping exports: what is merged, and what is not -----------------------------------------
def test_crm_company_listed_twice_is_kept_for_relevance_to_report(tmp_path):
    path = _write(
        tmp_path / "crm.csv", "company,status\nAcme,client\nAcme,prospect\nBeta,partner\n"
    )
    res = load(path)
    assert res.data[["company", "status"]].values.tolist() == [
        ["Acme", "client"],
        ["Acme", "prospect"],
        ["Beta", "partner"],
    ]
    assert res.report.balance()[["rows_read", "rows_kept"]].values.tolist() == [[3, 3]]
    _write(tmp_path / "crm_old.csv", "company,status\nAcme,client\n")
    ds = load_dir(tmp_path)
    assert sorted(ds.accounts["company"]) == ["Acme", "Acme", "Acme", "Beta"]
    assert not (ds.report.to_frame()["action"] == "deduplicated").any()


EVENTS_HEADER = "post_id,platform,user_id,action,occurred_at,parent_user_id\n"


def test_events_repeated_across_exports_are_flagged_not_removed(tmp_path):
    _write(
        tmp_path / "a.csv",
        EVENTS_HEADER + "p1,x,u1,post,2025-01-01T10:00:00Z,\n"
        "p1,x,u2,share,2025-01-01T11:00:00Z,\n"
        "p1,x,u3,share,2025-01-01T12:00:00Z,u2\n",
    )
    _write(
        tmp_path / "b.csv",
        EVENTS_HEADER + "p1,x,u2,share,2025-01-01T11:00:00Z,\n"  # = a.csv row 3
        "p1,x,u3,share,2025-01-01T12:00:00Z,u9\n"  # another parent: another event
        "p1,x,u4,like,2025-01-01T13:00:00Z,\n"
        "p1,x,u4,like,2025-01-01T13:00:00Z,\n",  # repeated within one file: not flagged
    )
    ds = load_dir(tmp_path)
    assert len(ds.events) == 7  # nothing removed
    flagged = ds.report.to_frame().query("rule == 'event in two exports'")
    assert flagged[["file", "row", "action"]].values.tolist() == [["b.csv", 2, "flagged"]]
    assert "a.csv row 3" in flagged["reason"].iloc[0]


# -- parents_recorded: does an events file say who reshared from whom? ----------------------------
def test_canonical_events_say_whether_they_record_parents(tmp_path):
    with_parents = _write(
        tmp_path / "tree.csv",
        EVENTS_HEADER + "p1,x,u1,post,2025-01-01T10:00:00Z,\n"
        "p1,x,u2,share,2025-01-01T11:00:00Z,\n"
        "p1,x,u3,share,2025-01-01T12:00:00Z,u2\n",
    )
    without = _write(
        tmp_path / "flat.csv",
        EVENTS_HEADER + "p1,x,u1,post,2025-01-01T10:00:00Z,\n"
        "p1,x,u2,share,2025-01-01T11:00:00Z,\n"
        "p1,x,u5,like,2025-01-01T11:00:00Z,u1\n",  # a parent on a like says nothing of shares
    )
    no_column = _write(
        tmp_path / "bare.csv",
        "post_id,platform,user_id,action,occurred_at\np1,x,u1,share,2025-01-01T10:00:00Z\n",
    )
    said = _write(
        tmp_path / "said.csv",
        "post_id,platform,user_id,action,occurred_at,parents_recorded\n"
        "p1,x,u1,share,2025-01-01T10:00:00Z,true\np1,x,u2,share,2025-01-01T10:00:00Z,\n",
    )
    assert load(with_parents).data["parents_recorded"].tolist() == [True] * 3
    assert load(without).data["parents_recorded"].tolist() == [False] * 3
    assert load(no_column).data["parents_recorded"].tolist() == [False]
    assert load(said).data["parents_recorded"].tolist() == [True, False]  # the file's own kept
    generic = load(no_column, source="generic", table="events", columns={"user_id": "user_id"}).data
    assert generic["parents_recorded"].dtype == "boolean" and not generic["parents_recorded"][0]


def test_a_parent_far_down_a_large_events_file_is_found(tmp_path):
    # the search looks at growing slices from the top: the only share naming its parent,
    # past the first slices, or the last row, still counts
    rows = [f"p1,x,u{i},like,2025-01-01T10:00:00Z,u0\n" for i in range(100_000)]
    far = rows.copy()
    far[70_000] = "p1,x,u7,share,2025-01-01T10:00:00Z,u3\n"
    last = rows.copy()
    last[-1] = "p1,x,u7,share,2025-01-01T10:00:00Z,u3\n"
    none = rows.copy()
    none[-1] = "p1,x,u7,share,2025-01-01T10:00:00Z,\n"
    for name, body, said in (("far", far, True), ("last", last, True), ("none", none, False)):
        data = load(_write(tmp_path / f"{name}.csv", EVENTS_HEADER + "".join(body))).data
        assert data["parents_recorded"].all() == said and data["parents_recorded"].any() == said


# -- folders reached through links ----------------------------------------------------------------
def test_load_dir_follows_linked_folders_once(tmp_path, shared):
    (tmp_path / "cascades").mkdir()
    (tmp_path / "cascades" / "twitter16").symlink_to(shared / "cascades" / "twitter16")
    (tmp_path / "cascades" / "loop").symlink_to(tmp_path)  # must not be walked forever
    _write(tmp_path / "f.csv", "account,platform,date,followers\nacme,x,2025-01-01,5\n")
    ds = load_dir(tmp_path)
    trees = sorted((shared / "cascades" / "twitter16" / "tree").glob("*.txt"))
    listed = ds.files[ds.files["file"].str.startswith("cascades/twitter16/tree/")]
    assert len(listed) == len(trees) == 200
    assert set(listed["status"]) == {"loaded"}
    assert ds.events["post_id"].nunique() == 200
    assert set(ds.events["parents_recorded"]) == {True}
    # the loop reaches the folder itself again: not entered, so no file is listed twice
    assert ds.files["file"].is_unique and not ds.files["file"].str.contains("loop").any()
    assert ds.has("followers")
