"""QA round 4's confident wrong answers and misses about titles and names, asked through the
answer layer (the call ``drama-bot ask`` and the Discord bot make) and ``drama-bot ask --json``
over the shipped cards, and each general rule again on a small catalog of its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cards.loader import load_cards
from bot.catalog.snapshot import Catalog
from tests.answer_helpers import asked, assert_did_you_mean, got
from tests.conftest import WriteCard, minimal_card

# -- another real word in place of a title's word is another title -----------------------------


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        ("/drama strong girl namsoon", "strong-woman-do-bong-soon"),
        ("/drama strong girl nam soon", "strong-woman-do-bong-soon"),
        ("/drama hellboy", "hellbound"),
        ("/drama my sister", "my-mister"),
        ("/drama big beat", "big-bet"),
        ("/drama kiss me heal me", "kill-me-heal-me"),
        ("/drama the gory", "the-glory"),
        ("/drama the heiress", "the-heirs"),
        ("/cast my sister", "my-mister"),
    ],
)
def test_another_real_word_is_at_most_a_did_you_mean(
    shipped_catalog: Catalog, line: str, offered: str
) -> None:
    assert_did_you_mean(shipped_catalog, line, offered)


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        ("/drama the glroy", "the-glory"),
        ("/drama vincezo", "vincenzo"),
        ("/drama crash landing on yuo", "crash-landing-on-you"),
        ("/drama descendants of the sum", "descendants-of-the-sun"),
        ("/drama Descendant of sun", "descendants-of-the-sun"),
        ("/drama rely 1988", "reply-1988"),
        ("/drama love in the moonlite", "love-in-the-moonlight"),
    ],
)
def test_typos_that_are_no_words_still_answer(
    shipped_catalog: Catalog, line: str, slug: str
) -> None:
    assert got(shipped_catalog, line) == (slug, ())


def test_ask_json_gives_no_card_for_another_word() -> None:
    rows = asked("/drama my sister", "/drama the gory", "/drama hellboy", "/drama the glroy")
    assert [row["card"] for row in rows] == [None, None, None, "the-glory"]
    assert rows[0]["candidates"] == ["my-mister"]
    assert rows[2]["candidates"] == ["hellbound", "hellbound-2"]


def test_another_word_on_a_small_catalog(cards_dir: Path, write_card: WriteCard) -> None:
    write_card("the-river-keepers", minimal_card("The River Keepers", 2020))
    write_card("moon-sister", minimal_card("Moon Sister", 2021))
    write_card("heavenbound", minimal_card("Heavenbound", 2019))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    # real words one or two letters off: other titles
    assert got(catalog, "/drama the liver keepers") == (None, ("the-river-keepers",))
    assert got(catalog, "/drama the rover keepers")[0] == "the-river-keepers"  # a key off
    assert got(catalog, "/drama the river keeper")[0] == "the-river-keepers"  # a plural
    assert got(catalog, "/drama moon mister") == (None, ("moon-sister",))
    assert got(catalog, "/drama moon sistre")[0] == "moon-sister"  # no such word
    assert got(catalog, "/drama heavenboy")[0] is None
    assert got(catalog, "/drama heavenbuond")[0] == "heavenbound"
    # words run together are compared word by word ("namsoon" is not "bong soon")
    write_card("strong-girl-bong-soon", minimal_card("Strong Girl Bong Soon", 2017))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    assert got(catalog, "/drama strong girl namsoon")[0] is None
    assert got(catalog, "/drama strong girl bongsoon")[0] == "strong-girl-bong-soon"


# -- one dictionary word of a longer title; an everyday one-word alias; 사랑의 ------------------


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        ("/drama moonlight", "love-in-the-moonlight"),
        ("/drama reborn", "reborn-rich"),
        ("/drama pyramid", "pyramid-game"),
        ("/drama descendants", "descendants-of-the-sun"),
        ("/drama monster", "beyond-evil"),
        ("/drama casino", "big-bet"),
        ("/drama 사랑의", "crash-landing-on-you"),
        ("/drama 눈물의", "queen-of-tears"),
    ],
)
def test_one_word_that_names_no_drama_alone_is_a_did_you_mean(
    shipped_catalog: Catalog, line: str, offered: str
) -> None:
    assert_did_you_mean(shipped_catalog, line, offered)


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        ("/drama vincenzo", "vincenzo"),
        ("/drama hellbound", "hellbound"),
        ("/drama kingdom", "kingdom"),
        ("/drama goblin", "guardian-the-lonely-and-great-god"),
        ("/drama glory", "the-glory"),
        ("/drama 사랑의 불시착", "crash-landing-on-you"),
        ("/drama monster 2021", "beyond-evil"),
    ],
)
def test_whole_titles_and_rare_words_still_answer(
    shipped_catalog: Catalog, line: str, slug: str
) -> None:
    assert got(shipped_catalog, line) == (slug, ())


def test_the_word_rules_on_a_small_catalog(cards_dir: Path, write_card: WriteCard) -> None:
    write_card("the-pyramid-game", minimal_card("Pyramid Game", 2024))
    write_card("the-nokdu-story", minimal_card("Nokdu Story", 2019))
    write_card("river-song", minimal_card("River Song", 2018, aliases="[Lantern]"))
    write_card("lake-song", minimal_card("Lake Song", 2018, aliases="[Night]"))
    write_card("sea-song", minimal_card("바다의 노래", 2018))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    assert got(catalog, "/drama pyramid") == (None, ("the-pyramid-game",))  # Zipf 3.75
    assert got(catalog, "/drama nokdu") == ("the-nokdu-story", ())  # no word
    assert got(catalog, "/drama lantern") == ("river-song", ())  # Zipf 3.6: not everyday
    assert got(catalog, "/drama night") == (None, ("lake-song",))  # Zipf 5.5: everyday
    assert got(catalog, "/drama 바다의") == (None, ("sea-song",))  # "of the sea"


# -- the start of an alias only; a short name run together ---------------------------------------


def test_the_start_of_an_alias_only_is_a_did_you_mean(shipped_catalog: Catalog) -> None:
    assert got(shipped_catalog, "/drama scarlet heart") == (
        None,
        ("moon-lovers-scarlet-heart-ryeo",),
    )
    assert got(shipped_catalog, "/drama scarlet heart ryeo")[0] == "moon-lovers-scarlet-heart-ryeo"
    assert got(shipped_catalog, "/drama moon lovers")[0] == "moon-lovers-scarlet-heart-ryeo"
    assert got(shipped_catalog, "/drama extraordinary attorney")[0] == (
        "extraordinary-attorney-woo"
    )


def test_the_start_of_an_alias_on_a_small_catalog(cards_dir: Path, write_card: WriteCard) -> None:
    write_card("lantern-river", minimal_card("Lantern River", 2018, aliases='["Blue Lamp Song"]'))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    assert got(catalog, "/drama lantern riv") == ("lantern-river", ())
    assert got(catalog, "/drama blue lamp song") == ("lantern-river", ())
    assert got(catalog, "/drama blue lamp") == (None, ("lantern-river",))


@pytest.mark.parametrize(
    ("line", "actor", "sure"),
    [
        ("/actor jisoo", "ji-soo", False),
        ("/actor jisung", "ji-sung", False),
        ("/actor goara", "go-ara", False),
        ("/actor ji soo", "ji-soo", True),
        ("/actor hyunbin", "hyun-bin", True),
        ("/actor gongyoo", "gong-yoo", True),
        ("/actor suzy", "suzy", True),
    ],
)
def test_a_short_name_run_together_is_a_did_you_mean(
    shipped_catalog: Catalog, line: str, actor: str, sure: bool
) -> None:
    expected = (actor, ()) if sure else (None, (actor,))
    assert got(shipped_catalog, line) == expected


def test_ask_json_for_a_short_name_run_together() -> None:
    jisoo, spaced = asked("/actor jisoo", "/actor ji soo")
    assert jisoo["candidates"] == ["ji-soo"]
    assert spaced["candidates"] == [] and "Ji Soo" in json.dumps(spaced["message"])


# -- a title followed by an actor's name -------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        ("/drama queen of tears kim soo hyun", "queen-of-tears"),
        ("/cast the glory song hye kyo", "the-glory"),
        ("/drama anna suzy", "anna"),
        ("/drama healer ji chang wook", "healer"),
        ("/drama lovely runner byeon woo seok", "lovely-runner"),
        ("/stream lovely runner byeon woo seok", "lovely-runner"),
        ("/drama 눈물의 여왕 김수현", "queen-of-tears"),
        ("/drama squid game 2 lee byung hun", "squid-game-2"),
    ],
)
def test_a_title_and_an_actor_in_its_cast_is_that_drama(
    shipped_catalog: Catalog, line: str, slug: str
) -> None:
    assert got(shipped_catalog, line) == (slug, ())


def test_an_actor_not_in_the_cast_only_offers_the_title(shipped_catalog: Catalog) -> None:
    # Hyun Bin plays in Crash Landing on You, not in Queen of Tears
    assert got(shipped_catalog, "/drama queen of tears hyun bin") == (None, ("queen-of-tears",))
    # an actor's name alone is still a hint to use /actor, not a drama
    assert got(shipped_catalog, "/drama kim soo hyun") == (None, ())


def test_a_title_and_an_actor_on_a_small_catalog(cards_dir: Path, write_card: WriteCard) -> None:
    write_card("river-song", minimal_card("River Song", 2018, actor="Han Da Bin"))
    write_card("river-song-2", minimal_card("River Song", 2022, actor="Yoon Se Ra"))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    # two dramas of that name: the actor tells which
    assert got(catalog, "/drama river song") == (None, ("river-song", "river-song-2"))
    assert got(catalog, "/drama river song yoon se ra") == ("river-song-2", ())
    assert got(catalog, "/drama river song han da-bin") == ("river-song", ())
    assert got(catalog, "/drama river song kim soo hyun")[0] is None


def test_ask_json_for_a_title_and_an_actor() -> None:
    confirmed, other = asked("/drama anna suzy", "/drama queen of tears hyun bin")
    assert confirmed["card"] == "anna" and confirmed["candidates"] == []
    assert other["card"] is None and other["candidates"] == ["queen-of-tears"]


# -- QA round 3's #11: odd did-you-means -----------------------------------------------------------


def test_one_season_near_an_absent_title_offers_every_season(shipped_catalog: Catalog) -> None:
    assert got(shipped_catalog, "/drama doctor stranger") == (None, ("stranger", "stranger-2"))


def test_a_legal_name_does_not_crowd_a_did_you_mean(shipped_catalog: Catalog) -> None:
    # Don Lee is Ma Dong-seok (no card has him); Cha Eun Woo was offered through his legal
    # name, Lee Dong-min, an alias on his cards
    slug, offered = got(shipped_catalog, "/actor don lee")
    assert slug is None and "cha-eun-woo" not in offered
    assert offered == ("lee-dong-hwi", "lee-dong-wook")
    assert got(shipped_catalog, "/actor lee dong min") == ("cha-eun-woo", ())


# -- "final season" ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "seasons"),
    [
        ("/drama squid game final season", ("squid-game", "squid-game-2", "squid-game-3")),
        ("/drama sweet home final season", ("sweet-home", "sweet-home-2", "sweet-home-3")),
        ("/drama the last season of squid game", ("squid-game", "squid-game-2", "squid-game-3")),
        ("/drama 오징어 게임 마지막 시즌", ("squid-game", "squid-game-2", "squid-game-3")),
        ("/drama the glory final season", ("the-glory",)),
    ],
)
def test_a_final_season_offers_the_seasons_we_have(
    shipped_catalog: Catalog, line: str, seasons: tuple[str, ...]
) -> None:
    # the cards say which season each is, not whether the drama has ended
    assert got(shipped_catalog, line) == (None, seasons)


def test_a_final_season_on_a_small_catalog(cards_dir: Path, write_card: WriteCard) -> None:
    write_card("river-song", minimal_card("River Song", 2018))
    write_card("river-song-2", minimal_card("River Song 2", 2020, season="2", series="river-song"))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    assert got(catalog, "/drama river song last season") == (None, ("river-song", "river-song-2"))
    assert got(catalog, "/drama final season") == (None, ())
    rows = asked("/drama squid game final season")
    assert rows[0]["card"] is None
    assert rows[0]["candidates"] == ["squid-game", "squid-game-2", "squid-game-3"]
