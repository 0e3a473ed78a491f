"""Virality charts and explorer: what is drawn is what the data says.

Each chart is checked on what it actually drew (line data, bar widths, segment ends,
legend entries, titles) against values worked out by hand or with pandas/networkx, not
just that it ran. The explorer is checked for what each control redraws and caches.
"""

from __future__ import annotations

import contextlib
import io

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import Circle

from roi_helpers import RoiInputError
from roi_helpers.plots import virality as P
from roi_helpers.privacy import hide_people, pseudonym
from roi_helpers.virality import (
    attribution,
    build_cascades,
    cascade_layout,
    cascade_metrics,
    cascade_spread,
)
from roi_helpers.widgets import virality as W

T0 = pd.Timestamp("2024-05-01 09:00", tz="UTC")


def _events(rows, **extra) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["post_id", "user_id", "action", "minutes", "parent_user_id"])
    df["occurred_at"] = T0 + pd.to_timedelta(df.pop("minutes"), unit="min")
    df["platform"] = "x"
    for k, v in extra.items():
        df[k] = v
    return df.astype({"post_id": "str", "user_id": "str", "parent_user_id": "str"})


# a chain-ish post (p), a broadcast (q), a flat cascade (f), and two posts nobody reshared
ROWS = [
    ("p", "a", "post", 0, None),
    ("p", "b", "share", 10, None),
    ("p", "c", "share", 20, "b"),
    ("p", "d", "share", 30, "c"),
    ("p", "e", "share", 40, "c"),
    ("p", "g", "share", 50, "e"),
    ("q", "a", "post", 0, None),
    ("q", "b", "share", 5, None),
    ("q", "h", "share", 6, None),
    ("q", "i", "share", 7, None),
    ("f", "z", "post", 0, None),
    ("f", "x1", "share", 60, None),
    ("f", "x2", "share", 120, None),
    ("f", "x3", "share", 180, None),
    ("s1", "a", "post", 0, None),
    ("s2", "a", "post", 0, None),
]


@pytest.fixture
def cascades():
    return build_cascades(_events(ROWS))


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_ccdf_draws_the_share_of_posts_at_least_that_big(cascades):
    m = cascade_metrics(cascades)  # sizes 6, 4, 4, 1, 1
    ax = P.plot_size_ccdf(m)
    line = ax.get_lines()[0]
    assert list(line.get_xdata()) == [1, 4, 6]
    assert list(line.get_ydata()) == pytest.approx([5 / 5, 3 / 5, 1 / 5])
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    title = ax.get_title(loc="left")
    assert "5 posts" in title and "40% were never reshared" in title and "6 people" in title
    ax.figure.savefig("/tmp/virality_ccdf.png")


def test_ccdf_by_group_draws_one_curve_each(cascades):
    m = cascade_metrics(cascades)
    m["platform"] = ["x", "x", "linkedin", "x", "linkedin"]
    ax = P.plot_size_ccdf(m, by="platform")
    assert len(ax.get_lines()) == 2
    labels = sorted(t.get_text() for t in ax.get_legend().get_texts())
    assert labels == ["linkedin (2 posts)", "x (3 posts)"]


def test_size_vs_virality_plots_each_cascade_and_rank_correlation(cascades):
    m = cascade_metrics(cascades)
    ax = P.plot_size_vs_virality(m)
    pts = np.vstack([c.get_offsets() for c in ax.collections])
    drawn = sorted(map(tuple, pts.round(6)))
    kept = m[m["size"] >= 2]
    assert drawn == sorted(zip(kept["size"], kept["structural_virality"].round(6), strict=True))
    rho = kept[["size", "structural_virality"]].rank().corr().iloc[0, 1]  # Spearman by hand
    assert f"Spearman rank correlation {rho:.2f}" in ax.get_title(loc="left")
    star = next(line for line in ax.get_lines() if line.get_label() == "one broadcast (star)")
    n = np.asarray(star.get_xdata())
    assert np.allclose(star.get_ydata(), 2 * (n - 1) / n)
    ax.figure.savefig("/tmp/virality_shape.png")


def test_cascade_drawing_joins_each_person_to_their_parent(cascades):
    lay = cascade_layout(cascades, "p")
    ax = P.plot_cascade(lay)
    segs = ax.collections[0].get_segments()
    assert len(segs) == len(lay) - 1
    pos = {u: (x, y) for u, x, y in zip(lay["user"], lay["x"], lay["y"], strict=True)}
    want = sorted(
        (pos[p], pos[c]) for p, c in zip(lay["parent"], lay["user"], strict=True) if pd.notna(p)
    )
    got = sorted((tuple(s[0]), tuple(s[1])) for s in segs)
    assert np.allclose(np.array(got), np.array(want))
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    # generations of p: b (1), c (2), d e (3), g (4)
    assert legend == [
        "original post",
        "generation 1 (1)",
        "generation 2 (1)",
        "generation 3 (2)",
        "generation 4 (1)",
    ]
    assert ax.get_title(loc="left").startswith("Post p: 6 people, 4 generations of reshares")
    ax.figure.savefig("/tmp/virality_tree.png")


def test_cascade_drawing_by_relationship():
    c = build_cascades(_events(ROWS))
    audience = pd.DataFrame(
        {"person_id": ["b", "c", "d"], "relationship": ["client", "prospect", "client"]}
    )
    lay = cascade_layout(c, "p", audience=audience)
    ax = P.plot_cascade(lay, color_by="relationship")
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["original post", "client (2)", "prospect (1)", "not in audience (2)"]
    with pytest.raises(ValueError, match="relationship"):
        P.plot_cascade(cascade_layout(c, "p"), color_by="relationship")


def test_a_big_broadcast_stays_readable():
    rows = [("big", "root", "post", 0, None)] + [
        ("big", f"u{i}", "share", i, None if i < 150 else f"u{i % 150}") for i in range(1, 400)
    ]
    c = build_cascades(_events(rows))
    lay = cascade_layout(c)
    ax = P.plot_cascade(lay)
    # nobody drawn on top of anybody else
    xy = np.round(lay[["x", "y"]].to_numpy(), 6)
    assert len(np.unique(xy, axis=0)) == len(lay)
    ax.figure.savefig("/tmp/virality_tree_big.png")


def test_spread_steps_through_the_adopters(cascades):
    s = cascade_spread(cascades, "f")
    ax = P.plot_spread(s)
    line = ax.get_lines()[0]
    assert list(line.get_xdata()) == [0.0, 1.0, 2.0, 3.0]
    assert list(line.get_ydata()) == [1, 2, 3, 4]
    guides = sorted(
        line.get_ydata()[0] for line in ax.get_lines()[1:] if line.get_linestyle() == ":"
    )
    assert guides == pytest.approx([2.0, 3.6])
    ax2 = P.plot_spread(cascade_spread(cascades), share=True)
    assert len(ax2.get_lines()) == 5 and ax2.get_legend() is not None
    ax.figure.savefig("/tmp/virality_spread.png")


def test_leaderboard_ranks_carriers_by_descendants(cascades):
    att = attribution(cascades, relevant={"d", "g"})
    shown = hide_people(att, show_names=False)
    ax = P.plot_leaderboard(shown, top=3)
    bars = [p for p in ax.patches if p.get_height() > 0.5]
    widths = [p.get_width() for p in bars]
    # b carries c, d, e, g in p (4); c carries d, e, g (3); e carries g (1)
    assert widths == [1, 3, 4]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    fake = pseudonym(pd.Series(["e", "c", "b"])).tolist()
    assert labels == [f"{fake[0]} (1 cascade)", f"{fake[1]} (1 cascade)", f"{fake[2]} (2 cascades)"]
    assert all(lab.startswith("Person ") for lab in labels)  # no raw ids
    relevant = ax.collections[0].get_offsets()[:, 0].tolist()
    assert relevant == [1, 2, 2]  # g below e; d, g below c and b
    ax.figure.savefig("/tmp/virality_leaders.png")


def test_empty_inputs_say_so():
    empty = build_cascades(_events([("p", "a", "like", 0, None)]))
    for ax in (
        P.plot_size_ccdf(cascade_metrics(empty)),
        P.plot_size_vs_virality(cascade_metrics(empty)),
        P.plot_cascade(cascade_layout(empty)),
        P.plot_leaderboard(attribution(empty)),
        P.plot_spread(cascade_spread(empty)),
    ):
        assert not ax.axison
        assert ax.texts and ax.texts[0].get_text()


# -- the explorer --------------------------------------------------------------------------
def _explorer(**kw):
    with contextlib.redirect_stdout(io.StringIO()):
        return W.virality_explorer(_events(ROWS), **kw)


def test_explorer_controls_follow_the_minimum_size():
    ex = _explorer(min_size=2)
    assert [v for _, v in ex.controls["post"].options] == ["p", "q", "f"]
    assert ex.controls["post"].value == "p"
    with contextlib.redirect_stdout(io.StringIO()):
        ex.controls["post"].value = "q"
        ex.controls["min_size"].value = 5
    assert [v for _, v in ex.controls["post"].options] == ["p"]
    assert ex.controls["post"].value == "p"
    assert ex.controls["min_size"].max == 6


def test_explorer_redraws_only_what_a_control_changes():
    ex = _explorer()
    base = dict(ex.redraws)
    with contextlib.redirect_stdout(io.StringIO()):
        ex.controls["inference"].value = list(W.INFERENCE_CHOICES)[2]  # latest
    changed = {k for k, v in ex.redraws.items() if v != base[k]}
    assert changed == {"caveat", "tree", "shape", "leaders"}
    base = dict(ex.redraws)
    with contextlib.redirect_stdout(io.StringIO()):
        ex.controls["post"].value = "f"
    changed = {k for k, v in ex.redraws.items() if v != base[k]}
    assert changed == {"caveat", "tree", "spread"}  # the note is about the post drawn
    # going back to a rule already built uses the cache
    built = ex.cache_info["built"]().misses
    with contextlib.redirect_stdout(io.StringIO()):
        ex.controls["inference"].value = list(W.INFERENCE_CHOICES)[0]
    assert ex.cache_info["built"]().misses == built


def test_explorer_leaderboard_hides_names_unless_asked(monkeypatch):
    seen = []
    real = P.plot_leaderboard

    def spy(att, *a, **k):
        seen.append(att)
        return real(att, *a, **k)

    monkeypatch.setattr(P, "plot_leaderboard", spy)
    _explorer()
    assert seen and not set(seen[-1]["user"]) & {"a", "b", "c", "e"}
    assert seen[-1]["user"].str.startswith("Person ").all()
    _explorer(show_names=True)
    assert "b" in set(seen[-1]["user"])


def test_explorer_needs_cascades_and_a_relationship():
    with pytest.raises(RoiInputError, match="no post or share"):
        W.virality_explorer(_events([("p", "a", "like", 0, None)]))
    with pytest.raises(RoiInputError) as err:
        W.virality_explorer(_events(ROWS), audience=pd.DataFrame({"person_id": ["b"]}))
    assert err.value.column == "relationship"


def test_the_tree_layout_matches_networkx_depth_first_order(cascades):
    lay = cascade_layout(cascades, "p", radial=False)
    g = nx.DiGraph(
        list(zip(lay["parent"].dropna(), lay.loc[lay["parent"].notna(), "user"], strict=True))
    )
    leaves = [v for v in nx.dfs_preorder_nodes(g, "a") if g.out_degree(v) == 0]
    x = dict(zip(lay["user"], lay["x"], strict=True))
    assert [x[v] for v in leaves] == sorted(x[v] for v in leaves)


def test_leaderboard_labels_say_each_carriers_relationship(cascades):
    audience = pd.DataFrame(
        {"person_id": ["b", "c", "e"], "relationship": ["client", "peer", "prospect"]}
    )
    att = attribution(cascades, audience=audience)
    ax = P.plot_leaderboard(att, top=3)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["e, prospect (1 cascade)", "c, peer (1 cascade)", "b, client (2 cascades)"]
    relevant = ax.collections[0].get_offsets()[:, 0].tolist()
    assert relevant == [0, 1, 1]  # e (a prospect) is below c and b


def test_explorer_note_is_about_the_cascade_drawn():
    """f comes from a file that records no parents (flat); p and q from one that does."""
    ev = _events(ROWS).assign(source_file="events.csv")
    ev.loc[ev["post_id"] == "f", "source_file"] = "api.csv"
    with contextlib.redirect_stdout(io.StringIO()):
        ex = W.virality_explorer(ev)
        assert ex.controls["post"].value == "p"
        assert ex.shown["caveat"] is None  # recorded parents, as given: no caveat
        ex.controls["post"].value = "f"
        flat = ex.shown["caveat"]
        ex.controls["inference"].value = list(W.INFERENCE_CHOICES)[1]  # root
        on_f = ex.shown["caveat"]
        ex.controls["post"].value = "p"
        on_p = ex.shown["caveat"]
    assert "Post f is a flat cascade of 3 reshares: api.csv attributes every reshare" in flat
    assert "X/Twitter&#x27;s API" in flat  # the caveat, escaped for HTML
    assert "drawn as their source records them" in on_f
    assert "post p is not one" in on_p and "events.csv, records who reshared" in on_p
    assert "star" not in on_p  # not the flat-cascade caveat
    # under the same rule, the tree of p is its recorded one: 4 generations, not a star
    assert ex.shown["tree"].get_title(loc="left").startswith("Post p: 6 people, 4 generations")


def test_rings_stop_at_the_deepest_generation(cascades):
    for post, depth in (("p", 4), ("q", 1), ("f", 1)):
        lay = cascade_layout(cascades, post)
        ax = P.plot_cascade(lay)
        rings = sorted(c.get_radius() for c in ax.patches if isinstance(c, Circle))
        assert rings == list(range(1, depth + 1)), post
        farthest = np.hypot(lay["x"], lay["y"]).max()
        assert rings[-1] == pytest.approx(farthest), post
        plt.close(ax.figure)


# -- review fixes ------------------------------------------------------------------------------
def _words(title: str) -> str:
    """A title as one line (titles wrap at about 90 characters)."""
    return " ".join(title.split())


def _chain(n: int, post: str = "c") -> list[tuple]:
    rows = [(post, "u0", "post", 0, None)]
    return rows + [(post, f"u{i}", "share", i, f"u{i - 1}") for i in range(1, n)]


def test_a_deep_tree_is_drawn_in_rows_not_a_disk_of_rings():
    c = build_cascades(_events(_chain(137)))  # 136 generations
    lay = cascade_layout(c)
    ax = P.plot_cascade(lay)
    assert not [p for p in ax.patches if isinstance(p, Circle)]
    assert ax.axison and "generation" in ax.get_ylabel()
    low, high = ax.get_ylim()
    assert low <= -136 and high >= 0
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert "0" in ticks and all(not t.startswith("-") for t in ticks)  # generations, not -y
    assert "rows are generations" in ax.get_title(loc="left")
    ax.figure.savefig("/tmp/virality_tree_deep.png")


def test_inferred_parents_are_named_in_the_tree_and_leaderboard_titles():
    ev = _events(ROWS).assign(source_file="events.csv")
    ev.loc[ev["post_id"] == "f", "source_file"] = "api.csv"  # f: flat
    c = build_cascades(ev, infer="latest")
    title = _words(P.plot_cascade(cascade_layout(c, "f")).get_title(loc="left"))
    assert title.startswith("Post f: 4 people, 3 generations of reshares, parents inferred by rule")
    assert "'latest'" in title and "most recent earlier adopter" in title
    assert "inferred" not in P.plot_cascade(cascade_layout(c, "p")).get_title(loc="left")
    att = attribution(c)
    ax = P.plot_leaderboard(att, top=10)
    # x1 and x2 carry in f (inferred); b, c, e in p (given)
    assert "parents inferred by rule 'latest'" in _words(ax.get_title(loc="left"))
    assert "the counts of 2 carriers rest on them" in _words(ax.get_title(loc="left"))
    given_ = build_cascades(ev)
    assert "inferred" not in P.plot_leaderboard(attribution(given_)).get_title(loc="left")
    ax.figure.savefig("/tmp/virality_leaders_inferred.png")


def test_a_tiny_p_value_reads_p_below_0_001():
    m = pd.DataFrame({"size": np.arange(2, 60), "structural_virality": np.linspace(1, 5, 58)})
    title = P.plot_size_vs_virality(m).get_title(loc="left")
    assert "(p < 0.001)" in title and "p = 0" not in title
    # 12 cascades: ranks of virality 1 3 2 4 5 6 8 7 9 10 12 11 against sizes 1..12:
    # three swapped pairs, sum d^2 = 6, rho = 1 - 6 * 6 / (12 * 143); p from Student's t, 10 df
    from scipy.stats import t

    few = pd.DataFrame(
        {"size": np.arange(2, 14), "structural_virality": [1, 3, 2, 4, 5, 6, 8, 7, 9, 10, 12, 11]}
    )
    rho = 1 - 6 * 6 / (12 * 143)
    p = 2 * t.sf(rho * np.sqrt(10 / (1 - rho**2)), df=10)
    assert p < 0.001  # still: the title must not say p = 0
    title = P.plot_size_vs_virality(few).get_title(loc="left")
    assert f"Spearman rank correlation {rho:.2f} (p < 0.001) over 12 cascades" in title
    ranks = [6, 1, 9, 2, 8, 4, 3, 12, 5, 10, 7, 11]
    noisy = few.assign(structural_virality=ranks)
    d2 = sum((a - b) ** 2 for a, b in zip(range(1, 13), ranks, strict=True))
    rho = 1 - 6 * d2 / (12 * 143)
    p = 2 * t.sf(rho * np.sqrt(10 / (1 - rho**2)), df=10)
    assert 0.001 < p < 0.2
    assert f"{rho:.2f} (p = {p:.2g})" in P.plot_size_vs_virality(noisy).get_title(loc="left")
    # a perfect correlation of 3: no p-value (scipy's would read 0)
    three = pd.DataFrame({"size": [2, 3, 4], "structural_virality": [1.0, 1.3, 1.5]})
    assert "(too few for a p-value) over 3 cascades" in _words(
        P.plot_size_vs_virality(three).get_title(loc="left")
    )


def test_ccdf_at_a_minimum_size_says_what_it_counts(cascades):
    m = cascade_metrics(cascades)  # sizes 6, 4, 4, 1, 1
    ax = P.plot_size_ccdf(m, min_size=2)
    line = ax.get_lines()[0]
    assert list(line.get_xdata()) == [4, 6]
    assert list(line.get_ydata()) == pytest.approx([1.0, 1 / 3])
    title = _words(ax.get_title(loc="left"))
    assert "sizes of the 3 cascades of 2 people or more, of 5 posts" in title
    assert "of all 5 posts, 40% were never reshared" in title  # not 0% of the 3
    assert ax.get_ylabel() == "share of the 3 cascades (≥ 2 people) with size ≥ s"
    assert P.plot_size_ccdf(m, min_size=7).texts[0].get_text().startswith("No cascade of 7")
    ax.figure.savefig("/tmp/virality_ccdf_min.png")


def test_a_long_spread_runs_on_a_log_time_axis():
    rows = [("t", "a", "post", 0, None)] + [
        ("t", f"u{i}", "share", m, None) for i, m in enumerate([3, 10, 30, 90, 600, 132_000])
    ]
    c = build_cascades(_events(rows))
    ax = P.plot_spread(cascade_spread(c))
    assert ax.get_xscale() == "symlog"
    assert ax.get_xlim()[1] >= 2200 and "logarithmic" in ax.get_xlabel()
    assert P.plot_spread(cascade_spread(build_cascades(_events(ROWS)), "f")).get_xscale() == (
        "linear"
    )
    ax.figure.savefig("/tmp/virality_spread_long.png")
    early = build_cascades(_events([*rows, ("t", "z", "share", -4, None)]))
    title = _words(P.plot_spread(cascade_spread(early)).get_title(loc="left"))
    assert "1 reshare timed before the post is counted from the post's time" in title


def _changes(ex) -> list:
    seen: list = []
    ex.controls["post"].observe(lambda ch: seen.append((ch["old"], ch["new"])), names="value")
    return seen


def test_moving_the_minimum_size_keeps_the_cascade_drawn():
    ex = _explorer(min_size=1)
    with contextlib.redirect_stdout(io.StringIO()):
        ex.controls["post"].value = "q"  # 4 people
    seen = _changes(ex)
    base = dict(ex.redraws)
    with contextlib.redirect_stdout(io.StringIO()):
        for size in (2, 3, 4, 1, 3):
            ex.controls["min_size"].value = size
    assert seen == []  # the value never passed through another id
    assert ex.redraws["tree"] == base["tree"] and ex.redraws["spread"] == base["spread"]
    assert ex.redraws["caveat"] == base["caveat"]
    assert ex.redraws["sizes"] == base["sizes"] + 5
    assert [v for _, v in ex.controls["post"].options] == ["p", "q", "f"]
    assert ex.controls["post"].value == "q"
    with contextlib.redirect_stdout(io.StringIO()):
        ex.controls["min_size"].value = 5  # q no longer qualifies: the largest, once
    assert seen == [("q", "p")]
    assert ex.redraws["tree"] == base["tree"] + 1


def test_the_explorer_starts_from_the_notebooks_choices():
    ev = _events(ROWS).assign(source_file="events.csv")
    ev.loc[ev["post_id"] == "f", "source_file"] = "api.csv"
    with contextlib.redirect_stdout(io.StringIO()):
        ex = W.virality_explorer(ev, inference="latest", post_id="f", min_size=5)
    assert W.INFERENCE_CHOICES[ex.controls["inference"].value] == "latest"
    assert ex.controls["post"].value == "f"
    assert ex.controls["min_size"].value == 4  # lowered so that f (4 people) is offered
    assert "parents inferred by rule 'latest'" in ex.shown["tree"].get_title(loc="left")
    with contextlib.redirect_stdout(io.StringIO()):
        unknown = W.virality_explorer(ev, post_id="nope")
    assert unknown.controls["post"].value == "p"
    with pytest.raises(ValueError, match="infer must be"):
        W.virality_explorer(ev, inference="guess")


def test_the_size_chart_needs_three_cascades():
    with contextlib.redirect_stdout(io.StringIO()):
        ex = _explorer(min_size=4)  # p, q, f
        assert not isinstance(ex.shown["sizes"], W.TooLittleData)
        ex.controls["min_size"].value = 5  # only p
    note = ex.shown["sizes"]
    assert isinstance(note, W.TooLittleData) and str(note).startswith("Only 1 cascade(s) have 5")


def test_the_explorer_says_when_no_resharer_is_in_the_audience():
    aud = pd.DataFrame({"person_id": ["ann-lee-1a2b"], "relationship": ["client"]})
    with contextlib.redirect_stdout(io.StringIO()):
        ex = W.virality_explorer(_events(ROWS), audience=aud)
    assert "None of the 10 resharers is in the audience" in ex.shown["audience"]
    assert "relationship" not in cascade_layout(build_cascades(_events(ROWS)), "p")
    legend = [t.get_text() for t in ex.shown["tree"].get_legend().get_texts()]
    assert legend[1].startswith("generation 1")  # coloured by generation, not all grey
    aud = pd.DataFrame({"person_id": ["b", "c", "g"], "relationship": ["other", "other", "other"]})
    with contextlib.redirect_stdout(io.StringIO()):
        ex = W.virality_explorer(_events(ROWS), audience=aud, relevant={"g"}, show_names=True)
    assert ex.shown["audience"] is None
    leaders = ex.shown["leaders"]
    relevant = leaders.collections[0].get_offsets()[:, 0].tolist()
    assert relevant == [1, 1, 1]  # e, c, b each have g downstream
