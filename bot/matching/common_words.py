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


def warm() -> None:
    """Load the word list now (index builds call this, so no query waits for it)."""
    is_common("the")
