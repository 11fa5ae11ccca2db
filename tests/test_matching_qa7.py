"""Fan-side round 7 (branch polish7): what fans still tripped over, through the answer layer
(the call ``drama-bot ask`` and the Discord bot make) and ``drama-bot ask --json``: a
terminal's colour codes pasted with a title, a link whose address names no drama, and a
drama's name in another romanization that the index alone did not find; each general rule
again on a small catalog of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answering.title_resolve import title_choices
from bot.cards.loader import load_cards
from bot.catalog.snapshot import Catalog
from tests.answer_helpers import asked, got
from tests.conftest import WriteCard, minimal_card

# -- a terminal's colour codes are no part of the text -----------------------------------------


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        ("/drama vincenzo\x1b[31m", "vincenzo"),  # was: a did-you-mean of "vincenzo\[31m"
        ("/drama \x1b[1;31mrun on\x1b[0m", "run-on"),  # was: not found
        ("/cast \x1b[32msquid game\x1b[0m season 2", "squid-game-2"),
        ("/rating queen of tears[0m", "queen-of-tears"),  # its escape character lost on the way
        ("/similar \x9b1mmoving\x9b0m", "moving"),  # the 8-bit form
        ("/stream the glory\x1b]8;;https://example.org\x07", "the-glory"),  # a terminal's link
    ],
)
def test_colour_codes_are_not_matched(shipped_catalog: Catalog, line: str, slug: str) -> None:
    assert got(shipped_catalog, line) == (slug, ())


def test_colour_codes_are_never_echoed() -> None:
    lines = ["/drama xyzzy plugh\x1b[31m", "/actor nobody we know\x1b[0m", "/cast vincenzo\x1b[1m"]
    records = asked(*lines)
    missed, actor, cast = (r["message"] for r in records)
    assert missed["content"].startswith("No drama called “xyzzy plugh” in the catalog.")
    assert actor["content"].startswith("No actor called “nobody we know” in the catalog.")
    assert cast["embeds"][0]["title"] == "Cast of Vincenzo (2021)"
    for record in records:
        text = str(record["message"])
        assert "[31m" not in text and "[0m" not in text and "[1m" not in text


def test_autocomplete_reads_past_colour_codes(shipped_catalog: Catalog) -> None:
    assert title_choices(shipped_catalog, "vincenzo\x1b[31m")[:1] == ["vincenzo"]
    assert title_choices(shipped_catalog, "\x1b[1mqueen of t")[:1] == ["queen-of-tears"]


def test_square_brackets_that_are_no_colour_code_stay(shipped_catalog: Catalog) -> None:
    # "[m]", "[2021]": not a terminal's code, nothing cut out of them
    assert got(shipped_catalog, "/drama run on [2020]") == ("run-on", ())
    assert "“the \\[m\\] show”" in asked("/drama the [m] show")[0]["message"]["content"]


# -- a link that names no drama ----------------------------------------------------------------


@pytest.mark.parametrize(
    "link",
    [
        "https://www.netflix.com/title/81365087",
        "https://www.netflix.com/kr-en/title/81040344?s=i",
        "https://www.imdb.com/title/tt13433812/",
        "<https://m.imdb.com/title/tt13433812/>",
    ],
)
def test_a_link_of_only_an_id_asks_for_the_title(link: str) -> None:
    (record,) = asked(f"/stream {link}")
    assert record["card"] is None and record["candidates"] == []
    message = record["message"]
    assert message["flags"] == 64  # for the asker alone, as a not-found is
    assert message["content"] == (
        "That link does not say which drama it is (its address holds only an id, not a "
        "title). Type the drama's title instead: /stream and pick it from the list as you type."
    )


def test_a_link_of_only_an_id_in_korean() -> None:
    (record,) = asked("/drama https://www.netflix.com/title/81365087", locale="ko")
    content = record["message"]["content"]
    assert "링크로는 어떤 드라마인지 알 수 없어요" in content and "/드라마" in content


def test_a_link_that_names_its_drama_still_answers(shipped_catalog: Catalog) -> None:
    assert got(shipped_catalog, "/cast https://mydramalist.com/25172-vincenzo") == (
        "vincenzo",
        (),
    )


# -- another romanization the index alone does not find --------------------------------------


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        ("/drama my ajeossi", "my-mister"),  # My Ahjussi: eo/u and a silent h
        ("/rating my ajeossi", "my-mister"),
        ("/drama moobing", "moving"),  # Mubing: oo/u
        ("/stream moobing region:US", "moving"),
    ],
)
def test_another_romanization_of_a_name_answers(
    shipped_catalog: Catalog, line: str, slug: str
) -> None:
    assert got(shipped_catalog, line) == (slug, ())


def test_another_romanization_on_a_small_catalog(cards_dir: Path, write_card: WriteCard) -> None:
    write_card("my-uncle", minimal_card("My Uncle", 2018, aliases="[My Ahjussi]"))
    write_card("moving-on", minimal_card("Moving On", 2016, aliases="[Mubing]"))
    write_card("the-mirror", minimal_card("The Mirror", 2021, aliases="[Geoul]"))
    write_card("the-winter", minimal_card("The Winter", 2022, aliases="[Gyeoul]"))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    # both were not found: too short for the index's typo allowance
    assert got(catalog, "/drama my ajeossi") == ("my-uncle", ())  # eo/u, a silent h
    assert got(catalog, "/drama moobing") == ("moving-on", ())  # oo/u
    assert got(catalog, "/cast MOOBING") == ("moving-on", ())
    # a respelling that sounds like two dramas' names answers neither
    assert got(catalog, "/drama geeoul")[0] is None
    # a season the catalog does not have: the index's reasons stand
    assert got(catalog, "/drama my ajeossi 2")[0] is None
    # words that sound like no drama's name are not found
    assert got(catalog, "/drama mooving castle") == (None, ())


def test_autocomplete_offers_what_a_respelled_name_answers(shipped_catalog: Catalog) -> None:
    # nothing is spelt so, so the list was empty while submitting the text answered a drama
    assert title_choices(shipped_catalog, "moobing") == ["moving"]
    assert title_choices(shipped_catalog, "my ajeossi") == ["my-mister"]
    assert title_choices(shipped_catalog, "xyzzy plugh") == []


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        # was: "No drama called “squid game https://www.netflix.com/title/81040344”"
        ("/drama squid game https://www.netflix.com/title/81040344", "squid-game"),
        ("/stream https://www.netflix.com/title/81040344 the glory", "the-glory"),
        ("/cast vincenzo <https://mydramalist.com/25172-vincenzo>", "vincenzo"),
        # the words name nothing, the link names its drama
        ("/drama xyzzy https://mydramalist.com/25172-vincenzo", "vincenzo"),
    ],
)
def test_a_title_beside_a_link_is_the_title(shipped_catalog: Catalog, line: str, slug: str) -> None:
    assert got(shipped_catalog, line) == (slug, ())


def test_words_with_dots_are_no_link(shipped_catalog: Catalog) -> None:
    assert got(shipped_catalog, "/drama d.p.") == ("d-p", ())
    assert got(shipped_catalog, "/drama mr.queen") == ("mr-queen", ())


# -- a sentence that names a drama word for word ---------------------------------------------


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        # was: not found
        (
            "/cast a very long paste crash landing on you is my favourite drama ever and i want "
            "to know who plays the captain",
            "crash-landing-on-you",
        ),
        ("/rating is squid game 2 better than the first one or not", "squid-game-2"),
        ("/similar i just finished queen of tears and i need more like it", "queen-of-tears"),
    ],
)
def test_a_sentence_naming_one_drama_is_that_drama(
    shipped_catalog: Catalog, line: str, slug: str
) -> None:
    assert got(shipped_catalog, line) == (slug, ())


def test_a_sentence_naming_two_dramas_asks_which(shipped_catalog: Catalog) -> None:
    line = "/drama which is better crash landing on you or hospital playlist 2 honestly"
    assert got(shipped_catalog, line) == (None, ("crash-landing-on-you", "hospital-playlist-2"))


@pytest.mark.parametrize(
    "line",
    [
        "/drama my name is kim sam soon",  # another drama, not My Name
        "/drama what is my name and where do i live",
        "/cast i am moving to korea next year what should i watch",  # not Moving
        "/stream i just loved the glory so much tbh",  # two words say too little
    ],
)
def test_a_sentence_with_a_short_title_in_it_is_no_answer(
    shipped_catalog: Catalog, line: str
) -> None:
    assert got(shipped_catalog, line) == (None, ())


def test_a_sentence_on_a_small_catalog(cards_dir: Path, write_card: WriteCard) -> None:
    write_card("the-silent-harbor", minimal_card("The Silent Harbor", 2020))
    write_card("river-song", minimal_card("River Song", 2019))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    said = "/drama who was the lead in the silent harbor i forgot"
    assert got(catalog, said) == ("the-silent-harbor", ())
    assert got(catalog, "/drama i sang a river song all night long") == (None, ())
    # a country after "in" is still the region of /stream, not part of a sentence
    assert got(catalog, "/stream the silent harbor in narnia land")[0] is None


def test_colour_codes_in_any_option_are_no_part_of_it() -> None:
    # was: 'No drama in the catalog was first shown on “tvN\[31m”. Did you mean tvN?'
    browse, top = asked("/browse actor:kim soo hyun\x1b[0m", "/top network:tvN\x1b[31m")
    assert browse["message"]["embeds"][0]["title"] == "Dramas with Kim Soo Hyun"
    assert top["message"]["embeds"][0]["title"] == "Top dramas on tvN"


# -- an actor's page pasted into /actor --------------------------------------------------------


def test_an_actors_page_is_that_actor() -> None:
    # was: 'No actor called “https://mydramalist.com/people/...”'
    records = asked(
        "/actor https://mydramalist.com/people/1234-song-joong-ki",
        "/actor <https://www.themoviedb.org/person/1234-iu>",
        "/actor https://www.imdb.com/name/nm1234567/",
    )
    named, tmdb, imdb = (r["message"] for r in records)
    assert named["embeds"][0]["title"] == "Song Joong Ki"
    assert tmdb["embeds"][0]["title"] == "IU"
    assert imdb["flags"] == 64 and imdb["content"].startswith(
        "That link does not say who it is (its address holds only an id, not a name)."
    )
    (korean,) = asked("/actor https://www.imdb.com/name/nm1234567/", locale="ko")
    assert korean["message"]["content"].startswith("이 링크로는 누구인지 알 수 없어요")
