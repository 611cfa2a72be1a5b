"""How far a PDF's compressed streams inflate, counted before pdfium is given the file.

A page's content stream is FlateDecode data, and zlib packs a gigabyte of zeros into a megabyte:
a 1 MB PDF within every size limit makes pdfium hold the whole inflated stream (2 GB of memory
and seconds of parsing for one page). The size a stream declares (/Length, /DL) says nothing
about what it inflates to, so the bytes are counted as they are produced: each FlateDecode
stream is inflated here in bounded steps (a megabyte of output at a time, then discarded) and
the count stops as soon as the document's total passes the limit. The check costs at most the
limit in time and a megabyte in memory, and a few milliseconds on a normal report.

The file is scanned for `stream` keywords rather than parsed through its cross-reference table,
because a damaged or hostile table is exactly what cannot be trusted: every stream sits at the top
level of the file (object streams hold no streams), and its dictionary is the text just before
the keyword. The end of a stream is where its zlib data ends, so an indirect or false /Length
does not matter. A dictionary that cannot be read is counted rather than skipped: whatever looks
like zlib data after `stream` is inflated. A filter chain that starts with ASCIIHex or ASCII85
is undone first. Image XObjects are not counted: pdfium decodes an image only to render it, and
then to no more than its declared width and height; the text and ruling lines read here never
render (pdfium reads the text of a page holding a 1 GiB FlateDecode image at 21 MB), and counting
images would make every scanned report pay for inflating its pictures. The price is that a
content stream whose dictionary claims /Subtype /Image is not counted either.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib

from govdisclosure.limits import LimitExceeded

_STREAM = re.compile(rb">>\s*stream(?:\r\n|\n|\r)?")
_DICT_WINDOW = 4096  # bytes searched back for the stream's "N 0 obj"; dictionaries are short
_IN_STEP = 1 << 13  # small: zlib copies what is left of each step once the stream ends
_OUT_STEP = 1 << 20
_FILTERS = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_NAME = re.compile(rb"/([A-Za-z0-9]+)")
_FLATE = {b"FlateDecode", b"Fl"}
_ASCII = {b"ASCIIHexDecode": b">", b"AHx": b">", b"ASCII85Decode": b"~>", b"A85": b"~>"}  # end markers
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")


def check(data: bytes, name: str, limit: int | None) -> None:
    """Raise `LimitExceeded` if the PDF's FlateDecode streams inflate past `limit` bytes in all.

    Args:
        data: the file's bytes.
        name: how the message names the file.
        limit: inflated bytes allowed per document (`Limits.max_pdf_inflated_bytes`); None or 0:
            no check.

    Raises:
        LimitExceeded: the streams inflate to more than `limit` bytes; counting stops there.
    """
    if not limit:
        return
    total = 0
    for match in _STREAM.finditer(data):
        head = data[max(0, match.start() - _DICT_WINDOW):match.start() + 2]
        head = head[head.rfind(b"obj") + 1:]  # this object's dictionary, not the one before it
        if _IMAGE.search(head):
            continue
        total += _inflated_size(data, match.end(), _filters(head), limit - total)
        if total > limit:
            raise LimitExceeded(f"{name} has compressed streams that inflate to more than "
                                f"{limit:,} bytes, over the limit per PDF (a decompression bomb?)")


def _filters(head: bytes) -> list[bytes]:
    """The stream's filter names in order; FlateDecode alone when the dictionary cannot be read."""
    found = _FILTERS.search(head)
    if found is None:
        return [b"FlateDecode"]  # no readable /Filter: count the stream if it is zlib data
    return _NAME.findall(found.group(1))


def _inflated_size(data: bytes, start: int, filters: list[bytes], budget: int) -> int:
    """Bytes the stream at `start` inflates to, counted up to just past `budget`."""
    names = list(filters)
    buffer, at = data, start
    while names and names[0] in _ASCII:
        marker = _ASCII[names.pop(0)]
        end = buffer.find(marker, at)
        buffer, at = _undo_ascii(buffer[at:len(buffer) if end < 0 else end], marker), 0
    if not names or names[0] not in _FLATE:
        return 0
    inflater = zlib.decompressobj()
    view = memoryview(buffer)
    produced = 0
    try:
        for step in range(at, len(view), _IN_STEP):
            pending: bytes | memoryview = view[step:step + _IN_STEP]
            while pending:
                produced += len(inflater.decompress(pending, _OUT_STEP))
                if produced > budget or inflater.eof:
                    return produced
                pending = inflater.unconsumed_tail
    except zlib.error:
        pass  # damaged or not zlib data: pdfium stops there too, so what came out is what counts
    return produced


def _undo_ascii(encoded: bytes, marker: bytes) -> bytes:
    """The bytes under an ASCIIHex (`marker` ">") or ASCII85 layer; empty when it is damaged."""
    try:
        if marker == b"~>":
            return base64.a85decode(encoded, ignorechars=b" \t\r\n\x00\x0c")
        digits = re.sub(rb"[^0-9A-Fa-f]", b"", encoded)
        return binascii.unhexlify(digits + b"0" * (len(digits) % 2))
    except ValueError:
        return b""
