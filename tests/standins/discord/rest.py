"""The REST half: one aiohttp handler for everything under /api/v10.

For every request: record it; find the OpenAPI operation (unknown -> 404 + violation);
check the bot token where the spec requires it; apply injected rate limits (429); validate
the body against the operation's request schema and Discord's extra limits (-> 400 50035
+ violation); run the handler; check the stand-in's own answer against the response
schema (a failure there is a stand-in bug, kept in ``self_check_failures``).
"""

from __future__ import annotations

import datetime
import json
import logging
import time
from typing import Any

from aiohttp import web

from . import responses as r
from .context import RequestContext, Upload
from .gateway import GatewayHub
from .handlers_core import HANDLERS as CORE_HANDLERS
from .handlers_core import Handler
from .handlers_interactions import HANDLERS as INTERACTION_HANDLERS
from .limits import checks_for
from .ratelimits import SERVER_ERRORS, bucket_key
from .records import RecordedRequest
from .schema_validation import FieldError, errors_object
from .spec import Operation
from .state import StandInState

log = logging.getLogger("tests.standins.discord.rest")

HANDLERS: dict[str, Handler] = {**CORE_HANDLERS, **INTERACTION_HANDLERS}
_RECORDED_HEADERS = ("Authorization", "Content-Type", "User-Agent", "X-Audit-Log-Reason")


class _BadBody(Exception):
    pass


class RestApi:
    def __init__(self, state: StandInState, gateway: GatewayHub) -> None:
        self.state = state
        self.gateway = gateway

    async def handle(self, request: web.Request) -> web.StreamResponse:
        state = self.state
        prefix = state.spec.base_path
        raw_path = request.match_info.get("tail", "")
        path = "/" + raw_path
        record = RecordedRequest(
            method=request.method,
            path=path,
            query=dict(request.query),
            json=None,
            time=time.monotonic(),
            wall_time=datetime.datetime.now(datetime.UTC),
            headers={k: request.headers[k] for k in _RECORDED_HEADERS if k in request.headers},
        )
        state.requests.append(record)
        if not request.path.startswith(prefix + "/"):
            state.violate("endpoint", f"request outside {prefix}: {request.path}", request=record)
        try:
            response = await self._process(request, record)
        except Exception as exc:  # a stand-in bug: make it loud, but let the bot continue
            log.exception("stand-in failed handling %s %s", request.method, path)
            state.self_check_failed(f"{request.method} {path}: handler crashed: {exc!r}")
            response = r.error_response(503, 0, f"stand-in internal error: {exc!r}")
        record.status = response.status
        if response.body and response.content_type == "application/json":
            try:
                record.response = json.loads(response.body)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                record.response = None
        if record.interaction is not None:
            record.interaction.notify()
        state.changed.notify()
        return response

    async def _process(self, request: web.Request, record: RecordedRequest) -> web.Response:
        state = self.state
        operation, params, path_known = state.spec.match(request.method, record.path)
        route = operation.template if operation else record.path
        rate_headers = state.ratelimiter.headers(f"{request.method} {route}")
        if operation is None:
            error = r.METHOD_NOT_ALLOWED if path_known else r.NOT_FOUND
            state.violate(
                "endpoint",
                f"{request.method} {record.path} is not in Discord's "
                f"OpenAPI description -> {error[0]}",
                request=record,
            )
            return r.error_response(*error, headers=rate_headers)
        record.operation_id = operation.operation_id
        record.route = operation.template
        token = params.get("interaction_token") or params.get("webhook_token")
        if token is not None:
            interaction = state.interactions.get(token)
            if interaction is not None:
                record.interaction = interaction
                interaction.requests.append(record)

        # Body first, so it is recorded even when the request is refused below.
        try:
            body, uploads = await self._read_body(request, record)
        except _BadBody as exc:
            state.violate("schema", f"invalid JSON body: {exc}", request=record)
            return r.error_response(*r.INVALID_JSON, headers=rate_headers)

        if not operation.auth_optional:
            expected = f"Bot {state.config.token}"
            if request.headers.get("Authorization") != expected:
                state.violate(
                    "auth",
                    f"{operation.operation_id} needs 'Authorization: Bot "
                    "<token>' with the bot's token",
                    request=record,
                )
                return r.error_response(*r.UNAUTHORIZED, headers=rate_headers)

        limiter = state.ratelimiter
        bucket = bucket_key(request.method, route, params)
        hold = limiter.held(bucket)
        if hold is not None:
            record.rate_limited = True
            if hold.scope != "shared":
                state.violate(
                    "ratelimit",
                    f"{request.method} {record.path} sent {hold.until - time.monotonic():.2f}s "
                    "before the retry_after of an earlier 429 ran out (Discord counts this as "
                    "an invalid request)",
                    request=record,
                )
            headers, limited = limiter.limited(hold, f"{request.method} {route}")
            return r.json_response(429, limited, headers)
        rule = limiter.take(request.method, record.path)
        if rule is not None:
            record.rate_limited = True
            limiter.hold(bucket, rule)
            headers, limited = limiter.limited(rule, f"{request.method} {route}")
            return r.json_response(429, limited, headers)
        fault = limiter.fault(request.method, record.path)
        if fault is not None and fault.html:
            page = "<!doctype html><html><body><h1>Please sign in</h1></body></html>"
            return web.Response(status=fault.status, text=page, content_type="text/html")
        if fault is not None and not fault.after_processing:
            return r.error_response(fault.status, 0, SERVER_ERRORS[fault.status])

        refusal = self._validate(operation, body, bool(uploads), record)
        if refusal is not None:
            return r.json_response(400, refusal, rate_headers)

        handler = HANDLERS.get(operation.operation_id)
        if handler is None:
            state.violate(
                "endpoint",
                f"{operation.operation_id} ({request.method} "
                f"{operation.template}) is valid Discord API but not implemented by "
                "the stand-in -> 404",
                request=record,
            )
            return r.error_response(*r.NOT_FOUND, headers=rate_headers)
        ctx = RequestContext(
            request=request,
            record=record,
            params=params,
            body=body,
            state=state,
            gateway=self.gateway,
            route=operation.template,
            rate_headers=rate_headers,
            uploads=uploads,
        )
        response = await handler(ctx)
        self._self_check(operation, response, record)
        if fault is not None:  # done, but the answer is lost on the way back
            return r.error_response(fault.status, 0, SERVER_ERRORS[fault.status])
        return response

    async def _read_body(
        self, request: web.Request, record: RecordedRequest
    ) -> tuple[Any, list[Upload]]:
        if not request.can_read_body:
            return None, []
        content_type = request.content_type
        uploads: list[Upload] = []
        if content_type == "multipart/form-data":
            form = await request.post()
            body: Any = None
            for name, value in form.items():
                if name == "payload_json":
                    text = value if isinstance(value, str) else value.file.read().decode()
                    try:
                        body = json.loads(text)
                    except ValueError as exc:
                        raise _BadBody(f"payload_json: {exc}") from exc
                elif isinstance(value, web.FileField):
                    data = value.file.read()
                    uploads.append(Upload(value.filename, len(data), value.content_type))
            record.json = body
            record.files = [u.filename for u in uploads]
            return body, uploads
        raw = await request.read()
        if not raw:
            return None, []
        try:
            body = json.loads(raw)
        except ValueError as exc:
            raise _BadBody(str(exc)) from exc
        record.json = body
        if content_type != "application/json":
            self.state.violate(
                "schema", f"JSON body sent with Content-Type {content_type!r}", request=record
            )
        return body, []

    def problems(
        self, operation: Operation, body: Any, has_files: bool = False
    ) -> list[FieldError]:
        """Schema and rule problems of ``body`` for ``operation`` (nothing is recorded)."""
        state = self.state
        problems: list[FieldError] = []
        pointer = operation.request_schema_pointer()
        if pointer is not None:
            if body is None and operation.body_required and not has_files:
                problems.append(
                    FieldError(
                        path=(),
                        message="A request body is required.",
                        keyword="required",
                        code="BASE_TYPE_REQUIRED",
                    )
                )
            elif body is not None:
                problems.extend(state.request_validator.validate(pointer, body))
        checker = checks_for(operation.operation_id)
        if checker is not None and body is not None:
            problems.extend(checker(body, state.config.require_allowed_mentions, has_files))
        seen: set[tuple[str, str]] = set()
        unique: list[FieldError] = []
        for problem in problems:
            key = (problem.json_path, problem.code)
            if key not in seen:
                seen.add(key)
                unique.append(problem)
        return unique

    def _validate(
        self, operation: Operation, body: Any, has_files: bool, record: RecordedRequest
    ) -> dict[str, Any] | None:
        """Record every problem; return Discord's 400 body if any problem is blocking."""
        state = self.state
        unique = self.problems(operation, body, has_files)
        for problem in unique:
            kind = (
                "schema"
                if problem.keyword != "discord-rule"
                else "limit"
                if problem.blocking
                else "policy"
            )
            state.violate(kind, problem.message, request=record, json_path=problem.json_path)
        blocking = [p for p in unique if p.blocking]
        if not blocking:
            return None
        special = next((p for p in blocking if p.discord_code is not None), None)
        if special is not None and special.discord_code == r.EMPTY_MESSAGE[1]:
            return r.error_body(r.EMPTY_MESSAGE[1], r.EMPTY_MESSAGE[2])
        return r.error_body(r.INVALID_FORM_BODY[1], r.INVALID_FORM_BODY[2], errors_object(blocking))

    def _self_check(
        self, operation: Operation, response: web.Response, record: RecordedRequest
    ) -> None:
        status = response.status
        documented = operation.documented_statuses()
        if str(status) not in documented and not (400 <= status < 500 and "4XX" in documented):
            where = f"{record.method} {record.path}"
            self.state.self_check_failed(
                f"{where}: status {status} not documented for "
                f"{operation.operation_id} ({sorted(documented)})"
            )
            return
        pointer = operation.response_schema_pointer(status)
        if pointer is None or not response.body:
            return
        body = json.loads(response.body)  # type: ignore[arg-type]
        for problem in self.state.response_validator.validate(pointer, body):
            self.state.self_check_failed(
                f"{record.method} {record.path}: response does not match "
                f"{operation.operation_id} {status} "
                f"schema at {problem.json_path}: {problem.message}"
            )
