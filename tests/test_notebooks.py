"""The analysis notebooks: their source form, and papermill runs on the bundled corpus.

The fast tests check what git must hold (one `parameters` cell of typed, commented literals; no
outputs) and the parameter handling of `govdisclosure.notebook_run`. The slow tests extract the bundled
corpus (`data/raw`) with the pipeline and run every notebook through `report.run_notebooks` in
Chinese, in English, and with a filter that matches nothing, as the scheduler would.
"""

from __future__ import annotations

import ast
import hashlib
import json
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


def test_the_six_notebooks_exist():
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
    assert names == PARAMETERS
    declared = report.declared_parameters(path)  # papermill must see every parameter with its type
    assert (
        list(declared) == PARAMETERS
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
        html = nb.html.read_text(encoding="utf-8")
        assert "analysis.start(" not in html and "<img" in html  # no code cells; figures shown


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_notebook_runs_and_writes_figures(processed, tmp_path, lang):
    before = _digest()
    # English runs as a scheduler would pass it (strings), and only as PNG to keep the suite quick.
    parameters = {"lang": "zh"} if lang == "zh" else {"lang": "en", "fig_formats": "png", "dpi": "120"}
    formats = ("png", "svg", "pdf") if lang == "zh" else ("png",)
    run = report.run_notebooks(processed, tmp_path, parameters)
    assert _digest() == before  # the source notebooks are never written
    _check_run(run)
    for name in NAMES:
        stems = {p.stem for p in run.figures if p.name.startswith(name[:3])}
        assert stems, f"{name} wrote no figure"
        for stem in stems:
            assert sorted(p.suffix[1:] for p in run.figures if p.stem == stem) == sorted(formats)
    overview = _outputs(run.folder / "01_corpus_overview.ipynb")
    if lang == "zh":
        assert "共 12 份文件" in overview and "平潭综合实验区管理委员会" in overview
    else:
        assert "12 documents, 11 of them annual reports" in overview and "Agency" in overview


@pytest.mark.slow
def test_a_filter_that_matches_nothing_says_so(processed, tmp_path):
    quick = {"lang": "en", "fig_formats": "png", "dpi": "72"}
    first = report.run_notebooks(processed, tmp_path, quick, notebooks=NOTEBOOKS[:1])
    assert first.figures  # an earlier run today ...
    nothing = {"agencies": "不存在的机关", "lang": "en", "year_start": "2015"}
    run = report.run_notebooks(processed, tmp_path, nothing)
    for nb in run.notebooks:
        outputs = _outputs(nb.executed)
        assert nb.error is None and "No report matches the filter" in outputs
    assert run.figures == []  # ... whose figures this run of the same notebooks replaced


@pytest.mark.slow
def test_a_failing_notebook_is_reported_after_the_others_ran(processed, tmp_path):
    broken = nbformat.read(NOTEBOOKS[0], as_version=4)
    broken.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('deliberate')"))
    nbformat.write(broken, tmp_path / "99_broken.ipynb")
    with pytest.raises(report.NotebookRunError, match="deliberate") as caught:
        report.run_notebooks(
            processed,
            tmp_path / "reports",
            {"lang": "en"},
            notebooks=[tmp_path / "99_broken.ipynb", NOTEBOOKS[4]],
        )
    run = caught.value.run
    assert [nb.error is None for nb in run.notebooks] == [False, True]
    assert all(nb.executed.exists() and nb.html.exists() for nb in run.notebooks)
