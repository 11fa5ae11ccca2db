"""Caches that live as long as the process (tables made on first use, look-ups keyed by what
fans type), emptied while a full reload swaps catalogs and made again once the old catalog is
freed.

Where CPython's own allocator serves, an object lives in a 1 MiB arena that goes back to the
system only when nothing in it is alive. Whatever is made while a catalog serves lands in the
holes of that catalog's arenas; if it outlives the catalog, each such arena stays (one object
is enough), and the next catalog is read back beside it into fresh ones. The answers' tables
(locale files, country names, command names) and caches (words and names folded for a query)
are made that way and live for good, so a full reload empties them before it reads the new
catalog back (:func:`forget`) and makes the tables again after the old catalog is freed
(:func:`remake`): nothing born while a catalog serves outlives it (docs/performance.md,
branch ``born14``). Both run in a worker thread; an answer meanwhile makes what it needs.

A module registers its caches when it is imported (:func:`register`, or :func:`cached` in
place of ``functools.cache``); this module imports nothing of ours.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

_Function = TypeVar("_Function", bound=Callable[..., Any])

_clears: list[Callable[[], None]] = []
_remakes: list[Callable[[], object]] = []
_lock = threading.Lock()


def register(
    clear: Callable[[], None] | None = None, remake: Callable[[], object] | None = None
) -> None:
    """Empty with ``clear`` at :func:`forget`; ``remake`` makes a table again at
    :func:`remake` (each in the order registered)."""
    with _lock:
        if clear is not None:
            _clears.append(clear)
        if remake is not None:
            _remakes.append(remake)


def cached(function: _Function) -> _Function:
    """``functools.cache``, emptied at :func:`forget` (made again by the next call)."""
    wrapped = functools.cache(function)
    register(wrapped.cache_clear)
    return wrapped  # type: ignore[return-value]


def forget() -> int:
    """Empty every registered cache; how many there are."""
    with _lock:
        clears = list(_clears)
    for clear in clears:
        clear()
    return len(clears)


def remake() -> None:
    """Make the registered tables again (what the first answers would otherwise make)."""
    with _lock:
        remakes = list(_remakes)
    for make in remakes:
        make()
