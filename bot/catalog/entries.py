"""The cards being served, each with what the cache knows about its file, and the
fingerprint of a set of them (which cards a kept catalog was built from)."""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter

from bot.cards.loader import FileStamp, title_key
from bot.cards.model import Card
from bot.catalog import derived
from bot.catalog.lazy_cards import StoredBody, made
from bot.matching.pieces import sorted_in_pieces


@dataclass(slots=True)
class Entry:
    """A card being served, with what the cache knows about its file."""

    held: Card | StoredBody  # (a stored body until the card is first needed: a warm start)
    stamp: FileStamp
    digest: str
    key: tuple[str, int] | None = None  # its title_key, worked out when first needed

    @property
    def card(self) -> Card:
        return made(self.held)

    @property
    def title_key(self) -> tuple[str, int]:
        if self.key is None:
            self.key = title_key(self.card)
        return self.key


def fingerprint_of(
    entries: dict[str, Entry], known: tuple[dict[str, Entry], str] | None = None
) -> str:
    """The fingerprint of ``entries``; ``known``: other entries and theirs, reused when both
    hold the same cards (the same slugs and digests: a look-up per card, not a sort and a
    hash of all of them)."""
    if known is not None and _same_digests(known[0], entries):
        return known[1]
    # Sorted here in bounded pieces: ``derived.fingerprint`` sorts again, which on sorted
    # input is one pass, where a sort of 100,000 pairs in one call holds the GIL for tens of
    # milliseconds (a stall of the event loop, though it runs in a worker thread).
    pairs = sorted_in_pieces(
        ((slug, entry.digest) for slug, entry in entries.items()), key=itemgetter(0)
    )
    return derived.fingerprint(pairs)


def _same_digests(one: dict[str, Entry], other: dict[str, Entry]) -> bool:
    if len(one) != len(other):
        return False
    for slug, entry in one.items():
        theirs = other.get(slug)
        if theirs is None or (theirs is not entry and theirs.digest != entry.digest):
            return False
    return True
