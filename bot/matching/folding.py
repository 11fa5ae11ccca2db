"""Normalizing names and queries so that spellings people treat as the same compare equal."""

from __future__ import annotations

import functools
import re
import unicodedata

import opencc

from bot.text import strip_marks

MAX_QUERY_CHARS = 200

_APOSTROPHES = str.maketrans("", "", "'’‘`´")
_SEPARATORS = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Lower-case words separated by single spaces: full-width forms, accents, apostrophes,
    punctuation and hyphens all fold away. ``"Ｒｕｎ-On!"`` -> ``"run on"``. Traditional
    Chinese characters fold to simplified ones, so 流星花園 and 流星花园 compare equal."""
    text = text[: MAX_QUERY_CHARS * 2]
    if text.isascii():  # the common case, and every step below but these is a no-op on it
        # Byte-wise, in C: the steps below on ASCII text (lower case, apostrophes dropped,
        # "&" as "and", every run of other characters but letters and digits one space).
        raw = text.encode("ascii")
        if b"&" in raw:
            raw = raw.replace(b"&", b" and ")
        return b" ".join(raw.translate(_ASCII_FOLD, b"'`").split()).decode("ascii")
    text = unicodedata.normalize("NFKC", text)
    if _HAN.search(text):
        text = _to_simplified(text)
    if not _NO_MARKS.match(text):  # Hangul and ASCII carry no accents to strip
        text = strip_marks(text)
    text = text.casefold().translate(_APOSTROPHES).replace("&", " and ")
    return " ".join(_SEPARATORS.split(text)).strip()


#: Byte -> its folded byte: upper-case ASCII letters lower-cased, letters and digits kept,
#: everything else a space (what ``_SEPARATORS`` splits on, in ASCII).
_ASCII_FOLD = bytes(
    b + 32 if 65 <= b <= 90 else b if 48 <= b <= 57 or 97 <= b <= 122 else 32 for b in range(256)
)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NO_MARKS = re.compile(r"[\x00-\x7f\uac00-\ud7a3\u3131-\u318e]*$")


@functools.cache
def _chinese_converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _to_simplified(text: str) -> str:
    return str(_chinese_converter().convert(text))


def compact(text: str) -> str:
    """The folded text without spaces: ``"런 온"`` and ``"런온"`` compare equal."""
    return fold(text).replace(" ", "")


def jamo(text: str) -> str:
    """Hangul syllables split into letters: one wrong letter is one edit, not a whole syllable."""
    return unicodedata.normalize("NFD", text)


def initials(text: str) -> str:
    """``Crash Landing on You`` -> ``cloy``; only for names of three or more words."""
    words = fold(text).split()
    if len(words) < 3:
        return ""
    firsts = "".join([w[0] for w in words])
    return firsts if firsts.isascii() else ""  # (every word's first letter ASCII)


def clean_query(text: str) -> str:
    """A user's query with surrounding noise removed and its length capped."""
    text = " ".join(text.split())[:MAX_QUERY_CHARS]
    return text.strip(" \"'“”‘’`*_~|<>")
