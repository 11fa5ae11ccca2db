"""The Discord front end: the Bot, its command tree (one error funnel), start-up and sync."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import signal
import sys
import time
from collections.abc import AsyncIterator, Coroutine
from typing import Any

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot import __version__
from bot.answering.i18n import Phrase, text
from bot.answering.info import BotStatus
from bot.answering.notices import reload_summary
from bot.catalog.service import CatalogService
from bot.catalog.settings import SettingsBook
from bot.catalog.store import Store
from bot.config import Config
from bot.frontend.cooldown import Cooldown
from bot.frontend.permissions import is_admin
from bot.frontend.send import send_notice
from bot.frontend.translator import LocaleFileTranslator

log = logging.getLogger(__name__)

EXTENSIONS = (
    "bot.frontend.cogs.menus",
    "bot.frontend.cogs.lookup",
    "bot.frontend.cogs.discovery",
    "bot.frontend.cogs.info",
    "bot.frontend.cogs.admin",
    "bot.frontend.cogs.settings",
)
SYNC_FINGERPRINT_KEY = "global_commands_fingerprint:{application_id}"


class DramaTree(app_commands.CommandTree):
    """The single place where command errors become messages for the user, and where the
    per-user command limit is applied before any command runs."""

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.type is not discord.InteractionType.application_command:
            return True
        bot: DramaBot = interaction.client  # type: ignore[assignment]
        if is_admin(bot.config, interaction):
            return True
        wait = bot.cooldown.hit(interaction.user.id)
        if wait <= 0:
            return True
        until = int(time.time() + wait + 0.999)
        await send_notice(
            interaction,
            text(
                "discord.cooldown",
                interaction.locale.value,
                rate=bot.cooldown.rate,
                seconds=bot.cooldown.per,
                until=until,
            ),
        )
        return False

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        locale = interaction.locale.value
        if isinstance(error, app_commands.CheckFailure):
            said = str(error) or text("discord.not_here", locale)
        elif isinstance(error, app_commands.TransformerError):
            said = text("discord.bad_value", locale)
        elif isinstance(
            error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch
        ):
            # The user's Discord still shows an older command list; retrying will not help.
            log.warning("stale command from the client: %s", error)
            said = text("discord.stale_command", locale)
        else:
            original = getattr(error, "original", error)
            log.error(
                "command /%s failed",
                interaction.command.qualified_name if interaction.command else "?",
                exc_info=(type(original), original, original.__traceback__),
            )
            said = text("discord.failed", locale)
        await send_notice(interaction, said)


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
        self.settings = SettingsBook(store)
        self.cooldown = Cooldown(config.cooldown_commands, config.cooldown_seconds)
        self.started_at = time.time()
        self._background: set[asyncio.Task[None]] = set()

    def later(self, work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` in the background; it is cancelled when the bot closes."""
        task = asyncio.get_running_loop().create_task(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def close(self) -> None:
        for task in list(self._background):
            task.cancel()
        await super().close()

    def status(self) -> BotStatus:
        """What /about shows."""
        report = self.service.last_report
        shard = ""
        if self.shard_count and self.shard_count > 1:
            shard = Phrase("about.shard_of", shard=self.shard_id or 0, shards=self.shard_count)
        return BotStatus(
            version=__version__,
            cards=len(self.service.catalog),
            started_at=self.started_at,
            loaded_at=report.finished_at if report else None,
            last_reload=reload_summary(report) if report else "",
            shard=shard,
            project_url=self.config.project_url,
        )

    async def show_catalog_size(self) -> None:
        """The presence line: what to type, and how many dramas there are."""
        count = len(self.service.catalog)
        activity = discord.CustomActivity(name=f"/drama · {count:,} dramas · /help")
        with contextlib.suppress(discord.HTTPException, ConnectionError):
            await self.change_presence(activity=activity)

    async def setup_hook(self) -> None:
        await self.tree.set_translator(LocaleFileTranslator())
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        await self.sync_commands()

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
        await self.show_catalog_size()
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
    async with Store.open(config.database) as store:
        service = CatalogService(store, config.data_dir)
        report = await service.start()
        if not report.applied:
            log.error("%d card errors; run `drama-bot check` for the list", len(report.errors))
        async with DramaBot(config, service, store) as bot:
            yield bot


async def serve(config: Config, token: str) -> int:
    """Run the bot until it is closed (SIGTERM/SIGINT); the exit status for the shell."""
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
