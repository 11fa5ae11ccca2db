"""Which objects born in each step of the bench's serving run outlive the full reloads after
it, and CPython's arenas after each step (docs/performance.md, branch ``pin11``).

    python scripts/reload_survivors.py FOLDER DATABASE QUERIES.json [--reloads 4] [--walk]
        [--trace] [--worker-from N]

Runs what ``drama-bot bench`` serves (``bot.bench.measure.serve``): a warm start on ``FOLDER``
and ``DATABASE`` (cold-loaded beforehand, e.g. by ``scripts/memory_breakdown.py``), the
queries (``-`` for none; a file written by the bench: ``queries-N-seedS.json``), a reload
with nothing changed, two one-card reloads, a full reload while answering, then more full
reloads. After each step: RSS, CPython's arenas held and bytes in use. With ``--walk``, every
live object is found (from the collector's objects, the modules and the threads' frames, through
``gc.get_referents``) and its id kept; after each full reload, the small objects (512 bytes
or less: those in CPython's arenas) born in an earlier step and still alive are counted, with
the pools they sit in, by type (``--trace``: and where they were made, through tracemalloc;
slow). The walk's own objects change the arena counts: take those from a run without it.
With ``--arenas`` (implies ``--walk``; branch ``arena12``), after each step the live small
objects are bucketed by the CPython arena they sit in (read from their pool's header) and by
what they are: the catalog serving now (reachable from the service's catalog and entries),
born before the start (``imports``), in the start (the first catalog's read-back), or
born in a later step; each arena is then named by the kinds of objects it holds, and the
arenas shared by the serving catalog and anything that is not it are counted.
``FOLDER`` is changed in place and put back at the end: use a copy. Not part of the tests.
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import gc
import re
import sys
import time
import tracemalloc
import types
from collections import Counter
from pathlib import Path

import numpy as np

from bot.bench import measure
from bot.bench.arenas import arenas, malloc_stats
from bot.catalog.service import CatalogService
from bot.catalog.store import Store

_IN_USE = re.compile(r"# bytes in allocated blocks\s*=\s*([\d,]+)")
_POOL_BITS = 14  # (16 KiB pools in CPython 3.11)
_ARENA_INDEX = 32  # (offset of ``arenaindex`` in CPython 3.11's ``pool_header``, 64 bits)


def in_use_mb() -> float | None:
    found = _IN_USE.search(malloc_stats() or "")
    return int(found[1].replace(",", "")) / (1 << 20) if found else None


class Walker:
    """Every live object, by id; the walker's own containers are left out."""

    def __init__(self, roots: list[object]) -> None:
        self.roots = roots
        self.own: set[int] = set()

    def live(self) -> dict[int, object]:
        gc.collect()
        seen: dict[int, object] = {}
        stack = gc.get_objects() + list(sys.modules.values()) + self.roots
        stack += list(sys._current_frames().values())
        self.own.update((id(seen), id(stack)))
        while stack:
            item = stack.pop()
            key = id(item)
            if key in seen or key in self.own:
                continue
            seen[key] = item
            stack.extend(gc.get_referents(item))
        # Frames out: this one (and its callers', once they return) would hold ``seen`` in a
        # cycle, which the next collector pause's ``gc.freeze`` (bot.catalog.heap) makes
        # permanent, keeping everything alive now (old catalogs included) for good.
        for key in [key for key, item in seen.items() if isinstance(item, types.FrameType)]:
            del seen[key]
        return seen


def _where(item: object) -> str:
    made = tracemalloc.get_object_traceback(item)
    if made is None:
        return ""
    ours = [f for f in reversed(made) if "/bot/" in f.filename or "asyncio" in f.filename]
    return " @ " + " < ".join(f"{Path(f.filename).name}:{f.lineno}" for f in ours[:3])


def _arena_of(item: object) -> int:
    """The index of the CPython arena ``item`` sits in (a small object, pymalloc serving)."""
    return ctypes.c_uint.from_address((id(item) >> _POOL_BITS << _POOL_BITS) + _ARENA_INDEX).value


def _reachable(roots: list[object]) -> set[int]:
    """Ids of what ``roots`` reach, not through modules, classes or functions."""
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        item = stack.pop()
        if id(item) in seen or isinstance(item, type | types.ModuleType | types.FunctionType):
            continue
        seen.add(id(item))
        stack.extend(gc.get_referents(item))
    return seen


def _by_arena(
    objects: dict[int, object], serving: set[int], born: dict[int, str], imported: set[int]
) -> None:
    """Print how many arenas hold which kinds of small objects (see the module's text)."""
    kinds: dict[int, Counter[str]] = {}
    sizes: dict[int, Counter[str]] = {}
    types_of: dict[str, Counter[str]] = {}
    for key, item in objects.items():
        if not _small(item):
            continue
        kind = "catalog" if key in serving else born.get(key, "start")
        kind = "imports" if kind == "start" and key in imported else kind
        arena = _arena_of(item)
        kinds.setdefault(arena, Counter())[kind] += 1
        sizes.setdefault(arena, Counter())[kind] += sys.getsizeof(item)
        if kind != "catalog":
            types_of.setdefault(kind, Counter())[type(item).__name__] += 1
    mixes: Counter[tuple[str, ...]] = Counter()
    held: Counter[tuple[str, ...]] = Counter()
    filled: dict[tuple[str, ...], Counter[str]] = {}
    for arena, counts in kinds.items():
        mix = tuple(sorted(counts))
        mixes[mix] += 1
        held[mix] += sum(counts.values())
        filled.setdefault(mix, Counter()).update(sizes[arena])
    print(f"  {len(kinds)} arenas hold live small objects:")
    for mix, count in mixes.most_common():
        mb = ", ".join(f"{k} {v / (1 << 20):.1f}" for k, v in filled[mix].most_common())
        print(f"    {count:4d} arenas, {held[mix]:8d} objects: {' + '.join(mix)} (MB: {mb})")
    shared = [c for c in kinds.values() if "catalog" in c and len(c) > 1]
    lone = Counter(k for c in shared for k in c if k != "catalog")
    print(
        f"  {len(shared)} arenas share the serving catalog with: "
        + ", ".join(f"{k} ({sum(c[k] for c in shared)} objects in {n})" for k, n in lone.items())
    )
    for kind, counts in types_of.items():
        print(f"    {kind}: " + ", ".join(f"{n} {t}" for t, n in counts.most_common(6)))


def _small(item: object) -> bool:
    try:
        return sys.getsizeof(item) <= 512
    except TypeError:
        return False


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("database", type=Path)
    parser.add_argument("queries")
    parser.add_argument("--reloads", type=int, default=4)
    parser.add_argument("--walk", action="store_true")
    parser.add_argument("--trace", action="store_true")
    parser.add_argument("--worker-from", type=int, default=None)
    parser.add_argument("--arenas", action="store_true")
    args = parser.parse_args()
    args.walk = args.walk or args.arenas
    if args.trace:
        tracemalloc.start(25)
    queries = [] if args.queries == "-" else measure.load_queries(Path(args.queries))
    folder = args.folder
    async with Store.open(args.database) as store:
        service = CatalogService(store, folder)
        if args.worker_from is not None:
            service.build_worker_from = args.worker_from
        walker = Walker([service, asyncio.get_running_loop()])
        imported = set(walker.live()) if args.arenas else set()
        await service.start()
        names: list[str] = []
        born: list[np.ndarray] = []
        before = np.array(sorted(walker.live() if args.walk else ()), dtype=np.uint64)
        walker.own.update((id(born), id(names)))

        def step(name: str, cpu: float | None = None) -> None:
            nonlocal before
            objects = walker.live() if args.walk else {}
            walker.own.add(id(objects))
            now = np.array(sorted(objects), dtype=np.uint64)
            born.append(np.setdiff1d(now, before, assume_unique=True))
            names.append(name)
            before = now
            in_use = in_use_mb()
            print(
                f"{name:18s} RSS {measure.rss_mb():7.1f} MB, arenas {arenas()}, in use "
                + (f"{in_use:.1f} MB" if in_use is not None else "n/a")
                + (f", CPU {cpu:.2f} s" if cpu is not None else ""),
                flush=True,
            )
            if args.arenas:
                serving = _reachable([service.catalog, service._entries])
                named = {int(k): when for when, ids in zip(names, born, strict=True) for k in ids}
                _by_arena(objects, serving, named, imported)
            if not args.walk or not name.startswith("full") or name == "full 1":
                return
            for when, ids in zip(names[:-1], born[:-1], strict=True):
                alive = np.intersect1d(ids, now, assume_unique=True)
                small = [objects[int(key)] for key in alive if _small(objects[int(key)])]
                if not small:
                    continue
                pools = len({id(item) >> _POOL_BITS for item in small})
                print(f"  born in {when!r}, alive: {len(small)} small objects in {pools} pools")
                kinds = Counter(
                    type(item).__name__ + (_where(item) if args.trace else "") for item in small
                )
                for kind, count in kinds.most_common(12):
                    print(f"    {count:6d} {kind}")

        if queries:
            measure.measure_queries(service.catalog, queries, lambda *_: None)
        step("start+queries")
        await service.reload()
        step("no change")
        one = measure._first_with_episodes(measure._card_files(folder))
        measure.bump_episodes(one, 1)
        await service.reload()
        measure.bump_episodes(one, 1)
        await service.reload(names=[path.name for path in one])
        step("one change x2")
        measure.bump_episodes(measure._card_files(folder), 1)
        texts = [q for q in queries if q.kind == "exact"] or list(queries)
        began = time.process_time()
        work = asyncio.create_task(service.reload())
        if texts:
            await measure._serve_while(service, texts, work)
        await work
        del work  # (its report would stay alive: not what the bot holds)
        await service.flush()
        step("full 1", time.process_time() - began)
        delta = 1
        for number in range(2, args.reloads + 1):
            change = -1 if delta > 0 else 1
            measure.bump_episodes(measure._card_files(folder), change)
            delta += change
            began = time.process_time()
            await service.reload()
            await service.flush()
            step(f"full {number}", time.process_time() - began)
        if delta:
            measure.bump_episodes(measure._card_files(folder), -delta)
        measure.bump_episodes(one, -2)


if __name__ == "__main__":
    asyncio.run(main())
