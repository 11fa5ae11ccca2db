"""/random, /browse and /top, with autocomplete for every option."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.answering.commands import COMMANDS, Invocation
from bot.answering.discovery import RANKINGS
from bot.answering.i18n import genre_name, text
from bot.answering.render import SELECT_TEXT_LIMIT, cut
from bot.answering.story_search import story_matches
from bot.frontend.autocomplete import completes
from bot.frontend.cogs.lookup import ActorName, ActorTransformer, everywhere
from bot.frontend.responding import respond
from bot.frontend.send import sends_choices
from bot.matching.folding import fold

if TYPE_CHECKING:
    from bot.frontend.app import DramaBot

CHOICES_LIMIT = 25


def _describe(command: str) -> dict[str, str]:
    return {o.name: o.description for o in COMMANDS[command].options}


def _starting(
    values: list[str], typed: str, shown: dict[str, str] | None = None
) -> list[app_commands.Choice[str]]:
    """Values starting with what was typed first, then values containing it (at most 25).
    ``shown`` gives a value's name in the user's language (matched as well as the value)."""
    shown = shown or {}
    key = fold(typed)

    def names(v: str) -> list[str]:
        return [fold(v), fold(shown.get(v, v))]

    first = [v for v in values if any(n.startswith(key) for n in names(v))]
    rest = [v for v in values if any(key in n for n in names(v)) and v not in first]
    return [
        app_commands.Choice(name=_label(v, shown.get(v, v))[:100], value=v[:100])
        for v in (first + rest)[:25]
    ]


def _label(value: str, shown: str) -> str:
    """``로맨스 (romance)``: the user's word, and the value it stands for."""
    return value if shown == value else f"{shown} ({value})"


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
    @sends_choices
    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str, /
    ) -> list[app_commands.Choice[str]]:
        bot: DramaBot = interaction.client  # type: ignore[assignment]
        genres = bot.service.catalog.facets.genres
        # Most common genres first when nothing is typed yet.
        ordered = sorted(genres, key=lambda g: (-len(genres[g]), g))
        locale = interaction.locale.value
        return _starting(ordered, value, {g: genre_name(g, locale) for g in ordered})


class NetworkTransformer(_TextOption):
    @sends_choices
    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str, /
    ) -> list[app_commands.Choice[str]]:
        bot: DramaBot = interaction.client  # type: ignore[assignment]
        facets = bot.service.catalog.facets
        ordered = sorted(facets.network_names, key=lambda k: (-len(facets.networks[k]), k))
        return _starting([facets.network_names[k] for k in ordered], value)


class YearTransformer(_TextOption):
    @sends_choices
    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str, /
    ) -> list[app_commands.Choice[str]]:
        bot: DramaBot = interaction.client  # type: ignore[assignment]
        locale = interaction.locale.value
        years = sorted(bot.service.catalog.facets.years, reverse=True)
        decades = sorted({y // 10 * 10 for y in years}, reverse=True)
        # (value, what the reader sees: 2010s / 2010년대, 2020 / 2020년)
        offered = [(f"{d}s", text("filters.decade_choice", locale, decade=d)) for d in decades]
        offered += [(str(y), text("filters.year_choice", locale, year=y)) for y in years]
        typed = value.strip()
        found = [
            (v, shown) for v, shown in offered if v.startswith(typed) or shown.startswith(typed)
        ]
        return [app_commands.Choice(name=shown, value=v) for v, shown in found[:CHOICES_LIMIT]]


class RankingTransformer(_TextOption):
    @sends_choices
    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str, /
    ) -> list[app_commands.Choice[str]]:
        locale = interaction.locale.value
        labels = {r: text(f"discovery.ranking_{r}", locale) for r in RANKINGS}
        typed = value.strip().lower()
        return [
            app_commands.Choice(name=labels[r], value=r)
            for r in RANKINGS
            if r.startswith(typed) or labels[r].lower().startswith(typed)
        ]


class AboutTransformer(_TextOption):
    @sends_choices
    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str, /
    ) -> list[app_commands.Choice[str]]:
        """The words typed, shown with the first dramas whose story matches them (searched
        in a worker thread: the story index is SQLite's)."""
        typed = fold(value)[:100]  # (its words alone: no control character, no markup)
        if not typed:
            return []
        catalog = interaction.client.service.catalog  # type: ignore[attr-defined]
        slugs = await asyncio.to_thread(story_matches, catalog, typed, asked=True) or []
        shown = ", ".join(catalog.titles.labels[slug] for slug in slugs[:3])
        name = f"{typed}: {shown}" if shown else typed
        return [app_commands.Choice(name=cut(name, SELECT_TEXT_LIMIT), value=typed)]


Genre = app_commands.Transform[str, GenreTransformer]
Network = app_commands.Transform[str, NetworkTransformer]
Year = app_commands.Transform[str, YearTransformer]
Ranking = app_commands.Transform[str, RankingTransformer]
About = app_commands.Transform[str, AboutTransformer]
completes(GenreTransformer(), "genre", ("random", "browse", "top"))
completes(NetworkTransformer(), "network", ("random", "browse", "top"))
completes(YearTransformer(), "year", ("random", "browse", "top"))
completes(ActorTransformer(), "actor", ("browse",))
completes(RankingTransformer(), "by", ("top",))
completes(AboutTransformer(), "about", ("browse",))


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
        about: About | None = None,
    ) -> None:
        options = _options(genre=genre, network=network, year=year, actor=actor, about=about)
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
