"""Every command's answer, as the payload Discord would receive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.answering.answers import Choices, NotFound, Notice, answer, pick
from bot.answering.commands import Invocation, UsageError, parse_command_line
from bot.answering.render import render
from bot.cards.loader import load_cards
from bot.catalog.snapshot import Catalog
from tests.conftest import RUN_ON_YAML, WriteCard, minimal_card

ASKER = 1234


def ask(catalog: Catalog, line: str) -> tuple[Any, dict[str, Any]]:
    result = answer(catalog, parse_command_line(line))
    return result, render(result, ASKER)


def embed_text(payload: dict[str, Any]) -> str:
    parts = [payload["content"]]
    for embed in payload["embeds"]:
        parts += [
            embed.get("title", ""),
            embed.get("description", ""),
            embed.get("footer", {}).get("text", ""),
        ]
        parts += [f"{f['name']}: {f['value']}" for f in embed.get("fields", [])]
    return "\n".join(parts)


def test_drama_overview_has_every_part(shipped_catalog: Catalog) -> None:
    result, payload = ask(shipped_catalog, "/drama Run On")
    assert result.card_slug == "run-on"
    (embed,) = payload["embeds"]
    assert embed["title"] == "Run On (2020)"
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Native title"] == "런 온"
    assert fields["Network"] == "JTBC" and fields["Episodes"] == "16" and fields["Year"] == "2020"
    assert fields["Genres"] == "romance, drama, sports"
    assert "**Kang Tae Oh** as Lee Young-hwa" in fields["Main cast"]
    assert fields["Where to stream"].startswith("**Netflix** — wherever it's available\n")
    assert (
        "[Check live availability](https://www.justwatch.com/us/search?q=Run%20On)"
        in (fields["Where to stream"])
    )
    assert fields["Review scores"] == "The review gives no scores."
    assert "**Start-Up** — the review's pick" in fields["Similar dramas"]
    assert "Because This Is My First Life" in fields["Similar dramas"]
    assert "noona romance" in fields["Highlights"]
    assert fields["Verdict"].startswith("Easy to watch")
    assert embed["description"].startswith("**An unhurried romance")
    assert payload["flags"] == 0
    assert payload["allowed_mentions"] == {"parse": [], "replied_user": False}


def test_cast_lists_roles_in_billing_order(shipped_catalog: Catalog) -> None:
    _, payload = ask(shipped_catalog, "/cast run on")
    lines = payload["embeds"][0]["description"].splitlines()
    assert lines[0] == "1. **Im Si Wan** as Ki Seon-gyeom (also Yim Si-wan)"
    assert lines[3] == "4. **Kang Tae Oh** as Lee Young-hwa"


def test_an_alias_that_is_the_name_written_otherwise_is_not_shown(
    shipped_catalog: Catalog,
) -> None:
    # Run On and Boyhood list "Im Si-wan" among Im Si Wan's aliases: matching needs no such
    # alias, and "Im Si Wan (also Im Si-wan)" says nothing; "Yim Si-wan" is another spelling.
    _, cast = ask(shipped_catalog, "/cast boyhood")
    first = cast["embeds"][0]["description"].splitlines()[0]
    assert first == "1. **Im Si Wan** as Jang Byung-tae (also Yim Si-wan)"
    _, actor = ask(shipped_catalog, "/actor Im Si Wan")
    description = actor["embeds"][0]["description"]
    assert description.startswith("Also credited as Yim Si-wan\n\n")


def test_stream_shows_services_and_filters_by_region(
    cards_dir: Path, write_card: WriteCard
) -> None:
    write_card(
        "show",
        minimal_card("Show")
        + "streaming:\n  - {service: Netflix, regions: [US, KR], url: 'https://www.netflix.com'}\n"
        + "  - {service: Viki, regions: [US]}\n",
    )
    catalog = Catalog.build(load_cards(cards_dir).cards)
    _, everywhere = ask(catalog, "/stream show")
    text = everywhere["embeds"][0]["description"]
    assert "• **Netflix** — United States, South Korea · https://www.netflix.com" in text
    assert "• **Viki** — United States" in text
    _, korea = ask(catalog, "/stream show region:kr")
    assert "Viki" not in korea["embeds"][0]["description"]
    assert korea["embeds"][0]["description"].startswith("**In South Korea**\n\n**Stream**")
    _, japan = ask(catalog, "/stream show region:JP")
    assert (
        "Nothing on this card for Japan. It lists: **Netflix** (United States, South Korea), "
        "**Viki** (United States)." in japan["embeds"][0]["description"]
    )
    _, bad = ask(catalog, "/stream show region:Kroea")
    assert bad["flags"] == 64 and "Did you mean South Korea?" in bad["content"]


def test_rating_reads_null_as_not_scored_never_zero(cards_dir: Path, write_card: WriteCard) -> None:
    write_card("show", minimal_card("Show") + "ratings: {scale: 10, overall: 9, romance: null}\n")
    catalog = Catalog.build(load_cards(cards_dir).cards)
    _, payload = ask(catalog, "/rating show")
    fields = {f["name"]: f["value"] for f in payload["embeds"][0]["fields"]}
    assert payload["embeds"][0]["description"] == "The review's scores, out of 10."
    assert fields == {
        "Overall": "9 / 10",
        "Romance / addictive": "not scored by the review",
        "Rewatch value": "not scored by the review",
    }
    assert "0 /" not in embed_text(payload)


def test_similar_links_review_picks_then_computed_with_reasons(shipped_catalog: Catalog) -> None:
    result, payload = ask(shipped_catalog, "/similar Run On")
    picks = result.similar
    assert [(p.slug, p.from_review) for p in picks[:2]] == [
        ("start-up", True),
        ("because-this-is-my-first-life", True),
    ]
    computed = {p.slug: p.reason for p in picks[2:]}
    assert computed["extraordinary-attorney-woo"] == "also stars Kang Tae Oh"
    menu = payload["components"][0]["components"][0]
    assert [o["value"] for o in menu["options"]][:2] == [
        "start-up",
        "because-this-is-my-first-life",
    ]
    assert "(no card yet)" not in payload["embeds"][0]["description"]


def test_similar_pick_without_a_card_is_shown_unlinked(
    cards_dir: Path, write_card: WriteCard
) -> None:
    write_card("show", minimal_card("Show") + "similar: [Some Other Drama]\n")
    catalog = Catalog.build(load_cards(cards_dir).cards)
    _, payload = ask(catalog, "/similar show")
    assert (
        "**Some Other Drama** (no card yet) — listed on the card"
        in payload["embeds"][0]["description"]
    )
    assert payload["components"] == []


def test_similar_picks_are_credited_to_the_review_only_when_there_is_one(
    shipped_catalog: Catalog,
) -> None:
    run_on = answer(shipped_catalog, parse_command_line("/similar run on"))
    # Black Knight has a `similar` list but no review (the team wrote no house review of it).
    black_knight = answer(shipped_catalog, parse_command_line("/similar black knight"))
    assert shipped_catalog.cards["black-knight-the-man-who-guards-me"].review is None
    assert {p.reason for p in run_on.similar if p.from_review} == {"the review's pick"}
    assert {p.reason for p in black_knight.similar if p.from_review} == {"listed on the card"}


def test_actor_lists_dramas_with_roles(shipped_catalog: Catalog) -> None:
    result, payload = ask(shipped_catalog, "/actor Kang Taeoh")
    assert result.actor.name == "Kang Tae Oh"
    text = payload["embeds"][0]["description"]
    assert "**Run On** (2020) — Lee Young-hwa" in text
    assert "Extraordinary Attorney Woo" in text


def test_ambiguous_title_offers_a_menu_owned_by_the_asker(shipped_catalog: Catalog) -> None:
    result, payload = ask(shipped_catalog, "/cast reply")
    assert isinstance(result, Choices)
    assert result.candidate_ids == ("reply-1988", "reply-1994", "reply-1997")
    menu = payload["components"][0]["components"][0]
    assert menu["custom_id"] == f"dramabot:pick:cast:{ASKER}:"
    assert [o["label"] for o in menu["options"]] == [
        "Reply 1988 (2015)",
        "Reply 1994 (2013)",
        "Reply 1997 (2012)",
    ]
    assert payload["flags"] == 0
    picked = pick(shipped_catalog, "cast", "reply-1994", {})
    assert picked.card_slug == "reply-1994"


def test_unknown_title_is_a_private_not_found(shipped_catalog: Catalog) -> None:
    result, payload = ask(shipped_catalog, "/drama breaking bad")
    assert isinstance(result, NotFound)
    assert payload["flags"] == 64
    assert payload["content"].startswith("No drama called “breaking bad” in the catalog.")


def test_user_text_is_escaped_capped_and_cannot_mention(shipped_catalog: Catalog) -> None:
    _, payload = ask(shipped_catalog, "/drama @everyone **bold** " + "x" * 500)
    content = payload["content"]
    assert "@everyone" not in content and "@\u200beveryone" in content
    assert "\\*\\*bold\\*\\*" in content
    assert len(content) < 300
    assert payload["allowed_mentions"]["parse"] == []


def test_long_card_text_is_cut_cleanly_within_discord_limits(
    cards_dir: Path, write_card: WriteCard
) -> None:
    long_line = "word " * 380  # ~1900 characters per highlight, 15 highlights, long summary
    cast = "".join(
        f"  - {{actor: Actor Number {n}, role: Role {'y' * 80} {n}}}\n" for n in range(60)
    )
    text = (
        'title: "'
        + "T" * 200
        + '"\nyear: 2020\ncast:\n'
        + cast
        + "review:\n  summary: "
        + ("summary " * 240)
        + "\n  verdict: "
        + ("v " * 499)
        + "\n  highlights:\n"
        + "".join(f"    - {long_line[:290]}\n" for _ in range(15))
        + "similar: ["
        + ", ".join(f"Similar {n}" for n in range(30))
        + "]\n"
    )
    write_card("long", text)
    result = load_cards(cards_dir)
    assert result.ok, [str(e) for e in result.errors]
    catalog = Catalog.build(result.cards)
    for command in ("drama", "cast", "similar", "rating", "stream"):
        _, payload = ask(catalog, f"/{command} {'T' * 50}")
        for embed in payload["embeds"]:
            assert len(embed["title"]) <= 256
            assert len(embed.get("description", "")) <= 4096
            assert len(embed.get("fields", [])) <= 25
            for item in embed.get("fields", []):
                assert len(item["name"]) <= 256 and 0 < len(item["value"]) <= 1024
            total = len(embed["title"]) + len(embed.get("description", ""))
            total += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
            total += len(embed.get("footer", {}).get("text", ""))
            assert total <= 6000
    _, payload = ask(catalog, "/drama " + "T" * 50)
    cast_field = next(
        f["value"] for f in payload["embeds"][0]["fields"] if f["name"] == "Main cast"
    )
    assert cast_field.splitlines()[-1].startswith("…and ") and cast_field.endswith("more")


def test_cut_never_breaks_inside_a_word_or_an_escape() -> None:
    from bot.answering.render import cut

    assert cut("short", 10) == "short"
    assert cut("one two three four", 12) == "one two…"
    assert not cut("a\\*b\\*c " * 50, 41).endswith("\\…")


@pytest.mark.parametrize(
    ("line", "name", "options"),
    [
        ("/drama Run On", "drama", {"title": "Run On"}),
        ("/DRAMA run on", "drama", {"title": "run on"}),
        ("/drama title:Run On", "drama", {"title": "Run On"}),
        ("/stream Run On region:US", "stream", {"title": "Run On", "region": "US"}),
        ("/stream title: Run On region: kr", "stream", {"title": "Run On", "region": "kr"}),
        ("/actor name:Kang Tae Oh", "actor", {"name": "Kang Tae Oh"}),
        ("/reload", "reload", {}),
        ("drama Run On", "drama", {"title": "Run On"}),
        # Words after a named option fill the title when no title was named.
        (
            "/stream region:US crash landing on you",
            "stream",
            {"title": "crash landing on you", "region": "US"},
        ),
        (
            "/stream region:South Korea crash landing on you",
            "stream",
            {"title": "crash landing on you", "region": "South Korea"},
        ),
        ("/stream region:kr 런 온", "stream", {"title": "런 온", "region": "kr"}),
        ("/stream region:Narnia run on", "stream", {"title": "run on", "region": "Narnia"}),
        (
            "/stream run on region:United States",
            "stream",
            {"title": "run on", "region": "United States"},
        ),
        ("/stream title:run on region:US", "stream", {"title": "run on", "region": "US"}),
    ],
)
def test_command_lines_parse_like_discord_options(
    line: str, name: str, options: dict[str, str]
) -> None:
    invocation = parse_command_line(line)
    assert (invocation.name, invocation.options) == (name, options)


@pytest.mark.parametrize(
    "line",
    [
        "Run On",
        "/nope x",
        "/drama",
        "/actor   ",
        "/stream region:US",
    ],
)
def test_bad_command_lines_are_usage_errors(line: str) -> None:
    with pytest.raises(UsageError):
        parse_command_line(line)


@pytest.mark.parametrize("line", ['/drama "', "/cast title: ?!", "/drama 😀"])
def test_a_title_with_nothing_to_look_up_is_answered_as_such(line: str) -> None:
    """Something was typed, so it is no usage error ("needs a title"): the answer says there
    is nothing to look up in it (see test_a_query_with_nothing_to_look_up_...)."""
    result = answer(Catalog.build([]), parse_command_line(line))
    assert isinstance(result, Notice) and getattr(result.text, "key", None) == "usage.no_title"


def test_run_on_card_text_matches_the_contract_example(
    write_card: WriteCard, cards_dir: Path
) -> None:
    write_card("run-on", RUN_ON_YAML)
    catalog = Catalog.build(load_cards(cards_dir).cards)
    result, payload = ask(catalog, "/similar run on")
    assert [p.slug for p in result.similar] == [None, None]
    assert "• **Start-Up** (no card yet) — the review's pick" in payload["embeds"][0]["description"]


def test_a_single_suggestion_is_asked_about_by_name(shipped_catalog: Catalog) -> None:
    result, payload = ask(shipped_catalog, "/drama funnel")
    assert result.candidate_ids == ("tunnel",)
    assert payload["content"] == (
        "No drama is called exactly “funnel”. Did you mean Tunnel (2017)?"
    )
    assert payload["components"][0]["components"][0]["options"][0]["value"] == "tunnel"


@pytest.mark.parametrize(
    ("command", "options", "expected"),
    [
        ("drama", {"title": '"'}, 'Nothing to look up in “"”: type a title, such as Run On.'),
        (
            "stream",
            {"title": " ?! ", "region": "KR"},
            "Nothing to look up in “?!”: type a title, such as Run On.",
        ),
        ("actor", {"name": "“”"}, "Nothing to look up in ““””: type a name, such as Kim Soo Hyun."),
    ],
)
def test_a_query_with_nothing_to_look_up_is_a_usage_error_not_an_empty_echo(
    write_card: WriteCard, cards_dir: Path, command: str, options: dict[str, str], expected: str
) -> None:
    """Discord delivers whatever was typed; `"` alone is not a title, and “” is no answer."""
    write_card("run-on", RUN_ON_YAML)
    catalog = Catalog.build(load_cards(cards_dir).cards)
    payload = render(answer(catalog, Invocation(command, options)), 1)
    assert payload["content"] == expected and payload["flags"] == 64
    korean = render(answer(catalog, Invocation(command, options)), 1, "ko")["content"]
    assert "Nothing" not in korean and "찾을 글자가 없어요" in korean


def test_similar_says_picks_come_first_only_when_the_card_has_picks(
    write_card: WriteCard, cards_dir: Path
) -> None:
    write_card("ward-one", minimal_card("Ward One", 2021, "Doctor One", genres="[medical]"))
    write_card("ward-two", minimal_card("Ward Two", 2020, "Doctor One", genres="[medical]"))
    write_card("listed", minimal_card("Listed", 2019, "Someone", similar="[Ward One]"))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    _, found = ask(catalog, "/similar ward one")
    footer = found["embeds"][0]["footer"]["text"]
    assert "**Ward Two**" in found["embeds"][0]["description"]  # found alike, no picks
    assert footer == "Dramas we found alike"
    _, listed = ask(catalog, "/similar listed")
    assert listed["embeds"][0]["footer"]["text"].startswith("Picks listed on the card first")
    korean = render(answer(catalog, parse_command_line("/similar ward one")), 1, "ko")
    assert korean["embeds"][0]["footer"]["text"] == "저희가 찾은 비슷한 드라마예요"
