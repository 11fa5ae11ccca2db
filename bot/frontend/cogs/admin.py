"""Admin commands: /reload. Guarded twice: Discord's default permission (a hint server admins
can change) and a runtime check against the config's admins or the Manage Server (or
Administrator) permission."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.answering.notices import build_failed_notice, reload_notice
from bot.answering.render import render
from bot.catalog.build_worker import BuildFailed
from bot.frontend.permissions import admin_command

if TYPE_CHECKING:
    from bot.frontend.app import DramaBot

log = logging.getLogger(__name__)


class Admin(commands.Cog):
    def __init__(self, bot: DramaBot) -> None:
        self.bot = bot

    @admin_command("reload")
    async def reload(self, interaction: discord.Interaction, confirm: bool = False) -> None:
        # Reading and validating every card can take longer than Discord's 3-second window.
        if not await self.bot.replier.defer(interaction, ephemeral=True):
            return
        service = self.bot.service
        database = await self.bot.database_file.mend(service)  # (before the reload writes)
        in_memory = bool(service.store.fallback)
        try:
            report = await service.reload(confirm=confirm)
        except BuildFailed as exc:  # (the service logged it: the last good catalog serves)
            log.warning(
                "reload by %s (%d) not applied: %s", interaction.user, interaction.user.id, exc
            )
            failed = build_failed_notice(
                exc, len(service.catalog), self.bot.shard_label(interaction)
            )
            payload = render(failed, interaction.user.id, interaction.locale.value)
            await self.bot.replier.finish(interaction, payload)
            return
        log.info(
            "reload by %s (%d): applied=%s total=%d errors=%d refused=%r",
            interaction.user,
            interaction.user.id,
            report.applied,
            report.total,
            len(report.errors),
            report.refused,
        )
        if service.store.fallback and not in_memory:  # (a full disk met by this reload's write)
            database = "memory"
        notice = reload_notice(
            report,
            answered_by=self.bot.shard_label(interaction),
            served=self.bot.service.catalog.cards,
            database=database,
        )
        payload = render(notice, interaction.user.id, interaction.locale.value)
        await self.bot.replier.finish(interaction, payload)
        if report.applied:
            await self.bot.show_catalog_size()


async def setup(bot: DramaBot) -> None:
    await bot.add_cog(Admin(bot))
