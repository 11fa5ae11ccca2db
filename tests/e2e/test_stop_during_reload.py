"""The unmodified ``drama-bot run`` stopped (SIGTERM) while an admin's ``/reload`` reads a
big cards folder in worker processes (round 9, branch ``polish9``): it ends with exit 0 and
no traceback, leaves no process of its own behind, and its database answers after."""

from __future__ import annotations

import asyncio
import shutil
import signal
import time
from pathlib import Path

from bot.bench.synthetic import synthetic_cards, write_cards
from tests.conftest import SHIPPED_CARDS
from tests.standins.discord import DiscordStandIn
from tests.test_cli import drama_bot

from .processes import drama_bot_serving, write_config

READ_TIMEOUT = 60.0  # writing and reading 2,400 cards on a busy 2-core machine


def _descendants(root: int) -> list[int]:
    """Every process below ``root`` (its children, theirs...), from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_bytes().rpartition(b")")[2].split()
            except OSError:
                continue
            if stat[0] not in (b"Z", b"X"):
                parents[int(entry.name)] = int(stat[1])
    found, frontier = [], [root]
    while frontier:
        below = [pid for pid, parent in parents.items() if parent in frontier]
        found += below
        frontier = below
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_bytes().rpartition(b")")[2].split()[0]
    except OSError:
        return False
    return state not in (b"Z", b"X")


async def test_sigterm_during_a_reload_stops_cleanly_and_leaves_nothing_behind(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    cards = tmp_path / "cards"
    for _ in write_cards(synthetic_cards(2_400, 7), cards):
        pass
    for card in SHIPPED_CARDS.glob("*.yaml"):
        shutil.copy(card, cards)
    config = write_config(tmp_path, standin, data_dir=str(cards))
    async with drama_bot_serving(standin, tmp_path, config) as process:
        # every card changed on disk: the reload reads them all, in worker processes
        for card in cards.glob("*.yaml"):
            card.write_text(card.read_text("utf-8") + "# touched\n", "utf-8")
        # the watcher has started reading them already; the admin's /reload comes in, and
        # is often still being answered when the stop comes (it then failed for the stop)
        reload = await standin.send_slash("reload", user=standin.owner)
        deadline = time.monotonic() + READ_TIMEOUT
        while len(_descendants(process.pid)) < 2:  # the forkserver and its readers
            assert process.returncode is None and time.monotonic() < deadline, "no readers"
            await asyncio.sleep(0.02)
        helpers = _descendants(process.pid)
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), READ_TIMEOUT)
    errors = stderr.decode()
    assert process.returncode == 0, errors[-3000:]
    assert "Traceback" not in errors and " ERROR " not in errors, errors[-3000:]
    deadline = time.monotonic() + 10
    while left := [pid for pid in helpers if _alive(pid)]:
        assert time.monotonic() < deadline, f"left running: {left}"
        await asyncio.sleep(0.1)
    standin.clear_violations()  # the reload's answer was never sent: the bot was stopped
    # (and on a loaded machine the stop can come before the reload was even acknowledged)
    standin.expect_unanswered(reload)

    # the database the reload was stopped in answers (not moved aside as damaged), and holds
    # the catalog: the next start of the same state
    database = tmp_path / "state" / "drama-bot.sqlite3"
    done = drama_bot("ask", "--data", str(cards), "--database", str(database), "/drama run on")
    assert done.returncode == 0 and "Run On (2020)" in done.stdout, done.stderr
    assert "damaged" not in done.stderr
    assert [p.name for p in database.parent.iterdir() if ".damaged-" in p.name] == []
