"""``drama-bot run`` and ``drama-bot sync`` when the address they are given answers, but not as
Discord's API does: a server error page, or an HTML page with status 200 (a captive portal, a
proxy's login page, a wrong ``DRAMA_BOT_DISCORD_URL``). Each ends with one line and exit 3
(README's exit table), never a traceback.

The "Discord" here is a bare aiohttp server on 127.0.0.1 that answers every request the same
way; the config is the one the other process tests use (its dev guild is never reached).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp import web

from tests.patience import patient
from tests.standins.discord import DiscordStandIn

from .processes import START_TIMEOUT, drama_bot_run, write_config

PAGE = "<!doctype html><html><body><h1>Service unavailable</h1></body></html>"


@pytest_asyncio.fixture
async def odd_discord(request: pytest.FixtureRequest) -> AsyncIterator[tuple[str, list[str]]]:
    """An address answering every request with ``request.param`` (status) and an HTML page;
    yields the API base URL and the list of requests it saw."""
    seen: list[str] = []

    async def answer(incoming: web.Request) -> web.Response:
        seen.append(f"{incoming.method} {incoming.path}")
        return web.Response(status=request.param, text=PAGE, content_type="text/html")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", answer)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}/api/v10", seen
    finally:
        await runner.cleanup()


# 503 is not retried by discord.py, so the test is quick; 500, 502 and 504 end in the same
# DiscordServerError after discord.py's own retries (up to about 16 s).
@pytest.mark.parametrize("odd_discord", [503, 200], indirect=True, ids=["503-html", "200-html"])
@pytest.mark.parametrize("command", ["run", "sync"])
async def test_an_address_that_is_not_discords_api_ends_with_one_line_and_exit_3(
    standin: DiscordStandIn,
    tmp_path: Path,
    odd_discord: tuple[str, list[str]],
    command: str,
) -> None:
    api_url, seen = odd_discord
    config = write_config(tmp_path, standin)
    async with drama_bot_run(
        standin, tmp_path, standin.token, api_url, args=(command,), config=config
    ) as process:
        stdout, stderr = await asyncio.wait_for(process.communicate(), patient(START_TIMEOUT))
    errors = stderr.decode()
    assert process.returncode == 3, errors
    assert "Traceback" not in errors, errors
    said = [line for line in errors.splitlines() if line.startswith("drama-bot:")]
    assert len(said) == 1, errors
    assert api_url.removesuffix("/api/v10") in said[0]  # names the address it tried
    assert "Service unavailable" not in errors  # the page itself is not dumped
    assert seen and seen[0] == "GET /api/v10/users/@me"
    assert standin.requests == []
    if command == "sync":
        assert stdout == b""


async def test_a_gateway_lookup_answered_with_an_html_page_ends_with_one_line_and_exit_3(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    """The login goes through, then ``GET /gateway/bot`` (asked at start-up, as Discord
    recommends) gets a proxy's HTML page with 200: one line naming the address, exit 3."""
    standin.fail_next("GET", r"^/gateway/bot$", count=1, status=200, html=True)
    async with drama_bot_run(standin, tmp_path, standin.token) as process:
        _, stderr = await asyncio.wait_for(process.communicate(), patient(START_TIMEOUT))
    errors = stderr.decode()
    assert process.returncode == 3, errors
    assert "Traceback" not in errors and "Please sign in" not in errors, errors
    (line,) = [line for line in errors.splitlines() if line.startswith("drama-bot:")]
    assert line.startswith(
        f"drama-bot: {standin.api_url} did not answer GET /gateway/bot as Discord's API does"
    ), line
    assert "GET /gateway/bot 200" in [f"{q.method} {q.path} {q.status}" for q in standin.requests]
