"""The catalog service: loads cards into the store and swaps the in-memory catalog on reload.

Both front ends hold one :class:`CatalogService`. A reload either applies completely or not at
all: with any broken card, the last good catalog keeps serving and the report lists every error.

The database is the cache of the cards. Every stored card remembers its file's size, mtime and
content hash, so a start or a reload reads only the files that changed (a start with nothing
changed parses no YAML), and a reload writes only what changed. A reload that would empty the
catalog or remove more than ``max_removed_share`` of it (a failed mount, a wrong path) is
refused unless confirmed. :meth:`CatalogService.watch` reloads by itself when files change.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

from bot.cards.errors import CardError
from bot.cards.loader import FileStamp, FolderScan, Progress
from bot.cards.turns import in_thread
from bot.catalog import derived
from bot.catalog.build_worker import TIMEOUT_S, WORKER_FROM
from bot.catalog.entries import Entry
from bot.catalog.folder_scan import JOURNAL_FROM, Scanning
from bot.catalog.heap import Shared, responsive, switch_build_arena, tune_allocator
from bot.catalog.journal import Journal
from bot.catalog.keeping import Keeping
from bot.catalog.kept_ahead import KeptAhead
from bot.catalog.listing import APART_FROM_BYTES, list_folder_apart
from bot.catalog.opening import recover
from bot.catalog.rebuilding import Rebuilding
from bot.catalog.reload_plan import MAX_EDITS_IN_PLACE, Plan, Planning, small_edit
from bot.catalog.reload_report import (
    TITLED_IN_REPORT,
    ReloadReport,
    log_watched,
    rehomed,
    report_titles,
)
from bot.catalog.reload_worker import Shown
from bot.catalog.snapshot import Catalog, unloaded_cards
from bot.catalog.store import MEMORY, Store, StoredCard
from bot.catalog.stored_cards import CardStorage, made_all
from bot.catalog.story_following import StoryFollower
from bot.catalog.story_index import StoryIndex
from bot.catalog.swapping import Swapping
from bot.catalog.watching import folder_changes

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_MAX_REMOVED_SHARE",
    "JOURNAL_FROM",
    "TITLED_IN_REPORT",
    "CatalogService",
    "ReloadReport",
]

#: A reload may remove at most this share of the catalog unless confirmed.
DEFAULT_MAX_REMOVED_SHARE = 0.5


class CatalogService(Planning, Scanning, CardStorage, Rebuilding, Swapping, Keeping):
    """Owns the current :class:`Catalog`; ``catalog`` is replaced whole, never mutated."""

    def __init__(
        self,
        store: Store,
        data_dir: Path,
        *,
        max_removed_share: float = DEFAULT_MAX_REMOVED_SHARE,
        progress: Progress | None = None,
    ) -> None:
        tune_allocator()  # (before the first catalog: see bot.catalog.heap)
        self.store = store
        self.data_dir = data_dir
        self.max_removed_share = max_removed_share
        self.progress = progress
        #: What to tell of a reload done in a worker process, step by step (its files read
        #: come through ``progress`` too): ``shown(step, done, total)``, see ``Shown``.
        self.shown: Shown | None = None
        self.catalog = Catalog.build([])
        #: The story index (``story_following``), beside the database.
        self.stories = StoryFollower(StoryIndex())  # (placed at the first start)
        self._entries: dict[str, Entry] = {}
        #: The texts of the catalog last read back (``bot.catalog.known_texts``).
        self._texts: list[str] = []
        self._unsettled = True  # the last look at the folder found errors: look at all of it
        self._source = str(data_dir.resolve())
        self._lock = asyncio.Lock()
        self._reloaded = asyncio.Condition()
        # What a busy database could not take yet (another process held the write lock).
        self._pending_upserts: dict[str, StoredCard] = {}
        self._pending_removed: set[str] = set()
        self._pending_restamped: dict[str, FileStamp] = {}
        self._rewrite = False  # a whole write failed: the next write stores every card
        self.last_report: ReloadReport | None = None  # the latest start or reload
        self._keeping: asyncio.Future[None] | None = None  # keeping the built catalog
        # The lineage (Catalog.lineage) of the catalog whose built parts the database keeps,
        # and their header: a catalog of that lineage only needs its fingerprint rewritten.
        self._kept: tuple[int, str] | None = None
        self._releasing: asyncio.Future[None] | None = None  # freeing a replaced catalog
        # The fingerprint worked out at start for the stored cards: the build or read that
        # follows reuses it when the folder held the same cards (it is not worked out twice).
        self._start_print: tuple[dict[str, Entry], str] | None = None
        # The kept catalog, read and decoded from the start of a start (``kept_ahead``).
        self._ahead: KeptAhead | None = None
        # The kernel's record of the folder's changes since it was last listed (big folders
        # only), and the card names it gave that no applied reload has looked at yet.
        self._journal: Journal | None = None
        self._journaled: set[str] = set()
        self.journal_from = JOURNAL_FROM
        self._verifying: asyncio.Future[None] | None = None  # listing after a journaled reload
        self._seen: set[str] | None = None  # what the journal named while it lists
        self._links_found = False  # the last listing found a card reached through a link
        # The cards served and their fingerprint, when a reload's read-back checked it.
        self._served_print: tuple[dict[str, Entry], str] | None = None
        #: From this many cards on, a reload that builds a whole new catalog builds it in a
        #: worker process and reads it back (``bot.catalog.build_worker``).
        self.build_worker_from = WORKER_FROM
        #: How long a reload's worker process (or a full reload's build process) may take
        #: for each answer before it is killed and the reload fails (config
        #: ``reload_timeout_seconds``).
        self.reload_timeout_s = TIMEOUT_S
        #: From this size of the cards folder's directory file, a start lists the folder in
        #: another process (``bot.catalog.listing.list_folder_apart``).
        self.list_apart_from = APART_FROM_BYTES

    # -- starting and reloading ---------------------------------------------------------

    async def start(self, *, confirm: bool = False) -> ReloadReport:
        """First load: the stored catalog, brought up to date with the cards folder.

        Unchanged files are not read at all. With broken cards, or a folder that is missing,
        empty or would remove more than the allowed share, the stored catalog keeps serving;
        with no stored catalog yet, the valid cards are served (better than an empty bot)."""
        with responsive():
            try:
                self.last_report = await self._start(confirm)
            finally:
                self._start_print = None
                ahead, self._ahead = self._ahead, None
                if ahead is not None:
                    await ahead.drop()  # (not taken: the cards changed, or no catalog fit)
        self.stories.follow(self, None)  # (after the catalog serves: story_following)
        return self.last_report

    async def _start(self, confirm: bool) -> ReloadReport:
        async with self._lock:
            await self._released()
            began = time.perf_counter()
            # Listing the folder (system calls; a big one in another process) overlaps
            # decoding the stored cards (CPU).
            scanning = asyncio.ensure_future(
                in_thread(list_folder_apart, self.data_dir, self.list_apart_from)
            )
            # And so does reading and decoding the kept catalog (on the other core).
            if self.store.path != MEMORY:
                self._ahead = KeptAhead(self.store)
            try:
                entries, damaged = await self._stored_entries()
            except sqlite3.DatabaseError as exc:  # damage found past the open-time check
                if self._ahead is not None:
                    ahead, self._ahead = self._ahead, None
                    await ahead.drop()  # (done with the database before it is replaced)
                await recover(self.store, exc)
                entries, damaged = {}, 0
            if await self._kept_for(entries):
                # These very cards passed the checks across cards when they were stored (by
                # this code: its fingerprint says so): unless files changed, they still do.
                # And this code made each of them from these very bodies: they are made
                # into cards when first needed (``bot.catalog.lazy_cards``).
                self._unsettled = False
            elif entries:
                # Not kept for these cards (or by this code): what was read ahead is let go
                # while the cards are made (it was kept for others: the start builds).
                ahead, self._ahead = self._ahead, None
                dropping = asyncio.ensure_future(ahead.drop()) if ahead is not None else None
                damaged += await in_thread(made_all, entries)
                if dropping is not None:
                    await dropping
            if damaged:
                log.warning(
                    "%d damaged card rows in the database; reading those cards again", damaged
                )
            self._entries = entries
            plan = await self._plan(None, scanned=await scanning)
            self._unsettled = bool(plan.errors) or not plan.folder_ok
            if plan.errors and self._entries:
                # (the errors are in the report, for the caller to show once)
                why = (  # a missing or unreadable folder is not a "card error"
                    f"{len(plan.errors)} card errors"
                    if plan.folder_ok
                    else f"cards folder {self.data_dir} {plan.errors[0].message}"
                )
                log.warning(
                    "%s; serving the last good catalog (%d cards) from the database",
                    why,
                    len(self._entries),
                )
                await self._swap(self._entries)
                self._mark_unloaded(plan)
                return self._report(False, plan, began, errors=plan.errors)
            refused = self._guard(plan, confirm=confirm)
            if refused:
                log.warning(
                    "%s (%s); serving the %d cards stored in the database",
                    refused,
                    self.data_dir,
                    len(self._entries),
                )
                await self._swap(self._entries)
                return self._report(False, plan, began, refused=refused)
            if not plan.folder_ok and not plan.entries:
                # Nothing stored and no folder to read: nothing is loaded (the caller says
                # why, or stops), and nothing is built or kept in the database.
                return self._report(False, plan, began, errors=plan.errors)
            if plan.errors and plan.folder_ok:  # (no folder: the caller says so, or stops)
                log.info("no stored catalog; serving the %d valid cards", len(plan.entries))
            report = await self._apply(plan, began, always_build=True)
            self._mark_unloaded(plan)
            return report

    def _mark_unloaded(self, plan: Plan) -> None:
        """Let answers about a card that failed to load say so, rather than "not found"."""
        if plan.unloaded:
            unloaded = unloaded_cards(plan.unloaded)
            self.catalog = dataclasses.replace(self.catalog, unloaded=unloaded)

    async def reload(
        self, *, confirm: bool = False, full: bool = False, names: Iterable[str] | None = None
    ) -> ReloadReport:
        """Re-read the cards that changed; apply only if all are valid and the guard allows.

        ``confirm``: apply even if it empties the catalog or removes more than the allowed
        share. ``full``: read and parse every file, trusting no stamp. ``names``: only these
        ``<slug>.yaml`` files may have changed (a watcher knows), so the folder is not listed;
        ignored after a reload that found errors, which is then done in full."""
        with responsive():
            report = await self._reload(confirm, full, names)
        self.stories.follow(self, report)
        async with self._reloaded:
            self.last_report = report
            self._reloaded.notify_all()
        return report

    async def rewrite_database(self) -> None:
        """The database written whole to its path again (``Store.rewrite_at_path``: its file
        was deleted while the bot ran), between reloads and the keeping of built parts."""
        async with self._lock:
            await self.store.rewrite_at_path()

    async def next_reload(self) -> ReloadReport:
        """Wait for the next reload to finish (``/reload``, the watcher's); its report."""
        async with self._reloaded:
            await self._reloaded.wait()
            assert self.last_report is not None
            return self.last_report

    async def _reload(self, confirm: bool, full: bool, names: Iterable[str] | None) -> ReloadReport:
        async with self._lock:
            await self._released()  # (the last reload's garbage: freed before making more)
            began = time.perf_counter()
            only = None if names is None or self._unsettled else set(names)
            journaled = names is None and not full and not self._unsettled
            if journaled:  # (None when there is no journal, or it cannot vouch: list it all)
                only = await in_thread(self._from_journal)
            if only is None:
                # The whole folder listed: a stamp per file, made while this catalog serves,
                # lands in the holes of the cards answers made, not in fresh arenas that the
                # new catalog would then keep (docs/performance.md, branch ``rss18``).
                await self._made_let_go(caches=False)
            scanned, handed = None, None
            if only is None and not full and self._apart(None, full):
                # The folder listed here first (stamps only: all a reload with nothing or a
                # few files changed needs, half a second at 100,000 cards); a process of its
                # own only when more files changed than are updated in place, handed this
                # listing (it does not list the folder again).
                scanned, to_read, _ = await in_thread(self._changed, None, True, None)
                if len(to_read) > MAX_EDITS_IN_PLACE:
                    scanned, handed = None, scanned
            if scanned is None and self._apart(only, full):  # (None: reloaded here)
                switch_build_arena()  # (what is read back shares no slab with the serving one)
                apart = await self._reload_apart(only, full, confirm, began, handed)
                if apart is not None:
                    if apart.applied and journaled and not apart.listed:
                        self._journaled.clear()  # (applied: every name it gave was looked at)
                        self._verify_later()
                    return apart
            scanned = scanned or handed  # (the worker did not reload: this listing serves)
            plan = await self._plan(only, trust_stamps=not full, scanned=scanned)
            self._unsettled = bool(plan.errors) or not plan.folder_ok
            if plan.errors:
                log.warning("reload refused: %d errors in the cards", len(plan.errors))
                return self._report(False, plan, began, errors=plan.errors)
            refused = self._guard(plan, confirm=confirm)
            if refused:
                log.warning("reload refused: %s (%s)", refused, self.data_dir)
                self._unsettled = True  # (the next reload looks at the whole folder again)
                return self._report(False, plan, began, refused=refused)
            report = await self._apply(plan, began, always_build=full, off_process=True)
            if journaled and not plan.listed:
                self._journaled.clear()  # (applied: every name it gave was looked at)
                self._verify_later()
            return report

    async def watch(self, *, stop: asyncio.Event | None = None) -> None:
        """Reload by itself whenever card files change on disk, until cancelled or ``stop``.

        Only the changed files are read. Broken cards and the removal guard apply exactly as
        to ``/reload``: a wiped or half-copied folder never empties the catalog; such a
        change waits (logged) for a fix or an admin's ``/reload confirm:true``. Every process
        serving the folder runs its own watcher, so each picks up a change by itself. The
        bot starts it as a task; it never raises."""
        log.info("watching %s for changed cards", self.data_dir)
        async for names in folder_changes(self.data_dir, stop=stop):
            try:
                report = await self.reload(names=names)
            except Exception:
                log.exception("reloading changed cards failed; the last catalog keeps serving")
                continue
            log_watched(report)

    # -- the steps ------------------------------------------------------------------------

    def _guard(self, plan: Plan, *, confirm: bool) -> str:
        """Why applying ``plan`` needs a confirmation, or "" when it does not."""
        current = len(self._entries)
        if confirm or current == 0:
            return ""
        removed = len(plan.diff.removed)
        if not plan.folder_ok:
            return "the cards folder cannot be read"
        if not plan.entries:
            return f"the cards folder has no cards; it would remove all {current}"
        if removed / current > self.max_removed_share:
            return (
                f"it would remove {removed} of {current} cards "
                f"(more than {self.max_removed_share:.0%})"
            )
        return ""

    async def _plan(
        self,
        only: set[str] | None,
        *,
        trust_stamps: bool = True,
        scanned: FolderScan | None = None,
    ) -> Plan:
        """Compare the folder with the current cards; read only the files that changed."""
        scan, to_read, listed = await in_thread(self._changed, only, trust_stamps, scanned)
        now_ns = time.time_ns()
        reads = await self._read(scan, to_read, use_hashes=trust_stamps)
        plan = await in_thread(self._merge, scan, reads, now_ns)
        plan.listed = listed
        return plan

    async def _apply(
        self, plan: Plan, began: float, *, always_build: bool, off_process: bool = False
    ) -> ReloadReport:
        # Titles for the report: only the cards it names (every card, after a full reload:
        # worked out in a thread, not on the event loop).
        titles = await in_thread(report_titles, plan, self._entries)
        writes = bool(
            plan.changes_cards
            or plan.restamped
            or self._pending_upserts
            or self._pending_removed
            or self._rewrite
        )
        full_build = plan.changes_cards or always_build
        in_place = plan.changes_cards and not always_build and small_edit(plan.diff)
        merged = plan.entries  # (the merge's: the served entries but for what it changed)
        if in_place:
            if writes:
                await self._write(plan)
            edited = [plan.entries[slug].card for slug in plan.diff.changed]
            await self._swap(plan.entries, edited, edited_print=self._edited_print(plan))
        elif full_build and off_process and self._off_process(plan):
            switch_build_arena()  # (the catalog read back shares no slab with the one serving)
            plan.entries = await self._rebuilt(plan, writes)  # (the cards read back)
            plan.diff, titles = await in_thread(rehomed, plan.diff, titles, plan.entries)
        elif full_build:
            # A full build and the database write overlap: SQLite works without the GIL, so
            # its part of the write is nearly free beside the build (seconds at 100,000 cards).
            # The new catalog serves only once the write is done: if it fails (even after
            # the database was replaced), the last good catalog keeps serving.
            writing = asyncio.ensure_future(self._write(plan)) if writes else None
            try:
                await self._swap(plan.entries, writing=writing)
            finally:
                if writing is not None and not writing.done():  # (the build failed)
                    with contextlib.suppress(Exception):
                        await writing
        elif writes:
            await self._write(plan)
        # (after an edit in place, or a start or reload that changed no card, plan.entries is
        # a copy of the served entries, the few edited or restamped put in: the served dict is
        # let go in one call, not walked entry by entry: ``heap.Shared``)
        shares = in_place or (not plan.changes_cards and len(plan.restamped) <= MAX_EDITS_IN_PLACE)
        garbage: list[object] = [
            Shared(self._entries)
            if shares and plan.entries is merged and plan.entries is not self._entries
            else self._entries
        ]
        garbage.append(plan.upserts[:])
        known = self._served_print
        if not plan.changes_cards and known is not None and known[0] is self._entries:
            self._served_print = (plan.entries, known[1])  # (the same cards: restamps at most)
        self._entries = plan.entries
        plan.upserts.clear()
        self._release_later(garbage)
        return self._applied(plan, began, titles)  # (the report, logged as by a worker's reload)

    def _edited_print(self, plan: Plan) -> str | None:
        """The fingerprint of an in-place edit's entries from the served ones' (a term per
        edited card, not a hash of every card: ``derived.fingerprint_edited``); None when the
        served entries' fingerprint is not known."""
        known = self._served_print
        if known is None or known[0] is not self._entries:
            return None
        changed = plan.diff.changed
        gone = [(slug, self._entries[slug].digest) for slug in changed]
        came = [(slug, plan.entries[slug].digest) for slug in changed]
        return derived.fingerprint_edited(known[1], gone, came)

    async def flush(self) -> None:
        """Wait until what the last build made is kept in the database (if it is being kept),
        what reloads replaced is freed, the folder is checked after a journaled reload, and
        the story index is up to date."""
        await self.stories.settled()
        if self._verifying is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._verifying
        if self._keeping is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._keeping
        await self._released()

    def _report(
        self,
        applied: bool,
        plan: Plan,
        began: float,
        *,
        errors: Iterable[CardError] = (),
        refused: str = "",
        titles: dict[str, str] | None = None,
    ) -> ReloadReport:
        return ReloadReport(
            applied,
            len(self.catalog),
            plan.diff,
            tuple(errors),
            titles or {},
            time.perf_counter() - began,
            refused,
            plan.parsed,
            guard=self._guard_kind(plan) if refused else "",
            would_remove=len(plan.diff.removed) if refused else 0,
            share_percent=round(self.max_removed_share * 100),
            listed=plan.listed,
            folder_ok=plan.folder_ok,
        )

    def _guard_kind(self, plan: Plan) -> str:
        """The guard's reason as data, for the admin's language (see :meth:`_guard`)."""
        if not plan.folder_ok:
            return "unreadable"
        return "empty" if not plan.entries else "share"
