"""A title or a name typed half in Hangul, half in Latin letters (fan pass 16), asked only
after the index found nothing: "the 글로리", "더 glory" (The Glory, 더 글로리), "현bin",
"kim 수현" (:mod:`bot.matching.mixed_scripts`).

A title is named word by word: each word of the query, in its place, is the word at the same
place of one of a drama's names of as many words (its title, native title or an alias), the
drama found through the query's Hangul words (a word look-up, never a scan). One drama (and
its seasons) so named is the answer; several are offered.
"""

from __future__ import annotations

from bot.catalog.snapshot import Catalog
from bot.matching.folding import clean_query, fold
from bot.matching.index import Kind, Resolution
from bot.matching.mixed_scripts import mixes_scripts, romanized_syllables
from bot.matching.query import strip_mentions

# More words than this are no title typed in two scripts.
MAX_WORDS = 8
# At most this many dramas offered.
MAX_OFFERED = 5


def title_in_two_scripts(catalog: Catalog, query: str) -> Resolution | None:
    """The drama whose names ``query`` mixes word for word in Hangul and Latin letters; None
    when the query is in one script or names no drama so."""
    words = fold(clean_query(strip_mentions(query))).split()
    if not 2 <= len(words) <= MAX_WORDS or not mixes_scripts(" ".join(words)):
        return None
    if any(mixes_scripts(word) for word in words):
        return None  # "글로리glory": no word of any name
    hangul = [w for w in words if not w.isascii()]
    titles = catalog.titles
    fitting: list[str] = []
    for slug in dict.fromkeys(i for i, _ in titles.names_with_words(hangul)):
        card = catalog.cards.get(slug)
        if card is None:
            continue
        names = [fold(n).split() for n in (card.title, card.native_title or "", *card.aliases)]
        names = [n for n in names if len(n) == len(words)]
        if all(any(n[at] == word for n in names) for at, word in enumerate(words)):
            fitting.append(slug)
    firsts = dict.fromkeys(titles.first_season(i) for i in fitting)
    if not firsts:
        return None
    if len(firsts) == 1:
        first = next(iter(firsts))
        return Resolution(Kind.MATCH, (first if first in fitting else fitting[0],), query)
    return Resolution(Kind.CANDIDATES, tuple(fitting[:MAX_OFFERED]), query, hedged=True)


def person_in_two_scripts(catalog: Catalog, query: str) -> tuple[str, ...]:
    """The actors whose name ``query`` spells with some syllables in Hangul and the others
    romanized ("현bin", "kim 수현", "son 예진"): the Hangul syllables written out in Revised
    Romanization, the whole looked up among each name's accepted spellings."""
    text = fold(clean_query(strip_mentions(query)))
    if not mixes_scripts(text):
        return ()
    return catalog.actor_names.named_exactly(romanized_syllables(text))
