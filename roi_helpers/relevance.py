"""Is my network relevant? Buyers or peers, for a person and for a team.

Sales people connect with sales people, finance directors with finance directors, when
the network that pays off is made of clients and prospects. This module reads a network
(the audience table: one row per connection) and says how much of it is worth something
to its owner, and what to do about it:

1. **Who are they?** :func:`classify_titles` turns job titles (messy, abbreviated, in
   several languages) into LinkedIn's job functions and seniority levels, by rules a
   user can extend (``roi_helpers/data/title_rules.yaml``).
2. **Which companies?** :func:`match_companies` finds each connection's company in the
   CRM (exact name, alias, email domain, then fuzzy), saying how and with what score;
   :func:`unmatched_companies` lists the ones it could not place.
3. **What relationship?** :func:`add_relationship` labels each connection client,
   prospect, partner, competitor (from the CRM), internal (the owner's own company),
   peer (the owner's own function) or other.
4. **How relevant?** :func:`relationship_mix`, :func:`relevance_summary` (buyer,
   peer and decision-maker shares), :func:`homophily` (Krackhardt's E-I index and
   inbreeding homophily, each with a sentence saying how to read it),
   :func:`target_coverage` (connections and decision-makers per target account),
   :func:`relevance_trend` (by the calendar month connections were made), and
   :func:`next_actions` (target accounts without a decision-maker contact, ranked).
5. **When?** :func:`period_of` reads a period (``start_date``, ``end_date``);
   :func:`as_of` gives the network as it stood at its end, :func:`made_within` the
   connections made within it.

Definitions (the same in every function and chart):

- **buyer**: a connection at a client or prospect account, or a *target persona* (a
  target function at or above a minimum seniority) who is not internal, a partner or a
  competitor;
- **peer**: same job function as the owner, and not at a CRM account or the owner's
  company;
- **decision-maker**: Director or above (Director, VP, CXO, Partner, Owner);
- shares are of *all* connections (titles that say nothing count in the denominator:
  an unknown is not a buyer), and the share of titles classified is always reported.

All functions take tidy frames and return new ones; none mutates its input.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler
from rapidfuzz import fuzz, process

from . import _companies, _titles
from ._titles import FUNCTIONS, SENIORITIES
from .clean import CleaningReport
from .errors import RoiInputError
from .parsing import parameter_day
from .schema import RELATIONSHIPS, STATUSES

__all__ = [
    "owners",
    "personas",
    "BUYER_STATUSES",
    "DECISION_MAKER",
    "FUNCTIONS",
    "RELATIONSHIPS",
    "SENIORITIES",
    "TEAM",
    "Network",
    "Period",
    "add_relationship",
    "as_of",
    "classify_titles",
    "describe",
    "describe_owners",
    "describe_new",
    "describe_period",
    "function_matrix",
    "homophily",
    "key_numbers",
    "load_network",
    "made_within",
    "match_companies",
    "next_actions",
    "owner_function_for",
    "owner_summary",
    "period_of",
    "prepare_accounts",
    "relationship_mix",
    "relevance_summary",
    "relevance_trend",
    "target_coverage",
    "title_audit",
    "title_rules",
    "title_rules_in",
    "unmatched_companies",
]

#: CRM statuses whose people are buyers.
BUYER_STATUSES = ("client", "prospect")
#: The lowest seniority counted as a decision-maker.
DECISION_MAKER = "Director"
#: The ``account`` label of rows that pool a whole team.
TEAM = "All team"
#: Default fuzzy-match threshold (rapidfuzz token_sort_ratio, 0-100).
THRESHOLD = 90
_NO_CRM = "no CRM"
_FIRST_WORDS = "first words"
_NOT_BUYER = ("internal", "partner", "competitor")


# -- small helpers -----------------------------------------------------------------------------
def _canon(value: str, allowed: Sequence[str], what: str) -> str:
    canon = {v.lower(): v for v in allowed}
    key = str(value).strip().lower()
    if key not in canon:
        raise RoiInputError(
            f"{value!r} is not a {what}",
            column={"job function": "function", "seniority level": "seniority"}.get(what, what),
            expected="one of " + ", ".join(allowed),
        )
    return canon[key]


def _functions(values: Iterable[str] | str | None) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [values] if values.strip() else []
    return [_canon(v, FUNCTIONS[:-1], "job function") for v in values]


def _at_least(seniority: pd.Series, level: str) -> pd.Series:
    level = _canon(level, SENIORITIES[1:], "seniority level")
    s = seniority.astype(_titles.SENIORITY_DTYPE)
    return (s >= level).fillna(False).astype(bool)


def _need(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise RoiInputError(
            f"{what} needs column(s) {', '.join(missing)}; the table has "
            + ", ".join(map(str, df.columns)),
            column=missing[0],
            hint="Run add_relationship() on the audience table first."
            if "relationship" in missing
            else None,
        )


def _rows(df: pd.DataFrame, mask: pd.Series | np.ndarray | None = None) -> list[int]:
    part = df if mask is None else df[mask]
    if "source_row" in part:
        return [int(r) for r in part["source_row"].dropna()]
    return []


# -- titles --------------------------------------------------------------------------------------
def title_rules(extra: str | Path | Sequence[str | Path] | None = None) -> pd.DataFrame:
    """The title rules in the order they are tried, for reading and auditing.

    Parameters
    ----------
    extra
        Your own rules file(s) (YAML shaped like ``roi_helpers/data/title_rules.yaml``, or
        CSV with columns ``field, value, name, pattern, unless``); tried first.

    Returns
    -------
    DataFrame
        One row per rule: ``field`` (function or seniority), ``value`` (what it assigns),
        ``name``, ``pattern`` and ``unless`` (RE2 regular expressions on the normalised
        title), ``source`` (``built-in`` or your file's name), ``order`` (1 = tried first).

    Raises
    ------
    RoiInputError
        An extra file with an unknown function or seniority, a missing or invalid
        pattern (the rule's number and the problem are named).

    Examples
    --------
    >>> rules = title_rules()
    >>> rules.loc[rules["name"] == "CFO/FD/DAF", ["field", "value"]].values.tolist()
    [['function', 'Finance']]
    """
    return _titles.load_rules(extra).to_frame()


def title_rules_in(folder: str | Path) -> list[Path]:
    """Your own title rules kept with the data: ``title_rules.yaml`` (or ``.yml``,
    ``.csv``) at the top of ``folder``, to pass as ``rules=`` (an empty list: none).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "title_rules.yaml").write_text("function: []")
    >>> [p.name for p in title_rules_in(d)]
    ['title_rules.yaml']
    """
    folder = Path(folder)
    return [
        folder / name
        for name in ("title_rules.yaml", "title_rules.yml", "title_rules.csv")
        if (folder / name).is_file()
    ]


def classify_titles(
    titles: pd.Series,
    rules: str | Path | Sequence[str | Path] | None = None,
    *,
    report: CleaningReport | None = None,
    file: str | Path | pd.Series | None = None,
    rows: pd.Series | None = None,
) -> pd.DataFrame:
    """Job titles to LinkedIn's job function and seniority, with the rule that decided.

    Titles are read as people write them: abbreviations (CFO, FD, SVP, Dir., Mgr, Sr.,
    HRBP, SDR/BDR/AE), several jobs in one ("Founder & CEO", "Head of Sales EMEA |
    Speaker": the first one named decides the function), decoration (emojis, "!!"),
    students and interns, and Spanish, Portuguese, French, German, Italian and Dutch. A
    title no rule understands is ``Unknown``: an unknown is better than a confident wrong
    answer. Each distinct title is classified once. Does not mutate ``titles``.

    Parameters
    ----------
    titles
        Job titles (any index; repeats and missing values allowed).
    rules
        Extra rules file(s), tried before the built-in rules (see :func:`title_rules`).
    report, file, rows
        Where to note titles longer than 300 characters (classified on their first 300):
        a cleaning report, the file name (or each title's own file, a Series on the
        index of ``titles``, for a team's exports) and each title's row in it (same index
        as ``titles``).

    Returns
    -------
    DataFrame
        On the index of ``titles``:

        ``function``
            One of LinkedIn's 26 job functions, or ``Unknown`` (categorical).
        ``seniority``
            Unpaid, Training, Entry, Senior, Manager, Director, VP, CXO, Partner, Owner,
            or ``Unknown`` (ordered categorical; Unknown sorts first, so "at least
            Manager" never counts it).
        ``function_rule``, ``seniority_rule``
            The name of the rule that decided (``no rule matched``, ``no title``, ``no
            seniority word: individual contributor``...).

    Raises
    ------
    RoiInputError
        A broken extra rules file (see :func:`title_rules`).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.Series(["Directora Financiera", "Sr. Mgr, IT Infrastructure", "🚀 SDR", None])
    >>> out = classify_titles(t)
    >>> out[["function", "seniority"]].astype(str).values.tolist()
    [['Finance', 'Director'], ['Information Technology', 'Manager'], ['Sales', 'Entry'], ['Unknown', 'Unknown']]
    """
    loaded = _titles.load_rules(rules)
    out = _titles.classify(titles, loaded)
    if report is not None:
        long = titles.astype("str").str.len() > _titles.MAX_TITLE
        if long.any():
            where = (
                file[long].astype("str").to_numpy(dtype=object)
                if isinstance(file, pd.Series)
                else file
            )
            report.record(
                where,
                rows[long] if rows is not None else [pd.NA] * int(long.sum()),
                rule="very long title",
                action="flagged",
                column="title",
                original=titles[long].astype("str").str.slice(0, 80) + "...",
                reason=f"a title of more than {_titles.MAX_TITLE} characters: only its "
                f"first {_titles.MAX_TITLE} were read to classify it",
            )
    return out


def title_audit(
    rel: pd.DataFrame, top: int | None = 20, unknown_only: bool = False
) -> pd.DataFrame:
    """The most frequent titles and what the classifier made of them, to check it.

    Parameters
    ----------
    rel
        A frame with ``title``, ``function``, ``seniority``, ``function_rule`` and
        ``seniority_rule`` (from :func:`add_relationship` or :func:`classify_titles`
        joined to the titles). Not mutated.
    top
        How many titles to show (None: all).
    unknown_only
        Only titles whose function is Unknown: the ones a new rule could teach.

    Returns
    -------
    DataFrame
        ``title``, ``connections`` (how many have it), ``function``, ``seniority``,
        ``function_rule``, ``seniority_rule``; most frequent first. No names, no emails.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"title": ["CFO", "CFO", "Kansas Broadband"]})
    >>> audit = title_audit(df.join(classify_titles(df["title"])), unknown_only=True)
    >>> audit[["title", "connections"]].values.tolist()
    [['Kansas Broadband', 1]]
    """
    _need(rel, ["title", "function", "seniority", "function_rule", "seniority_rule"], "title_audit")
    df = rel[rel["title"].notna()]
    if unknown_only:
        df = df[df["function"].astype("str") == "Unknown"]
    cols = ["title", "function", "seniority", "function_rule", "seniority_rule"]
    out = (
        df.assign(function=df["function"].astype("str"), seniority=df["seniority"].astype("str"))
        .groupby(cols, sort=False, dropna=False)
        .size()
        .rename("connections")
        .reset_index()
        .sort_values(["connections", "title"], ascending=[False, True], kind="stable")
    )
    out = out[["title", "connections", *cols[1:]]].reset_index(drop=True)
    return out if top is None else out.head(top)


# -- the CRM --------------------------------------------------------------------------------------
def prepare_accounts(
    accounts: pd.DataFrame,
    report: CleaningReport | None = None,
    *,
    conflicts: str = "raise",
    file: str | Path | None = None,
) -> pd.DataFrame:
    """Check a CRM account list and give each company its comparison key.

    Rows whose names are the same company once case, accents, punctuation and legal
    forms are ignored ("Acme Inc." and "ACME") are one account. With the same status
    they are duplicates: the first row is kept, the aliases and domains of the others are
    added to it (nothing they said is lost), and the others are set aside as
    deduplicated. With different statuses nobody can tell which is right, and
    ``conflicts`` says what happens (every choice is written in ``report``, naming the
    rows and which one is used). Does not mutate ``accounts``.

    Parameters
    ----------
    accounts
        The accounts table (``company``, ``status``; optional ``aliases`` separated by
        ``;`` and ``domain``), as :func:`roi_helpers.load` reads a CRM file.
    report
        Receives the rows set aside, and a flag on the row used for a company given two
        statuses.
    conflicts
        What to do with one company given two statuses: ``"raise"`` (an error naming
        the rows), ``"keep last"`` (the last row is used, as a later export wins
        elsewhere in the kit; the others are set aside), ``"keep first"``, or ``"set
        aside"`` (none is used).
    file
        The CRM file's name, for messages (default: the ``source_file`` column).

    Returns
    -------
    DataFrame
        ``company``, ``status``, ``aliases`` (``; ``-separated, merged from duplicate
        rows), ``domain`` (bare host names, ``; ``-separated when several), ``key`` (the
        comparison key), and ``source_row``/``source_file`` when the input had them.

    Raises
    ------
    RoiInputError
        Missing ``company`` or ``status`` columns, a status that is none of client,
        prospect, partner, competitor, or (``conflicts="raise"``) one company with two
        statuses; the rows are named.

    Examples
    --------
    >>> import pandas as pd
    >>> crm = pd.DataFrame({"company": ["Acme Inc.", "ACME", "Beta GmbH"],
    ...                     "status": ["client", "client", "prospect"],
    ...                     "aliases": [None, "Acme Group", None]})
    >>> prepare_accounts(crm)[["company", "aliases", "key"]].values.tolist()
    [['Acme Inc.', 'Acme Group', 'acme'], ['Beta GmbH', nan, 'beta']]
    >>> two = pd.DataFrame({"company": ["Hooli", "Hooli"], "status": ["client", "competitor"]})
    >>> prepare_accounts(two, conflicts="keep last")[["company", "status"]].values.tolist()
    [['Hooli', 'competitor']]
    """
    if conflicts not in _CONFLICTS:
        raise ValueError(f"conflicts must be one of {', '.join(map(repr, _CONFLICTS))}")
    if file is None and "source_file" in accounts and accounts["source_file"].notna().any():
        file = str(accounts["source_file"].dropna().iloc[0])
    missing = [c for c in ("company", "status") if c not in accounts.columns]
    if missing:
        raise RoiInputError(
            f"the CRM account list has no {' or '.join(missing)} column; it has "
            + ", ".join(map(str, accounts.columns)),
            path=file,
            column=missing[0],
            expected="company, status (client, prospect, partner or competitor), aliases, domain",
        )
    df = accounts.copy()
    if "source_row" not in df:
        df["_row"] = pd.array(np.arange(2, len(df) + 2), dtype="Int64")
    else:
        df["_row"] = df["source_row"].astype("Int64")
    default_file = "" if file is None else Path(file).name if isinstance(file, Path) else str(file)
    df["_file"] = (
        df["source_file"].astype("str").fillna(default_file)
        if "source_file" in df
        else pd.Series(default_file, index=df.index, dtype="str")
    )
    status = df["status"].astype("str").str.strip().str.lower()
    bad = status.notna() & ~status.isin(STATUSES)
    if bad.any():
        raise RoiInputError(
            "unknown status " + ", ".join(repr(v) for v in df.loc[bad, "status"].unique()[:3]),
            path=file,
            rows=df.loc[bad, "_row"].dropna(),
            column="status",
            expected="one of " + ", ".join(STATUSES),
        )
    df["status"] = status
    for col in ("aliases", "domain"):
        if col not in df:
            df[col] = pd.Series(pd.NA, index=df.index, dtype="str")
    df["domain"] = _companies.clean_domains(df["domain"])
    df["key"] = _companies.company_keys(df["company"])
    nameless = df["key"].isna() | df["status"].isna()
    if nameless.any():
        if report is not None:
            report.set_aside(
                file,
                _as_read(df[nameless]),
                rule="CRM row without company or status",
                reason="a CRM row needs a company name and a status",
            )
        df = df[~nameless]
    merged = _merged_lists(df)  # what every row of a company says, before any is set aside
    statuses = df.groupby("key")["status"].transform("nunique")
    clash = statuses > 1
    if clash.any():
        df = _two_statuses(df, clash, conflicts, file, report)
    df = _merge_duplicates(df, file, report)
    again = df["key"].isin(merged.index)
    for col in ("aliases", "domain"):
        df.loc[again, col] = df.loc[again, "key"].map(merged[col]).astype("str").to_numpy()
    keep = ["company", "status", "aliases", "domain", "key"] + [
        c for c in ("source_file", "source_row") if c in df
    ]
    return df[keep].reset_index(drop=True)


_CONFLICTS = ("raise", "keep last", "keep first", "set aside")
_TWO_STATUSES = "CRM company with two statuses"


def _as_read(rows: pd.DataFrame) -> pd.DataFrame:
    """CRM rows as the report keeps them: without the working columns."""
    return rows.drop(columns=[c for c in ("_row", "_file", "key") if c in rows])


def _where(files: Sequence[str], rows: Sequence[object]) -> list[str]:
    """``crm.csv row 2``, then ``row 4`` while the file stays the same."""
    out, last = [], None
    for f, r in zip(files, rows, strict=True):
        row = f"row {r}" if pd.notna(r) else "a row"
        out.append(row if f == last or not f else f"{f} {row}")
        last = f
    return out


def _two_statuses(
    df: pd.DataFrame,
    clash: pd.Series,
    conflicts: str,
    file: str | Path | None,
    report: CleaningReport | None,
) -> pd.DataFrame:
    """One company given two statuses: raise, or keep one row (or none) and say which."""
    rows = df[clash]
    if conflicts == "raise":
        names = rows.groupby("key")["company"].agg(lambda s: " = ".join(dict.fromkeys(s)))
        text = "; ".join(
            f"{n} ({', '.join(sorted(set(rows.loc[rows['key'] == k, 'status'])))})"
            for k, n in names.items()
        )
        raise RoiInputError(
            f"the same company has two statuses: {text}",
            path=file,
            rows=rows["_row"].dropna(),
            column="company",
            expected="each company once, with one status",
            hint="Keep one row per company (put other spellings in 'aliases').",
        )
    order = rows.groupby("key", sort=False).cumcount()
    last = rows.groupby("key", sort=False)["status"].transform("size") - 1
    used = {"keep first": order == 0, "keep last": order == last}.get(
        conflicts, pd.Series(False, index=rows.index)
    )
    winner = rows[used].set_index("key")["status"]
    sentences = {}
    for key, part in rows.groupby("key", sort=False):  # a few companies, not the data
        where = _where(part["_file"].tolist(), part["_row"].tolist())
        says = ", ".join(f"{w} says {s}" for w, s in zip(where, part["status"], strict=True))
        n = part["status"].nunique()
        head = (
            f"{part['company'].iloc[0]!r} is in the CRM with "
            f"{'two' if n == 2 else n} statuses: {says}."
        )
        if conflicts == "set aside":
            tail = " None of these rows is used"
        else:
            pick = part[used.loc[part.index]]
            which = "last" if conflicts == "keep last" else "first"
            tail = (
                f" The {which} one, {_where([''], [pick['_row'].iloc[0]])[0]} "
                f"({pick['status'].iloc[0]}), is used"
            )
            others = part[~used.loc[part.index] & (part["status"] != pick["status"].iloc[0])]
            if len(others):
                tail += "; the other" + ("s are" if len(others) > 1 else " is") + " set aside"
        if conflicts != "set aside" and (part["aliases"].notna() | part["domain"].notna()).any():
            tail += " (the aliases and domains of every row are kept)"
        sentences[key] = head + tail + ": fix the CRM so the company has one status."
    reasons = rows["key"].map(sentences)
    wrong = (
        clash
        if conflicts == "set aside"
        else clash & (df["status"] != df["key"].map(winner)).fillna(False)
    )
    if report is not None:
        if conflicts != "set aside":
            kept = rows[used]
            report.record(
                kept["_file"].to_numpy(dtype=object),
                kept["_row"],
                rule=_TWO_STATUSES,
                action="flagged",
                column="status",
                original=kept["status"],
                value=kept["status"],
                reason=reasons[used].to_numpy(dtype=object),
            )
        gone = df[wrong]
        report.set_aside(
            file,
            _as_read(gone),
            rule=_TWO_STATUSES,
            column="status",
            reason=reasons.reindex(gone.index).tolist(),
        )
    return df[~wrong]


def _merged_lists(df: pd.DataFrame) -> pd.DataFrame:
    """For each company given on several rows: all their aliases and domains, in order,
    each once (``; ``-separated), indexed by key."""
    repeated = df["key"].duplicated(keep=False)
    out = pd.DataFrame(index=pd.Index(pd.unique(df.loc[repeated, "key"]), name="key"))
    for col in ("aliases", "domain"):
        items = df.loc[repeated, col].astype("str").str.split(";").explode()
        items = items.astype("str").str.strip()
        items = items[items.notna() & (items != "")]
        keys = df.loc[items.index, "key"]
        # a spelling given twice, whatever its case, is given once
        items = items[~pd.DataFrame({"k": keys, "f": items.str.casefold()}).duplicated()]
        joined = items.groupby(df.loc[items.index, "key"], sort=False).agg("; ".join)
        out[col] = joined.reindex(out.index).astype("str")
    return out


def _merge_duplicates(
    df: pd.DataFrame, file: str | Path | None, report: CleaningReport | None
) -> pd.DataFrame:
    """Rows of one company with one status: the first kept (its aliases and domains are
    completed by the caller), the others set aside as deduplicated."""
    dup = df.duplicated("key", keep="first")
    if not dup.any():
        return df
    first = df[~dup].set_index("key")
    gone = df[dup]
    kept_at = _where(
        first.loc[gone["key"], "_file"].tolist(), first.loc[gone["key"], "_row"].tolist()
    )
    adds = gone["aliases"].notna() | gone["domain"].notna()
    reasons = [
        f"the same company as {first.loc[k, 'company']!r} ({w}) once case, accents, "
        "punctuation and legal forms are ignored; that row is kept"
        + (", with this row's aliases and domain added to it" if a else "")
        for k, w, a in zip(gone["key"], kept_at, adds, strict=True)
    ]
    if report is not None:
        report.set_aside(
            file,
            _as_read(gone),
            rule="duplicate CRM company",
            reason=reasons,
            action="deduplicated",
        )
    return df[~dup]


def _choices(accounts: pd.DataFrame) -> pd.DataFrame:
    """Every name and alias key of the CRM, with the account it points to (names first)."""
    names = pd.DataFrame({"key": accounts["key"], "account": accounts.index, "kind": "exact"})
    aliases = accounts["aliases"].astype("str").str.split(";").explode().astype("str").str.strip()
    aliases = aliases[aliases.notna() & (aliases != "")]
    alias_keys = pd.DataFrame(
        {
            "key": _companies.company_keys(aliases).to_numpy(),
            "account": aliases.index.to_numpy(),
            "kind": "alias",
        }
    ).dropna(subset=["key"])
    both = pd.concat([names, alias_keys], ignore_index=True)
    # an alias that is another account's name, or two accounts' alias, cannot decide
    owners = both.groupby("key")["account"].transform("nunique")
    ambiguous = (owners > 1) & (both["kind"] == "alias")
    both = both[~ambiguous]
    return both.drop_duplicates("key", keep="first").reset_index(drop=True)


def match_companies(
    companies: pd.Series,
    accounts: pd.DataFrame,
    threshold: float = THRESHOLD,
    *,
    emails: pd.Series | None = None,
) -> pd.DataFrame:
    """Find each company in the CRM, saying how, so a person can audit every match.

    In order: the same name once case, accents, punctuation and legal forms are ignored
    (``exact``); one of the account's ``aliases`` (``alias``); the email's domain, or a
    parent of it, is one of the account's ``domain`` values (``domain``; free-mail domains
    never match); a name similar enough (rapidfuzz ``token_sort_ratio`` at least
    ``threshold``, ``fuzzy``); one name is the other's first whole words, "Marrowfield"
    for "Marrowfield Healthcare B.V." (``first words``; never a lone generic word such as
    "Global", never when two accounts would fit). Each distinct name is
    compared once. Emails are read for their domain only and never returned. Does not
    mutate its inputs.

    Parameters
    ----------
    companies
        Company names as exported (any index; missing allowed).
    accounts
        The CRM account list (see :func:`prepare_accounts`; raw lists are prepared first).
    threshold
        Lowest fuzzy score (0-100) accepted as a match.
    emails
        Email addresses on the same index, for matching by domain.

    Returns
    -------
    DataFrame
        On the index of ``companies``:

        ``company``
            The name as given.
        ``company_key``
            The comparison key (``"acme"`` for ``"ACME Inc."``).
        ``crm_company``, ``status``
            The CRM account matched and its status (missing when none).
        ``match_method``
            ``exact``, ``alias``, ``domain``, ``fuzzy``, ``first words`` or ``none``.
        ``match_score``
            100 for the rules (exact, alias, domain, first words); the fuzzy score;
            missing for none.
        ``candidate``, ``candidate_score``
            The closest CRM name by fuzzy score and its score, even when below the
            threshold (to see near misses).

    Raises
    ------
    RoiInputError
        An account list without company or status (see :func:`prepare_accounts`).

    Examples
    --------
    >>> import pandas as pd
    >>> crm = pd.DataFrame({"company": ["Acme Inc.", "Globex Corporation"],
    ...                     "status": ["client", "prospect"],
    ...                     "aliases": ["Acme Group", None], "domain": [None, "globex.com"]})
    >>> m = match_companies(pd.Series(["ACME", "Acme Group Ltd", "Globx Corp", "Freelance"]),
    ...                     crm, emails=pd.Series([None, None, None, "jo@mail.globex.com"]))
    >>> m[["crm_company", "match_method"]].values.tolist()
    [['Acme Inc.', 'exact'], ['Acme Inc.', 'alias'], ['Globex Corporation', 'fuzzy'], ['Globex Corporation', 'domain']]
    """
    acc = accounts if "key" in accounts else prepare_accounts(accounts)
    acc = acc.reset_index(drop=True)
    keys = _companies.company_keys(companies)
    out = pd.DataFrame(
        {"company": companies.astype("str"), "company_key": keys}, index=companies.index
    )
    n = len(out)
    matched = np.full(n, -1, dtype=np.int64)
    method = np.full(n, "none", dtype=object)
    score = np.full(n, np.nan)
    choices = _choices(acc)
    # exact and alias
    by_key = choices.set_index("key")
    found = keys.map(by_key["account"])
    hit = found.notna().to_numpy()
    if hit.any():
        matched[hit] = found[hit].astype("int64").to_numpy()
        method[hit] = keys[hit].map(by_key["kind"]).to_numpy(dtype=object)
        score[hit] = 100.0
    # email domain
    if emails is not None and acc["domain"].notna().any():
        domains = _companies.email_domains(emails.reindex(companies.index))
        table = _companies.domain_table(acc["domain"])
        dom = _companies.domain_lookup(domains, table)
        take = (dom >= 0) & (matched < 0)
        matched[take] = dom[take]
        method[take] = "domain"
        score[take] = 100.0
    # fuzzy, once per distinct key
    candidate = np.full(n, None, dtype=object)
    candidate_score = np.full(n, np.nan)
    uniq = pd.unique(keys.dropna())
    if len(uniq) and len(choices):
        grid = process.cdist(
            list(uniq), list(choices["key"]), scorer=fuzz.token_sort_ratio, dtype=np.float32
        )
        best = grid.argmax(axis=1)
        best_score = grid[np.arange(len(uniq)), best].astype(float)
        best_account = choices["account"].to_numpy()[best]
        pos = pd.Index(uniq).get_indexer(keys)
        has = pos >= 0
        candidate[has] = acc["company"].to_numpy()[best_account[pos[has]]]
        candidate_score[has] = best_score[pos[has]]
        long_enough = keys.str.len().fillna(0).to_numpy() >= 4
        fuzzy = has & (matched < 0) & long_enough & (candidate_score >= threshold)
        matched[fuzzy] = best_account[pos[fuzzy]]
        method[fuzzy] = "fuzzy"
        score[fuzzy] = candidate_score[fuzzy]
    # one name the other's first words ("Marrowfield" for "Marrowfield Healthcare B.V.")
    free = (matched < 0) & keys.notna().to_numpy()
    if free.any() and len(choices):
        uniq_free = pd.Series(pd.unique(keys[free]), dtype="str")
        found_words = _companies.first_words_match(
            uniq_free, choices["key"], choices["account"].to_numpy()
        )
        pos = pd.Index(uniq_free).get_indexer(keys)
        take = free & (pos >= 0)
        take[take] = found_words[pos[take]] >= 0
        matched[take] = found_words[pos[take]]
        method[take] = _FIRST_WORDS
        score[take] = 100.0
    ok = matched >= 0
    crm_company = np.full(n, None, dtype=object)
    status = np.full(n, None, dtype=object)
    crm_company[ok] = acc["company"].to_numpy()[matched[ok]]
    status[ok] = acc["status"].to_numpy()[matched[ok]]
    out["crm_company"] = pd.Series(crm_company, index=out.index, dtype="str")
    out["status"] = pd.Series(status, index=out.index, dtype="str")
    out["match_method"] = pd.Series(method, index=out.index, dtype="str")
    out["match_score"] = score
    out["candidate"] = pd.Series(candidate, index=out.index, dtype="str")
    out["candidate_score"] = candidate_score
    return out


def unmatched_companies(
    rel: pd.DataFrame, top: int | None = 20, near: float = 80.0
) -> pd.DataFrame:
    """Companies no CRM account was found for, near misses first, then the most frequent.

    Parameters
    ----------
    rel
        The output of :func:`add_relationship` or :func:`match_companies` (needs
        ``company``, ``match_method``, ``candidate``, ``candidate_score``). Not mutated.
        Colleagues (``relationship`` internal) are left out: the owner's own company
        belongs in no CRM.
    top
        How many to list (None: all).
    near
        A closest CRM name scoring at least this (0-100), though below the matching
        threshold, is a *near miss*: listed first, closest first, where a person sees it
        (it is often a spelling the CRM should know as an alias).

    Returns
    -------
    DataFrame
        ``company`` (as spelled most often), ``connections`` (how many connections work
        there), ``candidate`` and ``candidate_score`` (the closest CRM name and its fuzzy
        score: a high score is a missing alias; add it to the CRM's ``aliases``),
        ``near_miss`` (``candidate_score`` at least ``near``). Near misses first (closest
        first), then the others, most connections first.

    Examples
    --------
    >>> import pandas as pd
    >>> crm = pd.DataFrame({"company": ["Acme Inc.", "Zephyrine Viagens Lda."], "status": ["client", "client"]})
    >>> m = match_companies(pd.Series(["Initech", "Initech", "Zephirine Viagems", "Acme"]), crm)
    >>> unmatched_companies(m)[["company", "connections", "near_miss"]].values.tolist()
    [['Zephirine Viagems', 1, True], ['Initech', 2, False]]
    """
    _need(rel, ["company", "match_method"], "unmatched_companies")
    df = rel[(rel["match_method"] == "none") & rel["company"].notna()]
    if "relationship" in df:  # the owner's own company is not missing from the CRM
        df = df[df["relationship"].astype("str") != "internal"]
    key = df["company_key"] if "company_key" in df else _companies.company_keys(df["company"])
    df = df.assign(_key=key.fillna(df["company"].astype("str")))
    if "candidate" not in df:
        df = df.assign(candidate=pd.NA, candidate_score=np.nan)
    spelled = (
        df.groupby(["_key", "company"], sort=False)
        .size()
        .rename("n")
        .reset_index()
        .sort_values("n", ascending=False, kind="stable")
        .drop_duplicates("_key")
        .set_index("_key")["company"]
    )
    out = (
        df.groupby("_key", sort=False)
        .agg(
            connections=("company", "size"),
            candidate=("candidate", "first"),
            candidate_score=("candidate_score", "first"),
        )
        .join(spelled)
        .reset_index(drop=True)[["company", "connections", "candidate", "candidate_score"]]
    )
    out["near_miss"] = (out["candidate_score"] >= near).to_numpy(dtype=bool)
    closeness = out["candidate_score"].where(out["near_miss"], -1.0).fillna(-1.0)
    out = (
        out.assign(_close=closeness)
        .sort_values(
            ["near_miss", "_close", "connections", "company"],
            ascending=[False, False, False, True],
            kind="stable",
        )
        .drop(columns="_close")
        .reset_index(drop=True)
    )
    out["connections"] = out["connections"].astype("Int64")
    return out if top is None else out.head(top)


# -- relationships ---------------------------------------------------------------------------------
def _per_account(value: str | Mapping[str, str] | None, accounts: pd.Series) -> pd.Series:
    if value is None or isinstance(value, str):
        v = None if value is None or not str(value).strip() else str(value)
        return pd.Series(v, index=accounts.index, dtype="str")
    mapping = {str(k): v for k, v in value.items()}
    return accounts.astype("str").map(mapping).astype("str")


def _team_lookup(team: pd.DataFrame | None, column: str) -> pd.Series:
    """``{member: value}`` of one team-table column, members without a value left out."""
    if team is None or column not in team or "member" not in team or not len(team):
        return pd.Series(dtype="str")
    values = team[column].astype("str").str.strip()
    known = values.notna() & (values != "")
    if column == "function":
        known &= values.str.lower() != "unknown"
    out = pd.Series(values[known].to_numpy(), index=team.loc[known, "member"].astype("str"))
    return out[~out.index.duplicated(keep="last")].astype("str")


def _team_functions(team: pd.DataFrame) -> pd.Series:
    """The team table's functions in LinkedIn's spelling, ``{member: function}``.

    Raises a :class:`RoiInputError` naming the team file, its rows and the column when a
    function is not one of LinkedIn's 26.
    """
    given = _team_lookup(team, "function")
    if given.empty:
        return given
    canon = {v.lower(): v for v in FUNCTIONS[:-1]}
    out = given.str.lower().map(canon)
    bad = out.isna()
    if bad.any():
        wrong = team["member"].astype("str").isin(given.index[bad]) & team["function"].astype(
            "str"
        ).str.strip().isin(given[bad])
        file = (
            str(team["source_file"].dropna().iloc[0])
            if "source_file" in team and team["source_file"].notna().any()
            else None
        )
        raise RoiInputError(
            "the team table gives "
            + ", ".join(repr(v) for v in dict.fromkeys(given[bad]))
            + " as a job function",
            path=file,
            rows=team.loc[wrong, "source_row"].dropna() if "source_row" in team else None,
            column="function",
            expected="one of LinkedIn's job functions: " + ", ".join(FUNCTIONS[:-1]),
            hint="Leave the cell empty to have the function read from the member's title.",
        )
    return out.astype("str")


def _function_or_title(given: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Functions given per account, each either one of LinkedIn's names (``given``) or a
    job title the rules read as one (``from title``); anything else is an error."""
    canon = {v.lower(): v for v in FUNCTIONS[:-1]}
    text = given.astype("str").str.strip()
    fn = text.str.lower().map(canon).astype("str")
    source = pd.Series(np.where(fn.notna(), "given", "unknown"), index=given.index)
    titles = text[fn.isna() & text.notna() & (text != "")]
    if len(titles):
        read = classify_titles(titles)["function"].astype("str")
        bad = read == "Unknown"
        if bad.any():
            raise RoiInputError(
                f"{titles[bad].iloc[0]!r} is neither one of LinkedIn's job functions nor a "
                "job title the title rules can read",
                column="owner_function",
                expected="one of " + ", ".join(FUNCTIONS[:-1]) + ", or a job title such as "
                "'Head of Sales'",
            )
        fn[read.index] = read
        source[read.index] = "from title"
    return fn, source


def owner_function_for(
    audience: pd.DataFrame,
    owner_function: str | Mapping[str, str] | None = None,
    owner_title: str | None = None,
    *,
    infer: bool = True,
    team: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each network owner's own job function, and where it came from.

    In order, the first that says: ``owner_function``; ``owner_title``; the member's
    ``function`` in the team table, else the member's ``title`` there; and (with
    ``infer``) a guess from their own network.

    Parameters
    ----------
    audience
        The audience table, classified (needs ``account`` and ``function`` if inferring).
        Not mutated.
    owner_function
        One function for everybody, or ``{account: function}``; ``""``/None: not given.
        A value that is not one of LinkedIn's function names is read as a job title
        ("Technical Recruiter" is Human Resources; source ``from title``).
    owner_title
        The owner's job title, classified with :func:`classify_titles` when
        ``owner_function`` is not given.
    infer
        For owners still without a function: take the most common known function in
        their own network. This is a guess (and it makes their peer share at least as
        large as any other function's share), said in ``owner_function_source``.
    team
        The team table (``member``, ``function``, ``title``; see ``schema.Team``), or
        None. Not mutated.

    Returns
    -------
    DataFrame
        One row per account: ``account``, ``owner_function`` (missing where unknown),
        ``owner_function_source`` (``given``, ``from title``, ``team table``, ``team
        table title`` (the title the team table gives, classified), ``inferred from
        network``, ``unknown``).

    Raises
    ------
    RoiInputError
        An ``owner_function`` that is neither one of LinkedIn's 26 functions nor a title
        the rules can read, or a team table function that is not one of the 26 (its
        file, rows and column are named).

    Examples
    --------
    >>> import pandas as pd
    >>> aud = pd.DataFrame({"account": ["ana", "ana", "bo", "cy"],
    ...                     "function": ["Sales", "Sales", "Finance", "Legal"]})
    >>> team = pd.DataFrame({"member": ["cy"], "function": ["marketing"]})
    >>> owner_function_for(aud, {"ana": "sales"}, team=team).values.tolist()
    [['ana', 'Sales', 'given'], ['bo', 'Finance', 'inferred from network'], ['cy', 'Marketing', 'team table']]
    """
    accounts = pd.Series(pd.unique(audience["account"].astype("str")), name="account")
    given = _per_account(owner_function, accounts)
    fn, source = _function_or_title(given)
    if owner_title and str(owner_title).strip():
        from_title = str(classify_titles(pd.Series([owner_title]))["function"].iloc[0])
        if from_title != "Unknown":
            fill = fn.isna()
            fn[fill] = from_title
            source[fill] = "from title"
    if team is not None and len(team):
        from_team = accounts.map(_team_functions(team))
        fill = fn.isna() & from_team.notna()
        fn[fill] = from_team[fill]
        source[fill] = "team table"
        titles = _team_lookup(team, "title")
        if fn.isna().any() and len(titles):
            read = classify_titles(titles)["function"].astype("str")
            read = read[read != "Unknown"]
            from_title = accounts.map(read)
            fill = fn.isna() & from_title.notna()
            fn[fill] = from_title[fill]
            source[fill] = "team table title"
    if infer and fn.isna().any() and "function" in audience:
        known = audience[audience["function"].astype("str") != "Unknown"]
        if len(known):
            mode = (
                known.assign(function=known["function"].astype("str"))
                .groupby(known["account"].astype("str"))["function"]
                .agg(lambda s: s.value_counts().index[0])
            )
            guess = accounts.map(mode)
            fill = fn.isna() & guess.notna()
            fn[fill] = guess[fill]
            source[fill] = "inferred from network"
    return pd.DataFrame(
        {"account": accounts, "owner_function": fn.astype("str"), "owner_function_source": source}
    )


def add_relationship(
    audience: pd.DataFrame,
    accounts: pd.DataFrame | None = None,
    owner_company: str | Mapping[str, str] | None = None,
    owner_function: str | Mapping[str, str] | pd.DataFrame | None = None,
    *,
    owner_title: str | None = None,
    infer_owner_function: bool = False,
    threshold: float = THRESHOLD,
    rules: str | Path | Sequence[str | Path] | None = None,
    report: CleaningReport | None = None,
    team: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Label every connection client, prospect, partner, competitor, internal, peer or other.

    The first that applies: **internal** (works at the owner's own company: the same name,
    a fuzzy match, or one name the first words of the other, "Quillmoor" for "Quillmoor
    Software B.V."), the CRM
    status of their company (**client**, **prospect**, **partner**, **competitor**; see
    :func:`match_companies`), **peer** (same job function as the owner), **other**.
    Titles are classified first when the table has no ``function`` column yet. Does not
    mutate ``audience`` or ``accounts``.

    Parameters
    ----------
    audience
        The audience table (``account``, ``person_id``, ``title``, ``company``; ``email``
        is used for domain matching only). A table without ``title`` or ``company`` is
        still labelled, as far as it can be, and the gap noted in ``report``.
    accounts
        The CRM account list, or None (no client, prospect, partner or competitor can
        then be told apart: ``match_method`` is ``no CRM``).
    owner_company
        The owner's own company name, or ``{account: company}`` for a team; for owners it
        does not name, the team table's ``company`` (``team``).
    owner_function
        The owner's job function, ``{account: function}``, or the output of
        :func:`owner_function_for`. For owners it does not name: ``owner_title``, then
        the team table, then (``infer_owner_function``) a guess; else no peers are
        counted for them.
    owner_title
        The owner's job title, classified when ``owner_function`` is not given.
    infer_owner_function
        For owners whose function is still unknown, take the most common function in
        their own network (a guess, said in ``owner_function_source``; see
        :func:`owner_function_for`).
    threshold
        Fuzzy-match threshold for company names (0-100).
    rules
        Extra title rules file(s) (see :func:`title_rules`).
    report
        Receives notes on missing columns and very long titles.
    team
        The team table (``member``, ``function``, ``company``, ``title``; see
        ``schema.Team`` and :attr:`Network.team`): each member's own function and
        company where the parameters above leave them empty, so peers and colleagues
        need no guessing. Not mutated.

    Returns
    -------
    DataFrame
        The audience table plus: ``function``, ``seniority``, ``function_rule``,
        ``seniority_rule`` (see :func:`classify_titles`); ``company_key``,
        ``crm_company``, ``status``, ``match_method``, ``match_score``, ``candidate``,
        ``candidate_score`` (see :func:`match_companies`); ``owner_function`` (the
        owner's function, where known) and ``owner_function_source`` (given, from title,
        team table, team table title, inferred from network, unknown; see
        :func:`owner_function_for`); ``owner_company`` (the owner's company, where known)
        and ``owner_company_source`` (given, team table, unknown); ``relationship``
        (categorical, in the order of ``RELATIONSHIPS``).

    Raises
    ------
    RoiInputError
        No ``account`` column, an unknown function name (in the parameters or the team
        table), a CRM list that cannot be used.

    Examples
    --------
    >>> import pandas as pd
    >>> aud = pd.DataFrame({"account": "ana", "person_id": ["a", "b", "c", "d"],
    ...     "title": ["CFO", "Sales Manager", "VP Sales", "Engineer"],
    ...     "company": ["Acme Inc", "Globex", "Initech", "Ana Corp"]})
    >>> crm = pd.DataFrame({"company": ["ACME"], "status": ["client"]})
    >>> rel = add_relationship(aud, crm, owner_company="Ana Corp", owner_function="Sales")
    >>> rel["relationship"].astype(str).tolist()
    ['client', 'peer', 'peer', 'internal']
    """
    _need(audience, ["account"], "add_relationship")
    df = audience.copy()
    # each row's own file: a team's exports are several files, each named for its own rows
    files = (
        df["source_file"].astype("str")
        if "source_file" in df and df["source_file"].notna().any()
        else None
    )
    for col, gap in (
        ("title", "no job titles: functions and seniority are Unknown for every connection"),
        ("company", "no company names: CRM matching can use email domains only"),
    ):
        if col not in df:
            df[col] = pd.Series(pd.NA, index=df.index, dtype="str")
            if report is not None:
                for name in pd.unique(files.dropna()) if files is not None else [None]:
                    report.note(name, rule=f"no {col} column", reason=gap, action="flagged")
    if "function" not in df or "seniority" not in df:
        cls = classify_titles(
            df["title"],
            rules,
            report=report,
            file=files,
            rows=df["source_row"] if "source_row" in df else None,
        )
        for col in cls:
            df[col] = cls[col]
    # the CRM
    if accounts is not None and len(accounts):
        m = match_companies(
            df["company"],
            accounts,
            threshold,
            emails=df["email"] if "email" in df else None,
        )
        for col in m.columns.drop("company"):
            df[col] = m[col]
    else:
        df["company_key"] = _companies.company_keys(df["company"])
        for col in ("crm_company", "status", "candidate"):
            df[col] = pd.Series(pd.NA, index=df.index, dtype="str")
        df["match_method"] = _NO_CRM
        df["match_score"] = np.nan
        df["candidate_score"] = np.nan
    # the owner's company: as given, else the team table's
    own = _per_account(owner_company, df["account"])
    company_source = np.where(own.notna(), "given", "unknown").astype(object)
    from_team = df["account"].astype("str").map(_team_lookup(team, "company"))
    fill = (own.isna() & from_team.notna()).to_numpy(dtype=bool)
    if fill.any():
        own = own.where(~fill, from_team).astype("str")
        company_source[fill] = "team table"
    own_key = _companies.company_keys(own)
    internal = np.array((df["company_key"] == own_key).fillna(False), dtype=bool)
    pairs = pd.DataFrame({"a": df["company_key"], "b": own_key}).dropna()
    pairs = pairs[(pairs["a"] != pairs["b"]) & (pairs["a"].str.len() >= 4)].drop_duplicates()
    if len(pairs):
        a = pairs["a"].to_numpy(dtype=str)
        b = pairs["b"].to_numpy(dtype=str)
        scores = process.cpdist(list(a), list(b), scorer=fuzz.token_sort_ratio)
        # "Quillmoor" for "Quillmoor Software": one name is the other's first words
        prefix = np.char.startswith(np.char.add(b, " "), np.char.add(a, " ")) | np.char.startswith(
            np.char.add(a, " "), np.char.add(b, " ")
        )
        close = pairs[(scores >= threshold) | prefix]
        joined = df["company_key"].astype("str") + "\x00" + own_key.astype("str")
        internal |= joined.isin(close["a"] + "\x00" + close["b"]).to_numpy(dtype=bool)
    # the owner's function
    if not isinstance(owner_function, pd.DataFrame):
        owner_function = owner_function_for(
            df, owner_function, owner_title, infer=infer_owner_function, team=team
        )
    owners = owner_function.assign(account=owner_function["account"].astype("str")).set_index(
        "account"
    )
    who = df["account"].astype("str")
    df["owner_function"] = who.map(owners["owner_function"]).astype("str")
    source = (
        owners["owner_function_source"]
        if "owner_function_source" in owners
        else pd.Series("given", index=owners.index)
    )
    df["owner_function_source"] = who.map(source).fillna("unknown").astype("str")
    df["owner_company"] = own.to_numpy()
    df["owner_company"] = df["owner_company"].astype("str")
    df["owner_company_source"] = pd.Series(company_source, index=df.index, dtype="str")
    function = df["function"].astype("str")
    peer = (function == df["owner_function"]).fillna(False).to_numpy(dtype=bool) & (
        function != "Unknown"
    ).to_numpy()
    status = df["status"].to_numpy(dtype=object, na_value=None)
    rel = np.where(
        internal,
        "internal",
        np.where(pd.notna(status), status, np.where(peer, "peer", "other")),
    )
    df["relationship"] = pd.Categorical(rel, categories=list(RELATIONSHIPS), ordered=True)
    return df


def owner_summary(rel: pd.DataFrame) -> pd.DataFrame:
    """Each network's owner: their function and company, where each came from, and what
    they make of the network (peers and colleagues).

    Parameters
    ----------
    rel
        The output of :func:`add_relationship`. Not mutated.

    Returns
    -------
    DataFrame
        One row per account, sorted: ``account``; ``owner_function`` and
        ``owner_function_source`` (see :func:`owner_function_for`); ``owner_company``
        and ``owner_company_source`` (given, team table, unknown); ``connections``;
        ``peers`` (connections in the owner's function, outside the CRM and the company)
        and ``internal`` (connections at the owner's company).

    Raises
    ------
    RoiInputError
        A table without ``account`` or ``relationship``.

    Examples
    --------
    >>> import pandas as pd
    >>> aud = pd.DataFrame({"account": "ana", "person_id": ["a", "b", "c"],
    ...     "title": ["AE", "CFO", "SDR"], "company": ["Initech", "Acme", "Quillmoor"]})
    >>> team = pd.DataFrame({"member": ["ana"], "function": ["Sales"], "company": ["Quillmoor B.V."]})
    >>> row = owner_summary(add_relationship(aud, team=team)).iloc[0]
    >>> row[["owner_function_source", "owner_company_source", "peers", "internal"]].astype(str).tolist()
    ['team table', 'team table', '1', '1']
    """
    _need(rel, ["account", "relationship"], "owner_summary")
    who = rel["account"].astype("str")
    relationship = rel["relationship"].astype("str")
    columns = {}
    for col, missing in (
        ("owner_function", None),
        ("owner_function_source", "unknown"),
        ("owner_company", None),
        ("owner_company_source", "unknown"),
    ):
        values = (
            rel[col].astype("str")
            if col in rel
            else pd.Series(missing, index=rel.index, dtype="str")
        )
        columns[col] = values.groupby(who).first()
    out = pd.DataFrame(columns)
    out["connections"] = who.value_counts()
    out["peers"] = (relationship == "peer").groupby(who).sum()
    out["internal"] = (relationship == "internal").groupby(who).sum()
    for col in ("connections", "peers", "internal"):
        out[col] = out[col].astype("Int64")
    for col in ("owner_function_source", "owner_company_source"):
        out[col] = out[col].fillna("unknown").astype("str")
    out = out.sort_index().rename_axis("account").reset_index()
    return out[
        [
            "account",
            "owner_function",
            "owner_function_source",
            "owner_company",
            "owner_company_source",
            "connections",
            "peers",
            "internal",
        ]
    ]


def _names(accounts: Iterable[str]) -> str:
    names = sorted(accounts)
    if len(names) <= 1:
        return "".join(names)
    if len(names) > 4:
        return ", ".join(names[:3]) + f" and {len(names) - 3} others"
    return ", ".join(names[:-1]) + " and " + names[-1]


def describe_owners(owner_table: pd.DataFrame) -> str:
    """Where each owner's function and company came from, in plain words (Markdown).

    Parameters
    ----------
    owner_table
        The output of :func:`owner_summary`. Not mutated.

    Returns
    -------
    str
        A few sentences: which owners' function and company the team table gave, which
        were given as parameters, and which were guessed from the network or are
        unknown, with what to do about it.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"account": ["ana", "bo"], "owner_function": ["Sales", "Finance"],
    ...     "owner_function_source": ["team table", "inferred from network"],
    ...     "owner_company": ["Quillmoor", None], "owner_company_source": ["team table", "unknown"],
    ...     "internal": [3, 0]})
    >>> print(describe_owners(t).splitlines()[1])
    - **Guessed** for bo, from the most common function among their own connections (which makes their peer share at least as large as any other function's). Set `owner_function`, or give their function in the team table, to be exact.
    """
    t = owner_table
    fsrc = t["owner_function_source"].astype("str")
    csrc = t["owner_company_source"].astype("str")
    n = len(t)
    everyone = "the owner" if n == 1 else ("every member" if n > 1 else "nobody")
    lines = []

    def _who(mask: pd.Series) -> str:
        return everyone if bool(mask.all()) else _names(t.loc[mask, "account"].astype("str"))

    known = [
        (fsrc.isin(["team table", "team table title"]), "the team table"),
        (fsrc == "given", "the `owner_function` parameter"),
        (fsrc == "from title", "a job title given as a parameter, read as a function"),
    ]
    said = [f"from {where}, for {_who(m)}" for m, where in known if m.any()]
    if said:
        lines.append("- **Own job function**: " + "; ".join(said) + ".")
    guessed = fsrc == "inferred from network"
    if guessed.any():
        lines.append(
            f"- **Guessed** for {_who(guessed)}, from the most common function among their "
            "own connections (which makes their peer share at least as large as any other "
            "function's). Set `owner_function`, or give their function in the team table, "
            "to be exact."
        )
    unknown = ~fsrc.isin(["team table", "team table title", "given", "from title"]) & ~guessed
    if unknown.any():
        lines.append(
            f"- **Function unknown** for {_who(unknown)}: no peers are counted for them. Set "
            "`owner_function`, or add them to a team table."
        )
    has_company = csrc.isin(["team table", "given"])
    if has_company.any():
        where = (
            "the team table"
            if bool((csrc[has_company] == "team table").all())
            else "the `owner_company` parameter"
            if bool((csrc[has_company] == "given").all())
            else "the `owner_company` parameter and the team table"
        )
        internal = int(pd.to_numeric(t.loc[has_company, "internal"]).sum())
        lines.append(
            f"- **Own company**: from {where}, for {_who(has_company)}; {internal:,} "
            f"connection{'' if internal == 1 else 's'} work there (*internal*: colleagues "
            "are neither buyers nor peers)."
        )
    if (~has_company).any():
        lines.append(
            f"- **Company unknown** for {_who(~has_company)}: colleagues cannot be told "
            "apart, and count as peers or others. Set `owner_company`, or add a team table."
        )
    return "\n".join(lines)


# -- metrics ---------------------------------------------------------------------------------------
def _with_team(df: pd.DataFrame, team: bool) -> pd.DataFrame:
    """The rows per account, plus (for several accounts) all rows again as TEAM."""
    out = df.assign(account=df["account"].astype("str"))
    if team and out["account"].nunique() > 1:
        out = pd.concat([out, out.assign(account=TEAM)], ignore_index=True)
    return out


def _order(accounts: pd.Series) -> list[str]:
    names = sorted(a for a in accounts.unique() if a != TEAM)
    return names + ([TEAM] if (accounts == TEAM).any() else [])


def _has_crm(rel: pd.DataFrame) -> bool:
    return bool((rel["match_method"] != _NO_CRM).any()) if "match_method" in rel else False


def relationship_mix(rel: pd.DataFrame, team: bool = True) -> pd.DataFrame:
    """How each network splits into clients, prospects, partners, competitors, colleagues,
    peers and others.

    Parameters
    ----------
    rel
        The output of :func:`add_relationship`. Not mutated.
    team
        Add the whole team (all members' connections together) as account ``"All team"``
        when there are several members.

    Returns
    -------
    DataFrame
        One row per account and relationship (all seven, zeros included):
        ``account``, ``relationship`` (ordered categorical), ``connections`` (Int64),
        ``share`` (connections / the account's connections).

    Examples
    --------
    >>> import pandas as pd
    >>> rel = pd.DataFrame({"account": ["ana"] * 4,
    ...                     "relationship": ["client", "peer", "peer", "other"]})
    >>> mix = relationship_mix(rel)
    >>> mix.loc[mix["connections"] > 0, ["relationship", "share"]].astype(str).values.tolist()
    [['client', '0.25'], ['peer', '0.5'], ['other', '0.25']]
    """
    _need(rel, ["account", "relationship"], "relationship_mix")
    df = _with_team(rel, team)
    rels = pd.Categorical(
        df["relationship"].astype("str"), categories=list(RELATIONSHIPS), ordered=True
    )
    counts = pd.crosstab(df["account"], rels, dropna=False).reindex(
        index=_order(df["account"]), columns=list(RELATIONSHIPS), fill_value=0
    )
    long = counts.stack().rename("connections").reset_index()
    long.columns = ["account", "relationship", "connections"]
    totals = long.groupby("account")["connections"].transform("sum")
    long["relationship"] = pd.Categorical(
        long["relationship"].astype("str"), categories=list(RELATIONSHIPS), ordered=True
    )
    long["share"] = np.where(totals > 0, long["connections"] / totals.where(totals > 0, 1), np.nan)
    long["connections"] = long["connections"].astype("Int64")
    return long.reset_index(drop=True)


def personas(
    rel: pd.DataFrame, target_functions: Sequence[str] | str, min_seniority: str
) -> pd.Series:
    """Which connections are *target personas*: the jobs sold to, at the seniority that buys.

    A target persona works in one of ``target_functions`` at ``min_seniority`` or above,
    and is not a colleague, partner or competitor. With clients' and prospects' people,
    target personas make the *buyers* every relevance figure counts (and the relevant
    carriers of :func:`roi_helpers.virality.attribution`).

    Parameters
    ----------
    rel
        Connections with ``relationship``, ``function`` and ``seniority`` (the output of
        :func:`add_relationship`). Not mutated.
    target_functions
        LinkedIn job functions (any case); empty: nobody is a persona.
    min_seniority
        The lowest seniority level that counts.

    Returns
    -------
    Series of bool
        On ``rel``'s index.

    Examples
    --------
    >>> import pandas as pd
    >>> rel = pd.DataFrame({"relationship": ["other", "other", "internal"],
    ...     "function": ["Finance", "Finance", "Finance"], "seniority": ["Director", "Entry", "VP"]})
    >>> personas(rel, ["finance"], "Manager").tolist()
    [True, False, False]
    """
    targets = _functions(target_functions)
    relationship = rel["relationship"].astype("str")
    persona = rel["function"].astype("str").isin(targets) & _at_least(
        rel["seniority"], min_seniority
    )
    return (persona & ~relationship.isin(_NOT_BUYER)).astype(bool)


def _flags(
    rel: pd.DataFrame, target_functions: Sequence[str], min_seniority: str, decision_maker: str
) -> pd.DataFrame:
    relationship = rel["relationship"].astype("str")
    persona = personas(rel, target_functions, min_seniority)
    return pd.DataFrame(
        {
            "account": rel["account"].astype("str"),
            "buyer": relationship.isin(BUYER_STATUSES) | persona,
            "persona": persona,
            "peer": relationship == "peer",
            "decision_maker": _at_least(rel["seniority"], decision_maker),
            "known_function": rel["function"].astype("str") != "Unknown",
            "titled": rel["title"].notna() if "title" in rel else False,
        },
        index=rel.index,
    ).join(
        pd.get_dummies(relationship)
        .reindex(columns=list(RELATIONSHIPS), fill_value=False)
        .add_prefix("rel_")
    )


def _buyer_definition(targets: Sequence[str], min_seniority: str, crm: bool) -> str:
    persona = (
        f"{', '.join(targets)} at {min_seniority} level or above"
        if targets
        else "no target persona"
    )
    crm_part = "connections at client or prospect accounts, plus " if crm else ""
    return (
        f"{crm_part}target personas ({persona}) who are not colleagues, partners or competitors"
        + ("" if crm else " (no CRM: clients and prospects cannot be counted)")
    )


def relevance_summary(
    rel: pd.DataFrame,
    target_functions: Sequence[str] | str = (),
    min_seniority: str = "Manager",
    *,
    decision_maker: str = DECISION_MAKER,
    team: bool = True,
) -> pd.DataFrame:
    """The relevance of each network in a few shares: buyers, peers, decision-makers.

    Parameters
    ----------
    rel
        The output of :func:`add_relationship`. Not mutated.
    target_functions
        The job functions you sell to (their people are *target personas*).
    min_seniority
        The lowest seniority a target persona must have (``"Manager"``: Manager and up).
    decision_maker
        The lowest seniority counted as a decision-maker (default Director).
    team
        Add the whole team as account ``"All team"`` when there are several members.

    Returns
    -------
    DataFrame
        One row per account:

        ``connections``, ``titled`` (with a job title), ``function_known`` (title
        classified to a function), ``function_coverage`` (function_known / connections);
        ``clients``, ``prospects``, ``partners``, ``competitors`` (missing without a
        CRM), ``internal`` (missing without the owner's company); ``target_personas``,
        ``buyers`` and ``buyer_share`` (buyers / connections); ``peers`` and
        ``peer_share`` (missing without the owner's function); ``decision_makers`` and
        ``decision_maker_share``; ``buyer_definition`` (the definition used, in words);
        ``owner_function_guessed`` (the peers are counted against an owner's function
        guessed from their own network, for this account or some team member: a guess,
        to be said with the number).

    Raises
    ------
    RoiInputError
        An unknown function or seniority name; a table without ``relationship``.

    Examples
    --------
    >>> import pandas as pd
    >>> rel = pd.DataFrame({"account": "ana", "title": ["CFO", "AE", "Engineer", None],
    ...     "function": ["Finance", "Sales", "Engineering", "Unknown"],
    ...     "seniority": ["CXO", "Entry", "Entry", "Unknown"],
    ...     "relationship": ["other", "peer", "client", "other"], "match_method": "exact",
    ...     "owner_function": "Sales"})
    >>> s = relevance_summary(rel, ["Finance"], "Director").iloc[0]
    >>> int(s["buyers"]), float(s["buyer_share"]), float(s["peer_share"])
    (2, 0.5, 0.25)
    """
    _need(rel, ["account", "relationship", "function", "seniority"], "relevance_summary")
    targets = _functions(target_functions)
    crm = _has_crm(rel)
    flags = _with_team(_flags(rel, targets, min_seniority, decision_maker), team)
    g = flags.groupby("account", sort=False)
    sums = g.sum(numeric_only=True)
    out = pd.DataFrame(index=pd.Index(_order(flags["account"]), name="account"))
    n = g.size().reindex(out.index)
    out["connections"] = n.astype("Int64")
    out["titled"] = sums["titled"].reindex(out.index).astype("Int64")
    out["function_known"] = sums["known_function"].reindex(out.index).astype("Int64")
    out["function_coverage"] = (out["function_known"] / n).astype("float")
    for col, name in [
        ("client", "clients"),
        ("prospect", "prospects"),
        ("partner", "partners"),
        ("competitor", "competitors"),
    ]:
        out[name] = sums[f"rel_{col}"].reindex(out.index).astype("Int64") if crm else pd.NA
        out[name] = out[name].astype("Int64")
    owner_company_known = "company_key" in rel and bool(
        rel["relationship"].astype("str").eq("internal").any()
    )
    out["internal"] = sums["rel_internal"].reindex(out.index).astype("Int64")
    if not owner_company_known:
        out["internal"] = out["internal"].where(out["internal"] > 0)
    out["target_personas"] = sums["persona"].reindex(out.index).astype("Int64")
    out["buyers"] = sums["buyer"].reindex(out.index).astype("Int64")
    out["buyer_share"] = (out["buyers"] / n).astype("float")
    owners = (
        rel.assign(account=rel["account"].astype("str"))
        .groupby("account")["owner_function"]
        .agg(lambda s: s.notna().any())
        if "owner_function" in rel
        else pd.Series(dtype=bool)
    )
    has_owner = owners.reindex(out.index).astype("boolean").fillna(False)
    if TEAM in out.index:
        has_owner[TEAM] = bool(owners.any())
    out["peers"] = sums["peer"].reindex(out.index).astype("Int64").where(has_owner.to_numpy())
    out["peer_share"] = (out["peers"] / n).astype("float")
    out["decision_makers"] = sums["decision_maker"].reindex(out.index).astype("Int64")
    out["decision_maker_share"] = (out["decision_makers"] / n).astype("float")
    out["buyer_definition"] = _buyer_definition(targets, min_seniority, crm)
    # peers counted against a function guessed from the owner's own network
    guessed = (
        rel["owner_function_source"].astype("str").eq("inferred from network")
        if "owner_function_source" in rel
        else pd.Series(False, index=rel.index)
    )
    by_account = guessed.groupby(rel["account"].astype("str")).any()
    out["owner_function_guessed"] = (
        by_account.reindex(out.index).astype("boolean").fillna(False).astype(bool)
    )
    if TEAM in out.index:
        out.loc[TEAM, "owner_function_guessed"] = bool(by_account.any())
    out["owner_function_guessed"] = out["owner_function_guessed"] & out["peers"].notna()
    return out.reset_index()


def _baseline(
    rel: pd.DataFrame, baseline: str | Mapping[str, float], min_baseline: int
) -> tuple[pd.Series, str, str]:
    """The function mix a network is compared with: shares by function, its name, a sentence."""
    known = rel[rel["function"].astype("str") != "Unknown"]
    if isinstance(baseline, Mapping):
        mix = pd.Series(
            {_canon(k, FUNCTIONS[:-1], "job function"): float(v) for k, v in baseline.items()}
        )
        return mix / mix.sum(), "given", "the function mix you gave"
    if baseline not in ("auto", "target_accounts", "team", "uniform"):
        raise ValueError(
            "baseline must be 'auto', 'target_accounts', 'team', 'uniform' or a mapping"
        )
    at_targets = known[known["relationship"].astype("str").isin(BUYER_STATUSES)]
    if baseline == "target_accounts" or (baseline == "auto" and len(at_targets) >= min_baseline):
        if len(at_targets) == 0:
            raise RoiInputError(
                "no connection with a known function works at a client or prospect account",
                expected="a CRM with client or prospect accounts the network reaches",
            )
        mix = at_targets["function"].astype("str").value_counts(normalize=True)
        return (
            mix,
            "target accounts",
            f"the people the team knows at client and prospect accounts ({len(at_targets)} "
            "with a known function)",
        )
    owners = (
        rel["owner_function"].dropna().astype("str").unique() if "owner_function" in rel else []
    )
    if baseline == "team" or (baseline == "auto" and len(owners) >= 2):
        mix = known["function"].astype("str").value_counts(normalize=True)
        return mix, "team network", "the whole team's network pooled (members of several functions)"
    mix = pd.Series(1.0 / (len(FUNCTIONS) - 1), index=list(FUNCTIONS[:-1]))
    return (
        mix,
        "uniform",
        f"every one of LinkedIn's {len(FUNCTIONS) - 1} job functions equally common (no CRM "
        "accounts or team to compare with: a crude baseline)",
    )


def homophily(
    rel: pd.DataFrame,
    baseline: str | Mapping[str, float] = "auto",
    *,
    min_baseline: int = 20,
    team: bool = True,
    baseline_from: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """How much each owner's network is made of their own job function, against a baseline.

    **Krackhardt's E-I index** (Krackhardt and Stern, 1988) on job function:
    (E - I) / (E + I), where I counts connections in the owner's own function and E in
    any other known function; -1 means all connections share the owner's function, +1
    none does. **Inbreeding homophily** (Coleman, 1958; Currarini, Jackson and Pin,
    2009): (H - w) / (1 - w), where H = I / (E + I) and w is the share of the owner's
    function in a baseline population: 0 means no more peers than the baseline, 1 only
    peers, below 0 fewer than the baseline. Connections whose function is Unknown are
    left out of both (and counted).

    Parameters
    ----------
    rel
        The output of :func:`add_relationship`, with ``owner_function`` known. Not mutated.
    baseline
        ``"auto"`` (default): the function mix of the people the team knows at client and
        prospect accounts when at least ``min_baseline`` of them have a known function
        (the buyers' world); else the whole team's network pooled when the team spans
        several functions; else ``"uniform"`` (every function equally common: crude).
        Or name one of ``"target_accounts"``, ``"team"``, ``"uniform"``, or give
        ``{function: share}``.
    min_baseline
        Fewest classified connections at target accounts for the ``auto`` choice.
    team
        Add the whole team (each member against their own function) as ``"All team"``.
    baseline_from
        The connections the baseline is read from (default: ``rel``). Pass the whole
        team's table when ``rel`` is one member's, so that one person is compared with
        the same buyers' world as the team. Not mutated.

    Returns
    -------
    DataFrame
        One row per account: ``owner_function``, ``internal_ties`` (I), ``external_ties``
        (E), ``unknown_function`` (left out), ``ei_index``, ``same_function_share`` (H),
        ``baseline`` (its name), ``baseline_share`` (w), ``inbreeding_homophily``,
        ``ei_sentence`` and ``homophily_sentence`` (how to read each, in words).

    Raises
    ------
    RoiInputError
        No ``owner_function`` column (call :func:`add_relationship` with one), or a
        ``target_accounts`` baseline with no such connections.

    Examples
    --------
    >>> import pandas as pd
    >>> rel = pd.DataFrame({"account": "ana", "owner_function": "Sales",
    ...     "function": ["Sales", "Sales", "Sales", "Finance", "Unknown"],
    ...     "relationship": ["peer", "peer", "peer", "other", "other"]})
    >>> h = homophily(rel, baseline={"Sales": 0.2, "Finance": 0.8}).iloc[0]
    >>> float(h["ei_index"]), float(h["inbreeding_homophily"])
    (-0.5, 0.6875)
    """
    _need(rel, ["account", "function", "owner_function", "relationship"], "homophily")
    source = rel if baseline_from is None else baseline_from
    _need(source, ["function", "relationship"], "homophily's baseline_from")
    mix, name, description = _baseline(source, baseline, min_baseline)
    df = _with_team(rel, team)
    fn = df["function"].astype("str")
    own = df["owner_function"].astype("str")
    valid = own.notna() & (own != "Unknown")
    known = fn != "Unknown"
    flags = pd.DataFrame(
        {
            "account": df["account"],
            "I": (known & valid & (fn == own)).astype(int),
            "E": (known & valid & (fn != own)).astype(int),
            "U": (~known & valid).astype(int),
        }
    )
    sums = flags.groupby("account", sort=False)[["I", "E", "U"]].sum()
    sums = sums.reindex(_order(df["account"]))
    owners = (
        df[valid]
        .groupby("account")["owner_function"]
        .agg(lambda s: ", ".join(sorted(set(s.astype(str)))))
    )
    out = pd.DataFrame(index=sums.index)
    out["owner_function"] = owners.reindex(sums.index).astype("str")
    out["internal_ties"] = sums["I"].astype("Int64")
    out["external_ties"] = sums["E"].astype("Int64")
    out["unknown_function"] = sums["U"].astype("Int64")
    ties = (sums["I"] + sums["E"]).astype(float)
    out["ei_index"] = ((sums["E"] - sums["I"]) / ties.where(ties > 0)).astype(float)
    out["same_function_share"] = (sums["I"] / ties.where(ties > 0)).astype(float)
    # w: the baseline share of each owner's function (a team pools members: tie-weighted)
    w_row = own.map(mix).fillna(0.0).where(valid & known)
    w = w_row.groupby(df["account"]).mean().reindex(sums.index)
    out["baseline"] = name
    out["baseline_share"] = w.astype(float)
    h = out["same_function_share"]
    out["inbreeding_homophily"] = ((h - w) / (1 - w).where(w < 1)).astype(float)
    out["ei_sentence"] = [_ei_sentence(a, r) for a, r in out.iterrows()]
    out["homophily_sentence"] = [_homophily_sentence(a, r, description) for a, r in out.iterrows()]
    return out.rename_axis("account").reset_index()


def _who(account: str) -> str:
    return "the team" if account == TEAM else account


def _ei_sentence(account: str, r: pd.Series) -> str:
    if pd.isna(r["ei_index"]):
        return (
            f"E-I index for {_who(account)}: not computed (the owner's function, or the "
            "function of every connection, is unknown)."
        )
    n = int(r["internal_ties"]) + int(r["external_ties"])
    return (
        f"E-I index for {_who(account)}: {r['ei_index']:+.2f}. Of {n} connections whose "
        f"function is known, {int(r['internal_ties'])} ({r['same_function_share']:.0%}) work in "
        f"the owner's own function ({r['owner_function']}) and {int(r['external_ties'])} in "
        "other functions. The index runs from -1 (everybody in the owner's function: an "
        "echo chamber of peers) to +1 (nobody); 0 is an even split."
    )


def _homophily_sentence(account: str, r: pd.Series, description: str) -> str:
    if pd.isna(r["inbreeding_homophily"]):
        return (
            f"Inbreeding homophily for {_who(account)}: not computed (no known functions, "
            "or the baseline is made only of the owner's function)."
        )
    ih = r["inbreeding_homophily"]
    verdict = (
        "more peers than the baseline would give"
        if ih > 0.05
        else "fewer peers than the baseline would give"
        if ih < -0.05
        else "about as many peers as the baseline would give"
    )
    return (
        f"Inbreeding homophily for {_who(account)}: {ih:+.2f}, {verdict}. "
        f"{r['same_function_share']:.0%} of classified connections share the owner's "
        f"function, against {r['baseline_share']:.0%} in the baseline: {description}. "
        "0 means no more peers than the baseline, 1 means only peers; below 0, fewer."
    )


def function_matrix(rel: pd.DataFrame, by: str = "owner_function") -> pd.DataFrame:
    """Connections by owner and connection job function: who knows whom.

    Parameters
    ----------
    rel
        The output of :func:`add_relationship`. Not mutated.
    by
        Rows of the matrix: ``"owner_function"`` (default; falls back to ``"account"``
        when no owner's function is known) or ``"account"``.

    Returns
    -------
    DataFrame
        One row per owner and connection function with connections: ``owner`` (the
        owner's function, or account), ``owner_function`` (the owner's function, where
        known), ``function``, ``connections`` (Int64), ``share`` (of the owner's
        connections with a known function). Unknown functions are left out.

    Examples
    --------
    >>> import pandas as pd
    >>> rel = pd.DataFrame({"account": ["ana", "ana", "bo"], "owner_function": ["Sales", "Sales", "Marketing"],
    ...                     "function": ["Sales", "Finance", "Marketing"]})
    >>> function_matrix(rel)[["owner", "function", "share"]].values.tolist()
    [['Marketing', 'Marketing', 1.0], ['Sales', 'Finance', 0.5], ['Sales', 'Sales', 0.5]]
    """
    _need(rel, ["account", "function"], "function_matrix")
    if by not in ("owner_function", "account"):
        raise ValueError("by must be 'owner_function' or 'account'")
    has_owner = "owner_function" in rel and rel["owner_function"].notna().any()
    if by == "owner_function" and not has_owner:
        by = "account"
    df = rel[rel["function"].astype("str") != "Unknown"]
    df = df[df[by].notna()]
    df = df.assign(
        owner=df[by].astype("str"),
        owner_function=df["owner_function"].astype("str") if has_owner else pd.NA,
        function=df["function"].astype("str"),
    )
    out = (
        df.groupby(["owner", "function"])
        .agg(
            owner_function=("owner_function", "first"),
            connections=("function", "size"),
        )
        .reset_index()
    )
    totals = out.groupby("owner")["connections"].transform("sum")
    out["share"] = out["connections"] / totals
    out["connections"] = out["connections"].astype("Int64")
    out["owner_function"] = out["owner_function"].astype("str")
    out = out[["owner", "owner_function", "function", "connections", "share"]]
    return out.sort_values(["owner", "function"], kind="stable").reset_index(drop=True)


def target_coverage(
    rel: pd.DataFrame,
    accounts: pd.DataFrame,
    target_functions: Sequence[str] | str = (),
    min_seniority: str = "Manager",
    *,
    decision_maker: str = DECISION_MAKER,
    statuses: Sequence[str] = BUYER_STATUSES,
) -> pd.DataFrame:
    """For each client and prospect account: who the team knows there, and how senior.

    Parameters
    ----------
    rel
        The output of :func:`add_relationship` (for one person or a team). Not mutated.
    accounts
        The CRM account list (every target account is listed, known or not).
    target_functions, min_seniority
        The target persona (see :func:`relevance_summary`).
    decision_maker
        Lowest seniority counted as a decision-maker (default Director).
    statuses
        Which CRM statuses are target accounts (default client and prospect).

    Returns
    -------
    DataFrame
        One row per target account: ``company`` (the CRM's name), ``status``,
        ``connections`` (the team's connections there; a person known by two members
        counts twice), ``people`` (distinct people), ``decision_makers`` (distinct people
        at ``decision_maker`` level or above), ``target_personas`` (distinct people),
        ``members`` (how many team members know someone there), ``known_by`` (those
        members, ``;``-separated), ``covered`` (at least one decision-maker). Clients
        first, then by connections.

    Examples
    --------
    >>> import pandas as pd
    >>> crm = pd.DataFrame({"company": ["Acme", "Globex"], "status": ["client", "prospect"]})
    >>> rel = pd.DataFrame({"account": "ana", "person_id": ["a", "b"], "crm_company": ["Acme", "Acme"],
    ...                     "seniority": ["Director", "Entry"], "function": ["Finance", "Sales"]})
    >>> target_coverage(rel, crm)[["company", "people", "decision_makers", "covered"]].values.tolist()
    [['Acme', 2, 1, True], ['Globex', 0, 0, False]]
    """
    _need(rel, ["account", "crm_company", "seniority", "function"], "target_coverage")
    acc = accounts if "key" in accounts else prepare_accounts(accounts)
    wanted = [_canon(s, STATUSES, "CRM status") for s in statuses]
    targets = acc[acc["status"].isin(wanted)][["company", "status"]].reset_index(drop=True)
    df = rel[rel["crm_company"].isin(targets["company"])]
    person = (
        df["person_id"].astype("str") if "person_id" in df else df.index.to_series().astype("str")
    )
    flags = pd.DataFrame(
        {
            "company": df["crm_company"].astype("str"),
            "account": df["account"].astype("str"),
            "person": person.to_numpy(),
            "dm": _at_least(df["seniority"], decision_maker).to_numpy(),
            "persona": (
                df["function"].astype("str").isin(_functions(target_functions))
                & _at_least(df["seniority"], min_seniority)
            ).to_numpy(),
        }
    )
    g = flags.groupby("company")
    stats = pd.DataFrame(
        {
            "connections": g.size(),
            "people": g["person"].nunique(),
            "decision_makers": flags[flags["dm"]].groupby("company")["person"].nunique(),
            "target_personas": flags[flags["persona"]].groupby("company")["person"].nunique(),
            "members": g["account"].nunique(),
            "known_by": g["account"].agg(lambda s: "; ".join(sorted(set(s)))),
        }
    )
    out = targets.join(stats, on="company")
    for col in ("connections", "people", "decision_makers", "target_personas", "members"):
        out[col] = out[col].fillna(0).astype("Int64")
    out["known_by"] = out["known_by"].astype("str")
    out["covered"] = (out["decision_makers"] > 0).astype(bool)
    order = {s: i for i, s in enumerate(wanted)}
    out = out.assign(_o=out["status"].map(order)).sort_values(
        ["_o", "connections", "company"], ascending=[True, False, True], kind="stable"
    )
    return out.drop(columns="_o").reset_index(drop=True)


def next_actions(
    coverage: pd.DataFrame, top: int | None = 10, viewer: str | None = None
) -> pd.DataFrame:
    """Target accounts with no decision-maker contact, ranked by what would help most.

    Ranked: accounts where the team already knows someone (a warm introduction is one
    message away) before accounts where it knows nobody; clients (revenue to protect)
    before prospects; then by how many people the team knows there.

    Parameters
    ----------
    coverage
        The output of :func:`target_coverage`. Not mutated.
    top
        How many to list (None: all).
    viewer
        Whose view this is, when it is one person's network: the advice then speaks to
        them ("the people you know there") instead of naming them.

    Returns
    -------
    DataFrame
        ``rank``, ``company``, ``status``, ``people`` (known there), ``known_by`` (team
        members who know someone there), ``action`` (a sentence: whom to ask, what to
        look for).

    Examples
    --------
    >>> import pandas as pd
    >>> cov = pd.DataFrame({"company": ["Acme", "Globex", "Initech"], "status": ["prospect", "client", "client"],
    ...     "people": [2, 0, 3], "decision_makers": [0, 0, 1], "known_by": ["ana", None, "bo"]})
    >>> next_actions(cov)[["rank", "company"]].values.tolist()
    [[1, 'Acme'], [2, 'Globex']]
    """
    _need(coverage, ["company", "status", "people", "decision_makers"], "next_actions")
    gaps = coverage[coverage["decision_makers"].fillna(0) == 0].copy()
    gaps["_warm"] = gaps["people"].fillna(0) > 0
    gaps["_client"] = gaps["status"] == "client"
    gaps = gaps.sort_values(
        ["_warm", "_client", "people", "company"],
        ascending=[False, False, False, True],
        kind="stable",
    )
    known_by = gaps["known_by"] if "known_by" in gaps else pd.Series(pd.NA, index=gaps.index)

    def _action(warm: bool, who: object, people: int, status: str) -> str:
        if warm and pd.notna(who) and viewer is not None and str(who) == viewer:
            return (
                f"Warm: ask the {people} {'person' if people == 1 else 'people'} you know "
                f"there to introduce you to a director or above in the team that decides "
                f"(this is a {status})."
            )
        if warm:
            names = " or ".join(str(who).split("; ")) if pd.notna(who) else "the team"
            return (
                f"Warm: ask {names} to introduce you, through the {people} "
                f"{'person' if people == 1 else 'people'} known there, to a director or above "
                f"in the team that decides (this is a {status})."
            )
        return (
            f"Cold: nobody on the team knows anyone at this {status}. Find a director or "
            "above there and connect, or ask a client or partner for an introduction."
        )

    actions = [
        _action(bool(w), k, int(p), s)
        for w, k, p, s in zip(
            gaps["_warm"], known_by, gaps["people"].fillna(0), gaps["status"], strict=True
        )
    ]
    out = pd.DataFrame(
        {
            "rank": np.arange(1, len(gaps) + 1),
            "company": gaps["company"].to_numpy(),
            "status": gaps["status"].to_numpy(),
            "people": gaps["people"].astype("Int64").to_numpy(),
            "known_by": known_by.astype("str").to_numpy(),
            "action": actions,
        }
    )
    return out if top is None else out.head(top)


# -- the period analysed ------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    """The days an analysis covers, both ends inclusive.

    Attributes
    ----------
    start, end : Timestamp or None
        First and last day (midnight, no time zone); None when unknown (no dated
        connection and no date given).
    start_given, end_given : bool
        Whether each end was a parameter (``start_date``, ``end_date``) or read from the
        data (the first and last day a connection was made).
    """

    start: pd.Timestamp | None
    end: pd.Timestamp | None
    start_given: bool = False
    end_given: bool = False

    def text(self) -> str:
        """The period in words: ``"1 January 2025 to 30 June 2025"``."""

        def day(d: pd.Timestamp | None) -> str:
            return "?" if d is None else f"{d.day} {d:%B %Y}"

        return f"{day(self.start)} to {day(self.end)}"

    def numbers(self) -> dict[str, str | None]:
        """``start_date`` and ``end_date`` as ISO dates, for :func:`roi_helpers.results.record`."""
        return {
            "start_date": None if self.start is None else f"{self.start:%Y-%m-%d}",
            "end_date": None if self.end is None else f"{self.end:%Y-%m-%d}",
        }


def _naive(when: pd.Series) -> pd.Series:
    when = pd.to_datetime(when)
    return when.dt.tz_convert("UTC").dt.tz_localize(None) if when.dt.tz is not None else when


def period_of(audience: pd.DataFrame, start_date: object = "", end_date: object = "") -> Period:
    """The period a relevance analysis covers: the dates given, else the data's own.

    Parameters
    ----------
    audience
        The audience table (``connected_on``). Not mutated.
    start_date, end_date
        First and last day included (ISO dates, or Timestamps); ``""``/None: the first
        and the last day a connection was made.

    Returns
    -------
    Period
        ``start``, ``end`` and whether each was given.

    Raises
    ------
    RoiInputError
        A date that is not a date, or a period that ends before it starts (the
        parameter is named).

    Examples
    --------
    >>> import pandas as pd
    >>> aud = pd.DataFrame({"connected_on": pd.to_datetime(["2024-03-05", "2025-01-20"])})
    >>> p = period_of(aud, end_date="2024-12-31")
    >>> p.numbers(), p.start_given, p.end_given
    ({'start_date': '2024-03-05', 'end_date': '2024-12-31'}, False, True)
    """
    start, end = parameter_day(start_date, "start_date"), parameter_day(end_date, "end_date")
    if start is not None and end is not None and start > end:
        raise RoiInputError(
            f"the period ends ({end:%Y-%m-%d}) before it starts ({start:%Y-%m-%d})",
            column="end_date",
            expected="end_date on or after start_date",
        )
    dated = (
        _naive(audience["connected_on"]).dropna()
        if "connected_on" in audience
        else pd.Series(dtype="datetime64[us]")
    )
    first = dated.min().normalize() if len(dated) else None
    last = dated.max().normalize() if len(dated) else None
    if end is None and start is not None and last is not None and last < start:
        last = start  # the data ends before the period: it ends where it starts
    return Period(
        start if start is not None else first,
        end if end is not None else last,
        start is not None,
        end is not None,
    )


def as_of(rel: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The network as it stood at the end of the period: connections made by then.

    Connections without a date are kept (nothing says they came later; :func:`
    relevance_trend` flags them). With no end date given, everything is kept. Does not
    mutate ``rel``.

    Parameters
    ----------
    rel
        An audience table or the output of :func:`add_relationship`.
    period
        From :func:`period_of`.

    Returns
    -------
    DataFrame
        The rows of ``rel`` made on or before ``period.end``, on the same index.

    Examples
    --------
    >>> import pandas as pd
    >>> aud = pd.DataFrame({"connected_on": pd.to_datetime(["2024-03-05", "2025-01-20", None])})
    >>> len(as_of(aud, period_of(aud, end_date="2024-12-31")))
    2
    """
    if not period.end_given or period.end is None or "connected_on" not in rel:
        return rel
    when = _naive(rel["connected_on"])
    return rel[~(when >= period.end + pd.Timedelta(days=1)).fillna(False).to_numpy(dtype=bool)]


def made_within(rel: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The connections made within the period (both days included); undated ones are
    left out. Does not mutate ``rel``.

    Examples
    --------
    >>> import pandas as pd
    >>> aud = pd.DataFrame({"connected_on": pd.to_datetime(["2024-03-05", "2025-01-20", None])})
    >>> len(made_within(aud, Period(pd.Timestamp("2025-01-01"), pd.Timestamp("2025-01-20"))))
    1
    """
    if "connected_on" not in rel:
        return rel.iloc[:0]
    when = _naive(rel["connected_on"])
    keep = when.notna()
    if period.start is not None:
        keep &= when >= period.start
    if period.end is not None:
        keep &= when < period.end + pd.Timedelta(days=1)
    return rel[keep.fillna(False).to_numpy(dtype=bool)]


def describe_period(audience: pd.DataFrame, period: Period, team: bool = True) -> str:
    """What the period keeps of the network, in a sentence or two.

    Parameters
    ----------
    audience
        The whole audience table, before :func:`as_of`. Not mutated.
    period
        From :func:`period_of`.
    team
        Word it for a team ("the team's network") or one person.

    Returns
    -------
    str
        The network as of the period's end (and how many connections made later are
        left out), and how many were made within the period.

    Examples
    --------
    >>> import pandas as pd
    >>> aud = pd.DataFrame({"connected_on": pd.to_datetime(["2024-03-05", "2025-01-20", "2025-02-01"])})
    >>> print(describe_period(aud, period_of(aud, "2025-01-01", "2025-01-31"), team=False))
    The network as of 31 January 2025: 2 connections (1 made later left out). 1 was made from 1 January 2025 to 31 January 2025.
    """
    kept = as_of(audience, period)
    later = len(audience) - len(kept)
    new = len(made_within(kept, period))
    whose = "The team's network" if team else "The network"
    if period.end is None:
        return f"{whose}: {len(kept):,} connections; no connection says when it was made."
    if not period.start_given and not period.end_given:
        return (
            f"No start_date or end_date: {whose[0].lower() + whose[1:]} as a whole, "
            f"{len(kept):,} connections made from {period.text()}."
        )
    first = f"{whose} as of {period.end.day} {period.end:%B %Y}: {len(kept):,} connections"
    first += f" ({later:,} made later left out)." if later else "."
    verb = "was" if new == 1 else "were"
    return f"{first} {new:,} {verb} made from {period.text()}."


def describe_new(new: pd.DataFrame, period: Period, account: str | None = None) -> str:
    """The connections made within the period, in a sentence.

    Parameters
    ----------
    new
        The :func:`relevance_summary` of :func:`made_within` (possibly empty).
    period
        The period (:func:`period_of`).
    account
        Whose (default: the team row when there is one, else the first).

    Returns
    -------
    str
        How many connections were made, and their buyer, peer and decision-maker shares.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"account": ["ana"], "connections": [40], "buyer_share": [0.25],
    ...     "peers": [10], "peer_share": [0.25], "decision_maker_share": [0.1]})
    >>> p = Period(pd.Timestamp("2025-01-01"), pd.Timestamp("2025-06-30"))
    >>> describe_new(s, p)
    'From 1 January 2025 to 30 June 2025, ana made 40 new connections: 25% buyers, 25% peers, 10% decision-makers.'
    """
    if account is None and len(new):
        account = TEAM if (new["account"] == TEAM).any() else str(new["account"].iloc[0])
    r = new[new["account"] == account] if account is not None else new.iloc[:0]
    who = "the team" if account == TEAM else str(account)
    if r.empty or int(r["connections"].iloc[0]) == 0:
        return f"From {period.text()}, no new connection was made."
    r = r.iloc[0]
    n = int(r["connections"])
    peers = (
        f"{r['peer_share']:.0%} peers"
        + (" (against a guessed function)" if bool(r.get("owner_function_guessed", False)) else "")
        if pd.notna(r.get("peers"))
        else "peers unknown (no owner's function)"
    )
    return (
        f"From {period.text()}, {who} made {n:,} new connection{'' if n == 1 else 's'}: "
        f"{r['buyer_share']:.0%} buyers, {peers}, {r['decision_maker_share']:.0%} "
        "decision-makers."
    )


def relevance_trend(
    rel: pd.DataFrame,
    target_functions: Sequence[str] | str = (),
    min_seniority: str = "Manager",
    *,
    freq: str = "MS",
    decision_maker: str = DECISION_MAKER,
    team: bool = True,
    report: CleaningReport | None = None,
    start: object = None,
    end: object = None,
) -> pd.DataFrame:
    """Relevance of the connections made each month: is the network getting better?

    Every calendar period is a row, those without a new connection included (with 0
    connections), so that pooling six rows pools six months.

    Parameters
    ----------
    rel
        The output of :func:`add_relationship`, with ``connected_on``. Not mutated.
    target_functions, min_seniority, decision_maker
        As in :func:`relevance_summary`.
    freq
        Period: ``"MS"`` (month, default), ``"QS"`` (quarter), ``"YS"`` (year), ``"D"``
        (day).
    team
        Add the whole team as account ``"All team"`` when there are several members.
    report
        Receives a note of connections left out for having no connection date.
    start, end
        The first and last day to show (ISO dates or Timestamps; None or ``""``: from
        each account's first connection, to the last connection in ``rel``). The
        cumulative share still counts every connection made before ``start``.

    Returns
    -------
    DataFrame
        One row per account and period, from the account's first period with a
        connection (or ``start``'s) to the last one in the data (or ``end``'s):
        ``account``, ``period`` (its first day), ``connections`` (made in that period,
        0 included), ``buyers``, ``peers`` (missing for an account whose owner's
        function is unknown: peers cannot be told, which is not none),
        ``decision_makers``, their shares of the period's connections (``buyer_share``,
        ``peer_share``, ``decision_maker_share``; missing for a period without
        connections), and ``cumulative_buyer_share`` (buyers / connections made up to
        the period's end).

    Raises
    ------
    RoiInputError
        A missing column, an unknown function or seniority, a ``start`` or ``end`` that
        is not a date.

    Examples
    --------
    >>> import pandas as pd
    >>> rel = pd.DataFrame({"account": "ana", "connected_on": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-03-01"]),
    ...     "function": ["Finance", "Sales", "Finance"], "seniority": ["Director", "Entry", "VP"],
    ...     "relationship": ["other", "peer", "other"], "owner_function": "Sales"})
    >>> tr = relevance_trend(rel, ["Finance"])
    >>> tr["period"].dt.strftime("%Y-%m").tolist(), tr["connections"].tolist()
    (['2024-01', '2024-02', '2024-03'], [2, 0, 1])
    >>> tr["buyer_share"].round(2).tolist(), tr["cumulative_buyer_share"].round(2).tolist()
    ([0.5, nan, 1.0], [0.5, 0.5, 0.67])
    """
    _need(
        rel, ["account", "connected_on", "relationship", "function", "seniority"], "relevance_trend"
    )
    first_day, last_day = parameter_day(start, "start"), parameter_day(end, "end")
    dated = rel["connected_on"].notna()
    if (~dated).any() and report is not None:
        undated = rel[~dated]
        files = (
            undated["source_file"].astype("str").fillna("")
            if "source_file" in undated
            else pd.Series("", index=undated.index)
        )
        for name, part in undated.groupby(files, sort=False):
            report.record(
                name or None,
                _rows(part) or [pd.NA] * len(part),
                rule="no connection date",
                action="flagged",
                column="connected_on",
                reason="left out of the trend: no date the connection was made",
            )
    df = rel[dated]
    unit = freq[0]
    flags = _flags(df, _functions(target_functions), min_seniority, decision_maker)
    flags["period"] = _naive(df["connected_on"]).dt.to_period(unit)
    flags = _with_team(flags, team)
    cols = ["connections", "buyers", "peers", "decision_makers"]
    if flags.empty:
        out = pd.DataFrame(
            {"account": pd.Series(dtype="str"), "period": pd.Series(dtype="datetime64[us]")}
        )
        for col in cols:
            out[col] = pd.Series(dtype="Int64")
        for col in ("buyer_share", "peer_share", "decision_maker_share", "cumulative_buyer_share"):
            out[col] = pd.Series(dtype="float")
        return out
    g = flags.groupby(["account", "period"])
    counts = pd.DataFrame(
        {
            "connections": g.size(),
            "buyers": g["buyer"].sum(),
            "peers": g["peer"].sum(),
            "decision_makers": g["decision_maker"].sum(),
        }
    )
    # every calendar period of each account: from its first (or start's) to the last
    lo = None if first_day is None else pd.Period(first_day, unit)
    hi = None if last_day is None else pd.Period(last_day, unit)
    last = flags["period"].max() if hi is None else max(flags["period"].max(), hi)
    spans = [
        pd.MultiIndex.from_product(
            [[account], pd.period_range(first if lo is None else min(first, lo), last, freq=unit)],
            names=["account", "period"],
        )
        for account, first in flags.groupby("account", sort=False)["period"].min().items()
    ]
    full = spans[0].append(spans[1:]) if len(spans) > 1 else spans[0]
    out = counts.reindex(full, fill_value=0).reset_index()
    cum = out.groupby("account", sort=False)[["buyers", "connections"]].cumsum()
    out["cumulative_buyer_share"] = (
        cum["buyers"] / cum["connections"].where(cum["connections"] > 0)
    ).astype(float)
    # peers cannot be counted for an owner whose function is unknown: unknown, not 0
    known = (
        rel.assign(account=rel["account"].astype("str"))
        .groupby("account")["owner_function"]
        .agg(lambda s: s.notna().any())
        if "owner_function" in rel
        else pd.Series(dtype=bool)
    )
    has_owner = out["account"].map(known).astype("boolean").fillna(False)
    if (out["account"] == TEAM).any():
        has_owner[out["account"] == TEAM] = bool(known.any())
    for col in cols:
        out[col] = out[col].astype("Int64")
    out["peers"] = out["peers"].where(has_owner.to_numpy(dtype=bool))
    n = out["connections"].astype(float).where(out["connections"] > 0)
    for col in ("buyer", "peer", "decision_maker"):
        out[f"{col}_share"] = (out[f"{col}s"].astype(float) / n).astype(float)
    keep = pd.Series(True, index=out.index)
    if lo is not None:
        keep &= out["period"] >= lo
    if hi is not None:
        keep &= out["period"] <= hi
    out = out[keep.to_numpy(dtype=bool)]
    out["period"] = out["period"].dt.start_time
    order = {a: i for i, a in enumerate(_order(out["account"]))}
    out = out.assign(_o=out["account"].map(order)).sort_values(["_o", "period"], kind="stable")
    columns = [
        "account",
        "period",
        *cols,
        "buyer_share",
        "peer_share",
        "decision_maker_share",
        "cumulative_buyer_share",
    ]
    return out[columns].reset_index(drop=True)


def describe(
    summary: pd.DataFrame,
    homophily_table: pd.DataFrame | None = None,
    coverage: pd.DataFrame | None = None,
    account: str | None = None,
) -> str:
    """The headline findings in plain words, for a newcomer (Markdown).

    Parameters
    ----------
    summary
        The output of :func:`relevance_summary`.
    homophily_table
        The output of :func:`homophily` (optional).
    coverage
        The output of :func:`target_coverage` (optional).
    account
        Whose findings (default: the team row when there is one, else the first).

    Returns
    -------
    str
        A few sentences, each a finding with the number behind it.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"account": ["ana"], "connections": [200], "buyers": [30], "buyer_share": [0.15],
    ...     "peers": [120], "peer_share": [0.6], "decision_makers": [20], "decision_maker_share": [0.1],
    ...     "function_coverage": [0.9]})
    >>> print(describe(s).splitlines()[0])
    - **ana**: 200 connections; 15% are buyers (30), 60% are peers (120), 10% are decision-makers (20).
    """
    if account is None:
        account = TEAM if (summary["account"] == TEAM).any() else str(summary["account"].iloc[0])
    r = summary[summary["account"] == account]
    if r.empty:
        raise RoiInputError(f"no account {account!r} in the summary", column="account")
    r = r.iloc[0]
    who = "The team" if account == TEAM else account
    guessed = bool(r.get("owner_function_guessed", False))
    basis = ""
    if guessed and account != TEAM:
        basis = "; against a function guessed from the network, not given"
    elif guessed:
        members = summary[summary["account"] != TEAM]
        k = int(members.get("owner_function_guessed", pd.Series(dtype=bool)).sum())
        basis = f"; against functions guessed from their networks for {k} of {len(members)} members"
    peers = (
        f"{r['peer_share']:.0%} are peers ({int(r['peers'])}{basis})"
        if pd.notna(r.get("peers"))
        else "peers unknown (the owner's function was not given)"
    )
    lines = [
        f"- **{who}**: {int(r['connections'])} connections; {r['buyer_share']:.0%} are buyers "
        f"({int(r['buyers'])}), {peers}, {r['decision_maker_share']:.0%} are decision-makers "
        f"({int(r['decision_makers'])})."
    ]
    if pd.notna(r.get("function_coverage")) and r["function_coverage"] < 0.8:
        lines.append(
            f"- Only {r['function_coverage']:.0%} of titles could be classified: the shares "
            "above are lower bounds. See the titles left Unknown below."
        )
    if pd.notna(r.get("peers")) and pd.notna(r.get("buyers")) and r["peers"] > r["buyers"]:
        if r["buyers"] == 0:
            lines.append(
                f"- Not one buyer, and {int(r['peers'])} peers: the network talks to people "
                "who do the same job, not to the people who buy."
            )
        else:
            lines.append(
                f"- There are {r['peers'] / r['buyers']:.1f} peers for every buyer: the network "
                "talks to people who do the same job, not to the people who buy."
            )
    if homophily_table is not None:
        h = homophily_table[homophily_table["account"] == account]
        if len(h):
            lines.append("- " + h["ei_sentence"].iloc[0])
            lines.append("- " + h["homophily_sentence"].iloc[0])
    if coverage is not None and len(coverage):
        none = coverage[~coverage["covered"]]
        knows = "the team knows" if account == TEAM else f"{account} knows"
        lines.append(
            f"- {len(coverage) - len(none)} of {len(coverage)} target accounts have a "
            f"decision-maker {knows}; {len(none)} have none"
            + (
                f" ({int((none['people'] > 0).sum())} of them with a warm way in)."
                if len(none)
                else "."
            )
        )
    return "\n".join(lines)


def _pct(value: object) -> str:
    return f"{float(value):.1%}"  # type: ignore[arg-type]


def _headline(summary: pd.DataFrame, coverage: pd.DataFrame | None) -> str:
    """One sentence for the report's index: what the network is made of."""
    row = summary.iloc[-1]
    team = str(row["account"]) == TEAM
    n = int(row["connections"])
    whose = "The team's" if team else "The network's"
    buyers = int(row["buyers"]) if pd.notna(row.get("buyers")) else None
    peers = int(row["peers"]) if pd.notna(row.get("peers")) else None
    parts = f"{whose} {n:,} connection{'' if n == 1 else 's'} are {row['buyer_share']:.0%} buyers"
    if peers is None:
        parts += " (peers unknown: no owner's function)"
    else:
        parts += f" and {row['peer_share']:.0%} peers"
        if bool(row.get("owner_function_guessed", False)):
            if team:
                members = summary[summary["account"] != TEAM]
                k = int(members["owner_function_guessed"].astype(bool).sum())
                parts += (
                    f" (counted against functions guessed from their networks for {k} of "
                    f"{len(members)} members)"
                )
            else:
                parts += " (counted against a function guessed from the network, not given)"
        if buyers and peers > buyers:
            parts += f", {peers / buyers:.1f} peers for every buyer"
        elif buyers == 0 and peers:
            parts += ", and not one buyer"
    if coverage is not None and len(coverage):
        gaps = int((~coverage["covered"].astype(bool)).sum())
        parts += (
            f"; {gaps} of {len(coverage)} target accounts have no decision-maker the "
            f"{'team' if team else 'owner'} knows"
        )
    return parts + "."


def key_numbers(
    net: Network,
    summary: pd.DataFrame,
    homophily_table: pd.DataFrame | None = None,
    coverage: pd.DataFrame | None = None,
    owners: pd.DataFrame | None = None,
    period: Period | None = None,
    new: pd.DataFrame | None = None,
) -> dict[str, object]:
    """The few numbers a report records (see :func:`roi_helpers.results.record`).

    Parameters
    ----------
    net
        The loaded network (:func:`load_network`).
    summary, homophily_table, coverage
        The outputs of :func:`relevance_summary`, :func:`homophily`,
        :func:`target_coverage` for the same network.
    owners
        The output of :func:`owner_summary`, to record where the owners' functions and
        companies came from.
    period
        The period analysed (:func:`period_of`): its days are recorded, so the report
        says which period its page covers.
    new
        The :func:`relevance_summary` of the connections made within the period
        (:func:`made_within`).

    Returns
    -------
    dict
        ``headline`` (one sentence: the buyer and peer shares, said to rest on a guess
        when an owner's function was guessed, and target accounts without a
        decision-maker), ``highlights`` (3 to 5 ``{label: formatted value}`` for the
        report's index: buyers, peers, decision-makers, E-I index, target accounts
        without a decision-maker, as known), ``members``, ``connections``,
        ``connections_per_member`` (by account as shown), ``function_coverage``,
        ``buyer_share``, ``peer_share``, ``decision_maker_share``, ``internal``
        (connections at the owners' own company; None when no company is known),
        ``ei_index``, ``inbreeding_homophily``, ``baseline`` (for the team row, or the
        only member), ``crm`` (a CRM was used), ``problems`` (how many),
        ``target_accounts``, ``target_accounts_without_decision_maker`` (None without a
        CRM), and with ``owners``: ``owner_function_sources`` and
        ``owner_company_sources`` (``{source: members}``); with ``period``:
        ``start_date`` and ``end_date`` (ISO dates); with ``new``: ``new_connections``,
        ``new_buyer_share``, ``new_peer_share`` (the connections made within the period,
        for the team row or the only member).

    Examples
    --------
    >>> import pandas as pd
    >>> net = Network(pd.DataFrame({"account": ["ana"]}), None, pd.DataFrame())
    >>> s = pd.DataFrame({"account": ["ana"], "connections": [1], "function_coverage": [1.0],
    ...     "buyer_share": [0.0], "peer_share": [1.0], "decision_maker_share": [0.0]})
    >>> key_numbers(net, s)["crm"], key_numbers(net, s)["target_accounts"]
    (False, None)
    >>> key_numbers(net, s)["highlights"]
    {'Buyers': '0.0%', 'Peers': '100.0%', 'Decision-makers': '0.0%'}
    >>> key_numbers(net, s.assign(peer_share=None))["highlights"]
    {'Connections': '1', 'Buyers': '0.0%', 'Decision-makers': '0.0%'}
    """
    row = summary.iloc[-1]
    numbers: dict[str, object] = {
        "headline": _headline(summary, coverage),
        "members": len(net.members),
        "connections": int(row["connections"]),
        "connections_per_member": {
            str(a): int(n) for a, n in zip(summary["account"], summary["connections"], strict=True)
        },
        "crm": net.accounts is not None,
        "problems": len(net.problems),
    }
    for col in ("function_coverage", "buyer_share", "peer_share", "decision_maker_share"):
        numbers[col] = None if pd.isna(row[col]) else float(row[col])
    internal = row.get("internal")
    numbers["internal"] = None if internal is None or pd.isna(internal) else int(internal)
    highlights = {"Buyers": _pct(row["buyer_share"])}
    if pd.notna(row["peer_share"]):
        guessed = bool(row.get("owner_function_guessed", False))
        highlights["Peers (by a guessed function)" if guessed else "Peers"] = _pct(
            row["peer_share"]
        )
    highlights["Decision-makers"] = _pct(row["decision_maker_share"])
    if homophily_table is not None and len(homophily_table):
        h = homophily_table.iloc[-1]
        for col in ("ei_index", "inbreeding_homophily"):
            numbers[col] = None if pd.isna(h[col]) else float(h[col])
        numbers["baseline"] = str(h["baseline"])
        if pd.notna(h["ei_index"]):
            highlights["E-I index (-1 = all peers)"] = f"{h['ei_index']:+.2f}"
    numbers["target_accounts"] = None if coverage is None else len(coverage)
    numbers["target_accounts_without_decision_maker"] = (
        None if coverage is None else int((~coverage["covered"].astype(bool)).sum())
    )
    if coverage is not None and len(coverage):
        highlights["Target accounts without a decision-maker"] = (
            f"{numbers['target_accounts_without_decision_maker']} of {len(coverage)}"
        )
    if len(highlights) < 3:
        highlights = {"Connections": f"{int(row['connections']):,}", **highlights}
    numbers["highlights"] = dict(list(highlights.items())[:5])
    if period is not None:
        numbers.update(period.numbers())
        if period.end_given and period.end is not None:
            day = f"{period.end.day} {period.end:%B %Y}"
            numbers["headline"] = f"As of {day}: " + str(numbers["headline"])
    if new is not None:
        last = new.iloc[-1] if len(new) else None
        numbers["new_connections"] = 0 if last is None else int(last["connections"])
        for col in ("buyer_share", "peer_share"):
            value = None if last is None else last.get(col)
            numbers[f"new_{col}"] = None if value is None or pd.isna(value) else float(value)
    if owners is not None:
        for col in ("owner_function_source", "owner_company_source"):
            counts = owners[col].astype("str").value_counts()
            numbers[col + "s"] = {str(k): int(v) for k, v in counts.items()}
    return numbers


# -- loading a team's exports ------------------------------------------------------------------------
@dataclass
class Network:
    """A team's networks and CRM, loaded for the relevance analysis.

    Attributes
    ----------
    audience : DataFrame
        Every member's connections (the audience table).
    accounts : DataFrame or None
        The CRM account list, prepared (see :func:`prepare_accounts`); None when there is
        no usable CRM.
    files : DataFrame
        Each file looked at and what happened to it (from :func:`roi_helpers.load_dir`).
    problems : list of str
        Sentences for a person: files that failed, a missing CRM, rows set aside.
    report : CleaningReport
        Everything loading and preparing set aside, changed or flagged.
    team : DataFrame or None
        The team table (``member``, ``function``, ``company``...) when the folder has one:
        each member's own function and company, so peers and internal connections need no
        guessing (pass it to :func:`add_relationship` as ``team=``, or see :func:`owners`).
    nothing : str
        Why there is nothing to analyse (the folder holds no connections export), for a
        sentence and ``results.no_data``; ``""`` when there are connections.
    """

    audience: pd.DataFrame
    accounts: pd.DataFrame | None
    files: pd.DataFrame
    problems: list[str] = field(default_factory=list)
    report: CleaningReport = field(default_factory=CleaningReport)
    team: pd.DataFrame | None = None
    nothing: str = ""

    @property
    def empty(self) -> bool:
        """True when there is not one connection to analyse (see :attr:`nothing`)."""
        return len(self.audience) == 0

    @property
    def members(self) -> list[str]:
        """The team members (accounts), sorted."""
        return sorted(self.audience["account"].astype("str").unique())

    def headline(self) -> str:
        """One sentence: how many connections of how many people, and the CRM."""
        n = len(self.members)
        crm = "no CRM" if self.accounts is None else f"{len(self.accounts)} CRM accounts"
        return f"{len(self.audience)} connections of {n} {'person' if n == 1 else 'people'}; {crm}."

    # -- showing it without showing people ------------------------------------------------------
    def _names(self) -> list[str]:
        """Every member's name: the accounts, and the folder of every connections export
        and of every file under ``linkedin/<member>/``, whatever became of it (an empty
        or unrecognised file is a member's too). Longest first."""
        files = self.files["file"].astype("str") if "file" in self.files else pd.Series([])
        source = self.files["source"].astype("str") if "source" in self.files else pd.Series([])
        parts = files.str.split("/")
        exports = (source == "linkedin_connections") | files.str.lower().str.contains(
            "connections", regex=False
        )
        folders = set(parts[exports & (parts.str.len() > 1)].str[-2])
        # linkedin/<member>/...: the folder after "linkedin", wherever it sits
        for depth in range(int(parts.str.len().max()) - 1 if len(parts) else 0):
            under = parts.str[depth].str.lower().eq("linkedin") & (parts.str.len() > depth + 2)
            folders |= set(parts[under].str[depth + 1])
        names = {f for f in folders if f} | set(self.audience["account"].astype("str"))
        return sorted(names, key=len, reverse=True)

    def mask(self, text: pd.Series, show_names: bool = False) -> pd.Series:
        """``text`` with member names replaced by their pseudonyms (the ones
        :func:`roi_helpers.privacy.hide_people` gives the ``account`` column) and email
        addresses hidden; names are kept when ``show_names``. A name is replaced where it
        stands as a word or a path part (``linkedin/cy/``, ``for cy.``), not inside other
        words ("policy" keeps its "cy")."""
        import re

        from .privacy import EMAIL, pseudonym

        out = text.astype("str").str.replace(EMAIL.pattern, "[email hidden]", regex=True)
        if show_names:
            return out
        names = self._names()
        codes = pseudonym(pd.Series(names))
        for name, code in zip(names, codes, strict=True):
            word = r"(?<![\w-])" + re.escape(name) + r"(?![\w-])"
            out = out.str.replace(word, code.replace("\\", r"\\"), regex=True)
        return out

    def as_of(self, period: Period) -> Network:
        """The network as it stood at the end of ``period`` (see :func:`as_of`): a new
        :class:`Network` whose ``nothing`` says so when no connection had been made by
        then. Does not change this one."""
        from dataclasses import replace

        audience = as_of(self.audience, period)
        nothing = self.nothing
        if not len(audience) and len(self.audience) and period.end is not None:
            nothing = (
                f"no connection in these exports had been made by {period.end.day} "
                f"{period.end:%B %Y} (the end_date)"
            )
        return replace(self, audience=audience.reset_index(drop=True), nothing=nothing)

    def masked_problems(self, show_names: bool = False) -> list[str]:
        """:attr:`problems`, fit to print (see :meth:`mask`)."""
        return self.mask(pd.Series(self.problems, dtype="str"), show_names).tolist()

    def masked_nothing(self, show_names: bool = False) -> str:
        """:attr:`nothing`, fit to print and to record (see :meth:`mask`)."""
        if not self.nothing:
            return ""
        return str(self.mask(pd.Series([self.nothing], dtype="str"), show_names).iloc[0])

    def file_table(self, show_names: bool = False) -> pd.DataFrame:
        """The connections exports (read or not), CRM and team table looked at, and any file
        that failed, fit to show: member names pseudonymised unless ``show_names``."""
        keep = (
            self.files["kind"].isin(["audience", "accounts", "team"])
            | (self.files["status"] == "failed")
            | self.files["file"].astype("str").str.lower().str.contains("connections", regex=False)
        )
        out = self.files[keep].copy()
        if "message" in out:  # a handful of files: what went wrong, in the export's words
            said = [_export_words(f, m) for f, m in zip(out["file"], out["message"], strict=True)]
            out["message"] = pd.Series(said, index=out.index, dtype="str").where(
                out["message"].notna()
            )
        for col in ("file", "message"):
            out[col] = self.mask(out[col], show_names)
        return out.reset_index(drop=True)

    def report_summary(self, show_names: bool = False, by_file: bool = True) -> pd.DataFrame:
        """The cleaning report's summary (see :meth:`CleaningReport.summary`), fit to show:
        member names pseudonymised (unless ``show_names``) and emails hidden. ``by_file``
        False gives one line per rule across files."""
        out = self.report.summary(by_file=by_file)
        for col in ("file", "reason"):
            if col in out:
                out[col] = self.mask(out[col], show_names)
        return out

    def report_table(self, show_names: bool = False) -> Styler:
        """The cleaning report in a few lines, to read on a page.

        Parameters
        ----------
        show_names
            Keep member names in file names and reasons (otherwise pseudonyms).

        Returns
        -------
        Styler
            One row per rule across files (see :meth:`report_summary` with
            ``by_file=False``): ``rule``, ``action``, ``column``, ``rows``, ``files``
            (how many, or the one), ``example`` rows and the first ``reason``; the caption
            says how many rows were read, kept and set aside.
        """
        from .tables import show

        bal = self.report.balance()
        read, kept = int(bal["rows_read"].sum()), int(bal["rows_kept"].sum())
        caption = (
            f"{read:,} rows read from {len(bal)} file{'' if len(bal) == 1 else 's'}: "
            f"{kept:,} kept, {read - kept:,} set aside."
            if len(bal)
            else "No connections export, CRM or team table was read."
        )
        table = self.report_summary(show_names, by_file=False).rename(columns={"file": "files"})
        if table.empty:
            table = pd.DataFrame({"": ["Nothing was changed, set aside or flagged."]})
        else:
            table = table[["rule", "action", "column", "rows", "files", "example", "reason"]]
            table["rows"] = table["rows"].astype("Int64")
        text = [c for c in table.columns if c != "rows"]
        left = [{"selector": "th.col_heading", "props": "text-align: left"}]
        return (
            show(table, caption=caption, max_rows=None)
            .set_properties(subset=text, **{"text-align": "left"})
            .set_table_styles(left, overwrite=False)
        )

    def _people_files(self) -> set[str]:
        """The files whose rows are people: connections exports and the team table."""
        f = self.files
        if f.empty or "file" not in f:
            return set()
        kind = f["kind"].astype("str") if "kind" in f else pd.Series("", index=f.index)
        source = f["source"].astype("str") if "source" in f else pd.Series("", index=f.index)
        people = (
            kind.isin(["audience", "team"])
            | (source == "linkedin_connections")
            | f["file"].astype("str").str.lower().str.contains("connections", regex=False)
        )
        return set(f.loc[people.to_numpy(dtype=bool), "file"].astype("str"))

    def save_report(self, path: str | Path, show_names: bool = False) -> Path:
        """Write every cleaning entry to CSV, fit to share.

        Emails are hidden always, wherever they are. Without ``show_names``: member names
        are pseudonymised (see :meth:`mask`), and the values (``original``, ``value``) are
        blanked of every entry about a person: an entry whose column names a person
        (name, URL, email, profile, person, or the raw line of a row that could not be
        split), every row set aside or deduplicated from a connections export or the team
        table (such a row's values are a person's, whatever column they sit in), and any
        value holding a web address. Titles, companies and dates stay: they say what was
        wrong without saying who.

        Parameters
        ----------
        path
            The CSV to write.
        show_names
            Keep names, profile URLs and the values of set-aside rows (never emails).

        Returns
        -------
        Path
            ``path``.
        """
        from .clean import safe_for_spreadsheet

        entries = self.report.to_frame()
        column = entries["column"].astype("str").str.lower()
        email = column.str.contains("mail", na=False)
        people = column.str.contains(
            r"name|url|person|profile|link|text|line|member", regex=True, na=False
        )
        removed = entries["action"].isin(["set aside", "deduplicated"])
        from_people = entries["file"].astype("str").isin(self._people_files())
        web = pd.Series(False, index=entries.index)
        for col in ("original", "value"):
            web |= (
                entries[col]
                .astype("str")
                .str.contains(r"https?://|www\.|linkedin\.com/", regex=True, na=False)
            )
        hide = email | ((people | (removed & from_people) | web) & (not show_names))
        for col in ("original", "value"):
            entries[col] = entries[col].where(~hide)
        for col in ("file", "reason", "original", "value"):
            entries[col] = self.mask(entries[col], show_names).where(entries[col].notna())
        path = Path(path)
        safe_for_spreadsheet(entries).to_csv(path, index=False)
        return path


def load_network(
    data_dir: str | Path,
    crm_file: str | Path = "",
    owner: str = "",
    *,
    empty_ok: bool = False,
    broken_ok: bool = False,
) -> Network:
    """Load every connections export in a folder, the CRM and the team table, saying what
    went wrong.

    A broken export is listed in ``problems`` and the others are used; a CRM that cannot
    be read is reported and no CRM is used; a CRM that lists one company with two
    statuses is reported (which row is used, which set aside) and the rest of it is
    used: the analysis goes on with what it has. The cleaning report holds the files of
    these three tables only (not the folder's posts exports).

    Parameters
    ----------
    data_dir
        The folder (searched recursively: ``linkedin/<person>/Connections.csv``...).
    crm_file
        The CRM account list; ``""``: the accounts table found in ``data_dir``, if any. A
        relative path is read from ``data_dir``.
    owner
        Keep only this account's connections (``""``: everybody's).
    empty_ok
        A folder without any connections export (or whose exports hold no connection)
        gives an empty :class:`Network` whose ``nothing`` says why, instead of an error:
        for a scheduled report, where such a folder is "no data", not a failure.
    broken_ok
        A folder whose connections exports all fail to load gives an empty
        :class:`Network` too, whose ``nothing`` and ``problems`` say which file could not
        be read and why (the columns it lacks, named as the export names them), instead
        of an error: for a report page that should say so rather than stop.

    Returns
    -------
    Network

    Raises
    ------
    RoiInputError
        ``data_dir`` is not a folder, holds no connections export that could be read
        (without ``broken_ok``: also when it holds some and none could be read), or has
        no account called ``owner`` (the error lists those it has).

    Examples
    --------
    >>> net = load_network("data/sample")  # doctest: +SKIP
    >>> net.members                           # doctest: +SKIP
    ['ana-silva', 'ben-okafor', ...]
    """
    from .loading import load, load_dir

    data_dir = Path(data_dir)
    ds = load_dir(data_dir)
    report = CleaningReport().extend(ds.report_for("audience", "accounts", "team"))
    problems = [
        f"{row.file} could not be read and is left out: {_export_words(row.file, row.message)}"
        for row in ds.files.itertuples()
        if row.status == "failed"
    ]
    # load_dir skips files it does not recognise; a skipped "Connections" file is a
    # member's export gone wrong (empty, or re-saved in another shape): say so
    for row in ds.files.itertuples():
        if row.status == "skipped" and "connections" in Path(row.file).name.lower():
            empty = (data_dir / row.file).stat().st_size == 0
            why = "the file is empty" if empty else "it is not a LinkedIn Connections export"
            problems.append(f"{row.file} could not be read and is left out: {why}.")
    audience = ds.audience
    exports = ds.files[ds.files["source"] == "linkedin_connections"]
    unread = ds.files[
        (ds.files["status"] != "loaded")
        & (
            (ds.files["source"] == "linkedin_connections")
            | ds.files["file"].astype("str").str.lower().str.contains("connections", regex=False)
        )
    ]
    team = ds.team if ds.has("team") else None
    if not len(audience) and ((empty_ok and unread.empty) or (broken_ok and len(unread))):
        if len(unread):
            first = next(p for p in problems if p.startswith(str(unread["file"].iloc[0])))
            why = first.split(" could not be read and is left out: ", 1)[1]
            nothing = (
                f"no connections export in this folder could be read ({len(unread)} files: "
                "see the list of files)"
                if len(unread) > 1
                else "the only connections export in this folder could not be read: "
                + why.split("; ")[0].rstrip(".")
            )
        elif len(exports):
            nothing = "the connections exports in this folder hold no connection"
        else:
            nothing = "this folder holds no LinkedIn connections export (Connections.csv)"
        return Network(audience, None, ds.files, problems, report, team, nothing)
    if not len(audience):
        raise RoiInputError(
            "holds no connections export that could be read",
            path=data_dir,
            hint=" ".join(problems)
            or "Put each person's Connections.csv in a folder named after them.",
        )
    if owner:
        have = sorted(audience["account"].astype("str").unique())
        if owner not in have:
            raise RoiInputError(
                f"has no connections of {owner!r}; it has " + ", ".join(have),
                path=data_dir,
                column="account",
            )
        audience = audience[audience["account"] == owner].reset_index(drop=True)
    raw_accounts: pd.DataFrame | None = None
    if crm_file:
        path = Path(crm_file)
        path = path if path.is_absolute() or path.exists() else data_dir / path
        try:
            crm = load(path, source="crm")
            raw_accounts = _crm_rows(crm.data, crm.report)
            report.extend(crm.report)
        except (RoiInputError, OSError, ValueError) as exc:
            problems.append(f"The CRM file could not be used, so no CRM is used: {exc}")
    elif ds.has("accounts"):
        raw_accounts = _crm_rows(ds.accounts, report)
    else:
        problems.append(
            "No CRM account list was found: clients, prospects, partners and competitors "
            "cannot be told apart, and target-account coverage is not computed."
        )
    accounts = None
    if raw_accounts is not None:
        before = len(report.entries)
        try:
            accounts = prepare_accounts(raw_accounts, report, conflicts="keep last")
        except RoiInputError as exc:
            problems.append(f"The CRM could not be used, so no CRM is used: {exc}")
        problems += _crm_problems(CleaningReport(entries=report.entries[before:]).to_frame())
        if accounts is not None and not len(accounts):
            problems.append("The CRM holds no usable account: no CRM is used.")
            accounts = None
    if team is not None and owner:
        team = team[team["member"] == owner].reset_index(drop=True)
    return Network(audience, accounts, ds.files, problems, report, team)


#: How LinkedIn's Connections.csv names the columns the kit calls by canonical names.
_EXPORT_COLUMNS = {
    "first": "First Name",
    "last": "Last Name",
    "company": "Company",
    "title": "Position",
    "connected_on": "Connected On",
    "url": "URL",
    "email": "Email Address",
}


def _export_words(file: str, message: object) -> str:
    """A loading error as a person reads it beside the file's name: the file not named
    twice, and the columns a Connections.csv lacks named as LinkedIn names them
    ('Position', not the kit's ``title``)."""
    import re

    text = "" if message is None or pd.isna(message) else str(message)
    for name in (str(file), Path(str(file)).name):
        if text.startswith(name + ": "):
            text = text[len(name) + 2 :]
            break

    def _names(m: re.Match[str]) -> str:
        cols = [c.strip() for c in m.group(1).split(",")]
        said = [repr(_EXPORT_COLUMNS.get(c, c)) for c in cols]
        return f"it has no {' or '.join(said)} column, which a {m.group(2)} needs"

    return re.sub(
        r"missing column\(s\) ([a-z_, ]+) for a (LinkedIn Connections\.csv)", _names, text
    )


def _crm_rows(accounts: pd.DataFrame, report: CleaningReport) -> pd.DataFrame:
    """Every CRM row as its file gives it, for :func:`prepare_accounts` to merge or weigh.

    A loader that deduplicates accounts on their exact name keeps one of two rows that
    give a company two statuses, silently for the relevance analysis; the rows it set
    aside are put back (in file order) and its entries left out of ``report``, so that
    :func:`prepare_accounts` decides, and says, what happens to each. When the loader
    keeps every row this changes nothing.
    """
    rule = "duplicate account"
    back = [
        r[r["set_aside_rule"] == rule]
        for r in report.set_aside_rows
        if "set_aside_rule" in r and (r["set_aside_rule"] == rule).any()
    ]
    if not back:
        return accounts
    report.entries = [
        e[~((e["rule"] == rule) & (e["action"] == "deduplicated"))] for e in report.entries
    ]
    report.entries = [e for e in report.entries if len(e)]
    report.set_aside_rows = [
        r[r["set_aside_rule"] != rule] if "set_aside_rule" in r else r
        for r in report.set_aside_rows
    ]
    restored = pd.concat(back, ignore_index=True)
    restored = restored[[c for c in accounts.columns if c in restored.columns]]
    rows = pd.concat([accounts, restored], ignore_index=True)
    order = {f: i for i, f in enumerate(dict.fromkeys(accounts["source_file"].astype("str")))}
    rank = rows["source_file"].astype("str").map(order).fillna(len(order))
    return (
        rows.assign(_rank=rank.to_numpy())
        .sort_values(["_rank", "source_row"], kind="stable")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


def _crm_problems(entries: pd.DataFrame) -> list[str]:
    """What preparing the CRM changed, in sentences for the problems list."""
    out = [
        f"The CRM: {r}"
        for r in entries.loc[entries["rule"] == _TWO_STATUSES, "reason"].drop_duplicates()
    ]
    dups = int((entries["rule"] == "duplicate CRM company").sum())
    if dups:
        out.append(
            f"{dups} CRM row{'s' if dups > 1 else ''} repeat{'' if dups > 1 else 's'} a company "
            "listed before with the same status: merged into the first row (aliases and "
            "domains kept); see the cleaning report."
        )
    nameless = int((entries["rule"] == "CRM row without company or status").sum())
    if nameless:
        out.append(
            f"{nameless} CRM row{'s' if nameless > 1 else ''} without a company name or "
            "status set aside: see the cleaning report."
        )
    return out


def owners(team: pd.DataFrame | None) -> dict[str, dict[str, str]]:
    """Each member's company and function from the team table, for :func:`add_relationship`.

    Parameters
    ----------
    team
        The team table (``member``, ``company``, ``function``), or None.

    Returns
    -------
    dict
        ``{"owner_company": {member: company}, "owner_function": {member: function}}``,
        leaving out what the table does not say; empty when ``team`` is None, so
        ``add_relationship(audience, crm, **owners(team))`` works either way.

    Examples
    --------
    >>> import pandas as pd
    >>> team = pd.DataFrame({"member": ["ana", "jo"], "function": ["Sales", None],
    ...                      "company": ["Quillmoor", "Quillmoor"]})
    >>> owners(team)["owner_function"]
    {'ana': 'Sales'}
    """
    if team is None or not len(team):
        return {}
    out: dict[str, dict[str, str]] = {}
    for column, key in (("company", "owner_company"), ("function", "owner_function")):
        if column in team:
            known = team[team[column].notna()]
            if len(known):
                out[key] = dict(
                    zip(known["member"].astype(str), known[column].astype(str), strict=True)
                )
    return out
