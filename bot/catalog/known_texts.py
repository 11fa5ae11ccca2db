"""The texts the serving catalog holds, looked up by value while a full reload's catalog is
read back, so that the new catalog takes the old one's strings instead of new equal ones.

Where CPython's own allocator serves, every small object a full reload makes while the old
catalog still serves may land in the old catalog's arenas and keep them part-empty after it
is freed (docs/performance.md, branches ``rss17`` and ``rss18``): a kept catalog's string
table is about three texts per card (the slugs, the actors' names, the labels), half of the
small objects a reload made. Most are the very texts the serving catalog holds already; a
string is immutable and compared by value, so the one held serves the new catalog as well,
and the equal one read is freed at once (in the hole it was made in).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.cards.freeing import free_in_slices
from bot.cards.turns import pass_turn

#: The look-up is this many dicts, a text in the one its hash picks: none grows past a few
#: thousand texts at 100,000 cards, so no single resize or clear walks all of them.
SHARDS = 64
#: Texts added per turn.
PIECE = 8_192


class KnownTexts:
    """Texts by value (each maps to itself), in :data:`SHARDS` dicts. Made, used and let go
    (:meth:`let_go`) in a worker thread."""

    __slots__ = ("_shards",)

    def __init__(self, texts: Sequence[str]) -> None:
        self._shards: list[dict[str, str]] = [{} for _ in range(SHARDS)]
        shards = self._shards
        for start in range(0, len(texts), PIECE):
            for text in texts[start : start + PIECE]:
                shards[hash(text) % SHARDS][text] = text
            pass_turn()

    def get(self, text: str, default: str) -> str:
        """The text held equal to ``text``, else ``default``."""
        return self._shards[hash(text) % SHARDS].get(text, default)

    def __len__(self) -> int:
        return sum(map(len, self._shards))

    def let_go(self) -> None:
        """Empty the shards a slice at a time."""
        free_in_slices(*self._shards)
