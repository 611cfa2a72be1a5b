"""The publishing agency: its full name with its place prefix, and where it sits.

A page names its agency in many places, none of them reliable alone: the title (often missing:
the crawl starts mid-report, or the title sits in chrome), the sentence that says who compiled
the report (由…编制, 现公布…年度报告), the opening subject (2013年，泉港区教育局按照…), the CMS
fields (发布机构, 来源, 发布单位), breadcrumbs, the contact line (请与…办公室联系) and the signature.
Every source gives a *candidate*; each candidate is cleaned of page chrome and mirror-site junk
(`data/agency_name_noise.txt`, Latin-letter runs such as `puroview.com`), cut at the end of the
organ's name, expanded (`data/agency_abbreviations.csv`; a bare place gets the organ that governs
it, `data/organ_of_place.csv`) and located in the gazetteer. The first candidate, in a fixed order
of sources, that names a place (or a central body) wins; a later candidate that spells the same
name more fully (武江区龙归镇人民政府 for 龙归镇) replaces it.

Naming conventions of the answer key, applied to every report: the name as the report prints
it, completed only where Chinese official usage always completes it — a county-level unit of a
municipality carries the municipality (北京市怀柔区…), a district's government carries its city
(淮安市洪泽区人民政府), and a name that gives only a district or only a township is completed
with the city or county the report itself writes before it (无锡市锡山区, 梅河口市和平街道).
"""

from __future__ import annotations

import csv
import dataclasses
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from govdisclosure import gazetteer
from govdisclosure.document import Document
from govdisclosure.metadata.dates import REPORT_WORDS, TITLE_YEAR, arabic_years

# The end of an organ's name, longest first, so that 办公室 is not cut at 办 and a branch keeps
# its name (上海市公安局静安分局).
_ORGAN = re.compile(r"人民政府办公厅|人民政府办公室|政府办公厅|政府办公室|行政公署|人民政府|街道办事处|办事处|管理委员会|"
                    r"委员会|办公厅|办公室|管委会|总局|局(?:[\u4e00-\u9fff]{2,4}分局)?|厅|署|部(?!门)|委|办(?!法|理|事|好)|"
                    r"中心|政府|海关|调查总队|调查队")
_ORGAN_END = re.compile(rf"(?:{_ORGAN.pattern})$")
# Central bodies carry no place: 国务院…, 国家…局, the ministries (…部), 审计署, 海关总署, 最高人民…
NATIONAL = re.compile(r"^(?:国务院|国家|中华人民共和国|中国(?!共产党)|最高人民|海关总署|审计署)|^[\u4e00-\u9fff]{1,6}部$|总署$")
_CJK_RUN = r"[\u4e00-\u9fff]{2,30}?"
_YEAR = r"(?:19|20)\d\d\s*年?度?"
# Sentences that say whose report this is, each with a cheap anchor: the full pattern is only
# tried in a window around the anchor (the lazy name runs are costly to try at every position).
_STATEMENTS = [  # (pattern, anchor, characters before the anchor, characters after it)
    (re.compile(rf"({_CJK_RUN})\s*{_YEAR}\s*(?:本级)?{REPORT_WORDS}"), re.compile("报告|年报"), 70, 0),
    (re.compile(rf"{_YEAR}\s*({_CJK_RUN})\s*{REPORT_WORDS}"), re.compile("报告|年报"), 70, 0),
    (re.compile(rf"由\s*({_CJK_RUN})\s*(?:根据|按照|依据|负责|汇总|编制|编写|组织)"), re.compile("由"), 0, 45),
    (re.compile(rf"(?:公布|依据|编写|结合|汇总)\s*({_CJK_RUN})\s*{_YEAR}"), re.compile("公布|依据|编写|结合|汇总"), 0, 45),
    (re.compile(rf"(?:结合|汇总){_YEAR}\s*({_CJK_RUN})\s*(?:的)?信息公开"), re.compile("结合|汇总"), 0, 55),
]
# The subject of an opening sentence: 2013年，泉港区教育局按照…; 根据…规定，朝阳市司法局按照…
_SUBJECT = re.compile(rf"(?:{_YEAR}\s*[,，]|规定\s*[,，]|要求\s*[,，]|^|\n)\s*({_CJK_RUN})"
                      r"(?=认真|按照|根据|严格|高度|以|坚持|在|紧紧|积极|主动|进一步|深入|不断|政府信息公开|信息公开|"
                      r"政务公开|共|全年|累计|依法|未|没有|把|将|加强|成立)")
_SUBJECT_ANCHOR = re.compile(rf"{_YEAR}\s*[,，]|规定\s*[,，]|要求\s*[,，]|\n")
_CONTACT = re.compile(rf"(?:请与|请联系\s*[:：]?)\s*({_CJK_RUN})\s*(?:联系|[,，(（])")
_CONTACT_ANCHOR = re.compile("请与|请联系")
_FIELDS = ("发布机构", "发布单位", "信息来源", "来源", "发文机关", "主办方", "发布部门")
_FIELD_CELL = re.compile(r"(?:发布机构|发布单位|信息来源|发文机关|主办方|发布部门)\s*[:：]?\s*\|?\s*([^|\n]{2,30})")
_LATIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.:/_\-]*")
_BRACKETS = re.compile(r"[\[【(（][^\]】)）]{0,6}[\]】)）]")
# 我局, 本单位 … refer to the agency without naming it (本溪市 is a name).
_SELF = re.compile(r"^(?:我|本)(?:局|委|办|厅|院|署|单位|部门|机关|镇|乡|街道|区|市|县|省|州|旗|级|系统|网|站)")
_FIELD_LABEL = re.compile(r"^(?:名称|标题|题名)[:：]?")
_FROM_REPORT_WORDS = re.compile(rf"{REPORT_WORDS}.*$")
_YEARS = re.compile(rf"^{_YEAR}|{_YEAR}$|(?:19|20)\d\d年?度?.*$")
_LEADING_VERB = re.compile(r"^(?:关于|现将|现公布|特公布|向社会公布|公布|编写|编制|依据|结合|汇总|根据)")
_TRAILING_WORD = re.compile(r"(?:关于|的)$")
_NAME_CHARS = re.compile(r"[\u4e00-\u9fff()（）]{2,40}")
_BREADCRUMB = re.compile(r">|位置|首页|当前")
_COMPILES_FOR = re.compile(r"人民政府办公(?:厅|室)$")
_BARE_TOWNSHIP = re.compile(r"[\u4e00-\u9fff]{1,6}(?:镇|乡|街道|苏木)")
_SELF_TOWNSHIP = re.compile(r"我(?:镇|乡|街道)")


@dataclass(frozen=True)
class Agency:
    name: str
    place: gazetteer.Place


@dataclass(frozen=True)
class _Candidate:
    name: str
    place: gazetteer.Place
    national: bool


@cache
def _csv_rows(name: str) -> list[tuple[str, str]]:
    with resources.files("govdisclosure").joinpath(f"data/{name}").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))[1:]
    return [(row[0], row[1]) for row in rows if row and row[0]]


@cache
def _noise() -> tuple[re.Pattern[str], frozenset[str], re.Pattern[str]]:
    """(words that end a name in chrome, values that are never a name, words no body's name has)."""
    with resources.files("govdisclosure").joinpath("data/agency_name_noise.txt").open(encoding="utf-8") as fh:
        entries = [ln.strip() for ln in fh if ln.strip() and not ln.startswith("#")]
    cut = [re.escape(e) for e in entries if e[0] not in "!~"]
    foreign = [re.escape(e[1:]) for e in entries if e.startswith("~")]
    return (re.compile("|".join(sorted(cut, key=len, reverse=True))),
            frozenset(e[1:] for e in entries if e.startswith("!")), re.compile("|".join(foreign)))


def find(doc: Document, title: str, year: int | None) -> Agency:
    """The agency of a report, from every source the page offers (see the module docstring)."""
    context = doc.text[:3000]
    self_township = bool(_SELF_TOWNSHIP.search(context))
    seen: set[tuple[str, bool]] = set()
    placeless: list[_Candidate] = []
    chosen: _Candidate | None = None
    fuller: _Candidate | None = None
    for raw, compiled_by, explicit in _raw_candidates(doc, title):
        if (raw, compiled_by) in seen or chosen and (not chosen.place.prefix or chosen.place.prefix not in raw):
            continue  # once a name is chosen, only a fuller spelling of its place can matter
        seen.add((raw, compiled_by))
        candidate = _candidate(raw, context, year, compiled_by, explicit or self_township)
        if candidate is None:
            continue
        located = bool(candidate.place.prefix_end or candidate.national)
        if chosen is None and located:
            chosen = candidate
            if chosen.place.prefix not in (chosen.place.county, chosen.place.township):
                break  # a name that starts above county level cannot be spelled more fully
        elif chosen is None and (explicit or self_township and _BARE_TOWNSHIP.match(candidate.name)):
            placeless.append(candidate)
        elif chosen and located and candidate.name != chosen.name and candidate.name.endswith(chosen.name):
            fuller = candidate
            break
    chosen = fuller or chosen or next((c for c in placeless if _ORGAN_END.search(c.name)), None)
    if chosen is None:
        return Agency("", _place_from_text(doc.text, year))
    name, place = _complete(chosen.name, chosen.place, doc.text, year)
    if not place.province and not chosen.national:
        # Without its place a name is the official name only when it is a proper name itself (谢塘镇人民政府);
        # 市人力资源社会保障局 or 教育局 say which body, not whose.
        return Agency(name if _BARE_TOWNSHIP.match(name) else "", _place_from_text(doc.text, year))
    return Agency(name, place)


def _raw_candidates(doc: Document, title: str):
    """(text that may hold the name, names a compiling office, names the agency explicitly) by source.

    Only explicit sources (title, the sentence naming the report or its compiler, CMS fields) may
    give a name without a place (教育局); the others (opening subject, contact line, breadcrumbs,
    signature) count only with a place or as a central body, which keeps stray words out.
    """
    head = doc.text[:1500]
    if title:
        yield title, False, True
    for line in _title_lines(head):
        yield line, False, True
    for pattern, anchor, before, after in _STATEMENTS:
        for name in _windowed(pattern, anchor, head, before, after):
            yield name, pattern.pattern.startswith("由"), True
    for key in _FIELDS:
        # A field may hold a breadcrumb (>>政务公开>>部门信息公开>>泾县黄村镇): the deepest part first.
        for part in reversed(re.split(r"[>|»]+", doc.header.get(key, ""))):
            if part.strip():
                yield part, False, True
    for match in _FIELD_CELL.finditer(head):
        yield match.group(1), False, True
    for name in _windowed(_SUBJECT, _SUBJECT_ANCHOR, doc.text[:2000], 0, 40):
        yield name, False, False
    for name in _windowed(_CONTACT, _CONTACT_ANCHOR, doc.text[:2500], 0, 45):
        yield name, False, False
    lines = [ln.strip() for ln in head.split("\n") if ln.strip()][:10]
    for line in lines:
        for part in re.split(r"[>|»]", line):
            yield part, False, False
    tail = [ln.strip() for ln in doc.text[-300:].split("\n") if ln.strip()]
    for line in tail[-3:]:
        yield line, False, False


def _windowed(pattern: re.Pattern[str], anchor: re.Pattern[str], text: str, before: int, after: int):
    """The names `pattern` captures in windows of `text` around each match of `anchor`."""
    for hit in anchor.finditer(text):
        window = text[max(0, hit.start() - before):hit.end() + after]
        for match in pattern.finditer(window):
            yield match.group(1)


def _title_lines(head: str) -> list[str]:
    """Lines of the head that carry the report words: titles, possibly with their agency."""
    out = []
    for line in head.split("\n")[:12]:
        for part in line.split("|"):
            if TITLE_YEAR.search(part) and not _BREADCRUMB.search(part):
                out.append(part)
    return out


def _candidate(raw: str, context: str, year: int | None, compiled_by: bool,
               bare_township: bool = False) -> _Candidate | None:
    """The agency name in `raw`, cut, expanded and located; None when it holds none.

    `bare_township`: a township name alone (谢塘镇) stands for its government, as where a CMS
    field names the publisher or the report calls itself 我镇.
    """
    name = _expand(_clean(raw))
    if len(name) < 2:
        return None
    national = bool(NATIONAL.search(name))
    place = gazetteer.Place() if national else gazetteer.locate(name, context, year)
    head = _ORGAN.search(name) if national else None
    if head and head.end() < len(name):
        # A central body's local office is named after it (国家税务总局北京市税务局): it sits in that place.
        local = gazetteer.locate(name[head.end():], context, year)
        short = next((s for s in gazetteer.province_names() if name.startswith(s, head.end())), "")
        if not local.prefix_end and short:  # 国家统计局广东调查总队
            local = gazetteer.Place(province=gazetteer.province_names()[short], prefix_end=len(short), prefix=short)
        if local.prefix_end:
            prefix = name[:head.end()] + local.prefix
            rest = name[head.end() + local.prefix_end:]
            organ = _ORGAN.search(rest)
            if organ:
                full = prefix + rest[:organ.end()]
                return _Candidate(full, dataclasses.replace(local, prefix_end=len(prefix)), False)
    if not national and not place.prefix_end:
        # The name may start inside the text given (要求编写沙洋县…): begin where a place does.
        for start in range(1, len(name) - 1):
            place = gazetteer.locate(name[start:], context, year)
            if place.prefix_end:
                name = name[start:]
                break
    if place.prefix_end:
        # Short forms become full names: 新疆自治区… → 新疆维吾尔自治区…, 文山州… → 文山壮族苗族自治州…
        name = place.prefix + name[place.prefix_end:]
        place = dataclasses.replace(place, prefix_end=len(place.prefix))
        rest = name[place.prefix_end:]
        organ = _ORGAN.search(rest)
        if not rest or _BARE_TOWNSHIP.fullmatch(rest):
            name = _organ_of_place(name)
        elif not organ:
            return None
        else:
            name = name[:place.prefix_end + organ.end()]  # a sub-unit may follow: 卫生局办公室 → 卫生局
    else:
        organ = _ORGAN.search(name)
        if _BARE_TOWNSHIP.fullmatch(name) and bare_township:
            name = _organ_of_place(name)  # 南薰乡, in a report that calls itself 我乡
        elif not organ or organ.start() == 0:
            return None  # an organ word alone (政府, 局) names nobody
        else:
            name = name[:organ.end()]
    if compiled_by and _COMPILES_FOR.search(name) and place.prefix_end:
        # 由伊宁县人民政府办公室编制: the office compiles the government's report.
        name = _COMPILES_FOR.sub("人民政府", name)
    name = _expand(name)
    if name in _noise()[1]:
        return None
    return _Candidate(name, place, national and not place.prefix_end)


def _clean(raw: str) -> str:
    """The name alone: chrome, field labels, mirror-site junk, years and report words removed."""
    cut, _, foreign = _noise()
    text = re.sub(r"\s+", "", raw)
    text = _BRACKETS.sub("", text)
    match = cut.search(text)
    if match:
        text = text[:match.start()] if match.start() > 1 else text[match.end():]
    text = _FIELD_LABEL.sub("", arabic_years(text))
    text = TITLE_YEAR.sub("", text)
    text = _FROM_REPORT_WORDS.sub("", text)
    text = _YEARS.sub("", text)
    text = _LATIN.sub("", text)
    text = _LEADING_VERB.sub("", text)
    text = _TRAILING_WORD.sub("", text).strip(" :：-—_|/>»·,，.。、的")
    if not text or _SELF.match(text) or foreign.search(text) or not _NAME_CHARS.fullmatch(text):
        return ""
    return text


def _expand(name: str) -> str:
    if not _abbreviation_pattern().search(name):
        return name
    for short, full in _csv_rows("agency_abbreviations.csv"):
        if name.endswith(short) or short + "办公" in name or short + "办" in name:
            name = name.replace(short, full, 1)
    return name


@cache
def _abbreviation_pattern() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(short) for short, _ in _csv_rows("agency_abbreviations.csv")))


def _organ_of_place(name: str) -> str:
    """The body that governs a place named alone. A zone is run by a 管理委员会 unless it is a
    division of the official lists with a government of its own (上海市浦东新区人民政府)."""
    for suffix, organ in _csv_rows("organ_of_place.csv"):
        if name.endswith(suffix) and not (organ == "管理委员会" and gazetteer.is_official(name)):
            return name + organ
    return name


def _complete(name: str, place: gazetteer.Place, text: str, year: int | None) -> tuple[str, gazetteer.Place]:
    """Apply the naming conventions of the module docstring; add a place the report implies."""
    if not place.prefix_end and not NATIONAL.search(name):
        implied = _website_place(text, year)
        if implied.prefix_end:
            return _complete(implied.prefix + name, gazetteer.locate(implied.prefix + name, text[:3000], year),
                             text, year)
        return name, place
    prefix = name[:place.prefix_end]
    if place.county and place.province in _municipalities() and not prefix.startswith(place.province):
        return place.province + name, _shift(place, len(place.province))
    if place.township and prefix == place.township and place.county + place.township in text:
        return place.county + name, _shift(place, len(place.county))  # 和平街道… → 梅河口市和平街道…
    single_district = place.county and place.city and prefix == place.county and place.county.endswith("区")
    if single_district and (re.match(r"区人民政府(?:办公室)?$", name[place.prefix_end - 1:])
                            or place.city + place.county in text):
        return place.city + name, _shift(place, len(place.city))
    return name, place


def _shift(place: gazetteer.Place, added: int) -> gazetteer.Place:
    return gazetteer.Place(place.province, place.city, place.county, place.township, place.prefix_end + added,
                           place.prefix)


@cache
def _municipalities() -> frozenset[str]:
    by_code = gazetteer.divisions()[0]
    return frozenset(by_code[c + "0" * 10].name for c in gazetteer.MUNICIPALITIES)


_WEBSITE = re.compile(r"([\u4e00-\u9fff]{2,12}?)(?:人民)?政府(?:门户)?(?:网站|信息公开网|公众信息网)")


def _website_place(text: str, year: int | None) -> gazetteer.Place:
    """The one place whose government's website a department without a place publishes on."""
    places = {}
    for match in _WEBSITE.finditer(text[:3000]):
        for start in range(len(match.group(1)) - 1):
            place = gazetteer.locate(match.group(1)[start:], text[:3000], year)
            if place.prefix_end == len(match.group(1)) - start:
                places[place.prefix] = place
                break
    return next(iter(places.values())) if len(places) == 1 else gazetteer.Place()


def _place_from_text(text: str, year: int | None) -> gazetteer.Place:
    """A province for an agency without a place: the one province the report names (天津市政府信息公开规定)."""
    names = gazetteer.province_names()
    found = {names[m.group()] for m in _province_pattern().finditer(text[:3000])}
    return gazetteer.Place(province=found.pop()) if len(found) == 1 else gazetteer.Place()


@cache
def _province_pattern() -> re.Pattern[str]:
    return re.compile("|".join(sorted(gazetteer.province_names(), key=len, reverse=True)))
