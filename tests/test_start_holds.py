"""The start's last long holds of the GIL (branch ``cold19``), counted through a real service
on real card files and a real SQLite file, at two catalog sizes; not timed.

- The big folder's listing, read back from the listing process (``listing._stamps``): at
  100,000 cards a Python loop over every file held the GIL 42 ms in one traced cold load. It
  is read a piece at a time with a pause between pieces (``turns.give_way``), and what it
  calls between two pauses does not grow with the folder.
- A warm start of unchanged cards let go of the served entries dict (every entry shared with
  the new one) by walking it item by item: 14 to 17 ms of CPU in one turn at 100,000 cards.
  It is let go in one call (``heap.Shared``): the release makes the same calls at both sizes.
- The story index's compare with the served cards (after a start that found an edit) called a
  ``lambda`` per card, twice (0.30 s of CPU at 100,000 cards): each piece is one comprehension.

A call is a Python function or C function called in the code looked at (in whichever thread
runs it); a ``time.sleep`` there is ``give_way``'s pause."""

from __future__ import annotations

import asyncio
import shutil
import threading
import time
from pathlib import Path
from types import CodeType, FrameType
from typing import Any

import pytest

from bot.bench.synthetic import synthetic_cards, write_cards
from bot.cards import turns
from bot.cards.loader import load_cards
from bot.catalog import heap, listing
from bot.catalog.service import CatalogService
from bot.catalog.store import Store
from bot.catalog.story_index import StoryIndex
from tests.conftest import SHIPPED_CARDS

SIZES = {"small": 300, "big": 1_500}
OLD_HEADLINE = "headline: A seventy-year-old man finally learns ballet"
NEW_HEADLINE = "headline: A retired astronaut trains a parrot to dance ballet"


class _Calls:
    """The calls made inside ``code``: in all, and the most between two pauses (or the
    code's start and end)."""

    def __init__(self, code: CodeType) -> None:
        self.code = code
        self.inside: dict[int, int] = {}  # (thread: depth of the code looked at)
        self.entered = 0
        self.calls = 0
        self.pauses = 0
        self._since_pause = 0
        self.most_between_pauses = 0

    def __call__(self, frame: FrameType, event: str, arg: Any) -> None:
        me = threading.get_ident()
        if frame.f_code is self.code and event in ("call", "return"):
            depth = self.inside.get(me, 0) + (1 if event == "call" else -1)
            self.inside[me] = depth
            if event == "call" and depth == 1:
                self.entered += 1
            elif depth == 0:
                self._paused()
            return
        if not self.inside.get(me):
            return
        if event == "c_call" and arg is time.sleep:
            self.pauses += 1
            self._paused()
        elif event in ("call", "c_call"):
            self.calls += 1
            self._since_pause += 1

    def _paused(self) -> None:
        self.most_between_pauses = max(self.most_between_pauses, self._since_pause)
        self._since_pause = 0


def _start(folder: Path, database: Path, counter: _Calls | None = None) -> int:
    """One start of a service (as the bot's), its big folder listed in another process, and
    what it replaced freed; counted in every thread while it runs when a counter is given.
    How many cards it serves."""

    async def start() -> int:
        async with Store.open(database) as store:
            service = CatalogService(store, folder)
            service.list_apart_from = 0  # (listed in another process, as a big folder is)
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
        for _ in write_cards(synthetic_cards(size, seed=19, avoid=shipped), folder):
            pass
        made[name] = folder
    return made


def test_the_listing_read_back_pauses_every_piece_whatever_the_folder_size(
    folders: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (pieces smaller than the small folder, so that both folders fill many of them)
    monkeypatch.setattr(listing, "_PIECE", "64")
    counted: dict[str, _Calls] = {}
    served: dict[str, int] = {}
    for name, folder in folders.items():
        counted[name] = _Calls(listing._stamps.__code__)
        served[name] = _start(folder, tmp_path / f"{name}.sqlite3", counted[name])
    small, big = counted["small"], counted["big"]
    assert small.entered == big.entered == 1  # (listed in the other process, read here once)
    assert served["big"] - served["small"] > 1_000
    # A pause a piece: about five times as many pieces in the big folder (main: none).
    assert small.pauses >= 3 and big.pauses >= 3 * small.pauses, (small.pauses, big.pauses)
    # And no more work between two pauses than in the small folder (main: all of it).
    assert big.most_between_pauses <= 1.5 * small.most_between_pauses, (
        small.most_between_pauses,
        big.most_between_pauses,
    )


def test_a_warm_start_of_unchanged_cards_lets_the_served_entries_go_at_once(
    folders: dict[str, Path], tmp_path: Path
) -> None:
    counted: dict[str, _Calls] = {}
    served: dict[str, int] = {}
    for name, folder in folders.items():
        database = tmp_path / f"{name}.sqlite3"
        _start(folder, database)  # (the cold start: the catalog built and kept)
        counted[name] = _Calls(heap._dismantle_and_trim.__code__)
        served[name] = _start(folder, database, counted[name])
    small, big = counted["small"], counted["big"]
    assert small.entered >= 1 and big.entered == small.entered  # (what a start frees)
    more_cards = served["big"] - served["small"]
    assert more_cards > 1_000
    # The same work at both sizes but for noise: not a call per card (main: 2 and more).
    assert big.calls - small.calls < more_cards / 10, (small.calls, big.calls, more_cards)


def test_the_story_compare_after_a_start_with_an_edit_calls_nothing_per_card(
    folders: dict[str, Path], tmp_path: Path
) -> None:
    """A start that finds a card edited while the bot was down compares every card's digest
    with the story index's (in pieces: ``stall18``); the compare calls no function per card
    (main: a ``lambda`` per card, twice)."""
    counted: dict[str, _Calls] = {}
    served: dict[str, int] = {}
    for name, shared in folders.items():
        folder = tmp_path / name / "cards"
        shutil.copytree(shared, folder)
        database = tmp_path / f"{name}.sqlite3"
        _start(folder, database)  # (the cold start: the index built)
        card = folder / "navillera.yaml"
        text = card.read_text("utf-8")
        assert OLD_HEADLINE in text
        card.write_text(text.replace(OLD_HEADLINE, NEW_HEADLINE), "utf-8")
        counted[name] = _Calls(StoryIndex._sync.__code__)
        served[name] = _start(folder, database, counted[name])
    small, big = counted["small"], counted["big"]
    assert small.entered == big.entered == 1
    more_cards = served["big"] - served["small"]
    assert more_cards > 1_000
    assert big.calls - small.calls < more_cards / 10, (small.calls, big.calls, more_cards)
