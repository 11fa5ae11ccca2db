"""A cold load (or a warm start) untraced, each stall of the event loop split into waiting for a
core and waiting for the GIL: ``python scripts/loop_blocked.py FOLDER DATABASE OUT.json
[cold|warm]`` (``PYTHONPATH=TREE`` for a copy of the code compared; ``PYTHONMALLOC=pymalloc``
for CPython's allocator). Branch ``stall16``.

As the bench's loop monitor (``bot.bench.measure.LoopMonitor``: how late a 5 ms sleep wakes,
over the cold load and its keeping; for ``warm``, over the start), and at each tick this
thread's (the loop's) run-queue wait from ``/proc/thread-self/schedstat``: the lateness less
the time spent waiting for a core is time the loop was blocked, on a machine with a core
free for it: the GIL, mostly (or a holder of the GIL that lost its core). Every background
job (``asyncio.to_thread``, ``turns.in_thread``) is timed too, so each stall can be put beside
the jobs that ran meanwhile. Prints one JSON line; OUT.json gets every stall over 10 ms and
every job's span. ``cold`` deletes DATABASE first; ``warm`` starts from it (a cold load's database).
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

import bot.bench.measure as measure
from bot.catalog.service import CatalogService
from bot.catalog.store import Store

_jobs: list[tuple[str, float, float]] = []
_stalls: list[tuple[float, float, float]] = []  # (began, late, waited for a core), seconds
_run_in_executor = asyncio.base_events.BaseEventLoop.run_in_executor


def _timed_run_in_executor(self: Any, executor: Any, func: Any, *args: Any) -> Any:
    """Every job handed to a thread (``asyncio.to_thread`` and the catalog's own
    ``turns.in_thread``: a ``partial`` of a context's ``run``), timed from when it is handed."""
    target = func.args[0] if isinstance(func, functools.partial) and func.args else func
    name = getattr(target, "__qualname__", repr(target))
    began = time.monotonic()
    future = _run_in_executor(self, executor, func, *args)
    future.add_done_callback(lambda _: _jobs.append((name, began, time.monotonic())))
    return future


def _waited_ns() -> int:
    with open("/proc/thread-self/schedstat", encoding="ascii") as stat:
        return int(stat.read().split()[1])


async def _watch(self: measure.LoopMonitor) -> None:
    loop = asyncio.get_running_loop()
    while True:
        began, waited = loop.time(), _waited_ns()
        await asyncio.sleep(measure.LOOP_TICK)
        late = loop.time() - began - measure.LOOP_TICK
        self.worst = max(self.worst, late)
        if late > 0.010:
            _stalls.append((began, late, (_waited_ns() - waited) / 1e9))


async def _warm(folder: Path, database: Path) -> dict[str, Any]:
    monitor = measure.LoopMonitor()
    async with monitor.watching("warm_start"):
        began = time.perf_counter()
        async with Store.open(database) as store:
            service = CatalogService(store, folder)
            assert (await service.start()).applied
            seconds = time.perf_counter() - began
    return {"warm_start_s": round(seconds, 3), "stall_warm_start_ms": round(monitor.worst_ms, 2)}


def main(argv: list[str]) -> int:
    folder, database, out, *mode = argv
    cold = not mode or mode[0] == "cold"
    if cold:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(database + suffix).unlink(missing_ok=True)
    loop_class = asyncio.base_events.BaseEventLoop
    loop_class.run_in_executor = _timed_run_in_executor  # type: ignore[method-assign]
    measure.LoopMonitor._watch = _watch  # type: ignore[method-assign]
    load, began = os.getloadavg()[0], time.monotonic()
    run = measure.cold_load(Path(folder), Path(database), lambda *_: None) if cold else None
    result = asyncio.run(run or _warm(Path(folder), Path(database)))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    blocked = sorted((late - waited for _, late, waited in _stalls), reverse=True)
    summary = {
        "load_before": round(load, 2),
        "load_after": round(os.getloadavg()[0], 2),
        **result,
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "late_over_30_50_ms": [
            sum(late > limit for _, late, _ in _stalls) for limit in (0.03, 0.05)
        ],
        "blocked_worst_ms": [round(b * 1000, 1) for b in blocked[:3]],
        "blocked_over_30_50_ms": [sum(b > limit for b in blocked) for limit in (0.03, 0.05)],
    }
    stalls = [
        [round(b - began, 3), round(late * 1e3, 1), round(w * 1e3, 1)] for b, late, w in _stalls
    ]
    jobs = [[name, round(s - began, 3), round(e - began, 3)] for name, s, e in _jobs]
    Path(out).write_text(json.dumps({**summary, "stalls": stalls, "jobs": jobs}), "utf-8")
    print(json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":  # (the card readers' forkserver imports this file as __mp_main__)
    sys.exit(main(sys.argv[1:]))
