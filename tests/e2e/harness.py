# ruff: noqa: ASYNC109  (helpers take explicit, bounded timeouts by design)
"""Running the real DramaBot against the Discord stand-in, and reading what users saw.

Nothing here replaces bot code: the bot is built by ``bot.discord_app.open_bot`` from a real
``Config``, a real SQLite file and real card folders, and started with the stand-in's token.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
import textwrap
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from bot.config import Config
from bot.frontend.app import DramaBot, open_bot
from tests.conftest import SHIPPED_CARDS
from tests.patience import patient
from tests.standins.discord import (
    DiscordStandIn,
    InteractionResponse,
    RecordedRequest,
    StandInInteraction,
)

#: Every bounded wait in the e2e suite uses at most this (a healthy run needs a fraction).
TIMEOUT = 5.0
#: Discord's window for the initial response to an interaction.
DEADLINE = 3.0
#: Autocomplete must feel instant; the stand-in's latency is measured on real sockets.
AUTOCOMPLETE_BUDGET = 1.0

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SHIPPED_SLUGS = frozenset(p.stem for p in SHIPPED_CARDS.glob("*.yaml"))
LOOKUP_COMMANDS = ("drama", "cast", "stream", "rating", "similar", "actor")
DISCOVERY_COMMANDS = ("random", "browse", "top", "help", "about")
ALL_COMMANDS = (*LOOKUP_COMMANDS, *DISCOVERY_COMMANDS, "reload", "settings")

#: REST operations that create or change a message a user sees.
MESSAGE_OPERATIONS = frozenset(
    {
        "create_interaction_response",
        "execute_webhook",
        "update_webhook_message",
        "update_original_webhook_message",
        "create_message",
        "update_message",
    }
)


def base_config(standin: DiscordStandIn, tmp_path: Path, **overrides: Any) -> Config:
    """A real config: shipped cards, a fresh SQLite file, the stand-in's guild as dev guild,
    no global sync (fast); tests override what they exercise."""
    values: dict[str, Any] = {
        "data_dir": SHIPPED_CARDS,
        "database": tmp_path / "drama-bot.sqlite3",
        "dev_guild_ids": (standin.guild.id,),
        "sync_global": False,
        "log_level": "INFO",
        "discord_api_url": standin.api_url,
        # Tests send many commands as one user; the cooldown has tests of its own.
        "cooldown_commands": 0,
        "watch_cards": False,  # tests that edit cards /reload; the watcher's own tests say so
    }
    values.update(overrides)
    return Config(**values)


def copy_cards(tmp_path: Path, name: str = "cards") -> Path:
    """A private copy of the shipped cards, free to edit."""
    folder = tmp_path / name
    shutil.copytree(SHIPPED_CARDS, folder)
    return folder


def write_card(folder: Path, slug: str, text: str) -> Path:
    path = folder / f"{slug}.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), "utf-8")
    return path


def ready_sessions(standin: DiscordStandIn) -> int:
    """How many gateway sessions have IDENTIFYed and been sent READY + GUILD_CREATEs."""
    return len(standin.gateway.sessions) if standin.gateway.is_ready() else 0


@contextlib.asynccontextmanager
async def running_bot(
    standin: DiscordStandIn, config: Config, *, timeout: float = TIMEOUT, synced: bool = True
) -> AsyncIterator[DramaBot]:
    """Open the real bot (store, catalog), start it with the stand-in's token and wait until
    it has logged in, synced its commands (setup_hook runs before the gateway connects) and
    received READY and its guilds (``timeout`` stretched with the machine's load, see
    tests/patience.py). ``synced=False``: do not require that this stand-in has
    any commands. Closes the bot and awaits its task on the way out."""
    sessions_before = len(standin.gateway.sessions)
    timeout = patient(timeout)  # start-up and shutdown, not an answer's deadline
    async with open_bot(config) as bot:
        task = asyncio.create_task(bot.start(standin.token), name="drama-bot")
        try:
            await standin.state.changed.wait_for(
                lambda: (
                    task.done()
                    or (
                        ready_sessions(standin) > sessions_before
                        and (standin.commands.sync_count > 0 or not synced)
                    )
                ),
                timeout,
                "the bot to log in, sync its commands and get READY",
            )
            if task.done():
                task.result()  # start-up failed: raise its error here
                raise AssertionError("the bot stopped during start-up")
            # Every scope, not only the first: the sync runs in the background.
            await asyncio.wait_for(bot.commands_synced.wait(), timeout)
            yield bot
        finally:
            await asyncio.wait_for(bot.close(), timeout)
            await asyncio.wait_for(task, timeout)


async def answer(
    standin: DiscordStandIn, command: str, options: dict[str, Any] | None = None, **who: Any
) -> tuple[StandInInteraction, InteractionResponse]:
    """Run ``/command`` as a user and return the interaction and its initial response."""
    interaction = await standin.send_slash(command, options or {}, **who)
    response = await interaction.wait_response(timeout=TIMEOUT)
    return interaction, response


def field_values(embed: dict[str, Any]) -> dict[str, str]:
    return {f["name"]: f["value"] for f in embed.get("fields", [])}


def message_requests(standin: DiscordStandIn, since: int = 0) -> list[RecordedRequest]:
    """Every request that created or edited a visible message (not deferrals or choices),
    from the stand-in's ``since``-th request on (a test of a shared stand-in: its own)."""
    found = []
    for request in standin.requests[since:]:
        if request.operation_id not in MESSAGE_OPERATIONS or not isinstance(request.json, dict):
            continue
        body = request.json
        if request.operation_id == "create_interaction_response":
            if body.get("type") not in (4, 7):
                continue
            body = body.get("data") or {}
        if "content" in body or "embeds" in body or "components" in body:
            found.append(request)
    return found


def message_body(request: RecordedRequest) -> dict[str, Any]:
    body = request.json
    if request.operation_id == "create_interaction_response":
        return body.get("data") or {}
    return body


def visible_text(data: dict[str, Any]) -> str:
    """Everything a message shows: content, embeds and select-menu texts."""
    parts = [data.get("content") or ""]
    for embed in data.get("embeds") or []:
        parts += [embed.get("title", ""), embed.get("description", "")]
        for item in embed.get("fields", []):
            parts += [item["name"], item["value"]]
        parts.append((embed.get("footer") or {}).get("text", ""))
    for component in iter_components(data.get("components") or []):
        parts.append(component.get("placeholder", ""))
        parts += [o["label"] for o in component.get("options", [])]
    return "\n".join(p for p in parts if p)


def iter_components(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for component in components:
        yield component
        yield from iter_components(component.get("components") or [])


def custom_ids(data: dict[str, Any]) -> list[str]:
    return [
        c["custom_id"] for c in iter_components(data.get("components") or []) if "custom_id" in c
    ]
