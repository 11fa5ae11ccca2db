"""Keeping Python's cyclic garbage collector from stalling the event loop around big builds.

Building a catalog creates millions of small objects. With the collector on, every few
thousand allocations it scans a generation, and the full collections that follow scan every
object alive, holding the GIL for up to seconds: the event loop (heartbeats, answers) stops
meanwhile, even though the build runs in another thread. Catalog objects never form
reference cycles, so nothing is lost by pausing the collector while they are built and then
moving the survivors to the permanent generation (:func:`gc.freeze`), where later collections
no longer scan them. They are still freed by reference counting when the catalog is replaced.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_paused = 0
_was_enabled = True


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block (nests and works across threads)."""
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
            if _paused == 0 and _was_enabled:
                gc.enable()


def settle() -> None:
    """After a build was swapped in: keep the collector from rescanning what survived."""
    gc.freeze()
