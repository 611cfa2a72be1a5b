"""Tables flattened into text: finding the rows, cutting the digits, ambiguity, round trips."""

from __future__ import annotations

import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclosure.document import Document
from govdisclosure.measures import APPLICANT_BREAKDOWNS
from govdisclosure.transform.national import extractor as template
from govdisclosure.transform.national import flat as flat_tables
from govdisclosure.transform.national.flat import scan_figures
from support import flat_synth


def doc(text: str) -> Document:
    return Document("test", "test.txt", text)


def table_facts(text: str) -> tuple[dict, list]:
    facts, findings = template.extract(doc(text))
    return {(f.measure, f.breakdown): f for f in facts}, findings


def truth_of(table: flat_synth.Table) -> dict:
    return {(m, b): v for m, vals in table.items() for b, v in zip(APPLICANT_BREAKDOWNS, vals)}


def test_scan_stops_at_text_and_drops_the_next_item_number():
    text = "3700000372.没有现成信息"
    chunks, _ = scan_figures(text, 0, len(text))
    assert [c.text for c in chunks] == ["370000037"]


def test_scan_boundaries_zero_marks_footers_units():
    text = "12 —3\n- 4 -\n5/无法"
    chunks, _ = scan_figures(text, 0, len(text))
    assert [c.text for c in chunks] == ["12", "—", "3", "5", "/"]
    text = "6 251000元三、"
    chunks, units = scan_figures(text, 0, len(text), signed_decimal=True)
    assert [c.text for c in chunks] == ["6", "251000"] and units == {1: "yuan"}
    text = "396-8 9116.36"
    chunks, _ = scan_figures(text, 0, len(text), signed_decimal=True)
    assert [c.text for c in chunks] == ["396", "-8", "9116.36"]


def test_offsets_point_at_the_row_figures():
    table = flat_synth.random_table(random.Random(4), "2021")
    text = flat_synth.render_flat(table, lambda: "")
    facts, _ = table_facts(text)
    for f in facts.values():
        assert text[f.span_start:f.span_end] == f.evidence


def test_wrapped_labels_and_footers_between_rows():
    table = flat_synth.consistent_table({m: [1, 0, 0, 0, 0, 0] for m in flat_synth.outcome_rows("2019")},
                                        [0] * 6, [0] * 6)
    text = flat_synth.render_flat(table, lambda: "")
    text = text.replace("（二）部分公开", "（二）部分\n公开（区分处理的，只计这一情形，\n不计其他情形）")
    text = text.replace("2.其他法律", "\n- 4 -\n2.其他法律")
    facts, _ = table_facts(text)
    assert facts[("outcome_partial", "natural_person")].value == 1
    assert facts[("outcome_withheld_state_secret", "total")].value == 1
    assert truth_of(table) == {k: f.value for k, f in facts.items() if f.method == "table"}


def test_ambiguous_cells_are_left_empty_with_a_warning():
    leaves = {m: [0] * 6 for m in flat_synth.outcome_rows("2021")}
    leaves["outcome_disclosed"] = [1, 10, 0, 0, 0, 0]  # printed "110000011" ...
    leaves["outcome_partial"] = [11, 0, 0, 0, 0, 0]    # ... exactly like this row: the two may swap
    table = flat_synth.consistent_table(leaves, [0] * 6, [0] * 6)
    facts, findings = table_facts(flat_synth.render_flat(table, lambda: ""))
    for measure in ("outcome_disclosed", "outcome_partial"):
        assert (measure, "natural_person") not in facts and (measure, "commercial") not in facts
        assert facts[(measure, "total")].value == 11 and facts[(measure, "research")].value == 0
    assert any(f.check == "flat_split_ambiguous" and "（一）予以公开" in f.message for f in findings)
    assert facts[("outcome_total", "natural_person")].value == 12


def test_row_that_cannot_add_up_is_not_read():
    table = flat_synth.consistent_table({m: [0] * 6 for m in flat_synth.outcome_rows("2019")}, [0] * 6, [0] * 6)
    text = flat_synth.render_flat(table, lambda: "").replace("（一）予以公开0000000", "（一）予以公开99999999")
    facts, findings = table_facts(text)
    assert ("outcome_disclosed", "total") not in facts
    assert any(f.check == "flat_split_failed" for f in findings)


def test_a_table_without_the_form_header_is_not_read():
    table = flat_synth.random_table(random.Random(1), "2019")
    text = flat_synth.render_flat(table, lambda: " ").replace(flat_synth.HEADER, "")
    assert flat_tables.read_request(doc(text), []) == ([], [])
    assert flat_tables.read_request(doc("今年本年新收政府信息公开申请23件，均已办结。"), []) == ([], [])


def test_review_row_split_by_its_blocks():
    header = "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼" + "结果维持结果纠正其他结果尚未审结总计" + \
             "未经复议直接起诉复议后起诉" + "结果维持结果纠正其他结果尚未审结总计" * 2
    facts, findings = table_facts(header + "1002012" + "00000" + "10001" + "五、存在的主要问题")
    got = [facts[(f"{block}_{leaf}", "")].value for block in ("reconsideration", "litigation_direct",
                                                               "litigation_after_review")
           for leaf in ("upheld", "corrected", "other", "pending", "total")]
    assert got == [10, 0, 2, 0, 12, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1]
    assert facts[("litigation_total", "")].value == 1
    assert not [f for f in findings if f.check != "template_table_missing"]


def test_proactive_rows_are_read_only_when_they_cut_one_way():
    text = ("二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章0 2 10行政规范性文件8855698"
            "第二十条第（九）项信息内容采购项目数量采购总金额政府集中采购6 251000元三、收到和处理政府信息公开申请情况")
    facts, findings = table_facts(text)
    assert [facts[(m, "")].value for m in ("rules_issued", "rules_repealed", "rules_in_force")] == [0, 2, 10]
    assert not any(k[0].startswith("normative_docs") for k in facts)
    assert any(f.check == "flat_split_ambiguous" and "8855698" in f.message for f in findings)
    amount = facts[("procurement_amount", "")]
    assert (amount.value, amount.unit, amount.evidence) == (251000, "yuan", "6 251000")


small = st.integers(0, 9)


@settings(max_examples=60, deadline=None)
@given(fmt=st.sampled_from(["2019", "2021"]), data=st.data())
def test_tables_with_one_digit_parts_come_back_exactly(fmt, data):
    # Rows whose six parts are single digits can only be cut one way; （七）and 一 follow from the
    # identities, so the whole table must come back whatever the spacing.
    leaves = {m: data.draw(st.lists(small, min_size=6, max_size=6)) for m in flat_synth.outcome_rows(fmt)}
    carry = [data.draw(st.lists(small, min_size=6, max_size=6)) for _ in range(2)]
    table = flat_synth.consistent_table(leaves, *carry)
    spaces = data.draw(st.lists(st.sampled_from(["", "", " ", "  ", "\n"]), min_size=300, max_size=300))
    feed = iter(spaces)
    facts, findings = table_facts(flat_synth.render_flat(table, lambda: next(feed, "")))
    assert {k: f.value for k, f in facts.items() if f.method == "table"} == truth_of(table)
    assert not [f for f in findings if f.check.startswith(("identity", "flat"))]


@settings(max_examples=60, deadline=None)
@given(fmt=st.sampled_from(["2019", "2021"]), data=st.data())
def test_any_table_read_back_is_never_wrong(fmt, data):
    cells = st.integers(0, 9) | st.integers(10, 99) | st.integers(100, 5000)
    leaves = {m: data.draw(st.lists(cells, min_size=6, max_size=6)) for m in flat_synth.outcome_rows(fmt)}
    carry = [data.draw(st.lists(cells, min_size=6, max_size=6)) for _ in range(2)]
    table = flat_synth.consistent_table(leaves, *carry)
    spaces = data.draw(st.lists(st.sampled_from(["", "", " "]), min_size=300, max_size=300))
    feed = iter(spaces)
    facts, _ = table_facts(flat_synth.render_flat(table, lambda: next(feed, "")))
    truth = truth_of(table)
    assert all(truth[k] == f.value for k, f in facts.items() if f.method == "table")


def test_pdf_text_layout_with_interleaved_header_and_wrapped_note():
    table = flat_synth.consistent_table({m: [1, 0, 0, 0, 0, 0] for m in flat_synth.outcome_rows("2021")},
                                        [0] * 6, [2, 0, 0, 0, 0, 0])
    text = flat_synth.render_flat(table, lambda: " ")
    text = text.replace(flat_synth.HEADER, "申请人情况\n自然人 法人或其他组织 总计\n商业 科研 社会公益 法律服务 其他\n企业 机构 组织 机构\n")
    text = re.sub(r"（二）部分公开((?: \d+){7})", r"（二）部分公开（区分处理的，只\1\n计这一情形，不计其他情形）", text)
    facts, _ = table_facts(text)
    assert {k: f.value for k, f in facts.items() if f.method == "table"} == truth_of(table)
    review = ("四、政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼\n结果 结果 其他 尚未 总计 未经复议直接起诉 复议后起诉\n"
              "维持 纠正 结果 审结 结果 结果 其他 尚未 总计 结果 结果 其他 尚未 总计\n维持 纠正 结果 审结 维持 纠正 结果 审结\n"
              "10 1 0 0 0 0 0 0 0 0 5 0 0 0 0\n五、存在的主要问题及改进情况")
    facts, _ = table_facts(review)
    assert (facts[("reconsideration_upheld", "")].value, facts[("reconsideration_total", "")].value,
            facts[("litigation_after_review_upheld", "")].value) == (10, 0, 5)


def test_prose_confirms_a_cut_only_when_it_leaves_one():
    table = ("第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件8855698"
             "第二十条第（五）项信息内容本年处理决定数量行政许可10690三、收到和处理政府信息公开申请情况")
    both = "本年度制发的规范性文件88件。集中公开现行有效行政规范性文件698件。"
    facts, _ = table_facts(both + table)
    assert [facts[(m, "")].value for m in ("normative_docs_issued", "normative_docs_repealed",
                                            "normative_docs_in_force")] == [88, 55, 698]
    one = "集中公开现行有效行政规范性文件698件。"  # 8|855|698, 88|55|698 and 885|5|698 remain
    facts, findings = table_facts(one + table)
    assert {k[0]: f.value for k, f in facts.items() if k[0].startswith("normative_docs")} == \
        {"normative_docs_in_force": 698}
    assert any(f.check == "flat_split_ambiguous" and "3 ways" in f.message for f in findings)
    contradicting = "本年度制发规范性文件7件，现行有效规范性文件698件。"
    facts, _ = table_facts(contradicting + table)
    assert not any(k[0].startswith("normative_docs") for k in facts)


def test_a_flattened_table_printed_twice_with_different_figures_is_flagged():
    first, second = (flat_synth.random_table(random.Random(seed), "2021") for seed in (5, 6))
    once = flat_synth.render_flat(first, lambda: "")
    facts, findings = table_facts(once + flat_synth.render_flat(second, lambda: ""))
    assert [f.check for f in findings if f.check == "template_row_duplicate"] == ["template_row_duplicate"]
    assert facts == table_facts(once)[0]  # the first copy is kept
    _, same = table_facts(once + once)
    assert not [f for f in same if f.check == "template_row_duplicate"]


def test_a_row_cut_off_by_the_end_of_the_copy_is_not_read():
    """Crawled excerpts stop mid-row: "19 0 0 0 0 0 1|9" cut after the 1 still splits one way into 7
    cells, with a total of 1 where the report prints 19."""
    table = flat_synth.consistent_table({m: [1, 0, 0, 0, 0, 0] for m in flat_synth.outcome_rows("2019")},
                                        [0] * 6, [0] * 6)
    text = flat_synth.render_flat(table, lambda: " ")
    row = re.search(r"本年新收政府信息公开申请数量 (\d+)( 0){5} (\d+)", text)
    complete, _ = table_facts(text)
    assert complete[("requests_new", "total")].value == int(row.group(3)) > 9
    cut, _ = table_facts(text[:row.end() - 1])
    assert not any(measure == "requests_new" for measure, _b in cut)
