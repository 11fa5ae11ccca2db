"""Faults, round 9 (branch polish9), each through ``drama-bot ask`` or ``check`` as a user or
an admin meets it: a database another process keeps locked (against readers, or writing),
a command line of millions of characters, the process killed while its card readers work,
the cards folder vanishing, becoming a file or being moved between two ``/reload``s, a card
renamed between them, YAML alias chains thousands deep, and a card copied under a name in
capitals. Which of these were fixed and which already held is in docs/reliability.md."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.bench.synthetic import synthetic_cards, write_cards
from bot.catalog.store import BUSY_TIMEOUT_MS
from bot.cli.ask import MAX_LINE_CHARS
from tests.test_cli import REPO, drama_bot

# A lock that keeps readers out too (another program that opened the file exclusively), and
# a write lock only (a WAL reader goes on): each held by a real process until it is killed.
_HOLD_AGAINST_READERS = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA locking_mode = EXCLUSIVE")
db.execute("BEGIN EXCLUSIVE"); db.execute("CREATE TABLE IF NOT EXISTS other(a)")
db.execute("COMMIT"); db.execute("BEGIN EXCLUSIVE")
print("held", flush=True); time.sleep(600)
"""
_HOLD_THE_WRITE_LOCK = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("held", flush=True); time.sleep(600)
"""


@pytest.fixture
def stored(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the shipped cards and a database ``ask`` has filled from them."""
    cards = tmp_path / "cards"
    shutil.copytree(REPO / "data" / "cards", cards)
    database = tmp_path / "state" / "bot.sqlite3"
    done = drama_bot("ask", "--data", str(cards), "--database", str(database), "/drama run on")
    assert done.returncode == 0, done.stderr
    return cards, database


@pytest.fixture
def holder(stored: tuple[Path, Path]) -> Iterator[object]:
    """Start a process holding a lock on the stored database (``holder(script)``); it is
    killed by its PID after the test."""
    started: list[subprocess.Popen[str]] = []

    def hold(script: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-c", script, str(stored[1])], stdout=subprocess.PIPE, text=True
        )
        started.append(process)
        assert process.stdout is not None and process.stdout.readline() == "held\n"
        return process

    yield hold
    for process in started:
        process.kill()
        process.wait()


def _timed_ask(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    began = time.monotonic()
    done = drama_bot("ask", *args)
    return done, time.monotonic() - began


def test_a_database_locked_against_readers_is_given_up_in_seconds(
    stored: tuple[Path, Path], holder: object
) -> None:
    """Before: opening waited out the 15 s ``busy_timeout`` at more than one step (23 s by
    hand) before serving from memory, and the warning said only "database is locked"."""
    cards, database = stored
    holder(_HOLD_AGAINST_READERS)  # type: ignore[operator]
    done, took = _timed_ask(
        "--data", str(cards), "--database", str(database), "--json", "/drama run on"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["card"] == "run-on"
    assert "another process holds a lock on it" in done.stderr
    assert "serving from an in-memory database" in done.stderr
    assert "Traceback" not in done.stderr
    # not the busy timeout, waited out once or more (a bound on waiting, not a benchmark)
    assert took < BUSY_TIMEOUT_MS / 1000, took
    assert database.exists()  # left where it was, not moved aside as if it were damaged


def test_a_database_another_process_writes_answers_at_once_and_says_so(
    stored: tuple[Path, Path], holder: object
) -> None:
    """Before: 15 s at the open's check write, 15 s more for the changed card's write (35 s
    by hand), and no word on why until the second wait ended."""
    cards, database = stored
    card = cards / "run-on.yaml"
    card.write_text(card.read_text("utf-8").replace("episodes: 16", "episodes: 18"), "utf-8")
    holder(_HOLD_THE_WRITE_LOCK)  # type: ignore[operator]
    done, took = _timed_ask("--data", str(cards), "--database", str(database), "/drama run on")
    assert done.returncode == 0, done.stderr
    assert "Episodes: 18" in done.stdout  # the card as it is now, served from memory
    assert f"another process is writing the database {database}" in done.stderr
    assert "Traceback" not in done.stderr
    assert took < BUSY_TIMEOUT_MS / 1000, took


def _stored_episodes(database: Path) -> int:
    with sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True) as db:
        (body,) = db.execute("SELECT body FROM cards WHERE slug = 'run-on'").fetchone()
    episodes: int = json.loads(body)["episodes"]
    return episodes


def test_the_write_a_busy_database_missed_is_made_by_the_next_ask(
    stored: tuple[Path, Path], holder: object
) -> None:
    cards, database = stored
    card = cards / "run-on.yaml"
    card.write_text(card.read_text("utf-8").replace("episodes: 16", "episodes: 18"), "utf-8")
    lock = holder(_HOLD_THE_WRITE_LOCK)  # type: ignore[operator]
    args = ("--data", str(cards), "--database", str(database), "/drama run on")
    assert drama_bot("ask", *args).returncode == 0
    assert _stored_episodes(database) == 16  # the lock was taken: not written yet
    lock.kill()
    lock.wait()
    done = drama_bot("ask", *args)
    assert done.returncode == 0 and "another process" not in done.stderr
    assert _stored_episodes(database) == 18


def test_a_command_line_of_millions_of_characters_is_read_in_part(tmp_path: Path) -> None:
    """Before: the whole line was held and gone over before the query's 200-character cap (a
    21 MB line: 22 s and 614 MB; 200 MB: 108 s and 1.1 GB), and echoed whole."""
    huge = "/drama goblin" + " " * 3_000_000 + "and then some"
    done = drama_bot("ask", "--json", "--quiet", stdin=f"{huge}\n/drama run on\n")
    assert done.returncode == 0, done.stderr
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["command"] == "/drama goblin"  # (its first 16,384 characters, stripped)
    assert first["card"] == "guardian-the-lonely-and-great-god"
    assert second["card"] == "run-on"  # the rest of the long line is not taken for a line
    assert (
        f"a command of {len(huge):,} characters; only its first {MAX_LINE_CHARS:,}" in done.stderr
    )


def test_a_command_line_just_under_the_limit_is_read_whole() -> None:
    line = "/drama run on" + " " * (MAX_LINE_CHARS - 20) + "x"
    done = drama_bot("ask", "--json", "--quiet", stdin=f"{line}\n")
    assert done.returncode == 0 and "only its first" not in done.stderr
    assert json.loads(done.stdout)["command"] == line


def _session(leader: int) -> list[str]:
    """The processes of the session ``leader`` started, but the leader's own zombie."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == leader:
            continue
        try:
            stat = (entry / "stat").read_bytes().rpartition(b")")[2].split()
        except OSError:
            continue
        if int(stat[3]) == leader and stat[0] not in (b"Z", b"X"):  # session id, state
            found.append(entry.name)
    return found


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL])
def test_card_readers_end_with_the_process_that_started_them(tmp_path: Path, stop: int) -> None:
    """Killed while its worker processes read a big folder, ``ask`` left them, the
    forkserver and the resource tracker running for good; they held its stdout, so a caller
    reading it (``subprocess.run(capture_output=True)``, ``| cat``) never returned."""
    # With one core the cards are read in the process itself: then nothing may be left either.
    readers = 3 if len(os.sched_getaffinity(0)) >= 2 else 0
    cards = tmp_path / "cards"
    for _ in write_cards(synthetic_cards(2_400, 7), cards):
        pass
    ask = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "--quiet", "--data", str(cards), "/drama x"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while len(_session(ask.pid)) < readers and ask.poll() is None:  # forkserver, workers
            assert time.monotonic() < deadline, "the card readers never started"
            time.sleep(0.02)
        assert ask.poll() is None, "ask ended before it could be stopped mid-read"
        ask.send_signal(stop)
        # reading to the end of stdout ends only when every process holding it has ended
        ask.communicate(timeout=30)
        assert ask.returncode == -stop
        deadline = time.monotonic() + 10
        while _session(ask.pid):
            assert time.monotonic() < deadline, _session(ask.pid)
            time.sleep(0.1)
    finally:
        for pid in _session(ask.pid):
            os.kill(int(pid), signal.SIGKILL)
        if ask.poll() is None:
            ask.kill()
            ask.communicate()


class _Asker:
    """``drama-bot ask --json`` on a cards folder and a database, one line at a time, so the
    folder can change between two lines."""

    def __init__(self, cards: Path, database: Path) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot",
                "ask",
                "--json",
                "--quiet",
                "--data",
                str(cards),
                "--database",
                str(database),
            ],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def __call__(self, line: str) -> dict[str, object]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{line}\n")
        self.process.stdin.flush()
        record: dict[str, object] = json.loads(self.process.stdout.readline())
        return record

    def close(self) -> tuple[int, str]:
        _, err = self.process.communicate(timeout=60)
        return self.process.returncode, err


def _text(record: dict[str, object]) -> str:
    message = record["message"]
    assert isinstance(message, dict)
    return json.dumps(message, ensure_ascii=False)


@pytest.mark.parametrize("change", ["vanishes", "becomes a file", "is moved away"])
def test_a_cards_folder_that_goes_between_reloads_keeps_the_catalog(
    stored: tuple[Path, Path], change: str
) -> None:
    cards, database = stored
    ask = _Asker(cards, database)
    try:
        assert ask("/drama run on")["card"] == "run-on"
        shutil.rmtree(cards) if change != "is moved away" else cards.rename(cards.with_name("gone"))
        if change == "becomes a file":
            cards.write_text("title: Not a folder\n", "utf-8")
        for line in ("/reload", "/reload confirm:true"):  # confirmed or not: nothing to load
            refused = ask(line)
            assert "Reload refused" in _text(refused) and "109 cards" in _text(refused)
            assert "is not a folder of cards" in _text(refused)
        assert ask("/drama run on")["card"] == "run-on"
        if change == "is moved away":
            cards.with_name("gone").rename(cards)
            assert "Reloaded 109 cards" in _text(ask("/reload"))
            assert ask("/drama vincenzo")["card"] == "vincenzo"
    finally:
        status, err = ask.close()
    assert status == 0 and "Traceback" not in err


def test_a_card_renamed_between_reloads_answers_under_its_new_name(
    stored: tuple[Path, Path],
) -> None:
    cards, database = stored
    ask = _Asker(cards, database)
    try:
        assert ask("/drama run on")["card"] == "run-on"
        (cards / "run-on.yaml").rename(cards / "run-on-2020.yaml")
        reloaded = _text(ask("/reload"))
        assert "1 added" in reloaded and "1 removed" in reloaded, reloaded
        assert ask("/drama run on")["card"] == "run-on-2020"
    finally:
        status, err = ask.close()
    assert status == 0 and "Traceback" not in err


def _alias_chain(depth: int, link: str) -> str:
    """A card whose anchors each hold the one before: ``depth`` levels, a few lines each."""
    lines = ["title: Chain", "year: 2021", "k0: &b0 [1]"]
    lines += [f"k{i}: &b{i} {link.format(i - 1)}" for i in range(1, depth)]
    return "\n".join([*lines, f"aliases: *b{depth - 1}", f"cast: [{{actor: *b{depth - 1}}}]\n"])


@pytest.mark.parametrize("link", ["[*b{}]", "{{v: *b{}}}"])
def test_alias_chains_thousands_deep_are_card_errors(cards_dir: Path, link: str) -> None:
    shutil.copy(REPO / "data" / "cards" / "vincenzo.yaml", cards_dir)
    (cards_dir / "chain.yaml").write_text(_alias_chain(9_000, link), "utf-8")
    checked = drama_bot("check", "--data", str(cards_dir))
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    assert f"{cards_dir / 'chain.yaml'}:9002: cast[0].actor: YAML anchors and aliases" in (
        checked.stdout + checked.stderr
    )
    asked = drama_bot(
        "ask",
        "--json",
        "--quiet",
        "--data",
        str(cards_dir),
        stdin="/drama vincenzo\n/drama chain\n",
    )
    vincenzo, chain = (json.loads(line) for line in asked.stdout.splitlines())
    assert vincenzo["card"] == "vincenzo" and chain["card"] is None
    assert "could not be loaded" in _text(chain)


def test_a_copy_under_a_name_in_capitals_is_named_as_a_copy(cards_dir: Path) -> None:
    """Before: "RUN-ON.YAML ... rename it to RUN-ON.yaml", which is no card's name either
    (slugs are lower-case) and would meet run-on.yaml."""
    shutil.copy(REPO / "data" / "cards" / "run-on.yaml", cards_dir)
    shutil.copy(REPO / "data" / "cards" / "run-on.yaml", cards_dir / "RUN-ON.YAML")
    shutil.copy(REPO / "data" / "cards" / "vincenzo.yaml", cards_dir / "Vincenzo.Yml")
    checked = drama_bot("check", "--data", str(cards_dir))
    out = checked.stdout + checked.stderr
    assert "RUN-ON.YAML:1: file: is not loaded" in out
    assert "run-on.yaml is here already: if this is a copy of it, remove one" in out
    assert "Vincenzo.Yml:1: file: is not loaded" in out and "rename it to vincenzo.yaml" in out
    asked = drama_bot("ask", "--json", "--quiet", "--data", str(cards_dir), "/drama run on")
    assert json.loads(asked.stdout)["card"] == "run-on"
