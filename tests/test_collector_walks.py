"""What a start leaves for the cyclic collector to walk: the pairs of slug and stamp a start
writes when every card file's stamp moved (a fresh copy, a checkout) are made with the
collector paused and frozen, so no full collection walks them while the database takes them
(each such walk holds the GIL: 11 to 21 ms at 100,000 cards)."""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

from bot.cards.loader import FileStamp
from bot.catalog.service import CatalogService
from bot.catalog.store import Store


class StampPairsWalked:
    """A ``gc.callbacks`` entry: at every collection's start, how many (slug, stamp) pairs
    the collector holds in its generations (what it would walk)."""

    def __init__(self) -> None:
        self.seen: list[int] = []

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            # (through gc.get_referents, never o[1]: a collection can start while C code is
            # filling a tuple it has already made, whose empty slot would crash an index)
            self.seen.append(
                sum(
                    1
                    for o in gc.get_objects()
                    if type(o) is tuple
                    and len(o) == 2
                    and len(refs := gc.get_referents(o)) == 2
                    and type(refs[1]) is FileStamp
                )
            )


async def test_a_start_after_every_file_was_touched_leaves_no_stamp_pairs_to_walk(
    shipped_copy: Path, tmp_path: Path
) -> None:
    database = tmp_path / "cache.sqlite3"
    async with Store.open(database) as store:
        assert (await CatalogService(store, shipped_copy).start()).applied
    for path in shipped_copy.glob("*.yaml"):
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    look = StampPairsWalked()
    thresholds = gc.get_threshold()
    gc.set_threshold(20, 1, 1)  # (a collection every few allocations: one meets the pairs)
    gc.callbacks.append(look)
    try:
        async with Store.open(database) as store:
            service = CatalogService(store, shipped_copy)
            report = await service.start()
            await service.flush()
    finally:
        gc.callbacks.remove(look)
        gc.set_threshold(*thresholds)
    assert report.applied
    walks = look.seen
    assert walks, "no collection ran during the start"
    assert max(walks) == 0
