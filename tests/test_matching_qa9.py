"""Fan-side round 9 (branch polish9): what fans still tripped over, through the answer layer
(the call ``drama-bot ask`` and the Discord bot make): chat spellings of a title's words
("crash landing on u"), one plural "s" apart from a whole name ("man from the star"), the
words fans put around a title ("like hometown cha cha cha", "reply 1988 cast list", "my mister
score", "lovely runner vibes", "도깨비 같은 드라마") and "who's" before an actor; each general
rule again on a small catalog of its own, with the cases it must leave alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cards.loader import load_cards
from bot.catalog.snapshot import Catalog
from tests.answer_helpers import got
from tests.conftest import WriteCard, minimal_card


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        # each was a did-you-mean of the drama, or not found
        ("/drama crash landing on u", "crash-landing-on-you"),
        ("/drama all of us r dead", "all-of-us-are-dead"),
        ("/drama man from the star", "my-love-from-the-star"),
        ("/drama shop for killer", "a-shop-for-killers"),
        ("/cast reply 1988 cast list", "reply-1988"),
        ("/cast main actors of signal", "signal"),
        ("/rating my mister score", "my-mister"),
        ("/similar like hometown cha cha cha", "hometown-cha-cha-cha"),
        ("/similar lovely runner vibes", "lovely-runner"),
        ("/similar squid game like shows", "squid-game"),
        ("/similar if u liked hospital playlist", "hospital-playlist"),
        ("/similar 도깨비 같은 드라마", "guardian-the-lonely-and-great-god"),
        ("/similar 슬의생 비슷한 드라마", "hospital-playlist"),
        ("/stream twenty five twenty one where to stream", "twenty-five-twenty-one"),
    ],
)
def test_what_fans_typed_is_answered(shipped_catalog: Catalog, line: str, slug: str) -> None:
    assert got(shipped_catalog, line) == (slug, ())


@pytest.mark.parametrize("line", ["/actor who's kim ji won", "/actor who’s kim soo hyun"])
def test_whos_before_an_actor_is_who_is(shipped_catalog: Catalog, line: str) -> None:
    # was a did-you-mean: "who's" lost its "'s" as if it were "Gong Yoo's"
    assert got(shipped_catalog, line)[0] in {"kim-ji-won", "kim-soo-hyun"}
    assert got(shipped_catalog, "/actor Gong Yoo's dramas") == ("gong-yoo", ())


def test_chat_spellings_and_plurals_on_a_small_catalog(
    cards_dir: Path, write_card: WriteCard
) -> None:
    write_card("waiting-for-you", minimal_card("Waiting for You", 2019))
    write_card("doctors-of-seoul", minimal_card("Doctors of Seoul", 2021))
    write_card("the-doctor", minimal_card("The Doctor", 2018))
    write_card("stars-over-busan", minimal_card("Stars over Busan", 2022))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    assert got(catalog, "/drama waiting for u") == ("waiting-for-you", ())
    assert got(catalog, "/drama star over busan") == ("stars-over-busan", ())
    assert got(catalog, "/drama doctor of seoul") == ("doctors-of-seoul", ())
    # one word alone is never made plural or singular to fit a name: "doctors" is not
    # The Doctor, and "u" alone is no title
    assert got(catalog, "/drama doctors")[0] != "the-doctor"
    assert got(catalog, "/drama u") == (None, ())


def test_a_title_holding_the_new_words_is_found_whole(
    cards_dir: Path, write_card: WriteCard
) -> None:
    write_card("like-flowers-in-sand", minimal_card("Like Flowers in Sand", 2023))
    write_card("the-final-score", minimal_card("The Final Score", 2020))
    write_card("good-vibes", minimal_card("Good Vibes", 2021))
    write_card("flowers-in-sand", minimal_card("Flowers in Sand", 2015))
    write_card("good", minimal_card("Good", 2012))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    assert got(catalog, "/drama like flowers in sand") == ("like-flowers-in-sand", ())
    assert got(catalog, "/drama flowers in sand") == ("flowers-in-sand", ())
    assert got(catalog, "/drama the final score") == ("the-final-score", ())
    assert got(catalog, "/drama good vibes") == ("good-vibes", ())
    assert got(catalog, "/similar like good vibes") == ("good-vibes", ())
    assert got(catalog, "/similar shows like good vibes") == ("good-vibes", ())
    assert got(catalog, "/rating the final score score") == ("the-final-score", ())
