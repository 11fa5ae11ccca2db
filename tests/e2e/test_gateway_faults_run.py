"""Gateway faults through the unmodified ``drama-bot run`` (round 15, branch ``serve15``;
the in-process bot met them in tests/e2e/test_resilience.py): op 7 RECONNECT, op 9
INVALID_SESSION resumable and not. Each time the process goes on serving (the next
``/drama`` is answered within Discord's window), logs no ERROR and no traceback, and exits 0
with close code 1000 at SIGTERM."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.patience import patient
from tests.standins.discord import DiscordStandIn

from .harness import DEADLINE
from .processes import drama_bot_serving, stopped


async def _reconnect(standin: DiscordStandIn) -> None:
    resumes = standin.gateway.total_resumes
    assert await standin.drop_connection(reconnect_op=True) == 1
    await standin.state.changed.wait_for(
        lambda: standin.gateway.total_resumes > resumes, patient(20.0), "a RESUME"
    )


async def _invalid_resumable(standin: DiscordStandIn) -> None:
    resumes = standin.gateway.total_resumes
    await standin.invalidate_session(resumable=True)
    await standin.state.changed.wait_for(
        lambda: standin.gateway.total_resumes > resumes, patient(20.0), "a RESUME"
    )


async def _invalid(standin: DiscordStandIn) -> None:
    before = standin.gateway.by_shard[0].session_id
    await standin.invalidate_session(resumable=False)

    def identified_again() -> bool:
        session = standin.gateway.by_shard.get(0)
        return bool(session and session.session_id != before and session.connection)

    await standin.state.changed.wait_for(identified_again, patient(30.0), "a new IDENTIFY")


FAULTS = {
    "op 7 RECONNECT": _reconnect,
    "op 9 INVALID_SESSION, resumable": _invalid_resumable,
    "op 9 INVALID_SESSION": _invalid,
}


@pytest.mark.parametrize("fault", FAULTS)
async def test_the_bot_serves_on_after_a_gateway_fault(
    standin: DiscordStandIn, tmp_path: Path, fault: str
) -> None:
    async with drama_bot_serving(standin, tmp_path) as process:
        await FAULTS[fault](standin)
        interaction = await standin.send_slash("drama", {"title": "Run On"})
        response = await interaction.wait_response(timeout=patient(5.0))
        assert response.type == 4 and response.latency < DEADLINE
        assert response.embeds[0]["title"] == "Run On (2020)"
        _, stderr = await stopped(process)
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "Traceback" not in log and " ERROR " not in log, log
    assert standin.connections[-1].close_code == 1000
