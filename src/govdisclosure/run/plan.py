"""Planning: the parent's walk over the inputs, in order, where duplicates and cache hits are set aside.

The parent reads and hashes each file (a byte-identical copy gets no row of its own; with
`incremental`, an unchanged file is taken from the cache) and cuts what is left into batches
bounded by documents and by bytes.
"""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from govdisclosure.limits import DEFAULT as DEFAULT_LIMITS
from govdisclosure.limits import Limits
from govdisclosure.pipeline import doc_id_of, hash_file
from govdisclosure.run.worker import Item
from govdisclosure.walk import display_path, walk

BATCH_DOCS = 64  # ~0.3 s of text reports; 32 cost the parent 0.5 CPU-s more per 10k (5 files a batch)
BATCH_BYTES = 1 << 20  # PDFs are slow per byte (0.1 s a page): three or four per batch keep workers even
READ_MAX_BYTES = 64 << 20  # larger files are read by the worker (no dedupe, no cache): see Plan.items


def iter_input_files(paths: list[str | Path]) -> list[Path]:
    """Every input file, in a deterministic order (the rules are in `govdisclosure.walk`).

    Files named explicitly are always taken (an unsupported one becomes an error row); folders are
    searched recursively for report files, without following symbolic links to folders (no loops),
    taking only regular files and skipping hidden and lock files.
    """
    from govdisclosure.extract import SUFFIXES

    return walk(paths, SUFFIXES)



def cache_key(doc_id: str, source_path: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """A document's cache key: its content, its path (rows carry the path) and the limits it ran under
    (a document that hit a limit gives other rows under other limits)."""
    return hashlib.sha256(f"{doc_id}\0{source_path}\0{limits!r}".encode()).hexdigest()[:32]


@dataclass
class Plan:
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
            # A file left to process_file gets the doc_id it will give it (its content's hash, or
            # for what cannot be read, its name's), so that copies of it, or a pipe named twice, are
            # set aside like any other copy rather than giving two rows one doc_id.
            doc_id = doc_id_of(data) if data is not None else _unread_doc_id(path, shown)
            if doc_id in self.first_source:
                self.duplicates.setdefault(doc_id, []).append(shown)
                skipped()
                continue
            self.first_source[doc_id] = shown
            if data is None:
                self.processed += 1
                yield source, None  # process_file reads it itself, or reports why it cannot
                continue
            self.input_bytes += len(data)
            if self.incremental:
                key = self.keys[doc_id] = cache_key(doc_id, shown, self.limits)
                if key in self.cached:
                    self.reused.add(doc_id)
                    skipped()
                    continue
            self.processed += 1
            yield source, data


def _unread_doc_id(path: Path, shown: str) -> str:
    """The doc_id process_file gives a file it reads itself: a large file's content hash (read in
    chunks), else the hash of the name it reports."""
    try:
        if stat.S_ISREG(path.stat().st_mode):
            return hash_file(path)
    except OSError:
        pass
    return doc_id_of(shown.encode())


def into_batches(items: Iterable[Item], max_docs: int, max_bytes: int) -> Iterator[list[Item]]:
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
