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
