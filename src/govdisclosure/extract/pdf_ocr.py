"""OCR of scanned PDF pages, behind the optional `ocr` extra (`pip install govdisclosure[ocr]`).

The engine is RapidOCR (PaddleOCR's detection and recognition models in ONNX form), chosen
because its wheel ships the models: it runs offline, with nothing fetched at run time, and needs
no GPU. It is optional because it is large (onnxruntime and OpenCV, over 100 MB) and slow (seconds
a page, against milliseconds for a text layer), and because its figures are less sure than a text
layer's: every figure of a document with OCR'd pages is marked `method=ocr`.

A page is rendered at 200 dpi (the resolution at which the engine reads table figures of a
10-point font reliably; see docs/robustness.md for the measured accuracy), and the engine's text
boxes are set into lines: boxes whose vertical centres fall within a line's band are one line,
left to right, joined by a space as separate words are in the text layer. Table rules are not
recovered, so a scanned table arrives as lines of text and is read as a flattened table.
"""

from __future__ import annotations

import functools
import importlib.util

DPI = 200


def available() -> bool:
    """Whether the OCR engine is installed."""
    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


@functools.cache
def _engine():
    from rapidocr_onnxruntime import RapidOCR

    # One thread per engine: a corpus run puts one document on each core, and onnxruntime's
    # own threads would only compete with the other workers (and spin, costing CPU time).
    return RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)


def boxes(page, dpi: int = DPI) -> list[tuple[float, float, float, float, str]]:
    """The engine's text boxes on a pdfium page as (x0, top, x1, bottom, text), in points."""
    scale = dpi / 72
    image = page.render(scale=scale).to_numpy()
    found, _ = _engine()(image, use_cls=False)  # scans of reports are upright: no rotation check
    out = []
    for corners, text, _score in found or []:
        xs, ys = [p[0] / scale for p in corners], [p[1] / scale for p in corners]
        out.append((min(xs), min(ys), max(xs), max(ys), text))
    return out


def read_page(page) -> list[tuple[float, str, bool]]:
    """The page's text lines as (top, text, wrapped), top to bottom."""
    lines: list[list[tuple[float, float, float, float, str]]] = []
    for box in sorted(boxes(page), key=lambda b: (b[1] + b[3]) / 2):
        middle = (box[1] + box[3]) / 2
        if lines and lines[-1][0][1] <= middle <= lines[-1][0][3]:
            lines[-1].append(box)
        else:
            lines.append([box])
    return [(min(b[1] for b in line), " ".join(b[4] for b in sorted(line)), False) for line in lines]
