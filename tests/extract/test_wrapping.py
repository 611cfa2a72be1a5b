"""Text hard-wrapped at a fixed width reads like the text it was wrapped from.

Every development-set report, wrapped the way a PDF viewer's copy wraps it (at a fixed display
width, a Chinese character two cells), must give the facts and metadata of the original; texts
that are not wrapped (the development set, the bundled corpus) are left exactly as they are.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from govdisclosure.extract.text import decode
from govdisclosure.extract.wrapping import column_width, unwrap
from govdisclosure.pipeline import process_file
from support.locations import FIXTURES, RAW

NATIONAL = FIXTURES / "national"
_COLUMN = 76  # display cells: 38 Chinese characters, a common PDF line


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _wrap(text: str, column: int = _COLUMN) -> str:
    """`text` with every line broken at `column` display cells, as a PDF copy breaks it."""
    out = []
    for line in text.split("\n"):
        current, width = "", 0
        for ch in line:
            if width + _width(ch) > column:
                out.append(current)
                current, width = "", 0
            current += ch
            width += _width(ch)
        out.append(current)
    return "\n".join(out)


def _read(name: str, data: bytes) -> tuple[set[tuple], dict]:
    """The facts, as (measure, breakdown, value), and the main metadata of one file."""
    result = process_file(name, data)
    report = result.reports[0]
    return ({(f["measure"], f["breakdown"], f["value"]) for f in result.facts},
            {key: report[key] for key in ("agency_name", "province", "city", "county", "report_year", "template")})


@pytest.mark.parametrize("path", sorted(NATIONAL.glob("*.txt")), ids=lambda p: p.stem)
def test_a_development_report_wrapped_at_a_fixed_width_reads_the_same(path):
    original = path.read_bytes()
    wrapped = _wrap(decode(original)[0]).encode("utf-8")
    assert _read(path.name, wrapped) == _read(path.name, original)


@pytest.mark.parametrize("path", sorted([*NATIONAL.glob("*.txt"), *RAW.glob("*.txt")]), ids=lambda p: p.stem)
def test_texts_that_are_not_wrapped_are_left_alone(path):
    lines = decode(path.read_bytes())[0].split("\n")
    assert column_width(lines) is None
    assert unwrap(lines) is lines


_PARAGRAPH = ("2016年，我局在市政府信息公开平台主动公开政府信息27条，其中机构介绍3条、通知公告12条、"
              "工作动态12条。全年共受理政府信息公开申请12件，均已按期答复，未发生行政复议和行政诉讼。")


def test_a_phrase_and_its_count_on_two_lines_are_joined():
    lines = _wrap(("一、主动公开政府信息情况\n" + _PARAGRAPH + "\n") * 4).split("\n")
    assert column_width(lines) == _COLUMN
    joined = unwrap(lines)
    assert joined[:2] == ["一、主动公开政府信息情况", _PARAGRAPH]
    assert joined.count(_PARAGRAPH) == 4


def test_headings_and_table_rows_are_never_joined_to_a_full_line():
    body = _wrap(_PARAGRAPH * 3).split("\n")
    lines = body + ["（二）依申请公开情况"] + body + ["规章 | 0 | 0 | 0 |", "规范性文件 | 3 | 3 | 12 |"]
    joined = unwrap(lines)
    assert "（二）依申请公开情况" in joined
    assert joined[-2:] == ["规章 | 0 | 0 | 0 |", "规范性文件 | 3 | 3 | 12 |"]


# No 、: a wrapped line that starts with 12、 reads as a list item, and is rightly not joined.
_CHARS = st.sampled_from(list("政府信息公开申请主动条件办理答复复议诉讼年我局共收到") + list("0123456789，。"))


@settings(max_examples=60, deadline=None)
@given(paragraphs=st.lists(st.text(_CHARS, min_size=120, max_size=400), min_size=3, max_size=8),
       column=st.integers(min_value=60, max_value=100))
def test_wrapping_and_unwrapping_gives_the_paragraphs_back(paragraphs, column):
    paragraphs = ["我" + p for p in paragraphs]  # a paragraph never opens with a list mark here
    wrapped = [_wrap(p, column).split("\n") for p in paragraphs]
    # A paragraph whose last line fills the column cannot be told from one that goes on: the
    # property is about the others.
    assume(all(sum(map(_width, lines[-1])) < column * 0.9 for lines in wrapped))
    lines = [line for paragraph in wrapped for line in paragraph]
    if column_width(lines) is None:
        return  # too few full lines to call the text wrapped: then it is left alone
    assert unwrap(lines) == paragraphs
