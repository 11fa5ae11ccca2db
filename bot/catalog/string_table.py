"""The kept catalog's string table (``bot.catalog.derived``): every value of every column of
texts in one table, each distinct text once, in the order first met, and each value's place
in it (None: -1).

Worked out once for all the columns, from the texts' hashes in numpy, not with a dict of
every text: numpy sorts and groups 8-byte numbers without holding the GIL, and every other
call here works on a piece of ``PIECE`` values. The dict (1.3 million texts at 100,000 cards)
grew by rehashing all it held in one call (24 to 29 ms of CPU at 699,050 texts, more with
its fresh pages' faults) and was emptied in another (16 ms): the cold load's worst
event-loop stalls (docs/performance.md, branch ``stall12``). Texts that share a hash but
differ (a collision; astronomically rare with 64-bit hashes) are found and placed after the
others, so every place is right whatever the hashes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from operator import is_not
from typing import Any

import numpy as np

#: Values per C call (see ``bot.catalog.derived.PIECE``).
PIECE = 1 << 13
#: Numbers per numpy gather or scatter that holds the GIL (a few milliseconds each).
SPAN = 1 << 19


def filled(values: Iterable[Any], dtype: Any, count: int) -> np.ndarray:
    """An array of ``count`` numbers from ``values``, made a piece per C call."""
    array = np.empty(count, dtype=dtype)
    done = 0
    values = iter(values)
    while done < count:
        piece = np.fromiter(values, dtype=dtype, count=min(PIECE, count - done))
        array[done : done + len(piece)] = piece
        done += len(piece)
    return array


def placed(
    values: Sequence[str | None], key: Callable[[str | None], int] = hash
) -> tuple[np.ndarray, list[str]]:
    """Each value's place in the table (a little-endian ``int32`` array, -1 for None) and
    the table: each distinct text of ``values`` once, in the order first met (``key``: the
    hash the texts are grouped by; any function gives the same answer, only slower when many
    texts share one)."""
    count = len(values)
    texts = np.flatnonzero(filled(map(is_not, values, repeat(None)), bool, count))
    hashes = _taken(filled(map(key, values), np.int64, count), texts)
    order = np.argsort(hashes, kind="stable")  # (equal hashes: the first met first)
    ordered = _taken(hashes, order)
    del hashes
    starts = np.ones(len(ordered), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    del ordered
    groups = np.cumsum(starts) - 1  # (each sorted value's group)
    firsts = order[starts]  # (where each group is first met, among the texts)
    del starts
    by_first = np.argsort(firsts, kind="stable")
    rank = np.empty(len(firsts), dtype=np.int64)
    rank[by_first] = np.arange(len(firsts))
    places = np.empty(len(texts), dtype=np.int64)
    _put(places, order, _taken(rank, groups))
    del order, groups, rank
    table = _listed(values, _taken(texts, _taken(firsts, by_first)))
    del firsts, by_first
    _collisions_placed(values, texts, places, table)
    codes = np.full(count, -1, dtype="<i4")
    _put(codes, texts, places)
    return codes, table


def _taken(array: np.ndarray, where: np.ndarray) -> np.ndarray:
    """``array[where]``, a span per call."""
    found = np.empty(len(where), dtype=array.dtype)
    for start in range(0, len(where), SPAN):
        found[start : start + SPAN] = array[where[start : start + SPAN]]
    return found


def _put(array: np.ndarray, where: np.ndarray, what: np.ndarray) -> None:
    """``array[where] = what``, a span per call."""
    for start in range(0, len(where), SPAN):
        array[where[start : start + SPAN]] = what[start : start + SPAN]


def _listed(values: Sequence[Any], where: np.ndarray) -> list[Any]:
    """``[values[n] for n in where]``, a piece per C call."""
    found: list[Any] = []
    for start in range(0, len(where), PIECE):
        found += map(values.__getitem__, where[start : start + PIECE].tolist())
    return found


def _collisions_placed(
    values: Sequence[str | None], texts: np.ndarray, places: np.ndarray, table: list[str]
) -> None:
    """Every text whose group's first text is another (their hashes collide) given a place of
    its own after the table's others (``places`` and ``table`` changed here)."""
    own: dict[str, int] = {}
    for start in range(0, len(texts), PIECE):
        found = _listed(values, texts[start : start + PIECE])
        piece = places[start : start + PIECE]
        if found == list(map(table.__getitem__, piece.tolist())):
            continue
        for number, text in enumerate(found):
            if text != table[piece[number]]:
                if text not in own:
                    own[text] = len(table)
                    table.append(text)  # type: ignore[arg-type]
                piece[number] = own[text]
