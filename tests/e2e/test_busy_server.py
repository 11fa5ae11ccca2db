"""A fan typing in a busy server (round 12, branch ``discord12``): Discord failing or
forgetting an autocomplete request, as it does when the fan types on or Discord has a bad
moment, must never leave the fan without suggestions while there is time, nor make the bot
log an error with a traceback.

Autocomplete answers have the same 3 s window as any first response, but discord.py sends
them itself: a 503 is not retried at all and a 500 only after 1 s and 3 s, past the window;
an expired one (404 Unknown interaction) is logged at ERROR with a traceback."""

from __future__ import annotations

import asyncio
import logging

import pytest

from tests.standins.discord import DiscordStandIn

from .harness import DEADLINE

CALLBACK = r"^/interactions/\d+/[^/]+/callback$"

pytestmark = pytest.mark.usefixtures("drama_bot")


@pytest.mark.parametrize("status", [500, 503])
async def test_autocomplete_failed_twice_by_discord_is_answered_within_the_window(
    standin: DiscordStandIn, status: int
) -> None:
    rule = standin.fail_next("POST", CALLBACK, count=2, status=status)
    typed = await standin.send_autocomplete("drama", {"title": "run"}, focused="title")
    response = await typed.wait_response()
    assert response.type == 8
    assert "run-on" in [choice["value"] for choice in response.choices]
    assert response.latency < DEADLINE
    assert len(rule.hits) == 2


async def test_an_autocomplete_discord_no_longer_wants_is_let_go_quietly(
    standin: DiscordStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    # Every interaction expires at once: Discord answers the bot's choices 404 Unknown
    # interaction (10062), as it does for a keystroke the fan has typed past.
    standin.state.config.response_deadline = 0.0
    typed = await standin.send_autocomplete("actor", {"name": "kim"}, focused="name")
    await standin.wait_for_request("POST", CALLBACK)
    standin.expect_unanswered(typed)
    assert [str(v) for v in standin.clear_violations()] != []  # the late callback, as sent
    standin.state.config.response_deadline = DEADLINE
    again = await standin.send_autocomplete("actor", {"name": "kim"}, focused="name")
    response = await again.wait_response()
    assert response.type == 8 and len(response.choices) > 0
    await asyncio.sleep(0.2)  # anything the first one logs after its 404
    said = [r for r in caplog.records if "Unknown interaction" in r.getMessage()]
    assert said and all(r.levelno <= logging.WARNING and not r.exc_info for r in said)
