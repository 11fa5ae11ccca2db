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
    shown = payload_to_text(message(escape("see <t:0:R>") + " <t:86400:R>"), now=86410)
    assert shown == "see <t:0:R> 10 seconds ago"
    shown = payload_to_text(message(escape("see <t:0:f>") + " <t:86400:f>"))
    assert shown == "see <t:0:f> 1970-01-02 00:00 UTC"


def test_relative_timestamps_read_as_a_count_in_text() -> None:
    """``<t:…:R>`` is Discord's "in 10 seconds" / "2 hours ago"; a terminal gets the same
    count (seconds for a short wait, not a clock time rounded to the minute)."""

    def shown(seconds: int, now: float, locale: str | None = None) -> str:
        return payload_to_text({"content": f"Try again <t:{seconds}:R>."}, locale, now=now)

    at = 1_795_000_000
    assert shown(at + 10, at) == "Try again in 10 seconds."
    assert shown(at + 1, at + 0.4) == "Try again in 1 second."
    assert shown(at - 45, at) == "Try again 45 seconds ago."
    assert shown(at + 600, at) == "Try again in 10 minutes."
    assert shown(at - 3 * 3600, at) == "Try again 3 hours ago."
    assert shown(at - 4 * 86400, at) == "Try again 4 days ago."
    korean = {"content": f"<t:{at + 10}:R> 다시 해 보세요."}
    assert payload_to_text(korean, "ko", now=at) == "10초 후 다시 해 보세요."
    assert shown(at - 7200, at, "ko") == "Try again 2시간 전."
    # Other styles are a date and time, as before.
    fixed = payload_to_text({"content": f"<t:{at}:f>"}, now=at)
    assert fixed == "2026-11-18 11:06 UTC"
