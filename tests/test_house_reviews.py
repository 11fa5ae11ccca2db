"""The shipped cards' house reviews (docs/cards.md, *The shipped reviews are house reviews*):
credited to the team, opinions labelled, scores on the documented scale, and every answer
that shows them within Discord's limits."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from bot.answering.answers import answer, pick
from bot.answering.commands import parse_command_line
from bot.answering.render import render
from bot.catalog.snapshot import Catalog
from tests.conftest import SHIPPED_CARDS
from tests.standins.discord.limits import check_message

ASKER = 42
HOUSE = "drama-bot editors (house review)"
HALVES = {n / 2 for n in range(11)}  # 0, 0.5, ... 5


def _raw_cards() -> dict[str, dict[str, Any]]:
    """The shipped card files as YAML reads them, apart from the bot's own loader (libyaml's
    safe loader: this runs in every xdist worker's collection, 0.5 s of CPU in Python's)."""
    return {
        p.stem: yaml.load(p.read_text("utf-8"), Loader=yaml.CSafeLoader)
        for p in SHIPPED_CARDS.glob("*.yaml")
    }


RAW = _raw_cards()
HOUSE_REVIEWED = sorted(s for s, c in RAW.items() if (c.get("review") or {}).get("source") == HOUSE)


def _sentences(text: str) -> int:
    return len(re.findall(r"[.!?](?:\s|$)", text.strip()))


def test_most_shipped_cards_carry_a_house_review() -> None:
    unreviewed = sorted(s for s, c in RAW.items() if "review" not in c)
    assert len(HOUSE_REVIEWED) >= 90
    assert len(HOUSE_REVIEWED) + len(unreviewed) + 1 == len(RAW)  # + Run On's blog review
    assert RAW["run-on"]["review"]["source"] != HOUSE
    # A card left without a review carries no scores either: no opinion without its reasons.
    assert all("ratings" not in RAW[s] for s in unreviewed)


@pytest.mark.parametrize("slug", HOUSE_REVIEWED)
def test_a_house_review_has_the_documented_shape(slug: str) -> None:
    card = RAW[slug]
    review, ratings = card["review"], card["ratings"]
    assert set(review) == {"source", "headline", "summary", "highlights", "verdict"}  # no url
    assert "\n" not in review["headline"] and len(review["headline"]) <= 120
    assert 2 <= _sentences(review["summary"]) <= 3, review["summary"]
    assert 3 <= len(review["highlights"]) <= 4
    assert all(len(line) <= 100 for line in review["highlights"])
    # A folded line must not break a hyphenated name: YAML would join it as "Ji- hong".
    assert not re.search(r"\w- \w", review["summary"] + " " + review["verdict"])
    # The verdict is the team's opinion and says so.
    assert review["verdict"].startswith("Our view: ")
    assert 1 <= _sentences(review["verdict"]) <= 2, review["verdict"]
    assert ratings["scale"] == 5
    assert ratings["overall"] in HALVES and ratings["rewatch"] in HALVES
    assert ratings["romance"] is None or ratings["romance"] in HALVES


def test_house_scores_are_spread_not_all_the_same() -> None:
    overall = [RAW[s]["ratings"]["overall"] for s in HOUSE_REVIEWED]
    assert len(set(overall)) >= 4
    assert max(overall.count(v) for v in set(overall)) < len(overall) / 2
    # Romance is scored only where romance is a strand of the show.
    assert any(RAW[s]["ratings"]["romance"] is None for s in HOUSE_REVIEWED)
    assert all(
        RAW[s]["ratings"]["romance"] is not None
        for s in HOUSE_REVIEWED
        if RAW[s].get("genres", [None])[0] == "romance"
    )


@pytest.mark.parametrize("locale", [None, "ko"])
@pytest.mark.parametrize("command", ["drama", "rating"])
def test_every_reviewed_card_answers_within_discord_limits_and_credits_the_team(
    shipped_catalog: Catalog, command: str, locale: str | None
) -> None:
    for slug in HOUSE_REVIEWED:
        payload = render(pick(shipped_catalog, command, slug, {}), ASKER, locale)
        errors = check_message(payload, creating=True, require_allowed_mentions=False)
        assert not errors, (slug, errors)
        (embed,) = payload["embeds"]
        assert HOUSE in embed["footer"]["text"], slug
        if command == "rating" and locale is None:
            assert embed["description"] == "The review's scores, out of 5.", slug


def test_drama_shows_the_house_review_as_written(shipped_catalog: Catalog) -> None:
    result = answer(shipped_catalog, parse_command_line("/drama Signal"))
    (embed,) = render(result, ASKER)["embeds"]
    review = RAW["signal"]["review"]
    text = embed["description"] + "".join(f["value"] for f in embed.get("fields", []))
    assert review["headline"] in text
    assert " ".join(review["summary"].split()) in " ".join(text.split())
    assert all(line in text for line in review["highlights"])
    assert embed["footer"]["text"].endswith(f"Review: {HOUSE}")
