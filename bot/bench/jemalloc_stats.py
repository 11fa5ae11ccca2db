"""jemalloc's own counters of the process's memory, read through ``mallctl``.

Where ``drama-bot run`` serves Python's objects from jemalloc (``bot.catalog.heap``), RSS
alone does not say why a process grew: memory in use by objects (``allocated``), pages of
slabs holding at least one of them (``active``: the difference is fragmentation inside
slabs), jemalloc's own bookkeeping (``metadata``: it follows the address space it keeps),
and the address space kept mapped but handed back (``retained``). Read after a refresh
(``epoch``); None where jemalloc does not serve this process.
"""

from __future__ import annotations

import ctypes
from typing import Any

#: The counters read, in megabytes (jemalloc's ``stats.<name>``).
COUNTERS = ("allocated", "active", "metadata", "resident", "mapped", "retained")
_mallctl: Any = None  # (the C function, once looked up; False where there is none)


def jemalloc_mb() -> dict[str, float] | None:
    """jemalloc's counters now, in megabytes, or None where jemalloc does not serve this
    process (``PYTHONMALLOC`` other than ``malloc``, or no jemalloc preloaded)."""
    mallctl = _function()
    if not mallctl:
        return None
    epoch = ctypes.c_uint64(1)
    size = ctypes.c_size_t(ctypes.sizeof(epoch))
    if mallctl(b"epoch", ctypes.byref(epoch), ctypes.byref(size), ctypes.byref(epoch), size):
        return None
    counts: dict[str, float] = {}
    for name in COUNTERS:
        value = ctypes.c_size_t(0)
        size = ctypes.c_size_t(ctypes.sizeof(value))
        if mallctl(f"stats.{name}".encode(), ctypes.byref(value), ctypes.byref(size), None, 0):
            return None
        counts[name] = round(value.value / (1 << 20), 1)
    return counts


def _function() -> Any:
    global _mallctl
    if _mallctl is None:
        try:
            # (the process's own symbols: only a preloaded jemalloc defines ``mallctl``)
            function = ctypes.CDLL(None).mallctl
            function.argtypes = [
                ctypes.c_char_p,
                ctypes.c_void_p,
                ctypes.c_void_p,
                ctypes.c_void_p,
                ctypes.c_size_t,
            ]
            function.restype = ctypes.c_int
            _mallctl = function
        except (OSError, AttributeError):
            _mallctl = False
    return _mallctl
