"""What a server admin's host sees when ``drama-bot run`` is stopped (round 12, branch
``discord12``): the gateway closed the way Discord ends a session at once (close code 1000,
so the bot shows offline immediately, not after Discord's heartbeat timeout), and the
database closed (its write-ahead log checkpointed and removed)."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest

from tests.patience import patient
from tests.standins.discord import DiscordStandIn
from tests.standins.discord.interactions import StandInInteraction

from .processes import EXIT_TIMEOUT, drama_bot_serving, stopped


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


CALLBACK = r"^/interactions/\d+/[^/]+/callback$"


async def _stopping_while_held(
    standin: DiscordStandIn, process: asyncio.subprocess.Process, *, drains: bool = True
) -> StandInInteraction:
    """A /drama whose answer waits out a 429 on its callback (1.5 s, inside Discord's window)
    when SIGTERM arrives; returned once the bot says it is answering it before it stops
    (``drains``), else at once."""
    standin.rate_limit_next("POST", CALLBACK, count=1, retry_after=1.5)
    held = await standin.send_slash("drama", {"title": "Run On"})
    await standin.wait_for_request("POST", CALLBACK)  # (the 429)
    process.send_signal(signal.SIGTERM)
    assert process.stderr is not None
    if not drains:
        return held
    while b"stopping: answering 1 interaction(s) in flight first" not in (
        line := await asyncio.wait_for(process.stderr.readline(), patient(EXIT_TIMEOUT))
    ):
        assert line, "drama-bot run ended without saying it drains"
    return held


async def test_a_command_in_flight_at_sigterm_is_answered_before_the_bot_stops(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    """Before round 13 the replier's session closed at once: the answer waiting out the 429
    was lost and the fan saw "The application did not respond"."""
    async with drama_bot_serving(standin, tmp_path) as process:
        held = await _stopping_while_held(standin, process, drains=False)
        response = await held.wait_response(timeout=patient(EXIT_TIMEOUT))
        _, stderr = await asyncio.wait_for(process.communicate(), patient(EXIT_TIMEOUT))
    assert response.type == 4 and response.data["embeds"][0]["title"] == "Run On (2020)"
    assert process.returncode == 0, stderr.decode()
    assert [c.close_code for c in standin.connections] == [1000]


async def test_a_command_arriving_while_the_bot_stops_is_told_it_is_restarting(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    async with drama_bot_serving(standin, tmp_path) as process:
        held = await _stopping_while_held(standin, process)
        late = await standin.send_slash("cast", {"title": "Run On"})
        notice = await late.wait_response(timeout=patient(EXIT_TIMEOUT))
        assert (await held.wait_response(timeout=patient(EXIT_TIMEOUT))).type == 4
        _, stderr = await asyncio.wait_for(process.communicate(), patient(EXIT_TIMEOUT))
    assert notice.type == 4 and notice.ephemeral
    assert "restarting" in notice.data["content"]
    assert process.returncode == 0, stderr.decode()
    assert [c.close_code for c in standin.connections] == [1000]
