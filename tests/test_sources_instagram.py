"""Instagram profile tables: the top-200 influencer table and broken variants of it.

Expected numbers come from the raw text, converted here with ``decimal`` by hand rules
(``475.8m`` is 475.8 x 10^6), independently of :mod:`roi_helpers.parsing`.
"""

from __future__ import annotations

import csv
import io
import math
from decimal import Decimal

import pandas as pd
import pytest

from roi_helpers import RoiInputError, load
from roi_helpers.sources import instagram_profiles

FILE = "top_insta_influencers_data.csv"
_SCALE = {"k": Decimal(10**3), "m": Decimal(10**6), "b": Decimal(10**9)}


def by_hand(text: str) -> Decimal:
    """``475.8m`` -> 475800000, ``0.89k`` -> 890, ``92`` -> 92, exactly."""
    text = text.strip()
    if text[-1] in _SCALE:
        return Decimal(text[:-1]) * _SCALE[text[-1]]
    return Decimal(text)


def rate_by_hand(text: str) -> float:
    return math.nan if text == "NaN%" else float(Decimal(text[:-1]) / 100)


@pytest.fixture(scope="module")
def raw(shared):
    path = shared / "instagram_profiles" / FILE
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data  # BOM and CRLF, as described
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return path, rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


@pytest.fixture(scope="module")
def loaded(raw):
    return load(raw[0])


def write_rows(path, header, rows, delimiter=",", encoding="utf-8", newline="\r\n"):
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    writer.writerows([[r[h] for h in header] for r in rows])
    path.write_text(buf.getvalue(), encoding=encoding, newline="")
    return path


def test_every_profile_matches_the_raw_text_converted_by_hand(raw, loaded):
    _, header, rows = raw
    assert (loaded.source, loaded.kind) == ("instagram_profiles", "profiles")
    data = loaded.data
    assert len(data) == len(rows) == 200
    assert data["account"].tolist() == [r["channel_info"] for r in rows]
    assert set(data["platform"]) == {"instagram"}
    for got, r in zip(data.itertuples(index=False), rows, strict=True):
        assert got.followers == int(by_hand(r["followers"])), r["channel_info"]
        assert got.posts == int(by_hand(r["posts"])), r["channel_info"]
        assert got.total_likes == int(by_hand(r["total_likes"])), r["channel_info"]
        assert got.rank == int(r["rank"])
        assert got.avg_likes == pytest.approx(float(by_hand(r["avg_likes"])), rel=1e-12)
        assert got.new_post_avg_like == pytest.approx(
            float(by_hand(r["new_post_avg_like"])), rel=1e-12
        )
        assert got.influence_score == float(r["influence_score"])
        expected = rate_by_hand(r["60_day_eng_rate"])
        if math.isnan(expected):
            assert math.isnan(got.engagement_rate)
        else:
            assert got.engagement_rate == pytest.approx(expected, rel=1e-12)


def test_known_rows_by_hand(loaded):
    data = loaded.data.set_index("account")
    ronaldo = data.loc["cristiano"]
    assert ronaldo["followers"] == 475_800_000 and ronaldo["posts"] == 3_300
    assert ronaldo["total_likes"] == 29_000_000_000 and ronaldo["avg_likes"] == 8_700_000.0
    assert ronaldo["engagement_rate"] == pytest.approx(0.0139)
    assert data.loc["leomessi", "posts"] == 890  # written 0.89k
    assert pd.isna(data.loc["rkive", "engagement_rate"])  # written NaN%: unknown, not zero
    assert data.loc["rkive", "new_post_avg_like"] == 0.0


def test_empty_countries_stay_unknown(raw, loaded):
    _, _, rows = raw
    empty = sum(1 for r in rows if not r["country"].strip())
    assert empty == 62 and int(loaded.data["country"].isna().sum()) == 62


def test_garbled_country_is_flagged_and_kept_as_written(raw, loaded):
    _, _, rows = raw
    garbled = [(i + 2, r["country"]) for i, r in enumerate(rows) if "Ã" in r["country"]]
    assert garbled == [(134, "CÃ´te d'Ivoire")]
    flags = loaded.report.to_frame().query("rule == 'garbled text'")
    assert flags[["row", "column", "original", "action"]].values.tolist() == [
        [134, "country", "CÃ´te d'Ivoire", "flagged"]
    ]
    assert loaded.data.loc[loaded.data["source_row"] == 134, "country"].item() == "CÃ´te d'Ivoire"
    # nothing else was changed or set aside
    assert set(loaded.report.to_frame()["action"]) == {"flagged"}


def test_rows_read_equal_rows_kept_plus_set_aside(raw, loaded):
    bal = loaded.report.balance().iloc[0]
    assert bal["rows_read"] == len(raw[2]) == bal["rows_kept"] + bal["rows_set_aside"]
    assert bal["rows_set_aside"] == 0


def test_aliases_and_percent_free_rates(tmp_path):
    path = tmp_path / "profiles.csv"
    path.write_text(
        "Username,Followers,Posts,Average Likes,Engagement Rate\n"
        "ana,1.2K,10,35.5,0.031\n"
        'bo,"1,234",3,2,4.5\n'
    )
    res = load(path)
    data = res.data
    assert data["account"].tolist() == ["ana", "bo"]
    assert data["followers"].tolist() == [1200, 1234]
    assert data["avg_likes"].tolist() == [35.5, 2.0]
    assert data["engagement_rate"].tolist() == [0.031, 4.5]
    flag = res.report.to_frame().query("rule == 'rate above 100%'")
    assert flag[["row", "original"]].values.tolist() == [[3, "4.5"]]


def test_unreadable_numbers_are_recorded_with_their_row(tmp_path, raw):
    _, header, rows = raw
    rows = [dict(r) for r in rows[:4]]
    rows[2]["followers"] = "many"
    res = load(write_rows(tmp_path / FILE, header, rows))
    assert pd.isna(res.data["followers"].iloc[2])
    entry = res.report.to_frame().query("rule == 'unreadable number'")
    assert entry[["row", "column", "original"]].values.tolist() == [[4, "followers", "many"]]


# -- broken files -------------------------------------------------------------------------------
def test_utf16_re_encoding_loads_the_same(tmp_path, raw, loaded):
    copy = tmp_path / FILE
    copy.write_text(raw[0].read_text(encoding="utf-8-sig"), encoding="utf-16")
    pd.testing.assert_frame_equal(load(copy).data, loaded.data)


def test_truncated_inside_a_quoted_value(tmp_path, raw):
    _, header, rows = raw
    text = write_rows(tmp_path / "full.csv", header, rows).read_text()
    broken = tmp_path / FILE
    broken.write_text(text + '201,"half a na')
    with pytest.raises(RoiInputError, match="truncated") as err:
        load(broken)
    assert FILE in str(err.value)


def test_truncated_last_row_is_set_aside_not_lost(tmp_path, raw):
    _, header, rows = raw
    text = write_rows(tmp_path / FILE, header, rows).read_text()
    (tmp_path / FILE).write_text(text + "201,someone,80,1.1k\r\n")
    res = load(tmp_path / FILE)
    bal = res.report.balance().iloc[0]
    assert (bal["rows_read"], bal["rows_kept"], bal["rows_set_aside"]) == (201, 200, 1)
    aside = res.report.to_frame().query("action == 'set aside'")
    assert aside["row"].tolist() == [202] and "4 fields" in aside["reason"].iloc[0]


def test_missing_required_column_names_file_column_and_header(tmp_path, raw):
    _, header, rows = raw
    kept = [h for h in header if h != "followers"]
    broken = write_rows(tmp_path / FILE, kept, rows)
    with pytest.raises(RoiInputError) as err:
        load(broken, source="instagram_profiles")
    msg = str(err.value)
    assert FILE in msg and "'followers'" in msg and err.value.column == "followers"
    assert "'channel_info'" in msg and "'60_day_eng_rate'" in msg  # the header it saw


def test_wrong_separator_says_which(tmp_path, raw):
    _, header, rows = raw
    broken = write_rows(tmp_path / FILE, header, rows, delimiter=";")
    with pytest.raises(RoiInputError, match="separated by ';'"):
        load(broken, source="instagram_profiles")
    with pytest.raises(RoiInputError):  # and it is not taken for something else
        load(broken)


def test_empty_file(tmp_path):
    empty = tmp_path / FILE
    empty.write_bytes(b"")
    with pytest.raises(RoiInputError, match="empty"):
        load(empty, source="instagram_profiles")
    empty.write_bytes(b"\xef\xbb\xbf\r\n")  # a byte-order mark and nothing else
    with pytest.raises(RoiInputError, match="the file is empty"):
        load(empty, source="instagram_profiles")


def test_sniffing_needs_an_account_followers_and_likes_or_rate():
    sniff = instagram_profiles.sniff
    assert sniff(None, "rank,channel_info,influence_score,posts,followers,avg_likes\n")
    assert sniff(None, "username,followers,engagement rate\n")
    assert not sniff(None, "username,followers\n")  # too little to tell
    assert not sniff(None, "Date,username,followers,avg_likes\n")  # a daily export
    assert not sniff(None, "company,status,followers,avg_likes\n")


def test_followers_too_large_for_a_count_are_recorded_not_a_crash(tmp_path, raw):
    _, header, rows = raw
    rows = [dict(r) for r in rows[:4]]
    rows[1]["followers"] = "1e20"
    rows[3]["followers"] = "inf"
    res = load(write_rows(tmp_path / FILE, header, rows))
    assert res.data["followers"].isna().tolist() == [False, True, False, True]
    assert res.data["followers"].iloc[0] == int(by_hand(rows[0]["followers"]))
    entry = res.report.to_frame().query("rule == 'unreadable number'")
    assert entry[["row", "column", "original"]].values.tolist() == [
        [3, "followers", "1e20"],
        [5, "followers", "inf"],
    ]
