"""Copies that the parent does not read (files over its read size, pipes) still get one row."""

from __future__ import annotations

import os

import pytest

from govdisclosure import run
from govdisclosure.limits import Limits
from govdisclosure.run import plan
from support.locations import RAW


def test_copies_of_a_file_too_large_to_read_in_the_parent_get_one_row(tmp_path, monkeypatch):
    monkeypatch.setattr(plan, "READ_MAX_BYTES", 1000)  # as if the reports were over 64 MiB
    data = (RAW / "pingtan_zone_2013.txt").read_bytes()
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_bytes(data)
    result = run.run([tmp_path / "a.txt", tmp_path / "b.txt"], tmp_path / "out", engine="serial", collect=True,
                     limits=Limits(max_file_bytes=1000))
    reports = result.tables["reports"]
    assert len(reports) == 1 and reports.duplicate_paths.item() == str(tmp_path / "b.txt")
    assert result.stats.duplicates == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_named_twice_gets_one_row(tmp_path):
    pipe = tmp_path / "report.txt"
    os.mkfifo(pipe)
    result = run.run([pipe, pipe], tmp_path / "out", engine="serial", collect=True)
    assert len(result.tables["reports"]) == 1
    assert sorted(result.tables["checks"].check) == ["duplicate_file", "unreadable_file"]
