"""Key numbers a notebook records, for the report index, the scorecard and the tests.

A notebook's last cell calls :func:`record` with the few numbers a reader (or a test)
needs; they are written as JSON beside the executed notebook. Two keys are for people:
``headline`` (one sentence that says what the notebook found) and ``highlights`` (a few
``{label: formatted value}``, such as ``{"Buyer share": "16.2%"}``): the report's index
shows them instead of the raw numbers. This replaces scrapbook,
whose dataframe support breaks on pandas 3.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["no_data", "read", "record"]


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.isoformat()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def record(name: str, values: Mapping[str, Any], output_dir: str | Path) -> Path:
    """Write ``values`` to ``<output_dir>/<name>.numbers.json`` and return the path.

    Values may be numbers, strings, timestamps, lists or dicts of them; NaN and ``<NA>``
    become ``null``. Existing keys in the file are replaced, others kept.

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> p = record("02_engagement_rates", {"rate": 0.031, "n_posts": 120}, d)
    >>> read("02_engagement_rates", d)["n_posts"]
    120
    """
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.numbers.json"
    current = json.loads(path.read_text()) if path.exists() else {}
    current.update(_plain(dict(values)))
    path.write_text(json.dumps(current, indent=2))  # in the order given: highlights read as chosen
    return path


def read(name: str, output_dir: str | Path) -> dict[str, Any]:
    """The numbers a notebook recorded (an empty dict when it recorded none)."""
    path = Path(output_dir) / f"{name}.numbers.json"
    return json.loads(path.read_text()) if path.exists() else {}


def no_data(name: str, reason: str, output_dir: str | Path) -> Path:
    """Record that a notebook had nothing to analyse in its data folder, and why.

    ``roi report`` then lists the notebook as *skipped: no data* with ``reason``, rather
    than as finished with empty results. The notebook itself should also say so in a
    sentence, and stop its sections gracefully.

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> _ = no_data("03_virality", "no reshare events in this folder", d)
    >>> read("03_virality", d)["no_data"]
    'no reshare events in this folder'
    """
    return record(name, {"no_data": reason}, output_dir)
