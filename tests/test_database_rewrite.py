"""The database written again at its path while the bot serves (``Store.rewrite_at_path``,
``CatalogService.rewrite_database``: its file was deleted under the running bot): what
servers write at the same moment is never lost (round 15, branch ``serve15``)."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from pathlib import Path

from bot.catalog.service import CatalogService
from bot.catalog.settings import SettingsBook
from bot.catalog.store import Store
from tests.conftest import SHIPPED_CARDS


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
