"""Any CSV, Excel, JSON or Parquet file, with a column mapping you give.

``load(path, source="generic", table="posts", columns={"Post ID": "post_id", ...},
platform="linkedin", account="acme")`` renames the file's columns to the table's,
fills ``platform``/``account`` when the file has none, and coerces types like the
canonical reader. It is never picked by sniffing: it needs to be told the mapping.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import schema
from ..clean import CleaningReport
from ..errors import RoiInputError
from ._common import coerce_table, mark_parents_recorded, read_any

NAME = "generic"
DESCRIPTION = "any CSV/Excel/JSON/Parquet with columns={...} mapping and table=..."
PRIORITY = 99


def sniff(path: Path, head: str) -> bool:
    return False


def kind_of(path: Path, *, table: str | None = None, **_: object) -> str:
    if table not in schema.TABLES:
        raise RoiInputError(
            f"the generic reader needs table= one of {', '.join(schema.TABLES)} (got {table!r})",
            path=path,
        )
    return table


def read(
    path: Path,
    report: CleaningReport,
    *,
    table: str | None = None,
    columns: dict[str, str] | None = None,
    tz: str | None = None,
    sheet: str | int | None = None,
    **constants: object,
) -> pd.DataFrame:
    """Read ``path`` as ``table``, renaming with ``columns`` ({file column: canonical name}).

    Keyword arguments naming a canonical column (``platform="x"``, ``account="acme"``)
    fill that column where the file has none.
    """
    kind = kind_of(path, table=table)
    raw = read_any(path, report, sheet=sheet)
    columns = dict(columns or {})
    absent = [c for c in columns if c not in raw.columns]
    if absent:
        header = [c for c in raw.columns if c != "source_row"]
        other = next((s for s in ("|", ";", ":") if len(header) == 1 and s in header[0]), None)
        raise RoiInputError(
            f"columns {', '.join(map(repr, absent))} named in columns= are not in the file; it has "
            + ", ".join(repr(c) for c in header),
            path=path,
            rows=[1],  # the header
            column=absent[0],
            hint=f"Its fields seem separated by {other!r}: save it with commas, semicolons or tabs."
            if other
            else None,
        )
    if raw.empty and not report.n_removed(path):
        raise RoiInputError(
            "holds a header (row 1) but no rows below it",
            path=path,
            expected=f"one {kind[:-1] if kind.endswith('s') else kind} a row below the header",
            hint="Is the export complete?",
        )
    raw = raw.rename(columns=columns)
    known = schema.model_columns(kind)
    for name, value in constants.items():
        if name in known and name not in raw:
            raw[name] = value
    out = coerce_table(raw, kind, report, path, tz=tz)
    return mark_parents_recorded(out, report, path) if kind == "events" else out
