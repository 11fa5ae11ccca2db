"""A crash leaves a trace: the Python stack of every thread on stderr when a process of ours
dies of a native fault, and the name of the signal that ended a worker process; and a worker
process leaves Ctrl-C to the process that started it (:func:`worker_context`,
:func:`start_worker`).

Every process the bot runs calls :func:`trace_crashes` first: ``drama-bot`` itself (``run``,
``ask``, ``check``, the bench), the bench's measuring children, and each worker process (the
card readers, the reload's, the build's, the similarity process). Python's
:mod:`faulthandler` then answers SIGSEGV, SIGFPE, SIGABRT, SIGBUS and SIGILL by writing
"Fatal Python error: Segmentation fault" and each thread's stack to stderr (the log of
``drama-bot run``), and lets the signal end the process as before. Nothing else changes: no
handler of ours runs, nothing is written until a fault.
"""

from __future__ import annotations

import contextlib
import faulthandler
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Iterator
from multiprocessing import forkserver, resource_tracker
from multiprocessing.context import BaseContext


def trace_crashes() -> None:
    """Turn :mod:`faulthandler` on for this process, writing to stderr, every thread's stack
    (no-op when it is on already, e.g. ``PYTHONFAULTHANDLER``, or when there is no stderr)."""
    if faulthandler.is_enabled():
        return
    stream = sys.stderr if sys.stderr is not None else sys.__stderr__
    # (no usable stderr, e.g. closed or a stream with no file number: nothing to write to)
    with contextlib.suppress(AttributeError, ValueError, OSError, RuntimeError):
        faulthandler.enable(file=stream, all_threads=True)


def worker_context() -> BaseContext:
    """:mod:`multiprocessing`'s forkserver context (no copy of this process's threads and
    their locks), its server started, if it is not running yet, with Ctrl-C (SIGINT) blocked:
    the server and every worker it forks inherit the blocked signal, so a Ctrl-C on the
    terminal reaches only the process that started them. Before, a Ctrl-C while the card
    readers of ``drama-bot check`` were starting killed one of them in its imports, and
    the pool, breaking while the reading process cancelled its work, hung that process for
    good (CPython 3.11's ``terminate_broken`` raises ``InvalidStateError`` on a cancelled
    future and its thread dies). CPython starts its resource tracker the same way."""
    context = multiprocessing.get_context("forkserver")
    # (a failure here fails again where the process starts, and is reported there)
    with contextlib.suppress(OSError, RuntimeError, AssertionError):
        # The resource tracker first: starting it unblocks SIGINT in this thread after.
        resource_tracker.ensure_running()
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        with contextlib.suppress(OSError, RuntimeError, AssertionError):
            forkserver.ensure_running()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    return context


def start_worker() -> None:
    """The first thing a worker process does: :func:`trace_crashes`, and Ctrl-C left to the
    process that started it. A terminal's Ctrl-C reaches every process of the foreground
    group: each card reader printed a ``KeyboardInterrupt`` traceback of its own under
    ``drama-bot check``'s exit 130. The worker ends with that process all the same (it
    watches it, or its pipe closes)."""
    trace_crashes()
    with contextlib.suppress(ValueError, OSError):  # (not the main thread: nothing to do)
        signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def interrupts_held() -> Iterator[list[int]]:
    """Hold Ctrl-C (SIGINT) back while a pool of worker processes starts and works: the
    signal is noted in the list yielded, and :class:`KeyboardInterrupt` raised where the
    caller looks at it (``if held: raise KeyboardInterrupt``) or when the block ends.
    Raised anywhere inside :mod:`concurrent.futures`' own start-up, it left the pool half
    made: ``RuntimeError: cannot join thread before it is started`` and exit 1 instead of
    130, or a worker the pool never learned of (round 12, ``tests/test_interrupts.py``).
    Off the main thread (where Python runs signal handlers) nothing is held."""
    held: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield held
        return
    previous = signal.signal(signal.SIGINT, lambda number, _frame: held.append(number))
    try:
        yield held
    finally:
        signal.signal(signal.SIGINT, previous)
    if held:
        raise KeyboardInterrupt


def stop_workers() -> None:
    """On the way out after a Ctrl-C: kill every process the forkserver forked that is still
    there (none once a pool has shut down; else a worker forked while the interrupt arrived,
    which its pool never learned of). Such a worker, still unpickling its start-up state when
    this process's exit unlinked the pool's semaphores, printed a ``FileNotFoundError``
    traceback from CPython's ``spawn`` under the command's exit 130 (seen in round 12's
    ``tests/test_interrupts.py``). Killed first, it prints nothing."""
    server = getattr(forkserver._forkserver, "_forkserver_pid", None)  # (None: never started)
    if not server:
        return
    for child in children_of(server):
        with contextlib.suppress(OSError):
            os.kill(child, signal.SIGKILL)


def children_of(parent: int) -> list[int]:
    """The processes whose parent is ``parent`` now (read from ``/proc``; none elsewhere)."""
    found = []
    with contextlib.suppress(OSError):
        entries = os.listdir("/proc")
        for entry in entries:
            if not entry.isdigit():
                continue
            try:
                fields = proc_stat(entry)
            except OSError:
                continue
            if len(fields) > 1 and int(fields[1]) == parent:
                found.append(int(entry))
    return found


def proc_stat(pid: int | str) -> list[bytes]:
    """The fields of ``/proc/PID/stat`` after the command's name (its state first, then its
    parent's id, ...). Raises :class:`OSError` (``FileNotFoundError``: no such process)."""
    with open(f"/proc/{pid}/stat", "rb") as stat:
        return stat.read().rpartition(b")")[2].split()


def ended(exit_code: int | None) -> str:
    """How a process ended, from its exit code as :mod:`multiprocessing` or :mod:`subprocess`
    give it (negative: the signal that killed it): "killed by SIGSEGV, signal 11",
    "exit code 1", or "no exit code" while it has none."""
    if exit_code is None:
        return "no exit code"
    if exit_code < 0:
        return f"killed by {signal_name(-exit_code)}, signal {-exit_code}"
    return f"exit code {exit_code}"


def signal_name(number: int) -> str:
    """``SIGSEGV`` for 11, ``SIGKILL`` for 9; ``signal N`` for a number with no name here."""
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
