"""/help and /about."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.answering.commands import COMMANDS, Invocation
from bot.frontend.cogs.lookup import everywhere
from bot.frontend.responding import respond

if TYPE_CHECKING:
    from bot.frontend.app import DramaBot


class Info(commands.Cog):
    def __init__(self, bot: DramaBot) -> None:
        self.bot = bot

    @everywhere
    @app_commands.command(name="help", description=COMMANDS["help"].description)
    async def help(self, interaction: discord.Interaction) -> None:
        await respond(self.bot, interaction, Invocation("help"))

    @everywhere
    @app_commands.command(name="about", description=COMMANDS["about"].description)
    async def about(self, interaction: discord.Interaction) -> None:
        await respond(self.bot, interaction, Invocation("about"))


async def setup(bot: DramaBot) -> None:
    await bot.add_cog(Info(bot))
