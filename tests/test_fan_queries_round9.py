"""Fan-side round 9 (branch polish9): 503 questions for every command, written from the fan's
side over the shipped cards before reading the matcher (typos, romanizations, Hangul, partial
titles, years, seasons and episode words, sequels and English titles we do not have, actors'
names in several spellings and orders, chat spellings such as "u" and "r", emoji, questions),
each judged as a fan would and asked through ``drama-bot ask --json`` in one process. The
outcomes are in ``tests/fixtures/fan_queries_round9.yaml`` (the ones this branch changed carry
a ``note`` with what main answered before); no answer is confidently about the wrong drama
or the wrong actor."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.answer_helpers import assert_fan_outcome, fan_records, lines_elsewhere, read_yaml

FIXTURE = Path(__file__).parent / "fixtures" / "fan_queries_round9.yaml"
ROWS: list[dict[str, str]] = read_yaml(FIXTURE.read_text("utf-8"))


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return fan_records(ROWS)


def test_the_set_is_as_documented() -> None:
    assert len(ROWS) == 503
    commands = {r["line"].split()[0] for r in ROWS}
    assert commands == {"/drama", "/cast", "/stream", "/rating", "/similar", "/actor"}
    assert all(re.fullmatch(r"[=?~!0@*].*", r["want"]) for r in ROWS)
    # titles we do not have are part of the set, and must not be answered
    assert sum(r["want"] == "!" for r in ROWS) >= 50


def test_no_line_repeats_an_earlier_round() -> None:
    earlier = lines_elsewhere(FIXTURE, "*.yaml")
    lines = [r["line"].lower() for r in ROWS]
    assert len(set(lines)) == len(lines) and not earlier & set(lines)


@pytest.mark.parametrize("at", range(len(ROWS)), ids=[r["line"][:40] for r in ROWS])
def test_fan_query(records: list[dict[str, Any]], at: int) -> None:
    row, record = ROWS[at], records[at]
    assert_fan_outcome(row, record)
