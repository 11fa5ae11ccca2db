"""Button and menu clicks when ``drama-bot run`` is stopped (round 14, branch ``serve14``).

Round 13's drain (bot/frontend/draining.py) covered slash commands and autocompletes, which
pass through the command tree; clicks pass through discord.py's view store instead, so a
click being answered when SIGTERM arrived lost its answer when the replier's session closed
(the fan saw "This interaction failed"), and a click arriving while the bot stopped was
computed against a closing bot."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable, Callable
from pathlib import Path

from tests.patience import patient
from tests.standins.discord import DiscordStandIn
from tests.standins.discord.interactions import StandInInteraction

from .processes import EXIT_TIMEOUT, drama_bot_serving

CALLBACK = r"^/interactions/\d+/[^/]+/callback$"


def pick_id(interaction: StandInInteraction, command: str) -> str:
    asker = interaction.payload["member"]["user"]["id"]
    return f"dramabot:pick:{command}:{asker}:"


async def _until_said(process: asyncio.subprocess.Process, words: bytes) -> None:
    assert process.stderr is not None
    while words not in (
        line := await asyncio.wait_for(process.stderr.readline(), patient(EXIT_TIMEOUT))
    ):
        assert line, f"drama-bot run ended without saying {words!r}"


async def _asked(standin: DiscordStandIn) -> StandInInteraction:
    """A /drama with a "did you mean" menu, answered."""
    asked = await standin.send_slash("drama", {"title": "reply"}, user="alice")
    assert (await asked.wait_response()).type == 4
    return asked


async def _stopping_while_held(
    standin: DiscordStandIn,
    process: asyncio.subprocess.Process,
    send: Callable[[], Awaitable[StandInInteraction]],
) -> StandInInteraction:
    """What ``send`` sends, its answer waiting out a 429 on its callback (1.5 s, inside
    Discord's window) when SIGTERM arrives; returned once the bot says it drains it."""
    standin.rate_limit_next("POST", CALLBACK, count=1, retry_after=1.5)
    held = await send()
    await standin.wait_for_request("POST", CALLBACK, count=2)  # (the 429; the menu's first)
    process.send_signal(signal.SIGTERM)
    await _until_said(process, b"stopping: answering 1 interaction(s) in flight first")
    return held


async def _stopped_cleanly(standin: DiscordStandIn, process: asyncio.subprocess.Process) -> None:
    _, stderr = await asyncio.wait_for(process.communicate(), patient(EXIT_TIMEOUT))
    assert process.returncode == 0, stderr.decode()
    assert [c.close_code for c in standin.connections] == [1000]


async def test_a_click_in_flight_at_sigterm_is_answered_before_the_bot_stops(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    async with drama_bot_serving(standin, tmp_path) as process:
        asked = await _asked(standin)
        click = await _stopping_while_held(
            standin,
            process,
            lambda: standin.send_component(
                asked, pick_id(asked, "drama"), ["reply-1994"], user="alice"
            ),
        )
        response = await click.wait_response(timeout=patient(EXIT_TIMEOUT))
        await _stopped_cleanly(standin, process)
    assert response.type == 7  # the pick replaced the menu's message
    assert asked.original is not None
    assert [e["title"] for e in asked.original.embeds] == ["Reply 1994 (2013)"]


async def test_a_click_arriving_while_the_bot_stops_is_told_it_is_restarting(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    async with drama_bot_serving(standin, tmp_path) as process:
        asked = await _asked(standin)
        held = await _stopping_while_held(
            standin, process, lambda: standin.send_slash("cast", {"title": "Run On"})
        )
        late = await standin.send_component(
            asked, pick_id(asked, "drama"), ["reply-1994"], user="alice"
        )
        notice = await late.wait_response(timeout=patient(EXIT_TIMEOUT))
        assert (await held.wait_response(timeout=patient(EXIT_TIMEOUT))).type == 4
        await _stopped_cleanly(standin, process)
    assert notice.type == 4 and notice.ephemeral
    assert "restarting" in notice.data["content"]
    assert asked.original is not None and asked.original.edit_count == 0  # the menu stays
