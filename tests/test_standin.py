"""Tests of the Discord stand-in itself, driven by a small discord.py bot defined here
(not drama-bot): login, READY, command sync, responses of every kind, reconnects, rate
limits, sharding, and the validator catching requests Discord would refuse."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.patience import patient
from tests.standins.discord import DiscordStandIn, Guild
from tests.standins.discord import fixtures as standin_fixtures

pytestmark = pytest.mark.asyncio

discord_standin = standin_fixtures.discord_standin

PICK_ID = "standin-test:pick"


class StandInTestBot(commands.Bot):
    """A tiny bot exercising the interaction flows the stand-in supports."""

    def __init__(
        self, *, allowed_mentions: discord.AllowedMentions | None = None, sync: bool = True
    ) -> None:
        super().__init__(
            command_prefix="!",
            intents=discord.Intents.default(),
            allowed_mentions=allowed_mentions or discord.AllowedMentions.none(),
            guild_ready_timeout=0.05,
        )
        self.sync_on_setup = sync
        self.errors: list[BaseException] = []
        self.add_commands()

    def add_commands(self) -> None:
        tree = self.tree

        @tree.command(description="Answer at once")
        async def ping(interaction: discord.Interaction) -> None:
            embed = discord.Embed(title="Pong", description="The stand-in answers.")
            embed.add_field(name="latency", value="0 ms")
            await interaction.response.send_message("pong", embed=embed)

        @tree.command(description="Defer, then follow up")
        @app_commands.describe(topic="What to think about")
        async def think(interaction: discord.Interaction, topic: str) -> None:
            await interaction.response.defer(thinking=True)
            await interaction.followup.send(f"thought about {topic}")

        @tree.command(description="Offer a select menu")
        async def pick(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("choose one", view=PickView())

        @tree.command(description="Search with autocomplete")
        async def search(interaction: discord.Interaction, title: str) -> None:
            await interaction.response.send_message(f"searched {title}", ephemeral=True)

        @search.autocomplete("title")
        async def search_titles(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            titles = ["Crash Landing on You", "Crazy Rich", "Kingdom", "Signal"]
            return [
                app_commands.Choice(name=t, value=t.lower())
                for t in titles
                if current.lower() in t.lower()
            ]

        @tree.command(description="Send an embed with too many fields")
        async def bigembed(interaction: discord.Interaction) -> None:
            embed = discord.Embed(title="Too big")
            for index in range(26):
                embed.add_field(name=f"field {index}", value="value")
            await interaction.response.send_message(embed=embed)

        @tree.command(description="Answer too late")
        async def late(interaction: discord.Interaction) -> None:
            await asyncio.sleep(0.35)
            await interaction.response.send_message("sorry, late")

        @tree.error
        async def on_tree_error(
            interaction: discord.Interaction, error: app_commands.AppCommandError
        ) -> None:
            self.errors.append(getattr(error, "original", error))

    async def setup_hook(self) -> None:
        if self.sync_on_setup:
            await self.tree.sync()


class PickView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=30)

    @discord.ui.select(
        custom_id=PICK_ID,
        placeholder="Pick a genre",
        options=[
            discord.SelectOption(label="Romance", value="romance"),
            discord.SelectOption(label="Thriller", value="thriller"),
            discord.SelectOption(label="Comedy", value="comedy"),
        ],
    )
    async def choose(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        await interaction.response.edit_message(content=f"picked {select.values[0]}", view=None)


@contextlib.asynccontextmanager
async def running(bot: commands.Bot, standin: DiscordStandIn) -> AsyncIterator[commands.Bot]:
    """Run ``bot`` against ``standin`` until the block ends (bounded in time)."""
    async with bot:
        task = asyncio.create_task(bot.start(standin.token))
        try:
            await standin.wait_until_ready(timeout=patient(5))  # start-up: stretched
            yield bot
        finally:
            await asyncio.wait_for(bot.close(), patient(5))
            await asyncio.wait_for(task, patient(5))
        assert standin.self_check_failures == []


@pytest.fixture
def bot() -> StandInTestBot:
    return StandInTestBot()


async def test_login_ready_and_sync(discord_standin: DiscordStandIn, bot: StandInTestBot) -> None:
    async with running(bot, discord_standin):
        await discord_standin.wait_for_commands()
        await asyncio.wait_for(bot.wait_until_ready(), 5)
        assert bot.user is not None and bot.user.id == discord_standin.bot_user.id
        assert bot.application_id == discord_standin.application_id
        assert [g.id for g in bot.guilds] == [discord_standin.guild.id]
        assert bot.guilds[0].me is not None
    paths = [f"{q.method} {q.route}" for q in discord_standin.requests]
    assert paths[:3] == [
        "GET /users/@me",
        "GET /oauth2/applications/@me",
        "PUT /applications/{application_id}/commands",
    ]
    assert all(q.headers.get("Content-Type") != "text/plain" for q in discord_standin.requests)
    assert sorted(discord_standin.commands.names()) == [
        "bigembed",
        "late",
        "pick",
        "ping",
        "search",
        "think",
    ]
    ready = next(f for f in discord_standin.frames if f.t == "READY")
    assert ready.d["resume_gateway_url"] == discord_standin.resume_gateway_url
    assert ready.d["application"]["id"] == str(discord_standin.application_id)
    assert "shard" not in ready.d  # a plain Client sends no shard
    sent_ops = [f.op for f in discord_standin.frames if f.direction == "send"]
    received_ops = [f.op for f in discord_standin.frames if f.direction == "recv"]
    assert sent_ops[0] == 10 and 11 in sent_ops  # HELLO first, heartbeats ACKed
    assert received_ops[:2] == [1, 2]  # discord.py heartbeats at once, then IDENTIFYs
    assert discord_standin.connections[0].query["compress"] == "zlib-stream"
    discord_standin.assert_no_violations()


async def test_answers_are_shaped_like_discord(discord_standin: DiscordStandIn) -> None:
    headers = {"Authorization": f"Bot {discord_standin.token}"}
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{discord_standin.api_url}/users/@me", headers=headers) as resp:
            assert resp.status == 200
            assert resp.headers["Content-Type"] == "application/json"
            assert resp.headers["X-RateLimit-Bucket"]
        async with session.post(
            f"{discord_standin.api_url}/channels/{discord_standin.channel.id}/typing",
            headers=headers,
        ) as resp:
            assert resp.status == 204
            assert await resp.read() == b""
        async with session.get(f"{discord_standin.api_url}/users/@me") as resp:
            assert resp.status == 401
    assert [v.kind for v in discord_standin.clear_violations()] == ["auth"]


async def test_slash_command_answered(discord_standin: DiscordStandIn, bot: StandInTestBot) -> None:
    async with running(bot, discord_standin):
        interaction = await discord_standin.send_slash("ping")
        response = await interaction.wait_response(timeout=5)
        assert response.type == 4
        assert response.content == "pong"
        assert response.embeds[0]["title"] == "Pong"
        assert response.latency < 3
        assert interaction.original is not None
        assert interaction.original.content == "pong"
        callback = interaction.requests[0]
        assert callback.query == {"with_response": "1"}
        assert callback.status == 200
        assert callback.response["resource"]["message"]["id"] == str(interaction.original.id)
    discord_standin.assert_no_violations()


async def test_deferred_then_followup(discord_standin: DiscordStandIn, bot: StandInTestBot) -> None:
    async with running(bot, discord_standin):
        interaction = await discord_standin.send_slash("think", {"topic": "plot twists"})
        response = await interaction.wait_response()
        assert response.type == 5
        followup = await interaction.wait_followup(0)
        assert followup.content == "thought about plot twists"
        assert not followup.loading
        message = await interaction.wait_message()
        assert message.content == "thought about plot twists"
        assert [q.operation_id for q in interaction.requests] == [
            "create_interaction_response",
            "execute_webhook",
        ]
    discord_standin.assert_no_violations()


async def test_autocomplete(discord_standin: DiscordStandIn, bot: StandInTestBot) -> None:
    async with running(bot, discord_standin):
        interaction = await discord_standin.send_autocomplete(
            "search", {"title": "cra"}, focused="title"
        )
        response = await interaction.wait_response()
        assert response.type == 8
        assert [c["name"] for c in response.choices] == ["Crash Landing on You", "Crazy Rich"]
        final = await discord_standin.send_slash("search", {"title": "kingdom"})
        answer = await final.wait_response()
        assert answer.ephemeral and answer.content == "searched kingdom"
    discord_standin.assert_no_violations()


async def test_component_click_updates_message(
    discord_standin: DiscordStandIn, bot: StandInTestBot
) -> None:
    async with running(bot, discord_standin):
        command = await discord_standin.send_slash("pick")
        await command.wait_response()
        assert command.original is not None
        assert command.original.custom_ids() == [PICK_ID]
        with pytest.raises(ValueError, match="not options"):
            await discord_standin.send_component(command.original, PICK_ID, ["horror"])
        click = await discord_standin.send_component(command, PICK_ID, ["thriller"])
        response = await click.wait_response()
        assert response.type == 7
        assert command.original.content == "picked thriller"
        assert command.original.components == []
        assert click.payload["message"]["id"] == str(command.original.id)
        with pytest.raises(LookupError, match="no component"):  # the view was removed
            await discord_standin.send_component(command, PICK_ID, ["comedy"])
    discord_standin.assert_no_violations()


async def test_resume_after_dropped_connection(
    discord_standin: DiscordStandIn, bot: StandInTestBot
) -> None:
    async with running(bot, discord_standin):
        resumed = asyncio.Event()

        async def on_resumed() -> None:
            resumed.set()

        bot.add_listener(on_resumed)
        assert await discord_standin.drop_connection() == 1
        # Sent while the bot is disconnected: kept and replayed on RESUME.
        interaction = await discord_standin.send_slash("ping")
        await discord_standin.wait_resumed(timeout=5)
        response = await interaction.wait_response(timeout=5)
        assert response.content == "pong"
        await asyncio.wait_for(resumed.wait(), 5)
        assert discord_standin.gateway.replayed_events >= 1
        resumes = [c for c in discord_standin.connections if c.resumed]
        assert [c.path for c in resumes] == ["/gateway/resume"]
        identifies = [f for f in discord_standin.frames if f.direction == "recv" and f.op == 2]
        assert len(identifies) == 1  # resumed, not re-identified
        after = await discord_standin.send_slash("ping")
        assert (await after.wait_response()).type == 4
        # op 7 RECONNECT: discord.py closes and resumes by itself.
        assert await discord_standin.drop_connection(reconnect_op=True) == 1
        await discord_standin.wait_resumed(timeout=5)
        last = await discord_standin.send_slash("ping")
        assert (await last.wait_response()).type == 4
        assert discord_standin.resume_count == 2
    discord_standin.assert_no_violations()


async def test_rate_limited_callback_is_retried(
    discord_standin: DiscordStandIn, bot: StandInTestBot
) -> None:
    async with running(bot, discord_standin):
        rule = discord_standin.rate_limit_next(
            "POST", r"^/interactions/\d+/[^/]+/callback$", count=1, retry_after=0.05
        )
        interaction = await discord_standin.send_slash("ping")
        response = await interaction.wait_response()
        assert response.type == 4
        assert len(rule.hits) == 1
        first, second = interaction.requests[:2]
        assert (first.status, first.rate_limited) == (429, True)
        assert second.status == 200
        assert second.time - first.time >= 0.05
    discord_standin.assert_no_violations()


async def test_invalid_embed_is_refused_and_recorded(
    discord_standin: DiscordStandIn, bot: StandInTestBot
) -> None:
    async with running(bot, discord_standin):
        interaction = await discord_standin.send_slash("bigembed")
        request = await discord_standin.wait_for_request("POST", "/callback$")
        assert request.status == 400
        assert request.response["code"] == 50035
        assert request.response["errors"]["data"]["embeds"]["0"]["fields"]["_errors"]
        assert interaction.response is None
        await discord_standin.state.changed.wait_for(lambda: bot.errors, 2, "the bot error")
        assert isinstance(bot.errors[0], discord.HTTPException)
        assert bot.errors[0].code == 50035
    paths = {v.json_path for v in discord_standin.violations}
    assert "$.data.embeds[0].fields" in paths
    assert any("25" in v.message for v in discord_standin.violations)
    with pytest.raises(AssertionError, match=r"embeds\[0\]\.fields"):
        discord_standin.assert_no_violations(include_unanswered=False)


async def test_invalid_command_names_rejected_at_sync(discord_standin: DiscordStandIn) -> None:
    bot = StandInTestBot(sync=False)
    async with running(bot, discord_standin):
        app_id = discord_standin.application_id
        for bad in ("Ping", "two words"):
            payload = [{"name": bad, "description": "bad name", "type": 1}]
            with pytest.raises(discord.HTTPException) as caught:
                await bot.http.bulk_upsert_global_commands(app_id, payload)
            assert caught.value.status == 400 and caught.value.code == 50035
        await bot.tree.sync()  # the real tree is valid
    violations = discord_standin.clear_violations()
    assert [v.json_path for v in violations] == ["$[0].name", "$[0].name"]
    assert "lower case" in violations[0].message
    assert "does not match" in violations[1].message
    assert discord_standin.commands.sync_count == 1  # refused syncs changed nothing
    discord_standin.assert_no_violations()


async def test_second_initial_response_gets_40060(
    discord_standin: DiscordStandIn, bot: StandInTestBot
) -> None:
    async with running(bot, discord_standin):
        interaction = await discord_standin.send_slash("ping")
        await interaction.wait_response()
        # A second handler (another Interaction object for the same token) answers again.
        twin = discord.Interaction(data=interaction.payload, state=bot._connection)
        with pytest.raises(discord.HTTPException) as caught:
            await twin.response.send_message("me too")
        assert caught.value.status == 400 and caught.value.code == 40060
    (violation,) = discord_standin.clear_violations()
    assert violation.kind == "interaction" and "40060" in violation.message


@pytest.mark.parametrize("discord_standin", [{"response_deadline": 0.2}], indirect=True)
async def test_late_response_gets_10062(
    discord_standin: DiscordStandIn, bot: StandInTestBot
) -> None:
    async with running(bot, discord_standin):
        interaction = await discord_standin.send_slash("late")
        await discord_standin.state.changed.wait_for(lambda: bot.errors, 3, "the bot error")
        error = bot.errors[0]
        assert isinstance(error, discord.NotFound) and error.code == 10062
        assert interaction.response is None and interaction.expired
    (violation,) = discord_standin.clear_violations()
    assert "10062" in violation.message and "0.2s" in violation.message
    assert discord_standin.unanswered_interactions() == [interaction]


async def test_missing_allowed_mentions_is_a_policy_violation(
    discord_standin: DiscordStandIn,
) -> None:
    bot = StandInTestBot()
    bot.allowed_mentions = None  # the bot forgot to set a default
    async with running(bot, discord_standin):
        interaction = await discord_standin.send_slash("ping")
        assert (await interaction.wait_response()).type == 4  # Discord accepts it
    (violation,) = discord_standin.clear_violations()
    assert violation.kind == "policy" and violation.json_path == "$.data.allowed_mentions"


async def test_unknown_endpoint_is_loud(
    discord_standin: DiscordStandIn, bot: StandInTestBot
) -> None:
    async with running(bot, discord_standin):
        with pytest.raises(discord.NotFound):
            await bot.http.request(discord.http.Route("GET", "/no/such/endpoint"))
    (violation,) = discord_standin.clear_violations()
    assert violation.kind == "endpoint" and "/no/such/endpoint" in violation.message


class ShardedTestBot(commands.AutoShardedBot):
    def __init__(self) -> None:
        super().__init__(
            command_prefix="!",
            intents=discord.Intents.default(),
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=0.05,
        )

        @self.tree.command(description="Which shard am I on?")
        async def shard(interaction: discord.Interaction) -> None:
            shard_id = interaction.guild.shard_id if interaction.guild else None
            await interaction.response.send_message(f"shard {shard_id}")

    async def setup_hook(self) -> None:
        await self.tree.sync()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None  # skip discord.py's 5 s pause between shard IDENTIFYs


async def test_sharded_bot() -> None:
    guilds = [Guild.on_shard(0, 2, "Shard Zero"), Guild.on_shard(1, 2, "Shard One")]
    # max_concurrency 2: both shards may IDENTIFY at once (the test bot skips the 5 s wait).
    async with DiscordStandIn(guilds=guilds, recommended_shards=2, max_concurrency=2) as standin:
        with standin.patch_discord_py():
            bot = ShardedTestBot()
            async with running(bot, standin):
                assert bot.shard_count == 2
                readies = [f for f in standin.frames if f.t == "READY"]
                assert sorted(tuple(f.d["shard"]) for f in readies) == [(0, 2), (1, 2)]
                interaction = await standin.send_slash("shard", guild_id=guilds[1].id)
                response = await interaction.wait_response()
                assert response.content == "shard 1"
                await standin.drop_connection(shard_id=1)
                await standin.wait_resumed()
                again = await standin.send_slash("shard", guild_id=guilds[1].id)
                assert (await again.wait_response()).content == "shard 1"
        standin.assert_no_violations()


async def test_patch_discord_py_restores() -> None:
    before_base = discord.http.Route.BASE
    before_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    standin = DiscordStandIn()
    standin._port = 1  # no server needed to compute the URLs
    with standin.patch_discord_py():
        assert discord.http.Route.BASE == "http://127.0.0.1:1/api/v10"
        assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == "ws://127.0.0.1:1/gateway"
    assert before_base == discord.http.Route.BASE
    assert before_gateway == discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY


CALLBACK = "/interactions/1/token/callback"
COMMANDS = "/applications/1/commands"
_FIELD = {"name": "n", "value": "v"}
_OPTION = {"label": "l", "value": "v"}
_MENTIONS = {"parse": []}


def _message(**data: Any) -> dict[str, Any]:
    return {"type": 4, "data": {"allowed_mentions": _MENTIONS, **data}}


def _select(**fields: Any) -> dict[str, Any]:
    select = {"type": 3, "custom_id": "c", "options": [_OPTION], **fields}
    return {"components": [{"type": 1, "components": [select]}]}


def _choices(*choices: dict[str, Any]) -> dict[str, Any]:
    return {"type": 8, "data": {"choices": list(choices)}}


def _command(**fields: Any) -> list[dict[str, Any]]:
    return [{"name": "ok", "description": "fine", "type": 1, **fields}]


def _string_option(**fields: Any) -> dict[str, Any]:
    return {"type": 3, "name": "opt", "description": "an option", **fields}


@pytest.mark.parametrize(
    ("path", "body", "json_path", "needle"),
    [
        (CALLBACK, _message(embeds=[{"fields": [_FIELD] * 26}]), "$.data.embeds[0].fields", "25"),
        (CALLBACK, _message(embeds=[{"description": "d" * 4000}] * 2), "$.data.embeds", "6000"),
        (CALLBACK, _message(embeds=[{"title": "t"}] * 11), "$.data.embeds", "10"),
        (
            CALLBACK,
            _message(embeds=[{"fields": [{"name": "n", "value": "v" * 1025}]}]),
            "$.data.embeds[0].fields[0].value",
            "1024",
        ),
        (
            CALLBACK,
            _message(embeds=[{"footer": {"text": "f" * 2049}}]),
            "$.data.embeds[0].footer.text",
            "2048",
        ),
        (CALLBACK, _message(content="c" * 2001), "$.data.content", "2000"),
        (
            CALLBACK,
            _message(**_select(options=[_OPTION] * 26)),
            "$.data.components[0].components[0].options",
            "25",
        ),
        (
            CALLBACK,
            _message(**_select(custom_id="c" * 101)),
            "$.data.components[0].components[0].custom_id",
            "100",
        ),
        (
            CALLBACK,
            {"type": 4, "data": {"content": "hi"}},
            "$.data.allowed_mentions",
            "allowed_mentions",
        ),
        (CALLBACK, _message(), "$.data", "empty"),
        (CALLBACK, {"type": 99}, "$.type", "99"),
        (CALLBACK, _choices(*[{"name": "n", "value": "v"}] * 26), "$.data.choices", "25"),
        (CALLBACK, _choices({"name": "n" * 101, "value": "v"}), "$.data.choices[0].name", "100"),
        (CALLBACK, _choices({"name": "n", "value": "v" * 101}), "$.data.choices[0].value", "100"),
        (COMMANDS, _command(name="Bad Name"), "$[0].name", "does not match"),
        (COMMANDS, _command(name="Ping"), "$[0].name", "lower case"),
        (COMMANDS, _command(description="d" * 101), "$[0].description", "100"),
        (COMMANDS, _command(description=""), "$[0].description", "1-100"),
        (
            COMMANDS,
            _command(options=[_string_option(name=f"o{i}") for i in range(26)]),
            "$[0].options",
            "25",
        ),
        (
            COMMANDS,
            _command(options=[_string_option(choices=[{"name": "c", "value": "v" * 101}])]),
            "$[0].options[0].choices[0].value",
            "100",
        ),
        (
            COMMANDS,
            _command(
                options=[
                    _string_option(choices=[{"name": f"c{i}", "value": f"{i}"} for i in range(26)])
                ]
            ),
            "$[0].options[0].choices",
            "25",
        ),
        (
            COMMANDS,
            _command(options=[_string_option(), _string_option(name="b", required=True)]),
            "$[0].options[1].required",
            "before",
        ),
        (COMMANDS, _command() + _command(), "$[1].name", "unique"),
        (
            COMMANDS,
            _command(name_localizations={"ko": "드라마 찾기"}),
            "$[0].name_localizations.ko",
            "does not match",
        ),
        (
            COMMANDS,
            _command(name_localizations={"de": "Drama"}),
            "$[0].name_localizations.de",
            "lower case",
        ),
        (
            COMMANDS,
            _command(description_localizations={"kr": "드라마"}),
            "$[0].description_localizations.kr",
            "not a Discord locale",
        ),
        (
            COMMANDS,
            _command(options=[_string_option(name_localizations={"ko": "제목 "})]),
            "$[0].options[0].name_localizations.ko",
            "does not match",
        ),
        (
            COMMANDS,
            _command(
                options=[
                    _string_option(
                        choices=[{"name": "c", "value": "v", "name_localizations": {"xx": "c"}}]
                    )
                ]
            ),
            "$[0].options[0].choices[0].name_localizations.xx",
            "not a Discord locale",
        ),
    ],
)
async def test_validator_finds_problems(path: str, body: Any, json_path: str, needle: str) -> None:
    problems = DiscordStandIn().check_request("PUT" if path == COMMANDS else "POST", path, body)
    assert any(p.json_path == json_path and needle in p.message for p in problems), problems


async def test_a_body_checked_again_gets_the_verdict_of_its_own_text() -> None:
    """The validator remembers verdicts by a body's JSON text (the e2e bots all send the same
    command sync): a body seen before is judged as it was, and one differing in any value, a
    type (a string for a number, true for 1) or its length is judged on its own."""
    standin = DiscordStandIn()
    good = _command(description="d" * 100)
    too_long = _command(description="d" * 101)
    for _ in range(2):
        assert standin.check_request("PUT", COMMANDS, good) == []
        problems = standin.check_request("PUT", COMMANDS, too_long)
        assert {p.json_path for p in problems} == {"$[0].description"}, problems
    number = _command(options=[_string_option(min_length=1)])
    assert standin.check_request("PUT", COMMANDS, number) == []
    for wrong in ("1", True):
        typed = _command(options=[_string_option(min_length=wrong)])
        problems = standin.check_request("PUT", COMMANDS, typed)
        assert {p.json_path for p in problems} == {"$[0].options[0].min_length"}, problems


async def test_validator_accepts_valid_bodies() -> None:
    standin = DiscordStandIn()
    valid_names = _command(name="नमस्ते") + _command(name="ดู") + _command(name="don't-stop_2")
    assert standin.check_request("PUT", COMMANDS, valid_names) == []
    select = _message(content="pick", **_select(options=[_OPTION]))
    assert standin.check_request("POST", CALLBACK, select) == []
    embed = {"title": "t" * 256, "description": "d" * 4096, "fields": [_FIELD] * 25}
    assert standin.check_request("POST", CALLBACK, _message(embeds=[embed])) == []
    with pytest.raises(LookupError):
        standin.check_request("GET", "/no/such/thing", None)


class RichTestBot(StandInTestBot):
    def add_commands(self) -> None:
        info = app_commands.Group(name="info", description="About things")

        @info.command(description="About a member")
        @app_commands.choices(
            depth=[
                app_commands.Choice(name="short", value=1),
                app_commands.Choice(name="long", value=2),
            ]
        )
        async def member(
            interaction: discord.Interaction,
            depth: int,
            who: discord.Member,
            where: discord.TextChannel | None = None,
        ) -> None:
            place = where.name if where else "-"
            await interaction.response.send_message(f"{who.display_name} {depth} {place}")

        self.tree.add_command(info)

        @self.tree.command(description="Who am I, and where?")
        async def whoami(interaction: discord.Interaction) -> None:
            where = "dm" if interaction.guild is None else interaction.guild.name
            await interaction.response.send_message(f"{interaction.user.name} in {where}")

        @self.tree.command(description="Reply in many steps")
        async def steps(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("one")
            await interaction.edit_original_response(content="one (edited)")
            first = await interaction.followup.send("two", ephemeral=True, wait=True)
            await first.edit(content="two (edited)")
            second = await interaction.followup.send("three", wait=True)
            await second.delete()
            original = await interaction.original_response()
            await interaction.followup.send(f"original says {original.content}")

        @self.tree.command(description="Ask for feedback in a modal")
        async def feedback(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(FeedbackModal())

        @self.tree.command(description="Defer, wait, follow up")
        async def slowly(interaction: discord.Interaction) -> None:
            await interaction.response.defer()
            await asyncio.sleep(0.3)
            await interaction.followup.send("finally")

        @self.tree.error
        async def on_tree_error(
            interaction: discord.Interaction, error: app_commands.AppCommandError
        ) -> None:
            self.errors.append(getattr(error, "original", error))


class FeedbackModal(discord.ui.Modal, title="Feedback"):
    opinion: discord.ui.TextInput[FeedbackModal] = discord.ui.TextInput(
        label="Your opinion", custom_id="opinion", max_length=50
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks for: {self.opinion.value}", ephemeral=True)


async def test_modal_round_trip(discord_standin: DiscordStandIn) -> None:
    bot = RichTestBot()
    async with running(bot, discord_standin):
        interaction = await discord_standin.send_slash("feedback")
        response = await interaction.wait_response()
        assert response.type == 9 and response.data is not None
        assert response.data["title"] == "Feedback"
        with pytest.raises(ValueError, match="required"):
            await discord_standin.send_modal_submit(interaction, {})
        submit = await discord_standin.send_modal_submit(interaction, {"opinion": "great"})
        answer = await submit.wait_response()
        assert (answer.content, answer.ephemeral) == ("thanks for: great", True)
    discord_standin.assert_no_violations()


async def test_subcommand_options_resolved_and_dm(discord_standin: DiscordStandIn) -> None:
    bot = RichTestBot()
    async with running(bot, discord_standin):
        bob = discord_standin.guild.member_named("bob")
        interaction = await discord_standin.send_slash(
            "info member", {"depth": 2, "who": bob, "where": discord_standin.channel}
        )
        assert (await interaction.wait_response()).content == "bob 2 general"
        options = interaction.payload["data"]["options"][0]
        assert (options["name"], options["type"]) == ("member", 1)
        assert str(bob.user.id) in interaction.payload["data"]["resolved"]["members"]
        with pytest.raises(ValueError, match="not one of the choices"):
            await discord_standin.send_slash("info member", {"depth": 3, "who": bob})
        with pytest.raises(ValueError, match="required options missing"):
            await discord_standin.send_slash("info member", {"depth": 1})
        with pytest.raises(LookupError, match="never synced"):
            await discord_standin.send_slash("nope")
        in_dm = await discord_standin.send_slash("whoami", user=bob.user, guild_id=None)
        assert (await in_dm.wait_response()).content == "bob in dm"
        assert in_dm.payload["context"] == 1 and "member" not in in_dm.payload
    discord_standin.assert_no_violations()


async def test_followups_edits_and_deletes(discord_standin: DiscordStandIn) -> None:
    bot = RichTestBot()
    async with running(bot, discord_standin):
        interaction = await discord_standin.send_slash("steps")
        last = await interaction.wait_followup(2)
        assert last.content == "original says one (edited)"
        assert interaction.original is not None
        assert interaction.original.content == "one (edited)"
        assert interaction.original.history[0]["content"] == "one"
        first, second, _ = interaction.followups
        assert (first.content, first.ephemeral) == ("two (edited)", True)
        assert second.deleted
        assert [q.operation_id for q in interaction.requests] == [
            "create_interaction_response",
            "update_original_webhook_message",
            "execute_webhook",
            "update_webhook_message",
            "execute_webhook",
            "delete_webhook_message",
            "get_original_webhook_message",
            "execute_webhook",
        ]
    discord_standin.assert_no_violations()


@pytest.mark.parametrize("discord_standin", [{"followup_window": 0.2}], indirect=True)
async def test_followup_after_token_expiry(discord_standin: DiscordStandIn) -> None:
    bot = RichTestBot()
    async with running(bot, discord_standin):
        interaction = await discord_standin.send_slash("slowly")
        assert (await interaction.wait_response()).type == 5
        await discord_standin.state.changed.wait_for(lambda: bot.errors, 3, "the bot error")
        assert isinstance(bot.errors[0], discord.HTTPException)
        assert bot.errors[0].code == 50027
    (violation,) = discord_standin.clear_violations()
    assert "Invalid Webhook Token" in violation.message


async def test_raw_http_rules(discord_standin: DiscordStandIn) -> None:
    """Callbacks without ``with_response`` get 204; wrong tokens and ids are refused."""
    client = discord.Client(intents=discord.Intents.none(), guild_ready_timeout=0.05)
    async with running(client, discord_standin):  # a client without a command tree
        interaction = await discord_standin.send_slash("ping", require_synced=False)
        base = f"{discord_standin.api_url}"
        callback = f"{base}/interactions/{interaction.id}/{interaction.token}/callback"
        body = {"type": 4, "data": {"content": "raw", "allowed_mentions": {"parse": []}}}
        async with aiohttp.ClientSession() as session:
            async with session.post(callback, json=body) as resp:
                assert resp.status == 204 and await resp.read() == b""
            followup = f"{base}/webhooks/{discord_standin.application_id}/{interaction.token}"
            async with session.post(followup, json=body["data"]) as resp:
                assert resp.status == 204
            async with session.post(followup + "?wait=true", json=body["data"]) as resp:
                assert resp.status == 200
                message = await resp.json()
                assert message["content"] == "raw" and message["webhook_id"]
            async with session.post(
                f"{base}/webhooks/1/{interaction.token}", json=body["data"]
            ) as resp:
                assert (resp.status, (await resp.json())["code"]) == (404, 10015)
            async with session.post(
                f"{base}/interactions/{interaction.id}/nope/callback", json=body
            ) as resp:
                assert (resp.status, (await resp.json())["code"]) == (404, 10062)
    assert (await interaction.wait_response()).content == "raw"
    assert len(interaction.followups) == 2
    assert [v.kind for v in discord_standin.clear_violations()] == ["interaction"] * 2


async def test_global_rate_limit_on_sync(
    discord_standin: DiscordStandIn, bot: StandInTestBot
) -> None:
    rule = discord_standin.rate_limit_next(
        "PUT", r"/commands$", count=2, retry_after=0.05, scope="global", global_=True
    )
    async with running(bot, discord_standin):
        await discord_standin.wait_for_commands()
    assert len(rule.hits) == 2
    puts = discord_standin.requests_matching("PUT", r"/commands$")
    assert [q.status for q in puts] == [429, 429, 200]
    assert puts[0].response["global"] is True
    discord_standin.assert_no_violations()


async def test_a_429_empties_its_bucket_until_retry_after(
    discord_standin: DiscordStandIn,
) -> None:
    """Discord's documented behaviour: the bucket stays empty for ``retry_after``; a request
    sent sooner gets 429 again (and counts as invalid); other buckets are not affected."""
    rule = discord_standin.rate_limit_next("GET", r"^/users/@me$", retry_after=0.4)
    headers = {"Authorization": f"Bot {discord_standin.token}"}
    url = f"{discord_standin.api_url}/users/@me"
    async with aiohttp.ClientSession(headers=headers) as session:
        async with session.get(url) as first:
            assert first.status == 429 and (await first.json())["retry_after"] == 0.4
            assert first.headers["X-RateLimit-Scope"] == "user"
        async with session.get(url) as too_soon:
            assert too_soon.status == 429
            assert 0 < (await too_soon.json())["retry_after"] <= 0.4
        async with session.get(f"{discord_standin.api_url}/gateway/bot") as other:
            assert other.status == 200  # another route: another bucket
        await asyncio.sleep(0.45)
        async with session.get(url) as waited:
            assert waited.status == 200
    assert len(rule.hits) == 1
    (violation,) = discord_standin.clear_violations()
    assert violation.kind == "ratelimit" and "before the retry_after" in violation.message


async def test_a_shared_429_does_not_count_as_invalid(discord_standin: DiscordStandIn) -> None:
    discord_standin.rate_limit_next("GET", r"^/users/@me$", retry_after=0.4, scope="shared")
    headers = {"Authorization": f"Bot {discord_standin.token}"}
    async with aiohttp.ClientSession(headers=headers) as session:
        for _ in range(2):
            async with session.get(f"{discord_standin.api_url}/users/@me") as response:
                assert response.status == 429
                assert response.headers["X-RateLimit-Scope"] == "shared"
    assert discord_standin.violations == []


async def test_server_errors_on_demand(
    discord_standin: DiscordStandIn, bot: StandInTestBot
) -> None:
    async with running(bot, discord_standin):
        rule = discord_standin.fail_next("POST", r"/callback$", status=502, after_processing=True)
        interaction = await discord_standin.send_slash("ping")
        # discord.py retries a 502 after a second; Discord already had the answer: 40060.
        request = await discord_standin.wait_for_request("POST", r"/callback$", count=2)
        assert [q.status for q in interaction.requests] == [502, 400]
        assert request.response["code"] == 40060
        assert (await interaction.wait_response()).type == 4
        assert len(rule.hits) == 1
        discord_standin.clear_violations()  # the second callback is a 40060 violation
        discord_standin.fail_next("GET", r"^/users/\d+$", count=1, status=503)
        with pytest.raises(discord.DiscordServerError) as refused:
            await bot.fetch_user(bot.user.id if bot.user else 0)
        assert refused.value.status == 503 and refused.value.text == "503: Service Unavailable"
    with pytest.raises(ValueError, match="not one of"):
        discord_standin.fail_next("GET", "/", status=418)


async def test_reset_token_closes_the_gateway_with_4004(discord_standin: DiscordStandIn) -> None:
    bot = StandInTestBot()
    async with bot:
        task = asyncio.create_task(bot.start(discord_standin.token))
        await discord_standin.wait_until_ready(timeout=patient(5))
        old = discord_standin.token
        new = await discord_standin.reset_token()
        assert new != old
        with pytest.raises(discord.ConnectionClosed) as closed:
            await asyncio.wait_for(task, 5)
        assert closed.value.code == 4004
    headers = {"Authorization": f"Bot {old}"}
    async with (
        aiohttp.ClientSession(headers=headers) as session,
        session.get(f"{discord_standin.api_url}/users/@me") as response,
    ):
        assert response.status == 401
    assert [v.kind for v in discord_standin.clear_violations()] == ["auth"]


async def test_identify_rate_limit_per_key() -> None:
    """Discord allows one IDENTIFY per 5 s per key (shard_id % max_concurrency): with
    max_concurrency 1, two shards identifying at once break the rule (checked on request:
    tests that restart a bot within 5 s would break it too)."""
    guilds = [Guild.on_shard(0, 2), Guild.on_shard(1, 2)]
    async with DiscordStandIn(guilds=guilds, recommended_shards=2, identify_limit=True) as standin:
        with standin.patch_discord_py():
            async with running(ShardedTestBot(), standin):
                pass
        (violation,) = standin.clear_violations()
        assert violation.kind == "gateway" and "rate-limit key 0" in violation.message
