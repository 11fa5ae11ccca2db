"""/similar picks: the card's own list first (linked when the title resolves), then computed ones
(never a season of the card's own series, and at most one card per other series).

Computed similarity is worked out once, when the catalog is built (off the event loop), with
an index over cast, genres and network instead of comparing every pair of cards. These tests
pin the picks the catalog gave before that change (on shipped cards), and compare the index
with a plain all-pairs reference, written here, on three catalogs.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from bot.bench.synthetic import synthetic_cards
from bot.cards.house import is_house_review
from bot.cards.loader import load_cards
from bot.cards.model import Card, CastMember
from bot.catalog.similarity import COMPUTED_SIMILAR_LIMIT
from bot.catalog.snapshot import Catalog, SimilarPick
from bot.matching.folding import compact
from bot.matching.index import Kind
from tests.conftest import REPO, SHIPPED_CARDS

HELDOUT_CARDS = REPO / "tests" / "fixtures" / "heldout" / "cards"
WEAK_GENRES = frozenset({"drama", "romance", "comedy"})
_key = functools.cache(compact)  # the same folding, remembered: the reference is all-pairs


def _series(card: Card) -> str:
    """The series a card belongs to: the first season's slug (its own for a single drama)."""
    return card.series or card.slug


def _reference(catalog: Catalog, card: Card) -> tuple[SimilarPick, ...]:
    """The all-pairs computation as it ran per query before (commit aff2308), with the series
    rule: never a season of the card's own series (nor of a series a listed pick belongs to),
    and at most one card per other series, ranked by its best-scoring season and shown as
    the earliest season with that score."""
    picks: list[SimilarPick] = []
    linked = {card.slug}
    source = "the review's pick" if card.review is not None else "listed on the card"
    if is_house_review(card.review):  # labelled since the house reviews landed (polish5)
        source = "picked in our house review"
    for title in card.similar:
        resolution = catalog.titles.resolve(title)
        target = catalog.cards.get(resolution.id) if resolution.kind is Kind.MATCH else None
        if target is not None and target.slug in linked:
            continue
        if target is not None:
            linked.add(target.slug)
            picks.append(SimilarPick(target.title, target.slug, source, True))
        else:
            picks.append(SimilarPick(title, None, source, True))
    taken = {_series(card)} | {_series(catalog.cards[slug]) for slug in linked}
    by_series: dict[str, list[tuple[float, Card, str]]] = {}
    for other in catalog.cards.values():
        if other.slug in linked or _series(other) in taken:
            continue
        mine = {_key(m.actor) for m in card.cast}
        shared_cast = [m.actor for m in other.cast if _key(m.actor) in mine]
        shared_genres = [g for g in other.genres if g in card.genres]
        strong = [g for g in shared_genres if g not in WEAK_GENRES]
        score = 3.0 * len(shared_cast) + len(strong) + 0.5 * (len(shared_genres) - len(strong))
        same_network = bool(card.network and card.network == other.network)
        score += 0.5 if same_network else 0.0
        if shared_cast:
            reason = "also stars " + _join(shared_cast)
        elif shared_genres:
            reason = "also " + _join(shared_genres)
        else:
            reason = f"also on {other.network}"
        if not shared_cast and same_network and shared_genres:
            reason += f", on {other.network}"
        if score >= 2.0:
            by_series.setdefault(_series(other), []).append((score, other, reason))
    ranked = []
    for seasons in by_series.values():
        best = max(score for score, _, _ in seasons)
        top = [item for item in seasons if item[0] == best]
        first = min((-o.year, o.title.casefold(), o.slug) for _, o, _ in top)
        shown = min(top, key=lambda i: (i[1].season or 1, i[1].year, i[1].title.casefold()))
        ranked.append(((-best, *first), shown))
    ranked.sort(key=lambda item: item[0])
    for _, (_, other, reason) in ranked[:COMPUTED_SIMILAR_LIMIT]:
        picks.append(SimilarPick(other.title, other.slug, reason, False))
    return tuple(picks)


def _join(items: list[str]) -> str:
    return " and ".join(items) if len(items) <= 2 else ", ".join(items[:-1]) + " and " + items[-1]


def _catalog(folder: Path) -> Catalog:
    result = load_cards(folder)
    assert result.ok, result.errors[:3]
    return Catalog.build(result.cards)


def test_todays_picks_for_shipped_cards(shipped_catalog: Catalog) -> None:
    """Spelled out for shipped cards (they follow the shipped cards). Squid Game's seasons 2
    and 3 both star Im Si Wan: Run On offers the series once, as its earliest such season;
    Hospital Playlist never offers its own second season."""

    def shown(slug: str) -> list[tuple[str | None, str, bool]]:
        return [(p.slug, p.reason, p.from_review) for p in shipped_catalog.similar(slug)]

    assert shown("run-on") == [
        ("start-up", "the review's pick", True),
        ("because-this-is-my-first-life", "the review's pick", True),
        ("squid-game-2", "also stars Im Si Wan", False),
        ("extraordinary-attorney-woo", "also stars Kang Tae Oh", False),
        ("rookie-historian-goo-hae-ryung", "also stars Shin Se Kyung", False),
        ("the-tale-of-nokdu", "also stars Kang Tae Oh", False),
        ("black-knight-the-man-who-guards-me", "also stars Shin Se Kyung", False),
    ]
    assert shown("hospital-playlist")[3:] == [
        ("reply-1994", "also stars Yoo Yeon Seok", False),
        ("mr-sunshine", "also stars Yoo Yeon Seok", False),
        # (Yumi's Cells first since round 13: its season 2's card says tvN too, and a series
        # is ranked by its best-scoring season)
        ("yumis-cells", "also comedy and slice-of-life, on tvN", False),
        ("hometown-cha-cha-cha", "also comedy and slice-of-life, on tvN", False),
        ("because-this-is-my-first-life", "also comedy and slice-of-life, on tvN", False),
    ]
    for slug in ("hospital-playlist", "hospital-playlist-2"):
        assert not any(pick.startswith("hospital-playlist") for pick, _, _ in shown(slug))
    assert shown("start-up") == [  # its house review's picks
        ("because-this-is-my-first-life", "picked in our house review", True),
        ("twenty-five-twenty-one", "picked in our house review", True),
        ("itaewon-class", "picked in our house review", True),
        ("weightlifting-fairy-kim-bok-joo", "also stars Nam Joo Hyuk", False),
        ("hometown-cha-cha-cha", "also stars Kim Seon Ho", False),
        ("anna", "also stars Suzy", False),
        ("reply-1988", "also romance and coming-of-age, on tvN", False),
        ("reply-1994", "also romance and coming-of-age, on tvN", False),
    ]
    assert shown("reply-1988")[3:] == [
        ("love-in-the-moonlight", "also stars Park Bo Gum", False),
        ("big-bet", "also stars Lee Dong Hwi", False),
        ("queen-of-tears", "also romance, comedy and family, on tvN", False),
        ("navillera", "also family and coming-of-age, on tvN", False),
        ("twenty-five-twenty-one", "also romance and coming-of-age, on tvN", False),
    ]


@pytest.mark.parametrize("folder", [SHIPPED_CARDS, HELDOUT_CARDS], ids=["shipped", "heldout"])
def test_every_card_gets_the_same_picks_as_the_all_pairs_reference(folder: Path) -> None:
    catalog = _catalog(folder)
    for slug, card in catalog.cards.items():
        assert catalog.similar(slug) == _reference(catalog, card), slug


def test_a_synthetic_catalog_gets_the_same_picks_as_the_all_pairs_reference() -> None:
    shipped = load_cards(SHIPPED_CARDS).cards
    catalog = Catalog.build([*synthetic_cards(400, seed=21, avoid=shipped), *shipped])
    mismatches = [
        slug
        for slug, card in catalog.cards.items()
        if catalog.similar(slug) != _reference(catalog, card)
    ]
    assert mismatches == []


def test_a_card_skipping_more_than_its_kinds_list_gets_the_reference_picks() -> None:
    """Forty dramas of one kind (genres and network); one lists thirty of them as similar and
    shares cast with five more, so the bulk ranking's list for the kind runs out for it."""
    cast = (CastMember("Han Ji Min"), CastMember("Jo Jung Suk"))
    cards = [
        Card(
            f"drama-{n}",
            f"Drama Number {n}",
            2000 + n % 20,
            cast if n < 6 else (CastMember(f"Actor {n}"),),
            genres=("thriller", "crime", "medical"),
            network="tvN",
            similar=tuple(f"Drama Number {m}" for m in range(6, 36)) if n == 0 else (),
        )
        for n in range(40)
    ]
    catalog = Catalog.build(cards)
    for slug, card in catalog.cards.items():
        assert catalog.similar(slug) == _reference(catalog, card), slug
    assert [p.slug for p in catalog.similar("drama-0")][30:] == [
        "drama-5",
        "drama-4",
        "drama-3",
        "drama-2",
        "drama-1",
    ]
