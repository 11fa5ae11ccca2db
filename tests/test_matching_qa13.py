"""Fan-side round 13 (branch polish13): what fans still typed that the bot missed, through the
answer layer and ``drama-bot ask --json``: titles joined before a wish ("mr queen and the red
sleeve but funnier": one of them answered confidently on main), by "+" or "/", or after
words the index read as a longer title's tail; a question asking which drama it is ("is
hellbound the one with the angels"); more words around a title ("who was in", "loved",
"legally"); a character's name after the title the drama calls them by ("captain ri jeong
hyeok"); and a place after "but in" said back whichever title it follows (/stream).

And the round's fan-side set: queries written by a writer who never read ``bot/``, each
judged (``tests/fixtures/fan_queries_round13.yaml``), asked through ``drama-bot ask --json``
in one process; no answer is confidently about the wrong drama or actor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.answering.answers import CardAnswer, UnknownRegion, answer
from bot.answering.commands import parse_command_line
from bot.catalog.snapshot import Catalog
from tests.answer_helpers import (
    asked,
    fan_round,
    got,
    said,
)
from tests.test_cli import drama_bot


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        # answered confidently on main (47e807a) as the longer title, a sentence's longest
        # title word for word: the wish cut off, the titles before it are joined
        ("/similar mr queen and the red sleeve but funnier", ("mr-queen", "the-red-sleeve")),
        ("/similar the red sleeve and mr queen but funnier", ("mr-queen", "the-red-sleeve")),
        (
            "/similar goblin and hotel del luna but sadder",
            ("guardian-the-lonely-and-great-god", "hotel-del-luna"),
        ),
        # not found on main
        ("/similar signal and tunnel but scarier", ("signal", "tunnel")),
    ],
)
def test_titles_joined_before_a_wish_are_all_offered(
    shipped_catalog: Catalog, line: str, offered: tuple[str, ...]
) -> None:
    found, candidates = got(shipped_catalog, line)
    assert found is None and set(offered) <= set(candidates), (found, candidates)


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        # each not found on main (47e807a), or a did-you-mean of one of them only: a plus or a
        # slash joins titles as a comma does
        ("/similar kingdom + sweet home", ("kingdom", "sweet-home")),
        ("/similar kingdom+sweet home", ("kingdom", "sweet-home")),
        ("/drama hospital playlist + prison playbook", ("hospital-playlist", "prison-playbook")),
        ("/similar 2521 / our beloved summer", ("twenty-five-twenty-one", "our-beloved-summer")),
        ("/similar signal/tunnel", ("signal", "tunnel")),
        # the index offered The World of the Married alone (the words' longest tail): each
        # side names one drama surely, so both are offered
        (
            "/similar loved the glory and the world of the married",
            ("the-glory", "the-world-of-the-married"),
        ),
    ],
)
def test_titles_joined_by_a_sign_are_all_offered(
    shipped_catalog: Catalog, line: str, offered: tuple[str, ...]
) -> None:
    found, candidates = got(shipped_catalog, line)
    assert found is None and set(offered) <= set(candidates), (found, candidates)


def test_a_slash_after_one_letter_joins_nothing(shipped_catalog: Catalog) -> None:
    # "w/" is "with" (W is a drama too): the title before it, as on main
    assert got(shipped_catalog, "/drama anna w/ suzy") == ("anna", ())


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        # each not found on main (47e807a): a question asking which drama it is, after the
        # title; words a fan says before the question ("wait", "hmm")
        ("/drama wait is hellbound the one with the angels from hell??", "hellbound"),
        ("/drama is signal the one where they talk through a radio", "signal"),
        ("/drama hmm is vincenzo the one where the lawyer is a mafia guy", "vincenzo"),
        ("/drama is goblin the one with the grim reaper?", "guardian-the-lonely-and-great-god"),
        # more words around a title
        ("/cast who was in yumi's cells?", "yumis-cells"),
        ("/cast who was in vincenzo", "vincenzo"),
        ("/cast who were in the glory", "the-glory"),
        ("/stream where do i watch mr. sunshine legally?", "mr-sunshine"),
        ("/stream vincenzo online", "vincenzo"),
        ("/stream the glory for free", "the-glory"),
        ("/similar loved the glory", "the-glory"),
        ("/similar really liked my mister", "my-mister"),
    ],
)
def test_a_question_around_a_title(shipped_catalog: Catalog, line: str, meant: str) -> None:
    assert got(shipped_catalog, line) == (meant, ())


@pytest.mark.parametrize(
    "line",
    [
        # "the one with …" is read off only after a title in a question: alone it names
        # nothing, nor typed with a title but no question
        "/drama is the one with the angels",
        "/drama goblin the one with the grim reaper",
        "/drama wait",
    ],
)
def test_which_one_alone_names_nothing(shipped_catalog: Catalog, line: str) -> None:
    assert got(shipped_catalog, line) == (None, ())


def test_a_title_that_starts_with_the_one_keeps_it(tmp_path: Path) -> None:
    # "the one that …" read off after no title at all would leave "is": a did-you-mean of
    # this drama while the rule was written so; answered, as on main (47e807a)
    (tmp_path / "the-one-that-got-away.yaml").write_text(
        "title: The One That Got Away\nyear: 2016\nepisodes: 16\ngenres: [mystery]\n"
        "cast:\n  - actor: Lee Je Hoon\n    role: Park Hae-young\n",
        "utf-8",
    )
    lines = ("/drama is the one that got away good", "/drama hmm is the one that got away sad")
    done = drama_bot("ask", "--json", "--quiet", "--data", str(tmp_path), stdin="\n".join(lines))
    assert done.returncode == 0, done.stderr
    records = [json.loads(row) for row in done.stdout.splitlines()]
    assert [r["card"] for r in records] == ["the-one-that-got-away"] * 2, records


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        # each not found on main (47e807a): the title the drama calls a character by, before
        # the character's name on the card ("Ri Jeong-hyeok (Captain Ri)", "Kim Sa-bu")
        ("/drama captain ri jeong hyeok", "crash-landing-on-you"),
        ("/actor captain ri jeong hyeok", "hyun-bin"),
        ("/actor dr kim sa bu", "han-suk-kyu"),
        ("/drama detective park hae young", "signal"),
        ("/actor the ceo kang tae moo", "ahn-hyo-seop"),
    ],
)
def test_a_characters_name_after_their_title(
    shipped_catalog: Catalog, line: str, offered: str
) -> None:
    assert got(shipped_catalog, line) == (None, (offered,))


@pytest.mark.parametrize(
    ("line", "typed"),
    [
        # each an error on main (47e807a) ("… is not a country I know", no drama shown), where
        # "the glory but in the congo" was answered with the place said back: a long title
        # with "but" after it is near enough to the title for the index, so the words after
        # "in" were taken for a country asked about
        ("/stream crash landing on you but in the congo", "the congo"),
        ("/stream crash landing on you but in wakanda", "wakanda"),
        ("/stream where to watch crash landing on you but in the congo?", "the congo"),
        ("/stream my liberation notes but in narnia", "narnia"),
        ("/stream hometown cha cha cha but in wakanda", "wakanda"),
    ],
)
def test_a_place_after_but_in_is_said_back_whatever_the_title(
    shipped_catalog: Catalog, line: str, typed: str
) -> None:
    result = answer(shipped_catalog, parse_command_line(line))
    assert isinstance(result, CardAnswer), result
    (record,) = asked(line)
    assert f"“{typed}” is not a country I know: shown for every country" in said(record)


def test_a_language_after_but_in_stays_a_wish_whatever_the_title(shipped_catalog: Catalog) -> None:
    # an error on main (47e807a) ("“korean” is not a country I know"), where "the glory but
    # in english" was answered
    for line in ("/stream crash landing on you but in korean", "/stream the glory but in english"):
        result = answer(shipped_catalog, parse_command_line(line))
        assert isinstance(result, CardAnswer) and result.region is None and not result.note


def test_a_place_after_in_alone_is_still_asked_about(shipped_catalog: Catalog) -> None:
    # no wish: the words after "in" are the country asked for, one we do not know (as on main)
    line = "/stream crash landing on you in the congo"
    result = answer(shipped_catalog, parse_command_line(line))
    assert isinstance(result, UnknownRegion) and result.typed == "the congo"


# 297 rows (3 of the writer's 300 repeat an earlier round's line), 79 with no confident
# answer wanted (about dramas or actors we do not have; the one left not found in round
# 13, "camelia blooms", is answered since round 14)
records, test_the_set_is_as_documented, test_fan_query = fan_round(
    Path(__file__).parent / "fixtures" / "fan_queries_round13.yaml", 297, absent=79
)
