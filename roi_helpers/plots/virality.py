"""Charts for "does my content travel?": cascade sizes, shapes, trees, speed and carriers.

Every function takes a tidy frame from :mod:`roi_helpers.virality` and ``ax=None``, draws on
``ax`` (a new figure's when omitted) and returns it. Charts that name people (the
leaderboard) show the frame's ``user`` column as given: pass it through
:func:`roi_helpers.privacy.hide_people` first.
"""

from __future__ import annotations

import textwrap

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Circle
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter
from scipy import stats

from ._base import RELATIONSHIP_COLORS, get_ax, no_data

__all__ = [
    "plot_cascade",
    "plot_leaderboard",
    "plot_size_ccdf",
    "plot_size_vs_virality",
    "plot_spread",
]

_LINEAR_HOURS = 48  # a longer spread is drawn on a logarithmic time axis
_BAR = "#0072B2"
_DIRECT = "#56B4E9"
_RELEVANT = "#D55E00"
_MUTED = "0.55"
#: What each inference rule did to a flat cascade's parents, in a few words.
_RULE_WORDS = {
    "root": "every reshare attached to the original post",
    "latest": "each reshare attached to the most recent earlier adopter",
    "influence": "each reshare attached to the earlier adopter with most followers",
}
_INFERENCE_COLORS = {
    "given": "#0072B2",
    "root": "#999999",
    "latest": "#E69F00",
    "influence": "#009E73",
}


def _inferred_rule(frame: pd.DataFrame) -> str | None:
    """The inference rule named in a frame's ``inference`` column, when it set any parent."""
    if "inference" not in frame.columns or frame.empty:
        return None
    rules = [r for r in frame["inference"].astype(str).unique() if r in _RULE_WORDS]
    return rules[0] if rules else None


def _title(ax: Axes, what: str, detail: str = "") -> None:
    """A title in two parts, wrapped to the figure's width (about 11 characters an inch)."""
    width = max(int(ax.figure.get_figwidth() * 11), 50)
    text = textwrap.fill(what, width)
    if detail:
        text += "\n" + textwrap.fill(detail, int(width * 1.1))
    ax.set_title(text, fontsize=10, loc="left")


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _p_text(p: float) -> str:
    """A p-value as a reader should see it: never ``p = 0``."""
    if not np.isfinite(p):
        return "p unknown"
    return "p < 0.001" if p < 0.001 else f"p = {p:.2g}"


def _plain_log_axis(axis, low: float = 1.0, high: float = 1e9, percent: bool = False) -> None:
    """Log-axis labels as plain numbers (or percentages); data within one decade, which has
    no labelled power of ten, gets its intermediate ticks labelled instead."""

    def text(v: float, _: object = None) -> str:
        if percent:
            return f"{v:.0%}" if v >= 0.01 else f"{v:.1%}"
        return f"{v:,.0f}" if v >= 1 else f"{v:g}"

    axis.set_major_formatter(FuncFormatter(text))
    if high / max(low, 1e-12) < 10:
        axis.set_minor_formatter(FuncFormatter(text))
    else:
        axis.set_minor_formatter(NullFormatter())


def plot_size_ccdf(
    metrics: pd.DataFrame, ax: Axes | None = None, by: str | None = None, min_size: int = 1
) -> Axes:
    """Cascade sizes as a log-log CCDF: the share of posts that reached at least s people.

    Parameters
    ----------
    metrics
        :func:`roi_helpers.virality.cascade_metrics` of every cascade (uses ``size``, and
        ``by`` if given).
    ax
        Axes to draw on.
    by
        A column to draw one curve per value of (``platform``, ``inference``...).
    min_size
        Draw only the cascades of at least this many people (the explorer's slider); the
        title then says how many of all the posts they are, and the share never
        reshared stays the share of all posts.

    Returns
    -------
    Axes
        A step curve of P(size >= s) against s, both axes logarithmic. A straight line
        means a power law: most posts stay small, a few travel far (Goel et al. 2016).

    Examples
    --------
    >>> import pandas as pd
    >>> ax = plot_size_ccdf(pd.DataFrame({"size": [1, 1, 1, 2, 5, 40]}))
    >>> ax.get_xscale(), ax.get_yscale()
    ('log', 'log')
    >>> plot_size_ccdf(pd.DataFrame({"size": [1, 1, 1, 2, 5, 40]}), min_size=2).get_ylabel()
    'share of the 3 cascades (≥ 2 people) with size ≥ s'
    """
    ax = get_ax(ax, figsize=(6, 4))
    if metrics.empty:
        return no_data(ax, "No cascades: no post or reshare events in this data.")
    min_size = max(int(min_size), 1)
    df = metrics[metrics["size"] >= min_size]
    if df.empty:
        return no_data(ax, f"No cascade of {min_size:,} people or more.")
    groups = [(None, df)] if by is None else list(df.groupby(by, observed=True))
    for name, part in groups:
        size = np.sort(part["size"].to_numpy())
        values, first = np.unique(size, return_index=True)
        share = 1.0 - first / len(size)  # P(size >= value)
        label = None if name is None else f"{name} ({_count(len(size), 'post')})"
        ax.step(values, share, where="post", marker="o", markersize=3, label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.xaxis.set_major_locator(LogLocator(base=10))
    _plain_log_axis(ax.xaxis, float(df["size"].min()), float(df["size"].max()))
    _plain_log_axis(ax.yaxis, 1.0 / len(df), 1.0, percent=True)
    ax.set_xlabel("cascade size s (people, the author included)")
    ones = float((metrics["size"] == 1).mean())
    largest = f"the largest reached {int(metrics['size'].max()):,} people"
    if min_size == 1:
        ax.set_ylabel("share of posts with size ≥ s")
        what = f"cascade sizes of {_count(len(metrics), 'post')}"
        detail = f"{ones:.0%} were never reshared; {largest}"
    else:
        ax.set_ylabel(f"share of the {len(df):,} cascades (≥ {min_size} people) with size ≥ s")
        what = (
            f"sizes of the {_count(len(df), 'cascade')} of {min_size:,} people or more, "
            f"of {_count(len(metrics), 'post')}"
        )
        detail = f"of all {len(metrics):,} posts, {ones:.0%} were never reshared; {largest}"
    _title(ax, f"How far posts travel: {what} (CCDF, log-log)", detail)
    if by is not None:
        ax.legend(title=by, fontsize=8, frameon=False)
    ax.grid(True, which="major", alpha=0.3)
    return ax


def plot_size_vs_virality(metrics: pd.DataFrame, ax: Axes | None = None, min_size: int = 2) -> Axes:
    """Size against structural virality: broadcasts near 2, person-to-person chains higher.

    Parameters
    ----------
    metrics
        :func:`roi_helpers.virality.cascade_metrics` (``size``, ``structural_virality``,
        optionally ``inference`` for colour).
    ax
        Axes to draw on.
    min_size
        Smallest cascade drawn (a post nobody reshared has no structure; default 2).

    Returns
    -------
    Axes
        One point per cascade (size on a log axis), the reference curves of a pure
        broadcast (a star, ``2 (n - 1) / n``) and a single chain (``(n + 1) / 3``), and
        Spearman's rank correlation in the title.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"size": [3, 10, 50, 200], "structural_virality": [1.3, 2.5, 2.1, 4.0]})
    >>> plot_size_vs_virality(m).get_xscale()
    'log'
    """
    ax = get_ax(ax, figsize=(6, 4))
    df = metrics[metrics["size"] >= min_size] if not metrics.empty else metrics
    if df.empty:
        return no_data(ax, f"No cascade of {min_size} people or more: nothing to compare.")
    hue = (
        df["inference"].astype(str)
        if "inference" in df.columns
        else pd.Series("given", index=df.index)
    )
    for name, part in df.groupby(hue, sort=False):
        ax.scatter(
            part["size"],
            part["structural_virality"],
            s=18,
            alpha=0.7,
            color=_INFERENCE_COLORS.get(name, _BAR),
            label=f"parents {name}" if name != "given" else "parents as given",
            edgecolor="none",
        )
    n = np.unique(np.geomspace(max(min_size, 2), max(df["size"].max(), 3), 200).round())
    ax.plot(n, 2 * (n - 1) / n, color=_MUTED, ls="--", lw=1, label="one broadcast (star)")
    top = max(float(df["structural_virality"].max()) * 1.15, 2.5)
    chain = (n + 1) / 3
    ax.plot(n[chain <= top], chain[chain <= top], color=_MUTED, ls=":", lw=1, label="one chain")
    ax.set_ylim(0, top)
    ax.set_xscale("log")
    _plain_log_axis(ax.xaxis, float(df["size"].min()), float(df["size"].max()))
    ax.set_xlabel("cascade size (people)")
    ax.set_ylabel("structural virality\n(mean distance between two people)")
    if len(df) >= 3 and df["size"].nunique() > 1:
        rho, p = stats.spearmanr(df["size"], df["structural_virality"])
        # below 10 pairs the t approximation behind p is poor (a perfect 3 reads p = 0)
        sure = _p_text(p) if len(df) >= 10 else "too few for a p-value"
        detail = f"Spearman rank correlation {rho:.2f} ({sure}) over {_count(len(df), 'cascade')}"
    else:
        detail = f"{_count(len(df), 'cascade')}: too few for a correlation"
    _title(ax, f"Broadcast or chain? Size against structural virality (size ≥ {min_size})", detail)
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    return ax


def plot_cascade(
    layout: pd.DataFrame, ax: Axes | None = None, color_by: str = "generation"
) -> Axes:
    """One reshare tree, the original post at the centre, coloured by generation.

    Parameters
    ----------
    layout
        :func:`roi_helpers.virality.cascade_layout` for one post (``x``, ``y``,
        ``parent_x``, ``parent_y``, ``generation``; ``relationship`` to colour by it).
    ax
        Axes to draw on.
    color_by
        ``"generation"`` (default) or ``"relationship"`` (client, prospect... from the
        audience; people outside it are grey).

    Returns
    -------
    Axes
        Edges from each person to whom they reshared from, nodes coloured, the original
        post as a black star, and a legend.

    Raises
    ------
    ValueError
        ``color_by="relationship"`` without a ``relationship`` column.

    Examples
    --------
    >>> import pandas as pd
    >>> lay = pd.DataFrame({"post_id": "p", "generation": [0, 1, 1], "x": [0.0, 1, -1],
    ...     "y": [0.0, 0, 0], "parent_x": [None, 0, 0], "parent_y": [None, 0, 0]})
    >>> plot_cascade(lay).get_title(loc="left").splitlines()[0]
    'Post p: 3 people, 1 generation of reshares'
    """
    ax = get_ax(ax, figsize=(8.5, 7))
    if layout.empty:
        return no_data(ax, "No cascade to draw.")
    if color_by not in ("generation", "relationship"):
        raise ValueError(f"color_by must be 'generation' or 'relationship', not {color_by!r}")
    if color_by == "relationship" and "relationship" not in layout.columns:
        raise ValueError("color_by='relationship' needs a layout made with an audience")
    n = len(layout)
    depth = int(layout["generation"].max())
    has_parent = layout["parent_x"].notna().to_numpy()
    segs = np.stack(
        [
            layout.loc[has_parent, ["parent_x", "parent_y"]].to_numpy(float),
            layout.loc[has_parent, ["x", "y"]].to_numpy(float),
        ],
        axis=1,
    )
    width, alpha = (0.9, 0.9) if n <= 200 else (0.5, 0.6) if n <= 1000 else (0.25, 0.35)
    ax.add_collection(LineCollection(segs, colors="0.45", linewidths=width, alpha=alpha, zorder=1))
    radial = bool(np.allclose(np.hypot(layout["x"], layout["y"]), layout["generation"]))
    radial = radial and not np.allclose(layout["y"], -layout["generation"])
    if radial:  # faint rings: one per generation
        for g in range(1, depth + 1):
            ax.add_patch(Circle((0, 0), g, fill=False, color="0.88", lw=0.8, zorder=0))
    dot = float(np.clip(4000 / n, 6, 80))
    handles = []
    if color_by == "generation":
        cmap = mpl.colormaps["viridis"].resampled(max(depth, 1))
        for g in range(1, depth + 1):
            part = layout[layout["generation"] == g]
            color = cmap((g - 1) / max(depth - 1, 1))
            ax.scatter(
                part["x"], part["y"], s=dot, color=color, edgecolor="white", linewidth=0.3, zorder=2
            )
            if depth <= 12 or g in (1, depth):
                handles.append(
                    Line2D(
                        [],
                        [],
                        ls="",
                        marker="o",
                        color=color,
                        label=f"generation {g} ({len(part)})",
                    )
                )
        legend_title = "reshared"
    else:
        rel = layout["relationship"].astype("object").fillna("not in audience")
        for name in [*RELATIONSHIP_COLORS, "not in audience"]:
            part = layout[(rel == name).to_numpy() & (layout["generation"] > 0).to_numpy()]
            if part.empty:
                continue
            known = name != "not in audience"
            color = RELATIONSHIP_COLORS.get(name, "white")
            ax.scatter(
                part["x"],
                part["y"],
                s=dot * 2.5 if known else dot * 0.6,
                color=color,
                edgecolor="0.25" if known else "0.6",
                linewidth=0.5 if known else 0.4,
                zorder=3 if known else 2,
            )
            handles.append(
                Line2D(
                    [],
                    [],
                    ls="",
                    marker="o",
                    color=color,
                    markeredgecolor="0.4",
                    label=f"{name} ({len(part)})",
                )
            )
        legend_title = "relationship"
    root = layout[layout["generation"] == 0]
    ax.scatter(root["x"], root["y"], s=max(dot * 3, 120), marker="*", color="black", zorder=4)
    handles.insert(
        0, Line2D([], [], ls="", marker="*", color="black", markersize=10, label="original post")
    )
    ax.legend(
        handles=handles,
        title=legend_title,
        fontsize=8,
        frameon=False,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
    )
    if radial:
        ax.set_aspect("equal")
        ax.autoscale_view()
        ax.set_axis_off()
        how = "rings are generations"
    else:  # layered: rows are generations, read on the left axis
        ax.autoscale_view()
        left, right = ax.get_xlim()
        if right - left < 2:
            mid = (left + right) / 2
            ax.set_xlim(mid - 1, mid + 1)
        pad = 0.5 + 0.02 * depth
        ax.set_ylim(-depth - pad, pad)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=10))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{abs(v):,.0f}"))
        ax.set_ylabel("generation (reshares away from the original post)")
        ax.set_xticks([])
        for side in ("top", "right", "bottom"):
            ax.spines[side].set_visible(False)
        ax.grid(True, axis="y", alpha=0.25)
        how = "rows are generations, the original post at the top"
    post = str(layout["post_id"].iloc[0]) if "post_id" in layout.columns else "cascade"
    gens = f"{depth} generation{'' if depth == 1 else 's'} of reshares"
    people = _count(n, "person") if n == 1 else f"{n:,} people"
    rule = _inferred_rule(layout[layout["generation"] > 0])
    if rule is None:
        first = f"Post {post}: {people}, {gens}"
        detail = f"lines join each person to whom they reshared from; {how}"
    else:
        first = f"Post {post}: {people}, {gens}, parents inferred by rule '{rule}'"
        detail = (
            f"a flat cascade: {_RULE_WORDS[rule]}, a plausible tree, not an observed one; {how}"
        )
    _title(ax, first, detail)
    return ax


def plot_spread(spread: pd.DataFrame, ax: Axes | None = None, share: bool = False) -> Axes:
    """Cumulative adopters over the hours after the post, one line per cascade.

    Parameters
    ----------
    spread
        :func:`roi_helpers.virality.cascade_spread` (``post_id``, ``hours``, ``adopters``,
        ``share_of_final``; ``before_post`` when known).
    ax
        Axes to draw on.
    share
        Plot the share of the final size instead of the count (to compare cascades of
        different sizes).

    Returns
    -------
    Axes
        Step lines; dotted guides at half and 90% of the final size for a single cascade.
        Hours run on a linear axis up to two days; beyond, on a logarithmic one (linear
        below one hour), so that a few late reshares do not squeeze the first hours,
        where most of the spreading happens, into a corner.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"post_id": "p", "hours": [0, 1, 3], "adopters": [1, 2, 3],
    ...                   "share_of_final": [1 / 3, 2 / 3, 1]})
    >>> plot_spread(s).get_ylabel()
    'people who had adopted'
    """
    ax = get_ax(ax, figsize=(7, 4))
    df = spread[spread["hours"].notna()] if not spread.empty else spread
    if df.empty:
        return no_data(ax, "No adoption times known: nothing to draw over time.")
    col = "share_of_final" if share else "adopters"
    posts = list(dict.fromkeys(df["post_id"]))
    for post in posts:
        part = df[df["post_id"] == post]
        ax.step(
            part["hours"],
            part[col],
            where="post",
            lw=1.4,
            label=str(post) if len(posts) <= 8 else None,
        )
    longest = float(df["hours"].max())
    log = longest > _LINEAR_HOURS
    if log:
        ax.set_xscale("symlog", linthresh=1.0, linscale=0.4)
        ax.set_xlim(0, longest * 1.3)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.grid(True, axis="x", which="major", alpha=0.3)
    else:
        ax.set_xlim(left=0.0)
    if len(posts) == 1:
        final = float(spread["adopters"].max()) if not share else 1.0
        for q in (0.5, 0.9):
            ax.axhline(q * final, color=_MUTED, ls=":", lw=1)
            ax.text(ax.get_xlim()[1], q * final, f" {q:.0%}", va="center", fontsize=8, color=_MUTED)
    elif len(posts) <= 8:
        ax.legend(title="post", fontsize=8, frameon=False)
    ax.set_xlabel("hours after the original post" + (" (logarithmic beyond 1 hour)" if log else ""))
    ax.set_ylabel("share of the final size" if share else "people who had adopted")
    if share:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0%}"))
    what = f"post {posts[0]}" if len(posts) == 1 else _count(len(posts), "cascade")
    detail = "the author counts as the first adopter"
    early = int(df["before_post"].sum()) if "before_post" in df.columns else 0
    if early:
        detail += (
            f"; {_count(early, 'reshare')} timed before the post "
            f"{'is' if early == 1 else 'are'} counted from the post's time"
        )
    _title(ax, f"How fast it spread: cumulative adopters of {what}", detail)
    ax.set_ylim(bottom=0)
    return ax


def plot_leaderboard(
    attribution: pd.DataFrame, ax: Axes | None = None, top: int = 10, by: str = "descendants"
) -> Axes:
    """The micro-influencers: who carried the posts furthest.

    Parameters
    ----------
    attribution
        :func:`roi_helpers.virality.attribution`, with ``user`` already passed through
        :func:`roi_helpers.privacy.hide_people` when names must not show.
    ax
        Axes to draw on.
    top
        How many people to show.
    by
        The column to rank by: ``descendants`` (default), ``direct_reshares`` or
        ``descendants_reach``.

    Returns
    -------
    Axes
        Horizontal bars: everyone downstream of each person, with the direct reshares
        they triggered and (when known) the relevant people among their descendants;
        each label says how many cascades the person joined and, with an audience, their
        own relationship.

    Examples
    --------
    >>> import pandas as pd
    >>> att = pd.DataFrame({"user": ["Person a", "Person b"], "descendants": [12, 4],
    ...                     "direct_reshares": [5, 4], "cascades_joined": [3, 1]})
    >>> [t.get_text() for t in plot_leaderboard(att).get_yticklabels()]
    ['Person b (1 cascade)', 'Person a (3 cascades)']
    """
    df = attribution
    if not df.empty and "cascades_joined" in df.columns:
        df = df[df["cascades_joined"] > 0]
    df = df[df[by].fillna(0) > 0] if not df.empty else df
    df = df.sort_values(by, ascending=False, kind="stable").head(top)
    ax = get_ax(ax, figsize=(8.5, max(2.5, 0.4 * len(df) + 1.5)))
    if df.empty:
        return no_data(ax, "Nobody reshared from anyone else: no carriers to rank.")
    df = df.iloc[::-1]
    y = np.arange(len(df))
    labels = df["user"].astype(str)
    if "relationship" in df.columns:
        rel = df["relationship"].astype(object)
        labels = labels + rel.map(lambda r: "" if pd.isna(r) else f", {r}")
    if "cascades_joined" in df.columns:
        labels = (
            labels + " (" + df["cascades_joined"].map(lambda k: _count(int(k), "cascade")) + ")"
        )
    main = df[by].astype(float).to_numpy()
    ax.barh(
        y,
        main,
        color=_BAR,
        alpha=0.85,
        label={
            "descendants": "everyone downstream",
            "direct_reshares": "direct reshares",
            "descendants_reach": "followers downstream",
        }.get(by, by),
    )
    if by == "descendants" and "direct_reshares" in df.columns:
        ax.barh(
            y,
            df["direct_reshares"].to_numpy(float),
            height=0.45,
            color=_DIRECT,
            label="reshared straight from them",
        )
    if by == "descendants" and "relevant_descendants" in df.columns:
        ax.scatter(
            df["relevant_descendants"].to_numpy(float),
            y,
            marker="D",
            s=30,
            color=_RELEVANT,
            zorder=3,
            label="relevant people downstream",
        )
    for yi, v in zip(y, main, strict=True):
        ax.text(v, yi, f" {v:,.0f}", va="center", fontsize=8)
    ax.set_yticks(y, labels.to_numpy())
    ax.set_xlim(0, main.max() * 1.15)
    ax.set_xlabel(
        {
            "descendants": "people downstream (all generations, all cascades)",
            "direct_reshares": "reshares straight from them",
            "descendants_reach": "followers of the people downstream",
        }.get(by, by)
    )
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    detail = "the original authors are not ranked: only what people passed on"
    rule = _inferred_rule(df)
    if rule is not None:
        inferred = int((df["inference"].astype(str) == rule).sum())
        detail += (
            f"; parents inferred by rule '{rule}' in flat cascades ({_RULE_WORDS[rule]}): "
            f"the counts of {_count(inferred, 'carrier')} rest on them, plausible, not observed"
        )
    _title(
        ax,
        f"Who carried the posts: the top {len(df)} resharers by {by.replace('_', ' ')}",
        detail,
    )
    return ax
