"""SQLite storage through aiosqlite: the versioned schema, and the atomic catalog swap.

The database is a cache of the YAML cards (plus bot state that does not come from cards, such
as server settings and the last command-sync fingerprint, which survive reloads). Deleting the
file costs no card: the next start rebuilds the catalog from the cards; but every server's
``/settings`` (default region, public channels) are lost, and the next start syncs the
commands again.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import sqlite3
import urllib.parse
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import aiosqlite
import msgspec

from bot.cards.loader import FileStamp, card_body
from bot.cards.model import Card, card_from_dict
from bot.cards.turns import in_thread
from bot.catalog.heap import release
from bot.catalog.lazy_cards import StoredBodies, StoredBody
from bot.catalog.sharing import Table

log = logging.getLogger(__name__)

# Each entry moves the schema up one version; never edit a released entry, append a new one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE cards (
        slug    TEXT PRIMARY KEY,
        title   TEXT NOT NULL,
        year    INTEGER NOT NULL,
        digest  TEXT NOT NULL,
        body    TEXT NOT NULL
    );
    CREATE TABLE cast_credits (
        slug     TEXT NOT NULL REFERENCES cards(slug) ON DELETE CASCADE,
        billing  INTEGER NOT NULL,
        actor    TEXT NOT NULL,
        role     TEXT,
        PRIMARY KEY (slug, billing)
    );
    CREATE INDEX cast_credits_actor ON cast_credits(actor);
    CREATE TABLE catalog_meta (
        key    TEXT PRIMARY KEY,
        value  TEXT NOT NULL
    );
    CREATE TABLE guild_settings (
        guild_id  INTEGER NOT NULL,
        key       TEXT NOT NULL,
        value     TEXT NOT NULL,
        PRIMARY KEY (guild_id, key)
    );
    CREATE TABLE bot_state (
        key    TEXT PRIMARY KEY,
        value  TEXT NOT NULL
    );
    """,
    # 2: each card remembers the file it came from, so a start with unchanged files reads
    # no YAML (size + mtime, and the content hash when those differ).
    """
    ALTER TABLE cards ADD COLUMN file_size INTEGER NOT NULL DEFAULT -1;
    ALTER TABLE cards ADD COLUMN file_mtime_ns INTEGER NOT NULL DEFAULT -1;
    ALTER TABLE cards ADD COLUMN file_hash TEXT NOT NULL DEFAULT '';
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
#: The index of credits by actor, as the first migration made it (made again after a bulk
#: write into an empty table: see :meth:`Store.write_changes`).
_CREDITS_BY_ACTOR = "cast_credits_actor"
CREDITS_BY_ACTOR = f"CREATE INDEX {_CREDITS_BY_ACTOR} ON cast_credits(actor)"
#: From this many credits written into an empty table, the index is made after them.
BULK_CREDITS = 1_000


def is_busy(exc: BaseException) -> bool:
    """Another process holds the write lock longer than ``busy_timeout_ms``."""
    name = getattr(exc, "sqlite_errorname", "")
    return name.startswith("SQLITE_BUSY") or "database is locked" in str(exc)


class StoreError(Exception):
    """The database cannot be used (e.g. it was written by a newer version of the bot)."""


@dataclass(frozen=True, slots=True)
class CatalogDiff:
    """What a catalog swap changed, by slug."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: int = 0

    @property
    def total(self) -> int:
        return len(self.added) + len(self.changed) + self.unchanged


MEMORY = ":memory:"
#: How long a connection to a database file left for another one (``Store._reopen``) stays
#: open for the reads begun on it.
RETIRED_SECONDS = 10.0
BUSY_TIMEOUT_MS = 15_000
#: How many times a server's setting is tried while another process holds the write lock
#: (each try waits ``busy_timeout_ms``): a minute in all.
SETTING_TRIES = 4
#: How long opening the database (its mode, its check and first write) waits for a lock
#: another process holds. Shards sharing a database in WAL mode never block each other's
#: reads, so only a lock of another kind waits here (a program holding the file exclusively):
#: that one ends the wait in seconds, not ``busy_timeout_ms`` at every step (polish9).
OPEN_BUSY_TIMEOUT_MS = 2_000
#: A stored card as read: slug, file size, file mtime_ns, file hash, digest, JSON body (the
#: text columns as bytes, so one damaged row cannot stop the others from being read).
StoredRow = tuple[bytes, int, int, bytes, bytes, bytes]


@dataclass(slots=True)
class Store:
    """The bot's SQLite database. Use ``async with Store.open(path) as store``, or
    ``bot.catalog.opening.open_store`` to repair or replace a database that cannot be used."""

    path: str
    #: Why this is an in-memory database instead of the configured file ("" when it is not).
    fallback: str = ""
    #: The configured file, when ``fallback`` replaced it.
    wanted: str = ""
    #: How long a writer waits for another process's write to finish (several processes,
    #: e.g. shards, share one database: WAL lets readers on, writers take turns).
    busy_timeout_ms: int = BUSY_TIMEOUT_MS
    #: Another process held the write lock when this store was opened (a shard writing, or
    #: another program): reads go on, writes wait for it (set by ``opening``).
    contended: bool = False
    _db: aiosqlite.Connection | None = field(default=None, repr=False)
    #: A second, read-only connection (its own thread) for the reads answers make (a
    #: server's settings): in WAL mode it reads on while ``_db`` waits for another process's
    #: write lock (a ``/settings`` write can wait a minute: round 16). None in memory, or
    #: when the file cannot be opened read-only: reads then go through ``_db``.
    _reader: aiosqlite.Connection | None = field(default=None, repr=False)
    _json: bool | None = field(default=None, repr=False)  # SQLite's JSON functions
    #: Held by every write and by ``rewrite_at_path`` from its copy to its reopen, so a
    #: write (a server's ``/settings``) never lands in the file being left, nor in a store
    #: closed for the reopen; and never inside another write's transaction (one connection:
    #: it would commit or roll back with it).
    _writes: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)
    #: The file this store opened, as (device, inode): another process sharing the
    #: database (a shard) may write it again at the path (see ``follow_rewrite``).
    _opened: tuple[int, int] | None = field(default=None, repr=False)
    #: Connections to a file left for the one at the path, closing (``_reopen``).
    _retired: list[aiosqlite.Connection] = field(default_factory=list, repr=False)

    @classmethod
    def open(cls, path: str | Path) -> Store:
        return cls(str(path))

    async def __aenter__(self) -> Store:
        await self.connect()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def opened_file(self) -> tuple[int, int] | None:
        """The file this store has open, as (device, inode); None in memory."""
        return self._opened

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise StoreError("the store is not open")
        return self._db

    @property
    def reads(self) -> aiosqlite.Connection:
        """The connection for reads that must not queue behind a write (``_reader``)."""
        return self._reader if self._reader is not None and self._db is not None else self.db

    def adopt(self, other: Store) -> None:
        """Go on with ``other``'s connections (this store's are closed: ``opening.recover``)."""
        self._db, self._reader, self._opened = other._db, other._reader, other._opened

    async def connect(self) -> None:
        if self.path != MEMORY:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a swap is one transaction.
        self._db = await aiosqlite.connect(self.path, isolation_level=None)
        try:
            await self._db.execute("PRAGMA foreign_keys = ON")
            if self.path != MEMORY:
                # The timeout first: switching a new file to WAL takes a lock another
                # process may hold at the same moment (a short one: see OPEN_BUSY_TIMEOUT_MS).
                await self.set_busy_timeout(min(OPEN_BUSY_TIMEOUT_MS, self.busy_timeout_ms))
                await self._db.execute("PRAGMA journal_mode = WAL")
                # A migration waits as long as any write: a shard may be writing its catalog.
                await self.set_busy_timeout(self.busy_timeout_ms)
            await self.migrate()
            if self.path != MEMORY:
                self._opened = _file_identity(self.path)
                self._reader = await _read_only(self.path)
        except BaseException:
            await self.close()  # e.g. a database from a newer bot: do not leak the connection
            raise

    async def set_busy_timeout(self, milliseconds: int) -> None:
        """How long SQLite waits for another process's lock from now on (not in memory)."""
        if self.path != MEMORY:
            await self.db.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")

    async def _rollback(self) -> None:
        """Undo the open transaction after a failure, keeping that failure the one raised:
        SQLite has already rolled back by itself after some errors (a full disk), and a
        ROLLBACK then would only say "no transaction is active"."""
        if self._db is not None and self._db.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                await self._db.execute("ROLLBACK")

    @contextlib.asynccontextmanager
    async def _writing(self) -> AsyncIterator[None]:
        """The store's write lock, on the file at the path: one another process sharing the
        database wrote again there is followed first (``follow_rewrite``)."""
        async with self._writes:
            await self._follow_rewrite()
            yield

    @contextlib.asynccontextmanager
    async def _transaction(self) -> AsyncIterator[None]:
        """One write transaction (``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any
        failure) under the store's write lock."""
        async with self._writing():
            await self.db.execute("BEGIN IMMEDIATE")
            try:
                yield
                await self.db.execute("COMMIT")
            except BaseException:
                await self._rollback()
                raise

    async def close(self) -> None:
        while self._retired:
            await self._retired.pop().close()
        if self._reader is not None:
            reader, self._reader = self._reader, None
            with contextlib.suppress(sqlite3.Error, ValueError):
                await reader.close()
        if self._db is not None:
            await self._db.close()
            self._db = None

    async def _reopen(self) -> None:
        """Go on with the file at the path: a new connection takes the old one's place
        before that one closes, so a read is never refused for a store closed meanwhile;
        the old one closes once the reads begun on it are done (``RETIRED_SECONDS``)."""
        fresh = Store(self.path, busy_timeout_ms=self.busy_timeout_ms)
        await fresh.connect()
        left = (self._db, self._reader)
        self.adopt(fresh)
        for old in left:
            if old is not None:
                self._retired.append(old)
                asyncio.get_running_loop().call_later(
                    RETIRED_SECONDS, lambda old=old: asyncio.ensure_future(self._close_retired(old))
                )

    async def _close_retired(self, connection: aiosqlite.Connection) -> None:
        if connection in self._retired:
            self._retired.remove(connection)
            with contextlib.suppress(sqlite3.Error, ValueError):
                await connection.close()

    async def rewrite_at_path(self) -> None:
        """Write this open database whole to its path again and go on with that file: for a
        file deleted while the bot runs (SQLite writes on to the unlinked file, gone when the
        connection closes). SQLite's backup API copies every page (settings, cards, kept
        parts) into a new file beside it, which is renamed into place (the WAL and shared-memory
        files left at the path's names are removed first: they are the deleted file's) and
        taken over by a new connection (``_reopen``). Raises ``OSError`` or
        ``sqlite3.Error`` with the store still open on the file it had. The new file names
        the one it replaces (``rewritten_from``), so the other processes sharing it follow."""
        if self.path == MEMORY:
            return
        fresh = f"{self.path}.rewritten"
        async with self._writes:  # (a write made between the copy and the reopen was lost)
            if await self._follow_rewrite():  # (another process sharing it was first)
                return
            await in_thread(Path(self.path).parent.mkdir, parents=True, exist_ok=True)
            await in_thread(Path(fresh).unlink, missing_ok=True)
            # The file's write lock is held from the copy to the reopen: another process
            # sharing it (a shard) writes before the copy (so it is copied) or after the
            # rename (so it finds the new file and writes there again: ``_setting_write``),
            # never in between, where its write reached the file being left only (round 16).
            # The copy is read through the read-only connection (SQLite refuses to copy
            # through the one holding the write lock); WAL lets it read meanwhile.
            writer, source = self.db, self._reader
            if source is not None:
                await writer.execute("BEGIN IMMEDIATE")
            try:
                target = sqlite3.connect(fresh, check_same_thread=False)  # (aiosqlite's thread)
                try:
                    await (source or writer).backup(target)
                    await in_thread(_mark_rewritten, target, self._opened)
                finally:
                    target.close()
                await in_thread(_remove_journals, self.path)
                await in_thread(Path(fresh).replace, self.path)
                await self._reopen()
            finally:
                if source is not None:
                    with contextlib.suppress(sqlite3.Error, ValueError):
                        await writer.execute("ROLLBACK")

    async def follow_rewrite(self) -> bool:
        """Whether the file at the path is this database written again there by another
        process sharing it (a shard's ``rewrite_at_path``, after the file was deleted): if so
        the store is reopened on it, so what it writes from now on is not lost with the
        unlinked file. A file put there otherwise (a backup put back) is not followed."""
        async with self._writes:
            return await self._follow_rewrite()

    async def _follow_rewrite(self) -> bool:
        if self._opened is None or self._db is None:
            return False
        try:
            if _file_identity(self.path) == self._opened:  # (one stat: before every write)
                return False
        except OSError:
            return False  # (deleted: written again by whichever process reloads first)
        if await in_thread(_rewritten_from, self.path) != self._opened:
            return False
        log.info("the database file %s was written again by another process: reopened", self.path)
        await self._reopen()
        return True

    async def schema_version(self) -> int:
        async with self.db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self) -> None:
        """Apply every migration the database has not seen yet, each in its own transaction."""
        version = await self.schema_version()
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {version}, newer than this bot's "
                f"{SCHEMA_VERSION}; upgrade the bot, or delete the file (the cards are "
                "rebuilt from the card files, but every server's /settings are lost)"
            )
        for number in range(version, SCHEMA_VERSION):
            await self.db.execute("BEGIN IMMEDIATE")
            # Another process (a shard beside this one) may have migrated while we waited for
            # the write lock: read the version again inside the transaction.
            if await self.schema_version() > number:
                await self.db.execute("COMMIT")
                continue
            try:
                for statement in _statements(MIGRATIONS[number]):
                    await self.db.execute(statement)
                await self.db.execute(f"PRAGMA user_version = {number + 1}")
                await self.db.execute("COMMIT")
            except BaseException:
                await self._rollback()
                raise
            log.info("database %s migrated to schema version %d", self.path, number + 1)

    # -- the catalog ---------------------------------------------------------------------

    async def replace_catalog(self, cards: Iterable[Card], source: str = "") -> CatalogDiff:
        """Swap the whole catalog for ``cards`` in one transaction and report what changed.

        A reader running at the same time sees either the old catalog or the new one, never
        a mix; if anything fails, the old catalog stays as it was.
        """
        rows = []
        for card in cards:
            body, digest = card_body(card)
            rows.append(StoredCard(card.slug, FileStamp(-1, -1), digest, body, card))
        async with self.db.execute("SELECT slug, digest FROM cards") as cursor:
            old: dict[str, str] = dict(await cursor.fetchall())  # type: ignore[arg-type]
        new = {row.slug: row.digest for row in rows}
        await self.write_changes(rows, (), sorted(set(old) - set(new)), source, replace=True)
        return CatalogDiff(
            added=tuple(sorted(set(new) - set(old))),
            changed=tuple(sorted(s for s in new.keys() & old.keys() if new[s] != old[s])),
            removed=tuple(sorted(set(old) - set(new))),
            unchanged=sum(1 for s in new.keys() & old.keys() if new[s] == old[s]),
        )

    async def write_changes(
        self,
        upserts: Sequence[StoredCard],
        restamped: Sequence[tuple[str, FileStamp]],
        removed: Sequence[str],
        source: str,
        *,
        replace: bool = False,
    ) -> None:
        """Apply one reload in one transaction: cards added or changed, files whose stamp
        changed but not their card, cards removed. ``replace``: drop every other card first.

        A reader sees the catalog before or after, never a mix; on any failure nothing changes.
        """
        # Building the parameter lists is a loop over every changed card: not on the event loop.
        # (a list, emptied in a thread at the end: freeing it is a loop over every card too)
        json_functions = await self._json_credits()
        bodied, credited = await in_thread(_bodies_and_credits, upserts)
        in_sql = json_functions and bodied
        parameters = list(
            await in_thread(_parameters, upserts, restamped, removed, credits=not in_sql)
        )
        cards, credits, stamps, gone = range(4)
        try:
            async with self._transaction():
                if replace:
                    await self.db.execute("DELETE FROM cast_credits")
                    await self.db.execute("DELETE FROM cards")
                # Into an empty table (a first load, a catalog written whole), the credits go in
                # without their actor index, which is made once after: one sort of every credit,
                # not a tree insert per credit (half the write's CPU at 100,000 cards). The
                # same index, in the same transaction: a failure leaves it as it was.
                empty = await self._no_credits()
                bulk = credited >= BULK_CREDITS and empty
                if bulk:
                    await self.db.execute(f"DROP INDEX {_CREDITS_BY_ACTOR}")
                if not empty:  # (an empty table has no credits to delete: 100,000 statements)
                    await self.db.executemany(
                        "DELETE FROM cast_credits WHERE slug = ?", parameters[gone]
                    )
                await self.db.executemany(
                    "DELETE FROM cards WHERE slug = ?", parameters[gone][: len(removed)]
                )
                verb = "INSERT" if replace else "INSERT OR REPLACE"
                await self.db.executemany(
                    f"{verb} INTO cards (slug, title, year, digest, body, file_size, "
                    "file_mtime_ns, file_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    parameters[cards],
                )
                if in_sql:
                    # Taken by SQLite from the bodies just written, in one statement that runs
                    # without the GIL: binding 400,000 rows (at 100,000 cards) held it for
                    # seconds, beside the build that waits for it.
                    written = await in_thread(_slugs_json, parameters[cards])
                    await self.db.executemany(_CREDITS_FROM_BODIES, written)
                else:
                    await self.db.executemany(
                        "INSERT INTO cast_credits (slug, billing, actor, role) VALUES (?, ?, ?, ?)",
                        parameters[credits],
                    )
                if bulk:
                    await self.db.execute(CREDITS_BY_ACTOR)
                await self.db.executemany(
                    "UPDATE cards SET file_size = ?, file_mtime_ns = ?, file_hash = ? "
                    "WHERE slug = ?",
                    parameters[stamps],
                )
                await self.db.execute(
                    "INSERT OR REPLACE INTO catalog_meta (key, value) VALUES ('source', ?)",
                    (source,),
                )
        finally:
            await release(parameters)

    async def _json_credits(self) -> bool:
        """Whether this SQLite has its JSON functions (built in since 3.38, an option before),
        so the credits are taken from the bodies by SQL (``_CREDITS_FROM_BODIES``)."""
        if self._json is None:
            try:
                await self.db.execute("SELECT json_each.value FROM json_each('[1]')")
                self._json = True
            except sqlite3.OperationalError:
                self._json = False
        return self._json

    async def _no_credits(self) -> bool:
        async with self.db.execute("SELECT 1 FROM cast_credits LIMIT 1") as cursor:
            return await cursor.fetchone() is None

    async def stored_rows(self) -> list[StoredRow]:
        """Every stored card as ``(slug, file_size, file_mtime_ns, file_hash, digest, body)``,
        read in one statement (one consistent snapshot); decode with :func:`decode_rows`.
        Bodies come as bytes: a damaged one must not stop the others from being read."""
        async with self.db.execute(
            "SELECT CAST(slug AS BLOB), file_size, file_mtime_ns, CAST(file_hash AS BLOB), "
            "CAST(digest AS BLOB), CAST(body AS BLOB) FROM cards ORDER BY slug"
        ) as cursor:
            return list(await cursor.fetchall())  # type: ignore[arg-type]

    async def stored_batches(self, size: int = 5_000) -> AsyncIterator[list[StoredRow]]:
        """:meth:`stored_rows` in batches of ``size``, from one statement (one consistent
        snapshot), so a big catalog is never held twice in memory (rows and cards)."""
        async with self.db.execute(
            "SELECT CAST(slug AS BLOB), file_size, file_mtime_ns, CAST(file_hash AS BLOB), "
            "CAST(digest AS BLOB), CAST(body AS BLOB) FROM cards ORDER BY slug"
        ) as cursor:
            while batch := await cursor.fetchmany(size):
                yield list(batch)  # type: ignore[arg-type]

    async def stored_source(self) -> str:
        async with self.db.execute("SELECT value FROM catalog_meta WHERE key = 'source'") as cursor:
            row = await cursor.fetchone()
        return str(row[0]) if row else ""

    async def get_meta(self, key: str) -> str | None:
        """A value kept beside the catalog (e.g. its computed similarity), or None."""
        async with self.db.execute(
            "SELECT value FROM catalog_meta WHERE key = ?", (key,)
        ) as cursor:
            row = await cursor.fetchone()
        return str(row[0]) if row else None

    async def meta_values(self, prefix: str) -> dict[str, object]:
        """Every value kept beside the catalog under a key starting with ``prefix`` (text or
        bytes, as stored), read in one statement (one consistent snapshot)."""
        async with self.db.execute(
            "SELECT key, value FROM catalog_meta WHERE substr(key, 1, ?) = ?",
            (len(prefix), prefix),
        ) as cursor:
            return {str(key): value for key, value in await cursor.fetchall()}

    async def set_meta(self, values: dict[str, str | bytes], *, clear_prefix: str = "") -> None:
        """Keep ``values`` beside the catalog in one transaction, first dropping every key
        that starts with ``clear_prefix`` (when given)."""
        async with self._transaction():
            if clear_prefix:
                await self.db.execute(
                    "DELETE FROM catalog_meta WHERE substr(key, 1, ?) = ?",
                    (len(clear_prefix), clear_prefix),
                )
            await self.db.executemany(
                "INSERT OR REPLACE INTO catalog_meta (key, value) VALUES (?, ?)", values.items()
            )

    async def load_catalog(self) -> list[Card]:
        """Every stored card, read in one statement (one consistent snapshot)."""
        stored, _bad = decode_rows(await self.stored_rows())
        return [row.card for row in stored if row.card is not None]

    # -- state that is not from cards ----------------------------------------------------

    async def get_state(self, key: str) -> str | None:
        async with self.reads.execute(
            "SELECT value FROM bot_state WHERE key = ?", (key,)
        ) as cursor:
            row = await cursor.fetchone()
        return str(row[0]) if row else None

    async def set_state(self, key: str, value: str) -> None:
        async with self._writing():
            await self.db.execute(
                "INSERT INTO bot_state (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    async def get_guild_setting(self, guild_id: int, key: str) -> str | None:
        async with self.reads.execute(
            "SELECT value FROM guild_settings WHERE guild_id = ? AND key = ?", (guild_id, key)
        ) as cursor:
            row = await cursor.fetchone()
        return str(row[0]) if row else None

    async def guild_settings(self, guild_id: int) -> dict[str, str]:
        """Every setting one server has, by key."""
        async with self.reads.execute(
            "SELECT key, value FROM guild_settings WHERE guild_id = ?", (guild_id,)
        ) as cursor:
            rows = await cursor.fetchall()
        return {str(key): str(value) for key, value in rows}

    async def every_guild_setting(self) -> list[tuple[int, str, str]]:
        """Every server's settings rows, (server, key, value) (read once at start and again
        when another connection changed the file: ``SettingsBook.follow``, which makes them
        into settings off the event loop: a row a server)."""
        # (a row whose server is no integer, written by other code, is no server's)
        async with self.reads.execute(
            "SELECT guild_id, key, value FROM guild_settings WHERE typeof(guild_id) = 'integer'"
        ) as cursor:
            return list(await cursor.fetchall())  # type: ignore[arg-type]

    async def data_version(self) -> int:
        """SQLite's ``PRAGMA data_version`` on the reading connection: it changes when any
        other connection (this store's writer, another process) commits to the file."""
        async with self.reads.execute("PRAGMA data_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def delete_guild_setting(self, guild_id: int, key: str) -> None:
        await self._setting_write(
            "DELETE FROM guild_settings WHERE guild_id = ? AND key = ?", (guild_id, key)
        )

    async def set_guild_setting(self, guild_id: int, key: str, value: str) -> None:
        await self._setting_write(
            "INSERT INTO guild_settings (guild_id, key, value) VALUES (?, ?, ?) "
            "ON CONFLICT(guild_id, key) DO UPDATE SET value = excluded.value",
            (guild_id, key, value),
        )

    async def _setting_write(self, sql: str, parameters: tuple[object, ...]) -> None:
        """A server's setting written, waiting out another process's write lock up to
        ``SETTING_TRIES`` times ``busy_timeout_ms`` (a minute): an admin's ``/settings`` is
        deferred meanwhile (its answer may take 15 minutes), and a lock held past
        ``busy_timeout_ms`` (30 s: round 15) lost the setting with "something went wrong"."""
        for attempt in range(1, SETTING_TRIES + 1):
            try:
                async with self._writing():
                    await self.db.execute(sql, parameters)
                    # Another process sharing the database wrote it again at its path while
                    # this write waited for its lock (``rewrite_at_path``): the write went to
                    # the file left behind, so it is made again in the new one.
                    while await self._follow_rewrite():
                        await self.db.execute(sql, parameters)
                return
            except sqlite3.OperationalError as exc:
                if not is_busy(exc) or attempt == SETTING_TRIES:
                    raise
                log.warning(
                    "database %s busy for a setting's write (%s): trying again (%d of %d)",
                    self.path,
                    exc,
                    attempt + 1,
                    SETTING_TRIES,
                )


async def _read_only(path: str) -> aiosqlite.Connection | None:
    """A read-only connection to the database at ``path`` (WAL mode), or None when it cannot
    be opened so (reads then share the writing connection, as before round 16)."""
    try:
        reader = await aiosqlite.connect(
            f"file:{urllib.parse.quote(path)}?mode=ro", uri=True, isolation_level=None
        )
    except sqlite3.Error as exc:
        log.info("database %s: no read-only connection beside the writing one (%s)", path, exc)
        return None
    try:
        await reader.execute(f"PRAGMA busy_timeout = {OPEN_BUSY_TIMEOUT_MS}")
        async with reader.execute("SELECT 1 FROM guild_settings LIMIT 1") as cursor:
            await cursor.fetchall()  # (a statement left open would hold this snapshot)
    except sqlite3.Error as exc:
        log.info("database %s: no read-only connection beside the writing one (%s)", path, exc)
        with contextlib.suppress(sqlite3.Error, ValueError):
            await reader.close()
        return None
    return reader


def _file_identity(path: str) -> tuple[int, int]:
    found = os.stat(path)
    return found.st_dev, found.st_ino


def _remove_journals(path: str) -> None:
    """The WAL and shared-memory files left at the names of a deleted database's: the
    connections on it keep theirs open, and the file put in its place starts its own (it
    must never take the frames of another file's WAL)."""
    if not os.path.exists(path):
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


#: The ``bot_state`` key naming the file a rewritten database replaced, as "device:inode".
REWRITTEN_FROM = "rewritten_from"


def _mark_rewritten(target: sqlite3.Connection, opened: tuple[int, int] | None) -> None:
    if opened is not None:
        with target:
            target.execute(
                "INSERT OR REPLACE INTO bot_state (key, value) VALUES (?, ?)",
                (REWRITTEN_FROM, f"{opened[0]}:{opened[1]}"),
            )


def _rewritten_from(path: str) -> tuple[int, int] | None:
    """The file the database at ``path`` was written again from (None: not a rewrite, or
    it cannot be read now)."""
    try:
        address = f"file:{urllib.parse.quote(path)}?mode=ro"
        with contextlib.closing(sqlite3.connect(address, uri=True)) as db:
            row = db.execute("SELECT value FROM bot_state WHERE key = ?", (REWRITTEN_FROM,))
            found = row.fetchone()
    except sqlite3.Error:
        return None
    if found is None:
        return None
    device, _, inode = str(found[0]).partition(":")
    return (int(device), int(inode)) if device.isdigit() and inode.isdigit() else None


@dataclass(frozen=True, slots=True)
class StoredCard:
    """A card as the store keeps it: its JSON body and digest, and its file's stamp."""

    slug: str
    stamp: FileStamp
    digest: str
    body: str
    card: Card | None = None


def decode_rows(rows: Iterable[StoredRow]) -> tuple[list[StoredCard], list[str]]:
    """Turn stored rows back into cards, checking each body against its digest.

    Returns the good cards (without their bodies) and the slugs of rows that are damaged
    (a body that is not the
    JSON of a card, or that does not hash to its digest: a bit flip on disk). Pure CPU work:
    run it off the event loop."""
    good: list[StoredCard] = []
    bad: list[str] = []
    for slug, stamp, digest, card in decoded(rows):
        if card is None:
            bad.append(slug)
        else:
            good.append(StoredCard(slug, stamp, digest, "", card))  # the body is not kept
    return good, bad


def decoded(rows: Iterable[StoredRow]) -> Iterator[tuple[str, FileStamp, str, Card | None]]:
    """Each stored row as ``(slug, stamp, digest, card)``, checked as :func:`decode_rows`
    says; ``card`` is None (and the stamp unknown) for a damaged row. Pure CPU work.

    The slugs of all ``rows`` are made first, one after the other, and each card is given its
    row's slug (an equal string): the slugs, which every index of a catalog refers to, then
    lie together in memory, not one among each card's objects (reading a kept catalog touches
    each slug dozens of times: scattered, each touch is a cache miss), and a card's own copy
    is freed."""
    unknown = FileStamp(-1, -1)
    rows = list(rows)
    slugs = [bytes(row[0] or b"").decode("utf-8", "replace") for row in rows]
    put = object.__setattr__
    for slug, (_, size, mtime_ns, raw_hash, raw_digest, raw) in zip(slugs, rows, strict=True):
        try:
            digest = bytes(raw_digest).decode("ascii")
            card = _card_of(raw)
            if card.slug != slug:
                raise ValueError("slug differs from its row")
            if hashlib.sha256(raw).hexdigest() != digest and card.digest() != digest:
                raise ValueError("body does not match its digest")  # (the second: schema 1)
            stamp = FileStamp(int(size), int(mtime_ns), bytes(raw_hash).decode("ascii"))
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            yield slug, unknown, "", None
            continue
        put(card, "slug", slug)  # (frozen, just made here: nobody else holds it yet)
        yield slug, stamp, digest, card


def held(
    rows: Iterable[StoredRow], shared: Table | None = None
) -> Iterator[tuple[str, FileStamp, str, Card | StoredBody | None]]:
    """:func:`decoded`, but a row whose body hashes to its digest is not decoded: it comes
    back as a :class:`StoredBody` made into its card on first use (a warm start that serves a
    kept catalog needs none of them yet). Other rows (damaged ones; rows whose digest is the
    card's own, schema 1) are decoded and checked here, as :func:`decoded` does. The caller
    decodes every body (:func:`made_or_damaged`) unless these very cards were decoded by this
    code before: a kept catalog built from them says so (its fingerprint). ``shared``: the
    repeated values the cards made later share (``bot.catalog.sharing``)."""
    rows = list(rows)
    eager: list[StoredRow] = []
    slugs = [bytes(row[0] or b"").decode("utf-8", "replace") for row in rows]
    good: list[tuple[str, FileStamp, str]] = []
    bodies: list[bytes] = []
    for slug, row in zip(slugs, rows, strict=True):
        _, size, mtime_ns, raw_hash, raw_digest, raw = row
        try:
            digest = bytes(raw_digest).decode("ascii")
            body = bytes(raw)
            if hashlib.sha256(body).hexdigest() != digest:
                raise ValueError("not the body's own digest")
            stamp = FileStamp(int(size), int(mtime_ns), bytes(raw_hash).decode("ascii"))
        except (ValueError, TypeError):
            eager.append(row)
            continue
        good.append((slug, stamp, digest))
        bodies.append(body)
    # The bodies in one buffer (``StoredBodies``), each card's holder a place in it.
    pack = StoredBodies(bodies, _card_of, shared)
    del bodies, rows
    held = pack.held([slug for slug, _, _ in good])
    for (slug, stamp, digest), holder in zip(good, held, strict=True):
        yield slug, stamp, digest, holder
    yield from decoded(eager)


def made_or_damaged(value: StoredBody) -> Card | None:
    """The card a held body makes, or None when it is no card (damaged, or written by a
    version whose cards this one cannot read)."""
    try:
        card = value.card
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None
    return card


#: Decodes a stored body straight into a Card (in C: a quarter of json.loads + card_from_dict).
_CARD_DECODER = msgspec.json.Decoder(Card)


def _card_of(raw: bytes) -> Card:
    """The card a stored body holds. Bodies the fast decoder does not take as they are (rows
    written by older versions: ``null`` where a default now applies) go the long way."""
    try:
        return _CARD_DECODER.decode(raw)
    except msgspec.MsgspecError:
        return card_from_dict(json.loads(bytes(raw).decode("utf-8")))


Rows = list[tuple[object, ...]]


def _parameters(
    upserts: Sequence[StoredCard],
    restamped: Sequence[tuple[str, FileStamp]],
    removed: Sequence[str],
    *,
    credits: bool = True,
) -> tuple[Rows, Rows, Rows, Rows]:
    """The parameters of :meth:`Store.write_changes`' statements; the last: removed slugs,
    then the slugs of the upserts (whose credits are replaced). ``credits`` false: no
    credit rows (SQL takes them from the bodies)."""
    rows: list[tuple[object, ...]] = []
    cards: list[tuple[object, ...]] = []
    for row in upserts:
        card = row.card
        if card is None:
            continue
        stamp = row.stamp
        cards.append(
            (
                row.slug,
                card.title,
                card.year,
                row.digest,
                row.body,
                stamp.size,
                stamp.mtime_ns,
                stamp.content_hash,
            )
        )
        if credits:
            rows += [
                (row.slug, billing, member.actor, member.role)
                for billing, member in enumerate(card.cast, start=1)
            ]
    stamps: list[tuple[object, ...]] = [
        (stamp.size, stamp.mtime_ns, stamp.content_hash, slug) for slug, stamp in restamped
    ]
    gone: list[tuple[object, ...]] = [(slug,) for slug in removed]
    gone += [(row.slug,) for row in upserts]
    return cards, rows, stamps, gone


def _bodies_and_credits(upserts: Sequence[StoredCard]) -> tuple[bool, int]:
    """Whether every card of ``upserts`` comes with its stored body (so SQL can take its
    credits from it), and how many credits the cards hold: two loops over every changed card
    (100,000 at a cold load), for a thread, not the event loop (a traced stall)."""
    bodied = all(row.body for row in upserts if row.card)
    return bodied, sum(len(row.card.cast) for row in upserts if row.card is not None)


#: Slugs per JSON array of ``_slugs_json`` (100,000 in one ``json.dumps``, one C call, held
#: the GIL for 30 ms at load 28).
_SLUGS_PIECE = 5_000


def _slugs_json(cards: Rows) -> list[tuple[str]]:
    """The slugs of the card rows written (their first column), in order, as JSON arrays of
    at most ``_SLUGS_PIECE`` (one parameter each)."""
    return [
        (json.dumps([row[0] for row in cards[start : start + _SLUGS_PIECE]], ensure_ascii=False),)
        for start in range(0, len(cards), _SLUGS_PIECE)
    ]


#: Each written card's credits, taken from its body (the JSON of the card, whose ``cast`` is
#: a list of objects with ``actor`` and ``role``) in the order of the cast, billed from 1: the
#: rows ``_parameters`` makes with ``credits``. (CROSS JOIN: in this order, each written slug
#: looked up once, never the whole table scanned per slug.)
_CREDITS_FROM_BODIES = """
    INSERT INTO cast_credits (slug, billing, actor, role)
    SELECT cards.slug, member.key + 1, json_extract(member.value, '$.actor'),
           json_extract(member.value, '$.role')
    FROM json_each(?) AS written
    CROSS JOIN cards ON cards.slug = written.value
    CROSS JOIN json_each(cards.body, '$.cast') AS member
"""


def _statements(script: str) -> list[str]:
    return [part.strip() for part in script.split(";") if part.strip()]
