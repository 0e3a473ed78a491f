"""The scorecard against hand computations on a small made-up team: two periods of a week,
known posts, connections and reshare trees, with every value worked out by hand below (and
structural virality checked with networkx)."""

from __future__ import annotations

import math
import statistics

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from roi_helpers import relevance as R
from roi_helpers import scorecard as S
from roi_helpers.errors import RoiInputError
from roi_helpers.plots import scorecard as P

START, END = "2025-03-08", "2025-03-14"  # this period; the previous one is 1-7 March
TARGETS = ["Finance", "Accounting", "Purchasing"]


def _utc(*when: str) -> pd.Series:
    return pd.Series(pd.to_datetime(list(when), utc=True, format="ISO8601")).astype(
        "datetime64[us, UTC]"
    )


def _posts() -> pd.DataFrame:
    na = pd.NA
    return pd.DataFrame(
        {
            "post_id": ["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"],
            "platform": ["x", "x", "x", "x", "x", "linkedin", "x", "x"],
            "account": "acct",
            "published_at": _utc(
                "2025-03-01 00:00",  # first day of the previous period
                "2025-03-07 23:59:59",  # its last second
                "2025-03-04 12:00",
                "2025-03-08 00:00",  # first day of this period
                "2025-03-14 23:59:59",  # its last second: still in
                "2025-03-11 09:00",
                "2025-03-15 00:00",  # the day after: in no period shown
                "2025-02-28 23:59",  # two periods back
            ),
            "impressions": pd.array([100, 300, na, 200, 400, 600, 1000, 50], dtype="Int64"),
            "likes": pd.array([2, 3, 1, 8, 10, 12, 50, 1], dtype="Int64"),
            "comments": pd.array([1, 0, 0, 2, 2, 3, 5, 0], dtype="Int64"),
            "shares": pd.array([1, 3, 0, 0, 4, na, 9, 0], dtype="Int64"),
            "source_file": "posts.csv",
            "source_row": pd.array(range(2, 10), dtype="Int64"),
        }
    )


def _audience() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account": ["ana-duarte"] * 4 + ["bo-okafor"] * 4 + ["ana-duarte"],
            "person_id": [f"c{i}" for i in range(1, 10)],
            "title": [
                "CFO",  # c1 at a client: buyer
                "Sales Manager",  # c2: not a buyer
                "Finance Manager",  # c3: target persona, buyer
                "Software Engineer",  # c4: a colleague
                "CFO",  # c5 at a competitor: never a buyer
                "Accountant",  # c6 at a prospect: buyer
                "Finance Director",  # c7: persona, but a colleague: not a buyer
                "Purchasing Manager",  # c8: no date, left out
                "CFO",  # c9: connected after the period
            ],
            "company": [
                "Acme",
                "Initech",
                "Initech",
                "Own Co",
                "Umbrella",
                "Globex",
                "Own Co",
                "Hooli",
                "Hooli",
            ],
            "connected_on": pd.to_datetime(
                [
                    "2025-02-01",
                    "2025-02-10",
                    "2025-03-03",
                    "2025-03-09",
                    "2025-03-10",
                    "2025-03-14",
                    "2025-03-12",
                    None,
                    "2025-03-15",
                ]
            ),
            "source_file": ["linkedin/ana-duarte/Connections.csv"] * 4
            + ["linkedin/bo-okafor/Connections.csv"] * 4
            + ["linkedin/ana-duarte/Connections.csv"],
            "source_row": pd.array([6, 7, 8, 9, 6, 7, 8, 9, 10], dtype="Int64"),
        }
    )


def _accounts() -> pd.DataFrame:
    return pd.DataFrame(
        {"company": ["Acme", "Globex", "Umbrella"], "status": ["client", "prospect", "competitor"]}
    )


def _events() -> pd.DataFrame:
    """p4: a chain of 4; p5: a star of 4; p6: never reshared; p1: a chain of 3; zz: reshares
    of a post nobody knows the date of."""
    rows = [
        ("p4", "acct", "post", None, "2025-03-08 00:00"),
        ("p4", "u1", "share", None, "2025-03-08 01:00"),
        ("p4", "u2", "share", "u1", "2025-03-08 02:00"),
        ("p4", "u3", "share", "u2", "2025-03-08 03:00"),
        ("p5", "acct", "post", None, "2025-03-14 23:59:59"),
        ("p5", "u1", "share", None, "2025-03-15 01:00"),
        ("p5", "u2", "share", None, "2025-03-15 02:00"),
        ("p5", "u3", "share", None, "2025-03-15 03:00"),
        ("p6", "acct", "post", None, "2025-03-11 09:00"),
        ("p1", "acct", "post", None, "2025-03-01 00:00"),
        ("p1", "u4", "share", None, "2025-03-01 05:00"),
        ("p1", "u5", "share", "u4", "2025-03-01 06:00"),
        ("zz", "u7", "share", None, "2025-03-09 10:00"),
        ("zz", "u8", "share", "u7", "2025-03-09 11:00"),
    ]
    df = pd.DataFrame(rows, columns=["post_id", "user_id", "action", "parent_user_id", "t"])
    df["platform"] = np.where(df["post_id"] == "p6", "linkedin", "x")
    df["occurred_at"] = _utc(*df["t"])
    df["source_file"] = "events.csv"
    df["source_row"] = pd.array(range(2, 2 + len(df)), dtype="Int64")
    return df.drop(columns="t")


def _tables() -> dict[str, pd.DataFrame]:
    return {
        "posts": _posts(),
        "audience": _audience(),
        "accounts": _accounts(),
        "events": _events(),
    }


def _card(tables=None, **options):
    kw = dict(target_functions=TARGETS, owner_company="Own Co", min_connections=1, min_posts=1)
    return S.build_scorecard(_tables() if tables is None else tables, START, END, **(kw | options))


@pytest.fixture(scope="module")
def card():
    return _card()


def _row(card, metric: str) -> pd.Series:
    return card.table.set_index("metric").loc[metric]


# -- the period ------------------------------------------------------------------------------------
def test_default_period_is_the_last_28_days_of_the_data_not_of_the_calendar():
    posts = pd.DataFrame({"published_at": _utc("2025-03-01 10:00", "2025-12-31 23:00")})
    p = S.scorecard_period({"posts": posts})
    assert (p.start, p.end) == (pd.Timestamp("2025-12-04"), pd.Timestamp("2025-12-31"))
    assert (p.previous_start, p.previous_end) == (
        pd.Timestamp("2025-11-06"),
        pd.Timestamp("2025-12-03"),
    )
    assert p.days == 28 and p.how == "default"
    assert "ends on 31 Dec 2025" in p.describe()


def test_latest_day_counts_reshares_and_connections_too():
    posts = pd.DataFrame({"published_at": _utc("2025-03-01 10:00")})
    events = pd.DataFrame({"occurred_at": _utc("2025-03-20 01:00")})
    audience = pd.DataFrame({"connected_on": pd.to_datetime(["2025-02-01", "2025-04-02"])})
    assert S.scorecard_period({"posts": posts, "events": events}).end == pd.Timestamp("2025-03-20")
    p = S.scorecard_period({"posts": posts, "events": events, "audience": audience})
    assert p.end == pd.Timestamp("2025-04-02") and p.data_start == pd.Timestamp("2025-02-01")
    # a post late in the UTC day counts on that UTC day, whatever its zone
    late = pd.DataFrame({"published_at": pd.to_datetime(["2025-03-14 23:30-05:00"])})
    assert S.scorecard_period({"posts": late}).end == pd.Timestamp("2025-03-15")


def test_given_period_previous_one_has_the_same_length_just_before():
    p = S.scorecard_period({}, "2025-02-20", "2025-03-05")  # 14 days, across February
    assert p.days == 14 and p.how == "given"
    assert p.previous_start == pd.Timestamp("2025-02-06")
    assert p.previous_end == pd.Timestamp("2025-02-19")
    one = S.scorecard_period({}, "2025-03-01", "2025-03-01")
    assert one.days == 1 and one.previous_start == one.previous_end == pd.Timestamp("2025-02-28")
    b = p.bounds(3)
    assert b["period"].tolist() == [-2, -1, 0]
    assert b["start"].dt.date.astype(str).tolist() == ["2025-01-23", "2025-02-06", "2025-02-20"]
    assert b["end"].dt.date.astype(str).tolist() == ["2025-02-05", "2025-02-19", "2025-03-05"]


def test_one_sided_periods():
    posts = pd.DataFrame({"published_at": _utc("2025-01-05 10:00", "2025-03-10 08:00")})
    p = S.scorecard_period({"posts": posts}, start_date="2025-03-01")
    assert (p.start, p.end, p.how) == (
        pd.Timestamp("2025-03-01"),
        pd.Timestamp("2025-03-10"),
        "start given",
    )
    p = S.scorecard_period({"posts": posts}, end_date="2025-02-28", default_days=7)
    assert (p.start, p.end, p.how) == (
        pd.Timestamp("2025-02-22"),
        pd.Timestamp("2025-02-28"),
        "end given",
    )
    # a start after the data: the default length, and the page says the data stops earlier
    p = S.scorecard_period({"posts": posts}, start_date="2025-04-01", default_days=7)
    assert p.end == pd.Timestamp("2025-04-07")
    assert "The data ends on 10 Mar 2025, before this period starts" in p.describe()
    # a period running past the data says how many of its days have none yet
    p = S.scorecard_period({"posts": posts}, "2025-03-05", "2025-03-12")
    assert "The data ends on 10 Mar 2025: the last 2 day(s) of the period" in p.describe()


def test_bad_periods_are_explained():
    with pytest.raises(RoiInputError, match="start_date = '2025-13-01' is not a date") as e:
        S.scorecard_period({}, "2025-13-01", "")
    assert e.value.column == "start_date" and "ISO date" in str(e.value)
    with pytest.raises(RoiInputError, match=r"ends \(2025-03-01\) before it starts"):
        S.scorecard_period({}, "2025-03-05", "2025-03-01")
    with pytest.raises(RoiInputError, match="default_days"):
        S.scorecard_period({}, default_days=0)


def test_no_dates_at_all_gives_no_period_and_says_nothing_to_score():
    card = S.build_scorecard({})
    assert not card.period.known and card.period.days == 0
    assert set(card.table["status"]) == {"no data"}
    assert "no dated post, reshare or connection" in card.nothing
    assert "no dated post" in card.period.describe()


# -- the values, by hand -----------------------------------------------------------------------------
def test_relevance_counts_connections_made_by_each_period_end(card):
    rel = R.add_relationship(
        _audience(), R.prepare_accounts(_accounts()), "Own Co", infer_owner_function=True
    )
    # the titles read as the hand computation assumes
    assert rel["function"].astype(str).tolist() == [
        "Finance",
        "Sales",
        "Finance",
        "Engineering",
        "Finance",
        "Accounting",
        "Finance",
        "Purchasing",
        "Finance",
    ]
    # Ana's network is mostly Finance people, so her function is guessed as Finance: c3
    # is a peer (and a target persona: still a buyer), c2 in Sales is "other"
    assert rel["relationship"].astype(str).tolist()[:7] == [
        "client",
        "other",
        "peer",
        "internal",
        "competitor",
        "prospect",
        "internal",
    ]
    r = _row(card, "buyer_share")
    # by 7 March: c1 (client), c2, c3 (Finance Manager: a target persona) -> 2 of 3
    # by 14 March: + c4 (colleague), c5 (competitor), c6 (prospect), c7 (colleague) -> 3 of 7
    assert r["previous"] == pytest.approx(2 / 3) and r["value"] == pytest.approx(3 / 7)
    assert (r["n"], r["n_previous"], r["n_of"]) == (7, 3, "connections")
    assert r["change"] == pytest.approx(3 / 7 - 2 / 3) and r["direction"] == "down"
    assert r["status"] == "ok" and r["unit"] == "share of connections"
    assert "Finance, Accounting, Purchasing at Manager level or above" in r["definition"]
    assert r["reading"] == (
        "42.9% of the team's network are buyers (3 of 7 connections made by 14 Mar 2025), "
        "down 23.8 points from 66.7% on 7 Mar 2025. 4 connections were made in the period."
    )


def test_relevance_series_and_the_undated_connection_in_the_report(card):
    s = card.series[card.series["metric"] == "buyer_share"].set_index("period")
    # by 28 Feb: c1, c2 (neither... c1 is a client) -> 1 of 2
    assert s.loc[-2, "value"] == pytest.approx(1 / 2) and s.loc[-2, "n"] == 2
    assert (s["n_excluded"] == 1).all()  # c8 has no date
    entries = card.report.to_frame()
    undated = entries[entries["rule"] == "no connection date"]
    assert undated[["file", "row"]].astype(str).values.tolist() == [
        ["linkedin/bo-okafor/Connections.csv", "9"]
    ]


def test_fewer_connections_than_the_minimum_is_not_enough_data():
    card = _card(min_connections=10)
    r = _row(card, "buyer_share")
    assert r["status"] == "not enough data" and r["why"] == "fewer than 10 connections"
    assert r["value"] == pytest.approx(3 / 7)
    assert r["reading"].endswith("Too few to read much into (at least 10 needed).")


def test_resonance_default_formula_median_per_impression(card):
    r = _row(card, "engagement_rate")
    # this period: p4 (8+2+0)/200 = 0.05, p5 (10+2+4)/400 = 0.04; p6's shares unknown: out
    # previous: p1 (2+1+1)/100 = 0.04, p2 (3+0+3)/300 = 0.02; p3's impressions unknown: out
    assert r["value"] == pytest.approx(0.045) and r["previous"] == pytest.approx(0.03)
    assert (r["n"], r["n_previous"]) == (2, 2)
    assert r["low"] <= r["value"] <= r["high"]
    assert r["previous_low"] <= r["previous"] <= r["previous_high"]
    assert "median over posts of (likes + comments + shares) / impressions" in r["definition"]
    assert r["unit"] == "fraction" and r["direction"] == "up"
    assert r["reading"].startswith("Median engagement rate per impression 4.50% over 2 posts")
    assert "up 1.50 points from 3.00% in the previous 7 days" in r["reading"]
    excluded = card.report.to_frame()
    excluded = excluded[excluded["rule"] == "excluded from engagement rate"]
    assert sorted(excluded["row"].astype(int)) == [4, 7]  # p3 and p6, as the file numbers them


def test_resonance_pooled_preset_interval_as_the_engagement_module_gives_it():
    """The scorecard's interval is notebook 02's: the engagement module's default method.
    That is a bootstrap over posts where the module has a choice of interval (the method
    the Emplifi preset gets unless asked for Wilson), a Wilson score interval before."""
    from roi_helpers import engagement as E

    card = _card(preset="emplifi")
    r = _row(card, "engagement_rate")
    # pooled: (10 + 16) / (200 + 400) per 1,000 now; (4 + 6) / (100 + 300) before
    assert r["value"] == pytest.approx(26 / 600 * 1000)
    assert r["previous"] == pytest.approx(10 / 400 * 1000)
    if hasattr(E, "INTERVALS"):  # bootstrap over posts by default
        # two posts, p4 at 10/200 and p5 at 16/400: a resample is both p5 (40 per 1,000,
        # chance 1/4), both p4 (50, chance 1/4) or one each (26/600 = 43.3): the 2.5% and
        # 97.5% percentiles of 2,000 resamples are the two posts' own rates
        assert (r["low"], r["high"]) == (pytest.approx(40.0), pytest.approx(50.0))
    else:
        lo, hi = stats.binomtest(26, 600).proportion_ci(0.95, method="wilson")
        assert (r["low"], r["high"]) == (pytest.approx(lo * 1000), pytest.approx(hi * 1000))
    assert r["unit"] == "per 1,000 impressions"
    assert "Emplifi" in r["definition"]
    assert r["change_pct"] == pytest.approx((26 / 600) / (10 / 400) - 1)


def test_reach_and_shares_per_post_leave_unknowns_out(card):
    reach = _row(card, "per_post")
    # impressions: p4 200, p5 400, p6 600 -> mean 400; before p1 100, p2 300 (p3 unknown) -> 200
    assert (reach["value"], reach["previous"]) == (400.0, 200.0)
    assert (reach["median"], reach["previous_median"]) == (400.0, 200.0)
    assert (reach["n"], reach["n_previous"]) == (3, 2)
    assert reach["label"] == "Reach: impressions per post"
    assert reach["change_pct"] == pytest.approx(1.0)
    assert reach["reading"] == (
        "400 impressions per post on average over 3 posts (median 400), up 100% from 200 in "
        "the previous 7 days."
    )
    shares = _row(card, "shares_per_post")
    # shares: p4 0, p5 4 (p6 unknown) -> 2; before p1 1, p2 3, p3 0 -> 4/3
    assert shares["value"] == 2.0 and shares["previous"] == pytest.approx(4 / 3)
    assert (shares["n"], shares["n_previous"]) == (2, 3)
    assert shares["median"] == 2.0 and shares["previous_median"] == 1.0
    entries = card.report.to_frame()
    rows = lambda rule: sorted(entries.loc[entries["rule"] == rule, "row"].astype(int))  # noqa: E731
    assert rows("unknown impressions") == [4] and rows("unknown shares") == [7]


def test_reach_falls_back_to_reach_where_there_are_no_impressions():
    posts = (
        _posts()
        .drop(columns="impressions")
        .assign(reach=pd.array([10, 30, 20, 40, 60, 80, 5, 5], dtype="Int64"))
    )
    card = _card({"posts": posts})
    r = _row(card, "per_post")
    assert r["label"] == "Reach: reach per post" and r["unit"] == "reach per post"
    assert r["value"] == pytest.approx((40 + 60 + 80) / 3)
    assert r["previous"] == pytest.approx((10 + 30 + 20) / 3)
    # the engagement rate needs impressions: it says so, the rest is still computed
    e = _row(card, "engagement_rate")
    assert e["status"] == "no data" and "no 'impressions' column" in e["why"]


def _tree_distance(edges: list[tuple[str, str]]) -> float:
    return nx.average_shortest_path_length(nx.Graph(edges))


def test_cascades_of_the_period_posts_depth_and_structural_virality(card):
    chain4 = _tree_distance([("acct", "u1"), ("u1", "u2"), ("u2", "u3")])
    star4 = _tree_distance([("acct", "u1"), ("acct", "u2"), ("acct", "u3")])
    chain3 = _tree_distance([("acct", "u4"), ("u4", "u5")])
    assert (chain4, star4, chain3) == (pytest.approx(5 / 3), 1.5, pytest.approx(4 / 3))
    depth = _row(card, "cascade_depth")
    # this period: p4 (depth 3) and p5 (depth 1) reshared, p6 not; before: p1 (depth 2)
    assert depth["value"] == 2.0 and depth["median"] == 2.0 and depth["previous"] == 2.0
    assert (depth["n"], depth["n_previous"]) == (2, 1)
    assert depth["direction"] == "same"
    virality = _row(card, "structural_virality")
    assert virality["value"] == pytest.approx((chain4 + star4) / 2)
    assert virality["median"] == pytest.approx((chain4 + star4) / 2)
    assert virality["previous"] == pytest.approx(chain3)
    assert depth["reading"].startswith(
        "Of 3 posts with reshare data, 2 were reshared; their reshare trees went 2.00 "
        "generations deep on average (median 2.00), about the same as"
    )
    s = card.series.set_index(["metric", "period"])
    assert s.loc[("cascade_depth", 0), "count"] == 3  # p4, p5, p6
    assert s.loc[("cascade_depth", 0), "n_excluded"] == 1  # p6, never reshared
    # zz has no post event and no post in the posts table: no date, said in the report
    note = card.report.to_frame()
    note = note[note["rule"] == "cascade without a date"]
    assert len(note) == 1 and "zz" in note["reason"].iloc[0]


def test_cascade_dated_by_the_posts_table_when_its_post_event_is_missing():
    events = _events()
    events = events[~((events["post_id"] == "p1") & (events["action"] == "post"))]
    events = events.assign(author_id=np.where(events["post_id"] == "p1", "acct", None))
    card = _card(_tables() | {"events": events})
    depth = _row(card, "cascade_depth")
    assert depth["previous"] == 2.0 and depth["n_previous"] == 1  # p1, dated 1 March


def test_platforms_filter_posts_and_reshares_not_connections():
    card = _card(platforms=["linkedin"])
    t = card.table.set_index("metric")
    assert t.loc["per_post", "value"] == 600.0 and t.loc["per_post", "n"] == 1  # p6 only
    assert t.loc["per_post", "status"] == "ok" and pd.isna(t.loc["per_post", "previous"])
    assert t.loc["per_post", "reading"].endswith(
        "nothing to compare with in the previous 7 days (no posts published in this period)."
    )
    assert t.loc["buyer_share", "value"] == pytest.approx(3 / 7)
    assert t.loc["cascade_depth", "status"] == "no data"
    assert t.loc["cascade_depth", "why"] == "none of this period's posts was reshared"


def test_minimum_posts_and_direction_same():
    card = _card(min_posts=3)
    t = card.table.set_index("metric")
    assert t.loc["engagement_rate", "status"] == "not enough data"  # 2 posts with a rate
    assert t.loc["per_post", "status"] == "ok"  # 3 posts with impressions
    assert t.loc["cascade_depth", "why"] == "fewer than 3 reshared posts"
    # the previous week had 3 posts with shares but 2 with impressions: said in the reading
    assert t.loc["per_post", "reading"].endswith(
        "up 100% from 200 in the previous 7 days (only 2 posts then: too few to compare)."
    )
    assert "too few to compare" not in t.loc["shares_per_post", "reading"]
    same = _card(same_within=1.5)  # a 100% rise is "about the same" at 150%
    assert _row(same, "per_post")["direction"] == "same"
    assert "about the same as 200 in the previous 7 days" in _row(same, "per_post")["reading"]


# -- missing data ------------------------------------------------------------------------------------
def test_each_measure_says_what_it_lacks_and_the_others_are_still_shown():
    card = _card({"posts": _posts()})  # no connections, no reshares
    t = card.table.set_index("metric")
    assert t.loc["buyer_share", "status"] == "no data"
    assert t.loc["buyer_share", "reading"] == (
        "Relevance cannot be measured: no LinkedIn connections export in this folder."
    )
    assert t.loc["cascade_depth", "reading"] == (
        "No reshare trees: no reshare events in this folder."
    )
    assert t.loc["per_post", "status"] == "ok" and t.loc["per_post", "value"] == 400.0
    assert card.nothing == ""
    no_posts = _card({"audience": _audience(), "accounts": _accounts()})
    t = no_posts.table.set_index("metric")
    assert t.loc["engagement_rate", "why"] == "no posts in this folder"
    assert t.loc["buyer_share", "value"] == pytest.approx(3 / 7)
    # a period with no posts at all: its values are unknown, never zero
    quiet = S.build_scorecard(_tables(), "2025-03-16", "2025-03-22", min_posts=1)
    r = quiet.table.set_index("metric").loc["per_post"]
    # every post is older than the period: said with the last day and the dates to ask for
    # (the 7 days up to p7's 15 March)
    assert r["status"] == "no data" and r["why"] == (
        "all 8 posts loaded were published before this period, the latest on 15 Mar 2025; "
        "to score them, run roi report with --since 2025-03-09 --until 2025-03-15 (or set "
        "start_date and end_date)"
    )
    # the week before, 9-15 March: p5 400, p6 600, p7 1,000
    assert pd.isna(r["value"]) and r["previous"] == pytest.approx(2000 / 3)
    # connections are counted as the exports know them, which is said
    reading = quiet.table.set_index("metric").loc["buyer_share", "reading"]
    assert (
        "No connection was made in the period. The exports end on 15 Mar 2025: connections "
        "made since are not in them."
    ) in reading


def test_nothing_in_the_period_is_said_once():
    card = S.build_scorecard({"posts": _posts()}, "2024-01-01", "2024-01-07")
    assert card.nothing.startswith("none of the four measures has data for 1–7 Jan 2024")
    # the posts all come later: the first (p8, 28 Feb 2025) and 7 days from it
    later = (
        "all 8 posts loaded were published after this period, the first on 28 Feb 2025; to "
        "score them, run roi report with --since 2025-02-28 --until 2025-03-06 (or set "
        "start_date and end_date)"
    )
    assert card.nothing.count(later) == 1  # said once, not once per posts measure
    # a period with posts on both sides: none published in it, nothing to suggest
    gap = S.build_scorecard({"posts": _posts()}, "2025-03-05", "2025-03-06", min_posts=1)
    assert gap.table.set_index("metric").loc["per_post", "why"] == (
        "no posts published in this period"
    )


def test_formula_per_follower_without_followers_says_how_to_get_them():
    card = _card(preset="rival_iq")
    r = _row(card, "engagement_rate")
    assert r["status"] == "no data" and "'followers'" in r["why"]
    assert _row(card, "per_post")["status"] == "ok"
    # with a followers history, each post gets the count of the day before it
    followers = pd.DataFrame(
        {
            "platform": "x",
            "account": "acct",
            "date": pd.date_range("2025-02-20", "2025-03-20"),
            "followers": pd.array([1000] * 29, dtype="Int64"),
        }
    )
    card = _card(_tables() | {"followers": followers}, preset="rival_iq")
    r = _row(card, "engagement_rate")
    # mean over x posts of (likes + comments + shares) / 1000: p4 10, p5 16 (p6 is LinkedIn)
    assert r["value"] == pytest.approx((10 + 16) / 2 / 1000)
    assert r["n"] == 2


def test_bad_input_is_explained():
    with pytest.raises(RoiInputError, match="Unknown preset 'tiktok'") as e:
        _card(preset="tiktok")
    assert e.value.column == "preset"
    with pytest.raises(RoiInputError, match="not list"):
        S.build_scorecard([_posts()])
    with pytest.raises(RoiInputError, match="unknown table"):
        S.build_scorecard({"post": _posts()})
    with pytest.raises(RoiInputError, match="reach_column"):
        _card(reach_column="views")
    with pytest.raises(RoiInputError, match="published_at") as e:
        S.build_scorecard({"posts": _posts().drop(columns="published_at")}, START, END)
    assert e.value.path is not None and e.value.path.name == "posts.csv"
    with pytest.raises(RoiInputError, match="n_periods"):
        _card(n_periods=1)


def test_inputs_are_not_mutated():
    tables = _tables()
    copies = {k: v.copy() for k, v in tables.items()}
    _card(tables)
    for name, frame in tables.items():
        pd.testing.assert_frame_equal(frame, copies[name])


# -- what the page shows ---------------------------------------------------------------------------
def test_key_numbers_are_the_four_values_and_the_previous_ones(card):
    k = S.key_numbers(card)
    assert k["start_date"] == "2025-03-08" and k["end_date"] == "2025-03-14"
    assert k["period"] | {} == {
        "days": 7,
        "how": "given",
        "previous_start": "2025-03-01",
        "previous_end": "2025-03-07",
        "data_end": "2025-03-15",
    }
    assert k["relevance"] == pytest.approx(3 / 7) and k["relevance_previous"] == pytest.approx(
        2 / 3
    )
    assert k["resonance"] == pytest.approx(0.045) and k["resonance_previous"] == pytest.approx(0.03)
    assert (k["reach"], k["reach_previous"]) == (400.0, 200.0)
    assert k["amplification"] == 2.0 and k["amplification_previous"] == pytest.approx(4 / 3)
    assert k["details"]["structural_virality"]["n"] == 2
    assert k["details"]["per_post"]["median"] == 400.0
    # the report index shows ten flat numbers: these are the ten
    flat = sorted(key for key, v in k.items() if not isinstance(v, dict))
    assert len(flat) == 10 and "resonance_previous" in flat


def test_headline_and_highlights_say_the_four_values_and_their_changes(card):
    """By hand: buyers 3/7 against 2/3 (points), the median rate 4.5% against 3.0%
    (points), 400 against 200 impressions and 2 against 4/3 shares per post (percent)."""
    t = card.table.set_index("metric").loc["engagement_rate"]
    chance = t["low"] <= t["previous_high"] and t["previous_low"] <= t["high"]
    rate = "4.50% (up 1.50 points" + (", may be chance)" if chance else ")")
    h = S.headline(card)
    assert h["highlights"] == {
        "Buyer share": "42.9% (down 23.8 points)",
        "Engagement rate": rate,
        "Impressions per post": "400 (up 100%)",
        "Shares per post": "2.00 (up 50%)",
    }
    assert h["headline"] == (
        "Against the 7 days before: buyers are 42.9% of the network (down 23.8 "
        f"points), the engagement rate is {rate}, 400 impressions per post (up 100%) and 2.00 "
        "shares per post (up 50%)."
    )
    # the same without intervals: nothing can be chance
    plain = S.headline(_card(ci=None))["highlights"]["Engagement rate"]
    assert plain == "4.50% (up 1.50 points)"


def test_headline_says_what_has_no_data_and_what_rests_on_too_little():
    tables = _tables()
    del tables["audience"]
    h = S.headline(_card(tables, min_posts=3))
    found = h["highlights"]
    assert found["Buyer share"] == "no data"
    # 3 posts now (p4, p5, p6) but 2 with impressions before (p1, p2): reach and shares rest
    # on 3 now, so they are read; a minimum of 4 makes them too few
    assert found["Impressions per post"] == "400 (up 100%)"
    few = S.headline(_card(tables, min_posts=4))["highlights"]
    assert few["Impressions per post"] == "400 (up 100%; too few to read)"
    assert h["headline"].endswith("; no data for buyer share.")
    assert "buyers are" not in h["headline"]
    nothing = S.headline(_card({"posts": _posts().iloc[:0]}))
    assert nothing == {"headline": None, "highlights": {"Measures with data": "none"}}


def test_describe_and_summary_table(card):
    text = S.describe(card)
    lines = text.splitlines()
    assert len(lines) == 6
    assert lines[0].startswith("- **Relevance: buyers in the network.** ▼ 42.9% of the team's")
    assert lines[2].startswith("- **Reach: impressions per post.** ▲ 400 impressions")
    assert lines[4].startswith("  - **Reshare depth (generations).** ▶ Of 3 posts")
    table = S.summary_table(card.table)
    assert table.columns.tolist() == [
        "Measure",
        "Now",
        "Before",
        "Change",
        "Based on",
        "Status",
        "Definition",
    ]
    reach = table.set_index("Measure").loc["Reach: impressions per post"]
    assert reach[["Now", "Before", "Change", "Based on"]].tolist() == [
        "400",
        "200",
        "▲ up 100%",
        "3 / 2 posts",
    ]


def _team(company: str = "Own Co") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "member": ["ana-duarte", "bo-okafor"],
            "function": ["Sales", "Sales"],
            "company": [company, company],
            "source_file": "team.csv",
            "source_row": pd.array([2, 3], dtype="Int64"),
        }
    )


def test_owners_company_comes_from_the_team_table():
    """Without owner_company, the team table says who the colleagues are (as notebook 01
    reads it): c4 and c7 work at Own Co. c7 is a Finance Director, a target persona, so
    counting him as a buyer would give 4 of 7 by 14 March instead of 3 of 7."""
    bare = dict(target_functions=TARGETS, min_connections=1, min_posts=1)
    no_company = S.build_scorecard(_tables(), START, END, **bare)
    # nobody says where the team works: c1 (client), c3, c6 (prospect), c7 (persona)
    assert _row(no_company, "buyer_share")["value"] == pytest.approx(4 / 7)
    with_team = S.build_scorecard(_tables() | {"team": _team()}, START, END, **bare)
    r = _row(with_team, "buyer_share")
    assert r["value"] == pytest.approx(3 / 7) and r["previous"] == pytest.approx(2 / 3)
    # the same as naming the company by hand, and the same as notebook 01's labels
    assert r["value"] == pytest.approx(_row(_card(), "buyer_share")["value"])
    rel = R.add_relationship(
        _audience(), R.prepare_accounts(_accounts()), infer_owner_function=True, team=_team()
    )
    dated = rel[rel["connected_on"] <= pd.Timestamp(END)]
    assert dated["relationship"].astype(str).tolist().count("internal") == 2  # c4, c7
    # a company given as a parameter wins over the team table, as in notebook 01
    elsewhere = S.build_scorecard(
        _tables() | {"team": _team("Elsewhere Ltd")}, START, END, owner_company="Own Co", **bare
    )
    assert _row(elsewhere, "buyer_share")["value"] == pytest.approx(3 / 7)
    wrong_team = S.build_scorecard(_tables() | {"team": _team("Elsewhere Ltd")}, START, END, **bare)
    assert _row(wrong_team, "buyer_share")["value"] == pytest.approx(4 / 7)


def test_posts_older_than_the_period_say_so_with_their_last_day():
    """Connections up to 15 March 2025 and posts from 2019 (the fixture's posts six years
    back): the default period is the connections' last 28 days; the posts measures say
    that every post is older, give the latest day and the dates that would score them."""
    old = _posts().assign(published_at=_posts()["published_at"] - pd.DateOffset(years=6))
    tables = _tables() | {"posts": old, "events": _events().iloc[:0]}
    card = S.build_scorecard(tables, target_functions=TARGETS, min_posts=1, min_connections=1)
    assert (card.period.start, card.period.end) == (
        pd.Timestamp("2025-02-16"),
        pd.Timestamp("2025-03-15"),  # c9, the latest connection
    )
    # by hand: the latest post is p7, 15 March 2019; 28 days up to it start on 16 February
    said = (
        "all 8 posts loaded were published before this period, the latest on 15 Mar 2019; "
        "to score them, run roi report with --since 2019-02-16 --until 2019-03-15 (or set "
        "start_date and end_date)"
    )
    t = card.table.set_index("metric")
    for metric in ("engagement_rate", "per_post", "shares_per_post"):
        assert t.loc[metric, "status"] == "no data"
        assert t.loc[metric, "why"] == said, metric
    assert t.loc["per_post", "reading"] == f"No reach per post: {said}."
    assert t.loc["buyer_share", "status"] == "ok"  # the connections are in the period
    # the suggested period does score them: every 2019 post from 16 Feb (p8, 28 Feb) to
    # 15 Mar (p7) with known impressions, so all but p3
    asked = S.build_scorecard(tables, "2019-02-16", "2019-03-15", min_posts=1)
    assert _row(asked, "per_post")["status"] == "ok"
    assert _row(asked, "per_post")["n"] == 7
    # the index's reader learns it too, from the headline and the highlights
    h = S.headline(card)
    assert h["highlights"]["Engagement rate"] == "no data (posts end 15 Mar 2019)"
    assert h["highlights"]["Shares per post"] == "no data (posts end 15 Mar 2019)"
    assert h["headline"].endswith(
        "; no data for engagement rate or impressions per post or shares per post (the "
        "posts loaded end on 15 Mar 2019, before this period)."
    )
    counts = S.describe_counts(card)
    assert "0 of the 8 posts loaded were published in the 6 periods charted" in counts
    assert "the others (8 earlier) are in no number on this page." in counts


def test_describe_counts_says_what_the_numbers_rest_on(card):
    """By hand, periods of 1 Feb to 14 Mar 2025 (six weeks): posts p1-p6 and p8 are in
    them, p7 (15 March) is later; reshare trees p1, p4, p5, p6 start in them, zz has no
    date; connections c1-c7 were made by 14 March, c8 has no date, c9 came later."""
    assert card.counts == {
        "posts": 8,
        "posts_counted": 7,
        "posts_earlier": 0,
        "posts_later": 1,
        "posts_undated": 0,
        "cascades": 5,
        "cascades_counted": 4,
        "connections": 9,
        "connections_counted": 7,
        "connections_undated": 1,
    }
    assert S.describe_counts(card).splitlines() == [
        "- **Posts:** 7 of the 8 posts loaded were published in the 6 periods charted "
        "(1 Feb–14 Mar 2025) and count in the numbers above; the others (1 later) are in no "
        "number on this page.",
        "- **Reshare trees:** 4 of the 5 loaded started in those periods; the others are in "
        "no number on this page.",
        "- **Connections:** 7 of the 9 loaded had been made by 14 Mar 2025 and count towards "
        "relevance; 1 without a date is left out.",
        "",
        "Within those periods, the rows below were left out of a number (or read with an "
        "assumption), and why.",
    ]
    # every post known and dated, in the period: nothing left out, and it says so
    clean = _posts().iloc[[0, 1, 3, 4]]  # p1, p2, p4, p5: every count known
    tidy = S.build_scorecard({"posts": clean}, START, END, n_periods=2, ci=None)
    assert len(tidy.report) == 0
    assert S.describe_counts(tidy).splitlines()[-1] == (
        "Within those periods, no row was left out of a number for a missing or unknown value."
    )
    assert "4 of the 4 posts loaded were published in the 2 periods charted" in (
        S.describe_counts(tidy)
    )
    assert S.describe_counts(S.build_scorecard({})) == (
        "Nothing was counted: the folder holds no dated post, reshare or connection."
    )


def test_saved_report_pseudonymises_network_owners(card, tmp_path):
    path = card.save_report(tmp_path / "00.cleaning.csv")
    text = path.read_text()
    assert "no connection date" in text
    assert "bo-okafor" not in text and "Person " in text
    shown = card.save_report(tmp_path / "named.csv", show_names=True).read_text()
    assert "linkedin/bo-okafor/Connections.csv" in shown


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 30), st.integers(0, 86399), st.none() | st.integers(0, 5000)),
        min_size=1,
        max_size=40,
    ),
    st.integers(1, 10),
)
def test_per_post_means_match_a_loop_over_posts(posts, days):
    """Any posts, any period length: each period's mean impressions per post is the plain
    average over the posts whose UTC day falls in it, unknowns left out."""
    base = pd.Timestamp("2025-01-01", tz="UTC")
    when = [base + pd.Timedelta(days=d, seconds=s) for d, s, _ in posts]
    frame = pd.DataFrame(
        {
            "post_id": [f"p{i}" for i in range(len(posts))],
            "platform": "x",
            "published_at": pd.Series(when).astype("datetime64[us, UTC]"),
            "impressions": pd.array([v for *_, v in posts], dtype="Int64"),
            "likes": pd.array([1] * len(posts), dtype="Int64"),
            "comments": pd.array([0] * len(posts), dtype="Int64"),
            "shares": pd.array([0] * len(posts), dtype="Int64"),
        }
    )
    end = pd.Timestamp("2025-01-31")
    start = end - pd.Timedelta(days=days - 1)
    card = S.build_scorecard(
        {"posts": frame}, start.date().isoformat(), end.date().isoformat(), ci=None, n_periods=3
    )
    series = card.series[card.series["metric"] == "per_post"].set_index("period")
    for k in (-2, -1, 0):
        lo = start + pd.Timedelta(days=k * days)
        hi = end + pd.Timedelta(days=k * days)
        values = [
            v
            for (d, _, v) in posts
            if v is not None and lo <= pd.Timestamp("2025-01-01") + pd.Timedelta(days=d) <= hi
        ]
        if values:
            assert series.loc[k, "value"] == pytest.approx(statistics.mean(values))
            assert series.loc[k, "n"] == len(values)
        else:
            assert math.isnan(series.loc[k, "value"]) and series.loc[k, "n"] == 0


# -- the charts --------------------------------------------------------------------------------------
def test_each_chart_draws_the_series_values(card):
    for fn, metric in [
        (P.plot_relevance, "buyer_share"),
        (P.plot_resonance, "engagement_rate"),
        (P.plot_reach, "per_post"),
        (P.plot_amplification, "shares_per_post"),
    ]:
        ax = fn(card.series)
        s = card.series[card.series["metric"] == metric].sort_values("period")
        heights = [bar.get_height() for bar in ax.patches]
        assert heights == pytest.approx(s["value"].fillna(0).tolist()), metric
        colours = [matplotlib.colors.to_hex(bar.get_facecolor()) for bar in ax.patches]
        assert colours[-1] == "#0072b2" and colours[-2] == "#595959", metric
        plt.close(ax.figure)


def test_chart_titles_say_value_and_change(card):
    ax = P.plot_reach(card.series)
    assert ax.get_title(loc="left") == "Reach: impressions per post"
    assert ax.texts[0].get_text() == "400 ▲ up 100% from 200, vs the 7 days before"
    assert "the median post: 400" in ax.get_xlabel()
    plt.close(ax.figure)
    ax = P.plot_resonance(card.series)
    assert ax.texts[0].get_text().startswith("4.50% ▲ up 1.50 points from 3.00%")
    assert len(ax.containers) == 2  # the bars and their intervals
    plt.close(ax.figure)
    ax = P.plot_amplification(card.series)
    assert "2.00 generations deep on average (2.00 before)" in ax.get_xlabel().replace("\n", " ")
    plt.close(ax.figure)


def test_a_chart_without_data_says_why():
    card = _card({"posts": _posts()})
    ax = P.plot_relevance(card.series)
    assert not ax.axison
    assert "no LinkedIn connections export in this folder" in ax.texts[0].get_text().replace(
        "\n", " "
    )
    plt.close(ax.figure)


def test_the_two_by_two_figure(card, tmp_path):
    axes = P.plot_scorecard(card.series)
    assert axes.shape == (2, 2)
    titles = [ax.get_title(loc="left") for ax in axes.ravel()]
    assert titles == [
        "Relevance: buyers in the network",
        "Resonance: engagement rate",
        "Reach: impressions per post",
        "Amplification: shares per post",
    ]
    axes[0, 0].figure.savefig(tmp_path / "scorecard.png")
    plt.close(axes[0, 0].figure)
    with pytest.raises(RoiInputError, match="four charts"):
        P.plot_scorecard(card.series, axes=plt.subplots(1, 3)[1])
    with pytest.raises(RoiInputError, match="not a scorecard series"):
        P.plot_reach(card.table)
    plt.close("all")
