"""An option the command does not have (QA round 4, F2.5): ``/drama run on year:2020`` is a
usage error naming the option and the command's own options, in the reader's language; the
option's text is never searched for as a title. Words with a colon that name no option
(``Re:Zero``) stay part of the title."""

from __future__ import annotations

import json

from bot.answering.answers import answer
from bot.answering.commands import COMMANDS, Invocation
from bot.answering.render import render
from bot.catalog.snapshot import Catalog
from tests.test_cli import drama_bot

LINES = {
    "/drama run on year:2020": "/drama has no option year: (its options: title).",
    "/cast the glory Genre:thriller": "/cast has no option Genre: (its options: title).",
    "/stream run on by:community region:KR": (
        "/stream has no option by: (its options: title, region)."
    ),
    "/actor kim soo hyun title:queen of tears": "/actor has no option title: (its options: name).",
    "/drama run on 연도:2020": "/drama has no option 연도: (its options: title).",
}


def _records(*args: str, stdin: str) -> tuple[int, list[dict[str, object]]]:
    done = drama_bot("ask", "--json", "--quiet", *args, stdin=stdin)
    return done.returncode, [json.loads(line) for line in done.stdout.splitlines()]


def test_an_option_the_command_does_not_have_is_named_not_searched() -> None:
    status, records = _records(stdin="".join(f"{line}\n" for line in LINES))
    assert status == 2
    assert [r["command"] for r in records] == list(LINES)
    for record in records:
        assert record["card"] is None and record["candidates"] == []
        message = record["message"]
        assert message["content"] == LINES[record["command"]]  # type: ignore[index]
        assert message["flags"] == 64  # type: ignore[index]


def test_the_refusal_is_in_the_readers_language() -> None:
    status, (record,) = _records("--locale", "ko", stdin="/드라마 run on year:2020\n")
    assert status == 2
    assert record["message"]["content"] == "/드라마 명령어에는 year: 옵션이 없어요. 옵션: 제목"  # type: ignore[index]


def test_a_colon_that_names_no_option_stays_in_the_title() -> None:
    lines = "/drama Re:Zero\n/stream run on region:KR\n/drama call me by your name: part 2\n"
    status, records = _records(stdin=lines)
    assert status == 0
    assert records[2]["message"]["content"].startswith(  # type: ignore[index]
        "No drama called “call me by your name: part 2”"
    )
    assert records[0]["message"]["content"].startswith("No drama called “Re:Zero”")  # type: ignore[index]
    assert records[1]["card"] == "run-on"


def test_an_option_typed_into_discords_title_field_is_named_not_searched(
    shipped_catalog: Catalog,
) -> None:
    """In Discord, ``/drama title: run on year:2020`` sends the title "run on year:2020"."""
    for name, value, option, options in [
        ("drama", "run on year:2020", "year", "title"),
        ("stream", "the glory genre:thriller", "genre", "title, region"),
        ("actor", "iu title:hotel del luna", "title", "name"),
    ]:
        first = COMMANDS[name].options[0].name
        result = answer(shipped_catalog, Invocation(name, {first: value}))
        payload = render(result, 1, "en")
        assert result.card_slug is None and not result.candidate_ids
        assert payload["content"] == f"/{name} has no option {option}: (its options: {options})."
        assert payload["flags"] == 64
    korean = render(
        answer(shipped_catalog, Invocation("drama", {"title": "런온 연도:2020"})), 1, "ko"
    )
    assert korean["content"] == "/드라마 명령어에는 연도: 옵션이 없어요. 옵션: 제목"
