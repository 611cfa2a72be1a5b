"""Integers written in Chinese numerals, as reports print them: the inverse the number tests need."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"


def _section(n: int, top: bool) -> str:
    """A number below 10 000 in Chinese numerals, the way reports write it (一千零一十, 十五)."""
    out, zero = [], False
    for unit, div in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        d = n // div % 10
        if d:
            if zero:
                out.append("零")
                zero = False
            lead = "" if unit == "十" and d == 1 and top and not out else _DIGITS[d]
            out.append(lead + unit)
        elif out:
            zero = True
    return "".join(out)


def to_chinese(n: int) -> str:
    """`n` (< 10^8) in Chinese numerals."""
    if n == 0:
        return "零"
    high, low = divmod(n, 10_000)
    text = _section(high, top=True) + "万" if high else ""
    if low:
        if high and low < 1000:
            text += "零"
        text += _section(low, top=not high)
    return text
