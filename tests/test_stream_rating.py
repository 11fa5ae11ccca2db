"""/stream and /rating as users read them: grouped, dated, per country, with a live link, and
opinions kept apart from facts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from bot.answering.answers import UnknownRegion, answer, pick
from bot.answering.attribution import JUSTWATCH_SHORT, TMDB_NOTICE
from bot.answering.commands import parse_command_line
from bot.answering.render import render
from bot.cards.loader import load_cards
from bot.catalog.snapshot import Catalog
from tests.conftest import WriteCard, minimal_card

SAFE_URL = re.compile(r"^https://www\.justwatch\.com/[a-z]{2}/search\?q=[A-Za-z0-9%._~-]*$")

MIXED = """\
streaming:
  - {service: Netflix, checked: 2026-11-25}
  - {service: TVING, regions: [KR], checked: 2026-11-02}
  - {service: Viki, regions: [US, CA], kind: ads, checked: 2026-10}
  - {service: KOCOWA, regions: [US], kind: free, checked: 2026-11}
  - {service: Apple TV, regions: [US], kind: rent, checked: 2026-11-20}
  - {service: Apple TV, regions: [US, GB], kind: buy, checked: 2026-11-20}
"""


def catalog_of(cards_dir: Path) -> Catalog:
    result = load_cards(cards_dir)
    assert result.ok, [str(e) for e in result.errors]
    return Catalog.build(result.cards)


def ask(catalog: Catalog, line: str, **kwargs: Any) -> dict[str, Any]:
    return render(answer(catalog, parse_command_line(line), **kwargs), 1)


def description(payload: dict[str, Any]) -> str:
    text: str = payload["embeds"][0]["description"]
    return text


def live_url(payload: dict[str, Any]) -> str:
    (row,) = payload["components"]
    (button,) = row["components"]
    assert (button["type"], button["style"]) == (2, 5)
    url: str = button["url"]
    assert payload["embeds"][0]["url"] == url  # the title links there too
    return url


@pytest.fixture
def mixed(cards_dir: Path, write_card: WriteCard) -> Catalog:
    write_card("show", minimal_card("Show") + MIXED)
    return catalog_of(cards_dir)


def test_stream_groups_by_kind_and_names_countries(mixed: Catalog) -> None:
    text = description(ask(mixed, "/stream show"))
    assert text.split("\n\n") == [
        "**Stream**\n• **Netflix** — wherever it's available\n• **TVING** — South Korea",
        "**Free**\n• **Viki** (with ads) — United States, Canada\n• **KOCOWA** — United States",
        "**Rent or buy**\n• **Apple TV** (rent or buy) — United States, United Kingdom",
        "Checked between October 2026 and November 2026.",
        "Live availability in the United States: JustWatch, linked below.",
    ]
    assert "regions not listed" not in text


def test_stream_for_a_region_keeps_what_applies_there(mixed: Catalog) -> None:
    text = description(ask(mixed, "/stream show region:UK"))
    assert text.split("\n\n") == [
        "**In the United Kingdom**",
        "**Stream**\n• **Netflix** — wherever it's available",
        "**Rent or buy**\n• **Apple TV** (buy)",
        "As of November 2026.",
        "Live availability in the United Kingdom: JustWatch, linked below.",
    ]
    assert live_url(ask(mixed, "/stream show region:UK")).startswith(
        "https://www.justwatch.com/uk/search?q="  # JustWatch's path for the UK is /uk
    )


@pytest.mark.parametrize(
    ("typed", "code", "name"),
    [
        ("KR", "kr", "South Korea"),
        ("kr", "kr", "South Korea"),
        ("Korea", "kr", "South Korea"),
        ("South Korea", "kr", "South Korea"),
        ("한국", "kr", "South Korea"),
        ("usa", "us", "the United States"),
        ("U.S.A.", "us", "the United States"),
        ("America", "us", "the United States"),
        ("UK", "uk", "the United Kingdom"),
        ("Great Britain", "uk", "the United Kingdom"),
        ("japan", "jp", "Japan"),
        ("philippines", "ph", "the Philippines"),
    ],
)
def test_region_accepts_names_and_common_forms(
    mixed: Catalog, typed: str, code: str, name: str
) -> None:
    payload = ask(mixed, f"/stream show region:{typed}")
    assert description(payload).startswith(f"**In {name}**")
    assert live_url(payload) == f"https://www.justwatch.com/{code}/search?q=Show"


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("XX", ""),
        ("K1", ""),
        ("Kroea", " Did you mean South Korea?"),
        ("Untied States", " Did you mean United States?"),
        ("Germny", " Did you mean Germany?"),
    ],
)
def test_unknown_regions_are_refused_with_a_suggestion(
    mixed: Catalog, typed: str, hint: str
) -> None:
    result = answer(mixed, parse_command_line(f"/stream show region:{typed}"))
    assert isinstance(result, UnknownRegion)
    payload = render(result, 1)
    assert payload["flags"] == 64  # only the asker sees it
    assert payload["content"] == (
        f"“{typed}” is not a country I know.{hint} Type a country's name or two-letter code, "
        "such as US, Korea or UK."
    )


def test_a_region_the_card_does_not_cover_is_said_honestly(
    cards_dir: Path, write_card: WriteCard
) -> None:
    write_card(
        "show",
        minimal_card("Show")
        + "streaming:\n  - {service: TVING, regions: [KR], checked: 2026-11-25}\n",
    )
    payload = ask(catalog_of(cards_dir), "/stream show region:BR")
    text = description(payload)
    assert text.startswith(
        "**In Brazil**\n\nNothing on this card for Brazil. It lists: **TVING** (South Korea). "
        "That does not mean it is not there: check live availability below."
    )
    assert "As of November 2026." in text
    assert live_url(payload) == "https://www.justwatch.com/br/search?q=Show"


def test_a_card_without_streaming_still_links_live_availability(
    cards_dir: Path, write_card: WriteCard
) -> None:
    write_card("show", minimal_card("Show"))
    catalog = catalog_of(cards_dir)
    payload = ask(catalog, "/stream show")
    assert description(payload).startswith("This card does not list where to watch it yet.")
    assert live_url(payload) == "https://www.justwatch.com/us/search?q=Show"
    korea = ask(catalog, "/stream show region:KR")
    assert live_url(korea) == "https://www.justwatch.com/kr/search?q=Show"


def test_a_country_justwatch_does_not_serve_falls_back_and_says_so(mixed: Catalog) -> None:
    payload = ask(mixed, "/stream show region:Antarctica")
    assert "JustWatch does not list Antarctica; the link below shows the United States." in (
        description(payload)
    )
    assert live_url(payload) == "https://www.justwatch.com/us/search?q=Show"
    (row,) = payload["components"]
    assert row["components"][0]["label"] == "Check live availability (United States, JustWatch)"


@pytest.mark.parametrize(
    "title",
    [
        "Love & War) [click](https://evil.example)",
        "50% #1 <@123> `code` \\ back",
        "사랑의 불시착?x=1&q=2",
        "   spaced   out   ",
    ],
)
def test_the_live_link_is_built_safely_from_any_title(
    cards_dir: Path, write_card: WriteCard, title: str
) -> None:
    write_card("show", minimal_card(title))
    payload = render(pick(catalog_of(cards_dir), "stream", "show", {}), 1)
    url = live_url(payload)
    assert SAFE_URL.match(url), url
    assert parse_qs(urlsplit(url).query)["q"] == [" ".join(title.split())]


def test_checked_dates_are_read_as_month_and_year(cards_dir: Path, write_card: WriteCard) -> None:
    write_card(
        "dated",
        minimal_card("Dated") + "streaming:\n  - {service: Netflix, checked: 2026-11-25}\n",
    )
    write_card(
        "mixed-dates",
        minimal_card("Mixed Dates", year=2021)
        + "streaming:\n  - {service: Netflix, checked: 2025-03}\n"
        + "  - {service: Viki, regions: [US], checked: 2026-11-25}\n  - {service: Wavve}\n",
    )
    write_card("undated", minimal_card("Undated", year=2022) + "streaming:\n  - service: TVING\n")
    catalog = catalog_of(cards_dir)
    assert "\n\nAs of November 2026.\n\n" in description(ask(catalog, "/stream dated"))
    assert (
        "Checked between March 2025 and November 2026 (some entries are undated)."
        in description(ask(catalog, "/stream mixed dates"))
    )
    assert "The card does not say when this was checked." in description(
        ask(catalog, "/stream undated")
    )


def test_a_servers_default_region_is_used_when_none_is_typed(mixed: Catalog) -> None:
    payload = ask(mixed, "/stream show", default_region="KR")
    assert description(payload).startswith(
        "**In South Korea** (this server's region; add region: for another)\n\n**Stream**\n"
        "• **Netflix** — wherever it's available\n• **TVING**"
    )
    typed = ask(mixed, "/stream show region:US", default_region="KR")
    assert description(typed).startswith("**In the United States**\n\n")
    nonsense = ask(mixed, "/stream show", default_region="XX")  # a bad setting is ignored
    assert description(nonsense).startswith("**Stream**")


def test_streaming_from_tmdb_credits_justwatch_and_tmdb(
    cards_dir: Path, write_card: WriteCard
) -> None:
    write_card(
        "by-hand",
        minimal_card("By Hand") + "streaming:\n  - {service: Netflix, checked: 2026-11-25}\n",
    )
    write_card(
        "enriched",
        minimal_card("Enriched", year=2021)
        + "streaming:\n  - {service: Netflix, regions: [US], checked: 2026-11-25, source: TMDB}\n",
    )
    catalog = catalog_of(cards_dir)
    plain = ask(catalog, "/stream by hand")["embeds"][0]["footer"]["text"]
    assert plain == "Availability changes by country and over time"
    credited = ask(catalog, "/stream enriched")["embeds"][0]["footer"]["text"]
    assert credited == (
        f"Availability changes by country and over time · {JUSTWATCH_SHORT} · {TMDB_NOTICE}"
    )
    assert TMDB_NOTICE == (
        "This product uses the TMDB API but is not endorsed or certified by TMDB."
    )


COMMUNITY = """\
community_rating: {score: 8.7, scale: 10, source: TMDB, votes: 1234, checked: 2026-11-25}
"""


def test_rating_without_review_scores_says_so_and_shows_the_community_rating_apart(
    cards_dir: Path, write_card: WriteCard
) -> None:
    write_card("show", minimal_card("Show") + COMMUNITY)
    payload = ask(catalog_of(cards_dir), "/rating show")
    (embed,) = payload["embeds"]
    assert embed["title"] == "Ratings for Show (2020)"
    assert embed["description"] == "This card has no review yet, so there are no review scores."
    assert [f["name"] for f in embed["fields"]] == ["Community rating (TMDB)"]
    assert embed["fields"][0]["value"] == (
        "8.7 / 10 from 1,234 votes, as of November 2026\n"
        "Viewers' average on the site, not the review's verdict."
    )
    assert embed["footer"]["text"] == f"No review on this card yet · {TMDB_NOTICE}"


def test_rating_with_review_scores_keeps_the_community_rating_in_its_own_field(
    cards_dir: Path, write_card: WriteCard
) -> None:
    write_card(
        "show",
        minimal_card("Show")
        + "ratings: {scale: 5, overall: 4.5, romance: null}\n"
        + "community_rating: {score: 7.9, source: MyDramaList}\n",
    )
    (embed,) = ask(catalog_of(cards_dir), "/rating show")["embeds"]
    assert embed["description"] == "The review's scores, out of 5."
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Overall"] == "4.5 / 5"
    assert fields["Romance / addictive"] == "not scored by the review"
    assert fields["Community rating (MyDramaList)"].startswith("7.9 / 10\n")
    assert "TMDB" not in embed.get("footer", {}).get("text", "")  # not TMDB data: no notice


def test_drama_shows_review_scores_and_community_rating_separately(
    cards_dir: Path, write_card: WriteCard
) -> None:
    write_card(
        "show",
        minimal_card("Show")
        + COMMUNITY
        + "poster: https://image.tmdb.org/t/p/w500/abc.jpg\n"
        + "streaming:\n  - {service: Netflix, regions: [US], checked: 2026-11-25, source: TMDB}\n",
    )
    (embed,) = ask(catalog_of(cards_dir), "/drama show")["embeds"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Review scores"] == "No review on this card yet."
    assert fields["Community rating (TMDB)"].startswith("8.7 / 10 from 1,234 votes")
    assert fields["Where to stream"].splitlines()[:2] == [
        "**Netflix** — United States",
        "As of November 2026.",
    ]
    assert embed["thumbnail"] == {"url": "https://image.tmdb.org/t/p/w500/abc.jpg"}
    assert embed["footer"]["text"].endswith(f"{JUSTWATCH_SHORT} · {TMDB_NOTICE}")


def test_a_streaming_source_must_be_text(cards_dir: Path, write_card: WriteCard) -> None:
    path = write_card(
        "show", minimal_card("Show") + "streaming:\n  - service: Netflix\n    source: 5\n"
    )
    errors = [str(e) for e in load_cards(cards_dir).errors]
    assert len(errors) == 1
    assert errors[0].startswith(f"{path}:7: streaming[0].source: expected text")


def test_a_typed_region_is_echoed_defused(mixed: Catalog) -> None:
    payload = ask(mixed, "/stream show region:@everyone **bold** <@123>")
    assert payload["flags"] == 64
    assert payload["content"].startswith(
        "“@\u200beveryone \\*\\*bold\\*\\* \\<@\u200b123\\>” is not a country I know."
    )


@pytest.mark.parametrize(
    ("typed", "name"),
    [("China", "China"), ("Russia", "Russia"), ("북한", "North Korea"), ("Syria", "Syria")],
)
def test_a_service_that_does_not_operate_in_the_country_is_not_offered_there(
    mixed: Catalog, typed: str, name: str
) -> None:
    """Netflix without `regions:` means wherever Netflix operates, which is not China."""
    text = description(ask(mixed, f"/stream show region:{typed}"))
    assert "wherever" not in text and "**Stream**" not in text
    assert f"**Netflix** does not operate in {name}." in text
    assert "It lists: **TVING** (South Korea)" in text  # what the card has elsewhere
    korean = render(answer(mixed, parse_command_line(f"/stream show region:{typed}")), 1, "ko")
    assert "**Netflix** 서비스는" in korean["embeds"][0]["description"]


def test_where_a_services_reach_is_not_known_the_answer_says_so(
    cards_dir: Path, write_card: WriteCard
) -> None:
    write_card(
        "show",
        minimal_card("Show")
        + "streaming:\n  - {service: Netflix, checked: 2026-11-25}\n"
        + "  - {service: Viki, kind: ads, checked: 2026-11-25}\n",
    )
    catalog = catalog_of(cards_dir)
    iran = description(ask(catalog, "/stream show region:Iran"))
    assert "• **Netflix** — not known whether it is offered in Iran" in iran
    mongolia = description(ask(catalog, "/stream show region:Mongolia"))
    assert "• **Viki** (with ads) — not known whether it is offered in Mongolia" in mongolia
    japan = description(ask(catalog, "/stream show region:JP"))
    assert "• **Netflix** — wherever it's available" in japan  # Netflix operates in Japan
    everywhere = description(ask(catalog, "/stream show"))
    assert "• **Viki** (with ads) — wherever it's available" in everywhere  # no country asked


def test_a_readers_country_justwatch_does_not_serve_is_not_mentioned(mixed: Catalog) -> None:
    """A reader's language points to their country's live page only when JustWatch has one;
    with no region named, nothing is said about a country nobody asked for."""
    result = answer(mixed, parse_command_line("/stream show"))
    payload = render(result, 1, "uk-UA")  # Ukrainian: UA is not among JustWatch's countries
    assert "does not list" not in description(payload)
    assert live_url(payload).startswith("https://www.justwatch.com/us/")
