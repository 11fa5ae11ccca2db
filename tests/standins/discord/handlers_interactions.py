"""REST handlers for interaction responses: the initial callback, followups, and the
@original / followup message endpoints under /webhooks/{application_id}/{token}."""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web

from . import responses as r
from .context import RequestContext
from .handlers_core import Handler
from .interactions import (
    APPLICATION_COMMAND,
    APPLICATION_COMMAND_AUTOCOMPLETE,
    MODAL_SUBMIT,
    InteractionResponse,
    StandInInteraction,
)
from .message_ops import (
    announce,
    channel_refusal,
    delete_message,
    edit_message,
    new_message,
)
from .messages import (
    CHAT_INPUT_COMMAND,
    CONTEXT_MENU_COMMAND,
    DEFAULT,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    StandInMessage,
)


def _message_type(interaction: StandInInteraction) -> int:
    if interaction.type != APPLICATION_COMMAND:
        return DEFAULT
    command_type = interaction.payload.get("data", {}).get("type", 1)
    return CHAT_INPUT_COMMAND if command_type == 1 else CONTEXT_MENU_COMMAND


def _metadata(interaction: StandInInteraction) -> tuple[dict[str, Any], dict[str, Any]]:
    """(interaction_metadata, legacy ``interaction``) for messages answering it."""
    payload = interaction.payload
    user = payload.get("member", {}).get("user") or payload.get("user")
    metadata: dict[str, Any] = {
        "id": payload["id"],
        "type": interaction.type,
        "user": user,
        "authorizing_integration_owners": payload.get("authorizing_integration_owners", {}),
    }
    if interaction.type == APPLICATION_COMMAND:
        metadata["name"] = payload["data"]["name"]
        metadata["command_type"] = payload["data"].get("type", 1)
    elif interaction.type == MODAL_SUBMIT and interaction.triggered_by is not None:
        metadata["triggering_interaction_metadata"] = _metadata(interaction.triggered_by)[0]
    elif interaction.source_message is not None:
        metadata["interacted_message_id"] = str(interaction.source_message.id)
    legacy = {"id": payload["id"], "type": interaction.type, "name": interaction.name, "user": user}
    return metadata, legacy


def _create_response_message(
    ctx: RequestContext, interaction: StandInInteraction, body: dict[str, Any], extra_flags: int = 0
) -> StandInMessage:
    guild = ctx.state.guild(interaction.guild_id) if interaction.guild_id else None
    metadata, legacy = _metadata(interaction)
    return new_message(
        ctx,
        channel_id=interaction.channel_id,
        guild=guild,
        body=body,
        message_type=_message_type(interaction),
        interaction=interaction,
        interaction_metadata=metadata,
        legacy_interaction=legacy,
        extra_flags=extra_flags,
    )


def _lookup(
    ctx: RequestContext, token_param: str
) -> tuple[StandInInteraction | None, web.Response | None]:
    interaction = ctx.interaction
    if interaction is None:
        return None, ctx.fail(
            "interaction",
            r.UNKNOWN_INTERACTION if token_param == "interaction_token" else r.UNKNOWN_WEBHOOK,
            "token does not belong to any interaction the stand-in sent",
        )
    return interaction, None


# --------------------------------------------------------------------------- callback


async def create_interaction_response(ctx: RequestContext) -> web.Response:
    interaction, error = _lookup(ctx, "interaction_token")
    if interaction is None:
        return error  # type: ignore[return-value]
    if ctx.params.get("interaction_id") != str(interaction.id):
        return ctx.fail(
            "interaction",
            r.UNKNOWN_INTERACTION,
            f"interaction id {ctx.params.get('interaction_id')} does not match "
            f"the token's interaction {interaction.id}",
        )
    body: dict[str, Any] = ctx.body
    callback_type = int(body["type"])
    now = time.monotonic()
    refusal = interaction.callback_error(callback_type, now)
    if refusal is not None:
        status, code, message = refusal
        if code == 10062:
            interaction.expired = True
            waited = now - (interaction.dispatched_at or interaction.created_at)
            why = (
                f"initial response (type {callback_type}) {waited:.2f}s after dispatch; "
                f"Discord allows {interaction.deadline:g}s"
            )
        elif code == 40060:
            why = (
                f"second initial response (type {callback_type}); already answered "
                f"with type {interaction.response.type}"
            )  # type: ignore[union-attr]
        else:
            why = (
                f"callback type {callback_type} is not valid for interaction type "
                f"{interaction.type}"
            )
        ctx.state.violate(
            "interaction",
            f"{why} -> {status} {message} ({code})",
            request=ctx.record,
            json_path="$.type" if code == 50035 else None,
        )
        errors = None
        if code == 50035:
            errors = {
                "type": {"_errors": [{"code": "INTERACTION_CALLBACK_TYPE_INVALID", "message": why}]}
            }
        return ctx.error(refusal, errors)
    if callback_type in (4, 5, 6, 7) and (
        refused := channel_refusal(ctx, interaction.guild_id, interaction.channel_id)
    ):
        return ctx.error(refused)  # (the channel deleted, or archived and locked since)
    data = body.get("data") if isinstance(body.get("data"), dict) else None
    interaction.response = InteractionResponse(
        type=callback_type,
        data=data,
        latency=now - (interaction.dispatched_at or interaction.created_at),
        request=ctx.record,
    )
    message: StandInMessage | None = None
    if callback_type == 4:
        message = _create_response_message(ctx, interaction, data or {})
        interaction.original = message
        await announce(ctx, "MESSAGE_CREATE", message)
    elif callback_type == 5:
        ephemeral = int((data or {}).get("flags") or 0) & FLAG_EPHEMERAL
        message = _create_response_message(ctx, interaction, {}, FLAG_LOADING | ephemeral)
        interaction.original = message
        await announce(ctx, "MESSAGE_CREATE", message)
    elif callback_type in (6, 7) and interaction.source_message is not None:
        interaction.original = interaction.source_message
        if callback_type == 7 and data is not None:
            message = await edit_message(ctx, interaction.source_message, data)
        else:
            message = interaction.source_message
    interaction.notify()
    ctx.state.changed.notify()
    if not ctx.query_flag("with_response"):
        return ctx.empty()
    return ctx.json(_callback_response(interaction, callback_type, message))


def _callback_response(
    interaction: StandInInteraction, callback_type: int, message: StandInMessage | None
) -> dict[str, Any]:
    info: dict[str, Any] = {"id": str(interaction.id), "type": interaction.type}
    if interaction.guild_id is not None:
        info["guild_id"] = str(interaction.guild_id)
    info["channel_id"] = str(interaction.channel_id)
    body: dict[str, Any] = {"interaction": info}
    if message is not None and callback_type in (4, 5, 7):
        info["response_message_id"] = str(message.id)
        info["response_message_loading"] = message.loading
        info["response_message_ephemeral"] = message.ephemeral
        if callback_type in (4, 7):
            body["resource"] = {"type": callback_type, "message": message.raw}
    return body


# --------------------------------------------------------------------------- webhooks


def _webhook_interaction(
    ctx: RequestContext,
) -> tuple[StandInInteraction | None, web.Response | None]:
    if ctx.params.get("webhook_id") != str(ctx.state.config.application_id):
        return None, ctx.fail(
            "interaction",
            r.UNKNOWN_WEBHOOK,
            f"webhook id {ctx.params.get('webhook_id')} is not the "
            f"application id {ctx.state.config.application_id}",
        )
    interaction, error = _lookup(ctx, "webhook_token")
    if interaction is None:
        return None, error
    now = time.monotonic()
    if interaction.token_expired(now):
        return None, ctx.fail(
            "interaction",
            r.INVALID_WEBHOOK_TOKEN,
            f"interaction token used after {interaction.followup_window:g}s",
        )
    if interaction.response is None:
        if ctx.request.method == "GET":  # asking whether an answer got through is no misuse
            return None, r.error_response(*r.UNKNOWN_WEBHOOK)
        return None, ctx.fail(
            "interaction",
            r.UNKNOWN_WEBHOOK,
            "followup/edit before the interaction was acknowledged",
        )
    if interaction.type == APPLICATION_COMMAND_AUTOCOMPLETE:
        return None, ctx.fail(
            "interaction",
            r.UNKNOWN_WEBHOOK,
            "autocomplete interactions have no followups or messages",
        )
    if ctx.request.method != "GET" and (
        refused := channel_refusal(ctx, interaction.guild_id, interaction.channel_id)
    ):
        return None, ctx.error(refused)  # (the channel deleted, or archived and locked since)
    return interaction, None


async def execute_webhook(ctx: RequestContext) -> web.Response:
    interaction, error = _webhook_interaction(ctx)
    if interaction is None:
        return error  # type: ignore[return-value]
    body: dict[str, Any] = ctx.body if isinstance(ctx.body, dict) else {}
    original = interaction.original
    first_after_defer = (
        interaction.response is not None
        and interaction.response.type == 5
        and original is not None
        and original.loading
        and not original.deleted
        and not interaction.followups
    )
    if first_after_defer and original is not None:
        # Discord: the first followup after a "thinking" defer replaces the loading message.
        message = await edit_message(ctx, original, body)
    else:
        message = _create_response_message(ctx, interaction, body)
        await announce(ctx, "MESSAGE_CREATE", message)
    interaction.followups.append(message)
    interaction.notify()
    if not ctx.query_flag("wait"):
        return ctx.empty()
    return ctx.json(message.raw)


def _target_message(ctx: RequestContext, interaction: StandInInteraction) -> StandInMessage | None:
    message_id = ctx.params.get("message_id")
    if message_id is None:  # the @original route
        return interaction.original
    return next((m for m in interaction.messages if str(m.id) == message_id), None)


def _with_message(
    ctx: RequestContext,
) -> tuple[StandInInteraction | None, StandInMessage | None, web.Response | None]:
    interaction, error = _webhook_interaction(ctx)
    if interaction is None:
        return None, None, error
    message = _target_message(ctx, interaction)
    if message is None or message.deleted:
        return (
            interaction,
            None,
            ctx.fail(
                "interaction",
                r.UNKNOWN_MESSAGE,
                f"message {ctx.params.get('message_id', '@original')} does not belong to this "
                "interaction (or was deleted)",
            ),
        )
    return interaction, message, None


async def get_webhook_message(ctx: RequestContext) -> web.Response:
    _, message, error = _with_message(ctx)
    return error if message is None else ctx.json(message.raw)  # type: ignore[return-value]


async def update_webhook_message(ctx: RequestContext) -> web.Response:
    interaction, message, error = _with_message(ctx)
    if message is None or interaction is None:
        return error  # type: ignore[return-value]
    await edit_message(ctx, message, ctx.body if isinstance(ctx.body, dict) else {})
    interaction.notify()
    return ctx.json(message.raw)


async def delete_webhook_message(ctx: RequestContext) -> web.Response:
    interaction, message, error = _with_message(ctx)
    if message is None or interaction is None:
        return error  # type: ignore[return-value]
    await delete_message(ctx, message)
    interaction.notify()
    return ctx.empty()


HANDLERS: dict[str, Handler] = {
    "create_interaction_response": create_interaction_response,
    "execute_webhook": execute_webhook,
    "get_original_webhook_message": get_webhook_message,
    "update_original_webhook_message": update_webhook_message,
    "delete_original_webhook_message": delete_webhook_message,
    "get_webhook_message": get_webhook_message,
    "update_webhook_message": update_webhook_message,
    "delete_webhook_message": delete_webhook_message,
}
