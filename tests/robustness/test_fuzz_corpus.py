"""The dirty corpus, file by file and through the command line: every input reported, nothing raised.

One generated corpus (see `fuzz_corpus`) serves every test of the module; each file carries the
expectation the run must meet, so a new bad case is a line in the generator, not a new test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from govdisclosure import pipeline, run, schema
from govdisclosure.walk import display_path
from support import fuzz_corpus as fz
from support.locations import RAW


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, list[fz.Case]]:
    root = tmp_path_factory.mktemp("dirty")
    return root, fz.make_corpus(root)


def _inputs(cases: list[fz.Case]) -> list[fz.Case]:
    return [case for case in cases if case.expect != fz.SKIPPED]


def test_each_bad_file_gets_the_row_and_finding_it_should(corpus):
    root, cases = corpus
    wrong = []
    for case in _inputs(cases):
        source = display_path(str(root / case.path))
        result = pipeline.process_file(root / case.path)
        errors = [c["message"] for c in result.checks if c["severity"] == "error"]
        (report,) = result.reports
        if case.expect == fz.ERROR:
            ok = (len(errors) == 1 and case.words in errors[0] and source in errors[0]
                  and report["template"] == "none" and report["problems"] == "unreadable")
        elif case.expect == fz.NONE:
            ok = not errors and report["template"] == "none" and report["n_chars"] > 0
        elif case.expect == fz.ANY:
            ok = all(source in message for message in errors)
        else:  # READ and DUPLICATE: the report was recovered
            ok = not errors and report["n_chars"] > 1000 and report["template"] != "none"
        if not ok:
            wrong.append((case.kind, report["template"], errors))
    assert wrong == []


def test_the_walk_takes_exactly_the_inputs_in_a_stable_order(corpus):
    root, cases = corpus
    found = run.iter_input_files([root])
    assert sorted(p.relative_to(root) for p in found) == sorted(c.path for c in _inputs(cases))
    assert run.iter_input_files([root]) == found


def _extract(root: Path, out: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "govdisclosure.cli", "extract", str(root), "--out", str(out),
                           *options], check=False, capture_output=True, text=True, timeout=300)


def test_the_command_line_reports_every_file_and_reruns_byte_identically(corpus, tmp_path):
    root, cases = corpus
    first, second = _extract(root, tmp_path / "a", "--format", "csv"), _extract(root, tmp_path / "b", "--format", "csv")
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    for name in schema.TABLES:
        assert (tmp_path / "a" / f"{name}.csv").read_bytes() == (tmp_path / "b" / f"{name}.csv").read_bytes(), name

    reports = pd.read_csv(tmp_path / "a" / "reports.csv", dtype=str, keep_default_na=False)
    checks = pd.read_csv(tmp_path / "a" / "checks.csv", dtype=str, keep_default_na=False)
    reported = set(reports.source_path) | {p for paths in reports.duplicate_paths for p in paths.split(";") if p}
    assert reported == {display_path(str(root / c.path)) for c in _inputs(cases)}
    assert len(reported) == len(reports) + sum(len(p.split(";")) for p in reports.duplicate_paths if p)
    errors = checks[checks.severity == "error"]
    by_source = dict(zip(reports.source_path, reports.doc_id))
    for case in cases:
        if case.expect == fz.ERROR:
            doc_errors = errors[errors.doc_id == by_source[display_path(str(root / case.path))]]
            assert len(doc_errors) == 1 and case.words in doc_errors.message.item(), case.kind


def test_strict_fails_the_run_when_a_document_has_an_error(corpus, tmp_path):
    root, _ = corpus
    result = _extract(root / "pdf" / "encrypted.pdf", tmp_path, "--strict")
    assert result.returncode == 1
    assert "1 errors" in result.stderr


def test_pipes_and_folders_named_explicitly_are_reported_not_read(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would block forever
    for path, words in ((tmp_path / "pipe.txt", "is a named pipe, not a regular file"),
                        (tmp_path, "is a folder")):
        (check,) = pipeline.process_file(path).checks
        assert check["check"] == "unreadable_file" and check["message"].startswith(f"{path} {words}")


_NO_NETWORK = """
import socket, sys
def refuse(*args, **kwargs):
    raise OSError("network access attempted")
socket.socket.connect = socket.socket.connect_ex = socket.create_connection = socket.getaddrinfo = refuse
from govdisclosure.cli import app
sys.argv = ["govdisclosure", "extract", *sys.argv[1:]]
app()
"""


def test_a_run_needs_no_network(tmp_path):
    result = subprocess.run([sys.executable, "-c", _NO_NETWORK, str(RAW), "--out", str(tmp_path), "--engine", "serial"],
                            check=False, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    checks = pd.read_parquet(tmp_path / "checks.parquet")
    assert not checks.message.str.contains("network").any()
