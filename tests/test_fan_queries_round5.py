"""Fan-side round 5 (branch polish6): 300 questions written from the fan's side over the
shipped cards (typos, Hangul, romanized Korean, abbreviations, pasted links, seasons, years,
actors in either name order, hostile text), each judged as a fan would, asked through
``drama-bot ask --json`` in one process. The outcomes are in
``tests/fixtures/fan_queries_round5.yaml`` (20 of them failed on 802e4ef: the misses this
branch fixed, each with a ``note``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.answer_helpers import assert_fan_outcome, fan_records, read_yaml

FIXTURE = Path(__file__).parent / "fixtures" / "fan_queries_round5.yaml"
ROWS: list[dict[str, str]] = read_yaml(FIXTURE.read_text("utf-8"))


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return fan_records(ROWS)


def test_the_set_is_as_documented() -> None:
    assert len(ROWS) == 300
    commands = {r["line"].split()[0] for r in ROWS}
    assert {"/drama", "/cast", "/stream", "/rating", "/similar", "/actor", "/top"} <= commands
    assert all(re.fullmatch(r"[=?~!0@*].*", r["want"]) for r in ROWS)


@pytest.mark.parametrize("at", range(len(ROWS)), ids=[r["line"][:40] for r in ROWS])
def test_fan_query(records: list[dict[str, Any]], at: int) -> None:
    row, record = ROWS[at], records[at]
    assert_fan_outcome(row, record)
