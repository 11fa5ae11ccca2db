"""Keeping big builds from stalling the event loop: the garbage collector and the GIL.

Building a catalog creates millions of small objects. With the cyclic collector on, every few
hundred allocations it scans the young generation, and the full collections that follow scan
every object alive, holding the GIL for up to seconds: the event loop (heartbeats, answers)
stops meanwhile, even though the build runs in another thread. Catalog objects form no
reference cycles, so nothing is lost by pausing the collector while they are built and then
moving the survivors to the permanent generation (:func:`gc.freeze`), which later collections
no longer scan. Frozen objects are still freed by reference counting when a newer catalog
replaces them.

The GIL: a thread doing pure-Python work hands the GIL over only every "switch interval"
(5 ms by default); while a reload runs, :func:`responsive` shortens it, so the event loop gets
its turn quickly and answers keep flowing.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sys
import threading
from collections.abc import Iterator

#: While a reload works in the background, the event loop gets the GIL back this often.
SWITCH_INTERVAL = 0.001

_lock = threading.Lock()
_paused = 0
_was_enabled = True
_responsive = 0
_interval = 0.005


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block; when the last pause ends, freeze what was
    built (so no collection rescans it) before the collector runs again. Nests, and works
    across threads."""
    global _paused, _was_enabled
    with _lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0:
                gc.freeze()
                if _was_enabled:
                    gc.enable()


async def release(garbage: list[object]) -> None:
    """Drop the last references to big structures in a worker thread: freeing millions of
    objects by reference counting takes about as long as making them, and must not happen on
    the event loop. ``garbage`` must hold the only references left."""
    await asyncio.to_thread(garbage.clear)


@contextlib.contextmanager
def responsive() -> Iterator[None]:
    """Shorten the GIL switch interval for the block (nests)."""
    global _responsive, _interval
    with _lock:
        if _responsive == 0:
            _interval = sys.getswitchinterval()
            sys.setswitchinterval(min(_interval, SWITCH_INTERVAL))
        _responsive += 1
    try:
        yield
    finally:
        with _lock:
            _responsive -= 1
            if _responsive == 0:
                sys.setswitchinterval(_interval)
