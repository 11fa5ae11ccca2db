"""Watching the cards folder for changes (the maintained ``watchfiles`` library: inotify on
Linux, polling where the file system gives no events; ``WATCHFILES_FORCE_POLLING=1`` forces
polling, e.g. for network mounts)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import watchfiles

from bot.cards.reader import CARD_SUFFIX

log = logging.getLogger(__name__)

#: Changes closer together than this are handled as one (an editor's save, a `git pull`).
DEBOUNCE_MS = 400
#: How long to wait before watching again when the folder is missing or the watch failed.
RETRY_SECONDS = 2.0


def _relevant(_change: watchfiles.Change, path: str) -> bool:
    name = Path(path).name
    return not name.startswith(".") and (name.endswith((CARD_SUFFIX, ".yml")))


async def folder_changes(
    directory: Path, *, debounce_ms: int = DEBOUNCE_MS, stop: asyncio.Event | None = None
) -> AsyncIterator[set[str] | None]:
    """Yield the names of changed card files, batch by batch, until ``stop`` is set.

    ``None`` means "something changed that a name does not describe" (the folder itself came
    back, the watch had to restart): read the whole folder. Never raises for a missing or
    unreadable folder; it waits for it to come (back)."""
    while stop is None or not stop.is_set():
        watched = _identity(directory)
        if watched is None:
            await _pause(stop)
            continue
        try:
            async for changes in watchfiles.awatch(
                directory,
                watch_filter=_relevant,
                debounce=debounce_ms,
                step=50,
                stop_event=stop,
                recursive=False,
                ignore_permission_denied=True,
                rust_timeout=int(RETRY_SECONDS * 1000),
                yield_on_timeout=True,
            ):
                if changes:
                    yield {Path(path).name for _change, path in changes}
                elif _identity(directory) != watched:  # replaced or remounted: watch anew
                    break
        except (OSError, RuntimeError) as exc:  # the folder went away under the watch
            log.warning("watching %s stopped (%s); watching again", directory, exc)
        if stop is not None and stop.is_set():
            return
        await _pause(stop)
        yield None  # whatever happened while nothing watched


def _identity(directory: Path) -> tuple[int, int] | None:
    """Which folder this is (device and inode); None when there is none."""
    try:
        info = directory.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino) if directory.is_dir() else None


async def _pause(stop: asyncio.Event | None) -> None:
    if stop is None:
        await asyncio.sleep(RETRY_SECONDS)
        return
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), RETRY_SECONDS)
