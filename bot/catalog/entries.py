"""The cards being served, each with what the cache knows about its file, and the
fingerprint of a set of them (which cards a kept catalog was built from)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice, repeat

from bot.cards.loader import FileStamp
from bot.cards.model import Card
from bot.cards.turns import in_turn, pass_turn
from bot.catalog import derived
from bot.catalog.lazy_cards import StoredBody, made
from bot.catalog.packed_facts import FactsRead, PackedFacts, packed
from bot.matching.pieces import PIECE, counting, free_in_slices


class Entry(FactsRead):
    """A card being served, with what the cache knows about its file: the file's stamp and
    the card's digest packed in one ``bytes`` (one object where a stamp, its two numbers, its
    hash and the digest were five: half a million small objects at 100,000 cards), given back
    as a :class:`FileStamp` and a hex string when asked for. (Values that would not come back
    exactly as given, such as a digest that is no SHA-256, are held as given.) A card read back
    from the database still as its stored body is its own entry instead
    (:class:`StoredBody`, one object a card: :func:`served`)."""

    __slots__ = ("_as_given", "_at", "_facts", "held", "key")

    def __init__(
        self,
        held: Card | StoredBody,  # (a stored body until the card is first needed: a warm start)
        stamp: FileStamp,
        digest: str,
        key: tuple[str, int] | None = None,  # its title_key, worked out when first needed
    ) -> None:
        self.held = held
        self.key = key
        self._facts: bytes | PackedFacts | None = packed(stamp, digest)
        self._as_given = (stamp, digest) if self._facts is None else None
        self._at = 0

    @classmethod
    def in_pack(
        cls, held: Card | StoredBody, pack: PackedFacts, at: int, key: tuple[str, int] | None = None
    ) -> Entry:
        """The entry whose facts are record ``at`` of ``pack`` (``at``: a shared number)."""
        entry = cls.__new__(cls)
        entry.held, entry.key = held, key
        entry._facts, entry._at, entry._as_given = pack, at, None
        return entry

    def _record(self) -> bytes | None:
        facts = self._facts
        if type(facts) is PackedFacts:
            return facts.record(self._at)
        return facts  # type: ignore[return-value]

    def _given(self) -> tuple[FileStamp, str]:
        return self._as_given  # type: ignore[return-value]

    @property
    def card(self) -> Card:
        return made(self.held)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Entry):
            return NotImplemented
        return (self.held, self.stamp, self.digest, self.key) == (
            other.held,
            other.stamp,
            other.digest,
            other.key,
        )

    __hash__ = None  # type: ignore[assignment]  # (mutable: its card is made in place)

    def __repr__(self) -> str:
        return f"Entry({self.held!r}, {self.stamp!r}, {self.digest!r}, {self.key!r})"


#: What serves a card: an :class:`Entry`, or a card read back still as its stored body, which
#: is its own entry (its facts a record of its batch's pack).
Served = Entry | StoredBody


def entries_packed(rows: Sequence[tuple[Card | StoredBody, FileStamp, str]]) -> list[Entry]:
    """An entry per ``(held, stamp, digest)``, in order: their facts in one pack when every
    one packs to a full record, else each its own (as ``Entry`` makes them)."""
    records = [packed(stamp, digest) for _, stamp, digest in rows]
    if not all(record is not None and len(record) == PackedFacts.SIZE for record in records):
        return [Entry(held, stamp, digest) for held, stamp, digest in rows]
    pack = PackedFacts(records)  # type: ignore[arg-type]
    held = [value for value, _, _ in rows]
    return list(map(Entry.in_pack, held, repeat(pack), counting(len(rows))))


def served(rows: Sequence[tuple[Card | StoredBody, FileStamp, str]]) -> list[Served]:
    """What serves each ``(held, stamp, digest)`` of a batch read back, in order. The stored
    bodies first, all of one batch's :class:`StoredBodies` in their order there (as
    ``store.held`` yields them), are each their own entry, the batch's facts packed in their
    pack (``StoredBodies.facts``): one small object a card where an ``Entry`` and a
    ``StoredBody`` were two, made while the old catalog serves (docs/performance.md, branch
    ``rss20``). Otherwise (cards made, facts that do not pack) :func:`entries_packed`."""
    bodies = 0
    for held, _, _ in rows:
        if type(held) is not StoredBody or held._at != bodies:
            break
        bodies += 1
    pack = rows[0][0]._pack if bodies else None  # type: ignore[union-attr]
    records = [packed(stamp, digest) for _, stamp, digest in rows[:bodies]]
    if (
        pack is None
        or len(pack) != bodies
        or pack.facts is not None
        or any(row[0]._pack is not pack for row in rows[:bodies])  # type: ignore[union-attr]
        or not all(record is not None and len(record) == PackedFacts.SIZE for record in records)
    ):
        return list(entries_packed(rows))  # type: ignore[arg-type]
    pack.facts = PackedFacts(records)  # type: ignore[arg-type]
    return [*(held for held, _, _ in rows[:bodies]), *entries_packed(rows[bodies:])]


@in_turn
def fingerprint_of(
    entries: dict[str, Entry], known: tuple[dict[str, Entry], str] | None = None
) -> str:
    """The fingerprint of ``entries``; ``known``: other entries and theirs, reused when both
    hold the same cards (the same slugs and digests: a look-up per card, not a sort and a
    hash of all of them)."""
    if known is not None and _same_digests(known[0], entries):
        return known[1]
    # A sum of a hash per card (``derived.fingerprint``), a piece at a time, the turn
    # passed between pieces: no call over the whole catalog, and no sort.
    pairs = ((slug, entry.digest) for slug, entry in entries.items())
    total = 0
    while piece := list(islice(pairs, PIECE)):
        total += derived.fingerprint_sum(piece)
        pass_turn()
    return derived.fingerprint_of_sum(total)


def _same_digests(one: dict[str, Entry], other: dict[str, Entry]) -> bool:
    if len(one) != len(other):
        return False
    for slug, entry in one.items():
        theirs = other.get(slug)
        if theirs is None or (theirs is not entry and not theirs.same_digest(entry)):
            return False
    return True


def slugs_shared(entries: dict[str, Entry], slugs: Sequence[str]) -> None:
    """Key ``entries`` (in place, in the same order) by the equal strings of ``slugs`` (a kept
    catalog's: the slugs every part of it refers to), and give each card still held as its
    stored body that string too: the slugs the stored rows were read with, one more string
    per card that would live as long as the catalog, are then freed (branch ``cols11``). Slugs
    not in ``slugs`` stay as they are. A piece per C call: the dicts hold 100,000 cards."""
    theirs: dict[str, str] = {}
    for start in range(0, len(slugs), PIECE):
        part = slugs[start : start + PIECE]
        theirs.update(zip(part, part, strict=True))
    pairs = list(entries.items())
    entries.clear()
    found = theirs.get
    for start in range(0, len(pairs), PIECE):
        piece = pairs[start : start + PIECE]
        for slug, entry in piece:
            held = entry.held
            if type(held) is StoredBody:
                held.slug = found(slug, held.slug)
        entries.update((found(slug, slug), entry) for slug, entry in piece)
    free_in_slices(pairs)
