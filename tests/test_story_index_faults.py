"""The story index (``<database>-stories``) under faults an outsider causes: two processes
(shards of one bot) bringing the same index up to date at the same moment, the file locked,
deleted, truncated or replaced while a catalog serves. Real processes, real SQLite files, the
real catalog service; never an error for the fan, and the index builds itself again."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO

#: One shard's update of the index: its cards, then, when the go file appears, the update
#: (the log's warnings on stderr, the count written on stdout).
_SHARD = """
import logging, sys, time
from pathlib import Path
from bot.bench.synthetic import synthetic_cards
from bot.catalog.story_index import StoryIndex
logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
path, go, count, shard = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
cards = {card.slug: card for card in synthetic_cards(count)}
digests = {slug: shard + slug for slug in cards}
Path(go.parent / ("ready-" + shard)).touch()
while not go.exists():
    time.sleep(0.002)
print(StoryIndex(path).sync(cards, digests))
"""


def test_two_shards_updating_the_index_at_once_never_take_it_for_damaged(
    tmp_path: Path,
) -> None:
    """Two processes sharing a database start together: each compares every card with the
    index and writes it. Each batch is one transaction, so neither sees the other's rows half
    written (before: every statement committed alone, both took the same next row id, and the
    second logged "the story index … is damaged (UNIQUE constraint failed: story_cards.id);
    building it again", deleting the file under the other)."""
    index = tmp_path / "bot.sqlite3-stories"
    go = tmp_path / "go"
    count = 2_500
    shards = [
        subprocess.Popen(
            [sys.executable, "-c", _SHARD, str(index), str(go), str(count), shard],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for shard in ("a", "b")
    ]
    deadline = time.monotonic() + 120
    while not all((tmp_path / f"ready-{shard}").exists() for shard in ("a", "b")):
        assert time.monotonic() < deadline and all(p.poll() is None for p in shards)
        time.sleep(0.01)
    go.touch()
    outputs = [shard.communicate(timeout=120) for shard in shards]
    assert [shard.returncode for shard in shards] == [0, 0], outputs
    assert [err for _, err in outputs] == ["", ""]  # (no warning: nothing taken for damage)
    with sqlite3.connect(index) as db:
        listed, slugs = db.execute(
            "SELECT count(*), count(DISTINCT slug) FROM story_cards"
        ).fetchone()
        (rows,) = db.execute("SELECT count(*) FROM stories").fetchone()
    assert listed == slugs == rows == count
