"""Report metadata: title, agency, place, year covered, publication date, template.

Each field is read from the strongest evidence available, in a fixed order that is the same for
every report: a crawler or CMS header first (标题, 发布时间, 发布机构), then the report's own title,
then its opening sentences and statistical period, then the signing date at its end. Agency names
are normalised with data, not code: abbreviations (`data/agency_abbreviations.csv`), the body that
governs a place when a report is titled by the place alone (`data/organ_of_place.csv`), and the
naming convention that a municipal district carries its city's name (淮安市洪泽区人民政府).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

import cn2an

from govdisclosure import gazetteer
from govdisclosure.document import Document

_REPORT_WORDS = r"(?:政府信息公开|政务公开|信息公开|政务信息公开)(?:工作)?(?:年度)?(?:工作)?(?:报告|年报)"
_TITLE_YEAR = re.compile(rf"((?:19|20)\d\d)\s*年度?\s*(?:度)?\s*{_REPORT_WORDS}")
_ANY_TITLE = re.compile(rf"{_REPORT_WORDS}|年度报告|工作报告")
_PERIOD = re.compile(r"(?:自|从|为|期限|时限)\s*((?:19|20)\d\d)\s*年?\s*0?1\s*月?\s*0?1\s*日")
_ISO_DATE = re.compile(r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_CN_DATE = re.compile(r"([〇○零一二三四五六七八九\ufffdOＯ]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月"
                      r"\s*([一二三四五六七八九十]{1,3})\s*日")
_DATE_KEYS = ("发布日期", "发布时间", "发文日期", "发表时间", "成文日期", "时间")
_AGENCY_KEYS = ("发布机构", "来源", "发文机关")
_TEMPLATE_2021 = ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额",
                  "申请人逾期未按收费通知要求缴纳费用", "申请人无正当理由逾期不补正")
_TEMPLATE_2019 = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "采购总金额",
                  "本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "结转下年度继续办理")
NATIONAL_TEMPLATES = ("2019", "2021")  # the formats with the three national tables
_NOT_A_REPORT = re.compile(r"格式模板|模板|样表|样本|填报说明|^格式$")
_TITLE_PREFIX = re.compile(r"^(?:名称|标题|题名)\s*[:：]?\s*")
# Central bodies carry no place: 国务院…, 国家…局, the ministries (…部), 海关总署, 最高人民…
_NATIONAL = re.compile(r"^(?:国务院|国家|中华人民共和国|中国|最高人民|海关总署)|^[\u4e00-\u9fff]{1,6}部$|总署$")
# A signing date ends the report; a date followed by 起/至/以来… is part of a sentence.
_NOT_SIGNING = re.compile(r"\s*日?\s*(?:起|至|到|止|前|以来|之前|开始|期间|以后|后|施行|召开|印发|出台|发布)")


@dataclass
class Metadata:
    title: str = ""
    agency_name: str = ""
    province: str = ""
    city: str = ""
    county: str = ""
    admin_level: str = ""
    report_year: int | None = None
    publish_date: str | None = None
    template: str = "none"

    def row(self, doc: Document) -> dict:
        return {"doc_id": doc.doc_id, "source_path": doc.source_path, "title": self.title,
                "agency_name": self.agency_name, "province": self.province, "city": self.city,
                "county": self.county, "admin_level": self.admin_level, "report_year": self.report_year,
                "publish_date": self.publish_date, "template": self.template, "script": doc.script,
                "n_chars": len(doc.text), "problems": ";".join(doc.problems), "duplicate_paths": ""}


def empty_row(doc_id: str, source_path: str, problems: str = "") -> dict:
    """The reports row of a document that could not be read at all."""
    return {"doc_id": doc_id, "source_path": source_path, "title": "", "agency_name": "", "province": "",
            "city": "", "county": "", "admin_level": "", "report_year": None, "publish_date": None,
            "template": "none", "script": "simplified", "n_chars": 0, "problems": problems, "duplicate_paths": ""}


@cache
def _csv_map(name: str) -> list[tuple[str, str]]:
    with resources.files("govdisclosure").joinpath(f"data/{name}").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))[1:]
    return [(row[0], row[1]) for row in rows if row and row[0]]


def describe(doc: Document) -> Metadata:
    """All metadata of one cleaned document."""
    meta = Metadata()
    meta.title = find_title(doc)
    head = doc.text[:1500]
    meta.report_year = report_year(meta.title, head)
    meta.publish_date = publish_date(doc)
    meta.template = template(doc, meta)
    if meta.template == "none" and _NOT_A_REPORT.search(meta.title):
        return meta
    agency = agency_name(doc, meta.title)
    place = gazetteer.locate(agency, doc.text[:3000]) if agency else gazetteer.Place()
    if place.prefix_end and gazetteer.is_municipal_district(place) and not agency.startswith(place.city):
        agency = place.city + agency
    meta.agency_name = agency
    meta.province, meta.city, meta.county = place.province, place.city, place.county
    meta.admin_level = admin_level(agency, place)
    return meta


def find_title(doc: Document) -> str:
    """The report's own title: the crawler header's, else the first title-like line of the text."""
    if doc.header.get("标题"):
        return doc.header["标题"]
    lines = [ln.strip() for ln in doc.text[:2000].split("\n") if ln.strip()][:8]
    for i, line in enumerate(lines):
        candidate = _TITLE_PREFIX.sub("", line)
        if len(candidate) > 70 or candidate.startswith(("根据", "本报告", "按照", "依据")):
            continue
        if _ANY_TITLE.search(candidate) or _NOT_A_REPORT.search(candidate):
            # A title broken over two lines: the agency on one, "2023年…报告" on the next.
            if i > 0 and re.match(r"^(?:19|20)\d\d\s*年", candidate) and len(lines[i - 1]) <= 30 \
                    and not _ANY_TITLE.search(lines[i - 1]):
                return lines[i - 1] + candidate
            return candidate
    return ""


def report_year(title: str, head: str) -> int | None:
    """The year covered: from the title, else the statistical period, else the opening text."""
    for text in (title, head):
        match = _TITLE_YEAR.search(text)
        if match:
            return int(match.group(1))
    # The year printed before the agency: 2019年上海市人民政府办公厅政府信息公开工作年度报告.
    match = re.search(r"((?:19|20)\d\d)\s*年", title) if _ANY_TITLE.search(title) else None
    if match:
        return int(match.group(1))
    match = _PERIOD.search(head)
    if match:
        return int(match.group(1))
    # 年/月 lost from dates: 自201311日起至20131231日止
    match = re.search(r"自\s*((?:19|20)\d\d)1\s*1\s*日起?\s*至\s*\1\s*12\s*31\s*日", head)
    return int(match.group(1)) if match else None


def publish_date(doc: Document) -> str | None:
    """Publication date from the headers, else the signing date at the end of the report."""
    for key in _DATE_KEYS:
        found = _parse_date(doc.header.get(key, ""))
        if found:
            return found
    tail = doc.text[-400:]
    found = None
    for match in sorted(list(_ISO_DATE.finditer(tail)) + list(_CN_DATE.finditer(tail)), key=lambda m: m.start()):
        if not _NOT_SIGNING.match(tail, match.end()):
            found = _to_iso(match) or found
    return found


def _parse_date(text: str) -> str | None:
    match = _ISO_DATE.search(text) or _CN_DATE.search(text)
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


def template(doc: Document, meta: Metadata) -> str:
    """narrative / 2019 / 2021 by the national table wording; none for a non-report."""
    text = doc.text
    if _NOT_A_REPORT.search(meta.title) or not (meta.title or _ANY_TITLE.search(text[:3000])):
        return "none"
    hits_2021 = sum(1 for w in _TEMPLATE_2021 if w in text)
    hits_2019 = sum(1 for w in _TEMPLATE_2019 if w in text)
    national = hits_2021 + hits_2019 >= 2 or "收到和处理政府信息公开申请情况" in text
    if not national:
        return "narrative"
    # The format in force is set by the year covered: a 2021+ report printed with the old 2019
    # headers is still a report in the 2021 format (and vice versa is impossible). Wording decides
    # only when the year is unknown.
    year = meta.report_year
    if year and year >= 2019:
        return "2021" if year >= 2021 else "2019"
    return "2021" if hits_2021 >= 2 else "2019"


def agency_name(doc: Document, title: str) -> str:
    """The publishing agency's full name with its place prefix, simplified."""
    candidates = [_agency_from_title(title)]
    sentence = re.search(rf"公布\s*(.{{2,30}}?)\s*(?:19|20)\d\d\s*年度?\s*{_REPORT_WORDS}", doc.text[:800])
    if sentence:
        candidates.append(sentence.group(1))
    candidates += [doc.header.get(key, "") for key in _AGENCY_KEYS]
    cleaned = [_expand(c) for c in candidates if c]
    for name in cleaned:
        if gazetteer.locate(name, doc.text[:3000]).prefix_end:
            return name
    return cleaned[0] if cleaned else ""


def _agency_from_title(title: str) -> str:
    name = _TITLE_YEAR.sub("", title)
    name = re.sub(rf"{_REPORT_WORDS}|(?:19|20)\d\d\s*年度?|关于|的", "", name)
    return name.strip(" ：:-—")


def _expand(name: str) -> str:
    name = re.sub(r"\s+", "", name)
    for short, full in _csv_map("agency_abbreviations.csv"):
        if name.endswith(short) or short + "办公" in name or short + "办" in name:
            name = name.replace(short, full, 1)
    if not name:
        return name
    place = gazetteer.locate(name)
    if place.prefix_end == len(name):
        for suffix, organ in _csv_map("organ_of_place.csv"):
            if name.endswith(suffix):
                return name + organ
    return name


def admin_level(agency: str, place: gazetteer.Place) -> str:
    if not place.province and _NATIONAL.search(agency):
        return "national"
    if re.search(r"(?:镇|乡|街道)(?:人民政府|办事处)", agency[place.prefix_end:]) and place.county:
        return "township"
    return place.level
