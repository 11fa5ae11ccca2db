"""One background thread at a time runs the catalog's Python work (``bot.cards.turns``): the
event loop then competes for the GIL with one worker thread, not two or three (the cold
load's worst stalls at 100,000 cards were such convoys; ``docs/performance.md``, branch
``stall16``). Real service, real SQLite file, real YAML files, real threads."""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from pathlib import Path
from types import FrameType
from typing import Any

from bot.bench.measure import bump_episodes
from bot.bench.synthetic import synthetic_cards, write_cards
from bot.cards import turns
from bot.cards.parallel import CHUNK, POOL_THRESHOLD, read_cards
from bot.catalog import heap
from bot.catalog.service import CatalogService
from bot.catalog.store import Store
from tests.patience import patient

#: Above the card readers' pool threshold (``bot.cards.parallel.POOL_THRESHOLD``).
CARDS = 2_500


async def test_a_cold_load_and_a_full_reload_run_one_background_job_at_a_time(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "cards"
    paths = list(write_cards(synthetic_cards(CARDS, seed=16), folder))
    turns.probe_reset()
    async with Store.open(tmp_path / "bot.sqlite3") as store:
        service = CatalogService(store, folder)
        assert (await service.start()).applied
        await service.flush()  # (the keeping: fingerprint and encoding, beside the release)
        started = turns.probe()
        bump_episodes(paths, 1)
        report = await service.reload(full=True)
        assert report.applied and len(report.diff.changed) == CARDS
        await service.flush()  # (and the replaced catalog freed)
    most, jobs = turns.probe()
    # The jobs that ran beside each other before turns (the release of the empty first
    # catalog, the fingerprint and the keeping's encoding start at the same moment; the
    # replaced catalog is freed while the new one is read back)...
    assert {"read chunk", "_build", "fingerprint_of", "_encode", "release"} <= set(started[1])
    assert jobs.count("release") > started[1].count("release")
    # ... each ran alone.
    assert most == 1


class _Counted:
    """A catalog's value that counts itself freed."""

    __slots__ = ()
    freed = 0

    def __del__(self) -> None:
        _Counted.freed += 1


def test_a_waiting_job_gets_its_turn_while_a_big_catalog_is_freed() -> None:
    """Freeing a catalog hands the turn over between pieces: a job waiting meanwhile runs
    before it is all freed (once the freeing held its turn ``HOLD_S``), not after."""
    size = 1024 * heap.PIECE
    garbage: list[object] = [{f"card {n}": _Counted() for n in range(size)}]
    _Counted.freed = 0
    freed_when_waiter_ran: list[int] = []
    waiting = threading.Event()

    def waiter() -> None:
        waiting.set()
        with turns.taking("waiter"):
            freed_when_waiter_ran.append(_Counted.freed)

    with turns.taking("freeing"):
        thread = threading.Thread(target=waiter)
        thread.start()
        waiting.wait()
        while not turns.waiting():  # (until it waits for the turn)
            threading.Event().wait(0.001)
        heap.free_in_pieces(garbage)
    thread.join()
    assert _Counted.freed == size
    assert freed_when_waiter_ran
    assert freed_when_waiter_ran[0] < size // 2


async def test_turns_do_not_deadlock_nested_or_from_many_threads() -> None:
    """Nested turns in one thread, and many threads taking and passing turns at once."""
    done: list[int] = []

    def job(number: int) -> None:
        with turns.taking("outer"), turns.taking("inner"):
            for _ in range(200):
                turns.pass_turn()
            done.append(number)

    await asyncio.wait_for(asyncio.gather(*(asyncio.to_thread(job, n) for n in range(5))), 60)
    assert sorted(done) == list(range(5))


async def test_an_answer_thread_starts_while_reloads_wait_for_their_turn(
    shipped_copy: Path, tmp_path: Path
) -> None:
    """Jobs waiting for their turn hold threads; they are the catalog's own (``in_thread``),
    so the event loop's default executor, which answers use (``asyncio.to_thread`` in the
    front end), has every thread free: an answer computed in a thread is done while more
    full reloads than that executor has threads wait for a turn another thread holds."""
    default_threads = min(32, (os.cpu_count() or 1) + 4)  # (asyncio's default executor's)
    count = default_threads + 2
    stores, services = [], []
    for n in range(count):
        folder = tmp_path / f"cards{n}"
        shutil.copytree(shipped_copy, folder)
        store = Store.open(tmp_path / f"bot{n}.sqlite3")
        await store.connect()
        stores.append(store)
        services.append(CatalogService(store, folder))
        assert (await services[-1].start()).applied
        await services[-1].flush()
    held, let_go = threading.Event(), threading.Event()

    def hold_the_turn() -> None:
        with turns.taking("the test"):
            held.set()
            let_go.wait()

    holder = threading.Thread(target=hold_the_turn)
    holder.start()
    try:
        held.wait()
        reloads = [asyncio.ensure_future(s.reload(full=True)) for s in services]
        # Jobs waiting for their turn, in every thread there is for them (the catalog's
        # own, or else the default executor's: then every one of its threads).
        for _ in range(3000):  # (a guard against waiting forever, not a timing)
            if turns.waiting() >= default_threads:
                break
            await asyncio.sleep(0.01)
        assert turns.waiting() >= default_threads and not any(r.done() for r in reloads)
        answer = asyncio.ensure_future(asyncio.to_thread(threading.get_ident))
        # (a guard against waiting forever, not a timing: the turn is held until it is done)
        done, _ = await asyncio.wait({answer}, timeout=30)
        assert answer in done and not any(r.done() for r in reloads)
    finally:
        let_go.set()
        holder.join()
    for report in await asyncio.gather(*reloads):
        assert report.applied
    for store in stores:
        await store.close()


def test_the_reader_pool_result_thread_unpickles_one_bytes_a_chunk(tmp_path: Path) -> None:
    """The process pool's own result thread takes no turn: what it unpickles while the
    reading thread decodes cards in its turn is one ``bytes`` per chunk of cards, not the
    chunk's hundreds of values (they are unpickled in the reading thread, in its turn)."""
    paths = list(write_cards(synthetic_cards(POOL_THRESHOLD + 100, seed=17), tmp_path / "c"))
    received: list[list[str]] = []  # (what each pipe's recv gave the result thread)

    def profile(frame: FrameType, event: str, value: Any) -> None:
        code = frame.f_code
        if event == "return" and code.co_name == "recv" and "multiprocessing" in code.co_filename:
            # (each result a list of what the calls of a batch returned: ``Executor.map``'s
            # batching; emptied by ``map`` as it hands them on, so seen here)
            result = getattr(value, "result", None)
            if result is not None:
                received.append([type(chunk).__name__ for chunk in result])

    threading.setprofile(profile)  # (the pool's threads are made by the read)
    try:
        reads = read_cards(paths, workers=2)
    finally:
        threading.setprofile(None)  # type: ignore[arg-type]
    assert len(reads) == len(paths) and all(read.card is not None for read in reads)
    chunks = [kind for result in received for kind in result]
    assert chunks == ["bytes"] * -(-len(paths) // CHUNK)


def test_a_command_run_as_a_call_leaves_no_job_thread_running(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """``bot.cli.main.main`` called as a function (the in-process test runner, or anyone
    embedding the command line) must end every thread it started, as the process's exit does:
    the catalog's job threads (``turns.in_thread``) were left waiting for work, and whoever
    waits for a call's threads, as the interpreter does at exit, waited forever (the test
    runner's 120 s guard, per module: the suite's wall doubled)."""
    import io
    import sys

    from bot.cli.main import main

    before = set(threading.enumerate())
    monkeypatch.setattr(sys, "stdin", io.StringIO("/drama run on\n/cast goblin\n"))
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert main(["ask", "--json", "--quiet"]) == 0
    assert sys.stdout.getvalue().count('"command"') == 2
    started = [t for t in set(threading.enumerate()) - before if not t.daemon]
    # Each given a moment, as the interpreter waits at exit: aiosqlite's thread, told to stop,
    # ends just after close() returned (round 19: once found alive under load); a job thread
    # left waiting for work never ends.
    for thread in started:
        thread.join(patient(5))
    left = [t.name for t in started if t.is_alive()]
    assert left == []
