"""Shared, mutable state of one stand-in: configuration, the world, and the records."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from .commands import CommandRegistry
from .entities import DM, USER_INSTALL_PERMISSIONS, Channel, Guild, Member, User
from .interactions import Notifier, StandInInteraction
from .messages import StandInMessage
from .ratelimits import RateLimiter
from .records import GatewayConnection, GatewayFrame, RecordedRequest, Violation
from .schema_validation import shared_validator
from .snowflakes import SnowflakeFactory
from .spec import OpenAPISpec

log = logging.getLogger("tests.standins.discord")


@dataclass
class StandInConfig:
    token: str
    application_id: int
    bot_user: User
    owner: User
    application_name: str
    response_deadline: float = 3.0
    followup_window: float = 15 * 60.0
    recommended_shards: int = 1
    max_concurrency: int = 1  # IDENTIFYs allowed per 5 s per rate-limit key (session_start_limit)
    identify_limit: bool = False  # record IDENTIFYs that break that limit as violations
    require_allowed_mentions: bool = True
    heartbeat_interval_ms: int = 41_250
    emit_message_events: bool = True
    bot_permissions: int = 0


class StandInState:
    """Everything the gateway and REST halves share."""

    def __init__(self, config: StandInConfig, guilds: list[Guild], spec: OpenAPISpec) -> None:
        self.config = config
        self.guilds = guilds
        self.spec = spec
        self.request_validator = shared_validator(spec, relax_snowflakes=True)
        self.response_validator = shared_validator(spec, relax_snowflakes=False)
        self.ids = SnowflakeFactory(worker_id=3)
        self.commands = CommandRegistry(config.application_id, self.ids)
        self.ratelimiter = RateLimiter()
        self.interactions: dict[str, StandInInteraction] = {}
        self.messages: dict[int, StandInMessage] = {}
        self.dm_channels: dict[int, User] = {}
        #: Channels and threads deleted while the stand-in runs (``delete_channel``): Discord
        #: answers 10003 Unknown Channel for them (no fault of the client's: no violation).
        self.deleted_channels: set[int] = set()
        self.requests: list[RecordedRequest] = []
        self.violations: list[Violation] = []
        self.self_check_failures: list[str] = []
        self.frames: list[GatewayFrame] = []
        self.connections: list[GatewayConnection] = []
        self.changed = Notifier()
        self.gateway_url = ""  # set by the server once the port is known
        for guild in guilds:
            if guild.bot_member:
                guild.add_bot(config.bot_user, config.bot_permissions)

    # ------------------------------------------------------------------ records
    def violate(
        self,
        kind: str,
        message: str,
        *,
        request: RecordedRequest | None = None,
        json_path: str | None = None,
    ) -> Violation:
        violation = Violation(
            kind=kind,
            message=message,
            method=request.method if request else None,
            path=request.path if request else None,
            json_path=json_path,
            request=request,
            time=time.monotonic(),
        )
        self.violations.append(violation)
        log.warning("Discord stand-in violation: %s", violation)
        self.changed.notify()
        return violation

    def self_check_failed(self, message: str) -> None:
        """The stand-in's own answer did not match the spec (a stand-in bug)."""
        self.self_check_failures.append(message)
        log.error("Discord stand-in self-check: %s", message)

    # ------------------------------------------------------------------ world lookups
    def guild(self, guild_id: int) -> Guild | None:
        return next((g for g in self.guilds if g.id == guild_id), None)

    def find_channel(self, channel_id: int) -> tuple[Guild | None, Channel | None]:
        for guild in self.guilds:
            channel = guild.get_channel(channel_id)
            if channel is not None:
                return guild, channel
        if channel_id in self.dm_channels:
            return None, Channel(id=channel_id, name="", type=DM)
        return None, None

    def find_user(self, user_id: int) -> User | None:
        if user_id == self.config.bot_user.id:
            return self.config.bot_user
        if user_id == self.config.owner.id:
            return self.config.owner
        for guild in self.guilds:
            member = guild.get_member(user_id)
            if member is not None:
                return member.user
        return next((u for u in self.dm_channels.values() if u.id == user_id), None)

    def bot_member(self, guild: Guild) -> Member | None:
        return guild.get_member(self.config.bot_user.id)

    def app_permissions(self, guild: Guild | None, *, user_install: bool = False) -> int:
        if guild is None:
            return 0
        member = self.bot_member(guild)
        if member is None and user_install:
            return USER_INSTALL_PERMISSIONS
        return guild.permissions_for(member.roles if member else [], self.config.bot_user.id)

    def dm_channel_for(self, user: User) -> int:
        for channel_id, recipient in self.dm_channels.items():
            if recipient.id == user.id:
                return channel_id
        channel_id = self.ids.next()
        self.dm_channels[channel_id] = user
        return channel_id

    def store_message(self, message: StandInMessage) -> StandInMessage:
        self.messages[message.id] = message
        self.changed.notify()
        return message

    def messages_in(self, channel_id: int) -> list[StandInMessage]:
        return [m for m in self.messages.values() if m.channel_id == channel_id]
