"""How well the optional OCR engine reads report pages, measured against the pages' text layer.

Pages of PDFs that have a text layer are rendered to images (as a scanner would produce them),
read by the OCR engine of `govdisclosure.extract.pdf_ocr`, and compared with what the text layer
says, page by page:

- character accuracy: 1 − (edit distance / length) between the page's text lines from the text
  layer and from OCR, both NFKC-normalised and without blanks;
- figure precision: of the numbers OCR reads in a text box, the share that the text layer has
  in the same place (the characters whose centres fall inside the box); figure recall: of the
  numbers of the text layer, the share that OCR read in their place.

Also reported: CPU seconds per page for OCR (one engine thread). Needs `pip install govdisclosure[ocr]`.

Usage:
    python benchmarks/eval_ocr.py                       # the bundled PDF, every page
    python benchmarks/eval_ocr.py --dpi 150 a.pdf b.pdf
"""

from __future__ import annotations

import argparse
import re
import time
import unicodedata
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium

from govdisclosure.extract import pdf_ocr
from govdisclosure.extract.pdf_layout import page_chars, text_lines

ROOT = Path(__file__).resolve().parents[1]
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def evaluate_page(page, dpi: int) -> dict:
    chars = page_chars(page.get_textpage(), page.get_mediabox()[3])
    reference = _norm("".join(line.text for line in text_lines(chars)))
    start = time.process_time()
    boxes = pdf_ocr.boxes(page, dpi)
    seconds = time.process_time() - start
    read = _norm("".join(text for *_, text in sorted(boxes, key=lambda b: (round(b[1] / 5), b[0]))))
    right = found = 0
    covered: Counter = Counter()
    for x0, top, x1, bottom, text in boxes:
        inside = sorted((ch for ch in chars if x0 - 2 <= ch.cx <= x1 + 2 and top - 2 <= ch.cy <= bottom + 2),
                        key=lambda ch: ch.x0)
        truth = Counter(NUMBER.findall(_norm("".join(ch.text for ch in inside))))
        got = Counter(NUMBER.findall(_norm(text)))
        right += sum((got & truth).values())
        found += sum(got.values())
        covered += got & truth
    # the text layer's figures, word by word (cells of a table row are separate words)
    numbers = Counter(n for line in text_lines(chars) for word in line.text.split()
                      for n in NUMBER.findall(unicodedata.normalize("NFKC", word)))
    return {"chars": len(reference), "distance": edit_distance(reference, read), "figures_read": found,
            "figures_right": right, "figures_in_text_layer": sum(numbers.values()),
            "figures_recalled": sum((covered & numbers).values()), "cpu_s": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=[ROOT / "data" / "raw" / "hongze_district_2023.pdf"])
    parser.add_argument("--dpi", type=int, default=pdf_ocr.DPI)
    args = parser.parse_args()
    total: Counter = Counter()
    print("| file | page | chars | char accuracy | figures read | figure precision | figure recall | CPU s |")
    print("|---|---|---|---|---|---|---|---|")
    for path in args.files:
        pdf = pdfium.PdfDocument(path)
        for index in range(len(pdf)):
            row = evaluate_page(pdf[index], args.dpi)
            total.update(row)
            print(f"| {path.name} | {index + 1} | {row['chars']} | {1 - row['distance'] / max(row['chars'], 1):.3f} "
                  f"| {row['figures_read']} | {row['figures_right'] / max(row['figures_read'], 1):.3f} "
                  f"| {row['figures_recalled'] / max(row['figures_in_text_layer'], 1):.3f} | {row['cpu_s']:.1f} |")
    print(f"| all | | {total['chars']} | {1 - total['distance'] / max(total['chars'], 1):.3f} | {total['figures_read']} "
          f"| {total['figures_right'] / max(total['figures_read'], 1):.3f} "
          f"| {total['figures_recalled'] / max(total['figures_in_text_layer'], 1):.3f} | {total['cpu_s']:.1f} |")


if __name__ == "__main__":
    main()
