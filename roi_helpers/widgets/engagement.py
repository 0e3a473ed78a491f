"""An explorer for engagement rates: platform, date range, formula preset, grouping.

A thin layer: every view calls the functions of :mod:`roi_helpers.engagement` and draws
with :mod:`roi_helpers.plots.engagement`, exactly as the notebook's static cells do. The
posts selected by platform and dates, and each rate computed from them, are cached, so
moving one control recomputes only what depends on it.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import ipywidgets as W
import pandas as pd
import pandas.io.formats.style  # Explorer._show reads pd.io.formats.style: make sure it exists

from .. import engagement as E
from ..errors import RoiInputError
from ..plots import engagement as P
from ._base import Explorer, TooLittleData

__all__ = ["PRESET_CHOICES", "engagement_explorer"]

#: The formulas offered: a label for people -> a preset name (None: the kit's default).
PRESET_CHOICES: dict[str, str | None] = {
    "Kit default: median (likes + comments + shares) / impressions": None,
    "LinkedIn: (clicks + likes + comments + shares) / impressions": "linkedin",
    "X: X's engagements / impressions": "x",
    "Sprout Social: (likes + comments + shares + clicks) / impressions": "sprout_social",
    "Rival IQ: mean (likes + comments + shares) / followers": "rival_iq",
    "Emplifi: interactions per 1,000 impressions": "emplifi",
}
_GROUPS = ("content_type", "platform", "account", "month", "weekday", "hour", "paid")


def engagement_explorer(
    posts: pd.DataFrame,
    *,
    platforms: Sequence[str] | None = None,
    time_zone: str = "UTC",
    min_posts_per_cell: int = 3,
    n_boot: int = 500,
    title: str | None = "Explore engagement rates",
) -> Explorer:
    """Controls for platform, months, formula and grouping above the engagement charts.

    Parameters
    ----------
    posts
        The posts table (with ``followers`` if the Rival IQ formula should work); not
        mutated (the explorer keeps its own copy). Every platform in it is offered.
    platforms
        The platforms selected at first (default: all); the others stay offered.
    time_zone
        Time zone of the weekday x hour heatmap and of the month and hour groups.
    min_posts_per_cell
        Fewest posts a heatmap cell needs to show a rate.
    n_boot
        Bootstrap resamples per interval (fewer than the notebook's, for speed).
    title
        Heading above the controls.

    Returns
    -------
    Explorer
        With controls ``platforms``, ``months`` (a range slider), ``formula`` and
        ``group``, and views ``summary`` (the overall rate in words), ``by_group``,
        ``best_times``, ``trend`` and ``breakouts``. A formula the data cannot support
        (no followers, no X engagements) shows a note instead of a chart; when it lacks
        a column on some platforms only, the summary says how many posts of which
        platform are left out, and why. Posts without a content type or a time of day
        are left out of the charts that need them, and the charts say so.

    Raises
    ------
    RoiInputError
        ``posts`` has no posts with a publication date.

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"post_id": ["a", "b"], "platform": "x", "account": "me",
    ...     "published_at": pd.to_datetime(["2024-01-05", "2024-02-05"], utc=True),
    ...     "likes": [3, 5], "comments": 0, "shares": 0, "impressions": [100, 100]})
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):  # outside Jupyter, views print
    ...     ex = engagement_explorer(posts)
    >>> sorted(ex.controls)
    ['formula', 'group', 'months', 'platforms']
    """
    data = posts.copy()
    dated = data["published_at"].dropna() if "published_at" in data.columns else pd.Series()
    if dated.empty:
        raise RoiInputError(
            "the explorer needs posts with a publication date; none has one",
            column="published_at",
            expected="the posts table from roi_helpers.load or load_dir",
        )
    days = dated.dt.tz_convert("UTC").dt.tz_localize(None)
    months = pd.period_range(days.min().to_period("M"), days.max().to_period("M"), freq="M")
    labels = [m.strftime("%Y-%m") for m in months]
    offered = sorted(data["platform"].dropna().unique())
    first = tuple(p for p in offered if not platforms or p in set(platforms)) or tuple(offered)
    groups = [g for g in _GROUPS if g in data.columns or g in ("month", "weekday", "hour")]
    controls = {
        "platforms": W.SelectMultiple(
            options=offered,
            value=first,
            description="Platforms",
            rows=min(max(len(offered), 2), 6),
        ),
        "months": W.SelectionRangeSlider(
            options=labels,
            index=(0, len(labels) - 1),
            description="Months",
            continuous_update=False,
            layout=W.Layout(width="420px"),
        ),
        "formula": W.Dropdown(
            options=list(PRESET_CHOICES),
            value=_default_choice(data),
            description="Formula",
            layout=W.Layout(width="520px"),
        ),
        "group": W.Dropdown(options=groups, value=groups[0], description="Group by"),
    }

    @lru_cache(maxsize=32)
    def selected(chosen: tuple[str, ...], first: str, last: str) -> pd.DataFrame:
        end = (pd.Period(last, "M").end_time).strftime("%Y-%m-%d")
        return E.select_posts(data, chosen, first + "-01", end)

    def _posts(v: dict[str, Any]) -> pd.DataFrame:
        first, last = v["months"]
        part = selected(tuple(v["platforms"]), first, last)
        if part.empty:
            raise TooLittleData("No posts on these platforms in these months.")
        return part

    @lru_cache(maxsize=64)
    def gaps(chosen: tuple[str, ...], first: str, last: str, choice: str) -> pd.DataFrame:
        return E.formula_gaps(selected(chosen, first, last), preset=PRESET_CHOICES[choice])

    @lru_cache(maxsize=64)
    def computed(
        kind: str, chosen: tuple[str, ...], first: str, last: str, choice: str, group: str
    ):
        part = selected(chosen, first, last)
        preset = PRESET_CHOICES[choice]
        lacking = gaps(chosen, first, last, choice)
        if len(lacking) and int(lacking["n_posts"].sum()) >= len(part):
            raise TooLittleData(
                " ".join(lacking["sentence"]) + " Choose another formula or platform."
            )
        if kind == "by_group" and group == "content_type" and part[group].isna().all():
            raise TooLittleData(
                E.describe_left_out(part, "content_type") + " Choose another grouping."
            )
        try:
            if kind == "rate":
                return E.engagement_rate(part, preset=preset, n_boot=n_boot, time_zone=time_zone)
            if kind == "by_group":
                rates = E.engagement_rate(
                    part, preset=preset, by=group, n_boot=n_boot, time_zone=time_zone
                )
                if rates.loc[rates[group].notna(), "rate"].isna().all():
                    why = [E.describe_left_out(part)] if group == "content_type" else []
                    why += list(lacking["sentence"]) or ["No post has a rate in these groups."]
                    raise TooLittleData(" ".join(w for w in why if w))
                return rates
            if kind == "best_times":
                grid = E.best_times(
                    part, preset=preset, time_zone=time_zone, min_posts=min_posts_per_cell
                )
                timeless = int(grid["n_without_time"].iloc[0])
                if timeless and grid["n_posts"].sum() == 0 and grid["n_excluded"].sum() == 0:
                    why = E.describe_left_out(part, "time_of_day")
                    raise TooLittleData("No weekday x hour to show. " + why)
                return grid
            if kind == "trend":
                return E.rate_trend(part, preset=preset, n_boot=n_boot, time_zone=time_zone)
            return E.breakout_posts(part, preset=preset)
        except RoiInputError as exc:
            raise TooLittleData(f"This formula cannot be computed on these posts: {exc}") from None

    def _get(kind: str, v: dict[str, Any], group: str = "") -> pd.DataFrame:
        _posts(v)
        first, last = v["months"]
        return computed(kind, tuple(v["platforms"]), first, last, v["formula"], group)

    def summary(v: dict[str, Any]) -> str:
        r = _get("rate", v).iloc[0]
        if pd.isna(r["rate"]):
            raise TooLittleData(f"No post has a rate by this formula ({r['formula']}).")
        value = f"{r['rate']:.2%}" if r["unit"] == "fraction" else f"{r['rate']:.2f} {r['unit']}"
        text = (
            f"<b>{value}</b> (interval {_fmt(r['low'], r['unit'])} to "
            f"{_fmt(r['high'], r['unit'])}) over {r['n_posts']} posts, "
            f"{r['n_excluded']} left out; rate = {r['formula']}."
        )
        first, last = v["months"]
        lacking = gaps(tuple(v["platforms"]), first, last, v["formula"])
        for sentence in lacking["sentence"]:  # a platform or two
            text += (
                f"<br><span class='roi-gap' style='color:#8a4b00'>⚠ {html.escape(sentence)}</span>"
            )
        return text

    views = {
        "summary": (summary, ("platforms", "months", "formula")),
        "by_group": (
            lambda v: P.plot_rates(_get("by_group", v, v["group"]), group=v["group"]),
            ("platforms", "months", "formula", "group"),
        ),
        "best_times": (
            lambda v: P.plot_best_times(_get("best_times", v)),
            ("platforms", "months", "formula"),
        ),
        "trend": (
            lambda v: P.plot_rate_trend(_get("trend", v)),
            ("platforms", "months", "formula"),
        ),
        "breakouts": (
            lambda v: P.plot_breakouts(_get("breakouts", v)),
            ("platforms", "months", "formula"),
        ),
    }
    explorer = Explorer(controls, views, title=title)
    explorer.cache_info = computed.cache_info  # type: ignore[attr-defined]
    return explorer


def _fmt(value: float, unit: str) -> str:
    if pd.isna(value):
        return "?"
    return f"{value:.2%}" if unit == "fraction" else f"{value:.2f}"


def _default_choice(posts: pd.DataFrame) -> str:
    platforms = set(posts["platform"].dropna())
    if platforms == {"x"} and "x_engagements" in posts.columns:
        return next(k for k, v in PRESET_CHOICES.items() if v == "x")
    if platforms == {"linkedin"} and "clicks" in posts.columns:
        return next(k for k, v in PRESET_CHOICES.items() if v == "linkedin")
    return next(iter(PRESET_CHOICES))
