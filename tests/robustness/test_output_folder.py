"""The output folder under faults: one run at a time, a set published whole, one-line errors.

Each test stages the fault directly (a lock held by this process, an `os.replace` that never
returns, a disk that reports itself full) rather than racing real processes, so that it is exact
and fast; `test_interrupted_runs` covers real signals.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from govdisclosure import load, run, schema
from govdisclosure.cli import app
from govdisclosure.pipeline import process_file
from govdisclosure.run import outdir
from govdisclosure.run.spill import Spill
from support.locations import RAW

ONE = RAW / "pingtan_zone_2013.txt"
OTHER = RAW / "pingtan_zone_2018.txt"


def _cli(*args: str):
    return CliRunner().invoke(app, ["extract", *args], catch_exceptions=False)


def _one_line_error(result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


def test_a_second_run_refuses_a_folder_in_use_and_leaves_the_live_run_alone(tmp_path):
    out = tmp_path / "out"
    with outdir.owned(out):
        live_spill = out / f"{outdir.SPILL_PREFIX}live"
        live_spill.mkdir()  # what the running run works in
        line = _one_line_error(_cli(str(ONE), "--out", str(out), "--workers", "1"))
        assert str(out) in line and "in use by another govdisclosure run" in line
        assert live_spill.is_dir()
    # Once the first run is gone, its leftovers are cleared by the next.
    run.extract_corpus([ONE], out, engine="serial")
    assert not live_spill.exists()


def test_out_that_is_a_file_is_one_line(tmp_path):
    target = tmp_path / "tables"
    target.write_text("not a folder")
    line = _one_line_error(_cli(str(ONE), "--out", str(target)))
    assert f"{target} is a file, not a folder" in line
    assert target.read_text() == "not a folder"


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "is full"), (errno.EROFS, "read-only")])
def test_a_full_or_read_only_disk_is_one_line_and_the_earlier_tables_stay(tmp_path, monkeypatch, code, words):
    out = tmp_path / "out"
    run.extract_corpus([ONE], out, engine="serial")
    before = {name: (out / f"{name}.parquet").read_bytes() for name in schema.TABLES}

    def fail(self, *args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(Spill, "write", fail)
    line = _one_line_error(_cli(str(OTHER), "--out", str(out), "--workers", "1"))
    assert str(out) in line and words in line
    if code == errno.ENOSPC:
        assert "MiB" in line and "needs about" in line
    assert {name: (out / f"{name}.parquet").read_bytes() for name in schema.TABLES} == before
    assert not list(out.glob(f"{outdir.SPILL_PREFIX}*"))


def _tables(path: Path) -> dict[str, pd.DataFrame]:
    result = process_file(path)
    return {name: pd.DataFrame(getattr(result, name), columns=[c.name for c in schema.columns(name)])
            for name in schema.TABLES}


class _Killed(BaseException):
    """Stands for `kill -9`: nothing after it runs."""


def _doc_ids(folder: Path) -> set[str]:
    """The documents in every table as a plain reader opens them (the file names, no manifest)."""
    ids = set()
    for name in schema.TABLES:
        frame = pd.read_parquet(folder / f"{name}.parquet", columns=["doc_id"])
        ids |= set(frame.doc_id)
    return ids


def test_a_kill_at_any_step_of_publishing_leaves_one_whole_set(tmp_path, monkeypatch):
    old, new = _tables(ONE), _tables(OTHER)
    old_ids, new_ids = set(old["reports"].doc_id), set(new["reports"].doc_id)
    steps = 0
    while True:
        folder = tmp_path / f"kill-{steps}"
        load.write_tables(old, folder)
        calls = 0
        real = {name: getattr(os, name) for name in ("replace", "symlink", "link", "rename", "unlink")}

        def counted(name, steps=steps, real=real):
            def call(*args, **kwargs):
                nonlocal calls
                calls += 1
                if calls > steps:
                    raise _Killed
                return real[name](*args, **kwargs)
            return call

        for name in real:
            monkeypatch.setattr(load.os, name, counted(name))
        try:
            load.write_tables(new, folder)
            finished = True
        except _Killed:
            finished = False
        finally:
            for name, function in real.items():
                monkeypatch.setattr(load.os, name, function)
        seen = _doc_ids(folder)
        assert seen in (old_ids, new_ids), f"killed after {steps} steps: a mixed set"
        tables = load.read_tables(folder)
        assert set(tables["reports"].doc_id) == seen
        if finished:
            assert seen == new_ids
            break
        steps += 1
    assert steps >= 3  # the files moved, the set swapped, the links made


def test_tables_of_an_older_layout_are_replaced_without_a_mixed_set(tmp_path):
    folder = tmp_path / "out"
    load.write_tables(_tables(ONE), folder)
    for name in schema.TABLES:  # plain files, as versions before sets wrote them
        link = folder / f"{name}.parquet"
        data = link.read_bytes()
        link.unlink()
        link.write_bytes(data)
    load.write_tables(_tables(OTHER), folder)
    assert all((folder / f"{name}.parquet").is_symlink() for name in schema.TABLES)
    assert _doc_ids(folder) == set(_tables(OTHER)["reports"].doc_id)
    assert len(list(folder.glob(".tables-*"))) == 1


HOSTILE = ["a\rb", "a\nb", "a\r\nb", "\r", "x\u2028y\u2029z", "t\x00u", '"quoted"', '""', "a,b;c\td",
           " lead and trail ", "NA", "null", "None", "#comment", "=1+2", "\ufeffbom", "\x85next", "\x1c\x1d\x1e",
           "\\N", "'", "\\", "😀 emoji", "\udcff".encode("utf-8", "surrogateescape").decode("utf-8", "replace")]


CODES = {"doc_id", "measure", "breakdown", "unit", "check", "problems", "indicator", "flag"}  # keys, and codes (labels.csv, indicators.csv)


def test_every_table_round_trips_through_csv_with_hostile_strings(tmp_path):
    tables = _tables(ONE)
    for name, frame in tables.items():
        # One copy of the document per hostile string, each under its own doc_id.
        copies = [frame.assign(doc_id=f"{k:016x}") for k in range(len(HOSTILE))]
        frame = pd.concat(copies, ignore_index=True)
        for column in schema.columns(name):
            if column.dtype == "string" and column.isin is None and column.name not in CODES:
                hostile = frame.assign(**{column.name: [HOSTILE[i % len(HOSTILE)] for i in range(len(frame))]})
                try:  # free text only: a column of codes from a vocabulary refuses them
                    schema.finalise(name, hostile)
                except Exception:  # noqa: BLE001 - pandera's errors are many
                    continue
                frame = hostile
        tables[name] = frame
    load.write_tables(tables, tmp_path / "parquet", "parquet")
    load.write_tables(tables, tmp_path / "csv", "csv")
    assert sum(frame.isin(HOSTILE).to_numpy().sum() for frame in tables.values()) > 100
    via_parquet, via_csv = load.read_tables(tmp_path / "parquet"), load.read_tables(tmp_path / "csv")
    for name in schema.TABLES:
        pd.testing.assert_frame_equal(via_csv[name], via_parquet[name], check_dtype=True)
        assert len(via_csv[name]) == len(tables[name])
