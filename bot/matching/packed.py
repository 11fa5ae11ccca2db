"""Texts held as one UTF-8 buffer and where each ends: for columns of texts that are many,
mostly distinct and seldom read (the roles of every credit), so that a catalog holds a few
buffers instead of a string object per text."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import accumulate
from typing import Any

from bot.matching.pieces import PIECE, numbered


class PackedTexts:
    """A column of texts or None, each made again (decoded) when asked for: the texts' UTF-8
    in one ``bytes``, where each ends in one ``array`` (a look-up is two numbers read and a
    slice decoded, about 0.2 µs: cheap enough for the names a query scores), and which are
    None in one ``bytes`` of flags (empty when none is)."""

    __slots__ = ("_absent", "_blob", "_ends")

    def __init__(self, texts: Sequence[str | None] = ()) -> None:
        count = len(texts)
        chunks: list[bytes] = []
        ends = array("q")
        done = 0
        nones = False
        for start in range(0, count, PIECE):  # (a piece of texts per join)
            piece = texts[start : start + PIECE]
            # (looked for a piece at a time: ``None in`` a whole column compares every text
            # with None in one call, 13 to 31 ms for a column of 100,000 cards' texts whose
            # objects lie all over the heap; branch margin13)
            nones = nones or None in piece
            encoded = [(text or "").encode() for text in piece]
            ends += array("q", accumulate(map(len, encoded), initial=done))[1:]
            done = ends[-1] if ends else 0
            chunks.append(b"".join(encoded))
        self._blob = b"".join(chunks)
        self._ends = ends
        absent = bytes(text is None for text in texts) if nones else b""
        self._absent = absent

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, position: int) -> str | None:
        ends = self._ends
        if position < 0:
            position += len(ends)
            if position < 0:
                raise IndexError("past the start of the column")
        end = ends[position]
        if self._absent and self._absent[position]:
            return None
        return self._blob[ends[position - 1] if position else 0 : end].decode()

    def taken(self, positions: Iterable[int]) -> list[str]:
        """The texts at ``positions`` (none of them None), for the few hundred names a query
        scores: one loop, not a call per text."""
        blob, ends = self._blob, self._ends
        return [blob[ends[p - 1] if p > 0 else 0 : ends[p]].decode() for p in positions]

    def span(self, start: int, end: int) -> list[str | None]:
        """The texts from ``start`` up to ``end`` (positions within the column)."""
        if not 0 <= start <= end <= len(self._ends):
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
