"""What the stand-in remembers: every REST request, every gateway frame, every violation."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .interactions import StandInInteraction


@dataclass
class RecordedRequest:
    """One REST request as received, plus how the stand-in answered it."""

    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    json: Any  # JSON body (or multipart payload_json), None when absent
    time: float  # time.monotonic() at arrival
    wall_time: datetime.datetime
    headers: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    operation_id: str | None = None
    route: str | None = None  # OpenAPI path template
    status: int | None = None
    response: Any = None
    rate_limited: bool = False
    interaction: StandInInteraction | None = None

    def __str__(self) -> str:
        query = "&".join(f"{k}={v}" for k, v in self.query.items())
        path = shorten_tokens(self.path)
        return f"{self.method} {path}{'?' + query if query else ''} -> {self.status}"


@dataclass
class Violation:
    """Something the bot did that Discord would reject or that breaks the project's rules.

    ``kind`` is one of: ``schema`` (OpenAPI request schema), ``limit`` (documented Discord
    limit outside the schema), ``policy`` (project rule, e.g. allowed_mentions),
    ``interaction`` (double/late/unknown response, followup outside the window),
    ``endpoint`` (unknown or unimplemented REST endpoint), ``auth``, ``permission`` (a channel
    message the bot's permissions do not allow), ``gateway``,
    ``ratelimit`` (a request sent into a bucket before an earlier 429's ``retry_after`` ran out).
    """

    kind: str
    message: str
    method: str | None = None
    path: str | None = None
    json_path: str | None = None
    request: RecordedRequest | None = None
    time: float = 0.0

    def __str__(self) -> str:
        path = shorten_tokens(self.path) if self.path else None
        where = " ".join(part for part in (self.method, path) if part)
        at = f" at {self.json_path}" if self.json_path else ""
        head = f"[{self.kind}] {where}{at}".rstrip()
        return f"{head}: {self.message}"


def shorten_tokens(path: str) -> str:
    """Interaction tokens are ~130 characters; keep violation lines readable."""
    return "/".join(part if len(part) <= 40 else part[:12] + "..." for part in path.split("/"))


@dataclass
class GatewayFrame:
    """One gateway payload, in either direction."""

    direction: str  # "send" (stand-in -> bot) or "recv" (bot -> stand-in)
    op: int | None
    t: str | None
    s: int | None
    d: Any
    shard_id: int | None
    time: float


@dataclass
class GatewayConnection:
    """One websocket connection the bot opened."""

    path: str
    query: dict[str, str]
    opened_at: float
    shard_id: int | None = None
    identified: bool = False
    resumed: bool = False
    closed_at: float | None = None
    close_code: int | None = None
