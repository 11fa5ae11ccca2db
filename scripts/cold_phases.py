"""Where a cold load's time goes: ``python scripts/cold_phases.py CARDS DATABASE``.

Loads the cards folder into DATABASE (deleted first: a cold load, as the bench's cold phase)
and prints one JSON line (time to ready, this process's CPU to ready, the CPU of every other
process it started: the listing, the card readers, the similarity process), then one line per
step, as it began and ended: seconds since the start, this process's CPU, the other
processes' CPU. The steps are the service's own methods, wrapped here to be timed: nothing
else is changed. Other processes are found by process group (this script makes its own) and
read from ``/proc`` every 0.1 s, so one that ends between two looks is counted up to its last
look. Timings on a shared machine are noisy: alternate the trees compared (``PYTHONPATH``) and
compare CPU, not wall time. The first line also gives this process's CPU to ready by thread
(``/proc/self/task``: the build's job thread, the database's writer, the similarity sender).
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import resource
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_BEGAN = time.perf_counter()
_TICK = os.sysconf("SC_CLK_TCK")
_marks: list[tuple[float, float, float, str, str]] = []
_others: dict[int, float] = {}


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _look() -> None:
    """The CPU of every other process of this process group, as last seen."""
    me, group = os.getpid(), os.getpgid(0)
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == me:
            continue
        try:
            with open(f"/proc/{name}/stat") as stat:
                fields = stat.read().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == group:
            _others[int(name)] = (int(fields[11]) + int(fields[12])) / _TICK


def _threads_cpu() -> dict[str, float]:
    """This process's CPU by thread (Python's names, from ``threading``; threads ended by now
    are not counted), from ``/proc/self/task``."""
    by_name: dict[str, float] = {}
    for thread in threading.enumerate():
        try:
            with open(f"/proc/self/task/{thread.native_id}/stat") as stat:
                fields = stat.read().rpartition(")")[2].split()
        except OSError:
            continue
        cpu = (int(fields[11]) + int(fields[12])) / _TICK
        by_name[thread.name] = round(by_name.get(thread.name, 0.0) + cpu, 2)
    return by_name


def _watch() -> None:
    while True:
        _look()
        time.sleep(0.1)


def _mark(step: str, what: str) -> None:
    _look()
    now = time.perf_counter() - _BEGAN
    _marks.append(
        (round(now, 3), round(_own_cpu(), 3), round(sum(_others.values()), 2), step, what)
    )


def _timed(owner: Any, name: str) -> None:
    function: Callable[..., Any] = getattr(owner, name)
    if asyncio.iscoroutinefunction(function):

        @functools.wraps(function)
        async def waited(*args: Any, **kwargs: Any) -> Any:
            _mark(name, "begin")
            try:
                return await function(*args, **kwargs)
            finally:
                _mark(name, "end")

        setattr(owner, name, waited)
        return

    @functools.wraps(function)
    def called(*args: Any, **kwargs: Any) -> Any:
        _mark(name, "begin")
        try:
            return function(*args, **kwargs)
        finally:
            _mark(name, "end")

    setattr(owner, name, called)


def _time_the_steps() -> None:
    import bot.catalog.service as service
    import bot.catalog.snapshot as snapshot
    import bot.catalog.swapping as swapping
    from bot.catalog.similarity_process import ComputedPicks

    for name in ("_stored_entries", "_read", "_write", "_swap"):
        _timed(service.CatalogService, name)
    for name in ("_changed", "_merge"):
        _timed(service.CatalogService, name)
    _timed(service, "list_folder_apart")
    _timed(swapping, "_build")
    _timed(swapping, "fingerprint_of")
    _timed(snapshot, "_group_actors")
    _timed(snapshot, "_listed_similar")
    _timed(ComputedPicks, "result")


async def _cold_load(folder: Path, database: Path) -> None:
    from bot.catalog.service import CatalogService
    from bot.catalog.store import Store

    _mark("start", "")
    async with Store.open(database) as store:
        service = CatalogService(store, folder)
        report = await service.start()
        _mark("ready", "")
        at_ready = _threads_cpu()
        await service.flush()
        _mark("kept", "")
    ready = next(mark for mark in _marks if mark[3] == "ready")
    summary = {
        "cards": report.total,
        "ready_s": ready[0],
        "cpu_to_ready_s": ready[1],
        "others_cpu_to_ready_s": ready[2],
        "load": os.getloadavg()[0],
        "threads_cpu_to_ready_s": at_ready,
    }
    print(json.dumps(summary))
    for mark in _marks:
        print(*mark, sep="\t")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    for suffix in ("", "-wal", "-shm"):
        Path(f"{argv[1]}{suffix}").unlink(missing_ok=True)
    os.setpgrp()
    threading.Thread(target=_watch, daemon=True).start()
    _time_the_steps()
    asyncio.run(_cold_load(Path(argv[0]), Path(argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
