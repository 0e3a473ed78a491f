"""Company names and email domains, made comparable: the engine behind CRM matching.

Private: :func:`roi_helpers.relevance.match_companies` is the front door. Names are
compared by a *key*: lower case, accents dropped, ``&`` read as ``and``, dots and
apostrophes removed (``S.A.`` is ``sa``, ``McDonald's`` is ``mcdonalds``), other
punctuation and anything in brackets dropped, a leading "the" and trailing legal forms
removed (``Inc.``, ``Ltd``, ``GmbH & Co. KG``, ``S.p.A.``, ``Lda.``, ``A/S``, ``Sp. z o.o.``,
``Aktiengesellschaft``, ``Pvt. Ltd``...). Keys are computed in pyarrow, once per distinct
name. :func:`first_words_match` finds a name written as the first words of another
("Marrowfield" for "Marrowfield Healthcare B.V.").
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
    "lda",
    "unipessoal",
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
    "aktiengesellschaft",
    "kg",
    "kgaa",
    "ohg",
    "ug",
    "gbr",
    "ev",
    "ek",
    "se",
    "sa",
    "sas",
    "sasu",
    "sarl",
    "eurl",
    "sca",
    "srl",
    "srls",
    "scarl",
    "spa",
    "sapa",
    "snc",
    "sl",
    "slu",
    "sau",
    "bv",
    "nv",
    "vof",
    "bvba",
    "sprl",
    "cvba",
    "pvt",
    "private",
    "pty",
    "pte",
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
    "sab",
    "sp z oo",
    "sp zoo",
    "sro",
    "spol",
    "kft",
    "zrt",
    "nyrt",
    "doo",
    "dd",
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
    t = pc.replace_substring_regex(t, r"\b([a-z])/([a-z])\b", r"\1\2")  # A/S, S/A, K/S
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
    """CRM domains as bare host names: no scheme, ``www.``, path or trailing dot.

    A cell may hold several domains (``"acme.com; acme.de"``, as merged duplicates give):
    each is cleaned, and they are kept in order, ``"; "``-separated, repeats dropped.

    Examples
    --------
    >>> import pandas as pd
    >>> clean_domains(pd.Series(["https://www.Acme.com/about", "a.example; https://b.example/", None])).tolist()
    ['acme.com', 'a.example; b.example', nan]
    """
    items = domains.astype("str").str.split(r"[;,]|\s+", regex=True).explode()
    text = items.astype("str").str.strip().str.lower()
    text = text.str.replace(r"^[a-z]+://", "", regex=True).str.replace(r"^www\.", "", regex=True)
    text = text.str.replace(r"[/?#].*$", "", regex=True).str.rstrip(".")
    text = text[text.notna() & (text != "")]
    joined = text.groupby(level=0, sort=False).agg(lambda s: "; ".join(dict.fromkeys(s)))
    out = pd.Series(pd.NA, index=domains.index, dtype="str")
    if len(joined):
        out.loc[joined.index] = joined.to_numpy()
    return out


def domain_table(domains: pd.Series) -> dict[str, int]:
    """``{domain: position}`` for a column of (possibly several, ``;``-separated) domains;
    a domain two rows give is left out (it cannot say which)."""
    items = domains.reset_index(drop=True).astype("str").str.split(";").explode()
    items = items.astype("str").str.strip()
    items = items[items.notna() & (items != "")]
    owners = items.groupby(items).transform(lambda s: s.index.nunique())
    items = items[owners == 1]
    return {d: int(i) for i, d in items.items()}


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


#: First words too common to say which company a name means ("Global", "United"...):
#: a name that is only one of them is never matched by its first words.
GENERIC_WORDS = frozenset(
    """
    global united first general national international american european asian british
    german french spanish italian dutch swiss nordic euro new north south east west central
    royal standard universal digital smart blue green red black white golden silver
    group holding holdings capital partners consulting solutions systems software services
    media energy health healthcare bank insurance trust foods retail logistics analytics
    industries technologies technology tech labs data cloud network networks
    university college school institute academy hospital city state county ministry
    department government freelance freelancer self independent consultant retired student
    """.split()
)


def _word_prefixes(keys: pd.Series) -> pd.DataFrame:
    """Every proper first-words prefix of each key: ``pos`` (position in ``keys``),
    ``prefix`` and ``words`` (how many words it has). Vectorised per word count."""
    words = keys.reset_index(drop=True).str.split(" ")
    n = words.str.len().fillna(0).astype(int)
    parts = [pd.DataFrame({"pos": pd.Series(dtype="int64"), "prefix": [], "words": []})]
    for k in range(1, int(n.max()) if len(n) else 1):
        has = (n > k).to_numpy()
        if not has.any():
            break
        parts.append(
            pd.DataFrame(
                {
                    "pos": np.flatnonzero(has),
                    "prefix": words[has].str[:k].str.join(" ").to_numpy(dtype=object),
                    "words": k,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _distinctive(prefix: pd.Series, min_length: int) -> pd.Series:
    """Long enough, and not one generic word, to stand for a company on its own."""
    text = prefix.astype("str")
    return (text.str.len() >= min_length) & ~text.isin(GENERIC_WORDS) & ~text.str.isdigit()


def first_words_match(
    keys: pd.Series, choice_keys: pd.Series, choice_accounts: np.ndarray, min_length: int = 4
) -> np.ndarray:
    """For each key, the account one of whose keys it is the first words of, or whose key
    is its own first words; -1 when none, or when two accounts would fit.

    ``keys`` and ``choice_keys`` are comparison keys (:func:`company_keys`);
    ``choice_accounts`` gives the account of each choice key. Words are whole words
    ("marrow" is not the first word of "marrowfield healthcare"); the shorter key must
    be at least ``min_length`` characters and not one generic word
    (:data:`GENERIC_WORDS`). When a key's own first words match several choice keys, the
    longest wins ("acme analytics" before "acme" for "acme analytics europe").
    Vectorised: dictionary look-ups, no pairwise comparison.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> crm = pd.Series(["marrowfield healthcare", "norrwick foods", "acme"])
    >>> keys = pd.Series(["marrowfield", "nomarri foods", "acme analytics europe", "global"])
    >>> first_words_match(keys, crm, np.array([0, 1, 2])).tolist()
    [0, -1, 2, -1]
    """
    out = np.full(len(keys), -1, dtype=np.int64)
    choice = pd.DataFrame(
        {"key": choice_keys.reset_index(drop=True), "account": np.asarray(choice_accounts)}
    ).dropna(subset=["key"])
    if choice.empty or not len(keys):
        return out
    k = keys.reset_index(drop=True)
    # a name that is the first words of an account's name (or alias): "marrowfield"
    pre = _word_prefixes(choice["key"])
    pre["account"] = choice["account"].to_numpy()[pre["pos"].to_numpy()]
    owners = pre.groupby("prefix")["account"].agg(["nunique", "first"])
    forward = owners.loc[owners["nunique"] == 1, "first"]
    found = k.map(forward)
    ok = (found.notna() & _distinctive(k, min_length)).to_numpy()
    out[ok] = found[ok].astype("int64").to_numpy()
    # an account's name that is the first words of the name: "marrowfield healthcare group"
    whole = choice.groupby("key")["account"].agg(["nunique", "first"])
    whole = whole.loc[whole["nunique"] == 1, "first"]
    mine = _word_prefixes(k.dropna())
    if len(mine):
        mine["pos"] = k.dropna().index.to_numpy()[mine["pos"].to_numpy()]
        mine["account"] = mine["prefix"].map(whole)
        mine = mine[mine["account"].notna() & _distinctive(mine["prefix"], min_length)]
        longest = mine.sort_values("words").drop_duplicates("pos", keep="last")
        pos = longest["pos"].to_numpy(dtype=np.int64)
        free = out[pos] < 0
        out[pos[free]] = longest["account"].to_numpy(dtype=np.int64)[free]
    return out
