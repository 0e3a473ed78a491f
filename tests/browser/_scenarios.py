"""What a person does with each analysis notebook's explorer, and what the page must then say.

Each scenario drives the real explorer of notebook 01, 02 or 03 on the sample data (in
JupyterLab or as a Voila dashboard) and compares what the page shows with numbers read
straight from the sample files with the csv module (and openpyxl for the one workbook):
never with what the kit computes. After every step the kernel must have handled the
change and be idle (:func:`_browser_tools.wait_settled` with the kernel), the explorer
must show no traceback and no output may hold more figures than before.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.browser._browser_tools import (
    Kernel,
    OutputState,
    _check_no_stacking,
    explorer_errors,
    explorer_state,
    find_control,
    images_seen,
    shot,
    wait_settled,
    watch_images,
)

# ------------------------------------------------------------------ the sample, read by hand


def connection_rows(path: Path) -> int:
    """Rows of a LinkedIn Connections.csv below its header (notes preamble skipped).

    One row of the sample's older export is Latin-1: it still counts as a row.
    """
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        rows = csv.reader(f)
        for row in rows:
            if row[:2] == ["First Name", "Last Name"]:
                break
        else:
            raise AssertionError(f"{path}: no 'First Name,Last Name' header")
        return sum(1 for row in rows if any(cell.strip() for cell in row))


def sample_posts(sample: Path) -> list[tuple[str, datetime]]:
    """(platform, publication time in UTC) of every post in the sample's post exports.

    X: the legacy ``tweet_activity_metrics`` files (``time`` like ``2025-01-01 08:12
    +0000``) and the newer ``account_analytics_content`` file (``Date`` like ``Wed Dec 31
    2025``); LinkedIn: the ``All posts`` sheet of the page's content workbook (a title
    line, then the header; ``Created date`` like ``12/19/2025``).
    """
    import openpyxl

    posts: list[tuple[str, datetime]] = []
    for path in sorted((sample / "x").glob("tweet_activity_metrics_*.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                when = datetime.strptime(row["time"], "%Y-%m-%d %H:%M %z")
                posts.append(("x", when.astimezone(UTC)))
    for path in sorted((sample / "x").glob("*_account_analytics_content_*.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                day = datetime.strptime(row["Date"], "%a %b %d %Y")
                posts.append(("x", day.replace(tzinfo=UTC)))
    for path in sorted((sample / "linkedin_page").glob("*_content_*.xlsx")):
        book = openpyxl.load_workbook(path, read_only=True)
        rows = book["All posts"].iter_rows(values_only=True)
        next(rows)  # "Post performance for all posts created from ..."
        header = list(next(rows))
        at = header.index("Created date")
        for row in rows:
            if row[at]:
                day = datetime.strptime(str(row[at]), "%m/%d/%Y")
                posts.append(("linkedin", day.replace(tzinfo=UTC)))
        book.close()
    return posts


def count_posts(posts, platforms: set[str], first: str, last: str) -> Counter:
    """Posts per platform published in the months ``first`` to ``last`` (``YYYY-MM``)."""
    return Counter(p for p, when in posts if p in platforms and first <= f"{when:%Y-%m}" <= last)


def cascade_sizes(sample: Path) -> dict[str, int]:
    """People in each post's cascade: distinct users of its post and share events."""
    people: dict[str, set[str]] = defaultdict(set)
    with open(sample / "events.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["action"] in ("post", "share"):
                people[row["post_id"]].add(row["user_id"])
    return {post: len(users) for post, users in people.items()}


# ------------------------------------------------------------------ driving


@dataclass
class Run:
    """One explorer being driven: where, and what it showed at first."""

    page: Any
    explorer: Any
    kernel: Kernel
    lab: bool
    prefix: str  # screenshot names start with it
    initial: list[OutputState] | None = field(default=None, repr=False)

    def start(self) -> None:
        self.explorer.scroll_into_view_if_needed()
        wait_settled(self.page, self.explorer, lab=self.lab, kernel=self.kernel)
        self.check_clean("at first")
        self.initial = explorer_state(self.explorer)
        shot(self.explorer, f"{self.prefix}_before")

    def step(self, what: str, action: Callable[[], Any]) -> None:
        """Do ``action`` (one control change), wait until the kernel has handled it."""
        since = self.kernel.last_activity()
        action()
        wait_settled(self.page, self.explorer, lab=self.lab, kernel=self.kernel, since=since)
        self.check_clean(f"after {what}")
        _check_no_stacking(self.initial, explorer_state(self.explorer), what)

    def check_clean(self, when: str) -> None:
        errors = explorer_errors(self.explorer)
        assert not errors, f"{when}: {errors[0][-2000:]}"

    def probe(self) -> dict[str, Any] | None:
        """The kernel's view of the explorer (the notebook builds exactly one).

        None in Voila: a dashboard's kernel takes widget messages only (Voila drops any
        ``execute_request`` sent to it), so there the page is all a test can read.
        """
        if not self.lab:
            return None
        found = self.kernel.explorers()
        assert len(found) == 1, f"{len(found)} live explorers in the kernel"
        return found[0]

    def view(self, name: str) -> int:
        """Where the view ``name`` is among the explorer's outputs (its ``roi-view-`` class)."""
        at = self.explorer.evaluate(_VIEW_JS, name)
        assert at >= 0, f"no output of the explorer is marked roi-view-{name}"
        return at

    def redraws(self) -> dict[str, int] | None:
        """How often the kernel redrew each view (None in Voila, see :meth:`probe`)."""
        found = self.probe()
        return None if found is None else found["redraws"]

    def output_text(self, index: int) -> str:
        return explorer_state(self.explorer)[index].text.strip()

    def shot(self, name: str) -> None:
        shot(self.explorer, f"{self.prefix}_{name}")


_VIEW_JS = """
(el, name) => [...el.querySelectorAll('.widget-output')]
  .filter(o => !o.parentElement.closest('.widget-output'))
  .findIndex(o => o.classList.contains('roi-view-' + name))
"""


def _options(select) -> list[str]:
    """A dropdown's options as the explorer named them.

    ipywidgets puts each label in the option's value; its text has non-breaking spaces.
    """
    return select.evaluate("s => [...s.options].map(o => o.value)")


def _int(text: str) -> int:
    return int(text.replace(",", ""))


# ------------------------------------------------------------------ 01: relevance

_CONNECTIONS = re.compile(r"^(.+?): ([\d,]+) connections")


def relevance_scenario(run: Run, sample: Path) -> None:
    """Pick members: the connections the findings count are that member's export rows."""
    import pandas as pd

    from roi_helpers.privacy import pseudonym

    folders = sorted(p.name for p in (sample / "linkedin").iterdir() if p.is_dir())
    rows = {f: connection_rows(sample / "linkedin" / f / "Connections.csv") for f in folders}
    # the notebook shows members as pseudonyms (show_names=False): which is whose
    shown_as = dict(zip(pseudonym(pd.Series(folders)), folders, strict=True))
    run.start()
    findings = run.view("findings")
    info, person = find_control(run.explorer, "Network")
    select = person.locator("select")
    labels = _options(select)
    assert labels[1:] == sorted(shown_as), (labels, sorted(shown_as))

    def says() -> tuple[str, int]:
        text = run.output_text(findings)
        found = _CONNECTIONS.match(text)
        assert found, f"the findings do not start with 'WHO: N connections': {text[:300]!r}"
        return found[1], _int(found[2])

    # the whole team first: every export's rows
    assert select.input_value() == labels[0]
    assert says() == ("The team", sum(rows.values())), rows
    # two members: one current export, then Sofia's older one (Latin-1 row and all)
    older = next(f for f in folders if "sofia" in f)
    current = next(f for f in folders if f != older)
    for folder in (current, older):
        who = next(k for k, v in shown_as.items() if v == folder)
        run.step(f"picking {who}", lambda who=who: select.select_option(value=who))
        assert select.input_value() == who
        assert says() == (who, rows[folder]), f"{who} is {folder}: {rows[folder]} rows"
    run.shot("member")

    # other controls change the findings, not whose connections they count
    before = run.output_text(findings)
    _, level = find_control(run.explorer, "At least")
    level_select = level.locator("select")
    options = level_select.evaluate("s => [...s.options].map(o => o.value)")
    other = next(o for o in options if o != level_select.input_value())
    run.step(f"at least {other}", lambda: level_select.select_option(other))
    _, targets = find_control(run.explorer, "Sells to")
    run.step("sells to Marketing", lambda: targets.locator("select").select_option(["Marketing"]))
    after = run.output_text(findings)
    assert after != before, "the findings did not follow the seniority and the functions"
    assert says() == (who, rows[older])
    assert level_select.input_value() == other
    if shown := run.probe():  # the kernel agrees with the page
        assert shown["values"]["targets"] == ["Marketing"]
        assert shown["values"]["min_seniority"] == other
    run.shot("after")


# ------------------------------------------------------------------ 02: engagement

_OVER = re.compile(r"over ([\d,]+) posts?, ([\d,]+) left out")


def engagement_scenario(run: Run, sample: Path) -> None:
    """Platforms, months, formula: the summary counts the posts the sample files hold."""
    posts = sample_posts(sample)
    months = sorted({f"{when:%Y-%m}" for _, when in posts})
    run.start()
    summary = run.view("summary")
    _, platforms = find_control(run.explorer, "Platforms")
    _, formula = find_control(run.explorer, "Formula")
    platform_select = platforms.locator("select")
    formula_select = formula.locator("select")

    def counted() -> tuple[int, int]:
        text = run.output_text(summary)
        found = _OVER.search(text)
        assert found, f"the summary does not say 'over N posts, M left out': {text[:300]!r}"
        return _int(found[1]), _int(found[2])

    # at first: the notebook's parameters (platforms=[]: all; every month)
    chosen = platform_select.evaluate("s => [...s.selectedOptions].map(o => o.value)")
    assert sorted(chosen) == ["linkedin", "x"], chosen
    every = count_posts(posts, {"linkedin", "x"}, months[0], months[-1])
    assert counted() == (every.total(), 0), every

    # months March to October, with the keyboard on the slider's two handles
    _, slider = find_control(run.explorer, "Months")

    def narrow() -> None:
        low, high = slider.locator(".noUi-handle-lower"), slider.locator(".noUi-handle-upper")
        low.focus()
        low.press("ArrowRight")
        low.press("ArrowRight")
        high.focus()
        high.press("ArrowLeft")
        high.press("ArrowLeft")

    first, last = months[2], months[-3]
    run.step(f"months {first} to {last}", narrow)
    if shown := run.probe():
        assert shown["values"]["months"] == [first, last]
    part = count_posts(posts, {"linkedin", "x"}, first, last)
    assert counted() == (part.total(), 0), part
    run.shot("months")

    # X's formula: X's own engagements, which LinkedIn's export does not have
    labels = _options(formula_select)
    x_formula = next(label for label in labels if label.startswith("X:"))
    run.step("X's formula", lambda: formula_select.select_option(value=x_formula))
    assert counted() == (part["x"], part["linkedin"]), part
    assert f"{part['linkedin']} LinkedIn posts left out" in run.output_text(summary)

    # X only: nothing left out; LinkedIn only: a note, no rate
    run.step("X only", lambda: platform_select.select_option(["x"]))
    assert counted() == (part["x"], 0), part
    run.step("LinkedIn only", lambda: platform_select.select_option(["linkedin"]))
    shown = explorer_state(run.explorer)[summary]
    assert shown.notes == 1, f"LinkedIn posts under X's formula: no note but {shown.text!r}"
    assert f"{part['linkedin']} LinkedIn posts left out" in shown.text
    run.shot("formula")

    # back to the kit's formula on LinkedIn: LinkedIn's posts of these months
    run.step("the kit's formula", lambda: formula_select.select_option(value=labels[0]))
    assert counted() == (part["linkedin"], 0), part

    # no platform at all: a note, not every post
    run.step("no platform", lambda: platform_select.select_option([]))
    run.shot("no_platform")
    shown = explorer_state(run.explorer)
    summary_text = shown[summary].text
    assert not _OVER.search(summary_text), (
        f"with no platform picked the summary still rates posts: {summary_text[:200]!r}"
    )
    assert shown[summary].notes == 1, f"no note with no platform picked: {summary_text!r}"
    drawn = [i for i, out in enumerate(shown) if out.images]
    assert not drawn, f"with no platform picked, outputs {drawn} still draw charts"
    run.shot("after")


# ------------------------------------------------------------------ 03: virality

_LABEL = re.compile(r"^(\d+) \(([\d,]+) (?:people|person)")
_TREE = re.compile(r"^Post (\d+): ([\d,]+) (?:people|person)")


def virality_scenario(run: Run, sample: Path) -> None:
    """Cascade and minimum size: the dropdown, the tree and events.csv agree."""
    sizes = cascade_sizes(sample)
    run.start()
    tree = run.view("tree")
    sizes_view = run.view("sizes")
    _, post = find_control(run.explorer, "Cascade")
    _, slider = find_control(run.explorer, "Min. size")
    select = post.locator("select")
    handle = slider.locator(".noUi-handle").first

    def offered() -> list[str]:
        return _options(select)

    def agree(when: str) -> str:
        """The dropdown's post, its label, the tree drawn and events.csv say the same."""
        label = select.input_value()
        found = _LABEL.match(label)
        assert found, f"{when}: dropdown label {label!r}"
        chosen = found[1]
        assert _int(found[2]) == sizes[chosen], f"{when}: {label!r}, events.csv: {sizes[chosen]}"
        shown = run.probe()
        if shown is None:  # Voila: the dropdown and events.csv are what can be compared
            return chosen
        assert shown["values"]["post"] == chosen, (when, shown["values"]["post"], chosen)
        titles = shown["shown"]["tree"].get("titles", [])
        drawn = [m for m in map(_TREE.match, titles) if m]
        assert drawn, f"{when}: no tree drawn: {shown['shown']['tree']}"
        assert (drawn[0][1], _int(drawn[0][2])) == (chosen, sizes[chosen]), (
            f"{when}: the dropdown says {label!r}, the tree {titles[0]!r}"
        )
        return chosen

    def expect_offered(smallest: int) -> None:
        ids = [m[1] for m in map(_LABEL.match, offered()) if m]
        want = {p for p, n in sizes.items() if n >= smallest}
        assert len(ids) == len(offered()) and set(ids) == want, (
            f"min. size {smallest}: {len(ids)} posts offered, events.csv has {len(want)}"
        )

    def press(key: str) -> Callable[[], None]:
        def act() -> None:
            handle.focus()
            handle.press(key)

        return act

    # at first: the notebook's parameters (post_id "": the largest; min_size 2)
    start = int(float(handle.get_attribute("aria-valuenow")))
    assert start == 2, start
    largest = max(sizes, key=sizes.get)
    assert agree("at first") == largest
    expect_offered(2)

    # another cascade: one of middling size, so that min. size can pass it
    middling = sorted((n, p) for p, n in sizes.items() if 5 <= n <= 50)
    assert middling, "the sample has no cascade of 5 to 50 people"
    size, pick = middling[len(middling) // 2]
    tree_before = explorer_state(run.explorer)[tree].images
    label = next(o for o in offered() if o.startswith(f"{pick} ("))
    run.step(f"cascade {pick}", lambda: select.select_option(value=label))
    assert agree(f"after picking {pick}") == pick
    assert explorer_state(run.explorer)[tree].images != tree_before, "the tree was not redrawn"
    run.shot("picked")

    # min. size up one step: the post still qualifies, so neither it nor its tree move
    redraws = run.redraws()
    watch_images(run.explorer, tree)
    sizes_before = explorer_state(run.explorer)[sizes_view].images
    run.step("min. size +1", press("ArrowRight"))
    assert int(float(handle.get_attribute("aria-valuenow"))) == 3
    expect_offered(3)
    assert explorer_state(run.explorer)[sizes_view].images != sizes_before, (
        "the size distribution did not follow the minimum size"
    )
    assert agree("after min. size 3") == pick, "the post changed though it still qualifies"
    seen = images_seen(run.page)
    assert len(seen) == 1, (
        f"the tree showed {len(seen)} different images while its post ({pick}, {size} "
        "people) stayed selected"
    )
    if redraws is not None:
        after = run.redraws()
        assert after["tree"] == redraws["tree"], (
            f"the tree was redrawn {after['tree'] - redraws['tree']} times while its post "
            f"({pick}, {size} people) stayed selected"
        )

    # min. size at its largest: only the largest cascade qualifies, and is drawn
    run.step("min. size to the end", press("End"))
    top = int(float(handle.get_attribute("aria-valuenow")))
    assert top == sizes[largest], (top, sizes[largest])
    expect_offered(top)
    assert agree("after min. size at its largest") == largest
    run.shot("largest_only")

    # back to 1: every post qualifies, the largest stays selected and drawn as it was
    redraws = run.redraws()
    watch_images(run.explorer, tree)
    run.step("min. size to 1", press("Home"))
    expect_offered(1)
    assert len(offered()) == len(sizes)
    assert agree("after min. size 1") == largest
    seen = images_seen(run.page)
    assert len(seen) == 1, "the tree moved though the largest cascade stayed selected"
    if redraws is not None:
        assert run.redraws()["tree"] == redraws["tree"], (
            "the tree was redrawn though the largest cascade stayed selected"
        )

    # another inference rule: the same post, the same people
    _, parents = find_control(run.explorer, "Parents")
    rules = parents.locator("select")
    other = rules.evaluate("s => [...s.options].map(o => o.value)")[1]
    run.step("another inference rule", lambda: rules.select_option(value=other))
    assert agree("after another inference rule") == largest
    run.shot("after")


SCENARIOS: dict[str, Callable[[Run, Path], None]] = {
    "01_audience_relevance": relevance_scenario,
    "02_engagement_rates": engagement_scenario,
    "03_virality": virality_scenario,
}
