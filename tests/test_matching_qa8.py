"""Fan-side round 8 (branch polish8): what fans still tripped over, through the answer layer
(the call ``drama-bot ask`` and the Discord bot make): an actor's name typed with one of
their dramas ("/actor IU my mister"), the words fans put around a name ("who is song kang")
and around a title they want more of ("shows like the glory"), a question about who plays in
a drama, and a season named before its title ("season 2 of hospital playlist"); each general
rule again on a small catalog of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answering.actor_words import actor_choices
from bot.cards.loader import load_cards
from bot.catalog.snapshot import Catalog
from tests.answer_helpers import got
from tests.conftest import WriteCard, minimal_card

# -- an actor's name with one of their dramas ------------------------------------------------


@pytest.mark.parametrize(
    ("line", "actor"),
    [
        # each was: "No actor called “…” in the catalog."
        ("/actor IU my mister", "iu"),
        ("/actor Kim Soo Hyun queen of tears", "kim-soo-hyun"),
        ("/actor Song Kang sweet home", "song-kang"),
        ("/actor Hyun Bin CLOY", "hyun-bin"),
        ("/actor Im Si Wan (Run On)", "im-si-wan"),
        ("/actor Kim Hye Yoon - lovely runner", "kim-hye-yoon"),
        ("/actor Kim Tae Ri 2521", "kim-tae-ri"),
        ("/actor 아이유 호텔 델루나", "iu"),
        ("/actor queen of tears kim soo hyun", "kim-soo-hyun"),  # the drama first
        ("/actor lee jong suk in W", "lee-jong-suk"),
    ],
)
def test_an_actor_with_one_of_their_dramas_is_that_actor(
    shipped_catalog: Catalog, line: str, actor: str
) -> None:
    assert got(shipped_catalog, line) == (actor, ())


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        # a band or a drama they are not in: asked, never answered
        ("/actor rowoon sf9", "rowoon"),
        ("/actor cha eun-woo astro", "cha-eun-woo"),
        ("/actor IU squid game", "iu"),
    ],
)
def test_an_actor_with_other_words_is_a_did_you_mean(
    shipped_catalog: Catalog, line: str, offered: str
) -> None:
    assert got(shipped_catalog, line) == (None, (offered,))


def test_an_actor_with_a_drama_on_a_small_catalog(cards_dir: Path, write_card: WriteCard) -> None:
    write_card("blue-harbour", minimal_card("Blue Harbour", 2019, actor="Han Mira"))
    write_card("red-orchard", minimal_card("Red Orchard", 2021, actor="Han Mira"))
    write_card("grey-tower", minimal_card("Grey Tower", 2022, actor="Oh Jisub"))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    assert got(catalog, "/actor han mira red orchard") == ("han-mira", ())
    assert got(catalog, "/actor blue harbour - han mira") == ("han-mira", ())
    # a drama she is not in: the name is offered, not answered
    assert got(catalog, "/actor han mira grey tower") == (None, ("han-mira",))
    # two names and no drama: nothing made up
    assert got(catalog, "/actor han mira oh jisub")[0] is None
    assert got(catalog, "/actor nobody here grey tower") == (None, ())


# -- the words around an actor's name ---------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "actor"),
    [
        ("/actor who is song kang", "song-kang"),
        ("/actor what else has park bo gum been in?", "park-bo-gum"),
        ("/actor other dramas with kim go eun", "kim-go-eun"),
        ("/actor dramas starring Lee Do Hyun", "lee-do-hyun"),
        ("/actor IU dramas", "iu"),
        ("/actor Gong Yoo's dramas", "gong-yoo"),
        ("/actor filmography of hyun bin", "hyun-bin"),
        ("/actor 송강 드라마", "song-kang"),
    ],
)
def test_the_words_around_an_actors_name_are_set_aside(
    shipped_catalog: Catalog, line: str, actor: str
) -> None:
    assert got(shipped_catalog, line) == (actor, ())


def test_a_name_that_ends_like_a_question_word_keeps_it(
    cards_dir: Path, write_card: WriteCard
) -> None:
    # "in" ends some names: "who is han seo in" was cut to "han seo", a did-you-mean of both
    # (found at 100,000 cards: "who is Kang Kyung In")
    write_card("blue-harbour", minimal_card("Blue Harbour", 2019, actor="Han Seo In"))
    write_card("red-orchard", minimal_card("Red Orchard", 2021, actor="Han Seo Kyung"))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    assert got(catalog, "/actor who is han seo in") == ("han-seo-in", ())
    assert got(catalog, "/actor what else has han seo in been in") == ("han-seo-in", ())
    assert got(catalog, "/actor dramas with han seo kyung") == ("han-seo-kyung", ())


# -- the words around a title a fan wants more of ---------------------------------------------


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        # each was: "No drama called “…” in the catalog."
        ("/similar shows like the glory", "the-glory"),
        ("/similar something like reply 1988", "reply-1988"),
        ("/similar dramas similar to hospital playlist", "hospital-playlist"),
        ("/similar anything like itaewon class?", "itaewon-class"),
        ("/similar recs for fans of vincenzo", "vincenzo"),
        ("/similar what should I watch after squid game?", "squid-game"),
        ("/similar more like moving please", "moving"),
        ("/similar if i liked my mister", "my-mister"),
        ("/similar signal recommendations", "signal"),
        ("/cast who plays the lead in vincenzo?", "vincenzo"),
        ("/cast who acted in signal", "signal"),
        ("/cast main cast of the glory", "the-glory"),
    ],
)
def test_the_words_around_a_title_are_set_aside(
    shipped_catalog: Catalog, line: str, slug: str
) -> None:
    assert got(shipped_catalog, line) == (slug, ())


def test_a_title_that_holds_such_words_is_found_whole(
    cards_dir: Path, write_card: WriteCard
) -> None:
    write_card("something-like-love", minimal_card("Something Like Love", 2019))
    write_card("love", minimal_card("Love", 2012))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    assert got(catalog, "/similar something like love") == ("something-like-love", ())
    assert got(catalog, "/similar shows like love") == ("love", ())


# -- a season named before its title ----------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        # was: a did-you-mean of both seasons
        ("/similar season 2 of hospital playlist", "hospital-playlist-2"),
        # was: not found
        ("/similar second season of sweet home", "sweet-home-2"),
        ("/cast the 3rd season of squid game", "squid-game-3"),
        ("/drama s2 of kingdom", "kingdom-2"),
        ("/rating season two of taxi driver", "taxi-driver-2"),
        ("/drama season 1 of stranger", "stranger"),
    ],
)
def test_a_season_before_its_title(shipped_catalog: Catalog, line: str, slug: str) -> None:
    assert got(shipped_catalog, line) == (slug, ())


def test_a_season_before_a_title_on_a_small_catalog(cards_dir: Path, write_card: WriteCard) -> None:
    write_card("harbour-lights", minimal_card("Harbour Lights", 2019))
    write_card("harbour-lights-2", minimal_card("Harbour Lights 2", 2021))
    write_card("part-of-me", minimal_card("Part of Me", 2020))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    assert got(catalog, "/drama season 2 of harbour lights") == ("harbour-lights-2", ())
    assert got(catalog, "/drama part of me") == ("part-of-me", ())  # no number: a title
    # a season the catalog lacks is said as one, not answered with another
    assert got(catalog, "/drama season 3 of harbour lights")[0] is None


def test_actor_autocomplete_offers_what_the_words_answer(shipped_catalog: Catalog) -> None:
    # the list was empty while submitting the text answered IU
    assert actor_choices(shipped_catalog, "IU my mister") == ["iu"]
    assert actor_choices(shipped_catalog, "who is song kang") == ["song-kang"]
    assert actor_choices(shipped_catalog, "IU squid game") == []  # only a did-you-mean
    assert actor_choices(shipped_catalog, "song ka")[:1] == ["song-kang"]  # as before
