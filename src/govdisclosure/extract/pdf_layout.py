"""Page geometry from pdfium: characters with boxes, ruling edges, text lines and ruled tables.

This is the layout analysis that pdfplumber performs on top of pdfminer, done on the objects
pypdfium2 hands over in C: pdfminer's Python parsing of content streams cost 20–60 times the rest
of a report's processing. The rules are pdfplumber's on purpose (its default table settings:
edges snapped and joined within 3 pt, cells from edge intersections, tables from cells that share
a corner; words split at gaps over 3 pt, lines clustered by top within 3 pt), because the facts of
the PDFs read so far were checked against them and must not move. Boxes are pdfminer's too: a
character's loose box from pdfium has pdfminer's x0, x1 and bottom exactly, and its top is the
bottom less the font size. Edges come from every painted path: each straight axis-parallel piece
of a path (the sides of a rectangle, a line, the flat parts of a curve) is an edge, whatever the
path's fill or stroke, since WPS draws table rules as filled hair-thin rectangles.

Coordinates are PDF points with the origin at the page's top left (`top` grows downwards), as
in pdfplumber.
"""

from __future__ import annotations

import bisect
import ctypes
import itertools
import operator
from dataclasses import dataclass

import pypdfium2.raw as pdfium_c

TOLERANCE = 3.0  # pdfplumber's snap, join, intersection and text tolerances, in points
_MIN_EDGE = 3.0  # edges shorter than this after joining are not rules
_PREFILTER = 1.0  # ... and shorter than this before joining are not considered at all
_PATH, _FORM = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM


class Char:
    """One character with its box (`cx`, `cy`: its centre); `bad` marks a glyph pdfium could not
    map to Unicode, `index` its place in the content stream.

    A plain class with slots rather than a dataclass: a page makes thousands, and the centre is
    computed in the constructor itself.
    """

    __slots__ = ("bad", "bottom", "cx", "cy", "index", "text", "top", "upright", "x0", "x1")

    def __init__(self, text: str, x0: float, top: float, x1: float, bottom: float, upright: bool = True,
                 bad: bool = False, index: int = 0) -> None:
        self.text, self.x0, self.top, self.x1, self.bottom = text, x0, top, x1, bottom
        self.upright, self.bad, self.index = upright, bad, index
        self.cx, self.cy = (x0 + x1) / 2, (top + bottom) / 2

    def __repr__(self) -> str:
        return f"Char({self.text!r}, {self.x0:.1f}, {self.top:.1f}, {self.x1:.1f}, {self.bottom:.1f})"


@dataclass(slots=True)
class Edge:
    """An axis-parallel ruling segment: `pos` is its x (vertical) or top (horizontal)."""

    vertical: bool
    pos: float
    start: float
    end: float


@dataclass(slots=True)
class Line:
    """A line of text as pdfplumber's `extract_text_lines` gives it."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float


Box = tuple[float, float, float, float]  # x0, top, x1, bottom


@dataclass
class Table:
    """A ruled table: its cells, and its rows with None where no cell starts in a column."""

    cells: list[Box]

    def __post_init__(self) -> None:
        lefts = sorted({c[0] for c in self.cells})
        ordered = sorted(self.cells, key=lambda c: (c[1], c[0]))
        self.rows: list[list[Box | None]] = []
        for _, group in itertools.groupby(ordered, key=lambda c: c[1]):
            by_left = {c[0]: c for c in group}
            self.rows.append([by_left.get(x) for x in lefts])

    @staticmethod
    def bbox(cells: list[Box | None]) -> Box:
        present = [c for c in cells if c]
        return (min(c[0] for c in present), min(c[1] for c in present),
                max(c[2] for c in present), max(c[3] for c in present))

    def extract(self, chars: list[Char]) -> list[list[str | None]]:
        """Cell texts row by row (None where no cell starts); a character belongs by its centre."""
        out = []
        by_height = sorted(chars, key=lambda ch: ch.cy)
        heights = [ch.cy for ch in by_height]
        for row in self.rows:
            box = self.bbox(row)
            band = by_height[bisect.bisect_left(heights, box[1]):bisect.bisect_left(heights, box[3])]
            # Left to right by centre (stable: content order is kept among equals), so that each
            # cell's characters are found by bisection rather than by testing every character.
            band = sorted((ch for ch in band if box[0] <= ch.cx < box[2]), key=lambda ch: ch.cx)
            centres = [ch.cx for ch in band]
            texts: list[str | None] = []
            for cell in row:
                if cell is None:
                    texts.append(None)
                    continue
                inside = band[bisect.bisect_left(centres, cell[0]):bisect.bisect_left(centres, cell[2])]
                texts.append(cell_text(sorted((ch for ch in inside if cell[1] <= ch.cy < cell[3]),
                                              key=lambda ch: ch.index)))
            out.append(texts)
        return out


def _fast(name: str, restype, *argtypes):
    """A pdfium function re-declared over plain handles (`c_void_p` integers).

    A page costs thousands of calls into pdfium (a few per character, per object, per path
    segment), and with pypdfium2's typed-pointer declarations ctypes spends longer converting the
    arguments than pdfium spends answering; plain handles halve the cost of a call.
    """
    address = ctypes.cast(getattr(pdfium_c, name), ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_H, _I, _F, _D = ctypes.c_void_p, ctypes.c_int, ctypes.c_float, ctypes.c_double
_MATRIX, _RECT = ctypes.POINTER(pdfium_c.FS_MATRIX), ctypes.POINTER(pdfium_c.FS_RECTF)
_is_generated = _fast("FPDFText_IsGenerated", _I, _H, _I)
_map_error = _fast("FPDFText_HasUnicodeMapError", _I, _H, _I)
_loose_box = _fast("FPDFText_GetLooseCharBox", _I, _H, _I, _RECT)
_char_matrix = _fast("FPDFText_GetMatrix", _I, _H, _I, _MATRIX)
_font_size = _fast("FPDFText_GetFontSize", _D, _H, _I)
_char_origin = _fast("FPDFText_GetCharOrigin", _I, _H, _I, ctypes.POINTER(_D), ctypes.POINTER(_D))
_count_objects = _fast("FPDFPage_CountObjects", _I, _H)
_get_object = _fast("FPDFPage_GetObject", _H, _H, _I)
_object_type = _fast("FPDFPageObj_GetType", _I, _H)
_object_matrix = _fast("FPDFPageObj_GetMatrix", _I, _H, _MATRIX)
_form_count = _fast("FPDFFormObj_CountObjects", _I, _H)
_form_object = _fast("FPDFFormObj_GetObject", _H, _H, ctypes.c_ulong)
_count_segments = _fast("FPDFPath_CountSegments", _I, _H)
_get_segment = _fast("FPDFPath_GetPathSegment", _H, _H, _I)
_segment_point = _fast("FPDFPathSegment_GetPoint", _I, _H, ctypes.POINTER(_F), ctypes.POINTER(_F))
_segment_type = _fast("FPDFPathSegment_GetType", _I, _H)
_segment_close = _fast("FPDFPathSegment_GetClose", _I, _H)
_MOVETO = pdfium_c.FPDF_SEGMENT_MOVETO


def _handle(pointer) -> int:
    return ctypes.cast(pointer, ctypes.c_void_p).value


def page_chars(textpage, page_top: float) -> list[Char]:
    """Every character pdfium found in the content stream (its own inferred spaces and line
    breaks left out), with pdfminer-compatible boxes."""
    raw = _handle(textpage.raw)
    rect, matrix = pdfium_c.FS_RECTF(), pdfium_c.FS_MATRIX()
    rect_p, matrix_p = ctypes.byref(rect), ctypes.byref(matrix)
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    run: tuple[float, float] | None = None
    size, upright = 0.0, True
    chars: list[Char] = []
    for i, code in enumerate(_codes(textpage.raw)):
        # pdfium infers spaces and line ends (generated): asked only of blanks and controls.
        if code <= 0x20 and _is_generated(raw, i):
            continue
        # A glyph pdfium cannot map comes back as its raw character code, which may well be
        # "1" or "7": it is kept only as U+FFFD, so that no undecodable glyph passes for a digit.
        bad = bool(_map_error(raw, i))
        if code in (0xFFFE, 0xFFFF) or (code < 0x20 and not bad):
            continue  # pdfium's markers (soft hyphen position, line ends), not glyphs
        _loose_box(raw, i, rect_p)
        x0, x1, y0, height = rect.left, rect.right, rect.bottom, rect.top - rect.bottom
        if (y0, height) != run:
            # A character on the baseline of the one before, with a box as tall, is set in the same
            # font at the same size (the box's height is the font's ascent to descent at that
            # size): its size and orientation are those of the one before, without two more calls.
            run = (y0, height)
            _char_matrix(raw, i, matrix_p)
            a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
            size = _font_size(raw, i) * abs(d or b)
            upright = a * d > 0 and b * c <= 0
        if height > 3 * size > 0:
            x0, x1, y0 = _vertical_box(textpage.raw, i, size)
        elif height < 0.95 * size:
            # A font without usable ascent and descent (Chromium's fallback fonts): pdfium gives
            # the glyph's own box, which for "一" is a thin stroke above the baseline. The glyph
            # starts at its origin and stands on the baseline.
            _char_origin(raw, i, ctypes.byref(origin_x), ctypes.byref(origin_y))
            x0, y0 = origin_x.value, origin_y.value
        chars.append(Char("\ufffd" if bad or not code else chr(code), x0, page_top - y0 - size, x1, page_top - y0,
                          upright, bad, len(chars)))
    return chars


def _codes(raw) -> list[int]:
    """The Unicode value of every character, in one call for the page.

    The page text comes as UTF-16 with one unit per character unless a character lies outside
    the Basic Multilingual Plane; then the values are asked character by character.
    """
    n = pdfium_c.FPDFText_CountChars(raw)
    if n <= 0:
        return []
    units = (ctypes.c_ushort * (n + 1))()
    pdfium_c.FPDFText_GetText(raw, 0, n, units)
    codes = list(units[:n])
    if any(0xD800 <= code <= 0xDFFF for code in codes):
        codes = [pdfium_c.FPDFText_GetUnicode(raw, i) for i in range(n)]
    return codes


def _vertical_box(raw, i: int, size: float) -> tuple[float, float, float]:
    """x0, x1, bottom of a character in vertical writing, whose loose box ignores the text matrix:
    a size-wide box centred on the glyph's own box, which puts the character in the right cell."""
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top)
    cx, cy = (left.value + right.value) / 2, (bottom.value + top.value) / 2
    return cx - size / 2, cx + size / 2, cy - size / 2


def page_edges(page, page_top: float) -> list[Edge]:
    """The axis-parallel pieces of every path on the page, form XObjects included."""
    edges: list[Edge] = []
    raw = _handle(page.raw)
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for i in range(_count_objects(raw)):
        obj = _get_object(raw, i)
        kind = _object_type(obj)
        if kind == _PATH or kind == _FORM:  # most objects are text: skip them here, cheaply
            _collect(obj, kind, identity, page_top, edges)
    return edges


def _collect(obj: int, kind: int, outer: tuple, page_top: float, edges: list[Edge]) -> None:
    m = pdfium_c.FS_MATRIX()
    _object_matrix(obj, ctypes.byref(m))
    a, b, c, d, e, f = outer
    # this object's matrix, then the enclosing forms' matrices
    a, b, c, d, e, f = (m.a * a + m.b * c, m.a * b + m.b * d, m.c * a + m.d * c, m.c * b + m.d * d,
                        m.e * a + m.f * c + e, m.e * b + m.f * d + f)
    if kind == _FORM:
        for j in range(_form_count(obj)):
            inner = _form_object(obj, j)
            inner_kind = _object_type(inner)
            if inner_kind == _PATH or inner_kind == _FORM:
                _collect(inner, inner_kind, (a, b, c, d, e, f), page_top, edges)
        return
    x, y = ctypes.c_float(), ctypes.c_float()
    x_p, y_p = ctypes.byref(x), ctypes.byref(y)
    subpaths: list[list[tuple[float, float]]] = []
    for k in range(_count_segments(obj)):
        segment = _get_segment(obj, k)
        _segment_point(segment, x_p, y_p)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if not subpaths or _segment_type(segment) == _MOVETO:
            subpaths.append([])
        subpaths[-1].append(point)
        if _segment_close(segment):
            subpaths[-1].append(subpaths[-1][0])
    for points in subpaths:
        for (x0, y0), (x1, y1) in itertools.pairwise(points):
            if abs(y0 - y1) < 0.01 and abs(x1 - x0) >= _PREFILTER:
                edges.append(Edge(False, page_top - y0, min(x0, x1), max(x0, x1)))
            elif abs(x0 - x1) < 0.01 and abs(y1 - y0) >= _PREFILTER:
                edges.append(Edge(True, x0, page_top - max(y0, y1), page_top - min(y0, y1)))


# --- tables -------------------------------------------------------------------------------


def find_tables(edges: list[Edge]) -> list[Table]:
    """Ruled tables, top to bottom (pdfplumber's `find_tables` with its default settings)."""
    merged = [e for e in _merge(edges) if e.end - e.start >= _MIN_EDGE]
    vertical = sorted((e for e in merged if e.vertical), key=lambda e: (e.pos, e.start))
    horizontal = sorted((e for e in merged if not e.vertical), key=lambda e: (e.pos, e.start))
    touching: dict[tuple[float, float], tuple[set[int], set[int]]] = {}
    heights = [h.pos for h in horizontal]
    for vi, v in enumerate(vertical):
        # only the horizontals within the vertical's reach, found by bisection
        reach = range(bisect.bisect_left(heights, v.start - TOLERANCE), bisect.bisect_right(heights, v.end + TOLERANCE))
        for hi in reach:
            h = horizontal[hi]
            if h.start - TOLERANCE <= v.pos <= h.end + TOLERANCE:
                vs, hs = touching.setdefault((v.pos, h.pos), (set(), set()))
                vs.add(vi)
                hs.add(hi)
    cells = _cells(touching)
    groups = _group_cells(cells)
    return [Table(group) for group in groups]


def _merge(edges: list[Edge]) -> list[Edge]:
    """Snap edges within the tolerance to their mean position, then join touching collinear ones."""
    joined: list[Edge] = []
    for vertical in (False, True):
        group = sorted(((e.pos, n, e) for n, e in enumerate(edges) if e.vertical == vertical),
                       key=lambda item: item[0])
        clusters: list[list[tuple[float, int, Edge]]] = []
        last = None
        for item in group:
            if last is None or item[0] > last + TOLERANCE:
                clusters.append([])
            clusters[-1].append(item)
            last = item[0]
        for cluster in clusters:
            # summed in the edges' own order, as pdfplumber does, to the last bit
            mean = sum(item[0] for item in sorted(cluster, key=lambda item: item[1])) / len(cluster)
            spans = sorted(((item[2].start, item[2].end) for item in cluster), key=lambda span: span[0])
            start, end = spans[0]
            for s, e in spans[1:]:
                if s <= end + TOLERANCE:
                    end = max(end, e)
                else:
                    joined.append(Edge(vertical, mean, start, end))
                    start, end = s, e
            joined.append(Edge(vertical, mean, start, end))
    return joined


def _cells(touching: dict[tuple[float, float], tuple[set[int], set[int]]]) -> list[Box]:
    """The smallest rectangle from each intersection whose four sides are ruled."""
    points = sorted(touching)
    # Points on each vertical (top to bottom) and horizontal (left to right), with each point's
    # place in both, so that the points below and right of one are a slice.
    by_x: dict[float, list[tuple[float, float]]] = {}
    by_y: dict[float, list[tuple[float, float]]] = {}
    place: dict[tuple[float, float], tuple[int, int]] = {}
    for p in points:
        column, row = by_x.setdefault(p[0], []), by_y.setdefault(p[1], [])
        place[p] = (len(column), len(row))
        column.append(p)
        row.append(p)

    def vertical_link(p, q) -> bool:
        return bool(touching[p][0] & touching[q][0])

    def horizontal_link(p, q) -> bool:
        return bool(touching[p][1] & touching[q][1])

    cells: list[Box] = []
    for pt in points:
        below = by_x[pt[0]][place[pt][0] + 1:]
        right = by_y[pt[1]][place[pt][1] + 1:]
        found = None
        for b in below:
            if not vertical_link(pt, b):
                continue
            for r in right:
                if not horizontal_link(pt, r):
                    continue
                corner = (r[0], b[1])
                if corner in touching and vertical_link(corner, r) and horizontal_link(corner, b):
                    found = (pt[0], pt[1], corner[0], corner[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _group_cells(cells: list[Box]) -> list[list[Box]]:
    """Cells that share a corner, transitively, form a table; single cells are not tables."""
    parent = list(range(len(cells)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_at: dict[tuple[float, float], int] = {}
    for i, cell in enumerate(cells):
        for corner in _corners(cell):
            j = first_at.setdefault(corner, i)
            parent[root(i)] = root(j)
    groups: dict[int, list[Box]] = {}
    for i, cell in enumerate(cells):
        groups.setdefault(root(i), []).append(cell)
    tables = sorted(groups.values(), key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


def _corners(box: Box) -> tuple:
    x0, top, x1, bottom = box
    return (x0, top), (x0, bottom), (x1, top), (x1, bottom)


# --- text ------------------------------------------------------------------------------------


def _cluster(items: list, key, tolerance: float) -> list[list]:
    """pdfplumber's `cluster_objects`: chain the distinct key values that lie within `tolerance`
    of their neighbour, and group items by chain, in chain order (stable within a chain)."""
    if len(items) < 2:
        return [items] if items else []
    groups: list[list[int]] = []
    last = None
    for value, n in sorted((key(item), n) for n, item in enumerate(items)):
        if last is None or value > last + tolerance:
            groups.append([])
        groups[-1].append(n)
        last = value
    return [[items[n] for n in sorted(group)] for group in groups]


def _words(chars: list[Char]) -> list[tuple[float, str, list[Char]]]:
    """Characters into words, as (top, text, characters): line by line (clustered by top), left to
    right, split at blanks and at gaps wider than the tolerance."""
    words: list[tuple[float, str, list[Char]]] = []

    def add(word: list[Char]) -> None:
        words.append((min(ch.top for ch in word), "".join(ch.text for ch in word), word))

    runs = [chars] if all(ch.upright for ch in chars) else [list(run) for _, run in
                                                             itertools.groupby(chars, key=lambda ch: ch.upright)]
    for run in runs:
        for line in _cluster(run, _TOP, TOLERANCE):
            line.sort(key=_X0)
            word: list[Char] = []
            for ch in line:
                if ch.text.isspace():
                    if word:
                        add(word)
                    word = []
                    continue
                if word:
                    prev = word[-1]
                    if ch.x0 < prev.x0 or ch.x0 > prev.x1 + TOLERANCE or abs(ch.top - prev.top) > TOLERANCE:
                        add(word)
                        word = []
                word.append(ch)
            if word:
                add(word)
    return words


_TOP, _X0, _FIRST = operator.attrgetter("top"), operator.attrgetter("x0"), operator.itemgetter(0)


def cell_text(chars: list[Char]) -> str:
    """A cell's text: its lines run together (a cell's line breaks are wrapping, not content)."""
    if len(chars) < 2:
        return chars[0].text.strip() if chars else ""
    lines = _cluster(_words(chars), _FIRST, TOLERANCE)
    return "".join(" ".join(word[1] for word in line) for line in lines).strip()


def text_lines(chars: list[Char]) -> list[Line]:
    """Lines of text in reading order with their boxes (pdfplumber's `extract_text_lines`)."""
    words = _words(chars)
    index: dict[float, int] = {}
    group, last = -1, None
    for value in sorted({word[0] for word in words}):
        if last is None or value > last + TOLERANCE:
            group += 1
        index[value] = group
        last = value
    lines: list[Line] = []
    for _, run in itertools.groupby(words, key=lambda word: index[word[0]]):
        run = list(run)
        text = " ".join(word[1] for word in run).strip()
        if not text:
            continue
        members = [ch for word in run for ch in word[2]]
        lines.append(Line(text, min(ch.x0 for ch in members), min(word[0] for word in run),
                          max(ch.x1 for ch in members), max(ch.bottom for ch in members)))
    return lines
