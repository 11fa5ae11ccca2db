"""How common an English word is: one everyday word ("Mother", "Big") names no drama by itself.

Frequencies come from ``wordfreq`` on its Zipf scale (log10 of uses per billion words: 6 is
once per thousand words, 5 once per ten thousand). Its word list is loaded on first use, about
a tenth of a second; :func:`warm` does that ahead of time, off the event loop.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

# Zipf 5 and above, about the 1,500 commonest words: "mother" (5.2), "big" (5.7), "summer"
# (5.2), "home" (5.8). Below it, words fans use for a title on its own: "chicago" (4.8, Chicago
# Typewriter), "cheese" (4.6), "sunshine" (4.2), "penthouse" (3.3), "nokdu" (0).
COMMON_ZIPF = 5.0


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


def warm() -> None:
    """Load the word list now (index builds call this, so no query waits for it)."""
    is_common("the")
