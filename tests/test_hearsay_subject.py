"""A sentence that names a title we have and goes on with "is …" up to a second "is" with
nothing joining the two ("my friend said my name is kim sam soon is good") is about a longer
title, one we may lack ("My Name Is Kim Sam-soon"): the drama we have is offered, never
answered. A second "is" asking about a pronoun ("…, is it?") or after a joining word ("… and
it is on disney") leaves the answer as it was. Through ``drama-bot ask --json`` on the
shipped cards."""

from __future__ import annotations

import json

import pytest

from tests.test_cli import drama_bot

#: (line, the drama offered but not answered)
LONGER_SUBJECT = [
    ("/drama my friend said my name is kim sam soon is good", "my-name"),
    ("/stream someone said my name is kim sam soon is on netflix", "my-name"),
    ("/rating i heard my name is kim sam soon was a classic", "my-name"),
]
#: (line, the drama answered): one clause, a tag question, or clauses joined.
ANSWERED = [
    ("/drama i heard my name is great", "my-name"),
    ("/drama my friend said moving is on disney plus, is it?", "moving"),
    ("/drama my friend said moving is the best and it is on disney", "moving"),
    ("/drama i heard kingdom has zombies", "kingdom"),
    ("/drama someone said signal is a thriller that is hard to stop", "signal"),
]


def _asked(lines: list[str]) -> list[dict[str, object]]:
    done = drama_bot("ask", "--json", stdin="\n".join(lines) + "\n")
    return [json.loads(line) for line in done.stdout.splitlines()]


@pytest.fixture(scope="module")
def answers() -> dict[str, dict[str, object]]:
    lines = [line for line, _ in LONGER_SUBJECT + ANSWERED]
    return dict(zip(lines, _asked(lines), strict=True))


@pytest.mark.parametrize(("line", "slug"), LONGER_SUBJECT, ids=[x for x, _ in LONGER_SUBJECT])
def test_a_subject_going_on_past_the_title_is_offered_not_answered(
    answers: dict[str, dict[str, object]], line: str, slug: str
) -> None:
    answer = answers[line]
    assert answer["card"] is None
    assert slug in answer["candidates"]


@pytest.mark.parametrize(("line", "slug"), ANSWERED, ids=[x for x, _ in ANSWERED])
def test_one_clause_about_the_title_is_still_answered(
    answers: dict[str, dict[str, object]], line: str, slug: str
) -> None:
    assert answers[line]["card"] == slug
