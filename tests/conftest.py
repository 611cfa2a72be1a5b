"""Shared fixtures: the bundled corpus in data/raw and its extraction, computed once per session."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from govdisclosure import run
from support.locations import FIXTURES, RAW


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    return RAW


@pytest.fixture(scope="session")
def corpus_tables(tmp_path_factory) -> dict[str, pd.DataFrame]:
    """The five tables of the bundled corpus, written to a temporary folder once."""
    out = tmp_path_factory.mktemp("processed")
    return run.extract_corpus([RAW], out)


@pytest.fixture(scope="session")
def expected_reports() -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "expected_reports.csv", dtype=str, keep_default_na=False, comment="#")


