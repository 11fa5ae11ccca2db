"""A one-card edit's reload, and the work it leaves for the background (the keeping of the new
catalog, the freeing of what it replaced), does about the same work whatever the catalog's
size: nothing in it hashes, sorts or walks every card (branch ``stall17``: at 100,000 cards the
watched reload after an edit waited for a fingerprint of every card and two dicts of 100,000
items freed one at a time, 250 ms of CPU).

Counted, not timed: every call of a C function (a hash, a ``popitem``, a sort) made by any
thread of the process while a real service on a real SQLite file reloads one edited card as
the watcher names it and then finishes what it left for the background."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.answering.answers import answer
from bot.answering.commands import parse_command_line
from bot.answering.render import render
from bot.bench.synthetic import synthetic_cards, write_cards
from bot.cards.loader import load_cards
from tests.catalog_helpers import started_service
from tests.conftest import REPO, SHIPPED_CARDS


def _calls_for_one_edit(folder: Path, database: Path) -> int:
    run = [sys.executable, "-m", "tests.one_card_calls", str(folder), str(database)]
    done = subprocess.run(run, cwd=REPO, capture_output=True, text=True, timeout=300, check=True)
    return int(done.stdout.split()[-1])


def _catalog(folder: Path, size: int) -> None:
    shipped = load_cards(SHIPPED_CARDS).cards
    for _ in write_cards(synthetic_cards(size, seed=11, avoid=shipped), folder):
        pass


def test_a_one_card_edit_costs_the_same_in_a_catalog_four_times_bigger(
    shipped_copy: Path, tmp_path: Path
) -> None:
    small, big = tmp_path / "small", tmp_path / "big"
    for folder, size in ((small, 300), (big, 1_500)):
        folder.mkdir()
        for path in shipped_copy.iterdir():
            (folder / path.name).write_bytes(path.read_bytes())
        _catalog(folder, size)
    at_small = _calls_for_one_edit(small, tmp_path / "small.sqlite3")
    at_big = _calls_for_one_edit(big, tmp_path / "big.sqlite3")
    cards = len(list(big.glob("*.yaml"))), len(list(small.glob("*.yaml")))
    assert cards[0] > 3 * cards[1]
    # The same work but for noise (a thread's wait, a few log records): not one call per card.
    assert at_big - at_small < (cards[0] - cards[1]) / 4, (at_small, at_big, cards)


async def test_a_catalog_still_in_use_keeps_every_card_after_an_edit_replaced_it(
    shipped_copy: Path, tmp_path: Path
) -> None:
    """What an in-place edit replaced is emptied in one call only when nothing else holds it:
    an answer still working on the replaced catalog reads every card of it."""
    async with started_service(shipped_copy, tmp_path / "bot.sqlite3") as service:
        await service.flush()
        before = service.catalog
        slugs = list(before.cards)
        card = shipped_copy / "run-on.yaml"
        card.write_text(card.read_text("utf-8").replace("episodes: 16", "episodes: 17"), "utf-8")
        report = await service.reload(names=["run-on.yaml"])
        assert report.applied and service.catalog is not before
        await service.flush()  # (what the edit replaced, freed)
        assert list(before.cards) == slugs and before.cards["run-on"].episodes == 16
        shown = render(answer(before, parse_command_line("/drama Run On")), 1)
        assert "16" in str(shown["embeds"])
