"""Benchmark the evidence viewer: site build time for N reports, and how fast a big page opens.

The bundled corpus is extracted once, its tables are replicated under new doc_ids up to N reports
(the PDF's copies are located and rendered again each time, as distinct PDFs would be), and
`govdisclosure.view.build_site` is timed in this one process, pinned to one core. With Chromium installed,
the page of a report of 400+ figures (two bundled reports joined) is then opened several times and
the browser's load time reported, and ``--screenshots DIR`` saves a narrative, a 2021-format and
the PDF report page as PNG.

    .venv/bin/python benchmarks/bench_view.py --reports 1000 [--processed data/processed] [--screenshots DIR]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from govdisclosure import load
from govdisclosure.view import build_site

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "view")]  # the CDP client of the browser tests

from chromium_cdp import Chromium, find_chromium
from viewer_cases import COMBINED, HONGZE, SHANGHAI, combined_tables, doc_id_of


def replicate(tables: dict[str, pd.DataFrame], n: int) -> dict[str, pd.DataFrame]:
    """`n` reports: copies of the corpus' reports under new doc_ids, with their rows in every table."""
    copies = math.ceil(n / len(tables["reports"]))
    out = {}
    for name, frame in tables.items():
        parts = [frame.assign(doc_id=frame.doc_id.astype(str) + f"{k:05d}") for k in range(copies)]
        out[name] = pd.concat(parts, ignore_index=True)
    keep = set(out["reports"].doc_id[:n])
    return {name: frame[frame.doc_id.isin(keep)].reset_index(drop=True) for name, frame in out.items()}


def page_open_ms(browser: Chromium, url: str, rounds: int = 5) -> list[float]:
    times = []
    for _ in range(rounds):
        browser.open(url)
        times.append(browser.eval("performance.getEntriesByType('navigation')[0].loadEventEnd"))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--processed", type=Path, help="extracted tables (default: extract data/raw now)")
    parser.add_argument("--screenshots", type=Path, help="save three report pages as PNG here")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-view-"))
    processed = args.processed
    if processed is None:
        processed = work / "processed"
        subprocess.run([sys.executable, "-m", "govdisclosure.cli", "extract", str(ROOT / "data" / "raw"),
                        "--out", str(processed), "--workers", "1", "--no-progress"], check=True)
    tables = load.read_tables(processed)
    many = replicate(tables, args.reports)
    cores = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cores)})  # the build on one core; the browser below gets them all back
    started, cpu = time.perf_counter(), time.process_time()
    stats = build_site(many, work / "site")
    os.sched_setaffinity(0, cores)
    # CPU time is what the build costs one core; wall time also counts waiting on a busy machine.
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"build: {stats.reports} reports, {stats.facts} figures, {stats.pdf_pages} PDF pages rendered, "
          f"{stats.located}/{stats.pdf_facts} PDF figures located: {cpu:.1f} s CPU, {seconds:.1f} s wall "
          f"({1000 * cpu / stats.reports:.1f} ms CPU per report)")
    executable = find_chromium()
    if executable is None:
        print("no Chromium: page-open time not measured")
        return
    big = combined_tables(tables, doc_id_of(tables, SHANGHAI), doc_id_of(tables, HONGZE))
    build_site(big, work / "big")
    browser = Chromium(executable)
    try:
        times = page_open_ms(browser, (work / "big" / "r" / f"{COMBINED}.html").as_uri())
        print(f"page of {len(big['facts'])} figures: load event after {min(times):.0f} ms at best, "
              f"{statistics.median(times):.0f} ms median of {len(times)} (all {', '.join(f'{t:.0f}' for t in times)})")
        if args.screenshots:
            site = work / "shots"
            build_site(tables, site)
            args.screenshots.mkdir(parents=True, exist_ok=True)
            reports = tables["reports"]
            picks = {"narrative": reports[reports.template == "narrative"].sort_values("n_chars").doc_id.iloc[-1],
                     "2021": reports[(reports.template == "2021") & ~reports.source_path.str.endswith(".pdf")]
                     .sort_values("n_chars").doc_id.iloc[-1],
                     "pdf": doc_id_of(tables, HONGZE)}
            for name, doc_id in picks.items():
                browser.open((site / "r" / f"{doc_id}.html").as_uri())
                # click the first table cell (or figure) so the evidence and, for the PDF, the page region show
                browser.eval("""(() => { const c = document.querySelector('#left td.cell, #left tr.fig');
                  if (c) { c.scrollIntoView({block: 'center'}); c.click(); } })()""")
                time.sleep(0.5)
                browser.screenshot(args.screenshots / f"{name}.png")
            print(f"screenshots in {args.screenshots}")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
