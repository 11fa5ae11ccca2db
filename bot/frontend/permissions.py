"""Who may run admin commands. Discord's ``default_permissions`` is only a hint that server
admins can change, so every admin command also checks at run time."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.config import Config


class NotAdmin(app_commands.CheckFailure):
    """Shown to the user as is."""


def is_admin(config: Config, interaction: discord.Interaction) -> bool:
    """Listed in the config by user or role, or holding Manage Server in this server."""
    if interaction.user.id in config.admin_user_ids:
        return True
    if isinstance(interaction.user, discord.Member):
        if any(role.id in config.admin_role_ids for role in interaction.user.roles):
            return True
        return interaction.permissions.manage_guild
    return False


def admin_only(what: str) -> object:
    """A run-time check for an admin command; ``what`` completes "Only server admins can …"."""

    async def predicate(interaction: discord.Interaction) -> bool:
        if interaction.guild_id is None:
            raise NotAdmin("That belongs to a Discord server: run it in one, as a server admin.")
        if is_admin(interaction.client.config, interaction):  # type: ignore[attr-defined]
            return True
        raise NotAdmin(
            f"Only server admins (Manage Server, or listed in the bot's config) can {what}."
        )

    return app_commands.check(predicate)
