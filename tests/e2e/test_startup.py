"""Start-up: login, READY, and the command sync Discord receives (dev guild and global)."""

from __future__ import annotations

import dataclasses
import logging
import re
from pathlib import Path
from typing import Any

import pytest

from bot.answering.commands import COMMANDS, OptionKind
from bot.frontend.app import DramaBot
from tests.standins.discord import MANAGE_GUILD, DiscordStandIn

from .conftest import Launch
from .harness import ALL_COMMANDS, answer, base_config, copy_cards, running_bot, write_card

COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")
STRING = 3
BOOLEAN = 5
CHANNEL = 7
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
            assert bool(option.get("required")) == option_spec.required, (name, option)
            assert 1 <= len(option["description"]) <= 100
            assert COMMAND_NAME.match(option["name"]) and option["name"].islower()
            if option_spec.kind is OptionKind.CHANNEL:
                assert option["type"] == CHANNEL, (name, option)
                continue
            if option_spec.kind is OptionKind.FLAG:
                assert option["type"] == BOOLEAN, (name, option)
                continue
            assert option["type"] == STRING, (name, option)
            # Every text option autocompletes: titles, names, regions, genres, years...
            assert option["autocomplete"] is True, (name, option["name"])
            if option["name"] == "region" and name == "settings":
                assert option["max_length"] == 60  # a code, or "none" to clear it
            elif option["name"] == "region":
                assert (option["min_length"], option["max_length"]) == (1, 60)
            elif option_spec.kind in {OptionKind.TITLE, OptionKind.ACTOR}:
                assert option["max_length"] == 200
            else:
                assert option["max_length"] == 100
        admin_only = spec.admin
        if admin_only:
            # Admin commands: guild installs only, never in DMs.
            assert command.get("integration_types") == [0], name
            assert command.get("contexts") == [0], name
        else:
            assert sorted(command.get("integration_types") or []) == [0, 1], name
            assert sorted(command.get("contexts") or []) == [0, 1, 2], name
        permissions = command.get("default_member_permissions")
        if admin_only:
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
        "GET /gateway/bot",  # where to connect: Discord's answer, not a built-in address
    ]
    assert "PUT /applications/{application_id}/guilds/{guild_id}/commands" in routes(standin)
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


async def test_another_application_on_the_same_database_gets_its_global_commands(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    """The same state volume, a new bot application (a new token for a different app): its
    global command set is empty on Discord, so it must be synced. Today the fingerprint in
    the database is not tied to the application, so the sync is skipped and the new
    application has no commands at all (bot/discord_app.py, sync_commands)."""
    config = base_config(standin, tmp_path, sync_global=True, dev_guild_ids=())
    async with running_bot(standin, config):
        pass
    assert len(standin.commands.names()) == len(ALL_COMMANDS)
    async with DiscordStandIn() as other_app:
        assert other_app.application_id != standin.application_id
        with other_app.patch_discord_py():
            elsewhere = dataclasses.replace(config, discord_api_url=other_app.api_url)
            async with running_bot(other_app, elsewhere, synced=False):
                pass
        synced = other_app.commands.names()
        other_app.assert_no_violations()
    assert sorted(synced) == sorted(ALL_COMMANDS)


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


async def test_a_dev_guild_the_bot_is_not_in_is_logged_and_skipped(
    standin: DiscordStandIn, launch: Launch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    stranger = 123456789012345678
    await launch(
        base_config(standin, tmp_path, dev_guild_ids=(stranger, standin.guild.id), sync_global=True)
    )
    puts = [f"{q.path} {q.status}" for q in standin.requests_matching("PUT", "/commands$")]
    assert puts == [
        f"/applications/{standin.application_id}/guilds/{stranger}/commands 403",
        f"/applications/{standin.application_id}/guilds/{standin.guild.id}/commands 200",
        f"/applications/{standin.application_id}/commands 200",
    ]
    (violation,) = standin.clear_violations()  # Discord answers 50001 Missing Access
    assert "Missing Access" in violation.message
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [
        f"could not sync commands to guild {stranger}: "
        "403 Forbidden (error code: 50001): Missing Access"
    ]
    caplog.clear()
    _, response = await answer(standin, "rating", {"title": "Run On"})
    assert response.embeds[0]["title"] == "Ratings for Run On (2020)"


async def test_start_with_broken_cards_serves_the_last_good_catalog(
    standin: DiscordStandIn, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cards = copy_cards(tmp_path)
    config = base_config(standin, tmp_path, data_dir=cards)
    async with running_bot(standin, config):
        _, before = await answer(standin, "drama", {"title": "Run On"})
    old_description = before.embeds[0]["description"]

    run_on = cards / "run-on.yaml"
    run_on.write_text(run_on.read_text("utf-8").replace("An unhurried", "A brisk"), "utf-8")
    write_card(cards, "broken", "title: Broken\nyear: 2020\ncast: []\nstremaing: []\n")
    async with running_bot(standin, config):  # same database: the last good catalog
        _, served = await answer(standin, "drama", {"title": "Run On"})
        assert served.embeds[0]["description"] == old_description
    fresh = base_config(standin, tmp_path, data_dir=cards, database=tmp_path / "new.sqlite3")
    async with running_bot(standin, fresh):  # nothing stored: the cards that are valid
        _, valid = await answer(standin, "drama", {"title": "Run On"})
        assert valid.embeds[0]["description"].startswith("**A brisk romance")
        _, broken = await answer(standin, "drama", {"title": "Broken"})
        assert broken.ephemeral and (broken.content or "").startswith(
            "The card for “Broken” could not be loaded"
        )
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(
        e.startswith("2 card errors (the cards folder is not applied); run `drama-bot check`")
        for e in errors
    ), errors
    caplog.clear()
