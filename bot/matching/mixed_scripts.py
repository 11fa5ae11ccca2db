"""Queries typed half in Hangul, half in Latin letters (fan pass 16): "현bin", "kim 수현",
"the 글로리", "더 glory". A phone's keyboard switches between scripts in the middle of a
name; each half is some spelling of the name, neither alone is.

* A person's name: each Hangul syllable of a Korean name is one romanized word of it
  (현빈, Hyun Bin), so the Hangul syllables are written out in Revised Romanization, each a
  word ("현bin" -> "hyeon bin"), and the name is looked up exactly among the accepted
  spellings (``people.spelling_key`` makes "hyeon" and "hyun" one).
* A title: the start of one of a drama's names in one script and the end of another in the
  other ("the 글로리": The Glory's "the" and 더 글로리's "글로리"); see
  :mod:`bot.answering.mixed_titles`.
"""

from __future__ import annotations

import re

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)

# Revised Romanization of a syllable's parts (initial consonant, vowel, final consonant as
# it is said at the end of a syllable).
_INITIALS = "g kk n d tt r m b pp s ss - j jj ch k t p h".split()
_VOWELS = "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i".split()
_FINALS = ["", *"k k k n n n t l k m l l l p l m p p t t ng t t k t p t".split()]


def mixes_scripts(text: str) -> bool:
    """Whether ``text`` holds both Hangul syllables and Latin letters."""
    return bool(_HANGUL.search(text)) and bool(_LATIN.search(text))


def romanized_syllables(text: str) -> str:
    """``"현bin"`` -> ``"hyeon bin"``: each Hangul syllable written in Revised Romanization
    as a word of its own; everything else as it is (a space between scripts)."""
    out: list[str] = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            initial, rest = divmod(code, 588)
            vowel, final = divmod(rest, 28)
            head = _INITIALS[initial].strip("-")
            out.append(f" {head}{_VOWELS[vowel]}{_FINALS[final]} ")
        else:
            out.append(ch)
    return " ".join("".join(out).split())
