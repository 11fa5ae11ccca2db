"""A served catalog as a few big buffers (branch ``cols11``): the stored bodies of a warm start
packed per batch, texts packed with their ends in an array: each packed form answers as the
plain values it replaces, on generated inputs (tests/test_catalog_small_objects.py: what
they save)."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from bot.bench.synthetic import synthetic_cards
from bot.cards.loader import FileStamp, card_body, title_key
from bot.cards.model import Card
from bot.catalog.entries import Entry, PackedFacts, entries_packed, served
from bot.catalog.lazy_cards import LazyCards, StoredBodies, StoredBody, each_card
from bot.catalog.packed_facts import packed
from bot.catalog.store import _card_of
from bot.matching.packed import PackedTexts

TEXTS = st.lists(st.text(max_size=10), max_size=80)


@given(TEXTS, st.data())
def test_packed_texts_give_back_any_texts_asked_for(texts: list[str], data: st.DataObject) -> None:
    packed = PackedTexts(texts)
    positions = data.draw(st.lists(st.integers(0, max(len(texts) - 1, 0)), max_size=30))
    if texts:
        assert packed.taken(positions) == [texts[p] for p in positions]
        assert [packed[-n] for n in range(1, len(texts) + 1)] == texts[::-1]
    assert packed.taken([]) == []


@given(st.lists(st.binary(max_size=40), max_size=60), st.data())
def test_stored_bodies_give_back_each_body(bodies: list[bytes], data: st.DataObject) -> None:
    pack = StoredBodies(bodies, _card_of)
    assert len(pack) == len(bodies)
    assert [pack[n] for n in range(len(bodies))] == bodies
    slugs = [f"s{n}" for n in range(len(bodies))]
    held = pack.held(slugs)
    assert [h.slug for h in held] == slugs and [h.raw for h in held] == bodies
    assert not any(h.is_made for h in held)


def _cards(count: int) -> list[Card]:
    return list(synthetic_cards(count, seed=5))


def test_stored_bodies_make_the_cards_they_hold_once_and_then_let_the_body_go() -> None:
    cards = _cards(30)
    bodies = [card_body(card)[0].encode() for card in cards]
    pack = StoredBodies(bodies, _card_of)
    held = pack.held([card.slug for card in cards])
    lazy = LazyCards(dict(zip([c.slug for c in cards], held, strict=True)))
    assert list(each_card(lazy)) == cards  # (made for the caller alone: none kept)
    assert not any(h.is_made for h in held)
    assert [lazy[card.slug] for card in cards] == cards
    assert all(h.is_made and h.raw is None for h in held)
    assert all(h.card is lazy[h.slug] for h in held)  # (made once)
    assert type(lazy._held[cards[0].slug]) is Card and isinstance(held[0], StoredBody)


HEX = st.binary(min_size=32, max_size=32).map(bytes.hex)
INT64 = st.integers(-(1 << 63), (1 << 63) - 1)
STAMPS = st.builds(FileStamp, INT64, INT64, st.one_of(HEX, st.just(""), st.text(max_size=5)))
ROWS = st.lists(st.tuples(STAMPS, st.one_of(HEX, st.text(max_size=5))), max_size=30)


@given(ROWS, ROWS)
def test_entries_with_packed_facts_answer_as_plain_entries(
    rows: list[tuple[FileStamp, str]], others: list[tuple[FileStamp, str]]
) -> None:
    held = [f"card {n}" for n in range(len(rows))]
    packed = entries_packed([(h, s, d) for h, (s, d) in zip(held, rows, strict=True)])  # type: ignore[misc]
    plain = [Entry(h, s, d) for h, (s, d) in zip(held, rows, strict=True)]  # type: ignore[arg-type]
    assert packed == plain
    for entry, (stamp, digest) in zip(packed, rows, strict=True):
        assert entry.stamp == stamp and entry.digest == digest
        assert entry.mtime_ns == stamp.mtime_ns
        for theirs, their_digest in others:
            assert entry.same_file(theirs) == stamp.same_file(theirs)
            assert entry.same_digest(Entry(None, theirs, their_digest)) == (  # type: ignore[arg-type]
                digest == their_digest
            )


def test_entries_read_together_hold_one_buffer_of_facts() -> None:
    def hexed(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()

    rows = [
        (f"card {n}", FileStamp(n, 10 * n, hexed(f"file {n}")), hexed(f"{n}")) for n in range(9)
    ]
    entries = entries_packed(rows)  # type: ignore[arg-type]
    assert len({id(entry._facts) for entry in entries}) == 1
    assert type(entries[0]._facts) is PackedFacts and len(entries[0]._facts) == len(rows)
    assert [(e.held, e.stamp, e.digest) for e in entries] == rows


@given(ROWS, ROWS)
def test_stored_bodies_served_as_their_own_entries_answer_as_plain_entries(
    rows: list[tuple[FileStamp, str]], others: list[tuple[FileStamp, str]]
) -> None:
    """A batch read back whose cards are still their stored bodies: each body is its own entry
    (``served``) when every row's facts pack, and answers as an ``Entry`` holding it would."""
    cards = _cards(len(rows))
    pack = StoredBodies([card_body(card)[0].encode() for card in cards], _card_of)
    held = pack.held([card.slug for card in cards])
    triples = [(h, s, d) for h, (s, d) in zip(held, rows, strict=True)]
    served_ = served(triples)  # type: ignore[arg-type]
    plain = [Entry(h, s, d) for h, s, d in triples]
    all_pack = all(len(packed(stamp, digest) or b"") == PackedFacts.SIZE for stamp, digest in rows)
    assert [entry is body for entry, body in zip(served_, held, strict=True)] == [all_pack] * len(
        rows
    )
    for entry, same, (stamp, digest) in zip(served_, plain, rows, strict=True):
        assert entry.held is same.held
        assert (entry.stamp, entry.digest, entry.mtime_ns) == (stamp, digest, stamp.mtime_ns)
        for theirs, their_digest in others:
            assert entry.same_file(theirs) == stamp.same_file(theirs)
            other = Entry(None, theirs, their_digest)  # type: ignore[arg-type]
            assert entry.same_digest(other) == (digest == their_digest)
            assert other.same_digest(entry) == (digest == their_digest)
    assert [entry.title_key for entry in served_] == [title_key(card) for card in cards]
    assert [entry.card for entry in served_] == cards
