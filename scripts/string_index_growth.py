"""How long one insertion into the keeping's string index can hold the GIL (a dict's growth
rehashes every entry in one call), and its clear: 1,277,217 distinct texts (the string table
at 100,000 cards) put in one dict (main before branch cpy10) against dicts of at most
``bot.catalog.derived.INDEX_CAP`` texts each. Thread CPU, with the wall time beside it.

    python scripts/string_index_growth.py [ROUNDS]
"""

from __future__ import annotations

import os
import sys
import time

from bot.catalog.derived import INDEX_CAP

TEXTS = 1_277_217


def fill(texts: list[str], numbers: list[int], cap: int) -> tuple[float, float, int, float, int]:
    indexes: list[dict[str | None, int]] = [{None: -1}]
    worst_cpu = worst_wall = 0.0
    at = 0
    for number, text in enumerate(texts):
        index = indexes[-1]
        if len(index) >= cap:
            index = {None: -1}
            indexes.append(index)
        wall, cpu = time.perf_counter(), time.thread_time()
        index[text] = numbers[number]
        spent = time.thread_time() - cpu
        if spent > worst_cpu:
            worst_cpu, worst_wall, at = spent, time.perf_counter() - wall, len(index)
    worst_clear = 0.0
    for index in indexes:
        cpu = time.thread_time()
        index.clear()
        worst_clear = max(worst_clear, time.thread_time() - cpu)
    return worst_cpu, worst_wall, at, worst_clear, len(indexes)


def main(rounds: int) -> None:
    texts = [f"text number {n} of the table" for n in range(TEXTS)]
    for text in texts:
        hash(text)  # (a text's hash is kept in it, as the catalog's texts' are)
    numbers = list(range(TEXTS))
    for round_ in range(rounds):
        caps = (TEXTS * 2, INDEX_CAP) if round_ % 2 == 0 else (INDEX_CAP, TEXTS * 2)
        for cap in caps:
            cpu, wall, at, clear, dicts = fill(texts, numbers, cap)
            print(
                f"{dicts} dict(s): worst insertion {cpu * 1000:.1f} ms CPU "
                f"({wall * 1000:.1f} ms wall) at {at} texts, worst clear {clear * 1000:.1f} ms "
                f"CPU; load {os.getloadavg()[0]:.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
