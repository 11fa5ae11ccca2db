"""/settings: a server's default streaming region and the channels where answers are public.
Shown by default to Manage Server like /reload; at run time any member may look (privately),
only admins may change anything."""

from __future__ import annotations

import logging
import sqlite3
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.answering.answers import UnknownRegion
from bot.answering.commands import OptionName
from bot.answering.i18n import say, text
from bot.answering.regions import COMMON_REGIONS, lookup_region, suggest_regions
from bot.answering.render import render
from bot.answering.settings_view import outside_a_server, settings_notice
from bot.catalog.store import is_busy
from bot.frontend.autocomplete import completes
from bot.frontend.permissions import admin_command, is_admin
from bot.frontend.send import send_notice, send_payload, sends_choices

if TYPE_CHECKING:
    from bot.frontend.app import DramaBot

log = logging.getLogger(__name__)

CLEAR_WORDS = frozenset({"none", "clear", "off", "unset", "-"})


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

    @sends_choices
    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str, /
    ) -> list[app_commands.Choice[str]]:
        locale = interaction.locale.value
        choices = [
            app_commands.Choice(name=f"{say(c.short_name, locale)} ({c.code})", value=c.code)
            for c in suggest_regions(value, COMMON_REGIONS, limit=24)
        ]
        if "none".startswith(value.strip().lower()):
            clear = text("settings.clear_choice", locale)
            choices.insert(0, app_commands.Choice(name=clear, value="none"))
        return choices[:25]


SettingsRegion = app_commands.Transform[str, SettingsRegionTransformer]


class PublicChannelTransformer(app_commands.Transformer):
    """A channel where answers may be public: a text or announcement channel (its threads
    too), a forum (its posts are threads), or a voice or stage channel (its text chat): before
    round 17 only the first two could be chosen."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        kinds = discord.ChannelType
        return [kinds.text, kinds.news, kinds.forum, kinds.voice, kinds.stage_voice]

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> Any:
        if getattr(value, "type", None) not in self.channel_types:  # (a misbehaving client)
            raise app_commands.TransformerError(value, self.type, self)
        return value  # (the channel as Discord resolved it: only its ID is kept)


PublicChannel = app_commands.Transform[Any, PublicChannelTransformer]
completes(SettingsRegionTransformer(), "region", ("settings",))


class Settings(commands.Cog):
    def __init__(self, bot: DramaBot) -> None:
        self.bot = bot

    @admin_command("settings", checked_by_callback=True)
    async def settings(
        self,
        interaction: discord.Interaction,
        region: SettingsRegion | None = None,
        public_channel: PublicChannel | None = None,
        everywhere: bool | None = None,
    ) -> None:
        locale = interaction.locale.value
        if interaction.guild_id is None:  # Discord hides it outside servers; as `ask` says
            payload = render(outside_a_server(), interaction.user.id, locale)
            await send_payload(interaction, payload, None)
            return
        changing = region is not None or public_channel is not None or everywhere is not None
        if changing and not is_admin(self.bot.config, interaction):  # looking is for anyone
            await send_notice(interaction, text("discord.admins_only_settings", locale))
            return
        if everywhere and public_channel is not None:  # one says all, the other one channel
            both = text(
                "settings.everywhere_or_channel",
                locale,
                everywhere=OptionName("settings", "everywhere"),
                channel=OptionName("settings", "public_channel"),
            )
            await send_notice(interaction, both)
            return
        # Changing writes the database, which may wait for another writer's lock: deferred
        # when not done within defer_answers_after (as slow answers are).
        work = self._change_unless_busy(interaction, region, public_channel, everywhere)
        ready, payload = await self.bot.replier.in_time(
            interaction, work, defer_after=self.bot.config.defer_answers_after, ephemeral=True
        )
        if ready and payload is not None:
            await send_payload(interaction, payload, None)

    async def _change_unless_busy(
        self, interaction: discord.Interaction, *options: Any
    ) -> dict[str, Any]:
        """``_change``, or, when another program held the database's lock past the store's
        minute of tries, the settings as they are and that the change was not saved (round
        15: "Sorry, something went wrong" and an ERROR with a traceback)."""
        try:
            return await self._change(interaction, *options)
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise
            guild = interaction.guild_id or 0
            log.warning("settings of guild %d not changed: the database is busy (%s)", guild, exc)
            busy = text("settings.database_busy", interaction.locale.value)
            notice = settings_notice(await self.bot.settings.get(guild), busy)
            return render(notice, interaction.user.id, interaction.locale.value)

    async def _change(
        self,
        interaction: discord.Interaction,
        region: str | None,
        public_channel: PublicChannel | None,
        everywhere: bool | None,
    ) -> dict[str, Any]:
        """The settings changed (or only shown) and the reply that says so."""
        locale = interaction.locale.value
        guild = interaction.guild_id or 0
        book = self.bot.settings
        current = await book.get(guild)
        changes: list[str] = []
        if region is not None:
            wanted = region.strip()
            if wanted.lower() in CLEAR_WORDS:
                was = "region_cleared" if current.region else "region_already_unset"
                current = await book.set_region(guild, None)
                changes.append(text(f"settings.{was}", locale))
            else:
                found = lookup_region(wanted)
                if found.country is None:  # the same words as /stream's, from render
                    suggestion = found.suggestion.short_name if found.suggestion else None
                    refusal = UnknownRegion("settings", wanted, suggestion)
                    return render(refusal, interaction.user.id, locale)
                code = found.country.code
                current = await book.set_region(guild, code)
                name = found.country.short_name
                changes.append(text("settings.region_set", locale, country=name, code=code))
        if everywhere:
            was = "public_everywhere" if current.public_channels else "already_everywhere"
            key = f"settings.{was}"
            current = await book.set_public_channels(guild, frozenset())
            changes.append(text(key, locale))
        if everywhere is False and public_channel is None:  # no "public nowhere": say so
            changes.append(
                text(
                    "settings.everywhere_false",
                    locale,
                    everywhere=OptionName("settings", "everywhere"),
                    channel=OptionName("settings", "public_channel"),
                )
            )
        if public_channel is not None:
            channels = set(current.public_channels)
            if public_channel.id in channels:
                channels.discard(public_channel.id)
                changes.append(text("settings.channel_removed", locale, channel=public_channel.id))
            else:
                channels.add(public_channel.id)
                changes.append(text("settings.channel_added", locale, channel=public_channel.id))
            current = await book.set_public_channels(guild, frozenset(channels))
        if changes:
            log.info("settings of guild %d changed by %d: %s", guild, interaction.user.id, changes)
        notice = settings_notice(current, " ".join(changes))
        return render(notice, interaction.user.id, locale)


async def setup(bot: DramaBot) -> None:
    await bot.add_cog(Settings(bot))
