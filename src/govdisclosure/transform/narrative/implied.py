"""Figures a report states without a number: ``收到申请21件…全部在规定时间内办结``.

Three statements say "all of the total" in words, and a careful reader codes each as the total:

1. ``全部在规定时间内办结`` after the request total: the outcome total (`all_answered`, below);
2. ``主动公开政府信息405条，均为本单位业务工作类信息``: one category holds the whole proactive total
   (`all_of_one_kind`: the clause right after the total, same sentence, 均为/全部为/都是 + a category
   label ending in 类信息);
3. ``政府信息全部通过…政府网站对外进行公布``: one channel carried the whole proactive total
   (`all_through_one_channel`: 全部/均 + 通过 + exactly one channel + a verb of publishing, no
   number in the clause, and the document states one proactive total and no count for that channel).

A fourth figure has a number but no measure words: ``通过教育信息网发布要闻378条、…，总计2292条`` is
what the one channel carried, when the 总计 is the sum of the items before it (`channel_list_total`).
And ``未经复议直接诉讼0件，复议后诉讼0件`` says there was no lawsuit at all (`no_lawsuit_of_either_kind`).

For the first, a careful reader codes ``全年受理…申请21件，…全部在规定时间内办结`` as 21 requests answered, and
``所有政府信息公开申请已全部办理完毕`` after ``共收到政府信息公开申请1192件`` as 1192. The statement has
no count of its own, so it is read from the request total it refers to, and only where that
reference is certain:

* the document states exactly one request total and no outcome total of its own;
* the statement says *all* (所有, 全部, 均, 都) and a verb of answering, with no number and no negation
  (尚未, 未) in its clause;
* it follows the request total in the same sentence, with no figure of another measure between
  them (``其中予以公开10件，均已答复`` speaks of the 10, not of the requests); or, when it names the
  requests itself (``所有…申请已全部办理完毕``), later in the same section, with only the breakdowns of
  the requests (methods, applicants) between.
"""

from __future__ import annotations

import re

from govdisclosure.transform.narrative.checks import announces_proactive
from govdisclosure.transform.narrative.grammar import Match, category_label, channel_of, normalise_category
from govdisclosure.transform.narrative.text import Reading, Text
from govdisclosure.transform.numbers import Quantity

_ALL_ANSWERED = re.compile(r"(?:所有|全部|均|都)[^，,。；;\d]{0,12}?"
                           r"(?:办理完毕|处理完毕|办结|(?:予以|给予|作出|进行了?)?(?:答复|回复))")
# A clause that denies "all" or has a count of its own (an item number such as 3、 is no count).
_NOT_ALL = re.compile(r"未|尚|正在|仍在|\d\s*(?:余|多)?[条件个项篇份次]")
_NAMES_REQUESTS = re.compile(r"(?:所有|全部)[^，,。；;]{0,10}申请")
# Figures that may stand between the request total and the statement: parts of the same requests.
_PARTS_OF_REQUESTS = frozenset({"requests_new", "requests_by_method"})


def all_answered(t: Text, readings: list[Reading]) -> list[Reading]:
    """The outcome total stated as "all answered" after the one request total (see the module)."""
    totals = [r for r in readings if r.match == Match("requests_new", "total") and r.quantity is not None]
    if len({r.value for r in totals}) != 1 or any(r.match.measure == "outcome_total" for r in readings):
        return []
    request = totals[0]
    start = request.label[1]
    sentence_end = t.full_sentence(request.label[0])[1]
    heading = t.heading(request.label[0])
    for m in _ALL_ANSWERED.finditer(t.text, start):
        c_start, c_end = t.clause(m.start())
        if _NOT_ALL.search(t.text[c_start:c_end]):
            continue
        same_sentence = m.start() < sentence_end
        if not same_sentence and not (_NAMES_REQUESTS.search(t.text[c_start:c_end]) and t.heading(m.start()) == heading):
            return []
        between = [r for r in readings if start <= r.label[0] < m.start()]
        if any(r.match.measure not in _PARTS_OF_REQUESTS for r in between):
            return []
        return [Reading(Match("outcome_total", "total"), request.value, t.trimmed(c_start, c_end),
                        t.trimmed(*t.full_sentence(m.start())), None)]
    return []


_ALL_OF_KIND = re.compile(r"[，,]\s*(?:均为|均是|全部为|全部是|都是|都为)(?:本单位|本机关|本部门|本局|本委)?"
                          r"([^，,。；;\d]{1,16}?类(?:的)?信息)\s*(?=[。；;]|$)")
_ALL_THROUGH = re.compile(r"(?:全部|均|都)(?:是|已)?通过([^，,。；;\d]{2,20}?)(?:对外|向社会)?(?:进行)?(?:公布|公开|发布)")


def _the_proactive_total(t: Text, readings: list[Reading]) -> Reading | None:
    """The one proactive total, or the one channel figure that announces it (as `checks.fallback_total`)."""
    totals = [r for r in readings if r.match.measure == "proactive_items" and r.quantity is not None]
    if not totals:
        totals = [r for r in readings if r.match.measure == "channel_items" and r.quantity is not None
                  and announces_proactive(t.text[r.label[0]:r.label[1]])]
    return totals[0] if len({r.value for r in totals}) == 1 else None


def all_of_one_kind(t: Text, readings: list[Reading]) -> list[Reading]:
    """``…主动公开政府信息405条，均为本单位业务工作类信息``: the category holds the whole total."""
    total = _the_proactive_total(t, readings)
    if total is None or any(r.match.measure == "proactive_items_by_category" for r in readings):
        return []
    m = _ALL_OF_KIND.match(t.text, total.label[1])
    if not m or (label := category_label(m[1])) is None:
        return []
    return [Reading(Match("proactive_items_by_category", normalise_category(label)), total.value,
                    t.trimmed(m.start() + 1, m.end()), t.trimmed(total.evidence[0], m.end()), None)]


def all_through_one_channel(t: Text, readings: list[Reading]) -> list[Reading]:
    """``政府信息全部通过对朝阳市政府网站对外进行公布``: the channel carried the whole proactive total."""
    total = _the_proactive_total(t, readings)
    if total is None:
        return []
    for m in _ALL_THROUGH.finditer(t.text):
        c_start, c_end = t.clause(m.start())
        channel = channel_of(m[1])
        if channel is None or _NOT_ALL.search(t.text[c_start:c_end]) or "信息" not in t.text[c_start:m.end()] or any(
                r.match == Match("channel_items", channel) for r in readings):
            continue
        return [Reading(Match("channel_items", channel), total.value, t.trimmed(c_start, c_end),
                        t.trimmed(c_start, c_end), None)]
    return []


_CLOSING_TOTAL = re.compile(r"[\s，,、]*((?:总计|合计|共计|共)(?:为|达)?)\s*$")
_THROUGH_AT_START = re.compile(r"通过([^，,。；;\d]{2,16}?)(?:发布|公开|推送|刊发|公布)")


def channel_list_total(t: Text, quantities: list[Quantity], readings: list[Reading],
                       rejected: dict[int, str]) -> list[Reading]:
    """``另通过教育信息网发布教育要闻378条、…图片信息232条，总计2292条``: what the one channel carried.

    The closing ``总计`` count is read when it is the sum of the counts listed before it in the
    sentence (same unit), and the sentence opens with 通过 + exactly one channel + a verb of
    publishing; the listed items themselves stay unread (news, interviews are no categories).
    """
    found = []
    taken = {r.match for r in readings}
    for k, q in enumerate(quantities):
        if k not in rejected or k == 0:
            continue
        s_start = t.full_sentence(q.start)[0]
        if not (closing := _CLOSING_TOTAL.match(t.text, quantities[k - 1].end, q.start)):
            continue
        items = [p for p in quantities[:k] if p.start >= s_start and p.unit == q.unit]
        through = _THROUGH_AT_START.search(t.text[s_start:items[0].start]) if len(items) >= 2 else None
        channel = channel_of(through[1]) if through else None
        if channel is None or sum(p.value for p in items) != q.value or Match("channel_items", channel) in taken:
            continue
        del rejected[k]
        found.append(Reading(Match("channel_items", channel), q.value, (closing.start(1), q.end),
                             t.trimmed(*t.full_sentence(q.start)), k))
    return found


def no_lawsuit_of_either_kind(t: Text, readings: list[Reading]) -> list[Reading]:
    """``未经复议直接诉讼0件，复议后诉讼0件``: no lawsuit of either kind of the 2019 form is no lawsuit.

    Only zeros: a total is not added up from parts, but two statements of absence that cover both
    kinds of lawsuit are a statement that there was none (litigation_total 0).
    """
    if any(r.match.measure == "litigation_total" for r in readings):
        return []
    parts = {r.match.measure: r for r in readings
             if r.match.measure in ("litigation_direct_total", "litigation_after_review_total")}
    if len(parts) != 2 or any(r.value != 0 for r in parts.values()) or any(
            r.value != 0 for r in readings if r.match.measure in parts):
        return []
    start = min(r.label[0] for r in parts.values())
    end = max(r.label[1] for r in parts.values())
    return [Reading(Match("litigation_total", ""), 0.0, (start, end), (start, end), None)]
