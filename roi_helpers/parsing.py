"""Parsing the numbers and dates that exports write, vectorised.

Exports write numbers as ``1,234``, ``1.2K``, ``475.8m``, ``29.0b``, ``12.5%``, ``7.35E-4``,
``"2633.0"``, and *unknown* as ``-``, ``--``, ``NaN%`` or nothing. These functions turn a
whole column into numbers at once and say which cells could not be read, so a loader can
record each of them in its cleaning report instead of guessing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .clean import CleaningReport
from .errors import RoiInputError

__all__ = [
    "MISSING_MARKERS",
    "ParsedNumbers",
    "parse_counts",
    "parse_numbers",
    "parse_rates",
    "parameter_day",
]

#: Cell texts that mean "no value" (compared after stripping and lower-casing).
MISSING_MARKERS = frozenset(
    {"", "-", "--", "---", "—", "–", "n/a", "na", "nan", "nan%", "none", "null", "#n/a", "?"}
)

_LARGEST = float(2**63)  # the first whole number an Int64 cannot hold
_SUFFIX = {"": 1.0, "k": 1e3, "m": 1e6, "b": 1e9, "%": 0.01}
_NUMBER = (
    r"^(?P<sign>[+-]?)(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)"
    r"(?P<exp>[eE][+-]?\d+)?\s*(?P<suf>[kKmMbB%]?)$"
)


@dataclass(frozen=True)
class ParsedNumbers:
    """A parsed column.

    Attributes
    ----------
    values : Series of float64
        The numbers (percentages as fractions: ``12.5%`` is ``0.125``); NaN where
        missing or unreadable.
    missing : Series of bool
        True where the cell said "no value" (empty, ``-``, ``--``, ``NaN%``...).
    invalid : Series of bool
        True where the cell held text that is not a number: these need a report entry.
    """

    values: pd.Series
    missing: pd.Series
    invalid: pd.Series


def parse_numbers(values: pd.Series) -> ParsedNumbers:
    """Read a column of numbers as exports write them.

    Handles thousands separators (``1,234``), suffixes ``K``/``M``/``B`` (any case),
    percentages (``12.5%`` -> ``0.125``), scientific notation, surrounding spaces and
    non-breaking spaces, a leading ``+``. Columns that are already numeric pass through.
    Infinite values (``inf``, ``1e400``) are no number an export means: they are invalid.

    Parameters
    ----------
    values
        A Series of text or numbers; not modified.

    Returns
    -------
    ParsedNumbers
        ``values`` (float64, same index), and boolean masks ``missing`` and ``invalid``.

    Examples
    --------
    >>> import pandas as pd
    >>> p = parse_numbers(pd.Series(["1,234", "1.2K", "12.5%", "7.35E-4", "--", "abc", "475.8m"]))
    >>> p.values.round(6).tolist()[:4]
    [1234.0, 1200.0, 0.125, 0.000735]
    >>> p.values.iloc[6]
    np.float64(475800000.0)
    >>> p.missing.tolist(), p.invalid.tolist()
    ([False, False, False, False, True, False, False], [False, False, False, False, False, True, False])
    """
    index = values.index
    if pd.api.types.is_bool_dtype(values):
        values = values.astype("float64")
    if pd.api.types.is_numeric_dtype(values):
        out = pd.to_numeric(values, errors="coerce").astype("float64")
        missing = pd.Series(out.isna().to_numpy(), index=index)
        infinite = pd.Series(np.isinf(out.to_numpy()), index=index)
        return ParsedNumbers(out.where(~infinite), missing, infinite)

    text = values.astype("str").str.replace("\u00a0", " ", regex=False).str.strip()
    lowered = text.str.lower()
    missing = values.isna() | lowered.isin(MISSING_MARKERS)
    # Fast path: plain numbers parse in C; only the rest goes through the pattern.
    fast = pd.to_numeric(text.where(~missing), errors="coerce")
    out = fast.astype("float64")
    todo = out.isna() & ~missing
    if todo.any():
        parts = text[todo].str.extract(_NUMBER)
        ok = parts["num"].notna()
        number = pd.to_numeric(parts["num"].str.replace(",", "", regex=False), errors="coerce")
        exp = pd.to_numeric(parts["exp"].str[1:], errors="coerce").fillna(0)
        scale = parts["suf"].fillna("").str.lower().map(_SUFFIX).astype("float64")
        sign = np.where(parts["sign"] == "-", -1.0, 1.0)
        parsed = number * (10.0**exp) * scale * sign
        out.loc[parsed.index] = parsed.where(ok)
    # "inf", "Infinity", "1e400": not a number any export means
    out = out.where(~np.isinf(out.to_numpy()))
    invalid = out.isna() & ~missing
    return ParsedNumbers(out, missing.astype(bool), invalid.astype(bool))


def _record_invalid(
    parsed: ParsedNumbers,
    raw: pd.Series,
    *,
    report: CleaningReport | None,
    file: str | Path | None,
    rows: pd.Series | None,
    column: str,
    expected: str,
    large: pd.Series | None = None,
) -> None:
    if report is None or not parsed.invalid.any():
        return
    bad = parsed.invalid
    reason: str | np.ndarray = f"not {expected}: read as unknown"
    if large is not None and large.any():
        reason = np.where(
            large[bad].to_numpy(dtype=bool),
            f"far too large for a count (a count is {expected} below 2**63, "
            "about 9.2e18): read as unknown",
            reason,
        ).astype(object)
    report.record(
        file,
        rows[bad] if rows is not None else [pd.NA] * int(bad.sum()),
        rule="unreadable number",
        action="coerced",
        column=column,
        original=raw[bad],
        value=None,
        reason=reason,
    )


def parse_counts(
    values: pd.Series,
    *,
    report: CleaningReport | None = None,
    file: str | Path | None = None,
    rows: pd.Series | None = None,
    column: str | None = None,
) -> pd.Series:
    """Read a column of counts into nullable integers, recording what could not be read.

    A count written with decimals (``"2633.0"``, ``1.2K``) is kept when it is a whole
    number. Text that is not a number, and counts with a fraction (``2.5``), become
    ``<NA>`` and, when a ``report`` is given, each is recorded with its row and
    original text. Missing markers (``-``, ``--``, empty) become ``<NA>`` silently: the
    export is saying "unknown".

    Parameters
    ----------
    values
        The column as read.
    report, file, rows, column
        Where to record unreadable cells: the report, the file's name, each cell's row
        number in the file (same index as ``values``) and the column's name in the file.

    Returns
    -------
    Series of Int64

    Examples
    --------
    >>> import pandas as pd
    >>> parse_counts(pd.Series(["2633.0", "1,234", "-", "3.3k", "2.5"])).tolist()
    [2633, 1234, <NA>, 3300, <NA>]
    """
    column = column or str(values.name)
    parsed = parse_numbers(values)
    v = parsed.values
    fraction = v.notna() & (np.abs(v - np.round(v)) > 1e-6 * np.maximum(1.0, np.abs(v)))
    # Int64 holds whole numbers below 2**63: larger ones ("1e20") are no count anyway
    too_large = v.notna() & ~(np.abs(v) < _LARGEST)
    if fraction.any() or too_large.any():
        parsed = ParsedNumbers(
            v.where(~(fraction | too_large)), parsed.missing, parsed.invalid | fraction | too_large
        )
    _record_invalid(
        parsed,
        values,
        report=report,
        file=file,
        rows=rows,
        column=column,
        expected="a whole number",
        large=too_large,
    )
    numbers = parsed.values.to_numpy(dtype="float64")
    unknown = np.isnan(numbers)
    whole = np.round(np.where(unknown, 0.0, numbers)).astype("int64")
    counts = pd.arrays.IntegerArray(whole, unknown)
    return pd.Series(counts, index=values.index, name=values.name)


def parse_rates(
    values: pd.Series,
    *,
    report: CleaningReport | None = None,
    file: str | Path | None = None,
    rows: pd.Series | None = None,
    column: str | None = None,
    percent: bool | None = None,
) -> pd.Series:
    """Read a column of rates into fractions (float64).

    ``1.39%`` is ``0.0139``. A column without ``%`` signs is taken as fractions unless
    ``percent=True`` (for exports that write ``1.39`` meaning 1.39%).

    Examples
    --------
    >>> import pandas as pd
    >>> parse_rates(pd.Series(["1.39%", "NaN%", "0.5%"])).round(4).tolist()
    [0.0139, nan, 0.005]
    >>> parse_rates(pd.Series(["1.5", "2"]), percent=True).tolist()
    [0.015, 0.02]
    """
    column = column or str(values.name)
    parsed = parse_numbers(values)
    _record_invalid(
        parsed, values, report=report, file=file, rows=rows, column=column, expected="a rate"
    )
    out = parsed.values
    if percent:
        out = out / 100.0
    return pd.Series(out.to_numpy(dtype="float64"), index=values.index, name=values.name)


def parameter_day(value: object, name: str) -> pd.Timestamp | None:
    """A notebook's date parameter (``start_date``, ``end_date``) as a naive UTC day.

    Parameters
    ----------
    value
        An ISO date or date and time (``2025-03-01``, ``2025-03-01T09:00+02:00``), a
        date or Timestamp, or ``""``/None for no limit.
    name
        The parameter's name, for the error.

    Returns
    -------
    Timestamp or None
        Midnight of the day (a time with an offset is first put in UTC); None when empty.

    Raises
    ------
    RoiInputError
        Anything else, ``May 2024`` and ``2025-13-01`` included: a guess at what a person
        meant would choose the period for them.

    Examples
    --------
    >>> parameter_day("2025-03-01T23:30-02:00", "end_date")
    Timestamp('2025-03-02 00:00:00')
    >>> parameter_day("", "start_date") is None
    True
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        if isinstance(value, str):
            day = pd.Timestamp(dt.datetime.fromisoformat(value.strip()))
        elif isinstance(value, dt.date | pd.Timestamp | np.datetime64):
            day = pd.Timestamp(value)
        else:
            raise TypeError
    except (ValueError, TypeError):
        day = pd.NaT
    if pd.isna(day):
        raise RoiInputError(
            f"{name} = {value!r} is not a date",
            column=name,
            expected="an ISO date such as 2025-03-01, or empty for no limit",
        )
    if day.tzinfo is not None:
        day = day.tz_convert("UTC").tz_localize(None)
    return day.normalize()
