"""Keys kept sorted, so that every key starting with a prefix is found by bisection."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter

from bot.matching.folding import jamo
from bot.matching.pieces import PIECE, column, sorted_in_pieces, unique_in_pieces


@dataclass(frozen=True, slots=True)
class SortedKeys:
    """Compact names (or the tails of names from each word on), sorted. Parallel tuples: the
    key, its id, its tier (0 display name, 1 other name, 2-3 the same for word tails) and its
    Hangul-split form."""

    keys: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    tiers: tuple[int, ...] = ()
    jamo: tuple[str, ...] = ()

    @classmethod
    def of(cls, entries: Iterable[tuple[str, str, int]]) -> SortedKeys:
        # (in pieces: one C call over half a million entries would stall other threads)
        unique = unique_in_pieces(list(entries))
        if not unique:
            return cls()
        unique = sorted_in_pieces(unique, key=itemgetter(0))  # by key alone: faster than tuples
        keys, ids, tiers = column(unique, 0), column(unique, 1), column(unique, 2)
        # Each distinct key that is not ASCII is split into jamo once (one copy of the text
        # for a key several ids hold); every other key is its own form (a look-up in C, a
        # piece at a time).
        split: dict[str, str] = {}
        for k in keys:
            if not k.isascii() and k not in split:
                split[k] = jamo(k)
        forms: list[str] = []
        for start in range(0, len(keys), PIECE):
            part = keys[start : start + PIECE]
            forms += map(split.get, part, part)
        return cls(keys, ids, tiers, tuple(forms))

    def span(self, prefix: str, limit: int | None = None) -> range:
        """Positions of the keys that start with ``prefix`` (at most ``limit`` of them)."""
        start = bisect.bisect_left(self.keys, prefix)
        end = bisect.bisect_left(self.keys, prefix + "\U0010ffff", lo=start)
        return range(start, end if limit is None else min(end, start + limit))
