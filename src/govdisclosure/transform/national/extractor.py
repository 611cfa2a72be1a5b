"""Facts from the three tables of the national format (2019 and 2021): the template extractor.

Every report since 2019 carries the same three tables: proactive disclosure (第二十条), requests
received and how they were handled, and administrative reconsideration / litigation. They reach
us either as grids (`Document.tables`, read by `grid`) or flattened into plain text
(read by `flat`, which solves for the lost cell boundaries). Both readers return
`Reading` objects; the rules that turn readings into facts are applied here, once, whatever the
source:

- A table whose cells are all blank (the blank form) gives nothing; in a table that has figures a
  blank cell is 0, as the form intends.
- A group heading of the request table that carries figures is a printed subtotal when its rows
  are printed too (kept for a check, not emitted), and the row itself when they are not (the single
  （六）其他处理 row of 2019, or of 2021 reports that keep the old form).
- The group totals of docs/coding_rules.md (不予公开, 无法提供, 不予处理, and 其他处理 when its three rows are
  printed) and litigation_total are derived from the printed cells, with ``method=derived``.
- The identities of `identities` are evaluated on the printed figures and
  every failure becomes a finding; the figures themselves are kept as printed.

Grids are preferred: a table kind is read from the flattened text only when no grid gives it.
"""

from __future__ import annotations

from collections.abc import Callable

from govdisclosure import metadata
from govdisclosure.document import Document, Fact, Finding
from govdisclosure.measures import APPLICANT_BREAKDOWNS, APPLICANT_LABELS_ZH, unit_of
from govdisclosure.metadata import NATIONAL_TEMPLATES
from govdisclosure.national_form import group_members, request_row
from govdisclosure.scope import default_figure_scope
from govdisclosure.transform.national import flat, grid, identities
from govdisclosure.transform.national.values import Reading

#: The request section heading exists only in the 2019/2021 formats: such a report must have the tables.
#: Statements that the figures cover a whole jurisdiction rather than the reporting agency alone.
_TABLE_NAMES = {"proactive": "主动公开政府信息情况 (第二十条)", "request": "收到和处理政府信息公开申请情况",
                "review": "政府信息公开行政复议、行政诉讼情况"}

Reader = Callable[..., tuple[list[Reading], list[Finding]]]
_READERS: tuple[tuple[str, Reader, Reader], ...] = (
    ("proactive", grid.read_proactive, flat.read_proactive),
    ("request", grid.read_request, flat.read_request),
    ("review", grid.read_review, flat.read_review),
)


def extract(doc: Document, report_template: str | None = None) -> tuple[list[Fact], list[Finding]]:
    """Facts and findings from the national-format tables of one document.

    Args:
        doc: a read and cleaned document.
        report_template: the report's format as `govdisclosure.metadata` decides it; worked out
            here when not given. A table the format requires but the report lacks is reported
            only for the 2019 and 2021 formats.

    Returns:
        The facts (``method`` table or derived) and the findings: identity failures, ambiguous
        splits of flattened rows, unreadable cells, tables the format requires but the report lacks.
    """
    if report_template is None:
        report_template = metadata.describe(doc).template
    national = report_template in NATIONAL_TEMPLATES
    skip = grid.covered_spans(doc)
    scope = _scope(doc)
    facts: list[Fact] = []
    findings: list[Finding] = []
    for kind, grid_reader, flat_reader in _READERS:
        readings, found = grid_reader(doc)
        if not readings:
            flat, flat_found = flat_reader(doc, skip)
            readings, found = flat, found + flat_found
        findings += found
        if not readings:
            if national:
                findings.append(Finding("template_table_missing", "warning",
                                        f"the report follows the national format but its table "
                                        f"{_TABLE_NAMES[kind]} could not be found"))
            continue
        if all(r.value is None for r in readings):
            continue  # the form printed blank: no figures at all, so no zeros either
        if kind == "request":
            new_facts, new_findings = _request_facts(doc, readings, scope)
        elif kind == "review":
            new_facts, new_findings = _review_facts(doc, readings, scope)
        else:
            new_facts, new_findings = [_fact(r, scope) for r in _zero_blanks(readings)], []
        facts += new_facts
        findings += new_findings
    return facts, findings


def _zero_blanks(readings: list[Reading]) -> list[Reading]:
    """The readings of a table that has figures, its blank cells read as 0."""
    return [r if r.value is not None else
            Reading(r.measure, r.breakdown, 0.0, r.unit, r.label, r.evidence, r.start, r.end, r.role)
            for r in readings]


def _fact(r: Reading, scope: str, method: str = "table") -> Fact:
    unit = r.unit if r.unit and unit_of(r.measure) in ("as_printed", "10k_yuan") else unit_of(r.measure)
    return Fact(r.measure, r.breakdown, float(r.value), unit, scope, method, r.label, r.evidence,
                r.start, r.end)


def _derived(doc: Document, measure: str, breakdown: str, parts: list[Reading], label: str,
             scope: str) -> Fact:
    """A sum of printed cells; its evidence is the stretch of text that holds them all."""
    start, end = min(p.start for p in parts), max(p.end for p in parts)
    return Fact(measure, breakdown, float(sum(p.value for p in parts)), unit_of(measure), scope, "derived",
                label, doc.text[start:end], start, end)


def _request_facts(doc: Document, readings: list[Reading], scope: str) -> tuple[list[Fact], list[Finding]]:
    printed_rows = {r.measure for r in readings}
    with_members = {group for group, members in group_members().items() if printed_rows & set(members)}
    # A group heading with its rows below and no figures of its own is only a heading.
    headings = {group for group in with_members
                if all(r.value is None for r in readings if r.measure == group)}
    readings = _zero_blanks([r for r in readings if r.measure not in headings])
    printed_rows -= headings
    cells = {(r.measure, r.breakdown): r for r in readings}
    subtotals = {group: [m for m in group_members()[group] if m in printed_rows]
                 for group in with_members - headings if group in printed_rows}
    facts = [_fact(r, scope) for r in readings if r.measure not in subtotals]
    for group, members in group_members().items():
        if group in printed_rows and group not in subtotals:
            continue  # the heading is printed as a row of its own, read above
        for b in APPLICANT_BREAKDOWNS:
            parts = [cells.get((m, b)) for m in members]
            if all(parts):
                label = f"{request_row(group).label} 小计(派生:{len(members)}项之和) / {APPLICANT_LABELS_ZH[b]}"
                facts.append(_derived(doc, group, b, parts, label, scope))
    leaves = sorted({r.measure for r in readings
                     if r.role == "leaf" or (r.role == "group" and r.measure not in subtotals)})
    values = {key: r.value for key, r in cells.items()}
    # In the order the form prints them, so the findings of a run do not depend on the hash seed.
    in_form_order = [m for m in dict.fromkeys(r.measure for r in readings) if m in printed_rows]
    findings = identities.check_request(values, identities.request_identities(leaves, subtotals),
                                               present_rows=in_form_order)
    return facts, findings


def _review_facts(doc: Document, readings: list[Reading], scope: str) -> tuple[list[Fact], list[Finding]]:
    readings = _zero_blanks(readings)
    facts = [_fact(r, scope) for r in readings]
    by_measure = {r.measure: r for r in readings}
    parts = [by_measure.get("litigation_direct_total"), by_measure.get("litigation_after_review_total")]
    if all(parts):
        facts.append(_derived(doc, "litigation_total", "", parts,
                              "行政诉讼 总计(派生:未经复议直接起诉总计+复议后起诉总计)", scope))
    return facts, identities.check_review({m: r.value for m, r in by_measure.items()})


def _scope(doc: Document) -> str:
    """``jurisdiction`` when the report says its figures sum up a whole area, else ``agency``."""
    return default_figure_scope(doc.text, national_tables=True)
