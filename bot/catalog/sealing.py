"""Sealing a catalog's arenas once it is read back, where CPython's own allocator serves.

CPython's small-object allocator (pymalloc, 3.11) puts objects of up to 512 bytes in 1 MiB
arenas, hands an arena back to the system only when every one of its pools is empty, and
serves a new object from the fullest usable pool and arena first. So a full reload's catalog
is read back into every hole the serving process holds (free blocks of partly used pools,
free pools), among whatever lives there; and whatever is born while a catalog serves
(answers' caches, objects that outlive it) lands in the holes of that catalog's arenas. Once
the old catalog is freed, nearly every arena it used still holds something: none goes back,
and reload after reload the process holds two catalogs' worth of arenas.

:func:`seal` takes every free block of partly used pools and every free pool the allocator
holds right after a catalog is read back, as placeholders (``bytes``, ``int`` and ``object``
instances of exactly each size class) kept with that catalog and freed with it. What is born
while it serves then comes from arenas of its own, the next catalog is read back into those
(or fresh ones), not among the serving one; and when a catalog and its placeholders are freed,
its arenas empty whole (docs/performance.md, branch ``seal14``). Where another allocator
serves (jemalloc, glibc's ``malloc``), nothing is taken.
"""

from __future__ import annotations

import re

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


class Seal:
    """The placeholders that keep a catalog's arenas to itself (freed with it)."""

    __slots__ = ("held",)

    def __init__(self, held: list[object] | None = None) -> None:
        self.held: list[object] = held if held is not None else []

    def __len__(self) -> int:
        return len(self.held)

    def top_up(self) -> None:
        """Take what was freed since (call it in a worker thread): the holes the start's own
        temporaries left among its catalog once the start is done, before anything else is
        born."""
        self.held += seal().held


def seal() -> Seal:
    """Take every free block and free pool CPython's allocator holds now (call it in a worker
    thread right after a catalog is read back); an empty seal where pymalloc does not serve
    this process or its report cannot be read."""
    if serving_allocator() != "pymalloc":
        return Seal()
    held: list[object] = []
    for _ in range(_PASSES):
        free = _free_blocks()
        if not free:
            break
        for size, count in free.items():
            held += [_block(size, number) for number in range(count)]
    pools = _free_pools()
    if pools is not None:
        pool_size, count = pools
        per_pool = (pool_size - _POOL_HEAD) // _BIGGEST
        held += [_block(_BIGGEST, number) for number in range(per_pool * count)]
    return Seal(held)


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
