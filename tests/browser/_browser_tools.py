"""Driving JupyterLab, Voila and the kit's explorers from Python Playwright, like a person.

Servers are started as process groups and killed with their kernels; pages are driven
with explicit waits on selectors and page state, never with fixed sleeps.
"""

from __future__ import annotations

import ast
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "_artifacts" / "browser"
FIXTURES = ROOT / "tests" / "fixtures" / "browser"
FIXTURE_NOTEBOOK = "explorer_fixture.ipynb"
FIXTURE_DATA = "explorer_posts.csv"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# What a person sees as one control, and how this module changes it.
CONTROL_KINDS = {
    "dropdown": ".widget-dropdown",
    "slider": ".widget-slider",
    "multiselect": ".widget-select-multiple",
    "select": ".widget-select:not(.widget-select-multiple)",
    "checkbox": ".widget-checkbox",
    "toggles": ".widget-toggle-buttons",
    "radio": ".widget-radio",
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def jupyter_env(home: Path) -> dict[str, str]:
    """os.environ with every folder Jupyter, IPython, matplotlib and Chromium write to in ``home``."""
    env = dict(os.environ)
    for var, sub in [
        ("IPYTHONDIR", "ipython"),
        ("JUPYTER_CONFIG_DIR", "jupyter-config"),
        ("JUPYTER_DATA_DIR", "jupyter-data"),
        ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"),
        ("MPLCONFIGDIR", "mpl"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_CONFIG_HOME", "config"),
    ]:
        (home / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(home / sub)
    env.pop("JUPYTERLAB_SETTINGS_DIR", None)  # roi lab makes its own
    env.pop("MPLBACKEND", None)  # the kernels must draw inline
    env["PYTHONUNBUFFERED"] = "1"
    return env


@dataclass
class Server:
    """A server started with ``python -m roi_helpers.cli ...`` in its own process group."""

    name: str
    url: str  # base URL, ending in /
    token: str
    proc: subprocess.Popen
    log: Path
    root: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def api(self, path: str, method: str = "GET") -> Any:
        req = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def log_tail(self, n: int = 40) -> str:
        lines = self.log.read_text(errors="replace").splitlines() if self.log.exists() else []
        return "\n".join(lines[-n:])


def _when(iso: str) -> datetime:
    """A timestamp of the Jupyter server's API (``2026-11-26T09:35:22.357737Z``)."""
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


@dataclass
class Kernel:
    """A notebook's kernel, as its server (JupyterLab or Voila) knows it."""

    server: Server
    id: str

    def model(self) -> dict[str, Any]:
        """The server's record: ``execution_state`` (idle, busy...), ``last_activity``..."""
        return self.server.api(f"api/kernels/{self.id}")

    def last_activity(self) -> datetime:
        """When the kernel last sent a message (the server updates it on every one)."""
        return _when(self.model()["last_activity"])

    def evaluate(self, code: str, expression: str, timeout: float = 60) -> Any:
        """Run ``code`` silently in the kernel, then return ``expression``'s value, JSON-decoded.

        Uses a websocket of its own (its own session): nothing shows in the notebook or
        the dashboard, and the request waits its turn behind the widget messages the
        page sent before it. ``expression`` must evaluate to a JSON string.
        """
        import websocket  # websocket-client: a dependency of jupyter_server

        session, msg_id = uuid.uuid4().hex, uuid.uuid4().hex
        url = self.server.url.replace("http", "ws", 1)
        ws = websocket.create_connection(
            f"{url}api/kernels/{self.id}/channels?session_id={session}",
            header=[f"Authorization: token {self.server.token}"],
            timeout=timeout,
        )
        request = {
            "header": {
                "msg_id": msg_id,
                "msg_type": "execute_request",
                "username": "roi-browser-tests",
                "session": session,
                "date": datetime.now(UTC).isoformat(),
                "version": "5.3",
            },
            "parent_header": {},
            "metadata": {},
            "content": {
                "code": code,
                "silent": True,
                "store_history": False,
                "user_expressions": {"out": expression},
                "allow_stdin": False,
                "stop_on_error": False,
            },
            "channel": "shell",
            "buffers": [],
        }
        reply, idle = None, False
        deadline = time.monotonic() + timeout
        try:
            ws.send(json.dumps(request))
            while reply is None or not idle:
                if time.monotonic() > deadline:
                    raise AssertionError(f"the kernel did not answer within {timeout} s")
                raw = ws.recv()
                if not isinstance(raw, str):
                    continue  # a binary frame: another session's widget buffers
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                if msg.get("channel") == "shell" and msg["msg_type"] == "execute_reply":
                    reply = msg["content"]
                elif msg["msg_type"] == "status":
                    idle = msg["content"]["execution_state"] == "idle"
        finally:
            ws.close()
        if reply["status"] != "ok":
            raise AssertionError("\n".join(reply.get("traceback", [reply.get("evalue", "")])))
        out = reply["user_expressions"]["out"]
        if out["status"] != "ok":
            raise AssertionError(f"{expression}: {out.get('ename')}: {out.get('evalue')}")
        return json.loads(ast.literal_eval(out["data"]["text/plain"]))

    def explorers(self) -> list[dict[str, Any]]:
        """What each live explorer in the kernel holds and has shown (:data:`_PROBE`)."""
        return self.evaluate(_PROBE, "_roi_browser_probe()")


#: Kernel-side code: every live ``Explorer`` (its widget still open), with its control
#: values, its views in page order, how often each was redrawn, and what each shows now
#: (a chart's titles, a line of text, or the note of a TooLittleData).
_PROBE = """
def _roi_browser_probe():
    import gc
    import json

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from roi_helpers.widgets._base import Explorer, TooLittleData

    def shown(x):
        if isinstance(x, Axes):
            x = x.figure
        if isinstance(x, Figure):
            titles = [t for a in x.axes for t in (a.get_title(loc="left"), a.get_title())]
            sup = x._suptitle.get_text() if x._suptitle is not None else ""
            return {"kind": "chart", "titles": [t for t in [sup, *titles] if t]}
        if isinstance(x, TooLittleData):
            return {"kind": "note", "text": str(x)}
        if isinstance(x, str):
            return {"kind": "text", "text": x}
        return {"kind": "none" if x is None else type(x).__name__}

    def plain(v):
        return list(v) if isinstance(v, tuple) else v

    live = [
        o for o in gc.get_objects()
        if isinstance(o, Explorer) and getattr(o.widget, "comm", None) is not None
    ]
    return json.dumps([
        {
            "title": e.title,
            "values": {k: plain(v) for k, v in e.values.items()},
            "views": [v.name for v in e.views],
            "redraws": dict(e.redraws),
            "shown": {k: shown(v) for k, v in e.shown.items()},
        }
        for e in live
    ], default=str)
"""


def lab_kernel(server: Server, path: str) -> Kernel:
    """The kernel of the notebook session open on ``path`` (relative to the server's root)."""
    found = [s for s in server.api("api/sessions") if s.get("path") == path]
    assert len(found) == 1, f"{len(found)} sessions on {path}: {server.api('api/sessions')}"
    return Kernel(server, found[0]["kernel"]["id"])


def voila_kernel(page, server: Server) -> Kernel:
    """The kernel of the dashboard open in ``page`` (Voila writes its id into the page)."""
    config = page.evaluate(
        "() => { const e = document.getElementById('jupyter-config-data');"
        " return e ? e.textContent : null; }"
    )
    assert config, "the dashboard page has no jupyter-config-data"
    return Kernel(server, json.loads(config)["kernelId"])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status < 500
    except urllib.error.HTTPError as exc:
        return exc.code < 500
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


@contextmanager
def serve(
    name: str,
    args: list[str],
    *,
    port: int,
    token: str,
    probe: str,
    env: dict[str, str],
    cwd: Path,
    log: Path,
    timeout: float = 90,
) -> Iterator[Server]:
    """Run ``python -m roi_helpers.cli ARGS``; wait until ``probe`` answers; kill it at the end.

    The server runs in a new session, so killing its process group also ends the kernels
    it started, whatever happens in the test.
    """
    url = f"http://127.0.0.1:{port}/"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "roi_helpers.cli", *args],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(name, url, token, proc, log)
    try:
        deadline = time.monotonic() + timeout
        while not _answers(url + probe):
            if proc.poll() is not None:
                raise RuntimeError(
                    f"{name} exited with status {proc.returncode} before answering:\n"
                    + server.log_tail()
                )
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"{name} did not answer within {timeout} s:\n" + server.log_tail()
                )
            time.sleep(0.25)  # polling a socket, not waiting for the page
        yield server
    finally:
        _kill_group(proc)


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (kernels run in sessions of their own: killpg misses them)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _kill_group(proc: subprocess.Popen) -> None:
    """Stop the server (SIGTERM lets it shut its kernels down), then kill whatever is left."""
    below = _descendants(proc.pid) if Path("/proc").is_dir() else []
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    for pid in below:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def loopback_only(page) -> None:
    """Abort every request that leaves this computer (Voila asks a CDN for fonts)."""

    def _route(route):
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost", "::1") or route.request.url.startswith("data:"):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", _route)


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def shot(locator_or_page, name: str) -> Path:
    """Save a screenshot under tests/_artifacts/browser/ and return its path.

    An element taller than the window (an explorer with several charts, inside
    JupyterLab's scrolling notebook) is cut or overlaid by the app's bars: the window is
    made tall enough for it first, then put back.
    """
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page = getattr(locator_or_page, "page", None)
    size = page.viewport_size if page is not None else None
    if page is not None and size is not None:
        box = locator_or_page.bounding_box()
        needed = int(box["height"]) + 400 if box else 0
        if needed > size["height"]:
            page.set_viewport_size({"width": size["width"], "height": min(needed, 8000)})
        try:
            locator_or_page.scroll_into_view_if_needed()
            _images_decoded(locator_or_page)
            locator_or_page.screenshot(path=str(path))
        finally:
            page.set_viewport_size(size)
    else:
        locator_or_page.screenshot(path=str(path), full_page=True)
    return path


def _images_decoded(locator) -> None:
    """Wait until the browser has decoded every image inside (no half-painted charts)."""
    locator.evaluate(
        "el => Promise.all([...el.querySelectorAll('img')].map(i => i.decode().catch(() => null)))"
    )


# ---------------------------------------------------------------- JupyterLab


def wait_idle(page, timeout: float = 120) -> None:
    """Wait until the status bar says the kernel is idle."""
    page.wait_for_function(
        "() => { const s = document.querySelector('#jp-main-statusbar');"
        " return !!s && s.innerText.includes('| Idle'); }",
        timeout=timeout * 1000,
    )


def open_notebook(page, server: Server, path: str, workspace: str) -> None:
    """Open a notebook in a fresh JupyterLab workspace and wait for its kernel to be idle."""
    page.goto(f"{server.url}lab/workspaces/{workspace}/tree/{path}?token={server.token}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90_000)
    wait_idle(page)


def _first_prompt(page) -> str:
    # textContent: JupyterLab hides cells scrolled out of view, and innerText is then ""
    return page.locator(".jp-NotebookPanel .jp-CodeCell .jp-InputPrompt").first.text_content()


def run_all(page, attempts: int = 4) -> None:
    """Click Run > Run All Cells, again if the first prompt does not turn to [*] or [n]."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(attempts):
        wait_idle(page)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        try:
            page.wait_for_function(
                "() => { const p = document.querySelector("
                "'.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt');"
                " return !!p && /\\[(\\*|\\d+)\\]/.test(p.textContent); }",
                timeout=10_000,
            )
            return
        except PlaywrightTimeout:  # the click came too early: close the menu, click again
            page.keyboard.press("Escape")
    raise AssertionError(f"Run All Cells never started: first prompt {_first_prompt(page)!r}")


def wait_run_finished(page, timeout: float = 300) -> None:
    """Wait until no cell is queued or running and the kernel is idle."""
    page.wait_for_function(
        "() => { const ps = [...document.querySelectorAll("
        "'.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt')].map(p => p.textContent);"
        " const s = document.querySelector('#jp-main-statusbar');"
        " return ps.length > 0 && !ps.some(t => t.includes('*'))"
        " && !!s && s.innerText.includes('| Idle'); }",
        timeout=timeout * 1000,
    )


def cell_errors(page) -> list[str]:
    """The text of every error output (tracebacks) in the open notebook."""
    return page.eval_on_selector_all(
        ".jp-NotebookPanel .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']",
        "els => els.map(e => e.textContent).filter(t => /Error|Traceback|Exception/.test(t))",
    )


def shutdown_kernels(server: Server) -> None:
    """End every notebook session of a JupyterLab server (the next test starts clean)."""
    for session in server.api("api/sessions"):
        server.api(f"api/sessions/{session['id']}", method="DELETE")


# ---------------------------------------------------------------- explorers


_STATE_JS = """
(el) => {
  const outs = [...el.querySelectorAll('.widget-output')]
    .filter(o => !o.parentElement.closest('.widget-output'));
  return outs.map(o => ({
    images: [...o.querySelectorAll('img')].map(i => i.getAttribute('src') || ''),
    text: o.innerText,
    notes: o.querySelectorAll('.roi-note').length,
  }));
}
"""


@dataclass
class OutputState:
    images: list[bytes]  # each image's bytes (decoded from its data: URL)
    text: str
    notes: int


def _decode(src: str) -> bytes:
    if src.startswith("data:") and ";base64," in src:
        return base64.b64decode(src.split(";base64,", 1)[1])
    return src.encode()


def png_size_and_ink(data: bytes) -> tuple[tuple[int, int], float]:
    """An image's size in pixels and the share of its pixels that are not near-white."""
    import io

    import numpy as np
    from PIL import Image

    img = Image.open(io.BytesIO(data))
    grey = np.asarray(img.convert("L"))
    return img.size, float((grey < 200).mean())


def explorer_state(explorer) -> list[OutputState]:
    """What each of the explorer's outputs shows now: image bytes, text, notes."""
    raw = explorer.evaluate(_STATE_JS)
    return [OutputState([_decode(s) for s in o["images"]], o["text"], o["notes"]) for o in raw]


def raw_state(explorer) -> str:
    """Everything the explorer's outputs show, as one string to compare."""
    return explorer.evaluate(f"el => JSON.stringify(({_STATE_JS})(el))")


def wait_output_changes(page, explorer, before: str, timeout: float = 60) -> None:
    """Wait until the explorer's outputs differ from ``before`` (a :func:`raw_state`)."""
    page.wait_for_function(
        f"([el, old]) => JSON.stringify(({_STATE_JS})(el)) !== old",
        arg=[explorer.element_handle(), before],
        timeout=timeout * 1000,
    )


_SIGNATURE_JS = """
(el) => {
  // a short signature of what the outputs show: text, notes, and a hash of each image
  const hash = (s) => { let h = 0; for (let i = 0; i < s.length; i += 7) {
    h = (h * 31 + s.charCodeAt(i)) | 0; } return s.length + ':' + h; };
  return [...el.querySelectorAll('.widget-output')]
    .filter(o => !o.parentElement.closest('.widget-output'))
    .map(o => [o.innerText, o.querySelectorAll('.roi-note').length,
               ...[...o.querySelectorAll('img')].map(i => hash(i.getAttribute('src') || ''))]
               .join('|'))
    .join('\\n');
}
"""


def _lab_idle(page) -> bool:
    return page.evaluate(
        "() => { const s = document.querySelector('#jp-main-statusbar');"
        " return !!s && s.innerText.includes('| Idle'); }"
    )


def wait_settled(
    page,
    explorer,
    *,
    lab: bool,
    kernel: Kernel | None = None,
    since: datetime | None = None,
    quiet_ms: int = 600,
    timeout: float = 120,
) -> None:
    """Wait until the kernel is idle and the outputs have stopped changing for ``quiet_ms``.

    A control change redraws several views one after the other; this waits for the last.
    With ``kernel`` (JupyterLab or Voila), the server's own record of the kernel is read:
    it must say ``idle``, its last activity must not move for ``quiet_ms``, and with
    ``since`` (a :meth:`Kernel.last_activity` taken before the change) the kernel must
    have done something after it, so a change the kernel has not received yet cannot
    pass for settled. In JupyterLab the status bar must say Idle too. Without ``kernel``
    only the page is watched (the status bar in JupyterLab, nothing in Voila).
    """
    if kernel is None:
        _wait_page_settled(page, explorer, lab=lab, quiet_ms=quiet_ms, timeout=timeout)
        return
    deadline = time.monotonic() + timeout
    seen: tuple[str, datetime] | None = None
    steady_from = time.monotonic()
    why = "nothing read yet"
    while True:
        signature = explorer.evaluate(_SIGNATURE_JS)
        model = kernel.model()
        activity = _when(model["last_activity"])
        now = time.monotonic()
        if model["execution_state"] != "idle":
            why = f"the kernel is {model['execution_state']}"
        elif since is not None and activity <= since:
            why = f"the kernel has done nothing since {since:%H:%M:%S.%f}"
        elif lab and not _lab_idle(page):
            why = "JupyterLab's status bar does not say Idle"
        else:
            why = ""
        if why or seen != (signature, activity):
            seen, steady_from = (signature, activity), now
        elif (now - steady_from) * 1000 >= quiet_ms:
            return
        if now > deadline:
            raise AssertionError(f"not settled after {timeout} s: {why or 'outputs still change'}")
        time.sleep(0.1)  # polling the server and the page, not waiting for a redraw


def _wait_page_settled(page, explorer, *, lab: bool, quiet_ms: int, timeout: float) -> None:
    page.evaluate("() => { window.__roiSettle = {}; }")
    page.wait_for_function(
        f"""([el, quiet, lab]) => {{
          const sig = ({_SIGNATURE_JS})(el);
          const now = performance.now();
          const w = window.__roiSettle;
          let idle = true;
          if (lab) {{
            const s = document.querySelector('#jp-main-statusbar');
            idle = !!s && s.innerText.includes('| Idle');
          }}
          if (w.sig !== sig || !idle) {{ w.sig = sig; w.t = now; return false; }}
          return now - w.t >= quiet;
        }}""",
        arg=[explorer.element_handle(), quiet_ms, lab],
        timeout=timeout * 1000,
    )


_CONTROLS_JS = """
(el, kinds) => {
  const found = [];
  for (const [kind, sel] of Object.entries(kinds)) {
    for (const c of el.querySelectorAll(sel)) {
      if (c.closest('.widget-output')) continue;
      found.push([c, kind]);
    }
  }
  found.sort((a, b) => (a[0].compareDocumentPosition(b[0]) & 4) ? -1 : 1);
  return found.map(([c, kind], i) => {
    c.dataset.roiControl = String(i);
    const label = c.querySelector('.widget-label');
    return {index: i, kind, label: label ? label.innerText.trim() : ''};
  });
}
"""


def controls(explorer) -> list[dict[str, Any]]:
    """The explorer's controls in page order: ``{index, kind, label}`` (marks them for locating)."""
    return explorer.evaluate(_CONTROLS_JS, CONTROL_KINDS)


def control(explorer, index: int):
    return explorer.locator(f"[data-roi-control='{index}']")


def change_control(page, explorer, info: dict[str, Any], attempt: int = 0) -> str:
    """Change one control to another value; returns what was done, for messages.

    ``attempt`` picks a different new value on each retry (next option, another slider
    position, another subset).
    """
    ctl = control(explorer, info["index"])
    kind = info["kind"]
    if kind in ("dropdown", "select"):
        sel = ctl.locator("select")
        values = sel.evaluate("s => [...s.options].map(o => o.value)")
        now = sel.input_value()
        others = [v for v in values if v != now]
        if not others:
            raise ValueError("only one option")
        new = others[attempt % len(others)]
        sel.select_option(value=new)
        return f"{kind} {info['label']!r}: {now!r} -> {new!r}"
    if kind == "slider":
        # with the keyboard, as a person can: one step, then to one end
        handle = ctl.locator(".noUi-handle").first
        lo, hi, now = (
            float(handle.get_attribute(a))
            for a in ("aria-valuemin", "aria-valuemax", "aria-valuenow")
        )
        if lo == hi:
            raise ValueError("a slider with one position")
        keys = [
            "ArrowRight" if now < hi else "ArrowLeft",
            "End" if now < hi else "Home",
            "Home" if now > lo else "End",
        ]
        key = keys[attempt % len(keys)]
        handle.focus()
        handle.press(key)
        readout = ctl.locator(".widget-readout")
        shown = readout.inner_text().strip() if readout.count() else "?"
        return f"slider {info['label']!r}: {key} (now {shown})"
    if kind == "multiselect":
        sel = ctl.locator("select")
        values = sel.evaluate("s => [...s.options].map(o => o.value)")
        chosen = sel.evaluate("s => [...s.selectedOptions].map(o => o.value)")
        if len(values) < 2:
            raise ValueError("fewer than two options")
        subsets = [values[: max(1, len(values) // 2)], values, values[:1], values[-1:]]
        subsets = [s for s in subsets if sorted(s) != sorted(chosen)]
        new = subsets[attempt % len(subsets)]
        sel.select_option(value=new)
        return f"multi-select {info['label']!r}: {chosen} -> {new}"
    if kind == "checkbox":
        ctl.locator("input").click()
        return f"checkbox {info['label']!r} toggled"
    if kind == "toggles":
        buttons = ctl.locator("button:not(.mod-active)")
        n = buttons.count()
        if n == 0:
            raise ValueError("no other button")
        label = buttons.nth(attempt % n).inner_text()
        buttons.nth(attempt % n).click()
        return f"toggle buttons {info['label']!r} -> {label!r}"
    if kind == "radio":
        radios = ctl.locator("input:not(:checked)")
        n = radios.count()
        if n == 0:
            raise ValueError("no other choice")
        radios.nth(attempt % n).check()
        return f"radio {info['label']!r} changed"
    raise ValueError(f"unknown control kind {kind}")


def explorer_errors(explorer) -> list[str]:
    """Tracebacks a view printed inside the explorer instead of drawing."""
    return explorer.evaluate(
        "el => [...el.querySelectorAll(\"[data-mime-type='application/vnd.jupyter.stderr']\")]"
        ".map(e => e.textContent).filter(t => /Error|Traceback|Exception/.test(t))"
    )


def _check_no_stacking(initial: list[OutputState], after: list[OutputState], what: str) -> None:
    assert len(after) == len(initial), f"after {what}: {len(initial)} outputs became {len(after)}"
    for i, (a, b) in enumerate(zip(initial, after, strict=True)):
        # an output may empty (a scenario says when it must not); it must never gain figures
        n0, n1 = len(a.images), len(b.images)
        ok = n1 <= max(n0, 1)
        assert ok, f"after {what}: output {i} shows {n1} images (it showed {n0}): figures stack"


def exercise_explorer(
    page, explorer, *, lab: bool, name: str, want: int = 2, kernel: Kernel | None = None
) -> list[str]:
    """Change ``want`` of an explorer's controls, as a person would, and check each redraw.

    For each control in page order, pick another value (up to three tries); a change
    counts when the outputs differ afterwards. After each: no traceback in the explorer,
    the same outputs, and no figure added to an output (figures do not stack). With
    ``kernel``, each check waits until the kernel has handled the change and is idle
    (:func:`wait_settled`). Screenshots ``<name>_before.png`` and ``<name>_after.png``.
    Returns what changed.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    explorer.scroll_into_view_if_needed()
    wait_settled(page, explorer, lab=lab, kernel=kernel)
    assert not explorer_errors(explorer), explorer_errors(explorer)[0][-2000:]
    shot(explorer, f"{name}_before")
    initial = explorer_state(explorer)
    found = controls(explorer)
    assert found, "an explorer without controls"
    changed: list[str] = []
    inert: list[str] = []
    fixed: list[str] = []
    for info in found:
        if len(changed) == want:
            break
        for attempt in range(3):
            before = raw_state(explorer)
            since = kernel.last_activity() if kernel is not None else None
            try:
                what = change_control(page, explorer, info, attempt)
            except ValueError as why:
                fixed.append(f"{info['kind']} {info['label']!r} ({why})")
                break
            try:
                wait_output_changes(page, explorer, before, timeout=20)
            except PlaywrightTimeout:
                inert.append(what)
                continue
            wait_settled(page, explorer, lab=lab, kernel=kernel, since=since)
            errors = explorer_errors(explorer)
            assert not errors, f"after {what}: {errors[0][-2000:]}"
            _check_no_stacking(initial, explorer_state(explorer), what)
            changed.append(what)
            break
    shot(explorer, f"{name}_after")
    can_change = len(found) - len(fixed)
    assert can_change > 0, f"no control can take another value: {fixed}"
    assert len(changed) >= min(want, can_change), (
        f"only {changed} changed the output; no change after {inert}; fixed: {fixed}"
    )
    return changed


def find_control(explorer, label: str) -> tuple[dict[str, Any], Any]:
    """The control whose label is ``label``: its :func:`controls` entry and its locator."""
    found = [c for c in controls(explorer) if c["label"] == label]
    labels = [c["label"] for c in controls(explorer)]
    assert len(found) == 1, f"no single control labelled {label!r}; labels: {labels}"
    return found[0], control(explorer, found[0]["index"])


def watch_images(explorer, index: int) -> None:
    """Record every image that output ``index`` shows from now on (see :func:`images_seen`).

    A redraw that jumps to another chart and straight back leaves the page as it was;
    the record keeps the chart in between.
    """
    explorer.evaluate(
        """(el, index) => {
          const outs = [...el.querySelectorAll('.widget-output')]
            .filter(o => !o.parentElement.closest('.widget-output'));
          const out = outs[index];
          if (window.__roiWatch) window.__roiWatch.observer.disconnect();
          const seen = [];
          const record = () => {
            for (const img of out.querySelectorAll('img')) {
              const src = img.getAttribute('src') || '';
              if (!seen.includes(src)) seen.push(src);
            }
          };
          record();
          const observer = new MutationObserver(record);
          observer.observe(out, {subtree: true, childList: true, attributes: true});
          window.__roiWatch = {observer, seen};
        }""",
        index,
    )


def images_seen(page) -> list[bytes]:
    """Every distinct image the watched output showed since :func:`watch_images`."""
    return [_decode(s) for s in page.evaluate("() => window.__roiWatch.seen")]
