"""Charts for "does my audience engage?": each says which engagement rate it shows.

Every function takes a tidy frame from :mod:`roi_helpers.engagement` and ``ax=None``, draws
on ``ax`` (a new figure's when omitted) and returns it. Titles name what is measured and
the formula (the frame's ``formula`` column), so a chart never shows "engagement rate"
without saying which one.
"""

from __future__ import annotations

import textwrap
import warnings
from collections.abc import Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator, FuncFormatter, PercentFormatter

from ._base import get_ax, no_data

__all__ = [
    "plot_best_times",
    "plot_breakouts",
    "plot_follower_fallacy",
    "plot_follower_growth",
    "plot_kaushik",
    "plot_rate_trend",
    "plot_rates",
]

_BAR = "#0072B2"
_HIGHLIGHT = "#D55E00"
_MUTED = "0.6"


def _formula(df: pd.DataFrame) -> str:
    if "formula" in df.columns and df["formula"].notna().any():
        return str(df["formula"].dropna().iloc[0])
    return "formula not given"


def _title(ax: Axes, what: str, formula: str) -> None:
    text = textwrap.fill(what, 100) + "\n" + textwrap.fill(f"rate = {formula}", 100)
    ax.set_title(text, fontsize=10, loc="left")


def _rate_axis(ax: Axes, df: pd.DataFrame, axis: str = "y") -> str:
    """Format the rate axis as percentages for fractions; return the axis label."""
    unit = (
        str(df["unit"].dropna().iloc[0])
        if "unit" in df.columns and df["unit"].notna().any()
        else "fraction"
    )
    target = ax.yaxis if axis == "y" else ax.xaxis
    if unit == "fraction":
        target.set_major_formatter(PercentFormatter(1.0, decimals=None))
        return "engagement rate"
    return f"engagement rate ({unit})"


def _errors(df: pd.DataFrame) -> np.ndarray | None:
    if not {"low", "high"} <= set(df.columns) or df[["low", "high"]].isna().all().all():
        return None
    lo = (df["rate"] - df["low"]).clip(lower=0).fillna(0).to_numpy()
    hi = (df["high"] - df["rate"]).clip(lower=0).fillna(0).to_numpy()
    return np.vstack([lo, hi])


#: Group columns in words, for titles and notes.
GROUP_WORDS = {
    "content_type": "content type",
    "hour": "hour of day",
    "paid": "paid or organic",
    "weekday": "weekday",
    "month": "month",
    "platform": "platform",
    "account": "account",
    "date": "day",
}
#: What a post lacks when it has no value in a group, in words.
_MISSING_WORDS = {"hour": "a time of day", "content_type": "a content type"}
_TIME_ORDER = ("month", "weekday", "hour", "date")


def _group_labels(values: pd.Series, group: str | None) -> pd.Series:
    """Group values as a reader names them: Monday, 09:00, Jan 2025, paid/organic."""
    from ..engagement import PLATFORM_NAMES, WEEKDAYS

    if group == "weekday":
        return values.map(lambda v: WEEKDAYS[int(v)])
    if group == "hour":
        return values.map(lambda v: f"{int(v):02d}:00")
    if group == "month":
        return pd.to_datetime(values).dt.strftime("%b %Y")
    if group == "date":
        return pd.to_datetime(values).dt.strftime("%d %b %Y")
    if group == "paid":
        return values.map(lambda v: "paid" if bool(v) else "organic")
    if group == "platform":
        return values.map(lambda v: PLATFORM_NAMES.get(str(v), str(v)))
    return values.astype(object).astype(str)


def _interval_words(df: pd.DataFrame) -> str:
    """ "interval: bootstrap over posts", from a result's ``interval`` column."""
    from ..engagement import describe_interval

    methods = df["interval"].astype(str) if "interval" in df.columns else pd.Series([], dtype=str)
    how = [describe_interval(m, None) for m in methods.unique()]
    how = [h for h in how if h]
    return f"interval, {how[0]}" if len(how) == 1 else "interval"


def _place_labels(
    ax: Axes,
    xs: Sequence[float],
    ys: Sequence[float],
    texts: Sequence[str],
    styles: Sequence[dict] | None = None,
    fontsize: float = 7,
) -> list:
    """Annotate points so that no two labels overlap nor leave the axes.

    Each label tries places around its point (right, then left; just above or below,
    then further out, with a thin leader line), in display space, and takes the first
    whose box is inside the axes and clear of the labels already placed. A loop over a
    handful of labels, never over data.
    """
    fig = ax.figure
    ax.autoscale_view()
    renderer = fig.canvas.get_renderer()
    inside = ax.get_window_extent(renderer)
    styles = list(styles) if styles is not None else [{}] * len(texts)
    candidates = [
        (dx * side, dy * up)
        for dy in (4, 12, 22, 34)
        for up in (1, -1)
        for side, dx in ((1, 5), (-1, 5))
    ]
    placed: list = []
    boxes: list = []

    def put(i: int, k: int):
        dx, dy = candidates[k]
        return ax.annotate(
            texts[i],
            (xs[i], ys[i]),
            textcoords="offset points",
            xytext=(dx, dy),
            fontsize=fontsize,
            ha="left" if dx > 0 else "right",
            va="bottom" if dy > 0 else "top",
            # away from its usual place (up and to the right): a line to its point
            arrowprops=dict(arrowstyle="-", color="0.55", lw=0.6) if k else None,
            **styles[i],
        )

    for i in np.argsort(np.asarray(ys, dtype=float))[::-1]:  # highest first
        for k in range(len(candidates)):
            note = put(i, k)
            box = note.get_window_extent(renderer)
            clear = not any(box.overlaps(b) for b in boxes)
            within = (
                box.x0 >= inside.x0 and box.x1 <= inside.x1 and box.y0 >= inside.y0
            ) and box.y1 <= inside.y1
            if clear and within:
                break
            note.remove()
        else:  # nowhere clear: the first place, as before
            note = put(i, 0)
            box = note.get_window_extent(renderer)
        boxes.append(box)
        placed.append(note)
    return placed


def plot_rates(rates: pd.DataFrame, group: str | None = None, ax: Axes | None = None) -> Axes:
    """Engagement rate per group (content type, platform, hour...) with its interval.

    Parameters
    ----------
    rates
        A result of :func:`roi_helpers.engagement.engagement_rate` with ``by=group``.
    group
        The group column; default the first column before ``rate``.
    ax
        Axes to draw on.

    Returns
    -------
    Axes
        Horizontal bars (one per group, labelled in words with its post count: ``video
        (15 posts)``, ``Tuesday``, ``09:00``, ``Jan 2025``), error bars from ``low`` to
        ``high``, the formula in the title and the interval's method on the axis.
        Categories are sorted by rate, times in their own order. Posts whose group is
        unknown (X's exports give no content type, some exports no time of day) are not
        a group: they are not drawn, and the title says how many were left out.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"content_type": ["video", "image"], "rate": [0.04, 0.02],
    ...     "low": [0.03, 0.01], "high": [0.05, 0.03], "n_posts": [12, 30],
    ...     "formula": "median over posts of (likes + comments + shares) / impressions"})
    >>> plot_rates(r).get_title(loc="left").splitlines()[0]
    'Engagement rate by content type'
    """
    if group is None:
        cols = list(rates.columns)
        group = cols[cols.index("rate") - 1] if cols.index("rate") > 0 else None
    words = GROUP_WORDS.get(group, str(group).replace("_", " ")) if group else "all posts"
    lacking = _MISSING_WORDS.get(group, f"a {words}")
    unknown = rates[group].isna() if group else pd.Series(False, index=rates.index)
    counted = [c for c in ("n_posts", "n_excluded") if c in rates.columns]
    left_out = int(rates.loc[unknown, counted].sum().sum()) if counted else 0
    rates = rates[~unknown]
    ax = get_ax(ax, figsize=(7, max(2.5, 0.45 * len(rates) + 1.5)))
    if rates.empty or rates["rate"].notna().sum() == 0:
        why = "No post has a rate by this formula: nothing to compare."
        if left_out and rates.empty:
            why = f"No post has {lacking}: nothing to compare ({left_out} posts)."
        return no_data(ax, why)
    df = rates[rates["rate"].notna()].copy()
    labels = _group_labels(df[group], group) if group else pd.Series(["all posts"], index=df.index)
    if "n_posts" in df.columns:
        n = df["n_posts"].astype(int)
        labels = labels + " (" + n.astype(str) + np.where(n == 1, " post)", " posts)")
    if group in _TIME_ORDER:  # times read in their own order, first at the top
        order = np.arange(len(df))[::-1]
    else:
        order = np.argsort(df["rate"].to_numpy(), kind="stable")
    y = np.arange(len(df))
    ax.barh(y, df["rate"].to_numpy()[order], color=_BAR, alpha=0.85)
    err = _errors(df)
    if err is not None:
        ax.errorbar(
            df["rate"].to_numpy()[order], y, xerr=err[:, order], fmt="none", ecolor="0.2", capsize=3
        )
    ax.set_yticks(y, labels.to_numpy()[order])
    bars = f" (bars: {_interval_words(df)})" if err is not None else ""
    ax.set_xlabel(_rate_axis(ax, df, "x") + bars)
    what = f"Engagement rate by {words}"
    if left_out:
        what += f" ({left_out} posts without {lacking} left out)"
    _title(ax, what, _formula(df))
    sns.despine(ax=ax)
    return ax


def plot_best_times(grid: pd.DataFrame, ax: Axes | None = None, annotate: bool = True) -> Axes:
    """Weekday x hour heatmap of the engagement rate, thin cells greyed, counts written.

    Parameters
    ----------
    grid
        The result of :func:`roi_helpers.engagement.best_times`.
    ax
        Axes to draw on.
    annotate
        Write each cell's post count in it.

    Returns
    -------
    Axes
        A heatmap of ``rate_shown`` (masked cells hatched grey: too few posts to say),
        the best cell outlined, the time zone on the hour axis.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_helpers.engagement import best_times
    >>> posts = pd.DataFrame({"published_at": pd.to_datetime(["2024-01-01 09:00"] * 3, utc=True),
    ...     "likes": [1, 2, 3], "comments": 0, "shares": 0, "impressions": 100})
    >>> ax = plot_best_times(best_times(posts, min_posts=2))
    >>> ax.get_ylabel()
    'weekday'
    """
    ax = get_ax(ax, figsize=(11, 4.2))
    timeless = int(grid["n_without_time"].iloc[0]) if "n_without_time" in grid.columns else 0
    timeless = timeless if len(grid) else 0
    if grid.empty or grid["n_posts"].sum() == 0:
        if timeless and (grid.empty or grid["n_excluded"].sum() == 0):
            return no_data(
                ax,
                f"The exports of these {timeless} posts give the day each went out, not "
                "the time: no hour to show.",
            )
        return no_data(ax, "No post has a rate by this formula: no best time to show.")
    from ..engagement import WEEKDAYS

    rate = grid.pivot(index="weekday", columns="hour", values="rate_shown").reindex(
        index=range(7), columns=range(24)
    )
    counts = (
        grid.assign(total=grid["n_posts"])
        .pivot(index="weekday", columns="hour", values="total")
        .reindex(index=range(7), columns=range(24))
        .fillna(0)
        .astype(int)
    )
    ax.set_facecolor("0.92")
    shown = rate.notna().to_numpy()
    fraction = "unit" not in grid.columns or grid["unit"].iloc[0] == "fraction"
    with warnings.catch_warnings():  # every cell masked: seaborn warns of an all-NaN slice
        warnings.simplefilter("ignore", RuntimeWarning)
        sns.heatmap(
            rate,
            ax=ax,
            cmap="viridis",
            mask=~shown,
            cbar_kws={
                "label": "engagement rate"
                if fraction
                else f"engagement rate ({grid['unit'].iloc[0]})",
                "format": PercentFormatter(1.0) if fraction else None,
            },
            linewidths=0.5,
            linecolor="white",
            cbar=bool(shown.any()),  # every slot too thin: no scale for colours not drawn
        )
    masked = grid["masked"].any() if "masked" in grid.columns else False
    if masked:
        for w, h in zip(*np.nonzero(~shown & (counts.to_numpy() > 0)), strict=True):
            ax.add_patch(
                plt.Rectangle((h, w), 1, 1, fill=False, hatch="///", edgecolor="0.7", lw=0)
            )
    if annotate:
        values = rate.to_numpy()
        finite = values[np.isfinite(values)]
        mid = np.nanmedian(finite) if finite.size else 0
        for w, h in zip(*np.nonzero(counts.to_numpy() > 0), strict=True):
            n = counts.iat[w, h]
            light = shown[w, h] and values[w, h] < mid
            ax.text(
                h + 0.5,
                w + 0.5,
                str(n),
                ha="center",
                va="center",
                fontsize=7,
                color="white" if light else "0.15",
            )
    if "rank" in grid.columns and (grid["rank"] == 1).any():
        for _, best in grid[grid["rank"] == 1].iterrows():
            ax.add_patch(
                plt.Rectangle(
                    (best["hour"], best["weekday"]), 1, 1, fill=False, edgecolor=_HIGHLIGHT, lw=2.5
                )
            )
    ax.set_yticks(np.arange(7) + 0.5, list(WEEKDAYS), rotation=0)
    ax.set_xticks(np.arange(24) + 0.5, [str(h) for h in range(24)], rotation=0)
    tz = grid["time_zone"].iloc[0] if "time_zone" in grid.columns else "UTC"
    ax.set_xlabel(f"hour of publication ({tz})")
    ax.set_ylabel("weekday")
    min_posts = int(grid.loc[~grid["masked"], "n_posts"].min()) if (~grid["masked"]).any() else None
    note = "numbers: posts per slot; hatched: too few posts to show a rate"
    if min_posts is not None:
        note += "; outlined: best slot"
    if timeless:
        note += f"; {timeless} posts without a time of day left out"
    _title(ax, "When to post: engagement rate by weekday and hour (" + note + ")", _formula(grid))
    return ax


def _month_axis(ax: Axes, middles: pd.Series) -> None:
    """A tick under each month shown ("Jan", with the year under the first tick and under
    each year's first), every few months when there are many; room around a single month."""
    first, last = middles.min(), middles.max()
    n = (last.year - first.year) * 12 + last.month - first.month + 1
    step = 1 if n <= 14 else 2 if n <= 28 else 3 if n <= 42 else 6 if n <= 84 else 12
    ticks = pd.Series(sorted(middles.unique()))[::step]
    ax.xaxis.set_major_locator(FixedLocator(mdates.date2num(ticks)))  # months shown only

    def label(value: float, pos: int | None = None) -> str:
        day = mdates.num2date(value)
        # the year under the first tick and under each year's first (ticks every `step`)
        return day.strftime("%b\n%Y") if day.month <= step or not pos else day.strftime("%b")

    ax.xaxis.set_major_formatter(FuncFormatter(label))
    # at least four months wide: one month's bar must not fill the whole chart
    half = pd.Timedelta(days=max(20.0, (4 - n) * 31 / 2 + 16)) if n < 4 else pd.Timedelta(days=20)
    ax.set_xlim(first - half, last + half)


def plot_rate_trend(trend: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """The engagement rate month by month over a rolling window, with its interval.

    Parameters
    ----------
    trend
        The result of :func:`roi_helpers.engagement.rate_trend`.
    ax
        Axes to draw on.

    Returns
    -------
    Axes
        A line of ``rate`` per month, a band from ``low`` to ``high`` (its method in the
        legend), and bars of the posts published each month on a second axis. Months
        are ticked ``Jan 2025``, one tick every few months when there are many; a
        single month sits in a chart a few months wide.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"month": pd.to_datetime(["2024-01-01", "2024-02-01"]),
    ...     "rate": [0.02, 0.03], "low": [0.01, 0.02], "high": [0.03, 0.04],
    ...     "posts_in_month": [5, 7], "window_months": 3, "formula": "median over posts of likes / impressions"})
    >>> plot_rate_trend(t).get_ylabel()
    'engagement rate'
    """
    ax = get_ax(ax, figsize=(9, 4))
    if trend.empty or trend["rate"].notna().sum() == 0:
        return no_data(ax, "No month has a rate by this formula: no trend to show.")
    x = pd.to_datetime(trend["month"]) + pd.Timedelta(days=14)  # each month's middle
    if "posts_in_month" in trend.columns:
        ax2 = ax.twinx()
        ax2.bar(x, trend["posts_in_month"], width=20, color="0.85", zorder=0)
        ax2.set_ylabel("posts published that month", color="0.45")
        ax2.tick_params(axis="y", colors="0.45")
        ax.set_zorder(ax2.get_zorder() + 1)
        ax.patch.set_visible(False)
    if {"low", "high"} <= set(trend.columns) and trend["low"].notna().any():
        ax.fill_between(
            x,
            trend["low"],
            trend["high"],
            color=_BAR,
            alpha=0.2,
            lw=0,
            label=_interval_words(trend),
        )
    rated = trend["rate"].notna()
    if rated.sum() == 1 and {"low", "high"} <= set(trend.columns):  # no band for one point
        one = trend[rated]
        ax.errorbar(
            x[rated], one["rate"], yerr=_errors(one), fmt="none", ecolor=_BAR, capsize=4, lw=1.5
        )
    ax.plot(x, trend["rate"], color=_BAR, marker="o", lw=2, label="rate")
    ax.set_ylabel(_rate_axis(ax, trend))
    ax.set_ylim(bottom=0)
    _month_axis(ax, x)
    window = int(trend["window_months"].iloc[0]) if "window_months" in trend.columns else 1
    what = "Engagement rate by month" + (f" (rolling over {window} months)" if window > 1 else "")
    _title(ax, what, _formula(trend))
    ax.legend(loc="lower left", framealpha=0.9)
    return ax


def plot_follower_growth(growth: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Net followers gained per period and account.

    Parameters
    ----------
    growth
        The result of :func:`roi_helpers.engagement.follower_growth`.
    ax
        Axes to draw on.

    Returns
    -------
    Axes
        Bars of ``net_change`` per period (one colour per account), negatives below zero;
        months named ``Jun 2025``, and ``Jun 2025 (7 days)`` when a window cuts one short.

    Examples
    --------
    >>> import pandas as pd
    >>> g = pd.DataFrame({"platform": "x", "account": "a", "period": pd.to_datetime(["2024-01-01"]),
    ...     "net_change": [12.0]})
    >>> plot_follower_growth(g).get_ylabel()
    'net new followers'
    """
    ax = get_ax(ax, figsize=(9, 3.5))
    df = growth[growth["net_change"].notna()] if "net_change" in growth.columns else growth.iloc[:0]
    if df.empty:
        return no_data(ax, "No follower totals or gains known: no growth to show.")
    df = df.assign(label=df["platform"].astype(str) + " / " + df["account"].astype(str))
    start = pd.to_datetime(df["period"])
    monthly = bool(start.dt.is_month_start.all())
    names = start.dt.strftime("%b %Y") if monthly else start.dt.strftime("%d %b %Y")
    if monthly and "days" in df.columns:  # a month the window cuts says how much of it counts
        days = df.groupby("period")["days"].transform("max")
        part = days < start.dt.days_in_month
        names = names.where(~part, names + " (" + days.astype(int).astype(str) + " days)")
    order = list(dict.fromkeys(names[np.argsort(start.to_numpy(), kind="stable")]))
    sns.barplot(
        data=df.assign(period=names),
        x="period",
        y="net_change",
        hue="label",
        order=order,
        ax=ax,
        palette="colorblind",
    )
    ax.axhline(0, color="0.3", lw=0.8)
    ax.set_xlabel("")
    ax.set_ylabel("net new followers")
    ax.tick_params(axis="x", rotation=45 if len(order) > 6 else 0)
    legend = ax.get_legend()
    if legend is not None:
        legend.set_title("")
    per = "month" if monthly else "period"
    ax.set_title(f"Follower growth: net followers gained per {per}", fontsize=10, loc="left")
    sns.despine(ax=ax)
    return ax


def plot_breakouts(breakouts: pd.DataFrame, ax: Axes | None = None, label: int = 5) -> Axes:
    """Each post's rate over time against its account's rolling median; breakouts marked.

    Parameters
    ----------
    breakouts
        The result of :func:`roi_helpers.engagement.breakout_posts`.
    ax
        Axes to draw on.
    label
        Label this many of the highest-scoring breakouts with their date.

    Returns
    -------
    Axes
        Dots per post, the rolling median as a line, breakout posts in orange.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_helpers.engagement import breakout_posts
    >>> posts = pd.DataFrame({"platform": "x", "account": "a", "likes": [1, 2, 1, 2, 9],
    ...     "comments": 0, "shares": 0, "impressions": 100,
    ...     "published_at": pd.date_range("2024-01-01", periods=5, tz="UTC")})
    >>> plot_breakouts(breakout_posts(posts, window=3, min_periods=2)).get_xlabel()
    'published'
    """
    ax = get_ax(ax, figsize=(9, 4))
    df = breakouts[breakouts["engagement_rate"].notna()]
    if df.empty:
        return no_data(ax, "No post has a rate by this formula: no breakouts to show.")
    for (_, account), part in df.groupby(["platform", "account"], sort=True):
        x = part["published_at"]
        ax.plot(x, part["baseline"], lw=1.5, label=f"{account}: rolling median")
        ax.scatter(x, part["engagement_rate"], s=12, color=_MUTED, zorder=2)
    hits = df[df["breakout"]]
    ax.scatter(
        hits["published_at"],
        hits["engagement_rate"],
        s=40,
        color=_HIGHLIGHT,
        zorder=3,
        label=f"breakout ({len(hits)} posts)",
    )
    ax.set_ylim(bottom=0, top=float(df["engagement_rate"].max()) * 1.15)
    top = hits.nlargest(label, "score")
    if len(top):  # dates beside the highest-scoring breakouts, never on top of each other
        _place_labels(
            ax,
            mdates.date2num(top["published_at"].dt.tz_localize(None)),
            top["engagement_rate"].to_numpy(dtype=float),
            top["published_at"].dt.strftime("%d %b %Y").tolist(),
        )
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    locator = mdates.AutoDateLocator(maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(
        mdates.ConciseDateFormatter(locator, offset_formats=["", "%Y", "%Y", "%Y", "%Y", "%Y"])
    )
    ax.set_xlabel("published")
    ax.set_ylabel("engagement rate per post")
    formula = str(df["rate_formula"].iloc[0]) if "rate_formula" in df.columns else "?"
    _title(ax, "Breakout posts: far above the account's own recent median", formula)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=3, frameon=False)
    sns.despine(ax=ax)
    return ax


def plot_kaushik(kaushik: pd.DataFrame, ax: Axes | None = None, group: str | None = None) -> Axes:
    """Kaushik's conversation, amplification and applause rates per 1,000 followers.

    Parameters
    ----------
    kaushik
        The result of :func:`roi_helpers.engagement.kaushik_rates`.
    ax
        Axes to draw on.
    group
        A grouping column of ``kaushik`` to colour bars by (``platform``...).

    Returns
    -------
    Axes
        One bar per metric (per group), with intervals.

    Examples
    --------
    >>> import pandas as pd
    >>> k = pd.DataFrame({"metric": ["conversation", "amplification", "applause"],
    ...     "action": ["comments", "shares", "likes"], "per_1000_followers": [0.5, 0.3, 9.0],
    ...     "rate": [0.0005, 0.0003, 0.009], "low": None, "high": None})
    >>> plot_kaushik(k).get_ylabel()
    'per post per 1,000 followers'
    """
    ax = get_ax(ax, figsize=(7, 3.8))
    df = kaushik[kaushik["rate"].notna()] if "rate" in kaushik.columns else kaushik.iloc[:0]
    if df.empty:
        return no_data(ax, "No post has both a follower count and its counts: nothing to show.")
    df = df.assign(label=df["metric"].str.capitalize() + "\n(" + df["action"] + ")")
    sns.barplot(
        data=df,
        x="label",
        y="per_1000_followers",
        hue=group,
        ax=ax,
        color=None if group else _BAR,
        palette="colorblind" if group else None,
        errorbar=None,
    )
    if not group and {"low", "high"} <= set(df.columns) and df["low"].notna().any():
        ax.errorbar(
            np.arange(len(df)),
            df["per_1000_followers"],
            yerr=_errors(df.assign(rate=df["rate"])) * 1000,
            fmt="none",
            ecolor="0.2",
            capsize=4,
        )
    for i, v in enumerate(df["per_1000_followers"] if not group else []):
        # beside the error bar, not on it
        ax.annotate(
            f"{v:.2f}", (i, v), xytext=(7, 2), textcoords="offset points", fontsize=8, va="bottom"
        )
    ax.set_xlabel("")
    ax.set_ylabel("per post per 1,000 followers")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    n = int(df["n_posts"].max()) if "n_posts" in df.columns else None
    what = "Kaushik's social metrics: mean over posts of count / followers x 1,000"
    ax.set_title(
        what + (f"\n{n} posts with a follower count" if n else ""), fontsize=10, loc="left"
    )
    sns.despine(ax=ax)
    return ax


def _compact(value: float) -> str:
    """1200 -> "1.2K", 30_000_000 -> "30M": numbers a reader takes in at a glance."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}"


def _count_axis(axis) -> None:
    """A log axis of counts labelled "10K", "1M"; on a short span (under two decades, as
    the top Instagram accounts' followers) also 2 and 5 times each power, never crowded."""
    from matplotlib.ticker import LogLocator, NullFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, _: _compact(v)))
    low, high = sorted(axis.get_view_interval())
    short = low > 0 and np.log10(high / low) < 2
    if short:
        axis.set_minor_locator(LogLocator(base=10, subs=(2.0, 5.0)))
        axis.set_minor_formatter(FuncFormatter(lambda v, _: _compact(v)))
    else:
        axis.set_minor_formatter(NullFormatter())


def plot_follower_fallacy(
    table: pd.DataFrame,
    size: str = "followers",
    engagement: str = "avg_likes",
    result: pd.DataFrame | None = None,
    ax: Axes | None = None,
    label: Sequence[str] | None = None,
    highlight: Sequence[str] | None = None,
) -> Axes:
    """Audience size against engagement, log-log, one dot per account, rho in the title.

    Parameters
    ----------
    table
        One row per account (profiles table or
        :func:`roi_helpers.engagement.accounts_from_posts`); pass it through
        :func:`roi_helpers.engagement.hide_private_accounts` first: it keeps the names
        of organisations and public accounts, and hides people's.
    size, engagement
        The columns plotted (x and y).
    result
        The :func:`roi_helpers.engagement.follower_fallacy` result, for the title.
    ax
        Axes to draw on.
    label
        Accounts (values of ``account``) to name on the chart.
    highlight
        Accounts to mark in another colour and name (your own, to see where you stand).

    Returns
    -------
    Axes
        Log-log scatter; accounts with a zero or unknown value are left out (said in
        the title). Axes are named in words (``average likes per post``).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"followers": [10, 100, 1000, 10000], "avg_likes": [1, 30, 20, 200]})
    >>> plot_follower_fallacy(t).get_xscale()
    'log'
    """
    ax = get_ax(ax, figsize=(6.5, 5))
    x = pd.to_numeric(table[size], errors="coerce")
    y = pd.to_numeric(table[engagement], errors="coerce")
    ok = (x > 0) & (y > 0)
    if ok.sum() < 2:
        return no_data(ax, "Fewer than two accounts with both values: nothing to compare.")
    from ..engagement import MEASURE_WORDS

    mine = (
        table["account"].isin(list(highlight))
        if highlight is not None and "account" in table.columns
        else pd.Series(False, index=table.index)
    )
    ax.scatter(x[ok & ~mine], y[ok & ~mine], s=18, alpha=0.7, color=_BAR, edgecolor="white", lw=0.4)
    if (ok & mine).any():
        ax.scatter(
            x[ok & mine],
            y[ok & mine],
            s=40,
            color=_HIGHLIGHT,
            edgecolor="white",
            lw=0.6,
            label="your accounts",
            zorder=3,
        )
        ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.set_xscale("log")
    ax.set_yscale("log")
    _count_axis(ax.xaxis)
    if engagement in ("engagement_rate",) or "rate" in engagement:
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    else:
        _count_axis(ax.yaxis)
    named = ok & mine
    if label is not None and "account" in table.columns:
        named |= ok & table["account"].isin(list(label))
    if "account" in table.columns and named.any():
        ax.margins(x=0.15, y=0.08)  # room for names beside the outermost dots
        ax.figure.canvas.draw()  # the log scales' limits, for placing labels
        rows = table[named]
        own = mine[named].to_numpy(dtype=bool)
        _place_labels(
            ax,
            x[named].to_numpy(dtype=float),
            y[named].to_numpy(dtype=float),
            rows["account"].astype(str).tolist(),
            [{"color": _HIGHLIGHT, "fontweight": "bold"} if m else {"color": "0.2"} for m in own],
        )
    size_words = MEASURE_WORDS.get(size, size)
    engagement_words = MEASURE_WORDS.get(engagement, engagement)
    ax.set_xlabel(f"{size_words} (log scale)")
    ax.set_ylabel(f"{engagement_words} (log scale)")
    title = f"The follower fallacy: {size_words} against {engagement_words}"
    second = ["one dot per account"]
    if result is not None and pd.notna(result["rho"].iloc[0]):
        r = result.iloc[0]
        second.append(
            f"Spearman rho = {r['rho']:.2f} ({r['low']:.2f} to {r['high']:.2f}), "
            f"n = {int(r['n_accounts'])}"
        )
    left_out = int((~ok).sum())
    if left_out:
        second.append(f"{left_out} account(s) with a zero or unknown value not drawn")
    title = textwrap.fill(title, 75) + "\n" + textwrap.fill("; ".join(second), 75)
    ax.set_title(title, fontsize=10, loc="left")
    sns.despine(ax=ax)
    return ax
