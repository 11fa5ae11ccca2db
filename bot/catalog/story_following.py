"""The story index kept up to date with the catalog a service serves, off its critical path.

After a start, the index is left as it is when it was last brought up to date with the very
cards served (the catalog's fingerprint, ``bot.catalog.derived``, kept beside it: a warm start
of unchanged cards compares none of them); else it is compared with the served cards (digests
by slug, a piece at a time: only the cards that differ are written). After a reload, only the
cards it added, changed or removed are written. Either runs in a worker thread after
the catalog serves (the start or reload is done, and reported, without it); the FTS5 writes
run in SQLite's C code, which lets go of the GIL. Answers find the index through the catalog
they answer from (:func:`story_index_of`); until its first sync is done, a story search
answers nothing ("not found", as before there was an index).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from bot.cards.turns import give_way, in_thread, in_turn
from bot.catalog import derived
from bot.catalog.heap import hand_back
from bot.catalog.story_index import StoryIndex, pieces, stories_path

if TYPE_CHECKING:
    from bot.catalog.entries import Entry
    from bot.catalog.service import CatalogService, ReloadReport
    from bot.catalog.snapshot import Catalog

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

#: Digests looked up between two give-ways (``turns.give_way``).
DIGESTS_PIECE = 1_024

#: Per catalog served (by ``id``, a catalog being no key: it compares by value), a weak
#: reference to it and its story index; the entry goes with the catalog.
_INDEXES: dict[int, tuple[weakref.ref[Catalog], StoryIndex]] = {}


def story_index_of(catalog: Catalog) -> StoryIndex | None:
    """The story index that answers for ``catalog`` (None: no service serves it)."""
    held = _INDEXES.get(id(catalog))
    return held[1] if held is not None and held[0]() is catalog else None


def _serves(catalog: Catalog, index: StoryIndex) -> None:
    key = id(catalog)

    def gone(ref: weakref.ref[Catalog]) -> None:
        if (held := _INDEXES.get(key)) is not None and held[0] is ref:
            del _INDEXES[key]

    _INDEXES[key] = (weakref.ref(catalog, gone), index)


class StoryFollower:
    """The story index of one service, and the syncs that follow its starts and reloads."""

    def __init__(self, index: StoryIndex) -> None:
        self.index = index
        self._syncing: asyncio.Future[None] | None = None
        self._whole = True  # the next sync compares every card (a start, a failed sync)
        #: How long the last sync took in its thread (wall, its wait for a turn included; not
        #: the event loop's delay in taking up its end), and the thread's CPU for it.
        self.last_seconds = 0.0
        self.last_cpu_seconds = 0.0
        self.last_written = 0  # how many cards' rows it wrote or removed

    def follow(self, service: CatalogService, report: ReloadReport | None) -> None:
        """Sync after ``report`` (None: a start), in the background, after the syncs before."""
        catalog = service.catalog
        if not self.index.placed:
            # Beside the database, once the store is open (in memory, or a file the store
            # could not use: a temporary file)
            store = service.store
            self.index.place(None if store.fallback else stories_path(store.path))
        _serves(catalog, self.index)
        loop = asyncio.get_running_loop()

        def damaged() -> None:  # (a search's thread: the loop's own, or a worker)
            with contextlib.suppress(RuntimeError):  # (the loop closed: the next start heals)
                loop.call_soon_threadsafe(self._heal, service)

        self.index.when_damaged = damaged
        if report is not None and not report.applied:
            return
        whole = self._whole or report is None or self.index.damaged
        entries = service._entries  # (replaced whole by a reload, never changed in place)
        # Their fingerprint, when the service knows it for these very entries (a warm start:
        # worked out for the stored cards and checked against these; a reload's: kept or
        # updated per edited card); else worked out in the worker thread when needed.
        known = service._served_print
        print_ = known[1] if known is not None and known[0] is entries else None
        only: tuple[str, ...] | None = None
        if not whole and report is not None:
            diff = report.diff
            only = (*diff.added, *diff.changed, *diff.removed)
        before = self._syncing
        self._whole = whole

        async def syncing() -> None:
            if before is not None:
                await asyncio.shield(before)
            try:
                written, took = await in_thread(
                    _timed, _sync, self.index, catalog, entries, only, print_
                )
            except (sqlite3.Error, OSError) as exc:
                log.warning("the story index could not be brought up to date: %s", exc)
                self._whole = True
                return
            except Exception:
                log.exception("the story index could not be brought up to date")
                self._whole = True
                return
            self._whole = False
            self.last_written = written
            self.last_seconds, self.last_cpu_seconds = took

        self._syncing = asyncio.ensure_future(syncing())

    def _heal(self, service: CatalogService) -> None:
        """A search found the index damaged or gone while the catalog serves (deleted,
        truncated, overwritten): built again from the served cards now, not at the next
        start or reload (a bot whose cards never change would never find a story again)."""
        if self.index.damaged:
            self.follow(service, None)

    async def settled(self) -> None:
        """Wait for the syncs begun so far."""
        while self._syncing is not None and not self._syncing.done():
            await asyncio.shield(self._syncing)

    async def close(self) -> None:
        self.index.when_damaged = None  # (a search after this heals nothing: the next start)
        if self._syncing is not None:
            await asyncio.gather(self._syncing, return_exceptions=True)
        await asyncio.to_thread(self.index.close)


def _timed(
    function: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs
) -> tuple[R, tuple[float, float]]:
    """``function``'s result, and the wall and this thread's CPU it took (seconds)."""
    wall, cpu = time.perf_counter(), time.thread_time()
    result = function(*args, **kwargs)
    return result, (time.perf_counter() - wall, time.thread_time() - cpu)


@in_turn  # (the catalog's background Python work takes turns: bot.cards.turns)
def _sync(
    index: StoryIndex,
    catalog: Catalog,
    entries: dict[str, Entry],
    only: tuple[str, ...] | None,
    print_: str | None,
) -> int:
    """``StoryIndex.sync`` with the digests of the entries it looks at (in the worker thread,
    a piece at a time: every card's after a start, unless the index holds these very cards:
    then none). ``print_``: the entries' fingerprint, if known."""
    if only is None:
        if print_ is not None and index.holds(print_, len(entries)):
            return 0  # (the index holds these very cards: none compared)
        digests = _digests(entries, entries)
        if print_ is None:  # (a first start: worked out from the digests)
            print_ = _fingerprint(digests)
            if index.holds(print_, len(entries)):
                return 0
    else:
        digests = _digests(entries, [slug for slug in only if slug in entries])
    written = index.sync(catalog.cards, digests, only, fingerprint=print_)
    if only is None or written:
        # What the update freed (SQLite's buffers, the digests compared) handed back now, not
        # kept by the allocator's arena of this worker thread (the 20k bench's RSS was 9 MB
        # over main's without it).
        hand_back()
    return written


def _fingerprint(digests: Mapping[str, str]) -> str:
    """The fingerprint of the cards of ``digests`` (``derived.fingerprint``: a sum of a hash
    per card), a piece at a time, giving way between pieces."""
    total = 0
    for piece in pieces(digests.items(), DIGESTS_PIECE):
        total += derived.fingerprint_sum(piece)
        give_way()
    return derived.fingerprint_of_sum(total)


def _digests(entries: Mapping[str, Entry], named: Iterable[str]) -> dict[str, str]:
    """The digests of the entries ``named``, a piece at a time (each a look into the entry's
    packed record), giving way between pieces."""
    digests: dict[str, str] = {}
    for done, slug in enumerate(named, start=1):
        digests[slug] = entries[slug].digest
        if not done % DIGESTS_PIECE:
            give_way()
    return digests
