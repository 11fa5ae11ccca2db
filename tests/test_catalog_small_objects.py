"""What a served catalog holds in CPython's small-object arenas, per card (branch ``cols11``):
the arenas come free only when every object in them does, so a catalog of fewer small objects
leaves fewer arenas pinned by whatever outlives it (docs/performance.md)."""

from __future__ import annotations

import contextlib
import gc
import sys
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

from bot.bench.measure import bump_episodes
from bot.bench.synthetic import synthetic_cards, write_cards
from bot.cards.model import Card
from bot.catalog.derived import FIELDS
from bot.catalog.lazy_cards import LazyCards
from bot.catalog.service import CatalogService
from bot.catalog.store import Store

#: Objects this size or smaller come from CPython's small-object arenas (3.11's obmalloc).
SMALL = 512


def _reached(*roots: object, cards: bool = True) -> dict[int, object]:
    """Every object reachable from ``roots`` by id (each once; classes, modules and functions
    left out, and with ``cards`` false the cards made: what a card holds is made again
    whenever it is, by answers), strings and numbers included, and the keys of every dict
    (``gc.get_referents`` leaves out a dict's keys when they are all strings: the collector
    need not visit them; branch ``rss15``)."""
    skip: tuple[type, ...] = (type, type(sys), type(len), type(lambda: 0))
    skip += () if cards else (Card,)
    seen: dict[int, object] = {}
    stack = list(roots)
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, skip):
            continue
        seen[id(obj)] = obj
        stack.extend(gc.get_referents(obj))
        if type(obj) is dict:
            stack.extend(obj)
    return seen


def _small_objects(*roots: object) -> int:
    """The objects of at most ``SMALL`` bytes reachable from ``roots`` (:func:`_reached`)."""
    return sum(1 for obj in _reached(*roots).values() if sys.getsizeof(obj) <= SMALL)


async def _cold_loaded(folder: Path, database: Path) -> None:
    """A cold load of ``folder`` into ``database``, which keeps the catalog."""
    async with Store.open(database) as store:
        cold = CatalogService(store, folder)
        assert (await cold.start()).applied
        await cold.flush()


@contextlib.asynccontextmanager
async def _warm_started(tmp_path: Path) -> AsyncIterator[tuple[CatalogService, list[Path]]]:
    """A service warm-started on ``CARDS`` cards (cold-loaded first), its full reloads built
    in the worker as at scale; and the cards' files."""
    folder = tmp_path / "cards"
    paths = list(write_cards(synthetic_cards(CARDS, seed=13), folder))
    database = tmp_path / "bot.sqlite3"
    await _cold_loaded(folder, database)
    async with Store.open(database) as store:
        service = CatalogService(store, folder)
        service.build_worker_from = 0  # (a full reload built in the worker, as at scale)
        assert (await service.start()).applied
        await service.flush()
        assert isinstance(service.catalog.cards, LazyCards)  # (a warm start)
        yield service, paths


CARDS = 1_500
#: The small objects a served catalog (every part of it, and the service's entries) may hold
#: per card. Measured at 1,500 cards, dict keys counted: 19.35 per card on main (``3794ceb``)
#: after a warm start, 18.57 after each of two full reloads; branch ``rss15`` 12.24 and 11.47
#: (the indexes' exact names, compact and Hangul-split forms, sorted keys and people's
#: spellings as a few big buffers: ``bot.matching.packed``). Without the dict keys (this
#: test's walk before ``rss15``) main is 17.51 and 16.73, ``rss15`` 11.31 and 10.54. (Was
#: 19.0 with the keys left out: ``cols11``.)
SMALL_PER_CARD = 13.0


#: Small objects a served card may cost the service's entries and the catalog's cards beyond
#: the card itself and what the catalog's other parts hold (its slug, for one), after a full
#: reload read back from the build worker: one holder a card, plus a little for each batch's
#: packs and the values their cards share. Measured at 1,500 cards after each of two full
#: reloads: main (``eef2ac7``) 2.057 a card (an ``Entry`` and a ``StoredBody``), branch
#: ``rss20`` 1.057 (the body its own entry). (After the warm start, cards whose stamps the
#: start checked anew are each held by an ``Entry`` of their own: 2.01 here, 2.43 on main.)
HOLDERS_PER_CARD = 1.2


def _holders(service: CatalogService) -> Counter[str]:
    """The small objects the service's entries and its catalog's cards hold (cards made left
    out) that no other part of the catalog holds, by type."""
    catalog = service.catalog
    parts = _reached(*(getattr(catalog, name) for name in FIELDS), cards=False)
    return Counter(
        type(obj).__name__
        for key, obj in _reached(service._entries, catalog.cards, cards=False).items()
        if key not in parts and sys.getsizeof(obj) <= SMALL
    )


async def test_the_served_catalog_holds_few_small_objects_per_card(tmp_path: Path) -> None:
    """CPython's small-object arenas come free only when every object in them does: a
    catalog of fewer small objects leaves fewer arenas pinned by whatever outlives it. After a
    warm start and after full reloads read back from the build worker (as at scale), the
    catalog and the service's entries hold at most ``SMALL_PER_CARD`` small objects a card.
    And a card read back still as its stored body is one small object, both the service's
    entry (its file's stamp and digest a record of its batch's pack) and the catalog's card
    until it is made: a full reload makes, while the old catalog serves, one object a card
    that can land in its arenas' holes and keep them after it is freed, not two (branch
    ``rss20``): at most ``HOLDERS_PER_CARD`` after each full reload."""
    counts: Counter[str] = Counter()
    holders: dict[str, Counter[str]] = {}
    async with _warm_started(tmp_path) as (service, paths):
        counts["start"] = _small_objects(service.catalog, service._entries)
        delta = 1
        for number in range(2):
            bump_episodes(paths, delta)  # every card changed: a whole new catalog
            delta = -delta
            report = await service.reload()
            assert report.applied and len(report.diff.changed) == CARDS
            await service.flush()
            counts[f"reload {number + 1}"] = _small_objects(service.catalog, service._entries)
            assert isinstance(service.catalog.cards, LazyCards)  # (read back: held, not made)
            holders[f"reload {number + 1}"] = _holders(service)
        cards = service.catalog.cards
        assert len(cards) == CARDS and all(cards[slug].slug == slug for slug in list(cards)[:50])
    per_card = {key: round(value / CARDS, 2) for key, value in counts.items()}
    assert all(value <= SMALL_PER_CARD for value in per_card.values()), per_card
    held = {step: round(counts.total() / CARDS, 3) for step, counts in holders.items()}
    assert all(value <= HOLDERS_PER_CARD for value in held.values()), (held, holders)


#: Characters (or bytes) a text buffer of a served catalog's built parts may hold: a column
#: of texts is chunks of 1,024 texts (``bot.matching.packed``), whatever the catalog's size,
#: so that no join, copy, hash or decode of one holds the GIL longer as the catalog grows.
TEXT_BOUND = 1 << 16
#: Cards served by the test below: its catalog's columns of texts hold many times
#: ``TEXT_BOUND`` (checked), so one buffer per column would be over it.
MANY_CARDS = 4_000


def _texts(*roots: object) -> list[int]:
    """The length of every ``str`` and ``bytes`` reachable from ``roots`` (each once)."""
    seen: set[int] = set()
    lengths: list[int] = []
    stack = list(roots)
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, (type, type(sys), type(len))):
            continue
        seen.add(id(obj))
        if isinstance(obj, (str, bytes)):
            lengths.append(len(obj))
            continue
        stack.extend(gc.get_referents(obj))
        if type(obj) is dict:
            stack.extend(obj)
    return lengths


async def test_no_text_buffer_of_a_served_catalog_grows_with_it(tmp_path: Path) -> None:
    """The built parts of a catalog (the indexes, actors, facets, similarity: what is kept
    and read back) hold no text of more than ``TEXT_BOUND`` characters or bytes, after a cold
    load and after a warm start that read them back, though their texts together are many
    times that: a column held as one buffer would be as big as the catalog's column."""
    folder = tmp_path / "cards"
    list(write_cards(synthetic_cards(MANY_CARDS, seed=17), folder))
    database = tmp_path / "bot.sqlite3"
    found: dict[str, list[int]] = {}
    for start in ("cold", "warm"):
        async with Store.open(database) as store:
            service = CatalogService(store, folder)
            assert (await service.start()).applied
            await service.flush()
            catalog = service.catalog
            parts = [getattr(catalog, name) for name in FIELDS]
            found[start] = _texts(*parts)
        del service, catalog, parts
    for start, lengths in found.items():
        assert sum(lengths) > 8 * TEXT_BOUND, (start, sum(lengths))
        assert max(lengths) <= TEXT_BOUND, (start, max(lengths))


#: Small objects a full reload's catalog (and entries) may hold that the catalog it replaces
#: did not hold: made while the old one served, each one that can land in its arenas' holes
#: and keep them after it is freed (docs/performance.md, branch ``rss18``). Measured at 1,500
#: cards (made cards left out): main (``f73bda9``) 8.3 a card, of which 3.93 strings (the kept
#: catalog's texts read back anew: slugs, names, labels); ``rss18`` 4.4, strings 0.035.
BORN_PER_CARD = 6.0
#: Of which strings (a few dozen texts are the catalog's own, whatever its size: 53 at 1,500
#: cards, 62 at 20,109).
STRINGS_BORN_PER_CARD = 0.1


async def test_a_full_reload_makes_no_new_string_for_a_text_the_serving_catalog_holds(
    tmp_path: Path,
) -> None:
    """A full reload read back from the build worker takes the serving catalog's strings for
    equal texts (``bot.catalog.known_texts``): after every card changed (episode counts only),
    the new catalog and entries hold next to no string the old ones did not, and at most
    ``BORN_PER_CARD`` small objects a card that they did not."""
    born: dict[str, Counter[str]] = {}
    async with _warm_started(tmp_path) as (service, paths):
        delta = 1
        for number in range(2):
            old = (service.catalog, service._entries)  # (held: ids stay theirs)
            before = _reached(*old, cards=False)
            bump_episodes(paths, delta)  # every card changed: a whole new catalog
            delta = -delta
            report = await service.reload()
            assert report.applied and len(report.diff.changed) == CARDS
            await service.flush()
            assert service.catalog is not old[0]
            now = _reached(service.catalog, service._entries, cards=False)
            born[f"reload {number + 1}"] = Counter(
                type(obj).__name__
                for key, obj in now.items()
                if key not in before and sys.getsizeof(obj) <= SMALL
            )
            del old, before, now
    strings = {step: round(counts["str"] / CARDS, 3) for step, counts in born.items()}
    per_card = {step: round(counts.total() / CARDS, 2) for step, counts in born.items()}
    assert all(value <= STRINGS_BORN_PER_CARD for value in strings.values()), (strings, born)
    assert all(value <= BORN_PER_CARD for value in per_card.values()), (per_card, born)


async def test_a_reload_that_lists_the_folder_lets_the_made_cards_go_first(tmp_path: Path) -> None:
    """Where CPython's own allocator serves (as in this test's process), a reload that lists
    the whole folder lets go of the cards answers made before it lists it: the listing's
    stamps (a few small objects per file, made while the catalog serves) then fill their
    holes, not fresh arenas the next catalog keeps (branch ``rss18``). Nothing changed here:
    the cards made are still let go, each made again when next asked for."""
    folder = tmp_path / "cards"
    list(write_cards(synthetic_cards(300, seed=11), folder))
    database = tmp_path / "bot.sqlite3"
    await _cold_loaded(folder, database)
    async with Store.open(database) as store:
        service = CatalogService(store, folder)
        assert (await service.start()).applied
        await service.flush()
        cards = service.catalog.cards
        assert isinstance(cards, LazyCards)  # (a warm start)
        asked = list(cards)[:40]
        made = [cards[slug] for slug in asked]
        assert cards.pending() == len(cards) - len(asked)
        report = await service.reload()  # (no names: the whole folder is listed)
        assert report.applied and not report.diff.changed
        assert service.catalog.cards is cards  # (nothing changed: the same catalog serves)
        assert cards.pending() == len(cards)
        assert [cards[slug] for slug in asked] == made  # (made again, equal)
