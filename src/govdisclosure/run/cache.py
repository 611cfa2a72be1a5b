"""The incremental cache in `<out>/.cache/`: earlier rows, valid for one extractor version.

One Parquet file per table holds the rows each document produced before duplicates were annotated,
keyed by the document's content hash, its path and the per-document limits (`plan.cache_key`),
plus `manifest.json` naming the extractor version and the current generation of files. A new
generation is written beside the old one and the manifest is swapped last, so an interrupted run
leaves a usable cache.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from govdisclosure import load, schema
from govdisclosure.load import TableWriter
from govdisclosure.run.version import EXTRACTOR_VERSION

CACHE_DIR = ".cache"
CACHE_KEY = "cache_key"


class Cache:
    """Earlier results in `<out>/.cache/`, valid for one `EXTRACTOR_VERSION` (see the module docstring)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.generation: str | None = None
        self.keys: frozenset[str] = frozenset()

    @classmethod
    def open(cls, folder: Path) -> Cache:
        """The cache in `folder`; empty when there is none, it is of another version, or it is damaged.

        A damaged cache (a truncated manifest or Parquet file, a disk error) is only a lost
        speed-up: it is discarded with a warning, and the run processes every document.
        """
        cache = cls(folder)
        manifest = folder / "manifest.json"
        if not manifest.exists():
            return cache
        try:
            meta = json.loads(manifest.read_text(encoding="utf-8"))
            if meta.get("extractor_version") != EXTRACTOR_VERSION:
                return cache
            generation = meta["generation"]
            for name in schema.TABLES:  # a truncated file has lost its footer: this finds it
                pq.ParquetFile(cache._path(name, generation)).close()
            reports = pq.read_table(cache._path("reports", generation), columns=[CACHE_KEY])
            cache.keys = frozenset(reports.column(CACHE_KEY).to_pylist())
            cache.generation = generation
        except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as exc:
            logging.getLogger("govdisclosure").warning(
                "warning: the incremental cache in %s is damaged and was discarded (%s: %s); every "
                "document is processed again", folder, type(exc).__name__, str(exc).splitlines()[0] if str(exc) else "")
            cache.keys = frozenset()
        return cache

    def _path(self, name: str, generation: str) -> Path:
        return self.folder / f"{name}-{generation}.parquet"

    def read(self, name: str, lo: str | None, hi: str | None, keys: list[str]) -> pa.Table:
        """The cached rows of `name` for `keys`, whose doc_ids lie in [lo, hi) (pruned by row-group statistics)."""
        condition = ds.field(CACHE_KEY).isin(keys)
        if lo is not None:
            condition &= ds.field("doc_id") >= lo
        if hi is not None:
            condition &= ds.field("doc_id") < hi
        table = ds.dataset(self._path(name, self.generation), format="parquet").to_table(filter=condition)
        return table.drop_columns([CACHE_KEY])

    def writers(self) -> tuple[str, dict[str, TableWriter]]:
        self.folder.mkdir(parents=True, exist_ok=True)
        for leftover in self.folder.glob(".*.tmp"):  # of a killed run (the caller owns the folder)
            leftover.unlink(missing_ok=True)
        generation = uuid.uuid4().hex[:12]
        return generation, {name: TableWriter(self._path(name, generation), "parquet") for name in schema.TABLES}

    def commit(self, generation: str, writers: dict[str, TableWriter]) -> None:
        """Files of a new generation moved into place; the manifest, swapped last, publishes them."""
        for writer in writers.values():
            writer.commit()
        tmp = load.temporary_file(self.folder / "manifest.json")
        with tmp.open("w", encoding="utf-8") as fh:
            json.dump({"extractor_version": EXTRACTOR_VERSION, "generation": generation}, fh)
        os.replace(tmp, self.folder / "manifest.json")
        for old in self.folder.glob("*.parquet"):
            if not old.name.endswith(f"-{generation}.parquet"):
                old.unlink()
