"""REST handlers for login, gateway discovery, the application, its commands, and the
channel/guild/user reads and channel messages discord.py uses in normal operation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from . import responses as r
from .context import RequestContext
from .entities import (
    ADMINISTRATOR,
    SEND_MESSAGES,
    SEND_MESSAGES_IN_THREADS,
    THREAD_TYPES,
    VIEW_CHANNEL,
)
from .message_ops import (
    announce,
    channel_refusal,
    delete_message,
    edit_message,
    new_message,
)
from .messages import DEFAULT
from .payloads import (
    application_payload,
    channel_payload,
    current_user_payload,
    dm_channel_payload,
    gateway_bot_payload,
    guild_rest_payload,
    member_payload,
    user_payload,
)

Handler = Callable[[RequestContext], Awaitable[web.Response]]


# --------------------------------------------------------------------------- identity


async def get_my_user(ctx: RequestContext) -> web.Response:
    return ctx.json(current_user_payload(ctx.state.config.bot_user))


async def get_gateway(ctx: RequestContext) -> web.Response:
    return ctx.json({"url": ctx.state.gateway_url})


async def get_bot_gateway(ctx: RequestContext) -> web.Response:
    config = ctx.state.config
    return ctx.json(
        gateway_bot_payload(
            ctx.state.gateway_url, config.recommended_shards, config.max_concurrency
        )
    )


async def get_my_application(ctx: RequestContext) -> web.Response:
    config = ctx.state.config
    return ctx.json(
        application_payload(
            application_id=config.application_id,
            bot=config.bot_user,
            owner=config.owner,
            name=config.application_name,
        )
    )


async def list_my_guilds(ctx: RequestContext) -> web.Response:
    guilds = [
        {
            "id": str(g.id),
            "name": g.name,
            "icon": None,
            "banner": None,
            "owner": False,
            "permissions": str(ctx.state.app_permissions(g)),
            "features": list(g.features),
        }
        for g in ctx.state.guilds
    ]
    return ctx.json(guilds)


# --------------------------------------------------------------------------- commands


def _command_scope(ctx: RequestContext) -> tuple[int | None, web.Response | None]:
    """(guild id or None for global, error response if the scope is wrong)."""
    if str(ctx.state.config.application_id) != ctx.params.get("application_id"):
        return None, ctx.fail(
            "endpoint",
            r.UNKNOWN_APPLICATION,
            f"application id {ctx.params.get('application_id')} is not "
            f"this bot's ({ctx.state.config.application_id})",
        )
    raw_guild = ctx.params.get("guild_id")
    if raw_guild is None:
        return None, None
    guild_id = int(raw_guild)
    if ctx.state.guild(guild_id) is None:
        return guild_id, ctx.fail(
            "endpoint", r.MISSING_ACCESS, f"guild {guild_id} is not one the bot is in"
        )
    return guild_id, None


async def list_commands(ctx: RequestContext) -> web.Response:
    guild_id, error = _command_scope(ctx)
    if error is not None:
        return error
    return ctx.json(list(ctx.state.commands.synced.scope(guild_id)))


async def bulk_set_commands(ctx: RequestContext) -> web.Response:
    guild_id, error = _command_scope(ctx)
    if error is not None:
        return error
    return ctx.json(ctx.state.commands.overwrite(guild_id, ctx.body or []))


async def create_command(ctx: RequestContext) -> web.Response:
    guild_id, error = _command_scope(ctx)
    if error is not None:
        return error
    command, created = ctx.state.commands.upsert(guild_id, ctx.body)
    return ctx.json(command, status=201 if created else 200)


async def get_command(ctx: RequestContext) -> web.Response:
    guild_id, error = _command_scope(ctx)
    if error is not None:
        return error
    command = ctx.state.commands.get(guild_id, ctx.params["command_id"])
    return ctx.json(command) if command else ctx.error(r.UNKNOWN_COMMAND)


async def update_command(ctx: RequestContext) -> web.Response:
    guild_id, error = _command_scope(ctx)
    if error is not None:
        return error
    command = ctx.state.commands.edit(guild_id, ctx.params["command_id"], ctx.body or {})
    return ctx.json(command) if command else ctx.error(r.UNKNOWN_COMMAND)


async def delete_command(ctx: RequestContext) -> web.Response:
    guild_id, error = _command_scope(ctx)
    if error is not None:
        return error
    deleted = ctx.state.commands.delete(guild_id, ctx.params["command_id"])
    return ctx.empty() if deleted else ctx.error(r.UNKNOWN_COMMAND)


# --------------------------------------------------------------------------- reads


async def get_channel(ctx: RequestContext) -> web.Response:
    channel_id = int(ctx.params["channel_id"])
    guild, channel = ctx.state.find_channel(channel_id)
    if channel is None:
        return ctx.error(r.UNKNOWN_CHANNEL)
    if guild is None:
        return ctx.json(dm_channel_payload(channel_id, ctx.state.dm_channels[channel_id]))
    return ctx.json(channel_payload(channel, guild))


async def get_guild(ctx: RequestContext) -> web.Response:
    guild = ctx.state.guild(int(ctx.params["guild_id"]))
    return ctx.json(guild_rest_payload(guild)) if guild else ctx.error(r.UNKNOWN_GUILD)


async def get_guild_member(ctx: RequestContext) -> web.Response:
    guild = ctx.state.guild(int(ctx.params["guild_id"]))
    if guild is None:
        return ctx.error(r.UNKNOWN_GUILD)
    member = guild.get_member(int(ctx.params["user_id"]))
    return ctx.json(member_payload(member)) if member else ctx.error(r.UNKNOWN_MEMBER)


async def get_user(ctx: RequestContext) -> web.Response:
    user = ctx.state.find_user(int(ctx.params["user_id"]))
    return ctx.json(user_payload(user)) if user else ctx.error(r.UNKNOWN_USER)


async def create_dm(ctx: RequestContext) -> web.Response:
    body = ctx.body if isinstance(ctx.body, dict) else {}
    user = ctx.state.find_user(int(body.get("recipient_id", 0) or 0))
    if user is None:
        return ctx.error(r.UNKNOWN_USER)
    channel_id = ctx.state.dm_channel_for(user)
    return ctx.json(dm_channel_payload(channel_id, user))


# --------------------------------------------------------------------------- messages


def _channel_or_error(ctx: RequestContext) -> tuple[Any, Any, web.Response | None]:
    channel_id = int(ctx.params["channel_id"])
    if channel_id in ctx.state.deleted_channels:
        return None, None, ctx.error(r.UNKNOWN_CHANNEL)
    guild, channel = ctx.state.find_channel(channel_id)
    if channel is None:
        return (
            None,
            None,
            ctx.fail("endpoint", r.UNKNOWN_CHANNEL, f"channel {channel_id} does not exist"),
        )
    return guild, channel, None


def _message_or_error(ctx: RequestContext) -> tuple[Any, web.Response | None]:
    message = ctx.state.messages.get(int(ctx.params["message_id"]))
    if message is None or message.deleted or message.channel_id != int(ctx.params["channel_id"]):
        return None, ctx.error(r.UNKNOWN_MESSAGE)
    return message, None


async def create_message(ctx: RequestContext) -> web.Response:
    guild, channel, error = _channel_or_error(ctx)
    if error is not None:
        return error
    if guild is not None:  # channel overwrites are not modelled: the bot's guild permissions
        allowed = ctx.state.app_permissions(guild)
        if ctx.state.bot_member(guild) is None:
            return ctx.fail("permission", r.MISSING_ACCESS, "the bot is not in this server")
        # (in a thread, Discord asks for Send Messages in Threads instead of Send Messages)
        send = SEND_MESSAGES_IN_THREADS if channel.type in THREAD_TYPES else SEND_MESSAGES
        if not allowed & ADMINISTRATOR:
            if not allowed & VIEW_CHANNEL:
                return ctx.fail("permission", r.MISSING_ACCESS, "the bot cannot see the channel")
            if not allowed & send:
                return ctx.fail(
                    "permission", r.MISSING_PERMISSIONS, "the bot may not send messages here"
                )
    if (refused := channel_refusal(ctx, guild.id if guild else None, channel.id)) is not None:
        return ctx.error(refused)
    message = new_message(
        ctx, channel_id=channel.id, guild=guild, body=ctx.body or {}, message_type=DEFAULT
    )
    await announce(ctx, "MESSAGE_CREATE", message)
    return ctx.json(message.raw)


async def list_messages(ctx: RequestContext) -> web.Response:
    _, channel, error = _channel_or_error(ctx)
    if error is not None:
        return error
    found = [m.raw for m in ctx.state.messages_in(channel.id) if not m.deleted]
    limit = int(ctx.request.query.get("limit", "50"))
    return ctx.json(list(reversed(found))[:limit])


async def get_message(ctx: RequestContext) -> web.Response:
    message, error = _message_or_error(ctx)
    return error if error is not None else ctx.json(message.raw)


async def update_message(ctx: RequestContext) -> web.Response:
    message, error = _message_or_error(ctx)
    if error is not None:
        return error
    await edit_message(ctx, message, ctx.body or {})
    return ctx.json(message.raw)


async def delete_message_handler(ctx: RequestContext) -> web.Response:
    message, error = _message_or_error(ctx)
    if error is not None:
        return error
    await delete_message(ctx, message)
    return ctx.empty()


async def no_content(ctx: RequestContext) -> web.Response:
    return ctx.empty()


HANDLERS: dict[str, Handler] = {
    "get_my_user": get_my_user,
    "get_gateway": get_gateway,
    "get_bot_gateway": get_bot_gateway,
    "get_my_oauth2_application": get_my_application,
    "get_my_application": get_my_application,
    "list_my_guilds": list_my_guilds,
    "list_application_commands": list_commands,
    "bulk_set_application_commands": bulk_set_commands,
    "create_application_command": create_command,
    "get_application_command": get_command,
    "update_application_command": update_command,
    "delete_application_command": delete_command,
    "list_guild_application_commands": list_commands,
    "bulk_set_guild_application_commands": bulk_set_commands,
    "create_guild_application_command": create_command,
    "get_guild_application_command": get_command,
    "update_guild_application_command": update_command,
    "delete_guild_application_command": delete_command,
    "get_channel": get_channel,
    "get_guild": get_guild,
    "get_guild_member": get_guild_member,
    "get_user": get_user,
    "create_dm": create_dm,
    "create_message": create_message,
    "list_messages": list_messages,
    "get_message": get_message,
    "update_message": update_message,
    "delete_message": delete_message_handler,
    "trigger_typing_indicator": no_content,
    "add_my_message_reaction": no_content,
    "delete_my_message_reaction": no_content,
}
