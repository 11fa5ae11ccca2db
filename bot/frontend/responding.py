"""Answering one slash command in Discord: the server's settings, the answer, the reply, and
switching off page buttons once they time out."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from typing import TYPE_CHECKING, Any

import discord

from bot.answering.commands import Invocation
from bot.answering.dispatch import answer
from bot.answering.i18n import text
from bot.answering.render import EPHEMERAL, render
from bot.catalog.settings import ServerSettings
from bot.catalog.store import StoreError

if TYPE_CHECKING:
    from bot.frontend.app import DramaBot

log = logging.getLogger(__name__)

MESSAGE_LIMIT = 2000  # Discord's content limit


async def respond(bot: DramaBot, interaction: discord.Interaction, invocation: Invocation) -> None:
    """Answer ``invocation`` as this server wants it: its default region for /stream, and a
    private reply outside the channels where it wants the bot to answer publicly. The answer
    is computed off the event loop and deferred first when it is slow (``replies.py``).

    The settings come from memory (``SettingsBook``: read at start, and again whenever the
    database changes). Only where they could not be read at start are a server's read here,
    at its first answer; if that read is not done within ``defer_answers_after`` (a stalled
    disk, a lock held on the database's files), the answer is deferred **privately** first:
    a deferral fixes whether the answer is public, and before the settings are read it is
    not known whether this channel is one where the server wants answers public, so the
    one choice that can never show an answer where the server did not want it is taken.
    Where the read fails, the answer is private, without the server's settings, and says so."""
    settings = bot.settings.known(interaction.guild_id)
    locale = interaction.locale.value
    notice = ""
    if settings is None:
        read = _read_settings(bot, interaction.guild_id)
        ready, settings = await bot.replier.in_time(
            interaction, read, defer_after=bot.config.defer_answers_after, ephemeral=True
        )
        if not ready:
            return
        if settings is None:
            notice, settings = text("discord.settings_unread", locale), ServerSettings()
    options = dict(invocation.options)
    if invocation.name == "stream" and not options.get("region") and settings.region:
        options["region"] = settings.region
    catalog, status, user = bot.service.catalog, bot.status(), interaction.user.id
    public = not notice and settings.answers_publicly_in(
        interaction.channel_id, thread_parent(interaction)
    )

    def compute() -> dict[str, Any]:
        result = answer(catalog, Invocation(invocation.name, options), status=status)
        payload = render(result, user, locale)
        if notice:
            said = "\n".join(part for part in (notice, payload.get("content")) if part)
            payload = payload | {"content": said[:MESSAGE_LIMIT]}
        return payload if public else payload | {"flags": payload["flags"] | EPHEMERAL}

    # (a slow answer's "thinking…" is shown where its answer will be: round 17)
    payload = await bot.replier.answer(
        interaction, compute, defer_after=bot.config.defer_answers_after, ephemeral=not public
    )
    if payload is not None and has_page_buttons(payload):
        bot.later(expire_buttons(interaction, bot.config.page_timeout_seconds))


async def _read_settings(bot: DramaBot, guild_id: int | None) -> ServerSettings | None:
    """The server's settings from the store; None (logged) when it cannot be read."""
    try:
        return await bot.settings.get(guild_id)
    except (sqlite3.Error, StoreError) as exc:
        log.warning(
            "settings of server %s could not be read (%s): answered privately", guild_id, exc
        )
        return None


def thread_parent(interaction: discord.Interaction) -> int | None:
    """The channel (or forum) a thread or forum post is in; None elsewhere."""
    channel = interaction.channel
    return channel.parent_id if isinstance(channel, discord.Thread) else None


def has_page_buttons(payload: dict[str, Any]) -> bool:
    return any(
        component.get("type") == 2 and component.get("style") != 5
        for row in payload.get("components", [])
        for component in row["components"]
    )


async def expire_buttons(interaction: discord.Interaction, delay: float) -> None:
    """After ``delay`` seconds, switch off the message's page buttons (the interaction's token
    can still edit its message for 15 minutes; the delay is kept below that)."""
    await asyncio.sleep(delay)
    with contextlib.suppress(discord.NotFound):  # the message was deleted meanwhile
        try:
            message = await interaction.original_response()
            view = discord.ui.View.from_message(message, timeout=None)
            for item in view.children:
                if isinstance(item, discord.ui.Button) and item.url is None:
                    item.disabled = True
            await interaction.edit_original_response(view=view)
        except discord.HTTPException as exc:
            log.warning("could not switch off page buttons: %s", exc)
