"""Fan-side round 8 (branch polish8): 261 questions written from the fan's side over the
shipped cards before reading the matcher, most of them for /similar and /actor (seasons named
every way, "season 2 of ...", years, an actor's name typed with one of their dramas, question
sentences, Hangul with and without spaces, romanized Korean, nicknames, very short queries,
emoji, quotes and brackets), each judged as a fan would, asked through ``drama-bot ask
--json`` in one process. The outcomes are in ``tests/fixtures/fan_queries_round8.yaml`` (the
ones this branch changed carry a ``note`` with what main answered before); no answer is
confidently about the wrong drama or the wrong actor."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.answer_helpers import assert_fan_outcome, fan_records, lines_elsewhere, read_yaml

FIXTURE = Path(__file__).parent / "fixtures" / "fan_queries_round8.yaml"
ROWS: list[dict[str, str]] = read_yaml(FIXTURE.read_text("utf-8"))


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return fan_records(ROWS)


def test_the_set_is_as_documented() -> None:
    assert len(ROWS) == 261
    commands = [r["line"].split()[0] for r in ROWS]
    assert commands.count("/similar") + commands.count("/actor") > 0.85 * len(ROWS)
    assert all(re.fullmatch(r"[=?~!0@*].*", r["want"]) for r in ROWS)


def test_no_line_repeats_an_earlier_round() -> None:
    earlier = lines_elsewhere(FIXTURE, "fan_queries*.yaml")
    lines = [r["line"].lower() for r in ROWS]
    assert len(set(lines)) == len(lines) and not earlier & set(lines)


@pytest.mark.parametrize("at", range(len(ROWS)), ids=[r["line"][:40] for r in ROWS])
def test_fan_query(records: list[dict[str, Any]], at: int) -> None:
    row, record = ROWS[at], records[at]
    assert_fan_outcome(row, record)
