"""Listing the cards folder for a start or a reload: what ``bot.cards.loader.scan_folder``
finds, made cheaper for a big folder whose files mostly did not change.

At 100,000 cards a listing is 100,000 ``stat`` calls; that much is unavoidable. What this
saves is the rest: no new :class:`FileStamp` for a file whose size and mtime are the ones
known (the known stamp is kept), and no single sort of every name (one C call that holds the
GIL for tens of milliseconds, stalling the event loop while it runs in a worker thread): the
names are sorted in bounded pieces. The result is the same as ``scan_folder``'s (the same
files in the same order, the same stamps for files that changed, the same errors: a folder
that cannot be listed, or an odd card-like name, is handed to ``scan_folder`` itself).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path

from bot.cards.loader import FileStamp, FolderScan, scan_folder
from bot.cards.reader import CARD_SUFFIX, REVIEW_DRAFT_SUFFIX
from bot.matching.pieces import sorted_in_pieces

#: Suffixes ``scan_folder`` reports on when they are not exactly ``CARD_SUFFIX``.
_CARD_LIKE = frozenset({CARD_SUFFIX, ".yml"})
_UNKNOWN = FileStamp(-1, -1)


def list_folder(directory: Path, known: Mapping[str, FileStamp] | None = None) -> FolderScan:
    """The folder's card files by slug with their stamps, as :func:`scan_folder` lists them.

    ``known``: stamps already held by slug; a file whose size and mtime match its known stamp
    keeps that very object. Runs in a worker thread (system calls and CPU)."""
    return list_cards(directory, known)[0]


def list_cards(
    directory: Path, known: Mapping[str, FileStamp] | None = None
) -> tuple[FolderScan, bool]:
    """:func:`list_folder`, and whether any card file is a link (symbolic, or a file with
    other hard links): a change made through another name does not show in this folder's
    own record of changes (``bot.catalog.journal``)."""
    if os.stat not in os.supports_dir_fd:
        return scan_folder(directory), True
    cards: list[str] = []
    linked = False
    try:
        with os.scandir(directory) as listing:
            for entry in listing:
                name = entry.name
                if name.endswith(REVIEW_DRAFT_SUFFIX):
                    return scan_folder(directory), True  # (a warning to give: rare)
                if name.endswith(CARD_SUFFIX) and not name.startswith("."):
                    cards.append(name)
                    linked = linked or entry.is_symlink()  # (the entry's type: no system call)
                elif card_like(name):
                    # An error to report: rare, so done the long way.
                    return scan_folder(directory), True
    except OSError:
        return scan_folder(directory), True  # (it says why, in its words)
    known = known or {}
    files: dict[str, FileStamp] = {}
    try:
        folder = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return scan_folder(directory), True
    try:
        for name in sorted_in_pieces(cards, key=_itself):
            slug = name[: -len(CARD_SUFFIX)]
            try:
                info = os.stat(name, dir_fd=folder)
            except OSError:
                files[slug] = _UNKNOWN  # read anyway: the read says what is wrong
                continue
            if not stat.S_ISREG(info.st_mode):
                files[slug] = _UNKNOWN
                continue
            linked = linked or info.st_nlink > 1
            size, mtime_ns = info.st_size, info.st_mtime_ns
            old = known.get(slug)
            if old is not None and old.size == size and old.mtime_ns == mtime_ns:
                files[slug] = old
            else:
                files[slug] = FileStamp(size, mtime_ns)
    finally:
        os.close(folder)
    return FolderScan(directory, files), linked


def card_like(name: str) -> bool:
    """A name ``scan_folder`` reports as an error: card-like, but not ``<slug>.yaml``."""
    if name.startswith("."):
        return False
    _stem, dot, suffix = name.rpartition(".")
    return bool(dot) and f".{suffix}".casefold() in _CARD_LIKE


def _itself(name: str) -> str:
    return name
