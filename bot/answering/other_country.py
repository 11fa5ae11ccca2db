"""A title we have asked for as another country's drama (fan pass 17): "descendants of the sun
philippine remake", "signal japanese version", "goblin chinese": the words say the drama is a
remake or version from a country other than the card's (``country``, KR unless it says), so
the card is only offered, never the confident answer. A remake or adaptation named without a
country is another drama too ("w remake"), unless its country is the card's ("korean remake").

Asked on every confident title answer, it costs a fold and a split of the query and one set
look-up (a few microseconds); the card is read only when a word of :data:`NATIONALITIES` or
:data:`VERSION` is typed.
"""

from __future__ import annotations

from bot.answering.loose_titles import WISHES
from bot.answering.regions import lookup_region
from bot.catalog.snapshot import Catalog
from bot.matching.folding import clean_query, fold
from bot.matching.index import Kind, Resolution

# What fans call a drama's country by (alpha-2 codes).
NATIONALITIES = {
    **dict.fromkeys(("korean", "kdrama", "k-drama"), "KR"),
    **dict.fromkeys(("japanese", "jdrama", "j-drama", "jp"), "JP"),
    **dict.fromkeys(("chinese", "cdrama", "c-drama", "cn"), "CN"),
    **dict.fromkeys(("taiwanese", "twdrama"), "TW"),
    **dict.fromkeys(("thai", "lakorn"), "TH"),
    **dict.fromkeys(("filipino", "philippine", "pinoy", "ph"), "PH"),
    **dict.fromkeys(("american", "hollywood", "us", "usa"), "US"),
    "vietnamese": "VN",
    "indian": "IN",
    "turkish": "TR",
    "indonesian": "ID",
    "malaysian": "MY",
    "spanish": "ES",
    "mexican": "MX",
    "british": "GB",
    "french": "FR",
    "german": "DE",
}
# Words saying the drama is made again from another: alone, another drama than ours.
REMADE = frozenset(("remake", "remakes", "remade", "adaptation", "adaption"))
# Words saying which country's drama is meant, with a country before or after them.
VERSION = frozenset(("version", "ver", "versions", *REMADE))
# Country codes that are everyday words, read as a country only beside a version word.
_ONLY_BESIDE = frozenset(("us", "jp", "cn", "ph"))
_TOLD = frozenset(NATIONALITIES) | VERSION  # (one set to look in)


def of_another_country(catalog: Catalog, query: str, resolution: Resolution) -> Resolution:
    """``resolution`` as it is, or, for a confident answer whose query names another country's
    version of the drama, a "did you mean" offering it."""
    if resolution.kind is not Kind.MATCH:
        return resolution
    words = fold(clean_query(query)).split()
    # "like queen of tears but chinese": what follows a wish is not the drama's country
    words = words[: next((at for at, w in enumerate(words) if w in WISHES), len(words))]
    if _TOLD.isdisjoint(words):
        return resolution
    card = catalog.cards.get(resolution.ids[0])
    if card is None:
        return resolution
    own = {w for name in (card.title, *card.aliases) for w in fold(name).split()}
    countries: set[str] = set()  # "": a remake from a country not said
    for at, word in enumerate(words):
        if word in own:
            continue
        beside = {w for w in words[max(at - 1, 0) : at + 2] if w != word}
        if word in NATIONALITIES and (word not in _ONLY_BESIDE or beside & VERSION):
            countries.add(NATIONALITIES[word])
        elif word in VERSION and (named := _country_beside(beside)):
            countries.add(named)
        elif word in REMADE:
            countries.add("")  # a remake from somewhere
    if not countries or countries - {""} == {card.country}:
        return resolution  # nothing said, or the card's own country ("korean remake")
    return Resolution(Kind.CANDIDATES, resolution.ids, resolution.query, hedged=True)


def _country_beside(words: set[str]) -> str | None:
    """The country one of ``words`` names ("japan", "ph"), if any."""
    for word in words:
        if word in NATIONALITIES:
            return NATIONALITIES[word]
        if (found := lookup_region(word).country) is not None:
            return found.code
    return None
