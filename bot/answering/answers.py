"""One function per command: a query and the catalog in, an answer model out (pure).

Answers say *what* to tell the user; :mod:`bot.render` decides how it looks in Discord.
"""

from __future__ import annotations

from dataclasses import replace

from bot.answering.actor_words import actor_in_words
from bot.answering.answer_models import (
    ActorAnswer,
    Answer,
    BaseAnswer,
    CardAnswer,
    Choices,
    NotFound,
    Notice,
    Subject,
    UnknownRegion,
)
from bot.answering.commands import COMMANDS, Invocation, unknown_option
from bot.answering.escaping import query_echo, trimmed_query
from bot.answering.hearsay import told_about
from bot.answering.i18n import CommandName, Phrase
from bot.answering.lead_actors import actors_listed, dramas_with
from bot.answering.leads import cast_asked, drama_of_a_part
from bot.answering.loose_titles import named_in_a_sentence
from bot.answering.mixed_titles import person_in_two_scripts
from bot.answering.other_country import of_another_country
from bot.answering.particles import without_particle
from bot.answering.regions import CountryName, is_country_code, lookup_region
from bot.answering.role_hint import roles_named
from bot.answering.role_players import (
    cast_offered,
    players_of,
    role_choices,
    role_spelt,
    title_role_players,
)
from bot.answering.story_search import is_described, story_choices
from bot.answering.stream_country import with_country
from bot.answering.title_resolve import player_of_a_role_in, resolve_title, role_asked
from bot.answering.title_runs import titles_among_words, titles_inside_words
from bot.cards.model import Card
from bot.catalog.snapshot import Actor, Catalog
from bot.matching.folding import clean_query, fold
from bot.matching.index import Kind, Resolution
from bot.matching.query import title_in_link, without_terminal_codes

# The answer models live in answer_models.py; callers take them from here too.
__all__ = [
    "ActorAnswer",
    "Answer",
    "BaseAnswer",
    "CardAnswer",
    "Choices",
    "NotFound",
    "Notice",
    "Subject",
    "UnknownRegion",
    "answer",
    "card_answer",
    "pick",
]


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
    resolution, where, unknown = with_country(catalog, query, resolution, extra)
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
    found = (
        named_in_a_sentence(catalog, query)
        or told_about(catalog, query)  # "my friend said moving is on disney plus" (fan pass 18)
        or drama_of_a_part(catalog, query)
    )
    return replace(found, query=resolution.query) if found is not None else resolution


def _quoting_typed(result: Answer, typed: str) -> Answer:
    """A not-found or did-you-mean quotes what the user typed, whole: matching trims brackets
    from the ends of a query, which would cut ``<@123> xyz`` to ``@123> xyz``."""
    if isinstance(result, NotFound | Choices) and result.query == clean_query(typed):
        return replace(result, query=trimmed_query(typed))
    return result


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
    # "descendants of the sun philippine remake": another country's drama (fan pass 17)
    resolution = of_another_country(catalog, resolution.query, resolution)
    if resolution.kind is Kind.MATCH and resolution.id in catalog.cards:
        card = catalog.cards[resolution.id]
        return card_answer(catalog, command, card, extra, default_region)
    if resolution.kind is Kind.CANDIDATES:
        if catalog.unloaded and (broken := catalog.unloaded.find(resolution.query, exact=True)):
            # exactly the name of a card that failed to load: not a did-you-mean of others
            return NotFound(command, resolution.query, Subject.DRAMA, broken)
        if (
            is_described(resolution.query)
            # (not when the dramas offered are an actor's: "the one with park bo gum" are
            # his dramas, whichever review names him; fan pass 19)
            and dramas_with(catalog, resolution.query) is None
            and (story := story_choices(catalog, command, resolution.query, extra))
        ):
            return story  # "the one with the zombies in school": its story, not near titles
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
    asked = role_asked(resolution.query)  # "/cast who plays captain ri": the role asked about
    if broken is None and actor is None and (roles := roles_named(catalog, asked)):
        # "/drama Vincenzo Cassano": a character's name points at its drama, as a question.
        options = tuple((slug, catalog.titles.labels[slug]) for slug, _, _ in roles)
        said = tuple((role, player) for _, role, player in roles)
        return Choices(command, resolution.query, Subject.DRAMA, options, extra, roles=said)
    if broken is not None or actor is not None:
        return NotFound(command, resolution.query, Subject.DRAMA, broken, actor)
    # "goblin rewatch value", "squid game s2 new players": a drama's name among other words,
    # offered (fan pass 19); a description first when worded as one ("the one about …").
    described = is_described(resolution.query)
    named = () if described else titles_among_words(catalog, asked)
    if not named and (story := story_choices(catalog, command, resolution.query, extra)):
        return story  # "zombie high school drama": no title, a story (story_search)
    if not named:
        # "is signal scary or not? and is it long", a drama named inside a long rambling
        # line (not a description: "goblin the one with the grim reaper" says what it is
        # about, round 13's rule): offered (fan pass 20)
        named = (
            titles_among_words(catalog, asked)
            if described
            else titles_inside_words(catalog, resolution.query)
        )
    if named:
        options = tuple((slug, catalog.titles.labels[slug]) for slug in named)
        return Choices(command, resolution.query, Subject.DRAMA, options, extra)
    return NotFound(command, resolution.query, Subject.DRAMA)


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
    if not linked and (listed := actors_listed(catalog, query)):
        # "hyun bin, son ye jin", "hyun bin, iu": a list of names is those people, never one
        # person whose name is near the names run together.
        options = tuple((i, catalog.actor_names.labels[i]) for i in listed)
        return Choices("actor", clean_query(query), Subject.ACTOR, options)
    resolution = catalog.actor_names.resolve(linked or query)
    if resolution.kind is Kind.MATCH and resolution.id in catalog.actors:
        return _actor_answer(catalog, catalog.actors[resolution.id])
    # "현빈이", "아이유는": a Korean particle after a person's Hangul name
    bare = None if linked else without_particle(query)
    if (
        bare
        and len(ids := catalog.actor_names.named_exactly(bare)) == 1
        and ids[0] in catalog.actors
    ):
        return _actor_answer(catalog, catalog.actors[ids[0]])
    mixed = person_in_two_scripts(catalog, query) if resolution.kind is Kind.NONE else ()
    if len(mixed) == 1 and mixed[0] in catalog.actors:  # "현bin", "kim 수현": half in Hangul
        return _actor_answer(catalog, catalog.actors[mixed[0]])
    # "IU my mister", "who is song kang": the name among other words (a sure answer beats a
    # "did you mean" of near spellings: "lee jong suk in w").
    named = None if linked or resolution.kind is Kind.MATCH else actor_in_words(catalog, query)
    if named is not None and named.kind is Kind.MATCH and named.ids[0] in catalog.actors:
        return _actor_answer(catalog, catalog.actors[named.ids[0]])
    if resolution.kind is Kind.CANDIDATES and (spelt := role_spelt(catalog, query)):
        # "sun jae": a role's name spelt exactly (Ryu Sun-jae's given name), where actors'
        # names are only near spellings (Yook Sung Jae): the role's actor is offered.
        return role_choices(catalog, resolution.query, spelt)
    if resolution.kind is Kind.CANDIDATES:
        options = tuple((i, catalog.actor_names.labels[i]) for i in resolution.ids)
        return Choices("actor", resolution.query, Subject.ACTOR, options)
    player = player_of_a_role_in(catalog, query) if named is None else None
    if player is not None and player in catalog.actors:
        return _actor_answer(catalog, catalog.actors[player])  # "who plays kim shin in goblin"
    roles = players_of(catalog, resolution.query)
    if not roles and (role := role_asked(query)) != fold(clean_query(query)):
        # "who played ri jeong hyeok"; "who plays vincenzo": its title character; "who plays
        # sang tae the older brother": the name before what is said of the character
        called, said, _ = role.partition(" the ")
        roles = (
            players_of(catalog, role)
            or title_role_players(catalog, role)
            or (players_of(catalog, called) if said and _apposed(called) else ())
        )
    if roles:
        # "/actor Vincenzo Cassano": a character's name points at the actor who plays it.
        return role_choices(catalog, resolution.query, roles)
    if (part := cast_asked(catalog, query)) is not None:
        return cast_offered(catalog, resolution.query, part)  # "who plays the lead in goblin"
    if named is not None:
        options = tuple((i, catalog.actor_names.labels[i]) for i in named.ids)
        return Choices("actor", resolution.query, Subject.ACTOR, options)
    return NotFound("actor", resolution.query, Subject.ACTOR)


def _apposed(called: str) -> bool:
    """Whether ``called`` (the words before "the" in a role asked about) is a name said more of
    ("sang tae" of "sang tae the older brother"), not a name and where ("kim shin in" of "kim
    shin in the glory": a drama named, the role looked for in it elsewhere)."""
    return bool(called) and called.rpartition(" ")[2] not in {"in", "from", "of", "on"}


def _actor_answer(catalog: Catalog, actor: Actor) -> ActorAnswer:
    credits = tuple(
        (catalog.cards[credit.slug], credit)
        for credit in actor.credits
        if credit.slug in catalog.cards
    )
    return ActorAnswer("actor", actor, credits)
