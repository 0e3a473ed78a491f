"""Notebook 03 runs headless on the sample data and on folders holding only one kind of real
cascade export, and the numbers it records agree with an independent computation.

The reference reads the raw files with the csv module and a regular expression (not the
kit's readers), applies the repair rules in plain Python (a person's adoption is their
earliest appearance; a missing, self, lost or later parent becomes the original post), grows
the trees with networkx and measures them with networkx. A cascade is flat when it has three
people or more and the file its reshares come from names no parent other than the original
author for any reshare.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path
from statistics import median

import networkx as nx
import pandas as pd
import pytest

from roi_helpers.privacy import pseudonym

pytestmark = pytest.mark.slow

NAME = "03_virality"


# -- the raw files, read plainly -----------------------------------------------------------
def _sample_rows(folder: Path) -> list[dict]:
    with open(folder / "events.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [
        {
            "post": r["post_id"],
            "user": r["user_id"],
            "action": r["action"],
            "t": pd.Timestamp(r["occurred_at"]).value,
            "parent": r["parent_user_id"] or None,
            "followers": float(r["user_followers"]) if r["user_followers"] else None,
            "file": "events.csv",
        }
        for r in rows
        if r["action"] in ("post", "share")
    ]


_LINE = re.compile(
    r"^\[\s*'([^']*)'\s*,\s*'[^']*'\s*,\s*'[^']*'\s*\]\s*->\s*"
    r"\[\s*'([^']*)'\s*,\s*'[^']*'\s*,\s*'([^']*)'\s*\]\s*$"
)


def _twitter16_rows(tree_dir: Path) -> list[dict]:
    rows = []
    for path in sorted(tree_dir.glob("*.txt")):
        for line in path.read_text().splitlines():
            if line.strip():
                parent, child, delay = _LINE.match(line).groups()
                root = parent == "ROOT"
                rows.append(
                    {
                        "post": path.stem,
                        "user": child,
                        "action": "post" if root else "share",
                        "t": float(delay),
                        "parent": None if root else parent,
                        "followers": None,
                        "file": path.name,
                    }
                )
    return rows


def _weibo_rows(path: Path) -> list[dict]:
    rows = []
    with open(path, newline="") as fh:
        for rec in csv.reader(fh, delimiter="\t"):
            cid, _, ts, _, adoptions = (x.strip() for x in rec)
            for item in adoptions.split():
                trail, secs = item.rsplit(":", 1)
                users = trail.split("/")
                rows.append(
                    {
                        "post": cid,
                        "user": users[-1],
                        "action": "post" if len(users) == 1 else "share",
                        "t": int(ts) + int(secs),
                        "parent": users[-2] if len(users) > 1 else None,
                        "followers": None,
                        "file": path.name,
                    }
                )
    return rows


def _smh_rows(folder: Path) -> list[dict]:
    rows = []
    for path in sorted(folder.glob("SMH-*.csv")):  # the retweet series, not Connections.csv
        with open(path, newline="") as fh:
            for i, r in enumerate(csv.DictReader(fh)):
                rows.append(
                    {
                        "post": path.stem,
                        "user": r["user_id"],
                        "action": "post" if i == 0 else "share",
                        "t": float(r["time"]),
                        "parent": None,
                        "followers": float(r["magnitude"]),
                        "file": path.name,
                    }
                )
    return rows


# -- the reference computation ---------------------------------------------------------------
def _trees(rows: list[dict], infer: str | None = None) -> dict[str, tuple[nx.DiGraph, str, bool]]:
    """Per post: the repaired tree, its root, and whether the data gave it flat."""
    by_post: dict[str, list] = defaultdict(list)
    for i, r in enumerate(rows):
        by_post[r["post"]].append((r["t"], i, r))
    authors = {
        post: next(
            r["user"]
            for _, _, r in sorted(items, key=lambda x: (x[0], x[1]))
            if r["action"] == "post"
        )
        for post, items in by_post.items()
    }
    recording = {  # files that name a parent other than the original author somewhere
        r["file"]
        for r in rows
        if r["action"] == "share" and r["parent"] not in (None, authors[r["post"]])
    }
    out = {}
    for post, items in by_post.items():
        items.sort(key=lambda x: (x[0], x[1]))
        root = next(r["user"] for _, _, r in items if r["action"] == "post")
        first: dict[str, tuple] = {}
        followers: dict[str, float] = defaultdict(float)
        for t, _, r in items:
            if r["followers"] is not None:
                followers[r["user"]] = max(followers[r["user"]], r["followers"])
            if r["user"] == root or r["user"] in first:
                continue
            parent = None if r["action"] == "post" or r["parent"] == root else r["parent"]
            first[r["user"]] = (t, parent)
        files = {r["file"] for _, _, r in items if r["action"] == "share"}
        flat = len(first) >= 2 and all(p is None for _, p in first.values())
        flat = flat and not files & recording
        g = nx.DiGraph()
        g.add_node(root)
        earlier = [root]
        for user, (t, p) in first.items():
            if flat and infer == "latest":
                p = earlier[-1]
            elif flat and infer == "influence":
                best = max(followers[e] for e in earlier)
                p = next(e for e in earlier if followers[e] == best)
            elif p is None or p == user or p not in first or first[p][0] > t:
                p = root
            g.add_edge(p, user)
            earlier.append(user)
        assert nx.is_arborescence(g), post  # no cycles in these files
        out[post] = (g, root, flat)
    return out


def _virality(g: nx.DiGraph) -> float:
    n = g.number_of_nodes()
    if n == 1:
        return 0.0
    if n <= 450:
        return nx.average_shortest_path_length(g.to_undirected())
    # large trees: the Wiener index from networkx's own subtree sizes
    sizes = {v: 1 + len(nx.descendants(g, v)) for v in g}
    return sum(sizes[c] * (n - sizes[c]) for _, c in g.edges) / (n * (n - 1) / 2)


def _expected(rows: list[dict], infer: str | None = None) -> dict:
    trees = _trees(rows, infer)
    sizes = {p: g.number_of_nodes() for p, (g, _, _) in trees.items()}
    carried: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for g, root, _ in trees.values():
        for v in g:
            if v != root:
                carried[v][0] += len(nx.descendants(g, v))
                carried[v][1] += g.out_degree(v)
    ranked = sorted(
        ((-d, -k, u) for u, (d, k) in carried.items() if d > 0),
    )
    big = [_virality(g) for g, _, _ in trees.values() if g.number_of_nodes() >= 10]
    largest = max(sizes.values())
    return {
        "cascades": len(trees),
        "people": sum(sizes.values()),
        "reshares": sum(sizes.values()) - len(trees),
        "largest_size": largest,
        "never_reshared": sum(s == 1 for s in sizes.values()) / len(sizes),
        "deepest": max(
            max(nx.single_source_shortest_path_length(g, r).values()) for g, r, _ in trees.values()
        ),
        "cascades_size_10": len(big),
        "median_structural_virality_size_10": median(big) if big else None,
        "top_carrier": ranked[0][2] if ranked else None,
        "top_carrier_descendants": -ranked[0][0] if ranked else None,
        "flat_cascades": sum(f for _, _, f in trees.values()),
        "largest_posts": {p for p, s in sizes.items() if s == largest},
        "reshared": sum(s > 1 for s in sizes.values()),
        "depth_of": {
            p: max(nx.single_source_shortest_path_length(g, r).values())
            for p, (g, r, _) in trees.items()
        },
    }


def _check(numbers: dict, want: dict, show_names: bool = False) -> None:
    for key in ("cascades", "people", "reshares", "largest_size", "deepest"):
        assert numbers[key] == want[key], key
    for key in ("cascades_size_10", "flat_cascades", "top_carrier_descendants"):
        assert numbers[key] == want[key], key
    assert numbers["never_reshared"] == pytest.approx(want["never_reshared"])
    assert numbers["median_structural_virality_size_10"] == pytest.approx(
        want["median_structural_virality_size_10"]
    )
    assert numbers["largest_post_id"] in want["largest_posts"]
    top = want["top_carrier"]
    if top is not None and not show_names:
        top = pseudonym(pd.Series([top])).iloc[0]
    assert numbers["top_carrier"] == top
    _check_found(numbers, want, top)


def _check_found(numbers: dict, want: dict, top: str | None) -> None:
    """The headline and highlights the report's index shows, from the reference numbers."""
    n, reshared, largest = want["cascades"], want["reshared"], want["largest_size"]
    found = numbers["highlights"]
    assert 3 <= len(found) <= 5, found
    assert found["Posts reshared"] == f"{reshared / n:.0%} ({reshared:,} of {n:,})"
    depth = want["depth_of"][numbers["largest_post_id"]]
    generations = f"{depth} generation{'' if depth == 1 else 's'}"
    assert found["Largest cascade"] == f"{largest:,} people, {generations} deep"
    assert numbers["headline"].startswith(f"{reshared:,} of {n:,} posts ({reshared / n:.0%}) ")
    assert (
        f"the largest cascade reached {largest:,} people, {generations} deep" in numbers["headline"]
    )
    if top is not None:
        d = want["top_carrier_descendants"]
        assert found["Top carrier"] == f"{top}: {d:,} {'person' if d == 1 else 'people'} downstream"
    if want["flat_cascades"]:
        assert found["Flat cascades"].startswith(f"{want['flat_cascades']:,} (no reshare parents")
        assert f"{want['flat_cascades']:,} cascades are flat" in numbers["headline"]
    else:
        assert "Flat cascades" not in found and "flat" not in numbers["headline"]


def _table_with(nb, marker: str) -> list[dict[str, str]]:
    """The rows of the first HTML table output holding ``marker``, as dicts (header first)."""
    from bs4 import BeautifulSoup

    html = next(
        str(o["data"]["text/html"])
        for cell in nb.cells
        for o in cell.get("outputs", [])
        if marker in str(o.get("data", {}).get("text/html", ""))
    )
    rows = BeautifulSoup(html, "html.parser").find("table").find_all("tr")
    header = [c.get_text(strip=True) for c in rows[0].find_all("th")]
    body = [
        dict(zip(header, (c.get_text(strip=True) for c in r.find_all("td")), strict=True))
        for r in rows[1:]
    ]
    return [dict.fromkeys(header, ""), *body]


def _linked(tmp_path_factory, name: str, files: list[Path], sub: str = "") -> Path:
    """A folder holding only symlinks to the shared files (never copies)."""
    folder = tmp_path_factory.mktemp(name)
    (folder / sub).mkdir(parents=True, exist_ok=True)
    for path in files:
        (folder / sub / path.name).symlink_to(path)
    return folder


def _texts(nb) -> str:
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream":
                out.append(o["text"])
            elif "data" in o:
                out.append(str(o["data"].get("text/plain", "")))
                out.append(str(o["data"].get("text/markdown", "")))
                out.append(str(o["data"].get("text/html", "")))
            elif o.get("output_type") == "error":
                out.append(f"ERROR {o['ename']}: {o['evalue']}")
    return "\n".join(out)


# -- the runs ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def on_sample(run_notebook, sample):
    return run_notebook(NAME, sample)


def test_sample_numbers_match_an_independent_computation(on_sample, sample):
    nb, numbers = on_sample
    want = _expected(_sample_rows(sample))
    _check(numbers, want)
    assert numbers["inference"] == "given"
    # the sample plants four reshare defects (data/sample/README.md, "Planted defects")
    assert numbers["repairs"] == 4
    text = _texts(nb)
    assert "ERROR" not in text
    # events.csv records who reshared from whom: no cascade is flat, and no caveat says so
    assert want["flat_cascades"] == 0
    assert "Flat cascades." not in text and "X/Twitter's API" not in text
    assert "0 days" not in text  # durations in words
    assert numbers["headline"] in text  # the page says what the index says
    # no period asked: the dates recorded are the first and last day a post was published
    days = sorted(
        pd.Timestamp(r["t"], tz="UTC").strftime("%Y-%m-%d")
        for r in _sample_rows(sample)
        if r["action"] == "post"
    )
    assert (numbers["start_date"], numbers["end_date"]) == (days[0], days[-1])


def _connections(sample: Path) -> dict[str, str]:
    """Each connection's company by profile slug, from the raw exports (csv module)."""
    out = {}
    for path in sorted((sample / "linkedin").glob("*/Connections.csv")):
        with open(path, encoding="utf-8", errors="replace", newline="") as fh:
            rows = list(csv.reader(fh))
        start = next(i for i, r in enumerate(rows) if r[:2] == ["First Name", "Last Name"])
        head = rows[start]
        if "URL" not in head:
            continue  # the older export names nobody by profile
        for r in rows[start + 1 :]:
            if r:
                out[r[head.index("URL")].rstrip("/").rsplit("/", 1)[-1]] = r[head.index("Company")]
    return out


def test_sample_carriers_who_are_the_teams_colleagues_are_internal(on_sample, sample):
    """team.csv says everyone on the team works at Quillmoor: their connections there are
    colleagues (internal), whatever their job, in the carriers' table."""
    from bs4 import BeautifulSoup

    nb, _ = on_sample
    want = _expected(_sample_rows(sample))
    company = _connections(sample)
    html = next(
        str(o["data"]["text/html"])
        for cell in nb.cells
        for o in cell.get("outputs", [])
        if "descendants_reach" in str(o.get("data", {}).get("text/html", ""))
    )
    rows = BeautifulSoup(html, "html.parser").find("table").find_all("tr")
    header = [c.get_text(strip=True) for c in rows[0].find_all("th")]
    table = [
        dict(zip(header, (c.get_text(strip=True) for c in r.find_all("td")), strict=True))
        for r in rows[1:]
    ]
    names = dict(
        zip(pseudonym(pd.Series(list(company))), company, strict=True)
    )  # pseudonym -> slug
    internal = 0
    for row in table:
        slug = names.get(row["user"])
        if slug is not None and company[slug].startswith("Quillmoor"):
            assert row["relationship"] == "internal", row
            internal += 1
        else:
            assert row["relationship"] != "internal", row
        if slug is None:
            assert row["relationship"] == "not in audience", row
    assert internal >= 1  # the sample's carriers include colleagues
    assert len(table) == 10 and want["top_carrier_descendants"] == int(
        table[0]["descendants"].replace(",", "")
    )


def test_sample_outputs_show_no_names_and_no_emails(on_sample, sample):
    nb, _ = on_sample
    text = _texts(nb)
    rows = _sample_rows(sample)
    people = {r["user"] for r in rows if not r["user"].isdigit()}  # LinkedIn slugs
    assert people, "the sample should have named people"
    shown = [p for p in people if re.search(rf"\b{re.escape(p)}\b", text)]
    assert not shown, shown[:5]
    assert not re.search(r"[\w.+-]+@[\w-]+\.\w+", text)
    csv_text = (
        Path(nb.metadata["papermill"]["parameters"]["output_dir"]) / f"{NAME}.cleaning.csv"
    ).read_text()
    assert csv_text.count("\n") == 1 + 4  # header + one line per repair
    assert not any(p in csv_text for p in people)


@pytest.fixture(scope="module")
def twitter16(shared, run_notebook, tmp_path_factory):
    trees = sorted((shared / "cascades" / "twitter16" / "tree").glob("*.txt"))
    folder = _linked(tmp_path_factory, "twitter16_only", trees, sub="tree")
    return run_notebook(NAME, folder), folder


def test_twitter16_numbers_match(twitter16):
    (nb, numbers), folder = twitter16
    _check(numbers, _expected(_twitter16_rows(folder / "tree")))
    assert numbers["flat_cascades"] == 0
    assert "ERROR" not in _texts(nb)


def test_weibo_numbers_match(shared, run_notebook, tmp_path_factory):
    path = shared / "cascades" / "weibo" / "dataset.txt"
    folder = _linked(tmp_path_factory, "weibo_only", [path])
    nb, numbers = run_notebook(NAME, folder, show_names=True, min_size=10)
    _check(numbers, _expected(_weibo_rows(path)), show_names=True)


@pytest.mark.parametrize("rule", ["", "influence"])
def test_flat_smh_cascades_with_and_without_inference(shared, run_notebook, tmp_path_factory, rule):
    """SMH retweet series (X user ids) beside a LinkedIn connections export: the page says
    that no resharer can be found among the connections instead of a column of 'not in
    audience'."""
    files = sorted((shared / "cascades" / "smh").glob("*.csv"))
    connections = shared / "linkedin_connections" / "Connections.csv"
    folder = _linked(tmp_path_factory, f"smh_{rule or 'given'}", [*files, connections])
    nb, numbers = run_notebook(NAME, folder, inference=rule)
    rows = _smh_rows(folder)
    resharers = {r["user"] for r in rows if r["action"] == "share"} - {
        r["user"] for r in rows if r["action"] == "post"
    }
    text = _texts(nb)
    assert f"None of the {len(resharers):,} resharers is in the audience" in text
    assert "an X user id is not a LinkedIn profile" in text
    assert "not in audience" not in text
    carriers = _table_with(nb, "descendants_reach")
    assert "relationship" not in carriers[0] and "relevant_descendants" not in carriers[0]
    want = _expected(rows, infer=rule or None)
    _check(numbers, want)
    assert numbers["flat_cascades"] == len(files)
    assert numbers["inference"] == (rule or "given")
    # the note is shown where it applies, naming the files
    assert f"{len(files)} flat cascades (3 people or more): " in text
    assert files[0].name in text
    if rule:
        assert "most followers" in text
    else:
        assert numbers["deepest"] == 1  # as given: every retweet from the original


def test_a_folder_without_events_says_so(shared, run_notebook, tmp_path_factory):
    files = sorted((shared / "x_tweet_activity").glob("*.csv"))[:2]
    folder = _linked(tmp_path_factory, "no_events", files)
    nb, numbers = run_notebook(NAME, folder)
    assert numbers["cascades"] == 0
    assert numbers["largest_size"] is None and numbers["top_carrier"] is None
    assert numbers["no_data"] == "no post or reshare events in this folder"
    assert numbers["headline"] is None and numbers["highlights"] == {"Cascades": "none"}
    text = _texts(nb)
    assert "No events in" in text and "No cascades in this folder." in text
    assert "ERROR" not in text


def test_sample_cleaning_section_shows_both_balances(on_sample, sample):
    """Loading keeps every row of events.csv; growing the trees keeps one row per person and
    cascade and sets the rest aside: both said, so no 'nothing was changed' above repairs."""
    nb, _ = on_sample
    rows = _sample_rows(sample)
    people = {(r["post"], r["user"]) for r in rows}
    table = _table_with(nb, "growing the reshare trees")[1:]
    steps = {r["step"]: r for r in table}
    loading = steps["loading the events files"]
    grown = steps["growing the reshare trees (post and share rows)"]
    with open(sample / "events.csv", newline="", encoding="utf-8") as fh:
        n_rows = sum(1 for _ in csv.DictReader(fh))
    assert int(loading["rows_read"].replace(",", "")) == n_rows
    assert int(grown["rows_read"].replace(",", "")) == len(rows)
    assert int(grown["rows_kept"].replace(",", "")) == len(people)
    assert int(grown["rows_set_aside"]) == len(rows) - len(people) == 2  # duplicate, self-loop
    assert int(grown["rows_changed"]) == 2  # the lost parent and the later parent
    assert "Nothing was changed" not in _texts(nb)


def test_sample_says_how_many_resharers_are_connections(on_sample, sample):
    nb, _ = on_sample
    rows = _sample_rows(sample)
    authors = {r["post"]: r["user"] for r in rows if r["action"] == "post"}
    resharers = {
        r["user"] for r in rows if r["action"] == "share" and r["user"] != authors[r["post"]]
    }
    known = resharers & set(_connections(sample))
    n, k = len(resharers), len(known)
    assert 0 < k < n
    assert f"{k:,} of the {n:,} resharers ({k / n:.0%}) are in the audience" in _texts(nb)


def test_sample_window_records_its_period(run_notebook, sample):
    start, end = "2025-03-01", "2025-04-30"
    nb, numbers = run_notebook(NAME, sample, start_date=start, end_date=end)
    rows = _sample_rows(sample)
    published = {
        r["post"]: pd.Timestamp(r["t"], tz="UTC").strftime("%Y-%m-%d")
        for r in rows
        if r["action"] == "post"
    }
    chosen = {p for p, day in published.items() if start <= day <= end}
    _check(numbers, _expected([r for r in rows if r["post"] in chosen]))
    assert numbers["cascades"] == len(chosen) >= 10
    assert (numbers["start_date"], numbers["end_date"]) == (start, end)
    assert numbers["posts_in_folder"] == len(published)
    text = _texts(nb)
    assert f"{len(chosen):,} of {len(published):,} posts with post or reshare events were " in text
    assert "ERROR" not in text


def test_a_broadcast_tree_file_stays_a_broadcast_under_latest(run_notebook):
    """A Twitter16 tree whose reshares all come from the author is a broadcast the data saw:
    'latest' does not rewire it, and the note above its drawing says why."""
    folder = Path(__file__).parent / "fixtures" / "virality" / "twitter16_star"
    nb, numbers = run_notebook(NAME, folder, inference="latest")
    assert numbers["flat_cascades"] == 0
    assert numbers["largest_size"] == 4 and numbers["deepest"] == 3  # the chain tree
    assert numbers["largest_post_id"] == "498430783699554305"  # the star comes first
    assert numbers["largest_depth"] == 1
    text = _texts(nb)
    assert "names no parent" not in text
    cell = next(c for c in nb.cells if "V.cascade_layout(cascades" in c.source)
    kinds = ["image" if "image/png" in o.get("data", {}) else "note" for o in cell.outputs]
    note = next(o for o in cell.outputs if "text/markdown" in o.get("data", {}))
    assert kinds.index("note") < kinds.index("image")  # the note directly above the drawing
    words = note["data"]["text/markdown"]
    assert "post 498430783699554305 is not one" in words
    assert "records who reshared from whom" in words
    generations = _table_with(nb, "branching_factor")[1:]
    assert [g["generation"] for g in generations] == ["0", "1"]
