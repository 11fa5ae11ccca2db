"""Precomputed browse and ranking indexes: dramas by genre, network and year, and the best
scored first. Built once per catalog, so discovery commands never scan the whole catalog."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from bot.cards.house import is_house_review
from bot.cards.model import Card
from bot.matching.folding import compact
from bot.matching.pieces import numbered, sorted_in_pieces

# A community rating counts toward /top only with this many votes or more...
MIN_VOTES = 10
# ...and is pulled toward the catalog's mean as if it had this many more votes at the mean
# (a weighted average: a handful of perfect votes does not outrank a well-loved classic).
PRIOR_VOTES = 100


def network_key(name: str) -> str:
    """``tvN``, ``TVN`` and ``t.v.n`` are one network."""
    return compact(name)


@dataclass(frozen=True, slots=True)
class Facets:
    """Slugs grouped by facet value, each group newest first, then by title."""

    genres: dict[str, tuple[str, ...]]
    networks: dict[str, tuple[str, ...]]  # network_key -> slugs
    network_names: dict[str, str]  # network_key -> the spelling most cards use
    years: dict[int, tuple[str, ...]]
    newest_first: tuple[str, ...]
    by_review: tuple[str, ...]  # cards with an overall review score, best first
    by_community: tuple[str, ...]  # cards with enough community votes, best first
    review_scores: dict[str, float]  # slug -> overall score as a share of its scale (0-1)
    community_scores: dict[str, float]  # slug -> weighted community score (0-1)
    position: dict[str, int]  # slug -> its place in newest_first
    _sets: dict[tuple[str, object], frozenset[str]]
    reviewed: int = 0  # cards that carry a review (for /about)
    house_reviewed: int = 0  # of those, house reviews (the catalog's editors', for /about)

    @classmethod
    def build(cls, cards: Iterable[Card]) -> Facets:
        ordered = sorted_in_pieces(cards, key=lambda c: (-c.year, c.title.casefold(), c.slug))
        genres: dict[str, list[str]] = {}
        networks: dict[str, list[str]] = {}
        spellings: dict[str, Counter[str]] = {}
        years: dict[int, list[str]] = {}
        review: dict[str, float] = {}
        community_raw: dict[str, tuple[float, int]] = {}
        reviewed = house_reviewed = 0
        keys: dict[str, str] = {}  # (a few dozen networks on 100,000 cards: each folded once)
        for card in ordered:
            reviewed += card.review is not None
            house_reviewed += is_house_review(card.review)
            for genre in dict.fromkeys(card.genres):
                genres.setdefault(genre, []).append(card.slug)
            if card.network:
                key = keys.get(card.network) or keys.setdefault(
                    card.network, network_key(card.network)
                )
                networks.setdefault(key, []).append(card.slug)
                counted = spellings.get(key)
                if counted is None:  # (not a new Counter per card for ``setdefault``)
                    counted = spellings[key] = Counter()
                counted[card.network] += 1
            years.setdefault(card.year, []).append(card.slug)
            if card.ratings is not None and card.ratings.overall is not None:
                review[card.slug] = card.ratings.overall / card.ratings.scale
            rating = card.community_rating
            if rating is not None and (rating.votes or 0) >= MIN_VOTES:
                community_raw[card.slug] = (rating.score / rating.scale, rating.votes or 0)
        community = _weighted(community_raw)
        slugs = [card.slug for card in ordered]
        position = numbered(slugs)  # (shared numbers)
        sets: dict[tuple[str, object], frozenset[str]] = {}
        for name, groups in (("genre", genres), ("network", networks), ("year", years)):
            for value, slugs in groups.items():
                sets[(name, value)] = frozenset(slugs)
        return cls(
            genres={g: tuple(s) for g, s in genres.items()},
            networks={n: tuple(s) for n, s in networks.items()},
            network_names={k: c.most_common(1)[0][0] for k, c in spellings.items()},
            years={y: tuple(s) for y, s in years.items()},
            newest_first=tuple(position),
            by_review=tuple(sorted_in_pieces(review, key=lambda s: (-review[s], position[s]))),
            by_community=tuple(
                sorted_in_pieces(community, key=lambda s: (-community[s], position[s]))
            ),
            review_scores=review,
            community_scores=community,
            position=position,
            _sets=sets,
            reviewed=reviewed,
            house_reviewed=house_reviewed,
        )

    def members(self, facet: str, value: object) -> frozenset[str]:
        """The slugs with this genre, network key or year (empty when none)."""
        return self._sets.get((facet, value), frozenset())

    def group(self, facet: str, value: object) -> tuple[str, ...]:
        """The slugs with this facet value, newest first."""
        groups: dict = {"genre": self.genres, "network": self.networks, "year": self.years}[facet]
        found: tuple[str, ...] = groups.get(value, ())
        return found


def _weighted(raw: dict[str, tuple[float, int]]) -> dict[str, float]:
    if not raw:
        return {}
    total_votes = sum(v for _, v in raw.values())
    mean = sum(s * v for s, v in raw.values()) / total_votes
    return {
        slug: (votes * score + PRIOR_VOTES * mean) / (votes + PRIOR_VOTES)
        for slug, (score, votes) in raw.items()
    }
