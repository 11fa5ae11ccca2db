"""The Discord front end: the Bot, its command tree (one error funnel), start-up and sync."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import signal
import sys
from collections.abc import AsyncIterator

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.catalog.opening import open_store
from bot.catalog.service import CatalogService
from bot.catalog.store import Store, StoreError
from bot.config import Config
from bot.frontend.send import send_notice

log = logging.getLogger(__name__)

EXTENSIONS = ("bot.frontend.cogs.menus", "bot.frontend.cogs.lookup", "bot.frontend.cogs.admin")
SYNC_FINGERPRINT_KEY = "global_commands_fingerprint:{application_id}"
#: `drama-bot run` exits with this when the database was written by a newer version.
EXIT_DATABASE_TOO_NEW = 4


class DramaTree(app_commands.CommandTree):
    """The single place where command errors become messages for the user."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        if isinstance(error, app_commands.CheckFailure):
            text = str(error) or "You can't use this command here."
        elif isinstance(error, app_commands.TransformerError):
            text = "That value doesn't fit this option; pick one from the list as you type."
        elif isinstance(
            error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch
        ):
            # The user's Discord still shows an older command list; retrying will not help.
            log.warning("stale command from the client: %s", error)
            text = (
                "This command changed since your Discord app loaded it. Reload Discord "
                "(Ctrl+R) or wait a minute, then try again."
            )
        else:
            original = getattr(error, "original", error)
            log.error(
                "command /%s failed",
                interaction.command.qualified_name if interaction.command else "?",
                exc_info=(type(original), original, original.__traceback__),
            )
            text = "Sorry, something went wrong on our side. It has been logged; please try again."
        await send_notice(interaction, text)


class DramaBot(commands.Bot):
    def __init__(self, config: Config, service: CatalogService, store: Store) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents(guilds=True),
            tree_cls=DramaTree,
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
        )
        self.config = config
        self.service = service
        self.store = store
        self.watcher: asyncio.Task[None] | None = None

    async def setup_hook(self) -> None:
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        await self.sync_commands()
        if self.config.watch_cards:  # changed cards are served without a /reload
            self.watcher = asyncio.create_task(self.service.watch(), name="cards-watcher")

    async def close(self) -> None:
        if self.watcher is not None:
            self.watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.watcher
            self.watcher = None
        await super().close()

    async def sync_commands(self) -> None:
        """Dev guilds get a copy of every command at once; the global set is synced only when
        it changed since the last sync (Discord rate-limits and caches global commands)."""
        for guild_id in self.config.dev_guild_ids:
            guild = discord.Object(guild_id)
            self.tree.copy_global_to(guild=guild)
            try:
                synced = await self.tree.sync(guild=guild)
                log.info("synced %d commands to dev guild %d", len(synced), guild_id)
            except discord.HTTPException as exc:
                log.error("could not sync commands to guild %d: %s", guild_id, exc)
        if not self.config.sync_global:
            return
        payload = [command.to_dict(self.tree) for command in self.tree.get_commands()]
        fingerprint = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        # Per application: another bot started on the same database must still sync.
        state_key = SYNC_FINGERPRINT_KEY.format(application_id=self.application_id)
        if await self.store.get_state(state_key) == fingerprint:
            log.info("global commands unchanged since the last sync; not syncing")
            return
        try:
            synced = await self.tree.sync()
        except discord.HTTPException as exc:
            log.error("could not sync global commands: %s", exc)
            return
        await self.store.set_state(state_key, fingerprint)
        log.info("synced %d global commands", len(synced))

    async def on_ready(self) -> None:
        log.info(
            "ready as %s in %d guilds, serving %d cards",
            self.user,
            len(self.guilds),
            len(self.service.catalog),
        )


def run_bot(config: Config) -> int:
    """``drama-bot run``: validate the token's presence, then serve until stopped."""
    token = config.token()  # raises ConfigError with a one-line explanation
    logging.getLogger().setLevel(config.log_level)
    logging.getLogger("discord.client").addFilter(_no_voice_warning)
    return asyncio.run(serve(config, token))


def _no_voice_warning(record: logging.LogRecord) -> bool:
    """The bot never joins voice; discord.py's warning about missing voice libraries is noise."""
    return "voice will NOT be supported" not in record.getMessage()


@contextlib.asynccontextmanager
async def open_bot(config: Config) -> AsyncIterator[DramaBot]:
    """The bot with its database open and its catalog loaded, ready to ``start(token)``."""
    async with open_store(config.database) as store:
        service = CatalogService(store, config.data_dir, max_removed_share=config.max_removed_share)
        report = await service.start()
        if not report.applied:
            log.error("%d card errors; run `drama-bot check` for the list", len(report.errors))
        async with DramaBot(config, service, store) as bot:
            yield bot


async def serve(config: Config, token: str) -> int:
    """Run the bot until it is closed (SIGTERM/SIGINT); the exit status for the shell."""
    try:
        return await _serve(config, token)
    except StoreError as exc:  # a newer bot's database: its state is not ours to rewrite
        print(f"drama-bot: {exc}", file=sys.stderr)
        return EXIT_DATABASE_TOO_NEW


async def _serve(config: Config, token: str) -> int:
    async with open_bot(config) as bot:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, lambda: asyncio.create_task(bot.close()))
        try:
            await bot.start(token)
        except discord.LoginFailure:
            print(
                "drama-bot: Discord rejected the token; check DISCORD_TOKEN (or token_file)",
                file=sys.stderr,
            )
            return 2
        except discord.PrivilegedIntentsRequired:
            print("drama-bot: Discord refused the gateway intents for this bot", file=sys.stderr)
            return 2
        except (aiohttp.ClientConnectionError, OSError) as exc:
            print(f"drama-bot: cannot reach Discord: {exc}", file=sys.stderr)
            return 3
    return 0
