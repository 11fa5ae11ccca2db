"""The card keys for seasons, native names, dated streaming facts, posters, links and ratings
from rating sites: each loads, survives the database round trip, and a wrong value is reported
as ``path:line: key: message``."""

from __future__ import annotations

from pathlib import Path

from bot.cards.loader import load_cards
from bot.cards.model import card_from_dict
from tests.conftest import WriteCard

FULL = """
title: Hospital Playlist 2
native_title: 슬기로운 의사생활 시즌2
year: 2021
season: 2
series: hospital-playlist
poster: https://image.example.org/posters/hp2.jpg
tmdb_id: 96162
links:
  official: https://tvn.example.org/hospitalplaylist2
  mydramalist: https://mydramalist.com/61085-hospital-playlist-2
community_rating:
  source: TMDB
  score: 8.6
  scale: 10
  votes: 512
  checked: 2026-11-20
cast:
  - actor: Jo Jung Suk
    native_name: 조정석
    role: Lee Ik-jun
streaming:
  - service: Netflix
    regions: [US, KR]
    kind: subscription
    checked: 2026-11-25
review:
  source: A review blog
  url: https://reviews.example.org/hospital-playlist-2
"""

HEAD = """
title: Hospital Playlist
year: 2020
season: 1
cast:
  - actor: Jo Jung Suk
"""


def errors_of(folder: Path) -> list[str]:
    return [str(e) for e in load_cards(folder).errors]


def test_every_new_key_loads_and_survives_the_round_trip(
    write_card: WriteCard, cards_dir: Path
) -> None:
    write_card("hospital-playlist", HEAD)
    write_card("hospital-playlist-2", FULL)
    result = load_cards(cards_dir)
    assert result.ok, [str(e) for e in result.errors]
    card = next(c for c in result.cards if c.slug == "hospital-playlist-2")
    assert (card.season, card.series) == (2, "hospital-playlist")
    assert card.cast[0].native_name == "조정석"
    assert card.streaming[0].checked == "2026-11-25"
    assert card.streaming[0].kind == "subscription"
    assert card.poster == "https://image.example.org/posters/hp2.jpg"
    assert card.links is not None
    assert dict(card.links.items()) == {
        "official": "https://tvn.example.org/hospitalplaylist2",
        "mydramalist": "https://mydramalist.com/61085-hospital-playlist-2",
    }
    assert card.tmdb_id == 96162
    assert card.community_rating is not None
    assert (card.community_rating.score, card.community_rating.votes) == (8.6, 512)
    assert card.community_rating.checked == "2026-11-20"
    assert card.review is not None and card.review.url.endswith("hospital-playlist-2")
    assert card_from_dict(card.to_dict()) == card


def test_wrong_values_of_the_new_keys_name_file_line_and_key(
    write_card: WriteCard, cards_dir: Path
) -> None:
    bad = (
        FULL.replace("native_name: 조정석", "native_name: Jo Jung Suk")
        .replace("checked: 2026-11-25", "checked: 2026-13-40")
        .replace("kind: subscription", "kind: pirated")
        .replace("poster: https://", "poster: http://")
        .replace(
            "official: https://tvn.example.org/hospitalplaylist2", "official: '[x](https://a)'"
        )
        .replace("score: 8.6", "score: 11")
    )
    write_card("hospital-playlist", HEAD)
    path = write_card("hospital-playlist-2", bad)
    lines = bad.lstrip("\n").splitlines()

    def line_of(text: str) -> int:
        return next(n for n, line in enumerate(lines, start=1) if text in line)

    errors = errors_of(cards_dir)
    expected = {
        f"{path}:{line_of('native_name')}: cast[0].native_name:",
        f"{path}:{line_of('2026-13-40')}: streaming[0].checked:",
        f"{path}:{line_of('pirated')}: streaming[0].kind:",
        f"{path}:{line_of('poster:')}: poster:",
        f"{path}:{line_of('official:')}: links.official:",
        f"{path}:{line_of('score: 11')}: community_rating.score:",
    }
    for start in expected:
        assert any(e.startswith(start) for e in errors), (start, errors)
    assert len(errors) == len(expected)


def test_a_later_season_must_name_an_existing_first_season(
    write_card: WriteCard, cards_dir: Path
) -> None:
    path = write_card("hospital-playlist-2", FULL)
    (error,) = errors_of(cards_dir)
    line = FULL.lstrip("\n").splitlines().index("series: hospital-playlist") + 1
    assert error == (
        f"{path}:{line}: series: names hospital-playlist, "
        "but there is no card hospital-playlist.yaml"
    )


def test_series_rules_between_cards(write_card: WriteCard, cards_dir: Path) -> None:
    write_card("hospital-playlist", HEAD)
    write_card("hospital-playlist-2", FULL)
    third = FULL.replace("Hospital Playlist 2", "Hospital Playlist 3")
    write_card(
        "hospital-playlist-3",
        third.replace("series: hospital-playlist", "series: hospital-playlist-2").replace(
            "season: 2", "season: 3"
        ),
    )
    write_card(
        "hp-again", FULL.replace("Hospital Playlist 2", "HP Again").replace("tmdb_id: 96162\n", "")
    )
    write_card("lonely-two", "title: Lonely Two\nyear: 2022\nseason: 2\ncast:\n  - actor: A\n")
    errors = errors_of(cards_dir)
    assert any(
        "hospital-playlist-3.yaml" in e
        and "series: names hospital-playlist-2, which is itself a later season of hospital-playlist"
        in e
        for e in errors
    ), errors
    assert any(
        "hp-again.yaml" in e and "season: season 2 of hospital-playlist is also" in e
        for e in errors
    )
    assert any("hospital-playlist-2.yaml" in e and "is also hp-again.yaml" in e for e in errors)
    assert any(
        "lonely-two.yaml:3: season: season 2 needs `series:` naming the first season's card" in e
        for e in errors
    )
    result = load_cards(cards_dir)
    assert {c.slug for c in result.cards} == {"hospital-playlist"}


def test_a_month_is_enough_for_a_check_date(write_card: WriteCard, cards_dir: Path) -> None:
    write_card(
        "one",
        "title: One\nyear: 2020\ncast:\n  - actor: A\nstreaming:\n"
        "  - service: Netflix\n    checked: '2026-11'\n",
    )
    (card,) = load_cards(cards_dir).cards
    assert card.streaming[0].checked == "2026-11"
