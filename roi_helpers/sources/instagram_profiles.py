"""Instagram influencer and profile tables: one row per account, numbers as people write them.

Tables like ``top_insta_influencers_data.csv`` (``rank, channel_info, influence_score,
posts, followers, avg_likes, 60_day_eng_rate, new_post_avg_like, total_likes, country``),
written with a UTF-8 BOM and CRLF line ends, numbers like ``475.8m``, ``3.3k``, ``29.0b``,
rates like ``1.39%`` and ``NaN%`` (unknown), empty countries, and the odd name garbled by a
wrong decoding (``CÃ´te d'Ivoire``): such cells are *flagged* in the report and kept as
written, never guessed at.

How the columns map to the profiles table (names matched case-blind through aliases):

===============================================  =============================================
column                                           profiles column
===============================================  =============================================
``channel_info`` / ``account`` / ``username``    ``account``
``followers``                                    ``followers`` (``475.8m`` -> 475800000)
``posts``                                        ``posts`` (``0.89k`` -> 890)
``avg_likes``                                    ``avg_likes`` (float)
``avg_comments``                                 ``avg_comments`` (float, where given)
``60_day_eng_rate`` / ``engagement rate``        ``engagement_rate`` (a fraction: 0.0139)
===============================================  =============================================

Other columns are kept in snake case: ``rank`` and ``total_likes`` as counts,
``influence_score`` and ``new_post_avg_like`` as numbers, ``country`` (and any other text)
as text.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..clean import CleaningReport
from ..parsing import parse_numbers
from ._common import (  # shared by the X, Instagram and LinkedIn readers
    check_columns as _check_columns,
)
from ._common import (
    first_lines,
    match_columns,
    norm,
    parse_header,
)
from ._common import (
    read_counts as _counts,
)
from ._common import (
    read_export as _read,
)
from ._common import (
    read_rates as _rates,
)
from ._common import (
    snake as _snake,
)

__all__ = ["DESCRIPTION", "KIND", "NAME", "read", "sniff"]

NAME = "instagram_profiles"
KIND = "profiles"
DESCRIPTION = "Instagram influencer/profile table (account, followers, posts, avg likes, rate)"

_ALIASES = {
    "account": ["channel_info", "account", "username", "user name", "handle", "instagram handle"],
    "followers": ["followers", "followers count", "follower count"],
    "posts": ["posts", "posts count", "media count", "number of posts"],
    "avg_likes": ["avg_likes", "average likes", "avg likes", "likes per post"],
    "avg_comments": ["avg_comments", "average comments", "avg comments"],
    "engagement_rate": [
        "60_day_eng_rate",
        "engagement rate",
        "engagement_rate",
        "eng rate",
        "avg engagement rate",
    ],
}
_NEEDED = ["account", "followers"]
_EXTRA_COUNTS = ["rank", "total_likes", "total likes"]
_EXTRA_NUMBERS = ["influence_score", "new_post_avg_like", "new post avg like"]
#: UTF-8 read as Latin-1 or cp1252: "Ã´" for "ô", "Ã©" for "é", "â€™" for "'".
_MOJIBAKE = r"[\u00c2\u00c3\u00c5][\u0080-\u00bf\u2018-\u203a\u0152\u0153\u0160\u0161\u017d\u017e\u0178\u02c6\u02dc]|\u00e2\u20ac"


def _columns(head: str) -> list[str]:
    lines = first_lines(head, 1)
    return parse_header(lines[0]) if lines else []


def sniff(path: Path, head: str) -> bool:
    """True for a profile table: an account column, ``followers``, and average likes or an
    engagement rate, with no date or post id (those are per-post or daily exports).

    Parameters
    ----------
    path
        The file (its name is not looked at).
    head
        The file's first 64 KiB, decoded.

    Returns
    -------
    bool

    Examples
    --------
    >>> sniff(Path("a.csv"), "rank,channel_info,posts,followers,avg_likes,60_day_eng_rate\\n")
    True
    >>> sniff(Path("a.csv"), "company,status,followers\\n")
    False
    >>> sniff(Path("a.csv"), "platform,account,followers,avg_likes\\n")  # the kit's own table
    False
    """
    names = _columns(head)
    found = match_columns(names, _ALIASES)
    normed = {norm(c) for c in names}
    return (
        {"account", "followers"} <= set(found)
        and bool({"avg_likes", "engagement_rate"} & set(found))
        and not normed & {"date", "post id", "tweet id", "platform"}  # platform: canonical
    )


def _numbers(
    raw: pd.DataFrame, column: str, report: CleaningReport, path: Path, rows: pd.Series
) -> pd.Series:
    """Floats from text like ``8.7m`` or ``665.3k``; unreadable cells recorded."""
    parsed = parse_numbers(raw[column])
    if parsed.invalid.any():
        report.record(
            path,
            rows[parsed.invalid],
            rule="unreadable number",
            action="coerced",
            column=column,
            original=raw[column][parsed.invalid],
            reason="not a number: read as unknown",
        )
    return parsed.values


def _flag_mojibake(
    text: pd.Series, column: str, report: CleaningReport, path: Path, rows: pd.Series
) -> None:
    hit = text.str.contains(_MOJIBAKE, regex=True, na=False)
    if hit.any():
        report.record(
            path,
            rows[hit],
            rule="garbled text",
            action="flagged",
            column=column,
            original=text[hit],
            reason="looks like UTF-8 read with the wrong encoding (such as 'Ã´' for 'ô'): "
            "kept as written; correct it at the source",
        )


def read(path: Path, report: CleaningReport, **_: object) -> pd.DataFrame:
    """Read an Instagram profile table into the profiles table (not yet validated).

    Does not modify the file or any input. See the module docstring for the column map.

    Parameters
    ----------
    path
        The CSV file.
    report
        Receives rows set aside (wrong number of fields), unreadable numbers (made
        unknown), rates above 100% and garbled text (flagged, kept as written).

    Returns
    -------
    DataFrame
        ``platform`` ("instagram"), ``account``, ``followers`` and ``posts`` (Int64),
        ``avg_likes``, ``avg_comments`` (float, where given), ``engagement_rate`` (a
        fraction, NaN for ``NaN%``), the extras (``rank``, ``influence_score``,
        ``new_post_avg_like``, ``total_likes``, ``country``...) and ``source_row``.

    Raises
    ------
    RoiInputError
        Empty or truncated file, fields not separated by commas, or no account or
        followers column (the message names the file and lists the header it saw).

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "influencers.csv"
    >>> _ = path.write_text("rank,channel_info,posts,followers,avg_likes,60_day_eng_rate\\n"
    ...                     "1,cristiano,3.3k,475.8m,8.7m,1.39%\\n")
    >>> row = read(path, CleaningReport()).iloc[0]
    >>> row["account"], row["followers"], row["posts"], row["avg_likes"], row["engagement_rate"]
    ('cristiano', np.int64(475800000), np.int64(3300), np.float64(8700000.0), np.float64(0.0139))
    """
    path = Path(path)
    raw = _read(path, report, {"followers"}, "profile table", all_strings=True)
    cols = _check_columns(raw, _ALIASES, _NEEDED, path, "profile table")
    rows = raw["source_row"]
    account = raw[cols["account"]].astype("str").str.strip()
    out: dict[str, pd.Series] = {
        "platform": pd.Series("instagram", index=raw.index, dtype="str"),
        "account": account.where(account != ""),
        "followers": _counts(raw, cols["followers"], report, path, rows),
    }
    if "posts" in cols:
        out["posts"] = _counts(raw, cols["posts"], report, path, rows)
    for key in ("avg_likes", "avg_comments"):
        if key in cols:
            out[key] = _numbers(raw, cols[key], report, path, rows)
    if "engagement_rate" in cols:
        rate = _rates(raw, cols["engagement_rate"], report, path, rows)
        above = rate > 1
        if above.any():
            report.record(
                path,
                rows[above],
                rule="rate above 100%",
                action="flagged",
                column=cols["engagement_rate"],
                original=raw[cols["engagement_rate"]][above],
                reason="an engagement rate above 100%: written in percent without the % sign?",
            )
        out["engagement_rate"] = rate
    counts, numbers = {norm(c) for c in _EXTRA_COUNTS}, {norm(c) for c in _EXTRA_NUMBERS}
    for col in raw.columns:
        if col in cols.values() or col == "source_row":
            continue
        key = _snake(col)
        if norm(col) in counts:
            out[key] = _counts(raw, col, report, path, rows)
        elif norm(col) in numbers:
            out[key] = _numbers(raw, col, report, path, rows)
        else:
            text = raw[col].astype("str").str.strip()
            out[key] = text.where(text != "")
            _flag_mojibake(out[key], col, report, path, rows)
    _flag_mojibake(out["account"], cols["account"], report, path, rows)
    out["source_row"] = rows
    return pd.DataFrame(out, copy=False)
