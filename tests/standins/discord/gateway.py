"""The gateway websocket: HELLO, heartbeats, IDENTIFY -> READY + GUILD_CREATE, RESUME with
replay, dispatching events (INTERACTION_CREATE, MESSAGE_*), and dropping connections.

Sessions outlive connections: events dispatched while the bot is disconnected are kept in
the session log and replayed (in order) when the bot RESUMEs, followed by RESUMED.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from .entities import Guild
from .payloads import guild_create_payload, member_payload, ready_payload
from .records import GatewayConnection, GatewayFrame
from .state import StandInState

log = logging.getLogger("tests.standins.discord.gateway")

DISPATCH = 0
HEARTBEAT = 1
IDENTIFY = 2
PRESENCE_UPDATE = 3
VOICE_STATE_UPDATE = 4
RESUME = 6
RECONNECT = 7
REQUEST_GUILD_MEMBERS = 8
INVALID_SESSION = 9
HELLO = 10
HEARTBEAT_ACK = 11

IDENTIFY_INTERVAL = 5.0

INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_PRESENCES = 1 << 8
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12

OnSent = Callable[[float], None]


@dataclass
class _Entry:
    seq: int
    payload: dict[str, Any]
    on_sent: OnSent | None = None
    sent_at: float | None = None


class _Connection:
    """One websocket; serialises sends (zlib-stream compression is stateful)."""

    def __init__(
        self, ws: web.WebSocketResponse, record: GatewayConnection, state: StandInState
    ) -> None:
        self.ws = ws
        self.record = record
        self.state = state
        self.session: GatewaySession | None = None
        self._lock = asyncio.Lock()
        compress = record.query.get("compress")
        self._compressor = zlib.compressobj() if compress == "zlib-stream" else None

    @property
    def closed(self) -> bool:
        return self.ws.closed

    async def send(self, payload: dict[str, Any]) -> None:
        text = json.dumps(payload, separators=(",", ":"))
        async with self._lock:
            if self._compressor is not None:
                data = self._compressor.compress(text.encode()) + self._compressor.flush(
                    zlib.Z_SYNC_FLUSH
                )
                await self.ws.send_bytes(data)
            else:
                await self.ws.send_str(text)
        self.state.frames.append(
            GatewayFrame(
                direction="send",
                op=payload.get("op"),
                t=payload.get("t"),
                s=payload.get("s"),
                d=payload.get("d"),
                shard_id=self.record.shard_id,
                time=time.monotonic(),
            )
        )


@dataclass
class GatewaySession:
    """A gateway session (survives reconnects until invalidated)."""

    session_id: str
    shard: list[int] | None
    intents: int
    identify: dict[str, Any]
    seq: int = 0
    log: list[_Entry] = field(default_factory=list)
    connection: _Connection | None = None
    resumes: int = 0
    replayed: int = 0  # events re-sent on RESUME
    ready: bool = False
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def shard_id(self) -> int:
        return self.shard[0] if self.shard else 0

    @property
    def shard_count(self) -> int:
        return self.shard[1] if self.shard else 1

    @property
    def connected(self) -> bool:
        return self.connection is not None and not self.connection.closed

    async def _deliver(self, entry: _Entry) -> None:
        connection = self.connection
        if connection is None or connection.closed:
            return
        try:
            await connection.send(entry.payload)
        except (ConnectionError, RuntimeError) as exc:
            log.debug(
                "send failed on shard %s (%s); event %s kept for replay",
                self.shard_id,
                exc,
                entry.seq,
            )
            return
        if entry.sent_at is None:
            entry.sent_at = time.monotonic()
            if entry.on_sent is not None:
                entry.on_sent(entry.sent_at)

    async def dispatch(self, event: str, data: Any, on_sent: OnSent | None = None) -> int:
        async with self.lock:
            self.seq += 1
            entry = _Entry(
                self.seq, {"op": DISPATCH, "t": event, "s": self.seq, "d": data}, on_sent
            )
            self.log.append(entry)
            await self._deliver(entry)
            return entry.seq

    async def resume_on(self, connection: _Connection, last_seq: int | None) -> int:
        """Attach ``connection``, replay what the client missed, then send RESUMED."""
        async with self.lock:
            self.connection = connection
            connection.session = self
            missed = [e for e in self.log if last_seq is None or e.seq > last_seq]
            for entry in missed:
                await self._deliver(entry)
            self.replayed += len(missed)
            self.seq += 1
            resumed = _Entry(self.seq, {"op": DISPATCH, "t": "RESUMED", "s": self.seq, "d": {}})
            self.log.append(resumed)
            await self._deliver(resumed)
            self.resumes += 1
            return len(missed)


class GatewayHub:
    """aiohttp handler for the gateway plus the API the stand-in uses to dispatch."""

    def __init__(self, state: StandInState) -> None:
        self.state = state
        self.resume_url = ""  # set by the server once the port is known
        self.resume_path = ""
        self.sessions: dict[str, GatewaySession] = {}
        self.by_shard: dict[int, GatewaySession] = {}
        self._connections: set[_Connection] = set()
        self.expected_shards: int | None = None
        self.drops = 0
        self._resumes_at_last_drop = 0
        self._identified_at: dict[int, float] = {}  # rate-limit key -> last IDENTIFY

    # ------------------------------------------------------------------ status
    @property
    def total_resumes(self) -> int:
        return sum(s.resumes for s in self.sessions.values())

    @property
    def replayed_events(self) -> int:
        return sum(s.replayed for s in self.sessions.values())

    def is_ready(self) -> bool:
        expected = self.expected_shards
        if expected is None:
            return False
        return all(
            shard in self.by_shard and self.by_shard[shard].ready for shard in range(expected)
        )

    def resumed_since_drop(self) -> bool:
        return self.total_resumes > self._resumes_at_last_drop

    def shard_for_guild(self, guild_id: int | None) -> int:
        count = self.expected_shards or 1
        if guild_id is None:
            return 0
        return (guild_id >> 22) % count

    # ------------------------------------------------------------------ dispatch
    async def dispatch(
        self, guild_id: int | None, event: str, data: Any, on_sent: OnSent | None = None
    ) -> bool:
        """Dispatch to the session owning ``guild_id`` (shard 0 for DMs).

        Returns False when no session exists (the bot never identified)."""
        session = self.by_shard.get(self.shard_for_guild(guild_id))
        if session is None:
            return False
        await session.dispatch(event, data, on_sent)
        return True

    def session_intents(self, guild_id: int | None) -> int:
        session = self.by_shard.get(self.shard_for_guild(guild_id))
        return session.intents if session else 0

    # ------------------------------------------------------------------ test controls
    async def drop(
        self, shard_id: int | None = None, *, code: int = 4000, reconnect_op: bool = False
    ) -> int:
        """Close (or ask to reconnect) the live connection of one or all shards."""
        self._resumes_at_last_drop = self.total_resumes
        dropped = 0
        for shard, session in list(self.by_shard.items()):
            if shard_id is not None and shard != shard_id:
                continue
            connection = session.connection
            if connection is None or connection.closed:
                continue
            session.connection = None  # new events are buffered for the replay
            dropped += 1
            if reconnect_op:
                await connection.send({"op": RECONNECT, "d": None, "s": None, "t": None})
            else:
                await connection.ws.close(code=code, message=b"stand-in dropped the connection")
        self.drops += dropped
        return dropped

    async def invalidate(self, shard_id: int = 0, *, resumable: bool = False) -> None:
        session = self.by_shard.get(shard_id)
        if session is None or session.connection is None:
            return
        connection = session.connection
        if not resumable:
            self.sessions.pop(session.session_id, None)
        await connection.send({"op": INVALID_SESSION, "d": resumable, "s": None, "t": None})

    async def close_all(self) -> None:
        for connection in list(self._connections):
            if not connection.closed:
                with contextlib.suppress(TimeoutError, ConnectionError, RuntimeError):
                    await asyncio.wait_for(
                        connection.ws.close(code=1001, message=b"stand-in shutting down"), 2.0
                    )

    # ------------------------------------------------------------------ websocket handler
    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(timeout=2.0, max_msg_size=16 * 1024 * 1024)
        await ws.prepare(request)
        record = GatewayConnection(
            path=request.path, query=dict(request.query), opened_at=time.monotonic()
        )
        self.state.connections.append(record)
        connection = _Connection(ws, record, self.state)
        self._connections.add(connection)
        self._check_query(record)
        try:
            await connection.send(
                {
                    "op": HELLO,
                    "d": {
                        "heartbeat_interval": self.state.config.heartbeat_interval_ms,
                        "_trace": ['["discord-standin-gateway",{"micros":0}]'],
                    },
                    "s": None,
                    "t": None,
                }
            )
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    try:
                        await self._on_text(connection, message.data)
                    except Exception as exc:  # a stand-in bug: loud, and the socket closes
                        log.exception("gateway handler failed")
                        self.state.self_check_failed(f"gateway handler crashed: {exc!r}")
                        await ws.close(code=4000, message=b"stand-in internal error")
                elif message.type == WSMsgType.BINARY:
                    self.state.violate(
                        "gateway",
                        "binary frame from the bot; only JSON text "
                        "frames are supported by the stand-in",
                    )
                    await ws.close(code=4002, message=b"Error while decoding payload.")
                else:
                    break
        except ConnectionError:
            pass
        finally:
            session = connection.session
            if session is not None and session.connection is connection:
                session.connection = None
            record.closed_at = time.monotonic()
            record.close_code = ws.close_code
            self._connections.discard(connection)
            self.state.changed.notify()
        return ws

    def _check_query(self, record: GatewayConnection) -> None:
        query = record.query
        if query.get("v") != "10":
            self.state.violate(
                "gateway", f"gateway connected with v={query.get('v')!r}; expected v=10"
            )
        if query.get("encoding", "json") != "json":
            self.state.violate(
                "gateway",
                f"encoding={query.get('encoding')!r} is not supported by the stand-in (json only)",
            )

    async def _on_text(self, connection: _Connection, text: str) -> None:
        try:
            payload = json.loads(text)
        except ValueError:
            self.state.violate("gateway", f"undecodable gateway payload: {text[:80]!r}")
            await connection.ws.close(code=4002, message=b"Error while decoding payload.")
            return
        op = payload.get("op")
        data = payload.get("d")
        self.state.frames.append(
            GatewayFrame(
                direction="recv",
                op=op,
                t=None,
                s=None,
                d=data,
                shard_id=connection.record.shard_id,
                time=time.monotonic(),
            )
        )
        if op == HEARTBEAT:
            await connection.send({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op == IDENTIFY:
            await self._identify(connection, data or {})
        elif op == RESUME:
            await self._resume(connection, data or {})
        elif connection.session is None:
            self.state.violate("gateway", f"op {op} sent before IDENTIFY/RESUME")
            await connection.ws.close(code=4003, message=b"Not authenticated.")
        elif op in (PRESENCE_UPDATE, VOICE_STATE_UPDATE):
            return
        elif op == REQUEST_GUILD_MEMBERS:
            await self._request_members(connection.session, data or {})
        else:
            self.state.violate("gateway", f"unknown gateway opcode {op!r}")
            await connection.ws.close(code=4001, message=b"Unknown opcode.")

    def _token_ok(self, token: Any) -> bool:
        if not isinstance(token, str):
            return False
        return token.removeprefix("Bot ") == self.state.config.token

    async def _identify(self, connection: _Connection, data: dict[str, Any]) -> None:
        state = self.state
        if connection.session is not None:
            state.violate("gateway", "IDENTIFY sent twice on one connection")
            await connection.ws.close(code=4005, message=b"Already authenticated.")
            return
        if not self._token_ok(data.get("token")):
            state.violate("auth", "IDENTIFY with a wrong token")
            await connection.ws.close(code=4004, message=b"Authentication failed.")
            return
        if "intents" not in data:
            state.violate("gateway", "IDENTIFY without intents (required in v10)")
            await connection.ws.close(code=4013, message=b"Invalid intent(s).")
            return
        shard = data.get("shard")
        if shard is not None and not (
            isinstance(shard, list) and len(shard) == 2 and 0 <= shard[0] < shard[1]
        ):
            state.violate("gateway", f"invalid shard {shard!r} in IDENTIFY")
            await connection.ws.close(code=4010, message=b"Invalid shard.")
            return
        count = shard[1] if shard else 1
        # Discord: max_concurrency IDENTIFYs per 5 s, one per key (shard_id % max_concurrency).
        key = (shard[0] if shard else 0) % max(state.config.max_concurrency, 1)
        now = time.monotonic()
        last = self._identified_at.get(key)
        if state.config.identify_limit and last is not None and now - last < IDENTIFY_INTERVAL:
            state.violate(
                "gateway",
                f"IDENTIFY for shard {shard} {now - last:.2f}s after another with rate-limit key "
                f"{key}; Discord allows one per {IDENTIFY_INTERVAL:g}s per key "
                f"(max_concurrency {state.config.max_concurrency})",
            )
        self._identified_at[key] = now
        if self.expected_shards is None:
            self.expected_shards = count
        elif self.expected_shards != count:
            state.violate(
                "gateway",
                f"shard count changed from {self.expected_shards} to {count} between IDENTIFYs",
            )
            self.expected_shards = count
        session = GatewaySession(
            session_id=secrets.token_hex(16),
            shard=shard,
            intents=int(data["intents"]),
            identify=data,
        )
        connection.session = session
        connection.record.identified = True
        connection.record.shard_id = session.shard_id
        session.connection = connection
        self.sessions[session.session_id] = session
        self.by_shard[session.shard_id] = session
        guilds = [g for g in state.guilds if g.bot_member and g.shard_id(count) == session.shard_id]
        await session.dispatch(
            "READY",
            ready_payload(
                bot=state.config.bot_user,
                application_id=state.config.application_id,
                guilds=guilds,
                session_id=session.session_id,
                resume_gateway_url=self.resume_url,
                shard=shard,
            ),
        )
        for guild in guilds:
            if not guild.unavailable:
                await session.dispatch("GUILD_CREATE", self.guild_create(guild, session))
        session.ready = True
        state.changed.notify()

    def guild_create(self, guild: Guild, session: GatewaySession) -> dict[str, Any]:
        bot_id = self.state.config.bot_user.id
        if session.intents & INTENT_GUILD_MEMBERS:
            members = list(guild.members)
        else:
            members = [m for m in guild.members if m.user.id == bot_id]
        return guild_create_payload(
            guild, members=members, presences=bool(session.intents & INTENT_GUILD_PRESENCES)
        )

    async def _resume(self, connection: _Connection, data: dict[str, Any]) -> None:
        state = self.state
        if not self._token_ok(data.get("token")):
            state.violate("auth", "RESUME with a wrong token")
            await connection.ws.close(code=4004, message=b"Authentication failed.")
            return
        session = self.sessions.get(str(data.get("session_id")))
        if session is None:
            await connection.send({"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        if self.resume_path and connection.record.path != self.resume_path:
            state.violate(
                "gateway",
                f"RESUME on {connection.record.path!r}; clients must "
                f"resume on READY's resume_gateway_url ({self.resume_url})",
            )
        old = session.connection
        if old is not None and old is not connection and not old.closed:
            session.connection = None
            await old.ws.close(code=4000, message=b"Session resumed elsewhere.")
        connection.record.resumed = True
        connection.record.shard_id = session.shard_id
        replayed = await session.resume_on(connection, data.get("seq"))
        log.debug("shard %s resumed, replayed %d events", session.shard_id, replayed)
        state.changed.notify()

    async def _request_members(self, session: GatewaySession, data: dict[str, Any]) -> None:
        guild_ids = data.get("guild_id")
        if not isinstance(guild_ids, list):
            guild_ids = [guild_ids]
        for raw_id in guild_ids:
            guild = self.state.guild(int(raw_id)) if raw_id is not None else None
            if guild is None:
                continue
            members = list(guild.members)
            user_ids = data.get("user_ids")
            not_found: list[str] = []
            if user_ids:
                wanted = {int(u) for u in (user_ids if isinstance(user_ids, list) else [user_ids])}
                members = [m for m in members if m.user.id in wanted]
                found = {m.user.id for m in members}
                not_found = [str(u) for u in wanted - found]
            elif data.get("query"):
                query = str(data["query"]).lower()
                members = [m for m in members if m.user.username.lower().startswith(query)]
            limit = data.get("limit") or 0
            if limit:
                members = members[:limit]
            chunk: dict[str, Any] = {
                "guild_id": str(guild.id),
                "members": [member_payload(m) for m in members],
                "chunk_index": 0,
                "chunk_count": 1,
            }
            if user_ids:
                chunk["not_found"] = not_found
            if data.get("nonce") is not None:
                chunk["nonce"] = data["nonce"]
            await session.dispatch("GUILD_MEMBERS_CHUNK", chunk)
