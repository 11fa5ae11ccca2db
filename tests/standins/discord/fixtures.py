"""pytest fixtures for the Discord stand-in.

In a ``conftest.py``::

    from tests.standins.discord.fixtures import discord_standin  # noqa: F401

and in a test (``asyncio_mode = "auto"``)::

    async def test_ping(discord_standin):
        bot = make_bot()
        async with bot:
            task = asyncio.create_task(bot.start(discord_standin.token))
            await discord_standin.wait_until_ready()
            ...

``discord_standin`` is function-scoped: a fresh server, patched discord.py, and teardown
that stops the server and restores discord.py even when the test fails. Tests that need
other settings (deadline, shards, guilds) can parametrize it indirectly with a dict of
``DiscordStandIn`` keyword arguments::

    @pytest.mark.parametrize("discord_standin", [{"response_deadline": 0.2}], indirect=True)
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from .server import DiscordStandIn


@contextlib.asynccontextmanager
async def running_standin(**options: Any) -> AsyncIterator[DiscordStandIn]:
    """A started stand-in with discord.py patched to use it; stopped and restored after."""
    standin = DiscordStandIn(**options)
    await standin.start()
    try:
        with standin.patch_discord_py():
            yield standin
    finally:
        await standin.stop()


@pytest_asyncio.fixture
async def discord_standin(request: pytest.FixtureRequest) -> AsyncIterator[DiscordStandIn]:
    options: dict[str, Any] = getattr(request, "param", None) or {}
    async with running_standin(**options) as standin:
        yield standin
