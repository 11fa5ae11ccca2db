"""Computed similarity: which dramas are most alike, worked out for every card at build time.

Two dramas are alike when they share cast (3 points per actor), genres (1 point each, half for
the broad ones: drama, romance, comedy) and network (half a point); a pick needs 2 points. Each
card keeps its best ``COMPUTED_SIMILAR_LIMIT``, by score, then newest, then title.

Comparing every pair is quadratic (5 billion pairs at 100,000 cards). Instead:

* cast: an inverted index from each actor to the dramas they are in; only those are scored;
* genres and network: a pick without shared cast needs at least two shared genres, and its
  score depends only on *which* of the card's genres it shares (and the network). So each set
  of two or more genres has a list of the dramas that have all of them (per network too),
  kept in the tie-break order. For one card, every subset of its genres is one such list, at
  a known score; merging the lists best score first, then in tie-break order, meets the
  dramas in exactly the order of the all-pairs ranking, and stops after five.

Only a card's first ``MAX_GENRES`` genres count (real cards have at most five or six), which
bounds the subsets per card at 57.

Seasons: a series (the seasons whose ``series`` names one first season's card) is offered at
most once. A card's own series is never a pick (the answer lists its seasons anyway), nor the
series of a title the card lists itself. Each other series takes the place its best-scoring
season earns in the ranking above (met first in the merged lists), and is shown as the
*earliest* of its seasons with that score (season 2 before 3 when both star the same actor):
a fan starts a series there.

For every card at once (:meth:`SimilarityIndex.all_closest`, what a catalog build runs), the
same ranking is worked out in bulk: dramas sharing cast are paired and scored with numpy, a
block of cards at a time (numpy releases the GIL while it sorts, so a build in a thread leaves
the event loop free); and the genre-set merge runs once per distinct *kind* of card (its genres
and network), not once per card, since it gives the same list to every card of that kind; each
card then walks the two lists as :meth:`SimilarityIndex.closest` walks its own, and falls back
to it when it would walk past the end of a list cut short.
"""

from __future__ import annotations

import heapq
import itertools
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.cards.model import Card
from bot.catalog.heap import free_in_pieces
from bot.matching.folding import compact
from bot.matching.pieces import sorted_in_pieces

COMPUTED_SIMILAR_LIMIT = 5
MIN_SCORE = 2.0
CAST_POINTS = 3.0
GENRE_POINTS = 1.0
WEAK_GENRE_POINTS = 0.5
NETWORK_POINTS = 0.5
MAX_GENRES = 6
# Genres that say little about a drama on their own.
WEAK_GENRES = frozenset({"drama", "romance", "comedy"})
_ANY_NETWORK = ""
# Scores in half points are whole numbers: cast, genre, weak genre and network points.
_HALF_CAST, _HALF_GENRE, _HALF_WEAK, _HALF_NETWORK = 6, 2, 1, 1
# Cards whose cast pairs are scored in one numpy block (bounds the block's memory).
BLOCK_CARDS = 2048
# How far each card's two lists go in bulk: picks, plus what a card skips, plus this many
# for series met more than once; a card that needs more is ranked alone.
SPARE_PICKS = 5
KIND_PICKS = 24


@dataclass(frozen=True, slots=True)
class Traits:
    """What computed similarity looks at in one card, worked out once."""

    cast: tuple[tuple[str, str], ...]  # (actor as credited, folded key)
    cast_keys: frozenset[str]
    genres: tuple[str, ...]
    network: str | None

    @classmethod
    def of(cls, card: Card, keys: dict[str, str] | None = None) -> Traits:
        """``keys``: a cache of folded actor names (actors recur across many cards)."""
        if keys is None:
            keys = {}
        cast = []
        for member in card.cast:
            key = keys.get(member.actor)
            if key is None:
                key = keys[member.actor] = compact(member.actor)
            cast.append((member.actor, key))
        return cls(
            tuple(cast),
            frozenset(k for _, k in cast),
            card.genres[:MAX_GENRES],
            card.network or None,
        )


def closeness(mine: Traits, other: Traits) -> tuple[float, str]:
    """How alike two dramas are, with the reason a fan would want to hear."""
    shared_cast = [actor for actor, key in other.cast if key in mine.cast_keys]
    shared_genres = [g for g in other.genres if g in mine.genres]
    strong = [g for g in shared_genres if g not in WEAK_GENRES]
    score = (
        CAST_POINTS * len(shared_cast)
        + GENRE_POINTS * len(strong)
        + WEAK_GENRE_POINTS * (len(shared_genres) - len(strong))
    )
    same_network = bool(mine.network and mine.network == other.network)
    if same_network:
        score += NETWORK_POINTS
    if shared_cast:
        reason = "also stars " + _join(shared_cast)
    elif shared_genres:
        reason = "also " + _join(shared_genres)
    else:
        reason = f"also on {other.network}"
    if not shared_cast and same_network and shared_genres:
        reason += f", on {other.network}"
    return score, reason


@dataclass(frozen=True, slots=True)
class Likeness:
    """Why two dramas are alike, as facts (the same reason :func:`closeness` words in English),
    so the answer layer can word it in the reader's language."""

    cast: tuple[str, ...] = ()  # shared actors, as the other card credits them
    genres: tuple[str, ...] = ()  # shared genres (when no actor is shared)
    network: str = ""  # the other card's network, when it is (part of) the reason


def likeness(mine: Traits, other: Traits) -> Likeness:
    """The facts behind :func:`closeness`'s reason."""
    shared_cast = tuple(actor for actor, key in other.cast if key in mine.cast_keys)
    if shared_cast:
        return Likeness(cast=shared_cast)
    shared_genres = tuple(g for g in other.genres if g in mine.genres)
    same_network = bool(mine.network and mine.network == other.network)
    if shared_genres:
        return Likeness(genres=shared_genres, network=str(other.network) if same_network else "")
    return Likeness(network=str(other.network))


def _join(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _genre_points(genres: Sequence[str]) -> float:
    return sum(WEAK_GENRE_POINTS if g in WEAK_GENRES else GENRE_POINTS for g in genres)


def _subsets(genres: Sequence[str]) -> list[tuple[str, ...]]:
    """Every set of two or more of these genres, each as a sorted tuple."""
    unique = sorted(set(genres))
    return [
        combo
        for size in range(2, len(unique) + 1)
        for combo in itertools.combinations(unique, size)
    ]


class SimilarityIndex:
    """Inverted indexes over cast and genre sets, for ranking every card's closest dramas."""

    def __init__(self, cards: Sequence[Card]) -> None:
        # The all-pairs ranking's tie-break: newest first, then title, then slug.
        self.order = sorted_in_pieces(cards, key=lambda c: (-c.year, c.title.casefold(), c.slug))
        keys: dict[str, str] = {}
        self.traits = [Traits.of(card, keys) for card in self.order]
        # Genres as bits, networks as numbers: scoring a drama that shares cast is then a few
        # integer operations.
        bits: dict[str, int] = {}
        networks: dict[str, int] = {}
        self._weak = 0
        self._masks: list[int] = []
        self._networks: list[int] = []
        for traits in self.traits:
            mask = 0
            for genre in traits.genres:
                if genre not in bits:
                    bits[genre] = 1 << len(bits)
                    if genre in WEAK_GENRES:
                        self._weak |= bits[genre]
                mask |= bits[genre]
            self._masks.append(mask)
            network = traits.network
            self._networks.append(networks.setdefault(network, len(networks) + 1) if network else 0)
        self.rank = {card.slug: number for number, card in enumerate(self.order)}
        # The series each card belongs to (the first season's slug, or its own), and the
        # members of every series with more than one card here, earliest season first.
        self._series = [card.series or card.slug for card in self.order]
        members: dict[str, list[int]] = {}
        for number, series in enumerate(self._series):
            members.setdefault(series, []).append(number)
        self._seasons = {
            series: sorted(numbers, key=self._season_order)
            for series, numbers in members.items()
            if len(numbers) > 1
        }
        self._prepared: (
            tuple[
                tuple[dict[int, list[tuple[float, int]]], set[int]],
                dict[tuple[tuple[str, ...], str | None], list[tuple[float, int]]],
            ]
            | None
        ) = None  # (see :meth:`prepare`)
        self._by_actor: dict[str, list[int]] = {}
        # Cards by kind (their distinct genres and network: a quarter as many kinds as cards
        # at 100,000), so each kind's genre sets are listed once, not once per card.
        self._kinds: list[tuple[tuple[str, ...], str | None]] = []
        by_kind: dict[tuple[tuple[str, ...], str | None], list[int]] = {}
        for number, traits in enumerate(self.traits):
            for key in traits.cast_keys:
                self._by_actor.setdefault(key, []).append(number)
            kind = (tuple(sorted(set(traits.genres))), traits.network)
            self._kinds.append(kind)
            by_kind.setdefault(kind, []).append(number)
        self._by_genres: dict[tuple[tuple[str, ...], str], list[int]] = {}
        for (genres, network), numbers in by_kind.items():
            for combo in _subsets(genres):
                self._by_genres.setdefault((combo, _ANY_NETWORK), []).extend(numbers)
                if network:
                    self._by_genres.setdefault((combo, network), []).extend(numbers)
        for members in self._by_genres.values():
            members.sort()  # (runs of kinds merged back into the tie-break order)

    def _season_order(self, number: int) -> tuple[int, int, str, str]:
        card = self.order[number]
        return card.season or 1, card.year, card.title.casefold(), card.slug

    def closest(self, slug: str, exclude: frozenset[str] = frozenset()) -> tuple[str, ...]:
        """The slugs of the dramas most like ``slug`` (never itself or ``exclude``, nor another
        season of their series or of its own), best first, one per series."""
        me = self.rank[slug]
        mine = self.traits[me]
        skip = {me} | {self.rank[s] for s in exclude if s in self.rank}
        taken = {self._series[number] for number in skip}
        # Drama -> how many actors it shares with this one (counted in C by Counter).
        shared = Counter(
            itertools.chain.from_iterable(self._by_actor.get(key, ()) for key in mine.cast_keys)
        )
        mask, network, masks, networks = (
            self._masks[me],
            self._networks[me],
            self._masks,
            self._networks,
        )
        strong, weak = mask & ~self._weak, mask & self._weak

        def score(other: int) -> float:
            return (
                CAST_POINTS * shared.get(other, 0)
                + GENRE_POINTS * (masks[other] & strong).bit_count()
                + WEAK_GENRE_POINTS * (masks[other] & weak).bit_count()
                + (NETWORK_POINTS if network and networks[other] == network else 0.0)
            )

        # a shared actor is worth 3 points: always enough
        with_cast = [(-score(other), other) for other in shared if other not in skip]
        heapq.heapify(with_cast)  # popped only as far as needed
        ranked = heapq.merge(_popped(with_cast), self._by_genres_only(mine, skip, shared))
        picks: list[str] = []
        for negative, number in ranked:
            if (pick := self._series_pick(number, -negative, skip, taken, score)) is None:
                continue
            picks.append(pick)
            if len(picks) == COMPUTED_SIMILAR_LIMIT:
                break
        return tuple(picks)

    def prepare(self) -> None:
        """Work out now the part of :meth:`all_closest` that does not depend on what each card
        must not pick: every kind's genre list, and every card's cast list as if it skipped
        nothing (e.g. in a worker process while the build works the exclusions out). The
        picks are the same: a card whose cast list, cut without room for its skips, runs
        short is ranked alone by :meth:`closest`, as any list cut short is."""
        kinds: dict[tuple[tuple[str, ...], str | None], list[tuple[float, int]]] = {}
        for me, mine in enumerate(self.traits):
            if self._kinds[me] not in kinds:
                kinds[self._kinds[me]] = self._kind_list(mine)
        self._prepared = (self._cast_picks({}), kinds)

    def _kind_list(self, mine: Traits) -> list[tuple[float, int]]:
        """The start of the genre-only ranking every card of ``mine``'s kind shares."""
        return list(itertools.islice(self._by_genres_only(mine, set(), {}), KIND_PICKS))

    def all_closest(self, exclude: dict[str, frozenset[str]]) -> dict[str, tuple[str, ...]]:
        """:meth:`closest` for every card (``exclude``: by slug, the slugs a card must not
        pick), the same picks in bulk; cards with no pick are left out."""
        skips: dict[int, set[int]] = {
            self.rank[slug]: {self.rank[s] for s in slugs if s in self.rank}
            for slug, slugs in exclude.items()
            if slugs and slug in self.rank
        }
        kinds: dict[tuple[tuple[str, ...], str | None], list[tuple[float, int]]]
        if self._prepared is not None:
            (by_cast, cut_short), kinds = self._prepared
            self._prepared = None
        else:
            by_cast, cut_short = self._cast_picks(skips)
            kinds = {}
        picked: dict[str, tuple[str, ...]] = {}
        for me, mine in enumerate(self.traits):
            skip = skips.get(me, set()) | {me}
            kind = self._kinds[me]
            listed = kinds.get(kind)
            if listed is None:
                listed = kinds[kind] = self._kind_list(mine)
            picks = self._walk(me, mine, skip, by_cast.get(me, []), me in cut_short, listed)
            if picks is None:  # a list was cut short before the walk was done
                slug = self.order[me].slug
                picks = self.closest(slug, frozenset(self.order[n].slug for n in skip))
            if picks:
                picked[self.order[me].slug] = picks
        garbage: list[object] = [by_cast, kinds, skips]
        del by_cast, kinds, skips
        free_in_pieces(garbage)  # (a list per card: not in one call)
        return picked

    def _walk(
        self,
        me: int,
        mine: Traits,
        skip: set[int],
        with_cast: list[tuple[float, int]],
        cast_cut: bool,
        listed: list[tuple[float, int]],
    ) -> tuple[str, ...] | None:
        """:meth:`closest`'s walk over a card's two lists as worked out in bulk: None when it
        would need more than a list holds."""
        genre_cut = len(listed) == KIND_PICKS
        traits = self.traits
        taken = {self._series[number] for number in skip}
        picks: list[str] = []
        i = j = 0
        cast: tuple[float, int] | None = None
        genre: tuple[float, int] | None = None
        while len(picks) < COMPUTED_SIMILAR_LIMIT:
            # The next of each list that this card may pick (skipped ones passed over).
            while cast is None and i < len(with_cast):
                if with_cast[i][1] not in skip:
                    cast = with_cast[i]
                i += 1
            while genre is None and j < len(listed):
                other = listed[j][1]
                if other not in skip and mine.cast_keys.isdisjoint(traits[other].cast_keys):
                    genre = listed[j]
                j += 1
            if (cast is None and cast_cut) or (genre is None and genre_cut):
                return None  # the list goes on past what was worked out in bulk
            if cast is None and genre is None:
                break
            if genre is None or (cast is not None and cast <= genre):
                assert cast is not None
                (negative, number), cast = cast, None
            else:
                (negative, number), genre = genre, None
            pick = self._series_pick(
                number, -negative, skip, taken, lambda n: self._score(mine, me, n)
            )
            if pick is None:
                continue
            picks.append(pick)
        return tuple(picks)

    def _series_pick(
        self,
        number: int,
        best: float,
        skip: set[int],
        taken: set[str],
        score: Callable[[int], float],
    ) -> str | None:
        """The slug to pick for drama ``number`` (scored ``best``): None when a drama of its
        series is picked already; else its series is taken, and a drama with seasons is shown
        as its earliest season that scores as well."""
        series = self._series[number]
        if series in taken:
            return None
        taken.add(series)
        seasons = self._seasons.get(series)
        if seasons is not None:
            number = next(n for n in seasons if n not in skip and score(n) == best)
        return self.order[number].slug

    def _score(self, mine: Traits, me: int, other: int) -> float:
        """How alike two cards are, by number (what :meth:`closest` scores)."""
        mask, network = self._masks[me], self._networks[me]
        strong, weak = mask & ~self._weak, mask & self._weak
        return (
            CAST_POINTS * len(mine.cast_keys & self.traits[other].cast_keys)
            + GENRE_POINTS * (self._masks[other] & strong).bit_count()
            + WEAK_GENRE_POINTS * (self._masks[other] & weak).bit_count()
            + (NETWORK_POINTS if network and self._networks[other] == network else 0.0)
        )

    def _cast_picks(
        self, skips: dict[int, set[int]]
    ) -> tuple[dict[int, list[tuple[float, int]]], set[int]]:
        """Per card, its best dramas among those sharing cast, as ``(-score, number)`` best
        first, as many as the card may need (``SPARE_PICKS`` more than it picks and skips);
        and the cards that share cast with more than that (their lists are cut short)."""
        count = len(self.order)
        picks: dict[int, list[tuple[float, int]]] = {}
        cut: set[int] = set()
        if not self._by_actor or count < 2:
            return picks, cut
        actors = {key: number for number, key in enumerate(self._by_actor)}
        actor_ptr = np.zeros(len(actors) + 1, dtype=np.int64)
        actor_ptr[1:] = np.cumsum([len(cards) for cards in self._by_actor.values()])
        actor_cards = np.fromiter(
            itertools.chain.from_iterable(self._by_actor.values()),
            dtype=np.int64,
            count=int(actor_ptr[-1]),
        )
        card_actors = np.fromiter(
            (actors[key] for traits in self.traits for key in traits.cast_keys), dtype=np.int64
        )
        card_ptr = np.zeros(count + 1, dtype=np.int64)
        card_ptr[1:] = np.cumsum([len(traits.cast_keys) for traits in self.traits])
        masks = _mask_array(self._masks)
        weak = _mask_array([self._weak])[0]
        networks = np.asarray(self._networks, dtype=np.int64)
        allowed = np.full(count, COMPUTED_SIMILAR_LIMIT + SPARE_PICKS + 1, dtype=np.int64)
        for number, skip in skips.items():
            allowed[number] += len(skip)
        for low in range(0, count, BLOCK_CARDS):
            high = min(count, low + BLOCK_CARDS)
            entries = card_actors[card_ptr[low] : card_ptr[high]]
            if not len(entries):
                continue
            owners = np.repeat(
                np.arange(low, high, dtype=np.int64), np.diff(card_ptr[low : high + 1])
            )
            sizes = actor_ptr[entries + 1] - actor_ptr[entries]
            total = int(sizes.sum())
            ends = np.cumsum(sizes)
            where = np.arange(total, dtype=np.int64) + np.repeat(
                actor_ptr[entries] - (ends - sizes), sizes
            )
            pairs, shared = np.unique(
                np.repeat(owners, sizes) * count + actor_cards[where], return_counts=True
            )
            mine, other = np.divmod(pairs, count)
            apart = mine != other
            mine, other, shared = mine[apart], other[apart], shared[apart]
            if not len(mine):
                continue
            common = masks[other] & masks[mine]
            half = (
                _HALF_CAST * shared
                + _HALF_GENRE * np.bitwise_count(common & ~weak).sum(axis=1, dtype=np.int64)
                + _HALF_WEAK * np.bitwise_count(common & weak).sum(axis=1, dtype=np.int64)
                + _HALF_NETWORK * ((networks[mine] != 0) & (networks[other] == networks[mine]))
            )
            # Best first within each card: by card, then score (highest), then rank.
            top = int(half.max()) + 1
            order = np.argsort((mine * top + (top - 1 - half)) * count + other)
            mine, other, half = mine[order], other[order], half[order]
            first = np.flatnonzero(np.concatenate(([True], mine[1:] != mine[:-1])))
            sizes = np.diff(np.append(first, len(mine)))
            cut.update(mine[first][sizes > allowed[mine[first]]].tolist())
            place = np.arange(len(mine)) - np.repeat(first, sizes)
            kept = place < allowed[mine]
            mine, other, half = mine[kept], other[kept], half[kept]
            # Each card's entries are one run (sorted by card, and a card is in one block
            # only): its list is a slice of the block's (-score, number) pairs, made in C.
            pairs = list(zip((half / -2.0).tolist(), other.tolist(), strict=True))
            starts = np.flatnonzero(np.concatenate(([True], mine[1:] != mine[:-1])))
            ends = np.append(starts[1:], len(mine)).tolist()
            for number, start, end in zip(
                mine[starts].tolist(), starts.tolist(), ends, strict=True
            ):
                picks[number] = pairs[start:end]
        return picks, cut

    def _by_genres_only(
        self, mine: Traits, skip: set[int], with_cast: dict[int, int]
    ) -> Iterator[tuple[float, int]]:
        """The dramas that share no cast, best first as ``(-score, number)``: the genre-set
        lists merged, best score first, each list in the tie-break order. Lazy: the caller
        takes as many as it needs."""
        heap: list[tuple[float, int, int, list[int]]] = []
        for combo in _subsets(mine.genres):
            points = _genre_points(combo)
            lists = [(points, (combo, _ANY_NETWORK))]
            if mine.network:
                lists.append((points + NETWORK_POINTS, (combo, mine.network)))
            for score, key in lists:
                members = self._by_genres.get(key)
                if score >= MIN_SCORE and members:
                    heap.append((-score, members[0], 0, members))
        heapq.heapify(heap)
        seen: set[int] = set()
        while heap:
            negative, number, position, members = heap[0]
            if position + 1 < len(members):
                heapq.heapreplace(heap, (negative, members[position + 1], position + 1, members))
            else:
                heapq.heappop(heap)
            if number in seen or number in skip or number in with_cast:
                continue
            # Met first in the list of exactly the genres (and network) it shares: its score.
            seen.add(number)
            yield negative, number


def _popped(heap: list[tuple[float, int]]) -> Iterator[tuple[float, int]]:
    """The items of a heap, smallest first, popped as they are asked for."""
    while heap:
        yield heapq.heappop(heap)


def _mask_array(masks: Sequence[int]) -> npt.NDArray[np.uint64]:
    """Genre bit masks (any width) as rows of 64-bit words."""
    widest = max((mask.bit_length() for mask in masks), default=0)
    words = max(1, -(-widest // 64))
    array = np.zeros((len(masks), words), dtype=np.uint64)
    for word in range(words):
        shift = 64 * word
        array[:, word] = np.fromiter(
            ((mask >> shift) & 0xFFFF_FFFF_FFFF_FFFF for mask in masks),
            dtype=np.uint64,
            count=len(masks),
        )
    return array
