"""The cleaned text as HTML, with every fact's evidence wrapped in a `<mark>` at its offsets.

Evidence spans overlap: several facts are read from one sentence (identical spans), a derived group
total's evidence is the stretch of text that holds all of its member cells (it contains them), and
the group totals of neighbouring columns cross each other (column 2's stretch starts inside column
1's and ends after it). HTML is a tree, so nesting handles the first two cases exactly, and no
markup can give two crossing spans one element each. The rule is therefore:

- facts are placed in priority order, printed figures (``table``/``text``) before derived ones, and
  shorter spans before longer ones, so that the figures a reader checks first are never cut;
- a fact whose span nests with everything placed before it gets exactly one element;
- a fact whose span crosses an earlier one is cut at the crossing boundaries into consecutive
  pieces, each nesting properly; all pieces carry the fact's id and a ``data-part`` index, and their
  texts concatenated equal the evidence. In the bundled corpus only derived group totals are cut.

Offsets are positions in the Python string (code points), which is what ``span_start``/``span_end``
count; the browser's text nodes count UTF-16 units, so the marks are placed here, not in script.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Span:
    """One element to draw: fact `fact` covers text[start:end]; `part` is None when it is whole."""

    start: int
    end: int
    fact: int
    part: int | None = None


def _crosses(a0: int, a1: int, b0: int, b1: int) -> bool:
    """Whether [a0, a1) and [b0, b1) overlap without one containing the other."""
    return (a0 < b0 < a1 < b1) or (b0 < a0 < b1 < a1)


def layout(spans: Sequence[tuple[int, int]], priority: Sequence[int] | None = None) -> list[Span]:
    """The elements that draw every span, nested properly.

    Args:
        spans: (start, end) of each fact, indexed by fact number; start == end is a blank cell.
        priority: a sort key per fact (lower is placed first and kept whole when it can be);
            defaults to all equal. Ties are broken by span length, then by fact number.

    Returns:
        The elements, whole or in pieces, in no particular order (`render` sorts them).
    """
    priority = priority if priority is not None else [0] * len(spans)
    order = sorted(range(len(spans)), key=lambda i: (priority[i], spans[i][1] - spans[i][0], i))
    placed: list[Span] = []
    starts: list[int] = []  # starts of `placed`, kept sorted for the window search
    longest = 0
    out: list[Span] = []
    for i in order:
        start, end = spans[i]
        pieces = [(start, end)]
        while True:
            cuts: set[int] = set()
            for p0, p1 in pieces:
                lo = bisect.bisect_left(starts, p0 - longest)
                hi = bisect.bisect_left(starts, p1)
                for s in placed[lo:hi]:
                    if _crosses(p0, p1, s.start, s.end):
                        cuts.update(x for x in (s.start, s.end) if p0 < x < p1)
            if not cuts:
                break
            bounds = sorted({start, end} | cuts)
            pieces = list(itertools.pairwise(bounds))
        for k, (p0, p1) in enumerate(pieces):
            span = Span(p0, p1, i, None if len(pieces) == 1 else k)
            at = bisect.bisect_right(starts, p0)
            starts.insert(at, p0)
            placed.insert(at, span)
            longest = max(longest, p1 - p0)
            out.append(span)
    return out


def render(text: str, spans: Sequence[Span], attrs: Sequence[str]) -> str:
    """`text` as escaped HTML with one ``<mark>`` per element of `spans`.

    Args:
        text: the document's cleaned text.
        spans: from `layout`.
        attrs: per fact number, the attributes its marks carry besides the id (already escaped),
            e.g. ``' class="ev t"'``.

    Returns:
        HTML for the inside of a ``<pre>``-like element: the text is always escaped, never markup.
    """
    # Outer before inner: by start, then the longer first; identical spans keep placement order.
    items = sorted(spans, key=lambda s: (s.start, -s.end))
    out: list[str] = []
    open_ends: list[int] = []
    pos = 0
    for span in items:
        while open_ends and open_ends[-1] <= span.start:
            pos = _close(text, out, open_ends, pos)
        out.append(escape(text[pos:span.start], quote=False))
        pos = span.start
        part = "" if span.part is None else f' data-part="{span.part}"'
        out.append(f'<mark data-f="{span.fact}"{part}{attrs[span.fact]}>')
        open_ends.append(span.end)
    while open_ends:
        pos = _close(text, out, open_ends, pos)
    out.append(escape(text[pos:], quote=False))
    return "".join(out)


def _close(text: str, out: list[str], open_ends: list[int], pos: int) -> int:
    """Write the text up to the innermost open element's end and close it; the new position."""
    end = open_ends.pop()
    out.append(escape(text[pos:end], quote=False))
    out.append("</mark>")
    return end
