"""Reshare cascades -> events: Twitter16 trees, Weibo paths, flat SMH series.

Every expectation is worked out independently of the readers: lines counted and parsed
with plain Python (``ast.literal_eval``, ``str.split``, the csv module), snowflake times
computed by hand, parents read off the raw paths.
"""

from __future__ import annotations

import ast
import csv
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd
import pytest

from roi_helpers import RoiInputError, load, load_dir
from roi_helpers.clean import CleaningReport
from roi_helpers.loading import sniff
from roi_helpers.sources import cascades_flat, cascades_twitter16, cascades_weibo

FIXTURES = Path(__file__).parent / "fixtures" / "cascades"
TREE = FIXTURES / "twitter" / "tree" / "700000000000000000.txt"


# -- independent parsing of the raw files -------------------------------------------------
def _raw_edges(path: Path) -> list[tuple[tuple[str, str, str], tuple[str, str, str]]]:
    """Every non-blank line as (parent node, child node), with ast.literal_eval."""
    edges = []
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        left, right = line.split("->")
        edges.append(
            (tuple(ast.literal_eval(left.strip())), tuple(ast.literal_eval(right.strip())))
        )
    return edges


def _structure(edges) -> dict[str, int]:
    """Duplicate edges, self-loops and nodes with two or more parents (ROOT aside), counted plainly."""
    counts = Counter(edges)
    parents = defaultdict(set)
    for p, c in edges:
        if p[0] != "ROOT":
            parents[c].add(p)
    return {
        "duplicate": sum(n - 1 for n in counts.values()),
        "self_loop": sum(1 for p, c in edges if p == c),
        "two_parent_nodes": sum(1 for ps in parents.values() if len(ps) > 1),
    }


def _edges_from_events(ev: pd.DataFrame) -> list[tuple[tuple[str, str, str], tuple[str, str, str]]]:
    """Rebuild each line's edge from its event row (the reader keeps the nodes)."""
    out = []
    for r in ev.itertuples():
        if r.action == "post":
            parent = ("ROOT", "ROOT", 0.0)
        else:
            who = r.author_id if pd.isna(r.parent_user_id) else r.parent_user_id
            parent = (who, r.parent_tweet_id, r.parent_delay_minutes)
        out.append((parent, (r.user_id, r.tweet_id, r.delay_minutes)))
    return out


def _as_float_nodes(edges):
    return [((p[0], p[1], float(p[2])), (c[0], c[1], float(c[2]))) for p, c in edges]


@pytest.fixture(scope="module")
def tree_files(shared) -> list[Path]:
    files = sorted((shared / "cascades" / "twitter16" / "tree").glob("*.txt"))
    assert len(files) == 200
    return files


@pytest.fixture(scope="module")
def trees(tree_files) -> list[tuple[Path, list[str], pd.DataFrame, CleaningReport]]:
    """Each real tree file: its lines, the events read from it, and the reader's report."""
    out = []
    for path in tree_files:
        report = CleaningReport()
        out.append(
            (path, path.read_text().splitlines(), cascades_twitter16.read(path, report), report)
        )
    return out


# -- Twitter16 -----------------------------------------------------------------------------
def test_twitter16_every_line_is_exactly_one_event(trees):
    total_lines = total_events = 0
    for path, lines, ev, _report in trees:
        assert len(ev) == len(lines), path.name
        assert ev["source_row"].tolist() == list(range(1, len(lines) + 1))
        # exactly one post event, by the author named on the ROOT line
        root = [ast.literal_eval(ln.split("->")[1]) for ln in lines if ln.startswith("['ROOT'")]
        assert (ev["action"] == "post").sum() == len(root) == 1
        assert set(ev["author_id"]) == {root[0][0]}
        assert ev.loc[ev["action"] == "post", "user_id"].tolist() == [root[0][0]]
        assert set(ev["post_id"]) == {path.stem} and set(ev["platform"]) == {"x"}
        total_lines += len(lines)
        total_events += len(ev)
    assert total_events == total_lines == 92573


def test_twitter16_load_balances_and_validates(tree_files):
    for path in tree_files[:5]:
        res = load(path)
        assert (res.kind, res.source) == ("events", "cascades_twitter16")
        bal = res.report.balance().iloc[0]
        n_lines = len(path.read_text().splitlines())
        assert bal["rows_read"] == n_lines == len(res.data)
        assert bal["rows_kept"] + bal["rows_set_aside"] == bal["rows_read"]
        assert str(res.data["occurred_at"].dtype) == "datetime64[us, UTC]"


def test_twitter16_structure_kept_exactly_as_written(trees):
    """Duplicates, self-loops and two-parent nodes: same counts in the output as the input."""
    seen = Counter()
    for path, _lines, ev, report in trees:
        raw = _raw_edges(path)
        rebuilt = _edges_from_events(ev)
        assert rebuilt == _as_float_nodes(raw), path.name  # every line, in order
        want = _structure(raw)
        assert _structure(rebuilt) == _structure(_as_float_nodes(raw)) == want
        rules = report.to_frame()["rule"].value_counts()
        assert rules.get("duplicate edge", 0) == want["duplicate"]
        assert rules.get("self-loop", 0) == want["self_loop"]
        entries = report.to_frame()
        flagged = entries.loc[entries["rule"] == "node with two parents", "row"]
        nodes = {rebuilt[int(r) - 1][1] for r in flagged}
        assert len(nodes) == want["two_parent_nodes"]
        for key, value in want.items():
            seen[key] += value
    # the data set does hold all three (counted above with plain Python)
    assert seen == {"duplicate": 2684, "self_loop": 337, "two_parent_nodes": 815}


def test_twitter16_parent_is_na_only_from_the_original_post(trees):
    for path, _lines, ev, _report in trees[:20]:
        raw = _raw_edges(path)
        author_node = next(c for p, c in raw if p[0] == "ROOT")
        for (p, _c), parent in zip(raw, ev["parent_user_id"], strict=True):
            if p[0] == "ROOT" or p == author_node:
                assert pd.isna(parent)
            else:
                assert parent == p[0]


def test_twitter16_times_from_the_snowflake_by_hand(shared):
    path = shared / "cascades" / "twitter16" / "tree" / "498430783699554305.txt"
    ev = load(path).data
    # 498430783699554305 >> 22 = 118835159230 ms after 2010-11-04T01:42:54.657Z
    # = 1407670133887 ms since 1970 = 2014-08-10 11:28:53.887 UTC
    origin = pd.Timestamp("2014-08-10 11:28:53.887", tz="UTC")
    assert ev.loc[0, "action"] == "post" and ev.loc[0, "occurred_at"] == origin
    # line 2: ['24165761', ...]->['33164207', '498430783699554305', '0.3']: 0.3 min = 18 s later
    assert ev.loc[1, "user_id"] == "33164207"
    assert ev.loc[1, "occurred_at"] == origin + pd.Timedelta(seconds=18)
    assert cascades_twitter16.snowflake_time("498430783699554305") == origin


def test_twitter16_label_joined_from_label_txt(shared, trees):
    labels = {}
    for line in (shared / "cascades" / "twitter16" / "label.txt").read_text().splitlines():
        label, tid = line.split(":")
        labels[tid] = label
    for path, _lines, ev, _report in trees:
        assert set(ev["label"]) == {labels[path.stem]}
    assert Counter(labels[p.stem] for p, *_ in trees) == Counter(
        {"false": 50, "true": 50, "unverified": 50, "non-rumor": 50}
    )


def test_twitter16_root_not_on_line_one_and_every_oddity_kept():
    report = CleaningReport()
    ev = cascades_twitter16.read(TREE, report)
    # 10 lines, one blank: 9 events, the blank line set aside
    assert len(ev) == 9
    assert ev["source_row"].tolist() == [1, 2, 3, 4, 5, 6, 7, 8, 10]
    post = ev[ev["action"] == "post"]
    assert post["source_row"].tolist() == [3] and post["user_id"].tolist() == ["11"]
    assert set(ev["author_id"]) == {"11"}
    # hand-worked parents: lines 1-2 from the original post, then as written
    assert ev["parent_user_id"].isna().tolist() == [True, True, True] + [False] * 6
    assert ev["parent_user_id"].iloc[3:].tolist() == ["22", "22", "33", "55", "33", "44"]
    # 700000000000000000 >> 22 = 166893005371 ms after the snowflake epoch:
    # 2016-02-17 16:53:00.028 UTC; line 8's delay is -3.0 minutes, line 10's 9.25
    origin = pd.Timestamp("2016-02-17 16:53:00.028", tz="UTC")
    by_row = ev.set_index("source_row")["occurred_at"]
    assert by_row[3] == origin
    assert by_row[8] == origin - pd.Timedelta(minutes=3)
    assert by_row[10] == origin + pd.Timedelta(seconds=555)
    assert ev.set_index("source_row").loc[10, "tweet_id"] == "700000000000000042"
    assert set(ev["label"]) == {"non-rumor"}
    flags = report.to_frame().groupby("rule")["row"].apply(lambda r: sorted(r.dropna()))
    assert flags["duplicate edge"] == [5]
    assert flags["self-loop"] == [7]
    assert flags["node with two parents"] == [4, 5, 6]
    assert flags["child before parent"] == [4, 5, 6, 8]
    assert flags["negative delay"] == [8]
    assert flags["blank line"] == [9]


def test_twitter16_load_accounts_for_the_blank_line():
    res = load(TREE)
    bal = res.report.balance().iloc[0]
    assert (bal["rows_read"], bal["rows_kept"], bal["rows_set_aside"]) == (10, 9, 1)
    assert len(res.data) == 9


def test_twitter16_other_python_list_styles_go_through_literal_eval(tmp_path):
    path = tmp_path / "700000000000000000.txt"
    path.write_text(
        '["ROOT", "ROOT", "0.0"]->["11", "700000000000000000", "0.0"]\n'
        "['11','700000000000000000','0.0'] -> ['12', '700000000000000000', 1.5]\n"
    )
    ev = cascades_twitter16.read(path, CleaningReport())
    assert ev["user_id"].tolist() == ["11", "12"]
    assert ev["delay_minutes"].tolist() == [0.0, 1.5]


def test_twitter16_line_that_is_not_an_edge_names_file_and_row(tmp_path):
    lines = TREE.read_text().splitlines()
    lines.insert(3, "['22', '700000000000000000', '2.0'] ['44', '7', '1.0']")  # no arrow
    lines.insert(6, "__import__('os').system('echo no')->['1', '2', '3']")  # never evaluated
    path = tmp_path / "700000000000000000.txt"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(RoiInputError) as err:
        load(path, source="cascades_twitter16")
    assert err.value.rows == [4, 7]
    msg = str(err.value)
    assert "700000000000000000.txt" in msg and "rows 4, 7" in msg and "not an edge" in msg


def test_twitter16_empty_and_rootless_files(tmp_path):
    empty = tmp_path / "1.txt"
    empty.write_text("")
    with pytest.raises(RoiInputError, match=r"1\.txt: the file is empty"):
        load(empty, source="cascades_twitter16")
    blank = tmp_path / "2.txt"
    blank.write_text("\n  \n")
    with pytest.raises(RoiInputError, match=r"2\.txt: the file is empty"):
        cascades_twitter16.read(blank, CleaningReport())
    rootless = tmp_path / "700000000000000000.txt"
    rootless.write_text("['11', '7', '0.0']->['22', '7', '2.0']\n")
    with pytest.raises(RoiInputError, match="no ROOT line"):
        load(rootless, source="cascades_twitter16")


# -- Weibo -----------------------------------------------------------------------------------
def _weibo_lines(path: Path) -> list[list[str]]:
    with open(path, newline="") as fh:
        return [ln.rstrip("\r\n").split("\t") for ln in fh if ln.strip()]


def test_weibo_adoptions_counted_per_cascade(shared):
    path = shared / "cascades" / "weibo" / "dataset.txt"
    lines = _weibo_lines(path)
    assert len(lines) == 30
    res = load(path)
    assert (res.kind, res.source) == ("events", "cascades_weibo")
    ev = res.data
    per_cascade = ev.groupby("post_id").size()
    for cid, _root, _ts, _n, adoptions in lines:
        assert per_cascade[cid] == len(adoptions.split(" "))
    n_adoptions = sum(len(line[4].split(" ")) for line in lines)
    bal = res.report.balance().iloc[0]
    assert bal["rows_read"] == n_adoptions == len(ev) == 7147
    assert bal["rows_kept"] + bal["rows_set_aside"] == bal["rows_read"]
    # one post event per cascade, by its root user; n_retweets agrees on every line here
    posts = ev[ev["action"] == "post"].set_index("post_id")["user_id"]
    assert posts.to_dict() == {cid: root for cid, root, *_ in lines}
    assert "retweet count differs" not in set(res.report.to_frame()["rule"])
    # paths repeating a user: counted with plain Python
    repeats = sum(
        1
        for line in lines
        for a in line[4].split(" ")
        if len(a.rsplit(":", 1)[0].split("/")) != len(set(a.rsplit(":", 1)[0].split("/")))
    )
    assert repeats == 53
    assert (res.report.to_frame()["rule"] == "path repeats a user").sum() == repeats


def test_weibo_parents_and_times_by_hand(shared):
    ev = load(shared / "cascades" / "weibo" / "dataset.txt").data
    c = ev[ev["post_id"] == "14712"].set_index("path")
    # line 2: 14712, root 1130650, published 1464739203 = 2016-06-01 00:00:03 UTC
    assert c.loc["1130650", "action"] == "post"
    assert c.loc["1130650", "occurred_at"] == pd.Timestamp("2016-06-01 00:00:03", tz="UTC")
    assert c.loc["1130650/1130668", "user_id"] == "1130668"
    assert pd.isna(c.loc["1130650/1130668", "parent_user_id"])  # straight from the post
    assert c.loc["1130650/1130668", "occurred_at"] == pd.Timestamp("2016-06-01 00:01:36", tz="UTC")
    deep = c.loc["1130650/1130653/1130654"]
    assert (deep["user_id"], deep["parent_user_id"], deep["action"]) == (
        "1130654",
        "1130653",
        "share",
    )
    # 1464739203 + 49053 s = 2016-06-01 13:37:36 UTC
    assert deep["occurred_at"] == pd.Timestamp("2016-06-01 13:37:36", tz="UTC")
    assert set(c["author_id"]) == {"1130650"} and set(c["platform"]) == {"other"}
    assert (c["source_row"] == 2).all()


def test_weibo_every_adoption_against_its_raw_path(shared):
    """Each event's adopter, parent and time, from the raw path split with plain Python."""
    path = shared / "cascades" / "weibo" / "dataset.txt"
    want = []
    for line_no, (cid, root, ts, _n, adoptions) in enumerate(_weibo_lines(path), start=1):
        for a in adoptions.split(" "):
            users, secs = a.rsplit(":", 1)
            users = users.split("/")
            parent = (
                None if len(users) == 1 or (len(users) == 2 and users[0] == root) else users[-2]
            )
            when = pd.Timestamp(int(ts) + int(secs), unit="s", tz="UTC")
            want.append((cid, users[-1], parent, root, when, line_no))
    ev = cascades_weibo.read(path, CleaningReport())
    got = list(
        zip(
            ev["post_id"],
            ev["user_id"],
            ev["parent_user_id"].astype(object).where(ev["parent_user_id"].notna(), None),
            ev["author_id"],
            ev["occurred_at"],
            ev["source_row"],
            strict=True,
        )
    )
    assert got == want
    depth = ev["path"].str.count("/")
    assert depth.max() == 4  # cascade 75986 reaches five users deep
    assert ev.loc[depth.idxmax(), "post_id"] == "75986"


def test_weibo_hand_made_file_flags_what_does_not_add_up():
    path = FIXTURES / "weibo_cascades.txt"
    assert path.read_bytes().count(b"\r\n") == 3
    report = CleaningReport()
    ev = cascades_weibo.read(path, report)
    assert len(ev) == 4 + 3 + 1
    first = ev[ev["post_id"] == "501"]
    assert first["user_id"].tolist() == ["10", "20", "30", "40"]  # as written, not sorted
    assert first["parent_user_id"].isna().tolist() == [True, True, False, True]
    assert first["parent_user_id"].iloc[2] == "20"
    assert first["occurred_at"].dt.strftime("%H:%M:%S").tolist() == [
        "02:40:00",  # 1500000000 = 2017-07-14 02:40:00 UTC
        "02:40:30",
        "02:41:30",
        "02:40:15",
    ]
    second = ev[ev["post_id"] == "502"].set_index("path")
    assert second.loc["50/60/50/70", "parent_user_id"] == "50"
    third = ev[ev["post_id"] == "503"].iloc[0]
    assert (third["user_id"], third["parent_user_id"], third["author_id"]) == ("82", "81", "80")
    entries = report.to_frame()
    rows = entries.groupby("rule")["row"].apply(lambda r: sorted(r.dropna()))
    assert rows["retweet count differs"] == [2]  # says 2, holds 3 adoptions
    differs = entries[entries["rule"] == "retweet count differs"]
    assert differs["original"].tolist() == ["2"] and differs["value"].tolist() == ["3"]
    assert rows["path repeats a user"] == [2]
    assert rows["path not from root"] == [3]
    assert rows["no root entry"] == [3]


def test_weibo_malformed_lines_name_file_row_and_column(tmp_path):
    good = (FIXTURES / "weibo_cascades.txt").read_bytes()
    short = tmp_path / "short.txt"
    short.write_bytes(good + b"504\t90\t1500010800\t90:0 90/91:4\r\n")
    with pytest.raises(RoiInputError) as err:
        load(short, source="cascades_weibo")
    assert err.value.rows == [4] and "short.txt" in str(err.value)
    assert "five tab-separated fields" in str(err.value)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(good.replace(b"10/20:30", b"10/20=30"))
    with pytest.raises(RoiInputError) as err:
        load(bad, source="cascades_weibo")
    assert err.value.rows == [1] and err.value.column == "adoptions"
    assert "10/20=30" in str(err.value)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"\r\n")
    with pytest.raises(RoiInputError, match="the file is empty"):
        load(empty, source="cascades_weibo")


# -- flat (SMH) --------------------------------------------------------------------------------
def test_smh_rows_and_magnitudes(shared):
    files = sorted((shared / "cascades" / "smh").glob("SMH-cascade-*.csv"))
    assert len(files) == 10
    total = 0
    for path in files:
        with open(path, newline="") as fh:
            rows = list(csv.DictReader(fh))
        res = load(path)
        assert (res.kind, res.source) == ("events", "cascades_flat")
        ev = res.data
        bal = res.report.balance().iloc[0]
        assert bal["rows_read"] == len(rows) == len(ev) == bal["rows_kept"]
        assert ev["user_followers"].tolist() == [int(r["magnitude"]) for r in rows]
        assert ev["user_id"].tolist() == [r["user_id"] for r in rows]
        assert ev["action"].tolist() == ["post"] + ["share"] * (len(rows) - 1)
        assert ev["parent_user_id"].isna().all()
        assert set(ev["author_id"]) == {rows[0]["user_id"]}
        assert set(ev["post_id"]) == {path.stem}
        secs = (ev["occurred_at"] - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds()
        assert secs.tolist() == [float(r["time"]) for r in rows]
        total += len(rows)
    assert total == 802


def test_smh_origin_option_and_report_notes(shared):
    path = shared / "cascades" / "smh" / "SMH-cascade-3.csv"
    res = load(path, origin="2018-03-01 12:00", tz="Australia/Sydney")
    ev = res.data
    # 12:00 in Sydney (daylight time, UTC+11) is 01:00 UTC; row 2 (62,1673,664) 62 s later
    assert ev.loc[0, "occurred_at"] == pd.Timestamp("2018-03-01 01:00", tz="UTC")
    assert ev.loc[1, "occurred_at"] == pd.Timestamp("2018-03-01 01:01:02", tz="UTC")
    assert ev.loc[1, "user_id"] == "664" and ev.loc[1, "user_followers"] == 1673
    rules = set(res.report.to_frame()["rule"])
    assert {"time origin given", "shares attributed to the root"} <= rules
    default = load(path).report.to_frame()
    note = default[default["rule"] == "time origin assumed"]["reason"].iloc[0]
    assert "1970-01-01" in note


def test_flat_bad_files(tmp_path):
    header_only = tmp_path / "c.csv"
    header_only.write_text("time,magnitude,user_id\n")
    with pytest.raises(RoiInputError, match="no rows"):
        load(header_only)
    other = tmp_path / "d.csv"
    other.write_text("time,followers,user\n0,1,2\n")
    with pytest.raises(RoiInputError) as err:
        load(other, source="cascades_flat")
    assert "time,magnitude,user_id" in str(err.value) and "d.csv" in str(err.value)
    messy = tmp_path / "e.csv"
    messy.write_text("time,magnitude,user_id\n0,10,1\nsoon,5,2\n-4,lots,3\n")
    res = load(messy)
    entries = res.report.to_frame().set_index("rule")
    assert entries.loc["unreadable time", "row"] == 3
    assert entries.loc["unreadable number", "row"] == 4
    assert entries.loc["share before post", "row"] == 4
    assert len(res.data) == 3 and pd.isna(res.data.loc[1, "occurred_at"])


# -- sniffing ---------------------------------------------------------------------------------
def test_sniffers_pick_each_format_by_content(shared, tmp_path):
    base = shared / "cascades"
    assert sniff(base / "twitter16" / "tree" / "498430783699554305.txt") is cascades_twitter16
    assert sniff(base / "weibo" / "dataset.txt") is cascades_weibo
    assert sniff(base / "smh" / "SMH-cascade-0.csv") is cascades_flat
    # by content, not by name
    renamed = tmp_path / "cascade.log"
    renamed.write_bytes((FIXTURES / "weibo_cascades.txt").read_bytes())
    assert sniff(renamed) is cascades_weibo
    for mod in (cascades_twitter16, cascades_weibo, cascades_flat):
        label = (base / "twitter16" / "label.txt").read_text()[:2000]
        assert not mod.sniff(base / "twitter16" / "label.txt", label)
        assert not mod.sniff(Path("x.csv"), "time,magnitude,user_id,extra\n1,2,3,4\n")


def test_load_dir_on_all_cascades(shared):
    ds = load_dir(shared / "cascades" / "weibo")
    assert len(ds.events) == 7147
    ds = load_dir(shared / "cascades" / "smh")
    assert len(ds.events) == 802 and ds.events["post_id"].nunique() == 10


def test_twitter16_file_not_named_by_a_snowflake_id_has_unknown_times(tmp_path):
    path = tmp_path / "my cascade.txt"
    path.write_text(TREE.read_text())
    res = load(path)
    assert res.data["occurred_at"].isna().all()
    assert res.data["delay_minutes"].tolist()[:3] == [2.0, 5.5, 0.0]  # kept as written
    note = res.report.to_frame().set_index("rule").loc["time unknown", "reason"]
    assert "'my cascade' is not a snowflake tweet id" in note


# -- parents_recorded: does the source say who reshared from whom? -----------------------------
def test_parents_recorded_true_for_trees_false_for_flat_series(shared, tmp_path):
    smh = load(shared / "cascades" / "smh" / "SMH-cascade-0.csv").data
    assert smh["parents_recorded"].dtype == "boolean"
    assert smh["parents_recorded"].tolist() == [False] * len(smh)
    weibo = load(shared / "cascades" / "weibo" / "dataset.txt").data
    assert weibo["parents_recorded"].all() and weibo["parents_recorded"].notna().all()
    # a Twitter16 star tree (every share straight from the post) records its parents too:
    # it is a broadcast, not a flat series whose shape is unknown
    star = tmp_path / "tree" / "700000000000000001.txt"
    star.parent.mkdir()
    star.write_text(
        "['ROOT', 'ROOT', '0.0']->['11', '700000000000000001', '0.0']\n"
        "['11', '700000000000000001', '0.0']->['12', '700000000000000001', '1.0']\n"
        "['11', '700000000000000001', '0.0']->['13', '700000000000000001', '2.5']\n"
    )
    ev = load(star).data
    assert ev["parent_user_id"].isna().all()  # every share came from the original post
    assert ev["parents_recorded"].tolist() == [True, True, True]
    tree = load(TREE).data
    assert tree["parents_recorded"].all()


def test_flat_origin_at_a_clock_change_resolved_as_loaders_do(tmp_path):
    path = tmp_path / "c-0.csv"
    path.write_text("time,magnitude,user_id\n0,5,1\n3,4,2\n")
    # 02:30 on 26 October 2025 happened twice in Amsterdam: the first is CEST, 00:30 UTC
    twice = load(path, origin="2025-10-26 02:30", tz="Europe/Amsterdam")
    assert twice.data["occurred_at"].tolist() == [
        pd.Timestamp("2025-10-26 00:30:00", tz="UTC"),
        pd.Timestamp("2025-10-26 00:30:03", tz="UTC"),
    ]
    said = twice.report.to_frame().query("rule == 'ambiguous local time'")
    assert "first of the two" in said["reason"].iloc[0]
    # 02:30 on 30 March 2025 did not exist there: moved to 03:00 CEST, 01:00 UTC
    gap = load(path, origin="2025-03-30 02:30", tz="Europe/Amsterdam")
    assert gap.data["occurred_at"].iloc[0] == pd.Timestamp("2025-03-30 01:00", tz="UTC")
    assert (gap.report.to_frame()["rule"] == "local time that does not exist").sum() == 1


# -- cascade ids are the file's own: two files' cascades are never merged ---------------------------
def test_same_local_ids_in_two_files_stay_two_cascades(tmp_path):
    for sub, root, child in (("a", "10", "11"), ("b", "20", "21")):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "dataset.txt").write_bytes(
            f"1\t{root}\t1464739201\t1\t{root}:0 {root}/{child}:60\r\n".encode()
        )
        (tmp_path / sub / "c-0.csv").write_text(
            f"time,magnitude,user_id\n0,5,{root}\n3,4,{child}\n"
        )
    (tmp_path / "a" / "other.txt").write_bytes(
        b"7\t30\t1464739201\t0\t30:0\r\n"
    )  # clashes with none
    ds = load_dir(tmp_path)
    ev = ds.events
    # by hand: each file's cascade under its own id, with its own author and users
    got = ev.groupby("post_id").agg(author=("author_id", "first"), users=("user_id", list))
    assert got.to_dict("index") == {
        "a/c-0.csv:c-0": {"author": "10", "users": ["10", "11"]},
        "b/c-0.csv:c-0": {"author": "20", "users": ["20", "21"]},
        "a/dataset.txt:1": {"author": "10", "users": ["10", "11"]},
        "b/dataset.txt:1": {"author": "20", "users": ["20", "21"]},
        "7": {"author": "30", "users": ["30"]},  # an id no other file uses stays as written
    }
    notes = ds.report.to_frame().query("rule == 'cascade ids kept apart'")
    assert sorted(notes["file"]) == ["a/c-0.csv", "a/dataset.txt", "b/c-0.csv", "b/dataset.txt"]
    from roi_helpers.virality import build_cascades

    assert len(build_cascades(ev)) == 5


def test_weibo_cascade_id_repeated_in_a_file_is_kept_apart_and_recorded(tmp_path):
    path = tmp_path / "dataset.txt"
    path.write_bytes(
        b"1\t10\t1464739201\t1\t10:0 10/11:60\r\n1\t20\t1464739201\t1\t20:0 20/21:60\r\n"
    )
    res = load(path)
    assert res.data.groupby("post_id")["author_id"].first().to_dict() == {
        "1": "10",
        "1-line2": "20",
    }
    entry = res.report.to_frame().query("rule == 'repeated cascade id'")
    assert entry[["row", "column", "original", "value"]].values.tolist() == [
        [2, "cascade_id", "1", "1-line2"]
    ]
