"""Admin commands: /reload. Guarded twice: Discord's default permission (a hint server admins
can change) and a runtime check against the config's admins or the Manage Server permission."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.answering.commands import COMMANDS
from bot.answering.notices import reload_notice
from bot.answering.render import render
from bot.frontend.send import send_payload

if TYPE_CHECKING:
    from bot.frontend.app import DramaBot

log = logging.getLogger(__name__)


class NotAdmin(app_commands.CheckFailure):
    """Shown to the user as is."""


def is_admin(bot: DramaBot, interaction: discord.Interaction) -> bool:
    config = bot.config
    if interaction.user.id in config.admin_user_ids:
        return True
    if isinstance(interaction.user, discord.Member):
        if any(role.id in config.admin_role_ids for role in interaction.user.roles):
            return True
        return interaction.permissions.manage_guild
    return False


def admin_only() -> object:
    async def predicate(interaction: discord.Interaction) -> bool:
        if is_admin(interaction.client, interaction):  # type: ignore[arg-type]
            return True
        raise NotAdmin(
            "Only server admins (Manage Server, or listed in the bot's config) "
            "can reload the cards."
        )

    return app_commands.check(predicate)


class Admin(commands.Cog):
    def __init__(self, bot: DramaBot) -> None:
        self.bot = bot

    @app_commands.command(name="reload", description=COMMANDS["reload"].description)
    @app_commands.describe(**{o.name: o.description for o in COMMANDS["reload"].options})
    @app_commands.default_permissions(manage_guild=True)
    @admin_only()  # type: ignore[arg-type]
    async def reload(self, interaction: discord.Interaction, confirm: bool = False) -> None:
        # Reading and validating every card can take longer than Discord's 3-second window.
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await self.bot.service.reload(confirm=confirm)
        log.info(
            "reload by %s (%d): applied=%s total=%d errors=%d refused=%r",
            interaction.user,
            interaction.user.id,
            report.applied,
            report.total,
            len(report.errors),
            report.refused,
        )
        await send_payload(interaction, render(reload_notice(report), interaction.user.id), None)


async def setup(bot: DramaBot) -> None:
    await bot.add_cog(Admin(bot))
