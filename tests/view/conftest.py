"""Fixtures of the viewer tests: sites built from the bundled corpus, and a headless Chromium.

The browser tests skip (with the reason) only when no Chromium is installed; CI installs the
Debian package in `.ci/run`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from chromium_cdp import Chromium, find_chromium
from typer.testing import CliRunner
from viewer_cases import HONGZE, SCRIPT_FIXTURE, SHANGHAI, combined_tables, doc_id_of

from govdisclosure.cli import app
from govdisclosure.view import build_site


@pytest.fixture(scope="session")
def corpus_site(corpus_tables, tmp_path_factory) -> Path:
    """The viewer of the whole bundled corpus."""
    out = tmp_path_factory.mktemp("site")
    build_site(corpus_tables, out)
    return out


@pytest.fixture(scope="session")
def script_tables(tmp_path_factory) -> dict[str, pd.DataFrame]:
    """The extracted tables of a report whose text carries <script> and other markup."""
    out = tmp_path_factory.mktemp("script-processed")
    result = CliRunner().invoke(app, ["extract", str(SCRIPT_FIXTURE), "--out", str(out), "--workers", "1",
                                      "--no-progress"])
    assert result.exit_code == 0, result.output
    from govdisclosure import load

    return load.read_tables(out)


@pytest.fixture(scope="session")
def extra_site(corpus_tables, script_tables, tmp_path_factory) -> Path:
    """A site with the <script> report and a 431-figure report (Shanghai and Hongze joined)."""
    big = combined_tables(corpus_tables, doc_id_of(corpus_tables, SHANGHAI), doc_id_of(corpus_tables, HONGZE))
    tables = {name: pd.concat([script_tables[name], big[name]], ignore_index=True) for name in big}
    out = tmp_path_factory.mktemp("extra-site")
    build_site(tables, out)
    return out


@pytest.fixture(scope="session")
def browser():
    executable = find_chromium()
    if executable is None:
        pytest.skip("no Chromium on this machine (Debian package `chromium`; .ci/run installs it)")
    chromium = Chromium(executable)
    yield chromium
    chromium.close()
