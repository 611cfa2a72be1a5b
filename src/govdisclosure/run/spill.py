"""Buckets and the spill folder: results cut by `doc_id` range and parked on disk until the combine.

Every table's sort key starts with `doc_id`, so buckets of equal slices of the hash space can be
validated and sorted one at a time and their concatenation is the globally sorted table.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pyarrow as pa

from govdisclosure.run.memory import release_free_memory

DOCS_PER_BUCKET = 2000  # one bucket of every table fits comfortably in memory at the combine
SPILL_BUFFER_BYTES = 128 << 20  # results held before they are written out as Arrow IPC parts
ROW = "_row"  # position of a row within its document: keeps ties in the sort keys deterministic



def bucket_bounds(n_buckets: int) -> np.ndarray:
    """Lower `doc_id` bounds of buckets 1..n-1: equal slices of the (uniform) hash space."""
    return np.array([f"{math.ceil(b * 2 ** 32 / n_buckets):08x}" for b in range(1, n_buckets)], dtype=str)


def bucket_of(doc_ids: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    if not len(bounds):
        return np.zeros(len(doc_ids), dtype=np.intp)
    return np.searchsorted(bounds, doc_ids.astype(str), side="right")


class Spill:
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
            buckets = bucket_of(table.column("doc_id").to_numpy(zero_copy_only=False), self.bounds)
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
        release_free_memory()

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
