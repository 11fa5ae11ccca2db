"""Fetching a blog politely: robots.txt, a clear User-Agent, one request a second per host,
redirects checked hop by hop, and retries with growing waits.

- **robots.txt** is read once per host (``urllib.robotparser``) and obeyed for the token
  ``drama-bot``, its ``Crawl-delay`` included (up to a minute). As RFC 9309 says: a missing
  robots.txt (4xx) allows everything, one that answers 5xx disallows everything.
- **Pacing**: a request to one host starts at least ``delay`` seconds (default 1 s) after the
  previous one started and after it ended, counted from when they really happened (a busy
  event loop that wakes late never brings two requests closer); different hosts do not wait
  for each other.
- **Retries**: a timeout, a broken connection, 429 and 5xx are tried again ``retries`` times,
  waiting ``delay`` × 1, 2, 4 … seconds (at least 0.1 s), or what ``Retry-After`` asks for up
  to a minute.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import aiohttp

from bot.sources.review_fetch import (
    DEFAULT_TIMEOUT,
    MAX_BYTES,
    MAX_REDIRECTS,
    USER_AGENT_TOKEN,
    FetchedPage,
    FetchError,
    HTTPStatusError,
    Redirect,
    TransientFetchError,
    get_once,
    is_url,
    new_session,
)

DEFAULT_DELAY = 1.0
DEFAULT_RETRIES = 3
MAX_WAIT = 60.0  # the longest Retry-After or Crawl-delay honoured
_MIN_BACKOFF = 0.1
_ROBOTS_BYTES = 512 * 1024  # RFC 9309: at least 500 KiB must be parsed


class RobotsDisallowed(FetchError):
    """robots.txt of the host does not allow us to fetch the address."""


@dataclass(slots=True)
class _Host:
    robots: RobotFileParser | None = None
    robots_problem: str | None = None  # robots.txt answered 5xx: nothing may be fetched
    delay: float = DEFAULT_DELAY
    last_start: float = 0.0
    next_start: float = 0.0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class PoliteFetcher:
    """``async with PoliteFetcher() as web: page = await web.fetch(url)``."""

    def __init__(
        self,
        *,
        delay: float = DEFAULT_DELAY,
        retries: int = DEFAULT_RETRIES,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        if delay < 0 or retries < 0 or timeout <= 0:
            raise ValueError("delay and retries must be 0 or more, timeout more than 0")
        self.delay = delay
        self.retries = retries
        self.timeout = timeout
        self.requests = 0  # how many GETs were sent, robots.txt included
        self._hosts: dict[str, _Host] = {}
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> PoliteFetcher:
        self._session = new_session(self.timeout)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._session is not None:
            await self._session.close()

    async def fetch(self, url: str, max_bytes: int = MAX_BYTES) -> FetchedPage:
        """The page at ``url`` after redirects, or :class:`FetchError` (:class:`RobotsDisallowed`
        when robots.txt forbids it)."""
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            if not is_url(current):
                raise FetchError(f"redirected to {current[:200]}, which is not a web address")
            await self._check_robots(current)
            answer = await self._get(current, max_bytes)
            if isinstance(answer, FetchedPage):
                return answer
            current = urljoin(current, answer.location)
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")

    # ------------------------------------------------------------------ robots.txt

    async def _check_robots(self, url: str) -> None:
        host = await self._robots_for(url)
        if host.robots_problem:
            raise RobotsDisallowed(host.robots_problem)
        if host.robots is not None and not host.robots.can_fetch(USER_AGENT_TOKEN, url):
            raise RobotsDisallowed(f"robots.txt of {_origin(url)} does not allow it")

    async def _robots_for(self, url: str) -> _Host:
        origin = _origin(url)
        host = self._host(origin)
        async with host.lock:  # one robots.txt request per host, whoever asks first
            if host.robots is None and host.robots_problem is None:
                await self._read_robots(origin, host)
        return host

    async def _read_robots(self, origin: str, host: _Host) -> None:
        address = f"{origin}/robots.txt"
        parser = RobotFileParser(address)
        try:
            answer: FetchedPage | Redirect = await self._get(address, _ROBOTS_BYTES)
            for _hop in range(MAX_REDIRECTS):
                if isinstance(answer, FetchedPage):
                    break
                answer = await self._get(urljoin(address, answer.location), _ROBOTS_BYTES)
        except HTTPStatusError:  # 4xx: there are no rules
            parser.allow_all = True
        except TransientFetchError as exc:
            if exc.status is None:  # the host cannot be reached at all
                raise
            host.robots_problem = (
                f"{address} answered HTTP {exc.status}; "
                "until it can be read, nothing on that host is fetched"
            )
            return
        except FetchError:  # too large, not text: treat as no rules, as browsers do
            parser.allow_all = True
        else:
            if isinstance(answer, FetchedPage):
                parser.parse(answer.text.splitlines())
            else:
                parser.allow_all = True
        host.robots = parser
        crawl_delay = parser.crawl_delay(USER_AGENT_TOKEN)
        if crawl_delay:
            host.delay = max(self.delay, min(float(crawl_delay), MAX_WAIT))
            # (as after every request: the delay counts from when robots.txt's answer came,
            # which the pace of its own request could not know yet)
            host.next_start = max(host.next_start, asyncio.get_running_loop().time() + host.delay)

    # ------------------------------------------------------------------ pacing and retries

    async def _get(self, url: str, max_bytes: int) -> FetchedPage | Redirect:
        assert self._session is not None, "use PoliteFetcher in 'async with'"
        attempts = self.retries + 1
        for attempt in range(attempts):
            try:
                return await self._paced_get(url, max_bytes)
            except TransientFetchError as exc:
                if attempt + 1 == attempts:
                    tried = f" (tried {attempts} times)" if attempts > 1 else ""
                    raise TransientFetchError(
                        f"{exc}{tried}", exc.retry_after, exc.status
                    ) from None
                wait = max(self.delay, _MIN_BACKOFF) * 2**attempt
                if exc.retry_after is not None:
                    if exc.retry_after > MAX_WAIT:
                        raise FetchError(
                            f"{exc}, and asked to wait {exc.retry_after:.0f} seconds "
                            f"(more than {MAX_WAIT:.0f}); try again later"
                        ) from None
                    wait = max(wait, exc.retry_after)
                await asyncio.sleep(wait)
        raise AssertionError("unreachable")

    async def _paced_get(self, url: str, max_bytes: int) -> FetchedPage | Redirect:
        assert self._session is not None
        await self._pace(url)
        self.requests += 1
        try:
            return await get_once(self._session, url, self.timeout, max_bytes)
        finally:
            self._ended(url)

    async def _pace(self, url: str) -> None:
        """Wait for this host's next slot: at least ``delay`` seconds after the last request
        started (when it really did: ``sleep`` may wake late) and after it ended."""
        host = self._host(_origin(url))
        loop = asyncio.get_running_loop()
        if (wait := host.next_start - loop.time()) > 0:
            await asyncio.sleep(wait)
        host.last_start = loop.time()
        host.next_start = host.last_start + host.delay

    def _ended(self, url: str) -> None:
        host = self._host(_origin(url))
        host.next_start = max(host.next_start, asyncio.get_running_loop().time() + host.delay)

    def _host(self, origin: str) -> _Host:
        if origin not in self._hosts:
            self._hosts[origin] = _Host(delay=self.delay)
        return self._hosts[origin]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"
