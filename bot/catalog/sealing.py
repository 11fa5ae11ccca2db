"""Sealing a catalog's arenas once it is read back, where CPython's own allocator serves.

CPython's small-object allocator (pymalloc, 3.11) puts objects of up to 512 bytes in 1 MiB
arenas, hands an arena back to the system only when every one of its pools is empty, and
serves a new object from the fullest usable pool and arena first. So a full reload's catalog
is read back into every hole the serving process holds, among whatever lives there; and
whatever is born while a catalog serves lands in the holes of that catalog's arenas. Once the
old catalog is freed, nearly every arena it used still holds something: none goes back.

:func:`seal_room` takes every free block of partly used pools and every free pool in the
arenas a catalog's objects sit in (:func:`catalog_arenas`), as placeholders (``bytes``,
``int`` and ``object`` instances of exactly each size class) kept with that catalog and
freed with it (docs/performance.md, branch ``seal14``). Where another allocator serves
(jemalloc, glibc's ``malloc``), nothing is taken.
"""

from __future__ import annotations

import ctypes
import gc
import re
import sys
import types

from bot.catalog.arenas import malloc_stats
from bot.catalog.heap import serving_allocator

#: A size class's line in ``_PyObject_DebugMallocStats``: index, size, pools, in use, free.
_CLASS = re.compile(r"^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$", re.MULTILINE)
_UNUSED = re.compile(r"^([\d,]+) unused pools \* (\d+) bytes", re.MULTILINE)
#: The biggest block a pool holds (objects over it come from ``malloc``).
_BIGGEST = 512
#: ``bytes`` of length n take a block of ``_BYTES_HEAD + n`` bytes (a header and a NUL).
_BYTES_HEAD = 33
#: The header of each pool (CPython 3.11, 64 bits): a pool of 16 KiB holds 31 blocks of 512.
_POOL_HEAD = 48
#: Passes over the report: the placeholders' own list and the loop's numbers take blocks too.
_PASSES = 3
#: CPython 3.11's pools are 16 KiB; a pool's header names its arena at this offset (64 bits).
_POOL_BITS = 14
_ARENA_INDEX = 32


class Seal:
    """The placeholders that keep a catalog's arenas to itself (freed with it), and which
    arenas those are (None: nothing sealed)."""

    __slots__ = ("arenas", "held")

    def __init__(self, held: list[object] | None = None, arenas: set[int] | None = None) -> None:
        self.held: list[object] = held if held is not None else []
        self.arenas = arenas

    def __len__(self) -> int:
        return len(self.held)

    def top_up(self) -> None:
        """Take what was freed since in this seal's arenas (call it in a worker thread): the
        holes the start's temporaries, or the catalog the new one was read back beside, left
        among it."""
        if self.arenas is not None:
            self.held += seal_room(self.arenas).held


def catalog_arenas(roots: list[object]) -> set[int] | None:
    """The arenas holding the small objects ``roots`` reach (not through modules, classes or
    functions; call it in a worker thread); None where pymalloc does not serve."""
    if serving_allocator() != "pymalloc":
        return None
    seen: set[int] = set()
    pools: set[int] = set()
    stack = list(roots)
    while stack:
        item = stack.pop()
        if id(item) in seen or isinstance(item, type | types.ModuleType | types.FunctionType):
            continue
        seen.add(id(item))
        try:
            if sys.getsizeof(item) <= _BIGGEST:
                pools.add(id(item) >> _POOL_BITS)
        except TypeError:
            pass
        stack.extend(gc.get_referents(item))
    return {_arena_of_pool(pool) for pool in pools}


def seal_room(arenas: set[int] | None) -> Seal:
    """Take every free block and free pool CPython's allocator holds now in ``arenas`` (call
    it in a worker thread); an empty seal where pymalloc does not serve this process or its
    report cannot be read."""
    if arenas is None or serving_allocator() != "pymalloc":
        return Seal()
    taken: list[object] = []
    for _ in range(_PASSES):
        free = _free_blocks()
        if not free:
            break
        for size, count in free.items():
            taken += [_block(size, number) for number in range(count)]
    pools = _free_pools()
    if pools is not None:
        pool_size, count = pools
        per_pool = (pool_size - _POOL_HEAD) // _BIGGEST
        taken += [_block(_BIGGEST, number) for number in range(per_pool * count)]
    known: dict[int, int] = {}
    held: list[object] = []
    for item in taken:
        pool = id(item) >> _POOL_BITS
        arena = known.get(pool)
        if arena is None:
            arena = known[pool] = _arena_of_pool(pool)
        if arena in arenas:
            held.append(item)
    taken.clear()  # (the others, only now: freed earlier, the next would take their room)
    return Seal(held, arenas)


def _arena_of_pool(pool: int) -> int:
    """The index of the arena a pool (its address >> 14) belongs to, from its header."""
    return ctypes.c_uint.from_address((pool << _POOL_BITS) + _ARENA_INDEX).value


def _block(size: int, number: int) -> object:
    """A new object that takes one block of ``size`` bytes."""
    if size <= 16:
        return object()
    if size <= 32:
        return (1 << 20) + number  # (a one-digit int: 28 bytes)
    return bytes(size - _BYTES_HEAD)


def _free_blocks() -> dict[int, int]:
    """Free blocks of partly used pools, by block size (none where the report is missing)."""
    text = malloc_stats() or ""
    return {int(m[2]): int(m[5]) for m in _CLASS.finditer(text) if int(m[5])}


def _free_pools() -> tuple[int, int] | None:
    """The pool size and how many pools are free (none in use in their arena); None if
    unknown."""
    found = _UNUSED.search(malloc_stats() or "")
    if found is None:
        return None
    return int(found[2]), int(found[1].replace(",", ""))
