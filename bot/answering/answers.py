"""One function per command: a query and the catalog in, an answer model out (pure).

Answers say *what* to tell the user; :mod:`bot.render` decides how it looks in Discord.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum

from bot.answering.actor_words import actor_in_words
from bot.answering.commands import COMMANDS, Invocation, unknown_option
from bot.answering.escaping import query_echo, trimmed_query
from bot.answering.i18n import CommandName, Phrase
from bot.answering.leads import CastAsked, cast_asked, drama_of_a_part
from bot.answering.loose_titles import named_in_a_sentence
from bot.answering.regions import CountryName, is_country_code, lookup_region, names_a_language
from bot.answering.role_hint import roles_named
from bot.answering.title_resolve import player_of_a_role_in, resolve_title, role_asked
from bot.cards.model import Card
from bot.catalog.snapshot import Actor, Catalog, Credit, SimilarPick
from bot.matching.folding import clean_query, fold
from bot.matching.index import Kind, Resolution
from bot.matching.query import title_in_link, without_terminal_codes
from bot.matching.roles import role_keys


class BaseAnswer:
    """What the CLI's ``--json`` line reports of any answer: the drama it is about, when the
    title resolved confidently, and the ids a "did you mean" offers. Most answers have
    neither; those that do override these."""

    __slots__ = ()

    @property
    def card_slug(self) -> str | None:
        return None

    @property
    def candidate_ids(self) -> tuple[str, ...]:
        return ()


class Subject(StrEnum):
    DRAMA = "drama"
    ACTOR = "actor"


@dataclass(frozen=True, slots=True)
class CardAnswer(BaseAnswer):
    """An answer about one drama (``/drama``, ``/cast``, ``/stream``, ``/rating``, ``/similar``)."""

    command: str
    card: Card
    similar: tuple[SimilarPick, ...] = ()
    region: str | None = None  # alpha-2 code asked about (or the server's default region)
    region_is_default: bool = False  # the region came from the server's settings, not the user
    note: str = ""  # a line about how the drama was chosen (e.g. by /random)
    page: int = 0  # long casts and similar lists are shown a page at a time
    seasons: tuple[Card, ...] = ()  # every season of this drama, in order, when it has several

    @property
    def card_slug(self) -> str | None:
        return self.card.slug


@dataclass(frozen=True, slots=True)
class ActorAnswer(BaseAnswer):
    """``/actor``: one person's dramas, newest first."""

    command: str
    actor: Actor
    credits: tuple[tuple[Card, Credit], ...]
    page: int = 0  # long filmographies are shown a page at a time


@dataclass(frozen=True, slots=True)
class Choices(BaseAnswer):
    """ "Did you mean…?": the query fits several names about equally well."""

    command: str
    query: str
    subject: Subject
    options: tuple[tuple[str, str], ...]  # (id, label)
    extra: dict[str, str] = field(default_factory=dict)  # other options to replay on a pick
    # A season the query named that we lack: the options are the seasons we have instead,
    # with their season numbers (None for a drama with one season).
    missing_season: int | None = None
    option_seasons: tuple[int | None, ...] = ()
    # A year the query named in which no drama of that name aired: the options are what we have.
    missing_year: int | None = None
    # A character's name typed for a title: per option, (role, actor) of the role it names.
    roles: tuple[tuple[str, str], ...] = ()
    # A part of a drama asked about ("/actor the lead in goblin"): the drama's label; the
    # options are its cast in billing order, ``roles`` their (role, drama) each.
    part_of: str = ""

    @property
    def candidate_ids(self) -> tuple[str, ...]:
        return tuple(id_ for id_, _ in self.options)


@dataclass(frozen=True, slots=True)
class NotFound(BaseAnswer):
    command: str
    query: str
    subject: Subject
    unloaded: str | None = None  # the title of a card that fits but failed to load
    actor: str | None = None  # an actor's name typed where a title belongs ("/drama hyun bin")


@dataclass(frozen=True, slots=True)
class Notice(BaseAnswer):
    """A short message for the asker alone: a usage problem, a refusal, a reload report."""

    command: str
    text: str
    title: str | None = None
    lines: tuple[str, ...] = ()
    ok: bool = False


@dataclass(frozen=True, slots=True)
class UnknownRegion(BaseAnswer):
    """``/stream ... region:`` named no country we know; ``suggestion`` is the closest one."""

    command: str
    typed: str
    suggestion: str | None = None


Answer = CardAnswer | ActorAnswer | Choices | NotFound | Notice | UnknownRegion


def answer(
    catalog: Catalog, invocation: Invocation, *, default_region: str | None = None
) -> Answer:
    """Answer a look-up command (everything but ``/reload``, which needs the service).

    ``default_region`` (an alpha-2 code, e.g. a server's setting) is what ``/stream`` answers
    for when the user names no region.
    """
    name = invocation.name
    # A terminal's colour codes pasted with the text are no part of it (never matched, never
    # echoed): "vincenzo\x1b[31m" is "vincenzo".
    options = {key: without_terminal_codes(value) for key, value in invocation.options.items()}
    spec = COMMANDS[name]
    typed = options.get(spec.options[0].name, "") if spec.options else ""
    if spec.options and spec.options[0].required and not any(ch.isalnum() for ch in typed):
        key = "usage.no_name" if name == "actor" else "usage.no_title"
        return Notice(name, Phrase(key, typed=query_echo(typed)))  # `"` alone is nothing
    if spec.options and (stray := unknown_option(name, typed)) is not None:
        return Notice(name, stray)  # "run on year:2020" typed into Discord's title field
    if name == "actor":
        return _quoting_typed(_actor(catalog, typed), typed)
    extra: dict[str, str] = {}
    if name == "stream" and (typed := options.get("region", "").strip()):
        found = lookup_region(typed)
        if found.country is None:
            suggestion = found.suggestion.short_name if found.suggestion else None
            return UnknownRegion(name, typed, suggestion)
        extra["region"] = found.country.code
    query = options.get(spec.options[0].name, "") if spec.options else ""
    if title_in_link(query) == "":
        # Netflix's /title/81365087, IMDb's /title/tt...: the address names no title to look up.
        return Notice(name, Phrase("not_found.link_without_title", command=CommandName(name)))
    whole = catalog.titles.resolve(query) if name == "stream" else None
    resolution = resolve_title(catalog, query, resolved=whole)
    if whole is None or whole.kind is Kind.MATCH:
        # (for /stream, only a query the index names whole: "the glory but in canada" names
        # The Glory through the wish after it, and the wish names a country)
        resolution = _in_a_sentence(catalog, query, resolution)
        return _quoting_typed(_about_title(catalog, name, resolution, extra, default_region), query)
    asked = extra.get("region")
    resolution, where, unknown = _with_country(catalog, query, resolution, extra)
    if unknown is not None:
        return unknown
    resolution = _in_a_sentence(catalog, query, resolution)
    outside = None if where is None or not where.outside else lookup_region(where.typed).country
    if outside is not None and default_region and default_region.upper() == outside.code:
        default_region = None  # "outside korea" in a server whose default is Korea
    found = _quoting_typed(_about_title(catalog, name, resolution, extra, default_region), query)
    if not isinstance(found, CardAnswer) or where is None:
        return found
    if where.unknown:
        # "the glory but in the congo": a place we do not know, said back with what is shown.
        key = "stream.unknown_place_default" if found.region_is_default else "stream.unknown_place"
        return replace(found, note=Phrase(key, typed=query_echo(where.typed)))
    if outside is not None:
        # "anna outside korea": no one country to answer for; the answer says what it shows.
        key = "stream.outside_default" if found.region_is_default else "stream.outside"
        said = CountryName(outside.name, outside.code)  # "outside the United States"
        return replace(found, note=Phrase(key, country=said))
    named = lookup_region(where.typed).country
    if asked and named and named.code != asked:
        # "run on in chile region:KR": the option wins, and the answer says so.
        note = Phrase("stream.region_option_wins", typed=query_echo(where.typed), region=asked)
        return replace(found, note=note)
    return found


def _in_a_sentence(catalog: Catalog, query: str, resolution: Resolution) -> Resolution:
    """When nothing else named a drama (for /stream, not a country after it either), the
    drama a sentence names word for word (:func:`loose_titles.named_in_a_sentence`), or the
    drama a question about one of its parts names ("the female lead of the glory", "who
    plays captain ri in cloy": :func:`leads.drama_of_a_part`)."""
    if resolution.kind is not Kind.NONE:
        return resolution
    found = named_in_a_sentence(catalog, query) or drama_of_a_part(catalog, query)
    return replace(found, query=resolution.query) if found is not None else resolution


def _quoting_typed(result: Answer, typed: str) -> Answer:
    """A not-found or did-you-mean quotes what the user typed, whole: matching trims brackets
    from the ends of a query, which would cut ``<@123> xyz`` to ``@123> xyz``."""
    if isinstance(result, NotFound | Choices) and result.query == clean_query(typed):
        return replace(result, query=trimmed_query(typed))
    return result


_IN_PARENTHESES = re.compile(r"^(?P<title>.*?)\s*\((?P<where>[^()]*)\)\s*$")


def _country_splits(query: str) -> list[tuple[str, str, bool]]:
    """Ways to read a query as a title and a country after it: (title, country, strict). "the
    glory in germany", "the glory (germany)", "the glory, germany", and, strict (the title
    must name one drama), "the glory germany" with a country of up to three words."""
    text = query.strip()
    splits: list[tuple[str, str, bool]] = []
    title, found, where = text.rpartition(" in ")
    if found:
        splits.append((title, where, False))
    if bracketed := _IN_PARENTHESES.match(text):
        splits.append((bracketed["title"], bracketed["where"], False))
    title, found, where = text.rpartition(",")
    if found:
        splits.append((title, where, False))
    words = text.split()
    for size in (1, 2, 3):
        if len(words) > size:
            splits.append((" ".join(words[:-size]), " ".join(words[-size:]), True))
    # (a question's marks are no part of the country: "anna in korea??"; nor a wish's word
    # of the title: "the glory but in canada")
    splits = [
        (_before_a_wish(t), w.strip().rstrip("?!.").strip(), strict) for t, w, strict in splits
    ]
    return [(t, w, strict) for t, w, strict in splits if t and w]


# A word that starts a wish after a title, before a country: "the glory but in canada".
_WISH_AT_END = re.compile(r"[\s,]+(?:but|though|although)[\s,]*$", re.IGNORECASE)
# A country the asker is not in: "anna outside (of) korea", "the glory except (in) korea",
# "the glory but not in korea".
_OUTSIDE = re.compile(
    r"^(?P<title>.+)\s+(?:outside(?:\s+of)?|except(?:\s+in)?|not\s+in)\s+(?P<where>\S.*)$",
    re.IGNORECASE,
)


# A place after a wish's first word: "the glory but in the congo" (a language there is a wish
# about subtitles: "the glory but in english").
_WISH_PLACE = re.compile(
    r"^.+?[\s,]+(?:but|though|although)[\s,]+in\s+(?P<where>\S.*?)[\s?!.]*$", re.IGNORECASE
)


def _before_a_wish(title: str) -> str:
    """``"the glory but"`` -> ``"the glory"``: the words before a wish's first word."""
    return _WISH_AT_END.sub("", title.strip()).strip()


@dataclass(frozen=True, slots=True)
class _Where:
    """The country words of a /stream query, as typed; ``outside``: after "outside"."""

    typed: str
    outside: bool = False
    unknown: bool = False  # after a wish's "but in": no country we know, nor a language


def _with_country(
    catalog: Catalog, query: str, resolution: Resolution, extra: dict[str, str]
) -> tuple[Resolution, _Where | None, UnknownRegion | None]:
    """``/stream the glory in korea`` (or ``(korea)``, ``, korea``, ``korea``): a country after
    the title, when the whole query names no drama, is the region asked about (a ``region:``
    given too is the one answered for). Returns the resolution, the country as typed, and an
    :class:`UnknownRegion` when the words after "in" name no country we know but the words
    before name one drama ("crash landing on you in the congo")."""
    title, found, where = query.strip().rpartition(" in ")
    where, title = where.strip().rstrip("?!."), title.strip()
    if (
        found
        and title
        and len(where.split()) <= 3
        and "region" not in extra
        and not (region := lookup_region(where)).country
        and catalog.titles.resolve(title).kind is Kind.MATCH
    ):
        # "crash landing on you in the congo": the words before "in" name one drama, so the
        # words after it were meant as a country, one we do not know.
        suggestion = region.suggestion
        if suggestion is None and (bare := re.sub(r"^the\s+", "", where.strip(), flags=re.I)):
            without_the = lookup_region(bare)
            suggestion = without_the.country or without_the.suggestion
        named = suggestion.short_name if suggestion else None
        return resolution, None, UnknownRegion("stream", where.strip(), named)
    outside = _OUTSIDE.match(query.strip())
    where = outside["where"].rstrip("?!. ") if outside else ""
    if outside and where and lookup_region(where).country:
        # "anna outside korea", "the glory except in korea": a country the asker is not in
        # names no region to answer for.
        retry = catalog.titles.resolve(_before_a_wish(outside["title"]))
        if retry.kind is not Kind.NONE:
            return retry, _Where(where, outside=True), None
    for title, where, strict in _country_splits(query):
        country = lookup_region(where).country
        if country is None or (strict and title.split()[-1].lower() in {"in", "the", "of"}):
            continue
        retry = catalog.titles.resolve(title)
        if retry.kind is Kind.NONE or (strict and retry.kind is not Kind.MATCH):
            continue
        extra.setdefault("region", country.code)
        return retry, _Where(where), None
    wish = _WISH_PLACE.match(query.strip())
    if (
        wish is not None
        and resolution.kind is Kind.MATCH
        and len(wish["where"].split()) <= 3
        and not names_a_language(wish["where"])
    ):
        return resolution, _Where(wish["where"], unknown=True), None  # "… but in narnia"
    return resolution, None, None


def pick(
    catalog: Catalog,
    command: str,
    chosen: str,
    extra: dict[str, str],
    *,
    default_region: str | None = None,
) -> Answer:
    """Answer after the asker picked ``chosen`` (an id) from a "did you mean" menu."""
    if command == "actor":
        actor = catalog.actors.get(chosen)
        if actor is None:
            return NotFound(command, chosen, Subject.ACTOR)
        return _actor_answer(catalog, actor)
    if chosen not in catalog.cards:
        return NotFound(command, chosen, Subject.DRAMA)
    return card_answer(catalog, command, catalog.cards[chosen], extra, default_region)


def _about_title(
    catalog: Catalog,
    command: str,
    resolution: Resolution,
    extra: dict[str, str],
    default_region: str | None,
) -> Answer:
    if resolution.kind is Kind.MATCH and resolution.id in catalog.cards:
        card = catalog.cards[resolution.id]
        return card_answer(catalog, command, card, extra, default_region)
    if resolution.kind is Kind.CANDIDATES:
        if catalog.unloaded and (broken := catalog.unloaded.find(resolution.query, exact=True)):
            # exactly the name of a card that failed to load: not a did-you-mean of others
            return NotFound(command, resolution.query, Subject.DRAMA, broken)
        options = tuple((i, catalog.titles.labels[i]) for i in resolution.ids)
        if resolution.missing_season is not None:
            numbers = tuple(catalog.cards[i].season for i in resolution.ids)
            return Choices(
                command,
                resolution.query,
                Subject.DRAMA,
                options,
                extra,
                resolution.missing_season,
                numbers,
            )
        return Choices(
            command,
            resolution.query,
            Subject.DRAMA,
            options,
            extra,
            missing_year=resolution.missing_year,
        )
    # A card that failed to load is not "no such drama": found by any of its names, a typo
    # or the start of its title, when nothing we serve fits.
    broken = catalog.unloaded.find(resolution.query) if catalog.unloaded else None
    # "/drama hyun bin": a person's name is a hint to use /actor, never a card.
    people = catalog.actor_names.named_exactly(resolution.query) if broken is None else ()
    actor = catalog.actor_names.labels.get(people[0]) if len(people) == 1 else None
    if broken is None and actor is None and (roles := roles_named(catalog, resolution.query)):
        # "/drama Vincenzo Cassano": a character's name points at its drama, as a question.
        options = tuple((slug, catalog.titles.labels[slug]) for slug, _, _ in roles)
        said = tuple((role, player) for _, role, player in roles)
        return Choices(command, resolution.query, Subject.DRAMA, options, extra, roles=said)
    return NotFound(command, resolution.query, Subject.DRAMA, broken, actor)


def card_answer(
    catalog: Catalog,
    command: str,
    card: Card,
    extra: dict[str, str],
    default_region: str | None = None,
) -> CardAnswer:
    similar = catalog.similar(card.slug) if command in {"drama", "similar"} else ()
    region = extra.get("region")
    by_default = False
    if (
        region is None
        and command == "stream"
        and default_region
        and is_country_code(default_region)
    ):
        region, by_default = default_region.upper(), True
    seasons = catalog.seasons(card.slug) if command == "drama" else ()
    return CardAnswer(command, card, similar, region, by_default, seasons=seasons)


def _actor(catalog: Catalog, query: str) -> Answer:
    linked = title_in_link(query)  # an actor's page: "https://mydramalist.com/people/1-iu"
    if linked == "":  # IMDb's /name/nm1234567: the address names no one
        return Notice("actor", Phrase("not_found.link_without_name", command=CommandName("actor")))
    resolution = catalog.actor_names.resolve(linked or query)
    if resolution.kind is Kind.MATCH and resolution.id in catalog.actors:
        return _actor_answer(catalog, catalog.actors[resolution.id])
    # "IU my mister", "who is song kang": the name among other words (a sure answer beats a
    # "did you mean" of near spellings: "lee jong suk in w").
    named = None if linked or resolution.kind is Kind.MATCH else actor_in_words(catalog, query)
    if named is not None and named.kind is Kind.MATCH and named.ids[0] in catalog.actors:
        return _actor_answer(catalog, catalog.actors[named.ids[0]])
    if resolution.kind is Kind.CANDIDATES and (spelt := _role_spelt(catalog, query)):
        # "sun jae": a role's name spelt exactly (Ryu Sun-jae's given name), where actors'
        # names are only near spellings (Yook Sung Jae): the role's actor is offered.
        return _role_choices(catalog, resolution.query, spelt)
    if resolution.kind is Kind.CANDIDATES:
        options = tuple((i, catalog.actor_names.labels[i]) for i in resolution.ids)
        return Choices("actor", resolution.query, Subject.ACTOR, options)
    player = player_of_a_role_in(catalog, query) if named is None else None
    if player is not None and player in catalog.actors:
        return _actor_answer(catalog, catalog.actors[player])  # "who plays kim shin in goblin"
    roles = _players_of(catalog, resolution.query)
    if not roles and (role := role_asked(query)) != fold(clean_query(query)):
        roles = _players_of(catalog, role)  # "who played ri jeong hyeok"
    if roles:
        # "/actor Vincenzo Cassano": a character's name points at the actor who plays it.
        return _role_choices(catalog, resolution.query, roles)
    if (part := cast_asked(catalog, query)) is not None:
        return _cast_offered(catalog, resolution.query, part)  # "who plays the lead in goblin"
    if named is not None:
        options = tuple((i, catalog.actor_names.labels[i]) for i in named.ids)
        return Choices("actor", resolution.query, Subject.ACTOR, options)
    return NotFound("actor", resolution.query, Subject.ACTOR)


def _cast_offered(catalog: Catalog, query: str, part: CastAsked) -> Answer:
    """The cast members a question about a part of a drama may mean, as a did-you-mean (each
    with their role); not found when none of them is in the actor index."""
    card = catalog.cards[part.slug]
    label = catalog.titles.labels[part.slug]
    options, said = [], []
    for place in part.places:
        member = card.cast[place]
        for id_ in catalog.actor_names.named_exactly(member.actor)[:1]:
            options.append((id_, catalog.actor_names.labels[id_]))
            said.append((member.role or "", label))
    if not options:
        return NotFound("actor", query, Subject.ACTOR)
    offered = tuple(options)
    return Choices("actor", query, Subject.ACTOR, offered, roles=tuple(said), part_of=label)


def _role_choices(
    catalog: Catalog, query: str, roles: tuple[tuple[str, tuple[str, str]], ...]
) -> Choices:
    """A did-you-mean of the actors who play the roles a query names."""
    options = tuple((id_, catalog.actor_names.labels[id_]) for id_, _ in roles)
    said = tuple(role for _, role in roles)
    return Choices("actor", query, Subject.ACTOR, options, roles=said)


def _role_spelt(catalog: Catalog, query: str) -> tuple[tuple[str, tuple[str, str]], ...]:
    """The players of the roles ``query`` spells exactly (one of a role's keys: its name, or
    its given name alone), as :func:`_players_of` gives them; () when it spells none."""
    typed = "".join(fold(clean_query(query)).split())
    return tuple(
        (id_, (role, drama))
        for id_, (role, drama) in _players_of(catalog, query)
        if typed in role_keys(role)
    )


def _players_of(catalog: Catalog, query: str) -> tuple[tuple[str, tuple[str, str]], ...]:
    """(actor's id, (role, drama)) for each actor who plays a role ``query`` names well; an
    actor once, at the first role found (the same role in three seasons is one actor)."""
    found: dict[str, tuple[str, str]] = {}
    for slug, role, player in roles_named(catalog, query):
        for id_ in catalog.actor_names.named_exactly(player):
            actor = catalog.actors.get(id_)
            if actor is not None and any(c.slug == slug for c in actor.credits):
                found.setdefault(id_, (role, catalog.titles.labels[slug]))
                break
    return tuple(found.items())


def _actor_answer(catalog: Catalog, actor: Actor) -> ActorAnswer:
    credits = tuple(
        (catalog.cards[credit.slug], credit)
        for credit in actor.credits
        if credit.slug in catalog.cards
    )
    return ActorAnswer("actor", actor, credits)
