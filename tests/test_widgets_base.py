"""The explorer plumbing every notebook's widgets share."""

from __future__ import annotations

import ipywidgets as W
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from roi_helpers.widgets import Explorer, TooLittleData


def _explorer(calls):
    def chart(values):
        calls.append(("chart", values["n"]))
        if values["n"] < 2:
            raise TooLittleData("pick at least two")
        fig, ax = plt.subplots()
        ax.plot(range(values["n"]))
        return fig

    def table(values):
        calls.append(("table", values["label"]))
        return pd.DataFrame({"label": [values["label"]]})

    return Explorer(
        {
            "n": W.IntSlider(value=3, min=0, max=9),
            "label": W.Dropdown(options=["a", "b"], value="a"),
        },
        {"chart": (chart, ["n"]), "table": (table, ["label"])},
        title="Test",
    )


def test_a_change_redraws_only_the_views_that_depend_on_it():
    calls = []
    ex = _explorer(calls)
    assert ex.redraws == {"chart": 1, "table": 1}
    ex.controls["label"].value = "b"
    assert ex.redraws == {"chart": 1, "table": 2}
    ex.controls["n"].value = 5
    assert ex.redraws == {"chart": 2, "table": 2}
    assert calls[-1] == ("chart", 5)


def test_figures_are_closed_after_display_so_they_never_stack():
    plt.close("all")
    ex = _explorer([])
    for n in (4, 5, 6):
        ex.controls["n"].value = n
    assert plt.get_fignums() == []


def test_too_little_data_shows_a_note_instead_of_a_chart():
    ex = _explorer([])
    ex.controls["n"].value = 1
    assert isinstance(ex.shown["chart"], TooLittleData)
    assert str(ex.shown["chart"]) == "pick at least two"
    ex.controls["n"].value = 4
    assert isinstance(ex.shown["chart"], matplotlib.figure.Figure)


def test_the_box_is_marked_for_browser_tests():
    ex = _explorer([])
    assert "roi-explorer" in ex.widget._dom_classes
    assert ex.values == {"n": 3, "label": "a"}
    outputs = [w for w in ex.widget.children if isinstance(w, W.Output)]
    assert [w._dom_classes for w in outputs] == [
        ("roi-view", "roi-view-chart"),
        ("roi-view", "roi-view-table"),
    ]


def test_a_view_with_nothing_to_show_removes_what_it_drew(monkeypatch):
    """clear_output(wait=True) waits for new output: a view returning None must clear now."""
    cleared = []
    monkeypatch.setattr(W.Output, "clear_output", lambda self, wait=False: cleared.append(wait))
    ex = Explorer(
        {"on": W.Checkbox(value=True)},
        {"chart": (lambda v: pd.DataFrame({"x": [1]}) if v["on"] else None, ["on"])},
    )
    assert cleared == [True]  # drawn once, waiting for its table
    ex.controls["on"].value = False
    assert ex.shown["chart"] is None
    assert cleared[-1] is False, "the old table stays until something else is shown"


def test_a_note_is_shown_once_by_the_first_view_that_says_it():
    """Views that would repeat the note above them stay empty, until it goes away there."""

    def note_when(limit):
        def draw(v):
            if v["n"] < limit:
                raise TooLittleData("this formula needs X's engagements")
            return f"n = {v['n']}"

        return draw

    def table(v):
        if v["other"]:
            raise TooLittleData("this formula needs X's engagements")
        return "a table"

    ex = Explorer(
        {"n": W.IntSlider(value=5, min=0, max=9), "other": W.Checkbox(value=False)},
        {
            "summary": (note_when(3), ["n"]),
            "chart": (note_when(3), ["n", "other"]),
            "table": (table, ["other"]),  # not redrawn when n moves
        },
    )
    assert ex.repeated == set()
    ex.controls["n"].value = 1  # summary and chart would say the same: chart stays empty
    assert isinstance(ex.shown["chart"], TooLittleData)
    assert ex.repeated == {"chart"}
    ex.controls["other"].value = True  # table too says it now: empty
    assert ex.repeated == {"chart", "table"}
    ex.controls["n"].value = 2  # the same notes again
    assert ex.repeated == {"chart", "table"}
    # n = 5: summary and chart draw; table was not redrawn (it does not read n) and its
    # note is no longer said above it, so it shows it again
    ex.controls["n"].value = 5
    assert ex.shown["summary"] == "n = 5" and ex.shown["chart"] == "n = 5"
    assert ex.repeated == set()
