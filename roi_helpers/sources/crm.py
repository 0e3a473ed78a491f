"""A CRM account list: company, status, and optionally aliases and domain.

Any CSV (or Excel sheet) with a ``company`` (or ``account``, ``account name``,
``organisation``) column and a ``status`` (or ``type``, ``relationship``, ``stage``)
column. Statuses are mapped to client, prospect, partner, competitor (``customer`` is a
client, ``lead`` and ``opportunity`` are prospects...); a row whose status means none of
them is set aside with its value in the report.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..clean import CleaningReport
from ..errors import RoiInputError
from ._common import (
    first_lines,
    header_separator,
    match_columns,
    norm,
    parse_header,
    read_any,
    require,
)

NAME = "crm"
KIND = "accounts"
DESCRIPTION = "CRM account list (company, status, aliases, domain)"
PRIORITY = 70

_ALIASES = {
    "company": [
        "company",
        "account",
        "account name",
        "company name",
        "organisation",
        "organization",
        "name",
    ],
    "status": ["status", "type", "relationship", "stage", "account type"],
    "aliases": ["aliases", "alias", "other names", "also known as"],
    "domain": ["domain", "website", "web", "email domain"],
}
STATUS_WORDS = {
    "client": ["client", "customer", "account", "active client", "won", "closed won"],
    "prospect": ["prospect", "lead", "opportunity", "target", "pipeline", "qualified"],
    "partner": ["partner", "reseller", "channel", "alliance", "supplier", "vendor"],
    "competitor": ["competitor", "competition", "rival"],
}
_STATUS = {norm(w): status for status, words in STATUS_WORDS.items() for w in words}


def sniff(path: Path, head: str) -> bool:
    if path.suffix.lower() not in {".csv", ".xlsx"} or not head:
        return False
    lines = first_lines(head, 1)
    header = parse_header(lines[0], header_separator(head)) if lines else []
    found = match_columns(header, _ALIASES)
    return {"company", "status"} <= set(found) and len(header) <= 8


def read(path: Path, report: CleaningReport, **_: object) -> pd.DataFrame:
    """Read the account list; statuses mapped, domains lower-cased without ``www.``."""
    path = Path(path)
    raw = read_any(path, report)
    cols = match_columns([c for c in raw.columns if c != "source_row"], _ALIASES)
    require(
        cols,
        ["company", "status"],
        path,
        raw.columns,
        "CRM account list",
        aliases=_ALIASES,
        header_row=1,
    )
    if raw.empty and not report.n_removed(path):
        raise RoiInputError(
            "holds a header (row 1) but no accounts below it",
            path=path,
            expected="one company a row, with its status",
            hint="Export the account list again from the CRM.",
        )
    company = raw[cols["company"]].astype("str").str.strip()
    status_raw = raw[cols["status"]].astype("str")
    status = status_raw.map(lambda v: _STATUS.get(norm(v)) if isinstance(v, str) else None)
    out = pd.DataFrame(
        {
            "company": company.where(company != ""),
            "status": status.astype("str"),
            "aliases": raw[cols["aliases"]].astype("str") if "aliases" in cols else pd.NA,
            "domain": (
                raw[cols["domain"]]
                .astype("str")
                .str.strip()
                .str.lower()
                .str.replace(r"^(https?://)?(www\.)?", "", regex=True)
                .str.rstrip("/")
                if "domain" in cols
                else pd.NA
            ),
            "source_row": raw["source_row"],
        }
    )
    unknown = out["status"].isna()
    if unknown.any():
        report.set_aside(
            path,
            out[unknown].assign(status=status_raw[unknown]),
            rule="unknown status",
            column="status",
            reason=[
                f"status {v!r} is none of client, prospect, partner, competitor"
                for v in status_raw[unknown]
            ],
        )
    return out[~unknown]
