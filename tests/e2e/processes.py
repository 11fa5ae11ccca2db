"""Running the unmodified ``drama-bot`` command as a process against the stand-in.

The bot finds the stand-in the way an operator points it anywhere: ``DRAMA_BOT_DISCORD_URL``
(the gateway address comes from ``GET /gateway/bot``); the token comes from ``DISCORD_TOKEN``.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import REPO, SHIPPED_CARDS
from tests.patience import patient
from tests.standins.discord import DiscordStandIn

#: On an idle machine; every wait on a process stretches these with the load (tests/patience.py).
START_TIMEOUT = 20.0  # a cold interpreter importing discord.py on a busy CI machine
EXIT_TIMEOUT = 5.0
#: From READY to the first command sync: the sync runs in the background of a process that may
#: still be starting up (a busy machine slows it as it slows the start, so it is stretched too).
SYNC_TIMEOUT = 5.0
TOKEN_REJECTED = "drama-bot: Discord rejected the token; check DISCORD_TOKEN (or token_file)"


def write_config(
    tmp_path: Path, standin: DiscordStandIn, name: str = "config.yaml", **settings: Any
) -> Path:
    path = tmp_path / name
    values = {
        "data_dir": str(SHIPPED_CARDS),
        "database": "state/drama-bot.sqlite3",  # relative to the config file, like the example
        "dev_guild_ids": [standin.guild.id],  # README step 3; sync_global stays auto
        "log_level": "INFO",
    } | settings
    path.write_text(yaml.safe_dump(values), "utf-8")
    return path


def environment(token: str, api_url: str = "") -> dict[str, str]:
    """The checkout's code (what the in-process tests import), whatever pip installed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DRAMA_BOT_"))}
    env |= {"DISCORD_TOKEN": token, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
    return env | ({"DRAMA_BOT_DISCORD_URL": api_url} if api_url else {})


@asynccontextmanager
async def drama_bot_run(
    standin: DiscordStandIn,
    tmp_path: Path,
    token: str,
    api_url: str | None = None,
    *,
    args: tuple[str, ...] = ("run",),
    config: Path | None = None,
    preexec_fn: Callable[[], None] | None = None,
) -> AsyncIterator[asyncio.subprocess.Process]:
    """``drama-bot run --config …`` (or other ``args``) as a process; killed if still running.
    ``preexec_fn`` runs in the child before the exec (as ``subprocess.Popen``'s)."""
    config = config or write_config(tmp_path, standin)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, "--config", str(config),
        cwd=tmp_path, env=environment(token, api_url or standin.api_url),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, preexec_fn=preexec_fn,
    )  # fmt: skip
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.communicate()


@asynccontextmanager
async def drama_bot_serving(
    standin: DiscordStandIn,
    tmp_path: Path,
    config: Path | None = None,
    preexec_fn: Callable[[], None] | None = None,
) -> AsyncIterator[asyncio.subprocess.Process]:
    """``drama-bot run`` with the stand-in's token, once it is logged in (READY) and has
    synced its commands; killed if still running at the end."""
    async with drama_bot_run(
        standin, tmp_path, standin.token, config=config, preexec_fn=preexec_fn
    ) as process:
        await standin.state.changed.wait_for(
            lambda: standin.gateway.is_ready() or process.returncode is not None,
            patient(START_TIMEOUT),
            "drama-bot run to log in and get READY",
        )
        assert process.returncode is None, "drama-bot run exited during start-up"
        await standin.wait_for_commands(patient(SYNC_TIMEOUT))
        yield process


async def stopped(
    process: asyncio.subprocess.Process, signum: int = signal.SIGTERM
) -> tuple[bytes, bytes]:
    """Send ``signum`` and wait for the process to end: its (stdout, stderr)."""
    process.send_signal(signum)
    return await asyncio.wait_for(process.communicate(), patient(EXIT_TIMEOUT))


async def drama_bot(
    standin: DiscordStandIn, tmp_path: Path, *args: str, config: Path, token: str = ""
) -> tuple[int, str, str]:
    """Run a ``drama-bot`` command to its end: (exit status, stdout, stderr)."""
    async with drama_bot_run(
        standin, tmp_path, token or standin.token, args=args, config=config
    ) as process:
        out, err = await asyncio.wait_for(process.communicate(), patient(START_TIMEOUT))
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()
