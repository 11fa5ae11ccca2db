"""Finding a drama by its story ("the one where the lawyer has autism"): through ``drama-bot
ask --json`` on the shipped cards (fans' descriptions, paraphrased from the cards' review text,
never copied), and through the catalog service on real card files and a real SQLite file (a
one-card reload, a damaged index). Never a confident answer: a did-you-mean of the dramas
whose story matches; nonsense and bare cues stay "not found"."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bot.answering.answers import answer
from bot.answering.commands import parse_command_line
from bot.catalog.service import CatalogService
from bot.catalog.store import Store
from bot.catalog.story_index import stories_path
from tests.answer_helpers import asked
from tests.conftest import REPO
from tests.test_cli import drama_bot

# (line, the drama it describes): each as a fan words it, in words of its own.
DESCRIBED = [
    ("/drama the one where the lawyer has autism", "extraordinary-attorney-woo"),
    ("/drama zombie high school drama", "all-of-us-are-dead"),
    ("/drama the kdrama with the time-travelling detective", "tunnel"),
    ("/drama the one with the grim reaper and the goblin", "guardian-the-lonely-and-great-god"),
    ("/drama the one about the chef who wakes up as a queen", "mr-queen"),
    ("/drama drama about a hotel for ghosts", "hotel-del-luna"),
    ("/drama the one where people get dragged to hell", "hellbound"),
    ("/drama the one with the walkie talkie detectives", "signal"),
    ("/drama the one where a dentist moves to a seaside village", "hometown-cha-cha-cha"),
    ("/drama the one where the old man learns ballet", "navillera"),
    ("/drama kdrama about an alien who falls for an actress", "my-love-from-the-star"),
    ("/drama the one where she spends years getting revenge on her bullies", "the-glory"),
    ("/drama the one with the prosecutor who cant feel emotions", "stranger"),
    ("/drama the one where the ceo and the stuntwoman swap bodies", "secret-garden"),
    ("/drama the show with a weightlifter and a swimmer", "weightlifting-fairy-kim-bok-joo"),
    ("/drama the one with the demon hunters in a noodle shop", "the-uncanny-counter"),
    ("/drama the one with the blind profiler", "tell-me-what-you-saw"),
    # several content words and no cue
    ("/drama trauma cleaner and his uncle", "move-to-heaven"),
    # a character's name in the description
    ("/drama the one where kim shin waits for his bride", "guardian-the-lonely-and-great-god"),
    ("/drama the one where captain ri falls for the heiress", "crash-landing-on-you"),
    # a typo in a content word (the index's vocabulary), a plural, a stem
    ("/drama the one with the zombeis in school", "all-of-us-are-dead"),
    ("/drama the one where the surgon is pulled into a webtoon", "w"),
    ("/drama the one about lawyers and a mafia consigliere", "vincenzo"),
    # the other title commands
    ("/cast the one where the mafia lawyer comes to seoul", "vincenzo"),
    ("/similar the one where the heiress lands in north korea", "crash-landing-on-you"),
    ("/stream the one with the deserter hunters", "d-p"),
    ("/rating the one where the pitcher goes to prison", "prison-playbook"),
]
NOT_FOUND = [
    "/drama asdf qwer zxcv",
    "/drama lorem ipsum dolor sit amet",
    "/drama the one where",
    "/drama the one with the",
    "/drama the one where nothing happens at all",
    "/drama lawyers",  # one word, no cue: not read as a description
    # a title we lack made of everyday words, two of them in Mr. Queen's story: with no cue,
    # every word must be in one story
    "/drama golden palace cooking",
]


@pytest.fixture(scope="module")
def records() -> dict[str, dict[str, Any]]:
    """Every line's ``ask --json`` record, from one ``ask`` (in this process)."""
    lines = [line for line, _ in DESCRIBED] + NOT_FOUND
    return {record["command"]: record for record in asked(*lines)}


@pytest.mark.parametrize(("line", "meant"), DESCRIBED)
def test_a_described_story_offers_its_drama(
    records: dict[str, dict[str, Any]], line: str, meant: str
) -> None:
    record = records[line]
    assert record["card"] is None  # never a confident answer
    assert meant in record["candidates"], record["candidates"]
    assert len(record["candidates"]) <= 5
    content = record["message"]["content"]
    assert content.startswith("Dramas whose story matches")
    # the did-you-mean's menu carries the slugs, as every did-you-mean does
    menu = record["message"]["components"][0]["components"][0]
    assert [option["value"] for option in menu["options"]] == record["candidates"]


@pytest.mark.parametrize("line", NOT_FOUND)
def test_nonsense_and_bare_cues_stay_not_found(
    records: dict[str, dict[str, Any]], line: str
) -> None:
    record = records[line]
    assert record["card"] is None and record["candidates"] == []
    assert record["message"]["content"].startswith("No drama called")


def test_browse_about_asks_for_a_story_directly() -> None:
    """``/browse about:``: one word is enough; the other options narrow what it offers."""
    zombies, lawyer, romantic, nothing = asked(
        "/browse about:zombies school",
        "/browse about:lawyer",
        "/browse genre:romance about:lawyer",
        "/browse about:qwxz",
    )
    assert zombies["card"] is None and zombies["candidates"] == ["all-of-us-are-dead"]
    assert {"vincenzo", "extraordinary-attorney-woo"} <= set(lawyer["candidates"])
    assert romantic["candidates"] == ["extraordinary-attorney-woo"]  # (Vincenzo: no romance)
    assert nothing["candidates"] == []
    assert nothing["message"]["content"].startswith("No drama's story matches")


def test_titles_are_answered_as_before() -> None:
    """A title, an alias and a title's typo are answered by the title rules, not by stories."""
    got = asked("/drama run on", "/drama goblin", "/drama crash landing on yuo")
    assert [record["card"] for record in got] == [
        "run-on",
        "guardian-the-lonely-and-great-god",
        "crash-landing-on-you",
    ]


def test_a_story_in_korean_is_said_in_korean() -> None:
    (record,) = asked("/drama the one where the lawyer has autism", locale="ko")
    assert record["candidates"] == ["extraordinary-attorney-woo"]
    assert "줄거리" in record["message"]["content"]


def _card(slug: str, title: str, headline: str, summary: str) -> str:
    return (
        f"title: {title}\nyear: 2020\ncast:\n  - actor: Actor {slug.title()}\n    role: Role\n"
        f"review:\n  headline: {headline}\n  summary: {summary}\n"
    )


def test_hangul_story_words_with_a_particle(tmp_path: Path) -> None:
    """Words in Hangul are found with a particle after them in the query (taken off) or in
    the story ("카페를": a word's start matches); "드라마" is no content word."""
    cards = tmp_path / "cards"
    cards.mkdir()
    (cards / "ghost-cafe.yaml").write_text(
        _card("ghost-cafe", "Ghost Cafe", "카페를 운영하는 유령", "손님이 없다"), "utf-8"
    )
    (cards / "sea-farm.yaml").write_text(
        _card("sea-farm", "Sea Farm", "바다 농장", "A farmer by the sea"), "utf-8"
    )
    done = asked_in(cards, "/drama 유령이 나오는 카페 드라마")
    assert done["card"] is None and done["candidates"] == ["ghost-cafe"]


def asked_in(cards: Path, line: str) -> dict[str, Any]:
    done = drama_bot("ask", "--json", "--quiet", "--data", str(cards), line)
    assert done.returncode == 0, done.stderr
    record: dict[str, Any] = json.loads(done.stdout)
    return record


def _found(service: CatalogService, line: str) -> list[str]:
    return list(answer(service.catalog, parse_command_line(line)).candidate_ids)


def _copy_cards(tmp_path: Path) -> Path:
    cards = tmp_path / "cards"
    shutil.copytree(REPO / "data" / "cards", cards)
    return cards


def test_a_one_card_reload_answers_its_new_story(tmp_path: Path) -> None:
    cards = _copy_cards(tmp_path)

    async def scenario() -> tuple[list[str], list[str], list[str], tuple[str, ...]]:
        async with Store.open(tmp_path / "bot.sqlite3") as store:
            service = CatalogService(store, cards)
            await service.start()
            await service.flush()
            before = _found(service, "/drama the one where the astronaut trains a parrot")
            path = cards / "navillera.yaml"
            text = path.read_text("utf-8").replace(
                "headline: A seventy-year-old man finally learns ballet",
                "headline: A retired astronaut trains a parrot to dance ballet",
            )
            path.write_text(text, "utf-8")
            report = await service.reload(names=[path.name])
            await service.flush()
            after = _found(service, "/drama the one where the astronaut trains a parrot")
            old = _found(service, "/drama the one where the seventy year old man learns ballet")
            return before, after, old, report.diff.changed

    before, after, old, changed = asyncio.run(scenario())
    assert changed == ("navillera",)
    assert before == []
    assert after == ["navillera"]
    assert "navillera" not in old  # its old headline's words are gone from the index


def test_a_damaged_index_file_is_built_again(tmp_path: Path) -> None:
    cards = _copy_cards(tmp_path)
    database = tmp_path / "bot.sqlite3"
    line = "/drama the one where the lawyer has autism"

    async def start() -> list[str]:
        async with Store.open(database) as store:
            service = CatalogService(store, cards)
            await service.start()
            await service.flush()
            found = _found(service, line)
            await service.stories.close()
            return found

    assert asyncio.run(start()) == ["extraordinary-attorney-woo"]
    index = Path(stories_path(str(database)) or "")
    assert index.is_file()
    index.write_bytes(b"this is no SQLite database" * 1000)
    for suffix in ("-wal", "-shm"):
        Path(f"{index}{suffix}").unlink(missing_ok=True)
    assert asyncio.run(start()) == ["extraordinary-attorney-woo"]


def test_a_table_lost_while_serving_is_built_again(tmp_path: Path) -> None:
    """The index's table dropped under a running bot: a search says not found (no error),
    and the next reload builds the index again."""
    cards = _copy_cards(tmp_path)
    database = tmp_path / "bot.sqlite3"
    line = "/drama the one where the lawyer has autism"

    async def scenario() -> tuple[list[str], list[str], list[str]]:
        async with Store.open(database) as store:
            service = CatalogService(store, cards)
            await service.start()
            await service.flush()
            first = _found(service, line)
            with sqlite3.connect(stories_path(str(database)) or "") as other:
                other.execute("DROP TABLE stories")
            lost = _found(service, line)
            await service.reload()
            await service.flush()
            return first, lost, _found(service, line)

    first, lost, again = asyncio.run(scenario())
    assert first == ["extraordinary-attorney-woo"]
    assert lost == []
    assert again == ["extraordinary-attorney-woo"]


def test_a_warm_start_writes_no_unchanged_story(tmp_path: Path) -> None:
    """The second start of the same cards finds every story stored (digests compared)."""
    cards = _copy_cards(tmp_path)
    database = tmp_path / "bot.sqlite3"

    async def start() -> int:
        async with Store.open(database) as store:
            service = CatalogService(store, cards)
            await service.start()
            await service.flush()
            written = service.stories.last_written
            await service.stories.close()
            return written

    assert asyncio.run(start()) == len(list(cards.glob("*.yaml")))
    assert asyncio.run(start()) == 0


def test_a_card_changed_outside_its_story_is_not_written_again(tmp_path: Path) -> None:
    """A reload that changes every card's episode count rewrites no story (a hash of each
    row's text is kept); one that changes a review rewrites that card's alone."""
    cards = _copy_cards(tmp_path)

    async def scenario() -> tuple[int, int, int]:
        async with Store.open(tmp_path / "bot.sqlite3") as store:
            service = CatalogService(store, cards)
            await service.start()
            await service.flush()
            for path in cards.glob("*.yaml"):
                text = path.read_text("utf-8")
                path.write_text(text.replace("\nepisodes: ", "\nepisodes: 1"), "utf-8")
            report = await service.reload()
            await service.flush()
            episodes = service.stories.last_written
            path = cards / "navillera.yaml"
            path.write_text(path.read_text("utf-8").replace("ballet", "tango"), "utf-8")
            await service.reload()
            await service.flush()
            return len(report.diff.changed), episodes, service.stories.last_written

    changed, episodes, review = asyncio.run(scenario())
    assert changed > 50
    assert episodes == 0
    assert review == 1
