"""What the cache knows about a served card's file, packed: the file's size and modification
time, the card's digest and the file's content hash in one record of bytes, records of a batch
read from the database in one buffer (:class:`PackedFacts`), and the reading side every
holder of such a record shares (:class:`FactsRead`: the stamp, the digest, the title key)."""

from __future__ import annotations

import struct
from collections.abc import Sequence

from bot.cards.loader import FileStamp, title_key
from bot.cards.model import Card

#: A packed entry's facts: the file's size and modification time, then the card's digest and
#: the file's content hash (when known) as their 32 bytes each.
SIZES = struct.Struct("<qq")
DIGEST_AT, HASH_AT = SIZES.size, SIZES.size + 32


class PackedFacts:
    """The packed facts (stamp, digest, content hash) of a batch of entries read from the
    database, in one ``bytes`` of records of one size: a warm start's entries hold no
    ``bytes`` object each (an object per card in CPython's small-object arenas, which any
    survivor of the catalog pins; branch ``cols11``)."""

    __slots__ = ("_blob",)

    #: The size of each record: every entry's facts with its file's content hash.
    SIZE = HASH_AT + 32

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


def packed(stamp: FileStamp, digest: str) -> bytes | None:
    """The facts of an entry as one ``bytes``; None when they would not come back as given."""
    try:
        facts = SIZES.pack(stamp.size, stamp.mtime_ns) + bytes.fromhex(digest)
        if stamp.content_hash:
            facts += bytes.fromhex(stamp.content_hash)
    except (ValueError, TypeError, struct.error):
        return None
    if len(facts) != (HASH_AT + 32 if stamp.content_hash else HASH_AT):
        return None
    if facts[DIGEST_AT:HASH_AT].hex() != digest or facts[HASH_AT:].hex() != stamp.content_hash:
        return None  # (upper case, spaces: not the text given)
    return facts


class FactsRead:
    """The reading side of a served card's entry, from its packed record (``_record``) or,
    where there is none, the stamp and digest as given (``_given``): the file's stamp and the
    card's digest made when asked for, and the card's title key, worked out once (``key``).
    Shared by ``bot.catalog.entries.Entry`` and ``bot.catalog.lazy_cards.StoredBody`` (a card
    read back is its own entry)."""

    __slots__ = ()

    key: tuple[str, int] | None

    def _record(self) -> bytes | None:
        raise NotImplementedError

    def _given(self) -> tuple[FileStamp, str]:
        raise NotImplementedError

    @property
    def card(self) -> Card:
        raise NotImplementedError

    @property
    def stamp(self) -> FileStamp:
        facts = self._record()
        if facts is None:
            return self._given()[0]
        size, mtime_ns = SIZES.unpack_from(facts)
        return FileStamp(size, mtime_ns, facts[HASH_AT:].hex())

    @property
    def digest(self) -> str:
        facts = self._record()
        if facts is None:
            return self._given()[1]
        return facts[DIGEST_AT:HASH_AT].hex()

    @property
    def mtime_ns(self) -> int:
        """The file's modification time as stamped (-1: unknown, or to be compared anew)."""
        facts = self._record()
        if facts is None:
            return self._given()[0].mtime_ns
        return SIZES.unpack_from(facts)[1]  # type: ignore[no-any-return]

    def same_file(self, stamp: FileStamp) -> bool:
        """``self.stamp.same_file(stamp)``, without making the stamp."""
        facts = self._record()
        if facts is None:
            return self._given()[0].same_file(stamp)
        size, mtime_ns = SIZES.unpack_from(facts)
        return size == stamp.size and mtime_ns == stamp.mtime_ns and size >= 0

    def same_digest(self, other: FactsRead) -> bool:
        """Whether the two entries hold cards of the same digest."""
        mine, theirs = self._record(), other._record()
        if mine is not None and theirs is not None:
            return mine[DIGEST_AT:HASH_AT] == theirs[DIGEST_AT:HASH_AT]
        return self.digest == other.digest

    @property
    def title_key(self) -> tuple[str, int]:
        if self.key is None:
            self.key = title_key(self.card)
        return self.key
