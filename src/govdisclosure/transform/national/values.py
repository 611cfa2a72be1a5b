"""What one cell of a template table says, and the reading that carries it to a fact.

Grid readers (HTML/PDF/DOCX) and the flattened-text reader meet here: both turn cells into
`Reading` objects, and `govdisclosure.transform.template` turns readings into facts under rules
written once (blank means 0 only in a table that has figures, group totals are derived, identities
are checked). A reading is a fact-to-be whose value may still be *blank*: whether a blank is a zero
depends on the whole table, which the cell reader cannot see.

Cell text is read strictly. A template cell holds a number, a zero mark (blank, "-", "—", "/",
"无"), a signed change (+1036, -8, 增3, 减2) or an amount with its unit (251000元, 25.1万元);
anything else (a footnote, two numbers jammed together by a PDF) is unreadable and yields no
fact, because a misread figure is worse than a missing one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from govdisclosure.transform.national.flatsolve import ZERO_MARKS
from govdisclosure.whitespace import squeeze

#: Page furniture that PDF readers leave inside tables: "- 4 -", "第 4 页", "第4页 共9页".
PAGE_FOOTER = re.compile(r"(?m)^[ \t\u3000]*"
                         r"(?:[-—－–]\s*\d{1,3}\s*[-—－–]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?)"
                         r"[ \t\u3000]*$")
_NUMBER = re.compile(r"(?P<sign>[+-]|增加|新增|增|减少|减)?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?"
                     r"(?P<unit>万元|元|件|个|项|条|次|人次|宗|起|家|份)?")
_NEGATIVE = {"-", "减", "减少"}
_UNITS = {"万元": "10k_yuan", "元": "yuan"}


@dataclass(frozen=True, slots=True)
class CellValue:
    """The meaning of one cell's text.

    Attributes:
        value: the number, 0 for a zero mark, None when blank or unreadable.
        blank: the cell is empty (0 only in a table that has figures).
        unit: ``yuan`` or ``10k_yuan`` when the cell prints a currency unit, else "".
    """

    value: float | None
    blank: bool = False
    unit: str = ""

    @property
    def readable(self) -> bool:
        return self.blank or self.value is not None


def parse_cell(text: str) -> CellValue:
    """Read one template-table cell.

    Args:
        text: the cell text as printed (page footers inside it are ignored).

    Returns:
        The cell's value; ``CellValue(None)`` (not blank) when the text is not a figure.
    """
    flat = squeeze(PAGE_FOOTER.sub("", text))
    if not flat:
        return CellValue(None, blank=True)
    if all(ch in ZERO_MARKS for ch in flat):
        return CellValue(0)
    m = _NUMBER.fullmatch(flat)
    if not m:
        return CellValue(None)
    value = float(m["int"].replace(",", "") + (m["frac"] or ""))
    if m["sign"] in _NEGATIVE:
        value = -value
    return CellValue(value, unit=_UNITS.get(m["unit"] or "", ""))


def unit_in(text: str) -> str:
    """The currency unit a header or cell names (``（单位：万元）`` -> 10k_yuan), or ""."""
    flat = squeeze(text)
    return "10k_yuan" if "万元" in flat else "yuan" if "元" in flat else ""


@dataclass(frozen=True, slots=True)
class Reading:
    """One cell of a template table, on its way to becoming a fact.

    Attributes:
        measure: the measure code.
        breakdown: applicant code for the request table, "" otherwise.
        value: the number, or None for a blank cell.
        unit: the currency unit printed in the cell or its header, "" when none.
        label: row (and column) label as printed, whitespace removed.
        evidence: the exact text the value was read from.
        start: offset of `evidence` in the document text.
        end: end offset of `evidence`.
        role: for request rows, the row's role in ``template_request_rows.csv``; else "".
    """

    measure: str
    breakdown: str
    value: float | None
    unit: str
    label: str
    evidence: str
    start: int
    end: int
    role: str = ""
