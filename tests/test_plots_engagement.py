"""Engagement charts: what is drawn matches the numbers, and every chart names its rate."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
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
    title = " ".join(ax.get_title(loc="left").split())  # wrapped to fit: read as one line
    assert f"Spearman rho = {res['rho'].item():.2f}" in title
    assert "1 account(s) with a zero or unknown value not drawn" in title


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
    assert set(ex.redraws.values()) == {1} and len(ex.redraws) == 7
    ex.controls["group"].value = "weekday"
    assert ex.redraws["by_group"] == 2
    assert sum(ex.redraws.values()) == 8  # nothing else redrawn
    ex.controls["formula"].value = next(
        k for k in ex.controls["formula"].options if "LinkedIn" in k
    )
    # the five views of a rate follow the formula; Kaushik's rates and the fallacy do not
    assert ex.redraws == {
        "summary": 2,
        "by_group": 3,
        "best_times": 2,
        "trend": 2,
        "breakouts": 2,
        "kaushik": 1,
        "fallacy": 1,
    }


def test_explorer_caches_and_follows_the_selection(explorer):
    ex, posts = explorer
    before = ex.cache_info().misses
    ex.controls["platforms"].value = ("x",)
    ex.controls["platforms"].value = ("linkedin", "x")  # back: served from the cache
    assert ex.cache_info().hits >= 7  # one result per view
    assert ex.cache_info().misses == before + 7
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
    assert "Engagement rate by content type (25 posts without a content type left out)" in (
        ax.get_title(loc="left")
    )
    # nothing but unknowns: a note, not an empty chart
    untyped = E.engagement_rate(posts.assign(content_type=None), by="content_type")
    ax = P.plot_rates(untyped)
    assert not ax.axison and "No post has a content type" in ax.texts[0].get_text()
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
    # LinkedIn alone: every view of a rate says so instead of drawing an empty chart
    ex.controls["platforms"].value = ("linkedin",)
    capsys.readouterr()
    for name, shown in ex.shown.items():
        if name in ("kaushik", "fallacy"):  # per follower: no formula, no x_engagements
            continue
        assert isinstance(shown, TooLittleData), name
        assert "80 LinkedIn posts left out: their export has no x_engagements" in str(shown)
    from matplotlib.axes import Axes

    assert isinstance(ex.shown["kaushik"], Axes)  # LinkedIn's posts have follower counts
    assert "Only 2 account(s)" in str(ex.shown["fallacy"])  # acme and beta: too few


def test_explorer_notes_posts_without_a_type_or_a_time(capsys):
    from matplotlib.axes import Axes

    from roi_helpers.widgets import TooLittleData

    ex = _explorer(_mixed(), capsys)
    assert ex.controls["group"].value == "content_type"
    # both platforms: LinkedIn's types are drawn, the 40 X posts without one are counted
    assert isinstance(ex.shown["by_group"], Axes)
    assert "(40 posts without a content type left out)" in ex.shown["by_group"].get_title(
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


# -- the review's fixes: hours, months, labels, the explorer's choices and people -----------------
def _boxes_overlap(texts) -> list[tuple[str, str]]:
    """Pairs of drawn texts whose boxes overlap (after a draw)."""
    fig = texts[0].figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts if t.get_text()]
    return [
        (a, b)
        for i, (a, box) in enumerate(boxes)
        for b, other in boxes[i + 1 :]
        if box.overlaps(other)
    ]


def test_rates_by_hour_leave_out_date_only_posts_and_read_in_hours():
    posts = _mixed()  # 40 X posts with a time of day, 80 LinkedIn posts with a day only
    rates = E.engagement_rate(posts, by="hour", n_boot=100)
    hours = posts["published_at"].iloc[:40].dt.hour  # the X posts' own hours, by hand
    assert rates["hour"].isna().sum() == 1
    unknown = rates[rates["hour"].isna()].iloc[0]
    assert (unknown["n_posts"], unknown["n_excluded"]) == (0, 80)
    known = rates[rates["hour"].notna()]
    assert dict(zip(known["hour"].astype(int), known["n_posts"], strict=True)) == (
        hours.value_counts().to_dict()
    )
    ax = P.plot_rates(rates, group="hour")
    title = ax.get_title(loc="left")
    assert title.startswith("Engagement rate by hour of day (80 posts without a time of day")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    expected = [
        f"{h:02d}:00 ({n} post{'s' if n > 1 else ''})"
        for h, n in sorted(hours.value_counts().items())
    ]
    assert labels == expected[::-1]  # in the day's order, the first hour at the top
    assert "interval, bootstrap over posts" in ax.get_xlabel()


def test_trend_of_one_month_is_not_one_bar_filling_the_chart():
    posts = _posts(40, seed=8)
    posts["published_at"] = pd.Timestamp("2024-04-03 10:00", tz="UTC") + pd.to_timedelta(
        np.arange(40) * 15, unit="h"
    )
    assert posts["published_at"].dt.month.unique().tolist() == [4]
    trend = E.rate_trend(posts, n_boot=200)
    ax = P.plot_rate_trend(trend)
    lo, hi = ax.get_xlim()
    assert hi - lo >= 4 * 28  # days: a few months wide, the bar (20 days) does not fill it
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Apr\n2024"]
    from matplotlib.collections import LineCollection

    caps = [c for c in ax.collections if isinstance(c, LineCollection)]  # an error bar
    (seg,) = caps[0].get_segments()
    row = trend.iloc[0]
    assert sorted(seg[:, 1]) == pytest.approx([row["low"], row["high"]])


@pytest.mark.parametrize("months", [3, 12, 30])
def test_trend_month_ticks_are_words_and_never_overlap(months):
    posts = _posts(months * 6, seed=months)
    posts["published_at"] = pd.Timestamp("2024-11-05", tz="UTC") + pd.to_timedelta(
        np.arange(months * 6) * 5, unit="D"
    )
    trend = E.rate_trend(posts, ci=None)
    assert len(trend) == months
    ax = P.plot_rate_trend(trend)
    labels = [t for t in ax.get_xticklabels() if t.get_text()]
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert labels[0].get_text() == "Nov\n2024"
    assert all(t.get_text().split("\n")[0] in names for t in labels)
    # every year with a tick says its year once, so "Feb" is never ambiguous
    ticks = pd.to_datetime([mdates.num2date(v).replace(tzinfo=None) for v in ax.get_xticks()])
    with_year = [int(t.get_text().split("\n")[1]) for t in labels if "\n" in t.get_text()]
    assert sorted(with_year) == sorted(set(ticks.year))
    assert len(labels) <= 12
    assert not _boxes_overlap(labels)


def test_breakout_dates_do_not_overlap():
    posts = _posts(80, seed=4)
    posts["published_at"] = pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(
        np.arange(80), unit="D"
    )
    hits = [40, 41, 42, 60, 61]  # breakouts on neighbouring days, at nearly the same rate
    posts.loc[hits, "impressions"] = 1000
    posts.loc[hits, "likes"] = [900, 905, 910, 880, 885]
    b = E.breakout_posts(posts, window=8, min_periods=4)
    assert b["breakout"].sum() >= 5
    ax = P.plot_breakouts(b, label=5)
    dates = [a for a in ax.texts if a.get_text()]
    assert len(dates) == 5
    top = b[b["breakout"]].nlargest(5, "score")["published_at"].dt.strftime("%d %b %Y")
    assert sorted(a.get_text() for a in dates) == sorted(top)
    assert not _boxes_overlap(dates)


def test_instagram_scatter_names_and_ticks_do_not_overlap(shared):
    from roi_helpers import load_dir

    profiles = load_dir(shared / "instagram_profiles").profiles
    biggest = profiles.nlargest(3, "followers")["account"]
    ax = P.plot_follower_fallacy(profiles, result=E.follower_fallacy(profiles), label=biggest)
    names = [a for a in ax.texts if a.get_text()]
    assert sorted(a.get_text() for a in names) == sorted(biggest)
    assert not _boxes_overlap(names)
    ticks = [t for t in ax.get_xticklabels(minor=True) + ax.get_xticklabels() if t.get_text()]
    assert not _boxes_overlap(ticks)
    inside = ax.get_window_extent()
    for a in names:  # every name inside the chart, none over the title
        box = a.get_window_extent()
        assert inside.x0 <= box.x0 and box.x1 <= inside.x1 and box.y1 <= inside.y1


def test_explorer_with_no_platform_asks_for_one(capsys):
    from roi_helpers.widgets import TooLittleData

    ex = _explorer(_mixed(), capsys)
    ex.controls["platforms"].value = ()
    capsys.readouterr()
    assert len(ex.shown) == 7
    note = ex.shown["summary"]  # said once, above the charts
    assert isinstance(note, TooLittleData)
    assert str(note).startswith("Pick at least one platform")
    assert all(ex.shown[name] is None for name in ex.shown if name != "summary")  # no chart
    ex.controls["platforms"].value = ("x",)
    assert "over 40 posts" in ex.shown["summary"]  # and back


def test_explorer_starts_from_the_notebooks_preset_and_dates(capsys):
    posts = _mixed()
    ex = _explorer(posts, capsys, preset="linkedin", start_date="2024-03-10", end_date="2024-05-02")
    assert _label_of("linkedin") == ex.controls["formula"].value
    assert ex.controls["months"].value == ("2024-03", "2024-05")
    # by hand: posts of March 1st to May 31st, whatever the day within the month
    day = posts["published_at"].dt.tz_localize(None)
    n = int(((day >= "2024-03-01") & (day < "2024-06-01")).sum())
    assert f"over {n} posts" in ex.shown["summary"]
    assert (
        "rate = sum of (clicks + likes + comments + shares) / sum of impressions"
        in (ex.shown["summary"])
    )
    assert "95% bootstrap over posts" in ex.shown["summary"]
    default = _explorer(posts, capsys, preset=None)
    assert default.controls["formula"].value.startswith("Kit default")


def _label_of(preset):
    from roi_helpers.widgets.engagement import PRESET_CHOICES

    return next(k for k, v in PRESET_CHOICES.items() if v == preset)


def test_explorer_offers_groupings_and_months_in_words(capsys):
    ex = _explorer(_mixed(), capsys)
    group = ex.controls["group"]
    assert [label for label, _ in group.options][:3] == ["content type", "platform", "account"]
    assert ("hour of day", "hour") in group.options
    months = ex.controls["months"]
    first, last = months.index
    # the readout joins two labels with "-": " Jan 2024 - Jul 2024 ", not "2024-01-2024-07"
    assert (months._options_labels[first].strip(), months._options_labels[last].strip()) == (
        "Jan 2024",
        "Jul 2024",
    )
    group.value = "hour"
    assert ex.shown["by_group"].get_title(loc="left").startswith("Engagement rate by hour of day")


def test_explorer_pseudonymises_a_team_members_account(capsys):
    from roi_helpers.privacy import pseudonym

    posts = _posts(60, seed=11)
    posts["account"] = np.where(np.arange(60) % 2, "ana-duarte-5a1b7c", "acme-software")
    team = pd.DataFrame({"member": ["ana-duarte-5a1b7c"], "name": ["Ana Duarte"]})
    ex = _explorer(posts, capsys, team=team)
    ex.controls["group"].value = "account"
    capsys.readouterr()
    hidden = pseudonym(pd.Series(["ana-duarte-5a1b7c"])).item()
    labels = " ".join(t.get_text() for t in ex.shown["by_group"].get_yticklabels())
    assert hidden in labels and "acme-software" in labels and "ana-duarte" not in labels
    legend = [t.get_text() for t in ex.shown["breakouts"].get_legend().get_texts()]
    assert f"{hidden}: rolling median" in legend
    assert not any("ana-duarte" in t for t in legend)
    shown = _explorer(posts, capsys, team=team, show_names=True)
    shown.controls["group"].value = "account"
    capsys.readouterr()
    labels = " ".join(t.get_text() for t in shown.shown["by_group"].get_yticklabels())
    assert "ana-duarte-5a1b7c" in labels
    assert (
        posts["account"] == np.where(np.arange(60) % 2, "ana-duarte-5a1b7c", "acme-software")
    ).all()


def test_explorer_draws_kaushik_and_the_fallacy_of_the_selection(capsys):
    from scipy import stats

    posts = _mixed()
    profiles = pd.DataFrame(
        {
            "platform": ["x", "x", "x", "x", "linkedin", "linkedin"],
            "account": ["a", "b", "c", "d", "e", "f"],
            "followers": [100, 2_000, 30_000, 400_000, 500, 9_000],
            "avg_likes": [3.0, 50.0, 20.0, 900.0, 8.0, 4.0],
        }
    )
    ex = _explorer(posts, capsys, profiles=profiles)
    ex.controls["platforms"].value = ("x",)
    capsys.readouterr()
    bars = [p.get_height() for p in ex.shown["kaushik"].patches if isinstance(p, Rectangle)]
    expected = E.kaushik_rates(posts[posts["platform"] == "x"], ci=None)
    assert bars[:3] == pytest.approx(expected["per_1000_followers"].tolist())
    x = profiles[profiles["platform"] == "x"]
    rho = stats.spearmanr(x["followers"], x["avg_likes"]).statistic
    title = " ".join(ex.shown["fallacy"].get_title(loc="left").split())
    assert f"rho = {rho:.2f}" in title and "n = 4" in title


def test_growth_of_a_cut_month_says_how_many_days_count():
    f = pd.DataFrame(
        {
            "platform": "x",
            "account": "a",
            "date": pd.date_range("2025-05-01", "2025-06-30", freq="D"),
        }
    )
    f["followers"] = pd.array(500 + 2 * np.arange(len(f)), dtype="Int64")
    g = E.follower_growth(f, start="2025-06-02", end="2025-06-08")  # a week's report
    ax = P.plot_follower_growth(g)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Jun 2025 (7 days)"]
    heights = [p.get_height() for p in ax.patches if isinstance(p, Rectangle) and p.get_height()]
    assert heights == [14.0]  # 7 days of +2, from the total of 1 June
    assert ax.get_title(loc="left") == "Follower growth: net followers gained per month"
    whole = P.plot_follower_growth(E.follower_growth(f))
    assert [t.get_text() for t in whole.get_xticklabels()] == ["May 2025", "Jun 2025"]


def test_a_group_of_one_post_says_post_and_a_thin_heatmap_has_no_colour_scale():
    rates = E.engagement_rate(_posts(7, seed=1), by="content_type", n_boot=50)
    ax = P.plot_rates(rates)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    singles = rates.loc[rates["n_posts"] == 1, "content_type"]
    assert len(singles) and all(f"{c} (1 post)" in labels for c in singles)
    grid = E.best_times(_posts(3, seed=2), min_posts=3)  # three posts, three slots: all thin
    assert grid["rate_shown"].isna().all() and grid["n_posts"].sum() == 3
    ax = P.plot_best_times(grid)
    assert len(ax.figure.axes) == 1  # no colour bar for colours that are not drawn
