"""Around the look-ups, as server members and admins meet it: pages, /settings, the command
limit, /help and /about, the presence line, and using the bot in DMs."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from bot.answering.plain_text import payload_to_text
from bot.answering.render import render
from bot.answering.settings_view import outside_a_server
from bot.config import Config
from tests.conftest import SHIPPED_CARDS
from tests.standins.discord import DiscordStandIn, StandInInteraction

from .conftest import Launch
from .harness import DEADLINE, TIMEOUT, answer, field_values

SETTINGS_REFUSAL = (
    "Only server admins (Manage Server, or listed in the bot's config) can change this "
    "server's settings."
)


def buttons(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for row in components for c in row["components"] if c["type"] == 2]


def next_button(components: list[dict[str, Any]]) -> dict[str, Any]:
    return next(b for b in buttons(components) if b["label"].startswith("Next"))


async def browse_romance(standin: DiscordStandIn, **who: Any) -> StandInInteraction:
    interaction, response = await answer(standin, "browse", {"genre": "romance"}, **who)
    assert response.type == 4 and response.latency < DEADLINE
    assert response.embeds[0]["title"] == "Romance dramas"
    return interaction


@pytest.mark.usefixtures("drama_bot")
async def test_only_the_asker_can_turn_pages(standin: DiscordStandIn) -> None:
    asked = await browse_romance(standin, user="alice")
    message = asked.original
    assert message is not None
    following = next_button(message.components)["custom_id"]

    refused = await standin.send_component(message, following, user="bob")
    refusal = await refused.wait_response()
    assert refusal.ephemeral and "Only whoever asked can turn these pages" in refusal.content
    assert message.edit_count == 0

    turned = await standin.send_component(message, following, user="alice")
    response = await turned.wait_response()
    assert response.type == 7 and response.latency < DEADLINE
    assert message.edit_count == 1
    assert "Page 2 of" in message.embeds[0]["footer"]["text"]
    assert message.embeds[0]["description"].startswith("11. ")
    previous = next(b for b in buttons(message.components) if b["label"].startswith("◀"))
    assert previous["disabled"] is False


async def test_page_buttons_switch_themselves_off(
    standin: DiscordStandIn, launch: Launch, config: Config
) -> None:
    await launch(Config(**{**_fields(config), "page_timeout_seconds": 0.5}))
    asked = await browse_romance(standin)
    message = asked.original
    assert message is not None

    def switched_off() -> bool:
        return bool(buttons(message.components)) and all(
            b.get("disabled") for b in buttons(message.components)
        )

    await standin.state.changed.wait_for(switched_off, TIMEOUT, "the page buttons to switch off")
    assert message.embeds[0]["title"] == "Romance dramas"  # only the buttons changed
    with pytest.raises(ValueError, match="disabled"):
        await standin.send_component(message, next_button(message.components)["custom_id"])


def _fields(config: Config) -> dict[str, Any]:
    return {name: getattr(config, name) for name in config.__dataclass_fields__}


@pytest.mark.usefixtures("drama_bot")
async def test_settings_are_for_admins_and_set_the_stream_region(standin: DiscordStandIn) -> None:
    _, refused = await answer(standin, "settings", {"region": "KR"}, user="bob")
    assert refused.ephemeral and refused.content == SETTINGS_REFUSAL

    _, done = await answer(standin, "settings", {"region": "kr"}, user=standin.owner)
    assert done.ephemeral
    text = done.embeds[0]["description"]
    assert "Default region is now South Korea (KR)." in text
    assert "Default region for /stream: South Korea (KR)" in text

    _, streamed = await answer(standin, "stream", {"title": "Run On"}, user="alice")
    assert streamed.embeds[0]["description"].startswith("**In South Korea**")

    _, named = await answer(standin, "settings", {"region": "usa"}, user=standin.owner)
    assert "Default region is now United States (US)." in named.embeds[0]["description"]
    _, wrong = await answer(standin, "settings", {"region": "Narnia"}, user=standin.owner)
    assert wrong.ephemeral and "is not a country I know" in wrong.content

    _, cleared = await answer(standin, "settings", {"region": "none"}, user=standin.owner)
    assert "Default region cleared." in cleared.embeds[0]["description"]
    _, again = await answer(standin, "settings", {"region": "none"}, user=standin.owner)
    assert "There was no default region to clear." in again.embeds[0]["description"]
    assert "Default region cleared." not in again.embeds[0]["description"]


@pytest.mark.usefixtures("drama_bot")
async def test_answers_are_public_only_in_the_chosen_channels(standin: DiscordStandIn) -> None:
    general = standin.guild.channel_named("general")
    reviews = standin.guild.channel_named("reviews")
    _, done = await answer(standin, "settings", {"public_channel": general}, user=standin.owner)
    assert f"Now answering publicly in <#{general.id}>." in done.embeds[0]["description"]

    _, elsewhere = await answer(standin, "drama", {"title": "Run On"}, channel=reviews)
    assert elsewhere.ephemeral and elsewhere.embeds[0]["title"] == "Run On (2020)"
    _, here = await answer(standin, "drama", {"title": "Run On"}, channel=general)
    assert not here.ephemeral

    await answer(standin, "settings", {"everywhere": True}, user=standin.owner)
    _, again = await answer(standin, "drama", {"title": "Run On"}, channel=reviews)
    assert not again.ephemeral


async def test_settings_survive_a_restart(
    standin: DiscordStandIn, launch: Launch, config: Config
) -> None:
    bot = await launch(config)
    await answer(standin, "settings", {"region": "GB"}, user=standin.owner)
    await bot.close()
    await launch(config)  # the same database
    _, shown = await answer(standin, "settings", user=standin.owner)
    assert "Default region for /stream: United Kingdom (GB)" in shown.embeds[0]["description"]


async def test_one_user_cannot_flood_but_admins_are_exempt(
    standin: DiscordStandIn, launch: Launch, config: Config
) -> None:
    await launch(Config(**{**_fields(config), "cooldown_commands": 2, "cooldown_seconds": 60}))
    for _ in range(2):
        _, ok = await answer(standin, "drama", {"title": "Run On"}, user="alice")
        assert ok.embeds and not ok.ephemeral
    _, slowed = await answer(standin, "drama", {"title": "Run On"}, user="alice")
    assert slowed.ephemeral and slowed.latency < DEADLINE
    assert "at most 2 commands every 60 seconds" in slowed.content
    retry_at = int(slowed.content.split("<t:")[1].split(":")[0])
    assert time.time() + 50 < retry_at <= time.time() + 61
    assert slowed.content.endswith(f"Try again <t:{retry_at}:R>.")  # Discord counts down
    # A text rendering (drama-bot ask, scripts/try_standin.py) counts the seconds left.
    wait = re.search(r"Try again in (\d+) seconds\.$", payload_to_text(slowed.data or {}))
    assert wait is not None and 50 < int(wait[1]) <= 61, payload_to_text(slowed.data or {})
    _, other = await answer(standin, "drama", {"title": "Run On"}, user="bob")
    assert other.embeds  # the limit is per person
    for _ in range(4):
        _, admin = await answer(standin, "help", user=standin.owner)
        assert admin.embeds


@pytest.mark.usefixtures("drama_bot")
async def test_help_and_about(standin: DiscordStandIn) -> None:
    _, helped = await answer(standin, "help")
    assert helped.ephemeral and "`/drama" in helped.embeds[0]["description"]
    _, about = await answer(standin, "about")
    fields = field_values(about.embeds[0])
    assert fields["Dramas"] == str(len(list(SHIPPED_CARDS.glob("*.yaml"))))
    assert fields["Version"]
    assert "catalog" not in fields.get("Last reload", "x") or fields["Last reload"]
    assert "<t:" in fields["Up since"] and "TMDB" in fields["Data"]
    total = fields["Dramas"]
    # Run On's blog review and the team's house reviews, counted from the files themselves.
    reviewed = sum("\nreview:" in p.read_text("utf-8") for p in SHIPPED_CARDS.glob("*.yaml"))
    assert 1 < reviewed < int(total)
    assert (
        f"{reviewed} of {total} cards have a review, each credited to its source."
        in (fields["Data"])
    )
    assert "(nothing is scored in this catalog yet)" not in helped.embeds[0]["description"]
    (link,) = buttons(about.components)
    assert link["style"] == 5


@pytest.mark.usefixtures("drama_bot")
async def test_presence_names_the_catalog(standin: DiscordStandIn) -> None:
    def presence() -> Any:
        return next((f.d for f in standin.frames if f.direction == "recv" and f.op == 3), None)

    await standin.state.changed.wait_for(presence, TIMEOUT + 3, "a presence update")
    (activity,) = presence()["activities"]
    shown = f"{len(list(SHIPPED_CARDS.glob('*.yaml')))} dramas"
    assert shown in activity["state"] or shown in activity["name"]


async def test_lookups_work_in_direct_messages(
    standin: DiscordStandIn, launch: Launch, config: Config
) -> None:
    # Outside servers only global commands exist.
    await launch(Config(**{**_fields(config), "dev_guild_ids": (), "sync_global": True}))
    _, response = await answer(standin, "drama", {"title": "Run On"}, guild_id=None)
    assert response.embeds[0]["title"] == "Run On (2020)"
    _, settings = await answer(standin, "settings", {"region": "KR"}, guild_id=None)
    assert settings.ephemeral and "belong to a Discord server" in settings.content
    # Looking is open to members, so the DM answer does not send them off to be an admin:
    # it is the sentence `drama-bot ask "/settings"` gives.
    _, looked = await answer(standin, "settings", guild_id=None)
    assert looked.ephemeral
    assert looked.content == render(outside_a_server(), 1)["content"]
    assert "admin" not in looked.content


@pytest.mark.usefixtures("drama_bot")
async def test_commands_and_options_carry_korean_names_and_descriptions(
    standin: DiscordStandIn,
) -> None:
    payload = standin.commands.guild_payloads[standin.guild.id]
    by_name = {c["name"]: c for c in payload}
    assert by_name["drama"]["name_localizations"]["ko"] == "드라마"
    assert by_name["stream"]["description_localizations"]["ko"] == "드라마를 볼 수 있는 곳"
    for command in payload:
        assert command["name_localizations"]["ko"], command["name"]
        assert command["description_localizations"]["ko"], command["name"]
        korean_names = [o["name_localizations"]["ko"] for o in command.get("options", [])]
        assert len(set(korean_names)) == len(korean_names), command["name"]
        for option in command.get("options", []):
            assert 1 <= len(option["description_localizations"]["ko"]) <= 100
    region = next(o for o in by_name["settings"]["options"] if o["name"] == "region")
    assert "none" in region["description_localizations"]["ko"]


@pytest.mark.usefixtures("drama_bot")
async def test_settings_never_report_a_change_that_did_not_happen(standin: DiscordStandIn) -> None:
    general = standin.guild.channel_named("general")
    reviews = standin.guild.channel_named("reviews")
    owner = standin.owner
    # already public everywhere: nothing changes, and the answer says so (no "again")
    _, same = await answer(standin, "settings", {"everywhere": True}, user=owner)
    description = same.embeds[0]["description"]
    assert "Answers were already public in every channel." in description
    assert "again" not in description
    # "everywhere" and one channel at once contradict each other: refused, nothing changed
    await answer(standin, "settings", {"public_channel": general}, user=owner)
    _, both = await answer(
        standin, "settings", {"everywhere": True, "public_channel": reviews}, user=owner
    )
    assert both.ephemeral and both.embeds == []
    assert both.content == (
        "Pick either everywhere or a public_channel, not both: nothing was changed."
    )
    _, korean = await answer(
        standin,
        "settings",
        {"everywhere": True, "public_channel": reviews},
        user=owner,
        locale="ko",
    )
    assert korean.content == (
        "모든채널 옵션과 공개채널 옵션 중 하나만 골라 주세요. 아무것도 바꾸지 않았어요."
    )
    _, shown = await answer(standin, "settings", user=owner)
    assert f"publicly in <#{general.id}>" in shown.embeds[0]["description"]
    _, elsewhere = await answer(standin, "drama", {"title": "Run On"}, channel=reviews)
    assert elsewhere.ephemeral  # still public only in #general


@pytest.mark.usefixtures("drama_bot")
async def test_any_member_may_view_the_settings_but_only_admins_change_them(
    standin: DiscordStandIn,
) -> None:
    """QA round 3: a member who only looked was told they could not *change* the settings.
    Looking is allowed (privately); changing anything stays with admins."""
    await answer(standin, "settings", {"region": "KR"}, user=standin.owner)
    _, shown = await answer(standin, "settings", user="bob")
    assert shown.ephemeral
    assert shown.embeds[0]["title"] == "Server settings"
    assert "Default region for /stream: South Korea (KR)" in shown.embeds[0]["description"]
    for change in ({"region": "US"}, {"everywhere": True}, {"everywhere": False}):
        _, refused = await answer(standin, "settings", change, user="bob")
        assert refused.ephemeral and refused.content == SETTINGS_REFUSAL, change
    _, still = await answer(standin, "settings", user="alice")
    assert "South Korea (KR)" in still.embeds[0]["description"]


@pytest.mark.usefixtures("drama_bot")
async def test_everywhere_false_says_it_changes_nothing(standin: DiscordStandIn) -> None:
    general = standin.guild.channel_named("general")
    owner = standin.owner
    await answer(standin, "settings", {"public_channel": general}, user=owner)
    _, said = await answer(standin, "settings", {"everywhere": False}, user=owner)
    description = said.embeds[0]["description"]
    assert description.startswith(
        "everywhere:False changes nothing. To answer publicly only in some channels, pick "
        "them one at a time with public_channel."
    )
    assert f"publicly in <#{general.id}>" in description  # and indeed nothing changed
    _, korean = await answer(standin, "settings", {"everywhere": False}, user=owner, locale="ko")
    assert korean.embeds[0]["description"].startswith("모든채널:False는 아무것도 바꾸지 않아요.")
    # with a channel, "not everywhere" is what the channel does anyway: no note
    reviews = standin.guild.channel_named("reviews")
    _, both = await answer(
        standin, "settings", {"everywhere": False, "public_channel": reviews}, user=owner
    )
    description = both.embeds[0]["description"]
    assert description.startswith(f"Now answering publicly in <#{reviews.id}>.")
    assert "changes nothing" not in description
    # and the option says so where it is picked, in both languages
    synced = standin.commands.guild_payloads[standin.guild.id]
    (settings,) = [c for c in synced if c["name"] == "settings"]
    (option,) = [o for o in settings["options"] if o["name"] == "everywhere"]
    assert option["description"].endswith("(False changes nothing)")
    assert option["description_localizations"]["ko"].endswith("(false는 아무것도 바꾸지 않아요)")


@pytest.mark.usefixtures("drama_bot")
@pytest.mark.parametrize("locale", ["en-US", "ko"])
@pytest.mark.parametrize("typed", ["Narnia", "Kanada"])
async def test_an_unknown_region_gets_the_same_message_from_stream_and_settings(
    standin: DiscordStandIn, locale: str, typed: str
) -> None:
    """QA round 3: /stream said "such as US, Korea or UK", /settings "such as Korea, US or GB"."""
    _, streamed = await answer(
        standin, "stream", {"title": "Run On", "region": typed}, locale=locale
    )
    _, set_ = await answer(
        standin, "settings", {"region": typed}, user=standin.owner, locale=locale
    )
    assert streamed.ephemeral and set_.ephemeral
    assert streamed.content and f"“{typed}”" in streamed.content
    assert set_.content == streamed.content
