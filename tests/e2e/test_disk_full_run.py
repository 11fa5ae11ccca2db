"""The disk filling up while the unmodified ``drama-bot run`` keeps its catalog (round 15,
branch ``serve15``): the process's file size limit (``RLIMIT_FSIZE``, writes past it fail
with EFBIG as on a full disk) lets the start write its database, not a ``/reload`` that adds
4,000 cards. The reload is served from an in-memory database (held); the admin's report now
says so and that what the bot stores from now on is lost at the stop (it said only "Catalog
reloaded"); fans are answered throughout; once there is room again, a restart serves every
card."""

from __future__ import annotations

import resource
import signal
from pathlib import Path

from tests.conftest import minimal_card
from tests.patience import patient
from tests.standins.discord import DiscordStandIn

from .harness import DEADLINE, copy_cards, visible_text
from .processes import drama_bot_serving, stopped, write_config

LIMIT = 2_000_000  # bytes a file: the start's database and its WAL fit, 4,000 more cards do not
ADDED = 4_000


def _small_files() -> None:  # in the child, before the exec
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


async def _title(standin: DiscordStandIn, title: str) -> str:
    interaction = await standin.send_slash("drama", {"title": title})
    response = await interaction.wait_response(timeout=patient(5.0))
    assert response.type == 4 and response.latency < DEADLINE
    return str(response.embeds[0]["title"])


async def test_a_disk_full_during_a_reload_loses_nothing(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    cards = copy_cards(tmp_path)
    config = write_config(tmp_path, standin, data_dir=str(cards), watch_cards=False)
    async with drama_bot_serving(standin, tmp_path, config, _small_files) as process:
        for number in range(ADDED):
            title = f"Filler Harbour {number:04d}"
            slug = f"filler-harbour-{number:04d}"
            (cards / f"{slug}.yaml").write_text(
                minimal_card(title, actor=f"Filler Actor {number:04d}"), "utf-8"
            )
        interaction = await standin.send_slash("reload", {}, user=standin.owner)
        await interaction.wait_response(timeout=patient(5.0))
        report = visible_text((await interaction.wait_message(timeout=patient(120.0))).raw)
        assert await _title(standin, "Run On") == "Run On (2020)"
        late = await _title(standin, "Filler Harbour 3999")
        _, stderr = await stopped(process)
    log = stderr.decode()
    assert report.startswith("Catalog reloaded"), report
    assert "The bot's database file could not be written" in report, report
    assert late == "Filler Harbour 3999 (2020)"
    assert process.returncode == 0, log
    assert "Traceback" not in log and " ERROR " not in log, log
    async with drama_bot_serving(standin, tmp_path, config) as process:
        await standin.state.changed.wait_for(
            lambda: len(standin.gateway.sessions) >= 2, patient(20.0), "the second start"
        )
        assert await _title(standin, "Filler Harbour 3999") == "Filler Harbour 3999 (2020)"
        assert await _title(standin, "Run On") == "Run On (2020)"
        await stopped(process)
