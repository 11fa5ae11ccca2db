"""How common an English word is: one everyday word ("Mother", "Big") names no drama by itself.

Frequencies come from ``wordfreq``'s English lists on its Zipf scale (log10 of uses per
billion words: 6 is once per thousand words, 5 once per ten thousand). The lists are read on
first use, only as far down as a line below needs; :func:`warm` does that ahead of time, off
the event loop. wordfreq itself is not imported: its import (ftfy, langcodes, regex) was a
fifth of the CPU of a ``drama-bot ask``, for a lookup of one lower-case word in one list.
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import math
from collections.abc import Callable, Iterator
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


def _wordlist_bins(name: str) -> Iterator[list[str]]:
    """The bins of wordfreq's list ``name`` (``small_en``, ``large_en``), commonest first: its
    documented "cBpack" format, a gzipped msgpack array of a header and then one list of words
    per centibel of frequency (bin n: the words used 10 ** (-n / 100) of the time)."""
    import msgpack

    spec = importlib.util.find_spec("wordfreq")  # where it is installed, without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("wordfreq is not installed", name="wordfreq")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / f"{name}.msgpack.gz"
    with gzip.open(path, "rb") as packed:
        unpacker = msgpack.Unpacker(packed, raw=False)
        size = unpacker.read_array_header()
        header = unpacker.unpack()
        if not isinstance(header, dict) or header.get("format") != "cB":
            raise ValueError(f"wordfreq's {name} list has an unknown header: {header!r}")
        for _ in range(size - 1):
            yield unpacker.unpack()


def _bin_zipf(n: int) -> float:
    """The Zipf value wordfreq's ``zipf_frequency`` gives a one-word query found in bin ``n``,
    computed as it does (its frequency rounded to three significant digits, then the Zipf
    value to two decimals), so the lines below fall between the same words."""
    frequency = 1.0 / (1.0 / 10 ** (-n / 100))
    frequency = round(frequency, math.floor(-math.log(frequency, 10)) + 3)
    return round(math.log(frequency, 10) + 9, 2)


@functools.cache
def _zipf() -> Callable[[str], float]:
    """The Zipf value of a lower-case Latin-letter word in wordfreq's small English list (0
    for a word it does not hold), known down to :data:`COMMON_ZIPF`: below that no line here
    tells words apart, so rarer words are read as 0 too."""
    values: dict[str, float] = {}
    for n, words in enumerate(_wordlist_bins("small_en")):
        value = _bin_zipf(n)
        if value < COMMON_ZIPF:
            break
        values.update((word, value) for word in words)

    def zipf(word: str) -> float:
        return values.get(word.lower(), 0.0)

    return zipf


def loaded() -> bool:
    """Whether this process has read the word lists (:func:`warm`, or a first lookup)."""
    return _zipf.cache_info().currsize > 0 or _known.cache_info().currsize > 0


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
    last = round((9.0 - KNOWN_ZIPF) * 100)  # bin n holds the words at Zipf 9 - n / 100
    known: set[str] = set()
    for n, words in enumerate(_wordlist_bins("large_en")):
        if n >= last:
            break
        known.update(word for word in words if word.isalpha())
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
