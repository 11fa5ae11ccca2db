"""A local stand-in for TMDB's API v3, on 127.0.0.1 in a background thread.

It answers the routes ``drama-bot enrich`` uses, with TMDB's documented shapes and errors
(https://developer.themoviedb.org/reference):

- ``GET /3/search/tv`` (``query`` required; ``first_air_date_year``, ``year``, ``language``,
  ``page``, ``include_adult``): matches ``name``, ``original_name`` and other known names;
- ``GET /3/tv/{series_id}`` with ``append_to_response`` (comma separated, at most 20; the
  appended answers appear under their own names, e.g. ``aggregate_credits`` and
  ``watch/providers``; unknown names are ignored, as TMDB does);
- ``GET /3/tv/{series_id}/watch/providers`` and ``/aggregate_credits``;
- ``GET /3/person/{person_id}/translations``.

Authentication as TMDB does it: a v3 key in the ``api_key`` query parameter, or a v4 read
access token as ``Authorization: Bearer``. Anything else is 401 with TMDB's error body
(``status_code`` 7). Unknown ids are 404 (``status_code`` 34). Faults on demand: 429 with
``Retry-After`` (``status_code`` 25), 5xx, and slow answers (for time-outs).

Every request is recorded (path, query without the key, how it authenticated); parameters
TMDB does not define for a route are recorded as ``violations`` so a typo in the client shows.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .shows import Person, Show, default_shows, person_translations

API_KEY = "standin-v3-key-0123456789abcdef"
READ_TOKEN = "standin.v4.token-ABCDEFGHIJKLMNOPQRSTUVWXYZ"

_ERRORS = {
    401: (7, "Invalid API key: You must be granted a valid key."),
    404: (34, "The resource you requested could not be found."),
    429: (25, "Your request count (#) is over the allowed limit of (40)."),
    500: (11, "Internal error: Something went wrong, contact TMDB."),
    503: (9, "Service offline: This service is temporarily offline, try again later."),
}
_SEARCH_PARAMS = {"query", "first_air_date_year", "year", "language", "page", "include_adult"}
_DETAILS_PARAMS = {"append_to_response", "language"}
_APPENDABLE = {
    "aggregate_credits": Show.aggregate_credits,
    "watch/providers": Show.watch_providers,
}


@dataclass
class Fault:
    path_prefix: str
    times: int
    status: int | None = None  # an error status to answer with
    retry_after: str | None = None
    delay: float = 0.0  # seconds before answering (longer than the client's time-out: a hang)
    html: str | None = None  # answer this page (text/html) instead of TMDB's JSON error


@dataclass
class Request:
    path: str
    query: dict[str, str]  # without api_key
    auth: str  # "api_key", "bearer" or "none"
    status: int = 0


@dataclass
class TmdbStandIn:
    shows: list[Show] = field(default_factory=default_shows)
    requests: list[Request] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    port: int = 0
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/3"

    # ------------------------------------------------------------------ control

    def fail(
        self,
        path_prefix: str,
        status: int,
        *,
        times: int = 1,
        retry_after: str | None = None,
        html: str | None = None,
    ) -> None:
        """Answer the next ``times`` requests under ``path_prefix`` with ``status`` (and, with
        ``html``, that page instead of JSON: what a proxy or captive portal sends)."""
        self.faults.append(Fault(path_prefix, times, status, retry_after, html=html))

    def stall(self, path_prefix: str, seconds: float, *, times: int = 1) -> None:
        """Answer the next ``times`` requests under ``path_prefix`` only after ``seconds``."""
        self.faults.append(Fault(path_prefix, times, delay=seconds))

    def show(self, show_id: int) -> Show:
        return next(s for s in self.shows if s.id == show_id)

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    # ------------------------------------------------------------------ life cycle

    def start(self) -> None:
        ready = threading.Event()

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            app = web.Application()
            app.router.add_get("/3/search/tv", self._search)
            app.router.add_get("/3/tv/{id}", self._details)
            app.router.add_get("/3/tv/{id}/watch/providers", self._providers)
            app.router.add_get("/3/tv/{id}/aggregate_credits", self._credits)
            app.router.add_get("/3/person/{id}/translations", self._translations)
            self._runner = web.AppRunner(app, access_log=None)
            loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            loop.run_until_complete(site.start())
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._runner.cleanup())
            loop.close()

        self._thread = threading.Thread(target=serve, name="tmdb-standin", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the TMDB stand-in did not start")

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    # ------------------------------------------------------------------ helpers

    def _error(self, status: int, request: Request, headers: dict[str, str] | None = None) -> Any:
        code, message = _ERRORS.get(status, (11, "Internal error: Something went wrong."))
        request.status = status
        return web.json_response(
            {"status_code": code, "status_message": message, "success": False},
            status=status,
            headers=headers,
        )

    async def _gate(
        self, http: web.Request, allowed: set[str]
    ) -> tuple[Request, web.Response | None]:
        """Record the request, check the key, apply faults; a response means: answer that."""
        query = dict(http.query)
        key = query.pop("api_key", None)
        bearer = http.headers.get("Authorization", "")
        auth = "api_key" if key is not None else "bearer" if bearer else "none"
        request = Request(http.path, query, auth)
        self.requests.append(request)
        for name in sorted(set(query) - allowed):
            self.violations.append(f"{http.path}: TMDB defines no parameter {name!r} here")
        for fault in self.faults:
            if fault.times > 0 and http.path.startswith(fault.path_prefix):
                fault.times -= 1
                if fault.delay:
                    await asyncio.sleep(fault.delay)
                if fault.status is not None and fault.html is not None:
                    request.status = fault.status
                    return request, web.Response(
                        status=fault.status, text=fault.html, content_type="text/html"
                    )
                if fault.status is not None:
                    headers = {"Retry-After": fault.retry_after} if fault.retry_after else None
                    return request, self._error(fault.status, request, headers)
                break
        authorized = key == API_KEY if key is not None else bearer == f"Bearer {READ_TOKEN}"
        if not authorized:
            return request, self._error(401, request)
        return request, None

    def _ok(self, request: Request, body: dict[str, Any]) -> web.Response:
        request.status = 200
        return web.json_response(body)

    def _find(self, raw: str) -> Show | None:
        try:
            show_id = int(raw)
        except ValueError:
            return None
        return next((s for s in self.shows if s.id == show_id), None)

    def _person(self, raw: str) -> Person | None:
        for show in self.shows:
            for person, _ in show.cast:
                if str(person.id) == raw:
                    return person
        return None

    # ------------------------------------------------------------------ routes

    async def _search(self, http: web.Request) -> web.Response:
        request, refused = await self._gate(http, _SEARCH_PARAMS)
        if refused is not None:
            return refused
        query = " ".join(request.query.get("query", "").casefold().split())
        if not query:
            return self._ok(
                request, {"page": 1, "results": [], "total_pages": 1, "total_results": 0}
            )
        year = request.query.get("first_air_date_year")
        if year is not None and not (year.isdigit() and 1000 <= int(year) <= 9999):
            self.violations.append(f"first_air_date_year must be 1000..9999, got {year!r}")
        found = [
            show
            for show in self.shows
            if any(
                query.replace(" ", "") in name.casefold().replace(" ", "")
                for name in (show.name, show.original_name, *show.also_known_as)
            )
            and (year is None or show.first_air_date.startswith(year))
        ]
        found.sort(key=lambda s: -s.popularity)
        results = [s.search_result() for s in found]
        return self._ok(
            request,
            {"page": 1, "results": results, "total_pages": 1, "total_results": len(results)},
        )

    async def _details(self, http: web.Request) -> web.Response:
        request, refused = await self._gate(http, _DETAILS_PARAMS)
        if refused is not None:
            return refused
        show = self._find(http.match_info["id"])
        if show is None:
            return self._error(404, request)
        body = show.details()
        wanted = [w.strip() for w in request.query.get("append_to_response", "").split(",")]
        wanted = [w for w in wanted if w]
        if len(wanted) > 20:
            self.violations.append("append_to_response takes at most 20 items")
        for name in wanted:
            if name in _APPENDABLE:
                body[name] = _APPENDABLE[name](show)
        return self._ok(request, body)

    async def _providers(self, http: web.Request) -> web.Response:
        request, refused = await self._gate(http, set())
        if refused is not None:
            return refused
        show = self._find(http.match_info["id"])
        return (
            self._error(404, request) if show is None else self._ok(request, show.watch_providers())
        )

    async def _credits(self, http: web.Request) -> web.Response:
        request, refused = await self._gate(http, {"language"})
        if refused is not None:
            return refused
        show = self._find(http.match_info["id"])
        return (
            self._error(404, request)
            if show is None
            else self._ok(request, show.aggregate_credits())
        )

    async def _translations(self, http: web.Request) -> web.Response:
        request, refused = await self._gate(http, set())
        if refused is not None:
            return refused
        person = self._person(http.match_info["id"])
        if person is None:
            return self._error(404, request)
        return self._ok(request, person_translations(person))
