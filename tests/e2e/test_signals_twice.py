"""``drama-bot run`` stopped by SIGHUP, SIGINT or SIGTERM sent twice in quick succession
(round 15, branch ``serve15``; an operator pressing Ctrl-C twice, a terminal closed, a
supervisor that signals again): an answer in flight is still given, the bot exits 0 with
no traceback, its gateway session ends with close code 1000, and its database is closed
whole (the write-ahead log checkpointed and removed; what was set before the stop kept)."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from pathlib import Path

import pytest

from tests.patience import patient
from tests.standins.discord import DiscordStandIn

from .processes import EXIT_TIMEOUT, drama_bot_serving

CALLBACK = r"^/interactions/\d+/[^/]+/callback$"
SIGNALS = [signal.SIGHUP, signal.SIGINT, signal.SIGTERM]


@pytest.mark.parametrize("signum", SIGNALS, ids=lambda s: signal.Signals(s).name)
async def test_a_signal_sent_twice_stops_the_bot_once_and_cleanly(
    standin: DiscordStandIn, tmp_path: Path, signum: signal.Signals
) -> None:
    async with drama_bot_serving(standin, tmp_path) as process:
        region = await standin.send_slash("settings", {"region": "JP"}, user=standin.owner)
        assert (await region.wait_message(timeout=patient(10.0))).ephemeral
        standin.rate_limit_next("POST", CALLBACK, count=1, retry_after=1.0)
        held = await standin.send_slash("drama", {"title": "Run On"})
        await standin.wait_for_request("POST", CALLBACK)  # (the 429: the answer waits)
        process.send_signal(signum)
        await asyncio.sleep(0.05)
        process.send_signal(signum)
        response = await held.wait_response(timeout=patient(EXIT_TIMEOUT))
        _, stderr = await asyncio.wait_for(process.communicate(), patient(EXIT_TIMEOUT))
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "Traceback" not in log and " ERROR " not in log, log
    assert response.type == 4 and response.data["embeds"][0]["title"] == "Run On (2020)"
    assert [c.close_code for c in standin.connections] == [1000]
    database = tmp_path / "state" / "drama-bot.sqlite3"
    assert not Path(f"{database}-wal").exists()
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = db.execute("SELECT value FROM guild_settings WHERE key = 'region'").fetchall()
    assert rows == [("JP",)]
