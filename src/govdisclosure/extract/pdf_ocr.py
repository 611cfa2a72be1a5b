"""OCR of scanned PDF pages, behind the optional `ocr` extra (`pip install govdisclosure[ocr]`).

Not yet wired to an engine: every scanned page is reported as unread.
"""

from __future__ import annotations


def available() -> bool:
    """Whether an OCR engine is installed."""
    return False


def read_page(page) -> list[tuple[float, str, bool]]:
    """The page's text lines as (top, text, wrapped)."""
    raise NotImplementedError
