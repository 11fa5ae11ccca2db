"""Reading a common, valid card in one pass over the YAML parser's events (pure).

Most card files are ordinary: known keys, plain values, nothing to warn about. This reader
walks libyaml's events straight into the card's fields, checking each value as
:mod:`bot.cards.reader` does, without building a node tree or collecting errors. The moment
anything is unusual (anything that would be an error, a warning or a note, a YAML tag, an
anchor or alias, a value needing the slower checks, a second document) it gives up, and the
card is read again by :func:`bot.cards.reader.inspect_card`, which alone words problems. So
every message is the full reader's own; ``tests/test_fast_reader.py`` checks that both give
the same card, title, names and lines for many ordinary and hostile card texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml

from bot.cards import vocabulary
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
from bot.cards.reader import (
    _GENRE,
    _NATIVE_NAME,
    _PLAIN_DECIMAL,
    _REVIEW_LIMITS,
    _TAG,
    _TRAILING_YEAR,
    DRAFT_HEADER,
    HTTPS_URL,
    MAX_NUMBER_CHARS,
    CardReport,
    _country_codes,
    checked_day,
    inspect_card,
)
from bot.text import SLUG_PATTERN, UNSAFE_CHARS, is_invisible, name_key

try:  # the same parser as the full reader's loader
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _Parser = None

_Scalar = yaml.ScalarEvent
_SeqStart = yaml.SequenceStartEvent
_SeqEnd = yaml.SequenceEndEvent
_MapStart = yaml.MappingStartEvent
_MapEnd = yaml.MappingEndEvent

#: The tag YAML gives a plain scalar, by its text (the full reader's resolver, remembered):
#: bounded, short values only, as the full reader's own memory of them.
_PLAIN_KINDS: dict[str, str] = {}
_PLAIN_KINDS_MAX = 20_000
_PLAIN_KINDS_LONGEST = 64
_RESOLVER = yaml.resolver.Resolver()
#: The resolver's implicit tags by the first character they may start with (None: any).
_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers
_PLAIN_IMPLICIT = (True, False)
_PLAIN_FLOAT = re.compile(r"[0-9]+\.[0-9]*")


class _Unusual(Exception):
    """Not the common case: the full reader reads this card."""


Next = Callable[[], Any]


def read_card_text(text: str, path: str, slug: str) -> CardReport:
    """What :func:`bot.cards.reader.inspect_card` says of this card text, the common case
    worked out in one pass (the same report: card, errors, warnings, title, lines, names)."""
    report = read_common_card(text, slug)
    return report if report is not None else inspect_card(text, path, slug)


def read_common_card(text: str, slug: str) -> CardReport | None:
    """The report of a valid card with no warnings and nothing unusual, or None when the
    card is anything else (then only the full reader can say what it is)."""
    if _Parser is None or not SLUG_PATTERN.match(slug) or len(slug) > MAX_SLUG_CHARS:
        return None
    if text.lstrip("\ufeff").startswith(DRAFT_HEADER):
        return None
    try:
        return _read(_Parser(text).get_event, slug)
    except (_Unusual, yaml.YAMLError, ValueError, RecursionError):
        return None


# -- values ------------------------------------------------------------------------------


def _scalar(event: Any) -> tuple[str, str]:
    """(kind, text) of a scalar event with no tag and no anchor; anything else is unusual."""
    if type(event) is not _Scalar or event.anchor is not None or event.tag is not None:
        raise _Unusual
    value: str = event.value
    if not event.implicit[0]:
        return "str", value
    if value and value[0] not in _IMPLICIT and None not in _IMPLICIT:
        return "str", value  # (most text: no implicit tag starts with its first character)
    return _plain_kind(value), value


def _plain_kind(value: str) -> str:
    kind = _PLAIN_KINDS.get(value)
    if kind is None:
        kind = _RESOLVER.resolve(yaml.ScalarNode, value, _PLAIN_IMPLICIT).removeprefix(_TAG)
        if len(_PLAIN_KINDS) < _PLAIN_KINDS_MAX and len(value) <= _PLAIN_KINDS_LONGEST:
            _PLAIN_KINDS[value] = kind
    return kind


def _text(event: Any, limit: int, nullable: bool = False) -> str | None:
    """The full reader's ``text`` check (its tag resolution inlined: this runs for most
    values of every card)."""
    if type(event) is not _Scalar or event.anchor is not None or event.tag is not None:
        raise _Unusual
    raw: str = event.value
    if event.implicit[0] and (not raw or raw[0] in _IMPLICIT or None in _IMPLICIT):
        kind = _plain_kind(raw)
        if kind != "str":
            if kind == "null" and nullable:
                return None
            raise _Unusual
    if raw.isascii() and raw.isprintable():
        # Printable ASCII: its only whitespace is the space, so the text is already as
        # the full reader leaves it unless spaces are doubled or at either end.
        if limit > 300:
            value = raw.strip()
        elif "  " in raw or raw[:1] == " " or raw[-1:] == " ":
            value = " ".join(raw.split())
        else:
            value = raw
        if not value:
            if nullable:
                return None
            raise _Unusual
        if len(value) > limit:
            raise _Unusual
        return value
    if UNSAFE_CHARS.search(raw):
        raise _Unusual
    value = " ".join(raw.split()) if limit <= 300 else raw.strip()
    if not value:
        if nullable:
            return None
        raise _Unusual
    if len(value) > limit or is_invisible(value):
        raise _Unusual
    return value


def _integer(event: Any, low: int, high: int) -> int:
    kind, text = _scalar(event)
    if kind != "int" or len(text) > MAX_NUMBER_CHARS or not _PLAIN_DECIMAL.fullmatch(text):
        raise _Unusual
    value = int(text)
    if not low <= value <= high:
        raise _Unusual
    return value


def _number(event: Any) -> float | None:
    kind, text = _scalar(event)
    if kind == "null":
        return None
    if kind == "float" and _PLAIN_FLOAT.fullmatch(text):
        return float(text) + 0.0  # (-0.0 is 0.0)
    if kind == "int" and len(text) <= MAX_NUMBER_CHARS and _PLAIN_DECIMAL.fullmatch(text):
        return float(int(text))
    raise _Unusual


def _date(event: Any) -> str | None:
    kind, raw = _scalar(event)
    if kind == "null":
        return None
    if kind not in {"timestamp", "str"}:
        raise _Unusual
    kept, in_time = checked_day(raw.strip())  # (ValueError: unusual)
    if not in_time:
        raise _Unusual  # (the full reader says why)
    return kept


def _https(event: Any) -> str | None:
    value = _text(event, 500, nullable=True)
    if value is not None and not HTTPS_URL.match(value):
        raise _Unusual
    return value


def _items(next_event: Next, limit: int) -> list[Any]:
    """The events of a list of scalars (at most ``limit``), after its start."""
    event = next_event()
    if type(event) is not _SeqStart or event.anchor is not None or event.tag is not None:
        raise _Unusual
    items = []
    while type(event := next_event()) is not _SeqEnd:
        items.append(event)
    if len(items) > limit:
        raise _Unusual
    return items


def _texts(next_event: Next, limit: int, item_limit: int = 200) -> tuple[str, ...]:
    return tuple(_text(event, item_limit) for event in _items(next_event, limit))  # type: ignore[misc]


def _mapping_start(next_event: Next) -> None:
    event = next_event()
    if type(event) is not _MapStart or event.anchor is not None or event.tag is not None:
        raise _Unusual


def _key(event: Any, allowed: frozenset[str], found: set[str]) -> str:
    """A mapping's key: one of ``allowed``, not seen before in the mapping."""
    if type(event) is not _Scalar or event.anchor is not None or event.tag is not None:
        raise _Unusual
    name: str = event.value
    if name not in allowed or name in found:
        raise _Unusual
    found.add(name)
    return name


def _mapping(next_event: Next, allowed: frozenset[str]) -> dict[str, Any]:
    """A mapping of scalars only: key -> its value's event."""
    _mapping_start(next_event)
    found: set[str] = set()
    values: dict[str, Any] = {}
    while type(event := next_event()) is not _MapEnd:
        values[_key(event, allowed, found)] = next_event()
    return values


# -- the card's parts ----------------------------------------------------------------------

_CAST_KEYS = frozenset({"actor", "native_name", "role", "aliases"})
_STREAMING_KEYS = frozenset({"service", "regions", "kind", "url", "checked", "source"})
_RATING_KEYS = frozenset({"scale", *SCORE_NAMES})
_LINK_KEYS = frozenset(LINK_NAMES)
_COMMUNITY_KEYS = frozenset({"source", "score", "scale", "votes", "checked"})
_REVIEW_KEY_SET = frozenset(_REVIEW_LIMITS) | {"url", "highlights"}


def _native(event: Any) -> str | None:
    value = _text(event, 60, nullable=True)
    if value is not None and not _NATIVE_NAME.match(value):
        raise _Unusual
    return value


def _cast(next_event: Next) -> tuple[CastMember, ...]:
    event = next_event()
    if type(event) is not _SeqStart or event.anchor is not None or event.tag is not None:
        raise _Unusual
    members = []
    while type(event := next_event()) is not _SeqEnd:
        if type(event) is not _MapStart or event.anchor is not None or event.tag is not None:
            raise _Unusual
        found: set[str] = set()
        actor = role = native_name = None
        aliases: tuple[str, ...] = ()
        while type(event := next_event()) is not _MapEnd:
            name = _key(event, _CAST_KEYS, found)
            if name == "aliases":
                aliases = _texts(next_event, 10)
            elif name == "actor":
                actor = _text(next_event(), 100)
            elif name == "role":
                role = _text(next_event(), 100, nullable=True)
            else:
                native_name = _native(next_event())
        if actor is None:
            raise _Unusual
        members.append(CastMember(actor, role, aliases, native_name))
    if not members or len(members) > 60:
        raise _Unusual
    return tuple(members)


def _streaming(next_event: Next) -> tuple[StreamingOption, ...]:
    event = next_event()
    if type(event) is not _SeqStart or event.anchor is not None or event.tag is not None:
        raise _Unusual
    options = []
    services = vocabulary.services()
    codes = _country_codes()
    while type(event := next_event()) is not _SeqEnd:
        if type(event) is not _MapStart or event.anchor is not None or event.tag is not None:
            raise _Unusual
        found: set[str] = set()
        service = url = checked = source = None
        regions: tuple[str, ...] = ()
        kind: str | None = "subscription"
        while type(event := next_event()) is not _MapEnd:
            name = _key(event, _STREAMING_KEYS, found)
            if name == "regions":
                regions = _texts(next_event, 250, 60)
                if not all(region.upper() in codes for region in regions):
                    raise _Unusual
                regions = tuple(region.upper() for region in regions)
            elif name == "service":
                service = _text(next_event(), 80)
                if service is None or not services.lookup(service).known:
                    raise _Unusual
            elif name == "url":
                url = _https(next_event())
            elif name == "kind":
                kind = _text(next_event(), 20)
                if kind not in OFFER_KINDS:
                    raise _Unusual
            elif name == "checked":
                checked = _date(next_event())
            else:
                source = _text(next_event(), 60)
        if service is None:
            raise _Unusual
        options.append(StreamingOption(service, regions, url, kind, checked, source))  # type: ignore[arg-type]
    if len(options) > 30:
        raise _Unusual
    return tuple(options)


def _ratings(next_event: Next) -> Ratings:
    values = _mapping(next_event, _RATING_KEYS)
    scale = _integer(values["scale"], 1, 100) if "scale" in values else 5
    scores: dict[str, float | None] = {}
    for name in SCORE_NAMES:
        if name in values:
            score = scores[name] = _number(values[name])
            if score is not None and not 0 <= score <= scale:
                raise _Unusual
    return Ratings(scale, **scores)


def _review(next_event: Next) -> Review:
    _mapping_start(next_event)
    found: set[str] = set()
    values: dict[str, Any] = {}
    while type(event := next_event()) is not _MapEnd:
        name = _key(event, _REVIEW_KEY_SET, found)
        if name == "highlights":
            values[name] = _texts(next_event, 15, 300)
        elif name == "url":
            values[name] = _https(next_event())
        else:
            values[name] = _text(next_event(), _REVIEW_LIMITS[name], nullable=True)
    return Review(**{k: v for k, v in values.items() if v is not None})


def _links(next_event: Next) -> Links:
    values = {name: _https(event) for name, event in _mapping(next_event, _LINK_KEYS).items()}
    return Links(**{k: v for k, v in values.items() if v is not None})


def _community_rating(next_event: Next) -> CommunityRating:
    values = _mapping(next_event, _COMMUNITY_KEYS)
    if "score" not in values:
        raise _Unusual
    scale = _integer(values["scale"], 1, 100) if "scale" in values else 10
    score = _number(values["score"])
    source = _text(values["source"], 60) if "source" in values else "TMDB"
    votes = _integer(values["votes"], 0, 10**9) if "votes" in values else None
    checked = _date(values["checked"]) if "checked" in values else None
    if score is None or not 0 <= score <= scale:
        raise _Unusual
    return CommunityRating(score, scale, source, votes, checked)  # type: ignore[arg-type]


def _country(event: Any) -> str:
    value = _text(event, 60)
    if value is None or value.upper() not in _country_codes():
        raise _Unusual
    return value.upper()


def _network(event: Any) -> str | None:
    value = _text(event, 100, nullable=True)
    if value is not None and not vocabulary.networks().lookup(value).known:
        raise _Unusual
    return value


def _genres(next_event: Next) -> tuple[str, ...]:
    genres = _texts(next_event, 20, 40)
    if not all(_GENRE.match(genre) for genre in genres):
        raise _Unusual
    return genres


def _series(event: Any) -> str:
    value = _text(event, MAX_SLUG_CHARS)
    if value is None or not SLUG_PATTERN.match(value):
        raise _Unusual
    return value


#: Top-level keys whose value is one scalar: key -> its check.
_SCALAR_KEYS: dict[str, Callable[[Any], Any]] = {
    "title": lambda event: _text(event, 200),
    "native_title": lambda event: _text(event, 200, nullable=True),
    "year": lambda event: _integer(event, 1950, 2100),
    "country": _country,
    "network": _network,
    "episodes": lambda event: _integer(event, 1, 2000),
    "season": lambda event: _integer(event, 1, 99),
    "series": _series,
    "poster": _https,
    "tmdb_id": lambda event: _integer(event, 1, 999_999_999),
}
#: Top-level keys whose value is a list or a mapping: key -> its reader (from its start).
_NESTED_KEYS: dict[str, Callable[[Next], Any]] = {
    "genres": _genres,
    "cast": _cast,
    "streaming": _streaming,
    "ratings": _ratings,
    "review": _review,
    "links": _links,
    "community_rating": _community_rating,
}
#: Lists whose items' lines the checks across cards may point at.
_LISTED_KEYS = frozenset({"aliases", "similar"})
_TOP_KEY_SET = frozenset(_SCALAR_KEYS) | frozenset(_NESTED_KEYS) | _LISTED_KEYS


def _read(next_event: Next, slug: str) -> CardReport:
    if type(next_event()) is not yaml.StreamStartEvent:  # pragma: no cover - always first
        raise _Unusual
    if type(next_event()) is not yaml.DocumentStartEvent:
        raise _Unusual  # an empty file
    _mapping_start(next_event)
    found: set[str] = set()
    values: dict[str, Any] = {}
    lines: dict[str, tuple[int, ...]] = {}
    while type(event := next_event()) is not _MapEnd:
        name = _key(event, _TOP_KEY_SET, found)
        if name in _SCALAR_KEYS:
            event = next_event()
            values[name] = _SCALAR_KEYS[name](event)
            if name == "title":
                lines[name] = (event.start_mark.line + 1,)
        elif name in _NESTED_KEYS:
            values[name] = _NESTED_KEYS[name](next_event)
        else:  # aliases, similar
            start = _PeekLine(next_event)
            items = _items(start, 30)
            values[name] = tuple(_text(item, 200) for item in items)
            lines[name] = tuple(item.start_mark.line + 1 for item in items) or (start.line,)
    if type(next_event()) is not yaml.DocumentEndEvent:  # pragma: no cover - always next
        raise _Unusual
    if type(next_event()) is not yaml.StreamEndEvent:
        raise _Unusual  # a second document
    if "title" not in values or "year" not in values or "cast" not in values:
        raise _Unusual
    title: str = values["title"]
    year: int = values["year"]
    native = values.get("native_title")
    aliases = values.get("aliases") or ()
    if values.get("similar") and _names_itself(values, slug):
        raise _Unusual
    expected = card_slug(title)
    if expected and slug != expected and slug != card_slug(title, year):
        raise _Unusual  # warned about by the full reader
    card = Card(slug=slug, **{k: v for k, v in values.items() if v is not None})
    names = ((native,) if native else ()) + tuple(aliases)
    return CardReport(card, [], [], title, lines, names)


class _PeekLine:
    """``next_event`` that remembers the line of the first event it gives (a list's start)."""

    __slots__ = ("_next", "line")

    def __init__(self, next_event: Next) -> None:
        self._next = next_event
        self.line = 0

    def __call__(self) -> Any:
        event = self._next()
        if not self.line:
            self.line = event.start_mark.line + 1
        return event


def _names_itself(values: dict[str, Any], slug: str) -> bool:
    """Whether a `similar` title is this card itself (the full reader's error)."""
    own = {slug, values.get("title") or "", values.get("native_title") or ""}
    own.update(values.get("aliases") or ())
    own_keys = {name_key(name) for name in own} - {""}
    for title in values["similar"]:
        keys = {name_key(title)}
        year = _TRAILING_YEAR.search(title)
        if year and int(year.group(1)) == values.get("year"):
            keys.add(name_key(title[: year.start()]))
        if keys & own_keys:
            return True
    return False
