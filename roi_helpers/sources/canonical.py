"""The kit's own canonical tables, as CSV or Parquet (what ``save`` writes, and the sample).

The columns are those of :mod:`roi_helpers.schema`; which table a file holds is read from
its columns (the table whose required columns are all there, the most specific first), or
forced with ``table=``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import schema
from ..clean import CleaningReport
from ..errors import RoiInputError
from ._common import coerce_table, first_lines, mark_parents_recorded, parse_header, read_any

NAME = "canonical"
DESCRIPTION = "the kit's canonical tables (CSV or Parquet with the schema's column names)"
PRIORITY = 80


def _columns(path: Path, head: str) -> list[str]:
    if path.suffix.lower() in {".parquet", ".pq"}:
        import pyarrow.parquet as pq

        return list(pq.read_schema(path).names)
    lines = first_lines(head, 1)
    return parse_header(lines[0]) if lines else []


def _kind_from(columns: list[str]) -> str | None:
    cols = set(columns)
    fits = [
        (len(schema.required_columns(k)), k)
        for k in schema.TABLES
        if set(schema.required_columns(k)) <= cols
    ]
    return max(fits)[1] if fits else None


def sniff(path: Path, head: str) -> bool:
    if path.suffix.lower() not in {".csv", ".parquet", ".pq"}:
        return False
    return _kind_from(_columns(path, head)) is not None


def kind_of(path: Path, *, table: str | None = None, **_: object) -> str:
    if table is not None:
        return table
    from ._common import read_head

    kind = _kind_from(_columns(path, read_head(path)))
    if kind is None:
        raise RoiInputError(
            "its columns match no canonical table",
            path=path,
            hint="Pass table='posts' (or another) and map columns with source='generic'.",
        )
    return kind


def read(
    path: Path,
    report: CleaningReport,
    *,
    table: str | None = None,
    tz: str | None = None,
    **_: object,
) -> pd.DataFrame:
    """Read a canonical table, coercing each column to the schema's type."""
    kind = kind_of(path, table=table)
    # ids and text stay text (a post id is not a number); pyarrow types the rest as it reads
    text = [
        n
        for n, c in schema.model_columns(kind).items()
        if str(c.dtype).startswith(("str", "string"))
    ]
    raw = read_any(path, report, string_columns=text)
    out = coerce_table(raw, kind, report, path, tz=tz)
    return mark_parents_recorded(out, report, path) if kind == "events" else out
