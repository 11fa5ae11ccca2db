"""Fan-side round 20 (branch polish20): what fans still typed that the bot missed, through the
answer layer and ``drama-bot ask --json`` (the story index is a service's: story lines go
through one process for the module). The round's blind writer leaned on long rambling lines
with the title in the middle and on two questions in one line: a drama's whole name anywhere
among the words is now offered when nothing else found the line (never answered), with the
earlier rounds' rules for short lines kept ("i just loved the glory so much tbh", "goblin
hospital tunnel", "squid game and what is love", "goblin the one with the grim reaper"). And
stories: an age ("a 70 year old grandpa") and "ends up" say nothing of a story; "yrs" is
years, a grandpa an old man, a cartoonist one who draws, parents mothers or families.

Last, the lines of this round's blind writer (``tests/fixtures/fan_queries_round20.yaml``,
each with its judged ``want``), all through one ``drama-bot ask --json`` process: none may be
a confident answer about another drama or person."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.catalog.snapshot import Catalog
from tests.answer_helpers import asked, assert_offered, fan_round, got


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        # each not found on main (eef2ac7): a drama's name inside a long line (15 words or
        # more: names of everyday words too, "sky castle")
        (
            "/drama ok so my sister will not stop talking about hospital playlist and i have "
            "no idea what it even is, help",
            ("hospital-playlist",),
        ),
        (
            "/cast in the middle of a long week and someone at work told me to try sky castle "
            "so who is in it",
            ("sky-castle",),
        ),
        (
            "/drama someone at work said vincenzo and itaewon class are the best so which one "
            "should i start first tonight",
            ("vincenzo", "itaewon-class"),
        ),
        # not found on main: two questions in a shorter line, the name set apart by a mark
        # or as the subject of "is"/"was"
        ("/rating is tunnel scary? asking for my mom", ("tunnel",)),
        ("/drama was voice good or too gory? and how many seasons", ("voice",)),
    ],
)
def test_a_name_inside_a_line_is_offered(
    shipped_catalog: Catalog, line: str, offered: tuple[str, ...]
) -> None:
    assert_offered(shipped_catalog, line, offered)


@pytest.mark.parametrize(
    "line",
    [
        # as on main: in a shorter line, a name of everyday words not set apart says too
        # little (round 7's rule), "is" before a name is a subject only starting the line, two
        # names or a name joined to more are no one drama (rounds 5's and 15's rules)
        "/drama i just loved the glory so much tbh",
        "/drama my friend is moving house this weekend",
        "/drama i was at the signal when it happened",
        "/drama my name is something",
        "/drama goblin hospital tunnel",
        "/drama squid game and what is love",
    ],
)
def test_a_short_sentence_names_nothing(shipped_catalog: Catalog, line: str) -> None:
    assert got(shipped_catalog, line) == (None, ())


GOBLIN, SCARLET = "guardian-the-lonely-and-great-god", "moon-lovers-scarlet-heart-ryeo"
# (line, the drama it describes): none offered on main (eef2ac7).
STORIES = [
    # an age ("939 year old") and "ends up" are no words of a story
    ("/drama the 939 year old general with a sword in his chest", GOBLIN),
    ("/drama a pitcher who ends up in prison", "prison-playbook"),
    ("/drama a 30 year old woman who ends up in goryeo during an eclipse", SCARLET),
    # "yrs" is years; a grandpa an old man (the review: "a seventy-year-old man")
    ("/drama exes filmed for a documentary and filmed again yrs later", "our-beloved-summer"),
    ("/drama the grandpa who dances ballet", "navillera"),
    # a cartoonist (the review: "the webtoon her father draws"; The Glory on main), parents
    # (mothers: Reply 1988 alone on main)
    ("/drama the one about a cartoonist and his daughter the surgeon", "w"),
    ("/drama a drama about rich parents and their kids exams", "sky-castle"),
]
# Each not found on main, and still: no story, and no name set apart.
NOT_STORIES = ["/drama a 40 year old astronaut who ends up on mars"]


@pytest.fixture(scope="module")
def answered() -> dict[str, dict[str, Any]]:
    lines = [line for line, _ in STORIES] + NOT_STORIES
    return {record["command"]: record for record in asked(*lines)}


@pytest.mark.parametrize(("line", "slug"), STORIES, ids=[line for line, _ in STORIES])
def test_a_story_offers_its_drama(
    answered: dict[str, dict[str, Any]], line: str, slug: str
) -> None:
    record = answered[line]
    assert record["card"] is None and slug in record["candidates"], record["candidates"]


@pytest.mark.parametrize("line", NOT_STORIES)
def test_no_drama_is_offered(answered: dict[str, dict[str, Any]], line: str) -> None:
    assert (answered[line]["card"], answered[line]["candidates"]) == (None, [])


# 309 rows (none repeats an earlier round's line), 102 with no confident answer wanted (92
# about dramas, seasons or actors we do not have; 10 left undone, noted); all asked through
# one ``drama-bot ask --json`` process.
records, test_the_set_is_as_documented, test_fan_query = fan_round(
    Path(__file__).parent / "fixtures" / "fan_queries_round20.yaml", 309, absent=102
)
