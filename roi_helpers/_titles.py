"""The engine behind :func:`roi_helpers.relevance.classify_titles`: rules in, labels out.

Private: the public front door is :mod:`roi_helpers.relevance`. The rules live in
``roi_helpers/data/title_rules.yaml`` (its header explains how a title is read); a user's
extra rules file (YAML of the same shape, or CSV with columns ``field, value, name,
pattern, unless``) is tried before them.

Everything runs on the *unique* titles, in pyarrow (RE2 regular expressions evaluated in
C++): one pass per rule over the titles no earlier rule has claimed, never one Python call
per title.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from .errors import RoiInputError

#: LinkedIn's 26 job functions, plus Unknown.
FUNCTIONS = (
    "Accounting",
    "Administrative",
    "Arts and Design",
    "Business Development",
    "Community and Social Services",
    "Consulting",
    "Education",
    "Engineering",
    "Entrepreneurship",
    "Finance",
    "Healthcare Services",
    "Human Resources",
    "Information Technology",
    "Legal",
    "Marketing",
    "Media and Communication",
    "Military and Protective Services",
    "Operations",
    "Product Management",
    "Program and Project Management",
    "Purchasing",
    "Quality Assurance",
    "Real Estate",
    "Research",
    "Sales",
    "Support",
    "Unknown",
)
#: LinkedIn's seniority levels from the bottom up; Unknown sorts first, so that "at
#: least Manager" never counts it.
SENIORITIES = (
    "Unknown",
    "Unpaid",
    "Training",
    "Entry",
    "Senior",
    "Manager",
    "Director",
    "VP",
    "CXO",
    "Partner",
    "Owner",
)
FUNCTION_DTYPE = pd.CategoricalDtype(list(FUNCTIONS), ordered=False)
SENIORITY_DTYPE = pd.CategoricalDtype(list(SENIORITIES), ordered=True)

#: Longer titles are classified on their first MAX_TITLE characters (a title that long
#: is a pasted biography; the job is at its start).
MAX_TITLE = 300

NO_TITLE = "no title"
NO_FUNCTION_RULE = "no rule matched"
IC_RULE = "no seniority word: individual contributor"
NO_SENIORITY_RULE = "no seniority word, and no job named"

_BUILTIN = "title_rules.yaml"


@dataclass(frozen=True)
class Rule:
    """One rule: where the pattern matches (and ``unless`` does not), the value applies."""

    field: str  # "function" or "seniority"
    value: str
    name: str
    pattern: str
    unless: str | None = None
    source: str = "built-in"


@dataclass(frozen=True)
class TitleRules:
    """A complete rule set, in the order rules are tried."""

    function: tuple[Rule, ...]
    seniority: tuple[Rule, ...]
    normalise: tuple[tuple[str, str], ...] = ()
    cut: tuple[tuple[str, str], ...] = ()
    drop_segments: str | None = None
    separators: str = r"\s*(?:\||,|;|/)\s*"
    job_nouns: str | None = None
    sources: tuple[str, ...] = field(default=())

    def to_frame(self) -> pd.DataFrame:
        """Every rule as a row: field, value, name, pattern, unless, source, order."""
        rules = [*self.function, *self.seniority]
        return pd.DataFrame(
            {
                "field": [r.field for r in rules],
                "value": [r.value for r in rules],
                "name": [r.name for r in rules],
                "pattern": [r.pattern for r in rules],
                "unless": [r.unless for r in rules],
                "source": [r.source for r in rules],
                "order": list(range(1, len(self.function) + 1))
                + list(range(1, len(self.seniority) + 1)),
            }
        )


# -- reading rules ------------------------------------------------------------------------------
def _check_pattern(pattern: object, where: Path | str, row: int, column: str) -> str:
    if not isinstance(pattern, str) or not pattern.strip():
        raise RoiInputError(
            "a rule has no pattern",
            path=where,
            rows=[row],
            column=column,
            expected="a regular expression (RE2 syntax)",
        )
    try:
        pc.match_substring_regex(pa.array(["probe"]), pattern)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise RoiInputError(
            f"the pattern {pattern!r} is not a valid regular expression ({exc})",
            path=where,
            rows=[row],
            column=column,
            expected="RE2 syntax: no look-arounds or back-references",
        ) from None
    return pattern


def _rules_from_records(
    records: Iterable[dict], field_name: str | None, where: Path | str, source: str
) -> list[Rule]:
    allowed = {"function": FUNCTIONS, "seniority": SENIORITIES}
    out = []
    for i, rec in enumerate(records, start=1):
        if not isinstance(rec, dict):
            raise RoiInputError(
                f"rule {i} is not a mapping of name, pattern and value",
                path=where,
                rows=[i],
                expected="{name: ..., function: ..., pattern: ...}",
            )
        fld = field_name or str(rec.get("field", "")).strip().lower()
        if fld not in allowed:
            raise RoiInputError(
                f"rule {i} is for {fld!r}",
                path=where,
                rows=[i],
                column="field",
                expected="function or seniority",
            )
        value = rec.get(fld, rec.get("value"))
        canon = {v.lower(): v for v in allowed[fld]}
        if not isinstance(value, str) or value.strip().lower() not in canon:
            raise RoiInputError(
                f"rule {i} gives the {fld} {value!r}",
                path=where,
                rows=[i],
                column=fld,
                expected="one of " + ", ".join(allowed[fld]),
            )
        unless = rec.get("unless")
        unless = (
            None if unless is None or (isinstance(unless, str) and not unless.strip()) else unless
        )
        out.append(
            Rule(
                field=fld,
                value=canon[value.strip().lower()],
                name=str(rec.get("name") or f"{source} rule {i}"),
                pattern=_check_pattern(rec.get("pattern"), where, i, "pattern"),
                unless=None if unless is None else _check_pattern(unless, where, i, "unless"),
                source=source,
            )
        )
    return out


def _read_rules_file(path: Path) -> dict:
    """A rules file as the dict a YAML file would give."""
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such rules file")
    text = path.read_text(encoding="utf-8-sig")
    if not text.strip():
        raise RoiInputError("the rules file is empty", path=path)
    if path.suffix.lower() == ".csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        need = {"field", "value", "pattern"}
        header = {h.strip().lower() for h in (rows[0].keys() if rows else [])}
        if not need <= header:
            raise RoiInputError(
                "the rules file lacks column(s) " + ", ".join(sorted(need - header)),
                path=path,
                expected="columns field, value, name, pattern, unless",
            )
        rows = [{k.strip().lower(): v for k, v in r.items()} for r in rows]
        return {
            "function": [r for r in rows if r["field"].strip().lower() == "function"],
            "seniority": [r for r in rows if r["field"].strip().lower() == "seniority"],
            "_csv": rows,
        }
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RoiInputError(f"is not valid YAML ({exc})", path=path) from None
    if not isinstance(data, dict):
        raise RoiInputError(
            "holds no rules", path=path, expected="a mapping with 'function' and/or 'seniority'"
        )
    return data


def _parse(data: dict, where: Path | str, source: str) -> dict:
    if "_csv" in data:
        rules = _rules_from_records(data["_csv"], None, where, source)
        return {
            "function": [r for r in rules if r.field == "function"],
            "seniority": [r for r in rules if r.field == "seniority"],
        }
    unknown = set(data) - {
        "function",
        "seniority",
        "normalise",
        "cut",
        "drop_segments",
        "separators",
        "job_nouns",
    }
    if unknown:
        raise RoiInputError(
            "unknown section(s) " + ", ".join(sorted(map(str, unknown))),
            path=where,
            expected="function, seniority, normalise, cut, drop_segments, separators, job_nouns",
        )
    out: dict = {
        "function": _rules_from_records(data.get("function") or [], "function", where, source),
        "seniority": _rules_from_records(data.get("seniority") or [], "seniority", where, source),
    }
    for i, item in enumerate(data.get("normalise") or [], start=1):
        _check_pattern(item.get("pattern"), where, i, "normalise")
    out["normalise"] = [(d["pattern"], d.get("replace", " ")) for d in data.get("normalise") or []]
    out["cut"] = []
    for i, item in enumerate(data.get("cut") or [], start=1):
        item = item if isinstance(item, dict) else {"pattern": item}
        out["cut"].append(
            (_check_pattern(item.get("pattern"), where, i, "cut"), item.get("replace", ""))
        )
    for key in ("drop_segments", "separators", "job_nouns"):
        if data.get(key):
            out[key] = _check_pattern(data[key], where, 1, key)
    return out


@lru_cache(maxsize=1)
def _builtin() -> dict:
    text = resources.files("roi_helpers").joinpath("data", _BUILTIN).read_text(encoding="utf-8")
    return _parse(yaml.safe_load(text), _BUILTIN, "built-in")


def load_rules(extra: str | Path | Sequence[str | Path] | None = None) -> TitleRules:
    """The built-in rules, with a user's extra rules files tried first (in the order given)."""
    base = _builtin()
    extras: list[Path] = []
    if extra is not None:
        extras = [Path(extra)] if isinstance(extra, str | Path) else [Path(p) for p in extra]
    function: list[Rule] = []
    seniority: list[Rule] = []
    normalise: list[tuple[str, str]] = []
    cut: list[tuple[str, str]] = []
    for path in extras:
        parsed = _parse(_read_rules_file(path), path, path.name)
        function += parsed["function"]
        seniority += parsed["seniority"]
        normalise += parsed.get("normalise", [])
        cut += parsed.get("cut", [])
    return TitleRules(
        function=tuple(function + base["function"]),
        seniority=tuple(seniority + base["seniority"]),
        normalise=tuple(normalise + base["normalise"]),
        cut=tuple(cut + base["cut"]),
        drop_segments=base.get("drop_segments"),
        separators=base.get("separators", TitleRules.separators),
        job_nouns=base.get("job_nouns"),
        sources=tuple([*(p.name for p in extras), "built-in"]),
    )


# -- normalising -------------------------------------------------------------------------------
def normalise(titles: pa.Array, rules: TitleRules) -> pa.Array:
    """Lower-case ASCII text with decoration removed, as the rules expect it."""
    text = pc.utf8_slice_codeunits(titles, 0, MAX_TITLE)
    for pattern, repl in rules.normalise:
        text = pc.replace_substring_regex(text, pattern, repl)
    text = pc.utf8_normalize(text, "NFKD")
    text = pc.replace_substring_regex(text, r"\p{Mn}+", "")
    text = pc.replace_substring_regex(text, "[ßẞ]", "ss")
    text = pc.replace_substring_regex(text, "[\u2010-\u2015\u2212]", "-")
    text = pc.replace_substring_regex(text, "[\u2022\u00b7\u2023\u25cf]", "|")
    text = pc.utf8_lower(text)
    text = pc.replace_substring_regex(text, r"[^a-z0-9&+./|,;:()\- ]+", " ")
    text = pc.replace_substring_regex(text, r"\s+", " ")
    return pc.utf8_trim_whitespace(text)


def _match(values: pa.Array, rule_pattern: str, unless: str | None) -> np.ndarray:
    hit = pc.match_substring_regex(values, rule_pattern)
    if unless is not None:
        hit = pc.and_kleene(hit, pc.invert(pc.match_substring_regex(values, unless)))
    return pc.fill_null(hit, False).to_numpy(zero_copy_only=False)


def _first_rule(values: pa.Array, rules: Sequence[Rule]) -> np.ndarray:
    """Index of the first rule matching each value (-1: none), one pass per rule."""
    found = np.full(len(values), -1, dtype=np.int64)
    todo = np.arange(len(values))
    for i, rule in enumerate(rules):
        if len(todo) == 0:
            break
        hit = _match(values.take(pa.array(todo)), rule.pattern, rule.unless)
        found[todo[hit]] = i
        todo = todo[~hit]
    return found


@dataclass(frozen=True)
class Classified:
    """Labels for unique titles, aligned with the array given."""

    function: np.ndarray
    seniority: np.ndarray
    function_rule: np.ndarray
    seniority_rule: np.ndarray
    normalised: np.ndarray


def classify_unique(titles: pa.Array, rules: TitleRules) -> Classified:
    """Classify an array of distinct, non-missing titles."""
    n = len(titles)
    text = normalise(titles, rules)
    for pattern, repl in rules.cut:
        text = pc.utf8_trim_whitespace(pc.replace_substring_regex(text, pattern, repl))
    lists = pc.split_pattern_regex(text, rules.separators)
    segs = pc.utf8_trim_whitespace(pc.list_flatten(lists))
    parent = pc.list_parent_indices(lists).to_numpy()
    keep = pc.fill_null(pc.not_equal(segs, ""), False).to_numpy(zero_copy_only=False)
    if rules.drop_segments:
        keep &= ~_match(segs, rules.drop_segments, None)
    segs = segs.filter(pa.array(keep))
    parent = parent[keep]

    # function: the first segment that any rule matches, and the first rule matching it
    seg_rule = _first_rule(segs, rules.function)
    claimed = np.flatnonzero(seg_rule >= 0)
    title_fn = np.full(n, -1, dtype=np.int64)
    if len(claimed):
        owners, first = np.unique(parent[claimed], return_index=True)
        title_fn[owners] = seg_rule[claimed[first]]

    # seniority: the first rule matching the whole (cut) title
    counts = np.bincount(parent, minlength=n)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    joined = pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), segs), " | ")
    title_sen = _first_rule(joined, rules.seniority)

    fn_values = np.array([r.value for r in rules.function] + ["Unknown"], dtype=object)
    fn_names = np.array([r.name for r in rules.function] + [NO_FUNCTION_RULE], dtype=object)
    sen_values = np.array([r.value for r in rules.seniority] + ["Unknown"], dtype=object)
    sen_names = np.array([r.name for r in rules.seniority] + [NO_SENIORITY_RULE], dtype=object)
    function = fn_values[title_fn]  # -1 picks the trailing "Unknown"
    function_rule = fn_names[title_fn]
    seniority = sen_values[title_sen]
    seniority_rule = sen_names[title_sen]

    # no seniority word: an individual contributor if a job is named, else Unknown
    unmatched = title_sen < 0
    if unmatched.any():
        named = function != "Unknown"
        if rules.job_nouns:
            named |= _match(joined, rules.job_nouns, None)
        ic = unmatched & named
        seniority[ic] = "Entry"
        seniority_rule[ic] = IC_RULE
    return Classified(
        function=function,
        seniority=seniority,
        function_rule=function_rule,
        seniority_rule=seniority_rule,
        normalised=joined.to_numpy(zero_copy_only=False),
    )


def classify(titles: pd.Series, rules: TitleRules) -> pd.DataFrame:
    """Classify a Series of titles (any index, repeats, missing values) via its unique values."""
    text = titles.astype("str").str.strip()
    text = text.where(text.notna() & (text != ""))
    uniques = pd.unique(text.dropna())
    out = pd.DataFrame(index=titles.index)
    if len(uniques):
        res = classify_unique(pa.array(np.asarray(uniques, dtype=object), type=pa.string()), rules)
        codes = pd.Index(uniques).get_indexer(text)
        known = codes >= 0
        for name in ("function", "seniority", "function_rule", "seniority_rule"):
            values = np.full(len(titles), "Unknown" if "rule" not in name else NO_TITLE, object)
            values[known] = getattr(res, name)[codes[known]]
            out[name] = values
    else:
        out["function"] = "Unknown"
        out["seniority"] = "Unknown"
        out["function_rule"] = NO_TITLE
        out["seniority_rule"] = NO_TITLE
    out["function"] = out["function"].astype(FUNCTION_DTYPE)
    out["seniority"] = out["seniority"].astype(SENIORITY_DTYPE)
    out["function_rule"] = out["function_rule"].astype("str")
    out["seniority_rule"] = out["seniority_rule"].astype("str")
    return out
