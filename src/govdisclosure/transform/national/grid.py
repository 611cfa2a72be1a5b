"""Readings from template tables that arrive as grids (HTML, PDF and DOCX tables).

The readers hand over every table as a rectangular grid with merged cells repeated (`Cell.origin`
set), so a header spanning several columns is seen above each of them. Everything here works from
labels:

- Request table: each column's header is the text of its header cells read top to bottom
  (申请人情况 / 法人或其他组织 / 商业企业), matched against the applicant vocabulary; columns left of the
  first applicant column hold the row labels, matched cell by cell from the right (the most specific
  label: "1.属于国家秘密" rather than "（三）不予公开"). A label that a page break cut in two
  ("（四）无" | "法提供", or a sub-row label wrapped onto a row of its own) is joined with its
  neighbour before giving up. A table without a header row continues the previous request table
  when it has as many columns (a PDF page break the reader could not join).
- Proactive table: rows are either headers (信息内容 | 本年制发件数 | …) or items (规章 | 13 | …).
  Values pair with header cells in order, counting each merged cell once, because the HTML copies
  merge header and value cells differently (a value under two columns of headers); when the counts
  differ, the grid column decides.
- Review table: a column's block (行政复议, 未经复议直接起诉, 复议后起诉) is the most specific block
  label above it, block labels also covering the empty cells to their right (PDF tables do not
  repeat merged text); its leaf (维持 … 总计) is the lowest leaf label above it.

A table read from text rows (`Table.aligned` false) has lost the columns its merged cells spanned;
`unaligned` puts its request and review tables back into the form's columns before they are read.

Readings keep blank cells as blank: whether they are zeros is decided for the whole table later.
"""

from __future__ import annotations

import re

from govdisclosure.document import Cell, Document, Finding, Table
from govdisclosure.national_form import (
    REVIEW_BLOCK_LABELS,
    RequestRow,
    match_key,
    proactive_measures,
    request_rows,
    squeeze,
)
from govdisclosure.transform.national import unaligned
from govdisclosure.transform.national.values import PAGE_FOOTER, Reading, parse_cell, unit_in

#: Review blocks from the least to the most specific: a column takes the most specific block above it.
_BLOCK_RANK = {"reconsideration": 1, "litigation": 0, "litigation_direct": 2, "litigation_after_review": 3}
_AMOUNT_MEASURES = ("fees_amount", "procurement_amount")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _key(table: Table, r: int, c: int) -> tuple[int, int]:
    """Identity of the cell at (r, c): merged positions share their origin's key."""
    return table.rows[r][c].origin or (r, c)


def _text(cell: Cell) -> str:
    return squeeze(PAGE_FOOTER.sub("", cell.text))


def _distinct(table: Table, r: int, cols: range) -> list[tuple[int, Cell, str]]:
    """The non-empty cells of row `r` within `cols`, each merged cell once: (column, cell, squeezed text)."""
    seen, out = set(), []
    for c in cols:
        key = _key(table, r, c)
        text = _text(table.rows[r][c])
        if key in seen or not text:
            continue
        seen.add(key)
        out.append((c, table.rows[r][c], text))
    return out


def _classify(text: str) -> RequestRow | None:
    """The most specific request row whose label occurs in `text` (rows before group headings)."""
    best, best_rank = None, None
    for row in request_rows():
        m = row.pattern.search(text)
        if m:
            rank = (row.role != "group", m.end(), m.end() - m.start())
            if best_rank is None or rank > best_rank:
                best, best_rank = row, rank
    return best


def _classify_cells(cells: list[tuple[int, Cell, str]]) -> tuple[RequestRow | None, str]:
    """The row a label area says it is, and its label as printed (group heading + row label)."""
    found, group_text, label = None, "", ""
    for _c, _cell, text in reversed(cells):
        row = _classify(text)
        if row is None:
            continue
        if row.role == "group":
            group_text = group_text or text
            found = found or row
        elif found is None or found.role == "group":
            found = row
            label = text
            group_text = ""
    if found is None:
        return None, ""
    if found.role == "group":
        return found, group_text
    return found, f"{group_text} {label}".strip() if found.group else label


def _reading(cell: Cell, measure: str, breakdown: str, label: str, findings: list[Finding], *,
             header: str = "", role: str = "") -> Reading | None:
    """The reading of one value cell, or None (and a finding) when the cell does not hold a figure.

    An amount takes the currency printed in the cell, else the one its `header` names.
    """
    parsed = parse_cell(cell.text)
    if not parsed.readable:
        findings.append(Finding("template_cell_unreadable", "warning",
                                f"{label}: {cell.text!r} is not a figure"))
        return None
    unit = (parsed.unit or unit_in(header)) if measure in _AMOUNT_MEASURES else ""
    return Reading(measure, breakdown, parsed.value, unit, label, cell.text, cell.start, cell.end, role)


def _has_role(table: Table, r: int, *roles: str, figures: bool = False) -> bool:
    """Whether a cell of row `r` is the label of a request row with one of `roles`.

    With `figures`, the row must also hold a number: header cells such as 其他 and 总计 read like
    row labels, a header row holds no numbers.
    """
    cells = _distinct(table, r, range(table.n_cols))
    if figures and not any(parse_cell(t).value is not None for _c, _cell, t in cells):
        return False
    for _c, _cell, text in cells:
        row = _classify(text)
        if row is not None and row.role in roles:
            return True
    return False


def _header_rows(table: Table, first: int, *vocabularies: str) -> range:
    """The header of a table part that starts at row `first`: the rows just above it naming its columns.

    Going up stops at the first row without a column label, so that a layout table holding several
    template tables contributes only the header of this one.
    """
    top = first
    while top > 0 and any(match_key(v, t) for v in vocabularies
                          for _c, _cell, t in _distinct(table, top - 1, range(table.n_cols))):
        top -= 1
    return range(top, first)


def _request_columns(table: Table, header_rows: range) -> dict[int, tuple[str, str]]:
    """Grid column -> (applicant breakdown, header leaf as printed), from the header rows."""
    columns: dict[int, tuple[str, str]] = {}
    for c in range(table.n_cols):
        parts: list[str] = []
        for r in header_rows:
            text = _text(table.rows[r][c])
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        key = match_key("request", "".join(parts))
        if key:
            columns[c] = (key, parts[-1])
    return columns


def _dedupe_columns(table: Table, columns: dict[int, tuple[str, str]],
                    data_rows: range) -> dict[int, tuple[str, str]]:
    """One column per applicant: where a header spans several, the one that holds the figures."""
    by_key: dict[str, list[int]] = {}
    for c, (key, _label) in columns.items():
        by_key.setdefault(key, []).append(c)
    keep = {}
    for key, cols in by_key.items():
        filled = {c: sum(bool(_text(table.rows[r][c])) and _key(table, r, c)[1] == c for r in data_rows)
                  for c in cols}
        best = max(cols, key=lambda c: (filled[c], -c))
        keep[best] = columns[best]
    return dict(sorted(keep.items()))


def read_request(doc: Document) -> tuple[list[Reading], list[Finding]]:
    """Readings of every request table among `doc.tables`."""
    readings: list[Reading] = []
    findings: list[Finding] = []
    seen_rows: set[str] = set()
    previous: dict[int, tuple[str, str]] | None = None
    for table in doc.tables:
        if not table.aligned and (table := unaligned.request_view(table)) is None:
            continue
        first = next((r for r in range(table.n_rows) if _has_role(table, r, "top")), None)
        if first is None and not any(_has_role(table, r, "leaf", "total", figures=True)
                                     for r in range(table.n_rows)):
            # A header with no rows under it (a PDF table cut right below its header): its columns
            # serve the table that continues it.
            header = _request_columns(table, range(table.n_rows))
            if "natural_person" in {key for key, _label in header.values()}:
                previous = header
            continue
        columns = _request_columns(table, _header_rows(table, first, "request")) if first is not None else {}
        if "natural_person" not in {key for key, _label in columns.values()}:
            if previous and max(previous) < table.n_cols and \
                    any(_has_role(table, r, "top", "leaf", "total", figures=True)
                        for r in range(min(3, table.n_rows))):
                first, columns = 0, previous  # the previous page's table continues without its header
            else:
                if first is not None:
                    findings.append(Finding("template_columns_unknown", "warning",
                                            "a request table was found but its applicant columns could not "
                                            "be recognised"))
                continue
        columns = _dedupe_columns(table, columns, range(first, table.n_rows))
        previous = columns
        readings += _request_rows(table, first, columns, seen_rows, findings)
    return readings, findings


def _fragment_after(table: Table, r: int, label_cols: range, values: dict[int, Cell]) -> dict[int, str]:
    """The label cells (column -> text) of the next row with Chinese text, if that row carries no
    figures: a label cut by a page break continues there (page footers in between are skipped)."""
    for nxt in range(r + 1, min(r + 4, table.n_rows)):
        cells = _distinct(table, nxt, label_cols)
        if not any(_CJK.search(t) for _c, _cell, t in cells):
            continue
        return {} if any(_text(table.rows[nxt][c]) for c in values) else {c: t for c, _cell, t in cells}
    return {}


def _joined(before: dict[int, str], cells: list[tuple[int, Cell, str]], after: dict[int, str]):
    """The label cells of a row with the fragments cut from them put back, column by column."""
    own = {c: t for c, _cell, t in cells}
    return [(c, None, before.get(c, "") + own.get(c, "") + after.get(c, ""))
            for c in sorted(set(before) | set(own) | set(after))]


def _request_rows(table: Table, first: int, columns: dict[int, tuple[str, str]], seen_rows: set[str],
                  findings: list[Finding]) -> list[Reading]:
    label_cols = range(min(columns))
    out: list[Reading] = []
    pending: dict[int, str] = {}  # label fragments on a row of their own (cut by a page break)
    for r in range(first, table.n_rows):
        cells = _distinct(table, r, label_cols)
        values = {c: table.rows[r][c] for c in columns if _key(table, r, c)[1] == c}
        has_values = any(_text(cell) for cell in values.values())
        row, label = _classify_cells(cells)
        if row is None and cells and has_values:
            after = _fragment_after(table, r, label_cols, values)
            for attempt in (_joined(pending, cells, {}), _joined({}, cells, after)):
                row, label = _classify_cells(attempt)
                if row is not None:
                    break
        if row is None:
            joined = "".join(t for _c, _cell, t in cells)
            pending = {c: t for c, _cell, t in cells} if not has_values and _CJK.search(joined) else {}
            if has_values and joined:
                findings.append(Finding("template_row_unknown", "info",
                                        f"request table row {joined!r} is not a row of the national form; "
                                        "ignored"))
            continue
        pending = {}
        if row.measure in seen_rows:
            if has_values:
                findings.append(Finding("template_row_duplicate", "warning",
                                        f"request table row {label!r} appears twice; the first is kept"))
            continue
        seen_rows.add(row.measure)
        for c, (breakdown, col_label) in columns.items():
            cell = values.get(c)
            if cell is None:
                continue
            reading = _reading(cell, row.measure, breakdown, f"{label} / {col_label}", findings,
                               role=row.role)
            if reading:
                out.append(reading)
    return out


def read_proactive(doc: Document) -> tuple[list[Reading], list[Finding]]:
    """Readings of the proactive-disclosure (第二十条) tables among `doc.tables`."""
    out: list[Reading] = []
    findings: list[Finding] = []
    seen: set[str] = set()
    # (grid columns, header text, column kind) of the last header seen; it carries over to the next
    # table, which continues this one when a page break cut the table below its header.
    header: list[tuple[set[int], str, str]] | None = None
    for table in doc.tables:
        for r in range(table.n_rows):
            cells = _distinct(table, r, range(table.n_cols))
            if not cells:
                continue
            # The item's label is the row's first cell with words (a numbering column may precede it).
            label_col, _label_cell, label_text = next((c for c in cells if _CJK.search(c[2])), cells[0])
            item = match_key("proactive_item", label_text)
            if item is None:
                kinds = [(_span(table, r, c), text, match_key("proactive_column", text))
                         for c, _cell, text in cells]
                if any(kind for *_rest, kind in kinds):
                    header = [h for h in kinds if h[2]]
                continue
            if header is None:
                continue
            values = _value_cells(table, r, label_col)
            pairs = (zip(values, header) if len(values) == len(header) else
                     ((v, h) for v in values for h in header if v[0] in h[0]))
            for (_c, cell), (_cols, htext, kind) in pairs:
                measure = proactive_measures().get((item, kind))
                if measure is None or measure in seen:
                    continue
                reading = _reading(cell, measure, "", f"{label_text} / {htext}", findings, header=htext)
                if reading:
                    seen.add(measure)
                    out.append(reading)
    return out, findings


def _span(table: Table, r: int, c: int) -> set[int]:
    """The grid columns of row `r` that the cell at (r, c) covers."""
    key = _key(table, r, c)
    return {c2 for c2 in range(table.n_cols) if _key(table, r, c2) == key}


def _value_cells(table: Table, r: int, label_col: int) -> list[tuple[int, Cell]]:
    """The cells right of the item label, each merged cell once (blank ones included)."""
    seen = {_key(table, r, label_col)}
    out = []
    for c in range(label_col + 1, table.n_cols):
        key = _key(table, r, c)
        if key not in seen:
            seen.add(key)
            out.append((c, table.rows[r][c]))
    return out


def read_review(doc: Document) -> tuple[list[Reading], list[Finding]]:
    """Readings of the review/litigation table among `doc.tables` (the first one found).

    When a table holds only the header, the row of figures is the first row of the next table
    with as many columns (a page break between header and figures).
    """
    columns: dict[int, tuple[str, str, str]] = {}
    for table in doc.tables:
        if not table.aligned and (table := unaligned.review_view(table)) is None:
            continue
        header_rows = [r for r in range(table.n_rows)
                       if sum(match_key("review_leaf", t) is not None
                              for _c, _cell, t in _distinct(table, r, range(table.n_cols))) >= 3]
        if header_rows and any(match_key("review_block", t) == "reconsideration"
                               for r in range(header_rows[-1] + 1)
                               for _c, _cell, t in _distinct(table, r, range(table.n_cols))):
            last = header_rows[-1]
            columns = _review_columns(table, _header_rows(table, last + 1, "review_block", "review_leaf"))
        elif columns and max(columns) < table.n_cols:
            last = -1
        else:
            columns = {}
            continue
        data = [r for r in range(last + 1, table.n_rows)
                if any(_text(table.rows[r][c]) for c in columns)]
        if not data and last + 1 < table.n_rows:
            data = [last + 1]  # a blank form: the row exists, its cells are empty
        if not data:
            continue
        r = data[0]
        out, findings, seen = [], [], set()
        for c, (block, leaf, leaf_text) in columns.items():
            cell = table.rows[r][c]
            measure = f"{block}_{leaf}"
            if _key(table, r, c)[1] != c or measure in seen:
                continue
            seen.add(measure)
            reading = _reading(cell, measure, "", f"{REVIEW_BLOCK_LABELS[block]} {leaf_text}", findings)
            if reading:
                out.append(reading)
        return out, findings
    return [], []


def _review_columns(table: Table, header_rows: range) -> dict[int, tuple[str, str, str]]:
    """Grid column -> (block, leaf, leaf label as printed) for the review table's header."""
    blocks: dict[int, str] = {}
    leaves: dict[int, tuple[str, str]] = {}
    for r in header_rows:
        carry = None
        for c in range(table.n_cols):
            text = _text(table.rows[r][c])
            if text:
                carry = match_key("review_block", text)
                leaf = match_key("review_leaf", text)
                if leaf and not carry:
                    leaves[c] = (leaf, text)
            if carry and _BLOCK_RANK[carry] > _BLOCK_RANK.get(blocks.get(c, ""), -1):
                blocks[c] = carry
    return {c: (blocks[c], leaf, text) for c, (leaf, text) in leaves.items()
            if blocks.get(c, "litigation") != "litigation"}


def covered_spans(doc: Document) -> list[tuple[int, int]]:
    """The stretches of `doc.text` that render the document's tables (flattened reading skips them)."""
    spans = []
    for table in doc.tables:
        offsets = [(cell.start, cell.end) for row in table.rows for cell in row if cell.end > cell.start]
        if offsets:
            spans.append((min(s for s, _ in offsets), max(e for _, e in offsets)))
    return spans

