"""Resource limits for one document, so that no single file can stall or sink a corpus run.

A scraped corpus of 100,000 files always holds a few monsters: a 2 GB scan, a PDF of thousands of
pages, a .docx zip bomb, a page whose drawing sends pdfplumber into minutes of geometry. `Limits`
bounds each of them; hitting a limit turns the file into a reports row plus a `limit_exceeded`
error in checks, never a crash or a hang. Size limits are checked before the costly step they
guard: the file size before the file is read, the decompressed size before the .docx is unzipped,
the page count before any page is parsed.

Time is the hard one, because `process_file` runs in three settings: the plain loop in the main
thread, process-pool workers, and Dask worker threads. A SIGALRM timer only works in a process's
main thread, so it cannot be the mechanism. The time limit therefore has two layers:

1. A cooperative deadline. `time_limit` puts the document's deadline in a context variable, which
   is private to the thread (and task) that set it; `checkpoint` raises `TimeLimitExceeded` once it
   has passed. The pipeline calls it between stages and the readers inside their long loops (PDF
   pages, DOCX paragraphs and table rows), so a slow document nearly always stops at a clean point,
   with a message that says how far it got. Code that is not a reader can call `checkpoint` too:
   it costs one context-variable lookup and a clock read, and does nothing outside `time_limit`.
2. A watchdog for the one slow call that never reaches a checkpoint (pdfplumber working through a
   single monstrous page). One daemon thread per process raises `TimeLimitExceeded` in the stuck
   thread through CPython's `PyThreadState_SetAsyncExc`, a grace period after the deadline so that
   the cooperative layer normally wins. Unlike a signal this works in any thread. Like a signal it
   acts between Python bytecodes, so a single call into C (a regular expression, lxml parsing a
   huge page) cannot be cut short from inside the process; the size limits keep such calls short,
   and only an engine that kills whole worker processes could bound them absolutely.

`TimeLimitExceeded` derives from `BaseException`, like `KeyboardInterrupt`: the `except Exception`
handlers that readers and libraries use for damaged input must not swallow it and report a slow
file as a damaged one.
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """What one document may cost. None (or 0 on the command line) means no limit.

    Attributes:
        seconds: wall-clock time to read and extract one document.
        max_file_bytes: size of the file on disk; a larger file is not read at all.
        max_docx_bytes: total decompressed size of a .docx (a zip archive), checked before unzipping.
        max_pdf_pages: pages of a PDF, checked before any page is parsed.
        max_docx_xml_bytes: decompressed size of the XML parts of a .docx (the text, without the
            images), counted as they are inflated; a parsed XML tree takes twenty times its size.
        max_table_cells: grid positions of one HTML or DOCX table (rows × columns after merged
            cells are expanded), checked before the grid is built.
        max_pdf_inflated_bytes: what a PDF's compressed streams (page contents, fonts, object
            streams; not images) inflate to in all, counted as they are inflated, before pdfium
            opens the file.
    """

    seconds: float | None = 60.0
    max_file_bytes: int | None = 64 * 2**20
    max_docx_bytes: int | None = 200 * 2**20
    max_pdf_pages: int | None = 200
    max_docx_xml_bytes: int | None = 32 * 2**20
    max_table_cells: int | None = 250_000
    max_pdf_inflated_bytes: int | None = 256 * 2**20


DEFAULT = Limits()


class LimitExceeded(Exception):
    """A document is larger than a `Limits` allows; the message says which limit, in plain words."""


class TimeLimitExceeded(BaseException):
    """A document took longer than `Limits.seconds` (see the module docstring for the base class)."""


@dataclass(eq=False)  # compared by identity: the watchdog must remove exactly this one
class _Deadline:
    at: float
    hard_stop: float
    thread_id: int
    last_step: str = ""
    fired: bool = False


_current: ContextVar[_Deadline | None] = ContextVar("govdisclosure_deadline", default=None)


def checkpoint(step: str) -> None:
    """Raise `TimeLimitExceeded` if the current document is past its deadline.

    Args:
        step: what is about to be done, in words ("reading page 12"); the time-limit message
            reports the last step reached.
    """
    deadline = _current.get()
    if deadline is None:
        return
    if time.monotonic() > deadline.at:
        raise TimeLimitExceeded(deadline.last_step or step)
    deadline.last_step = step


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Run the body under a deadline of `seconds`, enforced as the module docstring describes.

    The body raises `TimeLimitExceeded` when time is up. Without a limit (None or <= 0), it runs
    unbounded. Must not be nested in one thread.
    """
    if not seconds or seconds <= 0:
        yield
        return
    now = time.monotonic()
    # Grace before the watchdog steps in: 10 % of the limit, at least one second.
    deadline = _Deadline(now + seconds, now + seconds + max(1.0, seconds / 10), threading.get_ident())
    token = _current.set(deadline)
    _watchdog.arm(deadline)
    try:
        yield
    except TimeLimitExceeded as exc:
        if exc.args:
            raise
        # The watchdog's interrupt carries no message: add the step the document had reached.
        raise TimeLimitExceeded(deadline.last_step) from None
    finally:
        # Nested so that an interrupt landing in `disarm` still leaves no stale deadline behind.
        try:
            _watchdog.disarm(deadline)
        finally:
            _current.reset(token)


_set_async_exc = getattr(getattr(ctypes, "pythonapi", None), "PyThreadState_SetAsyncExc", None)


class _Watchdog:
    """One daemon thread that interrupts threads still running a document after its hard stop.

    Arming and disarming take the same lock as firing, so once `disarm` returns the watchdog can no
    longer touch the thread; an interrupt that was fired but not yet delivered is withdrawn there.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._armed: list[_Deadline] = []
        self._thread: threading.Thread | None = None

    def arm(self, deadline: _Deadline) -> None:
        if _set_async_exc is None:  # not CPython: the cooperative layer alone
            return
        with self._lock:
            self._armed.append(deadline)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="govdisclosure-time-limit",
                                                daemon=True)
                self._thread.start()
            self._wake.notify()

    def disarm(self, deadline: _Deadline) -> None:
        with self._lock:
            if deadline in self._armed:
                self._armed.remove(deadline)
            elif deadline.fired:
                # Withdraw the interrupt in case it has not been delivered yet, so that it cannot
                # strike whatever the thread does after this document.
                _set_async_exc(ctypes.c_ulong(deadline.thread_id), None)

    def _run(self) -> None:
        with self._lock:
            while True:
                now = time.monotonic()
                for deadline in [d for d in self._armed if d.hard_stop <= now]:
                    self._armed.remove(deadline)
                    deadline.fired = True
                    _set_async_exc(ctypes.c_ulong(deadline.thread_id), ctypes.py_object(TimeLimitExceeded))
                next_stop = min((d.hard_stop for d in self._armed), default=None)
                self._wake.wait(None if next_stop is None else max(next_stop - now, 0.01))

    def _after_fork(self) -> None:
        # A forked worker inherits the lock in any state and none of the threads: start afresh.
        self.__init__()


_watchdog = _Watchdog()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_watchdog._after_fork)
