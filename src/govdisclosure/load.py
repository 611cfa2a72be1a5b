"""Load stage: validated tables to disk, each file written whole or not at all.

Every table is validated against its schema (`govdisclosure.schema`) before anything is written,
then written to a temporary file in the target folder and moved over the old file with
`os.replace`, which is atomic on one filesystem: an interrupted run leaves the previous outputs
intact and readable. Rows are sorted by the schema's keys and no run timestamps are stored, so the
same inputs give byte-identical CSV and identical Parquet tables.
"""

from __future__ import annotations

import os
import tempfile
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
    return [_atomic_write(frame, out / f"{name}.{fmt}", fmt) for name, frame in validated.items()]


def _atomic_write(frame: pd.DataFrame, target: Path, fmt: str) -> Path:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if fmt == "csv":
            # UTF-8 with BOM so that Excel opens Chinese text correctly; \n line ends everywhere.
            frame.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n")
        else:
            table = pa.Table.from_pandas(frame, preserve_index=False)
            pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


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
