"""``drama-bot`` run for a test: ``ask``, ``check`` and ``enrich`` in this process, the rest as a
process.

A ``drama-bot`` process costs about 0.35 s of CPU before it answers (the interpreter, then
importing the catalog, matching, numpy, rapidfuzz, yaml); the suite started about 590 a run,
most of them an ``ask`` or a ``check`` for one answer (docs/testing.md, round 16). Here these
commands run the same ``bot.cli.main.main(argv)`` the console script calls, in the test's
process, with what a fresh process would have and nothing of pytest's:

* stdin, stdout and stderr are files of their own (real files: ``fileno()`` and ``isatty()``
  answer as for a pipe), written and read with the encodings and error handlers a fresh
  interpreter gives its standard streams, and read back as ``subprocess.run(text=True)`` does;
* logging as a fresh process has it: the root logger without pytest's handlers and at its
  default level, so the ``basicConfig`` of ``main`` writes its warnings to that stderr
  (a ``stderr == ""`` assertion fails on a logged warning exactly as with a process); every
  logger's level, handlers, filters and propagation are put back afterwards;
* Python's default warning filters, not pytest's; the environment (``DISCORD_TOKEN`` removed,
  ``env`` added), the working folder, ``sys.excepthook``, the signal handlers, faulthandler
  and the switch interval as they were, put back afterwards;
* an exception that escapes ``main`` is written by ``sys.excepthook`` (the redacting one
  ``main`` installs) and gives exit code 1, ``SystemExit`` its code, as the interpreter does;
* a thread or child process ``main`` leaves running is given a few seconds to end (a process
  would wait for it at exit), then the call fails naming it with its stack
  (:class:`LeftRunning`): no test waits on it silently (round 17's executor thread held each
  module's worker for the 120 s guard).

What needs a process of its own still gets one: the other commands (``run``, ``sync``,
``health``, ``enrich``, ``bench``, ``import-review``, ``--version``), an environment that
only an interpreter's start reads (``PYTHON*``, ``LD_*``), and a call from a running event
loop. Tests of the process itself (exit codes on signals, a broken pipe, a terminal, native
faults, the restart onto jemalloc) start their own.
"""

from __future__ import annotations

import asyncio
import contextlib
import faulthandler
import gc
import io
import locale
import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from tests.conftest import REPO
from tests.patience import patient

#: Commands run in this process; every other runs as ``python -m bot``.
IN_PROCESS_COMMANDS = frozenset({"ask", "check", "enrich"})
#: Environment read only when an interpreter starts: such a call gets a process of its own.
START_ONLY_ENV = ("PYTHON", "LD_")
#: How long an in-process call may take before the worker is ended with every thread's stack
#: (as the process form's ``timeout=60`` ended it): a hang fails the run, never stalls it.
HANG_SECONDS = 120
#: How long a thread or process ``main`` leaves behind may take to end once ``main`` returned
#: (stretched with the load: :func:`tests.patience.patient`) before the call fails with
#: :class:`LeftRunning`, rather than the worker waiting on it silently.
LEFT_RUNNING_SECONDS = 5
#: Python's default warning filters (a release build, no ``-W``), as a fresh process has them.
DEFAULT_WARNINGS: tuple[tuple[str, type[Warning], str], ...] = (
    ("default", DeprecationWarning, "__main__"),
    ("ignore", DeprecationWarning, ""),
    ("ignore", PendingDeprecationWarning, ""),
    ("ignore", ImportWarning, ""),
    ("ignore", ResourceWarning, ""),
)
_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def drama_bot(
    *args: str,
    stdin: str | None = None,
    cwd: Path = REPO,
    env: dict[str, str] | None = None,
    process: bool = False,
) -> subprocess.CompletedProcess[str]:
    """``drama-bot ARGS`` with ``stdin`` (None: an empty one), from ``cwd``, its environment
    this one without ``DISCORD_TOKEN`` and with ``env``: in this process when it can be (see
    the module's note), else, or with ``process=True``, as ``python -m bot``."""
    environment = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"} | (env or {})
    if process or not runs_here(list(args), env or {}):
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=cwd,
            env=environment,
            timeout=60,
            check=False,
        )
    code, out, err = main_here(list(args), stdin or "", cwd, environment)
    return subprocess.CompletedProcess(["drama-bot", *args], code, _text(out), _text(err))


def runs_here(args: list[str], env: dict[str, str]) -> bool:
    """Whether ``drama-bot ARGS`` with ``env`` added can run in this process."""
    named = next((word for word in args if not word.startswith("-")), None)
    if named not in IN_PROCESS_COMMANDS or "--version" in args[: args.index(named)]:
        return False
    if any(key.startswith(START_ONLY_ENV) for key in env):
        return False
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # (no loop running here: asyncio.run may start one)
        return True
    return False


def main_here(
    args: list[str], stdin: str, cwd: Path, environment: dict[str, str]
) -> tuple[int, bytes, bytes]:
    """Run ``bot.cli.main.main(args)`` here as a fresh process would (the module's note): its
    exit code, and the bytes it wrote to stdout and stderr."""
    from bot.cards.turns import end_jobs
    from bot.cli.main import main

    # Work an earlier test's catalog service left on the catalog's job threads (a story sync
    # nobody waited for) ends first: a fresh process has none, and its log lines would be
    # captured as this call's stderr.
    end_jobs()
    with tempfile.TemporaryDirectory(prefix="drama-bot-cli-") as folder:
        paths = {name: Path(folder, name) for name in ("stdin", "stdout", "stderr")}
        paths["stdin"].write_bytes(stdin.encode(locale.getpreferredencoding(False)))
        with (
            _streams(paths) as (err, _out),
            _environment(environment, cwd),
            _fresh_logging(),
            process_state(),
            warnings.catch_warnings(),
        ):
            warnings.resetwarnings()
            for action, category, module in reversed(DEFAULT_WARNINGS):
                warnings.filterwarnings(action, category=category, module=module)
            code = _exit_code(main, args, err)
        return code, paths["stdout"].read_bytes(), paths["stderr"].read_bytes()


def _exit_code(main: Any, args: list[str], err: IO[str]) -> int:
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True)
    try:
        returned = main(args)
    except SystemExit as stop:  # (argparse's errors and --help; sys.exit)
        if stop.code is None or isinstance(stop.code, int):
            return stop.code or 0
        print(stop.code, file=err)
        return 1
    except BaseException:  # (as the interpreter ends on an uncaught exception)
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
        return 1
    finally:
        faulthandler.cancel_dump_traceback_later()
    return returned if isinstance(returned, int) else 0


@contextlib.contextmanager
def _streams(paths: dict[str, Path]) -> Iterator[tuple[IO[str], IO[str]]]:
    """sys.stdin/stdout/stderr on files, as a fresh interpreter opens its standard streams."""
    saved = sys.stdin, sys.stdout, sys.stderr
    original = sys.__stdin__, sys.__stdout__, sys.__stderr__
    opened = [
        _stream(paths["stdin"], "rb", original[0], "surrogateescape"),
        _stream(paths["stdout"], "wb", original[1], "surrogateescape"),
        _stream(paths["stderr"], "wb", original[2], "backslashreplace"),
    ]
    sys.stdin, sys.stdout, sys.stderr = opened
    try:
        yield opened[2], opened[1]
    finally:
        for stream in opened[1:]:
            with contextlib.suppress(ValueError, OSError):
                stream.flush()
        sys.stdin, sys.stdout, sys.stderr = saved
        for stream in opened:
            with contextlib.suppress(ValueError, OSError):
                stream.close()


def _stream(path: Path, mode: str, like: IO[str] | None, errors: str) -> io.TextIOWrapper:
    encoding = getattr(like, "encoding", None) or locale.getpreferredencoding(False)
    chosen = getattr(like, "errors", None) or errors
    return io.TextIOWrapper(open(path, mode), encoding=encoding, errors=chosen)


@contextlib.contextmanager
def _environment(environment: dict[str, str], cwd: Path) -> Iterator[None]:
    saved, folder = dict(os.environ), os.getcwd()
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(folder)
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _fresh_logging() -> Iterator[None]:
    """The root logger as a fresh process has it (no handler, WARNING) for the block; every
    logger as it was afterwards (``basicConfig``'s handler and any level set are dropped)."""
    manager = logging.Logger.manager
    loggers = [logging.root] + [
        logger for logger in manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]
    saved = [
        (
            logger,
            logger.level,
            logger.handlers[:],
            logger.filters[:],
            logger.propagate,
            logger.disabled,
        )
        for logger in loggers
    ]
    disabled = manager.disable
    logging.root.handlers.clear()
    logging.root.setLevel(logging.WARNING)
    logging.disable(logging.NOTSET)
    try:
        yield
    finally:
        for handler in logging.root.handlers:
            with contextlib.suppress(ValueError, OSError):
                handler.flush()
        known = {logger for logger, *_ in saved}
        for logger in manager.loggerDict.values():  # (made by the call: as a new one is)
            if isinstance(logger, logging.Logger) and logger not in known:
                logger.handlers.clear()
                logger.setLevel(logging.NOTSET)
        for logger, level, handlers, filters, propagate, off in saved:
            logger.handlers[:] = handlers
            logger.filters[:] = filters
            logger.setLevel(level)
            logger.propagate, logger.disabled = propagate, off
        logging.disable(disabled)


@contextlib.contextmanager
def process_state(grace: float = LEFT_RUNNING_SECONDS) -> Iterator[None]:
    """What ``main`` changes for the whole process, put back: the excepthook, the signal
    handlers, faulthandler, the switch interval; objects it froze out of the collector's reach
    are handed back to it (``gc.freeze`` after a build). Threads and processes it leaves are
    waited for as the interpreter waits for them at exit, but only for
    :data:`LEFT_RUNNING_SECONDS`: one still running then fails the call (:class:`LeftRunning`,
    with its stack) instead of holding the worker."""
    hook, interval = sys.excepthook, sys.getswitchinterval()
    handlers = {number: signal.getsignal(number) for number in _SIGNALS}
    tracing = faulthandler.is_enabled()
    before = set(threading.enumerate())
    children = set(multiprocessing.active_children())
    try:
        yield
    finally:
        left = _left_running(before, children, grace)
        sys.excepthook = hook
        sys.setswitchinterval(interval)
        for number, handler in handlers.items():
            if handler is not None:
                signal.signal(number, handler)
        if not tracing:
            faulthandler.disable()
        gc.unfreeze()
    if left:
        raise LeftRunning(left)


class LeftRunning(AssertionError):
    """``main`` returned and left a thread or a process running that did not end within
    :data:`LEFT_RUNNING_SECONDS` (stretched with the load): a process would wait for it at exit
    (or never end), and a test waiting for it here would stall its worker (round 17: an
    executor's thread left by a new module cost CI 120 s a module)."""

    def __init__(self, left: list[str]) -> None:
        super().__init__(
            "drama-bot's main() returned but left running (a process would wait for these"
            " at exit): " + "\n".join(left)
        )


def _left_running(threads: set[threading.Thread], children: set[Any], grace: float) -> list[str]:
    """What ``main`` started and left running: non-daemon threads and child processes are
    given ``grace`` seconds (stretched with the load) to end, as the interpreter
    waits for them at exit; each one still running is described with its stack."""
    deadline = time.monotonic() + patient(grace)
    left = []
    for thread in set(threading.enumerate()) - threads:
        if not thread.daemon:
            thread.join(max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                left.append(_thread_stack(thread))
    for child in set(multiprocessing.active_children()) - children:
        child.join(max(0.0, deadline - time.monotonic()))
        if child.is_alive():
            left.append(f"process {child.name} (pid {child.pid})")
    return left


def _thread_stack(thread: threading.Thread) -> str:
    frame = sys._current_frames().get(thread.ident or -1)
    stack = "".join(traceback.format_stack(frame)) if frame is not None else "  (no frame)\n"
    return f"thread {thread.name!r}:\n{stack}"


def _text(data: bytes) -> str:
    """Bytes read back as ``subprocess.run(text=True)`` reads a pipe: the locale's encoding,
    universal newlines."""
    return io.TextIOWrapper(io.BytesIO(data), encoding=locale.getpreferredencoding(False)).read()
