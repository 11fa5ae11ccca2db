"""The in-memory catalog: cards by slug, the title and actor indexes, and computed similarity.

A :class:`Catalog` is immutable once built. A reload builds a new one and swaps the reference,
so a command that is running keeps a consistent view.
"""

from __future__ import annotations

import gc
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

import numpy as np

from bot.cards.house import is_house_review
from bot.cards.loader import Unloaded
from bot.cards.model import Card, CastMember
from bot.catalog.facets import Facets
from bot.catalog.groups import Groups
from bot.catalog.lazy_cards import LazyCards, StoredBody
from bot.catalog.similarity import Likeness, Traits, closeness, likeness
from bot.catalog.similarity_process import ComputedPicks
from bot.matching.common_words import warm as warm_common_words
from bot.matching.folding import compact, initials
from bot.matching.index import Kind, NameIndex, NameKind
from bot.matching.packed import PackedLabels, PackedTexts
from bot.matching.pieces import (
    PIECE,
    free_in_slices,
    listed,
    mapped,
    numbered,
    numbers_listed,
    sorted_in_pieces,
)
from bot.text import slugify


# Credits and actors are named tuples (immutable, compared by value, as frozen dataclasses
# are): hundreds of thousands of them are made again when a kept catalog is read, and a
# tuple's constructor is a few times cheaper than a frozen dataclass's.
class Credit(NamedTuple):
    """One actor's part in one drama."""

    slug: str
    role: str | None
    billing: int


class Actor(NamedTuple):
    id: str
    name: str
    aliases: tuple[str, ...]
    credits: tuple[Credit, ...]
    native_names: tuple[str, ...] = ()  # in Hangul (or the original script)


_CREDITS, _SLUG, _ROLE, _BILLING = itemgetter(3), itemgetter(0), itemgetter(1), itemgetter(2)


class ActorTable(Mapping[str, Actor]):
    """Actors by id, held as columns (one list per field, the credits of all actors one after
    the other): each :class:`Actor` is made when asked for. A kept catalog is read back
    without making a quarter of a million credits and fifty thousand actors at 100,000 cards
    (0.2 to 0.3 s of CPU at every warm start); an answer asks for one actor or a few."""

    __slots__ = (
        "_at",
        "_ends",
        "aliases",
        "billings",
        "ids",
        "names",
        "native_names",
        "roles",
        "slugs",
    )

    def __init__(self, actors: Mapping[str, Actor]) -> None:
        self.ids = list(actors)
        self._at = numbered(self.ids)  # (shared numbers)
        rows = list(actors.values())
        self.names = [actor.name for actor in rows]
        self.aliases = [actor.aliases for actor in rows]
        self.native_names = [actor.native_names for actor in rows]
        # The credits as three columns, made by C calls a piece at a time (a Python loop over
        # every credit was 0.3 s of the cold build at 100,000 cards).
        groups = mapped(_CREDITS, rows)
        lengths = np.fromiter(map(len, groups), dtype=np.int64, count=len(groups))
        self._ends: list[int] = numbers_listed(np.cumsum(lengths))
        every: list[Credit] = []
        for start in range(0, len(groups), PIECE):
            every += itertools.chain.from_iterable(groups[start : start + PIECE])
        self.slugs: list[str] = mapped(_SLUG, every)
        # (the roles, mostly distinct, in one buffer: no string object per credit)
        self.roles = PackedTexts(mapped(_ROLE, every))
        self.billings: list[int] = mapped(_BILLING, every)

    def __getitem__(self, key: str) -> Actor:
        at = self._at[key]
        start, end = self._ends[at - 1] if at else 0, self._ends[at]
        fields = zip(
            self.slugs[start:end],
            self.roles.span(start, end),
            self.billings[start:end],
            strict=True,
        )
        credits = tuple(map(tuple.__new__, itertools.repeat(Credit), fields))
        return tuple.__new__(  # type: ignore[no-any-return]
            Actor, (self.ids[at], self.names[at], self.aliases[at], credits, self.native_names[at])
        )

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self._at else default

    def __contains__(self, key: object) -> bool:
        return key in self._at

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        return f"ActorTable({len(self.ids)} actors)"


@dataclass(frozen=True, slots=True)
class SimilarPick:
    """A drama offered by /similar: from the review, or computed from shared traits."""

    title: str
    slug: str | None
    reason: str  # in English; ``likeness`` holds the facts behind a computed pick's reason
    from_review: bool
    likeness: Likeness | None = field(default=None, compare=False)  # the same reason, as facts
    #: A listed title whose card exists but failed to load (``slug`` is None): not "no card".
    unloaded: bool = False


@dataclass(frozen=True, slots=True)
class UnloadedCards:
    """Cards whose files failed to load, found by every name that could be read of them
    (title, native title, aliases, slug; typos and partial titles too), so that answers say
    the card could not be loaded rather than that there is no such drama."""

    titles: dict[str, str] = field(default_factory=dict)  # slug -> the title to show
    index: NameIndex | None = None
    exact: dict[str, str] = field(default_factory=dict)  # folded name -> slug

    def __bool__(self) -> bool:
        return bool(self.titles)

    def find(self, query: str, *, exact: bool = False) -> str | None:
        """The title of the broken card ``query`` names confidently, or None. ``exact``: only
        when the query is one of its names (cased and spaced any way)."""
        if exact:
            slug = self.exact.get(compact(query))
            return self.titles[slug] if slug is not None else None
        if self.index is None:
            return None
        resolution = self.index.resolve(query)
        if resolution.kind is Kind.CANDIDATES and not resolution.hedged:
            # Two broken files giving the same title and year (a card and its copy) tie:
            # they are one drama whose card could not be loaded.
            same = {self.titles.get(slug) for slug in resolution.ids}
            return same.pop() if len(same) == 1 else None
        slug = resolution.id
        return self.titles.get(slug) if slug is not None else None


@dataclass(slots=True, weakref_slot=True)  # (weak references: tests see old catalogs freed)
class Catalog:
    cards: Mapping[str, Card]  # (a LazyCards after a warm start)
    titles: NameIndex
    actors: Mapping[str, Actor]  # (an ActorTable: see there)
    actor_names: NameIndex
    facets: Facets
    # Worked out at build time, never per query: per card, its own ``similar`` entries with
    # the slug each resolved to (None when it did not resolve confidently), and the slugs of
    # the computed picks.
    # (Groups after a build: the plain dicts' tuples as columns)
    _listed: Mapping[str, tuple[tuple[str, str | None], ...]] = field(default_factory=dict)
    _computed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Cards whose files failed to load, by the names that could be read of them.
    unloaded: UnloadedCards = field(default_factory=UnloadedCards)
    #: Which build made the indexes, facets and similarity: an in-place update that shares
    #: all of them keeps it (what the database keeps of them then needs no rewriting).
    lineage: int = field(default_factory=lambda: next(_LINEAGES), compare=False)

    @classmethod
    def build(cls, cards: Iterable[Card]) -> Catalog:
        # Building allocates millions of small objects and frees none: collections would
        # only walk them again and again (a quarter of the build at 100,000 cards).
        with _collector_paused():
            return cls._build(cards)

    @classmethod
    def assembled(
        cls, cards: Mapping[str, Card | StoredBody], built: dict[str, object]
    ) -> Catalog | None:
        """The catalog of ``cards`` from what an earlier build of these very cards made
        (``bot.catalog.derived``), without building anything; None if it does not fit.
        Cards still held as their stored bodies are made when first asked for
        (``bot.catalog.lazy_cards``)."""
        titles = built.get("titles")
        if not isinstance(titles, NameIndex) or len(titles.order) != len(cards):
            return None
        try:
            held = [cards[slug] for slug in titles.order]
        except KeyError:
            return None
        # Keyed by the cards' own slugs (a stored body's is its row's: the card made from it
        # gets that very string), not the kept catalog's equal copies.
        by_slug = {value.slug: value for value in held}
        if set(built) != set(_BUILT) or not all(
            isinstance(built[name], kind) for name, kind in _BUILT.items()
        ):
            return None
        if by_slug:
            warm_common_words()  # (in the caller's worker thread, as a build does)
        return cls(LazyCards(by_slug), **built)  # type: ignore[arg-type]

    @classmethod
    def _build(cls, cards: Iterable[Card]) -> Catalog:
        ordered = sorted_in_pieces(cards, key=lambda c: (c.title.casefold(), c.year, c.slug))
        by_slug = {card.slug: card for card in ordered}
        # Computed similarity starts first, in another process when the catalog is big: it
        # works on the other core while this one builds the indexes.
        computed = ComputedPicks(list(by_slug.values()))
        titles = NameIndex.build(
            _title_names(ordered),
            # (the labels in one buffer: no string per card, ``PackedLabels``)
            labels=PackedLabels({c.slug: c.label for c in ordered}),
            order=[c.slug for c in ordered],
            years=_shared_values({c.slug: c.year for c in ordered}),
            seasons=_seasons(ordered),
            services={c.network for c in ordered if c.network}
            | {s.service for c in ordered for s in c.streaming},
            outlets={c.slug: (c.network or "", *(s.service for s in c.streaming)) for c in ordered},
        )
        listed, linked = _listed_similar(by_slug, titles)
        computed.exclude(linked)
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
            order=sorted_in_pieces(
                actors, key=lambda i: (-len(actors[i].credits), actors[i].name.casefold())
            ),
            people=True,
        )
        facets = Facets.build(ordered)
        table = ActorTable(actors)
        # (the picks as columns: no tuple per card, see ``bot.catalog.groups``)
        picks = Groups(computed.result())
        catalog = cls(
            by_slug, titles, table, actor_names, facets, Groups(listed, pairs=True), picks
        )
        # The table holds the actors as columns: their 50,000 objects and 250,000 credits (at
        # 100,000 cards) die here, a piece per C call; freed with this frame, they held the
        # GIL for about 0.1 s in one go (the cold load's worst event-loop stall).
        free_in_slices(actors)
        return catalog

    def updated(self, changed: Iterable[Card]) -> Catalog:
        """This catalog with ``changed`` cards (each replacing the card with its slug) in place
        of the old ones: a new snapshot, this one untouched. A change that leaves what an index
        is built from as it was (names, cast, genres...: an edited review, streaming entry or
        episode count) shares that index with this catalog, so one edited card costs a copy of
        the cards dict, not a build; anything else is built whole, as :meth:`build` would."""
        changed = list(changed)
        olds = [self.cards.get(card.slug) for card in changed]
        if any(
            old is None or not _same(old, card, _TITLE_INPUTS)
            for old, card in zip(olds, changed, strict=True)
        ):
            return Catalog.build({**self.cards, **{c.slug: c for c in changed}}.values())
        cards = _replaced(self.cards, changed)  # the same order: no title or year changed
        pairs = list(zip(olds, changed, strict=True))
        if any(not _same(old, new, _SIMILARITY_INPUTS) for old, new in pairs):
            return Catalog.build(cards.values())
        actors = self.actors
        if any(not _same(old, new, _ACTOR_INPUTS) for old, new in pairs):
            return Catalog.build(cards.values())
        if any(not _same(old, new, _FACET_INPUTS) for old, new in pairs):
            facets = Facets.build(cards.values())
            return Catalog(
                cards, self.titles, actors, self.actor_names, facets, self._listed, self._computed
            )
        return Catalog(
            cards,
            self.titles,
            actors,
            self.actor_names,
            self.facets,
            self._listed,
            self._computed,
            lineage=self.lineage,
        )

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
        """The card's own picks first (linked to our cards when we have them), then computed
        ones. Only assembles what the build worked out: no work that grows with the catalog."""
        card = self.cards[slug]
        # Without a review, the list is the card writer's, not a reviewer's: say so.
        source = "the review's pick" if card.review is not None else "listed on the card"
        if is_house_review(card.review):
            source = "picked in our house review"  # the catalog's editors', not a critic's
        picks = [
            SimilarPick(self.cards[target].title, target, source, True)
            if target is not None
            else SimilarPick(title, None, source, True, unloaded=self._is_unloaded(title))
            for title, target in self._listed.get(slug, ())
        ]
        computed = self._computed.get(slug, ())
        if computed:
            mine = Traits.of(card)
            for other_slug in computed:
                other = self.cards[other_slug]
                traits = Traits.of(other)
                _, reason = closeness(mine, traits)
                why = likeness(mine, traits)
                picks.append(SimilarPick(other.title, other.slug, reason, False, why))
        return tuple(picks)

    def _is_unloaded(self, title: str) -> bool:
        """Whether a listed title that has no card here names a card that failed to load."""
        return bool(self.unloaded) and self.unloaded.find(title) is not None


# What each part of a catalog is built from, per card: a change elsewhere leaves it as it was.
# Titles: names, labels, display order, seasons, and the networks and services (words around a
# title in queries). Similarity: the traits it scores and its tie-break (year, title), and the
# card's own ``similar`` list. Actors: credits (name, role, aliases, native name), ordered by
# the year of the drama. Facets: groups by genre, network and year, and the two rankings.
_TITLE_INPUTS = ("slug", "title", "native_title", "aliases", "year", "season", "series")
_SIMILARITY_INPUTS = ("cast", "genres", "network", "year", "title", "similar", "season", "series")
_ACTOR_INPUTS = ("cast", "year")
_FACET_INPUTS = ("genres", "network", "year", "title", "ratings", "community_rating")


def _replaced(cards: Mapping[str, Card], changed: list[Card]) -> Mapping[str, Card]:
    """``cards`` with ``changed`` in place of the cards of their slugs (in the same order);
    cards not made yet stay so."""
    if isinstance(cards, LazyCards):
        held = cards.held()
        held.update((card.slug, card) for card in changed)
        return LazyCards(held)
    copy = dict(cards)
    copy.update((card.slug, card) for card in changed)
    return copy


def _same(old: Card, new: Card, inputs: tuple[str, ...]) -> bool:
    if old.network != new.network or _services(old) != _services(new):
        return False
    return all(getattr(old, name) == getattr(new, name) for name in inputs)


def _services(card: Card) -> frozenset[str]:
    return frozenset(option.service for option in card.streaming)


_LINEAGES = itertools.count(1)

# What a build makes from the cards, by field: what ``bot.catalog.derived`` keeps.
_BUILT: dict[str, type] = {
    "titles": NameIndex,
    "actors": ActorTable,
    "actor_names": NameIndex,
    "facets": Facets,
    "_listed": Groups,
    "_computed": Groups,
}


def unloaded_cards(unloaded: Mapping[str, Unloaded]) -> UnloadedCards:
    """The index of the cards that failed to load (slug -> what could be read of them)."""
    if not unloaded:
        return UnloadedCards()
    titles = {slug: broken.title or slug for slug, broken in unloaded.items()}
    entries: list[tuple[str, str, NameKind]] = []
    for slug, broken in unloaded.items():
        entries.append((slug, titles[slug], NameKind.PRIMARY))
        entries += [(slug, name, NameKind.ALIAS) for name in broken.names if name]
        entries.append((slug, slug, NameKind.EXACT_ONLY))
        if abbreviation := initials(titles[slug]):
            entries.append((slug, abbreviation, NameKind.EXACT_ONLY))
    order = sorted(titles, key=lambda s: (titles[s].casefold(), s))
    exact: dict[str, str] = {}
    for slug, name, _ in entries:
        if key := compact(name):
            exact.setdefault(key, slug)
    return UnloadedCards(titles, NameIndex.build(entries, labels=titles, order=order), exact)


def _listed_similar(
    cards: dict[str, Card], titles: NameIndex
) -> tuple[dict[str, tuple[tuple[str, str | None], ...]], dict[str, frozenset[str]]]:
    """Every card's own ``similar`` entries, each with the slug it resolves to confidently
    (None when none), a drama once; and, for the cards that list any, the slugs computed
    similarity must not pick for them (themselves and what they list)."""
    resolved: dict[str, str | None] = {}  # the same title is often listed on many cards
    listed_by_card: dict[str, tuple[tuple[str, str | None], ...]] = {}
    linked_by_card: dict[str, frozenset[str]] = {}
    for card in cards.values():
        if not card.similar:
            continue
        linked = {card.slug}
        listed: list[tuple[str, str | None]] = []
        for title in card.similar:
            if title not in resolved:
                resolution = titles.resolve(title)
                confident = resolution.kind is Kind.MATCH and resolution.id in cards
                resolved[title] = resolution.id if confident else None
            target = resolved[title]
            if target is not None and target in linked:
                continue
            if target is not None:
                linked.add(target)
            listed.append((title, target))
        if listed:
            listed_by_card[card.slug] = tuple(listed)
            linked_by_card[card.slug] = frozenset(linked)
    return listed_by_card, linked_by_card


def _shared_values(mapping: dict[str, int]) -> dict[str, int]:
    """``mapping`` with one copy of each value: each card decoded holds its own ``2020``."""
    kept: dict[int, int] = {}
    return {key: kept.setdefault(value, value) for key, value in mapping.items()}


def _title_names(cards: list[Card]) -> Iterable[tuple[str, str, NameKind]]:
    # (the kinds as locals: an enum member looked up on its class costs 0.17 µs)
    primary, native, alias_, exact = (
        NameKind.PRIMARY,
        NameKind.NATIVE,
        NameKind.ALIAS,
        NameKind.EXACT_ONLY,
    )
    for card in cards:
        slug = card.slug
        yield slug, card.title, primary
        if card.native_title:
            yield slug, card.native_title, native
        for alias in card.aliases:
            yield slug, alias, alias_
        yield slug, slug, exact
        if abbreviation := initials(card.title):
            yield slug, abbreviation, exact


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
    # Every credit of every card, in the cards' order, as columns made by C calls a piece at a
    # time (a Python loop over 400,000 credits was 1.0 s of a cold build at 100,000 cards).
    casts = mapped(_CAST, cards)
    members: list[CastMember] = []
    for start in range(0, len(casts), PIECE):
        members += itertools.chain.from_iterable(casts[start : start + PIECE])
    spellings = mapped(_ACTOR, members)
    # How often each spelling is credited, in the order first met (counted in C), and
    # every alias: actors repeat across cards, so each distinct name is folded once.
    counted: Counter[str] = Counter()
    for start in range(0, len(spellings), PIECE):  # (each piece one C call holding the GIL)
        counted.update(spellings[start : start + PIECE])
    with_aliases = _where(mapped(_ALIASES, members))
    spelled = set(counted)
    for at in with_aliases:
        spelled.update(members[at].aliases)
    key_of = dict(zip(spelled, map(compact, spelled), strict=True))
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for at in with_aliases:
        member = members[at]
        root = find(key_of[member.actor])
        for alias in member.aliases:
            parent[find(key_of[alias])] = root
    # (a name no alias links is its own group: only the linked ones need walking)
    roots = {name: find(key) if key in parent else key for name, key in key_of.items()}
    # Per group, in the cards' order: how often each spelling is used (a plain dict in the
    # order first met: the first of the most used wins ties, as ``Counter.most_common``
    # would), aliases, native names, and one credit per drama (even if listed twice) by slug.
    # Groups come in the order of their first credit, as the spellings do.
    names: dict[str, dict[str, int]] = {}
    for actor, count in counted.items():
        counts = names.get(root := roots[actor])
        if counts is None:
            names[root] = {actor: count}
        else:
            counts[actor] = count
    aliases: dict[str, set[str]] = {}
    for at in with_aliases:
        member = members[at]
        aliases.setdefault(roots[member.actor], set()).update(member.aliases)
    native: dict[str, dict[str, None]] = {}
    for at in _where(mapped(_NATIVE, members)):
        member = members[at]
        native.setdefault(roots[member.actor], {})[member.native_name] = None  # type: ignore[index]
    by_year = _credits_by_year(cards, casts, members, spellings, roots, names)
    actors: dict[str, Actor] = {}
    new_actor = tuple.__new__  # (a named tuple made in C, not by its Python ``__new__``)
    for (root, counts), credits in zip(names.items(), by_year, strict=True):
        if len(counts) == 1 and root not in aliases:  # (most actors: one spelling, no alias)
            name, others = next(iter(counts)), ()
        else:
            name = max(counts.items(), key=itemgetter(1))[0]
            others = tuple(sorted(aliases.get(root, set()).union(counts).difference((name,))))
        actor_id = slugify(name) or root
        native_names = tuple(native[root]) if root in native else ()
        actors[actor_id] = new_actor(Actor, (actor_id, name, others, credits, native_names))
    # The groups' 150,000 small dicts and sets (at 100,000 cards) die a slice per C call,
    # not in one go with this frame (a cold load's event-loop stall).
    free_in_slices(names, aliases, native, roots, key_of, counted, by_year)
    free_in_slices(members, spellings, casts)
    return actors


def _credits_by_year(
    cards: list[Card],
    casts: list[tuple[CastMember, ...]],
    members: list[CastMember],
    spellings: list[str],
    roots: dict[str, str],
    names: dict[str, dict[str, int]],
) -> list[tuple[Credit, ...]]:
    """Each group's credits (in the order of ``names``), newest first (then by slug), one per
    drama: the first of an actor listed twice on a card. ``members`` are the cards' casts one
    after the other, ``spellings`` their actors' names. Sorted by numpy, not per group."""
    group_at = {root: number for number, root in enumerate(names)}
    count = len(members)
    group = np.empty(count, dtype=np.int64)
    for start in range(0, count, PIECE):
        part = spellings[start : start + PIECE]
        group[start : start + len(part)] = np.fromiter(
            map(group_at.__getitem__, map(roots.__getitem__, part)), dtype=np.int64, count=len(part)
        )
    sizes = np.fromiter(map(len, casts), dtype=np.int64, count=len(casts))
    card_of = np.repeat(np.arange(len(cards), dtype=np.int64), sizes)
    # Each drama's place among the cards newest first (then by slug): every credit's.
    newest = sorted_in_pieces(range(len(cards)), key=lambda at: _newest_first(cards[at]))
    place = np.empty(len(cards), dtype=np.int64)
    place[np.asarray(newest, dtype=np.int64)] = np.arange(len(cards), dtype=np.int64)
    billing = np.arange(count, dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes) + 1
    order = _sorted_by(group, place[card_of], billing)
    # One credit per group and drama: the first (lowest billing) of each run.
    ranked_group, ranked_card = group[order], card_of[order]
    first = np.ones(count, dtype=bool)
    first[1:] = (ranked_group[1:] != ranked_group[:-1]) | (ranked_card[1:] != ranked_card[:-1])
    kept_at = order[first]
    kept = listed(kept_at)
    ends = np.cumsum(np.bincount(ranked_group[first], minlength=len(names))).tolist()
    slugs = mapped(_SLUG_OF, cards)
    kept_cards = listed(card_of[kept_at])
    kept_billings = listed(billing[kept_at])
    credits: list[Credit] = []
    new_credit = tuple.__new__  # (a named tuple made in C, not by its Python ``__new__``)
    for start in range(0, len(kept), PIECE):
        fields = zip(
            map(slugs.__getitem__, kept_cards[start : start + PIECE]),
            map(_ROLE_OF, map(members.__getitem__, kept[start : start + PIECE])),
            kept_billings[start : start + PIECE],
            strict=True,
        )
        credits += map(new_credit, itertools.repeat(Credit), fields)
    by_year: list[tuple[Credit, ...]] = []
    begin = 0
    for end in ends:
        by_year.append(tuple(credits[begin:end]))
        begin = end
    free_in_slices(credits, kept, kept_cards, kept_billings, newest)
    return by_year


def _where(values: list[Any]) -> list[int]:
    """The positions of the true ``values``, a piece per C call."""
    found: list[int] = []
    for start in range(0, len(values), PIECE):
        found += itertools.compress(range(start, start + PIECE), values[start : start + PIECE])
    return found


def _sorted_by(*keys: np.ndarray) -> np.ndarray:
    """Positions sorted by the first key, then the next...: one sort of the keys packed into
    one integer when they fit in 63 bits (no two positions are equal in all of them), else a
    sort per key. (numpy sorts without holding the GIL.)"""
    widths = [int(key.max()).bit_length() if len(key) else 0 for key in keys]
    if sum(widths) > 63 or any(len(key) and key.min() < 0 for key in keys):
        return np.lexsort(keys[::-1])
    packed = np.zeros(len(keys[0]), dtype=np.int64)
    for key, width in zip(keys, widths, strict=True):
        packed <<= width
        packed |= key
    return np.argsort(packed)


_CAST, _ACTOR, _ALIASES = attrgetter("cast"), attrgetter("actor"), attrgetter("aliases")
_NATIVE, _SLUG_OF, _ROLE_OF = attrgetter("native_name"), attrgetter("slug"), attrgetter("role")


def _newest_first(card: Card) -> tuple[int, str]:
    return (-card.year, card.slug)
