"""What holds the GIL while the built catalog is kept: ``python scripts/keeping_holds.py
CARDS DATABASE [ROUNDS [OTHER_TREE]]``.

Starts a service on CARDS and DATABASE (a warm start when DATABASE keeps a catalog of those
cards: copy one the bench left, with its ``-wal``), then encodes its catalog for keeping
(``derived.encode``, in a worker thread, as the keeping does) ROUNDS times with a line tracer,
and prints one JSON line per round: the stretches between two Python events (a line, a call,
a return) that took more than ``LIMIT_MS`` (environment, 5 by default) of the thread's CPU,
each named by the event before it. A stretch is one operation: a C call, a dict growing, a
frame's locals freed. Those in numpy's sorts, gathers, scatters and fills let the GIL go (an
event loop beside them keeps running); every other one holds it, and the loop waits for it
to end whatever the switch interval. With OTHER_TREE (another checkout's root), its
``bot/catalog/derived.py`` encodes the same catalog, alternated with this tree's, and the
two streams' checksums are printed: the same bytes, or not. CPU of one thread, not wall time:
comparable on a loaded machine.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import sys
import time
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any

from bot.catalog import derived
from bot.catalog.heap import collector_paused
from bot.catalog.service import CatalogService
from bot.catalog.store import Store

LIMIT_MS = float(os.environ.get("LIMIT_MS", "5"))


def _other(root: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "other_derived", Path(root) / "bot" / "catalog" / "derived.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _traced(module: ModuleType, catalog: Any) -> tuple[str, list[tuple[float, str]]]:
    """The stream's checksum and the longest stretches (thread CPU, ms) of one encoding."""
    holds: list[tuple[float, str]] = []
    last: list[Any] = [time.thread_time(), "start"]

    def local(frame: FrameType, event: str, arg: object) -> Any:
        spent = (time.thread_time() - last[0]) * 1000
        if spent > LIMIT_MS:
            holds.append((round(spent, 1), last[1]))
        code = frame.f_code
        last[1] = f"{Path(code.co_filename).name}:{frame.f_lineno} {code.co_name} {event}"
        last[0] = time.thread_time()
        return local

    sys.settrace(local)
    try:
        with collector_paused():
            head, _ = module.encode("holds", catalog)
    finally:
        sys.settrace(None)
    return json.loads(head)["sha256"], sorted(holds, reverse=True)[:12]


async def main(cards: str, database: str, rounds: int, other: str | None) -> None:
    trees = [("this tree", derived)]
    if other:
        trees.insert(0, (other, _other(other)))
    async with Store.open(Path(database)) as store:
        service = CatalogService(store, Path(cards))
        await service.start()
        await service.flush()
        for number in range(rounds):
            for name, module in trees:
                checksum, holds = await asyncio.to_thread(_traced, module, service.catalog)
                line = {"round": number, "tree": name, "load": os.getloadavg()[0]}
                print(json.dumps(line | {"sha256": checksum[:16], "holds": holds}), flush=True)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    asyncio.run(
        main(
            arguments[0],
            arguments[1],
            int(arguments[2]) if len(arguments) > 2 else 1,
            arguments[3] if len(arguments) > 3 else None,
        )
    )
