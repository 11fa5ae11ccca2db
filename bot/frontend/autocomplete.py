"""Autocomplete answered by our command tree itself, through the replier.

The choices go out through :class:`bot.frontend.replies.Replier` (its policy for Discord's 3 s
window). discord.py's tree sends a transformer's choices itself unless its interaction
response says it is done, which only its own sending sets: before round 13 the replier set
discord.py's private ``interaction.response._response_type`` after sending. Now
``DramaTree.interaction_check`` (discord.py's public hook, run before any autocomplete)
finds the option's transformer here, lets it answer, and tells the tree there is nothing
left to do. The cogs say which transformer completes which option (:func:`completes`);
``tests/test_autocomplete_table.py`` checks every autocompleted option of every command
is here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import discord
from discord import app_commands

#: (command's qualified name, option's name as Discord sends it) -> its transformer.
COMPLETERS: dict[tuple[str, str], app_commands.Transformer] = {}


def completes(transformer: app_commands.Transformer, option: str, commands: Iterable[str]) -> None:
    """``transformer`` completes ``option`` of each of ``commands``."""
    for command in commands:
        COMPLETERS[(command, option)] = transformer


def focused(options: list[dict[str, Any]]) -> tuple[str, str] | None:
    """The option being typed (its name and the text so far), in sub-commands too."""
    for option in options:
        if option.get("focused"):
            return str(option["name"]), str(option.get("value", ""))
        found = focused(option.get("options") or [])
        if found is not None:
            return found
    return None


async def complete(interaction: discord.Interaction) -> bool:
    """Answer an autocomplete with its transformer's choices (sent by the replier); False
    when no transformer of ours completes that option (discord.py's tree then does)."""
    command = interaction.command
    typed = focused((interaction.data or {}).get("options") or [])  # type: ignore[arg-type]
    if command is None or typed is None:
        return False
    transformer = COMPLETERS.get((command.qualified_name, typed[0]))
    if transformer is None:
        return False
    await transformer.autocomplete(interaction, typed[1])
    return True
