"""What every reader returns and how it fails: the extract stage's own vocabulary.

The readers (one module per format) and the package's `read_raw` all speak in these types, so they
live apart from both: a reader imports this module, never the package that dispatches to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from govdisclosure.document import Finding
from govdisclosure.limits import LimitExceeded


class UnreadableDocument(Exception):
    """The file cannot be read as a report; the message says why in plain words.

    `problems` are codes for the reports row besides `unreadable` (a scanned PDF: `scanned`).
    """

    def __init__(self, message: str, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


class TableTooLarge(LimitExceeded):
    """A table's merged cells span more grid positions than `Limits.max_table_cells`; the message
    reads on from the file's name ("x.html has a table of …")."""


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


def grid_from_spans(cells: list[list[tuple[str, int, int]]], max_cells: int | None = None) -> RawTable:
    """Build a `RawTable` from rows of (text, rowspan, colspan) cells, as HTML and DOCX give them.

    Cells are placed left to right into the first free grid position, skipping positions already
    covered by a rowspan from above — the HTML table model, in which a rowspan also ends with the
    table's rows. Short rows are padded with blanks.

    Raises:
        TableTooLarge: the grid would have more than `max_cells` positions (checked before any is
            made: 26 KB of HTML with spans of 1,000 asks for billions).
    """
    spans = [[(text, max(min(rowspan, len(cells) - r), 1), max(colspan, 1)) for text, rowspan, colspan in row]
             for r, row in enumerate(cells)]
    if max_cells:
        # Every position a cell covers, and the widest row times the rows: bounds of what is built.
        covered = sum(rowspan * colspan for row in spans for _, rowspan, colspan in row)
        widest = max((sum(colspan for _, _, colspan in row) for row in spans), default=0)
        if covered > max_cells or len(spans) * widest > max_cells:
            raise TableTooLarge(f"has a table of {len(spans):,} rows whose merged cells span "
                                f"{max(covered, len(spans) * widest):,} grid positions, over the limit of "
                                f"{max_cells:,} per table")
    placed: dict[tuple[int, int], tuple[str, tuple[int, int] | None]] = {}
    for r, row in enumerate(spans):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in placed:
                c += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    placed[(r + dr, c + dc)] = ("", (r, c)) if (dr or dc) else (text, None)
            c += colspan
    n_rows = max((r for r, _ in placed), default=-1) + 1
    n_cols = max((c for _, c in placed), default=-1) + 1
    if max_cells and n_rows * n_cols > max_cells:  # rowspans from above pushed a row wider
        raise TableTooLarge(f"has a table of {n_rows:,} rows × {n_cols:,} columns, over the limit of "
                            f"{max_cells:,} grid positions per table")
    rows = [[placed.get((r, c), ("", None))[0] for c in range(n_cols)] for r in range(n_rows)]
    origins = [[placed.get((r, c), ("", None))[1] for c in range(n_cols)] for r in range(n_rows)]
    return RawTable(rows, origins)
