"""Fuzzy matching: the query sets, the thresholds' promises, and autocomplete."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.cards.loader import load_cards
from bot.catalog.snapshot import Catalog
from bot.matching.folding import compact, fold
from bot.matching.index import Kind, NameIndex, Resolution
from tests.answer_helpers import read_yaml
from tests.conftest import WriteCard, minimal_card

FIXTURES = Path(__file__).parent / "fixtures"
ACCURACY_FLOOR = 0.95


def _load(name: str) -> list[dict[str, Any]]:
    return read_yaml((FIXTURES / name).read_text("utf-8"))


def _is_right(expected: dict[str, Any], got: Resolution) -> bool:
    if "card" in expected:
        return got.kind is Kind.MATCH and got.id == expected["card"]
    if "candidates" in expected:
        return got.kind is Kind.CANDIDATES and set(expected["candidates"]) <= set(got.ids)
    return got.kind is Kind.NONE


def _evaluate(
    index: NameIndex, queries: list[dict[str, Any]]
) -> tuple[float, list[str], list[str]]:
    misses, wrong_confident = [], []
    for expected in queries:
        got = index.resolve(expected["q"])
        if not _is_right(expected, got):
            misses.append(f"{expected} -> {got.kind.value} {got.ids}")
        if got.kind is Kind.MATCH and got.id != expected.get("card"):
            wrong_confident.append(f"{expected['q']!r} -> {got.id}")
    return 1 - len(misses) / len(queries), misses, wrong_confident


def test_title_query_set_is_large_and_varied() -> None:
    queries = _load("title_queries.yaml")
    assert len(queries) >= 150
    assert sum("none" in q for q in queries) >= 25
    assert sum("candidates" in q for q in queries) >= 10


def test_title_queries_meet_the_accuracy_floor(shipped_catalog: Catalog) -> None:
    accuracy, misses, _ = _evaluate(shipped_catalog.titles, _load("title_queries.yaml"))
    assert accuracy >= ACCURACY_FLOOR, "\n".join(misses)


def test_no_title_query_gets_a_wrong_confident_answer(shipped_catalog: Catalog) -> None:
    _, _, wrong = _evaluate(shipped_catalog.titles, _load("title_queries.yaml"))
    assert wrong == []


def test_actor_queries_meet_the_accuracy_floor(shipped_catalog: Catalog) -> None:
    accuracy, misses, wrong = _evaluate(shipped_catalog.actor_names, _load("actor_queries.yaml"))
    assert accuracy >= ACCURACY_FLOOR, "\n".join(misses)
    assert wrong == []


# A second catalog (40 Korean, Chinese, Taiwanese and Japanese dramas) and 271 queries written
# by a colleague who had not seen the matcher: a check that the thresholds generalise.
HELDOUT = FIXTURES / "heldout"


@pytest.fixture(scope="module")
def heldout_catalog() -> Catalog:
    result = load_cards(HELDOUT / "cards")
    assert result.ok, [str(e) for e in result.errors]
    return Catalog.build(result.cards)


def test_heldout_title_queries_meet_the_accuracy_floor(heldout_catalog: Catalog) -> None:
    queries = read_yaml((HELDOUT / "title_queries.yaml").read_text("utf-8"))
    assert len(queries) >= 200
    accuracy, misses, wrong = _evaluate(heldout_catalog.titles, queries)
    assert accuracy >= ACCURACY_FLOOR, "\n".join(misses)
    assert wrong == []


def test_heldout_actor_queries_meet_the_accuracy_floor(heldout_catalog: Catalog) -> None:
    queries = read_yaml((HELDOUT / "actor_queries.yaml").read_text("utf-8"))
    accuracy, misses, wrong = _evaluate(heldout_catalog.actor_names, queries)
    assert accuracy >= ACCURACY_FLOOR, "\n".join(misses)
    assert wrong == []


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Run-On", "run on"),
        ("Ｒｕｎ　Ｏｎ！", "run on"),
        ("It’s Okay to Not Be Okay", "its okay to not be okay"),
        ("Café  Minamdang", "cafe minamdang"),
        ("Work Later, Drink Now", "work later drink now"),
        ("Love & War", "love and war"),
        ("런 온", "런 온"),
        ("流星花園", "流星花园"),  # traditional Chinese folds to simplified
        ("陳情令", "陈情令"),
    ],
)
def test_fold_normalizes_case_punctuation_width_and_accents(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_hangul_compares_with_and_without_spaces() -> None:
    assert compact("사랑의 불시착") == compact("사랑의불시착")


def test_trailing_year_picks_between_same_titles(cards_dir: Path, write_card: WriteCard) -> None:
    write_card("hometown", minimal_card("Hometown", 2021))
    write_card("hometown-2019", minimal_card("Hometown", 2019, native_title="타운"))
    catalog = Catalog.build(load_cards(cards_dir).cards)
    assert catalog.titles.resolve("hometown").kind is Kind.CANDIDATES
    assert catalog.titles.resolve("Hometown (2019)").id == "hometown-2019"
    assert catalog.titles.resolve("hometown 2021").id == "hometown"


def test_long_queries_are_capped_not_crashed(shipped_catalog: Catalog) -> None:
    assert len(shipped_catalog.titles.resolve("run on " * 5000).query) <= 200
    assert shipped_catalog.titles.resolve("x" * 100_000).kind is Kind.NONE
    assert shipped_catalog.titles.resolve("").kind is Kind.NONE
    assert shipped_catalog.titles.resolve("   ").kind is Kind.NONE


# -- autocomplete -----------------------------------------------------------------------------


def test_autocomplete_lists_prefix_matches_first(shipped_catalog: Catalog) -> None:
    slugs = shipped_catalog.titles.suggest("re")
    assert slugs[:3] == ["reborn-rich", "reply-1988", "reply-1994"]
    assert len(slugs) <= 25


def test_autocomplete_finds_words_inside_titles(shipped_catalog: Catalog) -> None:
    assert "crash-landing-on-you" in shipped_catalog.titles.suggest("landing")
    assert shipped_catalog.titles.suggest("런")[0] == "run-on"


def test_autocomplete_tolerates_typos(shipped_catalog: Catalog) -> None:
    assert shipped_catalog.titles.suggest("vincenso")[0] == "vincenzo"


def test_autocomplete_never_exceeds_25(shipped_catalog: Catalog) -> None:
    assert len(shipped_catalog.titles.suggest("")) == 25
    assert len(shipped_catalog.titles.suggest("e")) <= 25
    assert shipped_catalog.actor_names.suggest("kim")[:1] == ["kim-soo-hyun"]
    assert len(shipped_catalog.actor_names.suggest("")) == 25


def test_autocomplete_of_nonsense_is_empty(shipped_catalog: Catalog) -> None:
    assert shipped_catalog.titles.suggest("qqqqzzzz") == []
