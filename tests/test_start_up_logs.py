"""What ``drama-bot run`` and ``drama-bot ask`` say at start-up about broken cards and a missing
cards folder (QA round 4: F4.1, F3.2, F1.1). ``drama-bot run`` runs as a real process against
an address where nothing listens: it logs its start-up, then exits 3 at the login."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cards.loader import load_cards
from bot.frontend.serve import Exit
from tests.conftest import SHIPPED_CARDS
from tests.test_cli import drama_bot

NOWHERE = "http://127.0.0.1:9/api/v10"
BROKEN = {  # file -> its text; each gives one error
    "a-broken.yaml": "title: A Broken\nyear: 2020\ncast: []\n",
    "b-broken.yaml": "title: B Broken\nyear: soon\ncast: [{actor: A}]\n",
    "c-broken.yaml": "title: C Broken\nyear: 2020\ncast: [{actor: A}]\nstremaing: []\n",
    "d-broken.yaml": "title: D Broken\nyear: 1800\ncast: [{actor: A}]\n",
}


def _run(tmp_path: Path, cards: Path, database: Path) -> tuple[int, list[str]]:
    config = tmp_path / "config.yaml"
    config.write_text(f"data_dir: {cards}\ndatabase: {database}\nlog_level: INFO\n", "utf-8")
    done = drama_bot(
        "run",
        "--config",
        str(config),
        env={"DISCORD_TOKEN": "x" * 70, "DRAMA_BOT_DISCORD_URL": NOWHERE},
    )
    return done.returncode, done.stderr.splitlines()


def _cards_with_errors(tmp_path: Path) -> tuple[Path, list[str]]:
    cards = tmp_path / "cards"
    shutil.copytree(SHIPPED_CARDS, cards)
    for name, text in BROKEN.items():
        (cards / name).write_text(text, "utf-8")
    errors = [str(error) for error in load_cards(cards).errors]  # what `check` lists
    assert len(errors) == len(BROKEN)
    return cards, errors


def _logged(lines: list[str], level: str) -> list[str]:
    """The messages of the log lines at ``level`` (after ``<date> <time> LEVEL name: ``)."""
    return [line.split(": ", 1)[1] for line in lines if f" {level} bot." in line]


def test_a_first_start_with_broken_cards_warns_with_the_count_and_the_first_errors(
    tmp_path: Path,
) -> None:
    cards, errors = _cards_with_errors(tmp_path)
    status, lines = _run(tmp_path, cards, tmp_path / "bot.sqlite3")
    assert status == Exit.UNREACHABLE, lines
    assert _logged(lines, "WARNING") == [
        f"4 card errors (the cards they name are left out); run `drama-bot check` for the "
        f"list. First: {errors[0]} | {errors[1]} | {errors[2]}"
    ], lines
    assert not any("Traceback" in line for line in lines)

    # The second start serves the stored catalog and says the same, at ERROR.
    status, lines = _run(tmp_path, cards, tmp_path / "bot.sqlite3")
    assert status == Exit.UNREACHABLE, lines
    assert _logged(lines, "ERROR") == [
        f"4 card errors (the cards folder is not applied); run `drama-bot check` for the "
        f"list. First: {errors[0]} | {errors[1]} | {errors[2]}"
    ], lines


@pytest.mark.parametrize("kind", ["missing", "empty"])
def test_no_cards_and_a_new_database_is_one_line_with_no_internal_error(
    tmp_path: Path, kind: str
) -> None:
    cards = tmp_path / "cards"
    if kind == "empty":
        cards.mkdir()
    status, lines = _run(tmp_path, cards, tmp_path / "state" / "bot.sqlite3")
    assert status == Exit.CONFIG, lines
    reason = {
        "missing": "is not a folder of cards: there is no such folder",
        "empty": "holds no cards (*.yaml files)",
    }[kind]
    assert lines[-1] == (
        f"drama-bot: data_dir {cards}: {reason}, and the database holds no catalog to serve instead"
    )
    said = "\n".join(lines)
    assert "was not kept" not in said, said  # ("Cannot operate on a closed database.")
    if kind == "missing":
        assert "catalog loaded" not in said, said
    assert not any(" WARNING " in line or " ERROR " in line for line in lines), said


def test_ask_with_a_stored_catalog_says_the_broken_cards_are_served_as_stored(
    tmp_path: Path,
) -> None:
    cards = tmp_path / "cards"
    shutil.copytree(SHIPPED_CARDS, cards)
    database = str(tmp_path / "bot.sqlite3")
    first = drama_bot("ask", "--data", str(cards), "--database", database, "/drama run on")
    assert first.returncode == 0 and first.stderr == "", first.stderr
    run_on = cards / "run-on.yaml"
    run_on.write_text(run_on.read_text("utf-8").replace("year: 2020", "year: soon"), "utf-8")
    done = drama_bot("ask", "--data", str(cards), "--database", database, "/drama run on")
    assert done.returncode == 0
    assert "Run On (2020)" in done.stdout  # the last good version answers
    assert "left out" not in done.stderr, done.stderr
    assert (
        f"drama-bot: 1 card file could not be loaded, so the cards folder is not applied: the "
        f"last good catalog in the database ({len(list(SHIPPED_CARDS.glob('*.yaml')))} cards) "
        f"answers; `drama-bot check --data {cards}` lists every problem:"
    ) in done.stderr.splitlines(), done.stderr
    assert f"  {run_on}:4: year: expected a whole number, got text" in done.stderr.splitlines()


def test_cards_in_subfolders_are_mentioned_once_by_check_and_at_start_up(
    tmp_path: Path,
) -> None:
    cards = tmp_path / "cards"
    shutil.copytree(SHIPPED_CARDS, cards)
    (cards / "sub").mkdir()
    shutil.move(cards / "run-on.yaml", cards / "sub" / "run-on.yaml")
    (cards / "old" / "deeper").mkdir(parents=True)
    (cards / "old" / "vincenzo.YML").write_text("title: Vincenzo\n", "utf-8")
    (cards / "images").mkdir()  # no cards in it: not worth a word
    (cards / "images" / "poster.jpg").write_bytes(b"\xff\xd8")
    (cards / ".git").mkdir()  # hidden: left alone
    (cards / ".git" / "x.yaml").write_text("title: X\n", "utf-8")
    said = (
        f"{cards}:1: data: warning: cards in subfolders are not read: old/, sub/ "
        "(cards must be files directly in cards/)"
    )

    done = drama_bot("check", "--data", str(cards))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines().count(said) == 1, done.stdout
    assert done.stdout.splitlines()[-1].endswith("no errors, 1 warning")

    status, lines = _run(tmp_path, cards, tmp_path / "bot.sqlite3")
    assert status == Exit.UNREACHABLE, lines
    assert _logged(lines, "WARNING") == [said], lines
