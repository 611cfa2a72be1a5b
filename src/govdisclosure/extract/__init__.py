"""Extract stage: raw bytes of any report file into blocks of text and raw table grids.

Readers are format-specific and deliberately dumb: they keep the document's block structure
(paragraphs in reading order, tables as grids with their merged cells marked) and nothing else.
Everything that is about Chinese text — traditional script, pinyin annotations, web chrome, number
folding — happens once, for every format alike, in `govdisclosure.clean`. A reader raises
`UnreadableDocument` with a sentence a person understands when a file cannot be read; the pipeline
turns that into a reports row plus an error in `checks`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


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
    """

    rows: list[list[str]]
    origins: list[list[tuple[int, int] | None]]
    pages: tuple[int, ...] = ()


@dataclass(slots=True)
class RawDocument:
    """What a reader returns: blocks in reading order plus format-level observations."""

    blocks: list[str | RawTable] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    page_count: int | None = None


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


def read_raw(path: Path, data: bytes) -> RawDocument:
    """Dispatch on the file's suffix (and sniff the bytes where the suffix lies)."""
    from govdisclosure.extract import docx, html, pdf, text

    suffix = path.suffix.lower()
    if not data.strip():
        raise UnreadableDocument(f"{path.name} is empty (0 bytes of content)")
    if suffix in (".htm", ".html"):
        return html.read(data)
    if suffix == ".pdf":
        return pdf.read(data, path.name)
    if suffix == ".docx":
        return docx.read(data, path.name)
    if suffix == ".txt":
        return text.read(data)
    raise UnreadableDocument(f"{path.name}: unsupported file type {suffix or '(no suffix)'!r}; "
                             f"supported: {', '.join(SUFFIXES)}")
