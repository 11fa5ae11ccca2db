"""Copying the slash commands to Discord, and removing stale copies.

* Dev guilds get every command at once, on every start.
* The global set is written only when it changed since the last sync (a fingerprint per
  application in the database), so a crash loop cannot exhaust Discord's sync rate limit.
* ``sync_global: auto`` (the default) syncs globally only without dev guilds, so no command
  shows twice in a server; a guild dropped from ``dev_guild_ids`` gets its copies removed at
  the next start (the database remembers which guilds were synced).
* Discord failing (5xx, 429 beyond discord.py's own retry, the network) is retried with
  backoff, one log line per failed attempt; refusals (403 for a guild the bot is not in) are
  logged once and not retried.

``drama-bot sync`` runs the same operations by hand (see :func:`run_sync`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import sqlite3
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import aiohttp
import discord

from bot.catalog.store import StoreError

if TYPE_CHECKING:
    from bot.frontend.app import DramaCore

log = logging.getLogger(__name__)

FINGERPRINT_KEY = "global_commands_fingerprint:{application_id}"
DEV_GUILDS_KEY = "dev_guilds_synced:{application_id}"
#: Pauses between attempts (about 4 minutes in all), then the sync gives up until next start.
RETRY_PAUSES = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 60.0, 60.0, 60.0)

T = TypeVar("T")


def is_transient(exc: BaseException) -> bool:
    """A failure worth retrying: Discord's 5xx and 429s, time-outs, the network."""
    if isinstance(exc, discord.HTTPException):
        return exc.status >= 500 or exc.status == 429
    return isinstance(exc, discord.RateLimited | aiohttp.ClientError | OSError | TimeoutError)


#: Discord's "Missing Access" (JSON error code 50001): the bot cannot reach that server.
MISSING_ACCESS = 50001
NO_ACCESS_TO_GUILD = (
    "server %d in dev_guild_ids: Discord says the bot has no access there (Missing Access): "
    "the bot is not in that server, or it was invited without the applications.commands "
    "scope. Invite it with the invite link in the log of `drama-bot run`, check the ID "
    "(Developer Mode on, right-click the server, Copy ID), or take it out of dev_guild_ids"
)


async def with_retries(
    what: str,
    operation: Callable[[], Awaitable[T]],
    pauses: tuple[float, ...] = RETRY_PAUSES,
    *,
    guild: int | None = None,
) -> T | None:
    """Run ``operation``; retry transient failures after each pause. ``None`` when it failed
    for good (logged as an error; for a dev guild the bot cannot reach, ``guild``, with what
    to do: round 16)."""
    for attempt, pause in enumerate((*pauses, None), 1):
        try:
            return await operation()
        except Exception as exc:
            if not is_transient(exc):
                log.error("could not sync %s: %s", what, exc)
                if guild is not None and getattr(exc, "code", None) == MISSING_ACCESS:
                    log.warning(NO_ACCESS_TO_GUILD, guild)
                return None
            if pause is None:
                log.error(
                    "gave up syncing %s after %d attempts (%s); Discord keeps the commands it "
                    "had: run `drama-bot sync` when Discord is back",
                    what,
                    attempt,
                    exc,
                )
                return None
            log.warning(
                "could not sync %s (attempt %d of %d): %s; retrying in %g s",
                what,
                attempt,
                len(pauses) + 1,
                exc,
                pause,
            )
            await asyncio.sleep(pause)
    return None


class CommandSync:
    """The sync operations for one logged-in bot."""

    def __init__(self, bot: DramaCore, pauses: tuple[float, ...] = RETRY_PAUSES) -> None:
        self.bot = bot
        self.pauses = pauses

    @property
    def _app(self) -> int:
        return self.bot.application_id or 0

    def fingerprint(self) -> str:
        tree = self.bot.tree
        payload = [command.to_dict(tree) for command in tree.get_commands()]
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    async def sync_guild(self, guild_id: int) -> int:
        guild = discord.Object(guild_id)
        self.bot.tree.copy_global_to(guild=guild)
        synced = await self.bot.tree.sync(guild=guild)
        log.info("synced %d commands to dev guild %d", len(synced), guild_id)
        return len(synced)

    async def clear_guild(self, guild_id: int) -> bool:
        guild = discord.Object(guild_id)
        self.bot.tree.clear_commands(guild=guild)
        await self.bot.tree.sync(guild=guild)
        return True

    async def sync_global(self) -> int:
        synced = await self.bot.tree.sync()
        await self._remember(FINGERPRINT_KEY.format(application_id=self._app), self.fingerprint())
        log.info("synced %d global commands", len(synced))
        return len(synced)

    async def clear_global(self) -> bool:
        """Remove every global command (the tree in memory loses them too: for the CLI)."""
        self.bot.tree.clear_commands(guild=None)
        await self.bot.tree.sync()
        # Forget the fingerprint: a later start with global sync writes the set again.
        await self._remember(FINGERPRINT_KEY.format(application_id=self._app), "")
        return True

    async def remembered_guilds(self) -> set[int]:
        raw = await self._recall(DEV_GUILDS_KEY.format(application_id=self._app))
        try:
            return {int(g) for g in json.loads(raw or "[]")}
        except (TypeError, ValueError):
            return set()

    async def remember_guilds(self, guilds: set[int]) -> None:
        await self._remember(
            DEV_GUILDS_KEY.format(application_id=self._app), json.dumps(sorted(guilds))
        )

    async def _recall(self, key: str) -> str | None:
        """What the database remembers of past syncs; None when it cannot be read (a lock
        held on its files, a stalled disk): the sync is then made as on a first start
        (round 17: the start's sync died with the read's error, and no command was synced)."""
        try:
            return await self.bot.store.get_state(key)
        except (sqlite3.Error, StoreError) as exc:
            log.warning("could not read %s from the database (%s): syncing anyway", key, exc)
            return None

    async def _remember(self, key: str, value: str) -> None:
        """Note a sync in the database; a failure only means the next start syncs again."""
        try:
            await self.bot.store.set_state(key, value)
        except (sqlite3.Error, StoreError) as exc:
            log.warning(
                "could not note %s in the database (%s): the next start syncs again", key, exc
            )

    async def at_start(self) -> None:
        """What ``drama-bot run`` does once logged in (in the background: the bot serves
        with the commands Discord already has while this runs)."""
        config = self.bot.config
        wanted = set(config.dev_guild_ids)
        if config.sync_global is True and wanted:
            log.warning(
                "sync_global is true and dev_guild_ids is set: every command shows twice in "
                "those servers (a guild copy and the global one); use sync_global: auto"
            )
        remembered = await self.remembered_guilds()
        synced: set[int] = set()
        for guild_id in config.dev_guild_ids:
            done = await with_retries(
                f"commands to guild {guild_id}",
                lambda g=guild_id: self.sync_guild(g),
                self.pauses,
                guild=guild_id,
            )
            if done is not None:
                synced.add(guild_id)
        stale = remembered - wanted
        for guild_id in sorted(stale):
            cleared = await with_retries(
                f"(remove) commands from guild {guild_id}",
                lambda g=guild_id: self._cleared(g),
                self.pauses,
            )
            if cleared:
                log.info(
                    "removed the commands from guild %d (no longer in dev_guild_ids)", guild_id
                )
                stale.discard(guild_id)
        await self.remember_guilds(synced | (remembered & wanted) | stale)
        if config.syncs_global:
            await self._sync_global_if_changed()
        elif wanted and config.sync_global is None:
            await self._warn_about_global_copies()

    async def _cleared(self, guild_id: int) -> bool:
        # The bot left that server: nothing of ours shows there any more.
        with contextlib.suppress(discord.Forbidden):
            await self.clear_guild(guild_id)
        return True

    async def _sync_global_if_changed(self) -> None:
        key = FINGERPRINT_KEY.format(application_id=self._app)
        if await self._recall(key) == self.fingerprint():
            log.info("global commands unchanged since the last sync; not syncing")
            return
        await with_retries("global commands", self.sync_global, self.pauses)

    async def _warn_about_global_copies(self) -> None:
        try:
            existing = await self.bot.tree.fetch_commands()
        except (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError):
            return
        if existing:
            log.warning(
                "the application also has %d global commands, so they show twice in the dev "
                "guilds; remove them with `drama-bot sync --clear-global`",
                len(existing),
            )


async def run_sync_operations(
    bot: DramaCore, clear_guilds: list[int], clear_global: bool, out: Callable[[str], Any]
) -> bool:
    """``drama-bot sync``: without options, sync what the config asks for now (even when
    unchanged); with ``--clear-guild``/``--clear-global``, remove those copies instead."""
    sync = CommandSync(bot, pauses=(1.0, 2.0, 4.0))
    ok = True
    if clear_guilds or clear_global:
        remembered = await sync.remembered_guilds()
        for guild_id in clear_guilds:
            removed = await with_retries(
                f"(remove) commands from guild {guild_id}",
                lambda g=guild_id: sync.clear_guild(g),
                sync.pauses,
            )
            if removed is None:
                ok = False
                continue
            remembered.discard(guild_id)
            out(f"guild {guild_id}: commands removed")
        await sync.remember_guilds(remembered)
        if clear_global:
            cleared = await with_retries("(remove) global commands", sync.clear_global, sync.pauses)
            if cleared is None:
                ok = False
            else:
                out("global: commands removed (Discord may take a while to update every client)")
        return ok
    config = bot.config
    guilds = set(await sync.remembered_guilds())
    for guild_id in config.dev_guild_ids:
        count = await with_retries(
            f"commands to guild {guild_id}",
            lambda g=guild_id: sync.sync_guild(g),
            sync.pauses,
            guild=guild_id,
        )
        if count is None:
            ok = False
            continue
        guilds.add(guild_id)
        out(f"guild {guild_id}: {count} commands synced")
    await sync.remember_guilds(guilds)
    if config.syncs_global:
        count = await with_retries("global commands", sync.sync_global, sync.pauses)
        if count is None:
            ok = False
        else:
            out(f"global: {count} commands synced (they can take a while to show everywhere)")
    elif not config.dev_guild_ids:
        out("nothing to sync: sync_global is false and dev_guild_ids is empty")
    return ok
