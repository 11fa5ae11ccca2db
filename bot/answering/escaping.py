"""Text from users and cards made safe to show in Discord: markdown neutralized, mentions
defused, long text cut at a word (pure). Everything that echoes what someone typed goes through
:func:`query_echo`, wherever the sentence is built (answers, discovery, front end)."""

from __future__ import annotations

import re

from bot.text import without_unsafe_chars

QUERY_ECHO_LIMIT = 80

_MARKDOWN = re.compile(r"([\\*_~`|\[\]<>#])")
_LINE_START = re.compile(r"(?m)^(\s*)(?:([-+])|(\d+)\.)(?=\s)")
# What surrounds a query without being part of it (quotes, markdown, <placeholder> brackets).
_AROUND_QUERY = " \"'“”‘’`*_~|<>"
# Discord's mention-like tokens: users, roles, channels, commands, emoji, timestamps.
_TOKEN = r"<(?:@[!&]?|#|/[^<>:]+:|a?:\w+:|t:)\d+(?::[A-Za-z])?>"
_TOKEN_AT_START = re.compile(_TOKEN)
_TOKEN_AT_END = re.compile(_TOKEN + r"\Z")


def escape(text: str) -> str:
    """Card or user text shown literally: markdown neutralized, mentions defused.

    ``allowed_mentions`` already stops pings; the zero-width space also keeps ``@everyone``
    from *looking* like a mention.
    """
    text = _MARKDOWN.sub(r"\\\1", text)
    text = _LINE_START.sub(_escape_line_start, text)
    return text.replace("@", "@\u200b")


def _escape_line_start(match: re.Match[str]) -> str:
    """``- item`` -> ``\\- item``, ``1. item`` -> ``1\\. item``: Discord drops a backslash only
    before punctuation, so a list number is escaped at its dot."""
    indent, bullet, number = match.groups()
    return f"{indent}\\{bullet}" if bullet else f"{indent}{number}\\."


def cut(text: str, limit: int) -> str:
    """Shorten to at most ``limit`` characters at a word boundary, marked with an ellipsis."""
    if len(text) <= limit:
        return text
    if limit <= 1:
        return "…"[:limit]
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space >= limit * 0.5:
        head = head[:space]
    head = head.rstrip(" ,;:-")
    if head.endswith("\\"):  # never leave a dangling escape
        head = head[:-1]
    return head + "…"


def query_echo(query: str, limit: int = QUERY_ECHO_LIMIT) -> str:
    """A user's text quoted back: one line, no control or bidirectional characters, markdown
    escaped, at most ``limit`` characters (before escaping)."""
    return escape(cut(" ".join(without_unsafe_chars(query).split()), limit))


def trimmed_query(query: str) -> str:
    """A query as it is quoted back: spaces collapsed and the quotes or markdown around it
    dropped, but never a bracket of a mention at either end (``<@123> xyz`` stays whole)."""
    text = " ".join(query.split())
    start, end = 0, len(text)
    while start < end and text[start] in _AROUND_QUERY:
        if _TOKEN_AT_START.match(text, start, end):
            break
        start += 1
    while end > start and text[end - 1] in _AROUND_QUERY:
        if _TOKEN_AT_END.search(text, start, end):
            break
        end -= 1
    return text[start:end]
