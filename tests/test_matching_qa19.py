"""Fan-side round 19 (branch polish19): what fans still typed that the bot missed, through the
answer layer and ``drama-bot ask --json`` (the story index is a service's: story lines go
through one process for the module). Round 18's leftovers, each generalised: a season in
another language's words ("kingdom season deux", "saison 2"), a number word after a whole
name when we hold that season ("hellbound two"), a short role's name after a title word ("mr
gu"), words before a title ("> quote the heirs", "1. the heirs"), stories in fans' words (a
drama's own name or a short actor's name among them: "the one with the goblin"). Then what
the round's blind writer found: two seasons weighed ("hellbound 2 vs 1"), a drama's name
among other words ("goblin rewatch value": offered), chat words, an age ("in their 30s").

Last, the lines of this round's blind writer (``tests/fixtures/fan_queries_round19.yaml``,
each with its judged ``want``), all through one ``drama-bot ask --json`` process: none may be
a confident answer about another drama or person."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.catalog.snapshot import Catalog
from tests.answer_helpers import asked, assert_offered, fan_round, got


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        # each not found on main (bc32f29): a season in another language's words, after a
        # season word (in any of them) or as an ordinal before one
        ("/drama kingdom season deux", "kingdom-2"),
        ("/drama kingdom saison 2", "kingdom-2"),
        ("/drama kingdom temporada dos", "kingdom-2"),
        ("/drama kingdom staffel zwei", "kingdom-2"),
        ("/drama kingdom deuxième saison", "kingdom-2"),
        ("/drama sweet home season tres", "sweet-home-3"),
        ("/stream hellbound saison deux", "hellbound-2"),
        # each a did-you-mean of both seasons on main: a number word after a drama's whole
        # name (an alias too) is its season when we hold that season
        ("/drama hellbound two", "hellbound-2"),
        ("/rating sweet home three", "sweet-home-3"),
        ("/drama hospital playlist two", "hospital-playlist-2"),
        ("/drama secret forest two", "stranger-2"),
        # not found on main: "quote(s) from" before a title; a Markdown list item's number
        ("/drama > quote the heirs", "the-heirs"),
        ("/drama best quotes from my mister", "my-mister"),
        ("/drama 1. the heirs", "the-heirs"),
        ("/drama 2) vincenzo", "vincenzo"),
        # not found on main: chat words ("abt", "when", "thoughts", "good morning", "ok so")
        ("/drama good morning!! tell me abt vincenzo", "vincenzo"),
        ("/drama whats the glory abt", "the-glory"),
        ("/drama squid game s2 when", "squid-game-2"),
        ("/drama ok so vincenzo. thoughts??", "vincenzo"),
        ("/rating goblin rewatch value", "guardian-the-lonely-and-great-god"),
        # not found on main: Hangul words romanized with a word half in Hangul
        ("/drama sarang의 불시착", "crash-landing-on-you"),
    ],
)
def test_answered(shipped_catalog: Catalog, line: str, slug: str) -> None:
    assert got(shipped_catalog, line) == (slug, ())


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        # each answered with one season on main (bc32f29): two seasons weighed
        ("/rating hellbound 2 vs 1", ("hellbound", "hellbound-2")),
        ("/rating sweet home 1 vs 2", ("sweet-home", "sweet-home-2")),
        ("/drama hellbound 1 or 2", ("hellbound", "hellbound-2")),
        ("/drama voice 3 or 4", ("voice-3", "voice-4")),
        ("/rating squid game season 1 vs season 2", ("squid-game", "squid-game-2")),
        # each answered on main (bc32f29): a season of a drama the title part only may mean,
        # with a word its names lack (a title we lack: "Doctor Stranger")
        ("/drama doctor stranger season 2", ("stranger-2",)),
        ("/drama hospital playlist movie season 2", ("hospital-playlist-2",)),
        ("/drama sweet home 4 season 2", ("sweet-home-2",)),
        # not found on main: a drama's name among other words, offered (with its season)
        ("/drama navillera ballet grandpa", ("navillera",)),
        ("/cast squid game s2 new players", ("squid-game-2",)),
        ("/similar dramas like the glory revenge", ("the-glory",)),
        ("/drama vincenzo mafia lawyer comedy", ("vincenzo",)),
        # not found on main: a role's name of four letters after a title word, spelt exactly
        ("/actor who plays mr gu", ("son-suk-ku",)),
        ("/actor mr gu", ("son-suk-ku",)),
        ("/actor who plays mr gu the drifter", ("son-suk-ku",)),
        ("/actor who plays sang tae the older brother", ("oh-jung-se",)),
        # a story search on main (Love in the Moonlight): a word of the name before "one",
        # then an actor, picks among his dramas
        ("/drama the reply one with park bo gum", ("reply-1988",)),
    ],
)
def test_offered(shipped_catalog: Catalog, line: str, offered: tuple[str, ...]) -> None:
    assert_offered(shipped_catalog, line, offered)


@pytest.mark.parametrize(
    "line",
    [
        # W on main: a name of a letter or two typed with a letter doubled says too little
        "/drama ww",
        "/drama www",
        "/drama ddp",
        # as on main: a foreign number word with no season word; a season we do not hold; a
        # short name with no title word; a one-letter name with nothing around it
        "/drama kingdom dos",
        "/drama sweet home four",
        "/actor who plays mr go",
        "/actor gu",
    ],
)
def test_no_answer(shipped_catalog: Catalog, line: str) -> None:
    assert got(shipped_catalog, line)[0] is None


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        # as on main
        ("/drama w", "w"),
        ("/drama dp", "d-p"),
        ("/drama moobing", "moving"),
        ("/drama twenty five twenty one", "twenty-five-twenty-one"),
        ("/drama kingdom season 2", "kingdom-2"),
        ("/drama when the camellia blooms", "when-the-camellia-blooms"),
        ("/drama reply 1988", "reply-1988"),
        ("/drama naui 아저씨", "my-mister"),
        ("/drama romantic doctor kim 3", "romantic-doctor-teacher-kim-3"),
        ("/drama hospitl playlist 2", "hospital-playlist-2"),
    ],
)
def test_as_on_main(shipped_catalog: Catalog, line: str, slug: str) -> None:
    assert got(shipped_catalog, line) == (slug, ())


# (line, the drama it describes): each not found on main (bc32f29). Round 17's and 18's lines
# left undone are in their fixtures; these are written for this test.
STORIES = [
    # a drama's own name among the words (Goblin, Dokkaebi: Guardian's aliases)
    ("/drama the one with the goblin", "guardian-the-lonely-and-great-god"),
    ("/drama the one with the dokkaebi", "guardian-the-lonely-and-great-god"),
    ("/drama immortal goblin with a sword in his chest", "guardian-the-lonely-and-great-god"),
    # a person's name of two letters ("iu": the review names her)
    ("/drama the hotel for ghosts with iu in it", "hotel-del-luna"),
    # fans' words for what a review says otherwise
    ("/drama the spy temp worker and the engineer", "my-mister"),
    ("/drama the 119 call center lady with super hearing", "voice"),
    ("/drama king sejong hangul murders", "tree-with-deep-roots"),
    ("/drama the one where he's reborn as a chaebol grandson", "reborn-rich"),
    ("/drama the one where the guy keeps dying in other bodies", "deaths-game"),
    ("/drama the casino boss one", "big-bet"),
    ("/drama fencer in the imf crisis", "twenty-five-twenty-one"),
    ("/drama rich moms and a coordinator for med school", "sky-castle"),
    ("/drama the student who finds out she lives in a comic", "extraordinary-you"),
    # an age is no decade: "in their 30s" (the review: "in their thirties")
    ("/drama the three friends in their 30s", "work-later-drink-now"),
]
# (line, the dramas offered): "the one with" an actor, his dramas (a story search on main,
# Love in the Moonlight alone: its review names him)
ACTORS = [("/drama the one with park bo gum", ("love-in-the-moonlight", "reply-1988"))]
# Each not found on main, and still: stories of nothing.
NOT_STORIES = [
    "/drama the spy who flies a spaceship to mars",
    "/drama the penguin who runs a bakery on the moon",
    "/drama the boy who cried wolf",
]


@pytest.fixture(scope="module")
def answered() -> dict[str, dict[str, Any]]:
    lines = [line for line, _ in STORIES + ACTORS] + NOT_STORIES
    return {record["command"]: record for record in asked(*lines)}


@pytest.mark.parametrize(("line", "slug"), STORIES, ids=[line for line, _ in STORIES])
def test_a_story_offers_its_drama(
    answered: dict[str, dict[str, Any]], line: str, slug: str
) -> None:
    record = answered[line]
    assert record["card"] is None and slug in record["candidates"], record["candidates"]


@pytest.mark.parametrize(("line", "offered"), ACTORS)
def test_the_one_with_an_actor_offers_his_dramas(
    answered: dict[str, dict[str, Any]], line: str, offered: tuple[str, ...]
) -> None:
    record = answered[line]
    assert record["card"] is None and set(offered) <= set(record["candidates"]), record


@pytest.mark.parametrize("line", NOT_STORIES)
def test_no_drama_is_offered(answered: dict[str, dict[str, Any]], line: str) -> None:
    assert (answered[line]["card"], answered[line]["candidates"]) == (None, [])


# 337 rows (none repeats an earlier round's line), 85 with no confident answer wanted (78 about
# dramas, seasons or actors we do not have; 7 left undone, noted); all asked through one
# ``drama-bot ask --json`` process.
records, test_the_set_is_as_documented, test_fan_query = fan_round(
    Path(__file__).parent / "fixtures" / "fan_queries_round19.yaml", 337, absent=85
)
