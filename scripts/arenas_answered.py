"""CPython's arenas and RSS after a warm start and after each full reload, with the fans'
answers after each (docs/performance.md, branch ``arena12``: the probe a suite test can hold
within 5% of the start once something makes it so; main fails that: 41 -> 49 arenas at 5,000
cards).

    PYTHONMALLOC=pymalloc python scripts/arenas_answered.py FOLDER DATABASE QUERIES.json [3]

``DATABASE``: cold-loaded beforehand by the code measured (``scripts/memory_breakdown.py``);
``QUERIES.json``: the bench's ``queries-N-seedS.json``. Every full reload is built in the
worker (as from 5,000 cards). ``FOLDER`` is changed (every card's episode count) and left one
step off when the number of reloads is odd: use a copy. Not part of the tests.
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
from pathlib import Path

from bot.bench.arenas import arenas, pools
from bot.bench.measure import bump_episodes, load_queries, measure_queries, rss_mb
from bot.bench.queries import Query
from bot.catalog.heap import serving_allocator
from bot.catalog.service import CatalogService
from bot.catalog.store import Store


def _changed(folder: Path, delta: int) -> None:
    bump_episodes(folder.glob("*.yaml"), delta)


async def main(folder: Path, database: Path, queries: list[Query], reloads: int) -> None:
    counts: dict[str, object] = {"allocator": serving_allocator()}
    held: list[int | None] = []
    room: list[tuple[int, int] | None] = []
    rss: list[float] = []
    async with Store.open(database) as store:
        service = CatalogService(store, folder)
        service.build_worker_from = 0
        await service.start()
        await service.flush()
        delta = 1
        for number in range(reloads + 1):
            if number:
                # Every card changed: a whole new catalog. The folder listed anew each time, as
                # the bench does: paths kept from one reload to the next would each keep its
                # text (made by the first change, while the first catalog serves) and pin the
                # arenas they were made in, which the service does not do (branch ``rss17``).
                await asyncio.to_thread(_changed, folder, delta)
                delta = -delta
                await service.reload()
                await service.flush()
            measure_queries(service.catalog, queries, lambda *_: None)
            gc.collect()
            held.append(arenas())
            room.append(pools())
            rss.append(round(rss_mb(), 1))
    print(json.dumps(counts | {"arenas": held, "pools": room, "rss_mb": rss}))


if __name__ == "__main__":
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    asyncio.run(main(Path(sys.argv[1]), Path(sys.argv[2]), load_queries(Path(sys.argv[3])), count))
