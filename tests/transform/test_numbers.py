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


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("全-共主动公开政府信息近2.4万条", 24_000, "条"), ("重要审计信息1万余条", 10_000, "条"),
    ("经网站转载6万多篇", 60_000, "篇"), ("约3千条", 3_000, "条"), ("收取费用0.5万元", 5_000, "元"),
    ("共收到一宗申请", 1, "宗"), ("受理申请十余件", 10, "件"), ("访问量2千万人次", 20_000_000, "人次"),
])
def test_approximate_and_scaled_counts(text, value, unit):
    (q,) = find_quantities(text)
    assert (q.value, q.unit) == (value, unit)


@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=0, max_value=9),
       st.sampled_from(["", "千", "万", "亿"]), st.sampled_from(["", "近", "约", "逾"]),
       st.sampled_from(["", "余", "多"]), st.sampled_from(["条", "件", "人次", "元"]),
       st.booleans())
def test_approximations_keep_the_printed_value(whole, tenth, multiplier, before, after, unit, full_width):
    """近2.4万条, 1万余条, ６万多条: the value is the printed number times 千/万/亿, flagged approximate."""
    number = f"{whole}.{tenth}" if tenth else str(whole)
    printed = number.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"}) if full_width else number
    (q,) = find_quantities(f"共发布信息{before}{printed}{multiplier}{after}{unit}。")
    scale = {"": 1, "千": 1_000, "万": 10_000, "亿": 100_000_000}[multiplier]
    assert q.value == pytest.approx(float(number) * scale)
    assert q.unit == unit
    assert q.approx == bool(before or after)


@given(st.integers(min_value=1, max_value=99_999_999), st.sampled_from(["余", "多", ""]))
def test_chinese_numerals_with_approximations(n, after):
    (q,) = find_quantities(f"接待咨询{to_chinese(n)}{after}人次，")
    assert (q.value, q.unit, q.approx) == (n, "人次", bool(after))
