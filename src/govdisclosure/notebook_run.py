"""The scheduled report run: every analysis notebook executed with papermill into a dated folder.

A scheduler (cron, Airflow) and `make report` call `run_notebooks`, which executes each source
notebook into `<out_dir>/<YYYY-MM-DD>/` with the processed folder and figure folder injected as
parameters, then writes an HTML copy without code cells next to it. The executed notebook is the
run record (parameters, outputs, errors); the source notebooks are only read, so they stay
without outputs in git. All notebooks write their figures into one `figures/` folder, where the
notebook number prefixes every file name.

Parameters arrive as strings from a command line (`-p year_start 2013`), so each value is
converted to the type the notebook's parameters cell declares (literal syntax, or a comma list
for `list[str]`), and a name that no notebook declares is an error rather than a silent no-op.
One failing notebook does not stop the others; the run raises `NotebookRunError` at the end.
"""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govdisclosure import paths

#: Parameters `run_notebooks` always sets itself.
INJECTED = ("processed_dir", "fig_dir")


@dataclass(frozen=True)
class ExecutedNotebook:
    """The outputs of one executed notebook."""

    source: Path
    executed: Path
    html: Path
    error: str | None = None


@dataclass(frozen=True)
class NotebookRun:
    """Everything one run of the notebooks wrote."""

    folder: Path
    notebooks: list[ExecutedNotebook] = field(default_factory=list)

    @property
    def figures(self) -> list[Path]:
        return sorted((self.folder / "figures").glob("*.*"))

    @property
    def failed(self) -> list[ExecutedNotebook]:
        return [nb for nb in self.notebooks if nb.error is not None]


class NotebookRunError(RuntimeError):
    """Raised after a run in which at least one notebook failed; `run` holds what was written."""

    def __init__(self, run: NotebookRun):
        self.run = run
        lines = [f"{nb.source.name}: {nb.error} (see {nb.executed})" for nb in run.failed]
        super().__init__(f"{len(run.failed)} notebook(s) failed:\n" + "\n".join(lines))


def source_notebooks(folder: str | Path = paths.NOTEBOOKS_DIR) -> list[Path]:
    """The analysis notebooks in `folder` (NN_name.ipynb), in order."""
    return sorted(Path(folder).glob("[0-9][0-9]_*.ipynb"))


def declared_parameters(notebook: Path) -> dict[str, str]:
    """Parameter names of a notebook's `parameters` cell with their declared type ("list[str]", ...)."""
    import papermill

    return {
        name: info["inferred_type_name"] for name, info in papermill.inspect_notebook(str(notebook)).items()
    }


def coerce(value: Any, type_name: str) -> Any:
    """Convert a command-line string to the declared type; other values pass unchanged.

    "2013" -> 2013 for int, "None" -> None, '["平潭"]' -> ["平潭"], and for list types a
    plain "平潭,宿州" -> ["平潭", "宿州"]; a `str` parameter keeps its text as given.
    """
    if not isinstance(value, str) or type_name == "str":
        return value
    try:
        return ast.literal_eval(value)
    except (ValueError, SyntaxError):
        if type_name.startswith("list"):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value


def parameters_from_args(args: Sequence[str]) -> dict[str, str]:
    """Parameters given on a command line as papermill takes them: `-p NAME VALUE`, repeatable.

    For a CLI command that passes its extra arguments through (`typer.Context.args`).

    Raises:
        ValueError: When the arguments are not a sequence of complete `-p NAME VALUE` triples.
    """
    parameters, rest = {}, list(args)
    while rest:
        if rest[0] not in ("-p", "--parameter") or len(rest) < 3:
            raise ValueError(f"expected -p NAME VALUE, got {' '.join(rest[:3])!r}")
        _flag, name, value, *rest = rest
        parameters[name] = value
    return parameters


def run_notebooks(
    processed_dir: str | Path,
    out_dir: str | Path,
    parameters: dict[str, Any],
    notebooks: Sequence[str | Path] | None = None,
    *,
    run_date: dt.date | None = None,
) -> NotebookRun:
    """Execute the analysis notebooks into `out_dir/<YYYY-MM-DD>/` with an HTML copy of each.

    Args:
        processed_dir: Folder with the extracted tables (injected as `processed_dir`).
        out_dir: Root of the report folders (e.g. `reports`); the run writes to a sub-folder
            named after the run date, replacing the outputs of the same notebooks from an earlier
            run on the same day (figures are named `NN_<chart>` after the notebook number).
        parameters: Notebook parameters by name (`lang`, `agencies`, `year_start`, ...); strings
            are converted to each notebook's declared type. A notebook receives only the
            parameters it declares.
        notebooks: Source notebooks to run; default every `NN_*.ipynb` in `notebooks/`.
        run_date: The date naming the folder; default today.

    Returns:
        The run folder, and per notebook the executed copy and its HTML copy.

    Raises:
        ValueError: A parameter that no notebook declares, or one of `INJECTED`.
        FileNotFoundError: No notebooks, or `processed_dir` missing.
        NotebookRunError: After all notebooks ran, when at least one failed.
    """
    import papermill

    sources = [Path(nb) for nb in notebooks] if notebooks is not None else source_notebooks()
    if not sources:
        raise FileNotFoundError(f"no notebooks to run in {paths.NOTEBOOKS_DIR}")
    processed = Path(processed_dir).resolve()
    if not processed.is_dir():
        raise FileNotFoundError(f"processed folder {processed} not found: run `govdisclosure extract` first")
    declared = {nb: declared_parameters(nb) for nb in sources}
    known = {name for names in declared.values() for name in names} - set(INJECTED)
    unknown = set(parameters) - known
    if unknown:
        raise ValueError(
            f"unknown or reserved parameter(s) {sorted(unknown)}; the notebooks take {sorted(known)}"
        )
    folder = Path(out_dir).resolve() / (run_date or dt.date.today()).isoformat()
    figures = folder / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    runs = []
    for source in sources:
        given = {
            name: coerce(value, declared[source][name])
            for name, value in parameters.items()
            if name in declared[source]
        }
        given.update(processed_dir=str(processed), fig_dir=str(figures))
        for stale in figures.glob(f"{source.name[:3]}*"):  # an earlier run today: its NN_ figures go
            stale.unlink()
        executed = folder / source.name
        error = None
        try:
            papermill.execute_notebook(
                str(source),
                str(executed),
                parameters=given,
                cwd=str(source.parent),
                progress_bar=False,
                log_output=False,
            )
        except papermill.PapermillExecutionError as exc:
            error = f"{exc.ename}: {exc.evalue}"
        runs.append(ExecutedNotebook(source, executed, _write_html(executed), error))
    run = NotebookRun(folder, runs)
    if run.failed:
        raise NotebookRunError(run)
    return run


def _write_html(executed: Path) -> Path:
    """An HTML copy of an executed notebook without code cells or prompts."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nbformat.read(executed, as_version=4))
    html = executed.with_suffix(".html")
    html.write_text(body, encoding="utf-8")
    return html
