"""End-to-end throughput, memory and incremental cost of `govdisclosure extract` on synthetic corpora.

Each measurement runs the real command line in a fresh process, exactly as a user would, so
start-up, the walk, hashing, the workers, the spill and the final combine are all in the time.
Memory is sampled every 0.25 s over the whole process tree (the command, its pool or Dask workers)
and reported as the peak of the sum, which is what the machine must hold, and the peak of the
largest single process. CPU seconds (user + system of the tree) are reported too: on a shared
machine they show the cost of the work when the wall clock is disturbed by other load, and the
load average before and after each run is recorded for the same reason. With `--rounds N` the
configurations run N times in turn (serial, pool, serial, pool, …) and each run's speedup is
taken against the serial run of its own round: the virtual CPU's speed drifts by more within an
hour than between two neighbouring runs. Corpora are built once by
`make_corpus.py` under `benchmarks/out/` and reused while their `corpus.json` matches.

Usage:
    python benchmarks/bench_extract.py --sizes 1000,10000 --configs serial:1,pool:2,dask:2
    python benchmarks/bench_extract.py --sizes 10000 --configs serial:1,pool:2 --rounds 3
    python benchmarks/bench_extract.py --sizes 100000 --configs pool:2
    python benchmarks/bench_extract.py --pdfs 20 --configs serial:1,pool:2
    python benchmarks/bench_extract.py --sizes 10000 --incremental 100
    python benchmarks/bench_extract.py --profile 500
    python benchmarks/bench_extract.py --markdown benchmarks/out/bench-*.json
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from importlib import metadata
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_corpus  # a sibling script, not a package

OUT = Path(__file__).resolve().parent / "out"
SRC = Path(__file__).resolve().parents[1] / "src" / "govdisclosure"
CLI = "from govdisclosure.cli import app; app()"
ENV = dict(os.environ)  # the environment of every measured run; see snapshot()


def snapshot() -> str:
    """Freeze the package for this benchmark: every run imports a copy taken now.

    The working tree is shared with engineers who edit it while benchmarks run; without a copy,
    runs of one invocation would measure different code, and any edit between the runs of the
    incremental benchmark would change `EXTRACTOR_VERSION` and empty the cache.
    """
    folder = OUT / "src-snapshot"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(SRC, folder / "govdisclosure", ignore=shutil.ignore_patterns("__pycache__"))
    ENV["PYTHONPATH"] = str(folder)
    version = subprocess.run([sys.executable, "-c", "from govdisclosure.run import EXTRACTOR_VERSION; print(EXTRACTOR_VERSION)"],
                             env=ENV, capture_output=True, text=True, check=True).stdout.strip()
    return version


def machine() -> dict:
    """What the numbers were measured on."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {"cpu": cpu, "cores": len(os.sched_getaffinity(0)),
            "memory_gib": round(psutil.virtual_memory().total / 2 ** 30, 1),
            "python": platform.python_version(), "os": platform.platform(),
            "libraries": {name: metadata.version(name) for name in
                          ("govdisclosure", "pandas", "pyarrow", "dask", "distributed", "opencc", "jieba",
                           "pdfplumber")}}


def corpus(size: int, pdfs: int = 0) -> Path:
    """The synthetic corpus of `size` text/HTML documents and `pdfs` PDFs, built if missing."""
    folder = OUT / (f"corpus-{size}" if not pdfs else f"corpus-{size}-pdf{pdfs}")
    summary = folder / "corpus.json"
    if summary.exists():
        meta = json.loads(summary.read_text(encoding="utf-8"))
        if meta.get("documents") == size + pdfs and meta.get("pdf") == pdfs:
            return folder
    started = time.perf_counter()
    make_corpus.build(size, folder, pdfs=pdfs)
    print(f"built {folder} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return folder


class TreeMonitor(threading.Thread):
    """Samples the memory and CPU time of a process and all its descendants until it ends.

    Pool workers are forked from a server that has the package loaded, so they share much of their
    memory: the sum of RSS counts those pages once per process, the sum of PSS (each shared page
    divided among its sharers) is what the machine actually holds. Both are reported; PSS is
    sampled once a second, so its peak can be missed by up to a second.

    Pool workers are children of multiprocessing's fork server, not of the command, so the
    kernel's per-child accounting misses them: CPU time is summed from the samples instead (a
    process's last 0.25 s before it exits can be missed).
    """

    def __init__(self, pid: int, interval: float = 0.25):
        super().__init__(daemon=True)
        self.root, self.interval = psutil.Process(pid), interval
        self.peak_total = self.peak_single = self.peak_pss = 0
        self.cpu: dict[int, float] = {}
        self.done = threading.Event()

    def run(self) -> None:
        for tick in itertools.count():
            if self.done.is_set():
                return
            try:
                processes = [self.root, *self.root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            # PSS means parsing /proc/<pid>/smaps: once a second, so that the monitor itself
            # stays below 1% of a core (RSS and CPU times are cheap and read every sample).
            with_pss = tick % 4 == 0
            rss, pss = [], []
            for process in processes:
                try:
                    with process.oneshot():
                        rss.append(process.memory_info().rss)
                        times = process.cpu_times()
                    if with_pss:
                        pss.append(process.memory_full_info().pss)
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                self.cpu[process.pid] = times.user + times.system
            if rss:
                self.peak_total = max(self.peak_total, sum(rss))
                self.peak_single = max(self.peak_single, max(rss))
                self.peak_pss = max(self.peak_pss, sum(pss))
            self.done.wait(self.interval)


QUIET_LOAD = None  # set by --quiet-load: wait for the machine to calm down before each run
QUIET_MAX_WAIT = 600


def wait_for_quiet() -> None:
    """On a shared machine, wait (up to QUIET_MAX_WAIT s) until the 1-minute load average is below QUIET_LOAD."""
    deadline = time.monotonic() + QUIET_MAX_WAIT
    while QUIET_LOAD is not None and os.getloadavg()[0] > QUIET_LOAD and time.monotonic() < deadline:
        time.sleep(10)


def measure(folder: Path, engine: str, workers: int, extra: tuple[str, ...] = (), out: Path | None = None) -> dict:
    """Run `govdisclosure extract` once on `folder`; return wall time, CPU time, peak memory and the summary."""
    out = out or OUT / f"tables-{folder.name}-{engine}-{workers}"
    if out.exists() and "--incremental" not in extra:
        shutil.rmtree(out)
    command = [sys.executable, "-c", CLI, "extract", str(folder), "--out", str(out), "--engine", engine,
               "--workers", str(workers), "--no-progress", *extra]
    wait_for_quiet()
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=ENV)
    monitor = TreeMonitor(process.pid)
    monitor.start()
    _, stderr = process.communicate()
    wall = time.perf_counter() - started
    monitor.done.set()
    monitor.join()
    if process.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{stderr}")
    files = [p for p in folder.rglob("*") if p.suffix in (".txt", ".html", ".pdf")]
    size = sum(p.stat().st_size for p in files)
    cpu = sum(monitor.cpu.values())
    return {"corpus": folder.name, "documents": len(files), "megabytes": round(size / 1e6, 2), "engine": engine,
            "workers": workers, "options": list(extra), "seconds": round(wall, 2),
            "docs_per_s": round(len(files) / wall, 1), "docs_per_s_per_worker": round(len(files) / wall / workers, 1),
            "mb_per_s": round(size / 1e6 / wall, 3), "cpu_seconds": round(cpu, 1),
            "docs_per_cpu_s": round(len(files) / cpu, 1) if cpu else None,
            "peak_rss_mb": round(monitor.peak_total / 2 ** 20), "peak_pss_mb": round(monitor.peak_pss / 2 ** 20),
            "peak_rss_single_mb": round(monitor.peak_single / 2 ** 20),
            "load_before": round(load_before, 2), "load_after": round(os.getloadavg()[0], 2),
            "summary": stderr.strip().splitlines()[-1] if stderr.strip() else ""}


def pdf_pages(folder: Path) -> int:
    import pypdfium2

    total = 0
    for path in folder.rglob("*.pdf"):
        document = pypdfium2.PdfDocument(str(path))
        total += len(document)
        document.close()
    return total


def incremental(size: int, added: int, engine: str, workers: int) -> list[dict]:
    """A full incremental run of `size` documents, an unchanged rerun, then a rerun with `added` new ones."""
    folder = corpus(size)
    out = OUT / f"tables-{folder.name}-incremental"
    if out.exists():
        shutil.rmtree(out)
    extra = ("--incremental",)
    rows = [dict(measure(folder, engine, workers, extra, out), step="first run (fills the cache)")]
    rows.append(dict(measure(folder, engine, workers, extra, out), step="rerun, nothing changed"))
    addition = folder / "zz_added"
    make_corpus.build(added, addition, seed=size + added)
    (addition / "corpus.json").unlink()
    try:
        rows.append(dict(measure(folder, engine, workers, extra, out), step=f"rerun, {added} documents added"))
    finally:
        shutil.rmtree(addition)
    return rows


def profile(n: int) -> Path:
    """pyinstrument over `process_batch` on the first `n` documents of the 1k corpus, after warm-up."""
    from pyinstrument import Profiler

    from govdisclosure import pipeline
    from govdisclosure.run import worker

    files = pipeline.iter_input_files([corpus(1000)])[:n]
    items = [(str(path), path.read_bytes()) for path in files]
    worker.warm_up()
    profiler = Profiler(interval=0.0005)
    profiler.start()
    worker.process_batch(items)
    profiler.stop()
    target = OUT / f"profile-{n}.txt"
    target.write_text(profiler.output_text(unicode=False, color=False), encoding="utf-8")
    (OUT / f"profile-{n}.html").write_text(profiler.output_html(), encoding="utf-8")
    return target


COLUMNS = (("corpus", "corpus"), ("engine", "engine"), ("workers", "workers"), ("seconds", "wall s"),
           ("docs_per_s", "docs/s"), ("docs_per_s_per_worker", "docs/s/worker"), ("mb_per_s", "MB/s"),
           ("cpu_seconds", "CPU s"), ("docs_per_cpu_s", "docs/CPU-s"), ("peak_rss_mb", "peak RSS MB (sum)"),
           ("peak_pss_mb", "peak PSS MB (sum)"), ("peak_rss_single_mb", "largest process MB"),
           ("load_before", "load before"), ("load_after", "load after"), ("round", "round"),
           ("speedup", "speedup vs serial, same round"))


def markdown(paths: list[Path]) -> str:
    """The runs of result files as one Markdown table (extra columns for PDF and incremental runs)."""
    runs = [run for path in paths for run in json.loads(path.read_text(encoding="utf-8"))["runs"]]
    columns = [c for c in COLUMNS if any(c[0] in run for run in runs)]
    columns += [(key, key.replace("_", " ")) for key in ("step", "pages", "pages_per_s") if any(key in r for r in runs)]
    lines = ["| " + " | ".join(title for _, title in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(run.get(key, "")) for key, _ in columns) + " |" for run in runs]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="", help="comma-separated corpus sizes (text and HTML documents)")
    parser.add_argument("--configs", default="serial:1,pool:2,dask:2", help="engine:workers, comma-separated")
    parser.add_argument("--pdfs", type=int, default=0, help="also measure a corpus of this many PDFs")
    parser.add_argument("--rounds", type=int, default=1, help="run the configurations this many times in turn")
    parser.add_argument("--incremental", type=int, default=0, help="documents to add in the incremental run")
    parser.add_argument("--incremental-size", type=int, default=10000)
    parser.add_argument("--profile", type=int, default=0, help="profile process_batch on this many documents")
    parser.add_argument("--quiet-load", type=float, help="wait before each run until the load average is below this")
    parser.add_argument("--label", default=time.strftime("%Y%m%d-%H%M%S"))
    parser.add_argument("--markdown", type=Path, nargs="+", help="print these result files as a table and stop")
    args = parser.parse_args()
    if args.markdown:
        print(markdown(args.markdown))
        return
    global QUIET_LOAD
    QUIET_LOAD = args.quiet_load
    OUT.mkdir(parents=True, exist_ok=True)
    configs = [(engine, int(workers)) for engine, workers in (c.split(":") for c in args.configs.split(",") if c)]
    results: dict = {"machine": machine(), "extractor_version": snapshot(), "runs": []}
    for size in [int(s) for s in args.sizes.split(",") if s]:
        folder = corpus(size)
        for round_ in range(1, args.rounds + 1):
            serial = None
            for engine, workers in configs:
                row = measure(folder, engine, workers)
                if args.rounds > 1:
                    row["round"] = round_
                if engine == "serial":
                    serial = row["seconds"]
                elif serial:
                    row["speedup"] = round(serial / row["seconds"], 2)
                results["runs"].append(row)
                print(json.dumps(row, ensure_ascii=False), flush=True)
    if args.pdfs:
        folder = corpus(0, args.pdfs)
        pages = pdf_pages(folder)
        for engine, workers in configs:
            row = measure(folder, engine, workers)
            row.update(pages=pages, pages_per_s=round(pages / row["seconds"], 2))
            results["runs"].append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    if args.incremental:
        engine, workers = configs[0]
        for row in incremental(args.incremental_size, args.incremental, engine, workers):
            results["runs"].append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    if args.profile:
        print(f"profile written to {profile(args.profile)}", flush=True)
    target = OUT / f"bench-{args.label}.json"
    target.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"results in {target}", file=sys.stderr)


if __name__ == "__main__":
    main()
