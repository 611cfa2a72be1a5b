"""The form vocabulary: the text a label pattern needs is in every label it matches."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govdisclosure.extract.text import decode
from govdisclosure.national_form import request_rows, required_text
from govdisclosure.whitespace import squeeze
from support.locations import FIXTURES, RAW


@pytest.mark.parametrize("pattern, needs", [
    (r"(?:一、)?本年新收(?:到)?申请", "本年新收"),
    (r"其他法律[^\d（）]{10,80}?公开", "其他法律"),  # the digits of {10,80} are not text
    (r"申请人逾期未按收费通知要求缴纳费用", "申请人逾期未按收费通知要求缴纳费用"),
    (r"[（(]三[）)]不予公开|不予公开(?=1[.．、])", ""),  # alternatives at the top: nothing is certain
    (r"abc?d", "ab"),  # c? is optional
    (r"x\.本年", "本年"),  # \. widens to 、 and ．
    (r"（一）予以公开", "予以公开"),  # brackets widen to their ASCII twins
])
def test_required_text(pattern, needs):
    assert required_text(pattern) == needs


def test_every_row_needs_text_its_printed_label_has():
    for row in request_rows():
        label = squeeze(row.label)
        if row.pattern.search(label):
            assert row.needs in row.pattern.search(label).group(), row.measure


def test_every_match_in_the_development_set_contains_what_its_row_needs():
    seen = 0
    for path in sorted([*(FIXTURES / "national").glob("*.*"), *RAW.rglob("*.*")]):
        if path.suffix not in (".txt", ".html", ".htm"):
            continue
        squeezed = squeeze(decode(path.read_bytes())[0])
        for row in request_rows():
            for m in row.pattern.finditer(squeezed):
                assert row.needs in m.group(), (row.measure, m.group())
                seen += 1
    assert seen > 80


@given(st.text(alphabet="本年新收一、.()（）到申请数量其他", max_size=30))
def test_a_text_without_the_needed_run_has_no_match(text):
    for row in request_rows():
        if row.needs and row.needs not in text:
            assert not row.pattern.search(text)
