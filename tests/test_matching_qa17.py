"""Fan-side round 17 (branch polish17): what fans still typed that the bot missed, through the
answer layer and ``drama-bot ask --json``: a year that agrees with a drama but follows a name
that is only near it ("moving on (2023)"); a character's name too short to look up among every
role, beside the title of its drama ("yi san red sleeve"); a letter of a name replaced ("song
kamg", a did-you-mean) or a family name's letters swapped ("sogn hye kyo"); 우 romanized "woo"
("isanghan byunhosa woo young woo"); another country's remake ("descendants of the sun
philippine remake"); a season after a title in a sentence, in a chat question, or asked as the
new one; a mood before "like"; chat questions typed without spaces; "actress" after a name.

Last, the lines of this round's blind writer (``tests/fixtures/fan_queries_round17.yaml``,
each with its judged ``want``), all through one ``drama-bot ask --json`` process: none may be
a confident answer about another drama or person."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answering.answer_models import CardAnswer
from bot.answering.answers import answer
from bot.answering.commands import parse_command_line
from bot.catalog.snapshot import Catalog
from tests.answer_helpers import assert_did_you_mean, assert_offered, fan_round, got

GOBLIN = "guardian-the-lonely-and-great-god"


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        # each Moving (or the named drama) confidently on main (9029b77): the year agrees
        # with the drama, the words before it are only near its name (a did-you-mean without
        # the year)
        ("/drama moving on (2023)", "moving"),
        ("/drama moving on 2023", "moving"),
        ("/drama boyhood on (2023)", "boyhood"),
        ("/drama all of us are dead out 2022", "all-of-us-are-dead"),
        ("/drama again business proposal (2022)", "business-proposal"),
        ("/cast doctors on 2016", "doctors"),
    ],
)
def test_a_year_does_not_make_a_near_name_an_answer(
    shipped_catalog: Catalog, line: str, offered: str
) -> None:
    assert_did_you_mean(shipped_catalog, line, offered)


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        # as on main: the whole name, or one slip in it, and its year
        ("/drama moving (2023)", "moving"),
        ("/drama movng 2023", "moving"),
        ("/drama hometwn cha cha cha 2021", "hometown-cha-cha-cha"),
        ("/drama sweet home 2 (2023)", "sweet-home-2"),
    ],
)
def test_a_year_after_a_name_still_answers(shipped_catalog: Catalog, line: str, slug: str) -> None:
    assert got(shipped_catalog, line) == (slug, ())


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        # each not found on main (9029b77): a character's name of fewer than six letters (too
        # short to look up among every role) and the name of its drama, exactly
        ("/actor yi san red sleeve", "Lee Junho"),
        ("/actor yi san the red sleeve", "Lee Junho"),
        ("/actor yi san in red sleeve", "Lee Junho"),
        ("/actor im sol lovely runner", "Kim Hye Yoon"),
        ("/actor yi rim rookie historian", "Cha Eun Woo"),
        ("/actor seo-bi kingdom", "Bae Doona"),
        ("/actor sunny goblin", "Yoo In Na"),
        ("/actor so mun the uncanny counter", "Jo Byung Gyu"),
        ("/actor nj our beloved summer", "Roh Jeong Eui"),
        # a did-you-mean of the drama's two leads on main
        ("/actor who plays yi san in the red sleeve", "Lee Junho"),
    ],
)
def test_a_short_role_beside_its_title(shipped_catalog: Catalog, line: str, meant: str) -> None:
    result = answer(shipped_catalog, parse_command_line(line))
    assert getattr(result, "actor", None) is not None and result.actor.name == meant


@pytest.mark.parametrize(
    "line",
    [
        # another drama's title, another name, no title, or a title only near its drama's
        # name: no one, as on main
        "/actor yi san goblin",
        "/actor so mun uncanny counter 2",
        "/actor yi sun red sleeve",
        "/actor yi san",
    ],
)
def test_a_short_role_otherwise_is_no_one(shipped_catalog: Catalog, line: str) -> None:
    result = answer(shipped_catalog, parse_command_line(line))
    assert getattr(result, "actor", None) is None


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        # not found on main (9029b77)
        ("/drama yi san red sleeve", "the-red-sleeve"),
        ("/cast sunny goblin", "guardian-the-lonely-and-great-god"),
    ],
)
def test_a_short_role_beside_its_title_names_the_drama(
    shipped_catalog: Catalog, line: str, slug: str
) -> None:
    assert got(shipped_catalog, line) == (slug, ())


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        # each answered outright on main (9029b77): one letter of a name replaced by another,
        # making no Korean syllable ("kamg": Kang with an m for its n, or Kam with a g more)
        ("/actor song kamg", "song-kang"),
        ("/actor song kanf", "song-kang"),
        ("/actor song kabg", "song-kang"),
        ("/actor lee min hp", "lee-min-ho"),
        ("/actor park bo gym", "park-bo-gum"),
        # as on main: a letter replaced making another syllable
        ("/actor son ye jim", "son-ye-jin"),
    ],
)
def test_a_letter_replaced_in_a_name_is_a_did_you_mean(
    shipped_catalog: Catalog, line: str, offered: str
) -> None:
    assert_did_you_mean(shipped_catalog, line, offered)


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        # as on main: a letter dropped, doubled or added, or two swapped, in a word that is no
        # Korean syllable reads back one way
        ("/actor kim soo hyn", "Kim Soo Hyun"),
        ("/actor son ye jn", "Son Ye Jin"),
        ("/actor kim go eunn", "Kim Go Eun"),
        ("/actor nam joo hyuck", "Nam Joo Hyuk"),
        ("/actor song knag", "Song Kang"),
        ("/actor song kang", "Song Kang"),
    ],
)
def test_a_letter_dropped_or_swapped_in_a_name_still_answers(
    shipped_catalog: Catalog, line: str, meant: str
) -> None:
    result = answer(shipped_catalog, parse_command_line(line))
    assert getattr(result, "actor", None) is not None and result.actor.name == meant


@pytest.mark.parametrize(
    "line",
    [
        # each not found on main (9029b77): the alias Isanghan Byeonhosa Uyeongu with its 우
        # written "woo" (or "wu"), as fans write Woo Young-woo
        "/drama isanghan byunhosa woo young woo",
        "/drama isanghan byeonhosa wooyoungwoo",
        "/drama isanghan byunhosa wooyoungwoo",
        "/stream isanghan byunhosa wu young wu",
        # as on main
        "/drama isanghan byeonhosa woo young woo",
        "/drama isanghan byeonhosa u yeong u",
    ],
)
def test_woo_is_u_in_a_romanized_title(shipped_catalog: Catalog, line: str) -> None:
    assert got(shipped_catalog, line) == ("extraordinary-attorney-woo", ())


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        # each the first season confidently on main (9029b77): a sentence naming a drama word
        # for word, its season after it ("2" was one more word of the sentence)
        ("/rating did people like the uncanny counter 2", "the-uncanny-counter-2-counter-punch"),
        ("/drama did people like the uncanny counter s2", "the-uncanny-counter-2-counter-punch"),
        (
            "/rating did people like the uncanny counter season 2",
            "the-uncanny-counter-2-counter-punch",
        ),
        # as on main
        ("/rating did people like the uncanny counter", "the-uncanny-counter"),
        ("/rating did people like hospital playlist 2", "hospital-playlist-2"),
    ],
)
def test_a_season_after_a_title_in_a_sentence(
    shipped_catalog: Catalog, line: str, slug: str
) -> None:
    assert got(shipped_catalog, line) == (slug, ())


def test_a_season_we_lack_after_a_title_in_a_sentence(shipped_catalog: Catalog) -> None:
    # The Uncanny Counter on main (9029b77): its seasons offered
    assert got(shipped_catalog, "/rating did people like the uncanny counter 5") == (
        None,
        ("the-uncanny-counter", "the-uncanny-counter-2-counter-punch"),
    )


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        # each Descendants of the Sun (or the drama named) confidently on main (9029b77): a
        # remake or version of another country than the card's
        ("/drama descendants of the sun philippine remake", "descendants-of-the-sun"),
        ("/drama descendants of the sun chinese remake", "descendants-of-the-sun"),
        ("/drama descendants of the sun ph remake", "descendants-of-the-sun"),
        ("/drama descendants of the sun philippine version", "descendants-of-the-sun"),
        ("/drama the good bad mother japanese version", "the-good-bad-mother"),
        ("/stream its okay to not be okay american remake", "its-okay-to-not-be-okay"),
        # as on main
        ("/drama queen of tears thai version", "queen-of-tears"),
        ("/rating extraordinary attorney woo us remake", "extraordinary-attorney-woo"),
    ],
)
def test_another_countrys_version_is_a_did_you_mean(
    shipped_catalog: Catalog, line: str, offered: str
) -> None:
    assert_did_you_mean(shipped_catalog, line, offered)


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        # as on main: the card's own country, or a wish after the title
        ("/drama descendants of the sun korean", "descendants-of-the-sun"),
        ("/drama descendants of the sun korean version", "descendants-of-the-sun"),
        ("/drama signal kdrama", "signal"),
        ("/similar like queen of the tears but chinese", "queen-of-tears"),
        ("/stream descendants of the sun in the us", "descendants-of-the-sun"),
    ],
)
def test_the_cards_own_country_still_answers(
    shipped_catalog: Catalog, line: str, slug: str
) -> None:
    assert got(shipped_catalog, line) == (slug, ())


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        # each a did-you-mean on main (9029b77): two letters of the family name swapped,
        # making no Korean syllable (a swap reads back one way, as in a given name)
        ("/actor sogn hye kyo", "Song Hye Kyo"),
        ("/actor nma joo hyuk", "Nam Joo Hyuk"),
        ("/actor hna so hee", "Han So Hee"),
        ("/actor snog kang", "Song Kang"),
        ("/actor jnu ji hyun", "Jun Ji Hyun"),
    ],
)
def test_a_family_name_with_two_letters_swapped(
    shipped_catalog: Catalog, line: str, meant: str
) -> None:
    result = answer(shipped_catalog, parse_command_line(line))
    assert getattr(result, "actor", None) is not None and result.actor.name == meant


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        # as on main: swapped letters that read as syllables ("chi o", "e le")
        ("/actor chio woo shik", "choi-woo-shik"),
        ("/actor ele dong wook", "lee-dong-wook"),
    ],
)
def test_a_family_name_swapped_into_syllables_is_a_did_you_mean(
    shipped_catalog: Catalog, line: str, offered: str
) -> None:
    assert_did_you_mean(shipped_catalog, line, offered)


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        # each not found on main (9029b77): a few words of mood, "like" (or "similar to") and
        # a title, a wish after it
        ("/similar something healing like navillera", "navillera"),
        ("/similar dark revenge like the glory", "the-glory"),
        ("/similar office romance like business proposal but less cringe", "business-proposal"),
        ("/similar a cute romcom similar to business proposal", "business-proposal"),
        ("/similar healing like navilera", "navillera"),
        ("/similar dark like kingdom 2", "kingdom-2"),
        # as on main
        ("/similar something like goblin", "guardian-the-lonely-and-great-god"),
    ],
)
def test_a_mood_like_a_title(shipped_catalog: Catalog, line: str, slug: str) -> None:
    assert got(shipped_catalog, line) == (slug, ())


@pytest.mark.parametrize(
    "line",
    [
        # a title we lack, or a sentence longer than a mood: no answer, as on main
        "/similar something healing like narnia",
        "/similar i really really want a drama just like the glory",
        "/similar sad like moving on",
    ],
)
def test_a_mood_like_no_title_is_no_answer(shipped_catalog: Catalog, line: str) -> None:
    assert got(shipped_catalog, line)[0] is None


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        # each not found on main (9029b77): a title in a chat question, after "has", "for" or
        # "with", before "streaming", among "bother" and "overhyped"
        ("/stream is the penthouse streaming anywhere", "the-penthouse"),
        ("/rating should i bother with sky castle or is it overhyped", "sky-castle"),
        ("/rating whats the mydramalist score for moving", "moving"),
        ("/rating rotten tomatoes for the glory", "the-glory"),
        ("/rating whats the score for a shop for killers", "a-shop-for-killers"),
        # a season marked as one in the question, asked with the title
        ("/rating tell me the rating of hellbound season 2 pls", "hellbound-2"),
        ("/rating whats the imdb score for hospital playlist s2", "hospital-playlist-2"),
        ("/stream is squid game part 2 streaming anywhere", "squid-game-2"),
    ],
)
def test_a_title_in_a_chat_question(shipped_catalog: Catalog, line: str, slug: str) -> None:
    assert got(shipped_catalog, line) == (slug, ())


@pytest.mark.parametrize(
    ("line", "slug", "region"),
    [
        # not found on main (9029b77)
        ("/stream which app has lovely runner in canada", "lovely-runner", "CA"),
        # answered for no country on main
        ("/stream which app has hometown cha cha cha in canada", "hometown-cha-cha-cha", "CA"),
    ],
)
def test_the_country_of_a_chat_question_after_has(
    shipped_catalog: Catalog, line: str, slug: str, region: str
) -> None:
    result = answer(shipped_catalog, parse_command_line(line))
    assert isinstance(result, CardAnswer)
    assert (result.card.slug, result.region) == (slug, region)


@pytest.mark.parametrize(
    "line",
    [
        # a title we lack around a title we have, or a season we lack: no answer, as on main
        "/stream which app has moving on",
        "/stream has anyone seen the glory days",
        "/stream where can i watch kingdom season 5",
        "/rating whats the score for killers",
    ],
)
def test_a_chat_question_otherwise_is_no_answer(shipped_catalog: Catalog, line: str) -> None:
    assert got(shipped_catalog, line)[0] is None


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        # each not found on main (9029b77): a romanized title's sounds made one word by word
        # ("sunjae upgo" was "sunja" and "eupgo" run together), 튀 written "tui" or "twi"
        ("/drama sunjae upgo tuieo", "lovely-runner"),
        ("/drama sunjae upgo twieo", "lovely-runner"),
        # a did-you-mean on main
        ("/drama taeyangwooi huye", "descendants-of-the-sun"),
        ("/drama nawooi ajeossi", "my-mister"),
        # as on main
        ("/drama seonjae eopgo twieo", "lovely-runner"),
        ("/drama naui ajusshi", "my-mister"),
        ("/drama yukdoyojunggimbokju", "weightlifting-fairy-kim-bok-joo"),
    ],
)
def test_a_romanized_title_word_by_word(shipped_catalog: Catalog, line: str, slug: str) -> None:
    assert got(shipped_catalog, line) == (slug, ())


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        # tunnel alone offered on main (9029b77): "both" or "either" before joined titles
        ("/similar both beyond evil and tunnel", ("beyond-evil", "tunnel")),
        ("/similar either signal or tunnel", ("signal", "tunnel")),
        ("/drama both goblin and w", (GOBLIN, "w")),
    ],
)
def test_both_before_joined_titles(
    shipped_catalog: Catalog, line: str, offered: tuple[str, ...]
) -> None:
    assert_offered(shipped_catalog, line, offered)


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        # a did-you-mean or not found on main (9029b77): Hangul letters alone after or around
        # a title (crying, laughing)
        ("/drama 사랑의 불시착 ㅠㅠ", "crash-landing-on-you"),
        ("/drama ㅋㅋ 도깨비 ㅋㅋㅋ", GOBLIN),
        ("/stream vincenzo ㅎㅎ", "vincenzo"),
    ],
)
def test_hangul_letters_alone_are_no_title(shipped_catalog: Catalog, line: str, slug: str) -> None:
    assert got(shipped_catalog, line) == (slug, ())


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        # each not found on main (9029b77): a chat question typed without its spaces
        ("/stream vincenzoonnetflix", "vincenzo"),
        ("/stream whereismymister", "my-mister"),
        ("/stream wherecaniwatchtheglory", "the-glory"),
        ("/stream squidgame2onnetflix", "squid-game-2"),
        ("/rating isskycastleworthit", "sky-castle"),
    ],
)
def test_a_chat_question_without_spaces(shipped_catalog: Catalog, line: str, slug: str) -> None:
    assert got(shipped_catalog, line) == (slug, ())


@pytest.mark.parametrize(
    "line",
    [
        # other letters around the title, a title we lack, a service it is not on
        "/drama xxxxvincenzo",
        "/stream whereisnarnia",
        "/stream mymisteronnetflix",
    ],
)
def test_a_glued_question_otherwise_is_no_answer(shipped_catalog: Catalog, line: str) -> None:
    assert got(shipped_catalog, line)[0] is None


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        # not found on main (9029b77): "meets" joins titles as "and" does
        ("/similar vincenzo meets taxi driver", ("vincenzo", "taxi-driver")),
        ("/similar goblin meets hotel del luna", (GOBLIN, "hotel-del-luna")),
    ],
)
def test_meets_joins_titles(shipped_catalog: Catalog, line: str, offered: tuple[str, ...]) -> None:
    assert_offered(shipped_catalog, line, offered)


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        # each the first season confidently on main (9029b77): the new, next or latest season
        # of a drama we have in several (which is newest, the cards do not say): every season
        (
            "/drama romantic doctor teacher kim new season",
            (
                "romantic-doctor-teacher-kim",
                "romantic-doctor-teacher-kim-2",
                "romantic-doctor-teacher-kim-3",
            ),
        ),
        (
            "/drama work later drink now latest season",
            ("work-later-drink-now", "work-later-drink-now-2"),
        ),
        # not found on main
        ("/drama the newest season of sweet home", ("sweet-home", "sweet-home-2", "sweet-home-3")),
        ("/drama sweet home next season", ("sweet-home", "sweet-home-2", "sweet-home-3")),
    ],
)
def test_a_new_season_is_every_season(
    shipped_catalog: Catalog, line: str, offered: tuple[str, ...]
) -> None:
    assert got(shipped_catalog, line) == (None, offered)


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        # not found on main (9029b77): the new season of a drama we have in one season is it
        ("/drama vincenzo new season", "vincenzo"),
        ("/drama the glory latest season", "the-glory"),
        # as on main
        ("/drama the kidnapping day", "the-kidnapping-day"),
    ],
)
def test_a_new_season_of_a_drama_in_one(shipped_catalog: Catalog, line: str, slug: str) -> None:
    assert got(shipped_catalog, line) == (slug, ())


def test_a_final_season_of_a_drama_in_one_is_still_a_did_you_mean(
    shipped_catalog: Catalog,
) -> None:
    # as on main: whether it ended, the cards do not say
    assert got(shipped_catalog, "/drama vincenzo final season") == (None, ("vincenzo",))


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        # each a did-you-mean on main (9029b77): "actor" or "actress" after the name
        ("/actor esom actress", "Esom"),
        ("/actor iu actress", "IU"),
        ("/actor hyun bin actor", "Hyun Bin"),
        ("/actor esom the actress", "Esom"),
        ("/actor song kang kdrama actor", "Song Kang"),
    ],
)
def test_actor_after_a_name(shipped_catalog: Catalog, line: str, meant: str) -> None:
    result = answer(shipped_catalog, parse_command_line(line))
    assert getattr(result, "actor", None) is not None and result.actor.name == meant


@pytest.mark.parametrize(
    ("line", "slug", "offered"),
    [
        # each answered confidently on main (9029b77): a year or service the drama's card
        # contradicts, said as "the … one" or "the … version", or a year after "the" before
        # the title
        ("/drama the 2023 crash landing on you", None, ("crash-landing-on-you",)),
        ("/drama hometown cha-cha-cha the disney+ one", None, ("hometown-cha-cha-cha",)),
        ("/drama all of us are dead the tvn one", None, ("all-of-us-are-dead",)),
        # not found on main (a shorter title): now a did-you-mean
        ("/drama black knight the netflix one", None, ("black-knight-the-man-who-guards-me",)),
        ("/drama signal the 2020 version", None, ("signal",)),
        ("/drama the 2023 black knight", None, ("black-knight-the-man-who-guards-me",)),
        # the card's own year or network (not found on main; as on main for a longer title)
        ("/drama black knight the kbs2 one", "black-knight-the-man-who-guards-me", ()),
        ("/drama signal the 2016 version", "signal", ()),
        ("/drama the 2017 black knight", "black-knight-the-man-who-guards-me", ()),
        ("/drama queen of tears the netflix one", "queen-of-tears", ()),
        # another season's network: that season (as "voice tvn" is), not found on main
        ("/drama voice the tvn one", "voice-4", ()),
    ],
)
def test_the_one_of_a_year_or_a_service(
    shipped_catalog: Catalog, line: str, slug: str | None, offered: tuple[str, ...]
) -> None:
    assert got(shipped_catalog, line) == (slug, offered)


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        # each answered confidently on main (9029b77), the service the card does not list
        # lost: a title holding "and" or a comma was read as two names of it, "joined"
        ("/drama guardian the lonely and great god netflix", (GOBLIN,)),
        (
            "/drama work later, drink now netflix",
            ("work-later-drink-now", "work-later-drink-now-2"),
        ),
        # season 1 (aired on OCN) on main: season 2 named by its own name, and OCN
        (
            "/drama the uncanny counter 2: counter punch ocn",
            ("the-uncanny-counter-2-counter-punch", "the-uncanny-counter"),
        ),
    ],
)
def test_a_service_the_card_does_not_list(
    shipped_catalog: Catalog, line: str, offered: tuple[str, ...]
) -> None:
    assert got(shipped_catalog, line) == (None, offered)


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        # as on main: a name said again, a title's own "and" or comma, the season that aired
        # on the service named
        ("/drama vincenzo, vincenzo and vincenzo", "vincenzo"),
        ("/drama guardian the lonely and great god tving", GOBLIN),
        ("/drama kill me, heal me", "kill-me-heal-me"),
        ("/drama the uncanny counter tvn", "the-uncanny-counter-2-counter-punch"),
        ("/drama voice tvn", "voice-4"),
    ],
)
def test_a_service_the_card_lists(shipped_catalog: Catalog, line: str, slug: str) -> None:
    assert got(shipped_catalog, line) == (slug, ())


# 328 rows (none repeats an earlier round's line), 101 with no confident answer wanted (98 about
# dramas, seasons or actors we do not have; 3 stories described in words their reviews do not
# use; round 18 flipped the other 39 stories to their drama offered, and the four left undone
# to their drama; round 19 five more); all asked through one ``drama-bot ask --json`` process.
records, test_the_set_is_as_documented, test_fan_query = fan_round(
    Path(__file__).parent / "fixtures" / "fan_queries_round17.yaml", 328, absent=101
)
