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
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from bot.cards.loader import FileStamp, FolderScan, scan_folder
from bot.cards.reader import CARD_SUFFIX, REVIEW_DRAFT_SUFFIX
from bot.cards.turns import give_way
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


#: From this size of the folder's own directory file (on ext4 about 5,000 entries) a start
#: lists it in another process (:func:`list_folder_apart`).
APART_FROM_BYTES = 256 << 10
_SUFFIXES = (CARD_SUFFIX, REVIEW_DRAFT_SUFFIX)
_PIECE = "2048"  # files per piece of the listing process's output
#: How long the listing process may take before the folder is listed here instead.
APART_TIMEOUT_S = 60.0
# The listing process: no import of ours (a bare interpreter starts in about 20 ms), and
# what it prints is plain data. Arguments: the folder, the card and draft suffixes, and how
# many files a piece holds. It prints "here" (a name to report on, or a folder that cannot
# be listed: the caller lists it itself, the long way), or "ok", whether a card file is a
# link and a newline, then the card files in name order, in pieces: "<files> <bytes>\n",
# then per file its slug (the name without the suffix), size and mtime_ns (-1 and -1 when
# it is not a regular file or cannot be looked at) separated by NUL bytes. (Pieces: each is
# decoded and split here in one C call holding the GIL; the whole output in one would stall
# the event loop for tens of ms.)
_APART = """
import os, stat, sys
folder, suffix, draft, piece = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
like = {suffix, ".yml"}
cut = len(os.fsencode(suffix))
def here():
    sys.stdout.buffer.write(b"here")
    sys.exit(0)
names, linked = [], False
try:
    with os.scandir(folder) as listing:
        for entry in listing:
            name = entry.name
            if name.endswith(draft):
                here()
            if name.endswith(suffix) and not name.startswith("."):
                names.append(name)
                linked = linked or entry.is_symlink()
            elif not name.startswith("."):
                stem, dot, tail = name.rpartition(".")
                if dot and ("." + tail).casefold() in like:
                    here()
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
except OSError:
    here()
names.sort()
chunks = []
for start in range(0, len(names), piece):
    out = []
    for name in names[start : start + piece]:
        try:
            info = os.stat(name, dir_fd=fd)
        except OSError:
            out += (os.fsencode(name)[:-cut], b"-1", b"-1")
            continue
        if not stat.S_ISREG(info.st_mode):
            out += (os.fsencode(name)[:-cut], b"-1", b"-1")
            continue
        linked = linked or info.st_nlink > 1
        out += (os.fsencode(name)[:-cut], b"%d" % info.st_size, b"%d" % info.st_mtime_ns)
    data = b"\\0".join(out)
    chunks += (b"%d %d\\n" % (len(out) // 3, len(data)), data)
sys.stdout.buffer.write(b"".join([b"ok %d\\n" % linked, *chunks]))
"""


def list_folder_apart(directory: Path, apart_from: int = APART_FROM_BYTES) -> FolderScan:
    """:func:`list_folder` (no stamps known), in another process when the folder is big: its
    100,000 ``stat`` calls then run beside this process's work instead of taking turns with
    it for the GIL (a thread that makes a system call per file waits for the GIL after each
    one while another thread decodes: the listing took three times as long). Whatever goes
    wrong there (no interpreter to start, a name to report on, an unreadable folder), the
    folder is listed here, as :func:`list_folder` lists it. ``apart_from``: the size of the
    folder's directory file from which it is listed in another process."""
    try:
        big = os.stat(directory).st_size >= apart_from
    except OSError:
        big = False
    # (a frozen application's executable is no interpreter to hand a script to)
    apart = big and bool(sys.executable) and not getattr(sys, "frozen", False)
    found = listed_apart(directory) if apart else None
    return found[0] if found is not None else list_folder(directory)


def listed_apart(directory: Path) -> tuple[FolderScan, bool] | None:
    """:func:`list_cards`'s answer (no stamps known) from another process; None when it
    could not give it (list the folder here instead)."""
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-S", "-c", _APART, os.fspath(directory), *_SUFFIXES, _PIECE],
            capture_output=True,
            timeout=APART_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError, ValueError, TypeError):
        return None
    out = done.stdout
    if done.returncode != 0 or out[:5] not in (b"ok 0\n", b"ok 1\n"):
        return None
    try:
        files = _stamps(out, 5)
    except ValueError:  # (not what the listing process prints)
        return None
    return FolderScan(directory, files), out[3:4] == b"1"


def _stamps(out: bytes, at: int) -> dict[str, FileStamp]:
    """The stamps by slug the listing process printed in ``out`` from ``at`` on, a piece at a
    time (each piece decoded and split in one call, its stamps made by ``map``: no Python loop
    over the files), giving way between pieces (``turns.give_way``: a thread waiting for the
    GIL, the event loop's, takes it then, whatever the folder's size); ValueError when it is
    not what it prints."""
    files: dict[str, FileStamp] = {}
    whole = memoryview(out)
    encoding, errors = sys.getfilesystemencoding(), sys.getfilesystemencodeerrors()
    while at < len(out):
        end = out.index(b"\n", at)
        count, length = map(int, out[at:end].split(b" "))
        at = end + 1 + length
        if at > len(out):
            raise ValueError("cut short")
        # (a NUL byte is one in any file system encoding: split after decoding, as before)
        fields = str(whole[end + 1 : at], encoding, errors).split("\0")
        if len(fields) != 3 * count:
            raise ValueError("not a piece")
        # (a file that is not regular, or could not be looked at, is -1 and -1: _UNKNOWN)
        stamps = map(FileStamp, map(int, fields[1::3]), map(int, fields[2::3]))
        files.update(zip(fields[0::3], stamps, strict=True))
        give_way()
    return files


def card_like(name: str) -> bool:
    """A name ``scan_folder`` reports as an error: card-like, but not ``<slug>.yaml``."""
    if name.startswith("."):
        return False
    _stem, dot, suffix = name.rpartition(".")
    return bool(dot) and f".{suffix}".casefold() in _CARD_LIKE


def _itself(name: str) -> str:
    return name
