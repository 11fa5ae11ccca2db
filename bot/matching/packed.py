"""Texts held as one UTF-8 buffer and where each ends: for columns of texts that are many,
mostly distinct and seldom read (the roles of every credit), so that a catalog holds a few
buffers instead of a string object per text."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from bot.matching.pieces import PIECE, counting


class PackedTexts:
    """A column of texts or None, each made again (decoded) when asked for."""

    __slots__ = ("_blob", "_ends", "_present")

    def __init__(self, texts: Sequence[str | None] = ()) -> None:
        count = len(texts)
        present = np.fromiter((text is not None for text in texts), dtype=np.uint8, count=count)
        chunks: list[bytes] = []
        lengths = np.empty(count, dtype=np.int64)
        for start in range(0, count, PIECE):  # (a piece of texts per join)
            encoded = [(text or "").encode() for text in texts[start : start + PIECE]]
            lengths[start : start + len(encoded)] = np.fromiter(
                map(len, encoded), dtype=np.int64, count=len(encoded)
            )
            chunks.append(b"".join(encoded))
        self._blob = np.frombuffer(b"".join(chunks), dtype=np.uint8).copy()
        self._ends = np.cumsum(lengths)
        self._present = present

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, position: int) -> str | None:
        return self.span(position, position + 1)[0]

    def span(self, start: int, end: int) -> list[str | None]:
        """The texts from ``start`` up to ``end`` (positions within the column)."""
        if not 0 <= start <= end <= len(self._ends):
            raise IndexError("past the end of the column")
        if start == end:
            return []
        first = int(self._ends[start - 1]) if start else 0
        ends = (self._ends[start:end] - first).tolist()
        text = self._blob[first : first + ends[-1]].tobytes()
        found: list[str | None] = []
        low = 0
        for high, present in zip(ends, self._present[start:end].tolist(), strict=True):
            found.append(text[low:high].decode() if present else None)
            low = high
        return found

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
        self._at: dict[str, int] = dict(zip(self.ids, counting(len(self.ids)), strict=True))
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
