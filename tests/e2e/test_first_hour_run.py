"""A server admin's first hour with the unmodified ``drama-bot run`` against the Discord
stand-in (round 16, branch ``serve16``): a server ID in ``dev_guild_ids`` the bot is not in,
and a server that invited the bot without any permission. The walk-through: the table in
docs/reliability.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.patience import patient
from tests.standins.discord import DiscordStandIn

from .harness import DEADLINE, visible_text
from .processes import drama_bot_serving, stopped, write_config

STRANGER = 123456789012345678  # (a server the bot was never invited to: a copied wrong ID)


async def test_a_dev_guild_the_bot_is_not_in_says_what_to_do(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    """The admin puts a server's ID in ``dev_guild_ids`` before inviting the bot (or copies
    the wrong ID). Before: one ERROR, "could not sync commands to guild …: 403 Forbidden
    (error code: 50001): Missing Access", and nothing on what to do. Now a WARNING after it
    says what it means and the three ways out; the other server is served as before."""
    config = write_config(tmp_path, standin, dev_guild_ids=[STRANGER, standin.guild.id])
    async with drama_bot_serving(standin, tmp_path, config) as process:
        await standin.wait_for_commands(count=1)
        interaction = await standin.send_slash("drama", {"title": "Run On"})
        response = await interaction.wait_response()
        assert response.type == 4 and response.latency < DEADLINE
        _, stderr = await stopped(process)
    log = stderr.decode()
    assert process.returncode == 0, log
    (violation,) = standin.clear_violations()  # (Discord's 403 to the PUT: expected here)
    assert "Missing Access" in violation.message
    assert f"server {STRANGER} in dev_guild_ids: Discord says the bot has no access" in log, log
    for way_out in ("invite link", "Copy ID", "take it out of dev_guild_ids"):
        assert way_out in log
    assert "Traceback" not in log


@pytest.mark.parametrize("discord_standin", [{"bot_permissions": 0}], indirect=True)
async def test_a_server_that_gave_the_bot_no_permission_is_answered(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    """Invited without View Channels, Send Messages or Embed Links (the admin unticked them):
    slash commands need none, so fans are answered, page buttons turn pages, the admin's
    ``/reload`` works, a member's is refused privately; nothing at ERROR."""
    config = write_config(tmp_path, standin)
    async with drama_bot_serving(standin, tmp_path, config) as process:
        fan = await standin.send_slash("drama", {"title": "Run On"})
        assert (await fan.wait_response()).embeds[0]["title"] == "Run On (2020)"
        listing = await standin.send_slash("browse", {"network": "JTBC"})
        assert (await listing.wait_response()).type == 4
        member = await standin.send_slash("reload", {}, permissions=0)
        refusal = await member.wait_message()
        assert member.response is not None and member.response.ephemeral
        assert "admins" in visible_text(refusal.raw).lower(), visible_text(refusal.raw)
        admin = await standin.send_slash("reload", {}, user=standin.owner)
        report = visible_text((await admin.wait_message(timeout=30)).raw)
        assert report.startswith("Catalog reloaded"), report
        _, stderr = await stopped(process)
    log = stderr.decode()
    assert process.returncode == 0, log
    assert " ERROR " not in log and "Traceback" not in log, log


async def test_the_same_config_started_twice_is_said(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    """The admin starts ``drama-bot run`` in a terminal while it already runs (in another
    terminal, or in Docker on the same folder). Before: nothing said; both logged in as the
    bot on the same shard, and the heartbeat file followed whichever wrote last. Now the second
    says so in one WARNING naming the other's process id; the first says nothing of it."""
    config = write_config(tmp_path, standin)
    async with drama_bot_serving(standin, tmp_path, config) as first:
        async with drama_bot_serving(standin, tmp_path, config) as second:
            await standin.state.changed.wait_for(
                lambda: len(standin.gateway.sessions) >= 2, patient(20.0), "the second start"
            )
            _, second_log = await stopped(second)
        _, first_log = await stopped(first)
    said = second_log.decode()
    assert second.returncode == 0 and first.returncode == 0, said
    assert f"another drama-bot process (pid {first.pid}) is running with this config" in said
    assert "another drama-bot process" not in first_log.decode()
