"""Schemas: generated from one definition, enforced before writing, documented from the same source."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.errors
import pytest

from govdisclosure import schema

ROOT = Path(__file__).resolve().parents[1]


def fact(**changes) -> dict:
    row = {"doc_id": "a" * 16, "measure": "proactive_items", "breakdown": "", "value": 811.0, "unit": "item",
           "scope": "agency", "method": "text", "label": "主动公开政府信息", "evidence": "主动公开政府信息811条",
           "span_start": 10, "span_end": 23}
    return row | changes


def test_a_valid_fact_passes():
    frame = schema.to_frame("facts", [fact()])
    assert frame.dtypes["value"] == "float64" and frame.dtypes["span_start"] == "Int64"


@pytest.mark.parametrize("bad", [{"measure": "no_such_measure"}, {"scope": "city"}, {"method": "guess"},
                                 {"unit": "furlong"}, {"span_start": 30}])
def test_invalid_facts_are_rejected(bad):
    with pytest.raises(pandera.errors.SchemaError):
        schema.to_frame("facts", [fact(**bad)])


def test_rows_are_sorted_deterministically():
    frame = schema.to_frame("facts", [fact(span_start=20, span_end=25), fact()])
    assert list(frame.span_start) == [10, 20]


def test_empty_tables_keep_their_columns_and_types():
    for name in schema.TABLES:
        frame = schema.to_frame(name, [])
        assert list(frame.columns) == schema.column_names(name)
        assert len(frame) == 0


def test_reports_reject_unknown_template():
    row = {"doc_id": "b" * 16, "source_path": "x", "title": "", "agency_name": "", "province": "", "city": "",
           "county": "", "admin_level": "", "report_year": None, "publish_date": None, "template": "2020",
           "script": "simplified", "n_chars": 0, "problems": "", "duplicate_paths": ""}
    with pytest.raises(pandera.errors.SchemaError):
        schema.to_frame("reports", [row])


def test_data_dictionary_is_generated_and_up_to_date():
    generated = schema.data_dictionary()
    for name in schema.TABLES:
        assert f"## {name}" in generated
        for column in schema.column_names(name):
            assert f"| {column} |" in generated
    assert (ROOT / "docs" / "data_dictionary.md").read_text(encoding="utf-8").strip() == generated.strip(), \
        "docs/data_dictionary.md is stale: run `make dictionary`"


def test_every_measure_has_a_known_unit():
    from govdisclosure.measures import measures, unit_codes

    assert set(measures().unit) <= set(unit_codes())
    assert isinstance(pd.DataFrame(), pd.DataFrame)
