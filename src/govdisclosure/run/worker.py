"""The work of one batch, as it runs in a worker process (or in-process for the serial engine).

A batch travels as raw bytes and comes back as one Arrow table per output table, so the same
function serves every engine. A worker of the pool or of a LocalCluster writes its tables to Arrow
IPC files in the spill folder, which the parent maps: through the pool's pipe they cost the parent
a third of its time.
"""

from __future__ import annotations

import os
import select
import threading
import time
import uuid
from functools import cache
from pathlib import Path

import numpy as np
import pyarrow as pa

from govdisclosure import schema
from govdisclosure.limits import DEFAULT as DEFAULT_LIMITS
from govdisclosure.limits import Limits
from govdisclosure.pipeline import DocResult, failure, process_file
from govdisclosure.run.spill import ROW, bucket_of
from govdisclosure.run.version import EXTRACTOR_VERSION

Item = tuple[str, bytes | None]  # (path as given, its bytes; None: the worker reads it, or says why it cannot)



_ARROW_TYPES = {"string": pa.string(), "Int64": pa.int64(), "float64": pa.float64()}
_ROW_FIELD = pa.field(ROW, pa.int32())

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
    results = []
    after = hard_stop_after(limits)
    for path, data in items:
        _beat(after)
        try:
            results.append(process_file(Path(path), data, limits=limits))
        except (MemoryError, RecursionError) as exc:  # outside process_file's own handlers
            results.append(failure(path, data, "reader_failed", f"could not be read: reading it ran out of "
                                   f"{'memory' if isinstance(exc, MemoryError) else 'stack'}"))
    _beat(None)
    return EXTRACTOR_VERSION, as_tables(results, bounds)


def as_tables(results: list[DocResult], bounds: np.ndarray | None = None) -> dict[str, pa.Table]:
    """The rows of documents as one Arrow table per output table (see `process_batch` for `bounds`)."""
    rows: dict[str, list[dict]] = {name: [] for name in schema.TABLES}
    positions: dict[str, list[int]] = {name: [] for name in schema.TABLES}
    if bounds is not None and results:
        buckets = bucket_of(np.array([r.reports[0]["doc_id"] for r in results], dtype=str), bounds)
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
    return tables


# Set in a pool worker by `init_pool_worker`: where this worker tells the parent until when the
# document it is reading may run before the parent ends the process (see `executors.Pool`).
_slot: tuple | None = None
HARD_STOP_GRACE = 2.0  # seconds after the time limit's own interrupt had its chance


def hard_stop_after(limits: Limits | None) -> float | None:
    """Seconds after which a document's worker is ended from outside: the limit plus the grace
    of the in-process watchdog (`limits.time_limit`) plus `HARD_STOP_GRACE`."""
    seconds = (limits or DEFAULT_LIMITS).seconds
    return seconds + max(1.0, seconds / 10) + HARD_STOP_GRACE if seconds else None


def _beat(after: float | None) -> None:
    """Tell the parent that the document about to start may run `after` seconds (None: no document)."""
    if _slot is not None:
        slots, index = _slot
        slots[2 * index + 1] = time.monotonic() + after if after else 0.0


def init_pool_worker(slots, parent: int) -> None:
    """A pool worker's start: claim a slot for its deadlines, watch its parent, warm up."""
    global _slot
    with slots.get_lock():
        index = next((i for i in range(len(slots) // 2) if not slots[2 * i]), None)
        if index is not None:  # else a worker beyond the pool's size: the in-process layers only
            slots[2 * index] = os.getpid()
            _slot = (slots, index)
    exit_with_parent(parent)
    warm_up()


def exit_with_parent(parent: int) -> None:
    """End this process as soon as the run's process `parent` is gone (`kill -9` included).

    A worker's parent is the pool's fork server, not the run, so the parent's death signal cannot
    be asked of the kernel; a thread waits on a pidfd of the run, which turns readable when it exits.
    """
    try:
        handle = os.pidfd_open(parent)
    except (AttributeError, OSError):  # not Linux 5.3+: the run's pipes still end idle workers
        return

    def wait() -> None:
        select.select([handle], [], [])
        os._exit(1)

    threading.Thread(target=wait, name="govdisclosure-parent-watch", daemon=True).start()


def process_batch_into(folder: str, items: list[Item], limits: Limits | None,
                        bounds: np.ndarray | None) -> tuple[str, dict[str, str]]:
    """`process_batch` in a pool worker: each table goes to an Arrow IPC file in `folder` (named in the
    result), which the parent maps. Through the pool's pipe, the results (three times the size of
    the input) cost the parent a third of its time, receiving and unpickling them."""
    version, tables = process_batch(items, limits, bounds)
    stem = os.path.join(folder, f"batch-{uuid.uuid4().hex}")
    return version, {name: write_arrow(f"{stem}-{name}.arrow", table) for name, table in tables.items()}


def write_arrow(path: str, table: pa.Table) -> str:
    with pa.ipc.new_file(path, table.schema) as writer:
        writer.write_table(table)
    return path


def read_arrow(path: str) -> pa.Table:
    """An Arrow IPC file, memory-mapped: no copy, and pages are read only where columns are used."""
    with pa.memory_map(path) as source:
        return pa.ipc.open_file(source).read_all()


def mapped(path: str) -> pa.Table:
    """An Arrow IPC file written by a worker, mapped; the file is removed at once (the mapping stays
    valid until the table is dropped, and the disk holds no copy that nobody needs)."""
    table = read_arrow(path)
    os.unlink(path)
    return table


def warm_up_plugin():
    """A Dask worker plugin that runs `warm_up` in every worker as it joins the cluster.

    Built on demand so that importing this module does not import distributed (0.6 s) for the
    serial and pool engines; cloudpickle ships the class to the workers by value.
    """
    from distributed import WorkerPlugin

    class WarmUp(WorkerPlugin):
        def setup(self, worker) -> None:
            warm_up()

    return WarmUp()
