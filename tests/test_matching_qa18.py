"""Fan-side round 18 (branch polish18): what fans still typed that the bot missed, through
``drama-bot ask --json`` (the story index is a service's: these lines are asked through one
process per module). Stories described in fans' words: a person or thing and then what they
do ("the dentist who moves to a seaside village"), a description ended by "one" ("the zombie
school one"), "drama set in …", fans' everyday words for what a review says more plainly
("mom", "kids", "super strength"), a long description with no cue missing one word.

Last, the lines of this round's blind writer (``tests/fixtures/fan_queries_round18.yaml``,
each with its judged ``want``), all through one ``drama-bot ask --json`` process: none may be
a confident answer about another drama or person."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.catalog.snapshot import Catalog
from tests.answer_helpers import asked, assert_did_you_mean, fan_round, got
from tests.test_cli import drama_bot

# (line, the drama it describes): each not found on main (f73bda9); written for this test,
# not by the round's writer (their lines are in the fixtures).
STORIES = [
    # a person or a thing, then what they do ("who", "whose", "that")
    ("/drama the lawyer who has autism", "extraordinary-attorney-woo"),
    ("/drama the heiress who crash lands in north korea", "crash-landing-on-you"),
    ("/drama the detective who talks to the past on a walkie talkie", "signal"),
    ("/drama the doctor friends who sing in a band", "hospital-playlist"),
    ("/stream the dentist who moves to a seaside village", "hometown-cha-cha-cha"),
    ("/cast the taxi company that does revenge jobs", "taxi-driver"),
    ("/drama the alien who has been on earth since joseon", "my-love-from-the-star"),
    # a description ended by "one"; "drama set in"
    ("/drama the ghost hotel one", "hotel-del-luna"),
    ("/drama the zombie school one", "all-of-us-are-dead"),
    ("/drama that fencing drama set in 1998", "twenty-five-twenty-one"),
    # a fan's everyday word for the review's plainer one
    ("/drama the mom who is a pig farmer", "the-good-bad-mother"),
    ("/drama the one where the teens fight zombies at school", "all-of-us-are-dead"),
    ("/drama the one where the teens hide superpowers they got from their parents", "moving"),
    (
        "/drama the small girl with super strength who becomes a bodyguard",
        "strong-woman-do-bong-soon",
    ),
    ("/drama single mom with a bar and the joker serial killer", "when-the-camellia-blooms"),
    ("/drama the surgeon who gets pulled into her dad's webtoon", "w"),
    ("/drama the doctor whose husband is cheating", "the-world-of-the-married"),
    ("/drama the one about drinking buddies", "work-later-drink-now"),
    ("/drama the heir who has multiple personalities", "kill-me-heal-me"),
    # a number other than a year is no content word ("1000 years")
    ("/drama the hotel for ghosts run by a woman for 1000 years", "hotel-del-luna"),
    # with no cue, five words or more: all but one held
    ("/drama the temp worker paid to get her boss fired", "my-mister"),
    ("/drama the weak kid everyone mistakes for a legendary fighter", "boyhood"),
]
# Each not found on main, and still: a title we lack worded as someone who does something
# (two or three words held by several stories are no description), nonsense so worded.
NOT_STORIES = [
    "/drama the man who sets the table",
    "/drama the girl who sees smells",
    "/drama the woman who still wants to marry",
    "/drama the wizard who flies a spaceship to mars",
    "/drama the penguin who runs a bakery on the moon",
    "/drama the weird pizza one",
    "/drama the boy who cried wolf",
]
# As on main: a title with "who" or "that" in it, typed whole or with a slip, is its drama.
TITLES = [
    ("/drama the moon that embraces teh sun", "moon-embracing-the-sun"),
    ("/drama the man who guards me", "black-knight-the-man-who-guards-me"),
    ("/drama you who came from the star", "my-love-from-the-star"),
]


@pytest.fixture(scope="module")
def answered() -> dict[str, dict[str, Any]]:
    lines = [line for line, _ in STORIES] + NOT_STORIES + [line for line, _ in TITLES]
    return {record["command"]: record for record in asked(*lines)}


@pytest.mark.parametrize(("line", "slug"), STORIES, ids=[line for line, _ in STORIES])
def test_a_story_in_fans_words_offers_its_drama(
    answered: dict[str, dict[str, Any]], line: str, slug: str
) -> None:
    record = answered[line]
    assert record["card"] is None and slug in record["candidates"], record["candidates"]
    assert record["message"]["content"].startswith("Dramas whose story matches")


@pytest.mark.parametrize("line", NOT_STORIES)
def test_a_title_we_lack_worded_as_a_story_is_not_found(
    answered: dict[str, dict[str, Any]], line: str
) -> None:
    assert (answered[line]["card"], answered[line]["candidates"]) == (None, [])


@pytest.mark.parametrize(("line", "slug"), TITLES)
def test_a_title_with_who_or_that_is_its_drama(
    answered: dict[str, dict[str, Any]], line: str, slug: str
) -> None:
    assert answered[line]["card"] == slug


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        # each not found on main (f73bda9): a title right after someone saying, hearing or
        # asking about it, then what is said of it
        ("/stream my friend said moving is on disney plus is that true", "moving"),
        ("/drama my bf keeps saying vincenzo is funny", "vincenzo"),
        ("/drama my mom says reply 1988 is the best", "reply-1988"),
        ("/rating people say the glory is overrated", "the-glory"),
        ("/drama heard mr queen is hilarious", "mr-queen"),
        ("/drama what even is hellbound about", "hellbound"),
        ("/drama i heard the glory is good", "the-glory"),
        ("/drama my friend said start up is good", "start-up"),
        # its season after it
        ("/drama someone said squid game season 2 is worse", "squid-game-2"),
        # a chat question: "on" and a question word, a question word or "rated" after a title
        ("/drama is moving on any app", "moving"),
        ("/drama pyramid game where is it streaming", "pyramid-game"),
        ("/rating vincenzo how is it rated", "vincenzo"),
        ("/drama the glory which app has it", "the-glory"),
        ("/rating is the glory rated well", "the-glory"),
        ("/rating is vincenzo rated high on imdb", "vincenzo"),
    ],
)
def test_a_title_in_hearsay_or_a_chat_question(
    shipped_catalog: Catalog, line: str, slug: str
) -> None:
    assert got(shipped_catalog, line) == (slug, ())


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        # not found on main: a service the card does not list, a season we lack
        ("/stream my friend said the glory is on disney plus is that true", "the-glory"),
        ("/drama i heard black knight is on netflix", "black-knight-the-man-who-guards-me"),
        ("/drama is signal 2 out yet", "signal"),
    ],
)
def test_hearsay_with_what_the_card_contradicts_is_a_did_you_mean(
    shipped_catalog: Catalog, line: str, offered: str
) -> None:
    assert_did_you_mean(shipped_catalog, line, offered)


@pytest.mark.parametrize(
    "line",
    [
        # as on main: a title we lack starting with one of ours, a drama we lack
        "/drama my friend said moving on is great",
        "/drama i heard the glory days is good",
        "/drama my friend said doctor stranger is good",
        "/drama my friend said stranger things is good",
        "/drama my name is kim sam soon",
    ],
)
def test_hearsay_about_a_title_we_lack_is_no_answer(shipped_catalog: Catalog, line: str) -> None:
    assert got(shipped_catalog, line)[0] is None


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        # each not found on main (f73bda9): a word of the phrase before a title with its last
        # letter typed twice
        ("/stream where can i watchh reborm rich", "reborn-rich"),
        ("/stream where can i watchh the glory", "the-glory"),
        ("/drama tell me aboutt vincenzo", "vincenzo"),
        ("/stream where can i streamm moving", "moving"),
        ("/drama shows likee the glory", "the-glory"),
        # Hangul syllables inside a Latin-letter word: the sound of its letters
        ("/drama 킹dom", "kingdom"),
        ("/drama 킹dom 2", "kingdom-2"),
        ("/drama mov잉", "moving"),
        # a silent h ending a romanized syllable
        ("/drama nah-ui ajusshi", "my-mister"),
        ("/drama nah ui ajusshi", "my-mister"),
        # Discord's spoiler bars around a word before the title, "spoilers" before it
        ("/drama ||spoiler|| queen of tears", "queen-of-tears"),
        ("/drama spoilers for the glory", "the-glory"),
        ("/drama no spoilers vincenzo", "vincenzo"),
        # as on main
        ("/drama ||queen of tears||", "queen-of-tears"),
        ("/drama 킹덤", "kingdom"),
    ],
)
def test_round_17s_leftovers_answer(shipped_catalog: Catalog, line: str, slug: str) -> None:
    assert got(shipped_catalog, line) == (slug, ())


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        # each not found on main (f73bda9): "apple tv" before "series" or "show" is the
        # service (the card lists another), not "tv series", the kind of show
        ("/drama kingdom apple tv series", "kingdom"),
        ("/drama the glory apple tv series", "the-glory"),
        ("/drama vincenzo apple tv show", "vincenzo"),
        # a Hangul-and-Latin word with a service the card does not list
        ("/drama 킹dom disney", "kingdom"),
    ],
)
def test_a_service_before_a_kind_of_show(shipped_catalog: Catalog, line: str, offered: str) -> None:
    assert_did_you_mean(shipped_catalog, line, offered)


@pytest.mark.parametrize(
    "line",
    [
        # as on main: a drama we lack, words that end in a doubled letter
        "/drama pachinko apple tv series",
        "/drama call",
        "/drama miss",
        "/drama 가나다abc",
    ],
)
def test_no_drama_is_found_in_these(shipped_catalog: Catalog, line: str) -> None:
    assert got(shipped_catalog, line) == (None, ())


@pytest.mark.parametrize(
    "line",
    [
        # each not found on main (f73bda9): who plays the title character (Vincenzo Cassano)
        "/actor who plays vincenzo",
        "/actor the actor who plays vincenzo",
        "/actor who played vincenzo",
    ],
)
def test_who_plays_the_title_character(shipped_catalog: Catalog, line: str) -> None:
    assert got(shipped_catalog, line) == (None, ("song-joong-ki",))


@pytest.mark.parametrize(
    "line",
    [
        # as on main: a drama whose cast has no role named by its title
        "/actor who plays the glory",
        "/actor who plays signal",
        "/actor vincenzo",
    ],
)
def test_who_plays_a_title_with_no_such_role(shipped_catalog: Catalog, line: str) -> None:
    assert got(shipped_catalog, line) == (None, ())


@pytest.mark.parametrize(
    "line",
    [
        # each a did-you-mean of Run On and Lovely Runner on main (f73bda9): the title's own
        # "on" before a rating site, given back
        "/rating run on rotten tomatoes",
        "/rating run on imdb",
        "/rating run on mdl",
    ],
)
def test_a_title_ending_in_on_before_a_rating_site(shipped_catalog: Catalog, line: str) -> None:
    assert got(shipped_catalog, line) == ("run-on", ())


# 335 rows (none repeats an earlier round's line), 89 with no confident answer wanted (88 about
# dramas, seasons or actors we do not have; 1 story described in words its review does not
# use; round 19 offered four more stories and mended the 3 left undone, noted); all asked
# through one ``drama-bot ask --json`` process.
records, test_the_set_is_as_documented, test_fan_query = fan_round(
    Path(__file__).parent / "fixtures" / "fan_queries_round18.yaml", 335, absent=89
)


def test_markup_and_a_word_no_story_holds_is_no_description(tmp_path: Path) -> None:
    """Five words with no cue may miss one only when each is some story's: a card whose review
    holds four of them ("bold", "everyone", "code", "spoiler") is not offered for a line of
    them and "zqx" (a first cut of this round offered it), and is for a fifth word another
    story holds ("club")."""
    cards = tmp_path / "cards"
    cards.mkdir()
    for slug, headline in (("zq-markup", "Bold everyone code spoiler"), ("zq-club", "A club")):
        (cards / f"{slug}.yaml").write_text(
            f"title: {slug.title()}\nyear: 2020\ncast:\n  - actor: Actor Zq\n    role: Role\n"
            f"review:\n  headline: {headline}\n  summary: A story.\n",
            "utf-8",
        )
    lines = "/drama bold everyone code spoiler zqx\n/drama bold everyone code spoiler club\n"
    done = drama_bot("ask", "--json", "--quiet", "--data", str(cards), stdin=lines)
    assert done.returncode == 0, done.stderr
    nonsense, fifth = (json.loads(line) for line in done.stdout.splitlines())
    assert (nonsense["card"], nonsense["candidates"]) == (None, [])
    assert (fifth["card"], fifth["candidates"]) == (None, ["zq-markup"])
