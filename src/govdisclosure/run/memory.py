"""Giving memory back to the system between batches and buckets.

Arrow's allocator and glibc keep freed space in fragmented arenas; a long run that does not hand it
back grows although it holds no more data.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from functools import cache

import pyarrow as pa


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to do
        return None


def release_free_memory() -> None:
    """Hand memory that Arrow's allocator and glibc keep after it was freed back to the system.

    The parent receives results of about a megabyte per batch, and a pool worker finishing a bucket
    builds frames of a hundred megabytes; once freed, the space stays in the allocators' arenas,
    fragmented, and a process grows although it holds no more data. Dask's nanny does the same for
    its workers by setting ``MALLOC_TRIM_THRESHOLD_``.
    """
    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
