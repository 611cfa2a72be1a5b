"""Lists of counts in the prose: ``其中，概况类3条，工作动态类12条…`` and ``门户网站12条、微博5条``.

A list item is a short label and a count; the label is either a kind of information (a category,
coded under its printed label as docs/coding_rules.md simplifies it) or a channel. A single ``label + count``
is never taken for a list item — too many clauses look like one — so an item needs a neighbour of
the same unit with nothing but list punctuation between them, and the list needs an anchor
(其中/包括/类别 after a proactive total) that says its items are kinds of published information.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from govdisclosure.transform.narrative.grammar import (
    Match,
    channel_of,
    classify,
    label_shape,
    names_an_action,
    normalise_category,
)
from govdisclosure.transform.narrative.text import Reading, Text
from govdisclosure.transform.numbers import Quantity

# A parenthesis right after a total opens its breakdown too: 共455条(规范性文件84条,…).
_LIST_INTRO = re.compile(r"其中|包括|类别|分别|主要有|内容分|按.{0,8}分|分类|(?:信息|资讯)中|[(（]\s*$")
_LIST_TOPIC = re.compile(r"类别|类型|内容分|分类")
_PROACTIVE_MENTION = re.compile(r"主动公开.{0,20}?(?:信息|资讯)|(?:公开|发布|公布|上传)[^，,。；;]{0,6}(?:信息|资讯)|信息更新")
_OPENER = re.compile(r"(?:信息|资讯|目录|栏目)中")
_LIST_GAP = re.compile(r"^[\s，,；;、]*(?:占[^，,；;。]{0,12}%[\s，,；;、]*)?$")

_LIST_UNITS = ("条", "件", "项", "篇")
# 个 counts so many other things (sites, accounts, offices) that an item in 个 joins a category list
# only beside items in a list unit and when the whole list adds up to the total printed before it
# (共主动公开政府信息196条，其中年度报告1条，机构调整公告3个，档案180个，月工作计划12个).
_SUMMED_UNIT = "个"


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


def _list_item(t: Text, quantities: list[Quantity], j: int) -> _ListItem | None:
    """Count `j` as a possible list item, or None when it cannot be one (its verb test is left to `_verify`).

    当面申请 or 同意公开 is a measure of its own, never a kind of information.
    """
    q = quantities[j]
    if q.unit not in _LIST_UNITS and q.unit != _SUMMED_UNIT:
        return None
    prev_end = quantities[j - 1].end if j > 0 else 0
    s_start, _ = t.sentence(q.start)
    segment_start = max(prev_end, s_start)
    segment = t.text[segment_start:q.start]
    cut = max(map(segment.rfind, "，,；;：:")) + 1
    # An open parenthesis starts the list (共455条(规范性文件84条); a closed one is part of a label.
    paren = max(segment.rfind("("), segment.rfind("（"))
    if paren >= cut and not re.search(r"[)）]", segment[paren:]):
        cut = paren + 1
    # 在主动公开的政府信息中便民办事服务信息6条: the label starts after the words that open the list.
    opener = max((m.end() for m in _OPENER.finditer(segment, cut)), default=cut)
    label = label_shape(segment[opener:])
    if label is not None and classify(label, q.unit) is not None:
        label = None
    # The item's words start at the clause mark (the gap to the previous item is measured from there);
    # its label after the opener.
    item = _ListItem(label, None, segment_start + cut, 0)
    if q.unit == _SUMMED_UNIT:  # never a channel: 微博29个 counts accounts
        return None if label is None else _located(item, segment[cut:])
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


def _verify(t: Text, quantities: list[Quantity], j: int, item: _ListItem | None) -> _ListItem | None:
    """`item` with its label put to the verb test: a label that names an action may still be a channel."""
    if item is None or item.verified:
        return item
    if not names_an_action(item.label):
        item.verified = True
        return item
    return _with_channel(item, t.text[item.item_start:quantities[j].start])


def category_lists(t: Text, quantities: list[Quantity], readings: list[Reading], skip: set[int]) -> set[int]:
    """Find ``其中，概况类3条，…`` lists; append their items to `readings`; return the indices used.

    Counts in `skip` (rows of a statistics table) are never list items.
    """
    candidates = [None if j in skip else _list_item(t, quantities, j) for j in range(len(quantities))]
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
                # Items of one list may be counted in 条 and 件 (公文73条、建议提案办理复文206件): both
                # are _LIST_UNITS, which every item already is.
                if not _LIST_GAP.match(gap):
                    break
            run.append((j, item))
            j += 1
        run = _summed(quantities, run)
        if len(run) >= 2 and _anchored(t, run[0][1].label_start):
            for j, item in run:
                q = quantities[j]
                match = (Match("proactive_items_by_category", normalise_category(item.label)) if item.label
                         else Match("channel_items", item.channel))
                readings.append(Reading(match, q.value, (item.label_start, q.end),
                                         t.trimmed(*t.clause(q.start)), j))
                consumed.add(j)
            k = j
        else:
            k += 1
    consumed |= _lone_kinds(t, quantities, candidates, consumed, readings)
    return consumed


def _summed(quantities: list[Quantity], run: list[tuple[int, _ListItem]]) -> list[tuple[int, _ListItem]]:
    """`run`, cut before its first item in 个 unless the list mixes units and adds up to the total before it."""
    units = [quantities[j].unit for j, _ in run]
    if _SUMMED_UNIT not in units:
        return run
    first = run[0][0]
    total = quantities[first - 1] if first > 0 else None
    if (all(u == _SUMMED_UNIT for u in units) or total is None or total.unit not in _LIST_UNITS
            or sum(quantities[j].value for j, _ in run) != total.value):
        return run[:units.index(_SUMMED_UNIT)]
    return run


_KIND_LABEL = re.compile(r"类(?:的)?(?:信息|资讯)?$")


def _lone_kinds(t: Text, quantities: list[Quantity], candidates: list[_ListItem | None], consumed: set[int],
                readings: list[Reading]) -> set[int]:
    """``发布政府信息共1391条，通知公告类信息39条，要闻简报40期``: one item that says it is a kind (类).

    A single label + count is too often a clause to be read as a category, unless the label says
    类 itself and the sentence gave the proactive total just before it.
    """
    found = set()
    for j, item in enumerate(candidates):
        if item is None or j in consumed or j == 0 or not item.label or not _KIND_LABEL.search(item.label) \
                or quantities[j].unit == _SUMMED_UNIT:
            continue
        s_start = t.full_sentence(quantities[j].start)[0]
        before = quantities[j - 1]
        if before.start < s_start or before.unit != quantities[j].unit \
                or not _PROACTIVE_MENTION.search(t.text[s_start:before.start]) \
                or _verify(t, quantities, j, item) is None or not item.label:
            continue
        q = quantities[j]
        readings.append(Reading(Match("proactive_items_by_category", normalise_category(item.label)), q.value,
                                (item.label_start, q.end), t.trimmed(*t.clause(q.start)), j))
        found.add(j)
    return found


def _anchored(t: Text, label_start: int) -> bool:
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
