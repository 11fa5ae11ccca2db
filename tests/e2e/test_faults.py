"""Discord failing the way its documentation says it can: long 429s, server errors, answers
lost on the way back, failed command syncs. The user still gets the answer, or at least never
a duplicate or a private answer made public; nothing is sent into an emptied rate-limit
bucket (the stand-in records that as a violation)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.standins.discord import DiscordStandIn, Guild
from tests.standins.discord.entities import USE_APPLICATION_COMMANDS, VIEW_CHANNEL

from .conftest import Launch
from .harness import DEADLINE, TIMEOUT, answer, base_config

CALLBACK = r"^/interactions/\d+/[^/]+/callback$"
ORIGINAL = r"^/webhooks/\d+/[^/]+/messages/@original$"
GUILD_PUT = r"^/applications/\d+/guilds/\d+/commands$"
CHANNEL_MESSAGE = r"^/channels/\d+/messages$"


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


@pytest.mark.usefixtures("drama_bot")
async def test_two_server_errors_on_the_callback_are_retried_within_the_deadline(
    standin: DiscordStandIn,
) -> None:
    """discord.py alone retries a 5xx after 1 s and 3 s: past Discord's 3 s, so the user got
    nothing. Now the answer arrives in time, on the third try."""
    rule = standin.fail_next("POST", CALLBACK, count=2, status=503)
    interaction, response = await answer(standin, "drama", {"title": "Run On"})
    assert response.type == 4 and response.embeds[0]["title"] == "Run On (2020)"
    assert response.latency < DEADLINE
    assert [q.status for q in interaction.requests] == [503, 503, 204]
    assert len(rule.hits) == 2


@pytest.mark.usefixtures("drama_bot")
async def test_an_answer_taken_but_lost_on_the_way_back_is_not_sent_twice(
    standin: DiscordStandIn,
) -> None:
    """A 502 after Discord already took the answer: the retry meets 40060 "already
    acknowledged", which means done; the user sees exactly one answer."""
    standin.fail_next("POST", CALLBACK, count=1, status=502, after_processing=True)
    interaction, response = await answer(standin, "cast", {"title": "Run On"})
    assert response.embeds[0]["title"] == "Cast of Run On (2020)"
    await standin.wait_for_request("POST", CALLBACK, count=2)
    assert [q.status for q in interaction.requests] == [502, 400]
    assert len(interaction.messages) == 1
    (violation,) = standin.clear_violations()  # the stand-in notes the 40060 it answered
    assert violation.message.startswith("second initial response (type 4)")
    assert violation.message.endswith("(40060)")


@pytest.mark.usefixtures("drama_bot")
async def test_a_callback_rate_limited_past_the_deadline_is_answered_in_the_channel(
    standin: DiscordStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    """A 429 with retry_after 4 s on the callback: Discord refuses anything sooner and the
    interaction dies at 3 s, so no reply can get through. The bot does not hammer the emptied
    bucket; it posts the answer in the channel as an ordinary message naming the asker."""
    standin.rate_limit_next("POST", CALLBACK, count=1, retry_after=4.0)
    interaction = await standin.send_slash("drama", {"title": "Run On"})
    posted = await standin.wait_for_request("POST", CHANNEL_MESSAGE, timeout=TIMEOUT)
    (limited,) = interaction.requests
    assert posted.time - limited.time < 4.0  # it did not sit out the 429 first
    assert posted.status == 200
    message = posted.response
    user = interaction.payload["member"]["user"]["id"]
    assert message["content"].startswith(f"<@{user}> asked /drama;")
    assert message["embeds"][0]["title"] == "Run On (2020)"
    assert posted.json["allowed_mentions"]["parse"] == []  # naming the asker pings no one
    assert [q.status for q in interaction.requests] == [429]  # no second try into the 429
    standin.expect_unanswered(interaction)
    assert "posted the answer to /drama in the channel instead" in warnings(caplog)


@pytest.mark.usefixtures("drama_bot")
async def test_a_private_answer_is_never_posted_publicly(
    standin: DiscordStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    standin.rate_limit_next("POST", CALLBACK, count=1, retry_after=4.0)
    interaction = await standin.send_slash("drama", {"title": "No Such Drama Anywhere"})
    await standin.state.changed.wait_for(
        lambda: any("is lost" in w for w in warnings(caplog)), TIMEOUT, "the bot to give up"
    )
    assert "the private answer to /drama is lost (never posted publicly)" in warnings(caplog)
    assert standin.requests_matching("POST", CHANNEL_MESSAGE) == []
    standin.expect_unanswered(interaction)


@pytest.mark.parametrize(
    "discord_standin",
    [
        {
            "guilds": [Guild.create(everyone_permissions=VIEW_CHANNEL | USE_APPLICATION_COMMANDS)],
            "bot_permissions": VIEW_CHANNEL,  # the bot may read, not post
        }
    ],
    indirect=True,
)
@pytest.mark.usefixtures("drama_bot")
async def test_no_channel_message_where_the_bot_may_not_post(
    standin: DiscordStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    standin.rate_limit_next("POST", CALLBACK, count=1, retry_after=4.0)
    interaction = await standin.send_slash("drama", {"title": "Run On"})
    await standin.state.changed.wait_for(
        lambda: any("is lost" in w for w in warnings(caplog)), TIMEOUT, "the bot to give up"
    )
    assert "the answer to /drama is lost: no permission to post in the channel" in warnings(caplog)
    assert standin.requests_matching("POST", CHANNEL_MESSAGE) == []
    standin.expect_unanswered(interaction)


async def test_a_deferred_answer_waits_out_a_long_429_and_server_errors(
    standin: DiscordStandIn, launch: Launch, tmp_path: Path
) -> None:
    """After a deferral the token lives 15 minutes: a 4 s 429 and then two 5xx on the edit
    are waited out, and the answer replaces the "thinking…" message."""
    await launch(base_config(standin, tmp_path, defer_answers_after=0.0))
    limited = standin.rate_limit_next("PATCH", ORIGINAL, count=1, retry_after=4.0)
    failed = standin.fail_next("PATCH", ORIGINAL, count=2, status=500)
    interaction = await standin.send_slash("drama", {"title": "Run On"})
    deferred = await interaction.wait_response()
    assert deferred.type == 5 and not deferred.ephemeral
    message = await interaction.wait_message(timeout=12)
    assert message.embeds[0]["title"] == "Run On (2020)" and not message.ephemeral
    edits = standin.requests_matching("PATCH", ORIGINAL)
    assert [q.status for q in edits] == [429, 500, 500, 200]
    assert edits[1].time - edits[0].time >= 4.0  # retry_after respected
    assert (len(limited.hits), len(failed.hits)) == (1, 2)


async def test_a_private_answer_after_a_public_deferral_stays_private(
    standin: DiscordStandIn, launch: Launch, tmp_path: Path
) -> None:
    await launch(base_config(standin, tmp_path, defer_answers_after=0.0))
    interaction = await standin.send_slash("drama", {"title": "No Such Drama Anywhere"})
    assert (await interaction.wait_response()).type == 5
    message = await interaction.wait_followup(0)
    assert message.ephemeral and (message.content or "").startswith("No drama called")
    assert interaction.original is not None and interaction.original.deleted
    assert [q.method for q in interaction.requests] == ["POST", "DELETE", "POST"]


async def test_a_failed_command_sync_at_start_up_is_retried_with_backoff(
    standin: DiscordStandIn, launch: Launch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rule = standin.fail_next("PUT", GUILD_PUT, count=2, status=503)
    await launch(base_config(standin, tmp_path))
    puts = standin.requests_matching("PUT", GUILD_PUT)
    assert [q.status for q in puts] == [503, 503, 200]
    assert puts[1].time - puts[0].time >= 0.5 and puts[2].time - puts[1].time >= 1.0
    guild = standin.guild.id
    assert [w for w in warnings(caplog) if "could not sync" in w] == [
        f"could not sync commands to guild {guild} (attempt 1 of 11): 503 Service Unavailable "
        "(error code: 0): 503: Service Unavailable; retrying in 0.5 s",
        f"could not sync commands to guild {guild} (attempt 2 of 11): 503 Service Unavailable "
        "(error code: 0): 503: Service Unavailable; retrying in 1 s",
    ]
    assert len(rule.hits) == 2
    _, response = await answer(standin, "drama", {"title": "Run On"})
    assert response.type == 4
