"""A crash leaves a trace (``bot/crash_trace.py``): a process of ours that dies of a native
fault prints the Python stack of every thread on stderr, and a worker process that dies by a
signal is named with that signal while the last good catalog keeps serving.

Each fault is the real signal a native crash raises (SIGSEGV), sent by ``os.kill`` to the
unmodified ``drama-bot`` process or to one of its worker processes, found in ``/proc``.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.bench.measure import bump_episodes
from bot.bench.synthetic import synthetic_cards, write_cards
from bot.cards.model import Card
from bot.catalog.similarity_process import ComputedPicks
from tests.conftest import REPO, SHIPPED_CARDS
from tests.patience import patient
from tests.test_reload_apart_cli import _ASK  # (drama-bot, every full reload in a worker)

#: What faulthandler writes first for a SIGSEGV, then each thread's stack.
FAULT = "Fatal Python error: Segmentation fault"


def _environment() -> dict[str, str]:
    """The test's environment without a faulthandler the operator turned on: the bot's own."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONFAULTHANDLER"}


def started(*command: str, stdin: bool = False, group: bool = False) -> subprocess.Popen[str]:
    """``python *command`` from the checkout, its output read as text; ``stdin``: written to
    through a pipe; ``group``: in a process group of its own (a terminal's foreground group)."""
    return subprocess.Popen(
        [sys.executable, *command],
        stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=_environment(),
        process_group=0 if group else None,
    )


def _status(pid: int) -> dict[str, str]:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as status:
            return dict(line.split(":\t", 1) for line in status if ":\t" in line)
    except OSError:
        return {}


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and _status(int(entry)).get("PPid", "").strip() == str(pid):
            found.append(int(entry))
    return sorted(found)


def _threads(pid: int) -> int:
    return int(_status(pid).get("Threads", "0").strip() or 0)


def _holds(pid: int, path: Path) -> bool:
    """Whether process ``pid`` has ``path`` open."""
    try:
        links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
    except OSError:
        return False
    return str(path) in links


def _worker_of(pid: int, ready: Callable[[int], bool], timeout: float = 180) -> int:
    """A process ``pid`` started through its forkserver (a grandchild), once ``ready`` says
    it runs our code (not still starting: a fault then is the forkserver's child's, before
    any code of ours could turn anything on)."""
    deadline = time.monotonic() + patient(timeout)
    while time.monotonic() < deadline:
        for child in _children(pid):
            for worker in _children(child):
                if ready(worker):
                    return worker
        time.sleep(0.01)
    raise AssertionError(f"no worker process of {pid} in {timeout} s")


def _tasks(pid: int) -> dict[str, tuple[str, int]]:
    """Each thread of ``pid``: its state letter and CPU ticks (user + sys), from /proc."""
    found = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/stat", encoding="utf-8") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:  # (the thread ended while listed: not settled)
            return {}
        found[task] = (fields[0], int(fields[11]) + int(fields[12]))
    return found


def _settle(pid: int, timeout: float = 30) -> None:
    """Wait until ``pid`` idles: the same threads, each asleep, no CPU used, over 0.1 s.
    faulthandler walks the threads' states unlocked: a fault while a thread starts or ends
    (right after an answer, an executor's or the keeping's) cut its report short at that
    thread, before the main thread's stack (1 of 15 signals sent at once after the answer)."""
    deadline, before = time.monotonic() + patient(timeout), {}
    while time.monotonic() < deadline:
        now = _tasks(pid)
        if now and now == before and all(state == "S" for state, _ in now.values()):
            return
        before = now
        time.sleep(0.1)
    raise AssertionError(f"process {pid} did not settle in {timeout} s: {before}")


def _ended_by(process: subprocess.Popen[str], signum: int) -> str:
    """Send ``signum`` to ``process`` once it answered, and its stderr once it ended."""
    process.send_signal(signum)
    _, errors = process.communicate(timeout=patient(30))
    assert process.returncode == -signum, errors[-2000:]
    return errors


#: Processes faulted at most in the test below: faulthandler reads the other threads' frames
#: without a lock, and a report can stop at a thread's header even with every thread asleep
#: (1 of 2 fresh-clone `.ci/run`s of round 16: the main thread's header, then nothing); the
#: next process's report is whole. Without the handler every one of them fails.
FAULTED_AT_MOST = 3


def _ask_faulted_while_idle() -> str:
    """One ``drama-bot ask`` answering a command, then sent SIGSEGV while it waits for the
    next; its stderr."""
    process = started("-m", "bot", "ask", "--data", str(SHIPPED_CARDS), "--json", stdin=True)
    try:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write("/drama Run On\n")
        process.stdin.flush()
        assert '"card": "run-on"' in process.stdout.readline()
        _settle(process.pid)  # (waiting for its next command, as a crash while idle finds it)
        return _ended_by(process, signal.SIGSEGV)
    finally:
        if process.poll() is None:
            process.kill()


def test_ask_killed_by_a_native_fault_prints_every_threads_stack() -> None:
    """``drama-bot ask`` waiting for its next command when a SIGSEGV ends it: stderr holds
    faulthandler's report and the stack of each thread (before: nothing at all)."""
    for _ in range(FAULTED_AT_MOST):
        errors = _ask_faulted_while_idle()
        assert FAULT in errors
        assert "most recent call first" in errors and 'File "' in errors
        if "bot/cli/main.py" in errors:
            break
    assert "bot/cli/main.py" in errors  # (the main thread's own stack, down to our code)


def test_a_card_reader_killed_by_a_native_fault_leaves_its_stack_and_check_finishes(
    tmp_path: Path,
) -> None:
    """``drama-bot check`` of a folder big enough for worker processes: one of them ends with
    SIGSEGV mid-read. Its stack is on stderr, the warning says the readers stopped (not that
    they could not start), and every card is still checked, in ``check``'s own process."""
    folder = tmp_path / "cards"
    count = 4_000
    list(write_cards(synthetic_cards(count, seed=3), folder))
    process = started("-m", "bot", "check", "--data", str(folder), "--quiet")
    try:
        # (its second thread: the watch of its parent its initializer starts; a card reader
        # imports nothing that starts a thread)
        os.kill(_worker_of(process.pid, lambda pid: _threads(pid) >= 2), signal.SIGSEGV)
        out, errors = process.communicate(timeout=patient(300))
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, errors[-3000:]
    assert f"OK: {count} cards in {folder}" in out, out
    assert FAULT in errors and "bot/cards/" in errors
    assert "card reader" in errors and "cannot start" not in errors


def test_a_reload_worker_killed_by_a_native_fault_is_named_and_the_reload_done_here(
    tmp_path: Path,
) -> None:
    """``/reload`` after every card changed, its worker process ended by SIGSEGV as it works:
    the worker's stack is on stderr, the warning names the signal, the reload is done in the
    serving process and the changed cards answer."""
    folder = tmp_path / "cards"
    paths = list(write_cards(synthetic_cards(600, seed=11), folder))
    for path in paths:  # (an hour old: stamps of files written this second are re-read)
        os.utime(path, (path.stat().st_atime - 3600, path.stat().st_mtime - 3600))
    args = ["ask", "--database", str(tmp_path / "bot.sqlite3"), "--data", str(folder)]
    process = started("-c", _ASK, *args, "--json", "--quiet", stdin=True)
    try:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write("/reload\n")
        process.stdin.flush()
        assert '"command": "/reload"' in process.stdout.readline()
        assert bump_episodes(paths, 1) == 600
        process.stdin.write("/reload\n")
        process.stdin.flush()
        # (once it opened the database: its imports, which start threads of their own, done)
        worker = _worker_of(process.pid, lambda pid: _holds(pid, tmp_path / "bot.sqlite3"))
        os.kill(worker, signal.SIGSEGV)
        out, errors = process.communicate(timeout=patient(300))
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, errors[-3000:]
    assert FAULT in errors
    assert "did not reload (it stopped (killed by SIGSEGV, signal 11)); reloading here" in errors
    assert "600 changed" in out, out


@pytest.fixture(scope="module")
def cards() -> list[Card]:
    return synthetic_cards(600, seed=5)


def test_a_similarity_process_killed_by_a_signal_is_named_and_the_picks_made_here(
    cards: list[Card], caplog: pytest.LogCaptureFixture
) -> None:
    """The similarity process ended by SIGSEGV while it waits for the exclusions (so before
    it answers): the warning names the signal (before: "the similarity process failed ()"),
    and the picks are made here, the same as a build in one process makes them."""
    expected = ComputedPicks(cards, threshold=1 << 30)
    expected.exclude({card.slug: frozenset({card.slug}) for card in cards})
    want = expected.result()
    caplog.set_level(logging.WARNING, "bot.catalog.similarity_process")
    picks = ComputedPicks(cards, threshold=0)
    assert picks.in_process
    # (its second thread reads the exclusions, which it then waits for: it cannot answer yet)
    os.kill(_worker_of(os.getpid(), lambda pid: _threads(pid) >= 2), signal.SIGSEGV)
    picks.exclude({card.slug: frozenset({card.slug}) for card in cards})
    assert picks.result() == want
    assert "the similarity process stopped (killed by SIGSEGV, signal 11)" in caplog.text
    assert "computing similarity in this process" in caplog.text


def _command_line(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as line:
            return line.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def test_a_bench_child_killed_by_a_native_fault_is_named_with_its_stack(tmp_path: Path) -> None:
    """``drama-bot bench``'s cold measuring process ended by SIGSEGV once it opened its
    database (as round 11's unexplained -11): the bench fails in one message naming the
    signal, with the child's stack (before: "failed (exit -11)" and no stack)."""
    workdir = tmp_path / "bench"
    args = ["bench", "--cards", "150", "--queries", "70", "--json", "--quiet"]
    process = started("-m", "bot", *args, "--workdir", str(workdir))
    database = workdir / "bench-150.sqlite3"
    try:
        deadline = time.monotonic() + patient(120)
        child = None
        while child is None and time.monotonic() < deadline and process.poll() is None:
            for pid in _children(process.pid):
                if "bot.bench.child cold" in _command_line(pid) and _holds(pid, database):
                    child = pid
            time.sleep(0.005)
        assert child is not None, "the cold measuring process never opened its database"
        os.kill(child, signal.SIGSEGV)
        out, errors = process.communicate(timeout=patient(120))
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 1
    # (--json: one object saying it, round 13; the stack stays on stderr)
    assert json.loads(out) == {
        "error": "drama-bot: the cold measurement failed (killed by SIGSEGV, signal 11)",
        "exit_code": 1,
    }
    assert "the cold measurement failed (killed by SIGSEGV, signal 11):" in errors
    assert FAULT in errors and "bot/bench/" in errors
