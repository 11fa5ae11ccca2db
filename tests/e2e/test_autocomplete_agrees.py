"""Autocomplete agrees with the command (QA round 3): what submitting the typed text answers is
what the list offers first, through the real discord.py client and the Discord stand-in."""

from __future__ import annotations

import pytest

from bot.answering.answers import answer
from bot.answering.commands import parse_command_line
from bot.catalog.snapshot import Catalog
from tests.standins.discord import DiscordStandIn

from .conftest import SHARED_BOT
from .conftest import module_drama_bot as drama_bot  # noqa: F401
from .conftest import module_standin as discord_standin  # noqa: F401
from .test_autocomplete import suggest, values

#: One bot for the module (tests/e2e/conftest.py): every test types into an autocomplete or
#: sends a look-up and compares the two answers it got; none changes the catalog or a setting.
pytestmark = SHARED_BOT


@pytest.mark.parametrize(
    ("command", "typed", "first"),
    [
        ("rating", "QoT", "queen-of-tears"),
        ("drama", "qot", "queen-of-tears"),
        ("drama", "crash landng", "crash-landing-on-you"),
        ("drama", "crsh landing", "crash-landing-on-you"),
        ("drama", "reply 88", "reply-1988"),
    ],
)
async def test_what_the_command_answers_is_offered_first(
    standin: DiscordStandIn, command: str, typed: str, first: str
) -> None:
    response = await suggest(standin, command, "title", {"title": typed})
    assert values(response)[:1] == [first], response.choices


async def test_an_actors_name_typed_backwards_lists_that_actor_first(
    standin: DiscordStandIn,
) -> None:
    response = await suggest(standin, "actor", "name", {"name": "soo hyun kim"})
    assert values(response)[:1] == ["Kim Soo Hyun"], response.choices


async def test_text_that_names_nothing_offers_nothing_unrelated(
    standin: DiscordStandIn, shipped_catalog: Catalog
) -> None:
    # "haengbokhan" (a romanized word; "sarangui" now starts Crash Landing on You's romanized
    # title) names no drama of ours: the command says so, and the list must not offer five
    # dramas that merely share some letters.
    said = answer(shipped_catalog, parse_command_line("/drama haengbokhan"))
    assert said.card_slug is None and not said.candidate_ids
    response = await suggest(standin, "drama", "title", {"title": "haengbokhan"})
    assert values(response) == [], response.choices


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("queen of tears kim soo hyun", "queen-of-tears"),
        ("anna suzy", "anna"),
        ("my sister", "my-mister"),  # the command's did-you-mean, the same drama first
    ],
)
async def test_a_title_and_its_actor_is_offered_first(
    standin: DiscordStandIn, shipped_catalog: Catalog, typed: str, first: str
) -> None:
    said = answer(shipped_catalog, parse_command_line(f"/drama {typed}"))
    assert [said.card_slug or said.candidate_ids[0]] == [first]
    response = await suggest(standin, "drama", "title", {"title": typed})
    assert values(response)[:1] == [first], response.choices


async def test_a_legal_name_is_not_offered_for_another_name(standin: DiscordStandIn) -> None:
    # QA round 3 #11: "don lee" (Ma Dong-seok's English name) offered Cha Eun Woo, whose
    # legal name Lee Dong-min starts like "lee don"
    response = await suggest(standin, "actor", "name", {"name": "don lee"})
    assert "Cha Eun Woo" not in values(response), response.choices
