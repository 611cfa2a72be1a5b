"""PDF decompression bombs: a 1 MB file whose page content inflates to a gigabyte.

The bombs are real, minimal PDFs written here byte by byte. The end-to-end tests read them with
`process_file` in a child process whose address space is capped, as in `test_memory_bombs.py`:
without the guard pdfium holds the whole inflated stream (2 GB), which fails under the cap. The
other tests call the guard directly on small bombs (a few MiB against a limit of one) to cover the
ways a stream can be written: filter arrays, short names, an indirect /Length, an ASCII layer.
"""

from __future__ import annotations

import base64
import time
import zlib
from pathlib import Path

import pytest

from govdisclosure.extract import pdf_guard
from govdisclosure.limits import DEFAULT, LimitExceeded
from support.capped import read_capped
from support.locations import FIXTURES, RAW

MIB = 2**20
_TEXT = b"BT /F1 12 Tf 72 700 Td (hello) Tj ET\n"



def _zeros_deflated(mib: int, prefix: bytes = b"") -> bytes:
    """zlib data for `prefix` followed by `mib` MiB of zeros, made in well under a second.

    After a full flush the compressor starts afresh, so every further MiB of zeros compresses to
    the same bytes: one block is made and repeated, and the checksum computed on the side.
    """
    zeros = bytes(MIB)
    deflate = zlib.compressobj(9)
    first = deflate.compress(prefix + zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    checksum = zlib.adler32(prefix)
    for _ in range(mib):
        checksum = zlib.adler32(zeros, checksum)
    return first + block * (mib - 1) + b"\x03\x00" + checksum.to_bytes(4, "big")


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of `objects` (numbered from 1, the first the catalog) with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(dictionary: bytes, data: bytes, length: bytes | None = None) -> bytes:
    return b"<< %s /Length %s >>\nstream\n%s\nendstream" % (dictionary, length or b"%d" % len(data), data)


def _one_page(contents: bytes, resources: bytes = b"", extra: list[bytes] = ()) -> bytes:
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                 b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                 b"/Resources << /Font << /F1 5 0 R >> %s >> >>" % resources,
                 contents,
                 b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", *extra])


def _content_bomb(mib: int, dictionary: bytes = b"/Filter /FlateDecode", length: bytes | None = None) -> bytes:
    return _one_page(_stream(dictionary, _zeros_deflated(mib, _TEXT), length))


def _read_capped(path: Path) -> tuple[dict, float]:
    start = time.monotonic()
    result = read_capped(path)
    return result, time.monotonic() - start


def test_a_page_that_inflates_to_a_gibibyte_is_one_limit_error_read_quickly(tmp_path):
    path = tmp_path / "bomb.pdf"
    path.write_bytes(_content_bomb(1024))
    assert path.stat().st_size < 2 * MIB
    result, seconds = _read_capped(path)
    errors = [c for c in result["checks"] if c["severity"] == "error"]
    assert [c["check"] for c in errors] == ["limit_exceeded"], result["checks"]
    assert errors[0]["message"] == (f"{path} has compressed streams that inflate to more than "
                                    f"{DEFAULT.max_pdf_inflated_bytes:,} bytes, over the limit per PDF "
                                    f"(a decompression bomb?)")
    assert seconds < 30


def test_a_gibibyte_image_is_not_decoded_to_read_the_text(tmp_path):
    side = int((1024 * MIB / 3) ** 0.5)
    image = _stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
                    b"/BitsPerComponent 8 /Filter /FlateDecode" % (side, side), _zeros_deflated(1024))
    path = tmp_path / "image.pdf"
    path.write_bytes(_one_page(_stream(b"", _TEXT + b"q 100 0 0 100 0 0 cm /Im1 Do Q\n"),
                               b"/XObject << /Im1 6 0 R >>", [image]))
    result, _ = _read_capped(path)  # the peak memory is asserted there
    assert "limit_exceeded" not in {c["check"] for c in result["checks"]}


@pytest.mark.parametrize("dictionary", [b"/Filter /FlateDecode", b"/Filter [/FlateDecode]", b"/Filter /Fl",
                                        b"/Filter/FlateDecode/DecodeParms<</Columns 4>>",
                                        b"/Filter [ /FlateDecode /DCTDecode ]", b"/Filter 9 0 R"])
def test_a_flate_stream_is_counted_however_its_filter_is_written(dictionary):
    with pytest.raises(LimitExceeded, match="^bomb.pdf has compressed streams that inflate to more than 1,048,576"):
        pdf_guard.check(_content_bomb(3, dictionary), "bomb.pdf", MIB)


def test_an_indirect_or_false_length_does_not_hide_the_stream():
    for length in (b"7 0 R", b"10"):
        with pytest.raises(LimitExceeded):
            pdf_guard.check(_content_bomb(3, length=length), "bomb.pdf", MIB)


def test_an_ascii_layer_over_flate_is_undone_before_counting():
    deflated = _zeros_deflated(3, _TEXT)
    for filters, data in ((b"[/ASCIIHexDecode /FlateDecode]", deflated.hex().encode() + b">"),
                          (b"[/A85 /Fl]", base64.a85encode(deflated, wrapcol=76) + b"~>")):
        with pytest.raises(LimitExceeded):
            pdf_guard.check(_one_page(_stream(b"/Filter " + filters, data)), "bomb.pdf", MIB)


def test_the_total_over_all_streams_is_what_is_limited():
    half = _stream(b"/Filter /FlateDecode", _zeros_deflated(1))
    pages = _one_page(_stream(b"/Filter /FlateDecode", _zeros_deflated(1, _TEXT)), b"", [half])
    pdf_guard.check(pages, "two.pdf", 3 * MIB)
    with pytest.raises(LimitExceeded):
        pdf_guard.check(pages, "two.pdf", 2 * MIB)


@pytest.mark.parametrize("path", [RAW / "hongze_district_2023.pdf",
                                  *sorted((FIXTURES / "pdf").glob("*.pdf"))], ids=lambda p: p.name)
def test_real_pdfs_pass_the_default_limit_and_are_counted(path):
    data = path.read_bytes()
    start = time.perf_counter()
    pdf_guard.check(data, path.name, DEFAULT.max_pdf_inflated_bytes)
    assert time.perf_counter() - start < 0.5
    if path.name == "hongze_district_2023.pdf":  # its page streams and fonts inflate to 1.5 MB
        with pytest.raises(LimitExceeded):
            pdf_guard.check(data, path.name, MIB)
