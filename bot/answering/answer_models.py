"""What a command's answer says, as data: one dataclass per kind of answer (a drama, an
actor's dramas, a "did you mean", not found, a notice, a region we do not know).
:mod:`bot.answering.answers` makes them; :mod:`bot.answering.render` words them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.cards.model import Card
from bot.catalog.snapshot import Actor, Credit, SimilarPick


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
    # Found by their story ("the one where…": ``story_search``), not by a name.
    story: bool = False

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
