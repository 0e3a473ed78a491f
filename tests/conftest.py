"""Shared fixtures: where the real exports are, and a clean Jupyter environment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT.parent / "shared" / "data").resolve()
SAMPLE = ROOT / "data" / "sample"


def notebook_outputs(nb) -> tuple[str, int]:
    """An executed notebook's output text (streams and text/* data) and its number of PNGs.

    Fails on any error output, naming the cell that raised it.
    """
    text, images = [], 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", (cell.source, out.get("evalue"))
            text.append(out.get("text", ""))
            for kind, value in out.get("data", {}).items():
                if kind == "image/png":
                    images += 1
                elif kind.startswith("text/"):
                    text.append(value if isinstance(value, str) else "".join(value))
    return "\n".join(text), images


def _require(flag: str) -> bool:
    return os.environ.get(flag, "") not in ("", "0", "false")


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared real exports at ../shared/data (read-only; never copied into the project)."""
    if not SHARED.is_dir():
        if _require("ROI_REQUIRE_SHARED"):
            pytest.fail(f"{SHARED} is missing, and ROI_REQUIRE_SHARED is set (CI must have it)")
        pytest.skip(f"the shared real exports are not at {SHARED}: tests on real data skipped")
    return SHARED


@pytest.fixture(scope="session")
def sample() -> Path:
    """The kit's own sample data folder."""
    if not SAMPLE.is_dir():
        pytest.fail(f"{SAMPLE} is missing: regenerate it with python -m roi_helpers.sample")
    return SAMPLE


@pytest.fixture(scope="session", autouse=True)
def _quiet_home(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep IPython, Jupyter and matplotlib from writing into $HOME during tests."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in [
        ("IPYTHONDIR", "ipython"),
        ("JUPYTER_CONFIG_DIR", "jupyter-config"),
        ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"),
        ("MPLCONFIGDIR", "mpl"),
    ]:
        os.environ.setdefault(var, str(home / sub))


NOTEBOOKS = ROOT / "notebooks"


@pytest.fixture(scope="session")
def run_notebook(tmp_path_factory: pytest.TempPathFactory):
    """Run a notebook with papermill, headless, and return (executed notebook, numbers).

    ``run_notebook("02_engagement_rates", data_dir, **params)`` executes
    ``notebooks/02_engagement_rates.ipynb`` with ``interactive=False``, ``data_dir`` and
    ``output_dir`` (a fresh temporary folder) set, a per-cell timeout, the notebook's own
    folder as working directory, and returns the executed ``nbformat`` notebook and the
    numbers its last cell recorded (``roi_helpers.results.read``).
    """
    import papermill as pm

    from roi_helpers import results
    from roi_helpers._kernel import ensure_kernel

    kernel = ensure_kernel()

    def _run(name: str, data_dir: Path | str, timeout: int = 300, **params):
        src = NOTEBOOKS / f"{name}.ipynb"
        if not src.exists():
            src = next(NOTEBOOKS.rglob(f"{name}.ipynb"))
        out_dir = tmp_path_factory.mktemp(name.replace("/", "_"))
        out = out_dir / f"{src.stem}.ipynb"
        nb = pm.execute_notebook(
            str(src),
            str(out),
            parameters={
                "data_dir": str(data_dir),
                "output_dir": str(out_dir),
                "interactive": False,
                **params,
            },
            kernel_name=kernel,
            cwd=str(src.parent),
            execution_timeout=timeout,
            progress_bar=False,
        )
        return nb, results.read(src.stem, out_dir)

    return _run
