"""The output folder while a run owns it: one run at a time, and what a dead run left is cleared.

Two runs writing one folder would delete each other's spill and overwrite each other's tables, so
a run takes an exclusive `flock` on `<out>/.extract.lock` for its whole life. The kernel releases
the lock when the process dies, however it dies (`kill -9` included): a held lock always means a
live run, and everything temporary found in the folder by the run that holds the lock belongs to
a run that is gone, so the clean-up can never remove a live run's files. The lock file itself
stays (deleting it would let a third run lock a fresh file while a second still holds the old one).

Operational faults — the folder is a file, the file system is read-only, the disk is full, the lock
is held — become `OutputError`, one line naming the path and the cause, which the command line
prints without a traceback.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from govdisclosure import load

LOCK_NAME = ".extract.lock"
SPILL_PREFIX = ".govdisclosure-spill-"
# What a run needs beside its inputs, as a multiple of their size: the spill (results are about
# three times the text they come from) and the tables being written. Said in the disk-full message.
ROOM_PER_INPUT_BYTE = 4
# Errors of the output folder's file system, not of the run: reported in one line, not as a crash.
OPERATIONAL = frozenset({errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EDQUOT})


class OutputError(Exception):
    """The output folder cannot be used; the message is one line naming the path and the cause."""


@contextmanager
def owned(out: Path) -> Iterator[None]:
    """Hold `out` for a run: create it, take its lock, clear what a dead run left, release at the end.

    Raises:
        OutputError: `out` is not a folder, cannot be written, or another run holds it.
    """
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} is a file, not a folder: choose another --out")
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise OutputError(f"cannot write to {out}: {describe(exc)}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            raise OutputError(f"{out} is in use by another govdisclosure run"
                              f"{f' (process {holder})' if holder else ''}: wait for it to finish "
                              f"or choose another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        remove_leftovers(out)
        yield
    finally:
        os.close(fd)  # releases the lock


def remove_leftovers(out: Path) -> None:
    """Spill folders, half-written tables and unpublished table sets of runs that are gone.

    Called only while holding the lock (see the module docstring).
    """
    for leftover in out.glob(f"{SPILL_PREFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)
    load.remove_unpublished(out)


def describe(exc: OSError) -> str:
    """An operating-system error in words a user acts on."""
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno == errno.ENOTDIR:
        return "a part of the path is a file, not a folder"
    return exc.strerror or str(exc)


def out_of_room(out: Path, exc: OSError, input_bytes: int) -> OutputError:
    """The one-line error for a disk that filled up during a run."""
    try:
        free = shutil.disk_usage(out).free
    except OSError:
        free = 0
    return OutputError(f"the disk holding {out} is full ({free / 2**20:,.0f} MiB free): this run needs "
                       f"about {ROOM_PER_INPUT_BYTE * input_bytes / 2**20:,.0f} MiB there for its temporary "
                       f"files and tables ({ROOM_PER_INPUT_BYTE}× its {input_bytes / 2**20:,.0f} MiB of input); "
                       f"free some room or choose another --out. The earlier tables are untouched")
