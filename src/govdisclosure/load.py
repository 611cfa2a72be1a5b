"""Load stage: validated tables to disk, each file written whole or not at all.

Every table is validated against its schema (`govdisclosure.schema`) before anything is written,
then written to a temporary file in the target folder. The tables of one run are a set (facts
point at reports), so they are published together: moved into a new hidden folder, which one
`os.replace` of the link `.current` makes the published set; `<out>/reports.parquet` and the
others are links through `.current` (`_publish`). A reader therefore sees the whole previous set
or the whole new one, even after a `kill -9` at any instant, and an interrupted run leaves the
previous outputs intact and readable. Ctrl-C or `kill` arriving while a set is published waits
until it is done, so that the clean-up runs too. Rows are sorted by the
schema's keys and no run timestamps are stored, so the same inputs give byte-identical CSV and
identical Parquet tables.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from govdisclosure import schema

FORMATS = ("parquet", "csv")


def write_tables(tables: dict[str, pd.DataFrame], out_dir: str | Path, fmt: str = "parquet") -> list[Path]:
    """Validate then atomically write every table as `<name>.<fmt>` in `out_dir`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    validated = {name: schema.finalise(name, frame) for name, frame in tables.items()}
    writers: list[TableWriter] = []
    try:
        for name, frame in validated.items():
            writers.append(TableWriter(out / f"{name}.{fmt}", fmt))
            writers[-1].write(frame)
            writers[-1].close()
    except BaseException:
        for writer in writers:
            writer.abort()
        raise
    return commit_together(writers)


def commit_together(writers: Iterable[TableWriter]) -> list[Path]:
    """Publish finished tables as one set (`_publish`), with SIGINT and SIGTERM held until it is done.

    Every writer must already be closed, so that nothing but renames happens here.
    """
    with _signals_deferred():
        return _publish(list(writers))


CURRENT = ".current"  # symbolic link to the folder of the published set of tables
SET_PREFIX = ".tables-"


def _publish(writers: list[TableWriter]) -> list[Path]:
    """Publish finished tables as one set: one rename makes all of them visible at once.

    The files go into a new hidden folder `.tables-<id>`; the link `.current` is then swapped to it
    by one `os.replace` (the moment of publication: a kill before it leaves the previous set, a
    kill after it the new one, never a mix). The names readers open, `<out>/reports.parquet` and
    the others, are links through `.current`, so they all change with that one rename.
    """
    if not writers:
        return []
    folder = writers[0].target.parent
    names = sorted({writer.target.name for writer in writers})
    fresh = _new_set(folder)
    for writer in writers:
        writer.close()
        os.replace(writer.tmp, fresh / writer.target.name)
    current = folder / CURRENT
    retired = []  # sets replaced by this one, removed at the end
    if current.is_symlink() and os.readlink(current).startswith(SET_PREFIX):
        retired.append(folder / os.readlink(current))
    if current.is_dir() and not current.is_symlink():
        # A copy of an output folder that followed the links: readers read the copied tables
        # beside it, so the copied set is only moved out of the way.
        retired.append(folder / f"{SET_PREFIX}{uuid.uuid4().hex[:12]}")
        os.replace(current, retired[-1])
    # Table files of a version before sets, or copies: first made a set of their own (hard
    # links, no copy of the data), so that every step below shows readers one whole set.
    plain = [name for name in names if (folder / name).is_file() and not (folder / name).is_symlink()]
    if plain:
        retired.append(_new_set(folder))
        for name in plain:
            os.link(folder / name, retired[-1] / name)
        _point(current, retired[-1].name)
        for name in plain:
            _point(folder / name, f"{CURRENT}/{name}")
    _point(current, fresh.name)
    for entry in folder.iterdir():
        # Links of tables this set does not have (a CSV run after a Parquet one) would dangle.
        if entry.is_symlink() and os.readlink(entry) == f"{CURRENT}/{entry.name}" and entry.name not in names:
            entry.unlink()
    for name in names:
        target = folder / name
        if not (target.is_symlink() and os.readlink(target) == f"{CURRENT}/{name}"):
            _point(target, f"{CURRENT}/{name}")
    for old in retired:
        shutil.rmtree(old, ignore_errors=True)
    return [writer.target for writer in writers]


def _new_set(folder: Path) -> Path:
    fresh = folder / f"{SET_PREFIX}{uuid.uuid4().hex[:12]}"
    fresh.mkdir()
    return fresh


def _point(link: Path, target: str) -> None:
    """Make `link` a symbolic link to `target`, atomically (a new link renamed over the old name)."""
    tmp = link.parent / f"{CURRENT}.{uuid.uuid4().hex[:12]}.tmp"
    os.symlink(target, tmp)
    os.replace(tmp, link)


def remove_unpublished(folder: Path) -> None:
    """Sets of tables never published or no longer published, and half-written tables, in `folder`.

    Only for a run that owns the folder (`run.outdir`): the files of a live run look the same.
    """
    current = os.readlink(folder / CURRENT) if (folder / CURRENT).is_symlink() else None
    for entry in folder.glob(f"{SET_PREFIX}*"):
        if entry.name != current:
            shutil.rmtree(entry, ignore_errors=True)
    leftovers = [folder.glob(f"{CURRENT}.*.tmp"), *(folder.glob(f".{name}.*.tmp") for name in schema.TABLES)]
    for leftover in itertools.chain(*leftovers):
        leftover.unlink(missing_ok=True)


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Record SIGINT and SIGTERM instead of acting on them; raise them again on the way out.

    A Python handler runs in the main thread whichever thread the kernel delivered the signal to,
    so replacing the handlers covers the whole process. Only the main thread may replace them;
    elsewhere (a run started from a worker thread) the renames go ahead undefended.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def record(signum: int, _frame) -> None:
        received.append(signum)

    previous = {signum: signal.signal(signum, record) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            # None: a handler installed outside Python, which cannot be put back; the default is next best.
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        for signum in received:
            signal.raise_signal(signum)  # an ignored signal stays ignored; Ctrl-C becomes KeyboardInterrupt


def temporary_file(target: Path) -> Path:
    """Create an empty, unique `.<name>.<random>.tmp` beside `target`, with the mode the umask allows.

    Not `tempfile.mkstemp`: it always creates mode 0600, so a table written by a cron job could not
    be read by anyone else whatever the umask; `os.open` with 0666 gives 0644 under umask 022.
    """
    while True:
        tmp = target.parent / f".{target.name}.{uuid.uuid4().hex[:12]}.tmp"
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return tmp


class TableWriter:
    """One table written in chunks to a temporary file beside its target; `commit` moves it into place.

    The corpus engine appends a table bucket by bucket through it; `write_tables` writes a whole
    table in one chunk. Either way the target is replaced only by `commit`, with `os.replace`.
    """

    def __init__(self, target: Path, fmt: str):
        self.target, self.fmt = target, fmt
        self.tmp = temporary_file(target)
        self.parquet: pq.ParquetWriter | None = None
        # UTF-8 with BOM (written once, at the start) so that Excel opens Chinese text correctly.
        self.csv = self.tmp.open("w", encoding="utf-8-sig", newline="") if fmt == "csv" else None

    def write(self, table: pa.Table | pd.DataFrame) -> None:
        if self.csv is not None:
            if isinstance(table, pa.Table):
                table = table.to_pandas()  # the schema's pandas metadata restores the dtypes
            # CRLF rows (RFC 4180): the csv module then quotes every field holding a \r or a \n;
            # with "\n" alone a \r in a file name went unquoted and split the row for readers.
            table.to_csv(self.csv, header=self.csv.tell() == 0, index=False, lineterminator="\r\n")
            return
        if isinstance(table, pd.DataFrame):
            table = pa.Table.from_pandas(table, preserve_index=False)
        if self.parquet is None:
            self.parquet = pq.ParquetWriter(self.tmp, table.schema, compression="zstd")
        self.parquet.write_table(table)

    def close(self) -> None:
        """Finish the file (Parquet footer, CSV buffer); safe to call again."""
        if self.parquet is not None:
            self.parquet.close()
        if self.csv is not None:
            self.csv.close()

    def commit(self) -> Path:
        self.close()
        os.replace(self.tmp, self.target)
        return self.target

    def abort(self) -> None:
        self.close()
        self.tmp.unlink(missing_ok=True)


def read_tables(folder: str | Path) -> dict[str, pd.DataFrame]:
    """Read the tables back (Parquet preferred, CSV otherwise) with the schema's dtypes."""
    folder = Path(folder)
    attempts = 3
    while True:
        # One published set (see `_publish`): `.current` is resolved once, so a run publishing
        # meanwhile cannot give this reader tables of two runs; if it removed the set under us,
        # the new one is read.
        current = folder / CURRENT
        base = folder / os.readlink(current) if current.is_symlink() else folder
        try:
            return _read_set(base)
        except FileNotFoundError:
            attempts -= 1
            if not attempts or base == folder:
                raise


def _read_set(folder: Path) -> dict[str, pd.DataFrame]:
    tables = {}
    for name in schema.TABLES:
        parquet, csv = folder / f"{name}.parquet", folder / f"{name}.csv"
        if parquet.exists():
            frame = pd.read_parquet(parquet)
        elif csv.exists():
            frame = pd.read_csv(csv, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            for col in schema.columns(name):
                if col.dtype in ("Int64", "float64"):
                    frame[col.name] = pd.to_numeric(frame[col.name].replace("", None))
                elif col.nullable:
                    frame[col.name] = frame[col.name].replace("", None)
        else:
            tables[name] = schema.empty_frame(name)
            continue
        tables[name] = schema.finalise(name, frame)
    return tables
