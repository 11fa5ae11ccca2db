"""A full reload's catalog built in a worker process, kept in the database and read back
(``bot.catalog.build_worker``): it answers as a catalog built here, and when the worker fails
the last good catalog keeps serving."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.bench.measure import bump_episodes
from bot.bench.synthetic import synthetic_cards, write_cards
from bot.cards.loader import load_cards
from bot.catalog import derived
from bot.catalog.build_worker import WORKER_FROM, BuildFailed
from bot.catalog.service import TITLED_IN_REPORT, CatalogService
from bot.catalog.snapshot import Catalog
from bot.catalog.store import Store
from tests.catalog_helpers import KillBuild

CARDS = 400


def _cards(folder: Path, count: int = CARDS) -> list[Path]:
    return list(write_cards(synthetic_cards(count, seed=9), folder))


def _kept_for_stored_cards(database: Path) -> bool:
    """Whether the database keeps a built catalog for exactly the cards it holds."""
    with sqlite3.connect(database) as db:
        (head,) = db.execute(
            "SELECT value FROM catalog_meta WHERE key = ?", (derived.META_KEY,)
        ).fetchone()
        pairs = db.execute("SELECT slug, digest FROM cards").fetchall()
    return derived.header(str(head), derived.fingerprint(pairs)) is not None


@contextlib.asynccontextmanager
async def _started_with_worker(tmp_path: Path, folder: Path) -> AsyncIterator[CatalogService]:
    """A service over ``folder`` that builds every full reload in a worker, started."""
    async with Store.open(tmp_path / "bot.sqlite3") as store:
        service = CatalogService(store, folder)
        service.build_worker_from = 0
        assert (await service.start()).applied
        yield service


async def test_a_small_catalog_is_rebuilt_in_the_serving_process(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Below ``WORKER_FROM`` cards a process would cost more to start than the build takes."""
    folder = tmp_path / "cards"
    paths = _cards(folder)
    assert len(paths) < WORKER_FROM
    caplog.set_level(logging.INFO, "bot.catalog.build_worker")
    async with Store.open(tmp_path / "bot.sqlite3") as store:
        service = CatalogService(store, folder)
        assert (await service.start()).applied
        bump_episodes(paths, 1)
        report = await service.reload()
        assert report.applied and len(report.diff.changed) == CARDS
    assert "building the new catalog in process" not in caplog.text


async def test_a_full_reload_built_in_a_worker_answers_as_one_built_here(tmp_path: Path) -> None:
    folder = tmp_path / "cards"
    paths = _cards(folder)
    async with _started_with_worker(tmp_path, folder) as service:
        await service.flush()
        before = service.catalog
        assert bump_episodes(paths, 1) == CARDS
        report = await service.reload()
        assert report.applied and len(report.diff.changed) == CARDS
        assert report.titles[report.diff.changed[0]]
        served = service.catalog
        assert served is not before and served.lineage != before.lineage
        # Read back as a warm start reads: the reload itself made no card but the few its
        # report names (making all of them would hold every text twice).
        assert served.cards.pending() >= CARDS - TITLED_IN_REPORT
        shown = report.diff.changed[:TITLED_IN_REPORT]
        assert set(report.titles) == set(shown)
        assert [report.titles[s] for s in shown] == [served.cards[s].title for s in shown]
        # The cards read from the files again and built here: the same answers.
        here = Catalog.build(load_cards(folder).cards)
        assert list(served.cards) == list(here.cards)
        for slug in list(served.cards)[::17]:
            assert served.cards[slug].episodes == before.cards[slug].episodes + 1
            assert served.similar(slug) == here.similar(slug)
        for card in list(here.cards.values())[::13]:
            assert served.titles.resolve(card.title) == here.titles.resolve(card.title)
            assert served.titles.resolve(card.title[:-1]) == here.titles.resolve(card.title[:-1])
        assert served.actors == here.actors and served.facets == here.facets
        # The worker kept it in the database: the next start reads it back, builds nothing.
        assert _kept_for_stored_cards(tmp_path / "bot.sqlite3")
    async with Store.open(tmp_path / "bot.sqlite3") as store:
        again = CatalogService(store, folder)
        assert (await again.start()).parsed == 0
        assert again.catalog.lineage != served.lineage
        assert list(again.catalog.cards) == list(served.cards)
        slugs = list(served.cards)[::29]
        assert [again.catalog.similar(s) for s in slugs] == [served.similar(s) for s in slugs]


async def test_a_killed_build_process_keeps_the_last_catalog_serving(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "cards"
    paths = _cards(folder)
    killer = KillBuild()
    logger = logging.getLogger("bot.catalog.build_worker")
    async with _started_with_worker(tmp_path, folder) as service:
        await service.flush()
        served = service.catalog
        episodes = {slug: card.episodes for slug, card in served.cards.items()}
        bump_episodes(paths, 1)
        caplog.set_level(logging.INFO, "bot.catalog.build_worker")
        logger.addHandler(killer)
        try:
            with pytest.raises(BuildFailed, match="stopped"):
                await service.reload()
        finally:
            logger.removeHandler(killer)
        assert len(killer.killed) == 1
        assert service.catalog is served
        assert {s: c.episodes for s, c in service.catalog.cards.items()} == episodes
        assert f"not applied: the last good catalog ({CARDS} cards) keeps serving" in caplog.text
        # The next reload (the worker left alone) applies what the files say.
        report = await service.reload()
        assert report.applied and len(report.diff.changed) == CARDS
        assert all(
            card.episodes == episodes[slug] + 1 for slug, card in service.catalog.cards.items()
        )
        await service.flush()


async def test_a_broken_card_is_reported_and_no_build_process_runs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "cards"
    paths = _cards(folder)
    async with _started_with_worker(tmp_path, folder) as service:
        served = service.catalog
        bump_episodes(paths, 1)
        broken = paths[3]
        broken.write_text(broken.read_text("utf-8").replace("year:", "year: [", 1), "utf-8")
        caplog.set_level(logging.INFO, "bot.catalog.build_worker")
        report = await service.reload()
        assert not report.applied and service.catalog is served
        assert any(str(error).startswith(f"{broken}:") for error in report.errors)
        assert "building the new catalog in process" not in caplog.text
