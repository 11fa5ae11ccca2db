"""The story index (``<database>-stories``) under faults an outsider causes: two processes
(shards of one bot) bringing the same index up to date at the same moment, the file locked,
deleted, truncated or replaced while a catalog serves. Real processes, real SQLite files, the
real catalog service; never an error for the fan, and the index builds itself again."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.answering.commands import parse_command_line
from bot.answering.dispatch import answer
from bot.answering.render import render
from bot.catalog import story_index
from bot.catalog.service import CatalogService
from bot.catalog.store import Store
from bot.catalog.story_index import stories_path
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


def shard_processes(script: str, *args: str) -> list[subprocess.Popen[str]]:
    """Two processes, shards ``a`` and ``b``, each running ``script`` with ``args`` and its
    shard's name as arguments (from the checkout; stdout and stderr read as text)."""
    return [
        subprocess.Popen(
            [sys.executable, "-c", script, *args, shard],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for shard in ("a", "b")
    ]


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
    shards = shard_processes(_SHARD, str(index), str(go), str(count))
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


LINE = "/drama the one where the lawyer has autism"
FOUND = ["extraordinary-attorney-woo"]


def _found(service: CatalogService) -> list[str]:
    return list(answer(service.catalog, parse_command_line(LINE)).candidate_ids)


def _said(service: CatalogService, line: str) -> str:
    """What a fan reads for ``line`` (the text of ``drama-bot ask --json``'s message)."""
    content: str = render(answer(service.catalog, parse_command_line(line)), 1, "en")["content"]
    return content


def _copy_cards(tmp_path: Path) -> Path:
    cards = tmp_path / "cards"
    shutil.copytree(REPO / "data" / "cards", cards)
    return cards


def _fault(index: Path, fault: str) -> None:
    if fault == "deleted":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{index}{suffix}").unlink(missing_ok=True)
    elif fault == "truncated":
        os.truncate(index, 0)
    else:  # overwritten by something else
        index.write_bytes(b"not an index at all " * 2_000)


@pytest.mark.parametrize("fault", ["deleted", "truncated", "overwritten"])
def test_an_index_lost_while_serving_is_built_again_without_a_reload(
    tmp_path: Path, fault: str
) -> None:
    """The ``-stories`` file deleted, truncated or overwritten under a serving catalog whose
    cards never change: the search that meets it finds nothing (a warning, no error), and
    the index is built again from the served cards at once (before: only at the next start
    or reload, so a bot whose cards did not change never found a story again)."""
    cards = _copy_cards(tmp_path)
    database = tmp_path / "bot.sqlite3"
    index = Path(stories_path(str(database)) or "")

    async def scenario() -> tuple[list[str], list[str], list[str]]:
        async with Store.open(database) as store:
            service = CatalogService(store, cards)
            await service.start()
            await service.flush()
            first = _found(service)
            _fault(index, fault)
            lost = _found(service)
            healed: list[str] = []
            for _ in range(300):  # (up to 15 s: a background sync of 109 cards)
                await asyncio.sleep(0.05)
                await service.flush()
                if healed := _found(service):
                    break
            await service.stories.close()
            return first, lost, healed

    first, lost, healed = asyncio.run(scenario())
    assert first == FOUND
    assert lost == []
    assert healed == FOUND
    assert index.stat().st_size > 0


_LOCKER = """
import sqlite3, sys, time
from pathlib import Path
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA locking_mode = EXCLUSIVE")
db.execute("BEGIN EXCLUSIVE")
db.execute("DELETE FROM story_meta WHERE 0")
print("locked", flush=True)
while not Path(sys.argv[2]).exists():
    time.sleep(0.01)
db.execute("COMMIT")
db.close()
"""


def test_an_index_locked_by_another_process_is_not_taken_for_damage(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process holds the index's lock (a backup tool, an ``sqlite3`` shell, an
    exclusive-mode connection): searches find nothing meanwhile, the first one after waiting
    the lock's timeout and the next ones at once (one warning, not one per keystroke of an
    autocomplete, each holding a worker thread for 2 s); once the lock is gone, found again;
    the file is never deleted for it (before: marked damaged, and the next update deleted the
    file and built it again)."""
    monkeypatch.setattr(story_index, "LOCKED_PAUSE", 2.0)
    cards = _copy_cards(tmp_path)
    database = tmp_path / "bot.sqlite3"
    index = Path(stories_path(str(database)) or "")
    release = tmp_path / "release"

    async def scenario() -> tuple[list[str], list[str], list[str], int, int, list[str]]:
        async with Store.open(database) as store:
            service = CatalogService(store, cards)
            await service.start()
            await service.flush()
            first = _found(service)
            inode = index.stat().st_ino
            locker = await asyncio.create_subprocess_exec(
                sys.executable, "-c", _LOCKER, str(index), str(release), stdout=subprocess.PIPE
            )
            assert locker.stdout is not None and await locker.stdout.readline() == b"locked\n"
            locked = [*_found(service), *_found(service), *_found(service)]
            said = _said(service, "/browse about:lawyer autism")
            release.touch()
            assert await asyncio.wait_for(locker.wait(), 30) == 0
            (cards / "run-on.yaml").write_text(
                (cards / "run-on.yaml").read_text("utf-8").replace("episodes: 16", "episodes: 17"),
                "utf-8",
            )
            await service.reload()
            await service.flush()
            await asyncio.sleep(2.1)  # (LOCKED_PAUSE, as set above)
            again = _found(service)
            said_after = _said(service, "/browse about:lawyer autism")
            await service.stories.close()
            return first, locked, again, inode, index.stat().st_ino, [said, said_after]

    with caplog.at_level(logging.WARNING, logger="bot.catalog.story_index"):
        first, locked, again, inode, after, said = asyncio.run(scenario())
    messages = caplog.messages
    assert first == FOUND
    assert locked == []
    # /browse about: says the search is unavailable, not that no story matches (before:
    # "No drama's story matches “lawyer autism”. Try other words, or fewer.")
    assert (
        said[0] == "The story search is being brought up to date just now. Try again in a minute."
    )
    assert said[1].startswith("Dramas whose story matches")
    assert again == FOUND
    assert after == inode  # (never deleted and made again)
    assert len([m for m in messages if "locked by another process" in m]) == 1, messages
    assert not [m for m in messages if "damaged" in m or "building it again" in m], messages
