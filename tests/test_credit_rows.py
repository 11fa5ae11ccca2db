"""The cast credits the store keeps for SQL look-ups: every stored card's cast, in its order,
billed from 1, whichever way the rows are written (taken from the card bodies by SQL, or
bound row by row where SQLite has no JSON functions), after a first load and after reloads."""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import sqlite3
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.bench.synthetic import synthetic_cards, write_cards
from bot.cards.loader import load_cards
from bot.cards.model import Card, CastMember
from bot.catalog import store as store_module
from bot.catalog.service import CatalogService
from bot.catalog.store import Store
from tests.conftest import SHIPPED_CARDS

Row = tuple[str, int, str, str | None]


def _expected(cards: list[Card]) -> list[Row]:
    rows = [
        (card.slug, billing, member.actor, member.role)
        for card in cards
        for billing, member in enumerate(card.cast, start=1)
    ]
    return sorted(rows, key=lambda row: (row[0], row[1]))


def _stored(database: Path) -> list[Row]:
    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT slug, billing, actor, role FROM cast_credits ORDER BY slug, billing"
        ).fetchall()


def _actor_index(database: Path) -> list[str]:
    with sqlite3.connect(database) as db:
        return [
            row[0]
            for row in db.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cast_credits' "
                "AND sql IS NOT NULL"
            )
        ]


async def _load(folder: Path, database: Path) -> list[Card]:
    async with Store.open(database) as store:
        service = CatalogService(store, folder)
        report = await service.start()
        assert report.applied
        await service.flush()
    return load_cards(folder).cards


async def _reload(folder: Path, database: Path) -> None:
    async with Store.open(database) as store:
        service = CatalogService(store, folder)
        await service.start()
        await service.flush()


def test_a_cold_load_and_reloads_store_every_cards_cast(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first load of a few thousand of the bench's cards (an empty table: the bulk write),
    then a start that finds some casts edited, one card removed and one added (a table with
    credits: the old rows of those cards replaced). The written slugs go to SQL in pieces
    (of 300 here, so 1,200 cards make four)."""
    monkeypatch.setattr(store_module, "_SLUGS_PIECE", 300)
    folder = tmp_path / "cards"
    cards = synthetic_cards(1_200, seed=11)
    list(write_cards(cards, folder))
    database = tmp_path / "bot.sqlite3"
    loaded = asyncio.run(_load(folder, database))
    assert len(_stored(database)) > 3 * len(cards) // 2
    assert _stored(database) == _expected(loaded)
    assert _actor_index(database) == ["CREATE INDEX cast_credits_actor ON cast_credits(actor)"]

    # Edited: a member dropped, a role taken away, the cast in another order.
    edited = []
    for card in cards[:50]:
        cast = list(reversed(card.cast))[: max(1, len(card.cast) - 1)]
        cast[0] = dataclasses.replace(cast[0], role=None)
        edited.append(dataclasses.replace(card, cast=tuple(cast)))
    (folder / f"{cards[60].slug}.yaml").unlink()
    added = dataclasses.replace(
        cards[61],
        slug=f"{cards[61].slug}-2",
        title=f"{cards[61].title} 2",
        aliases=(),
        native_title=None,
    )
    for path in write_cards([*edited, added], folder):
        path.touch()
    asyncio.run(_reload(folder, database))
    assert _stored(database) == _expected(load_cards(folder).cards)
    assert _actor_index(database) == ["CREATE INDEX cast_credits_actor ON cast_credits(actor)"]


@functools.cache
def _shipped() -> list[Card]:
    """The shipped cards, read once for all of hypothesis's examples (a list of frozen cards:
    each example replaces them, never changes them)."""
    return load_cards(SHIPPED_CARDS).cards


_NAMES = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    casts=st.lists(
        st.lists(st.tuples(_NAMES, st.none() | _NAMES), min_size=1, max_size=5),
        min_size=1,
        max_size=6,
    )
)
def test_credits_from_bodies_equal_the_rows_bound_one_by_one(
    tmp_path_factory: object, casts: list[list[tuple[str, str | None]]]
) -> None:
    """Any names (quotes, backslashes, control characters, any script) come out of the card
    bodies exactly as the cards hold them, as the same rows as those written one at a time
    where SQLite has no JSON functions."""
    base = _shipped()
    cards = [
        dataclasses.replace(
            card, cast=tuple(CastMember(actor=actor, role=role) for actor, role in cast)
        )
        for card, cast in zip(base, casts, strict=False)
    ]
    where = tmp_path_factory.mktemp("credits")  # type: ignore[attr-defined]

    async def stored(name: str, json_functions: bool) -> list[Row]:
        async with Store.open(where / name) as store:
            store._json = json_functions  # (False: as an SQLite without them writes)
            await store.replace_catalog(base)  # (a table with credits: they are replaced)
            await store.replace_catalog(cards)
        return _stored(where / name)

    from_bodies = asyncio.run(stored("bodies.sqlite3", True))
    bound = asyncio.run(stored("bound.sqlite3", False))
    assert from_bodies == bound == _expected(cards)


class _Watched(list):  # type: ignore[type-arg]
    """A list of rows that notes every thread that walks it."""

    walkers: set[int]

    def __iter__(self):  # type: ignore[no-untyped-def]
        self.walkers.add(threading.get_ident())
        return super().__iter__()


def test_writing_changed_cards_walks_them_off_the_event_loop(tmp_path: Path) -> None:
    """Whether each changed card has its body, and how many credits they hold, are loops over
    every changed card (100,000 at a cold load): worked out in a thread, never on the event
    loop (they were on it, a stall traced at 100,000 cards)."""
    from bot.cards.loader import FileStamp, card_body
    from bot.catalog.store import StoredCard

    cards = load_cards(SHIPPED_CARDS).cards
    rows = _Watched()
    rows.walkers = set()
    for card in cards:
        body, digest = card_body(card)
        rows.append(StoredCard(card.slug, FileStamp(-1, -1), digest, body, card))

    async def write() -> int:
        async with Store.open(tmp_path / "bot.sqlite3") as store:
            await store.write_changes(rows, (), (), "test", replace=True)
        return threading.get_ident()

    loop_thread = asyncio.run(write())
    assert rows.walkers, "the rows were never walked"
    assert loop_thread not in rows.walkers
    assert _stored(tmp_path / "bot.sqlite3") == _expected(cards)
