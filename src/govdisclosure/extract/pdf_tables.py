"""Ruled tables from the edges of a page: pdfplumber's table finder, on `pdf_layout`'s edges.

pdfplumber's default rules, kept so that the tables of the PDFs read so far do not move: edges
within 3 pt of each other are snapped to their mean position (summed in their own order, to the
last bit) and collinear ones that touch are joined; each intersection of a vertical and a
horizontal edge is a corner; a cell is the smallest rectangle from a corner whose four sides are
ruled; cells that share a corner, transitively, are one table. Rows are the cells' distinct tops
and columns their distinct lefts, so a merged cell leaves None where no cell starts.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass

from govdisclosure.extract.pdf_layout import TOLERANCE, Box, Char, Edge, cell_text

_MIN_EDGE = 3.0  # edges shorter than this after joining are not rules


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
