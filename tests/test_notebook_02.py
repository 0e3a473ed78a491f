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
FIXTURES = Path(__file__).parent / "fixtures" / "engagement"


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
        interval="wilson",  # as X's own tools would: every impression a trial
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
    assert numbers["rate_interval"] == "Wilson score (impressions as trials)"
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


def test_instagram_public_accounts_are_named_in_the_chart_labels(instagram, shared):
    """Top Instagram accounts are public accounts, not connections: their names are shown."""
    nb, numbers = instagram
    path = shared / "instagram_profiles" / "top_insta_influencers_data.csv"
    with open(path, newline="", encoding="utf-8-sig") as fh:
        raw = list(csv.DictReader(fh))
    by_size = sorted(raw, key=lambda r: _suffixed(r["followers"]), reverse=True)
    assert _suffixed(by_size[2]["followers"]) > _suffixed(by_size[3]["followers"])  # no tie
    assert numbers["fallacy_labels"] == [r["channel_info"] for r in by_size[:3]]
    images = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if "image/png" in o.get("data", {})
    ]
    assert images, "the follower fallacy chart is drawn"


def test_instagram_headline_is_the_follower_fallacy(instagram, shared):
    _, numbers = instagram
    path = shared / "instagram_profiles" / "top_insta_influencers_data.csv"
    with open(path, newline="", encoding="utf-8-sig") as fh:
        raw = list(csv.DictReader(fh))
    rho = stats.spearmanr(
        [_suffixed(r["followers"]) for r in raw], [_suffixed(r["avg_likes"]) for r in raw]
    ).statistic
    assert numbers["headline"].startswith(f"Across {len(raw)} accounts, followers and average")
    assert f"(Spearman rho = {rho:.2f})" in numbers["headline"]
    assert numbers["highlights"] == {
        "Followers vs average likes per post": f"rho {rho:.2f} ({len(raw)} accounts)"
    }
    assert "no_data" not in numbers


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


@pytest.fixture(scope="module")
def sample_run(sample, run_notebook):
    if not any(p.is_file() and p.suffix in {".csv", ".xlsx"} for p in sample.rglob("*")):
        pytest.skip("data/sample holds no exports yet")
    return run_notebook(NAME, sample)


def test_sample_data(sample_run):
    nb, numbers = sample_run
    assert numbers["n_posts"] > 0
    assert numbers["formula"] == "median over posts of (likes + comments + shares) / impressions"
    if "x_posts_compared" in numbers:
        assert numbers["x_posts_matching"] == numbers["x_posts_compared"] > 0
    if "linkedin_days" in numbers:
        assert numbers["linkedin_days_matching"] == numbers["linkedin_days"]
    rates = [v for v in numbers["rate_by_platform"].values() if v is not None]
    assert all(0 <= v <= 1 for v in rates)
    assert median(rates) > 0


def _outputs(nb) -> list[tuple[int, str]]:
    """(cell index, text) of every output a reader sees: text, HTML, Markdown."""
    found = []
    for i, c in enumerate(nb.cells):
        for o in c.get("outputs", []) if c.cell_type == "code" else []:
            texts = [o.get("text", "")]
            texts += [
                o.get("data", {}).get(k, "") for k in ("text/plain", "text/html", "text/markdown")
            ]
            found.append((i, "\n".join(t if isinstance(t, str) else "".join(t) for t in texts)))
    return found


def _heading(nb, text: str) -> int:
    return next(
        i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith(text)
    )


def _team(sample: Path) -> list[str]:
    with open(sample / "team.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [r["member"] for r in rows] + [r["name"] for r in rows]


def test_sample_page_names_no_person_and_reports_only_its_tables(sample_run, sample, tmp_path):
    nb, numbers = sample_run
    shown = "\n".join(text for _, text in _outputs(nb))
    people = _team(sample)  # members' folder names and names (one posted LinkedIn posts)
    assert len(people) == 12
    for who in people + ["Connections.csv", "linkedin/"]:
        assert who not in shown, who
    # the cleaning report: one section near the end, after the last analysis section
    assert _heading(nb, "## Cleaning report") > _heading(nb, "## How do I compare")
    report_cells = [i for i, text in _outputs(nb) if "<b>Cleaning report</b>" in text]
    assert report_cells == [_heading(nb, "## Cleaning report") + 1]
    # near the top, one line counts the rows read from these tables' files
    first = next(text for i, text in _outputs(nb) if "rows read" in text)
    assert "details in the cleaning report at the end" in first


def test_sample_cleaning_csv_holds_only_the_notebooks_files(sample_run, sample):
    nb, _ = sample_run
    out_dir = Path(nb.metadata["papermill"]["parameters"]["output_dir"])
    with open(out_dir / f"{NAME}.cleaning.csv", newline="", encoding="utf-8") as fh:
        files = {r["file"] for r in csv.DictReader(fh)}
    not_ours = {"crm_accounts.csv", "events.csv", "team.csv"}
    not_ours |= {str(p.relative_to(sample)) for p in sample.glob("linkedin/*/Connections.csv")}
    assert files and not files & not_ours
    assert {"x/QuillmoorHQ_account_analytics_content_20251101_20251231.csv"} <= files


def _x_sample_posts(sample: Path) -> int:
    n = 0
    for path in sorted((sample / "x").glob("*.csv")):
        with open(path, newline="", encoding="utf-8-sig") as fh:
            header = next(csv.reader(fh))
            if "Post id" in header or "Tweet id" in header:
                n += sum(1 for _ in csv.reader(fh))
    return n


def test_sample_content_types_leave_out_the_x_posts_and_say_so(sample_run, sample):
    import openpyxl

    nb, numbers = sample_run
    path = next((sample / "linkedin_page").glob("*.xlsx"))
    rows = list(
        openpyxl.load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True)
    )
    types = {r[rows[1].index("Content Type")].lower() for r in rows[2:] if r[0]}
    assert set(numbers["rate_by_content_type"]) == types  # no "nan" bar for X's posts
    n_x = _x_sample_posts(sample)
    said = f"Left out of this chart: all {n_x} X posts, because their exports do not say"
    cell = _heading(nb, "## Which kind of content engages?") + 1
    assert any(said in text for i, text in _outputs(nb) if i == cell)


def test_sample_follower_fallacy_names_the_peer_accounts(sample_run, sample):
    _, numbers = sample_run
    with open(sample / "peer_accounts.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    by_size = sorted(rows, key=lambda r: int(r["followers"]), reverse=True)
    assert numbers["fallacy_labels"] == [r["account"] for r in by_size[:3]]
    rho = stats.spearmanr(
        [int(r["followers"]) for r in rows], [float(r["avg_likes"]) for r in rows]
    ).statistic
    assert numbers["fallacy_rho"] == pytest.approx(rho)


def test_sample_headline_and_highlights_are_worded_from_the_numbers(sample_run):
    nb, numbers = sample_run
    by = numbers["rate_by_platform"]
    assert numbers["headline"] == (
        f"Engagement rate {numbers['rate']:.2%} over {numbers['n_posts']} posts "
        f"({numbers['formula']}): LinkedIn {by['linkedin']:.2%}, X {by['x']:.2%}."
    )
    h = numbers["highlights"]
    assert 3 <= len(h) <= 5
    assert h["Engagement rate"] == f"{numbers['rate']:.2%}"
    slot = numbers["best_slot"]
    assert h["Best slot"] == (
        f"{slot['weekday']} {slot['hour']:02d}:00 UTC ({slot['rate']:.2%}, {slot['posts']} posts)"
    )
    assert h["Breakout posts"] == f"{numbers['n_breakouts']} of {numbers['n_posts']}"
    last = _outputs(nb)[-1][1]
    assert numbers["headline"] in last and all(v in last for v in h.values())


def test_sample_tables_are_shown_for_reading(sample_run):
    nb, _ = sample_run
    tables = [
        text
        for _, text in _outputs(nb)
        if "<table" in text and "<b>Cleaning report</b>" not in text
    ]
    assert len(tables) >= 8
    # every one through tables.show: a Styler (ids T_...), with no index column
    assert all('id="T_' in t and "row_heading" not in t for t in tables)
    assert not any(re.search(r"<td[^>]*>0\.0[0-9]{3,}</td>", t) for t in tables), "raw fractions"


@pytest.fixture(scope="module")
def private(run_notebook):
    return run_notebook(NAME, FIXTURES / "private_accounts")


def test_people_among_profiles_stay_pseudonymous(private):
    """A team member's and a connection export owner's accounts are people: pseudonyms."""
    import pandas as pd

    from roi_helpers.privacy import pseudonym

    nb, numbers = private
    with open(FIXTURES / "private_accounts" / "profiles.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    top = [r["account"] for r in sorted(rows, key=lambda r: -int(r["followers"]))[:3]]
    assert top == ["ana-duarte-5a1b7c", "acme-software", "jo-private"]
    hidden = pseudonym(pd.Series(top)).tolist()
    assert numbers["fallacy_labels"] == [hidden[0], "acme-software", hidden[2]]
    shown = "\n".join(text for _, text in _outputs(nb))
    for who in ("ana-duarte", "Ana Duarte", "jo-private", "Liv", "Sandberg", "Omar"):
        assert who not in shown, who
    rho = stats.spearmanr(
        [int(r["followers"]) for r in rows], [float(r["avg_likes"]) for r in rows]
    ).statistic
    assert numbers["fallacy_rho"] == pytest.approx(rho)


def test_a_folder_of_connections_only_is_recorded_as_no_data(run_notebook):
    nb, numbers = run_notebook(NAME, FIXTURES / "private_accounts" / "jo-private")
    assert numbers["no_data"] == (
        "no posts, account profiles or LinkedIn page analytics in this folder"
    )
    assert numbers["headline"].startswith("No posts, account profiles or page analytics")
    assert numbers["n_posts"] == 0 and "posts" in numbers["sections_skipped"]
    shown = "\n".join(text for _, text in _outputs(nb))
    for who in ("Liv", "Sandberg", "Omar", "Haddad", "jo-private", "Connections.csv"):
        assert who not in shown, who


# -- the review's fixes: parameters apply to every table, empty sections say so, people --------
@pytest.fixture(scope="module")
def linkedin_spring(sample, run_notebook):
    return run_notebook(
        NAME, sample, platforms=["linkedin"], start_date="2025-04-01", end_date="2025-06-30"
    )


def _in_spring(day: str) -> bool:
    return "2025-04-01" <= day <= "2025-06-30"


def test_page_days_and_followers_follow_the_platforms_and_dates(linkedin_spring, sample):
    import openpyxl

    _, numbers = linkedin_spring
    with open(sample / "linkedin_page" / "quillmoor-software_content.csv", newline="") as fh:
        days = [r for r in csv.DictReader(fh) if _in_spring(r["Date"])]
    assert numbers["linkedin_days"] == len(days) == 91  # not the 365 days of the export
    eng = sum(
        int(r[f"{c} (total)"]) for r in days for c in ("Clicks", "Reactions", "Comments", "Reposts")
    )
    imp = sum(int(r["Impressions (total)"]) for r in days)
    assert numbers["linkedin_page_rate"] == pytest.approx(eng / imp)
    assert numbers["linkedin_days_matching"] == 91
    # followers: LinkedIn's only (not X's), gained from the end of 31 March to 30 June
    with open(sample / "linkedin_page" / "quillmoor-software_followers.csv", newline="") as fh:
        total = {r["Date"]: int(r["Cumulative Followers"]) for r in csv.DictReader(fh)}
    assert numbers["net_new_followers"] == total["2025-06-30"] - total["2025-03-31"]
    path = next((sample / "linkedin_page").glob("*.xlsx"))
    rows = list(
        openpyxl.load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True)
    )
    col = rows[1].index("Created date")
    posted = [datetime.strptime(r[col], "%m/%d/%Y").strftime("%Y-%m-%d") for r in rows[2:] if r[0]]
    assert numbers["n_posts"] == sum(_in_spring(d) for d in posted)
    assert numbers["rate_by_platform"].keys() == {"linkedin"}
    assert "x check" in numbers["sections_skipped"]


def test_date_only_posts_give_no_best_slot_and_no_empty_chart(linkedin_spring):
    nb, numbers = linkedin_spring  # LinkedIn's post export gives days, not times
    assert numbers["best_slot"]["weekday"] is None
    assert numbers["best_slot"]["sentence"].startswith("No post has a time of day")
    start = _heading(nb, "## When should I post?")
    end = _heading(nb, "## Is engagement rising or falling?")
    section = [c for c in nb.cells[start + 1 : end] if c.cell_type == "code"]
    images = [o for c in section for o in c.outputs if "image/png" in o.get("data", {})]
    assert not images  # a sentence, not a blank chart area
    text = "\n".join(text for i, text in _outputs(nb) if start < i < end)
    assert numbers["best_slot"]["sentence"] in text and "post more" not in text


def test_the_pooled_interval_is_a_bootstrap_and_says_so(linkedin_spring):
    nb, numbers = linkedin_spring
    assert numbers["rate_interval"].startswith("bootstrap over posts")
    cell = _heading(nb, "## What is my engagement rate?") + 1
    shown = next(text for i, text in _outputs(nb) if i == cell)
    assert "interval by" in shown and "95% bootstrap over posts" in shown


def test_breakouts_in_a_window_keep_their_baseline_from_earlier_posts(
    linkedin_spring, sample_run, sample
):
    """A window's breakouts are those of the whole history that fall in it: the posts
    before the window make the baseline of its first posts."""
    import openpyxl

    path = next((sample / "linkedin_page").glob("*.xlsx"))
    rows = list(
        openpyxl.load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True)
    )
    link, created = rows[1].index("Post link"), rows[1].index("Created date")
    day = {
        r[link].rsplit("/", 1)[-1]: datetime.strptime(r[created], "%m/%d/%Y").strftime("%Y-%m-%d")
        for r in rows[2:]
        if r[0]
    }
    _, spring = linkedin_spring
    _, full = sample_run
    expected = [p for p in full["breakout_post_ids"] if p in day and _in_spring(day[p])]
    assert expected, "the sample has LinkedIn breakouts in spring"
    assert spring["breakout_post_ids"] == expected
    assert spring["n_breakouts"] == len(expected)


_POST_SECTIONS = [
    "## One set of posts",
    "## What is my engagement rate?",
    "### X's own numbers",
    "## Which kind of content engages?",
    "## When should I post?",
    "## Is engagement rising or falling?",
    "## Which posts broke out?",
    "## Conversation, amplification, applause",
    "## How do I compare with published benchmarks?",
]


def test_every_section_on_posts_says_it_was_skipped(instagram):
    nb, numbers = instagram  # top Instagram profiles: no posts at all
    headings = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown"]
    outputs = _outputs(nb)
    for title in _POST_SECTIONS:
        start = _heading(nb, title)
        end = next(i for i in headings if i > start)
        text = "\n".join(t for i, t in outputs if start < i < end)
        assert "Skipped: this folder has no posts." in text, title
        assert "do not say" not in text, title  # no posts, not "no content type"
    page = _heading(nb, "### LinkedIn's page rate")
    assert any(
        "Skipped: no LinkedIn page days in this folder." in t for i, t in outputs if i > page
    )


def test_a_team_members_own_account_is_a_pseudonym_everywhere(private):
    import pandas as pd

    from roi_helpers.privacy import pseudonym

    nb, numbers = private
    with open(FIXTURES / "private_accounts" / "posts.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert numbers["n_posts"] == len(rows) == 60
    shown = "\n".join(text for _, text in _outputs(nb))
    for who in ("ana-duarte", "Ana Duarte", "ana-duarte-5a1b7c"):
        assert who not in shown, who
    hidden = pseudonym(pd.Series(["ana-duarte-5a1b7c"])).item()
    top = _heading(nb, "## Which posts broke out?")
    table = "\n".join(t for i, t in _outputs(nb) if i > top and "<table" in t)
    assert hidden in table and "acme-software" in table  # the company page keeps its name
