"""An explorer for "is my network relevant?": pick a person, the functions you sell to and
a seniority, and every figure and chart follows.

A thin layer: titles are classified and companies matched once, when the explorer is
built (:func:`roi_helpers.relevance.add_relationship`); each control change only re-runs
the cheap summaries of :mod:`roi_helpers.relevance` (cached per choice) and redraws the
views that depend on it. Scheduled runs never build it (``interactive=False``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from html import escape
from typing import Any

import ipywidgets as W
import pandas as pd

from .. import relevance as R
from ..errors import RoiInputError
from ..plots import relevance as P
from ._base import Explorer, TooLittleData

__all__ = ["relevance_explorer"]

_MIN_CONNECTIONS = 5
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`]+)`")


def _html(markdown: str) -> str:
    """The findings (Markdown bullets, from :func:`roi_helpers.relevance.describe`) as
    HTML: explorer text is HTML, where ``**bold**`` would show its asterisks."""
    items = []
    for line in markdown.splitlines():
        text = escape(line.removeprefix("- ").strip())
        text = _CODE.sub(r"<code>\1</code>", _BOLD.sub(r"<b>\1</b>", text))
        if text:
            items.append(f"<li>{text}</li>")
    return "<ul style='margin:0.2em 0;padding-left:1.2em'>" + "".join(items) + "</ul>"


def _no_targets(targets: Sequence[str], crm: bool) -> str:
    """A visible note when nothing is selected in "Sells to" (HTML; ``""`` otherwise)."""
    if targets:
        return ""
    what = (
        "buyers are the people at client and prospect accounts only"
        if crm
        else "and there is no CRM either, so nobody can be counted a buyer"
    )
    return (
        "<p style='margin:0.2em 0;padding:0.3em 0.5em;background:#FFF4CE;"
        "border-left:3px solid #D55E00'><b>Nothing is selected in \u201cSells to\u201d</b>: "
        f"no job function counts as a target persona, {what}. Pick the functions you "
        "sell to (Ctrl-click, or Cmd-click on a Mac, for several).</p>"
    )


def relevance_explorer(
    rel: pd.DataFrame,
    accounts: pd.DataFrame | None = None,
    target_functions: Sequence[str] = ("Finance", "Purchasing"),
    min_seniority: str = "Manager",
    window: int = 6,
) -> Explorer:
    """Build the relevance explorer over an already labelled network.

    Parameters
    ----------
    rel
        The output of :func:`roi_helpers.relevance.add_relationship` (the expensive part,
        done once). Not mutated.
    accounts
        The prepared CRM account list (for target-account coverage), or None.
    target_functions, min_seniority
        Initial choices of the target persona.
    window
        Periods pooled in the trend chart.

    Returns
    -------
    Explorer
        Controls ``person``, ``targets``, ``min_seniority``; views ``findings``, ``mix``,
        ``heatmap``, ``coverage``, ``actions``, ``trend``. Display it in a notebook cell.

    Raises
    ------
    RoiInputError
        A table without relationships, or unknown function or seniority names.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_helpers.relevance import add_relationship
    >>> aud = pd.DataFrame({"account": "ana", "person_id": list("abcdef"),
    ...     "title": ["CFO", "AE", "AE", "Buyer", "CTO", "SDR"], "company": "X"})
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):  # outside Jupyter, views print
    ...     ex = relevance_explorer(add_relationship(aud, owner_function="Sales"), target_functions=["Finance"])
    >>> ex.controls["person"].options
    ('ana',)
    """
    for col in ("account", "relationship", "function", "seniority"):
        if col not in rel:
            raise RoiInputError(
                f"the explorer needs the output of add_relationship (no {col!r} column)",
                column=col,
            )
    targets = [R._canon(t, R.FUNCTIONS[:-1], "job function") for t in target_functions]
    members = sorted(rel["account"].astype("str").unique())
    people = ([R.TEAM] if len(members) > 1 else []) + members
    functions = list(R.FUNCTIONS[:-1])
    controls = {
        "person": W.Dropdown(
            options=people, value=people[0], description="Network", layout=W.Layout(width="260px")
        ),
        # every function in view: a short list scrolls to its first selected option and
        # hides the others, so nobody can see what is selected
        "targets": W.SelectMultiple(
            options=functions,
            value=tuple(targets),
            rows=len(functions),
            description="Sells to",
            tooltip="The job functions you sell to: Ctrl-click (Cmd-click on a Mac) to "
            "pick several",
            layout=W.Layout(width="max-content"),
        ),
        "min_seniority": W.Dropdown(
            options=list(R.SENIORITIES[1:]),
            value=R._canon(min_seniority, R.SENIORITIES[1:], "seniority level"),
            description="At least",
            layout=W.Layout(width="220px"),
        ),
    }
    team = rel.assign(account=rel["account"].astype("str"))
    has_owner = "owner_function" in rel and bool(rel["owner_function"].notna().any())

    def _rows(person: str) -> pd.DataFrame:
        part = team if person == R.TEAM else team[team["account"] == person]
        if len(part) < _MIN_CONNECTIONS:
            raise TooLittleData(
                f"{person} has {len(part)} connections: too few to say anything "
                f"(at least {_MIN_CONNECTIONS} needed)."
            )
        return part

    @lru_cache(maxsize=64)
    def _summary(person: str, targets: tuple[str, ...], level: str) -> pd.DataFrame:
        return R.relevance_summary(_rows(person), list(targets), level)

    @lru_cache(maxsize=64)
    def _coverage(person: str, targets: tuple[str, ...], level: str) -> pd.DataFrame:
        if accounts is None:
            raise TooLittleData("No CRM account list: target-account coverage cannot be shown.")
        return R.target_coverage(_rows(person), accounts, list(targets), level)

    def _args(v: dict[str, Any]) -> tuple[str, tuple[str, ...], str]:
        return v["person"], tuple(v["targets"]), v["min_seniority"]

    def findings(v: dict[str, Any]) -> str:
        summary = _summary(*_args(v))
        # one person is compared with the same buyers' world as the whole team
        hom = R.homophily(_rows(v["person"]), baseline_from=team) if has_owner else None
        cov = _coverage(*_args(v)) if accounts is not None else None
        account = R.TEAM if v["person"] == R.TEAM else v["person"]
        text = R.describe(summary, hom, cov, account=account)
        buyers = f"Buyers here means {summary['buyer_definition'].iloc[0]}."
        return (
            _no_targets(v["targets"], accounts is not None)
            + _html(text)
            + f"<p style='margin:0.2em 0;color:#555'>{escape(buyers)}</p>"
        )

    def mix(v: dict[str, Any]) -> Any:
        return P.plot_relationship_mix(R.relationship_mix(_rows(v["person"])))

    def heatmap(v: dict[str, Any]) -> Any:
        return P.plot_function_heatmap(R.function_matrix(_rows(v["person"]), by="account"))

    def coverage(v: dict[str, Any]) -> Any:
        who = "the team" if v["person"] == R.TEAM else v["person"]
        return P.plot_coverage(_coverage(*_args(v)), who=who)

    def actions(v: dict[str, Any]) -> Any:
        viewer = None if v["person"] == R.TEAM else v["person"]
        todo = R.next_actions(_coverage(*_args(v)), viewer=viewer)
        if todo.empty:
            return "Every target account has a decision-maker someone here knows."
        # the sentence names whom to ask: a known_by column would say it twice
        return P.style_actions(todo.drop(columns="known_by")).set_caption(
            "What would help most: target accounts without a decision-maker contact, ranked"
        )

    def trend(v: dict[str, Any]) -> Any:
        if "connected_on" not in rel or rel["connected_on"].isna().all():
            raise TooLittleData("No connection dates in these exports: no trend to show.")
        tr = R.relevance_trend(_rows(v["person"]), list(v["targets"]), v["min_seniority"])
        return P.plot_relevance_trend(
            tr, account=v["person"] if v["person"] != R.TEAM else None, window=window
        )

    views = {
        "findings": (findings, ("person", "targets", "min_seniority")),
        "mix": (mix, ("person",)),
        "heatmap": (heatmap, ("person",)),
        "coverage": (coverage, ("person", "targets", "min_seniority")),
        "actions": (actions, ("person", "targets", "min_seniority")),
        "trend": (trend, ("person", "targets", "min_seniority")),
    }
    return Explorer(controls, views, title="Is my network made of buyers or of peers?")
