"""What a server admin's host sees when ``drama-bot run`` is stopped (round 12, branch
``discord12``): the gateway closed the way Discord ends a session at once (close code 1000,
so the bot shows offline immediately, not after Discord's heartbeat timeout), and the
database closed (its write-ahead log checkpointed and removed)."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.standins.discord import DiscordStandIn

from .processes import drama_bot_serving, stopped


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_a_stopped_bot_ends_its_gateway_session_and_closes_its_database(
    standin: DiscordStandIn, tmp_path: Path, signum: signal.Signals
) -> None:
    async with drama_bot_serving(standin, tmp_path) as process:
        interaction = await standin.send_slash("drama", {"title": "Run On"})
        assert (await interaction.wait_response()).type == 4
        database = tmp_path / "state" / "drama-bot.sqlite3"
        assert Path(f"{database}-wal").exists()  # open, in WAL mode
        _, stderr = await stopped(process, signum)
    assert process.returncode == 0, stderr.decode()
    assert [c.close_code for c in standin.connections] == [1000]
    assert database.is_file()
    assert not Path(f"{database}-wal").exists() and not Path(f"{database}-shm").exists()
