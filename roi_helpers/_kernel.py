"""Make sure notebooks run on *this* Python, under the kernel name ``python3``.

Notebooks are stored with kernel ``python3``. On a laptop, ``python3`` may resolve to a
user-wide kernel that points at another Python without the kit installed. Before running
notebooks, the kit writes a ``python3`` kernelspec for the running interpreter into a
folder of its own and puts that folder first on ``JUPYTER_PATH``.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

KERNEL_NAME = "python3"


def ensure_kernel() -> str:
    """Register this interpreter as kernel ``python3`` for this process and its children.

    Returns the kernel name to pass to papermill.
    """
    root = (
        Path(tempfile.gettempdir()) / f"roi-kernels-{os.getuid() if hasattr(os, 'getuid') else 'u'}"
    )
    spec_dir = root / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (roi kit)",
        "language": "python",
        "metadata": {"debugger": True},
        # charts inline even where MPLBACKEND is set for scripts (a headless CI, say)
        "env": {"MPLBACKEND": "module://matplotlib_inline.backend_inline"},
    }
    path = spec_dir / "kernel.json"
    if not path.exists() or json.loads(path.read_text()) != spec:
        path.write_text(json.dumps(spec, indent=1))
    current = os.environ.get("JUPYTER_PATH", "")
    if str(root) not in current.split(os.pathsep):
        os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(root), current) if p)
    return KERNEL_NAME
