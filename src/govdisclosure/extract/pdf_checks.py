"""PDF pages that cannot be read as they are: fonts without a Unicode map, and scanned images.

A wrong number is worse than a missing one, so a page whose characters cannot be decoded is left
out whole, with an error naming the file and the page: its digits are as undecodable as its
words, and a garbled page would still yield figures. pdfium maps many fonts that lack a ToUnicode
table itself (predefined CJK CMaps such as GBK-EUC-H, a TrueType font's own cmap); what it cannot
map it marks, and that is what is counted here, together with private-use and replacement
characters and pdfminer-style `(cid:N)` runs copied into text layers by earlier conversions.

A page with images and no text is a scan. It is reported (a warning and the problem `scanned`)
and, when the optional OCR engine is installed (`pip install govdisclosure[ocr]`), read by it:
such pages yield text lines only, and every figure of the document is marked `method=ocr`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pypdfium2.raw as pdfium_c

from govdisclosure.document import Finding
from govdisclosure.extract.base import RawDocument, UnreadableDocument

#: Share of a page's characters that may be undecodable before the page is left out: a few
#: private-use bullets (Wingdings in Word exports) are normal, a garbled page is mostly garbage.
UNDECODABLE_SHARE = 0.1
_CID = re.compile(r"\(cid:\d+\)")


@dataclass
class PageVerdict:
    """What one page is: `text` (read normally), `undecodable`, `scanned`, `ocr` or `blank`.

    `lines` holds (top, text, wrapped) for a page not read from its text layer (empty for an
    undecodable or unread scanned page), None for a page read normally.
    """

    number: int
    kind: str
    lines: list[tuple[float, str, bool]] | None = None
    bad: int = 0
    total: int = 0
    notes: list[str] = field(default_factory=list)


def judge(page, number: int, chars: list) -> PageVerdict:
    """Decide whether a page's text layer can be used (chars: `pdf_layout.Char`s of the page)."""
    visible = [ch for ch in chars if not ch.text.isspace()]
    if not visible:
        if not _has_image(page):
            return PageVerdict(number, "blank")
        from govdisclosure.extract import pdf_ocr

        if not pdf_ocr.available():
            return PageVerdict(number, "scanned", [])
        return PageVerdict(number, "ocr", pdf_ocr.read_page(page))
    bad = sum(1 for ch in visible if ch.bad or ch.text == "\ufffd" or "\ue000" <= ch.text <= "\uf8ff" or ch.text < " ")
    if "(" in (text := "".join(ch.text for ch in visible)):
        bad += sum(map(len, _CID.findall(text)))
    if bad > UNDECODABLE_SHARE * len(visible):
        return PageVerdict(number, "undecodable", [], bad, len(visible))
    return PageVerdict(number, "text", None, bad, len(visible))


def _has_image(page) -> bool:
    raw = page.raw
    return any(_contains_image(pdfium_c.FPDFPage_GetObject(raw, i))
               for i in range(pdfium_c.FPDFPage_CountObjects(raw)))


def _contains_image(obj) -> bool:
    kind = pdfium_c.FPDFPageObj_GetType(obj)
    if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
        return True
    if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
        return any(_contains_image(pdfium_c.FPDFFormObj_GetObject(obj, j))
                   for j in range(pdfium_c.FPDFFormObj_CountObjects(obj)))
    return False


def _pages(numbers: list[int]) -> str:
    return ("page " if len(numbers) == 1 else "pages ") + ", ".join(map(str, numbers))


def report(verdicts: list[PageVerdict], name: str, doc: RawDocument) -> None:
    """Turn the page verdicts into problems and findings on `doc`.

    Raises:
        UnreadableDocument: no page could be read, and some could not be for the reasons above.
    """
    undecodable = [v for v in verdicts if v.kind == "undecodable"]
    scanned = [v.number for v in verdicts if v.kind == "scanned"]
    ocr = [v.number for v in verdicts if v.kind == "ocr"]
    readable = any(v.kind in ("text", "ocr") for v in verdicts)
    if undecodable:
        where = _pages([v.number for v in undecodable])
        share = sum(v.bad for v in undecodable) / sum(v.total for v in undecodable)
        message = (f"{name}: {where} cannot be decoded: the font has no Unicode map "
                   f"({share:.0%} of the characters have no Unicode value), so the text was left out")
        if not readable:
            raise UnreadableDocument(message, problems=("undecodable_font",))
        doc.problems.append("undecodable_font")
        doc.findings.append(Finding("undecodable_font", "error", message))
    if scanned:
        message = (f"{name}: {_pages(scanned)} {'is a scanned image' if len(scanned) == 1 else 'are scanned images'} "
                   f"without a text layer and {'was' if len(scanned) == 1 else 'were'} not read "
                   f"(install govdisclosure[ocr] to read scanned pages)")
        if not readable:
            raise UnreadableDocument(f"{name} is a scanned document without a text layer and cannot be "
                                     f"read without OCR (install govdisclosure[ocr])", problems=("scanned",))
        doc.problems.append("scanned")
        doc.findings.append(Finding("scanned_page", "warning", message))
    if ocr:
        doc.problems.extend(["scanned", "ocr"])
        doc.findings.append(Finding("ocr_page", "warning", f"{name}: {_pages(ocr)} "
                                    f"{'is a scanned image' if len(ocr) == 1 else 'are scanned images'}, "
                                    f"read by OCR; its figures are marked method=ocr"))
