"""What every export reader needs: decoding, fast CSV reading, header matching, time zones.

Private to ``roi_helpers.sources``: source modules import from here, users never need to.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import mmap
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..clean import CleaningReport
from ..errors import RoiInputError, format_rows
from ..parsing import parse_counts, parse_rates

HEAD_BYTES = 64 * 1024


def _reading_pool() -> pa.MemoryPool:
    """Where reading allocates: jemalloc, where pyarrow has it (Linux and macOS wheels).

    pyarrow's default (mimalloc, in recent versions) hands freed memory back to the
    system at once, so that each step of a large read faults fresh pages in again:
    on a million-row export that was half of the reading time. jemalloc keeps it for
    the next step. Used for the reads and conversions here only: pyarrow's default pool
    stays as the user set it.
    """
    try:
        return pa.jemalloc_memory_pool()
    except NotImplementedError:  # Windows wheels: the default pool
        return pa.default_memory_pool()


_REPLACEMENT = "\ufffd"


# -- bytes and text --------------------------------------------------------------------------
def detect_encoding(raw: bytes) -> str:
    """Guess a file's encoding from its first bytes: a BOM, UTF-16 zero bytes, else UTF-8."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(raw) >= 4 and raw[1:4:2] == b"\x00\x00" and raw[0] != 0:
        return "utf-16-le"
    if len(raw) >= 4 and raw[0:4:2] == b"\x00\x00" and raw[1] != 0:
        return "utf-16-be"
    return "utf-8"


def is_binary(raw: bytes) -> bool:
    """True for zip containers (xlsx, parquet's magic too) and other non-text files."""
    if raw.startswith((b"PK\x03\x04", b"PAR1", b"\xd0\xcf\x11\xe0")):
        return True
    enc = detect_encoding(raw)
    return enc.startswith("utf-8") and b"\x00" in raw[:4096]


def read_head(path: Path, nbytes: int = HEAD_BYTES) -> str:
    """The first ``nbytes`` of a text file, decoded (invalid bytes replaced); ``""`` if binary."""
    with open(path, "rb") as fh:
        raw = fh.read(nbytes)
    if not raw or is_binary(raw):
        return ""
    enc = detect_encoding(raw)
    text = raw.decode(enc, errors="replace")
    return text.lstrip("\ufeff")


def first_lines(head: str, n: int = 12) -> list[str]:
    """The first ``n`` physical lines of a decoded head, without line endings."""
    return head.splitlines()[:n]


def parse_header(line: str, sep: str = ",") -> list[str]:
    """Split one header line as CSV (quotes respected), names stripped."""
    row = next(csv.reader([line], delimiter=sep), [])
    return [c.strip().lstrip("\ufeff") for c in row]


def norm(name: str) -> str:
    """Normalise a column name for matching: lower case, accents and punctuation folded.

    >>> norm("  Post Link ")
    'post link'
    >>> norm("URL Clicks") == norm("Url clicks")
    True
    """
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9%:]+", " ", text.lower()).strip()


def unique_names(names: Sequence[str]) -> list[str]:
    """Make repeated column names unique the way pandas does (``a``, ``a.1``, ``a.2``)."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name in seen:
            seen[name] += 1
            out.append(f"{name}.{seen[name]}")
        else:
            seen[name] = 0
            out.append(name)
    return out


# -- reading CSV fast, accounting for every row ------------------------------------------------
def read_csv(
    path: Path,
    report: CleaningReport,
    *,
    header_row: int = 1,
    sep: str = ",",
    string_columns: Iterable[str] | None = None,
    all_strings: bool = False,
    dash_is_empty: bool = False,
) -> pd.DataFrame:
    """Read a CSV export with pyarrow, keeping each row's spreadsheet row number.

    Parameters
    ----------
    path
        The file.
    report
        Rows with the wrong number of fields are set aside here (their fields under the
        file's own column names, so reports can hide names and links by column), and
        cells whose bytes were not valid UTF-8 are recorded as coerced (the bytes as read
        in ``original``).
    header_row
        Row number (1-based, as a spreadsheet shows it) of the header line; rows before it
        (LinkedIn's notes) are skipped.
    sep
        Field separator.
    string_columns
        Columns to keep as text whatever they look like (ids), by header name.
    all_strings
        Read every column as text.
    dash_is_empty
        Read a cell holding only ``-`` as empty in every column but ``string_columns``
        (X writes ``-`` in its promoted columns for a tweet that was not promoted), so
        that pyarrow reads those columns as numbers; whole-number columns with empty
        cells then come as ``Int64``, not as floats. Text columns keep their ``-``.

    Returns
    -------
    DataFrame
        Columns as in the file (repeated names made unique: ``a``, ``a.1``), text as
        pandas strings, empty cells as missing, plus ``source_row``: the row as a
        spreadsheet numbers it (a value holding line breaks is one row; a blank line is
        a row too, so rows after it keep their numbers). Empty rows (blank lines, or
        only separators) are not data: they are left out, and those before the last data
        row are noted in the report.

    Raises
    ------
    RoiInputError
        An empty file, a file that ends inside a quoted value (truncated), or one that
        is not CSV at all.
    """
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    encoding = detect_encoding(head)
    data: bytes | None = None
    if encoding.startswith("utf-16"):  # small files (spreadsheet re-saves): decoded here
        data = path.read_bytes().decode(encoding, errors="replace").encode("utf-8")
        data = data.removeprefix(codecs.BOM_UTF8)
        head = data[:HEAD_BYTES]
    if _is_blank(path, head, data):
        raise RoiInputError(
            "the file is empty", path=path, hint="Export it again from the platform."
        )
    if _quotes(path, data) % 2:
        raise RoiInputError(
            "the file ends inside a quoted value",
            path=path,
            expected="every opening quote to be closed",
            hint="The file looks truncated: download or export it again.",
        )
    header_line = _physical_line(path, data, header_row)
    names = unique_names(parse_header(header_line.decode("utf-8", errors="replace"), sep))
    if not any(names):
        raise RoiInputError(
            f"no header found at row {header_row}", path=path, hint="Is this the right file?"
        )
    strings = set(names) if all_strings else set(string_columns or ()) & set(names)
    bad: list[pacsv.InvalidRow] = []

    def _on_bad(row: pacsv.InvalidRow) -> str:
        bad.append(row)
        return "skip"

    nulls = pacsv.ConvertOptions().null_values  # pyarrow's own list: "", NA, NaN, null...
    dash_nulls = [*nulls, "-"] if dash_is_empty else nulls

    def _read(
        source: bytes | None,
        threads: bool,
        types: dict[str, pa.DataType],
        null_values: list[str] = dash_nulls,
        only: list[str] | None = None,
    ) -> pa.Table:
        return pacsv.read_csv(
            pa.BufferReader(source) if source is not None else str(path),
            memory_pool=_reading_pool(),
            read_options=pacsv.ReadOptions(
                skip_rows=header_row, column_names=names, use_threads=threads
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=sep,
                newlines_in_values=True,
                invalid_row_handler=_on_bad,
                # blank lines are read as empty rows, so that every row keeps its number
                ignore_empty_lines=False,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=types,
                null_values=null_values,
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                include_columns=only,
            ),
        )

    def _read_checked(source: bytes | None, types: dict[str, pa.DataType]) -> pa.Table:
        bad.clear()
        table = _read(source, True, types)
        if any(b.number is None for b in bad):
            bad.clear()
            table = _read(source, False, types)  # rare: only to learn the bad rows' numbers
        if dash_is_empty:
            table = _text_dashes_back(source, table, types)
        return table

    def _text_dashes_back(
        source: bytes | None, table: pa.Table, types: dict[str, pa.DataType]
    ) -> pa.Table:
        """Text columns with empty cells read again without taking ``-`` as empty (rare)."""
        gaps = [n for n in types if table.column(n).null_count]
        if not gaps:
            return table
        kept = list(bad)  # the same bad rows are skipped again: counted once
        again = _read(source, True, types, nulls, gaps)
        bad[:] = kept
        for n in gaps:
            table = table.set_column(table.schema.get_field_index(n), n, again.column(n))
        return table

    # large_string is what pandas keeps text in: read so, a column is not copied to become it
    text_types = {n: pa.large_string() for n in strings}
    raw_bytes: bytes | None = None
    try:
        # UTF-8 is checked by pyarrow as it reads, not in a pass of its own: text columns
        # with invalid bytes raise, inferred ones come back as binary
        try:
            table = _read_checked(data, text_types)
            invalid = any(pa.types.is_binary(f.type) for f in table.schema)
        except pa.ArrowInvalid as exc:
            if "utf8" not in str(exc).lower() and "utf-8" not in str(exc).lower():
                raise
            invalid = True
        if invalid:  # rare: replace the invalid bytes, and keep them to show in the report
            raw_bytes = data if data is not None else path.read_bytes()
            data = raw_bytes.decode("utf-8", errors="replace").encode("utf-8")
            table = _read_checked(data, text_types)
    except pa.ArrowInvalid as exc:
        raise RoiInputError(
            f"could not be read as CSV ({exc})", path=path, hint="Is it the right file and format?"
        ) from None
    numbers = _row_numbers(header_row, len(table), bad)
    empty = _empty_rows(table)
    pool = _reading_pool()
    df = (
        _whole_numbers_to_pandas(table, pool)
        if dash_is_empty
        else table.to_pandas(memory_pool=pool)
    )
    df.columns = names
    df["source_row"] = pd.arrays.IntegerArray(numbers, np.zeros(len(numbers), dtype=bool))
    if raw_bytes is not None:
        _report_replacements(df, raw_bytes, names, header_row, sep, path, report)
    if bad:
        _set_aside_bad_rows(bad, names, sep, path, report)
    if empty is not None:
        _note_empty_rows(numbers[empty], int(numbers[~empty].max(initial=0)), path, report)
        df = df[~empty].reset_index(drop=True)
    return df


def _whole_numbers_to_pandas(table: pa.Table, pool: pa.MemoryPool | None = None) -> pd.DataFrame:
    """``table.to_pandas()``, but columns of whole numbers (``2633.0`` too) come as ``Int64``.

    Cast in arrow, the values go to pandas without the float copy ``to_pandas`` would
    make (and a count column with gaps does not become floats on the way).
    """
    whole: dict[str, pd.arrays.IntegerArray] = {}
    for name, ints in zip(table.column_names, table.columns, strict=True):
        if not (pa.types.is_floating(ints.type) or pa.types.is_integer(ints.type)):
            continue
        fresh = ints.type != pa.int64()
        if fresh:
            try:  # a safe cast: fractions, infinities and numbers past int64 refuse
                ints = pc.cast(ints, pa.int64(), memory_pool=pool)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                continue
        if ints.num_chunks == 1 and not fresh:  # the table's own buffer: copied
            ints = pa.chunked_array([pc.add(ints.chunk(0), 0, memory_pool=pool)])
        whole[name] = pd.arrays.IntegerArray(*_ints_and_mask(ints, pool))
    rest = table.drop_columns(list(whole)) if whole else table
    rest = rest.to_pandas(memory_pool=pool)
    if not whole:
        return rest
    columns = {n: whole[n] if n in whole else rest[n] for n in table.column_names}
    return pd.DataFrame(columns, index=rest.index, copy=False)


def _is_blank(path: Path, head: bytes, data: bytes | None) -> bool:
    """True when the file holds nothing but white space (a BOM included)."""
    if data is not None:
        return not data.strip()
    if head.removeprefix(codecs.BOM_UTF8).strip():
        return False
    return len(head) < HEAD_BYTES or not path.read_bytes().removeprefix(codecs.BOM_UTF8).strip()


def _quotes(path: Path, data: bytes | None) -> int:
    """How many ``"`` the file holds: counted on a memory map, in C, without a copy in Python."""
    if data is not None:
        return data.count(b'"')
    # on Linux the pages are mapped in one go (MAP_POPULATE), not one fault at a time
    how: dict[str, int] = (
        {"flags": mmap.MAP_SHARED | mmap.MAP_POPULATE, "prot": mmap.PROT_READ}
        if hasattr(mmap, "MAP_POPULATE")
        else {"access": mmap.ACCESS_READ}
    )
    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, **how) as mm:
        view = np.frombuffer(mm, dtype=np.uint8)
        step, count = 1 << 24, 0
        for start in range(0, len(view), step):
            count += int(np.count_nonzero(view[start : start + step] == 34))
        del view  # the map cannot close while a view of it lives
    return count


def _physical_line(path: Path, data: bytes | None, row: int) -> bytes:
    """Line ``row`` (1-based) of the file, without its line ending."""
    if data is not None:
        lines = data.split(b"\n", row)
        return lines[row - 1].rstrip(b"\r") if len(lines) >= row else b""
    with open(path, "rb") as fh:
        line = b""
        for _ in range(row):
            line = fh.readline()
    return line.removeprefix(codecs.BOM_UTF8).rstrip(b"\r\n") if row >= 1 else b""


def _row_numbers(header_row: int, n: int, bad: Sequence[pacsv.InvalidRow]) -> np.ndarray:
    """Each table row's number in the file: the rows after the header, but the bad ones.

    pyarrow numbers an invalid row from the top of the file (the skipped notes and the
    header included, a value holding line breaks counting once), as a spreadsheet does.
    """
    first = header_row + 1
    numbers = np.arange(first, first + n + len(bad), dtype="int64")
    if bad:
        numbers = numbers[~np.isin(numbers, [int(b.number) for b in bad])]
    return numbers[:n]


def _empty_rows(table: pa.Table) -> np.ndarray | None:
    """True for rows where every field is empty (blank lines); None when there are none."""
    if table.num_columns == 0 or any(c.null_count == 0 for c in table.columns):
        return None
    mask = pc.is_null(table.column(0))
    for col in table.columns[1:]:
        mask = pc.and_(mask, pc.is_null(col))
    empty = mask.to_numpy(zero_copy_only=False)
    return empty if empty.any() else None


def _note_empty_rows(rows: np.ndarray, last: int, path: Path, report: CleaningReport) -> None:
    inside = rows[rows < last]  # blank lines at the very end say nothing
    if len(inside):
        report.note(
            path,
            rule="empty rows skipped",
            reason=f"{format_rows(inside)} {'is' if len(inside) == 1 else 'are'} empty: "
            "skipped (the rows after keep their numbers, as in a spreadsheet)",
        )


def _set_aside_bad_rows(
    bad: Sequence[pacsv.InvalidRow], names: list[str], sep: str, path: Path, report: CleaningReport
) -> None:
    """Set aside rows with the wrong number of fields, each field under its column's name.

    The raw line is not kept as one text: names, links and emails stay in columns named as
    in the file, where reports know to hide them.
    """
    fields = [next(csv.reader([b.text], delimiter=sep), []) for b in bad]
    width = len(names)
    frame = pd.DataFrame(
        {
            name: pd.array(
                [f[i] if i < len(f) and f[i] != "" else None for f in fields], dtype="str"
            )
            for i, name in enumerate(names)
        }
    )
    extra = [sep.join(f[width:]) if len(f) > width else None for f in fields]
    if any(e is not None for e in extra):
        frame["extra_fields"] = pd.array(extra, dtype="str")
    frame.insert(0, "source_row", pd.array([int(b.number) for b in bad], dtype="Int64"))
    report.set_aside(
        path,
        frame,
        rule="wrong number of fields",
        reason=[
            f"has {b.actual_columns} fields where the header has {b.expected_columns}" for b in bad
        ],
    )


def _report_replacements(
    df: pd.DataFrame,
    raw: bytes,
    names: list[str],
    header_row: int,
    sep: str,
    path: Path,
    report: CleaningReport,
) -> None:
    """Record each cell whose bytes were not valid UTF-8, with the bytes as read."""
    hits = {
        col: hit
        for col in names
        if pd.api.types.is_string_dtype(df[col])
        and (hit := df[col].str.contains(_REPLACEMENT, regex=False, na=False).to_numpy()).any()
    }
    if not hits:
        return
    # the same rows once more, the affected columns as bytes: what the file really holds
    as_read = pacsv.read_csv(
        pa.BufferReader(raw),
        read_options=pacsv.ReadOptions(skip_rows=header_row, column_names=names, use_threads=False),
        parse_options=pacsv.ParseOptions(
            delimiter=sep,
            newlines_in_values=True,
            invalid_row_handler=lambda _row: "skip",
            ignore_empty_lines=False,
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.binary() for n in names}, include_columns=list(hits)
        ),
    )
    for col, hit in hits.items():
        cells = np.asarray(as_read.column(col).to_pylist(), dtype=object)
        original = [repr(v) if v is not None else None for v in cells[hit]]
        report.record(
            path,
            df.loc[hit, "source_row"],
            rule="invalid UTF-8",
            action="coerced",
            column=col,
            original=original,
            value=df.loc[hit, col],
            reason="bytes that are not valid UTF-8 were replaced by \ufffd: the file was "
            "probably saved in another encoding (Latin-1, Windows-1252)",
        )


# -- columns ----------------------------------------------------------------------------------
def match_columns(columns: Iterable[str], aliases: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Map canonical names to the file's columns, by case- and punctuation-blind aliases.

    Parameters
    ----------
    columns
        The file's header.
    aliases
        For each canonical name, the names exports use for it (first match wins).

    Returns
    -------
    dict
        ``{canonical: column in the file}`` for the names found.

    Examples
    --------
    >>> match_columns(["Post Link", "URL Clicks"], {"url": ["Link", "Post link"], "clicks": ["url clicks"]})
    {'url': 'Post Link', 'clicks': 'URL Clicks'}
    """
    by_norm: dict[str, str] = {}
    for col in columns:
        by_norm.setdefault(norm(col), col)
    found = {}
    for canonical, names in aliases.items():
        for name in names:
            if norm(name) in by_norm:
                found[canonical] = by_norm[norm(name)]
                break
    return found


def require(
    found: Mapping[str, str],
    needed: Iterable[str],
    path: Path,
    seen: Iterable[str],
    fmt: str,
    *,
    aliases: Mapping[str, Sequence[str]] | None = None,
    header_row: int | None = None,
) -> None:
    """Raise a clear error when columns a format needs are absent.

    The message names the kit's columns (``company, title``), as callers that say them
    back in an export's words expect. With ``aliases`` and ``header_row``, the error also
    carries the header's row and the first missing column as the export names it, says
    which names are accepted, and whether the header seems split by another separator.
    """
    missing = [n for n in needed if n not in found]
    if not missing:
        return
    header = [c for c in seen if c != "source_row"]
    column = expected = None
    hint = (
        "Check that this is the right export, or that the file was not re-saved with other "
        "column names."
    )
    if aliases is not None:
        column = aliases[missing[0]][0] if missing[0] in aliases else missing[0]
        expected = (
            "; ".join(
                f"{aliases[k][0]!r}"
                + (f" (or {', '.join(map(repr, aliases[k][1:]))})" if len(aliases[k]) > 1 else "")
                for k in missing
                if k in aliases
            )
            or None
        )
        other = next(
            (s for s in ("|", ":", ";", "\t", ",") if len(header) == 1 and s in header[0]), None
        )
        if other is not None:
            hint = (
                f"Its fields seem separated by {other!r}: save it with commas, semicolons or tabs."
            )
    raise RoiInputError(
        f"missing column(s) {', '.join(missing)} for a {fmt}; the header has: "
        + ", ".join(repr(c) for c in header),
        path=path,
        rows=None if header_row is None else [header_row],
        column=column,
        expected=expected,
        hint=hint,
    )


# -- time --------------------------------------------------------------------------------------
def to_utc(
    naive: pd.Series,
    tz: str | None,
    *,
    report: CleaningReport,
    path: Path,
    column: str,
    rows: pd.Series | None = None,
) -> pd.Series:
    """Localise naive timestamps to ``tz`` (default UTC) and convert to UTC, noting it.

    Around a clock change some local times are ambiguous or do not exist. The rule, the
    same for every source:

    - a time that happened twice (``2025-10-26 02:30`` in Europe/Amsterdam, when the
      clocks went back) is read as the *first* of the two, in summer time (00:30 UTC,
      not 01:30): an export written in local time cannot say which, and the earlier
      reading is at most an hour off;
    - a time that never happened (``2025-03-30 02:30``, skipped when the clocks went
      forward) is moved forward to the first time after the gap (03:00, 01:00 UTC).

    Each such cell is recorded as coerced, with its file, row, column, the local time as
    written and the UTC time kept, and why; none is left unknown.
    """
    tz = tz or "UTC"
    if naive.dt.tz is not None:
        return naive.dt.tz_convert("UTC").dt.as_unit("us")
    try:
        pd.Timestamp("2020-01-01").tz_localize(tz)
    except Exception:
        raise RoiInputError(
            f"the time zone tz={tz!r} is not one the kit knows",
            path=path,
            column=column,
            expected="an IANA name such as 'Europe/Paris', 'America/New_York' or 'UTC'",
        ) from None
    out = naive.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
    lost = out.isna() & naive.notna()
    if lost.any():  # rare: only times next to a clock change
        odd = naive[lost]
        first = np.ones(len(odd), dtype=bool)  # ambiguous: the first, daylight-saving, time
        moved = odd.dt.tz_localize(tz, ambiguous=first, nonexistent="shift_forward")
        later = odd.dt.tz_localize(tz, ambiguous=~first, nonexistent="shift_forward")
        out = out.copy()
        out[lost] = moved
        _record_clock_changes(odd, moved, later, tz, report, path, column, rows)
    report.note(
        path,
        rule="time zone assumed",
        reason=f"{column!r} has no time zone: read as {tz}"
        + ("" if tz != "UTC" else " (pass tz='Europe/Paris' or similar to load() if not)"),
    )
    return out.dt.tz_convert("UTC").dt.as_unit("us")


def _record_clock_changes(
    naive: pd.Series,
    moved: pd.Series,
    later: pd.Series,
    tz: str,
    report: CleaningReport,
    path: Path,
    column: str,
    rows: pd.Series | None,
) -> None:
    """Record the local times a clock change made ambiguous (read as the first) or skipped (moved).

    ``moved`` holds the times kept, ``later`` the same local times read the other way (the
    second of two, where a time happened twice).
    """
    twice = moved != later
    where = rows.reindex(naive.index) if rows is not None else pd.Series(pd.NA, index=naive.index)
    original = naive.dt.strftime("%Y-%m-%d %H:%M:%S")
    utc = moved.dt.tz_convert("UTC").dt.strftime("%Y-%m-%d %H:%M:%S UTC")
    local = moved.dt.strftime("%H:%M %Z")
    if twice.any():
        report.record(
            path,
            where[twice],
            rule="ambiguous local time",
            action="coerced",
            column=column,
            original=original[twice],
            value=utc[twice],
            reason=(
                f"happened twice in {tz} (the clocks went back): read as the first of the "
                "two, " + local[twice] + ", not the second, " + later.dt.strftime("%H:%M %Z")[twice]
            ).to_numpy(dtype=object),
        )
    skipped = ~twice
    if skipped.any():
        report.record(
            path,
            where[skipped],
            rule="local time that does not exist",
            action="coerced",
            column=column,
            original=original[skipped],
            value=utc[skipped],
            reason=(
                f"does not exist in {tz} (the clocks went forward past it): moved to the "
                "first time after the gap, " + local[skipped]
            ).to_numpy(dtype=object),
        )


def parse_dates(
    values: pd.Series,
    formats: Sequence[str],
    *,
    report: CleaningReport,
    path: Path,
    column: str,
    rows: pd.Series,
) -> pd.Series:
    """Parse text dates trying each format in turn; unreadable ones recorded and left NaT."""
    text = values.astype("str").str.strip()
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    todo = values.notna() & (text != "")
    for fmt in formats:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        ok = parsed.notna()
        out.loc[ok[ok].index] = (
            parsed[ok].dt.tz_localize(None) if getattr(parsed.dt, "tz", None) else parsed[ok]
        )
        todo.loc[ok[ok].index] = False
    if todo.any():
        report.record(
            path,
            rows[todo],
            rule="unreadable date",
            action="coerced",
            column=column,
            original=values[todo],
            reason=f"not a date like {_examples(formats)}: read as unknown",
        )
    return out


def _examples(formats: Sequence[str], limit: int = 3) -> str:
    """Date formats said as examples: ``24 Mar 2025, 24-Mar-25 or 2025-03-24``."""
    when = pd.Timestamp("2025-03-24 14:30:00")
    shown = list(dict.fromkeys(when.strftime(f) for f in formats))
    more = len(shown) - limit
    shown = shown[:limit]
    text = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]
    return text + (f" ({more} other forms tried)" if more > 0 else "")


# -- people --------------------------------------------------------------------------------------
def pseudonym(values: pd.Series, prefix: str = "p", digest_size: int = 4) -> pd.Series:
    """Stable short pseudonyms (``p-3f9a1c2b``) from any identifying text; missing stays missing.

    ``digest_size`` bytes of hash (two hex digits each): 4 tells tens of thousands of
    values apart with rare collisions, 8 makes a collision unheard of.
    """

    def _h(v: object) -> object:
        if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
            return pd.NA
        return f"{prefix}-" + hashlib.blake2b(str(v).encode(), digest_size=digest_size).hexdigest()

    return values.map(_h).astype("str")


# -- frames already in (or mapped to) a canonical shape -------------------------------------------
def read_any(
    path: Path,
    report: CleaningReport,
    *,
    sheet: str | int | None = None,
    string_columns: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Read CSV, Excel, JSON or Parquet into a frame of raw values with ``source_row``.

    A CSV is read as text throughout, unless ``string_columns`` names the columns to keep
    as text: the others are then typed by pyarrow as it reads (numbers, ISO timestamps),
    which is much faster on large files. Its separator is the one of ``,``, ``;`` (Excel
    in European languages) and tab that splits the header into the most columns.
    """
    suffix = path.suffix.lower()
    if suffix in {".csv", ".txt", ".tsv"}:
        sep = "\t" if suffix == ".tsv" else header_separator(read_head(path))
        if string_columns is None:
            return read_csv(path, report, sep=sep, all_strings=True)
        return read_csv(path, report, sep=sep, string_columns=string_columns)
    if suffix in {".parquet", ".pq"}:
        df = pd.read_parquet(path)
    elif suffix in {".xlsx", ".xlsm", ".xls"}:
        df = pd.read_excel(path, sheet_name=sheet or 0)
    elif suffix in {".json", ".jsonl", ".ndjson"}:
        df = pd.read_json(path, lines=suffix != ".json")
    else:
        raise RoiInputError(
            f"cannot read files ending in {suffix!r}",
            path=path,
            expected="CSV, Excel (.xlsx), JSON or Parquet",
        )
    if len(df.columns) == 0:
        raise RoiInputError("the file holds no columns", path=path)
    df = df.reset_index(drop=True)
    df["source_row"] = pd.array(range(2, len(df) + 2), dtype="Int64")
    return df


_HAS_OFFSET = r"(?:Z|[+-]\d{2}:?\d{2})\s*$"


def _to_datetime(text: pd.Series, utc: bool) -> pd.Series:
    """ISO 8601 parsed in C first; only what fails goes through pandas' slower mixed parser."""
    out = pd.to_datetime(text, errors="coerce", format="ISO8601", utc=utc)
    todo = out.isna() & text.notna()
    if todo.any():
        again = pd.to_datetime(text[todo], errors="coerce", format="mixed", utc=utc)
        out = out.astype(again.dtype) if out.isna().all() else out
        out[todo] = again
    return out


def _parse_times(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Timestamps as UTC, and which were written without a time zone (to localise)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        if values.dt.tz is not None:
            return values.dt.tz_convert("UTC"), pd.Series(False, index=values.index)
        return values.dt.tz_localize("UTC"), values.notna()
    text = values.astype("str").str.strip()
    # which carry an offset (Z, +02:00): matched in C by pyarrow, not row by row in Python
    arrow = pa.array(text)
    aware = pd.Series(
        pc.fill_null(pc.match_substring_regex(arrow, _HAS_OFFSET), False).to_numpy(
            zero_copy_only=False
        ),
        index=values.index,
    )
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us, UTC]")
    if aware.any():
        out[aware] = _to_datetime(text[aware], utc=True).dt.as_unit("us")
    naive = text.notna() & ~aware
    if naive.any():
        out[naive] = _to_datetime(text[naive], utc=False).dt.tz_localize("UTC").dt.as_unit("us")
    return out, naive & out.notna()


def coerce_table(
    df: pd.DataFrame,
    kind: str,
    report: CleaningReport,
    path: Path,
    *,
    tz: str | None = None,
) -> pd.DataFrame:
    """Turn raw columns named as the canonical table into its dtypes, recording failures.

    Counts go through :func:`roi_helpers.parsing.parse_counts`, rates and averages through
    :func:`~roi_helpers.parsing.parse_numbers`, timestamps are parsed (naive ones localised
    to ``tz``), ids and text become strings. Columns the table does not define are kept
    as they are.
    """
    from .. import schema
    from ..parsing import parse_counts, parse_numbers

    out = df.copy(deep=False)  # copy-on-write: columns are replaced, never written into
    rows = out["source_row"] if "source_row" in out else pd.Series(pd.NA, index=out.index)
    columns = schema.model_columns(kind)
    for name, col in columns.items():
        if name not in out or name.startswith("source_"):
            continue
        dtype = str(col.dtype)
        s = out[name]
        if dtype == "Int64":
            out[name] = parse_counts(s, report=report, file=path, rows=rows, column=name)
        elif dtype.startswith("float"):
            p = parse_numbers(s)
            if p.invalid.any():
                report.record(
                    path,
                    rows[p.invalid],
                    rule="unreadable number",
                    action="coerced",
                    column=name,
                    original=s[p.invalid],
                    reason="not a number: read as unknown",
                )
            out[name] = p.values
        elif dtype.startswith("datetime64") and "UTC" in dtype:
            parsed, naive = _parse_times(s)
            bad = parsed.isna() & s.notna()
            if bad.any():
                report.record(
                    path,
                    rows[bad],
                    rule="unreadable date",
                    action="coerced",
                    column=name,
                    original=s[bad],
                    reason="not a date and time like 2025-03-24 14:30 or "
                    "2025-03-24T14:30:00+01:00: read as unknown",
                )
            if naive.any():
                local = to_utc(
                    parsed[naive].dt.tz_localize(None),
                    tz,
                    report=report,
                    path=path,
                    column=name,
                    rows=rows,
                )
                parsed = parsed.copy()
                parsed[naive] = local
            out[name] = parsed.dt.tz_convert("UTC").dt.as_unit("us")
        elif dtype.startswith("datetime64"):
            parsed = (
                _to_datetime(s, utc=False) if not pd.api.types.is_datetime64_any_dtype(s) else s
            )
            bad = parsed.isna() & s.notna()
            if bad.any():
                report.record(
                    path,
                    rows[bad],
                    rule="unreadable date",
                    action="coerced",
                    column=name,
                    original=s[bad],
                    reason="not a date like 2025-03-24: read as unknown",
                )
            if getattr(parsed.dt, "tz", None) is not None:
                parsed = parsed.dt.tz_localize(None)
            out[name] = parsed.dt.normalize()
        elif dtype == "boolean":
            text = s.astype("str").str.strip().str.lower()
            truth = {
                "true": True,
                "yes": True,
                "1": True,
                "y": True,
                "false": False,
                "no": False,
                "0": False,
                "n": False,
            }
            mapped = text.map(truth)
            bad = mapped.isna() & s.notna() & (text != "")
            if bad.any():
                report.record(
                    path,
                    rows[bad],
                    rule="unreadable yes/no",
                    action="coerced",
                    column=name,
                    original=s[bad],
                    reason="not true/false: read as unknown",
                )
            out[name] = pd.array(mapped, dtype="boolean")
        else:
            text = s.astype("str")
            if pd.api.types.is_float_dtype(s):  # ids read as numbers: 12.0 -> "12"
                text = s.map(
                    lambda v: (
                        pd.NA if pd.isna(v) else (str(int(v)) if float(v).is_integer() else str(v))
                    )
                ).astype("str")
            out[name] = text
    return out


def _any_share_with_parent(actions: pd.Series, parents: pd.Series) -> bool:
    """Is there a share naming its parent? Looked for in growing slices from the top: a
    file that records parents says so early, and a million text comparisons are not done
    to learn it (one that does not is read through once, and a third)."""
    start, step = 0, 1 << 14
    while start < len(actions):
        stop = start + step
        share = actions.iloc[start:stop].eq("share").to_numpy(dtype=bool, na_value=False)
        if (share & parents.iloc[start:stop].notna().to_numpy()).any():
            return True
        start, step = stop, step * 4
    return False


def mark_parents_recorded(events: pd.DataFrame, report: CleaningReport, path: Path) -> pd.DataFrame:
    """Add ``parents_recorded`` to events read from a table: does the file say who reshared from whom?

    True for every row when the file has a ``parent_user_id`` column with a value for at
    least one share, else False (a file without parents cannot tell a broadcast from a
    chain). A file that carries the column keeps its own values; only its empty cells are
    filled. Returns a new frame; ``events`` is not mutated.
    """
    said = (
        "parent_user_id" in events
        and "action" in events
        and _any_share_with_parent(events["action"], events["parent_user_id"])
    )
    derived = pd.array(np.full(len(events), said), dtype="boolean")
    out = events.copy(deep=False)  # copy-on-write: the caller's frame is never changed
    if "parents_recorded" in out:
        given = pd.array(out["parents_recorded"], dtype="boolean")
        if not given.isna().any():
            return out
        out["parents_recorded"] = pd.array(np.where(given.isna(), derived, given), dtype="boolean")
    else:
        out["parents_recorded"] = derived
    report.note(
        path,
        rule="parents recorded" if said else "parents not recorded",
        reason="some shares name the user they came from (parent_user_id): the file "
        "records who reshared from whom"
        if said
        else "no share names the user it came from (no parent_user_id): whether a share "
        "came from the original post or from another share is not recorded",
    )
    return out


# -- helpers the X, Instagram and LinkedIn readers share -----------------------------------------
SEPARATORS = (",", ";", "\t")
DATES_IN_NAME = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})[_-](\d{4})-?(\d{2})-?(\d{2})")
LINK_ACCOUNT = r"(?:twitter|x)\.com/(?P<account>[A-Za-z0-9_]+)/status/"


def header_separator(head: str) -> str:
    """The separator (``,``, ``;`` or tab) that splits the first line into the most columns.

    >>> header_separator("company;status;domain\\nAcme;client;acme.com\\n")
    ';'
    >>> header_separator("company,status\\n")
    ','
    """
    lines = first_lines(head, 1)
    if not lines:
        return ","
    widths = {sep: len(parse_header(lines[0], sep)) for sep in SEPARATORS}
    return max(SEPARATORS, key=lambda sep: (widths[sep], sep == ","))


def find_header(head: str, markers: set[str], lines: int = 6) -> tuple[int, str] | None:
    """Row number (1-based) and separator of the first line whose names include ``markers``."""
    markers = {norm(m) for m in markers}
    for i, line in enumerate(first_lines(head, lines), start=1):
        for sep in SEPARATORS:
            if markers <= {norm(c) for c in parse_header(line, sep)}:
                return i, sep
    return None


def read_export(
    path: Path, report: CleaningReport, markers: set[str], fmt: str, **kwargs: object
) -> pd.DataFrame:
    """Read a CSV export whose header holds ``markers``; a clear error for other separators."""
    path = Path(path)
    found = find_header(read_head(path), markers)
    row, sep = found or (1, ",")
    if sep != ",":
        raise RoiInputError(
            f"the fields are separated by {sep!r}, not by commas as in every {fmt}",
            path=path,
            rows=[row],
            expected="comma-separated values, as the platform exports them",
            hint="The file was probably re-saved by a spreadsheet (which also rewrites "
            "numbers and dates): export it again from the platform.",
        )
    return read_csv(path, report, header_row=row, **kwargs)


def snake(name: str) -> str:
    """``"promoted url clicks"`` -> ``"promoted_url_clicks"``; ``"Clicks (organic)"`` -> ``"clicks_organic"``."""
    return re.sub(r"[^a-z0-9]+", "_", norm(name).replace("%", " pct ")).strip("_")


def all_missing(values: pd.Series) -> pd.Series:
    return values.isna() | (values.eq("-") if not pd.api.types.is_numeric_dtype(values) else False)


def constant(value: str, index: pd.Index, name: str | None = None) -> pd.Series:
    """A text column holding one value on every row, built in C (a scalar broadcast is slow)."""
    arr = pa.repeat(pa.scalar(value, pa.large_string()), len(index))
    return pd.Series(pd.array(arr, dtype="str"), index=index, name=name, copy=False)


def _arrow_text(values: pd.Series) -> pa.ChunkedArray | None:
    """A text column as pyarrow strings, without a copy; None unless pandas keeps it so."""
    if not isinstance(values.array, pd.arrays.ArrowStringArray):
        return None  # an Excel column of mixed objects, say: the general parser reads it
    arr = pa.array(values.array)
    return pa.chunked_array([arr]) if isinstance(arr, pa.Array) else arr


def _dashes(text: pa.ChunkedArray) -> tuple[pa.ChunkedArray, np.ndarray]:
    """Where a text column says nothing (empty, or X's ``-``), as arrow and numpy booleans."""
    missing = pc.or_kleene(pc.is_null(text), pc.equal(text, "-"))  # never null itself
    return missing, missing.to_numpy(zero_copy_only=False)


def _ints_and_mask(
    ints: pa.ChunkedArray, pool: pa.MemoryPool | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """An arrow int64 column as IntegerArray's parts: values (anything under a null), mask.

    ``ints`` must be a fresh result of a cast, held by no one else: its values buffer
    becomes the column's, without a copy. It must be writable (a frame's column accepts
    later assignments), so it is copied only when pyarrow did not hand out a mutable one.
    """
    arr = ints.combine_chunks(memory_pool=pool) if ints.num_chunks != 1 else ints.chunk(0)
    buffer = arr.buffers()[1]
    if buffer is None or len(arr) == 0:  # no rows
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
    data = np.frombuffer(buffer, dtype=np.int64)[arr.offset : arr.offset + len(arr)]
    if not data.flags.writeable:
        data = data.copy()
    if arr.null_count == 0:
        return data, np.zeros(len(arr), dtype=bool)
    return data, pc.is_null(arr).to_numpy(zero_copy_only=False)


def _int_column(numbers: np.ndarray, unknown: np.ndarray, values: pd.Series) -> pd.Series:
    counts = pd.arrays.IntegerArray(numbers, unknown)
    return pd.Series(counts, index=values.index, name=values.name, copy=False)


def read_counts(
    raw: pd.DataFrame, column: str, report: CleaningReport, path: Path, rows: pd.Series
) -> pd.Series:
    """A column of counts as ``Int64``, unreadable cells recorded.

    Fast paths, in C: a column pyarrow read as numbers, all whole; a text column of plain
    integers and ``-`` (X's promoted columns, ``-`` for tweets not promoted). Anything
    else (``1,234``, ``1.2K``, text) goes through :func:`roi_helpers.parsing.parse_counts`,
    cell by cell as needed, and what it cannot read is recorded.
    """
    values = raw[column]
    if pd.api.types.is_numeric_dtype(values):
        fast = whole_numbers(values)
        if fast is not None:
            return fast
        return parse_counts(values, report=report, file=path, rows=rows, column=column)
    n = len(values)
    text = _arrow_text(values)
    if text is not None:
        missing_arr, missing = _dashes(text)
        if missing.all():
            return _int_column(np.zeros(n, dtype="int64"), np.ones(n, dtype=bool), values)
        try:  # plain integers: cast in C
            ints = pc.cast(pc.if_else(missing_arr, pa.scalar(None, text.type), text), pa.int64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            ints = None
        if ints is not None:
            return _int_column(*_ints_and_mask(ints), values)
    else:
        missing = all_missing(values).to_numpy(dtype=bool)
        if missing.all():
            return _int_column(np.zeros(n, dtype="int64"), np.ones(n, dtype=bool), values)
    # the general parser, only on the cells that say something
    some = ~missing
    parsed = parse_counts(
        values[some], report=report, file=path, rows=rows[some], column=column
    ).array
    numbers = np.zeros(n, dtype="int64")
    unknown = np.ones(n, dtype=bool)
    numbers[some] = parsed.to_numpy(dtype="int64", na_value=0)
    unknown[some] = parsed.isna()
    return _int_column(numbers, unknown, values)


def whole_numbers(values: pd.Series) -> pd.Series | None:
    """``Int64`` straight from a column pyarrow read as numbers, when all are whole (else None).

    X writes counts as ``"2633.0"``: pyarrow reads them as floats, and the general parser
    (which also records fractions and text) is not needed when every value is whole.
    """
    if pd.api.types.is_bool_dtype(values):
        return None
    if pd.api.types.is_integer_dtype(values):
        return values.astype("Int64")
    numbers = values.to_numpy(dtype="float64", na_value=np.nan)
    # one pass in C: a safe cast refuses fractions, infinities and numbers past int64
    try:
        ints = pc.cast(pa.array(numbers, from_pandas=True), pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return _int_column(*_ints_and_mask(pa.chunked_array([ints])), values)


def read_rates(
    raw: pd.DataFrame,
    column: str,
    report: CleaningReport,
    path: Path,
    rows: pd.Series,
    percent: bool | None = None,
) -> pd.Series:
    """A column of rates as float fractions, unreadable cells recorded.

    Fast paths in C for numbers pyarrow read as such and for text of plain numbers and
    ``-``; ``12.5%``, ``NaN%``, infinities and text go through
    :func:`roi_helpers.parsing.parse_rates`.
    """
    values = raw[column]
    if pd.api.types.is_numeric_dtype(values):
        if pd.api.types.is_float_dtype(values) and not percent:
            numbers = values.to_numpy(dtype="float64", na_value=np.nan)
            if not np.isinf(numbers).any():
                return pd.Series(numbers, index=values.index, name=values.name, copy=False)
        return parse_rates(
            values, report=report, file=path, rows=rows, column=column, percent=percent
        )
    text = _arrow_text(values)
    if text is not None:
        missing_arr, missing = _dashes(text)
    else:
        missing_arr, missing = None, all_missing(values).to_numpy(dtype=bool)
    out = np.full(len(values), np.nan)
    if missing.all():
        return pd.Series(out, index=values.index, name=values.name, copy=False)
    if text is not None and not percent:
        try:  # plain numbers: cast in C
            numbers = pc.cast(
                pc.if_else(missing_arr, pa.scalar(None, text.type), text), pa.float64()
            ).to_numpy(zero_copy_only=False)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            numbers = None
        if numbers is not None and not np.isinf(numbers).any():
            return pd.Series(numbers, index=values.index, name=values.name, copy=False)
    some = ~missing
    parsed = parse_rates(
        values[some], report=report, file=path, rows=rows[some], column=column, percent=percent
    )
    out[some] = parsed.to_numpy()
    return pd.Series(out, index=values.index, name=values.name, copy=False)


def extras(
    raw: pd.DataFrame,
    used: Iterable[str],
    report: CleaningReport,
    path: Path,
    rows: pd.Series,
    prefix: str,
    counts: Sequence[str] = (),
    rates: Sequence[str] = (),
) -> dict[str, pd.Series]:
    """Columns not mapped to the table, under snake-case names with ``prefix``.

    Columns named in ``counts`` / ``rates`` (by normalised name) are parsed as such; any
    other column is kept as it was read.
    """
    used = set(used) | {"source_row"}
    count_names, rate_names = {norm(c) for c in counts}, {norm(c) for c in rates}
    out: dict[str, pd.Series] = {}
    for col in raw.columns:
        if col in used:
            continue
        key = prefix + snake(col)
        if norm(col) in rate_names:
            out[key] = read_rates(raw, col, report, path, rows)
        elif norm(col) in count_names:
            out[key] = read_counts(raw, col, report, path, rows)
        else:
            out[key] = raw[col]
    return out


def dates_in_name(path: Path) -> pd.Timestamp | None:
    """The end date of a ``..._YYYYMMDD_YYYYMMDD...`` (or ``YYYY-MM-DD``) file name."""
    found = DATES_IN_NAME.findall(Path(path).name)
    if not found:
        return None
    y, m, d = found[-1][3:]
    try:
        return pd.Timestamp(int(y), int(m), int(d))
    except ValueError:
        return None


def account_from_links(links: pd.Series) -> pd.Series:
    """``https://twitter.com/rOpenSci/status/1`` -> ``rOpenSci`` (``<NA>`` where none)."""
    arr = pa.array(links.astype("str"))
    first = next((m for m in map(re.compile(LINK_ACCOUNT).search, links.dropna()[:1]) if m), None)
    if first is not None:  # usually one account: check the prefix instead of matching each link
        same = pc.starts_with(arr, links.dropna().iloc[0][: first.end()])
        if pc.all(pc.fill_null(same, False)).as_py():
            return constant(first.group("account"), links.index)
    found = pc.extract_regex(arr, LINK_ACCOUNT)
    account = pc.struct_field(found, "account").to_pandas()
    return pd.Series(account.to_numpy(), index=links.index, dtype="str")


def fill_account(
    from_file: pd.Series,
    option: str | None,
    fallback: str | None,
    report: CleaningReport,
    path: Path,
    what: str,
) -> pd.Series:
    """The account: what the file says per row, else ``account=``, else the file name's."""
    if from_file.notna().all():
        return from_file
    other = option or fallback
    missing = from_file.isna()
    if other is not None and missing.any():
        report.note(
            path,
            rule="account assumed",
            reason=f"{int(missing.sum())} row(s) have no {what}: account read as {other!r}"
            + (" (the account= option)" if option else " (from the file name)"),
        )
        return from_file.fillna(other)
    return from_file


def check_columns(
    raw: pd.DataFrame, aliases: Mapping[str, Sequence[str]], needed: Sequence[str], path, fmt
) -> dict[str, str]:
    """Map the file's columns through ``aliases``; a missing one is named as exports write it."""
    header = [c for c in raw.columns if c != "source_row"]
    cols = match_columns(header, aliases)
    require_aliases(cols, aliases, needed, path, header, fmt)
    return cols


def require_aliases(
    cols: Mapping[str, str],
    aliases: Mapping[str, Sequence[str]],
    needed: Sequence[str],
    path: Path,
    header: Sequence[str],
    fmt: str,
) -> None:
    missing = [k for k in needed if k not in cols]
    if not missing:
        return
    names = [repr(aliases[k][0]) if k in aliases else repr(k) for k in missing]
    also = [
        f"{aliases[k][0]!r} (or {', '.join(repr(a) for a in aliases[k][1:])})"
        for k in missing
        if k in aliases and len(aliases[k]) > 1
    ]
    raise RoiInputError(
        f"missing column(s) {', '.join(names)}, which every {fmt} has; the header has: "
        + ", ".join(repr(c) for c in header if c != "source_row"),
        path=path,
        column=aliases[missing[0]][0] if missing[0] in aliases else missing[0],
        expected="; ".join(also) if also else None,
        hint="Check that this is the right export, and that the file was not re-saved "
        "with other column names.",
    )


def utc_times(
    values: pd.Series,
    fmt: str,
    report: CleaningReport,
    path: Path,
    rows: pd.Series,
    column: str,
) -> pd.Series:
    """Timestamps written with their UTC offset, parsed in C (pyarrow), as UTC microseconds."""
    if pd.api.types.is_datetime64_any_dtype(values):
        out = values if values.dt.tz is not None else values.dt.tz_localize("UTC")
        return out.dt.tz_convert("UTC").dt.as_unit("us")
    text = values.astype("str")
    parsed = pc.strptime(pa.array(text), format=fmt, unit="s", error_is_null=True)
    out = pd.Series(parsed.to_pandas(), index=values.index).dt.as_unit("us")
    todo = out.isna() & text.notna() & text.str.strip().ne("")
    if todo.any():  # another writing of the time: let pandas try, one by one
        again = pd.to_datetime(text[todo], errors="coerce", utc=True, format="mixed")
        out.loc[todo] = again.dt.as_unit("us")
        bad = todo & out.isna()
        if bad.any():
            report.record(
                path,
                rows[bad],
                rule="unreadable date",
                action="coerced",
                column=column,
                original=values[bad],
                reason="not a time like "
                f"{pd.Timestamp('2025-03-24 14:30', tz='UTC').strftime(fmt)}: read as unknown",
            )
    return out
