"""What the narrative extractor says about its own figures: repeats, contradictions, sums, shares.

A report states many figures more than once, and not always the same way. These functions run
after the reading and never invent a figure: equal repeats collapse to one fact, disagreements keep
one and say so, a text figure that differs from its statistics table keeps both, and parts that do
not add up to their printed total are reported (the printed total is kept, never replaced by a sum).
"""

from __future__ import annotations

import re

from govdisclosure.document import Fact, Finding
from govdisclosure.measures import unit_of
from govdisclosure.transform.narrative.grammar import is_proactive_total
from govdisclosure.transform.narrative.text import Text
from govdisclosure.transform.numbers import Quantity, find_quantities

_WEBSITE_CHANNELS = ("gov_portal", "agency_website")

def consolidate(facts: list[Fact]) -> tuple[list[Fact], list[Finding]]:
    """One text figure per measure: equal repeats are dropped, disagreements resolved and reported.

    The proactive total keeps the largest statement (the others are parts: 区直各单位…, 各乡镇…);
    a category or a channel given twice with different values (one list per website, 政策法规15条
    and 政策法规25条) is ambiguous, so neither is kept; any other measure keeps the first statement,
    which in these reports is the one in the section that reports it.
    """
    by_key: dict[tuple[str, str], list[Fact]] = {}
    for fact in facts:
        by_key.setdefault((fact.measure, fact.breakdown), []).append(fact)
    kept, findings = [], []
    for (measure, breakdown), group in by_key.items():
        values = {f.value for f in group}
        if len(values) > 1 and measure in _LIST_MEASURES:
            findings.append(Finding(
                "text_figures_disagree", "warning",
                f"{measure}/{breakdown or '-'}: the text gives {', '.join(f'{v:g}' for v in sorted(values))} "
                f"in different lists; none is kept"))
            continue
        best = max(group, key=lambda f: f.value) if measure == "proactive_items" else group[0]
        kept.append(best)
        if len(values) > 1 and measure != "proactive_items":
            findings.append(Finding(
                "text_figures_disagree", "info",
                f"{measure}/{breakdown or '-'}: the text gives {', '.join(f'{v:g}' for v in sorted(values))}; "
                f"kept {best.value:g} ({best.evidence!r})"))
    return kept, findings


_LIST_MEASURES = ("proactive_items_by_category",)


_OUTCOMES = ("outcome_total", "outcome_disclosed", "outcome_partial", "outcome_withheld", "outcome_already_public")


def without_requests(facts: list[Fact]) -> tuple[list[Fact], list[Finding]]:
    """Answers to requests in a report that says it received none are not answers.

    ``未收到依申请公开的相关文件。不予公开政府信息3条``: with no request there is nothing to withhold
    from an applicant, so the 3 counts information withheld from proactive disclosure. The outcome
    is dropped and a warning says so.
    """
    if not any(f.measure == "requests_new" and f.value == 0 for f in facts):
        return facts, []
    odd = [f for f in facts if f.measure in _OUTCOMES and f.value > 0 and f.method == "text"]
    findings = [Finding("outcome_without_requests", "warning",
                        f"{f.measure}: {f.value:g} ({f.evidence!r}) although the report received no "
                        f"request; not read as an answer to requests") for f in odd]
    return [f for f in facts if f not in odd], findings


def fallback_total(facts: list[Fact]) -> list[Fact]:
    """A report whose only proactive count is ``在门户网站公开发布信息共92条``: that is its total.

    Judgement call: when no total is stated and exactly one channel figure is given, and it is a
    website, the agency published through that website alone, so the figure is the total. When
    several channels are given, the one whose words announce proactive disclosure itself
    (``在门户网站主动公开政府信息405条`` beside ``在局网站公开信息1469条``) is the total, if it is the only one.
    """
    if any(f.measure == "proactive_items" for f in facts):
        return []
    channels = [f for f in facts if f.measure == "channel_items"]
    announced = [f for f in channels if announces_proactive(f.label)]
    if len(channels) == 1 and channels[0].breakdown in _WEBSITE_CHANNELS:
        c = channels[0]
    elif len(announced) == 1:
        c = announced[0]
    else:
        return []
    return [Fact("proactive_items", "", c.value, unit_of("proactive_items"), c.scope, c.method, c.label,
                 c.evidence, c.span_start, c.span_end)]


def announces_proactive(label: str) -> bool:
    """Whether the words of a channel figure's label (before its count) say 主动公开…政府信息."""
    counts = find_quantities(label)
    return bool(counts) and "主动" in label and is_proactive_total(label[:counts[-1].start])


_PARTS = (
    ("proactive_items", lambda f: f.measure == "proactive_items_by_category"),
    ("requests_new", lambda f: f.measure == "requests_by_method"),
    ("outcome_total", lambda f: f.measure in ("outcome_already_public", "outcome_disclosed", "outcome_partial",
                                              "outcome_withheld")),
)


def parts_checks(facts: list[Fact]) -> list[Finding]:
    """Parts listed after a total are compared with it; both stay, whatever the sum.

    Parts above the total are a contradiction (``parts_exceed_total``, a warning); parts below it are
    common (lists are partial, pages are cut) and only noted (``parts_short_of_total``), so that a
    reader sees the gap. A total is never derived from parts, nor replaced by their sum.
    """
    findings = []
    for total_measure, is_part in _PARTS:
        totals = [f for f in facts if f.measure == total_measure and f.method == "text"]
        parts = [f for f in facts if is_part(f) and f.method == "text"]
        if not (totals and parts):
            continue
        summed, total = sum(p.value for p in parts), totals[0]
        if summed > total.value:
            findings.append(Finding(
                "parts_exceed_total", "warning",
                f"{total_measure}: the parts stated in the text sum to {summed:g}, "
                f"more than the total {total.value:g} ({total.evidence!r}); both are kept"))
        elif summed < total.value and len(parts) > 1:
            findings.append(Finding(
                "parts_short_of_total", "info",
                f"{total_measure}: the {len(parts)} parts stated in the text sum to {summed:g}, "
                f"less than the total {total.value:g} ({total.evidence!r}); both are kept"))
    return findings


def ambiguous_totals(t: Text, quantities: list[Quantity], rejected: dict[int, str],
                     facts: list[Fact]) -> list[Finding]:
    """A warning when the text gives the proactive figures of parts of a jurisdiction and no total.

    ``省政府…14.9万条；各市…39.9万条；各县级…82万条`` leaves the total unstated: it is not derived
    (the parts may overlap or be incomplete), and the reader is told why the measure is empty.
    """
    if any(f.measure == "proactive_items" for f in facts):
        return []
    parts = [quantities[k] for k, reason in rejected.items()
             if reason == "part_of_jurisdiction" and "公开" in t.text[t.clause(quantities[k].start)[0]:quantities[k].start]]
    if len(parts) < 2:
        return []
    printed = ", ".join(t.text[q.start:q.end] for q in parts)
    return [Finding("ambiguous_total", "warning",
                    f"proactive_items: the text gives figures for parts of the jurisdiction ({printed}) "
                    f"but no total; none is read")]


_SHARE_RE = re.compile(r"[\s，,；;(（]*占[^\d%，,。；;]{0,6}(\d+(?:\.\d+)?)\s*%")


def percentage_checks(t: Text, quantities: list[Quantity], used: set[int]) -> list[Finding]:
    """``不予公开15件,占6.10%``: the share must match the count over some total stated before it."""
    findings = []
    for k in used:
        q = quantities[k]
        next_start = quantities[k + 1].start if k + 1 < len(quantities) else len(t.text)
        m = _SHARE_RE.match(t.text[q.end:min(next_start, q.end + 20)])
        if not m:
            continue
        pct = float(m[1])
        decimals = len(m[1].partition(".")[2])
        tolerance = 0.5 * 10 ** -decimals + 1e-9
        bases = [p.value for p in quantities[:k] if p.value > 0 and q.start - p.start < 600]
        if bases and not any(abs(q.value / b * 100 - pct) <= tolerance for b in bases):
            findings.append(Finding(
                "percentage_mismatch", "info",
                f"{t.text[q.start:q.end]!r} is printed as {pct:g}% but matches no total stated before it"))
    return findings
