"""What changed in the cards folder since it was last listed, from the kernel (inotify, through
the maintained ``inotify_simple`` library; Linux only), so that ``/reload`` in a big folder
looks only at the files named instead of calling ``stat`` 100,000 times.

The kernel queues an event for every change as the change is made, so reading the queue at the
start of a reload names every file changed before it, with nothing in flight (unlike a
debounced watcher). A journal never guesses: whenever it cannot vouch for having seen every
change (the kernel's queue overflowed, the folder was moved, deleted or replaced, a read
failed) :meth:`Journal.changes` says ``None`` and the caller lists the whole folder. It is
only opened on a local file system of a known kind: a network or FUSE mount does not report
changes made on other machines (or by the host of a virtual machine).
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

try:
    import inotify_simple
except (ImportError, OSError, AttributeError):  # not Linux: there is no journal
    inotify_simple = None

log = logging.getLogger(__name__)

#: File systems whose inotify events cover every change (made on this machine's kernel).
LOCAL_FILE_SYSTEMS = frozenset(
    {"ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "zfs", "f2fs", "jfs", "reiserfs", "bcachefs"}
)


class Journal:
    """The kernel's record of changes to one folder's entries (not recursive)."""

    def __init__(self, directory: Path, notify: object, identity: tuple[int, int]) -> None:
        self.directory = directory
        self._notify = notify
        self._identity = identity

    @classmethod
    def open(cls, directory: Path) -> Journal | None:
        """A journal of ``directory`` from now on, or None where there can be none (not Linux,
        not a local file system, out of inotify instances or watches)."""
        if inotify_simple is None:
            return None
        kind = file_system(directory)
        if kind not in LOCAL_FILE_SYSTEMS:
            log.debug("no change journal for %s (file system %s)", directory, kind)
            return None
        flags = inotify_simple.flags
        mask = (
            flags.CREATE
            | flags.DELETE
            | flags.MODIFY
            | flags.CLOSE_WRITE
            | flags.ATTRIB
            | flags.MOVED_FROM
            | flags.MOVED_TO
            | flags.DELETE_SELF
            | flags.MOVE_SELF
            | flags.ONLYDIR
        )
        notify = None
        try:
            notify = inotify_simple.INotify()
            notify.add_watch(str(directory), mask)
            info = os.stat(directory)
        except OSError as exc:
            if notify is not None:
                notify.close()
            log.info("no change journal for %s (%s): /reload lists the folder", directory, exc)
            return None
        return cls(directory, notify, (info.st_dev, info.st_ino))

    def changes(self) -> set[str] | None:
        """The names of the entries changed since the last call (or since opening); None
        when some change may have gone unrecorded: then list the folder, and open a new
        journal first."""
        flags = inotify_simple.flags  # type: ignore[union-attr]
        lost = flags.Q_OVERFLOW | flags.IGNORED | flags.UNMOUNT | flags.DELETE_SELF
        lost |= flags.MOVE_SELF
        try:
            events = self._notify.read(timeout=0)  # type: ignore[attr-defined]
            info = os.stat(self.directory)
        except (OSError, ValueError):
            return None
        if (info.st_dev, info.st_ino) != self._identity:  # another folder is there now
            return None
        names: set[str] = set()
        for event in events:
            if event.mask & lost:
                return None
            if event.name:
                names.add(event.name)
        return names

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._notify.close()  # type: ignore[attr-defined]


def file_system(directory: Path) -> str:
    """The kind of file system ``directory`` is on (from ``/proc/self/mountinfo``), or ""."""
    try:
        place = str(directory.resolve())
        lines = Path("/proc/self/mountinfo").read_text("utf-8").splitlines()
    except OSError:
        return ""
    best, kind = "", ""
    for line in lines:
        fields = line.split()
        if "-" not in fields[6:]:
            continue
        point = _unescaped(fields[4])
        dash = fields.index("-", 6)
        inside = place == point or place.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best) and len(fields) > dash + 1:
            best, kind = point, fields[dash + 1]
    return kind


def _unescaped(field: str) -> str:
    """A mount point as mountinfo writes it: space, tab, newline and backslash in octal."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field
