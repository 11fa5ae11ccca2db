"""Discovery: /random, /browse and /top (pure: options and the catalog in, an answer out).

Filters (genre, network, year or decade, actor) are read forgivingly (``Romance``, ``TVN``,
``2010s``) and anything that names nothing in the catalog is answered with what does exist.
Every list comes from the catalog's precomputed facets, never from a scan of every card.
"""

from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from bot.answering.answers import Answer, BaseAnswer, Notice, card_answer
from bot.answering.escaping import escape, query_echo
from bot.answering.i18n import (
    CommaList,
    CommandName,
    GenreName,
    GenreTag,
    OrList,
    Phrase,
    genre_from_name,
)
from bot.answering.story_search import about_story
from bot.cards.house import is_house_review
from bot.catalog.facets import network_key
from bot.catalog.snapshot import Catalog
from bot.matching.folding import fold
from bot.matching.index import Kind

PAGE_SIZE = 10
# "2010s", "10s"; Korean readers write "2010년대", "10년대" (and "2020년" for a year).
_DECADE = re.compile(r"^(?:(?P<decade>(?:19|20)\d)|(?P<short>\d))0(?:s|\s*년대)$")
_YEAR = re.compile(r"^(?P<year>(?:19|20)\d\d)(?:\s*년)?$")
RANKINGS = ("review", "community")


@dataclass(frozen=True, slots=True)
class Filters:
    """What a discovery command is narrowed to; every value is canonical (as the catalog has it)."""

    genre: str | None = None
    network: str | None = None  # a network key (see facets.network_key)
    years: tuple[int, int] | None = None  # first and last year, inclusive
    actor: str | None = None  # an actor id

    def key(self) -> str:
        """A compact, stable text form, carried by page buttons: ``g=romance;n=tvn;y=2010-2019``."""
        parts = []
        if self.genre:
            parts.append(f"g={self.genre}")
        if self.network:
            parts.append(f"n={self.network}")
        if self.years:
            parts.append(f"y={self.years[0]}-{self.years[1]}")
        if self.actor:
            parts.append(f"a={self.actor}")
        return ";".join(parts)

    @classmethod
    def from_key(cls, key: str) -> Filters:
        values = dict(part.split("=", 1) for part in key.split(";") if "=" in part)
        years = None
        if "y" in values:
            first, _, last = values["y"].partition("-")
            if first.isdigit() and last.isdigit():
                years = (int(first), int(last))
        return cls(values.get("g"), values.get("n"), years, values.get("a"))

    def describe(self, catalog: Catalog) -> Phrase:
        """``romance dramas on tvN from the 2010s with Kim Soo Hyun`` (one sentence in each
        language, see ``filters.describe``; the parts that do not apply are left out)."""
        dramas = (
            Phrase("filters.genre_dramas", genre=GenreName(self.genre))
            if self.genre
            else Phrase("filters.dramas")
        )
        network = ""
        if self.network:
            name = catalog.facets.network_names.get(self.network, self.network)
            network = Phrase("filters.on_network", network=escape(name))
        years = ""
        if self.years:
            first, last = self.years
            if first == last:
                years = Phrase("filters.in_year", year=first)
            elif last - first == 9 and first % 10 == 0:
                years = Phrase("filters.in_decade", decade=first)
            else:
                years = Phrase("filters.in_years", first=first, last=last)
        actor = ""
        if self.actor and self.actor in catalog.actors:
            actor = Phrase("filters.with_actor", actor=escape(catalog.actors[self.actor].name))
        return Phrase(
            "filters.describe", tidy=True, dramas=dramas, network=network, years=years, actor=actor
        )


@dataclass(frozen=True, slots=True)
class ListItem:
    slug: str
    title: str
    year: int
    detail: str = ""  # shown after the title: a score, a role

    @property
    def label(self) -> str:
        return f"{self.title} ({self.year})"


@dataclass(frozen=True, slots=True)
class ListAnswer(BaseAnswer):
    """A list of dramas shown a page at a time (``/browse``, ``/top``)."""

    command: str
    heading: str
    items: tuple[ListItem, ...]
    key: str  # rebuilds the same list for page buttons
    page: int = 0
    note: str = ""  # a Phrase, said in the reader's language
    empty: str = Phrase("discovery.empty")

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.items) // PAGE_SIZE))

    def page_items(self) -> tuple[ListItem, ...]:
        start = self.page * PAGE_SIZE
        return self.items[start : start + PAGE_SIZE]


class _FilterProblem(Exception):
    """A filter names nothing in the catalog; the message says what does exist."""

    def __init__(self, message: Phrase) -> None:
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------- reading filters


def read_filters(catalog: Catalog, options: dict[str, str]) -> Filters:
    """Filters from a command's options; raises _FilterProblem with a helpful message."""
    genre = _genre(catalog, options["genre"]) if options.get("genre") else None
    network = _network(catalog, options["network"]) if options.get("network") else None
    years = _years(options["year"]) if options.get("year") else None
    actor = _actor(catalog, options["actor"]) if options.get("actor") else None
    return Filters(genre, network, years, actor)


def _closest(query: str, choices: Sequence[str]) -> list[str]:
    """Up to three choices close to ``query``, only those near the best one."""
    found = process.extract(query, choices, scorer=fuzz.WRatio, limit=3, score_cutoff=60)
    if not found:
        return []
    best = found[0][1]
    return [choice for choice, score, _ in found if score >= best - 10]


def _genre(catalog: Catalog, text: str) -> str:
    wanted = fold(text).replace(" ", "-")
    genres = catalog.facets.genres
    if wanted in genres:
        return wanted
    for genre in genres:  # "coming of age" for "coming-of-age", "slice of life"...
        if fold(genre) == fold(text):
            return genre
    named = genre_from_name(text)  # a genre's name in another language: "로맨스"
    if named in genres:
        return named
    hints = [GenreTag(g) for g in _closest(fold(text), sorted(genres))]
    listed = CommaList(GenreTag(g) for g in sorted(genres)[:30])
    raise _no_such("genre", text, hints, listed)


def _network(catalog: Catalog, text: str) -> str:
    key = network_key(text)
    if key in catalog.facets.networks:
        return key
    names = catalog.facets.network_names
    hints = [escape(name) for name in _closest(text, sorted(names.values()))]
    listed = CommaList(escape(name) for name in sorted(names.values(), key=str.casefold))
    raise _no_such("network", text, hints, listed)


def _no_such(facet: str, text: str, hints: list[Any], listed: CommaList) -> _FilterProblem:
    """No genre or network called ``text``: the ones we have, and the closest as suggestions."""
    values = {"typed": query_echo(text, 40), f"{facet}s": listed}
    if hints:
        return _FilterProblem(
            Phrase(f"discovery.no_{facet}_suggest", suggestions=OrList(hints), **values)
        )
    return _FilterProblem(Phrase(f"discovery.no_{facet}", **values))


def _years(text: str) -> tuple[int, int]:
    value = text.strip().lower().removeprefix("the ").replace("’", "'").replace("'", "")
    if year := _YEAR.match(value):
        return int(year["year"]), int(year["year"])
    match = _DECADE.match(value)
    if match and match["decade"]:
        first = int(match["decade"]) * 10
        return first, first + 9
    if match and match["short"]:  # "90s" -> 1990s, "10s" -> 2010s
        digit = int(match["short"])
        first = (1900 if digit >= 5 else 2000) + digit * 10
        return first, first + 9
    raise _FilterProblem(Phrase("discovery.bad_year", typed=query_echo(text, 20)))


def _actor(catalog: Catalog, text: str) -> str:
    resolution = catalog.actor_names.resolve(text)
    if resolution.kind is Kind.MATCH and resolution.id in catalog.actors:
        return resolution.id
    if resolution.kind is Kind.CANDIDATES:
        names = [escape(catalog.actor_names.labels[i]) for i in resolution.ids]
        raise _FilterProblem(Phrase("discovery.which_actor", names=OrList(names)))
    raise _FilterProblem(Phrase("discovery.no_actor", typed=query_echo(text, 60)))


# ---------------------------------------------------------------------------- filtering


def matching_slugs(
    catalog: Catalog, filters: Filters, ranked: Sequence[str] | None = None
) -> list[str]:
    """Slugs that pass every filter, in ``ranked`` order (default: newest first). Work grows
    with the smallest group a filter names, not with the catalog."""
    facets = catalog.facets
    groups: list[frozenset[str]] = []
    if filters.genre:
        groups.append(facets.members("genre", filters.genre))
    if filters.network:
        groups.append(facets.members("network", filters.network))
    if filters.actor and filters.actor in catalog.actors:
        groups.append(frozenset(c.slug for c in catalog.actors[filters.actor].credits))
    if filters.years:
        first, last = filters.years
        span = frozenset().union(*(facets.members("year", y) for y in range(first, last + 1)))
        groups.append(span)
    if not groups:
        return list(ranked if ranked is not None else facets.newest_first)
    groups.sort(key=len)
    found = [s for s in groups[0] if all(s in group for group in groups[1:])]
    if ranked is None:
        position = facets.position
    else:
        order = {slug: n for n, slug in enumerate(ranked)}
        found = [s for s in found if s in order]
        position = order
    found.sort(key=lambda s: position.get(s, len(position)))
    return found


# ---------------------------------------------------------------------------- the commands


def random_drama(catalog: Catalog, options: dict[str, str], rng: random.Random) -> Answer:
    try:
        filters = read_filters(catalog, options)
    except _FilterProblem as exc:
        return Notice("random", exc.message)
    pool = matching_slugs(catalog, filters)
    if not pool:
        return Notice(
            "random", Phrase("random.none", filters=filters.describe(catalog), capital=True)
        )
    chosen = catalog.cards[rng.choice(pool)]
    picked = card_answer(catalog, "drama", chosen, {})
    if filters.key():
        note = Phrase("random.picked_from", count=len(pool), filters=filters.describe(catalog))
    else:
        note = Phrase("random.picked", count=len(pool))
    return dataclasses.replace(picked, note=note)


def browse(catalog: Catalog, options: dict[str, str], page: int = 0) -> Answer:
    try:
        filters = read_filters(catalog, options)
    except _FilterProblem as exc:
        return Notice("browse", exc.message)
    if about := options.get("about", "").strip():  # (story_search: a did-you-mean)
        kept = set(matching_slugs(catalog, filters)) if filters.key() else None
        return about_story(catalog, about, kept)
    return browse_list(catalog, filters, page)


def browse_list(catalog: Catalog, filters: Filters, page: int = 0) -> ListAnswer:
    slugs = matching_slugs(catalog, filters)
    actor = catalog.actors.get(filters.actor) if filters.actor else None
    roles = {c.slug: c.role for c in actor.credits} if actor else {}
    items = tuple(
        _item(catalog, s, Phrase("browse.as_role", role=roles[s]) if roles.get(s) else "")
        for s in slugs
    )
    return _paged(
        ListAnswer(
            "browse",
            Phrase("browse.heading", filters=filters.describe(catalog), capital=True),
            items,
            filters.key(),
            note=Phrase("browse.note", count=len(items)),
            empty=Phrase("browse.empty"),
        ),
        page,
    )


def top(catalog: Catalog, options: dict[str, str], page: int = 0) -> Answer:
    by = fold(options.get("by") or "review")
    ranking = next((r for r in RANKINGS if r.startswith(by[:3])), None)
    if ranking is None:
        return Notice("top", Phrase("top.bad_ranking"))
    try:
        filters = read_filters(catalog, options)
    except _FilterProblem as exc:
        return Notice("top", exc.message)
    return top_list(catalog, ranking, filters, page)


def top_list(catalog: Catalog, ranking: str, filters: Filters, page: int = 0) -> ListAnswer:
    facets = catalog.facets
    if ranking == "review":
        ranked, describe = facets.by_review, _review_score(catalog)
        note = Phrase("top.note_review")
    else:
        ranked, describe = facets.by_community, _community_score(catalog)
        note = Phrase("top.note_community")
    slugs = matching_slugs(catalog, filters, ranked)
    if ranking == "review" and slugs:
        note = _whose_reviews(catalog, slugs)
    empty = _empty_top(catalog, ranking, filters) if not slugs else Phrase("discovery.empty")
    items = tuple(_item(catalog, s, describe(s)) for s in slugs)
    heading = (
        Phrase("top.heading_filtered", filters=filters.describe(catalog))
        if filters.key()
        else Phrase("top.heading")
    )
    key = f"{ranking}|{filters.key()}"
    return _paged(ListAnswer("top", heading, items, key, note=note, empty=empty), page)


def _empty_top(catalog: Catalog, ranking: str, filters: Filters) -> Phrase:
    """Why a /top list is empty, how an admin fills it, and the other ranking when it has
    dramas for the same selection (never a suggestion that is empty too)."""
    facets = catalog.facets
    if not facets.by_review and not facets.by_community:
        return Phrase("top.nothing_scored")
    other = "community" if ranking == "review" else "review"
    ranked = facets.by_review if ranking == "review" else facets.by_community
    if ranked:
        missing = Phrase(f"top.missing_{ranking}_here")
        how = ""
    else:
        missing = Phrase(f"top.missing_{ranking}")
        how = Phrase(f"top.how_{ranking}")
    other_ranked = facets.by_community if other == "community" else facets.by_review
    works = bool(matching_slugs(catalog, filters, other_ranked))
    alternative = Phrase(f"top.try_{other}", command=CommandName("top")) if works else ""
    return Phrase("top.empty", tidy=True, missing=missing, how=how, other=alternative)


def page_of(catalog: Catalog, command: str, key: str, page: int) -> Answer | None:
    """The list a page button belongs to, at another page (None when it cannot be rebuilt)."""
    if command == "browse":
        return browse_list(catalog, Filters.from_key(key), page)
    if command == "top":
        ranking, _, filter_key = key.partition("|")
        if ranking in RANKINGS:
            return top_list(catalog, ranking, Filters.from_key(filter_key), page)
    return None


def _item(catalog: Catalog, slug: str, detail: str) -> ListItem:
    card = catalog.cards[slug]
    return ListItem(slug, card.title, card.year, detail)


def _paged(answer: ListAnswer, page: int) -> ListAnswer:
    return ListAnswer(
        answer.command,
        answer.heading,
        answer.items,
        answer.key,
        max(0, min(page, answer.pages - 1)),
        answer.note,
        answer.empty,
    )


def _whose_reviews(catalog: Catalog, slugs: Sequence[str]) -> Phrase:
    """The note under a list ranked by review scores: whose reviews gave them (house reviews
    are the catalog's editors', not published critics')."""
    house = sum(is_house_review(catalog.cards[slug].review) for slug in slugs)
    if house == 0:
        return Phrase("top.note_review")
    if house == len(slugs):
        return Phrase("top.note_review_house")
    return Phrase("top.note_review_mixed", house=house, total=len(slugs))


def _review_score(catalog: Catalog) -> Callable[[str], str]:
    def describe(slug: str) -> str:
        card = catalog.cards[slug]
        ratings = card.ratings
        if ratings is None or ratings.overall is None:
            return ""
        key = "top.review_score_house" if is_house_review(card.review) else "top.review_score"
        return Phrase(key, score=ratings.overall, scale=ratings.scale)

    return describe


def _community_score(catalog: Catalog) -> Callable[[str], str]:
    def describe(slug: str) -> str:
        rating = catalog.cards[slug].community_rating
        if rating is None:
            return ""
        if rating.votes:
            return Phrase(
                "top.community_score_votes",
                score=rating.score,
                scale=rating.scale,
                source=rating.source,
                count=rating.votes,
            )
        return Phrase(
            "top.community_score", score=rating.score, scale=rating.scale, source=rating.source
        )

    return describe
