"""Big C calls cut into pieces, so a catalog build in a worker thread leaves the event loop free.

A thread doing Python work hands the GIL to others every switch interval, but one C call (a
sort, ``dict.fromkeys``, ``zip(*rows)``) holds it until it returns: sorting half a million
names in one call stalls every other thread for 0.1 to 0.2 s. Here each call works on at most
``PIECE`` items (or merges two sorted runs, which is linear), so no call holds the GIL for
more than a few milliseconds, and the results are exactly those of the single call.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Hashable, Iterable, Sequence
from itertools import pairwise
from operator import itemgetter
from typing import Any, TypeVar

import numpy as np

from bot.cards.freeing import FREE_PIECE, free_in_slices
from bot.cards.turns import pass_turn

__all__ = ["FREE_PIECE", "free_in_slices"]  # (kept here too: they were made here first)

T = TypeVar("T")
H = TypeVar("H", bound=Hashable)

#: Items per C call.
PIECE = 16_384
#: Sorted runs merged at once (one level for up to FAN_IN * PIECE items: 524,288).
FAN_IN = 32


def sorted_in_pieces(items: Iterable[T], key: Callable[[T], Any], piece: int = PIECE) -> list[T]:
    """``sorted(items, key=key)`` (stable: the same order) in calls of bounded size: runs of
    ``PIECE`` items are sorted, then merged two at a time, a piece at a time. ``key`` is
    called once per item (the merges compare the keys worked out first, not calling it again)."""
    items = list(items)
    keys = mapped(key, items, piece)
    # Positions sorted by their item's key (positions break ties: stable), by a key function
    # in C, then the items in that order.
    order = _sorted(list(range(len(items))), keys.__getitem__, piece)
    while keys:  # (freed a piece at a time too)
        del keys[-piece:]
        pass_turn()
    found = mapped(items.__getitem__, order, piece)
    # (and the positions, a number object each past 256: freed with the frame, they held the
    # GIL 16 ms of a cold load's CPU at 100,000 cards; branch margin13)
    free_in_slices(order, items)
    return found


def mapped(function: Callable[[T], Any], items: Sequence[T], piece: int = PIECE) -> list[Any]:
    """``list(map(function, items))``, a piece at a time (with a function in C, one ``map``
    over every item would hold the GIL for all of them)."""
    found: list[Any] = []
    for start in range(0, len(items), piece):
        found += map(function, items[start : start + piece])
        pass_turn()
    return found


def _sorted(items: list[T], key: Callable[[T], Any], piece: int) -> list[T]:
    runs = []
    for start in range(0, len(items), piece):
        runs.append(sorted(items[start : start + piece], key=key))
        pass_turn()
    del items
    while len(runs) > 1:  # (at most FAN_IN runs at once: a step looks at every run)
        runs = [
            _merged(runs[n : n + FAN_IN], key, piece) if n + 1 < len(runs) else runs[n]
            for n in range(0, len(runs), FAN_IN)
        ]
    return runs[0] if runs else []


def _merged(runs: list[list[T]], key: Callable[[T], Any], piece: int) -> list[T]:
    """Sorted runs as one (on equal keys, an earlier run's items first), all at once, a piece
    at a time: each step takes from every run its items up to a bound key at most ``piece //
    len(runs)`` items into one of them, and sorts them (timsort merges the runs it finds in
    them). Every item is merged once, not once per level of a merge of pairs of runs (a
    third less CPU than that for 400,000 names)."""
    out: list[T] = []
    starts = [0] * len(runs)
    step = max(1, piece // len(runs))
    live = list(range(len(runs)))
    while live:
        bound = min(key(runs[r][min(starts[r] + step, len(runs[r])) - 1]) for r in live)
        taken: list[T] = []
        for r in live:
            run, first = runs[r], starts[r]
            upto = bisect.bisect_right(run, bound, lo=first, key=key)
            taken += run[first:upto]
            starts[r] = upto
        out += sorted(taken, key=key)
        pass_turn()
        live = [r for r in live if starts[r] < len(runs[r])]
    return out


def unique_in_pieces(items: Sequence[H], piece: int = PIECE) -> list[H]:
    """``list(dict.fromkeys(items))``: the first of each, in order, a piece at a time."""
    seen: dict[H, None] = {}
    for start in range(0, len(items), piece):
        seen.update(dict.fromkeys(items[start : start + piece]))
        pass_turn()
    return list(seen)


def listed(array: np.ndarray, piece: int = PIECE) -> list[Any]:
    """``array.tolist()``, a piece per C call."""
    found: list[Any] = []
    for start in range(0, len(array), piece):
        found += array[start : start + piece].tolist()
        pass_turn()
    return found


def column(rows: Sequence[Sequence[T]], number: int, piece: int = PIECE) -> tuple[T, ...]:
    """``tuple(row[number] for row in rows)``, built a piece at a time."""
    found: list[T] = []
    for start in range(0, len(rows), piece):
        found += map(itemgetter(number), rows[start : start + piece])
        pass_turn()
    return tuple(found)


def group_spans(lengths: np.ndarray, groups: int = PIECE, items: int = PIECE) -> list[range]:
    """The groups of ``lengths`` (consecutive runs of items) cut into spans, in order, for
    making them a span per C call: at most ``groups`` groups holding at most ``2 * items``
    items together, or one group bigger than ``items`` alone. Counted by groups alone, a
    piece can hold millions of items (the postings of a catalog's commonest words)."""
    count = len(lengths)
    if not count:
        return []
    ends = np.cumsum(lengths, dtype=np.int64)
    starts = ends - lengths
    # A span starts at every ``groups``-th group, where a group starts in another window of
    # ``items`` items than the one before, and around every group bigger than ``items``.
    window = starts // max(items, 1)
    big = np.flatnonzero(np.asarray(lengths) > items)
    cuts = np.concatenate(
        (
            np.arange(0, count, max(groups, 1)),
            np.flatnonzero(window[1:] != window[:-1]) + 1,
            big,
            big + 1,
        )
    )
    bounds = np.unique(np.concatenate((cuts[cuts < count], [count]))).tolist()
    if bounds[0] != 0:
        bounds.insert(0, 0)
    return [range(low, high) for low, high in pairwise(bounds)]


#: Numbers below this are made once per process and shared by every catalog read or built
#: (positions, years, ends of runs): a catalog of 100,000 cards holds about half a million
#: such numbers, each an object of its own otherwise (32 bytes in CPython's small-object
#: arenas, where objects that outlive a catalog pin the arenas it was made in).
SHARED_BELOW = 1 << 18
_shared: np.ndarray = np.empty(0, dtype=object)  # (the numbers 0 .. len - 1, as objects)


def shared_numbers(upto: int) -> np.ndarray:
    """The numbers ``0 .. upto - 1`` (``upto`` at most ``SHARED_BELOW``) as an array of
    objects, each number the same object in every call: made once, grown by doubling."""
    global _shared
    pool = _shared
    if len(pool) < upto:
        if upto > SHARED_BELOW:
            raise ValueError("only numbers below SHARED_BELOW are shared")
        size = min(SHARED_BELOW, max(upto, 2 * len(pool), 1024))
        grown = np.empty(size, dtype=object)
        grown[: len(pool)] = pool
        for start in range(len(pool), size, PIECE):  # (a piece per C call)
            end = min(start + PIECE, size)
            grown[start:end] = np.fromiter(range(start, end), dtype=object, count=end - start)
        _shared = pool = grown  # (one assignment: a reader in another thread sees either)
    return pool


def numbers_listed(array: np.ndarray, piece: int = PIECE) -> list[int]:
    """``array.tolist()`` for an array of whole numbers, a piece per C call, with the numbers
    from 0 up to ``SHARED_BELOW`` taken from :func:`shared_numbers` (one object per number in
    the process, not one per place); other arrays as :func:`listed` makes them."""
    if not len(array):
        return []
    low, high = int(array.min()), int(array.max())
    if low < 0 or high >= SHARED_BELOW:
        return listed(array, piece)
    pool = shared_numbers(high + 1)
    found: list[int] = []
    for start in range(0, len(array), piece):
        found += pool[array[start : start + piece]].tolist()
        pass_turn()
    return found


def numbered(keys: Sequence[H], piece: int = PIECE) -> dict[H, int]:
    """``dict(zip(keys, counting(len(keys))))``: each key's position (a later duplicate's
    wins), the numbers shared, a piece per C call (one call over 100,000 keys held the GIL
    for 10 to 20 ms of a cold load's CPU at 100,000 cards; branch margin13)."""
    found: dict[H, int] = {}
    numbers = counting(len(keys))
    for start in range(0, len(keys), piece):
        found.update(zip(keys[start : start + piece], numbers[start : start + piece], strict=True))
        pass_turn()
    return found


def counting(count: int) -> list[int]:
    """``list(range(count))`` with the numbers shared as :func:`numbers_listed` shares them."""
    if count <= SHARED_BELOW:
        return shared_numbers(count)[:count].tolist()
    return [*shared_numbers(SHARED_BELOW).tolist(), *range(SHARED_BELOW, count)]
