"""Asking fan queries the two ways the matching tests do: through the answer layer (the call
``drama-bot ask`` and the Discord bot make), and through ``drama-bot ask --json`` with many
lines on stdin, one process for all of them."""

from __future__ import annotations

import json
from typing import Any

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


def asked(*lines: str, locale: str | None = None) -> list[dict[str, Any]]:
    """The ``ask --json`` record of each line, in order, from one process."""
    args = ("--locale", locale) if locale else ()
    done = drama_bot("ask", "--json", *args, stdin="".join(f"{line}\n" for line in lines))
    assert done.returncode == 0, done.stderr
    records = [json.loads(out) for out in done.stdout.splitlines()]
    assert [r["command"] for r in records] == list(lines)
    return records
