"""A server admin pasting the bot's token (round 12, branch ``discord12``): a token that
cannot be one (a line break or a space inside, characters a token never has, the ``Bot ``
prefix of the Authorization header pasted with it) is named in one line with exit status 2
before anything is sent to Discord, and the token is never printed."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.patience import patient
from tests.standins.discord import DiscordStandIn

from .processes import START_TIMEOUT, drama_bot_run

SHAPE = (
    "drama-bot: DISCORD_TOKEN does not hold a Discord token alone: it has a space, a line "
    "break or a character no token has; give the token on one line, nothing else"
)
PREFIX = (
    'drama-bot: DISCORD_TOKEN starts with "Bot ": give the token alone, without the prefix '
    "of the Authorization header"
)


@pytest.mark.parametrize(
    ("shape", "said"),
    [
        (lambda t: f"{t[:12]}\n{t[12:]}", SHAPE),  # broken over two lines when pasted
        (lambda t: f"{t[:12]} {t[12:]}", SHAPE),
        (lambda t: f"{t}\u200b", SHAPE),  # a zero-width space copied with it
        (lambda t: f"Bot {t}", PREFIX),
    ],
    ids=["line-break", "space", "zero-width-space", "bot-prefix"],
)
async def test_a_token_that_cannot_be_one_is_named_in_one_line(
    standin: DiscordStandIn, tmp_path: Path, shape: object, said: str
) -> None:
    token = shape(standin.token)  # type: ignore[operator]
    async with drama_bot_run(standin, tmp_path, token) as process:
        _, stderr = await asyncio.wait_for(process.communicate(), patient(START_TIMEOUT))
    errors = stderr.decode()
    assert process.returncode == 2, errors
    assert errors.strip().splitlines() == [said], errors
    assert standin.token[12:20] not in errors
    assert standin.requests == []  # nothing sent to Discord
