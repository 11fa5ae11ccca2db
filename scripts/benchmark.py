"""Measure drama-bot's hot paths side by side with a naive baseline, in one run.

    .venv/bin/python scripts/benchmark.py [--sizes 88,10000,50000] [--out docs/performance.md]

For each catalog size (the shipped cards, then synthetic catalogs made from them with distinct
titles) it measures, per keystroke of realistic typing:

* autocomplete with our in-memory index (binary search on sorted keys, fuzzy fill only when
  prefixes come up short), against the baseline a first version would write: an SQL
  ``LIKE '%q%'`` scan of the titles table plus ``rapidfuzz.process.extract`` over all titles;
* resolving a submitted title (``NameIndex.resolve``);
* a full reload: reading and validating every YAML file, the SQLite swap, and rebuilding the
  in-memory catalog.

Figures are printed as a Markdown table (and written to ``--out`` when given). Nothing here
asserts a time: the test suite never does.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.cards.loader import load_cards  # noqa: E402
from bot.cards.model import Card  # noqa: E402
from bot.catalog.service import CatalogService  # noqa: E402
from bot.catalog.snapshot import Catalog  # noqa: E402
from bot.catalog.store import Store  # noqa: E402

SHIPPED = ROOT / "data" / "cards"
WORDS = (
    "moon sun star river city night summer winter love secret garden hotel doctor queen king "
    "mister lady school spring flower sea wind rain shadow light memory dream road house"
).split()


def synthetic_cards(base: list[Card], size: int, seed: int = 7) -> list[Card]:
    """``size`` cards: the shipped ones, then variants with distinct titles and slugs."""
    rng = random.Random(seed)
    cards = list(base)
    number = 0
    while len(cards) < size:
        number += 1
        model = base[number % len(base)]
        extra = " ".join(rng.sample(WORDS, 2))
        title = f"{model.title} {extra.title()} {number}"
        slug = f"{model.slug}-{extra.replace(' ', '-')}-{number}"
        cards.append(replace(model, slug=slug, title=title, aliases=(), similar=()))
    return cards[:size]


def keystrokes(titles: list[str], count: int, seed: int = 11) -> list[str]:
    """Prefixes as a user types them (1..12 characters), with a typo now and then."""
    rng = random.Random(seed)
    queries: list[str] = []
    while len(queries) < count:
        title = rng.choice(titles).lower()
        for end in range(1, min(len(title), 12) + 1):
            text = title[:end]
            if end > 4 and rng.random() < 0.15:
                text = text[:-2] + text[-1] + text[-2]
            queries.append(text)
    return queries[:count]


def timed(function: Callable[[str], object], queries: list[str]) -> list[float]:
    samples = []
    for query in queries:
        began = time.perf_counter()
        function(query)
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    return f"{p50:.3f} / {p95:.3f} / {p99:.3f}"


def baseline_autocomplete(db: sqlite3.Connection, titles: list[str]) -> Callable[[str], object]:
    def complete(query: str) -> object:
        rows = db.execute(
            "SELECT slug FROM cards WHERE title LIKE ? ORDER BY title LIMIT 25", (f"%{query}%",)
        ).fetchall()
        if len(rows) < 25:
            process.extract(query, titles, scorer=fuzz.WRatio, limit=25)
        return rows

    return complete


async def reload_seconds(cards: list[Card], workdir: Path) -> tuple[float, float]:
    """Seconds for a first load and for an unchanged reload of ``cards`` written as YAML."""
    folder = workdir / "cards"
    folder.mkdir()
    template = (SHIPPED / "start-up.yaml").read_text("utf-8")
    for card in cards:
        text = template.replace("title: Start-Up", f'title: "{card.title}"')
        (folder / f"{card.slug}.yaml").write_text(text, "utf-8")
    async with Store.open(workdir / "bench.sqlite3") as store:
        service = CatalogService(store, folder)
        began = time.perf_counter()
        await service.start()
        first = time.perf_counter() - began
        began = time.perf_counter()
        report = await service.reload()
        again = time.perf_counter() - began
        assert report.applied, report.errors[:3]
    return first, again


def run(sizes: list[int], keystroke_count: int) -> str:
    base = load_cards(SHIPPED).cards
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, {keystroke_count} keystrokes per size. "
        "Times in milliseconds, p50 / p95 / p99.",
        "",
        "| cards | autocomplete (ours) | autocomplete (baseline: SQL LIKE + fuzzy scan) | "
        "resolve a title (ours) | catalog build (s) | first load (s) | reload (s) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size in sizes:
        cards = synthetic_cards(base, size)
        began = time.perf_counter()
        catalog = Catalog.build(cards)
        build = time.perf_counter() - began
        queries = keystrokes([c.title for c in cards], keystroke_count)
        ours = timed(catalog.titles.suggest, queries)
        resolve = timed(catalog.titles.resolve, queries[:: max(1, len(queries) // 300)])
        db = sqlite3.connect(":memory:")
        db.execute("CREATE TABLE cards (slug TEXT PRIMARY KEY, title TEXT)")
        db.executemany("INSERT INTO cards VALUES (?, ?)", [(c.slug, c.title) for c in cards])
        titles = [c.title for c in cards]
        baseline = timed(baseline_autocomplete(db, titles), queries)
        with tempfile.TemporaryDirectory() as tmp:
            first, again = asyncio.run(reload_seconds(cards, Path(tmp)))
            shutil.rmtree(tmp, ignore_errors=True)
        lines.append(
            f"| {size} | {summary(ours)} | {summary(baseline)} | {summary(resolve)} | "
            f"{build:.2f} | {first:.2f} | {again:.2f} |"
        )
        print(lines[-1], flush=True)
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="88,10000,50000")
    parser.add_argument("--keystrokes", type=int, default=2000)
    parser.add_argument("--out", type=Path, help="write the table into this Markdown file")
    args = parser.parse_args()
    table = run([int(s) for s in args.sizes.split(",")], args.keystrokes)
    print()
    print(table)
    if args.out:
        text = args.out.read_text("utf-8") if args.out.exists() else ""
        start, end = "<!-- benchmark:start -->", "<!-- benchmark:end -->"
        if start in text and end in text:
            head, _, rest = text.partition(start)
            _, _, tail = rest.partition(end)
            text = f"{head}{start}\n{table}{end}{tail}"
        else:
            text += f"\n{start}\n{table}{end}\n"
        args.out.write_text(text, "utf-8")


if __name__ == "__main__":
    main()
