"""The cleaning contract: nothing silently lost, every change accounted for."""

from __future__ import annotations

import pandas as pd
import pytest

from roi_helpers import RoiInputError, clean_table, safe_for_spreadsheet, validate
from roi_helpers.clean import CleaningReport


def _posts(**over) -> pd.DataFrame:
    base = {
        "post_id": ["1", "2", "2", None, "4"],
        "platform": ["x"] * 5,
        "account": ["acme"] * 5,
        "published_at": pd.to_datetime(["2024-01-01"] * 5, utc=True),
        "impressions": pd.array([100, 50, 60, 10, 5], dtype="Int64"),
        "reach": pd.array([90, 70, 50, 5, 5], dtype="Int64"),
        "likes": pd.array([3, -1, 2, 1, 9], dtype="Int64"),
        "comments": pd.array([0, 0, 0, 0, 0], dtype="Int64"),
        "shares": pd.array([0, 0, 0, 0, 0], dtype="Int64"),
        "source_row": pd.array([2, 3, 4, 5, 6], dtype="Int64"),
        "source_file": ["posts.csv"] * 5,
    }
    base.update(over)
    return pd.DataFrame(base)


def test_rows_read_equal_kept_plus_set_aside_and_each_is_explained():
    df = _posts()
    out, report = clean_table(df, "posts")
    bal = report.balance().set_index("file").loc["posts.csv"]
    assert bal["rows_read"] == 5
    assert bal["rows_kept"] == len(out) == 3
    assert bal["rows_set_aside"] == 2
    entries = report.to_frame()
    removed = entries[entries["action"].isin(["set aside", "deduplicated"])]
    assert sorted(removed["row"].tolist()) == [3, 5]  # the older duplicate, and the row with no id
    dup = removed[removed["action"] == "deduplicated"].iloc[0]
    assert "row 4" in dup["reason"]
    aside = report.set_aside_frame()
    assert set(aside["source_row"]) == {3, 5}


def test_implausible_values_are_flagged_not_fixed():
    out, report = clean_table(_posts(), "posts")
    flagged = report.to_frame().query("action == 'flagged'")
    # reach 70 > impressions 50 and likes -1 were on the deduplicated row: only kept rows are flagged
    assert set(flagged["rule"]) == {"engagement above impressions"}
    assert flagged.loc[flagged["rule"] == "engagement above impressions", "row"].tolist() == [6]
    assert out.loc[out["post_id"] == "4", "likes"].item() == 9  # unchanged


def test_reach_above_impressions_flagged():
    df = _posts(post_id=["1", "2", "3", "5", "4"])
    _, report = clean_table(df, "posts")
    reach = report.to_frame().query("rule == 'reach above impressions'")
    assert reach["row"].tolist() == [3] and reach["original"].tolist() == ["70"]


def test_negative_counts_flagged_and_kept():
    df = _posts(post_id=["1", "2", "3", "5", "4"])
    out, report = clean_table(df, "posts")
    neg = report.to_frame().query("rule == 'negative count'")
    assert neg["row"].tolist() == [3] and neg["original"].tolist() == ["-1"]
    assert out.loc[out["post_id"] == "2", "likes"].item() == -1


def test_rows_of_no_named_file_are_counted_and_flagged_under_the_file_given():
    # a frame without source_file, or with gaps in it: its rows are the file's, not lost
    df = _posts(post_id=["1", "2", "3", "5", "4"], source_file=["a.csv", None, None, "a.csv", None])
    _, report = clean_table(df, "posts", file="posts.csv")
    read = report.balance().set_index("file")["rows_read"].to_dict()
    assert read == {"a.csv": 2, "posts.csv": 3}
    flags = report.to_frame().query("action == 'flagged'")
    assert sorted(zip(flags["file"], flags["row"], strict=True)) == [
        ("posts.csv", 3),
        ("posts.csv", 3),
        ("posts.csv", 6),
    ]
    bare, report = clean_table(
        _posts(post_id=["1", "2", "3", "5", "4"]).drop(columns="source_file"),
        "posts",
        file="bare.csv",
    )
    assert report.balance().set_index("file")["rows_read"].to_dict() == {"bare.csv": 5}
    assert "source_file" not in bare


def test_input_not_mutated():
    df = _posts()
    before = df.copy()
    clean_table(df, "posts")
    pd.testing.assert_frame_equal(df, before)


def test_validation_error_names_file_rows_and_column():
    df = _posts(post_id=["1", "2", "3", "5", "4"], platform=["x", "x", "myspace", "x", "x"])
    with pytest.raises(RoiInputError) as err:
        validate(df, "posts", path="export.csv")
    text = str(err.value)
    assert text.startswith("export.csv:")
    assert "column 'platform'" in text and "row 4" in text and "myspace" in text
    assert "linkedin" in text  # says what was expected


def test_text_columns_are_checked_whole_and_other_columns_value_by_value():
    # the text dtype answers once for a text column; for an object column, pandera's
    # own answer (one per value) stands, so that errors can show the values
    from pandera.engines import pandas_engine

    from roi_helpers.schema import _schema

    text = _schema("posts", True).columns["post_id"].dtype
    column = pd.Series(["1", None, "3"], dtype="str")
    assert text.check(pandas_engine.Engine.dtype(column.dtype), column) is True
    mixed = pd.Series(["1", 2, None], dtype=object)
    answer = text.check(pandas_engine.Engine.dtype(mixed.dtype), mixed)
    assert not isinstance(answer, bool) and list(answer) == [True, False, True]
    ok = validate(_posts(post_id=["1", "2", "3", "5", "4"]), "posts")
    assert ok["post_id"].tolist() == ["1", "2", "3", "5", "4"]


def test_missing_column_error_lists_what_the_table_needs():
    with pytest.raises(RoiInputError, match=r"missing column\(s\) 'shares'.*needs post_id"):
        validate(_posts().drop(columns="shares"), "posts", path="p.csv")


def test_csv_cells_cannot_start_a_formula():
    df = pd.DataFrame(
        {"name": ['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "ok"], "n": [-1, 2, 3, 4, 5]}
    )
    safe = safe_for_spreadsheet(df)
    assert safe["name"].tolist() == ['\'=HYPERLINK("x")', "'+1", "'-2", "'@SUM(A1)", "ok"]
    assert safe["n"].tolist() == [-1, 2, 3, 4, 5]
    assert df["name"].iloc[0].startswith("=")  # the input is untouched


def test_report_csv_is_safe(tmp_path):
    report = CleaningReport()
    report.record(
        "f.csv",
        [2],
        rule="r",
        action="coerced",
        column="c",
        original=["=cmd|' /C calc'!A0"],
        reason="x",
    )
    text = report.to_csv(tmp_path / "r.csv").read_text()
    assert ",'=cmd" in text


def test_report_renders_in_a_notebook():
    _, report = clean_table(_posts(), "posts")
    html = report._repr_html_()
    assert "5 rows read" in html and "3 kept" in html and "duplicate post" in html


# -- emails: a report is shown and shared, so it keeps none ----------------------------------------
def test_report_keeps_no_email_in_entries_set_aside_rows_or_its_csv(tmp_path):
    report = CleaningReport()
    aside = pd.DataFrame(
        {
            "source_row": pd.array([7], dtype="Int64"),
            "First Name": ["Zoe"],
            "Email Address": ["zoe.ng@example.org"],
            "extra_fields": ["call zoe.ng@example.org, or +44 20 7946 0000"],
            "likes": [3],
        }
    )
    report.set_aside(
        "Connections.csv",
        aside,
        rule="wrong number of fields",
        reason="has 8 fields (zoe.ng@example.org) where the header has 7",
    )
    report.record(
        "Connections.csv",
        [3, 4],
        rule="invalid UTF-8",
        action="coerced",
        column="Email Address",
        original=["b'bo@ex\\xe9mple.com'", "b'jo\\xfc'"],  # the second holds no '@'
        value=["bo@ex\ufffdmple.com", "jo\ufffd"],
        reason="bytes replaced",
    )
    report.record(
        "posts.csv",
        [2],
        rule="unreadable number",
        action="coerced",
        column="likes",
        original=["ask ana@example.com"],
        reason="not a whole number",
    )
    report.read_rows("Connections.csv", 7)
    entries = report.to_frame()
    # worked out by hand: each address replaced, the words around it kept
    assert pd.isna(entries["original"].iloc[0])  # a row set aside whole: no one value
    assert entries["original"].tolist()[1:] == [
        "[email hidden]",
        "b'jo\\xfc'",
        "ask [email hidden]",
    ]
    assert entries["value"].iloc[1] == "[email hidden]" and entries["value"].iloc[2] == "jo\ufffd"
    assert entries["reason"].iloc[0] == "has 8 fields ([email hidden]) where the header has 7"
    kept = report.set_aside_frame().iloc[0]
    assert kept["Email Address"] == "[email hidden]"
    assert kept["extra_fields"] == "call [email hidden], or +44 20 7946 0000"
    assert (kept["First Name"], kept["likes"], kept["source_row"]) == ("Zoe", 3, 7)
    text = report.to_csv(tmp_path / "cleaning.csv").read_text()
    text += report.summary().to_csv() + report._repr_html_()
    text += report.set_aside_frame().to_csv()
    assert "@ex" not in text and "example." not in text


def test_handles_and_links_are_not_taken_for_emails():
    report = CleaningReport()
    report.record(
        "tweets.csv",
        [2, 3],
        rule="unreadable number",
        action="coerced",
        column="text",
        original=["thanks @rOpenSci!", "https://medium.com/@ana/post-1"],
        reason="not a number",
    )
    assert report.to_frame()["original"].tolist() == [
        "thanks @rOpenSci!",
        "https://medium.com/@ana/post-1",
    ]
