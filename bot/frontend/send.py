"""Turning a rendered payload into discord.py calls: send, edit, follow up (Discord glue)."""

from __future__ import annotations

import logging
from typing import Any

import discord

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()


def payload_kwargs(payload: dict[str, Any], view: discord.ui.View | None) -> dict[str, Any]:
    """Keyword arguments for ``send_message``/``edit_message``/``followup.send``."""
    kwargs: dict[str, Any] = {
        "content": payload["content"] or None,
        "embeds": [discord.Embed.from_dict(embed) for embed in payload["embeds"]],
        "allowed_mentions": NO_MENTIONS,
    }
    if view is not None:
        kwargs["view"] = view
    return kwargs


def is_ephemeral(payload: dict[str, Any]) -> bool:
    return bool(payload.get("flags", 0) & discord.MessageFlags.ephemeral.flag)


async def send_payload(
    interaction: discord.Interaction, payload: dict[str, Any], view: discord.ui.View | None
) -> None:
    """Answer an interaction with a payload, whether or not it was deferred already."""
    kwargs = payload_kwargs(payload, view)
    ephemeral = is_ephemeral(payload)
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=ephemeral, **kwargs)
    else:
        await interaction.response.send_message(ephemeral=ephemeral, **kwargs)


async def send_notice(interaction: discord.Interaction, text: str) -> None:
    """A short private message to the user; never raises (used from error handlers)."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(
                text, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
    except discord.HTTPException as exc:
        log.warning("could not tell the user about an error: %s", exc)
