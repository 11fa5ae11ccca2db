"""Text folding shared by card ids and matching: one place decides what "the same text" means."""

from __future__ import annotations

import functools
import re
import unicodedata

from bot import process_caches

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
    global _last_slug
    last = _last_slug  # (reading a card asks for its title's slug two or three times)
    if last[0] == title:
        return last[1]
    text = strip_marks(title).casefold().translate(_APOSTROPHES)
    slug = _NON_ALNUM.sub("-", text).strip("-")
    _last_slug = (title, slug)
    return slug


_last_slug = ("", "")


SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# Characters no card text and no echoed query may carry: C0 controls (but tab and newline),
# DEL, C1 controls, the line and paragraph separators, bidirectional embeddings, overrides and
# isolates (U+202A-U+202E, U+2066-U+2069: they reorder what is shown around them) and lone
# surrogates (not text at all). One precompiled class: checking 100,000 cards stays cheap.
UNSAFE_CHARS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
# Characters that show nothing by themselves: whitespace, zero-width and joiner characters,
# direction marks, fillers, variation selectors and tags. Text made only of these is blank.
_VISIBLE = re.compile(
    r"[^\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    r"\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\U0001d173-\U0001d17a"
    r"\U000e0000-\U000e0fff]"
)


_AUTHORITY_END = re.compile(r"[/?#]")


def user_before_host(address: str) -> bool:
    """Whether an address names a user (or a password) before an "@" ahead of its host, in its
    authority (what follows the scheme's ``://`` up to the first "/", "?" or "#"):
    ``https://name@host/`` and ``https://netflix.com@evil.example`` go to what follows it.
    The settings and the cards refuse such addresses, each in its own words."""
    _, scheme_end, rest = address.partition("://")
    return bool(scheme_end) and "@" in _AUTHORITY_END.split(rest, maxsplit=1)[0]


def has_unsafe_chars(text: str) -> bool:
    return UNSAFE_CHARS.search(text) is not None


def is_invisible(text: str) -> bool:
    """True when nothing of ``text`` would show: empty, spaces, zero-width characters..."""
    return _VISIBLE.search(text) is None


def without_unsafe_chars(text: str) -> str:
    """``text`` with every unsafe character removed (lone surrogates become U+FFFD)."""
    if not UNSAFE_CHARS.search(text):
        return text
    return UNSAFE_CHARS.sub(_drop_or_replace, text)


def shown_safely(text: str) -> str:
    """``text`` on one line with nothing that could disturb a terminal or a log: unsafe
    characters, tabs and line breaks are written as ``\\x..``/``\\u....`` escapes."""
    if not _SHOWN_UNSAFE.search(text):
        return text
    return _SHOWN_UNSAFE.sub(_escape_char, text)


_SHOWN_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _drop_or_replace(match: re.Match[str]) -> str:
    return "\ufffd" if "\ud800" <= match.group() <= "\udfff" else ""


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_NAME_SEPARATORS = re.compile(r"[\W_]+")


def name_key(name: str) -> str:
    """What two names must share to be "the same name" in card checks: letters and digits
    only, in any script, without case, accents, width or punctuation (``Run-On`` = ``run on``)."""
    if name.isascii():  # the common case: NFKC and accents change nothing
        # (byte-wise in C: every byte but a letter or digit dropped, letters lower-cased)
        return name.encode("ascii").translate(_ASCII_LOWER, _ASCII_NOT_ALNUM).decode("ascii")
    return _unicode_name_key(name)


_ASCII_LOWER = bytes(b + 32 if 65 <= b <= 90 else b for b in range(256))
_ASCII_NOT_ALNUM = bytes(b for b in range(256) if not chr(b).isascii() or not chr(b).isalnum())


@functools.lru_cache(maxsize=1 << 16)  # titles recur across cards (`similar`, aliases)
def _unicode_name_key(name: str) -> str:
    text = strip_marks(unicodedata.normalize("NFKC", name)).casefold()
    return _NAME_SEPARATORS.sub("", text.translate(_APOSTROPHES))


process_caches.register(_unicode_name_key.cache_clear)  # (keyed by names typed and read)
