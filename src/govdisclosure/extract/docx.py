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

from govdisclosure.extract.base import RawDocument, RawTable, UnreadableDocument
from govdisclosure.extract.sniff import sniff
from govdisclosure.limits import DEFAULT, LimitExceeded, checkpoint


def read(data: bytes, name: str, max_decompressed: int | None = DEFAULT.max_docx_bytes) -> RawDocument:
    """Read a .docx's paragraphs and tables in body order.

    Args:
        data: the file's bytes.
        name: how messages name the file.
        max_decompressed: refuse archives that would unpack to more bytes (None: no limit).

    Raises:
        UnreadableDocument: not a zip, not a Word document, or damaged.
        LimitExceeded: the archive unpacks to more than `max_decompressed` bytes.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            # zipfile never inflates a member past its declared size, so the declared sizes bound the cost.
            size = sum(info.file_size for info in zf.infolist())
            if "word/document.xml" not in zf.namelist():
                raise UnreadableDocument(f"{name} is a zip archive but not a Word document "
                                         f"(it has no word/document.xml)")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise UnreadableDocument(f"{name} is not a valid .docx file: {_what_instead(data)}") from exc
    if max_decompressed and size > max_decompressed:
        raise LimitExceeded(f"{name} would decompress to {size:,} bytes, over the limit of "
                            f"{max_decompressed:,} bytes per .docx (a zip bomb, or a document full of large images)")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types on damaged parts
        raise UnreadableDocument(f"{name} is a damaged Word document and could not be opened "
                                 f"({str(exc) or type(exc).__name__})") from exc
    doc = RawDocument()
    for number, child in enumerate(document.element.body.iterchildren(), start=1):
        checkpoint(f"reading block {number}")
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
        checkpoint(f"reading table row {r + 1}")
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


def _what_instead(data: bytes) -> str:
    kind, what = sniff(data)
    if kind in ("zip", "docx"):
        return "the zip archive is damaged or truncated (an interrupted download?)"
    if kind in ("ole", "rtf"):
        return f"it is {what}; open it in Word or WPS and save it as .docx"
    return f"it is {what}, not a zip archive"
