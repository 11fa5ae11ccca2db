"""Progress bars for long work on a terminal (rich), on stderr so stdout keeps its contract.

Quiet when stderr is not a terminal (pipes, CI, log files) or with ``--quiet``.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress

#: Folders smaller than this load too fast for a bar to help.
MIN_FILES = 500


#: How a reload done in a worker process says which step it is at (``bot.catalog.reload_worker
#: .STEPS``).
STEP_WORDS = {
    "starting": "starting the reload process",
    "reading": "reading the changed cards",
    "writing": "writing the cards to the database",
    "building": "building the new catalog",
    "taking in": "taking the new catalog in",
}


class Bar:
    """A bar on stderr: ``bar(done, total)`` for files read (shown from ``MIN_FILES`` on),
    ``bar.step(step, done, total)`` for a reload's worker (shown at once)."""

    def __init__(self, progress: Progress, description: str) -> None:
        self._progress = progress
        self._description = description
        self._task = progress.add_task(description, total=None, visible=False)

    def __call__(self, done: int, total: int) -> None:
        if total >= MIN_FILES:
            self._progress.update(self._task, completed=done, total=total, visible=True)

    def step(self, step: str, done: int, total: int) -> None:
        words = STEP_WORDS.get(step, step)
        self._progress.update(
            self._task,
            description=f"{self._description}: {words}",
            completed=done,
            total=total or None,
            visible=True,
        )


@contextlib.contextmanager
def progress_bar(description: str, *, quiet: bool = False) -> Iterator[Bar | None]:
    """A ``progress(done, total)`` callback drawing a bar on stderr, or None when quiet."""
    if quiet or not _may_be_terminal():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    if quiet or not console.is_terminal:
        yield None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        yield Bar(bar, description)


def _may_be_terminal() -> bool:
    """Whether rich could take stderr for a terminal (a tty, or ``TTY_COMPATIBLE`` or
    ``FORCE_COLOR`` set, which rich obeys); when not, rich is not imported at all: it is a
    tenth of the CPU of an ``ask`` whose output goes to a pipe (scripts, tests)."""
    return sys.stderr.isatty() or "TTY_COMPATIBLE" in os.environ or "FORCE_COLOR" in os.environ
