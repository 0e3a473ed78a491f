"""Does my audience engage? Engagement rates with their formula spelled out.

Followers are not the return on influence; likes, comments and shares are. But
"engagement rate" means something different in every tool, so every figure this module
returns carries its formula in words (a ``formula`` column) and the name of the tool whose
definition it reproduces (a ``preset`` column), and figures with different formulas are
never compared (:func:`compare_to_benchmark` says why not).

The definitions reproduced by the named :data:`PRESETS`:

``rival_iq``
    Rival IQ: each post's interactions (likes + comments + shares) divided by the account's
    followers, averaged over posts; its published benchmarks are medians across companies
    of that per-account figure.
``sprout_social``
    Sprout Social: (reactions + comments + shares + clicks) / impressions, totals over
    totals.
``linkedin``
    LinkedIn page analytics: (clicks + likes + comments + shares) / impressions, and **0
    when impressions are 0** (LinkedIn's documented rule, the one exception to "an unknown
    or zero denominator excludes the post"). Over several posts or days: totals over
    totals, which is how LinkedIn's daily rate relates to the day's posts.
``x``
    X (Twitter) analytics: X's own ``engagements`` column (every click counts: profile,
    link, hashtag, detail expands, media...) / impressions. Per post this is the export's
    own ``engagement rate`` column.
``emplifi``
    Emplifi: interactions (likes + comments + shares) per 1,000 impressions.

Everything else follows from three choices, which :func:`engagement_rate` takes
explicitly: the numerator (which counts), the denominator (impressions, reach or
followers) and the aggregate over posts (median or mean of per-post rates, or pooled:
the sum of the numerators over the sum of the denominators). A post whose numerator
counts are unknown, or whose denominator is unknown, zero or negative (a platform's
correction), is excluded and counted in ``n_excluded`` (and, given a
:class:`~roi_helpers.clean.CleaningReport`, listed in it); unknown is never read as zero.
Intervals are a bootstrap over posts (posts, not impressions, are the independent units),
whatever the aggregate; a Wilson interval for pooled rates is available on request
(``interval="wilson"``) and says so. A post whose export gives the day but not the time
is never put at midnight: it is left out of anything by hour of day, and its day is the
one its export wrote.

Also here: Kaushik's conversation, amplification and applause rates
(:func:`kaushik_rates`), follower counts at posting time from a followers history
(:func:`add_followers_at_post`), best times to post (:func:`best_times`), breakout posts
(:func:`breakout_posts`, :func:`top_posts`), the follower fallacy check of Cha et al.
(2010) (:func:`follower_fallacy`), trends (:func:`rate_trend`, :func:`follower_growth`)
and published benchmarks (:func:`load_benchmarks`, :func:`compare_to_benchmark`).

All functions take tidy frames and return new ones; none mutates its input.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from importlib import resources

import numpy as np
import pandas as pd
from scipy import stats

from .clean import CleaningReport, file_of
from .errors import RoiInputError
from .parsing import parameter_day

__all__ = [
    "DEFAULT_NUMERATOR",
    "INTERVALS",
    "KAUSHIK",
    "MEASURE_WORDS",
    "PLATFORM_NAMES",
    "PRESETS",
    "WEEKDAYS",
    "Formula",
    "accounts_from_posts",
    "add_engagement_rate",
    "add_followers_at_post",
    "add_time_parts",
    "best_slot",
    "best_times",
    "breakout_posts",
    "compare_to_benchmark",
    "describe_fallacy",
    "describe_interval",
    "describe_left_out",
    "engagement_rate",
    "exports_used",
    "follower_fallacy",
    "follower_growth",
    "formula_for",
    "formula_gaps",
    "hide_private_accounts",
    "key_findings",
    "kaushik_rates",
    "load_benchmarks",
    "compare_presets",
    "no_posts_sentence",
    "rate_trend",
    "readable_benchmarks",
    "readable_rates",
    "reproduce_export_rate",
    "select_days",
    "select_posts",
    "top_posts",
]

#: The counts that make an engagement when no preset or numerator is given.
DEFAULT_NUMERATOR = ("likes", "comments", "shares")
#: Monday first, as pandas numbers weekdays (0 = Monday).
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_AGGREGATES = ("median", "mean", "pooled")
_DENOMINATORS = ("impressions", "reach", "followers")
_TIME_PARTS = ("month", "weekday", "hour", "weekday_name", "date")


@dataclass(frozen=True)
class Formula:
    """One engagement-rate definition, explicit in every part.

    Attributes
    ----------
    numerator : tuple of str
        Count columns added up per post (``("likes", "comments", "shares")``).
    denominator : str
        The column divided by: ``impressions``, ``reach`` or ``followers`` (any count
        column is accepted).
    aggregate : str
        ``median`` or ``mean`` of the per-post rates, or ``pooled`` (sum of numerators over
        sum of denominators).
    zero_denominator : str
        ``exclude`` (a post with a zero denominator is left out and counted) or ``zero``
        (its rate is 0: LinkedIn's rule).
    scale : float
        1 for a fraction, 1000 for "per 1,000".
    preset : str
        The preset's name, or ``custom``.
    source : str
        Whose definition this is, for people.

    Examples
    --------
    >>> Formula(("likes", "comments"), "followers", "median").describe()
    'median over posts of (likes + comments) / followers'
    """

    numerator: tuple[str, ...]
    denominator: str
    aggregate: str
    zero_denominator: str = "exclude"
    scale: float = 1.0
    preset: str = "custom"
    source: str = "the kit (custom formula)"

    def describe(self) -> str:
        """The formula in words, as the ``formula`` column shows it."""
        num = " + ".join(self.numerator)
        num = f"({num})" if len(self.numerator) > 1 else num
        if self.aggregate == "pooled":
            text = f"sum of {num} / sum of {self.denominator}"
        else:
            text = f"{self.aggregate} over posts of {num} / {self.denominator}"
        if self.scale != 1:
            text += f" x {self.scale:,.0f}"
        if self.zero_denominator == "zero":
            text += f"; 0 when {self.denominator} is 0"
        return text

    @property
    def unit(self) -> str:
        """What one unit of the rate is ("fraction", "per 1,000 impressions")."""
        if self.scale == 1:
            return "fraction"
        return f"per {self.scale:,.0f} {self.denominator}"


#: The named definitions (see the module docstring for their sources).
PRESETS: dict[str, Formula] = {
    "rival_iq": Formula(
        ("likes", "comments", "shares"),
        "followers",
        "mean",
        preset="rival_iq",
        source="Rival IQ: interactions per post per follower, averaged over posts",
    ),
    "sprout_social": Formula(
        ("likes", "comments", "shares", "clicks"),
        "impressions",
        "pooled",
        preset="sprout_social",
        source="Sprout Social: (reactions + comments + shares + clicks) / impressions",
    ),
    "linkedin": Formula(
        ("clicks", "likes", "comments", "shares"),
        "impressions",
        "pooled",
        zero_denominator="zero",
        preset="linkedin",
        source="LinkedIn: (clicks + likes + comments + shares) / impressions, 0 when "
        "impressions are 0",
    ),
    "x": Formula(
        ("x_engagements",),
        "impressions",
        "pooled",
        preset="x",
        source="X analytics: X's engagements column (every click counts) / impressions",
    ),
    "emplifi": Formula(
        ("likes", "comments", "shares"),
        "impressions",
        "pooled",
        scale=1000.0,
        preset="emplifi",
        source="Emplifi: interactions per 1,000 impressions",
    ),
}

#: Kaushik's three social metrics: name -> the count it divides by followers, per post.
KAUSHIK = {"conversation": "comments", "amplification": "shares", "applause": "likes"}


def formula_for(
    preset: str | None = None,
    numerator: Sequence[str] | str | None = None,
    denominator: str | None = None,
    aggregate: str | None = None,
    zero_denominator: str | None = None,
) -> Formula:
    """Resolve a preset name or explicit parts into one :class:`Formula`.

    Parameters
    ----------
    preset
        One of :data:`PRESETS`; it fixes every part, so the other arguments must be left
        out (a preset is only worth its name if it is not mixed with other choices).
    numerator, denominator, aggregate, zero_denominator
        The parts of a custom formula. Defaults: likes + comments + shares, impressions,
        median, exclude.

    Returns
    -------
    Formula

    Raises
    ------
    ValueError
        An unknown preset or aggregate, a preset mixed with explicit parts, or an empty
        numerator.

    Examples
    --------
    >>> formula_for("linkedin").describe()
    'sum of (clicks + likes + comments + shares) / sum of impressions; 0 when impressions is 0'
    >>> formula_for(numerator="comments", denominator="followers", aggregate="mean").describe()
    'mean over posts of comments / followers'
    """
    if preset is not None:
        if preset not in PRESETS:
            raise ValueError(f"Unknown preset {preset!r}: the presets are {', '.join(PRESETS)}.")
        given = {
            "numerator": numerator,
            "denominator": denominator,
            "aggregate": aggregate,
            "zero_denominator": zero_denominator,
        }
        mixed = [k for k, v in given.items() if v is not None]
        if mixed:
            raise ValueError(
                f"The {preset!r} preset fixes the whole formula; do not also pass "
                f"{', '.join(mixed)} (use a custom formula instead)."
            )
        return PRESETS[preset]
    if isinstance(numerator, str):
        numerator = (numerator,)
    num = tuple(numerator) if numerator is not None else DEFAULT_NUMERATOR
    if not num:
        raise ValueError("The numerator needs at least one count column.")
    agg = aggregate or "median"
    if agg not in _AGGREGATES:
        raise ValueError(f"aggregate must be one of {', '.join(_AGGREGATES)}, not {agg!r}.")
    zero = zero_denominator or "exclude"
    if zero not in ("exclude", "zero"):
        raise ValueError(f"zero_denominator must be 'exclude' or 'zero', not {zero!r}.")
    return Formula(num, denominator or "impressions", agg, zero_denominator=zero)


# -- checking input ---------------------------------------------------------------------------
def _rows_of(df: pd.DataFrame, mask: pd.Series | None = None) -> list[int]:
    part = df if mask is None else df[mask]
    if "source_row" in part.columns:
        return [int(r) for r in part["source_row"].dropna()]
    return []


_HINTS = {
    "followers": "Posts exports rarely carry follower counts: add them from a followers "
    "history with add_followers_at_post(posts, followers), or choose impressions.",
    "x_engagements": "The 'x' preset needs X's own engagements column, which only X "
    "analytics exports have (load them with roi_helpers.load).",
    "impressions": "This export has no impressions: choose followers or reach as the "
    "denominator, or a preset that uses them.",
    "clicks": "This export has no clicks: choose a formula without them.",
}


def _check_posts(posts: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    if not isinstance(posts, pd.DataFrame):
        raise RoiInputError(
            f"{what} needs a posts table (a DataFrame), not {type(posts).__name__}",
            expected="the posts table returned by roi_helpers.load or load_dir",
        )
    for col in columns:
        if col not in posts.columns:
            raise RoiInputError(
                f"{what}: the posts table has no {col!r} column; it has "
                + ", ".join(repr(c) for c in posts.columns if c not in ("source_row",)),
                path=file_of(posts),
                column=col,
                expected="a column of counts",
                hint=_HINTS.get(col),
            )
        s = posts[col]
        if s.isna().all():
            continue  # all unknown: every post is excluded, and counted
        if not (pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)):
            bad = pd.to_numeric(s, errors="coerce").isna() & s.notna()
            raise RoiInputError(
                f"{what}: column {col!r} holds text, not counts (e.g. "
                + ", ".join(repr(v) for v in s[bad].astype(str).unique()[:3])
                + ")",
                path=file_of(posts),
                rows=_rows_of(posts, bad),
                column=col,
                expected="numbers (load the export with roi_helpers.load, which parses them)",
            )


# -- per-post rates ---------------------------------------------------------------------------
def _per_post(posts: pd.DataFrame, formula: Formula) -> pd.DataFrame:
    """Numerator, denominator, rate and the reason a post is excluded (NA when used)."""
    num_parts = posts[list(formula.numerator)].astype("Float64")
    unknown_num = num_parts.isna().any(axis=1)
    num = num_parts.sum(axis=1, min_count=1).astype("float64").where(~unknown_num)
    den = posts[formula.denominator].astype("Float64").astype("float64")
    unknown_den = den.isna()
    zero_den = den.eq(0) & ~unknown_den
    # A negative denominator is a platform's correction (LinkedIn writes them on page
    # days), not an audience: its rate would be negative and pull a pooled sum down.
    negative_den = den.lt(0) & ~unknown_den
    rate = pd.Series(np.nan, index=posts.index, dtype="float64")
    ok = ~unknown_num & ~unknown_den & ~zero_den & ~negative_den
    rate[ok] = num[ok] / den[ok] * formula.scale
    reason = pd.Series(pd.NA, index=posts.index, dtype="str")
    if formula.zero_denominator == "zero":
        zero_ok = zero_den & ~unknown_num
        rate[zero_ok] = 0.0
        num = num.where(~zero_ok, 0.0)  # LinkedIn reports 0: nothing enters the totals
    else:
        reason[zero_den & ~unknown_num] = f"{formula.denominator} is 0"
    reason[negative_den & ~unknown_num] = f"{formula.denominator} negative: a platform correction"
    reason[unknown_den & ~unknown_num] = f"{formula.denominator} unknown"
    if unknown_num.any():
        which = num_parts.isna()
        names = pd.Series("", index=posts.index, dtype="str")
        for col in formula.numerator:  # a loop over a handful of columns, not over rows
            names = names + np.where(which[col].to_numpy(dtype=bool), col + ", ", "")
        reason[unknown_num] = names[unknown_num].str.removesuffix(", ") + " unknown"
    return pd.DataFrame({"numerator": num, "denominator": den, "rate": rate, "excluded": reason})


def add_engagement_rate(
    posts: pd.DataFrame,
    numerator: Sequence[str] | str | None = None,
    denominator: str | None = None,
    *,
    preset: str | None = None,
    zero_denominator: str | None = None,
) -> pd.DataFrame:
    """Add each post's engagement rate, with why a post has none.

    Parameters
    ----------
    posts
        The posts table; not mutated.
    numerator, denominator, preset, zero_denominator
        The formula, as in :func:`formula_for` (the aggregate plays no part per post).

    Returns
    -------
    DataFrame
        A copy of ``posts`` with:

        ``engagements``
            The numerator: the sum of the numerator counts (unknown if any is unknown).
        ``engagement_rate``
            ``engagements / denominator`` (times the formula's scale); unknown for an
            excluded post.
        ``excluded_because``
            Why the post has no rate (``"impressions is 0"``, ``"likes unknown"``...), or
            ``<NA>`` when it has one.
        ``rate_formula``
            The per-post formula in words.

    Raises
    ------
    RoiInputError
        A numerator or denominator column is missing or holds text.

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"likes": [3, 1, pd.NA], "comments": [1, 0, 2], "shares": [0, 0, 1],
    ...                       "impressions": [100, 0, 50]}, dtype="Int64")
    >>> out = add_engagement_rate(posts)
    >>> out["engagement_rate"].tolist()
    [0.04, nan, nan]
    >>> out["excluded_because"].tolist()
    [nan, 'impressions is 0', 'likes unknown']
    """
    formula = formula_for(preset, numerator, denominator, None, zero_denominator)
    _check_posts(posts, (*formula.numerator, formula.denominator), "add_engagement_rate")
    per = _per_post(posts, formula)
    out = posts.copy()
    out["engagements"] = per["numerator"]
    out["engagement_rate"] = per["rate"]
    out["excluded_because"] = per["excluded"]
    out["rate_formula"] = (
        replace(formula, aggregate="median").describe().replace("median over posts of ", "")
    )
    return out


# -- intervals --------------------------------------------------------------------------------
def _bootstrap(
    values: np.ndarray,
    stat: str,
    n_boot: int,
    rng: np.random.Generator,
    level: float,
    weights: np.ndarray | None = None,
) -> tuple[float, float]:
    """Percentile bootstrap over posts, vectorised in chunks of resamples."""
    n = len(values)
    if n == 0:
        return math.nan, math.nan
    chunk = max(1, min(n_boot, 2_000_000 // max(n, 1)))
    out = np.empty(n_boot)
    done = 0
    while done < n_boot:
        k = min(chunk, n_boot - done)
        idx = rng.integers(0, n, size=(k, n))
        if stat == "median":
            out[done : done + k] = np.median(values[idx], axis=1)
        elif stat == "mean":
            out[done : done + k] = values[idx].mean(axis=1)
        else:  # pooled: ratio of sums over resampled posts
            den = weights[idx].sum(axis=1)
            with np.errstate(divide="ignore", invalid="ignore"):
                out[done : done + k] = values[idx].sum(axis=1) / den
        done += k
    alpha = 1 - level
    lo, hi = np.nanquantile(out, [alpha / 2, 1 - alpha / 2])
    return float(lo), float(hi)


def _wilson(successes: float, trials: float, level: float) -> tuple[float, float]:
    """Wilson score interval for a proportion successes / trials."""
    if trials <= 0:
        return math.nan, math.nan
    z = stats.norm.ppf(1 - (1 - level) / 2)
    p = successes / trials
    denom = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denom
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


#: How a pooled rate's interval may be computed (see :func:`engagement_rate`).
INTERVALS = ("bootstrap", "wilson")


def _check_interval(interval: str) -> str:
    if interval not in INTERVALS:
        raise ValueError(f"interval must be one of {', '.join(INTERVALS)}, not {interval!r}.")
    return interval


def _summarise(
    per: pd.DataFrame,
    formula: Formula,
    ci: float | None,
    n_boot: int,
    rng: np.random.Generator,
    interval: str = "bootstrap",
    units: str = "posts",
) -> dict[str, object]:
    used = per[per["rate"].notna()]
    n_used = len(used)
    n_excluded = int(len(per) - n_used)
    method = "none"
    if n_used == 0:
        return {
            "rate": math.nan,
            "low": math.nan,
            "high": math.nan,
            "n_posts": 0,
            "n_excluded": n_excluded,
            "interval": method,
        }
    # Resampling draws positions: sorted by value, the posts' order in the table (which
    # export came first, how a frame was filtered) cannot change the interval.
    num = used["numerator"].to_numpy(dtype="float64")
    den = used["denominator"].to_numpy(dtype="float64")
    rates = used["rate"].to_numpy(dtype="float64")
    order = np.lexsort((den, num, rates))
    num, den, rates = num[order], den[order], rates[order]
    if formula.aggregate == "median":
        rate = float(np.median(rates))
    elif formula.aggregate == "mean":
        rate = float(rates.mean())
    else:
        total_den = den.sum()
        rate = float(num.sum() / total_den * formula.scale) if total_den != 0 else math.nan
    low = high = math.nan
    resampled = formula.aggregate in ("median", "mean") or interval == "bootstrap"
    if ci is not None and not math.isnan(rate) and n_used == 1 and resampled:
        # resampling one post gives that post back every time: no interval, and said so
        method = f"none (a single {units.removesuffix('s')})"
    elif ci is not None and not math.isnan(rate):
        if formula.aggregate in ("median", "mean"):
            low, high = _bootstrap(rates, formula.aggregate, n_boot, rng, ci)
            method = f"bootstrap over {units} ({n_boot:,} resamples, percentile)"
        else:
            num_sum, den_sum = float(num.sum()), float(den.sum())
            integral = np.all(num == np.round(num)) and np.all(den == np.round(den))
            wilson_fits = integral and np.all(num >= 0) and np.all(den > 0) and num_sum <= den_sum
            if interval == "wilson" and wilson_fits:
                low, high = _wilson(num_sum, den_sum, ci)
                low, high = low * formula.scale, high * formula.scale
                method = f"Wilson score ({formula.denominator} as trials)"
            else:
                low, high = _bootstrap(num, "pooled", n_boot, rng, ci, weights=den)
                low, high = low * formula.scale, high * formula.scale
                method = f"bootstrap over {units} ({n_boot:,} resamples, ratio of sums)"
    if not math.isnan(low):
        # A percentile interval that misses its own estimate is badly skewed: widen it to
        # include the estimate rather than show an interval that excludes it.
        low, high = min(low, rate), max(high, rate)
    return {
        "rate": rate,
        "low": low,
        "high": high,
        "n_posts": n_used,
        "n_excluded": n_excluded,
        "interval": method,
    }


# -- time parts -------------------------------------------------------------------------------
def add_time_parts(posts: pd.DataFrame, time_zone: str = "UTC") -> pd.DataFrame:
    """Add the post's month, date, weekday and hour in a chosen time zone.

    Parameters
    ----------
    posts
        A table with ``published_at`` (timezone-aware); not mutated.
    time_zone
        An IANA name (``"Europe/Paris"``); the hours and days are that zone's.

    Returns
    -------
    DataFrame
        A copy with ``month`` (first day of the month, naive), ``date`` (naive),
        ``weekday`` (0 = Monday ... 6 = Sunday, ``Int64``), ``weekday_name`` and ``hour``
        (0-23, ``Int64``); unknown where ``published_at`` is. A post whose export gives
        the day but not the time (``time_known`` False, see :func:`best_times`) keeps the
        day its export wrote, never shifted by ``time_zone``, and has no ``hour``.

    Raises
    ------
    RoiInputError
        No ``published_at`` column, or one without a time zone.
    ValueError
        An unknown time zone.

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"published_at": pd.to_datetime(["2024-03-04 23:30"] * 2, utc=True),
    ...                       "time_known": [True, False]})
    >>> add_time_parts(posts, "Europe/Paris")[["weekday_name", "hour"]].values.tolist()
    [['Tuesday', 0], ['Monday', <NA>]]
    """
    if "published_at" not in posts.columns:
        raise RoiInputError(
            "the posts table has no 'published_at' column",
            path=file_of(posts),
            column="published_at",
            expected="when each post was published (timezone-aware)",
        )
    when = posts["published_at"]
    if not isinstance(when.dtype, pd.DatetimeTZDtype):
        raise RoiInputError(
            "'published_at' has no time zone",
            path=file_of(posts),
            column="published_at",
            expected="timezone-aware timestamps (UTC), as roi_helpers.load returns them",
        )
    try:
        local = when.dt.tz_convert(time_zone).dt.tz_localize(None)
    except Exception as exc:  # zoneinfo raises several kinds
        raise ValueError(
            f"Unknown time zone {time_zone!r}: use an IANA name such as 'Europe/Paris'."
        ) from exc
    timeless = _date_only(posts)
    if timeless.any():  # the export's own day: a time zone would move it to another
        local = local.where(~timeless, when.dt.tz_convert("UTC").dt.tz_localize(None))
    out = posts.copy()
    out["date"] = local.dt.normalize()
    out["month"] = local.dt.to_period("M").dt.to_timestamp()
    out["weekday"] = local.dt.day_of_week.astype("Int64")
    out["weekday_name"] = pd.Series(
        pd.Categorical.from_codes(
            local.dt.day_of_week.fillna(-1).astype(int), categories=list(WEEKDAYS)
        ),
        index=posts.index,
    )
    out["hour"] = local.dt.hour.astype("Int64").mask(timeless)
    return out


# -- the aggregate rate -----------------------------------------------------------------------
def _as_list(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _record_excluded(
    report: CleaningReport | None, posts: pd.DataFrame, per: pd.DataFrame, formula: Formula
) -> None:
    if report is None:
        return
    mask = per["excluded"].notna()
    report.record_rows(
        posts[mask],
        "posts",
        rule="excluded from engagement rate",
        column=formula.denominator,
        original=per.loc[mask, "excluded"],
        reason=f"left out of {formula.describe()}: the value shown is unknown, 0 or "
        "negative (never read as 0 engagement)",
    )


def engagement_rate(
    posts: pd.DataFrame,
    numerator: Sequence[str] | str | None = None,
    denominator: str | None = None,
    aggregate: str | None = None,
    *,
    by: str | Sequence[str] | None = None,
    preset: str | None = None,
    zero_denominator: str | None = None,
    ci: float | None = 0.95,
    n_boot: int = 2000,
    seed: int | None = 0,
    time_zone: str = "UTC",
    report: CleaningReport | None = None,
    interval: str = "bootstrap",
) -> pd.DataFrame:
    """The engagement rate of a set of posts, with its interval and its formula in words.

    Parameters
    ----------
    posts
        The posts table (``schema.Posts``); not mutated.
    numerator
        Count columns added up per post; default likes + comments + shares.
    denominator
        ``"impressions"`` (default), ``"reach"`` or ``"followers"``.
    aggregate
        ``"median"`` (default) or ``"mean"`` of per-post rates, or ``"pooled"``: the sum of
        the numerators over the sum of the denominators.
    by
        Column(s) to group by: any column of ``posts`` (``platform``, ``content_type``,
        ``account``...) or the time parts ``month``, ``weekday``, ``hour``, ``date``
        (computed in ``time_zone``, see :func:`add_time_parts`). Grouped by ``hour``,
        posts whose export gives the day but not the time are left out (their group's
        hour is unknown, and they are counted in its ``n_excluded``); grouped by day,
        weekday or month they keep the day their export wrote.
    preset
        One of :data:`PRESETS` (``rival_iq``, ``sprout_social``, ``linkedin``, ``x``,
        ``emplifi``) instead of the three parts above.
    zero_denominator
        ``"exclude"`` (default) or ``"zero"`` (a zero denominator gives a rate of 0).
    ci
        Confidence level of the interval, or None for none.
    n_boot, seed
        Bootstrap resamples and the seed of the random generator (the same seed gives the
        same interval, whatever the order of the rows).
    time_zone
        Time zone of the ``month``, ``weekday`` and ``hour`` groups.
    report
        A cleaning report to which each excluded post is added (action ``flagged``).
    interval
        For pooled rates: ``"bootstrap"`` (default), a percentile bootstrap over posts of
        the ratio of sums, or ``"wilson"``, a Wilson score interval that takes every
        impression (every unit of the denominator) as an independent trial. Posts are not
        independent draws of impressions (one post's audience differs from the next), so
        Wilson's interval is far narrower than the spread between posts supports (about
        12 times on X's real exports): use it only to reproduce a tool that does.
        Medians and means always use the bootstrap over posts; a pooled rate above 1
        (more engagements than impressions) too.

    Returns
    -------
    DataFrame
        One row (or one per group, groups sorted) with the group columns, then:

        ``rate``
            The engagement rate (a fraction, or per 1,000 for Emplifi's preset).
        ``low``, ``high``
            The interval at level ``ci`` (NaN when ``ci`` is None or nothing is left).
        ``n_posts``
            Posts used.
        ``n_excluded``
            Posts left out: a numerator count unknown, the denominator unknown, 0 or
            negative (a platform's correction), or no time of day in an hour group.
        ``formula``
            The formula in words ("median over posts of (likes + comments + shares) /
            followers").
        ``preset``
            The preset reproduced, or ``custom``.
        ``unit``
            ``fraction`` or ``per 1,000 impressions``.
        ``interval``
            How the interval was computed ("bootstrap over posts (2,000 resamples,
            ratio of sums)", "Wilson score (impressions as trials)"), or ``none``.

    Raises
    ------
    RoiInputError
        A column the formula needs is missing or holds text; ``published_at`` is missing
        when grouping by time.
    ValueError
        An unknown preset, aggregate, interval or grouping column, or a preset mixed
        with parts.

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"likes": [4, 1, 0], "comments": [1, 0, 0], "shares": [0, 1, 0],
    ...                       "followers": [100, 100, 0]}, dtype="Int64")
    >>> r = engagement_rate(posts, denominator="followers", aggregate="mean", ci=None)
    >>> r[["rate", "n_posts", "n_excluded"]].values.tolist()
    [[0.035, 2.0, 1.0]]
    >>> r["formula"].item()
    'mean over posts of (likes + comments + shares) / followers'
    """
    formula = formula_for(preset, numerator, denominator, aggregate, zero_denominator)
    _check_interval(interval)
    _check_posts(posts, (*formula.numerator, formula.denominator), "engagement_rate")
    keys = _as_list(by)
    frame = posts
    if any(k in _TIME_PARTS and k not in posts.columns for k in keys):
        frame = add_time_parts(posts, time_zone)
    unknown = [k for k in keys if k not in frame.columns]
    if unknown:
        raise ValueError(
            f"Cannot group by {', '.join(map(repr, unknown))}: not a column of the posts "
            f"table nor one of {', '.join(_TIME_PARTS)}."
        )
    per = _per_post(posts, formula)
    _record_excluded(report, posts, per, formula)
    if "hour" in keys and "hour" not in posts.columns:
        timeless = _date_only(posts) & per["rate"].notna()
        if timeless.any():  # no hour to group by: out of the rate, and counted
            per.loc[timeless, "rate"] = np.nan
            per.loc[timeless, "excluded"] = "no time of day: the export gives the day only"
            if report is not None:
                _record_timeless(report, posts, timeless)
    rng = np.random.default_rng(seed)
    units = _units(posts)
    rows = []
    if keys:
        per = per.join(frame[keys])
        for key, part in per.groupby(keys, dropna=False, sort=True, observed=True):
            key = key if isinstance(key, tuple) else (key,)
            rows.append(
                dict(zip(keys, key, strict=True))
                | _summarise(part, formula, ci, n_boot, rng, interval, units)
            )
        out = pd.DataFrame(rows, columns=[*keys, *_RESULT])
    else:
        out = pd.DataFrame([_summarise(per, formula, ci, n_boot, rng, interval, units)])
    for col in ("n_posts", "n_excluded"):
        out[col] = out[col].astype("int64")
    out["formula"] = formula.describe()
    out["preset"] = formula.preset
    out["unit"] = formula.unit
    return out[
        [
            *keys,
            "rate",
            "low",
            "high",
            "n_posts",
            "n_excluded",
            "formula",
            "preset",
            "unit",
            "interval",
        ]
    ]


_RESULT = ["rate", "low", "high", "n_posts", "n_excluded", "interval"]


def _units(frame: pd.DataFrame) -> str:
    """What one row is, for the interval's method: LinkedIn page days, or posts."""
    return "days" if "date" in frame.columns and "post_id" not in frame.columns else "posts"


# -- Kaushik's social metrics -----------------------------------------------------------------
def kaushik_rates(
    posts: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    ci: float | None = 0.95,
    n_boot: int = 2000,
    seed: int | None = 0,
    time_zone: str = "UTC",
    report: CleaningReport | None = None,
) -> pd.DataFrame:
    """Kaushik's conversation, amplification and applause rates, per post per follower.

    Avinash Kaushik ("Best Social Media Metrics", 2011): conversation rate = comments,
    amplification rate = shares (reposts, retweets), applause rate = likes, each per post
    and per follower: here the mean over posts of ``count / followers``.

    Parameters
    ----------
    posts
        Posts with ``followers`` (the audience when each was published; see
        :func:`add_followers_at_post`); not mutated.
    by, ci, n_boot, seed, time_zone, report
        As in :func:`engagement_rate`.

    Returns
    -------
    DataFrame
        One row per metric (and group), with the group columns, then ``metric``
        (conversation, amplification, applause), ``action`` (the count: comments,
        shares, likes), ``rate`` (per follower, a fraction), ``per_1000_followers``
        (``rate`` x 1,000), ``low``, ``high`` (interval of ``rate``), ``n_posts``,
        ``n_excluded``, ``formula``.

    Raises
    ------
    RoiInputError
        No ``followers`` column (the hint says how to add one), or counts held as text.

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"likes": [10, 30], "comments": [1, 3], "shares": [2, 0],
    ...                       "followers": [1000, 2000]}, dtype="Int64")
    >>> k = kaushik_rates(posts, ci=None)
    >>> k.set_index("metric")["per_1000_followers"].round(3).to_dict()
    {'conversation': 1.25, 'amplification': 1.0, 'applause': 12.5}
    """
    _check_posts(posts, ("followers", *KAUSHIK.values()), "kaushik_rates")
    parts = []
    for metric, action in KAUSHIK.items():
        r = engagement_rate(
            posts,
            numerator=[action],
            denominator="followers",
            aggregate="mean",
            by=by,
            ci=ci,
            n_boot=n_boot,
            seed=seed,
            time_zone=time_zone,
            report=report if metric == "conversation" else None,
        )
        r.insert(len(_as_list(by)), "metric", metric)
        r.insert(len(_as_list(by)) + 1, "action", action)
        parts.append(r)
    out = pd.concat(parts, ignore_index=True)
    out["per_1000_followers"] = out["rate"] * 1000
    keys = _as_list(by)
    cols = [*keys, "metric", "action", "rate", "per_1000_followers", "low", "high"]
    return out[[*cols, "n_posts", "n_excluded", "formula", "interval"]]


# -- followers at posting time ----------------------------------------------------------------
def add_followers_at_post(
    posts: pd.DataFrame,
    followers: pd.DataFrame,
    *,
    when: str = "previous_day",
    max_age_days: int = 31,
) -> pd.DataFrame:
    """Fill each post's follower count from a daily followers history (``merge_asof``).

    Parameters
    ----------
    posts
        The posts table; posts that already have ``followers`` keep theirs. Not mutated.
    followers
        The followers table (``account``, ``platform``, ``date``, ``followers``); days
        whose total is unknown (exports that give only gains) are not used.
    when
        ``"previous_day"`` (default): the total at the end of the last day before the
        post's day (UTC), the audience the post was published to; ``"same_day"``: the
        end of the post's own day may be used too (it includes that day's new followers).
    max_age_days
        A count older than this many days before the post is not used.

    Returns
    -------
    DataFrame
        A copy of ``posts`` with ``followers`` filled where a count was found, and:

        ``followers_source``
            ``"posts table"`` (the export's own count), ``"followers history"`` or
            ``"unknown"``.
        ``followers_date``
            The day whose count was used (``NaT`` otherwise).

    Raises
    ------
    RoiInputError
        A table lacks the columns the match needs.

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"platform": ["x", "x"], "account": ["a", "a"],
    ...     "published_at": pd.to_datetime(["2024-01-03 10:00", "2024-01-01 09:00"], utc=True)})
    >>> hist = pd.DataFrame({"platform": ["x", "x"], "account": ["a", "a"],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-02"]), "followers": [100, 110]})
    >>> add_followers_at_post(posts, hist)[["followers", "followers_source"]].values.tolist()
    [[110, 'followers history'], [<NA>, 'unknown']]
    """
    if when not in ("previous_day", "same_day"):
        raise ValueError("when must be 'previous_day' or 'same_day'.")
    for name, table, cols in (
        ("posts", posts, ("platform", "account", "published_at")),
        ("followers", followers, ("platform", "account", "date", "followers")),
    ):
        missing = [c for c in cols if c not in table.columns]
        if missing:
            raise RoiInputError(
                f"add_followers_at_post: the {name} table has no column(s) "
                + ", ".join(map(repr, missing)),
                path=file_of(table),
                column=missing[0],
                expected=f"the canonical {name} table",
            )
    out = posts.copy()
    own = (
        out["followers"].astype("Int64")
        if "followers" in out.columns
        else pd.Series(pd.NA, index=out.index, dtype="Int64")
    )
    hist = followers[followers["followers"].notna()]
    hist = pd.DataFrame(
        {
            "_key": hist["platform"].astype(str) + "|" + hist["account"].astype(str).str.casefold(),
            "_day": pd.to_datetime(hist["date"]).dt.normalize().astype("datetime64[us]"),
            "_followers": hist["followers"].astype("Int64"),
        }
    ).sort_values("_day")
    hist = hist.drop_duplicates(["_key", "_day"], keep="last")
    day = out["published_at"].dt.tz_convert("UTC").dt.tz_localize(None).dt.normalize()
    left = pd.DataFrame(
        {
            "_key": out["platform"].astype(str) + "|" + out["account"].astype(str).str.casefold(),
            "_day": day.astype("datetime64[us]"),
            "_pos": np.arange(len(out)),
        }
    )
    known_day = left["_day"].notna()
    matched = pd.merge_asof(
        left[known_day].sort_values("_day"),
        hist.assign(_date=hist["_day"]),
        on="_day",
        by="_key",
        direction="backward",
        allow_exact_matches=(when == "same_day"),
        tolerance=pd.Timedelta(days=max_age_days),
    ).set_index("_pos")
    found = pd.Series(pd.NA, index=range(len(out)), dtype="Int64")
    date = pd.Series(pd.NaT, index=range(len(out)), dtype="datetime64[us]")
    found.loc[matched.index] = matched["_followers"].astype("Int64")
    date.loc[matched.index] = matched["_date"]
    found.index = date.index = out.index
    use_hist = own.isna() & found.notna()
    out["followers"] = own.where(~use_hist, found)
    out["followers_source"] = np.select(
        [own.notna().to_numpy(), use_hist.to_numpy()],
        ["posts table", "followers history"],
        default="unknown",
    )
    out["followers_source"] = out["followers_source"].astype("str")
    out["followers_date"] = date.where(use_hist)
    return out


# -- best time to post ------------------------------------------------------------------------
def best_times(
    posts: pd.DataFrame,
    numerator: Sequence[str] | str | None = None,
    denominator: str | None = None,
    aggregate: str | None = None,
    *,
    preset: str | None = None,
    time_zone: str = "UTC",
    min_posts: int = 3,
    ci: float | None = None,
    n_boot: int = 1000,
    seed: int | None = 0,
    report: CleaningReport | None = None,
    interval: str = "bootstrap",
) -> pd.DataFrame:
    """Engagement rate by weekday x hour, with post counts, thin cells masked.

    A slot with a single lucky post would otherwise look like the best time to post:
    cells with fewer than ``min_posts`` posts keep their count but show no rate. Posts
    whose export gives only the day (every post of a file at the same time of day, such
    as X's account analytics content export) are left out and counted in
    ``n_without_time``: their hour is not known.

    Parameters
    ----------
    posts
        The posts table; not mutated.
    numerator, denominator, aggregate, preset
        The formula, as in :func:`engagement_rate`.
    time_zone
        The reader's time zone: weekdays and hours are counted there.
    min_posts
        Fewest posts a cell needs for its rate to be shown.
    ci, n_boot, seed, interval
        As in :func:`engagement_rate` (no interval by default: 168 cells).
    report
        A cleaning report to which posts without a time of day are added (flagged).

    Returns
    -------
    DataFrame
        168 rows, one per weekday and hour, with ``weekday`` (0 = Monday),
        ``weekday_name``, ``hour``, ``rate`` (every cell with a post), ``low``, ``high``,
        ``n_posts``, ``n_excluded``, ``masked`` (True when ``n_posts < min_posts``),
        ``rate_shown`` (``rate``, or NaN when masked), ``rank`` (1 = best unmasked cell),
        ``formula``, ``unit``, ``time_zone``, ``n_without_time`` (posts left out
        because their export gives no time of day; the same on every row).

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"published_at": pd.to_datetime(
    ...     ["2024-01-01 09:00", "2024-01-08 09:30", "2024-01-02 15:00"], utc=True),
    ...     "likes": [5, 7, 90], "comments": [0, 0, 0], "shares": [0, 0, 0],
    ...     "impressions": [100, 100, 100]})
    >>> grid = best_times(posts, min_posts=2)
    >>> best = grid[grid["rank"] == 1]
    >>> best[["weekday_name", "hour", "n_posts"]].values.tolist(), round(best["rate_shown"].item(), 3)
    ([['Monday', 9, 2]], 0.06)
    """
    formula = formula_for(preset, numerator, denominator, aggregate)
    timeless = _date_only(posts)
    if report is not None and timeless.any():
        _record_timeless(report, posts, timeless)
    no_time = int(timeless.sum())
    posts = posts[~timeless]
    rates = engagement_rate(
        posts,
        list(formula.numerator) if preset is None else None,
        formula.denominator if preset is None else None,
        formula.aggregate if preset is None else None,
        preset=preset,
        by=["weekday", "hour"],
        time_zone=time_zone,
        ci=ci,
        n_boot=n_boot,
        seed=seed,
        interval=interval,
    )
    rates = rates[rates["weekday"].notna() & rates["hour"].notna()]
    grid = pd.MultiIndex.from_product([range(7), range(24)], names=["weekday", "hour"])
    counted = add_time_parts(posts, time_zone).groupby(["weekday", "hour"]).size()
    out = (
        rates.astype({"weekday": "int64", "hour": "int64"})
        .set_index(["weekday", "hour"])
        .reindex(grid)
        .reset_index()
    )
    total = counted.reindex(grid, fill_value=0).to_numpy()
    out["n_posts"] = out["n_posts"].fillna(0).astype("int64")
    out["n_excluded"] = total - out["n_posts"].to_numpy()
    out["masked"] = out["n_posts"] < min_posts
    out["rate_shown"] = out["rate"].where(~out["masked"])
    out["rank"] = out["rate_shown"].rank(ascending=False, method="min").astype("Int64")
    out["weekday_name"] = pd.Categorical.from_codes(out["weekday"], categories=list(WEEKDAYS))
    out["formula"] = formula.describe()
    out["unit"] = formula.unit
    out["time_zone"] = time_zone
    out["n_without_time"] = no_time
    cols = ["weekday", "weekday_name", "hour", "rate", "low", "high", "n_posts", "n_excluded"]
    return out[
        [*cols, "masked", "rate_shown", "rank", "formula", "unit", "time_zone", "n_without_time"]
    ]


def _date_only(posts: pd.DataFrame) -> pd.Series:
    """Posts whose export gives a day but no time of day (X's account analytics content).

    The loaders say so in ``time_known`` (False for a date without a time). For frames
    without that column (built by hand or mapped with the generic reader), per source
    file: when two or more posts are all at exactly 00:00:00 UTC, the time is taken as a
    filler for a date, not when the post went out.
    """
    out = pd.Series(False, index=posts.index)
    if "published_at" not in posts.columns or posts.empty:
        return out
    if "time_known" in posts.columns:  # the loader said so: no need to guess
        return posts["time_known"].eq(False).fillna(False).astype(bool)
    when = posts["published_at"]
    tod = (when - when.dt.floor("D")).dt.total_seconds()
    files = (
        posts["source_file"].astype(object).fillna("")
        if "source_file" in posts.columns
        else pd.Series("", index=posts.index)
    )
    known = tod.notna()
    stats_ = tod[known].groupby(files[known]).agg(["max", "size"])
    filler = stats_.index[(stats_["max"] == 0) & (stats_["size"] >= 2)]
    return (files.isin(filler) & known).astype(bool)


def _record_timeless(report: CleaningReport, posts: pd.DataFrame, mask: pd.Series) -> None:
    report.record_rows(
        posts[mask],
        "posts",
        rule="no time of day",
        column="published_at",
        reason="the export gives the day of publication but not the time: left out of "
        "the rates by hour of day",
    )


def _as_text(rate: float, unit: str) -> str:
    return f"{rate:.2%}" if unit == "fraction" else f"{rate:.2f} {unit}"


def best_slot(grid: pd.DataFrame) -> dict[str, object]:
    """The best unmasked weekday x hour slot of :func:`best_times`, with a sentence.

    Parameters
    ----------
    grid
        The result of :func:`best_times`.

    Returns
    -------
    dict
        ``weekday`` (name), ``hour``, ``rate``, ``posts`` and ``sentence`` (for people);
        the first four are None when no slot can be named, and the sentence says why:
        no post has a time of day (every export gives the day only), no post has a rate,
        or every slot has fewer posts than ``min_posts``.

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"published_at": pd.to_datetime(["2024-01-01 09:00"] * 2, utc=True),
    ...     "likes": [1, 3], "comments": 0, "shares": 0, "impressions": 100})
    >>> best_slot(best_times(posts, min_posts=2))["sentence"][:39]
    'Best slot with 2+ posts: Monday 09:00 ('
    """
    shown = grid[grid["rank"] == 1]
    tz = str(grid["time_zone"].iloc[0]) if len(grid) else "UTC"
    thin = grid.loc[~grid["masked"], "n_posts"]
    least = int(thin.min()) if len(thin) else None
    if shown.empty:
        none = {"weekday": None, "hour": None, "rate": None, "posts": None}
        timeless = int(grid["n_without_time"].iloc[0]) if len(grid) else 0
        timed = int((grid["n_posts"] + grid["n_excluded"]).sum()) if len(grid) else 0
        if timeless and not timed:
            return none | {
                "sentence": f"No post has a time of day: the exports of these {timeless:,} "
                "posts give the day each went out, not the hour, so there is no best slot."
            }
        rated = int(grid["n_posts"].sum()) if len(grid) else 0
        if not rated:
            return none | {"sentence": "No post has a rate by this formula: there is no best slot."}
        busiest = int(grid["n_posts"].max())
        return none | {
            "sentence": "No weekday x hour slot has enough posts to show a rate (the busiest "
            f"has {busiest}): post more, or lower min_posts."
        }
    b = shown.iloc[0]
    unit = str(grid["unit"].iloc[0]) if "unit" in grid.columns else "fraction"
    return {
        "weekday": str(b["weekday_name"]),
        "hour": int(b["hour"]),
        "rate": float(b["rate"]),
        "posts": int(b["n_posts"]),
        "sentence": f"Best slot with {least}+ posts: {b['weekday_name']} {int(b['hour']):02d}:00 "
        f"({tz}), rate {_as_text(b['rate'], unit)} over {int(b['n_posts'])} posts.",
    }


# -- breakout posts and top posts ---------------------------------------------------------------
def _rolling_previous(values: np.ndarray, window: int) -> np.ndarray:
    """Windows of the ``window`` values before each position (NaN-padded), shape (n, window)."""
    padded = np.concatenate([np.full(window, np.nan), values])
    return np.lib.stride_tricks.sliding_window_view(padded, window)[: len(values)]


def _rated_enough(
    posts: pd.DataFrame,
    numerator: Sequence[str] | str | None,
    denominator: str | None,
    preset: str | None,
    min_denominator: float,
) -> pd.DataFrame:
    """Per-post rates, with posts seen by fewer than ``min_denominator`` left unrated."""
    rated = add_engagement_rate(posts, numerator, denominator, preset=preset)
    den = formula_for(preset, numerator, denominator).denominator
    seen = rated[den].astype("Float64").astype("float64")
    thin = rated["engagement_rate"].notna() & (seen < min_denominator)
    if thin.any():
        rated.loc[thin, "engagement_rate"] = np.nan
        rated.loc[thin, "excluded_because"] = (
            f"{den} below {min_denominator:,.0f}: too few to rate alone"
        )
    return rated


def breakout_posts(
    posts: pd.DataFrame,
    numerator: Sequence[str] | str | None = None,
    denominator: str | None = None,
    *,
    preset: str | None = None,
    window: int = 10,
    min_periods: int = 5,
    threshold: float = 3.0,
    min_denominator: float = 100,
) -> pd.DataFrame:
    """Posts far above their own account's recent median: a robust score per post.

    Each post's rate is compared with the account's previous ``window`` posts (the post
    itself left out): ``score = (rate - rolling median) / (1.4826 x rolling MAD)``, the
    median absolute deviation scaled to a standard deviation for normal data (Iglewicz &
    Hoaglin's modified z-score). When the MAD is 0 (most recent posts alike), 1.2533 x the
    mean absolute deviation stands in; when that is 0 too, the score is unknown.

    Parameters
    ----------
    posts
        Posts of one or more accounts (``platform``, ``account``, ``published_at``);
        not mutated.
    numerator, denominator, preset
        The per-post rate, as in :func:`add_engagement_rate`.
    window
        How many previous posts make the baseline.
    min_periods
        Fewest previous posts with a rate needed for a score.
    threshold
        A post with ``score >= threshold`` is a breakout.
    min_denominator
        A post seen by fewer (impressions, or the formula's denominator) is not rated:
        1 like on 3 impressions is 33%, and would read as the breakout of the year. It
        is neither scored nor part of a baseline; ``excluded_because`` says so.

    Returns
    -------
    DataFrame
        The posts (sorted by account, then time), with the columns of
        :func:`add_engagement_rate` and ``baseline`` (rolling median of the previous
        posts' rates), ``spread`` (the scaled MAD used), ``n_baseline`` (previous posts
        with a rate), ``score`` and ``breakout`` (bool).

    Examples
    --------
    >>> import pandas as pd
    >>> likes = [10, 12, 9, 11, 10, 40]
    >>> posts = pd.DataFrame({"platform": "x", "account": "a", "likes": likes,
    ...     "comments": 0, "shares": 0, "impressions": 1000,
    ...     "published_at": pd.date_range("2024-01-01", periods=6, freq="D", tz="UTC")})
    >>> b = breakout_posts(posts, window=5, min_periods=5)
    >>> b["breakout"].tolist(), round(float(b["score"].iloc[-1]), 2)
    ([False, False, False, False, False, True], 20.23)
    """
    if window < 1 or min_periods < 1 or min_periods > window:
        raise ValueError("Need 1 <= min_periods <= window.")
    rated = _rated_enough(posts, numerator, denominator, preset, min_denominator)
    for col in ("platform", "account", "published_at"):
        if col not in rated.columns:
            raise RoiInputError(
                f"breakout_posts: the posts table has no {col!r} column",
                path=file_of(posts),
                column=col,
                expected="the canonical posts table",
            )
    rated = rated.sort_values(["platform", "account", "published_at"], kind="stable")
    baseline = np.full(len(rated), np.nan)
    spread = np.full(len(rated), np.nan)
    count = np.zeros(len(rated), dtype="int64")
    keys = rated["platform"].astype(str) + "|" + rated["account"].astype(str)
    rates = rated["engagement_rate"].to_numpy(dtype="float64")
    codes = pd.factorize(keys)[0]
    for code in np.unique(codes):  # a loop over accounts; each account is vectorised
        pos = np.flatnonzero(codes == code)
        win = _rolling_previous(rates[pos], window)
        n = np.sum(~np.isnan(win), axis=1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            med = np.nanmedian(win, axis=1)
            dev = np.abs(win - med[:, None])
            mad = 1.4826 * np.nanmedian(dev, axis=1)
            mean_ad = 1.2533 * np.nanmean(dev, axis=1)
        scale = np.where(mad > 0, mad, np.where(mean_ad > 0, mean_ad, np.nan))
        enough = n >= min_periods
        baseline[pos] = np.where(enough, med, np.nan)
        spread[pos] = np.where(enough, scale, np.nan)
        count[pos] = n
    out = rated.copy()
    out["baseline"] = baseline
    out["spread"] = spread
    out["n_baseline"] = count
    with np.errstate(invalid="ignore", divide="ignore"):
        out["score"] = (out["engagement_rate"] - out["baseline"]) / out["spread"]
    out["breakout"] = (out["score"] >= threshold).fillna(False).astype(bool)
    return out


def top_posts(
    posts: pd.DataFrame,
    numerator: Sequence[str] | str | None = None,
    denominator: str | None = None,
    *,
    preset: str | None = None,
    n: int = 10,
    text_width: int = 80,
    min_denominator: float = 100,
) -> pd.DataFrame:
    """The ``n`` posts with the highest engagement rate, for a table.

    Parameters
    ----------
    posts
        The posts table; not mutated.
    numerator, denominator, preset
        The per-post rate, as in :func:`add_engagement_rate`.
    n
        How many posts.
    text_width
        Post texts are cut to this many characters (an ellipsis marks the cut).
    min_denominator
        Posts seen by fewer (impressions, or the formula's denominator) are not ranked:
        1 engagement on 3 impressions would top the table.

    Returns
    -------
    DataFrame
        Up to ``n`` rows, best first: ``post_id``, ``platform``, ``account``,
        ``published_at``, ``content_type`` and ``text`` where present, the numerator and
        denominator columns, ``engagements`` and ``engagement_rate``. Posts without a rate,
        or with a denominator below ``min_denominator``, are not ranked.

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"post_id": ["a", "b", "c", "d"], "likes": [1, 9, 5, 40],
    ...     "comments": 0, "shares": 0, "impressions": [3, 100, 120, 1000]})
    >>> top_posts(posts, n=2)["post_id"].tolist()
    ['b', 'c']
    >>> top_posts(posts, n=2, min_denominator=1)["post_id"].tolist()
    ['a', 'b']
    """
    rated = _rated_enough(posts, numerator, denominator, preset, min_denominator)
    formula = formula_for(preset, numerator, denominator)
    rated = rated[rated["engagement_rate"].notna()]
    best = rated.sort_values("engagement_rate", ascending=False, kind="stable").head(n)
    front = [
        c
        for c in ("post_id", "platform", "account", "published_at", "content_type", "text")
        if c in best.columns
    ]
    counts = list(dict.fromkeys([*formula.numerator, formula.denominator]))
    out = best[[*front, *counts, "engagements", "engagement_rate"]].copy()
    if "text" in out.columns:
        text = out["text"].astype("str").str.replace(r"\s+", " ", regex=True)
        long = text.str.len() > text_width
        out["text"] = text.where(~long, text.str.slice(0, text_width - 1) + "…")
    return out.reset_index(drop=True)


# -- the follower fallacy -------------------------------------------------------------------------
def accounts_from_posts(
    posts: pd.DataFrame,
    numerator: Sequence[str] | str | None = None,
    denominator: str | None = None,
    aggregate: str | None = None,
    *,
    preset: str | None = None,
) -> pd.DataFrame:
    """One row per account from its posts, shaped like the profiles table.

    Parameters
    ----------
    posts
        Posts with ``platform``, ``account`` and ``followers``; not mutated.
    numerator, denominator, aggregate, preset
        The engagement rate per account, as in :func:`engagement_rate` (default the
        median over posts of (likes + comments + shares) / impressions).

    Returns
    -------
    DataFrame
        ``platform``, ``account``, ``followers`` (median over the account's posts of the
        count when posted), ``posts`` (number of posts), ``avg_likes``, ``avg_comments``,
        ``avg_shares`` (means over posts with the count known), ``avg_engagements`` (mean
        of likes + comments + shares), ``engagement_rate`` and ``formula``.

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"platform": "x", "account": ["a", "a", "b"], "likes": [2, 4, 1],
    ...     "comments": 0, "shares": 0, "impressions": 10, "followers": [100, 120, 50]})
    >>> accounts_from_posts(posts)[["account", "followers", "avg_likes"]].values.tolist()
    [['a', 110.0, 3.0], ['b', 50.0, 1.0]]
    """
    _check_posts(posts, ("followers", "likes", "comments", "shares"), "accounts_from_posts")
    g = posts.assign(
        _eng=posts[["likes", "comments", "shares"]].astype("Float64").sum(axis=1, min_count=3)
    ).groupby(["platform", "account"], dropna=False, sort=True)
    out = pd.DataFrame(
        {
            "followers": g["followers"].median().astype("float64"),
            "posts": g.size(),
            "avg_likes": g["likes"].mean().astype("float64"),
            "avg_comments": g["comments"].mean().astype("float64"),
            "avg_shares": g["shares"].mean().astype("float64"),
            "avg_engagements": g["_eng"].mean().astype("float64"),
        }
    )
    rates = engagement_rate(
        posts, numerator, denominator, aggregate, preset=preset, by=["platform", "account"], ci=None
    ).set_index(["platform", "account"])
    out["engagement_rate"] = rates["rate"]
    out["formula"] = rates["formula"]
    return out.reset_index()


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    rx = stats.rankdata(x)
    ry = stats.rankdata(y)
    if np.ptp(rx) == 0 or np.ptp(ry) == 0:
        return math.nan
    return float(np.corrcoef(rx, ry)[0, 1])


def _strength(rho: float) -> str:
    a = abs(rho)
    if a < 0.1:
        return "no"
    if a < 0.3:
        return "a weak"
    if a < 0.5:
        return "a moderate"
    return "a strong"


def follower_fallacy(
    table: pd.DataFrame,
    size: str = "followers",
    engagement: str = "avg_likes",
    *,
    method: str = "fisher",
    ci: float = 0.95,
    n_boot: int = 2000,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Does a bigger audience mean more engagement? Spearman's rho across accounts.

    Cha, Haddadi, Benevenuto & Gummadi (2010), "Measuring user influence in Twitter: the
    million follower fallacy": follower counts rank accounts very differently from the
    retweets and mentions they earn. This is their check: the rank correlation between
    audience size and engagement, across accounts or people.

    Parameters
    ----------
    table
        One row per account: the profiles table, or :func:`accounts_from_posts`; not
        mutated.
    size
        The audience column (``followers``).
    engagement
        The engagement column: an absolute one (``avg_likes``, ``avg_engagements``) or a
        rate (``engagement_rate``: then a negative rho is the usual finding, big accounts
        engage a smaller share of their audience).
    method
        Interval for rho: ``"fisher"`` (Fisher's z with Fieller, Hartley & Pearson's
        variance 1.06 / (n - 3) for Spearman's rho) or ``"bootstrap"`` (percentile,
        resampling accounts).
    ci
        Confidence level.
    n_boot, seed
        For the bootstrap.

    Returns
    -------
    DataFrame
        One row: ``rho``, ``low``, ``high``, ``p_value`` (two-sided, t approximation as in
        ``scipy.stats.spearmanr``), ``n_accounts`` (with both values known),
        ``n_excluded`` (either unknown), ``size``, ``engagement``, ``method`` and
        ``finding`` (a sentence for people, see :func:`describe_fallacy`).

    Raises
    ------
    RoiInputError
        ``size`` or ``engagement`` is not a column of ``table``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"followers": [10, 20, 30, 40, 50], "avg_likes": [5, 1, 4, 2, 3]})
    >>> round(float(follower_fallacy(t)["rho"].item()), 2)
    -0.3
    """
    for col in (size, engagement):
        if col not in table.columns:
            raise RoiInputError(
                f"follower_fallacy: no {col!r} column; the table has "
                + ", ".join(repr(c) for c in table.columns),
                path=file_of(table),
                column=col,
                expected="one row per account with its audience size and engagement",
            )
    if method not in ("fisher", "bootstrap"):
        raise ValueError("method must be 'fisher' or 'bootstrap'.")
    x = pd.to_numeric(table[size], errors="coerce").astype("float64")
    y = pd.to_numeric(table[engagement], errors="coerce").astype("float64")
    ok = x.notna() & y.notna()
    xv, yv = x[ok].to_numpy(), y[ok].to_numpy()
    n = len(xv)
    rho = _spearman(xv, yv) if n >= 3 else math.nan
    low = high = p = math.nan
    if not math.isnan(rho):
        if abs(rho) < 1:
            t = rho * math.sqrt((n - 2) / (1 - rho * rho))
            p = float(2 * stats.t.sf(abs(t), n - 2))
        else:
            p = 0.0
        if method == "fisher" and n > 3:
            z = math.atanh(max(min(rho, 1 - 1e-12), -1 + 1e-12))
            half = stats.norm.ppf(1 - (1 - ci) / 2) * math.sqrt(1.06 / (n - 3))
            low, high = math.tanh(z - half), math.tanh(z + half)
        elif method == "bootstrap":
            rng = np.random.default_rng(seed)
            idx = rng.integers(0, n, size=(n_boot, n))
            rx = stats.rankdata(xv[idx], axis=1)
            ry = stats.rankdata(yv[idx], axis=1)
            rx -= rx.mean(axis=1, keepdims=True)
            ry -= ry.mean(axis=1, keepdims=True)
            with np.errstate(invalid="ignore", divide="ignore"):
                boots = (rx * ry).sum(axis=1) / np.sqrt((rx**2).sum(axis=1) * (ry**2).sum(axis=1))
            low, high = (float(v) for v in np.nanquantile(boots, [(1 - ci) / 2, (1 + ci) / 2]))
            low, high = min(low, rho), max(high, rho)
    out = pd.DataFrame(
        [
            {
                "rho": rho,
                "low": low,
                "high": high,
                "p_value": p,
                "n_accounts": n,
                "n_excluded": int((~ok).sum()),
                "size": size,
                "engagement": engagement,
                "method": "Fisher z" if method == "fisher" else f"bootstrap ({n_boot:,})",
            }
        ]
    )
    out["finding"] = describe_fallacy(out, ci=ci)
    return out


def describe_fallacy(result: pd.DataFrame, ci: float = 0.95) -> str:
    """Say what :func:`follower_fallacy` found, in one or two sentences.

    Parameters
    ----------
    result
        The one-row frame :func:`follower_fallacy` returns.
    ci
        The confidence level its interval used.

    Returns
    -------
    str

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame([{"rho": 0.2, "low": -0.1, "high": 0.45, "n_accounts": 50,
    ...                    "size": "followers", "engagement": "avg_likes"}])
    >>> describe_fallacy(r)[:82]
    'Across 50 accounts, followers and average likes per post show a weak positive rank'
    """
    row = result.iloc[0]
    n = int(row["n_accounts"])
    rho = row["rho"]
    size = MEASURE_WORDS.get(str(row["size"]), str(row["size"]))
    engagement = MEASURE_WORDS.get(str(row["engagement"]), str(row["engagement"]))
    if pd.isna(rho):
        return (
            f"Only {n} account(s) with both {size} and {engagement} known: "
            "too few to say whether a bigger audience means more engagement."
        )
    sign = "positive" if rho > 0 else "negative"
    words = _strength(rho)
    corr = f"{words} {sign} rank correlation" if words != "no" else "no rank correlation"
    text = f"Across {n:,} accounts, {size} and {engagement} show {corr} (Spearman rho = {rho:.2f}"
    if pd.notna(row.get("low")) and pd.notna(row.get("high")):
        text += f", {ci:.0%} interval {row['low']:.2f} to {row['high']:.2f}"
    text += ")."
    share = rho * rho
    if abs(rho) < 0.5:
        text += (
            f" Audience size explains little of the ranking (rho squared = {share:.0%}): "
            "the follower fallacy holds here, a big following is no guarantee of engagement."
        )
    elif rho > 0:
        text += (
            f" Bigger audiences do rank higher here (rho squared = {share:.0%}), though many "
            "accounts still break the order."
        )
    else:
        text += (
            " Bigger audiences engage a smaller share of themselves: the rate falls as the "
            "following grows."
        )
    return text


# -- trends -------------------------------------------------------------------------------------
def rate_trend(
    posts: pd.DataFrame,
    numerator: Sequence[str] | str | None = None,
    denominator: str | None = None,
    aggregate: str | None = None,
    *,
    preset: str | None = None,
    window: int = 3,
    time_zone: str = "UTC",
    ci: float | None = 0.95,
    n_boot: int = 1000,
    seed: int | None = 0,
    interval: str = "bootstrap",
) -> pd.DataFrame:
    """The engagement rate month by month, over a rolling window of months.

    Parameters
    ----------
    posts
        The posts table; not mutated.
    numerator, denominator, aggregate, preset
        The formula, as in :func:`engagement_rate` (default: median, so one viral post
        does not make a trend).
    window
        Each month's figure uses the posts of that month and the ``window - 1`` months
        before it (1 = each month on its own).
    time_zone, ci, n_boot, seed, interval
        As in :func:`engagement_rate`. A post whose export gives only the day counts
        in the month its export wrote, whatever ``time_zone``.

    Returns
    -------
    DataFrame
        One row per calendar month from the first post to the last: ``month`` (first
        day), ``rate``, ``low``, ``high``, ``n_posts`` (in the window), ``n_excluded``,
        ``posts_in_month``, ``window_months``, ``formula``, ``preset``, ``unit`` and
        ``interval`` (how the interval was computed; the same on every row).

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"published_at": pd.to_datetime(
    ...     ["2024-01-05", "2024-02-05", "2024-03-05"], utc=True), "likes": [1, 3, 5],
    ...     "comments": 0, "shares": 0, "impressions": 100})
    >>> rate_trend(posts, window=2, ci=None)["rate"].round(3).tolist()
    [0.01, 0.02, 0.04]
    """
    if window < 1:
        raise ValueError("window must be at least 1 month.")
    formula = formula_for(preset, numerator, denominator, aggregate)
    _check_interval(interval)
    _check_posts(posts, (*formula.numerator, formula.denominator), "rate_trend")
    timed = add_time_parts(posts, time_zone)
    per = _per_post(posts, formula).join(timed["month"])
    per = per[per["month"].notna()]
    cols = ["month", *_RESULT, "posts_in_month"]
    if per.empty:
        out = pd.DataFrame(columns=cols)
    else:
        months = pd.date_range(per["month"].min(), per["month"].max(), freq="MS")
        rng = np.random.default_rng(seed)
        code = (per["month"].dt.year * 12 + per["month"].dt.month).to_numpy()
        rows = []
        for m in months:  # a loop over months, not posts
            c = m.year * 12 + m.month
            part = per[(code > c - window) & (code <= c)]
            rows.append(
                {"month": m}
                | _summarise(part, formula, ci, n_boot, rng, interval, _units(posts))
                | {"posts_in_month": int((code == c).sum())}
            )
        out = pd.DataFrame(rows, columns=cols)
    out["window_months"] = window
    out["formula"] = formula.describe()
    out["preset"] = formula.preset
    out["unit"] = formula.unit
    methods = out["interval"][out["interval"].ne("none")] if len(out) else out["interval"]
    out["interval"] = methods.iloc[0] if len(methods) else "none"
    return out


def follower_growth(
    followers: pd.DataFrame,
    freq: str = "MS",
    *,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Follower growth per account and month (or another period), within a window.

    Parameters
    ----------
    followers
        The followers table (``platform``, ``account``, ``date``, ``followers``, and
        optionally ``new_followers``, ``lost_followers``); not mutated. Choose the
        platforms first (:func:`select_days` with ``start`` and ``end`` left open: the
        days before the window are needed for its first total).
    freq
        A pandas period start frequency: ``"MS"`` (months), ``"W-MON"`` (weeks), ``"D"``.
    start, end
        The window (ISO dates, both inclusive; None or ``""`` open). Only days in it
        count; the growth of its first period is measured from the last total known
        before ``start`` (the end of the day before the window), when there is one.

    Returns
    -------
    DataFrame
        One row per platform, account and period: ``period`` (its first day),
        ``followers_start`` (the last known total before the period, or else the first
        known in it), ``followers_end`` (the last known total in the period), ``new_followers`` and ``lost_followers`` (sums, unknown when no day says),
        ``net_change`` (end - start where totals are known, else new - lost), ``net_from``
        (``"totals"`` or ``"gains and losses"``), ``growth_rate`` (``net_change /
        followers_start``), ``days`` (days with a row).

    Raises
    ------
    RoiInputError
        Columns missing.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"platform": "x", "account": "a",
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-31", "2024-02-10"]),
    ...     "followers": [100, 120, 126]})
    >>> follower_growth(f)[["followers_start", "net_change", "growth_rate"]].values.tolist()
    [[100.0, 20.0, 0.2], [120.0, 6.0, 0.05]]
    """
    missing = [c for c in ("platform", "account", "date", "followers") if c not in followers]
    if missing:
        raise RoiInputError(
            "follower_growth: the followers table has no column(s) "
            + ", ".join(map(repr, missing)),
            path=file_of(followers),
            column=missing[0],
            expected="the canonical followers table",
        )
    first = parameter_day(start, "start_date")
    f = followers.sort_values("date", kind="stable")
    baseline = pd.Series(dtype="float64")
    if first is not None:
        day = pd.to_datetime(f["date"]).dt.normalize()
        earlier = f[(day < first).to_numpy() & f["followers"].notna().to_numpy()]
        baseline = earlier.groupby(["platform", "account"], dropna=False)["followers"].last()
        baseline = baseline.astype("float64")
    f = select_days(f, None, start, end)
    f = f.assign(
        period=lambda d: (
            pd.to_datetime(d["date"])
            .dt.to_period(freq.removesuffix("S") if freq == "MS" else freq)
            .dt.start_time
        )
    )
    for col in ("new_followers", "lost_followers"):
        if col not in f.columns:
            f[col] = pd.array([pd.NA] * len(f), dtype="Int64")
    g = f.groupby(["platform", "account", "period"], dropna=False, sort=True)
    totals = f[f["followers"].notna()].groupby(["platform", "account", "period"], dropna=False)
    out = pd.DataFrame(
        {
            "followers_start": totals["followers"].first().astype("float64"),
            "followers_end": totals["followers"].last().astype("float64"),
        }
    ).reindex(g.size().index)
    levels = [0, 1]  # platform, account
    before = out["followers_end"].groupby(level=levels).ffill().groupby(level=levels).shift()
    if len(baseline) and len(out):  # the window's first total: the last one before it
        known = baseline.reindex(out.index.droplevel(2)).to_numpy()
        before = before.where(before.notna(), known)
    out["followers_start"] = before.where(before.notna(), out["followers_start"])
    out["new_followers"] = g["new_followers"].sum(min_count=1).astype("float64")
    out["lost_followers"] = g["lost_followers"].sum(min_count=1).astype("float64")
    out["days"] = g.size()
    by_totals = out["followers_end"] - out["followers_start"]
    by_flows = out["new_followers"] - out["lost_followers"]
    out["net_change"] = by_totals.where(by_totals.notna(), by_flows)
    out["net_from"] = np.where(
        by_totals.notna(), "totals", np.where(by_flows.notna(), "gains and losses", "unknown")
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        out["growth_rate"] = out["net_change"] / out["followers_start"].where(
            out["followers_start"] > 0
        )
    out = out.reset_index()
    cols = ["platform", "account", "period", "followers_start", "followers_end"]
    return out[
        [*cols, "new_followers", "lost_followers", "net_change", "net_from", "growth_rate", "days"]
    ]


# -- published benchmarks -----------------------------------------------------------------------
def load_benchmarks() -> pd.DataFrame:
    """The published engagement-rate medians the kit ships, with their sources.

    Returns
    -------
    DataFrame
        One row per published figure: ``source``, ``report``, ``year`` (of the report),
        ``data_year`` (the year measured), ``platform``, ``formula`` (the preset whose
        definition the figure uses), ``statistic`` (what was taken across companies),
        ``value`` (a fraction: 0.0047 for 0.47%), ``value_as_published``, ``url``,
        ``note``. These are figures as their authors published them, not measured by the
        kit.

    Examples
    --------
    >>> b = load_benchmarks()
    >>> sorted(b["formula"].unique())
    ['rival_iq']
    """
    path = resources.files("roi_helpers") / "data" / "engagement_benchmarks.csv"
    with resources.as_file(path) as p:
        out = pd.read_csv(p, dtype={"value": "float64", "year": "int64", "data_year": "int64"})
    return out


def compare_to_benchmark(
    figure: pd.DataFrame,
    platform: str | None = None,
    benchmarks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Compare your engagement rate with published medians, only where formulas match.

    A rate by impressions cannot be compared with a rate by followers, nor a pooled rate
    with a mean of per-post rates: each published figure is compared only when your
    figure was computed with the same preset (the same numerator, denominator, aggregate
    and scale) on the same platform; otherwise the row says why not.

    Parameters
    ----------
    figure
        A one-row result of :func:`engagement_rate` (with ``rate``, ``preset`` and
        ``formula``), or several rows with a ``platform`` column (one per platform).
    platform
        The platform of a one-row figure without a ``platform`` column.
    benchmarks
        The published figures; default :func:`load_benchmarks`.

    Returns
    -------
    DataFrame
        One row per published figure on that platform (and your figure): ``platform``,
        ``source``, ``year``, ``benchmark``, ``benchmark_formula``, ``yours``,
        ``your_formula``, ``comparable`` (bool), ``ratio`` (yours / benchmark, when
        comparable), ``verdict`` (a sentence: above or below the published median, or
        why the two cannot be compared), ``url``.

    Raises
    ------
    ValueError
        No platform given or found.

    Examples
    --------
    >>> import pandas as pd
    >>> mine = pd.DataFrame({"rate": [0.0094], "preset": ["rival_iq"],
    ...                      "formula": [PRESETS["rival_iq"].describe()]})
    >>> c = compare_to_benchmark(mine, platform="instagram")
    >>> c.loc[c["year"] == 2023, ["comparable", "ratio"]].values.tolist()
    [[True, 2.0]]
    """
    bench = load_benchmarks() if benchmarks is None else benchmarks
    if "platform" not in figure.columns:
        if platform is None:
            raise ValueError("Say which platform the figure is for: platform='instagram'.")
        figure = figure.assign(platform=platform)
    rows = []
    for _, mine in figure.iterrows():  # one row per platform: a handful
        plat = mine["platform"]
        theirs = bench[bench["platform"] == plat]
        yours_preset = mine.get("preset", "custom")
        for _, b in theirs.iterrows():
            target = PRESETS.get(b["formula"])
            same = yours_preset == b["formula"] and target is not None
            if same:
                ratio = mine["rate"] / b["value"]
                direction = "above" if ratio > 1 else "below" if ratio < 1 else "equal to"
                verdict = (
                    f"{mine['rate']:.3%} is {ratio:.1f} times the published {b['statistic']} "
                    f"({b['value_as_published']}, {b['source']} {b['year']}): {direction} it."
                )
            else:
                ratio = math.nan
                verdict = "Not comparable: " + _why_different(mine, target)
            rows.append(
                {
                    "platform": plat,
                    "source": b["source"],
                    "year": b["year"],
                    "benchmark": b["value"],
                    "benchmark_formula": b["statistic"]
                    + " of "
                    + (target.describe() if target else str(b["formula"])),
                    "yours": mine["rate"],
                    "your_formula": mine.get("formula", "unknown"),
                    "comparable": bool(same),
                    "ratio": ratio,
                    "verdict": verdict,
                    "url": b["url"],
                }
            )
    cols = ["platform", "source", "year", "benchmark", "benchmark_formula", "yours"]
    cols += ["your_formula", "comparable", "ratio", "verdict", "url"]
    return pd.DataFrame(rows, columns=cols)


def _why_different(mine: pd.Series, target: Formula | None) -> str:
    if target is None:
        return "the published figure's formula is not one the kit knows."
    yours = PRESETS.get(str(mine.get("preset", "custom")))
    if yours is None:
        return (
            f"yours is a custom formula ({mine.get('formula', 'unknown')}); the published "
            f"figure uses {target.source} ({target.describe()}). Recompute yours with "
            f"preset={target.preset!r} to compare."
        )
    diffs = []
    if set(yours.numerator) != set(target.numerator):
        diffs.append(
            f"yours counts {' + '.join(yours.numerator)}, theirs {' + '.join(target.numerator)}"
        )
    if yours.denominator != target.denominator:
        diffs.append(f"yours divides by {yours.denominator}, theirs by {target.denominator}")
    if yours.aggregate != target.aggregate:
        diffs.append(f"yours is a {yours.aggregate} over posts, theirs a {target.aggregate}")
    if yours.scale != target.scale:
        diffs.append(f"yours is {yours.unit}, theirs {target.unit}")
    return "; ".join(diffs or ["the formulas differ"]) + (
        f". Recompute with preset={target.preset!r} to compare."
    )


# -- selecting and checking ---------------------------------------------------------------------
def select_posts(
    posts: pd.DataFrame,
    platforms: Sequence[str] | None = None,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """The posts of some platforms published between two dates (both inclusive).

    Parameters
    ----------
    posts
        The posts table; not mutated.
    platforms
        Platforms to keep; None or empty keeps all.
    start, end
        ISO dates (``"2024-01-31"``, UTC days); None or ``""`` leaves that side open.

    Returns
    -------
    DataFrame
        The matching rows, columns unchanged. Posts with no publication date are kept
        only when both dates are open.

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"platform": ["x", "linkedin", "x"],
    ...     "published_at": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"], utc=True)})
    >>> len(select_posts(posts, ["x"], "2024-02-01", ""))
    1
    """
    return select_days(posts, platforms, start, end, column="published_at")


def select_days(
    table: pd.DataFrame,
    platforms: Sequence[str] | None = None,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    *,
    column: str | None = "date",
) -> pd.DataFrame:
    """The rows of some platforms between two days (both inclusive), from any table.

    The notebook's ``platforms``, ``start_date`` and ``end_date`` apply to every table it
    reads: posts (``published_at``), LinkedIn page days and followers histories
    (``date``), account profiles (no date: platforms only).

    Parameters
    ----------
    table
        Posts, page days, followers or profiles; not mutated.
    platforms
        Platforms to keep; None or empty keeps all.
    start, end
        ISO dates (``"2024-01-31"``; UTC days for timestamps); None or ``""`` leaves that
        side open.
    column
        The date column (timezone-aware timestamps are taken as UTC days); None for a
        table without dates (then ``start`` and ``end`` must be open).

    Returns
    -------
    DataFrame
        The matching rows, columns unchanged. Rows with no date are kept only when both
        dates are open.

    Raises
    ------
    RoiInputError
        A date that is not one, platforms asked of a table without ``platform``, or
        dates asked of a table without ``column``.

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.DataFrame({"platform": ["linkedin", "x", "linkedin"],
    ...     "date": pd.to_datetime(["2025-03-31", "2025-04-01", "2025-04-01"])})
    >>> select_days(days, ["linkedin"], "2025-04-01", "2025-06-30").index.tolist()
    [2]
    """
    first, last = parameter_day(start, "start_date"), parameter_day(end, "end_date")
    if table.empty:
        return table
    keep = pd.Series(True, index=table.index)
    if platforms:
        if "platform" not in table.columns:
            raise RoiInputError(
                "cannot choose platforms: the table has no 'platform' column",
                path=file_of(table),
                column="platform",
                expected="a canonical table (posts, followers, page days, profiles)",
            )
        keep &= table["platform"].isin(list(platforms))
    if first is not None or last is not None:
        if column is None or column not in table.columns:
            raise RoiInputError(
                f"cannot choose dates: the table has no {column!r} column",
                path=file_of(table),
                column=column,
                expected="a date column",
            )
        when = pd.to_datetime(table[column])
        if isinstance(when.dtype, pd.DatetimeTZDtype):
            when = when.dt.tz_convert("UTC").dt.tz_localize(None)
        day = when.dt.normalize()
        if first is not None:
            keep &= day >= first
        if last is not None:
            keep &= day <= last
    return table[keep.fillna(False).astype(bool)]


def compare_presets(
    posts: pd.DataFrame,
    presets: Sequence[str | None] | None = None,
    *,
    by: str | Sequence[str] | None = None,
    ci: float | None = 0.95,
    n_boot: int = 1000,
    seed: int | None = 0,
    interval: str = "bootstrap",
) -> pd.DataFrame:
    """The same posts under each tool's formula, side by side, never mixed.

    Parameters
    ----------
    posts
        The posts table; not mutated.
    presets
        Preset names (None stands for the kit's default formula); default: the default
        and every preset in :data:`PRESETS`.
    by, ci, n_boot, seed, interval
        As in :func:`engagement_rate`.

    Returns
    -------
    DataFrame
        One row per preset (and group): the columns of :func:`engagement_rate`, plus
        ``source`` (whose definition) and ``note`` (empty, or in a few words why the
        preset cannot be computed on these posts: a column it needs is missing from the
        export, or unknown for every post of that platform, as X's engagements are on
        LinkedIn posts: "the LinkedIn posts have no x_engagements"). A missing column
        leaves every post out and says so per platform (per group); it is not an error.

    Raises
    ------
    RoiInputError
        A column the formulas need holds text instead of counts.

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"platform": ["x"], "likes": [4], "comments": [1], "shares": [0],
    ...                       "clicks": [5], "impressions": [100]})
    >>> c = compare_presets(posts, ci=None).set_index("preset")
    >>> print(round(float(c.loc["linkedin", "rate"]), 3), "|", c.loc["rival_iq", "note"])
    0.1 | the X posts have no followers
    """
    names = [None, *PRESETS] if presets is None else list(presets)
    parts = []
    for name in names:  # a handful of formulas
        formula = formula_for(name)
        needed = dict.fromkeys([*formula.numerator, formula.denominator])
        absent = [c for c in needed if c not in posts.columns]
        # A column the export lacks is unknown for every post: each is left out and
        # counted, and the note says which platform lacks what (not an error message
        # listing every column of the table).
        frame = posts.assign(**{c: pd.array([pd.NA] * len(posts), dtype="Int64") for c in absent})
        r = engagement_rate(
            frame, preset=name, by=by, ci=ci, n_boot=n_boot, seed=seed, interval=interval
        )
        r["note"] = _why_no_rate(frame, r, name)
        r["source"] = formula.source
        parts.append(r)
    return pd.concat(parts, ignore_index=True)


def _why_no_rate(posts: pd.DataFrame, rates: pd.DataFrame, preset: str | None) -> pd.Series:
    """Per row of ``rates``: why no post has a rate ("" where some do)."""
    note = pd.Series("", index=rates.index, dtype=object)
    empty = rates["n_posts"].eq(0)
    if not empty.any():
        return note
    if not len(posts):
        note[empty] = "no posts"
        return note
    note[empty] = "no post has every count this formula needs, and a denominator above 0"
    gaps = formula_gaps(posts, preset=preset).set_index("platform")["missing"]
    if gaps.empty:
        return note
    if "platform" not in posts.columns:
        note[empty] = f"these posts have no {_and(gaps.iloc[0].split(', '))}"
        return note
    said = {p: f"the {_platform(p)} posts have no {_and(m.split(', '))}" for p, m in gaps.items()}
    if "platform" in rates.columns:
        known = empty & rates["platform"].isin(list(said))
        note[known] = rates.loc[known, "platform"].map(said)
    else:
        plats = [p for p in sorted(posts["platform"].dropna().unique()) if p in said]
        if plats:
            note[empty] = "; ".join(said[p] for p in plats)
    return note


def reproduce_export_rate(
    frame: pd.DataFrame, preset: str, column: str, *, rtol: float = 1e-9
) -> pd.DataFrame:
    """Check a preset against the rate column an export wrote itself, row by row.

    Parameters
    ----------
    frame
        Posts (X: ``x_engagement_rate``) or page days (LinkedIn: ``engagement_rate``);
        not mutated.
    preset
        The preset that should reproduce ``column``.
    column
        The export's own rate, as a fraction.
    rtol
        Relative tolerance of a match (the exports round to about 15 digits).

    Returns
    -------
    DataFrame
        One row: ``preset``, ``column``, ``n_compared`` (rows where both are known),
        ``n_matching``, ``max_abs_difference``, ``n_only_ours`` and ``n_only_theirs``
        (rows where only one side has a rate), and ``sentence`` (the check in words, for
        a report).

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.DataFrame({"clicks": [5, 0], "likes": [4, 0], "comments": [1, 0],
    ...     "shares": [0, 0], "impressions": [100, 0], "engagement_rate": [0.1, 0.0]})
    >>> reproduce_export_rate(days, "linkedin", "engagement_rate")[["n_compared", "n_matching"]].values.tolist()
    [[2, 2]]
    """
    if column not in frame.columns:
        raise RoiInputError(
            f"no {column!r} column to compare with",
            path=file_of(frame),
            column=column,
            expected="the export's own rate column",
        )
    ours = add_engagement_rate(frame, preset=preset)["engagement_rate"] / PRESETS[preset].scale
    theirs = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    both = ours.notna() & theirs.notna()
    diff = (ours[both] - theirs[both]).abs()
    match = diff <= rtol * theirs[both].abs() + 1e-12
    out = pd.DataFrame(
        [
            {
                "preset": preset,
                "column": column,
                "n_compared": int(both.sum()),
                "n_matching": int(match.sum()),
                "max_abs_difference": float(diff.max()) if len(diff) else math.nan,
                "n_only_ours": int((ours.notna() & theirs.isna()).sum()),
                "n_only_theirs": int((ours.isna() & theirs.notna()).sum()),
            }
        ]
    )
    what = "posts" if "post_id" in frame else "days" if "date" in frame else "rows"
    out["sentence"] = _reproduced_sentence(out.iloc[0], what)
    return out


def _reproduced_sentence(r: pd.Series, what: str) -> str:
    n, same = int(r["n_compared"]), int(r["n_matching"])
    if n == 0:
        text = f"No {what} have both the export's {r['column']} and a rate by this formula."
    elif same == n:
        text = (
            f"All {n:,} {what} with both rates match the export's own {r['column']} "
            f"(largest difference {r['max_abs_difference']:.1g})."
        )
    else:
        text = (
            f"{same:,} of {n:,} {what} match the export's own {r['column']}; the largest "
            f"difference is {r['max_abs_difference']:.4g}."
        )
    ours, theirs = int(r["n_only_ours"]), int(r["n_only_theirs"])
    one = what.removesuffix("s")
    if ours:
        text += (
            f" {ours:,} {what if ours > 1 else one} "
            f"{'have' if ours > 1 else 'has'} no {r['column']} in the export."
        )
    if theirs:
        text += (
            f" {theirs:,} {what if theirs > 1 else one} "
            f"{'have' if theirs > 1 else 'has'} the export's rate but none by this formula."
        )
    return text


# -- for reading: tables, sentences and names a report shows ------------------------------------
#: How platforms are named for people.
PLATFORM_NAMES = {
    "linkedin": "LinkedIn",
    "x": "X",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "other": "other",
}
#: Columns of an accounts table in words (for findings and chart axes).
MEASURE_WORDS = {
    "followers": "followers",
    "avg_likes": "average likes per post",
    "avg_comments": "average comments per post",
    "avg_shares": "average shares per post",
    "avg_engagements": "average engagements per post",
    "engagement_rate": "engagement rate",
}
_LEFT_OUT_WHY = {
    "content_type": "their exports do not say what type each post is",
    "time_of_day": "their exports give the day each post went out, not the time",
}


def _platform(name: object) -> str:
    return PLATFORM_NAMES.get(str(name), str(name))


def _rate_text(value: object, unit: str = "fraction") -> str:
    if value is None or pd.isna(value):
        return ""
    return f"{float(value):.2%}" if unit == "fraction" else f"{float(value):.2f} {unit}"


def _and(parts: Sequence[str]) -> str:
    parts = list(parts)
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def readable_rates(
    rates: pd.DataFrame, level: float | None = 0.95, rows: str = "posts"
) -> pd.DataFrame:
    """Engagement rates worded for a reader: each rate and interval written in its unit.

    A raw result mixes fractions (``0.0304``) with Emplifi's per-1,000 figures and spells
    out how the interval was computed; a report reader wants ``3.04%`` and ``2.62% to
    3.45%``. Pass the result to :func:`roi_helpers.tables.show`. Does not mutate ``rates``.

    Parameters
    ----------
    rates
        A result of :func:`engagement_rate` (with or without groups), or of
        :func:`compare_presets`.
    level
        The confidence level the intervals were computed at (the ``ci`` passed), written
        in ``interval by``; None leaves it out.
    rows
        What the rated rows are, for the count's heading: ``"posts"``, or ``"days"`` for
        a LinkedIn page's daily table.

    Returns
    -------
    DataFrame
        One row per row of ``rates``, with the group columns (those before ``rate``),
        then ``preset`` (only when the rows use more than one), ``rate`` (text: ``3.04%``,
        or ``38.95 per 1,000 impressions``; empty when no post has a rate), ``interval``
        (text, ``2.62% to 3.45%``; empty when none), ``interval by`` (how it was
        computed, in a few words: ``95% bootstrap over posts`` or ``95% Wilson, each
        impression a trial``; only when ``rates`` says), ``posts`` (posts used; named
        by ``rows``), ``left out`` (posts excluded: a count or the denominator unknown, 0 or negative),
        ``formula``, and ``note`` (only when a row has one: why a formula cannot be
        computed).

    Raises
    ------
    RoiInputError
        ``rates`` lacks the columns of an :func:`engagement_rate` result.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"platform": ["x"], "rate": [0.0304], "low": [0.0262],
    ...     "high": [0.0345], "n_posts": [119], "n_excluded": [0], "unit": ["fraction"],
    ...     "formula": ["median over posts of likes / impressions"], "preset": ["custom"]})
    >>> shown = readable_rates(r)
    >>> list(shown.columns)
    ['platform', 'rate', 'interval', 'posts', 'left out', 'formula']
    >>> shown["rate"].item(), shown["interval"].item()
    ('3.04%', '2.62% to 3.45%')
    >>> list(readable_rates(r, rows="days").columns)
    ['platform', 'rate', 'interval', 'days', 'left out', 'formula']
    """
    needed = ["rate", "low", "high", "n_posts", "n_excluded", "formula"]
    missing = [c for c in needed if c not in rates.columns]
    if missing:
        raise RoiInputError(
            "readable_rates: not an engagement_rate result; it lacks "
            + ", ".join(map(repr, missing)),
            column=missing[0],
            expected="the frame engagement_rate or compare_presets returns",
        )
    cols = list(rates.columns)
    groups = cols[: cols.index("rate")]
    unit = (
        rates["unit"].astype(object).fillna("fraction")
        if "unit" in rates.columns
        else pd.Series("fraction", index=rates.index, dtype=object)
    )
    fraction = unit.eq("fraction").to_numpy()

    def text(col: str, with_unit: bool) -> pd.Series:
        v = rates[col].astype("float64")
        pct = v.map(lambda x: f"{x:.2%}")
        plain = v.map(lambda x: f"{x:.2f}") + ((" " + unit) if with_unit else "")
        return pd.Series(np.where(v.isna(), "", np.where(fraction, pct, plain)), index=rates.index)

    rate, low, high = text("rate", True), text("low", False), text("high", False)
    interval = (low + " to " + high).where((low != "") & (high != ""), "")
    out = rates[groups].copy()
    if "preset" in rates.columns and rates["preset"].nunique() > 1:
        out["preset"] = rates["preset"]
    out["rate"] = rate
    out["interval"] = interval
    if "interval" in rates.columns:
        how = rates["interval"].map(lambda m: describe_interval(m, level))
        how = how.where(interval != "", "")
        if how.ne("").any():
            out["interval by"] = how
    out[rows] = rates["n_posts"].astype("int64")
    out["left out"] = rates["n_excluded"].astype("int64")
    out["formula"] = rates["formula"]
    if "note" in rates.columns and rates["note"].fillna("").astype(str).str.len().gt(0).any():
        out["note"] = rates["note"].fillna("")
    return out.reset_index(drop=True)


def no_posts_sentence(n_in_folder: int) -> str:
    """What a section of notebook 02 says when no post is left to analyse.

    Parameters
    ----------
    n_in_folder
        Posts in the folder before the platforms and dates were chosen.

    Returns
    -------
    str
        ``"Skipped: this folder has no posts."``, or, when the parameters chose none of
        its posts, a sentence that says how many there are and which parameters to
        widen.

    Examples
    --------
    >>> no_posts_sentence(0)
    'Skipped: this folder has no posts.'
    >>> no_posts_sentence(365)[:60]
    'Skipped: no posts on the platforms and dates chosen (the fol'
    """
    if not n_in_folder:
        return "Skipped: this folder has no posts."
    return (
        "Skipped: no posts on the platforms and dates chosen (the folder has "
        f"{n_in_folder:,}; widen platforms, start_date or end_date)."
    )


def describe_interval(method: object, level: float | None = 0.95) -> str:
    """An interval's method (the ``interval`` column of a result) in a few words.

    Parameters
    ----------
    method
        ``"bootstrap over posts (2,000 resamples, ratio of sums)"``, ``"Wilson score
        (impressions as trials)"`` or ``"none"``.
    level
        The confidence level, written first; None leaves it out.

    Returns
    -------
    str
        ``"95% bootstrap over posts"``, ``"95% Wilson, each impression a trial"``, or
        ``""`` for no interval.

    Examples
    --------
    >>> describe_interval("Wilson score (impressions as trials)")
    '95% Wilson, each impression a trial'
    >>> describe_interval("bootstrap over posts (500 resamples, percentile)", None)
    'bootstrap over posts'
    """
    text = str(method)
    if text.startswith("bootstrap"):
        words = " ".join(text.split(" ")[:3])  # "bootstrap over posts" (or days)
    elif text.startswith("Wilson"):
        trial = text[text.find("(") + 1 :].split(" as ")[0].removesuffix("s")
        words = f"Wilson, each {trial} a trial"
    else:
        return ""
    return f"{level:.0%} {words}" if level else words


def readable_benchmarks(comparison: pd.DataFrame) -> pd.DataFrame:
    """A :func:`compare_to_benchmark` result worded for a reader.

    Published medians are small fractions (0.045%): a percentage with one decimal would
    show 0.0%. Does not mutate ``comparison``.

    Parameters
    ----------
    comparison
        The result of :func:`compare_to_benchmark`.

    Returns
    -------
    DataFrame
        ``platform``, ``source``, ``year`` (text, no thousands separator), ``benchmark``
        and ``yours`` (percentages with three decimals; ``yours`` in its own unit when
        that is not a fraction), ``comparable`` (``yes`` or ``no``) and ``verdict``.

    Examples
    --------
    >>> import pandas as pd
    >>> mine = pd.DataFrame({"rate": [0.0094], "preset": ["rival_iq"],
    ...                      "formula": [PRESETS["rival_iq"].describe()]})
    >>> c = readable_benchmarks(compare_to_benchmark(mine, platform="instagram"))
    >>> c.loc[c["year"] == "2023", ["benchmark", "yours", "comparable"]].values.tolist()
    [['0.470%', '0.940%', 'yes']]
    """
    out = comparison[["platform", "source", "year"]].copy()
    out["year"] = comparison["year"].astype("Int64").astype("str")
    pct = lambda v: "" if pd.isna(v) else f"{float(v):.3%}"  # noqa: E731
    out["benchmark"] = comparison["benchmark"].map(pct)
    per = comparison["your_formula"].astype(str).str.contains(" x 1,000", regex=False)
    out["yours"] = (
        comparison["yours"]
        .map(pct)
        .where(~per, comparison["yours"].map(lambda v: f"{v:.2f} per 1,000"))
    )
    out["comparable"] = np.where(comparison["comparable"].astype(bool), "yes", "no")
    out["verdict"] = comparison["verdict"]
    return out.reset_index(drop=True)


def describe_left_out(posts: pd.DataFrame, what: str = "content_type") -> str:
    """One sentence on the posts a chart leaves out because their exports lack something.

    Parameters
    ----------
    posts
        The posts the chart was asked to show (with ``platform``); not mutated.
    what
        ``"content_type"``: posts without a content type (X's exports give none), left
        out of a chart by content type. ``"time_of_day"``: posts whose export gives the
        day but not the time (see :func:`best_times`), left out of a chart by hour.

    Returns
    -------
    str
        ``"Left out of this chart: all 246 X posts, because their exports do not say
        what type each post is."``, counted per platform; ``""`` when none is left out.

    Raises
    ------
    ValueError
        ``what`` is not one of the two.

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"platform": ["x", "x", "linkedin", "linkedin"],
    ...                       "content_type": [None, None, "video", None]})
    >>> describe_left_out(posts)
    'Left out of this chart: 1 of 2 LinkedIn posts and all 2 X posts, because their exports do not say what type each post is.'
    """
    if what not in _LEFT_OUT_WHY:
        raise ValueError(f"what must be one of {', '.join(_LEFT_OUT_WHY)}, not {what!r}.")
    if what == "content_type":
        missing = (
            posts["content_type"].isna()
            if "content_type" in posts.columns
            else pd.Series(True, index=posts.index)
        )
    else:
        missing = _date_only(posts)
    if not missing.any():
        return ""
    platform = (
        posts["platform"].astype(object).fillna("unknown platform")
        if "platform" in posts.columns
        else pd.Series("", index=posts.index, dtype=object)
    )
    counts = missing.astype("int64").groupby(platform, sort=True).agg(["sum", "size"])
    parts = []
    for name, row in counts[counts["sum"] > 0].iterrows():  # one row per platform
        label = f"{_platform(name)} posts" if name else "posts"
        n, total = int(row["sum"]), int(row["size"])
        if total == 1:
            parts.append(f"the only {label.removesuffix('s')}")
        else:
            parts.append(f"all {total:,} {label}" if n == total else f"{n:,} of {total:,} {label}")
    return f"Left out of this chart: {_and(parts)}, because {_LEFT_OUT_WHY[what]}."


def formula_gaps(
    posts: pd.DataFrame,
    numerator: Sequence[str] | str | None = None,
    denominator: str | None = None,
    *,
    preset: str | None = None,
) -> pd.DataFrame:
    """Platforms whose posts lack a column the formula needs: their posts cannot be rated.

    X's exports have no ``clicks`` for LinkedIn's formula on some versions, LinkedIn's
    have no ``x_engagements`` for X's, and post exports rarely carry ``followers``. A
    column absent from the table, or unknown for every post of a platform, leaves all
    that platform's posts out of the rate: this says so before a chart comes out empty.

    Parameters
    ----------
    posts
        The posts table (with ``platform``); not mutated.
    numerator, denominator, preset
        The formula, as in :func:`engagement_rate`.

    Returns
    -------
    DataFrame
        One row per platform lacking something: ``platform``, ``n_posts`` (its posts),
        ``missing`` (the columns, comma-separated) and ``sentence`` (for people). Empty
        when every platform has every column.

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"platform": ["x", "linkedin"], "x_engagements": [5, None],
    ...                       "impressions": [100, 200]})
    >>> formula_gaps(posts, preset="x")[["platform", "n_posts", "missing"]].values.tolist()
    [['linkedin', 1, 'x_engagements']]
    """
    formula = formula_for(preset, numerator, denominator)
    needed = list(dict.fromkeys([*formula.numerator, formula.denominator]))
    platform = (
        posts["platform"].astype(object).fillna("unknown")
        if "platform" in posts.columns
        else pd.Series("all", index=posts.index, dtype=object)
    )
    known = pd.DataFrame(
        {c: posts[c].notna() if c in posts.columns else False for c in needed},
        index=posts.index,
    )
    some = known.groupby(platform, sort=True).any()
    size = platform.groupby(platform, sort=True).size()
    rows = []
    for name, has in some.iterrows():  # one row per platform
        lacking = [c for c in needed if not has[c]]
        if not lacking:
            continue
        n = int(size[name])
        rows.append(
            {
                "platform": name,
                "n_posts": n,
                "missing": ", ".join(lacking),
                "sentence": f"{n:,} {_platform(name)} post{'s' if n != 1 else ''} left out: "
                f"{'their' if n != 1 else 'its'} export has no {_and(lacking)} "
                f"(the rate is {formula.describe()}).",
            }
        )
    return pd.DataFrame(rows, columns=["platform", "n_posts", "missing", "sentence"])


def hide_private_accounts(
    accounts: pd.DataFrame,
    show_names: bool = False,
    *,
    audience: pd.DataFrame | None = None,
    team: pd.DataFrame | None = None,
    column: str = "account",
) -> pd.DataFrame:
    """Pseudonymise the accounts that are private people; organisations keep their names.

    The profiles table and post exports name company pages and public accounts (a peer
    company's page, a well-known influencer): their names are what a follower-fallacy
    chart is read for. Connection exports are private people. An account is taken as a
    person when it matches, ignoring case and surrounding spaces, the owner of a
    connection export (``audience.account``), a connection (``audience.name`` or
    ``person_id``) or a team member (``team.member`` or ``team.name``); those get the
    same pseudonym as :func:`roi_helpers.privacy.hide_people` gives them elsewhere,
    unless ``show_names``.

    Parameters
    ----------
    accounts
        One row per account (profiles table, :func:`accounts_from_posts`...); not mutated.
    show_names
        Keep every name (the analyst looking at their own team).
    audience, team
        The audience and team tables of the same folder (either may be None).
    column
        The column naming the account.

    Returns
    -------
    DataFrame
        A copy without email columns, with people's accounts pseudonymised
        (``Person 3f9a...``) and every other account as it was.

    Examples
    --------
    >>> import pandas as pd
    >>> acc = pd.DataFrame({"account": ["acme-page", "ana-duarte"], "followers": [900, 300]})
    >>> team = pd.DataFrame({"member": ["ana-duarte"], "name": ["Ana Duarte"]})
    >>> shown = hide_private_accounts(acc, team=team)["account"].tolist()
    >>> shown[0], shown[1].startswith("Person ")
    ('acme-page', True)
    """
    from .privacy import hide_people, pseudonym

    out = hide_people(accounts, show_names=True)  # drops emails, keeps names
    if show_names or column not in out.columns:
        return out
    people: list[pd.Series] = []
    for table, cols in ((audience, ("account", "name", "person_id")), (team, ("member", "name"))):
        if table is None:
            continue
        people += [table[c].dropna().astype(str) for c in cols if c in table.columns]
    if not people:
        return out
    private = set(pd.concat(people, ignore_index=True).str.strip().str.casefold())
    names = out[column]
    is_person = names.astype(str).str.strip().str.casefold().isin(private) & names.notna()
    if is_person.any():
        out[column] = names.astype(object).where(
            ~is_person, pseudonym(names[is_person].astype("str"))
        )
    return out


def exports_used(files: pd.DataFrame, kinds: Iterable[str]) -> pd.DataFrame:
    """The files of a folder that give some tables, counted by table and format.

    A notebook about posts lists the exports it reads, not every connections file of the
    folder (whose folder names are often people's names).

    Parameters
    ----------
    files
        ``Dataset.files`` from :func:`roi_helpers.load_dir`; not mutated.
    kinds
        The tables the notebook uses (``"posts"``, ``"followers"``...).

    Returns
    -------
    DataFrame
        One row per table and format: ``table``, ``format``, ``files`` (loaded),
        ``rows`` (rows loaded), ``failed`` (files of that format that could not be read)
        and ``problem`` (their messages, or empty). A failed file whose format gives
        other tables is not listed; one whose table cannot be told is listed with an
        empty ``table``.

    Examples
    --------
    >>> import pandas as pd
    >>> files = pd.DataFrame({"file": ["a.csv", "b.csv", "c.csv"],
    ...     "source": ["x_tweet_activity", "x_tweet_activity", "linkedin_connections"],
    ...     "kind": ["posts", "posts", "audience"], "rows": [20, 12, 300],
    ...     "status": "loaded", "message": ""})
    >>> exports_used(files, ["posts"]).values.tolist()
    [['posts', 'x_tweet_activity', 2, 32, 0, '']]
    """
    from . import sources

    kinds = list(kinds)
    table = files["kind"].astype(object)
    unknown = table.isna() & files["source"].notna()
    if unknown.any():  # failed files have no table: take their format's
        fixed = {}
        for name in files.loc[unknown, "source"].unique():  # a handful of formats
            try:
                fixed[name] = getattr(sources.get(str(name)), "KIND", None)
            except ValueError:
                fixed[name] = None
        table = table.where(~unknown, files["source"].map(fixed))
    failed = files["status"].eq("failed")
    keep = table.isin(kinds) | (failed & table.isna())
    part = files[keep].assign(
        table=table[keep].fillna(""),
        format=files.loc[keep, "source"].fillna("unknown"),
        _loaded=files.loc[keep, "status"].eq("loaded").astype("int64"),
        _failed=failed[keep].astype("int64"),
        _problem=files.loc[keep, "message"].fillna("").where(failed[keep], ""),
    )
    cols = ["table", "format", "files", "rows", "failed", "problem"]
    if part.empty:
        return pd.DataFrame(columns=cols)
    g = part.groupby(["table", "format"], sort=True)
    out = pd.DataFrame(
        {
            "files": g["_loaded"].sum(),
            "rows": g["rows"].sum().astype("int64"),
            "failed": g["_failed"].sum(),
            "problem": g["_problem"].agg(lambda m: "; ".join(v for v in m if v)),
        }
    ).reset_index()
    return out[cols]


def key_findings(numbers: dict[str, object]) -> dict[str, object]:
    """The headline sentence and highlights of notebook 02, from the numbers it computed.

    Parameters
    ----------
    numbers
        The notebook's key numbers; each is optional: ``rate``, ``unit``, ``formula``,
        ``n_posts``, ``rate_by_platform`` ({platform: rate}), ``best_slot`` (from
        :func:`best_slot`), ``time_zone``, ``fallacy_rho``, ``fallacy_n``,
        ``fallacy_measure``, ``n_breakouts``, ``linkedin_page_rate``, ``linkedin_days``,
        ``n_posts_in_folder`` (before the platforms and dates were chosen). Not mutated.

    Returns
    -------
    dict
        ``headline``: one sentence saying what was found (the rate with its formula and
        per platform; else, when the folder has posts but none was chosen, that; else
        the follower fallacy check; else LinkedIn's page rate; else that there was
        nothing to measure). ``highlights``: up to five ``{label: text}``
        (engagement rate, per platform, best slot, followers against engagement,
        breakout posts, LinkedIn page rate), only those known.

    Examples
    --------
    >>> f = key_findings({"rate": 0.0116, "formula": "median over posts of likes / impressions",
    ...                   "n_posts": 365, "rate_by_platform": {"linkedin": 0.0304, "x": 0.0085}})
    >>> f["headline"]
    'Engagement rate 1.16% over 365 posts (median over posts of likes / impressions): LinkedIn 3.04%, X 0.85%.'
    >>> f["highlights"]["By platform"]
    'LinkedIn 3.04% · X 0.85%'
    """
    unit = str(numbers.get("unit") or "fraction")
    rate = numbers.get("rate")
    by_platform = {
        k: v for k, v in dict(numbers.get("rate_by_platform") or {}).items() if v is not None
    }
    per = [f"{_platform(k)} {_rate_text(v, unit)}" for k, v in sorted(by_platform.items())]
    n_posts = int(numbers.get("n_posts") or 0)
    rho = numbers.get("fallacy_rho")
    has_rho = rho is not None and not pd.isna(rho)
    measure = MEASURE_WORDS.get(str(numbers.get("fallacy_measure")), "engagement")
    page = numbers.get("linkedin_page_rate")
    has_page = page is not None and not pd.isna(page)
    highlights: dict[str, str] = {}
    in_folder = int(numbers.get("n_posts_in_folder") or 0)
    if rate is not None and not pd.isna(rate):
        headline = (
            f"Engagement rate {_rate_text(rate, unit)} over {n_posts:,} posts "
            f"({numbers.get('formula', 'formula not given')})"
        )
        headline += (": " + ", ".join(per) + ".") if len(per) > 1 else "."
        highlights["Engagement rate"] = _rate_text(rate, unit)
        if len(per) > 1:
            highlights["By platform"] = " · ".join(per)
    elif in_folder and not n_posts:
        headline = (
            f"None of the {in_folder:,} posts in this folder is on the platforms and in the "
            "dates asked for: widen the parameters."
        )
    elif has_rho:
        n = int(numbers.get("fallacy_n") or 0)
        words = _strength(float(rho))
        sign = "positive" if float(rho) > 0 else "negative"
        corr = "no rank correlation" if words == "no" else f"{words} {sign} rank correlation"
        headline = (
            f"Across {n:,} accounts, followers and {measure} show {corr} "
            f"(Spearman rho = {float(rho):.2f}): audience size is a poor guide to engagement."
            if abs(float(rho)) < 0.5
            else f"Across {n:,} accounts, followers and {measure} show {corr} "
            f"(Spearman rho = {float(rho):.2f})."
        )
    elif has_page:
        days = int(numbers.get("linkedin_days") or 0)
        headline = (
            f"LinkedIn's own page engagement rate is {float(page):.2%} over {days:,} days "
            f"({PRESETS['linkedin'].describe()})."
        )
    else:
        headline = "No posts, account profiles or page analytics here: nothing to measure."
    slot = numbers.get("best_slot")
    if isinstance(slot, dict) and slot.get("weekday") is not None:
        tz = numbers.get("time_zone") or "UTC"
        highlights["Best slot"] = (
            f"{slot['weekday']} {int(slot['hour']):02d}:00 {tz} "
            f"({_rate_text(slot['rate'], unit)}, {int(slot['posts'])} posts)"
        )
    if has_rho:
        n = int(numbers.get("fallacy_n") or 0)
        highlights[f"Followers vs {measure}"] = f"rho {float(rho):.2f} ({n:,} accounts)"
    if numbers.get("n_breakouts") is not None and n_posts:
        highlights["Breakout posts"] = f"{int(numbers['n_breakouts']):,} of {n_posts:,}"
    if has_page:
        highlights["LinkedIn page rate"] = f"{float(page):.2%}"
    return {"headline": headline, "highlights": dict(list(highlights.items())[:5])}
