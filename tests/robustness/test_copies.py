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


@pytest.mark.parametrize("printed, value", [("99999999999999999999999", 1e23), ("9" * 400, float("inf"))])
def test_a_number_that_cannot_be_a_count_is_no_fact_and_a_warning(tmp_path, printed, value):
    from govdisclosure.pipeline import process_file

    text = (RAW / "pingtan_zone_2013.txt").read_text(encoding="utf-8")
    assert "主动公开政府信息4970条" in text
    path = tmp_path / "report.txt"
    path.write_text(text.replace("主动公开政府信息4970条", f"主动公开政府信息{printed}条"), encoding="utf-8")
    result = process_file(path)
    assert not [f for f in result.facts if f["value"] == value or f["value"] >= 1e12]
    warnings = [c for c in result.checks if c["check"] == "implausible_value"]
    assert len(warnings) == 1 and warnings[0]["severity"] == "warning"


@pytest.mark.parametrize("printed", ["-246", "－246", "1e400", "3-5"])
def test_a_minus_sign_an_exponent_or_a_range_is_not_dropped_from_a_count(printed):
    from govdisclosure.transform.numbers import find_quantities

    assert find_quantities(f"收到申请{printed}件") == []
