"""A title or a name typed half in Hangul, half in Latin letters (fan pass 16), asked only
after the index found nothing: "the 글로리", "더 glory" (The Glory, 더 글로리), "현bin",
"kim 수현" (:mod:`bot.matching.mixed_scripts`), and a name written in both ("아이유 iu").

A title is named by the start of one of a drama's names (its title, native title or an
alias) in one script and the end of another in the other script ("hotel" of Hotel del Luna,
"델루나" of 호텔 델루나), the drama found through the query's Hangul words (a word look-up,
never a scan). One drama (and its seasons) so named is the answer; several are offered.
"""

from __future__ import annotations

from dataclasses import replace

from bot.catalog.snapshot import Catalog
from bot.matching.folding import clean_query, fold
from bot.matching.index import STOPWORDS, Kind, Resolution
from bot.matching.mixed_scripts import mixes_scripts, romanized_syllables
from bot.matching.query import parse_title_query, strip_mentions

# More words than this are no title typed in two scripts.
MAX_WORDS = 8
# At most this many dramas offered.
MAX_OFFERED = 5


def _sounded_out(catalog: Catalog, words: list[str], query: str) -> Resolution | None:
    """ "킹dom" (fan pass 18): a word switching scripts inside it, its Hangul syllables the
    sound of letters of a Latin-letter name (킹, "king"), is that name, written out in Revised
    Romanization and glued to the rest of the word, and asked as any title is (one search:
    a service the card does not list makes it a did-you-mean), then with every word so written
    ("sarang의 불시착"); None when it names nothing."""
    spelt = [romanized_syllables(w).replace(" ", "") if mixes_scripts(w) else w for w in words]
    found = catalog.titles.resolve(" ".join(spelt))
    if not found.ids and not all(word.isascii() for word in spelt):
        # "sarang의 불시착" (fan pass 19): the words in Hangul alone written out too, as a
        # romanized name is ("Sarangui Bulsichak")
        spelt = [romanized_syllables(w).replace(" ", "") for w in spelt]
        found = catalog.titles.resolve(" ".join(spelt))
    return replace(found, query=query) if found.ids else None


def title_in_two_scripts(catalog: Catalog, query: str) -> Resolution | None:
    """The drama whose names ``query`` starts and ends, one in Hangul, the other in Latin
    letters ("the 글로리", "hotel 델루나", "my 아저씨"); None when the query is in one script,
    switches scripts more than once, or names no drama so."""
    if not mixes_scripts(query):
        return None  # (the common case: one script, one search)
    parsed = parse_title_query(clean_query(strip_mentions(query)))
    words = parsed.core.split()
    if any(mixes_scripts(word) for word in words) and len(words) <= MAX_WORDS:
        # "킹dom", "킹dom 2", "킹dom disney" (the query's words: its season and service too)
        return _sounded_out(catalog, fold(clean_query(strip_mentions(query))).split(), query)
    if not 2 <= len(words) <= MAX_WORDS or not mixes_scripts(parsed.core):
        return None
    runs = _script_runs(" ".join(words))
    if len(runs) != 2 or any(mixes_scripts(word) for word in words):
        return None  # "글로리glory", "the 글로리 glory": no head and tail of names
    head, tail = (run.split() for run in runs)
    hangul = head if not head[0].isascii() else tail
    titles = catalog.titles
    fitting: list[str] = []
    for slug in dict.fromkeys(i for i, _ in titles.names_with_words(hangul)):
        card = catalog.cards.get(slug)
        if card is None:
            continue
        names = [fold(n).split() for n in (card.title, card.native_title or "", *card.aliases)]
        if any(n[: len(head)] == head for n in names) and any(
            n[-len(tail) :] == tail for n in names
        ):
            fitting.append(slug)
    firsts = dict.fromkeys(titles.first_season(i) for i in fitting)
    if firsts and (_little(head) or _little(tail)):
        # "the 글로리", "더 glory": a run of little words says nothing; the other must name
        # the drama on its own ("the 날", "my 그대" name nothing)
        alone = titles.resolve(" ".join(tail if _little(head) else head))
        named = {titles.first_season(i) for i in alone.ids} if alone.kind is Kind.MATCH else set()
        firsts = {f: None for f in firsts if f in named}
    if not firsts:
        return None
    if len(firsts) == 1:
        first = next(iter(firsts))
        if (card := catalog.cards.get(first)) is not None and parsed.plain != parsed.core:
            # "squid 게임 2", "squid 게임 (2024)": its season or year asked of its title
            after = parsed.plain.removeprefix(parsed.core)
            return replace(titles.resolve(f"{card.title} {after}"), query=query)
        return Resolution(Kind.MATCH, (first if first in fitting else fitting[0],), query)
    return Resolution(Kind.CANDIDATES, tuple(fitting[:MAX_OFFERED]), query, hedged=True)


def person_in_two_scripts(catalog: Catalog, query: str) -> tuple[str, ...]:
    """The actors whose name ``query`` spells with some syllables in Hangul and the others
    romanized ("현bin", "kim 수현", "son 예진"): the Hangul syllables written out in Revised
    Romanization, the whole looked up among each name's accepted spellings."""
    if not mixes_scripts(query):
        return ()  # (the common case: one script, one search)
    text = fold(clean_query(strip_mentions(query)))
    names = catalog.actor_names
    if found := names.named_exactly(romanized_syllables(text)):
        return found
    # "아이유 iu", "hyun bin 현빈": the name written twice, once in each script
    runs = _script_runs(text)
    if len(runs) == 2:
        one, two = (names.named_exactly(run) for run in runs)
        if len(one) == 1 and one == two:
            return one
    return ()


def _little(words: list[str]) -> bool:
    """Whether ``words`` are all little words ("the", "my") or Hangul syllables alone ("더")."""
    return all(w in STOPWORDS or (len(w) == 1 and not w.isascii()) for w in words)


def _script_runs(text: str) -> list[str]:
    """``"아이유 iu"`` -> ``["아이유", "iu"]``: the words of ``text`` in runs of one script (a
    word of digits alone goes with the run before it: "squid 게임 2")."""
    runs: list[list[str]] = []
    for word in text.split():
        if runs and (word.isdigit() or runs[-1][-1].isascii() == word.isascii()):
            runs[-1].append(word)
        else:
            runs.append([word])
    return [" ".join(run) for run in runs]
