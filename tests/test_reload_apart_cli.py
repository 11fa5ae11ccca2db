"""A reload done in a worker process, seen from outside: ``drama-bot ask --database DB --data
DIR`` in a process of its own, with ``/reload`` typed after the cards changed (the worker from
the first card on, not 5,000: the one constant a test may change, set before ``main`` runs).
Its progress on a real terminal (a pty), and the serving process killed mid-reload."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.bench.measure import bump_episodes
from bot.bench.synthetic import synthetic_cards, write_cards
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
