"""Answering one slash command in Discord: the server's settings, the answer, the reply, and
switching off page buttons once they time out."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any

import discord

from bot.answering.commands import Invocation
from bot.answering.dispatch import answer
from bot.answering.render import EPHEMERAL, render
from bot.frontend.cogs.menus import build_view
from bot.frontend.send import send_payload

if TYPE_CHECKING:
    from bot.frontend.app import DramaBot

log = logging.getLogger(__name__)


async def respond(bot: DramaBot, interaction: discord.Interaction, invocation: Invocation) -> None:
    """Answer ``invocation`` as this server wants it: its default region for /stream, and a
    private reply outside the channels where it wants the bot to answer publicly."""
    settings = await bot.settings.get(interaction.guild_id)
    options = dict(invocation.options)
    if invocation.name == "stream" and not options.get("region") and settings.region:
        options["region"] = settings.region
    result = answer(bot.service.catalog, Invocation(invocation.name, options), status=bot.status())
    payload = render(result, interaction.user.id, interaction.locale.value)
    if not settings.answers_publicly_in(interaction.channel_id):
        payload = payload | {"flags": payload["flags"] | EPHEMERAL}
    await send_payload(interaction, payload, build_view(payload))
    if has_page_buttons(payload):
        bot.later(expire_buttons(interaction, bot.config.page_timeout_seconds))


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
