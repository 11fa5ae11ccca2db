"""The places and ways fans ask from (round 17, branch ``serve17``), each as Discord documents
it: a thread and a forum post, the app installed on a user's account in a server the bot is
not in, a bot allowed to post only in threads, a language we have no answers in, and a title
at the option's maximum length made of characters that combine.

One stand-in and one bot (the real ``DramaBot``, its real store and shipped cards) for the
module: sharing is safe because settings are written only by the module's ``public_channels``
fixture (before any test reads them) and by the removal test in a server of its own, each
test asks in its own channel or server and checks its own interactions, and a rate limit a
test sets is used up by its own next callback (the tests of a module run one at a time)."""

from __future__ import annotations

import asyncio
import logging
import unicodedata
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from bot.frontend.app import DramaBot
from tests.standins.discord import DiscordStandIn, Guild
from tests.standins.discord.commands import CommandNotSynced
from tests.standins.discord.entities import (
    EMBED_LINKS,
    GUILD_FORUM,
    GUILD_VOICE,
    PUBLIC_THREAD,
    SEND_MESSAGES_IN_THREADS,
    USE_APPLICATION_COMMANDS,
    VIEW_CHANNEL,
)
from tests.standins.discord.fixtures import running_standin

from .harness import DEADLINE, TIMEOUT, base_config, running_bot, visible_text

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("drama_bot")]

CALLBACK = r"^/interactions/\d+/[^/]+/callback$"

HOME = Guild.create(name="Home")
GENERAL, REVIEWS = HOME.channel_named("general"), HOME.channel_named("reviews")
FORUM = HOME.add_channel("dramas", GUILD_FORUM)
VOICE = HOME.add_channel("watch party", GUILD_VOICE)
PLACES = {
    "#reviews (public)": (REVIEWS, True),
    "a thread of #reviews": (HOME.add_channel("Run On thoughts", PUBLIC_THREAD, REVIEWS), True),
    "a post in the forum #dramas": (HOME.add_channel("What next?", PUBLIC_THREAD, FORUM), True),
    "the text chat of the voice channel 'watch party'": (VOICE, True),
    "#general (not public)": (GENERAL, False),
    "a thread of #general": (HOME.add_channel("off topic", PUBLIC_THREAD, GENERAL), False),
}
#: A server that installed the app only through its members' accounts: the bot is not in it.
ELSEWHERE = Guild.create(name="Not the bot's")
ELSEWHERE.bot_member = False
#: A server whose admin lets the bot post only in threads (no Send Messages).
THREADS_ONLY = Guild.create(
    name="Threads only", everyone_permissions=VIEW_CHANNEL | USE_APPLICATION_COMMANDS
)
IN_A_THREAD = THREADS_ONLY.add_channel("a thread", PUBLIC_THREAD, THREADS_ONLY.text_channels[0])
#: A server that removes the bot, then invites it again.
LEAVING = Guild.create(name="Leaving")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def discord_standin() -> AsyncIterator[DiscordStandIn]:
    async with running_standin(guilds=[HOME, ELSEWHERE, THREADS_ONLY, LEAVING]) as standin:
        bot_role = THREADS_ONLY.role_named(standin.bot_user.username)
        bot_role.permissions = VIEW_CHANNEL | SEND_MESSAGES_IN_THREADS | EMBED_LINKS
        yield standin
        assert standin.self_check_failures == []
        standin.assert_no_violations()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def drama_bot(
    discord_standin: DiscordStandIn, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[DramaBot]:
    """Global commands (a server without the bot only has those), as a published bot has."""
    folder = tmp_path_factory.mktemp("where-fans-ask")
    config = base_config(discord_standin, folder, dev_guild_ids=(), sync_global=True)
    async with running_bot(discord_standin, config) as bot:
        yield bot


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def public_channels(discord_standin: DiscordStandIn, drama_bot: DramaBot) -> str:
    """#reviews and the forum #dramas made the server's public channels, as its admin does;
    what ``/settings`` said."""
    said = ""
    for channel in (REVIEWS, FORUM, VOICE):  # (the last two could not be chosen before)
        asked = await discord_standin.send_slash(
            "settings", {"public_channel": channel}, user=discord_standin.owner, guild_id=HOME.id
        )
        said = visible_text((await asked.wait_message(timeout=TIMEOUT)).raw)
    return said


async def _answer(standin: DiscordStandIn, **where: Any) -> Any:
    asked = await standin.send_slash("drama", {"title": "Run On"}, **where)
    response = await asked.wait_response(timeout=TIMEOUT)
    assert response.type == 4 and response.latency < DEADLINE
    return response


@pytest.mark.parametrize("place", list(PLACES))
async def test_threads_and_forum_posts_are_public_where_their_channel_is(
    discord_standin: DiscordStandIn, public_channels: str, place: str
) -> None:
    channel, public = PLACES[place]
    assert all(f"<#{c.id}>" in public_channels for c in (REVIEWS, FORUM, VOICE))
    response = await _answer(discord_standin, guild_id=HOME.id, channel=channel)
    assert response.embeds[0]["title"] == "Run On (2020)"
    assert response.ephemeral is not public


async def test_the_app_installed_by_a_user_answers_in_a_server_without_the_bot(
    discord_standin: DiscordStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    standin = discord_standin
    response = await _answer(standin, guild_id=ELSEWHERE.id, user_install=True)
    assert response.embeds[0]["title"] == "Run On (2020)" and not response.ephemeral
    with pytest.raises(CommandNotSynced):  # /settings is for servers that added the bot
        await standin.send_slash("settings", {}, guild_id=ELSEWHERE.id, user_install=True)
    # Discord took no reply in time: the bot cannot post in a server it is not in.
    posts_before = len(standin.requests_matching("POST", r"^/channels/\d+/messages$"))
    standin.rate_limit_next("POST", CALLBACK, count=1, retry_after=4.0)
    lost = await standin.send_slash(
        "drama", {"title": "Run On"}, guild_id=ELSEWHERE.id, user_install=True
    )
    await standin.state.changed.wait_for(
        lambda: "the answer to /drama is lost: the bot cannot post there" in caplog.text,
        TIMEOUT,
        "the bot to give the answer up",
    )
    standin.expect_unanswered(lost)
    assert len(standin.requests_matching("POST", r"^/channels/\d+/messages$")) == posts_before


async def test_a_rate_limited_answer_in_a_thread_is_posted_there_by_a_bot_allowed_threads_only(
    discord_standin: DiscordStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    standin = discord_standin
    standin.rate_limit_next("POST", CALLBACK, count=1, retry_after=4.0)
    asked = await standin.send_slash(
        "drama", {"title": "Run On"}, guild_id=THREADS_ONLY.id, channel=IN_A_THREAD
    )
    posted = await standin.wait_for_request(
        "POST", rf"^/channels/{IN_A_THREAD.id}/messages$", timeout=TIMEOUT
    )
    assert posted.status == 200, caplog.text
    assert posted.response["embeds"][0]["title"] == "Run On (2020)"
    standin.expect_unanswered(asked)


async def test_a_language_without_answers_is_answered_in_english(
    discord_standin: DiscordStandIn,
) -> None:
    for locale in ("fr", "pt-BR", "zh-TW"):
        response = await _answer(discord_standin, guild_id=HOME.id, locale=locale)
        assert response.embeds[0]["title"] == "Run On (2020)"


@pytest.mark.parametrize(
    "letter",
    ["e\u0301", "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\u0915\u093f"],
    ids=["e and a combining accent", "an emoji family", "a Hindi syllable (ka, vowel sign i)"],
)
async def test_a_title_at_its_maximum_length_is_never_echoed_with_half_a_character(
    discord_standin: DiscordStandIn, letter: str
) -> None:
    title = letter * (200 // len(letter))  # the title option's maximum: 200
    asked = await discord_standin.send_slash("drama", {"title": title}, guild_id=HOME.id)
    response = await asked.wait_response(timeout=TIMEOUT)
    said = visible_text(response.data or {})
    echoed = said[said.index("“") + 1 : said.index("”")]
    assert echoed.endswith("…") and len(echoed) > 1, said
    shown = echoed.removesuffix("…")
    assert shown == letter * (len(shown) // len(letter)), [unicodedata.name(c) for c in echoed]


async def _logged(caplog: pytest.LogCaptureFixture, line: str) -> None:
    """Until the bot logs ``line`` (a gateway event has no answer to wait for)."""
    for _ in range(int(TIMEOUT / 0.05)):
        if line in caplog.text:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never logged: {line}")


async def _in_japan(standin: DiscordStandIn, **where: Any) -> bool:
    asked = await standin.send_slash("stream", {"title": "Run On"}, guild_id=LEAVING.id, **where)
    response = await asked.wait_response(timeout=TIMEOUT)
    assert response.type == 4 and response.latency < DEADLINE
    return "In Japan" in visible_text(response.data or {})


async def test_a_server_that_removes_the_bot_keeps_its_settings_for_a_re_invite(
    discord_standin: DiscordStandIn, drama_bot: DramaBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await drama_bot.wait_until_ready()  # (a server joins long after the start's GUILD_CREATEs)
    standin = discord_standin
    region = await standin.send_slash(
        "settings", {"region": "JP"}, user=LEAVING.owner_id, guild_id=LEAVING.id
    )
    said = visible_text((await region.wait_message(timeout=TIMEOUT)).raw)
    assert "Default region is now Japan (JP)." in said, said
    await standin.remove_bot(LEAVING)
    removed = f"removed from server Leaving ({LEAVING.id}); its settings are kept for a re-invite"
    await _logged(caplog, removed)
    assert f"{removed} (region JP)" in caplog.text
    assert await _in_japan(standin, user_install=True)  # a member's own install, meanwhile
    await standin.invite_bot(LEAVING)
    added = f"added to server Leaving ({LEAVING.id}); its settings: region JP"
    await _logged(caplog, added)
    assert await _in_japan(standin)
