"""The cards being served, each with what the cache knows about its file, and the
fingerprint of a set of them (which cards a kept catalog was built from)."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from itertools import islice, repeat

from bot.cards.loader import FileStamp, title_key
from bot.cards.model import Card
from bot.cards.turns import in_turn, pass_turn
from bot.catalog import derived
from bot.catalog.lazy_cards import StoredBody, made
from bot.matching.pieces import PIECE, counting, free_in_slices

#: A packed entry's facts: the file's size and modification time, then the card's digest and
#: the file's content hash (when known) as their 32 bytes each.
_SIZES = struct.Struct("<qq")
_DIGEST_AT, _HASH_AT = _SIZES.size, _SIZES.size + 32


class Entry:
    """A card being served, with what the cache knows about its file: the file's stamp and
    the card's digest packed in one ``bytes`` (one object where a stamp, its two numbers, its
    hash and the digest were five: half a million small objects at 100,000 cards), given back
    as a :class:`FileStamp` and a hex string when asked for. (Values that would not come back
    exactly as given, such as a digest that is no SHA-256, are held as given.)"""

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
        self._facts: bytes | PackedFacts | None = _packed(stamp, digest)
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

    @property
    def stamp(self) -> FileStamp:
        facts = self._record()
        if facts is None:
            return self._as_given[0]  # type: ignore[index]
        size, mtime_ns = _SIZES.unpack_from(facts)
        return FileStamp(size, mtime_ns, facts[_HASH_AT:].hex())

    @property
    def digest(self) -> str:
        facts = self._record()
        if facts is None:
            return self._as_given[1]  # type: ignore[index]
        return facts[_DIGEST_AT:_HASH_AT].hex()

    @property
    def mtime_ns(self) -> int:
        """The file's modification time as stamped (-1: unknown, or to be compared anew)."""
        facts = self._record()
        if facts is None:
            return self._as_given[0].mtime_ns  # type: ignore[index]
        return _SIZES.unpack_from(facts)[1]  # type: ignore[no-any-return]

    def same_file(self, stamp: FileStamp) -> bool:
        """``self.stamp.same_file(stamp)``, without making the stamp."""
        facts = self._record()
        if facts is None:
            return self._as_given[0].same_file(stamp)  # type: ignore[index,no-any-return]
        size, mtime_ns = _SIZES.unpack_from(facts)
        return size == stamp.size and mtime_ns == stamp.mtime_ns and size >= 0

    def same_digest(self, other: Entry) -> bool:
        """Whether the two entries hold cards of the same digest."""
        mine, theirs = self._record(), other._record()
        if mine is not None and theirs is not None:
            return mine[_DIGEST_AT:_HASH_AT] == theirs[_DIGEST_AT:_HASH_AT]
        return self.digest == other.digest

    @property
    def card(self) -> Card:
        return made(self.held)

    @property
    def title_key(self) -> tuple[str, int]:
        if self.key is None:
            self.key = title_key(self.card)
        return self.key

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


class PackedFacts:
    """The packed facts (``Entry``'s: stamp, digest, content hash) of a batch of entries read
    from the database, in one ``bytes`` of records of one size: a warm start's entries hold
    no ``bytes`` object each (an object per card in CPython's small-object arenas, which any
    survivor of the catalog pins; branch ``cols11``)."""

    __slots__ = ("_blob",)

    #: The size of each record: every entry's facts with its file's content hash.
    SIZE = _HASH_AT + 32

    def __init__(self, records: Sequence[bytes]) -> None:
        if any(len(record) != self.SIZE for record in records):
            raise ValueError("records of one size only")
        self._blob = b"".join(records)

    def __len__(self) -> int:
        return len(self._blob) // self.SIZE

    def record(self, at: int) -> bytes:
        if not 0 <= at < len(self):
            raise IndexError("no such record")
        return self._blob[at * self.SIZE : (at + 1) * self.SIZE]

    @classmethod
    def entries(cls, rows: Sequence[tuple[Card | StoredBody, FileStamp, str]]) -> list[Entry]:
        """An entry per ``(held, stamp, digest)``, in order: their facts in one pack when
        every one packs to a full record, else each its own (as ``Entry`` makes them)."""
        records = [_packed(stamp, digest) for _, stamp, digest in rows]
        if not all(record is not None and len(record) == cls.SIZE for record in records):
            return [Entry(held, stamp, digest) for held, stamp, digest in rows]
        pack = cls(records)  # type: ignore[arg-type]
        held = [value for value, _, _ in rows]
        return list(map(Entry.in_pack, held, repeat(pack), counting(len(rows))))


def _packed(stamp: FileStamp, digest: str) -> bytes | None:
    """The facts of an entry as one ``bytes``; None when they would not come back as given."""
    try:
        facts = _SIZES.pack(stamp.size, stamp.mtime_ns) + bytes.fromhex(digest)
        if stamp.content_hash:
            facts += bytes.fromhex(stamp.content_hash)
    except (ValueError, TypeError, struct.error):
        return None
    if len(facts) != (_HASH_AT + 32 if stamp.content_hash else _HASH_AT):
        return None
    if facts[_DIGEST_AT:_HASH_AT].hex() != digest or facts[_HASH_AT:].hex() != stamp.content_hash:
        return None  # (upper case, spaces: not the text given)
    return facts


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
