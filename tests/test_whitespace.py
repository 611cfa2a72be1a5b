"""The squeezed text and its offset map agree, whatever whitespace a crawler left in."""

import re

from hypothesis import given
from hypothesis import strategies as st

from govdisclosure.whitespace import squeeze, squeeze_with_map

# The characters reports are squeezed of: ASCII and Unicode whitespace, the ideographic space,
# NBSP and the zero-width space (which is not whitespace to Python but is dropped all the same).
_SPACES = " \t\n\r\f\v\u3000\xa0\u200b\u2002\u2009\x1c\x85"
_TEXT = st.text(alphabet=st.sampled_from("本年新收申请12,3。" + _SPACES), max_size=60)


@given(_TEXT)
def test_squeeze_drops_exactly_the_whitespace(text):
    assert squeeze(text) == re.sub(r"[\s\u200b]+", "", text)


@given(_TEXT)
def test_the_map_points_at_the_characters_kept(text):
    squeezed, offsets = squeeze_with_map(text)
    assert squeezed == squeeze(text)
    assert "".join(text[i] for i in offsets) == squeezed
    assert list(offsets) == sorted(offsets)


def test_a_crawled_label_squeezes_to_the_form():
    assert squeeze("本年 新收\u3000政府信息\xa0公开\u200b申请  12") == "本年新收政府信息公开申请12"
