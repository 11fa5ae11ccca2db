"""Discord-style snowflake generation.

Snowflakes are 64-bit ids: milliseconds since the Discord epoch in the top 42 bits,
then worker/process/increment bits. The stand-in makes them from the wall clock so
that ``discord.utils.snowflake_time`` gives plausible values.
"""

from __future__ import annotations

import itertools
import time

DISCORD_EPOCH_MS = 1_420_070_400_000


class SnowflakeFactory:
    """Hands out unique, increasing snowflakes (as ``int``)."""

    def __init__(self, worker_id: int = 1, process_id: int = 0) -> None:
        self._worker_id = worker_id & 0x1F
        self._process_id = process_id & 0x1F
        self._counter = itertools.count()
        self._last = 0

    def next(self) -> int:
        now_ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        increment = next(self._counter) & 0xFFF
        value = (now_ms << 22) | (self._worker_id << 17) | (self._process_id << 12) | increment
        if value <= self._last:
            value = self._last + 1
        self._last = value
        return value

    def next_str(self) -> str:
        return str(self.next())


def snowflake_time_ms(snowflake: int) -> int:
    """Unix time in milliseconds encoded in ``snowflake``."""
    return (snowflake >> 22) + DISCORD_EPOCH_MS
