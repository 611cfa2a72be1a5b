"""Where a fact's evidence sits on the pages of its PDF, and the page images to show it on.

Facts carry offsets into the cleaned text, not page coordinates, so the evidence is found again on
the page: with pypdfium2 each page's characters and their boxes are read, both texts are compared
without whitespace (PDF text and the cleaned text break lines and cells differently) and after
NFKC (the two disagree on full-width digits and punctuation), and the evidence is searched
together with a few characters of context on each side (`_CONTEXTS`). A fact whose evidence
cannot be found exactly once gets no region rather than a wrong one. A blank cell (empty evidence)
is placed in the gap between its neighbours' characters.

Each page that holds located evidence is rendered once, as a greyscale JPEG, while the document is
open for locating; the page shows the region around a cell by cropping that image in the browser,
so a 200-figure PDF costs a few renders, not 200.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from pypdfium2 import raw

from govdisclosure.limits import DEFAULT as DEFAULT_LIMITS

#: Pixels per PDF point of the page images (1.5: table digits readable, a page is ~100 KB).
SCALE = 1.5
# Characters of context on each side, tried in order: 8, more while the match is not unique, and 4
# when 8 already finds nothing (the PDF orders the cells further away differently). Never fewer:
# a short needle that is unique somewhere else than the figure would give a wrong region.
_CONTEXTS = (8, 16, 32, 4)


@dataclass(frozen=True)
class Region:
    """A fact's evidence on a page: page number (0-based) and box in points from the top-left."""

    page: int
    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class PageImage:
    """A rendered page: its file name, and the page's size in points."""

    src: str
    width: float
    height: float


def _fold(ch: str) -> str:
    """A character as both sides are compared: NFKC (，→, and ０→0), whitespace dropped."""
    return "".join(c for c in unicodedata.normalize("NFKC", ch) if not c.isspace())


def _squeeze_text(text: str) -> tuple[str, list[int]]:
    """`text` folded, and for each character of the result the offset it came from in `text`."""
    chars, keep = [], []
    for i, ch in enumerate(text):
        for c in _fold(ch):
            chars.append(c)
            keep.append(i)
    return "".join(chars), keep


def _page_chars(page) -> tuple[str, list[tuple[float, float, float, float]]]:
    """A page's text folded (see `_fold`) and the box of each of its characters."""
    textpage = page.get_textpage()
    chars, boxes = [], []
    try:
        for i in range(textpage.count_chars()):
            code = raw.FPDFText_GetUnicode(textpage, i)
            normal = _fold(chr(code)) if code else ""
            if normal:
                box = textpage.get_charbox(i)
                chars.extend(normal)
                boxes.extend([box] * len(normal))
    finally:
        textpage.close()
    return "".join(chars), boxes


def locate(pdf_path: str | Path, text: str, spans: Sequence[tuple[int, int]], render_to: Path | None = None,
           stem: str = "", max_pages: int | None = DEFAULT_LIMITS.max_pdf_pages,
           ) -> tuple[list[Region | None], dict[int, PageImage]]:
    """Find each span of the cleaned `text` on the pages of the PDF, and render the pages it is on.

    The document is opened once for both, as opening pages is a good part of the cost.

    Args:
        pdf_path: the source PDF.
        text: the document's cleaned text (what the spans index into).
        spans: (start, end) per fact.
        render_to: folder for the JPEGs of the pages that hold a region (None: render nothing).
        stem: the start of their file names (``<stem>-p<page>.jpg``).
        max_pages: pages read at most (None: all); by default the extractor's own page limit,
            so no figure can come from a page that was not read.

    Returns:
        (regions, images): a region or None per span; page number -> its rendered image.
    """
    pdf = pdfium.PdfDocument(str(pdf_path))
    pages = []
    try:
        pages_text, boxes = [], []
        for number in range(len(pdf) if max_pages is None else min(len(pdf), max_pages)):
            page = pdf[number]
            pages.append(page)
            height = page.get_height()
            chars, page_boxes = _page_chars(page)
            pages_text.append(chars)
            boxes += [(number, box, height) for box in page_boxes]
        haystack = "".join(pages_text)
        squeezed, keep = _squeeze_text(text)
        regions = [_find(haystack, squeezed, bisect.bisect_left(keep, start), bisect.bisect_left(keep, end), boxes)
                   for start, end in spans]
        images = {}
        if render_to is not None:
            render_to.mkdir(parents=True, exist_ok=True)
            for number in sorted({r.page for r in regions if r is not None}):
                images[number] = _render(pages[number], render_to / f"{stem}-p{number + 1}.jpg")
        return regions, images
    finally:
        for page in pages:
            page.close()
        pdf.close()


def _render(page, path: Path) -> PageImage:
    """One page as a greyscale JPEG: figures are black on white, and one channel halves the work."""
    page.render(scale=SCALE, grayscale=True).to_pil().save(path, quality=70)
    return PageImage(path.name, *page.get_size())


def _find(haystack: str, squeezed: str, a: int, b: int, boxes: list) -> Region | None:
    """The region of squeezed[a:b] on the pages, if it occurs exactly once with some context."""
    for context in _CONTEXTS:
        lo, hi = max(0, a - context), min(len(squeezed), b + context)
        needle = squeezed[lo:hi]
        if len(needle) < 3:
            continue
        at = haystack.find(needle)
        if at < 0:
            continue
        if haystack.find(needle, at + 1) >= 0:
            continue  # not unique: more context, or give up
        first, last = at + (a - lo), at + (b - lo)
        if b > a:
            return _union([boxes[k] for k in range(first, last) if boxes[k][0] == boxes[first][0]])
        before, after = boxes[first - 1] if first > 0 else None, boxes[first] if first < len(boxes) else None
        return _gap(before, after)
    return None


def _union(chars: list) -> Region:
    page, _, height = chars[0]
    return Region(page, min(c[1][0] for c in chars), height - max(c[1][3] for c in chars),
                  max(c[1][2] for c in chars), height - min(c[1][1] for c in chars))


def _gap(before, after) -> Region | None:
    """The empty stretch between two characters on one line (a blank table cell)."""
    if before is None or after is None or before[0] != after[0]:
        return None
    page, (_, b0, r0, t0), height = before
    _, (l1, b1, _, t1), _ = after
    if l1 <= r0 or abs(b0 - b1) > (t0 - b0):  # not on one line, left to right
        return None
    return Region(page, r0, height - max(t0, t1), l1, height - min(b0, b1))
