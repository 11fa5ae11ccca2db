"""The review-card model: what a card holds, as plain immutable data (pure)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

MAX_SLUG_CHARS = 100  # a slug is a select-menu and autocomplete value: Discord caps those at 100
SCORE_NAMES = ("overall", "romance", "rewatch")


@dataclass(frozen=True, slots=True)
class CastMember:
    actor: str
    role: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StreamingOption:
    service: str
    regions: tuple[str, ...] = ()
    url: str | None = None


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
                {"actor": c.actor, "role": c.role, "aliases": list(c.aliases)} for c in self.cast
            ],
            "streaming": [
                {"service": s.service, "regions": list(s.regions), "url": s.url}
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
            },
        }

    def digest(self) -> str:
        """A content hash, used to tell changed cards from unchanged ones on reload."""
        blob = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()


def card_from_dict(data: dict[str, Any]) -> Card:
    ratings = data.get("ratings")
    review = data.get("review")
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
            CastMember(c["actor"], c.get("role"), tuple(c.get("aliases") or ()))
            for c in data["cast"]
        ),
        streaming=tuple(
            StreamingOption(s["service"], tuple(s.get("regions") or ()), s.get("url"))
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
        ),
    )
