"""Transform stage: figures out of a cleaned `Document`.

Each extractor module exposes ``extract(doc) -> (facts, findings)`` and knows one kind of source:
`template` the national 2019/2021 tables (grids and flattened text), `narrative` the prose and the
provincial statistics tables of the narrative era. `extract_facts` runs them all and merges their
output under one rule, written here once: in a report that carries the national tables, those
tables are the authoritative statistics, so a prose figure for a measure the tables already give is
not emitted again — it is compared, and a disagreement becomes a warning. In narrative reports
both the prose and a statistics table are kept (they often disagree, and analysts must see both).
"""

from __future__ import annotations

from govdisclosure.document import Document, Fact, Finding
from govdisclosure.transform import narrative, national


def extract_facts(doc: Document, report_template: str) -> tuple[list[Fact], list[Finding]]:
    """Every figure of one document, with the findings the extractors raised.

    Args:
        doc: a read and cleaned document.
        report_template: its format as `govdisclosure.metadata` decided it (narrative, 2019, 2021).
    """
    table_facts, findings = national.extract(doc, report_template)
    text_facts, text_findings = narrative.extract(doc, report_template)
    findings = findings + text_findings
    if not table_facts:
        return text_facts, findings
    by_key = {}
    for fact in table_facts:
        by_key.setdefault((fact.measure, fact.breakdown), []).append(fact)
    merged = list(table_facts)
    for fact in text_facts:
        printed = by_key.get((fact.measure, fact.breakdown))
        if printed is None:
            merged.append(fact)
        elif all(p.value != fact.value for p in printed):
            findings.append(Finding(
                "text_contradicts_table", "warning",
                f"{fact.measure}/{fact.breakdown or '-'}: the text says {fact.value:g} ({fact.evidence!r}) "
                f"but the table gives {printed[0].value:g}; the table figure is kept"))
    return merged, findings
