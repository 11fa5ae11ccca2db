"""CPython's own count of its small-object arenas, read without touching stderr.

Objects of up to 512 bytes (nearly every object a catalog holds) live in 1 MiB arenas that
are handed back to the system only once every object in them is freed, so the arenas a
process holds after reloads say how fragmented its memory is, where RSS alone does not
(docs/performance.md, branch ``rssflat``). ``sys._debugmallocstats`` prints the count to the
C stderr; this reads the same report (``_PyObject_DebugMallocStats``) into memory instead,
so a running process's log is not disturbed. Where it cannot be read (another allocator,
another interpreter, no ``open_memstream``) the count is None.
"""

from __future__ import annotations

import ctypes
import re
from typing import Any

_ARENAS = re.compile(r"# arenas allocated current\s*=\s*([\d,]+)")
#: A row of the report's table of size classes: class, block size, pools, blocks, free blocks.
_CLASS_POOLS = re.compile(r"^\s*\d+\s+\d+\s+(\d+)\s+\d+\s+\d+\s*$", re.M)
_UNUSED_POOLS = re.compile(r"^([\d,]+) unused pools \*", re.M)
_report: Any = None  # (the C function, once looked up; False where there is none)
_libc: Any = None


def arenas() -> int | None:
    """How many arenas CPython's small-object allocator holds now; None where unknown."""
    text = malloc_stats()
    found = _ARENAS.search(text) if text else None
    return int(found[1].replace(",", "")) if found else None


def pools() -> tuple[int, int] | None:
    """The 16 KiB pools of CPython's arenas now: in use (holding at least one object), and
    unused (free, in the arenas held: room the arenas hold that no object uses); None where
    unknown. Unused pools over pools in use is how fragmented the arenas are: what a start
    or a reload leaves, whatever the arenas' count happened to be before (branch ``rss17``)."""
    text = malloc_stats()
    unused = _UNUSED_POOLS.search(text) if text else None
    if text is None or unused is None:
        return None
    return sum(map(int, _CLASS_POOLS.findall(text))), int(unused[1].replace(",", ""))


def malloc_stats() -> str | None:
    """The text ``sys._debugmallocstats`` would print, or None where it cannot be read."""
    global _report, _libc
    if _report is None:
        try:
            _report = ctypes.pythonapi._PyObject_DebugMallocStats
            _report.argtypes = [ctypes.c_void_p]
            _report.restype = ctypes.c_int
            # The process's own symbols, not libc.so.6's: where jemalloc is preloaded (as
            # `drama-bot run` starts, bot.catalog.heap) the stream's buffer is its malloc's,
            # and glibc's free would abort the process.
            _libc = ctypes.CDLL(None)
            _libc.open_memstream.restype = ctypes.c_void_p
            _libc.open_memstream.argtypes = [
                ctypes.POINTER(ctypes.c_void_p),
                ctypes.POINTER(ctypes.c_size_t),
            ]
            _libc.fclose.argtypes = [ctypes.c_void_p]
            _libc.free.argtypes = [ctypes.c_void_p]
        except (AttributeError, OSError):
            _report = False
    if not _report:
        return None
    buffer, size = ctypes.c_void_p(), ctypes.c_size_t()
    stream = _libc.open_memstream(ctypes.byref(buffer), ctypes.byref(size))
    if not stream:
        return None
    try:
        written = _report(stream)  # (through pythonapi: the GIL stays held while it walks)
    finally:
        _libc.fclose(stream)  # (sets buffer and size)
    try:
        if not written or not buffer.value:
            return None
        return ctypes.string_at(buffer.value, size.value).decode("ascii", "replace")
    finally:
        _libc.free(buffer)
