"""The command line as a daily user and a cron job meet it: through the real `govdisclosure` app.

Every test invokes the typer app (typer's `CliRunner`) or the installed console script, so what is
checked is what a user sees: exit codes, the one-line messages on stderr, the files left behind.
"""

from __future__ import annotations

import os
import re
import shutil
import stat

import pytest
from typer.testing import CliRunner

from govdisclosure import load, schema
from govdisclosure.cli import app
from support.locations import RAW

REPORT = RAW / "pingtan_zone_2019.txt"


def invoke(*args: str):
    """Run the app in-process; stdout and stderr kept apart."""
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_tables_csvs_and_cache_are_readable_by_others_under_umask_022(tmp_path, umask_022):
    # A cron job's outputs are read by the analysts' accounts: 0644 files and 0755 folders.
    shutil.copy(REPORT, tmp_path / REPORT.name)
    for fmt in ("parquet", "csv"):
        out = tmp_path / fmt
        result = invoke("extract", tmp_path / REPORT.name, "--out", out, "--format", fmt, "--incremental",
                        "--no-progress")
        assert result.exit_code == 0, result.output
        files = [p for p in out.rglob("*") if p.is_file()]
        assert {p.name for p in files} >= {f"reports.{fmt}", f"facts.{fmt}", "manifest.json"}
        assert any(p.parent.name == ".cache" and p.suffix == ".parquet" for p in files)
        assert {oct(stat.S_IMODE(p.stat().st_mode)) for p in files} == {"0o644"}
        assert {oct(stat.S_IMODE(p.stat().st_mode)) for p in out.rglob("*") if p.is_dir()} <= {"0o755"}


def test_an_input_without_report_files_is_an_error_and_the_previous_tables_stay(tmp_path):
    shutil.copy(REPORT, tmp_path / REPORT.name)
    out = tmp_path / "out"
    assert invoke("extract", tmp_path / REPORT.name, "--out", out, "--no-progress").exit_code == 0
    before = {p.name: p.read_bytes() for p in out.glob("*.parquet")}
    empty = tmp_path / "mount"  # a failed mount: the folder is there, the reports are not
    empty.mkdir()
    (empty / "notes.md").write_text("not a report file")

    result = invoke("extract", empty, "--out", out, "--no-progress")

    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("error: no report files") and str(empty) in result.stderr
    assert {p.name: p.read_bytes() for p in out.glob("*.parquet")} == before
    assert len(before) == len(schema.TABLES)


def test_allow_empty_writes_empty_tables(tmp_path):
    (tmp_path / "mount").mkdir()
    out = tmp_path / "out"
    result = invoke("extract", tmp_path / "mount", "--out", out, "--allow-empty", "--no-progress")
    assert result.exit_code == 0, result.output
    assert {name: len(frame) for name, frame in load.read_tables(out).items()} == dict.fromkeys(schema.TABLES, 0)
    assert sorted(p.name for p in out.glob("*.parquet")) == sorted(f"{name}.parquet" for name in schema.TABLES)


@pytest.mark.parametrize("command", ["extract", "report", "view", "audit"])
def test_help_is_not_cut_at_80_columns(command, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = invoke(command, "--help")
    assert result.exit_code == 0
    names = [opt for param in app_command(command).params for opt in param.opts if opt.startswith("--")]
    assert names and all(name in result.stdout for name in names)  # every option name whole
    assert "…" not in result.stdout and max(map(len, result.stdout.splitlines())) <= 80


def test_the_command_list_is_not_cut(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    commands = invoke("--help").stdout.split("Commands:")[1]
    assert "..." not in commands and "…" not in commands and "extract  Extract the five tables" in commands


def test_report_help_lists_the_notebook_parameters():
    out = invoke("report", "--help").stdout
    listed = re.findall(r"^  -p (\w+) (\S+)", out, flags=re.MULTILINE)
    assert listed == [("agencies", "list[str]"), ("provinces", "list[str]"), ("year_start", "int"),
                      ("year_end", "int"), ("lang", "str"), ("fig_formats", "list[str]"), ("dpi", "int"),
                      ("include_flagged", "bool"), ("merge_websites", "bool"),  # 04, 07 and 08's own
                      ("group_by", "str"), ("scope", "str"),
                      ("indicator_codes", "list[str]"), ("chart_indicator", "str"), ("chart_denominator", "str"),
                      ("table_dir", "str")]
    assert '[default: "zh"]' in out and "processed_dir" not in out  # injected ones are not offered


@pytest.mark.parametrize("command", ["extract", "report", "view"])
def test_out_on_an_existing_file_is_one_line_without_traceback(command, tmp_path):
    (tmp_path / "processed").mkdir()
    taken = tmp_path / "taken.txt"
    taken.write_text("an analyst's file")
    inputs = {"extract": [REPORT], "report": ["--processed", tmp_path / "processed"], "view": [tmp_path / "processed"]}
    for out in (taken, taken / "sub"):
        result = CliRunner().invoke(app, [command, *map(str, inputs[command]), "--out", str(out)])
        assert result.exit_code == 2 and result.exception is None or isinstance(result.exception, SystemExit)
        assert result.stderr == f"error: --out {out}: {taken} is a file, not a folder\n"
        assert taken.read_text() == "an analyst's file"


def app_command(name: str):
    """The click command behind a subcommand name."""
    import typer.main

    return typer.main.get_command(app).commands[name]


def test_the_summary_says_where_findings_are_what_was_merged_and_flags_a_document_that_is_no_report(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(REPORT, corpus / "a.txt")
    shutil.copy(REPORT, corpus / "a_copy.txt")  # the same bytes under another name
    (corpus / "news.txt").write_text("市气象台发布天气预报：明天晴转多云，气温十二到二十度，请市民注意防晒。\n", encoding="utf-8")
    out = tmp_path / "out"

    result = invoke("extract", corpus, "--out", out, "--workers", "1")

    assert result.exit_code == 0, result.output
    summary = result.stderr.splitlines()[-1]
    assert summary.startswith("2 documents from 3 files (1 byte-identical copies merged) (2 processed), ")
    assert summary.endswith(f"warnings are in {out / 'checks.parquet'}")
    # Not a terminal: the bar is replaced by plain progress lines, at least the closing one.
    assert "extract: 3/3 documents (100%)" in result.stderr and "\r" not in result.stderr
    tables = load.read_tables(out)
    news = tables["reports"].loc[tables["reports"].source_path.str.endswith("news.txt"), "doc_id"].item()
    found = tables["checks"][tables["checks"].doc_id == news]
    assert found[["check", "severity"]].values.tolist() == [["not_a_report", "info"]]
