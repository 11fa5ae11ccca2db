"""Where a served catalog's memory goes, and whether it stays flat across reloads.

    python scripts/memory_breakdown.py FOLDER DATABASE [--reloads 10] [--full] [--breakdown]

Starts a :class:`CatalogService` on ``FOLDER`` with ``DATABASE`` (a cold load first if the
database does not exist yet), as the bot does, then prints the process's RSS, the C allocator's
and CPython's own view of the heap and, with ``--breakdown``, the bytes held by each part of
the catalog (``sys.getsizeof`` over everything reachable from it; an object reachable from
several parts is counted once, in the first one listed). Then ``--reloads`` reloads, each
followed by the same figures: with ``--full`` every card's episode count is changed first
(as the bench's last reload does; put back at the end), so every reload builds a new catalog.
``FOLDER`` is changed in place: use a copy. Not part of the test suite (no figures asserted).
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import ctypes.util
import gc
import os
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from bot.bench.measure import bump_episodes, rss_mb
from bot.catalog.lazy_cards import LazyCards
from bot.catalog.service import CatalogService
from bot.catalog.store import Store


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def malloc_mb() -> str:
    """glibc's heap: bytes in use and free (held, not returned) in its arenas; mmapped."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallinfo2.restype = _MallInfo2
    except (OSError, AttributeError):
        return "malloc: n/a"
    info = libc.mallinfo2()
    mb = 1 << 20
    return (
        f"malloc in use {info.uordblks / mb:.0f} MB, free in arenas {info.fordblks / mb:.0f} MB, "
        f"mmapped {info.hblkhd / mb:.0f} MB"
    )


def pymalloc() -> str:
    """CPython's small-object allocator: arenas held and how full they are."""
    # (it writes to the C stderr: file descriptor 2, not sys.stderr)
    with tempfile.TemporaryFile("w+") as out:
        sys.stderr.flush()
        saved = os.dup(2)
        try:
            os.dup2(out.fileno(), 2)
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        out.seek(0)
        text = out.read()
    arenas = re.search(r"# arenas allocated current\s*=\s*([\d,]+)", text)
    used = re.search(r"# bytes in allocated blocks\s*=\s*([\d,]+)", text)
    free = re.search(r"# bytes in available blocks\s*=\s*([\d,]+)", text)

    def number(match: re.Match[str] | None) -> int:
        return int(match.group(1).replace(",", "")) if match else 0

    arena_mb = number(arenas) * (1 << 20) / (1 << 20)  # 1 MiB arenas in 3.11
    return (
        f"pymalloc arenas {arena_mb:.0f} MB, blocks in use {number(used) / (1 << 20):.0f} MB, "
        f"free blocks {number(free) / (1 << 20):.0f} MB"
    )


_SKIP = (type, type(sys), type(len), type(lambda: 0))


#: Objects this size or smaller come from CPython's small-object arenas (3.11's obmalloc).
SMALL = 512


def deep_sizes(
    parts: Iterable[tuple[str, object]],
    by_type: Counter[str] | None = None,
    counts: Counter[str] | None = None,
    small: Counter[str] | None = None,
) -> list[tuple[str, int, int]]:
    """(name, bytes, objects) of everything reachable from each part, each object counted once;
    ``by_type``: bytes per type name, ``counts``: objects per type name, ``small``: objects
    per part of at most ``SMALL`` bytes (those in CPython's arenas), added to."""
    seen: set[int] = set()
    texts: dict[str, int] = {}  # each text seen -> the id of its first object
    out: list[tuple[str, int, int]] = []
    for name, root in parts:
        total = count = 0
        stack = [root]
        while stack:
            obj = stack.pop()
            if id(obj) in seen or isinstance(obj, _SKIP):
                continue
            seen.add(id(obj))
            size = sys.getsizeof(obj)
            total += size
            if by_type is not None:
                by_type[type(obj).__name__] += size
                if type(obj) is str and texts.setdefault(obj, id(obj)) != id(obj):
                    by_type["(str: a copy of a text held already)"] += size
            count += 1
            if small is not None and size <= SMALL:
                small[name] += 1
                small[f"type {type(obj).__name__}"] += 1
            if counts is not None:
                counts[type(obj).__name__] += 1
            stack.extend(gc.get_referents(obj))
            if type(obj) is dict:  # (its keys, which ``get_referents`` leaves out when all
                stack.extend(obj)  # are strings: branch rss15)
        out.append((name, total, count))
    return out


def breakdown(service: CatalogService) -> None:
    catalog = service.catalog
    titles, actors = catalog.titles, catalog.actor_names
    entries = service._entries
    # (a warm start's cards are stored bodies until asked for: listed as held, none made here)
    held = catalog.cards.held() if isinstance(catalog.cards, LazyCards) else dict(catalog.cards)
    parts: list[tuple[str, object]] = [
        ("cards (Card objects or stored bodies)", list(held.values())),
        ("catalog.cards dict", catalog.cards),
        ("service _entries (stamps, digests)", entries),
    ]
    for label, index in (("titles", titles), ("actor_names", actors)):
        for slot in index.__slots__:
            parts.append((f"{label}.{slot}", getattr(index, slot)))
    parts += [
        ("actors (Actor, Credit)", catalog.actors),
        ("facets", catalog.facets),
        ("similar: _listed", catalog._listed),
        ("similar: _computed", catalog._computed),
        ("unloaded", catalog.unloaded),
    ]
    by_type: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    small: Counter[str] = Counter()
    rows = deep_sizes(parts, by_type, counts, small)
    total = sum(size for _, size, _ in rows)
    for name, size, count in sorted(rows, key=lambda r: -r[1]):
        if size >= 1 << 20 or small[name] >= 10_000:
            print(
                f"  {name:40s} {size / (1 << 20):8.1f} MB {count:>10,} objects, "
                f"{small[name]:>10,} small"
            )
    print(f"  {'total':40s} {total / (1 << 20):8.1f} MB")
    print(
        "  by type: " + ", ".join(f"{k} {v / (1 << 20):.0f} MB" for k, v in by_type.most_common(12))
    )
    print(
        f"  objects: {sum(counts.values()):,}: "
        + ", ".join(f"{k} {v:,}" for k, v in counts.most_common(12))
    )
    kinds = [(k[5:], v) for k, v in small.most_common() if k.startswith("type ")]
    print(
        f"  small objects (<= {SMALL} B, in CPython's arenas): {sum(v for _, v in kinds):,}: "
        + ", ".join(f"{k} {v:,}" for k, v in kinds[:12])
    )


def figures(label: str, began: float, trim: bool = False) -> None:
    gc.collect()
    if trim:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        began_trim = time.perf_counter()
        libc.malloc_trim(0)
        print(f"malloc_trim(0): {(time.perf_counter() - began_trim) * 1000:.0f} ms")
    print(
        f"{label:28s} RSS {rss_mb():7.0f} MB | {malloc_mb()} | {pymalloc()} | "
        f"objects {len(gc.get_objects()):,} frozen {gc.get_freeze_count():,} | "
        f"{time.perf_counter() - began:.1f} s",
        flush=True,
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("database", type=Path)
    parser.add_argument("--reloads", type=int, default=3)
    parser.add_argument("--full", action="store_true", help="change every card before reloads")
    parser.add_argument("--breakdown", action="store_true")
    parser.add_argument("--trim", action="store_true", help="malloc_trim(0) before each figure")
    parser.add_argument("--mallopt", default="", help="e.g. -3=1048576,-8=2 (param=value,...)")
    args = parser.parse_args()
    for setting in filter(None, args.mallopt.split(",")):
        param, value = (int(x) for x in setting.split("="))
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        print(f"mallopt({param}, {value}) -> {libc.mallopt(param, value)}")
    began = time.perf_counter()
    if not args.database.exists():
        async with Store.open(args.database) as store:
            cold = CatalogService(store, args.folder)
            await cold.start()
            await cold.flush()
        del cold
        print(f"cold load done in {time.perf_counter() - began:.1f} s (another process next)")
        return
    figures("before start", began)
    async with Store.open(args.database) as store:
        service = CatalogService(store, args.folder)
        await service.start()
        await service.flush()
        figures("after start", began, args.trim)
        if args.breakdown:
            breakdown(service)
        # (the folder listed for each pass: a list of every card file kept across the reloads
        # would be counted in every figure after the start's, 375 bytes a card)
        delta = 1
        for number in range(1, args.reloads + 1):
            if args.full:
                await asyncio.to_thread(bump_episodes, args.folder.glob("*.yaml"), delta)
                delta = -delta
            await service.reload()
            await service.flush()
            figures(f"after reload {number}", began, args.trim)
        if args.full and delta == -1:
            await asyncio.to_thread(bump_episodes, args.folder.glob("*.yaml"), -1)
        if args.breakdown and args.reloads:
            breakdown(service)


if __name__ == "__main__":
    asyncio.run(main())
