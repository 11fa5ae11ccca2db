"""The slash commands as data: names, descriptions and options, shared by both front ends.

The Discord cogs and the offline ``drama-bot ask`` read the same specs, so a command line such
as ``/stream crash landing on you region:KR`` means exactly what the slash command would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from bot import process_caches
from bot.answering import i18n
from bot.answering.escaping import query_echo
from bot.answering.i18n import CommaList, Phrase, Sayable
from bot.answering.regions import lookup_region
from bot.process_caches import cached


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
    STORY = "story"  # words of a drama's story ("zombies school"): bot/answering/story_search.py


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
            "Browse dramas by genre, network, year, actor or story, a page at a time",
            (
                _GENRE,
                _NETWORK,
                _YEAR,
                OptionSpec(
                    "actor", "Only dramas with this actor", OptionKind.ACTOR, required=False
                ),
                OptionSpec(
                    "about",
                    'Dramas whose story is about these words ("zombies school")',
                    OptionKind.STORY,
                    required=False,
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
                    "True: answer publicly in every channel again (False changes nothing)",
                    OptionKind.FLAG,
                    required=False,
                ),
            ),
            admin=True,
            example="/settings region:KR",
        ),
        CommandSpec(
            "reload",
            "Re-read the review cards from disk",
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
    """A command line that does not name a command or misses a required option; ``phrase``
    says so in any language (``str(error)`` is the English)."""

    def __init__(self, phrase: Phrase) -> None:
        super().__init__(str(phrase))
        self.phrase = phrase


@dataclass(frozen=True, slots=True)
class Invocation:
    """One command with its option values, as Discord would deliver it."""

    name: str
    options: dict[str, str] = field(default_factory=dict)


class OptionName(Sayable):
    """An option's name (``title``), said as the reader's Discord shows it (``제목``)."""

    command: str

    def __new__(cls, command: str, option: str) -> OptionName:
        self = super().__new__(cls, option)
        self.command = command
        return self

    def said(self, locale: str | None) -> str:
        return i18n.option_text(i18n.language_of(locale), self.command, str(self), "name") or str(
            self
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (OptionName, (self.command, str(self)))


class CommandLine(Sayable):
    """A command line to type (``/stream Run On region:US``), said with the command and option
    names the reader's Discord shows (``/스트리밍 Run On 지역:US``); ``ask`` reads both."""

    __slots__ = ()

    def said(self, locale: str | None) -> str:
        language = i18n.language_of(locale)
        line = str(self)
        if language == i18n.DEFAULT_LOCALE:
            return line
        head, _, rest = line.partition(" ")
        spec = COMMANDS[_command_names()[head.removeprefix("/").casefold()]]
        words = [f"/{i18n.command_name(spec.name, language)}"]
        if not rest:  # "/drama": a name, not a whole command line
            return words[0]
        invocation = parse_command_line(line)
        for option in spec.options:
            value = invocation.options.get(option.name)
            if not value:
                continue
            if option is spec.options[0] and not rest.startswith(f"{option.name}:"):
                words.append(value)
            else:
                words.append(f"{OptionName(spec.name, option.name).said(language)}:{value}")
        return " ".join(words)


@cached
def _command_names() -> dict[str, str]:
    """Every command's name in every language (casefolded) -> its English name: Discord
    delivers ``/드라마`` as ``drama``, and ``ask`` reads it the same way."""
    names = {}
    for language in reversed(i18n.available_locales()):  # English wins any clash
        for name in COMMANDS:
            names[i18n.command_name(name, language).casefold()] = name
    return names


@cached
def _option_names(command: str) -> dict[str, str]:
    """Each option of ``command`` by its name in every language (casefolded) -> English."""
    names = {}
    for language in reversed(i18n.available_locales()):
        for option in COMMANDS[command].options:
            shown = i18n.option_text(language, command, option.name, "name") or option.name
            names[shown.casefold()] = option.name
    return names


@cached
def _options_pattern(command: str) -> re.Pattern[str] | None:
    """``name:value`` for the options other commands have and ``command`` does not (in every
    language), at the start of a word and with no space after the colon (``Name: Part 2`` in
    a title is a subtitle, ``year:2020`` an option); None when there are none."""
    own = _option_names(command)
    others = {name for other in COMMANDS for name in _option_names(other)} - own.keys()
    if not others:
        return None
    names = "|".join(re.escape(o) for o in sorted(others, key=len, reverse=True))
    return re.compile(rf"(?:^|\s)({names}):(?=\S)", re.IGNORECASE)


def _every_name() -> None:
    _command_names()
    for command in COMMANDS:
        _options_pattern(command)


process_caches.register(remake=_every_name)  # (what the first answers read)


def unknown_option(command: str, text: str) -> Phrase | None:
    """What to say when ``text`` (a command line's rest, or a title typed in Discord) writes an
    option ``command`` does not have (``year:2020``): the option as typed and the command's
    own options. None when it writes none. Such text is never searched for as a title."""
    pattern = _options_pattern(command)
    found = pattern.search(text) if pattern is not None else None
    if found is None:
        return None
    spec = COMMANDS[command]
    return Phrase(
        "usage.unknown_option",
        command=i18n.CommandName(spec.name),
        typed=query_echo(found.group(1), 32),
        options=CommaList(OptionName(spec.name, o.name) for o in spec.options),
    )


def parse_command_line(line: str) -> Invocation:
    """``/stream Run On region:US`` -> ``Invocation("stream", {"title": "Run On", "region": "US"})``

    Named options use Discord's ``name:value`` form; the rest of the line fills the command's
    first option, so ``/drama crash landing on you`` needs no ``title:``.
    """
    # A byte order mark (a file saved by a Windows editor) and no-break spaces (text pasted
    # from the web) are not part of what was typed.
    text = " ".join(line.replace("\ufeff", "").split())
    if not text.startswith("/"):
        if text.split(" ", 1)[0].casefold() not in _command_names():
            raise UsageError(
                Phrase(
                    "usage.no_slash",
                    typed=query_echo(text, 40),
                    example=CommandLine("/drama Run On"),
                )
            )
        text = "/" + text  # "drama Run On": the slash is implied
    head, _, rest = text[1:].partition(" ")
    name = _command_names().get(head.casefold(), head.casefold())
    spec = COMMANDS.get(name)
    if spec is None:
        known = CommaList(CommandLine(f"/{n}") for n in COMMANDS)
        raise UsageError(
            Phrase("usage.unknown_command", typed=query_echo(head, 32), commands=known)
        )
    options: dict[str, str] = {}
    if spec.options:
        option_names = _option_names(spec.name)
        names = "|".join(re.escape(o) for o in sorted(option_names, key=len, reverse=True))
        pattern = re.compile(rf"(?:^|\s)({names}):\s*", re.IGNORECASE)
        pieces = pattern.split(" " + rest)
        free = pieces[0].strip()
        for option_name, value in zip(pieces[1::2], pieces[2::2], strict=True):
            options[option_names[option_name.casefold()]] = value.strip()
        if (stray := unknown_option(spec.name, rest)) is not None:
            raise UsageError(stray)
        first = spec.options[0]
        if free:
            if first.name in options:
                options[first.name] = f"{free} {options[first.name]}".strip()
            else:
                options[first.name] = free
        elif first.required and first.name not in options:
            _fill_first_from_the_rest(spec, options)
    for option in spec.options:
        if option.required and not options.get(option.name, "").strip():
            # Text with no letter or digit in it ("😀", "???") is answered as such: the asker
            # did type something, just nothing to look up.
            example = CommandLine(spec.example or f"/{spec.name} Run On")
            raise UsageError(
                Phrase(
                    "usage.needs_option",
                    command=i18n.CommandName(spec.name),
                    option=OptionName(spec.name, option.name),
                    example=example,
                )
            )
        if option.kind is OptionKind.FLAG and option.name in options:
            value = options[option.name].casefold()
            if value not in FLAG_VALUES:
                raise UsageError(
                    Phrase(
                        "usage.not_a_flag",
                        command=i18n.CommandName(spec.name),
                        option=OptionName(spec.name, option.name),
                    )
                )
            options[option.name] = "true" if FLAG_VALUES[value] else "false"
    return Invocation(name, {k: v for k, v in options.items() if v})


def _fill_first_from_the_rest(spec: CommandSpec, options: dict[str, str]) -> None:
    """``/stream region:US crash landing on you``: no title was named, so the words after the
    last named option's value fill the first option. In Discord every option is its own field;
    on one line the value a named option can take is read by its kind (a region is the
    longest run of words that names a country, anything else one word)."""
    named = [o for o in spec.options if o.name in options]
    if not named:
        return
    last = max(named, key=lambda o: list(options).index(o.name))
    words = options[last.name].split()
    if len(words) < 2:
        return
    take = 1
    if last.kind is OptionKind.REGION:
        for size in range(min(len(words) - 1, 4), 0, -1):
            if lookup_region(" ".join(words[:size])).country is not None:
                take = size
                break
    options[last.name] = " ".join(words[:take])
    options[spec.options[0].name] = " ".join(words[take:])


FLAG_VALUES = {"true": True, "false": False, "yes": True, "no": False}


def flag(invocation: Invocation, name: str) -> bool:
    """The value of a true/false option (false when not given)."""
    return invocation.options.get(name) == "true"
