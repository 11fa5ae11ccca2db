"""Nobody is ever pinged: every message disables mentions, and @everyone, @here and <@…>
typed by users or written in cards is shown neutralised."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.answering.commands import COMMANDS, OptionKind
from bot.answering.plain_text import payload_to_text
from tests.standins.discord import DiscordStandIn

from .conftest import Launch
from .harness import (
    answer,
    base_config,
    copy_cards,
    message_body,
    message_requests,
    visible_text,
    write_card,
)

PINGABLE = re.compile(r"@(everyone|here)|<@[!&]?\d+>|<#\d+>")
ZWSP = "\u200b"

MENTION_CARD = """
    title: "Reply @everyone"
    year: 2020
    cast:
      - actor: "@here Kim"
        role: "<@&123> fan"
    review:
      headline: Tell @everyone about it
      summary: "<@123> and @here and <@&789>"
      verdict: "@everyone should watch"
"""


def assert_no_pings(standin: DiscordStandIn, since: int = 0) -> int:
    """Every message the bot created or edited (from the stand-in's ``since``-th request on)
    carries allowed_mentions that ping nobody; how many there were."""
    requests = message_requests(standin, since)
    for request in requests:
        mentions = message_body(request).get("allowed_mentions")
        assert mentions is not None, str(request)
        assert mentions["parse"] == [], str(request)
        assert not mentions.get("users") and not mentions.get("roles"), str(request)
        assert not mentions.get("replied_user"), str(request)
    return len(requests)


async def test_every_message_sent_disables_mentions(
    standin: DiscordStandIn, launch: Launch, tmp_path: Path
) -> None:
    cards = copy_cards(tmp_path)
    await launch(base_config(standin, tmp_path, data_dir=cards))
    await answer(standin, "drama", {"title": "Run On"})  # answer with a menu
    await answer(standin, "drama", {"title": "breaking bad"})  # private not-found
    await answer(standin, "stream", {"title": "Run On", "region": "K1"})  # private notice
    await answer(standin, "reload", user="alice")  # refusal from the error funnel
    asked, _ = await answer(standin, "actor", {"name": "kim"})
    assert asked.original is not None
    (menu,) = asked.original.custom_ids()
    refused = await standin.send_component(asked, menu, ["kim-tae-ri"], user="bob")
    await refused.wait_response()
    picked = await standin.send_component(asked, menu, ["kim-tae-ri"])  # UPDATE_MESSAGE
    await picked.wait_response()
    open_menu = asked.original.find_component("dramabot:open:drama")
    assert open_menu is not None
    first = open_menu["options"][0]["value"]
    opened = await standin.send_component(asked, "dramabot:open:drama", [first], user="bob")
    await opened.wait_response()
    write_card(cards, "reply-everyone", MENTION_CARD)
    reload = await standin.send_slash("reload", user=standin.owner)
    report = await reload.wait_message()  # fills in the deferred message
    assert f"Added: Reply @{ZWSP}everyone" in report.embeds[0]["description"]
    assert assert_no_pings(standin) == 9
    kinds = {q.operation_id for q in message_requests(standin)}
    assert kinds == {"create_interaction_response", "update_original_webhook_message"}


@pytest.mark.usefixtures("drama_bot")
async def test_mentions_typed_in_a_query_are_neutralised(standin: DiscordStandIn) -> None:
    typed = "@everyone <@123> @here"
    _, response = await answer(standin, "drama", {"title": typed})
    assert response.ephemeral
    content = response.content or ""
    assert f"“@{ZWSP}everyone \\<@{ZWSP}123\\> @{ZWSP}here”" in content
    assert not PINGABLE.search(content)
    _, actor = await answer(standin, "actor", {"name": "@here"})
    assert f"“@{ZWSP}here”" in (actor.content or "")
    assert not PINGABLE.search(actor.content or "")
    assert assert_no_pings(standin) == 2


async def test_mentions_written_in_a_card_are_neutralised(
    standin: DiscordStandIn, launch: Launch, tmp_path: Path
) -> None:
    cards = copy_cards(tmp_path)
    write_card(cards, "reply-everyone", MENTION_CARD)
    await launch(base_config(standin, tmp_path, data_dir=cards))

    _, drama = await answer(standin, "drama", {"title": "reply-everyone"})
    (embed,) = drama.embeds
    # Embed titles never ping, and are neutralised like everything else.
    assert embed["title"] == f"Reply @{ZWSP}everyone (2020)"
    body = visible_text(drama.data or {}).replace(embed["title"], "")
    assert not PINGABLE.search(body), body
    assert f"**Tell @{ZWSP}everyone about it**" in embed["description"]
    assert f"\\<@{ZWSP}123\\> and @{ZWSP}here" in embed["description"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Main cast"] == f"**@{ZWSP}here Kim** as \\<@{ZWSP}&123\\> fan"
    assert fields["Verdict"] == f"@{ZWSP}everyone should watch"

    _, choices = await answer(standin, "drama", {"title": "reply"})  # card title in content
    assert f"4. Reply @{ZWSP}everyone (2020)" in (choices.content or "")
    assert not PINGABLE.search(choices.content or "")

    _, actor = await answer(standin, "actor", {"name": "@here Kim"})
    assert f"**Reply @{ZWSP}everyone** (2020)" in actor.embeds[0]["description"]
    assert not PINGABLE.search(actor.embeds[0]["description"])
    assert assert_no_pings(standin) == 3


HOSTILE = "@everyone <@1> <#4> **zqx** `zqx` ||zqx|| [zqx](https://e.x)"  # < 60 chars
# Raw (unescaped) forms of HOSTILE's parts; escaped ones are preceded by a backslash.
RAW = re.compile(
    r"@(everyone|here)|(?<!\\)<[@#]|(?<!\\)\*\*zqx|(?<!\\)`zqx|(?<!\\)\|\|zqx|(?<!\\)\]\("
)


@pytest.mark.usefixtures("drama_bot")
@pytest.mark.parametrize("locale", ["en-US", "ko"])
async def test_hostile_text_in_any_text_option_is_shown_defused(
    standin: DiscordStandIn, locale: str
) -> None:
    """Every text option of every command, typed with mentions and markdown, by an admin (so
    /settings reads it too): whatever the answer echoes is neutralised."""
    fillers = {OptionKind.TITLE: "Run On", OptionKind.ACTOR: "Im Si Wan"}
    asked = 0
    for spec in COMMANDS.values():
        for option in spec.options:
            if option.kind in (OptionKind.FLAG, OptionKind.CHANNEL):
                continue  # Discord sends a boolean or a channel id, never text
            options = {o.name: fillers[o.kind] for o in spec.options if o.required}
            options[option.name] = HOSTILE
            _, response = await answer(
                standin, spec.name, options, user=standin.owner, locale=locale
            )
            shown = visible_text(response.data or {})
            assert not RAW.search(shown), (spec.name, option.name, shown)
            asked += 1
    assert asked == 20  # (20 since /browse about:, branch plots17)
    assert assert_no_pings(standin) == asked


@pytest.mark.usefixtures("drama_bot")
@pytest.mark.parametrize("typed", ["<@123> zqx", "zqx <#456>", '"<@&789> zqx"'])
async def test_a_mention_at_either_end_of_any_text_option_is_echoed_whole(
    standin: DiscordStandIn, typed: str
) -> None:
    """QA round 3: ``<@123> xyz`` came back as ``@123> xyz``. Wherever an answer quotes what
    was typed, it quotes all of it (read back as a person sees it) and escaped."""
    whole = typed.strip('"')
    fillers = {OptionKind.TITLE: "Run On", OptionKind.ACTOR: "Im Si Wan"}
    echoed = []
    for spec in COMMANDS.values():
        for option in spec.options:
            if option.kind in (OptionKind.FLAG, OptionKind.CHANNEL):
                continue
            options = {o.name: fillers[o.kind] for o in spec.options if o.required}
            options[option.name] = typed
            _, response = await answer(standin, spec.name, options, user=standin.owner)
            shown = payload_to_text(response.data or {})
            assert not PINGABLE.search(visible_text(response.data or {})), shown
            if "zqx" in shown:
                assert whole in shown, (spec.name, option.name, shown)
                echoed.append(f"{spec.name} {option.name}")
    # every look-up's not-found, /stream's and /settings' region, the discovery filters
    assert len(echoed) >= 12, echoed
