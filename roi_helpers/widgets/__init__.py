"""Interactive explorers: a thin, optional layer over the package's pure functions.

Every control drives the same functions the static notebook cells call; nothing here
computes a metric of its own. Scheduled (papermill) runs create no widgets at all:
notebooks build an explorer only when their ``interactive`` parameter is true.

Explorers per question live in :mod:`~roi_helpers.widgets.relevance`,
:mod:`~roi_helpers.widgets.engagement` and :mod:`~roi_helpers.widgets.virality`; the
plumbing they share (redraw without flicker, a note when too little data is left,
recomputing only the views a control feeds) is :class:`Explorer`.
"""

from __future__ import annotations

import importlib

from ._base import Explorer, TooLittleData

__all__ = ["Explorer", "TooLittleData"]

for _name in ("relevance", "engagement", "virality"):
    try:
        _mod = importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as _exc:
        if _exc.name != f"{__name__}.{_name}":
            raise
        continue
    for _fn in getattr(_mod, "__all__", []):
        globals()[_fn] = getattr(_mod, _fn)
        __all__.append(_fn)
