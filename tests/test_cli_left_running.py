"""``tests/cli_run.py``'s in-process ``drama-bot`` fails a call that leaves a thread or a process
running after ``main`` returned, at once and naming it, instead of waiting on it silently: in
round 17 a new module's ``ask`` left an executor's thread, and the runner's 120 s wait for it,
once per module, nearly took CI past its 5 minutes (docs/testing.md, round 19)."""

from __future__ import annotations

import multiprocessing
import threading
import time
from pathlib import Path

import pytest

from tests.cli_run import HANG_SECONDS, LeftRunning, drama_bot, process_state
from tests.conftest import SHIPPED_CARDS
from tests.patience import patient

#: The grace these tests give (the runner's is ``LEFT_RUNNING_SECONDS``), stretched the same way.
GRACE = 0.5


def _waits_for(release: threading.Event) -> None:
    release.wait()


def test_a_thread_left_running_fails_the_call_naming_it_and_where_it_waits() -> None:
    release = threading.Event()
    started = time.monotonic()
    try:
        with pytest.raises(LeftRunning) as failed, process_state(GRACE):
            threading.Thread(target=_waits_for, args=(release,), name="left-behind").start()
        waited = time.monotonic() - started
    finally:
        release.set()
    message = str(failed.value)
    assert "'left-behind'" in message and "_waits_for" in message, message
    # Failed after the grace, long before the old silent 120 s wait.
    assert GRACE <= waited < min(HANG_SECONDS, patient(GRACE) + 30)


def test_a_thread_that_ends_soon_after_is_waited_for_as_at_exit() -> None:
    done = threading.Event()

    def finishing() -> None:
        time.sleep(0.1)
        done.set()

    with process_state(GRACE):
        threading.Thread(target=finishing, name="finishing").start()
    assert done.is_set()
    assert not [t for t in threading.enumerate() if t.name == "finishing"]


def test_a_daemon_thread_is_not_waited_for() -> None:
    release = threading.Event()
    try:
        with process_state(GRACE):
            threading.Thread(target=_waits_for, args=(release,), daemon=True).start()
    finally:
        release.set()


def test_a_child_process_left_running_fails_the_call() -> None:
    child = multiprocessing.get_context("spawn").Process(
        target=time.sleep, args=(300,), name="left-child"
    )
    try:
        with pytest.raises(LeftRunning, match="left-child"), process_state(GRACE):
            child.start()
    finally:
        child.kill()
        child.join()


def test_ask_and_check_leave_nothing_running(tmp_path: Path) -> None:
    before = set(threading.enumerate())
    assert drama_bot("ask", "--json", "/drama Run On").returncode == 0
    assert drama_bot("check", "--data", str(SHIPPED_CARDS)).returncode == 0
    left = [t for t in set(threading.enumerate()) - before if not t.daemon]
    assert not left, left


def test_jobs_an_earlier_test_left_on_the_catalogs_threads_end_before_the_call() -> None:
    """A test that starts a catalog service and does not close it leaves its story sync on
    the catalog's job threads; the next in-process call captured that sync's warning as its
    own stderr (round 19's CI: ``test_ask_reports_each_broken_card_once`` read "the story
    index …/test_asking_for_a_broken_card_0/… cannot be written"). A fresh process has no
    such jobs: the runner lets them end before the call."""
    import asyncio
    import logging

    from bot.cards.turns import in_thread

    done = threading.Event()

    def left_behind() -> None:  # (an earlier test's sync, logging until it is let go)
        deadline = time.monotonic() + 1.5
        while not done.is_set() and time.monotonic() < deadline:
            logging.getLogger("bot.catalog.story_index").warning("left behind by a test")
            time.sleep(0.02)

    async def leave() -> None:
        job = asyncio.ensure_future(in_thread(left_behind))
        await asyncio.sleep(0.05)
        job.cancel()  # (its test ended: nobody waits for it; the thread goes on)

    asyncio.run(leave())
    try:
        called = drama_bot("ask", "--data", str(SHIPPED_CARDS), "/drama Run On")
    finally:
        done.set()
    assert called.returncode == 0 and called.stderr == "", called.stderr
