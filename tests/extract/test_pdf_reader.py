"""The pdfium PDF reader: the same blocks as the pdfplumber reader it replaced, PDFs from other
producers, fonts without a Unicode map and scanned pages."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclosure.extract import RawTable, UnreadableDocument, read_raw
from govdisclosure.extract import pdf as reader
from govdisclosure.extract.pdf_layout import Char, Edge, cell_text, text_lines
from govdisclosure.extract.pdf_tables import find_tables
from govdisclosure.pipeline import process_file
from support.locations import RAW

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pdf"
HONGZE = RAW / "hongze_district_2023.pdf"


def read(path: Path):
    return read_raw(path, path.read_bytes())


def tables(doc) -> list[RawTable]:
    return [b for b in doc.blocks if isinstance(b, RawTable)]


def facts(path: Path) -> dict[tuple[str, str], float]:
    return {(f["measure"], f["breakdown"]): f["value"] for f in process_file(path).facts}


def combined(*parts: tuple[Path, int]) -> bytes:
    """A PDF made of the given (file, page index) pages, in order."""
    out = pdfium.PdfDocument.new()
    for path, index in parts:
        out.import_pages(pdfium.PdfDocument(path), [index])
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


# --- the bundled report: what the pdfplumber reader gave, block for block -----------------------


def test_hongze_blocks_are_those_of_the_previous_reader():
    doc = read(HONGZE)
    texts = [b for b in doc.blocks if isinstance(b, str)]
    assert len(doc.blocks) == 29 and len(texts) == 23
    assert texts[2].endswith("（地址：淮安市洪泽区洪泽湖大道 90号 ， 邮 编 ： 223100 ， 电 话 ： 0517-87222589 ， 电 子 邮 箱 ：")
    proactive, licences, _penalties, fees, requests, review = tables(doc)
    assert proactive.rows == [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "0", "0", "0"],
                              ["行政规范性文件", "0", "5", "5"]]
    assert licences.rows[1] == ["行政许可", "550", "", ""] and licences.origins[1] == [None, None, (1, 1), (1, 1)]
    assert fees.rows[2] == ["", ""] and fees.origins[2] == [None, (2, 0)]
    assert requests.rows[6][1] == "（二）部分公开（区分处理的，只计这一情 形，不计其他情形）"
    assert requests.origins[6][:3] == [(5, 0), None, (6, 1)]
    assert requests.rows[17][:3] == ["", "", "3.补正后申请内容仍不明确"] and requests.origins[17][:2] == [None, None]
    assert requests.origins[19][:2] == [(17, 0), (18, 1)]
    assert review.rows[1][4] == "总 计" and review.rows[3][:2] == ["10", "1"]
    assert review.origins[0][1:5] == [(0, 0)] * 4 and review.origins[2][:5] == [(1, 0), (1, 1), (1, 2), (1, 3), (1, 4)]
    assert doc.problems == [] and doc.findings == []


def test_hongze_facts_hold():
    got = facts(HONGZE)
    assert len(got) == 211
    assert (got[("requests_new", "total")], got[("licensing_decisions", "")], got[("fees_amount", "")]) == (21, 550, 7730.28)
    assert got[("outcome_unavailable_not_held", "total")] == 10 and got[("normative_docs_in_force", "")] == 5


# --- other producers -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["shanghai_gov_office_2019_chromium.pdf", "shanghai_gov_office_2019_libreoffice.pdf"])
def test_printed_html_report_keeps_its_tables(name):
    doc = read(FIXTURES / name)
    html = tables(read(RAW / "shanghai_gov_office_2019.html"))
    printed = tables(doc)
    # The proactive-disclosure tables and the review table survive printing cell for cell.
    assert printed[0].rows == [["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
                               ["规章", "13", "13", "524"], ["规范性文件", "60", "60", "368"]]
    assert printed[-1].rows[3] == html[-1].rows[3] == ["5", "", "", "2", "7", "8", "", "", "1", "9", "", "", "", "", ""]
    # pdfium maps Chromium's CJK-radical glyphs to the ideographs themselves (pdfminer gave U+2F00 …).
    text = "".join(b for b in doc.blocks if isinstance(b, str))
    assert "上海市人民政府办公厅" in text and not any("\u2e80" <= ch <= "\u2fdf" for ch in text)


def test_printed_html_report_gives_the_html_figures():
    # LibreOffice breaks the request table inside its header row ("科研" | "机构" on the next
    # page), so the two parts have different columns: they are joined on the columns of either,
    # and the cut heading row is mended. Every figure of the HTML comes back.
    html = facts(RAW / "shanghai_gov_office_2019.html")
    assert len(html) == 220
    assert facts(FIXTURES / "shanghai_gov_office_2019_libreoffice.pdf") == html
    requests = tables(read(FIXTURES / "shanghai_gov_office_2019_libreoffice.pdf"))[5]
    assert requests.pages == (5, 6, 7) and requests.rows[2][4:9] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]


def test_chromium_print_keeps_the_tables_that_survive_printing():
    # Chromium cuts the request table inside the merged cell 三、本年度办理结果 with no rule under
    # it, so the parts are not joined; the other tables survive whole.
    html = facts(RAW / "shanghai_gov_office_2019.html")
    printed = facts(FIXTURES / "shanghai_gov_office_2019_chromium.pdf")
    survived = [key for key in html if not key[0].startswith(("requests_", "outcome_"))]
    assert len(survived) == 38
    assert {key: printed.get(key) for key in survived} == {key: html[key] for key in survived}


def test_parts_of_one_table_with_different_columns_are_joined_on_the_finer_columns():
    top = reader._Grid(0, 40, 0, 300, [["甲", "乙", "丙"], ["丁", "1", "2"]], [[None] * 3, [None] * 3], 1,
                       (0.0, 100.0, 200.0, 300.0))
    bottom = reader._Grid(0, 20, 0, 300, [["", "戊", "3", "4"]], [[None] * 4], 2, (0.5, 50.0, 100.0, 201.0, 300.0))
    (table,) = reader._assemble([(1, 0.0, top), (2, 0.0, bottom)])
    assert table.rows == [["甲", "", "乙", "丙"], ["丁", "", "1", "2"], ["", "戊", "3", "4"]]
    assert table.origins == [[None, (0, 0), None, None], [None, (1, 0), None, None], [None] * 4]
    assert table.pages == (1, 2)
    # a part of another width is another table
    other = reader._Grid(0, 20, 0, 200, [["x", "5"]], [[None] * 2], 2, (0.0, 100.0, 200.0))
    assert len(reader._assemble([(1, 0.0, top), (2, 0.0, other)])) == 2


def test_printed_docx_template_reads_as_the_docx():
    doc = read(FIXTURES / "format_2021_blank_template_libreoffice.pdf")
    found = tables(doc)
    docx = tables(read(RAW / "format_2021_blank_template.docx"))
    assert [(t.pages, len(t.rows), len(t.rows[0])) for t in found] == [
        ((1,), 3, 4), ((1,), 2, 4), ((1,), 3, 4), ((1,), 2, 4), ((2,), 27, 10), ((3,), 4, 15)]
    assert found[0].rows == [docx[0].rows[1], ["规章", "", "", ""], ["行政规范性文件", "", "", ""]]
    assert [row[:4] for row in found[-1].rows[:2]] == [["行政复议", "", "", ""], ["结果维持", "结果纠正", "其他结果", "尚未审结"]]


# --- fonts without a Unicode map -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["cid_font_no_unicode.pdf", "cid_font_with_cmap.pdf"])
def test_cid_font_without_tounicode_is_a_clear_error(name):
    with pytest.raises(UnreadableDocument, match=rf"{name}: page 1 cannot be decoded: the font has no Unicode map"):
        read(FIXTURES / name)
    result = process_file(FIXTURES / name)
    assert result.facts == [] and [c["check"] for c in result.checks] == ["unreadable_document"]
    assert result.reports[0]["problems"] == "unreadable;undecodable_font"


def test_an_undecodable_page_is_left_out_with_an_error_and_the_rest_is_read(tmp_path):
    path = tmp_path / "mixed.pdf"
    path.write_bytes(combined((HONGZE, 0), (FIXTURES / "cid_font_no_unicode.pdf", 0), (HONGZE, 1)))
    doc = read(path)
    (finding,) = doc.findings
    assert (finding.check, finding.severity) == ("undecodable_font", "error")
    assert finding.message.startswith(f"{path}: page 2 cannot be decoded: the font has no Unicode map")
    text = "\n".join(b for b in doc.blocks if isinstance(b, str))
    assert "洪泽区人民政府" in text and "\ufffd" not in text
    assert doc.problems == ["undecodable_font"]


def test_undecodable_glyphs_never_pass_for_digits():
    page = pdfium.PdfDocument(FIXTURES / "cid_font_no_unicode.pdf")[0]
    from govdisclosure.extract.pdf_layout import page_chars

    chars = page_chars(page.get_textpage(), page.get_mediabox()[3])
    assert chars and all(ch.text == "\ufffd" for ch in chars if ch.bad)
    assert not any(ch.text.isdigit() for ch in chars)


# --- scanned pages ---------------------------------------------------------------------------------


def test_a_scanned_document_is_refused_with_a_plain_message(monkeypatch):
    from govdisclosure.extract import pdf_ocr

    monkeypatch.setattr(pdf_ocr, "available", lambda: False)
    with pytest.raises(UnreadableDocument, match="is a scanned document without a text layer"):
        read(FIXTURES / "scanned_hongze_page3.pdf")
    result = process_file(FIXTURES / "scanned_hongze_page3.pdf")
    assert result.reports[0]["problems"] == "unreadable;scanned"
    assert [(c["check"], c["severity"]) for c in result.checks] == [("unreadable_document", "error")]


def test_a_scanned_page_among_text_pages_is_a_warning(monkeypatch, tmp_path):
    from govdisclosure.extract import pdf_ocr

    monkeypatch.setattr(pdf_ocr, "available", lambda: False)
    path = tmp_path / "part_scanned.pdf"
    path.write_bytes(combined((HONGZE, 0), (FIXTURES / "scanned_hongze_page3.pdf", 0)))
    doc = read(path)
    (finding,) = doc.findings
    assert (finding.check, finding.severity) == ("scanned_page", "warning")
    assert "page 2 is a scanned image without a text layer" in finding.message
    assert doc.problems == ["scanned"]


# --- the geometry, on made-up pages ------------------------------------------------------------------


def _char(text: str, x0: float, top: float, size: float = 10.0, index: int = 0) -> Char:
    return Char(text, x0, top, x0 + size, top + size, index=index)


def test_a_ruled_grid_becomes_cells_and_rows():
    # Three rules across, three down: a 2 x 2 table; the middle vertical stops at the second row.
    edges = [Edge(False, y, 0, 100) for y in (0, 20, 40)] + [Edge(True, x, 0, 40) for x in (0, 100)]
    edges.append(Edge(True, 50, 0, 20))
    (table,) = find_tables(edges)
    assert table.rows == [[(0, 0, 50, 20), (50, 0, 100, 20)], [(0, 20, 100, 40), None]]
    chars = [_char("甲", 5, 5, index=0), _char("乙", 55, 5, index=1), _char("丙", 5, 25, index=2)]
    assert table.extract(chars) == [["甲", "乙"], ["丙", None]]


def test_edges_within_the_tolerance_snap_and_join():
    edges = [Edge(False, 0, 0, 60), Edge(False, 1.5, 58, 100), Edge(False, 40, 0, 100),
             Edge(True, 0, 0, 40), Edge(True, 100.5, 1, 40)]
    (table,) = find_tables(edges + [Edge(True, 50, 0, 40)])
    assert len(table.cells) == 2


def test_words_split_at_gaps_and_lines_by_height():
    chars = [_char("1", 0, 0), _char("2", 10, 0.5), _char("条", 24, 0), _char("下", 0, 20)]
    assert [ln.text for ln in text_lines(chars)] == ["12 条", "下"]
    assert cell_text(chars) == "12 条下"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("一二三4 5"), st.floats(0, 400), st.floats(0, 400)), max_size=40))
def test_text_lines_keep_every_visible_character(spec):
    chars = [_char(t, x, y, index=n) for n, (t, x, y) in enumerate(spec)]
    lines = text_lines(chars)
    assert sorted("".join(ln.text for ln in lines).replace(" ", "")) == sorted(t for t, _, _ in spec if t != " ")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 300), min_size=2, max_size=6, unique=True),
       st.lists(st.floats(0, 300), min_size=2, max_size=6, unique=True))
def test_a_full_grid_has_one_cell_per_gap(xs, ys):
    xs, ys = sorted(xs), sorted(ys)
    if min(b - a for a, b in itertools.pairwise(xs)) <= 4 or min(b - a for a, b in itertools.pairwise(ys)) <= 4:
        return  # rules closer than the snapping tolerance merge, as they should
    edges = [Edge(False, y, xs[0], xs[-1]) for y in ys] + [Edge(True, x, ys[0], ys[-1]) for x in xs]
    found = find_tables(edges)
    cells = (len(xs) - 1) * (len(ys) - 1)
    assert (sum(len(t.cells) for t in found), len(found)) == ((cells, 1) if cells > 1 else (0, 0))


def test_damaged_pdfs_are_plain_errors():
    data = HONGZE.read_bytes()
    with pytest.raises(UnreadableDocument, match="damaged or truncated"):
        reader.read(data[: len(data) // 3], "cut.pdf")
