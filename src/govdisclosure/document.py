"""The in-memory shape of one report between reading and the output tables.

Every later stage (metadata, sections, table and narrative extractors, checks) works on a
`Document`: the cleaned, simplified text of the report plus the tables found in it. Tables from
HTML, PDF and DOCX are rendered *into* that text (one line per row, cells separated by a tab), and
every `Cell` keeps the offsets of its own text, so a figure read from a grid still points at the
exact characters it came from in the `texts` table. Flattened tables in plain-text files have no
`Table` object: they are found in `Document.text` by the extractors themselves.

Extractors return `Fact` and `Finding` objects rather than DataFrame rows so that they stay cheap
to build in the hot path and easy to compare in tests; `govdisclosure.schema` turns them into the
validated tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Cell:
    """One grid position of a table.

    A merged cell (rowspan/colspan, or a DOCX cell spanning grid columns) is printed once in the
    text; every grid position it covers holds a `Cell` with the same offsets and `origin` set to
    the top-left position, so label matching sees the header over every column it spans while the
    evidence stays single.

    Attributes:
        text: the cleaned cell text ("" for a blank cell).
        start: offset of `text` in `Document.text`.
        end: end offset (exclusive) of `text` in `Document.text`.
        origin: (row, column) of the cell that this position repeats, or None when it is its own.
    """

    text: str
    start: int
    end: int
    origin: tuple[int, int] | None = None


@dataclass(slots=True)
class Table:
    """A rectangular grid with spans expanded; `rows[r][c]` is a `Cell`.

    Attributes:
        rows: the grid, every row the same length.
        page: first page the table is on (PDF only), 1-based.
        pages: every page the table covers (a PDF table continued on the next page is joined).
        aligned: False for a table read from text rows: merged cells were written once, so a
            row's cells stand left to right, not in the columns they spanned.
    """

    rows: list[list[Cell]]
    page: int | None = None
    pages: tuple[int, ...] = ()
    aligned: bool = True

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    def texts(self) -> list[list[str]]:
        """The grid as plain strings, handy in tests and label matching."""
        return [[cell.text for cell in row] for row in self.rows]


@dataclass(slots=True)
class Fact:
    """One figure, as in the `facts` table minus `doc_id` (see `govdisclosure.schema`)."""

    measure: str
    breakdown: str
    value: float
    unit: str
    scope: str
    method: str
    label: str
    evidence: str
    span_start: int
    span_end: int


@dataclass(slots=True)
class Finding:
    """One row of the `checks` table minus `doc_id`.

    Attributes:
        check: a short stable code (e.g. ``identity_request_column``, ``section_missing``).
        severity: ``error``, ``warning`` or ``info``.
        message: a sentence a person understands: what, where, printed vs computed.
    """

    check: str
    severity: str
    message: str


@dataclass(slots=True)
class Document:
    """A report after reading and cleaning.

    Attributes:
        doc_id: first 16 hex digits of the SHA-256 of the raw bytes.
        source_path: the path as given by the user.
        text: the cleaned, simplified text that every offset points into.
        tables: grids found in HTML/PDF/DOCX sources (empty for plain text).
        problems: short codes of what was wrong with the source (see `govdisclosure.clean`).
        script: ``simplified`` or ``traditional`` — what the source was written in.
        header: fields of a crawler or CMS metadata header (标题, 发布时间, 发布机构 …), cleaned.
        findings: checks raised while reading and cleaning.
        page_count: pages of a PDF source, else None.
    """

    doc_id: str
    source_path: str
    text: str
    tables: list[Table] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    script: str = "simplified"
    header: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    page_count: int | None = None

    def add_problem(self, code: str) -> None:
        if code not in self.problems:
            self.problems.append(code)
