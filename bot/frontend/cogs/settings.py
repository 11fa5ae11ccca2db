"""/settings: a server's default streaming region and the channels where answers are public.
Guarded like /reload: Discord's default permission plus a run-time check."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.answering.commands import COMMANDS
from bot.answering.render import render
from bot.answering.settings_view import outside_a_server, settings_notice
from bot.frontend.cogs.lookup import COMMON_REGIONS
from bot.frontend.permissions import admin_only
from bot.frontend.send import send_notice, send_payload

if TYPE_CHECKING:
    from bot.frontend.app import DramaBot

log = logging.getLogger(__name__)

CLEAR_WORDS = frozenset({"none", "clear", "off", "unset", "-"})
_CODE = re.compile(r"^[A-Za-z]{2}$")


class SettingsRegionTransformer(app_commands.Transformer):
    """A region code, or a word that clears it."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.string

    @property
    def max_value(self) -> int:
        return 60

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> str:
        return str(value)

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str, /
    ) -> list[app_commands.Choice[str]]:
        typed = value.strip().upper()
        codes = [c for c in ("none", *COMMON_REGIONS) if c.upper().startswith(typed)]
        return [app_commands.Choice(name=c, value=c) for c in codes[:25]]


SettingsRegion = app_commands.Transform[str, SettingsRegionTransformer]


class Settings(commands.Cog):
    def __init__(self, bot: DramaBot) -> None:
        self.bot = bot

    @app_commands.command(name="settings", description=COMMANDS["settings"].description)
    @app_commands.describe(**{o.name: o.description for o in COMMANDS["settings"].options})
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @app_commands.allowed_installs(guilds=True, users=False)
    @admin_only("change this server's settings")  # type: ignore[arg-type]
    async def settings(
        self,
        interaction: discord.Interaction,
        region: SettingsRegion | None = None,
        public_channel: discord.TextChannel | None = None,
        everywhere: bool | None = None,
    ) -> None:
        if interaction.guild_id is None:  # Discord hides it outside servers; be safe anyway
            await send_payload(interaction, render(outside_a_server(), interaction.user.id), None)
            return
        book = self.bot.settings
        guild = interaction.guild_id
        current = await book.get(guild)
        changes: list[str] = []
        if region is not None:
            wanted = region.strip()
            if wanted.lower() in CLEAR_WORDS:
                current = await book.set_region(guild, None)
                changes.append("Default region cleared.")
            elif _CODE.match(wanted):
                current = await book.set_region(guild, wanted.upper())
                changes.append(f"Default region is now {wanted.upper()}.")
            else:
                await send_notice(
                    interaction, "Regions are two-letter country codes, such as US, KR or GB."
                )
                return
        if everywhere:
            current = await book.set_public_channels(guild, frozenset())
            changes.append("Answers are public in every channel again.")
        if public_channel is not None:
            channels = set(current.public_channels)
            if public_channel.id in channels:
                channels.discard(public_channel.id)
                changes.append(f"No longer answering publicly in <#{public_channel.id}>.")
            else:
                channels.add(public_channel.id)
                changes.append(f"Now answering publicly in <#{public_channel.id}>.")
            current = await book.set_public_channels(guild, frozenset(channels))
        if changes:
            log.info("settings of guild %d changed by %d: %s", guild, interaction.user.id, changes)
        notice = settings_notice(current, " ".join(changes))
        await send_payload(interaction, render(notice, interaction.user.id), None)


async def setup(bot: DramaBot) -> None:
    await bot.add_cog(Settings(bot))
