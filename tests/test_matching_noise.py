"""Words around a title (services, networks, "kdrama", episodes, years, mentions, a question)
are set aside; a word that belongs to a real title never is."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answering.answers import CardAnswer, NotFound, answer
from bot.answering.commands import parse_command_line
from bot.answering.render import render
from bot.cards.loader import load_cards
from bot.catalog.snapshot import Catalog
from bot.matching.index import Kind
from tests.conftest import WriteCard, minimal_card


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("sweet home netflix", "sweet-home"),
        ("moving disney+", "moving"),
        ("D.P. netflix", "d-p"),
        ("My Name (Netflix, 2021)", "my-name"),
        ("The Glory episode 8", "the-glory"),
        ("is navillera good?", "navillera"),
        ("run on kdrama", "run-on"),
        ("the drama run on", "run-on"),
        ("Run On ep 3", "run-on"),
        ("stranger tvn", "stranger"),
        ("@DramaBot mr queen", "mr-queen"),
        ("<@123456> mr queen", "mr-queen"),
        ("<@!123456> vincenzo on netflix", "vincenzo"),
        ("where can i watch vincenzo?", "vincenzo"),
        ("is moving worth watching", "moving"),
        ("squid game k-drama", "squid-game"),
        ("hometown cha cha cha tvN 2021", "hometown-cha-cha-cha"),
    ],
)
def test_the_title_is_found_among_the_words_around_it(
    shipped_catalog: Catalog, query: str, slug: str
) -> None:
    got = shipped_catalog.titles.resolve(query)
    assert (got.kind, got.ids) == (Kind.MATCH, (slug,))


def test_a_bare_mention_is_not_found_and_shown_defused(shipped_catalog: Catalog) -> None:
    result = answer(shipped_catalog, parse_command_line("/drama <@123456>"))
    assert isinstance(result, NotFound)
    payload = render(result, 1)
    assert payload["flags"] == 64 and "<@123456>" not in payload["content"]


@pytest.fixture
def noisy_titles(cards_dir: Path, write_card: WriteCard) -> Catalog:
    write_card("show-window", minimal_card("Show Window: The Queen's House", 2021))
    write_card("the-netflix-affair", minimal_card("The Netflix Affair", 2022))
    write_card("the-show", minimal_card("The Show", 2019))
    write_card("window", minimal_card("Window", 2018))
    write_card("affair", minimal_card("Affair", 2016))
    write_card("episode-8", minimal_card("Episode 8", 2015))
    write_card("drama-world", minimal_card("Drama World", 2016))
    write_card("world", minimal_card("World", 2010))
    return Catalog.build(load_cards(cards_dir).cards)


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("show window", "show-window"),
        ("Show Window netflix", "show-window"),
        ("the netflix affair", "the-netflix-affair"),
        ("The Netflix Affair kdrama", "the-netflix-affair"),
        ("the show", "the-show"),
        ("window", "window"),
        ("affair netflix", "affair"),
        ("episode 8", "episode-8"),
        ("drama world", "drama-world"),
        ("world drama", "world"),
    ],
)
def test_words_of_a_real_title_are_kept(noisy_titles: Catalog, query: str, slug: str) -> None:
    got = noisy_titles.titles.resolve(query)
    assert (got.kind, got.ids) == (Kind.MATCH, (slug,))


def test_a_noisy_question_answers_about_that_drama_only(shipped_catalog: Catalog) -> None:
    result = answer(shipped_catalog, parse_command_line("/drama is navillera good?"))
    assert isinstance(result, CardAnswer) and result.card.slug == "navillera"
    assert render(result, 1)["embeds"][0]["title"] == "Navillera (2021)"


def test_a_bare_kind_word_before_a_title_is_kept(cards_dir: Path, write_card: WriteCard) -> None:
    write_card("snow-road-sun", minimal_card("Snow Road Sun", 2021))
    write_card("road-sun", minimal_card("Road Sun", 1995))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    got = catalog.titles.resolve("show road sun")  # a slip in "Snow", not the show "Road Sun"
    assert (got.kind, got.ids) == (Kind.MATCH, ("snow-road-sun",))
    got = catalog.titles.resolve("the show road sun")
    assert (got.kind, got.ids) == (Kind.MATCH, ("road-sun",))
