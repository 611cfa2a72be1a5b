"""Extract stage: raw bytes of any report file into blocks of text and raw table grids.

Readers are format-specific and deliberately dumb: they keep the document's block structure
(paragraphs in reading order, tables as grids with their merged cells marked) and nothing else.
Everything that is about Chinese text — traditional script, pinyin annotations, web chrome, number
folding — happens once, for every format alike, in `govdisclosure.clean`. A reader raises
`UnreadableDocument` with a sentence a person understands when a file cannot be read; the pipeline
turns that into a reports row plus an error in `checks`.
"""

from __future__ import annotations

import re
from pathlib import Path

from govdisclosure.extract.base import RawDocument, RawTable, UnreadableDocument, grid_from_spans
from govdisclosure.extract.sniff import sniff
from govdisclosure.limits import DEFAULT, Limits

__all__ = ["SUFFIXES", "RawDocument", "RawTable", "UnreadableDocument", "grid_from_spans", "read_raw", "sniff"]


SUFFIXES = (".txt", ".htm", ".html", ".pdf", ".docx")
_FORMATS = {".txt": "text", ".htm": "html", ".html": "html", ".pdf": "pdf", ".docx": "docx"}
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{4,}")
_DAMAGED = re.compile(r"[\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

def read_raw(path: Path, data: bytes, limits: Limits | None = None, name: str | None = None) -> RawDocument:
    """Read a file's bytes with the reader its content calls for.

    The suffix chooses the reader, except that a PDF or a .docx is read as what it is whatever it
    is called (problem `wrong_suffix`): a download saved under the wrong name loses nothing. Text
    content under a .pdf or .docx name is refused with a message saying what it is: that is the
    HTML error page a failed download leaves behind, not the report. A file that yields no text
    at all (a scanned PDF, a page of images) is refused too: there is nothing to extract.

    Args:
        path: the file's path; only its suffix is used.
        data: the file's bytes.
        limits: page and decompressed-size limits (the defaults when None).
        name: how messages name the file (the path as the user gave it); `path` when None.

    Raises:
        UnreadableDocument: the file cannot be read as a report; the message says why.
        LimitExceeded: the file is larger than `limits` allow.
    """
    from govdisclosure.extract import docx, html, pdf, text

    limits = limits or DEFAULT
    name = name or str(path)
    suffix = path.suffix.lower()
    if suffix not in _FORMATS:
        raise UnreadableDocument(f"{name}: unsupported file type {suffix or '(no suffix)'!r}; "
                                 f"supported: {', '.join(SUFFIXES)}")
    if not data.strip():
        raise UnreadableDocument(f"{name} is empty ({len(data)} bytes, none of them content)")
    kind, what = sniff(data)
    fmt = _FORMATS[suffix]
    problems = []
    if kind in ("pdf", "docx") and kind != fmt:
        fmt, problems = kind, ["wrong_suffix"]
    if kind == "html" and fmt in ("pdf", "docx"):
        # A report saved as a web page under a .pdf name is read as the page it is; an error page
        # of a failed download (little or no Chinese text) is refused below, with that hint.
        page = html.read(data, name, limits.max_table_cells)
        if _is_substantial(page):
            page.problems.append("wrong_suffix")
            return page
    if fmt == "pdf":
        doc = pdf.read(data, name, limits.max_pdf_pages, limits.max_pdf_inflated_bytes)
    elif fmt == "docx":
        doc = docx.read(data, name, limits)
    else:
        if kind not in ("html", "text"):
            raise UnreadableDocument(f"{name} is {what}, not a text or HTML file")
        _require_text(data, name)
        try:
            doc = html.read(data, name, limits.max_table_cells) if fmt == "html" else text.read(data)
        except UnreadableDocument as exc:
            raise UnreadableDocument(f"{name}: {exc}") from exc
    if not any(_has_text(block) for block in doc.blocks):
        raise UnreadableDocument(f"{name} has no text layer (a scanned image?) and cannot be read without OCR"
                                 if fmt == "pdf" else f"{name} contains no text")
    doc.problems.extend(problems)
    return doc


def _is_substantial(doc: RawDocument) -> bool:
    """Whether a page holds a text worth reading: a few hundred characters of Chinese prose."""
    prose = "".join(block for block in doc.blocks if isinstance(block, str))
    return sum(len(run) for run in _CJK.findall(prose)) >= 200


def _has_text(block: str | RawTable) -> bool:
    if isinstance(block, str):
        return bool(block.strip())
    return any(cell.strip() for row in block.rows for cell in row)


def _require_text(data: bytes, name: str) -> None:
    """Refuse binary or garbage content in a .txt/.html file.

    Decoding never fails (bad bytes become U+FFFD), so garbage would pass as a document of
    nonsense. A file is refused when more than a fifth of its characters are undecodable or control
    codes and it has no passage of Chinese text (four or more ideographs in a row) to recover: a
    report with a damaged half keeps its readable half.
    """
    from govdisclosure.extract.text import decode

    decoded = "".join(decode(data)[0].split())
    if not decoded:
        raise UnreadableDocument(f"{name} has no readable text (only blank space and control codes)")
    damaged = len(_DAMAGED.findall(decoded)) / len(decoded)
    if damaged > 0.2 and not _CJK.search(decoded):
        raise UnreadableDocument(f"{name} has no readable text: {damaged:.0%} of its characters are "
                                 f"undecodable bytes or control codes (binary or damaged data)")
