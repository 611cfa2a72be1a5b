"""Figures of narrative reports: the prose and the provincial statistics tables.

Before 2019 the figures sit in sentences (``全市共受理政府信息公开申请246件``) and, in some
provinces, in a statistics table appended as text. Both are read here, in one pass over the
document:

1. every count (number + unit) is found once (`govdisclosure.transform.numbers.find_quantities`);
2. counts inside a statistics table are left to `stats_table`; the others are read against the
   words before them in their clause (`grammar.classify`), with the breakdown they sit
   in (``不予公开中，…其他原因0件``) as context;
3. runs of ``label + count`` after 其中/包括/类别 in the proactive part are category lists;
4. statements of absence (未收到申请, 未收取费用, 无…行政复议) become zeros;
5. the statistics table is resolved with the prose figures as hints, and kept beside them: when the
   two disagree both stay and a ``text_contradicts_table`` warning says so.

The rules are general (a phrase grammar in data files), never keyed to a file or an agency, and
they err on the side of reading nothing: a figure the grammar cannot place is not emitted.
In 2019/2021-format reports the national tables are another extractor's job, so only the figures
those tables lack (proactive totals, channels, fees …) or that are unambiguous in prose are read.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from govdisclosure import metadata
from govdisclosure.document import Document, Fact, Finding
from govdisclosure.measures import unit_of
from govdisclosure.metadata import NATIONAL_TEMPLATES
from govdisclosure.transform.narrative import stats_table
from govdisclosure.transform.narrative.grammar import (
    Match,
    category_label,
    channel_mentions,
    channel_of,
    classify,
    is_proactive_total,
    label_shape,
    names_an_action,
    normalise_category,
    not_a_count,
)
from govdisclosure.transform.numbers import Quantity, find_quantities
from govdisclosure.transform.scope import summarises_jurisdiction

_CLAUSE_END = "，,；;。：:！!？?\n\t"
_SENTENCE_END = "；;。！!？?\n"
_FULL_STOP = "。！!？?\n"
# The same sets as patterns: positions are found by the regex engine, not a Python loop per character.
# (Patterns that start with a character or a class are scanned for quickly; lookarounds come after.)
_CLAUSE_END_RE = re.compile("[" + re.escape(_CLAUSE_END.replace(",", "")) + r"]|,(?!(?<=\d,)\d)")
_SENTENCE_END_RE = re.compile("[" + re.escape(_SENTENCE_END) + "]")
_FULL_STOP_RE = re.compile("[" + re.escape(_FULL_STOP) + "]")
_HEADING_RE = re.compile(r"(?=[一二三四五六七八九十（(\d])(?:^|(?<=[\s。；;：:]))(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d{1,2}[.．、](?!\d))")
#: The words that open a breakdown, and the group each opens.
_GROUP_HEADS = {"不予公开": "withheld", "否决公开": "withheld", "复议": "review", "诉讼": "litigation",
                "主动公开": "proactive"}
_GROUP_HEAD_RE = re.compile("|".join(_GROUP_HEADS))
_JURISDICTION_RE = re.compile(r"全(?:市|区|县|省|州|盟|旗|镇|乡|系统)|全局系统|各地各部门|各(?:单位|部门|乡镇|街道)|本系统")
# 本机关/本单位 also occur in reasons (不属于本机关), so only 我局-style subjects mark the agency.
_AGENCY_RE = re.compile(r"我(?:局|委|办|厅|院|署|单位|部门)|本(?:局|委|厅)|局机关")
_LIST_INTRO = re.compile(r"其中|包括|类别|分别|主要有|内容分|按.{0,8}分|分类|信息中[，,:：]")
_LIST_TOPIC = re.compile(r"类别|类型|内容分|分类")
_PROACTIVE_MENTION = re.compile(r"主动公开.{0,20}?信息|公开发布信息|发布信息|公开.{0,4}政府信息|公布政府信息")
_LIST_GAP = re.compile(r"^[\s，,；;、]*(?:占[^，,；;。]{0,12}%[\s，,；;、]*)?$")
_NEGATION = re.compile(r"未(?!经)|没有|无(?!法|正当|需|偿|论|关|缝|纸|其他)|不存在|不收取|免收")
_WEBSITE_CHANNELS = ("gov_portal", "agency_website")
# A phrase longer than this is an enumeration (本报告由概述、…、行政复议…共六个部分), not a measure name.
_MAX_PHRASE = 48
_VERB_SPAN = 6
# After the unit, a word that is not a particle is the counted noun: 3次|新闻发布会, 六个|部分.
_NOUN_FOLLOWS = re.compile(r"\s*[\u4e00-\u9fff《“\"](?<![均已全都并且占的和及与分同较比为中余多次])")


@dataclass(slots=True)
class _Reading:
    """A figure read from the prose, before scope and consolidation.

    Attributes:
        match: what the figure measures.
        value: the figure.
        label: offsets of the phrase and count as printed.
        evidence: offsets of the clause it was read from.
        quantity: index of the count among the document's counts (None for a statement of absence).
    """

    match: Match
    value: float
    label: tuple[int, int]
    evidence: tuple[int, int]
    quantity: int | None = None


class _Text:
    """The document text with the positions every reader needs (clauses, sentences, headings)."""

    def __init__(self, text: str):
        self.text = text
        # A comma between digits is a thousands separator (2,356条), not the end of a clause.
        self.clause_ends = [m.start() for m in _CLAUSE_END_RE.finditer(text)]
        self.sentence_ends = [m.start() for m in _SENTENCE_END_RE.finditer(text)]
        self.full_stops = [m.start() for m in _FULL_STOP_RE.finditer(text)]
        self.headings = [m.start() for m in _HEADING_RE.finditer(text)]
        self.heads = [(m.start(), _GROUP_HEADS[m.group()]) for m in _GROUP_HEAD_RE.finditer(text)]

    @staticmethod
    def _around(ends: list[int], pos: int, length: int) -> tuple[int, int]:
        i = bisect.bisect_left(ends, pos)
        start = ends[i - 1] + 1 if i > 0 else 0
        end = ends[i] if i < len(ends) else length
        return start, end

    def clause(self, pos: int) -> tuple[int, int]:
        return self._around(self.clause_ends, pos, len(self.text))

    def sentence(self, pos: int) -> tuple[int, int]:
        return self._around(self.sentence_ends, pos, len(self.text))

    def full_sentence(self, pos: int) -> tuple[int, int]:
        """The sentence around `pos` up to 。, across semicolons (the object of 办结 may be before one)."""
        return self._around(self.full_stops, pos, len(self.text))

    def context(self, pos: int) -> str:
        """What a phrase at `pos` may take its object from: its section heading and its sentence so far."""
        i = bisect.bisect_right(self.headings, pos)
        heading = ""
        if i > 0:
            h = self.headings[i - 1]
            heading = re.split(r"[。\n]", self.text[h:min(pos, h + 60)], maxsplit=1)[0]
        return heading + "\n" + self.text[self.full_sentence(pos)[0]:pos]

    def group(self, pos: int) -> str:
        """The breakdown `pos` sits in: the last group word since the last heading."""
        i = bisect.bisect_right(self.headings, pos)
        block_start = self.headings[i - 1] if i > 0 else 0
        j = bisect.bisect_left(self.heads, (pos, ""))
        if j > 0 and self.heads[j - 1][0] >= block_start:
            return self.heads[j - 1][1]
        return ""

    def trimmed(self, start: int, end: int) -> tuple[int, int]:
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return start, end


def _prose(t: _Text, quantities: list[Quantity], national: bool) -> list[_Reading]:
    """Read every count outside the statistics tables against the words before it."""
    readings: list[_Reading] = []
    consumed = _category_lists(t, quantities, readings)
    for k, q in enumerate(quantities):
        if k in consumed:
            continue
        c_start, c_end = t.clause(q.start)
        prev_end = quantities[k - 1].end if k > 0 else 0
        p_start = max(c_start, prev_end, q.start - _MAX_PHRASE)
        phrase = t.text[p_start:q.start]
        if not_a_count(phrase):
            continue
        next_start = quantities[k + 1].start if k + 1 < len(quantities) else len(t.text)
        after = t.text[q.end:min(c_end, next_start)]
        if _NOUN_FOLLOWS.match(after):
            # The count comes before what it counts (举办了3次新闻发布会, 共六个部分组成): the noun
            # after it decides, with only the verb just before it.
            phrase = phrase[-_VERB_SPAN:] + after
        match = classify(phrase, q.unit, group=t.group(p_start), national=national, context=t.context(p_start))
        if match is None:
            match = _channel_named_earlier(t, quantities, k, phrase)
        if match is None:
            continue
        while p_start < q.start and t.text[p_start] in _LABEL_JUNK:
            p_start += 1
        readings.append(_Reading(match, q.value, t.trimmed(p_start, q.end), t.trimmed(c_start, c_end), k))
    return readings


# What may separate a label from the count before it: closing brackets and conjunctions (（8件）和当面申请).
_LABEL_JUNK = set("）)】」》、和及与 ")


_PUBLISH_RE = re.compile(r"(?:公开|发布|推送|刊登|刊发|公布|更新|播发)(?:了)?(?:政府)?信息(?:共计|总计|合计|共|累计)?(?:为|达到|达)?\s*$")


def _channel_named_earlier(t: _Text, quantities: list[Quantity], k: int, phrase: str) -> Match | None:
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


_LIST_UNITS = ("条", "件", "项", "篇")


@dataclass(slots=True)
class _ListItem:
    """A count that may be an item of a category list (``概况类3条``) or of a channel list (``门户网站12条``).

    Attributes:
        label: the category label as printed, if the words before the count are one. Until
            `verified`, only its cheap checks have been made (see `grammar.label_shape`).
        channel: the channel named before the count, when there is no label.
        item_start: where the item's words begin (after the last clause mark before the count).
        label_start: where the label or channel name begins.
        verified: the label has passed the verb test too.
    """

    label: str | None
    channel: str | None
    item_start: int
    label_start: int
    verified: bool = False


def _list_item(t: _Text, quantities: list[Quantity], j: int) -> _ListItem | None:
    """Count `j` as a possible list item, or None when it cannot be one (its verb test is left to `_verify`).

    当面申请 or 同意公开 is a measure of its own, never a kind of information.
    """
    q = quantities[j]
    if q.unit not in _LIST_UNITS:
        return None
    prev_end = quantities[j - 1].end if j > 0 else 0
    s_start, _ = t.sentence(q.start)
    segment_start = max(prev_end, s_start)
    segment = t.text[segment_start:q.start]
    cut = max(segment.rfind(ch) for ch in "，,；;：:") + 1
    label = label_shape(segment[cut:])
    if label is not None and classify(label, q.unit) is not None:
        label = None
    item = _ListItem(label, None, segment_start + cut, 0)
    return _with_channel(item, segment[cut:]) if label is None else _located(item, segment[cut:])


def _with_channel(item: _ListItem, words: str) -> _ListItem | None:
    """`item` as a channel-list item, or None when `words` name no single channel."""
    channel_text = words.strip()
    item.label, item.verified = None, True
    item.channel = channel_of(channel_text) if len(channel_text) <= 12 else None
    return _located(item, words) if item.channel else None


def _located(item: _ListItem, words: str) -> _ListItem:
    item.label_start = item.item_start + words.find(item.label or words.strip())
    return item


def _verify(t: _Text, quantities: list[Quantity], j: int, item: _ListItem | None) -> _ListItem | None:
    """`item` with its label put to the verb test: a label that names an action may still be a channel."""
    if item is None or item.verified:
        return item
    if not names_an_action(item.label):
        item.verified = True
        return item
    return _with_channel(item, t.text[item.item_start:quantities[j].start])


def _category_lists(t: _Text, quantities: list[Quantity], readings: list[_Reading]) -> set[int]:
    """Find ``其中，概况类3条，…`` lists; append their items to `readings`; return the indices used."""
    candidates = [_list_item(t, quantities, j) for j in range(len(quantities))]
    # The verb test (jieba) is slow, and only items with a candidate beside them can form a list of two.
    items = [_verify(t, quantities, j, item)
             if item and ((j > 0 and candidates[j - 1]) or (j + 1 < len(candidates) and candidates[j + 1]))
             else None
             for j, item in enumerate(candidates)]
    consumed: set[int] = set()
    k = 0
    while k < len(quantities):
        run: list[tuple[int, _ListItem]] = []
        j = k
        while j < len(quantities) and (item := items[j]) is not None:
            if run:
                gap = t.text[quantities[j - 1].end:item.item_start]
                if not _LIST_GAP.match(gap) or quantities[j].unit != quantities[run[0][0]].unit:
                    break
            run.append((j, item))
            j += 1
        if len(run) >= 2 and _anchored(t, run[0][1].label_start):
            for j, item in run:
                q = quantities[j]
                match = (Match("proactive_items_by_category", normalise_category(item.label)) if item.label
                         else Match("channel_items", item.channel))
                readings.append(_Reading(match, q.value, (item.label_start, q.end),
                                         t.trimmed(*t.clause(q.start)), j))
                consumed.add(j)
            k = j
        else:
            k += 1
    return consumed


def _anchored(t: _Text, label_start: int) -> bool:
    """A list counts as categories only after 其中/包括/类别 that follow a proactive total.

    The total is in the same sentence (``…公开发布信息共92条，其中，…``) or, for a list that opens
    a sentence with 其中, in the sentence before; a list introduced by 类别/按内容分 needs no total.
    """
    s_start = t.full_sentence(label_start)[0]
    intro = t.text[s_start:label_start]
    if not _LIST_INTRO.search(intro[-40:]) or "申请" in t.context(label_start):
        return False  # 按申请内容分，涉及征地拆迁的112件: kinds of requests, not of published information
    if _LIST_TOPIC.search(intro) or _PROACTIVE_MENTION.search(intro):
        return True
    previous = t.text[t.full_sentence(max(0, s_start - 2))[0]:s_start]
    return intro.lstrip().startswith("其中") and bool(_PROACTIVE_MENTION.search(previous))


_ZERO_TARGETS = (
    ("reconsideration_total", re.compile(r"复议"), re.compile(r"费用|支出")),
    ("litigation_total", re.compile(r"诉讼"), re.compile(r"费用|支出")),
    ("complaints_total", re.compile(r"申诉"), re.compile(r"费用|支出")),
    ("fees_collected", re.compile(r"收取|收费|信息处理费"), re.compile(r"支出|经费|投入|预算")),
)
# A statement of absence counts only when it is about information disclosure (in the clause or in
# the heading of its section): 未发生行政复议 in a 法制办 report may be about anything.
_DISCLOSURE = re.compile(r"信息公开|公开申请|申请公开|依申请|政府信息|信息处理费|收费(?:及减免)?情况")
_REQUEST_ZERO = re.compile(r"(?:收到|受理|接到|发生|有).{0,20}?(?:政府信息公开|依申请公开|公开)?.{0,6}申请|依申请公开(?:事项|情况)")


def _zeros(t: _Text, taken: list[tuple[int, int]]) -> list[_Reading]:
    """Statements of absence: 未收到申请, 未收取费用, 无…行政复议 (and a heading followed by 无)."""
    readings = []
    ends = [*t.clause_ends, len(t.text)]
    # Every statement of absence has a negation (无, 没有, 未发生 …), and a negation never spans a
    # clause mark, so only the clauses where one is found are read.
    negated = sorted({bisect.bisect_left(ends, m.start()) for m in _NEGATION.finditer(t.text)})
    for i in negated:
        start, end = (ends[i - 1] + 1 if i > 0 else 0), ends[i]
        clause = t.text[start:end]
        c_start, c_end = t.trimmed(start, end)
        stripped = clause.strip()
        subject, neg_at = clause, None
        if stripped in ("无", "没有", "未发生", "无此类情况", "无相关情况"):
            p_start, p_end = t.clause(start - 1) if start > 0 else (0, 0)
            subject, neg_at = t.text[p_start:p_end], -1
            c_start = t.trimmed(p_start, p_end)[0]
        elif (m := _NEGATION.search(clause)) and not find_quantities(clause):
            neg_at = m.start()
        if neg_at is not None and not any(a <= c_start < b for a, b in taken) \
                and _DISCLOSURE.search(subject + t.context(c_start)):
            for measure in _zero_measures(subject, neg_at):
                readings.append(_Reading(Match(measure, "total" if measure == "requests_new" else ""), 0.0,
                                         (c_start, c_end), (c_start, c_end)))
    return readings


def _zero_measures(subject: str, neg_at: int) -> list[str]:
    """The measures a negated clause declares zero; the negation must come before what it denies."""
    found = []
    for measure, word, unless in _ZERO_TARGETS:
        m = word.search(subject)
        if m and m.start() > neg_at and not unless.search(subject):
            found.append(measure)
    if not found and (m := _REQUEST_ZERO.search(subject)) and m.start() >= neg_at \
            and not re.search(r"复议|诉讼|咨询|信访|投诉|费", subject):
        found.append("requests_new")
    return found


def _scope(t: _Text, pos: int, default: str) -> str:
    s_start, s_end = t.sentence(pos)
    sentence = t.text[s_start:s_end]
    if _JURISDICTION_RE.search(sentence):
        return "jurisdiction"
    if _AGENCY_RE.search(sentence):
        return "agency"
    return default


def _fact(doc: Document, match: Match, value: float, scope: str, method: str,
          label: tuple[int, int], evidence: tuple[int, int]) -> Fact:
    return Fact(match.measure, match.breakdown, float(value), unit_of(match.measure), scope, method,
                doc.text[label[0]:label[1]], doc.text[evidence[0]:evidence[1]], evidence[0], evidence[1])


def _consolidate(facts: list[Fact]) -> tuple[list[Fact], list[Finding]]:
    """One text figure per measure: equal repeats are dropped, disagreements resolved and reported.

    The proactive total keeps the largest statement (the others are parts: 区直各单位…, 各乡镇…);
    any other measure keeps the first statement, which in these reports is the one in the section
    that reports it.
    """
    by_key: dict[tuple[str, str], list[Fact]] = {}
    for fact in facts:
        by_key.setdefault((fact.measure, fact.breakdown), []).append(fact)
    kept, findings = [], []
    for (measure, breakdown), group in by_key.items():
        values = {f.value for f in group}
        best = max(group, key=lambda f: f.value) if measure == "proactive_items" else group[0]
        kept.append(best)
        if len(values) > 1 and measure != "proactive_items":
            findings.append(Finding(
                "text_figures_disagree", "info",
                f"{measure}/{breakdown or '-'}: the text gives {', '.join(f'{v:g}' for v in sorted(values))}; "
                f"kept {best.value:g} ({best.evidence!r})"))
    return kept, findings


def _fallback_total(facts: list[Fact]) -> list[Fact]:
    """A report whose only proactive count is ``在门户网站公开发布信息共92条``: that is its total.

    Judgement call: when no total is stated and exactly one channel figure is given, and it is a
    website, the agency published through that website alone, so the figure is the total.
    """
    if any(f.measure == "proactive_items" for f in facts):
        return []
    channels = [f for f in facts if f.measure == "channel_items"]
    if len(channels) != 1 or channels[0].breakdown not in _WEBSITE_CHANNELS:
        return []
    c = channels[0]
    return [Fact("proactive_items", "", c.value, unit_of("proactive_items"), c.scope, c.method, c.label,
                 c.evidence, c.span_start, c.span_end)]


def _table_group(measure: str | None) -> str:
    return {"proactive_items": "proactive", "requests_new": "requests"}.get(measure or "", "")


def _tables(doc: Document, t: _Text, tables: list[stats_table.StatsTable], text_facts: list[Fact],
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
        scope = "jurisdiction" if _JURISDICTION_RE.search(t.text[max(0, table.start - 60):table.start]) else default_scope
        for row, match in zip(table.rows, matches):
            if match is None or row.value is None:
                continue
            facts.append(_fact(doc, match, row.value[0], scope, "table", (row.start, row.label_end),
                               (row.start, row.end)))
    return facts, findings


def _contradictions(text_facts: list[Fact], table_facts: list[Fact]) -> list[Finding]:
    table = {(f.measure, f.breakdown): f for f in table_facts}
    findings = []
    for f in text_facts:
        printed = table.get((f.measure, f.breakdown))
        if printed is not None and printed.value != f.value:
            findings.append(Finding(
                "text_contradicts_table", "warning",
                f"{f.measure}/{f.breakdown or '-'}: the text says {f.value:g} ({f.evidence!r}) but the "
                f"statistics table gives {printed.value:g} ({printed.evidence!r}); both are kept"))
    return findings


_PARTS = (
    ("proactive_items", lambda f: f.measure == "proactive_items_by_category"),
    ("requests_new", lambda f: f.measure == "requests_by_method"),
    ("outcome_total", lambda f: f.measure in ("outcome_already_public", "outcome_disclosed", "outcome_partial",
                                              "outcome_withheld")),
)


def _parts_checks(facts: list[Fact]) -> list[Finding]:
    """Parts listed after a total must not exceed it (they may fall short: lists are often partial)."""
    findings = []
    for total_measure, is_part in _PARTS:
        totals = [f for f in facts if f.measure == total_measure and f.method == "text"]
        parts = [f for f in facts if is_part(f) and f.method == "text"]
        if totals and parts and sum(p.value for p in parts) > totals[0].value:
            findings.append(Finding(
                "parts_exceed_total", "warning",
                f"{total_measure}: the parts stated in the text sum to {sum(p.value for p in parts):g}, "
                f"more than the total {totals[0].value:g} ({totals[0].evidence!r})"))
    return findings


_SHARE_RE = re.compile(r"[\s，,；;(（]*占[^\d%，,。；;]{0,6}(\d+(?:\.\d+)?)\s*%")


def _percentage_checks(t: _Text, quantities: list[Quantity], used: set[int]) -> list[Finding]:
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


def extract(doc: Document, report_template: str | None = None) -> tuple[list[Fact], list[Finding]]:
    """Figures of the prose and of any statistics table in `doc`.

    Args:
        doc: a cleaned document (any era; national-format request tables are left alone).
        report_template: the report's format as `govdisclosure.metadata` decides it; worked out
            here when not given. In the 2019/2021 formats request counts in prose are not read
            (they often add carried-over requests to the new ones; the tables are authoritative).

    Returns:
        The facts (method ``text`` for sentences, ``table`` for statistics-table rows) and the
        findings: contradictions, ambiguous table rows, parts above totals, percentages that fail.
    """
    t = _Text(doc.text)
    if report_template is None:
        report_template = metadata.describe(doc).template
    national = report_template in NATIONAL_TEMPLATES
    tables = stats_table.find_tables(t.text)
    # Grids of HTML/PDF/DOCX sources belong to the template extractor; their header words
    # (未经复议直接起诉) and blank-cell 无 are not sentences.
    grids = [(min(c.start for row in g.rows for c in row), max(c.end for row in g.rows for c in row))
             for g in doc.tables if g.rows and g.rows[0]]
    spans = [(tb.start, tb.end) for tb in tables] + grids
    quantities = [q for q in find_quantities(t.text) if not any(a <= q.start < b for a, b in spans)]
    default_scope = "jurisdiction" if summarises_jurisdiction(t.text) else "unknown"

    readings = _prose(t, quantities, national)
    taken = [r.evidence for r in readings]
    readings += _zeros(t, taken + spans)
    raw = [_fact(doc, r.match, r.value, _scope(t, r.evidence[0], default_scope), "text", r.label, r.evidence)
           for r in readings]
    text_facts, findings = _consolidate(raw)
    text_facts += _fallback_total(text_facts)
    table_facts, table_findings = _tables(doc, t, tables, text_facts, national, default_scope)
    findings += table_findings + _contradictions(text_facts, table_facts)
    findings += _parts_checks(text_facts)
    findings += _percentage_checks(t, quantities, {r.quantity for r in readings if r.quantity is not None})
    return text_facts + table_facts, findings
