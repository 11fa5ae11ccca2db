"""JSON payloads shaped like Discord's: users, members, guilds, READY, applications,
interactions. Snowflakes are strings, as on the wire."""

from __future__ import annotations

from typing import Any

from .entities import DM, THREAD_TYPES, Channel, Guild, Member, Role, User

ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
# APPLICATION_COMMAND_BADGE | GATEWAY_MESSAGE_CONTENT_LIMITED
APPLICATION_FLAGS = (1 << 23) | (1 << 19)


def drop_none(value: Any) -> Any:
    """A JSON value with every null-valued key removed, at any depth (as Discord stores it)."""
    if isinstance(value, dict):
        return {k: drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_none(v) for v in value]
    return value


def user_payload(user: User) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": str(user.id),
        "username": user.username,
        "avatar": user.avatar,
        "discriminator": user.discriminator,
        "public_flags": 0,
        "flags": 0,
        "banner": None,
        "accent_color": None,
        "global_name": user.global_name,
        "avatar_decoration_data": None,
        "collectibles": None,
        "primary_guild": None,
    }
    if user.bot:
        payload["bot"] = True
    return payload


def current_user_payload(user: User) -> dict[str, Any]:
    """GET /users/@me for a bot token."""
    payload = user_payload(user)
    payload.update(
        {
            "mfa_enabled": False,
            "locale": user.locale,
            "premium_type": 0,
            "verified": True,
            "email": None,
            "bio": "",
        }
    )
    return payload


def role_payload(role: Role) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": str(role.id),
        "name": role.name,
        "description": None,
        "permissions": str(role.permissions),
        "position": role.position,
        "color": role.color,
        "colors": {"primary_color": role.color, "secondary_color": None, "tertiary_color": None},
        "hoist": role.hoist,
        "managed": role.managed,
        "mentionable": role.mentionable,
        "icon": None,
        "unicode_emoji": None,
        "flags": 0,
    }
    if role.bot_id is not None:
        payload["tags"] = {"bot_id": str(role.bot_id)}
    return payload


def channel_payload(
    channel: Channel, guild: Guild | None, *, include_guild_id: bool = True
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": str(channel.id),
        "type": channel.type,
        "name": channel.name,
        "position": channel.position,
        "permission_overwrites": [],
        "flags": 0,
    }
    if channel.type != 4:  # not a category
        payload.update(
            {
                "parent_id": str(channel.parent_id) if channel.parent_id else None,
                "nsfw": channel.nsfw,
            }
        )
    if channel.type in (0, 5):
        payload.update({"topic": channel.topic, "last_message_id": None, "rate_limit_per_user": 0})
    if channel.type == 2:
        payload.update({"bitrate": 64000, "user_limit": 0, "rtc_region": None})
    if channel.type in THREAD_TYPES:  # (a forum's post is a thread whose parent is the forum)
        payload.pop("position", None)
        payload.pop("permission_overwrites", None)
        payload.update(
            {
                "owner_id": str(channel.id),
                "last_message_id": None,
                "rate_limit_per_user": 0,
                "message_count": 0,
                "member_count": 1,
                "total_message_sent": 0,
                "thread_metadata": {
                    "archived": channel.archived,
                    "auto_archive_duration": 1440,
                    "archive_timestamp": "2026-01-01T00:00:00+00:00",
                    "locked": channel.locked,
                },
            }
        )
    if channel.type == 15:
        payload.update({"topic": None, "available_tags": [], "default_reaction_emoji": None})
    if guild is not None and include_guild_id:
        payload["guild_id"] = str(guild.id)
    return payload


def dm_channel_payload(channel_id: int, recipient: User) -> dict[str, Any]:
    return {
        "id": str(channel_id),
        "type": DM,
        "last_message_id": None,
        "flags": 0,
        "recipients": [user_payload(recipient)],
    }


def member_payload(member: Member, *, with_user: bool = True) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "roles": [str(r) for r in member.roles],
        "nick": member.nick,
        "avatar": None,
        "banner": None,
        "premium_since": None,
        "joined_at": member.joined_at,
        "deaf": False,
        "mute": False,
        "pending": False,
        "flags": 0,
        "communication_disabled_until": None,
        "unusual_dm_activity_until": None,
    }
    if with_user:
        payload["user"] = user_payload(member.user)
    return payload


def guild_create_payload(
    guild: Guild, *, members: list[Member], presences: bool = False
) -> dict[str, Any]:
    """GUILD_CREATE dispatch data (the full guild the bot sees on connect)."""
    system_channel = guild.text_channels[0].id if guild.text_channels else None
    payload: dict[str, Any] = {
        "id": str(guild.id),
        "name": guild.name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(guild.owner_id),
        "region": "deprecated",
        "afk_channel_id": None,
        "afk_timeout": 300,
        "widget_enabled": False,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 2,
        "mfa_level": 0,
        "nsfw_level": 0,
        "nsfw": False,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "premium_progress_bar_enabled": False,
        "preferred_locale": guild.preferred_locale,
        "system_channel_id": str(system_channel) if system_channel else None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "vanity_url_code": None,
        "application_id": None,
        "max_members": 25_000_000,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "features": list(guild.features),
        "roles": [role_payload(r) for r in guild.roles],
        "emojis": [],
        "stickers": [],
        "incidents_data": None,
        "joined_at": guild.members[0].joined_at if guild.members else None,
        "large": False,
        "unavailable": False,
        "lazy": True,
        "member_count": len(guild.members),
        "voice_states": [],
        "members": [member_payload(m) for m in members],
        "channels": [
            channel_payload(c, guild, include_guild_id=False)
            for c in guild.channels
            if c.type not in THREAD_TYPES
        ],
        "threads": [channel_payload(c, guild) for c in guild.channels if c.type in THREAD_TYPES],
        "presences": []
        if not presences
        else [
            {
                "user": {"id": str(m.user.id)},
                "status": "online",
                "activities": [],
                "client_status": {"desktop": "online"},
            }
            for m in members
        ],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "embedded_activities": [],
        "activity_instances": [],
        "application_command_counts": {},
        "version": 0,
        "hub_type": None,
        "latest_onboarding_question_id": None,
        "home_header": None,
    }
    return payload


def guild_rest_payload(guild: Guild) -> dict[str, Any]:
    """GET /guilds/{id}: the guild without the gateway-only fields."""
    payload = guild_create_payload(guild, members=[])
    for key in (
        "joined_at",
        "large",
        "unavailable",
        "lazy",
        "member_count",
        "voice_states",
        "members",
        "channels",
        "threads",
        "presences",
        "stage_instances",
        "guild_scheduled_events",
        "soundboard_sounds",
        "embedded_activities",
        "activity_instances",
        "application_command_counts",
        "version",
        "hub_type",
        "latest_onboarding_question_id",
        "home_header",
    ):
        payload.pop(key, None)
    return payload


def ready_payload(
    *,
    bot: User,
    application_id: int,
    guilds: list[Guild],
    session_id: str,
    resume_gateway_url: str,
    shard: list[int] | None,
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "v": 10,
        "user_settings": {},
        "user": current_user_payload(bot),
        "session_type": "normal",
        "session_id": session_id,
        "resume_gateway_url": resume_gateway_url,
        "relationships": [],
        "private_channels": [],
        "presences": [],
        "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
        "guild_join_requests": [],
        "geo_ordered_rtc_regions": ["local"],
        "game_relationships": [],
        "auth": {},
        "application": {"id": str(application_id), "flags": APPLICATION_FLAGS},
        "_trace": ['["discord-standin",{"micros":0}]'],
    }
    if shard is not None:
        payload["shard"] = shard
    return payload


def application_payload(
    *, application_id: int, bot: User, owner: User, name: str
) -> dict[str, Any]:
    """GET /oauth2/applications/@me and GET /applications/@me."""
    return {
        "id": str(application_id),
        "name": name,
        "icon": None,
        "description": "Application served by the discord stand-in",
        "summary": "",
        "type": None,
        "is_monetized": False,
        "is_verified": False,
        "is_discoverable": False,
        "hook": True,
        "storefront_available": False,
        "bot_public": False,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "flags": APPLICATION_FLAGS,
        "flags_new": str(APPLICATION_FLAGS),
        "eligible_oauth2_scopes": ["applications.commands", "bot"],
        "redirect_uris": [],
        "interactions_endpoint_url": None,
        "role_connections_verification_url": None,
        "event_webhooks_url": None,
        "event_webhooks_status": 1,
        "owner": user_payload(owner),
        "team": None,
        "bot": user_payload(bot),
        "tags": [],
        "integration_types_config": {"0": {}},
        "approximate_guild_count": 1,
        "approximate_user_install_count": 0,
        "approximate_user_authorization_count": 0,
        "explicit_content_filter": 0,
    }


def gateway_bot_payload(url: str, shards: int, max_concurrency: int = 1) -> dict[str, Any]:
    return {
        "url": url,
        "shards": shards,
        "session_start_limit": {
            "total": 1000,
            "remaining": 999,
            "reset_after": 14_400_000,
            "max_concurrency": max_concurrency,
        },
    }


def interaction_payload(
    *,
    interaction_type: int,
    interaction_id: int,
    token: str,
    application_id: int,
    data: dict[str, Any],
    user: User,
    guild: Guild | None,
    channel_payload_: dict[str, Any],
    member: Member | None,
    member_permissions: int,
    app_permissions: int,
    locale: str,
    message: dict[str, Any] | None = None,
    user_install: bool = False,
    bot_in_guild: bool = True,
) -> dict[str, Any]:
    """INTERACTION_CREATE data for an application command, autocomplete or component.
    ``user_install``: the app is used as installed on the user's account (Discord's
    ``authorizing_integration_owners`` then holds ``"1"``: the user's ID; and ``"0"`` too
    only where the bot is also installed in the server)."""
    payload: dict[str, Any] = {
        "type": interaction_type,
        "id": str(interaction_id),
        "application_id": str(application_id),
        "token": token,
        "version": 1,
        "data": data,
        "channel": channel_payload_,
        "channel_id": channel_payload_["id"],
        "app_permissions": str(app_permissions),
        "locale": locale,
        "entitlements": [],
        "entitlement_sku_ids": [],
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
    }
    if guild is not None:
        member_obj = (
            member_payload(member)
            if member is not None
            else {"user": user_payload(user), "roles": []}
        )
        member_obj["permissions"] = str(member_permissions)
        payload.update(
            {
                "guild_id": str(guild.id),
                "guild": {
                    "id": str(guild.id),
                    "locale": guild.preferred_locale,
                    "features": list(guild.features),
                },
                "guild_locale": guild.preferred_locale,
                "member": member_obj,
                "authorizing_integration_owners": {"0": str(guild.id)},
                "context": 0,
            }
        )
    else:
        payload.update(
            {
                "user": user_payload(user),
                "authorizing_integration_owners": {"0": "0"},
                "context": 1,
            }
        )
    if user_install:
        owners = {"1": str(user.id)}
        if guild is not None and bot_in_guild:
            owners["0"] = str(guild.id)
        payload["authorizing_integration_owners"] = owners
    if message is not None:
        payload["message"] = message
    return payload
