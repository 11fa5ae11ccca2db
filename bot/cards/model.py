"""The review-card model: what a card holds, as plain immutable data (pure)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import msgspec

from bot.text import slugify

MAX_SLUG_CHARS = 100  # a slug is a select-menu and autocomplete value: Discord caps those at 100
SCORE_NAMES = ("overall", "romance", "rewatch")
LINK_NAMES = ("official", "mydramalist", "wikipedia", "imdb")
# How a streaming option is offered; "subscription" when the card does not say.
OFFER_KINDS = ("subscription", "free", "ads", "rent", "buy")


def card_slug(title: str, year: int | None = None) -> str:
    """The file name (without ``.yaml``) a card with this title gets: its title's slug, cut
    at a word to fit :data:`MAX_SLUG_CHARS`; with ``year``, ``<slug>-<year>`` (for a second
    drama of the same title), the year always kept."""
    suffix = f"-{year}" if year is not None else ""
    slug = slugify(title)
    room = MAX_SLUG_CHARS - len(suffix)
    if len(slug) > room:
        cut = slug[:room]
        if slug[room] != "-" and "-" in cut:
            cut = cut.rsplit("-", 1)[0]
        slug = cut.strip("-")
    return slug + suffix if slug else ""


@dataclass(frozen=True, slots=True)
class CastMember:
    actor: str
    role: str | None = None
    aliases: tuple[str, ...] = ()
    native_name: str | None = None  # the name in Hangul (or the original script)


@dataclass(frozen=True, slots=True)
class StreamingOption:
    service: str
    regions: tuple[str, ...] = ()  # empty: wherever the service operates
    url: str | None = None
    kind: str = "subscription"  # one of OFFER_KINDS
    checked: str | None = None  # ISO date (YYYY-MM-DD or YYYY-MM) the fact was last checked
    source: str | None = None  # where the fact came from, e.g. "TMDB" when enrich wrote it


@dataclass(frozen=True, slots=True)
class Ratings:
    scale: int = 5
    overall: float | None = None
    romance: float | None = None
    rewatch: float | None = None

    def score(self, name: str) -> float | None:
        value: float | None = getattr(self, name)
        return value


@dataclass(frozen=True, slots=True)
class Review:
    source: str | None = None
    reviewer: str | None = None
    headline: str | None = None
    summary: str | None = None
    highlights: tuple[str, ...] = ()
    verdict: str | None = None
    url: str | None = None  # where the review was published


@dataclass(frozen=True, slots=True)
class CommunityRating:
    """An audience score from a rating site: a fact about the show, never a review score."""

    score: float
    scale: int = 10
    source: str = "TMDB"
    votes: int | None = None
    checked: str | None = None  # ISO date


@dataclass(frozen=True, slots=True)
class Links:
    """Pages about the drama, shown as link buttons (https only)."""

    official: str | None = None
    mydramalist: str | None = None
    wikipedia: str | None = None
    imdb: str | None = None

    def items(self) -> tuple[tuple[str, str], ...]:
        """``(name, url)`` for every link the card gives, in ``LINK_NAMES`` order."""
        return tuple((n, u) for n in LINK_NAMES if (u := getattr(self, n)) is not None)


@dataclass(frozen=True, slots=True)
class Card:
    slug: str
    title: str
    year: int
    cast: tuple[CastMember, ...]
    native_title: str | None = None
    aliases: tuple[str, ...] = ()
    country: str = "KR"
    network: str | None = None
    episodes: int | None = None
    genres: tuple[str, ...] = ()
    streaming: tuple[StreamingOption, ...] = ()
    ratings: Ratings | None = None
    similar: tuple[str, ...] = ()
    review: Review | None = None
    season: int | None = None  # which season this card is, when the drama has several
    series: str | None = None  # slug of the first season's card (for season 2 and later)
    poster: str | None = None  # https address of a poster image
    links: Links | None = None
    tmdb_id: int | None = None  # The Movie Database's id for the show, once matched
    community_rating: CommunityRating | None = None

    @property
    def label(self) -> str:
        """How the card is shown in lists and autocomplete: ``Run On (2020)``."""
        return f"{self.title} ({self.year})"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; :func:`card_from_dict` reverses it exactly."""
        return {
            "slug": self.slug,
            "title": self.title,
            "native_title": self.native_title,
            "aliases": list(self.aliases),
            "year": self.year,
            "country": self.country,
            "network": self.network,
            "episodes": self.episodes,
            "genres": list(self.genres),
            "cast": [
                {
                    "actor": c.actor,
                    "role": c.role,
                    "aliases": list(c.aliases),
                    "native_name": c.native_name,
                }
                for c in self.cast
            ],
            "streaming": [
                {
                    "service": s.service,
                    "regions": list(s.regions),
                    "url": s.url,
                    "kind": s.kind,
                    "checked": s.checked,
                    "source": s.source,
                }
                for s in self.streaming
            ],
            "ratings": None
            if self.ratings is None
            else {
                "scale": self.ratings.scale,
                **{name: self.ratings.score(name) for name in SCORE_NAMES},
            },
            "similar": list(self.similar),
            "review": None
            if self.review is None
            else {
                "source": self.review.source,
                "reviewer": self.review.reviewer,
                "headline": self.review.headline,
                "summary": self.review.summary,
                "highlights": list(self.review.highlights),
                "verdict": self.review.verdict,
                "url": self.review.url,
            },
            "season": self.season,
            "series": self.series,
            "poster": self.poster,
            "links": None if self.links is None else dict(self.links.items()),
            "tmdb_id": self.tmdb_id,
            "community_rating": None
            if self.community_rating is None
            else {
                "score": self.community_rating.score,
                "scale": self.community_rating.scale,
                "source": self.community_rating.source,
                "votes": self.community_rating.votes,
                "checked": self.community_rating.checked,
            },
        }

    def digest(self) -> str:
        """A content hash, used to tell changed cards from unchanged ones on reload."""
        return hashlib.sha256(card_json(self)).hexdigest()


#: :meth:`Card.to_dict` as JSON, keys sorted, no spaces (the store's body): msgspec's encoder
#: takes under half the CPU of ``json.dumps(..., sort_keys=True)``, which a cold load paid
#: for every card it read (about 8 µs of a card's 0.11 ms).
_JSON = msgspec.json.Encoder(order="sorted")


def card_json(card: Card) -> bytes:
    """The JSON the store keeps for ``card`` (UTF-8), whose SHA-256 is its digest."""
    return _JSON.encode(card.to_dict())


def card_from_dict(data: dict[str, Any]) -> Card:
    """The card :meth:`Card.to_dict` described (keys missing from older rows take defaults)."""
    ratings = data.get("ratings")
    review = data.get("review")
    links = data.get("links")
    community = data.get("community_rating")
    return Card(
        slug=data["slug"],
        title=data["title"],
        native_title=data.get("native_title"),
        aliases=tuple(data.get("aliases") or ()),
        year=data["year"],
        country=data.get("country") or "KR",
        network=data.get("network"),
        episodes=data.get("episodes"),
        genres=tuple(data.get("genres") or ()),
        cast=tuple(
            CastMember(
                c["actor"], c.get("role"), tuple(c.get("aliases") or ()), c.get("native_name")
            )
            for c in data["cast"]
        ),
        streaming=tuple(
            StreamingOption(
                s["service"],
                tuple(s.get("regions") or ()),
                s.get("url"),
                s.get("kind") or "subscription",
                s.get("checked"),
                s.get("source"),
            )
            for s in data.get("streaming") or ()
        ),
        ratings=None
        if ratings is None
        else Ratings(ratings.get("scale", 5), *(ratings.get(n) for n in SCORE_NAMES)),
        similar=tuple(data.get("similar") or ()),
        review=None
        if review is None
        else Review(
            review.get("source"),
            review.get("reviewer"),
            review.get("headline"),
            review.get("summary"),
            tuple(review.get("highlights") or ()),
            review.get("verdict"),
            review.get("url"),
        ),
        season=data.get("season"),
        series=data.get("series"),
        poster=data.get("poster"),
        links=None if links is None else Links(**links),
        tmdb_id=data.get("tmdb_id"),
        community_rating=None if community is None else CommunityRating(**community),
    )
