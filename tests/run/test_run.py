"""The corpus runner: every engine gives the tables of the plain sequential loop, and the cache works.

The reference is that loop written out here (process_file over the files in walking order, copies
set aside, rows sorted by the schema): whatever the engine, the worker count, the number of
buckets or spill parts, `run.run` must return exactly its tables.
"""

from __future__ import annotations

import os
import shutil
from contextlib import ExitStack
from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pytest

from govdisclosure import load, pipeline, schema
from govdisclosure import run as corpus_run
from govdisclosure.limits import DEFAULT as DEFAULT_LIMITS
from govdisclosure.run import cache as cache_module
from govdisclosure.run import iter_input_files, runner
from govdisclosure.run import spill as spill_module
from govdisclosure.run.cache import CACHE_DIR
from govdisclosure.run.combine import BucketJob
from govdisclosure.run.executors import dask_results, start_dask
from govdisclosure.run.spill import Spill, bucket_bounds, bucket_of
from govdisclosure.run.worker import process_batch
from govdisclosure.validate import cross_report_checks
from govdisclosure.validate.indicator_change import COUNT_COLUMNS, change_rows
from support.locations import RAW

TEXT_REPORTS = ["000_8b69490460605994.txt", "003_9011374d10fa4802.txt", "pingtan_zone_2013.txt",
                "pingtan_zone_2022.txt", "shanghai_gov_office_2019.html"]


def reference_tables(paths: list[Path]) -> dict[str, pd.DataFrame]:
    """The tables by the plain sequential loop."""
    rows: dict[str, list[dict]] = {name: [] for name in schema.TABLES}
    first: dict[str, int] = {}
    for path in iter_input_files(paths):
        data = path.read_bytes()
        doc_id = pipeline.doc_id_of(data)
        if doc_id in first:
            report = rows["reports"][first[doc_id]]
            report["duplicate_paths"] = ";".join(filter(None, [report["duplicate_paths"], str(path)]))
            rows["checks"].append({"doc_id": doc_id, "check": "duplicate_file", "severity": "info",
                                   "message": f"{path} is byte-identical to {report['source_path']}"})
            continue
        first[doc_id] = len(rows["reports"])
        result = pipeline.process_file(path, data)
        for name in schema.TABLES:
            rows[name].extend(getattr(result, name))
    # What needs several reports: checks between them, and indicators of change on last year.
    reports = pd.DataFrame(rows["reports"])
    rows["checks"].extend(cross_report_checks(reports, pd.DataFrame(rows["facts"])))
    rows["indicators"].extend(change_rows(reports, pd.DataFrame([r for r in rows["indicators"] if r["kind"] == "count"],
                                                                columns=COUNT_COLUMNS)))
    return {name: schema.to_frame(name, table_rows) for name, table_rows in rows.items()}


def assert_same_tables(got: dict[str, pd.DataFrame], expected: dict[str, pd.DataFrame]) -> None:
    assert list(got) == list(expected)
    for name, frame in expected.items():
        pdt.assert_frame_equal(got[name], frame, obj=name)


@pytest.fixture(scope="module")
def raw_reference(raw_dir) -> dict[str, pd.DataFrame]:
    return reference_tables([raw_dir])


@pytest.fixture()
def small_corpus(tmp_path, raw_dir) -> Path:
    """A few text and HTML reports, one of them twice more (in a subfolder and under another name)."""
    corpus = tmp_path / "corpus"
    (corpus / "more").mkdir(parents=True)
    for name in TEXT_REPORTS:
        shutil.copy(raw_dir / name, corpus / name)
    shutil.copy(raw_dir / TEXT_REPORTS[1], corpus / "more" / "copy.txt")
    shutil.copy(raw_dir / TEXT_REPORTS[1], corpus / "zz_copy.txt")
    return corpus


def test_serial_run_matches_the_sequential_loop(raw_dir, raw_reference, tmp_path):
    result = corpus_run.run([raw_dir], tmp_path, engine="serial", collect=True)
    assert_same_tables(result.tables, raw_reference)
    assert_same_tables(load.read_tables(tmp_path), raw_reference)
    assert result.stats.processed == result.stats.rows["reports"] == 12


def test_process_pool_matches_serial(raw_dir, raw_reference, tmp_path):
    result = corpus_run.run([raw_dir], tmp_path, engine="pool", workers=2, batch_size=2, collect=True)
    assert result.stats.engine == "pool" and result.stats.workers == 2
    assert_same_tables(result.tables, raw_reference)
    assert_same_tables(load.read_tables(tmp_path), raw_reference)


def test_dask_local_cluster_matches_serial(raw_dir, raw_reference, tmp_path):
    result = corpus_run.run([raw_dir], tmp_path, engine="dask", workers=2, batch_size=3, collect=True)
    assert result.stats.engine == "dask"
    assert_same_tables(result.tables, raw_reference)


def test_dask_streams_keep_no_sent_batches(raw_dir):
    """Dask's debugging log of recent messages would hold the documents of the last 1,000 batches."""
    pytest.importorskip("distributed")
    batches = [[(str(path), path.read_bytes())] for path in iter_input_files([raw_dir])[:4]]
    logged = []
    with ExitStack() as stack:
        client = start_dask(stack, 2, None)
        for _ in dask_results(client, None, batches, DEFAULT_LIMITS, bucket_bounds(1)):
            streams = [client.scheduler_comm, *client.cluster.scheduler.stream_comms.values()]
            logged.append(sum(len(stream.recent_message_log) for stream in streams))
    assert logged == [0, 0, 0, 0]


def test_dask_on_an_existing_cluster(small_corpus, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        result = corpus_run.run([small_corpus], tmp_path / "out", engine="dask", scheduler=cluster.scheduler_address,
                            batch_size=2, collect=True)
    assert_same_tables(result.tables, reference_tables([small_corpus]))


def test_copies_are_processed_once_and_listed(small_corpus, tmp_path):
    result = corpus_run.run([small_corpus], tmp_path / "out", engine="pool", workers=2, batch_size=2, collect=True)
    assert_same_tables(result.tables, reference_tables([small_corpus]))
    assert result.stats.processed == len(TEXT_REPORTS) and result.stats.duplicates == 2
    reports = result.tables["reports"].set_index("source_path")
    original = str(small_corpus / TEXT_REPORTS[1])
    assert reports.at[original, "duplicate_paths"] == f"{small_corpus / 'zz_copy.txt'};{small_corpus / 'more' / 'copy.txt'}"
    notes = result.tables["checks"].query("check == 'duplicate_file'")
    assert list(notes.severity) == ["info", "info"]


def test_many_buckets_and_spill_parts_give_the_same_tables(small_corpus, tmp_path, monkeypatch):
    expected = reference_tables([small_corpus])
    monkeypatch.setattr(runner, "DOCS_PER_BUCKET", 2)
    monkeypatch.setattr(spill_module, "SPILL_BUFFER_BYTES", 1)  # a part per batch and bucket
    result = corpus_run.run([small_corpus], tmp_path / "csv", "csv", engine="serial", batch_size=2, collect=True)
    assert_same_tables(result.tables, expected)
    load.write_tables(expected, tmp_path / "whole", "csv")
    for name in schema.TABLES:  # appending bucket by bucket writes the very bytes of one whole write
        assert (tmp_path / "csv" / f"{name}.csv").read_bytes() == (tmp_path / "whole" / f"{name}.csv").read_bytes()


def test_incremental_run_reprocesses_only_changed_files(small_corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = corpus_run.run([small_corpus], out, engine="serial", incremental=True).stats
    assert (first.processed, first.reused) == (len(TEXT_REPORTS), 0)
    again = corpus_run.run([small_corpus], out, engine="serial", incremental=True).stats
    assert (again.processed, again.reused) == (0, len(TEXT_REPORTS))

    changed = small_corpus / TEXT_REPORTS[0]
    changed.write_bytes(changed.read_bytes() + "\n本报告如有疑问请联系办公室。\n".encode())
    (small_corpus / TEXT_REPORTS[2]).unlink()
    shutil.copy(changed, small_corpus / "added.txt")  # a copy of a changed file: still processed once
    later = corpus_run.run([small_corpus], out, engine="pool", workers=2, batch_size=1, incremental=True,
                       collect=True)
    assert (later.stats.processed, later.stats.reused) == (1, len(TEXT_REPORTS) - 2)
    expected = reference_tables([small_corpus])
    assert_same_tables(later.tables, expected)
    assert_same_tables(load.read_tables(out), expected)

    monkeypatch.setattr(cache_module, "EXTRACTOR_VERSION", "0+changed")  # new code: nothing is reused
    rerun = corpus_run.run([small_corpus], out, engine="serial", incremental=True).stats
    assert (rerun.processed, rerun.reused) == (len(TEXT_REPORTS) - 1, 0)
    assert len(list((out / CACHE_DIR).glob("*.parquet"))) == len(schema.TABLES)


def test_extract_corpus_keeps_its_api(raw_dir, raw_reference):
    assert_same_tables(corpus_run.extract_corpus([raw_dir]), raw_reference)


def test_command_line_options(small_corpus, tmp_path):
    from typer.testing import CliRunner

    from govdisclosure.cli import app

    out = tmp_path / "out"
    command = ["extract", str(small_corpus), "--out", str(out), "--engine", "serial", "--incremental"]
    first = CliRunner().invoke(app, command)
    assert first.exit_code == 0, first.output
    again = CliRunner().invoke(app, command)
    assert f"(0 processed, {len(TEXT_REPORTS)} reused from the cache)" in again.output
    assert_same_tables(load.read_tables(out), reference_tables([small_corpus]))
    wrong = CliRunner().invoke(app, ["extract", str(small_corpus), "--out", str(out), "--scheduler", "tcp://x:1"])
    assert wrong.exit_code == 2


def test_copies_with_undecodable_names_are_listed_as_text(small_corpus, tmp_path):
    odd = small_corpus / os.fsdecode(b"\xb1\xa8\xb8\xe6.txt")  # a GBK file name on a UTF-8 file system
    shutil.copy(small_corpus / TEXT_REPORTS[0], odd)
    result = corpus_run.run([small_corpus], tmp_path / "out", engine="serial", collect=True)
    reports = result.tables["reports"].set_index("doc_id")
    listed = reports.loc[pipeline.doc_id_of(odd.read_bytes()), "duplicate_paths"]
    assert listed.endswith("\\xb1\\xa8\\xb8\\xe6.txt")
    assert load.read_tables(tmp_path / "out")["reports"].equals(result.tables["reports"])


def test_cross_report_checks_reach_the_checks_table(tmp_path):
    """Last year's 结转下年度 (72) against this year's 上年结转 (18) of the same agency."""
    page = (RAW / "shanghai_gov_office_2019.html").read_text(
        encoding="utf-8")
    (tmp_path / "2019.html").write_text(page, encoding="utf-8")
    (tmp_path / "2020.html").write_text(page.replace("2019年上海市人民政府办公厅", "2020年上海市人民政府办公厅", 1)
                                        .replace("发布日期：2020-01-31", "发布日期：2021-01-29"), encoding="utf-8")
    tables = corpus_run.run([tmp_path], tmp_path / "out", engine="serial", collect=True).tables
    carry = tables["checks"][tables["checks"].check == "cross_year_carryover"]
    assert len(carry) == 2  # 自然人 and 总计
    assert carry.message.str.contains("上年结转").all() and carry.message.str.contains("72").all()
    assert list(tables["checks"].doc_id) == sorted(tables["checks"].doc_id)


def test_batches_come_back_grouped_by_bucket_and_any_order_spills_alike(raw_dir, tmp_path):
    items = [(str(p), p.read_bytes()) for p in iter_input_files([raw_dir]) if p.suffix in (".txt", ".html")]
    bounds = bucket_bounds(4)
    _version, grouped = process_batch(items, bounds=bounds)
    _version, walking_order = process_batch(items)
    doc_ids = grouped["reports"].column("doc_id").to_numpy(zero_copy_only=False)
    buckets = bucket_of(doc_ids, bounds)
    assert list(buckets) == sorted(buckets) and len(set(buckets)) > 1
    unordered = bucket_of(walking_order["reports"].column("doc_id").to_numpy(zero_copy_only=False), bounds)
    assert list(unordered) != sorted(unordered)  # so the spill's own regrouping is exercised too
    parts = {}
    for name, tables in (("grouped", grouped), ("walking", walking_order)):
        spill = Spill(tmp_path / name, bounds)
        spill.add(tables)
        spill.flush()
        parts[name] = {(table, bucket): BucketJob(table, bucket, spill.parts(table, bucket), {}, []).rows()
                       .sort_by([("doc_id", "ascending"), ("_row", "ascending")])
                       for table in schema.TABLES for bucket in range(len(bounds) + 1) if spill.parts(table, bucket)}
    assert parts["grouped"].keys() == parts["walking"].keys()
    assert all(parts["grouped"][key].equals(parts["walking"][key]) for key in parts["grouped"])
