"""Servers' settings rows that ``/settings`` never writes, put in the shared database by
another process (a shard of another version, an admin's ``sqlite3`` shell, a damaged
restore), through the unmodified ``drama-bot run``: a server ID that is no integer, a
public-channels value nested 100,000 deep, a region that is no country. The bot starts, its
other servers keep their settings, and each bad row counts as unset (round 18, branch
``robust18``)."""

from __future__ import annotations

import asyncio
import itertools
import json
import sqlite3
from pathlib import Path

from bot.catalog.settings import PUBLIC_CHANNELS_KEY, REGION_KEY
from bot.catalog.store import Store
from tests.patience import patient
from tests.standins.discord import DiscordStandIn

from .harness import DEADLINE, visible_text
from .processes import drama_bot_serving, stopped, write_config

#: How soon a change another process made must be answered with (the bot checks each 5 s).
FOLLOWED_WITHIN = 15.0
NESTED = "[" * 100_000 + "]" * 100_000


def _written_by_another_process(database: Path, *rows: tuple[object, str, str]) -> None:
    with sqlite3.connect(database, timeout=30) as other:
        other.executemany("INSERT OR REPLACE INTO guild_settings VALUES (?, ?, ?)", rows)


_TURNS = itertools.count()


async def _answer(standin: DiscordStandIn, channel: int) -> tuple[bool, str]:
    """``/stream Run On`` in ``channel`` (asked by two fans in turn, 1.5 s apart: within
    the cooldown's 5 commands in 10 s): whether it was public, and its text."""
    fan = (standin.user, standin.owner)[next(_TURNS) % 2]
    asked = await standin.send_slash("stream", {"title": "Run On"}, channel=channel, user=fan)
    first = await asked.wait_response(timeout=patient(5.0))
    assert first.latency < DEADLINE and first.type == 4, first
    return not first.ephemeral, visible_text(first.data or {})


async def _answered_within(standin: DiscordStandIn, channel: int, wanted: str) -> tuple[bool, str]:
    said = ""
    for _ in range(int(patient(FOLLOWED_WITHIN))):
        public, said = await _answer(standin, channel)
        if wanted in said:
            return public, said
        await asyncio.sleep(1.5)
    raise AssertionError(f"never answered with {wanted!r}: {said}")


async def test_settings_rows_no_setting_command_writes_count_as_unset(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    """Before: the start's read of every server's settings raised (``int('abc')``: ValueError;
    the nested value: RecursionError), neither of which it caught: ``run`` ended at start
    (exit 1); a region "zz" made every ``/stream`` of that server answer "“zz” is not a
    country I know" to fans who typed no region."""
    guild = standin.guild
    reviews = guild.channel_named("reviews")
    config = write_config(tmp_path, standin)
    database = tmp_path / "state" / "drama-bot.sqlite3"
    async with Store.open(database) as store:  # saved by an earlier run's /settings
        await store.set_guild_setting(guild.id, REGION_KEY, "JP")
        await store.set_guild_setting(guild.id, PUBLIC_CHANNELS_KEY, json.dumps([reviews.id]))
    _written_by_another_process(
        database, ("not a server", REGION_KEY, "KR"), (99, PUBLIC_CHANNELS_KEY, NESTED)
    )
    async with drama_bot_serving(standin, tmp_path, config) as process:
        public, said = await _answer(standin, reviews.id)
        assert public and "In Japan" in said, said
        # While it serves: a region that is no country, and the nested value for this server.
        _written_by_another_process(
            database, (guild.id, REGION_KEY, "zz"), (guild.id, PUBLIC_CHANNELS_KEY, NESTED)
        )
        said = "In Japan"
        for _ in range(int(patient(FOLLOWED_WITHIN))):
            public, said = await _answer(standin, reviews.id)
            if "In Japan" not in said:
                break
            await asyncio.sleep(1.5)
        assert "In Japan" not in said and "not a country" not in said, said
        assert public, said  # (no public channel read: public everywhere)
        # And the next change is followed still.
        _written_by_another_process(
            database, (guild.id, REGION_KEY, "KR"), (guild.id, PUBLIC_CHANNELS_KEY, "[1]")
        )
        public, said = await _answered_within(
            standin, guild.channel_named("general").id, "In South Korea"
        )
        assert not public
        _, stderr = await stopped(process)
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "Traceback" not in log and " ERROR " not in log, log
