"""The known networks and streaming services, and how a card's spelling is looked up."""

from __future__ import annotations

import pytest

from bot.cards.loader import load_cards
from bot.cards.vocabulary import NETWORKS, SERVICES, networks, services
from tests.conftest import SHIPPED_CARDS


@pytest.mark.parametrize(
    ("written", "spelled"),
    [("tvn", "tvN"), ("KBS 2TV", "KBS2"), ("Disney Plus", "Disney+"), ("channel-a", "Channel A")],
)
def test_another_spelling_of_a_known_network_names_the_list_spelling(
    written: str, spelled: str
) -> None:
    found = networks().lookup(written)
    assert not found.known and found.spelled == spelled


@pytest.mark.parametrize(
    ("written", "suggested"),
    [("JTBCC", ("JTBC",)), ("KBS", ("KBS1", "KBS2")), ("Disney", ("Disney+",))],
)
def test_near_misses_get_suggestions(written: str, suggested: tuple[str, ...]) -> None:
    found = networks().lookup(written)
    assert not found.known and found.spelled is None
    assert found.suggestions == suggested


def test_services_know_the_big_streamers_and_catch_typos() -> None:
    for name in ("Netflix", "Disney+", "TVING", "Coupang Play", "Wavve", "Viki", "Viu"):
        assert services().lookup(name).known, name
    assert services().lookup("Netflx").suggestions == ("Netflix",)
    assert services().lookup("Rakuten Viki").spelled == "Viki"


def test_unknown_names_get_no_suggestion() -> None:
    for name in ("Foo TV", "tvM", "Zzz"):
        found = networks().lookup(name)
        assert not found.known and not found.spelled and not found.suggestions, name


def test_every_spelling_folds_to_one_name_only() -> None:
    for names, vocabulary in ((NETWORKS, networks()), (SERVICES, services())):
        for name, others in names.items():
            assert vocabulary.lookup(name).known
            for other in others:
                assert vocabulary.lookup(other).spelled == name, (name, other)


def test_every_shipped_network_and_service_is_known() -> None:
    for card in load_cards(SHIPPED_CARDS).cards:
        if card.network:
            assert networks().lookup(card.network).known, (card.slug, card.network)
        for option in card.streaming:
            assert services().lookup(option.service).known, (card.slug, option.service)
