"""The kept catalog (``bot.catalog.derived``) read and decoded from the very start of a start,
while the stored cards are read and the folder is listed, instead of after them.

A warm start's longest step is decoding the kept catalog (about 1 s of CPU at 100,000 cards);
it needs nothing the other steps make but the fingerprint of the stored cards, and that only
to tell whether the parts fit. So they are read (one statement: the header and its parts, a
consistent snapshot) and decoded at once, in a worker thread, on the other core meanwhile;
the parts are used only if the header's fingerprint is the one worked out for the cards served
(as before: ``derived.header``), else they are freed and the start goes on as it did (it reads
the database again, or builds). Reading ahead never decides anything: damage, a stale or
missing header, or a database error only mean it has nothing to offer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3

from bot.cards.turns import in_thread, in_turn
from bot.catalog import derived
from bot.catalog.heap import collector_paused, release
from bot.catalog.store import Store
from bot.matching.common_words import warm as warm_common_words

log = logging.getLogger(__name__)

#: What was read ahead: the header's text, its fingerprint, and the decoded fields.
Read = tuple[str, str, dict[str, object]]
#: What was read ahead when the database keeps no catalog at all (a first start).
NOTHING_KEPT: Read = ("", "", {})


class KeptAhead:
    """Reads and decodes the kept catalog in the background from when it is made; hands it
    over (:meth:`take`) only for the fingerprint it was kept for. Made on the event loop."""

    def __init__(self, store: Store) -> None:
        self._task: asyncio.Future[Read | None] = asyncio.ensure_future(_read(store))

    async def take(self, print_: str) -> tuple[str, dict[str, object]] | None:
        """The header's text and the decoded fields, if they were kept for the cards of
        fingerprint ``print_``; None otherwise (what was read is freed). Once only."""
        try:
            found = await self._task
        except Exception as exc:  # (the start reads it again, the usual way, and says why)
            log.debug("the kept catalog was not read ahead (%s)", exc)
            found = None
        self._task = _nothing()
        if found is None or found is NOTHING_KEPT:
            return None
        text, kept_for, built = found
        if kept_for != print_:
            await release([built])
            return None
        return text, built

    async def kept_nothing(self) -> bool:
        """Whether the database keeps no catalog at all, for any cards (a first start): then
        no fingerprint is needed to look for one. Waits for the reading to end."""
        with contextlib.suppress(Exception):
            return await asyncio.shield(self._task) is NOTHING_KEPT
        return False

    async def drop(self) -> None:
        """Wait for the reading to end, and free what it read if nobody took it."""
        with contextlib.suppress(Exception):
            found = await self._task
            self._task = _nothing()
            if found is not None and found is not NOTHING_KEPT:
                await release([found[2]])


def _nothing() -> asyncio.Future[Read | None]:
    done: asyncio.Future[Read | None] = asyncio.get_running_loop().create_future()
    done.set_result(None)
    return done


async def _read(store: Store) -> Read | None:
    try:
        values = await store.meta_values(derived.META_KEY)
    except (sqlite3.Error, ValueError) as exc:  # (ValueError: the store was closed)
        log.debug("the kept catalog was not read ahead (%s)", exc)
        return None
    text = values.get(derived.META_KEY)
    head = derived.any_header(text if isinstance(text, str) else None)
    if head is None:
        # Nothing kept: the start builds, and the build needs the word lists (half a second
        # of CPU at a cold load's critical path): loaded here, while the cards are read.
        await in_thread(warm_common_words)
        return NOTHING_KEPT
    kept_for, count, checksum = head
    parts = [values.get(f"{derived.META_KEY}.{n}") for n in range(count)]
    values.clear()
    built = await in_thread(_decoded, parts, checksum)  # (parts emptied there)
    if built is None:
        return None
    return str(text), kept_for, built


@in_turn
def _decoded(parts: list[object], checksum: str) -> dict[str, object] | None:
    """derived.decode in a worker thread, the collector paused (it makes millions of
    objects); ``parts`` emptied there too (a hundred megabytes freed on the event loop stall
    it). The word lists the matcher needs are loaded first, as a build does (they would be
    loaded when the catalog is assembled: here it happens beside the rest of the start)."""
    with collector_paused():
        warm_common_words()
        texts: list[str] = []
        built = derived.decode(parts, checksum, held=texts)  # type: ignore[arg-type]
        parts.clear()
        if built is not None:
            built[derived.TEXTS] = texts  # (for a full reload's read-back: known_texts)
        return built
