"""Putting a new catalog in place (built off the event loop) and freeing the one it
replaced in the background."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from bot.cards.model import Card
from bot.cards.turns import in_thread, in_turn
from bot.catalog.entries import Entry, fingerprint_of
from bot.catalog.heap import Shared, collector_paused, release
from bot.catalog.snapshot import Catalog
from bot.catalog.store import MEMORY

log = logging.getLogger("bot.catalog.service")  # (the service's records, as before the split)


class Swapping:
    """The swap and the release (``CatalogService``'s part)."""

    async def _swap(
        self,
        entries: dict[str, Entry],
        edited: list[Card] | None = None,
        *,
        writing: asyncio.Future[None] | None = None,
        edited_print: str | None = None,
    ) -> None:
        """Build the new catalog off the event loop and put it in place; the old one is freed
        in a worker thread too (freeing millions of objects takes as long as making them).
        ``edited``: only these cards changed (none added or removed): the new catalog shares
        what they leave as it was with the current one (:meth:`Catalog.updated`), and
        ``edited_print`` is the fingerprint of ``entries`` when the service could tell it from
        the served one's (a term per edited card; else it is worked out when kept).

        A full build reuses the computed similarity kept in the database for these very cards
        (``bot.catalog.derived``), and keeps what it computed for the next start. ``writing``:
        the database write of these cards, running meanwhile; the new catalog is put in place
        only if it succeeds (else it is freed and the write's error raised)."""
        garbage: list[object] = [self.catalog]
        keep = self.store.path != MEMORY
        if edited is not None:
            new = await in_thread(_update, self.catalog, edited)
            print_ = edited_print  # (None: worked out later, not while the reload waits)
        elif keep and await self._nothing_kept():  # (a first start: built at once)
            print_ = None  # (worked out when kept, after the new catalog serves)
            new = await in_thread(_build, entries)
        else:
            print_ = await in_thread(fingerprint_of, entries, self._start_print) if keep else ""
            kept = await self._kept_catalog(print_, entries) if keep else None
            new = kept or await in_thread(_build, entries)
            if kept is not None:
                keep = False  # kept already
        if edited is None and (keep or print_ is None):
            # Built here: the texts a read-back held are not this catalog's (known_texts).
            garbage.append(self._texts)
            self._texts = []
        if writing is not None:
            try:
                await writing
            except BaseException as exc:
                self._release_later([new])  # (it never served)
                if not isinstance(exc, asyncio.CancelledError):
                    log.error(
                        "the cards could not be stored in the database (%s); not applied: "
                        "the last good catalog (%d cards) keeps serving",
                        exc,
                        len(self.catalog),
                    )
                raise
        if edited is not None and new.cards is not self.catalog.cards:
            # (the new catalog's cards: a copy of these, the edited ones put in)
            garbage.insert(0, Shared(self.catalog.cards))
        self.catalog = new
        if print_:
            self._served_print = (entries, print_)
        keep = keep and self.store.path != MEMORY  # (the write may have replaced the database)
        if keep:
            self._keep_later(entries, print_)
        self._release_later(garbage)

    def _release_later(
        self, garbage: list[object], then: Callable[[], object] | None = None
    ) -> None:
        """Free what a reload replaced in the background, after what is being freed already:
        the reload is done (and reported) when the new catalog serves. ``then``: called in a
        worker thread once it is freed."""
        before = self._releasing

        async def releasing() -> None:
            if before is not None:
                try:
                    await before
                except Exception:  # (housekeeping: this garbage is freed all the same)
                    log.exception("freeing a replaced catalog failed")
            await release(garbage)
            if then is not None:
                await in_thread(then)

        self._releasing = asyncio.ensure_future(releasing())

    async def _released(self) -> None:
        """Wait until what earlier reloads replaced is freed."""
        if self._releasing is not None:
            releasing, self._releasing = self._releasing, None
            try:
                await releasing
            except Exception:  # freeing is housekeeping: it never fails a reload
                log.exception("freeing a replaced catalog failed")


@in_turn
def _update(catalog: Catalog, edited: list[Card]) -> Catalog:
    """Catalog.updated in a worker thread, the collector paused."""
    with collector_paused():
        return catalog.updated(edited)


@in_turn
def _build(entries: dict[str, Entry]) -> Catalog:
    """Catalog.build in a worker thread, the collector paused (see ``bot.catalog.heap``)."""
    with collector_paused():
        return Catalog.build([entry.card for entry in entries.values()])
