"""Whose scores and picks a list shows: house reviews (written by the catalog's editors,
``review.source`` ending in "(house review)") are called that in /top, /similar and /about,
and published reviews keep "the review"; through the answer layer and ``drama-bot ask --json``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.answering.commands import parse_command_line
from bot.answering.dispatch import answer
from bot.answering.render import render
from bot.cards.loader import load_cards
from bot.catalog.snapshot import Catalog
from tests.conftest import WriteCard
from tests.test_cli import drama_bot

HOUSE = "drama-bot editors (house review)"


def _payload(catalog: Catalog, line: str, locale: str | None = None) -> dict[str, Any]:
    return render(answer(catalog, parse_command_line(line)), 42, locale)


def _catalog(write_card: WriteCard, cards_dir: Path, sources: dict[str, str]) -> Catalog:
    """Cards ``alpha``, ``beta``... each scored and reviewed by the source given, listing the
    next card as similar."""
    for old in cards_dir.glob("*.yaml"):
        old.unlink()
    slugs = list(sources)
    for n, (slug, source) in enumerate(sources.items()):
        write_card(
            slug,
            f"""
            title: {slug.title()}
            year: 2020
            genres: [thriller]
            cast:
              - actor: Someone {slug}
            similar: [{slugs[(n + 1) % len(slugs)].title()}]
            ratings:
              scale: 5
              overall: {5 - n * 0.5}
            review:
              source: {source}
              summary: A thriller.
            """,
        )
    result = load_cards(cards_dir)
    assert result.ok, result.errors
    return Catalog.build(result.cards)


def _embed(payload: dict[str, Any]) -> dict[str, Any]:
    (embed,) = payload["embeds"]
    assert len(embed.get("footer", {}).get("text", "")) <= 2048 and len(json.dumps(embed)) < 6000
    return embed


def test_top_of_house_reviews_says_so_in_its_lines_and_footer(shipped_catalog: Catalog) -> None:
    embed = _embed(_payload(shipped_catalog, "/top"))
    lines = embed["description"].splitlines()
    assert len(lines) == 10 and all(line.endswith("/5 in our house review") for line in lines)
    assert embed["footer"]["text"].startswith(
        "Ranked by drama-bot editors' house reviews, not critics' or viewers' scores"
    )


def test_top_of_mixed_reviews_counts_the_house_ones(write_card: WriteCard, cards_dir: Path) -> None:
    catalog = _catalog(
        write_card, cards_dir, {"alpha": HOUSE, "beta": "Seoul Weekly", "gamma": HOUSE}
    )
    embed = _embed(_payload(catalog, "/top"))
    assert embed["description"].splitlines() == [
        "1. **Alpha** (2020) — 5/5 in our house review",
        "2. **Beta** (2020) — 4.5/5 in the review",
        "3. **Gamma** (2020) — 4/5 in our house review",
    ]
    assert embed["footer"]["text"].startswith(
        "Ranked by review scores; 2 of the 3 are drama-bot editors' house reviews"
    )
    # A selection with no house review says only that the review scored it.
    catalog = _catalog(write_card, cards_dir, {"alpha": "Seoul Weekly", "beta": "Drama Diary"})
    embed = _embed(_payload(catalog, "/top"))
    assert embed["footer"]["text"].startswith("Ranked by the review's overall score")
    assert "house" not in embed["description"]


def test_similar_names_a_house_reviews_picks_as_such(
    write_card: WriteCard, cards_dir: Path, shipped_catalog: Catalog
) -> None:
    embed = _embed(_payload(shipped_catalog, "/similar vincenzo"))
    first = embed["description"].splitlines()[0]
    assert first == "• **Taxi Driver** — picked in our house review"
    assert "the review's pick" not in embed["description"]
    assert embed["footer"]["text"] == (
        "Picks of drama-bot's house review first, then dramas we found alike"
    )
    catalog = _catalog(write_card, cards_dir, {"alpha": "Seoul Weekly", "beta": HOUSE})
    embed = _embed(_payload(catalog, "/similar alpha"))
    assert embed["description"].splitlines()[0] == "• **Beta** — the review's pick"
    assert embed["footer"]["text"] == "The review's picks first, then dramas we found alike"
    embed = _embed(_payload(catalog, "/similar beta"))
    assert embed["description"].splitlines()[0] == "• **Alpha** — picked in our house review"


def test_about_says_how_many_reviews_are_house_reviews(
    write_card: WriteCard, cards_dir: Path
) -> None:
    done = drama_bot("ask", "--json", "/about")
    assert done.returncode == 0, done.stderr
    fields = json.loads(done.stdout)["message"]["embeds"][0]["fields"]
    (data,) = [f for f in fields if f["name"] == "Data"]
    house = sum(1 for p in Path("data/cards").glob("*.yaml") if HOUSE in p.read_text("utf-8"))
    assert house >= 90
    assert (
        f"{house} of them are house reviews, written by drama-bot's editors, "
        "not published critics." in data["value"].splitlines()
    )
    catalog = _catalog(write_card, cards_dir, {"alpha": "Seoul Weekly", "beta": "Drama Diary"})
    (data,) = [f for f in _embed(_payload(catalog, "/about"))["fields"] if f["name"] == "Data"]
    assert "house" not in data["value"]


def test_house_labels_in_korean(shipped_catalog: Catalog) -> None:
    embed = _embed(_payload(shipped_catalog, "/top", locale="ko"))
    assert "자체 리뷰" in embed["description"] and "자체 리뷰" in embed["footer"]["text"]
