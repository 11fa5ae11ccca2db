"""The served cards in the database: writing what a reload changed (or every card), and
reading them all back, decoded in worker threads."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from dataclasses import replace
from typing import Any

from bot.cards.loader import FileStamp, card_body
from bot.cards.model import Card
from bot.cards.turns import in_thread, in_turn
from bot.catalog import sharing
from bot.catalog.entries import Entry, served
from bot.catalog.heap import collector_paused
from bot.catalog.lazy_cards import StoredBody
from bot.catalog.opening import recover
from bot.catalog.reload_plan import Plan
from bot.catalog.store import StoredCard, StoredRow, held, is_busy, made_or_damaged
from bot.matching.pieces import free_in_slices

log = logging.getLogger("bot.catalog.service")  # (the service's records, as before the split)


#: A write of this many rows or more lets go of them in a worker thread.
LET_GO_IN_THREAD = 1_000

#: Rows a read-back fetches and decodes at a time (two batches alive: one decoding, the next
#: fetched). A row's temporaries (the database's tuple and texts, its stamp, its hash's and
#: digest's hex texts, its body's copy, the tuples ``held`` and ``_decode_into`` pass along)
#: live only for its batch, but land in CPython's arenas beside the entries the batch makes,
#: which outlive them: at 5,000 rows a batch a full reload at 20,109 cards left 59 arenas
#: after it where 1,000 leaves 55 to 56 (docs/performance.md, branch ``rss19``).
READ_BACK_ROWS = 1_000


class CardStorage:
    """Writing the cards to the store and reading them back (``CatalogService``'s part)."""

    async def _write(self, plan: Plan) -> None:
        """Store what changed (and what a busy database could not take last time). The
        database is only a cache: if it fails (damaged, full, made read-only), it is replaced
        (see ``bot.catalog.opening``) and written whole; if that fails too, the error is
        raised (the reload is not applied) and the next write is a whole one."""
        if self._rewrite:
            await self._write_whole(plan)
            return
        # (in a thread: after every file's stamp moved, a copy or a checkout, these are loops
        # over every card, 30 ms on the event loop at 100,000 cards)
        upserts, restamped, removed, rows = await in_thread(
            changes, self._pending_upserts, self._pending_restamped, self._pending_removed, plan
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
            await in_thread(_let_go, rows, upserts, restamped)

    async def _write_whole(self, plan: Plan) -> None:
        """Store every card of ``plan`` in place of what the database holds."""
        self._rewrite = True  # (until it succeeds: a database replaced holds no cards)
        rows = await in_thread(_rows, plan.entries)
        await self.store.write_changes(rows, (), (), self._source, replace=True)
        self._rewrite = False
        self._pending_upserts, self._pending_removed, self._pending_restamped = {}, set(), {}

    async def _stored_entries(self) -> tuple[dict[str, Entry], int]:
        """Every card the database holds, decoded in worker threads, each batch while the
        next one is fetched (SQLite lets go of the GIL while it reads pages); and how many
        rows were damaged."""
        entries: dict[str, Entry] = {}
        damaged = 0
        shared: sharing.Table = {}  # (one copy of the values many cards repeat)
        decoding: asyncio.Future[int] | None = None
        trust = await self.store.stored_source() == self._source
        try:
            async for batch in self.store.stored_batches(READ_BACK_ROWS):
                if decoding is not None:
                    damaged += await decoding
                decoding = asyncio.ensure_future(
                    in_thread(_decode_into, entries, batch, trust, shared)
                )
            if decoding is not None:
                damaged += await decoding
        finally:
            if decoding is not None and not decoding.done():
                with contextlib.suppress(Exception):
                    await decoding
        return entries, damaged


@in_turn
def _decode_into(
    entries: dict[str, Entry], rows: list[StoredRow], trust: bool, shared: sharing.Table
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
        # (their facts packed in one buffer for the batch, a card still as its stored body
        # its own entry: ``entries.served``)
        made = served(
            [
                (card, stamp if trust else replace(stamp, mtime_ns=-1), digest)
                for _, stamp, digest, card in kept
            ]
        )
        entries.update(zip([slug for slug, *_ in kept], made, strict=True))
    return damaged


@in_turn
def made_all(entries: dict[str, Entry]) -> int:
    """Make every card still held as its stored body (no kept catalog says this code made
    them before); drop and count the rows that make none (damaged). (Each card shares the
    repeated values of its batch's table as it is made: ``held``.)"""
    damaged: list[str] = []
    served_alone: dict[str, Entry] = {}
    with collector_paused():
        for slug, entry in entries.items():
            if type(entry.held) is StoredBody:
                card = made_or_damaged(entry.held)
                if card is None:
                    damaged.append(slug)
                elif type(entry) is StoredBody:
                    # (its own entry: an Entry of the card now, so that its batch's bodies
                    # are freed once every card of it is made)
                    facts, at = entry.in_entry()  # type: ignore[misc]
                    served_alone[slug] = Entry.in_pack(card, facts, at, entry.key)
                else:
                    entry.held = card
        entries.update(served_alone)  # (values replaced: the order stays)
        for slug in damaged:
            del entries[slug]
    return len(damaged)


def _rows(entries: dict[str, Entry]) -> list[StoredCard]:
    rows = []
    for slug, entry in entries.items():
        body, digest = card_body(entry.card)
        rows.append(StoredCard(slug, entry.stamp, digest, body, entry.card))
    return rows


def _let_go(rows: tuple[list[Any], ...], *mappings: dict[str, Any]) -> None:
    free_in_slices(*rows)
    for mapping in mappings:
        mapping.clear()


def changes(
    pending_upserts: dict[str, StoredCard],
    pending_restamped: dict[str, FileStamp],
    pending_removed: set[str],
    plan: Plan,
) -> tuple[
    dict[str, StoredCard],
    dict[str, FileStamp],
    set[str],
    tuple[list[StoredCard], list[tuple[str, FileStamp]], list[str]],
]:
    """What a reload writes, with what a busy database could not take last time: by slug,
    and as ``Store.write_changes`` takes them. In a worker thread, the collector paused:
    when every file's stamp moved (a fresh copy, a checkout), the pairs of slug and stamp
    live while the database takes them, and the first full collection meanwhile walked
    them all (94,000 tuples: 11 to 21 ms of a thread's CPU holding the GIL, in a start at
    100,000 cards, load 8 to 9); made in a pause, they are frozen when it ends."""
    with collector_paused():
        upserts = pending_upserts | {row.slug: row for row in plan.upserts}
        removed = (pending_removed - upserts.keys()) | set(plan.diff.removed)
        restamped = pending_restamped | dict(plan.restamped)
        for slug in removed:
            upserts.pop(slug, None)
            restamped.pop(slug, None)
        rows = (list(upserts.values()), list(restamped.items()), sorted(removed))
        return upserts, restamped, removed, rows
