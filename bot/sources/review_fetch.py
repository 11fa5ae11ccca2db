"""Fetching a review article over HTTP(S) for ``drama-bot import-review``.

One bounded GET: a total time limit, a size cap enforced while reading (not only from the
``Content-Length`` header), a redirect limit, and only text content types. Every failure is a
:class:`FetchError` whose message is one line a user can act on; nothing else escapes.
"""

from __future__ import annotations

import errno
import socket
from dataclasses import dataclass

import aiohttp

from bot import __version__

DEFAULT_TIMEOUT = 15.0
MAX_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 5
_CHUNK_BYTES = 64 * 1024
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset({"application/xhtml+xml", "application/xml"})
_USER_AGENT = f"drama-bot/{__version__} (review import)"


class FetchError(Exception):
    """The article could not be fetched; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class FetchedPage:
    url: str  # after redirects
    text: str
    is_html: bool  # the server said HTML; callers may still sniff the text


def is_url(source: str) -> bool:
    return source[:8].lower().startswith(("http://", "https://"))


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MiB" if count >= 1024 * 1024 else f"{count} bytes"


async def fetch_page(
    url: str,
    *,
    total_seconds: float = DEFAULT_TIMEOUT,
    max_bytes: int = MAX_BYTES,
    max_redirects: int = MAX_REDIRECTS,
) -> FetchedPage:
    """GET ``url`` and return its text, or raise :class:`FetchError`."""
    if not is_url(url):
        raise FetchError("only http:// and https:// addresses can be fetched")
    session_timeout = aiohttp.ClientTimeout(total=total_seconds)
    try:
        async with (
            aiohttp.ClientSession(
                timeout=session_timeout, headers={"User-Agent": _USER_AGENT}
            ) as session,
            session.get(url, max_redirects=max_redirects) as response,
        ):
            _check_status(response)
            declared = _check_content_type(response)
            body = await _read_capped(response, max_bytes)
            return FetchedPage(
                str(response.url), _decode(body, response.charset), declared in _HTML_TYPES
            )
    except FetchError:
        raise
    except aiohttp.TooManyRedirects:
        raise FetchError(f"more than {max_redirects} redirects") from None
    except TimeoutError:  # aiohttp's timeouts are TimeoutError subclasses
        raise FetchError(f"no complete answer within {total_seconds:g} seconds") from None
    except aiohttp.InvalidURL:
        raise FetchError("not a valid web address") from None
    except aiohttp.ClientConnectorError as exc:
        raise FetchError(_connect_problem(exc)) from None
    except aiohttp.ClientError as exc:
        raise FetchError(f"download failed ({type(exc).__name__}: {exc})") from None


def _check_status(response: aiohttp.ClientResponse) -> None:
    if response.status >= 400:
        reason = f" {response.reason}" if response.reason else ""
        raise FetchError(f"the server answered HTTP {response.status}{reason}")


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


def _decode(body: bytes, charset: str | None) -> str:
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
