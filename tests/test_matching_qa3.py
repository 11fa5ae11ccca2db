"""QA round 3's confident wrong answers and misses about titles, asked through the answer layer
(the call ``drama-bot ask`` and the Discord bot make) over the shipped cards, and each general
rule again on a small catalog of its own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.answering.answers import answer
from bot.answering.commands import parse_command_line
from bot.cards.loader import load_cards
from bot.catalog.snapshot import Catalog
from tests.answer_helpers import asked, assert_did_you_mean, got
from tests.conftest import WriteCard, minimal_card

# -- one everyday word with little words around it is no title ---------------------------------


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        ("/drama the king", "the-king-in-love"),
        ("/cast the king", "the-king-in-love"),
        ("/rating the king", "the-king-in-love"),
        ("/similar the king", "the-king-in-love"),
        ("/drama my love", "my-love-from-the-star"),
        ("/similar my love", "my-love-from-the-star"),
    ],
)
def test_one_everyday_word_with_little_words_is_at_most_a_did_you_mean(
    shipped_catalog: Catalog, line: str, offered: str
) -> None:
    assert_did_you_mean(shipped_catalog, line, offered)


def test_the_rule_is_about_common_words_not_titles(cards_dir: Path, write_card: WriteCard) -> None:
    write_card("the-king-of-pigs", minimal_card("The King of Pigs", 2022))
    write_card("the-nokdu-flower", minimal_card("The Nokdu Flower", 2019))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    assert got(catalog, "/drama the king") == (None, ("the-king-of-pigs",))
    # a rare word still names its title, with or without "the"
    assert got(catalog, "/drama the nokdu") == ("the-nokdu-flower", ())
    assert got(catalog, "/drama the king of pigs") == ("the-king-of-pigs", ())


# -- another word in place of one is not a typo ------------------------------------------------


def test_another_word_in_place_of_one_is_not_that_title(shipped_catalog: Catalog) -> None:
    slug, _ = got(shipped_catalog, "/drama descendants of the moon")
    assert slug is None
    # a slip in a word still is
    assert got(shipped_catalog, "/drama descendants of the sum") == (
        "descendants-of-the-sun",
        (),
    )


def test_another_word_in_place_on_a_small_catalog(cards_dir: Path, write_card: WriteCard) -> None:
    write_card("keepers-of-the-river", minimal_card("Keepers of the River", 2020))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    assert got(catalog, "/drama keepers of the rover")[0] == "keepers-of-the-river"
    assert got(catalog, "/drama keepers of the stone")[0] is None


# -- a missed or extra letter in the start of a long title -------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "/drama crash landng",
        "/drama crsh landing",
        "/drama crash landin",
        "/drama crash lnding",
    ],
)
def test_a_slip_in_the_start_of_a_long_title_answers(shipped_catalog: Catalog, line: str) -> None:
    assert got(shipped_catalog, line) == ("crash-landing-on-you", ())


def test_a_missed_letter_in_the_start_on_a_small_catalog(
    cards_dir: Path, write_card: WriteCard
) -> None:
    write_card("lantern-keepers-song", minimal_card("Lantern Keepers Song", 2020))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    assert got(catalog, "/drama lantrn keepers")[0] == "lantern-keepers-song"
    assert got(catalog, "/drama lanten keepers")[0] == "lantern-keepers-song"


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        ("/drama extraordinary atorney", "extraordinary-attorney-woo"),
        ("/drama hosp playlist", "hospital-playlist"),
        ("/drama reply 88", "reply-1988"),
        ("/cast reply 88", "reply-1988"),
    ],
)
def test_obvious_near_titles_are_answered(shipped_catalog: Catalog, line: str, slug: str) -> None:
    assert got(shipped_catalog, line) == (slug, ())


def test_a_years_last_two_digits_are_its_digits(cards_dir: Path, write_card: WriteCard) -> None:
    write_card("answer-1994", minimal_card("Answer 1994", 2013))
    write_card("answer-1997", minimal_card("Answer 1997", 2012))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    assert got(catalog, "/drama answer 94") == ("answer-1994", ())
    assert got(catalog, "/drama answer 97") == ("answer-1997", ())
    assert got(catalog, "/drama answer 95")[0] is None


# -- an actor's name where a title belongs ---------------------------------------------------


ACTOR_IN_TITLE = [
    ("/drama kim soo hyun", "Kim Soo Hyun"),
    ("/drama hyun bin", "Hyun Bin"),
    ("/cast hyun bin", "Hyun Bin"),
    ("/similar Hyun Bin", "Hyun Bin"),
]


@pytest.fixture(scope="module")
def actor_in_title_answers() -> dict[tuple[str, str], dict[str, Any]]:
    """``ask --json`` for every line of ACTOR_IN_TITLE, in English and in Korean, by (locale,
    line): one process a locale (the lines on stdin) instead of one a line."""
    lines = [line for line, _ in ACTOR_IN_TITLE]
    answers: dict[tuple[str, str], dict[str, Any]] = {}
    for locale in ("en", "ko"):
        answers |= {(locale, r["command"]): r for r in asked(*lines, locale=locale)}
    return answers


@pytest.mark.parametrize(("line", "actor"), ACTOR_IN_TITLE)
def test_an_actors_name_in_a_title_command_points_to_actor(
    actor_in_title_answers: dict[tuple[str, str], dict[str, Any]], line: str, actor: str
) -> None:
    said = actor_in_title_answers["en", line]
    assert (said["card"], said["candidates"]) == (None, [])
    assert f"/actor {actor}" in said["message"]["content"], said["message"]
    assert f"/배우 {actor}" in actor_in_title_answers["ko", line]["message"]["content"]


def test_a_title_nobody_has_is_not_called_an_actor(shipped_catalog: Catalog) -> None:
    result = answer(shipped_catalog, parse_command_line("/drama zebra crossing tales"))
    assert result.card_slug is None and getattr(result, "actor", None) is None


# -- /stream: a country named with the title ---------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "/stream the glory germany",
        "/stream the glory (germany)",
        "/stream the glory in germany",
        "/stream The Glory, Germany",
    ],
)
def test_stream_reads_a_country_after_the_title_in_any_phrasing(
    shipped_catalog: Catalog, line: str
) -> None:
    result = answer(shipped_catalog, parse_command_line(line))
    assert (result.card_slug, getattr(result, "region", None)) == ("the-glory", "DE")


STREAM_COUNTRY_LINES = [
    "/stream crash landing on you in the congo",
    "/stream run on in narnia",
    "/stream run on in chile region:KR",
    "/stream run on in korea region:KR",
]


@pytest.fixture(scope="module")
def stream_country_answers() -> dict[str, dict[str, Any]]:
    """``ask --json`` for every line of STREAM_COUNTRY_LINES, by line, from one process."""
    return {r["command"]: r for r in asked(*STREAM_COUNTRY_LINES)}


def test_stream_an_unknown_country_after_in_is_an_unknown_region(
    stream_country_answers: dict[str, dict[str, Any]],
) -> None:
    said = stream_country_answers["/stream crash landing on you in the congo"]
    content = said["message"]["content"]
    assert said["card"] is None and "No drama called" not in content, content
    assert "the congo" in content and "Congo" in content.replace("the congo", ""), content
    content = stream_country_answers["/stream run on in narnia"]["message"]["content"]
    assert "narnia" in content and "No drama called" not in content, content


def test_stream_a_country_and_another_region_option_says_which_is_answered(
    stream_country_answers: dict[str, dict[str, Any]],
) -> None:
    said = stream_country_answers["/stream run on in chile region:KR"]
    assert said["card"] == "run-on"
    shown = json.dumps(said["message"], ensure_ascii=False)
    assert "chile" in shown.lower() and "South Korea" in shown, shown
    # the same country twice is nothing to point out
    again = stream_country_answers["/stream run on in korea region:KR"]["message"]
    assert "korea”" not in json.dumps(again, ensure_ascii=False)


def test_a_title_that_ends_in_a_country_name_is_still_that_title(
    cards_dir: Path, write_card: WriteCard
) -> None:
    write_card("goodbye-france", minimal_card("Goodbye France", 2020))
    write_card("goodbye", minimal_card("Goodbye", 2021))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    result = answer(catalog, parse_command_line("/stream goodbye france"))
    assert (result.card_slug, getattr(result, "region", None)) == ("goodbye-france", None)
    result = answer(catalog, parse_command_line("/stream goodbye (japan)"))
    assert (result.card_slug, getattr(result, "region", None)) == ("goodbye", "JP")


def test_the_first_words_of_a_title_still_name_it(shipped_catalog: Catalog) -> None:
    # more than one everyday word, or one that goes on ("from"): the start of one title
    assert got(shipped_catalog, "/drama strangers from") == ("strangers-from-hell", ())
    assert got(shipped_catalog, "/drama us are dead") == ("all-of-us-are-dead", ())


def test_a_short_slip_is_not_read_as_the_start_of_a_longer_title(
    cards_dir: Path, write_card: WriteCard
) -> None:
    write_card("naui-hae", minimal_card("Naui Hae", 2003))
    write_card("naui-areumdaun-bada", minimal_card("Naui Areumdaun Bada", 2020))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    assert got(catalog, "/drama naui ae") == ("naui-hae", ())


# -- other names fans use ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        ("/drama my love from another star", "my-love-from-the-star"),
        ("/drama 더블유", "w"),
        ("/drama the world of the married couple", "the-world-of-the-married"),
        ("/drama a world of married couple", "the-world-of-the-married"),
        ("/drama the tunnel", "tunnel"),
        ("/drama 2016 goblin", "guardian-the-lonely-and-great-god"),
        ("/drama (2020) run on", "run-on"),
    ],
)
def test_other_names_fans_use(shipped_catalog: Catalog, line: str, slug: str) -> None:
    assert got(shipped_catalog, line) == (slug, ())


def test_the_before_a_title_and_a_year_before_it(cards_dir: Path, write_card: WriteCard) -> None:
    write_card("lantern", minimal_card("Lantern", 2019))
    write_card("harbor-2010", minimal_card("Harbor", 2010))
    write_card("harbor-2022", minimal_card("Harbor", 2022))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    assert got(catalog, "/drama the lantern") == ("lantern", ())
    assert got(catalog, "/drama 2022 harbor") == ("harbor-2022", ())
    assert got(catalog, "/drama 2010 harbor") == ("harbor-2010", ())
    slug, _ = got(catalog, "/drama 1999 lantern")  # no Lantern aired in 1999
    assert slug is None
