"""Tables fit to read: no index column, percentages as percentages, durations in words.

Notebooks show frames to people who never open code (the HTML reports); a raw frame shows
a ``0, 1, 2`` index, ``0.162345`` for 16.2% and ``0 days 00:51:50`` for 52 minutes.
:func:`show` returns a pandas ``Styler`` that reads well in JupyterLab and in the reports.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

__all__ = ["duration_text", "show"]


def duration_text(value: pd.Timedelta | float | None) -> str:
    """A duration in words: ``"52 min"``, ``"3.4 h"``, ``"2.1 days"``; ``""`` when unknown.

    Numbers are taken as seconds.

    Examples
    --------
    >>> duration_text(pd.Timedelta(minutes=51, seconds=50))
    '52 min'
    >>> duration_text(pd.Timedelta(hours=50))
    '2.1 days'
    >>> duration_text(None)
    ''
    """
    if value is None or (not isinstance(value, pd.Timedelta) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timedelta):
        if pd.isna(value):
            return ""
        seconds = value.total_seconds()
    else:
        seconds = float(value)
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def show(
    df: pd.DataFrame,
    percent: Iterable[str] = (),
    decimals: int = 2,
    max_rows: int | None = 30,
    caption: str | None = None,
    index: bool = False,
) -> Styler:
    """A frame styled for reading: no index, numbers formatted by kind, long tables cut.

    Parameters
    ----------
    df
        Any frame; not mutated.
    percent
        Columns holding fractions to show as percentages (``0.162`` -> ``16.2%``).
    decimals
        Decimals for other non-integer numbers.
    max_rows
        Show at most this many rows (the caption says how many there are); None: all.
    caption
        A line above the table.
    index
        Keep the index (for frames whose index is a label, such as a pivot).

    Returns
    -------
    Styler
        Integers with thousands separators, fractions in ``percent`` as percentages,
        durations in words, dates as ``YYYY-MM-DD``, missing values as an empty cell.

    Examples
    --------
    >>> import pandas as pd
    >>> html = show(pd.DataFrame({"share": [0.162], "n": [1910]}), percent=["share"]).to_html()
    >>> "16.2%" in html and "1,910" in html
    True
    """
    percent = set(percent)
    total = len(df)
    shown = df if max_rows is None or total <= max_rows else df.head(max_rows)
    shown = shown.copy()
    formats: dict[str, object] = {}
    for col in shown.columns:
        s = shown[col]
        if col in percent:
            formats[col] = lambda v: "" if pd.isna(v) else f"{v:.1%}"
        elif pd.api.types.is_timedelta64_dtype(s):
            shown[col] = s.map(duration_text)
        elif pd.api.types.is_datetime64_any_dtype(s):
            formats[col] = lambda v: "" if pd.isna(v) else f"{v:%Y-%m-%d}"
        elif pd.api.types.is_bool_dtype(s):
            continue
        elif pd.api.types.is_integer_dtype(s):
            formats[col] = lambda v: "" if pd.isna(v) else f"{int(v):,}"
        elif pd.api.types.is_float_dtype(s):
            whole = s.dropna()
            if len(whole) and np.all(np.mod(whole.to_numpy(dtype=float), 1) == 0):
                formats[col] = lambda v: "" if pd.isna(v) else f"{v:,.0f}"
            else:
                formats[col] = lambda v, d=decimals: "" if pd.isna(v) else f"{v:,.{d}f}"
    styler = shown.style.format(formats, na_rep="")
    text = [c for c in shown.columns if not pd.api.types.is_numeric_dtype(shown[c]) or c in percent]
    words = [c for c in text if c not in percent and c not in formats]
    if words:  # words read from the left; numbers stay right-aligned
        styler = styler.set_properties(subset=words, **{"text-align": "left"})
        styler = styler.set_table_styles(
            [
                {"selector": f"th.col{shown.columns.get_loc(c)}", "props": "text-align: left"}
                for c in words
            ],
            overwrite=False,
        )
    if not index:
        styler = styler.hide(axis="index")
    note = caption or ""
    if max_rows is not None and total > max_rows:
        note = (note + " " if note else "") + f"(first {max_rows} of {total:,} rows)"
    if note:
        styler = styler.set_caption(note)
    return styler
