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
from dataclasses import dataclass, field
from pathlib import Path

from govdisclosure.document import Finding
from govdisclosure.limits import DEFAULT, Limits


class UnreadableDocument(Exception):
    """The file cannot be read as a report; the message says why in plain words."""


@dataclass(slots=True)
class RawTable:
    """A grid with spans expanded.

    Attributes:
        rows: cell text at every grid position; positions covered by a merged cell hold "".
        origins: for every position, None when the cell is its own, else the (row, col) of the
            merged cell that covers it.
        pages: PDF pages the table is on.
        aligned: False for a table read from text rows, where merged cells were written once and
            a row's cells stand left to right without the columns they spanned.
    """

    rows: list[list[str]]
    origins: list[list[tuple[int, int] | None]]
    pages: tuple[int, ...] = ()
    aligned: bool = True


@dataclass(slots=True)
class RawDocument:
    """What a reader returns: blocks in reading order plus format-level observations.

    `findings` are checks the reader raises itself (a PDF page that cannot be decoded, a scan).
    """

    blocks: list[str | RawTable] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    page_count: int | None = None
    findings: list[Finding] = field(default_factory=list)


def grid_from_spans(cells: list[list[tuple[str, int, int]]]) -> RawTable:
    """Build a `RawTable` from rows of (text, rowspan, colspan) cells, as HTML and DOCX give them.

    Cells are placed left to right into the first free grid position, skipping positions already
    covered by a rowspan from above — the HTML table model. Short rows are padded with blanks.
    """
    placed: dict[tuple[int, int], tuple[str, tuple[int, int] | None]] = {}
    for r, row in enumerate(cells):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in placed:
                c += 1
            for dr in range(max(rowspan, 1)):
                for dc in range(max(colspan, 1)):
                    placed[(r + dr, c + dc)] = ("", (r, c)) if (dr or dc) else (text, None)
            c += max(colspan, 1)
    n_rows = max((r for r, _ in placed), default=-1) + 1
    n_cols = max((c for _, c in placed), default=-1) + 1
    rows = [[placed.get((r, c), ("", None))[0] for c in range(n_cols)] for r in range(n_rows)]
    origins = [[placed.get((r, c), ("", None))[1] for c in range(n_cols)] for r in range(n_rows)]
    return RawTable(rows, origins)


SUFFIXES = (".txt", ".htm", ".html", ".pdf", ".docx")
_FORMATS = {".txt": "text", ".htm": "html", ".html": "html", ".pdf": "pdf", ".docx": "docx"}

# Leading bytes of the formats that turn up under a wrong name in scraped corpora.
_MAGIC = ((b"%PDF-", "pdf", "a PDF"),
          (b"PK\x03\x04", "zip", "a ZIP archive"),
          (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole", "an old Word or Excel 97-2003 file (.doc or .xls)"),
          (b"{\\rtf", "rtf", "an RTF document"),
          (b"\x89PNG", "image", "a PNG image"), (b"\xff\xd8\xff", "image", "a JPEG image"),
          (b"GIF8", "image", "a GIF image"), (b"Rar!", "archive", "a RAR archive"),
          (b"7z\xbc\xaf", "archive", "a 7-Zip archive"), (b"\x1f\x8b", "archive", "a gzip archive"))
_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{4,}")
_DAMAGED = re.compile(r"[\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def sniff(data: bytes) -> tuple[str, str]:
    """What the bytes really are, whatever the file is called.

    Returns:
        A short kind (pdf, docx, zip, ole, rtf, image, archive, html, or text for anything else)
        and a description for messages ("an HTML page (title: 404 Not Found)").
    """
    head = data[:1024]
    if b"%PDF-" in head:  # the PDF standard allows junk before the header
        return "pdf", "a PDF"
    for magic, kind, words in _MAGIC:
        if head.startswith(magic):
            if kind == "zip" and b"word/" in data:
                return "docx", "a Word .docx document"
            return kind, words
    if _HTML.search(head):
        from govdisclosure.extract.text import decode

        title = _TITLE.search(data[:8192])
        label = " ".join(decode(title.group(1))[0].split())[:80] if title else ""
        return "html", f"an HTML page (title: {label})" if label else "an HTML page"
    return "text", "plain text or data of an unknown kind"


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
    if fmt == "pdf":
        doc = pdf.read(data, name, limits.max_pdf_pages)
    elif fmt == "docx":
        doc = docx.read(data, name, limits.max_docx_bytes)
    else:
        if kind not in ("html", "text"):
            raise UnreadableDocument(f"{name} is {what}, not a text or HTML file")
        _require_text(data, name)
        try:
            doc = html.read(data) if fmt == "html" else text.read(data)
        except UnreadableDocument as exc:
            raise UnreadableDocument(f"{name}: {exc}") from exc
    if not any(_has_text(block) for block in doc.blocks):
        raise UnreadableDocument(f"{name} has no text layer (a scanned image?) and cannot be read without OCR"
                                 if fmt == "pdf" else f"{name} contains no text")
    doc.problems.extend(problems)
    return doc


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
