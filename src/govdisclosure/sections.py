"""Sections: the report cut into its parts by heading, for text analysis and section checks.

Headings vary in wording across eras and agencies (二、主动公开政府信息情况 / （一）主动公开政府信息
的数量 / 三、政府信息依申请公开工作情况 …), so a heading is recognised by its numbering (一、 to
十、 at the start of a line or after a sentence end in flattened text) and classified by key words
(`data/section_keywords.csv`), first match wins. Text before the first heading is the overview.
A 2019/2021-format report must have its three table sections with content; a missing or empty one
becomes a `section_missing` / `section_empty` warning — that is how a copy whose tables were
stripped (a heading followed by nothing) is told apart from a report that had nothing to say.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from govdisclosure.document import Document, Finding

# A top-level heading: 一、… at a line start, or anywhere in flattened text (the monotonic numbering
# rule below keeps stray matches out). A sub-heading: （一）… / (一)…. Where the heading ends is
# decided by `_heading_end`, because flattened text often has no break between heading and body.
_HEADING = re.compile(r"(?<![一二三四五六七八九十第])([一二三四五六七八九十]{1,2})\s*[、．]\s*")
_SUBHEADING = re.compile(r"[（(]([一二三四五六七八九十]{1,2})[）)]\s*")
_TERMINATOR = re.compile(r"[\n。；;：:！？]|\s|[（(][一二三四五六七八九十]|[一二三四五六七八九十][、．]|\d")
_ENDINGS = re.compile(r"情况|问题|措施|事项|统计表|方面|做法|概述")
_CONNECTOR = re.compile(r"及|和|与|、|暨")
_MAX_HEADING = 30
_SPECIFIC = ("proactive", "requests", "review_litigation", "problems")
REQUIRED_IN_FORMAT = ("proactive", "requests", "review_litigation")


@dataclass
class Section:
    section: str
    heading: str
    text: str
    span_start: int
    span_end: int


@cache
def _keywords() -> list[tuple[str, re.Pattern[str]]]:
    with resources.files("govdisclosure").joinpath("data/section_keywords.csv").open(encoding="utf-8") as fh:
        return [(row["section"], re.compile(row["pattern"])) for row in csv.DictReader(fh)]


def classify(heading: str) -> str | None:
    for section, pattern in _keywords():
        if pattern.search(heading):
            return section
    return None


def split(doc: Document, template: str) -> list[Section]:
    """Cut the text at top-level headings that classify as a known section."""
    text = doc.text
    cuts: list[tuple[int, int, str, str]] = []
    expected = 0
    for match in _HEADING.finditer(text):
        number = _numeral(match.group(1))
        title_end = _heading_end(text, match.end())
        kind = classify(text[match.end():title_end])
        # Top-level numbering only increases; a restart (一、 inside a section) is a sub-list.
        if kind is None or number <= expected:
            continue
        cuts.append((match.start(1), title_end, text[match.start(1):title_end].strip(), kind))
        expected = number
    # Narrative reports often put the parts of Art. 32 under one generic top-level heading, as
    # （一）主动公开… （二）依申请公开…: such sub-headings cut too, but only inside a generic section.
    generic = [(start, cuts[i + 1][0] if i + 1 < len(cuts) else len(text))
               for i, (start, _, _, kind) in enumerate(cuts) if kind in ("overview", "other")]
    if not cuts:
        generic = [(0, len(text))]
    if template in ("2019", "2021"):
        generic = []  # the national format's parts are its top-level headings
    for match in _SUBHEADING.finditer(text):
        title_end = _heading_end(text, match.end())
        kind = classify(text[match.end():title_end])
        if kind in _SPECIFIC and any(a < match.start() < b for a, b in generic):
            cuts.append((match.start(), title_end, text[match.start():title_end].strip(), kind))
    cuts.sort()
    parts: list[Section] = []
    if not cuts or cuts[0][0] > 0:
        end = cuts[0][0] if cuts else len(text)
        if text[:end].strip():
            parts.append(Section("overview", "", text[:end].strip(), 0, end))
    for i, (start, body_start, heading, kind) in enumerate(cuts):
        end = cuts[i + 1][0] if i + 1 < len(cuts) else len(text)
        parts.append(Section(kind, heading, text[body_start:end].strip(), start, end))
    return parts


def findings(doc: Document, parts: list[Section], template: str) -> list[Finding]:
    """What the document's shape tells a reader.

    A document classified as not an annual report gets an `info` finding (its row would otherwise
    say nothing about why it has no figures); a report in a national format gets a warning for each
    section the format requires but the document lacks or left empty.
    """
    if template == "none":
        return [Finding("not_a_report", "info", "classified as not an annual report (no report title or "
                                                "format found, e.g. news, a notice or a blank form): no figures are read")]
    if template not in ("2019", "2021"):
        return []
    out = []
    present = {p.section: p for p in parts}
    for required in REQUIRED_IN_FORMAT:
        part = present.get(required)
        if part is None:
            out.append(Finding("section_missing", "warning", f"the {template} format requires a '{required}' "
                                                             "section and none was found"))
        elif len(re.sub(r"\s", "", part.text)) < 10:
            out.append(Finding("section_empty", "warning",
                               f"section '{part.heading}' is empty: its table is missing from this copy"))
            doc.add_problem("tables_missing")
    return out


def _heading_end(text: str, start: int) -> int:
    """End of a heading, also where flattened text runs straight on into the body.

    A hard break (line end, 。, ：, the next numbered item) ends it. Before that, a heading word
    (情况, 问题, 措施 …) ends it, extended to a following heading word only across a connector
    (问题及改进情况, 问题和改进措施) — so 情况第二十条… and 事项无其他… are cut after the heading.
    """
    window = text[start:start + _MAX_HEADING]
    stop = _TERMINATOR.search(window, 2)
    limit = stop.start() if stop else len(window)
    endings = [m for m in _ENDINGS.finditer(window, 0, limit) if m.end() > 1]
    if not endings:
        return start + limit
    end = endings[0].end()
    for match in endings[1:]:
        if not _CONNECTOR.match(window, end) or match.start() - end > 6:
            break
        end = match.end()
    return start + end


def _numeral(text: str) -> int:
    digits = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
    if text.startswith("十"):
        return 10 + digits.get(text[1:], 0)
    if text.endswith("十"):
        return digits[text[0]] * 10
    return digits.get(text, 0)
