"""Rows are built from the dataclasses through the schema: a column is spelled out in one place only.

`schema.row` fills each column from the object the stage produced (a `Fact`, `Finding`, `Section`,
`Metadata`, `Document`) or from the values the caller adds; these tests hold each dataclass to its
table, so a field added to one without the other, or a row value for a column the table lacks,
fails here rather than in a corpus run.
"""

from __future__ import annotations

import ast
import dataclasses

import pytest

from govdisclosure import schema
from govdisclosure.document import Fact, Finding
from govdisclosure.metadata import Metadata
from govdisclosure.sections import Section
from support.locations import ROOT

#: dataclass -> (table, the columns its caller adds)
SOURCES = {
    Fact: ("facts", {"doc_id"}),
    Finding: ("checks", {"doc_id"}),
    Section: ("sections", {"doc_id"}),
    Metadata: ("reports", {"doc_id", "source_path", "script", "n_chars", "problems", "duplicate_paths"}),
}
#: The per-document stages, which must build their rows through `schema.row`.
ROW_BUILDERS = ["pipeline.py", "sections.py", "metadata/__init__.py"]


@pytest.mark.parametrize("source", list(SOURCES), ids=lambda c: c.__name__)
def test_each_dataclass_gives_exactly_its_tables_columns(source):
    table, added = SOURCES[source]
    fields = {f.name for f in dataclasses.fields(source)}
    assert fields | added == set(schema.column_names(table)), table
    assert not fields & added


def test_a_value_for_a_column_the_table_lacks_is_an_error():
    finding = Finding("section_missing", "warning", "x")
    assert schema.row("checks", finding, doc_id="0" * 16) == {"doc_id": "0" * 16, "check": "section_missing",
                                                              "severity": "warning", "message": "x"}
    with pytest.raises(KeyError, match="no_such_column"):
        schema.row("checks", finding, doc_id="0" * 16, no_such_column=1)
    with pytest.raises(AttributeError):
        schema.row("checks", finding)  # doc_id given by nobody


@pytest.mark.parametrize("module", ROW_BUILDERS)
def test_the_per_document_stages_build_no_row_by_hand(module):
    """No dict literal keyed by a table's columns in the stages that make rows."""
    tree = ast.parse((ROOT / "src" / "govdisclosure" / module).read_text(encoding="utf-8"))
    by_hand = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Dict)
               and any(isinstance(k, ast.Constant) and k.value == "doc_id" for k in node.keys)]
    assert not by_hand, f"{module} builds rows by hand at lines {by_hand}"
