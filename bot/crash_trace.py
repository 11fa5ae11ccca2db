"""A crash leaves a trace: the Python stack of every thread on stderr when a process of ours
dies of a native fault, and the name of the signal that ended a worker process.

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
import signal
import sys


def trace_crashes() -> None:
    """Turn :mod:`faulthandler` on for this process, writing to stderr, every thread's stack
    (no-op when it is on already, e.g. ``PYTHONFAULTHANDLER``, or when there is no stderr)."""
    if faulthandler.is_enabled():
        return
    stream = sys.stderr if sys.stderr is not None else sys.__stderr__
    # (no usable stderr, e.g. closed or a stream with no file number: nothing to write to)
    with contextlib.suppress(AttributeError, ValueError, OSError, RuntimeError):
        faulthandler.enable(file=stream, all_threads=True)


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
