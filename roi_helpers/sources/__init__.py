"""One module per export format.

Each module defines:

``NAME``
    The format's short name, used as ``load(path, source=NAME)``.
``KIND``
    The canonical table it produces (``"posts"``, ``"audience"``...), or a function
    ``kind_of(path, **options)`` when that depends on the file (canonical, generic).
``DESCRIPTION``
    One line for people: which platform, which export.
``sniff(path, head) -> bool``
    True when the file is in this format. ``head`` is the file's first 64 KiB, decoded
    (``""`` for binary files such as ``.xlsx``); sniffers look at content, not names,
    except where the content cannot be read cheaply.
``read(path, report, **options) -> DataFrame``
    The canonical table, not yet validated, with ``source_row`` (the row as a spreadsheet
    numbers it). Rows it cannot use go to ``report.set_aside``; values it changes go to
    ``report.record``. Options it does not know are ignored. Among them, ``label`` is how
    ``load_dir`` names the file (its path in the folder), for formats that must make ids.
``PRIORITY`` (optional, default 50)
    Sniffing order; lower first. Catch-all formats use a high number.
``exported_at(path) -> Timestamp | None`` (optional)
    When the export was made (often in its name): the later export wins in ``load_dir``.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

__all__ = ["formats", "get"]


def formats() -> list[ModuleType]:
    """Every source module, in sniffing order."""
    mods = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(mod, "sniff") and hasattr(mod, "read"):
            mods.append(mod)
    return sorted(mods, key=lambda m: (getattr(m, "PRIORITY", 50), m.NAME))


def get(name: str) -> ModuleType:
    """The source module called ``name``; a clear error listing the others if none is."""
    known = {m.NAME: m for m in formats()}
    if name not in known:
        raise ValueError(f"No source called {name!r}. Known sources: {', '.join(sorted(known))}.")
    return known[name]
