"""Reloading one edited card without rebuilding the catalog: the new snapshot shares every index
the edit leaves as it was with the old one, and answers exactly as a catalog built from scratch
on the same cards."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.answering.answers import answer
from bot.answering.commands import parse_command_line
from bot.answering.render import render
from bot.bench.synthetic import synthetic_cards
from bot.cards.loader import load_cards
from bot.cards.model import Card, CastMember, CommunityRating, Ratings, StreamingOption
from bot.catalog import derived
from bot.catalog.snapshot import Catalog
from bot.catalog.store import Store
from tests.catalog_helpers import start_catalog, started_service
from tests.conftest import SHIPPED_CARDS

Edit = Callable[[Card], Card]

EDITS: dict[str, Edit] = {
    "episodes": lambda c: dataclasses.replace(c, episodes=(c.episodes or 0) + 1),
    "streaming url": lambda c: dataclasses.replace(
        c,
        streaming=tuple(
            dataclasses.replace(s, url="https://example.org/watch") for s in c.streaming
        ),
    ),
    "review score": lambda c: dataclasses.replace(c, ratings=Ratings(5, 4.5)),
    "community rating": lambda c: dataclasses.replace(
        c, community_rating=CommunityRating(9.9, 10, "TMDB", 5000)
    ),
    "title": lambda c: dataclasses.replace(c, title=c.title + " Returns"),
    "alias": lambda c: dataclasses.replace(c, aliases=(*c.aliases, "Zebra Crossing Days")),
    "year": lambda c: dataclasses.replace(c, year=c.year - 3),
    "role": lambda c: dataclasses.replace(
        c, cast=(dataclasses.replace(c.cast[0], role="Someone Else"), *c.cast[1:])
    ),
    "new actor": lambda c: dataclasses.replace(c, cast=(*c.cast, CastMember("Kim Hye Soo"))),
    "genres": lambda c: dataclasses.replace(c, genres=("thriller", "crime", "medical")),
    "network": lambda c: dataclasses.replace(c, network="ENA"),
    "service": lambda c: dataclasses.replace(c, streaming=(StreamingOption("Viki", ("US",)),)),
    "similar": lambda c: dataclasses.replace(c, similar=("Reply 1988", "Vincenzo")),
}


@pytest.fixture(scope="module")
def cards() -> list[Card]:
    shipped = load_cards(SHIPPED_CARDS).cards
    return [*shipped, *synthetic_cards(300, seed=5, avoid=shipped)]


@pytest.fixture(scope="module")
def base(cards: list[Card]) -> Catalog:
    return Catalog.build(cards)


def _answers(catalog: Catalog, lines: list[str]) -> list[dict[str, object]]:
    return [render(answer(catalog, parse_command_line(line)), 1) for line in lines]


def _assert_same(updated: Catalog, fresh: Catalog, edited: Card) -> None:
    assert list(updated.cards.items()) == list(fresh.cards.items())
    assert updated.actors == fresh.actors
    assert updated.facets == fresh.facets
    for slug in fresh.cards:
        assert updated.similar(slug) == fresh.similar(slug), slug
        assert updated.seasons(slug) == fresh.seasons(slug), slug
    names = [card.title for card in fresh.cards.values()]
    names += [name[:-1] + "x" for name in names[:60]] + [name[:4] for name in names[:60]]
    for name in names:
        assert updated.titles.resolve(name) == fresh.titles.resolve(name), name
        assert updated.titles.suggest(name) == fresh.titles.suggest(name), name
    actors = [actor.name for actor in list(fresh.actors.values())[:80]]
    for name in actors:
        assert updated.actor_names.resolve(name) == fresh.actor_names.resolve(name), name
    lines = [f"/{command} {edited.title}" for command in ("drama", "cast", "stream", "similar")] + [
        "/top",
        "/browse genre:thriller",
        f"/actor {edited.cast[0].actor}",
    ]
    assert _answers(updated, lines) == _answers(fresh, lines)


@pytest.mark.parametrize("edit", list(EDITS), ids=list(EDITS))
@pytest.mark.parametrize("slug", ["run-on", "reply-1988"])
def test_an_updated_catalog_answers_as_one_built_from_scratch(
    base: Catalog, cards: list[Card], edit: str, slug: str
) -> None:
    edited = EDITS[edit](base.cards[slug])
    fresh = Catalog.build([edited if c.slug == slug else c for c in cards])
    _assert_same(base.updated([edited]), fresh, edited)


@pytest.mark.parametrize(
    ("edit", "shared"),
    [
        ("episodes", {"titles", "actor_names", "actors", "facets", "_computed", "_listed"}),
        ("review score", {"titles", "actor_names", "actors", "_computed", "_listed"}),
        ("title", set()),
        ("role", set()),
    ],
)
def test_an_edit_shares_what_it_leaves_as_it_was(
    base: Catalog, edit: str, shared: set[str]
) -> None:
    updated = base.updated([EDITS[edit](base.cards["run-on"])])
    parts = ("titles", "actor_names", "actors", "facets", "_computed", "_listed")
    assert {p for p in parts if getattr(updated, p) is getattr(base, p)} == shared
    assert updated.cards is not base.cards and base.cards["run-on"].episodes == 16


async def test_a_reload_of_one_edited_card_updates_the_catalog_in_place(
    shipped_copy: Path, tmp_path: Path
) -> None:
    async with started_service(shipped_copy, tmp_path / "bot.sqlite3") as service:
        before = service.catalog
        card = shipped_copy / "run-on.yaml"
        card.write_text(card.read_text("utf-8").replace("episodes: 16", "episodes: 17"), "utf-8")
        report = await service.reload(names=["run-on.yaml"])
        assert report.applied and report.diff.changed == ("run-on",)
        assert service.catalog is not before and service.catalog.titles is before.titles
        assert service.catalog.cards["run-on"].episodes == 17
        assert before.cards["run-on"].episodes == 16  # the old snapshot is untouched
        shown = render(answer(service.catalog, parse_command_line("/drama Run On")), 1)
        assert "17" in str(shown["embeds"])


async def test_an_edit_that_clashes_with_another_card_is_still_refused(
    shipped_copy: Path, tmp_path: Path
) -> None:
    async with started_service(shipped_copy, tmp_path / "bot.sqlite3") as service:
        card = shipped_copy / "run-on.yaml"
        card.write_text(
            card.read_text("utf-8").replace(
                "aliases: [Run-On, Reon On]", "aliases: [Run-On, Reon On, Vincenzo]"
            ),
            "utf-8",
        )
        report = await service.reload(names=["run-on.yaml"])
        assert not report.applied
        assert [e.key for e in report.errors] == ["aliases[2]"]
        assert "is the title of vincenzo.yaml" in report.errors[0].message
        assert service.catalog.cards["run-on"].aliases == ("Run-On", "Reon On")


async def _kept(database: Path) -> dict[str, object]:
    async with Store.open(database) as store:
        return await store.meta_values(derived.META_KEY)


async def _put(database: Path, values: dict[str, str | bytes]) -> None:
    async with Store.open(database) as store:
        await store.set_meta(values, clear_prefix=derived.META_KEY)


def _print(folder: Path) -> str:
    return derived.fingerprint([(c.slug, c.digest()) for c in load_cards(folder).cards])


async def test_a_restart_with_unchanged_cards_uses_the_catalog_it_kept(
    shipped_copy: Path, tmp_path: Path
) -> None:
    database = tmp_path / "bot.sqlite3"
    cold = await start_catalog(shipped_copy, database)
    kept = await _kept(database)
    assert set(kept) == {"built", "built.0"}
    # Keep, under these cards' fingerprint, a catalog built from cards that differ in their
    # genres: a restart that serves its picks did not build again.
    other = Catalog.build(
        dataclasses.replace(c, genres=("crime",)) if c.slug == "run-on" else c
        for c in cold.cards.values()
    )
    assert other.similar("run-on") != cold.similar("run-on")
    head, parts = derived.encode(_print(shipped_copy), other)
    await _put(database, {"built": head, **{f"built.{n}": p for n, p in enumerate(parts)}})
    warm = await start_catalog(shipped_copy, database)
    assert warm.similar("run-on") == other.similar("run-on")
    assert warm.cards == cold.cards and list(warm.cards) == list(cold.cards)


class _Planted:
    """What a planted part would make while it is read: a command run."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (os.system, (f"touch {self.marker}",))


@pytest.mark.parametrize("damage", ["edited card", "garbage", "planted", "other code"])
async def test_a_kept_catalog_that_does_not_fit_is_built_again(
    shipped_copy: Path, tmp_path: Path, damage: str
) -> None:
    database = tmp_path / "bot.sqlite3"
    await start_catalog(shipped_copy, database)
    kept = await _kept(database)
    head = json.loads(str(kept["built"]))
    marker = tmp_path / "ran"
    if damage == "edited card":  # changed while the bot was down
        card = shipped_copy / "run-on.yaml"
        text = card.read_text("utf-8").replace(
            "genres: [romance, drama, sports]", "genres: [crime]"
        )
        card.write_text(text, "utf-8")
    elif damage == "garbage":
        part = bytes(kept["built.0"])  # type: ignore[arg-type]
        await _put(database, {"built": kept["built"], "built.0": part[:-40] + b"\0" * 40})
    elif damage == "planted":  # a pickle that runs a command, with a matching checksum
        blob = pickle.dumps((0,)) + pickle.dumps(_Planted(marker))
        head |= {"parts": 1, "sha256": hashlib.sha256(blob).hexdigest()}
        await _put(database, {"built": json.dumps(head), "built.0": blob})
    else:  # kept by another version of the code
        head["fingerprint"] = "0" * 64
        await _put(database, {"built": json.dumps(head), "built.0": kept["built.0"]})
    warm = await start_catalog(shipped_copy, database)
    fresh = Catalog.build(load_cards(shipped_copy).cards)
    assert {s: warm.similar(s) for s in warm.cards} == {s: fresh.similar(s) for s in fresh.cards}
    assert list(warm.cards) == list(fresh.cards) and warm.actors == fresh.actors
    assert not marker.exists()
    assert json.loads(str((await _kept(database))["built"]))["fingerprint"] == _print(shipped_copy)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("episodes: 16", "episodes: 17"),  # every built part shared: the header is rewritten
        ("overall: null", "overall: 4"),  # the facets (rankings) built again: all kept anew
    ],
    ids=["episodes", "rating"],
)
async def test_after_an_edit_in_place_a_restart_serves_the_edited_cards(
    shipped_copy: Path, tmp_path: Path, old: str, new: str
) -> None:
    database = tmp_path / "bot.sqlite3"
    card = shipped_copy / "run-on.yaml"
    assert old in card.read_text("utf-8")
    async with started_service(shipped_copy, database) as service:
        await service.flush()
        card.write_text(card.read_text("utf-8").replace(old, new), "utf-8")
        report = await service.reload(names=["run-on.yaml"])
        assert report.applied and report.diff.changed == ("run-on",)
        await service.flush()
    kept = await _kept(database)
    # What is kept is for the edited cards: a restart reads it instead of building.
    assert derived.header(str(kept["built"]), _print(shipped_copy)) is not None
    warm = await start_catalog(shipped_copy, database)
    fresh = Catalog.build(load_cards(shipped_copy).cards)
    assert warm.cards == fresh.cards and warm.facets == fresh.facets
    assert {s: warm.similar(s) for s in warm.cards} == {s: fresh.similar(s) for s in fresh.cards}
    lines = ["/drama Run On", "/rating Run On", "/similar Run On", "/actor Im Si Wan"]
    assert _answers(warm, lines) == _answers(fresh, lines)
