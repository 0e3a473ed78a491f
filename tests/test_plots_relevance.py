"""Relevance charts draw what the frames say (bar widths, cell values, line points) and
say so when there is nothing to draw. Each chart is also saved under /tmp to be looked at."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import Rectangle

from roi_helpers import relevance as R
from roi_helpers.plots import relevance as P
from roi_helpers.plots._base import RELATIONSHIP_COLORS

OUT = "/tmp/roi-plots-relevance"


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _save(ax, name):
    import os

    os.makedirs(OUT, exist_ok=True)
    ax.figure.savefig(f"{OUT}/{name}.png", dpi=80)


def _texts(ax) -> str:
    fig = ax.figure
    return " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))


@pytest.fixture(scope="module")
def rel():
    rng = np.random.default_rng(11)
    n = 240
    functions = np.array(["Sales", "Finance", "Purchasing", "Marketing", "Unknown"])
    rows = pd.DataFrame(
        {
            "account": rng.choice(["ana", "bo", "cy"], n),
            "person_id": [f"p{i}" for i in range(n)],
            "crm_company": rng.choice(["Acme", "Globex", None, None, None], n),
            "function": rng.choice(functions, n, p=[0.5, 0.15, 0.1, 0.15, 0.1]),
            "seniority": rng.choice(["Entry", "Manager", "Director", "CXO"], n),
            "connected_on": pd.Timestamp("2022-01-01")
            + pd.to_timedelta(rng.integers(0, 900, n), unit="D"),
            "email": [f"p{i}@x.example" for i in range(n)],
            "name": [f"Secret Name {i}" for i in range(n)],
        }
    )
    rows["owner_function"] = rows["account"].map({"ana": "Sales", "bo": "Sales", "cy": "Marketing"})
    status = rows["crm_company"].map({"Acme": "client", "Globex": "prospect"})
    peer = rows["function"] == rows["owner_function"]
    rows["relationship"] = pd.Categorical(
        np.where(status.notna(), status, np.where(peer, "peer", "other")),
        categories=list(R.RELATIONSHIPS),
    )
    rows["match_method"] = "exact"
    return rows


def test_relationship_mix_bars_are_the_shares(rel):
    mix = R.relationship_mix(rel)
    ax = P.plot_relationship_mix(mix)
    _save(ax, "mix")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["ana", "bo", "cy", R.TEAM]
    client_bars = [
        p
        for p in ax.patches
        if isinstance(p, Rectangle)
        and matplotlib.colors.to_hex(p.get_facecolor()) == RELATIONSHIP_COLORS["client"].lower()
    ]
    assert len(client_bars) == 4
    by_hand = {
        a: (rel.loc[rel["account"] == a, "relationship"] == "client").mean()
        for a in ("ana", "bo", "cy")
    }
    by_hand[R.TEAM] = (rel["relationship"] == "client").mean()
    got = [b.get_width() for b in client_bars]
    assert got == pytest.approx([by_hand[a] for a in ("ana", "bo", "cy", R.TEAM)])
    # the bars of each row end at 100%
    ends = {}
    for p in ax.patches:
        ends[round(p.get_y(), 3)] = max(ends.get(round(p.get_y(), 3), 0), p.get_x() + p.get_width())
    assert list(ends.values()) == pytest.approx([1.0] * 4)
    assert "n=" + str((rel["account"] == "ana").sum()) in _texts(ax)


def test_function_heatmap_cells_and_peer_outline(rel):
    m = R.function_matrix(rel, by="account")
    ax = P.plot_function_heatmap(m)
    _save(ax, "heatmap")
    mesh = ax.collections[0]
    values = np.asarray(mesh.get_array()).reshape(3, -1)
    cols = [t.get_text() for t in ax.get_xticklabels()]
    known = rel[rel["function"] != "Unknown"]
    ana = known[known["account"] == "ana"]["function"].value_counts(normalize=True)
    j = cols.index("Finance")
    assert values[0, j] == pytest.approx(ana["Finance"])
    assert values.sum(axis=1) == pytest.approx([1.0, 1.0, 1.0])
    outlines = [p for p in ax.patches if isinstance(p, Rectangle) and not p.get_fill()]
    # each member's own function column is outlined: Sales, Sales, Marketing
    assert [(int(p.get_y()), cols[int(p.get_x())]) for p in outlines] == [
        (0, "Sales"),
        (1, "Sales"),
        (2, "Marketing"),
    ]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "ana (Sales)",
        "bo (Sales)",
        "cy (Marketing)",
    ]


def test_coverage_bars_people_and_decision_makers(rel):
    crm = pd.DataFrame(
        {"company": ["Acme", "Globex", "Hooli"], "status": ["client", "prospect", "prospect"]}
    )
    cov = R.target_coverage(rel, crm)
    ax = P.plot_coverage(cov)
    _save(ax, "coverage")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "Hooli (prospect)"  # no decision-maker first
    bars = ax.patches
    n = len(labels)
    people = [b.get_width() for b in bars[:n]]
    dms = [b.get_width() for b in bars[n : 2 * n]]
    acme = labels.index("Acme (client)")
    sub = rel[rel["crm_company"] == "Acme"]
    assert people[acme] == sub["person_id"].nunique()
    assert dms[acme] == sub[sub["seniority"].isin(["Director", "CXO"])]["person_id"].nunique()
    assert "nobody known" in _texts(ax)
    html = P.style_coverage(cov).to_html()
    assert html.count("#FBE3D6") >= 1 and "Hooli" in html


def test_trend_points_are_pooled_by_hand(rel):
    tr = R.relevance_trend(rel, ["Finance"], "Manager", freq="QS")
    ax = P.plot_relevance_trend(tr, window=2)
    _save(ax, "trend")
    team = tr[tr["account"] == R.TEAM].reset_index(drop=True)
    buyers = ax.get_lines()[0].get_ydata()
    i = 3
    by_hand = (team.loc[i - 1, "buyers"] + team.loc[i, "buyers"]) / (
        team.loc[i - 1, "connections"] + team.loc[i, "connections"]
    )
    assert buyers[i] == pytest.approx(by_hand)
    assert buyers[0] == pytest.approx(team.loc[0, "buyers"] / team.loc[0, "connections"])
    assert "pooled over 2 quarters" in _texts(ax)
    one = P.plot_relevance_trend(tr, account="cy")
    assert "cy made" in one.get_title()


def test_ei_index_bars(rel):
    h = R.homophily(rel, baseline="uniform")
    ax = P.plot_ei_index(h)
    _save(ax, "ei")
    assert [b.get_width() for b in ax.patches] == pytest.approx(h["ei_index"].tolist())
    assert ax.get_xlim() == (-1.0, 1.0)


def test_summary_table_formats():
    s = R.relevance_summary(
        pd.DataFrame(
            {
                "account": "ana",
                "title": ["CFO", "AE"],
                "function": ["Finance", "Sales"],
                "seniority": ["CXO", "Entry"],
                "relationship": ["other", "other"],
            }
        ),
        ["Finance"],
    )
    html = P.style_summary(s).to_html()
    assert "50%" in html and "n/a" in html  # buyer share; clients unknown without a CRM


@pytest.mark.parametrize(
    ("draw", "frame", "says"),
    [
        (
            P.plot_relationship_mix,
            pd.DataFrame(columns=["account", "relationship", "connections", "share"]),
            "No connections",
        ),
        (
            P.plot_function_heatmap,
            pd.DataFrame(columns=["owner", "function", "connections", "share"]),
            "known job function",
        ),
        (
            P.plot_coverage,
            pd.DataFrame(columns=["company", "status", "people", "decision_makers", "covered"]),
            "No client",
        ),
        (
            P.plot_relevance_trend,
            pd.DataFrame(columns=["account", "period"]),
            "No connection dates",
        ),
    ],
)
def test_empty_frames_say_why(draw, frame, says):
    ax = draw(frame)
    assert says in _texts(ax)


def test_charts_show_no_people(rel):
    axes = [
        P.plot_relationship_mix(R.relationship_mix(rel)),
        P.plot_function_heatmap(R.function_matrix(rel, by="account")),
        P.plot_relevance_trend(R.relevance_trend(rel)),
    ]
    for ax in axes:
        text = _texts(ax)
        assert "@" not in text and "Secret Name" not in text and "p1 " not in text


def test_given_axes_are_used(rel):
    fig, axes = plt.subplots(1, 2)
    out = P.plot_relationship_mix(R.relationship_mix(rel), ax=axes[0])
    assert out is axes[0]


# -- the explorer ---------------------------------------------------------------------------------
def _explorer(rel, accounts=None):
    import contextlib
    import io

    from roi_helpers.widgets.relevance import relevance_explorer

    with contextlib.redirect_stdout(io.StringIO()):  # outside Jupyter, views print
        return relevance_explorer(rel, accounts, ["Finance"], "Manager")


def test_explorer_controls_redraw_only_what_they_feed(rel):
    import contextlib
    import io

    crm = pd.DataFrame({"company": ["Acme", "Globex"], "status": ["client", "prospect"]})
    ex = _explorer(rel, crm)
    assert ex.controls["person"].options == (R.TEAM, "ana", "bo", "cy")
    assert set(ex.redraws.values()) == {1}
    with contextlib.redirect_stdout(io.StringIO()):
        ex.controls["min_seniority"].value = "Director"
    # the mix and heatmap do not depend on the persona: not redrawn
    assert ex.redraws == {
        "findings": 2,
        "mix": 1,
        "heatmap": 1,
        "coverage": 2,
        "actions": 2,
        "trend": 2,
    }
    with contextlib.redirect_stdout(io.StringIO()):
        ex.controls["person"].value = "cy"
    assert set(ex.redraws.values()) == {2, 3}


def test_explorer_says_when_there_is_too_little(rel, monkeypatch):
    from roi_helpers.widgets import _base

    shown = []
    monkeypatch.setattr(_base, "display", lambda obj: shown.append(getattr(obj, "data", obj)))
    tiny = pd.concat([rel, rel.iloc[:2].assign(account="zed")], ignore_index=True)
    ex = _explorer(tiny)  # no CRM
    notes = [s for s in shown if isinstance(s, str)]
    assert any("No CRM account list" in n for n in notes)  # the coverage view says so
    shown.clear()
    ex.controls["person"].value = "zed"
    notes = [s for s in shown if isinstance(s, str)]
    # every view draws nothing, and each reason is said once, by the first view it stops
    assert all(isinstance(n, _base.TooLittleData) for n in ex.shown.values())
    assert len(ex.shown) == 6 and len(ex.repeated) == 4
    assert len(notes) == 2
    assert sum("zed has 2 connections: too few" in n for n in notes) == 1
    assert sum("No CRM account list" in n for n in notes) == 1  # coverage and actions
    with pytest.raises(R.RoiInputError, match="add_relationship"):
        _explorer(rel.drop(columns="relationship"))


# -- tables fit to read, and the explorer's text -----------------------------------------------------
def test_tables_have_no_index_and_cut_nothing(rel):
    s = R.relevance_summary(rel, ["Finance"], "Manager")
    html = P.style_summary(s).to_html()
    assert 'class="row_heading' not in html  # no 0, 1, 2... column
    team = s.set_index("account").loc[R.TEAM]
    assert f"{team['buyer_share']:.0%}" in html and f"{int(team['connections']):,}" in html
    crm = pd.DataFrame({"company": ["Acme", "Globex"], "status": ["client", "prospect"]})
    actions = pd.DataFrame(
        {
            "rank": [1],
            "company": ["A company whose name is far longer than fifty characters, really"],
            "status": ["client"],
            "people": [3],
            "known_by": ["ana; bo"],
            "action": [
                "Warm: ask ana or bo to introduce you " + "and then some more " * 8 + "end."
            ],
        }
    )
    html = P.style_actions(actions).to_html()
    assert actions["company"].iloc[0] in html and actions["action"].iloc[0] in html
    assert 'class="row_heading' not in html and "..." not in html
    html = P.style_coverage(R.target_coverage(rel, crm)).to_html()
    assert 'class="row_heading' not in html


def _zed(rel):
    """The fixture's team, plus zed (Sales): 10 connections, too few at target accounts
    for a baseline of zed's own."""
    zed = rel.iloc[:10].assign(account="zed", owner_function="Sales")
    return pd.concat([rel, zed], ignore_index=True)


def test_explorer_text_is_html_and_one_person_has_the_team_baseline(rel):
    import contextlib
    import io

    crm = pd.DataFrame({"company": ["Acme", "Globex"], "status": ["client", "prospect"]})
    team = _zed(rel)
    ex = _explorer(team, crm)
    text = ex.shown["findings"]
    assert "<b>The team</b>" in text and "**" not in text and "<li>" in text
    assert "Buyers here means" in text and "Finance at Manager level" in text
    with contextlib.redirect_stdout(io.StringIO()):
        ex.controls["person"].value = "zed"
    text = ex.shown["findings"]
    assert "<b>zed</b>" in text and "crude" not in text
    # the baseline, by hand: Sales among the team's known functions at Acme and Globex
    at_targets = team[team["crm_company"].notna() & (team["function"] != "Unknown")]
    w = (at_targets["function"] == "Sales").mean()
    assert f"against {w:.0%} in the baseline" in text
    assert f"({len(at_targets)} with a known function)" in text
    # zed alone would be compared with a uniform baseline: the explorer does not do that
    alone = R.homophily(team[team["account"] == "zed"]).iloc[0]
    assert alone["baseline"] == "uniform"


def test_explorer_sells_to_shows_every_function_and_the_actions_in_full(rel):
    crm = pd.DataFrame(
        {"company": ["Acme", "Globex", "Hooli"], "status": ["client", "prospect", "prospect"]}
    )
    ex = _explorer(rel, crm)
    targets = ex.controls["targets"]
    assert targets.rows == len(targets.options) == len(R.FUNCTIONS) - 1 == 26
    assert targets.value == ("Finance",)
    shown = ex.shown["actions"]
    html = shown.to_html()
    expected = R.next_actions(R.target_coverage(rel, crm, ["Finance"], "Manager"))
    assert len(expected) >= 1
    for sentence in expected["action"]:
        assert sentence in html  # whole, not cut with "..."
    assert 'class="row_heading' not in html and "known_by" not in html


def test_charts_name_functions_and_companies_in_full_and_say_whose_network():
    long_name = "Information Technology"  # 22 characters: was cut to "Information Techn…"
    m = pd.DataFrame(
        {
            "owner": ["ana", "ana", "ana"],
            "owner_function": ["Sales", "Sales", "Sales"],
            "function": ["Sales", long_name, "Military and Protective Services"],
            "connections": [3, 1, 1],
            "share": [0.6, 0.2, 0.2],
        }
    )
    ax = P.plot_function_heatmap(m)
    _save(ax, "heatmap_one_row")
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert long_name in labels and "Military and Protective Services" in labels
    assert not any("…" in t for t in labels)
    # one row still gets a figure tall enough for its cells: at least 3 inches
    assert ax.figure.get_size_inches()[1] >= 3
    n = 35
    cov = pd.DataFrame(
        {
            "company": [f"A company with a long enough name nr {i}" for i in range(n)],
            "status": "client",
            "people": np.arange(n) % 4,
            "decision_makers": (np.arange(n) % 4 == 3).astype(int),
        }
    ).assign(covered=lambda d: d["decision_makers"] > 0)
    ax = P.plot_coverage(cov, who="ana")
    _save(ax, "coverage_person")
    gaps = int((~cov["covered"]).sum())
    assert ax.get_title().startswith(f"Target accounts: {gaps} of {n} have no decision-maker ana")
    assert "the first 30 shown" in ax.get_title()
    assert ax.get_xlabel() == "people ana knows there (distinct)"
    assert all(float(t).is_integer() for t in ax.get_xticks())
    assert len(ax.get_yticklabels()) == 30
    assert all("…" not in t.get_text() for t in ax.get_yticklabels())


def test_trend_pools_calendar_months_not_rows():
    """Connections in January and July only: pooled over six months, July's point holds
    February to July (July alone), not January and July as two consecutive rows would."""
    rel = pd.DataFrame(
        {
            "account": "ana",
            "person_id": ["a", "b", "c", "d"],
            "connected_on": pd.to_datetime(
                ["2024-01-10", "2024-01-20", "2024-07-05", "2024-07-06"]
            ),
            "function": ["Finance", "Finance", "Sales", "Sales"],
            "seniority": ["CXO", "CXO", "Entry", "Entry"],
            "relationship": ["other", "other", "peer", "peer"],
            "owner_function": "Sales",
        }
    )
    tr = R.relevance_trend(rel, ["Finance"], "Manager")
    assert len(tr) == 7  # January to July, every month a row
    ax = P.plot_relevance_trend(tr, window=6)
    _save(ax, "trend_calendar")
    buyers = ax.get_lines()[0].get_ydata()
    peers = ax.get_lines()[1].get_ydata()
    # July pooled over February-July: 0 buyers of 2, 2 peers of 2 (by hand)
    assert buyers[-1] == pytest.approx(0.0) and peers[-1] == pytest.approx(1.0)
    # June pooled over January-June: the two January buyers
    assert buyers[-2] == pytest.approx(1.0)
    assert "pooled over 6 months" in _texts(ax) and "by month" in ax.get_title()


def test_trend_without_an_owners_function_draws_no_peers_and_says_so(rel):
    tr = R.relevance_trend(rel.assign(owner_function=None), ["Finance"], "Manager")
    assert tr["peers"].isna().all()
    ax = P.plot_relevance_trend(tr, window=3)
    _save(ax, "trend_no_peers")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert not any(label.startswith("peers (") for label in labels)
    assert "peers unknown: the owner's function is not known" in labels
    assert len(ax.get_lines()) == 2  # buyers, and buyers so far


def test_explorer_says_when_nothing_is_selected_in_sells_to(rel):
    import contextlib
    import io

    crm = pd.DataFrame({"company": ["Acme", "Globex"], "status": ["client", "prospect"]})
    ex = _explorer(rel, crm)
    assert "Nothing is selected" not in ex.shown["findings"]
    with contextlib.redirect_stdout(io.StringIO()):
        ex.controls["targets"].value = ()
    text = ex.shown["findings"]
    assert "Nothing is selected in “Sells to”" in text
    assert "buyers are the people at client and prospect accounts only" in text
    # the shares it shows are those of clients and prospects alone (counted by hand)
    team_buyers = rel["relationship"].astype(str).isin(["client", "prospect"]).mean()
    assert f"{team_buyers:.0%} are buyers" in text
    no_crm = _explorer(rel)
    with contextlib.redirect_stdout(io.StringIO()):
        no_crm.controls["targets"].value = ()
    assert "nobody can be counted a buyer" in no_crm.shown["findings"]
