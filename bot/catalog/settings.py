"""Per-server settings: a server's default streaming region and the channels where the bot
answers publicly. Kept in the store (they survive reloads and restarts), cached in memory."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from bot.catalog.store import Store

REGION_KEY = "region"
PUBLIC_CHANNELS_KEY = "public_channels"


@dataclass(frozen=True, slots=True)
class ServerSettings:
    region: str | None = None  # ISO 3166-1 alpha-2, used by /stream when no region is given
    public_channels: frozenset[int] = field(default_factory=frozenset)  # empty: everywhere

    def answers_publicly_in(self, channel_id: int | None) -> bool:
        return not self.public_channels or channel_id in self.public_channels


class SettingsBook:
    """Reads and writes servers' settings; reads come from memory after the first one."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._cache: dict[int, ServerSettings] = {}

    async def get(self, guild_id: int | None) -> ServerSettings:
        if guild_id is None:  # direct messages and user installs: the defaults
            return ServerSettings()
        if guild_id not in self._cache:
            raw = await self.store.guild_settings(guild_id)
            self._cache[guild_id] = _parse(raw)
        return self._cache[guild_id]

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
        self._cache.pop(guild_id, None)
        return await self.get(guild_id)


def _parse(raw: dict[str, str]) -> ServerSettings:
    channels: frozenset[int] = frozenset()
    try:
        loaded = json.loads(raw.get(PUBLIC_CHANNELS_KEY, "[]"))
        channels = frozenset(int(c) for c in loaded if str(c).isdigit())
    except (ValueError, TypeError):
        channels = frozenset()  # a damaged value means "everywhere", never a crash
    region = raw.get(REGION_KEY)
    return ServerSettings(region if region and len(region) == 2 else None, channels)
