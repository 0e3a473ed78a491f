"""Tables fit to read in a report."""

from __future__ import annotations

import pandas as pd
from bs4 import BeautifulSoup

from roi_helpers.tables import duration_text, show


def _cells(styler):
    soup = BeautifulSoup(styler.to_html(), "html.parser")
    head = [th.get_text(strip=True) for th in soup.select("thead th")]
    body = [[td.get_text(strip=True) for td in tr.select("td")] for tr in soup.select("tbody tr")]
    return head, body, soup


def test_no_index_and_numbers_formatted_by_kind():
    df = pd.DataFrame(
        {
            "post": ["a", "b"],
            "share": [0.16234, None],
            "n": pd.array([1910, None], dtype="Int64"),
            "rate": [0.0123456, 2.5],
            "time_to_half": pd.to_timedelta(["00:51:50", "50:00:00"]),
            "day": pd.to_datetime(["2025-12-04 13:00", None]),
        }
    )
    head, body, soup = _cells(show(df, percent=["share"], decimals=3))
    assert head == ["post", "share", "n", "rate", "time_to_half", "day"]  # no index header
    assert not soup.select("tbody th")  # no index cells
    assert body[0] == ["a", "16.2%", "1,910", "0.012", "52 min", "2025-12-04"]
    assert body[1] == ["b", "", "", "2.500", "2.1 days", ""]
    assert df["share"].iloc[0] == 0.16234  # not mutated


def test_long_tables_are_cut_and_say_so():
    df = pd.DataFrame({"x": range(50)})
    head, body, soup = _cells(show(df, max_rows=10, caption="Top posts"))
    assert len(body) == 10
    assert soup.find("caption").get_text(strip=True) == "Top posts (first 10 of 50 rows)"


def test_duration_text():
    assert duration_text(pd.Timedelta(seconds=30)) == "30 s"
    assert duration_text(7200) == "2.0 h"
    assert duration_text(pd.NaT) == ""


def test_words_are_left_aligned_numbers_are_not():
    html = show(pd.DataFrame({"reason": ["too short"], "n": [3]})).to_html()
    style = BeautifulSoup(html, "html.parser").find("style").get_text()
    rules = [r for r in style.split("}") if "text-align: left" in r]
    selectors = " ".join(r.split("{")[0] for r in rules)
    assert "col0" in selectors  # reason: words
    assert "col1" not in selectors  # n: a number
