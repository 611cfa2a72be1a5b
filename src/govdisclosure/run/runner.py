"""`run`: plan the inputs, start an engine, spill its results, combine them into the output tables.

The steps live in their own modules (`plan`, `executors`, `spill`, `combine`, `cache`); this one
wires them together for one run and owns the output folder while it runs.
"""

from __future__ import annotations

import errno
import itertools
import math
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from functools import partial
from pathlib import Path

import numpy as np
import pyarrow as pa

from govdisclosure import load
from govdisclosure.extract import SUFFIXES
from govdisclosure.limits import DEFAULT as DEFAULT_LIMITS
from govdisclosure.limits import Limits
from govdisclosure.run import outdir
from govdisclosure.run.cache import CACHE_DIR, Cache
from govdisclosure.run.combine import BucketJob, combine, finish_bucket, finish_in_workers
from govdisclosure.run.executors import (
    dask_results,
    default_workers,
    pool_results,
    serial,
    start_dask,
    start_pool,
)
from govdisclosure.run.plan import BATCH_BYTES, BATCH_DOCS, Plan, into_batches, iter_input_files
from govdisclosure.run.progress import progress_bar
from govdisclosure.run.spill import DOCS_PER_BUCKET, Spill, bucket_bounds
from govdisclosure.run.stats import RunResult, RunStats
from govdisclosure.run.version import EXTRACTOR_VERSION

ENGINES = ("serial", "pool", "dask")


class NoInputError(ValueError):
    """The inputs hold no report file: more likely a failed mount or a wrong path than an empty corpus."""


def run(paths: list[str | Path], out_dir: str | Path | None = None, fmt: str = "parquet", *,
        engine: str = "pool", workers: int | None = None, scheduler: str | None = None,
        incremental: bool = False, batch_size: int = BATCH_DOCS, progress: bool = False,
        collect: bool = False, limits: Limits | None = None, allow_empty: bool = False) -> RunResult:
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
        progress: progress on stderr: a bar on a terminal, else a plain line every 30 s (`run.progress`).
        collect: also return the tables as DataFrames (memory then grows with the corpus).
        limits: per-document limits (time, sizes, pages); `govdisclosure.limits.DEFAULT` when None.
        allow_empty: write empty tables when the inputs hold no report file at all.

    Returns:
        The run's statistics, and the tables when `collect` is set.

    Raises:
        NoInputError: No report file under `paths` (a failed mount, a wrong path) and not
            `allow_empty`; nothing is written, so the previous tables stay.
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
    if not files and not allow_empty:
        raise NoInputError(f"no report files ({', '.join(SUFFIXES)}) in {', '.join(map(str, paths))}; "
                           "the previous tables are kept (--allow-empty writes empty ones)")
    if engine == "pool" and workers == 1:
        engine = "serial"
    bounds = bucket_bounds(max(1, math.ceil(len(files) / DOCS_PER_BUCKET)))
    out = Path(out_dir) if out_dir is not None else None
    limits = limits or DEFAULT_LIMITS
    plan = Plan(incremental=incremental, limits=limits)
    with ExitStack() as stack:
        if out is not None:
            stack.enter_context(outdir.owned(out))
        try:
            tables, stats = _run(stack, files, bounds, out, fmt, engine, workers, scheduler, incremental,
                                 batch_size, progress, collect, limits, plan)
        except OSError as exc:
            if out is None or exc.errno not in outdir.OPERATIONAL:
                raise
            if exc.errno == errno.ENOSPC:
                raise outdir.out_of_room(out, exc, plan.input_bytes) from None
            raise outdir.OutputError(f"cannot write to {out}: {outdir.describe(exc)}; "
                                     f"the earlier tables are untouched") from None
    stats.processed, stats.reused, stats.input_bytes = plan.processed, len(plan.reused), plan.input_bytes
    stats.duplicates = sum(len(paths) for paths in plan.duplicates.values())
    stats.seconds = time.perf_counter() - started
    return RunResult(stats, tables)


def _run(stack: ExitStack, files: list[Path], bounds: np.ndarray, out: Path | None, fmt: str, engine: str,
         workers: int, scheduler: str | None, incremental: bool, batch_size: int, progress: bool,
         collect: bool, limits: Limits, plan: Plan) -> tuple[dict | None, RunStats]:
    """The run proper, in a folder this process owns."""
    old_cache = Cache.open(out / CACHE_DIR) if incremental else None
    plan.cached = old_cache.keys if old_cache else frozenset()
    spill_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix=outdir.SPILL_PREFIX, dir=out))
    bar = stack.enter_context(progress_bar(len(files), progress))
    spill = Spill(Path(spill_dir), bounds)
    batches = into_batches(plan.items(files, lambda: bar.update(1)), batch_size, BATCH_BYTES)
    if engine == "pool":
        # A pool is worth starting only when there is more than one batch to share out (a small
        # corpus, or an incremental run with little to redo, is done faster in this process).
        head = list(itertools.islice(batches, 2))
        batches = itertools.chain(head, batches)
        engine = engine if len(head) == 2 else "serial"
    stats = RunStats(engine, 1 if engine == "serial" else workers, files=len(files))
    # The combine's work on each bucket runs in this process, or in the workers of the pool or of
    # a LocalCluster (they read the spill parts from this machine's disk).
    finish: Callable[[Iterable[BucketJob]], Iterator[pa.Table]] = partial(map, finish_bucket)
    if engine == "serial":
        results = serial(batches, limits, bounds)
    elif engine == "pool":
        pool = stack.enter_context(start_pool(workers, limits))
        results = pool_results(pool, spill_dir, batches, workers, limits, bounds)
        finish = partial(finish_in_workers, pool.submit, spill_dir, 2 * workers)
    else:
        client = start_dask(stack, workers, scheduler)
        local = None if scheduler else spill_dir  # a remote cluster's workers may not see this disk
        results = dask_results(client, local, batches, limits, bounds)
        if local:
            finish = partial(finish_in_workers, partial(client.submit, pure=False), local, 2 * workers)
    for n_docs, (version, tables) in results:
        # Workers this machine started import the same installation (a file edited while they
        # start is a developer's race, not a mismatch); a remote cluster may run other code.
        if scheduler and version != EXTRACTOR_VERSION:
            raise RuntimeError(f"a worker runs extractor {version}, this process {EXTRACTOR_VERSION}: "
                               "install the same govdisclosure on every worker")
        spill.add(tables)
        bar.update(n_docs)
    spill.flush()
    tables = combine(spill, plan, old_cache, out, fmt, stats, collect, finish)
    return tables, stats
