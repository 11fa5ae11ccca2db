"""``drama-bot run`` with no cards to serve: a missing, unreadable or empty cards folder and no
catalog stored in the database is one line naming the folder and exit 2, before Discord is
contacted; with a stored catalog the bot keeps serving it (as a reload that would empty the
catalog is refused)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalog.service import CatalogService
from bot.catalog.store import Store
from bot.config import Config
from bot.frontend.app import NoCards, open_bot
from bot.frontend.serve import Exit
from tests.conftest import SHIPPED_CARDS
from tests.test_cli import drama_bot

TOTAL = len(list(SHIPPED_CARDS.glob("*.yaml")))
#: Nothing listens here: a run that tried to reach Discord would exit 3, not 2.
NOWHERE = "http://127.0.0.1:9/api/v10"


def run_with(tmp_path: Path, cards: Path, database: Path) -> tuple[int, str]:
    config = tmp_path / "config.yaml"
    config.write_text(f"data_dir: {cards}\ndatabase: {database}\n", "utf-8")
    done = drama_bot(
        "run",
        "--config",
        str(config),
        env={"DISCORD_TOKEN": "x" * 70, "DRAMA_BOT_DISCORD_URL": NOWHERE},
    )
    return done.returncode, done.stderr


@pytest.mark.parametrize("kind", ["missing", "empty", "a file"])
def test_run_refuses_to_start_with_no_cards_and_no_stored_catalog(
    tmp_path: Path, kind: str
) -> None:
    cards = tmp_path / "cards"
    if kind == "empty":
        cards.mkdir()
    elif kind == "a file":
        cards.write_text("not a folder\n")
    status, stderr = run_with(tmp_path, cards, tmp_path / "state" / "bot.sqlite3")
    assert status == Exit.CONFIG, stderr
    reason = {
        "missing": "is not a folder of cards: there is no such folder",
        "empty": "holds no cards (*.yaml files)",
        "a file": "is not a folder of cards: it is a file",
    }[kind]
    assert stderr.strip().splitlines()[-1] == (
        f"drama-bot: data_dir {cards}: {reason}, and the database holds no catalog to serve instead"
    )
    assert "serving the 0 valid cards" not in stderr and "Traceback" not in stderr
    assert "cannot reach Discord" not in stderr


async def test_a_stored_catalog_keeps_serving_when_the_folder_is_missing(
    tmp_path: Path, shipped_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = tmp_path / "bot.sqlite3"
    async with Store.open(database) as store:
        await CatalogService(store, shipped_copy).start()
    moved = shipped_copy.rename(tmp_path / "unmounted")
    async with open_bot(Config(data_dir=shipped_copy, database=database)) as bot:
        assert len(bot.service.catalog) == TOTAL
        assert "run-on" in bot.service.catalog.cards
    assert "serving the last good catalog" in caplog.text
    # and with the database gone too, there is nothing to serve
    with pytest.raises(NoCards, match=f"data_dir {shipped_copy}: is not a folder of cards"):
        async with open_bot(Config(data_dir=shipped_copy, database=tmp_path / "new.sqlite3")):
            pass
    assert moved.is_dir()


async def test_broken_cards_alone_still_start_the_bot(tmp_path: Path, cards_dir: Path) -> None:
    """Broken cards are not "no cards": the bot starts, and answers that they could not be
    loaded (the admin fixes them and the watcher or /reload picks them up)."""
    (cards_dir / "run-on.yaml").write_text("title: Run On\nyear: twenty20\n", "utf-8")
    async with open_bot(Config(data_dir=cards_dir, database=tmp_path / "bot.sqlite3")) as bot:
        assert len(bot.service.catalog) == 0
        assert bot.service.last_report is not None and bot.service.last_report.errors


def _start_up_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [f"{r.levelname} {r.getMessage()}" for r in caplog.records if r.levelno >= 20]


async def test_start_up_says_the_folder_is_missing_when_the_stored_catalog_is_served(
    tmp_path: Path, shipped_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = tmp_path / "bot.sqlite3"
    async with Store.open(database) as store:
        await CatalogService(store, shipped_copy).start()
    shipped_copy.rename(tmp_path / "unmounted")
    caplog.clear()
    caplog.set_level("INFO")
    async with open_bot(Config(data_dir=shipped_copy, database=database)):
        pass
    lines = _start_up_lines(caplog)
    assert (
        f"WARNING cards folder {shipped_copy} is not a folder of cards: there is no such "
        f"folder; serving the last good catalog ({TOTAL} cards) from the database"
    ) in lines, lines
    assert not any("card errors" in line for line in lines), lines
    assert not any(line.startswith(f"INFO cards from {shipped_copy.resolve()}") for line in lines)
    assert (
        f"INFO serving the last good catalog ({TOTAL} cards) from the database "
        f"{database.resolve()}, not the cards folder {shipped_copy.resolve()}"
    ) in lines, lines


async def test_start_up_names_no_card_errors_when_the_guard_keeps_the_stored_catalog(
    tmp_path: Path, shipped_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = tmp_path / "bot.sqlite3"
    async with Store.open(database) as store:
        await CatalogService(store, shipped_copy).start()
    for path in sorted(shipped_copy.glob("*.yaml"))[2:]:
        path.unlink()
    caplog.clear()
    caplog.set_level("INFO")
    async with open_bot(Config(data_dir=shipped_copy, database=database)) as bot:
        assert len(bot.service.catalog) == TOTAL
    lines = _start_up_lines(caplog)
    assert not any("card errors" in line for line in lines), lines
    assert not any(line.startswith("ERROR") for line in lines), lines
    warnings = [line for line in lines if line.startswith("WARNING")]
    assert len(warnings) == 1 and f"would remove {TOTAL - 2} of {TOTAL} cards" in warnings[0]
    assert f"serving the {TOTAL} cards stored in the database" in warnings[0]
    assert (
        f"INFO serving the last good catalog ({TOTAL} cards) from the database "
        f"{database.resolve()}, not the cards folder {shipped_copy.resolve()}"
    ) in lines, lines


async def test_start_up_with_broken_cards_and_a_stored_catalog_says_it_once_each(
    tmp_path: Path, shipped_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = tmp_path / "bot.sqlite3"
    async with Store.open(database) as store:
        await CatalogService(store, shipped_copy).start()
    (shipped_copy / "run-on.yaml").write_text("title: Run On\nyear: twenty20\n", "utf-8")
    caplog.clear()
    caplog.set_level("INFO")
    async with open_bot(Config(data_dir=shipped_copy, database=database)):
        pass
    lines = _start_up_lines(caplog)
    errors = [line for line in lines if line.startswith("ERROR")]
    (error,) = errors
    assert error.startswith(
        "ERROR 2 card errors (the cards folder is not applied); run `drama-bot check` for the "
        f"list. They are: {shipped_copy / 'run-on.yaml'}:"
    ), lines
