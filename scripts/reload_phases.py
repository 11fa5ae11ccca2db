"""A reload with nothing changed, one card changed (``/reload``) and the same card changed as
the watcher names it, as the bench runs them back to back, step by step: ``python
scripts/reload_phases.py FOLDER DATABASE ROUNDS`` (``PYTHONPATH=TREE`` for a copy of the code
compared; ``PYTHONMALLOC=pymalloc`` for CPython's allocator). Branch ``stall17``.

A cold load when DATABASE is missing, else a warm start; then ROUNDS rounds of the three
reloads (the card's episode count bumped up, then down). For each reload: its wall time, the
process's CPU (user+sys, every thread) and each job handed to a thread that ended meanwhile
(``asyncio.to_thread`` or the catalog's ``turns.in_thread``: its name, thread CPU and wall, in
ms), so a job the previous reload left in the background shows up in the reload that waited for
it. Ends with one JSON line: ``[wall, CPU]`` per reload, by kind.
"""

from __future__ import annotations

import asyncio
import functools
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

import bot.bench.measure as measure
from bot.catalog.service import CatalogService
from bot.catalog.store import Store

_jobs: list[tuple[str, float, float]] = []
_run_in_executor = asyncio.base_events.BaseEventLoop.run_in_executor


def _timed(self: Any, executor: Any, func: Any, *args: Any) -> Any:
    target = func.args[0] if isinstance(func, functools.partial) and func.args else func
    name = getattr(target, "__qualname__", repr(target))

    def run() -> Any:
        cpu, wall = time.thread_time(), time.perf_counter()
        try:
            return func(*args)
        finally:
            spent = (time.thread_time() - cpu) * 1e3, (time.perf_counter() - wall) * 1e3
            _jobs.append((name, round(spent[0], 2), round(spent[1], 2)))

    return _run_in_executor(self, executor, run)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _main(folder: Path, database: Path, rounds: int, cold: bool) -> None:
    async with Store.open(database) as store:
        service = CatalogService(store, folder)
        began = time.perf_counter()
        await service.start()
        await service.flush()
        print("cold" if cold else "warm", round(time.perf_counter() - began, 2), "s", flush=True)
        one = measure._first_with_episodes(measure._card_files(folder))
        out: dict[str, list[tuple[float, float]]] = {"noop": [], "one": [], "watched": []}
        for number in range(rounds):
            for kind in out:
                if kind != "noop":
                    measure.bump_episodes(one, 1 if number % 2 == 0 else -1)
                _jobs.clear()
                cpu, wall = _cpu(), time.perf_counter()
                names = [path.name for path in one] if kind == "watched" else None
                report = await service.reload(names=names)
                spent = (time.perf_counter() - wall) * 1e3, (_cpu() - cpu) * 1e3
                out[kind].append((round(spent[0], 1), round(spent[1], 1)))
                print(
                    f"{kind} {number}: wall {spent[0]:.1f} ms, CPU {spent[1]:.1f} ms, "
                    f"changed {len(report.diff.changed)}; jobs {_jobs}",
                    flush=True,
                )
        await service.flush()
        print(json.dumps(out), flush=True)


if __name__ == "__main__":  # (the card readers' forkserver imports this file as __mp_main__)
    asyncio.base_events.BaseEventLoop.run_in_executor = _timed  # type: ignore[method-assign]
    database = Path(sys.argv[2])
    asyncio.run(_main(Path(sys.argv[1]), database, int(sys.argv[3]), not database.exists()))
