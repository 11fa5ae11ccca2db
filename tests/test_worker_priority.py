"""The cold load's worker processes run below the serving process in the scheduler: a real
cold load of a few thousand of the bench's cards through the catalog service (its event
loop running), its card readers found in ``/proc`` while they work (the forkserver's
children), each one's nice value and scheduling policy read from ``/proc/PID/stat``."""

from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path

from bot.bench.synthetic import synthetic_cards, write_cards
from bot.catalog.service import CatalogService
from bot.catalog.store import Store
from bot.worker_priority import WORKER_NICE

CARDS = 2_500  # (above the card readers' pool threshold: read by worker processes)
SCHED_OTHER, SCHED_BATCH = 0, 3


def _stat(pid: int | str) -> list[bytes] | None:
    """``/proc/PID/stat``'s fields after the command's name (state, parent, ...), or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rpartition(b")")[2].split()
    except OSError:
        return None


def _forkservers(parent: int) -> set[int]:
    """The forkservers that ``parent`` started (its children running multiprocessing's)."""
    found = set()
    for entry in os.listdir("/proc"):
        fields = _stat(entry) if entry.isdigit() else None
        if fields is None or int(fields[1]) != parent:
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as line:
                if b"forkserver" in line.read():
                    found.add(int(entry))
        except OSError:
            continue
    return found


def _watch(stop: threading.Event, seen: dict[int, tuple[int, int]]) -> None:
    """Until ``stop``: every forkserver child's (nice, policy), by process id."""
    me = os.getpid()
    while not stop.is_set():
        servers = _forkservers(me)
        for entry in os.listdir("/proc"):
            fields = _stat(entry) if entry.isdigit() else None
            if fields is not None and int(fields[1]) in servers:
                seen[int(entry)] = (int(fields[16]), int(fields[38]))  # nice, policy
        stop.wait(0.005)


async def _cold_load(folder: Path, database: Path) -> None:
    async with Store.open(database) as store:
        report = await CatalogService(store, folder).start()
        assert report.applied and report.total >= CARDS


def test_a_cold_loads_card_readers_run_below_the_serving_process(tmp_path: Path) -> None:
    folder = tmp_path / "cards"
    folder.mkdir()
    for _ in write_cards(synthetic_cards(CARDS, 7), folder):
        pass
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    seen: dict[int, tuple[int, int]] = {}
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(stop, seen), daemon=True)
    watcher.start()
    try:
        asyncio.run(_cold_load(folder, tmp_path / "cards.sqlite3"))
    finally:
        stop.set()
        watcher.join()
    assert seen, "no card reader process was seen while the cards were read"
    expected = min(19, ours + WORKER_NICE)
    assert set(seen.values()) == {(expected, SCHED_BATCH)}, seen
    # The serving process itself (every thread of it: the event loop's included) is as it was.
    for thread in os.listdir("/proc/self/task"):
        fields = _stat(f"self/task/{thread}")
        if fields is not None:
            assert (int(fields[16]), int(fields[38])) == (ours, SCHED_OTHER), thread
