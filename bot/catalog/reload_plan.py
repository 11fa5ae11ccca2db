"""The reload plan: the new set of cards from the current one, the folder listing and the
files read, how it differs from what serves, and the checks across cards it needs."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.cards.cross_checks import NameKeys
from bot.cards.errors import CardError
from bot.cards.loader import (
    FileStamp,
    FolderScan,
    Progress,
    ReadCard,
    Unloaded,
    cross_card_errors,
    read_card,
    title_key,
)
from bot.cards.parallel import read_cards
from bot.cards.reader import CARD_SUFFIX
from bot.cards.turns import in_thread, in_turn
from bot.catalog import sharing
from bot.catalog.entries import Entry
from bot.catalog.heap import collector_paused
from bot.catalog.store import CatalogDiff, StoredCard
from bot.matching.pieces import free_in_slices

#: A file modified this recently may still change within the file system's clock tick: its
#: stamp is not trusted next time (its bytes are hashed again), as git does with its index.
RACY_NS = 2_000_000_000

#: A reload that only edits this many cards or fewer updates the catalog in place.
MAX_EDITS_IN_PLACE = 64

#: What ``cross_card_errors`` looks at in a card.
_CROSS_CHECKED = ("slug", "title", "year", "season", "series", "aliases")


@dataclass(slots=True)
class Plan:
    """What a refresh found: the new set of cards and how it differs from the current one."""

    entries: dict[str, Entry]
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


class Planning:
    """Reading the changed files and merging them into a plan (``CatalogService``'s part)."""

    async def _read(
        self, scan: FolderScan, slugs: list[str], *, use_hashes: bool
    ) -> list[ReadCard]:
        if not slugs:
            return []
        progress = self.progress if len(slugs) > 1 else None
        return await in_thread(_read_cards, scan, slugs, self._entries, use_hashes, progress)

    @in_turn
    def _merge(self, scan: FolderScan, reads: list[ReadCard], now_ns: int) -> Plan:
        """The new set of cards from the current one, the folder listing and what was read.
        Runs in a worker thread."""
        with collector_paused():
            current = self._entries
            same_files = scan.files.keys() == current.keys()
            if same_files:
                entries = dict(current)
            else:
                entries = {slug: current[slug] for slug in scan.files if slug in current}
            plan = Plan(entries, errors=list(scan.errors))
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
                    entries[read.slug] = Entry(old.held, stamp, old.digest, old.key)
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
                    entries[read.slug] = Entry(old.held, stamp, old.digest, old.key)
                    if stamp != old.stamp:
                        plan.restamped.append((read.slug, stamp))
                    continue
                card = read.card
                lines[read.slug] = read.lines
                if read.name_keys is not None:
                    names[read.slug] = read.name_keys
                key = read.title_key or title_key(card)  # (worked out where it was read)
                entries[read.slug] = Entry(card, stamp, read.digest, key)
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
            if same_files and len(entries) == len(current):
                removed = []  # (the same files, none dropped: a loop over every card spared)
            else:
                # (a loop, not two sets of every slug: each set is one C call holding the GIL)
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
        entries: dict[str, Entry],
        lines: dict[str, dict[str, tuple[int, ...]]],
        names: dict[str, NameKeys] | None = None,
    ) -> list[CardError]:
        """Errors between cards. Lines are known for the cards just read; an error about a
        card served from the cache is pointed at its line by reading that file again."""
        cards = [entry.card for entry in entries.values()]
        keys = {slug: entry.title_key for slug, entry in entries.items()}
        errors = cross_card_errors(cards, self.data_dir, keys, lines, names)
        # (looked up one by one: a set of every slug read or served is one C call that holds
        # the GIL, 5 to 10 ms each at 100,000 cards)
        unplaced = {Path(e.path).stem for e in errors if e.line == 1}
        unplaced = {slug for slug in unplaced if slug not in lines}
        for slug in [slug for slug in unplaced if slug in entries]:
            read = read_card(self.data_dir / f"{slug}{CARD_SUFFIX}")
            if read.card is not None:
                lines[slug] = read.lines
        if any(slug in lines for slug in unplaced):
            errors = cross_card_errors(cards, self.data_dir, keys, lines, names)
        return errors


def _settled(stamp: FileStamp, now_ns: int) -> FileStamp:
    """A stamp to trust next time; a file modified just now is hashed again next time."""
    return replace(stamp, mtime_ns=-1) if now_ns - stamp.mtime_ns < RACY_NS else stamp


def _read_cards(
    scan: FolderScan,
    slugs: list[str],
    entries: dict[str, Entry],
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


def small_edit(diff: CatalogDiff) -> bool:
    """Only a few cards edited, none added or removed: worth updating the catalog in place."""
    return not diff.added and not diff.removed and 0 < len(diff.changed) <= MAX_EDITS_IN_PLACE


def _checked_as_before(
    current: dict[str, Entry], entries: dict[str, Entry], changed: list[str]
) -> bool:
    """Whether every edited card keeps what the checks across cards look at (slug, title,
    year, seasons, aliases): then no such error can have appeared."""
    for slug in changed:
        old, new = current[slug].card, entries[slug].card
        if any(getattr(old, name) != getattr(new, name) for name in _CROSS_CHECKED):
            return False
    return True
