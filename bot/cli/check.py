"""`drama-bot check`: validate every card and list every problem."""

from __future__ import annotations

import argparse
import sys

from bot.cards.loader import load_cards
from bot.cli.options import data_dir
from bot.cli.progress import progress_bar


def run_check(args: argparse.Namespace) -> int:
    directory = data_dir(args)
    with progress_bar("Checking cards", quiet=args.quiet) as progress:
        result = load_cards(directory, progress=progress)
    for error in result.errors:
        print(error)
    if result.errors:
        broken = len({e.path for e in result.errors})
        print(
            f"{len(result.errors)} error(s) in {broken} file(s); "
            f"{len(result.cards)} of {result.files} cards are valid",
            file=sys.stderr,
        )
        return 1
    print(f"OK: {len(result.cards)} cards in {directory}, no errors")
    return 0
