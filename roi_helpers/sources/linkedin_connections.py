"""LinkedIn ``Connections.csv`` (Settings > Data privacy > Get a copy of your data).

Current exports start with three ``Notes:`` lines and a blank line, then the header
``First Name,Last Name,URL,Email Address,Company,Position,Connected On`` with dates like
``24 Mar 2025``. Older ones have no notes, no URL column, dates like ``12-Oct-20``, and
sometimes bytes that are not valid UTF-8 (decoded with replacement; each affected row is
in the report).

Whose network it is (``account``) is not in the file: pass ``account=`` to ``load``, or it
is taken from the name of the folder holding the file (``team/alice/Connections.csv`` is
Alice's).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..clean import CleaningReport
from ._common import (
    find_header,
    match_columns,
    parse_dates,
    pseudonym,
    read_csv,
    require,
)

NAME = "linkedin_connections"
KIND = "audience"
DESCRIPTION = "LinkedIn Connections.csv (current and older exports)"

_ALIASES = {
    "first": ["First Name"],
    "last": ["Last Name"],
    "url": ["URL", "Profile URL"],
    "email": ["Email Address", "E-mail Address", "Email"],
    "company": ["Company"],
    "title": ["Position", "Title", "Job Title"],
    "connected_on": ["Connected On", "Connected on"],
}
_NEEDED = ["first", "last", "company", "title", "connected_on"]
DATE_FORMATS = ("%d %b %Y", "%d-%b-%y", "%d-%b-%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y")
_MARKERS = {"first name", "last name", "connected on"}


def _header(head: str) -> tuple[int, str] | None:
    """The header's row number and separator (Excel in many European locales re-saves with ';')."""
    return find_header(head, _MARKERS, lines=12)


def sniff(path: Path, head: str) -> bool:
    return _header(head) is not None


def _excel_dates(values: pd.Series) -> tuple[str | None, str]:
    """The format of dates a spreadsheet re-save wrote as ``3/24/2025``, ``24-3-2025`` or ``24.03.2025``.

    Day-first when some first number is above 12, month-first when some second one is;
    when neither tells (every day <= 12), month-first for ``/`` (as US Excel writes) and
    day-first for ``-`` and ``.`` (as Dutch and German ones do), and said so.
    """
    parts = values.astype("str").str.extract(r"^\s*(\d{1,2})([/.-])(\d{1,2})\2(\d{2,4})\s*$")
    parts = parts.dropna()
    if parts.empty:
        return None, ""
    sep = parts[1].mode().iloc[0]
    parts = parts[parts[1] == sep]
    year = "%Y" if parts[3].str.len().max() == 4 else "%y"
    first, second = parts[0].astype(int), parts[2].astype(int)
    day_first, month_first = f"%d{sep}%m{sep}{year}", f"%m{sep}%d{sep}{year}"
    if (first > 12).any() and not (second > 12).any():
        return day_first, "day first (some days are above 12)"
    if (second > 12).any() and not (first > 12).any():
        return month_first, "month first (some days are above 12)"
    if not (first > 12).any() and not (second > 12).any():
        if sep == "/":
            return (
                month_first,
                "month first, as US Excel writes: no date says which (all numbers are 12 or less)",
            )
        return (
            day_first,
            "day first, as European spreadsheets write: no date says which (all numbers are 12 or less)",
        )
    return None, ""


def read(
    path: Path,
    report: CleaningReport,
    *,
    account: str | None = None,
    **_: object,
) -> pd.DataFrame:
    """Read a Connections.csv into the audience table.

    Parameters
    ----------
    path
        The file.
    report
        Receives unreadable dates, trimmed spaces and replaced bytes, row by row.
    account
        Whose connections these are; default: the name of the file's folder.

    Returns
    -------
    DataFrame
        The audience table: ``account``, ``person_id`` (the profile URL's slug, or a
        pseudonymous hash of name and connection date for exports without URLs),
        ``name``, ``title``, ``company``, ``email``, ``connected_on``, ``source_row``.
    """
    from ._common import read_head

    path = Path(path)
    header_row, sep = _header(read_head(path)) or (1, ",")
    raw = read_csv(path, report, header_row=header_row, sep=sep, all_strings=True)
    if sep != ",":
        report.note(
            path,
            rule="separator",
            reason=f"fields separated by {sep!r}, not commas: the file was probably re-saved by Excel",
        )
    cols = match_columns(raw.columns, _ALIASES)
    require(cols, _NEEDED, path, raw.columns, "LinkedIn Connections.csv")
    rows = raw["source_row"]

    def text(key: str) -> pd.Series:
        if key not in cols:
            return pd.Series(pd.NA, index=raw.index, dtype="str")
        s = raw[cols[key]].astype("str")
        stripped = s.str.strip()
        changed = s.notna() & (s != stripped)
        if changed.any():
            report.record(
                path,
                rows[changed],
                rule="spaces trimmed",
                action="coerced",
                column=cols[key],
                original=s[changed],
                value=stripped[changed],
                reason="leading or trailing spaces removed",
            )
        return stripped.where(stripped != "")

    first, last = text("first"), text("last")
    name = (first.fillna("") + " " + last.fillna("")).str.strip()
    name = name.where(name != "")
    formats = DATE_FORMATS
    excel, how = _excel_dates(raw[cols["connected_on"]])
    if excel is not None:
        formats = (*DATE_FORMATS, excel)
        report.note(
            path,
            rule="dates re-saved by Excel",
            reason=f"{cols['connected_on']!r} holds dates like 3/24/2025, not LinkedIn's 24 Mar 2025: "
            f"the file was re-saved by a spreadsheet; read {how}",
        )
    connected = parse_dates(
        raw[cols["connected_on"]],
        formats,
        report=report,
        path=path,
        column=cols["connected_on"],
        rows=rows,
    )
    if "url" in cols:
        slug = raw[cols["url"]].astype("str").str.extract(r"/in/([^/?#\s]+)", expand=False)
    else:
        slug = pd.Series(pd.NA, index=raw.index, dtype="str")
    fallback = pseudonym(
        name.fillna("") + "|" + connected.dt.strftime("%Y-%m-%d").fillna(""), prefix="li"
    )
    no_slug = slug.isna()
    if no_slug.any():
        report.note(
            path,
            rule="person id derived",
            action="assumed",
            reason=f"{int(no_slug.sum())} rows have no profile URL: person_id is a hash of name and connection date",
        )
    who = account or path.parent.name or path.stem
    return pd.DataFrame(
        {
            "account": who,
            "person_id": slug.fillna(fallback).astype("str"),
            "name": name.astype("str"),
            "title": text("title").astype("str"),
            "company": text("company").astype("str"),
            "email": text("email").astype("str"),
            "connected_on": connected,
            "source_row": rows,
        }
    )
