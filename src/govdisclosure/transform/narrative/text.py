"""Positions in a report's text that every narrative reader needs: clauses, sentences, headings, groups.

The prose reader, the list reader, the absence reader and the audit all ask the same questions of
the same text (which clause is this number in, which heading is it under, which breakdown opened
last), so the answers are computed once per document here, as sorted offsets searched with
`bisect`, rather than by each reader scanning characters around every number.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

from govdisclosure.transform.narrative.grammar import Match

CLAUSE_END = "，,；;。：:！!？?\n\t"
_SENTENCE_END = "；;。！!？?\n"
_FULL_STOP = "。！!？?\n"
# The same sets as patterns: positions are found by the regex engine, not a Python loop per character.
# (Patterns that start with a character or a class are scanned for quickly; lookarounds come after.)
# A comma between digits is a thousands separator (2,356条), not the end of a clause.
_CLAUSE_END_RE = re.compile("[" + re.escape(CLAUSE_END.replace(",", "")) + r"]|,(?!(?<=\d,)\d)")
_SENTENCE_END_RE = re.compile("[" + re.escape(_SENTENCE_END) + "]")
_FULL_STOP_RE = re.compile("[" + re.escape(_FULL_STOP) + "]")
# A heading number (一、 （一） 1.) at the start of the text or after a space or a stop. The pattern
# matches the character before it (a class the regex engine scans for), not a lookbehind that would
# be tried at every position.
_HEADING_NUMBER = re.compile(r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d{1,2}[.．、](?!\d)")
_BEFORE_HEADING = re.compile(r"[\s。；;：:](?=" + _HEADING_NUMBER.pattern + ")")
#: The words that open a breakdown, and the group each opens.
_GROUP_HEADS = {"不予公开": "withheld", "否决公开": "withheld", "复议": "review", "诉讼": "litigation",
                "主动公开": "proactive"}
_GROUP_HEAD_RE = re.compile("|".join(_GROUP_HEADS))


#: A year as printed (2013年), and a title in 《》 whose years date a document, not a figure.
YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
TITLE = re.compile(r"《[^》]*》")
_REPORT_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度")


class Text:
    """The document text with the positions every reader needs (clauses, sentences, headings)."""

    def __init__(self, text: str):
        self.text = text
        self.clause_ends = [m.start() for m in _CLAUSE_END_RE.finditer(text)]
        self.sentence_ends = [m.start() for m in _SENTENCE_END_RE.finditer(text)]
        self.full_stops = [m.start() for m in _FULL_STOP_RE.finditer(text)]
        self.headings = [m.end() for m in _BEFORE_HEADING.finditer(text)]
        if _HEADING_NUMBER.match(text):
            self.headings.insert(0, 0)
        self.heading_starts = frozenset(self.headings)
        self.heads = [(m.start(), _GROUP_HEADS[m.group()]) for m in _GROUP_HEAD_RE.finditer(text)]

    @staticmethod
    def _around(ends: list[int], pos: int, length: int) -> tuple[int, int]:
        i = bisect.bisect_left(ends, pos)
        start = ends[i - 1] + 1 if i > 0 else 0
        end = ends[i] if i < len(ends) else length
        return start, end

    def clause(self, pos: int) -> tuple[int, int]:
        return self._around(self.clause_ends, pos, len(self.text))

    def sentence(self, pos: int) -> tuple[int, int]:
        return self._around(self.sentence_ends, pos, len(self.text))

    def full_sentence(self, pos: int) -> tuple[int, int]:
        """The sentence around `pos` up to 。, across semicolons (the object of 办结 may be before one)."""
        return self._around(self.full_stops, pos, len(self.text))

    def context(self, pos: int) -> str:
        """What a phrase at `pos` may take its object from: its section heading and its sentence so far."""
        return self.heading(pos) + "\n" + self.text[self.full_sentence(pos)[0]:pos]

    def heading(self, pos: int) -> str:
        """The heading line of the section `pos` is in (up to 60 characters), or ""."""
        i = bisect.bisect_right(self.headings, pos)
        if i == 0:
            return ""
        h = self.headings[i - 1]
        return re.split(r"[。\n]", self.text[h:min(pos, h + 60)], maxsplit=1)[0]

    def group(self, pos: int) -> str:
        """The breakdown `pos` sits in: the last group word since the last heading."""
        i = bisect.bisect_right(self.headings, pos)
        block_start = self.headings[i - 1] if i > 0 else 0
        j = bisect.bisect_left(self.heads, (pos, ""))
        if j > 0 and self.heads[j - 1][0] >= block_start:
            return self.heads[j - 1][1]
        return ""

    def trimmed(self, start: int, end: int) -> tuple[int, int]:
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return start, end

    def main_year(self) -> int | None:
        """The year the text is about: the year it names most often with 年度, else at all (None on a tie).

        Only used to reject a figure whose sentence names other years alone, so a tie reads nothing
        into the text rather than guess.
        """
        text = TITLE.sub("", self.text)
        # 2013年度 names the report's year; 2008年5月1日 is the day the 条例 took effect, named in
        # reports of every year.
        counts = Counter(int(y) for y in _REPORT_YEAR.findall(text)) or Counter(
            int(m[1]) for m in YEAR.finditer(text) if not text.startswith("5月1日", m.end()))
        top = counts.most_common(2)
        if not top or (len(top) == 2 and top[0][1] == top[1][1]):
            return None
        return top[0][0]

    def cut_off(self, end: int) -> bool:
        """Whether a count ending at `end` is the last thing on a page the crawl may have cut: its
        unit may be the first character of a longer one (人 of 人次), its digits complete or not."""
        return end >= len(self.text.rstrip())


@dataclass(slots=True)
class Reading:
    """A figure read from the prose, before scope and consolidation.

    Attributes:
        match: what the figure measures.
        value: the figure.
        label: offsets of the phrase and count as printed.
        evidence: offsets of the clause it was read from.
        quantity: index of the count among the document's counts (None for a statement of absence).
    """

    match: Match
    value: float
    label: tuple[int, int]
    evidence: tuple[int, int]
    quantity: int | None = None
