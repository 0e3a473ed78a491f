"""Make sure notebooks run on *this* Python, under the kernel name ``python3``.

Notebooks are stored with kernel ``python3``. On a laptop, ``python3`` may resolve to a
user-wide kernel that points at another Python without the kit installed. Before running
notebooks, the kit writes a ``python3`` kernelspec for the running interpreter into a
folder of its own and puts that folder first on ``JUPYTER_PATH``.

That folder decides which program every notebook runs, the Monday cron job's included,
so nobody else may be able to write to it. It is inside the environment the kit runs
from (``<sys.prefix>/share/roi-helpers/jupyter``), which only its owner can change;
where that is read-only (a system-wide install), a folder in the temporary directory
that this user created, owns and alone can open (mode 0700). A temporary folder of that
name that is anything else (another user's, a symbolic link, open to others) is never
used: a fresh private one is made instead, with a warning.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import tempfile
import warnings
from pathlib import Path

__all__ = ["KERNEL_NAME", "ensure_kernel", "kernel_root"]

KERNEL_NAME = "python3"


def _spec() -> dict:
    return {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (roi kit)",
        "language": "python",
        "metadata": {"debugger": True},
        # charts inline even where MPLBACKEND is set for scripts (a headless CI, say)
        "env": {"MPLBACKEND": "module://matplotlib_inline.backend_inline"},
    }


def _private(folder: Path) -> str:
    """Why ``folder`` is not a private folder of this user, or ``""`` when it is."""
    try:
        info = folder.lstat()
    except OSError as exc:
        return f"it cannot be read ({exc.strerror})"
    if stat.S_ISLNK(info.st_mode):
        return "it is a symbolic link"
    if not stat.S_ISDIR(info.st_mode):
        return "it is not a folder"
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return f"it belongs to another user (uid {info.st_uid})"
    if info.st_mode & 0o077:
        return f"others may open it (mode {stat.S_IMODE(info.st_mode):o})"
    return ""


def _writable_prefix() -> Path | None:
    """``<sys.prefix>/share/roi-helpers/jupyter`` when this user can write there."""
    root = Path(sys.prefix) / "share" / "roi-helpers" / "jupyter"
    try:
        (root / "kernels").mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return root if os.access(root / "kernels", os.W_OK) else None


def _private_temp() -> Path:
    """A temporary folder only this user can open: the usual one when it is safe."""
    uid = os.getuid() if hasattr(os, "getuid") else "u"
    root = Path(tempfile.gettempdir()) / f"roi-kernels-{uid}"
    try:
        root.mkdir(mode=0o700)
    except FileExistsError:
        pass
    except OSError:
        return Path(tempfile.mkdtemp(prefix="roi-kernels-"))
    why = _private(root)
    if why:
        warnings.warn(
            f"{root} is not used for the kit's kernel ({why}); a fresh private folder is "
            "used instead. Remove it if you did not make it.",
            RuntimeWarning,
            stacklevel=3,
        )
        return Path(tempfile.mkdtemp(prefix="roi-kernels-"))  # 0700, owned by this user
    return root


def kernel_root() -> Path:
    """The folder ``ensure_kernel`` writes the kernelspec into (see the module docstring).

    Returns
    -------
    Path
        ``<sys.prefix>/share/roi-helpers/jupyter`` when writable, else a private folder
        (mode 0700, owned by this user) in the temporary directory.

    Examples
    --------
    >>> kernel_root().is_dir()
    True
    """
    return _writable_prefix() or _private_temp()


def ensure_kernel() -> str:
    """Register this interpreter as kernel ``python3`` for this process and its children.

    The spec goes into :func:`kernel_root` (never a folder another user can write to),
    which is put first on ``JUPYTER_PATH``.

    Returns
    -------
    str
        The kernel name to pass to papermill (``python3``).

    Examples
    --------
    >>> ensure_kernel()
    'python3'
    """
    root = kernel_root()
    spec_dir = root / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = _spec()
    path = spec_dir / "kernel.json"
    try:
        current = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        current = None
    if current != spec:
        # written whole, then renamed: a run starting at the same moment never reads half
        fd, tmp = tempfile.mkstemp(dir=spec_dir, prefix=".kernel-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(spec, fh, indent=1)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    paths = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    if not paths or paths[0] != str(root):
        os.environ["JUPYTER_PATH"] = os.pathsep.join(
            [str(root), *(p for p in paths if p != str(root))]
        )
    return KERNEL_NAME
