"""Statements of absence: ``未收到申请``, ``未收取费用``, ``无…行政复议``, a heading followed by ``无``.

docs/coding_rules.md codes a statement that something did not happen as 0 (not NA). Such a statement has no
number, so it is found from its negation: every negated clause is read, and it yields a zero for
each measure it names *after* the negation, provided it is about information disclosure (in the
clause or the heading of its section — 未发生行政复议 in a 法制办 report may be about anything).
"""

from __future__ import annotations

import bisect
import re

from govdisclosure.transform.narrative.grammar import Match
from govdisclosure.transform.narrative.text import Reading, Text
from govdisclosure.transform.numbers import find_quantities

_NEGATION = re.compile(r"未(?!经)|没有|无(?!法|正当|需|偿|论|关|缝|纸|其他)|不存在|不收取|免收|免费(?=提供|公开|查阅|获取|复制)"
                       r"|为零")
# 行政复议和行政诉讼均为零: the zero comes after what it counts.
_ZERO_AFTER = re.compile(r"(?:均|都|皆)?为零\s*$")

_ZERO_TARGETS = (
    ("reconsideration_total", re.compile(r"复议"), re.compile(r"费用|支出")),
    ("litigation_total", re.compile(r"诉讼"), re.compile(r"费用|支出")),
    ("complaints_total", re.compile(r"申诉"), re.compile(r"费用|支出")),
    ("fees_collected", re.compile(r"收取|收费|信息处理费|(?<=免费)(?:提供|公开|查阅|获取|复制)"),
     re.compile(r"支出|经费|投入|预算")),
    ("consultations", re.compile(r"咨询"), re.compile(r"费用|支出")),
    ("outcome_withheld", re.compile(r"不予公开"), re.compile(r"费用|支出")),
)
# 没有发生一起, 未收到一件: a count of one right after the negation is part of it, not a figure.
_NEGATED_ONE = re.compile(r"(?:没有|未|无)(?:发生|收到|受理|接到|出现|有)?过?$")
# A statement of absence counts only when it is about information disclosure (in the clause or in
# the heading of its section): 未发生行政复议 in a 法制办 report may be about anything.
_DISCLOSURE = re.compile(r"信息公开|公开申请|申请公开|依申请|政府信息|信息处理费|收费(?:及减免)?(?:的)?情况")
# 四、行政复议和行政诉讼情况: in a disclosure report, that section is about disclosure cases.
_REVIEW_SECTION = re.compile(r"\s*[（(]?[一二三四五六七八九十\d]{1,2}[)）、.．][^\n]{0,16}(?:复议|诉讼)")
_REQUEST_ZERO = re.compile(r"(?:收到|受理|接到|发生|有).{0,20}?(?:政府信息公开|依申请公开|公开)?.{0,6}申请|依申请公开(?:事项|情况)")


_TOTALS = ("requests_new", "outcome_withheld")


def zeros(t: Text, taken: list[tuple[int, int]]) -> list[Reading]:
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
        heading = False
        if stripped in ("无", "没有", "未发生", "无此类情况", "无相关情况"):
            p_start, p_end = t.clause(start - 1) if start > 0 else (0, 0)
            subject, neg_at = t.text[p_start:p_end], -1
            c_start = t.trimmed(p_start, p_end)[0]
            # 四、复议及诉讼情况：无 — a section of the report itself, so about disclosure.
            heading = c_start in t.heading_starts
        elif _ZERO_AFTER.search(clause) and not find_quantities(clause):
            neg_at = -1
        elif (m := _NEGATION.search(clause)) and all(
                q.value == 1 and _NEGATED_ONE.search(clause, 0, q.start) for q in find_quantities(clause)):
            neg_at = m.start()
        if neg_at is not None and not any(a <= c_start < b for a, b in taken) \
                and (heading or _DISCLOSURE.search(subject + t.context(c_start))
                     or _REVIEW_SECTION.match(t.context(c_start))):
            for measure in _zero_measures(subject, neg_at):
                readings.append(Reading(Match(measure, "total" if measure in _TOTALS else ""), 0.0,
                                         (c_start, c_end), (c_start, c_end)))
    return readings


def _zero_measures(subject: str, neg_at: int) -> list[str]:
    """The measures a negated clause declares zero; the negation must come before what it denies."""
    found = []
    for measure, word, unless in _ZERO_TARGETS:
        # Searched after the negation: a heading run into its text (行政复议情况2013年没有…复议) names
        # the measure before the negation as well.
        m = word.search(subject, neg_at + 1)
        if m and not unless.search(subject):
            found.append(measure)
    if (m := _REQUEST_ZERO.search(subject)) and m.start() >= neg_at \
            and not re.search(r"复议|诉讼|咨询|信访|投诉|费", subject):
        found.append("requests_new")
    return found
