"""The combine: each bucket of each table annotated, checked, sorted, validated and appended to its file.

A bucket's work names files rather than holding rows (`BucketJob`), so it can run in this process or
in the workers of the pool or of a LocalCluster; the parent only writes what comes back, in bucket
order. Checks between reports, and the indicators of change on last year, need the whole run: a
first pass over the buckets keeps only the few columns they read. The output files move into place together at the end (`load.commit_together`).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from govdisclosure import load, schema
from govdisclosure.load import TableWriter
from govdisclosure.run.cache import CACHE_KEY, Cache
from govdisclosure.run.executors import in_order
from govdisclosure.run.memory import release_free_memory
from govdisclosure.run.plan import Plan
from govdisclosure.run.spill import ROW, Spill, bucket_of
from govdisclosure.run.stats import RunStats
from govdisclosure.run.worker import arrow_schema, mapped, read_arrow, write_arrow
from govdisclosure.validate import CROSS_REPORT_MEASURES, cross_report_checks
from govdisclosure.validate.indicator_change import COUNT_COLUMNS, change_rows


@dataclass(frozen=True)
class BucketJob:
    """One table's bucket for the combine: where its rows are, and what the combine adds to them.

    It names files rather than holding rows, so that it costs nothing to send to a pool worker.
    """

    table: str
    bucket: int
    parts: tuple[str, ...]  # spill parts (Arrow IPC files), rows from the incremental cache among them
    copies: dict[str, tuple[str, list[str]]]  # doc_id -> (first path, paths of byte-identical copies)
    cross_rows: list[dict]  # rows between reports (checks, change indicators) for documents in this bucket

    def rows(self) -> pa.Table:
        """The bucket's rows as process_file gave them, plus `_row` (in no particular order)."""
        parts = [read_arrow(path) for path in self.parts]
        return pa.concat_tables(parts) if parts else arrow_schema(self.table).empty_table()


def finish_bucket(job: BucketJob) -> pa.Table:
    """A bucket of one output table: rows annotated, checks between reports added, sorted and validated."""
    table = job.rows()
    # One chunk: pandas' take, in the sort, is many times slower over the hundreds of chunks of the parts.
    frame = _annotate(job.table, table.combine_chunks().to_pandas(types_mapper=_PANDAS_TYPES.get), job.copies)
    if job.cross_rows:
        frame = pd.concat([frame, pd.DataFrame(job.cross_rows, columns=frame.columns)], ignore_index=True)
    frame = schema.finalise(job.table, _added_rows_last(frame), tiebreak=ROW)
    return pa.Table.from_pandas(frame, preserve_index=False)  # its pandas metadata gives the frame back


def finish_bucket_into(folder: str, job: BucketJob) -> str:
    """`finish_bucket` in a pool worker: the table goes to an Arrow IPC file in `folder`, which the
    parent maps, rather than through the pool's pipe (pickling tens of megabytes at both ends would
    cost the parent, who writes the output, as much as the work it hands out)."""
    path = write_arrow(os.path.join(folder, f"{job.table}-{job.bucket:05d}.arrow"), finish_bucket(job))
    release_free_memory()  # a bucket's frames are a hundred megabytes: the next job may be smaller
    return path


def finish_in_workers(submit: Callable, folder: str, limit: int, jobs: Iterable[BucketJob]) -> Iterator[pa.Table]:
    """`finish_bucket` over `jobs` in workers on this machine (`submit` is the pool's or Dask's),
    at most `limit` at a time; tables in order."""
    return map(mapped, in_order(lambda job: submit(finish_bucket_into, folder, job), jobs, limit))



def combine(spill: Spill, plan: Plan, old_cache: Cache | None, out: Path | None, fmt: str,
             stats: RunStats, collect: bool,
             finish: Callable[[Iterable[BucketJob]], Iterator[pa.Table]]) -> dict[str, pd.DataFrame] | None:
    """Validate and write the tables bucket by bucket; refresh the cache; all files move into place at the end.

    `finish` maps `finish_bucket` over the jobs, in order (in this process, or in the workers of the
    pool or of a LocalCluster); this process writes what it returns.
    """
    # Reused rows are decoded from the cache once and join the spill as parts of their buckets:
    # the pass for the checks between reports, the bucket jobs and the new cache all read them.
    for bucket, doc_ids in _by_bucket(plan.reused, spill.bounds).items():
        lo = spill.bounds[bucket - 1] if bucket else None
        hi = spill.bounds[bucket] if bucket < len(spill.bounds) else None
        for name in schema.TABLES:
            cached = old_cache.read(name, lo, hi, [plan.keys[doc_id] for doc_id in doc_ids])
            if cached.num_rows:
                spill.write(name, bucket, [cached])
    writers = {name: TableWriter(out / f"{name}.{fmt}", fmt) for name in schema.TABLES} if out else {}
    generation, cache_writers = old_cache.writers() if old_cache is not None else (None, {})
    duplicates_by_bucket = _by_bucket(plan.duplicates, spill.bounds)
    collected: dict[str, list[pd.DataFrame]] = {name: [] for name in schema.TABLES}
    stats.rows = dict.fromkeys(schema.TABLES, 0)

    def job(name: str, bucket: int, cross_rows: list[dict] | None = None) -> BucketJob:
        copies = {doc_id: (plan.first_source[doc_id], plan.duplicates[doc_id])
                  for doc_id in duplicates_by_bucket.get(bucket, [])} if name in ("reports", "checks") else {}
        return BucketJob(name, bucket, spill.parts(name, bucket), copies, cross_rows or [])

    cross_rows: dict[str, dict[int, list[dict]]] = {}  # table -> bucket -> rows between reports

    def jobs() -> Iterator[BucketJob]:
        for bucket, name in order:
            if name == "checks" and not bucket:
                # Computed here, when the first `checks` job is due, rather than before the first
                # job: the pool's workers are meanwhile finishing the first bucket's other tables.
                cross_rows.update(cross_report_pass(lambda name, bucket: job(name, bucket).rows(), spill.bounds))
            yield job(name, bucket, cross_rows.get(name, {}).get(bucket))

    order = list(itertools.product(range(len(spill.bounds) + 1), schema.TABLES))
    uncacheable: dict[int, set[str]] = {}  # bucket -> documents that hit a limit
    try:
        finished = finish(jobs())
        for (bucket, name), table in zip(order, finished):
            if name in cache_writers:
                if bucket not in uncacheable:
                    uncacheable[bucket] = _limit_errors(job("checks", bucket).rows())
                cache_writers[name].write(_with_keys(job(name, bucket).rows(), plan.keys, uncacheable[bucket]))
            if name in writers:
                writers[name].write(table)
            if collect:
                collected[name].append(table.to_pandas())
            stats.rows[name] += table.num_rows
            if name == "checks":
                severities = table.column("severity")
                stats.errors += pc.sum(pc.equal(severities, "error")).as_py() or 0
                stats.warnings += pc.sum(pc.equal(severities, "warning")).as_py() or 0
            del table  # unmaps a finished bucket's file before the next one
            if name == order[-1][1]:  # the bucket's last table
                release_free_memory()
        for writer in [*writers.values(), *cache_writers.values()]:
            writer.close()
    except BaseException:
        for writer in [*writers.values(), *cache_writers.values()]:
            writer.abort()
        raise
    load.commit_together(writers.values())
    if old_cache is not None:
        old_cache.commit(generation, cache_writers)
    if not collect:
        return None
    return {name: frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
            for name, frames in collected.items()}


def cross_report_pass(bucket_table: Callable[[str, int], pa.Table],
                      bounds: np.ndarray) -> dict[str, dict[int, list[dict]]]:
    """Checks between reports of the same agency (this year's 上年结转 vs last year's 结转下年度 …)
    and the indicators of change on last year (`indicator_change`).

    They need the whole run, so a first pass over the buckets keeps what they read — a few columns
    of `reports`, the handful of measures in `CROSS_REPORT_MEASURES` and the ``count`` indicators —
    and the rows they return are handed back by table and bucket, to be written in order with the
    other rows of `checks` and `indicators`.
    """
    keep = pa.array(sorted(CROSS_REPORT_MEASURES))
    reports, facts, counts = [], [], []
    for bucket in range(len(bounds) + 1):
        # Copied out of the spill parts (by `take`; `to_pandas` would share their buffers), so that
        # no part stays mapped for the rest of the pass.
        table = bucket_table("reports", bucket).select(["doc_id", "agency_name", "report_year", "template"])
        reports.append(table.take(np.arange(table.num_rows)))
        table = bucket_table("facts", bucket).select(["doc_id", "measure", "breakdown", "value", "method"])
        printed = table.filter(pc.and_(pc.is_in(table.column("measure"), keep),
                                       pc.equal(table.column("method"), "table")))
        # Strings as dictionaries: some twenty rows per report are kept for the whole run.
        facts.append(pa.table({"doc_id": pc.dictionary_encode(printed.column("doc_id").combine_chunks()),
                               "measure": pc.dictionary_encode(printed.column("measure").combine_chunks()),
                               "breakdown": pc.dictionary_encode(printed.column("breakdown").combine_chunks()),
                               "value": printed.column("value").combine_chunks()}))
        table = bucket_table("indicators", bucket)
        table = table.filter(pc.equal(table.column("kind"), "count")).select(COUNT_COLUMNS)
        counts.append(pa.table({name: pc.dictionary_encode(table.column(name).combine_chunks())
                                if name != "value" else table.column(name).combine_chunks() for name in COUNT_COLUMNS}))
        del table, printed
        release_free_memory()
    reports_frame = pa.concat_tables(reports).to_pandas()
    rows = {"checks": cross_report_checks(reports_frame, pa.concat_tables(facts).unify_dictionaries().to_pandas()),
            "indicators": change_rows(reports_frame, pa.concat_tables(counts).unify_dictionaries().to_pandas())}
    by_bucket: dict[str, dict[int, list[dict]]] = {}
    for name, table_rows in rows.items():
        for row in table_rows:
            bucket = int(bucket_of(np.array([row["doc_id"]], dtype=str), bounds)[0])
            by_bucket.setdefault(name, {}).setdefault(bucket, []).append(row)
    return by_bucket


def _by_bucket(doc_ids: Iterable[str], bounds: np.ndarray) -> dict[int, list[str]]:
    ordered = sorted(doc_ids)
    by_bucket: dict[int, list[str]] = {}
    for doc_id, bucket in zip(ordered, bucket_of(np.array(ordered, dtype=str), bounds)):
        by_bucket.setdefault(int(bucket), []).append(doc_id)
    return by_bucket


def _limit_errors(checks: pa.Table) -> set[str]:
    """Documents that hit a limit: their result depends on the load of the machine (time) or on
    limits that may change, so it is never cached; the next run tries them again."""
    return set(checks.filter(pc.equal(checks.column("check"), "limit_exceeded")).column("doc_id").to_pylist())


def _with_keys(table: pa.Table, keys: dict[str, str], skip: set[str]) -> pa.Table:
    """Rows for the cache: each with its document's key; files that could not be read and documents
    in `skip` are not cached."""
    column = pa.array([None if doc_id in skip else keys.get(doc_id)
                       for doc_id in table.column("doc_id").to_pylist()], type=pa.string())
    return table.append_column(CACHE_KEY, column).filter(pc.is_valid(column))


_PANDAS_TYPES = {pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype(), pa.int64(): pd.Int64Dtype()}


def _added_rows_last(frame: pd.DataFrame) -> pd.DataFrame:
    """Give the rows added by the combine (notes on copies, checks between reports), which have no
    `_row`, positions after every row process_file gave, in the order they were added: sorted on
    `_row` as the tie-break, each document's rows are then in the order of the sequential loop."""
    given = frame[ROW].to_numpy(dtype="float64", na_value=np.nan)
    added = np.isnan(given)
    if added.any():
        positions = np.where(added, 0, given).astype(np.int64)
        positions[added] = np.iinfo(np.int32).max + np.arange(1, added.sum() + 1)
        frame[ROW] = positions
    return frame




def _annotate(name: str, frame: pd.DataFrame, copies: dict[str, tuple[str, list[str]]]) -> pd.DataFrame:
    """Byte-identical copies (`copies`: doc_id -> first path and the copies' paths): listed on the first
    path's reports row, and noted in checks."""
    if name not in ("reports", "checks") or not copies:
        return frame
    if name == "reports":
        listed = {doc_id: ";".join(paths) for doc_id, (_, paths) in copies.items()}
        frame["duplicate_paths"] = [";".join(filter(None, [given, listed.get(doc_id, "")]))
                                    for doc_id, given in zip(frame.doc_id, frame.duplicate_paths)]
        return frame
    notes = [{"doc_id": doc_id, "check": "duplicate_file", "severity": "info",
              "message": f"{copy} is byte-identical to {first}"}
             for doc_id, (first, paths) in copies.items() for copy in paths]
    return pd.concat([frame, pd.DataFrame(notes, columns=frame.columns)], ignore_index=True)
