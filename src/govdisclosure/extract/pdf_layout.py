"""Page geometry from pdfium: characters with boxes, ruling edges and text lines (tables: `pdf_tables`).

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

import ctypes
import itertools
import operator
from dataclasses import dataclass

import pypdfium2.raw as pdfium_c

TOLERANCE = 3.0  # pdfplumber's snap, join, intersection and text tolerances, in points
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
