"""Countries as people type them into `region:` (answer layer): everyday Korean names,
endonyms and other spellings are known; a suggestion comes only when it is genuinely close."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answering.answers import CardAnswer, UnknownRegion, answer
from bot.answering.commands import parse_command_line
from bot.answering.render import render
from bot.cards.loader import load_cards
from bot.catalog.snapshot import Catalog
from tests.conftest import WriteCard, minimal_card


@pytest.fixture
def show(cards_dir: Path, write_card: WriteCard) -> Catalog:
    write_card("show", minimal_card("Show"))
    return Catalog.build(load_cards(cards_dir).cards)


def region_of(catalog: Catalog, typed: str) -> str | None:
    result = answer(catalog, parse_command_line(f"/stream show region:{typed}"))
    return result.region if isinstance(result, CardAnswer) else None


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("호주", "AU"),
        ("오스트레일리아", "AU"),
        ("대만", "TW"),
        ("타이완", "TW"),
        ("북한", "KP"),
        ("러시아", "RU"),
        ("이란", "IR"),
        ("터키", "TR"),
        ("튀르키예", "TR"),
        ("남아공", "ZA"),
        ("남아프리카공화국", "ZA"),
        ("라오스", "LA"),
        ("미얀마", "MM"),
        ("베트남", "VN"),
        ("일본", "JP"),
        ("중국", "CN"),
    ],
)
def test_everyday_korean_country_names(show: Catalog, typed: str, code: str) -> None:
    assert region_of(show, typed) == code


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Brasil", "BR"),
        ("Deutschland", "DE"),
        ("España", "ES"),
        ("Espana", "ES"),
        ("Nippon", "JP"),
        ("Nihon", "JP"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Ivory Coast", "CI"),
        ("Côte d'Ivoire", "CI"),
        ("Czechia", "CZ"),
        ("Czech Republic", "CZ"),
        ("Italia", "IT"),
        ("Schweiz", "CH"),
        ("Österreich", "AT"),
        ("Nederland", "NL"),
        ("Mainland China", "CN"),
        ("Burma", "MM"),
        ("DPRK", "KP"),
        ("Hanguk", "KR"),
        ("Singapur", "SG"),
    ],
)
def test_endonyms_and_other_spellings(show: Catalog, typed: str, code: str) -> None:
    assert region_of(show, typed) == code


def suggestion(catalog: Catalog, typed: str, locale: str | None = None) -> str | None:
    result = answer(catalog, parse_command_line(f"/stream show region:{typed}"))
    assert isinstance(result, UnknownRegion), typed
    content: str = render(result, 1, locale)["content"]
    return result.suggestion and (content.split("Did you mean ")[-1].split("?")[0])


@pytest.mark.parametrize(
    "typed", ["none", "Europe", "Narnia", "Asia", "Mars", "qqxzv", "asdf", "Netflix", "K1"]
)
def test_nonsense_gets_no_suggestion(show: Catalog, typed: str) -> None:
    assert suggestion(show, typed) is None


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Kanada", "Canada"),
        ("Austrlia", "Australia"),
        ("Phillipines", "Philippines"),
        ("Germnay", "Germany"),
        ("Untied States", "United States"),
        ("오스트렐리아", "Australia"),
    ],
)
def test_a_close_misspelling_is_suggested(show: Catalog, typed: str, meant: str) -> None:
    assert suggestion(show, typed) == meant


def test_the_suggestion_is_said_in_the_readers_language(show: Catalog) -> None:
    result = answer(show, parse_command_line("/stream show region:Austrlia"))
    assert "혹시 호주 말인가요?" in render(result, 1, "ko")["content"]
