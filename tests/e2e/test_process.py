"""The unmodified ``drama-bot run`` and ``scripts/try_standin.py`` as real processes.

The bot finds the stand-in the way an operator points it anywhere: ``DRAMA_BOT_DISCORD_URL``
(the gateway address comes from the stand-in's ``GET /gateway/bot``); the token comes from
``DISCORD_TOKEN`` and the settings from a YAML file.
"""

from __future__ import annotations

import asyncio
import signal
import socket
import sys
from pathlib import Path

import pytest

from bot.catalog.heap import jemalloc_library
from tests.conftest import REPO, SHIPPED_CARDS
from tests.patience import patient
from tests.standins.discord import DiscordStandIn

from .harness import ALL_COMMANDS, SHIPPED_SLUGS
from .processes import (
    START_TIMEOUT,
    TOKEN_REJECTED,
    drama_bot_run,
    drama_bot_serving,
    environment,
    stopped,
)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_drama_bot_run_serves_and_stops_cleanly_on_a_signal(
    standin: DiscordStandIn, tmp_path: Path, signum: signal.Signals
) -> None:
    async with drama_bot_serving(standin, tmp_path) as process:
        # The documented set-up shows every command once: in the server, not also globally.
        assert sorted(standin.commands.names(standin.guild.id)) == sorted(ALL_COMMANDS)
        assert standin.commands.names() == []
        interaction = await standin.send_slash("drama", {"title": "Run On"})
        response = await interaction.wait_response()
        assert response.type == 4 and response.latency < 3
        assert response.embeds[0]["title"] == "Run On (2020)"

        stdout, stderr = await stopped(process, signum)
    errors = stderr.decode()
    assert process.returncode == 0, errors
    assert "Traceback" not in errors, errors
    assert " ERROR " not in errors, errors
    assert f"synced {len(ALL_COMMANDS)} commands to dev guild" in errors  # the logs go to stderr
    served = len(SHIPPED_SLUGS)
    assert f"cards from {SHIPPED_CARDS} ({served} served); database {tmp_path}/state/" in errors
    invite = (
        f"invite link: https://discord.com/oauth2/authorize?client_id={standin.application_id}"
        "&scope=bot+applications.commands&permissions=19456"  # view, send, embed links
    )
    assert invite in errors
    assert (tmp_path / "state" / "drama-bot.sqlite3").is_file()
    assert stdout == b""


@pytest.mark.parametrize("chosen", [None, "pymalloc"], ids=["unset", "operator-chose"])
async def test_drama_bot_run_takes_python_objects_from_jemalloc_unless_the_operator_chose(
    standin: DiscordStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chosen: str | None
) -> None:
    """``drama-bot run`` starts itself again, in the same process, with jemalloc's ``malloc``
    for every Python object where the system has jemalloc (RSS flat across full reloads:
    docs/performance.md, branch ``memflat8``), unless the operator set ``PYTHONMALLOC``."""
    monkeypatch.delenv("LD_PRELOAD", raising=False)
    if chosen is None:
        monkeypatch.delenv("PYTHONMALLOC", raising=False)
    else:
        monkeypatch.setenv("PYTHONMALLOC", chosen)
    jemalloc = chosen is None and jemalloc_library() is not None
    async with drama_bot_serving(standin, tmp_path) as process:
        # (the process the test started: its environment, as the serving interpreter got it)
        environ = Path(f"/proc/{process.pid}/environ").read_bytes().decode().split("\0")
        preloaded = [v for v in environ if v.startswith("LD_PRELOAD=") and "jemalloc" in v]
        assert bool(preloaded) == jemalloc, environ
        assert ("PYTHONMALLOC=malloc" in environ) == jemalloc
        interaction = await standin.send_slash("drama", {"title": "Run On"})
        response = await interaction.wait_response()
        assert response.embeds[0]["title"] == "Run On (2020)"
        _, stderr = await stopped(process)
    assert process.returncode == 0, stderr.decode()
    used = "jemalloc" if jemalloc else (chosen or "pymalloc")
    assert f"Python's objects come from {used}" in stderr.decode()


async def test_drama_bot_run_with_a_rejected_token_exits_2_with_one_clear_line(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    async with drama_bot_run(standin, tmp_path, "not-a-real-token") as process:
        stdout, stderr = await asyncio.wait_for(process.communicate(), patient(START_TIMEOUT))
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
        _, stderr = await asyncio.wait_for(process.communicate(), patient(START_TIMEOUT))
    errors = stderr.decode()
    assert process.returncode == 3, errors
    (line,) = [line for line in errors.splitlines() if line.startswith("drama-bot:")]
    assert line.startswith("drama-bot: cannot reach Discord: ")
    assert "Traceback" not in errors, errors
    assert standin.requests == []


async def test_try_standin_script_says_in_one_line_what_discord_would_not_send(
    tmp_path: Path,
) -> None:
    """A title longer than the option allows (200) is refused by Discord's client; the script
    says so in one line (exit 2, as for a malformed command), not with a traceback."""
    long_title = "x" * 210
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(REPO / "scripts" / "try_standin.py"), f"/drama {long_title}",
        cwd=tmp_path, env=environment(""),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        _, stderr = await asyncio.wait_for(process.communicate(), patient(START_TIMEOUT))
    finally:
        if process.returncode is None:
            process.kill()
            await process.communicate()
    errors = stderr.decode()
    assert process.returncode == 2, errors
    (line,) = errors.splitlines()
    assert line.startswith("try_standin: Discord would not send /drama")
    assert "option 'title': length 210" in line and long_title not in line


async def test_try_standin_script_shows_the_run_on_card(tmp_path: Path) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(REPO / "scripts" / "try_standin.py"), "/drama run on",
        cwd=tmp_path, env=environment(""),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), patient(START_TIMEOUT))
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
