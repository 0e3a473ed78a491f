"""Shared plumbing for the charts: axes, the kit's palette, a note on empty data."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

#: Colours for relationships, used by every chart that shows them (colour-blind safe).
RELATIONSHIP_COLORS = {
    "client": "#0072B2",
    "prospect": "#56B4E9",
    "partner": "#009E73",
    "competitor": "#D55E00",
    "internal": "#999999",
    "peer": "#E69F00",
    "other": "#CCCCCC",
}


def get_ax(ax: Axes | None, figsize: tuple[float, float] = (7, 4)) -> Axes:
    """``ax`` itself, or the axes of a new figure of ``figsize``."""
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def no_data(ax: Axes, message: str) -> Axes:
    """Say on the chart itself why there is nothing to draw, and return ``ax``."""
    ax.set_axis_off()
    ax.text(
        0.5, 0.5, message, ha="center", va="center", wrap=True, transform=ax.transAxes, color="0.3"
    )
    return ax
