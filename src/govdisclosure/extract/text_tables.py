"""Tables saved as text rows: found among the lines of a text (or HTML) page and turned into grids.

Crawlers and HTML-to-text converters save a report's tables in one of a few layouts: pipe rows
(``规章 | 0 | 0 | 0 |``, Markdown tables with their ``|---|`` separator included), cells separated by
tabs or by runs of spaces, or one cell per line (``规章 |`` then ``0 |`` on the next lines, with or
without a ``| |`` that closes each row). Each layout is recognised here and its rows become a
`RawTable`, so that the table is read by the same grid readers as an HTML, PDF or DOCX table and
its cells get offsets in the cleaned text like any grid's.

What a text row cannot say is which grid columns a merged cell covered: a converter writes a
header cell spanning five columns as one cell. Such tables are marked ``aligned=False`` and keep
their cells in the order the text gives them, left to right; the readers that need columns (the
request and review tables) then read them by the national form's column order.

Lines become a table only on evidence, because a narrative report is full of short lines, lists
and lines with one number, and because a table made here is left to the readers of the national
form (the narrative readers skip grids): rows that carry a label and figures (the review table's
row: many figures and no label), and cells that are, whole, labels of the national form — a row
label and a column label (``规章`` and ``本年制发件数``; the vocabularies of ``template_columns.csv``
and ``template_request_rows.csv``). Other tables saved as text, such as the statistics tables of
the narrative era (``行政复议数 | 件 | 0 | 0``), stay text for the readers that read them there.
Cells one per line without pipes must show two such rows.

The detector runs on every line of every text and HTML page, so it is kept cheap: a page without a
pipe, a tab, a run of spaces or a line of one figure (most pages) is passed over after a few
substring tests, and a line with a sentence stop in a cell is prose without further look.

A file that does not end with a line break may have been cut (crawlers keep the first bytes of a
page): its last line is never read as a row. A table that ends the page may have been cut too: its
last row is dropped when it is shorter than the row above it or when its end was only inferred
(one cell per line). A cut table yields its complete rows and never a figure cut in two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from govdisclosure.extract.base import RawTable, grid_from_spans
from govdisclosure.script import to_simplified

_PIPES = "|｜"
_MARKDOWN_RULE = re.compile(r"^[|｜]?\s*:?-{2,}:?\s*(?:[|｜]\s*:?-{2,}:?\s*)*[|｜]?$")
_PIPE_SPLIT = re.compile(r"[|｜]")
_SPACE_SPLIT = re.compile(r"[ \u00a0\u3000]{2,}|\t+")
_DIGIT = "0-9０-９"
#: A line that is nothing but a figure (one cell per line), searched for in the joined page.
_FIGURE_LINE = re.compile(rf"(?:^|\n)[ \t\u3000]*[+\-－]?[{_DIGIT}][{_DIGIT},.]*[ \t\u3000]*(?=\n|$)")
_FIGURE = re.compile(rf"(?:[+\-－]|增加?|减少?)?[{_DIGIT}]+(?:[,，][{_DIGIT}]{{3}})*(?:[.．][{_DIGIT}]+)?"
                     r"(?:万元|元|件|个|项|条|次|人次|宗|起|家|份)?|[-—–－/／无]+")
_LABEL = re.compile(r"[\u4e00-\u9fffA-Za-z]")
#: A bare line longer than this, or with a sentence stop, is prose rather than a cell.
_MAX_CELL = 60
_SENTENCE_STOP = re.compile(r"[。；;！!？?]")
#: Lines of something else allowed between two rows of a tab/space table (captions such as
#: 第二十条第（一）项 are rows of one cell without a separator).
_MAX_GAP = 3
#: A row of this many figures and no label, under labels of the national form, is a table's row.
_WIDE_ROW = 5
#: The numbering before a label of the form: （一）, 1., 三、
_NUMBERING = re.compile(r"^[（(]?[一二三四五六七八九十0-9]+[）)、.．]?")
#: Vocabularies of ``template_columns.csv`` whose labels head the columns of the form's tables.
_COLUMN_VOCABULARIES = ("proactive_column", "request", "review_block")


@dataclass(slots=True)
class _Line:
    """One line of the page, parsed.

    Attributes:
        kind: ``pipe`` (a row written with pipes), ``cell`` (one cell closed by a pipe), ``rule``
            (a Markdown separator), ``split`` (cells separated by tabs or spaces), ``bare`` (a
            short line without separators), ``blank`` or ``prose``.
        cells: the cells, trailing blank cells removed.
        closes: a pipe row ending in a blank cell: the ``| |`` that ends a row written one cell
            per line.
    """

    kind: str
    cells: list[str] = field(default_factory=list)
    closes: bool = False


def _parse(line: str) -> _Line:
    text = line.strip()
    if not text:
        return _Line("blank")
    if "|" in text or "｜" in text:
        if _MARKDOWN_RULE.match(text):
            return _Line("rule")
        parts = _PIPE_SPLIT.split(text)
        if text[0] in _PIPES:
            parts = parts[1:]
        if text[-1] in _PIPES:
            parts = parts[:-1]
        cells = [p.strip() for p in parts] or [""]
        if len(cells) == 1:
            return _Line("cell", cells)
        return _Line("pipe", _trim(cells), closes=not cells[-1])
    if "\t" in text or "  " in text or "\u3000\u3000" in text or "\u00a0\u00a0" in text:
        cells = [c.strip() for c in _SPACE_SPLIT.split(text)]
        if len(cells) >= 2 and not any(len(c) > _MAX_CELL or _SENTENCE_STOP.search(c) for c in cells):
            return _Line("split", _trim(cells))
        return _Line("prose")
    if len(text) <= _MAX_CELL and not _SENTENCE_STOP.search(text):
        return _Line("bare", [text])
    return _Line("prose")


def _worth_reading(page: str) -> bool:
    """Whether a page has what every layout needs: a pipe, a tab, a run of spaces, a line of one figure.

    Substring tests, which run at memory speed, come first: most pages fail them all.
    """
    return any(mark in page for mark in ("|", "｜", "\t", "  ", "\u3000\u3000", "\u00a0\u00a0")) or \
        bool(_FIGURE_LINE.search(page))


def _trim(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


def is_figure(cell: str) -> bool:
    """Whether a cell holds a figure: a number (signed, with separators or a unit) or a zero mark."""
    return bool(_FIGURE.fullmatch(cell.replace(" ", "")))


def _is_value(cell: str) -> bool:
    """A figure or a blank: what stands in the value cells of a row."""
    return not cell or is_figure(cell)


def _is_label(cell: str) -> bool:
    return not _is_value(cell) and bool(_LABEL.search(cell))


def _form_labels(rows: list[list[str]]) -> tuple[int, int]:
    """How many distinct label cells of `rows` are, whole, a row label and a column label of the form.

    Row labels are the items of the proactive table and the rows of the request table (``规章``,
    ``（一）予以公开``); column labels are the proactive columns, the applicants and the review
    blocks (``本年制发件数``, ``自然人``, ``行政复议``). A whole cell, not a mention: prose and the
    statistics tables of the narrative era mention the same words (``行政复议数``).
    """
    from govdisclosure import national_form as form  # the form's vocabularies, shared with its reader

    def whole(vocabulary: str, body: str) -> bool:
        return any(hit[:2] == (0, len(body)) for hit in form.find_keys(vocabulary, body))

    def whole_request_row(label: str) -> bool:
        return any((m := row.pattern.search(label)) and m.end() == len(label) and
                   (m.start() == 0 or _NUMBERING.fullmatch(label[:m.start()])) for row in form.request_rows())

    n_rows = n_columns = 0
    # The vocabularies are simplified; a traditional-script page (規範性文件, 本年新製作數量) is
    # converted only later, by cleaning, so its labels are converted here to be recognised.
    labels = {"".join(cell.split()) for row in rows for cell in row if _is_label(cell)}
    for label in dict.fromkeys(to_simplified(sorted(labels))):
        body = _NUMBERING.sub("", label, count=1) or label
        if whole("proactive_item", body) or whole_request_row(label):
            n_rows += 1
        elif any(whole(vocabulary, body) for vocabulary in _COLUMN_VOCABULARIES):
            n_columns += 1
        if n_rows >= 2 and n_columns >= 2:
            break
    return n_rows, n_columns


def _figure_counts(rows: list[list[str]]) -> list[int]:
    """For every row holding a label followed by figures, how many figures it holds."""
    counts = []
    for row in rows:
        first = next((k for k, cell in enumerate(row) if cell and is_figure(cell)), None)
        if first is not None and any(_is_label(cell) for cell in row[:first]):
            counts.append(sum(1 for cell in row[first:] if cell and is_figure(cell)))
    return counts


def _is_table(rows: list[list[str]], *, strict: bool) -> bool:
    """Whether `rows` show the evidence of a table of the national form (see the module docstring)."""
    counts = _figure_counts(rows)
    # The review table's one row of figures has no label of its own.
    wide = any(sum(1 for cell in row if cell and is_figure(cell)) >= _WIDE_ROW for row in rows)
    if len(counts) < (2 if strict else 1) and not wide:
        return False
    n_rows, n_columns = _form_labels(rows)
    return bool(counts and n_rows and n_columns) or (wide and n_columns >= 2)


def rows_from_cells(cells: list[str]) -> list[list[str]]:
    """Rows of a table written one cell per line with nothing marking where a row ends.

    A row is a label and the figures (or blanks) that follow it. Labels before it belong to the
    same row (merged label cells: ``三、本年度办理结果`` then ``（一）予以公开``) unless there are more
    of them than the row has cells: then the last ``figures + 1`` of them are the header row over it
    (``信息内容 | 本年制发件数 | …``) and those before are caption rows of their own
    (``第二十条第（一）项``). Labels with no figure after them (a table cut below its header) and
    figures with no label before them stay as rows of one cell.
    """
    rows: list[list[str]] = []
    labels: list[str] = []
    i = 0
    while i < len(cells):
        if not _is_value(cells[i]) or not labels:
            if _is_value(cells[i]):
                rows.append([cells[i]])
            else:
                labels.append(cells[i])
            i += 1
            continue
        j = i
        while j < len(cells) and _is_value(cells[j]):
            j += 1
        values = cells[i:j]
        label, before = labels[-1], labels[:-1]
        if len(before) > len(values):
            rows.extend([caption] for caption in before[:-(len(values) + 1)])
            rows.append(before[-(len(values) + 1):])
            before = []
        rows.append([*before, label, *values])
        labels = []
        i = j
    rows.extend([label] for label in labels)
    return rows


@dataclass(slots=True)
class _Block:
    """Consecutive table-like lines and the rows they make.

    Attributes:
        last: index of the block's last line.
        rows: the rows, cells left to right.
        ends: for every row, the index of the line it ends on.
        strict: cells one per line without pipes: the table needs two rows of figures.
        inferred: where the last rows end was inferred from the kinds of the cells.
    """

    last: int
    rows: list[list[str]] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    strict: bool = False
    inferred: bool = False

    def add(self, row: list[str], end: int) -> None:
        self.rows.append(row)
        self.ends.append(end)

    def add_cells(self, cells: list[tuple[str, int]]) -> None:
        """Rows inferred from one cell per line (`rows_from_cells`), each ending on its last cell's line."""
        done = 0
        for row in rows_from_cells([cell for cell, _line in cells]):
            done += len(row)
            self.add(row, cells[done - 1][1])


def _complete(block: _Block) -> int:
    """How many rows of a table that ends the page to keep: none the cut may have shortened.

    A row whose end was inferred from its figures may go on past the cut, and labels after it head
    rows that were cut: both go. A row written whole is complete unless it has fewer cells than the
    row above it.
    """
    rows = block.rows
    if block.inferred:
        return max((k for k, row in enumerate(rows) if any(c and is_figure(c) for c in row)), default=0)
    if not rows or not any(cell and is_figure(cell) for cell in rows[-1]):
        return len(rows)
    above = next((len(row) for row in reversed(rows[:-1]) if len(row) >= 2), 0)
    return len(rows) - 1 if len(rows[-1]) < above else len(rows)


def _pipe_block(parsed: list[_Line], first: int, cut: int | None) -> _Block:
    """Rows of a run of pipe lines from line `first` on: pipe rows, one-cell lines, Markdown rules.

    One-cell lines gather until a pipe row ending in a blank cell (``0 | |``) closes the row. When
    the run never closes a row that way, the gathered cells are split into rows by their kinds
    (`rows_from_cells`). A row still open at the end of a run that did close rows is incomplete.
    """
    block = _Block(first)
    pending: list[tuple[str, int]] = []
    marked = False
    i = first
    while i < len(parsed) and parsed[i].kind in ("pipe", "cell", "rule", "blank") and i != cut:
        line = parsed[i]
        if line.kind == "cell":
            pending.append((line.cells[0], i))
        elif line.kind == "pipe" and pending and line.closes:
            marked = True
            block.add([cell for cell, _line in pending] + line.cells, i)
            pending = []
        elif line.kind == "pipe":
            block.add_cells(pending)
            pending = []
            if line.cells:
                block.add(line.cells, i)
        if line.kind != "blank":
            block.last = i
        i += 1
    if pending and not marked:
        block.add_cells(pending)
        block.inferred = True
    return block


def _split_block(parsed: list[_Line], first: int, cut: int | None) -> _Block:
    """Rows of tab- or space-separated lines from line `first` on; short lines between them are one-cell rows."""
    block = _Block(first)
    block.add(parsed[first].cells, first)
    between: list[int] = []
    i = first + 1
    while i < len(parsed) and i != cut and len(between) <= _MAX_GAP:
        line = parsed[i]
        if line.kind == "split":
            for k in between:
                block.add(parsed[k].cells, k)
            block.add(line.cells, i)
            between = []
            block.last = i
        elif line.kind == "bare":
            between.append(i)
        elif line.kind != "blank":
            break
        i += 1
    return block


def _bare_block(parsed: list[_Line], first: int, cut: int | None) -> _Block:
    """Rows of a run of short lines read as one cell per line (a table only with the form's labels)."""
    block = _Block(first, strict=True, inferred=True)
    i = first
    while i < len(parsed) and parsed[i].kind in ("bare", "blank") and i != cut:
        if parsed[i].kind == "bare":
            block.last = i
        i += 1
    block.add_cells([(parsed[k].cells[0], k) for k in range(first, block.last + 1) if parsed[k].kind == "bare"])
    return block


_BLOCKS = {"pipe": _pipe_block, "cell": _pipe_block, "rule": _pipe_block, "split": _split_block,
           "bare": _bare_block}


def find_tables(lines: list[str], *, cut: bool = False) -> list[str | RawTable]:
    """`lines` with every run of lines that forms a table replaced by one `RawTable`.

    Args:
        lines: the page's lines (blocks of a text or HTML reader), in reading order.
        cut: the page may have been cut after its last line (a file without a final line break):
            its last line is never read as a row.

    Returns:
        The lines and tables in reading order; the lines of a table are replaced by the table, and
        lines a table does not use (rows dropped at a cut) stay lines.
    """
    if not _worth_reading("\n".join(lines)):
        return list(lines)
    parsed = [_parse(line) for line in lines]
    cut_at = len(lines) - 1 if cut and lines else None
    # Where the page's trustworthy lines end: a table reaching it may have been cut short.
    end = cut_at if cut_at is not None else \
        next((k + 1 for k in range(len(parsed) - 1, -1, -1) if parsed[k].kind != "blank"), 0)
    out: list[str | RawTable] = []
    i = 0
    while i < len(lines):
        reader = _BLOCKS.get(parsed[i].kind)
        if reader is None or i == cut_at:
            out.append(lines[i])
            i += 1
            continue
        block = reader(parsed, i, cut_at)
        keep = _complete(block) if block.last + 1 >= end else len(block.rows)
        rows = block.rows[:keep]
        if rows and _is_table(rows, strict=block.strict):
            out.append(_grid(rows))
            i = block.ends[keep - 1] + 1
        else:
            out.extend(lines[i:block.last + 1])  # not a table: none of its lines starts one either
            i = block.last + 1
    return out


def find_tables_in_blocks(blocks: list[str | RawTable]) -> list[str | RawTable]:
    """`find_tables` on every run of lines between the grids of a page (an HTML page's paragraphs)."""
    out: list[str | RawTable] = []
    run: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            run.append(block)
            continue
        out += find_tables(run)
        run = []
        out.append(block)
    return out + find_tables(run)


def _grid(rows: list[list[str]]) -> RawTable:
    """A grid of `rows` as the text gives them: one grid row per row, cells left to right."""
    table = grid_from_spans([[(cell, 1, 1) for cell in row] for row in rows])
    table.aligned = False
    return table
