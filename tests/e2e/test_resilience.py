"""Network trouble: a dropped gateway connection and Discord's 429s."""

from __future__ import annotations

import pytest

from tests.standins.discord import DiscordStandIn

from .harness import answer

CALLBACK = r"^/interactions/\d+/[^/]+/callback$"
ORIGINAL = r"^/webhooks/\d+/[^/]+/messages/@original$"

pytestmark = pytest.mark.usefixtures("drama_bot")


def identifies(standin: DiscordStandIn) -> int:
    return len([f for f in standin.frames if f.direction == "recv" and f.op == 2])


async def test_dropped_gateway_resumes_and_answers(standin: DiscordStandIn) -> None:
    assert await standin.drop_connection() == 1
    # Sent while the bot is away: Discord keeps it and replays it on RESUME.
    during = await standin.send_slash("drama", {"title": "Run On"})
    await standin.wait_resumed()
    assert (await during.wait_response()).embeds[0]["title"] == "Run On (2020)"
    _, after = await answer(standin, "cast", {"title": "Start-Up"})
    assert after.type == 4 and after.embeds[0]["title"] == "Cast of Start-Up (2020)"
    assert [c.path for c in standin.connections if c.resumed] == ["/gateway/resume"]
    assert identifies(standin) == 1  # resumed the session, did not start a new one


async def test_reconnect_request_resumes_and_answers(standin: DiscordStandIn) -> None:
    assert await standin.drop_connection(reconnect_op=True) == 1
    await standin.wait_resumed()
    _, response = await answer(standin, "similar", {"title": "Run On"})
    assert response.embeds[0]["title"] == "Dramas like Run On (2020)"
    assert identifies(standin) == 1 and standin.resume_count == 1


async def test_rate_limited_answer_is_retried(standin: DiscordStandIn) -> None:
    rule = standin.rate_limit_next("POST", CALLBACK, count=1, retry_after=0.05)
    interaction, response = await answer(standin, "drama", {"title": "Run On"})
    assert response.type == 4 and response.embeds[0]["title"] == "Run On (2020)"
    assert response.latency < 3
    assert len(rule.hits) == 1
    limited, accepted = interaction.requests[:2]
    assert (limited.status, limited.rate_limited, accepted.status) == (429, True, 204)
    assert accepted.time - limited.time >= 0.05


async def test_rate_limited_menu_click_is_retried(standin: DiscordStandIn) -> None:
    asked, _ = await answer(standin, "drama", {"title": "reply"})
    asker = asked.payload["member"]["user"]["id"]
    rule = standin.rate_limit_next("POST", CALLBACK, count=2, retry_after=0.05)
    click = await standin.send_component(asked, f"dramabot:pick:drama:{asker}:", ["reply-1988"])
    assert (await click.wait_response()).type == 7
    assert len(rule.hits) == 2
    assert asked.original is not None
    assert asked.original.embeds[0]["title"] == "Reply 1988 (2015)"


async def test_rate_limited_reload_report_is_retried(standin: DiscordStandIn) -> None:
    rule = standin.rate_limit_next("PATCH", ORIGINAL, count=1, retry_after=0.05)
    interaction = await standin.send_slash("reload", user=standin.owner)
    assert (await interaction.wait_response()).type == 5
    report = await interaction.wait_message()
    assert report.embeds[0]["title"] == "Catalog reloaded"
    assert len(rule.hits) == 1


async def test_rate_limited_autocomplete_is_retried(standin: DiscordStandIn) -> None:
    rule = standin.rate_limit_next("POST", CALLBACK, count=1, retry_after=0.05)
    interaction = await standin.send_autocomplete("drama", {"title": "run"}, focused="title")
    response = await interaction.wait_response()
    assert response.type == 8 and "run-on" in [c["value"] for c in response.choices]
    assert len(rule.hits) == 1
