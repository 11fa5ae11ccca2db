"""Which TMDB show a card is about: by its stored id, or by title, year and native title.

Never a guess: a show fits only when its first-air year is the card's and its name (or its
original name) is one of the card's names; when the card has a native title and TMDB an
original name, those two must agree. More than one fit is *ambiguous* and left to the admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.cards.model import Card
from bot.matching.folding import compact
from bot.sources.tmdb.client import TmdbClient


class Found(StrEnum):
    FOUND = "found"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not found"


@dataclass(frozen=True, slots=True)
class ShowMatch:
    status: Found
    show_id: int | None = None
    candidates: tuple[str, ...] = ()  # "Name (2020, TMDB 1234)": the ones that fit, or came close


def describe(result: dict[str, Any]) -> str:
    year = str(result.get("first_air_date") or "")[:4] or "year unknown"
    names = str(result.get("name") or "?")
    original = result.get("original_name")
    if original and original != names:
        names += f" / {original}"
    return f"{names} ({year}, TMDB {result.get('id')})"


def fits(card: Card, result: dict[str, Any]) -> bool:
    """The search result is this card's show (see the module's rule)."""
    if str(result.get("first_air_date") or "")[:4] != str(card.year):
        return False
    ours = {compact(n) for n in (card.title, *card.aliases) if n}
    name = compact(str(result.get("name") or ""))
    original = compact(str(result.get("original_name") or ""))
    if card.native_title and original and original not in ours:
        return original == compact(card.native_title)
    return bool(name and name in ours) or bool(original and original in ours)


async def find_show(client: TmdbClient, card: Card) -> ShowMatch:
    """The card's TMDB show: its ``tmdb_id`` when it has one, else a search (one request per
    name: the title, and the native title when the card has one)."""
    if card.tmdb_id is not None:
        return ShowMatch(Found.FOUND, card.tmdb_id)
    seen: dict[int, dict[str, Any]] = {}
    for query in dict.fromkeys(q for q in (card.title, card.native_title) if q):
        body = await client.get(
            "/search/tv",
            {
                "query": query,
                "first_air_date_year": card.year,
                "include_adult": "false",
                "language": "en-US",
                "page": 1,
            },
        )
        for result in body.get("results") or ():
            if isinstance(result, dict) and isinstance(result.get("id"), int):
                seen.setdefault(result["id"], result)
    fitting = [r for r in seen.values() if fits(card, r)]
    if len(fitting) == 1:
        return ShowMatch(Found.FOUND, fitting[0]["id"], (describe(fitting[0]),))
    if fitting:
        return ShowMatch(Found.AMBIGUOUS, None, tuple(describe(r) for r in fitting))
    return ShowMatch(Found.NOT_FOUND, None, tuple(describe(r) for r in list(seen.values())[:3]))
