"""A run of a title's words typed with a slip in one of them: "camelia blooms" is When the
Camellia Blooms (its last two words, "camellia" one letter short), "hotel del lunaa"
likewise; a short word only with its letters swapped or one doubled (fan pass 15: "landing on
yuo" is Crash Landing on You, "cha cha chaa" Hometown Cha-Cha-Cha). The index finds a run
of whole words inside a name ("camellia blooms") and a near spelling of a whole name or of
its start, not a near spelling of a run inside one; this is asked only when nothing else
found the query.

Bounded: the names looked at are those holding every word of the query that some name holds
as typed (at most ``PARTIAL_SCAN_LIMIT`` per word, through the word index), never a scan; read
from the index's own columns, not from the cards (no card body decoded).
"""

from __future__ import annotations

from rapidfuzz.distance import DamerauLevenshtein

from bot.answering.loose_titles import MAX_OFFERED, MAX_WORDS
from bot.catalog.snapshot import Catalog
from bot.matching.folding import clean_query
from bot.matching.index import STOPWORDS, Kind, Resolution
from bot.matching.query import parse_title_query, strip_mentions
from bot.matching.resolving import PARTIAL_SCAN_LIMIT
from bot.matching.typed_names import is_slip

# A word of the name this long or longer may be typed with one slip ("blooms": "bloms");
# a shorter one only with two letters swapped or one doubled ("yuo", "chaa"), and only where
# the typed word is in no name as typed: any other slip in two or three letters ("yoy",
# "ch") is as likely another word.
SLIPPED_WORD = 4


def misspelt_run(catalog: Catalog, query: str) -> Resolution | None:
    """The drama one of whose names holds the query's words in order, each as typed or one
    typing slip away (:func:`~bot.matching.typed_names.is_slip`), with at least one telling
    word as typed and one not; several such dramas are offered; None when none fits."""
    parsed = parse_title_query(clean_query(strip_mentions(query)))
    if parsed.season is not None or parsed.year is not None or parsed.outlets:
        return None
    words = parsed.core.split()
    if not 2 <= len(words) <= MAX_WORDS or not parsed.core.isascii():
        return None
    titles = catalog.titles
    telling = [w for w in dict.fromkeys(words) if w not in STOPWORDS]
    held = {w: titles.names_holding(w) for w in telling}
    as_typed = [w for w in telling if held[w]]
    if not as_typed or len(as_typed) == len(telling):
        return None  # no word to go on, or none misspelt (the index had its reasons)
    # (a word on more names than the index reads for a partial title tells too little)
    rare = [w for w in as_typed if held[w] <= PARTIAL_SCAN_LIMIT]
    fitting: dict[str, str] = {}  # first season -> the id whose name fits
    for slug, name in titles.names_with_words(rare) if rare else ():
        if _run_with_slips(words, name.split(), unheld=set(telling) - set(as_typed)):
            fitting.setdefault(titles.first_season(slug), slug)
    if not fitting or len(fitting) > MAX_OFFERED:
        return None
    if len(fitting) == 1:
        return Resolution(Kind.MATCH, tuple(fitting.values()), query)
    return Resolution(Kind.CANDIDATES, tuple(fitting.values()), query, hedged=True)


def _run_with_slips(typed: list[str], name: list[str], unheld: set[str]) -> bool:
    """Whether ``typed`` is a run of ``name``'s words, each as written or, for a word of
    ``SLIPPED_WORD`` letters or more, one typing slip away; for a shorter word, a typed word
    of ``unheld`` (in no name as typed) with two letters swapped or one doubled."""
    for start in range(len(name) - len(typed) + 1):
        if all(
            a == b or _slipped(a, b, a in unheld)
            for a, b in zip(typed, name[start : start + len(typed)], strict=True)
        ):
            return True
    return False


def _slipped(typed: str, word: str, unheld: bool) -> bool:
    """Whether ``typed`` is ``word`` with one typing slip (see :func:`_run_with_slips`)."""
    if DamerauLevenshtein.distance(typed, word) != 1 or not is_slip(typed, word):
        return False
    if len(word) >= SLIPPED_WORD:
        return True
    swapped = len(typed) == len(word) and sorted(typed) == sorted(word)
    doubled = any(
        typed[at] == typed[at - 1] and typed[:at] + typed[at + 1 :] == word
        for at in range(1, len(typed))
    )
    return unheld and (swapped or doubled)
