"""DOCX reports: paragraphs and tables in body order, merged cells read once.

python-docx gives every grid position of a merged cell the same underlying `<w:tc>`
(horizontal `gridSpan`) or a continuation cell (`vMerge`); both are mapped to the origin cell so
the text is printed once and the grid still covers the whole span. The decompressed size is
checked before parsing, so a zip bomb is refused rather than unpacked.
"""

from __future__ import annotations

import io
import zipfile

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from govdisclosure.extract import RawDocument, RawTable, UnreadableDocument

MAX_DECOMPRESSED_BYTES = 200 * 1024 * 1024


def read(data: bytes, name: str, max_decompressed: int = MAX_DECOMPRESSED_BYTES) -> RawDocument:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            size = sum(info.file_size for info in zf.infolist())
            if "word/document.xml" not in zf.namelist():
                raise UnreadableDocument(f"{name} is a zip archive but not a Word document (no word/document.xml)")
    except zipfile.BadZipFile as exc:
        raise UnreadableDocument(f"{name} is not a valid .docx file (not a zip archive: {exc})") from exc
    if size > max_decompressed:
        raise UnreadableDocument(f"{name} would decompress to {size:,} bytes, over the limit of "
                                 f"{max_decompressed:,}")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types on damaged parts
        raise UnreadableDocument(f"{name} could not be opened as a Word document: {exc}") from exc
    doc = RawDocument()
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            doc.blocks.extend(Paragraph(child, document).text.split("\n"))
        elif child.tag == qn("w:tbl"):
            doc.blocks.append(_table(Table(child, document)))
    return doc


def _table(table: Table) -> RawTable:
    # Keyed by the lxml element itself: holding the reference keeps lxml's proxy (and so the
    # identity of each <w:tc>) stable, which `id()` of a temporary proxy would not be.
    seen: dict[object, tuple[int, int]] = {}
    rows: list[list[str]] = []
    origins: list[list[tuple[int, int] | None]] = []
    for r, row in enumerate(table.rows):
        texts, marks = [], []
        for c, cell in enumerate(row.cells):
            key = cell._tc
            if key in seen:
                texts.append("")
                marks.append(seen[key])
            else:
                seen[key] = (r, c)
                texts.append(cell.text.replace("\n", " ").strip())
                marks.append(None)
        rows.append(texts)
        origins.append(marks)
    width = max((len(r) for r in rows), default=0)
    for texts, marks in zip(rows, origins):
        texts.extend([""] * (width - len(texts)))
        marks.extend([None] * (width - len(marks)))
    return RawTable(rows, origins)
