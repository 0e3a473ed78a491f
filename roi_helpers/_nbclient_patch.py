"""Cap nbclient's stall on a missed reply: wait for kernel messages in 0.5 s slices.

Under load, nbclient (behind papermill, nbmake and Voila) sometimes misses a cell's
completion reply, most often on ``interact``/Output-widget cells (jupyter/nbclient#312,
papermill#723, voila#1428); with no execution timeout the run then hangs for ever. The
client's message wait is one long ``zmq`` poll. Polling in short slices until the same
deadline picks up the reply the long poll missed, so each stall costs at most 0.5 s,
while a real timeout still fires at its deadline (see ``JUPYTER-NOTES.md``).

:func:`apply` patches ``jupyter_client``'s asyncio socket channel once per process; the
report runner calls it before papermill's API in the process that executes notebooks.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Awaitable, Callable
from typing import Any

__all__ = ["SLICE_SECONDS", "apply", "sliced"]

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
