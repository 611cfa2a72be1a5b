"""Progress of a corpus run on stderr: a bar on a terminal, a plain line now and then in a log.

A bar redraws itself with carriage returns, which a cron log or `2> run.log` keeps as one endless
line, or not at all when the bar is switched off there. So when stderr is not a terminal the run
writes one ordinary line at most every `LOG_INTERVAL` seconds (and one at the end): enough to see in
the log that a long run is moving and how far it got, without flooding it.
"""

from __future__ import annotations

import sys
import time
from typing import Self, TextIO

from tqdm import tqdm

#: Seconds between two progress lines when stderr is not a terminal.
LOG_INTERVAL = 30.0


class LogProgress:
    """The part of tqdm's interface the run uses, writing `extract: 1200/5000 documents (24%), 95 s` lines."""

    def __init__(self, total: int, stream: TextIO, interval: float = LOG_INTERVAL):
        self.total, self.stream, self.interval = total, stream, interval
        self.done = 0
        self.started = self.last = time.monotonic()

    def update(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if now - self.last >= self.interval:
            self.last = now
            self._line(now)

    def _line(self, now: float) -> None:
        share = f" ({self.done / self.total:.0%})" if self.total else ""
        print(f"extract: {self.done}/{self.total} documents{share}, {now - self.started:.0f} s",
              file=self.stream, flush=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self._line(time.monotonic())


def progress_bar(total: int, enabled: bool, stream: TextIO | None = None) -> tqdm | LogProgress:
    """A tqdm bar when `stream` (default stderr) is a terminal, else `LogProgress` lines; nothing when not enabled."""
    stream = stream or sys.stderr
    if enabled and not stream.isatty():
        return LogProgress(total, stream)
    return tqdm(total=total, desc="extract", unit="doc", disable=not enabled, file=stream)
