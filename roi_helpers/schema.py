"""The canonical tables: one pandera model per table, validated at the boundary.

Every loader returns one of these tables, whatever the export it read. The rules:

- timestamps are timezone-aware UTC (``datetime64[us, UTC]``); calendar dates are naive
  midnight datetimes (``datetime64[ns]``: pandera keeps naive datetimes in nanoseconds);
- counts are nullable integers (``Int64``): *unknown* (``<NA>``) is not *zero*;
- ids are strings, so 64-bit tweet ids never lose digits;
- extra columns are allowed (a source may keep what only it knows, such as X's own
  ``x_shares``), but the columns named here always mean the same thing;
- every table may carry ``source_file`` and ``source_row`` (the file a row came from and its
  row number as a spreadsheet shows it, header included), so any error or cleaning step can
  point a person at the exact line.

Plausibility (negative counts, reach above impressions...) is *not* a schema rule: such rows
are kept and flagged by :mod:`roi_helpers.clean`, because a platform's own corrections are
sometimes negative.

Column names are taken from the models: ``Posts.likes == "likes"``.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine
from pandera.typing import Series

from .errors import RoiInputError, format_rows

__all__ = [
    "ACTIONS",
    "PLATFORMS",
    "RELATIONSHIPS",
    "STATUSES",
    "TABLES",
    "Accounts",
    "Audience",
    "Events",
    "Followers",
    "PageDaily",
    "Posts",
    "Profiles",
    "Team",
    "empty",
    "required_columns",
    "validate",
]

PLATFORMS = ("linkedin", "x", "facebook", "instagram", "tiktok", "youtube", "other")
ACTIONS = ("post", "like", "comment", "share", "click", "view")
STATUSES = ("client", "prospect", "partner", "competitor")
RELATIONSHIPS = ("client", "prospect", "partner", "competitor", "internal", "peer", "other")

_UTC = {"unit": "us", "tz": "UTC"}
# A naive calendar date. pandera keeps naive datetimes in nanoseconds whatever unit is
# asked for, so dates are datetime64[ns] while timestamps are datetime64[us, UTC].
_Date = pandas_engine.DateTime


def _utc(**kwargs: object) -> object:
    return pa.Field(dtype_kwargs=_UTC, **kwargs)


def _count(**kwargs: object) -> object:
    return pa.Field(nullable=True, **kwargs)


class _Table(pa.DataFrameModel):
    """Lineage columns every table may carry."""

    source_file: Series[str] | None = pa.Field(nullable=True)
    source_row: Series[pd.Int64Dtype] | None = pa.Field(nullable=True)

    class Config:
        strict = False
        coerce = True


class Posts(_Table):
    """One row per post.

    Columns
    -------
    post_id : str
        The platform's id for the post (unique within a platform).
    platform : str
        One of ``PLATFORMS``.
    account : str
        Handle or page name of the account that published it.
    published_at : datetime64[us, UTC]
        When it was published; ``NaT`` only where the export gives no date at all.
    time_known : boolean, optional
        False where the export gives the day but not the time (``published_at`` is then
        midnight of that day): such posts are left out of time-of-day analyses.
    content_type : str, optional
        Text, image, video, link, document, poll... as the platform names it, lower case.
    text, url : str, optional
    impressions, reach, likes, comments, shares, saves, clicks, video_views : Int64
        Counts as exported; ``<NA>`` when the export does not say. ``likes``, ``comments``
        and ``shares`` are always present as columns. On X, ``shares`` are reposts.
    followers : Int64, optional
        Audience size of the account when the post was published, where known.
    paid : boolean, optional
        True for promoted or boosted posts.
    """

    post_id: Series[str] = pa.Field(nullable=False)
    platform: Series[str] = pa.Field(isin=PLATFORMS)
    account: Series[str] = pa.Field(nullable=True)
    published_at: Series[pandas_engine.DateTime] = _utc(nullable=True)
    time_known: Series[pd.BooleanDtype] | None = pa.Field(nullable=True)
    content_type: Series[str] | None = pa.Field(nullable=True)
    text: Series[str] | None = pa.Field(nullable=True)
    url: Series[str] | None = pa.Field(nullable=True)
    impressions: Series[pd.Int64Dtype] | None = _count()
    reach: Series[pd.Int64Dtype] | None = _count()
    likes: Series[pd.Int64Dtype] = _count()
    comments: Series[pd.Int64Dtype] = _count()
    shares: Series[pd.Int64Dtype] = _count()
    saves: Series[pd.Int64Dtype] | None = _count()
    clicks: Series[pd.Int64Dtype] | None = _count()
    video_views: Series[pd.Int64Dtype] | None = _count()
    followers: Series[pd.Int64Dtype] | None = _count()
    paid: Series[pd.BooleanDtype] | None = pa.Field(nullable=True)

    class Config:
        unique = ["platform", "post_id"]


class Events(_Table):
    """One row per engagement action by one person on one post.

    Columns
    -------
    post_id, platform : str
        The post acted on.
    user_id : str
        Who acted.
    action : str
        One of ``ACTIONS``: post (the author publishing the original, the root of its
        cascade), like, comment, share, click, view.
    occurred_at : datetime64[us, UTC]
        When. For sources that only give delays, the origin is said in the load report.
    parent_user_id : str, optional
        For a share: whose share it came from; empty (``<NA>``) means the original post
        (its author). Sources write what the data says, repeated or cyclic edges
        included: repairing the structure is :func:`roi_helpers.virality.build_cascades`'s job.
    author_id : str, optional
        Who published the original post, where the source says.
    user_followers : Int64, optional
        The acting user's follower count, where the source gives it (potential reach).
    parents_recorded : boolean, optional
        Whether this row's source records who reshared from whom. False for a flat
        retweet series (every share attributed to the original post because the layout
        has no parents: the cascade's shape is unknown, not flat); True for tree exports
        (Twitter15/16, Weibo paths), where a share straight from the post is a broadcast.
        The kit's own events files say True when they give a ``parent_user_id`` for at
        least one share, else False, unless they carry the column themselves.
    """

    post_id: Series[str] = pa.Field(nullable=False)
    platform: Series[str] = pa.Field(isin=PLATFORMS)
    user_id: Series[str] = pa.Field(nullable=False)
    action: Series[str] = pa.Field(isin=ACTIONS)
    occurred_at: Series[pandas_engine.DateTime] = _utc(nullable=True)
    parent_user_id: Series[str] | None = pa.Field(nullable=True)
    author_id: Series[str] | None = pa.Field(nullable=True)
    user_followers: Series[pd.Int64Dtype] | None = _count()
    parents_recorded: Series[pd.BooleanDtype] | None = pa.Field(nullable=True)


class Audience(_Table):
    """One row per connection or follower of an account.

    Columns
    -------
    account : str
        Whose network this is (the person or page that exported it).
    person_id : str
        A stable id for the connection: the profile URL's slug when the export has one,
        otherwise a pseudonymous hash of the name. Never an email.
    name, title, company, industry : str, optional
        As exported. ``title`` is the job title (LinkedIn's ``Position``).
    email : str, optional
        Kept for CRM matching by domain only; reports never print it.
    connected_on : datetime64[ns]
        Calendar date the connection was made.
    """

    account: Series[str] = pa.Field(nullable=False)
    person_id: Series[str] = pa.Field(nullable=False)
    name: Series[str] | None = pa.Field(nullable=True)
    title: Series[str] | None = pa.Field(nullable=True)
    company: Series[str] | None = pa.Field(nullable=True)
    industry: Series[str] | None = pa.Field(nullable=True)
    email: Series[str] | None = pa.Field(nullable=True)
    connected_on: Series[_Date] | None = pa.Field(nullable=True)

    class Config:
        unique = ["account", "person_id"]


class Accounts(_Table):
    """One row per company in the CRM.

    Columns
    -------
    company : str
        The account's name as the CRM spells it. A company listed twice is kept twice:
        with two statuses it is a conflict, which
        :func:`roi_helpers.relevance.prepare_accounts` reports (loading does not choose).
    status : str
        One of ``STATUSES``: client, prospect, partner, competitor.
    aliases : str, optional
        Other names, separated by ``;`` ("IBM; International Business Machines").
    domain : str, optional
        Web or email domain (``ibm.com``), used to match connections by email.
    """

    company: Series[str] = pa.Field(nullable=False)
    status: Series[str] = pa.Field(isin=STATUSES)
    aliases: Series[str] | None = pa.Field(nullable=True)
    domain: Series[str] | None = pa.Field(nullable=True)


class Followers(_Table):
    """One row per account and day.

    Columns
    -------
    account, platform : str
    date : datetime64[ns]
        Calendar day (in the platform's reporting time zone).
    followers : Int64
        Total followers at the end of the day; ``<NA>`` when the export only gives changes.
    new_followers, lost_followers : Int64, optional
        Gains and losses that day, where exported.
    """

    account: Series[str] = pa.Field(nullable=True)
    platform: Series[str] = pa.Field(isin=PLATFORMS)
    date: Series[_Date] = pa.Field(nullable=False)
    followers: Series[pd.Int64Dtype] = _count()
    new_followers: Series[pd.Int64Dtype] | None = _count()
    lost_followers: Series[pd.Int64Dtype] | None = _count()

    class Config:
        unique = ["platform", "account", "date"]


class Profiles(_Table):
    """One row per account, as influencer tables and profile exports give them.

    Columns
    -------
    platform, account : str
    followers, posts : Int64
        Audience size and number of posts published.
    avg_likes, avg_comments, avg_shares : float, optional
        Average per post, as exported.
    engagement_rate : float, optional
        The platform's (or the table author's) own engagement rate, as a fraction
        (``0.0139`` for ``1.39%``); its formula is whatever the source used.
    """

    platform: Series[str] = pa.Field(isin=PLATFORMS)
    account: Series[str] = pa.Field(nullable=False)
    followers: Series[pd.Int64Dtype] = _count()
    posts: Series[pd.Int64Dtype] | None = _count()
    avg_likes: Series[float] | None = pa.Field(nullable=True)
    avg_comments: Series[float] | None = pa.Field(nullable=True)
    avg_shares: Series[float] | None = pa.Field(nullable=True)
    engagement_rate: Series[float] | None = pa.Field(nullable=True)

    class Config:
        unique = ["platform", "account"]


class PageDaily(_Table):
    """One row per page and day: daily totals over all posts (LinkedIn page analytics).

    Columns
    -------
    account, platform : str
    date : datetime64[ns]
    impressions, reach, clicks, likes, comments, shares : Int64
        Daily totals; negative values are the platform's corrections, kept and flagged.
    engagement_rate : float, optional
        The platform's own daily rate (LinkedIn counts clicks in it).
    """

    account: Series[str] = pa.Field(nullable=True)
    platform: Series[str] = pa.Field(isin=PLATFORMS)
    date: Series[_Date] = pa.Field(nullable=False)
    impressions: Series[pd.Int64Dtype] = _count()
    reach: Series[pd.Int64Dtype] | None = _count()
    clicks: Series[pd.Int64Dtype] | None = _count()
    likes: Series[pd.Int64Dtype] = _count()
    comments: Series[pd.Int64Dtype] = _count()
    shares: Series[pd.Int64Dtype] = _count()
    engagement_rate: Series[float] | None = pa.Field(nullable=True)

    class Config:
        unique = ["platform", "account", "date"]


class Team(_Table):
    """One row per team member whose network is analysed: who they are, what they do.

    Columns
    -------
    member : str
        The member's account, as the audience table names it (the folder holding their
        ``Connections.csv``).
    name, title : str, optional
        Their name and job title.
    function : str, optional
        Their job function in LinkedIn's taxonomy (Sales, Marketing...): connections in the
        same function are their *peers*.
    company : str, optional
        The company they work for: connections there are *internal*.
    """

    member: Series[str] = pa.Field(nullable=False)
    name: Series[str] | None = pa.Field(nullable=True)
    title: Series[str] | None = pa.Field(nullable=True)
    function: Series[str] | None = pa.Field(nullable=True)
    company: Series[str] | None = pa.Field(nullable=True)

    class Config:
        unique = ["member"]


TABLES: dict[str, type[_Table]] = {
    "posts": Posts,
    "events": Events,
    "audience": Audience,
    "accounts": Accounts,
    "followers": Followers,
    "profiles": Profiles,
    "page_daily": PageDaily,
    "team": Team,
}

#: Columns that identify a row: used to deduplicate overlapping exports. Accounts have
#: none (a CRM company listed twice is a conflict for relevance to report) and events are
#: only flagged when repeated (repairing reshare cascades is virality's job).
KEYS: dict[str, list[str]] = {
    "posts": ["platform", "post_id"],
    "events": ["platform", "post_id", "user_id", "action", "occurred_at"],
    "audience": ["account", "person_id"],
    "followers": ["platform", "account", "date"],
    "profiles": ["platform", "account"],
    "page_daily": ["platform", "account", "date"],
    "team": ["member"],
}


def _model(kind: str) -> type[_Table]:
    try:
        return TABLES[kind]
    except KeyError:
        raise ValueError(f"Unknown table {kind!r}: the tables are {', '.join(TABLES)}.") from None


class _Text(pandas_engine.STRING):
    """pandera's text dtype, answered for the whole column when the column is text.

    A pandas text column holds nothing but text and missing values, so its dtype answers
    for every value; pandera's own check returns one ``True`` per row and then looks for
    failures among them (a third of the validation of a million events). Any other
    answer (an object column, say) is pandera's own, so that its errors show the values.
    """

    def check(self, pandera_dtype: object, data_container: pd.Series | None = None) -> object:
        answer = super().check(pandera_dtype, data_container)
        if isinstance(answer, np.ndarray) and answer.all():
            return True
        return answer


@functools.cache
def _schema(kind: str, check_keys: bool) -> pa.DataFrameSchema:
    schema = copy.deepcopy(_model(kind).to_schema())
    for col in schema.columns.values():
        if type(col.dtype) is pandas_engine.STRING:
            col.dtype = _Text(storage=col.dtype.storage)
    if check_keys:
        return schema
    schema.unique = None
    for col in schema.columns.values():
        col.unique = False
    return schema


def required_columns(kind: str) -> list[str]:
    """The columns a table must have, in order.

    Examples
    --------
    >>> required_columns("posts")
    ['post_id', 'platform', 'account', 'published_at', 'likes', 'comments', 'shares']
    """
    schema = _model(kind).to_schema()
    return [name for name, col in schema.columns.items() if col.required]


def empty(kind: str) -> pd.DataFrame:
    """An empty frame with a table's required and optional columns, correctly typed."""
    schema = _model(kind).to_schema()
    cols = {
        name: pd.Series([], dtype=col.dtype.type if col.dtype is not None else "object")
        for name, col in schema.columns.items()
        if not name.startswith("source_")
    }
    return pd.DataFrame(cols)


def _rows_for(df: pd.DataFrame, index_values: pd.Series) -> list[int]:
    idx = [i for i in index_values.dropna().tolist() if i in df.index]
    if "source_row" in df.columns:
        rows = df.loc[idx, "source_row"].dropna()
        return [int(r) for r in rows]
    return [int(i) + 2 for i in idx if isinstance(i, int | float)]  # header is row 1


def validate(
    df: pd.DataFrame,
    kind: str,
    path: str | Path | None = None,
    check_keys: bool = True,
    copy: bool = True,
) -> pd.DataFrame:
    """Check a frame against its table's schema, reporting every failure at once.

    Parameters
    ----------
    df
        The frame to check. It is not modified.
    kind
        The table: one of ``TABLES`` (posts, events, audience, accounts, followers,
        profiles, page_daily).
    path
        The file the frame came from, named in the error.
    check_keys
        Check that the table's key columns (``KEYS``) are unique; ``clean_table`` turns it
        off because it has just deduplicated them.
    copy
        Work on a copy (the default). ``clean_table`` passes False for a frame it made
        itself: coercing then replaces columns of that new frame only (copy-on-write), and
        a million-row table is not copied once more.

    Returns
    -------
    DataFrame
        A copy with dtypes coerced to the schema's (counts ``Int64``, times UTC).

    Raises
    ------
    RoiInputError
        Listing, for each failing column, the rows (as the file numbers them), what was
        expected and a few of the values seen.

    Examples
    --------
    >>> import pandas as pd
    >>> accounts = pd.DataFrame({"company": ["Acme"], "status": ["client"]})
    >>> validate(accounts, "accounts")["status"].tolist()
    ['client']
    >>> validate(pd.DataFrame({"company": ["Acme"], "status": ["friend"]}), "accounts")
    Traceback (most recent call last):
    ...
    roi_helpers.errors.RoiInputError: does not fit the accounts table: column 'status': row 2: expected one of client, prospect, partner, competitor; saw 'friend'. ...
    """
    schema = _schema(kind, check_keys)
    try:
        return schema.validate(df, lazy=True, inplace=not copy)
    except pa.errors.SchemaErrors as exc:
        raise _humanise(exc, df, kind, path) from None
    except pa.errors.SchemaError as exc:  # pragma: no cover - lazy mode raises SchemaErrors
        raise RoiInputError(str(exc), path=path) from None


def _expected(kind: str, column: str, check: str) -> str:
    if check.startswith("isin"):
        col = model_columns(kind).get(column)
        allowed = next(
            (
                c.statistics.get("allowed_values")
                for c in getattr(col, "checks", [])
                if c.name == "isin"
            ),
            None,
        )
        return "one of " + ", ".join(map(str, allowed)) if allowed else check
    if check == "not_nullable":
        return "a value (it may not be empty)"
    if "uniqueness" in check:
        return "no repeated values"
    if check.startswith(("dtype", "coerce_dtype")):
        return "values of type " + check.split("(", 1)[-1].rstrip(")").strip("'")
    return check


def _humanise(exc: pa.errors.SchemaErrors, df: pd.DataFrame, kind: str, path) -> RoiInputError:
    cases = exc.failure_cases.copy()
    cases["check"] = cases["check"].astype(str)
    lines: list[str] = []
    # the first column and rows named, for programs (the message names them all)
    first_column: str | None = None
    first_rows: list[int] | None = None
    missing = cases[cases["check"].str.startswith("column_in_dataframe")]
    if len(missing):
        names = sorted(set(missing["failure_case"].astype(str)))
        first_column = names[0]
        lines.append(
            f"missing column(s) {', '.join(repr(n) for n in names)}; "
            f"the {kind} table needs {', '.join(required_columns(kind))}"
        )
    rest = cases.drop(missing.index)
    # A check on several columns at once (uniqueness of a key) fails once per column: say it once.
    rest["key"] = rest["check"].where(
        rest["schema_context"].eq("DataFrameSchema"),
        rest["column"].astype(str) + "|" + rest["check"],
    )
    seen_dtype: set[str] = set()
    for _, group in rest.groupby("key", sort=False):
        check = group["check"].iloc[0]
        columns = list(dict.fromkeys(group["column"].astype(str)))
        if check.startswith("coerce_dtype"):
            seen_dtype.add(columns[0])
        elif check.startswith("dtype") and columns[0] in seen_dtype:
            continue  # the coercion failure already said it
        rows = _rows_for(df, group["index"])
        if first_column is None:
            first_column, first_rows = columns[0], list(rows) or None
        seen = group["failure_case"].dropna().astype(str).unique()[:3]
        where = "column " + " + ".join(repr(c) for c in columns)
        seen_text = f"; saw {', '.join(repr(v) for v in seen)}" if len(seen) else ""
        lines.append(
            f"{where}: {format_rows(rows) if rows else 'some rows'}: "
            f"expected {_expected(kind, columns[0], check)}{seen_text}"
        )
    err = RoiInputError(
        f"does not fit the {kind} table: " + "; ".join(lines),
        path=path,
        hint="Check that this is the right export, or map its columns with "
        "load(path, source='generic', table=..., columns={...}).",
    )
    # set after: the message already says each column and its rows, in its own order
    err.column = first_column
    err.rows = None if first_rows is None else sorted({int(r) for r in first_rows})
    return err


def model_columns(kind: str) -> Mapping[str, object]:
    """The schema's columns for a table (name -> pandera Column)."""
    return _model(kind).to_schema().columns
