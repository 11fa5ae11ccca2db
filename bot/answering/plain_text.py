"""A readable terminal rendering of a Discord message payload (for ``drama-bot ask``)."""

from __future__ import annotations

import datetime
import functools
import re
import time
from typing import Any

from bot.answering.i18n import text

# One left-to-right pass, so it undoes exactly what render.escape did: an escaped character
# comes back as itself, an unescaped ``**`` (our bold) goes, ``@`` + zero-width space is ``@``,
# and a Discord timestamp we wrote (``<t:1795633129:R>``; never one a user typed, which is
# escaped) becomes a date in UTC, or for the relative style (``:R``) what Discord shows: a
# count from now ("in 10 seconds", "3 hours ago").
_MARKUP = re.compile(r"\\([\\*_~`|\[\]<>#+\-.])|\*\*|@\u200b|<t:(-?\d{1,12})(?::([tTdDfFR]))?>")

# Up to (not including) how many seconds each unit is used, as Discord's relative style does.
_UNITS = (("seconds", 1, 120), ("minutes", 60, 2 * 3600), ("hours", 3600, 48 * 3600))


def _unmark(match: re.Match[str], locale: str | None, now: float) -> str:
    if match.group(1) is not None:
        return match.group(1)
    if match.group(2) is not None:
        seconds = int(match.group(2))
        if match.group(3) == "R":
            return _relative(seconds - now, locale)
        return _utc(seconds) or match.group()
    return "@" if match.group() != "**" else ""


def _relative(delta: float, locale: str | None) -> str:
    """``in 10 seconds``, ``3 hours ago`` (in the reader's language)."""
    span = abs(delta)
    unit, size = "days", 86400
    for name, length, below in _UNITS:
        if span < below:
            unit, size = name, length
            break
    count = max(round(span / size), 1 if unit == "seconds" and span else 0)
    return text(f"time.{'in' if delta >= 0 else 'ago'}_{unit}", locale, count=count)


def _utc(seconds: int) -> str | None:
    """``2026-11-25 14:32 UTC`` (None when the number is no date Python can show)."""
    try:
        moment = datetime.datetime.fromtimestamp(seconds, datetime.UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def payload_to_text(
    payload: dict[str, Any], locale: str | None = None, *, now: float | None = None
) -> str:
    """The message as text; relative times are counted from ``now`` (the current time)."""
    unmark = functools.partial(_unmark, locale=locale, now=time.time() if now is None else now)

    def _plain(shown: str) -> str:
        return _MARKUP.sub(unmark, shown)

    lines: list[str] = []
    if payload.get("flags", 0) & 64:
        lines.append(text("ask.private", locale))
    if payload.get("content"):
        lines.append(_plain(payload["content"]))
    for embed in payload.get("embeds", []):
        lines.append(f"== {_plain(embed.get('title', ''))} ==")
        if embed.get("description"):
            lines.append(_plain(embed["description"]))
        for item in embed.get("fields", []):
            value = _plain(item["value"])
            if "\n" in value:
                lines.append(f"{_plain(item['name'])}:")
                lines.extend(f"  {line}" for line in value.splitlines())
            else:
                lines.append(f"{_plain(item['name'])}: {value}")
        if embed.get("footer", {}).get("text"):
            lines.append(f"-- {_plain(embed['footer']['text'])}")
    for row in payload.get("components", []):
        for component in row.get("components", []):
            if component.get("type") == 2 and component.get("url"):
                lines.append(f"[{component.get('label', 'link')}] {component['url']}")
            if component.get("type") == 3:
                lines.append(f"[{component.get('placeholder', 'choose')}]")
                for option in component.get("options", []):
                    lines.append(f"  - {option['label']}  ({option['value']})")
    return "\n".join(lines)
