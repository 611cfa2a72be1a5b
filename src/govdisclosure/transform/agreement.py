"""A figure in the prose against the same figure in a printed table: one rule, one finding.

Reports often state a figure twice, once in a sentence and once in a table (the national tables of
2019/2021, or a province's statistics table in the narrative era), and the two do not always agree
(平潭 2013: 4,970 items in the text, 72,804 in the table). Whoever holds both — the merge of the two
extractors in `govdisclosure.transform`, and the narrative extractor for its statistics tables —
asks here, so that a disagreement is always the same `text_contradicts_table` warning. What is kept
is the caller's decision and is said in the message: the national tables win over prose, while a
narrative report keeps both readings for the analyst.
"""

from __future__ import annotations

from collections.abc import Iterable

from govdisclosure.document import Fact, Finding


def contradictions(text_facts: Iterable[Fact], table_facts: Iterable[Fact], *, table: str, kept: str,
                   show_printed_evidence: bool = False) -> list[Finding]:
    """A warning for each prose figure that differs from every table figure of its measure and breakdown.

    Args:
        text_facts: figures read from sentences.
        table_facts: figures read from the report's table.
        table: what the table is called in the message ("table", "statistics table").
        kept: what the caller keeps, for the message ("the table figure is kept", "both are kept").
        show_printed_evidence: quote the table figure's evidence too.
    """
    printed: dict[tuple[str, str], list[Fact]] = {}
    for fact in table_facts:
        printed.setdefault((fact.measure, fact.breakdown), []).append(fact)
    findings = []
    for fact in text_facts:
        same = printed.get((fact.measure, fact.breakdown))
        if same and all(p.value != fact.value for p in same):
            quoted = f" ({same[0].evidence!r})" if show_printed_evidence else ""
            findings.append(Finding(
                "text_contradicts_table", "warning",
                f"{fact.measure}/{fact.breakdown or '-'}: the text says {fact.value:g} ({fact.evidence!r}) "
                f"but the {table} gives {same[0].value:g}{quoted}; {kept}"))
    return findings
