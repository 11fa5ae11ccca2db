"""Keeping the built catalog in the database for the next start, and finding and
verifying a kept one that fits these very cards (``bot.catalog.derived``)."""

from __future__ import annotations

import asyncio
import logging
import sqlite3

from bot.cards.freeing import free_in_slices
from bot.cards.turns import in_thread, in_turn
from bot.catalog import derived
from bot.catalog.entries import Entry, fingerprint_of, slugs_shared
from bot.catalog.heap import collector_paused, hand_back, release
from bot.catalog.known_texts import KnownTexts
from bot.catalog.snapshot import Catalog
from bot.catalog.store import MEMORY
from bot.matching.index import NameIndex

log = logging.getLogger("bot.catalog.service")  # (the service's records, as before the split)


class Keeping:
    """The kept catalog: keep, find, verify (``CatalogService``'s part)."""

    async def _kept_for(self, entries: dict[str, Entry]) -> bool:
        """Whether the database keeps a catalog built from exactly these cards by this code."""
        if self.store.path == MEMORY or not entries:
            return False
        print_ = await in_thread(fingerprint_of, entries)
        self._start_print = (entries, print_)
        try:
            kept = await self.store.get_meta(derived.META_KEY)
        except sqlite3.Error:
            return False
        return derived.header(kept, print_) is not None

    async def _nothing_kept(self) -> bool:
        """Whether the start's reading ahead found no kept catalog at all in the database (a
        first start): then there is none to look for, and no fingerprint to work out before
        the build (it is worked out when the new catalog is kept, after it serves)."""
        if self._ahead is None or not await self._ahead.kept_nothing():
            return False
        ahead, self._ahead = self._ahead, None
        await ahead.drop()
        return True

    async def _kept_catalog(self, print_: str, entries: dict[str, Entry]) -> Catalog | None:
        """The catalog of exactly these cards from what an earlier build kept, or None."""
        if self._ahead is not None:
            ahead, self._ahead = self._ahead, None
            taken = await ahead.take(print_)
            if taken is not None:
                held = taken[1].pop(derived.TEXTS, None)
                catalog = await in_thread(_assembled, entries, taken[1])
                if catalog is not None:
                    self._kept = (catalog.lineage, taken[0])
                    await self._texts_held(held)
                    return catalog
                await release([taken[1]])  # (it does not fit: not held while read again)
                del taken
        try:
            values = await self.store.meta_values(derived.META_KEY)
        except sqlite3.Error as exc:
            log.info("no kept catalog read from the database (%s); building it", exc)
            return None
        values_head = _text(values.get(derived.META_KEY))
        head = derived.header(values_head, print_)
        if head is None:
            return None
        parts = [values.get(f"{derived.META_KEY}.{n}") for n in range(head[0])]
        values.clear()
        # (not one card made: the kept fields hold their own texts, or the serving catalog's)
        texts: list[str] = []
        built = await in_thread(_decode_built, parts, head[1], self._texts, texts)  # (emptied)
        if built is None:
            log.info("the catalog kept in the database does not fit; building it")
            return None
        catalog = await in_thread(_assembled, entries, built)
        if catalog is not None:
            self._kept = (catalog.lineage, str(values_head))
            await self._texts_held(texts)
        return catalog

    async def _texts_held(self, texts: object) -> None:
        """Hold the texts of the catalog just read back, for the next read-back to take in
        place of equal ones (``bot.catalog.known_texts``); the last ones let go."""
        if isinstance(texts, list):
            old, self._texts = self._texts, texts
            await in_thread(free_in_slices, old)

    def _keep_later(self, entries: dict[str, Entry], print_: str | None) -> None:
        """Keep what the build made in the database for the next start, in the background
        (the catalog already serves); a newer catalog cancels it (it keeps its own)."""
        if self._keeping is not None:
            self._keeping.cancel()
        self._keeping = asyncio.ensure_future(self._keep(self.catalog, entries, print_))

    async def _keep(self, catalog: Catalog, entries: dict[str, Entry], print_: str | None) -> None:
        """Store ``catalog``'s built parts (a cache: a failure only means the next start
        builds them again). Encoded in a worker thread, a piece at a time; written in one
        transaction under the reload lock, if ``catalog`` still serves."""
        try:
            if print_ is None:
                print_ = await in_thread(fingerprint_of, entries)
                self._served_print = (entries, print_)  # (an edit's next one adds to it)
            if self._kept is not None and self._kept[0] == catalog.lineage:
                # An in-place edit that shares every built part with the kept catalog: the
                # parts stay; only the fingerprint (the cards they fit) changes.
                head = derived.refingerprinted(self._kept[1], print_)
                async with self._lock:
                    if self.catalog is catalog and head is not None:
                        await self.store.set_meta({derived.META_KEY: head})
                        self._kept = (catalog.lineage, head)
                if head is not None:
                    return
            head, parts = await in_thread(_encode, print_, catalog)
            values: dict[str, str | bytes] = {derived.META_KEY: head}
            values |= {f"{derived.META_KEY}.{n}": part for n, part in enumerate(parts)}
            parts.clear()
            async with self._lock:
                if self.catalog is catalog:
                    self._kept = None  # (until the new parts are in)
                    await self.store.set_meta(values, clear_prefix=derived.META_KEY)
                    self._kept = (catalog.lineage, head)
            await in_thread(values.clear)  # (freed off the event loop, as above)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the database is closed, busy, full...: only a cache
            log.info("the built catalog was not kept in the database (%s)", exc)


@in_turn
def _assembled(entries: dict[str, Entry], built: dict[str, object]) -> Catalog | None:
    """Catalog.assembled in a worker thread, the collector paused; then what reading the
    stored cards and the kept parts freed is handed back (the last step of a warm start)."""
    with collector_paused():
        titles = built.get("titles")
        if isinstance(titles, NameIndex):
            slugs_shared(entries, titles.order)
        catalog = Catalog.assembled({slug: e.held for slug, e in entries.items()}, built)
    hand_back()
    return catalog


@in_turn
def _encode(print_: str, catalog: Catalog) -> tuple[str, list[bytes]]:
    """derived.encode in a worker thread, the collector paused: the pickler's memo keeps
    millions of small objects alive until it is done, and each full collection meanwhile
    walks them all, holding the GIL (up to 0.6 s at 100,000 cards)."""
    with collector_paused():
        return derived.encode(print_, catalog)


@in_turn
def _decode_built(
    parts: list[object], checksum: str, texts: list[str], held: list[str]
) -> dict[str, object] | None:
    """derived.decode in a worker thread, the collector paused: it makes millions of objects.
    Empties ``parts`` here too: freeing a hundred megabytes of parts on the event loop stalls
    it (0.3 s at 100,000 cards). ``texts``: those the serving catalog holds, taken in place
    of equal ones read (``bot.catalog.known_texts``); ``held``: given the texts it holds."""
    with collector_paused():
        known = KnownTexts(texts) if texts else None
        try:
            built = derived.decode(parts, checksum, known=known, held=held)  # type: ignore[arg-type]
        finally:
            if known is not None:
                known.let_go()
        parts.clear()
        return built


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
