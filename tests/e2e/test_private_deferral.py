"""A slow answer's "thinking…" is shown only where its answer will be (round 17, branch
``serve17``): the server's settings are in memory before the answer is deferred, so the
deferral already knows whether this channel is one where the server wants answers public.
Before, every deferral was public and a private answer replaced it by deleting it: the
channel saw "drama-bot is thinking…" for an answer meant for the asker alone."""

from __future__ import annotations

from pathlib import Path

from tests.standins.discord import DiscordStandIn

from .conftest import Launch
from .harness import TIMEOUT, base_config, visible_text


async def test_a_slow_answer_outside_the_public_channels_is_deferred_privately(
    standin: DiscordStandIn, launch: Launch, tmp_path: Path
) -> None:
    await launch(base_config(standin, tmp_path, defer_answers_after=0.0))  # every answer slow
    general, reviews = (
        standin.guild.channel_named("general"),
        standin.guild.channel_named("reviews"),
    )
    chosen = await standin.send_slash("settings", {"public_channel": reviews}, user=standin.owner)
    assert f"<#{reviews.id}>" in visible_text((await chosen.wait_message(TIMEOUT)).raw)

    private = await standin.send_slash("drama", {"title": "Run On"}, channel=general)
    deferred = await private.wait_response(TIMEOUT)
    assert deferred.type == 5 and deferred.ephemeral, "the channel saw the bot thinking"
    answered = await private.wait_original(TIMEOUT, edits=1)
    assert answered.ephemeral and answered.embeds[0]["title"] == "Run On (2020)"
    assert [q.method for q in private.requests] == ["POST", "PATCH"]  # (nothing deleted)

    public = await standin.send_slash("drama", {"title": "Run On"}, channel=reviews)
    deferred = await public.wait_response(TIMEOUT)
    assert deferred.type == 5 and not deferred.ephemeral
    answered = await public.wait_original(TIMEOUT, edits=1)
    assert not answered.ephemeral and answered.embeds[0]["title"] == "Run On (2020)"
