"""The database locked by another process for 30 s (twice ``busy_timeout``) while the
unmodified ``drama-bot run`` serves (round 15, branch ``serve15``): a ``/settings`` write and
a ``/reload`` made during it. What the admin reads, and that nothing is lost: the region is
set once the lock is gone, the card changed on disk is served, both survive a restart."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from pathlib import Path

from tests.patience import patient
from tests.standins.discord import DiscordStandIn

from .harness import DEADLINE, copy_cards, visible_text
from .processes import drama_bot_serving, stopped, write_config

OLD = "headline: An unhurried romance about four people finding their own worth"
NEW = "headline: A gentle romance, now with a rewritten headline"
HOLD = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=60, isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("ROLLBACK")
"""
LOCKED_FOR = 30.0


async def _headline(standin: DiscordStandIn) -> str:
    interaction = await standin.send_slash("drama", {"title": "Run On"})
    response = await interaction.wait_response(timeout=patient(5.0))
    assert response.type == 4 and response.latency < DEADLINE
    return response.embeds[0]["description"].split("\n\n")[0]


async def test_a_database_locked_for_30_s_loses_no_setting_and_no_reload(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    cards = copy_cards(tmp_path)
    # No cards watcher (as tests/e2e/harness.py's bots that edit a card and /reload): with it,
    # under load, the watcher's reload of the edit started first, waited out the lock, and
    # /reload then rightly said "0 changed" (reproduced at load 12: the log's "1 change
    # detected", then the watcher's reload "1 changed" 30 s later, /reload's "0 changed").
    config = write_config(tmp_path, standin, data_dir=str(cards), watch_cards=False)
    database = tmp_path / "state" / "drama-bot.sqlite3"
    async with drama_bot_serving(standin, tmp_path, config) as process:
        await asyncio.sleep(2.0)  # (the start's catalog kept in the background first)
        holder = await asyncio.create_subprocess_exec(
            sys.executable, "-c", HOLD, str(database), str(LOCKED_FOR),
            stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        assert holder.stdout is not None
        assert await asyncio.wait_for(holder.stdout.readline(), 60) == b"locked\n"
        run_on = cards / "run-on.yaml"
        run_on.write_text(run_on.read_text("utf-8").replace(OLD, NEW), "utf-8")
        setting = await standin.send_slash("settings", {"region": "JP"}, user=standin.owner)
        reloading = await standin.send_slash("reload", {}, user=standin.owner)
        for interaction in (setting, reloading):
            first = await interaction.wait_response(timeout=patient(5.0))
            assert first.latency < DEADLINE and first.ephemeral
        set_text = visible_text((await setting.wait_message(timeout=patient(60.0))).raw)
        report = visible_text((await reloading.wait_message(timeout=patient(60.0))).raw)
        assert "Default region is now Japan (JP)." in set_text, set_text
        assert report.startswith("Catalog reloaded") and "Changed: Run On" in report, report
        assert await _headline(standin) == f"**{NEW.removeprefix('headline: ')}**"
        await asyncio.wait_for(holder.wait(), 60)
        _, stderr = await stopped(process)
    log = stderr.decode()

    assert process.returncode == 0, log
    assert "Traceback" not in log and " ERROR " not in log, log
    assert "busy for a setting's write (database is locked): trying again (2 of 4)" in log
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT value FROM guild_settings WHERE key = 'region'").fetchall()
    assert rows == [("JP",)]
    async with drama_bot_serving(standin, tmp_path, config) as process:
        await standin.state.changed.wait_for(
            lambda: len(standin.gateway.sessions) >= 2, patient(20.0), "the second start"
        )
        assert await _headline(standin) == f"**{NEW.removeprefix('headline: ')}**"
        await stopped(process)
