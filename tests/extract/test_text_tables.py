"""Tables saved as text rows: every layout reads like the original grid, prose never becomes a table.

The bundled template reports are rebuilt in each text layout from their own table facts
(`support.text_layouts`) and must give exactly those facts back; the 2019–2025 reports of the
national development set whose tables crawlers saved as text must give the figures coded for them;
a text cut anywhere gives a subset of the figures, never a different one; and random grids
round-trip while random prose stays prose.
"""

from __future__ import annotations

import csv
import functools
import html
import re

import opencc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govdisclosure.extract import RawTable, read_raw
from govdisclosure.extract.text_tables import find_tables
from govdisclosure.pipeline import read_document
from govdisclosure.transform.national import extractor as template
from govdisclosure.transform.national import grid
from support.locations import FIXTURES, RAW
from support.text_layouts import LAYOUTS, report_text

TEMPLATE_REPORTS = ("pingtan_zone_2019.txt", "pingtan_zone_2022.txt", "shanghai_gov_office_2019.html",
                    "hongze_district_2023.pdf")
NATIONAL = FIXTURES / "national"
_TABLE_NOTE = re.compile(r"^(?:主动公开表|收到和处理申请表)")


@functools.cache
def _original(name: str) -> tuple:
    """The national-table facts of a bundled report, read from its own container."""
    facts, _findings = template.extract(read_document(RAW / name))
    return tuple(facts)


def _triples(facts) -> set[tuple[str, str, float]]:
    return {(f.measure, f.breakdown, f.value) for f in facts}


def _read(text: str):
    doc = read_document("report.txt", text.encode("utf-8"))
    facts, _findings = template.extract(doc)
    return doc, facts


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("name", TEMPLATE_REPORTS)
def test_template_report_reads_the_same_in_every_layout(name, layout):
    original = _original(name)
    assert len(original) > 150  # the report's three tables (or what its flattened text gives)
    doc, facts = _read(report_text(list(original), LAYOUTS[layout]))
    assert _triples(facts) == _triples(original)
    assert doc.tables and not any(table.aligned for table in doc.tables)
    for f in facts:
        if f.method == "table":
            assert doc.text[f.span_start:f.span_end] == f.evidence


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_rows_in_the_paragraphs_of_an_html_page_read_the_same(layout):
    original = _original("pingtan_zone_2022.txt")
    lines = report_text(list(original), LAYOUTS[layout]).splitlines()
    page = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines) + "</body></html>"
    doc = read_document("report.html", page.encode("utf-8"))
    facts, _findings = template.extract(doc)
    assert _triples(facts) == _triples(original)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("name", ["pingtan_zone_2022.txt", "shanghai_gov_office_2019.html"])
def test_a_traditional_script_page_reads_the_same(name, layout):
    # The form's labels are simplified; a traditional page (規範性文件 | 0 | 0 |) is converted only
    # when it is cleaned, after its lines were told from prose.
    original = _original(name)
    traditional = opencc.OpenCC("s2t").convert(report_text(list(original), LAYOUTS[layout]))
    assert "規範性文件" in traditional
    _doc, facts = _read(traditional)
    assert _triples(facts) == _triples(original)


def _coded(name: str) -> dict[tuple[str, str], float]:
    """The table figures the answer key codes for one development-set report."""
    with (NATIONAL / "expected_facts.csv").open(encoding="utf-8") as fh:
        return {(row["measure"], row["breakdown"]): float(row["value"]) for row in csv.DictReader(fh)
                if row["source_file"] == name and _TABLE_NOTE.match(row["note"]) and row["value"] != "NA"}


#: Coded figures these files do not give yet: dongli prints the header cells cut to 本年新 | 本年新,
#: which name neither column; the answer key codes them by their position in the form.
_NOT_READ = {"dongli_edu_2019.txt": {("rules_issued", ""), ("rules_published_new", ""),
                                      ("normative_docs_issued", ""), ("normative_docs_published_new", "")}}


@pytest.mark.parametrize("name, n_coded", [("dongli_edu_2019.txt", 18), ("guihua_street_2019.txt", 22),
                                           ("yuntai_town_2020.txt", 43), ("maguan_eco_2023.txt", 10)])
def test_development_set_text_tables_give_the_coded_figures(name, n_coded):
    doc = read_document(NATIONAL / name)
    facts, _findings = template.extract(doc)
    got = {(f.measure, f.breakdown): f.value for f in facts if f.method == "table"}
    coded = _coded(name)
    assert len(coded) == n_coded
    assert set(coded) - set(got) == _NOT_READ.get(name, set())
    assert {key: got[key] for key in set(got) & set(coded)} == {key: coded[key] for key in set(got) & set(coded)}
    assert set(got) <= set(coded)  # nothing from the rows the excerpt cuts off
    for f in facts:
        assert doc.text[f.span_start:f.span_end] == f.evidence


def test_one_cell_per_line_rows_are_closed_by_an_empty_cell():
    lines = ["第二十条第（一）项 | ||||", "信息内容 |", "本年新制作数量 |", "本年新公开数量 |", "对外公开总数量 | |",
             "规章 |", "1 |", "2 |", "3 | |", "规范性文件 |", "4 |", "5 |", "6 | |"]
    [table] = find_tables(lines)
    assert table.rows == [["第二十条第（一）项", "", "", ""], ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
                          ["规章", "1", "2", "3"], ["规范性文件", "4", "5", "6"]]
    assert not table.aligned


def test_markdown_rules_and_full_width_pipes():
    lines = ["｜信息内容｜本年制发件数｜现行有效件数｜", "|:---|---:|---|", "｜规章｜0｜3｜", "｜行政规范性文件｜12｜40｜"]
    [table] = find_tables(lines)
    assert table.rows == [["信息内容", "本年制发件数", "现行有效件数"], ["规章", "0", "3"], ["行政规范性文件", "12", "40"]]


def test_a_cut_file_does_not_read_its_last_line():
    lines = ["信息内容 | 本年制发件数 | 现行有效件数 |", "规章 | 0 | 3 |", "行政规范性文件 | 12 | 4"]
    table, last = find_tables(lines, cut=True)
    assert table.rows[-1] == ["规章", "0", "3"] and last == lines[-1]
    [table] = find_tables(lines, cut=False)
    assert table.rows[-1] == ["行政规范性文件", "12", "4"]


def test_a_table_ending_the_page_loses_a_row_shorter_than_the_one_above():
    lines = ["信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |", "规章 | 0 | 0 | 3 |", "行政规范性文件 | 12 | 4 |"]
    table, rest = find_tables(lines)
    assert table.rows[-1] == ["规章", "0", "0", "3"] and rest == lines[-1]  # the line stays text
    [table] = find_tables([*lines, "三、收到和处理政府信息公开申请情况"])[:1]
    assert table.rows[-1][:3] == ["行政规范性文件", "12", "4"]


_PIPE_LAYOUTS = ("pipe", "markdown", "cell_per_line", "cell_per_line_unmarked")


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_text_cut_anywhere_gives_no_wrong_figure_from_its_grids(layout, data):
    """Cut inside a line (the file then ends without a line break) or after one (nothing shows the cut)."""
    text = report_text(list(_original("shanghai_gov_office_2019.html")), LAYOUTS[layout])
    cut = data.draw(st.integers(text.index("二、"), len(text)), label="cut")
    doc = read_document("report.txt", text[:cut].encode("utf-8"))
    cells = {(f.measure, f.breakdown): f.value for f in _original("shanghai_gov_office_2019.html")}
    for read in (grid.read_proactive, grid.read_request, grid.read_review):
        readings, _findings = read(doc)
        for r in readings:
            assert r.value is None or cells[(r.measure, r.breakdown)] == r.value, r


@pytest.mark.parametrize("layout", _PIPE_LAYOUTS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_text_cut_anywhere_gives_no_wrong_figure(layout, data):
    """The same, for every figure of the document, in the layouts with pipes.

    Lines a cut table does not use stay text, where the flattened-table reader looks for figures;
    it stops at a pipe, but does not know of cuts: a tab-separated row cut in a figure, or cells one
    per line cut inside a row, can reach it.
    """
    original = _triples(_original("shanghai_gov_office_2019.html"))
    text = report_text(list(_original("shanghai_gov_office_2019.html")), LAYOUTS[layout])
    cut = data.draw(st.integers(text.index("二、"), len(text)), label="cut")
    _doc, facts = _read(text[:cut])
    got = _triples(facts)
    assert got <= original, sorted(got - original)


_LABELS = ("规章", "行政规范性文件", "行政许可", "其他对外管理服务事项", "行政处罚", "行政强制", "行政事业性收费",
           "政府集中采购", "教育收费项目", "社会救助资金")
_COLUMN_LABELS = ("本年制发件数", "本年废止件数", "现行有效件数", "上一年项目数量", "本年增/减", "处理决定数量",
                  "采购项目数量", "采购总金额")
_figures = st.one_of(st.integers(0, 10**7).map(str), st.decimals(0, 10**5, places=2).map(lambda d: f"{d:.2f}"),
                     st.integers(-500, -1).map(str))


@st.composite
def _grids(draw) -> list[list[str]]:
    """A header (信息内容 and the column labels) over rows of a label and figures, all rows full."""
    n = draw(st.integers(2, 7))
    header = ["信息内容", *draw(st.lists(st.sampled_from(_COLUMN_LABELS), min_size=n, max_size=n))]
    rows = draw(st.lists(st.tuples(st.sampled_from(_LABELS), st.lists(_figures, min_size=n, max_size=n)),
                         min_size=2, max_size=8))
    rows[0] = ("规章", rows[0][1])  # one row of the form: one cell per line needs it to be a table
    return [header, *([label, *figures] for label, figures in rows)]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@settings(max_examples=60, deadline=None)
@given(grid=_grids())
def test_random_grids_round_trip_in_every_layout(layout, grid):
    headings = ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"]
    prose = "本机关将继续做好政府信息公开工作，进一步提高公开质量。"
    blocks = find_tables([headings[0], *LAYOUTS[layout](grid), headings[1], prose])
    tables = [b for b in blocks if isinstance(b, RawTable)]
    assert len(tables) == 1
    # Short lines next to cells written one per line are rows of one cell of the same table.
    rows = [row for row in tables[0].rows if row[0] not in headings or any(row[1:])]
    assert rows == grid
    assert [b for b in blocks if isinstance(b, str)] + [row[0] for row in tables[0].rows if row not in rows] \
        in ([*headings, prose], [prose, *headings])
    assert blocks[-1] == prose


_CJK_WORDS = ("政府信息", "公开", "申请", "办理", "工作", "本机关", "依法", "群众", "平台", "网站", "规章", "行政许可",
              "行政处罚", "主动公开", "答复", "条", "件", "年度", "信息内容")
_words = st.lists(st.sampled_from(_CJK_WORDS), min_size=1, max_size=8).map("".join)
_numbers = st.integers(0, 100000).map(str)
_prose_lines = st.one_of(
    st.tuples(_words, _numbers, st.sampled_from("条件次项"), _words).map(lambda t: f"{t[0]}{t[1]}{t[2]}，{t[3]}。"),
    st.tuples(st.sampled_from("一二三四五六七"), _words).map(lambda t: f"{t[0]}、{t[1]}情况"),
    st.tuples(st.integers(1, 9), _words, _numbers).map(lambda t: f"{t[0]}. {t[1]}{t[2]}件"),
    _numbers,
    _words,
    st.just(""),
    st.tuples(_words, _numbers).map(lambda t: f"{t[0]}：{t[1]}"),
    st.tuples(st.integers(2008, 2025), _words).map(lambda t: f"{t[0]}年，{t[1]}。"),
)


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(_prose_lines, min_size=1, max_size=40))
def test_prose_is_never_a_table(lines):
    assert find_tables(lines) == lines


@pytest.mark.parametrize("layout", ["pipe", "tabs", "spaces"])
def test_tables_that_are_not_the_national_forms_stay_text(layout):
    """A narrative-era statistics table and a list of channels are read from the text, not as grids."""
    statistics = [["指标名称", "计量单位", "2013年度", "历年累计"], ["主动公开信息数", "条", "72804", "76424"],
                  ["行政复议数", "件", "0", "0"], ["行政诉讼数", "件", "1", "3"]]
    channels = [["渠道", "本年", "上年"], ["政府网站", "120", "98"], ["政务微博", "30", "41"], ["政务微信", "12", "0"]]
    for rows in (statistics, channels):
        lines = LAYOUTS[layout](rows)
        assert find_tables(lines) == lines


@pytest.mark.parametrize("path", sorted(p.name for p in NATIONAL.glob("*.txt")))
def test_only_the_tables_the_development_set_saved_as_text_are_found(path):
    lines = (NATIONAL / path).read_text(encoding="utf-8").split("\n")
    found = [b for b in find_tables(lines) if isinstance(b, RawTable)]
    with_tables = {"dongli_edu_2019.txt": 1, "guihua_street_2019.txt": 1, "yuntai_town_2020.txt": 2,
                   "maguan_eco_2023.txt": 1}
    assert len(found) == with_tables.get(path, 0)


@pytest.mark.parametrize("name", sorted(p.name for p in RAW.iterdir() if p.suffix in (".txt", ".html")))
def test_the_bundled_text_and_html_reports_have_no_text_tables(name):
    blocks = read_raw(RAW / name, (RAW / name).read_bytes()).blocks
    assert all(isinstance(block, str) or block.aligned for block in blocks)


def _request_text(header: list[list[str]], rows: list[list[str]]) -> str:
    lines = [" | ".join(row) + " |" for row in header + rows]
    return "\n".join(["三、收到和处理政府信息公开申请情况", *lines, "四、政府信息公开行政复议、行政诉讼情况", "无。"]) + "\n"


_STACKED = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
            ["自然人", "法人或其他组织", "总计"], ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]]


def test_request_rows_from_text_take_the_forms_columns_and_skip_short_rows():
    rows = [["一、本年新收政府信息公开申请数量", "5", "1", "0", "0", "0", "2", "8"],
            ["二、上年结转政府信息公开申请数量", "1", "0", "0", "0", "0", "0"],  # one cell short
            ["三、本年度办理结果", "（一）予以公开", "3", "1", "0", "0", "0", "1", "5"]]
    readings, _findings = grid.read_request(read_document("r.txt", _request_text(_STACKED, rows).encode()))
    got = {(r.measure, r.breakdown): r.value for r in readings}
    assert got == {**{("requests_new", b): v for b, v in zip(_APPLICANTS, (5, 1, 0, 0, 0, 2, 8))},
                   **{("outcome_disclosed", b): v for b, v in zip(_APPLICANTS, (3, 1, 0, 0, 0, 1, 5))}}


def test_a_request_table_whose_only_row_is_short_gives_nothing():
    rows = [["一、本年新收政府信息公开申请数量", "5", "1", "0"]]
    readings, _findings = grid.read_request(read_document("r.txt", _request_text(_STACKED, rows).encode()))
    assert readings == []


def test_a_request_header_that_does_not_name_every_applicant_gives_nothing():
    header = [_STACKED[0], _STACKED[1], ["商业企业", "社会公益组织", "法律服务机构", "其他"]]
    rows = [["一、本年新收政府信息公开申请数量", "5", "1", "0", "0", "2", "8"]]
    readings, _findings = grid.read_request(read_document("r.txt", _request_text(header, rows).encode()))
    assert readings == []


_APPLICANTS = ("natural_person", "commercial", "research", "public_interest", "legal_service", "other_org", "total")
