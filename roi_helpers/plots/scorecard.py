"""Charts for the scorecard: four small charts, readable at a glance.

Each chart takes ``Scorecard.series`` (see :func:`roi_helpers.scorecard.build_scorecard`)
and ``ax=None``, and returns the Axes. One bar per period, oldest on the left: this
period in blue, the previous one in dark grey, older ones in light grey (hatched where the
period has too little data to read much into). The title says what the number is, its
value now, and the direction and size of the change against the previous period; the
line under the chart says how it is computed (the engagement rate's formula, for one).
:func:`plot_scorecard` draws the four in one compact 2 x 2 figure.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, PercentFormatter

from ..errors import RoiInputError
from ..scorecard import describe_change
from ..scorecard import format_value as _fmt
from ._base import get_ax, no_data

__all__ = [
    "plot_amplification",
    "plot_reach",
    "plot_relevance",
    "plot_resonance",
    "plot_scorecard",
]

_NOW = "#0072B2"
_BEFORE = "0.35"
_OLDER = "0.8"
_DIRECTION = {"up": "#009E73", "down": "#D55E00", "same": "0.35", "": "0.35"}
_ARROW = {"up": "▲", "down": "▼", "same": "▶", "": ""}
_SHARES = ("share of connections", "fraction")
_NEEDED = ("metric", "period", "start", "end", "value", "n", "status", "unit", "label")


def _rows(series: pd.DataFrame, metric: str) -> pd.DataFrame:
    if not isinstance(series, pd.DataFrame):
        raise RoiInputError(
            f"the scorecard charts need Scorecard.series (a DataFrame), not {type(series).__name__}",
            expected="build_scorecard(...).series",
        )
    missing = [c for c in _NEEDED if c not in series.columns]
    if missing:
        raise RoiInputError(
            "this is not a scorecard series: it has no column(s) " + ", ".join(missing),
            column=missing[0],
            expected="build_scorecard(...).series",
        )
    return series[series["metric"] == metric].sort_values("period").reset_index(drop=True)


def _change(now: pd.Series, before: pd.Series) -> tuple[str, str]:
    """The change as text and its direction (up, down, same or "")."""
    if now["status"] == "no data" or before["status"] == "no data":
        return "nothing to compare with", ""
    return describe_change(now["value"], before["value"], str(now["unit"]))


def _overlap(now: pd.Series, before: pd.Series) -> bool:
    """True when both periods have an interval and the two overlap."""
    ends = [now.get("low"), now.get("high"), before.get("low"), before.get("high")]
    if any(v is None or pd.isna(v) for v in ends):
        return False
    return bool(now["low"] <= before["high"] and before["low"] <= now["high"])


def _tick(start: pd.Timestamp, end: pd.Timestamp) -> str:
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if start == end:
        return f"{end.day} {end:%b}"
    if start.month == end.month:
        return f"{start.day}–{end.day}\n{end:%b}"
    return f"{start.day} {start:%b}\n–{end.day} {end:%b}"


def _panel(series: pd.DataFrame, metric: str, ax: Axes | None, caption: str = "") -> Axes:
    """One small chart: a bar per period, this one highlighted, the change in the title."""
    ax = get_ax(ax, figsize=(5.5, 3.6))
    df = _rows(series, metric)
    if df.empty:
        return no_data(ax, f"No {metric} in this scorecard.")
    unit = str(df["unit"].iloc[0])
    label = str(df["label"].iloc[0])
    now = df[df["period"] == 0].iloc[0]
    before = df[df["period"] == -1].iloc[0] if (df["period"] == -1).any() else now
    days = int((pd.Timestamp(now["end"]) - pd.Timestamp(now["start"])).days) + 1
    if now["status"] == "no data":
        ax.set_title(label, fontsize=11, loc="left", fontweight="bold")
        return no_data(ax, textwrap.fill(f"No data for this period: {now['why']}.", 48))
    text, direction = _change(now, before)
    ax.set_title(label, fontsize=11, loc="left", fontweight="bold", pad=22)
    line = f"{_fmt(now['value'], unit)}  {_ARROW[direction]} {text}".replace("  ", " ")
    if direction:
        word = "as" if direction == "same" else "from"
        line += f" {word} {_fmt(before['value'], unit)}"
    line += f", vs the {days} days before"
    color = _DIRECTION[direction]
    if direction in ("up", "down") and _overlap(now, before):
        color = _DIRECTION["same"]  # within the noise: not coloured as a change
        caption = "The two intervals overlap: the change may be chance. " + caption
    ax.text(0, 1.02, line, transform=ax.transAxes, fontsize=10, color=color,
            fontweight="bold", va="bottom")  # fmt: skip
    x = np.arange(len(df))
    known = df["status"].ne("no data").to_numpy() & df["value"].notna().to_numpy()
    heights = np.where(known, df["value"].astype(float).fillna(0).to_numpy(), 0.0)
    colors = np.where(df["period"] == 0, _NOW, np.where(df["period"] == -1, _BEFORE, _OLDER))
    bars = ax.bar(x, heights, color=colors, width=0.7, zorder=2)
    for bar, status in zip(bars, df["status"], strict=True):
        if status == "not enough data":
            bar.set_hatch("///")
            bar.set_edgecolor("white")
    if {"low", "high"} <= set(df.columns) and df["low"].notna().any():
        ok = known & df["low"].notna().to_numpy()
        lo = (heights - df["low"].astype(float).fillna(0).to_numpy()).clip(min=0)
        hi = (df["high"].astype(float).fillna(0).to_numpy() - heights).clip(min=0)
        ax.errorbar(
            x[ok], heights[ok], yerr=np.vstack([lo[ok], hi[ok]]), fmt="none", ecolor="0.2",
            elinewidth=1, capsize=3, zorder=3,
        )  # fmt: skip
    top = max(
        float(np.nanmax(heights)) if len(heights) else 0.0,
        float(df["high"].max()) if "high" in df.columns and df["high"].notna().any() else 0.0,
    )
    for i in np.flatnonzero(df["period"].isin([0, -1]).to_numpy()):
        if not known[i]:
            continue
        y = heights[i]
        if "high" in df.columns and pd.notna(df["high"].iloc[i]):
            y = max(y, float(df["high"].iloc[i]))
        ax.text(
            x[i], y + 0.02 * (top or 1), _fmt(heights[i], unit), ha="center", va="bottom",
            fontsize=9, fontweight="bold" if df["period"].iloc[i] == 0 else "normal",
            color=_NOW if df["period"].iloc[i] == 0 else _BEFORE,
        )  # fmt: skip
    for i in np.flatnonzero(~known):
        ax.text(x[i], 0, "no data", ha="center", va="bottom", fontsize=7, color="0.4")
    ax.set_ylim(0, (top or 1) * 1.18)
    ax.set_xticks(x, [_tick(s, e) for s, e in zip(df["start"], df["end"], strict=True)])
    ax.tick_params(axis="x", labelsize=7.5, length=0)
    for tick, period in zip(ax.get_xticklabels(), df["period"], strict=True):
        if period == 0:
            tick.set_fontweight("bold")
            tick.set_color(_NOW)
    if unit in _SHARES:
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=None))
    else:
        ax.yaxis.set_major_formatter(
            FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 10 else f"{v:g}")
        )
    ax.tick_params(axis="y", labelsize=8)
    ax.set_ylabel(unit if unit not in _SHARES else "", fontsize=8)
    ax.grid(axis="y", color="0.92", zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    if caption:
        ax.set_xlabel(textwrap.fill(caption, 80), fontsize=8, color="0.3", loc="left")
    return ax


def _caption(series: pd.DataFrame, metric: str, default: str) -> str:
    df = _rows(series, metric)
    if "definition" in df.columns and df["definition"].notna().any():
        return str(df["definition"].dropna().iloc[0])
    return default


def plot_relevance(series: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Relevance: the share of buyers in the network at the end of each period.

    Parameters
    ----------
    series
        ``Scorecard.series`` (its ``buyer_share`` rows are drawn).
    ax
        Axes to draw on (a new figure's when None).

    Returns
    -------
    Axes
        One bar per period: buyers / connections made by the period's end.

    Raises
    ------
    RoiInputError
        ``series`` is not a scorecard series.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"metric": "buyer_share", "period": [-1, 0],
    ...     "start": pd.to_datetime(["2025-11-06", "2025-12-04"]),
    ...     "end": pd.to_datetime(["2025-12-03", "2025-12-31"]), "value": [0.10, 0.12],
    ...     "n": [100, 110], "status": "ok", "why": "", "unit": "share of connections",
    ...     "label": "Relevance: buyers in the network"})
    >>> plot_relevance(s).texts[0].get_text()
    '12.0% ▲ up 2.0 points from 10.0%, vs the 28 days before'
    """
    caption = "buyers (clients, prospects, target personas) / connections made by each period's end"
    return _panel(series, "buyer_share", ax, caption)


def plot_resonance(series: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Resonance: the engagement rate of each period's posts, with its interval.

    Parameters
    ----------
    series
        ``Scorecard.series`` (its ``engagement_rate`` rows are drawn).
    ax
        Axes to draw on (a new figure's when None).

    Returns
    -------
    Axes
        One bar per period with its interval; the formula under the chart.

    Raises
    ------
    RoiInputError
        ``series`` is not a scorecard series.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"metric": "engagement_rate", "period": [-1, 0],
    ...     "start": pd.to_datetime(["2025-01-01", "2025-01-08"]),
    ...     "end": pd.to_datetime(["2025-01-07", "2025-01-14"]), "value": [0.02, 0.015],
    ...     "low": [0.01, 0.01], "high": [0.03, 0.02], "n": [9, 8], "status": "ok",
    ...     "why": "", "unit": "fraction", "label": "Resonance: engagement rate",
    ...     "definition": "engagement rate = median over posts of likes / impressions"})
    >>> ax = plot_resonance(s)
    >>> ax.texts[0].get_text()
    '1.50% ▼ down 0.50 points from 2.00%, vs the 7 days before'
    >>> ax.get_xlabel().replace("\\n", " ")
    'The two intervals overlap: the change may be chance. engagement rate = median over posts of likes / impressions'
    """
    return _panel(series, "engagement_rate", ax, _caption(series, "engagement_rate", ""))


def plot_reach(series: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Reach: impressions (or reach, as the label says) per post, the mean of each period.

    Parameters
    ----------
    series
        ``Scorecard.series`` (its ``per_post`` rows are drawn).
    ax
        Axes to draw on (a new figure's when None).

    Returns
    -------
    Axes
        One bar per period; this period's median per post under the chart.

    Raises
    ------
    RoiInputError
        ``series`` is not a scorecard series.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"metric": "per_post", "period": [-1, 0],
    ...     "start": pd.to_datetime(["2025-01-01", "2025-01-08"]),
    ...     "end": pd.to_datetime(["2025-01-07", "2025-01-14"]), "value": [1000.0, 1500.0],
    ...     "median": [800.0, 900.0], "n": [9, 8], "status": "ok", "why": "",
    ...     "unit": "impressions per post", "label": "Reach: impressions per post"})
    >>> plot_reach(s).texts[0].get_text()
    '1,500 ▲ up 50% from 1,000, vs the 7 days before'
    """
    df = _rows(series, "per_post")
    caption = ""
    if len(df) and "median" in df.columns and (df["period"] == 0).any():
        now = df[df["period"] == 0].iloc[0]
        what = str(now["unit"]).replace(" per post", "")
        if pd.notna(now["median"]):
            caption = (
                f"mean {what} per post over the period's posts; the median post: "
                f"{_fmt(now['median'], str(now['unit']))} (a few big posts lift the mean)"
            )
    return _panel(series, "per_post", ax, caption)


def plot_amplification(series: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Amplification: shares per post, with the reshare trees' depth and virality beneath.

    Parameters
    ----------
    series
        ``Scorecard.series`` (its ``shares_per_post`` rows are drawn; ``cascade_depth``
        and ``structural_virality`` are written under the chart when present).
    ax
        Axes to draw on (a new figure's when None).

    Returns
    -------
    Axes
        One bar per period; under it, this period's mean reshare depth and structural
        virality against the previous period's, or why there are none.

    Raises
    ------
    RoiInputError
        ``series`` is not a scorecard series.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"metric": ["shares_per_post"] * 2 + ["cascade_depth"] * 2,
    ...     "period": [-1, 0, -1, 0],
    ...     "start": pd.to_datetime(["2025-01-01", "2025-01-08"] * 2),
    ...     "end": pd.to_datetime(["2025-01-07", "2025-01-14"] * 2),
    ...     "value": [2.0, 2.0, 1.5, 2.0], "n": [9, 8, 4, 5], "status": "ok", "why": "",
    ...     "unit": ["shares per post"] * 2 + ["generations"] * 2,
    ...     "label": ["Amplification: shares per post"] * 2 + ["Reshare depth"] * 2})
    >>> ax = plot_amplification(s)
    >>> ax.texts[0].get_text()
    '2.00 ▶ about the same as 2.00, vs the 7 days before'
    >>> ax.get_xlabel().replace("\\n", " ")
    "reshare trees of the period's posts: 2.00 generations deep on average (1.50 before)"
    """
    parts = []
    for metric, what in (
        ("cascade_depth", "{} generations deep on average"),
        ("structural_virality", "structural virality {}"),
    ):
        df = _rows(series, metric)
        if df.empty or not (df["period"] == 0).any():
            continue
        now = df[df["period"] == 0].iloc[0]
        if now["status"] == "no data":
            parts.append(f"no reshare trees: {now['why']}")
            break
        unit = str(now["unit"])
        text = what.format(_fmt(now["value"], unit))
        before = df[df["period"] == -1]
        if len(before) and before["status"].iloc[0] != "no data":
            text += f" ({_fmt(before['value'].iloc[0], unit)} before)"
        parts.append(text)
    caption = "reshare trees of the period's posts: " + "; ".join(parts) if parts else ""
    if parts and parts[0].startswith("no reshare trees"):
        caption = parts[0]
    return _panel(series, "shares_per_post", ax, caption)


def plot_scorecard(series: pd.DataFrame, axes: np.ndarray | None = None) -> np.ndarray:
    """The four small charts in one compact 2 x 2 figure.

    Parameters
    ----------
    series
        ``Scorecard.series``.
    axes
        Four Axes to draw on (any shape); a new 11 x 7.5 inch figure's when None.

    Returns
    -------
    ndarray of Axes
        Relevance, resonance (top), reach, amplification (bottom).

    Raises
    ------
    RoiInputError
        ``series`` is not a scorecard series, or ``axes`` are not four.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"metric": ["buyer_share"], "period": [0],
    ...     "start": pd.to_datetime(["2025-12-04"]), "end": pd.to_datetime(["2025-12-31"]),
    ...     "value": [0.2], "n": [50], "status": "ok", "why": "",
    ...     "unit": "share of connections", "label": "Relevance: buyers in the network"})
    >>> axes = plot_scorecard(s)
    >>> axes.shape, axes[0, 1].texts[0].get_text()
    ((2, 2), 'No engagement_rate in this scorecard.')
    """
    if axes is None:
        _, axes = plt.subplots(2, 2, figsize=(11, 7.5), layout="constrained")
    axes = np.asarray(axes)
    if axes.size != 4:
        raise RoiInputError(
            f"plot_scorecard draws four charts, and was given {axes.size} Axes",
            expected="None, or four Axes (a 2 x 2 array)",
        )
    flat = axes.ravel()
    for fn, ax in zip(
        (plot_relevance, plot_resonance, plot_reach, plot_amplification), flat, strict=True
    ):
        fn(series, ax=ax)
    return axes
