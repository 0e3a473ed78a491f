"""The Voila set-up behind ``roi dashboard``, with the patch that keeps widget cells from stalling.

Voila runs a notebook's cells through nbclient before it sends the page. Under load the
client sometimes misses a cell's completion reply (jupyter/nbclient#312, voila#1428): the
wait for that message then never ends and the dashboard never appears. The patch
:func:`install_nbclient_patch` makes the client wait in slices of half a second, so a
missed reply costs at most that.

``roi dashboard`` writes a ``voila.py`` config file (:func:`write_voila_config`) into a
folder of its own and points Voila at it; that file installs the patch in the Voila
process and sets the dashboard's options. To use the same set-up with a bare ``voila``
command, write the file once and pass its folder::

    python -c "from roi_helpers.voila_config import write_voila_config; write_voila_config('conf')"
    voila --Voila.config_file_paths=conf notebooks/02_engagement_rates.ipynb

A dashboard is for colleagues who see its page only: a cell that fails shows them that it
failed and whom to ask, not a traceback full of the analyst's folders and the kit's
internals. The traceback goes to the terminal of whoever started the dashboard (Voila logs
it); ``roi dashboard --show-tracebacks`` shows it on the page too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ._nbclient_patch import SLICE_SECONDS, apply

__all__ = [
    "CELL_ERROR_INSTRUCTION",
    "SLICE_SECONDS",
    "VOILA_SETTINGS",
    "install_nbclient_patch",
    "write_voila_config",
]

#: What the page says under a failed cell when tracebacks are hidden (Voila puts it after
#: "There was an error when executing cell [N].").
CELL_ERROR_INSTRUCTION = (
    "The person who started this dashboard can read the error in their terminal, or "
    "start it again with roi dashboard --show-tracebacks to show it here."
)

#: Traitlets options the dashboard config sets: ``{"Class.trait": value}``.
VOILA_SETTINGS: dict[str, Any] = {
    # only code outputs, never the code
    "VoilaConfiguration.strip_sources": True,
    # colleagues see that a cell failed, not the traceback (paths, the kit's internals);
    # Voila logs it in the terminal, and roi dashboard --show-tracebacks shows it here
    "VoilaConfiguration.show_tracebacks": False,
    "VoilaExecutor.cell_error_instruction": CELL_ERROR_INSTRUCTION,
    # no cell may wait forever (papermill's and nbclient's default is no timeout at all)
    "VoilaExecutor.timeout": 600,
}


def install_nbclient_patch() -> bool:
    """Make Jupyter clients wait for kernel messages in half-second slices.

    Replaces ``jupyter_client.channels.AsyncZMQSocketChannel.get_msg`` (the wait nbclient,
    papermill and Voila use) with one that polls in slices of :data:`SLICE_SECONDS` until
    its own timeout, so a reply the client missed is looked for again instead of waited
    for forever. Timeouts keep their meaning: with ``timeout=t`` it still raises
    ``queue.Empty`` after ``t`` seconds. Calling it again does nothing. It is the patch
    ``roi report`` uses (:mod:`roi_helpers._nbclient_patch`), loaded into Voila.

    Returns
    -------
    bool
        True if the patch was installed by this call, False if it was already in place.

    Examples
    --------
    >>> from jupyter_client.channels import AsyncZMQSocketChannel
    >>> _ = install_nbclient_patch()
    >>> install_nbclient_patch()
    False
    >>> getattr(AsyncZMQSocketChannel.get_msg, "_roi_sliced", False)
    True
    """
    return apply()


def _config_text(settings: dict[str, Any]) -> str:
    lines = [
        '"""Voila config written by roi dashboard (roi_helpers.voila_config): edit that module."""',
        "",
        "from roi_helpers.voila_config import install_nbclient_patch",
        "",
        "install_nbclient_patch()",
        "",
        "c = get_config()  # noqa: F821 (traitlets provides it when loading the file)",
    ]
    lines += [f"c.{key} = {value!r}" for key, value in settings.items()]
    return "\n".join(lines) + "\n"


def write_voila_config(folder: str | Path, settings: dict[str, Any] | None = None) -> Path:
    """Write the dashboard's ``voila.py`` into ``folder`` and return its path.

    Voila reads ``voila.py`` from each folder of ``--Voila.config_file_paths``. This one
    installs :func:`install_nbclient_patch` in the Voila process and sets
    :data:`VOILA_SETTINGS` (updated with ``settings``): outputs without code, tracebacks
    hidden from the page (``{"VoilaConfiguration.show_tracebacks": True}`` shows them),
    no cell running for more than ten minutes.

    Parameters
    ----------
    folder
        Where to write ``voila.py`` (created if missing; an existing ``voila.py`` there is
        replaced).
    settings
        Extra or different ``{"Class.trait": value}`` options; values must be Python
        literals. ``VOILA_SETTINGS`` itself is not changed.

    Returns
    -------
    pathlib.Path
        The ``voila.py`` written.

    Raises
    ------
    ValueError
        If a setting's name is not ``Class.trait`` or its value is not a literal.

    Examples
    --------
    >>> import tempfile
    >>> path = write_voila_config(tempfile.mkdtemp(), {"VoilaExecutor.timeout": 60})
    >>> path.name
    'voila.py'
    >>> "c.VoilaExecutor.timeout = 60" in path.read_text()
    True
    >>> "c.VoilaConfiguration.show_tracebacks = False" in path.read_text()
    True
    """
    import ast

    merged = {**VOILA_SETTINGS, **(settings or {})}
    for key, value in merged.items():
        parts = key.split(".")
        if len(parts) != 2 or not all(p.isidentifier() for p in parts):
            raise ValueError(f"Voila setting {key!r}: expected a name like 'Class.trait'")
        try:
            ast.literal_eval(repr(value))
        except (ValueError, SyntaxError):
            raise ValueError(
                f"Voila setting {key!r}: expected a Python literal, got {value!r}"
            ) from None
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "voila.py"
    path.write_text(_config_text(merged))
    return path
