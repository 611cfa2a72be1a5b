"""The corpus run: `process_file` mapped over many files on one core, a process pool or Dask.

A national corpus is hundreds of thousands of reports, so the run is shaped around two limits:
every core must be busy, and memory must be bounded by a batch, never by the corpus. One module per
step, in the order a run takes them:

- `plan`: the parent walks the inputs in a fixed order, reads and hashes each file (byte-identical
  copies are set aside there and, with `incremental`, unchanged files are taken from the `cache`),
  and cuts the rest into batches of raw bytes;
- `worker` and `executors`: because the bytes travel with the task, the same batch function runs
  in-process (`serial`), in a `concurrent.futures` process pool (`pool`) or on a dask.distributed
  cluster (`dask`) — local or remote, without a shared filesystem for the inputs — and all three
  return the same Arrow tables;
- `spill`: results are not kept; they are cut into buckets by `doc_id` range and spilled to Arrow
  IPC parts in a temporary folder next to the output;
- `combine`: every table's sort key starts with `doc_id`, so each bucket is validated and sorted on
  its own (in the workers, unless they may be on another machine) and appended to the output file
  as a row group; the concatenation is the globally sorted table, identical whatever the engine,
  the worker count or the order in which batches finished. The output files are written to
  temporary names and moved into place only when all are complete;
- `outdir` locks the output folder for one run and turns its file-system faults into one-line
  errors; `runner` wires the steps together; `version` says which extractor made a row; `memory` hands
  freed memory back to the system.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from govdisclosure.limits import Limits
from govdisclosure.run.executors import default_workers
from govdisclosure.run.outdir import OutputError
from govdisclosure.run.plan import iter_input_files
from govdisclosure.run.runner import ENGINES, NoInputError, run
from govdisclosure.run.stats import RunResult, RunStats
from govdisclosure.run.version import EXTRACTOR_VERSION

__all__ = ["ENGINES", "EXTRACTOR_VERSION", "NoInputError", "OutputError", "RunResult", "RunStats", "default_workers",
           "extract_corpus", "iter_input_files", "run"]


def extract_corpus(paths: list[str | Path], out_dir: str | Path | None = None, fmt: str = "parquet",
                   progress: bool = False, *, engine: str = "pool", workers: int | None = None,
                   scheduler: str | None = None, incremental: bool = False,
                   limits: Limits | None = None, allow_empty: bool = False) -> dict[str, pd.DataFrame]:
    """Run the pipeline over files and folders; return (and optionally write) the five tables.

    Byte-identical files are processed once: the first path in walking order gets the row, the
    others are listed in its `duplicate_paths` and noted in checks. This returns the tables in
    memory, so for very large corpora call `run` (without `collect`) or use the command line.
    """
    return run(paths, out_dir, fmt, engine=engine, workers=workers, scheduler=scheduler,
               incremental=incremental, progress=progress, collect=True, limits=limits,
               allow_empty=allow_empty).tables
