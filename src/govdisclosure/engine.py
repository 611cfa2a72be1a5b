"""The corpus runner: `process_file` mapped over many files on one core, a process pool or Dask.

A national corpus is hundreds of thousands of reports, so the runner is shaped around two limits:
every core must be busy, and memory must be bounded by a batch, never by the corpus. The parent
process walks the inputs in a fixed order, reads and hashes each file (that is where byte-identical
copies are set aside and, with `incremental`, where unchanged files are taken from the cache), and
ships batches of raw bytes to the engine. Because the bytes travel with the task, the same batch
function runs in-process (`serial`), in a `concurrent.futures` process pool (`pool`) or on a
dask.distributed cluster (`dask`) — local or remote, without a shared filesystem for the inputs —
and all three return the same Arrow tables (a worker of the pool or of a LocalCluster hands them
over as Arrow IPC files in the spill folder, which the parent maps: through the pool's pipe they
cost the parent a third of its time). Results are not kept: they are cut into buckets by `doc_id`
range (workers return each batch grouped by bucket, so the parent only slices) and spilled to Arrow
IPC parts in a temporary folder next to the output. Every table's sort key starts with `doc_id`, so
the combine step can validate and sort one bucket at a time (in the workers, unless they may be on
another machine) and append it to the output file as a row group; the concatenation is the globally
sorted table, identical whatever the engine, the worker count or the order in which batches
finished. Checks that compare reports with each other (the same agency's consecutive years) need
the whole run, so a first pass over the buckets keeps only the few columns they read. The five
output files are written to temporary names and moved into place only when all are complete.

The incremental cache lives in `<out>/.cache/`: one Parquet file per table holding the rows each
document produced before duplicates were annotated, keyed by the document's content hash, its path
and the per-document limits (`cache_key`), plus `manifest.json` naming the extractor version and the current generation of
files. A new generation is written beside the old one and the manifest is swapped last, so an
interrupted run leaves a usable cache. The version (`EXTRACTOR_VERSION`) hashes the package's code
and data and the versions of the libraries that read documents, so any change that could change
a row invalidates every entry.
"""

from __future__ import annotations

import ctypes
import hashlib
import itertools
import json
import math
import multiprocessing
import os
import shutil
import stat
import sys
import tempfile
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor
from concurrent.futures import wait as wait_futures
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import cache, partial
from importlib import metadata as importlib_metadata
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq
from tqdm import tqdm

from govdisclosure import __version__, load, schema
from govdisclosure.limits import DEFAULT as DEFAULT_LIMITS
from govdisclosure.limits import Limits
from govdisclosure.load import TableWriter
from govdisclosure.pipeline import doc_id_of, iter_input_files, process_file
from govdisclosure.validate import CROSS_REPORT_MEASURES, cross_report_checks
from govdisclosure.walk import display_path

ENGINES = ("serial", "pool", "dask")
BATCH_DOCS = 64  # ~0.3 s of text reports; 32 cost the parent 0.5 CPU-s more per 10k (5 files a batch)
BATCH_BYTES = 1 << 20  # PDFs are slow per byte (0.1 s a page): three or four per batch keep workers even
READ_MAX_BYTES = 64 << 20  # larger files are read by the worker (no dedupe, no cache): see _Plan.items
DOCS_PER_BUCKET = 2000  # one bucket of every table fits comfortably in memory at the combine
SPILL_BUFFER_BYTES = 128 << 20  # results held before they are written out as Arrow IPC parts
CACHE_DIR = ".cache"
_ROW = "_row"  # position of a row within its document: keeps ties in the sort keys deterministic
_KEY = "cache_key"
_READER_LIBRARIES = ("opencc", "jieba", "cpca", "pdfplumber", "pdfminer.six", "pypdfium2", "python-docx", "lxml",
                     "beautifulsoup4", "charset-normalizer")


def _extractor_version() -> str:
    """The package version plus a hash of its source, its data and the readers' library versions."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".csv", ".txt") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for library in _READER_LIBRARIES:
        try:
            digest.update(f"{library}=={importlib_metadata.version(library)}\0".encode())
        except importlib_metadata.PackageNotFoundError:
            digest.update(f"{library} missing\0".encode())
    return f"{__version__}+{digest.hexdigest()[:12]}"


EXTRACTOR_VERSION = _extractor_version()

Item = tuple[str, bytes | None]  # (path as given, its bytes; None: the worker reads it, or says why it cannot)


# ---------------------------------------------------------------------------------------------
# The work: runs in the worker processes (or in-process for the serial engine).

_ARROW_TYPES = {"string": pa.string(), "Int64": pa.int64(), "float64": pa.float64()}
_ROW_FIELD = pa.field(_ROW, pa.int32())

# A small report in the 2021 format: processing it loads everything a real document needs.
_WARM_UP_REPORT = """宿州市统计局2021年政府信息公开工作年度报告
一、总体情况
2021年，宿州市统计局主动公开政府信息120条，其中工作动态类信息80条。
二、主动公开政府信息情况
第二十条第（一）项	信息内容	本年制发件数	本年废止件数	现行有效件数
规章	0	0	0
三、收到和处理政府信息公开申请情况
本年新收政府信息公开申请数量	3
四、政府信息公开行政复议、行政诉讼情况
行政复议	0
五、存在的主要问题及改进情况
无。
六、其他需要报告的事项
無。
宿州市统计局
2022年1月20日
"""


@cache
def row_schema(table: str) -> pa.Schema:
    """The Arrow schema of one table's rows as process_file gives them."""
    return pa.schema([pa.field(c.name, _ARROW_TYPES[c.dtype]) for c in schema.columns(table)])


@cache
def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of one table as the workers return it: the row schema plus `_row`."""
    return row_schema(table).append(_ROW_FIELD)


def warm_up() -> None:
    """Pay the per-process start-up (OpenCC, gazetteer, readers, jieba) once, before the first batch."""
    from govdisclosure.transform.narrative import grammar as narrative_grammar

    process_file(Path("warm-up.txt"), _WARM_UP_REPORT.encode())
    narrative_grammar.words("政府信息公开")  # jieba loads lazily, only when a category list needs it


def process_batch(items: list[Item], limits: Limits | None = None,
                  bounds: np.ndarray | None = None) -> tuple[str, dict[str, pa.Table]]:
    """Run `process_file` over a batch; return the worker's extractor version and one Arrow table per table.

    With the `bounds` of the run's buckets, documents come out grouped by bucket (in the order of
    the batch within a bucket), so that the parent cuts the tables into buckets by slicing instead
    of gathering rows; a worker's sort of a few dozen documents is free, the parent's gather is not.
    """
    rows: dict[str, list[dict]] = {name: [] for name in schema.TABLES}
    positions: dict[str, list[int]] = {name: [] for name in schema.TABLES}
    results = [process_file(Path(path), data, limits=limits) for path, data in items]
    if bounds is not None and results:
        buckets = _bucket_of(np.array([r.reports[0]["doc_id"] for r in results], dtype=str), bounds)
        results = [results[i] for i in np.argsort(buckets, kind="stable")]
    for result in results:
        for name in schema.TABLES:
            produced = getattr(result, name)
            rows[name].extend(produced)
            positions[name].extend(range(len(produced)))
    tables = {}
    for name, table_rows in rows.items():
        # The rows as they are (no per-row copy to add `_row`): a third less conversion time.
        table = pa.Table.from_pylist(table_rows, schema=row_schema(name))
        tables[name] = table.append_column(_ROW_FIELD, pa.array(positions[name], type=pa.int32()))
    return EXTRACTOR_VERSION, tables


def _process_batch_into(folder: str, items: list[Item], limits: Limits | None,
                        bounds: np.ndarray | None) -> tuple[str, dict[str, str]]:
    """`process_batch` in a pool worker: each table goes to an Arrow IPC file in `folder` (named in the
    result), which the parent maps. Through the pool's pipe, the results (three times the size of
    the input) cost the parent a third of its time, receiving and unpickling them."""
    version, tables = process_batch(items, limits, bounds)
    stem = os.path.join(folder, f"batch-{uuid.uuid4().hex}")
    return version, {name: _write_arrow(f"{stem}-{name}.arrow", table) for name, table in tables.items()}


def _write_arrow(path: str, table: pa.Table) -> str:
    with pa.ipc.new_file(path, table.schema) as writer:
        writer.write_table(table)
    return path


def _read_arrow(path: str) -> pa.Table:
    """An Arrow IPC file, memory-mapped: no copy, and pages are read only where columns are used."""
    with pa.memory_map(path) as source:
        return pa.ipc.open_file(source).read_all()


def _mapped(path: str) -> pa.Table:
    """An Arrow IPC file written by a worker, mapped; the file is removed at once (the mapping stays
    valid until the table is dropped, and the disk holds no copy that nobody needs)."""
    table = _read_arrow(path)
    os.unlink(path)
    return table


def _warm_up_plugin():
    """A Dask worker plugin that runs `warm_up` in every worker as it joins the cluster.

    Built on demand so that importing this module does not import distributed (0.6 s) for the
    serial and pool engines; cloudpickle ships the class to the workers by value.
    """
    from distributed import WorkerPlugin

    class WarmUp(WorkerPlugin):
        def setup(self, worker) -> None:
            warm_up()

    return WarmUp()


# ---------------------------------------------------------------------------------------------
# Engines: each maps `process_batch` over batches with a bounded number of batches in flight, so
# that neither the inputs read ahead nor the results waiting to be spilled grow with the corpus.

Results = Iterator[tuple[int, tuple[str, dict[str, pa.Table]]]]  # (documents in the batch, result)


def _serial(batches: Iterable[list[Item]], limits: Limits, bounds: np.ndarray) -> Results:
    for batch in batches:
        yield len(batch), process_batch(batch, limits, bounds)


def _bounded(submit: Callable, wait_first: Callable, batches: Iterable[list[Item]], limit: int) -> Results:
    """Keep at most `limit` batches submitted; yield results as they complete."""
    pending: dict = {}
    for batch in batches:
        pending[submit(batch)] = len(batch)
        while len(pending) >= limit:
            for future in wait_first(list(pending)):
                yield pending.pop(future), future.result()
    while pending:
        for future in wait_first(list(pending)):
            yield pending.pop(future), future.result()


def _start_pool(workers: int) -> ProcessPoolExecutor:
    # forkserver, not fork: the parent holds Arrow's thread pools, which a fork could copy mid-lock.
    # The server preloads this module, so each worker starts from an imported package.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return ProcessPoolExecutor(workers, mp_context=context, initializer=warm_up)


def _pool(pool: ProcessPoolExecutor, folder: str, batches: Iterable[list[Item]], workers: int, limits: Limits,
          bounds: np.ndarray) -> Results:
    yield from _from_files(_bounded(lambda batch: pool.submit(_process_batch_into, folder, batch, limits, bounds),
                                    lambda fs: wait_futures(fs, return_when=FIRST_COMPLETED).done, batches,
                                    2 * workers))


def _from_files(results: Iterator[tuple[int, tuple[str, dict[str, str]]]]) -> Results:
    """Results of `_process_batch_into` as tables."""
    for n_docs, (version, paths) in results:
        yield n_docs, (version, {name: _mapped(path) for name, path in paths.items()})


def _in_order(submit: Callable, jobs: Iterable, limit: int) -> Iterator:
    """Keep at most `limit` jobs submitted; yield their results in the order of `jobs`."""
    pending: deque = deque()
    for job in jobs:
        pending.append(submit(job))
        if len(pending) >= limit:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _start_dask(stack: ExitStack, workers: int, scheduler: str | None):
    """A dask.distributed client (closed with `stack`): of the cluster at `scheduler`, or of a LocalCluster."""
    import logging

    import dask
    from distributed import Client, LocalCluster

    # Each batched stream keeps its last `low-level-log-length` messages under 1 MB (1,000 by
    # default) for debugging, and a task's message carries its batch of documents (up to 1 MB):
    # the client, and a LocalCluster's scheduler on its streams to the workers, held the inputs
    # of the last thousand batches, 500 MB of the client's 1.2 GB at 100k reports.
    stack.enter_context(dask.config.set({"distributed.admin.low-level-log-length": 0}))
    if scheduler:
        client = stack.enter_context(Client(scheduler))
    else:
        # One single-threaded worker process per core: the extractors are pure Python and hold the GIL.
        cluster = stack.enter_context(LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                   dashboard_address=None, silence_logs=logging.ERROR))
        client = stack.enter_context(Client(cluster))
    client.register_plugin(_warm_up_plugin(), name="govdisclosure-warm-up")
    return client


def _dask(client, folder: str | None, batches: Iterable[list[Item]], limits: Limits, bounds: np.ndarray) -> Results:
    """Batches on a Dask cluster; with `folder` (a LocalCluster's workers share this machine's disk)
    the results come back as files, as from the pool, otherwise by value."""
    from distributed import wait as wait_dask

    limit = 2 * max(1, sum(client.nthreads().values()))
    wait_first = lambda fs: wait_dask(fs, return_when="FIRST_COMPLETED").done
    if folder is None:
        yield from _bounded(lambda batch: client.submit(process_batch, batch, limits, bounds, pure=False),
                            wait_first, batches, limit)
    else:
        yield from _from_files(_bounded(
            lambda batch: client.submit(_process_batch_into, folder, batch, limits, bounds, pure=False),
            wait_first, batches, limit))


def default_workers() -> int:
    """Every core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS and Windows have no affinity call
        return os.cpu_count() or 1


# ---------------------------------------------------------------------------------------------
# Planning: the parent's walk over the inputs, in order (dedupe and cache decisions live here).

def cache_key(doc_id: str, source_path: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """A document's cache key: its content, its path (rows carry the path) and the limits it ran under
    (a document that hit a limit gives other rows under other limits)."""
    return hashlib.sha256(f"{doc_id}\0{source_path}\0{limits!r}".encode()).hexdigest()[:32]


@dataclass
class _Plan:
    """What the walk decided: first path per content, duplicate paths, keys and reused documents."""

    cached: frozenset[str] = frozenset()  # keys in the cache (empty when not incremental)
    incremental: bool = False
    limits: Limits = DEFAULT_LIMITS
    first_source: dict[str, str] = field(default_factory=dict)
    duplicates: dict[str, list[str]] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)  # doc_id -> cache_key, incremental only
    reused: set[str] = field(default_factory=set)  # doc_ids taken from the cache
    input_bytes: int = 0
    processed: int = 0

    def items(self, files: list[Path], skipped: Callable[[], None]) -> Iterator[Item]:
        """The files that need processing, in walking order; `skipped` is called for each one that does not."""
        for path in files:
            source = str(path)
            shown = display_path(source)  # what process_file writes as source_path
            try:
                info = path.stat()
                # Only regular files of sane size are read here: a named pipe would block the walk,
                # and a huge file is process_file's to refuse without holding it in memory.
                data = path.read_bytes() if stat.S_ISREG(info.st_mode) and info.st_size <= READ_MAX_BYTES else None
            except OSError:
                data = None
            if data is None:
                self.processed += 1
                yield source, None  # process_file reads it itself, or reports why it cannot
                continue
            self.input_bytes += len(data)
            doc_id = doc_id_of(data)
            if doc_id in self.first_source:
                self.duplicates.setdefault(doc_id, []).append(shown)
                skipped()
                continue
            self.first_source[doc_id] = shown
            if self.incremental:
                key = self.keys[doc_id] = cache_key(doc_id, shown, self.limits)
                if key in self.cached:
                    self.reused.add(doc_id)
                    skipped()
                    continue
            self.processed += 1
            yield source, data


def _batches(items: Iterable[Item], max_docs: int, max_bytes: int) -> Iterator[list[Item]]:
    batch: list[Item] = []
    size = 0
    for item in items:
        batch.append(item)
        size += len(item[1] or b"")
        if len(batch) >= max_docs or size >= max_bytes:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


# ---------------------------------------------------------------------------------------------
# Buckets and the spill folder.

def bucket_bounds(n_buckets: int) -> np.ndarray:
    """Lower `doc_id` bounds of buckets 1..n-1: equal slices of the (uniform) hash space."""
    return np.array([f"{math.ceil(b * 2 ** 32 / n_buckets):08x}" for b in range(1, n_buckets)], dtype=str)


def _bucket_of(doc_ids: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    if not len(bounds):
        return np.zeros(len(doc_ids), dtype=np.intp)
    return np.searchsorted(bounds, doc_ids.astype(str), side="right")


class _Spill:
    """Per-bucket Arrow IPC parts of the results, buffered in memory up to `SPILL_BUFFER_BYTES`.

    Workers return each batch grouped by bucket, so cutting it into buckets is slicing (no copy);
    when the buffer is written out, a bucket's slices become the record batches of one part.
    """

    def __init__(self, folder: Path, bounds: np.ndarray):
        self.folder, self.bounds = folder, bounds
        self.buffers: dict[str, dict[int, list[pa.Table]]] = {}  # table -> bucket -> slices of batches
        self.buffered = 0
        self.written = 0  # part files, numbered in the order they were written

    def add(self, tables: dict[str, pa.Table]) -> None:
        """Buffer one batch's tables, cut into their buckets (by slicing: see `process_batch`)."""
        for name, table in tables.items():
            if not table.num_rows:
                continue
            buckets = _bucket_of(table.column("doc_id").to_numpy(zero_copy_only=False), self.bounds)
            if np.any(buckets[1:] < buckets[:-1]):  # not grouped by bucket (no bounds were given)
                order = np.argsort(buckets, kind="stable")
                table, buckets = table.take(order), buckets[order]
            starts = np.searchsorted(buckets, np.arange(len(self.bounds) + 2))
            parts = self.buffers.setdefault(name, {})
            for bucket in np.unique(buckets):
                parts.setdefault(int(bucket), []).append(
                    table.slice(starts[bucket], starts[bucket + 1] - starts[bucket]))
            self.buffered += table.nbytes
        if self.buffered > SPILL_BUFFER_BYTES:
            self.flush()

    def flush(self) -> None:
        for name, by_bucket in self.buffers.items():
            for bucket, parts in by_bucket.items():
                self.write(name, bucket, parts)
        self.buffers.clear()
        self.buffered = 0
        _release_free_memory()

    def write(self, name: str, bucket: int, parts: list[pa.Table]) -> None:
        """One part file of a table's bucket, whose record batches are `parts`."""
        folder = self.folder / name / f"{bucket:05d}"
        folder.mkdir(parents=True, exist_ok=True)
        # Arrow IPC, not Parquet, and the slices as they are (one record batch each): the parts
        # live for one run, so writing and reading them must cost the parent next to nothing (no
        # encoding, no decoding, no copy but the write itself).
        with pa.ipc.new_file(folder / f"{self.written:06d}.arrow", parts[0].schema) as writer:
            for part in parts:
                writer.write_table(part)
        self.written += 1

    def parts(self, name: str, bucket: int) -> tuple[str, ...]:
        """The files of one table's bucket, in the order they were written."""
        return tuple(str(path) for path in sorted((self.folder / name / f"{bucket:05d}").glob("*.arrow")))


# ---------------------------------------------------------------------------------------------
# Writing: output tables appended bucket by bucket, moved into place together at the end.

@dataclass(frozen=True)
class _BucketJob:
    """One table's bucket for the combine: where its rows are, and what the combine adds to them.

    It names files rather than holding rows, so that it costs nothing to send to a pool worker.
    """

    table: str
    bucket: int
    parts: tuple[str, ...]  # spill parts (Arrow IPC files), rows from the incremental cache among them
    copies: dict[str, tuple[str, list[str]]]  # doc_id -> (first path, paths of byte-identical copies)
    cross_checks: list[dict]  # rows of `checks` between reports, for documents in this bucket

    def rows(self) -> pa.Table:
        """The bucket's rows as process_file gave them, plus `_row` (in no particular order)."""
        parts = [_read_arrow(path) for path in self.parts]
        return pa.concat_tables(parts) if parts else arrow_schema(self.table).empty_table()


def _finish_bucket(job: _BucketJob) -> pa.Table:
    """A bucket of one output table: rows annotated, checks between reports added, sorted and validated."""
    table = job.rows()
    # One chunk: pandas' take, in the sort, is many times slower over the hundreds of chunks of the parts.
    frame = _annotate(job.table, table.combine_chunks().to_pandas(types_mapper=_PANDAS_TYPES.get), job.copies)
    if job.cross_checks:
        frame = pd.concat([frame, pd.DataFrame(job.cross_checks, columns=frame.columns)], ignore_index=True)
    frame = schema.finalise(job.table, _added_rows_last(frame), tiebreak=_ROW)
    return pa.Table.from_pandas(frame, preserve_index=False)  # its pandas metadata gives the frame back


def _finish_bucket_into(folder: str, job: _BucketJob) -> str:
    """`_finish_bucket` in a pool worker: the table goes to an Arrow IPC file in `folder`, which the
    parent maps, rather than through the pool's pipe (pickling tens of megabytes at both ends would
    cost the parent, who writes the output, as much as the work it hands out)."""
    path = _write_arrow(os.path.join(folder, f"{job.table}-{job.bucket:05d}.arrow"), _finish_bucket(job))
    _release_free_memory()  # a bucket's frames are a hundred megabytes: the next job may be smaller
    return path


def _finish_in_workers(submit: Callable, folder: str, limit: int, jobs: Iterable[_BucketJob]) -> Iterator[pa.Table]:
    """`_finish_bucket` over `jobs` in workers on this machine (`submit` is the pool's or Dask's),
    at most `limit` at a time; tables in order."""
    return map(_mapped, _in_order(lambda job: submit(_finish_bucket_into, folder, job), jobs, limit))


class _Cache:
    """Earlier results in `<out>/.cache/`, valid for one `EXTRACTOR_VERSION` (see the module docstring)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.generation: str | None = None
        self.keys: frozenset[str] = frozenset()
        manifest = folder / "manifest.json"
        if manifest.exists():
            meta = json.loads(manifest.read_text(encoding="utf-8"))
            if meta.get("extractor_version") == EXTRACTOR_VERSION and self._path("reports", meta["generation"]).exists():
                self.generation = meta["generation"]
                reports = pq.read_table(self._path("reports", self.generation), columns=[_KEY])
                self.keys = frozenset(reports.column(_KEY).to_pylist())

    def _path(self, name: str, generation: str) -> Path:
        return self.folder / f"{name}-{generation}.parquet"

    def read(self, name: str, lo: str | None, hi: str | None, keys: list[str]) -> pa.Table:
        """The cached rows of `name` for `keys`, whose doc_ids lie in [lo, hi) (pruned by row-group statistics)."""
        condition = ds.field(_KEY).isin(keys)
        if lo is not None:
            condition &= ds.field("doc_id") >= lo
        if hi is not None:
            condition &= ds.field("doc_id") < hi
        table = ds.dataset(self._path(name, self.generation), format="parquet").to_table(filter=condition)
        return table.drop_columns([_KEY])

    def writers(self) -> tuple[str, dict[str, TableWriter]]:
        self.folder.mkdir(parents=True, exist_ok=True)
        generation = uuid.uuid4().hex[:12]
        return generation, {name: TableWriter(self._path(name, generation), "parquet") for name in schema.TABLES}

    def commit(self, generation: str, writers: dict[str, TableWriter]) -> None:
        load.commit_together(writers.values())
        fd, tmp = tempfile.mkstemp(prefix=".manifest.", suffix=".tmp", dir=self.folder)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"extractor_version": EXTRACTOR_VERSION, "generation": generation}, fh)
        os.replace(tmp, self.folder / "manifest.json")
        for old in self.folder.glob("*.parquet"):
            if not old.name.endswith(f"-{generation}.parquet"):
                old.unlink()


# ---------------------------------------------------------------------------------------------
# The run.

@dataclass
class RunStats:
    """What a run did, for the command line's summary, the benchmarks and the tests."""

    engine: str
    workers: int
    files: int = 0
    processed: int = 0  # documents sent to process_file
    reused: int = 0  # documents taken from the incremental cache
    duplicates: int = 0  # byte-identical copies (no row of their own)
    input_bytes: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    warnings: int = 0
    seconds: float = 0.0


@dataclass
class RunResult:
    stats: RunStats
    tables: dict[str, pd.DataFrame] | None = None  # only when the run was asked to collect them


def run(paths: list[str | Path], out_dir: str | Path | None = None, fmt: str = "parquet", *,
        engine: str = "pool", workers: int | None = None, scheduler: str | None = None,
        incremental: bool = False, batch_size: int = BATCH_DOCS, progress: bool = False,
        collect: bool = False, limits: Limits | None = None) -> RunResult:
    """Extract every report under `paths` and write the five tables to `out_dir`.

    Args:
        paths: files and folders (searched recursively, see `pipeline.iter_input_files`).
        out_dir: folder for the tables; None only with `collect` (nothing is written).
        fmt: "parquet" or "csv".
        engine: "serial" (this process), "pool" (a process pool) or "dask" (dask.distributed).
        workers: worker processes for the pool and for a local Dask cluster; default every core.
            Ignored when `scheduler` names an existing cluster.
        scheduler: address of a running Dask scheduler; None starts a LocalCluster.
        incremental: reuse results in `<out_dir>/.cache/` for files whose bytes, path and
            extractor version are unchanged, and refresh the cache.
        batch_size: documents per task (fewer when a batch reaches `BATCH_BYTES`).
        progress: progress bar on stderr.
        collect: also return the tables as DataFrames (memory then grows with the corpus).
        limits: per-document limits (time, sizes, pages); `govdisclosure.limits.DEFAULT` when None.

    Returns:
        The run's statistics, and the tables when `collect` is set.
    """
    started = time.perf_counter()
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if fmt not in load.FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(load.FORMATS)}")
    if out_dir is None and (incremental or not collect):
        raise ValueError("an output folder is needed unless the tables are only collected")
    workers = workers or default_workers()
    files = iter_input_files(paths)
    if engine == "pool" and workers == 1:
        engine = "serial"
    bounds = bucket_bounds(max(1, math.ceil(len(files) / DOCS_PER_BUCKET)))
    out = Path(out_dir) if out_dir is not None else None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(out)
    old_cache = _Cache(out / CACHE_DIR) if incremental else None
    limits = limits or DEFAULT_LIMITS
    plan = _Plan(cached=old_cache.keys if old_cache else frozenset(), incremental=incremental, limits=limits)

    with ExitStack() as stack:
        spill_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix=".govdisclosure-spill-", dir=out))
        bar = stack.enter_context(tqdm(total=len(files), desc="extract", unit="doc", disable=not progress,
                                       file=sys.stderr))
        spill = _Spill(Path(spill_dir), bounds)
        batches = _batches(plan.items(files, lambda: bar.update(1)), batch_size, BATCH_BYTES)
        if engine == "pool":
            # A pool is worth starting only when there is more than one batch to share out (a small
            # corpus, or an incremental run with little to redo, is done faster in this process).
            head = list(itertools.islice(batches, 2))
            batches = itertools.chain(head, batches)
            engine = engine if len(head) == 2 else "serial"
        stats = RunStats(engine, 1 if engine == "serial" else workers, files=len(files))
        # The combine's work on each bucket runs in this process, or in the workers of the pool or of
        # a LocalCluster (they read the spill parts from this machine's disk).
        finish: Callable[[Iterable[_BucketJob]], Iterator[pa.Table]] = partial(map, _finish_bucket)
        if engine == "serial":
            results = _serial(batches, limits, bounds)
        elif engine == "pool":
            pool = stack.enter_context(_start_pool(workers))
            results = _pool(pool, spill_dir, batches, workers, limits, bounds)
            finish = partial(_finish_in_workers, pool.submit, spill_dir, 2 * workers)
        else:
            client = _start_dask(stack, workers, scheduler)
            local = None if scheduler else spill_dir  # a remote cluster's workers may not see this disk
            results = _dask(client, local, batches, limits, bounds)
            if local:
                finish = partial(_finish_in_workers, partial(client.submit, pure=False), local, 2 * workers)
        for n_docs, (version, tables) in results:
            # Workers this machine started import the same installation (a file edited while they
            # start is a developer's race, not a mismatch); a remote cluster may run other code.
            if scheduler and version != EXTRACTOR_VERSION:
                raise RuntimeError(f"a worker runs extractor {version}, this process {EXTRACTOR_VERSION}: "
                                   "install the same govdisclosure on every worker")
            spill.add(tables)
            bar.update(n_docs)
        spill.flush()
        tables = _combine(spill, plan, old_cache, out, fmt, stats, collect, finish)

    stats.processed, stats.reused, stats.input_bytes = plan.processed, len(plan.reused), plan.input_bytes
    stats.duplicates = sum(len(paths) for paths in plan.duplicates.values())
    stats.seconds = time.perf_counter() - started
    return RunResult(stats, tables)


def _remove_leftovers(out: Path) -> None:
    """Spill folders and half-written tables of a run that was killed (kill -9 skips every clean-up).

    A run owns its output folder (two runs writing one folder would overwrite each other's tables
    anyway), so whatever temporary files are there at the start belong to a run that is gone.
    """
    for leftover in out.glob(".govdisclosure-spill-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for name in schema.TABLES:
        for leftover in out.glob(f".{name}.*.tmp"):
            leftover.unlink(missing_ok=True)


def _combine(spill: _Spill, plan: _Plan, old_cache: _Cache | None, out: Path | None, fmt: str,
             stats: RunStats, collect: bool,
             finish: Callable[[Iterable[_BucketJob]], Iterator[pa.Table]]) -> dict[str, pd.DataFrame] | None:
    """Validate and write the tables bucket by bucket; refresh the cache; all files move into place at the end.

    `finish` maps `_finish_bucket` over the jobs, in order (in this process, or in the workers of the
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

    def job(name: str, bucket: int, cross_checks: list[dict] | None = None) -> _BucketJob:
        copies = {doc_id: (plan.first_source[doc_id], plan.duplicates[doc_id])
                  for doc_id in duplicates_by_bucket.get(bucket, [])} if name in ("reports", "checks") else {}
        return _BucketJob(name, bucket, spill.parts(name, bucket), copies, cross_checks or [])

    cross_checks: dict[int, list[dict]] = {}

    def jobs() -> Iterator[_BucketJob]:
        for bucket, name in order:
            if name == "checks" and not bucket:
                # Computed here, when the first `checks` job is due, rather than before the first
                # job: the pool's workers are meanwhile finishing the first bucket's other tables.
                cross_checks.update(_cross_report_checks(lambda name, bucket: job(name, bucket).rows(),
                                                         spill.bounds))
            yield job(name, bucket, cross_checks.get(bucket) if name == "checks" else None)

    order = list(itertools.product(range(len(spill.bounds) + 1), schema.TABLES))
    try:
        finished = finish(jobs())
        for (bucket, name), table in zip(order, finished):
            if name in cache_writers:
                cache_writers[name].write(_with_keys(job(name, bucket).rows(), plan.keys))
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
                _release_free_memory()
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


def _cross_report_checks(bucket_table: Callable[[str, int], pa.Table], bounds: np.ndarray) -> dict[int, list[dict]]:
    """Checks between reports of the same agency (this year's 上年结转 vs last year's 结转下年度 …).

    They need the whole run, so a first pass over the buckets keeps what they read — a few columns
    of `reports` and the handful of measures in `CROSS_REPORT_MEASURES` — and the rows they return
    are handed back by bucket, to be written in order with the other checks.
    """
    keep = pa.array(sorted(CROSS_REPORT_MEASURES))
    reports, facts = [], []
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
        del table, printed
        _release_free_memory()
    rows = cross_report_checks(pa.concat_tables(reports).to_pandas(),
                               pa.concat_tables(facts).unify_dictionaries().to_pandas())
    by_bucket: dict[int, list[dict]] = {}
    for row in rows:
        by_bucket.setdefault(int(_bucket_of(np.array([row["doc_id"]], dtype=str), bounds)[0]), []).append(row)
    return by_bucket


def _by_bucket(doc_ids: Iterable[str], bounds: np.ndarray) -> dict[int, list[str]]:
    ordered = sorted(doc_ids)
    by_bucket: dict[int, list[str]] = {}
    for doc_id, bucket in zip(ordered, _bucket_of(np.array(ordered, dtype=str), bounds)):
        by_bucket.setdefault(int(bucket), []).append(doc_id)
    return by_bucket


def _with_keys(table: pa.Table, keys: dict[str, str]) -> pa.Table:
    """Rows for the cache: each with its document's key; files that could not be read are not cached."""
    column = pa.array([keys.get(doc_id) for doc_id in table.column("doc_id").to_pylist()], type=pa.string())
    return table.append_column(_KEY, column).filter(pc.is_valid(column))


_PANDAS_TYPES = {pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype(), pa.int64(): pd.Int64Dtype()}


def _added_rows_last(frame: pd.DataFrame) -> pd.DataFrame:
    """Give the rows added by the combine (notes on copies, checks between reports), which have no
    `_row`, positions after every row process_file gave, in the order they were added: sorted on
    `_row` as the tie-break, each document's rows are then in the order of the sequential loop."""
    given = frame[_ROW].to_numpy(dtype="float64", na_value=np.nan)
    added = np.isnan(given)
    if added.any():
        positions = np.where(added, 0, given).astype(np.int64)
        positions[added] = np.iinfo(np.int32).max + np.arange(1, added.sum() + 1)
        frame[_ROW] = positions
    return frame


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to do
        return None


def _release_free_memory() -> None:
    """Hand memory that Arrow's allocator and glibc keep after it was freed back to the system.

    The parent receives results of about a megabyte per batch, and a pool worker finishing a bucket
    builds frames of a hundred megabytes; once freed, the space stays in the allocators' arenas,
    fragmented, and a process grows although it holds no more data. Dask's nanny does the same for
    its workers by setting ``MALLOC_TRIM_THRESHOLD_``.
    """
    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


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
