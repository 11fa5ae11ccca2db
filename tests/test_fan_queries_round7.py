"""Fan-side round 7 (branch polish7): 292 questions written from the fan's side over the
shipped cards before reading the matcher, most of them for /cast, /stream, /rating, /similar
and /actor (misspelt and Hangul actor names, seasons, "the one with ...", mixed case, emoji,
long pastes, a terminal's colour codes, links that carry only an id), each judged as a fan
would, asked through ``drama-bot ask --json`` in one process. The outcomes are in
``tests/fixtures/fan_queries_round7.yaml`` (16 of them failed on 9202b75: the misses this
branch fixed, each with a ``note``); no answer is confidently about the wrong drama."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.answer_helpers import assert_fan_outcome, fan_records, read_yaml

FIXTURE = Path(__file__).parent / "fixtures" / "fan_queries_round7.yaml"
ROWS: list[dict[str, str]] = read_yaml(FIXTURE.read_text("utf-8"))


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return fan_records(ROWS)


def test_the_set_is_as_documented() -> None:
    assert len(ROWS) == 292
    commands = [r["line"].split()[0] for r in ROWS]
    assert {"/drama", "/cast", "/stream", "/rating", "/similar", "/actor"} <= set(commands)
    assert commands.count("/drama") < 10  # the other commands are what this round is about
    assert all(re.fullmatch(r"[=?~!0@*].*", r["want"]) for r in ROWS)


@pytest.mark.parametrize("at", range(len(ROWS)), ids=[r["line"][:40] for r in ROWS])
def test_fan_query(records: list[dict[str, Any]], at: int) -> None:
    row, record = ROWS[at], records[at]
    assert_fan_outcome(row, record)
