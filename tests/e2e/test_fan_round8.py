"""What fans tripped over in round 8 (branch polish8), through the real discord.py client and
the Discord stand-in: an actor's name typed with one of their dramas, answered and
autocompleted, the words fans put around a title they want more of, and a season named
before its title."""

from __future__ import annotations

import pytest

from tests.standins.discord import DiscordStandIn

from .conftest import SHARED_BOT
from .conftest import module_drama_bot as drama_bot  # noqa: F401
from .conftest import module_standin as discord_standin  # noqa: F401
from .harness import AUTOCOMPLETE_BUDGET, DEADLINE, answer

#: One bot for the module (tests/e2e/conftest.py): read-only look-ups and autocompletes, each
#: test reading only what its own interactions were answered.
pytestmark = SHARED_BOT


async def test_an_actor_with_one_of_their_dramas_is_answered_and_offered(
    standin: DiscordStandIn,
) -> None:
    interaction = await standin.send_autocomplete("actor", {"name": "IU my mister"}, focused="name")
    offered = await interaction.wait_response()
    assert offered.type == 8 and offered.latency < AUTOCOMPLETE_BUDGET
    assert [c["value"] for c in offered.choices] == ["IU"]  # was: an empty list
    _, response = await answer(standin, "actor", {"name": "IU my mister"})
    assert response.type == 4 and response.latency < DEADLINE and not response.ephemeral
    assert [e["title"] for e in response.embeds] == ["IU"]  # was: "No actor called …"


async def test_an_actor_beside_a_band_is_only_offered(standin: DiscordStandIn) -> None:
    _, response = await answer(standin, "actor", {"name": "rowoon sf9"})
    assert response.embeds == []
    assert (response.content or "").startswith("No actor is called exactly “rowoon sf9”.")


@pytest.mark.parametrize(
    ("typed", "title"),
    [
        ("shows like the glory", "Dramas like The Glory (2022)"),
        ("season 2 of hospital playlist", "Dramas like Hospital Playlist 2 (2021)"),
    ],
)
async def test_the_words_around_a_title_are_set_aside(
    standin: DiscordStandIn, typed: str, title: str
) -> None:
    _, response = await answer(standin, "similar", {"title": typed})
    assert [e["title"] for e in response.embeds] == [title]
