"""Text from users and cards made safe to show in Discord: markdown neutralized, mentions
defused, long text cut at a word (pure). Everything that echoes what someone typed goes through
:func:`query_echo`, wherever the sentence is built (answers, discovery, front end)."""

from __future__ import annotations

import re
import unicodedata

from bot.text import without_unsafe_chars

QUERY_ECHO_LIMIT = 80

_MARKDOWN = re.compile(r"([\\*_~`|\[\]<>#])")
_LINE_START = re.compile(r"(?m)^(\s*)(?:([-+])|(\d+)\.)(?=\s)")
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


_YEAR_AT_END = re.compile(r" \((?:19|20)\d\d\)\Z")


def cut_label(label: str, limit: int) -> str:
    """A ``Title (year)`` label cut to ``limit`` characters at a word of the title, keeping
    the year (what tells a drama from its remake); other text as :func:`cut` does."""
    year = _YEAR_AT_END.search(label)
    if len(label) <= limit or year is None or limit <= len(year.group()) + 1:
        return cut(label, limit)
    return cut(label[: year.start()], limit - len(year.group())) + year.group()


def cut(text: str, limit: int) -> str:
    """Shorten to at most ``limit`` characters at a word boundary, marked with an ellipsis."""
    if len(text) <= limit:
        return text
    if limit <= 1:
        return "…"[:limit]
    head = text[: limit - 1]
    while head and (_joins_the_previous(text[len(head)]) or head[-1] == _ZWJ):
        head = head[:-1]  # (never half a character: "é" typed as e + U+0301, an emoji family)
    space = head.rfind(" ")
    if space >= limit * 0.5:
        head = head[:space]
    head = head.rstrip(" ,;:-")
    if head.endswith("\\"):  # never leave a dangling escape
        head = head[:-1]
    return head + "…"


_ZWJ = "\u200d"


def _joins_the_previous(char: str) -> bool:
    """A combining mark, a joiner, a variation selector or a skin tone: part of the
    character before it as the reader sees it."""
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me")
        or char == _ZWJ
        or "\ufe00" <= char <= "\ufe0f"
        or "\U0001f3fb" <= char <= "\U0001f3ff"
    )


def query_echo(query: str, limit: int = QUERY_ECHO_LIMIT) -> str:
    """A user's text quoted back: one line, no control or bidirectional characters, markdown
    escaped, at most ``limit`` characters (before escaping)."""
    return escape(cut(" ".join(without_unsafe_chars(query).split()), limit))


def trimmed_query(query: str) -> str:
    """A query as it is quoted back: spaces collapsed, and quotes, markdown or ``<placeholder>``
    brackets dropped only where they wrap the whole query as a pair (``"run away"``,
    ``**run away**``, ``<run away>``). Anything else is kept as typed, to be escaped whole:
    ``**bold** glory`` and ``<script>x</script>`` are never half-stripped, and a mention at
    either end keeps both its brackets (``<@123> xyz``)."""
    text = " ".join(query.split())
    while len(text) > 1 and not (_TOKEN_AT_START.match(text) or _TOKEN_AT_END.search(text)):
        inner = _unwrapped(text)
        if inner is None:
            break
        text = inner
    return text


# Pairs that may wrap a whole query, longest first: quotes, markdown, placeholder brackets.
_WRAPPERS = (
    *((mark, mark) for mark in ("**", "__", "~~", "||", '"', "'", "`", "*", "_")),
    ("“", "”"),
    ("‘", "’"),
    ("<", ">"),
)


def _unwrapped(text: str) -> str | None:
    """``text`` without the pair wrapping it whole (and the spaces inside it), or None when no
    pair does: both ends must carry it and the inside must not hold it again."""
    for opening, closing in _WRAPPERS:
        if len(text) <= len(opening) + len(closing):
            continue
        if text.startswith(opening) and text.endswith(closing):
            inner = text[len(opening) : -len(closing)]
            if opening not in inner and closing not in inner and inner.strip():
                return inner.strip()
    return None
