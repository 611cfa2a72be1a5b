"""Workers that die, hang in C code, or lose their parent: the run goes on and loses nothing.

What kills a worker in real life (the out-of-memory killer, a call stuck in C) cannot be ordered on
demand, so the runs here start with a `sitecustomize` module on the path that wraps `process_file`
in every process of the run, the pool's and Dask's workers included: a file whose name holds KILLME
ends its process with SIGKILL, one whose name holds STUCK sleeps for an hour in C (`time.sleep`,
which no Python-level interrupt can cut short). Only the tests' environment holds that module.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from govdisclosure import load, run
from govdisclosure.run import worker
from support.locations import RAW

REPORTS = sorted(p for p in RAW.iterdir() if p.suffix == ".txt")

_HOOK = textwrap.dedent("""
    import os, signal, time
    import govdisclosure.pipeline as pipeline

    _process_file = pipeline.process_file

    def process_file(path, *args, **kwargs):
        if "KILLME" in str(path):
            os.kill(os.getpid(), signal.SIGKILL)
        if "STUCK" in str(path):
            open(f"{path}.stuck", "w").close()  # for the tests that wait until a worker is stuck
            time.sleep(3600)
        return _process_file(path, *args, **kwargs)

    pipeline.process_file = process_file
""")

_RUN = textwrap.dedent("""
    import json, sys
    from govdisclosure import run
    from govdisclosure.limits import Limits
    result = run.run([sys.argv[1]], sys.argv[2], engine=sys.argv[3], workers=2, batch_size=4,
                     limits=Limits(seconds=float(sys.argv[4])))
    print(json.dumps({"processed": result.stats.processed, "errors": result.stats.errors}))
""")


def _corpus(root: Path, n: int, special: dict[int, str]) -> Path:
    root.mkdir()
    for i in range(n):
        source = REPORTS[i % len(REPORTS)]
        name = f"{i:03d}_{special.get(i, '')}_{source.name}"
        (root / name).write_bytes(source.read_bytes() + f"\n（第{i}份）\n".encode())
    return root


def _hooked_env(tmp_path: Path) -> dict[str, str]:
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_HOOK)
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(hook), os.environ.get("PYTHONPATH", "")])}


def _run(tmp_path: Path, corpus: Path, engine: str = "pool", seconds: float = 60) -> dict:
    done = subprocess.run([sys.executable, "-c", _RUN, str(corpus), str(tmp_path / "out"), engine, str(seconds)],
                          env=_hooked_env(tmp_path), capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _errors(tmp_path: Path) -> dict[str, str]:
    tables = load.read_tables(tmp_path / "out")
    errors = tables["checks"].query("severity == 'error'").merge(tables["reports"][["doc_id", "source_path"]])
    return {Path(path).name.split("_")[1]: check for path, check in zip(errors.source_path, errors.check)}


@pytest.mark.slow  # a pool started three times (~40 s on two busy cores)
def test_a_worker_killed_by_its_document_costs_only_that_document(tmp_path):
    corpus = _corpus(tmp_path / "corpus", 24, {9: "KILLME"})
    stats = _run(tmp_path, corpus)
    assert stats["errors"] == 1
    assert _errors(tmp_path) == {"KILLME": "worker_died"}
    assert len(load.read_tables(tmp_path / "out")["reports"]) == 24


@pytest.mark.slow  # a pool started three times (~40 s on two busy cores)
def test_a_worker_stuck_in_c_code_is_ended_at_the_hard_time_limit(tmp_path):
    corpus = _corpus(tmp_path / "corpus", 16, {5: "STUCK"})
    started = time.monotonic()
    _run(tmp_path, corpus, seconds=1)
    assert time.monotonic() - started < 60
    assert _errors(tmp_path) == {"STUCK": "limit_exceeded"}
    message = load.read_tables(tmp_path / "out")["checks"].query("check == 'limit_exceeded'").message.item()
    assert "took longer than the limit of 1 seconds" in message


@pytest.mark.slow  # a cluster started, two workers restarted (~33 s on two busy cores, 25 s of CPU)
def test_a_dask_worker_killed_by_its_document_costs_only_that_document(tmp_path):
    """Dask fails the batch with `KilledWorker` (at once: the engine allows no retries on a
    LocalCluster); its documents are read again one by one and only the killer is lost."""
    pytest.importorskip("distributed")
    corpus = _corpus(tmp_path / "corpus", 7, {3: "KILLME"})
    command = [str(Path(sys.executable).with_name("govdisclosure")), "extract", str(corpus), "--out",
               str(tmp_path / "out"), "--engine", "dask", "--workers", "2", "--no-progress"]
    done = subprocess.run(command, env=_hooked_env(tmp_path), capture_output=True, text=True, timeout=240,
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "7 documents (7 processed)" in done.stdout + done.stderr
    assert _errors(tmp_path) == {"KILLME": "worker_died"}
    got = load.read_tables(tmp_path / "out")
    killer = got["reports"].loc[got["reports"].source_path.str.contains("KILLME"), "doc_id"].item()
    good = sorted(path for path in corpus.iterdir() if "KILLME" not in path.name)
    expected = run.run(good, tmp_path / "serial", engine="serial", collect=True).tables
    for name, frame in expected.items():
        rows = got[name][got[name].doc_id != killer]
        pd.testing.assert_frame_equal(rows.reset_index(drop=True), frame.reset_index(drop=True), obj=name)


def test_a_memory_error_outside_process_files_handlers_is_one_error_row(tmp_path, monkeypatch):
    real = worker.process_file

    def exhausted(path, *args, **kwargs):
        if path.name == REPORTS[1].name:
            raise MemoryError
        return real(path, *args, **kwargs)

    monkeypatch.setattr(worker, "process_file", exhausted)
    result = run.run(REPORTS[:3], tmp_path / "out", engine="serial", collect=True)
    checks = result.tables["checks"].query("severity == 'error'")
    assert checks.check.tolist() == ["reader_failed"] and "ran out of memory" in checks.message.item()
    assert len(result.tables["reports"]) == 3


def _session_processes(sid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getsid(int(entry.name)) == sid:
                    pids.append(int(entry.name))
            except (ProcessLookupError, PermissionError):
                continue
    return pids


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="needs Linux pidfds")
@pytest.mark.parametrize("engine", ["pool", "dask"])
def test_workers_end_when_the_run_is_killed(tmp_path, engine):
    # Dask's worker processes watch a pipe from the run's process and exit when it closes.
    corpus = _corpus(tmp_path / "corpus", 16, {1: "STUCK", 6: "STUCK"})
    proc = subprocess.Popen([sys.executable, "-c", _RUN, str(corpus), str(tmp_path / "out"), engine, "600"],
                            env=_hooked_env(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while len(list(corpus.glob("*.stuck"))) < 2:  # both workers stuck in C code
            assert time.monotonic() < deadline and proc.poll() is None, "the workers never started"
            time.sleep(0.1)
        proc.kill()
        proc.wait()
        deadline = time.monotonic() + 15
        while _session_processes(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _session_processes(proc.pid) == []
    finally:
        for pid in _session_processes(proc.pid):
            os.kill(pid, signal.SIGKILL)
