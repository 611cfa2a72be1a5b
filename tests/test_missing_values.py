"""A missing value is NULL in Parquet and an empty cell in CSV, in every column, as DuckDB users expect.

The bundled corpus is extracted through the command line into both formats; the Parquet files are
read with pyarrow (what DuckDB sees), not with the package's own reader, which could hide an `''`.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from govdisclosure import load, schema
from govdisclosure.cli import app
from support.locations import RAW

ROOT = Path(__file__).resolve().parents[1]
#: Texts that may be empty: the text at a zero-length span, a heading with nothing under it.
EMPTY_TEXTS = {("facts", "evidence"), ("sections", "text"), ("texts", "text")}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[str, Path]:
    out = {}
    for fmt in ("parquet", "csv"):
        out[fmt] = tmp_path_factory.mktemp(fmt)
        result = CliRunner().invoke(app, ["extract", str(RAW), "--out", str(out[fmt]), "--format", fmt,
                                          "--workers", "1", "--no-progress"])
        assert result.exit_code == 0, result.output
    return out


def test_parquet_stores_null_never_an_empty_string(extracted):
    for name in schema.TABLES:
        table = pq.read_table(extracted["parquet"] / f"{name}.parquet")
        for column in schema.columns(name):
            values = table.column(column.name)
            if not pa.types.is_string(values.type) or (name, column.name) in EMPTY_TEXTS:
                continue
            assert "" not in values.to_pylist(), f"{name}.{column.name} holds ''"
            if not column.nullable:
                assert values.null_count == 0, f"{name}.{column.name} holds NULL"
    reports = pq.read_table(extracted["parquet"] / "reports.parquet")
    # the bundled corpus has provincial agencies (no city), a blank form (no agency) and reports without a date
    assert reports.column("city").null_count > 0 and reports.column("agency_name").null_count == 1
    assert pq.read_table(extracted["parquet"] / "facts.parquet").column("breakdown").null_count > 0
    assert pq.read_table(extracted["parquet"] / "sections.parquet").column("heading").null_count > 0


def test_csv_leaves_the_cell_empty_and_reads_back_as_the_parquet_does(extracted):
    with (extracted["csv"] / "reports.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert sum(row["city"] == "" for row in rows) == pq.read_table(
        extracted["parquet"] / "reports.parquet").column("city").null_count
    from_csv, from_parquet = load.read_tables(extracted["csv"]), load.read_tables(extracted["parquet"])
    for name in ("reports", "facts", "sections", "checks"):
        for column in schema.columns(name):
            if column.nullable:
                assert (from_csv[name][column.name].isna() == from_parquet[name][column.name].isna()).all(), column


def test_the_data_dictionary_says_missing_is_null():
    dictionary = (ROOT / "docs" / "data_dictionary.md").read_text(encoding="utf-8")
    assert "is NULL in Parquet and an empty cell in CSV, in every column, never an empty string" in dictionary
    assert "| city | string | Prefecture-level division, NULL for provincial agencies" in dictionary
