"""Helpers shared by the tests that start the catalog service on a real SQLite file and read
back what it kept there (test_incremental.py, test_kept_catalog.py, test_service.py), and
the killer of a full reload's build process (test_build_worker.py, test_reload_failures.py,
e2e/test_reload.py)."""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.catalog.service import CatalogService, ReloadReport
from bot.catalog.snapshot import Catalog
from bot.catalog.store import Store


async def start_catalog(folder: Path, database: Path) -> Catalog:
    """Start the service on ``folder`` as the bot does, keep what it built, close the store and
    return the catalog it served."""
    async with Store.open(database) as store:
        service = CatalogService(store, folder)
        report = await service.start()
        assert report.applied
        await service.flush()
        return service.catalog


async def start_once(folder: Path, database: Path) -> ReloadReport:
    """One start of the service on ``folder`` (a bot that came up and went down again): what
    it stored stays in ``database``; returns the start's report."""
    async with Store.open(database) as store:
        return await CatalogService(store, folder).start()


@asynccontextmanager
async def started_service(folder: Path, database: Path) -> AsyncIterator[CatalogService]:
    """The service on ``folder`` and a real SQLite file, started as the bot starts it; the
    store closes when the block ends."""
    async with Store.open(database) as store:
        service = CatalogService(store, folder)
        await service.start()
        yield service


class KillBuild(logging.Handler):
    """Kills each process that builds a full reload's catalog (the first ``limit`` of them,
    when given), by its PID, as soon as the service says it started it (as the kernel's
    out-of-memory killer would); ``killed`` lists their PIDs. Attach it to the
    ``bot.catalog.build_worker`` logger."""

    def __init__(self, limit: int | None = None) -> None:
        super().__init__()
        self.limit = limit
        self.killed: list[int] = []

    def emit(self, record: logging.LogRecord) -> None:
        if self.limit is not None and len(self.killed) >= self.limit:
            return
        if record.getMessage().startswith("building the new catalog in process"):
            pid = int(record.args[0])  # type: ignore[index]
            os.kill(pid, signal.SIGKILL)
            self.killed.append(pid)
