"""Sharding: several shards in one process (discord.py's AutoShardedBot), and separate
``drama-bot run`` processes splitting the guilds between them, against a stand-in that routes
each guild to shard ``(guild_id >> 22) % shard_count`` as Discord does."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Config
from bot.frontend.app import ShardedDramaBot
from tests.patience import patient
from tests.standins.discord import DiscordStandIn, Guild

from .harness import ALL_COMMANDS, answer, base_config, copy_cards, running_bot
from .processes import START_TIMEOUT, SYNC_TIMEOUT, drama_bot_run, write_config

TWO_SHARDS = [Guild.on_shard(0, 2, "Shard Zero"), Guild.on_shard(1, 2, "Shard One")]
NEW_HEADLINE = "A headline rewritten on disk"


def identifies(standin: DiscordStandIn) -> list[list[int]]:
    return [f.d.get("shard") for f in standin.frames if f.direction == "recv" and f.op == 2]


@pytest.mark.parametrize(
    "discord_standin",
    [{"guilds": TWO_SHARDS, "recommended_shards": 2, "identify_limit": True}],
    indirect=True,
)
async def test_shard_count_auto_runs_every_shard_in_one_process(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    """``shard_count: auto``: Discord's recommendation (2 here), both shards in this process,
    identifying 5 s apart as Discord's max_concurrency of 1 requires (no violation)."""
    config = base_config(standin, tmp_path, shard_count="auto", dev_guild_ids=(), sync_global=True)
    async with running_bot(standin, config, timeout=15) as bot:  # shard 1 waits its 5 s
        await serve_both_shards(standin, bot, config)
    # closed, each shard's session ended at once (1000), as tests/e2e/test_stopping.py asks
    assert [c.close_code for c in standin.connections] == [1000, 1000]


async def serve_both_shards(standin: DiscordStandIn, bot: object, config: Config) -> None:
    assert isinstance(bot, ShardedDramaBot) and bot.shard_count == 2
    assert sorted(map(tuple, identifies(standin))) == [(0, 2), (1, 2)]
    for guild, shard in ((TWO_SHARDS[0], 0), (TWO_SHARDS[1], 1)):
        _, response = await answer(standin, "drama", {"title": "Run On"}, guild_id=guild.id)
        assert response.embeds[0]["title"] == "Run On (2020)"
        reload = await standin.send_slash("reload", guild_id=guild.id, user=guild.owner_id)
        report = await reload.wait_message(timeout=patient(10))
        assert report.embeds[0]["description"].endswith(f"Answered by shard {shard} of 2.")
    heartbeat = json.loads(config.heartbeat_path.read_text("utf-8"))
    assert heartbeat["connected"] and heartbeat["connected_shards"] == [0, 1]


@contextlib.asynccontextmanager
async def shard_process(
    standin: DiscordStandIn, tmp_path: Path, config: Path, shard: int
) -> AsyncIterator[asyncio.subprocess.Process]:
    async with drama_bot_run(
        standin,
        tmp_path,
        standin.token,
        args=("run", "--shard-count", "2", "--shard-ids", str(shard)),
        config=config,
    ) as process:
        await standin.state.changed.wait_for(
            lambda: (
                process.returncode is not None
                or any(s.shard_id == shard and s.ready for s in standin.gateway.by_shard.values())
            ),
            patient(START_TIMEOUT),
            f"shard {shard} to get READY",
        )
        assert process.returncode is None, await process.stderr.read() if process.stderr else ""
        yield process


#: Issue 10: a card changed on disk is served by every process within 5 seconds.
WATCH_DEADLINE = 5.0


@pytest.mark.parametrize(
    "discord_standin",
    [{"guilds": TWO_SHARDS, "max_concurrency": 2, "identify_limit": True}],
    indirect=True,
)
async def test_two_processes_split_the_guilds_and_both_serve_a_changed_card(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    """One config, two ``drama-bot run --shard-count 2 --shard-ids N`` processes (as on one
    machine; on several, each has its own copy of the cards and its own database)."""
    cards = copy_cards(tmp_path)
    config = write_config(
        tmp_path,
        standin,
        data_dir=str(cards),
        dev_guild_ids=[g.id for g in TWO_SHARDS],
        watch_cards=True,
        cooldown_commands=0,  # the test asks again and again as one user
    )
    async with (
        shard_process(standin, tmp_path, config, 0) as zero,
        shard_process(standin, tmp_path, config, 1) as one,
    ):
        await standin.wait_for_commands(patient(SYNC_TIMEOUT), count=2)
        assert identifies(standin) == [[0, 2], [1, 2]]
        for guild in TWO_SHARDS:  # each guild's interactions reach its own shard's process
            assert sorted(standin.commands.names(guild.id)) == sorted(ALL_COMMANDS)
            _, response = await answer(standin, "drama", {"title": "Run On"}, guild_id=guild.id)
            assert response.embeds[0]["title"] == "Run On (2020)"

        run_on = cards / "run-on.yaml"
        text = run_on.read_text("utf-8")
        headline = next(line for line in text.splitlines() if line.strip().startswith("headline:"))
        run_on.write_text(text.replace(headline, f"  headline: {NEW_HEADLINE}"), "utf-8")
        changed_at = time.monotonic()
        # Nobody runs /reload: each process watches the folder and picks the change up itself.
        pending = dict(enumerate(TWO_SHARDS))
        while pending and time.monotonic() - changed_at < WATCH_DEADLINE:
            for shard, guild in list(pending.items()):
                _, response = await answer(standin, "drama", {"title": "Run On"}, guild_id=guild.id)
                if NEW_HEADLINE in response.embeds[0]["description"]:
                    del pending[shard]
            await asyncio.sleep(0.2)
        assert not pending, f"shards {sorted(pending)} still served the old card after 5 s"
        for shard, guild in enumerate(TWO_SHARDS):  # /reload says which shard answered
            reload = await standin.send_slash("reload", guild_id=guild.id, user=guild.owner_id)
            report = await reload.wait_message(timeout=patient(10))
            lines = report.embeds[0]["description"].splitlines()
            assert lines[0].startswith(f"Reloaded {len(list(cards.glob('*.yaml')))} cards:")
            assert lines[-1] == f"Answered by shard {shard} of 2."
        for process in (zero, one):
            process.terminate()
        results = await asyncio.gather(zero.communicate(), one.communicate())
    assert [p.returncode for p in (zero, one)] == [0, 0]
    logs = [err.decode() for _, err in results]
    assert "synced" in logs[0] and "commands are synced by the process that runs shard 0" in logs[1]
    assert all("Traceback" not in log for log in logs), logs
    syncs = [q for q in standin.requests if q.method == "PUT" and q.path.endswith("/commands")]
    assert len(syncs) == 2  # one per dev guild, both by shard 0's process
    assert not (tmp_path / "state" / "drama-bot-shards-0.heartbeat").exists()  # clean stops
