"""An explorer for reshare cascades: pick a cascade, an inference rule, a minimum size.

A thin layer: every view calls the functions of :mod:`roi_helpers.virality` and draws with
:mod:`roi_helpers.plots.virality`, exactly as notebook 03's static cells do. The cascades
built under each inference rule, their metrics, their attribution and each drawn tree's
layout are cached, so moving a control recomputes only what it changes (the spread over
time does not depend on the rule, the size distribution not on the post).
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any

import ipywidgets as W
import pandas as pd
import pandas.io.formats.style  # Explorer._show reads pd.io.formats.style: make sure it exists
from traitlets import observe

from .. import virality as V
from ..errors import RoiInputError
from ..plots import virality as P
from ..privacy import hide_people
from ._base import Explorer, TooLittleData

__all__ = ["INFERENCE_CHOICES", "virality_explorer"]

#: The inference rules offered: a label for people -> the rule (None: parents as given).
INFERENCE_CHOICES: dict[str, str | None] = {
    "Parents as the data gives them": None,
    "Flat cascades: all from the original post (root)": "root",
    "Flat cascades: from the most recent earlier adopter (latest)": "latest",
    "Flat cascades: from the earlier adopter with most followers (influence)": "influence",
}


class _PostDropdown(W.Dropdown):
    """A dropdown whose options can change without the selection passing through another value.

    ipywidgets' selection widgets select the first option whenever the options change;
    here the value is kept when it is still an option (its index follows it), the first
    option is chosen only when it is not, and an emptied list is refilled from its first
    option. So narrowing the list never redraws what depends on the value.
    """

    @observe("options")
    def _propagate_options(self, change: Any) -> None:
        options = self._options_full
        current = self.value
        self.set_trait("_options_labels", tuple(i[0] for i in options))
        self._options_values = tuple(i[1] for i in options)
        if self._initializing_traits_ is True:
            return
        if not options:
            self.index = None
        elif current is not None and current in self._options_values:
            self.index = self._options_values.index(current)  # the value does not change
        else:
            self.index = 0
            if self.value != self._options_values[0]:  # index was already 0
                self.value = self._options_values[0]


def virality_explorer(
    events: pd.DataFrame,
    *,
    audience: pd.DataFrame | None = None,
    relevant: Any = None,
    show_names: bool = False,
    min_size: int = 2,
    top: int = 10,
    inference: str | None = None,
    post_id: str | None = None,
    title: str | None = "Explore how posts travelled",
) -> Explorer:
    """Controls for the cascade, the inference rule and the minimum size above the charts.

    Parameters
    ----------
    events
        The events table (post and share events make the cascades); not mutated (the
        explorer keeps its own copy).
    audience
        Optional audience with ``person_id`` and ``relationship``: the tree is then
        coloured by relationship (when some resharer is in it) and the leaderboard counts
        relevant descendants.
    relevant
        The person ids that count as relevant (see
        :func:`roi_helpers.virality.relevant_people`: clients', prospects' people and
        target personas); without it, clients' and prospects' people of ``audience``.
    show_names
        Show people's ids in the leaderboard; pseudonyms otherwise.
    min_size
        The minimum size selected at first.
    top
        People in the leaderboard.
    inference
        The rule selected at first: ``None``/``""`` (parents as given), ``"root"``,
        ``"latest"`` or ``"influence"`` (notebook 03's ``inference`` parameter).
    post_id
        The cascade selected at first (notebook 03's ``post_id``); ``None``/``""`` or an
        unknown post: the largest. The minimum size starts low enough to offer it.
    title
        Heading above the controls.

    Returns
    -------
    Explorer
        With controls ``post``, ``inference`` and ``min_size``, and views ``audience``
        (with an audience none of whose people reshared: a sentence saying so, and why
        nothing is coloured by relationship), ``caveat`` (what
        the rule does to the chosen cascade: the flat-cascade caveat where it is flat,
        that the rule leaves it as recorded where it is not; nothing for a cascade with
        recorded parents under parents as given), ``tree``, ``spread``, ``sizes``,
        ``shape`` and ``leaders``. Moving the minimum size keeps the chosen cascade while
        it is big enough (nothing about it is redrawn).

    Raises
    ------
    RoiInputError
        ``events`` holds no post or share event, or ``audience`` has no
        ``relationship`` column.
    ValueError
        ``inference`` is not a rule.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"post_id": "p", "platform": "x",
    ...     "action": ["post", "share", "share"], "user_id": ["a", "b", "c"],
    ...     "parent_user_id": [None, None, "b"],
    ...     "occurred_at": pd.date_range("2024-01-01", periods=3, freq="h", tz="UTC")})
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):  # outside Jupyter, views print
    ...     ex = virality_explorer(ev)
    >>> sorted(ex.controls), ex.controls["post"].value
    (['inference', 'min_size', 'post'], 'p')
    """
    data = events.copy()
    if audience is not None and "relationship" not in audience.columns:
        raise RoiInputError(
            "the audience has no 'relationship' column",
            column="relationship",
            expected="client, prospect, partner, competitor, internal, peer or other per person",
            hint="Derive relationships with roi_helpers.relevance first, or leave audience out.",
        )
    rule = V._check_rule(inference or None)
    start_choice = next(k for k, v in INFERENCE_CHOICES.items() if (v or "given") == rule)
    relevant = None if relevant is None else frozenset(map(str, relevant))

    @lru_cache(maxsize=8)
    def built(choice: str) -> V.Cascades:
        return V.build_cascades(data, infer=INFERENCE_CHOICES[choice])

    @lru_cache(maxsize=8)
    def metrics(choice: str) -> pd.DataFrame:
        return V.cascade_metrics(built(choice))

    first = next(iter(INFERENCE_CHOICES))
    sizes = metrics(first)
    if sizes.empty:
        raise RoiInputError(
            "no post or share events: there is no cascade to explore",
            column="action",
            expected="events with action 'post' or 'share'",
        )
    biggest = int(sizes["size"].max())
    overlap = V.audience_overlap(built(first), audience, relevant) if audience is not None else {}
    by_relationship = bool(overlap.get("in_audience"))

    def post_options(smallest: int) -> list[tuple[str, str]]:
        part = sizes[sizes["size"] >= smallest]
        return [
            (f"{pid} ({n:,} people, {p})", pid)
            for pid, n, p in zip(part["post_id"], part["size"], part["platform"], strict=True)
        ]

    start = min(max(int(min_size), 1), biggest)
    known = sizes.set_index("post_id")["size"]
    chosen = post_id if post_id and post_id in known.index else None
    if chosen is not None:
        start = min(start, int(known[chosen].max()))
    options = post_options(start)
    controls = {
        "post": _PostDropdown(
            options=options,
            value=chosen or options[0][1],
            description="Cascade",
            layout=W.Layout(width="420px"),
        ),
        "inference": W.Dropdown(
            options=list(INFERENCE_CHOICES),
            value=start_choice,
            description="Parents",
            layout=W.Layout(width="480px"),
        ),
        "min_size": W.IntSlider(
            value=start,
            min=1,
            max=biggest,
            description="Min. size",
            continuous_update=False,
        ),
    }

    def _follow_min_size(change: dict[str, Any]) -> None:
        controls["post"].options = post_options(int(change["new"]))

    controls["min_size"].observe(_follow_min_size, names="value")

    @lru_cache(maxsize=64)
    def selected(choice: str, smallest: int) -> V.Cascades:
        return V.select_cascades(built(choice), min_size=smallest)

    @lru_cache(maxsize=32)
    def leaders(choice: str, smallest: int) -> pd.DataFrame:
        att = V.attribution(
            selected(choice, smallest),
            audience=audience if by_relationship else None,
            relevant=relevant if by_relationship else None,
        )
        return hide_people(att, show_names)

    @lru_cache(maxsize=64)
    def layout(choice: str, post: str) -> pd.DataFrame:
        return V.cascade_layout(built(choice), post, audience=audience if by_relationship else None)

    @lru_cache(maxsize=64)
    def spread(post: str) -> pd.DataFrame:
        return V.cascade_spread(built(first), post)

    def _post(v: dict[str, Any]) -> str:
        if not v["post"]:
            raise TooLittleData(f"No cascade has {v['min_size']} people or more.")
        return v["post"]

    def _chosen(v: dict[str, Any], choice: str, at_least: int = 1) -> pd.DataFrame:
        m = metrics(choice)
        part = m[m["size"] >= v["min_size"]]
        if len(part) < at_least:
            have = "No cascade has" if part.empty else f"Only {len(part)} cascade(s) have"
            raise TooLittleData(
                f"{have} {v['min_size']} people or more: too few to draw a distribution "
                f"(it needs {at_least}). Lower the minimum size."
            )
        return part

    @lru_cache(maxsize=64)
    def note(choice: str, post: str) -> str:
        return V.inference_note(built(choice), post or None)

    def caveat(v: dict[str, Any]) -> str | None:
        text = note(v["inference"], v["post"] or "")
        return f"<i>{html.escape(text)}</i>" if text else None

    def tree(v: dict[str, Any]):
        lay = layout(v["inference"], _post(v))
        by = "relationship" if "relationship" in lay.columns else "generation"
        return P.plot_cascade(lay, color_by=by)

    def size_chart(v: dict[str, Any]):
        _chosen(v, first, at_least=3)
        return P.plot_size_ccdf(metrics(first), min_size=v["min_size"])

    def audience_note(v: dict[str, Any]) -> str | None:
        if audience is None or by_relationship:
            return None
        return f"<i>{html.escape(overlap['sentence'])}</i>"

    views = {
        "audience": (audience_note, ()),
        "caveat": (caveat, ("post", "inference")),
        "tree": (tree, ("post", "inference")),
        "spread": (lambda v: P.plot_spread(spread(_post(v))), ("post",)),
        "sizes": (size_chart, ("min_size",)),
        "shape": (
            lambda v: P.plot_size_vs_virality(
                _chosen(v, v["inference"]), min_size=max(v["min_size"], 2)
            ),
            ("inference", "min_size"),
        ),
        "leaders": (
            lambda v: P.plot_leaderboard(leaders(v["inference"], v["min_size"]), top=top),
            ("inference", "min_size"),
        ),
    }
    explorer = Explorer(controls, views, title=title)
    explorer.cache_info = {  # type: ignore[attr-defined]
        "built": built.cache_info,
        "layout": layout.cache_info,
        "leaders": leaders.cache_info,
        "spread": spread.cache_info,
    }
    return explorer
