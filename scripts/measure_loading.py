"""Measure loading and reloading at scale: cold load, warm start, reloads, stalls and memory.

    .venv/bin/python scripts/measure_loading.py --cards 100000 [--dir /tmp/cards-100k]

Writes a deterministic synthetic catalog (titles built from a shared vocabulary, Hangul native
titles, 2 to 6 cast, genres, networks, some streaming and reviews) plus the shipped cards into
DIR (reused when it already holds the catalog), then measures with the bot's own code:

* ``check``: validating every card (``load_cards``), as ``drama-bot check`` does;
* ``cold``: ``CatalogService.start()`` into a new database (parse, store, build);
* ``warm``: a second start on that database with the cards unchanged;
* ``noop``: a reload with nothing changed; ``one``: a reload after one card changed;
* ``stall``: the worst event-loop lag and the p99 of an answer while full reloads run;
* ``rss``: resident memory after the warm start and after the first and last full reload.

Each phase runs in its own process (one phase's memory does not count in the next's). Prints
one JSON object.

It is a development tool (``drama-bot bench`` is the benchmark); see docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.answering.answers import answer  # noqa: E402
from bot.answering.commands import parse_command_line  # noqa: E402
from bot.cards.loader import load_cards  # noqa: E402
from bot.catalog.opening import open_store  # noqa: E402
from bot.catalog.service import CatalogService  # noqa: E402

WORDS = (
    "moon star love secret king queen river city night spring summer winter heart "
    "mirror shadow garden letter rain snow flower sky sea island palace doctor lawyer "
    "chef detective school hospital hotel diary song dream light fire wind golden blue "
    "red little last first second lost hidden crazy sweet bitter happy lonely brave"
).split()
SYLLABLES = "가나다라마바사아자차카타파하서울사랑별달밤꽃비눈바다하늘궁전의사왕비"
SURNAMES = "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon Song".split()
GIVEN = "Min Ji Seo Hyun Woo Jin Soo Young Hye Joon Tae Ha Eun Do Yeon Bin Na Ra".split()
NETWORKS = ("KBS2", "MBC", "SBS", "tvN", "JTBC", "OCN", "ENA", "Netflix", "Disney+", "TVING")
GENRES = ("romance", "drama", "comedy", "thriller", "crime", "fantasy", "medical", "legal")
SERVICES = ("Netflix", "Viki", "Disney+", "TVING", "Wavve")


def synthetic_card(rng: random.Random, number: int) -> tuple[str, str]:
    title = " ".join(rng.sample(WORDS, rng.randint(1, 4))).title()
    slug = f"{'-'.join(title.lower().split())}-{number}"
    native = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 6)))
    lines = [
        f"title: {title} {number}",
        f"native_title: {native}",
        f"year: {rng.randint(1990, 2025)}",
        f"network: {rng.choice(NETWORKS)}",
        f"episodes: {rng.randint(6, 50)}",
        f"genres: [{', '.join(rng.sample(GENRES, rng.randint(1, 3)))}]",
        "cast:",
    ]
    for _ in range(rng.randint(2, 6)):
        actor = f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)} {rng.choice(GIVEN)}"
        lines += [f"  - actor: {actor}", f"    role: {rng.choice(GIVEN)} {rng.choice(GIVEN)}"]
    if rng.random() < 0.5:
        lines += ["streaming:", f"  - service: {rng.choice(SERVICES)}", "    regions: [US, KR]"]
    if rng.random() < 0.3:
        lines += [f"similar: [{rng.choice(WORDS).title()} {rng.randint(0, number + 1)}]"]
    if rng.random() < 0.1:
        lines += [
            "ratings:",
            "  scale: 5",
            f"  overall: {rng.randint(0, 10) / 2}",
            "review:",
            "  headline: A synthetic review headline for measuring",
            "  summary: >-",
            "    Several lines of summary text that stand in for a real review's",
            "    summary, long enough to weigh what real reviews weigh.",
        ]
    return slug, "\n".join(lines) + "\n"


def write_catalog(directory: Path, count: int) -> None:
    marker = directory / ".synthetic"
    if marker.exists() and marker.read_text() == str(count):
        return
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    rng = random.Random(count)
    for number in range(count):
        slug, text = synthetic_card(rng, number)
        (directory / f"{slug}.yaml").write_text(text, "utf-8")
    for path in (REPO / "data" / "cards").glob("*.yaml"):
        shutil.copy(path, directory / path.name)
    marker.write_text(str(count))


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * 4096 / 2**20


def phase_check(directory: Path) -> dict[str, float]:
    began = time.perf_counter()
    result = load_cards(directory)
    assert result.ok, [str(e) for e in result.errors[:5]]
    return {"check_s": time.perf_counter() - began, "check_rss_mb": rss_mb()}


async def phase_cold(directory: Path, database: Path) -> dict[str, float]:
    began = time.perf_counter()
    async with open_store(database) as store:
        await CatalogService(store, directory).start()
        seconds = time.perf_counter() - began
        return {"cold_load_s": seconds, "rss_after_cold_mb": rss_mb()}


async def reload_while_serving(service: CatalogService, **options: bool) -> tuple[float, list]:
    """One reload while a client asks every 2 ms: worst loop lag (ms), answer latencies (ms)."""
    # /cast: its answer does not compute similar dramas, which is not loading work
    invocation = parse_command_line("/cast Run On")
    task = asyncio.ensure_future(service.reload(**options))
    worst = 0.0
    latencies: list[float] = []
    while not task.done():
        began = time.perf_counter()
        await asyncio.sleep(0.002)
        worst = max(worst, (time.perf_counter() - began - 0.002) * 1000)
        began = time.perf_counter()
        answer(service.catalog, invocation)
        latencies.append((time.perf_counter() - began) * 1000)
    await task
    return worst, latencies


async def phase_serve(directory: Path, database: Path, reloads: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    began = time.perf_counter()
    async with open_store(database) as store:
        service = CatalogService(store, directory)
        report = await service.start()
        assert report.parsed == 0, "the warm start parsed YAML"
        figures["warm_start_s"] = time.perf_counter() - began
        figures["rss_after_warm_mb"] = rss_mb()

        began = time.perf_counter()
        await service.reload()
        figures["noop_reload_s"] = time.perf_counter() - began

        victim = directory / "run-on.yaml"
        original = victim.read_text("utf-8")
        edited = re.sub(r"episodes: (\d+)", lambda m: f"episodes: {int(m[1]) + 1}", original)
        victim.write_text(edited, "utf-8")
        try:
            began = time.perf_counter()
            report = await service.reload(names=["run-on.yaml"])
            figures["one_change_reload_s"] = time.perf_counter() - began
            assert report.diff.changed == ("run-on",), report.diff
        finally:
            victim.write_text(original, "utf-8")
        await service.reload()

        worst, latencies, rss = 0.0, [], []
        for _ in range(reloads):
            lag, seen = await reload_while_serving(service, full=True)
            worst = max(worst, lag)
            latencies += seen
            rss.append(rss_mb())
        latencies.sort()
        if latencies:
            figures["worst_loop_stall_ms"] = worst
            figures["serve_p99_during_reload_ms"] = latencies[int(len(latencies) * 0.99)]
            figures["rss_after_first_full_reload_mb"] = rss[0]
            figures["rss_after_last_full_reload_mb"] = rss[-1]
    return figures


def run_phase(*args: str) -> dict[str, float]:
    """Each phase in its own process, so one phase's memory does not count in another's."""
    done = subprocess.run(
        [sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True, check=True
    )
    return json.loads(done.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--dir", type=Path)
    parser.add_argument("--reloads", type=int, default=3, help="full reloads to measure")
    parser.add_argument("--phase", choices=("check", "cold", "serve"), help=argparse.SUPPRESS)
    parser.add_argument("--database", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    directory = args.dir or Path(tempfile.gettempdir()) / f"drama-bot-cards-{args.cards}"
    if args.phase == "check":
        print(json.dumps(phase_check(directory)))
        return
    if args.phase == "cold":
        print(json.dumps(asyncio.run(phase_cold(directory, args.database))))
        return
    if args.phase == "serve":
        print(json.dumps(asyncio.run(phase_serve(directory, args.database, args.reloads))))
        return
    began = time.perf_counter()
    write_catalog(directory, args.cards)
    print(f"catalog ready in {time.perf_counter() - began:.1f}s: {directory}", file=sys.stderr)
    common = ["--cards", str(args.cards), "--dir", str(directory)]
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as state:
        database = str(Path(state) / "bot.sqlite3")
        for phase in ("check", "cold", "serve"):
            extra = ["--database", database, "--reloads", str(args.reloads)]
            figures |= run_phase(*common, "--phase", phase, *extra)
            print(f"{phase}: done", file=sys.stderr)
    print(json.dumps({"cards": args.cards, **{k: round(v, 3) for k, v in figures.items()}}))


if __name__ == "__main__":
    main()
