"""Plain-text reports: decode whatever encoding the scraper saved, keep lines as blocks.

Tables saved as text rows become grids here (`govdisclosure.extract.text_tables`), so that they are
read like the tables of any other format.

Encodings are detected with charset-normalizer, after the cheap certain cases (BOMs, strict
UTF-8). Bytes that still do not decode become U+FFFD rather than an exception: a report with a few
broken characters still carries its figures, and `clean` records the damage.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from govdisclosure.extract.base import RawDocument
from govdisclosure.extract.text_tables import find_tables
from govdisclosure.extract.wrapping import unwrap

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes) -> tuple[str, list[str]]:
    """Decode bytes of unknown encoding; returns the text and problem codes."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    for encoding in ("utf-16-le", "utf-16-be"):
        if _plausible_utf16(data, encoding):
            return data.decode(encoding, errors="replace"), []
    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_8", "utf_16", "cp1252"]).best()
    if best is None:
        return data.decode("utf-8", errors="replace"), ["undecodable"]
    encoding = "gb18030" if best.encoding in ("gbk", "gb2312") else best.encoding
    return data.decode(encoding, errors="replace"), [] if encoding.startswith(("gb", "big5", "utf")) else [
        "encoding_cp1252"]  # the one other encoding the detector may choose (cp_isolation above)


def _plausible_utf16(data: bytes, encoding: str) -> bool:
    """BOM-less UTF-16: decodes cleanly to mostly Chinese, ASCII text and whitespace."""
    if len(data) % 2 or len(data) < 8:
        return False
    try:
        sample = data[:4000].decode(encoding)
    except UnicodeDecodeError:
        return False
    plausible = sum(1 for ch in sample if ch.isspace() or " " <= ch <= "~" or "\u3000" <= ch <= "\u9fff"
                    or "\uff00" <= ch <= "\uffef")
    return plausible / max(len(sample), 1) > 0.95


def read(data: bytes) -> RawDocument:
    """Lines as blocks; runs of lines that form a table (pipe rows, tab-separated cells …) as grids.

    A text hard-wrapped at a fixed width has its paragraphs joined first (`wrapping.unwrap`).

    A file that does not end with a line break may have been cut by the crawler that saved it: its
    last line is not read as a table row (`text_tables.find_tables`).
    """
    text, problems = decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    lines = unwrap(text.split("\n"))
    return RawDocument(blocks=find_tables(lines, cut=not text.endswith("\n")), problems=problems)
