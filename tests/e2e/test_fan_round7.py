"""What fans tripped over in round 7 (branch polish7), through the real discord.py client and
the Discord stand-in: a terminal's colour codes pasted with a title or a name, a link that
names no drama, a title beside a link, and a name in another romanization, answered and
autocompleted."""

from __future__ import annotations

import pytest

from tests.standins.discord import DiscordStandIn

from .conftest import SHARED_BOT
from .conftest import module_drama_bot as drama_bot  # noqa: F401
from .conftest import module_standin as discord_standin  # noqa: F401
from .harness import AUTOCOMPLETE_BUDGET, DEADLINE, answer

#: One bot for the module (tests/e2e/conftest.py): these tests only ask (some as a Korean
#: user, a per-interaction locale) and read their own answers; no setting, card or cooldown is
#: touched, so sharing the bot hides nothing from any of them.
pytestmark = SHARED_BOT


async def test_colour_codes_are_neither_matched_nor_echoed(standin: DiscordStandIn) -> None:
    _, found = await answer(standin, "cast", {"title": "\x1b[1;31mvincenzo\x1b[0m"})
    assert found.type == 4 and found.latency < DEADLINE
    assert [e["title"] for e in found.embeds] == ["Cast of Vincenzo (2021)"]
    _, missed = await answer(standin, "actor", {"name": "nobody we know\x1b[31m"})
    assert missed.ephemeral
    assert (missed.content or "").startswith("No actor called “nobody we know” in the catalog.")


async def test_a_link_of_only_an_id_asks_for_the_title(standin: DiscordStandIn) -> None:
    _, response = await answer(
        standin, "stream", {"title": "https://www.netflix.com/title/81365087"}, locale="ko"
    )
    assert response.type == 4 and response.ephemeral and response.embeds == []
    assert (response.content or "").startswith("이 링크로는 어떤 드라마인지 알 수 없어요")


async def test_a_title_beside_a_link_answers(standin: DiscordStandIn) -> None:
    _, response = await answer(
        standin, "rating", {"title": "squid game https://www.netflix.com/title/81040344"}
    )
    assert [e["title"] for e in response.embeds] == ["Ratings for Squid Game (2021)"]


@pytest.mark.parametrize(("typed", "slug"), [("moobing", "moving"), ("my ajeossi", "my-mister")])
async def test_another_romanization_is_answered_and_offered(
    standin: DiscordStandIn, typed: str, slug: str
) -> None:
    interaction = await standin.send_autocomplete("drama", {"title": typed}, focused="title")
    offered = await interaction.wait_response()
    assert offered.type == 8 and offered.latency < AUTOCOMPLETE_BUDGET
    assert [c["value"] for c in offered.choices] == [slug]
    _, response = await answer(standin, "drama", {"title": typed})
    title = {"moving": "Moving (2023)", "my-mister": "My Mister (2018)"}[slug]
    assert [e["title"] for e in response.embeds] == [title]
