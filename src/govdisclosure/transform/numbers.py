"""Numbers as the reports print them: Arabic, with separators, Chinese numerals, 万/亿, approximations.

The narrative extractor never parses a number in isolation: a count is a number *followed by a unit*
(``811条``, ``308万人次``, ``三次``), so this module offers one scanner, `find_quantities`, that yields
number + multiplier + unit together, with the approximation words around it (``近1000条``,
``2800余份``). Keeping the unit inside the match is what tells a count from a year (``2017年``), a
date, a percentage or a phone number, and it is why Chinese numerals can be accepted at all:
``一是``, ``统一`` or ``一系列`` never carry a count unit after them.

Chinese numerals are converted by `cn2an` (its "normal" mode reads both 一千零一十 and
digit-by-digit 二〇一七); this module only adds the one reading rule of the domain on top: two or
three digit characters without a zero (三五天) mean "three or five", not 35, so they are no number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import cn2an

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_BIG_UNITS = {"千万": 10_000_000, "千": 1_000, "万": 10_000, "亿": 100_000_000}  # longest first

# Full-width digits and the punctuation that carries numbers (decimal point, separator, percent).
# Cleaning folds them already; folding again here keeps `parse_number` usable on raw strings.
_FOLD = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")

ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# A Chinese numeral must start with a digit character or 十: a bare 万 or 千 is a word (万余字).
_CHINESE_FIRST = "零〇○一二两三四五六七八九十"
_CHINESE_DIGITS = "零〇○一二两三四五六七八九十百千万亿"
CHINESE = rf"[{_CHINESE_FIRST}][{_CHINESE_DIGITS}]*"
NUMBER = rf"(?:{ARABIC}|{CHINESE})"

#: Count units, longest first so that 人次 wins over 人 and 万元 is read as 万 + 元.
UNITS = ("人次", "条", "件", "次", "场", "期", "个", "份", "篇", "项", "元", "人", "家", "批", "起", "宗", "例")
_UNIT_RE = "|".join(UNITS)
_APPROX_WORDS = ("近", "约", "逾", "将近", "大约", "超过", "多达")
_APPROX_BEFORE = "(?:" + "|".join(_APPROX_WORDS) + ")"
_APPROX_AFTER = r"(?:余|多|以上|左右)"

# The lookahead names every character a quantity can start with: it changes no match, but lets the
# regex engine skip ahead to candidates instead of trying the whole pattern at every position.
# A number starts where a run of digits starts (the look-behind), so a long run is tried once,
# not from each of its characters (quadratic), and not after a minus sign or a letter (-246件 and
# 1e400件 are no counts of 246 and 400). The blanks are possessive (`\s*+`): what follows
# each never starts with a blank, so giving one back cannot make a match, and three backtracking
# `\s*` in a row took cubic time on long blank runs.
QUANTITY_RE = re.compile(
    rf"(?=[{''.join(dict.fromkeys(w[0] for w in _APPROX_WORDS))}\d{_CHINESE_FIRST}])"
    rf"(?P<before>{_APPROX_BEFORE})?"
    rf"(?<![\d.,{_CHINESE_DIGITS}A-Za-z\-－−])(?P<number>{NUMBER})(?![\d])"
    rf"\s*+(?P<mult>千万|[千万亿](?!元))?\s*+(?P<after>{_APPROX_AFTER})?\s*+"
    rf"(?P<mult2>(?:千万|[千万亿])(?=元))?(?P<unit>{_UNIT_RE})(?P<after_unit>以上|左右)?"
)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit, as found in a text.

    Attributes:
        value: the number with 千/万/亿 applied (``308万人次`` → 3080000, ``3千条`` → 3000).
        unit: the printed count unit (条, 件, 人次, 元 …).
        start: offset of the match (approximation prefix included).
        end: offset just after the unit.
        approx: the number is printed as an approximation (近, 约, 余, 多 …).
        number_start: offset of the first character of the number itself.
    """

    value: float
    unit: str
    start: int
    end: int
    approx: bool
    number_start: int


def _parse_chinese(text: str) -> float | None:
    """Value of a Chinese numeral, or None when it is not well formed."""
    if 1 < len(text) < 4 and all(ch in _DIGITS and _DIGITS[ch] for ch in text):
        return None
    try:
        return float(cn2an.cn2an(text.replace("○", "〇"), "normal"))
    except (ValueError, OverflowError):  # hundreds of digit characters overflow a float
        return None


@lru_cache(maxsize=4096)
def parse_number(text: str) -> float | None:
    """Parse one number as printed: ``1,926``, ``１２.５``, ``308万``, ``一百二十``, ``二〇一七``.

    Args:
        text: the number alone, optionally followed by 千, 万, 千万 or 亿.

    Returns:
        The value, or None when `text` is not a number.
    """
    text = text.strip().translate(_FOLD)
    multiplier = 1
    # 308万, 3千万: Arabic digits with a Chinese multiplier; 一万二千 is one Chinese numeral (cn2an).
    for word, scale in _BIG_UNITS.items():
        if text.endswith(word) and re.fullmatch(ARABIC, text[: -len(word)]):
            multiplier, text = scale, text[: -len(word)]
            break
    if re.fullmatch(ARABIC, text):
        return float(text.replace(",", "")) * multiplier
    if re.fullmatch(CHINESE, text):
        value = _parse_chinese(text)
        return None if value is None else value * multiplier
    return None


def find_quantities(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Every number followed by a count unit in ``text[start:end]``.

    Args:
        text: the text to scan (offsets in the result point into it).
        start: where to begin.
        end: where to stop (default: the end of `text`).

    Returns:
        The quantities in text order.
    """
    found = []
    for m in QUANTITY_RE.finditer(text, start, len(text) if end is None else end):
        value = parse_number(m["number"])
        if value is None:
            continue
        if m["mult"] or m["mult2"]:
            value *= _BIG_UNITS[m["mult"] or m["mult2"]]
        found.append(Quantity(value, m["unit"], m.start(), m.end(), bool(m["before"] or m["after"] or m["after_unit"]),
                              m.start("number")))
    return found

