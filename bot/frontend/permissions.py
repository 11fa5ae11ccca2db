"""Who may run admin commands. Discord's ``default_permissions`` is only a hint that server
admins can change, so every admin command also checks at run time (:func:`admin_command`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import discord
from discord import app_commands

from bot.answering.commands import COMMANDS
from bot.answering.i18n import text
from bot.config import Config


class NotAdmin(app_commands.CheckFailure):
    """Shown to the user as is."""


def is_admin(config: Config, interaction: discord.Interaction) -> bool:
    """Listed in the config by user or role, or holding Manage Server (or Administrator,
    which Discord counts as every permission) in this server."""
    if interaction.user.id in config.admin_user_ids:
        return True
    if isinstance(interaction.user, discord.Member):
        if any(role.id in config.admin_role_ids for role in interaction.user.roles):
            return True
        held = interaction.permissions
        return held.manage_guild or held.administrator
    return False


def admin_only(refusal: str) -> object:
    """A run-time check for an admin command; ``refusal`` is the key of the sentence that
    tells anyone else no (in the locale files, e.g. ``discord.admins_only_reload``)."""

    async def predicate(interaction: discord.Interaction) -> bool:
        locale = interaction.locale.value
        if interaction.guild_id is None:
            raise NotAdmin(text("discord.server_only", locale))
        if is_admin(interaction.client.config, interaction):  # type: ignore[attr-defined]
            return True
        raise NotAdmin(text(refusal, locale))

    return app_commands.check(predicate)


def admin_command(name: str, *, checked_by_callback: bool = False) -> Callable[[Any], Any]:
    """Declare the admin slash command ``name`` from its spec: shown by default only to members
    with Manage Server, in servers only (never in DMs or user installs), and checked again at
    run time; anyone else is told no in ``discord.admins_only_<name>``.

    ``checked_by_callback``: the command itself decides at run time (with :func:`is_admin`)
    what a non-admin may do, and answers outside a server, e.g. ``/settings`` lets anyone
    look but only admins change."""
    spec = COMMANDS[name]

    def declare(callback: Any) -> Any:
        command = callback
        if not checked_by_callback:
            command = admin_only(f"discord.admins_only_{name}")(command)
        command = app_commands.allowed_installs(guilds=True, users=False)(command)
        command = app_commands.guild_only()(command)
        command = app_commands.default_permissions(manage_guild=True)(command)
        command = app_commands.describe(**{o.name: o.description for o in spec.options})(command)
        return app_commands.command(name=name, description=spec.description)(command)

    return declare
