"""Interface text in more than one language. English lives in the code (command specs) and in
``locales/en.yaml``; every other language is one file in ``locales/``, named for Discord's
locale code, with the same keys. A missing key falls back to English, never to an error."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml

DEFAULT_LOCALE = "en"


@functools.cache
def _locale_file(locale: str) -> dict[str, Any]:
    """The parsed file for ``locale`` (``{}`` when there is none)."""
    name = f"{locale}.yaml"
    folder = resources.files("bot.answering") / "locales"
    path = folder / name
    if not path.is_file():
        return {}
    loaded = yaml.safe_load(path.read_text("utf-8"))
    return loaded if isinstance(loaded, dict) else {}


def available_locales() -> tuple[str, ...]:
    """Every locale with a file, English first."""
    folder = resources.files("bot.answering") / "locales"
    found = sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )
    return (DEFAULT_LOCALE, *(f for f in found if f != DEFAULT_LOCALE))


def language_of(locale: str | None) -> str:
    """Discord's locale (``ko``, ``en-US``, ``zh-TW``) -> the file to use (``ko``, ``en``)."""
    if not locale:
        return DEFAULT_LOCALE
    if _locale_file(locale):
        return locale
    base = locale.split("-")[0]
    return base if _locale_file(base) else DEFAULT_LOCALE


def lookup(locale: str, *path: str) -> str | None:
    """The text at ``path`` in ``locale``'s file, or None."""
    node: Any = _locale_file(locale)
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node if isinstance(node, str) else None


def command_text(locale: str, command: str, what: str) -> str | None:
    """A command's localized ``name`` or ``description``."""
    return lookup(locale, "commands", command, what)


def option_text(locale: str, command: str, option: str, what: str) -> str | None:
    """An option's localized ``name`` or ``description`` (a command may override it)."""
    return lookup(locale, "command_options", command, option, what) or lookup(
        locale, "options", option, what
    )


def text(key: str, locale: str | None = None, **values: Any) -> str:
    """An interface string, e.g. ``text("field.year", "ko")``; ``{name}`` placeholders are
    filled from ``values``."""
    language = language_of(locale)
    template = lookup(language, "text", *key.split(".")) or lookup(
        DEFAULT_LOCALE, "text", *key.split(".")
    )
    if template is None:
        raise KeyError(f"no interface text {key!r}")
    return template.format(**values) if values else template
