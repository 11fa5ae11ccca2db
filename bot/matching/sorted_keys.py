"""Keys kept sorted, so that every key starting with a prefix is found by bisection."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

import numpy as np
import numpy.typing as npt

from bot.cards.turns import pass_turn
from bot.matching.names import jamo_forms
from bot.matching.packed import JoinedTexts
from bot.matching.pieces import PIECE, column, sorted_in_pieces, unique_in_pieces


@dataclass(frozen=True, slots=True)
class SortedKeys:
    """Compact names (or the tails of names from each word on), sorted. Parallel tuples: the
    key, its id, its tier (0 display name, 1 other name, 2-3 the same for word tails) and its
    Hangul-split form (the keys and the forms one joined text each, not a string per key,
    bisected through its slices: branch ``rss15``)."""

    keys: JoinedTexts = field(default_factory=JoinedTexts)
    ids: tuple[str, ...] = ()
    tiers: tuple[int, ...] = ()
    jamo: JoinedTexts = field(default_factory=JoinedTexts)
    # Each key's first 8 bytes of UTF-8 as a number (in the keys' order: UTF-8 sorts as code
    # points do): a prefix's span is bisected in C among these first, then among the keys
    # sharing its head through their slices.
    heads: npt.NDArray[np.uint64] = field(
        default_factory=lambda: np.zeros(0, dtype=np.uint64), compare=False
    )

    @classmethod
    def of(cls, entries: Iterable[tuple[str, str, int]]) -> SortedKeys:
        # (in pieces: one C call over half a million entries would stall other threads)
        unique = unique_in_pieces(list(entries))
        if not unique:
            return cls()
        unique = sorted_in_pieces(unique, key=itemgetter(0))  # by key alone: faster than tuples
        keys, ids, tiers = column(unique, 0), column(unique, 1), column(unique, 2)
        # Each distinct key that is not ASCII is split into jamo once (one copy of the text
        # for a key several ids hold); every other key is its own form. The heads are worked
        # out by numpy a piece at a time: no Python code runs per key.
        forms = jamo_forms(keys)
        heads: list[npt.NDArray[np.uint64]] = []
        for start in range(0, len(keys), PIECE):
            heads.append(key_heads(keys[start : start + PIECE]))
            pass_turn()
        return cls(JoinedTexts(keys), ids, tiers, JoinedTexts(forms), np.concatenate(heads))

    def span(self, prefix: str, limit: int | None = None) -> range:
        """Positions of the keys that start with ``prefix`` (at most ``limit`` of them)."""
        encoded = prefix.encode("utf-8", "surrogatepass")
        if not encoded:
            start, end = 0, len(self.heads)
        else:  # (``0xff`` is no byte of UTF-8: the upper head plus one never overflows)
            # The keys below ``start`` have a smaller head, so sort before the prefix; those
            # from ``end`` on a greater head than any text starting with it.
            bounds = (_head(encoded, b"\x00"), _head(encoded, b"\xff") + 1)
            start, end = self.heads.searchsorted(np.array(bounds, dtype=np.uint64)).tolist()
        if len(encoded) > 8 or b"\x00" in encoded:  # (else the heads say it all)
            keys = self.keys
            start = bisect.bisect_left(keys, prefix, start, end)
            end = bisect.bisect_left(keys, prefix + "\U0010ffff", start, end)
        return range(start, end if limit is None else min(end, start + limit))


def _head(encoded: bytes, fill: bytes) -> int:
    """The first 8 bytes of a text's UTF-8 (filled up with ``fill``) as a number."""
    return int.from_bytes(encoded[:8].ljust(8, fill), "big")


def key_heads(keys: Sequence[str]) -> npt.NDArray[np.uint64]:
    """Each key's :func:`_head` (its first 8 bytes of UTF-8, zeros after a shorter key), for a
    piece of keys at once: the keys' UTF-8 joined, each key's first byte found from its code
    points' widths, 8 bytes read from there and those past its end zeroed."""
    if not keys:
        return np.zeros(0, dtype=np.uint64)
    joined = "".join(keys)
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    # UTF-8 bytes per code point (a lone surrogate, passed, is three like its neighbours).
    widths = 1 + (points >= 0x80) + (points >= 0x800) + (points >= 0x10000).astype(np.int64)
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    char_starts = np.cumsum(lengths) - lengths
    byte_offsets = np.concatenate(([0], np.cumsum(widths)))
    firsts = byte_offsets[char_starts]
    sizes = byte_offsets[char_starts + lengths] - firsts
    data = np.frombuffer(joined.encode("utf-8", "surrogatepass") + bytes(8), dtype=np.uint8)
    window = np.arange(8)
    taken = data[firsts[:, None] + window]
    taken[window >= sizes[:, None]] = 0
    return taken.view(">u8").ravel().astype(np.uint64)
