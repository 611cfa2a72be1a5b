"""Request and review tables read from text rows, put back into the columns of the national form.

A table saved as text rows (`govdisclosure.extract.text_tables`) keeps every cell but not the
columns a merged cell spanned: the request table's header ``自然人 | 法人或其他组织 | 总计`` over
``商业企业 | 科研机构 | …`` arrives as two rows of three and five cells, and a row whose merged label
(``三、本年度办理结果``) was written only once has its figures one cell further left than the rows
around it. Reading such a grid column by column would pair figures with the wrong applicant.

What the text does keep is the order of the cells, and the national form fixes what that order
means. So the header is read as a sequence of labels: a header row that names the seven applicants
and nothing else gives their order as printed; otherwise the seven applicant labels must all be there and the
columns are the form's (自然人, the five kinds of organisation, 总计). A row's figures are the
cells after its last label. The review header's fifteen leaf labels are read in order too, five
per block: 行政复议 first, then the two kinds of litigation in the order printed. From these the
functions here build an aligned view of the table — the same cells, with their offsets, placed in
the columns the form gives them — which the grid reader then reads like any other grid. A table
whose header cannot be read that way, or a row whose figures do not fit the form's columns, gives
no view (or loses the row): a missing figure is better than one under the wrong column.
"""

from __future__ import annotations

from govdisclosure.document import Cell, Table
from govdisclosure.measures import APPLICANT_BREAKDOWNS
from govdisclosure.national_form import match_key, request_rows
from govdisclosure.transform.national.values import parse_cell
from govdisclosure.whitespace import squeeze

_LEAVES = ("upheld", "corrected", "other", "pending", "total")


def _own_cells(row: list[Cell]) -> list[Cell]:
    """The cells of a grid row that hold their own text (merged repeats left out)."""
    return [cell for cell in row if cell.origin is None]


def _is_label(cell: Cell) -> bool:
    return not parse_cell(cell.text).readable


def _split(row: list[Cell]) -> tuple[list[Cell], list[Cell]]:
    """A row's label cells (up to its last label) and the cells after them."""
    cells = _own_cells(row)
    end = max((k + 1 for k, cell in enumerate(cells) if _is_label(cell)), default=0)
    return [cell for cell in cells[:end] if cell.text], cells[end:]


def _blank(cell: Cell) -> Cell:
    return Cell("", cell.end, cell.end)


def _is_top_row(labels: list[Cell]) -> bool:
    tops = [row.pattern for row in request_rows() if row.role == "top"]
    return any(pattern.search(squeeze(cell.text)) for cell in labels for pattern in tops)


def request_view(table: Table) -> Table | None:
    """The request table in `table` with its applicant columns in place, or None.

    Returns:
        A grid whose first row holds the seven applicant labels over their columns and whose other
        rows are the table's rows from 一、本年新收 on, labels left and figures in the form's
        columns; None when `table` holds no request table or its header does not name the
        applicants.
    """
    split = [_split(row) for row in table.rows]
    first = next((r for r, (labels, _values) in enumerate(split) if _is_top_row(labels)), None)
    if first is None:
        return None
    top = first
    while top > 0 and any(match_key("request", cell.text) for cell in _own_cells(table.rows[top - 1])):
        top -= 1
    header = _applicant_cells(table.rows[top:first])
    if header is None:
        return None
    n = len(APPLICANT_BREAKDOWNS)
    body: list[tuple[list[Cell], list[Cell]]] = []
    for labels, values in split[first:]:
        if len(values) > n and any(cell.text for cell in values[n:]) or \
                any(match_key("review_block", cell.text) for cell in labels):
            break  # past the request table (the review table's row, or its header)
        if any(cell.text for cell in values) and (len(values) < n or not values[n - 1].text):
            continue  # a short row: its figures cannot be placed, and its blanks must not read as 0
        body.append((labels, values[:n]))
    if not body:
        return None
    width = max(len(labels) for labels, _values in body)
    anchor = header[0]
    rows = [[_blank(anchor)] * width + header]
    for labels, values in body:
        pad = _blank(labels[-1] if labels else anchor)
        rows.append(labels + [pad] * (width - len(labels)) + values + [pad] * (n - len(values)))
    return Table(rows)


def _applicant_cells(header_rows: list[list[Cell]]) -> list[Cell] | None:
    """The header cells of the seven applicant columns, in column order, or None."""
    keyed = [[(cell, match_key("request", cell.text)) for cell in _own_cells(row) if cell.text]
             for row in header_rows]
    for row in keyed:
        keys = [key for _cell, key in row if key]
        inner = row[next(k for k, (_c, key) in enumerate(row) if key):] if keys else []
        if sorted(keys) == sorted(APPLICANT_BREAKDOWNS) and all(key for _c, key in inner):
            # One header row names them all and nothing else (no 法人或其他组织 over five of them):
            # it is the columns' row, in its order.
            return [cell for cell, key in row if key]
    found = {}
    for cell, key in (pair for row in keyed for pair in row):
        if key:
            if key in found:
                return None
            found[key] = cell
    if set(found) != set(APPLICANT_BREAKDOWNS):
        return None
    return [found[key] for key in APPLICANT_BREAKDOWNS]


def review_view(table: Table) -> Table | None:
    """The review table in `table` with its fifteen columns in place, or None.

    Returns:
        A grid of three rows: the block labels (行政复议, 未经复议直接起诉, 复议后起诉) over the first
        column of their five, the fifteen leaf labels, and the fifteen figures; None when `table`
        holds no review table or its header or figures do not fit the form.
    """
    leaves: list[tuple[Cell, str]] = []
    blocks: list[Cell] = []
    for r, row in enumerate(table.rows):
        labels, values = _split(row)
        if any(cell.text and not _is_label(cell) for cell in values):
            if not blocks:
                continue  # figures before the review header belong to another table
            # The review row has no label of its own: a leaf label before its figures is the last
            # header cell (one cell per line, where the row's start is inferred from the figures).
            leaves += [(cell, key) for cell in labels if (key := match_key("review_leaf", cell.text))]
            return _review_grid(blocks, leaves, values)
        for cell in labels:
            block = match_key("review_block", cell.text)
            if block in ("reconsideration", "litigation_direct", "litigation_after_review"):
                blocks.append(cell)
            elif block is None and blocks and (key := match_key("review_leaf", cell.text)):
                leaves.append((cell, key))
    return None


def _review_grid(blocks: list[Cell], leaves: list[tuple[Cell, str]], values: list[Cell]) -> Table | None:
    order = [match_key("review_block", cell.text) for cell in blocks]
    if order[:1] != ["reconsideration"] or sorted(order) != sorted(
            ["reconsideration", "litigation_direct", "litigation_after_review"]):
        return None
    if len(leaves) != 15 or any(sorted(key for _c, key in leaves[k:k + 5]) != sorted(_LEAVES)
                                for k in (0, 5, 10)):
        return None
    if len(values) < 15 or any(cell.text for cell in values[15:]) or not values[14].text:
        return None
    block_row = [_blank(blocks[0])] * 15
    for k, cell in enumerate(blocks):
        block_row[5 * k] = cell
    return Table([block_row, [cell for cell, _key in leaves], values[:15]])
