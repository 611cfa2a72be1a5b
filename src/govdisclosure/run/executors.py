"""Engines: one process, a process pool or a dask.distributed cluster, each mapping `process_batch`.

Each keeps a bounded number of batches in flight, so that neither the inputs read ahead nor the
results waiting to be spilled grow with the corpus. The scheduling is the libraries' own
(`concurrent.futures`, `distributed`); this module only bounds and orders what it submits.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor
from concurrent.futures import wait as wait_futures
from contextlib import ExitStack

import numpy as np
import pyarrow as pa

from govdisclosure.limits import Limits
from govdisclosure.run.worker import Item, mapped, process_batch, process_batch_into, warm_up, warm_up_plugin

Results = Iterator[tuple[int, tuple[str, dict[str, pa.Table]]]]  # (documents in the batch, result)


def serial(batches: Iterable[list[Item]], limits: Limits, bounds: np.ndarray) -> Results:
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


def start_pool(workers: int) -> ProcessPoolExecutor:
    # forkserver, not fork: the parent holds Arrow's thread pools, which a fork could copy mid-lock.
    # The server preloads the worker module, so each worker starts from an imported package.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["govdisclosure.run.worker"])
    return ProcessPoolExecutor(workers, mp_context=context, initializer=warm_up)


def pool_results(pool: ProcessPoolExecutor, folder: str, batches: Iterable[list[Item]], workers: int, limits: Limits,
          bounds: np.ndarray) -> Results:
    yield from _from_files(_bounded(lambda batch: pool.submit(process_batch_into, folder, batch, limits, bounds),
                                    lambda fs: wait_futures(fs, return_when=FIRST_COMPLETED).done, batches,
                                    2 * workers))


def _from_files(results: Iterator[tuple[int, tuple[str, dict[str, str]]]]) -> Results:
    """Results of `process_batch_into` as tables."""
    for n_docs, (version, paths) in results:
        yield n_docs, (version, {name: mapped(path) for name, path in paths.items()})


def in_order(submit: Callable, jobs: Iterable, limit: int) -> Iterator:
    """Keep at most `limit` jobs submitted; yield their results in the order of `jobs`."""
    pending: deque = deque()
    for job in jobs:
        pending.append(submit(job))
        if len(pending) >= limit:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def start_dask(stack: ExitStack, workers: int, scheduler: str | None):
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
    client.register_plugin(warm_up_plugin(), name="govdisclosure-warm-up")
    return client


def dask_results(client, folder: str | None, batches: Iterable[list[Item]], limits: Limits, bounds: np.ndarray) -> Results:
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
            lambda batch: client.submit(process_batch_into, folder, batch, limits, bounds, pure=False),
            wait_first, batches, limit))


def default_workers() -> int:
    """Every core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS and Windows have no affinity call
        return os.cpu_count() or 1
