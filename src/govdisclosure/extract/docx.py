"""DOCX reports: paragraphs and tables in body order, merged cells read once.

Tables are read from the XML directly rather than through python-docx's `row.cells`, which
expands every `gridSpan` into a list (a span of 2,000,000,000 asks for gigabytes) and follows
vertical merges recursively (a merge over a thousand rows overflows the stack and costs quadratic
time). Here a horizontal span is checked against the table's cell limit before it is expanded, and
a continued vertical merge (`vMerge`) points at the cell above, whose origin is already known.
Sizes are bounded as the archive is inflated, not as its headers declare them (headers can lie):
the whole archive by `Limits.max_docx_bytes`, the XML parts, which python-docx parses into trees
twenty times their size, by `Limits.max_docx_xml_bytes`.
"""

from __future__ import annotations

import io
import zipfile

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from govdisclosure.extract.base import RawDocument, RawTable, TableTooLarge, UnreadableDocument
from govdisclosure.extract.sniff import sniff
from govdisclosure.limits import DEFAULT, LimitExceeded, Limits, checkpoint

_CHUNK = 1 << 20


def read(data: bytes, name: str, limits: Limits = DEFAULT) -> RawDocument:
    """Read a .docx's paragraphs and tables in body order.

    Args:
        data: the file's bytes.
        name: how messages name the file.
        limits: decompressed sizes and table cells allowed (None in a field: no limit).

    Raises:
        UnreadableDocument: not a zip, not a Word document, or damaged.
        LimitExceeded: the archive inflates past a limit, or a table is too large.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if "word/document.xml" not in zf.namelist():
                raise UnreadableDocument(f"{name} is a zip archive but not a Word document "
                                         f"(it has no word/document.xml)")
            _check_inflated_sizes(zf, name, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise UnreadableDocument(f"{name} is not a valid .docx file: {_what_instead(data)}") from exc
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
            try:
                doc.blocks.append(_table(child, document, limits.max_table_cells))
            except TableTooLarge as exc:
                raise TableTooLarge(f"{name} {exc}") from None
    return doc


def _check_inflated_sizes(zf: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """Inflate every member, counting the bytes as they come out, against the limits.

    The sizes the archive declares are not trusted; a member is stopped as soon as it passes a
    limit, so the cost of the check is bounded by the limit, not by the bomb.
    """
    total = xml = 0
    for info in zf.infolist():
        is_xml = info.filename.endswith((".xml", ".rels"))
        with zf.open(info) as member:
            while chunk := member.read(_CHUNK):
                total += len(chunk)
                xml += len(chunk) if is_xml else 0
                if limits.max_docx_bytes and total > limits.max_docx_bytes:
                    raise LimitExceeded(
                        f"{name} decompresses to {total:,} bytes and more, over the limit of "
                        f"{limits.max_docx_bytes:,} bytes per .docx (a zip bomb, or a document full of large images)")
                if limits.max_docx_xml_bytes and xml > limits.max_docx_xml_bytes:
                    raise LimitExceeded(
                        f"{name} holds {xml:,} bytes of XML text and more ({info.filename} and the parts "
                        f"before it), over the limit of {limits.max_docx_xml_bytes:,} bytes per .docx")


def _table(tbl, parent, max_cells: int | None) -> RawTable:
    """A `<w:tbl>` as a grid: a spanned or vertically merged cell's text once, at its origin."""
    rows: list[list[str]] = []
    origins: list[list[tuple[int, int] | None]] = []
    cells = 0
    for r, tr in enumerate(tbl.iterchildren(qn("w:tr"))):
        checkpoint(f"reading table row {r + 1}")
        texts: list[str] = []
        marks: list[tuple[int, int] | None] = []
        for tc in tr.iterchildren(qn("w:tc")):
            span = _span(tc)
            cells += span
            if max_cells and cells > max_cells:
                raise TableTooLarge(f"has a table whose merged cells span more than {max_cells:,} grid "
                                    f"positions, the limit per table")
            c = len(texts)
            above = origins[r - 1][c] or (r - 1, c) if r and c < len(origins[r - 1]) else None
            if _continues_merge(tc) and above is not None:
                texts.extend([""] * span)
                marks.extend([above] * span)
            else:
                texts.extend([_text(tc, parent)] + [""] * (span - 1))
                marks.extend([None] + [(r, c)] * (span - 1))
        rows.append(texts)
        origins.append(marks)
    width = max((len(r) for r in rows), default=0)
    if max_cells and width * len(rows) > max_cells:
        raise TableTooLarge(f"has a table of {len(rows):,} rows × {width:,} columns, over the limit of "
                            f"{max_cells:,} grid positions per table")
    for texts, marks in zip(rows, origins):
        texts.extend([""] * (width - len(texts)))
        marks.extend([None] * (width - len(marks)))
    return RawTable(rows, origins)


def _span(tc) -> int:
    span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
    try:
        return max(int(span.get(qn("w:val"))), 1) if span is not None else 1
    except (TypeError, ValueError):
        return 1


def _continues_merge(tc) -> bool:
    merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
    return merge is not None and merge.get(qn("w:val"), "continue") == "continue"


def _text(tc, parent) -> str:
    """The cell's paragraphs, as python-docx's `_Cell.text` joins them, on one line."""
    return "\n".join(Paragraph(p, parent).text for p in tc.iterchildren(qn("w:p"))).replace("\n", " ").strip()


def _what_instead(data: bytes) -> str:
    kind, what = sniff(data)
    if kind in ("zip", "docx"):
        return "the zip archive is damaged or truncated (an interrupted download?)"
    if kind in ("ole", "rtf"):
        return f"it is {what}; open it in Word or WPS and save it as .docx"
    return f"it is {what}, not a zip archive"
