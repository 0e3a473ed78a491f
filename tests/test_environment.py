"""environment.yml (conda, Binder) must name the same packages as pyproject.toml."""

from __future__ import annotations

import re
import tomllib

import yaml

from tests.conftest import ROOT

# conda-forge names that differ from PyPI's
_CONDA_NAMES = {"pandera": "pandera", "pyyaml": "pyyaml", "beautifulsoup4": "beautifulsoup4"}


def _split(req: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", req)
    assert m, req
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def _pyproject() -> dict[str, str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = meta["dependencies"] + meta["optional-dependencies"]["test"]
    return dict(_split(r) for r in reqs)


def _conda() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = [d for d in env["dependencies"] if isinstance(d, str)]
    out = dict(_split(d) for d in deps)
    out.pop("python", None)
    out.pop("pip", None)
    return out


def test_environment_names_the_same_packages_with_the_same_lower_bounds():
    py = {_CONDA_NAMES.get(k, k): v for k, v in _pyproject().items()}
    conda = _conda()
    assert set(py) == set(conda), (
        f"only in pyproject.toml: {sorted(set(py) - set(conda))}; "
        f"only in environment.yml: {sorted(set(conda) - set(py))}"
    )
    differ = {k: (py[k], conda[k]) for k in py if py[k] != conda[k]}
    assert not differ, f"lower bounds differ (pyproject, environment.yml): {differ}"


def test_environment_installs_the_kit_itself():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert "-e ." in pip


def test_python_floor_matches():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert meta["requires-python"] == ">=3.11"
    assert "python>=3.11" in env["dependencies"]
