"""Autocomplete as a user typing sees it: relevant choices first, within Discord's limits, fast."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.frontend.app import DramaBot
from tests.standins.discord import DiscordStandIn, InteractionResponse

from .conftest import Launch
from .harness import AUTOCOMPLETE_BUDGET, SHIPPED_SLUGS, SLUG, base_config, copy_cards, write_card

COMMON_REGIONS = ["US", "KR", "GB", "CA", "AU", "JP", "IN", "PH", "SG", "MY", "ID", "BR", "MX"]


async def suggest(
    standin: DiscordStandIn, command: str, focused: str, options: dict[str, Any]
) -> InteractionResponse:
    interaction = await standin.send_autocomplete(command, options, focused=focused)
    response = await interaction.wait_response()
    assert response.type == 8
    assert response.latency < AUTOCOMPLETE_BUDGET
    choices = response.choices
    assert len(choices) <= 25
    for choice in choices:
        assert 1 <= len(choice["name"]) <= 100, choice
        assert 1 <= len(str(choice["value"])) <= 100, choice
    return response


def values(response: InteractionResponse) -> list[str]:
    return [c["value"] for c in response.choices]


@pytest.mark.usefixtures("drama_bot")
@pytest.mark.parametrize("command", ["drama", "cast", "stream", "rating", "similar"])
@pytest.mark.parametrize("typed", ["run", "Run O", "rnu on", "런 온"])
async def test_title_suggestions_put_the_drama_first(
    standin: DiscordStandIn, command: str, typed: str
) -> None:
    response = await suggest(standin, command, "title", {"title": typed})
    assert "run-on" in values(response)[:3], response.choices
    run_on = next(c for c in response.choices if c["value"] == "run-on")
    assert run_on["name"] == "Run On (2020)"
    assert all(SLUG.match(v) and v in SHIPPED_SLUGS for v in values(response))


@pytest.mark.usefixtures("drama_bot")
async def test_title_suggestions_for_an_empty_box_and_a_shared_word(
    standin: DiscordStandIn,
) -> None:
    empty = await suggest(standin, "drama", "title", {"title": ""})
    assert len(empty.choices) == 25
    assert all(v in SHIPPED_SLUGS for v in values(empty))
    reply = await suggest(standin, "drama", "title", {"title": "reply"})
    assert sorted(values(reply)[:3]) == ["reply-1988", "reply-1994", "reply-1997"]


@pytest.mark.usefixtures("drama_bot")
async def test_choosing_a_suggested_slug_answers_with_that_drama(
    standin: DiscordStandIn,
) -> None:
    response = await suggest(standin, "drama", "title", {"title": "because this"})
    slug = values(response)[0]
    assert slug == "because-this-is-my-first-life"
    interaction = await standin.send_slash("drama", {"title": slug})
    answered = await interaction.wait_response()
    assert answered.embeds[0]["title"] == "Because This Is My First Life (2017)"


@pytest.mark.usefixtures("drama_bot")
@pytest.mark.parametrize("typed", ["im si", "Yim Si", "im si wna"])
async def test_actor_suggestions(standin: DiscordStandIn, typed: str) -> None:
    response = await suggest(standin, "actor", "name", {"name": typed})
    assert response.choices[0] == {"name": "Im Si Wan", "value": "Im Si Wan"}


@pytest.mark.usefixtures("drama_bot")
async def test_actor_suggestions_for_an_empty_box(standin: DiscordStandIn) -> None:
    response = await suggest(standin, "actor", "name", {"name": ""})
    assert len(response.choices) == 25
    interaction = await standin.send_slash("actor", {"name": response.choices[0]["value"]})
    answered = await interaction.wait_response()
    assert answered.embeds[0]["title"] == response.choices[0]["name"]


@pytest.mark.usefixtures("drama_bot")
async def test_region_suggestions_filter_by_what_is_typed(standin: DiscordStandIn) -> None:
    everything = await suggest(standin, "stream", "region", {"title": "Run On", "region": ""})
    assert values(everything)[: len(COMMON_REGIONS)] == COMMON_REGIONS
    assert all(c["name"].endswith(f" ({c['value']})") for c in everything.choices)
    assert everything.choices[1]["name"] == "South Korea (KR)"
    k = await suggest(standin, "stream", "region", {"title": "Run On", "region": "k"})
    assert values(k)[0] == "KR"
    for typed in ("kor", "Korea", "한국", "south k"):
        korea = await suggest(standin, "stream", "region", {"title": "Run On", "region": typed})
        assert values(korea)[0] == "KR", typed
    uk = await suggest(standin, "stream", "region", {"title": "Run On", "region": "uk"})
    assert values(uk)[0] == "GB"
    nothing = await suggest(standin, "stream", "region", {"title": "Run On", "region": "zz"})
    assert nothing.choices == []


async def test_region_suggestions_start_with_the_dramas_own_regions(
    standin: DiscordStandIn, launch: Launch, tmp_path: Path
) -> None:
    cards = copy_cards(tmp_path)
    text = (cards / "run-on.yaml").read_text("utf-8")
    write_card(
        cards,
        "run-on",
        text.replace(
            "streaming:\n  - service: Netflix\n",
            "streaming:\n  - service: Netflix\n    regions: [TH, US]\n"
            "  - service: Viki\n    regions: [SE]\n",
        ),
    )
    await launch(base_config(standin, tmp_path, data_dir=cards))
    for title in ("run-on", "rnu on"):  # the slug a suggestion gave, or what was typed
        response = await suggest(standin, "stream", "region", {"title": title, "region": ""})
        assert values(response)[:3] == ["SE", "TH", "US"]
        assert values(response).count("US") == 1
    response = await suggest(standin, "stream", "region", {"title": "run-on", "region": "s"})
    assert values(response)[0] == "SE"  # the drama's own region first, then other "s…"
    assert {"SG", "KR"} <= set(values(response)[:5])  # Singapore, South Korea


async def test_long_titles_are_shortened_in_suggestions(
    standin: DiscordStandIn, launch: Launch, tmp_path: Path
) -> None:
    cards = copy_cards(tmp_path)
    title = "The Extremely Long Chronicle of " + " ".join(["Endless Rainy Afternoons"] * 6)
    assert 150 < len(title) <= 200
    write_card(
        cards, "long-chronicle", f'title: "{title}"\nyear: 2022\ncast:\n  - actor: Ann Lee\n'
    )
    await launch(base_config(standin, tmp_path, data_dir=cards))
    response = await suggest(standin, "drama", "title", {"title": "the extremely long"})
    choice = response.choices[0]
    assert choice["value"] == "long-chronicle"
    # shortened at a word of the title, keeping the year (polish10: it was cut off)
    assert choice["name"].endswith("… (2022)") and len(choice["name"]) <= 100
    assert title.startswith(choice["name"].removesuffix("… (2022)"))


async def test_every_suggested_title_answers_with_its_own_drama(
    standin: DiscordStandIn, drama_bot: DramaBot
) -> None:
    cards = drama_bot.service.catalog.cards
    for slug, card in sorted(cards.items()):
        interaction = await standin.send_slash("drama", {"title": slug})
        response = await interaction.wait_response()
        titles = [e["title"] for e in response.embeds]
        assert titles == [f"{card.title} ({card.year})"], (slug, response.content)


async def test_every_suggested_actor_answers_with_that_actor(
    standin: DiscordStandIn, drama_bot: DramaBot
) -> None:
    labels = drama_bot.service.catalog.actor_names.labels
    wrong = {}
    for name in sorted(set(labels.values())):
        suggested = await suggest(standin, "actor", "name", {"name": name})
        value = next((c["value"] for c in suggested.choices if c["name"] == name), None)
        if value is None:
            wrong[name] = "not suggested"
            continue
        interaction = await standin.send_slash("actor", {"name": value})
        response = await interaction.wait_response()
        titles = [e["title"] for e in response.embeds]
        if titles != [name]:
            wrong[name] = titles or response.content
    assert wrong == {}
