"""A small, polite client for TMDB's API v3 (https://developer.themoviedb.org/reference).

Polite: a bounded number of requests in flight, ``Retry-After`` honoured on 429, exponential
back-off on 5xx and time-outs, a time limit per request. Careful with the secret: the key is
sent as TMDB asks (v3 key as the ``api_key`` query parameter, v4 read access token as a bearer
header) and masked in every message this module produces.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import os
import random
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bot import __version__

API_KEY_ENV = "TMDB_API_KEY"
READ_TOKEN_ENV = "TMDB_READ_ACCESS_TOKEN"
USER_AGENT = f"drama-bot/{__version__} (catalog enrichment)"
MAX_BYTES = 16 * 1024 * 1024  # a show with every credit appended is well under 2 MiB

_SECRET_IN_URL = re.compile(r"(api_key=)[^&\s\"']+", re.IGNORECASE)
_BEARER = re.compile(r"(Bearer\s+)[A-Za-z0-9._\-]+", re.IGNORECASE)


async def _read_at_most(stream: aiohttp.StreamReader, limit: int) -> bytes:
    """The body, read to its end or to ``limit`` bytes: one ``read(n)`` returns only what
    has arrived so far (a long answer comes in pieces)."""
    chunks: list[bytes] = []
    size = 0
    while size < limit and (chunk := await stream.read(limit - size)):
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


class TmdbError(Exception):
    """A request failed; ``str()`` is one line a user can act on, with secrets masked."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class TmdbAuthError(TmdbError):
    """TMDB refused the key (401): nothing else can work, so a run stops."""


class TmdbNotFound(TmdbError):
    """404: no such show or person."""


class TmdbUnavailable(TmdbError):
    """Still failing after every retry (5xx, time-outs, connection errors, repeated 429s)."""


@dataclass(frozen=True)
class Credentials:
    """A v3 API key or a v4 read access token; ``repr`` never shows it."""

    secret: str = field(repr=False)
    bearer: bool  # True: v4 token in the Authorization header; False: v3 key as api_key

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Credentials | None:
        env = os.environ if environ is None else environ
        token = env.get(READ_TOKEN_ENV, "").strip()
        if token:
            return cls(token, bearer=True)
        key = env.get(API_KEY_ENV, "").strip()
        return cls(key, bearer=False) if key else None

    def mask(self, text: str) -> str:
        """``text`` with the secret, any ``api_key=...`` and any bearer token hidden."""
        if self.secret:
            text = text.replace(self.secret, "***")
        text = _SECRET_IN_URL.sub(r"\1***", text)
        return _BEARER.sub(r"\1***", text)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 5  # tries per request, in all
    backoff: float = 0.5  # seconds before the 2nd try after a 5xx or time-out; doubles each time
    max_wait: float = 60.0  # the longest we wait for one Retry-After


Sleep = Callable[[float], Awaitable[None]]


@dataclass(slots=True)
class RequestStats:
    requests: int = 0
    retries: int = 0
    waited: float = 0.0


class TmdbClient:
    """GET JSON from TMDB. Use as ``async with TmdbClient(...) as client``."""

    def __init__(
        self,
        base_url: str,
        credentials: Credentials,
        *,
        timeout: float = 10.0,
        concurrency: int = 4,
        retry: RetryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
    ):
        self.base_url = base_url.rstrip("/")
        self.credentials = credentials
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.stats = RequestStats()
        self._slots = asyncio.Semaphore(max(1, concurrency))
        self._sleep = sleep
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> TmdbClient:
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        if self.credentials.bearer:
            headers["Authorization"] = f"Bearer {self.credentials.secret}"
        self._session = aiohttp.ClientSession(
            headers=headers, timeout=aiohttp.ClientTimeout(total=self.timeout)
        )
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def get(self, path: str, params: Mapping[str, str | int] | None = None) -> Any:
        """The decoded JSON body of ``GET {base}{path}``, or a :class:`TmdbError`."""
        query = {k: str(v) for k, v in (params or {}).items()}
        if not self.credentials.bearer:
            query["api_key"] = self.credentials.secret
        last_problem = "no answer"
        for attempt in range(1, self.retry.attempts + 1):
            wait: float | None = None
            try:
                status, body, retry_after = await self._once(path, query)
            except (TimeoutError, aiohttp.ClientError, OSError) as exc:
                last_problem = self._describe(exc)
                wait = self._backoff(attempt)
            except _BadAnswer as exc:  # (a proxy's page, a cut answer: retried like a 5xx)
                last_problem = str(exc)
                wait = self._backoff(attempt)
            else:
                if status == 200:
                    return body
                message = self._message(status, body)
                if status == 401:
                    raise TmdbAuthError(
                        f"TMDB refused the key (401: {message}); check {API_KEY_ENV} or "
                        f"{READ_TOKEN_ENV}",
                        status,
                    )
                if status == 404:
                    raise TmdbNotFound(f"TMDB has no {path} (404: {message})", status)
                if status == 429:
                    last_problem = f"rate limited (429: {message})"
                    wait = retry_after if retry_after is not None else self._backoff(attempt)
                    if wait > self.retry.max_wait:
                        asked = _how_long(wait)
                        raise TmdbUnavailable(
                            f"TMDB asked us to wait {asked} (429); try again later", status
                        )
                elif status >= 500:
                    last_problem = f"TMDB answered {status} ({message})"
                    wait = self._backoff(attempt)
                else:
                    raise TmdbError(f"TMDB answered {status} for {path}: {message}", status)
            if attempt < self.retry.attempts:
                self.stats.retries += 1
                self.stats.waited += wait
                await self._sleep(wait)
        raise TmdbUnavailable(
            self.credentials.mask(f"{path}: {last_problem}, after {self.retry.attempts} tries")
        )

    async def _once(self, path: str, query: dict[str, str]) -> tuple[int, Any, float | None]:
        assert self._session is not None, "use `async with TmdbClient(...)`"
        async with self._slots:
            self.stats.requests += 1
            async with self._session.get(self.base_url + path, params=query) as response:
                raw = await _read_at_most(response.content, MAX_BYTES + 1)
                if len(raw) > MAX_BYTES:
                    raise _BadAnswer(f"TMDB answered {response.status} with over {MAX_BYTES} bytes")
                retry_after = _retry_after(response.headers.get("Retry-After"))
                try:
                    body = json.loads(raw) if raw else None
                except (ValueError, RecursionError):  # (nested past Python's stack: not TMDB's)
                    body = None
                if response.status == 200 and not isinstance(body, dict):
                    kind = response.content_type or "no content type"
                    what = "not a JSON object" if body is not None else "not JSON"
                    if not raw:
                        raise _BadAnswer("TMDB answered 200 with an empty body")
                    raise _BadAnswer(f"TMDB answered 200 with {kind}, {what}")
                return response.status, body, retry_after

    def _backoff(self, attempt: int) -> float:
        base: float = self.retry.backoff * (2 ** (attempt - 1))
        return base + random.uniform(0, base / 4)

    def _message(self, status: int, body: Any) -> str:
        text = body.get("status_message") if isinstance(body, dict) else None
        return self.credentials.mask(" ".join(str(text or f"HTTP {status}").split())[:200])

    def _describe(self, exc: BaseException) -> str:
        if isinstance(exc, TimeoutError):
            return f"no answer within {self.timeout:g} s"
        return self.credentials.mask(f"{type(exc).__name__}: {exc}".strip()[:200])


class _BadAnswer(Exception):
    """An answer that is not what TMDB sends (too large, not a JSON object); the message says
    what it was, with its real status, never its content."""


def _how_long(seconds: float) -> str:
    """A wait as a person reads it: ``45 s``, ``about 15 min``, ``about 2 h``, ``more than a
    day`` (also for ``inf``, ``1e400`` or a date in 9999, which TMDB could send)."""
    if not seconds < 86_400:
        return "more than a day"
    if seconds >= 5_400:
        return f"about {seconds / 3_600:.0f} h"
    if seconds >= 120:
        return f"about {seconds / 60:.0f} min"
    return f"{seconds:.0f} s"


def _retry_after(value: str | None) -> float | None:
    """``Retry-After`` as seconds: a number, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
