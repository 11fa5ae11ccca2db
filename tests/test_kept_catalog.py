"""A catalog read back from the database (a warm start) answers exactly as the one built from
the cards did, at a size where what is kept is written in several chunks and parts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.bench.synthetic import synthetic_cards, write_cards
from bot.cards.loader import load_cards
from bot.catalog import derived
from bot.catalog.lazy_cards import LazyCards, each_card
from bot.catalog.service import CatalogService
from bot.catalog.snapshot import Actor, ActorTable, Catalog, Credit
from bot.catalog.store import Store
from tests.catalog_helpers import start_catalog, started_service
from tests.conftest import SHIPPED_CARDS, minimal_card

CARDS = 6000  # kept parts: more than one (derived.PART_BYTES); names: many chunks


def _queries(catalog: Catalog) -> list[str]:
    """Every title, native title and alias, and each with a slip, cut short or lower-cased."""
    queries: list[str] = []
    for card in list(catalog.cards.values())[::7]:
        for name in (card.title, card.native_title, *card.aliases):
            if name:
                queries += [
                    name,
                    name.lower(),
                    name[:-1],
                    name[1:] + name[0],
                    name[: len(name) // 2],
                ]
    return queries


async def test_a_warm_start_answers_as_the_build_did(tmp_path: Path) -> None:
    folder = tmp_path / "cards"
    shipped = load_cards(SHIPPED_CARDS).cards
    list(write_cards(synthetic_cards(CARDS, seed=5, avoid=shipped), folder))
    database = tmp_path / "bot.sqlite3"
    built = await start_catalog(folder, database)  # no database yet: built, then kept
    with sqlite3.connect(database) as db:
        parts = db.execute(
            "SELECT COUNT(*) FROM catalog_meta WHERE key LIKE ?", (f"{derived.META_KEY}.%",)
        ).fetchone()[0]
    assert parts >= 2
    warm = await start_catalog(folder, database)
    assert warm.lineage != built.lineage  # read back, not the same objects
    # No card was made to start: each is made from its stored body when first asked for.
    assert isinstance(warm.cards, LazyCards) and warm.cards.pending() == len(built.cards)
    assert list(warm.cards) == list(built.cards)
    some = list(built.cards)[::500]
    assert [warm.cards[slug] for slug in some] == [built.cards[slug] for slug in some]
    assert warm.cards.pending() == len(built.cards) - len(some)
    assert warm.cards.get("no-such-card") is None and "no-such-card" not in warm.cards
    assert list(each_card(warm.cards)) == list(built.cards.values())  # (none of them kept)
    assert warm.cards.pending() == len(built.cards) - len(some)
    assert warm.actors == built.actors and list(warm.actors) == list(built.actors)
    for actor in warm.actors.values():
        assert type(actor) is Actor and all(type(c) is Credit for c in actor.credits)
    # Actors are kept as columns and made when asked for, as they are in the built catalog.
    assert isinstance(warm.actors, ActorTable) and isinstance(built.actors, ActorTable)
    assert warm.actors.get("no-such-actor") is None and "no-such-actor" not in warm.actors
    assert all(warm.actors[key] == actor for key, actor in built.actors.items())
    assert warm.facets == built.facets
    titles = _queries(built)
    assert len(titles) > 3000
    assert [warm.titles.resolve(q) for q in titles] == [built.titles.resolve(q) for q in titles]
    assert [warm.titles.suggest(q) for q in titles[::5]] == [
        built.titles.suggest(q) for q in titles[::5]
    ]
    people = [a.name for a in built.actors.values()] + [
        a.name[:-1] for a in list(built.actors.values())[::3]
    ]
    assert [warm.actor_names.resolve(q) for q in people] == [
        built.actor_names.resolve(q) for q in people
    ]
    slugs = list(built.cards)[::11]
    assert [warm.similar(s) for s in slugs] == [built.similar(s) for s in slugs]
    assert [warm.seasons(s) for s in slugs] == [built.seasons(s) for s in slugs]
    assert warm.cards == built.cards and dict(warm.cards) == dict(built.cards)


async def test_an_edit_after_a_warm_start_makes_only_the_cards_it_touches(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "cards"
    list(write_cards(synthetic_cards(300, seed=3), folder))
    database = tmp_path / "bot.sqlite3"
    built = await start_catalog(folder, database)
    path = next(p for p in sorted(folder.glob("*.yaml")) if "\nepisodes: " in p.read_text())
    slug = path.stem
    async with started_service(folder, database) as service:
        cards = service.catalog.cards
        assert isinstance(cards, LazyCards) and cards.pending() == len(built.cards)
        before = built.cards[slug].episodes
        assert before is not None
        text = path.read_text().replace(f"\nepisodes: {before}\n", f"\nepisodes: {before + 1}\n")
        path.write_text(text)
        report = await service.reload()
        assert report.applied and report.diff.changed == (slug,)
        edited = service.catalog.cards
        assert edited[slug].episodes == before + 1
        assert isinstance(edited, LazyCards) and edited.pending() == len(built.cards) - 1
        others = [s for s in built.cards if s != slug]
        assert [edited[s] for s in others] == [built.cards[s] for s in others]


async def test_a_warm_start_reads_the_kept_catalog_before_the_stored_cards(
    shipped_copy: Path, tmp_path: Path
) -> None:
    """The kept catalog (its header and parts, one statement) is read first, so it is decoded
    on the other core while the stored cards are read and the folder is listed, not after
    them (``bot.catalog.kept_ahead``); it still serves only the cards it was kept for."""
    database = tmp_path / "bot.sqlite3"
    built = await start_catalog(shipped_copy, database)
    statements: list[str] = []
    async with Store.open(database) as store:
        await store.db.set_trace_callback(statements.append)
        service = CatalogService(store, shipped_copy)
        report = await service.start()
        await service.flush()
    assert report.applied and service.catalog.lineage != built.lineage
    assert service.catalog.cards == built.cards
    assert service.catalog.similar("run-on") == built.similar("run-on")
    kept = [n for n, s in enumerate(statements) if "FROM catalog_meta WHERE substr" in s]
    cards = [n for n, s in enumerate(statements) if "FROM cards ORDER BY slug" in s]
    assert kept and cards and kept[0] < cards[0]
    assert len(kept) == 1  # (read once: the parts read ahead were the ones used)


async def test_cards_changed_while_stopped_are_picked_up_when_another_process_lists(
    shipped_copy: Path, tmp_path: Path
) -> None:
    """A start that lists the folder in another process (a big folder: forced here) still
    finds a card edited, one added and one removed while the bot was down, and serves what
    a build of the folder serves."""
    database = tmp_path / "bot.sqlite3"
    await start_catalog(shipped_copy, database)
    edited = shipped_copy / "run-on.yaml"
    edited.write_text(
        edited.read_text("utf-8").replace("genres: [romance, drama, sports]", "genres: [crime]"),
        "utf-8",
    )
    (shipped_copy / "a-new-one.yaml").write_text(minimal_card("A New One"), "utf-8")
    (shipped_copy / "anna.yaml").unlink()
    async with Store.open(database) as store:
        service = CatalogService(store, shipped_copy)
        service.list_apart_from = 0
        report = await service.start()
        await service.flush()
    assert report.applied
    assert (report.diff.added, report.diff.changed, report.diff.removed) == (
        ("a-new-one",),
        ("run-on",),
        ("anna",),
    )
    fresh = Catalog.build(load_cards(shipped_copy).cards)
    assert service.catalog.cards == fresh.cards and list(service.catalog.cards) == list(fresh.cards)
    assert {s: service.catalog.similar(s) for s in fresh.cards} == {
        s: fresh.similar(s) for s in fresh.cards
    }
