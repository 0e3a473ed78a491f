"""Company names and email domains, made comparable: the engine behind CRM matching.

Private: :func:`roi_helpers.relevance.match_companies` is the front door. Names are
compared by a *key*: lower case, accents dropped, ``&`` read as ``and``, dots and
apostrophes removed (``S.A.`` is ``sa``, ``McDonald's`` is ``mcdonalds``), other
punctuation and anything in brackets dropped, a leading "the" and trailing legal forms
removed (``Inc.``, ``Ltd``, ``GmbH & Co. KG``, ``S.p.A.``, ``Pvt. Ltd``...). Keys are
computed in pyarrow, once per distinct name.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: Legal forms removed from the end of a name (after dots are dropped: ``s.a.`` -> ``sa``).
LEGAL_FORMS = (
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "cia",
    "ltd",
    "ltda",
    "limited",
    "llc",
    "llp",
    "lp",
    "plc",
    "pllc",
    "pc",
    "gmbh",
    "mbh",
    "ag",
    "kg",
    "kgaa",
    "ohg",
    "ug",
    "gbr",
    "ev",
    "se",
    "sa",
    "sas",
    "sasu",
    "sarl",
    "eurl",
    "sca",
    "srl",
    "srls",
    "spa",
    "sapa",
    "snc",
    "sl",
    "slu",
    "sau",
    "bv",
    "nv",
    "vof",
    "pvt",
    "private",
    "pty",
    "ab",
    "oy",
    "oyj",
    "as",
    "asa",
    "aps",
    "kk",
    "bhd",
    "sdn",
    "de cv",
    "s de rl",
    "sapi",
    "and",
)
_SUFFIX = r"(\s(" + "|".join(sorted(LEGAL_FORMS, key=len, reverse=True)) + r"))+$"

#: Email domains that say nothing about an employer.
FREE_MAIL = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.co.uk",
        "yahoo.fr",
        "yahoo.es",
        "hotmail.com",
        "hotmail.fr",
        "hotmail.co.uk",
        "outlook.com",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "t-online.de",
        "orange.fr",
        "free.fr",
        "laposte.net",
        "libero.it",
        "uol.com.br",
        "bol.com.br",
        "qq.com",
        "163.com",
        "mail.ru",
        "yandex.ru",
    }
)


def _to_arrow(values: pd.Series) -> pa.Array:
    text = values.astype("str")
    return pa.array(text.to_numpy(dtype=object, na_value=None), type=pa.string())


def company_keys(names: pd.Series) -> pd.Series:
    """The comparison key of each name (same index); missing or empty stays missing."""
    arr = _to_arrow(names)
    t = pc.utf8_normalize(arr, "NFKD")
    t = pc.replace_substring_regex(t, r"\p{Mn}+", "")
    t = pc.utf8_lower(t)
    t = pc.replace_substring_regex(t, r"\([^)]*\)|\[[^\]]*\]", " ")
    t = pc.replace_substring_regex(t, "&", " and ")
    t = pc.replace_substring_regex(t, "[.'\u2019`]", "")
    t = pc.replace_substring_regex(t, r"[^a-z0-9]+", " ")
    t = pc.utf8_trim_whitespace(t)
    t = pc.replace_substring_regex(t, r"^the\s", "")
    stripped = pc.utf8_trim_whitespace(pc.replace_substring_regex(t, _SUFFIX, ""))
    # a name that is nothing but a legal form keeps its words
    t = pc.if_else(pc.equal(stripped, ""), t, stripped)
    t = pc.if_else(pc.equal(t, ""), pa.scalar(None, pa.string()), t)
    return pd.Series(t.to_numpy(zero_copy_only=False), index=names.index, dtype="str")


def email_domains(emails: pd.Series) -> pd.Series:
    """The domain of each email (lower case), missing where there is none or it is free mail."""
    text = emails.astype("str").str.strip().str.lower()
    domain = text.str.extract(r"@([a-z0-9.\-]+\.[a-z]{2,})\s*$", expand=False).astype("str")
    return domain.where(~domain.isin(FREE_MAIL))


def clean_domains(domains: pd.Series) -> pd.Series:
    """CRM domains as bare host names: no scheme, ``www.``, path or trailing dot."""
    text = domains.astype("str").str.strip().str.lower()
    text = text.str.replace(r"^[a-z]+://", "", regex=True).str.replace(r"^www\.", "", regex=True)
    text = text.str.replace(r"[/?#].*$", "", regex=True).str.rstrip(".")
    return text.where(text.notna() & (text != ""))


def domain_lookup(domains: pd.Series, table: dict[str, int], depth: int = 3) -> np.ndarray:
    """For each email domain, the index in ``table`` of it or of a parent domain (-1: none).

    ``mail.eu.acme.com`` finds ``acme.com``. One vectorised pass per level, not per email.
    """
    out = np.full(len(domains), -1, dtype=np.int64)
    current = domains.reset_index(drop=True)
    for _ in range(depth + 1):
        found = current.map(table)
        hit = found.notna().to_numpy() & (out < 0)
        out[hit] = found[hit].astype("int64").to_numpy()
        nxt = current.str.replace(r"^[^.]+\.", "", regex=True)
        nxt = nxt.where(nxt.str.contains(".", regex=False) & (nxt != current))
        if not nxt.notna().any():
            break
        current = nxt
    return out
