"""Fan-side round 15 (branch polish15): what fans still typed that the bot missed, through the
answer layer and ``drama-bot ask --json``: a slip in a word of three letters or fewer in a
run of a title's words ("landing on yuo", "cha cha chaa").
"""

from __future__ import annotations

import pytest

from bot.catalog.snapshot import Catalog
from tests.answer_helpers import got


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        # each not found on main (3794ceb): a run of a title's words, a short word in it
        # typed with two letters swapped or one doubled
        ("/drama landing on yuo", "crash-landing-on-you"),
        ("/drama cha cha chaa", "hometown-cha-cha-cha"),
        ("/stream cha chaa cha", "hometown-cha-cha-cha"),
        ("/drama what yuo saw", "tell-me-what-you-saw"),
        ("/rating drink nwo", "work-later-drink-now"),
    ],
)
def test_a_short_word_swapped_or_doubled_in_a_run(
    shipped_catalog: Catalog, line: str, meant: str
) -> None:
    assert got(shipped_catalog, line) == (meant, ())


@pytest.mark.parametrize(
    "line",
    [
        # a short word with another slip (a wrong key, a letter left out) is as likely
        # another word: not found, as on main
        "/drama landing on yoi",
        "/drama cha cha chab",
        "/drama cha cha ch",
    ],
)
def test_a_short_word_otherwise_slipped_names_nothing(shipped_catalog: Catalog, line: str) -> None:
    assert got(shipped_catalog, line) == (None, ())
