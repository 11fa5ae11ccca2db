"""What fans tripped over in round 5 (branch polish6), through the real discord.py client and
the Discord stand-in: a pasted link, three letters shared by several titles, a character's
name given to /actor, and autocomplete for a pasted link."""

from __future__ import annotations

from tests.standins.discord import DiscordStandIn

from .conftest import SHARED_BOT
from .conftest import module_drama_bot as drama_bot  # noqa: F401
from .conftest import module_standin as discord_standin  # noqa: F401
from .harness import AUTOCOMPLETE_BUDGET, DEADLINE, answer

#: One bot for the module (tests/e2e/conftest.py): each test asks a look-up or an autocomplete
#: and reads the answer to its own interaction; nothing here changes a card, a setting or the
#: catalog, and the cooldown is off, so no test sees another's doings.
pytestmark = SHARED_BOT


async def test_a_pasted_link_answers_its_drama(standin: DiscordStandIn) -> None:
    _, response = await answer(
        standin, "drama", {"title": "<https://mydramalist.com/25172-vincenzo>"}
    )
    assert response.type == 4 and response.latency < DEADLINE and not response.ephemeral
    assert [e["title"] for e in response.embeds] == ["Vincenzo (2021)"]


async def test_three_letters_of_several_titles_ask_which(standin: DiscordStandIn) -> None:
    _, response = await answer(standin, "drama", {"title": "hom"})
    assert response.type == 4 and response.embeds == []
    assert (response.content or "").startswith("More than one drama fits “hom”. Did you mean:")
    (menu,) = response.components[0]["components"]
    offered = [o["value"] for o in menu["options"]]
    assert offered[:2] == ["hometown-cha-cha-cha", "sweet-home"]


async def test_a_characters_name_for_actor_offers_the_actor(standin: DiscordStandIn) -> None:
    asked, response = await answer(standin, "actor", {"name": "casano vincenzo"}, user="alice")
    assert response.type == 4 and response.latency < DEADLINE
    assert response.content == (
        "Vincenzo Cassano is Song Joong Ki's role in Vincenzo (2021), not an actor's name. "
        "Did you mean that actor?"
    )
    (menu,) = response.components[0]["components"]
    assert [o["value"] for o in menu["options"]] == ["song-joong-ki"]
    click = await standin.send_component(asked, menu["custom_id"], ["song-joong-ki"], user="alice")
    picked = await click.wait_response()
    assert picked.type == 7 and picked.latency < DEADLINE
    message = asked.original
    assert message is not None and [e["title"] for e in message.embeds] == ["Song Joong Ki"]


async def test_autocomplete_reads_a_pasted_link(standin: DiscordStandIn) -> None:
    interaction = await standin.send_autocomplete(
        "cast", {"title": "https://www.themoviedb.org/tv/93405-squid-game"}, focused="title"
    )
    response = await interaction.wait_response()
    assert response.type == 8 and response.latency < AUTOCOMPLETE_BUDGET
    assert [c["value"] for c in response.choices][:1] == ["squid-game"]
    assert response.choices[0]["name"] == "Squid Game (2021)"
