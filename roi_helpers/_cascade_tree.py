"""Forest algorithms on parent-index arrays, vectorised over every tree at once.

Private to :mod:`roi_helpers.virality`. A forest of ``n`` nodes is an ``int64`` array
``parent`` in which ``parent[i]`` is the index of node ``i``'s parent and a root is its
own parent. No function loops over nodes or trees in Python: they loop over pointer-jumping
rounds (about ``log2(depth)`` of them) or over depth levels, each a numpy operation on all
the nodes concerned.
"""

from __future__ import annotations

import numpy as np


def _rounds(n: int) -> int:
    """Pointer-jumping rounds after which a chain of ``n`` nodes has surely been covered."""
    return max(1, int(np.ceil(np.log2(max(n, 2)))) + 1)


def depths(parent: np.ndarray, is_root: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distance of every node to its root, by pointer jumping.

    Returns ``(depth, rooted)``: ``rooted`` is False for nodes whose chain of parents never
    reaches a root (they sit on a cycle or below one); their depth is meaningless.
    """
    jump = parent.copy()
    dist = (~is_root).astype(np.int64)
    for _ in range(_rounds(len(parent))):
        if is_root[jump].all():
            break
        dist, jump = dist + dist[jump], jump[jump]
    return dist, is_root[jump]


def cycle_representatives(parent: np.ndarray, is_root: np.ndarray) -> np.ndarray:
    """One node per cycle: the one with the smallest index (the earliest adopter).

    After ``k`` rounds with ``2**k >= n``, the ``2**k``-th ancestor of a node that never
    reaches a root lies on its cycle, and the minimum index over ``2**k`` consecutive
    ancestors of a cycle member is the minimum over the whole cycle.
    """
    n = len(parent)
    rounds = _rounds(n)
    jump = parent.copy()
    low = np.arange(n, dtype=np.int64)
    for _ in range(rounds):
        low, jump = np.minimum(low, low[jump]), jump[jump]
    stuck = ~is_root[jump]
    members = np.unique(jump[stuck])
    return members[low[members] == members]


def levels(depth: np.ndarray) -> list[np.ndarray]:
    """Node indices grouped by depth: ``levels(depth)[d]`` holds the nodes at depth ``d``."""
    if len(depth) == 0:
        return []
    order = np.argsort(depth, kind="stable")
    bounds = np.cumsum(np.bincount(depth))
    return np.split(order, bounds[:-1])


def sum_up(parent: np.ndarray, by_level: list[np.ndarray], weights: np.ndarray) -> np.ndarray:
    """Subtree sums: each node's weight plus the weights of all its descendants.

    ``weights`` is ``(n,)`` or ``(n, k)``; the deepest level is added to its parents first.
    """
    acc = np.array(weights, dtype=np.float64, copy=True)
    for nodes in reversed(by_level[1:]):
        np.add.at(acc, parent[nodes], acc[nodes])
    return acc


def height(parent: np.ndarray, by_level: list[np.ndarray]) -> np.ndarray:
    """Length of the longest chain of descendants below each node (0 for a leaf)."""
    out = np.zeros(len(parent), dtype=np.int64)
    for nodes in reversed(by_level[1:]):
        np.maximum.at(out, parent[nodes], out[nodes] + 1)
    return out


def preorder(parent: np.ndarray, by_level: list[np.ndarray], size: np.ndarray) -> np.ndarray:
    """Depth-first (pre-order) position of each node within its tree.

    Children are visited in index order (adoption order). A child's position is its
    parent's plus one plus the sizes of the siblings visited before it, computed level by
    level with a cumulative sum per parent.
    """
    n = len(parent)
    pos = np.zeros(n, dtype=np.int64)
    for nodes in by_level[1:]:
        par = parent[nodes]
        order = np.lexsort((nodes, par))
        nodes, par = nodes[order], par[order]
        sz = size[nodes]
        before = np.cumsum(sz) - sz
        first = np.r_[True, par[1:] != par[:-1]]
        start = np.maximum.accumulate(np.where(first, np.arange(len(nodes)), 0))
        pos[nodes] = pos[par] + 1 + before - before[start]
    return pos
