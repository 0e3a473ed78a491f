"""``roi report``: the scheduled path, run the way cron runs it (a subprocess), then read back.

Fixture notebooks (tests/fixtures/report/notebooks) are the kit's own: one that works and
records the parameters it received (10_posts), one made to fail (20_fails), one made to
hang (30_hangs), one that needs data the folder lacks (40_reshares), and a workshop
notebook in a sub-folder that is not a report. Expected numbers are worked out from
tests/fixtures/report/data/posts.csv with the csv module, not taken from the code.
"""

from __future__ import annotations

import asyncio
import base64
import csv
import datetime as dt
import io
import json
import os
import queue
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup

from roi_helpers import _nbclient_patch, report
from roi_helpers.errors import RoiInputError
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "report"
NOTEBOOKS = FIXTURES / "notebooks"
DATA = FIXTURES / "data"
EMAIL_ANYWHERE = re.compile(
    r"[A-Za-z0-9._%+\-]+(?:@|&#0*64;|&#x0*40;|%40)[A-Za-z0-9.\-]+\.[a-z]{2,}"
)
PLANTED = [
    "planted.markdown@example.com",  # markdown cell
    "planted.stream@example.org",  # printed output
    "planted.json@example.net",  # key numbers
    "ana.silva@example.com",  # the data, shown in a table and written to a CSV
    "planted.notes@example.com",  # a text file the notebook writes
]
TIMEOUT = 20  # seconds per cell in the main run: the hanging cell costs this much


def _roi() -> list[str]:
    """The installed ``roi`` command (what cron calls), or the module when not installed."""
    exe = Path(sys.executable).with_name("roi")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "roi_helpers.cli"]


def _run(args: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return subprocess.run(
        [*_roi(), "report", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _posts_by_hand(start: str, end: str, platform: str, min_likes: int) -> tuple[int, int]:
    """Posts and likes the 10_posts notebook should find, counted with the csv module."""
    with (DATA / "posts.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    kept = [
        r
        for r in rows
        if start <= r["published_at"][:10] <= end
        and (platform == "all" or r["platform"] == platform)
        and int(r["likes"]) >= min_likes
    ]
    return len(kept), sum(int(r["likes"]) for r in kept)


# -- the main run: every fixture notebook, a params file, a period ------------------------------


@pytest.fixture(scope="module")
def main_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report")
    params = tmp / "weekly.yml"
    params.write_text(
        "common:\n"
        "  platform: linkedin\n"
        "  colour: blue  # no notebook declares it\n"
        "10_posts:\n"
        "  min_likes: 5\n"
        "  interactive: true  # refused: reports never create widgets\n",
        encoding="utf-8",
    )
    out = tmp / "out"
    args = [str(DATA), "--notebooks", str(NOTEBOOKS), "--out", str(out)]
    args += ["--timeout", str(TIMEOUT), "--params", str(params)]
    args += ["--since", "2026-11-01", "--until", "2026-11-15"]
    began = time.monotonic()
    proc = _run(args, cwd=tmp)
    return {"proc": proc, "out": out, "seconds": time.monotonic() - began}


def _rows(out: Path) -> dict[str, dict]:
    soup = _soup(out / "index.html")
    rows = {}
    for tr in soup.select("table tbody tr"):
        name = tr.select_one(".file")
        if name is None:
            continue
        badge = tr.select_one(".roi-badge")
        rows[name.get_text(strip=True)] = {
            "status": badge.get_text(strip=True),
            "links": [a["href"] for a in tr.select("a[href]")],
            "text": tr.get_text(" ", strip=True),
        }
    return rows


@pytest.mark.slow
def test_exit_status_is_non_zero_and_says_which_failed(main_run):
    proc = main_run["proc"]
    assert proc.returncode == 1, proc.stderr
    assert "20_fails" in proc.stderr and "30_hangs" in proc.stderr
    # a notebook that hangs for an hour did not hold the run: the per-cell limit stopped it
    assert main_run["seconds"] < 400


@pytest.mark.slow
def test_index_lists_every_notebook_with_its_status_and_links_that_resolve(main_run):
    out = main_run["out"]
    rows = _rows(out)
    assert rows.keys() == {"10_posts", "20_fails", "30_hangs", "40_reshares"}  # no workshop
    assert {k: v["status"] for k, v in rows.items()} == {
        "10_posts": "Finished",
        "20_fails": "Failed",
        "30_hangs": "Timed out",
        "40_reshares": "Skipped: no data",
    }
    soup = _soup(out / "index.html")
    hrefs = [a["href"] for a in soup.select("a[href]")]
    assert hrefs
    for href in hrefs:
        assert not href.startswith(("http:", "https:", "/")), href
        assert (out / href).is_file(), f"index links to a missing file: {href}"
    for name in rows:
        assert f"{name}.html" in rows[name]["links"]
        assert f"{name}/{name}.ipynb" in rows[name]["links"]
    assert "10_posts/cleaning_report.csv" in rows["10_posts"]["links"]
    text = soup.get_text(" ", strip=True)
    assert "Return on Influence report" in soup.title.get_text()
    assert "1 November 2026 to 15 November 2026" in text
    assert str(DATA) in text
    assert "planted failure" in rows["20_fails"]["text"]
    assert "no events.csv" in rows["40_reshares"]["text"]
    # key numbers shown on the index: hand count of posts.csv for the period and filters
    n_posts, likes = _posts_by_hand("2026-11-01", "2026-11-15", "linkedin", 5)
    assert (n_posts, likes) == (2, 55)  # p2 (30 likes) and p4 (25); p6 has -3 likes
    assert re.search(rf"n posts\s+{n_posts}\b", rows["10_posts"]["text"])
    assert re.search(rf"likes\s+{likes}\b", rows["10_posts"]["text"])


@pytest.mark.slow
def test_each_page_says_the_period_it_covers(main_run):
    """10_posts declares start_date and end_date and gets the run's period; the others
    declare neither, so they cover all their data whatever --since/--until say."""
    out = main_run["out"]
    rows = _rows(out)

    def banner(name: str) -> str:
        return _soup(out / f"{name}.html").select_one(".roi-banner .roi-meta").get_text(" ")

    assert "Period: 1 November 2026 to 15 November 2026" in banner("10_posts")
    assert "Period:" not in rows["10_posts"]["text"]  # the index's own period applies
    for name in ("20_fails", "30_hangs", "40_reshares"):
        assert "Period: all dates (this report does not take a period)" in banner(name), name
        assert "November 2026" not in banner(name), name
        assert "Period: all dates (this report does not take a period)" in rows[name]["text"]
    ran = json.loads((out / "run.json").read_text())
    takes = {r["name"]: r["takes_period"] for r in ran["results"]}
    assert takes == {"10_posts": True, "20_fails": False, "30_hangs": False, "40_reshares": False}


@pytest.mark.slow
def test_yaml_and_flag_parameters_reach_the_notebook(main_run):
    out = main_run["out"]
    numbers = json.loads((out / "10_posts" / "10_posts.numbers.json").read_text())
    assert numbers["received"] == {
        "data_dir": str(DATA),
        "output_dir": str(out / "10_posts"),
        "interactive": False,  # the params file's 'interactive: true' is refused
        "show_names": False,
        "start_date": "2026-11-01",
        "end_date": "2026-11-15",
        "platform": "linkedin",  # common section
        "min_likes": 5,  # the notebook's own section
    }
    assert (numbers["n_posts"], numbers["likes"]) == _posts_by_hand(
        "2026-11-01", "2026-11-15", "linkedin", 5
    )
    log = (out / "run.log").read_text()
    assert re.search(r"10_posts: not a parameter of this notebook, ignored: colour", log)
    assert re.search(r"20_fails: .*ignored: .*platform", log)
    assert "sets interactive, ignored" in log
    ran = json.loads((out / "run.json").read_text())
    passed = {r["name"]: r["parameters"] for r in ran["results"]}
    assert "platform" not in passed["20_fails"]  # only what a notebook declares is passed
    assert ran["exit_status"] == 1


@pytest.mark.slow
def test_pages_have_embedded_figures_and_no_code(main_run):
    out = main_run["out"]
    pages = sorted(out.glob("*.html"))
    assert [p.name for p in pages] == [
        "10_posts.html",
        "20_fails.html",
        "30_hangs.html",
        "40_reshares.html",
        "index.html",
    ]
    for page in pages:
        if page.name == "index.html":
            continue
        soup = _soup(page)
        assert soup.select_one(".roi-banner a[href='index.html']"), page.name
        code_cells = soup.select(".jp-CodeCell")
        assert code_cells or page.name == "40_reshares.html"
        for cell in soup.select(".jp-CodeCell"):
            assert not cell.select(".jp-InputArea, .jp-Cell-inputWrapper, .jp-CodeMirrorEditor")
        assert not soup.select(".jp-InputPrompt:not(:empty), .jp-OutputPrompt:not(:empty)")
        for img in soup.select("img"):
            assert img["src"].startswith("data:image/"), (page.name, img["src"][:40])
        # a page asks no third party for anything: no require.js, MathJax or mermaid
        assert not soup.select("script[src], link[href^='http'], iframe"), page.name
        text = page.read_text(encoding="utf-8")
        for fetched in ("require.min.js", "MathJax", "mermaid.esm", "cdnjs", "cdn.jsdelivr"):
            assert fetched not in text, (page.name, fetched)
    for name in ("10_posts", "20_fails"):
        imgs = _soup(out / f"{name}.html").select("img[src^='data:image/png;base64,']")
        assert len(imgs) == 1, name
        png = base64.b64decode(imgs[0]["src"].split(",", 1)[1])
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 2000


@pytest.mark.slow
def test_no_email_address_anywhere_in_what_the_report_wrote(main_run):
    out = main_run["out"]
    files = [p for p in out.rglob("*") if p.is_file() and p.suffix != ".pid"]
    assert any(p.suffix == ".csv" for p in files)
    for path in files:
        raw = path.read_text(encoding="utf-8-sig")
        assert not EMAIL_ANYWHERE.findall(raw), path.relative_to(out)
        if path.suffix == ".html":
            soup = BeautifulSoup(raw, "html.parser")
            text = soup.get_text(" ") + " ".join(
                str(v) for tag in soup.find_all(True) for v in tag.attrs.values()
            )
            assert not EMAIL_ANYWHERE.findall(text), path.name
    # the planted addresses were there to find, and the scan said so
    page = (out / "10_posts.html").read_text()
    assert page.count("[email hidden]") >= 4  # markdown, printed line, 2 table rows
    assert "Questions about this page: [email hidden]" in _soup(out / "10_posts.html").get_text()
    log = (out / "run.log").read_text()
    hidden = int(re.search(r"10_posts: hid (\d+) email", log).group(1))
    assert hidden >= 8  # markdown, printed line, 2 table rows, 2 CSV cells, number, notes
    assert (out / "10_posts" / "notes.md").read_text() == "Owner: [email hidden]\n"
    assert "[email hidden]" in (out / "10_posts" / "posts_in_period.csv").read_text()
    numbers = json.loads((out / "10_posts" / "10_posts.numbers.json").read_text())
    assert numbers["contact"] == "[email hidden]"
    source = (NOTEBOOKS / "10_posts.ipynb").read_text() + (DATA / "posts.csv").read_text()
    assert all(address in source for address in PLANTED)


@pytest.mark.slow
def test_a_failing_notebook_has_its_error_and_cell_at_the_top(main_run):
    soup = _soup(main_run["out"] / "20_fails.html")
    cells = soup.select(".jp-Cell")
    assert cells[0].select_one(".celltag_roi-report-error"), "the error is not the first cell"
    top = cells[0].get_text(" ", strip=True)
    assert "did not finish" in top
    assert "ValueError: planted failure: posts.csv has no column 'reshares'" in top
    code = "".join(pre.get_text() for pre in cells[0].select("pre"))
    assert 'raise ValueError("planted failure' in code  # the failing cell, though code is hidden
    # named as the stored notebook has it (markdown, parameters, chart, raise, print): its
    # 4th cell and 3rd code cell, not papermill's count, which includes its injected cell
    lead = cells[0].select_one("p").get_text()
    assert lead == (
        "This notebook did not finish: cell 4 of 5 (the 3rd code cell, which begins raise "
        "ValueError(\"planted failure: posts.csv has no column 'reshares'\")) failed."
    )
    assert cells[0].select_one("p code").get_text().startswith("raise ValueError(")
    assert "cell [4]" not in top
    # papermill's notice ("An Exception was encountered at 'In [4]'") is replaced by ours
    assert "An Exception was encountered" not in soup.get_text()
    ran = json.loads((main_run["out"] / "run.json").read_text())
    failed = next(r for r in ran["results"] if r["name"] == "20_fails")
    assert (failed["error"]["position"], failed["error"]["code_position"]) == (4, 3)
    assert failed["message"].startswith('cell 4 of 5 (the 3rd code cell, which begins "raise')
    assert soup.select_one("#papermill-error-cell")
    assert "this line must never run" not in soup.get_text()  # later cells did not run
    banner = soup.select_one(".roi-banner").get_text(" ", strip=True)
    assert "Failed" in banner and "planted failure" in banner


@pytest.mark.slow
def test_a_hanging_notebook_is_stopped_with_its_error_at_the_top(main_run):
    out = main_run["out"]
    soup = _soup(out / "30_hangs.html")
    cells = soup.select(".jp-Cell")
    assert cells[0].select_one(".celltag_roi-report-error"), "the error is not the first cell"
    top = cells[0].get_text(" ", strip=True)
    assert "time limit" in top and f"--timeout {TIMEOUT}" in top
    lead = cells[0].select_one("p").get_text()
    assert lead.startswith(
        "This notebook did not finish: cell 4 of 5 (the 3rd code cell, which begins "
        "time.sleep(3600)) was still running after its time limit"
    )
    assert "time.sleep(3600)" in "".join(pre.get_text() for pre in cells[0].select("pre"))
    assert "kernel started" in soup.get_text()  # the cell before it ran
    assert "this line must never run" not in soup.get_text()
    ran = json.loads((out / "run.json").read_text())
    hang = next(r for r in ran["results"] if r["name"] == "30_hangs")
    assert hang["status"] == "timed out"
    assert TIMEOUT <= hang["seconds"] < TIMEOUT + 120
    # the hung kernel is gone, not left behind by the run
    pid = int((out / "30_hangs" / "kernel.pid").read_text())
    assert _gone(pid)


def _gone(pid: int, wait: float = 15) -> bool:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        try:  # a zombie child of ours counts as gone
            status = Path(f"/proc/{pid}/status").read_text()
            if "\nState:\tZ" in status:
                return True
        except OSError:
            return True
        time.sleep(0.3)
    return False


@pytest.mark.slow
def test_the_others_still_ran_after_a_failure_and_a_hang(main_run):
    out = main_run["out"]
    ran = json.loads((out / "run.json").read_text())
    assert [r["name"] for r in ran["results"]] == [
        "10_posts",
        "20_fails",
        "30_hangs",
        "40_reshares",
    ]
    last = ran["results"][-1]
    assert last["status"] == "no data"
    assert last["numbers"]["no_data"].startswith("this data folder has no events.csv")
    page = _soup(out / "40_reshares.html").get_text(" ", strip=True)
    assert "Nothing to analyse: this data folder has no events.csv" in page
    assert "No reshare data" in page  # the notebook's own words


@pytest.mark.slow
def test_csv_cells_cannot_start_a_formula(main_run):
    out = main_run["out"]
    csvs = sorted(out.rglob("*.csv"))
    assert {p.name for p in csvs} == {"cleaning_report.csv", "posts_in_period.csv"}
    number = re.compile(report._NUMBER)
    for path in csvs:
        with path.open(newline="", encoding="utf-8-sig") as f:
            for row in csv.reader(f):
                for cell in row:
                    if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                        assert number.match(cell), (path.name, cell)
    with (out / "10_posts" / "posts_in_period.csv").open(newline="") as f:
        texts = {r["post_id"]: r["text"] for r in csv.DictReader(f)}
    assert texts == {
        "p2": '\'=HYPERLINK("http://evil.example/x","click me")',
        "p4": "'+33 1 23 45 67 89 call us",
    }


@pytest.mark.slow
def test_progress_is_shown_as_plain_lines_off_a_terminal(main_run):
    err = main_run["proc"].stderr
    for i, name in enumerate(["10_posts", "20_fails", "30_hangs", "40_reshares"], start=1):
        assert f"[{i}/4] {name}: running" in err
    assert "[2/4] 20_fails: failed" in err
    assert "\r" not in err  # no progress bars in a cron mail


@pytest.mark.slow
def test_executed_notebooks_are_kept_without_emails(main_run):
    out = main_run["out"]
    nb = nbformat.read(out / "10_posts" / "10_posts.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "min_likes = 5" in injected[0].source
    assert not EMAIL_ANYWHERE.findall(json.dumps(nb))


# -- the project is found from where the command runs ---------------------------------------------


@pytest.mark.slow
def test_defaults_from_the_project_folder(tmp_path):
    """From inside a project: data/sample/ by default, a fresh reports/<UTC time>/ folder."""
    project = tmp_path / "kit"
    (project / "notebooks").mkdir(parents=True)
    (project / "data" / "sample").mkdir(parents=True)
    (project / "pyproject.toml").write_text('[project]\nname = "roi-helpers"\n')
    shutil.copy(NOTEBOOKS / "10_posts.ipynb", project / "notebooks")
    shutil.copy(NOTEBOOKS / "20_fails.ipynb", project / "notebooks")
    shutil.copy(DATA / "posts.csv", project / "data" / "sample")
    cwd = project / "notebooks"
    before = dt.date.today()  # --last counts by the machine's local date
    proc = _run(["--only", "10", "--last", "7d", "--format", "html", "--show-names"], cwd=cwd)
    after = dt.date.today()
    assert proc.returncode == 0, proc.stderr
    made = list((project / "reports").iterdir())
    assert len(made) == 1
    assert re.fullmatch(r"\d{4}-\d\d-\d\d_\d{6}Z", made[0].name)
    out = made[0]
    assert (out / "10_posts.html").is_file()
    assert not list(out.rglob("*.ipynb"))  # --format html keeps no notebooks
    assert not (out / "20_fails.html").exists()  # --only
    numbers = json.loads((out / "10_posts" / "10_posts.numbers.json").read_text())
    got = numbers["received"]
    assert got["data_dir"] == str(project / "data" / "sample")
    assert got["show_names"] is True and got["interactive"] is False
    # the 7 whole days before today (local): today - 7 ... today - 1
    expected = {
        ((d - dt.timedelta(days=7)).isoformat(), (d - dt.timedelta(days=1)).isoformat())
        for d in (before, after)
    }
    assert (got["start_date"], got["end_date"]) in expected
    assert numbers["n_posts"] == _posts_by_hand(got["start_date"], got["end_date"], "all", 0)[0]
    index = _soup(out / "index.html")
    assert "Names are shown (--show-names)" in index.get_text()
    links = [a["href"] for a in index.select("a[href]")]
    assert all((out / h).is_file() for h in links)
    assert not any(h.endswith(".ipynb") for h in links)


def test_outside_a_project_it_says_what_to_do(tmp_path):
    proc = _run([], cwd=tmp_path, timeout=120)
    assert proc.returncode == 2
    assert "no Return on Influence kit folder" in proc.stderr
    assert "--notebooks" in proc.stderr
    assert not (tmp_path / "reports").exists()


def test_an_existing_output_folder_is_never_overwritten(tmp_path):
    out = tmp_path / "last-week"
    out.mkdir()
    (out / "index.html").write_text("last week's report")
    proc = _run(
        [str(DATA), "--notebooks", str(NOTEBOOKS), "--out", str(out)], cwd=tmp_path, timeout=120
    )
    assert proc.returncode == 2
    assert "already exists" in proc.stderr
    assert [p.name for p in out.iterdir()] == ["index.html"]
    assert (out / "index.html").read_text() == "last week's report"


def test_default_folders_get_a_suffix_instead_of_overwriting(tmp_path):
    stamp = dt.datetime(2026, 11, 30, 6, 0, 0, tzinfo=dt.UTC)
    first = report._new_folder(None, tmp_path, stamp)
    (first / "index.html").write_text("first")
    second = report._new_folder(None, tmp_path, stamp)
    assert first.name == "2026-11-30_060000Z"
    assert second.name == "2026-11-30_060000Z-2"
    assert (first / "index.html").read_text() == "first"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert report._new_folder(empty, tmp_path, stamp) == empty  # an empty folder is fine


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["/no/such/folder"], "does not exist"),
        ([str(DATA), "--last", "7d", "--since", "2026-11-01"], "--last and --since"),
        ([str(DATA), "--last", "7x"], "not a length of time"),
        ([str(DATA), "--since", "01/11/2026"], "expected an ISO date"),
        ([str(DATA), "--only", "99_nothing"], "names no notebook"),
        ([str(DATA), "--format", "pdf"], "--format pdf"),
        ([str(DATA), "--timeout", "0"], "positive number of seconds"),
    ],
)
def test_wrong_commands_exit_2_before_running_anything(tmp_path, args, says, capsys):
    status = report.main([*args, "--notebooks", str(NOTEBOOKS), "--out", str(tmp_path / "o")])
    assert status == 2
    assert says in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


# -- the pieces -----------------------------------------------------------------------------------


def test_report_period_by_hand():
    monday = dt.date(2026, 11, 30)
    assert report.report_period(last="7d", today=monday) == (
        dt.date(2026, 11, 23),  # the Monday before
        dt.date(2026, 11, 29),  # yesterday, Sunday
    )
    start, end = report.report_period(last="4w", today=monday)
    assert (end - start).days + 1 == 28 and end == dt.date(2026, 11, 29)
    assert report.report_period(last="3m", until="2026-11-30") == (
        dt.date(2026, 9, 1),
        dt.date(2026, 11, 30),
    )
    assert report.report_period(last="1y", until="2024-02-29") == (
        dt.date(2023, 3, 1),
        dt.date(2024, 2, 29),
    )
    assert report.report_period(since="2026-11-01") == (dt.date(2026, 11, 1), None)
    assert report.report_period() == (None, None)
    for kwargs in (
        {"since": "2026-11-10", "until": "2026-11-01"},
        {"last": "0d"},
        {"last": "7"},
        {"since": "2026-13-01"},
    ):
        with pytest.raises(RoiInputError):
            report.report_period(**kwargs)


def test_read_params_sections_common_and_dates(tmp_path):
    f = tmp_path / "p.yml"
    f.write_text(
        "common:\n  platform: x\n  start_date: 2026-11-01\n"
        "owner_function: marketing\n"  # a flat key is a common parameter too
        "engagement_rates:\n  min_posts: 3\n"  # the name without its number
        "01:\n  data_dir: exports/linkedin\n"
    )
    names = ["01_audience_relevance", "02_engagement_rates"]
    got = report.read_params(f, names)
    assert got == {
        "common": {"platform": "x", "start_date": "2026-11-01", "owner_function": "marketing"},
        "02_engagement_rates": {"min_posts": 3},
        "01_audience_relevance": {"data_dir": str(tmp_path / "exports" / "linkedin")},
    }


@pytest.mark.parametrize(
    ("text", "says", "row"),
    [
        ("common:\n  platform: [x\n", "not valid YAML", 3),
        ("- a\n- b\n", "not a mapping", None),
        ("03_virality:\n  x: 1\n", "names no notebook", None),
        ("common: 5\n", "'common' is not a mapping", None),
        ("common:\n  ids: !!set {a, b}\n", "cannot be", None),
    ],
)
def test_read_params_errors_name_the_file_and_line(tmp_path, text, says, row):
    f = tmp_path / "weekly.yml"
    f.write_text(text)
    with pytest.raises(RoiInputError) as err:
        report.read_params(f, ["01_audience_relevance", "02_engagement_rates"])
    assert says in str(err.value)
    assert str(err.value).startswith("weekly.yml")
    if row is not None:
        assert err.value.rows == [row]


def test_list_notebooks_in_name_order_without_subfolders():
    names = [p.stem for p in report.list_notebooks(NOTEBOOKS)]
    assert names == ["10_posts", "20_fails", "30_hangs", "40_reshares"]
    assert [p.stem for p in report.list_notebooks(NOTEBOOKS, ["40", "posts"])] == [
        "10_posts",
        "40_reshares",
    ]
    assert [p.stem for p in report.list_notebooks(NOTEBOOKS, ["20_fails,30"])] == [
        "20_fails",
        "30_hangs",
    ]
    with pytest.raises(RoiInputError, match="10_posts, 20_fails, 30_hangs, 40_reshares"):
        report.list_notebooks(NOTEBOOKS, ["99"])


def test_find_project_walks_up_and_explains(tmp_path):
    kit = tmp_path / "kit"
    (kit / "notebooks" / "workshop").mkdir(parents=True)
    (kit / "roi_helpers").mkdir()
    assert report.find_project(kit / "notebooks" / "workshop") == kit.resolve()
    other = tmp_path / "other"
    (other / "notebooks").mkdir(parents=True)
    (other / "pyproject.toml").write_text('[project]\nname = "something-else"\n')
    with pytest.raises(RoiInputError, match="--notebooks"):
        report.find_project(other / "notebooks")
    (other / "pyproject.toml").write_text('[project]\nname = "roi_helpers"\n')
    assert report.find_project(other / "notebooks") == other.resolve()
    assert report.find_project(ROOT / "tests" / "fixtures") == ROOT


def test_declared_parameters_read_lines_papermill_skips():
    import papermill as pm

    path = NOTEBOOKS / "10_posts.ipynb"
    declared = report._declared_parameters(path, nbformat.read(path, as_version=4))
    assert declared == {
        "data_dir": "str",
        "output_dir": "str",
        "interactive": "bool",
        "show_names": "bool",
        "start_date": "str",
        "end_date": "str",
        "platform": "str",
        "min_likes": "int",
    }
    # why ast is needed: papermill's own parser drops a line whose comment holds an '='
    assert "start_date" not in pm.inspect_notebook(str(path))
    assert report._type_mismatch("int", "5") and not report._type_mismatch("float", 5)
    assert report._type_mismatch("int", True) and not report._type_mismatch(None, "x")


def test_csv_made_safe_in_place_keeping_numbers_and_bom(tmp_path):
    path = tmp_path / "cleaning.csv"
    rows = [
        ["=risky", "value", "note"],
        ["=1+1", "-3", "ana@example.com wrote"],
        ["+33 1 23", "1e5", "@mention"],
        ["-2+3", "+4", "\tindented"],
        ["plain", "-0.5", ""],
    ]
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        csv.writer(f).writerows(rows)
    made_safe, emails = report._make_csv_safe(path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(newline="", encoding="utf-8-sig") as f:
        got = list(csv.reader(f))
    assert got == [
        ["'=risky", "value", "note"],
        ["'=1+1", "-3", "[email hidden] wrote"],
        ["'+33 1 23", "1e5", "'@mention"],
        ["'-2+3", "+4", "'\tindented"],
        ["plain", "-0.5", ""],
    ]
    assert (made_safe, emails) == (6, 1)
    clean = tmp_path / "clean.csv"
    clean.write_bytes(b"a,b\r\n1,x\r\n")
    assert report._make_csv_safe(clean) == (0, 0)
    assert clean.read_bytes() == b"a,b\r\n1,x\r\n"  # untouched when nothing is risky


def test_html_scan_catches_encoded_addresses():
    page = (
        '<p>ana.silva@example.com</p><a href="mailto:bo%40example.org">x</a>'
        "<p>cy&#64;example.net, dee&#x40;example.co.uk</p>"
        '<img src="data:image/png;base64,iVBORw0KGgo+/=">'
    )
    text, n = report._redact_text(page)
    assert n == 4
    assert not EMAIL_ANYWHERE.findall(text)
    assert 'src="data:image/png;base64,iVBORw0KGgo+/="' in text


def test_run_json_stays_valid_when_an_email_follows_a_newline(tmp_path):
    result = report.NotebookResult("01_x", "X", "failed", message="KeyError\nana@example.com")
    run = report.Report(tmp_path, tmp_path, None, None, [result], started="2026-11-30T06:00:00")
    report._write_run_files(run, final=True)
    ran = json.loads((tmp_path / "run.json").read_text())
    assert ran["results"][0]["message"] == "KeyError\n[email hidden]"
    assert ran["exit_status"] == 1
    index = _soup(tmp_path / "index.html").get_text(" ", strip=True)
    assert "1 of 1 need attention: 1 failed." in index
    assert not EMAIL_ANYWHERE.findall((tmp_path / "index.html").read_text())


def test_redact_tree_skips_images_and_counts():
    nb = {
        "cells": [
            {
                "source": "mail me: a@b.io",
                "outputs": [{"data": {"text/plain": ["x c@d.io"], "image/png": "a@b.io"}}],
            }
        ]
    }
    out, n = report._redact_tree(nb)
    assert n == 2
    assert out["cells"][0]["source"] == "mail me: [email hidden]"
    assert out["cells"][0]["outputs"][0]["data"]["image/png"] == "a@b.io"  # binary: untouched


def test_progress_bars_on_a_terminal_and_lines_in_the_log(tmp_path):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    log = report._Log(tmp_path / "run.log", screen, tty=True)
    progress = report._Progress(2, log, tty=True)
    progress.start(1, "01_audience", 3)
    progress.cell({"n": 1, "total": 3})
    progress.cell({"n": 3, "total": 3})
    progress.finish(1, report.NotebookResult("01_audience", "Audience", "ok", seconds=2.0))
    progress.close()
    log.close()
    shown = screen.getvalue()
    assert "\r" in shown  # bars redrawn in place
    assert "01_audience" in shown and "cell" in shown and "notebook" in shown
    assert "[1/2] 01_audience: finished in 2.0 s" in shown
    logged = (tmp_path / "run.log").read_text()
    assert "[1/2] 01_audience: running" in logged
    assert "01_audience: cell 3/3" in logged
    assert "\r" not in logged


def test_the_documented_schedules_are_the_real_ones():
    doc = (ROOT / "docs" / "scheduling.md").read_text()
    block = re.search(r"```yaml\n(name: Weekly report.*?)```", doc, re.S).group(1)
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "weekly-report.yml").read_text())
    assert yaml.safe_load(block) == workflow  # the README text and the file agree
    assert workflow[True]["schedule"] == [{"cron": "0 6 * * 1"}]  # YAML 1.1 reads 'on' as True
    steps = workflow["jobs"]["report"]["steps"]
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["python-version"] == "3.11"
    run = next(s["run"] for s in steps if "roi report" in s.get("run", ""))
    out = re.search(r"--out (\S+)", run).group(1)
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"].rstrip("/") == out and upload["if"] == "always()"
    cron = re.search(r"```cron\n(.+?)\n```", doc).group(1)
    fields = cron.split()
    assert fields[:5] == ["0", "6", "*", "*", "1"] and fields[5] == "cd"
    command = cron.split("roi report", 1)[1].split(">>")[0]
    args = report._parser().parse_args(shlex.split(command))
    assert (args.data_dir, args.last) == ("data/exports", "7d")
    assert report.report_period(last=args.last, today=dt.date(2026, 11, 30))[0].weekday() == 0
    # the period follows the machine's date, and the page says so
    assert "by the machine's local date" in doc and "(UTC)" not in doc
    assert "local date" in report._parser().format_help()


def _github_expression(text: str, context: dict[str, str]) -> str:
    """Evaluate a GitHub Actions ``${{ a || (b && 'c' || '') }}`` the way Actions does:
    ``&&`` and ``||`` return an operand, an empty or missing value is false. Only names,
    quoted text, ``&&``, ``||`` and brackets are accepted (parsed with ast, never run)."""
    import ast

    body = re.fullmatch(r"\$\{\{(.*)\}\}", text.strip(), re.S).group(1)
    tree = ast.parse(body.replace("&&", " and ").replace("||", " or ").strip(), mode="eval").body

    def value(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.BoolOp):
            result = value(node.values[0])
            for item in node.values[1:]:
                if isinstance(node.op, ast.And):
                    result = value(item) if result else result
                else:
                    result = result if result else value(item)
            return result
        if isinstance(node, (ast.Attribute, ast.Name)):
            return context.get(ast.unparse(node), "")
        raise AssertionError(f"unexpected expression {ast.unparse(node)}")

    return value(tree)


def test_the_scheduled_workflow_gives_the_sample_a_period_it_covers():
    """The sample ends on 31 December 2025: a scheduled run on it with --last 7d would be an
    empty report. Real exports (ROI_DATA_DIR set) get last week; a manual run its input."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "weekly-report.yml").read_text())
    env = workflow["jobs"]["report"]["env"]
    dispatch = workflow[True]["workflow_dispatch"]["inputs"]["args"]

    def run_with(variables: dict[str, str]) -> tuple[str, list[str]]:
        data = _github_expression(env["DATA_DIR"], variables)
        args = _github_expression(env["REPORT_ARGS"], variables)
        return data, shlex.split(args)

    data, args = run_with({})  # the schedule, no repository variable: the sample
    assert data == "data/sample" and "--last" not in args and "--since" not in args
    parsed = report._parser().parse_args([data, *args])
    start, end = report.report_period(parsed.since, parsed.until, parsed.last)
    assert (start, end) == (None, None)  # every report on all of the sample's dates
    data, args = run_with({"vars.ROI_DATA_DIR": "data/exports"})
    assert (data, args) == ("data/exports", ["--last", "7d"])
    data, args = run_with(
        {"github.event.inputs.args": "--since 2025-12-01 --until 2025-12-31"}
    )  # by hand
    assert args == ["--since", "2025-12-01", "--until", "2025-12-31"]
    # a manual run on the sample, its input left as it comes: no empty last week either
    data, args = run_with({"github.event.inputs.args": dispatch["default"]})
    assert data == "data/sample" and "--last" not in args
    # the docs say the same as the workflow about the sample
    doc = (ROOT / "docs" / "scheduling.md").read_text()
    assert 'make report ARGS="--last 7d' not in doc


def test_the_documented_cron_line_works_on_a_fresh_checkout(tmp_path):
    """The line as the docs give it, run by sh in a checkout without reports/: the log is
    written, the command ran with the documented options, the exit status is 0."""
    doc = (ROOT / "docs" / "scheduling.md").read_text()
    line = re.search(r"```cron\n(.+?)\n```", doc).group(1)
    command = line.split(None, 5)[5]
    # the lock is the kit's own, not a file any user of the machine could hold in /tmp
    assert "/tmp/" not in command
    kit = tmp_path / "roi kit"  # a space in the path, as a home folder may have
    (kit / ".venv" / "bin").mkdir(parents=True)
    roi = kit / ".venv" / "bin" / "roi"
    roi.write_text('#!/bin/sh\necho "roi called with: $*"\n')
    roi.chmod(0o755)
    assert not (kit / "reports").exists()
    command = command.replace("/home/me/roi-kit", shlex.quote(str(kit)))
    assert "/home/me" not in command
    proc = subprocess.run(["/bin/sh", "-c", command], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    log = (kit / "reports" / "cron.log").read_text()
    assert log == "roi called with: report data/exports --last 7d\n"


# -- the nbclient patch, and the runner's last line of defence ------------------------------------


def _run_async(coro):
    """asyncio.run in a thread of its own: an earlier test (Playwright's sync API) may have
    left an event loop running in this one."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def test_sliced_wait_keeps_the_deadline():
    waits: list[float] = []

    async def never(self, timeout=None):
        waits.append(timeout)
        await asyncio.sleep(timeout)
        raise queue.Empty

    began = time.monotonic()
    with pytest.raises(queue.Empty):
        _run_async(_nbclient_patch.sliced(never)(None, timeout=1.2))
    took = time.monotonic() - began
    assert 1.15 <= took < 5.0  # the deadline, not a slice more (generous for a loaded machine)
    assert all(w <= 0.5 for w in waits) and len(waits) >= 3
    assert waits[:2] == [0.5, 0.5]

    calls: list[float] = []

    async def second_slice(self, timeout=None):
        calls.append(timeout)
        if len(calls) == 1:
            raise queue.Empty  # the reply a long poll would have missed
        return {"msg_id": "reply"}

    assert _run_async(_nbclient_patch.sliced(second_slice)(None, timeout=600)) == {
        "msg_id": "reply"
    }
    assert calls == [0.5, 0.5]


def test_patch_applies_once_to_jupyter_client():
    from jupyter_client.channels import AsyncZMQSocketChannel

    _nbclient_patch.apply()
    assert getattr(AsyncZMQSocketChannel.get_msg, "_roi_sliced", False)
    assert _nbclient_patch.apply() is False
    assert not getattr(AsyncZMQSocketChannel.get_msg.__wrapped__, "_roi_sliced", False)


def test_the_child_process_module_imports_nothing_from_the_kit():
    """It runs as a script with -P: a kit import would fail, or cost pandas in every child."""
    import ast

    tree = ast.parse(Path(_nbclient_patch.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0, "a relative import breaks the script"
            imported.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            imported.update(a.name.split(".")[0] for a in node.names)
    assert not imported & {"roi_helpers", "pandas", "pandera", "numpy", "matplotlib"}, imported
    assert {"papermill", "jupyter_client"} <= imported


@pytest.mark.slow
def test_a_stall_no_cell_timeout_catches_is_stopped_by_the_overall_limit(tmp_path):
    """The per-cell limit is an hour here; the notebook's overall budget stops it."""
    from roi_helpers._kernel import ensure_kernel

    out = tmp_path / "30_hangs.ipynb"
    events: list[dict] = []
    began = time.monotonic()
    outcome, _ = report._execute(
        NOTEBOOKS / "30_hangs.ipynb",
        out,
        {"output_dir": str(tmp_path), "interactive": False},
        ensure_kernel(),
        timeout=3600,
        on_event=events.append,
        hard_limit=30,
    )
    took = time.monotonic() - began
    assert outcome["status"] == "timed out"
    assert "in all" in outcome["evalue"]
    assert 30 <= took < 60
    assert events, "no progress was reported before the stall"
    pid = int((tmp_path / "kernel.pid").read_text())
    assert _gone(pid), "the stalled notebook's kernel was left running"


# -- the real notebooks on the sample data ----------------------------------------------------------

REAL = ["01_audience_relevance", "02_engagement_rates", "03_virality"]


@pytest.mark.slow
def test_roi_report_on_the_sample_data(tmp_path):
    missing = [n for n in REAL if not (ROOT / "notebooks" / f"{n}.ipynb").exists()]
    if missing:
        pytest.skip(f"the analysis notebooks are not written yet: {', '.join(missing)}")
    sample = ROOT / "data" / "sample"
    if not sample.is_dir() or not any(sample.iterdir()):
        pytest.skip("data/sample/ is not generated yet (python -m roi_helpers.sample)")
    out = tmp_path / "weekly"
    proc = _run([str(sample), "--out", str(out), "--timeout", "600"], cwd=ROOT, timeout=1800)
    expected = [p.stem for p in sorted((ROOT / "notebooks").glob("*.ipynb"))]
    rows = _rows(out)
    assert list(rows) == expected
    assert proc.returncode == 0, proc.stderr + (out / "run.log").read_text()
    for name in expected:
        assert rows[name]["status"] in ("Finished", "Skipped: no data"), name
        soup = _soup(out / f"{name}.html")
        for cell in soup.select(".jp-CodeCell"):
            assert not cell.select(".jp-InputArea, .jp-CodeMirrorEditor")
        assert not EMAIL_ANYWHERE.findall(str(soup)), name
        if rows[name]["status"] == "Finished" and name in REAL:
            assert soup.select("img[src^='data:image/png;base64,']"), f"{name}: no figure"
        for img in soup.select("img"):
            assert img["src"].startswith("data:image/"), name
    for href in [a["href"] for a in _soup(out / "index.html").select("a[href]")]:
        assert (out / href).is_file(), href
    number = re.compile(report._NUMBER)
    for path in out.rglob("*.csv"):
        with path.open(newline="", encoding="utf-8-sig") as f:
            for row in csv.reader(f):
                for cell in row:
                    if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                        assert number.match(cell), (path.name, cell)


def test_index_shows_a_notebooks_headline_and_highlights_and_its_own_period(tmp_path):
    """A notebook's worded highlights replace the raw key numbers on the index, and the
    period it says it used (the scorecard's default: the data's last 28 days) is shown."""
    from bs4 import BeautifulSoup

    from roi_helpers.report import NotebookResult, Report, _index_html

    said = NotebookResult(name="00_scorecard", title="Scorecard", status="ok", seconds=3.0)
    said.numbers = {
        "headline": "16% of the network are buyers.",
        "highlights": {"Buyer share": "16.2%", "Engagement rate": "1.36%"},
        "relevance": 0.1623,
        "start_date": "2025-12-04",
        "end_date": "2025-12-31",
    }
    raw = NotebookResult(name="02_engagement_rates", title="Engagement", status="ok", seconds=2.0)
    raw.numbers = {"n_posts": 246}
    run = Report(
        folder=tmp_path,
        data_dir=tmp_path,
        start_date=None,
        end_date=None,
        results=[said, raw],
        started="2026-11-26T08:00:00+00:00",
    )
    soup = BeautifulSoup(_index_html(run, final=True), "html.parser")
    rows = soup.find_all("tr")
    first = next(r for r in rows if "00_scorecard" in r.get_text())
    text = first.get_text(" ", strip=True)
    assert "16% of the network are buyers." in text
    assert "Buyer share 16.2%" in text and "Engagement rate 1.36%" in text
    assert "relevance" not in text  # the raw number is not repeated
    assert "Period: 4 December 2025 to 31 December 2025" in text
    second = next(r for r in rows if "02_engagement_rates" in r.get_text())
    assert "n posts 246" in second.get_text(" ", strip=True)  # no highlights: raw numbers
    assert "Period:" not in second.get_text(" ", strip=True)  # same period as the run


def test_a_notebook_without_period_parameters_says_it_covers_all_dates(tmp_path):
    """The run has a period; 03 declares no start_date/end_date, so it covers every date
    (its banner and index row say so, not the run's week); 02 takes the run's period; 00
    says the period it used. Without a run period, 03's row adds nothing."""
    from roi_helpers.report import NotebookResult, Report, _banner, _index_html

    week = NotebookResult(name="02_engagement_rates", title="Engagement", status="ok")
    week.parameters = {"start_date": "2026-11-19", "end_date": "2026-11-25"}
    year = NotebookResult(name="03_virality", title="Virality", status="ok", takes_period=False)
    own = NotebookResult(name="00_scorecard", title="Scorecard", status="ok")
    own.parameters = {"start_date": "2026-11-19", "end_date": "2026-11-25"}
    own.numbers = {"start_date": "2026-10-29", "end_date": "2026-11-25"}
    run = Report(
        tmp_path,
        tmp_path,
        "2026-11-19",
        "2026-11-25",
        [week, year, own],
        "2026-11-26T06:00:00+00:00",
    )
    soup = BeautifulSoup(_index_html(run, final=True), "html.parser")
    rows = {
        r.select_one(".file").get_text(): r.get_text(" ", strip=True)
        for r in soup.select("tbody tr")
        if r.select_one(".file")
    }
    assert "Period: all dates (this report does not take a period)" in rows["03_virality"]
    assert "Period:" not in rows["02_engagement_rates"]
    assert "Period: 29 October 2026 to 25 November 2026" in rows["00_scorecard"]
    assert "Period: all dates (this report does not take a period)" in _banner(year, run)
    assert "19 November 2026" not in _banner(year, run)
    assert "Period: 19 November 2026 to 25 November 2026" in _banner(week, run)
    open_run = Report(tmp_path, tmp_path, None, None, [week, year], "2026-11-26T06:00:00+00:00")
    week.parameters = {}
    soup = BeautifulSoup(_index_html(open_run, final=True), "html.parser")
    assert "Period:" not in soup.select("tbody tr")[1].get_text()
    assert "Period: all dates (this report does not take a period)" in _banner(year, open_run)
    assert "Period: all dates in the data" in _banner(week, open_run)


def test_last_counts_days_by_the_local_date_not_utc(monkeypatch):
    """A time zone chosen so that its date differs from UTC's right now: UTC+14 when it is
    past noon in UTC (already tomorrow there), UTC-12 before (still yesterday)."""
    import time as clock

    utc = dt.datetime.now(dt.UTC)
    zone = "Etc/GMT-14" if utc.hour >= 12 else "Etc/GMT+12"  # POSIX signs are reversed
    monkeypatch.setenv("TZ", zone)
    clock.tzset()
    try:
        local = dt.date.today()
        start, end = report.report_period(last="7d")
        if dt.datetime.now(dt.UTC).date() != utc.date():  # midnight passed: try again later
            pytest.skip("UTC midnight passed during the test")
    finally:
        monkeypatch.undo()
        clock.tzset()
    assert local != utc.date()
    assert end == local - dt.timedelta(days=1)
    assert start == local - dt.timedelta(days=7)


# -- the kernel every report runs: registered where nobody else can change it ----------------------


def test_kernel_spec_goes_into_the_environment_when_it_is_writable(monkeypatch, tmp_path):
    from jupyter_client.kernelspec import KernelSpecManager

    from roi_helpers import _kernel

    prefix = tmp_path / "venv"
    monkeypatch.setattr(sys, "prefix", str(prefix))
    monkeypatch.setenv("JUPYTER_PATH", "")
    assert _kernel.ensure_kernel() == "python3"
    root = prefix / "share" / "roi-helpers" / "jupyter"
    spec = root / "kernels" / "python3" / "kernel.json"
    assert json.loads(spec.read_text())["argv"][0] == sys.executable
    assert os.environ["JUPYTER_PATH"].split(os.pathsep)[0] == str(root)
    # what papermill's kernel manager resolves "python3" to
    assert KernelSpecManager().find_kernel_specs()["python3"] == str(spec.parent)


@pytest.fixture
def read_only_env(monkeypatch, tmp_path):
    """An install whose environment cannot be written: the temporary folder is used."""
    from roi_helpers import _kernel

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(_kernel, "_writable_prefix", lambda: None)
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(temp))
    monkeypatch.setenv("JUPYTER_PATH", "")
    return temp / f"roi-kernels-{os.getuid()}"


def test_kernel_folder_in_tmp_is_made_private(read_only_env):
    from roi_helpers import _kernel

    _kernel.ensure_kernel()
    info = read_only_env.lstat()
    assert stat.S_ISDIR(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o700
    assert info.st_uid == os.getuid()
    assert os.environ["JUPYTER_PATH"].split(os.pathsep)[0] == str(read_only_env)
    spec = read_only_env / "kernels" / "python3" / "kernel.json"
    assert json.loads(spec.read_text())["argv"][0] == sys.executable


def _plant(folder: Path) -> Path:
    """A kernel another user left for the Monday job: it would run their program."""
    spec = folder / "kernels" / "python3" / "kernel.json"
    spec.parent.mkdir(parents=True)
    spec.write_text(json.dumps({"argv": ["/tmp/evil", "{connection_file}"], "language": "python"}))
    return spec


@pytest.mark.parametrize("how", ["open to everyone", "another user's", "a link"])
def test_a_planted_kernel_folder_in_tmp_is_never_used(read_only_env, tmp_path, how):
    from roi_helpers import _kernel

    if how == "open to everyone":
        read_only_env.mkdir()
        planted = _plant(read_only_env)
        read_only_env.chmod(0o777)
    elif how == "another user's":
        if os.getuid() != 0:
            pytest.skip("only root can give a folder to another user")
        read_only_env.mkdir(mode=0o700)
        planted = _plant(read_only_env)
        os.chown(read_only_env, 54321, 54321)
    else:
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir(mode=0o700)
        planted = _plant(elsewhere)
        read_only_env.symlink_to(elsewhere)
    before = planted.read_text()
    with pytest.warns(RuntimeWarning, match="is not used for the kit's kernel"):
        _kernel.ensure_kernel()
    used = Path(os.environ["JUPYTER_PATH"].split(os.pathsep)[0])
    assert used != read_only_env and used.resolve() != planted.parents[2].resolve()
    assert stat.S_IMODE(used.stat().st_mode) == 0o700 and used.stat().st_uid == os.getuid()
    spec = json.loads((used / "kernels" / "python3" / "kernel.json").read_text())
    assert spec["argv"][0] == sys.executable
    assert planted.read_text() == before  # left alone, not written into


# -- the real exports: a folder of links to the shared files ----------------------------------------


@pytest.fixture(scope="module")
def real_run(shared, tmp_path_factory):
    """``roi report`` on links to the shared real exports, laid out as a user would: the
    LinkedIn Connections.csv (it holds email addresses), the X exports of both kinds and
    the Twitter16 reshare trees with their labels (the first 50 trees: a minute less)."""
    folder = tmp_path_factory.mktemp("real") / "exports"
    for sub in ("linkedin", "x", "twitter16/tree"):
        (folder / sub).mkdir(parents=True)
    (folder / "linkedin" / "Connections.csv").symlink_to(
        shared / "linkedin_connections" / "Connections.csv"
    )
    for name in ("x_tweet_activity", "x_account_analytics"):
        for path in sorted((shared / name).glob("*.csv")):
            (folder / "x" / path.name).symlink_to(path)
    for path in sorted((shared / "cascades" / "twitter16" / "tree").glob("*.txt"))[:50]:
        (folder / "twitter16" / "tree" / path.name).symlink_to(path)
    (folder / "twitter16" / "label.txt").symlink_to(shared / "cascades" / "twitter16" / "label.txt")
    out = folder.parent / "report"
    proc = _run([str(folder), "--out", str(out), "--timeout", "600"], cwd=ROOT, timeout=1800)
    return {"proc": proc, "out": out, "folder": folder}


def _people_in(connections: Path) -> tuple[set[str], set[str]]:
    """Names, profile slugs and email addresses of the connections, read with csv."""
    with connections.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = next(i for i, r in enumerate(rows) if r[:2] == ["First Name", "Last Name"])
    people = [dict(zip(rows[header], r, strict=True)) for r in rows[header + 1 :] if r]
    names = {p[k].strip() for p in people for k in ("First Name", "Last Name") if p[k].strip()}
    names |= {p["URL"].rstrip("/").rsplit("/", 1)[-1] for p in people if p["URL"]}
    emails = {p["Email Address"].strip() for p in people if p["Email Address"].strip()}
    return names, emails


@pytest.mark.slow
def test_real_exports_every_report_finishes_with_figures(real_run):
    proc, out = real_run["proc"], real_run["out"]
    assert proc.returncode == 0, proc.stderr + (out / "run.log").read_text()
    rows = _rows(out)
    assert {k: v["status"] for k, v in rows.items()} == {
        "00_scorecard": "Finished",
        "01_audience_relevance": "Finished",
        "02_engagement_rates": "Finished",
        "03_virality": "Finished",
    }
    for name in rows:
        soup = _soup(out / f"{name}.html")
        images = soup.select("img[src^='data:image/png;base64,']")
        assert images, f"{name}: no figure"
        png = base64.b64decode(images[0]["src"].split(",", 1)[1])
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 2000, name
        assert not soup.select("script[src]"), name
    # the scorecard says why its posts measures are empty: the X posts end in 2019/2025
    numbers = json.loads((out / "00_scorecard" / "00_scorecard.numbers.json").read_text())
    for metric in ("engagement_rate", "per_post"):
        why = numbers["details"][metric]["why"]
        assert numbers["details"][metric]["status"] == "ok" or "--since" in why, why


@pytest.mark.slow
def test_real_exports_no_email_or_connection_name_in_any_file(real_run, shared):
    out = real_run["out"]
    names, emails = _people_in(shared / "linkedin_connections" / "Connections.csv")
    assert len(emails) == 6 and len(names) > 900  # what there is to leak
    assert all(re.fullmatch(r"(First|Last)\d{4}|anon-\d{4}", n) for n in names)
    leak = re.compile("|".join(re.escape(n) + r"(?!\d)" for n in sorted(names, key=len)[::-1]))
    files = [p for p in out.rglob("*") if p.is_file()]
    kinds = {p.suffix for p in files}
    assert {".html", ".csv", ".json", ".ipynb", ".log"} <= kinds, kinds
    for path in files:
        text = path.read_text(encoding="utf-8-sig")
        where = path.relative_to(out)
        assert not EMAIL_ANYWHERE.findall(text), where
        assert not any(e in text for e in emails), where
        found = leak.search(text)
        assert found is None, (where, found and text[max(0, found.start() - 80) : found.end() + 80])


def test_the_readme_cron_line_is_the_documented_one():
    """The README shows the same crontab line the scheduling guide tests."""
    cron = re.compile(r"^0 6 \* \* 1 .*$", re.M)
    readme = cron.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    docs = cron.findall((ROOT / "docs" / "scheduling.md").read_text(encoding="utf-8"))
    assert readme and readme[0] in docs
