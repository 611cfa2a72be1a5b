"""Figures of narrative reports: the prose and the provincial statistics tables.

Before 2019 the figures sit in sentences (``全市共受理政府信息公开申请246件``) and, in some
provinces, in a statistics table appended as text. Both are read here, in one pass over the
document:

1. every count (number + unit) is found once (`govdisclosure.transform.numbers.find_quantities`);
2. counts inside a statistics table are left to `stats_table`; the others are read against the
   words before them in their clause (`grammar.classify`), with the breakdown they sit
   in (``不予公开中，…其他原因0件``) as context;
3. runs of ``label + count`` after 其中/包括/类别 in the proactive part are category lists (`lists`);
4. statements of absence (未收到申请, 未收取费用, 无…行政复议) become zeros (`absence`);
5. the statistics table is resolved with the prose figures as hints, and kept beside them: when the
   two disagree both stay and a ``text_contradicts_table`` warning says so (`checks`).

Every count gets a verdict as it is read: the fact it became, or the reason it was rejected
(a change, cumulative, cut off by the end of the page, no measure names it …). `read` returns them
with the facts so that `audit` can list them; `extract` is `read` without the verdicts.

The rules are general (a phrase grammar in data files), never keyed to a file or an agency, and
they err on the side of reading nothing: a figure the grammar cannot place is not emitted.
In 2019/2021-format reports the national tables are another extractor's job and win: a prose
figure of a measure the tables give is only compared with them (`govdisclosure.transform`). The
prose is still read there, because the tables are often cut off by the end of an excerpt or lost
when the page is saved as text (``收到1份政府信息公开申请``, ``全年受理依申请信息公开21件``); what stays
restricted is what prose gets wrong in those formats: a request count that includes carried-over
requests (``含上年结转``) or counts one kind of applicant, and the pre-2019 breakdowns (request
methods, legacy reasons) that the 2019 form no longer has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from govdisclosure import metadata
from govdisclosure.document import Document, Fact, Finding
from govdisclosure.measures import unit_of
from govdisclosure.metadata import NATIONAL_TEMPLATES
from govdisclosure.scope import default_figure_scope, sentence_scope, speaks_of_jurisdiction
from govdisclosure.transform.agreement import contradictions
from govdisclosure.transform.narrative import absence, checks, implied, lists, stats_table
from govdisclosure.transform.narrative.grammar import (
    Match,
    category_label,
    channel_mentions,
    classify,
    is_proactive_total,
    normalise_category,
    not_a_count,
    other_thing,
)
from govdisclosure.transform.narrative.text import TITLE, YEAR, Reading, Text
from govdisclosure.transform.numbers import Quantity, find_quantities

# A phrase longer than this is an enumeration (本报告由概述、…、行政复议…共六个部分), not a measure name.
_MAX_PHRASE = 48
_VERB_SPAN = 6
# After the unit, a word that is not a particle is the counted noun: 3次|新闻发布会, 六个|部分.
_NOUN_FOLLOWS = re.compile(r"\s*[\u4e00-\u9fff《“\"](?<![均已全都并且占的和及与分同较比为中余多次])")


@dataclass(slots=True)
class Read:
    """Everything the extractor decided about one document.

    Attributes:
        text: the document text with its clause positions.
        quantities: every count outside the grids of HTML/PDF/DOCX sources, in text order.
        readings: the prose figures and statements of absence, before consolidation.
        rejected: for a count that became no reading, why (see `audit.REASONS`), by its index.
        facts: the facts `extract` returns.
        findings: the findings `extract` returns.
    """

    text: Text
    quantities: list[Quantity]
    readings: list[Reading]
    rejected: dict[int, str]
    facts: list[Fact] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _prose(t: Text, quantities: list[Quantity], national: bool, skip: set[int],
           rejected: dict[int, str], year: int | None) -> list[Reading]:
    """Read every count outside the statistics tables against the words before it.

    A count that is not read gets its reason in `rejected`.
    """
    readings: list[Reading] = []
    to_date: set[int] = set()
    consumed = lists.category_lists(t, quantities, readings, skip)
    for k, q in enumerate(quantities):
        if k in consumed or k in skip:
            continue
        c_start, c_end = t.clause(q.start)
        prev_end = quantities[k - 1].end if k > 0 else 0
        p_start = max(c_start, prev_end, q.start - _MAX_PHRASE)
        phrase = t.text[p_start:q.start]
        next_start = quantities[k + 1].start if k + 1 < len(quantities) else len(t.text)
        after = t.text[q.end:min(c_end, next_start)]
        noun_follows = bool(_NOUN_FOLLOWS.match(after))
        if (this_year := _this_years_part(t, quantities, k, phrase, readings, year)) is not None:
            to_date.add(this_year.quantity)
            readings.append(Reading(this_year.match, q.value, t.trimmed(p_start, q.end), t.trimmed(c_start, c_end), k))
            continue
        dated = _dated(t, q, year)
        if dated == "to_date":
            to_date.add(k)
            dated = ""
        reason = (not_a_count(phrase) or dated
                  or ("cut_off" if t.cut_off(q.end) else "")
                  or ("other_thing" if noun_follows and other_thing(after, after_count=True) else "")
                  or _figure_of_speech(t, q, phrase))
        if reason:
            rejected[k] = reason
            continue
        # 主动公开政府信息(公文平台发文)113条: a parenthesis between the noun and the count qualifies it.
        phrase = _PAREN_END.sub("", phrase)
        if noun_follows:
            # The count comes before what it counts (举办了3次新闻发布会, 共六个部分组成): the noun
            # after it decides, with only the verb just before it.
            phrase = phrase[-_VERB_SPAN:] + after
        match = classify(phrase, q.unit, group=t.group(p_start), national=national, context=t.context(p_start))
        if match is None:
            match = _channel_named_earlier(t, quantities, k, phrase)
        if match is None:
            rejected[k] = "no_measure"
            continue
        if match.measure == "requests_new" and _WITH_CARRIED_OVER.match(t.text[q.end:t.full_sentence(q.start)[1]]):
            # 共受理申请30件(含上年结转5件): the count adds last year's open requests to the new ones.
            rejected[k] = "includes_carried_over"
            continue
        while p_start < q.start and t.text[p_start] in _LABEL_JUNK:
            p_start += 1
        label, evidence = t.trimmed(p_start, q.end), t.trimmed(c_start, c_end)
        readings.append(Reading(match, q.value, label, evidence, k))
        readings += [Reading(Match("channel_items", channel), q.value, label, evidence, k)
                     for channel in _each_channel(t, q, phrase, match)]
    return _prefer_the_year(readings, to_date, rejected)


# What follows a request count and says it includes requests carried over from the year before.
_WITH_CARRIED_OVER = re.compile(r"[^。；;]{0,4}?[(（]?(?:其中)?[，,]?(?:含|包含|包括)[^。；;)）]{0,8}(?:上年|上一年|去年|结转|转结)")


# 截至…累计/已…: a figure to a date, which is the total since disclosure began, not the year's.
_TO_DATE = re.compile(r"截至|截止|到目前|至今|迄今|目前为止|到现在")
_SINCE = re.compile(r"((?:19|20)\d{2})\s*年(?:[^，,。；;]{0,4})?以来")
_SO_FAR = re.compile(r"累计|已经?(?:主动)?(?:公开|发布|公布|受理|办理)|总共")


_CHINESE_DIGIT = frozenset("零〇○一二两三四五六七八九十")
_ONE_OF = re.compile(r"(?:是|为|的|成为|作为)$")


def _figure_of_speech(t: Text, q: Quantity, phrase: str) -> str:
    """``figure_of_speech`` for a numeral that counts nothing of the year.

    ``…工作是一项长期的重要工作``, ``的一项重要举措``: 一 after 是/的 is an article; a Chinese numeral in
    quotation marks names a slogan (“四个全面”, “八项规定”, “五个公开”).
    """
    if t.text[q.number_start] not in _CHINESE_DIGIT:
        return ""
    if q.value == 1 and _ONE_OF.search(phrase):
        return "figure_of_speech"
    return "figure_of_speech" if phrase.endswith(("“", "\"", "「", "‘")) else ""


def _dated(t: Text, q: Quantity, year: int | None) -> str:
    """Why the sentence dates the count outside the report year, or "" (or ``to_date``, see below).

    * ``cumulative``: 截至目前…累计公开9540条 counts everything to this day, 截至2012年底 in a 2013
      report to another year's end;
    * ``to_date``: 截至2009年12月底…已主动公开8400多条 counts to the end of the report year, which is
      the year's figure or the total since disclosure began: it is kept only when the text gives no
      other figure of the same measure (`_prefer_the_year`);
    * ``cumulative`` too: 2008年以来 in a later year's report (2011年以来 in the 2011 report is the year);
    * ``other_year``: 2010年我镇…公开24余条 printed in a 2009 report (the sentence names other years only).
    """
    before = t.text[t.full_sentence(q.start)[0]:q.start]
    if "年" not in before and not _TO_DATE.search(before):
        return ""  # every rule below needs a year or a 截至 (most counts: one scan each)
    if "《" in before:
        before = TITLE.sub("", before)
    if (m := _TO_DATE.search(before)) and _SO_FAR.search(before, m.end()):
        # 截至目前 has no date: the count runs to the day of writing. 截至12月底 or 截至2009年12月底
        # in the 2009 report counts to the end of the report year.
        dates = {int(y) for y in YEAR.findall(before, m.start())}
        undated = m[0] != "截至" and m[0] != "截止" or before.startswith(("目前", "现在"), m.end())
        return "cumulative" if undated or (dates and dates != {year}) else "to_date"
    if (since := _SINCE.search(before)) and int(since[1]) != year:
        return "cumulative"
    if year is not None:
        years = {int(y) for y in YEAR.findall(before)}
        if years and year not in years:
            return "other_year"
    return ""


_THIS_YEAR_PART = re.compile(r"^[\s，,]*其中[，,]?\s*(?:((?:19|20)\d{2})\s*年度?|本年度?|今年|当年|全年)[，,]?"
                             r"(?:新增)?(?:主动)?(?:公开|发布|受理|收到|访问量?|点击量?)?(?:政府)?(?:信息)?(?:为|是|有|达)?\s*$")


def _this_years_part(t: Text, quantities: list[Quantity], k: int, phrase: str, readings: list[Reading],
                     year: int | None) -> Reading | None:
    """``累计访问量4746万人次，其中2009年度1499万人次``: the reading just before, whose this-year part `k` is.

    The count takes the measure of the figure before it in the sentence (same unit); that figure,
    which runs over several years, then yields to it (`_prefer_the_year`).
    """
    m = _THIS_YEAR_PART.match(phrase)
    if not m or (m[1] and int(m[1]) != year) or not readings or readings[-1].quantity != k - 1:
        return None
    previous = readings[-1]
    same_sentence = t.full_sentence(quantities[k - 1].start) == t.full_sentence(quantities[k].start)
    return previous if same_sentence and quantities[k - 1].unit == quantities[k].unit else None


def _prefer_the_year(readings: list[Reading], to_date: set[int], rejected: dict[int, str]) -> list[Reading]:
    """Drop a figure counted to a date (``to_date``) when another figure of the same measure is given."""
    plain = {r.match for r in readings if r.quantity not in to_date}
    dropped = {r.quantity for r in readings if r.quantity in to_date and r.match in plain}
    rejected.update(dict.fromkeys(dropped, "cumulative"))
    return [r for r in readings if r.quantity not in dropped]


_ANSWERS = ("outcome_withheld", "outcome_disclosed", "outcome_partial", "outcome_already_public")
_SAYS_TOTAL = re.compile(r"共|合计|总计|全[省市县区年]|总数")


def _same_sentence_totals(t: Text, quantities: list[Quantity], readings: list[Reading],
                          rejected: dict[int, str]) -> list[Reading]:
    """Proactive totals judged by the sentence they share with other counts.

    * ``门户网站发布各类信息8632条，其中，发布政府信息公开信息共399条``: a figure introduced by 其中
      after a figure that did not say 主动 is the disclosure total; the first counts everything the
      site posted (news included), so it is dropped (``includes_other_items``).
    * ``省政府…主动公开信息14.9万条；各市政府…39.9万条；各县级政府…82万条``: one sentence listing the
      levels of a jurisdiction gives parts, not a total — a total it would have to say (共, 全省).
    """
    proactive = [r for r in readings if r.match.measure == "proactive_items" and r.quantity is not None]
    dropped: dict[int, str] = {}
    for r in proactive:
        s_start, s_end = t.full_sentence(r.label[0])
        same = [o for o in proactive if o is not r and s_start <= o.label[0] < s_end]
        later = [o for o in same if o.label[0] > r.label[0] and "其中" in t.text[r.label[1]:o.label[0]]]
        if later and "主动" not in t.text[r.label[0]:r.label[1]]:
            dropped[r.quantity] = "includes_other_items"
        elif not _SAYS_TOTAL.search(t.text[r.label[0]:r.label[1]]) and any(
                rejected.get(k) == "part_of_jurisdiction" and s_start <= quantities[k].start < s_end
                 and quantities[k].unit == quantities[r.quantity].unit for k in range(len(quantities))):
            dropped[r.quantity] = "part_of_jurisdiction"
    # 全年共制作政府信息236条，其中主动公开信息158条，依申请公开信息54条，不予公开信息24条: beside the
    # proactive total, 不予公开 sorts information by how it may be disclosed; it answers no request.
    for r in readings:
        if r.match.measure in _ANSWERS and r.quantity is not None and any(
                t.full_sentence(p.label[0]) == t.full_sentence(r.label[0]) for p in proactive):
            dropped[r.quantity] = "information_attribute"
    rejected.update(dropped)
    return [r for r in readings if r.quantity not in dropped]


_PAREN_END = re.compile(r"[(（][^()（）]{0,20}[)）]\s*$")


_EACH = re.compile(r"分别(?:在|通过)?[^，,。；;]{0,4}(?:主动)?(?:公开|发布|公布)")


def _each_channel(t: Text, q: Quantity, phrase: str, match: Match) -> list[str]:
    """``在市政府门户网站和审计局门户网站分别主动公开政府信息148条``: 148 on each channel named.

    Only for a count of published items whose words say 分别 before the verb, when the sentence
    names two or more channels before it.
    """
    if match.measure not in ("proactive_items", "channel_items") or not _EACH.search(phrase):
        return []
    mentions = channel_mentions(t.text[t.full_sentence(q.start)[0]:q.start])
    channels = list(dict.fromkeys(channel for _, channel in mentions))
    return [c for c in channels if c != match.breakdown] if len(channels) >= 2 else []


_REASON_WITHHELD = re.compile(r"而?不予公开\s*$")


def _withheld_from_reason(t: Text, readings: list[Reading]) -> list[Reading]:
    """``因涉及国家秘密而不予公开53件`` also states the withheld total, when it is the only statement.

    With a second reason stated that way (因商业秘密不予公开2件) or a total of its own, the total
    is not the one figure, so none is added.
    """
    if any(r.match.measure == "outcome_withheld" for r in readings):
        return []
    stated = [r for r in readings if r.match.measure.startswith("outcome_withheld_")
              and _REASON_WITHHELD.search(t.text[r.label[0]:r.label[1]].rstrip("0123456789.,件条项个份次 "))]
    if len(stated) != 1:
        return []
    r = stated[0]
    return [Reading(Match("outcome_withheld", "total"), r.value, r.label, r.evidence, r.quantity)]


# What may separate a label from the count before it: closing brackets and conjunctions (（8件）和当面申请).
_LABEL_JUNK = set("）)】」》、和及与 ")


_PUBLISH_RE = re.compile(r"(?:公开|发布|推送|刊登|刊发|公布|更新|播发)(?:了)?(?:政府)?信息(?:共计|总计|合计|共|累计)?(?:为|达到|达)?\s*$")


def _channel_named_earlier(t: Text, quantities: list[Quantity], k: int, phrase: str) -> Match | None:
    """``微博29个，共发布信息1992条``: the channel is named in an earlier clause of the sentence.

    The nearest channel counts, provided no other published-items count stands between it and the
    figure (that count would be the channel's own).
    """
    q = quantities[k]
    if not _PUBLISH_RE.search(phrase) or is_proactive_total(phrase) or q.unit not in ("条", "篇"):
        return None
    s_start, _ = t.sentence(q.start)
    mentions = channel_mentions(t.text[s_start:q.start])
    if not mentions:
        return None
    pos, channel = mentions[-1]
    between = [p for p in quantities[:k] if p.start > s_start + pos and p.unit in ("条", "篇")]
    return None if between else Match("channel_items", channel)


def _scope(t: Text, pos: int, default: str) -> str:
    s_start, s_end = t.sentence(pos)
    return sentence_scope(t.text[s_start:s_end], default)


def _fact(doc: Document, match: Match, value: float, scope: str, method: str,
          label: tuple[int, int], evidence: tuple[int, int]) -> Fact:
    return Fact(match.measure, match.breakdown, float(value), unit_of(match.measure), scope, method,
                doc.text[label[0]:label[1]], doc.text[evidence[0]:evidence[1]], evidence[0], evidence[1])


def _table_group(measure: str | None) -> str:
    return {"proactive_items": "proactive", "requests_new": "requests"}.get(measure or "", "")


def _tables(doc: Document, t: Text, tables: list[stats_table.StatsTable], text_facts: list[Fact],
            national: bool, default_scope: str) -> tuple[list[Fact], list[Finding]]:
    """Facts of the statistics tables, resolved with the prose figures as hints."""
    stated: dict[tuple[str, str], set[float]] = {}
    for f in text_facts:
        stated.setdefault((f.measure, f.breakdown), set()).add(f.value)
    facts, findings = [], []
    for table in tables:
        matches: list[Match | None] = []
        title = t.text[max(0, table.start - 80):table.start]  # 政府信息公开情况统计表
        for row in table.rows:
            parent = matches[row.parent] if row.parent is not None else None
            match = classify(row.label, row.unit, group=_table_group(parent and parent.measure),
                             national=national, source="table", context=title)
            if match is None and parent and parent.measure == "proactive_items" and (label := category_label(row.label)):
                match = Match("proactive_items_by_category", normalise_category(label))
            if parent and match == parent:
                match = None  # a part is never its own total (其他类型答复数 under 答复总数)
            matches.append(match)
        hints = {i: stated[(m.measure, m.breakdown)] for i, m in enumerate(matches)
                 if m and (m.measure, m.breakdown) in stated}
        findings += stats_table.resolve(table, hints)
        heading = t.text[max(0, table.start - 60):table.start]
        scope = "jurisdiction" if speaks_of_jurisdiction(heading) else default_scope
        for row, match in zip(table.rows, matches):
            if match is None or row.value is None:
                continue
            facts.append(_fact(doc, match, row.value[0], scope, "table", (row.start, row.label_end),
                               (row.start, row.end)))
    return facts, findings


def read(doc: Document, report_template: str | None = None) -> Read:
    """Read `doc`: its facts and findings, and a verdict on every count (see `extract`)."""
    t = Text(doc.text)
    if report_template is None:
        report_template = metadata.describe(doc).template
    national = report_template in NATIONAL_TEMPLATES
    tables = stats_table.find_tables(t.text)
    # Grids of HTML/PDF/DOCX sources belong to the template extractor; their header words
    # (未经复议直接起诉) and blank-cell 无 are not sentences.
    grids = [(min(c.start for row in g.rows for c in row), max(c.end for row in g.rows for c in row))
             for g in doc.tables if g.rows and g.rows[0]]
    table_spans = [(tb.start, tb.end) for tb in tables]
    spans = table_spans + grids
    quantities = [q for q in find_quantities(t.text) if not any(a <= q.start < b for a, b in grids)]
    in_tables = {k for k, q in enumerate(quantities) if any(a <= q.start < b for a, b in table_spans)}
    default_scope = default_figure_scope(t.text, national_tables=False)

    rejected: dict[int, str] = {k: "statistics_table" for k in in_tables}
    readings = _prose(t, quantities, national, in_tables, rejected, t.main_year())
    readings = _same_sentence_totals(t, quantities, readings, rejected)
    readings += _withheld_from_reason(t, readings)
    taken = [r.evidence for r in readings]
    readings += absence.zeros(t, taken + spans)
    # After the zeros: its evidence is the whole sentence, which may also state an absence (未收费).
    readings += (implied.all_answered(t, readings) + implied.all_of_one_kind(t, readings)
                 + implied.all_through_one_channel(t, readings)
                 + implied.channel_list_total(t, quantities, readings, rejected)
                 + implied.no_lawsuit_of_either_kind(t, readings))
    raw = [_fact(doc, r.match, r.value, _scope(t, r.evidence[0], default_scope), "text", r.label, r.evidence)
           for r in readings]
    text_facts, findings = checks.consolidate(raw)
    text_facts, request_findings = checks.without_requests(text_facts)
    findings += request_findings
    text_facts += checks.fallback_total(text_facts)
    table_facts, table_findings = _tables(doc, t, tables, text_facts, national, default_scope)
    findings += table_findings + contradictions(text_facts, table_facts, table="statistics table",
                                                kept="both are kept", show_printed_evidence=True)
    findings += checks.parts_checks(text_facts) + checks.ambiguous_totals(t, quantities, rejected, text_facts)
    findings += checks.percentage_checks(t, quantities, {r.quantity for r in readings if r.quantity is not None})
    return Read(t, quantities, readings, rejected, text_facts + table_facts, findings)


def extract(doc: Document, report_template: str | None = None) -> tuple[list[Fact], list[Finding]]:
    """Figures of the prose and of any statistics table in `doc`.

    Args:
        doc: a cleaned document (any era; national-format request tables are left alone).
        report_template: the report's format as `govdisclosure.metadata` decides it; worked out
            here when not given. In the 2019/2021 formats the measures of the pre-2019 form
            (request methods, legacy reasons) are not read from prose, and a request count that
            includes carried-over requests never is.

    Returns:
        The facts (method ``text`` for sentences, ``table`` for statistics-table rows) and the
        findings: contradictions, ambiguous table rows, parts above totals, percentages that fail.
    """
    result = read(doc, report_template)
    return result.facts, result.findings
