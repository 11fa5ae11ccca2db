"""Opening the database as the cache it is: never a reason for the bot not to start, and
never a reason to touch what is not ours.

* Only a *regular file* that is, or was, a SQLite database is ever opened, moved or written: a
  folder, a device, a FIFO, a socket, a symbolic link to any of them, a file that is plainly
  something else (text such as YAML, or bytes that are neither SQLite's header nor what is left
  of a database whose header was damaged), or a path equal to or inside the cards folder is
  refused (:class:`DatabaseRefused`, one line) and left exactly as it is.
* A damaged database (a file with SQLite's header, or the pages of one whose header was
  destroyed; or the file this process opened as its database, whatever became of it) is
  moved aside, kept for inspection and named in the log, and a new database is built from
  the cards. A damaged database reached through a symbolic link is refused instead: the
  link's target is not renamed.
* A database that cannot be written (a read-only file, folder or mount; a folder that cannot
  be created) is replaced by an in-memory database; the log says so once.
* A database written by a newer version of the bot is refused (:class:`StoreError`, one line):
  it is not damaged, it holds state this version cannot read, so it is left untouched.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
import stat
import time
from collections.abc import AsyncIterator
from pathlib import Path

from bot.catalog.store import (
    BUSY_TIMEOUT_MS,
    MEMORY,
    MIGRATIONS,
    OPEN_BUSY_TIMEOUT_MS,
    Store,
    StoreError,
    is_busy,
)
from bot.config import database_in_cards

log = logging.getLogger(__name__)

#: SQLite's names for a file that is not a sound database.
DAMAGED = frozenset({"SQLITE_NOTADB", "SQLITE_CORRUPT", "SQLITE_FORMAT"})
DAMAGED_WORDS = ("file is not a database", "malformed", "corrupt")
SIDECARS = ("-wal", "-shm", "-journal")
#: The first 16 bytes of every SQLite database file.
SQLITE_HEADER = b"SQLite format 3\x00"
#: Page 1's b-tree page type (the byte after the 100-byte file header): what is left to tell
#: a database by when only its header was damaged. SQLite's pages are 512 to 65536 bytes.
_BTREE_PAGE_TYPES = frozenset({2, 5, 10, 13})
_MIN_PAGE = 512
#: (st_dev, st_ino) of the files this process opened as its database, by path: such a file
#: is ours, so it is moved aside when it is damaged while in use, whatever it now holds.
_OPENED: dict[str, tuple[int, int]] = {}
#: The database paths this process created (nothing was there before it opened them).
_CREATED: set[str] = set()


class DatabaseDamaged(Exception):
    """The file exists but is not a sound SQLite database."""


class DatabaseRefused(Exception):
    """What is at the database path is not a database of ours; nothing was changed. The
    message is one line, naming the path."""


def refusal(path: str | Path, cards: Path | None = None) -> str | None:
    """Why the database must not be at ``path`` (one line, naming it), or None when it may be
    used: nothing there, an empty file, or a regular file that is (or was) a SQLite database.
    ``cards``: the cards folder, which the database may neither be nor be inside."""
    wanted = Path(path)
    if cards is not None and (clash := database_in_cards(wanted, cards)):
        return f"{wanted} {clash}"
    try:
        info = wanted.lstat()
    except FileNotFoundError:
        return None
    except OSError:
        return None  # e.g. a file where a folder should be: SQLite says why, in its words
    shown = f"{wanted}"
    if stat.S_ISLNK(info.st_mode):
        try:
            target = wanted.stat()
        except OSError:
            return None  # a dangling link: SQLite creates its target, as for a missing file
        if not stat.S_ISREG(target.st_mode):
            return f"{shown} is a symbolic link to {_kind(target.st_mode)}, not a database file"
        info = target
    if not stat.S_ISREG(info.st_mode):
        return f"{shown} is {_kind(info.st_mode)}, not a database file"
    if info.st_size == 0 or _opened_here(wanted, info):
        return None
    what = _not_sqlite(wanted, info.st_size)
    return f"{shown} is not a SQLite database ({what})" if what else None


def _not_movable(path: str, damage: str) -> str | None:
    """Why the damaged database at ``path`` must not be moved aside, or None."""
    if reason := refusal(path):
        return reason  # it changed under us into something that is not ours
    if Path(path).is_symlink():
        return (
            f"{path} is a symbolic link to a damaged database ({damage}); the link's target "
            "is left as it is: delete it, or point the database elsewhere"
        )
    return None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _opened_here(path: Path, info: os.stat_result) -> bool:
    return _OPENED.get(str(path)) == (info.st_dev, info.st_ino)


def _not_sqlite(path: Path, size: int) -> str | None:
    """What a non-empty regular file plainly is when it is no SQLite database, or None when it
    is one (or the rest of one whose header was damaged)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_MIN_PAGE)
    except OSError:
        return None  # SQLite will say why it cannot be opened
    if head.startswith(SQLITE_HEADER):
        return None
    if size % _MIN_PAGE == 0 and len(head) > 100 and head[100] in _BTREE_PAGE_TYPES:
        return None  # pages of a database whose header was destroyed
    if _is_text(head):
        return "it holds text, such as YAML or a config file"
    return "its first bytes are not SQLite's header"


def _is_text(head: bytes) -> bool:
    if b"\0" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # cut in the middle of the last character
    return True


@contextlib.asynccontextmanager
async def open_store(
    path: str | Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS, cards: Path | None = None
) -> AsyncIterator[Store]:
    """``async with open_store(path) as store``: the database at ``path``, repaired or replaced
    as the module docstring says; ``store.fallback`` tells when it is in memory instead.
    Raises :class:`DatabaseRefused` when ``path`` holds something else (or is, or is inside,
    the cards folder ``cards``)."""
    store = await connect_store(path, busy_timeout_ms=busy_timeout_ms, cards=cards)
    try:
        yield store
    finally:
        await store.close()


async def connect_store(
    path: str | Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS, cards: Path | None = None
) -> Store:
    """Open ``path`` (see :func:`open_store`); the caller closes the store."""
    wanted = str(path)
    if wanted == MEMORY:
        store = Store(MEMORY)
        await store.connect()
        return store
    if reason := refusal(wanted, cards):
        raise DatabaseRefused(reason)
    new = _absent(wanted)
    for attempt in range(2):
        try:
            store = await _open_checked(wanted, busy_timeout_ms)
            if new:
                _CREATED.add(wanted)
            return store
        except StoreError:
            raise  # a newer schema: not ours to change
        except DatabaseDamaged as exc:
            if reason := _not_movable(wanted, str(exc)):
                raise DatabaseRefused(reason) from None
            if attempt == 0 and (moved := move_aside(Path(wanted), str(exc))) is not None:
                log.warning(
                    "database %s was damaged (%s); moved it to %s and rebuilding it from the cards",
                    wanted,
                    exc,
                    moved,
                )
                continue
            return await _in_memory(wanted, f"it is damaged ({exc}) and cannot be moved aside")
        except (sqlite3.Error, OSError) as exc:
            return await _in_memory(wanted, _reason(exc))
    return await _in_memory(wanted, "it was damaged again right after being rebuilt")


async def recover(store: Store, failure: BaseException) -> None:
    """Replace the database under ``store`` after it failed while in use (damage found by a
    read, a disk that filled up or became read-only): the same rules as at start-up, in
    place, so everyone holding ``store`` moves along. The caller writes the catalog again."""
    wanted = store.wanted or store.path
    # A database this process created that holds nothing yet (no cards, no settings: its
    # first write failed, e.g. on a full disk) is removed rather than left half-written.
    leftover = wanted in _CREATED and await _holds_nothing(store)
    await _close_quietly(store)
    replacement = Store(MEMORY)
    if (
        wanted != MEMORY
        and isinstance(failure, sqlite3.DatabaseError)
        and _is_damage(failure)
        and _not_movable(wanted, _reason(failure)) is None
    ):
        moved = move_aside(Path(wanted), _reason(failure))
        if moved is not None:
            log.warning(
                "database %s was damaged (%s); moved it to %s and rebuilding it from the cards",
                wanted,
                _reason(failure),
                moved,
            )
            try:
                replacement = await _open_checked(wanted, store.busy_timeout_ms)
            except (sqlite3.Error, OSError, DatabaseDamaged, DatabaseRefused) as exc:
                replacement = await _in_memory(wanted, _reason(exc))
        else:
            replacement = await _in_memory(wanted, _reason(failure))
    elif wanted != MEMORY and not store.fallback:
        replacement = await _in_memory(wanted, _reason(failure))
        if leftover:
            _remove_created(Path(wanted))
    else:
        await replacement.connect()
    store.path, store.fallback, store.wanted = (
        replacement.path,
        replacement.fallback,
        replacement.wanted,
    )
    store.adopt(replacement)


async def _open_checked(path: str, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Store:
    if reason := refusal(path) or _another_programs(path):  # right before SQLite writes
        raise DatabaseRefused(reason)
    store = Store(path, busy_timeout_ms=busy_timeout_ms)
    try:
        await store.connect()
        await _check(store)
    except sqlite3.DatabaseError as exc:
        await _close_quietly(store)
        if _is_damage(exc):
            raise DatabaseDamaged(_reason(exc)) from exc
        raise
    except BaseException:
        await _close_quietly(store)
        raise
    with contextlib.suppress(OSError):
        info = os.stat(path)
        _OPENED[path] = (info.st_dev, info.st_ino)
    return store


#: The tables drama-bot's migrations create; a database holding others is not ours.
_OUR_TABLES = frozenset(
    re.findall(r"CREATE TABLE (?:IF NOT EXISTS )?(\w+)", "\n".join(MIGRATIONS), re.IGNORECASE)
)


def _another_programs(path: str) -> str | None:
    """Why the SQLite database at ``path`` is another program's (one line, naming it), read
    without writing (before the switch to WAL mode or a migration would change it); None when
    it may be ours: new, drama-bot's, or unreadable (the usual checks then say why)."""
    wanted = Path(path)
    try:
        if wanted.stat().st_size == 0 or _opened_here(wanted, wanted.stat()):
            return None
        with contextlib.closing(
            sqlite3.connect(
                f"{wanted.resolve().as_uri()}?mode=ro",
                uri=True,
                timeout=0.5,  # a file locked against readers: the checks after say so
            )
        ) as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            tables = {
                name
                for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                if not name.startswith("sqlite_")
            }
    except (sqlite3.Error, OSError):
        return None
    if version < 0:
        return f"{path} has schema version {version}, which no drama-bot writes"
    foreign = sorted(tables - _OUR_TABLES)
    if version == 0 and foreign:
        shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        return f"{path} holds another program's tables ({shown}), not drama-bot's"
    return None


async def _check(store: Store) -> None:
    """SQLite's structural check, then a write: fails here, not in the middle of a reload.
    Both wait at most ``OPEN_BUSY_TIMEOUT_MS`` for another process's lock."""
    await store.set_busy_timeout(min(OPEN_BUSY_TIMEOUT_MS, store.busy_timeout_ms))
    async with store.db.execute("PRAGMA quick_check") as cursor:
        rows = await cursor.fetchall()
    if [tuple(row) for row in rows] != [("ok",)]:
        raise DatabaseDamaged(f"quick_check: {str(rows[0][0])[:120]}")
    try:
        await store.set_state("last_opened", str(int(time.time())))
    except sqlite3.OperationalError as exc:
        if not is_busy(exc):
            raise
        # another process (a shard) is writing a long reload: it can write, so can we later
        store.contended = True
    await store.set_busy_timeout(store.busy_timeout_ms)


def _absent(path: str) -> bool:
    return not os.path.lexists(path)


async def _holds_nothing(store: Store) -> bool:
    """Whether the database holds no card and no server's settings (False if unsure)."""
    try:
        for table in ("cards", "guild_settings"):
            async with store.db.execute(f"SELECT 1 FROM {table} LIMIT 1") as cursor:
                if await cursor.fetchone() is not None:
                    return False
    except (sqlite3.Error, ValueError):
        return False
    return True


def _remove_created(path: Path) -> None:
    """Remove the database file this process created, and its WAL files."""
    _CREATED.discard(str(path))
    removed = []
    for name in (path.name, *(path.name + suffix for suffix in SIDECARS)):
        with contextlib.suppress(OSError):
            path.with_name(name).unlink()
            removed.append(name)
    if removed:
        log.info("removed %s, which this start had just created (%s)", path, ", ".join(removed))


async def _in_memory(path: str, reason: str) -> Store:
    log.warning(
        "cannot use the database %s (%s); serving from an in-memory database instead: the "
        "catalog is rebuilt from the cards at each start, and bot state is not kept",
        path,
        reason,
    )
    store = Store(MEMORY, fallback=reason, wanted=path)
    await store.connect()
    return store


def move_aside(path: Path, reason: str) -> Path | None:
    """Rename a damaged database (and its WAL files) out of the way; None if that fails.
    Only ever a regular file (never a folder, device, FIFO, socket or symbolic link)."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{number}")
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            log.warning("not moving %s aside: it is not a regular file", path)
            return None
    except FileNotFoundError:
        return target  # another process moved it first: open a new one
    except OSError as exc:
        log.warning("cannot move the damaged database %s aside: %s", path, _reason(exc))
        return None
    try:
        path.rename(target)
    except FileNotFoundError:
        return target  # another process moved it first: open a new one
    except OSError as exc:
        log.warning("cannot move the damaged database %s aside: %s", path, _reason(exc))
        return None
    for suffix in SIDECARS:
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).rename(target.with_name(target.name + suffix))
    return target


def _is_damage(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "")
    text = str(exc).casefold()
    return name in DAMAGED or any(word in text for word in DAMAGED_WORDS)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    if is_busy(exc):  # not "locked" by us: say who holds it
        return f"another process holds a lock on it that keeps this one out: {exc}"
    return str(exc) or type(exc).__name__


async def _close_quietly(store: Store) -> None:
    with contextlib.suppress(Exception):
        await store.close()
