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
import shutil
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from bot.bench.synthetic import synthetic_cards, write_cards
from bot.cards import turns
from bot.cards.loader import load_cards
from bot.catalog import story_following, story_index
from bot.catalog.service import CatalogService
from bot.catalog.store import Store
from tests.conftest import SHIPPED_CARDS

_SYNC = story_following._sync.__wrapped__.__code__  # type: ignore[attr-defined]
SIZES = {"small": 300, "big": 1_500}
OLD_HEADLINE = "headline: A seventy-year-old man finally learns ballet"
NEW_HEADLINE = "headline: A retired astronaut trains a parrot to dance ballet"


class _SyncCalls:
    """Counts the calls made inside the story index's sync: in all, and the most between two
    pauses (``time.sleep``, ``give_way``'s) or the sync's start and end."""

    def __init__(self) -> None:
        self.inside: set[int] = set()
        self.calls = 0
        self.syncs = 0
        self._since_pause = 0
        self.most_between_pauses = 0
        self.pauses = 0

    def __call__(self, frame: FrameType, event: str, arg: Any) -> None:
        me = threading.get_ident()
        if event == "call" and frame.f_code is _SYNC:
            self.inside.add(me)
            self.syncs += 1
            return
        if me not in self.inside:
            return
        if event == "return" and frame.f_code is _SYNC:
            self.inside.discard(me)
            self._paused()
        elif event == "c_call" and arg is time.sleep:
            self.pauses += 1
            self._paused()
        elif event in ("call", "c_call"):
            self.calls += 1
            self._since_pause += 1

    def _paused(self) -> None:
        self.most_between_pauses = max(self.most_between_pauses, self._since_pause)
        self._since_pause = 0


def _start(folder: Path, database: Path, counter: _SyncCalls | None = None) -> int:
    """One start of a service (as the bot's), its story index brought up to date; counted in
    every thread while it runs when a counter is given. How many cards it serves."""

    async def start() -> int:
        async with Store.open(database) as store:
            service = CatalogService(store, folder)
            assert (await service.start()).applied
            await service.flush()
            await service.stories.close()
            return len(service.catalog)

    if counter is not None:
        threading.setprofile(counter)  # (the threads this start makes: its loop's, its jobs')
    try:
        return asyncio.run(start())
    finally:
        threading.setprofile(None)  # type: ignore[arg-type]
        turns.end_jobs()  # (the next start's job threads are new: counted when asked)


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two catalogs, the shipped cards and 300 or 1,500 synthetic cards."""
    shipped = load_cards(SHIPPED_CARDS).cards
    made: dict[str, Path] = {}
    for name, size in SIZES.items():
        folder = tmp_path_factory.mktemp(name) / "cards"
        shutil.copytree(SHIPPED_CARDS, folder)
        for _ in write_cards(synthetic_cards(size, seed=13, avoid=shipped), folder):
            pass
        made[name] = folder
    return made


def test_a_warm_start_of_unchanged_cards_compares_none_of_them(
    folders: dict[str, Path], tmp_path: Path
) -> None:
    counted: dict[str, _SyncCalls] = {}
    served: dict[str, int] = {}
    for name, folder in folders.items():
        database = tmp_path / f"{name}.sqlite3"
        _start(folder, database)  # (the cold start: the index built)
        counted[name] = _SyncCalls()
        served[name] = _start(folder, database, counted[name])
    small, big = counted["small"], counted["big"]
    assert small.syncs == big.syncs == 1
    more_cards = served["big"] - served["small"]
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
    counted: dict[str, _SyncCalls] = {}
    for name, folder in folders.items():
        counted[name] = _SyncCalls()
        _start(folder, tmp_path / f"{name}.sqlite3", counted[name])
    small, big = counted["small"], counted["big"]
    assert small.syncs == big.syncs == 1
    assert big.calls > 3 * small.calls  # (the build does grow with the catalog)
    assert big.pauses > 3 * small.pauses
    # ... and what it does between two pauses does not (main: no pause, all of it at once).
    assert big.most_between_pauses < 1.5 * small.most_between_pauses, (
        small.most_between_pauses,
        big.most_between_pauses,
    )


def test_cards_changed_while_the_bot_was_down_are_compared_at_the_next_start(
    shipped_copy: Path, tmp_path: Path
) -> None:
    """The fingerprint kept beside the index is the served cards': a card edited between two
    starts is not taken for stored (its new story is found, its old one is not)."""
    folder, database = shipped_copy, tmp_path / "bot.sqlite3"
    _start(folder, database)
    _start(folder, database)  # (the warm start: the fingerprint kept, nothing compared)
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
