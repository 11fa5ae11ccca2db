# ruff: noqa: ASYNC109  (the test-facing API takes explicit timeouts by design)
"""``DiscordStandIn``: the test-facing object. Starts the aiohttp server, points
discord.py at it, and lets a test act as Discord users (slash commands, autocomplete,
component clicks), break things (dropped connections, 429s) and inspect what the bot did.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import secrets
import socket
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from aiohttp import web

from .commands import CommandNotSynced, OptionsArg, SyncedCommands, build_command_data
from .entities import (
    DEFAULT_BOT_PERMISSIONS,
    THREAD_TYPES,
    Channel,
    Guild,
    Member,
    Role,
    User,
    new_id,
)
from .gateway import GatewayHub
from .interactions import (
    APPLICATION_COMMAND,
    APPLICATION_COMMAND_AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    StandInInteraction,
    build_modal_submission,
)
from .messages import StandInMessage, normalize_components
from .payloads import channel_payload, dm_channel_payload, interaction_payload
from .ratelimits import FaultRule, RateLimitRule
from .records import GatewayConnection, GatewayFrame, RecordedRequest, Violation
from .responses import NOT_FOUND, error_response
from .rest import RestApi
from .schema_validation import FieldError
from .spec import load_spec
from .state import StandInConfig, StandInState

_UNSET: Any = object()


class DiscordStandIn:
    """A local Discord (REST under /api/v10 + gateway websocket) for discord.py tests.

    See the package docstring (``tests.standins.discord``) for the full API and an example.
    """

    def __init__(
        self,
        *,
        guilds: Sequence[Guild] | None = None,
        application_id: int | None = None,
        bot_user: User | None = None,
        token: str | None = None,
        response_deadline: float = 3.0,
        followup_window: float = 15 * 60.0,
        recommended_shards: int = 1,
        max_concurrency: int = 1,
        identify_limit: bool = False,
        require_allowed_mentions: bool = True,
        bot_permissions: int = DEFAULT_BOT_PERMISSIONS,
        heartbeat_interval_ms: int = 41_250,
        emit_message_events: bool = True,
        spec_path: str | Path | None = None,
    ) -> None:
        app_id = application_id or (bot_user.id if bot_user else new_id())
        bot = bot_user or User(id=app_id, username="standin-bot", bot=True, discriminator="0001")
        self.token = token or f"{secrets.token_urlsafe(18)}.standin.{secrets.token_urlsafe(27)}"
        worlds = list(guilds) if guilds is not None else [Guild.create()]
        owner = next(
            (m.user for g in worlds for m in g.members if m.user.id == g.owner_id), None
        ) or User.create("app-owner")
        config = StandInConfig(
            token=self.token,
            application_id=app_id,
            bot_user=bot,
            owner=owner,
            application_name=bot.username,
            response_deadline=response_deadline,
            followup_window=followup_window,
            recommended_shards=recommended_shards,
            max_concurrency=max_concurrency,
            identify_limit=identify_limit,
            require_allowed_mentions=require_allowed_mentions,
            heartbeat_interval_ms=heartbeat_interval_ms,
            emit_message_events=emit_message_events,
            bot_permissions=bot_permissions,
        )
        self.state = StandInState(config, worlds, load_spec(spec_path))
        self.gateway = GatewayHub(self.state)
        self.rest = RestApi(self.state, self.gateway)
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> DiscordStandIn:
        app = web.Application()
        app.router.add_route("*", "/api/v10/{tail:.*}", self.rest.handle)
        app.router.add_route("GET", "/gateway", self.gateway.handle)
        app.router.add_route("GET", "/gateway/resume", self.gateway.handle)
        app.router.add_route("*", "/{tail:.*}", self._unknown)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self._port = sock.getsockname()[1]
        await web.SockSite(runner, sock).start()
        self._runner = runner
        self.state.gateway_url = self.gateway_url
        self.gateway.resume_url = self.resume_gateway_url
        self.gateway.resume_path = "/gateway/resume"
        return self

    async def stop(self) -> None:
        if self._runner is None:
            return
        await self.gateway.close_all()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._runner.cleanup(), 5.0)
        self._runner = None

    async def __aenter__(self) -> DiscordStandIn:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _unknown(self, request: web.Request) -> web.Response:
        self.state.violate(
            "endpoint",
            f"{request.method} {request.path_qs}: not a Discord URL "
            "(expected /api/v10/... or the gateway)",
        )
        return error_response(*NOT_FOUND)

    # ------------------------------------------------------------------ addresses
    @property
    def base_url(self) -> str:
        if self._port is None:
            raise RuntimeError("the stand-in is not started")
        return f"http://127.0.0.1:{self._port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self._port}/gateway"

    @property
    def resume_gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self._port}/gateway/resume"

    @contextlib.contextmanager
    def patch_discord_py(self) -> Iterator[DiscordStandIn]:
        """Point discord.py's REST base and default gateway at the stand-in (restored after)."""
        import discord.gateway
        import discord.http
        import yarl

        old_base = discord.http.Route.BASE
        old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
        discord.http.Route.BASE = self.api_url
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)
        try:
            yield self
        finally:
            discord.http.Route.BASE = old_base
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway

    # ------------------------------------------------------------------ the world
    @property
    def application_id(self) -> int:
        return self.state.config.application_id

    @property
    def bot_user(self) -> User:
        return self.state.config.bot_user

    @property
    def guilds(self) -> list[Guild]:
        return self.state.guilds

    @property
    def guild(self) -> Guild:
        """The first guild (the default for ``send_*``)."""
        return self.state.guilds[0]

    @property
    def channel(self) -> Channel:
        """The first text channel of the first guild (the default for ``send_*``)."""
        return self.guild.text_channels[0]

    @property
    def user(self) -> User:
        """The default invoking user: the first human non-owner member of the first guild."""
        humans = [m.user for m in self.guild.members if not m.user.bot]
        others = [u for u in humans if u.id != self.guild.owner_id]
        return (others or humans)[0]

    @property
    def owner(self) -> User:
        return self.state.config.owner

    # ------------------------------------------------------------------ records
    @property
    def requests(self) -> list[RecordedRequest]:
        return self.state.requests

    @property
    def violations(self) -> list[Violation]:
        return self.state.violations

    @property
    def self_check_failures(self) -> list[str]:
        """Places where the stand-in's own answers did not match the spec (stand-in bugs)."""
        return self.state.self_check_failures

    @property
    def commands(self) -> SyncedCommands:
        return self.state.commands.synced

    @property
    def messages(self) -> list[StandInMessage]:
        return list(self.state.messages.values())

    @property
    def interactions(self) -> list[StandInInteraction]:
        return list(self.state.interactions.values())

    @property
    def frames(self) -> list[GatewayFrame]:
        return self.state.frames

    @property
    def connections(self) -> list[GatewayConnection]:
        return self.state.connections

    @property
    def resume_count(self) -> int:
        return self.gateway.total_resumes

    def requests_matching(self, method: str = "*", path_regex: str = "") -> list[RecordedRequest]:
        pattern = re.compile(path_regex)
        return [
            q for q in self.state.requests if method in ("*", q.method) and pattern.search(q.path)
        ]

    def check_request(
        self, method: str, path: str, body: Any, *, has_files: bool = False
    ) -> list[FieldError]:
        """What the stand-in would object to in ``body`` sent as ``method path`` (path after
        /api/v10), without a bot or a server: e.g. check a renderer's output directly with
        ``check_request("POST", "/interactions/1/token/callback", {"type": 4, "data": ...})``.
        Raises ``LookupError`` for an endpoint that is not in the OpenAPI description."""
        operation, _, _ = self.state.spec.match(method, path)
        if operation is None:
            raise LookupError(f"{method} {path} is not in Discord's OpenAPI description")
        return self.rest.problems(operation, body, has_files)

    def unanswered_interactions(self) -> list[StandInInteraction]:
        """Dispatched interactions whose response deadline passed with no response."""
        now = time.monotonic()
        return [
            i
            for i in self.state.interactions.values()
            if i.response is None
            and not i.unanswered_expected
            and i.dispatched_at is not None
            and now - i.dispatched_at > i.deadline
        ]

    def expect_unanswered(self, interaction: StandInInteraction) -> None:
        """A test that made an answer impossible (e.g. a 429 longer than the deadline) says
        so; ``assert_no_violations`` then does not report this interaction."""
        interaction.unanswered_expected = True

    def assert_no_violations(self, *, include_unanswered: bool = True) -> None:
        """Raise ``AssertionError`` listing every recorded violation (and, by default,
        interactions the bot never acknowledged within the deadline)."""
        lines = [str(v) for v in self.state.violations]
        if include_unanswered:
            lines.extend(
                f"[interaction] {i!r} was never acknowledged (deadline {i.deadline:g}s)"
                for i in self.unanswered_interactions()
            )
        if lines:
            raise AssertionError(
                f"{len(lines)} Discord stand-in violation(s):\n  " + "\n  ".join(lines)
            )

    def clear_violations(self) -> list[Violation]:
        """Forget the recorded violations (returns them), e.g. after asserting on them."""
        taken = list(self.state.violations)
        self.state.violations.clear()
        return taken

    # ------------------------------------------------------------------ waiting
    async def wait_until_ready(self, timeout: float = 10.0) -> None:
        """Wait until every shard has IDENTIFYed and got READY and its GUILD_CREATEs."""
        await self.state.changed.wait_for(
            self.gateway.is_ready,
            timeout,
            "the bot to IDENTIFY (READY + GUILD_CREATE sent)",
            self._violation_context,
        )

    async def wait_for_commands(self, timeout: float = 5.0, *, count: int = 1) -> SyncedCommands:
        """Wait until the bot has written its commands ``count`` times (any scope)."""
        await self.state.changed.wait_for(
            lambda: self.commands.sync_count >= count,
            timeout,
            "an application command sync",
            self._violation_context,
        )
        return self.commands

    async def wait_for_request(
        self, method: str = "*", path_regex: str = "", *, timeout: float = 5.0, count: int = 1
    ) -> RecordedRequest:
        """Wait until ``count`` requests match; return the last of them."""

        def found() -> RecordedRequest | None:
            hits = [q for q in self.requests_matching(method, path_regex) if q.status]
            return hits[count - 1] if len(hits) >= count else None

        return await self.state.changed.wait_for(
            found, timeout, f"{count} request(s) {method} /{path_regex}/", self._violation_context
        )

    async def wait_resumed(self, timeout: float = 5.0) -> None:
        """Wait until a dropped shard has RESUMEd (after ``drop_connection``)."""
        await self.state.changed.wait_for(
            self.gateway.resumed_since_drop, timeout, "the bot to RESUME", self._violation_context
        )

    def _violation_context(self) -> str:
        if not self.state.violations:
            return ""
        return "\n  violations so far:\n    " + "\n    ".join(str(v) for v in self.state.violations)

    # ------------------------------------------------------------------ connection control
    async def drop_connection(
        self, shard_id: int | None = None, *, code: int = 4000, reconnect_op: bool = False
    ) -> int:
        """Drop the gateway connection of one shard (default: all) with close ``code``
        (4000 is resumable), or send op 7 RECONNECT with ``reconnect_op=True``. Events
        sent while disconnected are replayed on RESUME. Returns how many were dropped."""
        return await self.gateway.drop(shard_id, code=code, reconnect_op=reconnect_op)

    async def remove_bot(self, guild: Guild) -> None:
        """The bot removed from ``guild`` (kicked, or the server deleted): Discord sends
        GUILD_DELETE without ``unavailable`` (with it, the server is only in an outage)."""
        guild.bot_member = False
        guild.members = [m for m in guild.members if m.user.id != self.bot_user.id]
        await self.gateway.dispatch(guild.id, "GUILD_DELETE", {"id": str(guild.id)})

    async def archive_thread(self, thread: Channel, *, locked: bool = False) -> None:
        """``thread`` archived (and ``locked``: by a moderator), with THREAD_UPDATE as Discord
        sends it. A message sent there unarchives it, unless it is locked: 50083."""
        guild = next(g for g in self.guilds if thread in g.channels)
        thread.archived, thread.locked = True, locked
        await self.gateway.dispatch(guild.id, "THREAD_UPDATE", channel_payload(thread, guild))

    async def delete_channel(self, channel: Channel) -> None:
        """``channel`` (a thread, a forum's post) deleted: gone from its server, 10003 Unknown
        Channel for whatever is sent or answered there, THREAD_DELETE or CHANNEL_DELETE."""
        guild = next(g for g in self.guilds if channel in g.channels)
        guild.channels.remove(channel)
        self.state.deleted_channels.add(channel.id)
        if channel.type in THREAD_TYPES:
            event, data = (
                "THREAD_DELETE",
                {
                    "id": str(channel.id),
                    "guild_id": str(guild.id),
                    "parent_id": str(channel.parent_id),
                    "type": channel.type,
                },
            )
        else:
            event, data = "CHANNEL_DELETE", channel_payload(channel, guild)
        await self.gateway.dispatch(guild.id, event, data)

    async def invite_bot(self, guild: Guild) -> None:
        """The bot (re-)invited to ``guild``: GUILD_CREATE, as on joining."""
        guild.bot_member = True
        guild.add_bot(self.bot_user, self.state.config.bot_permissions)
        session = self.gateway.by_shard[self.gateway.shard_for_guild(guild.id)]
        joined = self.gateway.guild_create(guild, session)
        del joined["unavailable"]  # (only a server back from an outage says False)
        await self.gateway.dispatch(guild.id, "GUILD_CREATE", joined)

    async def invalidate_session(self, shard_id: int = 0, *, resumable: bool = False) -> None:
        """Send op 9 INVALID_SESSION (the bot re-IDENTIFYs unless ``resumable``)."""
        await self.gateway.invalidate(shard_id, resumable=resumable)

    def rate_limit_next(
        self,
        method: str,
        path_regex: str,
        count: int = 1,
        *,
        retry_after: float = 0.05,
        scope: str = "user",
        global_: bool = False,
    ) -> RateLimitRule:
        """Answer the next ``count`` requests matching ``method`` ("*" for any) and
        ``path_regex`` (searched in the path after /api/v10) with 429."""
        return self.state.ratelimiter.add(method, path_regex, count, retry_after, scope, global_)

    def fail_next(
        self,
        method: str,
        path_regex: str,
        count: int = 1,
        *,
        status: int = 503,
        after_processing: bool = False,
        html: bool = False,
    ) -> FaultRule:
        """Answer the next ``count`` requests matching ``method`` ("*" for any) and
        ``path_regex`` with a server error (500, 502, 503 or 504), as Discord does in an
        outage. ``after_processing=True``: the request takes effect first and only its answer
        is lost, so a retry finds it already done (e.g. 40060 for an interaction callback).
        ``html=True``: an HTML page instead of Discord's JSON, as a proxy in front of Discord
        may send (then ``status`` may be 200 too)."""
        return self.state.ratelimiter.add_fault(
            method, path_regex, count, status, after_processing, html
        )

    async def reset_token(self) -> str:
        """What "Reset Token" in the Developer Portal does: the old token stops working at
        once (REST answers 401; open gateway connections are closed with 4004 and cannot
        resume). Returns the new token."""
        self.token = f"{secrets.token_urlsafe(18)}.standin.{secrets.token_urlsafe(27)}"
        self.state.config.token = self.token
        await self.gateway.drop(code=4004)
        return self.token

    # ------------------------------------------------------------------ acting as users
    def _resolve_guild(self, guild: Guild | int | None) -> Guild | None:
        if guild is None:
            return None
        if isinstance(guild, Guild):
            return guild
        found = self.state.guild(int(guild))
        if found is None:
            raise LookupError(f"no guild {guild} in the stand-in")
        return found

    def _resolve_channel(self, guild: Guild | None, channel: Channel | int | str | None) -> Channel:
        if guild is None:
            raise ValueError("internal: DM channels are made per user")
        if channel is None:
            if not guild.text_channels:
                raise LookupError(f"guild {guild.name!r} has no text channel")
            return guild.text_channels[0]
        if isinstance(channel, Channel):
            return channel
        if isinstance(channel, str):
            return guild.channel_named(channel)
        found = guild.get_channel(int(channel))
        if found is None:
            raise LookupError(f"guild {guild.name!r} has no channel {channel}")
        return found

    def _resolve_member(
        self, guild: Guild | None, user: User | Member | int | str | None
    ) -> tuple[User, Member | None]:
        if isinstance(user, Member):
            return user.user, user
        if user is None:
            if guild is None:
                return self.user, None
            humans = [m for m in guild.members if not m.user.bot]
            others = [m for m in humans if m.user.id != guild.owner_id]
            member = (others or humans)[0]
            return member.user, member
        if isinstance(user, str):
            if guild is None:
                raise ValueError("pass a User for DMs")
            member = guild.member_named(user)
            return member.user, member
        if isinstance(user, int):
            found = self.state.find_user(user)
            if found is None:
                raise LookupError(f"no user {user} in the stand-in")
            user = found
        member = guild.get_member(user.id) if guild else None
        if guild is not None and member is None:
            member = Member(user=user)
            guild.members.append(member)
        return user, member

    def _role_ids(self, guild: Guild, roles: Sequence[Role | int | str]) -> list[int]:
        ids: list[int] = []
        for role in roles:
            if isinstance(role, Role):
                ids.append(role.id)
            elif isinstance(role, str):
                ids.append(guild.role_named(role).id)
            else:
                ids.append(int(role))
        return ids

    async def _dispatch(
        self,
        interaction_type: int,
        data: dict[str, Any],
        *,
        guild: Guild | None,
        channel: Channel | int | str | None,
        user: User | Member | int | str | None,
        roles: Sequence[Role | int | str] | None,
        permissions: int | str | None,
        locale: str,
        message: StandInMessage | None = None,
        triggered_by: StandInInteraction | None = None,
        ready_timeout: float = 10.0,
        user_install: bool = False,
    ) -> StandInInteraction:
        if not self.gateway.is_ready():
            await self.wait_until_ready(ready_timeout)
        the_user, member = self._resolve_member(guild, user)
        if guild is not None:
            the_channel = self._resolve_channel(guild, channel)
            chan = channel_payload(the_channel, guild)
            if member is not None and roles is not None:
                member = Member(
                    user=member.user,
                    roles=self._role_ids(guild, roles),
                    nick=member.nick,
                    joined_at=member.joined_at,
                )
            role_ids = member.roles if member else []
            member_permissions = (
                int(permissions)
                if permissions is not None
                else guild.permissions_for(role_ids, the_user.id)
            )
            chan["permissions"] = str(member_permissions)
        else:
            chan = dm_channel_payload(self.state.dm_channel_for(the_user), the_user)
            member_permissions = int(permissions) if permissions is not None else 0
        interaction_id = self.state.ids.next()
        token = "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(96)
        payload = interaction_payload(
            interaction_type=interaction_type,
            interaction_id=interaction_id,
            token=token,
            application_id=self.application_id,
            data=data,
            user=the_user,
            guild=guild,
            channel_payload_=chan,
            member=member,
            member_permissions=member_permissions,
            app_permissions=self.state.app_permissions(guild, user_install=user_install),
            locale=locale,
            message=message.raw if message is not None else None,
            user_install=user_install,
            bot_in_guild=guild is not None and self.state.bot_member(guild) is not None,
        )
        interaction = StandInInteraction(
            id=interaction_id,
            token=token,
            type=interaction_type,
            payload=payload,
            deadline=self.state.config.response_deadline,
            followup_window=self.state.config.followup_window,
            source_message=message,
            triggered_by=triggered_by,
        )
        interaction._violations = lambda: list(self.state.violations)
        self.state.interactions[token] = interaction

        def sent(at: float) -> None:
            interaction.dispatched_at = at
            interaction.notify()

        delivered = await self.gateway.dispatch(
            guild.id if guild else None, "INTERACTION_CREATE", payload, sent
        )
        if not delivered:
            raise RuntimeError(
                "no gateway session for this interaction's shard: did the bot "
                "connect to the stand-in?"
            )
        return interaction

    def _find_command(
        self, name: str, guild: Guild | None, command_type: int, require_synced: bool
    ) -> tuple[dict[str, Any], int | None, list[str]]:
        root, *path = name.split()
        found = self.commands.find(root, guild.id if guild else None, command_type)
        if found is None:
            if require_synced:
                scopes = {"global": self.commands.names()}
                if guild is not None:
                    scopes[f"guild {guild.id}"] = self.commands.names(guild.id)
                raise CommandNotSynced(f"/{root} was never synced by the bot (synced: {scopes})")
            return (
                {
                    "id": str(self.state.ids.next()),
                    "name": root,
                    "type": command_type,
                    "options": [],
                },
                None,
                path,
            )
        command, scope = found
        return command, scope, path

    async def send_slash(
        self,
        name: str,
        options: OptionsArg = None,
        *,
        user: User | Member | int | str | None = None,
        guild_id: Guild | int | None = _UNSET,
        channel: Channel | int | str | None = None,
        roles: Sequence[Role | int | str] | None = None,
        permissions: int | str | None = None,
        locale: str = "en-US",
        require_synced: bool = True,
        user_install: bool = False,
    ) -> StandInInteraction:
        """Invoke ``/name`` (``"group sub"`` for sub-commands) as ``user``.

        ``options``: ``{"option": value}`` or ``[{"name": ..., "value": ...}]``; values are
        checked against the synced definition (types, choices, required). ``guild_id=None``
        invokes it in a DM. ``user`` is a ``User``/``Member``, a user id or a member's
        username (default: ``self.user``); a user who is not in the guild joins it.
        ``roles``/``permissions`` override the member's roles and computed permissions for
        this invocation. ``user_install``: used as an app the user installed on their account
        (in a guild made with ``bot_member=False``: a server the bot is not in; a global
        command, as only global commands reach there)."""
        guild = self.guild if guild_id is _UNSET else self._resolve_guild(guild_id)
        scope_guild = guild if guild is not None and guild.bot_member else None
        command, scope, path = self._find_command(name, scope_guild, 1, require_synced)
        if user_install and 1 not in (command.get("integration_types") or [0]):
            raise CommandNotSynced(f"/{name} is not offered to an app installed by a user")
        data = build_command_data(command, scope, path, options, guild)
        return await self._dispatch(
            APPLICATION_COMMAND,
            data,
            guild=guild,
            channel=channel,
            user=user,
            roles=roles,
            permissions=permissions,
            locale=locale,
            user_install=user_install,
        )

    async def send_autocomplete(
        self,
        name: str,
        options: OptionsArg = None,
        *,
        focused: str,
        user: User | Member | int | str | None = None,
        guild_id: Guild | int | None = _UNSET,
        channel: Channel | int | str | None = None,
        roles: Sequence[Role | int | str] | None = None,
        permissions: int | str | None = None,
        locale: str = "en-US",
    ) -> StandInInteraction:
        """Autocomplete for option ``focused`` of ``/name``; ``options[focused]`` is the
        partial text typed so far (default "")."""
        guild = self.guild if guild_id is _UNSET else self._resolve_guild(guild_id)
        command, scope, path = self._find_command(name, guild, 1, True)
        data = build_command_data(command, scope, path, options, guild, focused=focused)
        return await self._dispatch(
            APPLICATION_COMMAND_AUTOCOMPLETE,
            data,
            guild=guild,
            channel=channel,
            user=user,
            roles=roles,
            permissions=permissions,
            locale=locale,
        )

    async def send_component(
        self,
        target: StandInMessage | StandInInteraction,
        custom_id: str,
        values: Sequence[str] | None = None,
        *,
        user: User | Member | int | str | None = None,
        locale: str = "en-US",
    ) -> StandInInteraction:
        """Click a button or choose ``values`` in a select menu on a message the bot sent.

        ``target`` is the message, or an interaction (its newest message holding
        ``custom_id`` is used)."""
        message = self._message_with(target, custom_id)
        component = message.find_component(custom_id)
        assert component is not None
        if component.get("disabled"):
            raise ValueError(f"component {custom_id!r} is disabled; a user cannot use it")
        component_type = int(component["type"])
        data: dict[str, Any] = {
            "custom_id": custom_id,
            "component_type": component_type,
            "id": component.get("id"),
        }
        if component_type == 2:
            if values:
                raise ValueError("buttons take no values")
        elif component_type == 3:
            data["values"] = self._select_values(component, values)
        elif component_type in (5, 6, 7, 8):
            data["values"] = [str(v) for v in values or []]
        else:
            raise ValueError(f"component type {component_type} cannot be interacted with")
        guild_id = message.raw.get("guild_id")
        guild = self.state.guild(int(guild_id)) if guild_id else None
        if user is None and guild is None and message.interaction is not None:
            user = int(message.interaction.payload["user"]["id"])
        return await self._dispatch(
            MESSAGE_COMPONENT,
            data,
            guild=guild,
            channel=message.channel_id if guild else None,
            user=user,
            roles=None,
            permissions=None,
            locale=locale,
            message=message,
            user_install=message.interaction is not None
            and "1" in message.interaction.payload.get("authorizing_integration_owners", {}),
        )

    async def send_raw(
        self,
        interaction_type: int,
        data: dict[str, Any],
        *,
        user: User | Member | int | str | None = None,
        locale: str = "en-US",
    ) -> StandInInteraction:
        """An interaction in this guild whose ``data`` is sent exactly as given, unchecked:
        what a misbehaving or out-of-date client gets through (an option of the wrong type,
        unknown options or commands, autocomplete with nothing focused)."""
        return await self._dispatch(
            interaction_type,
            data,
            guild=self.guild,
            channel=None,
            user=user,
            roles=None,
            permissions=None,
            locale=locale,
        )

    async def send_modal_submit(
        self,
        interaction: StandInInteraction,
        values: Mapping[str, str | Sequence[str]],
        *,
        user: User | Member | int | str | None = None,
        locale: str = "en-US",
    ) -> StandInInteraction:
        """Submit the modal the bot opened (callback type 9) on ``interaction``, filling the
        text inputs (and selects) named by custom_id in ``values``."""
        response = interaction.response
        if response is None or response.type != 9 or not response.data:
            raise ValueError(f"{interaction!r} was not answered with a modal (type 9)")
        modal = response.data
        components = build_modal_submission(
            normalize_components(modal.get("components")), dict(values)
        )
        data = {"custom_id": modal.get("custom_id"), "components": components}
        guild = self.state.guild(interaction.guild_id) if interaction.guild_id else None
        if user is None:
            payload_user = (interaction.payload.get("member") or {}).get(
                "user"
            ) or interaction.payload.get("user")
            user = int(payload_user["id"]) if payload_user else None
        return await self._dispatch(
            MODAL_SUBMIT,
            data,
            guild=guild,
            channel=interaction.channel_id if guild else None,
            user=user,
            roles=None,
            permissions=None,
            locale=locale,
            message=interaction.source_message,
            triggered_by=interaction,
        )

    def _message_with(
        self, target: StandInMessage | StandInInteraction, custom_id: str
    ) -> StandInMessage:
        if isinstance(target, StandInMessage):
            candidates = [target]
        else:
            candidates = list(reversed(target.messages))
        for message in candidates:
            if not message.deleted and message.find_component(custom_id) is not None:
                return message
        available = [cid for m in candidates for cid in m.custom_ids()]
        raise LookupError(
            f"no component with custom_id {custom_id!r} on {target!r} "
            f"(custom_ids present: {available})"
        )

    @staticmethod
    def _select_values(component: dict[str, Any], values: Sequence[str] | None) -> list[str]:
        chosen = [str(v) for v in values or []]
        allowed = [o.get("value") for o in component.get("options", [])]
        unknown = [v for v in chosen if v not in allowed]
        if unknown:
            raise ValueError(
                f"values {unknown} are not options of {component['custom_id']!r} "
                f"(options: {allowed})"
            )
        low, high = component.get("min_values", 1), component.get("max_values", 1)
        if not low <= len(chosen) <= high:
            raise ValueError(
                f"select {component['custom_id']!r} takes {low}..{high} values, got {len(chosen)}"
            )
        return chosen
