"""Every option that Discord autocompletes is answered by our tree itself through the
replier, once (``bot/frontend/autocomplete.py``): none left to discord.py, none sent twice."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bot.frontend.autocomplete import COMPLETERS
from tests.standins.discord import DiscordStandIn


def _autocompleted(standin: DiscordStandIn) -> Iterator[tuple[str, str]]:
    for command in standin.commands.scope(standin.guild.id):
        for option in command.get("options", []):
            if option.get("autocomplete"):
                yield command["name"], option["name"]


@pytest.mark.usefixtures("drama_bot")
async def test_every_autocompleted_option_is_answered_once_by_the_replier(
    standin: DiscordStandIn,
) -> None:
    found = sorted(_autocompleted(standin))
    assert ("drama", "title") in found and ("settings", "region") in found
    assert sorted(COMPLETERS) == found
    for command, option in found:
        options: dict[str, Any] = {option: "ru"}
        interaction = await standin.send_autocomplete(command, options, focused=option)
        response = await interaction.wait_response()
        assert response.type == 8, (command, option)
        callbacks = [q for q in interaction.requests if q.path.endswith("/callback")]
        assert len(callbacks) == 1, (command, option, callbacks)
        assert callbacks[0].headers.get("User-Agent", "").startswith("DiscordBot (drama-bot)")
