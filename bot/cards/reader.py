"""Reading and validating one card's YAML text (pure: no file access, no database).

A card is parsed to a YAML node tree first (PyYAML's C loader when libyaml is present), so
every error can name the line it comes from. Errors are collected, never raised one by one: an
admin sees every broken card at once, each as ``path:line: key: message``.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pycountry
import yaml
from rapidfuzz import fuzz, process

from bot.cards import vocabulary
from bot.cards.errors import NOTE, WARNING, CardError, Level
from bot.cards.model import (
    LINK_NAMES,
    MAX_SLUG_CHARS,
    OFFER_KINDS,
    SCORE_NAMES,
    Card,
    CastMember,
    CommunityRating,
    Links,
    Ratings,
    Review,
    StreamingOption,
    card_slug,
)
from bot.redact import redact
from bot.text import SLUG_PATTERN, UNSAFE_CHARS, is_invisible, name_key, user_before_host

try:  # libyaml is an order of magnitude faster; the pure loader is only a fallback.
    from yaml import CSafeLoader as YamlLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as YamlLoader  # type: ignore[assignment]

#: Plain scalars' tags as YAML resolves them (a few regular expressions tried in Python for
#: each): cards repeat the same keys and many of the same values ("title", "romance",
#: "tvN"), so each is resolved once per process. Bounded, values up to a short length only.
_RESOLVED: dict[tuple[object, object, object], str] = {}
_RESOLVED_MAX = 20_000
_RESOLVED_LONGEST = 64


class _CardLoader(YamlLoader):  # type: ignore[misc,valid-type]
    """The YAML loader, its resolution of tags remembered (the same tags: they depend only on
    the node's kind, its text and how it was written, for a loader without path resolvers)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        key = (kind, value, implicit)
        tag = _RESOLVED.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(_RESOLVED) < _RESOLVED_MAX and (
                value is None or len(value) <= _RESOLVED_LONGEST
            ):
                _RESOLVED[key] = tag
        return tag


CARD_SUFFIX = ".yaml"
#: How ``drama-bot import-review`` names a draft for a drama the catalog already has
#: (``start-up.review-draft.yaml``): never a card's own file name, so moving it into the
#: cards folder cannot overwrite the card it is to be merged into.
REVIEW_DRAFT_SUFFIX = ".review-draft" + CARD_SUFFIX
#: The first line of every draft ``import-review`` writes; the draft says to delete it.
DRAFT_HEADER = "# Draft card imported by `drama-bot import-review`"
MAX_KEY_SHOWN = 60
#: What a card key, or a misspelling of one, looks like: words, digits, spaces and dashes.
#: An unknown key that does not (``root:*:20228:…``: a line of some other file that YAML read
#: as a key) is named by its line only, never quoted.
_KEY_LIKE = re.compile(r"[\w .\-]+|\?")
_NOT_QUOTED = "unknown key, not quoted: it does not look like a card key (is this file a card?)"
#: An int scalar written as plain decimal digits (no sign, underscore, base or leading zero,
#: which YAML 1.1 reads as octal): its value is Python's ``int`` of the text.
_PLAIN_DECIMAL = re.compile(r"0|[1-9][0-9]*")
#: What YAML 1.1 reads as an octal number: a leading 0 (``016`` is 14).
_OCTAL = re.compile(r"[-+]?0[0-7_]+")
MAX_NUMBER_CHARS = 24  # longer numbers are refused before Python converts them


class _Invalid(Exception):
    """Raised inside a field check; turned into a CardError by the caller."""


_TAG = "tag:yaml.org,2002:"
_KIND_NAMES = {
    "str": "text",
    "int": "a whole number",
    "float": "a decimal number",
    "bool": "true/false",
    "null": "nothing (null)",
    "seq": "a list",
    "map": "a mapping",
    "timestamp": "a date",
    "binary": "binary data",
}
_STANDARD_TAGS = frozenset(_TAG + kind for kind in _KIND_NAMES)
# An address shown as a link: https, no spaces, nothing markdown or mentions could use.
# The host comes first and is plain ASCII: no user name before an "@" ("https://netflix.com@
# evil.example" goes to evil.example), no lookalike letters ("https://аpple.com", Cyrillic "а").
HTTPS_URL = re.compile(
    r"^https://(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.?"
    r"(?::\d{1,5})?(?:[/?#][^\s<>()\[\]`*_|~\\]*)?$",
    re.IGNORECASE,
)
_MONTH = re.compile(r"^\d{4}-\d{2}$")
# A day as cards write it (Python 3.11's ``date.fromisoformat`` reads ISO weeks, "2026-W48",
# and dates without their dashes, "20261127", too: no card means those).
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A fact checked before this was not checked by anyone writing cards for a bot.
EARLIEST_CHECK = datetime.date(2000, 1, 1)
# Hangul syllables and letters, CJK ideographs, kana; with spaces and middle dots between.
_NATIVE_NAME = re.compile(
    r"^[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uf900-\ufaff][\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3\u3040-\u30ff\u3400-\u4dbf"
    r"\u4e00-\u9fff\uf900-\ufaff ·・]*$"
)
_GENRE = re.compile(r"^[a-z0-9][a-z0-9 &'/-]*$")
_TRAILING_YEAR = re.compile(r"\s*\(?\b((?:19|20)\d\d)\)?\s*$")
# Common names for countries that are not their ISO 3166-1 alpha-2 code.
_COUNTRY_HINTS = {"UK": "GB", "EN": "GB"}


def _construct(node: yaml.Node) -> Any:
    """YAML's own value of a scalar node (``0x1F``, ``1_000``, ``.5``), from a constructor of
    its own: a shared one keeps every object it ever built (a leak across reloads)."""
    return yaml.constructor.SafeConstructor().construct_object(node)


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "map"
    if isinstance(node, yaml.SequenceNode):
        return "seq"
    tag = node.tag or ""
    return tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _unsafe_message(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return f"contains a bidirectional control character ({code}), which reorders the text"
    if "\ud800" <= char <= "\udfff":
        return f"contains a lone surrogate ({code}), which is not text"
    return f"contains a control character ({code})"


def checked_day(raw: str) -> tuple[str, bool]:
    """A ``checked`` date as kept (a month as written, ``2026-11``; a day in ISO form) and
    whether a fact could have been checked then: not before 2000, not after today (a day's
    grace for time zones; a month counts from its first day). ValueError when it is no date."""
    month = _MONTH.match(raw) is not None
    if not month and _DAY.match(raw) is None:
        raise ValueError(f"{raw!r} is no date written as 2026-11-25")
    day = datetime.date.fromisoformat(raw + "-01" if month else raw)
    latest = datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=1)
    return (raw if month else day.isoformat()), EARLIEST_CHECK <= day <= latest


def _address_problem(value: str) -> str:
    """Why an address is not shown as a link, said as plainly as the address allows."""
    rest = value[len("https://") :] if value[:8].lower() == "https://" else ""
    host = re.split(r"[/?#]", rest, maxsplit=1)[0]
    if rest and user_before_host(value):  # (an https address: rest is what follows)
        return (
            "has a user name before '@' (https://name@host/...): the link would go to what "
            "follows the '@', so write the address with its host first"
        )
    if host and not host.isascii():
        return (
            "write the host in ASCII (its punycode form, xn--...), so lookalike letters cannot "
            "hide where the link goes"
        )
    return "expected an https:// address without spaces or markdown characters"


def _not_base_60(node: yaml.Node) -> None:
    """YAML 1.1 reads ``33:41`` as 2021 and ``1:30`` as 90 (base 60): refused, not guessed."""
    if ":" in str(node.value):
        raise _Invalid(
            f"{str(node.value)[:20]!r} reads as a number in base 60 (YAML 1.1); "
            "write the number in plain digits (or in quotes, if it is text)"
        )


def _whole_number(node: yaml.Node, too_long: str) -> int:
    """The integer a YAML int scalar stands for; refuses numbers too long to convert (Python
    refuses over 4,300 digits, and no card needs more than a few)."""
    _not_base_60(node)
    if _OCTAL.fullmatch(str(node.value)):  # (refused, not guessed: "016" episodes were 14)
        raise _Invalid(
            f"{str(node.value)[:20]!r} reads as an octal number in YAML 1.1 "
            f"({int(str(node.value).replace('_', ''), 8)}); write it without the leading 0"
        )
    raw = str(node.value).strip().lstrip("+-").replace("_", "")
    digits = raw[2:] if raw[:2].lower() in {"0x", "0o", "0b"} else raw
    if len(raw) > MAX_NUMBER_CHARS:
        raise _Invalid(f"is a {len(digits)}-digit number, {too_long}")
    text = str(node.value)
    if _PLAIN_DECIMAL.fullmatch(text):  # (a year, a count: YAML reads it as Python does)
        return int(text)
    try:
        return int(_construct(node))
    except (ValueError, TypeError) as exc:
        raise _Invalid(f"is not a whole number YAML can read ({str(exc)[:60]})") from exc


@functools.cache
def _country_codes() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


def _not_a_country(value: str) -> str:
    """Why a region is refused, with the code meant when the text names a country."""
    message = f"'{value[:60]}' is not an ISO 3166-1 alpha-2 country code"
    code = _COUNTRY_HINTS.get(value.upper())
    if code is None:
        try:
            code = pycountry.countries.lookup(value).alpha_2
        except LookupError:
            return message + " (such as KR, US or GB)"
    return f"{message}; did you mean {code}?"


@dataclass(slots=True)
class _CardReader:
    """Walks one card's node tree, collecting errors; returns plain Python values."""

    path: str
    errors: list[CardError] = field(default_factory=list)
    warnings: list[CardError] = field(default_factory=list)
    lines: dict[str, tuple[int, ...]] = field(default_factory=dict)
    title: str | None = None  # whatever title could be read, even when the card cannot load
    names: tuple[str, ...] = ()  # the native title and aliases that could be read, likewise
    _seen: set[int] = field(default_factory=set)

    def error(self, node: yaml.Node | None, key: str, message: str, line: int = 1) -> None:
        self.errors.append(CardError(self.path, _line(node) if node else line, key, message))

    def warn(self, node: yaml.Node, key: str, message: str, level: Level = WARNING) -> None:
        self.warnings.append(CardError(self.path, _line(node), key, message, level))

    # -- node helpers ---------------------------------------------------------------

    def _visit(self, node: yaml.Node, key: str) -> None:
        # The same node object twice means a YAML alias (*ref): refuse, it is how
        # "billion laughs" documents blow up, and cards never need it.
        if id(node) in self._seen:
            raise _Invalid("YAML anchors and aliases (&name / *name) are not supported in cards")
        self._seen.add(id(node))
        if node.tag not in _STANDARD_TAGS:
            raise _Invalid(f"YAML tags such as {node.tag[:60]} are not allowed in cards")

    def mapping(
        self, node: yaml.Node, key: str, allowed: Iterable[str]
    ) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """Keys of a mapping node -> (key node, value node); flags unknown and repeated keys."""
        self._visit(node, key)
        if not isinstance(node, yaml.MappingNode):
            raise _Invalid(
                f"expected a mapping of keys, got {_KIND_NAMES.get(_kind(node), _kind(node))}"
            )
        allowed = tuple(allowed)
        known = frozenset(allowed)
        found: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                self.error(key_node, key or "<<", "YAML merge keys (<<) are not supported in cards")
                continue
            name = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            if name in known and name not in found:  # (most keys: shown as written, as below)
                found[name] = (key_node, value_node)
                continue
            foreign = name.strip() != "" and not _KEY_LIKE.fullmatch(name)
            if not name.strip():
                name = "(empty key)"
            name = redact(name)  # (before it is cut: a cut token no longer looks like one)
            if len(name) > MAX_KEY_SHOWN:  # a hostile key is named, not echoed whole
                name = name[: MAX_KEY_SHOWN - 1] + "…"
            where = f"{key}.{name}" if key else name
            if name in found:
                self.error(
                    key_node, where, f"key appears twice (first on line {_line(found[name][0])})"
                )
                continue
            if foreign and name not in allowed:
                self.error(key_node, f"{key}.(key)" if key else "(key)", _NOT_QUOTED)
                continue
            if name not in allowed:
                hint = process.extractOne(name, allowed, scorer=fuzz.ratio, score_cutoff=70)
                suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
                self.error(
                    key_node, where, f"unknown key{suggestion} (allowed: {', '.join(allowed)})"
                )
                continue
            found[name] = (key_node, value_node)
        return found

    def sequence(self, node: yaml.Node, key: str, limit: int) -> list[yaml.Node]:
        self._visit(node, key)
        if not isinstance(node, yaml.SequenceNode):
            raise _Invalid(f"expected a list, got {_KIND_NAMES.get(_kind(node), _kind(node))}")
        if len(node.value) > limit:
            raise _Invalid(f"has {len(node.value)} items; at most {limit} are allowed")
        return list(node.value)

    def text(
        self, node: yaml.Node, key: str, *, limit: int = 300, nullable: bool = False
    ) -> str | None:
        self._visit(node, key)
        kind = _kind(node)
        if kind == "null" and nullable:
            return None
        if kind != "str":
            got = _KIND_NAMES.get(kind, kind)
            hint = ' (put it in quotes, e.g. "2521")' if kind in {"int", "float", "bool"} else ""
            raise _Invalid(f"expected text, got {got}{hint}")
        raw = str(node.value)
        # Printable ASCII (most text) holds no unsafe character, and anything of it but
        # spaces shows: the two searches below are for other text.
        plain = raw.isascii() and raw.isprintable()
        if not plain and (unsafe := UNSAFE_CHARS.search(raw)):
            raise _Invalid(_unsafe_message(unsafe.group()))
        value = " ".join(raw.split()) if limit <= 300 else raw.strip()
        if not value:
            if nullable:
                return None
            raise _Invalid("must not be empty")
        if len(value) > limit:
            raise _Invalid(f"is {len(value)} characters long; at most {limit} are allowed")
        if not plain and is_invisible(value):
            raise _Invalid("has no visible characters (only spaces or zero-width characters)")
        return value

    def integer(self, node: yaml.Node, key: str, low: int, high: int) -> int:
        self._visit(node, key)
        if _kind(node) != "int":
            raise _Invalid(
                f"expected a whole number, got {_KIND_NAMES.get(_kind(node), _kind(node))}"
            )
        value = _whole_number(node, f"out of range ({low} to {high})")
        if not low <= value <= high:
            raise _Invalid(f"{value} is out of range ({low} to {high})")
        return value

    def number(self, node: yaml.Node, key: str) -> float | None:
        self._visit(node, key)
        kind = _kind(node)
        if kind == "null":
            return None
        if kind not in {"int", "float"}:
            raise _Invalid(
                f"expected a number or null, got {_KIND_NAMES.get(kind, kind)}"
                " (leave the value empty or write null when the review gives no score)"
            )
        if kind == "int":
            value = float(_whole_number(node, "far too large for a score"))
        else:
            _not_base_60(node)
            value = float(_construct(node))
        if value != value or value in {float("inf"), float("-inf")}:
            raise _Invalid("must be a finite number")
        return value + 0.0  # (-0.0 is 0.0: never shown as "-0 / 5")

    def text_list(
        self, node: yaml.Node, key: str, *, limit: int, item_limit: int = 200
    ) -> tuple[str, ...]:
        items: list[str] = []
        for index, item in enumerate(self.sequence(node, key, limit)):
            value = self.field(
                item, f"{key}[{index}]", lambda n, k: self.text(n, k, limit=item_limit), node
            )
            if value is not None:
                items.append(value)
        return tuple(items)

    def field(
        self,
        node: yaml.Node,
        key: str,
        check: Callable[[yaml.Node, str], Any],
        key_node: yaml.Node | None = None,
    ) -> Any:
        """Run one check; on failure record the error at the value's line (or the key's, when
        the value sits earlier in the file, as an aliased one does) and return None."""
        try:
            return check(node, key)
        except _Invalid as exc:
            line = max(_line(node), _line(key_node) if key_node is not None else 0)
            self.error(None, key, str(exc), line=line)
            return None

    # -- the card ----------------------------------------------------------------------

    def card(self, root: yaml.Node, slug: str) -> Card | None:
        keys = self.field(root, "card", lambda n, k: self.mapping(n, "", _TOP_KEYS))
        if keys is None:
            return None
        before = len(self.errors)
        values: dict[str, Any] = {}
        for name, (key_node, value_node) in keys.items():
            values[name] = self.field(value_node, name, _TOP_KEYS[name].__get__(self), key_node)
        for name in ("title", "year", "cast"):
            if name not in keys:
                self.error(root, name, "required key is missing")
        self.title = values.get("title")
        native = values.get("native_title")
        self.names = ((native,) if native else ()) + tuple(values.get("aliases") or ())
        for name in ("title", "aliases", "similar"):
            if name in keys:
                value_node = keys[name][1]
                nodes = value_node.value if isinstance(value_node, yaml.SequenceNode) else ()
                self.lines[name] = tuple(_line(n) for n in nodes) or (_line(value_node),)
        if values.get("similar"):
            self._similar_is_not_itself(values, keys["similar"][1], slug)
        if self.title and values.get("year"):
            self._slug_fits_title(self.title, values["year"], slug, keys["title"][1])
        if len(self.errors) > before:
            return None
        return Card(slug=slug, **{k: v for k, v in values.items() if v is not None})

    def _similar_is_not_itself(self, values: dict[str, Any], node: yaml.Node, slug: str) -> None:
        own = {slug, values.get("title") or "", values.get("native_title") or ""}
        own.update(values.get("aliases") or ())
        own_keys = {name_key(name) for name in own} - {""}
        for index, title in enumerate(values["similar"]):
            keys = {name_key(title)}
            year = _TRAILING_YEAR.search(title)
            if year and int(year.group(1)) == values.get("year"):  # "Run On (2020)"
                keys.add(name_key(title[: year.start()]))
            if keys & own_keys:
                self.error(
                    node.value[index],
                    f"similar[{index}]",
                    f"'{title[:60]}' is this card itself; list other dramas",
                )

    def _slug_fits_title(self, title: str, year: int, slug: str, node: yaml.Node) -> None:
        expected, dated = card_slug(title), card_slug(title, year)
        if not expected or slug in {expected, dated}:
            return
        if not SLUG_PATTERN.match(slug):
            return  # already an error of its own
        self.warn(
            node,
            "title",
            f"the file is {slug}{CARD_SUFFIX} but the title '{title[:60]}' gives "
            f"{expected}{CARD_SUFFIX} (or {dated}{CARD_SUFFIX} when another drama "
            "has the same title); rename the file so the title and file name agree",
        )

    def _title(self, node: yaml.Node, key: str) -> str | None:
        return self.text(node, key, limit=200)

    def _native_title(self, node: yaml.Node, key: str) -> str | None:
        return self.text(node, key, limit=200, nullable=True)

    def _aliases(self, node: yaml.Node, key: str) -> tuple[str, ...]:
        return self.text_list(node, key, limit=30)

    def _year(self, node: yaml.Node, key: str) -> int:
        return self.integer(node, key, 1950, 2100)

    def _country(self, node: yaml.Node, key: str) -> str | None:
        value = self.text(node, key, limit=60)
        if value is None or value.upper() not in _country_codes():
            raise _Invalid(_not_a_country(value or ""))
        return value.upper()

    def _network(self, node: yaml.Node, key: str) -> str | None:
        value = self.text(node, key, limit=100, nullable=True)
        if value is not None:
            self.known(node, key, value, vocabulary.networks(), "network")
        return value

    def known(
        self, node: yaml.Node, key: str, value: str, names: vocabulary.Vocabulary, what: str
    ) -> None:
        """Warn about a network or service spelt unlike the known list; name unknown ones."""
        found = names.lookup(value)
        if found.known:
            return
        if found.spelled:
            self.warn(node, key, f"write '{found.spelled}' as the known {what}s list spells it")
        elif found.suggestions:
            guesses = " or ".join(f"'{name}'" for name in found.suggestions)
            self.warn(node, key, f"'{value[:60]}' is not a known {what}; did you mean {guesses}?")
        else:
            self.warn(
                node,
                key,
                f"'{value[:60]}' is not in the known {what}s list (bot/cards/vocabulary.py); "
                "fine if it is right",
                NOTE,
            )

    def _episodes(self, node: yaml.Node, key: str) -> int:
        return self.integer(node, key, 1, 2000)

    def _genres(self, node: yaml.Node, key: str) -> tuple[str, ...]:
        genres = self.text_list(node, key, limit=20, item_limit=40)
        for index, genre in enumerate(genres):
            if not _GENRE.match(genre):
                self.error(
                    node.value[index], f"{key}[{index}]", f"'{genre}' must be a lower-case tag"
                )
        return genres

    def _cast(self, node: yaml.Node, key: str) -> tuple[CastMember, ...]:
        members: list[CastMember] = []
        items = self.sequence(node, key, 60)
        if not items:
            raise _Invalid("must list at least one actor")
        for index, item in enumerate(items):
            where = f"{key}[{index}]"
            member = self.field(item, where, self._cast_member, node)
            if member is not None:
                members.append(member)
        return tuple(members)

    def _cast_member(self, node: yaml.Node, key: str) -> CastMember | None:
        keys = self.mapping(node, key, ("actor", "native_name", "role", "aliases"))
        before = len(self.errors)
        if "actor" not in keys:
            self.error(node, f"{key}.actor", "required key is missing")
            return None
        actor = self.field(
            keys["actor"][1], f"{key}.actor", lambda n, k: self.text(n, k, limit=100)
        )
        role = None
        if "role" in keys:
            role = self.field(
                keys["role"][1],
                f"{key}.role",
                lambda n, k: self.text(n, k, limit=100, nullable=True),
            )
        aliases: tuple[str, ...] = ()
        if "aliases" in keys:
            aliases = (
                self.field(
                    keys["aliases"][1],
                    f"{key}.aliases",
                    lambda n, k: self.text_list(n, k, limit=10),
                )
                or ()
            )
        native_name = None
        if "native_name" in keys:
            native_name = self.field(keys["native_name"][1], f"{key}.native_name", self._native)
        if len(self.errors) > before or actor is None:
            return None
        return CastMember(actor, role, aliases, native_name)

    def _native(self, node: yaml.Node, key: str) -> str | None:
        value = self.text(node, key, limit=60, nullable=True)
        if value is not None and not _NATIVE_NAME.match(value):
            raise _Invalid(
                f"'{redact(value)[:40]}' should be the name in Hangul (or Chinese/Japanese "
                "script), such as 현빈; the romanized name goes in `actor`"
            )
        return value

    def _streaming(self, node: yaml.Node, key: str) -> tuple[StreamingOption, ...]:
        options: list[StreamingOption] = []
        for index, item in enumerate(self.sequence(node, key, 30)):
            option = self.field(item, f"{key}[{index}]", self._streaming_option, node)
            if option is not None:
                options.append(option)
        return tuple(options)

    def _streaming_option(self, node: yaml.Node, key: str) -> StreamingOption | None:
        keys = self.mapping(node, key, ("service", "regions", "kind", "url", "checked", "source"))
        before = len(self.errors)
        if "service" not in keys:
            self.error(node, f"{key}.service", "required key is missing")
            return None
        service = self.field(
            keys["service"][1], f"{key}.service", lambda n, k: self.text(n, k, limit=80)
        )
        if service is not None:
            self.known(
                keys["service"][1], f"{key}.service", service, vocabulary.services(), "service"
            )
        regions: tuple[str, ...] = ()
        if "regions" in keys:
            regions = self.field(keys["regions"][1], f"{key}.regions", self._regions) or ()
        url = None
        if "url" in keys:
            url = self.field(keys["url"][1], f"{key}.url", self._https)
        kind = "subscription"
        if "kind" in keys:
            kind = self.field(keys["kind"][1], f"{key}.kind", self._offer_kind)
        checked = None
        if "checked" in keys:
            checked = self.field(keys["checked"][1], f"{key}.checked", self._date)
        source = None
        if "source" in keys:
            source = self.field(
                keys["source"][1], f"{key}.source", lambda n, k: self.text(n, k, limit=60)
            )
        if len(self.errors) > before or service is None:
            return None
        return StreamingOption(service, regions, url, kind, checked, source)

    def _offer_kind(self, node: yaml.Node, key: str) -> str:
        value = self.text(node, key, limit=20)
        if value not in OFFER_KINDS:
            raise _Invalid(f"'{value}' is not one of {', '.join(OFFER_KINDS)}")
        return value

    def _date(self, node: yaml.Node, key: str) -> str | None:
        """A date as ``2026-11-25`` (or a month, ``2026-11``); kept as ISO text."""
        self._visit(node, key)
        raw = str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""
        kind = _kind(node)
        if kind == "null":
            return None
        if kind in {"timestamp", "str"}:
            try:
                kept, in_time = checked_day(raw)
            except ValueError:
                pass
            else:
                if not in_time:
                    raise _Invalid(
                        f"a fact is checked between {EARLIEST_CHECK.isoformat()} and today,"
                        f" got {redact(raw)[:40]!r}"
                    )
                return kept
        got = (
            repr(redact(raw)[:40])
            if isinstance(node, yaml.ScalarNode)
            else _KIND_NAMES.get(kind, kind)  # (a list, a mapping: not "got ''")
        )
        raise _Invalid(f"expected a date such as 2026-11-25 (or a month, 2026-11), got {got}")

    def _https(self, node: yaml.Node, key: str) -> str | None:
        value = self.text(node, key, limit=500, nullable=True)
        if value is not None and not HTTPS_URL.match(value):
            raise _Invalid(_address_problem(value))
        return value

    def _regions(self, node: yaml.Node, key: str) -> tuple[str, ...]:
        regions = self.text_list(node, key, limit=250, item_limit=60)
        for index, region in enumerate(regions):
            if region.upper() not in _country_codes():
                self.error(node.value[index], f"{key}[{index}]", _not_a_country(region))
        return tuple(r.upper() for r in regions)

    def _ratings(self, node: yaml.Node, key: str) -> Ratings | None:
        keys = self.mapping(node, key, ("scale", *SCORE_NAMES))
        before = len(self.errors)
        scale = 5
        if "scale" in keys:
            scale = self.field(
                keys["scale"][1], f"{key}.scale", lambda n, k: self.integer(n, k, 1, 100)
            )
        scores: dict[str, float | None] = {}
        for name in SCORE_NAMES:
            if name in keys:
                scores[name] = self.field(keys[name][1], f"{key}.{name}", self.number)
        for name, value in scores.items():
            if value is not None and scale is not None and not 0 <= value <= scale:
                self.error(
                    keys[name][1], f"{key}.{name}", f"{value:g} is outside the scale 0 to {scale}"
                )
        if len(self.errors) > before:
            return None
        return Ratings(scale, **scores)

    def _similar(self, node: yaml.Node, key: str) -> tuple[str, ...]:
        return self.text_list(node, key, limit=30)

    def _season(self, node: yaml.Node, key: str) -> int:
        return self.integer(node, key, 1, 99)

    def _series(self, node: yaml.Node, key: str) -> str | None:
        value = self.text(node, key, limit=MAX_SLUG_CHARS)
        if value is None or not SLUG_PATTERN.match(value):
            raise _Invalid(
                "expected the slug (file name without .yaml) of the first season's card, "
                "such as hospital-playlist"
            )
        return value

    def _poster(self, node: yaml.Node, key: str) -> str | None:
        return self._https(node, key)

    def _links(self, node: yaml.Node, key: str) -> Links | None:
        keys = self.mapping(node, key, LINK_NAMES)
        before = len(self.errors)
        values = {
            name: self.field(value_node, f"{key}.{name}", self._https)
            for name, (_k, value_node) in keys.items()
        }
        if len(self.errors) > before:
            return None
        return Links(**{k: v for k, v in values.items() if v is not None})

    def _tmdb_id(self, node: yaml.Node, key: str) -> int:
        return self.integer(node, key, 1, 999_999_999)

    def _community_rating(self, node: yaml.Node, key: str) -> CommunityRating | None:
        keys = self.mapping(node, key, ("source", "score", "scale", "votes", "checked"))
        before = len(self.errors)
        if "score" not in keys:
            self.error(node, f"{key}.score", "required key is missing")
            return None
        scale = 10
        if "scale" in keys:
            scale = self.field(
                keys["scale"][1], f"{key}.scale", lambda n, k: self.integer(n, k, 1, 100)
            )
        score = self.field(keys["score"][1], f"{key}.score", self.number)
        source = "TMDB"
        if "source" in keys:
            source = self.field(
                keys["source"][1], f"{key}.source", lambda n, k: self.text(n, k, limit=60)
            )
        votes = None
        if "votes" in keys:
            votes = self.field(
                keys["votes"][1], f"{key}.votes", lambda n, k: self.integer(n, k, 0, 10**9)
            )
        checked = None
        if "checked" in keys:
            checked = self.field(keys["checked"][1], f"{key}.checked", self._date)
        if score is None and len(self.errors) == before:
            self.error(keys["score"][1], f"{key}.score", "a community rating needs its score")
        if score is not None and scale is not None and not 0 <= score <= scale:
            self.error(
                keys["score"][1], f"{key}.score", f"{score:g} is outside the scale 0 to {scale}"
            )
        if len(self.errors) > before or score is None:
            return None
        return CommunityRating(score, scale, source, votes, checked)

    def _review(self, node: yaml.Node, key: str) -> Review | None:
        keys = self.mapping(node, key, _REVIEW_KEYS)
        before = len(self.errors)
        values: dict[str, Any] = {}
        for name, (_k, value_node) in keys.items():
            where = f"{key}.{name}"
            if name == "url":
                values[name] = self.field(value_node, where, self._https)
            elif name == "highlights":
                values[name] = self.field(
                    value_node, where, lambda n, k: self.text_list(n, k, limit=15, item_limit=300)
                )
            else:
                limit = _REVIEW_LIMITS[name]
                values[name] = self.field(
                    value_node,
                    where,
                    lambda n, k, limit=limit: self.text(n, k, limit=limit, nullable=True),
                )
        if len(self.errors) > before:
            return None
        return Review(**{k: v for k, v in values.items() if v is not None})


_REVIEW_LIMITS = {"source": 300, "reviewer": 100, "headline": 250, "summary": 2000, "verdict": 1000}
_REVIEW_KEYS = ("source", "url", "reviewer", "headline", "summary", "highlights", "verdict")

_TOP_KEYS: dict[str, Any] = {
    "title": _CardReader._title,
    "native_title": _CardReader._native_title,
    "aliases": _CardReader._aliases,
    "year": _CardReader._year,
    "country": _CardReader._country,
    "network": _CardReader._network,
    "episodes": _CardReader._episodes,
    "genres": _CardReader._genres,
    "cast": _CardReader._cast,
    "streaming": _CardReader._streaming,
    "ratings": _CardReader._ratings,
    "similar": _CardReader._similar,
    "review": _CardReader._review,
    "season": _CardReader._season,
    "series": _CardReader._series,
    "poster": _CardReader._poster,
    "links": _CardReader._links,
    "tmdb_id": _CardReader._tmdb_id,
    "community_rating": _CardReader._community_rating,
}
CARD_KEYS = tuple(_TOP_KEYS)


@dataclass(frozen=True, slots=True)
class CardReport:
    """What reading one card file found: the card (None when it has errors), its errors, its
    warnings and notes, the title it gives (when that much could be read) and the lines of
    entries that cross-card checks may point at (``title``, ``aliases``, ``similar``)."""

    card: Card | None
    errors: list[CardError]
    warnings: list[CardError] = field(default_factory=list)
    title: str | None = None
    lines: dict[str, tuple[int, ...]] = field(default_factory=dict)
    names: tuple[str, ...] = ()  # native title and aliases that could be read


def parse_card(text: str, path: str, slug: str) -> tuple[Card | None, list[CardError]]:
    """Parse and validate one card's YAML text. Pure: no file access."""
    report = inspect_card(text, path, slug)
    return report.card, report.errors


def inspect_card(text: str, path: str, slug: str) -> CardReport:
    """Parse and validate one card's YAML text, keeping warnings too. Pure: no file access."""
    reader = _CardReader(path)
    card, errors = _read(reader, text, path, slug)
    if text.lstrip("\ufeff").startswith(DRAFT_HEADER):
        reader.warnings.append(
            CardError(
                path,
                1,
                "file",
                "still has import-review's draft header: check every value against the "
                "article, then delete the comment block",
                WARNING,
            )
        )
    return CardReport(card, errors, reader.warnings, reader.title, reader.lines, reader.names)


def _read(
    reader: _CardReader, text: str, path: str, slug: str
) -> tuple[Card | None, list[CardError]]:
    if not text.strip(" \t\r\n\ufeff"):  # blank lines and tabs only: YAML calls a tab a token
        return None, [
            CardError(path, 1, "title", "the file is empty; a card needs title, year and cast")
        ]
    try:
        nodes = list(yaml.compose_all(text, Loader=_CardLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = " ".join(str(exc.problem or exc.context or "unreadable").split())
        problem = problem.split(' in "<')[0]  # drop libyaml's "in <unicode string>" location
        if mark and text[mark.index : mark.index + 1] == "\t":  # (YAML's word: a "token")
            problem = "a tab character; YAML indents with spaces only"
        return None, [CardError(path, line, "yaml", f"not valid YAML: {problem}")]
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        reason = (
            f"character #x{exc.character:04x} is not allowed"
            if isinstance(exc.character, int)
            else exc.reason
        )
        return None, [CardError(path, line, "yaml", f"not valid YAML: {reason}")]
    except yaml.YAMLError as exc:
        return None, [CardError(path, 1, "yaml", "not valid YAML: " + " ".join(str(exc).split()))]
    except RecursionError:
        return None, [CardError(path, 1, "yaml", "not valid YAML: nested too deeply")]
    if not nodes or nodes[0] is None:
        return None, [
            CardError(path, 1, "title", "the file is empty; a card needs title, year and cast")
        ]
    if len(nodes) > 1:
        return None, [
            CardError(
                path, _line(nodes[1]), "yaml", "one card per file: found a second YAML document"
            )
        ]
    if not SLUG_PATTERN.match(slug) or len(slug) > MAX_SLUG_CHARS:
        reader.error(
            None,
            "slug",
            f"file name '{slug[:60]}{CARD_SUFFIX}' must be lower-case words joined by '-' "
            f"(at most {MAX_SLUG_CHARS} characters)",
        )
    card = reader.card(nodes[0], slug)
    return (card if not reader.errors else None), reader.errors
