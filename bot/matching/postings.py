"""Inverted indexes that pick a few hundred likely names out of a large catalog.

Fuzzy scoring (rapidfuzz) is fast per comparison but still linear in the number of names; at
100,000 cards a full scan per query costs tens of milliseconds. These indexes are built once per
catalog (vectorised with numpy, so the build stays well under a second at that size) and
answer in a fraction of a millisecond:

* :class:`GramIndex`: character pairs of each key -> the keys holding them. Names within a few
  edits of a query share most of its pairs (the q-gram lemma), so the keys sharing the most
  pairs are the only ones worth scoring.
* :class:`WordIndex`: each whole word -> the names holding it, for "a run of words inside a
  title" and "a word that starts a longer word".

Positions are whatever the caller numbered its names with; both indexes return them in
ascending order, so a caller that numbers short names first gets the best-covered first.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.cards.turns import pass_turn
from bot.matching.pieces import PIECE

Positions = npt.NDArray[np.int32]

_EMPTY: Positions = np.zeros(0, dtype=np.int32)
_CODE_BITS = 21  # every Unicode code point fits in 21 bits
_POSITION_BITS = 21  # up to two million names per index
_START = 0x1FFFFF  # a pseudo-character before each key: "^r" weighs the first letter
# Pairs held by fewer keys than this are never "common" (small catalogs).
COUNT_BUDGET = 2_000
# Postings the first pass reads at most (past the MIN_COUNTED rarest pairs of the query): the
# resolver's tail at 100,000 cards (docs/matching.md).
FIRST_PASS_POSTINGS = 60_000
COMMON_SHARE = 0.05
MIN_COUNTED = 3
ALWAYS_COUNTED = 0.6  # share of the query's pairs counted however common


def _pair_codes(first: npt.NDArray[np.int64], second: npt.NDArray[np.int64]) -> np.ndarray:
    return (first << _CODE_BITS) | second


def _code_points(text: str) -> npt.NDArray[np.int64]:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)


class GramIndex:
    """Character pairs (with a start marker) of each key -> positions of the keys holding them."""

    __slots__ = ("_flat", "_lengths", "_slots")

    def __init__(
        self, slots: dict[int, tuple[int, int]], flat: Positions, lengths: npt.NDArray[np.int32]
    ) -> None:
        self._slots = slots
        self._flat = flat
        self._lengths = lengths

    @classmethod
    def build(cls, keys: Sequence[str], piece: int = PIECE) -> GramIndex:
        """The index of ``keys``. The steps that hold the GIL while they run (joining and
        encoding the keys, ``np.repeat``, making Python numbers and the dict) take at most
        ``piece`` keys or pairs per call, so a build in a worker thread leaves the event loop
        free (40 and 64 ms in one go at 100,000 cards); numpy's arithmetic, masks and sorts
        of whole arrays release it."""
        if len(keys) >= 1 << _POSITION_BITS:
            raise ValueError(f"too many names for one index: {len(keys)}")
        if not keys:
            return cls({}, _EMPTY, _EMPTY)
        # All keys in one array of code points, each preceded by the start marker.
        lengths = np.fromiter((len(k) for k in keys), dtype=np.int64, count=len(keys))
        cuts = range(0, len(keys), piece)
        points = np.concatenate([_code_points("".join(keys[at : at + piece])) for at in cuts])
        owner = np.concatenate(
            [
                np.repeat(np.arange(at, min(at + piece, len(keys)), dtype=np.int64), part)
                for at in cuts
                for part in (lengths[at : at + piece],)
            ]
        )
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        # Pair i is (previous character or the marker, character i) within the same key.
        previous = np.empty_like(points)
        previous[1:] = points[:-1]
        previous[starts[lengths > 0]] = _START
        pairs = _pair_codes(previous, points)
        combined = np.sort((pairs << _POSITION_BITS) | owner)
        combined = combined[np.concatenate(([True], combined[1:] != combined[:-1]))]
        grams = combined >> _POSITION_BITS
        flat = (combined & ((1 << _POSITION_BITS) - 1)).astype(np.int32)
        boundaries = np.flatnonzero(np.diff(grams)) + 1
        first = np.concatenate(([0], boundaries))
        last = np.concatenate((boundaries, [len(grams)]))
        slots: dict[int, tuple[int, int]] = {}
        for at in range(0, len(first), piece):
            lows, highs = first[at : at + piece], last[at : at + piece]
            spans = zip(lows.tolist(), highs.tolist(), strict=True)
            slots.update(zip(grams[lows].tolist(), spans, strict=True))
        return cls(slots, flat, lengths.astype(np.int32))

    def grams(self, key: str) -> list[int]:
        """The distinct pair codes of ``key``."""
        if not key:
            return []
        points = [ord(ch) for ch in key]
        codes = {(_START << _CODE_BITS) | points[0]}
        codes.update((a << _CODE_BITS) | b for a, b in itertools.pairwise(points))
        return list(codes)

    def candidates(self, key: str, limit: int, *, every_pair: bool = False) -> list[int]:
        """Up to ``limit`` positions of the keys sharing the most pairs with ``key``, ascending:
        the first pass's (see :meth:`first_pass`), or with ``every_pair`` the second's."""
        tally = self.first_pass(key)
        if every_pair:
            wider = self.second_pass(tally, limit)
            if wider is not None:
                return wider
        return self.chosen(tally, limit)

    def first_pass(self, key: str, budget: int = FIRST_PASS_POSTINGS) -> Tally:
        """How many of ``key``'s pairs each key shares, counting only some of them, rarest
        first: pairs held by more than ``COMMON_SHARE`` of the keys ("an", "er") are left out
        past the rarest ``ALWAYS_COUNTED`` share of the query's (they say little about which
        key is meant and are most of the work), and so is every pair past ``budget`` postings
        (after the ``MIN_COUNTED`` rarest)."""
        found = sorted(
            (slot[1] - slot[0], slot[0], slot[1])
            for code in self.grams(key)
            if (slot := self._slots.get(code)) is not None
        )
        common = max(COMMON_SHARE * len(self._lengths), COUNT_BUDGET)
        # The rarest pairs, most of the query's, count: a short query made of common words
        # ("sea kig") has nothing else to go on.
        always = max(MIN_COUNTED, math.ceil(ALWAYS_COUNTED * len(found)))
        counted: list[tuple[int, int, int]] = []
        left_out: list[tuple[int, int, int]] = []
        read = 0
        for n, pair in enumerate(found):
            size = pair[0]
            wanted = size <= common or n < always
            if wanted and (n < MIN_COUNTED or read + size <= budget):
                counted.append(pair)
                read += size
            else:
                left_out.append(pair)
        if not counted:
            return Tally(len(key), _EMPTY, _EMPTY, (), tuple(left_out))
        tally = self._tally(len(key), counted)
        return Tally(tally.key_length, tally.keys, tally.shared, tally.counted, tuple(left_out))

    def second_pass(self, tally: Tally, limit: int) -> list[int] | None:
        """:meth:`chosen` with every pair of the query counted, also those the first pass left
        out; None when it left none out (the first pass's choice stands)."""
        if not tally.left_out:
            return None
        return self.chosen(self._tally(tally.key_length, [*tally.counted, *tally.left_out]), limit)

    def _tally(self, key_length: int, counted: list[tuple[int, int, int]]) -> Tally:
        """How many of the ``counted`` pairs each key shares."""
        # Sorted, each key's postings are side by side: how many pairs it shares is the length
        # of its run (sorting is cheaper than counting into an array the size of the index).
        touched = np.concatenate([self._flat[start:end] for _, start, end in counted])
        touched.sort()  # (in place: no copy)
        first = np.empty(len(touched), dtype=bool)  # whether each posting starts a key's run
        first[:1] = True
        np.not_equal(touched[1:], touched[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        # Each run's length, the next run's start minus its own, into one array made once
        # (``np.diff`` with ``append`` copies ``starts`` first: a third of this count's time).
        shared = np.empty(len(starts), dtype=np.intp)
        np.subtract(starts[1:], starts[:-1], out=shared[:-1])
        shared[-1:] = len(touched) - starts[-1:]
        return Tally(key_length, touched[starts], shared, tuple(counted), ())

    def chosen(self, tally: Tally, limit: int) -> list[int]:
        """Up to ``limit`` positions of the keys sharing the most counted pairs, ascending.
        Whole tiers of "shares n pairs" are kept from the top while they fit; when the best
        tier alone is too big, its keys closest to the query's length are kept."""
        keys, shared = tally.keys, tally.shared
        if len(keys) <= limit:
            return keys.tolist()  # type: ignore[no-any-return]
        per_count = np.bincount(shared)  # keys sharing exactly n pairs
        at_least = np.cumsum(per_count[::-1])[::-1]  # keys sharing >= n pairs
        fitting = np.flatnonzero(at_least[1:] <= limit)
        floor = int(fitting[0]) + 1 if len(fitting) else len(at_least) - 1
        chosen = keys[shared >= floor]
        if len(chosen) > limit:
            gaps = np.abs(self._lengths[chosen] - tally.key_length)
            chosen = np.sort(chosen[np.argsort(gaps, kind="stable")[:limit]])
        return chosen.tolist()  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class Tally:
    """A count of shared pairs: the keys sharing any counted pair (ascending), how many each
    shares, and the query's pairs counted and not counted, as (postings, start, end), rarest
    first."""

    key_length: int
    keys: Positions
    shared: npt.NDArray[np.integer]
    counted: tuple[tuple[int, int, int], ...]
    left_out: tuple[tuple[int, int, int], ...]


class WordIndex:
    """Whole words -> ascending positions of the names holding them, with words kept sorted so
    that every word starting with a stem is found by bisection."""

    __slots__ = ("_flat", "_slots", "_words")

    def __init__(self, slots: dict[str, tuple[int, int]], flat: Positions) -> None:
        self._slots = slots
        self._flat = flat
        self._words = sorted(slots)

    @classmethod
    def build(cls, names: Iterable[Sequence[str]], piece: int = PIECE) -> WordIndex:
        """The index of each name's words (a name holding a word twice is listed once). The
        words are numbered in the order first met and (number, position) pairs sorted by
        numpy, which lets the GIL go while it sorts; the other steps are C calls over a piece
        of words: no Python code per name or word (a loop was a second of a cold load's build
        at 100,000 cards)."""
        names = names if isinstance(names, list) else list(names)
        count = len(names)
        if count >= 1 << _POSITION_BITS:
            raise ValueError(f"too many names for one index: {count}")
        sizes = np.zeros(count, dtype=np.int64)
        codes_of: dict[str, int] = {}
        numbers = itertools.count()
        parts: list[npt.NDArray[np.int64]] = []
        for at in range(0, count, piece):
            some = names[at : at + piece]
            sizes[at : at + len(some)] = np.fromiter(map(len, some), np.int64, count=len(some))
            words = list(itertools.chain.from_iterable(some))
            # (a word's number is the count when first met: later ones leave gaps, in order)
            numbered = map(codes_of.setdefault, words, numbers)
            parts.append(np.fromiter(numbered, dtype=np.int64, count=len(words)))
            pass_turn()
        if not codes_of:
            return cls({}, _EMPTY)
        codes = np.concatenate(parts)
        owners = np.repeat(np.arange(count, dtype=np.int64), sizes)
        # Sorted by word, then name, each pair once (a name holding a word twice).
        pairs = np.sort((codes << _POSITION_BITS) | owners)
        pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
        flat = (pairs & ((1 << _POSITION_BITS) - 1)).astype(np.int32)
        grouped = pairs >> _POSITION_BITS
        starts = np.flatnonzero(np.concatenate(([True], grouped[1:] != grouped[:-1])))
        ends = np.append(starts[1:], len(pairs))
        slots: dict[str, tuple[int, int]] = {}
        words_met = list(codes_of)  # (in the order first met: by number)
        for at in range(0, len(words_met), piece):
            firsts, lasts = starts[at : at + piece].tolist(), ends[at : at + piece].tolist()
            spans = zip(firsts, lasts, strict=True)
            slots.update(zip(words_met[at : at + piece], spans, strict=True))
            pass_turn()
        return cls(slots, flat)

    def __contains__(self, word: str) -> bool:
        return word in self._slots

    def postings(self, word: str) -> Positions:
        slot = self._slots.get(word)
        return _EMPTY if slot is None else self._flat[slot[0] : slot[1]]

    def holding_all(self, words: Iterable[str]) -> Positions:
        """Positions of the names holding every one of ``words`` (ascending)."""
        lists = sorted((self.postings(w) for w in set(words)), key=len)
        if not lists:
            return _EMPTY
        result = lists[0]
        for other in lists[1:]:
            if not len(result):
                break
            result = np.intersect1d(result, other, assume_unique=True)
        return result

    def starting_with(self, stem: str, max_words: int, lowest: int | None = None) -> Positions:
        """Positions of the names holding a word that starts with ``stem`` (ascending); with
        ``lowest``, only the first ``lowest`` of them (each word's list is ascending, so only
        its first ``lowest`` can be among them: "love" starts words held by tens of thousands
        of names, and a union of all of them cost 1.5 ms a query)."""
        first = bisect.bisect_left(self._words, stem)
        parts = []
        for word in self._words[first : first + max_words]:
            if not word.startswith(stem):
                break
            parts.append(self.postings(word)[:lowest])
        if not parts:
            return _EMPTY
        found = parts[0] if len(parts) == 1 else np.unique(np.concatenate(parts))
        return found[:lowest]
