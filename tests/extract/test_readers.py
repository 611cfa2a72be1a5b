"""Readers: every file kind of the bundled corpus, plus the encodings and HTML shapes scrapers save."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclosure.extract import RawTable, UnreadableDocument, grid_from_spans, read_raw
from govdisclosure.extract import html as html_reader
from govdisclosure.extract import text as text_reader
from support.locations import RAW

SAMPLE = "平潭综合实验区2013年主动公开政府信息4970条。"


def tables_of(name: str) -> list[RawTable]:
    path = RAW / name
    return [b for b in read_raw(path, path.read_bytes()).blocks if isinstance(b, RawTable)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16", "utf-16-le"])
def test_text_encodings_are_detected(encoding):
    sample = SAMPLE * 5 if encoding != "big5" else "根據條例規定，主動公開政府信息4970條。" * 5
    decoded, problems = text_reader.decode(sample.encode(encoding))
    assert decoded.lstrip("\ufeff") == sample
    assert problems == []


def test_undecodable_bytes_do_not_raise():
    decoded, _ = text_reader.decode(b"\xff\xfe\xfd" * 3 + SAMPLE.encode("utf-8")[:-1] + b"\x81")
    assert isinstance(decoded, str)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_decode_without_error(data):
    assert isinstance(text_reader.decode(data)[0], str)


def test_grid_from_spans_expands_rowspan_and_colspan():
    grid = grid_from_spans([[("A", 2, 1), ("B", 1, 2)], [("C", 1, 1), ("", 1, 1)]])
    assert grid.rows == [["A", "B", ""], ["", "C", ""]]
    assert grid.origins == [[None, None, (0, 1)], [(0, 0), None, None]]


def test_html_word_export_keeps_blocks_and_flags_markup():
    page = ("<html><head><style>p.MsoNormal{mso-style-parent:'';}</style></head><body>"
            "<!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]-->"
            "<p class=MsoNormal>一、总体情况<o:p></o:p></p><div><span>2019年，</span>主动公开13件。</div>"
            "<table><tr><td><table><tr><td rowspan=2>规章</td><td>13</td></tr><tr><td>&nbsp;</td></tr>"
            "</table></td></tr></table></body></html>").encode("utf-8")
    doc = html_reader.read(page)
    texts = [b.strip() for b in doc.blocks if isinstance(b, str) and b.strip()]
    assert texts[:2] == ["一、总体情况", "2019年，主动公开13件。"]
    (table,) = [b for b in doc.blocks if isinstance(b, RawTable)]
    assert table.rows == [["规章", "13"], ["", ""]]
    assert table.origins[1][0] == (0, 0)
    assert "word_markup" in doc.problems


def test_html_corpus_tables_have_spans_expanded_and_blank_cells_kept():
    proactive, requests, review = tables_of("shanghai_gov_office_2019.html")
    assert proactive.rows[17] == ["政府集中采购", "6", "", "251000元", ""]
    assert len(requests.rows) == 26 and len(requests.rows[0]) == 10
    assert requests.rows[3][3:] == ["821", "35", "", "", "2", "1", "859"]
    assert requests.rows[24][1] == "（七）总计"
    assert review.rows[3] == ["5", "", "", "2", "7", "8", "", "", "1", "9", "", "", "", "", ""]


def test_docx_template_tables_read_merged_cells_once():
    proactive, requests, review = tables_of("format_2021_blank_template.docx")
    assert (len(proactive.rows), len(requests.rows), len(review.rows)) == (14, 28, 4)
    header = requests.rows[1]
    assert header[3:] == ["自然人", "法人或其他组织", "", "", "", "", "总计"]
    assert requests.origins[1][5] == (1, 4)  # 法人或其他组织 spans five columns, printed once
    assert all(cell == "" for row in requests.rows[3:] for cell in row[3:])


def test_pdf_request_table_is_joined_across_pages_without_footers():
    path = RAW / "hongze_district_2023.pdf"
    doc = read_raw(path, path.read_bytes())
    text = "\n".join(b for b in doc.blocks if isinstance(b, str))
    assert doc.page_count == 5
    assert "- 3 -" not in text and "- 1 -" not in text
    requests = next(t for t in tables_of("hongze_district_2023.pdf") if len(t.rows) > 20)
    assert requests.pages == (3, 4)
    labels = [row[2] or row[1] or row[0] for row in requests.rows]
    assert labels[-3:] == ["（六）其他处理", "（七）总计", "四、结转下年度继续办理"]
    assert requests.rows[-2][3:] == ["21", "0", "0", "0", "0", "0", "21"]


def test_pdf_body_text_is_in_reading_order_with_wrapped_lines_joined():
    path = RAW / "hongze_district_2023.pdf"
    blocks = [b for b in read_raw(path, path.read_bytes()).blocks if isinstance(b, str)]
    assert any("我区在政府网站平台主动公开政府信息 1136 条。" in b for b in blocks)
    heads = [b for b in blocks if b in ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况")]
    assert heads == ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"]


@pytest.mark.parametrize("name, data, words", [
    ("x.pdf", b"<!DOCTYPE html><html><body>404 Not Found</body></html>", "HTML page"),
    ("x.docx", b"this is not a zip", "not a valid .docx"),
    ("x.txt", b"   \n", "empty"),
    ("x.xls", b"\xd0\xcf\x11\xe0", "unsupported file type"),
])
def test_unreadable_files_raise_a_plain_message(name, data, words):
    with pytest.raises(UnreadableDocument, match=words):
        read_raw(Path(name), data)


def test_utf16_with_bom_file_reads_as_text(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"))
    assert read_raw(path, path.read_bytes()).blocks == [SAMPLE]
