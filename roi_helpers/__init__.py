"""roi_helpers: the return on influence, measured from the platforms' own exports.

The package computes; the notebooks narrate. Start with :func:`load` (one export) or
:func:`load_dir` (a folder of them): every loader returns one of the canonical tables of
:mod:`roi_helpers.schema`, validated, with a :class:`CleaningReport` of every row it set
aside, deduplicated, changed or flagged.

Modules, one per concern: ``schema`` (tables), ``sources`` (one module per export format),
``clean`` (accountable cleaning), ``parsing`` (numbers and dates as exports write them),
``relevance`` (is my network relevant?), ``engagement`` (does my audience engage?),
``virality`` (does my content travel?), ``plots``, ``widgets``, ``report`` and ``sample``.
"""

from importlib.metadata import PackageNotFoundError, version

from .clean import CleaningReport, clean_table, safe_for_spreadsheet
from .errors import RoiInputError
from .loading import Dataset, Loaded, load, load_dir
from .schema import TABLES, validate

try:
    __version__ = version("roi-helpers")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = [
    "TABLES",
    "CleaningReport",
    "Dataset",
    "Loaded",
    "RoiInputError",
    "__version__",
    "clean_table",
    "load",
    "load_dir",
    "safe_for_spreadsheet",
    "validate",
]
