"""The start's last long holds of the GIL (branch ``cold19``), counted through a real service
on real card files and a real SQLite file, at two catalog sizes; not timed.

- The big folder's listing, read back from the listing process (``listing._stamps``): at
  100,000 cards a Python loop over every file held the GIL 42 ms in one traced cold load. It
  is read a piece at a time with a pause between pieces (``turns.give_way``), and what it
  calls between two pauses does not grow with the folder.
- A warm start of unchanged cards let go of the served entries dict (every entry shared with
  the new one) by walking it item by item: 14 to 17 ms of CPU in one turn at 100,000 cards.
  It is let go in one call (``heap.Shared``): the release makes the same calls at both sizes.
- The story index's compare with the served cards (after a start that found an edit) called a
  ``lambda`` per card, twice (0.30 s of CPU at 100,000 cards): each piece is one comprehension.

Counted with ``tests.counted_starts`` (a call is a Python or C function called inside the
code looked at, in whichever thread runs it; a ``time.sleep`` there is ``give_way``'s pause)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.catalog import heap, listing
from bot.catalog.story_index import StoryIndex
from tests import counted_starts as starts


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two catalogs, the shipped cards and 300 or 1,500 synthetic cards."""
    return starts.catalogs(tmp_path_factory, seed=19)


def test_the_listing_read_back_pauses_every_piece_whatever_the_folder_size(
    folders: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (pieces smaller than the small folder, so that both folders fill many of them)
    monkeypatch.setattr(listing, "_PIECE", "64")
    counted: dict[str, starts.Calls] = {}
    served: dict[str, int] = {}
    for name, folder in folders.items():
        counted[name] = starts.Calls(listing._stamps.__code__)
        served[name] = starts.start(folder, tmp_path / f"{name}.sqlite3", counted[name], apart=True)
    small, big = counted["small"], counted["big"]
    assert small.entered == big.entered == 1  # (listed in the other process, read here once)
    assert served["big"] - served["small"] > 1_000
    # A pause a piece: about five times as many pieces in the big folder (main: none).
    assert small.pauses >= 3 and big.pauses >= 3 * small.pauses, (small.pauses, big.pauses)
    # And no more work between two pauses than in the small folder (main: all of it).
    assert big.most_between_pauses <= 1.5 * small.most_between_pauses, (
        small.most_between_pauses,
        big.most_between_pauses,
    )


def test_a_warm_start_of_unchanged_cards_lets_the_served_entries_go_at_once(
    folders: dict[str, Path], tmp_path: Path
) -> None:
    code = heap._dismantle_and_trim.__code__
    small, big, more_cards = starts.counted_warm_starts(folders, tmp_path, code)
    assert small.entered >= 1 and big.entered == small.entered  # (what a start frees)
    assert more_cards > 1_000
    # The same work at both sizes but for noise: not a call per card (main: 2 and more).
    assert big.calls - small.calls < more_cards / 10, (small.calls, big.calls, more_cards)


def test_the_story_compare_after_a_start_with_an_edit_calls_nothing_per_card(
    folders: dict[str, Path], tmp_path: Path
) -> None:
    """A start that finds a card edited while the bot was down compares every card's digest
    with the story index's (in pieces: ``stall18``); the compare calls no function per card
    (main: a ``lambda`` per card, twice)."""
    counted: dict[str, starts.Calls] = {}
    served: dict[str, int] = {}
    for name, shared in folders.items():
        folder = tmp_path / name / "cards"
        shutil.copytree(shared, folder)
        database = tmp_path / f"{name}.sqlite3"
        starts.start(folder, database)  # (the cold start: the index built)
        card = folder / "navillera.yaml"
        text = card.read_text("utf-8")
        assert starts.OLD_HEADLINE in text
        card.write_text(text.replace(starts.OLD_HEADLINE, starts.NEW_HEADLINE), "utf-8")
        counted[name] = starts.Calls(StoryIndex._sync.__code__)
        served[name] = starts.start(folder, database, counted[name])
    small, big = counted["small"], counted["big"]
    assert small.entered == big.entered == 1
    more_cards = served["big"] - served["small"]
    assert more_cards > 1_000
    assert big.calls - small.calls < more_cards / 10, (small.calls, big.calls, more_cards)
