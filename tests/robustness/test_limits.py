"""Limits: a file over a size limit, or slower than the time limit, is a checks error, never a stall.

The time limit is exercised in the three places `process_file` runs: the main thread, a worker
thread (as under Dask) and a forked worker process (as in the process pool), and with both of its
layers: the cooperative checkpoints inside the PDF reader and the watchdog that interrupts a slow
step that has no checkpoint.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

from govdisclosure import limits, pipeline
from govdisclosure.limits import Limits, TimeLimitExceeded
from support.locations import RAW

PDF = RAW / "hongze_district_2023.pdf"
TXT = RAW / "pingtan_zone_2022.txt"
DOCX = RAW / "format_2021_blank_template.docx"


def _error(result: pipeline.DocResult) -> str:
    (report,) = result.reports
    (check,) = [c for c in result.checks if c["severity"] == "error"]
    assert check["check"] == "limit_exceeded" and report["template"] == "none"
    assert check["doc_id"] == report["doc_id"]
    return check["message"]


@pytest.mark.parametrize("path, limit, words", [
    (TXT, Limits(max_file_bytes=1000), "bytes, over the limit of 1,000 bytes per file"),
    (PDF, Limits(max_pdf_pages=1), "pages, over the limit of 1 pages per PDF"),
    (DOCX, Limits(max_docx_bytes=10_000), "over the limit of 10,000 bytes per .docx"),
])
def test_size_limits_become_a_checks_error(path, limit, words):
    message = _error(pipeline.process_file(path, limits=limit))
    assert message.startswith(str(path)) and words in message


def test_an_oversized_file_keeps_its_content_id_without_being_read_whole():
    result = pipeline.process_file(TXT, limits=Limits(max_file_bytes=1000))
    assert result.reports[0]["doc_id"] == pipeline.doc_id_of(TXT.read_bytes())
    assert pipeline.process_file(TXT, TXT.read_bytes(), limits=Limits(max_file_bytes=1000)).reports == result.reports


def test_none_means_no_limit():
    result = pipeline.process_file(PDF, limits=Limits(seconds=None, max_file_bytes=None, max_pdf_pages=None))
    assert not [c for c in result.checks if c["severity"] == "error"]
    assert result.reports[0]["template"] == "2021"


def test_a_slow_pdf_stops_at_a_page_checkpoint(monkeypatch):
    from govdisclosure.extract import pdf

    real = pdf._page_items
    monkeypatch.setattr(pdf, "_page_items", lambda page, number: time.sleep(0.2) or real(page, number))
    message = _error(pipeline.process_file(PDF, limits=Limits(seconds=0.3)))
    assert "took longer than the limit of 0.3 seconds per document" in message
    # How far it got depends on the machine's load: a rerun must give the same message.
    assert message == f"{PDF} took longer than the limit of 0.3 seconds per document and was skipped"


def _stuck(*_args, **_kwargs):
    """A slow step with no checkpoint: pure Python that only the watchdog can interrupt."""
    end = time.monotonic() + 30
    while time.monotonic() < end:
        pass


def test_the_watchdog_interrupts_a_step_without_checkpoints(monkeypatch):
    monkeypatch.setattr(pipeline.metadata, "describe", _stuck)
    started = time.monotonic()
    message = _error(pipeline.process_file(TXT, limits=Limits(seconds=0.2)))
    assert time.monotonic() - started < 5  # the grace period is a second
    assert message.endswith("took longer than the limit of 0.2 seconds per document and was skipped")


def test_time_limits_work_in_worker_threads_and_leave_them_usable(monkeypatch):
    # Dask runs tasks in threads of a worker; a limit on one thread must not touch the others.
    real = pipeline.metadata.describe
    monkeypatch.setattr(pipeline.metadata, "describe",
                        lambda doc: _stuck() if doc.source_path == "slow.txt" else real(doc))
    limit = Limits(seconds=0.2)
    with ThreadPoolExecutor(2) as pool:
        stuck = pool.submit(pipeline.process_file, Path("slow.txt"), TXT.read_bytes(), limits=limit)
        fine = [pool.submit(pipeline.process_file, TXT, limits=limit) for _ in range(3)]
        assert "took longer" in _error(stuck.result(timeout=20))
        assert all(f.result(timeout=20).reports[0]["template"] == "2021" for f in fine)
        time.sleep(1.5)  # an interrupt delivered late would strike here, in the next task
        assert pool.submit(pipeline.process_file, TXT, limits=limit).result(timeout=20).reports[0]["template"] == "2021"


def _slow_in_worker(_: int) -> str:
    pipeline.metadata.describe = _stuck  # this forked worker only
    return _error(pipeline.process_file(TXT, limits=Limits(seconds=0.2)))


def test_time_limits_work_in_a_forked_pool_worker():
    with limits.time_limit(5):  # so that the parent has a watchdog thread, which the fork does not copy
        pass
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        assert "took longer" in pool.submit(_slow_in_worker, 0).result(timeout=30)


def test_checkpoint_outside_a_time_limit_does_nothing():
    limits.checkpoint("anything")
    with limits.time_limit(None):
        limits.checkpoint("anything")


def test_the_time_limit_error_escapes_broad_exception_handlers():
    with pytest.raises(TimeLimitExceeded, match="step one"), limits.time_limit(0.05):
        limits.checkpoint("step one")
        time.sleep(0.1)
        try:
            limits.checkpoint("step two")
        except Exception:  # noqa: BLE001 - the point of the test
            pytest.fail("a reader's `except Exception` caught the time limit")


def test_no_watchdog_thread_is_left_armed_after_a_fast_document():
    pipeline.process_file(TXT)
    assert limits._watchdog._armed == []
    assert sum(t.name == "govdisclosure-time-limit" for t in threading.enumerate()) <= 1
