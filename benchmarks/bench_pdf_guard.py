"""What the decompression-bomb check (`extract.pdf_guard`) adds to reading a normal PDF.

The check inflates every FlateDecode stream that is not an image before pdfium opens the file, so
its cost grows with what the streams inflate to. Each PDF is checked and read alternately in this
one process (so that other load on a shared machine hits both alike), and the median CPU time of
each is printed with the inflated size and the check's share of the read.

Usage:
    python benchmarks/bench_pdf_guard.py                 # bundled PDF + tests/fixtures/pdf/*.pdf
    python benchmarks/bench_pdf_guard.py --repeat 20 a.pdf b.pdf
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from govdisclosure.extract import pdf, pdf_guard
from govdisclosure.extract.base import UnreadableDocument

ROOT = Path(__file__).resolve().parents[1]
NO_LIMIT = 1 << 62


def _inflated(data: bytes) -> int:
    """Total bytes counted by the check, found by lowering the limit until it trips."""
    low, high = 0, 1 << 40
    while low < high:
        mid = (low + high) // 2
        try:
            pdf_guard.check(data, "", mid or 1)
            high = mid
        except pdf_guard.LimitExceeded:
            low = mid + 1
    return low


def _cpu(call, *args) -> float:
    start = time.process_time()
    try:
        call(*args)
    except UnreadableDocument:
        pass  # a fixture of an unreadable PDF is still timed
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    paths = args.pdfs or [*sorted((ROOT / "data" / "raw").glob("*.pdf")),
                          *sorted((ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf"))]
    print(f"{'file':<48} {'MB':>5} {'inflated MB':>11} {'check ms':>9} {'read ms':>8} {'share':>6}")
    for path in paths:
        data = path.read_bytes()
        checks, reads = [], []
        for _ in range(args.repeat):
            checks.append(_cpu(pdf_guard.check, data, path.name, NO_LIMIT))
            reads.append(_cpu(pdf.read, data, path.name, None, None))
        check, read = statistics.median(checks), statistics.median(reads)
        print(f"{path.name:<48} {len(data) / 1e6:5.1f} {_inflated(data) / 1e6:11.1f} {check * 1e3:9.1f} "
              f"{read * 1e3:8.1f} {check / read:6.1%}")


if __name__ == "__main__":
    main()
