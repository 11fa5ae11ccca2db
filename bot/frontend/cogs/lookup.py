"""The look-up slash commands: /drama, /cast, /stream, /rating, /similar, /actor."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.answering.actor_words import actor_choices
from bot.answering.commands import COMMANDS, Invocation
from bot.answering.escaping import cut_label
from bot.answering.i18n import say
from bot.answering.regions import COMMON_REGIONS, suggest_regions
from bot.answering.render import SELECT_TEXT_LIMIT, cut
from bot.answering.title_resolve import title_choices
from bot.frontend.autocomplete import completes
from bot.frontend.responding import respond
from bot.frontend.send import sends_choices

if TYPE_CHECKING:
    from bot.frontend.app import DramaBot

log = logging.getLogger(__name__)

REGION_MAX_CHARS = 60  # "Saint Vincent and the Grenadines" fits; a paragraph does not


def _describe(command: str) -> dict[str, str]:
    return {o.name: o.description for o in COMMANDS[command].options}


class TitleTransformer(app_commands.Transformer):
    """A drama title option: passes the text through and autocompletes from memory."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.string

    @property
    def max_value(self) -> int:
        return 200

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> str:
        return str(value)

    @sends_choices
    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str, /
    ) -> list[app_commands.Choice[str]]:
        bot: DramaBot = interaction.client  # type: ignore[assignment]
        catalog = bot.service.catalog
        titles = catalog.titles
        return [
            app_commands.Choice(name=cut_label(titles.labels[slug], SELECT_TEXT_LIMIT), value=slug)
            for slug in title_choices(catalog, value)
        ]


class ActorTransformer(TitleTransformer):
    """An actor name option, autocompleted from the actor index."""

    @sends_choices
    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str, /
    ) -> list[app_commands.Choice[str]]:
        bot: DramaBot = interaction.client  # type: ignore[assignment]
        catalog = bot.service.catalog
        names = catalog.actor_names
        return [
            app_commands.Choice(
                name=cut(names.labels[i], SELECT_TEXT_LIMIT), value=names.labels[i][:100]
            )
            for i in actor_choices(catalog, value)
        ]


class RegionTransformer(TitleTransformer):
    """A country as typed (``KR``, ``Korea``, ``한국``): suggests the regions the chosen drama
    lists first, then matching countries, each shown with its code."""

    @property
    def max_value(self) -> int:
        return REGION_MAX_CHARS

    @property
    def min_value(self) -> int:
        return 1

    @sends_choices
    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str, /
    ) -> list[app_commands.Choice[str]]:
        bot: DramaBot = interaction.client  # type: ignore[assignment]
        catalog = bot.service.catalog
        listed: list[str] = []
        title = getattr(interaction.namespace, "title", None)
        if title:
            slug = catalog.titles.resolve(str(title)).id
            if slug in catalog.cards:
                listed = sorted({r for o in catalog.cards[slug].streaming for r in o.regions})
        first = tuple(dict.fromkeys([*listed, *COMMON_REGIONS]))
        locale = interaction.locale.value
        return [
            app_commands.Choice(name=f"{say(c.short_name, locale)} ({c.code})", value=c.code)
            for c in suggest_regions(value[:REGION_MAX_CHARS], first)
        ]


Title = app_commands.Transform[str, TitleTransformer]
ActorName = app_commands.Transform[str, ActorTransformer]
Region = app_commands.Transform[str, RegionTransformer]
completes(TitleTransformer(), "title", ("drama", "cast", "stream", "rating", "similar"))
completes(ActorTransformer(), "name", ("actor",))
completes(RegionTransformer(), "region", ("stream",))


def everywhere(command: Any) -> Any:
    """Usable in servers, in DMs with the bot and, when a user installs the bot on their own
    account, anywhere they are (Discord's user-install contexts)."""
    command = app_commands.allowed_installs(guilds=True, users=True)(command)
    return app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)(command)


class Lookup(commands.Cog):
    """Answers about dramas and actors, straight from the in-memory catalog."""

    def __init__(self, bot: DramaBot) -> None:
        self.bot = bot

    async def _answer(self, interaction: discord.Interaction, invocation: Invocation) -> None:
        await respond(self.bot, interaction, invocation)

    @everywhere
    @app_commands.command(name="drama", description=COMMANDS["drama"].description)
    @app_commands.describe(**_describe("drama"))
    async def drama(self, interaction: discord.Interaction, title: Title) -> None:
        await self._answer(interaction, Invocation("drama", {"title": title}))

    @everywhere
    @app_commands.command(name="cast", description=COMMANDS["cast"].description)
    @app_commands.describe(**_describe("cast"))
    async def cast(self, interaction: discord.Interaction, title: Title) -> None:
        await self._answer(interaction, Invocation("cast", {"title": title}))

    @everywhere
    @app_commands.command(name="stream", description=COMMANDS["stream"].description)
    @app_commands.describe(**_describe("stream"))
    async def stream(
        self, interaction: discord.Interaction, title: Title, region: Region | None = None
    ) -> None:
        options = {"title": title} | ({"region": region} if region else {})
        await self._answer(interaction, Invocation("stream", options))

    @everywhere
    @app_commands.command(name="rating", description=COMMANDS["rating"].description)
    @app_commands.describe(**_describe("rating"))
    async def rating(self, interaction: discord.Interaction, title: Title) -> None:
        await self._answer(interaction, Invocation("rating", {"title": title}))

    @everywhere
    @app_commands.command(name="similar", description=COMMANDS["similar"].description)
    @app_commands.describe(**_describe("similar"))
    async def similar(self, interaction: discord.Interaction, title: Title) -> None:
        await self._answer(interaction, Invocation("similar", {"title": title}))

    @everywhere
    @app_commands.command(name="actor", description=COMMANDS["actor"].description)
    @app_commands.describe(**_describe("actor"))
    async def actor(self, interaction: discord.Interaction, name: ActorName) -> None:
        await self._answer(interaction, Invocation("actor", {"name": name}))


async def setup(bot: DramaBot) -> None:
    await bot.add_cog(Lookup(bot))
