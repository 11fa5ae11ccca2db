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
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from operator import itemgetter
from pathlib import Path
from typing import Any

from bot.cards.cross_checks import NameKeys
from bot.cards.errors import CardError
from bot.cards.loader import (
    FileStamp,
    FolderScan,
    Progress,
    ReadCard,
    Unloaded,
    card_body,
    cross_card_errors,
    read_card,
    rescan,
    title_key,
)
from bot.cards.model import Card
from bot.cards.parallel import read_cards
from bot.cards.reader import CARD_SUFFIX
from bot.catalog import derived, sharing
from bot.catalog.build_worker import WORKER_FROM, BuildFailed, CodeChanged, build_and_keep
from bot.catalog.heap import (
    collector_paused,
    hand_back,
    release,
    responsive,
    tune_allocator,
)
from bot.catalog.journal import Journal
from bot.catalog.kept_ahead import KeptAhead
from bot.catalog.lazy_cards import StoredBody, made
from bot.catalog.listing import APART_FROM_BYTES, card_like, list_cards, list_folder_apart
from bot.catalog.opening import recover
from bot.catalog.snapshot import Catalog, unloaded_cards
from bot.catalog.store import (
    MEMORY,
    CatalogDiff,
    Store,
    StoredCard,
    StoredRow,
    held,
    is_busy,
    made_or_damaged,
)
from bot.catalog.watching import folder_changes
from bot.matching.pieces import free_in_slices, sorted_in_pieces

log = logging.getLogger(__name__)

#: A reload may remove at most this share of the catalog unless confirmed.
DEFAULT_MAX_REMOVED_SHARE = 0.5
#: A file modified this recently may still change within the file system's clock tick: its
#: stamp is not trusted next time (its bytes are hashed again), as git does with its index.
RACY_NS = 2_000_000_000
#: A reload that only edits this many cards or fewer updates the catalog in place.
MAX_EDITS_IN_PLACE = 64
#: From this many cards on, ``/reload`` keeps a journal of the folder's changes (see
#: ``bot.catalog.journal``) and looks only at the files it names instead of listing them all.
JOURNAL_FROM = 10_000
#: After a reload that trusted the journal, the folder is listed all the same this many
#: seconds later (unless another such reload comes first), for changes no event reports.
VERIFY_AFTER = 2.0
#: What ``cross_card_errors`` looks at in a card.
_CROSS_CHECKED = ("slug", "title", "year", "season", "series", "aliases")


#: How many of each list a reload report names by title (the first ones): the rest are counted.
TITLED_IN_REPORT = 15


@dataclass(frozen=True, slots=True)
class ReloadReport:
    applied: bool
    total: int
    diff: CatalogDiff = field(default_factory=CatalogDiff)
    errors: tuple[CardError, ...] = ()
    #: The titles of the first ``TITLED_IN_REPORT`` slugs of each of the diff's lists.
    titles: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    #: Why a reload with valid cards was not applied (the removal guard); "" otherwise.
    refused: str = ""
    #: How many card files were read and parsed (the others came from the cache).
    parsed: int = 0
    #: The guard's reason as data: "empty", "unreadable" or "share" ("" when not refused),
    #: how many cards the reload would remove, and the allowed share in percent.
    guard: str = ""
    would_remove: int = 0
    share_percent: int = 0
    finished_at: float = field(default_factory=time.time)  # Unix time
    #: Whether the whole folder was listed (False: only the files the watcher or the
    #: kernel's journal named were looked at).
    listed: bool = True

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.refused)

    def summary(self) -> str:
        """One line for status displays: what this load or reload did."""
        if self.refused:
            return f"refused ({self.refused}); serving {self.total} cards"
        if not self.applied:
            return f"refused ({len(self.errors)} card errors); serving {self.total} cards"
        diff = self.diff
        return (
            f"{self.total} cards ({len(diff.added)} added, {len(diff.changed)} changed, "
            f"{len(diff.removed)} removed)"
        )


@dataclass(slots=True)
class _Entry:
    """A card being served, with what the cache knows about its file."""

    held: Card | StoredBody  # (a stored body until the card is first needed: a warm start)
    stamp: FileStamp
    digest: str
    key: tuple[str, int] | None = None  # its title_key, worked out when first needed

    @property
    def card(self) -> Card:
        return made(self.held)

    @property
    def title_key(self) -> tuple[str, int]:
        if self.key is None:
            self.key = title_key(self.card)
        return self.key


@dataclass(slots=True)
class _Plan:
    """What a refresh found: the new set of cards and how it differs from the current one."""

    entries: dict[str, _Entry]
    upserts: list[StoredCard] = field(default_factory=list)
    restamped: list[tuple[str, FileStamp]] = field(default_factory=list)
    errors: list[CardError] = field(default_factory=list)
    diff: CatalogDiff = field(default_factory=CatalogDiff)
    parsed: int = 0
    folder_ok: bool = True
    listed: bool = True  # the whole folder was listed
    #: Slugs of card files that did not load -> the names they give (title None if unreadable).
    unloaded: dict[str, Unloaded] = field(default_factory=dict)

    @property
    def changes_cards(self) -> bool:
        return bool(self.diff.added or self.diff.changed or self.diff.removed)


class CatalogService:
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
        self.catalog = Catalog.build([])
        self._entries: dict[str, _Entry] = {}
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
        self._start_print: tuple[dict[str, _Entry], str] | None = None
        # The kept catalog, read and decoded from the start of a start (``kept_ahead``).
        self._ahead: KeptAhead | None = None
        # The kernel's record of the folder's changes since it was last listed (big folders
        # only), and the card names it gave that no applied reload has looked at yet.
        self._journal: Journal | None = None
        self._journaled: set[str] = set()
        self.journal_from = JOURNAL_FROM
        self._verifying: asyncio.Future[None] | None = None  # listing after a journaled reload
        self._seen: set[str] | None = None  # what the journal named while it lists
        #: From this many cards on, a reload that builds a whole new catalog builds it in a
        #: worker process and reads it back (``bot.catalog.build_worker``).
        self.build_worker_from = WORKER_FROM
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
        return self.last_report

    async def _start(self, confirm: bool) -> ReloadReport:
        async with self._lock:
            await self._released()
            began = time.perf_counter()
            # Listing the folder (system calls; a big one in another process) overlaps
            # decoding the stored cards (CPU).
            scanning = asyncio.ensure_future(
                asyncio.to_thread(list_folder_apart, self.data_dir, self.list_apart_from)
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
                damaged += await asyncio.to_thread(_made_all, entries)
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

    def _mark_unloaded(self, plan: _Plan) -> None:
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
        async with self._reloaded:
            self.last_report = report
            self._reloaded.notify_all()
        return report

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
                only = await asyncio.to_thread(self._from_journal)
            plan = await self._plan(only, trust_stamps=not full)
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
            _log_watched(report)

    # -- the steps ------------------------------------------------------------------------

    def _guard(self, plan: _Plan, *, confirm: bool) -> str:
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
    ) -> _Plan:
        """Compare the folder with the current cards; read only the files that changed."""
        scan, to_read, listed = await asyncio.to_thread(self._changed, only, trust_stamps, scanned)
        now_ns = time.time_ns()
        reads = await self._read(scan, to_read, use_hashes=trust_stamps)
        plan = await asyncio.to_thread(self._merge, scan, reads, now_ns)
        plan.listed = listed
        return plan

    def _changed(
        self, only: set[str] | None, trust_stamps: bool, scanned: FolderScan | None
    ) -> tuple[FolderScan, list[str], bool]:
        """The folder's files, the slugs of those to read, and whether the whole folder was
        listed. Runs in a worker thread."""
        with collector_paused():  # (a stamp per file: 100,000 objects that live on)
            listed = scanned is not None or only is None
            listed = listed or not all(_is_card_name(name) for name in only)  # type: ignore[union-attr]
            return (*self._changed_paused(only, trust_stamps, scanned), listed)

    def _from_journal(self) -> set[str] | None:
        """The card names the journal gave since the folder was last listed; None when there
        is no journal or it cannot vouch for them (list the folder). Runs in a worker thread."""
        if self._journal is None:
            return None
        names = self._journal.changes()
        if names is None or any(_linked(self.data_dir / name) for name in names):
            # (a link made since the last listing: changes through it show no event here)
            self._journal.close()
            self._journal = None
            return None
        self._note(names)
        return set(self._journaled)

    def _journal_anew(self) -> None:
        """Before the whole folder is listed: what the journal named so far is covered by
        the listing; it records from here on (opened now for a big enough folder)."""
        self._journaled.clear()
        if self._journal is not None and self._journal.changes() is None:
            self._journal.close()
            self._journal = None
        if self._journal is None and len(self._entries) >= self.journal_from:
            self._journal = Journal.open(self.data_dir)

    def _changed_paused(
        self, only: set[str] | None, trust_stamps: bool, scanned: FolderScan | None
    ) -> tuple[FolderScan, list[str]]:
        current = self._entries
        if scanned is not None:
            scan = scanned
        elif only is None or not all(_is_card_name(name) for name in only):
            self._journal_anew()
            known = {slug: entry.stamp for slug, entry in current.items()}
            scan, linked = list_cards(self.data_dir, known)
            if linked and self._journal is not None:
                # A card reached through a link changes without an event in this folder.
                self._journal.close()
                self._journal = None
        else:
            known = FolderScan(self.data_dir, {s: e.stamp for s, e in current.items()})
            scan = rescan(known, only)
            if trust_stamps:
                # Only the named files were looked at; every other one keeps the stamp of
                # the card it holds, so only those named may need reading.
                named = (name.removesuffix(CARD_SUFFIX) for name in only)
                return scan, sorted(slug for slug in named if slug in scan.files)
        to_read: list[str] = []
        for slug, stamp in scan.files.items():
            entry = current.get(slug)
            if entry is None or not trust_stamps or not entry.stamp.same_file(stamp):
                to_read.append(slug)
            elif only is not None and slug + CARD_SUFFIX in only:
                to_read.append(slug)  # the watcher saw it change: compare its bytes
        return scan, to_read

    async def _read(
        self, scan: FolderScan, slugs: list[str], *, use_hashes: bool
    ) -> list[ReadCard]:
        if not slugs:
            return []
        progress = self.progress if len(slugs) > 1 else None
        return await asyncio.to_thread(
            _read_cards, scan, slugs, self._entries, use_hashes, progress
        )

    def _merge(self, scan: FolderScan, reads: list[ReadCard], now_ns: int) -> _Plan:
        """The new set of cards from the current one, the folder listing and what was read.
        Runs in a worker thread."""
        with collector_paused():
            current = self._entries
            same_files = scan.files.keys() == current.keys()
            if same_files:
                entries = dict(current)
            else:
                entries = {slug: current[slug] for slug in scan.files if slug in current}
            plan = _Plan(entries, errors=list(scan.errors))
            plan.parsed = sum(1 for read in reads if read.parsed)
            plan.folder_ok = scan.ok
            added: list[str] = []
            changed: list[str] = []
            lines: dict[str, dict[str, tuple[int, ...]]] = {}
            names: dict[str, NameKeys] = {}
            sharing.share_facts([read.card for read in reads if read.card is not None], {})
            for read in reads:
                plan.errors.extend(read.errors)
                if read.unchanged:  # the card already served: at most its stamp moved
                    stamp = _settled(read.stamp, now_ns)
                    old = current[read.slug]
                    entries[read.slug] = _Entry(old.held, stamp, old.digest, old.key)
                    if stamp != old.stamp:
                        plan.restamped.append((read.slug, stamp))
                    continue
                if read.card is None:
                    entries.pop(read.slug, None)
                    plan.unloaded[read.slug] = read.unloaded
                    continue
                stamp = _settled(read.stamp, now_ns)
                old = current.get(read.slug)
                if old is not None and old.digest == read.digest:
                    entries[read.slug] = _Entry(old.held, stamp, old.digest, old.key)
                    if stamp != old.stamp:
                        plan.restamped.append((read.slug, stamp))
                    continue
                card = read.card
                lines[read.slug] = read.lines
                if read.name_keys is not None:
                    names[read.slug] = read.name_keys
                key = read.title_key or title_key(card)  # (worked out where it was read)
                entries[read.slug] = _Entry(card, stamp, read.digest, key)
                plan.upserts.append(StoredCard(read.slug, stamp, read.digest, read.body, card))
                (changed if old is not None else added).append(read.slug)
            if (
                added
                or not same_files
                or self._unsettled
                or not _checked_as_before(current, entries, changed)
            ):
                # (with the same cards as last time, or only edits that leave what the checks
                # across cards look at as it was, those checks hold as they did)
                plan.errors.extend(self._across(entries, lines, names))
            plan.errors.sort()
            # (a loop, not two sets of every slug: each set is one C call that holds the GIL)
            removed = sorted(slug for slug in current if slug not in entries)
            if plan.errors:  # a first start serves the valid cards: drop every one named
                removed = sorted(slug for slug in current if slug not in scan.files)
                for bad in {Path(e.path).stem for e in plan.errors}:
                    if (dropped := entries.pop(bad, None)) is not None:
                        plan.unloaded[bad] = Unloaded.of(dropped.card)
                added = [slug for slug in added if slug in entries]
                changed = [slug for slug in changed if slug in entries]
                plan.upserts = [row for row in plan.upserts if row.slug in entries]
            # Freed here, in this thread, not on the event loop, and in slices: each is one
            # C call that holds the GIL otherwise (at 100,000 cards ~0.1 s for the reads).
            free_in_slices(reads, lines, names, scan.files)
            plan.diff = CatalogDiff(
                added=tuple(sorted(added)),
                changed=tuple(sorted(changed)),
                removed=tuple(removed),
                unchanged=len(entries) - len(added) - len(changed),
            )
            return plan

    def _across(
        self,
        entries: dict[str, _Entry],
        lines: dict[str, dict[str, tuple[int, ...]]],
        names: dict[str, NameKeys] | None = None,
    ) -> list[CardError]:
        """Errors between cards. Lines are known for the cards just read; an error about a
        card served from the cache is pointed at its line by reading that file again."""
        cards = [entry.card for entry in entries.values()]
        keys = {slug: entry.title_key for slug, entry in entries.items()}
        errors = cross_card_errors(cards, self.data_dir, keys, lines, names)
        unplaced = {Path(e.path).stem for e in errors if e.line == 1} - set(lines)
        for slug in unplaced & set(entries):
            read = read_card(self.data_dir / f"{slug}{CARD_SUFFIX}")
            if read.card is not None:
                lines[slug] = read.lines
        if unplaced & set(lines):
            errors = cross_card_errors(cards, self.data_dir, keys, lines, names)
        return errors

    async def _apply(
        self, plan: _Plan, began: float, *, always_build: bool, off_process: bool = False
    ) -> ReloadReport:
        # Titles for the report: only the cards it names (every card, after a full reload:
        # worked out in a thread, not on the event loop).
        titles = await asyncio.to_thread(_titles, plan, self._entries)
        writes = bool(
            plan.changes_cards
            or plan.restamped
            or self._pending_upserts
            or self._pending_removed
            or self._rewrite
        )
        full_build = plan.changes_cards or always_build
        if plan.changes_cards and not always_build and _small_edit(plan.diff):
            if writes:
                await self._write(plan)
            await self._swap(plan.entries, [plan.entries[slug].card for slug in plan.diff.changed])
        elif full_build and off_process and self._off_process(plan):
            plan.entries = await self._rebuilt(plan, writes)  # (the cards read back)
            plan.diff, titles = await asyncio.to_thread(_rehomed, plan.diff, titles, plan.entries)
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
        garbage: list[object] = [self._entries, plan.upserts[:]]
        self._entries = plan.entries
        plan.upserts.clear()
        report = self._report(True, plan, began, errors=plan.errors, titles=titles)
        self._release_later(garbage)
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

    async def _write(self, plan: _Plan) -> None:
        """Store what changed (and what a busy database could not take last time). The
        database is only a cache: if it fails (damaged, full, made read-only), it is replaced
        (see ``bot.catalog.opening``) and written whole; if that fails too, the error is
        raised (the reload is not applied) and the next write is a whole one."""
        if self._rewrite:
            await self._write_whole(plan)
            return
        # (in a thread: after every file's stamp moved, a copy or a checkout, these are loops
        # over every card, 30 ms on the event loop at 100,000 cards)
        upserts, restamped, removed, rows = await asyncio.to_thread(
            _changes, self._pending_upserts, self._pending_restamped, self._pending_removed, plan
        )
        try:
            await self.store.write_changes(*rows, self._source)
        except sqlite3.DatabaseError as exc:
            if is_busy(exc):
                # Another process (a shard) holds the write lock: the catalog in memory is
                # right; the rows are written with the next reload.
                log.warning("database busy (%s); the changes are stored with the next reload", exc)
                self._pending_upserts, self._pending_removed = upserts, removed
                self._pending_restamped = restamped
                return
            await recover(self.store, exc)
            await self._write_whole(plan)
            return
        self._pending_upserts, self._pending_removed, self._pending_restamped = {}, set(), {}
        if len(rows[0]) + len(rows[1]) >= LET_GO_IN_THREAD:  # (not freed on the event loop)
            await asyncio.to_thread(_let_go, rows, upserts, restamped)

    async def _write_whole(self, plan: _Plan) -> None:
        """Store every card of ``plan`` in place of what the database holds."""
        self._rewrite = True  # (until it succeeds: a database replaced holds no cards)
        rows = await asyncio.to_thread(_rows, plan.entries)
        await self.store.write_changes(rows, (), (), self._source, replace=True)
        self._rewrite = False
        self._pending_upserts, self._pending_removed, self._pending_restamped = {}, set(), {}

    def _off_process(self, plan: _Plan) -> bool:
        """Whether this reload's new catalog is built in a worker process and read back."""
        return self.store.path != MEMORY and len(plan.entries) >= self.build_worker_from

    async def _rebuilt(self, plan: _Plan, writes: bool) -> dict[str, _Entry]:
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
        print_ = await asyncio.to_thread(_fingerprint, plan.entries)
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

    async def _read_back(self, print_: str) -> tuple[dict[str, _Entry], Catalog]:
        """The cards and the catalog the database keeps, as a warm start reads them; raises
        :class:`BuildFailed` unless they are exactly the cards of fingerprint ``print_``."""
        entries, damaged = await self._stored_entries()
        if damaged:
            raise BuildFailed(f"{damaged} damaged card rows in the database")
        if await asyncio.to_thread(_fingerprint, entries) != print_:
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

    async def _stored_entries(self) -> tuple[dict[str, _Entry], int]:
        """Every card the database holds, decoded in worker threads, each batch while the
        next one is fetched (SQLite lets go of the GIL while it reads pages); and how many
        rows were damaged."""
        entries: dict[str, _Entry] = {}
        damaged = 0
        shared: sharing.Table = {}  # (one copy of the values many cards repeat)
        decoding: asyncio.Future[int] | None = None
        trust = await self.store.stored_source() == self._source
        try:
            async for batch in self.store.stored_batches():
                if decoding is not None:
                    damaged += await decoding
                decoding = asyncio.ensure_future(
                    asyncio.to_thread(_decode_into, entries, batch, trust, shared)
                )
            if decoding is not None:
                damaged += await decoding
        finally:
            if decoding is not None and not decoding.done():
                with contextlib.suppress(Exception):
                    await decoding
        return entries, damaged

    async def _swap(
        self,
        entries: dict[str, _Entry],
        edited: list[Card] | None = None,
        *,
        writing: asyncio.Future[None] | None = None,
    ) -> None:
        """Build the new catalog off the event loop and put it in place; the old one is freed
        in a worker thread too (freeing millions of objects takes as long as making them).
        ``edited``: only these cards changed (none added or removed): the new catalog shares
        what they leave as it was with the current one (:meth:`Catalog.updated`).

        A full build reuses the computed similarity kept in the database for these very cards
        (``bot.catalog.derived``), and keeps what it computed for the next start. ``writing``:
        the database write of these cards, running meanwhile; the new catalog is put in place
        only if it succeeds (else it is freed and the write's error raised)."""
        garbage: list[object] = [self.catalog]
        keep = self.store.path != MEMORY
        if edited is not None:
            new = await asyncio.to_thread(_update, self.catalog, edited)
            print_ = None  # (worked out later: not while the reload waits)
        else:
            print_ = (
                await asyncio.to_thread(_fingerprint, entries, self._start_print) if keep else ""
            )
            kept = await self._kept_catalog(print_, entries) if keep else None
            new = kept or await asyncio.to_thread(_build, entries)
            if kept is not None:
                keep = False  # kept already
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
        self.catalog = new
        keep = keep and self.store.path != MEMORY  # (the write may have replaced the database)
        if keep:
            self._keep_later(entries, print_)
        self._release_later(garbage)

    def _release_later(self, garbage: list[object]) -> None:
        """Free what a reload replaced in the background, after what is being freed already:
        the reload is done (and reported) when the new catalog serves."""
        before = self._releasing

        async def releasing() -> None:
            if before is not None:
                try:
                    await before
                except Exception:  # (housekeeping: this garbage is freed all the same)
                    log.exception("freeing a replaced catalog failed")
            await release(garbage)

        self._releasing = asyncio.ensure_future(releasing())

    async def _released(self) -> None:
        """Wait until what earlier reloads replaced is freed."""
        if self._releasing is not None:
            releasing, self._releasing = self._releasing, None
            try:
                await releasing
            except Exception:  # freeing is housekeeping: it never fails a reload
                log.exception("freeing a replaced catalog failed")

    async def _kept_for(self, entries: dict[str, _Entry]) -> bool:
        """Whether the database keeps a catalog built from exactly these cards by this code."""
        if self.store.path == MEMORY or not entries:
            return False
        print_ = await asyncio.to_thread(_fingerprint, entries)
        self._start_print = (entries, print_)
        try:
            kept = await self.store.get_meta(derived.META_KEY)
        except sqlite3.Error:
            return False
        return derived.header(kept, print_) is not None

    async def _kept_catalog(self, print_: str, entries: dict[str, _Entry]) -> Catalog | None:
        """The catalog of exactly these cards from what an earlier build kept, or None."""
        if self._ahead is not None:
            ahead, self._ahead = self._ahead, None
            taken = await ahead.take(print_)
            if taken is not None:
                catalog = await asyncio.to_thread(_assembled, entries, taken[1])
                if catalog is not None:
                    self._kept = (catalog.lineage, taken[0])
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
        # (not one card made: the kept fields hold their own texts)
        built = await asyncio.to_thread(_decode_built, parts, head[1])  # (parts emptied)
        if built is None:
            log.info("the catalog kept in the database does not fit; building it")
            return None
        catalog = await asyncio.to_thread(_assembled, entries, built)
        if catalog is not None:
            self._kept = (catalog.lineage, str(values_head))
        return catalog

    def _keep_later(self, entries: dict[str, _Entry], print_: str | None) -> None:
        """Keep what the build made in the database for the next start, in the background
        (the catalog already serves); a newer catalog cancels it (it keeps its own)."""
        if self._keeping is not None:
            self._keeping.cancel()
        self._keeping = asyncio.ensure_future(self._keep(self.catalog, entries, print_))

    def _verify_later(self) -> None:
        """After a reload that looked only at the files the journal named: list the folder
        all the same, in the background (the reload is reported already), for changes that no
        event in this folder reports (a card file edited in place through a hard link made
        elsewhere since the last listing); files found changed are reloaded as the watcher's
        are, and logged."""
        if self._verifying is not None:
            self._verifying.cancel()  # (this one waited: it starts again, later)
        self._verifying = asyncio.ensure_future(self._verify())

    async def _verify(self) -> None:
        seen: set[str] = set()
        try:
            # Not at once: an edit often comes with others, and a listing takes the CPU
            # that the reloads they cause would use.
            await asyncio.sleep(VERIFY_AFTER)
            async with self._lock:  # what is served, and from here on what the journal names
                await asyncio.to_thread(self._drain)
                if self._journal is None:
                    return  # (the next reload lists the folder)
                served, seen = self._entries, set(self._journaled)
                self._seen = seen
            scan, linked = await asyncio.to_thread(_listed, self.data_dir)
            async with self._lock:
                await asyncio.to_thread(self._drain)
                self._seen = None
                if self._journal is None:  # (it overflowed meanwhile: the next reload lists)
                    return
                names = await asyncio.to_thread(_unreported, scan, served, seen)
                if (names or linked) and self._journal is not None:
                    self._journal.close()  # (the next reload lists the folder)
                    self._journal = None
            if names:
                log.warning(
                    "%d changed card files were not reported by the folder's events "
                    "(e.g. edited through a hard link); reloading them",
                    len(names),
                )
                _log_watched(await self.reload(names=names))
        except Exception:  # (housekeeping after a reload that succeeded)
            log.exception("checking the cards folder after a reload failed")
        finally:
            if self._seen is seen:
                self._seen = None

    def _drain(self) -> None:
        """What the journal names now, kept for the next reload. Under the reload lock."""
        if self._journal is None:
            return
        changes = self._journal.changes()
        if changes is None:
            self._journal.close()
            self._journal = None
            return
        self._note(changes)

    def _note(self, names: set[str]) -> None:
        relevant = {name for name in names if _is_card_name(name) or card_like(name)}
        self._journaled |= relevant
        if self._seen is not None:
            self._seen |= relevant

    async def flush(self) -> None:
        """Wait until what the last build made is kept in the database (if it is being kept),
        what reloads replaced is freed, and the folder is checked after a journaled reload."""
        if self._verifying is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._verifying
        if self._keeping is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._keeping
        await self._released()

    async def _keep(self, catalog: Catalog, entries: dict[str, _Entry], print_: str | None) -> None:
        """Store ``catalog``'s built parts (a cache: a failure only means the next start
        builds them again). Encoded in a worker thread, a piece at a time; written in one
        transaction under the reload lock, if ``catalog`` still serves."""
        try:
            if print_ is None:
                print_ = await asyncio.to_thread(_fingerprint, entries)
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
            head, parts = await asyncio.to_thread(_encode, print_, catalog)
            values: dict[str, str | bytes] = {derived.META_KEY: head}
            values |= {f"{derived.META_KEY}.{n}": part for n, part in enumerate(parts)}
            parts.clear()
            async with self._lock:
                if self.catalog is catalog:
                    self._kept = None  # (until the new parts are in)
                    await self.store.set_meta(values, clear_prefix=derived.META_KEY)
                    self._kept = (catalog.lineage, head)
            await asyncio.to_thread(values.clear)  # (freed off the event loop, as above)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the database is closed, busy, full...: only a cache
            log.info("the built catalog was not kept in the database (%s)", exc)

    def _report(
        self,
        applied: bool,
        plan: _Plan,
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
        )

    def _guard_kind(self, plan: _Plan) -> str:
        """The guard's reason as data, for the admin's language (see :meth:`_guard`)."""
        if not plan.folder_ok:
            return "unreadable"
        return "empty" if not plan.entries else "share"


def _log_watched(report: ReloadReport) -> None:
    if report.refused:
        log.warning(
            "cards changed on disk, not applied: %s; /reload confirm:true applies it",
            report.refused,
        )
    elif report.errors:
        log.warning(
            "cards changed on disk, not applied: %d errors, e.g. %s",
            len(report.errors),
            "; ".join(str(e) for e in report.errors[:3]),
        )


def _is_card_name(name: str) -> bool:
    return name.endswith(CARD_SUFFIX) and "/" not in name and not name.startswith(".")


def _unreported(scan: FolderScan, served: dict[str, _Entry], seen: set[str]) -> list[str]:
    """The card files whose listing differs from the cards ``served`` when it began, but for
    those the journal named since (``seen``: a reload looked, or looks, at them)."""
    with collector_paused():
        slugs = [slug for slug in served if slug not in scan.files]
        for slug, stamp in scan.files.items():
            entry = served.get(slug)
            if entry is None:
                slugs.append(slug)
            elif entry.stamp.mtime_ns >= 0 and not entry.stamp.same_file(stamp):
                slugs.append(slug)  # (a stamp just written, -1, is hashed at a listing)
        names = (f"{slug}{CARD_SUFFIX}" for slug in slugs)
        return [name for name in names if name not in seen]


def _listed(directory: Path) -> tuple[FolderScan, bool]:
    """``list_cards`` in a worker thread, the collector paused."""
    with collector_paused():
        return list_cards(directory)


def _linked(path: Path) -> bool:
    """Whether ``path`` is a symbolic link or a file with other hard links (False when it is
    gone: a removal)."""
    try:
        info = path.lstat()
    except OSError:
        return False
    return stat.S_ISLNK(info.st_mode) or (stat.S_ISREG(info.st_mode) and info.st_nlink > 1)


def _settled(stamp: FileStamp, now_ns: int) -> FileStamp:
    """A stamp to trust next time; a file modified just now is hashed again next time."""
    return replace(stamp, mtime_ns=-1) if now_ns - stamp.mtime_ns < RACY_NS else stamp


def _decode_into(
    entries: dict[str, _Entry], rows: list[StoredRow], trust: bool, shared: sharing.Table
) -> int:
    """Decode stored rows into ``entries``; the number of damaged rows. ``trust``: the stamps
    were written for this folder (else each file's content is compared instead). ``shared``:
    the values cards repeat, kept once (``bot.catalog.sharing``)."""
    damaged = 0
    kept: list[tuple[str, FileStamp, str, Card | StoredBody]] = []
    with collector_paused():
        for slug, stamp, digest, card in held(rows, shared):
            if card is None:
                damaged += 1
            else:
                kept.append((slug, stamp, digest, card))
        sharing.share_facts([card for *_, card in kept if type(card) is not StoredBody], shared)
        for slug, stamp, digest, card in kept:
            entries[slug] = _Entry(card, stamp if trust else replace(stamp, mtime_ns=-1), digest)
    return damaged


def _made_all(entries: dict[str, _Entry]) -> int:
    """Make every card still held as its stored body (no kept catalog says this code made
    them before); drop and count the rows that make none (damaged). (Each card shares the
    repeated values of its batch's table as it is made: ``held``.)"""
    damaged: list[str] = []
    with collector_paused():
        for slug, entry in entries.items():
            if type(entry.held) is StoredBody:
                card = made_or_damaged(entry.held)
                if card is None:
                    damaged.append(slug)
                else:
                    entry.held = card
        for slug in damaged:
            del entries[slug]
    return len(damaged)


def _rows(entries: dict[str, _Entry]) -> list[StoredCard]:
    rows = []
    for slug, entry in entries.items():
        body, digest = card_body(entry.card)
        rows.append(StoredCard(slug, entry.stamp, digest, body, entry.card))
    return rows


def _read_cards(
    scan: FolderScan,
    slugs: list[str],
    entries: dict[str, _Entry],
    use_hashes: bool,
    progress: Progress | None,
) -> list[ReadCard]:
    """Read ``slugs``; a file whose bytes or card are the ones known comes back ``unchanged``
    (with ``use_hashes`` false every file is parsed, but unchanged cards still stay put)."""
    with collector_paused():
        paths = [scan.path(slug) for slug in slugs]
        known = [entries.get(slug) for slug in slugs]
        hashes = [e.stamp.content_hash if e and use_hashes else "" for e in known]
        digests = [e.digest if e else "" for e in known]
        reads = read_cards(paths, known_hashes=hashes, known_digests=digests, progress=progress)
        # (not when this returns, each list in one C call: 100,000 paths are 29 ms of CPU)
        free_in_slices(paths, known, hashes, digests)
        return reads


def _small_edit(diff: CatalogDiff) -> bool:
    """Only a few cards edited, none added or removed: worth updating the catalog in place."""
    return not diff.added and not diff.removed and 0 < len(diff.changed) <= MAX_EDITS_IN_PLACE


def _checked_as_before(
    current: dict[str, _Entry], entries: dict[str, _Entry], changed: list[str]
) -> bool:
    """Whether every edited card keeps what the checks across cards look at (slug, title,
    year, seasons, aliases): then no such error can have appeared."""
    for slug in changed:
        old, new = current[slug].card, entries[slug].card
        if any(getattr(old, name) != getattr(new, name) for name in _CROSS_CHECKED):
            return False
    return True


def _update(catalog: Catalog, edited: list[Card]) -> Catalog:
    """Catalog.updated in a worker thread, the collector paused."""
    with collector_paused():
        return catalog.updated(edited)


def _build(entries: dict[str, _Entry]) -> Catalog:
    """Catalog.build in a worker thread, the collector paused (see ``bot.catalog.heap``)."""
    with collector_paused():
        return Catalog.build([entry.card for entry in entries.values()])


def _assembled(entries: dict[str, _Entry], built: dict[str, object]) -> Catalog | None:
    """Catalog.assembled in a worker thread, the collector paused; then what reading the
    stored cards and the kept parts freed is handed back (the last step of a warm start)."""
    with collector_paused():
        catalog = Catalog.assembled({slug: e.held for slug, e in entries.items()}, built)
    hand_back()
    return catalog


def _encode(print_: str, catalog: Catalog) -> tuple[str, list[bytes]]:
    """derived.encode in a worker thread, the collector paused: the pickler's memo keeps
    millions of small objects alive until it is done, and each full collection meanwhile
    walks them all, holding the GIL (up to 0.6 s at 100,000 cards)."""
    with collector_paused():
        return derived.encode(print_, catalog)


def _titles(plan: _Plan, current: dict[str, _Entry]) -> dict[str, str]:
    """The titles a reload's report names: the first few cards it adds, changes or removes
    (only those: a card read back is made when first asked for, see ``lazy_cards``)."""
    diff, shown = plan.diff, slice(TITLED_IN_REPORT)
    titles = {slug: current[slug].card.title for slug in diff.removed[shown]}
    for slug in (*diff.added[shown], *diff.changed[shown]):
        titles[slug] = plan.entries[slug].card.title
    return titles


def _rehomed(
    diff: CatalogDiff, titles: dict[str, str], entries: dict[str, _Entry]
) -> tuple[CatalogDiff, dict[str, str]]:
    """The report's slugs and titles as the texts the cards read back hold (equal texts), and
    fresh copies of those of removed cards: the report lives until the next reload, and the
    texts of the cards the reload read, or of the old catalog, would keep a few objects alive
    in every part of the memory those filled (``bot.catalog.build_worker``)."""

    def home(slug: str) -> str:
        entry = entries.get(slug)  # (a card or its stored body: both hold the slug read back)
        return entry.held.slug if entry is not None else slug.encode().decode()

    def title(slug: str, text: str) -> str:
        entry = entries.get(slug)
        return entry.card.title if entry is not None else text.encode().decode()

    rehomed = CatalogDiff(
        added=tuple(map(home, diff.added)),
        changed=tuple(map(home, diff.changed)),
        removed=tuple(map(home, diff.removed)),
        unchanged=diff.unchanged,
    )
    return rehomed, {home(slug): title(slug, text) for slug, text in titles.items()}


#: A write of this many rows or more lets go of them in a worker thread.
LET_GO_IN_THREAD = 1_000


def _let_go(rows: tuple[list[Any], ...], *mappings: dict[str, Any]) -> None:
    free_in_slices(*rows)
    for mapping in mappings:
        mapping.clear()


def _changes(
    pending_upserts: dict[str, StoredCard],
    pending_restamped: dict[str, FileStamp],
    pending_removed: set[str],
    plan: _Plan,
) -> tuple[
    dict[str, StoredCard],
    dict[str, FileStamp],
    set[str],
    tuple[list[StoredCard], list[tuple[str, FileStamp]], list[str]],
]:
    """What a reload writes, with what a busy database could not take last time: by slug,
    and as ``Store.write_changes`` takes them. In a worker thread."""
    upserts = pending_upserts | {row.slug: row for row in plan.upserts}
    removed = (pending_removed - upserts.keys()) | set(plan.diff.removed)
    restamped = pending_restamped | dict(plan.restamped)
    for slug in removed:
        upserts.pop(slug, None)
        restamped.pop(slug, None)
    rows = (list(upserts.values()), list(restamped.items()), sorted(removed))
    return upserts, restamped, removed, rows


def _decode_built(parts: list[object], checksum: str) -> dict[str, object] | None:
    """derived.decode in a worker thread, the collector paused: it makes millions of objects.
    Empties ``parts`` here too: freeing a hundred megabytes of parts on the event loop stalls
    it (0.3 s at 100,000 cards)."""
    with collector_paused():
        built = derived.decode(parts, checksum)  # type: ignore[arg-type]
        parts.clear()
        return built


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _fingerprint(
    entries: dict[str, _Entry], known: tuple[dict[str, _Entry], str] | None = None
) -> str:
    """The fingerprint of ``entries``; ``known``: other entries and theirs, reused when both
    hold the same cards (the same slugs and digests: a look-up per card, not a sort and a
    hash of all of them)."""
    if known is not None and _same_digests(known[0], entries):
        return known[1]
    # Sorted here in bounded pieces: ``derived.fingerprint`` sorts again, which on sorted
    # input is one pass, where a sort of 100,000 pairs in one call holds the GIL for tens of
    # milliseconds (a stall of the event loop, though it runs in a worker thread).
    pairs = sorted_in_pieces(
        ((slug, entry.digest) for slug, entry in entries.items()), key=itemgetter(0)
    )
    return derived.fingerprint(pairs)


def _same_digests(one: dict[str, _Entry], other: dict[str, _Entry]) -> bool:
    if len(one) != len(other):
        return False
    for slug, entry in one.items():
        theirs = other.get(slug)
        if theirs is None or (theirs is not entry and theirs.digest != entry.digest):
            return False
    return True
