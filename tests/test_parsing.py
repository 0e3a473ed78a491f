"""Numbers as exports write them: hand cases and generated ones (hypothesis)."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from roi_helpers.clean import CleaningReport
from roi_helpers.errors import RoiInputError
from roi_helpers.parsing import parameter_day, parse_counts, parse_numbers, parse_rates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234", 1234.0),
        ("1,234,567", 1234567.0),
        ("1.2K", 1200.0),
        ("1.2k", 1200.0),
        ("475.8m", 475_800_000.0),
        ("29.0b", 29_000_000_000.0),
        ("12.5%", 0.125),
        ("7.35E-4", 0.000735),
        ("2633.0", 2633.0),
        (" 42 ", 42.0),
        ("+3", 3.0),
        ("-3", -3.0),
        ("0.89k", 890.0),
        ("1\u00a0234", math.nan),  # a space is not a thousands separator we guess at
    ],
)
def test_parse_numbers_hand_cases(text, expected):
    got = parse_numbers(pd.Series([text])).values.iloc[0]
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("marker", ["", "-", "--", "NaN%", "n/a", "N/A", "null", None])
def test_missing_markers_are_unknown_not_invalid(marker):
    p = parse_numbers(pd.Series([marker], dtype=object))
    assert math.isnan(p.values.iloc[0])
    assert p.missing.iloc[0]
    assert not p.invalid.iloc[0]


def test_text_is_invalid_and_recorded_with_row_and_original():
    report = CleaningReport()
    counts = parse_counts(
        pd.Series(["5", "five", "2.5", "-"]),
        report=report,
        file="x.csv",
        rows=pd.Series([2, 3, 4, 5]),
        column="likes",
    )
    assert counts.tolist()[0] == 5
    assert counts.isna().tolist() == [False, True, True, True]
    entries = report.to_frame()
    assert entries["row"].tolist() == [3, 4]
    assert entries["original"].tolist() == ["five", "2.5"]
    assert set(entries["column"]) == {"likes"}
    assert set(entries["action"]) == {"coerced"}


def test_numeric_columns_pass_through():
    s = pd.Series([1.0, None, 3.5])
    p = parse_numbers(s)
    assert p.values.tolist()[0] == 1.0 and math.isnan(p.values.iloc[1])
    assert p.missing.tolist() == [False, True, False]


def test_rates():
    assert parse_rates(pd.Series(["1.39%"])).iloc[0] == pytest.approx(0.0139)
    assert parse_rates(pd.Series(["0.0155"])).iloc[0] == pytest.approx(0.0155)
    assert parse_rates(pd.Series(["2"]), percent=True).iloc[0] == pytest.approx(0.02)


# -- generated inputs -------------------------------------------------------------------------
def _with_commas(n: int) -> str:
    return f"{n:,}"


@given(st.integers(min_value=0, max_value=10**12))
def test_thousands_separators_round_trip(n):
    assert parse_numbers(pd.Series([_with_commas(n)])).values.iloc[0] == n


@given(
    st.decimals(min_value=0, max_value=999, places=1, allow_nan=False, allow_infinity=False),
    st.sampled_from([("k", 1e3), ("K", 1e3), ("m", 1e6), ("M", 1e6), ("b", 1e9), ("B", 1e9)]),
)
def test_suffixes(d, suffix):
    letter, scale = suffix
    got = parse_numbers(pd.Series([f"{d}{letter}"])).values.iloc[0]
    assert got == pytest.approx(float(d) * scale, rel=1e-9, abs=1e-9)


@given(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False))
def test_scientific_and_plain_forms_agree(x):
    s = pd.Series([repr(x), f"{x:.6e}", f"{x:.6E}"])
    got = parse_numbers(s).values
    assert got.iloc[0] == pytest.approx(x, rel=1e-12, abs=1e-300)
    assert got.iloc[1] == pytest.approx(x, rel=1e-6, abs=1e-300)
    assert got.iloc[2] == got.iloc[1]


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_percentages_are_fractions(d):
    got = parse_numbers(pd.Series([f"{d}%"])).values.iloc[0]
    assert got == pytest.approx(float(d) / 100, rel=1e-12, abs=1e-15)


@given(
    st.lists(
        st.one_of(st.integers(0, 10**9).map(str), st.sampled_from(["-", "--", "", "abc", "1.2K"])),
        max_size=30,
    )
)
def test_every_cell_is_exactly_one_of_number_missing_invalid(cells):
    p = parse_numbers(pd.Series(cells, dtype=object))
    number = p.values.notna()
    assert ((number.astype(int) + p.missing.astype(int) + p.invalid.astype(int)) == 1).all()


# -- counts too large for Int64, and infinities ------------------------------------------------
def test_huge_and_infinite_counts_are_recorded_not_raised():
    report = CleaningReport()
    cells = ["inf", "1e20", "-inf", "1e400", "9.3e18", "Infinity", "9e18", "5"]
    counts = parse_counts(
        pd.Series(cells),
        report=report,
        file="x.csv",
        rows=pd.Series(range(2, 2 + len(cells))),
        column="likes",
    )
    # 9e18 < 2**63 (9.22e18): a whole number an Int64 holds; every other big one is not
    assert counts.isna().tolist() == [True, True, True, True, True, True, False, False]
    assert counts.iloc[6] == 9 * 10**18 and counts.iloc[7] == 5
    entries = report.to_frame()
    assert entries[["file", "row", "column", "original"]].values.tolist() == [
        ["x.csv", 2, "likes", "inf"],
        ["x.csv", 3, "likes", "1e20"],
        ["x.csv", 4, "likes", "-inf"],
        ["x.csv", 5, "likes", "1e400"],
        ["x.csv", 6, "likes", "9.3e18"],
        ["x.csv", 7, "likes", "Infinity"],
    ]
    assert "too large" in entries["reason"].iloc[1]


def test_numeric_columns_with_infinity_or_huge_values_do_not_raise():
    report = CleaningReport()
    values = pd.Series([math.inf, 1e20, float(2**63), -math.inf, 3.0, math.nan])
    counts = parse_counts(values, report=report, file="f", rows=pd.Series(range(2, 8)))
    assert counts.isna().tolist() == [True, True, True, True, False, True]
    assert counts.iloc[4] == 3
    assert report.to_frame()["row"].tolist() == [2, 3, 4, 5]  # NaN is unknown, not unreadable
    rates = parse_numbers(pd.Series([math.inf, 0.5]))
    assert rates.invalid.tolist() == [True, False] and math.isnan(rates.values.iloc[0])


def _count_by_hand(cell: str) -> int | None:
    """What a count cell holds, worked out with exact decimals (None: not a count)."""
    from decimal import Decimal, InvalidOperation

    try:
        d = Decimal(cell)
    except InvalidOperation:
        return None
    if not d.is_finite():
        return None
    nearest = d.to_integral_value()
    # the documented tolerance: 2633.0000000001 (float noise in an export) is 2633
    if abs(d - nearest) > Decimal("1e-6") * max(Decimal(1), abs(d)):
        return None
    n = int(nearest)
    # the parser reads through float64: the value it sees must also stay below 2**63
    return n if abs(n) < 2**63 and abs(float(n)) < 2.0**63 else None


_CELLS = st.one_of(
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(min_value=1e15, max_value=1e30).map(lambda x: f"{x:.3e}"),
    st.sampled_from(["inf", "-inf", "Infinity", "1e20", "9223372036854775808", "-", ""]),
)


@given(st.lists(_CELLS, min_size=1, max_size=25))
def test_counts_never_raise_and_every_cell_is_a_count_unknown_or_recorded(cells):
    report = CleaningReport()
    series = pd.Series(cells, dtype=object)
    counts = parse_counts(series, report=report, file="f.csv", rows=pd.Series(range(len(cells))))
    recorded = set(report.to_frame()["row"].tolist())
    for i, cell in enumerate(cells):
        expected = _count_by_hand(cell)
        missing = cell.strip().lower() in {"", "-", "nan"}
        if expected is not None:  # exact below 2**53; beyond, as close as float64 gets
            assert abs(int(counts.iloc[i]) - expected) <= abs(expected) * 2**-52, cell
        else:
            assert pd.isna(counts.iloc[i]), cell
        if pd.isna(counts.iloc[i]):
            assert (i in recorded) != missing, cell  # unknown: said so by the file, or recorded
        else:
            assert i not in recorded


@given(
    st.lists(
        st.one_of(
            st.integers(0, 10**9).map(str),
            st.floats(allow_nan=True, allow_infinity=True).map(repr),
            st.sampled_from(["-", "--", "", "abc", "1.2K", "inf", "1e400"]),
        ),
        max_size=30,
    )
)
def test_every_cell_is_exactly_one_of_number_missing_invalid_even_infinite(cells):
    p = parse_numbers(pd.Series(cells, dtype=object))
    number = p.values.notna()
    assert ((number.astype(int) + p.missing.astype(int) + p.invalid.astype(int)) == 1).all()
    assert not pd.Series(p.values).isin([math.inf, -math.inf]).any()


# -- the readers' fast paths give what the general parser gives ----------------------------------
@given(
    st.lists(
        st.one_of(
            st.integers(-(10**20), 10**20).map(str),
            st.sampled_from(["-", "", "--", "1,234", "1.2K", "2633.0", " 7 ", "+5", "x", "inf"]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_fast_count_and_rate_columns_read_as_the_parser_does(cells):
    from roi_helpers.sources._common import read_counts, read_rates

    text = pd.Series(pd.array([c or None for c in cells], dtype="str"))
    raw = pd.DataFrame({"n": text})
    rows = pd.Series(range(2, 2 + len(cells)))
    fast_report, slow_report = CleaningReport(), CleaningReport()
    fast = read_counts(raw, "n", fast_report, "f.csv", rows)
    slow = parse_counts(
        text.astype(object), report=slow_report, file="f.csv", rows=rows, column="n"
    )
    assert fast.astype(object).tolist() == slow.astype(object).tolist()
    assert fast_report.to_frame()["row"].tolist() == slow_report.to_frame()["row"].tolist()
    rates = read_rates(raw, "n", CleaningReport(), "f.csv", rows)
    expected = parse_rates(text.astype(object))
    pd.testing.assert_series_equal(rates, expected, check_names=False, check_index=False)


# -- notebook date parameters ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2025-03-01", "2025-03-01"),
        (" 2025-03-01 ", "2025-03-01"),
        ("2025-03-01T23:30-02:00", "2025-03-02"),  # 01:30 UTC the next day
        ("2025-03-01 09:15", "2025-03-01"),
        (dt.date(2025, 3, 1), "2025-03-01"),
        (pd.Timestamp("2025-03-01 18:00", tz="Asia/Tokyo"), "2025-03-01"),  # 09:00 UTC
    ],
)
def test_a_date_parameter_is_a_utc_day(value, day):
    assert parameter_day(value, "start_date") == pd.Timestamp(day)


@pytest.mark.parametrize("value", ["May 2024", "2025-13-01", "2025/03/01", "soon", 20250301])
def test_a_date_parameter_that_is_not_iso_names_the_parameter(value):
    with pytest.raises(RoiInputError, match=r"end_date = .* is not a date") as err:
        parameter_day(value, "end_date")
    assert err.value.column == "end_date"


def test_an_empty_date_parameter_is_no_limit():
    assert parameter_day("", "start_date") is None and parameter_day(None, "x") is None
