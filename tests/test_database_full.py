"""A disk that fills up under a new database (QA round 4, F3.3): the log names SQLite's own
cause, not the failed ROLLBACK after it, and a database this start created and could not fill
is removed (with its WAL files); one that holds a catalog is kept. SQLite's page limit
(``PRAGMA max_page_count``) and the process's file size limit (``RLIMIT_FSIZE``) stand in for
a full disk: both make real SQLite writes fail as a full disk does."""

from __future__ import annotations

import logging
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.catalog.opening import open_store
from bot.catalog.service import CatalogService
from tests.conftest import REPO, SHIPPED_CARDS, minimal_card
from tests.test_cli import drama_bot

TOTAL = len(list(SHIPPED_CARDS.glob("*.yaml")))


def _files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


async def _fill_up(store: object) -> None:
    db = store.db  # type: ignore[attr-defined]
    async with db.execute("PRAGMA page_count") as cursor:
        (pages,) = await cursor.fetchone()
    await db.execute(f"PRAGMA max_page_count = {pages}")  # no room for one page more


async def test_a_new_database_on_a_full_disk_names_the_cause_and_is_removed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    state = tmp_path / "state"
    database = state / "bot.sqlite3"
    async with open_store(database) as store:
        await _fill_up(store)
        service = CatalogService(store, SHIPPED_CARDS)
        report = await service.start()
        assert report.applied and len(service.catalog) == TOTAL  # served from memory
        assert store.fallback == "database or disk is full"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(
        f"cannot use the database {database} (database or disk is full)" in w for w in warnings
    )
    assert "no transaction is active" not in caplog.text
    assert _files(state) == []


async def test_a_database_holding_a_catalog_is_kept_when_the_disk_fills_up(
    tmp_path: Path, shipped_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = tmp_path / "bot.sqlite3"
    async with open_store(database) as store:
        await CatalogService(store, shipped_copy).start()
    for number in range(60):  # new cards: more pages than the database has free
        (shipped_copy / f"new-drama-{number}.yaml").write_text(
            minimal_card(f"New Drama {number}") + f"aliases: [{'x' * 190}, {'y' * 190}]\n", "utf-8"
        )
    async with open_store(database) as store:
        await _fill_up(store)
        service = CatalogService(store, shipped_copy)
        await service.start()
        assert store.fallback and len(service.catalog) == TOTAL + 60
    assert "no transaction is active" not in caplog.text
    assert database.is_file()  # not created by this start: left for the admin


def test_ask_on_a_full_disk_answers_and_leaves_no_database_behind(tmp_path: Path) -> None:
    state = tmp_path / "state"

    def small_files() -> None:  # in the child: writes past 150 KB fail (EFBIG)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (150_000, 150_000))

    database = str(state / "db.sqlite3")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--database", database, "/drama run on"],
        capture_output=True, text=True, cwd=REPO, timeout=60, check=False, preexec_fn=small_files,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "== Run On (2020) ==" in done.stdout
    assert "no transaction is active" not in done.stderr, done.stderr
    assert f"cannot use the database {state / 'db.sqlite3'} (disk I/O error)" in done.stderr
    assert _files(state) == []
    # and with room, the same command keeps its database
    assert (
        drama_bot("ask", "--database", str(state / "db.sqlite3"), "/drama run on").returncode == 0
    )
    assert "db.sqlite3" in _files(state)
