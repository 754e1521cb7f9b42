"""Giving freed memory back to the operating system during a bulk load.

Python frees a big load's scratch memory (parsed JSON, unpacked texts, the postings arrays a freeze copies)
to the C allocator, which keeps it for reuse: the process's resident size stays at its high-water mark,
~50 MB above what it holds at 100,000 events. glibc's `malloc_trim` returns the free pages; called between
chunks of a load and while a freeze copies, it keeps the peak near what is really in use. Elsewhere (other
C libraries, other systems) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable


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
