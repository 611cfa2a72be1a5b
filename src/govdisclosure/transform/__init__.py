"""Transform stage: figures out of a cleaned `Document`.

Each extractor module exposes ``extract(doc) -> (facts, findings)`` and knows one kind of source:
`template` the national 2019/2021 tables (grids and flattened text), `narrative` the prose and the
provincial statistics tables of the narrative era. `extract_facts` runs them all and merges their
output under one rule, written here once: in a report that carries the national tables, those
tables are the authoritative statistics, so a prose figure for a measure the tables already give is
not emitted again — it is compared (`agreement.contradictions`), and a disagreement becomes a warning. In narrative reports
both the prose and a statistics table are kept (they often disagree, and analysts must see both).
"""

from __future__ import annotations

from govdisclosure.document import Document, Fact, Finding
from govdisclosure.transform import narrative, national
from govdisclosure.transform.agreement import contradictions


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
    printed = {(fact.measure, fact.breakdown) for fact in table_facts}
    merged = table_facts + [fact for fact in text_facts if (fact.measure, fact.breakdown) not in printed]
    findings += contradictions(text_facts, table_facts, table="table", kept="the table figure is kept")
    return merged, findings
