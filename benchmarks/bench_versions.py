"""Two versions of the code against each other on one corpus: the CPU ratio of a serial run.

A budget such as "within 10% of the throughput before this change" cannot be checked with one
run of each version on a shared virtual machine: consecutive runs of the same code differed by up
to 15% here, and the two processors differed from each other by 5–10%. This script therefore
runs the two versions *at the same time*, each serial (`--workers 1`) and pinned to its own
processor, so that whatever slows the machine slows both, and swaps the processors every round,
so that the processor's own speed cancels out of the geometric mean of the rounds' ratios.

Each version is a git revision exported with `git archive` into a temporary directory and run
from there (`PYTHONPATH=<dir>/src`) with this environment's interpreter; the commands are the
real command line, so start-up, the walk, hashing, the combine and the writing are all in the
time. CPU seconds (user + system) of each child come from the kernel (`os.wait4`). After the
runs the outputs of the two versions are compared byte for byte, since a speed-up that changes a
figure is not a speed-up.

Usage:
    python benchmarks/bench_versions.py BASE_REV NEW_REV --corpus benchmarks/out/corpus-10000 --rounds 2
"""

from __future__ import annotations

import argparse
import io
import math
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def export(revision: str, into: Path) -> Path:
    """The source tree of `revision`, unpacked under `into`."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "src"], check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def start(src: Path, corpus: Path, out: Path, cpu: int) -> subprocess.Popen:
    """The serial command line of one version on `corpus`, pinned to processor `cpu`."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    process = subprocess.Popen([sys.executable, "-m", "govdisclosure.cli", "extract", str(corpus), "--out", str(out),
                                "--workers", "1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.sched_setaffinity(process.pid, {cpu})  # at once: the interpreter is still starting
    return process


def wait_all(processes: dict[str, subprocess.Popen]) -> dict[str, float]:
    """CPU seconds (user + system) of each finished child, by name."""
    pids = {p.pid: name for name, p in processes.items()}
    seconds: dict[str, float] = {}
    while len(seconds) < len(pids):
        pid, status, usage = os.wait4(-1, 0)
        if pid in pids:
            if os.waitstatus_to_exitcode(status) != 0:
                sys.exit(f"{pids[pid]} failed with status {status}")
            seconds[pids[pid]] = usage.ru_utime + usage.ru_stime
    return seconds


def same_outputs(a: Path, b: Path) -> list[str]:
    """Names of the output tables whose files differ between the two runs."""
    return [f.name for f in sorted(a.glob("*.parquet")) if f.read_bytes() != (b / f.name).read_bytes()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="git revision of the baseline")
    parser.add_argument("new", help="git revision to compare with it")
    parser.add_argument("--corpus", type=Path, required=True, help="folder of reports (benchmarks/make_corpus.py)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds; the processors swap every round")
    args = parser.parse_args()
    if len(os.sched_getaffinity(0)) < 2:
        sys.exit("two processors are needed: the versions run side by side")
    cpus = sorted(os.sched_getaffinity(0))[:2]
    with tempfile.TemporaryDirectory(prefix="bench-versions-") as tmp:
        work = Path(tmp)
        sources = {"base": export(args.base, work / "base"), "new": export(args.new, work / "new")}
        ratios = []
        for round_ in range(args.rounds):
            placement = dict(zip(("base", "new"), cpus if round_ % 2 == 0 else cpus[::-1]))
            began = time.monotonic()
            # A fresh output folder every run: an earlier run's incremental cache would skip the work.
            outs = {name: work / f"out-{name}-{round_}" for name in ("base", "new")}
            processes = {name: start(sources[name], args.corpus, outs[name], placement[name])
                         for name in ("base", "new")}
            seconds = wait_all(processes)
            ratio = seconds["new"] / seconds["base"]
            ratios.append(ratio)
            print(f"round {round_ + 1}: base {seconds['base']:.1f} CPU s on cpu {placement['base']}, "
                  f"new {seconds['new']:.1f} CPU s on cpu {placement['new']}, new/base {ratio:.3f} "
                  f"({time.monotonic() - began:.0f} s)", flush=True)
            differ = same_outputs(outs["base"], outs["new"])
            if differ:
                print(f"  outputs differ: {', '.join(differ)}")
        mean = math.exp(sum(map(math.log, ratios)) / len(ratios))
        print(f"new/base CPU, geometric mean of {len(ratios)} rounds: {mean:.3f}")


if __name__ == "__main__":
    main()
