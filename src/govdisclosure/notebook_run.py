"""The scheduled report run: every analysis notebook executed with papermill into a folder of its own.

A scheduler (cron, Airflow) and `make report` call `run_notebooks`, which executes each source
notebook into `<out_dir>/<date>_<time>[_<parameters>]/` with the processed folder and figure folder
injected as parameters, then writes an HTML copy without code cells next to it (`notebook_html`).
Every run keeps its folder, so the English run that follows the Chinese one the same morning
erases nothing; `run.json` inside records when, from what and with which parameters it ran, and
`<out_dir>/latest` links the last run whose notebooks all succeeded. The executed notebook is the
run record of its notebook (parameters, outputs, errors); the source notebooks are only read, so
they stay without outputs in git.

Parameters arrive as strings from a command line (`-p year_start 2013`), so each value is
converted to the type the notebook's parameters cell declares (literal syntax, or a comma list
for `list[str]`), and a name that no notebook declares is an error rather than a silent no-op.
One failing notebook does not stop the others; the run raises `NotebookRunError` at the end.

The kernel is started on IPC sockets in a private temporary folder rather than on TCP ports:
nothing else on the machine can connect to it, and ipykernel has no reason to warn about
unencrypted TCP once per notebook.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import os
import re
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from govdisclosure import __version__, paths
from govdisclosure.notebook_html import write_html

#: Parameters `run_notebooks` always sets itself.
INJECTED = ("processed_dir", "fig_dir")
#: The link in `out_dir` to the last run whose notebooks all succeeded.
LATEST = "latest"
#: The run record inside each run folder.
RECORD = "run.json"
#: Without a terminal, a notebook that runs longer than this many seconds logs its cell count this often.
CELL_LOG_INTERVAL = 30.0


@dataclass(frozen=True)
class ExecutedNotebook:
    """The outputs of one executed notebook."""

    source: Path
    executed: Path
    html: Path
    error: str | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class NotebookRun:
    """Everything one run of the notebooks wrote."""

    folder: Path
    notebooks: list[ExecutedNotebook] = field(default_factory=list)

    @property
    def charts(self) -> list[Path]:
        """The chart files the notebooks wrote (every chart in each export format)."""
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


def parameter_help(notebooks: Sequence[Path] | None = None) -> list[tuple[str, str, str, str]]:
    """(name, type, default, comment) of every parameter the notebooks declare, in cell order.

    For `govdisclosure report --help`; the parameters `run_notebooks` injects are left out.
    """
    import papermill

    seen: dict[str, tuple[str, str, str, str]] = {}
    for notebook in source_notebooks() if notebooks is None else notebooks:
        for name, info in papermill.inspect_notebook(str(notebook)).items():
            if name not in INJECTED:
                seen.setdefault(name, (name, info["inferred_type_name"], info["default"], info["help"]))
    return list(seen.values())


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
    started: dt.datetime | None = None,
    progress: Callable[[str], None] | None = None,
    cell_progress: bool = False,
) -> NotebookRun:
    """Execute the analysis notebooks into a new run folder under `out_dir`, with an HTML copy of each.

    Args:
        processed_dir: Folder with the extracted tables (injected as `processed_dir`).
        out_dir: Root of the run folders (e.g. `reports`). Each run gets a new folder named after
            its start and its parameters (`2024-05-06_063000_lang-en`); earlier runs are kept.
        parameters: Notebook parameters by name (`lang`, `agencies`, `year_start`, ...); strings
            are converted to each notebook's declared type. A notebook receives only the
            parameters it declares.
        notebooks: Source notebooks to run; default every `NN_*.ipynb` in `notebooks/`.
        started: The time naming the folder; default now.
        progress: Called with one line as each notebook starts and ends (e.g. print to stderr),
            and, unless `cell_progress`, with the number of cells done every `CELL_LOG_INTERVAL`
            seconds of a notebook that runs that long.
        cell_progress: A progress bar over each notebook's cells on stderr (for a terminal).

    Returns:
        The run folder, and per notebook the executed copy and its HTML copy.

    Raises:
        ValueError: A parameter that no notebook declares, or one of `INJECTED`.
        FileNotFoundError: No notebooks, or `processed_dir` missing.
        NotebookRunError: After all notebooks ran, when at least one failed.
    """
    import papermill
    from traitlets.config import Config

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
    started = started or dt.datetime.now().astimezone()
    root = Path(out_dir).resolve()
    folder = _new_folder(root, run_name(started, parameters))
    figures = folder / "figures"
    figures.mkdir()
    say = progress or (lambda _line: None)
    runs = []
    with tempfile.TemporaryDirectory(prefix="govdisclosure-kernel-") as sockets:
        kernel = Config({"KernelManager": {"transport": "ipc", "ip": os.path.join(sockets, "kernel")}})
        for number, source in enumerate(sources, 1):
            given = {
                name: coerce(value, declared[source][name])
                for name, value in parameters.items()
                if name in declared[source]
            }
            given.update(processed_dir=str(processed), fig_dir=str(figures))
            executed = folder / source.name
            say(f"[{number}/{len(sources)}] {source.stem} ...")
            clock, error = time.perf_counter(), None
            try:
                papermill.execute_notebook(
                    str(source),
                    str(executed),
                    parameters=given,
                    cwd=str(source.parent),
                    progress_bar=_cell_progress(source.stem, cell_progress, progress),
                    log_output=False,
                    config=kernel,
                    kernel_manager_class=_kernel_manager_class(),
                )
            except papermill.PapermillExecutionError as exc:
                error = f"{exc.ename}: {exc.evalue}"
            seconds = time.perf_counter() - clock
            runs.append(ExecutedNotebook(source, executed, write_html(executed), error, seconds))
            say(f"[{number}/{len(sources)}] {source.stem} {'FAILED' if error else 'done'} in {seconds:.0f} s")
    run = NotebookRun(folder, runs)
    _write_record(run, started, processed, parameters)
    if run.failed:
        raise NotebookRunError(run)
    _link_latest(root, folder)
    return run


@cache
def _kernel_manager_class() -> type:
    """A kernel manager that does not interrupt a kernel it is shutting down.

    jupyter_client sends SIGINT before every shutdown request, and when the signal lands between two
    messages ipykernel logs "KeyboardInterrupt caught in kernel" as an ERROR: a clean run's log then
    shows an error, now and then, depending on timing. The notebooks have finished every cell when
    their kernel is shut down, so there is nothing to interrupt; a kernel that does not stop still
    gets the shutdown request, then SIGTERM and SIGKILL. Built on demand so that importing this
    module does not import jupyter_client.
    """
    from jupyter_client import AsyncKernelManager

    class QuietShutdownKernelManager(AsyncKernelManager):
        async def _async_interrupt_kernel(self) -> None:
            if not self.shutting_down:
                await super()._async_interrupt_kernel()

    return QuietShutdownKernelManager


def _cell_progress(name: str, terminal: bool, say: Callable[[str], None] | None) -> dict | bool:
    """papermill's tqdm options: a bar on a terminal; else a plain line per `CELL_LOG_INTERVAL`."""
    if terminal:
        return {"desc": name, "file": sys.stderr, "leave": False}
    if say is None:
        return False
    return {"desc": name, "file": _Lines(say), "leave": False, "delay": CELL_LOG_INTERVAL,
            "mininterval": CELL_LOG_INTERVAL, "bar_format": "{desc}: {n_fmt}/{total_fmt} cells done, {elapsed}"}


class _Lines:
    """A file for tqdm that hands each redraw to `say` as one line (a log keeps no carriage returns)."""

    def __init__(self, say: Callable[[str], None]):
        self.say = say

    def write(self, text: str) -> None:
        if line := text.strip():
            self.say(line)

    def flush(self) -> None:
        """tqdm flushes after each redraw; every line has already been handed on."""


def run_name(started: dt.datetime, parameters: dict[str, Any]) -> str:
    """`<date>_<HHMMSS>` then `_<name>-<value>` per parameter, in name order, safe as a folder name.

    >>> run_name(dt.datetime(2024, 5, 6, 6, 30), {"lang": "en", "agencies": "平潭,宿州"})
    '2024-05-06_063000_agencies-平潭,宿州_lang-en'
    """
    parts = [started.strftime("%Y-%m-%d_%H%M%S")]
    for name in sorted(parameters):
        value = parameters[name]
        text = value if isinstance(value, str) else ",".join(map(str, value)) if isinstance(value, list) else str(value)
        parts.append(re.sub(r"[^\w.,+-]+", "+", f"{name}-{text}").strip("+")[:60])
    return "_".join(parts)


def _new_folder(root: Path, name: str) -> Path:
    """Create `root/name`, or `root/name-2`, `-3` ... when a run with the same name exists."""
    root.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, 1000):
        folder = root / (name if attempt == 1 else f"{name}-{attempt}")
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder
    raise FileExistsError(f"too many runs named {name} in {root}")


def _write_record(run: NotebookRun, started: dt.datetime, processed: Path, parameters: dict[str, Any]) -> None:
    """`run.json`: what a reader of the folder needs to know about the run that wrote it."""
    record = {
        "started": started.isoformat(timespec="seconds"),
        "finished": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "govdisclosure": __version__,
        "processed_dir": str(processed),
        "parameters": parameters,
        "notebooks": [
            {"notebook": nb.source.name, "seconds": round(nb.seconds, 1), "error": nb.error}
            for nb in run.notebooks
        ],
    }
    text = json.dumps(record, ensure_ascii=False, indent=1, default=str)
    (run.folder / RECORD).write_text(text + "\n", encoding="utf-8")


def _link_latest(root: Path, folder: Path) -> None:
    """Point `root/latest` at `folder` (relative, so the tree can be moved), replacing it atomically."""
    tmp = root / f".{LATEST}.{uuid.uuid4().hex[:8]}"
    try:
        tmp.symlink_to(folder.name, target_is_directory=True)
        os.replace(tmp, root / LATEST)
    except OSError:  # a filesystem without symbolic links: the run folders are still all there
        tmp.unlink(missing_ok=True)
