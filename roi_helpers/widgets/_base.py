"""The machinery every explorer shares."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as W
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, display
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from pandas.io.formats.style import Styler


class TooLittleData(Exception):
    """Raised by a view when the selection leaves too little data; its text is shown."""


@dataclass
class View:
    """One output area: what it draws, and which controls it depends on."""

    name: str
    draw: Callable[[dict[str, Any]], Any]
    depends_on: tuple[str, ...]
    output: W.Output = field(default_factory=W.Output)


class Explorer:
    """Controls above outputs; a change redraws only the views that depend on it.

    Parameters
    ----------
    controls
        Named widgets with a ``value`` (dropdowns, sliders, multi-selects...).
    views
        ``{name: (draw, depends_on)}``: ``draw(values)`` gets the current control values
        as a dict and returns a matplotlib Figure or Axes, a DataFrame, a string (shown
        as a line of text) or None; it may raise :class:`TooLittleData` with a message
        for the reader. ``depends_on`` names the controls it reads.
    title
        A heading shown above the controls.

    Notes
    -----
    Each redraw clears its output with ``wait=True`` (no flicker) and closes the figure
    it drew, so figures never stack. A note that a view above already shows word for
    word (a formula the selection cannot support, say) is shown once, by the first. Heavy work belongs in cached pure functions that
    ``draw`` calls (see :func:`functools.lru_cache`), so a change recomputes only what
    it must.
    """

    def __init__(
        self,
        controls: Mapping[str, W.ValueWidget],
        views: Mapping[str, tuple[Callable[[dict[str, Any]], Any], Iterable[str]]],
        title: str | None = None,
    ) -> None:
        self.controls = dict(controls)
        self.views = [View(name, fn, tuple(deps)) for name, (fn, deps) in views.items()]
        self.title = title
        self.redraws: dict[str, int] = {v.name: 0 for v in self.views}
        #: What each view showed last: its result, or the TooLittleData note it raised.
        self.shown: dict[str, Any] = {}
        #: Views whose note repeats one shown above: their output is left empty.
        self.repeated: set[str] = set()
        for name, widget in self.controls.items():
            widget.observe(lambda change, n=name: self._changed(n), names="value")
        self.widget = self._layout()
        for view in self.views:
            self._draw(view)

    @property
    def values(self) -> dict[str, Any]:
        """The controls' current values."""
        return {name: w.value for name, w in self.controls.items()}

    def _layout(self) -> W.VBox:
        parts: list[W.Widget] = []
        if self.title:
            parts.append(W.HTML(f"<h3 style='margin:0.2em 0'>{self.title}</h3>"))
        parts.append(W.HBox(list(self.controls.values()), layout=W.Layout(flex_flow="row wrap")))
        for view in self.views:
            # each output area named on the page too (``roi-view-summary``...), for
            # custom styles and for tests that read a dashboard they cannot query
            view.output.add_class("roi-view")
            view.output.add_class(f"roi-view-{view.name}")
            parts.append(view.output)
        box = W.VBox(parts)
        box.add_class("roi-explorer")
        return box

    def _changed(self, control: str) -> None:
        for view in self.views:
            if control in view.depends_on:
                self._draw(view)
        self._show_unrepeated_notes()

    def _draw(self, view: View) -> None:
        self.redraws[view.name] += 1
        with view.output:
            view.output.clear_output(wait=True)
            try:
                result = view.draw(self.values)
            except TooLittleData as note:
                self.shown[view.name] = note
                if str(note) in self._notes_above(view):
                    self.repeated.add(view.name)
                    view.output.clear_output()
                else:
                    self.repeated.discard(view.name)
                    _show_note(note)
                return
            self.repeated.discard(view.name)
            self.shown[view.name] = result
            if result is None:
                # clear_output(wait=True) only clears when something new is shown:
                # a view with nothing to show must still remove what it drew before
                view.output.clear_output()
            _show(result)

    def _notes_above(self, view: View) -> set[str]:
        above = self.views[: self.views.index(view)]
        return {str(n) for v in above if isinstance(n := self.shown.get(v.name), TooLittleData)}

    def _show_unrepeated_notes(self) -> None:
        # a view left empty because a view above said the same, when that one now says
        # something else and the view itself was not redrawn: show its note again
        for view in self.views:
            note = self.shown.get(view.name)
            if view.name in self.repeated and str(note) not in self._notes_above(view):
                self.repeated.discard(view.name)
                with view.output:
                    view.output.clear_output()
                    _show_note(note)

    def _ipython_display_(self) -> None:
        display(self.widget)


def _show_note(note: TooLittleData) -> None:
    display(HTML(f"<div class='roi-note' style='color:#8a4b00'>⚠ {note}</div>"))


def _show(result: Any) -> None:
    if result is None:
        return
    if isinstance(result, Axes):
        result = result.figure
    if isinstance(result, Figure):
        display(result)
        plt.close(result)
    elif isinstance(result, pd.DataFrame | Styler):
        display(result)
    elif isinstance(result, str):
        display(HTML(f"<div class='roi-text'>{result}</div>"))
    else:
        display(result)
