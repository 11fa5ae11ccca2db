"""One background thread running the catalog's Python work at a time: turns.

The event loop waits for the GIL whenever a worker thread holds it. With one worker thread
wanting it, the loop gets it back within the switch interval (or at the end of the C call the
worker is in); with two or three wanting it at once (a replaced catalog freed, the new one's
fingerprint worked out and its keeping encoded, all started at the same moment), the GIL can go
from one worker to the other and back while the loop waits: the cold load's worst stalls at
100,000 cards were such convoys (``docs/performance.md``, branches ``cold15`` and ``stall16``).

So the catalog's CPU-bound jobs in worker threads (builds, read-backs, fingerprints, the
keeping's encoding, freeing a replaced catalog) each take a *turn* (:func:`taking`) before
they run Python, and only one thread holds the turn at a time. A long job hands the turn over
between its pieces (:func:`pass_turn`, called by the helpers that cut work into pieces) when
another job waits, so a short job is not kept waiting behind a build, and what is freed is
not held longer. While a turn is held the switch interval is short (:func:`responsive`): the
loop asks for the GIL back after a millisecond, not five. Waiting for a turn lets the GIL go.

A job must not wait, while holding its turn, for another job that takes one (it would wait
forever): jobs that wait for processes, the database or the folder take no turn.

The catalog's jobs run on threads of their own (:func:`in_thread`), not on the event loop's
default executor: a job waiting for its turn holds its thread, and three or four such jobs
would otherwise hold most of the default executor (six threads on two cores), which answers
(``asyncio.to_thread`` in the front end) and the event loop's own work (name look-ups) share.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

#: A holder hands its turn over only after holding it this long (seconds): a hand-over costs
#: two thread switches, and the pieces come every few hundred items (warm start at 100,000
#: cards: +0.45 s of CPU when every piece handed over).
HOLD_S = 0.005
#: While a reload works in the background, the event loop gets the GIL back this often.
SWITCH_INTERVAL = 0.001
#: How long :func:`give_way`'s pause lasts: a real sleep, so that a thread waiting for the GIL
#: (an answer) is woken and takes it; ``sleep(0)`` gives it up only for an instant, and the
#: waiter usually sleeps on for the whole switch interval (``bot.matching.roles`` found it).
PAUSE_S = 0.0002
#: How many threads run the catalog's jobs (as many as asyncio's default executor has).
JOB_THREADS = min(32, (os.cpu_count() or 1) + 4)
_switching = threading.Lock()
_responsive = 0
_interval = 0.005


class _Turns:
    """A lock held by one thread at a time (re-entered by the same thread), which a holder can
    hand over to a waiting thread and then take back."""

    def __init__(self) -> None:
        self._changed = threading.Condition(threading.Lock())
        self.owner: int | None = None
        self._depth = 0
        self.waiting = 0
        self._taken = 0  # (how many times a thread took the turn: a handover is seen by it)
        self.since = 0.0  # (when the holder took it)
        #: The probe: jobs inside :func:`taking` and not waiting for their turn, now and
        #: at most (``probe``).
        self.running = 0
        self.most_running = 0
        self.jobs: list[str] = []

    def take(self, name: str) -> None:
        me = threading.get_ident()
        with self._changed:
            if self.owner == me:
                self._depth += 1
                return
            self._wait_then_hold(me, 1)
            self.jobs.append(name)

    def leave(self) -> None:
        with self._changed:
            self._depth -= 1
            if self._depth == 0:
                self._let_go()

    def hand_over(self) -> None:
        """If another thread waits for the turn: let it take the turn, and wait for it back."""
        me = threading.get_ident()
        with self._changed:
            if self.owner != me or not self.waiting:
                return
            depth, taken = self._depth, self._taken
            self._let_go()
            self.waiting += 1
            while self.owner is not None or self._taken == taken:
                self._changed.wait()
            self.waiting -= 1
            self._hold(me, depth)

    def step_aside(self) -> int:
        """If this thread holds the turn: let it go whole (whatever its depth), for
        :meth:`step_back`; the depth it had (0: it held none)."""
        me = threading.get_ident()
        with self._changed:
            if self.owner != me:
                return 0
            depth = self._depth
            self._let_go()
            return depth

    def step_back(self, depth: int) -> None:
        """Take the turn again at ``depth`` (after :meth:`step_aside`; 0: nothing)."""
        if not depth:
            return
        with self._changed:
            self._wait_then_hold(threading.get_ident(), depth)

    def _wait_then_hold(self, me: int, depth: int) -> None:
        """Under ``_changed``: wait, counted as waiting, until no thread holds the turn, then
        take it at ``depth``."""
        self.waiting += 1
        while self.owner is not None:
            self._changed.wait()
        self.waiting -= 1
        self._hold(me, depth)

    def _hold(self, me: int, depth: int) -> None:
        self.owner, self._depth = me, depth
        self.since = time.monotonic()
        self._taken += 1
        self.running += 1
        self.most_running = max(self.most_running, self.running)

    def _let_go(self) -> None:
        self.owner, self._depth = None, 0
        self.running -= 1
        self._changed.notify_all()


_turns = _Turns()


@contextlib.contextmanager
def taking(name: str = "") -> Iterator[None]:
    """Run the block in this thread's turn (waiting for it first; nests)."""
    _turns.take(name)
    try:
        with responsive():
            yield
    finally:
        _turns.leave()


def in_turn(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run in a turn (for :func:`in_thread`)."""

    @functools.wraps(function)
    def in_its_turn(*args: P.args, **kwargs: P.kwargs) -> R:
        with taking(getattr(function, "__qualname__", "")):
            return function(*args, **kwargs)

    return in_its_turn


def pass_turn() -> None:
    """Between two pieces of work: hand the turn to a thread waiting for it, if this thread
    holds it and has for ``HOLD_S`` (else nothing; cheap enough to call every piece)."""
    if (
        _turns.waiting
        and _turns.owner == threading.get_ident()
        and time.monotonic() - _turns.since >= HOLD_S
    ):
        _turns.hand_over()


@contextlib.contextmanager
def stepped_aside() -> Iterator[None]:
    """Wait in the block for something outside this process (another process's lock) without
    holding the turn: the jobs waiting for it run meanwhile (a reload is not held up by
    another shard's rebuild of the story index); taken back, at the same depth, after it."""
    depth = _turns.step_aside()
    try:
        yield
    finally:
        _turns.step_back(depth)


def give_way() -> None:
    """Between two bounded pieces of a long background job that answers are asked beside (the
    story index's build and compare): hand the turn over if a job waits for it
    (:func:`pass_turn`), and let go of the GIL for a moment, so that a thread waiting for it
    takes it now, not at the end of the switch interval."""
    pass_turn()
    time.sleep(PAUSE_S)


def waiting() -> int:
    """How many threads wait for a turn now."""
    return _turns.waiting


def probe() -> tuple[int, list[str]]:
    """The most threads that ran in a turn at once since the last :func:`probe_reset`, and
    the jobs that took a turn (their names, in order)."""
    with _turns._changed:
        return _turns.most_running, list(_turns.jobs)


def probe_reset() -> None:
    with _turns._changed:
        _turns.most_running = _turns.running
        _turns.jobs.clear()


@contextlib.contextmanager
def responsive() -> Iterator[None]:
    """Shorten the GIL switch interval for the block (nests)."""
    global _responsive, _interval
    with _switching:
        if _responsive == 0:
            _interval = sys.getswitchinterval()
            sys.setswitchinterval(min(_interval, SWITCH_INTERVAL))
        _responsive += 1
    try:
        yield
    finally:
        with _switching:
            _responsive -= 1
            if _responsive == 0:
                sys.setswitchinterval(_interval)


_jobs: ThreadPoolExecutor | None = None
_jobs_made = threading.Lock()


async def in_thread(function: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """``asyncio.to_thread`` on the catalog's own threads (``catalog-job``), not on the event
    loop's default executor (see the module's notes)."""
    global _jobs
    if _jobs is None:
        with _jobs_made:
            if _jobs is None:
                _jobs = ThreadPoolExecutor(JOB_THREADS, thread_name_prefix="catalog-job")
    call = functools.partial(contextvars.copy_context().run, function, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(_jobs, call)


def end_jobs() -> None:
    """End the catalog's job threads once their jobs are done (a command's end: the
    interpreter's exit does the same; a command called as a function must too, or whoever
    waits for its threads waits forever). A later :func:`in_thread` starts new ones."""
    global _jobs
    with _jobs_made:
        jobs, _jobs = _jobs, None
    if jobs is not None:
        jobs.shutdown(wait=True)
