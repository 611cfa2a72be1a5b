"""The year a report covers and the date it was published.

Both are read from the strongest evidence first, the same order for every report. The year: the
title, then the statistical period (自2014年1月1日起…, with 年/月 lost or written 2015-1-1), then
the opening words (现将2014年度…, 2014年，我镇…), which is how reports without a title start.
The date: a CMS field (发布时间, 发文日期, 公开日期 …, also when a crawler left it as a `key: | value |`
table row), then a date standing alone by the title (辽宁省人民政府办公厅2016-04-15,
2014年02月27日14:35, (2016年3月10日)), then the signing date at the end. A date inside a sentence
(新办法自2024年1月1日起施行) is never a publication date.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import cn2an

from govdisclosure.document import Document

REPORT_WORDS = (r"(?:政府信息公开|政务公开|信息公开|政务信息公开)(?:工作)?(?:年度)?(?:工作)?(?:情况)?(?:总结)?"
                r"的?(?:报告|年报)")
TITLE_YEAR = re.compile(rf"((?:19|20)\d\d)\s*+年?度?\s*+(?:度)?\s*+(?:本机关|本级)?\s*+{REPORT_WORDS}")
ANY_TITLE = re.compile(rf"{REPORT_WORDS}|年度报告|工作报告")
_PERIOD = re.compile(r"(?:自|从|为|期限|时限|期间)\s*((?:19|20)\d\d)\s*(?:年|-|/|\.)?\s*0?1\s*(?:月|-|/|\.)?\s*0?1\s*日?")
_LOST_PERIOD = re.compile(r"自\s*((?:19|20)\d\d)1\s*1\s*日起?\s*至\s*\1\s*12\s*31\s*日")
# How reports without a title open: 现将2014年度…, 2014年，我镇…, 2013年区文委在…
_OPENING_YEAR = re.compile(r"(?:现将|现就|^|[。\n])\s*((?:19|20)\d\d)\s*年度?\s*[,，]?\s*(?=[\u4e00-\u9fff])")
ISO_DATE = re.compile(r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")
CN_DATE = re.compile(r"([〇○零一二三四五六七八九\ufffdOＯ]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月"
                     r"\s*([一二三四五六七八九十]{1,3})\s*日")
_CN_YEAR = re.compile(r"([〇○零一二三四五六七八九]{4})\s*年")
_CN_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")
_DATE_KEYS = ("发布日期", "发布时间", "发文日期", "发表时间", "成文日期", "公开日期", "时间")
_KEYED_DATE = re.compile(r"(?:发布日期|发布时间|发文日期|发表时间|成文日期|公开日期|生成日期)\s*[:：]?\s*\|?\s*"
                         r"((?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})")
# A signing date ends the report; a date followed by 起/至/以来… is part of a sentence.
_NOT_SIGNING = re.compile(r"\s*+日?\s*+(?:起|至|到|止|前|以来|之前|开始|期间|以后|后|施行|召开|印发|出台|发布)")
# What may follow a publication date on its line: nothing, a time, the source, a separator.
_AFTER_DATE = re.compile(r"\s*+日?\s*+(?:$|\d{1,2}\s*+[:：]\s*+\d{2}|来源|\||[)）])")


def report_year(title: str, head: str) -> int | None:
    """The year covered: from the title, else the statistical period, else the opening text."""
    title, head = arabic_years(title), arabic_years(head[:1500])
    for text in (title, head):
        match = TITLE_YEAR.search(text)
        if match:
            return int(match.group(1))
    # The year printed before the agency: 2019年上海市人民政府办公厅政府信息公开工作年度报告.
    match = re.search(r"((?:19|20)\d\d)\s*年", title) if ANY_TITLE.search(title) else None
    if match:
        return int(match.group(1))
    match = _PERIOD.search(head) or _LOST_PERIOD.search(head)
    if match:
        return int(match.group(1))
    years = [int(m.group(1)) for m in _OPENING_YEAR.finditer(head)]
    return Counter(years).most_common(1)[0][0] if years else None


def arabic_years(text: str) -> str:
    """Years in Chinese numerals in Arabic digits (二〇一五年度… → 2015年度…), other text unchanged."""
    if "年" not in text or not _CN_YEAR.search(text):
        return text
    return _CN_YEAR.sub(lambda m: m.group(1).translate(_CN_DIGITS) + "年", text)


def publish_date(doc: Document, year: int | None = None) -> str | None:
    """Publication date: CMS fields, else a date standing by the title, else the signing date."""
    for key in _DATE_KEYS:
        found = _parse_date(doc.header.get(key, ""))
        if found:
            return found
    for value in list(doc.header.values()) + [doc.text[:600]]:
        match = _KEYED_DATE.search(value)
        found = _parse_date(match.group(1)) if match else None
        if found:
            return found
    found = _date_by_title(doc.text, year) or _signing_date(doc.text[-400:])
    if found and year and int(found[:4]) < year:
        return None  # a report is published after the year it covers begins
    return found


def _date_by_title(text: str, year: int | None) -> str | None:
    """A date on a short line near the top: the page's publication line."""
    lines = [ln for ln in text[:1200].split("\n") if ln.strip()][:8]
    for line in lines:
        if len(line) > 90:
            continue
        for match in list(ISO_DATE.finditer(line)) + list(CN_DATE.finditer(line)):
            before = line[:match.start()].strip(" (（|")
            # Not the end of a range (2015年1月1日—2015年12月31日), not inside a title or a sentence.
            if not _AFTER_DATE.match(line, match.end()) or len(before) > 24 or ANY_TITLE.search(before) \
                    or re.search(r"[\d一二三四五六七八九〇○]\s*[日号]?\s*[-—–~至到]\s*$", before):
                continue
            found = _to_iso(match)
            if found and (year is None or int(found[:4]) >= year):
                return found
    return None


def _signing_date(tail: str) -> str | None:
    found = None
    for match in sorted(list(ISO_DATE.finditer(tail)) + list(CN_DATE.finditer(tail)), key=lambda m: m.start()):
        if not _NOT_SIGNING.match(tail, match.end()):
            found = _to_iso(match) or found
    return found


def _parse_date(text: str) -> str | None:
    match = ISO_DATE.search(text) or CN_DATE.search(text)
    return _to_iso(match) if match else None


def _to_iso(match: re.Match[str]) -> str | None:
    year, month, day = match.groups()
    try:
        if not year.isdigit():
            # A lost 〇 (U+FFFD) or a look-alike circle is still a zero in a year: 二�一�年 → 2010.
            year = cn2an.cn2an(re.sub("[○OＯ\ufffd]", "〇", year), "normal")
            month, day = cn2an.cn2an(month, "normal"), cn2an.cn2an(day, "normal")
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None
