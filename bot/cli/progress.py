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
    from bot.cards.loader import Progress as ProgressCallback

#: Folders smaller than this load too fast for a bar to help.
MIN_FILES = 500


@contextlib.contextmanager
def progress_bar(description: str, *, quiet: bool = False) -> Iterator[ProgressCallback | None]:
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
        task = bar.add_task(description, total=None, visible=False)

        def update(done: int, total: int) -> None:
            if total >= MIN_FILES:
                bar.update(task, completed=done, total=total, visible=True)

        yield update


def _may_be_terminal() -> bool:
    """Whether rich could take stderr for a terminal (a tty, or ``TTY_COMPATIBLE`` or
    ``FORCE_COLOR`` set, which rich obeys); when not, rich is not imported at all: it is a
    tenth of the CPU of an ``ask`` whose output goes to a pipe (scripts, tests)."""
    return sys.stderr.isatty() or "TTY_COMPATIBLE" in os.environ or "FORCE_COLOR" in os.environ
