"""`drama-bot bench`: measure ours beside the naive baseline on a synthetic catalog."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bot.bench.plot import PlotError, plot
from bot.bench.report import kinds_table, markdown, summary_table
from bot.bench.runner import BenchError, Plan, run_plan
from bot.cli.json_failure import fail


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
        return fail(args, "drama-bot: bench needs --cards N (or --from FILE)", 2)
    out = Console(highlight=False)
    if not out.is_terminal:
        out.width = 120  # files and pipes get the whole table, not an 80-column squeeze
    results: list[dict[str, Any]] = []
    if args.source is not None:
        try:
            lines = args.source.read_text("utf-8").splitlines()
            results = [json.loads(line) for line in lines if line.strip()]
        except (OSError, ValueError) as exc:
            return fail(args, f"drama-bot: cannot read results from {args.source}: {exc}", 2)
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
            stories=args.stories,
        )
        show = not args.quiet and sys.stderr.isatty()
        try:
            with _progress(show) as (progress, note):
                for result in run_plan(plan, progress, note):
                    results.append(result)
                    if args.json:
                        print(json.dumps(result, ensure_ascii=False), flush=True)
        except BenchError as exc:
            return fail(args, f"drama-bot: {exc}", 1)
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
            return fail(args, f"drama-bot: {exc}", 2)
        print(f"plot written to {written}", file=sys.stderr)
    return 0
