"""What a file's bytes really are, whatever the file is called.

Scraped corpora hold PDFs named .html, Word 97 files named .docx and HTML pages saved as .txt;
the readers ask here before they trust a suffix.
"""

from __future__ import annotations

import re

# Leading bytes of the formats that turn up under a wrong name in scraped corpora.
_MAGIC = ((b"%PDF-", "pdf", "a PDF"),
          (b"PK\x03\x04", "zip", "a ZIP archive"),
          (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole", "an old Word or Excel 97-2003 file (.doc or .xls)"),
          (b"{\\rtf", "rtf", "an RTF document"),
          (b"\x89PNG", "image", "a PNG image"), (b"\xff\xd8\xff", "image", "a JPEG image"),
          (b"GIF8", "image", "a GIF image"), (b"Rar!", "archive", "a RAR archive"),
          (b"7z\xbc\xaf", "archive", "a 7-Zip archive"), (b"\x1f\x8b", "archive", "a gzip archive"))
_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)


def sniff(data: bytes) -> tuple[str, str]:
    """What the bytes really are, whatever the file is called.

    Returns:
        A short kind (pdf, docx, zip, ole, rtf, image, archive, html, or text for anything else)
        and a description for messages ("an HTML page (title: 404 Not Found)").
    """
    head = data[:1024]
    if b"%PDF-" in head:  # the PDF standard allows junk before the header
        return "pdf", "a PDF"
    for magic, kind, words in _MAGIC:
        if head.startswith(magic):
            if kind == "zip" and b"word/" in data:
                return "docx", "a Word .docx document"
            return kind, words
    if _HTML.search(head):
        from govdisclosure.extract.text import decode

        title = _TITLE.search(data[:8192])
        label = " ".join(decode(title.group(1))[0].split())[:80] if title else ""
        return "html", f"an HTML page (title: {label})" if label else "an HTML page"
    return "text", "plain text or data of an unknown kind"
