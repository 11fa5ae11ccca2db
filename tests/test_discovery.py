"""/random, /browse and /top through the answer layer: forgiving filters, pages, rankings."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import yaml

from bot.answering.answers import Choices, NotFound, Notice
from bot.answering.commands import COMMANDS, parse_command_line
from bot.answering.discovery import PAGE_SIZE, ListAnswer
from bot.answering.dispatch import answer, page_of
from bot.answering.render import CUSTOM_ID_LIMIT, disable_buttons, render
from bot.cards.loader import load_cards
from bot.catalog.snapshot import Catalog
from tests.conftest import WriteCard

ASKER = 42


def ask(catalog: Catalog, line: str, **kwargs: Any) -> tuple[Any, dict[str, Any]]:
    locale = kwargs.pop("locale", None)
    result = answer(catalog, parse_command_line(line), **kwargs)
    return result, render(result, ASKER, locale)


def buttons(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for row in payload["components"] for c in row["components"] if c["type"] == 2]


def test_browse_by_genre_lists_newest_first_a_page_at_a_time(shipped_catalog: Catalog) -> None:
    result, payload = ask(shipped_catalog, "/browse genre:Romance")
    assert isinstance(result, ListAnswer)
    romance = [c for c in shipped_catalog.cards.values() if "romance" in c.genres]
    assert len(result.items) == len(romance) > PAGE_SIZE
    years = [item.year for item in result.items]
    assert years == sorted(years, reverse=True)
    (embed,) = payload["embeds"]
    assert embed["title"] == "Romance dramas"
    lines = embed["description"].splitlines()
    assert len(lines) == PAGE_SIZE and lines[0].startswith("1. **")
    pages = -(-len(romance) // PAGE_SIZE)
    assert f"Page 1 of {pages}" in embed["footer"]["text"]
    previous, following = buttons(payload)
    assert previous["disabled"] is True and following["disabled"] is False
    assert following["custom_id"].startswith(f"dramabot:page:browse:{ASKER}:1:")
    assert all(len(b["custom_id"]) <= CUSTOM_ID_LIMIT for b in buttons(payload))


def test_a_page_button_rebuilds_the_next_page_of_the_same_list(shipped_catalog: Catalog) -> None:
    first, payload = ask(shipped_catalog, "/browse genre:romance")
    _, following = buttons(payload)
    _, _, command, _user, page, key = following["custom_id"].split(":", 5)
    second = page_of(shipped_catalog, command, key, int(page))
    assert isinstance(second, ListAnswer) and second.page == 1
    assert second.page_items() == first.items[PAGE_SIZE : 2 * PAGE_SIZE]
    text = render(second, ASKER)["embeds"][0]["description"]
    assert text.splitlines()[0].startswith(f"{PAGE_SIZE + 1}. ")
    last = page_of(shipped_catalog, "browse", key, 999)  # clamped, never empty
    assert isinstance(last, ListAnswer) and last.page == last.pages - 1 and last.page_items()


def test_filters_combine_and_read_forgivingly(shipped_catalog: Catalog) -> None:
    result, payload = ask(shipped_catalog, "/browse network:TVN year:2010s")
    assert isinstance(result, ListAnswer)
    for item in result.items:
        card = shipped_catalog.cards[item.slug]
        assert card.network == "tvN" and 2010 <= card.year <= 2019
    assert payload["embeds"][0]["title"] == "Dramas on tvN from the 2010s"
    result, _ = ask(shipped_catalog, "/browse genre:coming of age")
    assert isinstance(result, ListAnswer) and result.items


def test_browse_by_actor_shows_their_roles(shipped_catalog: Catalog) -> None:
    result, payload = ask(shipped_catalog, "/browse actor:kim soo hyun")
    assert isinstance(result, ListAnswer)
    slugs = {i.slug for i in result.items}
    assert {"my-love-from-the-star", "its-okay-to-not-be-okay"} <= slugs
    assert "— as Do Min-joon" in payload["embeds"][0]["description"]


def test_unknown_filter_values_are_answered_with_what_exists(shipped_catalog: Catalog) -> None:
    _, payload = ask(shipped_catalog, "/browse genre:romcom")
    assert payload["flags"] == 64
    assert "No drama in the catalog has the genre “romcom”" in payload["content"]
    assert "romance" in payload["content"]
    _, payload = ask(shipped_catalog, "/random network:JTBCC")
    assert "Did you mean JTBC?" in payload["content"]
    _, payload = ask(shipped_catalog, "/browse year:someday")
    assert "is not a year" in payload["content"]


def test_random_picks_only_from_the_filtered_dramas(shipped_catalog: Catalog) -> None:
    rng = random.Random(7)
    thrillers = {c.slug for c in shipped_catalog.cards.values() if "thriller" in c.genres}
    seen = set()
    for _ in range(40):
        result, payload = ask(shipped_catalog, "/random genre:thriller", rng=rng)
        assert result.card_slug in thrillers
        seen.add(result.card_slug)
        footer = payload["embeds"][0]["footer"]["text"]
        assert footer.startswith(f"Picked at random from {len(thrillers)} dramas")
    assert len(seen) > 5  # it really is random


def test_random_from_nothing_says_so(shipped_catalog: Catalog) -> None:
    _, payload = ask(shipped_catalog, "/random year:1960")
    assert payload["flags"] == 64 and "none in the catalog yet" in payload["content"]


def _scored_catalog(write_card: WriteCard, cards_dir: Path) -> Catalog:
    for slug, overall, votes, score in (
        ("alpha", 4.5, 900, 8.1),
        ("beta", 3.0, 12, 9.2),
        ("gamma", None, 5000, 8.6),
        ("delta", 5.0, 2, 10.0),
    ):
        write_card(
            slug,
            f"""
            title: {slug.title()}
            year: 2020
            genres: [thriller]
            cast:
              - actor: Someone {slug}
            ratings:
              scale: 5
              overall: {"null" if overall is None else overall}
            community_rating:
              score: {score}
              votes: {votes}
            """,
        )
    result = load_cards(cards_dir)
    assert result.ok, result.errors
    return Catalog.build(result.cards)


def test_top_by_review_score_skips_unscored_cards(write_card: WriteCard, cards_dir: Path) -> None:
    catalog = _scored_catalog(write_card, cards_dir)
    result, payload = ask(catalog, "/top")
    assert [i.slug for i in result.items] == ["delta", "alpha", "beta"]
    assert "5/5 in the review" in payload["embeds"][0]["description"]


def test_top_by_community_weighs_votes(write_card: WriteCard, cards_dir: Path) -> None:
    catalog = _scored_catalog(write_card, cards_dir)
    result, payload = ask(catalog, "/top by:community genre:thriller")
    # delta's 2 votes are too few to count; beta's 12 votes at 9.2 are pulled toward the mean
    # and end below gamma's 5,000 votes at 8.6.
    assert [i.slug for i in result.items] == ["gamma", "beta", "alpha"]
    assert "8.6/10 on TMDB, 5,000 votes" in payload["embeds"][0]["description"]
    _, payload = ask(catalog, "/top by:stars")
    assert "Rank by `review`" in payload["content"]


def test_help_lists_every_command_with_an_example(shipped_catalog: Catalog) -> None:
    _, payload = ask(shipped_catalog, "/help")
    text = payload["embeds"][0]["description"]
    for name in ("drama", "cast", "stream", "rating", "similar", "actor", "random", "browse"):
        assert f"`/{name}" in text
    assert payload["flags"] == 64


def test_about_shows_version_catalog_and_attributions(shipped_catalog: Catalog) -> None:
    _, payload = ask(shipped_catalog, "/about")
    (embed,) = payload["embeds"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Dramas"] == str(len(shipped_catalog))
    assert "not endorsed or certified by TMDB" in fields["Data"]
    # Run On's review is credited to a blog, the rest to the team's house reviews; the cards
    # the team could not review honestly have none, and /about counts only what is there.
    reviewed = [c for c in shipped_catalog.cards.values() if c.review is not None]
    sources = {c.review.source for c in reviewed if c.review is not None}
    assert sources == {
        "a K-drama review blog (photos credited to JTBC)",
        "drama-bot editors (house review)",
    }
    total = len(shipped_catalog)
    assert 1 < len(reviewed) < total
    assert (
        f"{len(reviewed)} of {total} cards have a review, each credited to its source."
        in (fields["Data"])
    )
    assert "their own words" not in fields["Data"]
    (button,) = buttons(payload)
    assert button["style"] == 5 and button["url"].startswith("https://")


def test_expired_page_buttons_are_disabled_but_links_stay(shipped_catalog: Catalog) -> None:
    _, payload = ask(shipped_catalog, "/browse genre:romance")
    expired = disable_buttons(payload)
    assert all(b["disabled"] for b in buttons(expired))
    assert expired["embeds"] == payload["embeds"]


def test_poster_is_the_thumbnail_and_links_are_buttons(
    write_card: WriteCard, cards_dir: Path
) -> None:
    write_card(
        "poster-drama",
        """
        title: Poster Drama
        year: 2021
        cast:
          - actor: Someone
        poster: https://image.example.org/p.jpg
        links:
          official: https://example.org/official
          mydramalist: https://mydramalist.com/1-poster-drama
        review:
          url: https://reviews.example.org/poster-drama
        """,
    )
    catalog = Catalog.build(load_cards(cards_dir).cards)
    _, payload = ask(catalog, "/drama Poster Drama")
    assert payload["embeds"][0]["thumbnail"] == {"url": "https://image.example.org/p.jpg"}
    labels = [(b["label"], b["url"]) for b in buttons(payload)]
    assert labels == [
        ("Official page", "https://example.org/official"),
        ("MyDramaList", "https://mydramalist.com/1-poster-drama"),
        ("Read the review", "https://reviews.example.org/poster-drama"),
    ]


def test_settings_outside_a_server_is_explained(shipped_catalog: Catalog) -> None:
    _, payload = ask(shipped_catalog, "/settings region:KR")
    assert "belong to a Discord server" in payload["content"]


def _busy_catalog(write_card: WriteCard, cards_dir: Path) -> Catalog:
    cast = "\n".join(f"  - actor: Extra Person {n}\n    role: Role {n}" for n in range(30))
    for year in range(2000, 2014):
        write_card(
            f"busy-{year}",
            f"title: Busy {year}\nyear: {year}\ngenres: [thriller]\ncast:\n"
            f"  - actor: Busy Actor\n    role: Lead {year}\n",
        )
    similar = ", ".join(f"Busy {y}" for y in range(2000, 2014))
    write_card(
        "crowded",
        f"title: Crowded\nyear: 2020\ngenres: [thriller]\nsimilar: [{similar}]\ncast:\n{cast}\n",
    )
    return Catalog.build(load_cards(cards_dir).cards)


def test_a_long_filmography_pages_and_the_second_page_is_the_rest(
    write_card: WriteCard, cards_dir: Path
) -> None:
    catalog = _busy_catalog(write_card, cards_dir)
    _, payload = ask(catalog, "/actor Busy Actor")
    embed = payload["embeds"][0]
    assert len(embed["description"].splitlines()) == PAGE_SIZE
    assert embed["footer"]["text"] == "Dramas in this catalog · Page 1 of 2"
    _, following = buttons(payload)
    _, _, command, _user, page, key = following["custom_id"].split(":", 5)
    second = render(page_of(catalog, command, key, int(page)), ASKER)
    lines = second["embeds"][0]["description"].splitlines()
    assert lines == [f"**Busy {y}** ({y}) — Lead {y}" for y in (2003, 2002, 2001, 2000)]


def test_long_casts_and_similar_lists_page_too(write_card: WriteCard, cards_dir: Path) -> None:
    catalog = _busy_catalog(write_card, cards_dir)
    _, cast = ask(catalog, "/cast Crowded")
    assert cast["embeds"][0]["footer"]["text"] == "Main cast in billing order · Page 1 of 2"
    assert len(cast["embeds"][0]["description"].splitlines()) == 15
    _, similar = ask(catalog, "/similar Crowded")
    assert "Page 1 of 2" in similar["embeds"][0]["footer"]["text"]
    assert len(buttons(similar)) == 2
    assert page_of(catalog, "cast", "no-such-drama", 1) is None


def _without_reviews(folder: Path) -> Catalog:
    """The shipped cards as an admin has them after deleting the house reviews (the
    ``ratings`` and ``review`` keys), as docs/cards.md says to ship no opinions at all."""
    for path in folder.glob("*.yaml"):
        card = yaml.safe_load(path.read_text("utf-8"))
        card.pop("ratings", None)
        card.pop("review", None)
        path.write_text(yaml.safe_dump(card, allow_unicode=True, sort_keys=False), "utf-8")
    result = load_cards(folder)
    assert result.ok, result.errors
    return Catalog.build(result.cards)


def test_top_ranks_the_shipped_catalog_by_its_house_review_scores(
    shipped_catalog: Catalog,
) -> None:
    """Out of the box /top is a ranking, not an apology: the house reviews' overall scores,
    best first, and only cards that have one."""
    result, payload = ask(shipped_catalog, "/top")
    scored = {
        c.slug: c.ratings.overall
        for c in shipped_catalog.cards.values()
        if c.ratings is not None and c.ratings.overall is not None
    }
    assert len(result.items) == len(scored) > PAGE_SIZE
    ranked = [scored[i.slug] for i in result.items]
    assert ranked == sorted(ranked, reverse=True) and len(set(ranked)) >= 4
    (embed,) = payload["embeds"]
    first = embed["description"].splitlines()[0]
    assert first.startswith("1. **") and f"{ranked[0]:g}/5 in our house review" in first
    assert payload.get("flags", 0) == 0
    romance, _ = ask(shipped_catalog, "/top genre:romance")
    assert romance.items and all(
        "romance" in shipped_catalog.cards[i.slug].genres for i in romance.items
    )


def test_top_on_a_catalog_with_nothing_scored_says_so_and_how_to_add_scores(
    shipped_copy: Path,
) -> None:
    """Cards with no review scores and no community ratings: /top says that plainly, tells an
    admin how scores get there, and suggests no ranking that is empty too."""
    catalog = _without_reviews(shipped_copy)
    assert not catalog.facets.by_review and not catalog.facets.by_community
    for line in ("/top", "/top by:community", "/top genre:thriller", "/top by:review year:2020"):
        _, payload = ask(catalog, line)
        content = payload["content"]
        assert payload["flags"] == 64, line
        assert "This catalog has no review scores or community ratings yet." in content, line
        assert "`ratings:`" in content and "`drama-bot enrich`" in content, line
        assert "by:" not in content, line
        _, korean = ask(catalog, line, locale="ko")
        assert "drama-bot enrich" in korean["content"] and "기준:" not in korean["content"]


def test_an_empty_top_suggests_the_other_ranking_only_when_it_has_dramas(
    write_card: WriteCard, cards_dir: Path
) -> None:
    catalog = _scored_catalog(write_card, cards_dir)  # thrillers, scored both ways
    write_card(
        "epsilon",
        """
        title: Epsilon
        year: 2021
        genres: [romance]
        cast:
          - actor: Someone Epsilon
        community_rating: {score: 7.0, votes: 400}
        """,
    )
    catalog = Catalog.build(load_cards(cards_dir).cards)
    _, payload = ask(catalog, "/top genre:romance")  # no review score, a community rating
    assert payload["content"].startswith("No card in this selection has a review score yet.")
    assert "/top by:community" in payload["content"]
    result, _ = ask(catalog, "/top by:community genre:romance")
    assert [i.slug for i in result.items] == ["epsilon"]
    _, payload = ask(catalog, "/top year:2019")  # nothing from 2019 at all
    assert payload["content"].startswith("No card in this selection has a review score yet.")
    assert "by:" not in payload["content"] and "enrich" not in payload["content"]


def _help_examples_answer(catalog: Catalog) -> str:
    """Check every /help example on ``catalog`` works as shown, or that its line says why it
    cannot yet; returns /help's line for /top."""
    _, payload = ask(catalog, "/help")
    lines = payload["embeds"][0]["description"].splitlines()
    for spec in COMMANDS.values():
        if spec.admin:
            continue  # /settings and /reload need a server and an admin
        (line,) = [line for line in lines if line.startswith(f"`{spec.example}`")]
        result, answered = ask(catalog, spec.example)
        if answered.get("flags") == 64 and spec.name not in {"help", "about"}:
            assert line.endswith("(nothing is scored in this catalog yet)"), answered["content"]
        else:
            assert not isinstance(result, Notice | NotFound | Choices), spec.example
    return next(line for line in lines if line.startswith("`/top"))


def test_every_help_example_answers_on_the_shipped_catalog(shipped_catalog: Catalog) -> None:
    """The shipped house reviews score the catalog, so /top's example ranks as shown."""
    top_line = _help_examples_answer(shipped_catalog)
    assert not top_line.endswith("(nothing is scored in this catalog yet)")
    result, _ = ask(shipped_catalog, top_line.split("`")[1])
    assert isinstance(result, ListAnswer) and result.items


def test_help_says_why_top_cannot_answer_on_a_catalog_with_nothing_scored(
    shipped_copy: Path,
) -> None:
    top_line = _help_examples_answer(_without_reviews(shipped_copy))
    assert top_line.endswith("(nothing is scored in this catalog yet)")


def test_help_says_admins_once_per_admin_command(shipped_catalog: Catalog) -> None:
    admin = sum(spec.admin for spec in COMMANDS.values())
    for locale, word in ((None, "admins"), ("ko", "관리자")):
        _, payload = ask(shipped_catalog, "/help", locale=locale)
        lines = payload["embeds"][0]["description"].splitlines()
        marked = [line for line in lines if word in line]
        assert len(marked) == admin and all(line.count(word) == 1 for line in marked), marked


def test_years_and_decades_as_korean_readers_write_them(shipped_catalog: Catalog) -> None:
    """``2020년`` is the year 2020 and ``2010년대`` the 2010s, as the Korean option's own
    description (``연도``) invites; the list is the same as for ``2020`` and ``2010s``."""
    for korean, english in (
        ("2020년", "2020"),
        ("2020 년", "2020"),
        ("2010년대", "2010s"),
        ("00년대", "2000s"),
        ("10년대", "2010s"),
    ):
        for command in ("/browse", "/top"):
            _, payload = ask(shipped_catalog, f"{command} year:{korean}", locale="ko")
            _, expected = ask(shipped_catalog, f"{command} year:{english}", locale="ko")
            assert payload == expected, korean
    result, payload = ask(shipped_catalog, "/browse year:2010s", locale="ko")
    assert payload["embeds"][0]["title"] == "2010년대 드라마"
    assert {item.year // 10 for item in result.items} == {201}
    for nonsense in ("2020년대대", "년", "3000년", "2015년대"):
        _, payload = ask(shipped_catalog, f"/browse year:{nonsense}", locale="ko")
        assert payload["flags"] == 64 and "연도로 읽을 수 없어요" in payload["content"], nonsense


def test_decades_with_an_apostrophe(shipped_catalog: Catalog) -> None:
    for typed in ("'10s", "’10s", "2010's", "the 2010s"):
        result, payload = ask(shipped_catalog, f"/browse year:{typed}")
        assert payload["flags"] != 64, (typed, payload["content"])
        assert payload["embeds"][0]["title"] == "Dramas from the 2010s", typed
        assert {item.year // 10 for item in result.items} == {201}, typed
