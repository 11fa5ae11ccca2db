"""Running the benchmark: build the catalog and the queries once per size, measure each run
in fresh processes (:mod:`bot.bench.child`), and report the median of the runs."""

from __future__ import annotations

import datetime
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.bench.measure import merged
from bot.bench.queries import KINDS, make_queries
from bot.bench.stories import story_queries, with_stories
from bot.bench.synthetic import synthetic_cards, write_cards
from bot.cards.loader import load_cards
from bot.catalog.heap import serving_environment, started_allocator
from bot.config import PACKAGE_ROOT, default_data_dir
from bot.crash_trace import ended

Progress = Callable[[str, int, int], None]
Note = Callable[[str], None]

# Headline figures: the median over runs is reported, and every run's value is kept.
HEADLINE = (
    "resolve_p50_ms",
    "resolve_p99_ms",
    "baseline_resolve_p50_ms",
    "baseline_resolve_p99_ms",
    "autocomplete_p99_ms",
    "answer_p99_ms",
    "cold_load_s",
    "warm_start_s",
    "noop_reload_s",
    "one_change_reload_s",
    "one_change_watched_s",
    "full_reload_s",
    "serve_p99_during_reload_ms",
    "worst_loop_stall_ms",
    "rss_mb",
    "rss_after_reloads_mb",
)


class BenchError(Exception):
    """A measuring process failed; the message carries its error output."""


@dataclass(frozen=True, slots=True)
class Plan:
    sizes: tuple[int, ...]
    queries: int = 2000
    runs: int = 1
    seed: int = 7
    workdir: Path | None = None  # default: a temporary folder, removed afterwards
    cards_source: Path | None = None  # the real cards hidden in the catalog (shipped ones)
    stall_traces: Path | None = None  # every stall's stacks appended here (stall_traces.py)
    stall_threshold_ms: float = 25.0  # ... when the loop is later than this
    full_reloads: int = 1  # reloads changing every card at the end (RSS and arenas after each)
    stories: bool = False  # a short story per synthetic card, and story queries (stories.py)


def machine() -> dict[str, Any]:
    return {
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "system": platform.system(),
        "date": datetime.date.today().isoformat(),
        # Other work on the machine inflates every figure: recorded so a reader can tell.
        "load_average_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "commit": _commit(),
        # What the measuring children's Python objects come from (as `drama-bot run`'s).
        "allocator": started_allocator(serving_environment(os.environ) or os.environ),
    }


def _commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(PACKAGE_ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except OSError:
        return None
    return done.stdout.strip() or None


@contextmanager
def _workdir(plan: Plan) -> Iterator[Path]:
    if plan.workdir is not None:
        plan.workdir.mkdir(parents=True, exist_ok=True)
        yield plan.workdir
        return
    folder = Path(tempfile.mkdtemp(prefix="drama-bot-bench-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def prepare(size: int, plan: Plan, where: Path, progress: Progress) -> tuple[Path, Path]:
    """Write the catalog (``size`` synthetic cards plus the real ones) and its queries."""
    source = plan.cards_source or default_data_dir()
    real = load_cards(source).cards
    told = "-stories" if plan.stories else ""
    folder = where / f"cards-{size}-seed{plan.seed}{told}"
    if folder.exists():
        shutil.rmtree(folder)
    progress(f"generating {size:,} cards", 0, size)
    cards = synthetic_cards(size, plan.seed, avoid=real)
    if plan.stories:
        cards = with_stories(cards, plan.seed)
    for done, _ in enumerate(write_cards(cards, folder), start=1):
        if done % 500 == 0 or done == size:
            progress(f"writing {size:,} card files", done, size)
    for card in real:
        shutil.copyfile(source / f"{card.slug}.yaml", folder / f"{card.slug}.yaml")
    progress("making the query mix", 0, 1)
    queries = make_queries([*cards, *real], real, plan.queries, plan.seed)
    if plan.stories:  # (after the mix, which stays as it is without them)
        rng = random.Random(f"drama-bot bench stories {plan.seed}")
        queries += story_queries(rng, cards, plan.queries // len(KINDS))
    queries_path = where / f"queries-{size}-seed{plan.seed}{told}.json"
    queries_path.write_text(json.dumps([q.to_dict() for q in queries], ensure_ascii=False), "utf-8")
    progress("making the query mix", 1, 1)
    return folder, queries_path


def _child(
    mode: str, args: list[Path | int], where: Path, progress: Progress, plan: Plan | None = None
) -> dict[str, Any]:
    errors = where / f"{mode}.stderr"
    tracing = []
    if plan is not None and plan.stall_traces is not None:
        tracing = [str(plan.stall_traces.resolve()), str(plan.stall_threshold_ms)]
    with errors.open("w+", encoding="utf-8") as stderr:
        child = subprocess.Popen(
            [sys.executable, "-m", "bot.bench.child", mode, *map(str, args), *tracing],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            cwd=PACKAGE_ROOT if (PACKAGE_ROOT / "bot").is_dir() else None,
            env=serving_environment(os.environ),  # (None: as it is) the allocator `run` uses
        )
        result: dict[str, Any] | None = None
        assert child.stdout is not None
        for line in child.stdout:
            message = json.loads(line)
            if "progress" in message:
                progress(*message["progress"])
            elif "result" in message:
                result = message["result"]
        status = child.wait()
        stderr.seek(0)
        output = stderr.read()
    if status != 0 or result is None:
        raise BenchError(f"the {mode} measurement failed ({ended(status)}):\n{_tail(output)}")
    return result


#: How much of a failed child's stderr the error shows: its end, or a crash's whole report
#: (faulthandler's: every thread's stack, which the temporary workdir would not keep).
TAIL_CHARS = 3_000
CRASH_CHARS = 30_000


def _tail(output: str) -> str:
    crash = output.rfind("Fatal Python error:")
    if crash >= 0 and len(output) - crash <= CRASH_CHARS:
        return output[max(0, min(crash, len(output) - TAIL_CHARS)) :]
    return output[-TAIL_CHARS:]


def _remove_database(database: Path) -> None:
    # (and the story index beside it: a run's cold load builds it from nothing too)
    for name in ("", "-stories"):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{database}{name}{suffix}").unlink(missing_ok=True)


def measure_size(size: int, plan: Plan, progress: Progress, note: Note) -> dict[str, Any]:
    with _workdir(plan) as where:
        folder, queries_path = prepare(size, plan, where, progress)
        runs: list[dict[str, Any]] = []
        for number in range(1, plan.runs + 1):
            database = where / f"bench-{size}.sqlite3"
            _remove_database(database)
            args: list[Path | int] = [folder, database, queries_path]
            cold = _child("cold", [*args, plan.full_reloads], where, progress, plan)
            run = merged(cold, _child("serve", [*args, plan.full_reloads], where, progress, plan))
            # Each phase's worst stall under its own key (stall_full_reload_ms, ...), so the
            # median over runs applies to each, beside the worst of them all.
            for phase, worst in run.pop("stalls_ms").items():
                run[f"stall_{phase}_ms"] = worst
            run["worst_loop_stall_ms"] = max(
                worst for name, worst in run.items() if name.startswith("stall_")
            )
            runs.append(run)
            _remove_database(database)
            note(
                f"{size:,} cards, run {number}/{plan.runs}: resolve p50 "
                f"{run['resolve_p50_ms']:.3f} ms (baseline {run['baseline_resolve_p50_ms']:.3f}),"
                f" accuracy {run['accuracy']:.1%} (baseline {run['baseline_accuracy']:.1%}), "
                f"cold load {run['cold_load_s']:.1f} s"
            )
    return summarize(size, plan, runs)


def summarize(size: int, plan: Plan, runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One object for the size: the median of each figure over the runs."""
    first = runs[0]
    summary: dict[str, Any] = {"cards": size}
    for name, value in first.items():
        if name == "per_kind":
            continue
        if isinstance(value, int | float) and not isinstance(value, bool):
            summary[name] = _median([run[name] for run in runs])
        elif name.endswith(("_curve_mb", "_curve")):  # (each point's median over the runs)
            points = zip(*(run[name] for run in runs), strict=True)
            known = [[value for value in point if value is not None] for point in points]
            summary[name] = [_median_point(values) if values else None for values in known]
        else:
            summary[name] = value
    summary["per_kind"] = {
        kind: {
            name: _median([run["per_kind"][kind][name] for run in runs])
            if isinstance(value, int | float)
            else value
            for name, value in figures.items()
        }
        for kind, figures in first["per_kind"].items()
    }
    summary["runs"] = len(runs)
    summary["run_values"] = {name: [run[name] for run in runs] for name in HEADLINE}
    summary["queries"] = sum(k["queries"] for k in first["per_kind"].values())
    summary["seed"] = plan.seed
    summary |= machine()
    return summary


def _median_point(values: list[Any]) -> Any:
    """A curve's point over the runs: a number's median, or each counter's (jemalloc's)."""
    if isinstance(values[0], dict):
        return {key: _median([value[key] for value in values]) for key in values[0]}
    return _median(values)


def _median(values: list[Any]) -> Any:
    middle = statistics.median(values)
    return round(middle, 4) if isinstance(middle, float) else middle


def run_plan(plan: Plan, progress: Progress, note: Note) -> Iterator[dict[str, Any]]:
    for size in plan.sizes:
        yield measure_size(size, plan, progress, note)
