"""The story index's background work beside the answers (branch ``stall18``): a warm start of
unchanged cards compares none of them (the catalog's fingerprint is kept beside the index),
and a build or compare that must walk the catalog gives way (the turn, and the GIL for a
moment: ``turns.give_way``) between pieces whose size does not grow with the catalog.

At 100,000 cards the sync after a warm start looked up every card's digest, read the index's
whole and compared them (0.2 to 0.3 s of CPU alone, 1 to 2.5 s beside the queries), while the
bench's typo queries were asked: their p99 went from under 2 ms to 7 to 25 ms.

Counted, not timed: the calls (Python and C) made inside the sync (``story_following._sync``,
in whichever thread runs it) while a real service starts on a real SQLite file; a
``time.sleep`` among them is ``give_way``'s pause."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.catalog import story_following, story_index
from bot.catalog.service import CatalogService
from bot.catalog.store import Store
from tests.counted_starts import (
    NEW_HEADLINE,
    OLD_HEADLINE,
    Calls,
    catalogs,
    counted_warm_starts,
    start,
)

_SYNC = story_following._sync.__wrapped__.__code__  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two catalogs, the shipped cards and 300 or 1,500 synthetic cards."""
    return catalogs(tmp_path_factory, seed=13)


def test_a_warm_start_of_unchanged_cards_compares_none_of_them(
    folders: dict[str, Path], tmp_path: Path
) -> None:
    small, big, more_cards = counted_warm_starts(folders, tmp_path, _SYNC)
    assert small.entered == big.entered == 1
    assert more_cards > 1_000
    # The same work at both sizes but for noise: not one call per card (main: 6 and more).
    assert big.calls - small.calls < more_cards / 10, (small.calls, big.calls, more_cards)


def test_the_index_built_after_a_cold_start_gives_way_every_few_cards(
    folders: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (pieces smaller than the small catalog, so that both catalogs fill many of them; on
    # code without them, nothing)
    monkeypatch.setattr(story_index, "COMPARED_PIECE", 64, raising=False)
    monkeypatch.setattr(story_following, "DIGESTS_PIECE", 64, raising=False)
    counted: dict[str, Calls] = {}
    for name, folder in folders.items():
        counted[name] = Calls(_SYNC)
        start(folder, tmp_path / f"{name}.sqlite3", counted[name])
    small, big = counted["small"], counted["big"]
    assert small.entered == big.entered == 1
    assert big.calls > 3 * small.calls  # (the build does grow with the catalog)
    assert big.pauses > 3 * small.pauses
    # ... and what it does between two pauses does not (main: no pause, all of it at once).
    assert big.most_between_pauses < 1.5 * small.most_between_pauses, (
        small.most_between_pauses,
        big.most_between_pauses,
    )


def test_cards_changed_while_the_bot_was_down_are_compared_at_the_nextstart(
    shipped_copy: Path, tmp_path: Path
) -> None:
    """The fingerprint kept beside the index is the served cards': a card edited between two
    starts is not taken for stored (its new story is found, its old one is not)."""
    folder, database = shipped_copy, tmp_path / "bot.sqlite3"
    start(folder, database)
    start(folder, database)  # (the warm start: the fingerprint kept, nothing compared)
    card = folder / "navillera.yaml"
    text = card.read_text("utf-8")
    card.write_text(text.replace(OLD_HEADLINE, NEW_HEADLINE), "utf-8")

    async def start_and_search() -> tuple[int, list[str], list[str]]:
        async with Store.open(database) as store:
            service = CatalogService(store, folder)
            await service.start()
            await service.flush()
            index = service.stories.index
            new = [hit.slug for hit in index.search(["astronaut", "parrot"])]
            old = [hit.slug for hit in index.search(["seventy", "finally"])]
            written = service.stories.last_written
            await service.stories.close()
            return written, new, old

    written, new, old = asyncio.run(start_and_search())
    assert written == 1
    assert new == ["navillera"]
    assert "navillera" not in old
