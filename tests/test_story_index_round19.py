"""The story index (``<database>-stories``) against round 18's additions, attacked from
outside: its ``story_meta`` fingerprint left by another process over an index that is not
complete, and two processes (shards of one bot) that both find the file damaged at once.
Real processes, real SQLite files, the real catalog service."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import time
from pathlib import Path

from bot.answering.commands import parse_command_line
from bot.answering.dispatch import answer
from bot.catalog.service import CatalogService
from bot.catalog.store import Store
from bot.catalog.story_index import stories_path
from tests.test_story_index_faults import FOUND, LINE, _copy_cards, shard_processes

LAWYER = "extraordinary-attorney-woo"


async def _served_and_found(cards: Path, database: Path) -> list[str]:
    """A start of the service (as ``run`` or ``ask --database`` starts it), its story index
    brought up to date, and what the story search finds for ``LINE``."""
    async with Store.open(database) as store:
        service = CatalogService(store, cards)
        await service.start()
        await service.flush()
        found = list(answer(service.catalog, parse_command_line(LINE)).candidate_ids)
        await service.stories.close()
        return found


def test_a_fingerprint_kept_over_an_index_missing_cards_is_not_trusted(tmp_path: Path) -> None:
    """Another process (a tool, an older bot's half-done cleanup) deletes a card's rows from
    the index and leaves ``story_meta``'s fingerprint as it was: the next start of the same
    cards took the index as holding them (the fingerprint matched, and both tables still
    agreed in their counts), and that drama's story was never found again until a card
    changed. The index must hold a row per served card for the fingerprint to count."""
    cards = _copy_cards(tmp_path)
    database = tmp_path / "bot.sqlite3"
    assert asyncio.run(_served_and_found(cards, database)) == FOUND
    with sqlite3.connect(stories_path(str(database)) or "") as db:
        (rowid,) = db.execute("SELECT id FROM story_cards WHERE slug = ?", (LAWYER,)).fetchone()
        db.execute("DELETE FROM stories WHERE rowid = ?", (rowid,))
        db.execute("DELETE FROM story_cards WHERE id = ?", (rowid,))
        (kept,) = db.execute("SELECT count(*) FROM story_meta WHERE key = 'catalog'").fetchone()
    assert kept == 1  # (the fingerprint left in place)
    assert asyncio.run(_served_and_found(cards, database)) == FOUND


#: One shard: its index brought up to date; once the index is damaged, a search that finds
#: it so; then, at the go, the rebuild (what it wrote on stdout, the log on stderr).
_SHARD = """
import logging, sys, time
from pathlib import Path
from bot.bench.synthetic import synthetic_cards
from bot.catalog.story_index import StoryIndex
logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
path, folder, count, shard = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]

def wait(name):
    while not (folder / name).exists():
        time.sleep(0.002)

cards = {card.slug: card for card in synthetic_cards(count)}
digests = {slug: "d" + slug for slug in cards}
index = StoryIndex(path)
index.sync(cards, digests)
(folder / ("synced-" + shard)).touch()
wait("damaged")
assert index.search(["romance"]) == [] and index.damaged
(folder / ("found-" + shard)).touch()
wait("go")
written = index.sync(cards, digests)
print(written, len(index.search(["romance"])) > 0)
"""


def _when_all(folder: Path, name: str, processes: list[subprocess.Popen[str]]) -> None:
    deadline = time.monotonic() + 120
    while not all((folder / f"{name}-{shard}").exists() for shard in ("a", "b")):
        assert time.monotonic() < deadline and all(p.poll() is None for p in processes)
        time.sleep(0.01)


def test_two_shards_finding_the_index_damaged_at_once_build_it_once(tmp_path: Path) -> None:
    """Two processes sharing a database both find the index damaged (overwritten) and build
    it again at the same moment. Before: each deleted the file and built its own (the first
    one's 2,000 cards' rows went to a file the second had unlinked: the work done twice, the
    last file kept). Now the rebuilds take turns across processes and the second finds the
    file built again since it saw the damage: it compares the cards with it, writes
    nothing, and both find stories in the same file."""
    index = tmp_path / "bot.sqlite3-stories"
    count = 2_000
    shards = shard_processes(_SHARD, str(index), str(tmp_path), str(count))
    try:
        _when_all(tmp_path, "synced", shards)
        for suffix in ("-wal", "-shm"):
            Path(f"{index}{suffix}").unlink(missing_ok=True)
        index.write_bytes(b"not an index at all " * 2_000)
        (tmp_path / "damaged").touch()
        _when_all(tmp_path, "found", shards)
        (tmp_path / "go").touch()
        outputs = [shard.communicate(timeout=120) for shard in shards]
    finally:
        for shard in shards:
            if shard.poll() is None:
                shard.kill()
                shard.communicate()
    assert [shard.returncode for shard in shards] == [0, 0], outputs
    # (each shard's search said what it found, and nothing else was logged: no file moved
    # to a temporary one, nothing built twice)
    for _, err in outputs:
        assert [line.split(" (")[0] for line in err.splitlines()] == [
            f"WARNING the story index {index} cannot be read"
        ], outputs
    written = sorted(out.split()[0] for out, _ in outputs)
    assert written == ["0", str(count)], outputs  # (built once; the other used it)
    assert [out.split()[1] for out, _ in outputs] == ["True", "True"], outputs
    with sqlite3.connect(index) as db:
        listed, slugs = db.execute(
            "SELECT count(*), count(DISTINCT slug) FROM story_cards"
        ).fetchone()
    assert listed == slugs == count
