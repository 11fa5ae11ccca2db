"""A character's name typed where a title belongs (F2.6, "/drama Vincenzo Cassano"): when no
title fits, a role that matches well is a did-you-mean pointing at its drama, never a
confident answer; through ``drama-bot ask --json``, the answer layer and small catalogs."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from bot.answering import role_hint
from bot.answering.answers import Choices, NotFound, answer
from bot.answering.commands import parse_command_line
from bot.answering.render import render
from bot.cards.loader import load_cards
from bot.catalog.lazy_cards import LazyCards
from bot.catalog.service import CatalogService
from bot.catalog.snapshot import Catalog
from bot.catalog.store import Store
from tests.conftest import WriteCard
from tests.test_cli import drama_bot


def _catalog(cards_dir: Path) -> Catalog:
    result = load_cards(cards_dir)
    assert result.ok, result.errors
    return Catalog.build(result.cards)


def _drama(slug: str, title: str, *cast: tuple[str, str]) -> str:
    members = "".join(f"  - actor: {actor}\n    role: {role}\n" for actor, role in cast)
    return f"title: {title}\nyear: 2020\ncast:\n{members}"


def test_ask_json_points_a_characters_name_at_its_drama() -> None:
    lines = ["/drama Vincenzo Cassano", "/cast hong cha-young", "/drama yoon se ri"]
    done = drama_bot("ask", "--json", stdin="".join(f"{line}\n" for line in lines))
    assert done.returncode == 0, done.stderr
    rows = [json.loads(row) for row in done.stdout.splitlines()]
    assert [(row["card"], row["candidates"]) for row in rows] == [
        (None, ["vincenzo"]),
        (None, ["vincenzo"]),
        (None, ["crash-landing-on-you"]),
    ]
    assert rows[0]["message"]["content"] == (
        "Vincenzo Cassano is Song Joong Ki's role in Vincenzo (2021), not a drama's title. "
        "Did you mean that drama?"
    )
    assert "Jeon Yeo Been's role in Vincenzo" in rows[1]["message"]["content"]
    (menu,) = rows[0]["message"]["components"][0]["components"]
    assert [o["value"] for o in menu["options"]] == ["vincenzo"]


@pytest.mark.parametrize(
    "line",
    [
        "/drama vincenzo cassano",
        "/drama Cassano Vincenzo",  # family name first
        "/drama vincenzo casano",  # a doubled letter missed
        "/drama vincenzo casanno",  # a letter doubled
        "/drama VINCENZO-CASSANO",
        "/drama vincenso cassano",  # a consonant slip (polish6)
        "/drama casano vincenzo",  # family name first, a doubled letter missed (polish6)
        "/drama cassano vincenso",  # both
    ],
)
def test_the_usual_spellings_of_a_role(shipped_catalog: Catalog, line: str) -> None:
    result = answer(shipped_catalog, parse_command_line(line))
    assert isinstance(result, Choices) and result.card_slug is None, (line, result)
    assert result.candidate_ids == ("vincenzo",)
    assert result.roles == (("Vincenzo Cassano", "Song Joong Ki"),)


def test_a_role_is_asked_only_when_no_title_and_no_actor_fits(
    cards_dir: Path, write_card: WriteCard
) -> None:
    write_card("night-watch", _drama("night-watch", "Night Watch", ("Ahn Bo-ra", "Seo Jun")))
    write_card("seo-jun", _drama("seo-jun", "Seo Jun Story", ("Lee Min", "Park Ha-na")))
    write_card("day-one", _drama("day-one", "Day One", ("Kim Da-bin", "Seo Jun")))
    write_card("han-river", _drama("han-river", "Han River", ("Yoo Mi-rae", "Park Hana")))
    catalog = _catalog(cards_dir)
    # A title wins over a role of the same name; an actor's name stays an /actor hint.
    assert answer(catalog, parse_command_line("/drama Seo Jun Story")).card_slug == "seo-jun"
    hint = answer(catalog, parse_command_line("/drama Ahn Bo-ra"))
    assert isinstance(hint, NotFound) and hint.actor == "Ahn Bo-ra"
    # One role in two dramas: both offered, each with its actor, in one message.
    result = answer(catalog, parse_command_line("/drama park ha na"))
    assert isinstance(result, Choices) and result.card_slug is None
    assert set(result.candidate_ids) == {"seo-jun", "han-river"}
    content = render(result, 1)["content"]
    assert "“park ha na” is a character, not a drama's title:" in content
    assert "Park Ha-na is Lee Min's role in Seo Jun Story (2020)" in content
    assert "Park Hana is Yoo Mi-rae's role in Han River (2020)" in content
    # A name that is not near any role, and a name too short to look up, are not found.
    for line in ("/drama Park Jimin", "/drama Hana"):
        assert isinstance(answer(catalog, parse_command_line(line)), NotFound), line


def test_a_role_with_consonants_romanized_the_other_way(
    cards_dir: Path, write_card: WriteCard
) -> None:
    """Consonants Korean names are romanized with either way (g/k, r/l) and a "z" for an
    "s", in either order of the words, still point at the drama (polish6)."""
    write_card("quiet-bay", _drama("quiet-bay", "Quiet Bay", ("Choi Min", "Kang Da-bin")))
    write_card("lantern", _drama("lantern", "Lantern", ("Jung Ho", "Seol Ra-kyung")))
    catalog = _catalog(cards_dir)
    for line, slug in (
        ("/drama gang da bin", "quiet-bay"),
        ("/drama dabin gang", "quiet-bay"),
        ("/drama seol la kyung", "lantern"),
        ("/drama lakyung seol", "lantern"),
    ):
        found = answer(catalog, parse_command_line(line))
        assert isinstance(found, Choices) and found.card_slug is None, line
        assert found.candidate_ids == (slug,), line
    # a name that is only near in its consonants' shape is no role
    assert isinstance(answer(catalog, parse_command_line("/drama gone dub in")), NotFound)


def test_a_reloaded_catalog_finds_its_own_roles(cards_dir: Path, write_card: WriteCard) -> None:
    write_card("night-watch", _drama("night-watch", "Night Watch", ("Ahn Bo-ra", "Seo Jun-ho")))
    first = _catalog(cards_dir)
    assert answer(first, parse_command_line("/drama seo junho")).candidate_ids == ("night-watch",)
    write_card("night-watch", _drama("night-watch", "Night Watch", ("Ahn Bo-ra", "Moon Ga-eun")))
    second = _catalog(cards_dir)
    assert isinstance(answer(second, parse_command_line("/drama seo junho")), NotFound)
    assert answer(second, parse_command_line("/drama moon ga eun")).candidate_ids == (
        "night-watch",
    )
    assert answer(first, parse_command_line("/drama seo junho")).candidate_ids == ("night-watch",)


def test_a_role_in_korean(shipped_catalog: Catalog) -> None:
    result = answer(shipped_catalog, parse_command_line("/drama Vincenzo Cassano"))
    content = render(result, 1, "ko")["content"]
    assert content.startswith(
        "Vincenzo Cassano은(는) Vincenzo (2021)에서 Song Joong Ki이(가) 맡은 역"
    )


def test_a_big_catalogs_roles_are_indexed_aside_and_then_found(
    cards_dir: Path, write_card: WriteCard, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past ``BUILD_IN_PLACE`` cards no answer waits for the role index: misses say "not
    found" while it is built in a thread of its own, and point at the drama once it is."""
    monkeypatch.setattr(role_hint, "BUILD_IN_PLACE", 1)
    write_card("night-watch", _drama("night-watch", "Night Watch", ("Ahn Bo-ra", "Seo Jun-ho")))
    write_card("day-one", _drama("day-one", "Day One", ("Kim Da-bin", "Moon Ga-eun")))
    catalog = _catalog(cards_dir)
    first = answer(catalog, parse_command_line("/drama seo junho"))
    for thread in threading.enumerate():
        if thread.name == "role-index":
            thread.join(timeout=60)
    assert role_hint.role_index(catalog) is not None
    later = answer(catalog, parse_command_line("/drama seo junho"))
    assert later.candidate_ids == ("night-watch",) and later.card_slug is None
    assert first.card_slug is None and first.candidate_ids in {(), ("night-watch",)}


def test_past_max_cards_no_role_index_is_built_and_a_miss_is_not_found(
    cards_dir: Path, write_card: WriteCard, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A catalog bigger than ``MAX_CARDS`` never pays for a role index: no thread is started,
    and a character's name is a plain "not found"."""
    monkeypatch.setattr(role_hint, "MAX_CARDS", 1)
    write_card("night-watch", _drama("night-watch", "Night Watch", ("Ahn Bo-ra", "Seo Jun-ho")))
    write_card("day-one", _drama("day-one", "Day One", ("Kim Da-bin", "Moon Ga-eun")))
    catalog = _catalog(cards_dir)
    got = answer(catalog, parse_command_line("/drama seo junho"))
    assert not any(thread.name == "role-index" for thread in threading.enumerate())
    assert role_hint.role_index(catalog) is None
    assert (got.card_slug, got.candidate_ids) == (None, ())


def test_many_long_roles_fit_discords_message_and_keep_its_question(
    cards_dir: Path, write_card: WriteCard
) -> None:
    role = "Kang " + "Da-eun " * 12 + "<@123>"  # near the 100-character limit of a role
    for n in range(12):
        title = f"Long Night {'x' * 150} {n}"
        write_card(f"night-{n}", _drama(f"night-{n}", title, (f"Actor {'y' * 80} {n}", role)))
    catalog = _catalog(cards_dir)
    result = answer(catalog, parse_command_line(f"/drama {role}"))
    assert isinstance(result, Choices) and len(result.candidate_ids) == 10
    payload = render(result, 1)
    content = payload["content"]
    assert len(content) <= 2000 and content.endswith("Did you mean one of these?")
    assert "<@123>" not in content and payload["allowed_mentions"]["parse"] == []
    (menu,) = payload["components"][0]["components"]
    assert len(menu["options"]) == 10


def test_actor_points_a_characters_name_at_its_actor(
    cards_dir: Path, write_card: WriteCard
) -> None:
    """ "/actor Vincenzo Cassano" (polish6): the actor who plays the role, as a question; the
    same role in several seasons is one actor, one role in two dramas two actors."""
    rows = [
        json.loads(row)
        for row in drama_bot(
            "ask", "--json", stdin="/actor vincenzo cassano\n/actor seong gi hun\n"
        ).stdout.splitlines()
    ]
    assert [(r["card"], r["candidates"]) for r in rows] == [
        (None, ["song-joong-ki"]),
        (None, ["lee-jung-jae"]),
    ]
    assert rows[0]["message"]["content"] == (
        "Vincenzo Cassano is Song Joong Ki's role in Vincenzo (2021), not an actor's name. "
        "Did you mean that actor?"
    )
    write_card("night-watch", _drama("night-watch", "Night Watch", ("Ahn Bo-ra", "Seo Jun-ho")))
    write_card("day-one", _drama("day-one", "Day One", ("Kim Da-bin", "Seo Jun-ho")))
    catalog = _catalog(cards_dir)
    result = answer(catalog, parse_command_line("/actor seo junho"))
    assert isinstance(result, Choices) and result.subject.value == "actor"
    assert set(result.candidate_ids) == {"ahn-bo-ra", "kim-da-bin"}
    content = render(result, 1)["content"]
    assert "is a character, not an actor's name" in content
    assert "Seo Jun-ho is Ahn Bo-ra's role in Night Watch (2020)" in content
    ko = render(result, 1, "ko")["content"]
    assert "배우 이름이 아니라 등장인물이에요" in ko
    assert isinstance(answer(catalog, parse_command_line("/actor park jimin")), NotFound)


async def test_looking_a_role_up_leaves_a_warm_started_catalogs_cards_unmade(
    cards_dir: Path, write_card: WriteCard, tmp_path: Path
) -> None:
    """A warm start serves cards as their stored bodies until an answer asks for one
    (``bot.catalog.lazy_cards``); the role index reads every card's cast but keeps none of
    them made: made for good, every card of the first catalog outlived nothing but stayed
    among its objects, and on CPython's allocator full reloads then held 50 arenas against
    the start's 42 at 5,000 cards, 46 once not made (docs/performance.md, branch
    ``holder13``)."""
    write_card("night-watch", _drama("night-watch", "Night Watch", ("Ahn Bo-ra", "Seo Jun-ho")))
    for number in range(40):
        write_card(
            f"day-{number}", _drama(f"day-{number}", f"Day {number}", ("Kim Da-bin", "Moon"))
        )
    database = tmp_path / "bot.sqlite3"
    async with Store.open(database) as store:  # the cold load: the catalog is kept
        cold = CatalogService(store, cards_dir)
        assert (await cold.start()).applied
        await cold.flush()
    async with Store.open(database) as store:  # the warm start: read back, cards not made
        service = CatalogService(store, cards_dir)
        assert (await service.start()).applied
        catalog = service.catalog
        assert isinstance(catalog.cards, LazyCards) and catalog.cards.pending() == 41
        hint = answer(catalog, parse_command_line("/drama seo junho"))
        assert hint.candidate_ids == ("night-watch",) and hint.card_slug is None
        assert catalog.cards.pending() >= 40  # (the drama named, and no other, made)
