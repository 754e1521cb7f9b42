"""Memory during a bulk load: the collector paused, and freed memory given back to the operating system.

Creating hundreds of thousands of small objects makes Python's cyclic garbage collector run over and over
for nothing (none of them form cycles worth collecting): pausing it during a bulk load saves seconds at
100,000 events, and `gc.freeze()` afterwards keeps the loaded objects out of later collections.

Python frees a big load's scratch memory (parsed JSON, unpacked texts, the postings arrays a freeze copies)
to the C allocator, which keeps it for reuse: the process's resident size stays at its high-water mark,
~50 MB above what it holds at 100,000 events. glibc's `malloc_trim` returns the free pages; called between
chunks of a load and while a freeze copies, it keeps the peak near what is really in use. Elsewhere (other
C libraries, other systems) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def _find_malloc_trim() -> Callable[[int], int] | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _find_malloc_trim()


def release_free_memory() -> None:
    """Hand the allocator's free pages back to the system (a few milliseconds; a no-op without glibc)."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


@contextmanager
def collector_paused(*, freeze: bool = False) -> Iterator[None]:
    """The cyclic collector off for the block; with `freeze`, what the block made is then kept out of
    every later collection (a store that lives as long as the process)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


def collector_off() -> None:
    """For a worker process that only builds short-lived chunks and exits: the collector would only slow it."""
    gc.disable()
