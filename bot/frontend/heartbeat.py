"""The heartbeat file: written by the running bot, read by ``drama-bot health``.

While every shard of the process is connected to Discord's gateway, the bot rewrites the file
every ``INTERVAL`` seconds (and at once on connecting or resuming). When a shard disconnects,
the file says so at once and is no longer refreshed; on a clean stop it is removed. So the file
is *stale* when the process hangs or died, *disconnected* when Discord is out of reach, and
*missing* when the bot is not running: ``drama-bot health`` fails in each case (after a grace
period for a disconnection, since short drops are resumed within seconds).

No discord.py here: the health check imports this module without the Discord client.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

INTERVAL = 20.0
#: ``drama-bot health`` defaults: a heartbeat older than this means the process is stuck or
#: gone; a disconnection older than the grace period means Discord is out of reach.
MAX_AGE = 90.0
GRACE = 60.0


class Heartbeat:
    """Tracks which shards are connected and keeps the file up to date."""

    def __init__(self, path: Path, interval: float = INTERVAL) -> None:
        self.path = path
        self.interval = interval
        self.expected: set[int] = {0}
        self.connected: set[int] = set()
        self.disconnected_at: float | None = None
        self._task: asyncio.Task[None] | None = None
        self._failed_once = False
        self._stopped = False

    @property
    def healthy(self) -> bool:
        return bool(self.expected) and self.expected <= self.connected

    def expect(self, shards: Iterable[int]) -> None:
        self.expected = set(shards)

    def up(self, shard: int) -> None:
        self.connected.add(shard)
        if self.healthy:
            self.disconnected_at = None
        self.write()

    def down(self, shard: int) -> None:
        was_healthy = self.healthy
        self.connected.discard(shard)
        if was_healthy or self.disconnected_at is None:
            self.disconnected_at = time.time()
        self.write()

    def start(self) -> None:
        """Write the file now (still connecting: healthy for the grace period) and keep it
        fresh; first, say so when another live process keeps this very file (the same config
        started twice: round 16)."""
        if (other := running_elsewhere(self.path)) is not None:
            log.warning(RUNNING_TWICE, other, self.path)
        if not self.healthy and self.disconnected_at is None:
            self.disconnected_at = time.time()
        self.write()
        if self._task is None:
            self._task = asyncio.create_task(self._refresh(), name="heartbeat")

    async def stop(self) -> None:
        """On a clean stop: no more refreshes, and no file (the bot is not running)."""
        self._stopped = True  # the disconnect that follows the stop must not write it again
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        with contextlib.suppress(OSError):
            self.path.unlink()

    async def _refresh(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            if self.healthy:
                self.write()

    def write(self) -> None:
        if self._stopped:
            return
        state = {
            "pid": os.getpid(),
            "connected": self.healthy,
            "shards": sorted(self.expected),
            "connected_shards": sorted(self.connected),
            "disconnected_at": self.disconnected_at,
            "written_at": time.time(),
        }
        temporary = self.path.with_name(self.path.name + ".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(state), "utf-8")
            os.replace(temporary, self.path)
        except OSError as exc:
            if not self._failed_once:  # once: a read-only volume would flood the log
                log.warning("cannot write the heartbeat file %s: %s", self.path, exc.strerror)
                self._failed_once = True


RUNNING_TWICE = (
    "another drama-bot process (pid %d) is running with this config: it refreshes the same "
    "heartbeat file %s. Both log in as the bot and serve the same shards, and `drama-bot "
    "health` follows whichever wrote last; stop one of them (or give each process its own "
    "shard_ids and heartbeat_file)"
)


def running_elsewhere(path: Path, max_age: float = MAX_AGE) -> int | None:
    """The process id of another live process whose heartbeat ``path`` is (fresh), or None."""
    try:
        if time.time() - path.stat().st_mtime > max_age:
            return None
        pid = json.loads(path.read_text("utf-8")).get("pid")
    except (OSError, ValueError, AttributeError):
        return None
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0 or pid == os.getpid():
        return None
    try:
        os.kill(pid, 0)  # (no signal sent: whether the process exists)
    except ProcessLookupError:
        return None
    except OSError:
        return pid  # (it exists, as another user's)
    return pid


@dataclass(frozen=True, slots=True)
class Health:
    ok: bool
    message: str


def check_health(path: Path, max_age: float = MAX_AGE, grace: float = GRACE) -> Health:
    """Read the heartbeat file: is the bot running and connected to Discord?"""
    try:
        age = time.time() - path.stat().st_mtime
        state = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return Health(False, f"unhealthy: no heartbeat file {path} (the bot is not running)")
    except (OSError, ValueError) as exc:
        return Health(False, f"unhealthy: cannot read the heartbeat file {path}: {exc}")
    if not isinstance(state, dict):
        return Health(False, f"unhealthy: {path} is not a heartbeat file")
    if age > max_age:
        return Health(False, f"unhealthy: last heartbeat {age:.0f} s ago (more than {max_age:g} s)")
    shards = ", ".join(map(str, state.get("shards", []))) or "0"
    if state.get("connected"):
        return Health(
            True, f"healthy: connected to Discord (shards {shards}), heartbeat {age:.0f} s ago"
        )
    since = state.get("disconnected_at")
    away = time.time() - since if isinstance(since, int | float) else 0.0
    if away > grace:
        return Health(False, f"unhealthy: disconnected from Discord for {away:.0f} s")
    return Health(True, f"healthy: reconnecting to Discord (away {away:.0f} s)")
