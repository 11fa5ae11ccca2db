"""Actors: an extra syllable or another family name is another person; spelling variants,
the family name written last, a given name alone and names in Hangul find the one person."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answering.answers import ActorAnswer, answer
from bot.answering.commands import parse_command_line
from bot.cards.loader import load_cards
from bot.catalog.snapshot import Catalog
from bot.matching.index import Kind
from tests.conftest import WriteCard


@pytest.mark.parametrize(
    ("query", "near"),
    [("Song Kang Ho", "song-kang"), ("Jang Ki Yong", "kang-ki-young")],
)
def test_another_person_is_at_most_a_did_you_mean(
    shipped_catalog: Catalog, query: str, near: str
) -> None:
    got = shipped_catalog.actor_names.resolve(query)
    assert got.kind is not Kind.MATCH
    assert near in got.ids  # offered, not asserted


@pytest.mark.parametrize(
    ("query", "actor"),
    [
        ("Soo-hyun Kim", "kim-soo-hyun"),
        ("Soohyun Kim", "kim-soo-hyun"),
        ("Kim Soo Hyn", "kim-soo-hyun"),
        ("Seo In Gook", "seo-in-guk"),
        ("Siwan", "im-si-wan"),
        ("si wan", "im-si-wan"),
        ("Lim Si-wan", "im-si-wan"),
        ("<@99> im si wan", "im-si-wan"),
    ],
)
def test_one_person_written_another_way(shipped_catalog: Catalog, query: str, actor: str) -> None:
    got = shipped_catalog.actor_names.resolve(query)
    assert (got.kind, got.ids) == (Kind.MATCH, (actor,))


CAST = """\
title: {title}
year: {year}
cast:
  - actor: {actor}
    native_name: {native}
"""


@pytest.fixture
def people(cards_dir: Path, write_card: WriteCard) -> Catalog:
    for slug, title, year, actor, native in [
        ("parasite-like", "A Family Drama", 2019, "Song Kang-ho", "송강호"),
        ("love-alarm", "Love Alarm", 2019, "Song Kang", "송강"),
        ("cloy", "Crash Landing on You", 2019, "Hyun Bin", "현빈"),
        ("hotel", "Hotel del Luna", 2019, "IU", "아이유"),
        ("descendants", "Descendants of the Sun", 2016, "Song Hye-kyo", "송혜교"),
        ("reply", "Reply 1988", 2015, "Park Bo-gum", "박보검"),
    ]:
        write_card(slug, CAST.format(title=title, year=year, actor=actor, native=native))
    result = load_cards(cards_dir)
    assert result.ok, [str(e) for e in result.errors]
    return Catalog.build(result.cards)


@pytest.mark.parametrize(
    ("query", "actor"),
    [
        ("현빈", "hyun-bin"),
        ("아이유", "iu"),
        ("송혜교", "song-hye-kyo"),
        ("박 보검", "park-bo-gum"),
        ("Park Bo-geom", "park-bo-gum"),
        ("Song Kang Ho", "song-kang-ho"),
        ("Song Kang", "song-kang"),
        ("송강호", "song-kang-ho"),
        ("송강", "song-kang"),
    ],
)
def test_names_in_hangul_and_neighbours(people: Catalog, query: str, actor: str) -> None:
    got = people.actor_names.resolve(query)
    assert (got.kind, got.ids) == (Kind.MATCH, (actor,))


def test_a_near_hangul_name_is_not_taken_for_someone(people: Catalog) -> None:
    assert people.actor_names.resolve("현진").kind is not Kind.MATCH
    assert people.actor_names.resolve("송혜").kind is not Kind.MATCH


def test_actor_answer_and_autocomplete_in_hangul(people: Catalog) -> None:
    result = answer(people, parse_command_line("/actor 현빈"))
    assert isinstance(result, ActorAnswer) and result.actor.name == "Hyun Bin"
    assert people.actor_names.suggest("송")[:3] == ["song-hye-kyo", "song-kang", "song-kang-ho"]


def test_a_hangul_given_name_alone(people: Catalog) -> None:
    got = people.actor_names.resolve("보검")  # 박보검's given name
    assert (got.kind, got.ids) == (Kind.MATCH, ("park-bo-gum",))
    assert people.actor_names.resolve("현빈").ids == ("hyun-bin",)  # a stage name stays whole
