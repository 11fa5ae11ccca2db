"""Round 15's hostile-cards sweep (``tests/hostile_sweep.py``) through ``/reload`` of the
running bot (the real discord.py client against the Discord stand-in): for each kind, put in
the cards folder beside the shipped cards, the admin's report names the file, line and key
of its first error and that the catalog (its size) is unchanged; fans' answers go on; the bot
logs no ERROR (the stand-in fixture's check). A kind with notes only is applied."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import SHIPPED_CARDS
from tests.hostile_sweep import SWEEP
from tests.standins.discord import DiscordStandIn

from .conftest import Launch
from .harness import TIMEOUT, answer, base_config, copy_cards, visible_text


def _clear(cards: Path) -> None:
    """Everything but the shipped cards taken out of the folder again."""
    shipped = {path.name for path in SHIPPED_CARDS.iterdir()}
    for path in cards.iterdir():
        if path.name in shipped:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


async def _reload(standin: DiscordStandIn) -> str:
    interaction = await standin.send_slash("reload", {}, user=standin.owner)
    await interaction.wait_response(timeout=TIMEOUT)
    return visible_text((await interaction.wait_message(timeout=TIMEOUT)).raw)


async def test_each_hostile_kind_is_named_in_the_reload_report_and_the_catalog_serves(
    standin: DiscordStandIn, launch: Launch, tmp_path: Path
) -> None:
    cards = copy_cards(tmp_path)
    bot = await launch(base_config(standin, tmp_path, data_dir=cards))
    served = len(bot.service.catalog)
    for sweep in SWEEP:
        sweep.make(cards)
        report = await _reload(standin)
        errors = [line for line in sweep.lines if ": note: " not in line]
        firsts = {line.split(":", 1)[0]: line for line in reversed(errors)}
        if firsts:
            # ("unchanged" when the broken card is the only change, "refused" otherwise)
            assert report.startswith(("Catalog unchanged", "Reload refused")), report
            assert f"({served} cards)" in report, sweep.kind
            for first in firsts.values():
                assert f"`{first}`" in report, (sweep.kind, report)
        else:
            assert report.startswith("Catalog reloaded"), (sweep.kind, report)
        _, response = await answer(standin, "drama", {"title": "Run On"})
        assert response.embeds[0]["title"].startswith("Run On"), sweep.kind
        _clear(cards)
        assert (await _reload(standin)).startswith(("Catalog reloaded", "Catalog unchanged")), (
            sweep.kind
        )
    assert len(bot.service.catalog) == served
