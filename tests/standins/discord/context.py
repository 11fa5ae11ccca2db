"""The per-request object REST handlers receive."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .records import RecordedRequest
from .responses import empty_response, error_response, json_response
from .state import StandInState

if TYPE_CHECKING:
    from .gateway import GatewayHub
    from .interactions import StandInInteraction


@dataclass
class Upload:
    filename: str
    size: int
    content_type: str | None


@dataclass
class RequestContext:
    request: web.Request
    record: RecordedRequest
    params: dict[str, str]
    body: Any
    state: StandInState
    gateway: GatewayHub
    route: str
    rate_headers: dict[str, str]
    uploads: list[Upload] = field(default_factory=list)

    @property
    def interaction(self) -> StandInInteraction | None:
        return self.record.interaction

    def query_flag(self, name: str) -> bool:
        return self.request.query.get(name, "").lower() in ("1", "true")

    def json(self, body: Any, status: int = 200) -> web.Response:
        return json_response(status, body, self.rate_headers)

    def empty(self) -> web.Response:
        return empty_response(self.rate_headers)

    def error(
        self, error: tuple[int, int, str], errors: dict[str, Any] | None = None
    ) -> web.Response:
        status, code, message = error
        return error_response(status, code, message, errors, self.rate_headers)

    def fail(self, kind: str, error: tuple[int, int, str], why: str) -> web.Response:
        """Record a violation and answer with a Discord error."""
        self.state.violate(
            kind, f"{why} -> {error[0]} {error[2]} ({error[1]})", request=self.record
        )
        return self.error(error)
