"""Engines: one process, a process pool or a dask.distributed cluster, each mapping `process_batch`.

Each keeps a bounded number of batches in flight, so that neither the inputs read ahead nor the
results waiting to be spilled grow with the corpus. The scheduling is the libraries' own
(`concurrent.futures`, `distributed`); this module only bounds and orders what it submits, and
keeps a run going when a worker dies: the documents of a batch that was lost with its worker are
read again one at a time, so that only the one that kills a worker costs a row (`Pool`, and
`KilledWorker` on Dask).
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor
from concurrent.futures import wait as wait_futures
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from typing import Self

import numpy as np
import pyarrow as pa

from govdisclosure.limits import Limits
from govdisclosure.pipeline import failure
from govdisclosure.run.version import EXTRACTOR_VERSION
from govdisclosure.run.worker import (
    Item,
    as_tables,
    hard_stop_after,
    init_pool_worker,
    mapped,
    process_batch,
    process_batch_into,
    warm_up_plugin,
)

Results = Iterator[tuple[int, tuple[str, dict[str, pa.Table]]]]  # (documents in the batch, result)


def serial(batches: Iterable[list[Item]], limits: Limits, bounds: np.ndarray) -> Results:
    for batch in batches:
        yield len(batch), process_batch(batch, limits, bounds)


def _bounded(submit: Callable, wait_first: Callable, batches: Iterable[list[Item]], limit: int,
             failed: Callable[[list[Item], BaseException], Results] | None = None) -> Results:
    """Keep at most `limit` batches submitted; yield results as they complete.

    A batch whose task fails with an exception `failed` accepts is handed to it for its results.
    """
    pending: dict = {}

    def done() -> Results:
        for future in wait_first(list(pending)):
            batch = pending.pop(future)
            try:
                result = future.result()
            except Exception as exc:
                if failed is None:
                    raise
                yield from failed(batch, exc)
            else:
                yield len(batch), result

    for batch in batches:
        pending[submit(batch)] = batch
        while len(pending) >= limit:
            yield from done()
    while pending:
        yield from done()


def died(item: Item, timed_out: bool, limits: Limits) -> tuple[str, dict[str, pa.Table]]:
    """The tables of a document whose worker process died reading it: killed at the hard time limit,
    or by the system (out of memory)."""
    if timed_out:
        result = failure(*item, "limit_exceeded", f"took longer than the limit of {limits.seconds:g} seconds per "
                         f"document and was stopped (its worker process was ended: it was stuck in one step)")
    else:
        result = failure(*item, "worker_died", "could not be read: the process reading it died (the system ends "
                         "a process this way when memory runs out); the other documents were read")
    return EXTRACTOR_VERSION, as_tables([result])


class Pool:
    """A process pool that outlives its workers: one that dies is replaced, with the whole pool.

    `concurrent.futures` breaks the whole pool when one worker dies (the out-of-memory killer, or
    this class ending a worker stuck in C code past the hard time limit) and fails every task in
    flight. The batches in flight are then read again one document at a time, one task in flight,
    in a new pool: a document that kills that pool is the culprit and becomes an error row.

    The hard time limit: each worker writes the moment by which its current document must be done
    into a shared array (`worker._beat`); a thread here ends a worker that passes it. The cooperative
    layers of `limits.time_limit` stop a slow document first; only a call stuck in C (a regular
    expression, a parser) reaches this one.
    """

    def __init__(self, workers: int, limits: Limits):
        # forkserver, not fork: the parent holds Arrow's thread pools, which a fork could copy mid-lock.
        # The server preloads the worker module, so each worker starts from an imported package.
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(["govdisclosure.run.worker"])
        self.workers, self.limits = workers, limits
        self.ended = 0  # workers ended at the hard time limit
        self._stop = threading.Event()
        self._start()
        if hard_stop_after(limits):
            threading.Thread(target=self._watch, name="govdisclosure-hard-time-limit", daemon=True).start()

    def _start(self) -> None:
        self.slots = self.context.Array("d", 2 * self.workers)
        self.executor = ProcessPoolExecutor(self.workers, mp_context=self.context, initializer=init_pool_worker,
                                            initargs=(self.slots, os.getpid()))

    def submit(self, *args, **kwargs):
        """Submit to the pool, to a new one if a worker has died (the dead one takes no work)."""
        try:
            return self.executor.submit(*args, **kwargs)
        except BrokenProcessPool:
            self.replace()
            return self.executor.submit(*args, **kwargs)

    def replace(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        self._start()

    def _watch(self) -> None:
        while not self._stop.wait(0.25):
            slots, now = self.slots, time.monotonic()
            for index in range(self.workers):
                pid, stop_at = int(slots[2 * index]), slots[2 * index + 1]
                if pid and stop_at and now > stop_at:
                    slots[2 * index + 1] = 0.0
                    self.ended += 1
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.executor.shutdown(wait=True, cancel_futures=True)
        finally:
            self._stop.set()  # only now: a worker stuck in C would keep the shutdown waiting


def start_pool(workers: int, limits: Limits) -> Pool:
    return Pool(workers, limits)


def pool_results(pool: Pool, folder: str, batches: Iterable[list[Item]], workers: int, limits: Limits,
                 bounds: np.ndarray) -> Results:
    """Batches in the pool; those in flight when a worker died are read again document by document."""
    suspects: list[list[Item]] = []

    def broken(batch: list[Item], exc: BaseException) -> Results:
        if not isinstance(exc, BrokenProcessPool):
            raise exc
        suspects.append(batch)
        return iter(())

    yield from _from_files(_bounded(lambda batch: pool.submit(process_batch_into, folder, batch, limits, bounds),
                                    _first_done, batches, 2 * workers, broken))
    for item in itertools.chain.from_iterable(suspects):
        # One task in flight: if the pool breaks now, this document broke it.
        ended = pool.ended
        future = pool.submit(process_batch_into, folder, [item], limits, bounds)
        try:
            version, paths = future.result()
        except BrokenProcessPool:
            yield 1, died(item, pool.ended > ended, limits)
        else:
            yield 1, (version, {name: mapped(path) for name, path in paths.items()})


def _first_done(futures: list) -> set:
    return wait_futures(futures, return_when=FIRST_COMPLETED).done


def _from_files(results: Iterator[tuple[int, tuple[str, dict[str, str] | dict[str, pa.Table]]]]) -> Results:
    """Results of `process_batch_into` as tables (results that are tables already pass through)."""
    for n_docs, (version, parts) in results:
        yield n_docs, (version, {name: mapped(part) if isinstance(part, str) else part
                                 for name, part in parts.items()})


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
        # No retries of a task whose worker died (Dask's default is 3, each on a worker restarted
        # for it): `dask_results` retries a lost batch itself, one document at a time, and a
        # document that kills its worker then gets the one attempt it gets in the pool.
        stack.enter_context(dask.config.set({"distributed.scheduler.allowed-failures": 0}))
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
    from distributed.scheduler import KilledWorker

    limit = 2 * max(1, sum(client.nthreads().values()))
    wait_first = lambda fs: wait_dask(fs, return_when="FIRST_COMPLETED").done

    def submit(batch: list[Item]):
        if folder is None:
            return client.submit(process_batch, batch, limits, bounds, pure=False)
        return client.submit(process_batch_into, folder, batch, limits, bounds, pure=False)

    suspects: list[list[Item]] = []

    def killed(batch: list[Item], exc: BaseException) -> Results:
        # Dask gave up on the batch because the workers running it died. So does a batch merely
        # queued on a worker that another batch killed: its documents are read again, one by one.
        if not isinstance(exc, KilledWorker):
            raise exc
        suspects.append(batch)
        return iter(())

    yield from _from_files(_bounded(submit, wait_first, batches, limit, killed))
    for item in itertools.chain.from_iterable(suspects):
        # One task on the cluster: if its worker dies now, this document killed it.
        try:
            result = submit([item]).result()
        except KilledWorker:
            yield 1, died(item, False, limits)
        else:
            yield from _from_files(iter([(1, result)]))


def default_workers() -> int:
    """Every core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS and Windows have no affinity call
        return os.cpu_count() or 1
