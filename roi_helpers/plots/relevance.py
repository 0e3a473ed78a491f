"""Charts for "is my network relevant?": each takes a tidy frame from
:mod:`roi_helpers.relevance` and an optional ``ax=``, and returns the Axes.

None of them shows a person: they draw counts and shares per team member, job function
or company. Team members appear under their account name (the folder their export
came from).
"""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MaxNLocator

from ..relevance import RELATIONSHIPS, TEAM
from ..tables import show
from ._base import RELATIONSHIP_COLORS, get_ax, no_data

__all__ = [
    "plot_coverage",
    "plot_ei_index",
    "plot_function_heatmap",
    "plot_relationship_mix",
    "plot_relevance_trend",
    "style_actions",
    "style_coverage",
    "style_summary",
]


def _short(name: str, width: int = 24) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


def plot_relationship_mix(mix: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Each network as one bar split by relationship: clients, prospects ... peers, other.

    Parameters
    ----------
    mix
        The output of :func:`roi_helpers.relevance.relationship_mix` (``account``,
        ``relationship``, ``connections``, ``share``).
    ax
        Where to draw; a new figure when omitted.

    Returns
    -------
    Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_helpers.relevance import relationship_mix
    >>> rel = pd.DataFrame({"account": ["ana", "ana", "bo"], "relationship": ["client", "peer", "peer"]})
    >>> ax = plot_relationship_mix(relationship_mix(rel))
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['ana', 'bo', 'All team']
    """
    if mix is None or mix.empty or mix["connections"].fillna(0).sum() == 0:
        return no_data(get_ax(ax), "No connections to show.")
    table = mix.pivot_table(
        index="account", columns="relationship", values="share", aggfunc="sum", observed=False
    )
    table = table.reindex(columns=list(RELATIONSHIPS)).fillna(0.0)
    counts = mix.groupby("account", sort=False)["connections"].sum()
    order = [a for a in dict.fromkeys(mix["account"]) if a != TEAM] + (
        [TEAM] if TEAM in set(mix["account"]) else []
    )
    table = table.reindex(order)
    ax = get_ax(ax, figsize=(9, 1.2 + 0.55 * len(table)))
    left = np.zeros(len(table))
    y = np.arange(len(table))
    for rel in RELATIONSHIPS:
        widths = table[rel].to_numpy()
        ax.barh(y, widths, left=left, color=RELATIONSHIP_COLORS[rel], label=rel, height=0.7)
        for yi, (x0, w) in enumerate(zip(left, widths, strict=True)):
            if w >= 0.06:
                dark = rel in ("client", "competitor", "partner")
                ax.text(
                    x0 + w / 2,
                    yi,
                    f"{w:.0%}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if dark else "black",
                )
        left += widths
    ax.set_yticks(y, [_short(a) for a in table.index])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    for yi, a in enumerate(table.index):
        ax.text(1.01, yi, f"n={int(counts.get(a, 0))}", va="center", fontsize=8, color="0.3")
    ax.set_xlabel("share of the network's connections")
    ax.set_title(
        "Who is in each network: connections by relationship\n"
        "(client/prospect/partner/competitor from the CRM; peer = same job function as the owner)",
        fontsize=10,
    )
    ax.legend(
        ncols=4,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12 - 0.5 / max(len(table), 1)),
        fontsize=8,
        frameon=False,
    )
    sns.despine(ax=ax, left=True)
    return ax


def plot_function_heatmap(matrix: pd.DataFrame, ax: Axes | None = None, top: int = 12) -> Axes:
    """Whom each owner's function knows: owner function (rows) by connection function.

    Each row sums to 100% of that owner's connections whose function is known; the
    diagonal (outlined) is the peers.

    Parameters
    ----------
    matrix
        The output of :func:`roi_helpers.relevance.function_matrix` (``owner``,
        ``function``, ``connections``, ``share``).
    ax
        Where to draw; a new figure when omitted.
    top
        Columns: the ``top`` connection functions with most connections overall; the
        rest are pooled as "other functions".

    Returns
    -------
    Axes

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"owner": ["Sales", "Sales"], "function": ["Sales", "Finance"],
    ...                   "connections": [3, 1], "share": [0.75, 0.25]})
    >>> ax = plot_function_heatmap(m)
    >>> ax.get_ylabel()
    "owner's function"
    """
    if matrix is None or matrix.empty:
        return no_data(get_ax(ax), "No connection with a known job function.")
    totals = matrix.groupby("function")["connections"].sum().sort_values(ascending=False)
    owners = list(dict.fromkeys(matrix["owner"]))
    keep = [f for f in owners if f in totals.index]
    keep += [f for f in totals.index if f not in keep][: max(top - len(keep), 0)]
    df = matrix.assign(
        col=np.where(matrix["function"].isin(keep), matrix["function"], "other functions")
    )
    cols = keep + (["other functions"] if (df["col"] == "other functions").any() else [])
    table = (
        df.pivot_table(index="owner", columns="col", values="share", aggfunc="sum")
        .reindex(index=owners, columns=cols)
        .fillna(0.0)
    )
    # room under the cells for the rotated function names, so one row is not a sliver
    ax = get_ax(ax, figsize=(1.5 + 0.75 * len(cols), 2.8 + 0.55 * len(owners)))
    sns.heatmap(
        table,
        ax=ax,
        cmap="Blues",
        vmin=0,
        vmax=max(float(table.to_numpy().max()), 0.01),
        annot=table.map(lambda v: f"{v:.0%}" if v >= 0.005 else ""),
        fmt="",
        annot_kws={"fontsize": 8},
        cbar_kws={
            "label": "share of the owner's classified connections",
            "format": plt.FuncFormatter(lambda v, _: f"{v:.0%}"),
        },
        linewidths=0.5,
        linecolor="white",
    )
    own = (
        matrix.drop_duplicates("owner").set_index("owner")["owner_function"]
        if "owner_function" in matrix
        else pd.Series(dtype="str")
    )
    by_function = all(own.get(o, o) == o for o in table.index)
    labels = []
    for i, owner in enumerate(table.index):
        fn = own.get(owner, owner) if pd.notna(own.get(owner, owner)) else None
        labels.append(
            _short(owner, 32) if by_function or fn is None else f"{_short(owner, 32)} ({fn})"
        )
        if fn in table.columns:
            j = list(table.columns).index(fn)
            ax.add_patch(Rectangle((j, i), 1, 1, fill=False, edgecolor="#E69F00", lw=2.5))
    ax.set_yticks(np.arange(len(labels)) + 0.5, labels, rotation=0)
    ax.set_xlabel("connection's job function")
    ax.set_ylabel("owner's function" if by_function else "team member (their function)")
    ax.set_xticklabels(
        [_short(t.get_text(), 32) for t in ax.get_xticklabels()], rotation=40, ha="right"
    )
    ax.set_title(
        "Whom each function knows: share of connections by job function\n"
        "(each row = 100% of that owner's connections with a known function; outlined = peers)",
        fontsize=10,
    )
    return ax


def plot_coverage(
    coverage: pd.DataFrame, ax: Axes | None = None, top: int = 30, who: str = "the team"
) -> Axes:
    """Target accounts: how many people the team knows at each, and how many decide.

    Parameters
    ----------
    coverage
        The output of :func:`roi_helpers.relevance.target_coverage`.
    ax
        Where to draw; a new figure when omitted.
    top
        Show at most this many accounts (those without a decision-maker first).
    who
        Whose network this is, for the title and axis ("the team", or a member).

    Returns
    -------
    Axes

    Examples
    --------
    >>> import pandas as pd
    >>> cov = pd.DataFrame({"company": ["Acme", "Globex"], "status": ["client", "prospect"],
    ...     "people": [4, 0], "decision_makers": [1, 0], "covered": [True, False]})
    >>> ax = plot_coverage(cov)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Globex (prospect)', 'Acme (client)']
    """
    if coverage is None or coverage.empty:
        return no_data(get_ax(ax), "No client or prospect accounts in the CRM.")
    df = coverage.assign(_gap=~coverage["covered"].astype(bool))
    df = df.sort_values(
        ["_gap", "status", "people"], ascending=[False, True, False], kind="stable"
    ).head(top)
    ax = get_ax(ax, figsize=(8, 1.2 + 0.28 * len(df)))
    y = np.arange(len(df))
    people = df["people"].fillna(0).astype(float).to_numpy()
    dms = df["decision_makers"].fillna(0).astype(float).to_numpy()
    ax.barh(y, people, color="#BBD7EA", height=0.75, label="people known there")
    ax.barh(y, dms, color="#0072B2", height=0.75, label="of whom decision-makers (Director+)")
    for yi, (p, d) in enumerate(zip(people, dms, strict=True)):
        if d == 0:
            ax.text(
                p + 0.1,
                yi,
                "no decision-maker" if p else "nobody known",
                va="center",
                fontsize=7.5,
                color="#D55E00",
            )
    labels = [f"{_short(c, 40)} ({s})" for c, s in zip(df["company"], df["status"], strict=True)]
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, max(people.max(), 1) * 1.35)
    ax.set_xlabel(f"people {who} knows there (distinct)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # people, not fractions of them
    # below the axis label: inside, the legend hides the longest bars at the bottom
    height = ax.get_position().height * ax.figure.get_size_inches()[1]
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.55 / max(height, 0.5)),
        ncols=2,
        fontsize=8,
        frameon=False,
    )
    n_gap = int(coverage["covered"].eq(False).sum())
    ax.set_title(
        f"Target accounts: {n_gap} of {len(coverage)} have no decision-maker {who} knows"
        + (f"\n(the first {top} shown: those without one first)" if len(coverage) > top else ""),
        fontsize=10,
    )
    sns.despine(ax=ax)
    return ax


def style_coverage(coverage: pd.DataFrame) -> pd.io.formats.style.Styler:
    """The coverage table, styled: accounts without a decision-maker stand out.

    Parameters
    ----------
    coverage
        The output of :func:`roi_helpers.relevance.target_coverage`. Not mutated.

    Returns
    -------
    Styler
        For display in a notebook (no Axes: a table, not a chart).

    Examples
    --------
    >>> import pandas as pd
    >>> cov = pd.DataFrame({"company": ["Acme"], "status": ["client"], "people": [0],
    ...                     "decision_makers": [0], "covered": [False]})
    >>> "background-color" in style_coverage(cov).to_html()
    True
    """
    cols = [
        c
        for c in (
            "company",
            "status",
            "connections",
            "people",
            "decision_makers",
            "target_personas",
            "members",
            "known_by",
        )
        if c in coverage
    ]
    gap = ~coverage["covered"].astype(bool)

    def _row(row: pd.Series) -> list[str]:
        return ["background-color: #FBE3D6" if gap.loc[row.name] else "" for _ in row]

    return show(coverage[cols], max_rows=None).apply(_row, axis=1)


def style_actions(actions: pd.DataFrame) -> pd.io.formats.style.Styler:
    """The ranked next actions as a table to read: no index, sentences left-aligned.

    Parameters
    ----------
    actions
        The output of :func:`roi_helpers.relevance.next_actions`. Not mutated.

    Returns
    -------
    Styler
        Every row and the whole of each name and sentence (nothing cut with "..."); the
        ``rank`` column is the only numbering.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"rank": [1], "company": ["Acme"], "status": ["client"], "people": [2],
    ...     "known_by": ["ana"], "action": ["Warm: ask ana to introduce you (this is a client)."]})
    >>> html = style_actions(a).to_html()
    >>> "introduce you (this is a client)." in html and "text-align: left" in html
    True
    """
    text = [c for c in ("company", "known_by", "action") if c in actions]
    styler = show(actions, max_rows=None).set_properties(subset=text, **{"text-align": "left"})
    headings = [f"th.col_heading.col{list(actions.columns).index(c)}" for c in text]
    styler = styler.set_table_styles(
        [{"selector": ", ".join(headings), "props": "text-align: left"}] if headings else [],
        overwrite=False,
    )
    if "action" in actions:
        styler = styler.set_properties(subset=["action"], **{"min-width": "22em"})
    return styler


def style_summary(summary: pd.DataFrame) -> pd.io.formats.style.Styler:
    """The relevance summary as a table to read: counts, and shares as percentages.

    Parameters
    ----------
    summary
        The output of :func:`roi_helpers.relevance.relevance_summary`. Not mutated.

    Returns
    -------
    Styler
        One row per account, no index column (see :func:`roi_helpers.tables.show`);
        headings in words (``buyer share``); shares as percentages; unknown values (no
        CRM, no owner's function) show ``n/a``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"account": ["ana"], "connections": [10], "buyers": [2], "buyer_share": [0.2],
    ...                   "peers": [None], "peer_share": [float("nan")]})
    >>> html = style_summary(s).to_html()
    >>> "20%" in html and "n/a" in html and ">buyer share<" in html
    True
    """
    cols = [
        c
        for c in (
            "account",
            "connections",
            "function_coverage",
            "clients",
            "prospects",
            "target_personas",
            "buyers",
            "buyer_share",
            "peers",
            "peer_share",
            "decision_makers",
            "decision_maker_share",
        )
        if c in summary
    ]
    shares = [c for c in cols if c.endswith(("share", "coverage"))]
    counts = [c for c in cols if c != "account" and c not in shares]
    return (
        show(summary[cols], percent=shares, max_rows=None)
        .format("{:.0%}", subset=shares, na_rep="n/a")
        .format("{:,.0f}", subset=counts, na_rep="n/a")
        # headings in words, so they wrap and twelve columns fit a report page
        .relabel_index([c.replace("_", " ") for c in cols], axis=1)
    )


def _unit(x: pd.Series) -> str:
    """What one period of a trend is, from the spacing of its points."""
    gap = x.diff().median() if len(x) > 1 else pd.Timedelta(days=30)
    days = gap / pd.Timedelta(days=1)
    return (
        "day"
        if days < 2
        else "week"
        if days < 10
        else "month"
        if days < 45
        else ("quarter" if days < 120 else "year")
    )


def plot_relevance_trend(
    trend: pd.DataFrame, ax: Axes | None = None, account: str | None = None, window: int = 1
) -> Axes:
    """Share of buyers and peers among the connections made each period.

    Parameters
    ----------
    trend
        The output of :func:`roi_helpers.relevance.relevance_trend`: one row per
        calendar period, those without a connection included, so that a window of six
        rows is six months.
    ax
        Where to draw; a new figure when omitted.
    account
        Whose trend (default: the whole team when there is one, else the only account).
    window
        Pool this many consecutive periods for each point (buyers over connections
        in the window, not an average of shares), to quieten months with few connections.

    Returns
    -------
    Axes
        Peers are not drawn when they are unknown (the owner's function is not known):
        the legend says so.

    Examples
    --------
    >>> import pandas as pd
    >>> tr = pd.DataFrame({"account": "ana", "period": pd.to_datetime(["2024-01-01", "2024-02-01"]),
    ...     "connections": [4, 2], "buyers": [1, 1], "peers": [2, 1],
    ...     "cumulative_buyer_share": [0.25, 1 / 3]})
    >>> ax = plot_relevance_trend(tr, window=2)
    >>> [round(float(v), 3) for v in ax.get_lines()[0].get_ydata()]
    [0.25, 0.333]
    """
    if trend is None or trend.empty:
        return no_data(get_ax(ax), "No connection dates: no trend.")
    if account is None:
        account = TEAM if (trend["account"] == TEAM).any() else str(trend["account"].iloc[0])
    df = trend[trend["account"] == account].sort_values("period")
    if df.empty:
        return no_data(get_ax(ax), f"No dated connections for {account}.")
    ax = get_ax(ax, figsize=(9, 4))
    x = pd.to_datetime(df["period"])
    unit = _unit(x)
    n = df["connections"].astype(float).rolling(window, min_periods=1).sum()
    n = n.where(n > 0)
    buyers = df["buyers"].astype(float).rolling(window, min_periods=1).sum() / n
    peers_known = "peers" in df and df["peers"].notna().any()
    pooled = f" (pooled over {window} {unit}s)" if window > 1 else f" (that {unit})"
    style = {"lw": 1.4, "marker": "o", "ms": 3}
    ax.plot(x, buyers, color=RELATIONSHIP_COLORS["client"], label="buyers" + pooled, **style)
    if peers_known:
        peers = df["peers"].astype(float).rolling(window, min_periods=1).sum() / n
        ax.plot(x, peers, color=RELATIONSHIP_COLORS["peer"], label="peers" + pooled, **style)
    ax.plot(
        x,
        df["cumulative_buyer_share"].astype(float),
        color=RELATIONSHIP_COLORS["client"],
        lw=2.5,
        ls="--",
        label="buyers in the whole network so far",
    )
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_ylabel("share of connections made")
    twin = ax.twinx()
    width = (x.diff().median() if len(x) > 1 else pd.Timedelta(days=30)) * 0.8
    twin.bar(x, df["connections"].astype(float), width=width, color="0.85", zorder=0)
    twin.set_ylabel(f"connections made per {unit}", color="0.45")
    twin.tick_params(axis="y", colors="0.45")
    twin.set_ylim(0, max(float(df["connections"].max()), 1.0) * 3)
    twin.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_zorder(twin.get_zorder() + 1)
    ax.patch.set_visible(False)
    who = "the team" if account == TEAM else account
    ax.set_title(
        f"Is the network getting more relevant? Connections {who} made, by {unit}\n"
        "(buyer share = buyers ÷ connections made; grey bars: how many were made)",
        fontsize=10,
    )
    handles, labels = ax.get_legend_handles_labels()
    handles.append(Patch(color="0.85"))
    labels.append("connections made (right axis)")
    if not peers_known:
        handles.append(Patch(color="none"))
        labels.append("peers unknown: the owner's function is not known")
    # dates as months and years, however short the period; the legend under the chart,
    # where it hides no line near 100%
    locator = mdates.AutoDateLocator(minticks=3, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.legend(
        handles,
        labels,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        fontsize=8,
        frameon=False,
        ncols=3,
    )
    sns.despine(ax=ax, right=False)
    return ax


def plot_ei_index(homophily_table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Krackhardt's E-I index per owner: -1 all peers, +1 no peers.

    Parameters
    ----------
    homophily_table
        The output of :func:`roi_helpers.relevance.homophily`.
    ax
        Where to draw; a new figure when omitted.

    Returns
    -------
    Axes

    Examples
    --------
    >>> import pandas as pd
    >>> h = pd.DataFrame({"account": ["ana"], "owner_function": ["Sales"], "ei_index": [-0.4]})
    >>> plot_ei_index(h).get_xlim()
    (np.float64(-1.0), np.float64(1.0))
    """
    if homophily_table is None or homophily_table["ei_index"].isna().all():
        return no_data(get_ax(ax), "E-I index not computed: the owners' functions are unknown.")
    df = homophily_table.dropna(subset=["ei_index"])
    ax = get_ax(ax, figsize=(8.5, 1.2 + 0.45 * len(df)))
    y = np.arange(len(df))
    colors = [
        RELATIONSHIP_COLORS["peer"] if v < 0 else RELATIONSHIP_COLORS["client"]
        for v in df["ei_index"]
    ]
    ax.barh(y, df["ei_index"], color=colors, height=0.6)
    for yi, v in enumerate(df["ei_index"]):
        ax.text(
            v + (0.02 if v >= 0 else -0.02),
            yi,
            f"{v:+.2f}",
            va="center",
            ha="left" if v >= 0 else "right",
            fontsize=8,
        )
    ax.axvline(0, color="0.3", lw=0.8)
    labels = [
        f"{_short(a)} ({f})" for a, f in zip(df["account"], df["owner_function"], strict=True)
    ]
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(-1, 1)
    ax.set_xlabel(
        "E-I index = (other functions − own function) ÷ (other + own), classified connections"
    )
    ax.set_title("Echo chamber or bridge? -1: everyone in my own function; +1: nobody", fontsize=10)
    sns.despine(ax=ax, left=True)
    return ax
