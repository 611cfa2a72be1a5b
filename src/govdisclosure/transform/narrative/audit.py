"""The coverage audit: every number with a disclosure unit in a report, and what became of it.

The narrative extractor reads a figure only when its grammar can place it, and says nothing about
the numbers it passes over. That silence hides two kinds of defect — a figure the grammar should
have read, and a number it rightly left alone for a reason nobody can check — so the audit makes
every decision visible. For each count whose unit is one a measure is counted in (条, 件, 宗, 项,
次, 人次, 期, 场, 元, 万元 …) it lists one verdict:

* ``fact`` — the measure and breakdown it became (``dropped`` in `reason` when a repeat or a
  disagreeing statement of the same measure was kept instead);
* ``rejected`` — a stated reason from `REASONS` (a change, cumulative, cut off by the end of the
  page, read as a statistics-table row, a count of another thing …);
* ``unclassified`` — none of the above: the number sits in the text, no rule places it and no rule
  explains why not. These are what a developer reviews first.

The audit re-runs the same `extractor.read` the pipeline runs, so it cannot drift from what
`extract` does; only the explanation of a ``no_measure`` (which other thing is counted) is
computed here, from `data/narrative_other_counts.csv` (`grammar.other_thing`).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from govdisclosure import metadata
from govdisclosure.document import Document
from govdisclosure.metadata import NATIONAL_TEMPLATES
from govdisclosure.transform.narrative import extractor
from govdisclosure.transform.narrative.grammar import classify, other_thing, rules

#: Why a count was not read (the `reason` of a ``rejected`` verdict).
REASONS = {
    "change": "a change or comparison (比上年增加, 同比, 增长 …), not the year's count",
    "cumulative": "a total over several years (历年, 以来, 累计 since the start)",
    "average": "an average (平均, 月均 …)",
    "ordinal_or_rate": "an ordinal or a rate (第一次, 每月一期, 八届四次)",
    "last_year": "last year's figure (上年, 去年)",
    "other_year": "the sentence names another year only (2010年… in a 2009 report)",
    "negated": "part of a statement of absence (没有发生一起), read as 0 by the absence reader",
    "figure_of_speech": "an article or a slogan (是一项重要工作, “四个全面”)",
    "includes_carried_over": "a request count that says it includes requests carried over (含上年结转)",
    "includes_other_items": "a total of everything a site posted, with the disclosure total after 其中",
    "information_attribute": "不予公开/依申请公开 beside a proactive total: information sorted, not requests answered",
    "no_disclosure_noun": "the clause names nothing a measure counts (no 信息, 申请, 复议, 咨询 …)",
    "one_topic": "published items of one topic (财政资金信息, 征地信息), not the total (topic in `detail`)",
    "part_of_jurisdiction": "a subtotal of part of the jurisdiction (其中市级 …, 各县级政府 …)",
    "cut_off": "the last thing on the page: the crawl may have cut the figure",
    "statistics_table": "a row of a statistics table, read by the table reader",
    "national_tables": "a 2019/2021 report: a measure of the pre-2019 form (request methods, legacy reasons) is not read from its prose",
    "other_thing": "counts something no measure covers (named in `detail`)",
    "not_a_report": "the document is not an annual report: nothing in it is read",
}
# The nouns of what the measures count; a clause with none of them is about something else.
_DISCLOSURE_NOUN = re.compile(r"信息|资讯|申请|复议|诉讼|申诉|咨询|收费|费用|发布会|公报|访问|点击|浏览|答复|办结|公开")
#: Verdicts in the order of the summary.
VERDICTS = ("fact", "rejected", "unclassified")


@dataclass(frozen=True, slots=True)
class Verdict:
    """One count of one document and what the extractor made of it.

    Attributes:
        source: the document's path as given.
        number: the count as printed (``近2.4万条``).
        value: its value (万/亿 applied).
        unit: its unit.
        start: offset of the count in the cleaned text.
        end: end offset of the count.
        verdict: ``fact``, ``rejected`` or ``unclassified``.
        measure: for a fact, the measure it became.
        breakdown: for a fact, its breakdown.
        reason: for a rejection, a code of `REASONS`; for a fact, ``dropped`` if not kept.
        detail: what the reason refers to (the other thing counted, …).
        evidence: the clause the count sits in.
        evidence_start: offset of the clause.
        evidence_end: end offset of the clause.
    """

    source: str
    number: str
    value: float
    unit: str
    start: int
    end: int
    verdict: str
    measure: str = ""
    breakdown: str = ""
    reason: str = ""
    detail: str = ""
    evidence: str = ""
    evidence_start: int = 0
    evidence_end: int = 0


@cache
def disclosure_units() -> frozenset[str]:
    """The units some measure is counted in (the units of the phrase rules); 万元 is 元 after 万."""
    return frozenset(unit for rule in rules() for unit in rule.units)


def audit_document(doc: Document, report_template: str | None = None) -> list[Verdict]:
    """A verdict on every count with a disclosure unit in `doc`, in text order.

    Args:
        doc: a cleaned document.
        report_template: its format as `govdisclosure.metadata` decides it (worked out if None).
    """
    if report_template is None:
        report_template = metadata.describe(doc).template
    result = extractor.read(doc, None if report_template == "none" else report_template)
    t, national = result.text, report_template in NATIONAL_TEMPLATES
    kept = {(f.measure, f.breakdown, f.value, f.span_start) for f in result.facts}
    read = {r.quantity: r for r in result.readings if r.quantity is not None}
    verdicts = []
    for k, q in enumerate(result.quantities):
        if q.unit not in disclosure_units():
            continue
        c_start, c_end = t.trimmed(*t.clause(q.start))
        base = {"source": doc.source_path, "number": t.text[q.start:q.end], "value": q.value, "unit": q.unit,
                "start": q.start, "end": q.end, "evidence": t.text[c_start:c_end], "evidence_start": c_start,
                "evidence_end": c_end}
        if report_template == "none":
            verdicts.append(Verdict(**base, verdict="rejected", reason="not_a_report"))
        elif (r := read.get(k)) is not None:
            dropped = (r.match.measure, r.match.breakdown, r.value, r.evidence[0]) not in kept
            verdicts.append(Verdict(**base, verdict="fact", measure=r.match.measure, breakdown=r.match.breakdown,
                                    reason="dropped" if dropped else ""))
        elif (reason := result.rejected.get(k, "no_measure")) != "no_measure":
            verdicts.append(Verdict(**base, verdict="rejected", reason=reason))
        else:
            verdicts.append(_explained(t, q, national, base))
    return verdicts


def _explained(t: extractor.Text, q, national: bool, base: dict) -> Verdict:
    """The verdict on a count no rule placed: the other thing it counts, or unclassified."""
    c_start, c_end = t.clause(q.start)
    phrase = t.text[max(c_start, q.start - 48):q.start]
    if national and classify(phrase, q.unit, group=t.group(q.start), national=False,
                             context=t.context(q.start)) is not None:
        return Verdict(**base, verdict="rejected", reason="national_tables")
    thing = other_thing(t.text[max(c_start, q.start - 48):min(c_end, q.end + 12)])
    if thing:
        return Verdict(**base, verdict="rejected", reason="other_thing", detail=thing)
    if not _DISCLOSURE_NOUN.search(t.text[max(c_start, q.start - 48):min(c_end, q.end + 12)]):
        return Verdict(**base, verdict="rejected", reason="no_disclosure_noun")
    if q.unit in ("条", "篇", "件") and (topic := _one_topic(t, q, c_end)):
        return Verdict(**base, verdict="rejected", reason="one_topic", detail=topic)
    return Verdict(**base, verdict="unclassified")


_TOPIC = re.compile(r"(?:公开|发布|公布|公示)(?:了)?((?:(?!公开|发布|公布|公示|制作|工作)[^，,。；;：:\d()（）]){2,16}?)"
                    r"(?:等)?(?:方面|领域)?(?:的)?(?:类)?(?:政府|政务)?(?:信息|资讯)")
_GENERIC = re.compile(r"^(?:政府|政务|各类|各项|相关|有关|全部|所有|的|各类政府|各类政务)$")


def _one_topic(t: extractor.Text, q, c_end: int) -> str:
    """The topic of a publishing count that names one (公开征地信息61条, 全年共发布380条财政资金信息).

    Only the sentence up to the count and the words right after it are read: the topic a count of
    published items is about, when it is not a generic word (政府, 各类 …).
    """
    window = t.text[t.full_sentence(q.start)[0]:q.start] + "发布" + t.text[q.end:min(c_end, q.end + 12)]
    topics = [m[1].strip("的 ") for m in _TOPIC.finditer(window)]
    topics = [topic for topic in topics if not _GENERIC.match(topic)]
    return topics[-1] if topics else ""


def audit_paths(paths: list[str | Path], read_document: Callable[[Path], Document]) -> list[Verdict]:
    """`audit_document` over every report file under `paths`.

    Args:
        paths: files or folders (searched the way `extract` searches them).
        read_document: how a file becomes a cleaned `Document` (`govdisclosure.pipeline.read_document`);
            passed in because reading belongs to a later stage than this one.

    Returns:
        The verdicts in file order. A file that cannot be read gives one ``unclassified`` row with
        the error in `detail` (no unit, so it is not counted in `summary`): never lost silently.
    """
    from govdisclosure.extract import SUFFIXES
    from govdisclosure.walk import walk

    verdicts: list[Verdict] = []
    for path in walk(list(paths), SUFFIXES):
        try:
            doc = read_document(path)
        except Exception as exc:  # noqa: BLE001 - one unreadable file must not stop the audit
            verdicts.append(Verdict(str(path), "", 0.0, "", 0, 0, "unclassified",
                                    detail=f"unreadable: {type(exc).__name__}: {exc}"))
            continue
        verdicts.extend(audit_document(doc))
    return verdicts


def summary(verdicts: list[Verdict]) -> dict[str, float]:
    """Counts by verdict and by rejection reason, and `coverage`: the share of counts with a fact or a
    stated rejection (1.0 for no counts)."""
    counts = Counter(v.verdict for v in verdicts if v.unit)
    reasons = Counter(v.reason for v in verdicts if v.verdict == "rejected")
    total = sum(counts.values())
    out: dict[str, float] = {"numbers": total, **{v: counts[v] for v in VERDICTS}}
    out.update({f"rejected:{r}": n for r, n in sorted(reasons.items())})
    out["coverage"] = 1.0 if total == 0 else (counts["fact"] + counts["rejected"]) / total
    return out


def write_csv(verdicts: list[Verdict], path: str | Path) -> None:
    """`verdicts` as a UTF-8 CSV (with BOM, so that spreadsheet programs read the Chinese)."""
    fields = list(Verdict.__dataclass_fields__)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(asdict(v) for v in verdicts)
