"""Sections: headings found by numbering and key words, across eras and flattened text."""

from __future__ import annotations

from govdisclosure import metadata, sections
from govdisclosure.pipeline import read_document
from support.locations import RAW


def parts_of(name: str) -> tuple[list[sections.Section], list]:
    doc = read_document(RAW / name)
    template = metadata.describe(doc).template
    parts = sections.split(doc, template)
    return parts, sections.findings(doc, parts, template)


def test_2021_format_sections_in_flattened_text():
    parts, findings = parts_of("pingtan_zone_2022.txt")
    assert [p.section for p in parts] == ["overview", "overview", "proactive", "requests", "review_litigation",
                                          "problems", "other"]
    assert findings == []
    problems = next(p for p in parts if p.section == "problems")
    assert problems.text.startswith("2022年，平潭综合实验区政府信息公开工作取得了一定成绩")


def test_stripped_tables_are_reported_as_empty_sections():
    parts, findings = parts_of("001_33c315b6bf25115a.txt")
    assert [f.check for f in findings] == ["section_empty"] * 3
    assert {p.section for p in parts if not p.text} == {"proactive", "requests", "review_litigation"}


def test_narrative_subheadings_cut_inside_a_generic_section():
    parts, _ = parts_of("003_9011374d10fa4802.txt")
    assert [p.section for p in parts][:6] == ["overview", "overview", "proactive", "requests",
                                                "review_litigation", "problems"]
    problems = next(p for p in parts if p.section == "problems")
    assert problems.heading == "(五)政府信息公开工作存在问题及改进情况"


def test_sections_cover_the_text_in_order():
    for name in ("hongze_district_2023.pdf", "shanghai_gov_office_2019.html", "pingtan_zone_2013.txt"):
        parts, _ = parts_of(name)
        starts = [p.span_start for p in parts]
        assert starts == sorted(starts)
        assert all(p.span_start < p.span_end for p in parts)


def test_classify_tolerates_wording_variants():
    assert sections.classify("政府信息公开工作存在的主要问题及改进情况") == "problems"
    assert sections.classify("因政府信息公开申请行政复议、提起行政诉讼的情况") == "review_litigation"
    assert sections.classify("政府信息依申请公开工作情况") == "requests"
    assert sections.classify("主动公开政府信息情况") == "proactive"
    assert sections.classify("其他需要报告的事项") == "other"


def test_heading_ends_where_flattened_text_runs_on():
    text = ("五、存在的主要问题及改进情况2022年，我区仍存在问题。二、主动公开政府信息情况第二十条第（一）项"
            "六、其他需要报告的事项无其他需要报告的事项五、主要问题和改进措施虽然，")
    heads = [text[m.start(1):sections._heading_end(text, m.end())] for m in sections._HEADING.finditer(text)]
    assert heads == ["五、存在的主要问题及改进情况", "二、主动公开政府信息情况", "六、其他需要报告的事项",
                     "五、主要问题和改进措施"]
