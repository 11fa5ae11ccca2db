"""A shard's ``/settings`` writes while a sibling writes the deleted database again at its
path (``Store.rewrite_at_path``: SQLite's backup copy, then the rename): every write the
shard confirmed is in the file at the path afterwards (round 16, branch ``serve16``; before
it, a write landing during the sibling's copy went to the old, unlinked file only: lost)."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import sys
from pathlib import Path

from bot.catalog.service import CatalogService
from bot.catalog.store import Store
from tests.conftest import REPO, SHIPPED_CARDS

SHARD = """
import asyncio, logging, sys
from pathlib import Path
from bot.catalog.settings import SettingsBook
from bot.catalog.store import Store

async def main() -> None:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    database, stop = sys.argv[1], Path(sys.argv[2])
    async with Store.open(database) as store:
        book = SettingsBook(store)
        print("ready", flush=True)
        guild = 1
        while not stop.exists():
            region = ("JP", "KR", "US")[guild % 3]
            if (await book.set_region(guild, region)).region == region:
                print(guild, region, flush=True)
            guild += 1

asyncio.run(main())
"""


def _regions(database: Path) -> dict[int, str]:
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT guild_id, value FROM guild_settings WHERE key = 'region'")
        return {int(guild): str(value) for guild, value in rows}


async def test_a_shard_writing_during_a_siblings_rewrite_loses_nothing(tmp_path: Path) -> None:
    """Another process (a shard) sets one server's region after another without pause while
    this one, five times, finds the database's files deleted and writes it again: the regions
    the shard confirmed are all in the file at the path."""
    cards = tmp_path / "cards"
    shutil.copytree(SHIPPED_CARDS, cards)
    database = tmp_path / "state" / "drama-bot.sqlite3"
    stop = tmp_path / "stop"
    async with Store.open(database) as store:
        service = CatalogService(store, cards)
        await service.start()
        shard = await asyncio.create_subprocess_exec(
            *(sys.executable, "-c", SHARD, str(database), str(stop)),
            cwd=REPO,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        assert shard.stdout is not None
        assert (await asyncio.wait_for(shard.stdout.readline(), 60)).strip() == b"ready"
        confirmed: dict[int, str] = {}

        async def read_confirmed() -> None:
            assert shard.stdout is not None
            async for line in shard.stdout:
                guild, region = line.decode().split()
                confirmed[int(guild)] = region

        reading = asyncio.ensure_future(read_confirmed())
        for _ in range(5):
            await asyncio.sleep(0.3)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
            await service.rewrite_database()
        await asyncio.sleep(0.3)
        stop.touch()
        _, err = await asyncio.wait_for(asyncio.gather(shard.wait(), shard.stderr.read()), 60)
        await reading
    log = err.decode()
    assert shard.returncode == 0, log
    assert len(confirmed) > 20, log
    stored = _regions(database)
    lost = {guild: region for guild, region in confirmed.items() if stored.get(guild) != region}
    assert not lost, f"{len(lost)} of {len(confirmed)} confirmed regions lost: {sorted(lost)[:20]}"
