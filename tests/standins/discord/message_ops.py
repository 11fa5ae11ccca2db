"""Creating, editing and deleting bot messages, with the gateway events Discord would send."""

from __future__ import annotations

from typing import Any

from . import responses as r
from .context import RequestContext
from .entities import Guild
from .gateway import INTENT_DIRECT_MESSAGES, INTENT_GUILD_MESSAGES
from .interactions import StandInInteraction
from .messages import StandInMessage, attachment_objects, build_message
from .payloads import member_payload, user_payload


def uploads_as_attachments(ctx: RequestContext) -> list[dict[str, Any]] | None:
    if not ctx.uploads:
        return None
    files = [(u.filename, u.size, u.content_type) for u in ctx.uploads]
    return attachment_objects(files, iter(ctx.state.ids.next, None))


def new_message(
    ctx: RequestContext,
    *,
    channel_id: int,
    guild: Guild | None,
    body: dict[str, Any],
    message_type: int,
    interaction: StandInInteraction | None = None,
    interaction_metadata: dict[str, Any] | None = None,
    legacy_interaction: dict[str, Any] | None = None,
    extra_flags: int = 0,
) -> StandInMessage:
    state = ctx.state
    raw = build_message(
        message_id=state.ids.next(),
        channel_id=channel_id,
        guild_id=guild.id if guild else None,
        author=user_payload(state.config.bot_user),
        body=body,
        message_type=message_type,
        application_id=state.config.application_id if interaction else None,
        interaction_metadata=interaction_metadata,
        legacy_interaction=legacy_interaction,
        attachments=uploads_as_attachments(ctx),
        extra_flags=extra_flags,
    )
    return state.store_message(StandInMessage(raw=raw, interaction=interaction))


def channel_refusal(
    ctx: RequestContext, guild_id: int | None, channel_id: int | None
) -> tuple[int, int, str] | None:
    """Discord's refusal of a message sent, answered or edited in a server's channel: deleted
    (10003 Unknown Channel), or a thread archived and locked (50083); a message in a thread
    archived but not locked unarchives it, as in Discord. None: nothing refused."""
    if channel_id in ctx.state.deleted_channels:
        return r.UNKNOWN_CHANNEL
    guild = ctx.state.guild(guild_id) if guild_id is not None else None
    channel = guild.get_channel(channel_id) if guild is not None and channel_id else None
    if channel is None or not channel.archived:
        return None
    if channel.locked:
        return r.THREAD_ARCHIVED
    channel.archived = False
    return None


async def announce(ctx: RequestContext, event: str, message: StandInMessage) -> None:
    """MESSAGE_CREATE/MESSAGE_UPDATE/MESSAGE_DELETE over the gateway, if Discord would."""
    state = ctx.state
    if not state.config.emit_message_events or message.ephemeral:
        return
    guild_id = int(message.raw["guild_id"]) if "guild_id" in message.raw else None
    intents = ctx.gateway.session_intents(guild_id)
    wanted = INTENT_GUILD_MESSAGES if guild_id is not None else INTENT_DIRECT_MESSAGES
    if not intents & wanted:
        return
    if event == "MESSAGE_DELETE":
        data: dict[str, Any] = {"id": str(message.id), "channel_id": str(message.channel_id)}
        if guild_id is not None:
            data["guild_id"] = str(guild_id)
    else:
        data = dict(message.raw)
        if guild_id is not None:
            guild = state.guild(guild_id)
            member = state.bot_member(guild) if guild else None
            if member is not None:
                data["member"] = member_payload(member, with_user=False)
    await ctx.gateway.dispatch(guild_id, event, data)


async def edit_message(
    ctx: RequestContext, message: StandInMessage, body: dict[str, Any]
) -> StandInMessage:
    message.apply_edit(body, uploads_as_attachments(ctx))
    ctx.state.changed.notify()
    await announce(ctx, "MESSAGE_UPDATE", message)
    return message


async def delete_message(ctx: RequestContext, message: StandInMessage) -> None:
    message.deleted = True
    ctx.state.changed.notify()
    await announce(ctx, "MESSAGE_DELETE", message)
