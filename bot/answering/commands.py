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
    GENRE = "genre"
    NETWORK = "network"
    YEAR = "year"
    RANKING = "ranking"  # what /top ranks by
    CHANNEL = "channel"
    FLAG = "flag"  # true or false


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
    example: str = ""  # one line for /help, e.g. "/drama Run On"


_TITLE = OptionSpec(
    "title", "The drama's title (typos, aliases and Hangul are fine)", OptionKind.TITLE
)

_GENRE = OptionSpec(
    "genre", "Only dramas with this genre, such as romance", OptionKind.GENRE, required=False
)
_NETWORK = OptionSpec(
    "network", "Only dramas first shown on this network, such as tvN", OptionKind.NETWORK, False
)
_YEAR = OptionSpec(
    "year", "Only dramas first aired this year (2020) or decade (2010s)", OptionKind.YEAR, False
)
_ACTOR = OptionSpec("name", "The actor's name (any common spelling)", OptionKind.ACTOR)

COMMANDS: dict[str, CommandSpec] = {
    spec.name: spec
    for spec in (
        CommandSpec(
            "drama",
            "Everything about a drama: facts, cast, streaming and the review",
            (_TITLE,),
            example="/drama Crash Landing on You",
        ),
        CommandSpec(
            "cast",
            "A drama's main cast and their roles, in billing order",
            (_TITLE,),
            example="/cast Reply 1988",
        ),
        CommandSpec(
            "stream",
            "Where to watch a drama",
            (
                _TITLE,
                OptionSpec(
                    "region",
                    "Country to check: a name or code, such as US, Korea or UK",
                    OptionKind.REGION,
                    required=False,
                ),
            ),
            example="/stream Run On region:US",
        ),
        CommandSpec(
            "rating", "The review's scores for a drama", (_TITLE,), example="/rating Run On"
        ),
        CommandSpec(
            "similar",
            "Dramas like this one: the review's picks, then ours",
            (_TITLE,),
            example="/similar Start-Up",
        ),
        CommandSpec(
            "actor",
            "The dramas an actor appears in, with their roles",
            (_ACTOR,),
            example="/actor Kim Soo Hyun",
        ),
        CommandSpec(
            "random",
            "A drama picked at random, optionally by genre, network or year",
            (_GENRE, _NETWORK, _YEAR),
            example="/random genre:romance",
        ),
        CommandSpec(
            "browse",
            "Browse dramas by genre, network, year or actor, a page at a time",
            (
                _GENRE,
                _NETWORK,
                _YEAR,
                OptionSpec(
                    "actor", "Only dramas with this actor", OptionKind.ACTOR, required=False
                ),
            ),
            example="/browse network:JTBC",
        ),
        CommandSpec(
            "top",
            "The best-rated dramas, by review score or community rating",
            (
                OptionSpec(
                    "by",
                    "Rank by the review's overall score or the community rating",
                    OptionKind.RANKING,
                    required=False,
                ),
                _GENRE,
                _NETWORK,
                _YEAR,
            ),
            example="/top genre:romance",
        ),
        CommandSpec(
            "help", "What this bot can do, with an example of each command", example="/help"
        ),
        CommandSpec(
            "about", "The bot's version, catalog, data sources and status", example="/about"
        ),
        CommandSpec(
            "settings",
            "This server's settings: default streaming region, where answers are public",
            (
                OptionSpec(
                    "region",
                    "Default region for /stream here, such as US or KR ('none' to clear)",
                    OptionKind.REGION,
                    required=False,
                ),
                OptionSpec(
                    "public_channel",
                    "Answer publicly in this channel (pick it again to stop)",
                    OptionKind.CHANNEL,
                    required=False,
                ),
                OptionSpec(
                    "everywhere",
                    "True: answer publicly in every channel again",
                    OptionKind.FLAG,
                    required=False,
                ),
            ),
            admin=True,
            example="/settings region:KR",
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
            example="/reload",
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
            example = spec.example or f"/{spec.name} Run On"
            raise UsageError(f"/{spec.name} needs a {option.name}, e.g. {example}")
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
