"""A full reload's new catalog built in a worker process and read back from the database
(``bot.catalog.build_worker``)."""

from __future__ import annotations

import asyncio
import logging

from bot.catalog import derived
from bot.catalog.build_worker import BuildFailed, CodeChanged, build_and_keep
from bot.catalog.entries import Entry, fingerprint_of
from bot.catalog.heap import release
from bot.catalog.reload_plan import Plan
from bot.catalog.snapshot import Catalog
from bot.catalog.store import MEMORY

log = logging.getLogger("bot.catalog.service")  # (the service's records, as before the split)


class Rebuilding:
    """Building a reload's catalog off this process (``CatalogService``'s part)."""

    def _off_process(self, plan: Plan) -> bool:
        """Whether this reload's new catalog is built in a worker process and read back."""
        return self.store.path != MEMORY and len(plan.entries) >= self.build_worker_from

    async def _rebuilt(self, plan: Plan, writes: bool) -> dict[str, Entry]:
        """A whole new catalog for ``plan``, made off this process and read back from the
        database (``bot.catalog.build_worker``); the entries that serve with it. The cards
        are written first; the catalog is put in place only if the write, the build and the
        reading back all succeeded (else the error is raised and the last good catalog keeps
        serving). When the database cannot hold them now (busy: another process writes),
        the catalog is built here, as for a small catalog."""
        if writes:
            try:
                await self._write(plan)
            except BaseException as exc:
                self._not_applied(exc, "the cards could not be stored in the database")
                raise
        pending = self._pending_upserts or self._pending_removed or self._pending_restamped
        if pending or self.store.path == MEMORY:  # (the write may have replaced the database)
            await self._swap(plan.entries)
            return plan.entries
        print_ = await asyncio.to_thread(fingerprint_of, plan.entries)
        if self._keeping is not None:
            self._keeping.cancel()  # (what it would keep is replaced in the database now)
        try:
            if derived.header(await self.store.get_meta(derived.META_KEY), print_) is None:
                self._kept = None  # (the worker replaces what the database keeps)
                store = self.store
                try:
                    await asyncio.to_thread(
                        build_and_keep, store.path, print_, store.busy_timeout_ms
                    )
                except CodeChanged as exc:
                    log.warning("%s; building the new catalog in this process", exc)
                    await self._swap(plan.entries)
                    return plan.entries
            # What the reload made for itself (the cards it read, the rows it wrote) is freed
            # before the catalog is read back, so that nothing long-lived is made among it.
            made: list[object] = [plan.entries, plan.upserts]
            plan.entries, plan.upserts = {}, []
            await release(made)
            entries, catalog = await self._read_back(print_)
        except BaseException as exc:
            self._not_applied(exc, "the new catalog could not be built and read back")
            raise
        garbage: list[object] = [self.catalog]
        self.catalog = catalog
        self._release_later(garbage)
        return entries

    async def _read_back(self, print_: str) -> tuple[dict[str, Entry], Catalog]:
        """The cards and the catalog the database keeps, as a warm start reads them; raises
        :class:`BuildFailed` unless they are exactly the cards of fingerprint ``print_``."""
        entries, damaged = await self._stored_entries()
        if damaged:
            raise BuildFailed(f"{damaged} damaged card rows in the database")
        if await asyncio.to_thread(fingerprint_of, entries) != print_:
            raise BuildFailed("the database holds other cards than this reload wrote")
        catalog = await self._kept_catalog(print_, entries)
        if catalog is None:
            raise BuildFailed("the catalog the build process kept does not fit")
        return entries, catalog

    def _not_applied(self, exc: BaseException, what: str) -> None:
        if not isinstance(exc, asyncio.CancelledError):
            log.error(
                "%s (%s); not applied: the last good catalog (%d cards) keeps serving",
                what,
                exc,
                len(self.catalog),
            )
