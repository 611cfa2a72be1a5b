"""What a run did: counts for the command line's summary, the benchmarks and the tests."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class RunStats:
    """What a run did, for the command line's summary, the benchmarks and the tests."""

    engine: str
    workers: int
    files: int = 0
    processed: int = 0  # documents sent to process_file
    reused: int = 0  # documents taken from the incremental cache
    duplicates: int = 0  # byte-identical copies (no row of their own)
    input_bytes: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    warnings: int = 0
    seconds: float = 0.0


@dataclass
class RunResult:
    stats: RunStats
    tables: dict[str, pd.DataFrame] | None = None  # only when the run was asked to collect them
