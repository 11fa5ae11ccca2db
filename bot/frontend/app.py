"""The Discord front end: the Bot (sharded or not), its command tree with one error funnel,
and start-up: where Discord is, the command sync, the invite link, the heartbeat."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import struct
import time
from collections.abc import AsyncIterator, Coroutine
from typing import Any

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.ext import commands

from bot import __version__
from bot.answering.i18n import Phrase, text
from bot.answering.info import BotStatus
from bot.answering.notices import reload_summary
from bot.cards.loader import folder_problem, subfolder_warning
from bot.catalog.opening import open_store
from bot.catalog.service import CatalogService, ReloadReport
from bot.catalog.settings import SettingsBook
from bot.catalog.store import Store, StoreError
from bot.config import Config
from bot.frontend.autocomplete import complete
from bot.frontend.cooldown import Cooldown
from bot.frontend.database_file import DatabaseFile
from bot.frontend.draining import InFlight, is_click
from bot.frontend.heartbeat import Heartbeat
from bot.frontend.permissions import is_admin
from bot.frontend.replies import Replier
from bot.frontend.send import send_notice
from bot.frontend.shapes import misshapen
from bot.frontend.sync import CommandSync
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
#: What the invite link asks for. Answers to slash commands need no permission at all; these
#: three let the bot post an answer in the channel when Discord would not take it as a reply
#: in time (see replies.py).
INVITE_SCOPES = ("bot", "applications.commands")
#: Discord allows ``max_concurrency`` IDENTIFYs per this many seconds, one per rate-limit key.
IDENTIFY_INTERVAL = 5.0
#: Kept on top of it: the IDENTIFY leaves a little after our hook returns, and Discord times
#: its arrival (a shard sent 4.99 s after the previous one was refused in a loaded test run).
IDENTIFY_MARGIN = 0.25
INVITE_PERMISSIONS = discord.Permissions(view_channel=True, send_messages=True, embed_links=True)
#: A websocket close frame with code 1000: Discord ends the session at once (the bot shows
#: offline) only for 1000 or 1001; any other code leaves the session open for minutes.
GOODBYE = struct.pack("!H", 1000)


class NotDiscordsApi(Exception):
    """The Discord address answered at start-up, but not as Discord's API does (an error
    status, or a page that is not the JSON Discord sends); the message is one line naming
    the address."""


class SetUpFailed(RuntimeError):
    """The bot's own set-up (``setup_hook``) failed: a fault of ours, kept apart from
    Discord's answers so it is never reported as one."""


async def unreadable(bot: DramaCore, interaction: discord.Interaction) -> None:
    """Answer what ``misshapen`` cannot read: no choices, or the private "this command
    changed" notice (the client's command list is not ours)."""
    if interaction.type is discord.InteractionType.autocomplete:
        await bot.replier.choices(interaction, [])
    else:
        await send_notice(interaction, text("discord.stale_command", interaction.locale.value))


class DramaTree(app_commands.CommandTree):
    """The single place where command errors become messages for the user, and where the
    per-user command limit is applied before any command runs."""

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        bot: DramaBot = interaction.client  # type: ignore[assignment]
        if bot.stopping:  # no new work while stopping: told so, at once (draining.py)
            await bot.in_flight.restarting(interaction)
            return False
        bot.in_flight.take(interaction)
        problem = misshapen(interaction)
        if problem is not None:  # (before discord.py reads it: shapes.py)
            log.warning("an interaction we cannot read, answered: %s", problem)
            await unreadable(bot, interaction)
            return False
        if interaction.type is discord.InteractionType.autocomplete:
            return not await complete(interaction)  # (answered: nothing left for discord.py)
        if interaction.type is not discord.InteractionType.application_command:
            return True
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
            if getattr(interaction.client, "stopping", False) or interaction.client.is_closed():
                # SIGTERM while a command was answering: its session is gone, nobody to tell
                # (polish9: this was an ERROR with a traceback at every stop mid-command).
                log.info(
                    "command /%s not answered: the bot is stopping (%s)",
                    interaction.command.qualified_name if interaction.command else "?",
                    original,
                )
                return
            log.error(
                "command /%s failed",
                interaction.command.qualified_name if interaction.command else "?",
                exc_info=(type(original), original, original.__traceback__),
            )
            said = text("discord.failed", locale)
        await send_notice(interaction, said)


def use_discord_at(api_url: str) -> None:
    """Point discord.py's REST client at ``api_url`` (the config's ``discord_api_url``)."""
    discord.http.Route.BASE = api_url.rstrip("/")


class DramaCore:
    """Everything our bot adds to discord.py's client; mixed into :class:`DramaBot` (one
    shard, or one of many run by separate processes) and :class:`ShardedDramaBot` (several
    shards in this process)."""

    def __init__(
        self,
        config: Config,
        service: CatalogService,
        store: Store,
        *,
        serving: bool = True,
        **options: Any,
    ) -> None:
        super().__init__(  # type: ignore[call-arg]
            command_prefix=commands.when_mentioned,
            intents=discord.Intents(guilds=True),
            tree_cls=DramaTree,
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.config = config
        self.service = service
        self.store = store
        self.database_file = DatabaseFile(store.path)  # deleted or replaced while serving?
        self.serving = serving
        self.replier = Replier(self, config.discord_api_url, "DiscordBot (drama-bot)")  # type: ignore[arg-type]
        self.heartbeat = Heartbeat(config.heartbeat_path)
        self.heartbeat.expect(self.own_shards)
        self._sync_task: asyncio.Task[None] | None = None
        self._closing: asyncio.Future[None] | None = None  # (the one stop: see close)
        #: Set once the start-up command sync has finished (done, given up, or not ours).
        self.commands_synced = asyncio.Event()
        self._max_concurrency = 1  # from GET /gateway/bot's session_start_limit
        self._identified: dict[int, float] = {}  # rate-limit key -> last IDENTIFY
        self._created = time.monotonic()
        self.settings = SettingsBook(store)
        self.cooldown = Cooldown(config.cooldown_commands, config.cooldown_seconds)
        self.started_at = time.time()
        self._background: set[asyncio.Task[None]] = set()
        #: Set when close() begins: a command failing from then on failed for the stop.
        self.stopping = False
        self.in_flight = InFlight(self.replier)  # answered before the bot closes

    # Attributes discord.py's client provides (declared for the type checker).
    tree: app_commands.CommandTree
    application_id: int | None
    http: Any
    user: discord.ClientUser | None
    guilds: list[discord.Guild]

    @property
    def own_shards(self) -> list[int]:
        """The shards this process runs (``[0]`` without sharding)."""
        config = self.config
        if config.shard_ids:
            return list(config.shard_ids)
        if isinstance(config.shard_count, int):
            return list(range(config.shard_count))
        return [0]

    @property
    def runs_shard_zero(self) -> bool:
        """Commands are synced once per bot: by the process that runs shard 0."""
        return 0 in self.own_shards

    def shard_label(self, interaction: discord.Interaction) -> str | None:
        """ "shard 1 of 2", or None without sharding."""
        count = self.config.shard_count
        if count is None:
            return None
        shard = interaction.guild.shard_id if interaction.guild is not None else 0
        total = getattr(self, "shard_count", None) or count
        return Phrase("about.shard_of", shard=shard, shards=total)

    def later(self, work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` in the background; it is cancelled when the bot closes."""
        task = asyncio.get_running_loop().create_task(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def status(self) -> BotStatus:
        """What /about shows."""
        report = self.service.last_report
        shard = ""
        count = getattr(self, "shard_count", None)
        if count and count > 1:
            shard = Phrase(
                "about.shard_of", shard=getattr(self, "shard_id", None) or 0, shards=count
            )
            if len(self.own_shards) > 1:
                listed = ", ".join(map(str, self.own_shards))
                shard = Phrase("about.shards_of", list=listed, shards=count)
        return BotStatus(
            version=__version__,
            cards=len(self.service.catalog),
            started_at=self.started_at,
            loaded_at=report.finished_at if report else None,
            last_reload=reload_summary(report, self.service.catalog.cards) if report else "",
            shard=shard,
            project_url=self.config.project_url,
        )

    async def show_catalog_size(self) -> None:
        """The presence line: what to type, and how many dramas there are."""
        count = len(self.service.catalog)
        activity = discord.CustomActivity(name=f"/drama · {count:,} dramas · /help")
        with contextlib.suppress(discord.HTTPException, ConnectionError):
            await self.change_presence(activity=activity)  # type: ignore[attr-defined]

    async def setup_hook(self) -> None:
        try:
            await self._set_up()
        except (TypeError, KeyError, ValueError, AttributeError) as exc:
            # a fault of ours, not Discord's answer (login would take it for one): say so
            raise SetUpFailed(f"the bot's own set-up failed ({type(exc).__name__})") from exc

    async def _set_up(self) -> None:
        await self.tree.set_translator(LocaleFileTranslator())
        for extension in EXTENSIONS:
            await self.load_extension(extension)  # type: ignore[attr-defined]
        if not self.serving:
            return
        await self._load_settings()
        self.later(self.settings.follow())
        if self.config.watch_cards:  # changed cards are served without a /reload
            self.later(self.service.watch())
        await self._find_gateway()
        if self.runs_shard_zero:
            self._sync_task = asyncio.create_task(self._sync_at_start(), name="sync")
        else:
            log.info("commands are synced by the process that runs shard 0")
            self.commands_synced.set()
        if self.application_id:
            link = discord.utils.oauth_url(
                self.application_id, permissions=INVITE_PERMISSIONS, scopes=INVITE_SCOPES
            )
            log.info("invite link: %s", link)
        self.heartbeat.start()

    async def _load_settings(self) -> None:
        """Every server's settings in memory before the first interaction (an answer never
        reads them from the disk: ``SettingsBook``); where that fails, each server's are
        read at its first answer, as before round 17."""
        try:
            await self.settings.load()
        except (sqlite3.Error, StoreError) as exc:
            log.warning(
                "servers' settings could not be read at start (%s): each is read at its "
                "server's first answer",
                exc,
            )

    async def _sync_at_start(self) -> None:
        try:
            await CommandSync(self).at_start()  # type: ignore[arg-type]
        finally:
            self.commands_synced.set()

    async def _find_gateway(self) -> None:
        """Connect where Discord says (``GET /gateway/bot``), as Discord asks of bots; this
        also makes ``discord_api_url`` the only address to configure."""
        try:
            shards, url, limits = await self.http.get_bot_gateway()
        except (TypeError, KeyError, ValueError, AttributeError):
            log.debug("GET /gateway/bot", exc_info=True)
            raise NotDiscordsApi(
                f"{self.config.discord_api_url} did not answer GET /gateway/bot as Discord's "
                "API does; check discord_api_url / DRAMA_BOT_DISCORD_URL and any proxy in between"
            ) from None
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        self._max_concurrency = max(1, int(limits.get("max_concurrency", 1)))
        count = self.config.shard_count
        if isinstance(count, int) and shards > count:
            log.warning("Discord recommends %d shards; shard_count is %d", shards, count)
        if limits.get("remaining") == 0:
            log.error(
                "Discord allows no more gateway sessions today (session_start_limit); the "
                "bot can connect again in %d minutes",
                int(limits.get("reset_after", 0) / 60_000),
            )

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Discord's IDENTIFY limit: ``max_concurrency`` per 5 s, one per key (shard number
        modulo max_concurrency). Shards identify in order of their number, so processes started
        together (shard_ids split across them) never collide; a shard identifying again waits
        out the 5 s of its key. (discord.py alone waits 5 s before every shard but the first,
        which is slower for big bots and not enough across processes.)"""
        shard = shard_id or 0
        key = shard % self._max_concurrency
        spacing = IDENTIFY_INTERVAL + IDENTIFY_MARGIN
        turn = self._created + spacing * (shard // self._max_concurrency)
        last = self._identified.get(key)
        ready_at = max(turn, last + spacing) if last is not None else turn
        wait = ready_at - time.monotonic()
        if wait > 0:
            log.info("shard %d waits %.1f s for its turn to connect (Discord's limit)", shard, wait)
            await asyncio.sleep(wait)
        self._identified[key] = time.monotonic()

    async def close(self) -> None:
        """Stop once: a second call (the same signal twice, Ctrl-C pressed again) waits for
        the first stop, which answers what is in flight first; it used to skip that wait and
        close the reply session under the answers still waiting (round 15)."""
        if self._closing is None:
            self._closing = asyncio.ensure_future(self._close_once())
        await asyncio.shield(self._closing)

    async def _close_once(self) -> None:
        if not self.stopping:
            self.stopping = True  # (before the replier's session closes: DramaTree.on_error)
            await self.in_flight.drain()  # what is in flight answered first (draining.py)
        for task in list(self._background):
            task.cancel()
        if self._sync_task is not None:
            self._sync_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._sync_task
            self._sync_task = None
        if self.serving:
            await self.heartbeat.stop()
            await self.database_file.mend(self.service)  # (deleted while serving: kept)
        await self.replier.close()
        await self._end_gateway_session()
        await super().close()  # type: ignore[misc]

    async def _end_gateway_session(self) -> None:
        """Send the gateway a 1000 close frame before discord.py closes it. discord.py means to
        close with 1000, but its reading loop, woken by that close, closes first with 4000, so
        Discord kept the stopped bot's session (shown online, interactions sent to nobody)
        until it timed out. (Shards in one process close cleanly: discord.py stops their
        reading loop first.)"""
        ws = getattr(self, "ws", None)
        socket = getattr(ws, "socket", None)
        send_frame = getattr(socket, "send_frame", None)  # (aiohttp 3.11 and later)
        if isinstance(self, discord.AutoShardedClient) or send_frame is None or socket.closed:
            return
        with contextlib.suppress(aiohttp.ClientError, ConnectionError, RuntimeError):
            await send_frame(GOODBYE, aiohttp.WSMsgType.CLOSE)

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        # discord.py's close() unsets the loop; a reconnect attempt that fails because of the
        # close then dispatches "disconnect" and crashes the shutdown with a traceback.
        if self.loop is discord.utils.MISSING:  # type: ignore[attr-defined]
            return
        if event_name == "interaction" and is_click(args[0]):
            # Clicks pass through discord.py's view store, not the command tree: noted here,
            # as the event arrives (before any await), so the drain waits for their answer.
            self.in_flight.take(args[0])
        super().dispatch(event_name, *args, **kwargs)  # type: ignore[misc]

    async def on_ready(self) -> None:
        await self.show_catalog_size()
        log.info(
            "ready as %s in %d guilds, serving %d cards",
            self.user,
            len(self.guilds),
            len(self.service.catalog),
        )

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """The bot was removed from a server (GUILD_DELETE without ``unavailable``). Its
        settings are kept, in memory and in the database: a re-invite finds them (they are a
        region code and channel IDs, nothing about anyone)."""
        self._say_server(
            "removed from server %s (%d); its settings are kept for a re-invite (%s)", guild
        )

    async def on_guild_join(self, guild: discord.Guild) -> None:
        self._say_server("added to server %s (%d); its settings: %s", guild)

    def _say_server(self, line: str, guild: discord.Guild) -> None:
        kept = self.settings.known(guild.id)
        log.info(line, guild.name, guild.id, kept.describe() if kept is not None else "not read")

    # The heartbeat follows the gateway connection of every shard of this process.
    async def on_connect(self) -> None:
        if not isinstance(self, discord.AutoShardedClient):
            self.heartbeat.up(self.own_shards[0])

    async def on_resumed(self) -> None:
        await self.on_connect()

    async def on_disconnect(self) -> None:
        if not isinstance(self, discord.AutoShardedClient):
            self.heartbeat.down(self.own_shards[0])

    async def on_shard_connect(self, shard_id: int) -> None:
        self.heartbeat.up(shard_id)

    async def on_shard_resumed(self, shard_id: int) -> None:
        self.heartbeat.up(shard_id)

    async def on_shard_disconnect(self, shard_id: int) -> None:
        self.heartbeat.down(shard_id)


class DramaBot(DramaCore, commands.Bot):
    """One gateway connection: no sharding, or one shard of several run by other processes."""


class ShardedDramaBot(DramaCore, commands.AutoShardedBot):
    """Several shards in this process (``shard_count`` without or with several ``shard_ids``)."""


def make_bot(
    config: Config, service: CatalogService, store: Store, *, serving: bool = True
) -> DramaCore:
    """The right client for the sharding settings."""
    count, ids = config.shard_count, config.shard_ids
    if count is None:
        return DramaBot(config, service, store, serving=serving)
    if ids is not None and len(ids) == 1 and isinstance(count, int):
        return DramaBot(config, service, store, serving=serving, shard_id=ids[0], shard_count=count)
    options: dict[str, Any] = {}
    if isinstance(count, int):
        options["shard_count"] = count
    if ids is not None:
        options["shard_ids"] = list(ids)
    return ShardedDramaBot(config, service, store, serving=serving, **options)


def calm_discord_logs() -> None:
    """discord.py's log lines an operator should not have to read past."""
    logging.getLogger("discord.client").addFilter(_calm_discord_record)


def _calm_discord_record(record: logging.LogRecord) -> bool:
    message = record.getMessage()
    # The bot never joins voice; warnings about missing voice libraries are noise.
    if "voice will NOT be supported" in message:
        return False
    # A lost connection is retried; one line, not a traceback at ERROR per attempt.
    if message.startswith("Attempting a reconnect in") and record.exc_info:
        error = record.exc_info[1]
        record.msg = f"lost the gateway connection ({type(error).__name__}: {error}); {message}"
        record.args, record.exc_info, record.exc_text = None, None, None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
    return True


class NoCards(Exception):
    """The cards folder is missing, unreadable or empty and no catalog is stored: nothing to
    serve. The message is one line naming the folder."""


def _say_what_is_served(config: Config, report: ReloadReport, served: int) -> None:
    """The start-up lines about the catalog: where it comes from, and (once) why the cards
    folder was not taken as it is. The service has already said why in one warning when the
    folder is missing or the removal guard kept the stored catalog."""
    if report.applied:
        log.info(
            "cards from %s (%d served); database %s",
            config.data_dir.resolve(),
            served,
            config.database.resolve(),
        )
        if report.errors:  # a first start: the valid cards serve, the broken ones are left out
            _log_card_errors(logging.WARNING, report, "the cards they name are left out")
        return
    log.info(
        "serving the last good catalog (%d cards) from the database %s, not the cards folder %s",
        served,
        config.database.resolve(),
        config.data_dir.resolve(),
    )
    if report.errors and not report.refused and folder_problem(config.data_dir) is None:
        _log_card_errors(logging.ERROR, report, "the cards folder is not applied")


#: How many card errors a start-up log line quotes (``drama-bot check`` lists them all).
_ERRORS_QUOTED = 3


def _log_card_errors(level: int, report: ReloadReport, served: str) -> None:
    """One log line: how many card errors, what is served instead, where to see them all,
    and the first few as ``path:line: key: message``."""
    quoted = report.errors[:_ERRORS_QUOTED]
    log.log(
        level,
        "%d card errors (%s); run `drama-bot check` for the list. %s: %s",
        len(report.errors),
        served,
        "First" if len(report.errors) > len(quoted) else "They are",
        " | ".join(str(error) for error in quoted),
    )


@contextlib.asynccontextmanager
async def open_bot(config: Config) -> AsyncIterator[DramaCore]:
    """The bot with its database open and its catalog loaded, ready to ``start(token)``.

    Raises :class:`~bot.catalog.opening.DatabaseRefused` when the database path holds
    something that is not a database, and :class:`NoCards` when the cards folder is missing,
    unreadable or empty and the database holds no catalog (with a stored catalog, that keeps
    serving, as a reload that would empty it is refused)."""
    calm_discord_logs()
    use_discord_at(config.discord_api_url)
    async with open_store(config.database, cards=config.data_dir) as store:
        service = CatalogService(store, config.data_dir, max_removed_share=config.max_removed_share)
        service.reload_timeout_s = config.reload_timeout_seconds
        report = await service.start()
        if len(service.catalog) == 0:
            problem = folder_problem(config.data_dir)
            if problem is None and not report.errors:
                problem = "holds no cards (*.yaml files)"
            if problem is not None:  # (broken cards alone are served: answers name them)
                await service.flush()  # nothing of it left running on the database closed here
                raise NoCards(
                    f"data_dir {config.data_dir}: {problem}, and the database holds no "
                    "catalog to serve instead"
                )
        _say_what_is_served(config, report, len(service.catalog))
        if (nested := await asyncio.to_thread(subfolder_warning, config.data_dir)) is not None:
            log.warning("%s", nested)  # once, at start-up: `drama-bot check` says it too
        try:
            async with make_bot(config, service, store) as bot:  # type: ignore[attr-defined]
                yield bot
        finally:
            await _settled(service)


#: How long a run that ends waits for its built catalog to be kept in the database (a start
#: keeps it in the background, in seconds at 100,000 cards), within Docker's 10 s to stop.
KEEPING_AT_EXIT_S = 4.0


async def _settled(service: CatalogService) -> None:
    """What the catalog still writes in the background done (or cancelled past
    ``KEEPING_AT_EXIT_S``) before the database closes: a run that ended right after its
    start (Discord unreachable, a rejected token) closed the store under the keeping, which
    logged "not kept in the database (Cannot operate on a closed database.)" and kept
    nothing for the next start (round 16)."""
    with contextlib.suppress(TimeoutError, asyncio.CancelledError):
        await asyncio.wait_for(service.flush(), KEEPING_AT_EXIT_S)
