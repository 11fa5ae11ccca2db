"""People's names, Korean first: spelling variants, name order, and what makes two names two
different people.

Korean names are short (a family name and one or two syllables), and one syllable more or a
different family name is another person: *Song Kang* is not *Song Kang-ho*. The same name has
several accepted spellings (*Seo In-guk*, *Seo In-gook*; *Jeong*, *Jung*, *Chung*), and fans
often put the family name last (*Soo-hyun Kim*). This module folds the spellings together and
says when a near spelling is only a typo.
"""

from __future__ import annotations

import functools
import re

from rapidfuzz.distance import Levenshtein

from bot import process_caches
from bot.matching.folding import jamo

# Family names with more than one romanization that the spelling folds below do not join.
_FAMILY_NAMES = {
    variant: canonical
    for canonical, variants in {
        "lee": "yi rhee i ri rhie li ree",
        "park": "bak pak bahk",
        "choi": "choe chey chwe",
        "lim": "im yim rim",
        "seo": "suh",
        "an": "ahn",
        "son": "sohn",
        "baek": "paik back paek",
        "heo": "huh hur",
        "noh": "no roh",
        "eom": "um uhm",
        "woo": "u",
        "jo": "zo",  # 조: Zo In-sung
    }.items()
    for variant in (canonical, *variants.split())
}
# Spelling folds, in order: Revised Romanization and the older and popular forms compare equal.
_FOLDS = (
    (re.compile(r"eo(?=[^aeiouwy])"), "u"),  # jeong/jung, hyeon/hyun, geom/gum, seok/suk
    (re.compile(r"oo|ou"), "u"),  # soo/su, young/yung
    (re.compile(r"ee"), "i"),  # hee/hi
    (re.compile(r"weo"), "wo"),  # weon/won
    (re.compile(r"sh(?=i)"), "s"),  # shin/sin
    (re.compile(r"ch"), "j"),  # chung/jung, chi/ji
    (re.compile(r"k"), "g"),  # kang/gang, ki/gi
    (re.compile(r"t"), "d"),  # tae/dae
    (re.compile(r"p"), "b"),  # pae/bae
    (re.compile(r"(?<=[aeiou])h$"), ""),  # oh/o, noh/no
)
_SYLLABLE = re.compile(r"[yw]?(?:ae|eo|eu|oe|oi|ui|oo|ee|ou|a|e|i|o|u)")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def spelling_key(folded: str) -> str:
    """One key for the accepted spellings of a romanized Korean name (folded text in):
    ``"seo in gook"`` and ``"seo in guk"`` -> ``"seoingug"``. Names in Hangul are returned
    without spaces."""
    words = folded.split()
    if not words:
        return ""
    if _HANGUL.search(folded):
        return "".join(words)
    if len(words) > 1:
        words[0] = _family(words[0])
    return "".join(_fold_spelling(word) for word in words)


def _family(word: str) -> str:
    return _fold_spelling(_FAMILY_NAMES.get(word, word))


@functools.lru_cache(maxsize=1 << 14)  # (names share their words: ten searches each, once)
def _fold_spelling(word: str) -> str:
    for pattern, replacement in _FOLDS:
        word = pattern.sub(replacement, word)
    return word


process_caches.register(_fold_spelling.cache_clear)  # (keyed by the words fans type)


def family_last(folded: str) -> str | None:
    """``"soo hyun kim"`` -> ``"kim soo hyun"``: the last word moved to the front, for names
    written given name first; None for one-word names."""
    words = folded.split()
    if len(words) < 2:
        return None
    return " ".join([words[-1], *words[:-1]])


def given_name(folded: str) -> str:
    """The given name of a folded full name, without spaces: ``"im si wan"`` -> ``"siwan"``;
    in Hangul, the last two of three syllables (``"임시완"`` -> ``"시완"``). Empty when the
    name has no separable given name (one word; a two-syllable stage name such as 현빈)."""
    words = folded.split()
    if len(words) >= 2:
        return "".join(words[1:])
    if len(folded) == 3 and len(_HANGUL.findall(folded)) == 3:
        return folded[1:]
    return ""


def syllables(folded: str) -> int:
    """How many syllables a name has: Hangul syllables, or vowel groups of romanized words
    (``"im siwan"`` -> 3, ``"kang taeoh"`` -> 3; a word without vowels counts as one)."""
    hangul = len(_HANGUL.findall(folded))
    if hangul:
        return hangul
    return sum(max(1, len(_SYLLABLE.findall(word))) for word in folded.split())


def same_shape(query: str, name: str) -> bool:
    """Whether a near spelling ``query`` of ``name`` (both folded) can be the same person: the
    same number of syllables and, when both give one, the same family name. A Hangul query
    that is not the name exactly is never sure: each syllable is a whole part of the name."""
    if _HANGUL.search(query) or _HANGUL.search(name):
        return False
    asked, known = query.split(), name.split()
    if len(asked) == len(known):  # word by word; two swapped letters keep a word's shape
        if any(
            syllables(a) != syllables(k) and not _swapped(a, k)
            for a, k in zip(asked, known, strict=True)
        ):
            return False
    elif syllables(query) != syllables(name):
        return False
    if len(asked) >= 2 and len(known) >= 2:
        return _family(asked[0]) == _family(known[0]) or _family_swapped(asked[0], known[0])
    return True


def _family_swapped(typed: str, family: str) -> bool:
    """Whether ``typed`` is the family name ``family`` with two letters swapped, making no
    Korean syllable (fan pass 17): "sogn" is Song, "nma" Nam, "hna" Han; "chio" reads as
    two syllables, and "nah" or "ohc" could be someone's, so they are no slip."""
    return _swapped(typed, family) and not _ROMANIZED_WORD.fullmatch(typed)


def hangul_slip(query: str, name: str) -> bool:
    """Whether a Hangul ``query`` can be the Hangul ``name`` mistyped (both folded): as many
    syllables, the same family name, and at most one syllable off by one letter (김수헌 for
    김수현). A syllable two letters off is another name: 이정은 is not 이지은 (IU), 정수연 not
    정호연. A name not in Hangul is no slip of a Hangul query."""
    typed, known = query.replace(" ", ""), name.replace(" ", "")
    if len(typed) != len(known) or not _HANGUL.search(known) or typed[:1] != known[:1]:
        return False
    off = [(a, b) for a, b in zip(typed, known, strict=True) if a != b]
    if len(off) > 1:
        return False
    return not off or Levenshtein.distance(jamo(off[0][0]), jamo(off[0][1])) <= 1


# A romanized Korean syllable: an onset, a vowel (with its glide), a final consonant.
_ROMANIZED_SYLLABLE = (
    r"(?:kk|tt|pp|ss|jj|ch|sh|[gkndtrlmbpsjh])?[yw]?"
    r"(?:ae|eo|eu|oe|oi|ui|oo|ee|ou|a|e|i|o|u)(?:ng|[kntlmpgdrbs])?"
)
_ROMANIZED_WORD = re.compile(f"(?:{_ROMANIZED_SYLLABLE})+")


def typo_of(query: str, name: str) -> bool:
    """Whether ``query`` can be ``name`` mistyped, word by word (both folded): each word that
    differs has two letters swapped (``"jea"`` for ``"jae"``) or is no Korean syllable at all
    (``"hyn"``) and has no letter replaced (``"kamg"``: see :func:`_replaced`). A word that
    reads as another syllable is another name: ``"Kim Ji Woo"`` is not ``"Kim Ji Won"``,
    ``"Lee Sung Kyun"`` not ``"Lee Sung Kyung"``."""
    asked, known = query.split(), name.split()
    if len(asked) != len(known):
        if len(asked) < 2 or len(known) < 2:
            asked, known = ["".join(asked)], ["".join(known)]
        else:  # "Kim Jiwoo" against "Kim Ji Won": the family name, then the given name
            asked, known = [asked[0], "".join(asked[1:])], [known[0], "".join(known[1:])]
    for typed, meant in zip(asked, known, strict=True):
        if _fold_spelling(typed) == _fold_spelling(meant) or _swapped(typed, meant):
            continue
        if _ROMANIZED_WORD.fullmatch(typed) or _replaced(typed, meant):
            return False
    return True


def _replaced(typed: str, meant: str) -> bool:
    """Whether ``typed`` is ``meant`` with one letter replaced by another (fan pass 17): a
    letter dropped, doubled or two swapped keep every letter typed in the name's, and read back
    one way (``"hyn"``, ``"eunn"``, ``"jea"``); a replaced letter is a guess at what it stood
    for (``"kamg"``: Kang with an m for its n, or Kam with a g more), so a "did you mean"."""
    return len(typed) == len(meant) and sum(a != b for a, b in zip(typed, meant, strict=True)) == 1


def _swapped(typed: str, meant: str) -> bool:
    if len(typed) != len(meant) or typed == meant:
        return False
    wrong = [i for i, (a, b) in enumerate(zip(typed, meant, strict=True)) if a != b]
    return (
        len(wrong) == 2
        and wrong[1] == wrong[0] + 1
        and typed[wrong[0]] == meant[wrong[1]]
        and typed[wrong[1]] == meant[wrong[0]]
    )
