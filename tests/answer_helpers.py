"""Asking fan queries the two ways the matching tests do: through the answer layer (the call
``drama-bot ask`` and the Discord bot make), and through ``drama-bot ask --json`` with many
lines on stdin, one process for all of them."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.answering.answers import ActorAnswer, answer
from bot.answering.commands import parse_command_line
from bot.catalog.snapshot import Catalog
from tests.test_cli import drama_bot


def got(catalog: Catalog, line: str) -> tuple[str | None, tuple[str, ...]]:
    """(the card's slug or the actor's id of a confident answer, the ids a did-you-mean
    offers) for one command line."""
    result = answer(catalog, parse_command_line(line))
    if isinstance(result, ActorAnswer):
        return result.actor.id, ()
    return result.card_slug, tuple(result.candidate_ids)


def assert_did_you_mean(catalog: Catalog, line: str, offered: str) -> None:
    """``line`` gets no confident answer, and a did-you-mean that offers ``offered``."""
    slug, candidates = got(catalog, line)
    assert slug is None and offered in candidates, (line, slug, candidates)


def assert_offered(catalog: Catalog, line: str, offered: tuple[str, ...]) -> None:
    """``line`` gets no confident answer, and a did-you-mean that offers all of ``offered``."""
    slug, candidates = got(catalog, line)
    assert slug is None and set(offered) <= set(candidates), (line, slug, candidates)


def asked(*lines: str, locale: str | None = None) -> list[dict[str, Any]]:
    """The ``ask --json`` record of each line, in order, from one process."""
    args = ("--locale", locale) if locale else ()
    done = drama_bot("ask", "--json", *args, stdin="".join(f"{line}\n" for line in lines))
    assert done.returncode == 0, done.stderr
    records = [json.loads(out) for out in done.stdout.splitlines()]
    assert [r["command"] for r in records] == list(lines)
    return records


def said(record: dict[str, Any]) -> str:
    """Everything an ``ask --json`` record shows the reader, as one text."""
    message = record["message"]
    return message["content"] + json.dumps(message["embeds"], ensure_ascii=False)


def fan_line(row: dict[str, str]) -> str:
    """A fan-query fixture row's command line (``A5000`` at its end: 5,000 letters)."""
    line = row["line"]
    return line[: -len("A5000")] + "a" * 5000 if line.endswith("A5000") else line


def fan_records(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """The ``ask --json --quiet`` record of each fixture row, in order, from one process."""
    done = drama_bot("ask", "--json", "--quiet", stdin="".join(f"{fan_line(r)}\n" for r in rows))
    assert done.returncode == 0, done.stderr
    found = [json.loads(row) for row in done.stdout.splitlines()]
    assert len(found) == len(rows)
    return found


def assert_fan_outcome(row: dict[str, str], record: dict[str, Any]) -> None:
    """A fixture row's judged outcome (``want``: ``=slug`` answered, ``?a,b`` a did-you-mean
    offering them, ``~slug`` either, ``!`` no confident answer, ``0`` nothing found, ``@title``
    an embed so titled, ``*`` any reply), and whatever the outcome no ping and Discord's sizes."""
    message = record["message"]
    assert message["allowed_mentions"]["parse"] == []
    assert len(message["content"]) <= 2000
    for embed in message["embeds"]:
        assert len(embed.get("title", "")) <= 256 and len(embed.get("description", "")) <= 4096
    card, offered = record["card"], record["candidates"]
    want, arg = row["want"][0], row["want"][1:]
    if want == "=":
        assert card == arg, (row, card, offered)
    elif want == "?":
        assert card is None and set(arg.split(",")) <= set(offered), (row, card, offered)
    elif want == "~":
        assert card == arg or (card is None and arg in offered), (row, card, offered)
    elif want == "!":
        assert card is None, (row, card)
    elif want == "0":
        assert card is None and offered == [], (row, card, offered)
    elif want == "@":
        assert message["embeds"] and message["embeds"][0]["title"] == arg, (row, message)
    else:
        assert message["content"] or message["embeds"], row


#: PyYAML's safe loader on libyaml where PyYAML was built with it (its wheels are): the same
#: documents as ``yaml.safe_load`` at a tenth of the CPU. The fixtures are read at every
#: worker's collection (docs/testing.md, round 19: both loaders give equal data for each).
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(text: str) -> Any:
    """``yaml.safe_load(text)``, on libyaml when there is one (:data:`SAFE_LOADER`)."""
    return yaml.load(text, Loader=SAFE_LOADER)


@functools.cache
def _fixture_lines(path: Path) -> frozenset[str]:
    """The lines (lower-cased) of one fan-query fixture, read once a worker: each round's
    set test compares its lines with every other round's (the fixtures are in the checkout,
    which no test writes)."""
    return frozenset(
        row["line"].lower()
        for row in (read_yaml(path.read_text("utf-8")) or [])
        if isinstance(row, dict) and "line" in row
    )


def lines_elsewhere(fixture: Path, pattern: str) -> set[str]:
    """The lines (lower-cased) of every other fan-query fixture beside ``fixture`` whose name
    matches ``pattern``: a new round's questions must not repeat an earlier round's."""
    return {
        line
        for path in sorted(fixture.parent.glob(pattern))
        if path != fixture
        for line in _fixture_lines(path)
    }


def assert_fan_set(fixture: Path, rows: list[dict[str, str]], count: int, absent: int) -> None:
    """A fan-query fixture as its header documents it: ``count`` rows over every look-up
    command, each ``want`` well formed, at least ``absent`` about dramas or actors we do not
    have, and no line repeating itself or another round's (judged there)."""
    assert len(rows) == count
    looked_up = {"/drama", "/cast", "/stream", "/rating", "/similar", "/actor"}
    assert looked_up <= {r["line"].split()[0] for r in rows} <= looked_up | {"/browse"}
    assert all(re.fullmatch(r"[=?~!@].+|!", r["want"]) for r in rows)
    assert sum(r["want"] == "!" for r in rows) >= absent
    lines = [r["line"].lower() for r in rows]
    assert len(set(lines)) == len(lines)
    assert not lines_elsewhere(fixture, "*.yaml") & set(lines)


def fan_round(fixture: Path, count: int, absent: int) -> tuple[Any, Any, Any]:
    """A fan-query round's tests, for its module to name (round 16 on): the module-scoped
    ``records`` fixture (every row through one ``ask --json`` process), the test that the set
    is as its header documents it (:func:`assert_fan_set`), and one test per row
    (:func:`assert_fan_outcome`)."""
    rows: list[dict[str, str]] = read_yaml(fixture.read_text("utf-8"))

    @pytest.fixture(scope="module")
    def records() -> list[dict[str, Any]]:
        return fan_records(rows)

    def test_the_set_is_as_documented() -> None:
        assert_fan_set(fixture, rows, count, absent)

    @pytest.mark.parametrize("at", range(len(rows)), ids=[r["line"][:40] for r in rows])
    def test_fan_query(records: list[dict[str, Any]], at: int) -> None:
        assert_fan_outcome(rows[at], records[at])

    return records, test_the_set_is_as_documented, test_fan_query
