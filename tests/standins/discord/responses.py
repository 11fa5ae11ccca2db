"""HTTP answers shaped like Discord's (exact ``Content-Type: application/json``, ``Via``,
204 with an empty body, error bodies with ``code``/``message``/``errors``)."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

# Discord sits behind a proxy that adds ``Via``; discord.py treats a 429 *without* it as
# a Cloudflare ban and gives up instead of retrying.
BASE_HEADERS = {"Via": "1.1 google"}


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> web.Response:
    merged = {**BASE_HEADERS, **(headers or {}), "Content-Type": "application/json"}
    payload = json.dumps(body, separators=(",", ":")).encode()
    return web.Response(status=status, body=payload, headers=merged)


def empty_response(headers: dict[str, str] | None = None, status: int = 204) -> web.Response:
    return web.Response(status=status, headers={**BASE_HEADERS, **(headers or {})})


def error_body(code: int, message: str, errors: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"message": message, "code": code}
    if errors:
        body["errors"] = errors
    return body


def error_response(
    status: int,
    code: int,
    message: str,
    errors: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> web.Response:
    return json_response(status, error_body(code, message, errors), headers)


# Frequently used Discord errors: (status, code, message).
UNKNOWN_APPLICATION = (404, 10002, "Unknown Application")
UNKNOWN_CHANNEL = (404, 10003, "Unknown Channel")
UNKNOWN_GUILD = (404, 10004, "Unknown Guild")
UNKNOWN_MEMBER = (404, 10007, "Unknown Member")
UNKNOWN_MESSAGE = (404, 10008, "Unknown Message")
UNKNOWN_USER = (404, 10013, "Unknown User")
UNKNOWN_WEBHOOK = (404, 10015, "Unknown Webhook")
UNKNOWN_COMMAND = (404, 10063, "Unknown application command")
UNKNOWN_INTERACTION = (404, 10062, "Unknown interaction")
ALREADY_ACKNOWLEDGED = (400, 40060, "Interaction has already been acknowledged.")
MISSING_ACCESS = (403, 50001, "Missing Access")
MISSING_PERMISSIONS = (403, 50013, "Missing Permissions")
THREAD_ARCHIVED = (400, 50083, "Thread is archived")
INVALID_WEBHOOK_TOKEN = (401, 50027, "Invalid Webhook Token")
INVALID_FORM_BODY = (400, 50035, "Invalid Form Body")
INVALID_JSON = (400, 50109, "The request body contains invalid JSON.")
EMPTY_MESSAGE = (400, 50006, "Cannot send an empty message")
UNAUTHORIZED = (401, 0, "401: Unauthorized")
NOT_FOUND = (404, 0, "404: Not Found")
METHOD_NOT_ALLOWED = (405, 0, "405: Method Not Allowed")
