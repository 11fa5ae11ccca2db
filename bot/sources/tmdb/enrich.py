"""``drama-bot enrich``: bring each card's facts up to date from TMDB.

Per card: find its show (the stored ``tmdb_id``, or a search that never guesses), one details
request with ``append_to_response``, then propose changes that respect what the admin wrote:
hand-written values stay unless ``--overwrite KEY``; values an earlier run took from TMDB
(streaming entries with ``source: TMDB``, a TMDB community rating, a TMDB poster) are refreshed.
The edited file must pass ``check`` before it replaces the old one.
"""

from __future__ import annotations

import asyncio
import datetime
import difflib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from bot.answering.attribution import is_tmdb_image
from bot.answering.availability import TMDB_SOURCE
from bot.cards.model import Card
from bot.matching.folding import compact
from bot.redact import redact
from bot.sources.tmdb.cardfile import CardDocument, flow_map, validated, write_atomically
from bot.sources.tmdb.choices import DEFAULT_REGIONS
from bot.sources.tmdb.client import TmdbAuthError, TmdbClient, TmdbError, TmdbNotFound
from bot.sources.tmdb.finding import Found, find_show
from bot.sources.tmdb.mapping import (
    APPEND,
    ShowFacts,
    StreamingFact,
    has_hangul,
    korean_name,
    match_cast,
    show_facts,
)

STATE_FILE = ".enrich-state.json"


class Outcome(StrEnum):
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not found"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class EnrichOptions:
    today: datetime.date
    regions: tuple[str, ...] = DEFAULT_REGIONS
    write: bool = False
    overwrite: frozenset[str] = frozenset()
    rent_buy: bool = False
    refresh: bool = False
    concurrency: int = 4


@dataclass(slots=True)
class CardResult:
    slug: str
    outcome: Outcome
    detail: str = ""
    changes: list[str] = field(default_factory=list)
    diff: str = ""
    tmdb_id: int | None = None


class EnrichState:
    """Which cards a run finished today, so an interrupted run resumes where it stopped."""

    def __init__(self, path: Path):
        self.path = path
        self.cards: dict[str, dict[str, str]] = {}
        try:
            raw = json.loads(path.read_text("utf-8"))
            if isinstance(raw, dict) and isinstance(raw.get("cards"), dict):
                self.cards = {k: v for k, v in raw["cards"].items() if isinstance(v, dict)}
        except (OSError, ValueError):
            pass  # no state yet, or unreadable: start over (enrich is idempotent)

    def done_on(self, slug: str, day: datetime.date) -> bool:
        entry = self.cards.get(slug, {})
        return entry.get("date") == day.isoformat() and entry.get("outcome") in {
            Outcome.UPDATED,
            Outcome.UNCHANGED,
        }

    def record(self, result: CardResult, day: datetime.date) -> None:
        self.cards[result.slug] = {"date": day.isoformat(), "outcome": str(result.outcome)}
        text = json.dumps({"version": 1, "cards": self.cards}, indent=1, sort_keys=True)
        write_atomically(self.path, text + "\n")


class _People:
    """Korean names of people, fetched once per run however many cards they appear on."""

    def __init__(self, client: TmdbClient):
        self.client = client
        self._names: dict[int, asyncio.Task[str | None]] = {}

    async def korean(self, person_id: int) -> str | None:
        if person_id not in self._names:
            self._names[person_id] = asyncio.ensure_future(self._fetch(person_id))
        return await self._names[person_id]

    async def _fetch(self, person_id: int) -> str | None:
        try:
            return korean_name(await self.client.get(f"/person/{person_id}/translations"))
        except TmdbNotFound:
            return None


def _day(value: datetime.date) -> datetime.date:
    """A new date object each time: YAML would write one object used twice as an anchor."""
    return datetime.date(value.year, value.month, value.day)


def _streaming_entry(fact: StreamingFact, today: datetime.date) -> dict[str, Any]:
    return {
        "service": fact.service,
        "regions": list(fact.regions),
        "kind": fact.kind,
        "checked": _day(today),
        "source": TMDB_SOURCE,
    }


def _entry_key(entry: Any) -> tuple[str, str]:
    service = str(entry.get("service", "")) if hasattr(entry, "get") else ""
    kind = str(entry.get("kind") or "subscription") if hasattr(entry, "get") else ""
    return compact(service), kind


def _is_ours(entry: Any) -> bool:
    return hasattr(entry, "get") and entry.get("source") == TMDB_SOURCE


def _plain(value: Any) -> Any:
    """A YAML value as plain data, for comparing old and new."""
    if hasattr(value, "items"):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _change_text(key: str, value: Any) -> str:
    if key == "poster":
        return "poster: TMDB's"
    if key == "community_rating":
        return f"community_rating: {value['score']:g} / 10 from {value['votes']:,} votes"
    return f"{key}: {value!r}"


def _streaming_text(facts: list[StreamingFact]) -> str:
    parts = []
    for fact in facts:
        how = "" if fact.kind == "subscription" else f" ({fact.kind})"
        parts.append(f"{fact.service}{how} in {', '.join(fact.regions)}")
    return "; ".join(parts) or "none listed for the regions asked"


def plan_changes(
    doc: CardDocument,
    card: Card,
    facts: ShowFacts,
    native_names: dict[int, str],
    options: EnrichOptions,
) -> tuple[list[str], list[str]]:
    """Edit ``doc`` with what TMDB says; return (changes made, notes on what was kept)."""
    changes: list[str] = []
    kept: list[str] = []
    overwrite = options.overwrite

    def offer(key: str, new: Any, current: Any, *, ours: bool = False) -> None:
        if new is None or _plain(current) == _plain(new):
            return
        if current is not None and not ours and key not in overwrite:
            kept.append(f"kept {key} {_plain(current)!r} (TMDB: {_plain(new)!r})")
            return
        doc.set(key, new)
        changes.append(_change_text(key, _plain(new)))

    if card.tmdb_id is None:
        doc.set("tmdb_id", facts.show_id)
        changes.append(f"tmdb_id: {facts.show_id}")
    if facts.original_name and compact(facts.original_name) != compact(facts.name):
        offer("native_title", facts.original_name, card.native_title)
    offer("network", facts.network, card.network)
    offer("episodes", facts.episodes, card.episodes)
    offer("poster", facts.poster, card.poster, ours=is_tmdb_image(card.poster))
    if facts.score is not None:
        rating = flow_map(
            {
                "score": round(facts.score, 1),
                "scale": 10,
                "source": TMDB_SOURCE,
                "votes": facts.votes,
                "checked": _day(options.today),
            }
        )
        community = card.community_rating
        ours = community is not None and community.source.casefold() == "tmdb"
        offer("community_rating", rating, doc.data.get("community_rating"), ours=ours)
    _plan_streaming(doc, facts, options, changes, kept)
    for index, name in sorted(native_names.items()):
        current = card.cast[index].native_name
        if current == name:
            continue
        if current is not None and "native_name" not in overwrite:
            kept.append(f"kept cast[{index}].native_name {current!r} (TMDB: {name!r})")
            continue
        doc.set_cast_field(index, "native_name", name)
        changes.append(f"cast[{index}].native_name: {name!r} ({card.cast[index].actor})")
    return changes, kept


def _plan_streaming(
    doc: CardDocument,
    facts: ShowFacts,
    options: EnrichOptions,
    changes: list[str],
    kept: list[str],
) -> None:
    current = list(doc.data.get("streaming") or ())
    replace_hand = "streaming" in options.overwrite
    hand = [e for e in current if not _is_ours(e) and not replace_hand]
    hand_keys = {_entry_key(e) for e in hand}
    fresh = []
    for fact in facts.streaming:
        if (compact(fact.service), fact.kind) in hand_keys:
            kept.append(f"kept hand-written streaming {fact.service} ({fact.kind})")
            continue
        fresh.append(fact)
    new_entries = [_streaming_entry(f, options.today) for f in fresh]
    if _plain(hand) + _plain(new_entries) == _plain(current):
        return
    doc.replace_streaming(
        lambda e: not _is_ours(e) and not replace_hand, [flow_map(e) for e in new_entries]
    )
    changes.append(f"streaming: {_streaming_text(fresh)}")


async def enrich_card(
    client: TmdbClient, path: Path, card: Card, options: EnrichOptions, people: _People
) -> CardResult:
    """Enrich one card (writes only with ``options.write``); TmdbAuthError propagates."""
    if card.series is not None and card.tmdb_id is None:
        return CardResult(
            card.slug,
            Outcome.SKIPPED,
            "a later season: TMDB keeps seasons inside one show; "
            "add the show's tmdb_id by hand to enrich it",
        )
    try:
        match = await find_show(client, card)
        if match.status is Found.AMBIGUOUS:
            return CardResult(
                card.slug,
                Outcome.AMBIGUOUS,
                "several shows fit: "
                + "; ".join(match.candidates)
                + " (set tmdb_id on the card to choose)",
            )
        if match.status is Found.NOT_FOUND or match.show_id is None:
            near = f"; closest: {'; '.join(match.candidates)}" if match.candidates else ""
            return CardResult(
                card.slug,
                Outcome.NOT_FOUND,
                f"no show named {card.title!r} first aired in {card.year}{near}",
            )
        try:
            details = await client.get(
                f"/tv/{match.show_id}", {"append_to_response": APPEND, "language": "en-US"}
            )
        except TmdbNotFound:
            where = "the card's tmdb_id" if card.tmdb_id is not None else "the search"
            return CardResult(
                card.slug, Outcome.FAILED, f"TMDB has no show {match.show_id} ({where})"
            )
        facts = show_facts(details, card, options.regions, rent_buy=options.rent_buy)
        native_names = await _native_names(card, facts, options, people)
    except TmdbAuthError:
        raise
    except TmdbError as exc:
        return CardResult(card.slug, Outcome.FAILED, str(exc))
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        # JSON objects, but not in the shape TMDB's API documents (a proxy, a changed API):
        # this card fails, said in one line; the run goes on.
        odd = redact(f"{type(exc).__name__}: {exc}")[:80]
        return CardResult(
            card.slug, Outcome.FAILED, f"TMDB's answer is not in the shape of its API ({odd})"
        )
    return _apply(path, card, facts, native_names, options)


async def _native_names(
    card: Card, facts: ShowFacts, options: EnrichOptions, people: _People
) -> dict[int, str]:
    wanted = {
        index: person
        for index, person in match_cast(card, facts.cast).items()
        if card.cast[index].native_name is None or "native_name" in options.overwrite
    }
    names: dict[int, str] = {}
    for index, person in wanted.items():
        if has_hangul(person.original_name):
            names[index] = person.original_name
        elif (name := await people.korean(person.person_id)) is not None:
            names[index] = name
    return names


def _apply(
    path: Path,
    card: Card,
    facts: ShowFacts,
    native_names: dict[int, str],
    options: EnrichOptions,
) -> CardResult:
    original = path.read_text("utf-8")
    try:
        doc = CardDocument(original)
    except ValueError as exc:
        return CardResult(card.slug, Outcome.FAILED, f"cannot edit the file: {exc}")
    changes, kept = plan_changes(doc, card, facts, native_names, options)
    detail = "; ".join(kept)
    if not changes:
        return CardResult(card.slug, Outcome.UNCHANGED, detail, tmdb_id=facts.show_id)
    text = doc.dump()
    _, errors = validated(text, path)
    if errors:
        return CardResult(
            card.slug,
            Outcome.FAILED,
            f"the edited card would not pass check ({errors[0]}); file left as it was",
            changes,
            tmdb_id=facts.show_id,
        )
    diff = "".join(
        difflib.unified_diff(
            original.splitlines(keepends=True),
            text.splitlines(keepends=True),
            fromfile=f"{path} (now)",
            tofile=f"{path} (enriched)",
        )
    )
    if options.write:
        write_atomically(path, text)
    return CardResult(card.slug, Outcome.UPDATED, detail, changes, diff, facts.show_id)


async def enrich_cards(
    client: TmdbClient,
    cards: list[tuple[Path, Card]],
    options: EnrichOptions,
    state: EnrichState | None = None,
    on_result: Callable[[CardResult], None] | None = None,
) -> list[CardResult]:
    """Enrich ``cards`` with at most ``options.concurrency`` in progress; results in card order.

    A refused key (TmdbAuthError) stops the whole run: the remaining cards are cancelled.
    """
    people = _People(client)
    slots = asyncio.Semaphore(max(1, options.concurrency))

    async def one(path: Path, card: Card) -> CardResult:
        if state is not None and not options.refresh and state.done_on(card.slug, options.today):
            result = CardResult(card.slug, Outcome.SKIPPED, "already enriched today")
        else:
            async with slots:
                result = await enrich_card(client, path, card, options, people)
            if state is not None and options.write:
                state.record(result, options.today)
        if on_result is not None:
            on_result(result)
        return result

    tasks = [asyncio.ensure_future(one(path, card)) for path, card in cards]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
