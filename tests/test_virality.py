"""Reshare cascades: repair rules, inference rules, metrics and attribution.

Every expected value is worked out independently of ``roi_helpers.virality``: by hand
(closed forms, small drawn trees), with networkx on the same trees (shortest paths,
descendants, BFS layers, DFS order), or by brute force in plain Python. Real cascades are
read from the raw shared files with a regular expression and the csv module, not with the
kit's readers, so that the people counted are counted independently.
"""

from __future__ import annotations

import csv
import re
from collections import Counter

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roi_helpers import RoiInputError
from roi_helpers.privacy import hide_people
from roi_helpers.virality import (
    INFERENCE_RULES,
    REPAIR_RULES,
    Cascades,
    attribution,
    audience_overlap,
    build_cascades,
    cascade_generations,
    cascade_layout,
    cascade_metrics,
    cascade_spread,
    cleaning_balance,
    headline,
    inference_caveat,
    inference_note,
    key_numbers,
    relevant_people,
    repair_summary,
    select_cascades,
    select_period,
)

T0 = pd.Timestamp("2024-05-01 09:00", tz="UTC")


def _events(rows, **extra) -> pd.DataFrame:
    """Events from (post, user, action, minutes after T0 or None, parent or None) tuples."""
    df = pd.DataFrame(rows, columns=["post_id", "user_id", "action", "minutes", "parent_user_id"])
    minutes = pd.to_numeric(df.pop("minutes"), errors="coerce")
    df["occurred_at"] = T0 + pd.to_timedelta(minutes, unit="min")
    df["platform"] = "x"
    df["source_file"] = "events.csv"
    df["source_row"] = pd.array(range(2, len(df) + 2), dtype="Int64")
    for k, v in extra.items():
        df[k] = v
    return df.astype({"post_id": "str", "user_id": "str", "parent_user_id": "str"})


def _parents(c: Cascades, post: str = "p") -> dict[str, str | None]:
    nodes = c.nodes[c.nodes["post_id"] == post]
    return {
        u: (None if pd.isna(p) else p) for u, p in zip(nodes["user"], nodes["parent"], strict=True)
    }


def _metric(c: Cascades, post: str = "p") -> pd.Series:
    m = cascade_metrics(c)
    return m.set_index("post_id").loc[post]


def _graphs(c: Cascades) -> dict[str, tuple[nx.DiGraph, str]]:
    """One networkx tree per cascade, from the edges table, with its root."""
    out = {}
    for post, roots in c.roots.groupby("post_id"):
        g = nx.DiGraph()
        g.add_node(roots["root"].iloc[0])
        out[post] = (g, roots["root"].iloc[0])
    for post, part in c.edges.groupby("post_id"):
        out[post][0].add_edges_from(zip(part["parent"], part["child"], strict=True))
    return out


def _nx_metrics(g: nx.DiGraph, root: str) -> dict[str, float]:
    """Size, depth, breadth (and where), structural virality: the networkx way."""
    dist = nx.single_source_shortest_path_length(g, root)
    per_gen = Counter(d for d in dist.values() if d > 0)
    n = g.number_of_nodes()
    breadth = max(per_gen.values()) if per_gen else 0
    return {
        "size": n,
        "depth": max(dist.values()),
        "max_breadth": breadth,
        "breadth_generation": min((g_ for g_, k in per_gen.items() if k == breadth), default=None),
        "structural_virality": nx.average_shortest_path_length(g.to_undirected()) if n > 1 else 0.0,
    }


# -- closed forms --------------------------------------------------------------------------
@pytest.mark.parametrize("n", [2, 3, 10, 250])
def test_a_broadcast_star_scores_2_n_minus_1_over_n(n):
    rows = [("p", "root", "post", 0, None)] + [
        ("p", f"u{i}", "share", i, None) for i in range(1, n)
    ]
    m = _metric(build_cascades(_events(rows)))
    assert m["size"] == n
    assert m["depth"] == 1
    assert m["max_breadth"] == n - 1
    assert m["breadth_generation"] == 1
    assert m["direct_reshares"] == n - 1
    assert m["structural_virality"] == pytest.approx(2 * (n - 1) / n)


@pytest.mark.parametrize("n", [2, 3, 7, 300])
def test_a_chain_scores_n_plus_1_over_3(n):
    rows = [("p", "u0", "post", 0, None)] + [
        ("p", f"u{i}", "share", i, f"u{i - 1}") for i in range(1, n)
    ]
    m = _metric(build_cascades(_events(rows)))
    assert m["size"] == n
    assert m["depth"] == n - 1
    assert m["max_breadth"] == 1
    assert m["structural_virality"] == pytest.approx((n + 1) / 3)


def test_a_post_nobody_reshared_is_size_1_virality_0():
    m = _metric(build_cascades(_events([("p", "a", "post", 0, None)])))
    assert (m["size"], m["depth"], m["max_breadth"]) == (1, 0, 0)
    assert pd.isna(m["breadth_generation"])
    assert m["structural_virality"] == 0.0
    assert m["time_to_half"] == pd.Timedelta(0)


def test_a_drawn_tree_by_hand():
    # a -> b -> d, a -> c, b -> e -> f : n = 6
    rows = [
        ("p", "a", "post", 0, None),
        ("p", "b", "share", 1, None),
        ("p", "c", "share", 2, "a"),
        ("p", "d", "share", 3, "b"),
        ("p", "e", "share", 4, "b"),
        ("p", "f", "share", 5, "e"),
    ]
    m = _metric(build_cascades(_events(rows)))
    # subtree sizes below each edge: b 4, c 1, d 1, e 2, f 1 -> sum s(n-s) = 8+5+5+8+5 = 31
    assert m["structural_virality"] == pytest.approx(31 / 15)
    assert (m["depth"], m["max_breadth"], m["breadth_generation"]) == (3, 2, 1)


# -- repair rules --------------------------------------------------------------------------
MESSY = [
    ("p", "a", "post", 0, None),  # row 2: the original
    ("p", "b", "share", 10, None),  # 3
    ("p", "c", "share", 20, "b"),  # 4
    ("p", "c", "share", 25, "b"),  # 5 duplicate edge
    ("p", "c", "share", 26, "a"),  # 6 second parent
    ("p", "c", "share", 27, "c"),  # 7 self-loop, not c's first appearance
    ("p", "d", "share", 30, "ghost"),  # 8 lost parent
    ("p", "e", "share", 40, "f"),  # 9 parent f adopts later (at 50)
    ("p", "f", "share", 50, "b"),  # 10
    ("p", "g", "share", 60, "g"),  # 11 self-loop as g's only appearance
    ("p", "h", "share", 70, "i"),  # 12 cycle h <-> i, same time
    ("p", "i", "share", 70, "h"),  # 13
    ("p", "a", "share", 80, "b"),  # 14 the author reshares their own post
    ("p", "a", "post", 90, None),  # 15 a repeated post event
    ("p", "j", "post", 95, None),  # 16 someone else's post event for the same post
    ("p", "k", "share", -5, None),  # 17 before the original post
]


def test_every_repair_rule_on_a_hand_made_cascade():
    c = build_cascades(_events(MESSY))
    assert _parents(c) == {
        "a": None,
        "b": "a",
        "c": "b",  # the earliest appearance wins
        "d": "a",  # lost parent -> root
        "e": "a",  # parent adopted later -> root
        "f": "b",
        "g": "a",  # self-loop -> root
        "h": "a",  # the cycle is broken at its earliest adopter (row 12)...
        "i": "h",  # ...the other keeps its parent
        "j": "a",  # a second post event counts as a reshare of the original
        "k": "a",
    }
    rep = c.report.to_frame()
    got = {(r.rule, r.action, int(r.row)) for r in rep.itertuples()}
    assert got == {
        ("duplicate edge", "deduplicated", 5),
        ("second parent", "set aside", 6),
        ("self-loop", "set aside", 7),
        ("parent never seen", "repaired", 8),
        ("parent adopted later", "repaired", 9),
        ("self-loop", "repaired", 11),
        ("cycle", "repaired", 12),
        ("author reshared own post", "deduplicated", 14),
        ("repeated post event", "deduplicated", 15),
        ("second post event", "repaired", 16),
        ("before the original post", "flagged", 17),
    }
    # every entry names the post and the person
    people = dict(zip(range(2, 18), [r[1] for r in MESSY], strict=True))
    for r in rep.itertuples():
        assert r.reason.startswith("post p: ")
        assert people[int(r.row)] in r.reason
    assert set(rep["file"]) == {"events.csv"}
    # rows read = rows kept (one per person) + rows set aside
    bal = c.report.balance().set_index("file").loc["events.csv"]
    assert (bal["rows_read"], bal["rows_kept"], bal["rows_set_aside"]) == (16, 11, 5)
    aside = c.report.set_aside_frame()
    assert sorted(aside["source_row"].astype(int)) == [5, 6, 7, 14, 15]
    assert sorted(aside["set_aside_rule"]) == sorted(
        [
            "duplicate edge",
            "second parent",
            "self-loop",
            "author reshared own post",
            "repeated post event",
        ]
    )


def test_the_repairs_table_names_each_person_in_its_own_column():
    c = build_cascades(_events(MESSY))
    rep = c.repairs
    people = dict(zip(range(2, 18), [r[1] for r in MESSY], strict=True))
    given = dict(zip(range(2, 18), [r[4] for r in MESSY], strict=True))
    assert sorted(rep["row"].astype(int)) == sorted(c.report.to_frame()["row"].astype(int))
    for r in rep.itertuples():
        assert r.user == people[r.row], r
        assert r.post_id == "p"
    parents = dict(zip(rep["row"].astype(int), rep["parent_user_id"], strict=True))
    for row in (5, 6, 7, 8, 9, 12, 14):
        assert parents[row] == given[row], row
    used = rep.set_index("rule")["parent"]
    assert used["parent never seen"] == "a" and used["cycle"] == "a"
    summary = repair_summary(c)
    assert summary["rows"].sum() == len(rep) == 11
    assert set(summary["rule"]) <= set(REPAIR_RULES)
    assert summary["meaning"].notna().all()
    hidden = hide_people(summary)
    assert not set(hidden["user"]) & set(people.values())


def test_repaired_trees_are_trees_with_every_person_once():
    c = build_cascades(_events(MESSY))
    g, root = _graphs(c)["p"]
    assert nx.is_arborescence(g)
    assert set(g.nodes) == {r[1] for r in MESSY}
    assert len(c.nodes) == len({r[1] for r in MESSY})


def test_the_root_from_author_id_or_a_synthetic_one():
    ev = _events(
        [
            ("p1", "b", "share", 1, None),
            ("p1", "c", "share", 2, "b"),
            ("p2", "x", "share", 1, None),
            ("p2", "y", "share", 2, None),
        ],
        author_id=["a", "a", None, None],
    )
    c = build_cascades(ev)
    roots = c.roots.set_index("post_id")
    assert roots.loc["p1", "root"] == "a"
    assert roots.loc["p2", "root"] == "(post p2)"
    assert pd.isna(roots.loc["p1", "started_at"])
    assert _parents(c, "p1") == {"a": None, "b": "a", "c": "b"}
    assert _parents(c, "p2") == {"(post p2)": None, "x": "(post p2)", "y": "(post p2)"}
    rep = c.report.to_frame()
    assert rep[["rule", "action"]].values.tolist() == [
        ["root from author_id", "assumed"],
        ["synthetic root", "repaired"],
    ]
    assert "post p1" in rep["reason"].iloc[0] and " a " in rep["reason"].iloc[0]
    assert "post p2" in rep["reason"].iloc[1]
    # without a post time, times count from the first adoption
    m = cascade_metrics(c).set_index("post_id")
    assert m.loc["p1", "time_to_90pct"] == pd.Timedelta(minutes=1)


def test_an_author_id_that_disagrees_with_the_post_event_is_flagged():
    ev = _events(
        [("p", "a", "post", 0, None), ("p", "b", "share", 1, None)], author_id=["a", "zed"]
    )
    c = build_cascades(ev)
    rep = c.report.to_frame()
    assert rep[["rule", "action", "row"]].values.tolist() == [["author differs", "flagged", 3]]
    assert _parents(c) == {"a": None, "b": "a"}


def test_cycles_among_unknown_times_are_broken_at_the_earliest_row():
    rows = [
        ("p", "a", "post", 0, None),
        ("p", "b", "share", None, "d"),
        ("p", "c", "share", None, "b"),
        ("p", "d", "share", None, "c"),
        ("p", "e", "share", None, "d"),  # hangs below the cycle
        ("q", "a", "post", 0, None),
        ("q", "x", "share", 1, "y"),
        ("q", "y", "share", 1, "x"),
    ]
    c = build_cascades(_events(rows))
    assert _parents(c, "p") == {"a": None, "b": "a", "c": "b", "d": "c", "e": "d"}
    assert _parents(c, "q") == {"a": None, "x": "a", "y": "x"}
    cyc = c.report.to_frame().query("rule == 'cycle'")
    assert sorted(cyc["row"].astype(int)) == [3, 8]
    for post, (g, _) in _graphs(c).items():
        assert nx.is_arborescence(g), post


def test_posts_of_different_platforms_are_different_cascades():
    ev = _events([("p", "a", "post", 0, None), ("p", "b", "share", 1, None)] * 2)
    ev.loc[2:, "platform"] = "linkedin"
    m = cascade_metrics(build_cascades(ev))
    assert sorted(m["platform"]) == ["linkedin", "x"]
    assert m["size"].tolist() == [2, 2]


def test_other_actions_are_ignored_and_counted():
    rows = [
        ("p", "a", "post", 0, None),
        ("p", "b", "like", 1, None),
        ("p", "c", "comment", 1, None),
    ]
    c = build_cascades(_events(rows))
    assert len(c.nodes) == 1
    note = c.report.to_frame().query("rule == 'not a reshare'")["reason"].iloc[0]
    assert "1 like" in note and "1 comment" in note


def test_no_reshare_events_gives_empty_cascades_everything_downstream_copes():
    c = build_cascades(_events([("p", "b", "like", 1, None)]))
    assert len(c) == 0 and c.edges.empty and c.nodes.empty
    assert cascade_metrics(c).empty
    assert "structural_virality" in cascade_metrics(c).columns
    assert cascade_generations(c).empty
    assert attribution(c).empty
    assert cascade_layout(c).empty
    assert c.caveat == ""


def test_the_input_is_not_mutated():
    ev = _events(MESSY)
    before = ev.copy()
    c = build_cascades(ev, infer="latest")
    cascade_metrics(c)
    attribution(c, relevant={"b"})
    pd.testing.assert_frame_equal(ev, before)


# -- bad input -----------------------------------------------------------------------------
def test_a_missing_column_is_named():
    ev = _events([("p", "a", "post", 0, None)]).drop(columns="action")
    with pytest.raises(RoiInputError) as err:
        build_cascades(ev)
    assert err.value.column == "action"
    assert "events.csv" in str(err.value)
    assert "post_id, platform, user_id, action, occurred_at" in str(err.value)


def test_unreadable_times_name_their_rows():
    ev = _events([("p", "a", "post", 0, None), ("p", "b", "share", 1, None)] * 2)
    ev["occurred_at"] = ["2024-05-01T09:00Z", "yesterday", "2024-05-01T10:00Z", "soon"]
    with pytest.raises(RoiInputError) as err:
        build_cascades(ev)
    assert err.value.rows == [3, 5]
    assert err.value.column == "occurred_at"
    assert "'yesterday'" in str(err.value)


def test_missing_ids_are_set_aside_not_lost():
    ev = _events([("p", "a", "post", 0, None), ("p", "b", "share", 1, None)])
    ev.loc[1, "user_id"] = None
    c = build_cascades(ev)
    assert len(c.nodes) == 1
    aside = c.report.set_aside_frame()
    assert aside["set_aside_rule"].tolist() == ["missing id"]
    assert aside["source_row"].tolist() == [3]
    # the row set aside was read: read = kept + set aside
    bal = c.report.balance().set_index("file").loc["events.csv"]
    assert (bal["rows_read"], bal["rows_kept"], bal["rows_set_aside"]) == (2, 1, 1)


def test_bad_times_name_their_file_when_events_span_files():
    ev = _events([("p", "a", "post", 0, None), ("p", "b", "share", 1, None)] * 2)
    ev = pd.concat([ev, ev.iloc[:1]], ignore_index=True)
    ev["source_file"] = ["a.csv", "a.csv", "b.csv", "b.csv", "b.csv"]
    ev["source_row"] = pd.array([2, 3, 2, 3, 4], dtype="Int64")
    ev["occurred_at"] = ev["occurred_at"].astype(str)
    ev.loc[3, "occurred_at"] = "yesterday"  # b.csv row 3
    with pytest.raises(RoiInputError) as err:
        build_cascades(ev)
    assert err.value.path.name == "b.csv" and err.value.rows == [3]
    assert str(err.value).startswith("b.csv: row 3, column 'occurred_at': unreadable times")
    # bad values in both files: the first file is the error's, the other named with its rows
    ev.loc[0, "occurred_at"] = "soon"  # a.csv row 2
    with pytest.raises(RoiInputError) as err:
        build_cascades(ev)
    assert err.value.path.name == "a.csv" and err.value.rows == [2]
    assert "also in b.csv: row 3" in str(err.value)
    # a missing column names the files too
    with pytest.raises(RoiInputError, match="in the events of a.csv and b.csv"):
        build_cascades(ev.drop(columns="action"))


def test_unreadable_follower_counts_are_reported_not_dropped():
    ev = _events(
        [("p", "a", "post", 0, None), ("p", "b", "share", 1, None), ("p", "c", "share", 2, None)],
        user_followers=["120", "lots", "-5"],
    )
    c = build_cascades(ev)
    rep = c.report.to_frame().query("rule == 'unreadable follower count'")
    assert rep["row"].tolist() == [3, 4]
    assert rep["original"].tolist() == ["lots", "-5"]
    assert rep["file"].tolist() == ["events.csv", "events.csv"]
    assert c.nodes["followers"].tolist()[0] == 120
    assert c.nodes["followers"].isna().tolist() == [False, True, True]
    assert len(c.nodes) == 3  # the people stay


def test_bad_arguments():
    with pytest.raises(ValueError, match="infer must be"):
        build_cascades(_events([("p", "a", "post", 0, None)]), infer="guess")
    with pytest.raises(TypeError):
        build_cascades([("p", "a")])
    with pytest.raises(TypeError):
        cascade_metrics(pd.DataFrame())


def test_naive_times_are_read_as_utc_and_said():
    ev = _events([("p", "a", "post", 0, None)])
    ev["occurred_at"] = ev["occurred_at"].dt.tz_localize(None)
    c = build_cascades(ev)
    assert str(c.nodes["time"].dt.tz) == "UTC"
    assert "time zone assumed" in set(c.report.to_frame()["rule"])


# -- inference -----------------------------------------------------------------------------
FLAT = [
    ("s", "a", "post", 0, None),
    ("s", "b", "share", 1, None),
    ("s", "c", "share", 2, None),
    ("s", "d", "share", 3, None),
    ("s", "e", "share", 4, None),
    ("t", "a", "post", 0, None),  # a cascade with real parents: never inferred
    ("t", "x", "share", 1, None),
    ("t", "y", "share", 2, None),
    ("t", "z", "share", 3, "x"),
]
FOLLOWERS = [10, 100, 5, 100, 200, 10, 1, 2, 3]


def _two_sources(rows=FLAT, **extra) -> pd.DataFrame:
    """s from a file that records no parents (an API export), t from one that does."""
    ev = _events(rows, **extra)
    ev.loc[ev["post_id"] == "t", "source_file"] = "trees.csv"
    ev.loc[ev["post_id"] == "s", "source_file"] = "api.csv"
    return ev


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (None, {"a": None, "b": "a", "c": "a", "d": "a", "e": "a"}),
        ("root", {"a": None, "b": "a", "c": "a", "d": "a", "e": "a"}),
        ("latest", {"a": None, "b": "a", "c": "b", "d": "c", "e": "d"}),
        # b: only a before; c: b (100 > 10); d: b (100 > 5, 10); e: b and d tie at 100 -> b
        ("influence", {"a": None, "b": "a", "c": "b", "d": "b", "e": "b"}),
    ],
)
def test_inference_rules_on_a_flat_cascade(rule, expected):
    ev = _two_sources(user_followers=pd.array(FOLLOWERS, dtype="Int64"))
    c = build_cascades(ev, infer=rule)
    assert _parents(c, "s") == expected
    assert _parents(c, "t") == {"a": None, "x": "a", "y": "a", "z": "x"}
    roots = c.roots.set_index("post_id")
    assert bool(roots.loc["s", "flat"]) and not bool(roots.loc["t", "flat"])
    name = rule or "given"
    assert c.inference == name
    assert roots.loc["s", "inference"] == name and roots.loc["t", "inference"] == "given"
    m = cascade_metrics(c).set_index("post_id")
    assert m.loc["s", "inference"] == name
    assert set(c.edges.loc[c.edges["post_id"] == "s", "inference"]) == {name}
    # carriers in s rest on the rule; those of t only (and the author) on the data
    att = attribution(c).set_index("user")["inference"].astype(str).to_dict()
    assert att == {
        "a": "given",
        **{u: name for u in "bcde"},
        **{u: "given" for u in "xyz"},
    }
    assert c.caveat == inference_caveat(rule)


def test_a_single_reshare_is_not_a_flat_cascade():
    rows = [("s", "a", "post", 0, None), ("s", "b", "share", 1, None)]
    c = build_cascades(_events(rows), infer="latest")
    assert not c.roots["flat"].any()
    assert c.roots["inference"].tolist() == ["given"]
    assert c.caveat == ""


def test_influence_with_unknown_followers_keeps_the_root():
    c = build_cascades(_events(FLAT[:5]), infer="influence")
    assert set(_parents(c, "s").values()) == {None, "a"}


def test_latest_makes_a_chain_whose_virality_is_n_plus_1_over_3():
    c = build_cascades(_events(FLAT[:5]), infer="latest")
    assert _metric(c, "s")["structural_virality"] == pytest.approx(6 / 3)


def test_every_caveat_says_what_it_assumes():
    for rule in (None, *INFERENCE_RULES):
        assert len(inference_caveat(rule)) > 100
    assert "most recent" in inference_caveat("latest")
    assert "most followers" in inference_caveat("influence")


def test_a_broadcast_from_a_source_that_records_parents_is_not_flat():
    """s has every reshare from the original post, but its file names parents for t: the
    data saw a broadcast, and no rule changes it."""
    ev = _events(FLAT)  # s and t in the same events.csv
    for rule in (None, "root", "latest", "influence"):
        c = build_cascades(ev, infer=rule)
        assert not c.roots["flat"].any(), rule
        assert _parents(c, "s") == {"a": None, "b": "a", "c": "a", "d": "a", "e": "a"}
        assert c.roots["inference"].eq("given").all() and c.caveat == ""
    assert c.roots["source"].tolist() == ["events.csv", "events.csv"]
    # the same file, another platform: a source of its own
    other = ev.assign(platform=np.where(ev["post_id"] == "s", "linkedin", "x"))
    assert build_cascades(other).roots.set_index("post_id")["flat"].to_dict() == {
        "s": True,
        "t": False,
    }
    # naming the original author as the parent records nothing
    explicit = _events(FLAT[:5]).assign(parent_user_id=[None, "a", "a", "a", "a"])
    assert build_cascades(explicit).roots["flat"].tolist() == [True]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(0, 3),  # post
            st.integers(0, 5),  # user
            st.sampled_from(["none", "root", "user"]),  # the parent named
            st.integers(0, 5),  # that user
            st.integers(0, 1),  # file
            st.integers(1, 100),  # minutes
        ),
        max_size=30,
    )
)
def test_flat_cascades_match_a_brute_force_over_sources(shares):
    """Flat: 3 people or more, and no file-and-platform its reshares come from names a parent
    other than the original author, for any post."""
    platform = {0: "x", 1: "x", 2: "linkedin", 3: "x"}
    rows = [(f"p{k}", f"a{k}", "post", 0, None, "f0.csv", platform[k]) for k in range(4)]
    for post, user, kind, other, file, minutes in shares:
        parent = {"none": None, "root": f"a{post}", "user": f"u{other}"}[kind]
        rows.append(
            (f"p{post}", f"u{user}", "share", minutes, parent, f"f{file}.csv", platform[post])
        )
    ev = pd.DataFrame(
        rows,
        columns=["post_id", "user_id", "action", "m", "parent_user_id", "source_file", "platform"],
    )
    ev["occurred_at"] = T0 + pd.to_timedelta(ev.pop("m"), unit="min")
    records = {
        (r.source_file, r.platform)
        for r in ev.itertuples()
        if r.action == "share"
        and pd.notna(r.parent_user_id)
        and r.parent_user_id != f"a{r.post_id[1:]}"
    }
    want = {}
    for post, part in ev.groupby("post_id"):
        people = set(part["user_id"])
        sources = {(r.source_file, r.platform) for r in part.itertuples() if r.action == "share"}
        want[post] = len(people) >= 3 and not (sources & records)
    c = build_cascades(ev)
    assert c.roots.set_index("post_id")["flat"].to_dict() == want
    assert int(key_numbers(c)["flat_cascades"]) == sum(want.values())


def test_the_note_says_which_cascades_are_flat_and_what_the_rule_changes():
    ev = _two_sources(FLAT + [("r", "a", "post", 0, None), ("r", "k", "share", 5, None)])
    given_ = build_cascades(ev)
    note = inference_note(given_)
    assert note.startswith(
        "1 flat cascade (3 people or more): api.csv attributes every reshare to the original "
        "post and names no other parent, so it is taken as recording no parents."
    )
    assert note.endswith(inference_caveat(None)) and "trees.csv" not in note
    post_s = inference_note(given_, "s")
    assert post_s.startswith(
        "Post s is a flat cascade of 4 reshares: api.csv attributes every reshare to the "
        "original post"
    )
    assert post_s.endswith(inference_caveat(None))
    assert inference_note(given_, "t") == ""  # recorded parents, as given: nothing to say
    root = build_cascades(ev, infer="root")
    on_t = inference_note(root, "t")
    assert "gives parents to flat cascades only: post t is not one" in on_t
    assert "its source, trees.csv, records who reshared from whom" in on_t
    assert "only the 1 flat cascade in the charts below" in on_t
    assert "fewer than 3 people" in inference_note(root, "r")
    assert inference_note(root, "s").endswith(inference_caveat("root"))
    assert inference_note(root).endswith("The other cascades keep the parents their data records.")
    # one file that records parents: nothing is flat, and a rule changes nothing
    one = build_cascades(_events(FLAT), infer="latest")
    assert inference_note(one).startswith("No cascade here is flat")
    assert "the rule 'latest' changes nothing" in inference_note(one)
    assert "no cascade here is flat, so it changes nothing" in inference_note(one, "s")
    assert inference_note(build_cascades(_events(FLAT))) == ""
    with pytest.raises(RoiInputError):
        inference_note(one, "nope")


def test_headline_and_highlights_by_hand():
    # s: a flat star of 5 (api.csv); t: a -> x -> z, a -> y (trees.csv); r: nobody reshared
    ev = _two_sources(FLAT + [("r", "a", "post", 0, None)])
    h = headline(key_numbers(build_cascades(ev), show_names=True))
    assert h["headline"] == (
        "2 of 3 posts (67%) were reshared; the largest cascade reached 5 people, 1 generation "
        "deep, and x carried most (1 person reshared after them); 1 cascade is flat (its source "
        "records no reshare parents: depth unknown)."
    )
    assert h["highlights"] == {
        "Posts reshared": "67% (2 of 3)",
        "Largest cascade": "5 people, 1 generation deep",
        "Deepest cascade": "2 generations",
        "Top carrier": "x: 1 person downstream",
        "Flat cascades": "1 (no reshare parents recorded: depth unknown)",
    }
    latest = headline(key_numbers(build_cascades(ev, infer="latest"), show_names=False))
    # s becomes the chain a -> b -> c -> d -> e: b carries 3 people, c 2...
    assert latest["highlights"]["Largest cascade"] == "5 people, 4 generations deep"
    top = hide_people(pd.DataFrame({"user": ["b"]}), show_names=False)["user"].iloc[0]
    assert latest["highlights"]["Top carrier"] == f"{top}: 3 people downstream"
    assert "parents inferred by rule 'latest'" in latest["highlights"]["Flat cascades"]
    nobody = headline(key_numbers(build_cascades(_events([("r", "a", "post", 0, None)]))))
    assert nobody["headline"] == "None of the 1 post was reshared."
    assert len(nobody["highlights"]) == 3
    empty = headline(key_numbers(build_cascades(_events([("p", "a", "like", 0, None)]))))
    assert empty == {"headline": None, "highlights": {"Cascades": "none"}}


# -- property tests against networkx ------------------------------------------------------
@st.composite
def forests(draw):
    """Several cascades, each a random tree: node i reshares from a random earlier node."""
    n_casc = draw(st.integers(1, 4))
    rows = []
    for k in range(n_casc):
        size = draw(st.integers(1, 40))
        rows.append((f"p{k}", "u0", "post", 0, None))
        for i in range(1, size):
            parent = draw(st.integers(0, i - 1))
            rows.append((f"p{k}", f"u{i}", "share", i, None if parent == 0 else f"u{parent}"))
    order = draw(st.permutations(range(len(rows))))
    return [rows[i] for i in order]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forests())
def test_metrics_match_networkx_on_random_trees(rows):
    c = build_cascades(_events(rows))
    assert len(c.report) == 0  # clean input: nothing repaired
    metrics = cascade_metrics(c).set_index("post_id")
    nodes = c.nodes.set_index(["post_id", "user"])
    for post, (g, root) in _graphs(c).items():
        ref = _nx_metrics(g, root)
        got = metrics.loc[post]
        for key in ("size", "depth", "max_breadth"):
            assert got[key] == ref[key], (post, key)
        if ref["breadth_generation"] is not None:
            assert got["breadth_generation"] == ref["breadth_generation"]
        assert got["structural_virality"] == pytest.approx(ref["structural_virality"])
        dist = nx.single_source_shortest_path_length(g, root)
        for v in g.nodes:
            row = nodes.loc[(post, v)]
            assert row["generation"] == dist[v]
            assert row["subtree_size"] == 1 + len(nx.descendants(g, v))
            assert row["children"] == g.out_degree(v)
            below = [dist[w] - dist[v] for w in nx.descendants(g, v)]
            assert row["height"] == max(below, default=0)


@st.composite
def messy_events(draw):
    """Anything goes: unknown parents, self-loops, repeats, cycles, unknown times, no post."""
    users = [f"u{i}" for i in range(8)]
    rows = []
    for k in range(draw(st.integers(1, 3))):
        for _ in range(draw(st.integers(1, 25))):
            user = draw(st.sampled_from(users))
            action = draw(st.sampled_from(["share", "share", "share", "post", "like"]))
            minutes = draw(st.one_of(st.none(), st.integers(-3, 10)))
            parent = draw(st.one_of(st.none(), st.sampled_from([*users, "ghost"])))
            rows.append((f"p{k}", user, action, minutes, parent))
    authors = draw(
        st.lists(st.sampled_from([None, "u0", "u7"]), min_size=len(rows), max_size=len(rows))
    )
    return _events(rows, author_id=pd.array(authors, dtype="str"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messy_events())
def test_nobody_is_lost_and_every_tree_is_a_tree(ev):
    c = build_cascades(ev)
    used = ev[ev["action"].isin(["post", "share"])]
    people = set(zip(used["post_id"], used["user_id"], strict=True))
    nodes = list(zip(c.nodes["post_id"], c.nodes["user"], strict=True))
    assert len(nodes) == len(set(nodes))  # nobody twice in a tree
    roots = dict(zip(c.roots["post_id"], c.roots["root"], strict=True))
    assert set(nodes) == people | set(roots.items())  # nobody lost, only roots added
    assert set(roots) == set(used["post_id"])
    for post, (g, root) in _graphs(c).items():
        assert nx.is_arborescence(g), post
        assert root == roots[post]
    # a parent other than the root never adopted after its child
    times = c.nodes.set_index(["post_id", "user"])["time"]
    e = c.edges[c.edges["parent"] != c.edges["post_id"].map(roots)]
    pt = times.reindex(list(zip(e["post_id"], e["parent"], strict=True))).to_numpy()
    ct = e["time"].to_numpy()
    known = ~(pd.isna(pt) | pd.isna(ct))
    assert (pt[known] <= ct[known]).all()
    # rows read = rows kept + rows set aside, and kept = one row per person who has one
    bal = c.report.balance()
    n_read = len(used)
    assert int(bal["rows_read"].sum()) == n_read
    post_events = set(used.loc[used["action"] == "post", "post_id"])
    rowless_roots = {(p, r) for p, r in roots.items() if p not in post_events}
    assert int(bal["rows_kept"].sum()) == len(people - rowless_roots)


# -- generations, spread, time -------------------------------------------------------------
def test_generations_match_networkx_bfs_layers():
    rows = [
        ("p", "a", "post", 0, None),
        ("p", "b", "share", 1, None),
        ("p", "c", "share", 2, None),
        ("p", "d", "share", 3, "b"),
        ("p", "e", "share", 4, "b"),
        ("p", "f", "share", 5, "c"),
        ("p", "g", "share", 6, "f"),
    ]
    c = build_cascades(_events(rows))
    g, root = _graphs(c)["p"]
    layers = [len(layer) for layer in nx.bfs_layers(g, [root])]
    gens = cascade_generations(c)
    assert gens["people"].tolist() == layers == [1, 2, 3, 1]
    assert gens["cumulative"].tolist() == list(np.cumsum(layers))
    assert gens["branching_factor"].tolist() == pytest.approx([2, 1.5, 1 / 3, 0])


def test_time_to_half_and_90pct_by_hand():
    # root at 0, nine adopters at 1..9 hours: half of 10 = 5 people -> the 4th adopter
    rows = [("p", "a", "post", 0, None)] + [
        ("p", f"u{i}", "share", 60 * i, None) for i in range(1, 10)
    ]
    m = _metric(build_cascades(_events(rows)))
    assert m["time_to_half"] == pd.Timedelta(hours=4)
    assert m["time_to_90pct"] == pd.Timedelta(hours=8)


def test_spread_counts_adopters_in_time_order():
    rows = [
        ("p", "a", "post", 0, None),
        ("p", "c", "share", 90, None),
        ("p", "b", "share", 30, None),
        ("p", "d", "share", None, None),
    ]
    s = cascade_spread(build_cascades(_events(rows)), "p")
    assert s["user"].tolist() == ["a", "b", "c", "d"]
    assert s["hours"].iloc[:3].tolist() == [0.0, 0.5, 1.5]
    assert pd.isna(s["hours"].iloc[3])
    assert s["adopters"].tolist() == [1, 2, 3, 4]
    assert s["share_of_final"].tolist() == [0.25, 0.5, 0.75, 1.0]
    with pytest.raises(RoiInputError, match="no cascade for post"):
        cascade_spread(build_cascades(_events(rows)), "nope")


def test_potential_reach_sums_known_followers():
    rows = [("p", "a", "post", 0, None), ("p", "b", "share", 1, None), ("p", "c", "share", 2, "b")]
    rows += [("q", "a", "post", 0, None)]
    c = build_cascades(_events(rows, user_followers=pd.array([100, None, 7, None], dtype="Int64")))
    m = cascade_metrics(c).set_index("post_id")
    assert m.loc["p", "potential_reach"] == 107
    assert m.loc["p", "followers_known"] == 2
    assert pd.isna(m.loc["q", "potential_reach"])


# -- attribution ---------------------------------------------------------------------------
ATTR = [
    ("p", "a", "post", 0, None),
    ("p", "b", "share", 1, None),
    ("p", "c", "share", 2, "b"),
    ("p", "d", "share", 3, "c"),
    ("p", "e", "share", 4, "b"),
    ("q", "z", "post", 0, None),
    ("q", "b", "share", 1, None),
    ("q", "c", "share", 2, "b"),
    ("q", "a", "share", 3, "c"),
]


def test_attribution_against_networkx_descendants():
    followers = pd.array([1000, 50, 20, 5, None, 300, 50, 20, 1000], dtype="Int64")
    c = build_cascades(_events(ATTR, user_followers=followers))
    att = attribution(c).set_index("user")
    graphs = _graphs(c)
    fol = dict(zip(ATTR, followers, strict=True))
    fol = {r[1]: f for r, f in fol.items()}
    for person in ["a", "b", "c", "d", "e", "z"]:
        desc = [
            w
            for post, (g, root) in graphs.items()
            if person in g and person != root
            for w in nx.descendants(g, person)
        ]
        direct = sum(
            g.out_degree(person) for g, root in graphs.values() if person in g and person != root
        )
        assert att.loc[person, "descendants"] == len(desc), person
        assert att.loc[person, "direct_reshares"] == direct, person
    assert att.loc["b", "descendants"] == 5  # c, d, e in p; c, a in q
    assert att.loc["b", "descendants_reach"] == 20 + 5 + 20 + 1000  # e's count unknown
    assert att.loc["b", "deepest_chain"] == 2
    assert att.loc["a", "cascades_started"] == 1 and att.loc["a", "cascades_joined"] == 1
    assert att.loc["d", "descendants_reach"] == 0  # nobody below d
    assert pd.isna(att.loc["c", "descendants_reach"]) is False
    assert att.index[0] == "b"  # the top carrier
    assert att.loc["z", "cascades_joined"] == 0 and att.loc["z", "descendants"] == 0


def test_attribution_counts_relevant_descendants():
    c = build_cascades(_events(ATTR))
    att = attribution(c, relevant={"d", "a"}).set_index("user")
    assert att.loc["b", "relevant_descendants"] == 2  # d in p, a in q
    assert att.loc["c", "relevant_descendants"] == 2
    assert att.loc["b", "relevant_share"] == pytest.approx(2 / 5)
    audience = pd.DataFrame(
        {
            "account": ["me", "me", "you", "me"],
            "person_id": ["d", "e", "d", "c"],
            "relationship": ["peer", "prospect", "client", "other"],
        }
    )
    att = attribution(c, audience=audience).set_index("user")
    assert att.loc["d", "relationship"] == "client"  # client outranks peer
    assert att.loc["b", "relevant_descendants"] == 2  # d (client) and e (prospect)
    assert pd.isna(att.loc["a", "relationship"])
    with pytest.raises(RoiInputError) as err:
        attribution(c, audience=audience.drop(columns="relationship"))
    assert err.value.column == "relationship"


# -- layout --------------------------------------------------------------------------------
def test_layout_is_a_tidy_tree_in_depth_first_order():
    rows = [
        ("p", "a", "post", 0, None),
        ("p", "b", "share", 1, None),
        ("p", "c", "share", 2, None),
        ("p", "d", "share", 3, "b"),
        ("p", "e", "share", 4, "b"),
        ("p", "f", "share", 5, "c"),
        ("p", "g", "share", 6, "d"),
    ]
    c = build_cascades(_events(rows))
    lay = cascade_layout(c, "p", radial=False).set_index("user")
    g, root = _graphs(c)["p"]
    order = {u: i for i, u in enumerate(lay.index)}  # adoption order
    dfs = list(nx.dfs_preorder_nodes(g, root, sort_neighbors=lambda ns: sorted(ns, key=order.get)))
    leaves = [v for v in dfs if g.out_degree(v) == 0]
    assert [lay.loc[v, "x"] for v in leaves] == list(range(len(leaves)))
    for v in g.nodes:
        below = [w for w in leaves if w == v or w in nx.descendants(g, v)]
        assert lay.loc[v, "x"] == pytest.approx(np.mean([lay.loc[w, "x"] for w in below]))
        assert lay.loc[v, "y"] == -nx.shortest_path_length(g, root, v)
    radial = cascade_layout(c, "p").set_index("user")
    assert np.hypot(radial["x"], radial["y"]).round(9).tolist() == radial["generation"].tolist()
    assert cascade_layout(c).equals(cascade_layout(c, ""))  # "" draws the largest
    with pytest.raises(RoiInputError):
        cascade_layout(c, "nope")


# -- real cascades -------------------------------------------------------------------------
_NODE = r"\[\s*'([^']*)'\s*,\s*'[^']*'\s*,\s*'([^']*)'\s*\]"
_LINE = re.compile(rf"^{_NODE}\s*->\s*{_NODE}\s*$")


def _twitter16(shared) -> pd.DataFrame:
    rows = []
    for path in sorted((shared / "cascades" / "twitter16" / "tree").glob("*.txt")):
        for i, line in enumerate(path.read_text().splitlines(), start=1):
            if not line.strip():
                continue
            p_user, _, c_user, c_delay = _LINE.match(line).groups()
            root = p_user == "ROOT"
            rows.append(
                (
                    path.stem,
                    c_user,
                    "post" if root else "share",
                    float(c_delay),
                    None if root else p_user,
                    path.name,
                    i,
                )
            )
    df = pd.DataFrame(
        rows,
        columns=[
            "post_id",
            "user_id",
            "action",
            "minutes",
            "parent_user_id",
            "source_file",
            "source_row",
        ],
    )
    df["occurred_at"] = T0 + pd.to_timedelta(df.pop("minutes"), unit="min")
    return df.assign(platform="x")


def _weibo(shared) -> pd.DataFrame:
    rows = []
    with open(shared / "cascades" / "weibo" / "dataset.txt", newline="") as fh:
        for i, rec in enumerate(csv.reader(fh, delimiter="\t"), start=1):
            cid, root, ts, _, adoptions = (x.strip() for x in rec)
            for item in adoptions.split():
                path, secs = item.rsplit(":", 1)
                users = path.split("/")
                when = int(ts) + int(secs)
                if len(users) == 1:
                    rows.append(
                        (
                            cid,
                            users[0],
                            "post" if users[0] == root else "share",
                            when,
                            None,
                            root,
                            i,
                        )
                    )
                else:
                    rows.append((cid, users[-1], "share", when, users[-2], root, i))
    df = pd.DataFrame(
        rows,
        columns=["post_id", "user_id", "action", "ts", "parent_user_id", "author_id", "source_row"],
    )
    df["occurred_at"] = pd.to_datetime(df.pop("ts"), unit="s", utc=True)
    return df.assign(platform="other", source_file="dataset.txt")


@pytest.fixture(scope="module")
def real(shared):
    """Raw events and the cascades built from them, once per module."""
    out = {}
    for name, read in (("twitter16", _twitter16), ("weibo", _weibo)):
        ev = read(shared)
        out[name] = (ev, build_cascades(ev))
    return out


@pytest.mark.parametrize("name", ["twitter16", "weibo"])
def test_real_cascades_keep_every_person_once(real, name):
    ev, c = real[name]
    people = set(zip(ev["post_id"], ev["user_id"], strict=True))
    nodes = list(zip(c.nodes["post_id"], c.nodes["user"], strict=True))
    assert len(nodes) == len(set(nodes)) == len(people)
    assert set(nodes) == people
    assert len(c) == ev["post_id"].nunique()
    assert int(c.report.balance()["rows_read"].sum()) == len(ev)
    assert int(c.report.balance()["rows_kept"].sum()) == len(people)
    for post, (g, _root) in _graphs(c).items():
        assert nx.is_arborescence(g), post


@pytest.mark.parametrize("name", ["twitter16", "weibo"])
def test_real_cascade_metrics_match_networkx(real, name):
    c = real[name][1]
    metrics = cascade_metrics(c).set_index("post_id")
    sizes = []
    for post, (g, root) in _graphs(c).items():
        got = metrics.loc[post]
        dist = nx.single_source_shortest_path_length(g, root)
        per_gen = Counter(d for d in dist.values() if d > 0)
        assert got["depth"] == max(dist.values()), post
        assert got["max_breadth"] == max(per_gen.values()), post
        assert got["size"] == g.number_of_nodes()
        n = g.number_of_nodes()
        # Wiener index from networkx's own subtree sizes, on every cascade...
        wiener = sum(
            (1 + len(nx.descendants(g, child))) * (n - 1 - len(nx.descendants(g, child)))
            for _, child in g.edges
        )
        assert got["structural_virality"] == pytest.approx(wiener / (n * (n - 1) / 2)), post
        # ...and all shortest paths where networkx can afford them (quadratic)
        if n <= 200:
            apsl = nx.average_shortest_path_length(g.to_undirected())
            assert got["structural_virality"] == pytest.approx(apsl), post
            sizes.append(n)
    assert len(sizes) >= {"twitter16": 60, "weibo": 20}[name]


def test_real_flat_cascades_under_each_rule(shared):
    rows = []
    for path in sorted((shared / "cascades" / "smh").glob("*.csv")):
        with open(path, newline="") as fh:
            for i, rec in enumerate(csv.DictReader(fh), start=2):
                first = i == 2
                rows.append(
                    (
                        path.stem,
                        rec["user_id"],
                        "post" if first else "share",
                        float(rec["time"]),
                        None,
                        int(rec["magnitude"]),
                        path.name,
                        i,
                    )
                )
    ev = pd.DataFrame(
        rows,
        columns=[
            "post_id",
            "user_id",
            "action",
            "secs",
            "parent_user_id",
            "user_followers",
            "source_file",
            "source_row",
        ],
    )
    ev["occurred_at"] = T0 + pd.to_timedelta(ev.pop("secs"), unit="s")
    ev = ev.assign(platform="x")
    given = build_cascades(ev)
    assert given.roots["flat"].all()
    assert (cascade_metrics(given)["depth"] <= 1).all()
    latest = cascade_metrics(build_cascades(ev, infer="latest"))
    assert latest["structural_virality"].tolist() == pytest.approx(
        ((latest["size"] + 1) / 3).tolist()
    )
    infl = build_cascades(ev, infer="influence")
    # brute force: each parent has the most followers among the adopters before the child
    for post, part in infl.nodes.groupby("post_id"):
        fol = dict(zip(part["user"], part["followers"].fillna(0), strict=True))
        seen: list[str] = []
        for user, parent in zip(part["user"], part["parent"], strict=True):
            if seen:
                best = max(fol[s] for s in seen)
                first_best = next(s for s in seen if fol[s] == best)
                assert parent == first_best, (post, user)
            seen.append(user)


def test_selecting_cascades_keeps_their_numbers_and_trees():
    c = build_cascades(_events(ATTR + [("r", "a", "post", 0, None)]))
    full = cascade_metrics(c).set_index("post_id")
    part = select_cascades(c, min_size=4)
    assert sorted(part.roots["post_id"]) == ["p", "q"]
    assert part.roots["cascade"].tolist() == [0, 1]
    sub = cascade_metrics(part).set_index("post_id")
    cols = ["size", "depth", "max_breadth", "structural_virality", "time_to_half"]
    pd.testing.assert_frame_equal(sub[cols], full.loc[sub.index, cols])
    for post, (g, _root) in _graphs(part).items():
        assert nx.is_arborescence(g) and g.number_of_nodes() == full.loc[post, "size"]
    # attribution on the selection counts only what happened in it
    only_q = attribution(select_cascades(c, post_ids="q")).set_index("user")
    assert only_q.loc["b", "descendants"] == 2
    assert select_cascades(c, min_size=100).roots.empty
    with pytest.raises(RoiInputError):
        select_cascades(c, post_ids=["nope"])


# -- flat is the source's word, when it gives it ----------------------------------------------
def _trees_files(**extra) -> pd.DataFrame:
    """Two Twitter16-like tree files: 111 a broadcast (the author's three direct reshares),
    222 a chain. Each tree is a file of its own, as Twitter16 writes them."""
    rows = [
        ("111", "a", "post", 0, None),
        ("111", "b", "share", 1, None),
        ("111", "c", "share", 2, None),
        ("111", "d", "share", 3, None),
        ("222", "a", "post", 0, None),
        ("222", "x", "share", 1, None),
        ("222", "y", "share", 2, "x"),
        ("222", "z", "share", 3, "y"),
    ]
    ev = _events(rows, **extra)
    ev["source_file"] = "tree/" + ev["post_id"] + ".txt"
    return ev


def test_a_broadcast_tree_is_not_flat_when_its_source_records_parents():
    # without the column: each file is its own source, and a star file names no parent
    fallback = build_cascades(_trees_files(), infer="latest")
    assert fallback.roots["flat"].tolist() == [True, False]
    assert fallback.roots["parents_recorded"].isna().tolist() == [True, False]
    # the loader says a tree export records parents: the broadcast stays a broadcast
    for value in (True, "True", "1"):
        c = build_cascades(_trees_files(parents_recorded=value), infer="latest")
        assert c.roots["flat"].tolist() == [False, False], value
        assert c.roots["parents_recorded"].tolist() == [True, True]
        assert _parents(c, "111") == {"a": None, "b": "a", "c": "a", "d": "a"}
        m = cascade_metrics(c).set_index("post_id")
        assert (m.loc["111", "depth"], m.loc["222", "depth"]) == (1, 3)
        assert m.loc["111", "structural_virality"] == pytest.approx(2 * 3 / 4)
        assert c.caveat == ""
    note = inference_note(c, "111")
    assert "post 111 is not one (its source, tree/111.txt, records who reshared from whom)" in note
    assert "names no parent" not in note and "names no parent" not in inference_note(c)
    assert inference_note(c).startswith("No cascade here is flat")


def test_a_source_that_says_it_records_no_parents_is_flat_and_the_note_says_so():
    ev = _trees_files(parents_recorded=False)
    ev.loc[ev["post_id"] == "222", "parents_recorded"] = True
    c = build_cascades(ev, infer="latest")
    assert c.roots["flat"].tolist() == [True, False]
    assert _parents(c, "111") == {"a": None, "b": "a", "c": "b", "d": "c"}
    note = inference_note(c)
    assert note.startswith(
        "1 flat cascade (3 people or more): tree/111.txt does not record who reshared from whom."
    )
    assert inference_note(c, "111").startswith(
        "Post 111 is a flat cascade of 3 reshares: its source, tree/111.txt, does not record"
    )
    assert "names no" not in note
    # a row that cannot be read as true or false is reported and read as unknown
    odd = _trees_files(parents_recorded="maybe")
    rep = build_cascades(odd).report.to_frame().query("rule == 'unreadable parents_recorded'")
    assert rep["row"].tolist() == list(range(2, 10))
    assert set(rep["action"]) == {"coerced"}
    assert build_cascades(odd).roots["flat"].tolist() == [True, False]  # the fallback rule


def test_real_twitter16_trees_say_they_record_parents(real):
    """With the loaders' column, no Twitter16 tree is flat and no rule changes any of them,
    a real tree made a broadcast (every reshare from the author, as a star tree file records
    it) included."""
    ev, given_ = real["twitter16"]
    sizes = cascade_metrics(given_).set_index("post_id")["size"]
    post = sizes.index[-1]  # the smallest tree
    star = ev.copy()
    star.loc[star["post_id"] == post, "parent_user_id"] = None
    latest = build_cascades(star.assign(parents_recorded=True), infer="latest")
    assert not latest.roots["flat"].any()
    m = cascade_metrics(latest).set_index("post_id")
    n = sizes[post]
    assert m.loc[post, "depth"] == 1
    assert m.loc[post, "structural_virality"] == pytest.approx(2 * (n - 1) / n)
    cols = ["size", "depth", "max_breadth", "structural_virality"]
    others = m.index != post
    pd.testing.assert_frame_equal(
        m.loc[others, cols], cascade_metrics(given_).set_index("post_id").loc[m.index[others], cols]
    )
    # without the column, that tree file names no parent but the author: the fallback rule
    # calls it flat (and only it), and 'latest' rewires it into a chain
    fallback = build_cascades(star, infer="latest")
    assert fallback.roots.loc[fallback.roots["flat"], "post_id"].tolist() == [post]
    assert cascade_metrics(fallback).set_index("post_id").loc[post, "depth"] == n - 1


# -- time from the post, never before it ------------------------------------------------------
def test_reshares_timed_before_the_post_count_from_its_time():
    rows = [
        ("p", "a", "post", 0, None),
        ("p", "b", "share", -5, None),
        ("p", "c", "share", -4, None),
        ("p", "d", "share", 60, None),
    ]
    c = build_cascades(_events(rows))
    m = _metric(c)
    # 4 people: half = 2 (a, then b counted at the post's time); 90% = 4 (d at +1 h)
    assert m["time_to_half"] == pd.Timedelta(0)
    assert m["time_to_90pct"] == pd.Timedelta(hours=1)
    assert m["reshares_before_post"] == 2
    s = cascade_spread(c, "p")
    assert s["user"].tolist() == ["a", "b", "c", "d"]  # the author first
    assert s["hours"].tolist() == [0.0, 0.0, 0.0, 1.0]
    assert s["before_post"].tolist() == [False, True, True, False]
    assert s["adopters"].tolist() == [1, 2, 3, 4]
    assert s.loc[1, "time"] == T0 - pd.Timedelta(minutes=5)  # the recorded time is kept
    assert "before the original post" in set(c.report.to_frame()["rule"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(0, 2), st.integers(-30, 30)), min_size=1, max_size=25),
    st.integers(-10, 10),
)
def test_times_to_half_and_90pct_are_never_negative(shares, post_at):
    """Brute force: sort the clamped times with the author first, take the k-th."""
    rows = [(f"p{k}", "author", "post", post_at, None) for k in range(3)]
    rows += [(f"p{k}", f"u{i}", "share", t, None) for i, (k, t) in enumerate(shares)]
    c = build_cascades(_events(rows))
    m = cascade_metrics(c).set_index("post_id")
    for post in m.index:
        times = sorted(max(t, post_at) for k, t in shares if f"p{k}" == post)
        times = [post_at, *times]
        for share, col in ((0.5, "time_to_half"), (0.9, "time_to_90pct")):
            k = max(int(np.ceil(share * len(times) - 1e-9)), 1)
            assert m.loc[post, col] == pd.Timedelta(minutes=times[k - 1] - post_at), (post, col)
        assert m.loc[post, "reshares_before_post"] == sum(
            t < post_at for k, t in shares if f"p{k}" == post
        )
    spread = cascade_spread(c)
    assert (spread["elapsed"] >= pd.Timedelta(0)).all()
    assert (spread.groupby("cascade")["user"].first() == "author").all()


# -- the period --------------------------------------------------------------------------------
def test_a_window_keeps_the_posts_published_in_it_with_all_their_events():
    ev = _events(
        [
            ("p", "a", "post", 0, None),  # 2024-05-01
            ("p", "b", "share", 60, None),
            ("p", "c", "like", 90, None),
            ("p", "d", "share", 60 * 24 * 3, None),  # three days later: still p's
            ("q", "a", "post", 60 * 24 * 10, None),  # 2024-05-11
            ("q", "e", "share", 60 * 24 * 10 + 5, None),
            ("r", "f", "share", 60 * 24 * 2, None),  # no post event: its first share, 05-03
            ("u", "a", "post", None, None),  # time unknown
        ]
    )
    before = ev.copy()
    kept, period = select_period(ev, "2024-05-01", "2024-05-05")
    assert sorted(set(kept["post_id"])) == ["p", "r"]
    assert kept["user_id"].tolist() == ["a", "b", "c", "d", "f"]
    assert period == {
        "start_date": "2024-05-01",
        "end_date": "2024-05-05",
        "posts": 2,
        "posts_in_folder": 4,
        "sentence": "2 of 4 posts with post or reshare events were published from 2024-05-01 "
        "to 2024-05-05: their cascades are the ones below (their reshares counted whenever "
        "they came).",
    }
    c = build_cascades(kept)
    assert sorted(c.roots["post_id"]) == ["p", "r"]
    only_end, p2 = select_period(ev, "", "2024-05-02")
    assert set(only_end["post_id"]) == {"p"} and p2["start_date"] == "2024-05-01"
    everything, p3 = select_period(ev)
    assert len(everything) == len(ev) and p3["posts"] == 4
    assert (p3["start_date"], p3["end_date"]) == ("2024-05-01", "2024-05-11")
    pd.testing.assert_frame_equal(ev, before)  # not mutated
    with pytest.raises(RoiInputError) as err:
        select_period(ev, "May 2024")
    assert err.value.column == "start_date"
    with pytest.raises(RoiInputError, match="ends .* before it starts"):
        select_period(ev, "2024-05-05", "2024-05-01")


def test_a_window_on_the_sample_matches_the_raw_file(sample):
    """Posts whose post row falls in March 2025, and every row of theirs, by the csv module."""
    from roi_helpers import load

    with open(sample / "events.csv", newline="", encoding="utf-8") as fh:
        raw = list(csv.DictReader(fh))
    march = {
        r["post_id"] for r in raw if r["action"] == "post" and r["occurred_at"][:7] == "2025-03"
    }
    want = [r for r in raw if r["post_id"] in march]
    kept, period = select_period(load(sample / "events.csv").data, "2025-03-01", "2025-03-31")
    assert len(kept) == len(want) and set(kept["post_id"]) == march
    assert period["posts"] == len(march) >= 5
    assert period["posts_in_folder"] == len({r["post_id"] for r in raw})


# -- the inference rule, named wherever it set parents ----------------------------------------
def test_layout_and_generations_name_the_rule_that_set_parents():
    ev = _two_sources()
    c = build_cascades(ev, infer="latest")
    lay = cascade_layout(c, "s").set_index("user")["inference"].astype(str)
    assert lay.to_dict() == {
        "a": "given",
        "b": "latest",
        "c": "latest",
        "d": "latest",
        "e": "latest",
    }
    assert set(cascade_layout(c, "t")["inference"].astype(str)) == {"given"}
    gens = cascade_generations(c)
    assert set(gens.loc[gens["post_id"] == "s", "inference"].astype(str)) == {"latest"}
    assert set(gens.loc[gens["post_id"] == "t", "inference"].astype(str)) == {"given"}
    assert len(gens.loc[gens["post_id"] == "s"]) == 5  # a chain: one person per generation


def test_deep_trees_are_laid_out_in_rows():
    def chain(n):
        rows = [("p", "u0", "post", 0, None)]
        rows += [("p", f"u{i}", "share", i, f"u{i - 1}") for i in range(1, n)]
        return build_cascades(_events(rows))

    deep = cascade_layout(chain(30))
    assert deep["y"].tolist() == (-deep["generation"]).astype(float).tolist()
    assert deep["x"].nunique() == 1  # a chain: one column
    shallow = cascade_layout(chain(13))  # 12 generations: still radial
    assert np.hypot(shallow["x"], shallow["y"]).round(9).tolist() == shallow["generation"].tolist()
    forced = cascade_layout(chain(30), radial=True)
    assert np.hypot(forced["x"], forced["y"]).round(9).tolist() == forced["generation"].tolist()


# -- relevant people: buyers' people and target personas --------------------------------------
AUDIENCE = pd.DataFrame(
    {
        "account": "me",
        "person_id": ["b", "c", "d", "e", "z", "q"],
        "relationship": ["other", "client", "internal", "other", "partner", "other"],
        "function": ["Finance", "Sales", "Finance", "Purchasing", "Finance", "Finance"],
        "seniority": ["Director", "Entry", "VP", "Senior", "CXO", "Manager"],
    }
)


def test_relevant_people_are_buyers_people_and_target_personas():
    # b: Finance Director (persona); c: a client's; d: a colleague (never a persona);
    # e: Purchasing but Senior (below Manager); z: a partner; q: Finance Manager (persona)
    assert relevant_people(AUDIENCE) == {"c"}
    assert relevant_people(AUDIENCE, ["Finance", "Purchasing"], "Manager") == {"b", "c", "q"}
    assert relevant_people(AUDIENCE, "purchasing", "senior") == {"c", "e"}
    assert relevant_people(AUDIENCE, ["Finance"], "Director") == {"b", "c"}
    c = build_cascades(_events(ATTR))
    att = attribution(c, AUDIENCE, relevant_people(AUDIENCE, ["Finance"], "Manager"))
    att = att.set_index("user")
    # b's downstream: c, d, e in p; c, a in q -> relevant c (client) twice
    assert att.loc["b", "relevant_descendants"] == 2
    with pytest.raises(RoiInputError) as err:
        relevant_people(AUDIENCE, ["Financial wizardry"])
    assert err.value.column == "function"
    with pytest.raises(RoiInputError) as err:
        relevant_people(AUDIENCE.drop(columns="seniority"), ["Finance"])
    assert err.value.column == "seniority"


def test_the_page_says_when_no_resharer_is_in_the_audience():
    rows = [("p", "acme", "post", 0, None)] + [
        ("p", str(10**17 + i), "share", i, None) for i in range(1, 5)
    ]
    c = build_cascades(_events(rows))
    none = audience_overlap(c, AUDIENCE.assign(person_id=["ann-lee-1a2b"] * 6))
    assert (none["resharers"], none["in_audience"], none["platforms"]) == (4, 0, ["x"])
    assert none["sentence"].startswith("None of the 4 resharers is in the audience")
    assert "an X user id is not a LinkedIn profile" in none["sentence"]
    c2 = build_cascades(_events(ATTR))
    some = audience_overlap(c2, AUDIENCE, relevant_people(AUDIENCE, ["Finance"], "Manager"))
    # resharers: b, c, d, e, a (in q); of them b, c, d, e are in the audience; b, c relevant
    assert (some["resharers"], some["in_audience"], some["relevant"]) == (5, 4, 2)
    assert some["sentence"].startswith("4 of the 5 resharers (80%) are in the audience, 2 of")
    assert audience_overlap(c2, None)["sentence"] == ""


# -- the cleaning section's two balances ------------------------------------------------------
def test_cleaning_balance_shows_what_growing_the_trees_did():
    c = build_cascades(_events(MESSY))
    from roi_helpers.clean import CleaningReport

    load = CleaningReport()
    load.read_rows("events.csv", 16)
    bal = cleaning_balance(c, load).set_index("step")
    assert list(bal.index) == [
        "loading the events files",
        "growing the reshare trees (post and share rows)",
    ]
    assert bal.iloc[0][["rows_read", "rows_kept", "rows_set_aside"]].tolist() == [16, 16, 0]
    grown = bal.iloc[1]
    # set aside: rows 5, 6, 7, 14, 15; changed: 8, 9, 11, 12, 16; flagged: 17 (see MESSY)
    assert grown[["rows_read", "rows_kept", "rows_set_aside"]].tolist() == [16, 11, 5]
    assert (grown["rows_changed"], grown["rows_flagged"]) == (5, 1)
    assert len(cleaning_balance(c)) == 1
