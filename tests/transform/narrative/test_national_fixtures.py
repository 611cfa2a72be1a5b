"""Every report of the national development set, extracted and compared with its answer key exactly.

The 70 fixtures (tests/fixtures/national, copied unchanged from the development set) are real
pages from every level of government, 2008–2025. Each file is a test case: its facts, extracted
with the report format the answer key gives (so that a metadata change cannot hide or fake a
figure), must equal the expected values — no wrong number, no number where the key says NA, and
in narrative reports no missing figure.

What the extractor knowingly does not read yet is listed, with the reason, in
`expected_failures.csv` beside this file; the comparison is strict in both directions, so a fix
makes its row fail until it is deleted, and a new miss fails until it is fixed or listed. Missing
figures of the 2019/2021 formats belong to the table extractors' tests and are not asserted here;
a wrong number is asserted in every format.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from govdisclosure import pipeline
from govdisclosure.transform import extract_facts
from support.locations import FIXTURES

NATIONAL = FIXTURES / "national"
KNOWN = Path(__file__).with_name("expected_failures.csv")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(row for row in fh if not row.startswith("#")))


TEMPLATES = {r["source_file"]: r["template"] for r in _rows(NATIONAL / "expected_reports.csv")}
EXPECTED: dict[str, list[dict[str, str]]] = defaultdict(list)
for _row in _rows(NATIONAL / "expected_facts.csv"):
    EXPECTED[_row["source_file"]].append(_row)
KNOWN_FAILURES: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
for _row in _rows(KNOWN):
    KNOWN_FAILURES[_row["source_file"]].add((_row["kind"], _row["measure"], _row["breakdown"]))


def failures(name: str) -> set[tuple[str, str, str]]:
    """(kind, measure, breakdown) of every fact of `name` that differs from the answer key."""
    doc = pipeline.read_document(NATIONAL / name)
    facts, _ = extract_facts(doc, TEMPLATES[name])
    got: dict[tuple[str, str], set[float]] = defaultdict(set)
    for f in facts:
        got[(f.measure, f.breakdown)].add(f.value)
    found = set()
    for row in EXPECTED[name]:
        key = (row["measure"], row["breakdown"])
        values = got.get(key, set())
        if row["value"] == "NA":
            if values:
                found.add(("na_violated", *key))
        elif not values:
            if TEMPLATES[name] == "narrative":
                found.add(("missing", *key))
        elif not values <= {float(v) for v in row["value"].split("|")}:
            found.add(("wrong", *key))
    return found


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_fixture_matches_the_answer_key(name):
    assert failures(name) == KNOWN_FAILURES.get(name, set())


def test_known_failures_name_fixtures_and_say_why():
    for row in _rows(KNOWN):
        assert row["source_file"] in TEMPLATES
        assert row["kind"] in ("missing", "wrong", "na_violated")
        assert len(row["reason"]) > 10
