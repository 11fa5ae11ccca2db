"""The unmodified ``drama-bot run`` and ``scripts/try_standin.py`` as real processes.

Only discord.py's two URLs are pointed at the stand-in (what ``patch_discord_py`` does in
process); the token comes from ``DISCORD_TOKEN`` and the settings from a YAML file.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, SHIPPED_CARDS
from tests.standins.discord import DiscordStandIn

from .harness import ALL_COMMANDS

BOOTSTRAP = """\
import sys
import discord.gateway, discord.http, yarl
discord.http.Route.BASE = sys.argv[1]
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(sys.argv[2])
from bot.cli.main import main
sys.exit(main(sys.argv[3:]))
"""
START_TIMEOUT = 20.0  # a cold interpreter importing discord.py on a busy CI machine
EXIT_TIMEOUT = 5.0
TOKEN_REJECTED = "drama-bot: Discord rejected the token; check DISCORD_TOKEN (or token_file)"


def write_config(tmp_path: Path, standin: DiscordStandIn) -> Path:
    path = tmp_path / "config.yaml"
    settings = {
        "data_dir": str(SHIPPED_CARDS),
        "database": "state/drama-bot.sqlite3",  # relative to the config file, like the example
        "dev_guild_ids": [standin.guild.id],
        "sync_global": True,
        "log_level": "INFO",
    }
    path.write_text(yaml.safe_dump(settings), "utf-8")
    return path


def environment(token: str) -> dict[str, str]:
    """The checkout's code (what the in-process tests import), whatever pip installed."""
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    return env | {"DISCORD_TOKEN": token, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}


@asynccontextmanager
async def drama_bot_run(
    standin: DiscordStandIn, tmp_path: Path, token: str, api_url: str | None = None
) -> AsyncIterator[asyncio.subprocess.Process]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", BOOTSTRAP, api_url or standin.api_url, standin.gateway_url,
        "run", "--config", str(write_config(tmp_path, standin)),
        cwd=tmp_path, env=environment(token),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.communicate()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_drama_bot_run_serves_and_stops_cleanly_on_a_signal(
    standin: DiscordStandIn, tmp_path: Path, signum: signal.Signals
) -> None:
    async with drama_bot_run(standin, tmp_path, standin.token) as process:
        await standin.state.changed.wait_for(
            lambda: standin.gateway.is_ready() or process.returncode is not None,
            START_TIMEOUT,
            "drama-bot run to log in and get READY",
        )
        assert process.returncode is None, "drama-bot run exited during start-up"
        assert standin.commands.names(standin.guild.id) != []
        assert sorted(standin.commands.names()) == sorted(standin.commands.names(standin.guild.id))
        interaction = await standin.send_slash("drama", {"title": "Run On"})
        response = await interaction.wait_response()
        assert response.type == 4 and response.latency < 3
        assert response.embeds[0]["title"] == "Run On (2020)"

        process.send_signal(signum)
        stdout, stderr = await asyncio.wait_for(process.communicate(), EXIT_TIMEOUT)
    errors = stderr.decode()
    assert process.returncode == 0, errors
    assert "Traceback" not in errors, errors
    assert " ERROR " not in errors, errors
    assert f"synced {len(ALL_COMMANDS)} commands to dev guild" in errors  # the logs go to stderr
    assert (tmp_path / "state" / "drama-bot.sqlite3").is_file()
    assert stdout == b""


async def test_drama_bot_run_with_a_rejected_token_exits_2_with_one_clear_line(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    async with drama_bot_run(standin, tmp_path, "not-a-real-token") as process:
        stdout, stderr = await asyncio.wait_for(process.communicate(), START_TIMEOUT)
    errors = stderr.decode()
    assert process.returncode == 2, errors
    assert errors.splitlines().count(TOKEN_REJECTED) == 1, errors
    assert "Traceback" not in errors, errors
    assert stdout == b""
    (violation,) = standin.clear_violations()  # the stand-in answered 401, as Discord does
    assert violation.kind == "auth" and violation.path == "/users/@me"
    assert [f"{q.method} {q.path} {q.status}" for q in standin.requests] == ["GET /users/@me 401"]


async def test_drama_bot_run_without_discord_exits_3_with_one_clear_line(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    with socket.socket() as unused:  # a port nobody listens on
        unused.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{unused.getsockname()[1]}/api/v10"
    async with drama_bot_run(standin, tmp_path, standin.token, api_url=closed) as process:
        _, stderr = await asyncio.wait_for(process.communicate(), START_TIMEOUT)
    errors = stderr.decode()
    assert process.returncode == 3, errors
    (line,) = [line for line in errors.splitlines() if line.startswith("drama-bot:")]
    assert line.startswith("drama-bot: cannot reach Discord: ")
    assert "Traceback" not in errors, errors
    assert standin.requests == []


async def test_try_standin_script_shows_the_run_on_card(tmp_path: Path) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(REPO / "scripts" / "try_standin.py"), "/drama run on",
        cwd=tmp_path, env=environment(""),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), START_TIMEOUT)
    finally:
        if process.returncode is None:
            process.kill()
            await process.communicate()
    out = stdout.decode()
    assert process.returncode == 0, stderr.decode()
    assert "== Run On (2020) ==" in out
    assert "Im Si Wan as Ki Seon-gyeom" in out
    assert "violations: none" in out
    assert "Traceback" not in stderr.decode()
