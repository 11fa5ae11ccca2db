"""QA round 2's confident wrong answers and odd replies about titles, asked through the answer
layer (the call ``drama-bot ask`` and the Discord bot make) over the shipped cards, and the
input ``drama-bot ask`` reads through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.answering.answers import answer
from bot.answering.commands import parse_command_line
from bot.cards.loader import load_cards
from bot.catalog.snapshot import Catalog
from tests.conftest import WriteCard, minimal_card
from tests.test_cli import drama_bot


def _got(catalog: Catalog, line: str) -> tuple[str | None, tuple[str, ...]]:
    result = answer(catalog, parse_command_line(line))
    return result.card_slug, tuple(result.candidate_ids)


# -- parts: the season number before "part" is the season -----------------------------------


@pytest.mark.parametrize(
    ("line", "season"),
    [
        ("/drama voice 4 part 2", "voice-4"),
        ("/drama voice 3 part 1", "voice-3"),
        ("/drama squid game 3 part 2", "squid-game-3"),
        ("/drama sweet home 3 part 2", "sweet-home-3"),
        ("/drama kingdom 2 pt 1", "kingdom-2"),
        ("/drama voice season 4 part 2", "voice-4"),
    ],
)
def test_a_part_of_a_numbered_season_is_that_season(
    shipped_catalog: Catalog, line: str, season: str
) -> None:
    assert _got(shipped_catalog, line) == (season, ())


@pytest.mark.parametrize(
    "line", ["/drama part 2", "/drama pt 3", "/drama season 2", "/drama 파트2"]
)
def test_a_part_or_season_without_a_title_answers_nothing(
    shipped_catalog: Catalog, line: str
) -> None:
    assert _got(shipped_catalog, line) == (None, ())


def test_a_part_of_a_drama_without_seasons_is_offered_not_called_a_season(
    shipped_catalog: Catalog,
) -> None:
    for line, slug in (
        ("/drama the glory part 3", "the-glory"),
        ("/drama moving part 2", "moving"),
    ):
        result = answer(shipped_catalog, parse_command_line(line))
        assert (result.card_slug, tuple(result.candidate_ids)) == (None, (slug,))
        assert result.missing_season is None, line  # "not season 3": nobody asked for one
    # a season asked as a season still says which seasons we have
    assert answer(shipped_catalog, parse_command_line("/drama moving season 2")).missing_season == 2


# -- a subtitle names its season -------------------------------------------------------------


@pytest.mark.parametrize(
    "line", ["/drama The Uncanny Counter Punch", "/drama uncanny counter counter punch"]
)
def test_a_seasons_subtitle_after_the_title_is_that_season(
    shipped_catalog: Catalog, line: str
) -> None:
    assert _got(shipped_catalog, line) == ("the-uncanny-counter-2-counter-punch", ())


# -- one word, and the same words in another order --------------------------------------------


@pytest.mark.parametrize(
    "line", ["/drama Hometown", "/drama Evil", "/drama Beyond", "/drama Heaven", "/drama Save"]
)
def test_one_word_of_a_longer_title_is_at_most_a_did_you_mean(
    shipped_catalog: Catalog, line: str
) -> None:
    slug, candidates = _got(shipped_catalog, line)
    assert slug is None and candidates, (line, slug)


def test_mister_alone_is_not_my_mister(shipped_catalog: Catalog) -> None:
    slug, candidates = _got(shipped_catalog, "/drama mister")
    assert slug is None and "my-mister" in candidates


def test_the_same_words_in_another_order_are_not_that_title(shipped_catalog: Catalog) -> None:
    slug, candidates = _got(shipped_catalog, "/drama Home Sweet Home")
    assert slug is None and "sweet-home" in candidates


# -- nothing to look up -----------------------------------------------------------------------


def test_a_title_with_no_letters_is_not_called_missing() -> None:
    lines = ["/drama 😀", "/drama ???", "/drama ...", "/drama"]
    done = drama_bot("ask", "--json", stdin="\n".join(lines) + "\n")
    said = [json.loads(line)["message"]["content"] for line in done.stdout.splitlines()]
    for typed, content in zip(("😀", "???", "..."), said, strict=False):
        assert "needs a title" not in content, content
        assert f"“{typed}”" in content, content
    assert said[3].startswith("/drama needs a title")


# -- a network or service named with the title ------------------------------------------------


def test_a_network_the_drama_never_aired_on_is_a_did_you_mean(shipped_catalog: Catalog) -> None:
    # Netflix's Black Knight (2023) is another show; ours aired on KBS2.
    for line in ("/drama black knight netflix", "/drama black knight on netflix"):
        assert _got(shipped_catalog, line) == (None, ("black-knight-the-man-who-guards-me",))
    assert _got(shipped_catalog, "/drama black knight kbs") == (
        "black-knight-the-man-who-guards-me",
        (),
    )
    # where it streams counts as much as where it aired (Vincenzo: tvN, on Netflix)
    assert _got(shipped_catalog, "/drama vincenzo netflix") == ("vincenzo", ())


def test_a_network_picks_the_season_that_aired_there(shipped_catalog: Catalog) -> None:
    assert _got(shipped_catalog, "/drama voice tvn") == ("voice-4", ())
    assert _got(shipped_catalog, "/drama voice ocn") == ("voice", ())
    # a season asked for is never swapped for another: a did-you-mean offers both
    slug, candidates = _got(shipped_catalog, "/drama voice 2 tvn")
    assert slug is None and {"voice-2", "voice-4"} <= set(candidates)


def test_a_card_that_does_not_say_where_it_aired_is_not_contradicted(
    cards_dir: Path, write_card: WriteCard
) -> None:
    write_card("quiet-show", minimal_card("Quiet Show", 2020))
    write_card("loud-show", minimal_card("Loud Show", 2021, network="JTBC"))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    assert _got(catalog, "/drama quiet show netflix") == ("quiet-show", ())
    assert _got(catalog, "/drama loud show jtbc") == ("loud-show", ())
    assert _got(catalog, "/drama loud show netflix") == (None, ("loud-show",))


def test_ask_reads_a_byte_order_mark_and_no_break_spaces() -> None:
    # Windows editors start a UTF-8 file with a byte order mark; a no-break space (U+00A0)
    # comes with text pasted from the web.
    lines = "\ufeff/drama run on\n/drama\u00a0run on\n/drama\u00a0\u00a0Run\u00a0On\n"
    done = drama_bot("ask", "--json", stdin=lines)
    assert done.returncode == 0, done.stdout + done.stderr
    assert [json.loads(line)["card"] for line in done.stdout.splitlines()] == ["run-on"] * 3
    done = drama_bot("ask", "--json", "\ufeff/drama\u00a0run on")
    assert json.loads(done.stdout)["card"] == "run-on"


# -- fans' phrasings for dramas we have ---------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "slug"),
    [
        ("/drama the youngest son of a chaebol family", "reborn-rich"),
        ("/drama 빈센조 어디서 봐?", "vincenzo"),
        ("/drama 빈센조 어디서 볼 수 있어?", "vincenzo"),
        ("/drama 사랑의 불시착 보고싶다", "crash-landing-on-you"),
        ("/drama 사랑의 불시착 보고 싶어", "crash-landing-on-you"),
        ("/drama 눈물의 여왕 몇부작", "queen-of-tears"),
        ("/drama 눈물의 여왕 몇 부작이야?", "queen-of-tears"),
    ],
)
def test_fans_phrasings_name_the_drama(shipped_catalog: Catalog, line: str, slug: str) -> None:
    assert _got(shipped_catalog, line) == (slug, ())


def test_stream_reads_a_country_after_the_title(shipped_catalog: Catalog) -> None:
    result = answer(shipped_catalog, parse_command_line("/stream the glory in korea"))
    assert result.card_slug == "the-glory" and result.region == "KR"
    result = answer(shipped_catalog, parse_command_line("/stream vincenzo in the us"))
    assert result.card_slug == "vincenzo" and result.region == "US"
    # a region given as an option is the one answered for
    result = answer(shipped_catalog, parse_command_line("/stream the glory in korea region:JP"))
    assert result.region == "JP"
