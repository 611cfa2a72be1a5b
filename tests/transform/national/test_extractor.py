"""The template extractor end to end on the corpus: every source kind, both formats, exact values."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest

from govdisclosure.document import Document
from govdisclosure.pipeline import read_document
from govdisclosure.transform.national import extractor as template
from support.locations import FIXTURES, RAW

EXPECTED = FIXTURES / "template" / "expected_corpus.csv"


@pytest.fixture(scope="module")
def extracted() -> dict[str, tuple[list, list, str]]:
    out = {}
    for name in ("pingtan_zone_2019.txt", "pingtan_zone_2022.txt", "shanghai_gov_office_2019.html",
                 "hongze_district_2023.pdf", "format_2021_blank_template.docx"):
        doc = read_document(RAW / name)
        facts, findings = template.extract(doc)
        out[name] = (facts, findings, doc.text)
    return out


def _expected() -> dict[str, list[tuple[str, str, str]]]:
    rows = defaultdict(list)
    with EXPECTED.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rows[r["source_file"]].append((r["measure"], r["breakdown"], r["value"]))
    return rows


@pytest.mark.parametrize("name", ["pingtan_zone_2019.txt", "pingtan_zone_2022.txt", "shanghai_gov_office_2019.html",
                                  "hongze_district_2023.pdf"])
def test_corpus_values_are_exact(extracted, name):
    facts, _findings, _text = extracted[name]
    got = defaultdict(list)
    for f in facts:
        got[(f.measure, f.breakdown)].append(f.value)
    for measure, breakdown, value in _expected()[name]:
        values = got.get((measure, breakdown), [])
        if value == "NA":
            assert values == [], (measure, breakdown, values)
        else:
            accepted = {float(v) for v in value.split("|")}
            assert values and set(values) <= accepted, (measure, breakdown, values, value)


def test_each_cell_is_one_fact(extracted):
    for name, (facts, _findings, _text) in extracted.items():
        keys = [(f.measure, f.breakdown) for f in facts]
        assert len(keys) == len(set(keys)), name


def test_evidence_is_the_text_at_the_offsets(extracted):
    for facts, _findings, text in extracted.values():
        for f in facts:
            assert text[f.span_start:f.span_end] == f.evidence


def test_blank_template_yields_no_figures(extracted):
    facts, findings, _text = extracted["format_2021_blank_template.docx"]
    assert facts == []
    assert not [f for f in findings if f.check == "template_table_missing"]


def test_methods_units_and_labels(extracted):
    facts = {(f.measure, f.breakdown): f for f in extracted["shanghai_gov_office_2019.html"][0]}
    amount = facts[("procurement_amount", "")]
    assert (amount.value, amount.unit, amount.evidence) == (251000, "yuan", "251000元")
    assert facts[("requests_new", "natural_person")].label == "一、本年新收政府信息公开申请数量 / 自然人"
    assert facts[("outcome_withheld", "natural_person")].method == "derived"
    assert facts[("outcome_withheld", "natural_person")].value == 32
    assert facts[("litigation_total", "")].method == "derived"
    assert all(f.method == "table" for k, f in facts.items() if k[0] not in
               ("outcome_withheld", "outcome_unavailable", "outcome_not_processed", "litigation_total"))
    hongze = {(f.measure, f.breakdown): f for f in extracted["hongze_district_2023.pdf"][0]}
    assert (hongze[("fees_amount", "")].value, hongze[("fees_amount", "")].unit) == (7730.28, "10k_yuan")
    assert hongze[("outcome_other", "total")].method == "table"  # a single （六） row in a 2021 report
    pingtan = {(f.measure, f.breakdown): f for f in extracted["pingtan_zone_2022.txt"][0]}
    assert pingtan[("outcome_other", "commercial")].method == "derived"
    assert pingtan[("outcome_disclosed", "natural_person")].evidence == "210000021"


def test_printed_numbers_are_kept_and_failures_reported(extracted):
    facts, findings, _text = extracted["hongze_district_2023.pdf"]
    printed = {f.measure: f.value for f in facts if not f.breakdown}
    assert printed["reconsideration_total"] == 0 and printed["reconsideration_upheld"] == 10
    messages = [f.message for f in findings if f.check == "identity_review_block"]
    assert any("行政复议" in m and "11" in m and "总计 prints 0" in m for m in messages)
    shanghai = extracted["shanghai_gov_office_2019.html"][1]
    assert any(f.check == "identity_row_sum" and "（一）予以公开" in f.message and "272" in f.message
               for f in shanghai)


def test_ambiguous_flattened_cells_are_left_empty_with_a_warning(extracted):
    facts, findings, _text = extracted["pingtan_zone_2019.txt"]
    assert any(f.check == "flat_split_ambiguous" and "'898989'" in f.message for f in findings)
    assert not [f for f in facts if f.measure.startswith(("normative_docs", "licensing", "procurement"))]


def test_prose_settles_an_ambiguous_proactive_row(extracted):
    # "8855698" cuts 15 ways; the prose states 现行有效…698件 and 制发…88件, which leaves one.
    facts, findings, _text = extracted["pingtan_zone_2022.txt"]
    got = {f.measure: f.value for f in facts if f.measure.startswith("normative_docs")}
    assert got == {"normative_docs_issued": 88, "normative_docs_repealed": 55, "normative_docs_in_force": 698}
    assert not any("8855698" in f.message for f in findings)


@pytest.mark.parametrize("name", ["000_8b69490460605994.txt", "002_5be4ad7680cbbca5.txt", "003_9011374d10fa4802.txt",
                                  "004_8799f3e0a9f899ab.txt", "pingtan_zone_2013.txt", "pingtan_zone_2018.txt"])
def test_narrative_era_reports_give_nothing(name):
    facts, findings = template.extract(read_document(RAW / name))
    assert facts == [] and findings == []


def test_stripped_tables_are_reported_missing():
    facts, findings = template.extract(read_document(RAW / "001_33c315b6bf25115a.txt"))
    assert facts == []
    assert sorted(f.check for f in findings) == ["template_table_missing"] * 3


def test_scope_follows_what_the_report_says_it_covers():
    table = ("三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
             "一、本年新收政府信息公开申请数量1000001\n二、上年结转政府信息公开申请数量")  # the row is not cut
    facts, _ = template.extract(Document("a", "a.txt", table))
    assert {f.scope for f in facts} == {"agency"}
    summary = "本报告根据全市各区、各部门政府信息公开工作年度报告汇总编制。" + table
    facts, _ = template.extract(Document("b", "b.txt", summary))
    assert {f.scope for f in facts} == {"jurisdiction"}


def test_tables_and_prose_of_a_jurisdiction_summary_share_their_scope():
    from govdisclosure.transform import extract_facts
    from support.locations import RAW

    doc = read_document(RAW / "pingtan_zone_2022.txt")  # 汇总平潭综合实验区各有关单位…编制而成
    facts, _ = extract_facts(doc, "2021")
    assert {f.scope for f in facts if f.method in ("table", "derived")} == {"jurisdiction"}
    assert {f.scope for f in facts if f.method == "text"} == {"jurisdiction"}
