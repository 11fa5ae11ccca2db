"""Loading and validating cards: every error names the file, the line and the key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cards.loader import MAX_CARD_BYTES, load_cards
from bot.cards.model import card_from_dict
from bot.cards.reader import YamlLoader
from bot.text import slugify
from tests.conftest import RUN_ON_YAML, SHIPPED_CARDS, WriteCard, minimal_card


def errors_of(folder: Path) -> list[str]:
    return [str(e) for e in load_cards(folder).errors]


def test_yaml_is_read_with_the_c_loader_when_libyaml_is_present() -> None:
    import yaml

    assert yaml.__with_libyaml__
    assert YamlLoader is yaml.CSafeLoader


def test_run_on_card_loads_with_every_field(write_card: WriteCard, cards_dir: Path) -> None:
    write_card("run-on", RUN_ON_YAML)
    result = load_cards(cards_dir)
    assert result.ok
    (card,) = result.cards
    assert card.slug == "run-on"
    assert card.title == "Run On"
    assert card.native_title == "런 온"
    assert card.year == 2020
    assert card.country == "KR"
    assert [m.actor for m in card.cast] == [
        "Im Si Wan",
        "Shin Se Kyung",
        "Choi Sooyoung",
        "Kang Tae Oh",
    ]
    assert card.cast[2].aliases == ("Sooyoung", "Choi Soo-young")
    assert card.streaming[0].service == "Netflix"
    assert card.ratings is not None and card.ratings.overall is None and card.ratings.scale == 5
    assert card.similar == ("Start-Up", "Because This Is My First Life")
    assert card.review is not None and len(card.review.highlights) == 4


def test_card_survives_a_round_trip_through_its_dict(
    write_card: WriteCard, cards_dir: Path
) -> None:
    write_card("run-on", RUN_ON_YAML)
    (card,) = load_cards(cards_dir).cards
    assert card_from_dict(card.to_dict()) == card
    assert card_from_dict(card.to_dict()).digest() == card.digest()


def test_misspelled_key_is_an_error_with_line_and_suggestion(
    write_card: WriteCard, cards_dir: Path
) -> None:
    write_card("run-on", RUN_ON_YAML.replace("streaming:", "stremaing:"))
    (error,) = errors_of(cards_dir)
    line = RUN_ON_YAML.splitlines().index("streaming:") + 1
    assert error.startswith(f"{cards_dir / 'run-on.yaml'}:{line}: stremaing: unknown key")
    assert "did you mean 'streaming'" in error


def test_every_error_in_every_file_is_reported_at_once(
    write_card: WriteCard, cards_dir: Path
) -> None:
    write_card(
        "first",
        """
        title: First
        year: twenty
        cast:
          - role: Nobody
        genres: [Romance]
        """,
    )
    write_card(
        "second",
        """
        title: Second
        year: 2020
        cast: [{actor: A}]
        ratings: {scale: 5, overall: 7, romance: high}
        streaming: [{service: Netflix, regions: [USA], url: "ftp://x"}]
        """,
    )
    errors = errors_of(cards_dir)
    first, second = cards_dir / "first.yaml", cards_dir / "second.yaml"
    assert f"{first}:2: year: expected a whole number, got text" in errors
    assert f"{first}:4: cast[0].actor: required key is missing" in errors
    assert f"{first}:5: genres[0]: 'Romance' must be a lower-case tag" in errors
    assert f"{second}:4: ratings.overall: 7 is outside the scale 0 to 5" in errors
    assert any(
        e.startswith(f"{second}:4: ratings.romance: expected a number or null") for e in errors
    )
    assert (
        f"{second}:5: streaming[0].regions[0]: "
        "'USA' is not an ISO 3166-1 alpha-2 country code; did you mean US?"
    ) in errors
    assert any(e.startswith(f"{second}:5: streaming[0].url: expected an http") for e in errors)
    assert len(errors) == 7, errors


def test_missing_required_keys_are_named(write_card: WriteCard, cards_dir: Path) -> None:
    write_card("bare", "native_title: 무제\n")
    errors = errors_of(cards_dir)
    path = cards_dir / "bare.yaml"
    assert errors == [
        f"{path}:1: cast: required key is missing",
        f"{path}:1: title: required key is missing",
        f"{path}:1: year: required key is missing",
    ]


def test_empty_year_left_by_a_draft_is_reported_on_its_line(
    write_card: WriteCard, cards_dir: Path
) -> None:
    write_card("draft", "title: Draft\nyear:\ncast: [{actor: A}]\n")
    assert errors_of(cards_dir) == [
        f"{cards_dir / 'draft.yaml'}:2: year: expected a whole number, got nothing (null)"
    ]


def test_yaml_syntax_error_names_the_line(write_card: WriteCard, cards_dir: Path) -> None:
    write_card("broken", "title: Broken\nyear: 2020\ncast:\n  - actor: [unclosed\n")
    (error,) = errors_of(cards_dir)
    assert re.match(
        rf"{re.escape(str(cards_dir / 'broken.yaml'))}:[45]: yaml: not valid YAML", error
    )


def test_tabs_and_duplicate_keys_are_errors(write_card: WriteCard, cards_dir: Path) -> None:
    write_card("dupe", "title: One\nyear: 2020\ntitle: Two\ncast: [{actor: A}]\n")
    (error,) = errors_of(cards_dir)
    assert error == f"{cards_dir / 'dupe.yaml'}:3: title: key appears twice (first on line 1)"


def test_text_where_a_number_belongs_and_vice_versa(write_card: WriteCard, cards_dir: Path) -> None:
    write_card("nums", "title: 2521\nyear: 2022\nepisodes: -3\ncast: [{actor: A}]\n")
    errors = errors_of(cards_dir)
    path = cards_dir / "nums.yaml"
    assert (
        f'{path}:1: title: expected text, got a whole number (put it in quotes, e.g. "2521")'
        in errors
    )
    assert f"{path}:3: episodes: -3 is out of range (1 to 2000)" in errors


@pytest.mark.parametrize(
    ("written", "episodes"),
    [
        ("16", 16),
        ("0", None),
        ("010", None),
        ("1_6", 16),
        ("0x10", 16),
        ("+16", 16),
        ("0o20", None),
    ],
)
def test_whole_numbers_are_read_as_yaml_reads_them(
    write_card: WriteCard, cards_dir: Path, written: str, episodes: int | None
) -> None:
    # Plain digits are converted directly; anything else (underscores, hex, a sign) goes
    # through YAML's own constructor; YAML 1.1's octal (a leading zero: "010" is 8) is an
    # error since round 18 (tests/test_hostile_round18.py).
    write_card("nums", f"title: Nums\nyear: 2022\nepisodes: {written}\ncast: [{{actor: A}}]\n")
    result = load_cards(cards_dir)
    if episodes is None:
        assert result.cards == [] and [e.key for e in result.errors] == ["episodes"]
    else:
        assert [card.episodes for card in result.cards] == [episodes], result.errors


def test_null_scores_are_valid_and_mean_not_scored(write_card: WriteCard, cards_dir: Path) -> None:
    write_card(
        "scored",
        minimal_card("Scored")
        + "ratings:\n  scale: 10\n  overall: 9\n  romance:\n  rewatch: null\n",
    )
    (card,) = load_cards(cards_dir).cards
    assert card.ratings is not None
    assert (card.ratings.scale, card.ratings.overall, card.ratings.romance) == (10, 9.0, None)


def test_yaml_aliases_are_refused(write_card: WriteCard, cards_dir: Path) -> None:
    write_card(
        "bomb",
        """
        title: Bomb
        year: 2020
        aliases: &a [x, y]
        similar: *a
        cast: [{actor: A}]
        """,
    )
    (error,) = errors_of(cards_dir)
    assert error.startswith(f"{cards_dir / 'bomb.yaml'}:4: similar: YAML anchors and aliases")


def test_bad_encoding_size_and_multiple_documents(cards_dir: Path) -> None:
    (cards_dir / "latin.yaml").write_bytes("title: Caf\xe9\n".encode("latin-1"))
    (cards_dir / "huge.yaml").write_text("title: x\n" + "#" * MAX_CARD_BYTES, "utf-8")
    (cards_dir / "two.yaml").write_text(
        minimal_card("Two") + "---\n" + minimal_card("Three"), "utf-8"
    )
    (cards_dir / "empty.yaml").write_text("", "utf-8")
    errors = errors_of(cards_dir)
    assert f"{cards_dir / 'latin.yaml'}:1: file: is not UTF-8 text" in errors
    assert any(e.startswith(f"{cards_dir / 'huge.yaml'}:1: file: is ") for e in errors)
    assert any(e.startswith(f"{cards_dir / 'two.yaml'}:6: yaml: one card per file") for e in errors)
    assert any(
        e.startswith(f"{cards_dir / 'empty.yaml'}:1: title: the file is empty") for e in errors
    )


def test_file_names_must_be_slugs_and_yml_is_not_ignored(cards_dir: Path) -> None:
    (cards_dir / "Run On.yaml").write_text(minimal_card("Run On"), "utf-8")
    (cards_dir / "other.yml").write_text(minimal_card("Other"), "utf-8")
    (cards_dir / "notes.txt").write_text("not a card", "utf-8")
    errors = errors_of(cards_dir)
    assert any(e.startswith(f"{cards_dir / 'Run On.yaml'}:1: slug: file name") for e in errors)
    assert any(e.startswith(f"{cards_dir / 'other.yml'}:1: file: is not loaded") for e in errors)
    assert len(errors) == 2


def test_same_title_and_year_in_two_files_leaves_out_the_one_not_named_for_it(
    write_card: WriteCard, cards_dir: Path
) -> None:
    write_card("hometown", minimal_card("Hometown", 2021))
    write_card("hometown-copy", minimal_card("Hometown", 2021))
    write_card("hometown-2019", minimal_card("Hometown", 2019))
    result = load_cards(cards_dir)
    errors = [str(e) for e in result.errors]
    assert len(errors) == 1
    assert errors[0].startswith(
        f"{cards_dir / 'hometown-copy.yaml'}:1: title: 'Hometown' (2021) is already the card "
        "hometown.yaml"
    )
    assert sorted(c.slug for c in result.cards) == ["hometown", "hometown-2019"]


def test_hostile_text_is_bounded(write_card: WriteCard, cards_dir: Path) -> None:
    write_card("long", minimal_card("L" * 500) + "cast_extra: 1\n")
    errors = errors_of(cards_dir)
    assert any("title: is 500 characters long; at most 200" in e for e in errors)
    assert any("cast_extra: unknown key" in e for e in errors)


def test_a_broken_card_does_not_hide_the_valid_ones(write_card: WriteCard, cards_dir: Path) -> None:
    write_card("good", minimal_card("Good"))
    write_card("bad", "title: Bad\n")
    result = load_cards(cards_dir)
    assert not result.ok
    assert [c.slug for c in result.cards] == ["good"]


# -- the shipped catalog ---------------------------------------------------------------------


def test_every_shipped_card_loads_without_error() -> None:
    result = load_cards(SHIPPED_CARDS)
    assert [str(e) for e in result.errors] == []
    assert len(result.cards) >= 60
    assert result.files == len(list(SHIPPED_CARDS.glob("*.yaml")))


def test_shipped_slugs_match_their_titles() -> None:
    for card in load_cards(SHIPPED_CARDS).cards:
        assert card.slug in {slugify(card.title), f"{slugify(card.title)}-{card.year}"}, card.slug


def test_shipped_cards_without_a_review_invent_no_scores() -> None:
    for card in load_cards(SHIPPED_CARDS).cards:
        if card.review is None:
            assert card.ratings is None, card.slug


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Start-Up", "start-up"),
        ("It's Okay to Not Be Okay", "its-okay-to-not-be-okay"),
        ("D.P.", "d-p"),
        ("Guardian: The Lonely and Great God", "guardian-the-lonely-and-great-god"),
        ("Café Minamdang", "cafe-minamdang"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_hostile_files_get_one_line_errors_and_never_crash(cards_dir: Path) -> None:
    files = {
        "deep": "title: " + "[" * 50_000 + "]" * 50_000 + "\n",
        "tagged": (
            'title: !!python/object/apply:os.system ["echo hi"]\nyear: 2020\ncast: [{actor: A}]\n'
        ),
        "control": 'title: "a\x00b"\nyear: 2020\ncast: [{actor: A}]\n',
        "list": "- a\n- b\n",
        "nan": "title: X\nyear: 2020\ncast: [{actor: A}]\nratings: {overall: .nan}\n",
    }
    for slug, text in files.items():
        (cards_dir / f"{slug}.yaml").write_text(text, "utf-8")
    (cards_dir / "binary.yaml").write_bytes(bytes(range(256)) * 4)
    (cards_dir / "folder.yaml").mkdir()
    errors = errors_of(cards_dir)
    assert all("\n" not in error for error in errors)
    expected = {
        "binary.yaml:2: file: is not UTF-8 text",  # the first bad byte is on line 2
        "deep.yaml:1: yaml: not valid YAML:",
        "tagged.yaml:1: title: YAML tags such as",
        "control.yaml:1: yaml: not valid YAML: character #x0000 is not allowed",
        "list.yaml:1: card: expected a mapping of keys, got a list",
        "nan.yaml:4: ratings.overall: must be a finite number",
        "folder.yaml:1: file: is a folder; cards must be files",
    }
    for start in expected:
        assert any(e.startswith(f"{cards_dir}/{start}") for e in errors), (start, errors)
    assert load_cards(cards_dir).cards == []


def test_a_huge_unknown_key_is_named_not_echoed(write_card: WriteCard, cards_dir: Path) -> None:
    write_card("long-key", minimal_card("Long Key") + "k" * 1000 + ": 1\n")
    (error,) = errors_of(cards_dir)
    assert error.startswith(f"{cards_dir / 'long-key.yaml'}:5: {'k' * 59}…: unknown key")
    assert len(error) < 400
