"""The scorecard: the return on influence in four numbers, each against the period before.

For a reader who gets the report every Monday and never opens code. Each number is
measured over a period and over the period of the same length just before it:

1. **Relevance**: the share of the network who are buyers (clients, prospects and target
   personas; see :mod:`roi_helpers.relevance`), counting the connections made by the end
   of each period.
2. **Resonance**: the engagement rate of the posts published in the period, by a named
   formula (:func:`roi_helpers.engagement.engagement_rate`), with its interval.
3. **Reach**: impressions per post (reach per post where the exports give no
   impressions), the mean over the period's posts.
4. **Amplification**: shares per post (reposts on X), and, from the reshare cascades of
   the period's posts (:mod:`roi_helpers.virality`), how deep they went and their
   structural virality.

:func:`build_scorecard` returns a :class:`Scorecard`: ``table`` (one row per measure:
value, previous value, change, unit, definition, a one-line reading, what it rests on and
a status), ``series`` (the same numbers for the last few periods, for the small charts of
:mod:`roi_helpers.plots.scorecard`), the ``period`` used and a ``report`` of every row
left out. :func:`scorecard_period` says which period that is when none is given: the
last 28 days of the data (not of the calendar: exports are often weeks old).

Days are UTC days and both ends of a period are included, as in
:func:`roi_helpers.engagement.select_posts`. Nothing here mutates its input.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import engagement as E
from . import relevance as R
from . import virality as V
from .clean import CleaningReport, file_of
from .errors import RoiInputError
from .parsing import parameter_day

__all__ = [
    "MEASURES",
    "METRICS",
    "Period",
    "Scorecard",
    "build_scorecard",
    "describe",
    "describe_change",
    "describe_counts",
    "format_value",
    "headline",
    "key_numbers",
    "scorecard_period",
    "summary_table",
]

#: The four measures, in the order the page shows them.
MEASURES = ("relevance", "resonance", "reach", "amplification")

#: Every row of the scorecard table: metric -> (measure, label, headline).
METRICS: dict[str, tuple[str, str, bool]] = {
    "buyer_share": ("relevance", "Relevance: buyers in the network", True),
    "engagement_rate": ("resonance", "Resonance: engagement rate", True),
    "per_post": ("reach", "Reach: impressions per post", True),
    "shares_per_post": ("amplification", "Amplification: shares per post", True),
    "cascade_depth": ("amplification", "Reshare depth (generations)", False),
    "structural_virality": ("amplification", "Structural virality", False),
}

_DEFAULT_DAYS = 28
_SERIES_COLUMNS = [
    "measure",
    "metric",
    "period",
    "start",
    "end",
    "value",
    "low",
    "high",
    "median",
    "count",
    "n",
    "n_excluded",
    "status",
    "why",
]
_TABLE_COLUMNS = [
    "measure",
    "metric",
    "label",
    "headline",
    "value",
    "previous",
    "change",
    "change_pct",
    "direction",
    "low",
    "high",
    "previous_low",
    "previous_high",
    "median",
    "previous_median",
    "unit",
    "definition",
    "reading",
    "n",
    "n_previous",
    "n_of",
    "status",
    "why",
]


# -- the period ----------------------------------------------------------------------------------
def _span(start: pd.Timestamp, end: pd.Timestamp, year: bool = True) -> str:
    """``4–31 Dec 2025``, ``6 Nov–3 Dec 2025``, ``20 Dec 2024–16 Jan 2025``."""
    y = f" {end.year}" if year else ""
    if start == end:
        return f"{end.day} {end:%b}{y}"
    if start.year != end.year:
        return f"{start.day} {start:%b} {start.year}–{end.day} {end:%b} {end.year}"
    if start.month == end.month:
        return f"{start.day}–{end.day} {end:%b}{y}"
    return f"{start.day} {start:%b}–{end.day} {end:%b}{y}"


def _day_text(day: pd.Timestamp) -> str:
    return f"{day.day} {day:%b %Y}"


@dataclass(frozen=True)
class Period:
    """The period a scorecard covers (both ends included) and the one before it.

    Attributes
    ----------
    start, end : Timestamp or None
        First and last day (naive midnight, UTC days); None only when neither was given
        and the data holds no date at all.
    how : str
        ``given`` (both ends given), ``start given``, ``end given`` or ``default`` (the
        last ``days`` days of the data).
    data_start, data_end : Timestamp or None
        The earliest and latest day in the data (posts, reshare events, connections).

    Examples
    --------
    >>> p = Period(pd.Timestamp("2025-12-04"), pd.Timestamp("2025-12-31"), "given")
    >>> p.days, p.previous_start.date().isoformat(), p.previous_end.date().isoformat()
    (28, '2025-11-06', '2025-12-03')
    """

    start: pd.Timestamp | None
    end: pd.Timestamp | None
    how: str = "given"
    data_start: pd.Timestamp | None = None
    data_end: pd.Timestamp | None = None

    @property
    def known(self) -> bool:
        """True when the period has dates."""
        return self.start is not None and self.end is not None

    @property
    def days(self) -> int:
        """Its length in days (0 when unknown)."""
        return int((self.end - self.start).days) + 1 if self.known else 0

    @property
    def previous_start(self) -> pd.Timestamp | None:
        """First day of the previous period (the same length, just before)."""
        return self.start - pd.Timedelta(days=self.days) if self.known else None

    @property
    def previous_end(self) -> pd.Timestamp | None:
        """Last day of the previous period (the day before ``start``)."""
        return self.start - pd.Timedelta(days=1) if self.known else None

    def bounds(self, n_periods: int = 6) -> pd.DataFrame:
        """The ``n_periods`` periods ending with this one: ``period`` (0 = this one, -1 the
        one before...), ``start``, ``end``."""
        if not self.known:
            return pd.DataFrame({"period": [], "start": [], "end": []})
        k = np.arange(-(n_periods - 1), 1)
        shift = pd.to_timedelta(k * self.days, unit="D")
        return pd.DataFrame(
            {"period": k, "start": self.start + shift, "end": self.end + shift}
        ).astype({"start": "datetime64[us]", "end": "datetime64[us]"})

    @property
    def label(self) -> str:
        """``4–31 Dec 2025``."""
        return _span(self.start, self.end) if self.known else "no period"

    @property
    def previous_label(self) -> str:
        """``6 Nov–3 Dec 2025``."""
        return _span(self.previous_start, self.previous_end) if self.known else "no period"

    def describe(self) -> str:
        """One or two sentences: which period, against which, and why that one."""
        if not self.known:
            return "No period: the data holds no dated post, reshare or connection."
        text = (
            f"**{self.label}** ({self.days} days), compared with the {self.days} days "
            f"before: **{self.previous_label}**."
        )
        if self.how == "default":
            text += (
                f" No dates were given, so this is the last {self.days} days of the data, "
                f"which ends on {_day_text(self.data_end)} (its latest post, reshare or "
                "connection)."
            )
        elif self.how == "start given":
            text += " No end date was given: the period ends with the data's latest day."
        elif self.how == "end given":
            text += (
                f" No start date was given: the period is the {self.days} days up to the end date."
            )
        if self.data_end is not None and self.data_end < self.start:
            text += (
                f" The data ends on {_day_text(self.data_end)}, before this period starts: "
                "export fresh data to cover it."
            )
        elif self.data_end is not None and self.end > self.data_end:
            late = int((self.end - self.data_end).days)
            text += (
                f" The data ends on {_day_text(self.data_end)}: the last {late} day(s) of the "
                "period have no data yet. Export fresh data to cover them."
            )
        return text


def _tables(data: Any) -> dict[str, pd.DataFrame]:
    """The tables the scorecard reads, from a Dataset or a mapping (missing ones empty)."""
    from . import schema

    names = ("posts", "events", "audience", "accounts", "followers", "team")
    if isinstance(data, Mapping):
        unknown = sorted(set(data) - set(schema.TABLES))
        if unknown:
            raise RoiInputError(
                f"unknown table(s) {', '.join(map(repr, unknown))}",
                expected="tables named " + ", ".join(schema.TABLES),
            )
        get = lambda k: data.get(k)  # noqa: E731
    elif hasattr(data, "tables") and hasattr(data, "has"):
        get = lambda k: data.tables.get(k)  # noqa: E731
    else:
        raise RoiInputError(
            f"build_scorecard needs a Dataset or a mapping of tables, not {type(data).__name__}",
            expected="roi_helpers.load_dir(folder), or {'posts': ..., 'audience': ...}",
        )
    out = {}
    for name in names:
        df = get(name)
        if df is not None and not isinstance(df, pd.DataFrame):
            raise RoiInputError(
                f"the {name} table is a {type(df).__name__}, not a DataFrame",
                expected="a canonical table (see roi_helpers.schema)",
            )
        out[name] = schema.empty(name) if df is None else df
    return out


def _need(df: pd.DataFrame, columns: Sequence[str], table: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing and len(df):
        raise RoiInputError(
            f"the {table} table has no column(s) {', '.join(map(repr, missing))}; it has "
            + ", ".join(map(repr, df.columns)),
            path=file_of(df),
            column=missing[0],
            expected=f"the canonical {table} table (see roi_helpers.schema)",
        )


def _utc_day(when: pd.Series) -> pd.Series:
    """UTC calendar day (naive midnight) of timestamps; naive ones are read as UTC."""
    when = pd.to_datetime(when)
    if isinstance(when.dtype, pd.DatetimeTZDtype):
        when = when.dt.tz_convert("UTC").dt.tz_localize(None)
    return when.dt.normalize().astype("datetime64[us]")


def _on_platforms(df: pd.DataFrame, platforms: Sequence[str] | None) -> pd.DataFrame:
    if not platforms or "platform" not in df.columns:
        return df
    return df[df["platform"].isin(list(platforms))]


def _data_days(t: dict[str, pd.DataFrame]) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    days = []
    for table, col in (("posts", "published_at"), ("events", "occurred_at")):
        if col in t[table].columns and len(t[table]):
            days.append(_utc_day(t[table][col]))
    if "connected_on" in t["audience"].columns and len(t["audience"]):
        days.append(pd.to_datetime(t["audience"]["connected_on"]).dt.normalize())
    known = [d.dropna() for d in days if d.notna().any()]
    if not known:
        return None, None
    return min(d.min() for d in known), max(d.max() for d in known)


def scorecard_period(
    data: Any,
    start_date: str | dt.date | None = "",
    end_date: str | dt.date | None = "",
    *,
    default_days: int = _DEFAULT_DAYS,
    platforms: Sequence[str] | None = None,
) -> Period:
    """The period a scorecard covers, from the parameters or, by default, from the data.

    Parameters
    ----------
    data
        A :class:`roi_helpers.Dataset` (``load_dir``) or a mapping of canonical tables
        (``posts``, ``events``, ``audience``...). Not mutated.
    start_date, end_date
        First and last day, both included (ISO dates); ``""`` or None for the default.
        Both empty: the last ``default_days`` days ending on the latest day in the data.
        Only ``start_date``: up to the latest day in the data (or ``default_days`` long
        when the data ends before it). Only ``end_date``: the ``default_days`` days
        ending then.
    default_days
        The length of the default period.
    platforms
        Only these platforms' posts and events count for the latest day (None: all).

    Returns
    -------
    Period
        ``start``, ``end``, ``how``, ``data_start``, ``data_end``; ``previous_start`` and
        ``previous_end`` are the period of the same length just before.

    Raises
    ------
    RoiInputError
        A date that is not ISO, a period that ends before it starts, or
        ``default_days`` below 1.

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"published_at": pd.to_datetime(["2025-03-01 10:00", "2025-12-31 23:00"], utc=True)})
    >>> p = scorecard_period({"posts": posts})
    >>> p.label, p.previous_label, p.how
    ('4–31 Dec 2025', '6 Nov–3 Dec 2025', 'default')
    """
    if int(default_days) < 1:
        raise RoiInputError(f"default_days = {default_days} is too short", expected="1 day or more")
    t = _tables(data)
    t["posts"] = _on_platforms(t["posts"], platforms)
    t["events"] = _on_platforms(t["events"], platforms)
    first, last = _data_days(t)
    start = parameter_day(start_date, "start_date")
    end = parameter_day(end_date, "end_date")
    length = pd.Timedelta(days=int(default_days) - 1)
    if start is not None and end is not None:
        how = "given"
    elif start is not None:
        how = "start given"
        end = last if last is not None and last >= start else start + length
    elif end is not None:
        how, start = "end given", end - length
    elif last is not None:
        how, end, start = "default", last, last - length
    else:
        return Period(None, None, "default", None, None)
    if start > end:
        raise RoiInputError(
            f"the period ends ({end.date()}) before it starts ({start.date()})",
            column="end_date",
            expected="end_date on or after start_date",
        )
    return Period(start, end, how, first, last)


# -- computing each measure ------------------------------------------------------------------------
def _outside(days: pd.Series, bounds: pd.DataFrame, what: str, verb: str) -> np.ndarray:
    """Why a measure has no data in this period (``period`` 0 of ``bounds``) when every
    dated row of its table (``days``, one per row) falls before it or after it; ``""`` for
    the other periods and otherwise.

    The sentence gives the table's last (or first) day, and a period of the same length
    that the table covers as the ``roi report`` options and notebook parameters to set.
    """
    known = days.dropna()
    out = np.full(len(bounds), "", dtype=object)
    if known.empty or not len(bounds):
        return out
    first, last = pd.Timestamp(known.min()), pd.Timestamp(known.max())
    length = pd.Timedelta(days=int((bounds["end"].iloc[-1] - bounds["start"].iloc[-1]).days))
    if len(known) == 1:
        who = f"the one {what.removesuffix('s')} loaded {verb.replace('were ', 'was ')}"
    else:
        who = f"all {len(known):,} {what} loaded {verb}"

    def advice(lo: pd.Timestamp, hi: pd.Timestamp) -> str:
        return (
            f"to score {'it' if len(known) == 1 else 'them'}, run roi report with --since {lo.date()} --until {hi.date()} "
            "(or set start_date and end_date)"
        )

    current = (bounds["period"] == 0).to_numpy()  # earlier periods: a gap, not a mistake
    earlier = (last < bounds["start"]).to_numpy() & current
    later = (first > bounds["end"]).to_numpy() & current
    out[earlier] = f"{who} before this period, the latest on {_day_text(last)}; " + advice(
        last - length, last
    )
    out[later] = f"{who} after this period, the first on {_day_text(first)}; " + advice(
        first, first + length
    )
    return out


def _period_of(days: pd.Series, period: Period, n_periods: int) -> pd.Series:
    """Which period each day falls in: 0 = this one, -1 the one before... (NA outside)."""
    k = np.floor((days - period.start) / pd.Timedelta(days=period.days))
    inside = (k <= 0) & (k > -n_periods)
    return pd.Series(k.where(inside), index=days.index).astype("Int64")


def _blank(bounds: pd.DataFrame, metric: str) -> pd.DataFrame:
    out = bounds.copy()
    out.insert(0, "metric", metric)
    out.insert(0, "measure", METRICS[metric][0])
    for col in ("value", "low", "high", "median", "count"):
        out[col] = np.nan
    out["n"] = 0
    out["n_excluded"] = 0
    out["status"] = "no data"
    out["why"] = ""
    return out


def _statuses(
    series: pd.DataFrame, minimum: int, empty: str, few: str, absent: str = ""
) -> pd.DataFrame:
    """Fill ``status``/``why`` per period from ``n``; ``absent`` overrides everything."""
    out = series.copy()
    n = out["n"].to_numpy()
    out["status"] = np.where(n == 0, "no data", np.where(n < minimum, "not enough data", "ok"))
    out["why"] = np.where(n == 0, empty, np.where(n < minimum, few, ""))
    if absent:
        out["status"], out["why"] = "no data", absent
    return out


@dataclass
class _Options:
    preset: str | None
    target_functions: Sequence[str]
    min_seniority: str
    owner_function: str | None
    owner_company: str | None
    reach_column: str | None
    min_posts: int
    min_connections: int
    ci: float | None
    n_boot: int
    seed: int | None


def _relevance(
    t: dict[str, pd.DataFrame], bounds: pd.DataFrame, o: _Options, report: CleaningReport
) -> tuple[pd.DataFrame, dict[str, Any]]:
    out = _blank(bounds, "buyer_share")
    audience = t["audience"]
    info: dict[str, Any] = {"members": [], "definition": "", "crm": False}
    if audience.empty:
        why = "no LinkedIn connections export in this folder"
        return _statuses(out, o.min_connections, "", "", why), info
    _need(audience, ["account"], "audience")
    if "connected_on" not in audience.columns:
        why = "the connections exports do not say when each connection was made"
        return _statuses(out, o.min_connections, "", "", why), info
    accounts = None
    if len(t["accounts"]):
        try:
            accounts = R.prepare_accounts(t["accounts"], report, conflicts="set aside")
        except RoiInputError as exc:
            report.note(
                file_of(t["accounts"]),
                rule="CRM not used",
                reason=f"the CRM account list could not be used ({exc}); buyers are target "
                "personas only",
                action="flagged",
            )
        accounts = accounts if accounts is not None and len(accounts) else None
    team = t["team"] if len(t["team"]) else None
    rel = R.add_relationship(
        audience,
        accounts,
        o.owner_company or None,
        o.owner_function or None,
        infer_owner_function=True,
        report=report,
        team=team,
    )
    summary = R.relevance_summary(rel, o.target_functions, o.min_seniority)
    info = {
        "members": sorted(rel["account"].astype(str).unique()),
        "definition": str(summary["buyer_definition"].iloc[0]),
        "crm": accounts is not None,
    }
    undated = int(rel["connected_on"].isna().sum())
    if undated == len(rel):
        report.record_rows(
            rel[rel["connected_on"].isna()],
            rule="no connection date",
            column="connected_on",
            reason="left out of the scorecard's relevance: no date the connection was made",
        )
        why = "no connection in the exports has a date it was made"
        return _statuses(out, o.min_connections, "", "", why), info
    # buyers and connections per day, pooled over the team: then counts up to each period's end
    trend = R.relevance_trend(rel, o.target_functions, o.min_seniority, freq="D", report=report)
    team = R.TEAM if (trend["account"] == R.TEAM).any() else trend["account"].iloc[0]
    daily = trend[trend["account"] == team].sort_values("period")
    day = daily["period"].to_numpy(dtype="datetime64[us]")
    cum_n = np.concatenate([[0], daily["connections"].astype("int64").cumsum().to_numpy()])
    cum_b = np.concatenate([[0], daily["buyers"].astype("int64").cumsum().to_numpy()])
    upto = np.searchsorted(day, out["end"].to_numpy(dtype="datetime64[us]"), side="right")
    n, buyers = cum_n[upto], cum_b[upto]
    out["n"] = n
    out["count"] = buyers.astype(float)
    out["value"] = np.divide(buyers, n, out=np.full(len(n), np.nan), where=n > 0)
    out["n_excluded"] = undated
    out = _statuses(
        out,
        o.min_connections,
        "no connection had been made by the end of this period",
        f"fewer than {o.min_connections} connections",
    )
    later = _outside(
        pd.to_datetime(rel["connected_on"]).dt.normalize(), bounds, "connections", "were made"
    )
    out["why"] = np.where((out["n"] == 0) & (later != ""), later, out["why"])
    return out, info


def _posts_in(
    t: dict[str, pd.DataFrame], period: Period, n_periods: int, report: CleaningReport
) -> pd.DataFrame:
    """The posts of the last ``n_periods`` periods, with their ``_period``."""
    posts = t["posts"]
    if posts.empty:
        return posts.assign(_period=pd.Series(dtype="Int64"))
    _need(posts, ["published_at"], "posts")
    when = posts["published_at"]
    if not isinstance(pd.to_datetime(when).dtype, pd.DatetimeTZDtype):
        report.note(
            file_of(posts),
            rule="no time zone",
            reason="published_at has no time zone: read as UTC for the scorecard's periods",
        )
    day = _utc_day(when)
    report.record_rows(
        posts[day.isna()],
        rule="no publication date",
        column="published_at",
        reason="left out of the scorecard: a post without a date is in no period",
    )
    k = _period_of(day, period, n_periods)
    return posts[k.notna()].assign(_period=k[k.notna()])


def _resonance(
    t: dict[str, pd.DataFrame],
    posts: pd.DataFrame,
    bounds: pd.DataFrame,
    o: _Options,
    report: CleaningReport,
) -> tuple[pd.DataFrame, E.Formula]:
    formula = E.formula_for(o.preset)
    out = _blank(bounds, "engagement_rate")
    if t["posts"].empty:
        return _statuses(out, o.min_posts, "", "", "no posts in this folder"), formula
    frame = posts
    if formula.denominator == "followers" and len(t["followers"]) and len(posts):
        frame = E.add_followers_at_post(posts, t["followers"])
    try:
        rates = E.engagement_rate(
            frame,
            preset=formula.preset if formula.preset != "custom" else None,
            by="_period",
            ci=o.ci,
            n_boot=o.n_boot,
            seed=o.seed,
            report=report,
        )
    except RoiInputError as exc:
        return _statuses(out, o.min_posts, "", "", exc.reason), formula
    rates = rates.set_index(rates["_period"].astype("int64"))
    at = out["period"].to_numpy()
    for src, dst in (("rate", "value"), ("low", "low"), ("high", "high")):
        out[dst] = rates[src].reindex(at).to_numpy(dtype=float)
    out["n"] = rates["n_posts"].reindex(at).fillna(0).to_numpy(dtype="int64")
    out["n_excluded"] = rates["n_excluded"].reindex(at).fillna(0).to_numpy(dtype="int64")
    published = posts.groupby("_period").size().reindex(at, fill_value=0).to_numpy()
    why_empty = np.where(
        published == 0,
        _no_posts(t, bounds),
        f"no post in this period has a known {formula.denominator} (and counts)",
    )
    out = _statuses(out, o.min_posts, "", f"fewer than {o.min_posts} posts with a rate")
    out["why"] = np.where(out["n"] == 0, why_empty, out["why"])
    return out, formula


def _per_post(
    t: dict[str, pd.DataFrame],
    posts: pd.DataFrame,
    bounds: pd.DataFrame,
    metric: str,
    column: str | None,
    o: _Options,
    report: CleaningReport,
) -> pd.DataFrame:
    """Mean (and median) of a count per post, per period; unknown counts left out."""
    out = _blank(bounds, metric)
    if t["posts"].empty:
        return _statuses(out, o.min_posts, "", "", "no posts in this folder")
    if column is None or column not in posts.columns:
        what = "impressions or reach" if metric == "per_post" else "shares"
        return _statuses(out, o.min_posts, "", "", f"the posts exports give no {what}")
    values = pd.to_numeric(posts[column], errors="coerce").astype("Float64")
    unknown = values.isna()
    report.record_rows(
        posts[unknown],
        rule=f"unknown {column}",
        column=column,
        reason=f"left out of the scorecard's {column} per post: the export does not give it "
        "(never read as 0)",
    )
    known = pd.DataFrame({"k": posts["_period"], "v": values.astype(float)})[~unknown]
    g = known.groupby("k")["v"]
    at = out["period"].to_numpy()
    out["value"] = g.mean().reindex(at).to_numpy(dtype=float)
    out["median"] = g.median().reindex(at).to_numpy(dtype=float)
    out["count"] = g.sum().reindex(at).to_numpy(dtype=float)
    out["n"] = g.size().reindex(at, fill_value=0).to_numpy(dtype="int64")
    missing = unknown.groupby(posts["_period"]).sum()
    out["n_excluded"] = missing.reindex(at, fill_value=0).to_numpy(dtype="int64")
    published = posts.groupby("_period").size().reindex(at, fill_value=0).to_numpy()
    out = _statuses(out, o.min_posts, "", f"fewer than {o.min_posts} posts")
    out["why"] = np.where(
        out["n"] == 0,
        np.where(
            published == 0,
            _no_posts(t, bounds),
            f"no post in this period has a known {column}",
        ),
        out["why"],
    )
    return out


def _no_posts(t: dict[str, pd.DataFrame], bounds: pd.DataFrame) -> np.ndarray:
    """Why a period has no posts: all of them earlier or later (said with their dates),
    or simply none published then."""
    outside = _outside(_utc_day(t["posts"]["published_at"]), bounds, "posts", "were published")
    return np.where(outside != "", outside, "no posts published in this period")


def _reach_column(every: pd.DataFrame, window: pd.DataFrame, asked: str | None) -> str:
    """The count reach is measured by: the one asked for, else impressions where known."""
    if asked:
        return asked
    for frame in (window, every):
        for col in ("impressions", "reach"):
            if col in frame.columns and frame[col].notna().any():
                return col
    return "impressions"


def _cascades(
    t: dict[str, pd.DataFrame],
    period: Period,
    bounds: pd.DataFrame,
    n_periods: int,
    o: _Options,
    report: CleaningReport,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    depth, virality = _blank(bounds, "cascade_depth"), _blank(bounds, "structural_virality")
    events = t["events"]
    info: dict[str, Any] = {"events_from": None, "events_to": None}
    shares = events[events["action"].isin(["post", "share"])] if "action" in events else events
    if shares.empty:
        why = "no reshare events in this folder"
        return (
            _statuses(depth, o.min_posts, "", "", why),
            _statuses(virality, o.min_posts, "", "", why),
            info,
        )
    cascades = V.build_cascades(events)
    m = V.cascade_metrics(cascades)
    started = _utc_day(m["started_at"])
    posts = t["posts"]
    if started.isna().any() and len(posts):
        # a cascade without its post event: date it by the posts table
        key = posts["platform"].astype(str) + "|" + posts["post_id"].astype(str)
        published = pd.Series(_utc_day(posts["published_at"]).to_numpy(), index=key)
        published = published[~published.index.duplicated()]
        mkey = m["platform"].astype(str) + "|" + m["post_id"].astype(str)
        started = started.fillna(pd.Series(mkey.map(published).to_numpy(), index=m.index))
    if started.isna().any():
        undated = m[started.isna()]
        report.record(
            "events",
            None,
            rule="cascade without a date",
            action="flagged",
            reason=f"{len(undated)} cascade(s) (posts "
            + ", ".join(undated["post_id"].astype(str).head(5))
            + (" ..." if len(undated) > 5 else "")
            + ") have no publication date: left out of the scorecard's reshare trees",
        )
    info["events_from"], info["events_to"] = started.min(), started.max()
    k = _period_of(started, period, n_periods)
    info["cascades"], info["cascades_counted"] = len(m), int(k.notna().sum())
    m = m.assign(_period=k)[k.notna()]
    reshared = m[m["size"] >= 2]
    at = depth["period"].to_numpy()
    total = m.groupby("_period").size().reindex(at, fill_value=0).to_numpy()
    for out, col in ((depth, "depth"), (virality, "structural_virality")):
        g = reshared.groupby("_period")[col]
        out["value"] = g.mean().reindex(at).to_numpy(dtype=float)
        out["median"] = g.median().reindex(at).to_numpy(dtype=float)
        out["n"] = g.size().reindex(at, fill_value=0).to_numpy(dtype="int64")
        out["count"] = total.astype(float)
        out["n_excluded"] = total - out["n"].to_numpy()
    span = (
        f"reshare events cover posts of {_span(info['events_from'], info['events_to'])}"
        if pd.notna(info["events_from"])
        else "no reshare event has a date"
    )
    outside = _outside(started, bounds, "reshare trees", "started")
    why_empty = np.where(
        total == 0,
        np.where(
            outside != "", outside, f"no reshare data for posts published in this period ({span})"
        ),
        "none of this period's posts was reshared",
    )
    few = f"fewer than {o.min_posts} reshared posts"
    depth = _statuses(depth, o.min_posts, "", few)
    virality = _statuses(virality, o.min_posts, "", few)
    for out in (depth, virality):
        out["why"] = np.where(out["n"] == 0, why_empty, out["why"])
    return depth, virality, info


# -- the table and its sentences -------------------------------------------------------------------
def _is_share(unit: str) -> bool:
    return unit in ("share of connections", "fraction")


def format_value(value: float | None, unit: str) -> str:
    """A scorecard value as the page shows it.

    Parameters
    ----------
    value
        The value (None or NaN: unknown).
    unit
        Its unit, as the ``unit`` column of ``Scorecard.table`` says: ``share of
        connections`` and ``fraction`` are shown as percentages (two decimals below 10%
        for a rate), ``per 1,000 ...`` with one decimal, depths and structural virality
        with two, other counts per post with 0 to 2 decimals as their size calls for.

    Returns
    -------
    str
        The text; ``"–"`` when unknown.

    Examples
    --------
    >>> format_value(0.1823, "share of connections"), format_value(0.0136, "fraction")
    ('18.2%', '1.36%')
    >>> format_value(3984.19, "impressions per post"), format_value(1.74, "shares per post")
    ('3,984', '1.74')
    >>> format_value(float("nan"), "generations")
    '–'
    """
    if value is None or pd.isna(value):
        return "–"
    if _is_share(unit):
        return f"{value:.1%}" if unit != "fraction" or value >= 0.1 else f"{value:.2%}"
    if unit.startswith("per 1,000"):
        return f"{value:,.1f}"
    if unit in ("generations", "steps between two people"):
        return f"{value:.2f}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


_fmt = format_value


def describe_change(
    value: float | None, previous: float | None, unit: str, same_within: float = 0.01
) -> tuple[str, str]:
    """The change from ``previous`` to ``value`` in words, and its direction.

    Parameters
    ----------
    value, previous
        This period's and the previous period's values (None or NaN: unknown).
    unit
        The values' unit (see :func:`format_value`): shares and rates change by
        percentage *points*, other values by a percentage of the previous value.
    same_within
        A change of at most this fraction of the previous value is "about the same".

    Returns
    -------
    (str, str)
        The text (``"up 1.50 points"``, ``"down 12%"``, ``"about the same"``, or ``""``
        when either value is unknown) and the direction (``up``, ``down``, ``same`` or
        ``""``).

    Examples
    --------
    >>> describe_change(0.0136, 0.0120, "fraction")
    ('up 0.16 points', 'up')
    >>> describe_change(2584.0, 3984.0, "impressions per post")
    ('down 35%', 'down')
    >>> describe_change(0.1623, 0.1619, "share of connections")
    ('about the same', 'same')
    """
    if value is None or previous is None or pd.isna(value) or pd.isna(previous):
        return "", ""
    change = float(value) - float(previous)
    if change == 0 or abs(change) <= same_within * abs(float(previous)):
        return "about the same", "same"
    direction = "up" if change > 0 else "down"
    if _is_share(unit):
        small = unit == "fraction" and max(abs(value), abs(previous)) < 0.1
        size = f"{abs(change) * 100:.{2 if small else 1}f} points"
    elif previous != 0:
        size = f"{abs(change / float(previous)):.0%}"
    else:
        size = format_value(abs(change), unit)
    return f"{direction} {size}", direction


def _change_text(r: Mapping[str, Any]) -> str:
    """The change of a table row in words (its direction as the table says)."""
    if r["direction"] == "same":
        return "about the same"
    if r["direction"] not in ("up", "down"):
        return ""
    return describe_change(r["value"], r["previous"], r["unit"], same_within=0.0)[0]


def _compare(r: Mapping[str, Any], days: int, before: str) -> str:
    """The second half of a reading: against the previous period."""
    prev = _fmt(r["previous"], r["unit"])
    if pd.isna(r["previous"]):
        return f"nothing to compare with in the previous {days} days ({r['_why_previous']})"
    thin = ""
    if r["_previous_status"] == "not enough data":
        thin = f" (only {int(r['n_previous']):,} {r['n_of']} then: too few to compare)"
    if r["direction"] == "same":
        return f"about the same as {prev} {before}{thin}"
    return f"{_change_text(r)} from {prev} {before}{thin}"


_NO_DATA = {
    "buyer_share": "Relevance cannot be measured",
    "engagement_rate": "No engagement rate",
    "per_post": "No reach per post",
    "shares_per_post": "No shares per post",
    "cascade_depth": "No reshare trees",
    "structural_virality": "No structural virality",
}


def _reading(r: Mapping[str, Any], period: Period, extra: Mapping[str, Any]) -> str:
    """The one-line reading of a table row."""
    metric, unit, n, days = r["metric"], r["unit"], int(r["n"]), period.days
    v = _fmt(r["value"], unit)
    if r["status"] == "no data":
        return f"{_NO_DATA[metric]}: {r['why']}."
    few = (
        f" Too few to read much into (at least {r['_minimum']} needed)."
        if r["status"] == "not enough data"
        else ""
    )
    if metric == "buyer_share":
        whose = "the team's network" if extra["team"] else "the network"
        text = (
            f"{v} of {whose} are buyers ({int(r['_count']):,} of {n:,} connections made by "
            f"{_day_text(period.end)}), "
            + _compare(r, days, f"on {_day_text(period.previous_end)}")
            + "."
        )
        new = n - int(r["n_previous"])
        made = (
            f"{new:,} connection{'s were' if new != 1 else ' was'}" if new else "No connection was"
        )
        text += f" {made} made in the period."
        if period.data_end is not None and period.end > period.data_end:
            text += (
                f" The exports end on {_day_text(period.data_end)}: connections made since "
                "are not in them."
            )
    elif metric == "engagement_rate":
        f: E.Formula = extra["formula"]
        agg = {"median": "Median", "mean": "Mean", "pooled": "Overall"}[f.aggregate]
        per = {"impressions": "per impression", "reach": "per person reached"}.get(
            f.denominator, f"per {f.denominator.rstrip('s')}"
        )
        interval = (
            f", {r['_level']:.0%} interval {_fmt(r['low'], unit)} to {_fmt(r['high'], unit)}"
            if pd.notna(r["low"])
            else ""
        )
        text = (
            f"{agg} engagement rate {per} {v} over {n:,} post{'s' if n != 1 else ''}"
            f"{interval}; " + _compare(r, days, f"in the previous {days} days") + "."
        )
        if pd.notna(r["low"]) and pd.notna(r["previous_low"]) and r["direction"] != "same":
            overlap = r["low"] <= r["previous_high"] and r["previous_low"] <= r["high"]
            text += (
                " The two intervals overlap: the change may be chance."
                if overlap
                else " The two intervals do not overlap: a real change."
            )
    elif metric == "per_post":
        word = extra["reach_column"]
        text = (
            f"{v} {word} per post on average over {n:,} post{'s' if n != 1 else ''} (median "
            f"{_fmt(r['median'], unit)}), "
            + _compare(r, days, f"in the previous {days} days")
            + "."
        )
    elif metric == "shares_per_post":
        text = (
            f"{v} shares per post on average over {n:,} post{'s' if n != 1 else ''} "
            f"(median {_fmt(r['median'], unit)}; {int(r['_count']):,} in all), "
            + _compare(r, days, f"in the previous {days} days")
            + "."
        )
    elif metric == "cascade_depth":
        total = int(r["_count"])
        text = (
            f"Of {total:,} post{'s' if total != 1 else ''} with reshare data, {n:,} "
            f"{'were' if n != 1 else 'was'} reshared; their reshare trees went {v} "
            f"generations deep on average (median {_fmt(r['median'], unit)}), "
            + _compare(r, days, f"in the previous {days} days")
            + "."
        )
    else:
        text = (
            f"Structural virality {v} on average over {n:,} reshared post"
            f"{'s' if n != 1 else ''} (median {_fmt(r['median'], unit)}; about 2 for a "
            "broadcast, higher when people reshare from each other), "
            + _compare(r, days, f"in the previous {days} days")
            + "."
        )
    return text[0].upper() + text[1:] + few


def _definitions(formula: E.Formula, reach_column: str, buyers: str) -> dict[str, str]:
    return {
        "buyer_share": "buyers / connections made by the end of the period; buyers are "
        + (buyers or "clients, prospects and target personas"),
        "engagement_rate": f"engagement rate = {formula.describe()} ("
        + ("the kit's default formula" if formula.preset == "custom" else formula.source)
        + ")",
        "per_post": f"mean over posts of {reach_column} (posts whose {reach_column} is "
        "unknown are left out)",
        "shares_per_post": "mean over posts of shares (reposts on X; retweets in older X exports)",
        "cascade_depth": "mean over the period's reshared posts of the depth of their "
        "reshare tree: the most reshares between the original post and anyone in it",
        "structural_virality": "mean over the period's reshared posts of the mean distance "
        "between two people in their reshare tree (Goel et al. 2016)",
    }


_UNITS = {
    "buyer_share": "share of connections",
    "shares_per_post": "shares per post",
    "cascade_depth": "generations",
    "structural_virality": "steps between two people",
}
_N_OF = {
    "buyer_share": "connections",
    "engagement_rate": "posts",
    "per_post": "posts",
    "shares_per_post": "posts",
    "cascade_depth": "reshared posts",
    "structural_virality": "reshared posts",
}


def _table(
    series: pd.DataFrame,
    period: Period,
    formula: E.Formula,
    reach_column: str,
    extra: Mapping[str, Any],
    same_within: float,
    minimums: Mapping[str, int],
    ci: float | None,
) -> pd.DataFrame:
    cur = series[series["period"] == 0].set_index("metric")
    prev = series[series["period"] == -1].set_index("metric")
    units = _UNITS | {"engagement_rate": formula.unit, "per_post": f"{reach_column} per post"}
    defs = _definitions(formula, reach_column, extra.get("buyers", ""))
    rows = []
    for metric, (measure, label, headline) in METRICS.items():
        c, p = cur.loc[metric], prev.loc[metric]
        value = c["value"] if c["status"] != "no data" else math.nan
        previous = p["value"] if p["status"] != "no data" else math.nan
        change = value - previous
        change_pct = change / previous if previous not in (0,) and pd.notna(previous) else math.nan
        _, direction = describe_change(value, previous, "", same_within)
        if metric == "per_post":
            label = f"Reach: {reach_column} per post"
        rows.append(
            {
                "measure": measure,
                "metric": metric,
                "label": label,
                "headline": headline,
                "value": value,
                "previous": previous,
                "change": change,
                "change_pct": change_pct,
                "direction": direction,
                "low": c["low"],
                "high": c["high"],
                "previous_low": p["low"],
                "previous_high": p["high"],
                "median": c["median"],
                "previous_median": p["median"],
                "unit": units[metric],
                "definition": defs[metric],
                "n": int(c["n"]),
                "n_previous": int(p["n"]),
                "n_of": _N_OF[metric],
                "status": c["status"],
                "why": c["why"],
                "_count": c["count"],
                "_why_previous": p["why"] or "no data",
                "_previous_status": p["status"],
                "_minimum": minimums[metric],
                "_level": ci or 0.95,
            }
        )
    table = pd.DataFrame(rows)
    context = dict(extra) | {"formula": formula, "reach_column": reach_column}
    table["reading"] = [_reading(r, period, context) for r in table.to_dict("records")]
    return table[_TABLE_COLUMNS]


# -- the result -----------------------------------------------------------------------------------
@dataclass
class Scorecard:
    """The four numbers, the series behind their charts, the period and what was left out.

    Attributes
    ----------
    table : DataFrame
        One row per metric (the four headline ones first, then the reshare trees'):

        ``measure``, ``metric``, ``label``, ``headline``
            Relevance / resonance / reach / amplification; the metric (``buyer_share``,
            ``engagement_rate``, ``per_post``, ``shares_per_post``, ``cascade_depth``,
            ``structural_virality``); its name for people; True for the four headline
            numbers.
        ``value``, ``previous``
            This period's value and the previous period's (NaN with no data).
        ``change``, ``change_pct``
            ``value - previous`` and ``value / previous - 1`` (NaN when unknown).
        ``direction``
            ``up``, ``down``, ``same`` (within ``same_within`` of the previous value) or
            ``""`` (no comparison).
        ``low``, ``high``, ``previous_low``, ``previous_high``
            The interval of each value (the engagement rate's; NaN for the others).
        ``median``, ``previous_median``
            The median per post or per cascade, beside a mean (NaN for the others).
        ``unit``, ``definition``
            What one unit is; the definition in words (the engagement rate's formula).
        ``reading``
            The sentence for the page.
        ``n``, ``n_previous``, ``n_of``
            What each value rests on: how many connections, posts or reshared posts.
        ``status``, ``why``
            ``ok``, ``not enough data`` or ``no data``, and why when not ok.
    series : DataFrame
        One row per metric and period (``period`` 0 = this one, -1 the one before...):
        ``measure``, ``metric``, ``period``, ``start``, ``end``, ``value``, ``low``,
        ``high``, ``median``, ``count`` (buyers; total impressions or shares; posts with
        reshare data), ``n``, ``n_excluded`` (connections without a date; posts whose
        count is unknown; posts with reshare data never reshared), ``status``, ``why``;
        and the metric's ``label``, ``unit`` and ``definition``, as in ``table``.
    period : Period
    report : CleaningReport
        Every row left out, and why.
    formula : Formula
        The engagement rate's formula.
    members : list of str
        Whose networks were counted (account names: pseudonymise before showing).
    counts : dict
        What the numbers rest on, out of what was loaded: ``posts`` (loaded, on the
        platforms chosen), ``posts_counted`` (published in the periods charted),
        ``posts_earlier``, ``posts_later`` (published before or after them),
        ``posts_undated``; ``cascades``, ``cascades_counted`` (reshare trees, and those
        started in the periods charted); ``connections``, ``connections_counted`` (made by
        the period's end), ``connections_undated``. See :func:`describe_counts`.
    """

    table: pd.DataFrame
    series: pd.DataFrame
    period: Period
    report: CleaningReport
    formula: E.Formula
    members: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def nothing(self) -> str:
        """Why there is nothing to show at all, or ``""`` when some measure has data."""
        if not self.period.known:
            return "no dated post, reshare or connection in this folder"
        if (self.table["status"] == "no data").all():
            return f"none of the four measures has data for {self.period.label}: " + "; ".join(
                dict.fromkeys(self.table["why"])
            )
        return ""

    def save_report(self, path: str | Path, show_names: bool = False) -> Path:
        """Write the report's entries to CSV, network owners' names pseudonymised unless
        ``show_names`` (their folders name them)."""
        from .clean import safe_for_spreadsheet
        from .privacy import pseudonym

        entries = self.report.to_frame()
        if not show_names and self.members:
            names = sorted(self.members, key=len, reverse=True)
            codes = pseudonym(pd.Series(names))
            for col in ("file", "reason"):
                text = entries[col].astype("str")
                for name, code in zip(names, codes, strict=True):  # a handful of owners
                    text = text.str.replace(name, code, regex=False)
                entries[col] = text.where(entries[col].notna())
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        safe_for_spreadsheet(entries).to_csv(path, index=False)
        return path


def build_scorecard(
    data: Any,
    start_date: str | dt.date | None = "",
    end_date: str | dt.date | None = "",
    *,
    preset: str | None = None,
    platforms: Sequence[str] | None = None,
    target_functions: Sequence[str] | str = (),
    min_seniority: str = "Manager",
    owner_function: str | None = None,
    owner_company: str | None = None,
    reach_column: str | None = None,
    default_days: int = _DEFAULT_DAYS,
    n_periods: int = 6,
    min_posts: int = 3,
    min_connections: int = 10,
    same_within: float = 0.01,
    ci: float | None = 0.95,
    n_boot: int = 2000,
    seed: int | None = 0,
) -> Scorecard:
    """The return on influence in four numbers, each against the previous period.

    Parameters
    ----------
    data
        A :class:`roi_helpers.Dataset` (``load_dir``) or a mapping of canonical tables:
        ``posts``, ``events``, ``audience``, ``accounts`` (the CRM), ``followers`` (used
        only by a formula per follower). Missing tables count as empty. Not mutated.
    start_date, end_date
        The period, both days included (see :func:`scorecard_period`); ``""``: the last
        ``default_days`` days of the data.
    preset
        The engagement rate's formula: one of :data:`roi_helpers.engagement.PRESETS`, or
        None/``""`` for the kit's default (median over posts of (likes + comments +
        shares) / impressions).
    platforms
        Only these platforms' posts and reshares (None or empty: all). Connections are
        counted whatever the platform.
    target_functions, min_seniority, owner_function, owner_company
        Who counts as a buyer, as in notebook 01 (see
        :func:`roi_helpers.relevance.relevance_summary` and
        :func:`~roi_helpers.relevance.add_relationship`): the functions you sell to, the
        lowest seniority of a target persona, the owner's own function (empty: guessed)
        and company (its people are colleagues, never buyers).
    reach_column
        ``"impressions"`` or ``"reach"``; None/``""``: impressions where the posts give
        them, else reach.
    default_days
        Length of the period when no start date is given.
    n_periods
        Periods in ``series`` (this one and those before it), for the charts.
    min_posts, min_connections
        Fewer posts (reshared posts) or connections than this: ``not enough data``.
    same_within
        A change smaller than this fraction of the previous value reads as "about the
        same".
    ci, n_boot, seed
        The engagement rate's interval (see :func:`roi_helpers.engagement.engagement_rate`).

    Returns
    -------
    Scorecard
        ``table``, ``series`` (columns described in :class:`Scorecard`), ``period``,
        ``report``, ``formula``, ``members``.

    Raises
    ------
    RoiInputError
        A date that is not ISO or a period that ends before it starts; an unknown preset
        or reach column; a table that is not a canonical one (a required column missing).

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"post_id": ["a", "b", "c", "d"], "platform": "x",
    ...     "published_at": pd.to_datetime(["2025-01-02", "2025-01-03", "2025-01-09",
    ...                                     "2025-01-10"], utc=True),
    ...     "impressions": [100, 300, 200, 200], "likes": [1, 3, 4, 6], "comments": 0,
    ...     "shares": [0, 2, 1, 1]})
    >>> card = build_scorecard({"posts": posts}, "2025-01-08", "2025-01-14", min_posts=1, ci=None)
    >>> t = card.table.set_index("metric")
    >>> t.loc["per_post", ["value", "previous"]].tolist()
    [200.0, 200.0]
    >>> [round(float(v), 4) for v in t.loc["engagement_rate", ["value", "previous"]]]
    [0.03, 0.0133]
    >>> t.loc["engagement_rate", "direction"]
    'up'
    >>> t.loc["buyer_share", "status"]
    'no data'
    """
    if n_periods < 2:
        raise RoiInputError(
            f"n_periods = {n_periods}: the scorecard compares two periods at least",
            column="n_periods",
            expected="2 or more",
        )
    try:
        formula = E.formula_for(preset or None)
    except ValueError as exc:
        raise RoiInputError(
            str(exc), column="preset", expected="one of " + ", ".join(E.PRESETS)
        ) from None
    if reach_column not in (None, "", "impressions", "reach"):
        raise RoiInputError(
            f"reach_column = {reach_column!r}",
            column="reach_column",
            expected="impressions, reach or empty (impressions where given)",
        )
    t = _tables(data)
    t["posts"] = _on_platforms(t["posts"], platforms)
    t["events"] = _on_platforms(t["events"], platforms)
    period = scorecard_period(t, start_date, end_date, default_days=default_days)
    o = _Options(
        formula.preset if formula.preset != "custom" else None,
        target_functions,
        min_seniority,
        owner_function or None,
        owner_company or None,
        reach_column or None,
        int(min_posts),
        int(min_connections),
        ci,
        n_boot,
        seed,
    )
    report = CleaningReport()
    if not period.known:
        period_for_bounds = Period(pd.Timestamp("2000-01-01"), pd.Timestamp("2000-01-01"))
        bounds = period_for_bounds.bounds(n_periods)
    else:
        bounds = period.bounds(n_periods)
    posts = (
        _posts_in(t, period, n_periods, report)
        if period.known
        else t["posts"].iloc[:0].assign(_period=pd.Series(dtype="Int64"))
    )
    column = _reach_column(t["posts"], posts, reach_column or None)
    minimums = {m: min_posts for m in METRICS} | {"buyer_share": min_connections}
    if not period.known:
        parts = [
            _statuses(_blank(bounds, m), 1, "", "", "no dated post, reshare or connection")
            for m in METRICS
        ]
        info: dict[str, Any] = {"members": [], "definition": ""}
        spread: dict[str, Any] = {}
    else:
        relevance, info = _relevance(t, bounds, o, report)
        resonance, formula = _resonance(t, posts, bounds, o, report)
        reach = _per_post(t, posts, bounds, "per_post", column, o, report)
        shares = _per_post(t, posts, bounds, "shares_per_post", "shares", o, report)
        depth, virality, spread = _cascades(t, period, bounds, n_periods, o, report)
        parts = [relevance, resonance, reach, shares, depth, virality]
    series = pd.concat(parts, ignore_index=True)[_SERIES_COLUMNS]
    series["n"] = series["n"].astype("int64")
    series["n_excluded"] = series["n_excluded"].astype("int64")
    extra = {"team": len(info["members"]) > 1, "buyers": info["definition"]}
    table = _table(series, period, formula, column, extra, same_within, minimums, ci)
    about = table[["metric", "label", "unit", "definition"]]
    series = series.merge(about, on="metric", how="left", validate="many_to_one")
    counts = _counts(t, period, bounds, posts, series, spread)
    return Scorecard(table, series, period, report, formula, list(info["members"]), counts)


def _counts(
    t: dict[str, pd.DataFrame],
    period: Period,
    bounds: pd.DataFrame,
    posts: pd.DataFrame,
    series: pd.DataFrame,
    cascades: Mapping[str, Any],
) -> dict[str, int]:
    """What the numbers rest on, out of what was loaded (see ``Scorecard.counts``)."""
    out = {"posts": len(t["posts"]), "posts_counted": len(posts)}
    if len(t["posts"]) and "published_at" in t["posts"].columns:
        day = _utc_day(t["posts"]["published_at"])
        out["posts_undated"] = int(day.isna().sum())
        if period.known:
            out["posts_earlier"] = int((day < bounds["start"].iloc[0]).sum())
            out["posts_later"] = int((day > period.end).sum())
    out |= {"cascades": int(cascades.get("cascades", 0))}
    out["cascades_counted"] = int(cascades.get("cascades_counted", 0))
    audience = t["audience"]
    out["connections"] = len(audience)
    if len(audience) and "connected_on" in audience.columns:
        out["connections_undated"] = int(audience["connected_on"].isna().sum())
    now = series[(series["metric"] == "buyer_share") & (series["period"] == 0)]
    out["connections_counted"] = int(now["n"].iloc[0]) if len(now) else 0
    for key in ("posts_undated", "posts_earlier", "posts_later", "connections_undated"):
        out.setdefault(key, 0)
    return out


# -- for the page --------------------------------------------------------------------------------
_ARROWS = {"up": "▲", "down": "▼", "same": "▶", "": ""}


def describe(card: Scorecard) -> str:
    """The page's headline: one Markdown bullet per measure, with its reading.

    Parameters
    ----------
    card
        From :func:`build_scorecard`.

    Returns
    -------
    str
        Four bullets (relevance, resonance, reach, amplification; the last one followed
        by the reshare trees' readings, indented), each ``**Label.** arrow reading``: the
        arrow (▲ up, ▼ down, ▶ about the same) left out when there is nothing to compare.

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"post_id": ["a"], "platform": "x", "likes": [1], "comments": [0],
    ...     "shares": [0], "impressions": [50],
    ...     "published_at": pd.to_datetime(["2025-01-09"], utc=True)})
    >>> card = build_scorecard({"posts": posts}, "2025-01-08", "2025-01-14", min_posts=1, ci=None)
    >>> print(describe(card).splitlines()[1])
    - **Resonance: engagement rate.** Median engagement rate per impression 2.00% over 1 post; nothing to compare with in the previous 7 days (no posts published in this period).
    """
    lines = []
    for r in card.table.to_dict("records"):
        arrow = _ARROWS[r["direction"]] if r["status"] != "no data" else ""
        indent = "" if r["headline"] else "  "
        lead = f"{arrow} " if arrow else ""
        lines.append(f"{indent}- **{r['label']}.** {lead}{r['reading']}")
    return "\n".join(lines)


def describe_counts(card: Scorecard) -> str:
    """What the scorecard's numbers rest on, out of what was loaded, in plain Markdown.

    Parameters
    ----------
    card
        From :func:`build_scorecard`; not mutated.

    Returns
    -------
    str
        One bullet each for the posts, reshare trees and connections: how many were
        loaded and how many fall in the periods charted (the others are in no number of
        the page: published earlier, later, or without a date); then a sentence on the
        rows left out within those periods (listed in ``card.report``) or that none was.

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"post_id": ["a", "b"], "platform": "x", "likes": [1, 2],
    ...     "comments": [0, 0], "shares": [0, 0], "impressions": [50, 80],
    ...     "published_at": pd.to_datetime(["2019-06-01", "2025-01-09"], utc=True)})
    >>> card = build_scorecard({"posts": posts}, "2025-01-08", "2025-01-14", n_periods=2, ci=None)
    >>> print(describe_counts(card).splitlines()[0])
    - **Posts:** 1 of the 2 posts loaded was published in the 2 periods charted (1–14 Jan 2025) and counts in the numbers above; the others (1 earlier) are in no number on this page.
    """
    c, p = card.counts, card.period
    if not p.known:
        return "Nothing was counted: the folder holds no dated post, reshare or connection."
    first = pd.Timestamp(card.series["start"].min())
    periods = int(card.series["period"].nunique())
    span = _span(first, p.end)
    lines = []
    n, of = c.get("posts_counted", 0), c.get("posts", 0)
    if of:
        verb = "was" if n == 1 else "were"
        text = (
            f"- **Posts:** {n:,} of the {of:,} posts loaded {verb} published in the {periods} "
            f"periods charted ({span}) and count{'s' if n == 1 else ''} in the numbers above"
        )
        rest = [
            f"{c[key]:,} {word}"
            for key, word in (
                ("posts_earlier", "earlier"),
                ("posts_later", "later"),
                ("posts_undated", "without a date"),
            )
            if c.get(key)
        ]
        lines.append(
            text
            + (f"; the others ({', '.join(rest)}) are in no number on this page." if rest else ".")
        )
    else:
        lines.append("- **Posts:** none loaded.")
    n, of = c.get("cascades_counted", 0), c.get("cascades", 0)
    if of:
        lines.append(
            f"- **Reshare trees:** {n:,} of the {of:,} loaded started in those periods"
            + ("." if n == of else "; the others are in no number on this page.")
        )
    else:
        lines.append("- **Reshare trees:** none loaded.")
    n, of = c.get("connections_counted", 0), c.get("connections", 0)
    if of:
        text = (
            f"- **Connections:** {n:,} of the {of:,} loaded had been made by "
            f"{_day_text(p.end)} and count towards relevance"
        )
        undated = c.get("connections_undated", 0)
        if undated:
            text += f"; {undated:,} without a date {'is' if undated == 1 else 'are'} left out"
        lines.append(text + ".")
    else:
        lines.append("- **Connections:** none loaded.")
    if len(card.report):
        lines += [
            "",
            "Within those periods, the rows below were left out of a number (or read with an "
            "assumption), and why.",
        ]
    else:
        lines += [
            "",
            "Within those periods, no row was left out of a number for a missing or unknown value.",
        ]
    return "\n".join(lines)


def summary_table(table: pd.DataFrame) -> pd.DataFrame:
    """The scorecard table as the page shows it: numbers formatted, one row per metric.

    Parameters
    ----------
    table
        ``Scorecard.table``; not mutated.

    Returns
    -------
    DataFrame
        Text columns ``Measure``, ``Now``, ``Before``, ``Change`` (with an arrow),
        ``Based on`` (``n`` and what they are, now / before), ``Status`` (with why) and
        ``Definition``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"label": ["Reach: impressions per post"], "value": [1234.0],
    ...     "previous": [1000.0], "change": [234.0], "change_pct": [0.234], "direction": ["up"],
    ...     "unit": ["impressions per post"], "n": [12], "n_previous": [10], "n_of": ["posts"],
    ...     "status": ["ok"], "why": [""], "definition": ["mean over posts of impressions"]})
    >>> summary_table(t).iloc[0, :4].tolist()
    ['Reach: impressions per post', '1,234', '1,000', '▲ up 23%']
    """
    rows = []
    for r in table.to_dict("records"):
        change = _change_text(r)
        rows.append(
            {
                "Measure": r["label"],
                "Now": _fmt(r["value"], r["unit"]),
                "Before": _fmt(r["previous"], r["unit"]),
                "Change": f"{_ARROWS[r['direction']]} {change}".strip() if change else "–",
                "Based on": f"{r['n']:,} / {r['n_previous']:,} {r['n_of']}",
                "Status": r["status"] + (f": {r['why']}" if r["why"] else ""),
                "Definition": r["definition"],
            }
        )
    return pd.DataFrame(rows)


def key_numbers(card: Scorecard) -> dict[str, Any]:
    """The numbers notebook 00 records (see :func:`roi_helpers.results.record`).

    Parameters
    ----------
    card
        From :func:`build_scorecard`.

    Returns
    -------
    dict
        ``relevance``, ``resonance``, ``reach``, ``amplification`` and each one's
        ``*_previous`` (the four headline values; None without data); ``start_date`` and
        ``end_date`` (ISO dates); ``period``: ``days``, ``how`` (see :class:`Period`),
        ``previous_start``, ``previous_end`` and ``data_end`` (the data's latest day);
        ``details``: per metric, ``value``, ``previous``, ``low``, ``high``,
        ``previous_low``, ``previous_high``, ``median``, ``previous_median``, ``n``,
        ``n_previous``, ``unit``, ``status``, ``why`` and ``definition``.

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"post_id": ["a"], "platform": "x", "likes": [1], "comments": [0],
    ...     "shares": [0], "impressions": [50],
    ...     "published_at": pd.to_datetime(["2025-01-09"], utc=True)})
    >>> k = key_numbers(build_scorecard({"posts": posts}, min_posts=1, ci=None))
    >>> k["reach"], k["reach_previous"], k["start_date"], k["end_date"]
    (50.0, None, '2024-12-13', '2025-01-09')
    """

    def plain(v: Any) -> Any:
        if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
            return None
        return v.item() if isinstance(v, np.generic) else v

    p = card.period
    iso = lambda d: None if d is None else d.date().isoformat()  # noqa: E731
    numbers: dict[str, Any] = {
        "start_date": iso(p.start),
        "end_date": iso(p.end),
        "period": {
            "days": p.days,
            "how": p.how,
            "previous_start": iso(p.previous_start),
            "previous_end": iso(p.previous_end),
            "data_end": iso(p.data_end),
        },
    }
    details = {}
    for r in card.table.to_dict("records"):
        if r["headline"]:
            numbers[r["measure"]] = plain(r["value"])
            numbers[f"{r['measure']}_previous"] = plain(r["previous"])
        keep = "value previous low high previous_low previous_high median previous_median"
        details[r["metric"]] = {k: plain(r[k]) for k in keep.split()} | {
            k: plain(r[k]) for k in ("n", "n_previous", "unit", "status", "why", "definition")
        }
    numbers["details"] = details
    return numbers


#: The four headline numbers as the report's index names them.
_SHORT = {
    "buyer_share": "Buyer share",
    "engagement_rate": "Engagement rate",
    "per_post": "{reach} per post",
    "shares_per_post": "Shares per post",
}


# A no-data reason written by _outside: every row of a table before the period.
_ENDED = re.compile(
    r"all [\d,]+ (posts|connections|reshare trees) loaded [a-z ]+ before this period, "
    r"the latest on (\d{1,2} [A-Z][a-z]{2} \d{4});"
)


def _overlap(r: Mapping[str, Any]) -> bool:
    """A change whose interval overlaps the previous period's (the engagement rate's)."""
    bounds = [r[k] for k in ("low", "high", "previous_low", "previous_high")]
    if r["direction"] in ("same", "") or any(pd.isna(b) for b in bounds):
        return False
    return bool(r["low"] <= r["previous_high"] and r["previous_low"] <= r["high"])


def headline(card: Scorecard) -> dict[str, Any]:
    """The sentence and the four worded values the report's index shows for the scorecard.

    Parameters
    ----------
    card
        From :func:`build_scorecard`; not mutated.

    Returns
    -------
    dict
        ``headline``: one sentence: each headline measure's value and its change against
        the period before (measures without data said as such; the index shows the
        period beside it);
        ``highlights``: ``{"Buyer share": "16.2% (about the same)", "Engagement rate":
        ..., "Impressions per post": ..., "Shares per post": ...}``, each value as the
        page shows it with its change in words (``no data`` without data, ``no data
        (posts end 10 Feb 2025)`` when every post loaded is older than the period, said
        in the headline too; ``nothing to compare`` without a previous value; ``may be chance`` added when the two periods'
        intervals overlap; ``too few to read`` added when the period rests on too few
        posts or connections). A card with nothing to score: headline
        None and ``{"Measures with data": "none"}``.

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"post_id": ["a", "b"], "platform": "x", "likes": [1, 3],
    ...     "comments": 0, "shares": [0, 1], "impressions": [100, 100],
    ...     "published_at": pd.to_datetime(["2025-01-02", "2025-01-09"], utc=True)})
    >>> card = build_scorecard({"posts": posts}, "2025-01-08", "2025-01-14", min_posts=1, ci=None)
    >>> headline(card)["highlights"]["Engagement rate"]
    '4.00% (up 3.00 points)'
    """
    if card.nothing:
        return {"headline": None, "highlights": {"Measures with data": "none"}}
    rows = card.table[card.table["headline"]].to_dict("records")
    reach = card.table.set_index("metric").loc["per_post", "unit"].split(" per ")[0]
    highlights: dict[str, str] = {}
    said, missing = [], []
    stops: dict[str, None] = {}
    for r in rows:
        label = _SHORT[r["metric"]].format(reach=reach.capitalize())
        if r["status"] == "no data":
            ended = _ENDED.match(str(r["why"]))
            if ended:  # the exports stop before the period: when, for the index's reader
                what, day = ended.group(1), ended.group(2)
                highlights[label] = f"no data ({what} end {day})"
                stops.setdefault(f"the {what} loaded end on {day}, before this period", None)
            else:
                highlights[label] = "no data"
            missing.append(label.lower())
            continue
        value = _fmt(r["value"], r["unit"])
        change = _change_text(r) or "nothing to compare"
        if _overlap(r):
            change += ", may be chance"
        if r["status"] == "not enough data":
            change += "; too few to read"
        highlights[label] = f"{value} ({change})"
        said.append(
            {
                "buyer_share": f"buyers are {value} of the network ({change})",
                "engagement_rate": f"the engagement rate is {value} ({change})",
                "per_post": f"{value} {reach} per post ({change})",
                "shares_per_post": f"{value} shares per post ({change})",
            }[r["metric"]]
        )
    text = f"Against the {card.period.days} days before: "  # the index shows the period
    if not said:  # only the reshare trees have data
        text += f"no data for {', '.join(missing[:-1])} or {missing[-1]}"
    else:
        text += " and ".join([", ".join(said[:-1]), said[-1]]) if len(said) > 1 else said[0]
    if missing and said:
        text += f"; no data for {' or '.join(missing)}"
    if stops:
        text += f" ({'; '.join(stops)})"
    return {"headline": text + ".", "highlights": highlights}
