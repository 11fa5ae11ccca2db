"""Fan-side round 5 (branch polish6): what fans still tripped over, asked through the answer
layer (the call ``drama-bot ask`` and the Discord bot make) over the shipped cards, and each
general rule again on a small catalog of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answering.title_resolve import title_choices
from bot.cards.loader import load_cards
from bot.catalog.snapshot import Catalog
from tests.answer_helpers import asked, got
from tests.conftest import WriteCard, minimal_card

# -- three letters that start words of several titles are a did-you-mean ----------------------


def test_a_short_start_shared_by_several_titles_is_a_did_you_mean(
    shipped_catalog: Catalog,
) -> None:
    # "hom": Hometown Cha-Cha-Cha, and the "Home" of Sweet Home (was: Hometown, confidently)
    slug, offered = got(shipped_catalog, "/drama hom")
    assert slug is None
    assert {"hometown-cha-cha-cha", "sweet-home"} <= set(offered)
    slug, offered = got(shipped_catalog, "/drama hea")  # Healer, Kill Me Heal Me, Heaven...
    assert slug is None and {"healer", "kill-me-heal-me"} <= set(offered)
    # a start no other title's word shares stays an answer
    assert got(shipped_catalog, "/drama squ") == ("squid-game", ())
    assert got(shipped_catalog, "/drama cra") == ("crash-landing-on-you", ())


def test_a_short_start_on_a_small_catalog(cards_dir: Path, write_card: WriteCard) -> None:
    write_card("hometown-tales", minimal_card("Hometown Tales", 2020))
    write_card("sweet-home-alone", minimal_card("Sweet Home Alone", 2021))
    write_card("river-song", minimal_card("River Song", 2019))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    assert got(catalog, "/drama hom") == (None, ("hometown-tales", "sweet-home-alone"))
    assert got(catalog, "/drama riv") == ("river-song", ())
    assert got(catalog, "/drama swe") == ("sweet-home-alone", ())


# -- a pasted link is the title its address names ----------------------------------------------


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        ("/drama https://mydramalist.com/25172-vincenzo", "vincenzo"),
        ("/drama https://www.themoviedb.org/tv/96162-vincenzo?language=en-US", "vincenzo"),
        ("/drama https://www.viki.com/tv/37589c-vincenzo", "vincenzo"),
        ("/drama mydramalist.com/18452-goblin", "guardian-the-lonely-and-great-god"),
        ("/drama <https://mydramalist.com/9025-reply-1988/cast>", "reply-1988"),
        ("/cast https://www.themoviedb.org/tv/93405-squid-game/season/1", "squid-game"),
        ("/stream https://en.wikipedia.org/wiki/Crash_Landing_on_You", "crash-landing-on-you"),
        ("/drama https://namu.wiki/w/%EB%B9%88%EC%84%BC%EC%A1%B0", "vincenzo"),  # 빈센조
    ],
)
def test_a_pasted_link_is_the_title_it_names(
    shipped_catalog: Catalog, line: str, slug: str
) -> None:
    assert got(shipped_catalog, line) == (slug, ())


@pytest.mark.parametrize(
    "line",
    [
        "/drama https://www.netflix.com/title/81365087",  # an id, no title
        "/drama https://www.netflix.com/kr-en/title/81365087?s=i",
        "/drama https://www.imdb.com/title/tt13433812/",
        "/drama https://evil.example.com/",
    ],
)
def test_a_link_that_names_no_title_is_not_found(shipped_catalog: Catalog, line: str) -> None:
    assert got(shipped_catalog, line) == (None, ())


def test_links_through_ask_json_and_autocomplete(shipped_catalog: Catalog) -> None:
    rows = asked("/drama https://mydramalist.com/25172-vincenzo", "/drama D.P.")
    assert [row["card"] for row in rows] == ["vincenzo", "d-p"]  # "D.P." is no link
    assert "Vincenzo" in rows[0]["message"]["embeds"][0]["title"]
    choices = title_choices(shipped_catalog, "https://mydramalist.com/9025-reply-1988")
    assert choices[0] == "reply-1988"


# -- fan abbreviations, romanizations and words in another order -------------------------------


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        ("/drama skk scandal", "sungkyunkwan-scandal"),  # an alias on the card
        ("/drama naui ajusshi", "my-mister"),  # Naui Ajeossi, romanized another way
        ("/drama naui ahjussi", "my-mister"),
        ("/drama my ajusshi", "my-mister"),
        ("/drama goblin guardian lonely", "guardian-the-lonely-and-great-god"),
        ("/drama attorney woo young woo", "extraordinary-attorney-woo"),
        ("/rating naui ajusshi", "my-mister"),
        ("/drama chulin wanghu", "mr-queen"),  # Cheorinwanghu: eo/u, l/r
        ("/drama bimilui soop", "stranger"),  # Bimirui Sup: l/r, oo/u
    ],
)
def test_fan_names_answer(shipped_catalog: Catalog, line: str, slug: str) -> None:
    assert got(shipped_catalog, line) == (slug, ())


def test_two_words_in_another_order_are_a_did_you_mean(shipped_catalog: Catalog) -> None:
    assert got(shipped_catalog, "/drama guardian goblin") == (
        None,
        ("guardian-the-lonely-and-great-god",),
    )
    # the words of no single drama's names are not found
    assert got(shipped_catalog, "/drama goblin hospital tunnel") == (None, ())


def test_words_in_another_order_on_a_small_catalog(cards_dir: Path, write_card: WriteCard) -> None:
    write_card(
        "the-silent-harbor", minimal_card("The Silent Harbor", 2020, aliases="[Night Ferry]")
    )
    write_card("river-song", minimal_card("River Song", 2019))
    write_card("river-song-2", minimal_card("River Song 2", 2021))
    write_card("harbor-lights", minimal_card("Harbor Lights", 2018))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    # three words of one drama's names, spread over its title and an alias
    assert got(catalog, "/drama ferry silent harbor") == ("the-silent-harbor", ())
    assert got(catalog, "/drama harbor night ferry silent") == ("the-silent-harbor", ())
    # two words: offered, not answered
    assert got(catalog, "/drama ferry harbor") == (None, ("the-silent-harbor",))
    # the words of two dramas' names together are no drama
    assert got(catalog, "/drama lights ferry harbor")[0] is None
    assert got(catalog, "/drama lights ferry silent") == (None, ())


def test_another_romanization_on_a_small_catalog(cards_dir: Path, write_card: WriteCard) -> None:
    write_card("my-uncle", minimal_card("My Uncle", 2018, aliases="[Naui Ajeossi]"))
    write_card("sea-song", minimal_card("Sea Song", 2019, aliases="[Badaui Norae]"))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    assert got(catalog, "/drama naui ajusshi") == ("my-uncle", ())
    assert got(catalog, "/drama badaui norae") == ("sea-song", ())  # exact, as before
    # a word missing is no other romanization
    assert got(catalog, "/drama nau ajusshi") == (None, ())


# -- a character's name beside a title confirms it -------------------------------------------


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        ("/drama kim shin goblin", "guardian-the-lonely-and-great-god"),
        ("/drama goblin kim shin", "guardian-the-lonely-and-great-god"),
        ("/drama vincenzo hong cha young", "vincenzo"),
        ("/cast kim tan heirs", "the-heirs"),
    ],
)
def test_a_characters_name_beside_its_title(shipped_catalog: Catalog, line: str, slug: str) -> None:
    assert got(shipped_catalog, line) == (slug, ())


def test_a_character_of_another_drama_beside_a_title(
    cards_dir: Path, write_card: WriteCard
) -> None:
    role = "cast:\n  - actor: {actor}\n    role: {role}\n"
    write_card(
        "night-watch",
        "title: Night Watch\nyear: 2020\n" + role.format(actor="Ahn Bo-ra", role="Seo Jun-ho"),
    )
    write_card(
        "day-one",
        "title: Day One\nyear: 2021\n" + role.format(actor="Kim Da-bin", role="Moon Ga-eun"),
    )
    catalog = Catalog.build(load_cards(cards_dir).cards)
    assert got(catalog, "/drama night watch seo junho") == ("night-watch", ())
    assert got(catalog, "/drama seo jun ho night watch") == ("night-watch", ())
    # the character is in another drama: the title is only offered
    assert got(catalog, "/drama day one seo junho") == (None, ("day-one",))


# -- a title pasted more than once -----------------------------------------------------------


def test_a_title_pasted_more_than_once(shipped_catalog: Catalog) -> None:
    assert got(shipped_catalog, "/drama vincenzo vincenzo vincenzo") == ("vincenzo", ())
    assert got(shipped_catalog, "/drama run on run on") == ("run-on", ())
    assert got(shipped_catalog, "/cast the glory the glory") == ("the-glory", ())
    # a title that repeats a word is itself, and nonsense repeated is still not found
    assert got(shipped_catalog, "/drama hometown cha cha cha") == ("hometown-cha-cha-cha", ())
    assert got(shipped_catalog, "/drama xqzt xqzt") == (None, ())


# -- a browser tab's title pasted whole ---------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        ("/drama Vincenzo | Netflix Official Site", "vincenzo"),
        ("/drama Vincenzo (2021) - MyDramaList", "vincenzo"),
        ("/drama Vincenzo (TV Series 2021– ) - IMDb", "vincenzo"),
        ("/drama Vincenzo (TV series) - Wikipedia", "vincenzo"),
        ("/drama Vincenzo - Watch Episode 1 - Rakuten Viki", "vincenzo"),
        ("/drama Reply 1988 (2015) — The Movie Database (TMDB)", "reply-1988"),
        ("/cast Work Later, Drink Now - TVING", "work-later-drink-now"),
    ],
)
def test_a_pasted_tab_title_is_its_drama(shipped_catalog: Catalog, line: str, slug: str) -> None:
    assert got(shipped_catalog, line) == (slug, ())


def test_a_tab_title_of_a_drama_we_lack_and_a_title_with_a_dash(
    shipped_catalog: Catalog,
) -> None:
    assert got(shipped_catalog, "/drama Boys Over Flowers - MyDramaList") == (None, ())
    # a dash inside a title is no site's name: the title as before
    assert got(shipped_catalog, "/drama Moon Lovers - Scarlet Heart Ryeo")[0] == (
        "moon-lovers-scarlet-heart-ryeo"
    )
