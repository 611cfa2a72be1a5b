"""Where the project keeps its data, defined once (cookiecutter-data-science style).

Paths are relative to the project root: the checkout that holds `pyproject.toml` when the package
is installed in development mode, else the current directory; `GOVDISCLOSURE_ROOT` overrides both
(for scheduled runs from another working directory).
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    if os.environ.get("GOVDISCLOSURE_ROOT"):
        return Path(os.environ["GOVDISCLOSURE_ROOT"])
    checkout = Path(__file__).resolve().parents[2]
    return checkout if (checkout / "pyproject.toml").exists() else Path.cwd()


ROOT = project_root()
RAW_DIR = ROOT / "data" / "raw"  # reports as found; never written by code
PROCESSED_DIR = ROOT / "data" / "processed"  # the output tables of `govdisclosure extract`
NOTEBOOKS_DIR = ROOT / "notebooks"  # source notebooks, kept without outputs
REPORTS_DIR = ROOT / "reports"  # executed notebooks, HTML copies and figures, one folder per run date
