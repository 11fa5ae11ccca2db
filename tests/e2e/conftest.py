"""Fixtures for the end-to-end suite.

* ``standin``: the Discord stand-in (``tests.standins.discord.fixtures.discord_standin``;
  parametrize it indirectly through ``discord_standin``) that, after the test and after every
  bot is closed, asserts no violations, no stand-in self-check failures and no ERROR log
  records. A test that provokes a violation on purpose takes it with
  ``standin.clear_violations()``.
* ``launch``: ``bot = await launch(config)`` starts the real DramaBot; closed at teardown.
* ``drama_bot``: the bot with the shipped cards, a fresh database and the stand-in's guild as
  its dev guild, running.
* ``module_standin`` and ``module_drama_bot``: the same, once per module (in the module's
  event loop), for a module whose tests only ask and read the answers to their own
  interactions (each such module says why no test sees another's doings). The module imports
  them as ``discord_standin`` and ``drama_bot`` and sets ``pytestmark = SHARED_BOT``; its
  ``standin`` is then the shared one, still checked after each test for violations, self-check
  failures and ERROR records of that test.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
import pytest_asyncio

from bot.config import Config
from bot.frontend.app import DramaBot
from tests.standins.discord import DiscordStandIn
from tests.standins.discord.fixtures import (
    discord_standin,  # noqa: F401  (re-exported fixture)
    running_standin,
)

from .harness import base_config, running_bot

Launch = Callable[[Config], Awaitable[DramaBot]]


@pytest_asyncio.fixture
async def standin(
    discord_standin: DiscordStandIn,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> AsyncIterator[DiscordStandIn]:
    caplog.set_level(logging.INFO)
    yield discord_standin
    assert discord_standin.self_check_failures == []
    discord_standin.assert_no_violations()
    # Every phase's records: ``caplog.records`` here holds the teardown's alone, so an ERROR
    # logged while the test ran went unseen before round 12.
    records = [r for phase in ("setup", "call", "teardown") for r in caplog.get_records(phase)]
    errors = [f"{r.name}: {r.getMessage()}" for r in records if r.levelno >= logging.ERROR]
    assert errors == [], "the bot logged errors"


@pytest.fixture
def config(standin: DiscordStandIn, tmp_path: Path) -> Config:
    return base_config(standin, tmp_path)


@pytest_asyncio.fixture
async def launch(standin: DiscordStandIn) -> AsyncIterator[Launch]:
    async with contextlib.AsyncExitStack() as stack:

        async def start(config: Config) -> DramaBot:
            return await stack.enter_async_context(running_bot(standin, config))

        yield start


@pytest_asyncio.fixture
async def drama_bot(launch: Launch, config: Config) -> DramaBot:
    return await launch(config)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def module_standin() -> AsyncIterator[DiscordStandIn]:
    """``discord_standin`` once for a module (import it there as ``discord_standin``)."""
    async with running_standin() as standin:
        yield standin


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def module_drama_bot(
    discord_standin: DiscordStandIn,  # noqa: F811  (the module's: module_standin)
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[DramaBot]:
    """``drama_bot`` once for a module (import it there as ``drama_bot``, beside
    :func:`module_standin` as ``discord_standin``): a bot's start is a log-in, READY and a
    command sync over real sockets, 0.4 to 0.8 s of wall time (docs/testing.md, round 15)."""
    config = base_config(discord_standin, tmp_path_factory.mktemp("module-bot"))
    async with running_bot(discord_standin, config) as bot:
        yield bot


#: ``pytestmark`` of a module whose tests share one stand-in and one bot: its tests run in the
#: module's event loop, each with the bot running.
SHARED_BOT = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("drama_bot")]
