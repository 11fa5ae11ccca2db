"""The actors a role or a part of a drama names, for ``/actor``: "/actor Vincenzo Cassano"
(the player of a role), "sun jae" (a role's given name spelt exactly), "who plays the lead in
goblin" (a drama's cast in billing order). Each is offered as a did-you-mean with the roles."""

from __future__ import annotations

from bot.answering.answer_models import Answer, Choices, NotFound, Subject
from bot.answering.leads import CastAsked
from bot.answering.role_hint import roles_named
from bot.catalog.snapshot import Catalog
from bot.matching.folding import clean_query, fold
from bot.matching.roles import role_keys


def cast_offered(catalog: Catalog, query: str, part: CastAsked) -> Answer:
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


def role_choices(
    catalog: Catalog, query: str, roles: tuple[tuple[str, tuple[str, str]], ...]
) -> Choices:
    """A did-you-mean of the actors who play the roles a query names."""
    options = tuple((id_, catalog.actor_names.labels[id_]) for id_, _ in roles)
    said = tuple(role for _, role in roles)
    return Choices("actor", query, Subject.ACTOR, options, roles=said)


def role_spelt(catalog: Catalog, query: str) -> tuple[tuple[str, tuple[str, str]], ...]:
    """The players of the roles ``query`` spells exactly (one of a role's keys: its name, or
    its given name alone), as :func:`players_of` gives them; () when it spells none."""
    typed = "".join(fold(clean_query(query)).split())
    return tuple(
        (id_, (role, drama))
        for id_, (role, drama) in players_of(catalog, query)
        if typed in role_keys(role)
    )


def players_of(catalog: Catalog, query: str) -> tuple[tuple[str, tuple[str, str]], ...]:
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


def title_role_players(catalog: Catalog, asked: str) -> tuple[tuple[str, tuple[str, str]], ...]:
    """ "who plays vincenzo" (fan pass 18): the drama ``asked`` names exactly, and the
    players of its roles whose names start with that name, its title character (Vincenzo
    Cassano), as :func:`players_of` gives them; () otherwise. One dictionary look-up and one
    card's cast."""
    titles = catalog.titles
    named = titles.named_exactly(asked)
    words = fold(asked).split()
    if len({titles.first_season(slug) for slug in named}) != 1 or not words:
        return ()
    slug = titles.first_season(named[0])
    card = catalog.cards.get(slug)
    found: dict[str, tuple[str, str]] = {}
    for member in card.cast if card is not None else ():
        if member.role and fold(member.role).split()[: len(words)] == words:
            for id_ in catalog.actor_names.named_exactly(member.actor)[:1]:
                found.setdefault(id_, (member.role, titles.labels[slug]))
    return tuple(found.items())
