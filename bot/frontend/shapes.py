"""Whether a command or autocomplete can be read as one of ours, before discord.py reads it.

Discord checks option values against the commands we synced, but a misbehaving client, or
one whose command list is older than ours, can send anything: a number where we declared
text, text where a channel id belongs, an option or a subcommand we do not have, a command
we never had, an autocomplete with nothing focused. discord.py reads such an interaction in
a task of its own: a channel option holding ``"#general"`` raised ``ValueError`` there
(logged at ERROR as "Task exception was never retrieved", the user left on "The application
did not respond"), an autocomplete for an unknown command was never answered. Round 14
(branch ``serve14``): ``DramaTree.interaction_check`` asks :func:`misshapen` first and
answers what it cannot read (a private notice, or no choices).
"""

from __future__ import annotations

from typing import Any

import discord
from discord import AppCommandOptionType as Kind
from discord import app_commands

_SUBCOMMANDS = (Kind.subcommand.value, Kind.subcommand_group.value)
_SNOWFLAKES = (Kind.user, Kind.channel, Kind.role, Kind.mentionable, Kind.attachment)


def misshapen(interaction: discord.Interaction) -> str | None:
    """Why ``interaction`` (a command or an autocomplete) is not one of our commands as we
    declared it, in a few words for the log; None when it is."""
    data: Any = interaction.data or {}
    options = data.get("options", [])
    if not isinstance(options, list) or not all(isinstance(o, dict) for o in options):
        return "options that are not a list of options"
    if any(o.get("type") in _SUBCOMMANDS for o in options):
        return "a subcommand we do not have"  # (none of our commands has subcommands)
    command = interaction.command
    if not isinstance(command, app_commands.Command):
        return f"a command we do not have ({str(data.get('name'))[:40]!r})"
    declared = {p.display_name: p.type for p in command.parameters}
    for option in options:
        name = option.get("name")
        if name not in declared:
            return f"/{command.name} has no option {str(name)[:40]!r}"
        value = option.get("value")
        typed = option.get("focused") is True and isinstance(value, str)  # (text so far)
        if not typed and not _fits(declared[name], value):
            return f"option {name!r} of /{command.name} holds {type(value).__name__}"
    if interaction.type is discord.InteractionType.autocomplete and not any(
        o.get("focused") is True for o in options
    ):
        return "an autocomplete with no option focused"
    return None


def _fits(kind: Kind, value: Any) -> bool:
    if kind is Kind.string:
        return isinstance(value, str)
    if kind is Kind.boolean:
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if kind is Kind.integer:
        return isinstance(value, int)
    if kind is Kind.number:
        return isinstance(value, int | float)
    if kind in _SNOWFLAKES:
        return isinstance(value, int) or (
            isinstance(value, str) and value.isascii() and value.isdecimal()
        )
    return False
