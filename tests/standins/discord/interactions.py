# ruff: noqa: ASYNC109  (the test-facing API takes explicit timeouts by design)
"""Interactions the stand-in dispatched, and what the bot answered.

A ``StandInInteraction`` is returned by ``send_slash``/``send_autocomplete``/
``send_component``. Tests await its ``wait_*`` methods; every wait has a timeout and,
when it expires, the error lists the violations recorded so far (usually the reason).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .messages import FLAG_EPHEMERAL, StandInMessage
from .records import RecordedRequest, Violation

T = TypeVar("T")

APPLICATION_COMMAND = 2
MESSAGE_COMPONENT = 3
APPLICATION_COMMAND_AUTOCOMPLETE = 4
MODAL_SUBMIT = 5

PONG = 1
CHANNEL_MESSAGE_WITH_SOURCE = 4
DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE = 5
DEFERRED_UPDATE_MESSAGE = 6
UPDATE_MESSAGE = 7
APPLICATION_COMMAND_AUTOCOMPLETE_RESULT = 8
MODAL = 9

#: Which callback types Discord accepts for which interaction type.
ALLOWED_CALLBACKS: dict[int, frozenset[int]] = {
    APPLICATION_COMMAND: frozenset({4, 5, 9}),
    MESSAGE_COMPONENT: frozenset({4, 5, 6, 7, 9}),
    APPLICATION_COMMAND_AUTOCOMPLETE: frozenset({8}),
    MODAL_SUBMIT: frozenset({4, 5, 6, 7}),
}


class Notifier:
    """Lets coroutines wait until a predicate over changing state holds.

    Waiters wake on ``notify()`` and also poll every ``POLL`` seconds, so predicates over
    state the stand-in does not own (e.g. the bot's) work too."""

    POLL = 0.02

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_for(
        self,
        predicate: Callable[[], T | None],
        timeout: float,
        what: str,
        context: Callable[[], str] | None = None,
    ) -> T:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = predicate()
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                extra = context() if context else ""
                raise TimeoutError(f"timed out after {timeout:.2f}s waiting for {what}{extra}")
            event = self._event
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), min(remaining, self.POLL))


def build_modal_submission(components: list[Any], values: dict[str, Any]) -> list[Any]:
    """The ``data.components`` a client sends when a user submits a modal.

    Text inputs get ``value`` (required ones must be given, lengths are checked), string
    selects get ``values``; layout (action rows, labels) is mirrored. Unknown custom_ids
    in ``values`` raise ``ValueError``."""
    remaining = dict(values)

    def submit(component: dict[str, Any]) -> dict[str, Any] | None:
        kind = component.get("type")
        if kind == 1:
            children = [c for c in map(submit, component.get("components") or []) if c]
            return {"type": 1, "id": component.get("id"), "components": children}
        if kind == 18:
            inner = submit(component.get("component") or {})
            return {"type": 18, "id": component.get("id"), "component": inner}
        custom_id = component.get("custom_id")
        if kind == 4:
            value = str(remaining.pop(custom_id, component.get("value") or ""))
            low, high = component.get("min_length") or 0, component.get("max_length") or 4000
            if component.get("required", True) and not value:
                raise ValueError(f"text input {custom_id!r} is required")
            if value and not low <= len(value) <= high:
                raise ValueError(f"text input {custom_id!r} takes {low}..{high} characters")
            return {"type": 4, "id": component.get("id"), "custom_id": custom_id, "value": value}
        if kind in (3, 5, 6, 7, 8):
            chosen = remaining.pop(custom_id, [])
            chosen = [chosen] if isinstance(chosen, str) else list(chosen)
            return {
                "type": kind,
                "id": component.get("id"),
                "custom_id": custom_id,
                "values": [str(v) for v in chosen],
            }
        return {"type": kind, "id": component.get("id")} if kind is not None else None

    submitted = [c for c in map(submit, components) if c]
    if remaining:
        raise ValueError(f"the modal has no inputs named {sorted(remaining)}")
    return submitted


@dataclass
class InteractionResponse:
    """The bot's initial response (the POST .../callback that Discord accepted)."""

    type: int
    data: dict[str, Any] | None
    latency: float  # seconds between dispatch and the response
    request: RecordedRequest

    @property
    def content(self) -> str | None:
        return (self.data or {}).get("content")

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return (self.data or {}).get("embeds") or []

    @property
    def components(self) -> list[dict[str, Any]]:
        return (self.data or {}).get("components") or []

    @property
    def flags(self) -> int:
        return int((self.data or {}).get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & FLAG_EPHEMERAL)

    @property
    def choices(self) -> list[dict[str, Any]]:
        """Autocomplete results (type 8)."""
        return (self.data or {}).get("choices") or []


@dataclass
class StandInInteraction:
    """One interaction dispatched to the bot, and everything the bot did about it."""

    id: int
    token: str
    type: int
    payload: dict[str, Any]
    deadline: float
    followup_window: float
    created_at: float = field(default_factory=time.monotonic)
    dispatched_at: float | None = None  # when INTERACTION_CREATE actually went out
    response: InteractionResponse | None = None
    original: StandInMessage | None = None  # @original (after types 4/5/6/7)
    followups: list[StandInMessage] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)
    expired: bool = False  # a late callback got 10062; the token is dead
    unanswered_expected: bool = False  # a test made answering impossible on purpose
    source_message: StandInMessage | None = None  # for components: the clicked message
    triggered_by: StandInInteraction | None = None  # for modal submits: who opened the modal
    _notifier: Notifier = field(default_factory=Notifier, repr=False)
    _violations: Callable[[], list[Violation]] = field(default=list, repr=False)

    # ------------------------------------------------------------------ description
    @property
    def name(self) -> str:
        data = self.payload.get("data", {})
        return data.get("name") or data.get("custom_id") or "?"

    @property
    def guild_id(self) -> int | None:
        value = self.payload.get("guild_id")
        return int(value) if value else None

    @property
    def channel_id(self) -> int:
        return int(self.payload["channel_id"])

    @property
    def acknowledged(self) -> bool:
        return self.response is not None

    @property
    def deferred(self) -> bool:
        return self.response is not None and self.response.type in (5, 6)

    @property
    def messages(self) -> list[StandInMessage]:
        """The original response message (if any) followed by the followups."""
        head = [self.original] if self.original is not None else []
        return head + [m for m in self.followups if m is not self.original]

    def __repr__(self) -> str:
        state = f"answered type {self.response.type}" if self.response else "unanswered"
        return f"<StandInInteraction {self.id} type={self.type} {self.name!r} {state}>"

    # ------------------------------------------------------------------ rules
    def callback_error(self, callback_type: int, now: float) -> tuple[int, int, str] | None:
        """Why Discord would refuse this initial response, as (status, code, message)."""
        if self.response is not None:
            return 400, 40060, "Interaction has already been acknowledged."
        if self.expired or self.dispatched_at is None or now - self.dispatched_at > self.deadline:
            return 404, 10062, "Unknown interaction"
        allowed = ALLOWED_CALLBACKS.get(self.type, frozenset())
        if callback_type not in allowed:
            return 400, 50035, "Invalid Form Body"
        return None

    def token_expired(self, now: float) -> bool:
        start = self.dispatched_at if self.dispatched_at is not None else self.created_at
        return now - start > self.followup_window

    # ------------------------------------------------------------------ waiting
    def notify(self) -> None:
        self._notifier.notify()

    def _context(self) -> str:
        lines = [f"\n  interaction: {self!r}"]
        if self.requests:
            lines.append("  requests: " + "; ".join(str(r) for r in self.requests))
        violations = self._violations()
        if violations:
            lines.append("  violations so far:")
            lines.extend(f"    {v}" for v in violations)
        return "\n".join(lines)

    async def wait_for(
        self, predicate: Callable[[], T | None], timeout: float = 5.0, what: str = "a condition"
    ) -> T:
        """Wait until ``predicate()`` returns something truthy (and return it)."""
        return await self._notifier.wait_for(predicate, timeout, what, self._context)

    async def wait_response(self, timeout: float = 5.0) -> InteractionResponse:
        """The initial response (type 4, 5, 6, 7, 8 or 9) that Discord accepted."""
        return await self.wait_for(
            lambda: self.response, timeout, f"the initial response to {self!r}"
        )

    async def wait_followup(self, index: int = 0, timeout: float = 5.0) -> StandInMessage:
        """The ``index``-th followup message (POST /webhooks/{app}/{token})."""
        return await self.wait_for(
            lambda: self.followups[index] if len(self.followups) > index else None,
            timeout,
            f"followup #{index} of {self!r}",
        )

    async def wait_original(self, timeout: float = 5.0, *, edits: int = 0) -> StandInMessage:
        """The @original message once it is no longer "thinking" and has ``edits`` edits."""

        def ready() -> StandInMessage | None:
            message = self.original
            if message is None or message.loading or message.edit_count < edits:
                return None
            return message

        return await self.wait_for(ready, timeout, f"the original response of {self!r}")

    async def wait_message(self, timeout: float = 5.0) -> StandInMessage:
        """The first message a user would see: a non-loading @original or a followup."""

        def visible() -> StandInMessage | None:
            if (
                self.original is not None
                and not self.original.loading
                and (
                    (self.response is not None and self.response.type in (4, 5, 7))
                    or self.original.edit_count
                )
            ):
                return self.original
            return self.followups[0] if self.followups else None

        return await self.wait_for(visible, timeout, f"a visible message for {self!r}")
