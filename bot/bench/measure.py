"""The measurements, each run in a fresh process as the bot would run them.

Two processes per run, so that neither inherits the other's memory or caches:

* ``cold``: an empty database, ``CatalogService.start()`` on the card folder (YAML → SQLite →
  catalog), with a loop-lag monitor running; then every query resolved by the baseline on
  the catalog it built (its index is the bench's, not the bot's: it stays out of the
  serving process, whose memory is measured);
* ``serve``: a restart on the database the cold process built (the warm start), then every
  query resolved by ours, autocomplete on each keystroke, whole answers,
  the process's memory, and reloads: nothing changed, one card changed (``/reload``, which
  lists the folder; and as the cards watcher reports it, the file named), and every card
  changed while answers keep being served on the event loop.

Nothing here asserts anything; it only times and counts.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import re
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process, utils

from bot.answering.actor_words import actor_choices
from bot.answering.answers import answer
from bot.answering.commands import Invocation
from bot.answering.render import render
from bot.answering.story_search import story_matches
from bot.answering.title_resolve import title_choices
from bot.bench.arenas import arenas
from bot.bench.jemalloc_stats import jemalloc_mb
from bot.bench.queries import KINDS, Outcome, Query, actor_key, title_names
from bot.bench.stall_traces import StallTracer
from bot.bench.stories import MEASURED_KINDS, STORY, judge_story
from bot.catalog.lazy_cards import each_card
from bot.catalog.service import CatalogService
from bot.catalog.snapshot import Catalog
from bot.catalog.store import Store
from bot.matching.index import Kind, Resolution

Progress = Callable[[str, int, int], None]

# The naive baseline calls a title found when WRatio gives it this score or more (the same
# 85 our own matcher asks of a confident near spelling).
BASELINE_CUTOFF = 85.0
AUTOCOMPLETE_KEYSTROKES = 2000
LOOP_TICK = 0.005  # the loop-lag monitor wakes this often (seconds)
SERVE_INTERVAL = 0.025  # during the full reload, one answer is due this often (40/s)
USER_ID = 1


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (``share`` 0.5 is the median, 0.99 the p99)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def rss_mb() -> float:
    """The process's resident memory now (Linux), else its peak."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class LoopMonitor:
    """How late the event loop wakes a task that asks to sleep for ``LOOP_TICK``: the worst
    lateness is the longest time nothing else could run on the loop (a stall)."""

    def __init__(self, tracer: StallTracer | None = None) -> None:
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None
        self.tracer = tracer  # with one, each stall's stacks are written too (--stall-traces)

    async def _watch(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            began = loop.time()
            await asyncio.sleep(LOOP_TICK)
            self.worst = max(self.worst, loop.time() - began - LOOP_TICK)

    @contextlib.asynccontextmanager
    async def watching(self, phase: str = "") -> Any:
        self.worst = 0.0
        async with contextlib.AsyncExitStack() as stack:
            if self.tracer is not None:
                await stack.enter_async_context(self.tracer.tracing(phase or "unnamed"))
            self._task = asyncio.create_task(self._watch())
            await asyncio.sleep(0)
            try:
                yield self
            finally:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task

    @property
    def worst_ms(self) -> float:
        return self.worst * 1000


@dataclass(slots=True)
class _Timings:
    samples: list[float] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)

    def add(self, seconds: float, outcome: Outcome | None = None) -> None:
        self.samples.append(seconds * 1000)
        if outcome is not None:
            self.outcomes[outcome.value] = self.outcomes.get(outcome.value, 0) + 1

    def summary(self, prefix: str = "") -> dict[str, Any]:
        right = self.outcomes.get(Outcome.RIGHT.value, 0)
        return {
            f"{prefix}resolve_p50_ms": round(percentile(self.samples, 0.5), 4),
            f"{prefix}resolve_p99_ms": round(percentile(self.samples, 0.99), 4),
            f"{prefix}accuracy": round(right / len(self.samples), 4) if self.samples else 0.0,
            f"{prefix}outcomes": dict(sorted(self.outcomes.items())),
        }


class Baseline:
    """What a first version would write: ``rapidfuzz.process.extractOne`` with ``WRatio``
    over every name, each name normalised once up front (``utils.default_process``)."""

    def __init__(self, catalog: Catalog) -> None:
        self.titles: list[str] = []
        self.slugs: list[str] = []
        # (each card made for this pass alone where the catalog was read back: it makes
        # its cards when first asked for)
        for card in each_card(catalog.cards):
            for name in title_names(card):
                self.titles.append(utils.default_process(name))
                self.slugs.append(card.slug)
        self.actors: list[str] = []
        self.people: list[str] = []  # actor key of the credited name, per entry
        for card in each_card(catalog.cards):
            for member in card.cast:
                for name in (member.actor, *member.aliases):
                    self.actors.append(utils.default_process(name))
                    self.people.append(actor_key(member.actor))

    def resolve(self, query: Query) -> tuple[bool, list[str]]:
        names, owners = (
            (self.actors, self.people) if query.kind == "actor" else (self.titles, self.slugs)
        )
        found = process.extractOne(
            utils.default_process(query.text),
            names,
            scorer=fuzz.WRatio,
            processor=None,
            score_cutoff=BASELINE_CUTOFF,
        )
        if found is None:
            return False, []
        return True, [owners[found[2]]]


def _ours(catalog: Catalog, query: Query) -> Resolution:
    index = catalog.actor_names if query.kind == "actor" else catalog.titles
    return index.resolve(query.text)


def _truth_keys(catalog: Catalog, query: Query, resolution: Resolution) -> list[str]:
    """The answer's ids as the truth names them (actors by the key of any of their names)."""
    if query.kind != "actor":
        return list(resolution.ids)
    keys = []
    for actor_id in resolution.ids:
        actor = catalog.actors.get(actor_id)
        if actor is None:
            continue
        names = {actor_key(n) for n in (actor.name, *actor.aliases)}
        keys.append(query.target if query.target in names else actor_key(actor.name))
    return [k for k in keys if k is not None]


def _keystrokes(queries: Sequence[Query]) -> Iterator[tuple[str, str]]:
    """(kind, typed so far) for each keystroke of each query, up to 15 characters."""
    made = 0
    for query in queries:
        for end in range(1, min(len(query.text), 15) + 1):
            yield query.kind, query.text[:end]
            made += 1
            if made >= AUTOCOMPLETE_KEYSTROKES:
                return


def _invocation(query: Query) -> Invocation:
    if query.kind == "actor":
        return Invocation("actor", {"name": query.text})
    return Invocation("drama", {"title": query.text})


def measure_queries(
    catalog: Catalog, queries: Sequence[Query], progress: Progress
) -> dict[str, Any]:
    """Resolve every query with ours; autocomplete; whole answers: what the bot itself does.
    The baseline is measured in the cold process (:func:`measure_baseline`), so that its
    index (every card made for it, every name listed: about 90 MB at 100,000 cards) is not
    in the serving process whose memory is measured after this."""
    for query in queries[:20]:  # warm-up: first calls build lazy tables (not timed)
        _ours(catalog, query)
    for query in [q for q in queries if q.kind == STORY][:20]:
        story_matches(catalog, query.text)
    ours: dict[str, _Timings] = {kind: _Timings() for kind in MEASURED_KINDS}
    clock = time.perf_counter
    for done, query in enumerate(queries, start=1):
        if query.kind == STORY:  # (a did-you-mean of the dramas whose story matches)
            began = clock()
            offered = story_matches(catalog, query.text) or []
            ours[STORY].add(clock() - began, judge_story(query, offered))
            continue
        began = clock()
        resolution = _ours(catalog, query)
        elapsed = clock() - began
        outcome = query.judge(
            resolution.kind is Kind.MATCH, _truth_keys(catalog, query, resolution)
        )
        ours[query.kind].add(elapsed, outcome)
        if done % 25 == 0 or done == len(queries):
            progress("resolving queries (ours)", done, len(queries))

    queries = [q for q in queries if q.kind != STORY]  # (the figures as without --stories)
    suggest = _Timings()
    keystrokes = list(_keystrokes(queries))
    for done, (kind, typed) in enumerate(keystrokes, start=1):
        # What the front end runs on each keystroke (bot/frontend/cogs/lookup.py), not only
        # the index's suggestions: a title option's choices also lead with what submitting
        # the text would answer, and offer a respelled name when nothing else is suggested.
        began = clock()
        if kind == "actor":
            actor_choices(catalog, typed)
        else:
            title_choices(catalog, typed)
        suggest.add(clock() - began)
        if done % 200 == 0 or done == len(keystrokes):
            progress("autocomplete, keystroke by keystroke", done, len(keystrokes))

    answers = _Timings()
    for done, query in enumerate(queries, start=1):
        began = clock()
        render(answer(catalog, _invocation(query)), USER_ID)
        answers.add(clock() - began)
        if done % 25 == 0 or done == len(queries):
            progress("whole answers (resolve + similar + render)", done, len(queries))

    return {
        **_by_kind(ours),
        "autocomplete_p50_ms": round(percentile(suggest.samples, 0.5), 4),
        "autocomplete_p99_ms": round(percentile(suggest.samples, 0.99), 4),
        "answer_p50_ms": round(percentile(answers.samples, 0.5), 4),
        "answer_p99_ms": round(percentile(answers.samples, 0.99), 4),
    }


def measure_baseline(
    catalog: Catalog, queries: Sequence[Query], progress: Progress
) -> dict[str, Any]:
    """Resolve every query with the baseline (``baseline_`` figures, overall and per kind)."""
    baseline = Baseline(catalog)
    for query in queries[:20]:  # warm-up (not timed)
        baseline.resolve(query)
    theirs: dict[str, _Timings] = {kind: _Timings() for kind in KINDS}
    clock = time.perf_counter
    for done, query in enumerate(queries, start=1):
        if query.kind == STORY:
            continue  # (the baseline has no story search: ours only)
        began = clock()
        confident, keys = baseline.resolve(query)
        elapsed = clock() - began
        theirs[query.kind].add(elapsed, query.judge(confident, keys))
        if done % 25 == 0 or done == len(queries):
            progress("resolving queries (the baseline)", done, len(queries))
    return _by_kind(theirs, "baseline_")


def _by_kind(timings: dict[str, _Timings], prefix: str = "") -> dict[str, Any]:
    """The summary over every query, and ``per_kind``: each kind's own."""
    everyone = _Timings()
    per_kind: dict[str, Any] = {}
    for kind in MEASURED_KINDS:
        if kind not in timings or not timings[kind].samples:
            continue
        per_kind[kind] = {"queries": len(timings[kind].samples), **timings[kind].summary(prefix)}
        if kind == STORY:
            continue  # (the figures over every query stay as they are without --stories)
        everyone.samples += timings[kind].samples
        for name, count in timings[kind].outcomes.items():
            everyone.outcomes[name] = everyone.outcomes.get(name, 0) + count
    return {**everyone.summary(prefix), "per_kind": per_kind}


def merged(cold: dict[str, Any], serve: dict[str, Any]) -> dict[str, Any]:
    """One run's figures from its two processes: the cold one's (the load, the baseline's
    figures) and the serving one's; each kind's figures from both."""
    kinds = {**cold.get("per_kind", {})}
    for kind, figures in serve.get("per_kind", {}).items():
        kinds[kind] = {**kinds.get(kind, {}), **figures}
    return {**cold, **serve, "per_kind": kinds}


_EPISODES = re.compile(r"^episodes: (\d+)$", re.MULTILINE)


def bump_episodes(paths: Iterable[Path], delta: int) -> int:
    """Change every card's episode count by ``delta`` (a real change to every card, undone
    later with ``-delta``); returns how many files changed. ``paths`` may be a folder's
    ``glob``: nothing per file is kept (the bench measures the serving process's memory)."""
    changed = 0
    for path in paths:
        text = path.read_text("utf-8")
        new = _EPISODES.sub(lambda m: f"episodes: {int(m[1]) + delta}", text, count=1)
        if new != text:
            path.write_text(new, "utf-8")
            changed += 1
    return changed


def _first_with_episodes(paths: Iterable[Path]) -> list[Path]:
    for path in paths:
        if _EPISODES.search(path.read_text("utf-8")):
            return [path]
    return []


async def _serve_while(
    service: CatalogService, texts: Sequence[Query], work: asyncio.Task[Any]
) -> list[float]:
    """Ask for one answer every ``SERVE_INTERVAL`` on the event loop until ``work`` is done;
    each latency counts from when the answer was due (a stalled loop makes answers late)."""
    loop = asyncio.get_running_loop()
    latencies: list[float] = []
    began = loop.time()
    number = 0
    while not work.done():
        due = began + number * SERVE_INTERVAL
        wait = due - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        else:
            await asyncio.sleep(0)  # late already: still let the reload's callbacks run
        if work.done():
            break
        query = texts[number % len(texts)]
        render(answer(service.catalog, _invocation(query)), USER_ID)
        latencies.append((loop.time() - due) * 1000)
        number += 1
    return latencies


async def cold_load(
    folder: Path,
    database: Path,
    progress: Progress,
    tracer: StallTracer | None = None,
    queries: Sequence[Query] = (),
) -> dict[str, Any]:
    """The cold load (an empty database), then the baseline's pass over ``queries`` on the
    catalog it built (:func:`measure_baseline`)."""
    monitor = LoopMonitor(tracer)
    progress("cold load: YAML → SQLite → catalog", 0, 1)
    async with monitor.watching("cold_load"):
        began = time.perf_counter()
        async with Store.open(database) as store:
            service = CatalogService(store, folder)
            report = await service.start()
            seconds = time.perf_counter() - began
            # The story index, built in the background after the catalog serves.
            await service.stories.settled()
            story_seconds = time.perf_counter() - began - seconds
            # What the build made is kept in the database in the background, as the bot does
            # while it serves; this process ends here, so it waits for that (not timed).
            await service.flush()
    if not report.applied:
        problems = "; ".join(str(e) for e in report.errors[:3])
        raise RuntimeError(f"the benchmark catalog did not load: {problems}")
    progress("cold load: YAML → SQLite → catalog", 1, 1)
    result = {
        "cold_load_s": round(seconds, 3),
        "story_index_s": round(story_seconds, 3),
        "story_index_cpu_s": round(service.stories.last_cpu_seconds, 3),  # (its thread's)
        "loaded_cards": report.total,
        "stall_cold_load_ms": round(monitor.worst_ms, 2),
    }
    if queries:
        result |= measure_baseline(service.catalog, queries, progress)
    return result


async def serve(
    folder: Path,
    database: Path,
    queries: Sequence[Query],
    progress: Progress,
    full_reloads: int = 1,
    tracer: StallTracer | None = None,
) -> dict[str, Any]:
    """The warm start, the queries, memory and the reloads; ``full_reloads``: how many
    reloads that change every card end it (the first one while answers are served), with
    RSS and CPython's arenas after each (``rss_reload_curve_mb``, ``arenas_reload_curve``).
    With a ``tracer``, each stall's stacks are written too (``--stall-traces``)."""
    monitor = LoopMonitor(tracer)
    stalls: dict[str, float] = {}
    result: dict[str, Any] = {}
    progress("warm start (database already built)", 0, 1)
    store = Store.open(database)
    async with monitor.watching("warm_start"):
        began = time.perf_counter()
        await store.connect()
        service = CatalogService(store, folder)
        await service.start()
        result["warm_start_s"] = round(time.perf_counter() - began, 3)
        # (after ready: the stored story index checked against the cards; the story queries
        # wait for it, the others are asked meanwhile, as a bot answers them)
        told = any(query.kind == STORY for query in queries)
        if told:
            await service.stories.settled()
    stalls["warm_start"] = monitor.worst_ms
    progress("warm start (database already built)", 1, 1)
    try:
        result |= measure_queries(service.catalog, queries, progress)
        gc.collect()
        result["rss_mb"] = round(rss_mb(), 1)
        curve, arena_curve = [result["rss_mb"]], [arenas()]
        in_use_curve: list[float | None] = []
        jemalloc_curve: list[dict[str, float] | None] = []
        _memory_point(in_use_curve, jemalloc_curve)
        if not told:
            await service.stories.settled()
        result["story_sync_warm_s"] = round(service.stories.last_seconds, 3)
        result["story_sync_warm_cpu_s"] = round(service.stories.last_cpu_seconds, 3)

        progress("reloads", 0, 3)
        async with monitor.watching("noop_reload"):
            began = time.perf_counter()
            await service.reload()
            result["noop_reload_s"] = round(time.perf_counter() - began, 3)
        stalls["noop_reload"] = monitor.worst_ms
        progress("reloads", 1, 3)

        # (no list of every card file is kept: 375 bytes a card, 37 MB at 100,000 cards, it
        # would be counted in every figure after the start's; each pass lists the folder)
        one = await asyncio.to_thread(_first_with_episodes, _card_files(folder))
        await asyncio.to_thread(bump_episodes, one, 1)
        async with monitor.watching("one_change_reload"):
            began = time.perf_counter()
            report = await service.reload()
            result["one_change_reload_s"] = round(time.perf_counter() - began, 3)
            await service.stories.settled()  # (its story written after the reload)
            result["story_update_one_s"] = round(service.stories.last_seconds, 3)
            result["story_update_one_cpu_s"] = round(service.stories.last_cpu_seconds, 3)
        stalls["one_change_reload"] = monitor.worst_ms
        result["one_change_reload_changed"] = len(report.diff.changed)
        # The same edit again, as the cards watcher reports it: the changed file is named, so
        # the folder is not listed (how a running bot sees an edited card).
        await asyncio.to_thread(bump_episodes, one, 1)
        async with monitor.watching("one_change_watched"):
            began = time.perf_counter()
            report = await service.reload(names=[path.name for path in one])
            result["one_change_watched_s"] = round(time.perf_counter() - began, 3)
        stalls["one_change_watched"] = monitor.worst_ms
        result["one_change_watched_changed"] = len(report.diff.changed)
        progress("reloads", 2, 3)

        changed = await asyncio.to_thread(bump_episodes, _card_files(folder), 1)
        # Exact titles: the probe measures whether the reload leaves the loop free, not the
        # resolver (a typo resolve that holds the GIL for a second would starve the reload).
        texts = [q for q in queries if q.kind == "exact"] or list(queries)
        async with monitor.watching("full_reload"):
            began = time.perf_counter()
            work = asyncio.create_task(service.reload())
            latencies = await _serve_while(service, texts, work)
            report = await work
            result["full_reload_s"] = round(time.perf_counter() - began, 3)
        stalls["full_reload"] = monitor.worst_ms
        result["full_reload_changed"] = len(report.diff.changed)
        result["full_reload_files_changed"] = changed
        result["serve_p50_during_reload_ms"] = round(percentile(latencies, 0.5), 3)
        result["serve_p99_during_reload_ms"] = round(percentile(latencies, 0.99), 3)
        result["served_during_reload"] = len(latencies)
        progress("reloads", 3, 3)
        await service.flush()  # (keeping the new catalog in the database, in the background)
        gc.collect()
        result["rss_after_reloads_mb"] = round(rss_mb(), 1)
        curve.append(result["rss_after_reloads_mb"])
        arena_curve.append(arenas())
        _memory_point(in_use_curve, jemalloc_curve)
        delta = 1  # (how far every card's episode count is from where it was)
        for number in range(2, full_reloads + 1):
            progress("more full reloads", number - 1, full_reloads)
            step = -1 if delta > 0 else 1
            await asyncio.to_thread(bump_episodes, _card_files(folder), step)
            delta += step
            await service.reload()
            await service.flush()
            gc.collect()
            curve.append(round(rss_mb(), 1))
            arena_curve.append(arenas())
            _memory_point(in_use_curve, jemalloc_curve)
        result["rss_reload_curve_mb"] = curve
        result["arenas_reload_curve"] = arena_curve
        result["in_use_reload_curve_mb"] = in_use_curve
        result["jemalloc_reload_curve"] = jemalloc_curve
        # Leave the folder as it was for the next run.
        if delta:
            await asyncio.to_thread(bump_episodes, _card_files(folder), -delta)
        await asyncio.to_thread(bump_episodes, one, -2)
    finally:
        await store.close()
    result["stalls_ms"] = {name: round(ms, 2) for name, ms in stalls.items()}
    return result


def _card_files(folder: Path) -> Iterator[Path]:
    return folder.glob("*.yaml")


def _memory_point(in_use: list[float | None], counters: list[dict[str, float] | None]) -> None:
    """Append memory in use now (MB: Python's own count where tracemalloc traces, whatever the
    allocator, else jemalloc's ``allocated`` of the same reading; None where neither says)
    and jemalloc's counters (None without jemalloc)."""
    counts = jemalloc_mb()
    if tracemalloc.is_tracing():
        in_use.append(round(tracemalloc.get_traced_memory()[0] / (1 << 20), 2))
    else:
        in_use.append(counts["allocated"] if counts is not None else None)
    counters.append(counts)


def load_queries(path: Path) -> list[Query]:
    return [Query.from_dict(item) for item in json.loads(path.read_text("utf-8"))]


def median_of(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0
