"""ASCII text is folded byte-wise in C (``fold``, ``name_key``): exactly what the general,
regular-expression steps give on it, character by character and on any ASCII string."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.matching.folding import MAX_QUERY_CHARS, compact, fold, initials
from bot.text import name_key

EVERY_ASCII = "".join(map(chr, range(128)))
ASCII_TEXT = st.text(alphabet=st.characters(max_codepoint=127), max_size=60)
# Mostly the characters folding treats specially, so runs and ends of them are common.
WORDS = st.sampled_from(["Run", "on", "ëlan", "사랑", "Ｘ", "&", "-", "'s", "9"])
TRICKY = st.text(alphabet=st.sampled_from("aZ9 _-&'`.\t\n\x00\x1c\x1f\x7f,"), max_size=30)


def _folded_by_regex(text: str) -> str:
    """The general steps of ``fold`` on ASCII text, as written before the byte-wise path."""
    text = text[: MAX_QUERY_CHARS * 2]
    text = text.lower().translate(str.maketrans("", "", "'’‘`´")).replace("&", " and ")
    return " ".join(re.split(r"[\W_]+", text)).strip()


def _name_key_by_regex(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", name.lower())


@settings(max_examples=300, deadline=None)
@given(st.one_of(ASCII_TEXT, TRICKY))
@example(EVERY_ASCII)
@example(EVERY_ASCII[::-1])
@example("  Love & War  ")
@example("It's `Okay`")
@example("&&")
@example("x" * (MAX_QUERY_CHARS * 2 + 5) + " Tail")
def test_ascii_fold_is_the_regex_fold(text: str) -> None:
    assert fold(text) == _folded_by_regex(text)
    assert compact(text) == _folded_by_regex(text).replace(" ", "")
    assert name_key(text) == _name_key_by_regex(text)


def test_every_ascii_character_alone_and_between_letters() -> None:
    for char in EVERY_ASCII:
        for text in (char, f"a{char}b", f"{char}{char}Ab{char}"):
            assert fold(text) == _folded_by_regex(text), repr(text)
            assert name_key(text) == _name_key_by_regex(text), repr(text)


def test_non_ascii_text_keeps_its_own_folding() -> None:
    assert fold("Café & Bar’s") == "cafe and bars"
    assert name_key("Café-Bar’s") == "cafebars"
    assert name_key("Ｒｕｎ－Ｏｎ") == "runon"


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, max_size=6))
def test_initials_are_every_words_first_letter_when_all_are_ascii(words: list[str]) -> None:
    text = " ".join(words)
    folded = fold(text).split()
    expected = (
        "".join(w[0] for w in folded)
        if len(folded) >= 3 and all(w[0].isascii() for w in folded)
        else ""
    )
    assert initials(text) == expected
    assert initials("Crash Landing on You") == "cloy"
