"""Report metadata on every corpus file (expected values mirrored from the answer key) and on variants."""

from __future__ import annotations

import pytest

from conftest import RAW
from govdisclosure import metadata
from govdisclosure.document import Document
from govdisclosure.gazetteer import locate
from govdisclosure.pipeline import read_document

FIELDS = ["agency_name", "province", "city", "county", "report_year", "publish_date", "template"]


def test_every_corpus_file_matches_the_answer_key(expected_reports):
    for row in expected_reports.to_dict("records"):
        meta = metadata.describe(read_document(RAW / row["source_file"]))
        got = {f: "" if getattr(meta, f) is None else str(getattr(meta, f)) for f in FIELDS}
        assert got == {f: row[f] for f in FIELDS}, row["source_file"]


def test_admin_levels_of_the_corpus():
    levels = {name: metadata.describe(read_document(RAW / name)).admin_level
              for name in ("000_8b69490460605994.txt", "002_5be4ad7680cbbca5.txt", "hongze_district_2023.pdf",
                           "shanghai_gov_office_2019.html", "001_33c315b6bf25115a.txt")}
    assert levels == {"000_8b69490460605994.txt": "prefecture", "002_5be4ad7680cbbca5.txt": "provincial",
                      "hongze_district_2023.pdf": "county", "shanghai_gov_office_2019.html": "provincial",
                      "001_33c315b6bf25115a.txt": "county"}


def doc_with(text: str, **header: str) -> Document:
    return Document("d", "x.txt", text, header=dict(header))


@pytest.mark.parametrize("text, iso", [
    ("……能力素质。\n\n二〇一〇年一月六日\n", "2010-01-06"),
    ("……能力素质。\n二\ufffd一\ufffd年一月六日\n", "2010-01-06"),
    ("……\n二○一四年十二月三十一日", "2014-12-31"),
    ("……\n2014年1月10日\n", "2014-01-10"),
])
def test_signing_dates_in_chinese_numerals(text, iso):
    assert metadata.publish_date(doc_with(text)) == iso


def test_header_date_wins_over_signing_date():
    assert metadata.publish_date(doc_with("……\n2014年1月10日", 发布时间="2014-03-24 09:00")) == "2014-03-24"


@pytest.mark.parametrize("title, head, year", [
    ("宿州市统计局2013年政府信息公开工作年度报告", "", 2013),
    ("2020年上海市人民政府办公厅政府信息公开工作年度报告", "统计期限从2019年1月1日", 2020),
    ("省管局(省接待办)2009年度政务公开工作报告", "", 2009),
    ("", "本年报所列数据的统计期限自201311日起至20131231日止。", 2013),
    ("", "报告中所列数据统计期限自2023年1月1日起至2023年12月31日止。", 2023),
    ("", "现向社会公布鹤山市统计局2024年度政府信息公开工作报告。", 2024),
    ("关于印发工作要点的通知", "", None),
])
def test_report_year(title, head, year):
    assert metadata.report_year(title, head) == year


@pytest.mark.parametrize("title, agency", [
    ("宿迁市政府办公室2013年政府信息公开年度报告", "宿迁市人民政府办公室"),
    ("平潭综合实验区2013年政府信息公开工作年度报告", "平潭综合实验区管理委员会"),
    ("洪泽区人民政府2023年政府信息公开工作年度报告", "淮安市洪泽区人民政府"),
    ("2019年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅"),
    ("鹤山市2020年政府信息公开工作年度报告", "鹤山市人民政府"),
])
def test_agency_names_are_expanded_with_their_place(title, agency):
    assert metadata.describe(doc_with(title + "\n正文。")).agency_name == agency


def test_blank_template_is_not_a_report():
    meta = metadata.describe(read_document(RAW / "format_2021_blank_template.docx"))
    assert (meta.template, meta.agency_name, meta.report_year) == ("none", "", None)


def test_news_article_is_not_a_report():
    meta = metadata.describe(doc_with("市长调研春耕生产\n3月5日，市长一行到田间地头调研。"))
    assert meta.template == "none"


def test_gazetteer_resolves_ambiguous_names_from_context():
    assert locate("朝阳区人民政府").county == ""
    assert locate("朝阳区人民政府", "北京市朝阳区人民政府办公室").province == "北京市"
    assert locate("朝阳区人民政府", "长春市朝阳区").city == "长春市"


@pytest.mark.parametrize("title, level", [
    ("教育部2020年政府信息公开工作年度报告", "national"),
    ("国家统计局2019年政府信息公开工作年度报告", "national"),
    ("江苏省人民政府办公厅2020年政府信息公开工作年度报告", "provincial"),
    ("北京市朝阳区人民政府2021年政府信息公开工作年度报告", "county"),
])
def test_admin_level_variants(title, level):
    assert metadata.describe(doc_with(title + "\n正文。")).admin_level == level


def test_dates_inside_sentences_are_not_signing_dates():
    text = "……\n下一步，新办法自2024年1月1日起施行。\n"
    assert metadata.publish_date(doc_with(text)) is None


@pytest.mark.parametrize("year, table_words, expected", [
    (2022, "信息内容 上一年项目数量 本年增/减 处理决定数量 本年新收政府信息公开申请数量", "2021"),
    (2020, "本年新收政府信息公开申请数量 上年结转政府信息公开申请数量", "2019"),
    (2017, "依申请公开情况 受理申请246件", "narrative"),
])
def test_template_follows_the_year_covered(year, table_words, expected):
    doc = doc_with(f"某某县人民政府{year}年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n{table_words}")
    if expected == "narrative":
        doc = doc_with(f"某某县人民政府{year}年政府信息公开工作年度报告\n{table_words}")
    assert metadata.describe(doc).template == expected
