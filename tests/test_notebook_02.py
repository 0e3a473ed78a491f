"""Notebook 02 runs headless on the sample data and on folders holding only one real export,
and the numbers it records agree with independent computations from the raw files."""

from __future__ import annotations

import csv
import re
from datetime import datetime
from pathlib import Path
from statistics import median

import pytest
from scipy import stats

pytestmark = pytest.mark.slow

NAME = "02_engagement_rates"


def _linked(tmp_path_factory: pytest.TempPathFactory, source: Path, name: str) -> Path:
    """A folder holding only symlinks to the shared files (never copies)."""
    folder = tmp_path_factory.mktemp(name)
    for path in sorted(source.iterdir()):
        (folder / path.name).symlink_to(path)
    return folder


def _x_rows(shared: Path) -> list[dict[str, str]]:
    rows = []
    for path in sorted((shared / "x_tweet_activity").glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as fh:
            rows += list(csv.DictReader(fh))
    return rows


@pytest.fixture(scope="module")
def x_june(shared, run_notebook, tmp_path_factory):
    folder = _linked(tmp_path_factory, shared / "x_tweet_activity", "x_only")
    return run_notebook(
        NAME,
        folder,
        platforms=["x"],
        start_date="2019-06-01",
        end_date="2019-06-30",
        preset="x",
        time_zone="Europe/Paris",
        min_posts_per_cell=2,
    )


def test_x_export_numbers_match_the_raw_files(x_june, shared):
    _, numbers = x_june
    june = [r for r in _x_rows(shared) if r["time"].startswith("2019-06")]
    assert numbers["n_posts"] == len(june)
    assert numbers["preset"] == "x"
    assert numbers["formula"] == "sum of x_engagements / sum of impressions"
    eng = sum(float(r["engagements"]) for r in june)
    imp = sum(float(r["impressions"]) for r in june)
    assert numbers["rate"] == pytest.approx(eng / imp)
    assert numbers["x_rate_pooled"] == pytest.approx(eng / imp)
    lo, hi = stats.binomtest(int(eng), int(imp)).proportion_ci(0.95, method="wilson")
    assert (numbers["rate_low"], numbers["rate_high"]) == (pytest.approx(lo), pytest.approx(hi))
    # every post's rate is the export's own `engagement rate`
    assert numbers["x_posts_compared"] == numbers["x_posts_matching"] == len(june)


def test_x_best_slot_is_counted_in_the_chosen_time_zone(x_june, shared):
    from zoneinfo import ZoneInfo

    _, numbers = x_june
    slots: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for r in _x_rows(shared):
        if not r["time"].startswith("2019-06"):
            continue
        when = datetime.strptime(r["time"], "%Y-%m-%d %H:%M %z").astimezone(
            ZoneInfo("Europe/Paris")
        )
        slots.setdefault((when.weekday(), when.hour), []).append(
            (float(r["engagements"]), float(r["impressions"]))
        )
    pooled = {
        k: sum(e for e, _ in v) / sum(i for _, i in v) for k, v in slots.items() if len(v) >= 2
    }
    (day, hour), rate = max(pooled.items(), key=lambda kv: kv[1])
    best = numbers["best_slot"]
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    assert (best["weekday"], best["hour"]) == (days[day], hour)
    assert best["rate"] == pytest.approx(rate)
    assert best["posts"] == len(slots[(day, hour)])
    assert numbers["masked_cells"] == sum(1 for v in slots.values() if len(v) < 2)


def test_x_sections_without_their_data_say_so(x_june):
    nb, numbers = x_june
    assert {"linkedin page", "kaushik", "follower fallacy"} <= set(numbers["sections_skipped"])
    text = "\n".join(
        o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
    )
    assert "Kaushik's rates are skipped" in text
    assert "follower fallacy check is skipped" in text


@pytest.fixture(scope="module")
def instagram(shared, run_notebook, tmp_path_factory):
    folder = _linked(tmp_path_factory, shared / "instagram_profiles", "instagram_only")
    return run_notebook(NAME, folder)


def _suffixed(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)([kmb]?)", text.strip().lower())
    assert m, text
    return float(m.group(1)) * {"": 1, "k": 1e3, "m": 1e6, "b": 1e9}[m.group(2)]


def test_follower_fallacy_on_instagram_profiles_matches_scipy(instagram, shared):
    nb, numbers = instagram
    path = shared / "instagram_profiles" / "top_insta_influencers_data.csv"
    with open(path, newline="", encoding="utf-8-sig") as fh:
        raw = list(csv.DictReader(fh))
    followers = [_suffixed(r["followers"]) for r in raw]
    likes = [_suffixed(r["avg_likes"]) for r in raw]
    rho = stats.spearmanr(followers, likes).statistic
    assert numbers["fallacy_rho"] == pytest.approx(rho)
    assert numbers["fallacy_n"] == len(raw) == 200
    assert numbers["fallacy_low"] < rho < numbers["fallacy_high"]
    # the finding is written from the numbers, and shown in the notebook
    assert f"rho = {rho:.2f}" in numbers["fallacy_finding"]
    shown = [
        o["data"]["text/markdown"]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if "text/markdown" in o.get("data", {})
    ]
    assert any(numbers["fallacy_finding"] in s for s in shown)
    assert numbers["n_posts"] == 0 and "posts" in numbers["sections_skipped"]


def test_instagram_names_are_pseudonymised_in_the_chart_labels(instagram, shared):
    nb, numbers = instagram
    path = shared / "instagram_profiles" / "top_insta_influencers_data.csv"
    with open(path, newline="", encoding="utf-8-sig") as fh:
        names = {r["channel_info"] for r in csv.DictReader(fh)}
    labels = numbers["fallacy_labels"]
    assert len(labels) == 3
    assert all(label.startswith("Person ") and label not in names for label in labels)
    images = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if "image/png" in o.get("data", {})
    ]
    assert images, "the follower fallacy chart is drawn"


@pytest.fixture(scope="module")
def facebook(shared, run_notebook, tmp_path_factory):
    folder = _linked(tmp_path_factory, shared / "facebook_insights", "facebook_only")
    return run_notebook(NAME, folder)


def test_facebook_export_alone(facebook, shared):
    import openpyxl

    _, numbers = facebook
    path = next((shared / "facebook_insights").glob("*.xlsx"))
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    ids = {r[0] for r in rows[2:] if r[0]}  # row 2 holds descriptions
    types = {r[rows[0].index("Type")].lower() for r in rows[2:] if r[0]}
    assert numbers["n_posts"] == len(ids) == 12  # the .xls and .xlsx copies deduplicated
    assert set(numbers["rate_by_content_type"]) == types
    assert numbers["rate_by_platform"].keys() == {"facebook"}
    assert {"x check", "kaushik", "follower fallacy"} <= set(numbers["sections_skipped"])


def test_sample_data(sample, run_notebook):
    if not any(p.is_file() and p.suffix in {".csv", ".xlsx"} for p in sample.rglob("*")):
        pytest.skip("data/sample holds no exports yet")
    nb, numbers = run_notebook(NAME, sample)
    assert numbers["n_posts"] > 0
    assert numbers["formula"] == "median over posts of (likes + comments + shares) / impressions"
    if "x_posts_compared" in numbers:
        assert numbers["x_posts_matching"] == numbers["x_posts_compared"] > 0
    if "linkedin_days" in numbers:
        assert numbers["linkedin_days_matching"] == numbers["linkedin_days"]
    rates = [v for v in numbers["rate_by_platform"].values() if v is not None]
    assert all(0 <= v <= 1 for v in rates)
    assert median(rates) > 0
