"""Loading at scale: the database as the cache of the cards, reading only what changed,
worker processes for big folders, and no memory kept from one load to the next."""

from __future__ import annotations

import asyncio
import gc
import os
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import pytest_asyncio
import yaml

from bot.answering.answers import answer
from bot.answering.commands import parse_command_line
from bot.cards.loader import load_cards
from bot.cards.parallel import POOL_THRESHOLD, read_cards
from bot.catalog.heap import release
from bot.catalog.service import CatalogService, ReloadReport
from bot.catalog.store import Store
from tests.conftest import SHIPPED_CARDS, minimal_card


def _nodes_alive() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, yaml.Node))


def test_loading_keeps_no_yaml_nodes_alive(shipped_copy: Path) -> None:
    load_cards(shipped_copy, workers=1)
    before = _nodes_alive()
    for _ in range(3):
        assert load_cards(shipped_copy, workers=1).ok
    # Every reload used to leave each number's node in a shared YAML constructor's memo.
    assert _nodes_alive() == before


def test_worker_processes_read_a_big_folder_exactly_as_one_process(tmp_path: Path) -> None:
    folder = tmp_path / "big"
    folder.mkdir()
    for number in range(POOL_THRESHOLD + 10):
        (folder / f"show-{number}.yaml").write_text(
            minimal_card(f"Show {number}", year=1950 + number % 150, actor=f"Actor {number % 97}")
        )
    (folder / "show-7.yaml").write_text("title: Show 7\nyear: soon\ncast: []\n")
    seen: list[tuple[int, int]] = []
    parallel = load_cards(
        folder, workers=2, progress=lambda done, total: seen.append((done, total))
    )
    serial = load_cards(folder, workers=1)
    assert parallel.cards == serial.cards and len(parallel.cards) == POOL_THRESHOLD + 9
    assert parallel.errors == serial.errors
    assert [str(e) for e in parallel.errors] == [
        f"{folder / 'show-7.yaml'}:2: year: expected a whole number, got text",
        f"{folder / 'show-7.yaml'}:3: cast: must list at least one actor",
    ]
    assert seen[-1] == (POOL_THRESHOLD + 10, POOL_THRESHOLD + 10)


def test_worker_processes_send_back_every_field_of_rich_cards(shipped_copy: Path) -> None:
    # The shipped cards use every key (reviews, streaming, ratings, seasons, community
    # ratings); fillers take the folder over the size where worker processes read it.
    for number in range(POOL_THRESHOLD):
        (shipped_copy / f"filler-{number}.yaml").write_text(minimal_card(f"Filler {number}"))
    paths = sorted(shipped_copy.glob("*.yaml"))
    parallel = read_cards(paths, workers=2)
    serial = read_cards(paths, workers=1)
    assert parallel == serial
    rich = [read for read in parallel if read.card is not None and read.card.review is not None]
    assert rich and all(read.body and read.digest == read.card.digest() for read in rich)


def test_load_cards_gets_every_field_of_rich_cards_back_from_workers(shipped_copy: Path) -> None:
    # load_cards (drama-bot check) has its cards sent back without the store's body: the
    # same cards as read in this process, every field.
    for number in range(POOL_THRESHOLD):
        (shipped_copy / f"filler-{number}.yaml").write_text(minimal_card(f"Filler {number}"))
    parallel = load_cards(shipped_copy, workers=2)
    serial = load_cards(shipped_copy, workers=1)
    assert parallel.cards == serial.cards
    assert (parallel.errors, parallel.warnings) == (serial.errors, serial.warnings)
    assert sum(1 for card in parallel.cards if card.review and card.streaming) > 50


async def test_a_start_with_unchanged_cards_parses_no_yaml(
    shipped_copy: Path, tmp_path: Path
) -> None:
    database = tmp_path / "bot.sqlite3"
    async with Store.open(database) as store:
        cold = await CatalogService(store, shipped_copy).start()
    assert cold.parsed == cold.total == len(list(SHIPPED_CARDS.glob("*.yaml")))
    async with Store.open(database) as store:
        service = CatalogService(store, shipped_copy)
        warm = await service.start()
        assert warm.applied and warm.parsed == 0 and warm.total == cold.total
        assert not (warm.diff.added or warm.diff.changed or warm.diff.removed)
        assert service.catalog.cards == {c.slug: c for c in load_cards(shipped_copy).cards}


async def test_touched_files_are_hashed_not_parsed(shipped_copy: Path, tmp_path: Path) -> None:
    """A checkout or a copy gives every file a new mtime; the content hash saves the parse."""
    database = tmp_path / "bot.sqlite3"
    async with Store.open(database) as store:
        await CatalogService(store, shipped_copy).start()
    for path in shipped_copy.glob("*.yaml"):
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    async with Store.open(database) as store:
        report = await CatalogService(store, shipped_copy).start()
        assert report.applied and report.parsed == 0
        assert report.diff.unchanged == report.total


async def test_another_folder_with_the_same_stamps_is_compared_by_content(
    shipped_copy: Path, tmp_path: Path
) -> None:
    database = tmp_path / "bot.sqlite3"
    async with Store.open(database) as store:
        await CatalogService(store, shipped_copy).start()
    other = tmp_path / "other"
    shutil.copytree(shipped_copy, other)  # copy2: same sizes and mtimes
    run_on = other / "run-on.yaml"
    stat = run_on.stat()
    run_on.write_text(run_on.read_text("utf-8").replace("episodes: 16", "episodes: 61"))
    os.utime(run_on, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    async with Store.open(database) as store:
        service = CatalogService(store, other)
        report = await service.start()
        assert report.diff.changed == ("run-on",) and report.parsed == 1
        assert service.catalog.cards["run-on"].episodes == 61


async def test_a_reload_reads_only_the_changed_files(shipped_copy: Path, tmp_path: Path) -> None:
    async with Store.open(tmp_path / "bot.sqlite3") as store:
        service = CatalogService(store, shipped_copy)
        await service.start()
        before = service.catalog
        nothing = await service.reload()
        assert nothing.applied and nothing.parsed == 0 and service.catalog is before

        vincenzo = shipped_copy / "vincenzo.yaml"
        vincenzo.write_text(vincenzo.read_text("utf-8").replace("episodes: 20", "episodes: 21"))
        one = await service.reload()
        assert one.applied and one.parsed == 1 and one.diff.changed == ("vincenzo",)
        assert service.catalog.cards["vincenzo"].episodes == 21

        full = await service.reload(full=True)
        assert full.applied and full.parsed == full.total and not full.diff.changed


async def test_a_same_size_edit_in_the_same_clock_tick_is_not_missed(
    shipped_copy: Path, tmp_path: Path
) -> None:
    """A file written twice within the file system's timestamp resolution keeps its mtime;
    a recently modified file's stamp is therefore never trusted on its own."""
    vincenzo = shipped_copy / "vincenzo.yaml"
    vincenzo.write_text(vincenzo.read_text("utf-8"))  # modified just now
    stamp = vincenzo.stat()
    async with Store.open(tmp_path / "bot.sqlite3") as store:
        service = CatalogService(store, shipped_copy)
        await service.start()
        vincenzo.write_text(vincenzo.read_text("utf-8").replace("episodes: 20", "episodes: 30"))
        os.utime(vincenzo, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
        assert vincenzo.stat().st_size == stamp.st_size
        report = await service.reload()
        assert report.diff.changed == ("vincenzo",)
        assert service.catalog.cards["vincenzo"].episodes == 30


async def test_a_database_from_before_file_stamps_is_migrated_and_refreshed(
    shipped_copy: Path, tmp_path: Path
) -> None:
    import sqlite3

    database = tmp_path / "bot.sqlite3"
    with sqlite3.connect(database) as db:  # schema version 1, as the previous release left it
        db.executescript(
            "CREATE TABLE cards (slug TEXT PRIMARY KEY, title TEXT NOT NULL, year INTEGER NOT "
            "NULL, digest TEXT NOT NULL, body TEXT NOT NULL); CREATE TABLE cast_credits (slug "
            "TEXT NOT NULL, billing INTEGER NOT NULL, actor TEXT NOT NULL, role TEXT, PRIMARY "
            "KEY (slug, billing)); CREATE TABLE catalog_meta (key TEXT PRIMARY KEY, value TEXT "
            "NOT NULL); CREATE TABLE guild_settings (guild_id INTEGER NOT NULL, key TEXT NOT "
            "NULL, value TEXT NOT NULL, PRIMARY KEY (guild_id, key)); CREATE TABLE bot_state "
            "(key TEXT PRIMARY KEY, value TEXT NOT NULL); PRAGMA user_version = 1;"
        )
    async with Store.open(database) as store:
        service = CatalogService(store, shipped_copy)
        report = await service.start()
        assert report.applied and len(service.catalog) == report.total > 60
    async with Store.open(database) as store:
        assert (await CatalogService(store, shipped_copy).start()).parsed == 0


async def _until(service: CatalogService, condition: Callable[[ReloadReport], bool]) -> None:
    """Wait, at most 5 s, for the watcher to make a reload that meets ``condition``."""
    async with asyncio.timeout(5):
        while not condition(await service.next_reload()):
            pass


@pytest_asyncio.fixture
async def watched(shipped_copy: Path, tmp_path: Path) -> AsyncIterator[CatalogService]:
    async with Store.open(tmp_path / "bot.sqlite3") as store:
        service = CatalogService(store, shipped_copy)
        await service.start()
        stop = asyncio.Event()
        task = asyncio.create_task(service.watch(stop=stop))
        await asyncio.sleep(0.3)  # let the watch begin before the test edits files
        try:
            yield service
        finally:
            stop.set()
            await asyncio.wait_for(task, 5)


async def test_the_watcher_serves_a_changed_card_within_seconds(
    watched: CatalogService, shipped_copy: Path
) -> None:
    vincenzo = shipped_copy / "vincenzo.yaml"
    vincenzo.write_text(vincenzo.read_text("utf-8").replace("episodes: 20", "episodes: 24"))
    (shipped_copy / "new-show.yaml").write_text(minimal_card("New Show"))
    await _until(
        watched,
        lambda _: (
            "new-show" in watched.catalog.cards and watched.catalog.cards["vincenzo"].episodes == 24
        ),
    )
    (shipped_copy / "new-show.yaml").unlink()
    await _until(watched, lambda report: report.diff.removed == ("new-show",))
    assert "new-show" not in watched.catalog.cards


async def test_the_watcher_never_applies_a_wiped_folder_or_a_broken_card(
    watched: CatalogService, shipped_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    total = len(watched.catalog)
    vincenzo = shipped_copy / "vincenzo.yaml"
    vincenzo.write_text("title: Vincenzo\nyear: soon\ncast: []\n")
    await _until(watched, lambda report: len(report.errors) == 2)
    assert watched.catalog.cards["vincenzo"].year == 2021
    assert "cards changed on disk, not applied: 2 errors" in caplog.text
    for path in shipped_copy.glob("*.yaml"):
        path.unlink()
    await _until(watched, lambda report: report.refused.startswith("the cards folder has no"))
    assert len(watched.catalog) == total
    assert "/reload confirm:true applies it" in caplog.text


async def test_a_catalog_still_in_use_is_not_taken_apart_by_a_reload(
    shipped_copy: Path, tmp_path: Path
) -> None:
    """Old catalogs are freed piece by piece off the event loop; one that a command still
    holds must stay whole."""
    async with Store.open(tmp_path / "bot.sqlite3") as store:
        service = CatalogService(store, shipped_copy)
        await service.start()
        held = service.catalog
        titles = held.titles
        size = len(held.cards)
        (shipped_copy / "vincenzo.yaml").unlink()
        assert (await service.reload(full=True)).applied
        assert service.catalog is not held and "vincenzo" not in service.catalog.cards
        assert len(held.cards) == size and held.titles is titles
        assert answer(held, parse_command_line("/drama vincenzo")).card_slug == "vincenzo"


async def test_release_empties_what_only_it_holds_and_lets_go_of_the_rest() -> None:
    shared = {number: str(number) for number in range(1000)}
    owned = {number: [number] * 3 for number in range(1000)}
    garbage: list[object] = [{"shared": shared, "owned": owned, "rest": list(range(5000))}]
    del owned
    await release(garbage)
    assert garbage == [] and len(shared) == 1000  # still used elsewhere: untouched
