"""What a read-back of the stored cards holds at once (branch ``rss19``): the rows of the
database and the temporaries each row makes while it is decoded (its stamp, its hash's and
digest's texts, its copy of the body, three tuples) live for one batch; a batch's fresh objects
land in CPython's arenas beside the entries the batch makes, which outlive them, so the
arenas a full reload leaves grow with the batch (docs/performance.md, ``rss19``). The batch is
a fixed number of rows, whatever the catalog's size."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

from bot.bench.synthetic import synthetic_cards, write_cards
from bot.catalog.service import CatalogService
from bot.catalog.store import Store

#: The two catalogs read back: the larger three times the smaller, both over one batch.
FEWER, MORE = 1_500, 4_500


async def _read_back_transient(tmp_path: Path, cards: int) -> tuple[int, int]:
    """Bytes a read-back of ``cards`` stored cards held at its peak beyond what it returned
    (traced by tracemalloc), and how many entries it returned."""
    folder = tmp_path / f"cards-{cards}"
    list(write_cards(synthetic_cards(cards, seed=19), folder))
    database = tmp_path / f"bot-{cards}.sqlite3"
    async with Store.open(database) as store:
        cold = CatalogService(store, folder)
        assert (await cold.start()).applied
        await cold.flush()
        await cold.stories.close()
    async with Store.open(database) as store:
        service = CatalogService(store, folder)
        assert (await service.start()).applied
        await service.flush()
        # The story index's sync after the start runs on the catalog's job threads: done
        # before tracing, or what it makes meanwhile counts in the read-back's peak (CI: 1.72
        # times, under load).
        await service.stories.settled()
        held = []
        for _ in range(3):  # (the least of three: what any other thread makes only adds)
            gc.collect()
            tracemalloc.start()
            try:
                entries, damaged = await service._stored_entries()  # (a full reload's read-back)
                current, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
            assert damaged == 0
            held.append(peak - current)
            read = len(entries)
            del entries  # (let go before the next read-back)
        await service.stories.close()
        return min(held), read


async def test_a_read_back_holds_a_bounded_batch_of_rows_whatever_the_catalogs_size(
    tmp_path: Path,
) -> None:
    """Reading back three times the cards takes well under three times as much beyond what
    it returns: the rows and their temporaries live a batch at a time (main read up to 5,000
    rows a batch: both catalogs in one batch, 7.29 against 0.62 MB, 11.7 times). The bound
    sits between one batch's temporaries (1.0 to 2.2 times in 2026-11-27's runs: the least
    of three read-backs, the result dict's growth counted in) and the rows' ratio, 3."""
    fewer, fewer_read = await _read_back_transient(tmp_path, FEWER)
    more, more_read = await _read_back_transient(tmp_path, MORE)
    assert (fewer_read, more_read) == (FEWER, MORE)
    assert more <= 2.5 * fewer, (fewer, more)
