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
from bot.frontend.permissions import admin_only

if TYPE_CHECKING:
    from bot.frontend.app import DramaBot

log = logging.getLogger(__name__)


class Admin(commands.Cog):
    def __init__(self, bot: DramaBot) -> None:
        self.bot = bot

    @app_commands.command(name="reload", description=COMMANDS["reload"].description)
    @app_commands.describe(**{o.name: o.description for o in COMMANDS["reload"].options})
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @app_commands.allowed_installs(guilds=True, users=False)
    @admin_only("discord.admins_only_reload")  # type: ignore[arg-type]
    async def reload(self, interaction: discord.Interaction, confirm: bool = False) -> None:
        # Reading and validating every card can take longer than Discord's 3-second window.
        if not await self.bot.replier.defer(interaction, ephemeral=True):
            return
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
        notice = reload_notice(report, answered_by=self.bot.shard_label(interaction))
        payload = render(notice, interaction.user.id, interaction.locale.value)
        await self.bot.replier.finish(interaction, payload)
        if report.applied:
            await self.bot.show_catalog_size()


async def setup(bot: DramaBot) -> None:
    await bot.add_cog(Admin(bot))
