"""A thread (or a forum's post) deleted, archived, or archived and locked between a fan's
command and the bot's answer, as Discord's API answers then: 10003 Unknown Channel for a
deleted channel, 50083 for a thread archived and locked, and a thread archived but not
locked unarchived by the message sent there. The unmodified ``drama-bot run`` answers where
it still can and otherwise gives the answer up quietly (a log line, never a traceback), and
keeps serving. The bot acknowledges every command at once (``defer_answers_after: 0``), so
both the first response and the deferred answer's edit meet the channel's fate.

One stand-in and one bot for the module, in one test: the scenarios run one after another
(each in a thread of its own, so none sees another's), and the bot's log is read once it
has stopped (its stderr is a pipe read at the end)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.patience import patient
from tests.standins.discord import DiscordStandIn
from tests.standins.discord.entities import GUILD_FORUM, PUBLIC_THREAD
from tests.standins.discord.interactions import StandInInteraction

from .processes import drama_bot_serving, stopped, write_config

CALLBACK = r"^/interactions/\d+/[^/]+/callback$"
ORIGINAL = r"^/webhooks/\d+/[^/]+/messages/@original$"
TIMEOUT = 10.0


async def _held_then(
    standin: DiscordStandIn, thread: object, retry_after: float
) -> StandInInteraction:
    """``/drama Run On`` in ``thread``, its answer held by a 429 (``retry_after``) on the
    callback; returned once the bot met the 429."""
    standin.rate_limit_next("POST", CALLBACK, count=1, retry_after=retry_after)
    asked = await standin.send_slash("drama", {"title": "Run On"}, channel=thread)  # type: ignore[arg-type]
    await standin.wait_for_request("POST", CALLBACK, timeout=patient(TIMEOUT))
    return asked


async def _settled(standin: DiscordStandIn, path: str, count: int) -> None:
    """Until ``count`` requests matching ``path`` were made (the bot's retries done)."""
    await standin.state.changed.wait_for(
        lambda: len(standin.requests_matching("*", path)) >= count,
        patient(TIMEOUT),
        f"{count} requests to {path}",
    )


async def test_an_answer_to_a_thread_deleted_or_archived_meanwhile(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    guild, general = standin.guild, standin.channel
    deleted = guild.add_channel("deleted thread", PUBLIC_THREAD, general)
    locked = guild.add_channel("locked thread", PUBLIC_THREAD, general)
    archived = guild.add_channel("archived thread", PUBLIC_THREAD, general)
    forum = guild.add_channel("dramas", GUILD_FORUM)
    post = guild.add_channel("What next?", PUBLIC_THREAD, forum)
    shut_later = guild.add_channel("thread locked after the deferral", PUBLIC_THREAD, general)
    config = write_config(tmp_path, standin, defer_answers_after=0)
    async with drama_bot_serving(standin, tmp_path, config) as process:
        # Deleted while the answer waits its 429: the retry meets 10003.
        gone = await _held_then(standin, deleted, 1.0)
        await standin.delete_channel(deleted)
        await _settled(standin, CALLBACK, 2)
        # Archived and locked by a moderator meanwhile: 50083.
        shut = await _held_then(standin, locked, 1.0)
        await standin.archive_thread(locked, locked=True)
        await _settled(standin, CALLBACK, 4)
        # Archived, not locked: the answer unarchives it, as a fan's message would.
        reopened = await _held_then(standin, archived, 1.0)
        await standin.archive_thread(archived)
        answer = await reopened.wait_original(timeout=patient(TIMEOUT), edits=1)
        # A forum's post deleted with its forum.
        lost_post = await _held_then(standin, post, 1.0)
        await standin.delete_channel(post)
        await standin.delete_channel(forum)
        await _settled(standin, CALLBACK, 8)
        # Archived and locked after the deferral, while the answer's edit waits its 429: 50083.
        standin.rate_limit_next("PATCH", ORIGINAL, count=1, retry_after=1.0)
        deferred = await standin.send_slash("drama", {"title": "Run On"}, channel=shut_later)
        await deferred.wait_response(timeout=patient(TIMEOUT))
        await standin.wait_for_request("PATCH", ORIGINAL, timeout=patient(TIMEOUT))
        await standin.archive_thread(shut_later, locked=True)
        await standin.state.changed.wait_for(
            lambda: len(standin.requests_matching("PATCH", ORIGINAL)) >= 2 or None,
            patient(TIMEOUT),
            "the edit tried again",
        )
        # Still serving (another fan: the first asked five times in these ten seconds).
        after = await standin.send_slash(
            "drama", {"title": "Run On"}, channel=general, user=standin.owner
        )
        served = await after.wait_original(timeout=patient(TIMEOUT), edits=1)
        await asyncio.sleep(0.5)  # (the bot's last log lines written)
        _, stderr = await stopped(process)
    log = stderr.decode()
    for lost in (gone, shut, lost_post):
        standin.expect_unanswered(lost)
    assert process.returncode == 0, log
    assert "Traceback" not in log, log
    assert " ERROR " not in log, log
    assert answer.embeds[0]["title"] == "Run On (2020)"
    assert not archived.archived  # (unarchived by the answer)
    assert served.embeds[0]["title"] == "Run On (2020)"
    said = [line.split(" WARNING ", 1)[-1] for line in log.splitlines() if " lost" in line]
    gone = (
        "bot.frontend.replies: the answer to /drama is lost: {} (its channel deleted, its thread "
        "archived and locked, or the bot's access to it taken since the command)"
    )
    assert sorted(said) == sorted(
        [
            gone.format("404 Unknown Channel"),
            gone.format("400 Thread is archived"),
            gone.format("404 Unknown Channel"),
            gone.format("400 Thread is archived"),
        ]
    ), log
    assert "could not tell the user" not in log, log
