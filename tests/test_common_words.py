"""The common-words lines read wordfreq's lists themselves (bot/matching/common_words.py): a word
is common, everyday or a known word exactly when wordfreq's own ``zipf_frequency`` says so."""

from __future__ import annotations

import random
import string

import pytest
from wordfreq import iter_wordlist, zipf_frequency

from bot.matching import common_words


def words() -> list[str]:
    """Every Latin-letter word of wordfreq's small English list, some in capitals, and strings
    of letters that are mostly no word at all."""
    listed = [w for w in iter_wordlist("en", "small") if w.isascii() and w.isalpha()]
    rng = random.Random(3)
    made = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(1, 8))) for _ in range(3000)]
    return [*listed, *(w.upper() for w in listed[::50]), *(w.title() for w in listed[1::50]), *made]


def test_common_and_everyday_words_are_wordfreqs() -> None:
    wrong = []
    for word in words():
        zipf = zipf_frequency(word, "en", wordlist="small")
        said = (common_words.is_common(word), common_words.is_everyday(word))
        if said != (zipf >= common_words.COMMON_ZIPF, zipf >= common_words.EVERYDAY_ZIPF):
            wrong.append((word, zipf, said))
    assert wrong == []


@pytest.mark.parametrize(
    ("word", "known"), [("gory", True), ("heiress", True), ("glroy", False), ("lune", False)]
)
def test_known_words_are_read_from_the_large_list(word: str, known: bool) -> None:
    assert common_words.is_word(word) is known
