"""Memory bombs within the size limits, and pages nested past the parser's defaults.

Each bomb is read by `process_file` in a child process whose address space is capped (2.5 GB,
about a gigabyte over what the interpreter and its libraries reserve), so a bomb that gets through
fails the test with a MemoryError instead of taking the machine down; the child also reports its
peak resident memory, which must stay small.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from govdisclosure.pipeline import process_file
from support.capped import read_capped
from support.locations import RAW


def _limit_error(result: dict) -> str:
    errors = [c for c in result["checks"] if c["severity"] == "error"]
    assert [c["check"] for c in errors] == ["limit_exceeded"], result["checks"]
    return errors[0]["message"]


def test_html_spans_of_a_thousand_are_refused_before_the_grid_is_built(tmp_path):
    cell = '<td rowspan="1000" colspan="1000">1</td>'
    page = tmp_path / "spans.html"
    page.write_text("<html><body><p>政府信息公开工作年度报告</p><table>"
                    + f"<tr>{cell * 20}</tr>" * 30 + "</table></body></html>")
    message = _limit_error(read_capped(page))
    assert message.startswith(f"{page} has a table") and "grid positions" in message


def _docx_with_body(tmp_path: Path, body_xml: str, name: str = "bomb.docx") -> Path:
    """A real .docx (made by python-docx) whose body is replaced by `body_xml`."""
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = tmp_path / name
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                text = data.decode()
                start, end = text.index("<w:body>") + len("<w:body>"), text.index("<w:sectPr")
                data = (text[:start] + body_xml + text[end:]).encode()
            zf.writestr(info, data)
    return out


def _paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _cell(text: str, properties: str = "") -> str:
    return f"<w:tc><w:tcPr>{properties}</w:tcPr>{_paragraph(text)}</w:tc>"


def test_a_docx_grid_span_of_two_billion_is_refused(tmp_path):
    table = "<w:tbl><w:tr>" + _cell("1", '<w:gridSpan w:val="2000000000"/>') + "</w:tr></w:tbl>"
    path = _docx_with_body(tmp_path, _paragraph("政府信息公开工作年度报告") + table)
    assert "grid positions" in _limit_error(read_capped(path))


def test_a_docx_vertical_merge_over_two_thousand_rows_is_read_in_linear_time(tmp_path):
    rows = ["<w:tr>" + _cell("合并", '<w:vMerge w:val="restart"/>') + _cell("0") + "</w:tr>"]
    rows += ["<w:tr>" + _cell("", "<w:vMerge/>") + _cell(str(i)) + "</w:tr>" for i in range(1, 2000)]
    path = _docx_with_body(tmp_path, _paragraph("政府信息公开工作年度报告") + f"<w:tbl>{''.join(rows)}</w:tbl>")
    from govdisclosure.extract import read_raw

    table = read_raw(path, path.read_bytes()).blocks[-1]
    assert table.rows[0] == ["合并", "0"] and table.rows[1999] == ["", "1999"]
    assert table.origins[1999][0] == (0, 0)


def test_a_docx_whose_headers_understate_its_size_is_stopped_as_it_inflates(tmp_path):
    path = _docx_with_body(tmp_path, _paragraph("政府信息公开工作年度报告") + _paragraph("无" * 1000))
    # A large XML part that the central directory declares tiny.
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/padding.xml", b"<a>" + b" " * (40 * 2**20) + b"</a>")
    data = bytearray(path.read_bytes())
    entry = data.rfind(b"PK\x01\x02", 0, data.rfind(b"word/padding.xml"))
    data[entry + 24:entry + 28] = (100).to_bytes(4, "little")  # declared uncompressed size
    path.write_bytes(bytes(data))
    result = read_capped(path)
    assert result["checks"][0]["check"] in ("limit_exceeded", "unreadable_document"), result["checks"]
    if result["checks"][0]["check"] == "limit_exceeded":
        assert "XML" in result["checks"][0]["message"]


def test_a_docx_with_a_huge_document_xml_is_refused_before_parsing(tmp_path):
    path = _docx_with_body(tmp_path, _paragraph("政府信息公开工作年度报告") + _paragraph("一" * (40 * 2**20 // 3)))
    assert "bytes of XML text" in _limit_error(read_capped(path))


def test_four_hundred_chinese_numerals_before_a_unit_are_no_figure_and_lose_nothing(tmp_path):
    report = (RAW / "pingtan_zone_2013.txt").read_text(encoding="utf-8")
    path = tmp_path / "numerals.txt"
    path.write_text(report + "\n另收到" + "九" * 400 + "件。\n", encoding="utf-8")
    result = process_file(path)
    assert not [c for c in result.checks if c["severity"] == "error"]
    assert len(result.facts) == len(process_file(RAW / "pingtan_zone_2013.txt").facts)


REPORT_HTML = "<p>本年新收政府信息公开申请数量{n}件。</p>"


@pytest.mark.parametrize("nesting", [300, 1500])
def test_a_deeply_nested_page_is_read_whole(tmp_path, nesting):
    text = (RAW / "pingtan_zone_2013.txt").read_text(encoding="utf-8")
    body = "".join(f"<p>{line}</p>" for line in text.splitlines())
    page = tmp_path / "deep.html"
    page.write_text(f"<html><body>{'<div>' * nesting}{body}{'</div>' * nesting}</body></html>", encoding="utf-8")
    plain = tmp_path / "plain.html"
    plain.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    deep, flat = process_file(page), process_file(plain)
    assert [f["value"] for f in deep.facts] == [f["value"] for f in flat.facts] and flat.facts
    assert not [c for c in deep.checks if c["severity"] == "error"]


def test_a_page_nested_past_the_parser_limit_says_it_was_read_in_part(tmp_path):
    page = tmp_path / "deeper.html"
    page.write_text("<html><body><p>政府信息公开工作年度报告" + "正文" * 100 + "</p>" + "<div>" * 3000
                    + "<p>后文</p>" + "</div>" * 3000 + "</body></html>", encoding="utf-8")
    checks = process_file(page).checks
    truncated = [c for c in checks if c["check"] == "document_truncated"]
    assert truncated and truncated[0]["severity"] == "error" and str(page) in truncated[0]["message"]


def test_an_inline_image_of_eleven_megabytes_before_the_report_loses_nothing(tmp_path):
    text = (RAW / "pingtan_zone_2013.txt").read_text(encoding="utf-8")
    body = "".join(f"<p>{line}</p>" for line in text.splitlines())
    page = tmp_path / "image.html"
    page.write_text(f'<html><body><img src="data:image/png;base64,{"A" * 11_000_000}">{body}</body></html>',
                    encoding="utf-8")
    result = process_file(page)
    assert not [c for c in result.checks if c["severity"] == "error"], result.checks
    assert len(result.facts) == len(process_file(RAW / "pingtan_zone_2013.txt").facts)


def test_an_html_report_saved_as_pdf_is_read_as_html(tmp_path):
    text = (RAW / "pingtan_zone_2013.txt").read_text(encoding="utf-8")
    path = tmp_path / "report.pdf"
    path.write_text("<!DOCTYPE html><html><head><title>年度报告</title></head><body>"
                    + "".join(f"<p>{line}</p>" for line in text.splitlines()) + "</body></html>", encoding="utf-8")
    result = process_file(path)
    assert "wrong_suffix" in result.reports[0]["problems"]
    assert len(result.facts) == len(process_file(RAW / "pingtan_zone_2013.txt").facts)
