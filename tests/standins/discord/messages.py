"""Messages the bot created, kept as Discord message objects, and their edits."""

from __future__ import annotations

import copy
import datetime
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .payloads import drop_none

if TYPE_CHECKING:
    from .interactions import StandInInteraction

FLAG_SUPPRESS_EMBEDS = 1 << 2
FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7
FLAG_SUPPRESS_NOTIFICATIONS = 1 << 12
FLAG_COMPONENTS_V2 = 1 << 15
_SETTABLE_FLAGS = (
    FLAG_SUPPRESS_EMBEDS | FLAG_EPHEMERAL | FLAG_SUPPRESS_NOTIFICATIONS | (FLAG_COMPONENTS_V2)
)
_EDITABLE_FLAGS = FLAG_SUPPRESS_EMBEDS | FLAG_COMPONENTS_V2

# Message types.
DEFAULT = 0
REPLY = 19
CHAT_INPUT_COMMAND = 20
CONTEXT_MENU_COMMAND = 23


def iso_now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat()


def normalize_embeds(embeds: list[Any] | None) -> list[dict[str, Any]]:
    """Request embeds -> embeds as Discord returns them (type rich, inline defaults)."""
    out: list[dict[str, Any]] = []
    for embed in embeds or []:
        if not isinstance(embed, dict):
            continue
        item = drop_none(copy.deepcopy(embed))
        item.setdefault("type", "rich")
        for field_ in item.get("fields", []):
            if isinstance(field_, dict):
                field_.setdefault("inline", False)
        item["content_scan_version"] = 0
        out.append(item)
    return out


def normalize_components(components: list[Any] | None) -> list[dict[str, Any]]:
    """Request components -> response components (numeric ``id`` on each, select defaults)."""
    counter = itertools.count(1)

    def visit(component: Any) -> Any:
        if not isinstance(component, dict):
            return component
        item = drop_none(copy.deepcopy(component))
        item.setdefault("id", next(counter))
        if item.get("type") in (3, 5, 6, 7, 8):
            item.setdefault("min_values", 1)
            item.setdefault("max_values", 1)
        for key in ("components", "items"):
            if isinstance(item.get(key), list):
                item[key] = [visit(child) for child in item[key]]
        for key in ("accessory", "component"):
            if isinstance(item.get(key), dict):
                item[key] = visit(item[key])
        return item

    return [visit(c) for c in components or []]


def iter_components(components: list[Any]) -> Iterator[dict[str, Any]]:
    """Depth-first walk over (possibly nested) components."""
    for component in components:
        if not isinstance(component, dict):
            continue
        yield component
        for key in ("components", "items"):
            if isinstance(component.get(key), list):
                yield from iter_components(component[key])
        for key in ("accessory", "component"):
            if isinstance(component.get(key), dict):
                yield from iter_components([component[key]])


@dataclass(repr=False)
class StandInMessage:
    """A message the bot created (interaction response, followup or channel message)."""

    raw: dict[str, Any]
    interaction: StandInInteraction | None = None
    history: list[dict[str, Any]] = field(default_factory=list)
    deleted: bool = False

    def __repr__(self) -> str:
        content = self.content if len(self.content) <= 40 else self.content[:37] + "..."
        return (
            f"<StandInMessage {self.raw.get('id')} {content!r} embeds={len(self.embeds)} "
            f"custom_ids={self.custom_ids()} flags={self.flags}>"
        )

    @property
    def id(self) -> int:
        return int(self.raw["id"])

    @property
    def channel_id(self) -> int:
        return int(self.raw["channel_id"])

    @property
    def content(self) -> str:
        return self.raw.get("content", "")

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.raw.get("embeds", [])

    @property
    def components(self) -> list[dict[str, Any]]:
        return self.raw.get("components", [])

    @property
    def flags(self) -> int:
        return int(self.raw.get("flags", 0))

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & FLAG_EPHEMERAL)

    @property
    def loading(self) -> bool:
        """True for a deferred ("thinking") response nobody has filled in yet."""
        return bool(self.flags & FLAG_LOADING)

    @property
    def edit_count(self) -> int:
        return len(self.history)

    def custom_ids(self) -> list[str]:
        return [c["custom_id"] for c in iter_components(self.components) if "custom_id" in c]

    def find_component(self, custom_id: str) -> dict[str, Any] | None:
        return next(
            (c for c in iter_components(self.components) if c.get("custom_id") == custom_id),
            None,
        )

    def text(self) -> str:
        """Content plus embed titles/descriptions/fields, for loose assertions."""
        parts = [self.content]
        for embed in self.embeds:
            parts.extend(str(embed.get(k, "")) for k in ("title", "description"))
            for field_ in embed.get("fields", []):
                parts.extend((str(field_.get("name", "")), str(field_.get("value", ""))))
            footer = embed.get("footer") or {}
            parts.append(str(footer.get("text", "")))
        return "\n".join(p for p in parts if p)

    def apply_edit(self, body: dict[str, Any], attachments: list[dict[str, Any]] | None) -> None:
        """Apply a PATCH/UPDATE_MESSAGE body the way Discord does (present keys replace)."""
        self.history.append(copy.deepcopy(self.raw))
        if "content" in body:
            self.raw["content"] = body["content"] or ""
        if "embeds" in body:
            self.raw["embeds"] = normalize_embeds(body["embeds"])
        if "components" in body:
            self.raw["components"] = normalize_components(body["components"])
        if "poll" in body and body["poll"] is not None:
            self.raw["poll"] = copy.deepcopy(body["poll"])
        flags = self.flags & ~FLAG_LOADING
        if body.get("flags") is not None:
            flags = (flags & ~_EDITABLE_FLAGS) | (int(body["flags"]) & _EDITABLE_FLAGS)
        self.raw["flags"] = flags
        if attachments is not None or "attachments" in body:
            kept = _kept_attachments(self.raw.get("attachments", []), body.get("attachments"))
            self.raw["attachments"] = kept + (attachments or [])
        self.raw["edited_timestamp"] = iso_now()


def _kept_attachments(existing: list[dict[str, Any]], wanted: Any) -> list[dict[str, Any]]:
    if wanted is None:
        return existing
    keep_ids = {str(a.get("id")) for a in wanted if isinstance(a, dict)}
    return [a for a in existing if str(a.get("id")) in keep_ids]


def build_message(
    *,
    message_id: int,
    channel_id: int,
    guild_id: int | None,
    author: dict[str, Any],
    body: dict[str, Any],
    message_type: int,
    application_id: int | None,
    interaction_metadata: dict[str, Any] | None = None,
    legacy_interaction: dict[str, Any] | None = None,
    attachments: list[dict[str, Any]] | None = None,
    extra_flags: int = 0,
) -> dict[str, Any]:
    """A Discord message object for a request body (POST message / interaction response)."""
    flags = (int(body.get("flags") or 0) & _SETTABLE_FLAGS) | extra_flags
    message: dict[str, Any] = {
        "type": message_type,
        "content": body.get("content") or "",
        "mentions": [],
        "mention_roles": [],
        "attachments": attachments or [],
        "embeds": normalize_embeds(body.get("embeds")),
        "timestamp": iso_now(),
        "edited_timestamp": None,
        "flags": flags,
        "components": normalize_components(body.get("components")),
        "id": str(message_id),
        "channel_id": str(channel_id),
        "author": author,
        "pinned": False,
        "mention_everyone": False,
        "tts": bool(body.get("tts") or False),
    }
    if guild_id is not None:
        message["guild_id"] = str(guild_id)
    if application_id is not None:
        message["application_id"] = str(application_id)
        if interaction_metadata is not None:
            message["webhook_id"] = str(application_id)
    if interaction_metadata is not None:
        message["interaction_metadata"] = interaction_metadata
    if legacy_interaction is not None:
        message["interaction"] = legacy_interaction
    if body.get("poll"):
        message["poll"] = copy.deepcopy(body["poll"])
    return message


def attachment_objects(
    files: list[tuple[str, int, str | None]], ids: Iterator[int]
) -> list[dict[str, Any]]:
    """Attachment objects for uploaded ``(filename, size, content_type)`` triples."""
    out: list[dict[str, Any]] = []
    for name, size, content_type in files:
        attachment_id = next(ids)
        url = f"https://cdn.discordapp.com/attachments/0/{attachment_id}/{name}"
        item: dict[str, Any] = {
            "id": str(attachment_id),
            "filename": name,
            "size": size,
            "url": url,
            "proxy_url": url.replace("cdn.discordapp.com", "media.discordapp.net"),
        }
        if content_type:
            item["content_type"] = content_type
        out.append(item)
    return out
