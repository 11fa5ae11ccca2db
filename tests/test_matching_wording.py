"""The words of a title (QA's confident wrong answers and needless misses): a trailing year
that no card of that name aired in, one everyday word, digits, another word in place of one,
little words, Mr./Mister, and a title given in two scripts. Each over a small catalog of real
card files, so the rule is tested apart from the shipped cards."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cards.loader import load_cards
from bot.catalog.snapshot import Catalog
from bot.matching.index import Kind
from tests.conftest import WriteCard, minimal_card


@pytest.fixture
def words_dir(cards_dir: Path, write_card: WriteCard) -> Path:
    write_card("run-on", minimal_card("Run On", 2020, native_title="런 온"))
    write_card("kingdom", minimal_card("Kingdom", 2019, season="1"))
    write_card("kingdom-2", minimal_card("Kingdom 2", 2020, season="2", series="kingdom"))
    write_card("hometown-cha-cha-cha", minimal_card("Hometown Cha-Cha-Cha", 2021))
    write_card(
        "black-knight",
        minimal_card("Black Knight: The Man Who Guards Me", 2017, aliases="[Black Knight]"),
    )
    write_card("the-good-bad-mother", minimal_card("The Good Bad Mother", 2023))
    write_card("big-bet", minimal_card("Big Bet", 2022))
    write_card("chicago-typewriter", minimal_card("Chicago Typewriter", 2017))
    write_card("reply-1988", minimal_card("Reply 1988", 2015, native_title="응답하라 1988"))
    write_card("reply-1997", minimal_card("Reply 1997", 2012, native_title="응답하라 1997"))
    write_card(
        "strong-woman-do-bong-soon",
        minimal_card("Strong Woman Do Bong Soon", 2017, aliases="[Strong Girl Bong-soon]"),
    )
    write_card("love-in-the-moonlight", minimal_card("Love in the Moonlight", 2016))
    write_card("queen-of-tears", minimal_card("Queen of Tears", 2024))
    write_card("descendants-of-the-sun", minimal_card("Descendants of the Sun", 2016))
    write_card("mr-sunshine", minimal_card("Mr. Sunshine", 2018))
    write_card("my-mister", minimal_card("My Mister", 2018))
    write_card("vincenzo", minimal_card("Vincenzo", 2021, native_title="빈센조"))
    return cards_dir


@pytest.fixture
def catalog(words_dir: Path) -> Catalog:
    result = load_cards(words_dir)
    assert result.ok, [str(e) for e in result.errors]
    return Catalog.build(result.cards)


def _got(catalog: Catalog, query: str) -> tuple[Kind, tuple[str, ...]]:
    got = catalog.titles.resolve(query)
    return got.kind, got.ids


@pytest.mark.parametrize(
    ("query", "offered"),
    [
        ("Run On 1999", ("run-on",)),
        ("Black Knight 2023", ("black-knight",)),
        ("Kingdom 2024", ("kingdom", "kingdom-2")),
        ("kingdom (2021)", ("kingdom", "kingdom-2")),
    ],
)
def test_a_year_no_card_of_that_name_aired_in_is_a_did_you_mean_naming_it(
    catalog: Catalog, query: str, offered: tuple[str, ...]
) -> None:
    got = catalog.titles.resolve(query)
    assert (got.kind, got.ids) == (Kind.CANDIDATES, offered)
    assert got.missing_year == int(query.strip(")")[-4:])


def test_a_year_picks_only_among_dramas_of_that_whole_name(catalog: Catalog) -> None:
    # Hometown Cha-Cha-Cha aired in 2021, but "Hometown (2021)" names another drama.
    for query in ("Hometown (2021)", "Hometown 2021", "Mother 2018", "Big 2012"):
        kind, _ = _got(catalog, query)
        assert kind is not Kind.MATCH, query
    assert _got(catalog, "Kingdom (2020)") == (Kind.MATCH, ("kingdom-2",))
    assert _got(catalog, "Run On 2020") == (Kind.MATCH, ("run-on",))
    assert _got(catalog, "vincenso 2021") == (Kind.MATCH, ("vincenzo",))
    assert _got(catalog, "Hometown Cha Cha Cha 2021") == (Kind.MATCH, ("hometown-cha-cha-cha",))
    # A number that is part of the title is no year.
    assert _got(catalog, "rely 1988") == (Kind.MATCH, ("reply-1988",))


def test_ask_json_says_which_year_we_have(words_dir: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "--data", str(words_dir)],
        input="/drama Run On 1999\n/drama Kingdom 2024\n",
        capture_output=True,
        text=True,
        check=True,
    )
    run_on, kingdom = (json.loads(line) for line in run.stdout.splitlines())
    assert run_on["card"] is None and run_on["candidates"] == ["run-on"]
    assert run_on["message"]["content"] == (
        "We have Run On (2020) — none from 1999. Did you mean that one?"
    )
    assert kingdom["candidates"] == ["kingdom", "kingdom-2"]
    assert kingdom["message"]["content"].startswith(
        "We have Kingdom (2019) and Kingdom 2 (2020) — none from 2024."
    )


def test_one_everyday_word_of_a_longer_title_is_only_a_did_you_mean(catalog: Catalog) -> None:
    assert _got(catalog, "Mother") == (Kind.CANDIDATES, ("the-good-bad-mother",))
    assert _got(catalog, "Big") == (Kind.CANDIDATES, ("big-bet",))
    # So is any English word at Zipf 3.35 or above (QA round 2: "Hometown" is another drama
    # than Hometown Cha-Cha-Cha; QA round 4: "moonlight", "reborn"); a rarer word still names
    # its title.
    assert _got(catalog, "Chicago") == (Kind.CANDIDATES, ("chicago-typewriter",))
    assert _got(catalog, "Hometown") == (Kind.CANDIDATES, ("hometown-cha-cha-cha",))
    assert _got(catalog, "moonlight") == (Kind.CANDIDATES, ("love-in-the-moonlight",))
    assert _got(catalog, "typewriter") == (Kind.MATCH, ("chicago-typewriter",))


def test_other_digits_are_another_title_not_a_typo(catalog: Catalog) -> None:
    for query in ("reply 1977", "reply 1989", "Reply 1999", "응답하라 1987"):
        assert _got(catalog, query)[0] is Kind.CANDIDATES, query
    assert _got(catalog, "reply 1988") == (Kind.MATCH, ("reply-1988",))
    assert _got(catalog, "repyl 1997") == (Kind.MATCH, ("reply-1997",))


def test_another_word_in_place_of_one_is_another_title(catalog: Catalog) -> None:
    assert _got(catalog, "Strong Girl Nam-soon")[0] is not Kind.MATCH
    assert _got(catalog, "Strong Girl Bong-son") == (Kind.MATCH, ("strong-woman-do-bong-soon",))
    # A word spelt as it sounds is still that word.
    assert _got(catalog, "love in the moonlite") == (Kind.MATCH, ("love-in-the-moonlight",))


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("Queen of the Tears", "queen-of-tears"),
        ("Descendant of sun", "descendants-of-the-sun"),
        ("Descendants of Sun", "descendants-of-the-sun"),
        ("Desendants of the son", "descendants-of-the-sun"),
        ("mister sunshine", "mr-sunshine"),
        ("Mister Sunshine netflix", "mr-sunshine"),
        ("vincenzo 빈센조", "vincenzo"),
        ("빈센조 vincenzo", "vincenzo"),
    ],
)
def test_little_words_mister_and_a_second_script_do_not_hide_a_title(
    catalog: Catalog, query: str, slug: str
) -> None:
    assert _got(catalog, query) == (Kind.MATCH, (slug,))


def test_two_titles_in_two_scripts_or_mr_alone_are_no_answer(catalog: Catalog) -> None:
    assert _got(catalog, "run on 빈센조")[0] is not Kind.MATCH
    assert _got(catalog, "mr")[0] is not Kind.MATCH  # not My Mister
