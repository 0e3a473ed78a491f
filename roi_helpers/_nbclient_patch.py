"""Cap nbclient's stall on a missed reply: wait for kernel messages in 0.5 s slices.

Under load, nbclient (behind papermill, nbmake and Voila) sometimes misses a cell's
completion reply, most often on ``interact``/Output-widget cells (jupyter/nbclient#312,
papermill#723, voila#1428); with no execution timeout the run then hangs for ever. The
client's message wait is one long ``zmq`` poll. Polling in short slices until the same
deadline picks up the reply the long poll missed, so each stall costs at most 0.5 s,
while a real timeout still fires at its deadline (see ``JUPYTER-NOTES.md``).

:func:`apply` patches ``jupyter_client``'s asyncio socket channel once per process.

Run as a script, this module is also the process in which ``roi report`` executes one
notebook: ``python -P _nbclient_patch.py SPEC.json`` applies the patch, runs papermill
and writes its progress to stdout as lines starting with :data:`EVENT_PREFIX`. It imports
nothing from the kit, so a report does not pay for pandas and pandera in every child.
"""

from __future__ import annotations

import json
import queue
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

__all__ = ["EVENT_PREFIX", "SLICE_SECONDS", "apply", "run_notebook", "sliced"]

#: How a line of the child's stdout that carries an event starts.
EVENT_PREFIX = "\x1eroi-report "

#: The longest single wait for a kernel message.
SLICE_SECONDS = 0.5

_MARK = "_roi_sliced"

GetMsg = Callable[..., Awaitable[dict[str, Any]]]


def sliced(get_msg: GetMsg, slice_seconds: float = SLICE_SECONDS) -> GetMsg:
    """Wrap an async ``get_msg(self, timeout=None)`` so that it waits in short slices.

    Parameters
    ----------
    get_msg
        The channel's original coroutine function; it raises :class:`queue.Empty` when
        no message came within ``timeout`` seconds.
    slice_seconds
        The longest single wait.

    Returns
    -------
    callable
        A coroutine function with the same signature and the same overall deadline:
        it returns the first message, or raises :class:`queue.Empty` once ``timeout``
        seconds have passed (never, when ``timeout`` is None).

    Examples
    --------
    >>> import asyncio, queue
    >>> waits = []
    >>> async def slow(self, timeout=None):
    ...     waits.append(timeout)
    ...     if len(waits) < 3:
    ...         raise queue.Empty
    ...     return {"msg": "reply"}
    >>> asyncio.run(sliced(slow)(None, timeout=None))
    {'msg': 'reply'}
    >>> waits
    [0.5, 0.5, 0.5]
    """

    async def get_msg_sliced(self: Any, timeout: float | None = None) -> dict[str, Any]:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            if deadline is None:
                step = slice_seconds
            else:
                step = max(0.0, min(slice_seconds, deadline - time.monotonic()))
            try:
                return await get_msg(self, timeout=step)
            except queue.Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise

    setattr(get_msg_sliced, _MARK, True)
    get_msg_sliced.__wrapped__ = get_msg  # type: ignore[attr-defined]
    return get_msg_sliced


def apply() -> bool:
    """Patch ``jupyter_client.channels.AsyncZMQSocketChannel.get_msg`` (once per process).

    Returns
    -------
    bool
        True when this call patched it, False when it was patched already.

    Examples
    --------
    >>> apply() in (True, False)
    True
    >>> apply()
    False
    """
    from jupyter_client.channels import AsyncZMQSocketChannel

    if getattr(AsyncZMQSocketChannel.get_msg, _MARK, False):
        return False
    AsyncZMQSocketChannel.get_msg = sliced(AsyncZMQSocketChannel.get_msg)
    return True


def _emit(event: dict[str, Any]) -> None:
    sys.stdout.write(EVENT_PREFIX + json.dumps(event, default=str) + "\n")
    sys.stdout.flush()


def run_notebook(spec_file: str | Path) -> int:
    """Execute one notebook with papermill, the patch applied, reporting events on stdout.

    Parameters
    ----------
    spec_file
        A JSON file with ``input``, ``output`` (notebook paths), ``parameters``,
        ``kernel``, ``cwd`` and ``timeout`` (seconds per cell).

    Returns
    -------
    int
        0; the outcome is the last event: ``{"event": "done", "status": "ok" | "failed" |
        "timed out", "ename", "evalue", "cell" (execution count), "index" (cell index)}``.
        Before it, one ``{"event": "cell", "n", "total", "index"}`` per code cell started.

    Examples
    --------
    >>> import json, tempfile
    >>> from pathlib import Path
    >>> spec = Path(tempfile.mkdtemp()) / "spec.json"
    >>> _ = spec.write_text(json.dumps({"input": "/no/such.ipynb", "output": "/tmp/x.ipynb",
    ...     "parameters": {}, "kernel": "python3", "cwd": "/", "timeout": 5}))
    >>> run_notebook(spec)  # doctest: +ELLIPSIS
    \x1eroi-report {"event": "done", "status": "failed", "index": null, "ename": "FileNotFoundError", ...}
    0
    """
    apply()  # before papermill's API is used (JUPYTER-NOTES.md)
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.engines import NotebookExecutionManager
    from papermill.exceptions import PapermillExecutionError

    spec = json.loads(Path(spec_file).read_text(encoding="utf-8"))
    state: dict[str, Any] = {"cell": None, "done": 0}
    start_cell = NotebookExecutionManager.cell_start

    def cell_start(self: Any, cell: Any, cell_index: int | None = None, **kw: Any) -> Any:
        if cell.cell_type == "code":
            total = sum(c.cell_type == "code" for c in self.nb.cells)
            state["done"] += 1
            state["cell"] = cell_index
            _emit({"event": "cell", "n": state["done"], "total": total, "index": cell_index})
        return start_cell(self, cell, cell_index, **kw)

    NotebookExecutionManager.cell_start = cell_start
    outcome: dict[str, Any]
    try:
        pm.execute_notebook(
            spec["input"],
            spec["output"],
            parameters=spec["parameters"],
            kernel_name=spec["kernel"],
            cwd=spec["cwd"],
            execution_timeout=spec["timeout"],
            start_timeout=spec.get("start_timeout", 120),
            progress_bar=False,
            log_output=False,
        )
    except PapermillExecutionError as exc:
        outcome = {"status": "failed", "ename": exc.ename, "evalue": exc.evalue}
        outcome["cell"] = exc.exec_count
    except CellTimeoutError:
        outcome = {
            "status": "timed out",
            "index": state["cell"],
            "ename": "CellTimeoutError",
            "evalue": f"a cell ran longer than {spec['timeout']:g} s and was stopped",
        }
    except DeadKernelError as exc:
        outcome = {
            "status": "failed",
            "index": state["cell"],
            "ename": "DeadKernelError",
            "evalue": f"the kernel died while running a cell (out of memory?): {exc}",
        }
    except Exception as exc:  # anything else is reported on the notebook's page
        outcome = {
            "status": "failed",
            "index": state["cell"],
            "ename": type(exc).__name__,
            "evalue": str(exc),
        }
    else:
        outcome = {"status": "ok"}
    _emit({"event": "done", **outcome})
    return 0


if __name__ == "__main__":  # pragma: no cover - the child process of roi report
    sys.exit(run_notebook(sys.argv[1]))
