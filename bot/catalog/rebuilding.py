"""A full reload's new catalog built in a worker process and read back from the database
(``bot.catalog.build_worker``)."""

from __future__ import annotations

import asyncio
import dataclasses
import logging

from bot import process_caches
from bot.cards.loader import FolderScan
from bot.cards.turns import in_thread, in_turn
from bot.catalog import derived
from bot.catalog.build_worker import BuildFailed, CodeChanged, build_and_keep
from bot.catalog.entries import Entry, fingerprint_of
from bot.catalog.folder_scan import packed
from bot.catalog.heap import hand_back, release, serving_allocator
from bot.catalog.lazy_cards import LazyCards
from bot.catalog.reload_plan import MAX_EDITS_IN_PLACE, Plan
from bot.catalog.reload_report import ReloadReport, rehomed
from bot.catalog.reload_worker import Request, started
from bot.catalog.snapshot import Catalog
from bot.catalog.store import MEMORY

log = logging.getLogger("bot.catalog.service")  # (the service's records, as before the split)


class Rebuilding:
    """Building a reload's catalog off this process (``CatalogService``'s part)."""

    def _off_process(self, plan: Plan) -> bool:
        """Whether this reload's new catalog is built in a worker process and read back."""
        return self.store.path != MEMORY and len(plan.entries) >= self.build_worker_from

    def _apart(self, only: set[str] | None, full: bool) -> bool:
        """Whether this reload is done in a worker process (``bot.catalog.reload_worker``):
        a database file this process alone has nothing pending for, a catalog big enough,
        and a reload that may well be a full build (every file read, the whole folder
        listed, or more files named than are updated in place)."""
        return (
            self.store.path != MEMORY
            and len(self._entries) >= self.build_worker_from
            and not (self._pending_upserts or self._pending_removed or self._pending_restamped)
            and not self._rewrite
            and (full or only is None or len(only) > MAX_EDITS_IN_PLACE)
        )

    async def _reload_apart(
        self,
        only: set[str] | None,
        full: bool,
        confirm: bool,
        began: float,
        scanned: FolderScan | None = None,
    ) -> ReloadReport | None:
        """The reload done in a worker process; its report, or None when the worker cannot
        do it (the caller reloads here). ``scanned``: the folder as this process just listed
        it (the worker plans from it and does not list the folder again). Raises
        :class:`BuildFailed` when the cards passed their checks and were written but the
        catalog was not built, kept and read back (the last good catalog keeps serving)."""
        listing = None if scanned is None else await in_thread(packed, scanned)
        if only is None and listing is None:  # (the worker lists it: the journal starts anew)
            await in_thread(self._journal_anew)
        request = Request(
            self.store.path,
            self.data_dir,
            self.store.busy_timeout_ms,
            await self._print_served(),
            None if only is None else sorted(only),
            not full,
            full,
            confirm,
            self.max_removed_share,
            self._unsettled,
        )
        if self.shown is not None:
            self.shown("starting", 0, 0)
        try:
            worker = await started(request, listing, self.reload_timeout_s, self.shown)
        except (OSError, RuntimeError, AssertionError) as exc:
            log.warning("the reload's process could not start (%s); reloading here", exc)
            return None
        try:
            try:
                outcome = await in_thread(worker.checked)
            except BuildFailed as exc:
                self._not_applied(exc, "the reload's process did not reload")
                raise
            if outcome.linked and self._journal is not None:
                self._journal.close()  # (a card reached through a link: no events for it)
                self._journal = None
            plan = Plan({}, errors=list(outcome.errors), diff=outcome.diff)
            plan.parsed, plan.listed, plan.folder_ok = (
                outcome.parsed,
                outcome.listed,
                outcome.folder_ok,
            )
            if outcome.kind == "here":
                log.warning("the reload's process did not reload (%s); reloading here", outcome.why)
                return None
            self._unsettled = bool(plan.errors) or not plan.folder_ok
            if outcome.kind == "errors":
                log.warning("reload refused: %d errors in the cards", len(plan.errors))
                return self._report(False, plan, began, errors=plan.errors)
            if outcome.kind == "refused":
                log.warning("reload refused: %s (%s)", outcome.refused, self.data_dir)
                self._unsettled = True  # (the next reload looks at the whole folder again)
                report = self._report(False, plan, began, refused=outcome.refused)
                return dataclasses.replace(report, guard=outcome.guard)
            if outcome.kind == "nothing":
                return self._applied(plan, began, outcome.titles)
            if self._keeping is not None:
                self._keeping.cancel()  # (what it would keep is replaced in the database now)
            self._kept = None  # (the worker replaces what the database keeps)
            try:
                await in_thread(worker.kept)
                if self.shown is not None:
                    self.shown("taking in", 0, 0)
                await self._made_let_go()
                entries, catalog = await self._read_back(outcome.print_)
            except BaseException as exc:
                self._not_applied(exc, "the new catalog could not be built and read back")
                raise
        except asyncio.CancelledError:
            worker.stop()  # (the thread waiting for its answer gets one now)
            raise
        except BuildFailed:
            # What the folder's journal named before this reload was handed to it: the next
            # reload lists the whole folder again, rather than only what changed since.
            self._unsettled = True
            raise
        finally:
            await in_thread(worker.close)
        garbage: list[object] = [self.catalog, self._entries]
        self.catalog, self._entries = catalog, entries
        self._served_print = (entries, outcome.print_)  # (checked by the read-back)
        self._release_later(garbage, then=self._settle)
        plan.diff, titles = await in_thread(rehomed, plan.diff, outcome.titles, entries)
        return self._applied(plan, began, titles)

    async def _made_let_go(self, *, caches: bool = True) -> None:
        """Where CPython's own allocator serves, the cards answers made of the serving
        catalog are let go before its successor is read back beside it (:func:`_forget_made`);
        elsewhere nothing changes (jemalloc reads it into a build arena of its own).
        ``caches``: the process's caches too (``process_caches``: made again once the old
        catalog is freed, which only a full reload does)."""
        if serving_allocator() == "pymalloc":
            await in_thread(_forget_made, self.catalog, self._entries)
            if caches:
                await in_thread(process_caches.forget)

    @in_turn  # (the hand-back in a turn, as heap.release's)
    def _settle(self) -> None:
        """After a full reload's old catalog is freed (in a worker thread): where CPython's
        own allocator serves, the tables :meth:`_made_let_go` emptied are made again, among the
        new catalog, not by the next answer; then the C allocator's free memory goes back."""
        if serving_allocator() == "pymalloc":
            process_caches.remake()
            hand_back()

    async def _print_served(self) -> str:
        """The fingerprint of the cards served: known after a reload read them back, else
        worked out (in a thread: a sort and a hash of every card's digest)."""
        known = self._served_print
        if known is not None and known[0] is self._entries:
            return known[1]
        return await in_thread(fingerprint_of, self._entries)

    def _applied(self, plan: Plan, began: float, titles: dict[str, str]) -> ReloadReport:
        report = self._report(True, plan, began, errors=plan.errors, titles=titles)
        log.info(
            "catalog loaded: %d cards (%d added, %d changed, %d removed; %d files read) in %.2fs",
            report.total,
            len(plan.diff.added),
            len(plan.diff.changed),
            len(plan.diff.removed),
            plan.parsed,
            report.seconds,
        )
        return report

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
        print_ = await in_thread(fingerprint_of, plan.entries)
        if self._keeping is not None:
            self._keeping.cancel()  # (what it would keep is replaced in the database now)
        try:
            if derived.header(await self.store.get_meta(derived.META_KEY), print_) is None:
                self._kept = None  # (the worker replaces what the database keeps)
                store = self.store
                try:
                    await in_thread(
                        build_and_keep,
                        store.path,
                        print_,
                        store.busy_timeout_ms,
                        self.reload_timeout_s,
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
            await self._made_let_go()
            entries, catalog = await self._read_back(print_)
        except BaseException as exc:
            self._not_applied(exc, "the new catalog could not be built and read back")
            raise
        garbage: list[object] = [self.catalog]
        self.catalog = catalog
        self._release_later(garbage, then=self._settle)
        return entries

    async def _read_back(self, print_: str) -> tuple[dict[str, Entry], Catalog]:
        """The cards and the catalog the database keeps, as a warm start reads them; raises
        :class:`BuildFailed` unless they are exactly the cards of fingerprint ``print_``."""
        entries, damaged = await self._stored_entries()
        if damaged:
            raise BuildFailed(f"{damaged} damaged card rows in the database")
        if await in_thread(fingerprint_of, entries) != print_:
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


@in_turn
def _forget_made(catalog: Catalog, entries: dict[str, Entry]) -> int:
    """Let the cards answers made of the serving catalog go just before the new catalog is
    read back beside it (in a worker thread); how many went. The few cards asked for
    meanwhile are made again from their stored bodies.

    Where CPython's own allocator serves, a full reload's new catalog is made into the room
    the process holds: the made cards (a fifth of the in-use memory at 20,000 cards after
    2,000 questions) are scattered through every arena, among what outlives every catalog,
    so with them alive the new catalog needed 15 to 16 fresh arenas that nothing empties
    afterwards. Let go first, the new catalog fills their holes instead
    (docs/performance.md, branch ``pingpong13``)."""
    cards = catalog.cards
    if not isinstance(cards, LazyCards):
        return 0
    return cards.forget_made((slug, entry.held) for slug, entry in entries.items())
