"""PDF reports (pypdfium2): text in reading order, ruled tables as grids, joined across pages.

WPS and Word exports often draw a frame around the whole page, which the table finder reports as
a one-column "table" holding the body text. So a detected table is read row by row: a row whose
only content is one cell spanning the whole width is body text (it is left to the text layer), and
runs of real rows become grids. Body text is taken from the characters outside the grids, line by
line with positions, so paragraphs and tables interleave in reading order. Lines that fill the
measure are wrapped lines and are joined to the next one — Chinese PDFs break lines mid-sentence
("在政" | "府网站平台…"). Page furniture ("- 4 -", "第 4 页") is dropped. A grid that starts a page
and has as many columns as the grid that ended the previous page is its continuation and is joined
to it, so the request table split across pages arrives whole. When the page break fell inside the
header or a merged cell, the two parts have different columns; if they span the same width and
share most column boundaries they are still one table, re-cut on the columns of either, and a
heading row cut in two by the break ("科研" | "机构") is mended.

The page geometry (characters, ruling edges) comes from `pdf_layout` on pdfium, the tables from
`pdf_tables`; what cannot be read is said rather than guessed: a page whose fonts have no Unicode
map is left out with an error (`pdf_checks`), a page that is only a scanned image is reported,
and read by OCR when the optional `ocr` extra is installed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from govdisclosure.extract import pdf_checks, pdf_guard
from govdisclosure.extract.base import RawDocument, RawTable, UnreadableDocument
from govdisclosure.extract.pdf_layout import TOLERANCE, page_chars, page_edges, text_lines
from govdisclosure.extract.pdf_tables import Table, find_tables
from govdisclosure.extract.sniff import sniff
from govdisclosure.limits import DEFAULT, LimitExceeded, checkpoint

_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|"
                          r"\d{1,4}\s*/\s*\d{1,4})\s*$")


@dataclass
class _Grid:
    top: float
    bottom: float
    x0: float
    x1: float
    rows: list[list[str | None]]
    covers: list[list[tuple[int, int] | None]]
    page: int
    cols: tuple[float, ...] = ()  # column boundaries, left to right (the last is the right edge)


def read(data: bytes, name: str, max_pages: int | None = DEFAULT.max_pdf_pages,
         max_inflated: int | None = DEFAULT.max_pdf_inflated_bytes) -> RawDocument:
    """Read a PDF's text and ruled tables in reading order.

    Args:
        data: the file's bytes.
        name: how messages name the file.
        max_pages: refuse PDFs with more pages (None: no limit), before any page is parsed.
        max_inflated: refuse PDFs whose compressed streams inflate to more bytes (None: no
            limit), counted before pdfium opens the file (`pdf_guard`).

    Raises:
        UnreadableDocument: not a PDF, encrypted, damaged or truncated, or no page has readable text.
        LimitExceeded: more pages than `max_pages`, or streams inflating past `max_inflated`.
    """
    kind, what = sniff(data)
    if kind != "pdf":
        hint = ", probably the error page of a failed download" if kind == "html" else ""
        raise UnreadableDocument(f"{name} has a .pdf name but is {what}, not a PDF{hint}")
    pdf_guard.check(data, name, max_inflated)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise UnreadableDocument(f"{name} is an encrypted PDF and cannot be read without "
                                     f"its password") from exc
        reason = str(exc).partition("PDFium: ")[2].rstrip(").") or str(exc)  # "Data format error"
        raise UnreadableDocument(f"{name} is a damaged or truncated PDF and cannot be opened "
                                 f"({reason.lower()})") from exc
    try:
        n_pages = len(pdf)
        if max_pages and n_pages > max_pages:
            raise LimitExceeded(f"{name} has {n_pages:,} pages, over the limit of {max_pages:,} "
                                f"pages per PDF")
        doc = RawDocument(page_count=n_pages)
        items: list[tuple[int, float, object]] = []
        verdicts: list[pdf_checks.PageVerdict] = []
        for number in range(1, n_pages + 1):
            checkpoint(f"reading page {number} of {n_pages}")
            try:
                page = pdf[number - 1]
            except pdfium.PdfiumError as exc:
                raise UnreadableDocument(f"{name}: page {number} of {n_pages} is damaged and could "
                                         f"not be read ({exc})") from exc
            try:
                page_items, verdict = _page_items(page, number)
            finally:
                page.close()
            items.extend(page_items)
            verdicts.append(verdict)
    finally:
        pdf.close()
    pdf_checks.report(verdicts, name, doc)
    doc.blocks = _assemble(items)
    return doc


def _page_items(page: pdfium.PdfPage, number: int) -> tuple[list[tuple[int, float, object]], pdf_checks.PageVerdict]:
    """The page's text lines and grids keyed by (page, top), and what the page is like."""
    page_top = page.get_mediabox()[3]
    textpage = page.get_textpage()
    try:
        chars = page_chars(textpage, page_top)
    finally:
        textpage.close()
    verdict = pdf_checks.judge(page, number, chars)
    if verdict.lines is not None:  # undecodable, or read by OCR: no grids from this page
        return [(number, top, (text, wrapped)) for top, text, wrapped in verdict.lines], verdict
    grids = [grid for table in find_tables(page_edges(page, page_top)) for grid in _grids(table, chars, number)]

    if grids:
        boxes = [(g.x0, g.top, g.x1, g.bottom) for g in grids]
        chars = [ch for ch in chars
                 if not any(x0 <= ch.cx <= x1 and top <= ch.cy <= bottom for x0, top, x1, bottom in boxes)]
    lines = [ln for ln in text_lines(chars) if not _PAGE_NUMBER.match(ln.text)]
    right = max((ln.x1 for ln in lines), default=0.0)
    items: list[tuple[int, float, object]] = []
    for ln in lines:
        char_width = (ln.x1 - ln.x0) / max(len(ln.text), 1)
        wrapped = ln.x1 >= right - 1.5 * char_width and not ln.text.rstrip().endswith(("。", "：", ":"))
        items.append((number, ln.top, (ln.text, wrapped)))
    items.extend((number, g.top, g) for g in grids)
    items.sort(key=lambda item: (item[0], item[1]))
    return items, verdict


def _grids(table: Table, chars: list, page: int) -> list[_Grid]:
    """Split one detected table into its runs of real rows (see the module docstring)."""
    rows = table.extract(chars)
    if not rows or len(rows[0]) < 2:
        return []
    covers = _covering_cells(table)
    cols = (*sorted({c[0] for c in table.cells}), max(c[2] for c in table.cells))
    out: list[_Grid] = []
    run: list[int] = []
    for i, row in enumerate(rows + [None]):
        is_text_row = row is None or (row[0] not in (None, "") and all(c is None for c in row[1:]))
        if not is_text_row and not _is_footer_row(row):
            run.append(i)
            continue
        if len(run) >= 1 and any(sum(1 for c in rows[j] if c) >= 2 for j in run):
            boxes = [Table.bbox(table.rows[j]) for j in run]
            first = run[0]
            out.append(_Grid(min(b[1] for b in boxes), max(b[3] for b in boxes), min(b[0] for b in boxes),
                             max(b[2] for b in boxes), [rows[j] for j in run],
                             [[_shift(cover, first) for cover in covers[j]] for j in run], page, cols))
        run = []
    return out


def _covering_cells(table: Table) -> list[list[tuple[int, int] | None]]:
    """For every grid position without a cell of its own, the (row, col) where its merged cell starts.

    Rows hold None there; which cell covers them is a matter of geometry, found from the row's
    vertical and the column's horizontal centre.
    """
    starts = {cell: (r, c) for r, row in enumerate(table.rows) for c, cell in enumerate(row) if cell}
    # Columns are the distinct left edges of the cells (as in `Table`), closed by the rightmost edge.
    edges = sorted({round(b[0], 1) for b in table.cells} | {round(max(b[2] for b in table.cells), 1)})
    col_x = {c: (edges[c] + edges[c + 1]) / 2 for c in range(len(edges) - 1)}
    covers: list[list[tuple[int, int] | None]] = []
    for r, row in enumerate(table.rows):
        box = Table.bbox(row)
        cy = (box[1] + box[3]) / 2
        out: list[tuple[int, int] | None] = []
        for c, cell in enumerate(row):
            origin = None
            if cell is None and c in col_x:
                # Ruling lines are shared by neighbours, so a point can sit in two boxes; the
                # covering cell is the nearest one that starts above and to the left of it.
                origin = max((starts[b] for b in starts
                              if b[0] <= col_x[c] <= b[2] and b[1] <= cy <= b[3]
                              and starts[b][0] <= r and starts[b][1] <= c), default=None)
            out.append(origin)
        covers.append(out)
    return covers


def _shift(cover: tuple[int, int] | None, first: int) -> tuple[int, int] | None:
    """Re-base an origin on the first row of a grid run (None when it lies before the run)."""
    if cover is None or cover[0] < first:
        return None
    return (cover[0] - first, cover[1])


def _is_footer_row(row: list[str | None] | None) -> bool:
    cells = [c for c in (row or []) if c]
    return len(cells) == 1 and bool(_PAGE_NUMBER.match(cells[0]))


def _assemble(items: list[tuple[int, float, object]]) -> list[str | RawTable]:
    blocks: list[str | RawTable] = []
    paragraph: list[str] = []
    last_grid: _Grid | None = None
    last_table: RawTable | None = None
    last_cols: tuple[float, ...] = ()
    for page, _, item in items:
        if isinstance(item, _Grid):
            if paragraph:
                blocks.append("".join(paragraph))
                paragraph = []
            continues = (last_grid is not None and last_table is not None and blocks and blocks[-1] is last_table
                         and item.page == last_grid.page + 1)
            union = _union(last_cols, item.cols) if continues else None
            if continues and len(item.rows[0]) == len(last_table.rows[0]):
                _extend(last_table, item, item.page)
            elif union:
                # The same table, but the page break fell inside its header or a merged cell, so
                # the parts have different columns: both are re-cut on the columns of either.
                blocks[-1] = last_table = _widen(last_table, last_cols, union)
                part = RawTable([], [], ())
                _extend(part, item, item.page)
                _append(last_table, _widen(part, item.cols, union), item.page)
                last_cols = union
                _mend_split_row(last_table, len(last_table.rows) - len(part.rows))
            else:
                last_table = RawTable([], [], ())
                _extend(last_table, item, item.page)
                blocks.append(last_table)
                last_cols = item.cols
            last_grid = item
            continue
        text, wrapped = item
        paragraph.append(text)
        if not wrapped:
            blocks.append("".join(paragraph))
            paragraph = []
    if paragraph:
        blocks.append("".join(paragraph))
    return blocks


def _extend(table: RawTable, grid: _Grid, page: int) -> None:
    """Append a grid's rows to a table; positions inside a merged cell point at its origin."""
    offset = len(table.rows)
    if page not in table.pages:
        table.pages = table.pages + (page,)
    for row, covers in zip(grid.rows, grid.covers):
        texts, marks = [], []
        for cell, cover in zip(row, covers):
            texts.append("" if cell is None else re.sub(r"\s*\n\s*", "", cell).strip())
            marks.append(None if cell is not None or cover is None else (cover[0] + offset, cover[1]))
        table.rows.append(texts)
        table.origins.append(marks)


def _union(left: tuple[float, ...], right: tuple[float, ...]) -> tuple[float, ...] | None:
    """The column boundaries of two parts of one table, or None when they are not one table.

    They are when both span the same width and every boundary of either lies on a boundary of
    the other or between two of them, i.e. one part only splits or merges the other's columns;
    boundaries within the snapping tolerance are one.
    """
    if len(left) < 3 or len(right) < 3 or abs(left[0] - right[0]) > TOLERANCE or abs(left[-1] - right[-1]) > TOLERANCE:
        return None
    merged: list[float] = []
    for x in sorted(left + right):
        if merged and x - merged[-1] <= TOLERANCE:
            continue
        merged.append(x)
    shared = sum(1 for x in merged if any(abs(x - y) <= TOLERANCE for y in left)
                 and any(abs(x - y) <= TOLERANCE for y in right))
    # Most boundaries are shared (the figure columns); a few split label columns are not.
    return tuple(merged) if shared >= max(3, (len(merged) + 1) // 2) else None


def _widen(table: RawTable, cols: tuple[float, ...], union: tuple[float, ...]) -> RawTable:
    """Re-cut a table whose columns are `cols` on the finer columns `union`: a cell keeps its text
    in the first union column it covers, and the others it covers point at it."""
    first = [min(range(len(union)), key=lambda j: abs(union[j] - x)) for x in cols]
    spans = [range(first[i], max(first[i + 1], first[i] + 1)) for i in range(len(cols) - 1)]
    width = len(union) - 1
    rows, origins = [], []
    for r, (row, marks) in enumerate(zip(table.rows, table.origins)):
        texts: list[str] = [""] * width
        new_marks: list[tuple[int, int] | None] = [None] * width
        for c, (text, mark) in enumerate(zip(row, marks)):
            start = spans[c].start
            origin = None if mark is None else (mark[0], spans[mark[1]].start)
            texts[start], new_marks[start] = text, origin
            for j in spans[c][1:]:
                new_marks[j] = origin or (r, start)
        rows.append(texts)
        origins.append(new_marks)
    return RawTable(rows, origins, table.pages)


def _append(table: RawTable, part: RawTable, page: int) -> None:
    """Append the rows of `part` (origins relative to it) to `table`."""
    offset = len(table.rows)
    if page not in table.pages:
        table.pages = table.pages + (page,)
    table.rows.extend(part.rows)
    table.origins.extend([None if m is None else (m[0] + offset, m[1]) for m in marks] for marks in part.origins)


def _mend_split_row(table: RawTable, k: int) -> None:
    """Join row `k` (the first on a new page) to the row above when the page break cut one row of
    headings in two ("科研" | "机构"): both rows are words without digits, and every cell of row
    `k` with text continues a cell of the row above. Rows with figures are never joined."""
    if k < 1 or k >= len(table.rows):
        return
    above, below = table.rows[k - 1], table.rows[k]
    if any(ch.isdigit() for cell in above + below for ch in cell) or not any(below):
        return
    if any(text and not (above[c] and table.origins[k - 1][c] is None) for c, text in enumerate(below)):
        return
    table.rows[k - 1] = [a + b for a, b in zip(above, below)]
    del table.rows[k], table.origins[k]
    table.origins[:] = [[None if m is None else (m[0] - (m[0] >= k), m[1]) for m in marks] for marks in table.origins]
