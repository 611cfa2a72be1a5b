"""What looking for tables saved as text rows costs, per text document, against reading the whole document.

The detector (`govdisclosure.extract.text_tables.find_tables`) runs on every line of every text
and HTML page, so its cost is measured alone: the lines of each text file of a corpus are read
once, then `find_tables` runs over them, and the time is set against the full per-document work
(`pipeline.process_file`) on the same files. CPU time of this process is reported (wall time on
a shared machine measures the neighbours too).

Usage: python benchmarks/bench_text_tables.py CORPUS_DIR [--limit N]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from govdisclosure.extract.text import decode
from govdisclosure.extract.text_tables import find_tables
from govdisclosure.pipeline import process_file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int, default=2000, help="text files to measure (default 2000)")
    args = parser.parse_args()
    files = sorted(p for p in args.corpus.rglob("*.txt"))[:args.limit]
    pages = []
    for path in files:
        text = decode(path.read_bytes())[0].replace("\r\n", "\n").replace("\r", "\n")
        pages.append((text.split("\n"), not text.endswith("\n")))
    start = time.process_time()
    tables = sum(sum(1 for b in find_tables(lines, cut=cut) if not isinstance(b, str)) for lines, cut in pages)
    detect = time.process_time() - start
    start = time.process_time()
    for path in files:
        process_file(path)
    whole = time.process_time() - start
    print(json.dumps({"files": len(files), "lines": sum(len(lines) for lines, _cut in pages),
                      "tables_found": tables, "find_tables_ms_per_doc": round(1000 * detect / len(files), 3),
                      "process_file_ms_per_doc": round(1000 * whole / len(files), 3),
                      "share_of_document_time": round(detect / whole, 4)}))


if __name__ == "__main__":
    main()
