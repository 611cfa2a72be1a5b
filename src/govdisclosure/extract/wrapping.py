"""Paragraphs of a text hard-wrapped at a fixed width (text copied out of a PDF viewer), joined again.

A report copied from a PDF keeps the PDF's line breaks: every line of a paragraph is as wide as the
page, and only the last is shorter. A phrase and its count are then often on two lines
(``…共受理政府信息公开申请`` / ``12件``), and each line reads as a clause on its own. A careful
reader sees the column and reads through the breaks; so does this module, only when the text shows
it: many of its prose lines share one width (a tolerance allows for narrow digits and letters) and
break in mid-sentence.
A line as wide as the column, followed by a line that is neither a heading nor a table row, is
joined to it. Lines of tables written as text (pipes, tabs, runs of spaces) are never joined.
"""

from __future__ import annotations

import re

#: The column is between these widths (display cells: a Chinese character is two); a line wider
#: than the widest is a paragraph, no page being that wide …
_MIN_COLUMN = 40
_MAX_COLUMN = 200
#: … and holds at least this many full lines, and this share of the prose lines.
_MIN_FULL_LINES = 6
_MIN_SHARE = 0.25
#: A line within this fraction of the column's width is full (digits and letters are narrow) …
_TOLERANCE = 0.1
#: … and within this fraction of its length in characters (a narrow character takes one).
_LENGTH_TOLERANCE = 0.25
#: What a line that ends a sentence or a paragraph ends with.
_STOPS = "。；;：:！!？?）)”\""
#: A line that opens with a heading number or a list mark starts a paragraph of its own.
_OPENS_PARAGRAPH = re.compile(r"\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[.．、](?!\d)"
                              r"|第[一二三四五六七八九十]+[章节条部分])")
#: Lines of a table written as text: pipes, tabs, runs of spaces.
_TABLE_MARK = re.compile(r"[|｜\t]|  |\u3000\u3000")
#: Characters one cell wide: everything but East Asian Wide and Fullwidth (Chinese characters and
#: punctuation, kana, hangul, full-width forms). Counted by one scan rather than a Unicode lookup per
#: character; in Chinese text they are the few.
_NARROW = re.compile("[^\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
                     "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]")


def _width(line: str) -> int:
    """Display cells of a stripped line."""
    return 2 * len(line) - len(_NARROW.findall(line))


def _is_prose(line: str) -> bool:
    return bool(line) and not _TABLE_MARK.search(line)


def column_width(lines: list[str]) -> int | None:
    """The width the text is wrapped at, or None when it is not hard-wrapped."""
    stripped = [line.strip() for line in lines]
    # A hard-wrapped text breaks lines in mid-sentence, and those lines have about one length; a
    # text of one line per paragraph (most crawled pages) fails this cheap test and is passed over.
    broken = sorted(len(line) for line in stripped if len(line) * 2 >= _MIN_COLUMN and line[-1] not in _STOPS)
    if len(broken) < _MIN_FULL_LINES or _most_within(broken, _LENGTH_TOLERANCE) < _MIN_FULL_LINES:
        return None
    prose = [line for line in stripped if _is_prose(line)]
    # Only lines that may be full lines of a column are measured (a character is at most two cells).
    widths = sorted(_width(line) for line in prose
                    if _MIN_COLUMN * (1 - _TOLERANCE) <= len(line) * 2 and len(line) <= _MAX_COLUMN)
    column, full = _widest_common_width(widths) if widths else (0, 0)
    return column if full >= _MIN_FULL_LINES and full >= _MIN_SHARE * len(prose) else None


def _within(values: list[int], tolerance: float) -> list[tuple[int, int]]:
    """For each of the sorted `values`, (how many values lie within [v·(1 − tolerance), v], v)."""
    counts, low = [], 0
    for high, value in enumerate(values):
        while values[low] < value * (1 - tolerance):
            low += 1
        counts.append((high - low + 1, value))
    return counts


def _most_within(values: list[int], tolerance: float) -> int:
    """The most of the sorted `values` that lie within [v·(1 − tolerance), v] of one of them."""
    return max(count for count, _ in _within(values, tolerance))


def _widest_common_width(widths: list[int]) -> tuple[int, int]:
    """The width w (of _MIN_COLUMN to _MAX_COLUMN) with the most lines within [w·(1 − tolerance), w],
    the widest on a tie, and that number of lines. `widths` is sorted."""
    count, width = max(((count, width) for count, width in _within(widths, _TOLERANCE)
                        if _MIN_COLUMN <= width <= _MAX_COLUMN), default=(0, 0))
    return width, count


def unwrap(lines: list[str]) -> list[str]:
    """`lines` with the lines of each hard-wrapped paragraph joined; unchanged when not hard-wrapped."""
    column = column_width(lines)
    if column is None:
        return lines
    out: list[str] = []
    joining = False
    for line in lines:
        body = line.strip()
        if joining and _is_prose(body) and not _OPENS_PARAGRAPH.match(body):
            previous = out[-1].rstrip()
            # Two Latin words broken apart are two words; Chinese has no spaces to restore.
            space = " " if previous[-1:].isascii() and previous[-1:].isalpha() and body[:1].isascii() else ""
            out[-1] = previous + space + body
        else:
            out.append(line)
        joining = _is_prose(body) and _width(body) >= column * (1 - _TOLERANCE)
    return out
