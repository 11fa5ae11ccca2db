"""A tuple of values per key, held as columns: what each card's similarity picks are kept as.

A catalog of 100,000 cards has a tuple of computed picks per card and a tuple of listed
titles (each a pair) for most of them: hundreds of thousands of small objects that live as
long as the catalog and, in CPython's small-object arenas, keep the arenas they were made in
from coming free when it goes. Here every key's values are slices of one list (two for
pairs), made into the tuple when asked for (an answer asks for one card's)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from bot.matching.pieces import PIECE, numbered, numbers_listed


class Groups(Mapping[str, tuple[Any, ...]]):
    """Keys to tuples of values (``pairs``: of two-value tuples), as the plain dict of the
    same tuples answers (its order too)."""

    __slots__ = ("_at", "_ends", "firsts", "keys_", "seconds")

    def __init__(self, groups: Mapping[str, tuple[Any, ...]], *, pairs: bool = False) -> None:
        self.keys_: list[str] = list(groups)
        self._at: dict[str, int] = numbered(self.keys_)
        values = list(groups.values())
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        self._ends: list[int] = numbers_listed(np.cumsum(lengths))
        every: list[Any] = []
        for start in range(0, len(values), PIECE):  # (a piece per C call)
            every += itertools.chain.from_iterable(values[start : start + PIECE])
        if pairs:
            self.firsts: list[Any] = [pair[0] for pair in every]
            self.seconds: list[Any] | None = [pair[1] for pair in every]
        else:
            self.firsts, self.seconds = every, None

    def __getitem__(self, key: str) -> tuple[Any, ...]:
        at = self._at[key]
        start, end = self._ends[at - 1] if at else 0, self._ends[at]
        if self.seconds is None:
            return tuple(self.firsts[start:end])
        return tuple(zip(self.firsts[start:end], self.seconds[start:end], strict=True))

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self._at else default

    def __contains__(self, key: object) -> bool:
        return key in self._at

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys_)

    def __len__(self) -> int:
        return len(self.keys_)

    def __repr__(self) -> str:
        return f"Groups({len(self.keys_)} keys)"
