"""The unmodified ``drama-bot run`` against the stand-in, first start (no stored catalog) with
a stray copy of a card and a broken card in the folder (QA round 4, F4.1/F4.2): the log warns
with the count and the errors, ``/drama vincenzo`` answers from vincenzo.yaml (the copy is the
error), and the broken card is said to be unloadable, not missing."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import SHIPPED_CARDS
from tests.standins.discord import DiscordStandIn

from .processes import drama_bot_serving, stopped, write_config


async def test_first_run_with_a_stray_copy_and_a_broken_card(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    cards = tmp_path / "cards"
    shutil.copytree(SHIPPED_CARDS, cards)
    shutil.copy(cards / "vincenzo.yaml", cards / "vincenzo-copy.yaml")
    (cards / "wrong-types.yaml").write_text(
        "title: Wrong Types\nyear: soon\ncast: [{actor: A}]\n", "utf-8"
    )
    config = write_config(tmp_path, standin, data_dir=str(cards))
    async with drama_bot_serving(standin, tmp_path, config) as process:
        vincenzo = await (await standin.send_slash("drama", {"title": "vincenzo"})).wait_response()
        assert vincenzo.type == 4 and vincenzo.embeds[0]["title"] == "Vincenzo (2021)"
        broken = await (await standin.send_slash("drama", {"title": "wrong types"})).wait_response()
        assert broken.ephemeral
        assert (broken.content or "").startswith("The card for “Wrong Types” could not be loaded")
        _, stderr = await stopped(process)
    log = stderr.decode()
    assert process.returncode == 0, log
    (warning,) = [line for line in log.splitlines() if " WARNING bot.frontend.app: " in line]
    assert "2 card errors (the cards they name are left out); run `drama-bot check`" in warning
    assert f"{cards / 'vincenzo-copy.yaml'}:1: title: 'Vincenzo' (2021) is already" in warning
    assert f"{cards / 'wrong-types.yaml'}:2: year: expected a whole number" in warning
    assert "Traceback" not in log and " ERROR " not in log, log
