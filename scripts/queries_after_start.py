"""The bench's queries right after a start, beside the background work the start left, with
what each query waited for: ``python scripts/queries_after_start.py FOLDER DATABASE QUERIES
MODE`` (``PYTHONPATH=TREE`` for a copy of the code compared; ``PYTHONMALLOC=pymalloc`` for
CPython's allocator). Branch ``stall18``.

A start of the real ``CatalogService`` (warm when DATABASE holds the catalog; MODE ``cold``
deletes it and its story index first), then every title and actor query of QUERIES (the
bench's ``queries-*.json``) resolved as the bench resolves them (``measure._ours``), in order,
on the main thread. MODE says what runs meanwhile: ``during`` (as the bench: the event loop
runs a moment, so the background jobs the start left begin, the story index's check among
them), ``settled`` (after the story index is up to date), ``quiet`` (after everything the start
left: ``flush``), ``cold``. Prints one JSON line: per kind the wall p50 / p99 (ms), the main
thread's CPU p99, and ``waited_ms``, the kind's wall less its CPU summed (waiting for the GIL
or for a core); the CPU each thread of the process used while the queries ran (ms, from
``/proc``: if the other threads used little, the waits were for a core other processes held);
the story index's last sync (wall and CPU in its thread, where the code says them).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bot.bench.measure import _ours, percentile
from bot.bench.queries import Query
from bot.catalog.service import CatalogService
from bot.catalog.store import Store


def _threads_cpu_ms() -> dict[str, int]:
    names = {thread.native_id: thread.name for thread in threading.enumerate()}
    used: dict[str, int] = {}
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks = int(fields[11]) + int(fields[12])
        used[names.get(int(task), task)] = ticks * 1000 // os.sysconf("SC_CLK_TCK")
    return used


async def main(folder: Path, database: Path, queries: list[Query], mode: str) -> dict[str, Any]:
    async with Store.open(database) as store:
        service = CatalogService(store, folder)
        began = time.perf_counter()
        await service.start()
        start_s = time.perf_counter() - began
        if mode == "settled":
            await service.stories.settled()
        elif mode == "quiet":
            await service.flush()
        else:
            for _ in range(3):
                await asyncio.sleep(0)
        for query in queries[:20]:  # (warm-up, as the bench's)
            _ours(service.catalog, query)
        wall: dict[str, list[float]] = {}
        cpu: dict[str, list[float]] = {}
        before = _threads_cpu_ms()
        for query in queries:
            if query.kind == "story":
                continue
            took, used = time.perf_counter(), time.thread_time()
            _ours(service.catalog, query)
            wall.setdefault(query.kind, []).append((time.perf_counter() - took) * 1000)
            cpu.setdefault(query.kind, []).append((time.thread_time() - used) * 1000)
        after = _threads_cpu_ms()
        await service.flush()
        stories = service.stories
        result: dict[str, Any] = {
            "mode": mode,
            "start_s": round(start_s, 3),
            "load": round(os.getloadavg()[0], 2),
            "p99_ms": round(percentile([ms for kind in wall.values() for ms in kind], 0.99), 3),
            "threads_cpu_ms": {
                name: used - before.get(name, 0)
                for name, used in after.items()
                if used > before.get(name, 0)
            },
            "story_sync_s": round(stories.last_seconds, 3),
            "story_sync_cpu_s": round(getattr(stories, "last_cpu_seconds", -1.0), 3),
            "story_written": stories.last_written,
        }
        for kind, times in wall.items():
            result[kind] = {
                "p50_ms": round(percentile(times, 0.5), 3),
                "p99_ms": round(percentile(times, 0.99), 3),
                "cpu_p99_ms": round(percentile(cpu[kind], 0.99), 3),
                "waited_ms": round(sum(times) - sum(cpu[kind]), 1),
            }
        return result


if __name__ == "__main__":
    if sys.argv[4] == "cold":
        for suffix in ("", "-wal", "-shm", "-stories", "-stories-wal", "-stories-shm"):
            Path(f"{sys.argv[2]}{suffix}").unlink(missing_ok=True)
    asked = [Query.from_dict(item) for item in json.loads(Path(sys.argv[3]).read_text("utf-8"))]
    done = asyncio.run(main(Path(sys.argv[1]), Path(sys.argv[2]), asked, sys.argv[4]))
    print(json.dumps(done))
