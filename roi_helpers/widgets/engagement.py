"""An explorer for engagement rates: platform, date range, formula preset, grouping.

A thin layer: every view calls the functions of :mod:`roi_helpers.engagement` and draws
with :mod:`roi_helpers.plots.engagement`, exactly as the notebook's static cells do. The
posts selected by platform and dates, and each rate computed from them, are cached, so
moving one control recomputes only what depends on it. People's accounts (a team
member's, a connection's) are pseudonymised once, before anything is drawn, by the same
rule as the notebook's tables (:func:`roi_helpers.engagement.hide_private_accounts`).
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
from ..parsing import parameter_day
from ..plots import engagement as P
from ._base import Explorer, TooLittleData

__all__ = ["GROUP_CHOICES", "PRESET_CHOICES", "engagement_explorer"]

#: The formulas offered: a label for people -> a preset name (None: the kit's default).
PRESET_CHOICES: dict[str, str | None] = {
    "Kit default: median (likes + comments + shares) / impressions": None,
    "LinkedIn: (clicks + likes + comments + shares) / impressions": "linkedin",
    "X: X's engagements / impressions": "x",
    "Sprout Social: (likes + comments + shares + clicks) / impressions": "sprout_social",
    "Rival IQ: mean (likes + comments + shares) / followers": "rival_iq",
    "Emplifi: interactions per 1,000 impressions": "emplifi",
}
#: The groupings offered: words for people -> the column (or time part) grouped by.
GROUP_CHOICES: dict[str, str] = {
    "content type": "content_type",
    "platform": "platform",
    "account": "account",
    "month": "month",
    "weekday": "weekday",
    "hour of day": "hour",
    "paid or organic": "paid",
}
_TIME_GROUPS = ("month", "weekday", "hour")
_PICK = "Pick at least one platform: with none chosen there is nothing to show."


def engagement_explorer(
    posts: pd.DataFrame,
    *,
    platforms: Sequence[str] | None = None,
    time_zone: str = "UTC",
    min_posts_per_cell: int = 3,
    n_boot: int = 500,
    title: str | None = "Explore engagement rates",
    preset: str | None = "auto",
    start_date: str | None = None,
    end_date: str | None = None,
    show_names: bool = False,
    audience: pd.DataFrame | None = None,
    team: pd.DataFrame | None = None,
    profiles: pd.DataFrame | None = None,
) -> Explorer:
    """Controls for platform, months, formula and grouping above the engagement charts.

    Parameters
    ----------
    posts
        The posts table (with ``followers`` if the Rival IQ formula and Kaushik's rates
        should work); not mutated (the explorer keeps its own copy). Every platform in
        it is offered.
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
    preset
        The formula selected at first: a preset name, None for the kit's default (as
        the notebook's ``preset = ""``), or ``"auto"`` (the platform's own formula
        when every post is on X or on LinkedIn, else the kit's default).
    start_date, end_date
        The months selected at first: those holding these ISO dates (None or ``""``:
        the first or last month with a post).
    show_names
        Show people's account names (a team member's own account); otherwise they are
        pseudonyms, in every chart and legend. Organisations keep their names.
    audience, team
        The folder's audience and team tables, which say which accounts are people's.
    profiles
        An accounts table (``followers`` and ``avg_likes``) for the follower fallacy
        view; without one, the accounts of the posts themselves are compared.

    Returns
    -------
    Explorer
        With controls ``platforms``, ``months`` (a range slider whose readout reads
        ``Jan 2025 - Dec 2025``), ``formula`` and ``group`` (offered in words:
        ``content type``, ``hour of day``...), and views ``summary`` (the overall rate,
        its interval and how it was computed, in words), ``by_group``, ``best_times``,
        ``trend``, ``breakouts``, ``kaushik`` and ``fallacy``. With no platform
        chosen, the summary says to pick one and the charts stay empty. A formula the
        data cannot support (no
        followers, no X engagements) shows a note instead of a chart; when it lacks a
        column on some platforms only, the summary says how many posts of which platform
        are left out, and why. Posts without a content type or a time of day are left
        out of the charts that need them, and the charts say so.

    Raises
    ------
    RoiInputError
        ``posts`` has no posts with a publication date, or a start or end date is not
        a date.

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"post_id": ["a", "b"], "platform": "x", "account": "me",
    ...     "published_at": pd.to_datetime(["2024-01-05", "2024-02-05"], utc=True),
    ...     "likes": [3, 5], "comments": 0, "shares": 0, "impressions": [100, 100]})
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):  # outside Jupyter, views print
    ...     ex = engagement_explorer(posts, start_date="2024-02-01")
    >>> sorted(ex.controls), ex.controls["months"].value
    (['formula', 'group', 'months', 'platforms'], ('2024-02', '2024-02'))
    """
    dated = posts["published_at"].dropna() if "published_at" in posts.columns else pd.Series()
    if dated.empty:
        raise RoiInputError(
            "the explorer needs posts with a publication date; none has one",
            column="published_at",
            expected="the posts table from roi_helpers.load or load_dir",
        )
    data = E.hide_private_accounts(posts, show_names, audience=audience, team=team)
    accounts = None
    if profiles is not None and len(profiles):
        accounts = E.hide_private_accounts(profiles, show_names, audience=audience, team=team)
    days = dated.dt.tz_convert("UTC").dt.tz_localize(None)
    months = pd.period_range(days.min().to_period("M"), days.max().to_period("M"), freq="M")
    values = [m.strftime("%Y-%m") for m in months]
    # The slider's readout joins two labels with "-": "Jan 2025 - Dec 2025" reads as a
    # range, "2025-01-2025-12" did not.
    labels = [f" {m.strftime('%b %Y')} " for m in months]
    offered = sorted(data["platform"].dropna().unique())
    first = tuple(p for p in offered if not platforms or p in set(platforms)) or tuple(offered)
    groups = {
        words: g for words, g in GROUP_CHOICES.items() if g in data.columns or g in _TIME_GROUPS
    }
    controls = {
        "platforms": W.SelectMultiple(
            options=offered,
            value=first,
            description="Platforms",
            rows=min(max(len(offered), 2), 6),
        ),
        "months": W.SelectionRangeSlider(
            options=list(zip(labels, values, strict=True)),
            index=_month_span(months, start_date, end_date),
            description="Months",
            continuous_update=False,
            layout=W.Layout(width="460px"),
        ),
        "formula": W.Dropdown(
            options=list(PRESET_CHOICES),
            value=_first_choice(data, preset),
            description="Formula",
            layout=W.Layout(width="520px"),
        ),
        "group": W.Dropdown(
            options=list(groups.items()), value=next(iter(groups.values())), description="Group by"
        ),
    }

    @lru_cache(maxsize=32)
    def selected(chosen: tuple[str, ...], first: str, last: str) -> pd.DataFrame:
        end = (pd.Period(last, "M").end_time).strftime("%Y-%m-%d")
        return E.select_posts(data, chosen, first + "-01", end)

    def _posts(v: dict[str, Any]) -> pd.DataFrame:
        if not v["platforms"]:
            raise TooLittleData(_PICK)
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
        if kind in ("kaushik", "fallacy"):
            return _audience_view(kind, part, accounts)
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
        if kind == "by_group" and group == "hour" and E._date_only(part).all():
            raise TooLittleData(
                E.describe_left_out(part, "time_of_day") + " Choose another grouping."
            )
        options = dict(preset=preset, n_boot=n_boot, time_zone=time_zone)
        try:
            if kind == "rate":
                return E.engagement_rate(part, **options)
            if kind == "by_group":
                rates = E.engagement_rate(part, by=group, **options)
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
                return E.rate_trend(part, **options)
            return E.breakout_posts(part, preset=preset)
        except RoiInputError as exc:
            raise TooLittleData(f"This formula cannot be computed on these posts: {exc}") from None

    def _get(kind: str, v: dict[str, Any], group: str = "") -> pd.DataFrame:
        _posts(v)
        first, last = v["months"]
        choice = v["formula"] if kind not in ("kaushik", "fallacy") else ""
        return computed(kind, tuple(v["platforms"]), first, last, choice, group)

    def summary(v: dict[str, Any]) -> str:
        r = _get("rate", v).iloc[0]
        if pd.isna(r["rate"]):
            raise TooLittleData(f"No post has a rate by this formula ({r['formula']}).")
        value = f"{r['rate']:.2%}" if r["unit"] == "fraction" else f"{r['rate']:.2f} {r['unit']}"
        shown = E.readable_rates(_get("rate", v))
        how = f", {shown['interval by'].iloc[0]}" if "interval by" in shown else ""
        text = (
            f"<b>{value}</b> (interval {_fmt(r['low'], r['unit'])} to "
            f"{_fmt(r['high'], r['unit'])}{how}) over {r['n_posts']} posts, "
            f"{r['n_excluded']} left out; rate = {r['formula']}."
        )
        first, last = v["months"]
        lacking = gaps(tuple(v["platforms"]), first, last, v["formula"])
        for sentence in lacking["sentence"]:  # a platform or two
            text += (
                f"<br><span class='roi-gap' style='color:#8a4b00'>⚠ {html.escape(sentence)}</span>"
            )
        return text

    def by_group(v: dict[str, Any]):
        group = v["group"]
        return P.plot_rates(_get("by_group", v, group), group=group)

    def fallacy(v: dict[str, Any]):
        table, measure, result, own = _get("fallacy", v)
        biggest = table.nlargest(3, "followers")["account"]
        return P.plot_follower_fallacy(
            table, "followers", measure, result=result, label=biggest, highlight=own
        )

    views = {
        "summary": (summary, ("platforms", "months", "formula")),
        "by_group": (by_group, ("platforms", "months", "formula", "group")),
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
        "kaushik": (lambda v: P.plot_kaushik(_get("kaushik", v)), ("platforms", "months")),
        "fallacy": (fallacy, ("platforms", "months")),
    }
    # With no platform picked, the summary says so once; the charts below stay empty
    # rather than repeat the same note six times.
    views = {
        name: (draw if name == "summary" else _only_with_platforms(draw), deps)
        for name, (draw, deps) in views.items()
    }
    explorer = Explorer(controls, views, title=title)
    explorer.cache_info = computed.cache_info  # type: ignore[attr-defined]
    return explorer


def _only_with_platforms(draw):
    """A view that draws nothing while no platform is picked."""

    def view(v: dict[str, Any]):
        return draw(v) if v["platforms"] else None

    return view


def _audience_view(kind: str, part: pd.DataFrame, accounts: pd.DataFrame | None):
    """Kaushik's rates, or the follower fallacy check, of the selected posts."""
    has_followers = "followers" in part.columns and part["followers"].notna().any()
    if kind == "kaushik":
        if not has_followers:
            raise TooLittleData(
                "No follower counts for these posts: Kaushik's rates (per follower) need "
                "the audience when each post went out (a followers history, or an export "
                "that gives it)."
            )
        return E.kaushik_rates(part, n_boot=200)
    own = part["account"].dropna().unique().tolist()
    chosen = set(part["platform"].dropna())
    if accounts is not None and {"followers", "avg_likes"} <= set(accounts.columns):
        table = accounts
        if "platform" in table.columns:
            table = table[table["platform"].isin(chosen)]
        measure = "avg_likes"
    elif has_followers:
        table, measure = E.accounts_from_posts(part), "avg_engagements"
    else:
        raise TooLittleData(
            "No accounts with an audience size: the follower fallacy check needs a "
            "profiles table or follower counts."
        )
    usable = table[["followers", measure]].dropna()
    if len(usable) < 3:
        raise TooLittleData(
            f"Only {len(usable)} account(s) with both an audience size and "
            f"{E.MEASURE_WORDS[measure]} on these platforms: too few to compare (3 needed)."
        )
    return table, measure, E.follower_fallacy(table, "followers", measure), own


def _month_span(months: pd.PeriodIndex, start: str | None, end: str | None) -> tuple[int, int]:
    """Slider positions of the months holding ``start`` and ``end`` (clipped to the data)."""
    first, last = parameter_day(start, "start_date"), parameter_day(end, "end_date")
    lo = 0 if first is None else int(months.searchsorted(first.to_period("M")))
    hi = len(months) - 1
    if last is not None:
        hi = int(months.searchsorted(last.to_period("M"), side="right")) - 1
    lo, hi = min(max(lo, 0), len(months) - 1), min(max(hi, 0), len(months) - 1)
    return (lo, hi) if lo <= hi else (hi, hi)


def _fmt(value: float, unit: str) -> str:
    if pd.isna(value):
        return "?"
    return f"{value:.2%}" if unit == "fraction" else f"{value:.2f}"


def _first_choice(posts: pd.DataFrame, preset: str | None) -> str:
    if preset != "auto":
        if preset not in PRESET_CHOICES.values():
            raise ValueError(
                f"Unknown preset {preset!r}: the presets are "
                + ", ".join(p for p in PRESET_CHOICES.values() if p)
            )
        return next(k for k, v in PRESET_CHOICES.items() if v == preset)
    platforms = set(posts["platform"].dropna())
    if platforms == {"x"} and "x_engagements" in posts.columns:
        return next(k for k, v in PRESET_CHOICES.items() if v == "x")
    if platforms == {"linkedin"} and "clicks" in posts.columns:
        return next(k for k, v in PRESET_CHOICES.items() if v == "linkedin")
    return next(iter(PRESET_CHOICES))
