"""A reload done in a worker process, seen from outside: ``drama-bot ask --database DB --data
DIR`` in a process of its own, with ``/reload`` typed after the cards changed (the worker from
the first card on, not 5,000: the one constant a test may change, set before ``main`` runs).
Its progress on a real terminal (a pty), and the serving process killed mid-reload."""

from __future__ import annotations

import asyncio
import os
import pty
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.bench.measure import bump_episodes
from bot.bench.synthetic import synthetic_cards, write_cards
from bot.catalog.service import CatalogService
from bot.catalog.store import Store
from tests.conftest import REPO

#: Enough cards for a progress bar (``bot.cli.progress.MIN_FILES``).
CARDS = 600
#: ``drama-bot`` with every full reload done in a worker process.
_ASK = (
    "import sys\n"
    "import bot.catalog.service\n"
    "bot.catalog.service.WORKER_FROM = 0\n"
    "from bot.cli.main import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def _cards(folder: Path) -> list[Path]:
    paths = list(write_cards(synthetic_cards(CARDS, seed=11), folder))
    for path in paths:  # (written an hour ago: stamps of files written this second are re-read)
        os.utime(path, (path.stat().st_atime - 3600, path.stat().st_mtime - 3600))
    return paths


class Terminal:
    """A pty whose output is gathered in a thread as a process writes to it."""

    def __init__(self) -> None:
        self.controller, self.terminal = pty.openpty()
        self._chunks: list[bytes] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.controller, 4096)
            except OSError:
                return
            if not data:
                return
            self._chunks.append(data)

    def text(self) -> str:
        return b"".join(self._chunks).decode("utf-8", "replace")

    def wait_for(self, text: str, count: int = 1, timeout: float = 180) -> str:
        deadline = time.monotonic() + timeout
        while self.text().count(text) < count:
            assert time.monotonic() < deadline, f"no {text!r} in {self.text()[-2000:]!r}"
            time.sleep(0.05)
        return self.text()

    def close(self) -> str:
        os.close(self.terminal)
        self._reader.join(10)
        os.close(self.controller)
        return self.text()


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    shown = Terminal()
    try:
        yield shown
    finally:
        if shown._reader.is_alive():
            shown.close()


def _ask(folder: Path, database: Path, out: int, *extra: str) -> subprocess.Popen[bytes]:
    """``drama-bot ask --json`` reading its commands from a pipe, writing to ``out``."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    env |= {"TERM": "xterm", "COLUMNS": "120"}
    args = ["ask", "--database", str(database), "--data", str(folder), "--json", *extra]
    return subprocess.Popen(
        [sys.executable, "-c", _ASK, *args],
        stdin=subprocess.PIPE,
        stdout=out,
        stderr=out,
        env=env,
        cwd=REPO,
    )


def _type(process: subprocess.Popen[bytes], line: str) -> None:
    assert process.stdin is not None
    process.stdin.write(line.encode() + b"\n")
    process.stdin.flush()


RELOADED = '"command": "/reload"'


@pytest.mark.parametrize("quiet", [False, True])
def test_a_reload_apart_shows_its_progress_on_a_terminal(
    tmp_path: Path, terminal: Terminal, quiet: bool
) -> None:
    """``/reload`` after every card changed, on a terminal: a bar tells the worker's steps
    (from starting it to taking its catalog in) as it reloads; with ``--quiet`` there is none
    and the answer is the same (failed before: nothing was shown while the worker ran)."""
    folder = tmp_path / "cards"
    paths = _cards(folder)
    extra = ("--quiet",) if quiet else ()
    process = _ask(folder, tmp_path / "bot.sqlite3", terminal.terminal, *extra)
    try:
        _type(process, "/reload")  # (nothing changed: answered once the catalog is loaded)
        before = len(terminal.wait_for(RELOADED))
        assert bump_episodes(paths, 1) == CARDS
        _type(process, "/reload")
        assert process.stdin is not None
        process.stdin.close()
        assert process.wait(300) == 0
    finally:
        if process.poll() is None:
            process.kill()
    shown = terminal.close()[before:]
    assert shown.count(RELOADED) == 1 and f"{CARDS} changed" in shown
    if quiet:
        assert "Reloading cards" not in shown
    else:
        assert "Reloading cards: taking the new catalog in" in shown


def _descendants(pid: int) -> set[int]:
    """The processes ``pid`` started, and theirs, from ``/proc``."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as stat:
                    fields = stat.read().rpartition(b")")[2].split()
            except OSError:
                continue
            parents[int(entry)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


def _running(pid: int) -> bool:
    """Whether ``pid`` is a process that has not ended (a zombie has)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rpartition(b")")[2].split()[0] not in (b"Z", b"X")
    except FileNotFoundError:
        return False


async def _stored_episodes(database: Path) -> dict[str, int | None]:
    async with Store.open(database) as store:
        return {card.slug: card.episodes for card in await store.load_catalog()}


@pytest.mark.parametrize("when", ["worker started", "rows written"])
async def test_the_serving_process_killed_mid_reload(
    tmp_path: Path, terminal: Terminal, when: str
) -> None:
    """``drama-bot ask`` SIGKILLed while its ``/reload`` runs in a worker process (as soon as
    that process is there, or once it wrote the new rows): every process it started ends
    within seconds; the database is whole and holds either the old cards or the new ones,
    never some of each; the next start serves the new cards, as the database keeps them."""
    folder, database = tmp_path / "cards", tmp_path / "bot.sqlite3"
    paths = _cards(folder)
    process = _ask(folder, database, terminal.terminal, "--quiet")
    try:
        _type(process, "/reload")
        terminal.wait_for(RELOADED)
        old = await _stored_episodes(database)
        new = {slug: count + 1 for slug, count in old.items() if count is not None}
        before = _descendants(process.pid)
        assert bump_episodes(paths, 1) == CARDS
        _type(process, "/reload")
        started: set[int] = set()
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and process.poll() is None:
            started |= _descendants(process.pid) - before
            if started and (when == "worker started" or await _stored_episodes(database) != old):
                break
            await asyncio.sleep(0.01)
        process.kill()
        assert process.wait(10) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
    assert started
    for _ in range(200):  # (20 s: a worker looks for its parent every second)
        if not any(_running(pid) for pid in started):
            break
        await asyncio.sleep(0.1)
    assert not [pid for pid in started if _running(pid)]
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    stored = await _stored_episodes(database)
    assert stored in (old, new)
    if when == "rows written":
        assert stored == new
    async with Store.open(database) as store:
        service = CatalogService(store, folder)
        report = await service.start()
        assert report.applied and len(service.catalog) == CARDS
        assert {slug: card.episodes for slug, card in service.catalog.cards.items()} == new
        assert report.parsed == (CARDS if stored == old else 0)
        await service.flush()
    async with Store.open(database) as store:  # (and the next start reads no file at all)
        again = CatalogService(store, folder)
        assert (await again.start()).parsed == 0
        assert again.catalog.cards == service.catalog.cards
