"""The little world the stand-in serves: users, roles, channels, members, guilds.

These are plain test-facing dataclasses. ``Guild.create`` builds a plausible guild
(@everyone role, an Admin role, a category with text channels, members) with fresh
snowflakes, so a test rarely needs to spell ids out.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .snowflakes import SnowflakeFactory

# Permission bits (https://discord.com/developers/docs/topics/permissions).
CREATE_INSTANT_INVITE = 1 << 0
KICK_MEMBERS = 1 << 1
BAN_MEMBERS = 1 << 2
ADMINISTRATOR = 1 << 3
MANAGE_CHANNELS = 1 << 4
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
USE_EXTERNAL_EMOJIS = 1 << 18
CONNECT = 1 << 20
SPEAK = 1 << 21
CHANGE_NICKNAME = 1 << 26
MANAGE_ROLES = 1 << 28
USE_APPLICATION_COMMANDS = 1 << 31
SEND_MESSAGES_IN_THREADS = 1 << 38
MODERATE_MEMBERS = 1 << 40
ALL_PERMISSIONS = (1 << 51) - 1

DEFAULT_EVERYONE_PERMISSIONS = (
    CREATE_INSTANT_INVITE
    | ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_EXTERNAL_EMOJIS
    | CONNECT
    | SPEAK
    | CHANGE_NICKNAME
    | USE_APPLICATION_COMMANDS
    | SEND_MESSAGES_IN_THREADS
)
DEFAULT_BOT_PERMISSIONS = (
    VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | ADD_REACTIONS
    | USE_EXTERNAL_EMOJIS
    | USE_APPLICATION_COMMANDS
    | SEND_MESSAGES_IN_THREADS
)

# Channel types.
GUILD_TEXT = 0
DM = 1
GUILD_VOICE = 2
GUILD_CATEGORY = 4
GUILD_ANNOUNCEMENT = 5
GUILD_FORUM = 15
PUBLIC_THREAD = 11
PRIVATE_THREAD = 12
ANNOUNCEMENT_THREAD = 10
THREAD_TYPES = frozenset({ANNOUNCEMENT_THREAD, PUBLIC_THREAD, PRIVATE_THREAD})
#: What Discord reports as ``app_permissions`` for an app installed on a user's account, used
#: in a server it is not a member of (its responses may embed and attach; it cannot post).
USER_INSTALL_PERMISSIONS = EMBED_LINKS | ATTACH_FILES | MENTION_EVERYONE | USE_EXTERNAL_EMOJIS

_ids = SnowflakeFactory(worker_id=2)


def new_id() -> int:
    """A fresh snowflake for test data."""
    return _ids.next()


def _now_iso() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat()


@dataclass
class User:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    discriminator: str = "0"
    avatar: str | None = None
    locale: str = "en-US"

    @classmethod
    def create(cls, username: str, *, bot: bool = False, global_name: str | None = None) -> User:
        return cls(
            id=new_id(),
            username=username,
            global_name=global_name if global_name is not None else (None if bot else username),
            bot=bot,
            discriminator="0001" if bot else "0",
        )


@dataclass
class Role:
    id: int
    name: str
    permissions: int = 0
    position: int = 0
    color: int = 0
    hoist: bool = False
    mentionable: bool = False
    managed: bool = False
    bot_id: int | None = None  # set for a bot's managed role


@dataclass
class Channel:
    id: int
    name: str
    type: int = GUILD_TEXT
    position: int = 0
    parent_id: int | None = None
    topic: str | None = None
    nsfw: bool = False
    #: A thread's state (``thread_metadata``): archived (a message sent there unarchives it,
    #: unless it is also locked: then Discord refuses with 50083).
    archived: bool = False
    locked: bool = False


@dataclass
class Member:
    user: User
    roles: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=_now_iso)


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    roles: list[Role] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    preferred_locale: str = "en-US"
    features: list[str] = field(default_factory=list)
    unavailable: bool = False  # True: announced in READY but never sent in GUILD_CREATE
    #: False: the bot was never added (its app is used there only as installed by users):
    #: never announced to the bot, and the bot cannot post there.
    bot_member: bool = True

    # ------------------------------------------------------------------ construction
    @classmethod
    def create(
        cls,
        name: str = "Stand-in Guild",
        *,
        channels: Sequence[str] = ("general", "reviews"),
        users: Iterable[User | str] = ("alice", "bob"),
        owner: User | str | None = None,
        admin_role: bool = True,
        everyone_permissions: int = DEFAULT_EVERYONE_PERMISSIONS,
        guild_id: int | None = None,
    ) -> Guild:
        """A guild with @everyone, optionally an "Admin" role, a category of text channels
        and the given members (strings become new users). ``owner`` (default: a new user
        "owner") is a member holding the Admin role. ``guild_id`` fixes the id (which
        decides the shard: ``(guild_id >> 22) % shard_count``)."""
        guild_id = guild_id if guild_id is not None else new_id()
        owner_user = owner if isinstance(owner, User) else User.create(owner or "owner")
        guild = cls(id=guild_id, name=name, owner_id=owner_user.id)
        guild.roles.append(Role(id=guild_id, name="@everyone", permissions=everyone_permissions))
        admin: Role | None = None
        if admin_role:
            admin = Role(
                id=new_id(),
                name="Admin",
                permissions=ADMINISTRATOR,
                position=2,
                color=0xE67E22,
                hoist=True,
            )
            guild.roles.append(admin)
        category = Channel(id=new_id(), name="Text Channels", type=GUILD_CATEGORY)
        guild.channels.append(category)
        for position, channel_name in enumerate(channels):
            guild.channels.append(
                Channel(id=new_id(), name=channel_name, position=position, parent_id=category.id)
            )
        guild.members.append(Member(user=owner_user, roles=[admin.id] if admin else []))
        for entry in users:
            user = entry if isinstance(entry, User) else User.create(entry)
            guild.members.append(Member(user=user))
        return guild

    def add_bot(self, bot: User, permissions: int) -> Member:
        """Add the bot as a member with its managed role (done by the stand-in)."""
        existing = self.get_member(bot.id)
        if existing is not None:
            return existing
        role = Role(
            id=new_id(),
            name=bot.username,
            permissions=permissions,
            position=1,
            managed=True,
            bot_id=bot.id,
        )
        self.roles.append(role)
        member = Member(user=bot, roles=[role.id])
        self.members.append(member)
        return member

    def add_channel(
        self, name: str, channel_type: int = GUILD_TEXT, parent: Channel | None = None
    ) -> Channel:
        """A channel, a forum (``GUILD_FORUM``) or a thread (``PUBLIC_THREAD``, a forum's
        post when ``parent`` is a forum) in this guild."""
        channel = Channel(
            id=new_id(), name=name, type=channel_type, parent_id=parent.id if parent else None
        )
        self.channels.append(channel)
        return channel

    # ------------------------------------------------------------------ lookups
    @property
    def everyone(self) -> Role:
        return self.get_role(self.id) or Role(id=self.id, name="@everyone")

    def get_role(self, role_id: int) -> Role | None:
        return next((r for r in self.roles if r.id == role_id), None)

    def role_named(self, name: str) -> Role:
        role = next((r for r in self.roles if r.name == name), None)
        if role is None:
            raise LookupError(f"guild {self.name!r} has no role named {name!r}")
        return role

    def get_channel(self, channel_id: int) -> Channel | None:
        return next((c for c in self.channels if c.id == channel_id), None)

    def channel_named(self, name: str) -> Channel:
        channel = next((c for c in self.channels if c.name == name), None)
        if channel is None:
            raise LookupError(f"guild {self.name!r} has no channel named {name!r}")
        return channel

    @property
    def text_channels(self) -> list[Channel]:
        return [c for c in self.channels if c.type in (GUILD_TEXT, GUILD_ANNOUNCEMENT)]

    def get_member(self, user_id: int) -> Member | None:
        return next((m for m in self.members if m.user.id == user_id), None)

    def member_named(self, username: str) -> Member:
        member = next((m for m in self.members if m.user.username == username), None)
        if member is None:
            raise LookupError(f"guild {self.name!r} has no member {username!r}")
        return member

    def permissions_for(self, role_ids: Iterable[int], user_id: int | None = None) -> int:
        """Guild-level permissions from @everyone plus ``role_ids`` (no overwrites)."""
        if user_id is not None and user_id == self.owner_id:
            return ALL_PERMISSIONS
        value = self.everyone.permissions
        for role_id in role_ids:
            role = self.get_role(role_id)
            if role is not None:
                value |= role.permissions
        if value & ADMINISTRATOR:
            return ALL_PERMISSIONS
        return value

    @classmethod
    def on_shard(cls, shard: int, shard_count: int, name: str = "", **options: Any) -> Guild:
        """A guild whose id puts it on ``shard`` of ``shard_count`` (``(id >> 22) % count``)."""
        base = new_id() >> 22
        timestamp = next(t for t in range(base, base + shard_count) if t % shard_count == shard)
        return cls.create(name or f"Shard {shard} Guild", guild_id=(timestamp << 22) | 1, **options)

    def shard_id(self, shard_count: int) -> int:
        return (self.id >> 22) % max(shard_count, 1)
