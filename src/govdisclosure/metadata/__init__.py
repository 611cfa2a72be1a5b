"""Report metadata: title, agency, place, year covered, publication date, template, kind and scope.

Each field is read from the strongest evidence available, in a fixed order that is the same for
every report (a crawler or CMS header, the report's own title, its opening sentences, its
signature); the reading of each field lives in its own module: `dates` (year covered and
publication date), `agency` (name and place, through `govdisclosure.gazetteer`) and `kinds` (kind
of agency, admin level, scope). This module decides whether the document is a report at all and
in which format: a page without a title line is still a report when its text has the sections
and phrases of one; `none` is for news, notices and blank templates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from govdisclosure import schema, scope
from govdisclosure.document import Document
from govdisclosure.metadata import agency as _agency
from govdisclosure.metadata import kinds
from govdisclosure.metadata.dates import ANY_TITLE, publish_date, report_year

__all__ = [
    "NATIONAL_TEMPLATES",
    "Metadata",
    "describe",
    "empty_row",
    "find_title",
    "publish_date",
    "report_year",
    "template",
]

_TEMPLATE_2021 = ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额",
                  "申请人逾期未按收费通知要求缴纳费用", "申请人无正当理由逾期不补正")
_TEMPLATE_2019 = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "采购总金额",
                  "本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "结转下年度继续办理")
NATIONAL_TEMPLATES = ("2019", "2021")  # the formats with the three national tables
_NOT_A_REPORT = re.compile(r"格式模板|模板|样表|样本|填报说明|^格式$|^关于.*(?:通知|意见|办法|规定|函)$")
_TITLE_PREFIX = re.compile(r"^(?:名称|标题|题名)\s*[:：|]?\s*")
_BREADCRUMB = re.compile(r">|»|当前位置|所在位置|您的位置")
# What a report's text is made of, whether or not its title survived: the topics of its sections.
_DISCLOSURE = re.compile(r"政府信息公开|公开政府信息|政务公开")
_HEADING = re.compile(r"(?:^|\n)\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])")
_REPORT_TOPICS = (r"本(?:年度)?报告|本年报", r"主动公开", r"依申请公开|公开申请", r"行政复议|行政诉讼|复议、诉讼|申诉", r"收费|减免",
                  r"存在的?(?:主要)?问题|改进|不足", r"政府信息公开|政务公开|信息公开工作", r"概述|总体情况|基本情况")


@dataclass
class Metadata:
    title: str = ""
    agency_name: str = ""
    province: str = ""
    city: str = ""
    county: str = ""
    admin_level: str = ""
    agency_kind: str | None = None
    scope: str | None = None
    report_year: int | None = None
    publish_date: str | None = None
    template: str = "none"

    def row(self, doc: Document) -> dict:
        """The document's reports row."""
        return schema.row("reports", self, doc_id=doc.doc_id, source_path=doc.source_path, script=doc.script,
                          n_chars=len(doc.text), problems=";".join(doc.problems), duplicate_paths="")


def empty_row(doc_id: str, source_path: str, problems: str = "") -> dict:
    """The reports row of a document that could not be read at all."""
    return schema.row("reports", Metadata(), doc_id=doc_id, source_path=source_path, script="simplified",
                      n_chars=0, problems=problems, duplicate_paths="")


def describe(doc: Document) -> Metadata:
    """All metadata of one cleaned document."""
    meta = Metadata()
    meta.title = find_title(doc)
    meta.report_year = report_year(meta.title, doc.text[:1500])
    meta.publish_date = publish_date(doc, meta.report_year)
    meta.template = template(doc, meta)
    if meta.template == "none" and _NOT_A_REPORT.search(meta.title):
        return meta
    found = _agency.find(doc, meta.title, meta.report_year)
    meta.agency_name = found.name
    meta.province, meta.city, meta.county = found.place.province, found.place.city, found.place.county
    meta.agency_kind = kinds.agency_kind(found.name)
    meta.admin_level = kinds.admin_level(found.name, found.place, meta.agency_kind, _agency.NATIONAL)
    if meta.template != "none":
        meta.scope = scope.report_scope(doc.text, meta.agency_kind, meta.template in NATIONAL_TEMPLATES)
    return meta


def find_title(doc: Document) -> str:
    """The report's own title: the crawler header's, else the first title-like line of the text.

    Breadcrumbs (首页 > 政务公开 > 年度报告) are not titles; a title saved as a table cell
    (标题 | 西藏自治区2014年…报告 |) or followed by a mirror site's name (…报告-尊龙网平台) is cut to
    its words; a title broken over two lines is joined.
    """
    if doc.header.get("标题"):
        return doc.header["标题"]
    lines = [ln.strip() for ln in doc.text[:2000].split("\n") if ln.strip()][:10]
    for i, line in enumerate(lines):
        if _BREADCRUMB.search(line):
            continue
        parts = [_TITLE_PREFIX.sub("", p.strip()) for p in line.split("|")]
        candidate = next((p for p in parts if ANY_TITLE.search(p) or _NOT_A_REPORT.search(p)), "")
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if not candidate and len(line) <= 40 and ANY_TITLE.match(following):
            candidate = line + following  # 道县文广新局2013年度信息公开工作 / 年度报告
        if not candidate or candidate.startswith(("根据", "本报告", "按照", "依据", "本年")):
            continue
        candidate = _cut_after_report_words(candidate)
        if len(candidate) > 70:
            continue
        # A title broken over two lines: the agency on one, "2023年…报告" on the next.
        if i > 0 and re.match(r"^(?:19|20)\d\d\s*年", candidate) and len(lines[i - 1]) <= 30 \
                and not ANY_TITLE.search(lines[i - 1]) and not _BREADCRUMB.search(lines[i - 1]):
            return lines[i - 1] + candidate
        return candidate
    return ""


def _cut_after_report_words(title: str) -> str:
    if _NOT_A_REPORT.search(title):
        return title
    ends = [m.end() for m in ANY_TITLE.finditer(title)]
    return title[:ends[-1]] if ends else title


def template(doc: Document, meta: Metadata) -> str:
    """narrative / 2019 / 2021 by the year covered and the national table wording; none for a non-report."""
    text = doc.text
    if _NOT_A_REPORT.search(meta.title) or not (meta.title or ANY_TITLE.search(text[:3000]) or _reads_as_report(text)):
        return "none"
    # The format in force is set by the year covered: a 2021+ report printed with the old 2019
    # headers, or cut off before its tables, is still a report in the 2021 format, and a report on
    # 2018 or earlier is narrative whatever words it borrows. Wording decides only when the year
    # is unknown.
    year = meta.report_year
    if year:
        return "2021" if year >= 2021 else "2019" if year >= 2019 else "narrative"
    hits_2021 = sum(1 for w in _TEMPLATE_2021 if w in text)
    hits_2019 = sum(1 for w in _TEMPLATE_2019 if w in text)
    if hits_2021 + hits_2019 < 2 and "收到和处理政府信息公开申请情况" not in text:
        return "narrative"
    return "2021" if hits_2021 >= 2 else "2019"


def _reads_as_report(text: str) -> bool:
    """A page that lost its title is still a report when it reads as one.

    Most of a report's topics are present, or (a page cut to a fragment of one) the work of
    disclosing government information is its subject, under numbered section headings.
    """
    topics = sum(1 for topic in _REPORT_TOPICS if re.search(topic, text))
    if topics >= 4:
        return True
    return topics >= 2 and len(_DISCLOSURE.findall(text)) >= 3 and bool(_HEADING.search(text))
