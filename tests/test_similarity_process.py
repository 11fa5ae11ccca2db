"""Computed similarity worked out in a worker process (``bot.catalog.similarity_process``): the
same picks as the build in one process, whichever way the worker ends."""

from __future__ import annotations

import pytest

from bot.bench.synthetic import synthetic_cards
from bot.cards.loader import load_cards
from bot.cards.model import Card, CastMember
from bot.catalog import similarity_process
from bot.catalog.similarity_process import PROCESS_THRESHOLD, ComputedPicks
from bot.catalog.snapshot import Catalog
from tests.conftest import SHIPPED_CARDS


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    shipped = load_cards(SHIPPED_CARDS).cards
    cards = [*synthetic_cards(1500, seed=5, avoid=shipped), *shipped]
    assert len(cards) < PROCESS_THRESHOLD  # built in this process: the reference
    return Catalog.build(cards)


def _computed(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """Each card's computed picks (not its own list), as /similar shows them."""
    picks = {
        slug: tuple(p.slug for p in catalog.similar(slug) if not p.from_review and p.slug)
        for slug in catalog.cards
    }
    return {slug: chosen for slug, chosen in picks.items() if chosen}


def _exclusions(catalog: Catalog) -> dict[str, frozenset[str]]:
    """What each card may not pick: itself and the cards it lists that we have."""
    exclude = {}
    for slug in catalog.cards:
        listed = {p.slug for p in catalog.similar(slug) if p.from_review and p.slug}
        if any(p.from_review for p in catalog.similar(slug)):
            exclude[slug] = frozenset({slug, *listed})
    return exclude


def test_a_worker_process_picks_what_the_build_here_picks(catalog: Catalog) -> None:
    expected = _computed(catalog)
    assert len(expected) > 1000
    picks = ComputedPicks(list(catalog.cards.values()), threshold=0)
    assert picks.in_process
    picks.exclude(_exclusions(catalog))
    got = picks.result()
    assert not picks.in_process  # the worker is done and gone
    assert got == expected
    # the picks are the catalog's own slug strings, not copies made from the worker's bytes
    first = next(iter(got.values()))[0]
    assert first is catalog.cards[first].slug


def test_picks_taken_back_a_few_cards_at_a_time_are_the_same(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker's picks are made into slugs a piece of cards at a time; pieces that end
    anywhere (a card with no picks, the last card) change nothing."""
    monkeypatch.setattr(similarity_process, "CARDS_PER_PIECE", 7)
    picks = ComputedPicks(list(catalog.cards.values()), threshold=0)
    assert picks.in_process
    picks.exclude(_exclusions(catalog))
    assert picks.result() == _computed(catalog)


def test_a_worker_that_does_not_answer_in_time_is_left_and_the_picks_made_here(
    catalog: Catalog,
) -> None:
    picks = ComputedPicks(list(catalog.cards.values()), threshold=0, timeout=0.0)
    picks.exclude(_exclusions(catalog))
    assert picks.result() == _computed(catalog)
    assert not picks.in_process


def test_a_small_catalog_is_ranked_in_this_process(catalog: Catalog) -> None:
    picks = ComputedPicks(list(catalog.cards.values()))
    assert not picks.in_process
    picks.exclude(_exclusions(catalog))
    assert picks.result() == _computed(catalog)


def test_a_card_listing_most_of_its_co_stars_dramas_gets_the_same_picks_from_the_worker() -> None:
    """The worker ranks every card's cast list before it is told what each card lists, so
    without room for those titles: drama-0 shares its star with fourteen dramas and lists ten
    of them, which use up that list; it is ranked alone, and picks the three oldest dramas
    the list had no room for, as the build in this process does."""
    star = (CastMember("Han Ji Min"),)
    cards = [
        Card(
            f"drama-{n}",
            f"Drama Number {n}",
            2000 + n,
            star if n < 15 else (CastMember(f"Actor {n}"),),
            genres=("thriller", "crime"),
            network="tvN",
            similar=tuple(f"Drama Number {m}" for m in range(4, 14)) if n == 0 else (),
        )
        for n in range(40)
    ]
    catalog = Catalog.build(cards)  # (in this process: the reference)
    picks = ComputedPicks(list(catalog.cards.values()), threshold=0)
    assert picks.in_process
    picks.exclude(_exclusions(catalog))
    got = picks.result()
    assert got == _computed(catalog)
    assert got["drama-0"][:4] == ("drama-14", "drama-3", "drama-2", "drama-1")
