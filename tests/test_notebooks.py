"""The analysis notebooks: their source form, and papermill runs on the bundled corpus.

The fast tests check what git must hold (one `parameters` cell of typed, commented literals; no
outputs) and the parameter handling of `govdisclosure.notebook_run`. The slow tests extract the bundled
corpus (`data/raw`) with the pipeline and run every notebook as a scheduler would: in Chinese through
the `govdisclosure report` command in a subprocess (so that the kernel's own stderr is seen), in
English through `run_notebooks`, with a filter that matches nothing, and with plain papermill from
another working directory.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from govdisclosure import notebook_run as report
from govdisclosure.run import extract_corpus

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
NAMES = [
    "01_corpus_overview",
    "02_proactive_disclosure",
    "03_requests_outcomes",
    "04_channels",
    "05_review_litigation",
    "06_problem_themes",
    "07_indicators",
    "08_report_quality",
]
PARAMETERS = [
    "processed_dir",
    "agencies",
    "provinces",
    "year_start",
    "year_end",
    "lang",
    "fig_dir",
    "fig_formats",
    "dpi",
]


def test_the_notebooks_exist():
    assert [nb.stem for nb in NOTEBOOKS] == NAMES
    assert report.source_notebooks() == NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_source_notebook_has_no_outputs_and_one_literal_parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    lines = [line for line in tagged[0].source.splitlines() if line and not line.startswith("#")]
    names = []
    for line in lines:
        statement = ast.parse(line.split("  #")[0]).body[0]
        assert isinstance(statement, ast.AnnAssign), line  # a type hint on every parameter
        ast.literal_eval(statement.value)  # literals only
        assert "  # " in line, f"parameter without a comment: {line}"
        names.append(statement.target.id)
    assert names[:len(PARAMETERS)] == PARAMETERS  # every notebook's common parameters, first
    declared = report.declared_parameters(path)  # papermill must see every parameter with its type
    assert (
        list(declared)[:len(PARAMETERS)] == PARAMETERS
        and declared["agencies"] == "list[str]"
        and declared["year_start"] == "int"
    )


def test_coerce_converts_command_line_strings():
    assert report.coerce("2013", "int") == 2013
    assert report.coerce("None", "int | None") is None
    assert report.coerce("平潭,宿州", "list[str]") == ["平潭", "宿州"]
    assert report.coerce('["平潭"]', "list[str]") == ["平潭"]
    assert report.coerce("2013", "str") == "2013"
    assert report.coerce(["en"], "list[str]") == ["en"]


def test_parameters_from_a_command_line():
    args = ["-p", "lang", "en", "--parameter", "agencies", "平潭,宿州", "-p", "year_start", "2013"]
    assert report.parameters_from_args(args) == {"lang": "en", "agencies": "平潭,宿州", "year_start": "2013"}
    assert report.parameters_from_args([]) == {}
    for bad in (["-p", "lang"], ["lang", "en"], ["-x", "lang", "en"]):
        with pytest.raises(ValueError, match="-p NAME VALUE"):
            report.parameters_from_args(bad)


def test_unknown_or_reserved_parameters_are_refused(tmp_path):
    for bad in ({"language": "en"}, {"fig_dir": "elsewhere"}):
        with pytest.raises(ValueError, match="the notebooks take"):
            report.run_notebooks(tmp_path, tmp_path / "reports", bad)


# --- papermill runs on the bundled corpus --------------------------------------------------------------


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("processed")
    extract_corpus([ROOT / "data" / "raw"], folder)
    return folder


def _digest() -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in NOTEBOOKS}


def _outputs(path: Path) -> str:
    """Every output of an executed notebook, as one text (streams, errors, Markdown, HTML)."""
    nb = nbformat.read(path, as_version=4)
    return json.dumps([o for c in nb.cells if c.cell_type == "code" for o in c.outputs], ensure_ascii=False)


def _check_run(run: report.NotebookRun) -> None:
    assert [nb.executed.stem for nb in run.notebooks] == NAMES
    for nb in run.notebooks:
        outputs = _outputs(nb.executed)
        assert nb.error is None and '"output_type": "error"' not in outputs
        assert "Glyph" not in outputs and "missing from font" not in outputs
        _check_html(nb.html.read_text(encoding="utf-8"))


def _check_html(html: str) -> None:
    """An HTML copy: no code, self-contained offline, charts at a readable width."""
    assert "analysis.start(" not in html and "<img" in html  # no code cells; figures shown
    assert "Parameters are in the next cell" not in html  # a sentence about code cells that are not there
    assert re.findall(r"<script[^>]*\bsrc=", html) == []  # no require.js, MathJax or mermaid from a CDN
    assert re.findall(r"""(?:src|href)=["']?https?:""", html) == []
    assert "mathjax" not in html.lower() and "mermaid.esm" not in html
    widths = [int(w) for w in re.findall(r'<img[^>]*width="(\d+)"', html)]
    assert widths and min(widths) >= 600, widths  # not 333 px with 9 px legend text


def _cli_report(processed: Path, out: Path, *parameters: str) -> tuple[subprocess.CompletedProcess, report.NotebookRun]:
    """`govdisclosure report` in a subprocess, and the run it wrote (read back from OUT/latest)."""
    command = [sys.executable, "-m", "govdisclosure.cli", "report", "--processed", str(processed), "--out", str(out)]
    done = subprocess.run([*command, *parameters], check=False, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stderr
    folder = (out / report.LATEST).resolve()
    notebooks = [report.ExecutedNotebook(nb, folder / nb.name, folder / f"{nb.stem}.html") for nb in NOTEBOOKS]
    return done, report.NotebookRun(folder, notebooks)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_notebook_runs_and_writes_figures(processed, tmp_path, lang):
    before = _digest()
    formats = ("png", "svg", "pdf") if lang == "zh" else ("png",)
    if lang == "zh":  # through the command line, whose stderr a cron log keeps
        done, run = _cli_report(processed, tmp_path, "-p", "lang", "zh")
        # One line as each notebook starts and ends; no kernel warning (TCP eavesdropping), no ERROR
        # (KeyboardInterrupt caught in kernel) on a clean run.
        assert re.findall(rf"\[(\d+)/{len(NAMES)}\] (\w+) done in \d+ s", done.stderr) == [
            (str(n), name) for n, name in enumerate(NAMES, 1)]
        assert not re.search(r"WARNING|ERROR|Traceback|eavesdropping", done.stderr), done.stderr
        assert done.stdout.startswith(f"{len(NAMES)} notebooks executed")
        record = json.loads((run.folder / "run.json").read_text(encoding="utf-8"))
        assert record["parameters"] == {"lang": "zh"} and record["processed_dir"] == str(processed.resolve())
        assert [nb["error"] for nb in record["notebooks"]] == [None] * len(NAMES)
    else:  # as a scheduler would pass the parameters (strings), and only as PNG to keep the suite quick
        run = report.run_notebooks(processed, tmp_path, {"lang": "en", "fig_formats": "png", "dpi": "120"})
    assert _digest() == before  # the source notebooks are never written
    _check_run(run)
    for name in NAMES:
        stems = {p.stem for p in run.charts if p.name.startswith(name[:3])}
        assert stems, f"{name} wrote no figure"
        for stem in stems:
            assert sorted(p.suffix[1:] for p in run.charts if p.stem == stem) == sorted(formats)
    overview = _outputs(run.folder / "01_corpus_overview.ipynb")
    if lang == "zh":
        assert "共 12 份文件" in overview and "平潭综合实验区管理委员会" in overview
    else:
        assert "12 documents, 11 of them annual reports" in overview and "Agency" in overview


@pytest.mark.slow
def test_a_filter_that_matches_nothing_says_so_and_every_run_keeps_its_folder(processed, tmp_path):
    quick = {"lang": "en", "fig_formats": "png", "dpi": "72"}
    first = report.run_notebooks(processed, tmp_path, quick, notebooks=NOTEBOOKS[:1])
    assert first.charts  # an earlier run the same day ...
    nothing = {"agencies": "不存在的机关", "lang": "en", "year_start": "2015"}
    run = report.run_notebooks(processed, tmp_path, nothing)
    for nb in run.notebooks:
        outputs = _outputs(nb.executed)
        assert nb.error is None and "No report matches the filter" in outputs
    assert run.charts == []
    assert first.charts == sorted((first.folder / "figures").glob("*.*"))  # ... keeps its figures
    assert all(p.exists() for p in first.charts) and first.folder != run.folder
    assert run.folder.name.endswith("_agencies-不存在的机关_lang-en_year_start-2015")
    assert (tmp_path / "latest").resolve() == run.folder and os.readlink(tmp_path / "latest") == run.folder.name
    assert json.loads((run.folder / "run.json").read_text(encoding="utf-8"))["parameters"] == nothing


@pytest.mark.slow
def test_a_failing_notebook_is_reported_after_the_others_ran(processed, tmp_path, monkeypatch):
    broken = nbformat.read(NOTEBOOKS[0], as_version=4)
    broken.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('deliberate')"))
    nbformat.write(broken, tmp_path / "99_broken.ipynb")
    monkeypatch.setattr(report, "CELL_LOG_INTERVAL", 0)  # every notebook counts as a long one
    lines: list[str] = []
    with pytest.raises(report.NotebookRunError, match="deliberate") as caught:
        report.run_notebooks(
            processed,
            tmp_path / "reports",
            {"lang": "en"},
            notebooks=[tmp_path / "99_broken.ipynb", NOTEBOOKS[4]],
            progress=lines.append,
        )
    # Without a terminal: a line as each notebook starts and ends, and plain lines of cells done.
    assert lines[0] == "[1/2] 99_broken ..." and lines[-1].startswith("[2/2] 05_review_litigation done in ")
    assert any(re.fullmatch(r"\[1/2\] 99_broken FAILED in \d+ s", line) for line in lines)
    cells = [re.fullmatch(r"05_review_litigation: (\d+)/(\d+) cells done, \d\d:\d\d", line) for line in lines]
    counts = [(int(m[1]), int(m[2])) for m in cells if m]
    assert len(counts) >= 3 and counts[-1][0] == counts[-1][1]  # up to the last cell
    run = caught.value.run
    assert [nb.error is None for nb in run.notebooks] == [False, True]
    assert all(nb.executed.exists() and nb.html.exists() for nb in run.notebooks)
    assert not (tmp_path / "reports" / "latest").exists()  # latest is the last run that succeeded
    record = json.loads((run.folder / "run.json").read_text(encoding="utf-8"))
    assert "deliberate" in record["notebooks"][0]["error"] and record["notebooks"][1]["error"] is None


def test_run_folder_names_carry_the_time_and_the_parameters():
    import datetime as dt

    at = dt.datetime(2024, 5, 6, 6, 30, 5)
    assert report.run_name(at, {}) == "2024-05-06_063005"
    assert report.run_name(at, {"lang": "en", "agencies": ["平潭", "宿州"]}) == "2024-05-06_063005_agencies-平潭,宿州_lang-en"
    assert report.run_name(at, {"agencies": "a/b c"}) == "2024-05-06_063005_agencies-a+b+c"  # never a sub-folder


def test_the_project_folders_do_not_depend_on_the_working_directory(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "GOVDISCLOSURE_ROOT"}
    code = "from govdisclosure import paths; print(paths.PROCESSED_DIR, paths.FIGURES_DIR, sep='\\n')"
    printed = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                             check=True).stdout.split()
    assert printed == [str(ROOT / "data" / "processed"), str(ROOT / "reports" / "figures")]


@pytest.mark.slow
def test_papermill_runs_a_notebook_with_its_defaults_from_another_working_directory(processed, tmp_path):
    # A scheduler's recipe: plain papermill, absolute notebook path, any working directory. The
    # project root is given by GOVDISCLOSURE_ROOT (a checkout run needs not even that) so that the
    # test does not depend on the checkout's own data/processed.
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    (project / "data" / "processed").symlink_to(processed)
    elsewhere = tmp_path / "cron"
    elsewhere.mkdir()
    done = subprocess.run([sys.executable, "-m", "papermill", str(NOTEBOOKS[0]), "out.ipynb",
                           "-p", "lang", "en", "-y", "fig_formats: [png]", "-p", "dpi", "72"],
                          cwd=elsewhere, env={**os.environ, "GOVDISCLOSURE_ROOT": str(project)},
                          check=False, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    outputs = _outputs(elsewhere / "out.ipynb")
    assert "12 documents, 11 of them annual reports" in outputs and "run `govdisclosure extract`" not in outputs
    figures = sorted(p.name for p in (project / "reports" / "figures").iterdir())
    assert len(figures) == 6 and all(name.startswith("01_") and name.endswith(".png") for name in figures)
