"""`drama-bot bench`: measure ours beside the naive baseline on a synthetic catalog."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bot.bench.plot import PlotError, plot
from bot.bench.report import kinds_table, markdown, summary_table
from bot.bench.runner import BenchError, Plan, run_plan

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


@contextmanager
def _progress(enabled: bool) -> Iterator[tuple[Any, Any]]:
    console = Console(stderr=True)
    if not enabled:
        yield (lambda stage, done, total: None), (lambda text: None)
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                for task_id in tasks.values():
                    progress.update(task_id, visible=False)
                tasks.clear()
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        yield update, progress.console.print


def run_bench(args: argparse.Namespace) -> int:
    if args.source is None and args.cards is None:
        print("drama-bot: bench needs --cards N (or --from FILE)", file=sys.stderr)
        return 2
    out = Console(highlight=False)
    if not out.is_terminal:
        out.width = 120  # files and pipes get the whole table, not an 80-column squeeze
    results: list[dict[str, Any]] = []
    if args.source is not None:
        try:
            lines = args.source.read_text("utf-8").splitlines()
            results = [json.loads(line) for line in lines if line.strip()]
        except (OSError, ValueError) as exc:
            print(f"drama-bot: cannot read results from {args.source}: {exc}", file=sys.stderr)
            return 2
    else:
        plan = Plan(
            sizes=args.cards,
            queries=args.queries,
            runs=args.runs,
            seed=args.seed,
            workdir=args.workdir,
            stall_traces=args.stall_traces,
            stall_threshold_ms=float(args.stall_threshold),
            full_reloads=args.reloads,
        )
        show = not args.quiet and sys.stderr.isatty()
        try:
            with _progress(show) as (progress, note):
                for result in run_plan(plan, progress, note):
                    results.append(result)
                    if args.json:
                        print(json.dumps(result, ensure_ascii=False), flush=True)
        except BenchError as exc:
            print(f"drama-bot: {exc}", file=sys.stderr)
            return 1
    if args.markdown:
        print(markdown(results), end="")
    elif not args.json or args.source is not None:
        for result in results:
            if args.json:
                print(json.dumps(result, ensure_ascii=False))
                continue
            out.print(kinds_table(result))
            out.print(summary_table(result))
    if args.plot is not None:
        try:
            written = plot(results, args.plot)
        except PlotError as exc:
            print(f"drama-bot: {exc}", file=sys.stderr)
            return 2
        print(f"plot written to {written}", file=sys.stderr)
    return 0
