"""``roi lab``: its pieces, then JupyterLab in a real browser with a person's clicks.

The unit tests at the top need no browser. The browser tests start ``roi lab`` once per
session (``lab_server`` in conftest.py), open each notebook in its own workspace, click
Run > Run All Cells, then change the explorers' controls and read the page.
"""

from __future__ import annotations

import ast
import csv
import json
import os
import sys
from pathlib import Path

import nbformat
import pytest

import roi_helpers.lab as lab_module
from roi_helpers import cli
from roi_helpers.errors import RoiInputError
from roi_helpers.lab import LAB_SETTINGS, find_project, prepare_notebooks, write_lab_settings
from tests.browser._browser_tools import (
    FIXTURE_DATA,
    FIXTURE_NOTEBOOK,
    FIXTURES,
    ROOT,
    cell_errors,
    explorer_state,
    lab_kernel,
    open_notebook,
    png_size_and_ink,
    run_all,
    shot,
    wait_run_finished,
    wait_settled,
)
from tests.browser._scenarios import SCENARIOS, Run

ANALYSIS_NOTEBOOKS = ["01_audience_relevance", "02_engagement_rates", "03_virality"]


# ------------------------------------------------------------------ no browser needed


def test_find_project_walks_up_from_a_subfolder(tmp_path):
    for sub in ("notebooks", "roi_helpers", "data/sample/deep"):
        (tmp_path / sub).mkdir(parents=True)
    assert find_project(tmp_path / "data" / "sample" / "deep") == tmp_path.resolve()
    assert find_project(tmp_path) == tmp_path.resolve()
    assert find_project(ROOT / "tests" / "fixtures") == ROOT


def test_find_project_needs_both_folders(tmp_path, monkeypatch):
    (tmp_path / "notebooks").mkdir()  # no roi_helpers/ beside it
    # pretend the package is installed somewhere without notebooks/ (a wheel)
    monkeypatch.setattr(lab_module, "__file__", str(tmp_path / "site" / "roi_helpers" / "lab.py"))
    with pytest.raises(RoiInputError) as err:
        find_project(tmp_path)
    assert err.value.path == tmp_path.resolve()
    assert "notebooks/ and roi_helpers/" in str(err.value)


def test_find_project_falls_back_to_the_editable_install(tmp_path):
    # tmp_path is outside the project; the package's own parent holds notebooks/
    assert find_project(tmp_path) == ROOT


def _schema(plugin: str) -> dict:
    """JupyterLab's own JSON schema of a plugin's settings, from the installed app."""
    import jupyterlab

    package, name = plugin.split(":")
    app_dir = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas"
    candidates = [
        app_dir.joinpath(*package.split("/"), f"{name}.json"),
        Path(jupyterlab.__file__).parent.joinpath("schemas", *package.split("/"), f"{name}.json"),
    ]
    path = next((p for p in candidates if p.exists()), None)
    if path is None:
        pytest.skip(f"JupyterLab's schema for {plugin} is not installed here")
    return json.loads(path.read_text())


def test_lab_settings_are_settings_jupyterlab_knows(tmp_path):
    folder = write_lab_settings(tmp_path / "settings")
    written = {}
    for plugin in LAB_SETTINGS:
        package, name = plugin.split(":")
        f = folder.joinpath(*package.split("/"), f"{name}.jupyterlab-settings")
        written[plugin] = json.loads(f.read_text())
        props = _schema(plugin)["properties"]
        for key, value in written[plugin].items():
            assert key in props, f"{plugin} has no setting {key!r}"
            spec = props[key]
            if "enum" in spec:
                assert value in spec["enum"], (plugin, key, value, spec["enum"])
            elif spec.get("type") == "boolean":
                assert isinstance(value, bool), (plugin, key, value)
    assert written["@jupyterlab/notebook-extension:tracker"] == {"autoStartDefaultKernel": True}
    assert written["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"


def _template(path: Path, params: str | None) -> None:
    cells = [nbformat.v4.new_markdown_cell("# A title")]
    if params is not None:
        cell = nbformat.v4.new_code_cell(params)
        cell.metadata["tags"] = ["parameters"]
        cells.append(cell)
    cells.append(nbformat.v4.new_code_cell("print(data_dir)"))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "P"}
    nbformat.write(nb, path)


def _injected(nb) -> dict[str, object]:
    """The values papermill's injected-parameters cell sets (read with ast, not run)."""
    (cell,) = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    return {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in ast.parse(cell.source).body
        if isinstance(node, ast.Assign)
    }


def test_prepare_notebooks_points_copies_at_the_data_and_leaves_templates_alone(tmp_path):
    src, work, data = tmp_path / "notebooks", tmp_path / "work", tmp_path / "my exports"
    for d in (src, data):
        d.mkdir()
    _template(src / "01_a.ipynb", 'data_dir: str = "../data/sample"  # folder\n')
    _template(src / "02_b.ipynb", None)  # no parameters cell: cannot be pointed anywhere
    _template(src / "03_c.ipynb", 'data_dir: str = "../data/sample"  # folder\n')
    work.mkdir()
    (work / "03_c.ipynb").write_text("an analyst's own work")
    before = {p.name: p.read_bytes() for p in src.iterdir()}

    done = prepare_notebooks(src, work, data)

    assert done == {"01_a.ipynb": "copied", "02_b.ipynb": "skipped", "03_c.ipynb": "kept"}
    assert {p.name: p.read_bytes() for p in src.iterdir()} == before
    assert (work / "03_c.ipynb").read_text() == "an analyst's own work"
    assert not (work / "02_b.ipynb").exists()
    copy = nbformat.read(work / "01_a.ipynb", as_version=4)
    tags = [c.metadata.get("tags", []) for c in copy.cells]
    injected = [i for i, t in enumerate(tags) if "injected-parameters" in t]
    params = [i for i, t in enumerate(tags) if "parameters" in t]
    assert len(injected) == 1 and injected[0] == params[0] + 1, tags
    assert _injected(copy) == {"data_dir": str(data.resolve())}
    assert all(not c.get("outputs") for c in copy.cells if c.cell_type == "code")


def test_prepare_notebooks_names_a_missing_data_folder(tmp_path):
    (tmp_path / "notebooks").mkdir()
    with pytest.raises(RoiInputError) as err:
        prepare_notebooks(tmp_path / "notebooks", tmp_path / "work", tmp_path / "nope")
    assert err.value.path == tmp_path / "nope"
    assert str(tmp_path / "nope") in str(err.value)
    assert not (tmp_path / "work").exists()


@pytest.mark.parametrize(
    "argv, says",
    [
        (["/no/such/exports"], "/no/such/exports does not exist"),
        (["--port", "http"], "expected a port number"),
        (["--port", "70000"], "between 1 and 65535"),
        (["--sample", "/tmp"], "not allowed with argument"),
    ],
)
def test_lab_main_refuses_bad_arguments_before_starting_anything(argv, says, capsys):
    assert lab_module.lab_main(argv) == 2
    assert says in capsys.readouterr().err


def test_lab_main_outside_the_kit_says_where_to_go(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(lab_module, "__file__", str(tmp_path / "site" / "roi_helpers" / "lab.py"))
    assert lab_module.lab_main([]) == 2
    err = capsys.readouterr().err
    assert "not inside the Return on Influence kit" in err and "cd into" in err


@pytest.mark.parametrize(
    "argv, says",
    [
        (["no_such_notebook"], "there is no notebook 'no_such_notebook'"),
        ([str(FIXTURES / FIXTURE_NOTEBOOK), "--data", "/no/such/exports"], "does not exist"),
    ],
)
def test_dashboard_main_refuses_bad_arguments(argv, says, capsys):
    assert lab_module.dashboard_main(argv) == 2
    assert says in capsys.readouterr().err


def test_dashboard_data_needs_a_parameters_cell(tmp_path, capsys):
    _template(tmp_path / "plain.ipynb", None)
    assert lab_module.dashboard_main([str(tmp_path / "plain.ipynb"), "--data", str(tmp_path)]) == 2
    assert "has no cell tagged 'parameters'" in capsys.readouterr().err


@pytest.fixture
def launched(monkeypatch):
    """Run lab_main/dashboard_main up to the server start; record what would be started."""
    calls = []

    def fake_run_app(app_class, argv):
        settings = os.environ.get("JUPYTERLAB_SETTINGS_DIR")
        # the folders the command made for the server: read them while they exist
        ours = [a for a in argv if a.startswith("--LabApp.user_settings_dir=")]
        ours += [a for a in argv if a.startswith("--Voila.config_file_paths=")][:1]
        files = {}
        for arg in ours:
            folder = Path(arg.split("=", 1)[1])
            for f in folder.rglob("*"):
                if f.is_file():
                    files[str(f.relative_to(folder))] = f.read_text()
        calls.append(
            {
                "app": app_class.__name__,
                "argv": argv,
                "settings_env": settings,
                "files": files,
                "mplbackend": os.environ.get("MPLBACKEND"),
                "jupyter_path": os.environ.get("JUPYTER_PATH", ""),
            }
        )
        return 0

    monkeypatch.setattr(lab_module, "_run_app", fake_run_app)
    # lab_main prepares this process's environment for the server: undo it afterwards
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", "/the/user/own/settings")
    monkeypatch.setenv("JUPYTER_PATH", os.environ.get("JUPYTER_PATH", ""))
    return calls


def _value(argv: list[str], key: str) -> str:
    found = [a.split("=", 1)[1] for a in argv if a.startswith(key + "=")]
    assert len(found) == 1, (key, argv)
    return found[0]


def test_roi_lab_on_the_sample_serves_the_templates_with_its_own_settings(launched, capsys):
    assert lab_module.lab_main(["--port", "8123", "--no-browser", "--", "--ServerApp.x=1"]) == 0
    (call,) = launched
    argv = call["argv"]
    assert call["app"] == "LabApp"
    assert _value(argv, "--ServerApp.root_dir") == str(ROOT / "notebooks")
    assert _value(argv, "--ServerApp.ip") == "127.0.0.1"
    assert _value(argv, "--ServerApp.port") == "8123"
    assert _value(argv, "--ServerApp.port_retries") == "0"  # the port asked for, or fail
    assert "--no-browser" in argv and argv[-1] == "--ServerApp.x=1"  # passed on, last
    assert ("--allow-root" in argv) == (os.geteuid() == 0)
    assert _value(argv, "--LabApp.check_for_updates_class") == "jupyterlab.NeverCheckForUpdate"
    settings = _value(argv, "--LabApp.user_settings_dir")
    assert call["settings_env"] == settings != "/the/user/own/settings"
    assert json.loads(
        call["files"]["@jupyterlab/notebook-extension/tracker.jupyterlab-settings"]
    ) == {"autoStartDefaultKernel": True}
    assert not Path(settings).exists(), "the settings folder outlives the server"
    assert call["mplbackend"] is None  # kernels must pick the inline backend
    spec = Path(call["jupyter_path"].split(os.pathsep)[0]) / "kernels" / "python3" / "kernel.json"
    assert json.loads(spec.read_text())["argv"][0] == sys.executable
    assert "data from " + str(ROOT / "data" / "sample") in capsys.readouterr().out


def test_roi_lab_data_dir_works_on_copies_in_the_workdir(launched, tmp_path, capsys):
    data, work = tmp_path / "exports", tmp_path / "work"
    data.mkdir()
    assert lab_module.lab_main([str(data), "--workdir", str(work)]) == 0
    argv = launched[0]["argv"]
    assert _value(argv, "--ServerApp.root_dir") == str(work.resolve())
    assert "--ServerApp.port_retries=0" not in argv  # no port asked for: take a free one
    templates = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert sorted(p.name for p in work.glob("*.ipynb")) == templates
    for name in templates:
        nb = nbformat.read(work / name, as_version=4)
        assert _injected(nb) == {"data_dir": str(data.resolve())}, name
    assert "copied" in capsys.readouterr().out


def test_roi_dashboard_loads_the_patch_config_and_serves_on_loopback(launched, tmp_path, sample):
    name = "02_engagement_rates"
    if not (ROOT / "notebooks" / f"{name}.ipynb").exists():
        pytest.skip(f"notebooks/{name}.ipynb is not written yet")
    assert lab_module.dashboard_main([name, "--port", "8124"]) == 0
    _assert_voila_call(launched[-1], ROOT / "notebooks" / f"{name}.ipynb")
    # --data: a parameterised copy, not the template
    assert lab_module.dashboard_main([name, "--data", str(sample)]) == 0
    served = Path(launched[-1]["argv"][0])
    assert served != ROOT / "notebooks" / f"{name}.ipynb" and served.name == f"{name}.ipynb"
    assert not served.exists(), "the temporary copy outlives the server"


def test_roi_dashboard_hides_tracebacks_unless_asked(launched, capsys):
    notebook = FIXTURES / FIXTURE_NOTEBOOK
    assert lab_module.dashboard_main([str(notebook)]) == 0
    config = launched[-1]["files"]["voila.py"]
    assert "c.VoilaConfiguration.show_tracebacks = False" in config
    assert "c.VoilaExecutor.cell_error_instruction = " in config
    assert "keep it to yourself" not in capsys.readouterr().out
    assert lab_module.dashboard_main([str(notebook), "--show-tracebacks"]) == 0
    config = launched[-1]["files"]["voila.py"]
    assert "c.VoilaConfiguration.show_tracebacks = True" in config
    assert "c.VoilaConfiguration.show_tracebacks = False" not in config
    assert "tracebacks are shown on the page" in capsys.readouterr().out
    assert "--show-tracebacks" not in launched[-1]["argv"]  # ours, not Voila's


def _assert_voila_call(call, notebook: Path) -> None:
    argv = call["argv"]
    assert call["app"] == "Voila"
    assert argv[0] == str(notebook)
    assert _value(argv, "--Voila.ip") == "127.0.0.1"
    assert _value(argv, "--Voila.port") == "8124"
    assert _value(argv, "--Voila.port_retries") == "0"
    paths = [a.split("=", 1)[1] for a in argv if a.startswith("--Voila.config_file_paths=")]
    config = call["files"]["voila.py"]
    assert "install_nbclient_patch()" in config
    assert "c.VoilaConfiguration.strip_sources = True" in config
    assert "c.VoilaConfiguration.show_tracebacks = False" in config
    assert len(paths) >= 2 and not Path(paths[0]).exists()  # ours first, removed on exit


@pytest.mark.parametrize("command", ["lab", "dashboard"])
def test_roi_cli_dispatches_to_this_module(command, capsys):
    main = lab_module.lab_main if command == "lab" else lab_module.dashboard_main
    assert main(["--help"]) == 0
    own = capsys.readouterr().out
    assert cli.main([command, "--help"]) == 0
    via_cli = capsys.readouterr().out
    assert via_cli == own and f"usage: roi {command}" in via_cli


# ------------------------------------------------------------------ in the browser


def _posts() -> list[dict[str, str]]:
    with open(FIXTURES / FIXTURE_DATA, newline="") as f:
        return list(csv.DictReader(f))


def _expected(platform: str, min_likes: int, types: set[str]) -> tuple[list[str], list[int], str]:
    """Post ids, engagements and the summary line, counted from the CSV with the csv module."""
    rows = [
        r
        for r in _posts()
        if r["platform"] == platform and int(r["likes"]) >= min_likes and r["content_type"] in types
    ]
    engagements = [int(r["likes"]) + int(r["comments"]) + int(r["shares"]) for r in rows]
    total, imp = sum(engagements), sum(int(r["impressions"]) for r in rows)
    if not rows:
        return [], [], ""
    posts = "1 post" if len(rows) == 1 else f"{len(rows)} posts"
    line = f"{posts} · {total:,} engagements · {total / imp:.1%} of {imp:,} impressions"
    return [r["post_id"] for r in rows], engagements, line


def _table(explorer) -> tuple[list[str], list[int]]:
    """The post ids and engagements the explorer's table shows."""
    rows = explorer.evaluate(
        "el => [...el.querySelectorAll('table.dataframe tbody tr')]"
        ".map(tr => [...tr.querySelectorAll('td')].map(td => td.innerText.trim()))"
    )
    return [r[0] for r in rows], [int(r[-1].replace(",", "")) for r in rows]


def _summary(explorer) -> str:
    texts = explorer.locator(".roi-text").all_inner_texts()
    return texts[0].strip() if texts else ""


def _wait_summary(page, explorer, text: str) -> None:
    page.wait_for_function(
        "([el, want]) => { const t = el.querySelector('.roi-text, .roi-note');"
        " return !!t && t.innerText.trim().replace(/^⚠\\s*/, '') === want; }",
        arg=[explorer.element_handle(), text],
        timeout=60_000,
    )


def _assert_state(explorer, platform, min_likes, types, chart_before: bytes | None) -> bytes:
    """Summary, table and chart agree with the CSV; exactly one chart; it changed."""
    ids, engagements, line = _expected(platform, min_likes, types)
    assert _summary(explorer) == line
    assert _table(explorer) == (ids, engagements)
    outputs = explorer_state(explorer)
    assert [len(o.images) for o in outputs] == [0, 1, 0], "one chart, in the chart view only"
    chart = outputs[1].images[0]
    assert chart[:8] == b"\x89PNG\r\n\x1a\n"
    # the figure is 5 x 2.4 inches at 100 dpi, cropped tight: about 490 x 230 pixels, with
    # bars, axes and text on it (blank or mis-laid-out charts came from drawing on a
    # kernel subshell thread; roi lab turns that off)
    (width, height), ink = png_size_and_ink(chart)
    assert 470 <= width <= 500 and 220 <= height <= 240, (width, height)
    assert ink > 0.05, f"the chart is blank ({ink:.1%} of its pixels are not white)"
    if chart_before is not None:
        assert chart != chart_before, "the chart did not change with the selection"
    return chart


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.timeout(900)
def test_lab_opens_the_fixture_on_the_kit_kernel_and_its_explorer_follows_clicks(page, lab):
    # the hand-worked first selection: linkedin posts p01-p04, 47+103+155+16 engagements
    # over 1,200+2,400+5,100+600 impressions
    assert _expected("linkedin", 0, {"text", "image", "video"})[2] == (
        "4 posts · 321 engagements · 3.5% of 9,300 impressions"
    )
    open_notebook(page, lab, FIXTURE_NOTEBOOK, workspace="fixture")
    status = page.locator("#jp-main-statusbar").inner_text()
    assert "Python 3 (roi kit)" in status, status  # ensure_kernel's spec, not another python3
    assert page.locator(".jp-Dialog").count() == 0, "a dialog (Select Kernel?) opened"
    assert page.get_by_text("official Jupyter news").count() == 0, "the news prompt showed"
    spec = lab.api("api/kernelspecs")["kernelspecs"]["python3"]["spec"]
    assert spec["argv"][0] == sys.executable

    run_all(page)
    wait_run_finished(page, timeout=180)
    assert cell_errors(page) == []
    explorer = page.locator(".roi-explorer")
    assert explorer.count() == 1
    wait_settled(page, explorer, lab=True)
    explorer.scroll_into_view_if_needed()
    shot(explorer, "lab_fixture_before")
    everything = {"text", "image", "video"}
    chart = _assert_state(explorer, "linkedin", 0, everything, None)

    # 1. a dropdown: another platform
    explorer.locator(".widget-dropdown select").select_option("x")
    _wait_summary(page, explorer, _expected("x", 0, everything)[2])
    wait_settled(page, explorer, lab=True)
    chart = _assert_state(explorer, "x", 0, everything, chart)

    # 2. a slider, with the keyboard as a person would: three steps of 10 likes
    handle = explorer.locator(".widget-slider .noUi-handle")
    handle.focus()
    for _ in range(3):
        handle.press("ArrowRight")
    _wait_summary(page, explorer, _expected("x", 30, everything)[2])
    wait_settled(page, explorer, lab=True)
    assert explorer.locator(".widget-readout").inner_text().strip() == "30"
    chart = _assert_state(explorer, "x", 30, everything, chart)

    # 3. a multi-select: videos only (hand-worked: p07, 95+8+30 = 133 over 9,000)
    explorer.locator(".widget-select-multiple select").select_option(["video"])
    assert (
        _expected("x", 30, {"video"})[2] == "1 post · 133 engagements · 1.5% of 9,000 impressions"
    )
    _wait_summary(page, explorer, _expected("x", 30, {"video"})[2])
    wait_settled(page, explorer, lab=True)
    chart = _assert_state(explorer, "x", 30, {"video"}, chart)
    shot(explorer, "lab_fixture_after")

    # 4. nothing left: the first view says why, once; no figure lingers below it
    explorer.locator(".widget-select-multiple select").select_option(["text"])
    note = "No x post of these types has 30+ likes."
    assert _expected("x", 30, {"text"})[0] == []
    _wait_summary(page, explorer, note)
    wait_settled(page, explorer, lab=True)
    outputs = explorer_state(explorer)
    assert [(len(o.images), o.notes) for o in outputs] == [(0, 1), (0, 0), (0, 0)]
    assert note in outputs[0].text and not outputs[1].text.strip() + outputs[2].text.strip()
    shot(explorer, "lab_fixture_note")

    # 5. and back to a chart: one figure again, not two
    explorer.locator(".widget-dropdown select").select_option("linkedin")
    _wait_summary(page, explorer, _expected("linkedin", 30, {"text"})[2])
    wait_settled(page, explorer, lab=True)
    _assert_state(explorer, "linkedin", 30, {"text"}, chart)


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.timeout(900)
@pytest.mark.parametrize("name", ANALYSIS_NOTEBOOKS)
def test_analysis_notebook_explorers_follow_clicks(page, lab, sample, name):
    """Run the notebook as a person would, then drive its explorer (see _scenarios.py):
    what it shows after each change is checked against counts of the sample files."""
    if not (ROOT / "notebooks" / f"{name}.ipynb").exists():
        pytest.skip(f"notebooks/{name}.ipynb is not written yet")
    assert (lab.root / f"{name}.ipynb").exists(), f"roi lab did not copy {name}.ipynb"
    open_notebook(page, lab, f"{name}.ipynb", workspace=name)
    run_all(page)
    wait_run_finished(page, timeout=600)
    errors = cell_errors(page)
    assert not errors, errors[0][-2000:]
    explorers = page.locator(".roi-explorer")
    assert explorers.count() == 1, "one explorer (interactive=True should build it)"
    kernel = lab_kernel(lab, f"{name}.ipynb")
    run = Run(page, explorers.first, kernel, lab=True, prefix=f"lab_{name}")
    SCENARIOS[name](run, sample)
    assert not cell_errors(page), cell_errors(page)[0][-2000:]
