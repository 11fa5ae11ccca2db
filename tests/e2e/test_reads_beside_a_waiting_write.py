"""Answers never wait behind a write (round 16, branch ``serve16``): another process holds
the database's write lock, an admin's ``/settings`` write waits for it (up to a minute of
tries), and a fan's ``/drama`` in another server, which reads that server's settings from
the database, is answered at once, through the unmodified ``drama-bot run``. Before, the one
aiosqlite connection's thread was held by the waiting write: the answer was deferred and came
when the lock was gone."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.patience import patient
from tests.standins.discord import DiscordStandIn, Guild

from .harness import DEADLINE, visible_text
from .processes import drama_bot_serving, stopped, write_config
from .test_database_locked_run import HOLD  # (a process holding the write lock a while)

LOCKED_FOR = 20.0
TWO_SERVERS = [Guild.create(name="Admin's server"), Guild.create(name="Another server")]


async def _holding_the_write_lock(database: Path, seconds: float) -> asyncio.subprocess.Process:
    """Another process, once it holds ``database``'s write lock (for ``seconds``)."""
    pipe = asyncio.subprocess.PIPE
    arguments = (str(database), str(seconds))
    holder = await asyncio.create_subprocess_exec(
        sys.executable, "-c", HOLD, *arguments, stdout=pipe
    )
    said = await asyncio.wait_for(holder.stdout.readline(), 60) if holder.stdout else b""
    assert said == b"locked\n"
    return holder


@pytest.mark.parametrize("discord_standin", [{"guilds": TWO_SERVERS}], indirect=True)
async def test_an_answer_reading_the_database_does_not_wait_behind_a_settings_write(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    first, other = standin.guilds
    config = write_config(tmp_path, standin, dev_guild_ids=[first.id, other.id])
    database = tmp_path / "state" / "drama-bot.sqlite3"
    async with drama_bot_serving(standin, tmp_path, config) as process:
        await asyncio.sleep(2.0)  # (the start's catalog kept in the background first)
        holder = await _holding_the_write_lock(database, LOCKED_FOR)
        setting = await standin.send_slash("settings", {"region": "JP"}, user=standin.owner)
        waiting = await setting.wait_response(timeout=patient(5.0))
        assert waiting.type == 5 and waiting.latency < DEADLINE  # (the write waits: deferred)
        fan = await standin.send_slash("drama", {"title": "Run On"}, guild_id=other.id)
        answered = await fan.wait_response(timeout=patient(5.0))
        assert answered.type == 4, f"deferred (type {answered.type}): it waited for the write"
        assert answered.latency < DEADLINE
        assert answered.embeds and answered.embeds[0]["title"].startswith("Run On")
        assert setting.original is not None and setting.original.loading  # (still waiting)
        set_text = visible_text((await setting.wait_message(timeout=patient(60.0))).raw)
        assert "Default region is now Japan (JP)." in set_text, set_text
        await asyncio.wait_for(holder.wait(), 60)
        _, stderr = await stopped(process)
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "Traceback" not in log and " ERROR " not in log, log
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT guild_id, value FROM guild_settings").fetchall()
    assert rows == [(first.id, "JP")]
