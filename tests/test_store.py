"""The SQLite store: schema versions, the atomic catalog swap, state that survives reloads."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import aiosqlite
import pytest

from bot.cards.loader import load_cards
from bot.catalog.store import SCHEMA_VERSION, Store, StoreError
from tests.conftest import SHIPPED_CARDS


@pytest.fixture
def shipped_cards() -> list:
    return load_cards(SHIPPED_CARDS).cards


async def test_new_database_gets_the_current_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with Store.open(path) as store:
        assert await store.schema_version() == SCHEMA_VERSION
    with sqlite3.connect(path) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"cards", "cast_credits", "guild_settings", "bot_state", "catalog_meta"} <= tables


async def test_database_from_a_newer_bot_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer than this bot"):
        async with Store.open(path):
            pass


async def test_swap_reports_added_changed_and_removed(tmp_path: Path, shipped_cards: list) -> None:
    async with Store.open(tmp_path / "bot.sqlite3") as store:
        first = await store.replace_catalog(shipped_cards[:10])
        assert len(first.added) == 10 and not first.changed and not first.removed
        edited = [*shipped_cards[1:10], shipped_cards[10]]
        from dataclasses import replace

        edited[0] = replace(edited[0], episodes=99)
        second = await store.replace_catalog(edited)
        assert second.added == (shipped_cards[10].slug,)
        assert second.changed == (shipped_cards[1].slug,)
        assert second.removed == (shipped_cards[0].slug,)
        assert second.unchanged == 8
        stored = await store.load_catalog()
        assert {c.slug for c in stored} == {c.slug for c in edited}
        assert next(c for c in stored if c.slug == shipped_cards[1].slug).episodes == 99


async def test_failed_swap_leaves_the_old_catalog_whole(
    tmp_path: Path, shipped_cards: list
) -> None:
    async with Store.open(tmp_path / "bot.sqlite3") as store:
        await store.replace_catalog(shipped_cards)
        duplicate = [*shipped_cards[:3], shipped_cards[0]]  # the second insert of a slug fails
        with pytest.raises(sqlite3.IntegrityError):
            await store.replace_catalog(duplicate)
        assert len(await store.load_catalog()) == len(shipped_cards)


async def test_a_reader_sees_the_old_or_the_new_catalog_never_a_mix(
    tmp_path: Path, shipped_cards: list
) -> None:
    path = tmp_path / "bot.sqlite3"
    async with Store.open(path) as store:
        await store.replace_catalog(shipped_cards[:20])
        async with aiosqlite.connect(path) as reader:
            await reader.execute("BEGIN")
            async with reader.execute("SELECT count(*) FROM cards") as cursor:
                assert (await cursor.fetchone())[0] == 20
            await store.replace_catalog(shipped_cards[20:25])
            async with reader.execute("SELECT count(*) FROM cards") as cursor:
                assert (await cursor.fetchone())[0] == 20  # its snapshot is still the old catalog
            await reader.execute("COMMIT")
            async with reader.execute("SELECT count(*) FROM cards") as cursor:
                assert (await cursor.fetchone())[0] == 5


async def test_settings_and_state_survive_catalog_swaps(
    tmp_path: Path, shipped_cards: list
) -> None:
    path = tmp_path / "bot.sqlite3"
    async with Store.open(path) as store:
        await store.replace_catalog(shipped_cards)
        await store.set_guild_setting(42, "region", "KR")
        await store.set_state("fingerprint", "abc")
        await store.replace_catalog(shipped_cards[:1])
    async with Store.open(path) as store:
        assert await store.get_guild_setting(42, "region") == "KR"
        assert await store.get_state("fingerprint") == "abc"
        assert len(await store.load_catalog()) == 1


async def test_cast_credits_are_stored_for_sql_lookups(tmp_path: Path, shipped_cards: list) -> None:
    async with Store.open(tmp_path / "bot.sqlite3") as store:
        await store.replace_catalog(shipped_cards)
        async with store.db.execute(
            "SELECT slug, billing, role FROM cast_credits WHERE actor = 'Kang Tae Oh' ORDER BY slug"
        ) as cursor:
            rows = await cursor.fetchall()
    assert ("run-on", 4, "Lee Young-hwa") in rows


def test_stored_bodies_decode_to_the_cards_they_were_made_from() -> None:
    """The fast decoder (msgspec) and the long way (json + card_from_dict) give equal cards;
    a body from an older version (nulls where defaults now apply, keys missing) still loads,
    and a body that is not a card is a damaged row, not an exception."""
    import hashlib
    import json

    from bot.cards.loader import card_body
    from bot.cards.model import card_from_dict
    from bot.catalog.store import decode_rows

    cards = load_cards(SHIPPED_CARDS).cards
    rows = []
    for card in cards:
        body, digest = card_body(card)
        rows.append((card.slug.encode(), 1, 2, b"h", digest.encode(), body.encode()))
    old = {"slug": "old-one", "title": "Old One", "year": 2001, "cast": [{"actor": "A B"}]}
    old |= {"country": None, "streaming": [{"service": "Viki", "kind": None}]}
    old_body = json.dumps(old).encode()
    rows.append((b"old-one", 1, 2, b"h", hashlib.sha256(old_body).hexdigest().encode(), old_body))
    rows.append((b"not-a-card", 1, 2, b"h", b"00", b'{"slug": "not-a-card", "year": "x"}'))
    rows.append((b"not-text", 1, 2, b"h", b"00", b"\xff\xfe"))
    good, bad = decode_rows(rows)
    assert [row.card for row in good] == [*cards, card_from_dict(old)]
    assert good[-1].card is not None and good[-1].card.country == "KR"
    assert good[-1].card.streaming[0].kind == "subscription"
    assert bad == ["not-a-card", "not-text"]


def _many_cards(cards: list, copies: int) -> list:
    """``copies`` copies of each card under its own slug (enough credits for a bulk write)."""
    import dataclasses

    return [
        dataclasses.replace(card, slug=f"{card.slug}-{n}") for n in range(copies) for card in cards
    ]


def _credit_index(path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(path) as db:
        return db.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name = 'cast_credits' AND sql IS NOT NULL"
        ).fetchall()


async def test_a_bulk_write_into_an_empty_database_keeps_the_credits_index(
    tmp_path: Path, shipped_cards: list
) -> None:
    """Credits written into an empty table get their actor index made after them: the same
    index as the schema's, used by look-ups, and left as it was when the write fails."""
    from bot.catalog.store import BULK_CREDITS

    cards = _many_cards(shipped_cards, 40)
    assert sum(len(card.cast) for card in cards) >= BULK_CREDITS  # (the bulk path is taken)
    fresh, path = tmp_path / "fresh.sqlite3", tmp_path / "bot.sqlite3"
    async with Store.open(fresh):
        pass
    schema = _credit_index(fresh)
    assert schema and schema[0][0] == "cast_credits_actor"
    async with Store.open(path) as store:
        await store.replace_catalog(cards)
        async with store.db.execute(
            "SELECT count(*) FROM cast_credits WHERE actor = 'Kang Tae Oh'"
        ) as cursor:
            (count,) = await cursor.fetchone()
        async with store.db.execute(
            "EXPLAIN QUERY PLAN SELECT slug FROM cast_credits WHERE actor = 'Kang Tae Oh'"
        ) as cursor:
            plan = " ".join(str(row[-1]) for row in await cursor.fetchall())
        # A second bulk write (the catalog replaced whole) that fails half-way: a slug twice.
        doubled = [*cards, cards[0]]
        with pytest.raises(sqlite3.IntegrityError):
            await store.replace_catalog(doubled)
    credited = sum(1 for c in shipped_cards for m in c.cast if m.actor == "Kang Tae Oh")
    assert credited and count == 40 * credited
    assert "cast_credits_actor" in plan
    assert _credit_index(path) == schema
