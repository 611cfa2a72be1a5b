"""Grid tables (HTML, DOCX, PDF-like): labels not positions, quirks of real copies, round trips."""

from __future__ import annotations

import io

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govdisclosure.measures import APPLICANT_BREAKDOWNS
from govdisclosure.pipeline import read_document
from govdisclosure.transform.national import extractor as template
from support import flat_synth

APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")


def extract_html(html: str) -> tuple[dict, list]:
    facts, findings = template.extract(read_document("report.html", data=html.encode("utf-8")))
    return {(f.measure, f.breakdown): f for f in facts}, findings


def row(label: str, *cells: object, span: int = 1) -> str:
    head = f'<td colspan="{span}">{label}</td>' if span > 1 else f"<td>{label}</td>"
    return "<tr>" + head + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def request_html(rows: list[str], header: tuple[str, ...] = APPLICANTS) -> str:
    """A request table with a one-row header (labels in one column) followed by `rows`."""
    head = "<tr><td>申请人情况</td>" + "".join(f"<td>{h}</td>" for h in header) + "</tr>"
    return "<p>三、收到和处理政府信息公开申请情况</p><table>" + head + "".join(rows) + "</table>"


BASE = [row("一、本年新收政府信息公开申请数量", 5, 1, 0, 0, 0, 0, 6),
        row("二、上年结转政府信息公开申请数量", 1, 0, 0, 0, 0, 0, 1),
        row("（一）予以公开", 3, 1, 0, 0, 0, 0, 4),
        row("（七）总计", 6, 1, 0, 0, 0, 0, 7),
        row("四、结转下年度继续办理", 0, 0, 0, 0, 0, 0, 0)]


def test_columns_are_found_by_their_labels_with_notes_and_wrapping():
    header = ("自然人（个人）", "商<br/>业<br/>企<br/>业", "科 研 机 构", "社会公益组织", "法律服务机构", "其他（组织）",
              "总计（件）")
    facts, _ = extract_html(request_html(BASE, header))
    assert facts[("requests_new", "commercial")].value == 1
    assert facts[("requests_new", "total")].value == 6
    assert facts[("requests_new", "natural_person")].label == "一、本年新收政府信息公开申请数量 / 自然人（个人）"


def test_columns_in_another_order_and_extra_columns():
    header = ("总计", "小计", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
    rows = [row("一、本年新收政府信息公开申请数量", 6, 1, 5, 1, 0, 0, 0, 0)]
    facts, _ = extract_html(request_html(rows, header))
    assert facts[("requests_new", "total")].value == 6 and facts[("requests_new", "natural_person")].value == 5
    assert not any(k[1] == "" for k in facts)


def test_zero_marks_and_blanks_are_zero_in_a_table_with_figures():
    rows = [row("一、本年新收政府信息公开申请数量", 5, "-", "—", "/", "无", "", 5)]
    facts, _ = extract_html(request_html(rows))
    assert [facts[("requests_new", b)].value for b in APPLICANT_BREAKDOWNS] == [5, 0, 0, 0, 0, 0, 5]


def test_blank_form_gives_nothing():
    rows = [row("一、本年新收政府信息公开申请数量", *[""] * 7), row("（一）予以公开", *[""] * 7)]
    facts, _ = extract_html(request_html(rows))
    assert facts == {}


def test_extra_rows_are_ignored_and_reported():
    rows = BASE[:1] + [row("其中：网上申请", 4, 1, 0, 0, 0, 0, 5)] + BASE[1:]
    facts, findings = extract_html(request_html(rows))
    assert facts[("requests_carried_in", "total")].value == 1
    assert any(f.check == "template_row_unknown" and "网上申请" in f.message for f in findings)


def test_label_cut_by_a_page_break_and_footer_rows():
    base = [b.replace("<tr><td>", '<tr><td colspan="2">', 1) for b in BASE]  # two label columns
    rows = base[:3] + [
        "<tr><td>（四）无</td><td>1.本机关不掌</td>" + "".join(f"<td>{v}</td>" for v in (2, 0, 0, 0, 0, 0, 2)) + "</tr>",
        row("- 4 -", *[""] * 8),
        "<tr><td>法提供</td><td>握相关政府信息</td>" + "<td></td>" * 7 + "</tr>",
    ] + base[3:]
    header = ("", *APPLICANTS)  # two label columns
    facts, _ = extract_html(request_html(rows, header))
    assert facts[("outcome_unavailable_not_held", "natural_person")].value == 2
    assert ("outcome_unavailable", "total") not in facts  # only one of its three rows is printed


def test_group_total_derived_and_group_subtotal_row_checked():
    rows = BASE[:3] + [row("（三）不予公开", 3, 0, 0, 0, 0, 0, 3)] + [
        row(label, v, 0, 0, 0, 0, 0, v) for label, v in
        (("1.属于国家秘密", 1), ("2.其他法律行政法规禁止公开", 0), ("3.危及“三安全一稳定”", 0), ("4.保护第三方合法权益", 0),
         ("5.属于三类内部事务信息", 0), ("6.属于四类过程性信息", 1), ("7.属于行政执法案卷", 0), ("8.属于行政查询事项", 0))] + BASE[3:]
    facts, findings = extract_html(request_html(rows))
    withheld = facts[("outcome_withheld", "natural_person")]
    assert (withheld.value, withheld.method) == (2, "derived")
    assert any(f.check == "identity_group_subtotal" and "2" in f.message for f in findings)


def test_single_other_row_and_three_other_rows():
    single = BASE[:3] + [row("（六）其他处理", 0, 0, 0, 0, 0, 0, 0)] + BASE[3:]
    facts, _ = extract_html(request_html(single))
    assert facts[("outcome_other", "total")].method == "table"
    assert ("outcome_other_misc", "total") not in facts
    three = BASE[:3] + [row("（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 1, 0, 0, 0, 0, 0, 1),
                        row("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 0, 0, 0, 0, 0, 0, 0),
                        row("3.其他", 2, 0, 0, 0, 0, 0, 2)] + BASE[3:]
    facts, _ = extract_html(request_html(three))
    assert facts[("outcome_other_misc", "natural_person")].value == 2
    assert (facts[("outcome_other", "total")].value, facts[("outcome_other", "total")].method) == (3, "derived")


def test_continuation_table_without_header_keeps_the_columns():
    first = request_html(BASE[:3])
    second = "<table>" + "".join(BASE[3:]) + "</table>"
    facts, _ = extract_html(first + "<p>- 5 -</p>" + second)
    assert facts[("outcome_total", "commercial")].value == 1


PROACTIVE_2019 = """<table>
<tr><td colspan="4">第二十条第（一）项</td></tr>
<tr><td>信息内容</td><td>本年新<br/>制作数量</td><td>本年新<br/>公开数量</td><td>对外公开总数量</td></tr>
<tr><td>规章</td><td>1</td><td>1</td><td>10</td></tr>
<tr><td colspan="4">第二十条第（五）项</td></tr>
<tr><td>信息内容</td><td>上一年项目数量</td><td colspan="2">本年增/减</td><td>处理决定数量</td></tr>
<tr><td>行政许可</td><td colspan="2">120</td><td>-8</td><td>1,036</td></tr>
<tr><td>其他对外管理服务事项</td><td colspan="2">3</td><td>+2</td><td>—</td></tr>
<tr><td colspan="4">第二十条第（九）项</td></tr>
<tr><td>信息内容</td><td colspan="2">采购项目数量</td><td colspan="2">采购总金额</td></tr>
<tr><td>政府集中采购</td><td colspan="2">6</td><td colspan="2">25.5万元</td></tr>
</table>"""


def test_proactive_2019_values_pair_with_headers_despite_merged_cells():
    facts, _ = extract_html("<p>二、主动公开政府信息情况</p>" + PROACTIVE_2019)
    assert facts[("rules_in_force", "")].value == 10
    assert facts[("licensing_items_prev_year", "")].value == 120
    assert facts[("licensing_items_change", "")].value == -8
    assert facts[("licensing_decisions", "")].value == 1036
    assert facts[("other_services_items_change", "")].value == 2
    assert facts[("other_services_decisions", "")].value == 0
    amount = facts[("procurement_amount", "")]
    assert (amount.value, amount.unit, amount.evidence) == (25.5, "10k_yuan", "25.5万元")


def test_2021_report_with_2019_proactive_headers_reads_the_printed_columns():
    html = PROACTIVE_2019.replace("规章", "行政规范性文件")
    facts, _ = extract_html("<p>2022年度报告</p>" + html)
    assert facts[("normative_docs_published_new", "")].value == 1
    assert ("normative_docs_repealed", "") not in facts


def test_proactive_2021_fee_amount_decimals():
    html = """<table><tr><td>信息内容</td><td>本年收费金额（单位：万元）</td></tr>
    <tr><td>行政事业性收费</td><td>7730.28</td></tr></table>"""
    facts, _ = extract_html(html)
    assert (facts[("fees_amount", "")].value, facts[("fees_amount", "")].unit) == (7730.28, "10k_yuan")


REVIEW = """<table>
<tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>
<tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td><td rowspan="2">尚未审结</td>
<td rowspan="2">总计</td><td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>
<tr>{leaves}{leaves}</tr>
<tr>{cells}</tr></table>"""
LEAVES = "".join(f"<td>{x}</td>" for x in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))


def test_review_row_by_labels_and_litigation_total():
    cells = "".join(f"<td>{v}</td>" for v in (1, 0, 0, 1, 2, 3, "", "", "", 3, 0, 1, 0, 0, 1))
    facts, findings = extract_html(REVIEW.format(leaves=LEAVES, cells=cells))
    assert facts[("reconsideration_total", "")].value == 2
    assert facts[("litigation_direct_corrected", "")].value == 0
    assert facts[("litigation_after_review_corrected", "")].value == 1
    assert (facts[("litigation_total", "")].value, facts[("litigation_total", "")].method) == (4, "derived")
    assert not findings


def test_docx_request_table():
    document = docx.Document()
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    table = document.add_table(rows=3, cols=8)
    for r, cells in enumerate((("申请人情况", *APPLICANTS), ("一、本年新收政府信息公开申请数量", "2", "", "", "", "", "1", "3"),
                               ("（一）予以公开", "2", "", "", "", "", "1", "3"))):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    facts, _ = template.extract(read_document("report.docx", data=buffer.getvalue()))
    got = {(f.measure, f.breakdown): f.value for f in facts}
    assert got[("requests_new", "other_org")] == 1 and got[("outcome_disclosed", "commercial")] == 0


cells = st.integers(0, 40) | st.integers(0, 3000)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fmt=st.sampled_from(["2019", "2021"]), data=st.data())
def test_synthetic_html_tables_come_back_exactly(fmt, data):
    leaves = {m: data.draw(st.lists(cells, min_size=6, max_size=6)) for m in flat_synth.outcome_rows(fmt)}
    carry = [data.draw(st.lists(cells, min_size=6, max_size=6)) for _ in range(2)]
    table = flat_synth.consistent_table(leaves, *carry)
    facts, findings = extract_html(flat_synth.render_html(table))
    got = {k: f.value for k, f in facts.items() if f.method == "table"}
    assert got == {(m, b): v for m, vals in table.items() for b, v in zip(APPLICANT_BREAKDOWNS, vals)}
    assert not [f for f in findings if f.check.startswith("identity")]


def test_page_break_right_below_the_headers():
    header = "<table><tr><td>申请人情况</td>" + "".join(f"<td>{h}</td>" for h in APPLICANTS) + "</tr></table>"
    facts, _ = extract_html("<p>三、收到和处理政府信息公开申请情况</p>" + header + "<table>" + "".join(BASE) + "</table>")
    assert facts[("requests_new", "total")].value == 6
    review_header = REVIEW.format(leaves=LEAVES, cells="").replace("<tr></tr>", "")
    cells = "".join(f"<td>{v}</td>" for v in (1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 2))
    facts, _ = extract_html(review_header + "<p>- 6 -</p><table><tr>" + cells + "</tr></table>")
    assert facts[("litigation_after_review_total", "")].value == 2
    proactive = ("<table><tr><td>信息内容</td><td>本年处理决定数量</td></tr></table><p>- 3 -</p>"
                 "<table><tr><td>行政处罚</td><td>4119</td></tr><tr><td>行政强制</td><td>195</td></tr></table>")
    facts, _ = extract_html(proactive)
    assert facts[("penalty_decisions", "")].value == 4119 and facts[("coercion_decisions", "")].value == 195


def test_proactive_rows_with_a_numbering_column():
    html = """<table><tr><td>序号</td><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
    <tr><td>1</td><td>规章</td><td>2</td><td>1</td><td>30</td></tr></table>"""
    facts, _ = extract_html(html)
    assert [facts[(m, "")].value for m in ("rules_issued", "rules_repealed", "rules_in_force")] == [2, 1, 30]
