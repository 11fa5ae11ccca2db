"""The unmodified ``drama-bot run`` ended by a native fault leaves a trace in its log."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.standins.discord import DiscordStandIn

from .processes import drama_bot_serving, stopped


async def test_drama_bot_run_killed_by_a_native_fault_logs_every_threads_stack(
    standin: DiscordStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A serving bot (logged in, commands synced, one answer given) ended by SIGSEGV, as a
    crash in a C extension would end it: its stderr (the log) holds faulthandler's report and
    the Python stack of each thread, the event loop's among them (before: the log just
    stopped)."""
    monkeypatch.delenv("PYTHONFAULTHANDLER", raising=False)  # (the bot's own, not the test's)
    async with drama_bot_serving(standin, tmp_path) as process:
        interaction = await standin.send_slash("drama", {"title": "Run On"})
        assert (await interaction.wait_response()).embeds[0]["title"] == "Run On (2020)"
        _, stderr = await stopped(process, signal.SIGSEGV)
    errors = stderr.decode()
    assert process.returncode == -signal.SIGSEGV
    assert "Fatal Python error: Segmentation fault" in errors
    assert "most recent call first" in errors and "asyncio/base_events.py" in errors
    assert "bot/frontend/serve.py" in errors  # (the main thread's stack, down to our code)
