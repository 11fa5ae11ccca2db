"""What the user typed comes back whole: a mention at either end of a query keeps both its
brackets (escaped, so it neither pings nor renders), and a byte order mark never reaches the
``command`` field of ``ask --json``."""

from __future__ import annotations

import json
import re

import pytest

from bot.answering.plain_text import payload_to_text
from tests.test_cli import drama_bot

# (command line, the query the not-found/did-you-mean sentence must quote, exactly)
MENTION_QUERIES = [
    ("/drama <@123> xyz", "<@123> xyz"),
    ("/drama xyz <@!123>", "xyz <@!123>"),
    ("/cast <#456> nothing here", "<#456> nothing here"),
    ("/similar <@&789>zz", "<@&789>zz"),
    ("/actor <@123> nobody", "<@123> nobody"),
    ('/drama "<@123> xyz"', "<@123> xyz"),  # the quotes around it go, the brackets stay
    ("/drama reply <@1>", "reply <@1>"),  # a did-you-mean quotes it whole too
    ("/actor <@1> kim", "<@1> kim"),
]


@pytest.mark.parametrize(("line", "echoed"), MENTION_QUERIES)
def test_a_mention_in_a_query_is_echoed_whole_and_defused(line: str, echoed: str) -> None:
    done = drama_bot("ask", "--json", "--quiet", line)
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    content = record["message"]["content"]
    assert "<@1" not in content and "<#4" not in content  # escaped: never a live mention
    assert record["message"]["allowed_mentions"]["parse"] == []
    # read back as a person sees it: every character they typed, brackets included
    assert f"“{echoed}”" in payload_to_text(record["message"])


def test_a_byte_order_mark_is_not_echoed_in_the_command_field() -> None:
    lines = "\ufeff/drama run on\n/drama \ufeffrun on\n"
    done = drama_bot("ask", "--json", "--quiet", stdin=lines)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["command"] for r in records] == ["/drama run on", "/drama run on"]
    assert [r["card"] for r in records] == ["run-on", "run-on"]
    done = drama_bot("ask", "--json", "--quiet", "\ufeff/drama run on")
    assert json.loads(done.stdout)["command"] == "/drama run on"


# (command line, the query as a person reads it back: what they typed, never half-stripped)
MARKUP_QUERIES = [
    ("/drama **bold** glory", "**bold** glory"),
    ("/drama ~~x~~ y", "~~x~~ y"),
    ("/drama > quote", "> quote"),
    ("/drama <script>alert(1)</script>", "<script>alert(1)</script>"),
    ("/drama __under__ way", "__under__ way"),
    ("/cast `code` here", "`code` here"),
    ("/actor ||spoiler|| name", "||spoiler|| name"),
    ('/drama "run away"', "run away"),  # a pair wrapping the whole query is no part of it
    ("/drama **run away**", "run away"),
    ("/drama <run away>", "run away"),
]


def test_markup_in_a_query_is_echoed_whole_and_escaped_as_a_whole() -> None:
    lines = "".join(f"{line}\n" for line, _ in MARKUP_QUERIES)
    done = drama_bot("ask", "--json", "--quiet", stdin=lines)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(records) == len(MARKUP_QUERIES)
    for record, (line, echoed) in zip(records, MARKUP_QUERIES, strict=True):
        content = record["message"]["content"]
        seen = payload_to_text(record["message"])
        assert f"“{echoed}”" in seen, (line, seen)
        # as Discord renders it: every markdown character of the echo escaped, none live
        quoted = content[content.index("“") + 1 : content.index("”")]
        assert re.sub(r"\\(.)", "", quoted) == re.sub(r"[*_~`|<>]", "", echoed), (line, quoted)
