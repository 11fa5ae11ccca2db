"""`drama-bot import-review`: draft a card from a review article."""

from __future__ import annotations

import argparse
import sys

from bot.cards.reader import CARD_SUFFIX
from bot.sources.review_import import ReviewImportError, import_review, report


def run_import_review(args: argparse.Namespace) -> int:
    """The ``import-review`` subcommand: 0 when a draft was written, 1 otherwise."""
    try:
        path, data, twin = import_review(args)
    except ReviewImportError as exc:
        print(f"drama-bot: {exc}", file=sys.stderr)
        return 1
    print(f"Wrote draft card {path}")
    if twin is not None:
        print(f"Note: this may be the same drama as {twin.label} ({twin.slug}{CARD_SUFFIX})")
    for title, items in report(data):
        print(title)
        for item in items:
            print(f"  - {item}")
    print(f"Then run: drama-bot check --data {path.parent}")
    return 0
