"""Fan-side round 16 (branch polish16): what fans still typed that the bot missed, through the
answer layer and ``drama-bot ask --json``: a title or a name typed half in Hangul, half in
Latin letters ("the 글로리", "hotel 델루나", "현bin", "아이유 iu"); the country of a ``/stream``
chat question ("does anyone know where i can watch boyhood in the us", "moving in japan these
days"); titles joined by "x" ("kingdom x sweet home"); a year typed against a title
("penthouse2021"); a score asked after a title ("9/10", "above 4 stars", "tmdb"); two
characters' names joined ("kim tan and cha eun sang"); "ss2"; "run on netflix".

Last, the lines of this round's blind writer (``tests/fixtures/fan_queries_round16.yaml``,
each with its judged ``want``), all through one ``drama-bot ask --json`` process: none may be
a confident answer about another drama or person."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answering.answer_models import CardAnswer
from bot.answering.answers import answer
from bot.answering.commands import parse_command_line
from bot.catalog.snapshot import Catalog
from tests.answer_helpers import asked, assert_offered, fan_round, got

GOBLIN = "guardian-the-lonely-and-great-god"


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        # each not found on main (e06877b): the start of an English title (its "the") and the
        # end of its Hangul title (더 글로리's "글로리")
        ("/drama the 글로리", "the-glory"),
        ("/cast the 글로리", "the-glory"),
        ("/rating the 글로리?", "the-glory"),
        # a did-you-mean on main: the start of one of its names in one script, the end of
        # another in the other
        ("/drama 더 glory", "the-glory"),
        ("/stream 더 Glory", "the-glory"),
        ("/drama hotel 델루나", "hotel-del-luna"),
        ("/drama my 아저씨", "my-mister"),
        ("/drama reply 응팔", "reply-1988"),
        ("/drama squid 게임", "squid-game"),
        # not found on main: with a season after it
        ("/drama squid 게임 2", "squid-game-2"),
        ("/drama squid 게임 season 2", "squid-game-2"),
    ],
)
def test_a_title_in_two_scripts_word_for_word(
    shipped_catalog: Catalog, line: str, meant: str
) -> None:
    assert got(shipped_catalog, line) == (meant, ())


@pytest.mark.parametrize(
    "line",
    [
        # words of two dramas' names, or a word in its wrong place: no answer, as on main
        "/drama 글로리 the",
        "/drama 더 vincenzo",
        "/drama 글로리glory",
        "/drama the 게임",
        # a run of little words and one Hangul word that names nothing alone ("the 날" of
        # The Kidnapping Day, 유괴의 날; "my 그대" of My Love from the Star, 별에서 온 그대)
        "/drama the 날",
        "/drama my 그대",
    ],
)
def test_a_title_in_two_scripts_otherwise_is_no_answer(shipped_catalog: Catalog, line: str) -> None:
    assert got(shipped_catalog, line)[0] is None


@pytest.mark.parametrize(
    ("line", "slug", "offered"),
    [
        # each its first season confidently on main (e06877b): a title in both scripts and a
        # later season's number or name
        ("/drama 펜트하우스 penthouse 2", "the-penthouse-2", ()),
        ("/drama 슬기로운 의사생활 playlist 2", "hospital-playlist-2", ()),
        ("/drama the uncanny counter 카운터 펀치", "the-uncanny-counter-2-counter-punch", ()),
        # a season we lack: every season offered
        (
            "/drama 펜트하우스 penthouse 5",
            None,
            ("the-penthouse", "the-penthouse-2", "the-penthouse-3"),
        ),
        # as on main
        ("/drama vincenzo 빈센조", "vincenzo", ()),
    ],
)
def test_a_title_in_two_scripts_and_its_season(
    shipped_catalog: Catalog, line: str, slug: str | None, offered: tuple[str, ...]
) -> None:
    assert got(shipped_catalog, line) == (slug, offered)


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        # each not found on main (e06877b): a person's name, some syllables in Hangul, the
        # others romanized (a syllable a word; any accepted spelling: 현 is "hyeon", "hyun")
        ("/actor 현bin", "Hyun Bin"),
        ("/actor hyun 빈", "Hyun Bin"),
        ("/actor kim 수현", "Kim Soo Hyun"),
        ("/actor son 예진", "Son Ye Jin"),
        ("/actor 손ye jin", "Son Ye Jin"),
        ("/actor 박bo gum", "Park Bo Gum"),
        ("/actor 변 woo seok", "Byeon Woo Seok"),
        # a did-you-mean on main: the whole name written twice, once in each script
        ("/actor 아이유 iu", "IU"),
        ("/actor hyun bin 현빈", "Hyun Bin"),
    ],
)
def test_a_name_half_in_hangul(shipped_catalog: Catalog, line: str, meant: str) -> None:
    result = answer(shipped_catalog, parse_command_line(line))
    assert getattr(result, "actor", None) is not None and result.actor.name == meant


@pytest.mark.parametrize(
    "line",
    [
        # a syllable more, or another person's syllable: no one, as on main
        "/actor 현bin jin",
        "/actor kim 수빈현",
        "/actor son 현jin",
        "/actor 아이유 suzy",
    ],
)
def test_a_name_half_in_hangul_otherwise_is_no_one(shipped_catalog: Catalog, line: str) -> None:
    result = answer(shipped_catalog, parse_command_line(line))
    assert getattr(result, "actor", None) is None


@pytest.mark.parametrize(
    ("line", "slug", "region"),
    [
        # each answered on main (e06877b) for no country (the chat question's title found,
        # the country after it dropped with the chat words)
        ("/stream does anyone know where i can watch boyhood in the us", "boyhood", "US"),
        ("/stream any legal site to watch healer in the uk", "healer", "GB"),
        ("/stream where can i even watch signal in korea", "signal", "KR"),
        ("/stream hey where can u watch moving, canada", "moving", "CA"),
        # "japan these days is not a country I know" on main: the question goes on after it
        ("/stream hey where can u watch moving in japan these days", "moving", "JP"),
        ("/stream where can i watch the glory in korea rn", "the-glory", "KR"),
        ("/stream boyhood in the us pls", "boyhood", "US"),
    ],
)
def test_the_country_of_a_chat_question(
    shipped_catalog: Catalog, line: str, slug: str, region: str
) -> None:
    result = answer(shipped_catalog, parse_command_line(line))
    assert isinstance(result, CardAnswer)
    assert (result.card.slug, result.region) == (slug, region)


def test_the_country_of_a_chat_question_is_said() -> None:
    # through ask --json: Boyhood's card lists Coupang Play (South Korea) alone, and says so
    # for the US; for Korea it lists it
    us, kr = asked(
        "/stream does anyone know where i can watch boyhood in the us",
        "/stream where can i watch boyhood in korea these days",
    )
    assert "Nothing on this card for the United States" in us["message"]["embeds"][0]["description"]
    assert kr["message"]["embeds"][0]["description"].startswith("**In South Korea**")


def test_a_place_we_do_not_know_is_still_said_back(shipped_catalog: Catalog) -> None:
    # "narnia these days is not a country I know" on main: the words after the place go on
    # with the question, and narnia is no country
    result = answer(
        shipped_catalog, parse_command_line("/stream crash landing on you in narnia these days")
    )
    assert not isinstance(result, CardAnswer)
    assert result.typed == "narnia"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        # each the last title confidently on main (e06877b), or not found: "x" (or
        # "versus") between titles joins them as "and" does
        ("/similar lovely runner x queen of tears", ("lovely-runner", "queen-of-tears")),
        ("/drama kingdom x sweet home", ("kingdom", "sweet-home")),
        ("/drama signal x tunnel", ("signal", "tunnel")),
        ("/rating the glory versus vincenzo", ("the-glory", "vincenzo")),
        # a question after the titles: "which is better"
        ("/rating cloy vs goblin which is better", ("crash-landing-on-you", GOBLIN)),
    ],
)
def test_titles_joined_by_x(shipped_catalog: Catalog, line: str, offered: tuple[str, ...]) -> None:
    assert_offered(shipped_catalog, line, offered)


@pytest.mark.parametrize(
    ("line", "slug", "offered"),
    [
        # The Penthouse (2020) confidently on main (e06877b): the year typed against the
        # title's last word was dropped
        ("/drama penthouse2021", None, ("the-penthouse-2", "the-penthouse-3")),
        # not found on main: Vincenzo aired in 2021
        ("/drama vincenzo2019", None, ("vincenzo",)),
        ("/drama kingdom2019", "kingdom", ()),
        # as on main: a title with a year in its name
        ("/drama reply1988", "reply-1988", ()),
    ],
)
def test_a_year_typed_against_a_title(
    shipped_catalog: Catalog, line: str, slug: str | None, offered: tuple[str, ...]
) -> None:
    assert got(shipped_catalog, line) == (slug, offered)


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        # each not found on main (e06877b), or "not season 10": a score asked after a title
        ("/rating hometown cha cha cha 9/10?", "hometown-cha-cha-cha"),
        ("/rating the glory 8.5/10", "the-glory"),
        ("/rating is signal rated above 8", "signal"),
        ("/rating is moving above 4 stars", "moving"),
        ("/rating goblin over 9?", GOBLIN),
        ("/rating vincenzo 90%", "vincenzo"),
        ("/rating vincenzo tmdb", "vincenzo"),
        ("/rating reply 1988 rotten tomatoes", "reply-1988"),
        ("/rating run on stars", "run-on"),
        ("/rating pyramid game percent", "pyramid-game"),
        # a season and a score
        ("/rating squid game 2 9/10", "squid-game-2"),
    ],
)
def test_a_score_asked_after_a_title(shipped_catalog: Catalog, line: str, meant: str) -> None:
    assert got(shipped_catalog, line) == (meant, ())


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        # each not found on main (e06877b): two characters' names joined, both of one drama
        ("/cast baek hyun woo and hong hae in", ("queen-of-tears",)),
        ("/cast kim tan and cha eun sang", ("the-heirs",)),
        ("/drama captain ri & yoon se ri", ("crash-landing-on-you",)),
        # an actor and a character (not found on main)
        ("/drama hyun bin and yoon se ri", ("crash-landing-on-you",)),
    ],
)
def test_two_characters_joined(
    shipped_catalog: Catalog, line: str, offered: tuple[str, ...]
) -> None:
    assert got(shipped_catalog, line) == (None, offered)


def test_characters_of_two_dramas_name_none(shipped_catalog: Catalog) -> None:
    # as on main: Kim Shin is Goblin's, Yoon Se-ri Crash Landing on You's
    assert got(shipped_catalog, "/drama kim shin and yoon se ri") == (None, ())


@pytest.mark.parametrize(
    ("line", "slug", "offered"),
    [
        # every season offered on main (e06877b): "ss2" is season 2
        ("/drama squid game ss2", "squid-game-2", ()),
        ("/drama sweet home ss3", "sweet-home-3", ()),
        # not found on main: a title ending in "on", and a service after it
        ("/stream run on netflix brazil", "run-on", ()),
        # Run On and Lovely Runner offered on main
        ("/drama run on netflix", "run-on", ()),
        # Run On is not on Disney+: a did-you-mean of it (of it and Lovely Runner on main)
        ("/drama run on disney", None, ("run-on",)),
    ],
)
def test_season_tokens_and_a_title_ending_in_on(
    shipped_catalog: Catalog, line: str, slug: str | None, offered: tuple[str, ...]
) -> None:
    assert got(shipped_catalog, line) == (slug, offered)


# 329 rows (none repeats an earlier round's line), 57 with no confident answer wanted (57 about
# dramas, seasons or actors we do not have; of the 6 left undone here, "yi san red sleeve" and
# "isanghan byunhosa woo young woo" are answered since fan pass 17, and the 4 plots described
# want their drama offered since branch plots17's story search); all asked through one
# ``drama-bot ask --json`` process.
records, test_the_set_is_as_documented, test_fan_query = fan_round(
    Path(__file__).parent / "fixtures" / "fan_queries_round16.yaml", 329, absent=57
)


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        # each the second drama confidently on main (e06877b): two dramas' names typed one
        # after the other, nothing between
        ("/drama d.p. itaewon class", ("d-p", "itaewon-class")),
        ("/drama boyhood yumi's cells 2", ("boyhood", "yumis-cells-2")),
        ("/cast anna squid game 3", ("anna", "squid-game-3")),
        ("/rating kingdom 2 hospital playlist 2", ("kingdom-2", "hospital-playlist-2")),
        ("/stream d.p. when the camellia blooms", ("d-p", "when-the-camellia-blooms")),
    ],
)
def test_two_titles_side_by_side(
    shipped_catalog: Catalog, line: str, offered: tuple[str, ...]
) -> None:
    assert got(shipped_catalog, line) == (None, offered)


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        # as on main: a name that starts with another drama's name, or a word more that is no
        # drama's whole name
        ("/drama the penthouse war season 2", "the-penthouse-2"),
        ("/drama hospital playlist 2 now", "hospital-playlist-2"),
        ("/drama reply 1988", "reply-1988"),
    ],
)
def test_a_title_and_words_that_name_no_other_drama(
    shipped_catalog: Catalog, line: str, slug: str
) -> None:
    assert got(shipped_catalog, line) == (slug, ())
