"""What an operator meets: Discord ending the run (token reset, intents, sharding) with one
line and a distinct exit status, ``drama-bot sync`` removing stale commands, ``drama-bot
health`` for Docker, and tokens never printed. All as real processes or through the CLI."""

from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path

import pytest

from bot.cli.main import main
from tests.patience import patient
from tests.standins.discord import DiscordStandIn
from tests.tokens import bot_token

from .conftest import Launch
from .harness import ALL_COMMANDS, base_config
from .processes import START_TIMEOUT, TOKEN_REJECTED, drama_bot, drama_bot_run, write_config


@pytest.mark.parametrize(
    ("close", "status", "line"),
    [
        (4004, 4, "the token is no longer valid (was it reset in the Developer Portal?)"),
        (4014, 5, "Discord refused the gateway intents"),
        (4011, 6, "Discord requires sharding for this bot"),
        (4012, 7, "Discord refused the gateway API version"),
    ],
)
async def test_discord_ending_the_run_is_one_line_and_a_distinct_exit_status(
    standin: DiscordStandIn, tmp_path: Path, close: int, status: int, line: str
) -> None:
    async with drama_bot_run(standin, tmp_path, standin.token) as process:
        await standin.state.changed.wait_for(
            lambda: standin.gateway.is_ready() or process.returncode is not None,
            patient(START_TIMEOUT),
            "drama-bot run to get READY",
        )
        if close == 4004:
            await standin.reset_token()  # "Reset Token" in the Developer Portal
        else:
            await standin.drop_connection(code=close)
        stdout, stderr = await asyncio.wait_for(process.communicate(), patient(START_TIMEOUT))
    errors = stderr.decode()
    assert process.returncode == status, errors
    (said,) = [text for text in errors.splitlines() if text.startswith("drama-bot:")]
    assert line in said and said.endswith(f"[gateway close {close}]")
    assert "Traceback" not in errors and " ERROR " not in errors, errors
    assert stdout == b""
    standin.clear_violations()  # the stand-in records the old token's failed requests


async def test_a_rejected_token_is_never_printed(standin: DiscordStandIn, tmp_path: Path) -> None:
    token = bot_token(1175469862512840704)
    async with drama_bot_run(standin, tmp_path, token) as process:
        _, stderr = await asyncio.wait_for(process.communicate(), patient(START_TIMEOUT))
    errors = stderr.decode()
    assert process.returncode == 2 and TOKEN_REJECTED in errors
    assert token[8:] not in errors, errors
    standin.clear_violations()


async def test_drama_bot_sync_puts_and_removes_commands(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    guild = standin.guild.id
    both = write_config(tmp_path, standin, "both.yaml", sync_global=True)
    status, out, err = await drama_bot(standin, tmp_path, "sync", config=both)
    assert status == 0, err
    # discord.py's warnings about voice libraries (PyNaCl, davey) mean nothing to a bot
    # without voice: filtered, as `run` does
    assert "voice will NOT be supported" not in err, err
    count = len(ALL_COMMANDS)
    assert out.splitlines() == [
        f"guild {guild}: {count} commands synced",
        f"global: {count} commands synced (they can take a while to show everywhere)",
    ]
    assert sorted(standin.commands.names(guild)) == sorted(ALL_COMMANDS)
    assert sorted(standin.commands.names()) == sorted(ALL_COMMANDS)

    status, out, err = await drama_bot(
        standin, tmp_path, "sync", "--clear-guild", str(guild), config=both
    )
    assert (status, out) == (0, f"guild {guild}: commands removed\n"), err
    assert standin.commands.names(guild) == []
    status, out, err = await drama_bot(standin, tmp_path, "sync", "--clear-global", config=both)
    assert status == 0, err
    assert out.startswith("global: commands removed")
    assert standin.commands.names() == []
    assert standin.gateway.sessions == {}  # REST only: sync never connects to the gateway


async def test_drama_bot_sync_reports_what_failed(standin: DiscordStandIn, tmp_path: Path) -> None:
    config = write_config(tmp_path, standin, "stranger.yaml", dev_guild_ids=[123456789012345678])
    status, out, err = await drama_bot(standin, tmp_path, "sync", config=config)
    assert status == 1 and out == ""
    assert "could not sync commands to guild 123456789012345678: 403 Forbidden" in err
    assert "Traceback" not in err
    standin.clear_violations()
    status, _, err = await drama_bot(standin, tmp_path, "sync", config=config, token="nope")
    assert (status, err.strip().splitlines()[-1]) == (2, TOKEN_REJECTED)
    standin.clear_violations()


def test_drama_bot_sync_says_when_discord_cannot_be_reached(tmp_path: Path) -> None:
    """README's statuses for `sync`: 3 when Discord cannot be reached, in one line."""
    from tests.test_cli import drama_bot as cli

    config = tmp_path / "config.yaml"
    config.write_text(f"database: {tmp_path / 'bot.sqlite3'}\n", "utf-8")
    done = cli(
        "sync",
        "--config",
        str(config),
        env={"DISCORD_TOKEN": "x" * 70, "DRAMA_BOT_DISCORD_URL": "http://127.0.0.1:9/api/v10"},
    )
    assert done.returncode == 3, done.stderr
    (line,) = [text for text in done.stderr.splitlines() if text.startswith("drama-bot:")]
    assert line.startswith("drama-bot: cannot reach Discord: ")
    assert "Traceback" not in done.stderr and "voice will NOT be supported" not in done.stderr


async def test_a_server_dropped_from_dev_guilds_loses_its_copy_at_the_next_start(
    standin: DiscordStandIn, launch: Launch, tmp_path: Path
) -> None:
    """README's path from trying the bot in one server to running it everywhere: the guild
    copies go away, so no command shows twice."""
    guild = standin.guild.id
    trying = base_config(standin, tmp_path, sync_global=None)  # auto, with a dev guild
    bot = await launch(trying)
    assert sorted(standin.commands.names(guild)) == sorted(ALL_COMMANDS)
    assert standin.commands.names() == []
    await bot.close()
    everywhere = base_config(standin, tmp_path, sync_global=None, dev_guild_ids=())
    await launch(everywhere)
    assert standin.commands.names(guild) == []
    assert sorted(standin.commands.names()) == sorted(ALL_COMMANDS)


def _health(config: Path, *extra: str) -> tuple[int, str]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["health", "--config", str(config), *extra])
    return status, out.getvalue().strip()


async def test_health_follows_the_gateway_connection(
    standin: DiscordStandIn, launch: Launch, tmp_path: Path
) -> None:
    config_file = write_config(tmp_path, standin, database=str(tmp_path / "bot.sqlite3"))
    heartbeat = tmp_path / "bot.heartbeat"
    assert _health(config_file) == (
        1,
        f"unhealthy: no heartbeat file {heartbeat} (the bot is not running)",
    )
    bot = await launch(base_config(standin, tmp_path, database=tmp_path / "bot.sqlite3"))
    await standin.state.changed.wait_for(
        lambda: heartbeat.is_file() and json.loads(heartbeat.read_text())["connected"],
        5,
        "the heartbeat to say connected",
    )
    status, said = _health(config_file)
    assert status == 0 and said.startswith("healthy: connected to Discord (shards 0)")

    old = time.time() - 300  # a hung or killed process stops refreshing the file
    os.utime(heartbeat, (old, old))
    assert _health(config_file) == (1, "unhealthy: last heartbeat 300 s ago (more than 90 s)")
    heartbeat.touch()

    await standin.stop()  # Discord out of reach: the bot keeps trying, the file says so
    await asyncio.sleep(0)
    await standin.state.changed.wait_for(
        lambda: not json.loads(heartbeat.read_text())["connected"], 5, "a disconnection"
    )
    assert _health(config_file)[0] == 0  # within the grace period: a short drop resumes
    status, said = _health(config_file, "--grace", "0")
    assert status == 1 and said.startswith("unhealthy: disconnected from Discord for")
    await bot.close()
    assert not heartbeat.exists()  # a clean stop: nothing claims the bot runs


async def test_stopping_while_discord_is_out_of_reach_is_clean(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    """SIGTERM (docker stop) while the bot keeps trying to reconnect: exit 0, no traceback
    (discord.py's close used to meet a reconnect attempt and crash the shutdown)."""
    import signal

    async with drama_bot_run(standin, tmp_path, standin.token) as process:
        await standin.state.changed.wait_for(
            lambda: standin.gateway.is_ready() or process.returncode is not None,
            patient(START_TIMEOUT),
            "drama-bot run to get READY",
        )
        await standin.stop()
        await asyncio.sleep(0.5)  # the bot notices and starts reconnecting
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), patient(START_TIMEOUT))
    errors = stderr.decode()
    assert process.returncode == 0, errors
    assert "Traceback" not in errors, errors
