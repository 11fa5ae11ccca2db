"""Sending a rendered payload for an interaction (Discord glue); the fault handling lives in
``replies.py``. Kept as the cogs' small API: ``send_payload`` and ``send_notice``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

if TYPE_CHECKING:
    from bot.frontend.replies import Replier


def replier(interaction: discord.Interaction) -> Replier:
    return interaction.client.replier  # type: ignore[attr-defined, no-any-return]


async def send_payload(
    interaction: discord.Interaction, payload: dict[str, Any], view: object = None
) -> None:
    """Answer an interaction with a payload, whether or not it was deferred already. The
    payload's select menus are dynamic items registered at start-up, so ``view`` is unused."""
    sender = replier(interaction)
    if sender.state(interaction).acknowledged:
        await sender.finish(interaction, payload)
    else:
        await sender.respond(interaction, payload)


async def send_notice(interaction: discord.Interaction, text: str) -> None:
    """A short private message to the user; never raises (used from error handlers)."""
    await replier(interaction).notice(interaction, text)
