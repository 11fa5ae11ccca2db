"""Hiding secrets in anything we print: Discord bot tokens, and interaction/webhook tokens.

A bot token is three base64url parts joined by dots: the bot's user id, a timestamp and an
HMAC (``MTA4NzY1NDMyMTA5ODc2NTQzMg.GhJkLm.…``). Whatever text leaves the process (errors,
log records, tracebacks, ``repr`` of the settings) goes through :func:`redact` first; the
user id part stays readable (it is public and tells which bot it was), the rest is hidden.
"""

from __future__ import annotations

import logging
import re
import sys
from types import TracebackType

#: A bot token: user id (base64 of 17-20 digits), timestamp, HMAC. Generous on lengths, so
#: older and newer token formats are caught.
BOT_TOKEN = re.compile(
    r"(?<![A-Za-z0-9_-])"
    r"(?P<id>[A-Za-z0-9_-]{4})[A-Za-z0-9_-]{14,36}\.[A-Za-z0-9_-]{4,12}\.[A-Za-z0-9_-]{20,120}"
    r"(?![A-Za-z0-9_-])"
)
#: Interaction and webhook tokens inside REST paths (``/webhooks/<id>/<token>``).
PATH_TOKEN = re.compile(
    r"(?P<prefix>/(?:webhooks|interactions)/\d+/)(?P<token>[A-Za-z0-9_.-]{20,})"
)
HIDDEN = "…(token hidden)"


def redact(text: str) -> str:
    """``text`` with every Discord token in it masked."""
    if "." not in text and "/" not in text:  # a token has dots; a token in a path has slashes
        return text
    text = BOT_TOKEN.sub(lambda m: m["id"] + HIDDEN, text)
    return PATH_TOKEN.sub(lambda m: m["prefix"] + HIDDEN, text)


def looks_like_token(text: str) -> bool:
    return BOT_TOKEN.search(text) is not None


class RedactingFilter(logging.Filter):
    """A handler filter that masks tokens in the message, its arguments and its traceback."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def install_log_redaction(root: logging.Logger | None = None) -> None:
    """Mask tokens in every record the root logger's handlers write, and in the traceback of
    an exception nobody caught."""
    root = root or logging.getLogger()
    for handler in root.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
    sys.excepthook = _redacting_excepthook


def _redacting_excepthook(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> None:
    import traceback

    sys.stderr.write(redact("".join(traceback.format_exception(kind, value, tb))))
