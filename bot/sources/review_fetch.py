"""One HTTP(S) GET for ``drama-bot import-review``, bounded in every way.

A total time limit, a size cap enforced while reading (not only from the ``Content-Length``
header), only text and XML content types, no automatic redirects (the caller follows them, so
each hop is checked against robots.txt and paced). Every failure is a :class:`FetchError` whose
message is one line a user can act on; nothing else escapes. :mod:`bot.sources.review_polite`
adds robots.txt, pacing, redirects and retries on top.
"""

from __future__ import annotations

import errno
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import aiohttp

from bot import __version__

DEFAULT_TIMEOUT = 15.0
MAX_BYTES = 2 * 1024 * 1024  # an article
MAX_XML_BYTES = 50 * 1024 * 1024  # a feed, sitemap or export (the sitemap protocol's own limit)
MAX_REDIRECTS = 5
_CHUNK_BYTES = 64 * 1024
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
XML_TYPES = frozenset(
    {
        "application/xml",
        "text/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
    }
)
_TEXT_TYPES = _HTML_TYPES | XML_TYPES
USER_AGENT_TOKEN = "drama-bot"  # the name robots.txt rules address
USER_AGENT = f"{USER_AGENT_TOKEN}/{__version__} (review import; reads robots.txt)"
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class FetchError(Exception):
    """The address could not be fetched; the message says why, in one line."""


class TransientFetchError(FetchError):
    """A failure worth retrying (a timeout, a refused connection, 429 or a 5xx answer)."""

    def __init__(
        self, message: str, retry_after: float | None = None, status: int | None = None
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.status = status  # the HTTP status, or None for a timeout or connection problem


class HTTPStatusError(FetchError):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class FetchedPage:
    url: str  # after redirects
    body: bytes
    content_type: str  # as declared, lower case; "" when the server did not say
    charset: str | None

    @property
    def is_html(self) -> bool:
        return self.content_type in _HTML_TYPES

    @property
    def is_xml(self) -> bool:
        return self.content_type in XML_TYPES

    @property
    def text(self) -> str:
        return decode(self.body, self.charset)


@dataclass(frozen=True, slots=True)
class Redirect:
    location: str


def is_url(source: str) -> bool:
    return source[:8].lower().startswith(("http://", "https://"))


def new_session(timeout: float) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=timeout), headers={"User-Agent": USER_AGENT}
    )


async def get_once(
    session: aiohttp.ClientSession, url: str, seconds: float, max_bytes: int = MAX_BYTES
) -> FetchedPage | Redirect:
    """One GET without following redirects. XML documents may be up to ``MAX_XML_BYTES``."""
    try:
        async with session.get(url, allow_redirects=False) as response:
            if response.status in (301, 302, 303, 307, 308) and "Location" in response.headers:
                return Redirect(response.headers["Location"])
            _check_status(response)
            declared = _check_content_type(response)
            limit = MAX_XML_BYTES if declared in XML_TYPES else max_bytes
            body = await _read_capped(response, limit)
            return FetchedPage(str(response.url), body, declared, response.charset)
    except FetchError:
        raise
    except TimeoutError:  # aiohttp's timeouts are TimeoutError subclasses
        raise TransientFetchError(f"no complete answer within {seconds:g} seconds") from None
    except aiohttp.InvalidURL:
        raise FetchError("not a valid web address") from None
    except aiohttp.ClientConnectorError as exc:
        raise TransientFetchError(_connect_problem(exc)) from None
    except (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError) as exc:
        raise TransientFetchError(f"the connection broke ({type(exc).__name__})") from None
    except aiohttp.ClientError as exc:
        raise FetchError(f"download failed ({type(exc).__name__}: {exc})") from None


def _check_status(response: aiohttp.ClientResponse) -> None:
    if response.status < 400:
        return
    reason = f" {response.reason}" if response.reason else ""
    message = f"the server answered HTTP {response.status}{reason}"
    if response.status in _RETRY_STATUSES:
        retry_after = _retry_after(response.headers.get("Retry-After"))
        raise TransientFetchError(message, retry_after, response.status)
    raise HTTPStatusError(message, response.status)


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (a number of seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _check_content_type(response: aiohttp.ClientResponse) -> str:
    """The declared media type; refuses anything that is not text. No header: allowed."""
    if "Content-Type" not in response.headers:
        return ""
    declared = response.content_type.lower()
    if declared.startswith("text/") or declared in _TEXT_TYPES:
        return declared
    raise FetchError(f"the address serves {declared}, not a text or HTML page")


async def _read_capped(response: aiohttp.ClientResponse, max_bytes: int) -> bytes:
    limit = _size(max_bytes)
    if response.content_length is not None and response.content_length > max_bytes:
        raise FetchError(f"the page is {_size(response.content_length)}; the limit is {limit}")
    chunks: list[bytes] = []
    total = 0
    async for chunk in response.content.iter_chunked(_CHUNK_BYTES):
        total += len(chunk)
        if total > max_bytes:
            raise FetchError(f"the page is larger than {limit}, the limit")
        chunks.append(chunk)
    return b"".join(chunks)


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MiB"


def decode(body: bytes, charset: str | None = None) -> str:
    if charset:
        try:
            return body.decode(charset, errors="replace")
        except LookupError:  # an unknown charset name
            pass
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")


def _connect_problem(exc: aiohttp.ClientConnectorError) -> str:
    where = f"{exc.host}:{exc.port}"
    error = exc.os_error
    if isinstance(error, socket.gaierror):
        return f"the host {exc.host} was not found"
    if isinstance(error, ConnectionRefusedError) or error.errno == errno.ECONNREFUSED:
        return f"connection refused by {where}"
    reason = error.strerror or str(error) or type(error).__name__
    return f"cannot connect to {where}: {reason}"
