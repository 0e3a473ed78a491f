"""Notebook 00 (the scorecard) runs headless on the sample data, on a folder holding only the
shared X exports and on an empty folder; the numbers it records agree with computations made
independently: plain loops over the loaded tables, the csv module on the raw exports, and
networkx on the reshare trees."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import statistics
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import roi_helpers
from roi_helpers import relevance as R
from roi_helpers import virality as V
from roi_helpers.privacy import find_emails
from tests.conftest import notebook_outputs

pytestmark = pytest.mark.slow

NAME = "00_scorecard"
TARGETS = ("Finance", "Accounting", "Purchasing")
OK_SENIORITY = ("Manager", "Director", "VP", "CXO", "Partner", "Owner")


def _days(start: str, end: str) -> tuple[dt.date, dt.date]:
    return dt.date.fromisoformat(start), dt.date.fromisoformat(end)


def _post_values(posts: pd.DataFrame, lo: dt.date, hi: dt.date) -> dict[str, list[float]]:
    """Per-post rates, impressions and shares of the posts published from lo to hi (UTC days),
    by a loop over rows."""
    rates, impressions, shares = [], [], []
    for r in posts.itertuples():
        if pd.isna(r.published_at):
            continue
        day = r.published_at.tz_convert("UTC").date()
        if not lo <= day <= hi:
            continue
        if pd.notna(r.impressions):
            impressions.append(float(r.impressions))
        if pd.notna(r.shares):
            shares.append(float(r.shares))
        counts = (r.likes, r.comments, r.shares)
        if pd.notna(r.impressions) and r.impressions > 0 and all(pd.notna(c) for c in counts):
            rates.append(sum(float(c) for c in counts) / float(r.impressions))
    return {"rate": rates, "impressions": impressions, "shares": shares}


def _connections_by(sample: Path, day: dt.date) -> int:
    """Connections made by ``day``, counted with the csv module on the raw exports."""
    n = 0
    for path in sorted((sample / "linkedin").glob("*/Connections.csv")):
        with open(path, encoding="utf-8", errors="replace", newline="") as fh:
            rows = list(csv.reader(fh))
        start = next(i for i, r in enumerate(rows) if r[:2] == ["First Name", "Last Name"])
        col = rows[start].index("Connected On")
        for r in rows[start + 1 :]:
            if not r:
                continue
            text = r[col].strip()
            fmt = "%d %b %Y" if " " in text else "%d-%b-%y"
            n += dt.datetime.strptime(text, fmt).date() <= day
    return n


@pytest.fixture(scope="module")
def loaded(sample):
    return roi_helpers.load_dir(sample)


@pytest.fixture(scope="module")
def default_run(run_notebook, sample):
    return run_notebook(NAME, sample)


def test_sample_default_period_is_the_last_28_days_of_the_data(default_run, loaded):
    _, numbers = default_run
    latest = max(
        [t.tz_convert("UTC").date() for t in loaded.posts["published_at"].dropna()]
        + [t.tz_convert("UTC").date() for t in loaded.events["occurred_at"].dropna()]
        + [t.date() for t in loaded.audience["connected_on"].dropna()]
    )
    assert latest == dt.date(2025, 12, 31)
    assert numbers["end_date"] == latest.isoformat()
    assert numbers["start_date"] == (latest - dt.timedelta(days=27)).isoformat()
    assert numbers["period"]["previous_end"] == (latest - dt.timedelta(days=28)).isoformat()
    assert numbers["period"]["previous_start"] == (latest - dt.timedelta(days=55)).isoformat()
    assert numbers["period"]["how"] == "default" and numbers["period"]["days"] == 28


def test_sample_relevance_matches_a_loop_over_the_labelled_network(default_run, loaded, sample):
    _, numbers = default_run
    end, prev_end = _days(numbers["end_date"], numbers["period"]["previous_end"])
    net = R.load_network(sample)
    rel = R.add_relationship(
        net.audience, net.accounts, "Quillmoor Software B.V.", infer_owner_function=True
    )
    buyers = {end: 0, prev_end: 0}
    total = {end: 0, prev_end: 0}
    for r in rel.itertuples():
        kind = str(r.relationship)
        persona = str(r.function) in TARGETS and str(r.seniority) in OK_SENIORITY
        buyer = kind in ("client", "prospect") or (
            persona and kind not in ("internal", "partner", "competitor")
        )
        for day in (end, prev_end):
            if r.connected_on.date() <= day:
                total[day] += 1
                buyers[day] += buyer
    # the connections counted are the raw files' rows made by then
    assert total[end] == _connections_by(sample, end)
    assert total[prev_end] == _connections_by(sample, prev_end)
    details = numbers["details"]["buyer_share"]
    assert (details["n"], details["n_previous"]) == (total[end], total[prev_end])
    assert numbers["relevance"] == pytest.approx(buyers[end] / total[end])
    assert numbers["relevance_previous"] == pytest.approx(buyers[prev_end] / total[prev_end])
    now, before = buyers[end] / total[end], buyers[prev_end] / total[prev_end]
    said = numbers["highlights"]["Buyer share"]
    assert said == f"{now:.1%} ({_worded(now, before, points=True)})"
    assert f"buyers are {now:.1%} of the network" in numbers["headline"]


def _number(v: float) -> str:
    """A count per post as the page writes it: no decimals from 100, one from 10, else two."""
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.1f}" if abs(v) >= 10 else f"{v:.2f}"


def _worded(now: float, before: float, points: bool, digits: int = 1) -> str:
    """A change as the page words it: within 1% of before, about the same; shares and rates
    in percentage points, other values in percent of before."""
    if abs(now - before) <= 0.01 * abs(before):
        return "about the same"
    way = "up" if now > before else "down"
    if points:
        return f"{way} {abs(now - before) * 100:.{digits}f} points"
    return f"{way} {abs(now / before - 1):.0%}"


def test_sample_posts_measures_match_loops_over_the_posts(default_run, loaded):
    _, numbers = default_run
    now = _post_values(loaded.posts, *_days(numbers["start_date"], numbers["end_date"]))
    before = _post_values(
        loaded.posts,
        *_days(numbers["period"]["previous_start"], numbers["period"]["previous_end"]),
    )
    d = numbers["details"]
    assert numbers["resonance"] == pytest.approx(statistics.median(now["rate"]))
    assert numbers["resonance_previous"] == pytest.approx(statistics.median(before["rate"]))
    assert d["engagement_rate"]["n"] == len(now["rate"]) > 20
    assert d["engagement_rate"]["low"] <= numbers["resonance"] <= d["engagement_rate"]["high"]
    assert d["engagement_rate"]["definition"].startswith(
        "engagement rate = median over posts of (likes + comments + shares) / impressions"
    )
    assert numbers["reach"] == pytest.approx(statistics.mean(now["impressions"]))
    assert numbers["reach_previous"] == pytest.approx(statistics.mean(before["impressions"]))
    assert d["per_post"]["median"] == pytest.approx(statistics.median(now["impressions"]))
    assert numbers["amplification"] == pytest.approx(statistics.mean(now["shares"]))
    assert numbers["amplification_previous"] == pytest.approx(statistics.mean(before["shares"]))
    assert d["shares_per_post"]["n_previous"] == len(before["shares"])
    # the index's worded values, from the same loops
    found = numbers["highlights"]
    assert list(found) == [  # as the index lists them
        "Buyer share",
        "Engagement rate",
        "Impressions per post",
        "Shares per post",
    ]
    reach, reach_before = (
        statistics.mean(now["impressions"]),
        statistics.mean(before["impressions"]),
    )
    assert (
        found["Impressions per post"] == f"{_number(reach)} ({_worded(reach, reach_before, False)})"
    )
    shares, shares_before = statistics.mean(now["shares"]), statistics.mean(before["shares"])
    assert (
        found["Shares per post"] == f"{_number(shares)} ({_worded(shares, shares_before, False)})"
    )
    rate, rate_before = statistics.median(now["rate"]), statistics.median(before["rate"])
    e = d["engagement_rate"]
    chance = e["low"] <= e["previous_high"] and e["previous_low"] <= e["high"]
    small = max(rate, rate_before) < 0.1  # rates under 10%: two decimals
    worded = _worded(rate, rate_before, points=True, digits=2 if small else 1)
    shown = f"{rate:.2%}" if rate < 0.1 else f"{rate:.1%}"
    assert found["Engagement rate"] == (
        f"{shown} ({worded}{', may be chance' if chance and worded != 'about the same' else ''})"
    )
    assert numbers["headline"].startswith("Against the 28 days before: buyers are")
    assert numbers["headline"].endswith(
        f"and {_number(shares)} shares per post ({_worded(shares, shares_before, False)})."
    )


def test_sample_page_reads_for_a_manager(default_run, sample):
    nb, numbers = default_run
    text, images = notebook_outputs(nb)
    assert images == 1  # the 2 x 2 figure
    assert "**Period:** **4–31 Dec 2025** (28 days)" in text
    assert "No dates were given, so this is the last 28 days of the data" in text
    # the period's posts have reshare trees (their depth is checked against networkx below)
    assert numbers["details"]["cascade_depth"]["status"] == "ok"
    assert numbers["details"]["cascade_depth"]["n"] > 0
    assert "of the team's network are buyers" in text
    assert "Median engagement rate per impression" in text
    assert find_emails(text) == []
    for member in (p.parent.name for p in (sample / "linkedin").glob("*/Connections.csv")):
        assert member not in text, member
    assert "no_data" not in numbers


@pytest.fixture(scope="module")
def october_run(run_notebook, sample):
    return run_notebook(NAME, sample, start_date="2025-10-01", end_date="2025-10-31")


def test_sample_cascades_of_the_period_posts_match_networkx(october_run, loaded):
    _, numbers = october_run
    assert (numbers["start_date"], numbers["end_date"]) == ("2025-10-01", "2025-10-31")
    assert numbers["period"]["previous_start"] == "2025-08-31"  # 31 days before
    cascades = V.build_cascades(loaded.events)
    started = {}
    for r in loaded.events.itertuples():
        if r.action == "post":
            day = r.occurred_at.tz_convert("UTC").date()
            started[r.post_id] = min(day, started.get(r.post_id, day))
    trees: dict[str, nx.Graph] = {}
    roots = dict(zip(cascades.roots["post_id"], cascades.roots["root"], strict=True))
    for e in cascades.edges.itertuples():
        trees.setdefault(e.post_id, nx.Graph()).add_edge(e.parent, e.child)

    def stats(lo: dt.date, hi: dt.date) -> tuple[list[int], list[float], int]:
        depths, virality, posts = [], [], 0
        for post_id, day in started.items():
            if not lo <= day <= hi:
                continue
            posts += 1
            if post_id in trees:
                g = trees[post_id]
                depths.append(max(nx.shortest_path_length(g, roots[post_id]).values()))
                virality.append(nx.average_shortest_path_length(g))
        return depths, virality, posts

    depths, virality, posts = stats(dt.date(2025, 10, 1), dt.date(2025, 10, 31))
    before = stats(dt.date(2025, 8, 31), dt.date(2025, 9, 30))
    d = numbers["details"]
    assert d["cascade_depth"]["n"] == len(depths) >= 3
    assert d["cascade_depth"]["value"] == pytest.approx(statistics.mean(depths))
    assert d["cascade_depth"]["median"] == pytest.approx(statistics.median(depths))
    assert d["cascade_depth"]["previous"] == pytest.approx(statistics.mean(before[0]))
    assert d["structural_virality"]["value"] == pytest.approx(statistics.mean(virality))
    assert d["structural_virality"]["previous"] == pytest.approx(statistics.mean(before[1]))
    assert d["cascade_depth"]["status"] == "ok"
    assert posts > len(depths)  # some of October's posts were never reshared


def test_sample_given_period_page(october_run):
    nb, _ = october_run
    text, images = notebook_outputs(nb)
    assert images == 1
    assert "**1–31 Oct 2025** (31 days)" in text and "**31 Aug–30 Sep 2025**" in text
    assert "No dates were given" not in text
    assert "generations deep on average" in text


def _x_content_rows(shared: Path) -> list[dict[str, str]]:
    path = next((shared / "x_account_analytics").glob("*account_analytics_content*.csv"))
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def x_only(shared, run_notebook, tmp_path_factory):
    folder = tmp_path_factory.mktemp("x_only")
    for sub in ("x_tweet_activity", "x_account_analytics"):
        for path in sorted((shared / sub).iterdir()):
            (folder / path.name).symlink_to(path)  # links, never copies
    return run_notebook(NAME, folder)


def test_x_exports_alone_default_period_from_the_raw_files(x_only, shared):
    _, numbers = x_only
    content = _x_content_rows(shared)
    days = [dt.datetime.strptime(r["Date"], "%a %b %d %Y").date() for r in content]
    legacy = []
    for path in sorted((shared / "x_tweet_activity").glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as fh:
            legacy += [
                dt.datetime.strptime(r["time"], "%Y-%m-%d %H:%M %z").astimezone(dt.UTC).date()
                for r in csv.DictReader(fh)
            ]
    latest = max(days + legacy)
    assert latest == dt.date(2025, 2, 10)
    assert numbers["end_date"] == latest.isoformat()
    start = latest - dt.timedelta(days=27)
    assert numbers["start_date"] == start.isoformat()

    def window(lo: dt.date, hi: dt.date) -> list[dict[str, str]]:
        return [r for r, d in zip(content, days, strict=True) if lo <= d <= hi]

    now = window(start, latest)
    before = window(start - dt.timedelta(days=28), start - dt.timedelta(days=1))
    assert all(d < start - dt.timedelta(days=28) for d in legacy)  # 2019: in no period

    def rate(r: dict[str, str]) -> float:
        return (int(r["Likes"]) + int(r["Replies"]) + int(r["Reposts"])) / int(r["Impressions"])

    rated = [rate(r) for r in now if int(r["Impressions"]) > 0]
    rated_before = [rate(r) for r in before if int(r["Impressions"]) > 0]
    assert numbers["resonance"] == pytest.approx(statistics.median(rated))
    assert numbers["resonance_previous"] == pytest.approx(statistics.median(rated_before))
    impressions = [int(r["Impressions"]) for r in now]
    assert numbers["reach"] == pytest.approx(statistics.mean(impressions))
    assert numbers["reach_previous"] == pytest.approx(
        statistics.mean(int(r["Impressions"]) for r in before)
    )
    assert numbers["amplification"] == pytest.approx(
        statistics.mean(int(r["Reposts"]) for r in now)
    )
    assert numbers["details"]["per_post"]["n"] == len(now)


def test_x_exports_alone_relevance_says_it_has_no_connections(x_only):
    nb, numbers = x_only
    assert numbers["relevance"] is None and numbers["relevance_previous"] is None
    details = numbers["details"]["buyer_share"]
    assert details["status"] == "no data"
    assert details["why"] == "no LinkedIn connections export in this folder"
    text, images = notebook_outputs(nb)
    assert "Relevance cannot be measured: no LinkedIn connections export in this folder." in text
    assert "No reshare trees: no reshare events in this folder." in text
    assert numbers["highlights"]["Buyer share"] == "no data"
    assert numbers["headline"].endswith("; no data for buyer share.")
    assert images == 1
    assert "no_data" not in numbers  # the other measures are there


def test_an_empty_folder_is_recorded_as_no_data(run_notebook, tmp_path):
    (tmp_path / "README.md").write_text("Exports go here.\n")
    nb, numbers = run_notebook(NAME, tmp_path)
    assert "no dated post, reshare or connection" in numbers["no_data"]
    assert numbers["relevance"] is None and numbers["reach"] is None
    assert numbers["headline"] is None
    assert numbers["highlights"] == {"Measures with data": "none"}
    text, images = notebook_outputs(nb)
    assert images == 0 and "Nothing to draw" in text
    assert "Nothing to score here" in text
    assert "No period: the data holds no dated post, reshare or connection." in text


# -- the owners' company and function come from the team table, as in notebook 01 ------------------


@pytest.fixture(scope="module")
def acme(sample, tmp_path_factory) -> Path:
    """The sample with its company renamed: Quillmoor Software B.V. becomes Acme Software
    B.V. in the team table and in the connections exports (the kit's own sample: copying it
    is fine)."""
    folder = tmp_path_factory.mktemp("acme") / "sample"
    shutil.copytree(sample, folder)
    for path in folder.rglob("*.csv"):  # as bytes: an older export is not UTF-8 on purpose
        raw = path.read_bytes()
        if b"Quillmoor" in raw:
            path.write_bytes(raw.replace(b"Quillmoor", b"Acme"))
    team = list(csv.DictReader((folder / "team.csv").open(encoding="utf-8")))
    assert {r["company"] for r in team} == {"Acme Software B.V."}
    return folder


@pytest.mark.parametrize("folder", ["sample", "acme"])
def test_scorecard_and_relevance_report_give_the_same_buyer_share(
    folder, request, run_notebook, default_run
):
    """00 (its default period ends on the data's last day, so every dated connection counts)
    and 01 (every connection) label the same people buyers, whatever the company is called:
    both read each member's company and function from team.csv. 00 used to name Quillmoor
    in its parameters, so on the renamed copy the colleagues counted as buyers."""
    data = request.getfixturevalue(folder)
    _, scorecard = default_run if folder == "sample" else run_notebook(NAME, data)
    _, relevance = run_notebook("01_audience_relevance", data)
    assert scorecard["details"]["buyer_share"]["n"] == _connections_by(data, dt.date(2025, 12, 31))
    assert scorecard["relevance"] == pytest.approx(relevance["buyer_share"], abs=1e-12)
    assert scorecard["highlights"]["Buyer share"].startswith(f"{relevance['buyer_share']:.1%} (")


def test_the_notebook_names_no_company_of_its_own():
    import nbformat

    nb = nbformat.read(Path(__file__).parents[1] / "notebooks" / f"{NAME}.ipynb", as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assert 'owner_company: str = ""' in params.source
    assert "Quillmoor" not in "".join(c.source for c in nb.cells)


# -- a folder whose posts end years before its connections ------------------------------------------


@pytest.fixture(scope="module")
def old_posts(shared, run_notebook, tmp_path_factory):
    """The shared Connections.csv (up to 2025) and the 2019 X exports, as links."""
    folder = tmp_path_factory.mktemp("old_posts")
    (folder / "Connections.csv").symlink_to(shared / "linkedin_connections" / "Connections.csv")
    for path in sorted((shared / "x_tweet_activity").glob("*.csv")):
        (folder / path.name).symlink_to(path)
    return run_notebook(NAME, folder)


def test_posts_that_end_before_the_period_are_said_with_their_last_day(old_posts, shared):
    nb, numbers = old_posts
    with open(shared / "linkedin_connections" / "Connections.csv", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))[4:]
    connected = [dt.datetime.strptime(r[6], "%d %b %Y").date() for r in rows if r]
    tweets = []
    for path in sorted((shared / "x_tweet_activity").glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as fh:
            tweets += [
                dt.datetime.strptime(r["time"], "%Y-%m-%d %H:%M %z").astimezone(dt.UTC).date()
                for r in csv.DictReader(fh)
            ]
    assert len(tweets) == 307
    assert numbers["end_date"] == max(connected).isoformat()  # the default: connections' end
    last = max(tweets)
    said = (
        f"all 307 posts loaded were published before this period, the latest on "
        f"{last.day} {last:%b %Y}; to score them, run roi report with --since "
        f"{last - dt.timedelta(days=27)} --until {last} (or set start_date and end_date)"
    )
    for metric in ("engagement_rate", "per_post", "shares_per_post"):
        assert numbers["details"][metric]["why"] == said, metric
    text, _ = notebook_outputs(nb)
    assert f"No engagement rate: {said}." in text
    assert "0 of the 307 posts loaded were published in the 6 periods charted" in text


def test_what_the_numbers_rest_on_is_said_in_words_not_printed(default_run, sample):
    nb, numbers = default_run
    streams = " ".join(
        o.get("text", "")
        for c in nb.cells
        for o in c.get("outputs", [])
        if o.output_type == "stream"
    )
    assert "left out no row" not in streams  # the old monospace line
    text, _ = notebook_outputs(nb)
    n = _connections_by(sample, dt.date.fromisoformat(numbers["end_date"]))
    assert f"- **Connections:** {n:,} of the {n:,} loaded had been made by 31 Dec 2025" in text
