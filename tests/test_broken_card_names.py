"""A card that fails to load is not a drama we do not have: asked for by any name that could
be read of it (title, native title, aliases, a typo or the start of its title), the answer is
that its card could not be loaded; `/similar` lists it as such, and `check` does not note the
cards that link to it as naming "no card here". Through ``drama-bot ask --json`` and
``drama-bot check``, on a copy of the shipped cards with Crash Landing on You broken."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import SHIPPED_CARDS
from tests.test_cli import drama_bot


@pytest.fixture(scope="module")
def cloy_broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped cards with Crash Landing on You broken, shared by this module's
    tests: they only read it (``ask`` keeps its database in memory, ``check`` writes nothing)."""
    folder = tmp_path_factory.mktemp("cloy-broken") / "cards"
    shutil.copytree(SHIPPED_CARDS, folder)
    card = folder / "crash-landing-on-you.yaml"
    card.write_text(card.read_text("utf-8").replace("year: 2019", "year: twenty19"), "utf-8")
    return folder


def ask(cards: Path, *commands: str) -> list[dict[str, object]]:
    done = drama_bot("ask", "--json", "--data", str(cards), stdin="\n".join(commands) + "\n")
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def text_of(record: dict[str, object]) -> str:
    message = record["message"]
    assert isinstance(message, dict)
    parts = [str(message.get("content") or "")]
    for embed in message.get("embeds") or []:
        parts += [str(embed.get("title", "")), str(embed.get("description", ""))]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
    return "\n".join(parts)


NAMES = [
    "Crash Landing on You",
    "CLOY",
    "사랑의 불시착",
    "사불",
    "crash landing",
    "crash landng on you",
]
OTHERS = ["/cast cloy", "/drama descendants of the sun", "/drama zzzz qqqq"]
SIMILAR = "/similar descendants of the sun"


@pytest.fixture(scope="module")
def answers(cloy_broken: Path) -> dict[str, dict[str, object]]:
    """Every English line of this module answered by one ``ask --json`` run, by line."""
    lines = [f"/drama {name}" for name in NAMES] + [*OTHERS, SIMILAR]
    records = ask(cloy_broken, *lines)
    assert [r["command"] for r in records] == lines
    return dict(zip(lines, records, strict=True))


@pytest.mark.parametrize("query", NAMES)
def test_every_name_of_a_broken_card_says_it_could_not_be_loaded(
    answers: dict[str, dict[str, object]], query: str
) -> None:
    record = answers[f"/drama {query}"]
    said = text_of(record)
    assert record["card"] is None
    assert "Crash Landing on You" in said and "could not be loaded" in said, said
    assert "No drama" not in said


def test_other_commands_and_other_dramas_are_unaffected(
    answers: dict[str, dict[str, object]],
) -> None:
    cast, other, missing = (answers[line] for line in OTHERS)
    assert "could not be loaded" in text_of(cast)
    assert other["card"] == "descendants-of-the-sun"
    assert "could not be loaded" not in text_of(missing)


def test_similar_does_not_call_a_broken_card_no_card_yet(
    answers: dict[str, dict[str, object]],
) -> None:
    record = answers[SIMILAR]
    said = text_of(record)
    assert "**Crash Landing on You** (its card could not be loaded)" in said, said
    assert "Crash Landing on You** (no card yet)" not in said


def test_check_does_not_note_links_to_a_broken_card_as_missing(cloy_broken: Path) -> None:
    done = drama_bot("check", "--data", str(cloy_broken))
    assert done.returncode == 1
    assert "crash-landing-on-you.yaml:4: year: expected a whole number, got text" in done.stdout
    assert "no card here is called 'Crash Landing on You'" not in done.stdout, done.stdout
    # every other card that links to it is fine: no line names them
    for linking in ("descendants-of-the-sun", "queen-of-tears", "secret-garden"):
        assert f"{linking}.yaml" not in done.stdout


def test_a_broken_card_in_korean(cloy_broken: Path) -> None:
    done = drama_bot(
        "ask", "--json", "--locale", "ko", "--data", str(cloy_broken), "/drama 사랑의 불시착"
    )
    record = json.loads(done.stdout)
    assert "카드를 불러오지 못해서" in text_of(record)
