"""Start-up: login, READY, and the command sync Discord receives (dev guild and global)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bot.commands import COMMANDS
from bot.discord_app import DramaBot
from tests.standin import MANAGE_GUILD, DiscordStandIn

from .conftest import Launch
from .harness import ALL_COMMANDS, base_config, running_bot

COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")
STRING = 3
GLOBAL_PUT = r"^/applications/\d+/commands$"
GUILD_PUT = r"^/applications/\d+/guilds/\d+/commands$"


def assert_valid_commands(payload: list[dict[str, Any]]) -> None:
    """The bulk-overwrite body: every command, valid names, descriptions and options."""
    assert sorted(c["name"] for c in payload) == sorted(ALL_COMMANDS)
    for command in payload:
        name = command["name"]
        spec = COMMANDS[name]
        assert COMMAND_NAME.match(name) and name == name.lower(), name
        assert command.get("type", 1) == 1
        assert command["description"] == spec.description
        assert 1 <= len(command["description"]) <= 100
        options = command.get("options") or []
        assert [o["name"] for o in options] == [o.name for o in spec.options], name
        for option, option_spec in zip(options, spec.options, strict=True):
            assert option["type"] == STRING, (name, option)
            assert option["autocomplete"] is True, (name, option["name"])
            assert bool(option.get("required")) == option_spec.required, (name, option)
            assert 1 <= len(option["description"]) <= 100
            assert COMMAND_NAME.match(option["name"]) and option["name"].islower()
            if option["name"] == "region":
                assert (option["min_length"], option["max_length"]) == (2, 2)
            else:
                assert option["max_length"] == 200
        permissions = command.get("default_member_permissions")
        if name == "reload":
            assert str(permissions) == str(MANAGE_GUILD) == "32"
        else:
            assert permissions is None, name


def routes(standin: DiscordStandIn) -> list[str]:
    return [f"{q.method} {q.route}" for q in standin.requests]


async def test_login_ready_and_dev_guild_sync(standin: DiscordStandIn, drama_bot: DramaBot) -> None:
    assert drama_bot.user is not None and drama_bot.user.id == standin.bot_user.id
    assert drama_bot.application_id == standin.application_id
    assert [g.id for g in drama_bot.guilds] == [standin.guild.id]
    assert routes(standin)[:3] == [
        "GET /users/@me",
        "GET /oauth2/applications/@me",
        "PUT /applications/{application_id}/guilds/{guild_id}/commands",
    ]
    assert standin.requests_matching("PUT", GLOBAL_PUT) == []  # sync_global is off
    assert_valid_commands(standin.commands.guild_payloads[standin.guild.id])
    stored, scope = standin.commands.find("reload", standin.guild.id) or ({}, None)
    assert scope == standin.guild.id
    assert stored["default_member_permissions"] == "32"
    identify = next(f for f in standin.frames if f.direction == "recv" and f.op == 2)
    assert identify.d["intents"] == 1  # guilds only: no privileged intents


async def test_global_sync_happens_once_per_command_set(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    config = base_config(standin, tmp_path, sync_global=True)
    async with running_bot(standin, config):
        pass
    assert len(standin.requests_matching("PUT", GUILD_PUT)) == 1
    assert len(standin.requests_matching("PUT", GLOBAL_PUT)) == 1
    assert_valid_commands(standin.commands.global_payload or [])
    assert_valid_commands(standin.commands.guild_payloads[standin.guild.id])
    reload_command, scope = standin.commands.find("reload") or ({}, 0)
    assert scope is None and reload_command["default_member_permissions"] == "32"

    # Same database: the fingerprint matches, so the global set is not written again;
    # dev guilds are always refreshed.
    async with running_bot(standin, config):
        pass
    assert len(standin.requests_matching("PUT", GUILD_PUT)) == 2
    assert len(standin.requests_matching("PUT", GLOBAL_PUT)) == 1

    # A fresh database knows no fingerprint: the global set is written again.
    fresh = base_config(
        standin, tmp_path, sync_global=True, dev_guild_ids=(), database=tmp_path / "fresh.sqlite3"
    )
    async with running_bot(standin, fresh):
        pass
    assert len(standin.requests_matching("PUT", GUILD_PUT)) == 2
    assert len(standin.requests_matching("PUT", GLOBAL_PUT)) == 2
    assert_valid_commands(standin.commands.global_payload or [])


async def test_globally_synced_commands_answer_in_guilds_and_dms(
    standin: DiscordStandIn, launch: Launch, tmp_path: Path
) -> None:
    await launch(base_config(standin, tmp_path, sync_global=True, dev_guild_ids=()))
    assert standin.commands.names(standin.guild.id) == []
    interaction = await standin.send_slash("drama", {"title": "Run On"})
    response = await interaction.wait_response()
    assert response.type == 4 and response.embeds[0]["title"] == "Run On (2020)"
    alice = standin.guild.member_named("alice").user
    in_dm = await standin.send_slash("cast", {"title": "Run On"}, user=alice, guild_id=None)
    response = await in_dm.wait_response()
    assert response.type == 4 and response.embeds[0]["title"] == "Cast of Run On (2020)"
