"""Request and review figures in the prose of 2019/2021-format reports.

The national tables are authoritative, but in real copies they are often cut off by the end of an
excerpt or stripped when the page is saved as text; the prose then holds the only figures. The
sentences here are those of real reports (the development set), each with a negative twin that
the same rule must not read.
"""

from __future__ import annotations

import pytest

from govdisclosure import clean, pipeline
from govdisclosure.document import Document
from govdisclosure.transform import extract_facts
from govdisclosure.transform.narrative import extractor as narrative
from support.locations import FIXTURES


def figures(text: str, template: str) -> dict[tuple[str, str], list[float]]:
    doc = Document("test", "test.txt", clean.normalise(text))
    found: dict[tuple[str, str], list[float]] = {}
    for f in narrative.extract(doc, template)[0]:
        found.setdefault((f.measure, f.breakdown), []).append(f.value)
    return found


NHC = ("(二)依申请公开工作情况。\n2024年,共收到政府信息公开申请1046件。其中,通过委官方网站提交申请表的862件,"
       "占比82.4%;通过信函提交申请的171件,占比16.3%;当面提交13件,占比1.3%。公民个人提出申请1030件,"
       "占比98.5%;法人或其他组织提出申请16件,占比1.5%。")
HRSS = ("(二)依申请公开。全年受理依申请信息公开21件,包括信函申请2件、网络申请19件,全部在规定时间内办结。"
        "其中予以公开10件,部分公开2件。全年共收到行政复议1件,维持结果1件,尚未办结0件;未经复议直接诉讼0件,"
        "复议后诉讼0件。")


@pytest.mark.parametrize(("text", "expected"), [
    (NHC, {("requests_new", "total"): [1046], ("requests_new", "natural_person"): [1030]}),
    ("2019年,桂花街道办事处全年在荷塘区政府门户网站公开信息77条,收到1份政府信息公开申请。其中公开信息方面,分别公开机构信息1条。",
     {("requests_new", "total"): [1]}),
    ("(二)依申请公开情况\n2020年度和平街道发生依申请公开1次。\n", {("requests_new", "total"): [1]}),
    ("全年通过东丽区政府信息公开网站主动发布公开信息424件,收到处理依申请公开件4件,没有发生政府信息公开行政复议和行政诉讼案件。",
     {("requests_new", "total"): [4]}),
    (HRSS, {("requests_new", "total"): [21], ("reconsideration_total", ""): [1],
            ("reconsideration_upheld", ""): [1], ("reconsideration_pending", ""): [0],
            ("litigation_direct_total", ""): [0], ("litigation_after_review_total", ""): [0],
            ("litigation_total", ""): [0]}),
])
def test_request_and_review_figures_in_national_prose(text, expected):
    found = figures(text, "2021")
    assert {k: found.get(k) for k in expected} == expected


def test_one_kind_of_applicant_is_not_the_total():
    # 法人或其他组织提出申请16件 counts one kind of applicant; 受理公民、法人和其他组织提出的…申请 counts all.
    found = figures(NHC, "2021")
    assert 16 not in found[("requests_new", "total")]
    assert figures("2017年,受理公民、法人和其他组织提出的政府信息公开申请2件,按时办结2件。", None)[
        ("requests_new", "total")] == [2]


@pytest.mark.parametrize("text", [
    "2021年,共受理政府信息公开申请30件(含上年结转5件),均已按时答复。",
    "2020年共收到政府信息公开申请30件,其中包括上年结转申请5件。",
])
def test_a_count_that_includes_carried_over_requests_is_not_the_new_requests(text):
    assert ("requests_new", "total") not in figures(text, "2021")
    assert ("requests_new", "total") not in figures(text.replace("2021", "2015").replace("2020", "2015"), None)


def test_pre_2019_breakdowns_stay_unread_in_national_prose():
    # The 2019 form has no request methods: 信函申请2件、网络申请19件 is read only in narrative reports.
    assert ("requests_by_method", "letter") not in figures(HRSS, "2021")
    assert figures(HRSS.replace("(二)", "2015年(二)"), None)[("requests_by_method", "letter")] == [2]


def test_review_pending_needs_a_review_and_not_a_lawsuit():
    # 尚未办结 of requests is carried forward; in a sentence of lawsuits it is no review case.
    assert ("reconsideration_pending", "") not in figures(
        "(二)依申请公开。全年受理政府信息公开申请21件,尚未办结0件。", "2021")
    assert ("reconsideration_pending", "") not in figures(
        "(四)因政府信息公开被申请行政复议、提起行政诉讼情况。全年发生行政诉讼2件,尚未审结1件。", "2021")


def test_the_table_figure_wins_over_the_prose(tmp_path):
    # A real 2019-format report whose request table is complete (all zeros), with a prose count
    # put before it that disagrees: the table is kept and the disagreement is a check.
    text = (FIXTURES / "national" / "yuntai_town_2020.txt").read_text(encoding="utf-8")
    path = tmp_path / "report.txt"
    path.write_text("2020年,共收到政府信息公开申请9件。\n" + text, encoding="utf-8")
    doc = pipeline.read_document(path)
    facts, findings = extract_facts(doc, "2019")
    assert [f.value for f in facts if (f.measure, f.breakdown) == ("requests_new", "total")] == [0]
    assert any("requests_new" in f.message and "9" in f.message for f in findings)


def test_a_lawsuit_total_is_said_only_by_two_zeros():
    # One kind of lawsuit with cases, or only one kind stated: no total is added up.
    assert ("litigation_total", "") not in figures(HRSS.replace("复议后诉讼0件", "复议后诉讼2件"), "2021")
    assert ("litigation_total", "") not in figures(HRSS.replace(",复议后诉讼0件", ""), "2021")
