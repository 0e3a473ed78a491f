"""Keeping people private in what the kit shows and writes.

Connection exports hold names and sometimes emails. Reports never print emails, and show
people as stable pseudonyms unless the person running them asks for names
(``show_names=True``). A pseudonym is the same in every table and chart of a run, so a
reader can still follow "Person 3f9a" from the leaderboard to the cascade drawing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import pandas as pd

__all__ = ["EMAIL", "PEOPLE_COLUMNS", "find_emails", "hide_people", "pseudonym", "redact_emails"]

#: Columns that identify a person, wherever they appear.
PEOPLE_COLUMNS = (
    "name",
    "person_id",
    "user_id",
    "user",
    "parent_user_id",
    "parent",
    "child",
    "carrier",
)

EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")


def pseudonym(values: pd.Series, salt: str = "roi") -> pd.Series:
    """Stable pseudonyms (``"Person 3f9a1c08e2"``) for identifying values; missing stays missing.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pseudonym(pd.Series(["Ana Silva", "Ana Silva", None]))
    >>> p.iloc[0] == p.iloc[1], p.iloc[0].startswith("Person "), pd.isna(p.iloc[2])
    (True, True, True)
    """
    uniques = pd.Series(values.dropna().unique())
    codes = {
        v: "Person " + hashlib.blake2b(f"{salt}|{v}".encode(), digest_size=5).hexdigest()
        for v in uniques
    }
    return values.map(codes).astype("str")


def hide_people(
    df: pd.DataFrame,
    show_names: bool = False,
    columns: Iterable[str] = PEOPLE_COLUMNS,
    salt: str = "roi",
) -> pd.DataFrame:
    """A copy fit to show: emails dropped always, people pseudonymised unless ``show_names``.

    Parameters
    ----------
    df
        Any table; not mutated.
    show_names
        Keep names and ids as they are (for an analyst looking at their own network).
    columns
        Which columns identify people (default :data:`PEOPLE_COLUMNS`, where present).
    salt
        Changes every pseudonym at once (use one per report run if wanted).

    Returns
    -------
    DataFrame
        Without an ``email`` column; identifying columns replaced by pseudonyms. The same
        value gets the same pseudonym in every column, so ``parent`` and ``child`` still
        join.
    """
    out = df.drop(columns=[c for c in df.columns if "email" in str(c).lower()])
    if show_names:
        return out
    for col in columns:
        if col in out.columns:
            out[col] = pseudonym(out[col].astype("str"), salt=salt)
    return out


def find_emails(text: str) -> list[str]:
    """Every email address in ``text``."""
    return EMAIL.findall(text)


def redact_emails(text: str) -> str:
    """``text`` with every email address replaced by ``[email hidden]``."""
    return EMAIL.sub("[email hidden]", text)
