"""Answering interactions so that Discord's faults do not cost the user the answer.

Discord drops an interaction that is not acknowledged within 3 seconds; once acknowledged, its
token is good for 15 minutes of edits and follow-ups. discord.py waits out any 429 and retries
5xx after 1, 3 and 5 seconds: right for most requests, but past the deadline for the first
response. So interaction responses are sent here, with a policy that knows both clocks:

* **The first response** (callback types 4, 5, 6, 7): a 5xx, a timeout or a dropped connection
  is tried again at once, then after 0.25 and 0.5 s, while the window is open; a 429 is waited
  out when its ``retry_after`` ends inside the window (Discord refuses anything sent earlier).
  ``40060 already acknowledged`` on a retry means an earlier try got through after all.
* **When the window closes** without an acknowledgement, a public answer is posted in the
  channel as an ordinary message (another rate-limit bucket) naming who asked, if the bot may
  post there; a private answer is never made public, it is logged as lost.
* **After a deferral** the answer replaces the "thinking…" message (``PATCH @original``, safe
  to repeat); 429s are waited out and 5xx retried with backoff until the token's 15 minutes
  are nearly over.
* **Slow answers are deferred first**: an answer not computed within ``defer_answers_after``
  seconds (config) is deferred, computed off the event loop, and sent when ready.
* **Autocomplete choices** are a first response too (type 8), sent here under the same policy
  (discord.py retries a 5xx after 1 s, then 3 s: past the window). One
  Discord no longer wants (404 Unknown interaction: the fan typed on) is let go with an INFO
  line, never an error.

The payload sent is exactly the one ``render`` made (what ``drama-bot ask --json`` prints).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import aiohttp
import discord

from bot.answering.i18n import CommandName, text

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Discord's deadline for the first response, and how long before it we stop trying (the
#: event took time to reach us, and our clock is not Discord's).
WINDOW = 3.0
MARGIN = 0.35
#: An interaction token's lifetime, and the margin kept before it for the last try.
TOKEN_LIFETIME = 15 * 60.0
TOKEN_MARGIN = 20.0
#: Pauses between tries of a first response that failed with a 5xx or a network error.
FIRST_RETRY_PAUSES = (0.0, 0.25, 0.5, 0.5)
#: Pauses between tries of an edit or follow-up, the last repeated until the token expires.
LATE_RETRY_PAUSES = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0)

PONG, MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE = 1, 4, 5, 6, 7
AUTOCOMPLETE_RESULT = 8
EPHEMERAL = 1 << 6
ALREADY_ACKNOWLEDGED = 40060
UNKNOWN_INTERACTION = 10062
#: Unknown Channel, Missing Access, a thread archived (and locked): the channel the command
#: came from was deleted, its thread archived by a moderator, or the bot's access to it taken,
#: between the command and its answer. Nothing sent there can arrive: the answer is given up
#: with a warning (before: an ERROR with a traceback, then a notice tried on the same channel).
NO_CHANNEL = frozenset({10003, 50001, 50083})
EXTRAS_KEY = "drama_bot_reply"


class ReplyError(Exception):
    """Discord refused a response for a reason retrying cannot fix (a bug of ours)."""


@dataclass(slots=True)
class ReplyState:
    """What has been sent for one interaction."""

    received: float
    acknowledged: bool = False
    deferred: int | None = None  # DEFERRED_MESSAGE or DEFERRED_UPDATE
    deferred_ephemeral: bool = False
    replaced: bool = False  # the deferred message was filled in (or deleted)
    channel_gone: bool = False  # Discord answered one of NO_CHANNEL: nothing more is sent

    @property
    def first_deadline(self) -> float:
        return self.received + WINDOW - MARGIN

    @property
    def token_deadline(self) -> float:
        return self.received + TOKEN_LIFETIME - TOKEN_MARGIN


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    body: Any
    headers: dict[str, str]

    @property
    def code(self) -> int | None:
        return self.body.get("code") if isinstance(self.body, dict) else None

    def retry_after(self) -> float:
        """Seconds to wait after a 429: the body's ``retry_after``, else the headers'."""
        if isinstance(self.body, dict) and isinstance(self.body.get("retry_after"), int | float):
            return float(self.body["retry_after"])
        for header in ("X-RateLimit-Reset-After", "Retry-After"):
            with contextlib.suppress(KeyError, ValueError):
                return float(self.headers[header])
        return 1.0

    def describe(self) -> str:
        if self.status == 429:
            return f"429 rate limited for {self.retry_after():g} s"
        reason = self.body.get("message") if isinstance(self.body, dict) else None
        return f"{self.status} {reason or 'error'}"


class Replier:
    """Sends interaction responses, edits and follow-ups for one bot (one HTTP session)."""

    def __init__(self, client: discord.Client, api_url: str, user_agent: str) -> None:
        self.client = client
        self.api_url = api_url.rstrip("/")
        self._headers = {"User-Agent": user_agent}
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    # ------------------------------------------------------------------ the cogs' API
    def state(self, interaction: discord.Interaction) -> ReplyState:
        state = interaction.extras.get(EXTRAS_KEY)
        if state is None:
            state = interaction.extras[EXTRAS_KEY] = ReplyState(time.monotonic())
        return state

    async def answer(
        self,
        interaction: discord.Interaction,
        compute: Callable[[], dict[str, Any]],
        *,
        defer_after: float,
        update: bool = False,
        ephemeral: bool = False,
    ) -> dict[str, Any] | None:
        """Compute a payload off the event loop and send it; defer first when it is not
        ready within ``defer_after`` seconds (``update``: the answer replaces the message
        whose menu or button was used; ``ephemeral``: the deferral is shown to the user
        alone, for an answer that will be private). Returns the payload, or None if the
        deferral failed."""
        state = self.state(interaction)
        computed = asyncio.to_thread(compute)
        ready, payload = await self.in_time(
            interaction, computed, defer_after=defer_after, update=update, ephemeral=ephemeral
        )
        if payload is None or not ready:
            return None
        if state.deferred is None:
            # A private answer (e.g. "no longer in the catalog") never replaces a public message.
            await self.respond(interaction, payload, update=update and not _private(payload))
        else:
            await self.finish(interaction, payload)
        return payload

    async def in_time(
        self,
        interaction: discord.Interaction,
        work: Awaitable[T],
        *,
        defer_after: float,
        ephemeral: bool = False,
        update: bool = False,
    ) -> tuple[bool, T | None]:
        """Await ``work`` (an answer computed in a thread, a database write that may wait for
        another writer's lock); defer first when it is not done within ``defer_after`` seconds.
        (False, None) when the deferral failed (the answer is lost; logged), else (True, the
        result)."""
        task = asyncio.ensure_future(work)
        if self.state(interaction).acknowledged:  # (deferred already: the answer can wait)
            return True, await task
        slow = defer_after <= 0 or not (await asyncio.wait({task}, timeout=defer_after))[0]
        if slow and not await self.defer(interaction, ephemeral=ephemeral, update=update):
            task.add_done_callback(_retrieve)  # (it still finishes: a write is not undone)
            return False, None
        return True, await task

    async def respond(
        self, interaction: discord.Interaction, payload: dict[str, Any], *, update: bool = False
    ) -> bool:
        """The first response with a ready payload (type 4, or 7 to replace the menu's
        message). False when Discord did not take it in time (see the module's notes)."""
        data = _message_data(payload, update=update)
        if await self._first(interaction, UPDATE if update else MESSAGE, data):
            return True
        if not update and not self.state(interaction).channel_gone:
            await self._post_in_channel(interaction, payload)
        return False

    async def defer(
        self, interaction: discord.Interaction, *, ephemeral: bool = False, update: bool = False
    ) -> bool:
        """Acknowledge now, answer later with :meth:`finish` (Discord shows "thinking…",
        or nothing with ``update``)."""
        state = self.state(interaction)
        kind = DEFERRED_UPDATE if update else DEFERRED_MESSAGE
        data = {"flags": EPHEMERAL} if ephemeral and not update else None
        if not await self._first(interaction, kind, data):
            if not state.channel_gone:  # (that said why already)
                log.warning("could not defer /%s in time; the answer is lost", _name(interaction))
            return False
        state.deferred, state.deferred_ephemeral = kind, ephemeral and not update
        return True

    async def finish(self, interaction: discord.Interaction, payload: dict[str, Any]) -> None:
        """Send the answer after a deferral: it replaces the "thinking…" message (or the
        menu's message). A private answer after a public deferral is sent privately and the
        public placeholder removed, so nothing private is ever shown to the channel."""
        state = self.state(interaction)
        webhook = self._webhook_path(interaction)
        original = webhook + "/messages/@original"
        if _private(payload) and not state.deferred_ephemeral:
            if state.deferred == DEFERRED_MESSAGE and not state.replaced:
                await self._late(interaction, "DELETE", original, None)
            await self._late(interaction, "POST", webhook, payload)
        elif state.replaced or state.deferred is None:
            await self._late(interaction, "POST", webhook, payload)  # a further message
        else:
            await self._late(interaction, "PATCH", original, _message_data(payload, update=True))
        state.replaced = True

    async def choices(self, interaction: discord.Interaction, choices: list[Any]) -> None:
        """Autocomplete's answer (``choices`` as Discord takes them); never raises. (Answered
        from ``DramaTree.interaction_check``, so discord.py does not send them again: see
        ``autocomplete.py``.)"""
        try:
            await self._first(
                interaction, AUTOCOMPLETE_RESULT, {"choices": choices}, lost=logging.INFO
            )
        except ReplyError as exc:
            log.warning("%s", exc)

    async def notice(self, interaction: discord.Interaction, text: str) -> None:
        """A short private message to the user; never raises (used from error handlers)."""
        payload = {
            "content": text,
            "flags": EPHEMERAL,
            "allowed_mentions": {"parse": [], "replied_user": False},
        }
        try:
            state = self.state(interaction)
            if state.channel_gone:
                return
            if state.acknowledged:
                await self.finish(interaction, payload)
            else:
                await self.respond(interaction, payload)
        except Exception as exc:  # an error handler must not fail in turn
            log.warning("could not tell the user about an error: %s", exc)

    # ------------------------------------------------------------------ the first response
    async def _first(
        self,
        interaction: discord.Interaction,
        kind: int,
        data: dict[str, Any] | None,
        *,
        lost: int = logging.WARNING,
    ) -> bool:
        state = self.state(interaction)
        if state.acknowledged:
            raise ReplyError(f"/{_name(interaction)} was already answered")
        path = f"/interactions/{interaction.id}/{interaction.token}/callback"
        body: dict[str, Any] = {"type": kind} | ({"data": data} if data is not None else {})
        problem = "no time left"
        ambiguous = False  # a failure after which Discord may still have taken the response
        for attempt, pause in enumerate((*FIRST_RETRY_PAUSES, None)):
            remaining = state.first_deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                answer = await self._request("POST", path, body, seconds=remaining)
            except (aiohttp.ClientError, OSError, TimeoutError) as exc:
                problem = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                ambiguous = True
            else:
                ambiguous = ambiguous or answer.status >= 500
                if answer.status < 300 or answer.code == ALREADY_ACKNOWLEDGED:
                    state.acknowledged = True
                    if attempt:
                        log.info("answered /%s on try %d", _name(interaction), attempt + 1)
                    return True
                problem = answer.describe()
                if answer.code == UNKNOWN_INTERACTION:
                    break
                if answer.code in NO_CHANNEL:
                    return self._gone(interaction, problem, lost)
                if answer.status == 429:
                    wait = answer.retry_after()
                    if time.monotonic() + wait >= state.first_deadline:
                        break
                    log.warning("/%s: %s; waiting", _name(interaction), problem)
                    await asyncio.sleep(wait)
                    continue
                if answer.status < 500:
                    raise ReplyError(f"Discord refused the answer to /{_name(interaction)}: "
                                     f"{problem}: {json.dumps(answer.body)[:300]}")  # fmt: skip
            if pause is None or time.monotonic() + pause >= state.first_deadline:
                break
            log.warning("/%s: %s; trying again", _name(interaction), problem)
            await asyncio.sleep(pause)
        # An ambiguous failure (a timeout, a 5xx) may hide an accepted response.
        if kind == MESSAGE and ambiguous and await self._was_delivered(interaction):
            state.acknowledged = True
            return True
        log.log(
            lost,
            "could not answer /%s within Discord's %g s (%s)",
            _name(interaction),
            WINDOW,
            problem,
        )
        return False

    def _gone(
        self, interaction: discord.Interaction, problem: str, level: int = logging.WARNING
    ) -> bool:
        """The answer given up: its channel is gone (``NO_CHANNEL``). False (not answered)."""
        self.state(interaction).channel_gone = True
        log.log(
            level,
            "the answer to /%s is lost: %s (its channel deleted, its thread archived and "
            "locked, or the bot's access to it taken since the command)",
            _name(interaction),
            problem,
        )
        return False

    async def _was_delivered(self, interaction: discord.Interaction) -> bool:
        path = self._webhook_path(interaction) + "/messages/@original"
        try:
            answer = await self._request("GET", path, None, seconds=2.0)
        except (aiohttp.ClientError, OSError, TimeoutError):
            return False
        return answer.status == 200

    async def _post_in_channel(
        self, interaction: discord.Interaction, payload: dict[str, Any]
    ) -> None:
        """The answer as an ordinary channel message, when Discord would not take it as a
        reply: only public answers, only where the bot may post (and embed)."""
        name = _name(interaction)
        if _private(payload):
            log.warning("the private answer to /%s is lost (never posted publicly)", name)
            return
        in_guild = interaction.guild_id is not None
        if (in_guild and not interaction.is_guild_integration()) or (
            not in_guild and not interaction.context.dm_channel
        ):  # installed on a user's account: the bot cannot post where it was used
            log.warning("the answer to /%s is lost: the bot cannot post there", name)
            return
        permissions = interaction.app_permissions
        # In a thread (a forum's post too) Discord asks for Send Messages in Threads, not
        # Send Messages (round 17: a bot allowed only the first lost the answer there).
        in_thread = isinstance(interaction.channel, discord.Thread)
        sends = permissions.send_messages_in_threads if in_thread else permissions.send_messages
        if in_guild and not (
            permissions.view_channel
            and sends
            and (permissions.embed_links or not payload.get("embeds"))
        ):
            log.warning("the answer to /%s is lost: no permission to post in the channel", name)
            return
        from bot.frontend.cogs.menus import build_view  # a menu needs its dynamic items

        intro = text(
            "discord.posted_in_channel",
            interaction.locale.value,
            user=interaction.user.id,
            command=CommandName(name),
        )
        content = "\n".join(part for part in (intro, payload.get("content") or "") if part)
        channel = self.client.get_partial_messageable(
            interaction.channel_id or 0, guild_id=interaction.guild_id
        )
        kwargs: dict[str, Any] = {
            "content": content[:2000],
            "embeds": [discord.Embed.from_dict(embed) for embed in payload.get("embeds", [])],
            "allowed_mentions": discord.AllowedMentions.none(),
        }
        view = build_view(payload)
        if view is not None:
            kwargs["view"] = view
        try:
            await channel.send(**kwargs)
        except discord.HTTPException as exc:
            log.warning("the answer to /%s is lost: posting it failed: %s", name, exc)
            return
        log.warning("posted the answer to /%s in the channel instead", name)

    # ------------------------------------------------------------------ after a deferral
    async def _late(
        self, interaction: discord.Interaction, method: str, path: str, body: Any
    ) -> None:
        state = self.state(interaction)
        pauses = iter(LATE_RETRY_PAUSES)
        pause = LATE_RETRY_PAUSES[0]
        while True:
            remaining = state.token_deadline - time.monotonic()
            if remaining <= 0:
                log.warning("gave up on the answer to /%s: its token expired", _name(interaction))
                return
            try:
                answer = await self._request(method, path, body, seconds=min(30.0, remaining))
            except (aiohttp.ClientError, OSError, TimeoutError) as exc:
                problem = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            else:
                if answer.status < 300 or (method == "DELETE" and answer.status == 404):
                    return
                problem = answer.describe()
                if answer.code in NO_CHANNEL:
                    self._gone(interaction, problem)
                    return
                if answer.status == 429:
                    pause = answer.retry_after()
                elif answer.status == 404:
                    log.warning("the answer to /%s is lost: %s", _name(interaction), problem)
                    return
                elif answer.status < 500:
                    raise ReplyError(f"Discord refused the answer to /{_name(interaction)}: "
                                     f"{problem}: {json.dumps(answer.body)[:300]}")  # fmt: skip
                else:
                    pause = next(pauses, LATE_RETRY_PAUSES[-1])
            if time.monotonic() + pause >= state.token_deadline:
                log.warning("gave up on the answer to /%s: %s", _name(interaction), problem)
                return
            log.warning("/%s: %s; trying again in %g s", _name(interaction), problem, pause)
            await asyncio.sleep(pause)

    # ------------------------------------------------------------------ HTTP
    def _webhook_path(self, interaction: discord.Interaction) -> str:
        return f"/webhooks/{interaction.application_id}/{interaction.token}"

    async def _request(self, method: str, path: str, body: Any, *, seconds: float) -> _Answer:
        if self._session is None:
            self._session = aiohttp.ClientSession(headers=self._headers)
        kwargs: dict[str, Any] = {"timeout": aiohttp.ClientTimeout(total=seconds)}
        if body is not None:
            kwargs["json"] = body
        async with self._session.request(method, self.api_url + path, **kwargs) as response:
            text = await response.text()
            try:
                parsed: Any = json.loads(text) if text else None
            except ValueError:
                parsed = text[:200]
            return _Answer(response.status, parsed, dict(response.headers))


def _retrieve(task: asyncio.Future[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("work for a lost answer failed: %s", task.exception())


def _message_data(payload: dict[str, Any], *, update: bool) -> dict[str, Any]:
    """The message fields of a rendered payload; an update cannot change the flags."""
    data = {key: value for key, value in payload.items() if value is not None}
    data.setdefault("allowed_mentions", {"parse": [], "replied_user": False})
    if update:
        data.pop("flags", None)
        data.setdefault("components", [])
    return data


def _private(payload: dict[str, Any]) -> bool:
    return bool(payload.get("flags", 0) & EPHEMERAL)


def _name(interaction: discord.Interaction) -> str:
    command = interaction.command
    if command is not None:
        return command.qualified_name
    data = interaction.data or {}
    return str(data.get("name") or data.get("custom_id") or "?")
