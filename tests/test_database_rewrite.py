"""The database written again at its path while the bot serves (``Store.rewrite_at_path``,
``CatalogService.rewrite_database``: its file was deleted under the running bot): what
servers write at the same moment is never lost (round 15, branch ``serve15``)."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import sys
from pathlib import Path

from bot.catalog.service import CatalogService
from bot.catalog.settings import SettingsBook
from bot.catalog.store import Store
from tests.conftest import REPO, SHIPPED_CARDS


def _regions(database: Path) -> dict[int, str]:
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT guild_id, value FROM guild_settings WHERE key = 'region'")
        return {int(guild): str(value) for guild, value in rows}


async def test_settings_written_during_a_rewrite_reach_the_file_at_the_path(
    tmp_path: Path,
) -> None:
    """Servers keep setting their region, one after another, while the deleted database is
    written again: every region the bot confirmed is in the file at the path afterwards. (A
    write landing between the copy and the reopen went to the old, unlinked file: lost; one
    landing while the store was closed for the reopen raised.)"""
    cards = tmp_path / "cards"
    shutil.copytree(SHIPPED_CARDS, cards)
    database = tmp_path / "state" / "drama-bot.sqlite3"
    confirmed: dict[int, str] = {}
    async with Store.open(database) as store:
        service = CatalogService(store, cards)
        await service.start()
        book = SettingsBook(store)
        for rounds in range(3):
            database.unlink()
            rewriting = asyncio.ensure_future(service.rewrite_database())
            guild = 1_000 * (rounds + 1)
            while not rewriting.done() or guild % 1_000 < 20:
                region = ("JP", "KR", "US")[guild % 3]
                settings = await book.set_region(guild, region)
                assert settings.region == region
                confirmed[guild] = region
                guild += 1
            await rewriting
    assert _regions(database) == confirmed


SHARD = """
import asyncio, logging, sys
from pathlib import Path
from bot.catalog.service import CatalogService
from bot.catalog.settings import SettingsBook
from bot.catalog.store import Store
from bot.frontend.database_file import DatabaseFile

async def main() -> None:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    database, cards = sys.argv[1], Path(sys.argv[2])
    async with Store.open(database) as store:
        service, book = CatalogService(store, cards), SettingsBook(store)
        file = DatabaseFile(database)
        print("ready", flush=True)
        for line in sys.stdin:
            word, _, rest = line.strip().partition(" ")
            if word == "region":
                guild, region = rest.split()
                print((await book.set_region(int(guild), region)).region, flush=True)
            elif word == "mend":
                print(await file.mend(service), flush=True)

asyncio.run(main())
"""


async def test_a_shard_follows_the_database_another_shard_wrote_again(tmp_path: Path) -> None:
    """Two processes share one database (shards); its files are deleted; the first reloads
    and writes it again at its path. The second then sets a server's region and reloads: the
    region is in the file at the path, and the second is not told of a foreign file put in
    place (it kept its unlinked file, said "replaced", and the region was lost)."""
    cards = tmp_path / "cards"
    shutil.copytree(SHIPPED_CARDS, cards)
    database = tmp_path / "state" / "drama-bot.sqlite3"
    async with Store.open(database) as store:
        service = CatalogService(store, cards)
        await service.start()
        shard = await asyncio.create_subprocess_exec(
            *(sys.executable, "-c", SHARD, str(database), str(cards)),
            cwd=REPO,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        assert shard.stdin is not None and shard.stdout is not None

        async def ask(line: str) -> str:
            assert shard.stdin is not None and shard.stdout is not None
            shard.stdin.write(f"{line}\n".encode())
            await shard.stdin.drain()
            return (await asyncio.wait_for(shard.stdout.readline(), 60)).decode().strip()

        try:
            assert (await asyncio.wait_for(shard.stdout.readline(), 60)).strip() == b"ready"
            assert await ask("region 7 KR") == "KR"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
            await service.rewrite_database()  # (the first shard's /reload: bot.frontend)
            assert await ask("region 8 JP") == "JP"
            assert await ask("mend") == "None"
            await SettingsBook(store).set_region(9, "US")
        finally:
            shard.stdin.close()
            _, err = await asyncio.wait_for(shard.communicate(), 60)
        log = err.decode()
        assert shard.returncode == 0, log
        assert "was written again by another process: reopened" in log
        assert "replaced" not in log
    assert _regions(database) == {7: "KR", 8: "JP", 9: "US"}
