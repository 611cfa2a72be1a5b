"""Interrupted and repeated runs: the old outputs survive a kill, and a rerun gives the same bytes.

The kill tests start `govdisclosure extract` on a few hundred small reports over a folder that
holds the outputs of an earlier run, interrupt it while it works (Ctrl-C, `kill`, `kill -9`), and
check that the earlier outputs are still there byte for byte and still read back. Signals go to the
whole process group, as a terminal's Ctrl-C does, so that pool workers do not outlive the test.
Each case works on its own copy of the earlier outputs: a run that got through cannot spoil the
next case.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from govdisclosure import load, run, schema
from support.locations import RAW

REPORTS = sorted(p for p in RAW.iterdir() if p.suffix == ".txt")


def _corpus(root: Path, n: int) -> Path:
    root.mkdir()
    for i in range(n):
        source = REPORTS[i % len(REPORTS)]
        (root / f"{i:04d}_{source.name}").write_bytes(source.read_bytes() + f"\n（第{i}份）\n".encode())
    return root


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file() and not p.name.startswith(".")}


# A test runner started in the background of a non-interactive shell (`make test &`) inherits an
# ignored SIGINT, and Python keeps it ignored: the run would not see the Ctrl-C at all. The run
# therefore gets Python's usual handler back before the command line starts.
_CLI = ("import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
        "from govdisclosure.cli import main; sys.exit(main())")


def _start(corpus: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", _CLI, "extract", str(corpus), "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def _wait_until_working(proc: subprocess.Popen, out: Path, before: set[str]) -> None:
    """Until the run has created something in the output folder (it is past start-up), then a little more."""
    deadline = time.monotonic() + 120
    while {p.name for p in out.iterdir()} <= before:
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "the run never got going"
        time.sleep(0.01)
    time.sleep(0.3)


def _interrupt(corpus: Path, out: Path, how: str) -> subprocess.Popen:
    """Start a run over `out`, interrupt it once it is working, and return the finished process."""
    proc = _start(corpus, out)
    try:
        _wait_until_working(proc, out, {p.name for p in out.iterdir()})
        if how == "ctrl-c":
            os.killpg(proc.pid, signal.SIGINT)
        elif how == "kill":
            proc.send_signal(signal.SIGTERM)  # the main process only, as `kill PID` does
        else:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # pool workers left behind by `kill PID`
        except ProcessLookupError:
            pass
        proc.stderr.close()
    return proc


@pytest.fixture(scope="module")
def setup(tmp_path_factory) -> tuple[Path, Path, dict[str, bytes]]:
    """A corpus of 400 reports, and a folder with an earlier run's outputs (copied by each test)."""
    tmp = tmp_path_factory.mktemp("interrupted")
    earlier = tmp / "earlier"
    run.extract_corpus([RAW / "pingtan_zone_2013.txt"], earlier)
    return _corpus(tmp / "corpus", 400), earlier, _outputs(earlier)


@pytest.mark.parametrize("how", ["ctrl-c", "kill", "kill -9"])
def test_an_interrupted_run_leaves_the_previous_outputs_intact(setup, tmp_path, how):
    corpus, earlier, before = setup
    out = shutil.copytree(earlier, tmp_path / "out")
    proc = _interrupt(corpus, out, how)
    assert proc.returncode != 0, "the run finished before it could be interrupted"
    assert _outputs(out) == before
    tables = load.read_tables(out)
    assert len(tables["reports"]) == 1 and tables["reports"].source_path.str.endswith("pingtan_zone_2013.txt").all()
    if how == "ctrl-c":  # a clean stop also clears its temporary files
        assert not [p.name for p in out.iterdir() if p.name.startswith(".govdisclosure") or p.suffix == ".tmp"]


def test_a_run_after_a_killed_one_completes_and_clears_its_leftovers(setup, tmp_path):
    corpus, earlier, before = setup
    out = shutil.copytree(earlier, tmp_path / "out")
    assert _interrupt(corpus, out, "kill -9").returncode != 0
    assert [p.name for p in out.iterdir() if p.name.startswith(".govdisclosure")], "kill -9 left nothing to clear"
    run.extract_corpus([RAW / "pingtan_zone_2018.txt"], out)
    assert _outputs(out) != before
    assert load.read_tables(out)["reports"].source_path.str.endswith("pingtan_zone_2018.txt").all()
    assert not [p.name for p in out.iterdir() if p.name.startswith(".govdisclosure") or p.suffix == ".tmp"]


def test_a_rerun_writes_byte_identical_parquet(tmp_path):
    # CSV is compared through the command line in test_fuzz_corpus.
    run.extract_corpus([RAW], tmp_path / "first")
    run.extract_corpus([RAW], tmp_path / "second")
    for name in schema.TABLES:
        assert (tmp_path / "first" / f"{name}.parquet").read_bytes() == (
            tmp_path / "second" / f"{name}.parquet").read_bytes(), name
