"""``roi dashboard``: the Voila config and its patch, then a dashboard in a real browser."""

from __future__ import annotations

import asyncio
import csv
import queue
import secrets
import shutil
import types
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from jupyter_client.channels import AsyncZMQSocketChannel

import roi_helpers._nbclient_patch as patch
import roi_helpers.voila_config as vc
from tests.browser._browser_tools import (
    FIXTURE_DATA,
    FIXTURE_NOTEBOOK,
    FIXTURES,
    ROOT,
    explorer_state,
    free_port,
    jupyter_env,
    png_size_and_ink,
    serve,
    shot,
    voila_kernel,
    wait_settled,
)
from tests.browser._scenarios import SCENARIOS, Run

# ------------------------------------------------------------------ the patch


class _FakeClock:
    """time.monotonic for the patch: advances only when the fake channel 'waits'."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


def _channel(clock: _FakeClock, arrives_after: float | None):
    """A get_msg that waits (on the fake clock) and delivers its message at ``arrives_after``."""
    waits: list[float | None] = []
    start = clock.now

    async def get_msg(self, timeout=None):
        waits.append(timeout)
        assert timeout is not None, "the patch must never wait without a limit"
        if arrives_after is not None and clock.now + timeout >= start + arrives_after:
            clock.now = start + arrives_after
            return {"msg": "reply"}
        clock.now += timeout
        raise queue.Empty

    return get_msg, waits


def _run(coro):
    """asyncio.run in a thread of its own: Playwright's sync API keeps a loop in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


@pytest.fixture
def clock(monkeypatch):
    fake = _FakeClock()
    monkeypatch.setattr(patch, "time", types.SimpleNamespace(monotonic=fake.monotonic))
    return fake


def test_a_reply_missed_for_ever_is_looked_for_again_every_half_second(clock):
    get_msg, waits = _channel(clock, arrives_after=3.2)
    sliced = patch.sliced(get_msg)
    assert _run(sliced(None, timeout=None)) == {"msg": "reply"}
    # 3.2 s of waiting without a limit: six empty half-second slices, then the reply
    assert waits == [0.5] * 7


def test_a_timeout_keeps_its_meaning(clock):
    get_msg, waits = _channel(clock, arrives_after=None)
    sliced = patch.sliced(get_msg)
    with pytest.raises(queue.Empty):
        _run(sliced(None, timeout=1.2))
    # 0.5 + 0.5 + 0.2: the last slice stops exactly at the caller's deadline
    assert waits == pytest.approx([0.5, 0.5, 0.2])
    assert clock.now == pytest.approx(1001.2)


def test_a_reply_within_the_timeout_is_returned(clock):
    get_msg, waits = _channel(clock, arrives_after=0.7)
    assert _run(patch.sliced(get_msg)(None, timeout=10)) == {"msg": "reply"}
    assert waits == [0.5, 0.5]


def test_install_patches_once_and_keeps_the_original_reachable(monkeypatch):
    original = AsyncZMQSocketChannel.get_msg
    monkeypatch.setattr(AsyncZMQSocketChannel, "get_msg", original)  # restored afterwards
    if getattr(original, "_roi_sliced", False):
        original = original.__wrapped__
        monkeypatch.setattr(AsyncZMQSocketChannel, "get_msg", original)
    assert vc.install_nbclient_patch() is True
    patched = AsyncZMQSocketChannel.get_msg
    assert patched is not original and patched.__wrapped__ is original
    assert vc.install_nbclient_patch() is False
    assert AsyncZMQSocketChannel.get_msg is patched


def test_the_written_config_is_what_voila_loads(tmp_path, monkeypatch):
    from voila.app import Voila

    original = AsyncZMQSocketChannel.get_msg
    monkeypatch.setattr(
        AsyncZMQSocketChannel, "get_msg", getattr(original, "__wrapped__", original)
    )
    path = vc.write_voila_config(tmp_path, {"VoilaExecutor.timeout": 42})
    assert path == tmp_path / "voila.py"
    app = Voila()
    app.load_config_file("voila", path=[str(tmp_path)])
    assert app.config.VoilaConfiguration.strip_sources is True
    # a colleague sees that a cell failed and whom to ask, not paths and internals
    assert app.config.VoilaConfiguration.show_tracebacks is False
    assert app.config.VoilaExecutor.cell_error_instruction == vc.CELL_ERROR_INSTRUCTION
    assert "--show-tracebacks" in vc.CELL_ERROR_INSTRUCTION
    assert app.config.VoilaExecutor.timeout == 42
    assert getattr(AsyncZMQSocketChannel.get_msg, "_roi_sliced", False), "loading it patches"
    assert vc.VOILA_SETTINGS["VoilaExecutor.timeout"] == 600  # the defaults were not changed


def test_tracebacks_can_be_turned_on(tmp_path, monkeypatch):
    from voila.app import Voila

    original = AsyncZMQSocketChannel.get_msg
    monkeypatch.setattr(
        AsyncZMQSocketChannel, "get_msg", getattr(original, "__wrapped__", original)
    )
    vc.write_voila_config(tmp_path, {"VoilaConfiguration.show_tracebacks": True})
    app = Voila()
    app.load_config_file("voila", path=[str(tmp_path)])
    assert app.config.VoilaConfiguration.show_tracebacks is True
    assert vc.VOILA_SETTINGS["VoilaConfiguration.show_tracebacks"] is False  # unchanged


@pytest.mark.parametrize(
    "settings, says",
    [({"timeout": 5}, "'Class.trait'"), ({"VoilaExecutor.timeout": object()}, "literal")],
)
def test_write_voila_config_refuses_what_it_cannot_write(tmp_path, settings, says):
    with pytest.raises(ValueError, match=says):
        vc.write_voila_config(tmp_path, settings)
    assert not (tmp_path / "voila.py").exists()


# ------------------------------------------------------------------ in the browser


def _summary_line(platform: str, min_likes: int) -> tuple[list[str], str]:
    """Post ids and the explorer's summary line, counted from the CSV (all content types)."""
    with open(FIXTURES / FIXTURE_DATA, newline="") as f:
        rows = [
            r
            for r in csv.DictReader(f)
            if r["platform"] == platform and int(r["likes"]) >= min_likes
        ]
    eng = sum(int(r["likes"]) + int(r["comments"]) + int(r["shares"]) for r in rows)
    imp = sum(int(r["impressions"]) for r in rows)
    posts = "1 post" if len(rows) == 1 else f"{len(rows)} posts"
    return [
        r["post_id"] for r in rows
    ], f"{posts} · {eng:,} engagements · {eng / imp:.1%} of {imp:,} impressions"


def _wait_text(page, explorer, want: str) -> None:
    page.wait_for_function(
        "([el, want]) => { const t = el.querySelector('.roi-text');"
        " return !!t && t.innerText.trim() === want; }",
        arg=[explorer.element_handle(), want],
        timeout=60_000,
    )


def _table_ids(explorer) -> list[str]:
    return explorer.evaluate(
        "el => [...el.querySelectorAll('table.dataframe tbody tr')]"
        ".map(tr => tr.querySelector('td').innerText.trim())"
    )


@contextmanager
def _dashboard(notebook: str, options: list[str], home, folder):
    """``roi dashboard NOTEBOOK OPTIONS`` on a free port with a token, killed at the end."""
    port = free_port()
    token = secrets.token_hex(8)
    args = ["dashboard", notebook, *options, "--port", str(port), "--no-browser"]
    args += ["--", f"--Voila.token={token}", "--Voila.log_level=DEBUG"]
    with serve(
        "roi dashboard",
        args,
        port=port,
        token=token,
        probe="voila/static/extension.js",  # not "/": that would run the notebook
        env=jupyter_env(home),
        cwd=ROOT,
        log=folder / "voila.log",
        timeout=120,
    ) as server:
        yield server


@pytest.fixture
def dashboard(chromium, browser_home, tmp_path):
    """``roi dashboard`` serving a copy of the fixture notebook (results stay in tmp_path)."""
    for name in (FIXTURE_NOTEBOOK, FIXTURE_DATA):
        shutil.copy(FIXTURES / name, tmp_path / name)
    with _dashboard(str(tmp_path / FIXTURE_NOTEBOOK), [], browser_home, tmp_path) as server:
        yield server


# an error output, whether Voila shows its traceback or only says that the cell failed
_ERRORS_JS = (
    "[...document.querySelectorAll(\"[data-mime-type='application/vnd.jupyter.stderr']\")]"
    ".map(e => e.textContent).filter(t => /Traceback|Error|There was an error/.test(t))"
)


def _open_dashboard(page, server, timeout: float = 120):
    """Open the dashboard; wait for its explorer, or fail at once on an error output."""
    # Voila sends the page while it runs the cells: wait for them below, not in goto
    page.goto(f"{server.url}?token={server.token}", wait_until="commit")
    try:
        page.wait_for_function(
            f"() => !!document.querySelector('.roi-explorer') || ({_ERRORS_JS}).length > 0",
            timeout=timeout * 1000,
        )
    except Exception as exc:  # Playwright's TimeoutError: show what the page and Voila did
        shot(page, "voila_no_explorer")
        raise AssertionError(f"no explorer on the dashboard:\n{server.log_tail(60)}") from exc
    errors = page.evaluate(f"() => {_ERRORS_JS}")
    if errors:
        shot(page, "voila_error")
        # the page hides tracebacks: the server's log has them
        raise AssertionError(
            f"the dashboard shows an error:\n{errors[0][-1500:]}\n{server.log_tail(60)}"
        )
    return page.locator(".roi-explorer")


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.timeout(600)
def test_dashboard_shows_outputs_only_and_its_explorer_follows_clicks(page, dashboard):
    log = dashboard.log.read_text()
    assert "Loaded config file" in log and "roi-dashboard-" in log, "our voila.py was not loaded"
    explorer = _open_dashboard(page, dashboard)
    kernel = voila_kernel(page, dashboard)
    first_ids, first = _summary_line("linkedin", 0)
    assert first == "4 posts · 321 engagements · 3.5% of 9,300 impressions"  # by hand
    _wait_text(page, explorer, first)
    wait_settled(page, explorer, lab=False, kernel=kernel)
    assert _table_ids(explorer) == first_ids
    # a dashboard shows outputs, never code
    code = ".jp-CodeCell .jp-InputArea, .jp-CodeMirrorEditor, .cm-editor, .highlight"
    assert page.locator(code).count() == 0
    assert page.locator(".jp-MarkdownCell").count() == 3  # the narration stays
    assert "def selected(v)" not in page.content()
    before = explorer_state(explorer)
    assert [len(o.images) for o in before] == [0, 1, 0]
    shot(explorer, "voila_fixture_before")

    since = kernel.last_activity()
    explorer.locator(".widget-dropdown select").select_option("facebook")
    ids, line = _summary_line("facebook", 0)
    _wait_text(page, explorer, line)
    wait_settled(page, explorer, lab=False, kernel=kernel, since=since)
    assert _table_ids(explorer) == ids
    since = kernel.last_activity()
    handle = explorer.locator(".widget-slider .noUi-handle")
    handle.focus()
    for _ in range(3):  # 3 steps of 10: at least 30 likes
        handle.press("ArrowRight")
    ids, line = _summary_line("facebook", 30)
    # by hand: p09 70+9+11, p10 150+25+40, p11 30+6+3 over 2,600 + 7,400 + 1,500
    assert line == "3 posts · 344 engagements · 3.0% of 11,500 impressions"
    _wait_text(page, explorer, line)
    wait_settled(page, explorer, lab=False, kernel=kernel, since=since)
    assert kernel.model()["execution_state"] == "idle"
    assert _table_ids(explorer) == ids
    after = explorer_state(explorer)
    assert [len(o.images) for o in after] == [0, 1, 0], "figures stacked or vanished"
    assert after[1].images[0] != before[1].images[0]
    (width, height), ink = png_size_and_ink(after[1].images[0])
    assert 470 <= width <= 500 and 220 <= height <= 240 and ink > 0.05, (width, height, ink)
    shot(explorer, "voila_fixture_after")


_SECRET = "/home/analyst/private-exports"  # in the failing cell's message and traceback


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.timeout(600)
@pytest.mark.parametrize("shown", [False, True], ids=["hidden", "show-tracebacks"])
def test_a_failing_cell_says_so_without_its_traceback(page, browser_home, tmp_path, shown):
    """roi dashboard: a colleague sees that a cell failed; the traceback only on request."""
    notebook = tmp_path / "dashboard_error.ipynb"
    shutil.copy(FIXTURES / notebook.name, notebook)
    options = ["--show-tracebacks"] if shown else []
    with _dashboard(str(notebook), options, browser_home, tmp_path) as server:
        page.goto(f"{server.url}?token={server.token}", wait_until="commit")
        # Voila stops at the failed cell: the page is complete once it says so
        page.wait_for_function(
            "() => document.readyState === 'complete' && !!document.querySelector("
            "\"[data-mime-type='application/vnd.jupyter.stderr']\")",
            timeout=120_000,
        )
        # and a reader sees it once Voila's script has taken the spinner away
        page.wait_for_function("() => !document.getElementById('loading')", timeout=60_000)
        shot(page, f"voila_cell_error_{'shown' if shown else 'hidden'}")
        errors = page.locator("[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 1 and errors.first.is_visible(), "no visible error output"
        said = errors.first.inner_text()
        text = page.locator("body").inner_text()
        assert "the first cell ran" in text  # the cell before it still shows
        log = server.log.read_text(errors="replace")
        # whoever started the dashboard reads the traceback in the terminal
        assert "FileNotFoundError" in log and _SECRET in log
        if shown:
            assert "FileNotFoundError" in said and _SECRET in said and "read_exports" in said
        else:
            assert "There was an error when executing cell" in said, said
            assert vc.CELL_ERROR_INSTRUCTION in " ".join(said.split()), said
            for private in (_SECRET, "FileNotFoundError", "read_exports", "Traceback"):
                assert private not in page.content(), f"the page shows {private!r}"
            for internal in (str(ROOT), str(tmp_path), "site-packages"):
                assert internal not in page.content(), f"the page shows {internal!r}"


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.timeout(900)
@pytest.mark.parametrize("name", ["01_audience_relevance", "02_engagement_rates", "03_virality"])
def test_dashboard_of_each_analysis_notebook_responds(
    page, chromium, browser_home, tmp_path, sample, name
):
    """``roi dashboard NAME --data SAMPLE``: a copy reading the sample; its explorer driven
    as in JupyterLab (_scenarios.py), each check once the kernel is idle."""
    if not (ROOT / "notebooks" / f"{name}.ipynb").exists():
        pytest.skip(f"notebooks/{name}.ipynb is not written yet")
    with _dashboard(name, ["--data", str(sample)], browser_home, tmp_path) as server:
        explorers = _open_dashboard(page, server, timeout=300)
        assert page.locator(".jp-CodeCell .jp-InputArea, .cm-editor").count() == 0
        assert explorers.count() == 1, "one explorer (interactive=True should build it)"
        run = Run(
            page, explorers.first, voila_kernel(page, server), lab=False, prefix=f"voila_{name}"
        )
        SCENARIOS[name](run, sample)
