"""Load stage: tables move into place together, and a signal cannot split the set between two runs."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pandas as pd
import pytest

from govdisclosure import load, schema
from govdisclosure.load import TableWriter

NAMES = ["reports.csv", "facts.csv", "checks.csv"]


def _visible(folder: Path) -> list[str]:
    """The names a user sees (the published set's hidden folder and link aside)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def _finished_writers(folder: Path) -> list[TableWriter]:
    writers = [TableWriter(folder / name, "csv") for name in NAMES]
    for writer in writers:
        writer.write(pd.DataFrame({"value": [1, 2]}))
        writer.close()
    return writers


@pytest.fixture
def signal_after_first_rename(monkeypatch):
    """Make the first rename of a commit be followed by a signal, as if it came at that instant."""
    def arm(signum: int) -> None:
        replace = os.replace
        raised = []

        def replace_then_signal(src, dst):
            replace(src, dst)
            if not raised:
                raised.append(signum)
                signal.raise_signal(signum)

        monkeypatch.setattr(load.os, "replace", replace_then_signal)
    return arm


def test_ctrl_c_during_the_commit_waits_until_every_table_is_in_place(tmp_path, signal_after_first_rename):
    writers = _finished_writers(tmp_path)
    # Python's own handler, even when the test runner was started with SIGINT ignored (`make test &`).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        signal_after_first_rename(signal.SIGINT)
        with pytest.raises(KeyboardInterrupt):
            load.commit_together(writers)
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, previous)
    assert _visible(tmp_path) == sorted(NAMES)


def test_sigterm_during_the_commit_reaches_its_handler_after_the_last_rename(tmp_path, signal_after_first_rename):
    writers = _finished_writers(tmp_path)
    seen: list[list[str]] = []
    previous = signal.signal(signal.SIGTERM, lambda *_: seen.append(_visible(tmp_path)))
    try:
        signal_after_first_rename(signal.SIGTERM)
        load.commit_together(writers)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert seen == [sorted(NAMES)]


def test_an_ignored_ctrl_c_stays_ignored(tmp_path, signal_after_first_rename):
    writers = _finished_writers(tmp_path)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        signal_after_first_rename(signal.SIGINT)
        load.commit_together(writers)
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
    assert _visible(tmp_path) == sorted(NAMES)


def test_write_tables_replaces_nothing_when_a_table_fails_validation(tmp_path):
    load.write_tables({"reports": schema.empty_frame("reports")}, tmp_path)
    before = (tmp_path / "reports.parquet").read_bytes()
    broken = schema.empty_frame("facts").astype(object)
    broken.loc[0] = "not a fact"
    with pytest.raises(ValueError):
        load.write_tables({"reports": schema.empty_frame("reports"), "facts": broken}, tmp_path)
    assert (tmp_path / "reports.parquet").read_bytes() == before
    assert _visible(tmp_path) == ["reports.parquet"]
    assert len(list(tmp_path.glob(".tables-*"))) == 1
