"""Opening the database as the cache it is: never a reason for the bot not to start.

* A damaged file (not a database, a zeroed header, a malformed page, a directory in its place)
  is moved aside, kept for inspection and named in the log, and a new database is built from
  the cards.
* A database that cannot be written (a read-only file, folder or mount; a folder that cannot
  be created) is replaced by an in-memory database; the log says so once.
* A database written by a newer version of the bot is refused (:class:`StoreError`, one line):
  it is not damaged, it holds state this version cannot read, so it is left untouched.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path

from bot.catalog.store import BUSY_TIMEOUT_MS, MEMORY, Store, StoreError, is_busy

log = logging.getLogger(__name__)

#: SQLite's names for a file that is not a sound database.
DAMAGED = frozenset({"SQLITE_NOTADB", "SQLITE_CORRUPT", "SQLITE_FORMAT"})
DAMAGED_WORDS = ("file is not a database", "malformed", "corrupt")
SIDECARS = ("-wal", "-shm", "-journal")


class DatabaseDamaged(Exception):
    """The file exists but is not a sound SQLite database."""


@contextlib.asynccontextmanager
async def open_store(
    path: str | Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS
) -> AsyncIterator[Store]:
    """``async with open_store(path) as store``: the database at ``path``, repaired or replaced
    as the module docstring says; ``store.fallback`` tells when it is in memory instead."""
    store = await connect_store(path, busy_timeout_ms=busy_timeout_ms)
    try:
        yield store
    finally:
        await store.close()


async def connect_store(path: str | Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Store:
    """Open ``path`` (see :func:`open_store`); the caller closes the store."""
    wanted = str(path)
    if wanted == MEMORY:
        store = Store(MEMORY)
        await store.connect()
        return store
    for attempt in range(2):
        try:
            return await _open_checked(wanted, busy_timeout_ms)
        except StoreError:
            raise  # a newer schema: not ours to change
        except DatabaseDamaged as exc:
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


def _not_a_file(path: Path) -> bool:
    return path.exists() and not path.is_file()


async def recover(store: Store, failure: BaseException) -> None:
    """Replace the database under ``store`` after it failed while in use (damage found by a
    read, a disk that filled up or became read-only): the same rules as at start-up, in
    place, so everyone holding ``store`` moves along. The caller writes the catalog again."""
    wanted = store.wanted or store.path
    await _close_quietly(store)
    replacement = Store(MEMORY)
    if wanted != MEMORY and isinstance(failure, sqlite3.DatabaseError) and _is_damage(failure):
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
            except (sqlite3.Error, OSError, DatabaseDamaged) as exc:
                replacement = await _in_memory(wanted, _reason(exc))
        else:
            replacement = await _in_memory(wanted, _reason(failure))
    elif wanted != MEMORY and not store.fallback:
        replacement = await _in_memory(wanted, _reason(failure))
    else:
        await replacement.connect()
    store.path, store.fallback, store.wanted = (
        replacement.path,
        replacement.fallback,
        replacement.wanted,
    )
    store._db = replacement._db


async def _open_checked(path: str, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Store:
    if _not_a_file(Path(path)):
        raise DatabaseDamaged("a folder or another non-file is in its place")
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
    return store


async def _check(store: Store) -> None:
    """SQLite's structural check, then a write: fails here, not in the middle of a reload."""
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
    """Rename a damaged database (and its WAL files) out of the way; None if that fails."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{number}")
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
    return str(exc) or type(exc).__name__


async def _close_quietly(store: Store) -> None:
    with contextlib.suppress(Exception):
        await store.close()
