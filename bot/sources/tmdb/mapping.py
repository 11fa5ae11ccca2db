"""TMDB's answers, read into the facts a card holds (pure: JSON in, plain data out).

Shapes follow TMDB's reference: ``/tv/{id}`` with ``append_to_response=aggregate_credits,
watch/providers`` (the appended answers appear under those names), and
``/person/{id}/translations``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.cards.model import Card
from bot.matching.folding import compact

APPEND = "aggregate_credits,watch/providers"
POSTER_BASE = "https://image.tmdb.org/t/p/w500"
# TMDB's watch-provider lists -> our streaming kinds (rent and buy only when asked for).
MONETIZATION = {"flatrate": "subscription", "free": "free", "ads": "ads"}
RENT_BUY = {"rent": "rent", "buy": "buy"}

# TMDB provider names -> the names our cards use; ad tiers are the same service.
_SERVICE_NAMES = {
    "disney plus": "Disney+",
    "amazon prime video": "Prime Video",
    "amazon prime video with ads": "Prime Video",
    "apple tv plus": "Apple TV+",
    "rakuten viki": "Viki",
    "netflix basic with ads": "Netflix",
    "netflix standard with ads": "Netflix",
    "kocowa": "KOCOWA",
    "tving": "TVING",
    "wavve": "Wavve",
}
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
# Cards refuse markdown characters (such as "_") in addresses; such a path is left out.
_POSTER_PATH = re.compile(r"^/[A-Za-z0-9\-]+\.(?:jpg|jpeg|png|webp)$")


@dataclass(frozen=True, slots=True)
class StreamingFact:
    service: str
    kind: str
    regions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CastFact:
    person_id: int
    name: str
    original_name: str


@dataclass(frozen=True, slots=True)
class ShowFacts:
    show_id: int
    name: str
    original_name: str | None
    first_air_date: str | None
    episodes: int | None  # only when it is clear which season(s) the card is about
    network: str | None
    poster: str | None
    score: float | None
    votes: int
    streaming: tuple[StreamingFact, ...]
    cast: tuple[CastFact, ...]
    seasons: int


def service_name(provider: str) -> str:
    name = " ".join(provider.split())
    return _SERVICE_NAMES.get(name.casefold(), name)


def _episodes(details: dict[str, Any], card: Card) -> int | None:
    seasons = [s for s in details.get("seasons") or () if isinstance(s, dict)]
    if card.season is not None:
        for season in seasons:
            if season.get("season_number") == card.season:
                count = season.get("episode_count")
                return count if isinstance(count, int) and count > 0 else None
        return None
    total = details.get("number_of_episodes")
    numbered = [s for s in seasons if (s.get("season_number") or 0) >= 1]
    if details.get("number_of_seasons", 1) > 1 or len(numbered) > 1:
        return None  # several seasons, and the card does not say which one it is
    return total if isinstance(total, int) and total > 0 else None


def _streaming(
    providers: dict[str, Any], regions: tuple[str, ...], rent_buy: bool
) -> tuple[StreamingFact, ...]:
    kinds = MONETIZATION | (RENT_BUY if rent_buy else {})
    by_offer: dict[tuple[str, str], list[str]] = {}
    results = providers.get("results") if isinstance(providers, dict) else None
    for region in regions:
        offers = (results or {}).get(region)
        if not isinstance(offers, dict):
            continue
        for tmdb_kind, kind in kinds.items():
            listed = offers.get(tmdb_kind) or ()
            ordered = sorted(
                (p for p in listed if isinstance(p, dict) and p.get("provider_name")),
                key=lambda p: p.get("display_priority", 999),
            )
            for provider in ordered:
                key = (service_name(str(provider["provider_name"])), kind)
                if region not in by_offer.setdefault(key, []):
                    by_offer[key].append(region)
    return tuple(
        StreamingFact(service, kind, tuple(where)) for (service, kind), where in by_offer.items()
    )


def _cast(credits: dict[str, Any]) -> tuple[CastFact, ...]:
    people = []
    for person in credits.get("cast") or () if isinstance(credits, dict) else ():
        if isinstance(person, dict) and isinstance(person.get("id"), int) and person.get("name"):
            people.append(
                CastFact(
                    person["id"],
                    str(person["name"]),
                    str(person.get("original_name") or person["name"]),
                )
            )
    return tuple(people)


def show_facts(
    details: dict[str, Any], card: Card, regions: tuple[str, ...], *, rent_buy: bool = False
) -> ShowFacts:
    """The facts in a ``/tv/{id}?append_to_response=...`` answer that a card can hold."""
    networks = [n for n in details.get("networks") or () if isinstance(n, dict) and n.get("name")]
    poster_path = details.get("poster_path")
    poster = (
        POSTER_BASE + poster_path
        if isinstance(poster_path, str) and _POSTER_PATH.match(poster_path)
        else None
    )
    votes = details.get("vote_count")
    score = details.get("vote_average")
    return ShowFacts(
        show_id=int(details["id"]),
        name=str(details.get("name") or ""),
        original_name=details.get("original_name") or None,
        first_air_date=details.get("first_air_date") or None,
        episodes=_episodes(details, card),
        network=str(networks[0]["name"]) if networks else None,
        poster=poster,
        score=float(score) if isinstance(score, int | float) and votes else None,
        votes=votes if isinstance(votes, int) else 0,
        streaming=_streaming(details.get("watch/providers") or {}, regions, rent_buy),
        cast=_cast(details.get("aggregate_credits") or {}),
        seasons=int(details.get("number_of_seasons") or 1),
    )


def has_hangul(text: str) -> bool:
    return bool(_HANGUL.search(text))


def match_cast(card: Card, cast: tuple[CastFact, ...]) -> dict[int, CastFact]:
    """Card cast index -> the TMDB credit with the same name (or alias); unique matches only."""
    by_name: dict[str, list[CastFact]] = {}
    for person in cast:
        for name in {person.name, person.original_name}:
            by_name.setdefault(compact(name), []).append(person)
    matched: dict[int, CastFact] = {}
    for index, member in enumerate(card.cast):
        found = {
            p.person_id: p
            for name in (member.actor, *member.aliases)
            for p in by_name.get(compact(name), ())
        }
        if len(found) == 1:
            matched[index] = next(iter(found.values()))
    return matched


def korean_name(translations: dict[str, Any]) -> str | None:
    """The person's name in the Korean translation, when it is written in Hangul."""
    for entry in translations.get("translations") or ():
        if not isinstance(entry, dict) or entry.get("iso_639_1") != "ko":
            continue
        data = entry.get("data")
        name = " ".join(str((data or {}).get("name") or "").split())
        if name and has_hangul(name) and len(name) <= 40:
            return name
    return None
