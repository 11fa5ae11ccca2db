"""Per-server settings: a server's default streaming region and the channels where the bot
answers publicly. Kept in the store (they survive reloads and restarts), cached in memory."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from dataclasses import dataclass, field

import pycountry

from bot.catalog.store import Store, StoreError

log = logging.getLogger(__name__)

REGION_KEY = "region"
PUBLIC_CHANNELS_KEY = "public_channels"
#: How often the database file is checked for settings another process changed.
FOLLOW_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class ServerSettings:
    region: str | None = None  # ISO 3166-1 alpha-2, used by /stream when no region is given
    public_channels: frozenset[int] = field(default_factory=frozenset)  # empty: everywhere

    def describe(self) -> str:
        """For the log: ``region JP, public in 2 channels`` or ``none``."""
        parts = [f"region {self.region}"] if self.region else []
        if self.public_channels:
            parts.append(f"public in {len(self.public_channels)} channel(s) only")
        return ", ".join(parts) or "none"

    def answers_publicly_in(self, channel_id: int | None, parent_id: int | None = None) -> bool:
        """Public here? ``parent_id``: the channel a thread is in (a forum's, for a forum
        post): a thread of a public channel is public too (round 17: it was private)."""
        chosen = self.public_channels
        return not chosen or channel_id in chosen or (parent_id is not None and parent_id in chosen)


class SettingsBook:
    """Reads and writes servers' settings, and keeps every server's in memory, so that an
    answer never waits for the disk before it is acknowledged (round 17): a stalled disk or a
    lock on the database's files held by another process would let Discord's 3 seconds pass.

    ``load`` reads them all (at start, before the bot connects); a write reads its server's
    back; ``follow`` reads them all again whenever another connection changed the file (a
    shard sharing it, the same config started twice). Until ``load`` has succeeded,
    ``known`` answers only for the servers read so far and ``get`` reads from the store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._cache: dict[int, ServerSettings] = {}
        #: Every server's settings are in ``_cache`` (a server missing has none).
        self._complete = False
        #: Bumped by each write's read-back, so a whole read begun before it never undoes it.
        self._writes = 0

    def known(self, guild_id: int | None) -> ServerSettings | None:
        """The server's settings from memory, or None when only the store can say."""
        if guild_id is None:  # direct messages and user installs: the defaults
            return ServerSettings()
        found = self._cache.get(guild_id)
        if found is None and self._complete:
            return ServerSettings()
        return found

    async def get(self, guild_id: int | None) -> ServerSettings:
        known = self.known(guild_id)
        if known is not None or guild_id is None:
            return known or ServerSettings()
        raw = await self.store.guild_settings(guild_id)
        return self._cache.setdefault(guild_id, _parse(raw))

    async def load(self) -> bool:
        """Read every server's settings into memory; False (nothing changed) when a write
        was read back meanwhile, or the store could not be read (``sqlite3.Error``)."""
        writes = self._writes
        rows = await self.store.every_guild_setting()
        # (in a worker thread: a bot in 50,000 servers with settings held the event loop
        # 0.36 s each time another process wrote to the database)
        every = await asyncio.to_thread(_parse_every, rows)
        if writes != self._writes:
            return False
        self._cache = every
        self._complete = True
        return True

    async def follow(self, every: float = FOLLOW_SECONDS) -> None:
        """Read every server's settings again whenever the database file changed (checked
        each ``every`` seconds off the event loop, on the store's reading thread); runs until
        cancelled. A check or read that fails (the file locked, or being written again) is
        tried at the next one; answers go on from memory meanwhile."""
        seen: int | None = None
        while True:
            await asyncio.sleep(every)
            try:
                version = await self.store.data_version()
                if version != seen and await self.load():
                    seen = version
            except (sqlite3.Error, StoreError, ValueError) as exc:
                log.info("servers' settings not read again this time: %s", exc)

    async def set_region(self, guild_id: int, region: str | None) -> ServerSettings:
        if region is None:
            await self.store.delete_guild_setting(guild_id, REGION_KEY)
        else:
            await self.store.set_guild_setting(guild_id, REGION_KEY, region)
        return await self._refresh(guild_id)

    async def set_public_channels(self, guild_id: int, channels: frozenset[int]) -> ServerSettings:
        if channels:
            value = json.dumps(sorted(channels))
            await self.store.set_guild_setting(guild_id, PUBLIC_CHANNELS_KEY, value)
        else:
            await self.store.delete_guild_setting(guild_id, PUBLIC_CHANNELS_KEY)
        return await self._refresh(guild_id)

    async def _refresh(self, guild_id: int) -> ServerSettings:
        raw = await self.store.guild_settings(guild_id)
        self._writes += 1
        settings = self._cache[guild_id] = _parse(raw)
        return settings


def _parse_every(rows: list[tuple[int, str, str]]) -> dict[int, ServerSettings]:
    """Every server's settings from the settings table's rows."""
    found: dict[int, dict[str, str]] = {}
    for guild_id, key, value in rows:
        found.setdefault(int(guild_id), {})[str(key)] = str(value)
    return {guild: _parse(raw) for guild, raw in found.items()}


def _parse(raw: dict[str, str]) -> ServerSettings:
    """A server's settings from its rows. A value ``/settings`` would never write (another
    process's, a damaged restore's) counts as unset, never as an error: a region that is no
    country's code (``/stream`` would answer "“zz” is not a country" to fans who typed
    none), channels that are no list of IDs, nested too deep to read (RecursionError)."""
    channels: frozenset[int] = frozenset()
    try:
        loaded = json.loads(raw.get(PUBLIC_CHANNELS_KEY, "[]"))
        channels = frozenset(int(c) for c in loaded if str(c).isdigit())
    except (ValueError, TypeError, RecursionError):
        channels = frozenset()  # a damaged value means "everywhere", never a crash
    region = raw.get(REGION_KEY)
    return ServerSettings(region if region is not None and _is_region(region) else None, channels)


def _is_region(code: str) -> bool:
    """An ISO 3166-1 alpha-2 code as ``/settings`` writes it (upper case)."""
    return len(code) == 2 and code.isupper() and pycountry.countries.get(alpha_2=code) is not None
