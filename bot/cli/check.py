"""`drama-bot check`: validate every card and list every problem.

Errors (a card that cannot load; exit 1) and warnings and notes (probable mistakes and things
worth knowing; exit 0) are all printed, one per line, as ``path:line: key: message``.
"""

from __future__ import annotations

import argparse
import sys

from bot.cards.errors import NOTE, WARNING
from bot.cards.loader import folder_problem, load_cards
from bot.catalog.heap import collector_paused
from bot.cli.options import data_dir
from bot.cli.progress import progress_bar


def run_check(args: argparse.Namespace) -> int:
    directory = data_dir(args)
    # The collector paused: the cards read back from the workers are a few million objects
    # without cycles, and every collection while they arrive would walk them all again
    # (half of this process's CPU time at 100,000 cards).
    with progress_bar("Checking cards", quiet=args.quiet) as progress, collector_paused():
        result = load_cards(directory, progress=progress)
    for problem in sorted((*result.errors, *result.warnings)):
        print(problem)
    if folder_problem(directory) is not None:  # (the line above says why)
        where = "--data" if args.data is not None else "data_dir"
        print(
            f"drama-bot: {where} {directory} is not a folder of cards; nothing to check",
            file=sys.stderr,
        )
        return 1
    warnings = sum(1 for w in result.warnings if w.level == WARNING)
    notes = sum(1 for w in result.warnings if w.level == NOTE)
    also = _count(warnings, "warning") + _count(notes, "note")
    if result.errors:
        broken = len({e.path for e in result.errors})
        valid = f"{len(result.cards)} of {_plural(result.files, 'card')}"
        print(
            f"{_plural(len(result.errors), 'error')} in {_plural(broken, 'file')}{also}; "
            f"{valid} {'is' if result.files == 1 else 'are'} valid",
            file=sys.stderr,
        )
        return 1
    print(f"OK: {_plural(len(result.cards), 'card')} in {directory}, no errors{also}")
    return 0


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def _count(count: int, word: str) -> str:
    return f", {_plural(count, word)}" if count else ""
