"""SQLite storage through aiosqlite: the versioned schema, and the atomic catalog swap.

The database is a cache of the YAML cards (plus bot state that does not come from cards, such
as server settings and the last command-sync fingerprint, which survive reloads). Deleting the
file loses nothing: the next start rebuilds the catalog from the cards.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import aiosqlite

from bot.cards.model import Card, card_from_dict

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
)
SCHEMA_VERSION = len(MIGRATIONS)


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


@dataclass(slots=True)
class Store:
    """The bot's SQLite database. Use ``async with Store.open(path) as store``."""

    path: str
    _db: aiosqlite.Connection | None = field(default=None, repr=False)

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
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise StoreError("the store is not open")
        return self._db

    async def connect(self) -> None:
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a swap is one transaction.
        self._db = await aiosqlite.connect(self.path, isolation_level=None)
        try:
            await self._db.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                await self._db.execute("PRAGMA journal_mode = WAL")
                await self._db.execute("PRAGMA busy_timeout = 5000")
            await self.migrate()
        except BaseException:
            await self.close()  # e.g. a database from a newer bot: do not leak the connection
            raise

    async def close(self) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None

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
                f"{SCHEMA_VERSION}; upgrade the bot or delete the file (it is only a cache)"
            )
        for number in range(version, SCHEMA_VERSION):
            await self.db.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(MIGRATIONS[number]):
                    await self.db.execute(statement)
                await self.db.execute(f"PRAGMA user_version = {number + 1}")
                await self.db.execute("COMMIT")
            except BaseException:
                await self.db.execute("ROLLBACK")
                raise
            log.info("database %s migrated to schema version %d", self.path, number + 1)

    # -- the catalog ---------------------------------------------------------------------

    async def replace_catalog(self, cards: Iterable[Card], source: str = "") -> CatalogDiff:
        """Swap the whole catalog for ``cards`` in one transaction and report what changed.

        A reader running at the same time sees either the old catalog or the new one, never
        a mix; if anything fails, the old catalog stays as it was.
        """
        cards = list(cards)
        await self.db.execute("BEGIN IMMEDIATE")
        try:
            async with self.db.execute("SELECT slug, digest FROM cards") as cursor:
                old: dict[str, str] = dict(await cursor.fetchall())  # type: ignore[arg-type]
            new = {card.slug: card.digest() for card in cards}
            await self.db.execute("DELETE FROM cast_credits")
            await self.db.execute("DELETE FROM cards")
            await self.db.executemany(
                "INSERT INTO cards (slug, title, year, digest, body) VALUES (?, ?, ?, ?, ?)",
                [
                    (
                        card.slug,
                        card.title,
                        card.year,
                        new[card.slug],
                        json.dumps(card.to_dict(), ensure_ascii=False),
                    )
                    for card in cards
                ],
            )
            await self.db.executemany(
                "INSERT INTO cast_credits (slug, billing, actor, role) VALUES (?, ?, ?, ?)",
                [
                    (card.slug, billing, member.actor, member.role)
                    for card in cards
                    for billing, member in enumerate(card.cast, start=1)
                ],
            )
            await self.db.execute(
                "INSERT OR REPLACE INTO catalog_meta (key, value) VALUES ('source', ?)", (source,)
            )
            await self.db.execute("COMMIT")
        except BaseException:
            await self.db.execute("ROLLBACK")
            raise
        return CatalogDiff(
            added=tuple(sorted(set(new) - set(old))),
            changed=tuple(sorted(s for s in new.keys() & old.keys() if new[s] != old[s])),
            removed=tuple(sorted(set(old) - set(new))),
            unchanged=sum(1 for s in new.keys() & old.keys() if new[s] == old[s]),
        )

    async def load_catalog(self) -> list[Card]:
        """Every stored card, read in one statement (one consistent snapshot)."""
        async with self.db.execute("SELECT body FROM cards ORDER BY slug") as cursor:
            rows = await cursor.fetchall()
        return [card_from_dict(json.loads(body)) for (body,) in rows]

    # -- state that is not from cards ----------------------------------------------------

    async def get_state(self, key: str) -> str | None:
        async with self.db.execute("SELECT value FROM bot_state WHERE key = ?", (key,)) as cursor:
            row = await cursor.fetchone()
        return str(row[0]) if row else None

    async def set_state(self, key: str, value: str) -> None:
        await self.db.execute(
            "INSERT INTO bot_state (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    async def get_guild_setting(self, guild_id: int, key: str) -> str | None:
        async with self.db.execute(
            "SELECT value FROM guild_settings WHERE guild_id = ? AND key = ?", (guild_id, key)
        ) as cursor:
            row = await cursor.fetchone()
        return str(row[0]) if row else None

    async def guild_settings(self, guild_id: int) -> dict[str, str]:
        """Every setting one server has, by key."""
        async with self.db.execute(
            "SELECT key, value FROM guild_settings WHERE guild_id = ?", (guild_id,)
        ) as cursor:
            rows = await cursor.fetchall()
        return {str(key): str(value) for key, value in rows}

    async def delete_guild_setting(self, guild_id: int, key: str) -> None:
        await self.db.execute(
            "DELETE FROM guild_settings WHERE guild_id = ? AND key = ?", (guild_id, key)
        )

    async def set_guild_setting(self, guild_id: int, key: str, value: str) -> None:
        await self.db.execute(
            "INSERT INTO guild_settings (guild_id, key, value) VALUES (?, ?, ?) "
            "ON CONFLICT(guild_id, key) DO UPDATE SET value = excluded.value",
            (guild_id, key, value),
        )


def _statements(script: str) -> list[str]:
    return [part.strip() for part in script.split(";") if part.strip()]
