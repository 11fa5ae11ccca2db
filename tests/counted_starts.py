"""Counting what a real start does, for the tests of its long holds (``test_story_sync_work``,
``test_start_holds``): the calls made inside one function, in whichever thread runs it, while a
real service starts on real card files and a real SQLite file; not timed.

A call is a Python or C function called inside the code looked at; a ``time.sleep`` there is
``turns.give_way``'s pause."""

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
from bot.catalog.service import CatalogService
from bot.catalog.store import Store
from tests.conftest import SHIPPED_CARDS

#: Two catalogs: the shipped cards and this many synthetic ones.
SIZES = {"small": 300, "big": 1_500}
#: A shipped card's story (``navillera.yaml``), and another for it.
OLD_HEADLINE = "headline: A seventy-year-old man finally learns ballet"
NEW_HEADLINE = "headline: A retired astronaut trains a parrot to dance ballet"


class Calls:
    """The calls made inside ``code``: how many times it was entered, the calls in all, the
    pauses, and the most calls between two pauses (or the code's start and end)."""

    def __init__(self, code: CodeType) -> None:
        self.code = code
        self.inside: dict[int, int] = {}  # (thread: how deep in the code looked at)
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


def start(
    folder: Path, database: Path, counter: Calls | None = None, *, apart: bool = False
) -> int:
    """One start of a service (as the bot's), its story index brought up to date and what it
    replaced freed; counted in every thread while it runs when a counter is given. ``apart``:
    the folder listed in another process, as a big one is. How many cards it serves."""

    async def started() -> int:
        async with Store.open(database) as store:
            service = CatalogService(store, folder)
            if apart:
                service.list_apart_from = 0
            assert (await service.start()).applied
            await service.flush()
            await service.stories.close()
            return len(service.catalog)

    if counter is not None:
        turns.end_jobs()  # (job threads an earlier test left would not be counted)
        threading.setprofile(counter)  # (the threads this start makes: its loop's, its jobs')
    try:
        return asyncio.run(started())
    finally:
        threading.setprofile(None)  # type: ignore[arg-type]
        turns.end_jobs()  # (the next start's job threads are new: counted when asked)


def catalogs(factory: pytest.TempPathFactory, seed: int) -> dict[str, Path]:
    """A cards folder per size of :data:`SIZES`: the shipped cards and that many synthetic
    ones."""
    shipped = load_cards(SHIPPED_CARDS).cards
    made: dict[str, Path] = {}
    for name, size in SIZES.items():
        folder = factory.mktemp(name) / "cards"
        shutil.copytree(SHIPPED_CARDS, folder)
        for _ in write_cards(synthetic_cards(size, seed=seed, avoid=shipped), folder):
            pass
        made[name] = folder
    return made


def counted_warm_starts(
    folders: dict[str, Path], where: Path, code: CodeType
) -> tuple[Calls, Calls, int]:
    """For each folder a cold start then a warm one, the warm one's calls inside ``code``
    counted: the small folder's count, the big one's, and how many more cards the big one
    served."""
    counted: dict[str, Calls] = {}
    served: dict[str, int] = {}
    for name, folder in folders.items():
        database = where / f"{name}.sqlite3"
        start(folder, database)  # (the cold start: the catalog built and kept, the index too)
        counted[name] = Calls(code)
        served[name] = start(folder, database, counted[name])
    return counted["small"], counted["big"], served["big"] - served["small"]
