"""Command line: `govdisclosure extract …` and `govdisclosure report …`.

Thin by design: argument parsing and exit codes only; the work is in `pipeline` and `report`, so
that the Python API and the command line cannot drift apart.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from govdisclosure import load, paths
from govdisclosure.limits import DEFAULT as DEFAULT_LIMITS
from govdisclosure.limits import Limits

# Click's plain help, not rich's panels: rich cuts option names to fit 80 columns (`--max-docx-byt…`)
# when the help is piped or read in a narrow terminal; click wraps the text and never cuts a name.
app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  context_settings={"max_content_width": 110},
                  help="Tidy tables from Chinese government information-disclosure annual reports.")


def _writable_folder(out: Path) -> None:
    """Exit with one line when `out` or a folder above it is a file: no traceback from mkdir."""
    blocking = next((p for p in (out, *out.parents) if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        typer.echo(f"error: --out {out}: {blocking} is a file, not a folder", err=True)
        raise typer.Exit(2)


class _ReportCommand(typer.core.TyperCommand):
    """`report`, whose help ends with the notebooks' parameters, read from their parameters cells."""

    def format_epilog(self, ctx, formatter) -> None:
        from govdisclosure import notebook_run

        rows = [(f"-p {name} {kind}", f"{comment} [default: {default}]")
                for name, kind, default, comment in notebook_run.parameter_help()]
        with formatter.section("Notebook parameters (-p NAME VALUE, repeatable)"):
            formatter.write_dl(rows)


@app.callback()
def _commands() -> None:
    """Tidy tables from Chinese government information-disclosure annual reports."""


@app.command(short_help="Extract the five tables from report files and folders.")
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Report files or folders (searched recursively).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the output tables.")],
    fmt: Annotated[str, typer.Option("--format", help="parquet or csv (UTF-8 with BOM).")] = "parquet",
    strict: Annotated[bool, typer.Option(help="Exit with 1 when any document had an error finding.")] = False,
    progress: Annotated[bool, typer.Option(
        help="Progress on stderr: a bar on a terminal, else a line every 30 s.")] = True,
    workers: Annotated[int | None, typer.Option(min=1, help="Worker processes (default: every core).")] = None,
    engine: Annotated[str, typer.Option(help="serial, pool (a process pool) or dask (dask.distributed).")] = "pool",
    scheduler: Annotated[str | None, typer.Option(
        help="With --engine dask: address of a running scheduler (default: start a local cluster).")] = None,
    incremental: Annotated[bool, typer.Option(
        help="Reuse results in OUT/.cache for files whose bytes and extractor version are unchanged.")] = False,
    max_seconds: Annotated[float, typer.Option(min=0, help="Time limit per document; 0 = none.")] =
    DEFAULT_LIMITS.seconds,
    max_bytes: Annotated[int, typer.Option(min=0, help="Largest file read, in bytes; 0 = none.")] =
    DEFAULT_LIMITS.max_file_bytes,
    max_docx_bytes: Annotated[int, typer.Option(min=0, help="Largest decompressed .docx, in bytes; 0 = none.")] =
    DEFAULT_LIMITS.max_docx_bytes,
    max_pages: Annotated[int, typer.Option(min=0, help="Most pages read of a PDF; 0 = none.")] =
    DEFAULT_LIMITS.max_pdf_pages,
    allow_empty: Annotated[bool, typer.Option(
        help="Write empty tables when the inputs hold no report file (else: exit 2, previous tables kept).")] = False,
) -> None:
    """Read, clean and extract every report; write reports, facts, texts, sections and checks."""
    from govdisclosure import run as corpus_run

    if fmt not in load.FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(load.FORMATS)}")
    if engine not in corpus_run.ENGINES:
        raise typer.BadParameter(f"--engine must be one of {', '.join(corpus_run.ENGINES)}")
    if scheduler and engine != "dask":
        raise typer.BadParameter("--scheduler needs --engine dask")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        typer.echo(f"error: no such file or folder: {', '.join(missing)}", err=True)
        raise typer.Exit(2)
    _writable_folder(out)
    try:
        stats = corpus_run.run(paths, out, fmt, engine=engine, workers=workers, scheduler=scheduler,
                               incremental=incremental, progress=progress,
                               limits=Limits(seconds=max_seconds or None, max_file_bytes=max_bytes or None,
                                             max_docx_bytes=max_docx_bytes or None,
                                             max_pdf_pages=max_pages or None),
                               allow_empty=allow_empty).stats
    except (corpus_run.NoInputError, corpus_run.OutputError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    reused = f", {stats.reused} reused from the cache" if incremental else ""
    merged = f" from {stats.files} files ({stats.duplicates} byte-identical copies merged)" if stats.duplicates else ""
    typer.echo(f"{stats.rows['reports']} documents{merged} ({stats.processed} processed{reused}), "
               f"{stats.rows['facts']} facts -> {out}; {stats.errors} errors and {stats.warnings} warnings "
               f"are in {out / f'checks.{fmt}'}", err=True)
    if strict and stats.errors:
        raise typer.Exit(1)


@app.command(short_help="Run the analysis notebooks into a new run folder.", cls=_ReportCommand,
             context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def report(
    ctx: typer.Context,
    processed: Annotated[Path, typer.Option("--processed", help="Folder with the extracted tables.")] =
    paths.PROCESSED_DIR,
    out: Annotated[Path, typer.Option("--out", "-o", help="Root of the run folders.")] = paths.REPORTS_DIR,
) -> None:
    """Run every analysis notebook into a new folder OUT/<date>_<time>[_<parameters>]/.

    Each run keeps its folder (executed notebooks, HTML copies, figures/, run.json); OUT/latest
    links the last run whose notebooks all succeeded. Notebook parameters follow as -p NAME VALUE,
    e.g. -p lang en -p agencies 平潭 (listed below).
    """
    from govdisclosure import notebook_run as notebooks

    _writable_folder(out)
    try:
        run = notebooks.run_notebooks(processed, out, notebooks.parameters_from_args(ctx.args),
                                      progress=lambda line: typer.echo(line, err=True),
                                      cell_progress=sys.stderr.isatty())
    except notebooks.NotebookRunError as exc:
        typer.echo(f"{exc}\nResults: {exc.run.folder}", err=True)
        raise typer.Exit(1) from exc
    except (ValueError, FileNotFoundError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"{len(run.notebooks)} notebooks executed; HTML copies, {len(run.charts)} chart files and "
               f"run.json in {run.folder}")


@app.command(short_help="Write the offline evidence viewer (index.html).")
def view(
    processed: Annotated[Path, typer.Argument(help="Folder with the extracted tables.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the site (index.html inside).")],
    doc: Annotated[list[str] | None, typer.Option("--doc", help="Only this doc_id (repeatable).")] = None,
    sources: Annotated[list[Path] | None, typer.Option(
        "--sources", help="Folder that relative source paths are resolved against (repeatable).")] = None,
) -> None:
    """Write the offline evidence viewer: an index of reports and one page per report."""
    from govdisclosure.view import build_site

    if not processed.is_dir():
        typer.echo(f"error: no such folder: {processed}", err=True)
        raise typer.Exit(2)
    _writable_folder(out)
    try:
        stats = build_site(processed, out, doc_ids=doc or None, sources=sources or ())
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"{stats.reports} report pages, {stats.facts} figures, {stats.pdf_pages} PDF pages rendered "
               f"-> {out / 'index.html'}", err=True)


@app.command(short_help="Every number with a disclosure unit in the prose, with its verdict.")
def audit(
    paths: Annotated[list[Path], typer.Argument(help="Report files or folders (searched recursively).")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="CSV with one row per number.")] = None,
) -> None:
    """Every number with a disclosure unit in the prose, with its verdict: a fact or why it was rejected."""
    from govdisclosure import pipeline
    from govdisclosure.transform.narrative import audit as coverage

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        typer.echo(f"error: no such file or folder: {', '.join(missing)}", err=True)
        raise typer.Exit(2)
    verdicts = coverage.audit_paths(paths, pipeline.read_document)
    if out is not None:
        coverage.write_csv(verdicts, out)
    for key, value in coverage.summary(verdicts).items():
        typer.echo(f"{key}\t{value:.3f}" if key == "coverage" else f"{key}\t{value:g}")


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover - `python -m govdisclosure.cli`
    main()
