"""Per-server settings: kept in SQLite, surviving reloads, restarts and schema upgrades."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.answering.settings_view import settings_notice
from bot.cards.loader import load_cards
from bot.catalog.settings import ServerSettings, SettingsBook
from bot.catalog.store import MIGRATIONS, SCHEMA_VERSION, Store
from tests.conftest import SHIPPED_CARDS

GUILD = 111222333444555666


async def test_settings_survive_a_reload_and_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with Store.open(path) as store:
        book = SettingsBook(store)
        await book.set_region(GUILD, "KR")
        await book.set_public_channels(GUILD, frozenset({5, 7}))
        await store.replace_catalog(load_cards(SHIPPED_CARDS).cards)  # a reload
        await store.replace_catalog([])
        assert await book.get(GUILD) == ServerSettings("KR", frozenset({5, 7}))
    async with Store.open(path) as store:  # a restart: nothing cached
        settings = await SettingsBook(store).get(GUILD)
    assert settings == ServerSettings("KR", frozenset({5, 7}))
    assert settings.answers_publicly_in(5) and not settings.answers_publicly_in(6)


async def test_clearing_settings_returns_to_the_defaults(tmp_path: Path) -> None:
    async with Store.open(tmp_path / "bot.sqlite3") as store:
        book = SettingsBook(store)
        await book.set_region(GUILD, "US")
        await book.set_public_channels(GUILD, frozenset({5}))
        await book.set_region(GUILD, None)
        settings = await book.set_public_channels(GUILD, frozenset())
    assert settings == ServerSettings()
    assert settings.answers_publicly_in(12345)


async def test_other_servers_and_direct_messages_get_the_defaults(tmp_path: Path) -> None:
    async with Store.open(tmp_path / "bot.sqlite3") as store:
        book = SettingsBook(store)
        await book.set_region(GUILD, "KR")
        assert await book.get(GUILD + 1) == ServerSettings()
        assert await book.get(None) == ServerSettings()


async def test_a_damaged_setting_means_the_default_not_a_crash(tmp_path: Path) -> None:
    async with Store.open(tmp_path / "bot.sqlite3") as store:
        await store.set_guild_setting(GUILD, "public_channels", "{not json")
        await store.set_guild_setting(GUILD, "region", "Narnia")
        assert await SettingsBook(store).get(GUILD) == ServerSettings()


async def test_a_first_version_database_is_upgraded_in_place_keeping_settings(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:  # the database as the first release left it
        db.executescript(MIGRATIONS[0])
        db.execute("PRAGMA user_version = 1")
        db.execute(
            "INSERT INTO guild_settings (guild_id, key, value) VALUES (?, 'region', 'GB')",
            (GUILD,),
        )
    async with Store.open(path) as store:
        assert await store.schema_version() == SCHEMA_VERSION
        settings = await SettingsBook(store).get(GUILD)
    assert settings.region == "GB"


def test_the_settings_notice_says_where_answers_are_public() -> None:
    notice = settings_notice(ServerSettings("KR", frozenset({9, 8})), "Changed.")
    assert notice.text == "Changed."
    assert notice.lines == (
        "Default region for /stream: South Korea (KR)",
        "Answers: publicly in <#8>, <#9>; privately (only the asker sees it) elsewhere",
    )
    assert "publicly in every channel" in settings_notice(ServerSettings()).lines[1]
