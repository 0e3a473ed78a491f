"""Engagement rates: hand-computed cases, independent computations on real exports, properties.

Expected values are worked out by hand in the comments, or by an independent method: the
csv module on the raw exports (X's and LinkedIn's own rate columns), scipy (Spearman's rho,
Wilson intervals, bootstrap), brute-force loops (rolling baselines, follower look-ups).
"""

from __future__ import annotations

import csv
import math
import re
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from roi_helpers import engagement as E
from roi_helpers.clean import CleaningReport
from roi_helpers.errors import RoiInputError


def _posts(**cols) -> pd.DataFrame:
    n = len(next(iter(cols.values())))
    base = {
        "post_id": [f"p{i}" for i in range(n)],
        "platform": ["linkedin"] * n,
        "account": ["acme"] * n,
        "published_at": pd.date_range("2024-01-01 09:00", periods=n, freq="D", tz="UTC"),
    }
    out = pd.DataFrame(base)
    for k, v in cols.items():
        out[k] = pd.array(v, dtype="Int64") if k != "published_at" else v
    return out


# -- presets, each against a hand-computed case ----------------------------------------------
def test_rival_iq_preset_is_the_mean_of_interactions_per_follower():
    posts = _posts(
        likes=[10, 5, 1, None],
        comments=[2, 0, 1, 3],
        shares=[3, 0, 1, 0],
        followers=[1000, 500, 0, 800],
    )
    r = E.engagement_rate(posts, preset="rival_iq", ci=None)
    # post 1: 15 / 1000 = 0.015; post 2: 5 / 500 = 0.01; post 3: 0 followers; post 4: likes unknown
    assert r["rate"].item() == pytest.approx((0.015 + 0.01) / 2)
    assert (r["n_posts"].item(), r["n_excluded"].item()) == (2, 2)
    assert r["formula"].item() == "mean over posts of (likes + comments + shares) / followers"
    assert r["preset"].item() == "rival_iq"


def test_sprout_social_preset_counts_clicks_over_impressions_pooled():
    posts = _posts(
        likes=[10, 5], comments=[2, 0], shares=[3, 0], clicks=[5, 15], impressions=[1000, 500]
    )
    r = E.engagement_rate(posts, preset="sprout_social", ci=None)
    # (10+2+3+5) + (5+0+0+15) = 40 over 1500 impressions
    assert r["rate"].item() == pytest.approx(40 / 1500)
    assert r["formula"].item() == (
        "sum of (likes + comments + shares + clicks) / sum of impressions"
    )


def test_linkedin_preset_reads_zero_impressions_as_a_zero_rate():
    posts = _posts(
        clicks=[6, 0, 2, 1],
        likes=[3, 0, 2, 1],
        comments=[1, 0, 0, None],
        shares=[0, 0, 1, 0],
        impressions=[100, 0, 50, 40],
    )
    per = E.add_engagement_rate(posts, preset="linkedin")
    # 10/100, LinkedIn's 0 for 0 impressions, 5/50, comments unknown: excluded
    assert per["engagement_rate"].tolist()[:3] == [0.1, 0.0, 0.1]
    assert math.isnan(per["engagement_rate"].iloc[3])
    assert per["excluded_because"].iloc[3] == "comments unknown"
    r = E.engagement_rate(posts, preset="linkedin", ci=None)
    assert r["rate"].item() == pytest.approx(15 / 150)
    assert (r["n_posts"].item(), r["n_excluded"].item()) == (3, 1)
    assert r["formula"].item().endswith("; 0 when impressions is 0")
    # the same posts without the preset's rule: the zero-impression post is excluded
    custom = E.engagement_rate(
        posts, ["clicks", "likes", "comments", "shares"], "impressions", "pooled", ci=None
    )
    assert (custom["n_posts"].item(), custom["n_excluded"].item()) == (2, 2)


def test_x_preset_uses_x_engagements():
    posts = _posts(
        likes=[1, 2], comments=[0, 0], shares=[0, 1], impressions=[200, 300], x_engagements=[9, 21]
    )
    r = E.engagement_rate(posts, preset="x", ci=None)
    assert r["rate"].item() == pytest.approx(30 / 500)
    with pytest.raises(RoiInputError, match="x_engagements") as err:
        E.engagement_rate(posts.drop(columns="x_engagements"), preset="x")
    assert "only X" in str(err.value)


def test_emplifi_preset_is_per_thousand_impressions():
    posts = _posts(likes=[8, 2], comments=[1, 0], shares=[1, 0], impressions=[2000, 3000])
    r = E.engagement_rate(posts, preset="emplifi", ci=0.95, interval="wilson")
    assert r["rate"].item() == pytest.approx(12 / 5000 * 1000)  # 2.4 per 1,000
    assert r["unit"].item() == "per 1,000 impressions"
    lo, hi = stats.binomtest(12, 5000).proportion_ci(0.95, method="wilson")
    assert r["low"].item() == pytest.approx(lo * 1000)
    assert r["high"].item() == pytest.approx(hi * 1000)


def test_preset_cannot_be_mixed_with_explicit_parts():
    posts = _posts(likes=[1], comments=[0], shares=[0], impressions=[10])
    with pytest.raises(ValueError, match="fixes the whole formula"):
        E.engagement_rate(posts, denominator="reach", preset="linkedin")
    with pytest.raises(ValueError, match="Unknown preset"):
        E.engagement_rate(posts, preset="hootsuite")


# -- aggregates, unknowns and intervals ------------------------------------------------------
def test_median_mean_pooled_by_hand():
    posts = _posts(
        likes=[1, 2, 30], comments=[0, 0, 0], shares=[0, 0, 0], impressions=[10, 100, 100]
    )
    per_post = [0.1, 0.02, 0.3]
    med = E.engagement_rate(posts, aggregate="median", ci=None)["rate"].item()
    mean = E.engagement_rate(posts, aggregate="mean", ci=None)["rate"].item()
    pooled = E.engagement_rate(posts, aggregate="pooled", ci=None)["rate"].item()
    assert med == pytest.approx(0.1)
    assert mean == pytest.approx(sum(per_post) / 3)
    assert pooled == pytest.approx(33 / 210)


def test_unknown_counts_are_excluded_never_read_as_zero():
    posts = _posts(likes=[4, None], comments=[0, 0], shares=[0, 0], impressions=[100, 100])
    r = E.engagement_rate(posts, aggregate="mean", ci=None)
    assert r["rate"].item() == pytest.approx(0.04)  # reading <NA> as 0 would give 0.02
    assert r["n_excluded"].item() == 1
    unknown_den = _posts(likes=[4, 4], comments=[0, 0], shares=[0, 0], impressions=[100, None])
    r = E.engagement_rate(unknown_den, aggregate="pooled", ci=None)
    assert r["rate"].item() == pytest.approx(0.04)
    per = E.add_engagement_rate(unknown_den)
    assert per["excluded_because"].tolist()[1] == "impressions unknown"


def test_excluded_posts_are_listed_in_the_cleaning_report():
    posts = _posts(
        likes=[4, None, 1], comments=[0, 0, 0], shares=[0, 0, 0], impressions=[100, 9, 0]
    )
    posts["source_file"] = "export.csv"
    posts["source_row"] = pd.array([2, 3, 4], dtype="Int64")
    report = CleaningReport()
    E.engagement_rate(posts, ci=None, report=report)
    entries = report.to_frame()
    assert entries["row"].tolist() == [3, 4]
    assert set(entries["file"]) == {"export.csv"}
    assert entries["original"].tolist() == ["likes unknown", "impressions is 0"]
    assert report.balance()["rows_set_aside"].sum() == 0  # flagged, not removed from the table


def test_wilson_interval_matches_scipy():
    posts = _posts(likes=[3, 5, 0], comments=[1, 0, 0], shares=[0, 1, 0], impressions=[90, 120, 40])
    r = E.engagement_rate(posts, aggregate="pooled", ci=0.9, interval="wilson")
    lo, hi = stats.binomtest(10, 250).proportion_ci(0.9, method="wilson")
    assert (r["low"].item(), r["high"].item()) == (pytest.approx(lo), pytest.approx(hi))
    assert r["interval"].item().startswith("Wilson")


def test_bootstrap_interval_agrees_with_scipy_bootstrap():
    rng = np.random.default_rng(7)
    impressions = rng.integers(500, 5000, size=300)
    likes = rng.binomial(impressions, rng.beta(2, 60, size=300))
    posts = _posts(
        likes=likes.tolist(), comments=[0] * 300, shares=[0] * 300, impressions=impressions.tolist()
    )
    rates = likes / impressions
    for agg, fn in (("median", np.median), ("mean", np.mean)):
        ours = E.engagement_rate(posts, aggregate=agg, n_boot=4000, seed=1)
        theirs = stats.bootstrap(
            (rates,), fn, n_resamples=4000, method="percentile", random_state=2
        ).confidence_interval
        width = theirs.high - theirs.low
        assert ours["low"].item() == pytest.approx(theirs.low, abs=0.1 * width)
        assert ours["high"].item() == pytest.approx(theirs.high, abs=0.1 * width)
        again = E.engagement_rate(posts, aggregate=agg, n_boot=4000, seed=1)
        assert again["low"].item() == ours["low"].item()  # seeded: reproducible


def test_pooled_rate_above_one_falls_back_to_a_bootstrap():
    posts = _posts(likes=[30, 50], comments=[0, 0], shares=[0, 0], followers=[10, 20])
    r = E.engagement_rate(posts, denominator="followers", aggregate="pooled", n_boot=500)
    assert r["rate"].item() == pytest.approx(80 / 30)
    assert r["interval"].item().startswith("bootstrap")
    assert r["low"].item() <= r["rate"].item() <= r["high"].item()


# -- grouping --------------------------------------------------------------------------------
def test_grouped_by_content_type_and_platform():
    posts = _posts(
        likes=[1, 3, 10, 0],
        comments=[0, 0, 0, 0],
        shares=[0, 0, 0, 0],
        impressions=[10, 10, 100, 5],
    )
    posts["content_type"] = ["video", "video", "image", pd.NA]
    r = E.engagement_rate(posts, aggregate="mean", by="content_type", ci=None)
    got = dict(
        zip(
            r["content_type"].astype(object).where(r["content_type"].notna(), "?"),
            r["rate"],
            strict=True,
        )
    )
    assert got == {"image": pytest.approx(0.1), "video": pytest.approx(0.2), "?": 0.0}
    assert r["n_posts"].sum() == 4  # the post with no content type has a group of its own


def test_time_groups_follow_the_chosen_time_zone():
    posts = _posts(likes=[1, 2], comments=[0, 0], shares=[0, 0], impressions=[10, 10])
    posts["published_at"] = pd.to_datetime(["2024-03-31 23:30", "2024-04-01 08:00"], utc=True)
    utc = E.engagement_rate(posts, by="month", ci=None)
    paris = E.engagement_rate(posts, by="month", ci=None, time_zone="Europe/Paris")
    assert utc["month"].dt.month.tolist() == [3, 4]
    assert paris["month"].dt.month.tolist() == [4]  # 23:30 UTC is 01:30 on 1 April in Paris
    assert paris["n_posts"].item() == 2
    hours = E.engagement_rate(posts, by=["weekday", "hour"], ci=None, time_zone="Europe/Paris")
    assert hours[["weekday", "hour"]].values.tolist() == [[0, 1], [0, 10]]


def test_unknown_group_column_is_refused():
    posts = _posts(likes=[1], comments=[0], shares=[0], impressions=[10])
    with pytest.raises(ValueError, match="Cannot group by 'colour'"):
        E.engagement_rate(posts, by="colour")


# -- bad input ------------------------------------------------------------------------------
def test_missing_followers_column_names_the_fix():
    posts = _posts(likes=[1], comments=[0], shares=[0], impressions=[10])
    with pytest.raises(RoiInputError) as err:
        E.engagement_rate(posts, denominator="followers")
    assert err.value.column == "followers"
    assert "add_followers_at_post" in str(err.value)


def test_counts_as_text_are_refused_with_their_rows():
    posts = _posts(likes=[1, 2], comments=[0, 0], shares=[0, 0], impressions=[10, 10])
    posts["likes"] = pd.Series(["1", "lots"], dtype="str")
    posts["source_file"] = "mine.csv"
    posts["source_row"] = pd.array([2, 3], dtype="Int64")
    with pytest.raises(RoiInputError) as err:
        E.engagement_rate(posts)
    assert err.value.rows == [3] and err.value.column == "likes"
    assert str(err.value).startswith("mine.csv: row 3")


def test_not_a_frame_is_refused():
    with pytest.raises(RoiInputError, match="needs a posts table"):
        E.engagement_rate([1, 2, 3])


def test_inputs_are_not_mutated():
    posts = _posts(
        likes=[1, 5, 2, 9], comments=[0, 1, 0, 2], shares=[0, 0, 1, 1], impressions=[10, 50, 0, 70]
    )
    posts["followers"] = pd.array([100, 100, 110, 120], dtype="Int64")
    before = posts.copy()
    E.engagement_rate(posts, by=["weekday", "hour"], n_boot=50)
    E.add_engagement_rate(posts)
    E.kaushik_rates(posts, ci=None)
    E.best_times(posts)
    E.breakout_posts(posts, window=2, min_periods=1)
    E.top_posts(posts)
    E.rate_trend(posts, ci=None)
    pd.testing.assert_frame_equal(posts, before)


# -- Kaushik -------------------------------------------------------------------------------
def test_kaushik_rates_by_hand():
    posts = _posts(likes=[20, 5], comments=[2, 1], shares=[4, 0], followers=[1000, 500])
    k = E.kaushik_rates(posts, ci=None).set_index("metric")
    # conversation: (2/1000 + 1/500) / 2 = 0.002; amplification: (0.004 + 0) / 2 = 0.002;
    # applause: (0.02 + 0.01) / 2 = 0.015
    assert k.loc["conversation", "rate"] == pytest.approx(0.002)
    assert k.loc["amplification", "rate"] == pytest.approx(0.002)
    assert k.loc["applause", "rate"] == pytest.approx(0.015)
    assert k.loc["applause", "per_1000_followers"] == pytest.approx(15)
    assert k.loc["applause", "action"] == "likes"
    assert k.loc["conversation", "formula"] == "mean over posts of comments / followers"
    with pytest.raises(RoiInputError, match="add_followers_at_post"):
        E.kaushik_rates(posts.drop(columns="followers"))


# -- followers at posting time ---------------------------------------------------------------
def test_followers_at_post_by_hand():
    posts = _posts(likes=[1, 1, 1, 1], comments=[0] * 4, shares=[0] * 4)
    posts["published_at"] = pd.to_datetime(
        ["2024-01-03 10:00", "2024-01-02 00:30", "2024-03-20 12:00", "2024-01-03 11:00"], utc=True
    )
    posts["account"] = ["ACME", "acme", "acme", "acme"]
    posts["followers"] = pd.array([pd.NA, pd.NA, pd.NA, 999], dtype="Int64")
    hist = pd.DataFrame(
        {
            "platform": "linkedin",
            "account": "acme",
            "date": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"]),
            "followers": pd.array([100, 110, pd.NA, 130], dtype="Int64"),
        }
    )
    out = E.add_followers_at_post(posts, hist)
    # post 1 (3 Jan): the 2 Jan count (3 Jan unknown); post 2 (2 Jan): 1 Jan's;
    # post 3: last count 4 Jan is more than 31 days before: unknown; post 4: its own count
    assert out["followers"].tolist() == [110, 100, pd.NA, 999]
    assert out["followers_source"].tolist() == [
        "followers history",
        "followers history",
        "unknown",
        "posts table",
    ]
    assert out["followers_date"].iloc[0] == pd.Timestamp("2024-01-02")
    same = E.add_followers_at_post(posts, hist, when="same_day")
    assert same["followers"].tolist()[:2] == [110, 110]


def test_followers_at_post_matches_a_brute_force_lookup():
    rng = np.random.default_rng(3)
    days = pd.date_range("2024-01-01", periods=90, freq="D")
    hist = pd.DataFrame(
        {
            "platform": "x",
            "account": np.repeat(["a", "b"], 90),
            "date": np.tile(days, 2),
            "followers": pd.array(rng.integers(100, 200, 180), dtype="Int64"),
        }
    )
    hist = hist.sample(frac=0.7, random_state=1)  # gaps, shuffled
    n = 60
    posts = pd.DataFrame(
        {
            "post_id": [str(i) for i in range(n)],
            "platform": "x",
            "account": rng.choice(["a", "b", "c"], n),
            "published_at": pd.Timestamp("2024-01-01", tz="UTC")
            + pd.to_timedelta(rng.integers(0, 100 * 24 * 60, n), unit="min"),
        }
    )
    out = E.add_followers_at_post(posts, hist, max_age_days=5)
    for i, post in posts.iterrows():
        day = post["published_at"].tz_localize(None).normalize()
        h = hist[
            (hist["account"] == post["account"])
            & (hist["date"] < day)
            & (hist["date"] >= day - pd.Timedelta(days=5))
        ]
        expected = h.sort_values("date")["followers"].iloc[-1] if len(h) else pd.NA
        got = out.loc[i, "followers"]
        assert (pd.isna(got) and pd.isna(expected)) or got == expected, (i, got, expected)


# -- best time to post -----------------------------------------------------------------------
def test_best_times_masks_thin_cells():
    when = ["2024-01-01 09:10", "2024-01-08 09:40", "2024-01-15 09:05", "2024-01-02 15:00"]
    posts = _posts(likes=[2, 3, 4, 90], comments=[0] * 4, shares=[0] * 4, impressions=[100] * 4)
    posts["published_at"] = pd.to_datetime(when, utc=True)
    grid = E.best_times(posts, min_posts=2)
    assert len(grid) == 168
    cell = grid.set_index(["weekday", "hour"])
    assert cell.loc[(0, 9), "n_posts"] == 3
    assert cell.loc[(0, 9), "rate_shown"] == pytest.approx(0.03)  # median of 0.02, 0.03, 0.04
    # the lone Tuesday post has the highest rate but is masked: it is not "the best slot"
    assert cell.loc[(1, 15), "rate"] == pytest.approx(0.9)
    assert bool(cell.loc[(1, 15), "masked"]) and math.isnan(cell.loc[(1, 15), "rate_shown"])
    assert grid.loc[grid["rank"] == 1, ["weekday", "hour"]].values.tolist() == [[0, 9]]
    assert grid["n_posts"].sum() == 4


def test_best_times_counts_match_python_datetime():
    rng = np.random.default_rng(11)
    n = 200
    stamps = pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(
        rng.integers(0, 365 * 24 * 60, n), unit="min"
    )
    posts = _posts(
        likes=rng.integers(0, 30, n).tolist(),
        comments=[0] * n,
        shares=[0] * n,
        impressions=rng.integers(0, 3, n).tolist(),  # some zeros: excluded but counted
    )
    posts["published_at"] = stamps
    grid = E.best_times(posts, time_zone="America/New_York", min_posts=2)
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("America/New_York")
    counts: dict[tuple[int, int], int] = {}
    for ts in stamps:
        local = ts.to_pydatetime().astimezone(tz)
        counts[(local.weekday(), local.hour)] = counts.get((local.weekday(), local.hour), 0) + 1
    total = (grid["n_posts"] + grid["n_excluded"]).to_numpy()
    expected = [counts.get((d, h), 0) for d in range(7) for h in range(24)]
    assert total.tolist() == expected


# -- breakouts ------------------------------------------------------------------------------
def test_breakout_scores_match_a_brute_force_loop():
    rng = np.random.default_rng(5)
    n = 40
    posts = _posts(
        likes=rng.integers(0, 20, n).tolist(),
        comments=[0] * n,
        shares=[0] * n,
        impressions=rng.integers(0, 400, n).tolist(),
    )
    posts["account"] = rng.choice(["a", "b"], n)
    out = E.breakout_posts(posts, window=6, min_periods=3)
    for acc, part in out.groupby("account"):
        rates = part["engagement_rate"].to_numpy()
        for i in range(len(part)):
            prev = rates[max(0, i - 6) : i]
            prev = prev[~np.isnan(prev)]
            if len(prev) < 3:
                assert math.isnan(part["baseline"].iloc[i])
                continue
            med = np.median(prev)
            mad = 1.4826 * np.median(np.abs(prev - med))
            scale = mad if mad > 0 else 1.2533 * np.mean(np.abs(prev - med))
            assert part["baseline"].iloc[i] == pytest.approx(med), (acc, i)
            if scale > 0 and not math.isnan(rates[i]):
                assert part["score"].iloc[i] == pytest.approx((rates[i] - med) / scale)


def test_top_posts_are_ranked_by_rate_and_texts_cut():
    posts = _posts(
        likes=[1, 9, 5, 3], comments=[0] * 4, shares=[0] * 4, impressions=[10, 100, 20, 0]
    )
    posts["text"] = ["short", "x" * 200, "line\nbreak", "none"]
    top = E.top_posts(posts, n=3, text_width=20, min_denominator=1)
    assert top["post_id"].tolist() == ["p2", "p0", "p1"]  # 0.25, 0.1, 0.09; p3 has no rate
    assert top["text"].tolist()[0] == "line break"
    assert len(top["text"].iloc[2]) == 20 and top["text"].iloc[2].endswith("…")


# -- follower fallacy ------------------------------------------------------------------------
def test_spearman_matches_scipy_with_ties_and_both_intervals():
    rng = np.random.default_rng(2)
    n = 80
    size = rng.lognormal(8, 2, n).round(-2)  # ties
    likes = size**0.5 * rng.lognormal(0, 1, n)
    table = pd.DataFrame({"followers": size, "avg_likes": likes})
    table.loc[3, "avg_likes"] = np.nan
    res = E.follower_fallacy(table)
    ok = table.dropna()
    sp = stats.spearmanr(ok["followers"], ok["avg_likes"])
    assert res["rho"].item() == pytest.approx(sp.statistic)
    assert res["p_value"].item() == pytest.approx(sp.pvalue)
    assert (res["n_accounts"].item(), res["n_excluded"].item()) == (79, 1)
    z = np.arctanh(sp.statistic)
    half = 1.959964 * math.sqrt(1.06 / 76)
    assert res["low"].item() == pytest.approx(math.tanh(z - half), abs=1e-5)
    assert res["high"].item() == pytest.approx(math.tanh(z + half), abs=1e-5)
    boot = E.follower_fallacy(table, method="bootstrap", n_boot=2000)
    theirs = stats.bootstrap(
        (ok["followers"].to_numpy(), ok["avg_likes"].to_numpy()),
        lambda x, y: stats.spearmanr(x, y).statistic,
        paired=True,
        vectorized=False,
        n_resamples=2000,
        method="percentile",
        random_state=0,
    ).confidence_interval
    assert boot["low"].item() == pytest.approx(theirs.low, abs=0.05)
    assert boot["high"].item() == pytest.approx(theirs.high, abs=0.05)


def test_fallacy_with_too_few_accounts_says_so():
    res = E.follower_fallacy(pd.DataFrame({"followers": [1, 2], "avg_likes": [3, 4]}))
    assert math.isnan(res["rho"].item())
    assert "too few" in res["finding"].item()


def test_fallacy_finding_follows_the_numbers():
    rising = pd.DataFrame({"followers": range(1, 31), "avg_likes": range(1, 31)})
    assert "strong positive" in E.follower_fallacy(rising)["finding"].item()
    falling = pd.DataFrame({"followers": range(1, 31), "rate": range(30, 0, -1)})
    text = E.follower_fallacy(falling, engagement="rate")["finding"].item()
    assert "strong negative" in text and "smaller share" in text


def test_accounts_from_posts_feeds_the_fallacy_check():
    posts = _posts(
        likes=[2, 4, 1, 9, 30],
        comments=[0, 2, 0, 1, 0],
        shares=[0, 0, 1, 0, 0],
        impressions=[10, 20, 10, 100, 60],
        followers=[100, 120, 50, 1000, 400],
    )
    posts["account"] = ["a", "a", "b", "c", "d"]
    acc = E.accounts_from_posts(posts).set_index("account")
    assert acc.loc["a", "followers"] == 110
    assert acc.loc["a", "avg_engagements"] == pytest.approx(4)  # (2 + 6) / 2
    assert acc.loc["a", "engagement_rate"] == pytest.approx(0.25)  # median of 0.2, 0.3
    res = E.follower_fallacy(acc.reset_index(), engagement="avg_likes")
    assert res["rho"].item() == pytest.approx(
        stats.spearmanr(acc["followers"], acc["avg_likes"]).statistic
    )


# -- trends ---------------------------------------------------------------------------------
def test_rate_trend_rolls_over_months_and_fills_gaps():
    posts = _posts(likes=[1, 3, 5, 7], comments=[0] * 4, shares=[0] * 4, impressions=[100] * 4)
    posts["published_at"] = pd.to_datetime(
        ["2024-01-05", "2024-01-25", "2024-03-05", "2024-04-05"], utc=True
    )
    t = E.rate_trend(posts, window=2, ci=None)
    assert t["month"].dt.month.tolist() == [1, 2, 3, 4]
    # Jan: median(0.01, 0.03); Feb: Jan's two again; Mar: Feb + Mar -> 0.05; Apr: 0.05, 0.07
    assert t["rate"].tolist() == [
        pytest.approx(0.02),
        pytest.approx(0.02),
        pytest.approx(0.05),
        pytest.approx(0.06),
    ]
    assert t["posts_in_month"].tolist() == [2, 0, 1, 1]
    assert t["n_posts"].tolist() == [2, 2, 1, 2]


def test_follower_growth_from_totals_and_from_flows():
    f = pd.DataFrame(
        {
            "platform": "linkedin",
            "account": ["a"] * 4 + ["b"] * 2,
            "date": pd.to_datetime(
                ["2024-01-01", "2024-01-15", "2024-01-31", "2024-02-02", "2024-01-01", "2024-01-02"]
            ),
            "followers": pd.array([100, 104, 110, 111, pd.NA, pd.NA], dtype="Int64"),
            "new_followers": pd.array([pd.NA, 5, 7, 1, 4, 3], dtype="Int64"),
            "lost_followers": pd.array([pd.NA, 1, 1, 0, 1, pd.NA], dtype="Int64"),
        }
    )
    g = E.follower_growth(f).set_index(["account", "period"])
    jan = g.loc[("a", pd.Timestamp("2024-01-01"))]
    assert (jan["followers_start"], jan["followers_end"], jan["net_change"]) == (100, 110, 10)
    assert jan["growth_rate"] == pytest.approx(0.1) and jan["net_from"] == "totals"
    assert (jan["new_followers"], jan["lost_followers"]) == (12, 2)
    feb = g.loc[("a", pd.Timestamp("2024-02-01"))]
    # February starts from January's last total (110), not from its own first day
    assert (feb["followers_start"], feb["net_change"]) == (110, 1)
    b = g.loc[("b", pd.Timestamp("2024-01-01"))]
    assert b["net_from"] == "gains and losses" and b["net_change"] == 7 - 1
    assert math.isnan(b["growth_rate"])


# -- benchmarks -----------------------------------------------------------------------------
def test_benchmarks_are_cited_and_consistent():
    b = E.load_benchmarks()
    assert len(b) >= 5
    assert b["url"].str.startswith("https://").all()
    assert b["note"].str.contains("Published figure").all()
    assert set(b["formula"]) <= set(E.PRESETS)
    pct = b["value_as_published"].str.rstrip("%").astype(float) / 100
    assert np.allclose(pct, b["value"])  # the fraction is the published percentage
    assert set(b["platform"]) <= {"linkedin", "x", "facebook", "instagram", "tiktok", "youtube"}


def test_compare_only_when_formulas_match():
    posts = _posts(likes=[40, 60], comments=[5, 5], shares=[5, 5], impressions=[1000, 1000])
    posts["followers"] = pd.array([10_000, 10_000], dtype="Int64")
    mine = E.engagement_rate(posts, preset="rival_iq", ci=None)  # (0.005 + 0.007) / 2 = 0.006
    c = E.compare_to_benchmark(mine, platform="instagram")
    row = c[c["year"] == 2023].iloc[0]
    assert bool(row["comparable"]) and row["ratio"] == pytest.approx(0.006 / 0.0047)
    assert "above" in row["verdict"]
    other = E.engagement_rate(posts, preset="emplifi", ci=None)
    c = E.compare_to_benchmark(other, platform="instagram")
    assert not c["comparable"].any()
    assert c["ratio"].isna().all()
    assert "yours divides by impressions, theirs by followers" in c["verdict"].iloc[0]
    custom = E.engagement_rate(posts, denominator="followers", aggregate="mean", ci=None)
    why = E.compare_to_benchmark(custom, platform="instagram")["verdict"].iloc[0]
    assert "custom formula" in why and "preset='rival_iq'" in why
    assert E.compare_to_benchmark(mine, platform="linkedin").empty  # nothing published


# -- real exports, against their own numbers -------------------------------------------------
def _raw_x(shared: Path) -> list[dict[str, str]]:
    rows = []
    for path in sorted((shared / "x_tweet_activity").glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as fh:
            rows += list(csv.DictReader(fh))
    return rows


def test_x_preset_reproduces_the_exports_own_rate_per_post(shared):
    from roi_helpers import load_dir

    raw = _raw_x(shared)
    assert len(raw) == 307
    posts = load_dir(shared / "x_tweet_activity").posts
    per = E.add_engagement_rate(posts, preset="x").set_index("post_id")
    own = {r["Tweet id"]: float(r["engagement rate"]) for r in raw}
    ours = per.loc[list(own), "engagement_rate"].to_numpy()
    assert np.allclose(ours, list(own.values()), rtol=1e-9, atol=1e-12)
    pooled = E.engagement_rate(posts, preset="x", interval="wilson")
    eng = sum(float(r["engagements"]) for r in raw)
    imp = sum(float(r["impressions"]) for r in raw)
    assert pooled["rate"].item() == pytest.approx(eng / imp)
    assert pooled["n_posts"].item() == 307
    lo, hi = stats.binomtest(int(eng), int(imp)).proportion_ci(0.95, method="wilson")
    assert pooled["low"].item() == pytest.approx(lo) and pooled["high"].item() == pytest.approx(hi)
    assert pooled["interval"].item() == "Wilson score (impressions as trials)"


def test_pooled_default_interval_is_a_bootstrap_over_posts_on_the_real_export(shared):
    """Posts, not impressions, are the independent units: Wilson is far too narrow."""
    from roi_helpers import load_dir

    raw = _raw_x(shared)
    eng = np.array([float(r["engagements"]) for r in raw])
    imp = np.array([float(r["impressions"]) for r in raw])
    # an independent bootstrap of the ratio of sums, resampling the raw rows
    rng = np.random.default_rng(123)
    idx = rng.integers(0, len(raw), size=(4000, len(raw)))
    boots = eng[idx].sum(axis=1) / imp[idx].sum(axis=1)
    lo, hi = np.quantile(boots, [0.025, 0.975])
    posts = load_dir(shared / "x_tweet_activity").posts
    r = E.engagement_rate(posts, preset="x", n_boot=4000)
    assert r["interval"].item() == "bootstrap over posts (4,000 resamples, ratio of sums)"
    width = hi - lo
    assert r["low"].item() == pytest.approx(lo, abs=0.1 * width)
    assert r["high"].item() == pytest.approx(hi, abs=0.1 * width)
    wl, wh = stats.binomtest(int(eng.sum()), int(imp.sum())).proportion_ci(0.95, method="wilson")
    assert width / (wh - wl) > 5  # about 12 times wider than Wilson's on this export


def test_x_monthly_rates_on_the_real_export(shared):
    from roi_helpers import load_dir

    posts = load_dir(shared / "x_tweet_activity").posts
    by_month = E.engagement_rate(posts, preset="x", by="month", ci=None)
    sums: dict[str, list[float]] = {}
    for r in _raw_x(shared):
        key = r["time"][:7]
        s = sums.setdefault(key, [0.0, 0.0])
        s[0] += float(r["engagements"])
        s[1] += float(r["impressions"])
    assert by_month["month"].dt.strftime("%Y-%m").tolist() == sorted(sums)
    assert by_month["rate"].tolist() == pytest.approx([e / i for e, i in sums.values()])


def test_linkedin_preset_reproduces_the_page_export_daily_rate(shared):
    with open(shared / "linkedin_page" / "women_in_ai_usa_clean.csv", newline="") as fh:
        raw = list(csv.DictReader(fh))
    days = pd.DataFrame(
        {
            "clicks": [int(float(r["Clicks (total)"])) for r in raw],
            "likes": [int(float(r["Reactions (total)"])) for r in raw],
            "comments": [int(float(r["Comments (total)"])) for r in raw],
            "shares": [int(float(r["Reposts (total)"])) for r in raw],
            "impressions": [int(float(r["Impressions (total)"])) for r in raw],
        },
        dtype="Int64",
    )
    per = E.add_engagement_rate(days, preset="linkedin")
    own = np.array([float(r["Engagement rate (total)"]) for r in raw])
    assert np.allclose(per["engagement_rate"].to_numpy(), own, rtol=1e-9, atol=1e-12)


def _suffixed(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)([kmb]?)", text.strip().lower())
    assert m, text
    return float(m.group(1)) * {"": 1, "k": 1e3, "m": 1e6, "b": 1e9}[m.group(2)]


def test_follower_fallacy_on_the_instagram_top_accounts(shared):
    path = shared / "instagram_profiles" / "top_insta_influencers_data.csv"
    with open(path, newline="", encoding="utf-8-sig") as fh:
        raw = list(csv.DictReader(fh))
    table = pd.DataFrame(
        {
            "followers": [_suffixed(r["followers"]) for r in raw],
            "avg_likes": [_suffixed(r["avg_likes"]) for r in raw],
        }
    )
    res = E.follower_fallacy(table)
    sp = stats.spearmanr(table["followers"], table["avg_likes"])
    assert res["rho"].item() == pytest.approx(sp.statistic)
    assert res["n_accounts"].item() == 200
    assert res["low"].item() < res["rho"].item() < res["high"].item()


# -- properties ------------------------------------------------------------------------------
_counts = st.integers(min_value=0, max_value=500)


@st.composite
def _post_frames(draw, min_size=1):
    n = draw(st.integers(min_value=min_size, max_value=25))
    likes = draw(st.lists(_counts, min_size=n, max_size=n))
    comments = draw(st.lists(_counts, min_size=n, max_size=n))
    imps = draw(st.lists(st.integers(min_value=0, max_value=5000), min_size=n, max_size=n))
    return _posts(likes=likes, comments=comments, shares=[0] * n, impressions=imps)


_settings = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_settings
@given(_post_frames(), st.sampled_from(["median", "mean", "pooled"]), st.randoms())
def test_rates_do_not_depend_on_row_order(posts, agg, rnd):
    order = list(range(len(posts)))
    rnd.shuffle(order)
    a = E.engagement_rate(posts, aggregate=agg, ci=None)
    b = E.engagement_rate(posts.iloc[order], aggregate=agg, ci=None)
    assert a["n_posts"].item() == b["n_posts"].item()
    if a["n_posts"].item():
        assert b["rate"].item() == pytest.approx(a["rate"].item(), rel=1e-12)


@_settings
@given(_post_frames())
def test_pooled_rate_lies_between_per_post_rates(posts):
    per = E.add_engagement_rate(posts)["engagement_rate"].dropna()
    pooled = E.engagement_rate(posts, aggregate="pooled", ci=None)["rate"].item()
    if len(per):
        assert per.min() - 1e-12 <= pooled <= per.max() + 1e-12
    else:
        assert math.isnan(pooled)


@_settings
@given(_post_frames())
def test_zero_denominators_are_excluded_and_counted(posts):
    zero = int((posts["impressions"] == 0).sum())
    r = E.engagement_rate(posts, ci=None)
    assert r["n_excluded"].item() == zero
    assert r["n_posts"].item() + r["n_excluded"].item() == len(posts)
    li = E.engagement_rate(
        posts.assign(clicks=pd.array([0] * len(posts), dtype="Int64")), preset="linkedin", ci=None
    )
    assert (li["n_posts"].item(), li["n_excluded"].item()) == (len(posts), 0)


@_settings
@given(_post_frames(), st.sampled_from(["median", "mean", "pooled"]))
def test_interval_contains_the_estimate(posts, agg):
    r = E.engagement_rate(posts, aggregate=agg, n_boot=200, seed=4)
    if r["n_posts"].item() >= 2:
        assert r["low"].item() <= r["rate"].item() <= r["high"].item()
    elif r["n_posts"].item() == 1:  # one post resampled is itself: no interval, said so
        assert math.isnan(r["low"].item()) and math.isnan(r["high"].item())
        assert r["interval"].item() == "none (a single post)"


# -- side by side, and against the exports' own columns -----------------------------------------
def test_compare_presets_keeps_each_formula_apart():
    posts = _posts(
        likes=[10, 5], comments=[2, 0], shares=[3, 0], clicks=[5, 15], impressions=[1000, 500]
    )
    c = E.compare_presets(posts, ci=None).set_index("preset")
    assert c.loc["sprout_social", "rate"] == pytest.approx(40 / 1500)
    assert c.loc["linkedin", "rate"] == pytest.approx(40 / 1500)  # same counts, other order
    assert c.loc["emplifi", "rate"] == pytest.approx(20 / 1500 * 1000)
    assert c.loc["custom", "rate"] == pytest.approx(np.median([15 / 1000, 5 / 500]))
    assert math.isnan(c.loc["rival_iq", "rate"]) and "followers" in c.loc["rival_iq", "note"]
    assert math.isnan(c.loc["x", "rate"]) and "x_engagements" in c.loc["x", "note"]
    assert c["formula"].is_unique


def test_reproduce_export_rate_finds_a_mismatch():
    days = _posts(
        clicks=[5, 1], likes=[4, 0], comments=[1, 0], shares=[0, 0], impressions=[100, 10]
    )
    days["engagement_rate"] = [0.1, 0.2]  # the second day should be 0.1
    r = E.reproduce_export_rate(days, "linkedin", "engagement_rate").iloc[0]
    assert (r["n_compared"], r["n_matching"]) == (2, 1)
    assert r["max_abs_difference"] == pytest.approx(0.1)


def test_best_times_leaves_out_posts_without_a_time_of_day():
    posts = _posts(likes=[1, 2, 3, 4, 5], comments=[0] * 5, shares=[0] * 5, impressions=[100] * 5)
    posts["published_at"] = pd.to_datetime(
        [
            "2024-01-01 00:00",
            "2024-01-02 00:00",
            "2024-01-03 00:00",
            "2024-01-01 10:15",
            "2024-01-01 00:00",
        ],
        utc=True,
    )
    posts["source_file"] = ["days.csv"] * 3 + ["times.csv"] * 2
    posts["source_row"] = pd.array([2, 3, 4, 2, 3], dtype="Int64")
    report = CleaningReport()
    grid = E.best_times(posts, min_posts=1, report=report)
    # days.csv: every post at midnight, a date without a time; times.csv keeps its midnight post
    assert grid["n_without_time"].iloc[0] == 3
    assert grid["n_posts"].sum() == 2
    assert grid.set_index(["weekday", "hour"]).loc[(0, 0), "n_posts"] == 1
    entries = report.to_frame()
    assert entries["file"].tolist() == ["days.csv"] * 3 and entries["row"].tolist() == [2, 3, 4]


def test_best_times_trusts_the_loaders_time_known_flag():
    """Posts a loader marked as date-only are left out, whatever their clock time says."""
    when = pd.to_datetime(
        ["2025-01-06 09:00", "2025-01-06 09:30", "2025-01-07 00:00", "2025-01-08 14:00"], utc=True
    )
    posts = pd.DataFrame(
        {
            "post_id": ["a", "b", "c", "d"],
            "platform": "x",
            "account": "acme",
            "published_at": when.as_unit("us"),
            "impressions": pd.array([100, 100, 100, 100], dtype="Int64"),
            "likes": pd.array([1, 2, 3, 4], dtype="Int64"),
            "comments": pd.array([0, 0, 0, 0], dtype="Int64"),
            "shares": pd.array([0, 0, 0, 0], dtype="Int64"),
            "time_known": pd.array([True, True, True, False], dtype="boolean"),
        }
    )
    grid = E.best_times(posts, min_posts=1)
    assert int(grid["n_without_time"].iloc[0]) == 1
    assert int(grid["n_posts"].sum()) == 3  # the 14:00 post is date-only: not counted
    # without the flag, a lone midnight post is a real time, not a filler
    grid2 = E.best_times(posts.drop(columns="time_known"), min_posts=1)
    assert int(grid2["n_posts"].sum()) == 4


# -- for reading: worded tables, sentences, names ----------------------------------------------
def test_readable_rates_write_each_rate_in_its_unit():
    rates = pd.DataFrame(
        {
            "platform": ["linkedin", "x", "x"],
            "rate": [0.03041, 38.951, math.nan],
            "low": [0.02625, 37.97, math.nan],
            "high": [0.03454, 39.95, math.nan],
            "n_posts": [119, 246, 0],
            "n_excluded": [0, 0, 246],
            "formula": ["median over posts of likes / impressions", "emplifi words", "x words"],
            "preset": ["custom", "emplifi", "x"],
            "unit": ["fraction", "per 1,000 impressions", "fraction"],
            "note": ["", "", "the X posts have no x_engagements"],
        }
    )
    before = rates.copy()
    out = E.readable_rates(rates)
    pd.testing.assert_frame_equal(rates, before)  # not mutated
    assert list(out.columns) == [
        "platform",
        "preset",
        "rate",
        "interval",
        "posts",
        "left out",
        "formula",
        "note",
    ]
    assert out["rate"].tolist() == ["3.04%", "38.95 per 1,000 impressions", ""]
    assert out["interval"].tolist() == ["2.62% to 3.45%", "37.97 to 39.95", ""]
    assert out["posts"].tolist() == [119, 246, 0] and out["left out"].tolist() == [0, 0, 246]
    # one preset and no notes: neither column is shown
    one = E.readable_rates(
        E.engagement_rate(
            _posts(likes=[1, 3], comments=[0, 0], shares=[0, 0], impressions=[100, 100]), ci=None
        )
    )
    assert list(one.columns) == ["rate", "interval", "posts", "left out", "formula"]
    assert one["rate"].item() == "2.00%" and one["interval"].item() == ""  # median of 1%, 3%
    with pytest.raises(RoiInputError, match="'n_posts'"):
        E.readable_rates(rates.drop(columns="n_posts"))


def test_readable_benchmarks_keep_small_medians_readable():
    mine = pd.DataFrame(
        {"rate": [0.0094], "preset": ["rival_iq"], "formula": [E.PRESETS["rival_iq"].describe()]}
    )
    comparison = E.compare_to_benchmark(mine, platform="instagram")
    out = E.readable_benchmarks(comparison)
    bench = E.load_benchmarks()
    bench = bench[bench["platform"] == "instagram"]
    assert out["year"].tolist() == [str(y) for y in bench["year"]]  # '2023', not '2,023'
    assert out["benchmark"].tolist() == [f"{v * 100:.3f}%" for v in bench["value"]]
    assert set(out["yours"]) == {"0.940%"} and set(out["comparable"]) == {"yes"}


def test_describe_left_out_counts_each_platform():
    posts = pd.DataFrame(
        {
            "platform": ["x"] * 3 + ["linkedin"] * 4 + ["facebook"],
            "content_type": [None, None, None, "video", None, "image", "text", "link"],
        }
    )
    # x: 3 of 3 without a type; linkedin: 1 of 4; facebook: none
    assert E.describe_left_out(posts, "content_type") == (
        "Left out of this chart: 1 of 4 LinkedIn posts and all 3 X posts, because their "
        "exports do not say what type each post is."
    )
    assert E.describe_left_out(posts[posts["platform"] == "facebook"]) == ""
    assert "all 3 X posts" in E.describe_left_out(posts.drop(columns="content_type").iloc[:3])
    with pytest.raises(ValueError, match="content_type, time_of_day"):
        E.describe_left_out(posts, "hour")


def test_describe_left_out_of_the_hours_follows_the_loaders_flag():
    posts = pd.DataFrame(
        {
            "platform": ["linkedin", "linkedin", "x", "x", "x"],
            "published_at": pd.to_datetime(["2025-01-06"] * 5, utc=True),
            "time_known": pd.array([False, False, False, True, pd.NA], dtype="boolean"),
        }
    )
    assert E.describe_left_out(posts, "time_of_day") == (
        "Left out of this chart: all 2 LinkedIn posts and 1 of 3 X posts, because their "
        "exports give the day each post went out, not the time."
    )


def test_formula_gaps_name_the_platforms_a_formula_cannot_rate():
    posts = pd.DataFrame(
        {
            "platform": ["x", "x", "linkedin", "linkedin", "linkedin"],
            "likes": [1, 2, 3, 4, 5],
            "comments": 0,
            "shares": 0,
            "impressions": 100,
            "x_engagements": [5, None, None, None, None],
            "followers": [None, None, 900, None, None],
        }
    )
    gaps = E.formula_gaps(posts, preset="x")
    # x has one post with X's engagements: not a gap; linkedin has none
    assert gaps[["platform", "n_posts", "missing"]].values.tolist() == [
        ["linkedin", 3, "x_engagements"]
    ]
    assert gaps["sentence"].item().startswith("3 LinkedIn posts left out: their export has no")
    assert E.formula_gaps(posts, preset="rival_iq")["platform"].tolist() == ["x"]
    assert E.formula_gaps(posts).empty  # likes, comments, shares, impressions everywhere
    # a column absent from the table is missing on every platform
    none = E.formula_gaps(posts.drop(columns="followers"), preset="rival_iq")
    assert none["platform"].tolist() == ["linkedin", "x"] and set(none["n_posts"]) == {2, 3}


def test_compare_presets_says_why_a_platform_has_no_rate():
    posts = _posts(likes=[3, 4, 5], comments=[0, 0, 0], shares=[0, 0, 0], impressions=[100] * 3)
    posts["platform"] = ["x", "linkedin", "linkedin"]
    posts["x_engagements"] = pd.array([9, None, None], dtype="Int64")
    c = E.compare_presets(posts, presets=["x", None], by="platform", ci=None)
    row = c.set_index(["preset", "platform"])
    assert row.loc[("x", "x"), "rate"] == pytest.approx(0.09) and row.loc[("x", "x"), "note"] == ""
    assert row.loc[("x", "linkedin"), "n_posts"] == 0
    assert row.loc[("x", "linkedin"), "note"] == "the LinkedIn posts have no x_engagements"
    assert set(row.xs("custom")["note"]) == {""}


def test_reproduce_export_rate_says_what_it_found():
    days = _posts(
        clicks=[5, 1, 2],
        likes=[4, 0, 1],
        comments=[1, 0, 0],
        shares=[0, 0, 0],
        impressions=[100, 10, 50],
    )
    days["engagement_rate"] = [0.1, 0.2, None]  # the second day should be 0.1; third: none
    r = E.reproduce_export_rate(days, "linkedin", "engagement_rate")
    assert r["sentence"].item() == (
        "1 of 2 posts match the export's own engagement_rate; the largest difference is 0.1. "
        "1 post has no engagement_rate in the export."
    )
    days["engagement_rate"] = [0.1, 0.1, 0.06]
    assert E.reproduce_export_rate(days, "linkedin", "engagement_rate")["sentence"].item() == (
        "All 3 posts with both rates match the export's own engagement_rate (largest difference 0)."
    )


def test_hide_private_accounts_keeps_organisations_and_hides_people():
    from roi_helpers.privacy import hide_people

    accounts = pd.DataFrame(
        {
            "platform": ["linkedin"] * 5,
            "account": ["acme-software", "Ana-Duarte-5a1b7c ", "jo-private", "Liv Sandberg", None],
            "followers": [5000, 900, 400, 300, 10],
            "email": ["press@acme.example", "", "", "", ""],
        }
    )
    before = accounts.copy()
    team = pd.DataFrame({"member": ["ana-duarte-5a1b7c"], "name": ["Ana Duarte"]})
    audience = pd.DataFrame(
        {"account": ["jo-private"], "person_id": ["liv-s-1"], "name": ["Liv Sandberg"]}
    )
    out = E.hide_private_accounts(accounts, audience=audience, team=team)
    pd.testing.assert_frame_equal(accounts, before)
    assert "email" not in out.columns
    assert out["account"].iloc[0] == "acme-software"  # an organisation: named
    assert pd.isna(out["account"].iloc[4])
    hidden = out["account"].iloc[1:4].tolist()
    # the same pseudonyms hide_people gives these names anywhere else in a report
    expected = hide_people(accounts.iloc[1:4], columns=["account"])["account"].tolist()
    assert hidden == expected and all(h.startswith("Person ") for h in hidden)
    shown = E.hide_private_accounts(accounts, True, audience=audience, team=team)
    assert shown["account"].tolist()[:4] == accounts["account"].tolist()[:4]
    assert E.hide_private_accounts(accounts)["account"].iloc[1] == "Ana-Duarte-5a1b7c "


def test_exports_used_counts_only_the_tables_asked_for():
    files = pd.DataFrame(
        {
            "file": ["x/a.csv", "x/b.csv", "x/c.csv", "ana/Connections.csv", "d.csv", "e.bin"],
            "source": [
                "x_tweet_activity",
                "x_tweet_activity",
                "x_tweet_activity",
                "linkedin_connections",
                "linkedin_connections",
                None,
            ],
            "kind": ["posts", "posts", None, "audience", None, None],
            "rows": [20, 12, 0, 300, 0, 0],
            "status": ["loaded", "loaded", "failed", "loaded", "failed", "skipped"],
            "message": ["", "", "x/c.csv: no header", "", "d.csv: bad", "not recognised"],
        }
    )
    out = E.exports_used(files, ["posts", "followers"])
    # the failed connections file gives audience, not posts: not listed; nor the skipped one
    assert out.values.tolist() == [["posts", "x_tweet_activity", 2, 32, 1, "x/c.csv: no header"]]


def test_exports_used_on_the_sample_matches_csv_counts(sample):
    from roi_helpers import load_dir

    out = E.exports_used(load_dir(sample).files, ["posts"]).set_index("format")
    tweets = sorted((sample / "x").glob("tweet_activity_metrics_*.csv"))
    rows = 0
    for path in tweets:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows += sum(1 for _ in csv.DictReader(fh))
    assert out.loc["x_tweet_activity", "files"] == len(tweets)
    assert out.loc["x_tweet_activity", "rows"] == rows
    assert set(out["table"]) == {"posts"} and out["failed"].sum() == 0


def test_key_findings_word_what_was_found():
    numbers = {
        "rate": 0.011613,
        "unit": "fraction",
        "formula": "median over posts of (likes + comments + shares) / impressions",
        "n_posts": 365,
        "rate_by_platform": {"x": 0.008549, "linkedin": 0.030398},
        "best_slot": {"weekday": "Wednesday", "hour": 9, "rate": 0.023246, "posts": 4},
        "time_zone": "Europe/Paris",
        "fallacy_rho": 0.3089,
        "fallacy_n": 31,
        "fallacy_measure": "avg_likes",
        "n_breakouts": 25,
        "linkedin_page_rate": 0.0762,
    }
    before = dict(numbers)
    f = E.key_findings(numbers)
    assert numbers == before
    assert f["headline"] == (
        "Engagement rate 1.16% over 365 posts (median over posts of (likes + comments + "
        "shares) / impressions): LinkedIn 3.04%, X 0.85%."
    )
    assert f["highlights"] == {
        "Engagement rate": "1.16%",
        "By platform": "LinkedIn 3.04% · X 0.85%",
        "Best slot": "Wednesday 09:00 Europe/Paris (2.32%, 4 posts)",
        "Followers vs average likes per post": "rho 0.31 (31 accounts)",
        "Breakout posts": "25 of 365",
    }  # five at most: LinkedIn's page rate does not fit


def test_key_findings_without_rated_posts():
    profiles = E.key_findings({"fallacy_rho": 0.62, "fallacy_n": 200, "fallacy_measure": "x"})
    assert profiles["headline"] == (
        "Across 200 accounts, followers and engagement show a strong positive rank "
        "correlation (Spearman rho = 0.62)."
    )
    weak = E.key_findings({"fallacy_rho": -0.2, "fallacy_n": 40, "fallacy_measure": "avg_likes"})
    assert "a weak negative rank correlation" in weak["headline"]
    assert "poor guide" in weak["headline"]
    page = E.key_findings({"linkedin_page_rate": 0.0762, "linkedin_days": 365, "n_posts": 0})
    assert page["headline"].startswith("LinkedIn's own page engagement rate is 7.62% over 365")
    assert page["highlights"] == {"LinkedIn page rate": "7.62%"}
    chosen = E.key_findings({"n_posts": 0, "n_posts_in_folder": 246, "fallacy_rho": 0.3})
    assert chosen["headline"].startswith("None of the 246 posts in this folder")
    empty = E.key_findings({})
    assert empty["headline"].startswith("No posts") and empty["highlights"] == {}
    per = E.key_findings(
        {"rate": 16.85, "unit": "per 1,000 impressions", "n_posts": 3, "formula": "f"}
    )
    assert per["highlights"]["Engagement rate"] == "16.85 per 1,000 impressions"


def test_fallacy_finding_names_columns_in_words():
    t = pd.DataFrame({"followers": [10, 20, 30, 40, 50], "avg_engagements": [5, 1, 4, 2, 3]})
    finding = E.follower_fallacy(t, engagement="avg_engagements")["finding"].item()
    assert finding.startswith("Across 5 accounts, followers and average engagements per post")


# -- the review's fixes ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample_data(sample):
    """The sample folder, loaded once for the tests below (they never change it)."""
    from roi_helpers import load_dir

    return load_dir(sample)


def test_a_negative_denominator_is_excluded_and_counted():
    posts = _posts(likes=[5, 3, 1], comments=[0] * 3, shares=[0] * 3, impressions=[100, 100, -2])
    per = E.add_engagement_rate(posts)
    assert per["excluded_because"].tolist()[2] == "impressions negative: a platform correction"
    assert math.isnan(per["engagement_rate"].iloc[2])
    report = CleaningReport()
    r = E.engagement_rate(posts, aggregate="pooled", n_boot=500, report=report)
    # 8 engagements over 200 impressions; the correction day is out, not a -50% post
    assert r["rate"].item() == pytest.approx(8 / 200)
    assert (r["n_posts"].item(), r["n_excluded"].item()) == (2, 1)
    assert 0 <= r["low"].item() <= r["rate"].item() <= r["high"].item() <= 1
    flagged = report.to_frame()
    assert flagged["original"].tolist() == ["impressions negative: a platform correction"]
    wilson = E.engagement_rate(posts, aggregate="pooled", interval="wilson")
    lo, hi = stats.binomtest(8, 200).proportion_ci(0.95, method="wilson")
    assert (wilson["low"].item(), wilson["high"].item()) == (pytest.approx(lo), pytest.approx(hi))


@st.composite
def _frames_with_corrections(draw):
    n = draw(st.integers(min_value=1, max_value=20))
    likes = draw(st.lists(_counts, min_size=n, max_size=n))
    imps = draw(st.lists(st.integers(min_value=-300, max_value=5000), min_size=n, max_size=n))
    return _posts(likes=likes, comments=[0] * n, shares=[0] * n, impressions=imps)


@_settings
@given(_frames_with_corrections(), st.sampled_from(["median", "mean", "pooled"]))
def test_negative_and_zero_denominators_never_enter_a_rate(posts, agg):
    bad = int((posts["impressions"] <= 0).sum())
    r = E.engagement_rate(posts, aggregate=agg, n_boot=100)
    assert r["n_excluded"].item() == bad
    assert r["n_posts"].item() == len(posts) - bad
    if r["n_posts"].item():
        assert r["rate"].item() >= 0
        assert r["low"].item() >= 0 if r["n_posts"].item() > 1 else math.isnan(r["low"].item())
        good = posts[posts["impressions"] > 0]
        if agg == "pooled":  # by hand, over the posts with a positive denominator only
            expected = good["likes"].sum() / good["impressions"].sum()
            assert r["rate"].item() == pytest.approx(float(expected))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_post_frames(min_size=2), st.sampled_from(["median", "mean", "pooled"]), st.randoms())
def test_intervals_do_not_depend_on_row_order(posts, agg, rnd):
    order = list(range(len(posts)))
    rnd.shuffle(order)
    shuffled = posts.iloc[order]
    for interval in ("bootstrap", "wilson"):
        a = E.engagement_rate(posts, aggregate=agg, n_boot=200, interval=interval)
        b = E.engagement_rate(shuffled, aggregate=agg, n_boot=200, interval=interval)
        assert (a["low"].item(), a["high"].item()) == pytest.approx(
            (b["low"].item(), b["high"].item()), nan_ok=True
        )
    two = posts.assign(platform=["x", "linkedin"] * (len(posts) // 2) + ["x"] * (len(posts) % 2))
    a = E.engagement_rate(two, aggregate=agg, by="platform", n_boot=200)
    b = E.engagement_rate(two.iloc[order], aggregate=agg, by="platform", n_boot=200)
    assert a[["low", "high"]].to_numpy() == pytest.approx(
        b[["low", "high"]].to_numpy(), nan_ok=True
    )


def test_the_interval_is_named_and_worded():
    posts = _posts(likes=[3, 5, 0], comments=[1, 0, 0], shares=[0, 1, 0], impressions=[90, 120, 40])
    boot = E.engagement_rate(posts, aggregate="pooled", n_boot=300)
    assert boot["interval"].item() == "bootstrap over posts (300 resamples, ratio of sums)"
    wilson = E.engagement_rate(posts, aggregate="pooled", interval="wilson")
    assert wilson["interval"].item() == "Wilson score (impressions as trials)"
    shown = E.readable_rates(pd.concat([boot, wilson], ignore_index=True))
    assert shown["interval by"].tolist() == [
        "95% bootstrap over posts",
        "95% Wilson, each impression a trial",
    ]
    days = posts.drop(columns="post_id").assign(date=pd.date_range("2025-01-01", periods=3))
    daily = E.engagement_rate(days, aggregate="pooled", n_boot=300)
    assert E.readable_rates(daily)["interval by"].item() == "95% bootstrap over days"
    with pytest.raises(ValueError, match="interval must be one of bootstrap, wilson"):
        E.engagement_rate(posts, interval="normal")


def _sample_x_times(sample: Path) -> list[datetime]:
    """Publication times of the sample's X tweet_activity posts, read with the csv module."""
    out = []
    for path in sorted((sample / "x").glob("tweet_activity_metrics_*.csv")):
        with open(path, newline="", encoding="utf-8-sig") as fh:
            out += [datetime.strptime(r["time"], "%Y-%m-%d %H:%M %z") for r in csv.DictReader(fh)]
    return out


def _sample_date_only(sample: Path) -> list[date]:
    """Days of the sample's posts whose exports give no time: X's content export and the
    LinkedIn page's post export (xlsx), read without the kit."""
    import openpyxl

    days = []
    with open(next((sample / "x").glob("*_account_analytics_content_*.csv")), newline="") as fh:
        days += [datetime.strptime(r["Date"], "%a %b %d %Y").date() for r in csv.DictReader(fh)]
    path = next((sample / "linkedin_page").glob("*.xlsx"))
    rows = list(
        openpyxl.load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True)
    )
    col = rows[1].index("Created date")
    days += [datetime.strptime(r[col], "%m/%d/%Y").date() for r in rows[2:] if r[0]]
    return days


def test_hour_groups_leave_out_the_samples_date_only_posts(sample, sample_data):
    posts = sample_data.posts
    timed, dated = _sample_x_times(sample), _sample_date_only(sample)
    assert len(posts) == len(timed) + len(dated) and len(dated) == 166
    report = CleaningReport()
    r = E.engagement_rate(posts, by="hour", ci=None, report=report)
    unknown = r[r["hour"].isna()].iloc[0]
    assert (unknown["n_posts"], unknown["n_excluded"]) == (0, 166)
    hours: dict[int, int] = {}
    for t in timed:
        hours[t.hour] = hours.get(t.hour, 0) + 1
    known = r[r["hour"].notna()]
    assert dict(zip(known["hour"].astype(int), known["n_posts"], strict=True)) == hours
    assert 0 not in hours and 0 not in set(known["hour"])  # no midnight group from days
    said = report.to_frame()
    assert (said["rule"] == "no time of day").sum() == 166


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Pacific/Auckland"])
def test_date_only_posts_keep_their_exports_day_in_any_time_zone(sample, sample_data, zone):
    from zoneinfo import ZoneInfo

    posts = sample_data.posts
    timed, dated = _sample_x_times(sample), _sample_date_only(sample)
    r = E.engagement_rate(posts, by="weekday", ci=None, time_zone=zone)
    days = [d.weekday() for d in dated] + [t.astimezone(ZoneInfo(zone)).weekday() for t in timed]
    expected = {d: days.count(d) for d in range(7)}
    got = dict(zip(r["weekday"].astype(int), r["n_posts"] + r["n_excluded"], strict=True))
    assert got == expected
    months = [d.replace(day=1) for d in dated]
    months += [t.astimezone(ZoneInfo(zone)).date().replace(day=1) for t in timed]
    trend = E.rate_trend(posts, window=1, ci=None, time_zone=zone)
    got = dict(zip(trend["month"].dt.date, trend["posts_in_month"], strict=True))
    assert {m: c for m, c in got.items() if c} == {m: months.count(m) for m in set(months)}


def test_a_date_only_post_on_the_first_stays_in_its_month():
    posts = _posts(likes=[1, 2], comments=[0, 0], shares=[0, 0], impressions=[10, 10])
    posts["published_at"] = pd.to_datetime(["2025-05-01", "2025-06-01"], utc=True)
    posts["time_known"] = pd.array([False, False], dtype="boolean")
    parts = E.add_time_parts(posts, "America/Los_Angeles")  # 00:00 UTC is the day before there
    assert parts["month"].dt.month.tolist() == [5, 6]
    assert parts["weekday_name"].tolist() == ["Thursday", "Sunday"]
    assert parts["hour"].isna().all()


def test_best_slot_says_no_post_has_a_time_of_day():
    posts = _posts(likes=[1, 2, 3], comments=[0] * 3, shares=[0] * 3, impressions=[100] * 3)
    posts["time_known"] = pd.array([False] * 3, dtype="boolean")
    slot = E.best_slot(E.best_times(posts))
    assert slot["weekday"] is None
    assert slot["sentence"].startswith("No post has a time of day: the exports of these 3 posts")
    assert "post more" not in slot["sentence"]
    none = E.best_slot(E.best_times(posts.assign(time_known=True, impressions=0)))
    assert none["sentence"] == "No post has a rate by this formula: there is no best slot."


def test_compare_presets_says_in_a_few_words_which_platform_lacks_a_column(sample_data):
    posts = sample_data.posts
    assert "followers" not in posts.columns  # the exports carry no follower counts
    n = posts["platform"].value_counts().to_dict()
    by = E.compare_presets(posts, by="platform", ci=None)
    rival = by[by["preset"] == "rival_iq"].set_index("platform")
    assert rival["note"].to_dict() == {
        "linkedin": "the LinkedIn posts have no followers",
        "x": "the X posts have no followers",
    }
    assert rival["n_excluded"].to_dict() == n and (rival["n_posts"] == 0).all()
    linkedin = posts[posts["platform"] == "linkedin"]
    one = E.compare_presets(linkedin, ci=None).set_index("preset")  # as the workshop shows it
    assert one.loc["rival_iq", "note"] == "the LinkedIn posts have no followers"
    assert one.loc["x", "note"] == "the LinkedIn posts have no x_engagements"
    assert one.loc["linkedin", "note"] == ""


def test_top_and_breakout_posts_need_a_minimum_denominator():
    likes = [1, 30, 20, 12, 11, 10, 13, 12]
    posts = _posts(
        likes=likes, comments=[0] * 8, shares=[0] * 8, impressions=[3, 1000] + [1000] * 6
    )
    top = E.top_posts(posts, n=3)
    assert top["post_id"].tolist() == ["p1", "p2", "p6"]  # 1 like on 3 impressions: not ranked
    b = E.breakout_posts(posts.iloc[::-1].assign(likes=likes), window=5, min_periods=3)
    thin = b.set_index("post_id").loc["p0"]
    assert math.isnan(thin["engagement_rate"]) and not thin["breakout"]
    assert thin["excluded_because"] == "impressions below 100: too few to rate alone"
    assert E.top_posts(posts, n=1, min_denominator=1)["post_id"].tolist() == ["p0"]


def test_select_days_chooses_platforms_and_dates_like_a_hand_filter():
    days = pd.DataFrame(
        {
            "platform": ["linkedin", "x", "linkedin", "linkedin", "x"],
            "date": pd.to_datetime(
                ["2025-03-31", "2025-04-01", "2025-04-01", "2025-06-30", "2025-07-01"]
            ),
        }
    )
    assert E.select_days(days, ["linkedin"], "2025-04-01", "2025-06-30").index.tolist() == [2, 3]
    assert E.select_days(days, [], "", "2025-04-01").index.tolist() == [0, 1, 2]
    assert E.select_days(days.drop(columns="date"), ["x"], column=None).index.tolist() == [1, 4]
    with pytest.raises(RoiInputError, match="start_date = '2025-13-01' is not a date"):
        E.select_days(days, None, "2025-13-01")
    with pytest.raises(RoiInputError, match="no 'date' column"):
        E.select_days(days.drop(columns="date"), None, "2025-01-01")


def test_follower_growth_in_a_window_starts_from_the_day_before():
    f = pd.DataFrame(
        {
            "platform": "x",
            "account": "a",
            "date": pd.date_range("2025-03-01", "2025-07-31", freq="D"),
        }
    )
    f["followers"] = pd.array(1000 + 3 * np.arange(len(f)), dtype="Int64")  # +3 a day
    g = E.follower_growth(f, start="2025-04-15", end="2025-06-10")
    # by hand: April 15-30 is 16 days of +3 from the total of April 14; May 31 days; June 1-10
    assert g["period"].dt.strftime("%Y-%m").tolist() == ["2025-04", "2025-05", "2025-06"]
    assert g["net_change"].tolist() == [48.0, 93.0, 30.0]
    start = int(f.loc[f["date"] == "2025-04-14", "followers"].item())
    assert g["followers_start"].iloc[0] == start
    assert g["days"].tolist() == [16, 31, 10]
    assert (
        g["net_change"].sum() == int(f.loc[f["date"] == "2025-06-10", "followers"].item()) - start
    )


def test_follower_growth_of_the_sample_in_a_window_matches_the_raw_file(sample, sample_data):
    with open(sample / "x" / "QuillmoorHQ_follower_totals.csv", newline="") as fh:
        totals = {r["date"]: int(r["followers"]) for r in csv.DictReader(fh)}
    followers = E.select_days(sample_data.followers, ["x"])
    g = E.follower_growth(followers, start="2025-04-01", end="2025-06-30")
    assert set(g["platform"]) == {"x"}
    assert g["net_change"].sum() == totals["2025-06-30"] - totals["2025-03-31"]


def test_no_posts_sentence_says_which_parameters_to_widen():
    assert E.no_posts_sentence(0) == "Skipped: this folder has no posts."
    assert E.no_posts_sentence(1234) == (
        "Skipped: no posts on the platforms and dates chosen (the folder has 1,234; widen "
        "platforms, start_date or end_date)."
    )


def test_one_post_has_no_bootstrap_interval_and_says_so():
    posts = _posts(likes=[5, 3], comments=[0, 0], shares=[0, 0], impressions=[100, 0])
    r = E.engagement_rate(posts, aggregate="pooled")
    assert (r["rate"].item(), r["n_posts"].item()) == (0.05, 1)
    assert math.isnan(r["low"].item()) and math.isnan(r["high"].item())
    assert r["interval"].item() == "none (a single post)"
    shown = E.readable_rates(r)
    assert shown["interval"].item() == "" and "interval by" not in shown
    wilson = E.engagement_rate(posts, aggregate="pooled", interval="wilson")
    lo, hi = stats.binomtest(5, 100).proportion_ci(0.95, method="wilson")
    assert (wilson["low"].item(), wilson["high"].item()) == (pytest.approx(lo), pytest.approx(hi))
    one = pd.DataFrame({"platform": ["x", "linkedin", "linkedin"], "content_type": None})
    assert E.describe_left_out(one) == (
        "Left out of this chart: all 2 LinkedIn posts and the only X post, because their "
        "exports do not say what type each post is."
    )
