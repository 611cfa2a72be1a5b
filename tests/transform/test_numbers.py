"""Numbers as the reports print them, and counts (number + unit) found in running text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govdisclosure.transform.numbers import find_quantities, parse_number
from support.numerals import to_chinese


@pytest.mark.parametrize(("printed", "value"), [
    ("811", 811), ("1,926", 1926), ("１２５", 125), ("18.22", 18.22), ("308万", 3_080_000),
    ("1.2万", 12_000), ("三", 3), ("十二", 12), ("一百二十五", 125), ("两千", 2000), ("一千零一十", 1010),
    ("二〇一七", 2017), ("三万", 30_000), ("零", 0), ("2亿", 200_000_000),
])
def test_parse_number(printed, value):
    assert parse_number(printed) == value


@pytest.mark.parametrize("printed", ["", "abc", "三五", "万", "1.2.3"])
def test_parse_number_rejects(printed):
    assert parse_number(printed) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("2017年主动公开政府信息811条,比2016年多125条,增长18.22%", [(811, "条", False), (125, "条", False)]),
    ("3个网站点击率累计达308万人次", [(3, "个", False), (3_080_000, "人次", False)]),
    ("发放各类宣传资料2800余份", [(2800, "份", True)]),
    ("共收集网络信息近1000条，处置网络舆情70多件", [(1000, "条", True), (70, "件", True)]),
    ("全年收取政府信息公开信息处理费 0 元", [(0, "元", False)]),
    ("收取费用2万元", [(20_000, "元", False)]),
    ("举办新闻发布会三次", [(3, "次", False)]),
    ("接待群众咨询100人次以上", [(100, "人次", True)]),
    ("二○一四年一月十日", []),  # a date has no count unit
    ("编印了万余字的信息公开资料", []),  # 万 alone is a word, not a number
    ("一是加强组织领导，统一部署", []),
])
def test_find_quantities(text, expected):
    assert [(q.value, q.unit, q.approx) for q in find_quantities(text)] == expected


def test_quantity_offsets_point_at_the_printed_count():
    text = "现场接待群众咨询4300人次，"
    (q,) = find_quantities(text)
    assert text[q.start:q.end] == "4300人次"
    assert text[q.number_start] == "4"


@given(st.integers(min_value=0, max_value=99_999_999))
def test_chinese_numerals_round_trip(n):
    (q,) = find_quantities(f"共受理申请{to_chinese(n)}件。")
    assert q.value == n


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["plain", "separated", "full-width"]))
def test_arabic_formats(n, style):
    printed = {"plain": str(n), "separated": f"{n:,}",
               "full-width": str(n).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})}[style]
    (q,) = find_quantities(f"主动公开政府信息{printed}条，")
    assert q.value == n


@given(st.integers(min_value=1, max_value=9999), st.sampled_from(["万", "亿"]))
def test_multipliers(n, multiplier):
    (q,) = find_quantities(f"访问量达{n}{multiplier}人次")
    assert q.value == n * {"万": 10_000, "亿": 100_000_000}[multiplier]
