"""Texts held as one UTF-8 buffer and where each ends: for columns of texts that are many,
mostly distinct and seldom read (the roles of every credit), so that a catalog holds a few
buffers instead of a string object per text."""

from __future__ import annotations

import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import accumulate, islice
from operator import methodcaller
from typing import Any

import numpy as np

from bot.cards.turns import pass_turn
from bot.matching.pieces import PIECE, free_in_slices, mapped, numbered, numbers_listed


class PackedTexts:
    """A column of texts or None, each made again (decoded) when asked for: the texts' UTF-8
    in a ``bytes`` per chunk of ``CHUNK`` texts, where each starts in one ``array`` per chunk
    (a look-up is two numbers read and a slice decoded, about 0.2 µs: cheap enough for the
    names a query scores), and which are None in a ``bytes`` of flags per chunk (empty when
    none is). A chunk's size does not grow with the column's: no join, copy, keeping or
    reading back of a whole column in one hold of the GIL (branch ``rss16``)."""

    __slots__ = ("_absent", "_blobs", "_count", "_ends")

    #: Texts per chunk (a power of two: a text's chunk is its position shifted by ``SHIFT``).
    SHIFT = 10
    CHUNK = 1 << SHIFT

    def __init__(self, texts: Sequence[str | None] = ()) -> None:
        self._count = len(texts)
        self._blobs: list[bytes] = []
        # Each chunk's texts' starts in its buffer, and the buffer's length last.
        self._ends: list[array[int]] = []
        self._absent: list[bytes] = []
        for start in range(0, len(texts), self.CHUNK):
            piece = texts[start : start + self.CHUNK]
            encoded = [(text or "").encode() for text in piece]
            self._ends.append(array("I", accumulate(map(len, encoded), initial=0)))
            self._blobs.append(b"".join(encoded))
            self._absent.append(bytes(text is None for text in piece) if None in piece else b"")

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, position: int) -> str | None:
        if not 0 <= position < self._count:
            position = _within(position, self._count)
        number, local = position >> self.SHIFT, position & (self.CHUNK - 1)
        absent = self._absent[number]
        if absent and absent[local]:
            return None
        ends = self._ends[number]
        return self._blobs[number][ends[local] : ends[local + 1]].decode()

    def taken(self, positions: Iterable[int]) -> list[str]:
        """The texts at ``positions`` (none of them None), for the few hundred names a query
        scores: one loop, not a call per text."""
        blobs, all_ends, shift, mask = self._blobs, self._ends, self.SHIFT, self.CHUNK - 1
        found: list[str] = []
        for position in positions:
            ends, local = all_ends[position >> shift], position & mask
            found.append(blobs[position >> shift][ends[local] : ends[local + 1]].decode())
        return found

    def span(self, start: int, end: int) -> list[str | None]:
        """The texts from ``start`` up to ``end`` (positions within the column)."""
        if not 0 <= start <= end <= self._count:
            raise IndexError("past the end of the column")
        return list(map(self.__getitem__, range(start, end)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PackedTexts):
            return NotImplemented
        return self.span(0, len(self)) == other.span(0, len(other))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PackedTexts({len(self)} texts)"


class PackedLabels(Mapping[str, str]):
    """Ids to the texts that show them (an index's labels) as the plain dict answers (its
    order too), the texts a :class:`PackedTexts` column: one buffer, not a string per id."""

    __slots__ = ("_at", "_texts", "ids")

    def __init__(self, labels: Mapping[str, str] | None = None) -> None:
        labels = labels or {}
        self.ids: list[str] = list(labels)
        self._at: dict[str, int] = numbered(self.ids)
        self._texts = PackedTexts(list(labels.values()))

    def __getitem__(self, key: str) -> str:
        return self._texts[self._at[key]]  # type: ignore[return-value]

    def get(self, key: str, default: Any = None) -> Any:
        at = self._at.get(key)
        return default if at is None else self._texts[at]

    def __contains__(self, key: object) -> bool:
        return key in self._at

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        return f"PackedLabels({len(self.ids)} labels)"


class JoinedTexts(Sequence[str]):
    """A column of texts as a few joined strings (*chunks*: ``CHUNK`` texts each, each text
    followed by ``SEPARATOR``) and where each text starts in its chunk: a text read is one
    slice, a run of them one slice and one split per chunk, and the column is a few objects
    where a tuple of texts was one small object per text (a Hangul-split form per name:
    100,000 at 100,000 cards, each able to pin an arena of CPython's allocator past its
    catalog's life; branch ``rss15``). A chunk's size does not grow with the column's, so no
    step over it (joining, counting, hashing, keeping and reading it back) holds the GIL for
    longer as the catalog grows: one string of the whole column stalled the event loop 67 ms
    at 100,000 cards (branch ``rss16``). A fixed count per chunk finds a text's chunk with a
    shift, not a bisection. Read by the few hundred names a query scores, so a slice (no
    decode) rather than :class:`PackedTexts`."""

    __slots__ = ("_chunks", "_count", "_splits", "_starts")

    SEPARATOR = "\x00"
    #: Texts per chunk (a power of two: a text's chunk is its position shifted by ``SHIFT``).
    SHIFT = 10
    CHUNK = 1 << SHIFT

    def __init__(self, texts: Sequence[str] = ()) -> None:
        sep, size = self.SEPARATOR, self.CHUNK
        self._chunks: list[str] = []
        # Each chunk's texts' starts in it (the first at 0, every other after a separator),
        # and the chunk's length last: a text ends one before the next one's start.
        self._starts: list[array[int]] = []
        self._count = len(texts)
        splits = True  # (a run is split at the separator only when no text holds one)
        for begin in range(0, len(texts), size):
            piece = texts[begin : begin + size]
            chunk = sep.join(piece) + sep
            self._chunks.append(chunk)
            # (each text's length and its separator's, counted in C: no Python per text)
            self._starts.append(array("I", accumulate(map(_PLUS_ONE, map(len, piece)), initial=0)))
            splits = splits and chunk.count(sep) == len(piece)
        self._splits = splits

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, position: int) -> str:  # type: ignore[override]
        if not 0 <= position < self._count:
            position = _within(position, self._count)
        starts, local = self._starts[position >> self.SHIFT], position & (self.CHUNK - 1)
        return self._chunks[position >> self.SHIFT][starts[local] : starts[local + 1] - 1]

    def taken(self, positions: Iterable[int]) -> list[str]:
        """The texts at ``positions`` (a query's pool): one loop, not a call per text."""
        chunks, all_starts, shift, mask = self._chunks, self._starts, self.SHIFT, self.CHUNK - 1
        found: list[str] = []
        for position in positions:
            starts, local = all_starts[position >> shift], position & mask
            found.append(chunks[position >> shift][starts[local] : starts[local + 1] - 1])
        return found

    def span(self, start: int, end: int) -> list[str]:
        """The texts from ``start`` up to ``end`` (positions within the column)."""
        if not 0 <= start <= end <= self._count:
            raise IndexError("past the end of the column")
        if not self._splits:
            return list(map(self.__getitem__, range(start, end)))
        found: list[str] = []
        while start < end:  # (a slice and a split per chunk the run touches)
            number, first = start >> self.SHIFT, start & ~(self.CHUNK - 1)
            upto = min(end, first + self.CHUNK)
            starts, text = self._starts[number], self._chunks[number]
            found += text[starts[start - first] : starts[upto - first] - 1].split(self.SEPARATOR)
            start = upto
        return found

    def __iter__(self) -> Iterator[str]:
        for begin in range(0, self._count, self.CHUNK):
            yield from self.span(begin, min(begin + self.CHUNK, self._count))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, JoinedTexts):
            return list(self) == list(other)
        if isinstance(other, (list, tuple)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"JoinedTexts({len(self)} texts)"


_PLUS_ONE = (1).__add__


def _within(position: int, count: int) -> int:
    """A negative ``position`` counted from the end of ``count`` items (IndexError: outside)."""
    if -count <= position < 0:
        return position + count
    raise IndexError("outside the column")


def _in_pieces(items: Iterable[Any]) -> list[Any]:
    """``list(items)``, a piece per C call."""
    found: list[Any] = []
    items = iter(items)
    while piece := list(islice(items, PIECE)):
        found += piece
    return found


_UTF8 = methodcaller("encode", "utf-8", "surrogatepass")


def _stable_hash(key: str) -> int:
    """A hash of ``key`` the same in every process (a kept table is read back as it is)."""
    return zlib.crc32(key.encode("utf-8", "surrogatepass"))


class ExactKeys(Mapping[str, Any]):
    """A dict of texts to values (an index's exact names to their ids) as three columns: the
    keys' stable hashes sorted (an ``array``), the keys in that order (:class:`JoinedTexts`)
    and their values (a list). A look-up is a hash, a C bisection and a slice compared (about
    a microsecond, against a twentieth of one for the dict); the table holds no string per key
    (a quarter of a million small objects at 100,000 cards, each able to pin an arena of
    CPython's allocator past its catalog's life; branch ``rss15``)."""

    __slots__ = ("_hashes", "_keys", "_values")

    def __init__(self, exact: Mapping[str, Any] | None = None) -> None:
        # (every step a piece per C call: a catalog's exact names are a quarter of a million)
        keys, values = _in_pieces(exact or {}), _in_pieces((exact or {}).values())
        # The keys' hashes made in C (no Python call per key), and their order by hash (ties
        # by position: a stable sort) by numpy, which lets the GIL go while it sorts.
        hashes = np.empty(len(keys), dtype=np.uint32)
        for start in range(0, len(keys), PIECE):
            part = keys[start : start + PIECE]
            hashes[start : start + len(part)] = np.fromiter(
                map(zlib.crc32, map(_UTF8, part)), dtype=np.uint32, count=len(part)
            )
            pass_turn()
        by_hash = np.argsort(hashes, kind="stable")
        self._hashes = array("I")
        for start in range(0, len(keys), PIECE):
            self._hashes.frombytes(hashes[by_hash[start : start + PIECE]].tobytes())
        order = numbers_listed(by_hash)
        self._keys = JoinedTexts(mapped(keys.__getitem__, order))
        self._values: list[Any] = mapped(values.__getitem__, order)
        free_in_slices(order, keys, values)

    def _at(self, key: str) -> int:
        """Where ``key`` is (-1: not held)."""
        if type(key) is not str:
            return -1
        wanted = _stable_hash(key)
        hashes = self._hashes
        at = bisect_left(hashes, wanted)
        while at < len(hashes) and hashes[at] == wanted:
            if self._keys[at] == key:
                return at
            at += 1
        return -1

    def __getitem__(self, key: str) -> Any:
        at = self._at(key)
        if at < 0:
            raise KeyError(key)
        return self._values[at]

    def get(self, key: str, default: Any = None) -> Any:
        at = self._at(key)
        return default if at < 0 else self._values[at]

    def __contains__(self, key: object) -> bool:
        return self._at(key) >= 0  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"ExactKeys({len(self)} keys)"
