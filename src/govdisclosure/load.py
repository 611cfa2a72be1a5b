"""Load stage: validated tables to disk, each file written whole or not at all.

Every table is validated against its schema (`govdisclosure.schema`) before anything is written,
then written to a temporary file in the target folder and moved over the old file with
`os.replace`, which is atomic on one filesystem: an interrupted run leaves the previous outputs
intact and readable. The tables of one run are a set (facts point at reports), so they move into
place together, after every file is complete, and Ctrl-C or `kill` arriving during those few
renames waits until the last one is done: the folder never mixes two runs' tables. (`kill -9`
cannot be waited for; it can only land in a window of a few system calls.) Rows are sorted by the
schema's keys and no run timestamps are stored, so the same inputs give byte-identical CSV and
identical Parquet tables.
"""

from __future__ import annotations

import os
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
    """Move finished tables into place one after the other, with SIGINT and SIGTERM held until the last.

    Every writer must already be closed, so that nothing but renames happens here.
    """
    with _signals_deferred():
        return [writer.commit() for writer in writers]


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
            table.to_csv(self.csv, header=self.csv.tell() == 0, index=False, lineterminator="\n")
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
