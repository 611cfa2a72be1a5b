"""HTML pages and fragments: block text in document order and every `<table>` as a grid.

CMS pages are often Word pasted into an editor: conditional comments, `<o:p>` tags, `mso-` styles
and nested layout tables. lxml parses all of them leniently. Text is cut into blocks at block-level
elements; a table becomes a `RawTable` with rowspan/colspan expanded and blank cells kept blank. A
table that contains another table is a layout table: its cells are read as ordinary blocks so the
inner (data) tables keep their own grids. Tables that a CMS holds as paragraphs of text rows
(``<p>规章 | 0 | 0 | 0 |</p>``) become grids as in a text file (`text_tables`).
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from govdisclosure.document import Finding
from govdisclosure.extract.base import (
    RawDocument,
    RawTable,
    TableTooLarge,
    UnreadableDocument,
    grid_from_spans,
)
from govdisclosure.extract.text import decode
from govdisclosure.extract.text_tables import find_tables_in_blocks
from govdisclosure.limits import DEFAULT

_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article",
               "blockquote", "pre", "ul", "ol", "dd", "dt", "header", "footer", "hr", "title"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "xml", "button", "select", "option"}
_WORD_MARKUP = re.compile(r"mso-|<o:p>|<!--\[if|urn:schemas-microsoft-com", re.IGNORECASE)
#: Case-folded, the words of `_WORD_MARKUP`: substring tests rule out most pages before the
#: case-blind pattern, which the regex engine cannot scan for quickly, runs.
_WORD_MARKUP_WORDS = ("mso-", "<o:p>", "<!--[if", "urn:schemas-microsoft-com")


def read(data: bytes, name: str = "the page", max_cells: int | None = DEFAULT.max_table_cells) -> RawDocument:
    """Read an HTML page's blocks and tables.

    Args:
        data: the file's bytes.
        name: how messages name the file.
        max_cells: grid positions allowed per table (`Limits.max_table_cells`).

    Raises:
        UnreadableDocument: the page could not be parsed at all.
        TableTooLarge: a table spans more grid positions than `max_cells`.
    """
    text, problems = decode(data)
    folded = text.casefold()
    if any(word in folded for word in _WORD_MARKUP_WORDS) and _WORD_MARKUP.search(text):
        problems.append("word_markup")
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    # huge_tree: without it libxml2 stops at 256 levels of nesting and at 10 MB in one text node or
    # attribute (a pasted image as a base64 `data:` URL), dropping the rest of the page in silence.
    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableDocument(f"HTML could not be parsed: {exc}") from exc
    doc = RawDocument(problems=problems)
    gave_up = [error for error in parser.error_log if error.type_name == "ERR_RESOURCE_LIMIT"]
    if gave_up:
        doc.findings.append(Finding("document_truncated", "error", (
            f"{name} was read only in part: the HTML parser gave up at line {gave_up[0].line} "
            f"({gave_up[0].message.strip()}); the figures after that point are missing")))
    lines: list[str] = []
    try:
        _walk(root, doc, lines, max_cells)
    except TableTooLarge as exc:
        raise TableTooLarge(f"{name} {exc}") from None
    _flush(lines, doc)
    doc.blocks = find_tables_in_blocks(doc.blocks)  # tables saved as text rows in paragraphs
    return doc


def _flush(lines: list[str], doc: RawDocument) -> None:
    if lines:
        doc.blocks.extend("".join(lines).split("\n"))
        lines.clear()


_CLOSE = object()  # on the walk's stack: the element before it is finished


def _walk(root: etree._Element, doc: RawDocument, lines: list[str], max_cells: int | None) -> None:
    """Blocks and tables of `root` in document order.

    An explicit stack rather than recursion: pages nest thousands of elements deep.
    """
    stack: list = [root]
    while stack:
        node = stack.pop()
        if node is _CLOSE:
            node = stack.pop()
            if _tag(node) in _BLOCK_TAGS or _tag(node) in ("td", "th"):
                lines.append("\n")
            if node.tail:
                lines.append(node.tail)
            continue
        tag = _tag(node)
        if not isinstance(node.tag, str) or tag in _SKIP_TAGS:
            if node.tail:
                lines.append(node.tail)
            continue
        if tag == "table" and not node.xpath(".//table"):
            _flush(lines, doc)
            table = _table(node, max_cells)
            if table.rows:
                doc.blocks.append(table)
            if node.tail:
                lines.append(node.tail)
            continue
        if tag in _BLOCK_TAGS:
            lines.append("\n")
        if node.text:
            lines.append(node.text)
        stack.extend((node, _CLOSE))
        stack.extend(reversed(node))


def _tag(node: etree._Element) -> str:
    return node.tag.split("}")[-1].lower() if isinstance(node.tag, str) else ""


def _cell_text(cell: etree._Element) -> str:
    parts: list[str] = []
    for piece in cell.iter():
        tag = piece.tag.split("}")[-1].lower() if isinstance(piece.tag, str) else ""
        if tag in _SKIP_TAGS:
            continue
        if tag in ("br", "p", "div") and parts:
            parts.append(" ")
        if piece.text and tag not in _SKIP_TAGS:
            parts.append(piece.text)
        if piece is not cell and piece.tail:
            parts.append(piece.tail)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _span(cell: etree._Element, name: str) -> int:
    try:
        return max(1, min(int(re.sub(r"\D", "", cell.get(name, "1")) or 1), 1000))
    except ValueError:
        return 1


def _table(node: etree._Element, max_cells: int | None) -> RawTable:
    rows = []
    for tr in node.iter("tr"):
        cells = [(_cell_text(td), _span(td, "rowspan"), _span(td, "colspan"))
                 for td in tr if isinstance(td.tag, str) and td.tag.lower() in ("td", "th")]
        if cells:
            rows.append(cells)
    return grid_from_spans(rows, max_cells)
