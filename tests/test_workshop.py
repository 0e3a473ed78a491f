"""Workshop tooling: student copies hold no solution, learners' mistakes get plain answers,
and every exercise's expected answer agrees with one worked out independently."""

from __future__ import annotations

import csv
import datetime as dt
import doctest
import io
import math
import os
import re
import statistics
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import nbformat
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from roi_helpers import RoiInputError
from roi_helpers import workshop as W
from roi_helpers.workshop import (
    answer_key,
    answers,
    check,
    job_function,
    load_my_export,
    my_engagement,
    reshare_summary,
    student_copies,
)
from tests.conftest import ROOT

ANA = ROOT / "data" / "sample" / "linkedin" / W.SAMPLE_OWNER / "Connections.csv"


def _nb(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Exercise"),
        nbformat.v4.new_code_cell("answer = ...", metadata={"tags": ["exercise"]}),
        nbformat.v4.new_code_cell("answer = 42  # the solution", metadata={"tags": ["solution"]}),
        nbformat.v4.new_code_cell("print(answer)"),
    ]
    nb.cells[3].outputs = [nbformat.v4.new_output("stream", text="42\n")]
    nb.cells[3].execution_count = 3
    src = tmp_path / "src"
    src.mkdir()
    nbformat.write(nb, src / "01_x.ipynb")
    (src / "README.md").write_text("facilitator guide")
    (src / "image.png").write_bytes(b"\x89PNG")
    return src


def test_student_copies_drop_solutions_and_outputs_keep_tags(tmp_path):
    src = _nb(tmp_path)
    written = student_copies(src, tmp_path / "out")
    assert [p.name for p in written] == ["01_x.ipynb"]
    nb = nbformat.read(written[0], as_version=4)
    sources = [c.source for c in nb.cells]
    assert "answer = 42  # the solution" not in sources and len(nb.cells) == 3
    assert nb.cells[1].metadata["tags"] == ["exercise"]
    assert all(
        not c.get("outputs") and c.get("execution_count") is None
        for c in nb.cells
        if c.cell_type == "code"
    )
    assert (tmp_path / "out" / "image.png").exists()
    assert not (tmp_path / "out" / "README.md").exists()  # the guide stays with the trainer
    # the solutions are untouched
    assert "answer = 42  # the solution" in (src / "01_x.ipynb").read_text()


def test_student_copies_refuse_to_overwrite_solutions(tmp_path):
    src = _nb(tmp_path)
    with pytest.raises(RoiInputError, match="overwrite"):
        student_copies(src, src)
    with pytest.raises(RoiInputError, match="not a folder"):
        student_copies(tmp_path / "nowhere", tmp_path / "out")


def _with_parameters(folder: Path, data_dir: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            f'data_dir: str = "{data_dir}"  # the sample\noutput_dir: str = "."  # where',
            metadata={"tags": ["parameters"]},
        ),
        nbformat.v4.new_code_cell('data_dir = "../../data/sample"  # not the parameters cell'),
    ]
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / "01_p.ipynb")
    return folder


@pytest.mark.parametrize("out", ["copies", "a/b/c", "../elsewhere"])
def test_student_copies_still_reach_the_sample_data(tmp_path, out):
    (tmp_path / "kit" / "data" / "sample").mkdir(parents=True)
    src = _with_parameters(tmp_path / "kit" / "notebooks" / "workshop", "../../data/sample")
    target = (src / out).resolve()
    nb = nbformat.read(student_copies(src, target)[0], as_version=4)
    first = nb.cells[0].source.splitlines()[0]
    given = first.split('"')[1]
    assert first.endswith("# the sample")  # hint and comment kept
    assert not Path(given).is_absolute()
    assert os.path.normpath(target / given) == str((tmp_path / "kit" / "data" / "sample").resolve())
    assert nb.cells[1].source == 'data_dir = "../../data/sample"  # not the parameters cell'
    assert nb.cells[0].metadata["tags"] == ["parameters"]


def test_student_copies_leave_absolute_and_missing_paths_alone(tmp_path):
    src = _with_parameters(tmp_path / "a", str(tmp_path))
    nb = nbformat.read(student_copies(src, tmp_path / "b" / "c")[0], as_version=4)
    assert f'"{tmp_path}"' in nb.cells[0].source
    src = _with_parameters(tmp_path / "d", "../no/such/folder")
    nb = nbformat.read(student_copies(src, tmp_path / "e" / "f")[0], as_version=4)
    assert '"../no/such/folder"' in nb.cells[0].source


def test_command_line(tmp_path):
    src = _nb(tmp_path)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "roi_helpers.cli",
            "workshop",
            "--student",
            str(tmp_path / "s"),
            "--source",
            str(src),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "s" / "01_x.ipynb").exists()


def test_command_line_answer_key(sample):
    proc = subprocess.run(
        [sys.executable, "-m", "roi_helpers.cli", "workshop", "--answers"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    lines = dict(line.split(maxsplit=1) for line in proc.stdout.splitlines())
    assert set(lines) == set(W.EXERCISES)
    largest = _cascades(sample)[0]
    assert lines["04_largest_depth"].split()[0] == str(largest[2])
    assert lines["01_biggest_gets_most"].split()[0] in ("yes", "no")


CONNECTIONS = (
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Ana,Silva,https://www.linkedin.com/in/ana-s,,Acme,CFO,24 Mar 2025\n"
)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        (
            "Messages.csv",
            "CONVERSATION ID,CONVERSATION TITLE,FROM,TO,DATE,CONTENT\n1,x,a,b,2024,hi\n",
            "Messages.csv",
        ),
        (
            "Invitations.csv",
            "From,To,Sent At,Message,Direction\na,b,2024,hi,OUTGOING\n",
            "Invitations",
        ),
        (
            "Education.csv",
            "School Name,Start Date,End Date,Notes,Degree Name,Activities\nX,2001,2004,,BA,\n",
            "Education.csv",
        ),
        (
            "Company Follows.csv",
            "Organization,Followed On\nAcme,Mon Mar 04 2024\n",
            "companies you follow",
        ),
        ("Connections.csv", "", "empty"),
        ("Connections.xlsx", "not really excel", "spreadsheet.*CSV UTF-8"),
        ("notes.csv", "hello,world\n1,2\n", "does not recognise notes.csv.*Connections.csv"),
        ("Connections.csv", "%PDF-1.7\n%\xe2\xe3\n1 0 obj\n", "is a PDF document"),
        (
            "Connections.csv",
            "<!DOCTYPE html>\n<html><body>LinkedIn</body></html>\n",
            "web page saved from your browser",
        ),
        (
            "Connections.csv",
            "First Name,Last Name,URL,Email Address,Company,Position\nA,B,,,Acme,CFO\n",
            "column\\(s\\) missing: connected on.*deleted in a spreadsheet",
        ),
        (
            "Connections.csv",
            CONNECTIONS.splitlines()[0] + "\n",
            "column names but no rows.*up to a day",
        ),
        (
            "Connections.csv",
            CONNECTIONS.splitlines()[0] + '\nA,B,,,"Acme, In',
            "ends inside a quoted value.*Download the file again",
        ),
    ],
)
def test_newcomer_mistakes_get_plain_answers(tmp_path, name, content, says):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RoiInputError, match=says):
        load_my_export(path)


def test_the_whole_archive(tmp_path):
    archive = tmp_path / "Basic_LinkedInDataExport_11-26-2026.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Connections.csv", CONNECTIONS)
    with pytest.raises(RoiInputError, match="whole zip archive.*Connections.csv"):
        load_my_export(archive)


def test_missing_file_lists_what_is_there(tmp_path):
    (tmp_path / "Connections.csv").write_text(CONNECTIONS)
    with pytest.raises(RoiInputError, match="no file at .*Files there: Connections.csv"):
        load_my_export(tmp_path / "connectons.csv")


@pytest.mark.parametrize("typed", ["connections.csv", "CONNECTIONS.CSV", "Connections"])
def test_a_name_that_differs_only_in_capitals_or_ending(tmp_path, typed):
    (tmp_path / "Connections.csv").write_text(CONNECTIONS)
    with pytest.raises(RoiInputError, match="but there is 'Connections.csv' in the same folder"):
        load_my_export(tmp_path / typed)


def test_a_file_left_in_downloads(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "Downloads").mkdir(parents=True)
    (home / "Downloads" / "Connections.csv").write_text(CONNECTIONS)
    (tmp_path / "nb").mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path / "nb")
    with pytest.raises(
        RoiInputError, match="in your Downloads folder.*'~/Downloads/Connections.csv'"
    ):
        load_my_export("Connections.csv")
    res = load_my_export("~/Downloads/Connections.csv")  # as the message says
    assert len(res.data) == 1


def test_pasted_quotes_and_spaces_and_an_empty_name(tmp_path, capsys):
    (tmp_path / "Connections.csv").write_text(CONNECTIONS)
    res = load_my_export(f'  "{tmp_path / "Connections.csv"}" ')  # Windows' "Copy as path"
    assert len(res.data) == 1
    for empty in ("", "   ", '""'):
        with pytest.raises(RoiInputError, match="No file given yet.*Connections.csv"):
            load_my_export(empty)
    with pytest.raises(RoiInputError, match="is a folder"):
        load_my_export(tmp_path)


def test_errors_print_never_raises(tmp_path, capsys):
    assert load_my_export(tmp_path / "nothing.csv", errors="print") is None
    out = capsys.readouterr().out
    assert out.startswith("⚠ There is no file at") and "Traceback" not in out
    with pytest.raises(ValueError, match="errors must be"):
        load_my_export(tmp_path / "nothing.csv", errors="ignore")


def test_another_platform_file(shared):
    pytest.importorskip(
        "roi_helpers.sources.x_tweet_activity", reason="the X reader has not landed yet"
    )
    path = next((shared / "x_tweet_activity").glob("*.csv"))
    with pytest.raises(
        RoiInputError,
        match=r"an older X \(Twitter\) posts export \(post analytics\)\. This step needs a list "
        "of connections, from your LinkedIn Connections.csv",
    ):
        load_my_export(path)


def test_a_facebook_export_where_connections_are_wanted(shared):
    path = next((shared / "facebook_insights").glob("*.xlsx"))
    with pytest.raises(RoiInputError, match="Facebook.*This step needs a list of connections"):
        load_my_export(path)


def test_connections_where_posts_are_wanted(tmp_path):
    (tmp_path / "Connections.csv").write_text(CONNECTIONS)
    with pytest.raises(RoiInputError, match="This step needs post analytics"):
        load_my_export(tmp_path / "Connections.csv", want="posts")
    with pytest.raises(RoiInputError, match="post analytics or reshares"):
        load_my_export(tmp_path / "Connections.csv", want=("posts", "events"))


def test_linkedin_content_workbook_is_a_posts_export_not_a_resave(sample):
    from openpyxl import load_workbook

    path = next((sample / "linkedin_page").glob("*.xlsx"))
    sheet = load_workbook(path, read_only=True)["All posts"]
    rows = [r for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]
    header = next(i for i, r in enumerate(rows) if "Post link" in [str(v) for v in r])
    res = load_my_export(path, want="posts")
    assert len(res.data) == len(rows) - header - 1 == 119
    with pytest.raises(
        RoiInputError,
        match=r"is a LinkedIn page's content export \(post analytics\)\. This step needs a list "
        "of connections",
    ):
        load_my_export(path)


def test_a_good_file_loads_and_says_what_was_noticed(tmp_path, capsys):
    path = tmp_path / "Connections.csv"
    path.write_text(CONNECTIONS.replace("24 Mar 2025", "3/24/2025"))
    res = load_my_export(path)
    assert len(res.data) == 1
    assert res.data["account"].tolist() == ["me"]  # not the folder's name
    out = capsys.readouterr().out
    assert "Loaded 1 connection from Connections.csv." in out  # not "1 connections"
    assert "re-saved by a spreadsheet" in out
    assert load_my_export(path, account="Ana").data["account"].tolist() == ["Ana"]


# -- Excel re-saves of a real-shaped export, checked against the original file -----------------
def _ana_rows() -> list[list[str]]:
    """Ana's export read with the csv module: the header and the data rows."""
    with open(ANA, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    start = next(i for i, r in enumerate(rows) if r[:2] == ["First Name", "Last Name"])
    return [r for r in rows[start:] if r]


def _resave(path: Path, fmt: str, sep: str = ",", encoding: str = "utf-8") -> list[dt.date]:
    """Write Ana's export as a spreadsheet would (dates rewritten, no notes); its dates."""
    rows = _ana_rows()
    col = rows[0].index("Connected On")
    dates = [dt.datetime.strptime(r[col], "%d %b %Y").date() for r in rows[1:]]
    out = [rows[0]] + [
        [*r[:col], d.strftime(fmt), *r[col + 1 :]] for r, d in zip(rows[1:], dates, strict=True)
    ]
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\r\n").writerows(out)
    path.write_bytes(buf.getvalue().encode(encoding, errors="replace"))
    return dates


@pytest.mark.parametrize(
    ("fmt", "sep", "encoding", "says"),
    [
        ("%m/%d/%Y", ",", "utf-8", "read month first"),  # US Excel
        ("%d/%m/%Y", ";", "utf-8", "read day first"),  # European Excel: ';' and day first
        ("%m/%d/%y", ",", "utf-8", "read month first"),  # two-digit years
        ("%d.%m.%Y", ";", "utf-8", "separated by ';'"),  # German Excel
        ("%d-%m-%Y", ";", "utf-8", "read day first"),  # Dutch Excel
        ("%m/%d/%Y", "\t", "utf-16", r"separated by '\t'"),  # Excel's "Unicode text"
    ],
)
def test_excel_resaves_keep_the_dates(tmp_path, capsys, fmt, sep, encoding, says):
    dates = _resave(tmp_path / "Connections.csv", fmt, sep, encoding)
    res = load_my_export(tmp_path / "Connections.csv")
    out = capsys.readouterr().out
    assert f"Loaded {len(dates)} connections" in out
    assert says in out
    assert [d.date() for d in res.data["connected_on"]] == dates


def test_excel_resave_with_unreadable_dates_says_so_in_plain_words(tmp_path, capsys):
    dates = _resave(tmp_path / "Connections.csv", "%Y%m%d", ";")  # a custom cell format
    res = load_my_export(tmp_path / "Connections.csv")
    out = capsys.readouterr().out
    assert res.data["connected_on"].isna().all()
    first = dates[0].strftime("%Y%m%d")
    assert f"{len(dates)} dates could not be read" in out and repr(first) in out
    assert "Only the analyses over time need them" in out


def test_excel_resave_in_an_old_encoding_says_which_rows_lost_letters(tmp_path, capsys):
    _resave(tmp_path / "Connections.csv", "%m/%d/%Y", encoding="cp1252")
    rows = _ana_rows()[1:]
    accented = 0  # rows whose bytes, as an old Windows encoding writes them, are not UTF-8
    for r in rows:
        try:
            ",".join(r).encode("cp1252", errors="replace").decode("utf-8")
        except UnicodeDecodeError:
            accented += 1
    res = load_my_export(tmp_path / "Connections.csv")
    assert len(res.data) == len(rows)
    out = capsys.readouterr().out
    rows_word = "row" if accented == 1 else "rows"
    assert accented > 0 and f"{accented} {rows_word} had letters that could not be read" in out


def test_real_export_notes_in_plain_words(shared, capsys):
    path = shared / "linkedin_connections" / "Connections.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    start = next(i for i, r in enumerate(rows) if r[:2] == ["First Name", "Last Name"])
    data = [dict(zip(rows[start], r, strict=True)) for r in rows[start + 1 :] if r]
    no_url = sum(not r["URL"].strip() for r in data)
    spaced = sum(v != v.strip() for r in data for v in r.values())  # values with spaces around
    res = load_my_export(path)
    assert len(res.data) == len(data) == 456
    out = capsys.readouterr().out
    assert no_url > 1 and f"{no_url} connections have no profile link" in out
    assert spaced > 1 and f"{spaced} values had spaces before or after them" in out
    for jargon in ("person_id", ".report", "value(s)", "row(s)", "connection(s)"):
        assert jargon not in out, jargon  # no jargon, and plurals written out


# -- the learner's own posts -----------------------------------------------------------------
def _x_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_my_engagement_on_a_real_x_export(shared):
    path = sorted((shared / "x_tweet_activity").glob("*.csv"))[0]
    rows = _x_rows(path)
    rates = [
        (float(r["likes"]) + float(r["replies"]) + float(r["retweets"])) / float(r["impressions"])
        for r in rows
        if float(r["impressions"]) > 0
    ]
    posts = load_my_export(path, want="posts").data
    r = my_engagement(posts)
    assert r["rate"].item() == pytest.approx(statistics.median(rates))
    assert r["n_posts"].item() == len(rates) and "impressions" in r["formula"].item()


def test_my_engagement_falls_back_to_reach_and_groups_when_it_can():
    posts = pd.DataFrame(
        {
            "likes": [3, 1, 10, 0],
            "comments": 0,
            "shares": [1, 0, 0, 0],
            "reach": [100, 50, 200, 10],
            "impressions": pd.NA,
            "content_type": ["video", "video", "image", "image"],
        }
    ).astype({"likes": "Int64", "comments": "Int64", "shares": "Int64", "reach": "Int64"})
    before = posts.copy()
    r = my_engagement(posts)
    assert r.set_index("content_type")["rate"].to_dict() == pytest.approx(
        {"image": np.median([10 / 200, 0 / 10]), "video": np.median([4 / 100, 1 / 50])}
    )
    assert (r["formula"] == "median over posts of (likes + comments + shares) / reach").all()
    assert my_engagement(posts, by=None)["n_posts"].item() == 4
    pd.testing.assert_frame_equal(posts, before)


def test_my_engagement_without_any_denominator(capsys):
    posts = pd.DataFrame({"likes": [1], "comments": [0], "shares": [0]}, dtype="Int64")
    with pytest.raises(RoiInputError, match="no impressions, reach or follower counts"):
        my_engagement(posts)
    assert my_engagement(posts, errors="print") is None
    assert capsys.readouterr().out.startswith("⚠ ")


def test_reshare_summary_by_hand():
    posts = pd.DataFrame(
        {
            "platform": ["x", "x", "x", "x", "linkedin", "linkedin"],
            "account": ["me", "me", "me", "me", "page", "page"],
            "shares": pd.array([0, 2, None, 7, None, None], dtype="Int64"),
        }
    )
    before = posts.copy()
    out = reshare_summary(posts).set_index("platform")
    x = out.loc["x"]
    assert (x["posts"], x["shares_known"], x["reshared"]) == (4, 3, 2)
    assert x["never_reshared_share"] == pytest.approx(1 / 3)
    assert (x["median_reshares"], x["most_reshares"]) == (2.0, 7.0)
    page = out.loc["linkedin"]  # every count unknown: nothing is read as 0
    assert (page["posts"], page["shares_known"], page["reshared"]) == (2, 0, 0)
    assert np.isnan(page["never_reshared_share"]) and np.isnan(page["most_reshares"])
    pd.testing.assert_frame_equal(posts, before)
    with pytest.raises(RoiInputError, match="no reshare counts"):
        reshare_summary(posts.drop(columns="shares"))


def test_reshare_summary_on_a_real_x_export(shared):
    path = sorted((shared / "x_tweet_activity").glob("*.csv"))[0]
    rows = _x_rows(path)
    retweets = [float(r["retweets"]) for r in rows]
    out = reshare_summary(load_my_export(path, want="posts").data).iloc[0]
    assert out["posts"] == len(rows)
    assert out["reshared"] == sum(v > 0 for v in retweets)
    assert out["never_reshared_share"] == pytest.approx(sum(v == 0 for v in retweets) / len(rows))
    assert out["most_reshares"] == max(retweets)


def test_job_function_reads_names_and_titles(capsys):
    assert job_function("") is None and job_function(None) is None
    assert job_function("  marketing ") == "Marketing"
    assert capsys.readouterr().out == ""
    assert job_function("Senior Account Executive") == "Sales"
    assert "as the job function Sales" in capsys.readouterr().out
    assert job_function("Chief Vibes Wrangler") is None
    assert "guessed from your network" in capsys.readouterr().out


# -- checks ----------------------------------------------------------------------------------
@pytest.fixture()
def fresh_answers(monkeypatch):
    monkeypatch.setattr(W, "_GIVEN", {})


def _profiles(sample: Path) -> list[dict[str, str]]:
    with open(sample / "peer_accounts.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _rho(sample: Path, engagement: str) -> float:
    p = _profiles(sample)
    x = [float(r["followers"]) for r in p]
    return float(stats.spearmanr(x, [float(r[engagement]) for r in p]).statistic)


@pytest.mark.parametrize(
    ("write", "says"),
    [
        (lambda rho: round(rho, 2), "✅ Right!"),  # 0.31, as printed
        (lambda rho: f"{rho:.2f}", "✅ Right!"),  # "0.31"
        (lambda rho: f"{rho:.3f}", "✅ Right!"),  # "0.309", more precise
        (lambda rho: f"{rho:.2f}".replace(".", ","), "✅ Right!"),  # "0,31", a European keyboard
        (lambda rho: rho, "✅ Right!"),  # computed
        # a correlation is not a share: 31 and "31%" were accepted before
        (lambda rho: round(rho * 100), "❌ Not quite. This answer is not a percentage"),
        (lambda rho: f"{rho * 100:.0f}%", "❌ Not quite. This answer is not a percentage"),
        (lambda rho: round(rho, 1), "❌ Not quite. Nearly: give it as precisely"),  # 0.3
        (lambda rho: round(rho + 0.05, 2), "❌ Not quite. Hint:"),
        (lambda rho: round(rho, 2) + 0.01, "❌ Not quite. Hint:"),  # neither rounded nor cut
        (lambda rho: -round(rho, 2), "❌ Not quite. Hint:"),
    ],
)
def test_check_accepts_the_ways_newcomers_write_numbers(sample, capsys, fresh_answers, write, says):
    rho = _rho(sample, "avg_likes")
    typed = write(rho)
    assert check("01_rho_likes", typed, sample) is says.startswith("✅")
    assert capsys.readouterr().out.startswith(says)
    assert answers("01_")["01_rho_likes"] == typed


def test_a_small_correlation_typed_as_a_percentage_is_wrong(sample, capsys, fresh_answers):
    rho = _rho(sample, "engagement_rate")
    assert 0 < rho < 0.1  # the sample's near-zero rho (0.05)
    for typed in (round(rho * 100), f"{rho * 100:.0f}%", f"{rho * 100:.0f} %"):
        assert check("01_rho_rate", typed, sample) is False, typed
        assert "not a percentage" in capsys.readouterr().out
    assert check("01_rho_rate", round(rho, 2), sample)


def _never_reshared(sample: Path) -> float:
    sizes = [c[1] for c in _cascades(sample)]
    return sizes.count(1) / len(sizes)


def test_a_share_is_right_rounded_or_cut_as_a_fraction_or_a_percentage(
    sample, capsys, fresh_answers
):
    share = _never_reshared(sample)
    cut, rounded = math.floor(share * 100), round(share * 100)
    assert cut != rounded  # the sample's 62.6%: cutting and rounding differ
    right = [
        share,
        round(share, 2),
        cut / 100,  # 0.62, read off 0.6258...
        f"{cut}%",
        f"{rounded}%",
        rounded,  # 63, a percentage
        f"{share * 100:.1f}%",  # "62.6%"
        f"{share:.3f}".replace(".", ","),  # "0,626"
    ]
    for typed in right:
        assert check("04_never_reshared", typed, sample), typed
    wrong = [(rounded + 1) / 100, (cut - 1) / 100, f"{rounded + 1}%", round(share - 0.05, 2), 1]
    for typed in wrong:
        assert not check("04_never_reshared", typed, sample), typed
    capsys.readouterr()
    assert not check("04_never_reshared", round(share, 1), sample)  # 0.6: too coarse
    assert "Nearly: give it as precisely as the notebook shows it" in capsys.readouterr().out


def _best_content_type(sample: Path) -> str:
    import roi_helpers

    posts = roi_helpers.load_dir(sample).posts
    li = posts[posts["platform"] == "linkedin"]
    c = li[["likes", "comments", "shares", "impressions"]].astype(float)
    rate = (c["likes"] + c["comments"] + c["shares"]) / c["impressions"]
    medians = {t: statistics.median(rate[li["content_type"] == t]) for t in set(li["content_type"])}
    return max(medians, key=medians.get)


def test_check_accepts_plurals_and_obvious_synonyms(sample, capsys, fresh_answers):
    want = _best_content_type(sample)
    assert want == "document"  # the sample's: "documents" was rejected before
    for typed in ("documents", "Documents", '"document"', "doc", "PDF", "carousels", " Document. "):
        assert check("03_best_content_type", typed, sample), typed
    for typed in ("videos", "image", "do", "text"):
        assert not check("03_best_content_type", typed, sample), typed
    assert check("02_marketer_top_function", "marketers", sample)  # read as the job function
    assert check("01_biggest_gets_most", "No.", sample) is (not _biggest_gets_most(sample))


def _biggest_gets_most(sample: Path) -> bool:
    p = _profiles(sample)
    most_followed = max(p, key=lambda r: float(r["followers"]))["account"]
    most_liked = max(p, key=lambda r: float(r["avg_likes"]))["account"]
    return most_followed == most_liked


def test_check_answers_that_are_not_yet_answers(sample, capsys, fresh_answers):
    assert check("02_buyer_share", ..., sample) is False
    assert "Not answered yet" in capsys.readouterr().out
    assert check("02_buyer_share", None, sample) is False
    assert answers("02_") == dict.fromkeys(
        ["02_buyer_share", "02_marketer_top_function", "02_director_effect"]
    )
    assert check("02_buyer_share", pd.Series([0.1, 0.2]), sample) is False
    assert "holds 2 values" in capsys.readouterr().out.splitlines()[-1]
    assert check("02_buyer_share", "a lot", sample) is False
    assert "The answer is a number" in capsys.readouterr().out
    assert check("01_biggest_gets_most", "maybe", sample) is False
    assert "Answer yes or no" in capsys.readouterr().out
    with pytest.raises(KeyError, match="no exercise called 'nope'"):
        check("nope", 1, sample)


def test_check_on_a_folder_without_the_exercise_data(tmp_path, capsys, fresh_answers):
    assert check("04_largest_depth", 6, tmp_path) is False
    out = capsys.readouterr().out
    assert "cannot be checked" in out and "Set data_dir back" in out


# -- every expected answer, worked out independently of the functions that check uses --------
def test_01_answers(sample):
    p = _profiles(sample)
    followers = [float(r["followers"]) for r in p]
    for engagement, name in (("avg_likes", "01_rho_likes"), ("engagement_rate", "01_rho_rate")):
        rho = stats.spearmanr(followers, [float(r[engagement]) for r in p]).statistic
        assert W.EXERCISES[name].expected(sample) == pytest.approx(rho)
    most_followed = max(p, key=lambda r: float(r["followers"]))["account"]
    most_liked = max(p, key=lambda r: float(r["avg_likes"]))["account"]
    assert W.EXERCISES["01_biggest_gets_most"].expected(sample) is (most_followed == most_liked)
    assert check("01_biggest_gets_most", "yes" if most_followed == most_liked else "no", sample)
    assert check("01_biggest_gets_most", most_followed == most_liked, sample)


SENIOR = {"Director", "VP", "CXO", "Partner", "Owner"}


def test_02_answers(sample):
    from roi_helpers import relevance as R

    net = R.load_network(sample, owner=W.SAMPLE_OWNER)
    assert len(net.audience) == len(_ana_rows()) - 1  # csv count of Ana's export
    rel = R.add_relationship(net.audience, net.accounts, W.SAMPLE_COMPANY, W.SAMPLE_OWNER_FUNCTION)

    def buyers(levels: set[str]) -> float:
        n = 0
        for r in rel.itertuples():
            relationship = str(r.relationship)
            persona = str(r.function) in W.SELL_TO and str(r.seniority) in levels
            n += relationship in ("client", "prospect") or (
                persona and relationship not in ("internal", "partner", "competitor")
            )
        return n / len(rel)

    manager = buyers({"Manager"} | SENIOR)
    assert W.EXERCISES["02_buyer_share"].expected(sample) == pytest.approx(manager)
    assert check("02_buyer_share", f"{manager:.0%}", sample)  # as the summary shows it
    # the question asks for what the explorer and the table show: the number of buyers
    director = round(buyers(SENIOR) * len(rel))
    assert W.EXERCISES["02_director_effect"].expected(sample) == director
    assert check("02_director_effect", director, sample)
    assert check("02_director_effect", f"{director}", sample)
    assert not check("02_director_effect", director + 1, sample)
    assert not check("02_director_effect", "down", sample)  # the old answer: not a count

    with open(sample / "team.csv", encoding="utf-8", newline="") as fh:
        marketers = {r["member"] for r in csv.DictReader(fh) if r["function"] == "Marketing"}
    assert marketers  # the sample's marketer
    team = R.load_network(sample)
    team_rel = R.add_relationship(team.audience, team.accounts)  # functions come from titles
    counts = Counter(
        str(r.function)
        for r in team_rel.itertuples()
        if r.account in marketers and str(r.function) != "Unknown"
    )
    assert W.EXERCISES["02_marketer_top_function"].expected(sample) == counts.most_common(1)[0][0]
    assert check("02_marketer_top_function", counts.most_common(1)[0][0].upper(), sample)


def test_03_answers(sample):
    import roi_helpers

    posts = roi_helpers.load_dir(sample).posts
    counts = posts[["likes", "comments", "shares", "impressions", "clicks"]].astype(float)
    rate = (counts["likes"] + counts["comments"] + counts["shares"]) / counts["impressions"]
    medians = {
        key: statistics.median(rate[posts[col] == key])
        for col, key in [("platform", "x"), ("platform", "linkedin")]
    }
    assert W.EXERCISES["03_best_platform"].expected(sample) == max(medians, key=medians.get)
    li = posts["platform"] == "linkedin"
    by_type = {
        t: statistics.median(rate[li & (posts["content_type"] == t)])
        for t in set(posts.loc[li, "content_type"])
    }
    assert W.EXERCISES["03_best_content_type"].expected(sample) == max(by_type, key=by_type.get)
    c = counts[li]
    pooled = (c["clicks"] + c["likes"] + c["comments"] + c["shares"]).sum() / c["impressions"].sum()
    kit = statistics.median(rate[li])
    word = "up" if pooled > kit else "down" if pooled < kit else "same"
    assert W.EXERCISES["03_clicks_effect"].expected(sample) == word
    synonyms = {"up": "higher", "down": "lower", "same": "unchanged"}
    assert check("03_clicks_effect", synonyms[word], sample)
    assert not check("03_clicks_effect", synonyms["down" if word == "up" else "up"], sample)


def _cascades(sample: Path) -> list[tuple[str, int, int, int]]:
    """(post, size, depth, direct reshares) per post from events.csv, with networkx, largest
    first; a person's adoption is their earliest share, self-reshares are dropped."""
    with open(sample / "events.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    roots = {r["post_id"]: r["user_id"] for r in rows if r["action"] == "post"}
    first: dict[tuple[str, str], dict[str, str]] = {}
    for r in sorted((r for r in rows if r["action"] == "share"), key=lambda r: r["occurred_at"]):
        if r["user_id"] == (r["parent_user_id"] or roots[r["post_id"]]):
            continue
        first.setdefault((r["post_id"], r["user_id"]), r)
    out = []
    for post, root in roots.items():
        g = nx.DiGraph()
        g.add_node(root)
        for (p, user), r in first.items():
            if p == post:
                g.add_edge(r["parent_user_id"] or root, user)
        reach = nx.single_source_shortest_path_length(g, root)
        direct = sum(1 for _ in g.successors(root))
        out.append((post, len(reach), max(reach.values()), direct))
    return sorted(out, key=lambda t: -t[1])


def test_04_answers(sample):
    cascades = _cascades(sample)
    sizes = [c[1] for c in cascades]
    assert W.EXERCISES["04_never_reshared"].expected(sample) == pytest.approx(
        sizes.count(1) / len(sizes)
    )
    assert sizes[0] > sizes[1] > sizes[2]  # no tie decides which is "largest" or "second"
    assert W.EXERCISES["04_largest_depth"].expected(sample) == cascades[0][2]
    assert W.EXERCISES["04_second_direct"].expected(sample) == cascades[1][3]
    assert check("04_largest_depth", str(cascades[0][2]), sample)


def test_answer_key_lists_every_exercise(sample):
    key = answer_key(sample)
    assert key["exercise"].tolist() == list(W.EXERCISES)
    assert key["question"].str.len().gt(20).all() and key["hint"].str.len().gt(20).all()
    for row in key.itertuples():  # the key's answers are the ones check() accepts
        assert check(row.exercise, row.answer, sample), row.exercise


def test_doctests(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = doctest.testmod(W, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 10 and result.failed == 0


# -- the command, given a file where a folder is wanted --------------------------------------------
@pytest.mark.parametrize("where", ["afile", "afile/sub"])
def test_command_line_student_into_a_file_says_so(tmp_path, where):
    (tmp_path / "afile").write_text("not a folder")
    src = _nb(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "roi_helpers.cli", "workshop", "--student", str(tmp_path / where)]
        + ["--source", str(src)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 2, proc.stderr  # was 1, with a FileExistsError traceback
    assert "Traceback" not in proc.stderr and "Error:" not in proc.stderr
    assert str(tmp_path / where) in proc.stderr and "folder" in proc.stderr
    assert (tmp_path / "afile").read_text() == "not a folder"  # left alone


# -- messages without developer jargon -----------------------------------------------------------
def _descriptions() -> list[str]:
    from roi_helpers.sources import formats

    return [m.DESCRIPTION for m in formats()]


@pytest.mark.parametrize(
    ("name", "want", "says"),
    [
        ("crm_accounts.csv", "audience", "is a list of companies from a CRM"),
        (
            "x/QuillmoorHQ_account_analytics_content_20251101_20251231.csv",
            "audience",
            r"is an X \(Twitter\) posts export \(post analytics\)\. This step needs",
        ),
        (
            "x/QuillmoorHQ_account_overview_analytics.csv",
            "posts",
            r"is an X \(Twitter\) account overview",
        ),
        ("linkedin_page/quillmoor-software_content.csv", "posts", "page's daily analytics"),
        ("peer_accounts.csv", "audience", "holds a table of accounts"),
    ],
)
def test_another_kind_of_file_is_named_in_plain_words(sample, name, want, says):
    path = sample / name
    with pytest.raises(RoiInputError, match=says) as err:
        load_my_export(path, want=want)
    message = str(err.value).replace(path.name, "")
    for description in _descriptions():  # "X account_analytics_content CSV (per-post export...)"
        assert description not in message, description
    assert "CRM account list" not in message and "_" not in message


def test_notes_on_a_real_x_export_are_plain_words(shared, capsys):
    path = next((shared / "x_account_analytics").glob("*account_analytics_content*.csv"))
    with open(path, encoding="utf-8", newline="") as fh:
        n = sum(1 for _ in csv.DictReader(fh))
    load_my_export(path, want="posts")
    out = capsys.readouterr().out
    assert f"Loaded {n} posts from {path.name}." in out
    assert "read as UTC" in out and "day but not its time" in out
    for jargon in ("tz=", "load()", "pass ", ".report", "published_at", "<NA>"):
        assert jargon not in out, jargon


# -- sell_to, checked ---------------------------------------------------------------------------
def test_sell_to_names_a_typo_and_the_closest_functions(capsys):
    given = ["Finance", "Acounting"]
    with pytest.raises(RoiInputError, match=r"'Acounting' \(did you mean Accounting\?\)"):
        W.sell_to_functions(given)
    assert W.sell_to_functions(given, errors="print") is None
    out = capsys.readouterr().out
    assert out.startswith("⚠ 'Acounting'") and "guessed from your network" not in out
    assert given == ["Finance", "Acounting"]  # not modified
    with pytest.raises(RoiInputError, match=r"'Finanse' \(did you mean Finance\?\) and 'Blorp'"):
        W.sell_to_functions(["Finanse", "Blorp"])
    with pytest.raises(RoiInputError, match="The functions are: Accounting, Administrative"):
        W.sell_to_functions(["Blorp"])  # nothing close: every function listed
    with pytest.raises(RoiInputError, match="is empty"):
        W.sell_to_functions([])


def test_sell_to_reads_names_in_any_case_and_titles(capsys):
    assert W.sell_to_functions(["finance", "CFO", "PURCHASING", "Finance"]) == [
        "Finance",
        "Purchasing",
    ]
    assert "Read 'CFO' as the job function Finance." in capsys.readouterr().out
    assert W.sell_to_functions("Legal") == ["Legal"]
    with pytest.raises(ValueError, match="errors must be"):
        W.sell_to_functions(["Legal"], errors="ignore")


def test_a_typo_in_my_function_suggests_the_closest(capsys):
    assert job_function("Markting") is None
    assert "'Markting' (did you mean Marketing?)" in capsys.readouterr().out


# -- sentences computed from the data shown --------------------------------------------------------
def test_follower_spread_says_what_the_top_ten_show(sample):
    rows = sorted(_profiles(sample), key=lambda r: -float(r["followers"]))[:10]
    table = pd.DataFrame(
        {
            "account": [r["account"] for r in rows],
            "followers": [int(r["followers"]) for r in rows],
            "avg_likes": [float(r["avg_likes"]) for r in rows],
        }
    )
    most, least = table["followers"].iloc[0], table["followers"].iloc[-1]
    liked = max(range(10), key=lambda i: table["avg_likes"].iloc[i])
    text = W.follower_spread(table)
    assert f"from {most:,} down to {least:,}: {most / least:,.1f} times apart" in text
    assert most / least < 50  # the old text said "a factor of fifty and more"
    assert f"the most liked account, {table['account'].iloc[liked]}" in text
    place = "has the fewest followers of these 10" if liked == 9 else f"number {liked + 1} of 10"
    assert place in text and "do not follow" in text
    same = table.assign(avg_likes=table["followers"] / 100)  # likes in step with followers
    assert "Here likes follow" in W.follower_spread(same)
    with pytest.raises(RoiInputError, match="fewer than two accounts"):
        W.follower_spread(table.head(1))


def test_director_effect_quotes_the_two_summaries(sample):
    from roi_helpers import relevance as R

    net = R.load_network(sample, owner=W.SAMPLE_OWNER)
    rel = R.add_relationship(net.audience, net.accounts, W.SAMPLE_COMPANY, W.SAMPLE_OWNER_FUNCTION)
    counts = {}
    for name, levels in (("manager", {"Manager"} | SENIOR), ("director", SENIOR)):
        persona = buyer = 0
        for r in rel.itertuples():  # brute force, by the definition in words
            relationship = str(r.relationship)
            p = str(r.function) in W.SELL_TO and str(r.seniority) in levels
            p = p and relationship not in ("internal", "partner", "competitor")
            persona += p
            buyer += relationship in ("client", "prospect") or p
        counts[name] = (persona, buyer)
    (p0, b0), (p1, b1) = counts["manager"], counts["director"]
    before = R.relevance_summary(rel, list(W.SELL_TO), "Manager")
    after = R.relevance_summary(rel, list(W.SELL_TO), "Director")
    text = W.director_effect(before, after)
    assert f"Target personas fall from {p0} to {p1}" in text
    assert f"buyers only fall from {b0} to {b1}" in text
    stay = (p0 - p1) - (b0 - b1)
    assert f"{stay} work at clients or prospects" in text
    assert f"{b0 - b1} was a buyer only" in text or f"{b0 - b1} were a buyer only" in text
    assert W.director_effect(before, before).startswith("Target personas stay at")


def _trees(sample: Path) -> dict[str, nx.DiGraph]:
    """Each post's reshare tree, as _cascades builds it, rooted at the author."""
    with open(sample / "events.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    roots = {r["post_id"]: r["user_id"] for r in rows if r["action"] == "post"}
    first: dict[tuple[str, str], dict[str, str]] = {}
    for r in sorted((r for r in rows if r["action"] == "share"), key=lambda r: r["occurred_at"]):
        if r["user_id"] == (r["parent_user_id"] or roots[r["post_id"]]):
            continue
        first.setdefault((r["post_id"], r["user_id"]), r)
    trees = {post: nx.DiGraph() for post in roots}
    for post, root in roots.items():
        trees[post].add_node(root)
        trees[post].graph["root"] = root
    for (post, user), r in first.items():
        trees[post].add_edge(r["parent_user_id"] or roots[post], user)
    # a reshare from someone who never shared is outside the tree: keep what reaches the root
    return {
        post: t.subgraph(nx.descendants(t, t.graph["root"]) | {t.graph["root"]}).copy()
        for post, t in trees.items()
    }


def _levels(tree: nx.DiGraph) -> dict[int, int]:
    return dict(Counter(nx.single_source_shortest_path_length(tree, tree.graph["root"]).values()))


def test_describe_cascade_follows_the_generations(sample):
    from roi_helpers import virality as V

    trees = _trees(sample)
    ranked = sorted(trees, key=lambda p: -len(trees[p]))
    cascades = V.build_cascades(roi_helpers_load(sample / "events.csv"))
    for post in ranked[:2]:
        levels = _levels(trees[post])
        size, direct, depth = len(trees[post]), levels[1], max(levels)
        grew = [g for g in range(2, depth + 1) if levels.get(g, 0) > levels.get(g - 1, 0)]
        text = W.describe_cascade(cascades, post)
        assert text.startswith(f"{size:,} people in all: {direct:,} reshared the original directly")
        assert f"({direct / (size - 1):.0%} of the reshares)" in text
        assert f"went {depth} generations deep" in text
        if grew:
            assert "larger than the one before" in text
            assert all(str(g) in text.split("Generation")[1] for g in grew)
        else:
            assert "Each generation was smaller than the one before it" in text
    small = next(p for p in ranked if len(trees[p]) == 1)
    assert W.describe_cascade(cascades, small).startswith("Nobody reshared this post")


def roi_helpers_load(path: Path) -> pd.DataFrame:
    import roi_helpers

    return roi_helpers.load(path).data


def test_broadcast_and_chain_are_picked_by_their_numbers(sample):
    from roi_helpers import virality as V

    trees = _trees(sample)
    ranked = sorted(trees, key=lambda p: -len(trees[p]))[:5]
    sv = [nx.average_shortest_path_length(trees[p].to_undirected()) for p in ranked]
    words = ["largest", "second-largest", "third-largest", "fourth-largest", "fifth-largest"]
    b, c = min(range(5), key=sv.__getitem__), max(range(5), key=sv.__getitem__)
    broadcast = trees[ranked[b]]
    direct = broadcast.out_degree(broadcast.graph["root"])
    metrics = V.cascade_metrics(V.build_cascades(roi_helpers_load(sample / "events.csv")))
    text = W.broadcast_and_chain(metrics)
    assert f"the closest to a broadcast is the {words[b]}: " in text
    assert f"{direct} of its {len(broadcast) - 1} reshares came straight from the original" in text
    assert f"(structural virality {sv[b]:.2f})" in text
    assert f"The most chain-like is the {words[c]} ({sv[c]:.2f}" in text
    assert f"The two largest score {sv[0]:.2f} and {sv[1]:.2f}" in text
    assert b != 0  # the old text called the largest cascade "a broadcast"


def test_formula_table_shows_every_formula_in_full(sample):
    import roi_helpers
    from roi_helpers import engagement as E

    posts = roi_helpers.load_dir(sample).posts
    li = posts[posts["platform"] == "linkedin"]
    presets = E.compare_presets(li)
    before = presets.copy()
    html = W.formula_table(presets).to_html()
    pd.testing.assert_frame_equal(presets, before)
    for formula in presets["formula"]:
        assert formula.replace("&", "&amp;") in html, formula  # not cut at 50 characters
    c = li[["likes", "comments", "shares", "impressions"]].astype(float)
    kit = statistics.median((c["likes"] + c["comments"] + c["shares"]) / c["impressions"])
    per_1000 = (c["likes"] + c["comments"] + c["shares"]).sum() / c["impressions"].sum() * 1000
    assert f">{kit:.1%}<" in html
    assert f">{per_1000:,.1f} per 1,000 impressions<" in html
    assert "white-space: normal" in html  # the long columns wrap
    assert 'class="row_heading' not in html  # no index column


# -- Binder ---------------------------------------------------------------------------------------
BINDER = ROOT / ".binder"


def test_binder_python_is_the_oldest_the_kit_supports():
    import tomllib

    from packaging.specifiers import SpecifierSet

    runtime = (BINDER / "runtime.txt").read_text().strip()
    m = re.fullmatch(r"python-(\d+\.\d+)", runtime)
    assert m, runtime
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert m.group(1) in SpecifierSet(requires), (runtime, requires)
    lowest = re.search(r">=\s*(\d+\.\d+)", requires).group(1)
    assert m.group(1) == lowest  # the version the kit promises, not a newer one


def test_binder_overrides_are_the_settings_roi_lab_writes():
    import json

    from jupyterlab.commands import get_app_dir

    from roi_helpers.lab import LAB_SETTINGS

    overrides = json.loads((BINDER / "overrides.json").read_text())
    assert overrides == LAB_SETTINGS, "regenerate .binder/overrides.json from LAB_SETTINGS"
    plugin = "@jupyterlab/apputils-extension:kernels-settings"
    assert overrides[plugin] == {"commsOverSubshells": "disabled"}
    package, name = plugin.split(":")
    schema = json.loads(
        (Path(get_app_dir()) / "schemas" / package / f"{name}.json").read_text(encoding="utf-8")
    )
    setting = schema["properties"]["commsOverSubshells"]
    assert setting["title"] == "Kernel Comms over subshells"
    assert "disabled" in [choice["const"] for choice in setting["oneOf"]]


def test_binder_post_build_installs_writes_copies_and_settings(tmp_path):
    import json
    import shutil

    from jupyterlab.commands import get_app_dir
    from jupyterlab_server.settings_utils import get_settings

    from roi_helpers.lab import LAB_SETTINGS

    post_build = BINDER / "postBuild"
    assert os.access(post_build, os.X_OK)
    kit = tmp_path / "kit"  # the repository as Binder sees it (notebooks, package, data)
    shutil.copytree(BINDER, kit / ".binder")
    shutil.copytree(ROOT / "notebooks" / "workshop", kit / "notebooks" / "workshop")
    (kit / "roi_helpers").mkdir()
    (kit / "data").mkdir()
    (kit / "data" / "sample").symlink_to(ROOT / "data" / "sample")
    shims = tmp_path / "bin"  # pip is recorded, not run: the kit is installed here already
    shims.mkdir()
    (shims / "python").write_text(
        '#!/bin/bash\nif [ "$1 $2" = "-m pip" ]; then echo "$@" >> "$PIP_LOG"; exit 0; fi\n'
        f'exec "{sys.executable}" "$@"\n'
    )
    (shims / "python").chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{shims}:{Path(sys.executable).parent}:/usr/bin:/bin",
        "PIP_LOG": str(tmp_path / "pip.log"),
        "JUPYTERLAB_DIR": str(tmp_path / "lab"),
    }
    proc = subprocess.run(
        ["./.binder/postBuild"], cwd=kit, env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "pip.log").read_text().split() == [
        "-m", "pip", "install", "--no-cache-dir", "-e", ".",
    ]  # fmt: skip
    copies = sorted((kit / "notebooks" / "student").glob("*.ipynb"))
    assert [p.name for p in copies] == sorted(p.name for p in NOTEBOOKS)
    for copy in copies:
        cells = nbformat.read(copy, as_version=4).cells
        assert not [c for c in cells if "solution" in c.metadata.get("tags", [])], copy.name
    settings = tmp_path / "lab" / "settings"
    assert json.loads((settings / "overrides.json").read_text()) == LAB_SETTINGS
    # JupyterLab's own settings reader takes the override as the default
    found, _ = get_settings(
        str(settings), str(Path(get_app_dir()) / "schemas"), str(tmp_path / "user"),
        labextensions_path=[],
    )  # fmt: skip
    kernels = next(s for s in found["settings"] if s["id"].endswith(":kernels-settings"))
    assert kernels["schema"]["properties"]["commsOverSubshells"]["default"] == "disabled"


def test_guide_sends_binder_to_the_copies_post_build_writes():
    guide = (ROOT / "notebooks" / "workshop" / "README.md").read_text(encoding="utf-8")
    post_build = (BINDER / "postBuild").read_text()
    folder = re.search(r"roi workshop --student (\S+)", post_build).group(1)
    links = re.findall(r"https://mybinder\.org/\S+", guide)
    assert links and all(link.endswith(f"urlpath=lab/tree/{folder}") for link in links), links
    assert "make student" in guide
    privacy = guide[guide.index("**Privacy on Binder.**") :].split("\n\n")[0]
    assert "uploads nothing" in privacy and "public service" in privacy


NOTEBOOKS = sorted((ROOT / "notebooks" / "workshop").glob("[0-9]*.ipynb"))
