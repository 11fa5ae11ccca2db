"""How common an English word is: one everyday word ("Mother", "Big") names no drama by itself.

Frequencies come from ``wordfreq`` on its Zipf scale (log10 of uses per billion words: 6 is
once per thousand words, 5 once per ten thousand). Its word list is loaded on first use, about
a tenth of a second; :func:`warm` does that ahead of time, off the event loop.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

# Zipf 3.9 and above, about the 8,400 commonest words: "mother" (5.2), "big" (5.7), "evil"
# (4.7), "chicago" (4.8), "sunshine" (4.2), "hometown" (3.91: Hometown is a drama of its own,
# not Hometown Cha-Cha-Cha). Below it, words that name their title alone: "doom" (3.8),
# "descendants" (3.7), "penthouse" (3.3), "typewriter" (3.3), "nokdu" (0). The line is drawn
# just under "hometown", QA's example; "mister" (3.6) is handled as a spelling of "mr".
COMMON_ZIPF = 3.9


@functools.cache
def _zipf() -> Callable[[str], float]:
    from wordfreq import zipf_frequency  # imported on first use: ~0.15 s of start-up

    @functools.lru_cache(maxsize=4096)
    def zipf(word: str) -> float:
        return float(zipf_frequency(word, "en", wordlist="small"))

    return zipf


def is_common(word: str) -> bool:
    """Whether a folded word is an everyday English word. Only Latin letters are looked up
    (wordfreq needs MeCab for Korean); anything else is not common."""
    if not (word.isascii() and word.isalpha()):
        return False
    return _zipf()(word) >= COMMON_ZIPF


# A word at Zipf 2.5 or above in wordfreq's large list (about 53,000 words) is a word people
# write on purpose, not a typo: "gory" (2.98), "heiress" (3.07), "hellboy" (2.58); typos are
# rarer ("yuo" 1.87, "glroy", "vincezo" 0).
KNOWN_ZIPF = 2.5


@functools.cache
def _known() -> frozenset[str]:
    """The words at :data:`KNOWN_ZIPF` or above, kept as a set (about 4 MB); wordfreq's own
    large list (about 25 MB) is dropped again once they are read from it."""
    from wordfreq import get_frequency_list

    # The list is in bins of one centibel: bin n holds the words at Zipf 9 - n / 100.
    last = round((9.0 - KNOWN_ZIPF) * 100)
    bins = get_frequency_list("en", "large")
    known = frozenset(word for words in bins[:last] for word in words if word.isalpha())
    get_frequency_list.cache_clear()
    return known


def is_word(word: str) -> bool:
    """Whether a folded Latin-letter word is a real English word, written on purpose rather
    than mistyped ("sister", "gory"; not "glroy")."""
    return word.isascii() and word.isalpha() and word in _known()


def warm() -> None:
    """Load the word lists now (index builds call this, so no query waits for them)."""
    is_common("the")
    is_word("the")
