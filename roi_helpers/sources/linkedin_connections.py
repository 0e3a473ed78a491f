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


def _excel_dates(values: pd.Series, file_sep: str = ",") -> tuple[str | None, str, str]:
    """The format of dates a spreadsheet re-save wrote as ``3/24/2025``, ``24-3-2025`` or ``24.03.2025``.

    Day-first when some first number is above 12, month-first when some second one is.
    When neither tells (every number is 12 or less): ``/`` dates are month-first as US
    Excel writes them, unless the file's fields are separated by ``;`` (Excel in a
    European locale, which writes ``03/04/2025`` day-first); ``-`` and ``.`` dates are
    day-first (as Dutch and German spreadsheets write). Returns the format, how it was
    decided (for the report) and an example taken from the file.
    """
    parts = values.astype("str").str.extract(r"^\s*(\d{1,2})([/.-])(\d{1,2})\2(\d{2,4})\s*$")
    parts = parts.dropna()
    if parts.empty:
        return None, "", ""
    sep = parts[1].mode().iloc[0]
    parts = parts[parts[1] == sep]
    example = str(values.loc[parts.index[0]]).strip()
    year = "%Y" if parts[3].str.len().max() == 4 else "%y"
    first, second = parts[0].astype(int), parts[2].astype(int)
    day_first, month_first = f"%d{sep}%m{sep}{year}", f"%m{sep}%d{sep}{year}"
    if (first > 12).any() and not (second > 12).any():
        return day_first, "day first (some days are above 12)", example
    if (second > 12).any() and not (first > 12).any():
        return month_first, "month first (some days are above 12)", example
    if (first > 12).any() or (second > 12).any():
        return None, "", example  # both orders seen: no one format reads them all
    unsure = "no date says which (all numbers are 12 or less)"
    if sep == "/" and file_sep != ";":
        return month_first, f"month first, as US Excel writes: {unsure}", example
    if sep == "/":
        return (
            day_first,
            "day first, as Excel in European languages writes (the file's fields are "
            f"separated by ';', as such an Excel saves them): {unsure}",
            example,
        )
    return day_first, f"day first, as European spreadsheets write: {unsure}", example


def _derived_ids(
    name: pd.Series,
    connected: pd.Series,
    company: pd.Series,
    title: pd.Series,
    rows: pd.Series,
    needed: pd.Series,
) -> pd.Series:
    """Pseudonymous ids for rows without a profile URL, no two rows of the file alike.

    A hash of name, connection date, company and position: the same person gets the same
    id in a later export. Two rows equal in all four (namesakes connected the same day,
    or rows with nothing filled in) are told apart by their row number, from the second on.
    """
    key = (
        name.fillna("")
        + "|"
        + connected.dt.strftime("%Y-%m-%d").fillna("")
        + "|"
        + company.fillna("")
        + "|"
        + title.fillna("")
    )
    again = key.duplicated() & needed
    if again.any():
        key = key.where(~again, key + "|row " + rows.astype("str"))
    return pseudonym(key, prefix="li", digest_size=8)


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
        pseudonymous hash of name, connection date, company and position for exports
        without URLs; never the same for two rows of a file),
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
    # the message names the kit's columns (company, title): relevance.load_network says
    # them back in LinkedIn's words ('Company', 'Position'), so its wording is kept
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

    # each column trimmed (and each trimmed cell recorded) once
    first, last = text("first"), text("last")
    company, title, email = text("company"), text("title"), text("email")
    name = (first.fillna("") + " " + last.fillna("")).str.strip()
    name = name.where(name != "")
    formats = DATE_FORMATS
    excel, how, example = _excel_dates(raw[cols["connected_on"]], sep)
    if excel is not None:
        formats = (*DATE_FORMATS, excel)
        report.note(
            path,
            rule="dates re-saved by Excel",
            reason=f"{cols['connected_on']!r} holds dates like {example}, not LinkedIn's "
            f"24 Mar 2025: the file was re-saved by a spreadsheet; read {how}",
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
    no_slug = slug.isna()
    fallback = _derived_ids(name, connected, company, title, rows, no_slug)
    if no_slug.any():
        report.note(
            path,
            rule="person id derived",
            action="assumed",
            reason=f"{int(no_slug.sum())} rows have no profile URL: person_id is a hash of "
            "name, connection date, company and position (and of the row, for rows that "
            "are the same in all four)",
        )
    who = account or path.parent.name or path.stem
    return pd.DataFrame(
        {
            "account": who,
            "person_id": slug.fillna(fallback).astype("str"),
            "name": name.astype("str"),
            "title": title.astype("str"),
            "company": company.astype("str"),
            "email": email.astype("str"),
            "connected_on": connected,
            "source_row": rows,
        }
    )
