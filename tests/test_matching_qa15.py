"""Fan-side round 15 (branch polish15): what fans still typed that the bot missed, through the
answer layer and ``drama-bot ask --json``: a slip in a short word of a run of a title's words
("landing on yuo", "cha cha chaa"); a title among chat words ("any legal site to watch
healer"); titles and names listed with commas ("w, voice 4", "/actor hyun bin, iu"); a
Korean particle after a Hangul name ("도깨비가", "현빈이"); a drama joined to one we lack;
who is in a drama ("is park bo gum in reply 1988").

Last, the 304 lines of this round's blind writer (``tests/fixtures/fan_queries_round15.yaml``,
each with its judged ``want``), all through one ``drama-bot ask --json`` process: none may be
a confident answer about another drama or person."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalog.snapshot import Catalog
from tests.answer_helpers import (
    asked,
    assert_offered,
    fan_round,
    got,
)

GOBLIN = "guardian-the-lonely-and-great-god"


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        # each not found on main (3794ceb): a run of a title's words, a short word in it
        # typed with two letters swapped or one doubled
        ("/drama landing on yuo", "crash-landing-on-you"),
        ("/drama cha cha chaa", "hometown-cha-cha-cha"),
        ("/stream cha chaa cha", "hometown-cha-cha-cha"),
        ("/drama what yuo saw", "tell-me-what-you-saw"),
        ("/rating drink nwo", "work-later-drink-now"),
    ],
)
def test_a_short_word_swapped_or_doubled_in_a_run(
    shipped_catalog: Catalog, line: str, meant: str
) -> None:
    assert got(shipped_catalog, line) == (meant, ())


@pytest.mark.parametrize(
    "line",
    [
        # a short word with another slip (a wrong key, a letter left out) is as likely
        # another word: not found, as on main
        "/drama landing on yoi",
        "/drama cha cha chab",
        "/drama cha cha ch",
    ],
)
def test_a_short_word_otherwise_slipped_names_nothing(shipped_catalog: Catalog, line: str) -> None:
    assert got(shipped_catalog, line) == (None, ())


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        # each not found on main (3794ceb): a title typed exactly among chat words
        ("/stream any legal site to watch healer", "healer"),
        ("/stream hey where can u watch moving these days", "moving"),
        ("/rating anyone know if sky castle is worth it", "sky-castle"),
        ("/rating how did u guys rate run on", "run-on"),
        ("/rating rotten tomatoes squid game", "squid-game"),
        ("/stream where can i even watch signal these days", "signal"),
        ("/rating is tunnel actually good", "tunnel"),
        ("/rating anyone know if the heirs is worth it", "the-heirs"),
        ("/stream is navillera on netflix or tving", "navillera"),
    ],
)
def test_a_title_among_chat_words(shipped_catalog: Catalog, line: str, meant: str) -> None:
    assert got(shipped_catalog, line) == (meant, ())


def test_a_service_among_chat_words_is_still_asked(shipped_catalog: Catalog) -> None:
    # not found on main (3794ceb); The Glory is on Netflix, not Disney+: a did-you-mean, as
    # "the glory on disney" is
    assert got(shipped_catalog, "/stream can i watch the glory on disney") == (None, ("the-glory",))


@pytest.mark.parametrize(
    "line",
    [
        # a title and a word beside it that may be the rest of a title we lack ("Glory Days",
        # "Moving On"): not found, as on main
        "/rating is glory days actually good",
        "/rating how did u guys rate moving on",
        "/stream where can i watch kingdom ashin",
    ],
)
def test_a_title_and_a_word_more_among_chat_words_is_no_answer(
    shipped_catalog: Catalog, line: str
) -> None:
    assert got(shipped_catalog, line)[0] is None


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        # each the last title confidently on main (3794ceb): the first title's words taken
        # for a season number or noise before the last
        ("/similar w, voice 4", ("w", "voice-4")),
        ("/drama stranger 2,the penthouse 3", ("stranger-2", "the-penthouse-3")),
        ("/similar d.p., itaewon class", ("d-p", "itaewon-class")),
        ("/similar voice 4, sweet home 2", ("voice-4", "sweet-home-2")),
        (
            "/drama reply 1997, romantic doctor teacher kim 2",
            ("reply-1997", "romantic-doctor-teacher-kim-2"),
        ),
        # each the last title confidently on main: "with" before the first title
        ("/similar with voice, fight for my way", ("voice", "fight-for-my-way")),
        ("/similar with the glory, the uncanny counter", ("the-glory", "the-uncanny-counter")),
        ("/similar with run on, descendants of the sun", ("run-on", "descendants-of-the-sun")),
        # a title with a comma of its own, listed after another
        ("/similar my name, work later, drink now 2", ("my-name", "work-later-drink-now-2")),
    ],
)
def test_titles_listed_with_commas_are_all_offered(
    shipped_catalog: Catalog, line: str, offered: tuple[str, ...]
) -> None:
    assert_offered(shipped_catalog, line, offered)


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        # a title with a comma in it, and a list naming one drama: as on main
        ("/drama work later, drink now", "work-later-drink-now"),
        ("/drama work later, drink now 2", "work-later-drink-now-2"),
        ("/drama work later, drigk now", "work-later-drink-now"),
        ("/drama vincenzo, vincenzo", "vincenzo"),
        # not found on main (3794ceb): "with" before a title
        ("/similar with hellbound", "hellbound"),
    ],
)
def test_one_drama_with_a_comma_is_still_answered(
    shipped_catalog: Catalog, line: str, meant: str
) -> None:
    assert got(shipped_catalog, line) == (meant, ())


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        # on main (3794ceb) one of the names was left out (the names run together were read
        # as one name near both): every name of the list is offered, in the order typed
        ("/actor hyun bin, iu", ("hyun-bin", "iu")),
        ("/actor iu , lee sun kyun", ("iu", "lee-sun-kyun")),
        ("/actor hyun bin, son ye jin, seo ji hye", ("hyun-bin", "son-ye-jin", "seo-ji-hye")),
        ("/actor IU; Lee Jong-suk", ("iu", "lee-jong-suk")),
        # not found on main: a comma between actors' names in a question about their drama
        ("/drama hyun bin, son ye jin", ("crash-landing-on-you",)),
        ("/drama the one with gong yoo, kim go eun", (GOBLIN,)),
    ],
)
def test_a_list_of_names_is_each_name(
    shipped_catalog: Catalog, line: str, offered: tuple[str, ...]
) -> None:
    slug, candidates = got(shipped_catalog, line)
    assert slug is None and candidates == offered, (line, slug, candidates)


def test_one_name_typed_with_a_comma_is_still_that_person(shipped_catalog: Catalog) -> None:
    # "kim" and "soo hyun" are no one's whole name: one name, as on main
    (record,) = asked("/actor kim, soo hyun")
    assert record["message"]["embeds"][0]["title"] == "Kim Soo Hyun"


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        # each a did-you-mean or not found on main (3794ceb): a Korean particle after a
        # drama's Hangul name (은/는 "as for", 이/가, 을/를, 의 ...)
        ("/drama 사랑의 불시착은", "crash-landing-on-you"),
        ("/drama 도깨비가", GOBLIN),
        ("/drama 안나는", "anna"),
        ("/drama 괴물이", "beyond-evil"),
        ("/drama 응답하라 1988은", "reply-1988"),
        ("/rating 무빙이", "moving"),
        ("/drama 시그널을", "signal"),
    ],
)
def test_a_particle_after_a_hangul_title(shipped_catalog: Catalog, line: str, meant: str) -> None:
    assert got(shipped_catalog, line) == (meant, ())


@pytest.mark.parametrize(
    ("line", "name"),
    [
        # each not found on main (3794ceb): a particle after an actor's Hangul name
        ("/actor 현빈이", "Hyun Bin"),
        ("/actor 아이유는", "IU"),
        ("/actor 공유는", "Gong Yoo"),
    ],
)
def test_a_particle_after_a_hangul_name(line: str, name: str) -> None:
    (record,) = asked(line)
    assert record["message"]["embeds"][0]["title"] == name


def test_a_syllable_more_that_is_no_particle_names_nothing(shipped_catalog: Catalog) -> None:
    # 도깨비불 ("will-o'-the-wisp") is Goblin's name and 불: no particle, not found as on main
    assert got(shipped_catalog, "/drama 도깨비불") == (None, ())


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        # not found on main (3794ceb): a chat word typed with two letters swapped
        ("/stream where cna i watch vincenzo", "vincenzo"),
        ("/rating waht about hotel del luna", "hotel-del-luna"),
        # a did-you-mean on main: the index offered the drama the chat question names
        ("/stream is crash landing on you still on netflix??", "crash-landing-on-you"),
        ("/rating the kidnapping day good or bad", "the-kidnapping-day"),
    ],
)
def test_a_title_among_chat_words_with_a_slip_or_offered(
    shipped_catalog: Catalog, line: str, meant: str
) -> None:
    assert got(shipped_catalog, line) == (meant, ())


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        # each not found on main (3794ceb): a drama we have joined to one we lack
        ("/similar squid game and alice in borderland", ("squid-game",)),
        ("/drama alice in borderland and squid game", ("squid-game",)),
        ("/rating my demon vs my mister", ("my-mister",)),
        ("/similar goblin or narnia", (GOBLIN,)),
    ],
)
def test_a_drama_joined_to_one_we_lack_is_offered(
    shipped_catalog: Catalog, line: str, offered: tuple[str, ...]
) -> None:
    assert got(shipped_catalog, line) == (None, offered)


def test_a_sentence_joined_to_a_title_is_no_list(shipped_catalog: Catalog) -> None:
    # the words after "and" start as a question, not a title: not found, as on main
    assert got(shipped_catalog, "/drama squid game and what is love") == (None, ())


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        # "out of 10" read as season 10 on main (3794ceb), a did-you-mean: a rating's scale
        ("/rating moon embracing the sun out of 10?", "moon-embracing-the-sun"),
        ("/rating vincenzo out of 5", "vincenzo"),
        # not found on main: "version of" before a title
        ("/drama 2019 version of kingdom", "kingdom"),
    ],
)
def test_a_rating_scale_or_a_version_around_a_title(
    shipped_catalog: Catalog, line: str, meant: str
) -> None:
    assert got(shipped_catalog, line) == (meant, ())


@pytest.mark.parametrize(
    ("line", "slug", "offered"),
    [
        # each not found on main (3794ceb): who is in a drama named after "in"
        ("/cast is park bo gum in reply 1988", "reply-1988", ()),
        ("/cast was iu in my mister", "my-mister", ()),
        ("/cast who is death in death's game", "deaths-game", ()),  # a role its card names
        # an actor not in its cast, a part its card does not name: only offered
        ("/cast is park bo gum in reply 1994", None, ("reply-1994",)),
        ("/cast is hyun bin in the glory", None, ("the-glory",)),
        ("/cast who is the villain in the glory", None, ("the-glory",)),
    ],
)
def test_who_is_in_a_drama(
    shipped_catalog: Catalog, line: str, slug: str | None, offered: tuple[str, ...]
) -> None:
    assert got(shipped_catalog, line) == (slug, offered)


@pytest.mark.parametrize(
    ("line", "slug", "offered"),
    [
        # not found on main (3794ceb): a Korean chat question, the service with a particle
        ("/stream 빈센조 넷플릭스에 있어?", "vincenzo", ()),
        ("/stream 더 글로리 넷플릭스에 있나요", "the-glory", ()),
        # Vincenzo is not on Disney+: a did-you-mean, as "vincenzo on disney" is
        ("/stream 빈센조 디즈니에 있어?", None, ("vincenzo",)),
    ],
)
def test_a_korean_chat_question_about_a_service(
    shipped_catalog: Catalog, line: str, slug: str | None, offered: tuple[str, ...]
) -> None:
    assert got(shipped_catalog, line) == (slug, offered)


# 304 rows (none repeats an earlier round's line), 62 with no confident answer wanted
# (about dramas, seasons or actors we do not have; the 2 left undone in round 15 are
# answered since round 16, noted)
records, test_the_set_is_as_documented, test_fan_query = fan_round(
    Path(__file__).parent / "fixtures" / "fan_queries_round15.yaml", 304, absent=62
)
