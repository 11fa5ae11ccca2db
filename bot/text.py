"""Text folding shared by card ids and matching: one place decides what "the same text" means."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans("", "", "'’‘`´")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def strip_marks(text: str) -> str:
    """Remove combining accents from Latin text while keeping Hangul syllables whole."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # NFKD splits Hangul syllables into jamo; NFC puts them back together.
    return unicodedata.normalize("NFC", kept)


def slugify(title: str) -> str:
    """The file-name id a card with this title gets: ``Start-Up`` -> ``start-up``."""
    text = strip_marks(title).casefold().translate(_APOSTROPHES)
    return _NON_ALNUM.sub("-", text).strip("-")


SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
