"""The ``roi`` command: ``roi report``, ``roi lab``, ``roi dashboard``, ``roi workshop``, ``roi sample``.

Each subcommand lives in the module of its concern and exposes ``main(argv) -> int``;
this file only dispatches, so ``roi --help`` stays fast.
"""

from __future__ import annotations

import importlib
import sys

_COMMANDS = {
    "report": ("roi_helpers.report", "run the notebooks headless and write HTML reports"),
    "lab": ("roi_helpers.lab", "open JupyterLab on the notebooks"),
    "dashboard": ("roi_helpers.lab", "serve one notebook as a Voila dashboard"),
    "workshop": ("roi_helpers.workshop", "write student copies of the workshop notebooks"),
    "sample": ("roi_helpers.sample", "regenerate the sample data"),
}


def main(argv: list[str] | None = None) -> int:
    """Run ``roi <command> [options]``; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print("usage: roi <command> [options]\n\ncommands:")
        for name, (_, text) in _COMMANDS.items():
            print(f"  {name:<10} {text}")
        print("\nroi <command> --help shows a command's options.")
        return 0
    name, rest = argv[0], argv[1:]
    if name not in _COMMANDS:
        print(f"roi: unknown command {name!r}; try roi --help", file=sys.stderr)
        return 2
    module = importlib.import_module(_COMMANDS[name][0])
    entry = getattr(module, f"{name}_main", None) or module.main
    return int(entry(rest) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
