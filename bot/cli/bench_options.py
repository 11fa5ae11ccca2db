"""``drama-bot bench``'s options: apart from the command (:mod:`bot.cli.bench`), which loads the
bench and rich, so that building the command line costs every other subcommand nothing."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

MAX_CARDS = 1_000_000


def add_parser(commands: Any) -> None:
    bench = commands.add_parser(
        "bench",
        help="measure resolving, answering, loading and memory beside a naive baseline",
        description="Writes a synthetic catalog of N cards plus the shipped ones, then measures "
        "ours and the naive baseline (rapidfuzz extractOne + WRatio over every name) on a fixed "
        "mix of queries, and loading, reloading and memory, each in fresh processes.",
    )
    bench.add_argument(
        "--cards",
        type=_sizes,
        metavar="N[,N...]",
        help="synthetic cards (several sizes separated by commas: one result per size)",
    )
    bench.add_argument("--json", action="store_true", help="one JSON object per size on stdout")
    bench.add_argument("--plot", type=Path, metavar="FILE.png", help="draw the results against N")
    bench.add_argument(
        "--from",
        dest="source",
        type=Path,
        metavar="FILE",
        help="read results saved from --json (one object per line) instead of measuring",
    )
    bench.add_argument(
        "--runs", type=_positive, default=1, metavar="K", help="report the median of K runs"
    )
    bench.add_argument("--seed", type=int, default=7, metavar="S", help="catalog and query seed")
    bench.add_argument(
        "--queries", type=_positive, default=2000, metavar="Q", help="queries in the mix (2000)"
    )
    bench.add_argument(
        "--reloads",
        type=_positive,
        default=1,
        metavar="R",
        help="end with R reloads that change every card, RSS after each (1)",
    )
    bench.add_argument(
        "--workdir", type=Path, metavar="DIR", help="keep the catalog and database here"
    )
    bench.add_argument(
        "--markdown", action="store_true", help="print a Markdown table (for docs/performance.md)"
    )
    bench.add_argument(
        "--stories",
        action="store_true",
        help="give each synthetic card a short story, and add story queries (ours only: the "
        "baseline has no story search)",
    )
    bench.add_argument("--quiet", action="store_true", help="no progress display")
    bench.add_argument(
        "--stall-traces",
        type=Path,
        metavar="FILE",
        help="append every thread's stack to FILE whenever the event loop stalls during a "
        "load or reload (summarise with: python -m bot.bench.stall_traces FILE)",
    )
    bench.add_argument(
        "--stall-threshold",
        type=_positive,
        default=25,
        metavar="MS",
        help="with --stall-traces: trace stalls longer than this (25 ms)",
    )


def _positive(text: str) -> int:
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


def _sizes(text: str) -> tuple[int, ...]:
    sizes = tuple(_positive(part) for part in text.split(",") if part.strip())
    if not sizes:
        raise argparse.ArgumentTypeError("give at least one size, e.g. --cards 1000")
    if max(sizes) > MAX_CARDS:
        raise argparse.ArgumentTypeError(f"at most {MAX_CARDS:,} cards")
    return sizes
