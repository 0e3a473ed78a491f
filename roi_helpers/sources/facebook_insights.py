"""Facebook Page Insights, post level ("Export data" > "Post data"), as ``.xlsx`` or ``.xls``.

The ``.xls`` Facebook writes is not binary Excel but SpreadsheetML 2003 XML (namespace
``urn:schemas-microsoft-com:office:spreadsheet``), which xlrd and openpyxl cannot open; it
is parsed here with the standard library's ``xml.etree.ElementTree.iterparse``, honouring
``ss:Index`` (skipped cells and rows) and ``ss:MergeAcross`` (a cell spanning columns).
The ``.xlsx`` is read with openpyxl. Both give the same table.

What is read, and from where:

- sheet ``Key Metrics``: row 1 the headers, row 2 a row of descriptions (skipped, and said
  in the report), then one post a row. Headers are display names (``Lifetime Post Total
  Reach``) or, in other exports of the same report, API ids
  (``post_impressions_unique:lifetime``): both are matched through aliases. Some names
  repeat (a "Unique Users" and a "Total Count" column): the description row tells them apart;
- ``post_id`` from ``Post ID``; ``url`` from ``Permalink``; ``text`` from ``Post Message``;
  ``content_type`` from ``Type`` (lower case); ``reach`` (Lifetime Post Total Reach);
  ``impressions`` (Lifetime Post Total Impressions); ``clicks`` (Lifetime Post
  Consumptions: clicks anywhere in the post); ``video_views`` (organic + paid video views,
  total counts); ``engaged_users`` (Lifetime Engaged Users) kept as an extra column;
- ``paid``: a ``Paid`` column when the export has one, otherwise true when the post had
  paid impressions (or paid reach), which the report says;
- ``published_at`` from ``Posted``, written without a time zone: read in the ``tz`` option
  (default UTC, said in the report) and converted to UTC;
- ``account``: the ``account=`` option, else a Page name column, else the page named in the
  file name (``Facebook Insights Data Export (Post Level) - LOK - 2017-10-22`` is ``LOK``),
  else the file name;
- ``likes``, ``comments``, ``shares`` from the sheet of post stories by action type
  (``Lifetime Post Stories by action type``, whose name Excel truncates to ``Lifetime Post
  Stories by act...``; columns ``like``, ``comment``, ``share``), joined on the post id. A
  post without a row there has unknown counts (``<NA>``, not zero), each said in the report;
  an empty cell in a row that exists is zero stories of that type (Facebook leaves out the
  action types a post did not get), also said.

Overlapping exports repeat posts: :func:`exported_at` reads the export date from the file
name, so :func:`roi_helpers.load_dir` keeps each post from the latest export.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from ..clean import CleaningReport
from ..errors import RoiInputError
from ..parsing import parse_counts
from ._common import match_columns, norm, to_utc, unique_names

__all__ = [
    "ALIASES",
    "DESCRIPTION",
    "KIND",
    "NAME",
    "PRIORITY",
    "exported_at",
    "read",
    "read_spreadsheetml",
    "sniff",
]

NAME = "facebook_insights"
KIND = "posts"
DESCRIPTION = "Facebook Page Insights post-level export (.xlsx, or the SpreadsheetML .xls)"
PRIORITY = 30

SS = "urn:schemas-microsoft-com:office:spreadsheet"
_KEY_SHEET = "Key Metrics"
_STORIES = ("lifetime post stories by act", "post stories by action type")

#: Canonical name -> the names Facebook's exports use (display names, then API ids).
ALIASES: dict[str, list[str]] = {
    "post_id": ["Post ID", "post_id", "id"],
    "url": ["Permalink", "permalink", "permalink_url"],
    "text": ["Post Message", "message"],
    "content_type": ["Type", "type", "Post Type"],
    "published_at": ["Posted", "created_time", "Posted (UTC)"],
    "account": ["Page", "Page Name", "page_name", "Page name"],
    "paid": ["Paid", "is_paid", "Boosted"],
    "reach": ["Lifetime Post Total Reach", "post_impressions_unique:lifetime"],
    "impressions": ["Lifetime Post Total Impressions", "post_impressions:lifetime"],
    "paid_reach": ["Lifetime Post Paid Reach", "post_impressions_paid_unique:lifetime"],
    "paid_impressions": ["Lifetime Post Paid Impressions", "post_impressions_paid:lifetime"],
    "engaged_users": ["Lifetime Engaged Users", "post_engaged_users:lifetime"],
    "clicks": ["Lifetime Post Consumptions", "post_consumptions:lifetime"],
    "video_views": ["Lifetime Total Video Views", "post_video_views:lifetime"],
    "organic_video_views": ["Lifetime Organic Video Views", "post_video_views_organic:lifetime"],
    "paid_video_views": ["Lifetime Paid Video Views", "post_video_views_paid:lifetime"],
}
_STORY_ALIASES = {
    "post_id": ["Post ID", "post_id", "id"],
    "likes": ["like", "likes"],
    "comments": ["comment", "comments"],
    "shares": ["share", "shares"],
}
_COUNTS = ["reach", "impressions", "clicks", "engaged_users", "paid_reach", "paid_impressions"]


# -- reading the workbook ---------------------------------------------------------------------
Rows = list[tuple[int, list[Any]]]


def _q(name: str) -> str:
    return f"{{{SS}}}{name}"


def _cell_value(cell: ET.Element) -> Any:
    data = cell.find(_q("Data"))
    if data is None:
        return None
    text = "".join(data.itertext())
    kind = data.get(_q("Type"), "String")
    if kind == "DateTime":
        stamp = pd.to_datetime(text, errors="coerce")
        return text if pd.isna(stamp) else stamp
    if kind == "Boolean":
        return text.strip() in ("1", "true", "True")
    return text  # numbers stay text, so long ids keep every digit; counts are parsed later


def read_spreadsheetml(
    path: str | Path, wanted: Callable[[str], bool] | None = None
) -> tuple[dict[str, Rows], list[str]]:
    """Read the sheets of a SpreadsheetML 2003 (XML) workbook, streaming.

    Parameters
    ----------
    path
        The ``.xls``/``.xml`` file. It is not modified.
    wanted
        Which sheets to keep, by name (default: all). Other sheets are skipped as they
        stream past.

    Returns
    -------
    (dict, list)
        ``{sheet name: [(row number, [cell values...]), ...]}`` for the wanted sheets, and
        every sheet name in the workbook in order. Row numbers are as Excel shows them
        (``ss:Index`` on a row skips to it); within a row, ``ss:Index`` places a cell and
        ``ss:MergeAcross`` leaves the spanned cells empty. Values: text for strings and
        numbers (so ids keep every digit), Timestamps for ``DateTime``, booleans, None for
        empty cells.

    Raises
    ------
    RoiInputError
        The XML is cut off or broken (naming the line in the file and the last complete
        row read), or the file is not a SpreadsheetML workbook.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "book.xls"
    >>> _ = p.write_text(
    ...     '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
    ...     'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
    ...     '<Worksheet ss:Name="S"><Table>'
    ...     '<Row><Cell ss:MergeAcross="1"><Data ss:Type="String">a</Data></Cell>'
    ...     '<Cell><Data ss:Type="Number">7</Data></Cell></Row>'
    ...     '<Row ss:Index="4"><Cell ss:Index="2"><Data ss:Type="String">b</Data></Cell></Row>'
    ...     "</Table></Worksheet></Workbook>"
    ... )
    >>> read_spreadsheetml(p)
    ({'S': [(1, ['a', None, '7']), (4, [None, 'b'])]}, ['S'])
    """
    path = Path(path)
    sheets: dict[str, Rows] = {}
    names: list[str] = []
    current: Rows | None = None
    sheet, row_no, root_seen = "", 0, False
    try:
        for event, elem in ET.iterparse(path, events=("start", "end")):
            tag = elem.tag
            if event == "start":
                if not root_seen:
                    root_seen = True
                    if tag != _q("Workbook"):
                        raise RoiInputError(
                            f"is XML, but its root element is {tag!r}",
                            path=path,
                            expected=f"a SpreadsheetML workbook (<Workbook xmlns={SS!r}>)",
                        )
                if tag == _q("Worksheet"):
                    sheet, row_no = elem.get(_q("Name"), f"Sheet{len(names) + 1}"), 0
                    names.append(sheet)
                    current = [] if wanted is None or wanted(sheet) else None
                continue
            if tag == _q("Row"):
                row_no = int(elem.get(_q("Index"), row_no + 1))
                if current is not None:
                    current.append((row_no, _row_values(elem)))
                elem.clear()
            elif tag == _q("Worksheet"):
                if current is not None:
                    sheets[sheet] = current
                current = None
                elem.clear()
    except ET.ParseError as exc:
        line, col = exc.position
        where = f"; the last complete row read was row {row_no} of sheet {sheet!r}" if sheet else ""
        raise RoiInputError(
            f"the XML is cut off or broken at line {line}, column {col} ({exc.msg}){where}",
            path=path,
            expected="a complete SpreadsheetML workbook",
            hint="The file looks truncated or damaged: export it again from Facebook.",
        ) from None
    return sheets, names


def _row_values(row: ET.Element) -> list[Any]:
    values: list[Any] = []
    col = 0
    for cell in row.iter(_q("Cell")):
        index = cell.get(_q("Index"))
        if index is not None:
            col = int(index) - 1
        if len(values) < col:
            values.extend([None] * (col - len(values)))
        value = _cell_value(cell)
        if col < len(values):
            values[col] = value
        else:
            values.append(value)
        span = int(cell.get(_q("MergeAcross"), 0))
        col += 1 + span
        if span:
            values.extend([None] * (col - len(values)))
    return values


def _read_xlsx(path: Path, wanted: Callable[[str], bool]) -> tuple[dict[str, Rows], list[str]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise RoiInputError(
            f"could not be opened as an Excel workbook ({exc})",
            path=path,
            expected="an .xlsx file",
            hint="The file may be truncated or damaged: export it again.",
        ) from None
    try:
        sheets = {}
        for name in book.sheetnames:
            if wanted(name):
                ws = book[name]
                sheets[name] = [
                    (i, list(row)) for i, row in enumerate(ws.iter_rows(values_only=True), 1)
                ]
        return sheets, list(book.sheetnames)
    finally:
        book.close()


def _is_xlsx(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(4) == b"PK\x03\x04"


def _wanted(name: str) -> bool:
    return norm(name) == norm(_KEY_SHEET) or norm(name).startswith(_STORIES)


def _workbook(path: Path) -> tuple[dict[str, Rows], list[str]]:
    if _is_xlsx(path):
        return _read_xlsx(path, _wanted)
    with open(path, "rb") as fh:
        if fh.read(4) == b"\xd0\xcf\x11\xe0":
            raise RoiInputError(
                "is a binary Excel 97-2003 workbook, not the SpreadsheetML XML Facebook writes",
                path=path,
                expected="the .xlsx or the XML .xls exported by Page Insights",
                hint="Open it in Excel or LibreOffice and save it as .xlsx.",
            )
    return read_spreadsheetml(path, _wanted)


# -- sniffing and dates -----------------------------------------------------------------------
def sniff(path: Path, head: str) -> bool:
    """True for an .xlsx whose ``Key Metrics`` sheet has a Post ID, or SpreadsheetML naming one.

    The XML ``.xls`` is recognised from its head (the SpreadsheetML namespace and a
    ``Key Metrics`` worksheet); an ``.xlsx`` (binary, so ``head`` is empty) by its sheet
    names and the first row of ``Key Metrics``, read with openpyxl.

    Parameters
    ----------
    path
        The file (not opened unless it is an .xlsx).
    head
        Its first 64 KiB, decoded (``""`` for binary files).

    Returns
    -------
    bool
        Whether this reader should read it.

    Examples
    --------
    >>> sniff(Path("a.xls"), '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
    ...                      '<Worksheet ss:Name="Key Metrics">')
    True
    >>> sniff(Path("a.xml"), '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">')
    False
    """
    if head:
        return SS in head and f'Name="{_KEY_SHEET}"' in head
    if path.suffix.lower() not in {".xlsx", ".xlsm"} or not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as zf:
        try:
            book = zf.read("xl/workbook.xml").decode("utf-8", errors="replace")
        except KeyError:
            return False
    if f'name="{_KEY_SHEET}"' not in book:
        return False
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        first = next(wb[_KEY_SHEET].iter_rows(max_row=1, values_only=True), ())
    finally:
        wb.close()
    header = [str(c) for c in first if c is not None]
    return "post_id" in match_columns(header, {"post_id": ALIASES["post_id"]})


def exported_at(path: Path) -> pd.Timestamp | None:
    """The export date in the file name (``... - LOK - 2017-10-22.xlsx``), or None.

    :func:`roi_helpers.load_dir` sorts overlapping exports by it, so the latest wins.

    Parameters
    ----------
    path
        The export (only its name is read).

    Returns
    -------
    Timestamp or None
        The last ``YYYY-MM-DD`` date in the file name, at midnight; None without one.

    Examples
    --------
    >>> exported_at(Path("Facebook Insights Data Export (Post Level) - LOK - 2017-10-22.xls"))
    Timestamp('2017-10-22 00:00:00')
    """
    found = re.findall(r"(\d{4}-\d{2}-\d{2})", Path(path).stem)
    if not found:
        return None
    stamp = pd.to_datetime(found[-1], format="%Y-%m-%d", errors="coerce")
    return None if pd.isna(stamp) else stamp


def _account_from_name(path: Path) -> str:
    parts = [p.strip() for p in Path(path).stem.split(" - ")]
    if len(parts) >= 3 and exported_at(path) is not None:
        return parts[-2]
    return Path(path).stem


# -- sheets into frames -----------------------------------------------------------------------
def _frame(rows: Rows, sheet: str, path: Path) -> tuple[pd.DataFrame, list[str], list[str]]:
    """A sheet's rows as a frame: header row 1 (names made unique), ``source_row``.

    Returns the frame (all object columns), the header as written, and the descriptions
    row (empty strings when the sheet has none).
    """
    if not rows:
        raise RoiInputError(f"sheet {sheet!r} is empty", path=path, expected="a header row")
    header_no, header = rows[0]
    names = ["" if v is None else str(v).strip() for v in header]
    width = max([len(names)] + [len(r) for _, r in rows[1:]])
    names += [""] * (width - len(names))
    unique = unique_names([n or f"column {i + 1}" for i, n in enumerate(names)])
    body = [r + [None] * (width - len(r)) for _, r in rows[1:]]
    frame = pd.DataFrame(body, columns=unique, dtype=object)
    frame["source_row"] = pd.array([n for n, _ in rows[1:]], dtype="Int64")
    return frame, unique, names


def _empty(v: pd.Series) -> pd.Series:
    return v.isna() | v.astype("str").str.strip().eq("")


def _pick(
    unique: list[str], raw: list[str], descriptions: list[str], aliases: list[str]
) -> str | None:
    """The column for one canonical name; among repeats, the "Total Count" one."""
    wanted = {norm(a) for a in aliases}
    hits = [u for u, r in zip(unique, raw, strict=True) if norm(r) in wanted]
    if not hits:
        return None
    if len(hits) > 1:
        totals = [
            u
            for u in hits
            if "total count" in norm(descriptions[unique.index(u)] if descriptions else "")
        ]
        return totals[0] if totals else hits[-1]
    return hits[0]


def read(
    path: Path,
    report: CleaningReport,
    *,
    tz: str | None = None,
    account: str | None = None,
    **_: object,
) -> pd.DataFrame:
    """Read a Facebook Page Insights post-level export into the posts table.

    Does not modify the file; mutates nothing but ``report``.

    Parameters
    ----------
    path
        The ``.xlsx`` or SpreadsheetML ``.xls``.
    report
        Receives the skipped description row, the time zone assumed, how ``paid`` was
        found, posts without a stories row (counts unknown), empty story cells read as
        zero, stories rows for posts not in Key Metrics, and unreadable values.
    tz
        Time zone of ``Posted`` (default UTC).
    account
        The page's name, overriding the file.

    Returns
    -------
    DataFrame
        The posts table: ``post_id``, ``platform`` (``"facebook"``), ``account``,
        ``published_at`` (UTC), ``content_type``, ``text``, ``url``, ``impressions``,
        ``reach``, ``likes``, ``comments``, ``shares`` (stories by action type; ``<NA>``
        when unknown), ``clicks`` (post consumptions), ``video_views`` (organic + paid,
        total counts), ``paid``, ``engaged_users`` (extra), ``source_row`` (the row in
        Key Metrics).

    Raises
    ------
    RoiInputError
        No ``Key Metrics`` sheet (listing the sheets found); no Post ID column; broken or
        truncated XML (naming the line); a workbook that cannot be opened.

    Examples
    --------
    >>> import tempfile
    >>> def row(*cells):
    ...     return "<Row>" + "".join(
    ...         f'<Cell><Data ss:Type="String">{c}</Data></Cell>' for c in cells) + "</Row>"
    >>> sheet = lambda name, *rows: (f'<Worksheet ss:Name="{name}"><Table>'
    ...                              + "".join(rows) + "</Table></Worksheet>")
    >>> p = Path(tempfile.mkdtemp()) / "Insights - ACME - 2024-05-02.xls"
    >>> _ = p.write_text(
    ...     '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
    ...     'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
    ...     + sheet("Key Metrics", row("Post ID", "Posted", "Lifetime Post Total Reach"),
    ...             row("", "", "Lifetime: The total number of people..."),
    ...             row("1_2", "2024-05-01T09:30:00", "120"))
    ...     + sheet("Lifetime Post Stories by act...", row("Post ID", "share", "like", "comment"),
    ...             row("1_2", "", "14", "3"))
    ...     + "</Workbook>")
    >>> posts = read(p, CleaningReport(), tz="Europe/Paris")
    >>> posts[["post_id", "account", "reach", "likes", "comments", "shares"]].values.tolist()
    [['1_2', 'ACME', 120, 14, 3, 0]]
    >>> str(posts["published_at"].iloc[0])
    '2024-05-01 07:30:00+00:00'
    """
    path = Path(path)
    if path.stat().st_size == 0:
        raise RoiInputError("the file is empty (0 bytes)", path=path, hint="Export it again.")
    sheets, names = _workbook(path)
    key = next((n for n in sheets if norm(n) == norm(_KEY_SHEET)), None)
    if key is None:
        raise RoiInputError(
            f"no {_KEY_SHEET!r} sheet; the workbook has "
            + (", ".join(repr(n) for n in names) if names else "no sheets"),
            path=path,
            expected=f"a {_KEY_SHEET!r} sheet with one post a row",
            hint="Export 'Post data' from Page Insights (not 'Page data' or 'Video data').",
        )
    km, unique, raw_names = _frame(sheets[key], key, path)
    found = {k: _pick(unique, raw_names, [], v) for k, v in ALIASES.items()}
    if found["post_id"] is None:
        raise RoiInputError(
            f"sheet {key!r} has no Post ID column; its header has "
            + ", ".join(repr(n) for n in raw_names if n),
            path=path,
            rows=[sheets[key][0][0]],
            expected="'Post ID' (or the API id 'post_id')",
        )
    km, descriptions = _drop_description_row(km, found["post_id"], path, report, key)
    found = {k: _pick(unique, raw_names, descriptions, v) for k, v in ALIASES.items()}
    km = _drop_empty_rows(km, path, report, key)
    rows = km["source_row"]

    def text(name: str) -> pd.Series:
        col = found.get(name)
        if col is None:
            return pd.Series(pd.NA, index=km.index, dtype="str")
        s = km[col].astype("str").str.strip()
        return s.where(s != "")

    def count(name: str) -> pd.Series:
        col = found.get(name)
        if col is None:
            return pd.Series(pd.NA, index=km.index, dtype="Int64")
        return parse_counts(km[col], report=report, file=path, rows=rows, column=col)

    out = pd.DataFrame(
        {
            "post_id": text("post_id"),
            "platform": "facebook",
            "account": _accounts(text("account"), account, path),
            "published_at": _published(km, found.get("published_at"), tz, path, report),
            "content_type": text("content_type").str.lower(),
            "text": text("text"),
            "url": text("url"),
        }
    )
    for name in _COUNTS:
        out[name] = count(name)
    out["video_views"] = _video_views(found, count)
    out["paid"] = _paid(km, found, out, path, report)
    out = out.drop(columns=["paid_reach", "paid_impressions"])
    likes = _stories(sheets, names, out["post_id"], rows, path, report)
    out = pd.concat([out, likes], axis=1)
    out["source_row"] = rows.to_numpy()
    return out.reset_index(drop=True)


def _drop_description_row(
    km: pd.DataFrame, id_col: str, path: Path, report: CleaningReport, sheet: str
) -> tuple[pd.DataFrame, list[str]]:
    """Row 2 of Key Metrics describes the columns: skip it (and say so) when it is there."""
    if km.empty:
        return km, []
    first = km.iloc[0]
    others = first.drop([id_col, "source_row"])
    texts = [str(v) for v in others if v is not None and str(v).strip()]
    if _empty(pd.Series([first[id_col]], dtype=object)).iloc[0] and texts:
        descriptions = ["" if v is None else str(v) for v in first.drop("source_row")]
        report.note(
            path,
            rule="description row skipped",
            reason=f"row {int(first['source_row'])} of {sheet!r} describes the columns "
            f"({texts[0][:60]!r}...): not a post",
        )
        return km.iloc[1:], descriptions
    return km, []


def _drop_empty_rows(
    km: pd.DataFrame, path: Path, report: CleaningReport, sheet: str
) -> pd.DataFrame:
    cells = km.drop(columns="source_row")
    empty = (cells.isna() | cells.astype("str").apply(lambda c: c.str.strip().eq(""))).all(axis=1)
    if empty.any():
        report.note(
            path,
            rule="empty rows skipped",
            reason=f"{int(empty.sum())} empty row(s) in {sheet!r} hold nothing "
            f"(rows {', '.join(map(str, km.loc[empty, 'source_row'].head(5)))})",
        )
    return km[~empty]


def _accounts(column: pd.Series, account: str | None, path: Path) -> pd.Series:
    if account is not None:
        return pd.Series(account, index=column.index, dtype="str")
    return column.fillna(_account_from_name(path)).astype("str")


def _published(
    km: pd.DataFrame, col: str | None, tz: str | None, path: Path, report: CleaningReport
) -> pd.Series:
    if col is None:
        report.note(
            path, rule="no publication time", reason="no Posted column: published_at is unknown"
        )
        return pd.Series(pd.NaT, index=km.index, dtype="datetime64[us, UTC]")
    raw = km[col]
    serial = pd.to_numeric(raw.where(raw.map(type).isin([int, float])), errors="coerce")
    as_text = raw.where(serial.isna()).astype("str")
    parsed = pd.to_datetime(as_text, errors="coerce", format="mixed", utc=True)
    aware = as_text.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True, na=False)
    naive = pd.to_datetime(as_text.where(~aware), errors="coerce", format="mixed")
    excel = pd.to_datetime(serial, unit="D", origin="1899-12-30", errors="coerce")
    naive = naive.fillna(excel).astype("datetime64[us]")
    bad = raw.notna() & ~_empty(raw) & naive.isna() & (parsed.isna() | ~aware)
    if bad.any():
        report.record(
            path,
            km.loc[bad, "source_row"],
            rule="unreadable date",
            action="coerced",
            column=col,
            original=raw[bad],
            reason="not a date and time like 2025-03-24 14:30 or 3/24/2025 2:30:00 PM: "
            "published_at unknown",
        )
    if naive.notna().any():
        out = to_utc(naive, tz, report=report, path=path, column=col, rows=km["source_row"])
    else:
        out = pd.Series(pd.NaT, index=km.index, dtype="datetime64[us, UTC]")
    if aware.any():
        out = out.where(~aware, parsed.dt.as_unit("us"))
    return out


def _video_views(found: dict[str, str | None], count: Callable[[str], pd.Series]) -> pd.Series:
    if found.get("video_views"):
        return count("video_views")
    if found.get("organic_video_views") and found.get("paid_video_views"):
        return count("organic_video_views") + count("paid_video_views")
    return count("video_views")  # all unknown


def _paid(
    km: pd.DataFrame,
    found: dict[str, str | None],
    out: pd.DataFrame,
    path: Path,
    report: CleaningReport,
) -> pd.Series:
    if found.get("paid"):
        text = km[found["paid"]].astype("str").str.strip().str.lower()
        mapped = text.map({"1": True, "true": True, "yes": True, "0": False, "false": False})
        mapped = mapped.where(text.notna(), None)
        return pd.Series(pd.array(mapped, dtype="boolean"), index=km.index)
    paid = out["paid_impressions"].gt(0).fillna(False) | out["paid_reach"].gt(0).fillna(False)
    known = out["paid_impressions"].notna() | out["paid_reach"].notna()
    if not known.any():
        return pd.Series(pd.NA, index=km.index, dtype="boolean")
    report.note(
        path,
        rule="paid from paid impressions",
        reason="no Paid column: a post is paid when it had paid impressions or paid reach "
        f"({int(paid.fillna(False).sum())} of {len(out)} posts)",
    )
    return paid.where(known).astype("boolean")


def _stories(
    sheets: dict[str, Rows],
    names: list[str],
    post_ids: pd.Series,
    rows: pd.Series,
    path: Path,
    report: CleaningReport,
) -> pd.DataFrame:
    """likes, comments, shares from the stories-by-action-type sheet, aligned on post_ids."""
    result = pd.DataFrame(
        {c: pd.Series(pd.NA, index=post_ids.index, dtype="Int64") for c in _STORY_COLS}
    )
    sheet = next((n for n in sheets if norm(n).startswith(_STORIES)), None)
    if sheet is None:
        report.note(
            path,
            rule="no stories sheet",
            reason="no 'Lifetime Post Stories by action type' sheet: likes, comments and "
            "shares are unknown for every post (sheets: " + ", ".join(names) + ")",
        )
        return result
    st, unique, raw_names = _frame(sheets[sheet], sheet, path)
    cols = {k: _pick(unique, raw_names, [], v) for k, v in _STORY_ALIASES.items()}
    if cols["post_id"] is None:
        raise RoiInputError(
            f"sheet {sheet!r} has no Post ID column; its header has "
            + ", ".join(repr(n) for n in raw_names if n),
            path=path,
            expected="'Post ID' and the action types share, like, comment",
        )
    ids = st[cols["post_id"]].astype("str").str.strip()
    st = st[ids.notna() & ids.ne("")]
    ids = ids[st.index]
    dup = ids.duplicated(keep="last")
    if dup.any():
        report.record(
            path,
            st.loc[dup, "source_row"],
            rule="repeated stories row",
            action="flagged",
            column=cols["post_id"],
            original=ids[dup],
            reason=f"the post appears again further down {sheet!r}: the last row is used",
        )
    st, ids = st[~dup], ids[~dup]
    counts = pd.DataFrame(index=st.index)
    zeros = 0
    for name in _STORY_COLS:
        col = cols.get(name)
        if col is None:
            counts[name] = pd.Series(pd.NA, index=st.index, dtype="Int64")
            continue
        empty = _empty(st[col])
        zeros += int(empty.sum())
        parsed = parse_counts(
            st[col], report=report, file=path, rows=st["source_row"], column=f"{sheet}: {col}"
        )
        counts[name] = parsed.mask(empty, 0)
    if zeros:
        report.note(
            path,
            rule="empty story cells read as zero",
            reason=f"{zeros} empty like/comment/share cells in {sheet!r}: Facebook leaves out "
            "the action types a post did not get, so they are read as 0",
        )
    counts.index = ids.to_numpy()
    matched = post_ids.isin(counts.index)
    result.loc[matched, _STORY_COLS] = counts.loc[post_ids[matched], _STORY_COLS].to_numpy()
    result = result.astype("Int64")
    missing = ~matched & post_ids.notna()
    if missing.any():
        report.record(
            path,
            rows[missing],
            rule="no stories row",
            action="flagged",
            column="likes, comments, shares",
            original=post_ids[missing],
            reason=f"the post has no row in {sheet!r}: its likes, comments and shares are "
            "unknown, not zero",
        )
    orphan = ~pd.Series(counts.index, dtype="str").isin(post_ids.dropna()).to_numpy()
    if orphan.any():
        report.record(
            path,
            st.loc[orphan, "source_row"],
            rule="stories row without post",
            action="flagged",
            column=cols["post_id"],
            original=ids[orphan],
            reason=f"a row of {sheet!r} (row numbers of that sheet) for a post that is not in "
            "Key Metrics: not loaded",
        )
    return result


_STORY_COLS = ["likes", "comments", "shares"]
