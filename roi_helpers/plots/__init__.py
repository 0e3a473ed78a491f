"""Charts: seaborn, one function per chart, each taking a tidy frame and an optional ``ax=``.

Every function draws on ``ax`` (a new figure's axes when omitted) and returns it, as
seaborn's axes-level functions do, so charts compose into a notebook's own figures.
Titles and axis labels say what is measured and, for rates, with which formula.

The charts are grouped by question: :mod:`~roi_helpers.plots.relevance`,
:mod:`~roi_helpers.plots.engagement`, :mod:`~roi_helpers.plots.virality`; the names are
re-exported here.
"""

from __future__ import annotations

import importlib

__all__: list[str] = []

for _name in ("relevance", "engagement", "virality", "scorecard"):
    try:
        _mod = importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as _exc:  # a concern not written yet
        if _exc.name != f"{__name__}.{_name}":
            raise
        continue
    for _fn in getattr(_mod, "__all__", []):
        globals()[_fn] = getattr(_mod, _fn)
        __all__.append(_fn)
