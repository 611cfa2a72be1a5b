"""Evidence marks: nested where spans nest, cut only where they cross, the text always intact."""

from __future__ import annotations

import itertools
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from govdisclosure.view import spans


class _Marks(HTMLParser):
    """The text of a rendered fragment and, per fact, the text of each of its marks in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.open: list[tuple[int, int | None, int]] = []  # (fact, part, start offset)
        self.marks: dict[int, list[tuple[int | None, int, int]]] = {}

    def handle_starttag(self, tag, attrs):
        assert tag == "mark"
        attrs = dict(attrs)
        part = attrs.get("data-part")
        self.open.append((int(attrs["data-f"]), None if part is None else int(part), len(self.text)))

    def handle_endtag(self, tag):
        fact, part, start = self.open.pop()
        self.marks.setdefault(fact, []).append((part, start, len(self.text)))

    def handle_data(self, data):
        self.text += data


def _parse(html: str) -> _Marks:
    parser = _Marks()
    parser.feed(html)
    parser.close()
    assert not parser.open
    return parser


def _crosses(a, b):
    return a[0] < b[0] < a[1] < b[1] or b[0] < a[0] < b[1] < a[1]


def test_identical_and_nested_spans_get_one_element_each():
    text = "全年主动公开政府信息1136条"
    layout = spans.layout([(0, 16), (0, 16), (10, 14), (10, 10)])
    html = spans.render(text, layout, [""] * 4)
    assert html == ('<mark data-f="0"><mark data-f="1">全年主动公开政府信息<mark data-f="2">'
                    '<mark data-f="3"></mark>1136</mark>条</mark></mark>')


def test_a_crossing_span_is_cut_and_the_earlier_one_kept_whole():
    text = "a\t1\t2\nb\t3\t4\n"
    # fact 0: cell "1"; fact 1: column 1 from "1" to "3"; fact 2: column 2 from "2" to "4" crosses it
    layout = spans.layout([(2, 3), (2, 9), (4, 11)], priority=[0, 1, 1])
    parsed = _parse(spans.render(text, layout, ["", "", ""]))
    assert parsed.text == text
    assert parsed.marks[0] == [(None, 2, 3)]
    assert parsed.marks[1] == [(None, 2, 9)]
    assert parsed.marks[2] == [(0, 4, 9), (1, 9, 11)]


def test_markup_in_the_text_is_escaped():
    text = '<script>alert("x")</script> & 12件'
    html = spans.render(text, spans.layout([(0, 8), (30, 33)]), ['', ' class="ev"'])
    assert "<script>" not in html
    assert _parse(html).text == text


@st.composite
def _text_and_spans(draw):
    text = draw(st.text(alphabet="0123456789件条\t\n<>&\"'一二", min_size=1, max_size=60))
    points = st.integers(0, len(text))
    pairs = draw(st.lists(st.tuples(points, points).map(sorted), max_size=25))
    return text, [tuple(p) for p in pairs]


@given(_text_and_spans(), st.data())
def test_every_span_is_drawn_exactly(case, data):
    text, pairs = case
    priority = data.draw(st.lists(st.integers(0, 2), min_size=len(pairs), max_size=len(pairs)))
    parsed = _parse(spans.render(text, spans.layout(pairs, priority), [""] * len(pairs)))
    assert parsed.text == text
    for i, (start, end) in enumerate(pairs):
        pieces = sorted(parsed.marks[i], key=lambda m: (m[1], m[2]))
        if pieces[0][0] is None:
            assert pieces == [(None, start, end)]
        else:
            # pieces in order, each one after the other, together exactly the span
            assert [p[0] for p in pieces] == list(range(len(pieces)))
            assert pieces[0][1] == start and pieces[-1][2] == end
            assert all(a[2] == b[1] for a, b in itertools.pairwise(pieces))
            # a span is only cut when it crosses one placed before it
            assert any(_crosses((start, end), other) for other in pairs)
