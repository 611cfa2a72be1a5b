"""Which table cells a `checks` row concerns, so the page can mark them.

A checks row names no cell. Rather than parse the wording of its message, the identities are
evaluated again on the report's facts with the definitions and functions of
`govdisclosure.transform.national.identities`, one identity and one column (or one row, one block) at a time:
a finding with the same code and message as the checks row then says exactly which cells it is
about. Subtotal rows the extractor read but did not emit cannot be re-evaluated from the facts;
for those (and for wording that changed after the run) the message is matched against the
identities' names and the form's column labels. Findings about a single figure, whose message
starts with ``measure/breakdown:``, concern that figure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from govdisclosure.measures import APPLICANT_BREAKDOWNS, APPLICANT_LABELS_ZH
from govdisclosure.national_form import group_members, request_rows
from govdisclosure.transform.national import identities
from govdisclosure.view.tables import FactRow

Cells = frozenset[str]

_FIGURE = re.compile(r"^([a-z_]+)/([a-z_]*|-):")
_COLUMN = re.compile(r"column (\S+?):")
_CARRIED = re.compile(r"上年结转 \((\S+?)\)")
_LABEL_TO_BREAKDOWN = {label: b for b, label in APPLICANT_LABELS_ZH.items()}


def _key(measure: str, breakdown: str = "") -> str:
    return f"{measure}|{breakdown}"


def _evaluated(facts: Sequence[FactRow]) -> dict[tuple[str, str], Cells]:
    """(check, message) -> cells, for every identity that fails on the printed facts."""
    # The extractor evaluates the identities on what it read from the table (a scanned one by OCR).
    values = {(f.measure, f.breakdown): f.value for f in facts if f.method in ("table", "ocr")}
    roles = {row.measure: row.role for row in request_rows()}
    present = {m for m, _ in values}
    leaves = sorted(m for m in present if roles.get(m) == "leaf" or (roles.get(m) == "group"))
    out: dict[tuple[str, str], Cells] = {}
    for identity in identities.request_identities(leaves):
        measures = identity.plus + identity.minus
        for b in APPLICANT_BREAKDOWNS:
            column = {(m, b): values[(m, b)] for m in measures if (m, b) in values}
            for finding in identities.check_request(column, [identity], present_rows=[]):
                out[(finding.check, finding.message)] = frozenset(_key(m, b) for m in measures)
    for measure in [r.measure for r in request_rows() if r.measure in present]:
        row = {(measure, b): values[(measure, b)] for b in APPLICANT_BREAKDOWNS if (measure, b) in values}
        for finding in identities.check_request(row, [], present_rows=[measure]):
            out[(finding.check, finding.message)] = frozenset(_key(measure, b) for b in APPLICANT_BREAKDOWNS)
    for _block, parts, total in identities.review_groups():
        block = {m: values[(m, "")] for m in (*parts, total) if (m, "") in values}
        for finding in identities.check_review(block):
            out[(finding.check, finding.message)] = frozenset(_key(m) for m in (*parts, total))
    return out


def _from_message(check: str, message: str) -> Cells:
    """The cells a message names, for checks that cannot be re-evaluated from the facts."""
    figure = _FIGURE.match(message)
    if figure:
        measure, breakdown = figure.groups()
        return frozenset({_key(measure, "" if breakdown == "-" else breakdown)})
    carried = _CARRIED.search(message)
    if check == "cross_year_carryover" and carried and carried.group(1) in _LABEL_TO_BREAKDOWN:
        return frozenset({_key("requests_carried_in", _LABEL_TO_BREAKDOWN[carried.group(1)])})
    column = _COLUMN.search(message)
    if check.startswith("identity_") and column and column.group(1) in _LABEL_TO_BREAKDOWN:
        b = _LABEL_TO_BREAKDOWN[column.group(1)]
        every_row = [r.measure for r in request_rows() if r.role in ("leaf", "group")]
        for identity in identities.request_identities(every_row, group_members()):
            if identity.check == check and f"{identity.name} fails" in message:
                return frozenset(_key(m, b) for m in identity.plus + identity.minus)
    return frozenset()


def cells_of_checks(facts: Sequence[FactRow], checks: Iterable[tuple[str, str]]) -> list[Cells]:
    """For each (check, message), the keys (``measure|breakdown``) of the cells it concerns.

    Args:
        facts: the report's facts.
        checks: the report's checks rows as (check, message).

    Returns:
        One set per check, in order; empty for findings about the document rather than figures.
    """
    checks = list(checks)
    evaluated = _evaluated(facts) if any(c.startswith("identity_") for c, _ in checks) else {}
    return [evaluated.get((check, message)) or _from_message(check, message) for check, message in checks]
