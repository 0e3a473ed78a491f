"""Shared fixtures: where the real exports are, and a clean Jupyter environment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT.parent / "shared" / "data").resolve()
SAMPLE = ROOT / "data" / "sample"


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
    os.environ.setdefault("MPLBACKEND", "Agg")
