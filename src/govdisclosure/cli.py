"""Command line: `govdisclosure extract …` and `govdisclosure report …`.

Thin by design: argument parsing and exit codes only; the work is in `pipeline` and `report`, so
that the Python API and the command line cannot drift apart.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from govdisclosure import load, pipeline

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Tidy tables from Chinese government information-disclosure annual reports.")


@app.callback()
def _commands() -> None:
    """Tidy tables from Chinese government information-disclosure annual reports."""


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Report files or folders (searched recursively).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the output tables.")],
    fmt: Annotated[str, typer.Option("--format", help="parquet or csv (UTF-8 with BOM).")] = "parquet",
    strict: Annotated[bool, typer.Option(help="Exit with 1 when any document had an error finding.")] = False,
    progress: Annotated[bool, typer.Option(help="Progress bar on stderr.")] = True,
) -> None:
    """Read, clean and extract every report; write reports, facts, texts, sections and checks."""
    if fmt not in load.FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(load.FORMATS)}")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        typer.echo(f"error: no such file or folder: {', '.join(missing)}", err=True)
        raise typer.Exit(2)
    tables = pipeline.extract_corpus(paths, out, fmt, progress=progress and sys.stderr.isatty())
    reports, checks = tables["reports"], tables["checks"]
    errors = checks[checks.severity == "error"]
    typer.echo(f"{len(reports)} documents, {len(tables['facts'])} facts, {len(errors)} errors, "
               f"{int((checks.severity == 'warning').sum())} warnings -> {out}", err=True)
    if strict and len(errors):
        raise typer.Exit(1)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover - `python -m govdisclosure.cli`
    main()
