"""The generic reader (a file with a column mapping): good and broken files, counted by hand."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from roi_helpers import RoiInputError, load

HEADER = ["ID", "When", "Thumbs", "Replies", "Reshares", "Text"]
ROWS = [
    ["7", "2025-03-01 10:00", "1.2K", "3", "--", "hello, world"],
    ["8", "2025-03-02 11:30", "15", "", "2", 'she said "hi"\nthen left'],
    ["9", "not a time", "many", "1", "0", "x"],
]
MAPPING = {
    "ID": "post_id",
    "When": "published_at",
    "Thumbs": "likes",
    "Replies": "comments",
    "Reshares": "shares",
    "Text": "text",
}


def _write(path, rows=ROWS, header=HEADER, delimiter=",", encoding="utf-8"):
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows([header, *rows])
    path.write_text(buf.getvalue(), encoding=encoding)
    return path


def _load(path, **kw):
    return load(
        path, source="generic", table="posts", columns=MAPPING, platform="x", account="me", **kw
    )


def _records(path, encoding="utf-8", delimiter=","):
    with open(path, encoding=encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        next(reader)
        return [r for r in reader]


def test_every_value_against_the_raw_rows(tmp_path):
    path = _write(tmp_path / "mine.csv")
    res = _load(path)
    rows = _records(path)
    assert res.report.balance()[["rows_read", "rows_kept"]].values.tolist() == [
        [len(rows), len(rows)]
    ]
    data = res.data
    assert data["post_id"].tolist() == [r[0] for r in rows]
    assert data["text"].tolist() == [r[5] for r in rows]  # quotes and line breaks kept
    assert data["likes"].tolist()[:2] == [1200, 15] and pd.isna(data["likes"].iloc[2])
    assert pd.isna(data["comments"].iloc[1]) and pd.isna(data["shares"].iloc[0])
    assert data["published_at"].iloc[1] == pd.Timestamp("2025-03-02 11:30", tz="UTC")
    entries = res.report.to_frame()
    coerced = entries[entries["action"] == "coerced"]
    assert sorted(coerced[["row", "column", "original"]].values.tolist()) == [
        [4, "likes", "many"],
        [4, "published_at", "not a time"],
    ]
    # a value holding a line break is one row, as in a spreadsheet: the third row is row 4
    assert data["source_row"].tolist() == [2, 3, 4]


def test_semicolons_and_utf16_read_the_same(tmp_path):
    expected = _load(_write(tmp_path / "mine.csv")).data.drop(columns="source_file")
    for name, kw in [("semi.csv", {"delimiter": ";"}), ("u16.csv", {"encoding": "utf-16"})]:
        got = _load(_write(tmp_path / name, **kw)).data.drop(columns="source_file")
        pd.testing.assert_frame_equal(got, expected)


def test_other_separator_names_the_columns_it_found(tmp_path):
    path = _write(tmp_path / "mine.csv", delimiter="|")
    with pytest.raises(RoiInputError) as err:
        _load(path)
    text = str(err.value)
    assert text.startswith("mine.csv:") and "named in columns= are not in the file" in text
    assert "'ID|When|Thumbs|Replies|Reshares|Text'" in text and "separated by '|'" in text


def test_missing_required_column_says_what_the_table_needs(tmp_path):
    path = _write(tmp_path / "mine.csv", rows=[r[:2] for r in ROWS], header=HEADER[:2])
    with pytest.raises(RoiInputError) as err:
        load(
            path,
            source="generic",
            table="posts",
            columns={"ID": "post_id", "When": "published_at"},
            platform="x",
            account="me",
        )
    text = str(err.value)
    assert text.startswith("mine.csv:") and "missing column(s)" in text
    assert "'comments'" in text and "'likes'" in text and "'shares'" in text


def test_truncated_inside_quotes_and_cut_last_row(tmp_path):
    text = _write(tmp_path / "full.csv").read_text()
    cut = tmp_path / "cut.csv"
    cut.write_text(text + '10,2025-03-03 09:00,1,1,1,"half a sen')
    with pytest.raises(RoiInputError, match="truncated"):
        _load(cut)
    short = tmp_path / "short.csv"
    short.write_text(text + "10,2025-03-03 09:00,1\n")
    res = _load(short)
    rows = _records(short)
    bal = res.report.balance().iloc[0]
    assert (bal["rows_read"], bal["rows_kept"], bal["rows_set_aside"]) == (len(rows), 3, 1)
    aside = res.report.to_frame().query("action == 'set aside'")
    assert aside["row"].tolist() == [5] and "3 fields" in aside["reason"].iloc[0]


def test_empty_files_and_a_table_the_reader_does_not_know(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(RoiInputError, match="empty"):
        _load(empty)
    blank = tmp_path / "blank.csv"
    blank.write_text(" \n\n")
    with pytest.raises(RoiInputError, match="blank.csv: the file is empty"):
        _load(blank)
    path = _write(tmp_path / "mine.csv")
    with pytest.raises(RoiInputError, match="table= one of posts, events"):
        load(path, source="generic", table="tweets")


# -- malformed files: each an error naming the file, and the row and column where there is one ------
def test_header_only_file_is_an_error(tmp_path):
    path = _write(tmp_path / "mine.csv", rows=[])
    with pytest.raises(RoiInputError) as err:
        _load(path)
    assert str(err.value).startswith("mine.csv: holds a header (row 1) but no rows below it")
    assert err.value.path.name == "mine.csv"


def test_missing_required_column_is_named_for_programs_too(tmp_path):
    path = _write(tmp_path / "mine.csv", rows=[r[:3] for r in ROWS], header=HEADER[:3])
    with pytest.raises(RoiInputError) as err:
        load(
            path,
            source="generic",
            table="posts",
            columns={"ID": "post_id", "When": "published_at", "Thumbs": "likes"},
            platform="x",
            account="me",
        )
    # 'comments' and 'shares' are missing: the first, alphabetically, is the one named
    assert (err.value.path.name, err.value.column) == ("mine.csv", "comments")
    assert "'comments', 'shares'" in str(err.value)


def test_a_bad_value_names_file_row_and_column(tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_text("Company,Kind\nAcme,client\nBeta,friend\n")
    with pytest.raises(RoiInputError) as err:
        load(
            path,
            source="generic",
            table="accounts",
            columns={"Company": "company", "Kind": "status"},
        )
    assert (err.value.path.name, err.value.rows, err.value.column) == (
        "accounts.csv",
        [3],
        "status",
    )
    assert "row 3" in str(err.value) and "'friend'" in str(err.value)


def test_wrong_delimiter_names_the_header_row(tmp_path):
    path = _write(tmp_path / "mine.csv", delimiter="|")
    with pytest.raises(RoiInputError) as err:
        _load(path)
    assert "separated by '|'" in str(err.value)
    assert (err.value.path.name, err.value.rows, err.value.column) == ("mine.csv", [1], "ID")


def test_unreadable_dates_are_explained_with_an_example(tmp_path):
    path = _write(tmp_path / "mine.csv")
    reason = _load(path).report.to_frame().query("rule == 'unreadable date'")["reason"].tolist()
    assert reason == [
        "not a date and time like 2025-03-24 14:30 or 2025-03-24T14:30:00+01:00: read as unknown"
    ]
    days = tmp_path / "followers.csv"
    days.write_text("account,platform,date,followers\nacme,x,2025-01-01,5\nacme,x,soon,6\n")
    entry = load(days).report.to_frame().query("rule == 'unreadable date'")
    assert entry[["row", "column", "original", "reason"]].values.tolist() == [
        [3, "date", "soon", "not a date like 2025-03-24: read as unknown"]
    ]
