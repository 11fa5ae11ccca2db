"""/random, /browse and /top, with autocomplete for every option."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.answering.commands import COMMANDS, Invocation
from bot.answering.discovery import RANKINGS
from bot.frontend.cogs.lookup import ActorName, everywhere
from bot.frontend.responding import respond
from bot.matching.folding import fold

if TYPE_CHECKING:
    from bot.frontend.app import DramaBot

CHOICES_LIMIT = 25


def _describe(command: str) -> dict[str, str]:
    return {o.name: o.description for o in COMMANDS[command].options}


def _starting(values: list[str], typed: str) -> list[app_commands.Choice[str]]:
    """Values starting with what was typed first, then values containing it (at most 25)."""
    key = fold(typed)
    first = [v for v in values if fold(v).startswith(key)]
    rest = [v for v in values if key in fold(v) and v not in first]
    return [app_commands.Choice(name=v[:100], value=v[:100]) for v in (first + rest)[:25]]


class _TextOption(app_commands.Transformer):
    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.string

    @property
    def max_value(self) -> int:
        return 100

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> str:
        return str(value)


class GenreTransformer(_TextOption):
    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str, /
    ) -> list[app_commands.Choice[str]]:
        bot: DramaBot = interaction.client  # type: ignore[assignment]
        genres = bot.service.catalog.facets.genres
        # Most common genres first when nothing is typed yet.
        ordered = sorted(genres, key=lambda g: (-len(genres[g]), g))
        return _starting(ordered, value)


class NetworkTransformer(_TextOption):
    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str, /
    ) -> list[app_commands.Choice[str]]:
        bot: DramaBot = interaction.client  # type: ignore[assignment]
        facets = bot.service.catalog.facets
        ordered = sorted(facets.network_names, key=lambda k: (-len(facets.networks[k]), k))
        return _starting([facets.network_names[k] for k in ordered], value)


class YearTransformer(_TextOption):
    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str, /
    ) -> list[app_commands.Choice[str]]:
        bot: DramaBot = interaction.client  # type: ignore[assignment]
        years = sorted(bot.service.catalog.facets.years, reverse=True)
        decades = sorted({f"{y // 10 * 10}s" for y in years}, reverse=True)
        typed = value.strip()
        found = [v for v in [*decades, *map(str, years)] if v.startswith(typed)]
        return [app_commands.Choice(name=v, value=v) for v in found[:CHOICES_LIMIT]]


class RankingTransformer(_TextOption):
    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str, /
    ) -> list[app_commands.Choice[str]]:
        labels = {"review": "review score", "community": "community rating"}
        return [
            app_commands.Choice(name=labels[r], value=r)
            for r in RANKINGS
            if r.startswith(value.strip().lower()) or labels[r].startswith(value.strip().lower())
        ]


Genre = app_commands.Transform[str, GenreTransformer]
Network = app_commands.Transform[str, NetworkTransformer]
Year = app_commands.Transform[str, YearTransformer]
Ranking = app_commands.Transform[str, RankingTransformer]


def _options(**values: str | None) -> dict[str, str]:
    return {name: value for name, value in values.items() if value}


class Discovery(commands.Cog):
    """Finding something to watch: a random pick, browsing, and the best rated."""

    def __init__(self, bot: DramaBot) -> None:
        self.bot = bot

    @everywhere
    @app_commands.command(name="random", description=COMMANDS["random"].description)
    @app_commands.describe(**_describe("random"))
    async def random(
        self,
        interaction: discord.Interaction,
        genre: Genre | None = None,
        network: Network | None = None,
        year: Year | None = None,
    ) -> None:
        options = _options(genre=genre, network=network, year=year)
        await respond(self.bot, interaction, Invocation("random", options))

    @everywhere
    @app_commands.command(name="browse", description=COMMANDS["browse"].description)
    @app_commands.describe(**_describe("browse"))
    async def browse(
        self,
        interaction: discord.Interaction,
        genre: Genre | None = None,
        network: Network | None = None,
        year: Year | None = None,
        actor: ActorName | None = None,
    ) -> None:
        options = _options(genre=genre, network=network, year=year, actor=actor)
        await respond(self.bot, interaction, Invocation("browse", options))

    @everywhere
    @app_commands.command(name="top", description=COMMANDS["top"].description)
    @app_commands.describe(**_describe("top"))
    async def top(
        self,
        interaction: discord.Interaction,
        by: Ranking | None = None,
        genre: Genre | None = None,
        network: Network | None = None,
        year: Year | None = None,
    ) -> None:
        options = _options(by=by, genre=genre, network=network, year=year)
        await respond(self.bot, interaction, Invocation("top", options))


async def setup(bot: DramaBot) -> None:
    await bot.add_cog(Discovery(bot))
