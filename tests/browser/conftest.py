"""Fixtures for the browser tests: Chromium, one JupyterLab server per session, pages.

Chromium is Debian's (``apt-get install chromium``), driven by Python Playwright; never
``playwright install``. Without it the browser tests skip, unless ROI_REQUIRE_BROWSER is
set (CI), where they fail.
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

import pytest

from tests.browser._browser_tools import (
    CHROMIUM_ARGS,
    FIXTURE_DATA,
    FIXTURE_NOTEBOOK,
    FIXTURES,
    ROOT,
    chromium_path,
    free_port,
    jupyter_env,
    loopback_only,
    serve,
    shutdown_kernels,
)


def _required() -> bool:
    return os.environ.get("ROI_REQUIRE_BROWSER", "") not in ("", "0", "false")


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium, or a skip (a failure when ROI_REQUIRE_BROWSER is set)."""
    path = chromium_path()
    problem = None
    if path is None:
        problem = "Chromium is not installed (apt-get install -y chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "Python Playwright is not installed (pip install playwright)"
    if problem:
        if _required():
            pytest.fail(f"{problem}, and ROI_REQUIRE_BROWSER is set")
        pytest.skip(f"{problem}: browser tests skipped")
    return path


@pytest.fixture(scope="session")
def browser_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home for everything the servers and the browser write."""
    return tmp_path_factory.mktemp("browser-home")


@pytest.fixture(scope="package")
def browser(chromium: str, browser_home: Path):
    """A headless Chromium for the browser tests.

    Package-scoped: while Playwright's sync API is open it holds an asyncio loop running
    in the main thread, and tests collected after this folder (docstring examples that
    call ``asyncio.run``) must start their own.
    """
    from playwright.sync_api import sync_playwright

    env = jupyter_env(browser_home)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS, env=env)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    """A fresh page (its own context: cookies, storage) that can only reach this computer."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(30_000)
    pg = context.new_page()
    loopback_only(pg)
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture(scope="session")
def lab_server(chromium: str, browser_home: Path, tmp_path_factory: pytest.TempPathFactory):
    """``roi lab`` on the sample data, serving copies of the notebooks and the fixture notebook.

    It runs ``roi lab --sample --workdir W --port N --no-browser`` with a token: the
    notebooks are copied into W (so their results and autosaves stay out of the project)
    and read the project's sample data; the fixture notebook is put there too.
    """
    work = tmp_path_factory.mktemp("lab-work")
    for name in (FIXTURE_NOTEBOOK, FIXTURE_DATA):
        shutil.copy(FIXTURES / name, work / name)
    port, token = free_port(), secrets.token_hex(16)
    args = ["lab", "--sample", "--workdir", str(work), "--port", str(port), "--no-browser"]
    args += ["--", f"--IdentityProvider.token={token}"]
    with serve(
        "roi lab",
        args,
        port=port,
        token=token,
        probe=f"api/status?token={token}",
        env=jupyter_env(browser_home),
        cwd=ROOT,
        log=browser_home / "lab.log",
        timeout=120,
    ) as server:
        server.root = work
        yield server


@pytest.fixture
def lab(lab_server):
    """The session's JupyterLab server; every kernel a test started is shut down after it."""
    try:
        yield lab_server
    finally:
        if lab_server.proc.poll() is None:
            shutdown_kernels(lab_server)
