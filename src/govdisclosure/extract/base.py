"""What every reader returns and how it fails: the extract stage's own vocabulary.

The readers (one module per format) and the package's `read_raw` all speak in these types, so they
live apart from both: a reader imports this module, never the package that dispatches to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from govdisclosure.document import Finding


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
