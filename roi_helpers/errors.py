"""Errors written for the person who made the mistake."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

__all__ = ["RoiInputError", "format_rows"]


def format_rows(rows: Iterable[int], limit: int = 8) -> str:
    """Say which rows, shortly: ``"rows 3, 7, 12 and 40 more"``.

    Parameters
    ----------
    rows
        Row numbers as a person sees them in a spreadsheet (1 = first line of the file).
    limit
        How many to list before summarising the rest.

    Examples
    --------
    >>> format_rows([5])
    'row 5'
    >>> format_rows(range(2, 20), limit=3)
    'rows 2, 3, 4 and 15 more'
    """
    rows = sorted({int(r) for r in rows})
    if not rows:
        return "no rows"
    if len(rows) == 1:
        return f"row {rows[0]}"
    shown = ", ".join(str(r) for r in rows[:limit])
    rest = len(rows) - limit
    return f"rows {shown}" + (f" and {rest} more" if rest > 0 else "")


class RoiInputError(ValueError):
    """Bad input, explained: which file, which rows, which column, what was expected.

    It is a ``ValueError``, so code that already catches those keeps working. The
    attributes keep the parts apart for programs; ``str(error)`` reads as one sentence.

    Examples
    --------
    >>> err = RoiInputError("is empty", path="Connections.csv", hint="Export it again.")
    >>> str(err)
    'Connections.csv: is empty. Export it again.'
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        rows: Iterable[int] | None = None,
        column: str | None = None,
        expected: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.path = None if path is None else Path(path)
        self.rows = None if rows is None else sorted({int(r) for r in rows})
        self.column = column
        self.expected = expected
        self.hint = hint
        self.reason = message
        where = []
        if self.rows:
            where.append(format_rows(self.rows))
        if column is not None:
            where.append(f"column {column!r}")
        text = ""
        if self.path is not None:
            text += f"{self.path.name}: "
        if where:
            text += ", ".join(where) + ": "
        text += message
        if expected:
            text += f" (expected {expected})"
        if not text.endswith((".", "!", "?")):
            text += "."
        if hint:
            text += f" {hint}"
        super().__init__(text)
