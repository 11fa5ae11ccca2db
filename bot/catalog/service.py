"""The catalog service: loads cards into the store and swaps the in-memory catalog on reload.

Both front ends hold one :class:`CatalogService`. A reload either applies completely or not at
all: with any broken card, the last good catalog keeps serving and the report lists every error.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot.cards.errors import CardError
from bot.cards.loader import load_cards
from bot.cards.model import Card
from bot.catalog.snapshot import Catalog, unloaded_names
from bot.catalog.store import CatalogDiff, Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReloadReport:
    applied: bool
    total: int
    diff: CatalogDiff = field(default_factory=CatalogDiff)
    errors: tuple[CardError, ...] = ()
    titles: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    finished_at: float = field(default_factory=time.time)  # Unix time

    def summary(self) -> str:
        """One line for status displays: what this load or reload did."""
        if not self.applied:
            return f"refused ({len(self.errors)} card errors); serving {self.total} cards"
        diff = self.diff
        return (
            f"{self.total} cards ({len(diff.added)} added, {len(diff.changed)} changed, "
            f"{len(diff.removed)} removed)"
        )


class CatalogService:
    """Owns the current :class:`Catalog`; ``catalog`` is replaced whole, never mutated."""

    def __init__(self, store: Store, data_dir: Path) -> None:
        self.store = store
        self.data_dir = data_dir
        self.catalog = Catalog.build([])
        self.last_report: ReloadReport | None = None  # the latest start or reload
        self._lock = asyncio.Lock()

    async def start(self) -> ReloadReport:
        """First load. With broken cards, serve the last good catalog from the database; with
        no database yet, serve the cards that are valid (better than an empty bot). The errors
        are in the report, for the caller to show once; answers about a broken card say so."""
        self.last_report = await self._start()
        return self.last_report

    async def reload(self) -> ReloadReport:
        """Re-read every card; apply only if all are valid."""
        self.last_report = await self._reload()
        return self.last_report

    async def _start(self) -> ReloadReport:
        async with self._lock:
            began = time.perf_counter()
            result = await asyncio.to_thread(load_cards, self.data_dir)
            if result.ok:
                return await self._apply(result.cards, result.errors, began)
            stored = await self.store.load_catalog()
            if stored:
                log.info("serving the last good catalog (%d cards) from the database", len(stored))
                self.catalog = await asyncio.to_thread(Catalog.build, stored)
                report = ReloadReport(False, len(stored), errors=tuple(result.errors))
            else:
                log.info("no stored catalog; serving the %d valid cards", len(result.cards))
                report = await self._apply(result.cards, result.errors, began)
            unloaded = unloaded_names(result.unloaded)
            self.catalog = dataclasses.replace(self.catalog, unloaded=unloaded)
            return report

    async def _reload(self) -> ReloadReport:
        async with self._lock:
            began = time.perf_counter()
            result = await asyncio.to_thread(load_cards, self.data_dir)
            if not result.ok:
                log.warning("reload refused: %d errors in the cards", len(result.errors))
                return ReloadReport(
                    False,
                    len(self.catalog),
                    errors=tuple(result.errors),
                    seconds=time.perf_counter() - began,
                )
            return await self._apply(result.cards, (), began)

    async def _apply(
        self, cards: list[Card], errors: list[CardError] | tuple[CardError, ...], began: float
    ) -> ReloadReport:
        old_titles = {slug: card.title for slug, card in self.catalog.cards.items()}
        diff = await self.store.replace_catalog(cards, source=str(self.data_dir))
        stored = await self.store.load_catalog()
        self.catalog = await asyncio.to_thread(Catalog.build, stored)
        titles = old_titles | {slug: card.title for slug, card in self.catalog.cards.items()}
        report = ReloadReport(
            True,
            len(self.catalog),
            diff,
            tuple(errors),
            titles,
            time.perf_counter() - began,
        )
        log.info(
            "catalog loaded: %d cards (%d added, %d changed, %d removed) in %.2fs",
            report.total,
            len(diff.added),
            len(diff.changed),
            len(diff.removed),
            report.seconds,
        )
        return report
