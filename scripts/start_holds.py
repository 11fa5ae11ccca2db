"""What holds the GIL in a start, on every thread: ``python scripts/start_holds.py CARDS
DATABASE [LIMIT_MS]``.

Starts a service on CARDS and DATABASE (a cold load when DATABASE does not exist, a warm
start when it keeps a catalog of those cards) and waits for the keeping, with a line tracer
on every thread of this process (``threading.settrace``), and prints one JSON line: the
stretches between two Python events of one thread (a line, a call, a return) that took more
than LIMIT_MS (5 by default) of that thread's CPU, longest first, each named by the thread
and the event before it. A stretch is one operation: a C call, a dict growing, a frame's
locals freed. Those that let the GIL go (SQLite's steps, numpy's sorts, a big ``bytes``
join, waits) are listed too: read them against the code. CPU of one thread, not wall time,
so it is comparable on a loaded machine (``scripts/keeping_holds.py`` does the same for the
keeping alone, tree against tree).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Any

from bot.catalog.service import CatalogService
from bot.catalog.store import Store

LIMIT_MS = 5.0


def _tracer(holds: list[tuple[float, str, str]], limit_ms: float) -> Any:
    """A trace function that notes, per thread, each stretch between two events over
    ``limit_ms`` of the thread's CPU."""
    state = threading.local()

    def local(frame: FrameType, event: str, arg: object) -> Any:
        now = time.thread_time()
        last = getattr(state, "last", None)
        if last is not None:
            spent = (now - last[0]) * 1000
            if spent > limit_ms:
                holds.append((round(spent, 1), threading.current_thread().name, last[1]))
        code = frame.f_code
        where = f"{Path(code.co_filename).name}:{frame.f_lineno} {code.co_name} {event}"
        state.last = (time.thread_time(), where)
        return local

    return local


async def _start(cards: Path, database: Path) -> float:
    began = time.perf_counter()
    async with Store.open(database) as store:
        service = CatalogService(store, cards)
        await service.start()
        ready = time.perf_counter() - began
        await service.flush()
    return ready


def main(argv: list[str]) -> int:
    cards, database = Path(argv[0]), Path(argv[1])
    limit_ms = float(argv[2]) if len(argv) > 2 else LIMIT_MS
    warm = database.exists()
    holds: list[tuple[float, str, str]] = []
    trace = _tracer(holds, limit_ms)
    threading.settrace(trace)
    sys.settrace(trace)
    try:
        ready = asyncio.run(_start(cards, database))
    finally:
        sys.settrace(None)
        threading.settrace(None)  # type: ignore[arg-type]
    line = {
        "start": "warm" if warm else "cold",
        "ready_s_traced": round(ready, 1),
        "load": os.getloadavg()[0],
        "holds": sorted(holds, reverse=True)[:40],
    }
    print(json.dumps(line))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
