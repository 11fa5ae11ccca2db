"""The story index's file made by one process at a time: shards of one bot starting together
each open ``<database>-stories``; turning a new file into a WAL database at the same moment got
SQLite's "disk I/O error" or "database is locked" in one of them (6 of 150 paired starts of a
probe, once in a full suite run), which then kept its own index in a temporary file. Real
SQLite files; the other process's turn is taken here as a shard takes it (the lock file's
``flock``: a second descriptor of the same file conflicts within one process too)."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.bench.synthetic import synthetic_cards
from bot.cards import turns
from bot.catalog.story_index import REBUILD_WAIT, StoryIndex
from tests.patience import patient

COUNT = 40


@contextmanager
def another_shards_turn(index: Path) -> Iterator[None]:
    """The turn held as another process holds it while it makes or rebuilds the file."""
    handle = os.open(f"{index}-lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _sync_in_thread(index: Path, changed: int = 0) -> tuple[threading.Thread, list[int]]:
    """A sync of ``COUNT`` cards (the first ``changed`` of them with another digest) in a
    thread, as a catalog's job thread runs it; ``written`` gets what it returned."""
    cards = {card.slug: card for card in synthetic_cards(COUNT)}
    digests = {slug: ("e" if n < changed else "d") + slug for n, slug in enumerate(cards)}
    written: list[int] = []
    thread = threading.Thread(
        target=lambda: written.append(StoryIndex(str(index)).sync(cards, digests)),
        daemon=True,
    )
    thread.start()
    return thread, written


def _rows(index: Path) -> int:
    with sqlite3.connect(index) as db:
        (rows,) = db.execute("SELECT count(*) FROM story_cards").fetchone()
    return int(rows)


def test_a_new_index_file_is_made_in_turn_with_the_other_shards(tmp_path: Path) -> None:
    """While another shard holds the turn, a sync of a catalog whose index does not exist
    yet makes no file (before: it made one at once, beside the other's); given the turn, it
    writes every card."""
    index = tmp_path / "bot.sqlite3-stories"
    with another_shards_turn(index):
        thread, written = _sync_in_thread(index)
        thread.join(1.0)
        assert thread.is_alive() and not index.exists()
    thread.join(60)
    assert written == [COUNT] and _rows(index) == COUNT


def test_an_index_already_made_is_opened_without_waiting_for_a_turn(tmp_path: Path) -> None:
    """Only the making of the file waits: a sync of an index that exists (three cards'
    digests changed) goes on while another shard holds the turn (a rebuild there does not
    hold up this shard's updates)."""
    index = tmp_path / "bot.sqlite3-stories"
    thread, written = _sync_in_thread(index)
    thread.join(60)
    assert written == [COUNT]
    with another_shards_turn(index):
        started = time.monotonic()
        thread, written = _sync_in_thread(index, changed=3)
        thread.join(60)
        assert not thread.is_alive(), time.monotonic() - started
    with sqlite3.connect(index) as db:
        updated = db.execute("SELECT count(*) FROM story_cards WHERE digest LIKE 'e%'")
        assert updated.fetchone() == (3,) and _rows(index) == COUNT


def test_a_job_waiting_for_another_shards_turn_lets_a_reload_take_the_catalogs_turn(
    tmp_path: Path,
) -> None:
    """The story sync runs in the catalog's turn (``bot.cards.turns``); while it waits for
    another shard to make or rebuild the index, it does not hold that turn: a reload's build
    (another job taking a turn) runs meanwhile, not after the other shard is done (round 19's
    leftover: up to a rebuild of the other process, ``REBUILD_WAIT`` at most). Then the sync
    takes its turn back and writes every card."""
    index = tmp_path / "bot.sqlite3-stories"
    reloaded = threading.Event()

    def reload_build() -> None:
        with turns.taking("reload"):
            reloaded.set()

    with another_shards_turn(index):
        cards = {card.slug: card for card in synthetic_cards(COUNT)}
        digests = {slug: "d" + slug for slug in cards}
        written: list[int] = []

        def story_sync() -> None:
            with turns.taking("story sync"):
                written.append(StoryIndex(str(index)).sync(cards, digests))

        turns.probe_reset()
        syncing = threading.Thread(target=story_sync, daemon=True)
        syncing.start()
        while "story sync" not in turns.probe()[1]:  # (until it took the catalog's turn)
            syncing.join(0.01)
        syncing.join(1.0)
        assert syncing.is_alive() and not index.exists()  # (waiting for the other shard)
        reloading = threading.Thread(target=reload_build, daemon=True)
        reloading.start()
        # (a bound on a wait, under the sync's own wait for the other shard, not a
        # measurement: on main the reload waited for the other shard's turn, or that wait)
        bound = min(patient(30), REBUILD_WAIT / 2)
        assert reloaded.wait(bound), "the reload waited for the other shard's rebuild"
        assert syncing.is_alive() and not written
    syncing.join(patient(60))
    reloading.join(patient(60))
    assert written == [COUNT] and _rows(index) == COUNT
