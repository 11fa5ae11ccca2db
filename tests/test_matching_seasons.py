"""Seasons are different dramas: a query naming a season gets that season, or is told which
seasons we have; never another season as if it were the one asked for."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.answering.answers import CardAnswer, Choices, answer
from bot.answering.commands import parse_command_line
from bot.answering.render import render
from bot.cards.loader import load_cards
from bot.catalog.snapshot import Catalog
from bot.matching.index import Kind
from tests.conftest import WriteCard, minimal_card


@pytest.fixture
def seasons_dir(cards_dir: Path, write_card: WriteCard) -> Path:
    write_card(
        "hospital-playlist",
        minimal_card("Hospital Playlist", 2020, native_title="슬기로운 의사생활", season="1"),
    )
    write_card(
        "hospital-playlist-2",
        minimal_card(
            "Hospital Playlist 2",
            2021,
            native_title="슬기로운 의사생활 시즌2",
            season="2",
            series="hospital-playlist",
        ),
    )
    write_card("sweet-home", minimal_card("Sweet Home", 2020, network="Netflix"))
    write_card(
        "sweet-home-2",
        minimal_card("Sweet Home", 2023, season="2", series="sweet-home", network="Netflix"),
    )
    write_card("stranger", minimal_card("Stranger", 2017, native_title="비밀의 숲"))
    write_card(
        "stranger-2",
        minimal_card("Stranger 2", 2020, native_title="비밀의 숲 2", season="2", series="stranger"),
    )
    write_card("taxi-driver", minimal_card("Taxi Driver", 2021, network="SBS"))
    write_card("reply-1988", minimal_card("Reply 1988", 2015))
    write_card("reply-1994", minimal_card("Reply 1994", 2013))
    return cards_dir


@pytest.fixture
def catalog(seasons_dir: Path) -> Catalog:
    result = load_cards(seasons_dir)
    assert result.ok, [str(e) for e in result.errors]
    return Catalog.build(result.cards)


@pytest.mark.parametrize(
    "query",
    [
        "Hospital Playlist 2",
        "hospital playlist season 2",
        "Hospital Playlist S2",
        "hospital playlist part 2",
        "Hospital Playlist II",
        "hospital playlist 2nd season",
        "슬기로운 의사생활 시즌2",
        "슬기로운 의사생활 2기",
        "hospitl playlist 2",
        "hospital playlist 2021",
        "Hospital Playlist season 2 netflix",
    ],
)
def test_a_season_we_have_resolves_to_its_card(catalog: Catalog, query: str) -> None:
    got = catalog.titles.resolve(query)
    assert (got.kind, got.ids) == (Kind.MATCH, ("hospital-playlist-2",))


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("sweet home season 2", "sweet-home-2"),
        ("Sweet Home 2", "sweet-home-2"),
        ("sweet home 2023", "sweet-home-2"),
        ("sweet home s1", "sweet-home"),
        ("비밀의 숲 2", "stranger-2"),
        ("비밀의 숲 시즌2", "stranger-2"),
        ("stranger season 1", "stranger"),
        ("Reply 1988", "reply-1988"),
        ("reply 1988 netflix", "reply-1988"),
        # A year named as one: "year 2023", "from 2023", "in 2023", "aired 2023".
        ("sweet home year 2023", "sweet-home-2"),
        ("sweet home from 2023", "sweet-home-2"),
        ("sweet home in 2023", "sweet-home-2"),
        ("sweet home aired in 2023", "sweet-home-2"),
        ("stranger from 2020", "stranger-2"),
    ],
)
def test_season_forms_and_numbered_titles(catalog: Catalog, query: str, slug: str) -> None:
    got = catalog.titles.resolve(query)
    assert (got.kind, got.ids) == (Kind.MATCH, (slug,))


@pytest.mark.parametrize(
    ("query", "offered"),
    [
        ("Hospital Playlist 3", ("hospital-playlist", "hospital-playlist-2")),
        ("Taxi Driver 2", ("taxi-driver",)),
        ("taxi driver season 2", ("taxi-driver",)),
        ("Stranger 3", ("stranger", "stranger-2")),
        ("비밀의 숲 3", ("stranger", "stranger-2")),
    ],
)
def test_a_season_we_lack_is_never_answered_with_another(
    catalog: Catalog, query: str, offered: tuple[str, ...]
) -> None:
    got = catalog.titles.resolve(query)
    assert got.kind is Kind.CANDIDATES
    assert got.ids == offered
    assert got.missing_season == int(query[-1])


def test_the_series_name_answers_the_first_season_and_lists_the_others(catalog: Catalog) -> None:
    for line in ("/drama Hospital Playlist", "/drama sweet home"):
        result = answer(catalog, parse_command_line(line))
        assert isinstance(result, CardAnswer)
        assert result.card.slug in {"hospital-playlist", "sweet-home"}
    result = answer(catalog, parse_command_line("/drama Hospital Playlist"))
    payload = render(result, 1)
    fields = {f["name"]: f["value"] for f in payload["embeds"][0]["fields"]}
    assert fields["Seasons"].splitlines() == [
        "• Season 1: Hospital Playlist (2020) (this card)",
        "• Season 2: Hospital Playlist 2 (2021)",
    ]
    (menu,) = payload["components"][0]["components"]
    values = [o["value"] for o in menu["options"]]
    assert values[0] == "hospital-playlist-2" and len(values) == len(set(values))


def test_a_missing_season_is_a_did_you_mean_that_says_what_we_have(catalog: Catalog) -> None:
    result = answer(catalog, parse_command_line("/drama Hospital Playlist 3"))
    assert isinstance(result, Choices)
    content = render(result, 1)["content"]
    assert content.startswith(
        "We have Hospital Playlist (2020), season 1 and Hospital Playlist 2 (2021), season 2"
        " — not season 3. Did you mean one of these?"
    )
    result = answer(catalog, parse_command_line("/cast taxi driver 2"))
    assert isinstance(result, Choices)
    assert render(result, 1)["content"] == (
        "We have Taxi Driver (2021) — not season 2. Did you mean that one?"
    )


def test_ask_json_offers_the_seasons_we_have(seasons_dir: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "--data", str(seasons_dir)],
        input="/drama Hospital Playlist 3\n/drama hospital playlist season 2\n",
        capture_output=True,
        text=True,
        check=True,
    )
    missing, found = (json.loads(line) for line in run.stdout.splitlines())
    assert missing["card"] is None
    assert missing["candidates"] == ["hospital-playlist", "hospital-playlist-2"]
    assert "not season 3" in missing["message"]["content"]
    assert found["card"] == "hospital-playlist-2" and found["candidates"] == []


def test_a_sequel_card_of_its_own_is_found_with_a_typo(
    cards_dir: Path, write_card: WriteCard
) -> None:
    write_card("taxi-driver", minimal_card("Taxi Driver", 2021))
    write_card("taxi-driver-2", minimal_card("Taxi Driver 2", 2023))  # not linked as a season
    catalog = Catalog.build(load_cards(cards_dir).cards)
    for query in ("taxi driver 2", "taxi drievr 2", "taxi driver season 2"):
        got = catalog.titles.resolve(query)
        assert (got.kind, got.ids) == (Kind.MATCH, ("taxi-driver-2",)), query
    got = catalog.titles.resolve("taxi driver 3")
    assert got.kind is Kind.CANDIDATES and got.missing_season == 3
    assert [c.slug for c in catalog.seasons("taxi-driver")] == ["taxi-driver", "taxi-driver-2"]
    got = catalog.titles.resolve("taxi drivr")  # both fit: the drama, i.e. its first season
    assert (got.kind, got.ids) == (Kind.MATCH, ("taxi-driver",))


def test_a_part_listed_as_an_alias_is_that_card_but_a_season_is_not(
    cards_dir: Path, write_card: WriteCard
) -> None:
    write_card(
        "the-glory",
        minimal_card("The Glory", 2022, native_title="더 글로리", aliases="[The Glory Part 2]"),
    )
    write_card("reply-1988", minimal_card("Reply 1988", 2015))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    for query in ("the glory part 2", "The Glory pt 2", "the glory pt2", "더 글로리 파트2"):
        got = catalog.titles.resolve(query)
        assert (got.kind, got.ids) == (Kind.MATCH, ("the-glory",)), query
    for query in ("the glory season 2", "The Glory S2", "the glory 2nd season"):
        got = catalog.titles.resolve(query)
        assert (got.kind, got.ids, got.missing_season) == (Kind.CANDIDATES, ("the-glory",), 2)
    # The number before a season marker belongs to the title when that is a title.
    got = catalog.titles.resolve("Reply 1988 2")
    assert (got.kind, got.ids, got.missing_season) == (Kind.CANDIDATES, ("reply-1988",), 2)
