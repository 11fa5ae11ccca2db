"""Questions as fans type them (issue 9): seasons and sequels, noise around a title, actors,
Korean names and short forms, a trailing year, and the words of a title (QA's wrong answers
and misses: one common word, digits, Mr./Mister, little words). Each query in
``tests/fixtures/fan_queries.yaml`` is asked through the answer layer, the same call
``drama-bot ask`` and the Discord bot make, over the shipped cards; each kind must be answered
right at least 95% of the time, and no query may get a confident answer about the wrong drama
or person.

``python -m tests.test_fan_queries`` prints the per-kind table (docs/matching.md keeps it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.answering.answers import ActorAnswer, answer
from bot.answering.commands import COMMANDS, Invocation
from bot.cards.loader import load_cards
from bot.catalog.snapshot import Catalog
from tests.answer_helpers import read_yaml

FIXTURE = Path(__file__).parent / "fixtures" / "fan_queries.yaml"
SHIPPED_CARDS = Path(__file__).resolve().parent.parent / "data" / "cards"
KINDS = ("season", "noise", "actor", "korean", "year", "wording")
EXPECTATIONS = ("card", "candidates", "offer", "unsure", "none")
FLOOR = 0.95


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the asker got: a confident answer about one id, or a list of candidates."""

    confident: str | None
    candidates: tuple[str, ...]

    def __str__(self) -> str:
        if self.confident:
            return f"answered {self.confident}"
        return f"did you mean {list(self.candidates)}" if self.candidates else "not found"


@dataclass(frozen=True, slots=True)
class Scored:
    query: dict[str, Any]
    outcome: Outcome
    right: bool
    wrong_confident: bool

    def __str__(self) -> str:
        expected = {k: v for k, v in self.query.items() if k in EXPECTATIONS}
        command = self.query.get("command", "drama")
        asked = f"[{self.query['kind']}] /{command} {self.query['q']!r}"
        return f"{asked}: {self.outcome}, want {expected}"


def load_queries() -> list[dict[str, Any]]:
    return read_yaml(FIXTURE.read_text("utf-8"))


def ask(catalog: Catalog, query: dict[str, Any]) -> Outcome:
    command = query.get("command", "drama")
    option = COMMANDS[command].options[0].name
    result = answer(catalog, Invocation(command, {option: query["q"]}))
    if isinstance(result, ActorAnswer):
        return Outcome(result.actor.id, ())
    return Outcome(result.card_slug, tuple(result.candidate_ids))


def is_right(query: dict[str, Any], got: Outcome) -> bool:
    if "card" in query:
        return got.confident == query["card"]
    if "candidates" in query:
        return got.confident is None and set(query["candidates"]) <= set(got.candidates)
    if "offer" in query:
        return got.confident == query["offer"] or (
            got.confident is None and query["offer"] in got.candidates
        )
    if "none" in query:
        return got.confident is None and not got.candidates
    return got.confident is None  # unsure: anything but a confident answer


def score(catalog: Catalog, queries: list[dict[str, Any]]) -> list[Scored]:
    scored = []
    for query in queries:
        got = ask(catalog, query)
        allowed = {query.get("card"), query.get("offer")} - {None}
        wrong = got.confident is not None and got.confident not in allowed
        scored.append(Scored(query, got, is_right(query, got), wrong))
    return scored


def table(scored: list[Scored]) -> str:
    lines = [
        "| kind | queries | right | accuracy | wrong confident |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for kind in (*KINDS, None):
        rows = [s for s in scored if kind is None or s.query["kind"] == kind]
        right = sum(s.right for s in rows)
        wrong = sum(s.wrong_confident for s in rows)
        name = kind or "all"
        lines.append(f"| {name} | {len(rows)} | {right} | {right / len(rows):.1%} | {wrong} |")
    return "\n".join(lines)


def build_shipped_catalog() -> Catalog:
    result = load_cards(SHIPPED_CARDS)
    assert result.ok, [str(e) for e in result.errors]
    return Catalog.build(result.cards)


@pytest.fixture(scope="module")
def scored(shipped_catalog: Catalog) -> list[Scored]:
    results = score(shipped_catalog, load_queries())
    print("\nFan-side queries over the shipped cards:\n" + table(results))
    return results


def test_the_fan_query_set_is_large_well_formed_and_names_real_ids(
    shipped_catalog: Catalog,
) -> None:
    queries = load_queries()
    catalog = shipped_catalog
    assert len(queries) >= 100
    kinds = Counter(q["kind"] for q in queries)
    assert set(kinds) == set(KINDS) and min(kinds.values()) >= 25, kinds
    seen = set()
    for query in queries:
        command = query.get("command", "drama")
        assert command in {"drama", "actor"}, query
        assert len([k for k in EXPECTATIONS if k in query]) == 1, f"one expected answer: {query}"
        assert (command, query["q"]) not in seen, f"asked twice: {query}"
        seen.add((command, query["q"]))
        known = catalog.actors if command == "actor" else catalog.cards
        named = [query.get("card"), query.get("offer"), *query.get("candidates", [])]
        for id_ in filter(None, named):
            assert id_ in known, f"{query}: no {command} {id_!r} in the shipped cards"
    # every kind has questions where any confident answer would be wrong
    for kind in KINDS:
        negatives = [q for q in queries if q["kind"] == kind and ("unsure" in q or "none" in q)]
        assert len(negatives) >= 2, kind


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_answered_right_at_least_95_percent(kind: str, scored: list[Scored]) -> None:
    rows = [s for s in scored if s.query["kind"] == kind]
    accuracy = sum(s.right for s in rows) / len(rows)
    misses = "\n".join(str(s) for s in rows if not s.right)
    assert accuracy >= FLOOR, f"{kind}: {accuracy:.1%} right\n{table(scored)}\nmisses:\n{misses}"


def test_no_fan_query_gets_a_confident_answer_about_the_wrong_drama_or_person(
    scored: list[Scored],
) -> None:
    wrong = [str(s) for s in scored if s.wrong_confident]
    assert wrong == [], f"{len(wrong)} wrong confident answers\n{table(scored)}\n" + "\n".join(
        wrong
    )


if __name__ == "__main__":
    print(table(score(build_shipped_catalog(), load_queries())))
