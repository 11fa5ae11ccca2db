"""Users' text shown back: escaped for Discord, read back by `ask` without losing a character,
and never carrying control or bidirectional characters. Property-based (hypothesis)."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.answering.answers import NotFound, Subject
from bot.answering.plain_text import payload_to_text
from bot.answering.render import QUERY_ECHO_LIMIT, escape, message, render
from bot.text import UNSAFE_CHARS, without_unsafe_chars

NOT_FOUND_HEAD = "(only you can see this)\nNo drama called “"
NOT_FOUND_TAIL = "” in the catalog. Try /drama and pick a title from the list as you type."
MARKDOWNISH = st.text(alphabet=st.sampled_from("*_~`|[]<>#@\\-+.1 \n:)(aZ\u200b"), max_size=40)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=300), MARKDOWNISH))
@example("**bold** and __under__")
@example("a\u200bb @\u200beveryone")
@example("1. first\n- second\n+ third\n> quote")
@example("¯\\_(ツ)_/¯ \\*not bold\\*")
def test_escaped_text_reads_back_exactly(text: str) -> None:
    """What `ask` prints is exactly the text that was escaped for Discord."""
    assert payload_to_text(message(escape(text))) == text


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=300), MARKDOWNISH))
@example("**Run On**")
@example("run\u202eno \x1b[31m red \x85 \udcff")
@example("<@123> @everyone [x](https://evil.example)")
def test_an_echoed_query_is_clean_and_loses_no_character(query: str) -> None:
    payload = render(NotFound("drama", query, Subject.DRAMA), 1)
    assert not UNSAFE_CHARS.search(payload["content"])
    assert not re.search(r"(?<!\\)(<@|\]\()", payload["content"])  # no mention, no masked link
    shown = payload_to_text(payload)
    assert shown.startswith(NOT_FOUND_HEAD) and shown.endswith(NOT_FOUND_TAIL)
    echoed = shown[len(NOT_FOUND_HEAD) : -len(NOT_FOUND_TAIL)]
    cleaned = " ".join(without_unsafe_chars(query).split())
    if len(cleaned) <= QUERY_ECHO_LIMIT:
        assert echoed == cleaned
    else:
        assert echoed.endswith("…") and cleaned.startswith(echoed[:-1])
        assert len(echoed) <= QUERY_ECHO_LIMIT


def test_line_starts_are_escaped_the_way_discord_reads_them() -> None:
    """Discord (like CommonMark) only drops a backslash before punctuation: a numbered line
    is escaped at its dot (``1\\.``), never as ``\\1.``, which would show the backslash."""
    assert escape("1. first\n- second\n+ third") == "1\\. first\n\\- second\n\\+ third"


def test_a_timestamp_someone_typed_is_not_turned_into_a_date() -> None:
    shown = payload_to_text(message(escape("see <t:0:R>") + " <t:86400:R>"))
    assert shown == "see <t:0:R> 1970-01-02 00:00 UTC"
