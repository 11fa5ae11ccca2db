"""The database is a cache: a damaged one is moved aside and rebuilt, an unwritable one is
replaced by memory, a newer one is refused in one line. Each fault is tried through
``drama-bot ask`` (a real process) and through the bot's own start (``open_bot``)."""

from __future__ import annotations

import contextlib
import logging
import os
import random
import resource
import signal
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.catalog.build_worker import WORKER_FROM
from bot.catalog.opening import open_store
from bot.catalog.service import CatalogService
from bot.catalog.store import SCHEMA_VERSION, Store
from bot.config import Config
from bot.frontend.app import open_bot
from bot.frontend.serve import Exit
from tests.conftest import SHIPPED_CARDS
from tests.test_cli import drama_bot

TOTAL = len(list(SHIPPED_CARDS.glob("*.yaml")))


async def build_database(path: Path, cards: Path = SHIPPED_CARDS) -> None:
    async with Store.open(path) as store:
        await CatalogService(store, cards).start()


def garbage(path: Path) -> None:
    path.write_bytes(b"these are not the bytes of a database\n" * 200)


def zeroed_header(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.write(b"\0" * 100)


def truncated(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


def garbled_header(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.write(b"not a database!\n")


# (What is not a database of ours at all, a folder, a text file, is refused and left alone:
# tests/test_database_paths.py.)
DAMAGE: dict[str, Callable[[Path], None]] = {
    "not a database (garbled header)": garbled_header,
    "zeroed header": zeroed_header,
    "malformed (truncated)": truncated,
}


def checkpoint(path: Path) -> None:
    """Fold the WAL into the main file, so damage to the file is damage to the data."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def moved_aside(folder: Path, name: str) -> list[Path]:
    """The damaged files kept beside the database (their WAL files travel with them)."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.name.startswith(f"{name}.damaged-") and not p.name.endswith(("-wal", "-shm"))
    )


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
async def test_ask_moves_a_damaged_database_aside_and_rebuilds_it(
    tmp_path: Path, damage: Callable[[Path], None]
) -> None:
    database = tmp_path / "state" / "bot.sqlite3"
    database.parent.mkdir()
    await build_database(database)
    checkpoint(database)
    damage(database)
    done = drama_bot("ask", "--database", str(database), "--json", "/drama Run On")
    assert done.returncode == 0, done.stderr
    assert '"card": "run-on"' in done.stdout
    (aside,) = moved_aside(database.parent, "bot.sqlite3")
    assert f"moved it to {aside}" in done.stderr and "Traceback" not in done.stderr
    async with Store.open(database) as store:  # rebuilt: the next start reads no YAML
        assert len(await store.load_catalog()) == TOTAL
    again = drama_bot("ask", "--database", str(database), "/drama Run On")
    assert again.returncode == 0 and again.stderr == ""


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
async def test_the_bot_starts_on_a_damaged_database(
    tmp_path: Path, damage: Callable[[Path], None], caplog: pytest.LogCaptureFixture
) -> None:
    database = tmp_path / "bot.sqlite3"
    await build_database(database)
    checkpoint(database)
    damage(database)
    config = Config(data_dir=SHIPPED_CARDS, database=database)
    async with open_bot(config) as bot:
        assert len(bot.service.catalog) == TOTAL
        assert bot.store.path == str(database) and not bot.store.fallback
    (aside,) = moved_aside(tmp_path, "bot.sqlite3")
    assert f"moved it to {aside}" in caplog.text
    assert not [r for r in caplog.records if r.exc_info]  # no traceback anywhere


@pytest.mark.parametrize("seed", range(12))
async def test_bit_flips_anywhere_never_serve_wrong_cards(tmp_path: Path, seed: int) -> None:
    database = tmp_path / "bot.sqlite3"
    await build_database(database)
    checkpoint(database)
    data = bytearray(database.read_bytes())
    rng = random.Random(seed)
    for _ in range(8):
        position = rng.randrange(len(data))
        data[position] ^= 1 << rng.randrange(8)
    database.write_bytes(bytes(data))
    expected = {}
    async with Store.open(":memory:") as fresh:
        service = CatalogService(fresh, SHIPPED_CARDS)
        await service.start()
        expected = service.catalog.cards
    config = Config(data_dir=SHIPPED_CARDS, database=database)
    async with open_bot(config) as bot:
        assert bot.service.catalog.cards == expected  # damaged rows are read again from cards


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make ``folder`` read-only for this process: permissions for a normal user, a
    read-only bind mount for root (whom permissions do not stop), as a Docker volume
    mounted ``:ro`` or with the wrong owner does."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")]}
        for path in modes:
            path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            for path, mode in modes.items():
                path.chmod(mode)
        return
    subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], check=True)
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@pytest.mark.parametrize("existing", [True, False], ids=["with a database", "empty"])
async def test_a_read_only_state_folder_serves_from_memory_and_says_so_once(
    tmp_path: Path, existing: bool, caplog: pytest.LogCaptureFixture
) -> None:
    state = tmp_path / "state"
    state.mkdir()
    database = state / "bot.sqlite3"
    if existing:
        await build_database(database)
    with read_only(state):
        done = drama_bot("ask", "--database", str(database), "--json", "/drama Run On")
        assert done.returncode == 0, done.stderr
        assert '"card": "run-on"' in done.stdout and "Traceback" not in done.stderr
        assert done.stderr.count("serving from an in-memory database") == 1

        caplog.set_level(logging.INFO)
        config = Config(data_dir=SHIPPED_CARDS, database=database)
        async with open_bot(config) as bot:
            assert len(bot.service.catalog) == TOTAL
            assert bot.store.fallback and bot.store.wanted == str(database)
            assert (await bot.service.reload(full=True)).applied  # writes go to memory
        warnings = [r for r in caplog.records if "in-memory database" in r.getMessage()]
        assert len(warnings) == 1 and not any(r.exc_info for r in caplog.records)
    # (the story index beside the database, made by build_database's start before the folder
    # was read-only: branch plots17)
    names = sorted(p.name for p in state.iterdir() if "-stories" not in p.name)
    assert names == (["bot.sqlite3", "bot.sqlite3-shm", "bot.sqlite3-wal"] if existing else []) or (
        names == (["bot.sqlite3"] if existing else [])
    )


async def test_a_database_path_that_cannot_be_created_serves_from_memory(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    database = blocker / "state" / "bot.sqlite3"
    async with open_store(database) as store:
        assert store.fallback and store.path == ":memory:"
        service = CatalogService(store, SHIPPED_CARDS)
        assert (await service.start()).total == TOTAL
    assert f"cannot use the database {database}" in caplog.text


async def test_a_newer_database_is_refused_in_one_line(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    await build_database(database)
    with sqlite3.connect(database) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    checkpoint(database)
    before = database.read_bytes()
    # `ask` answers from the cards and leaves the newer database alone
    done = drama_bot("ask", "--database", str(database), "/cast run on")
    assert done.returncode == 0 and "1. Im Si Wan as Ki Seon-gyeom" in done.stdout
    (line,) = done.stderr.splitlines()
    assert line == (
        f"warning: {database} has schema version {SCHEMA_VERSION + 1}, newer than this bot's "
        f"{SCHEMA_VERSION}; upgrade the bot, or delete the file (the cards are rebuilt from the "
        "card files, but every server's /settings are lost); "
        "answering from the cards alone"
    )
    # `run` exits with its own status and one line, before it needs a token or Discord
    config = tmp_path / "config.yaml"
    config.write_text(f"database: {database}\ndata_dir: {SHIPPED_CARDS}\n", "utf-8")
    run = drama_bot("run", "--config", str(config), env={"DISCORD_TOKEN": "x" * 70})
    assert run.returncode == Exit.DATABASE_TOO_NEW, run.stderr
    assert run.stderr.strip().splitlines()[-1] == (
        f"drama-bot: {database} has schema version {SCHEMA_VERSION + 1}, newer than this "
        f"bot's {SCHEMA_VERSION}; upgrade the bot, or delete the file (the cards are rebuilt "
        "from the card files, but every server's /settings are lost)"
    )
    assert "Traceback" not in run.stderr
    assert database.read_bytes() == before


async def test_a_database_damaged_while_running_is_rebuilt_at_the_next_reload(
    tmp_path: Path, shipped_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = tmp_path / "bot.sqlite3"
    async with open_store(database) as store:
        service = CatalogService(store, shipped_copy)
        await service.start()
        checkpoint(database)
        garbage(database)  # under the open connection
        run_on = shipped_copy / "run-on.yaml"
        run_on.write_text(run_on.read_text("utf-8").replace("episodes: 16", "episodes: 18"))
        report = await service.reload()
        assert report.applied and service.catalog.cards["run-on"].episodes == 18
        assert store.path == str(database) and not store.fallback
    (aside,) = moved_aside(tmp_path, "bot.sqlite3")
    assert f"moved it to {aside}" in caplog.text
    async with Store.open(database) as store:
        stored = {card.slug: card for card in await store.load_catalog()}
    assert len(stored) == TOTAL and stored["run-on"].episodes == 18


@pytest.mark.parametrize("build_worker_from", [WORKER_FROM, 0], ids=["here", "worker"])
async def test_processes_sharing_a_database_take_turns_and_never_fall_back(
    tmp_path: Path, shipped_copy: Path, caplog: pytest.LogCaptureFixture, build_worker_from: int
) -> None:
    """Shards share one database: a reload while another process holds the write lock
    still serves the change, and the database stays the cache (no move to memory); a full
    reload once it is free writes, and (``worker``) builds in a worker process."""
    database = tmp_path / "bot.sqlite3"
    await build_database(database, shipped_copy)
    other = sqlite3.connect(database, isolation_level=None, timeout=0)
    try:
        async with open_store(database, busy_timeout_ms=200) as store:
            service = CatalogService(store, shipped_copy)
            service.build_worker_from = build_worker_from
            await service.start()
            await service.flush()  # (what the start built is kept in the background)
            other.execute("BEGIN IMMEDIATE")  # another process is writing
            reader = sqlite3.connect(database, timeout=0)  # readers are never blocked
            assert reader.execute("SELECT count(*) FROM cards").fetchone() == (TOTAL,)
            reader.close()
            vincenzo = shipped_copy / "vincenzo.yaml"
            vincenzo.write_text(vincenzo.read_text("utf-8").replace("episodes: 20", "episodes: 2"))
            report = await service.reload()
            assert report.applied and service.catalog.cards["vincenzo"].episodes == 2
            assert store.path == str(database) and not store.fallback
            other.execute("ROLLBACK")
            assert (await service.reload(full=True)).applied  # and writes again once free
    finally:
        other.close()
    assert "database busy" in caplog.text and "stored with the next reload" in caplog.text
    async with Store.open(database) as store:
        stored = {card.slug: card for card in await store.load_catalog()}
    assert stored["vincenzo"].episodes == 2


@contextlib.contextmanager
def writes_fail_past(size: int) -> Iterator[None]:
    """This process cannot write a file past ``size`` bytes meanwhile (EFBIG, as a full disk
    fails SQLite's writes); the signal the kernel sends for it is ignored."""
    limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, limits[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
        signal.signal(signal.SIGXFSZ, handler)


@pytest.mark.parametrize("build_worker_from", [WORKER_FROM, 0], ids=["here", "worker"])
async def test_a_full_reload_whose_database_write_fails_keeps_the_last_catalog_serving(
    tmp_path: Path, shipped_copy: Path, caplog: pytest.LogCaptureFixture, build_worker_from: int
) -> None:
    """The database is damaged under the running bot, and the new one that replaces it cannot
    be written either (the disk is full): the reload fails, and the cards it read do not serve
    (the catalog and what the database holds stay as they were); once there is room again,
    the next reload applies them and stores every card."""
    database = tmp_path / "bot.sqlite3"
    async with open_store(database) as store:
        service = CatalogService(store, shipped_copy)
        service.build_worker_from = build_worker_from
        await service.start()
        await service.flush()
        served = service.catalog
        checkpoint(database)
        garbage(database)  # under the open connection: the reload's write finds it damaged
        run_on = shipped_copy / "run-on.yaml"
        run_on.write_text(run_on.read_text("utf-8").replace("episodes: 16", "episodes: 18"))
        with writes_fail_past(100_000), pytest.raises(sqlite3.Error):
            await service.reload(full=True)
        assert service.catalog is served
        assert f"not applied: the last good catalog ({TOTAL} cards) keeps serving" in caplog.text
        assert service.catalog.cards["run-on"].episodes == 16
        assert service.last_report is not None and service.last_report.total == TOTAL
        report = await service.reload()
        assert report.applied and report.diff.changed == ("run-on",)
        assert service.catalog.cards["run-on"].episodes == 18
        await service.flush()
    async with Store.open(database) as store:
        stored = {card.slug: card for card in await store.load_catalog()}
    assert len(stored) == TOTAL and stored["run-on"].episodes == 18
