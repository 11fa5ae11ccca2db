"""A fan's answer never waits for the disk before it is acknowledged (round 17, branch
``serve17``), through the unmodified ``drama-bot run``.

Another process holds the locks of the database's WAL index that a reader needs (SQLite's
reads then wait about 10 s and fail with "locking protocol": a stalled disk, or a backup tool
holding the files, looks the same to the bot). A fan asks ``/stream`` in a server whose
settings (a default region, answers public in one channel only) were saved before this start:
the answer is acknowledged within Discord's window, with that server's region, privately in a
channel that is not the public one and publicly in the one that is. Before round 17 the
server's settings were read from the database at its first answer, before any deferral: the
interaction was never acknowledged.

Then another process (a shard sharing the database, the same config started twice) changes
the server's region: the running bot answers with it within seconds (before, a server's
settings once read were never read again)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from pathlib import Path

import pytest

from bot.catalog.settings import PUBLIC_CHANNELS_KEY, REGION_KEY
from bot.catalog.store import Store
from bot.frontend.app import open_bot
from tests.patience import patient
from tests.standins.discord import DiscordStandIn, StandInInteraction

from .harness import DEADLINE, base_config, running_bot, visible_text
from .processes import drama_bot_serving, stopped, write_config

#: Holds, in the database's ``-shm`` file, SQLite's five WAL read-mark locks (bytes 123 to
#: 127: ``WAL_READ_LOCK(0..4)`` at offset 120 + 3), exclusively, as POSIX record locks: the
#: kind SQLite itself takes. Readers of the file wait for them (~10 s), then fail.
HOLD_READ_LOCKS = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR)
fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 5, 123, os.SEEK_SET)
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
"""
HELD_FOR = 15.0
#: Held from before a start: its read of every server's settings (~10 s) and a first
#: answer's (~10 s) both wait on them and fail.
STARTING_HELD_FOR = 60.0
#: How soon a change another process made must be answered with (the bot checks each 5 s).
FOLLOWED_WITHIN = 15.0


async def _holding_the_read_locks(database: Path, seconds: float) -> asyncio.subprocess.Process:
    shm = f"{database}-shm"
    pipe = asyncio.subprocess.PIPE
    holder = await asyncio.create_subprocess_exec(
        sys.executable, "-c", HOLD_READ_LOCKS, shm, str(seconds), stdout=pipe
    )
    said = await asyncio.wait_for(holder.stdout.readline(), 60) if holder.stdout else b""
    assert said == b"locked\n"
    return holder


async def _asked(standin: DiscordStandIn, channel: int) -> tuple[StandInInteraction, str]:
    """``/stream Run On`` in ``channel``: the interaction, and the text of its answer."""
    asked = await standin.send_slash("stream", {"title": "Run On"}, channel=channel)
    first = await asked.wait_response(timeout=patient(5.0))
    assert first.latency < DEADLINE, f"acknowledged after {first.latency:.2f} s"
    assert first.type == 4, f"deferred (type {first.type}): it waited for the disk"
    return asked, visible_text(first.data or {})


async def test_a_fans_answer_is_acknowledged_with_the_servers_settings_while_the_disk_stalls(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    guild = standin.guild
    general, public = guild.channel_named("general"), guild.channel_named("reviews")
    config = write_config(tmp_path, standin)
    database = tmp_path / "state" / "drama-bot.sqlite3"
    async with Store.open(database) as store:  # saved by an earlier run's /settings
        await store.set_guild_setting(guild.id, REGION_KEY, "JP")
        await store.set_guild_setting(guild.id, PUBLIC_CHANNELS_KEY, json.dumps([public.id]))
    async with drama_bot_serving(standin, tmp_path, config) as process:
        await asyncio.sleep(2.0)  # (the start's catalog kept in the background first)
        holder = await _holding_the_read_locks(database, HELD_FOR)
        private, said = await _asked(standin, general.id)
        assert private.response is not None and private.response.ephemeral
        assert "In Japan" in said, said
        shown, said = await _asked(standin, public.id)
        assert shown.response is not None and not shown.response.ephemeral
        assert "In Japan" in said, said
        assert holder.returncode is None  # (the locks were held all along)
        holder.kill()
        await holder.wait()

        async with Store.open(database) as store:  # another process sharing the database
            await store.set_guild_setting(guild.id, REGION_KEY, "KR")
        said = ""
        for _ in range(int(patient(FOLLOWED_WITHIN))):
            _, said = await _asked(standin, public.id)
            if "In South Korea" in said:
                break
            await asyncio.sleep(1.0)
        assert "In South Korea" in said, said
        _, stderr = await stopped(process)
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "Traceback" not in log and " ERROR " not in log, log


async def test_a_start_that_could_not_read_the_settings_defers_privately_and_says_so(
    standin: DiscordStandIn, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The locks held from before the bot's start: reading every server's settings fails
    there (a warning), so a server's are read at its first answer; that read waits on the
    locks, so the answer is deferred privately (the settings would have made it public in
    #reviews), and once the read has failed it is answered privately, saying why. The
    start's command sync, which reads what earlier syncs noted, is made all the same. Once
    the locks are gone, the next answer reads the settings: public, in Japan."""
    guild = standin.guild
    reviews = guild.channel_named("reviews")
    config = base_config(standin, tmp_path)
    async with running_bot(standin, config) as bot:  # an earlier run: commands synced,
        await bot.settings.set_region(guild.id, "JP")  # the catalog kept, settings saved
        await bot.settings.set_public_channels(guild.id, frozenset({reviews.id}))
        await bot.service.flush()
    async with open_bot(config) as bot:
        holder = await _holding_the_read_locks(config.database, STARTING_HELD_FOR)
        try:
            task = asyncio.create_task(bot.start(standin.token))
            await asyncio.wait_for(bot.wait_until_ready(), patient(STARTING_HELD_FOR))
            assert "servers' settings could not be read at start" in caplog.text
            asked = await standin.send_slash("stream", {"title": "Run On"}, channel=reviews)
            first = await asked.wait_response(timeout=patient(5.0))
            assert first.type == 5 and first.ephemeral and first.latency < DEADLINE
            said = await asked.wait_original(timeout=patient(STARTING_HELD_FOR), edits=1)
            assert said.ephemeral and (said.content or "").startswith(
                "This server's settings could not be read just now"
            ), said.content
            assert "In Japan" not in visible_text(said.raw)
            # The start's command sync is made all the same (it died with the read's error).
            await standin.wait_for_commands(patient(STARTING_HELD_FOR), count=2)
            assert "could not read dev_guilds_synced" in caplog.text
        finally:
            with contextlib.suppress(ProcessLookupError):
                holder.kill()
            await holder.wait()
        response = await _asked(standin, reviews.id)
        assert response[0].response is not None and not response[0].response.ephemeral
        assert "In Japan" in response[1]
        await bot.close()
        await task
