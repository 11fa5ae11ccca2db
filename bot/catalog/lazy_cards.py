"""Cards kept as their stored bodies and made into :class:`Card` objects on first use.

A warm start serves a catalog read back from the database (``bot.catalog.derived``): its
indexes, facets and similarity answer without the cards, and an answer then looks at 1 to 30
of them. Making all 100,000 cards up front (about a million objects, 0.6 to 1 s of CPU) is most
of the start's work that nothing needs yet, so the stored body of each card is kept instead
(its bytes, checked against the card's digest when read) and decoded the first time the card
is asked for; the card made is kept (a body is decoded at most once, give or take two threads
asking for it at the same moment, which make equal cards).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import accumulate, repeat
from typing import Any

from bot.cards.loader import FileStamp
from bot.cards.model import Card
from bot.catalog import sharing
from bot.catalog.packed_facts import FactsRead, PackedFacts
from bot.matching.pieces import counting


class StoredBodies:
    """The stored bodies of a batch of rows in one buffer, and where each ends: the bodies a
    warm start holds until their cards are asked for (about a kilobyte each) are a few big
    blocks, freed whole, not a ``bytes`` object per card scattered through the C heap among
    whatever outlives the catalog (branch ``cols11``). ``decode`` makes a body's card;
    ``shared``: the copies of repeated values the cards made share; ``facts``: the bodies'
    cards' facts (their files' stamps, their digests) in the same order, once packed, when
    each body is its card's served entry (``bot.catalog.entries.served``)."""

    __slots__ = ("_blob", "_ends", "decode", "facts", "shared")

    def __init__(
        self,
        bodies: Sequence[bytes],
        decode: Callable[[bytes], Card],
        shared: sharing.Table | None = None,
    ) -> None:
        self._blob = b"".join(bodies)
        self._ends = array("q", accumulate(map(len, bodies)))
        self.decode = decode
        self.shared = shared
        self.facts: PackedFacts | None = None

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, position: int) -> bytes:
        ends = self._ends
        return self._blob[ends[position - 1] if position > 0 else 0 : ends[position]]

    def held(self, slugs: Sequence[str]) -> list[StoredBody]:
        """A holder per body, in order, for the cards of ``slugs``."""
        if len(slugs) != len(self._ends):
            raise ValueError("a slug per body")
        return list(map(StoredBody, slugs, repeat(self), counting(len(slugs))))


class StoredBody(FactsRead):
    """One card's stored body (the bytes its digest was checked against: a slice of its
    batch's :class:`StoredBodies`), and the card once made from it. Read back from the
    database, it is also its card's served entry (``bot.catalog.entries``): the file's stamp
    and the card's digest from its pack's ``facts``, its title key (``key``), and ``held``
    itself: one small object a card where an ``Entry`` holding it made two (branch
    ``rss20``)."""

    __slots__ = ("_at", "_made", "_pack", "key", "slug")

    def __init__(self, slug: str, pack: StoredBodies, at: int) -> None:
        self.slug = slug
        self._pack: StoredBodies | None = pack
        self._at = at  # (its place in the pack: a number shared by every catalog)
        self._made: Card | None = None
        self.key: tuple[str, int] | None = None  # (as the served entry: its title key)

    @property
    def held(self) -> StoredBody:
        """What holds the card, as an entry's ``held``: this very body."""
        return self

    def _record(self) -> bytes | None:
        pack = self._pack
        facts = pack.facts if pack is not None else None
        return facts.record(self._at) if facts is not None else None

    def _given(self) -> tuple[FileStamp, str]:
        raise ValueError("a stored body whose facts were not packed serves in an Entry")

    def in_entry(self) -> tuple[PackedFacts, int] | None:
        """Its pack's facts and its place there, when it is its card's served entry."""
        pack = self._pack
        facts = pack.facts if pack is not None else None
        return (facts, self._at) if facts is not None else None

    @property
    def is_made(self) -> bool:
        return self._made is not None

    @property
    def raw(self) -> bytes | None:
        """The stored body; None once the card is made (it holds all the body said)."""
        pack = self._pack
        return None if pack is None or self._made is not None else pack[self._at]

    @property
    def card(self) -> Card:
        """The card, made from the body the first time it is asked for, then kept."""
        made = self._made
        if made is None:
            made = self.decoded()
            self._made = made
        return made

    def forget(self) -> bool:
        """Let the card made go (it is made again from the body when next asked for);
        whether there was one."""
        had = self._made is not None
        self._made = None
        return had

    def decoded(self) -> Card:
        """A card made from the body, not kept (the card kept, once made)."""
        pack = self._pack
        made = self._made
        if made is not None or pack is None:
            return made  # type: ignore[return-value]
        made = pack.decode(pack[self._at])
        if made.slug != self.slug:
            raise ValueError("slug differs from its row")
        object.__setattr__(made, "slug", self.slug)  # (the row's slug, an equal string)
        if pack.shared is not None:
            sharing.share_facts((made,), pack.shared)
        return made


def each_card(cards: Mapping[str, Card]) -> Iterator[Card]:
    """Every card of ``cards``, in order, without keeping the ones not made yet (each is made
    for the caller alone): for a pass over all of them that should not leave every card of
    a lazily read catalog made (the bench's naive baseline)."""
    if not isinstance(cards, LazyCards):
        yield from cards.values()
        return
    for value in list(cards._held.values()):
        if type(value) is StoredBody and value.raw is not None:
            yield value.decoded()  # (not made yet: made for the caller alone)
        else:
            yield made(value)


def card_apart(cards: Mapping[str, Card], slug: str) -> Card:
    """The card of ``slug``, made for the caller alone when it is not made yet: the story
    index reads every card a reload changed, and a lazily read catalog should not keep each
    of them made for it, nor their values in its shared table."""
    value = cards._held[slug] if isinstance(cards, LazyCards) else cards[slug]
    if type(value) is StoredBody and value._pack is not None and (raw := value.raw) is not None:
        # (decoded alone: its values are not shared into the catalog's table either, which
        # would keep them as long as the catalog)
        return value._pack.decode(raw)
    return made(value)


def made(value: Card | StoredBody) -> Card:
    """The card ``value`` is or holds."""
    return value.card if type(value) is StoredBody else value  # type: ignore[return-value]


class LazyCards(Mapping[str, Card]):
    """Cards by slug, some still :class:`StoredBody` until asked for: a read-only mapping that
    answers as the plain dict of the same cards would (its order too)."""

    __slots__ = ("_held",)

    def __init__(self, held: dict[str, Card | StoredBody]) -> None:
        self._held = held

    def __getitem__(self, slug: str) -> Card:
        value = self._held[slug]
        if type(value) is StoredBody:
            card = value.card
            self._held[slug] = card  # (a value replaced: the dict's size and order stay)
            return card
        return value  # type: ignore[return-value]

    def get(self, slug: str, default: Any = None) -> Any:
        try:
            return self[slug]
        except KeyError:
            return default

    def __contains__(self, slug: object) -> bool:
        return slug in self._held

    def __iter__(self) -> Iterator[str]:
        return iter(self._held)

    def __len__(self) -> int:
        return len(self._held)

    def __repr__(self) -> str:
        return f"LazyCards({len(self._held)} cards, {self.pending()} not made yet)"

    def forget_made(self, holders: Iterable[tuple[str, object]]) -> int:
        """Let every card made so far go (each made again from its body when next asked
        for): ``holders``, each card's slug and :class:`StoredBody` (others are passed
        over); how many cards went. Run in a worker thread: it looks at every card."""
        held = self._held
        forgotten = 0
        for slug, holder in holders:
            if type(holder) is StoredBody and holder.forget():
                held[slug] = holder  # (a value replaced: the dict's size and order stay)
                forgotten += 1
        return forgotten

    def held(self) -> dict[str, Card | StoredBody]:
        """A copy of what is held, made cards and bodies alike (nothing is decoded)."""
        return dict(self._held)

    def pending(self) -> int:
        """How many cards are still bodies, not yet made."""
        return sum(1 for v in self._held.values() if type(v) is StoredBody and not v.is_made)
