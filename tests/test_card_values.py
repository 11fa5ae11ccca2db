"""`check` catches wrong values, not only wrong types: unknown codes and names, cards that
name themselves, file names that do not fit the title, unsafe characters in any text field."""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from pathlib import Path

import pytest
import yaml

from bot.answering.answers import answer
from bot.answering.commands import parse_command_line
from bot.answering.render import render
from bot.cards.loader import load_cards
from bot.cards.model import Card, StreamingOption
from bot.catalog.service import CatalogService
from bot.catalog.snapshot import Catalog
from bot.catalog.store import Store
from tests.conftest import RUN_ON_YAML, WriteCard, minimal_card
from tests.test_answers import embed_text
from tests.test_cli import drama_bot


def problems(folder: Path) -> tuple[list[str], list[str]]:
    result = load_cards(folder)
    return [str(e) for e in result.errors], [str(w) for w in result.warnings]


def test_the_issue_examples_are_all_caught(cards_dir: Path, write_card: WriteCard) -> None:
    """`network: JTBCC`, `service: Netflx`, `regions: [US, XX]`, `similar` naming the card
    itself, `foo-bar.yaml` titled "Run Off": each passed `check` with "no errors" before."""
    write_card(
        "run-on",
        minimal_card("Run On", network="JTBCC")
        + "streaming:\n  - service: Netflx\n    regions: [US, XX]\n"
        + "similar: [Start-Up, Run On (2020)]\n",
    )
    write_card("start-up", minimal_card("Start-Up"))
    write_card("foo-bar", minimal_card("Run Off"))
    run_on, foo = cards_dir / "run-on.yaml", cards_dir / "foo-bar.yaml"
    errors, warnings = problems(cards_dir)
    assert errors == [
        f"{run_on}:8: streaming[0].regions[1]: "
        "'XX' is not an ISO 3166-1 alpha-2 country code (such as KR, US or GB)",
        f"{run_on}:9: similar[1]: 'Run On (2020)' is this card itself; list other dramas",
    ]
    assert warnings == [
        f"{foo}:1: title: warning: the file is foo-bar.yaml but the title 'Run Off' gives "
        "run-off.yaml (or run-off-2020.yaml when another drama has the same title); "
        "rename the file so the title and file name agree",
        f"{run_on}:5: network: warning: 'JTBCC' is not a known network; did you mean 'JTBC'?",
        f"{run_on}:7: streaming[0].service: warning: 'Netflx' is not a known service; "
        "did you mean 'Netflix'?",
    ]


def test_check_prints_warnings_and_exits_0_when_there_are_no_errors(
    cards_dir: Path, write_card: WriteCard
) -> None:
    write_card("run-on", minimal_card("Run On", network="tvn") + "similar: [Lost Show]\n")
    write_card("odd", minimal_card("Odd", network="Moon TV"))
    done = drama_bot("check", "--data", str(cards_dir))
    assert done.returncode == 0, done.stdout
    assert done.stdout.splitlines() == [
        f"{cards_dir / 'odd.yaml'}:5: network: note: 'Moon TV' is not in the known networks "
        "list (bot/cards/vocabulary.py); fine if it is right",
        f"{cards_dir / 'run-on.yaml'}:5: network: warning: write 'tvN' as the known networks "
        "list spells it",
        f"{cards_dir / 'run-on.yaml'}:6: similar[0]: note: no card here is called 'Lost Show'; "
        "/similar shows it without a link (add its card, or spell it as our card does)",
        f"OK: 2 cards in {cards_dir}, no errors, 1 warning, 2 notes",
    ]


def test_check_counts_errors_warnings_and_notes_apart(
    cards_dir: Path, write_card: WriteCard
) -> None:
    write_card("bad", minimal_card("Bad", country="XX"))
    write_card("typo", minimal_card("Typo", network="Netflx"))
    done = drama_bot("check", "--data", str(cards_dir))
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f"{cards_dir / 'bad.yaml'}:5: country: "
        "'XX' is not an ISO 3166-1 alpha-2 country code (such as KR, US or GB)",
        f"{cards_dir / 'typo.yaml'}:5: network: warning: "
        "'Netflx' is not a known network; did you mean 'Netflix'?",
    ]
    assert done.stderr == "1 error in 1 file, 1 warning; 1 of 2 cards are valid\n"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("UK", "'UK' is not an ISO 3166-1 alpha-2 country code; did you mean GB?"),
        ("usa", "'usa' is not an ISO 3166-1 alpha-2 country code; did you mean US?"),
        (
            "South Korea",
            "'South Korea' is not an ISO 3166-1 alpha-2 country code; did you mean KR?",
        ),
        ("XK", "'XK' is not an ISO 3166-1 alpha-2 country code (such as KR, US or GB)"),
    ],
)
def test_regions_and_country_must_be_real_codes(
    cards_dir: Path, write_card: WriteCard, written: str, message: str
) -> None:
    write_card(
        "show",
        minimal_card("Show", country=json.dumps(written))
        + f"streaming:\n  - service: Netflix\n    regions: [KR, {json.dumps(written)}]\n",
    )
    errors, _ = problems(cards_dir)
    path = cards_dir / "show.yaml"
    assert errors == [
        f"{path}:5: country: {message}",
        f"{path}:8: streaming[0].regions[1]: {message}",
    ]


def test_lower_case_codes_are_real_codes(cards_dir: Path, write_card: WriteCard) -> None:
    write_card(
        "show", minimal_card("Show", country="jp") + "streaming: [{service: Viki, regions: [us]}]\n"
    )
    (card,) = load_cards(cards_dir).cards
    assert card.country == "JP" and card.streaming[0].regions == ("US",)


def test_a_warning_never_blocks_a_reload(cards_dir: Path, write_card: WriteCard) -> None:
    write_card("show", minimal_card("Show", network="JTBCC"))
    result = load_cards(cards_dir)
    assert result.ok and [c.network for c in result.cards] == ["JTBCC"]
    assert [w.level for w in result.warnings] == ["warning"]


async def test_a_reload_with_only_warnings_applies(
    cards_dir: Path, write_card: WriteCard, tmp_path: Path
) -> None:
    write_card("show", minimal_card("Show"))
    async with Store.open(tmp_path / "bot.sqlite3") as store:
        service = CatalogService(store, cards_dir)
        await service.start()
        write_card("other", minimal_card("Other", network="Netflx") + "similar: [Nothing]\n")
        report = await service.reload()
        assert report.applied and "other" in service.catalog.cards


def test_an_alias_that_is_another_cards_title_is_an_error(
    cards_dir: Path, write_card: WriteCard
) -> None:
    write_card("run-on", minimal_card("Run On"))
    write_card("run-off", minimal_card("Run Off") + "aliases: [Run-Off!, run on]\n")
    errors, _ = problems(cards_dir)
    assert errors == [
        f"{cards_dir / 'run-off.yaml'}:5: aliases[1]: 'run on' is the title of run-on.yaml; "
        "an alias that is another drama's title turns /drama Run On into a did-you-mean"
    ]


def test_same_titled_dramas_of_other_years_stay_allowed(
    cards_dir: Path, write_card: WriteCard
) -> None:
    write_card("hometown", minimal_card("Hometown", 2021))
    write_card("hometown-2019", minimal_card("Hometown", 2019) + "aliases: [Hometown]\n")
    write_card("reply-1988", minimal_card("Reply 1988", 2015) + "similar: [Reply 1994]\n")
    write_card("reply-1994", minimal_card("Reply 1994", 2013) + "similar: [Reply 1988 (2015)]\n")
    errors, warnings = problems(cards_dir)
    assert errors == [] and warnings == []


def test_a_similar_title_naming_itself_by_alias_or_slug_is_an_error(
    cards_dir: Path, write_card: WriteCard
) -> None:
    write_card(
        "crash-landing-on-you",
        minimal_card("Crash Landing on You", 2019)
        + "aliases: [CLOY]\nsimilar: [cloy, crash-landing-on-you, Crash Landing on You 2019]\n",
    )
    errors, _ = problems(cards_dir)
    assert [e.split(": ")[1] for e in errors] == [
        "similar[0]",
        "similar[1]",
        "similar[2]",
    ]


TEXT_FIELDS = {
    "title": ("title",),
    "native_title": ("native_title",),
    "aliases[0]": ("aliases", 0),
    "network": ("network",),
    "cast[0].actor": ("cast", 0, "actor"),
    "cast[0].role": ("cast", 0, "role"),
    "cast[0].aliases[0]": ("cast", 0, "aliases", 0),
    "streaming[0].service": ("streaming", 0, "service"),
    "similar[0]": ("similar", 0),
    "review.source": ("review", "source"),
    "review.reviewer": ("review", "reviewer"),
    "review.headline": ("review", "headline"),
    "review.summary": ("review", "summary"),
    "review.highlights[0]": ("review", "highlights", 0),
    "review.verdict": ("review", "verdict"),
    "community_rating.source": ("community_rating", "source"),
}
FULL_CARD = yaml.safe_load(RUN_ON_YAML) | {"community_rating": {"score": 7.5, "source": "TMDB"}}


def _with(path: tuple[str | int, ...], value: str) -> dict[str, object]:
    card = copy.deepcopy(FULL_CARD)
    target = card
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return card


@pytest.mark.parametrize("key", TEXT_FIELDS)
@pytest.mark.parametrize(
    ("inserted", "message"),
    [
        ("\u202e", "contains a bidirectional control character (U+202E)"),
        ("\u2067", "contains a bidirectional control character (U+2067)"),
        ("\x9b", "contains a control character (U+009B)"),
        ("\x7f", "contains a control character (U+007F)"),
        ("\x1b", "contains a control character (U+001B)"),
    ],
)
def test_unsafe_characters_are_refused_in_every_text_field(
    cards_dir: Path, key: str, inserted: str, message: str
) -> None:
    card = _with(TEXT_FIELDS[key], f"Ab{inserted}cd")
    (cards_dir / "run-on.yaml").write_text(yaml.safe_dump(card, allow_unicode=True), "utf-8")
    errors, _ = problems(cards_dir)
    assert len(errors) == 1 and f": {key}: {message}" in errors[0], errors


@pytest.mark.parametrize("key", TEXT_FIELDS)
def test_invisible_only_text_is_refused_in_every_text_field(cards_dir: Path, key: str) -> None:
    card = _with(TEXT_FIELDS[key], "\u200b\u2060\u3164\ufe0f")
    (cards_dir / "run-on.yaml").write_text(yaml.safe_dump(card, allow_unicode=True), "utf-8")
    errors, _ = problems(cards_dir)
    assert len(errors) == 1 and f": {key}: has no visible characters" in errors[0], errors


def test_zero_width_joiners_inside_visible_text_stay_allowed(cards_dir: Path) -> None:
    card = _with(("review", "summary"), "Family 👩\u200d👧 drama, with a soft\u00adhyphen.")
    (cards_dir / "run-on.yaml").write_text(yaml.safe_dump(card, allow_unicode=True), "utf-8")
    assert load_cards(cards_dir).ok


@pytest.mark.parametrize(
    "url",
    [
        "http://www.netflix.com/title/81309354",
        "https://x.com/a) [click](https://evil.example",
        "https://example.com/<@&123>",
        "https://example.com/a b",
        "javascript:alert(1)",
        "https://example.com/**bold**",
    ],
)
def test_streaming_urls_must_be_plain_https(cards_dir: Path, url: str) -> None:
    card = _with(("streaming", 0, "service"), "Netflix")
    card["streaming"][0]["url"] = url
    (cards_dir / "run-on.yaml").write_text(yaml.safe_dump(card, allow_unicode=True), "utf-8")
    errors, _ = problems(cards_dir)
    assert len(errors) == 1 and ": streaming[0].url: expected an https:// address" in errors[0]


def test_a_streaming_url_is_shown_as_a_link(cards_dir: Path) -> None:
    card = _with(("streaming", 0, "service"), "Netflix")
    card["streaming"][0]["url"] = "https://www.netflix.com/title/81309354#@here"
    (cards_dir / "run-on.yaml").write_text(yaml.safe_dump(card, allow_unicode=True), "utf-8")
    catalog = Catalog.build(load_cards(cards_dir).cards)
    payload = render(answer(catalog, parse_command_line("/stream Run On")), 1)
    assert " · https://www.netflix.com/title/81309354#@here" in embed_text(payload)


def test_an_address_that_is_not_plain_https_is_shown_as_text(cards_dir: Path) -> None:
    """Cards are checked, but a database written before the check may hold anything."""
    (card,) = load_cards_of(cards_dir, minimal_card("Old Show"))
    hostile = "https://x.example/a) [click](https://evil.example) <@&1>"
    stored = dataclasses.replace(card, streaming=(StreamingOption("Netflix", url=hostile),))
    payload = render(answer(Catalog.build([stored]), parse_command_line("/stream Old Show")), 1)
    text = embed_text(payload)
    assert "\\[click\\](https://evil.example)" in text and "\\<@\u200b&1\\>" in text
    assert not re.search(r"(?<!\\)\[click", text)


def load_cards_of(folder: Path, text: str) -> list[Card]:
    (folder / "old-show.yaml").write_text(text, "utf-8")
    return load_cards(folder).cards


# -- a card that failed to load ----------------------------------------------------------


async def test_asking_for_a_broken_card_says_it_could_not_be_loaded(
    cards_dir: Path, write_card: WriteCard, tmp_path: Path
) -> None:
    write_card("run-on", RUN_ON_YAML.replace("year: 2020", "year: twenty twenty"))
    write_card("no-title", "title: [oops]\nyear: 2020\n")
    write_card("good", minimal_card("Good"))
    async with Store.open(tmp_path / "bot.sqlite3") as store:
        service = CatalogService(store, cards_dir)
        report = await service.start()
        assert len(report.errors) == 3
        for line, shown in (
            ("/drama Run On", "Run On"),
            ("/cast run-on", "Run On"),
            ("/stream RUN ON", "Run On"),
            ("/drama no-title", "no-title"),
        ):
            result = answer(service.catalog, parse_command_line(line))
            payload = render(result, 1)
            assert payload["flags"] == 64 and result.card_slug is None
            assert payload["content"] == (
                f"The card for “{shown}” could not be loaded, so it is left out for now. "
                "An admin can see why with `drama-bot check`."
            )
        missing = render(answer(service.catalog, parse_command_line("/drama Run Away")), 1)
        assert missing["content"].startswith("No drama called “Run Away”")
        await service.stories.close()  # (its story sync ends with the test, not after it)


def test_ask_reports_each_broken_card_once(cards_dir: Path, write_card: WriteCard) -> None:
    write_card("run-on", RUN_ON_YAML.replace("year: 2020", "year: soon").replace("cast:", "cats:"))
    write_card("good", minimal_card("Good"))
    done = drama_bot("ask", "--data", str(cards_dir), "/drama run on")
    assert done.returncode == 0
    assert done.stderr.splitlines() == [
        f"drama-bot: 1 card file could not be loaded and is left out; "
        f"`drama-bot check --data {cards_dir}` lists every problem:",
        f"  {cards_dir / 'run-on.yaml'}:1: cast: required key is missing (+2 more)",
    ]
    assert "The card for “Run On” could not be loaded" in done.stdout
