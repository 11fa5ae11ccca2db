"""The slash commands as data: names, descriptions and options, shared by both front ends.

The Discord cogs and the offline ``drama-bot ask`` read the same specs, so a command line such
as ``/stream crash landing on you region:KR`` means exactly what the slash command would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class OptionKind(StrEnum):
    TITLE = "title"
    ACTOR = "actor"
    REGION = "region"
    FLAG = "flag"  # true or false (a Discord boolean option)


@dataclass(frozen=True, slots=True)
class OptionSpec:
    name: str
    description: str
    kind: OptionKind
    required: bool = True


@dataclass(frozen=True, slots=True)
class CommandSpec:
    name: str
    description: str
    options: tuple[OptionSpec, ...] = ()
    admin: bool = False


_TITLE = OptionSpec(
    "title", "The drama's title (typos, aliases and Hangul are fine)", OptionKind.TITLE
)

COMMANDS: dict[str, CommandSpec] = {
    spec.name: spec
    for spec in (
        CommandSpec(
            "drama", "Everything about a drama: facts, cast, streaming and the review", (_TITLE,)
        ),
        CommandSpec("cast", "A drama's main cast and their roles, in billing order", (_TITLE,)),
        CommandSpec(
            "stream",
            "Where to watch a drama",
            (
                _TITLE,
                OptionSpec(
                    "region",
                    "Two-letter country code to check, such as US or KR",
                    OptionKind.REGION,
                    required=False,
                ),
            ),
        ),
        CommandSpec("rating", "The review's scores for a drama", (_TITLE,)),
        CommandSpec("similar", "Dramas like this one: the review's picks, then ours", (_TITLE,)),
        CommandSpec(
            "actor",
            "The dramas an actor appears in, with their roles",
            (OptionSpec("name", "The actor's name (any common spelling)", OptionKind.ACTOR),),
        ),
        CommandSpec(
            "reload",
            "Re-read the review cards from disk (admins only)",
            (
                OptionSpec(
                    "confirm",
                    "Apply even if it empties the catalog or removes more than half of it",
                    OptionKind.FLAG,
                    required=False,
                ),
            ),
            admin=True,
        ),
    )
}


class UsageError(ValueError):
    """A command line that does not name a command or misses a required option."""


@dataclass(frozen=True, slots=True)
class Invocation:
    """One command with its option values, as Discord would deliver it."""

    name: str
    options: dict[str, str] = field(default_factory=dict)


def parse_command_line(line: str) -> Invocation:
    """``/stream Run On region:US`` -> ``Invocation("stream", {"title": "Run On", "region": "US"})``

    Named options use Discord's ``name:value`` form; the rest of the line fills the command's
    first option, so ``/drama crash landing on you`` needs no ``title:``.
    """
    text = line.strip()
    if not text.startswith("/"):
        if text.split(" ", 1)[0].casefold() not in COMMANDS:
            raise UsageError(f"commands start with '/', e.g. /drama Run On (got {text[:40]!r})")
        text = "/" + text  # "drama Run On": the slash is implied
    head, _, rest = text[1:].partition(" ")
    name = head.casefold()
    spec = COMMANDS.get(name)
    if spec is None:
        known = ", ".join(f"/{n}" for n in COMMANDS)
        raise UsageError(f"unknown command /{head[:32]}; the commands are {known}")
    options: dict[str, str] = {}
    if spec.options:
        names = "|".join(re.escape(o.name) for o in spec.options)
        pattern = re.compile(rf"(?:^|\s)({names}):\s*", re.IGNORECASE)
        pieces = pattern.split(" " + rest)
        free = pieces[0].strip()
        for option_name, value in zip(pieces[1::2], pieces[2::2], strict=True):
            options[option_name.casefold()] = value.strip()
        first = spec.options[0].name
        if free:
            if first in options:
                options[first] = f"{free} {options[first]}".strip()
            else:
                options[first] = free
    for option in spec.options:
        if option.required and not options.get(option.name):
            raise UsageError(f"/{spec.name} needs a {option.name}, e.g. /{spec.name} Run On")
        if option.kind is OptionKind.FLAG and option.name in options:
            value = options[option.name].casefold()
            if value not in FLAG_VALUES:
                raise UsageError(f"/{spec.name} {option.name}: must be true or false")
            options[option.name] = "true" if FLAG_VALUES[value] else "false"
    return Invocation(name, {k: v for k, v in options.items() if v})


FLAG_VALUES = {"true": True, "false": False, "yes": True, "no": False}


def flag(invocation: Invocation, name: str) -> bool:
    """The value of a true/false option (false when not given)."""
    return invocation.options.get(name) == "true"
