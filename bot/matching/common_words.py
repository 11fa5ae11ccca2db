"""How common an English word is: one everyday word ("Mother", "Big") names no drama by itself.

Frequencies come from ``wordfreq`` on its Zipf scale (log10 of uses per billion words: 6 is
once per thousand words, 5 once per ten thousand). Its word list is loaded on first use, about
a tenth of a second; :func:`warm` does that ahead of time, off the event loop.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

# A word of a title, alone, names it only when it is rarer than Zipf 3.35 (about the 18,000
# commonest English words; 3.9 and 8,400 words before QA round 4): "moonlight" (3.6), "reborn"
# (3.39), "pyramid" (3.75), "descendants" (3.7), "mother" (5.2), "hometown" (3.91: Hometown is a
# drama of its own, not Hometown Cha-Cha-Cha), "nirvana" (3.37) are part of many titles and of
# other dramas' titles; "typewriter" (3.26), "alchemy" (3.2), "nokdu" (0) still name theirs.
# The line is drawn just under QA's rarest example, "reborn"; on the held-out set (written by a
# colleague who had not seen the matcher) fans do type one rare word of a title alone.
# "mister" (3.6) is handled as a spelling of "mr".
COMMON_ZIPF = 3.35
# An alias that is one word this common names no drama by itself either, though it is the
# whole alias: "Monster" (4.5; Beyond Evil's Korean title, and another drama of 2016),
# "Casino" (4.2). Rarer one-word aliases still do: "Goblin" (3.3), "Startup" (3.8).
EVERYDAY_ZIPF = 3.9


@functools.cache
def _zipf() -> Callable[[str], float]:
    from wordfreq import zipf_frequency  # imported on first use: ~0.15 s of start-up

    @functools.lru_cache(maxsize=4096)
    def zipf(word: str) -> float:
        return float(zipf_frequency(word, "en", wordlist="small"))

    return zipf


def _hangul_modifier(word: str) -> bool:
    """A Hangul word ending in the particle 의 ("of", "'s"): 사랑의 ("of love"), 눈물의 ("of
    tears"), 나의 ("my") only say what the rest of a title is of."""
    return len(word) >= 2 and word.endswith("의") and all("\uac00" <= ch <= "\ud7a3" for ch in word)


def is_common(word: str) -> bool:
    """Whether a folded word is an everyday English word, or a Hangul word ending in the
    particle 의 (see :func:`_hangul_modifier`). Other Korean words are not looked up (wordfreq
    needs MeCab for Korean), so they are not common."""
    if _hangul_modifier(word):
        return True
    if not (word.isascii() and word.isalpha()):
        return False
    return _zipf()(word) >= COMMON_ZIPF


# A word at Zipf 2.6 or above in wordfreq's large list (about 45,000 words) is a word people
# write on purpose, not a typo: "gory" (2.98), "heiress" (3.07), "sars" (2.99). Typos are rarer
# ("yuo" 1.87, "glroy", "vincezo" 0), though common misspellings and foreign words sit just
# under the line: "descendents" (2.56), "lune" (2.51).
KNOWN_ZIPF = 2.6


@functools.cache
def _known() -> frozenset[str]:
    """The words at :data:`KNOWN_ZIPF` or above (about 45,000, a set of 4 MB). wordfreq's large
    list is a gzipped msgpack array of a header and then bins of words, one per centibel of
    frequency, commonest first (its documented "cBpack" format): read bin by bin and stopped at
    the line, so the rare tail (most of its 25 MB once loaded) is never built."""
    import gzip

    import msgpack
    import wordfreq

    last = round((9.0 - KNOWN_ZIPF) * 100)  # bin n holds the words at Zipf 9 - n / 100
    known: set[str] = set()
    with gzip.open(Path(wordfreq.DATA_PATH) / "large_en.msgpack.gz", "rb") as packed:
        unpacker = msgpack.Unpacker(packed, raw=False)
        size = unpacker.read_array_header()
        header = unpacker.unpack()
        if not isinstance(header, dict) or header.get("format") != "cB":
            raise ValueError(f"wordfreq's large English list has an unknown header: {header!r}")
        for _ in range(min(size - 1, last)):
            known.update(word for word in unpacker.unpack() if word.isalpha())
    return frozenset(known)


def is_word(word: str) -> bool:
    """Whether a folded Latin-letter word is a real English word, written on purpose rather
    than mistyped ("sister", "gory"; not "glroy")."""
    return word.isascii() and word.isalpha() and word in _known()


def is_everyday(word: str) -> bool:
    """Whether a folded Latin-letter word is among the commonest (:data:`EVERYDAY_ZIPF`)."""
    return word.isascii() and word.isalpha() and _zipf()(word) >= EVERYDAY_ZIPF


def warm() -> None:
    """Load the word lists now (index builds call this, so no query waits for them)."""
    is_common("the")
    is_word("the")
