"""The in-memory catalog: cards by slug, the title and actor indexes, and computed similarity.

A :class:`Catalog` is immutable once built. A reload builds a new one and swaps the reference,
so a command that is running keeps a consistent view.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from bot.cards.model import Card
from bot.matching.folding import compact, initials
from bot.matching.index import Kind, NameIndex, NameKind
from bot.text import slugify

COMPUTED_SIMILAR_LIMIT = 5
# Genres that say little about a drama on their own.
_WEAK_GENRES = frozenset({"drama", "romance", "comedy"})


@dataclass(frozen=True, slots=True)
class Credit:
    """One actor's part in one drama."""

    slug: str
    role: str | None
    billing: int


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    aliases: tuple[str, ...]
    credits: tuple[Credit, ...]
    native_names: tuple[str, ...] = ()  # in Hangul (or the original script)


@dataclass(frozen=True, slots=True)
class SimilarPick:
    """A drama offered by /similar: from the review, or computed from shared traits."""

    title: str
    slug: str | None
    reason: str
    from_review: bool


@dataclass(slots=True)
class Catalog:
    cards: dict[str, Card]
    titles: NameIndex
    actors: dict[str, Actor]
    actor_names: NameIndex
    _similar: dict[str, tuple[SimilarPick, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, cards: Iterable[Card]) -> Catalog:
        # Building allocates millions of small objects and frees none: collections would
        # only walk them again and again (a quarter of the build at 100,000 cards).
        with _collector_paused():
            return cls._build(cards)

    @classmethod
    def _build(cls, cards: Iterable[Card]) -> Catalog:
        ordered = sorted(cards, key=lambda c: (c.title.casefold(), c.year, c.slug))
        by_slug = {card.slug: card for card in ordered}
        titles = NameIndex.build(
            _title_names(ordered),
            labels={c.slug: c.label for c in ordered},
            order=[c.slug for c in ordered],
            years={c.slug: c.year for c in ordered},
            seasons=_seasons(ordered),
            services={c.network for c in ordered if c.network}
            | {s.service for c in ordered for s in c.streaming},
        )
        actors = _group_actors(ordered)
        actor_names = NameIndex.build(
            (
                (actor.id, name, kind)
                for actor in actors.values()
                for names, kind in (
                    ((actor.name,), NameKind.PRIMARY),
                    (actor.aliases, NameKind.ALIAS),
                    (actor.native_names, NameKind.NATIVE),
                )
                for name in names
            ),
            labels={a.id: a.name for a in actors.values()},
            # Busiest actors first: they lead "did you mean" lists and empty autocomplete.
            order=sorted(
                actors, key=lambda i: (-len(actors[i].credits), actors[i].name.casefold())
            ),
            people=True,
        )
        return cls(by_slug, titles, actors, actor_names)

    def __len__(self) -> int:
        return len(self.cards)

    def seasons(self, slug: str) -> tuple[Card, ...]:
        """Every season of the drama ``slug`` belongs to, in order; empty for a drama with one."""
        card = self.cards.get(slug)
        if card is None:
            return ()
        first = self.titles.first_season(slug)
        found = [c for c in (self.cards.get(i) for i in self.titles.seasons_of(first)) if c]
        return tuple(found) if len(found) > 1 else ()

    def similar(self, slug: str) -> tuple[SimilarPick, ...]:
        """The review's picks first (linked to our cards when we have them), then computed ones."""
        if slug not in self._similar:
            self._similar[slug] = self._compute_similar(self.cards[slug])
        return self._similar[slug]

    def _compute_similar(self, card: Card) -> tuple[SimilarPick, ...]:
        picks: list[SimilarPick] = []
        linked: set[str] = {card.slug}
        # Without a review, the list is the card writer's, not a reviewer's: say so.
        source = "the review's pick" if card.review is not None else "listed on the card"
        for title in card.similar:
            resolution = self.titles.resolve(title)
            target = self.cards.get(resolution.id) if resolution.kind is Kind.MATCH else None
            if target is not None and target.slug in linked:
                continue
            if target is not None:
                linked.add(target.slug)
                picks.append(SimilarPick(target.title, target.slug, source, True))
            else:
                picks.append(SimilarPick(title, None, source, True))
        scored: list[tuple[float, Card, str]] = []
        for other in self.cards.values():
            if other.slug in linked:
                continue
            score, reason = _closeness(card, other)
            if score >= 2.0:
                scored.append((score, other, reason))
        scored.sort(key=lambda item: (-item[0], -item[1].year, item[1].title.casefold()))
        for _score, other, reason in scored[:COMPUTED_SIMILAR_LIMIT]:
            picks.append(SimilarPick(other.title, other.slug, reason, False))
        return tuple(picks)


def _title_names(cards: list[Card]) -> Iterable[tuple[str, str, NameKind]]:
    for card in cards:
        yield card.slug, card.title, NameKind.PRIMARY
        if card.native_title:
            yield card.slug, card.native_title, NameKind.NATIVE
        for alias in card.aliases:
            yield card.slug, alias, NameKind.ALIAS
        yield card.slug, card.slug, NameKind.EXACT_ONLY
        if abbreviation := initials(card.title):
            yield card.slug, abbreviation, NameKind.EXACT_ONLY


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for a block (back on after, if it was on)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _seasons(cards: list[Card]) -> dict[str, tuple[str, int]]:
    """Slug -> (slug of the first season, season number), for dramas with several seasons."""
    later = {c.slug: (c.series, c.season or 1) for c in cards if c.series}
    firsts = {first for first, _ in later.values()}
    seasons = {c.slug: (c.slug, c.season or 1) for c in cards if c.slug in firsts}
    return seasons | {slug: (first, n) for slug, (first, n) in later.items() if first}


def _group_actors(cards: list[Card]) -> dict[str, Actor]:
    """One entry per person: credits whose names or aliases coincide are the same actor."""
    # Actors repeat across cards: fold each distinct name once.
    spelled = {m.actor for card in cards for m in card.cast}
    spelled.update(alias for card in cards for m in card.cast for alias in m.aliases)
    key_of = {name: compact(name) for name in spelled}
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for card in cards:
        for member in card.cast:
            if member.aliases:
                root = find(key_of[member.actor])
                for alias in member.aliases:
                    parent[find(key_of[alias])] = root
    roots = {name: find(key) for name, key in key_of.items()}
    names: dict[str, Counter[str]] = {}
    aliases: dict[str, set[str]] = {}
    native: dict[str, dict[str, None]] = {}
    credits: dict[str, dict[str, Credit]] = {}
    for card in cards:
        slug = card.slug
        for billing, member in enumerate(card.cast, start=1):
            root = roots[member.actor]
            group = credits.get(root)
            if group is None:
                names[root], aliases[root], group = Counter(), set(), {}
                credits[root] = group
            names[root][member.actor] += 1
            if member.aliases:
                aliases[root].update(member.aliases)
            if member.native_name:
                native.setdefault(root, {})[member.native_name] = None
            if slug not in group:  # one credit per drama, even if listed twice
                group[slug] = Credit(slug, member.role, billing)
    years = {card.slug: card.year for card in cards}
    actors: dict[str, Actor] = {}
    for root, counter in names.items():
        name = counter.most_common(1)[0][0] if len(counter) > 1 else next(iter(counter))
        actor_id = slugify(name) or root
        others = tuple(sorted((set(counter) | aliases[root]) - {name}))
        by_year = sorted(credits[root].values(), key=lambda c: (-years[c.slug], c.slug))
        native_names = tuple(native.get(root, ()))
        actors[actor_id] = Actor(actor_id, name, others, tuple(by_year), native_names)
    return actors


def _closeness(card: Card, other: Card) -> tuple[float, str]:
    """How alike two dramas are, with the reason a fan would want to hear."""
    mine = {compact(m.actor) for m in card.cast}
    shared_cast = [m.actor for m in other.cast if compact(m.actor) in mine]
    shared_genres = [g for g in other.genres if g in card.genres]
    strong_genres = [g for g in shared_genres if g not in _WEAK_GENRES]
    score = (
        3.0 * len(shared_cast)
        + 1.0 * len(strong_genres)
        + 0.5 * (len(shared_genres) - len(strong_genres))
    )
    same_network = bool(card.network and card.network == other.network)
    if same_network:
        score += 0.5
    if shared_cast:
        reason = "also stars " + _join(shared_cast)
    elif shared_genres:
        reason = "also " + _join(shared_genres)
    else:
        reason = f"also on {other.network}"
    if not shared_cast and same_network and shared_genres:
        reason += f", on {other.network}"
    return score, reason


def _join(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
