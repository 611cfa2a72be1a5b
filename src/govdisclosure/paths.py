"""Where the project keeps its data, defined once (cookiecutter-data-science style).

Paths are absolute, anchored at the project root, never at the current directory alone: a
scheduler runs `papermill /srv/govdisclosure/notebooks/01_….ipynb out.ipynb` from wherever it
likes, and the notebooks' default folders (an empty `processed_dir`) must still find the tables.
The root is `GOVDISCLOSURE_ROOT` when set; else the checkout holding `pyproject.toml` when the
package is installed in development mode (`pip install -e .`, what `make` does); else, for a
plain install that has no project of its own, the current directory.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The folder holding `data/`, `notebooks/` and `reports/` (see the module docstring)."""
    if os.environ.get("GOVDISCLOSURE_ROOT"):
        return Path(os.environ["GOVDISCLOSURE_ROOT"]).resolve()
    checkout = Path(__file__).resolve().parents[2]
    return checkout if (checkout / "pyproject.toml").exists() else Path.cwd().resolve()


ROOT = project_root()
RAW_DIR = ROOT / "data" / "raw"  # reports as found; never written by code
PROCESSED_DIR = ROOT / "data" / "processed"  # the output tables of `govdisclosure extract`
NOTEBOOKS_DIR = ROOT / "notebooks"  # source notebooks, kept without outputs
REPORTS_DIR = ROOT / "reports"  # one folder per report run (executed notebooks, HTML copies, figures)
FIGURES_DIR = REPORTS_DIR / "figures"  # figures of notebooks run by hand or by papermill directly
