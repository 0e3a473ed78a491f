"""How fast are cascades built and measured? Against the per-cascade networkx approach.

Run on demand (not part of the test suite)::

    .venv/bin/python benchmarks/bench_virality.py            # one million events
    .venv/bin/python benchmarks/bench_virality.py --events 200000 --cascades 20000

It generates reshare events for many cascades (heavy-tailed sizes, several generations, a
little mess: duplicate edges, second parents, self-loops), then times

- ``build_cascades`` + ``cascade_metrics`` on every cascade at once, and
- the approach a user would otherwise write: group the edges by post, build a networkx
  graph per cascade, and take depth and breadth from ``single_source_shortest_path_length``
  and structural virality from ``average_shortest_path_length``. networkx is too slow to
  run on everything (it is quadratic in cascade size): it is timed on a sample stratified
  by cascade size and scaled up (see :func:`time_networkx`); the script says so.

Both runs happen in the same process, so the ratio compares like with like. Targets: at
least 50x faster than networkx, and one million events in under 10 seconds.
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter

import networkx as nx
import numpy as np
import pandas as pd

from roi_helpers.virality import build_cascades, cascade_metrics, select_period

POOL = 300_000  # distinct people


def make_events(
    n_events: int = 1_000_000, n_cascades: int = 100_000, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Synthetic events (canonical columns) and the clean edges they were made from.

    Sizes follow a truncated power law (most cascades tiny, a few with thousands of
    people). Within a cascade, person ``j`` reshares from ``floor(j * u**b)``: ``b`` large
    makes broadcasts, ``b`` small long chains. About 1.5% extra rows add mess.
    """
    rng = np.random.default_rng(seed)
    raw = np.floor(rng.pareto(1.2, n_cascades) + 1).clip(1, 20_000)
    target = n_events * 0.985
    size = np.maximum(1, np.round(raw * target / raw.sum())).astype(np.int64)
    n = int(size.sum())
    start = np.concatenate([[0], np.cumsum(size)[:-1]])
    casc = np.repeat(np.arange(n_cascades), size)
    local = np.arange(n) - start[casc]
    shape = rng.choice([0.15, 1.0, 6.0], n_cascades, p=[0.3, 0.4, 0.3])[casc]
    parent_local = np.floor(local * rng.random(n) ** shape).astype(np.int64)
    first_user = rng.integers(0, POOL, n_cascades)
    user = (first_user[casc] + local) % POOL
    parent_user = (first_user[casc] + parent_local) % POOL
    gaps = rng.exponential(600.0, n)  # seconds between adoptions
    gaps[start] = 0
    clock = np.cumsum(gaps)
    t0 = rng.uniform(0, 3e7, n_cascades)
    secs = t0[casc] + clock - clock[start][casc]
    is_root = local == 0
    events = pd.DataFrame(
        {
            "post_id": casc,
            "user_id": user,
            "action": np.where(is_root, "post", "share"),
            "seconds": secs,
            "parent_user_id": np.where(is_root, -1, parent_user),
            "user_followers": rng.zipf(1.8, n).clip(0, 10_000_000),
        }
    )
    edges = events.loc[~is_root, ["post_id", "parent_user_id", "user_id"]]

    # the mess: repeated edges, second parents (later), self-loops
    shares = np.flatnonzero(~is_root & (local > 1))
    extra = []
    for share, kind in ((0.01, "dup"), (0.003, "second"), (0.002, "loop")):
        pick = rng.choice(shares, int(share * n), replace=False)
        rows = events.iloc[pick].copy()
        rows["seconds"] += rng.exponential(60.0, len(rows))
        if kind == "second":
            rows["parent_user_id"] = (first_user[rows["post_id"]] + 0) % POOL
        elif kind == "loop":
            rows["parent_user_id"] = rows["user_id"]
        extra.append(rows)
    events = pd.concat([events, *extra], ignore_index=True)
    events = events.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    return _canonical(events), edges


def _canonical(df: pd.DataFrame) -> pd.DataFrame:
    base = pd.Timestamp("2025-01-01", tz="UTC")
    return pd.DataFrame(
        {
            "post_id": ("p" + df["post_id"].astype("str")).astype("str"),
            "platform": "x",
            "user_id": ("u" + df["user_id"].astype("str")).astype("str"),
            "action": df["action"].astype("str"),
            "occurred_at": base + pd.to_timedelta(df["seconds"], unit="s"),
            "parent_user_id": ("u" + df["parent_user_id"].astype("str"))
            .where(df["parent_user_id"] >= 0)
            .astype("str"),
            "user_followers": df["user_followers"].astype("Int64"),
        }
    )


def networkx_metrics(parents, children) -> tuple[int, int, int, float]:
    """Size, depth, breadth and structural virality of one cascade, the networkx way."""
    g = nx.DiGraph()
    g.add_edges_from(zip(parents, children, strict=True))
    root = next(v for v, d in g.in_degree() if d == 0)
    dist = nx.single_source_shortest_path_length(g, root)
    per_gen = Counter(d for d in dist.values() if d > 0)
    return (
        g.number_of_nodes(),
        max(dist.values()),
        max(per_gen.values()),
        nx.average_shortest_path_length(g.to_undirected()),
    )


class Clock:
    """Wall and CPU seconds of a block (CPU time is what other users' load does not inflate)."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def time_networkx(
    edges: pd.DataFrame, per_bin: int, cap: int, seed: int
) -> tuple[float, float, pd.DataFrame]:
    """Estimated networkx time for every cascade, from a sample stratified by size.

    Cascades are binned by size (powers of two). In each bin up to ``cap`` people, up to
    ``per_bin`` random cascades are timed (a few from bins of 1,024 people or more, which
    take seconds each) and the bin's mean time is multiplied by its count. Larger cascades are too slow to time (average_shortest_path_length is
    quadratic); their cost is extrapolated from the largest timed bin, linearly (a lower
    bound) and quadratically (what the algorithm costs). Returns both totals (CPU
    seconds) and the networkx results for the timed cascades.
    """
    rng = np.random.default_rng(seed)
    parts = {post: part for post, part in edges.groupby("post_id", sort=False)}
    size = pd.Series({post: len(part) + 1 for post, part in parts.items()})
    bins = np.floor(np.log2(size)).astype(int)
    measured = 0.0
    rows = []
    per_node = per_node2 = 0.0
    for b in sorted(bins.unique()):
        members = size.index[bins == b]
        if 2**b > cap:
            continue
        k = per_bin if 2**b < 1024 else max(2, per_bin // 8)  # big ones take seconds each
        pick = rng.choice(members, min(k, len(members)), replace=False)
        with Clock() as clock:
            for post in pick:
                part = parts[post]
                rows.append((post, *networkx_metrics(part["parent_user_id"], part["user_id"])))
        spent = clock.cpu
        measured += spent / len(pick) * len(members)
        nodes = size.loc[pick]
        per_node, per_node2 = spent / nodes.sum(), spent / (nodes**2).sum()
    big = size[2**bins > cap]
    low = measured + per_node * big.sum()
    high = measured + per_node2 * (big**2).sum()
    ref = pd.DataFrame(rows, columns=["post_id", "size", "depth", "max_breadth", "sv"])
    return low, high, ref


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--cascades", type=int, default=100_000)
    parser.add_argument("--per-bin", type=int, default=20, help="cascades timed per size bin")
    parser.add_argument("--cap", type=int, default=2048, help="largest size bin timed")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    t = time.perf_counter()
    events, edges = make_events(args.events, args.cascades, args.seed)
    print(f"generated {len(events):,} events in {time.perf_counter() - t:.1f} s")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other users)")

    with Clock() as period:
        select_period(events, "", "")  # notebook 03's first step: the posts of a period
    with Clock() as build:
        cascades = build_cascades(events)
    with Clock() as measure:
        metrics = cascade_metrics(cascades)
    wall, cpu = build.wall + measure.wall, build.cpu + measure.cpu
    sizes = metrics["size"]
    print(
        f"{len(metrics):,} cascades, {int(sizes.sum()):,} people, largest {int(sizes.max()):,}, "
        f"median {float(sizes.median()):.0f}, deepest {int(metrics['depth'].max())} generations"
    )
    print(f"report: {len(cascades.report):,} entries")
    print("                   wall s   CPU s")
    print(f"build_cascades   {build.wall:8.2f} {build.cpu:7.2f}")
    print(f"cascade_metrics  {measure.wall:8.2f} {measure.cpu:7.2f}")
    print(f"together         {wall:8.2f} {cpu:7.2f}   (target: under 10 s for 1M events)")
    print(
        f"select_period    {period.wall:8.2f} {period.cpu:7.2f}   "
        f"({period.cpu / max(build.cpu, 1e-9):.2f} of build_cascades' CPU time)"
    )

    with Clock() as spent:
        low, high, ref = time_networkx(edges, args.per_bin, args.cap, args.seed + 1)
    n_big = int((sizes >= 2 * args.cap).sum())
    print(
        f"networkx: {spent.wall:.0f} s spent timing {len(ref):,} cascades (up to "
        f"{args.per_bin} per power-of-two size bin, sizes up to {2 * args.cap - 1:,})"
    )
    print(
        f"networkx on all cascades, estimated: {low:,.0f} CPU s scaling the "
        f"{n_big} larger ones linearly (a lower bound), {high:,.0f} CPU s quadratically"
    )
    print(f"ratio  {low / cpu:6.0f}x faster in CPU time (lower bound; target at least 50x)")
    print(f"       {high / cpu:6.0f}x faster with the quadratic extrapolation")

    # the numbers agree
    ref["post_id"] = "p" + ref["post_id"].astype("str")
    both = ref.merge(metrics, on="post_id", suffixes=("_nx", ""))
    assert len(both) == len(ref)
    assert (both["size_nx"] == both["size"]).all()
    assert (both["depth_nx"] == both["depth"]).all()
    assert (both["max_breadth_nx"] == both["max_breadth"]).all()
    assert np.allclose(both["sv"], both["structural_virality"])
    print(f"checked: size, depth, breadth and structural virality equal on {len(both):,} cascades")


if __name__ == "__main__":
    main()
