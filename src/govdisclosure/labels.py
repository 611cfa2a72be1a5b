"""Every code the tables use, with its Chinese and English label: read from one data file.

Check codes (`checks.check`), source problem codes (`reports.problems`), severities, templates,
channels, outcome groups and the column headers of displayed tables are all defined in
`data/labels.csv` (kind, code, zh, en, description). The schema takes its allowed values from here,
the notebooks their labels, and a test fails when a module emits a check or problem code that the
file does not define, so a code cannot be added in one place and forgotten in the others. Measures
have their own vocabulary (`measures.csv`, see `govdisclosure.measures`).
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

KINDS = ("check", "problem", "severity", "template", "channel", "outcome_group", "unspecified_reason",
         "review_outcome", "review_kind", "column", "province")


@cache
def _rows() -> tuple[tuple[str, str, str, str, str], ...]:
    with resources.files("govdisclosure").joinpath("data/labels.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return tuple((r["kind"], r["code"], r["zh"], r["en"], r["description"]) for r in reader)


@cache
def pairs(kind: str) -> dict[str, tuple[str, str]]:
    """code -> (zh, en) for one kind of code, in the file's order.

    Raises:
        KeyError: `kind` is not one of `KINDS`.
    """
    if kind not in KINDS:
        raise KeyError(f"unknown kind of code {kind!r}; choose one of {', '.join(KINDS)}")
    return {code: (zh, en) for k, code, zh, en, _ in _rows() if k == kind}


def codes(kind: str) -> tuple[str, ...]:
    """Every code of one kind: the allowed values of the column that holds it."""
    return tuple(pairs(kind))


def description(kind: str, code: str) -> str:
    """What a code means, in a sentence (empty when the label says it all)."""
    return next((d for k, c, _zh, _en, d in _rows() if k == kind and c == code), "")
