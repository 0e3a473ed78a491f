"""Engagement charts: what is drawn matches the numbers, and every chart names its rate."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection, QuadMesh
from matplotlib.patches import Rectangle

from roi_helpers import engagement as E
from roi_helpers import plots
from roi_helpers.plots import engagement as P


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _posts(n: int = 60, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    imps = rng.integers(200, 3000, n)
    return pd.DataFrame(
        {
            "post_id": [f"p{i}" for i in range(n)],
            "platform": "linkedin",
            "account": rng.choice(["acme", "beta"], n),
            "published_at": pd.Timestamp("2024-01-01", tz="UTC")
            + pd.to_timedelta(rng.integers(0, 200 * 24, n), unit="h"),
            "content_type": rng.choice(["image", "video", "text"], n),
            "likes": pd.array(rng.binomial(imps, 0.02), dtype="Int64"),
            "comments": pd.array(rng.binomial(imps, 0.002), dtype="Int64"),
            "shares": pd.array(rng.binomial(imps, 0.001), dtype="Int64"),
            "clicks": pd.array(rng.binomial(imps, 0.01), dtype="Int64"),
            "impressions": pd.array(imps, dtype="Int64"),
            "followers": pd.array(rng.integers(5000, 6000, n), dtype="Int64"),
        }
    )


def test_every_chart_is_exported_from_the_plots_package():
    for name in P.__all__:
        assert getattr(plots, name) is getattr(P, name)


def test_rates_bars_and_intervals_match_the_table():
    rates = E.engagement_rate(_posts(), preset="linkedin", by="content_type")
    ax = P.plot_rates(rates)
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert sorted(b.get_width() for b in bars) == pytest.approx(sorted(rates["rate"]))
    caps = ax.collections[-1].get_segments()  # the error bars, one segment per group
    ends = np.array(sorted((seg[0][0], seg[1][0]) for seg in caps))
    expected = np.array(sorted(zip(rates["low"], rates["high"], strict=True)))
    assert ends.ravel() == pytest.approx(expected.ravel())
    labels = [t.get_text() for t in ax.get_yticklabels()]
    for _, row in rates.iterrows():
        assert f"{row['content_type']} ({row['n_posts']} posts)" in labels
    assert "rate = sum of (clicks + likes + comments + shares) / sum of impressions" in (
        ax.get_title(loc="left")
    )


def test_heatmap_hides_thin_cells_and_writes_counts():
    posts = _posts(200, seed=3)
    grid = E.best_times(posts, preset="sprout_social", min_posts=3, time_zone="Europe/Paris")
    ax = P.plot_best_times(grid)
    mesh = next(c for c in ax.collections if isinstance(c, QuadMesh))
    drawn = np.ma.masked_invalid(mesh.get_array()).reshape(7, 24)
    expected = grid.pivot(index="weekday", columns="hour", values="rate_shown").to_numpy()
    assert np.array_equal(np.ma.getmaskarray(drawn), np.isnan(expected))
    assert drawn.compressed() == pytest.approx(expected[~np.isnan(expected)])
    texts = {
        (round(t.get_position()[0] - 0.5), round(t.get_position()[1] - 0.5)): t.get_text()
        for t in ax.texts
    }
    for _, cell in grid[grid["n_posts"] > 0].iterrows():
        assert texts[(cell["hour"], cell["weekday"])] == str(cell["n_posts"])
    outlined = [
        p
        for p in ax.patches
        if p.get_edgecolor()[:3] != (0, 0, 0) and not p.get_fill() and p.get_linewidth() > 2
    ]
    best = grid[grid["rank"] == 1].iloc[0]
    assert (outlined[0].get_x(), outlined[0].get_y()) == (best["hour"], best["weekday"])
    assert "Europe/Paris" in ax.get_xlabel()
    assert "rate = sum of (likes + comments + shares + clicks)" in ax.get_title(loc="left")


def test_trend_line_follows_the_rates():
    trend = E.rate_trend(_posts(), window=2, n_boot=200)
    ax = P.plot_rate_trend(trend)
    line = ax.get_lines()[0]
    assert np.asarray(line.get_ydata(), dtype=float) == pytest.approx(trend["rate"].to_numpy())
    assert "rolling over 2 months" in ax.get_title(loc="left")
    assert "median over posts of (likes + comments + shares) / impressions" in ax.get_title(
        loc="left"
    )


def test_breakouts_highlight_exactly_the_breakout_posts():
    posts = _posts(80, seed=4)
    posts.loc[[30, 55], "likes"] = 900  # two posts far above the rest
    b = E.breakout_posts(posts, window=8, min_periods=4)
    ax = P.plot_breakouts(b)
    orange = [c for c in ax.collections if isinstance(c, PathCollection)][-1]
    assert len(orange.get_offsets()) == int(b["breakout"].sum())
    assert {"p30", "p55"} <= set(b.loc[b["breakout"], "post_id"])
    assert "rate = (likes + comments + shares) / impressions" in ax.get_title(loc="left")


def test_kaushik_bars_are_per_thousand_followers():
    k = E.kaushik_rates(_posts(), n_boot=200)
    ax = P.plot_kaushik(k)
    heights = [p.get_height() for p in ax.patches if isinstance(p, Rectangle)]
    assert heights[:3] == pytest.approx(k["per_1000_followers"].tolist())
    assert "count / followers x 1,000" in ax.get_title(loc="left")


def test_fallacy_scatter_is_log_log_and_leaves_out_zeros():
    t = pd.DataFrame({"followers": [10, 100, 1000, 10_000, 0], "avg_likes": [1, 30, 20, 200, 5]})
    res = E.follower_fallacy(t)
    ax = P.plot_follower_fallacy(t, result=res)
    assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
    assert len(ax.collections[0].get_offsets()) == 4
    assert f"Spearman rho = {res['rho'].item():.2f}" in ax.get_title(loc="left")
    assert "1 account(s) with a zero or unknown value not drawn" in ax.get_title(loc="left")


def test_growth_bars_are_the_net_changes():
    f = pd.DataFrame(
        {
            "platform": "x",
            "account": "a",
            "date": pd.date_range("2024-01-01", periods=70, freq="D"),
            "followers": pd.array(np.arange(1000, 1070) * 2, dtype="Int64"),
        }
    )
    g = E.follower_growth(f)
    ax = P.plot_follower_growth(g)
    heights = [p.get_height() for p in ax.patches if isinstance(p, Rectangle) and p.get_height()]
    assert heights == pytest.approx(g["net_change"].tolist())


@pytest.mark.parametrize(
    "draw",
    [
        lambda: P.plot_rates(E.engagement_rate(_posts().iloc[:0], by="content_type")),
        lambda: P.plot_best_times(E.best_times(_posts().assign(impressions=0))),
        lambda: P.plot_rate_trend(E.rate_trend(_posts().iloc[:0])),
        lambda: P.plot_breakouts(E.breakout_posts(_posts().assign(impressions=pd.NA))),
        lambda: P.plot_kaushik(E.kaushik_rates(_posts().assign(followers=pd.NA))),
        lambda: P.plot_follower_fallacy(pd.DataFrame({"followers": [1], "avg_likes": [1]})),
        lambda: P.plot_follower_growth(
            E.follower_growth(
                _posts()
                .iloc[:0]
                .assign(date=pd.Series(dtype="datetime64[us]"), followers=pd.Series(dtype="Int64"))
            )
        ),
    ],
)
def test_empty_data_says_so_on_the_chart(draw):
    ax = draw()
    assert not ax.axison
    assert ax.texts and ax.texts[0].get_text()


def test_charts_draw_on_a_given_axes():
    fig, axes = plt.subplots(1, 2)
    posts = _posts()
    assert P.plot_rates(E.engagement_rate(posts, by="platform"), ax=axes[0]) is axes[0]
    assert P.plot_kaushik(E.kaushik_rates(posts, ci=None), ax=axes[1]) is axes[1]


# -- the explorer ------------------------------------------------------------------------------
@pytest.fixture()
def explorer(capsys):
    from roi_helpers.widgets.engagement import engagement_explorer

    posts = _posts(120, seed=9)
    posts.loc[posts.index[:40], "platform"] = "x"
    ex = engagement_explorer(posts, n_boot=100)
    capsys.readouterr()  # outside Jupyter, views print their output
    return ex, posts


def test_explorer_redraws_only_what_a_control_feeds(explorer):
    ex, _ = explorer
    assert set(ex.redraws.values()) == {1}
    ex.controls["group"].value = "weekday"
    assert ex.redraws["by_group"] == 2
    assert sum(ex.redraws.values()) == 6  # nothing else redrawn
    ex.controls["formula"].value = next(
        k for k in ex.controls["formula"].options if "LinkedIn" in k
    )
    assert set(ex.redraws.values()) == {2, 3}


def test_explorer_caches_and_follows_the_selection(explorer):
    ex, posts = explorer
    before = ex.cache_info().misses
    ex.controls["platforms"].value = ("x",)
    ex.controls["platforms"].value = ("linkedin", "x")  # back: served from the cache
    assert ex.cache_info().hits >= 5  # one result per view
    assert ex.cache_info().misses == before + 5
    summary = next(v for v in ex.views if v.name == "summary")
    ex.controls["platforms"].value = ("x",)
    text = summary.draw(ex.values)
    assert f"over {int((posts['platform'] == 'x').sum())} posts" in text


def test_explorer_says_when_a_formula_cannot_be_computed(explorer):
    from roi_helpers.widgets import TooLittleData

    ex, _ = explorer
    ex.controls["formula"].value = next(k for k in ex.controls["formula"].options if "X:" in k)
    trend = next(v for v in ex.views if v.name == "trend")
    with pytest.raises(TooLittleData, match="x_engagements"):
        trend.draw(ex.values)


def test_select_posts_by_platform_and_dates():
    from roi_helpers.engagement import select_posts

    posts = _posts(100, seed=2)
    days = posts["published_at"].dt.tz_localize(None).dt.normalize()
    got = select_posts(posts, ["linkedin"], "2024-02-01", "2024-03-31")
    expected = sum(pd.Timestamp("2024-02-01") <= d <= pd.Timestamp("2024-03-31") for d in days)
    assert len(got) == expected


# -- what the charts leave out, and say so --------------------------------------------------------
def test_rates_bars_leave_out_posts_without_a_group():
    posts = _posts(90, seed=5)
    posts.loc[posts.index[:25], "content_type"] = None  # as X's exports: no type
    rates = E.engagement_rate(posts, by="content_type")
    assert rates["content_type"].isna().sum() == 1  # the unknown group is in the table
    ax = P.plot_rates(rates)
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    known = rates[rates["content_type"].notna()]
    assert sorted(b.get_width() for b in bars) == pytest.approx(sorted(known["rate"]))
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert not any(label.startswith("unknown") for label in labels)
    assert "(25 posts without a content_type left out)" in ax.get_title(loc="left")
    # nothing but unknowns: a note, not an empty chart
    untyped = E.engagement_rate(posts.assign(content_type=None), by="content_type")
    ax = P.plot_rates(untyped)
    assert not ax.axison and "No post says its content_type" in ax.texts[0].get_text()
    assert "(90 posts)" in ax.texts[0].get_text()


def test_heatmap_of_date_only_posts_says_why_it_is_empty():
    posts = _posts(30, seed=6).assign(time_known=pd.array([False] * 30, dtype="boolean"))
    ax = P.plot_best_times(E.best_times(posts))
    assert not ax.axison
    assert ax.texts[0].get_text() == (
        "The exports of these 30 posts give the day each went out, not the time: no hour to show."
    )


def test_fallacy_scatter_marks_your_accounts_and_names_axes_in_words():
    t = pd.DataFrame(
        {
            "account": ["mine", "big", "small", "mid", "also-mine"],
            "followers": [300, 90_000, 50, 4_000, 700],
            "avg_likes": [12, 40, 2, 9, 30],
        }
    )
    ax = P.plot_follower_fallacy(t, label=["big"], highlight=["mine", "also-mine"])
    mine = [c for c in ax.collections if isinstance(c, PathCollection)][-1]
    expected = t.loc[t["account"].isin(["mine", "also-mine"]), ["followers", "avg_likes"]]
    assert sorted(map(tuple, mine.get_offsets().tolist())) == sorted(
        map(tuple, expected.to_numpy(dtype=float).tolist())
    )
    others = [c for c in ax.collections if isinstance(c, PathCollection)][0]
    assert len(others.get_offsets()) == 3
    assert sorted(a.get_text() for a in ax.texts) == ["also-mine", "big", "mine"]
    assert ax.get_ylabel() == "average likes per post (log scale)"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["your accounts"]


def test_kaushik_values_sit_beside_their_error_bars():
    k = E.kaushik_rates(_posts(), n_boot=200)
    ax = P.plot_kaushik(k)
    labels = [a for a in ax.texts if a.get_text()]
    assert [a.get_text() for a in labels] == [f"{v:.2f}" for v in k["per_1000_followers"]]
    assert all(a.xyann[0] > 0 for a in labels)  # offset to the right of the bar's centre


# -- the explorer on mixed platforms --------------------------------------------------------------
def _mixed() -> pd.DataFrame:
    """40 X posts (no type, X's engagements, times) and 80 LinkedIn posts (types, days only)."""
    posts = _posts(120, seed=9)
    x = posts.index[:40]
    posts.loc[x, "platform"] = "x"
    posts.loc[x, "content_type"] = None
    posts["x_engagements"] = pd.array([pd.NA] * 120, dtype="Int64")
    posts.loc[x, "x_engagements"] = posts.loc[x, "likes"] + 7
    posts["time_known"] = pd.array([True] * 40 + [False] * 80, dtype="boolean")
    return posts


def _explorer(posts, capsys, **options):
    from roi_helpers.widgets.engagement import engagement_explorer

    ex = engagement_explorer(posts, n_boot=50, **options)
    capsys.readouterr()
    return ex


def _choose(ex, start: str) -> None:
    ex.controls["formula"].value = next(
        k for k in ex.controls["formula"].options if k.startswith(start)
    )


def test_explorer_offers_every_platform_and_starts_on_the_chosen_ones(capsys):
    ex = _explorer(_mixed(), capsys, platforms=["x"])
    assert ex.controls["platforms"].options == ("linkedin", "x")
    assert ex.controls["platforms"].value == ("x",)
    assert "over 40 posts" in ex.shown["summary"]
    everything = _explorer(_mixed(), capsys)
    assert everything.controls["platforms"].value == ("linkedin", "x")
    assert "over 120 posts" in everything.shown["summary"]


def test_explorer_says_which_platform_a_formula_leaves_out(capsys):
    from roi_helpers.widgets import TooLittleData

    ex = _explorer(_mixed(), capsys)
    _choose(ex, "X:")
    capsys.readouterr()
    # both platforms: a rate over the 40 X posts, and a visible line on the 80 LinkedIn ones
    assert "over 40 posts, 80 left out" in ex.shown["summary"]
    assert "⚠ 80 LinkedIn posts left out: their export has no x_engagements" in ex.shown["summary"]
    # LinkedIn alone: every view says so instead of drawing an empty chart
    ex.controls["platforms"].value = ("linkedin",)
    capsys.readouterr()
    for name, shown in ex.shown.items():
        assert isinstance(shown, TooLittleData), name
        assert "80 LinkedIn posts left out: their export has no x_engagements" in str(shown)


def test_explorer_notes_posts_without_a_type_or_a_time(capsys):
    from matplotlib.axes import Axes

    from roi_helpers.widgets import TooLittleData

    ex = _explorer(_mixed(), capsys)
    assert ex.controls["group"].value == "content_type"
    # both platforms: LinkedIn's types are drawn, the 40 X posts without one are counted
    assert isinstance(ex.shown["by_group"], Axes)
    assert "(40 posts without a content_type left out)" in ex.shown["by_group"].get_title(
        loc="left"
    )
    ex.controls["platforms"].value = ("x",)
    capsys.readouterr()
    note = ex.shown["by_group"]
    assert isinstance(note, TooLittleData)
    assert str(note).startswith("Left out of this chart: all 40 X posts, because their exports")
    assert isinstance(ex.shown["best_times"], Axes)  # X's posts have their hour
    ex.controls["platforms"].value = ("linkedin",)
    capsys.readouterr()
    assert isinstance(ex.shown["best_times"], TooLittleData)
    assert "all 80 LinkedIn posts" in str(ex.shown["best_times"])
    assert "not the time" in str(ex.shown["best_times"])
