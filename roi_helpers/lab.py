"""``roi lab`` and ``roi dashboard``: JupyterLab and Voila, set up for the kit.

``roi lab`` opens JupyterLab on the project's ``notebooks/`` folder, with the kit's own
Python as kernel ``python3`` and no "Select Kernel" dialog or news prompt: a workshop
starts with one command. ``roi lab DATA_DIR`` works on copies of the notebooks whose
``data_dir`` is set to that folder, so the templates stay as they are.

``roi dashboard NOTEBOOK`` serves one notebook as a Voila dashboard on this computer only
(127.0.0.1): code outputs without the code, widgets live. It loads the Voila config of
:mod:`roi_helpers.voila_config`, whose patch keeps widget cells from stalling.

Both run the server in this process and return its exit status; Ctrl-C stops them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .errors import RoiInputError

__all__ = [
    "LAB_SETTINGS",
    "dashboard_main",
    "find_project",
    "lab_main",
    "prepare_notebooks",
    "write_lab_settings",
]

#: JupyterLab settings ``roi lab`` writes into a settings folder of its own:
#: ``{"<plugin id>": {setting: value}}``.
LAB_SETTINGS: dict[str, dict[str, object]] = {
    # open a notebook straight on its kernel: no "Select Kernel" dialog
    "@jupyterlab/notebook-extension:tracker": {"autoStartDefaultKernel": True},
    # widget callbacks on the kernel's main thread: JupyterLab 4.6 sends comm messages to
    # kernel subshells (threads) by default, and matplotlib, which every explorer draws
    # with, is not thread-safe: charts came out blank or mis-laid out now and then
    "@jupyterlab/apputils-extension:kernels-settings": {"commsOverSubshells": "disabled"},
    # no "get notified about Jupyter news?" prompt, no update check
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}

_LAB_ARGS = [
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
]


def find_project(start: str | Path | None = None) -> Path:
    """Find the kit's project folder: the nearest folder holding ``notebooks/`` and ``roi_helpers/``.

    Looks in ``start`` and then in each folder above it, so ``roi lab`` works from
    anywhere inside the project. Falls back to the folder above the installed
    ``roi_helpers`` package (an editable install), if that one holds ``notebooks/``.

    Parameters
    ----------
    start
        Where to begin; the current directory if None.

    Returns
    -------
    pathlib.Path
        The project folder, absolute.

    Raises
    ------
    RoiInputError
        If neither ``start`` nor a folder above it (nor the package's own) is the project.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp()).resolve()
    >>> for sub in ("notebooks", "roi_helpers", "data/sample"):
    ...     (root / sub).mkdir(parents=True)
    >>> find_project(root / "data" / "sample") == root
    True
    """
    here = Path.cwd() if start is None else Path(start)
    here = here.resolve()
    for folder in (here, *here.parents):
        if (folder / "notebooks").is_dir() and (folder / "roi_helpers").is_dir():
            return folder
    package_parent = Path(__file__).resolve().parent.parent
    if (package_parent / "notebooks").is_dir() and (package_parent / "roi_helpers").is_dir():
        return package_parent
    raise RoiInputError(
        "is not inside the Return on Influence kit",
        path=here,
        expected="a folder holding notebooks/ and roi_helpers/, or one below it",
        hint="cd into the kit's folder (the one with notebooks/) and run the command again.",
    )


def write_lab_settings(folder: str | Path) -> Path:
    """Write :data:`LAB_SETTINGS` as JupyterLab user settings into ``folder``.

    Point ``JUPYTERLAB_SETTINGS_DIR`` at the folder before JupyterLab starts. Each plugin
    gets ``<folder>/<package>/<plugin>.jupyterlab-settings`` (replaced if present).

    Parameters
    ----------
    folder
        The settings folder (created if missing).

    Returns
    -------
    pathlib.Path
        ``folder``, as a Path.

    Examples
    --------
    >>> import json, tempfile
    >>> d = write_lab_settings(tempfile.mkdtemp())
    >>> f = d / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    >>> json.loads(f.read_text())
    {'autoStartDefaultKernel': True}
    """
    out = Path(folder)
    for plugin, values in LAB_SETTINGS.items():
        package, name = plugin.split(":")
        path = out.joinpath(*package.split("/"), f"{name}.jupyterlab-settings")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values, indent=2) + "\n")
    return out


def _has_parameters_cell(path: Path) -> bool:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    first = next((c for c in nb.cells if c.cell_type == "code"), None)
    return first is not None and "parameters" in first.get("metadata", {}).get("tags", [])


def _parameterise(src: Path, dst: Path, data_dir: Path) -> None:
    import papermill as pm

    pm.execute_notebook(
        str(src),
        str(dst),
        parameters={"data_dir": str(data_dir)},
        prepare_only=True,
        progress_bar=False,
    )


def prepare_notebooks(
    notebooks_dir: str | Path, workdir: str | Path, data_dir: str | Path
) -> dict[str, str]:
    """Copy the analysis notebooks into ``workdir``, each reading ``data_dir``.

    Each notebook of ``notebooks_dir`` (top level) whose first code cell is tagged
    ``parameters`` is copied with a cell that sets ``data_dir`` (papermill's
    ``injected-parameters`` cell, the one ``roi report`` uses), so it analyses that folder
    when run in JupyterLab. A copy already in ``workdir`` is kept as it is: it may hold
    an analyst's work. The templates are only read.

    Parameters
    ----------
    notebooks_dir
        The templates, usually the project's ``notebooks/``.
    workdir
        Where the copies go (created if missing).
    data_dir
        The folder of exports the copies analyse; written into them as an absolute path.

    Returns
    -------
    dict
        ``{notebook file name: what happened}``, what happened being ``"copied"``,
        ``"kept"`` (a copy was already there) or ``"skipped"`` (no parameters cell, so
        it cannot be pointed at the data).

    Raises
    ------
    RoiInputError
        If ``data_dir`` or ``notebooks_dir`` is not a folder.

    Examples
    --------
    >>> import nbformat, tempfile
    >>> src, work, data = (Path(tempfile.mkdtemp()) for _ in range(3))
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('data_dir = "x"')])
    >>> nb.cells[0].metadata["tags"] = ["parameters"]
    >>> nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "P"}
    >>> nbformat.write(nb, src / "01_a.ipynb")
    >>> prepare_notebooks(src, work, data)
    {'01_a.ipynb': 'copied'}
    >>> prepare_notebooks(src, work, data)
    {'01_a.ipynb': 'kept'}
    """
    src_dir, work, data = Path(notebooks_dir), Path(workdir), Path(data_dir)
    if not data.is_dir():
        raise RoiInputError(
            f"the data folder {data} does not exist", path=data, expected="a folder of exports"
        )
    if not src_dir.is_dir():
        raise RoiInputError(
            f"the notebooks folder {src_dir} does not exist", path=src_dir, expected="a folder"
        )
    templates = sorted(src_dir.glob("*.ipynb"))
    work.mkdir(parents=True, exist_ok=True)
    done: dict[str, str] = {}
    for src in templates:
        dst = work / src.name
        if dst.exists():
            done[src.name] = "kept"
        elif not _has_parameters_cell(src):
            done[src.name] = "skipped"
        else:
            _parameterise(src, dst, data.resolve())
            done[src.name] = "copied"
    return done


def _split_passthrough(argv: Sequence[str] | None) -> tuple[list[str], list[str]]:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--" in argv:
        cut = argv.index("--")
        return argv[:cut], argv[cut + 1 :]
    return argv, []


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port between 1 and 65535, got {value}")
    return value


def _lab_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="roi lab",
        description=(
            "Open JupyterLab on the kit's notebooks, with the kit's kernel and the sample "
            "data. Given a DATA_DIR, work on copies of the notebooks that analyse it."
        ),
        epilog="Arguments after -- go to jupyter lab as they are.",
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument(
        "data_dir",
        nargs="?",
        metavar="DATA_DIR",
        help="a folder of exports: the notebooks are copied (see --workdir) to analyse it",
    )
    which.add_argument("--sample", action="store_true", help="use the sample data (the default)")
    p.add_argument(
        "--workdir",
        metavar="DIR",
        help="where the notebook copies go (default: reports/lab-<DATA_DIR name> in the "
        "project); with --sample, work on copies there instead of the templates",
    )
    p.add_argument(
        "--port", type=_port, help="port to serve on (default 8888, or the next free one)"
    )
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    return p


def _server_env() -> None:
    """Make this process ready to run a Jupyter server for the kit's notebooks."""
    from ._kernel import ensure_kernel

    ensure_kernel()
    # a non-inline backend inherited from the shell (tests set Agg) would hide the
    # notebooks' figures; kernels choose the inline one when this is unset
    os.environ.pop("MPLBACKEND", None)


def _run_app(app_class: type, argv: list[str]) -> int:
    try:
        app_class.launch_instance(argv=argv)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except KeyboardInterrupt:
        return 130
    return 0


def lab_main(argv: Sequence[str] | None = None) -> int:
    """Run ``roi lab [--port N] [--no-browser] [--sample | DATA_DIR] [--workdir DIR]``.

    Opens JupyterLab on 127.0.0.1 with:

    * the project's ``notebooks/`` (found from the current directory, see
      :func:`find_project`) as its folder, the notebooks reading ``../data/sample``;
      or, given ``DATA_DIR`` or ``--workdir``, copies of them made by
      :func:`prepare_notebooks` that read ``DATA_DIR`` (default: the sample data);
    * this Python as kernel ``python3`` (``roi_helpers._kernel.ensure_kernel``);
    * JupyterLab settings of its own (:data:`LAB_SETTINGS`, in a temporary folder removed
      on exit; the user's own JupyterLab settings are not read or changed): notebooks
      start their kernel without asking, no news prompt, no update check, and widget
      callbacks run on the kernel's main thread (matplotlib is not thread-safe).

    With ``--port`` the server fails rather than take another port. Arguments after
    ``--`` are passed on to ``jupyter lab`` (e.g. ``-- --IdentityProvider.token=T``).
    This process becomes the server: its ``JUPYTER_PATH`` and ``JUPYTERLAB_SETTINGS_DIR``
    are set and ``MPLBACKEND`` is removed (so kernels draw inline).

    Parameters
    ----------
    argv
        The arguments after ``roi lab``; ``sys.argv[1:]`` if None.

    Returns
    -------
    int
        The exit status: 0 after a normal shut-down, 2 for bad arguments or a missing
        folder (the reason is printed), otherwise JupyterLab's own status.

    Examples
    --------
    >>> lab_main(["/no/such/folder"])
    2
    """
    ours, passthrough = _split_passthrough(argv)
    try:
        args = _lab_parser().parse_args(ours)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        project = find_project()
        sample = project / "data" / "sample"
        data = Path(args.data_dir).resolve() if args.data_dir else sample
        if not data.is_dir():
            raise RoiInputError(
                f"the data folder {data} does not exist",
                path=data,
                expected="a folder of exports",
                hint="Make the sample data with: roi sample" if data == sample else None,
            )
        if args.data_dir or args.workdir:
            root = Path(args.workdir or project / "reports" / f"lab-{data.name}").resolve()
            done = prepare_notebooks(project / "notebooks", root, data)
            for name, what in done.items():
                print(f"roi lab: {what:>7} {name}")
            if not done:
                print(f"roi lab: warning: no notebook in {project / 'notebooks'} to copy")
        else:
            root = project / "notebooks"
    except RoiInputError as exc:
        print(f"roi lab: {exc}", file=sys.stderr)
        return 2
    _server_env()
    app_argv = [
        f"--ServerApp.root_dir={root}",
        "--ServerApp.ip=127.0.0.1",
        *_LAB_ARGS,
    ]
    if args.port is not None:
        app_argv += [f"--ServerApp.port={args.port}", "--ServerApp.port_retries=0"]
    if args.no_browser:
        app_argv.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        app_argv.append("--allow-root")
    print(f"roi lab: notebooks in {root}, data from {data}")
    from jupyterlab.labapp import LabApp

    with tempfile.TemporaryDirectory(prefix="roi-lab-settings-") as settings:
        write_lab_settings(settings)
        # LabApp reads JUPYTERLAB_SETTINGS_DIR when it is imported: say it explicitly too
        os.environ["JUPYTERLAB_SETTINGS_DIR"] = settings
        app_argv.append(f"--LabApp.user_settings_dir={settings}")
        return _run_app(LabApp, app_argv + passthrough)


def _dashboard_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="roi dashboard",
        description=(
            "Serve one notebook as a Voila dashboard on this computer (127.0.0.1): "
            "outputs and widgets, no code."
        ),
        epilog="Arguments after -- go to voila as they are.",
    )
    p.add_argument(
        "notebook",
        metavar="NOTEBOOK",
        help="a notebook file, or the name of one in the project's notebooks/ "
        "(e.g. 02_engagement_rates)",
    )
    p.add_argument(
        "--data",
        metavar="DATA_DIR",
        help="analyse this folder instead of the notebook's default (a temporary copy of "
        "the notebook is served)",
    )
    p.add_argument(
        "--port", type=_port, help="port to serve on (default 8866, or the next free one)"
    )
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.add_argument(
        "--show-tracebacks",
        action="store_true",
        help="show a failing cell's traceback on the page (it names folders and files: "
        "only for your own use); by default the page says that a cell failed and the "
        "traceback goes to this terminal",
    )
    return p


def _find_notebook(text: str) -> Path:
    given = Path(text)
    if given.is_file():
        return given.resolve()
    try:
        folder = find_project() / "notebooks"
    except RoiInputError:
        folder = None
    if folder is not None:
        for candidate in (folder / text, folder / f"{text}.ipynb"):
            if candidate.is_file():
                return candidate.resolve()
    raise RoiInputError(
        f"there is no notebook {text!r}",
        path=given,
        expected="a .ipynb file, or the name of one in the project's notebooks/",
    )


def dashboard_main(argv: Sequence[str] | None = None) -> int:
    """Run ``roi dashboard NOTEBOOK [--port N] [--data DATA_DIR] [--show-tracebacks] ...``.

    Serves the notebook with Voila on 127.0.0.1: its outputs and live widgets, without
    its code. Voila loads the config written by
    :func:`roi_helpers.voila_config.write_voila_config` (in a temporary folder removed on
    exit), so widget cells cannot stall the page. A cell that fails shows that it failed
    and whom to ask; its traceback (folders, files, the kit's internals) is printed in
    this terminal, and shown on the page only with ``--show-tracebacks``. The kernel is
    this Python, registered as ``python3``. With ``--data``, a temporary copy of the
    notebook set to analyse that folder is served (:func:`prepare_notebooks`).
    ``--no-browser`` opens no browser. Arguments after ``--`` go to ``voila``.

    Parameters
    ----------
    argv
        The arguments after ``roi dashboard``; ``sys.argv[1:]`` if None.

    Returns
    -------
    int
        The exit status: 0 after a normal shut-down, 2 for bad arguments, a missing
        notebook or data folder (the reason is printed), otherwise Voila's own status.

    Examples
    --------
    >>> dashboard_main(["no_such_notebook.ipynb"])
    2
    """
    ours, passthrough = _split_passthrough(argv)
    try:
        args = _dashboard_parser().parse_args(ours)
    except SystemExit as exc:
        return int(exc.code or 0)
    with tempfile.TemporaryDirectory(prefix="roi-dashboard-") as tmp:
        try:
            notebook = _find_notebook(args.notebook)
            if args.data:
                data = Path(args.data).resolve()
                if not data.is_dir():
                    raise RoiInputError(
                        f"the data folder {data} does not exist",
                        path=data,
                        expected="a folder of exports",
                    )
                if not _has_parameters_cell(notebook):
                    raise RoiInputError(
                        "has no cell tagged 'parameters'",
                        path=notebook,
                        expected="a notebook whose data_dir can be set",
                    )
                copy = Path(tmp) / "notebook" / notebook.name
                copy.parent.mkdir()
                _parameterise(notebook, copy, data)
                notebook = copy
        except RoiInputError as exc:
            print(f"roi dashboard: {exc}", file=sys.stderr)
            return 2
        from .voila_config import write_voila_config

        shown = {"VoilaConfiguration.show_tracebacks": True} if args.show_tracebacks else {}
        config_dir = write_voila_config(Path(tmp) / "config", shown).parent
        _server_env()
        from jupyter_core.paths import jupyter_config_path

        # ours first: it wins over a voila.py of the user's (Voila's own search order)
        search = [str(config_dir), os.getcwd(), *jupyter_config_path()]
        app_argv = [
            str(notebook),
            "--Voila.ip=127.0.0.1",
            *(f"--Voila.config_file_paths={p}" for p in search),
        ]
        if args.port is not None:
            app_argv += [f"--Voila.port={args.port}", "--Voila.port_retries=0"]
        if args.no_browser:
            app_argv.append("--no-browser")
        print(f"roi dashboard: serving {notebook}")
        if args.show_tracebacks:
            print("roi dashboard: tracebacks are shown on the page: keep it to yourself")
        from voila.app import Voila

        return _run_app(Voila, app_argv + passthrough)
