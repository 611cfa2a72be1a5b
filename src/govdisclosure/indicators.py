"""Indicators of one report, computed from its own facts by definitions written once as data.

Every indicator (实质公开率, 复议率, a reason's share of its group …) is a row of
`data/indicators.csv`: its code, kind, which denominator it uses, its zh/en name, its numerator and
denominator written as sums and differences of measures (``outcome_total - outcome_not_processed``;
``channel_items[gov_portal]`` names a breakdown; applicant measures default to their ``total``
column), the formula as a reader writes it, the era it applies to, its caveat and the version of
the definition. Where the literature disagrees on a denominator (实质公开率 over answered, received
or valid requests) the file has one row per choice and the table records which one was used, so a
user picks instead of inheriting somebody's choice.

The computation runs per document inside `govdisclosure.pipeline.process_file`, on the rows it is
about to write, so it is plain dictionaries (no pandas: it runs for every document of a national
corpus). The rules a careful reader applies are written here once:

- a value needs every term of its numerator and denominator printed in the report; a missing term
  is never read as 0 (no row), and neither is a denominator of 0 or less (no row: never 0 or infinity);
- a share outside [0, 1] cannot be right: it gets no row, and a ``checks`` warning says why;
- where a measure has several readings (a table and a sentence) the most trusted method wins
  (`schema.METHODS`), then the first printed;
- a value whose figures failed an identity of their table, or contradict the report's text, is kept
  with a ``flag`` naming those checks: it is to be read with care and left out of charts by default.

Indicators of kind ``change`` (this year's count against the same agency's last year's) need two
reports, so they are computed once per run by `govdisclosure.validate.indicator_change`, not here.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from govdisclosure.document import Finding
from govdisclosure.measures import measure_codes, measures
from govdisclosure.national_form import request_rows
from govdisclosure.schema import INDICATOR_KINDS, METHOD_RANK

KINDS = INDICATOR_KINDS

#: A failed identity throws doubt on the figures it relates: the measures of the table it is checked
#: on (by code prefix), narrowed below where the message names the row or block.
_TABLE_OF_CHECK = {
    "identity_row_sum": ("requests_", "outcome_"),
    "identity_request_total": ("outcome_",),
    "identity_request_column": ("requests_", "outcome_total"),
    "identity_group_subtotal": ("requests_", "outcome_"),
    "identity_review_block": ("reconsideration_", "litigation_"),
}
_CONTRADICTION = "text_contradicts_table"
#: The checks `doubted` reads.
DOUBTING_CHECKS = frozenset({*_TABLE_OF_CHECK, _CONTRADICTION})
_CONTRADICTED_MEASURE = re.compile(r"([a-z_]+)/")
_ROW_LABEL = re.compile(r"request table row (.+?): ")

_TERM = re.compile(r"^([a-z_]+)(?:\[([a-z_]*)\])?$")

Term = tuple[int, str, str]  # (+1 or -1, measure, breakdown)


@dataclass(frozen=True)
class Indicator:
    """One definition: a row of `data/indicators.csv` with its sums parsed."""

    code: str
    kind: str
    denominator_kind: str
    zh_name: str
    en_name: str
    numerator: tuple[Term, ...]
    denominator: tuple[Term, ...]
    formula: str
    era: str
    caveat: str
    definition_version: int

    measures: frozenset[str]  # every measure of the numerator and the denominator


def _parse(expression: str) -> tuple[Term, ...]:
    """``a + b[x] - c`` as signed terms; an applicant measure without a breakdown means its total."""
    if not expression.strip():
        return ()
    tokens = expression.split()
    signs = [1] + [{"+": 1, "-": -1}[t] for t in tokens[1::2]]
    terms = []
    for sign, token in zip(signs, tokens[0::2], strict=True):
        match = _TERM.match(token)
        if match is None or match.group(1) not in measure_codes():
            raise ValueError(f"indicators.csv: {token!r} is not a measure of measures.csv")
        measure, breakdown = match.group(1), match.group(2)
        if breakdown is None:
            breakdown = "total" if measures().at[measure, "breakdown_kind"] == "applicant" else ""
        terms.append((sign, measure, breakdown))
    return tuple(terms)


@cache
def definitions() -> tuple[Indicator, ...]:
    """Every indicator of `data/indicators.csv`, in the file's order.

    Raises:
        ValueError: a row names an unknown measure or kind, or repeats a (code, denominator_kind).
    """
    with resources.files("govdisclosure").joinpath("data/indicators.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out, seen = [], set()
    for row in rows:
        key = (row["code"], row["denominator_kind"])
        if key in seen or row["kind"] not in KINDS:
            raise ValueError(f"indicators.csv: {key} is repeated or its kind {row['kind']!r} is unknown")
        seen.add(key)
        out.append(Indicator(row["code"], row["kind"], row["denominator_kind"], row["zh_name"], row["en_name"],
                             _parse(row["numerator"]), _parse(row["denominator"]), row["formula"], row["era"],
                             row["caveat"], int(row["definition_version"]),
                             frozenset(m for _, m, _ in _parse(row["numerator"]) + _parse(row["denominator"]))))
    return tuple(out)


@cache
def codes() -> tuple[str, ...]:
    """The indicator codes, each once, in the file's order."""
    return tuple(dict.fromkeys(d.code for d in definitions()))


def _readings(facts: Iterable[Mapping]) -> dict[tuple[str, str], float]:
    """(measure, breakdown) -> the value of its most trusted reading (then the first printed)."""
    best: dict[tuple[str, str], tuple[int, float]] = {}
    for fact in facts:
        key = (fact["measure"], fact["breakdown"] or "")  # NULL once written, "" as extracted
        rank = METHOD_RANK.get(fact["method"], len(METHOD_RANK))
        if key not in best or rank < best[key][0]:
            best[key] = (rank, fact["value"])
    return {key: value for key, (_, value) in best.items()}


@cache
def _table_measures(check: str) -> frozenset[str]:
    """The measures of the table an identity check is evaluated on."""
    return frozenset(m for m in measure_codes() if m.startswith(_TABLE_OF_CHECK[check]))


@cache
def _row_measures() -> dict[str, str]:
    """Printed label of a request-table row -> its measure (the labels `identity_row_sum` names)."""
    return {row.label: row.measure for row in request_rows()}


def doubted(findings: Iterable[Finding]) -> dict[str, frozenset[str]]:
    """Check code -> the measures its findings in one document throw doubt on.

    `text_contradicts_table` names its measure; `identity_row_sum` names its row, so only that
    measure is doubted (the other rows of the table add up); the other identities doubt the
    measures of their equation's table.
    """
    doubt: dict[str, frozenset[str]] = {}
    for finding in findings:
        measures_: frozenset[str] | None = None
        if finding.check == _CONTRADICTION:
            match = _CONTRADICTED_MEASURE.match(finding.message)
            measures_ = frozenset({match.group(1)}) if match else None
        elif finding.check == "identity_row_sum":
            match = _ROW_LABEL.match(finding.message)
            row = _row_measures().get(match.group(1)) if match else None
            measures_ = frozenset({row}) if row else _table_measures(finding.check)
        elif finding.check in _TABLE_OF_CHECK:
            measures_ = _table_measures(finding.check)
        if measures_:
            doubt[finding.check] = doubt.get(finding.check, frozenset()) | measures_
    return doubt


def _total(terms: tuple[Term, ...], values: Mapping[tuple[str, str], float]) -> float | None:
    """The signed sum of the terms, or None when one of them is not printed."""
    total = 0.0
    for sign, measure, breakdown in terms:
        value = values.get((measure, breakdown))
        if value is None:
            return None
        total += sign * value
    return total


def compute(doc_id: str, facts: Iterable[Mapping], findings: Iterable[Finding]) -> tuple[list[dict], list[Finding]]:
    """The `indicators` rows of one document, and the findings of shares that cannot be right.

    Args:
        doc_id: the document's id.
        facts: its `facts` rows (mappings with measure, breakdown, value, method).
        findings: its checks so far; identity and text/table checks flag the figures they concern.
    """
    values = _readings(facts)
    if not values:
        return [], []
    doubt = doubted(findings) if findings else {}
    rows, out_of_range = [], []
    for d in definitions():
        if d.kind == "change":  # needs last year's report: `indicator_change`, in the corpus run
            continue
        numerator = _total(d.numerator, values)
        if numerator is None:
            continue
        denominator = None
        if d.denominator:
            denominator = _total(d.denominator, values)
            if denominator is None or denominator <= 0:
                continue
        value = numerator / denominator if denominator is not None else numerator
        if d.kind == "share" and not 0 <= value <= 1:
            out_of_range.append(Finding("indicator_share_out_of_range", "warning",
                                        f"{d.code} ({d.denominator_kind}): {d.formula} = {numerator:g} ÷ {denominator:g}, "
                                        f"outside 0–1; the figures behind it disagree, so no value is given"))
            continue
        flags = sorted(check for check, doubted in doubt.items() if not doubted.isdisjoint(d.measures))
        rows.append({"doc_id": doc_id, "indicator": d.code, "kind": d.kind, "value": value,
                     "numerator": numerator, "denominator": denominator, "denominator_kind": d.denominator_kind or None,
                     "definition_version": d.definition_version, "flag": ";".join(flags) or None})
    return rows, out_of_range
