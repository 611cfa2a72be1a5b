"""The identities the national tables satisfy, checked within one report.

The identities are written once, here, as data (`Identity`): the template extractor evaluates them
on what it read and reports each failure as a finding, and the flattened-text solver uses the very
same definitions to decide where the digits of a row split. Printed numbers are never corrected:
a failing identity is a `checks` row that says which identity, where, printed vs computed.

Within one report (`check_request`, `check_review`):
- every row of the request table: 自然人 + the five 法人或其他组织 columns = 总计;
- every column: 一 + 二 = （七）+ 四, and （七）= the sum of the outcome rows;
- a subtotal row that a province prints for a group equals the sum of the group's rows;
- each block of the review row: 维持 + 纠正 + 其他 + 尚未审结 = 总计.

The checks across reports of the same agency (carry-over, 现行有效 chain) need the whole run and
live in `govdisclosure.validate.cross_report`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from govdisclosure.document import Finding
from govdisclosure.measures import APPLICANT_BREAKDOWNS, APPLICANT_LABELS_ZH
from govdisclosure.national_form import (
    REVIEW_BLOCK_LABELS,
    REVIEW_BLOCKS,
    REVIEW_LEAF_LABELS,
    REVIEW_LEAVES,
    request_row,
)

#: Breakdown columns whose sum is the 总计 column.
APPLICANT_PARTS = APPLICANT_BREAKDOWNS[:-1]
TOLERANCE = 1e-6

Values = Mapping[tuple[str, str], float]


@dataclass(frozen=True)
class Identity:
    """Sum of `plus` rows = sum of `minus` rows, for every applicant column.

    Attributes:
        check: the finding code raised when it fails.
        name: how a person writes it.
        plus: measures on the left-hand side.
        minus: measures on the right-hand side.
    """

    check: str
    name: str
    plus: tuple[str, ...]
    minus: tuple[str, ...]

    @property
    def equation(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return self.plus, self.minus


def request_identities(leaves: Sequence[str], subtotals: Mapping[str, Sequence[str]] = {}) -> list[Identity]:
    """The column identities of a request table.

    Args:
        leaves: the outcome rows the table prints as rows (not group headings, not derived totals).
        subtotals: group measure -> its member rows, for groups whose subtotal is printed as a row.
    """
    out = [Identity("identity_request_column", "一+二 = （七）+四",
                    ("requests_new", "requests_carried_in"), ("outcome_total", "requests_carried_forward")),
           Identity("identity_request_total", "（七）总计 = 各项办理结果之和", ("outcome_total",), tuple(leaves))]
    out += [Identity("identity_group_subtotal", f"{group} = 其各项之和", (group,), tuple(members))
            for group, members in subtotals.items()]
    return out


def format_number(x: float) -> str:
    return f"{x:g}"


def _side(measures: Sequence[str]) -> str:
    """One side of an identity in words: the rows, or 'the sum of its N rows' when they are many."""
    if len(measures) > 2:
        return f"the sum of its {len(measures)} rows"
    return " + ".join(_name(m) for m in measures)


def _name(measure: str) -> str:
    """How the form labels a request row (the measure code when it is not a row of the form)."""
    try:
        return request_row(measure).label
    except StopIteration:
        return measure


def check_request(values: Values, identities: Iterable[Identity], *,
                  present_rows: Iterable[str]) -> list[Finding]:
    """Evaluate the row sums and column identities of one request table.

    Args:
        values: (measure, breakdown) -> printed value, for the cells that were read.
        identities: from `request_identities`.
        present_rows: the measures of the rows the table prints.

    Returns:
        One finding per failing row or column; identities with an unread cell are skipped.
    """
    findings = []
    for measure in present_rows:
        parts = [values.get((measure, b)) for b in APPLICANT_PARTS]
        total = values.get((measure, "total"))
        if total is None or any(p is None for p in parts):
            continue
        computed = sum(parts)
        if abs(computed - total) > TOLERANCE:
            findings.append(Finding("identity_row_sum", "warning",
                                    f"request table row {_name(measure)}: the applicant columns "
                                    f"add up to {format_number(computed)} but 总计 prints {format_number(total)}"))
    for identity in identities:
        for b in APPLICANT_BREAKDOWNS:
            left = [values.get((m, b)) for m in identity.plus]
            right = [values.get((m, b)) for m in identity.minus]
            if any(v is None for v in left + right):
                continue
            if abs(sum(left) - sum(right)) > TOLERANCE:
                findings.append(Finding(
                    identity.check, "warning",
                    f"request table, column {APPLICANT_LABELS_ZH[b]}: {identity.name} fails: "
                    f"{_side(identity.plus)} = {format_number(sum(left))}, "
                    f"{_side(identity.minus)} = {format_number(sum(right))}"))
    return findings


def review_groups() -> list[tuple[str, tuple[str, ...], str]]:
    """The three blocks of the review row: (block, part measures, total measure)."""
    return [(block, tuple(f"{block}_{leaf}" for leaf in REVIEW_LEAVES[:-1]), f"{block}_total")
            for block in REVIEW_BLOCKS]


def check_review(values: Mapping[str, float]) -> list[Finding]:
    """维持 + 纠正 + 其他 + 尚未审结 = 总计 for each block of the review row (measure -> value)."""
    findings = []
    for block, parts, total_measure in review_groups():
        got = [values.get(m) for m in parts]
        total = values.get(total_measure)
        if total is None or any(v is None for v in got):
            continue
        if abs(sum(got) - total) > TOLERANCE:
            findings.append(Finding("identity_review_block", "warning",
                                    f"review/litigation table, {REVIEW_BLOCK_LABELS[block]}: "
                                    f"{'+'.join(REVIEW_LEAF_LABELS[leaf] for leaf in REVIEW_LEAVES[:-1])} = "
                                    f"{format_number(sum(got))} but 总计 prints {format_number(total)}"))
    return findings
