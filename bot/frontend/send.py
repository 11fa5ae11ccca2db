"""Sending a rendered payload for an interaction (Discord glue); the fault handling lives in
``replies.py``. Kept as the cogs' small API: ``send_payload`` and ``send_notice``."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

if TYPE_CHECKING:
    from bot.frontend.replies import Replier

log = logging.getLogger(__name__)

Choices = list[app_commands.Choice[Any]]
Autocomplete = Callable[[Any, discord.Interaction, str], Awaitable[Choices]]


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


def sends_choices(autocomplete: Autocomplete) -> Autocomplete:
    """For a transformer's ``autocomplete``: its choices go out through the replier, within
    Discord's 3 s whatever Discord answers on the way (``replies.py``); a fault of ours
    computing them is logged and the fan shown no choices, not "Loading options failed"."""

    @functools.wraps(autocomplete)
    async def answer(self: Any, interaction: discord.Interaction, value: str, /) -> Choices:
        try:
            found = await autocomplete(self, interaction, value)
        except Exception:
            log.exception("autocomplete for /%s failed", _command(interaction))
            found = []
        await replier(interaction).choices(interaction, [choice.to_dict() for choice in found])
        return found

    return answer


def _command(interaction: discord.Interaction) -> str:
    return interaction.command.qualified_name if interaction.command else "?"
