"""Fan-side round 16 (branch polish16): what fans still typed that the bot missed, through the
answer layer and ``drama-bot ask --json``: a title or a name typed half in Hangul, half in
Latin letters ("the 글로리", "현bin"); the country of a ``/stream`` chat question ("does anyone
know where i can watch boyhood in the us", "moving in japan these days").

Last, the lines of this round's blind writer (``tests/fixtures/fan_queries_round16.yaml``,
each with its judged ``want``), all through one ``drama-bot ask --json`` process: none may be
a confident answer about another drama or person."""

from __future__ import annotations

import pytest

from bot.answering.answer_models import CardAnswer
from bot.answering.answers import answer
from bot.answering.commands import parse_command_line
from bot.catalog.snapshot import Catalog
from tests.answer_helpers import (
    asked,
    got,
)


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        # each not found on main (e06877b): a title's words, some in Hangul (its native
        # title's), the others in Latin letters (its English title's), each in its place
        ("/drama the 글로리", "the-glory"),
        ("/cast the 글로리", "the-glory"),
        ("/rating the 글로리?", "the-glory"),
        # a did-you-mean on main
        ("/drama 더 glory", "the-glory"),
        ("/stream 더 Glory", "the-glory"),
    ],
)
def test_a_title_in_two_scripts_word_for_word(
    shipped_catalog: Catalog, line: str, meant: str
) -> None:
    assert got(shipped_catalog, line) == (meant, ())


@pytest.mark.parametrize(
    "line",
    [
        # words of two dramas' names, or a word in its wrong place: no answer, as on main
        "/drama 글로리 the",
        "/drama 더 vincenzo",
        "/drama 글로리glory",
    ],
)
def test_a_title_in_two_scripts_otherwise_is_no_answer(shipped_catalog: Catalog, line: str) -> None:
    assert got(shipped_catalog, line)[0] is None


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        # each not found on main (e06877b): a person's name, some syllables in Hangul, the
        # others romanized (a syllable a word; any accepted spelling: 현 is "hyeon", "hyun")
        ("/actor 현bin", "Hyun Bin"),
        ("/actor hyun 빈", "Hyun Bin"),
        ("/actor kim 수현", "Kim Soo Hyun"),
        ("/actor son 예진", "Son Ye Jin"),
        ("/actor 손ye jin", "Son Ye Jin"),
        ("/actor 박bo gum", "Park Bo Gum"),
    ],
)
def test_a_name_half_in_hangul(shipped_catalog: Catalog, line: str, meant: str) -> None:
    result = answer(shipped_catalog, parse_command_line(line))
    assert getattr(result, "actor", None) is not None and result.actor.name == meant


@pytest.mark.parametrize(
    "line",
    [
        # a syllable more, or another person's syllable: no one, as on main
        "/actor 현bin jin",
        "/actor kim 수빈현",
        "/actor son 현jin",
    ],
)
def test_a_name_half_in_hangul_otherwise_is_no_one(shipped_catalog: Catalog, line: str) -> None:
    result = answer(shipped_catalog, parse_command_line(line))
    assert getattr(result, "actor", None) is None


@pytest.mark.parametrize(
    ("line", "slug", "region"),
    [
        # each answered on main (e06877b) for no country (the chat question's title found,
        # the country after it dropped with the chat words)
        ("/stream does anyone know where i can watch boyhood in the us", "boyhood", "US"),
        ("/stream any legal site to watch healer in the uk", "healer", "GB"),
        ("/stream where can i even watch signal in korea", "signal", "KR"),
        ("/stream hey where can u watch moving, canada", "moving", "CA"),
        # "japan these days is not a country I know" on main: the question goes on after it
        ("/stream hey where can u watch moving in japan these days", "moving", "JP"),
        ("/stream where can i watch the glory in korea rn", "the-glory", "KR"),
        ("/stream boyhood in the us pls", "boyhood", "US"),
    ],
)
def test_the_country_of_a_chat_question(
    shipped_catalog: Catalog, line: str, slug: str, region: str
) -> None:
    result = answer(shipped_catalog, parse_command_line(line))
    assert isinstance(result, CardAnswer)
    assert (result.card.slug, result.region) == (slug, region)


def test_the_country_of_a_chat_question_is_said() -> None:
    # through ask --json: Boyhood's card lists Coupang Play (South Korea) alone, and says so
    # for the US; for Korea it lists it
    us, kr = asked(
        "/stream does anyone know where i can watch boyhood in the us",
        "/stream where can i watch boyhood in korea these days",
    )
    assert "Nothing on this card for the United States" in us["message"]["embeds"][0]["description"]
    assert kr["message"]["embeds"][0]["description"].startswith("**In South Korea**")


def test_a_place_we_do_not_know_is_still_said_back(shipped_catalog: Catalog) -> None:
    # as on main: the words after the country are no part of it, and narnia is none
    result = answer(
        shipped_catalog, parse_command_line("/stream crash landing on you in narnia these days")
    )
    assert not isinstance(result, CardAnswer)
    assert result.typed == "narnia"  # type: ignore[union-attr]
