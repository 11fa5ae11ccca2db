"""Looking at the cards folder: which files to read (the whole listing, the files a watcher
named, or those the kernel's journal named), and the listing after a journaled reload."""

from __future__ import annotations

import asyncio
import logging
import stat
from array import array
from dataclasses import dataclass
from pathlib import Path

from bot.cards.errors import CardError
from bot.cards.loader import FileStamp, FolderScan, rescan
from bot.cards.reader import CARD_SUFFIX
from bot.cards.turns import in_thread
from bot.catalog.entries import Entry
from bot.catalog.heap import collector_paused
from bot.catalog.journal import Journal
from bot.catalog.listing import card_like, list_cards
from bot.catalog.reload_report import log_watched

log = logging.getLogger("bot.catalog.service")  # (the service's records, as before the split)

#: From this many cards on, ``/reload`` keeps a journal of the folder's changes (see
#: ``bot.catalog.journal``) and looks only at the files it names instead of listing them all.
JOURNAL_FROM = 10_000

#: After a reload that trusted the journal, the folder is listed all the same this many
#: seconds later (unless another such reload comes first), for changes no event reports.
VERIFY_AFTER = 2.0


#: The stamp of a file a reload did not look at, in its listing: the one of the card served
#: (never compared: it would say "changed", the safe side).
AS_SERVED = FileStamp(-1, -1)


class Scanning:
    """Which card files changed, and the folder's journal (``CatalogService``'s part)."""

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
            self._links_found = linked  # (a reload's worker tells the serving process)
            if linked and self._journal is not None:
                # A card reached through a link changes without an event in this folder.
                self._journal.close()
                self._journal = None
        elif trust_stamps:
            # Only the named files are looked at; every other one keeps the stamp of the card
            # it holds, so only those named may need reading, and no other stamp is looked at:
            # a placeholder stands for each (a stamp made per card was 100,000 objects, 80 ms
            # of CPU, in every watched reload at 100,000 cards).
            scan = rescan(FolderScan(self.data_dir, dict.fromkeys(current, AS_SERVED)), only)
            named = (name.removesuffix(CARD_SUFFIX) for name in only)
            return scan, sorted(slug for slug in named if slug in scan.files)
        else:
            known = FolderScan(self.data_dir, {s: e.stamp for s, e in current.items()})
            scan = rescan(known, only)
        to_read: list[str] = []
        for slug, stamp in scan.files.items():
            entry = current.get(slug)
            if entry is None or not trust_stamps or not entry.same_file(stamp):
                to_read.append(slug)
            elif only is not None and slug + CARD_SUFFIX in only:
                to_read.append(slug)  # the watcher saw it change: compare its bytes
        return scan, to_read

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
                await in_thread(self._drain)
                if self._journal is None:
                    return  # (the next reload lists the folder)
                served, seen = self._entries, set(self._journaled)
                self._seen = seen
            scan, linked = await in_thread(_listed, self.data_dir)
            async with self._lock:
                await in_thread(self._drain)
                self._seen = None
                if self._journal is None:  # (it overflowed meanwhile: the next reload lists)
                    return
                names = await in_thread(_unreported, scan, served, seen)
                if (names or linked) and self._journal is not None:
                    self._journal.close()  # (the next reload lists the folder)
                    self._journal = None
            if names:
                log.warning(
                    "%d changed card files were not reported by the folder's events "
                    "(e.g. edited through a hard link); reloading them",
                    len(names),
                )
                log_watched(await self.reload(names=names))
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


def _is_card_name(name: str) -> bool:
    return name.endswith(CARD_SUFFIX) and "/" not in name and not name.startswith(".")


def _unreported(scan: FolderScan, served: dict[str, Entry], seen: set[str]) -> list[str]:
    """The card files whose listing differs from the cards ``served`` when it began, but for
    those the journal named since (``seen``: a reload looked, or looks, at them)."""
    with collector_paused():
        slugs = [slug for slug in served if slug not in scan.files]
        for slug, stamp in scan.files.items():
            entry = served.get(slug)
            if entry is None:
                slugs.append(slug)
            elif entry.mtime_ns >= 0 and not entry.same_file(stamp):
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


@dataclass(frozen=True, slots=True)
class PackedScan:
    """A :class:`FolderScan` as a few flat values, to hand to another process (a reload's
    worker: ``bot.catalog.reload_worker``) instead of a pickle of one object per file: the
    slugs and their hashes each one string, the sizes and mtimes each one array's bytes.
    Pickled in a C call or two that copy memory (a pickle of 100,000 stamps would hold the
    GIL, and stall the event loop, for a tenth of a second)."""

    directory: Path
    slugs: str  # NUL-separated, in the listing's order (no file name holds a NUL)
    sizes: bytes
    mtimes: bytes
    hashes: str  # NUL-separated, "" for a file not read yet
    errors: tuple[CardError, ...]
    warnings: tuple[CardError, ...]
    ok: bool


def packed(scan: FolderScan) -> PackedScan:
    """``scan`` packed (runs in a worker thread: a pass over every file)."""
    with collector_paused():
        stamps = scan.files.values()
        return PackedScan(
            scan.directory,
            "\0".join(scan.files),
            array("q", [stamp.size for stamp in stamps]).tobytes(),
            array("q", [stamp.mtime_ns for stamp in stamps]).tobytes(),
            "\0".join([stamp.content_hash for stamp in stamps]),
            tuple(scan.errors),
            tuple(scan.warnings),
            scan.ok,
        )


def unpacked(scan: PackedScan) -> FolderScan:
    """The :class:`FolderScan` that :func:`packed` packed: the same files in the same order
    with equal stamps, the same errors and warnings."""
    with collector_paused():
        slugs = scan.slugs.split("\0") if scan.slugs else []
        sizes, mtimes = array("q", scan.sizes), array("q", scan.mtimes)
        hashes = scan.hashes.split("\0") if slugs else []
        files = {
            slug: FileStamp(size, mtime_ns, digest)
            for slug, size, mtime_ns, digest in zip(slugs, sizes, mtimes, hashes, strict=True)
        }
        return FolderScan(scan.directory, files, list(scan.errors), scan.ok, list(scan.warnings))
