"""One function per command: a query and the catalog in, an answer model out (pure).

Answers say *what* to tell the user; :mod:`bot.render` decides how it looks in Discord.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from bot.answering.commands import COMMANDS, Invocation
from bot.cards.model import Card
from bot.catalog.snapshot import Actor, Catalog, Credit, SimilarPick
from bot.matching.index import Kind, Resolution

_REGION = re.compile(r"^[A-Za-z]{2}$")


class Subject(StrEnum):
    DRAMA = "drama"
    ACTOR = "actor"


@dataclass(frozen=True, slots=True)
class CardAnswer:
    """An answer about one drama (``/drama``, ``/cast``, ``/stream``, ``/rating``, ``/similar``)."""

    command: str
    card: Card
    similar: tuple[SimilarPick, ...] = ()
    region: str | None = None
    seasons: tuple[Card, ...] = ()  # every season of this drama, in order, when it has several

    @property
    def card_slug(self) -> str | None:
        return self.card.slug

    @property
    def candidate_ids(self) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True, slots=True)
class ActorAnswer:
    """``/actor``: one person's dramas, newest first."""

    command: str
    actor: Actor
    credits: tuple[tuple[Card, Credit], ...]

    @property
    def card_slug(self) -> str | None:
        return None

    @property
    def candidate_ids(self) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True, slots=True)
class Choices:
    """ "Did you mean…?": the query fits several names about equally well."""

    command: str
    query: str
    subject: Subject
    options: tuple[tuple[str, str], ...]  # (id, label)
    extra: dict[str, str] = field(default_factory=dict)  # other options to replay on a pick
    note: str | None = None  # why these are offered, when it is not just a near spelling

    @property
    def card_slug(self) -> str | None:
        return None

    @property
    def candidate_ids(self) -> tuple[str, ...]:
        return tuple(id_ for id_, _ in self.options)


@dataclass(frozen=True, slots=True)
class NotFound:
    command: str
    query: str
    subject: Subject

    @property
    def card_slug(self) -> str | None:
        return None

    @property
    def candidate_ids(self) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True, slots=True)
class Notice:
    """A short message for the asker alone: a usage problem, a refusal, a reload report."""

    command: str
    text: str
    title: str | None = None
    lines: tuple[str, ...] = ()
    ok: bool = False

    @property
    def card_slug(self) -> str | None:
        return None

    @property
    def candidate_ids(self) -> tuple[str, ...]:
        return ()


Answer = CardAnswer | ActorAnswer | Choices | NotFound | Notice


def answer(catalog: Catalog, invocation: Invocation) -> Answer:
    """Answer a look-up command (everything but ``/reload``, which needs the service)."""
    name, options = invocation.name, invocation.options
    spec = COMMANDS[name]
    if name == "actor":
        return _actor(catalog, options.get("name", ""))
    if name == "stream" and (region := options.get("region")) and not _REGION.match(region):
        return Notice(name, "Regions are two-letter country codes, such as US, KR or GB.")
    query = options.get(spec.options[0].name, "") if spec.options else ""
    extra = {k: v.upper() for k, v in options.items() if k == "region"}
    resolution = catalog.titles.resolve(query)
    return _about_title(catalog, name, resolution, extra)


def pick(catalog: Catalog, command: str, chosen: str, extra: dict[str, str]) -> Answer:
    """Answer after the asker picked ``chosen`` (an id) from a "did you mean" menu."""
    if command == "actor":
        actor = catalog.actors.get(chosen)
        if actor is None:
            return NotFound(command, chosen, Subject.ACTOR)
        return _actor_answer(catalog, actor)
    if chosen not in catalog.cards:
        return NotFound(command, chosen, Subject.DRAMA)
    return _card_answer(catalog, command, catalog.cards[chosen], extra)


def _about_title(
    catalog: Catalog, command: str, resolution: Resolution, extra: dict[str, str]
) -> Answer:
    if resolution.kind is Kind.MATCH and resolution.id in catalog.cards:
        return _card_answer(catalog, command, catalog.cards[resolution.id], extra)
    if resolution.kind is Kind.CANDIDATES:
        options = tuple((i, catalog.titles.labels[i]) for i in resolution.ids)
        note = None
        if resolution.missing_season is not None:
            note = _seasons_we_have(
                [catalog.cards[i] for i in resolution.ids if i in catalog.cards],
                resolution.missing_season,
            )
        return Choices(command, resolution.query, Subject.DRAMA, options, extra, note)
    return NotFound(command, resolution.query, Subject.DRAMA)


def _seasons_we_have(cards: list[Card], asked: int) -> str:
    """ "We have Hospital Playlist (2020), season 1 — not season 2." """
    have = [c.label + (f", season {c.season}" if c.season else "") for c in cards]
    listed = have[0] if len(have) == 1 else ", ".join(have[:-1]) + " and " + have[-1]
    return f"We have {listed} — not season {asked}."


def _card_answer(catalog: Catalog, command: str, card: Card, extra: dict[str, str]) -> CardAnswer:
    similar = catalog.similar(card.slug) if command in {"drama", "similar"} else ()
    seasons = catalog.seasons(card.slug) if command == "drama" else ()
    return CardAnswer(command, card, similar, extra.get("region"), seasons)


def _actor(catalog: Catalog, query: str) -> Answer:
    resolution = catalog.actor_names.resolve(query)
    if resolution.kind is Kind.MATCH and resolution.id in catalog.actors:
        return _actor_answer(catalog, catalog.actors[resolution.id])
    if resolution.kind is Kind.CANDIDATES:
        options = tuple((i, catalog.actor_names.labels[i]) for i in resolution.ids)
        return Choices("actor", resolution.query, Subject.ACTOR, options)
    return NotFound("actor", resolution.query, Subject.ACTOR)


def _actor_answer(catalog: Catalog, actor: Actor) -> ActorAnswer:
    credits = tuple(
        (catalog.cards[credit.slug], credit)
        for credit in actor.credits
        if credit.slug in catalog.cards
    )
    return ActorAnswer("actor", actor, credits)
