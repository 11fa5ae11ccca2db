"""``/reload`` when the cards folder itself is gone: removed, or replaced by a file (round 15,
branch ``serve15``). The admin reads that the cards folder is missing or is not a folder and
that the last good catalog keeps serving, not "1 error in 1 card" (there is no card), with
and without ``confirm:true``; fans' answers go on."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.standins.discord import DiscordStandIn

from .conftest import Launch
from .harness import TIMEOUT, answer, base_config, copy_cards, visible_text


def _a_file(cards: Path) -> None:
    shutil.rmtree(cards)
    cards.write_text("not a folder\n", "utf-8")


def _removed(cards: Path) -> None:
    shutil.rmtree(cards)


FOLDERS: dict[str, tuple[Callable[[Path], None], str]] = {
    "replaced by a file": (_a_file, "is not a folder of cards: it is a file"),
    "removed": (_removed, "is not a folder of cards: there is no such folder"),
}


@pytest.mark.parametrize("confirm", [False, True], ids=["plain", "confirm"])
@pytest.mark.parametrize("fault", FOLDERS)
async def test_a_reload_without_its_cards_folder_says_the_folder_is_missing(
    standin: DiscordStandIn, launch: Launch, tmp_path: Path, fault: str, confirm: bool
) -> None:
    cards = copy_cards(tmp_path)
    bot = await launch(base_config(standin, tmp_path, data_dir=cards))
    served = len(bot.service.catalog)
    make, why = FOLDERS[fault]
    make(cards)
    options = {"confirm": True} if confirm else {}
    interaction = await standin.send_slash("reload", options, user=standin.owner)
    await interaction.wait_response(timeout=TIMEOUT)
    report = visible_text((await interaction.wait_message(timeout=TIMEOUT)).raw)
    assert " in 1 card" not in report and "error" not in report  # (no card to count)
    assert "Nothing changed: the cards folder is missing or is not a folder" in report
    assert f"Still serving the last good catalog ({served} cards)" in report
    assert f"`cards:1: data: {why}`" in report
    assert "confirm:true" not in report  # (confirming cannot bring a folder back)
    _, response = await answer(standin, "drama", {"title": "Run On"})
    assert response.embeds[0]["title"].startswith("Run On")
