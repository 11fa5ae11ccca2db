"""Select menus: "did you mean" (asker only, answers in place) and "open a drama" (anyone,
answers privately), clicked as Discord users."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import Config
from bot.frontend.app import DramaBot
from tests.standins.discord import DiscordStandIn, StandInInteraction

from .conftest import Launch
from .harness import DEADLINE, answer, base_config, copy_cards, running_bot, write_card

OPEN_MENU = "dramabot:open:drama"
REFUSAL = "This menu belongs to whoever asked. Run /{command} yourself to pick one."


def pick_id(interaction: StandInInteraction, command: str, region: str = "") -> str:
    asker = interaction.payload["member"]["user"]["id"]
    return f"dramabot:pick:{command}:{asker}:{region}"


@pytest.mark.usefixtures("drama_bot")
async def test_another_user_cannot_pick_and_the_message_stays(standin: DiscordStandIn) -> None:
    asked, _ = await answer(standin, "drama", {"title": "reply"}, user="alice")
    message = asked.original
    assert message is not None
    before = message.raw.copy()

    click = await standin.send_component(
        message, pick_id(asked, "drama"), ["reply-1994"], user="bob"
    )
    refusal = await click.wait_response()
    assert refusal.type == 4 and refusal.ephemeral
    assert refusal.latency < DEADLINE
    assert refusal.content == REFUSAL.format(command="drama")
    assert refusal.embeds == [] and refusal.components == []
    assert message.edit_count == 0
    assert message.raw == before
    assert message.custom_ids() == [pick_id(asked, "drama")]


@pytest.mark.usefixtures("drama_bot")
@pytest.mark.parametrize("locale", ["en-US", "ko"])
async def test_refusing_an_actor_menu_does_not_call_it_a_drama(
    standin: DiscordStandIn, locale: str
) -> None:
    asked, _ = await answer(standin, "actor", {"name": "kim"}, user="alice")
    click = await standin.send_component(
        asked, pick_id(asked, "actor"), ["kim-tae-ri"], user="bob", locale=locale
    )
    refusal = (await click.wait_response()).content or ""
    if locale == "ko":
        assert (
            refusal
            == "이 메뉴는 질문한 사람만 쓸 수 있어요. /배우 명령어를 직접 실행해서 골라 보세요."
        )
    else:
        assert refusal == REFUSAL.format(command="actor")
    assert "drama" not in refusal and "드라마" not in refusal


@pytest.mark.usefixtures("drama_bot")
async def test_asker_pick_replaces_the_question_with_the_answer(standin: DiscordStandIn) -> None:
    asked, _ = await answer(standin, "drama", {"title": "reply"}, user="alice")
    menu = pick_id(asked, "drama")
    click = await standin.send_component(asked, menu, ["reply-1994"], user="alice")
    response = await click.wait_response()
    assert response.type == 7  # UPDATE_MESSAGE: the menu message itself changes
    assert response.latency < DEADLINE
    message = asked.original
    assert message is not None and message.edit_count == 1
    assert message.content == ""
    assert [e["title"] for e in message.embeds] == ["Reply 1994 (2013)"]
    assert "Main cast" in {f["name"] for f in message.embeds[0]["fields"]}
    assert menu not in message.custom_ids()
    assert not message.ephemeral
    with pytest.raises(LookupError, match="no component"):
        await standin.send_component(asked, menu, ["reply-1988"], user="alice")


@pytest.mark.usefixtures("drama_bot")
@pytest.mark.parametrize(
    ("command", "options", "chosen", "title"),
    [
        ("cast", {"title": "reply"}, "reply-1988", "Cast of Reply 1988 (2015)"),
        ("rating", {"title": "reply"}, "reply-1997", "Ratings for Reply 1997 (2012)"),
        ("similar", {"title": "reply"}, "reply-1994", "Dramas like Reply 1994 (2013)"),
        ("actor", {"name": "kim"}, "kim-tae-ri", "Kim Tae Ri"),
    ],
)
async def test_pick_answers_the_command_that_was_asked(
    standin: DiscordStandIn, command: str, options: dict[str, str], chosen: str, title: str
) -> None:
    asked, _ = await answer(standin, command, options)
    click = await standin.send_component(asked, pick_id(asked, command), [chosen])
    assert (await click.wait_response()).type == 7
    assert asked.original is not None
    assert [e["title"] for e in asked.original.embeds] == [title]
    assert pick_id(asked, command) not in asked.original.custom_ids()


async def test_stream_pick_keeps_the_region(
    standin: DiscordStandIn, launch: Launch, tmp_path: Path
) -> None:
    cards = copy_cards(tmp_path)
    shipped = (cards / "reply-1994.yaml").read_text("utf-8")
    card = re.sub(r"^streaming:\n(?:  .*\n)*", "", shipped, flags=re.MULTILINE)  # ours instead
    streaming = (
        "streaming:\n"
        "  - service: Netflix\n    regions: [US]\n"
        "  - service: TVING\n    regions: [KR]\n"
    )
    write_card(cards, "reply-1994", card.replace("similar:", streaming + "similar:"))
    await launch(base_config(standin, tmp_path, data_dir=cards))
    asked, _ = await answer(standin, "stream", {"title": "reply", "region": "KR"})
    menu = pick_id(asked, "stream", "KR")
    click = await standin.send_component(asked, menu, ["reply-1994"])
    assert (await click.wait_response()).type == 7
    assert asked.original is not None
    (embed,) = asked.original.embeds
    assert embed["title"] == "Where to watch Reply 1994 (2013)"
    assert embed["description"].startswith("**In South Korea**\n\n**Stream**\n• **TVING**\n\n")


@pytest.mark.usefixtures("drama_bot")
async def test_anyone_can_open_a_similar_drama_privately(standin: DiscordStandIn) -> None:
    asked, _ = await answer(standin, "similar", {"title": "Run On"}, user="alice")
    message = asked.original
    assert message is not None
    before = message.raw.copy()
    for user in ("bob", "alice"):
        click = await standin.send_component(message, OPEN_MENU, ["start-up"], user=user)
        response = await click.wait_response()
        assert response.type == 4 and response.ephemeral
        assert response.latency < DEADLINE
        assert [e["title"] for e in response.embeds] == ["Start-Up (2020)"]
    assert message.raw == before  # the shared message is untouched


@pytest.mark.usefixtures("drama_bot")
async def test_open_menu_on_a_picked_answer_works(standin: DiscordStandIn) -> None:
    asked, _ = await answer(standin, "drama", {"title": "reply"})
    click = await standin.send_component(asked, pick_id(asked, "drama"), ["reply-1994"])
    await click.wait_response()
    assert asked.original is not None
    assert OPEN_MENU in asked.original.custom_ids()
    menu = asked.original.find_component(OPEN_MENU)
    assert menu is not None
    assert menu["options"][0]["value"] == "reply-1997"  # the review's first pick
    opened = await standin.send_component(asked.original, OPEN_MENU, ["reply-1997"], user="bob")
    response = await opened.wait_response()
    assert response.ephemeral
    assert [e["title"] for e in response.embeds] == ["Reply 1997 (2012)"]


async def test_menus_keep_working_after_a_restart(standin: DiscordStandIn, config: Config) -> None:
    bot: DramaBot
    async with running_bot(standin, config) as bot:
        asked, _ = await answer(standin, "drama", {"title": "reply"})
        similar, _ = await answer(standin, "similar", {"title": "Run On"})
    assert bot.is_closed()
    async with running_bot(standin, config):
        click = await standin.send_component(asked, pick_id(asked, "drama"), ["reply-1988"])
        assert (await click.wait_response()).type == 7
        assert asked.original is not None
        assert asked.original.embeds[0]["title"] == "Reply 1988 (2015)"
        opened = await standin.send_component(similar, OPEN_MENU, ["start-up"], user="bob")
        response = await opened.wait_response()
        assert response.ephemeral and response.embeds[0]["title"] == "Start-Up (2020)"


async def test_picking_a_drama_removed_since_the_question_answers_privately(
    standin: DiscordStandIn, launch: Launch, tmp_path: Path
) -> None:
    cards = copy_cards(tmp_path)
    bot = await launch(base_config(standin, tmp_path, data_dir=cards))
    asked, _ = await answer(standin, "drama", {"title": "reply"}, user="alice")
    (cards / "reply-1994.yaml").unlink()
    assert (await bot.service.reload()).applied
    click = await standin.send_component(
        asked, pick_id(asked, "drama"), ["reply-1994"], user="alice"
    )
    response = await click.wait_response()
    assert response.type == 4 and response.ephemeral
    assert response.content == "That one is no longer in the catalog. Try /drama again."
    assert asked.original is not None and asked.original.edit_count == 0
