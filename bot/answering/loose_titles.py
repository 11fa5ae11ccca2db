"""Last tries at a title the index did not name on its own, each on narrow evidence:

* **the words of one drama in another order**: "goblin guardian lonely" (Goblin is an alias
  of Guardian: The Lonely and Great God, the other words its title's), "attorney woo young
  woo"; only when the index found nothing, and confident only with three words or more that
  no other drama's names hold together (two words are a "did you mean");
* **another romanization of a name the index offered**: "naui ajusshi" is My Mister's
  "Naui Ajeossi" (eo/u, ss/ssh, a silent h; also eu/u, l/r, k/g: "chulin wanghu" is
  "Cheorinwanghu"), so the one drama offered is the answer.

And a title pasted more than once ("vincenzo vincenzo vincenzo") is that title; a sentence
that names a drama word for word ("crash landing on you is my favourite drama and who plays
the captain") is that drama, when nothing else found it.

All look only at what the index hands over (the names holding a word, or the few dramas a
"did you mean" offers), never at the whole catalog.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise
from typing import Any

from bot.answering.chat_questions import CHAT_WORDS
from bot.answering.hearsay import season_after
from bot.catalog.snapshot import Catalog
from bot.matching.folding import clean_query, fold
from bot.matching.index import STOPWORDS, Kind, Resolution
from bot.matching.query import parse_title_query, strip_mentions

# Words in another order answer confidently from this many telling words on.
SURE_WORDS = 3
# More words than this are no title typed in another order.
MAX_WORDS = 8
# At most this many dramas offered for words in another order.
MAX_OFFERED = 5
# A query of this many words or more may be a sentence around a title.
SENTENCE_WORDS = 6
# A name respelled (:func:`respelled`) sounds as at least this many letters (fan pass 19).
MIN_SOUNDED = 3
# At most this many places a wish may start are tried ("… but less dark").
MAX_CUTS = 3

# Ways the same Korean sounds are written in Latin letters, made one (in this order); each is
# also a way to respell a query that named nothing (:func:`respelled`: one search each).
_SPELLINGS = (
    # "ahjussi", "nah-ui": a silent h (before a consonant, or ending a word: fan pass 18)
    (re.compile(r"(?<=[aeiou])h(?=[^aeiouy]|$)"), ""),
    (re.compile(r"eo|eu|oo|ou"), "u"),
    (re.compile(r"(?<=[^aeiouy\s])ui|(?<=[^aeiouy\s])wi"), "wi"),  # 튀: "twi", "tui"
    (re.compile(r"ee"), "i"),
    (re.compile(r"ae"), "e"),
    (re.compile(r"s+h(?=[iy])"), "s"),  # "shi", "sshi": "si"
    (re.compile(r"l"), "r"),  # ㄹ: "bimilui", "bimirui"
    (re.compile(r"k"), "g"),  # ㄱ: "kim", "gim"
    (re.compile(r"(.)\1+"), r"\1"),  # doubled letters
)
# ...and, only when names are compared by their sounds (fan pass 17; not searched with: it
# would change most queries, one more search after every miss), in this place among them:
_SOUNDS = (
    *_SPELLINGS[:2],
    # 우 starting a word or a syllable: "u", "woo" and "wu" ("Uyeongu", "woo young woo")
    (re.compile(r"(?:^|(?<=[aeiou])|(?<=ng))u"), "wu"),
    *_SPELLINGS[2:],
)


def words_in_any_order(catalog: Catalog, query: str) -> Resolution | None:
    """The drama whose names hold every telling word of ``query`` between them, in any
    order; None when no drama, or too many, do."""
    parsed = parse_title_query(clean_query(strip_mentions(query)))
    if parsed.season is not None or parsed.year is not None:
        return None
    words = [w for w in parsed.core.split() if w not in STOPWORDS]
    if len(set(words)) < 2 or len(words) > MAX_WORDS:
        return None
    titles = catalog.titles
    ids = titles.ids_with_words(words)
    firsts = {titles.first_season(i) for i in ids}
    if not ids or len(firsts) > MAX_OFFERED:
        return None
    if len(firsts) == 1 and len(set(words)) >= SURE_WORDS:
        first = firsts.pop()
        return Resolution(Kind.MATCH, (first if first in ids else ids[0],), query)
    return Resolution(Kind.CANDIDATES, ids[:MAX_OFFERED], query, hedged=True)


def said_again(catalog: Catalog, query: str) -> Resolution | None:
    """ "vincenzo vincenzo", "run on run on run on": a title pasted more than once is that
    title; None when the words are not one run repeated, or the run names nothing."""
    words = fold(clean_query(strip_mentions(query))).split()
    for size in range(1, len(words) // 2 + 1):
        if len(words) % size == 0 and words == words[:size] * (len(words) // size):
            once = catalog.titles.resolve(" ".join(words[:size]))
            return once if once.kind is not Kind.NONE else None
    return None


def romanized(catalog: Catalog, query: str, offered: Resolution) -> Resolution | None:
    """The one drama of a "did you mean" that ``query`` names in another romanization of one
    of its Latin-letter names; None otherwise."""
    if offered.kind is not Kind.CANDIDATES or offered.hedged:
        return None
    if offered.missing_season is not None or offered.missing_year is not None:
        return None
    parsed = parse_title_query(clean_query(strip_mentions(query)))
    if parsed.season is not None or parsed.year is not None or parsed.outlets:
        return None  # the index's reasons for a "did you mean" stand ("black knight netflix")
    typed = _sounds(parsed.core)
    if not typed or not typed.isascii():
        return None
    fitting = []
    for slug in offered.ids:
        card = catalog.cards.get(slug)
        names = (card.title, *card.aliases) if card is not None else ()
        if any(_sounds(n) == typed for n in names):
            if any(fold(n).replace(" ", "") == parsed.core.replace(" ", "") for n in names):
                return None  # a name as it is spelt: the index had its reasons
            fitting.append(slug)
    if len(fitting) != 1:
        return None
    return Resolution(Kind.MATCH, (fitting[0],), offered.query)


def named_in_a_sentence(catalog: Catalog, query: str) -> Resolution | None:
    """The drama a sentence names word for word: "crash landing on you is my favourite drama
    and i want to know who plays the captain" is Crash Landing on You. Only for a query of
    ``SENTENCE_WORDS`` words or more that nothing else found; the longest run of its words
    that is exactly some drama's name (a dictionary look-up per run, no near spellings), of
    ``SURE_WORDS`` words or more, is the answer when the runs name one drama between them;
    runs naming several ("crash landing on you or hospital playlist 2") are offered. Shorter
    runs say too little: "my name" of "my name is kim sam soon" (another drama) or "the
    glory" of "i loved the glory" find nothing."""
    words = fold(clean_query(strip_mentions(query))).split()
    if len(words) < SENTENCE_WORDS:
        return None
    titles = catalog.titles
    named: dict[str, str] = {}  # first season -> the id a run names, longest runs first
    covered: set[int] = set()  # the words of a run found (a shorter run inside is no other)
    for size in range(min(MAX_WORDS, len(words) - 1), SURE_WORDS - 1, -1):
        for start in range(len(words) - size + 1):
            if covered.intersection(range(start, start + size)):
                continue
            run = words[start : start + size]
            if all(w in STOPWORDS for w in run):
                continue
            ids = titles.named_exactly(" ".join(run))
            for id_ in ids:
                named.setdefault(titles.first_season(id_), id_)
            if ids:
                covered.update(range(start, start + size))
    if not named:
        return None
    if len(named) == 1 and (season := season_after(words, max(covered) + 1)):
        # "did people like the uncanny counter 2": the season after the title is asked with
        # it (fan pass 17), not left out as one more word of the sentence.
        seasoned = titles.resolve(" ".join((*words[min(covered) : max(covered) + 1], *season)))
        if seasoned.ids:
            return replace(seasoned, query=query)
    if len(named) == 1 and not (others := _beside_a_run(catalog, words, covered, named)):
        return Resolution(Kind.MATCH, tuple(named.values()), query)
    offered = (*named.values(), *(others if len(named) == 1 else ()))
    return Resolution(Kind.CANDIDATES, offered[:MAX_OFFERED], query, hedged=True)


# Words outside a sentence's title this few or fewer may be another title, or its start.
_BESIDE_WORDS = 3


def _beside_a_run(
    catalog: Catalog, words: list[str], covered: set[int], named: dict[str, str]
) -> tuple[str, ...]:
    """Other dramas the few words before or after a sentence's title name (fan pass 14): "all
    of us are dead and moon" is that drama or one starting with "moon", "my love from the
    star kingdom" that drama or Kingdom. After a joining word ("and", "or") any drama the
    words may name counts; with none, only a drama they name surely. At most two look-ups."""
    found: list[str] = []
    first, last = min(covered), max(covered)
    for side, near in (
        (words[:first], words[first - 1 : first]),
        (words[last + 1 :], words[last + 1 : last + 2]),
    ):
        joined = bool(near) and near[0] in _JOINS
        rest = [w for w in side if w not in _JOINS] if joined else side
        if not rest or len(rest) > _BESIDE_WORDS or all(w in STOPWORDS for w in rest):
            continue
        other = catalog.titles.resolve(" ".join(rest))
        if other.kind is Kind.MATCH or (joined and other.kind is Kind.CANDIDATES):
            seen = set(named)
            found += [i for i in other.ids if catalog.titles.first_season(i) not in seen]
    return tuple(dict.fromkeys(found))


# Words after which a fan says what they wish were different: "something like the glory but
# less dark", "shows like vincenzo without the violence", "… except happier".
WISHES = frozenset("but except without minus though although".split())


def before_a_wish(catalog: Catalog, query: str) -> Resolution | None:
    """ "something like the glory but less dark": the drama named before a word such as
    "but", when the whole query named nothing. The cuts are tried from the last such word
    back (a title holding "but" keeps it: "nothing but you but happier"), the first that names
    one drama confidently answering ("… but without the violence"); the words before are
    asked as any title is, so a did-you-mean stays one. None when no cut names a drama."""
    words = fold(clean_query(strip_mentions(query))).split()
    offered = None
    cuts = [cut for cut in range(len(words) - 2, 0, -1) if words[cut] in WISHES]
    for cut in cuts[:MAX_CUTS]:  # ("but but but …": a few look-ups, not one per word)
        before = " ".join(words[:cut])
        found = catalog.titles.resolve(before)
        if found.kind is Kind.NONE:
            # "mr queen and the red sleeve but funnier": titles joined before the wish
            found = joined_titles(catalog, before) or found
        if found.kind is Kind.MATCH:
            return replace(found, query=query)
        if found.kind is not Kind.NONE and offered is None:
            offered = replace(found, query=query)  # unless a cut further back names one
    return offered


# Words joining titles: "dramas like tunnel and signal", "vincenzo or the glory", "goblin,
# hotel del luna and w" (a comma joins as "and" does: folding drops it).
_JOINS = frozenset("and or & vs versus x n meets".split())  # ("vincenzo meets taxi driver")
# A comma, a plus or a slash joins as "and" does: "kingdom + sweet home", "2521 / our beloved
# summer", "signal/tunnel" (a slash after one letter is a short word: "w/ suzy").
_COMMA = re.compile(r"\s*(?:,|\+|\s/|(?<=\w\w)/)\s*")
# At most this many titles are read from one query (a few look-ups, however long it is).
MAX_TITLES = MAX_OFFERED


def joined_titles(catalog: Catalog, query: str, *, partly: bool = False) -> Resolution | None:
    """ "dramas like tunnel and signal", "goblin, hotel del luna and w": titles joined by
    commas, "and", "or", "&" or "vs", each naming one drama confidently, are all offered (a
    did-you-mean: which one is meant, the bot cannot say). At most ``MAX_TITLES`` titles, so
    a few look-ups. Every side naming the same drama ("vincenzo, vincenzo and vincenzo") is
    that drama; None when a side names nothing confidently, unless ``partly`` (fan pass 15:
    "squid game and alice in borderland", one side a drama we lack): then the dramas the
    other sides name surely are offered, never answered, when each other side names nothing
    at all and looks like a title: at most ``_BESIDE_WORDS`` words, not starting with a chat
    word ("what is my name and where do i live" is no list of titles)."""
    text = _COMMA.sub(" and ", clean_query(strip_mentions(query)))
    if not _JOINS.intersection(fold(text).split()):
        return None  # (no joining word: no parse)
    words = parse_title_query(text).plain.split()  # (with its seasons: "squid game 2")
    if words[:1] in (["both"], ["either"]):
        words = words[1:]  # "both beyond evil and tunnel" (fan pass 17)
    joins = [at for at in range(1, len(words) - 1) if words[at] in _JOINS]
    if not joins or len(joins) >= MAX_TITLES:
        return None
    titles = catalog.titles
    bounds = [-1, *joins, len(words)]
    sides = [" ".join(words[a + 1 : b]) for a, b in pairwise(bounds)]
    if not all(sides):
        return None  # "tunnel and and signal", "vincenzo, and signal": no title between
    found = [titles.resolve(side) for side in sides]
    sure = [f for f in found if f.kind is Kind.MATCH]
    if not sure or (len(sure) < len(found) and not (partly and _lacked(sides, found))):
        return None
    ids = tuple(dict.fromkeys(f.ids[0] for f in sure))
    if len(sure) < len(found):
        return Resolution(Kind.CANDIDATES, ids, query, hedged=True)
    if len(ids) == 1 and not _title_cut(sides, sure, titles):
        return Resolution(Kind.MATCH, ids, query)
    if len(ids) == 1:
        return None  # the drama's own "and" or comma (the index's answer stands, fan pass 17)
    return Resolution(Kind.CANDIDATES, ids, query, hedged=True)


def _title_cut(sides: list[str], found: list[Resolution], titles: Any) -> bool:
    """Whether ``sides`` are one name of the drama they all name, cut at its own "and" or
    comma ("guardian the lonely" and "great god netflix"), not names each naming it whole
    ("vincenzo, vincenzo and vincenzo", "goblin and guardian")."""
    return not all(titles.named_exactly(side) for side in sides) and len(found) == len(sides)


def _lacked(sides: list[str], found: list[Resolution]) -> bool:
    """Whether every side of a list that names no drama surely names none at all, and looks
    like a title we lack: a few words, the first no chat word ("alice in borderland")."""
    return all(
        f.kind is Kind.NONE
        and len(side.split()) <= _BESIDE_WORDS
        and (side.split()[0] in _ARTICLES or side.split()[0] not in CHAT_WORDS)
        for side, f in zip(sides, found, strict=True)
        if f.kind is not Kind.MATCH
    )


_ARTICLES = frozenset(("the", "a", "an"))


def listed_titles(catalog: Catalog, query: str, named: Resolution) -> Resolution | None:
    """ "stranger 2, the penthouse 3", "w, voice 4": titles listed with commas (or "+", "/"),
    each naming a drama confidently, offered (:func:`joined_titles`), where the index named
    one of them (``named``) confidently, the words of the others taken for a season or
    noise. None when the query has no such list, is some drama's name exactly, has no more
    such marks than the name of the drama named ("work later, drigk now": the comma is the
    title's, typed with a slip), or the parts name one drama."""
    marks = len(_COMMA.findall(query))
    if not marks or catalog.titles.named_exactly(query):
        return None
    if marks <= len(_COMMA.findall(catalog.titles.labels.get(named.ids[0], ""))):
        return None
    listed = joined_titles(catalog, query)
    return listed if listed is not None and listed.kind is Kind.CANDIDATES else None


# More words than this are no two titles typed one after the other (bounded look-ups).
_SIDE_BY_SIDE_WORDS = 12


def titles_side_by_side(catalog: Catalog, query: str, named: Resolution) -> Resolution | None:
    """ "d.p. itaewon class", "boyhood yumi's cells 2": two dramas' names typed one after the
    other with nothing between (fan pass 16), where the index named one of them (``named``)
    confidently, the other's words taken for noise: both are offered. The drama named must be
    at one end of the query by its shown name, and the words left some other drama's name
    exactly (one dictionary look-up); None otherwise (the common case, a name typed whole or
    with a slip, costs two folds)."""
    words = fold(clean_query(strip_mentions(query))).split()
    titles = catalog.titles
    shown = fold(_SHOWN_YEAR.sub("", titles.labels.get(named.ids[0], ""))).split()
    size = len(shown)
    if not size or not size < len(words) <= _SIDE_BY_SIDE_WORDS:
        return None
    if words[-size:] == shown:
        other, first = " ".join(words[:-size]), False
    elif words[:size] == shown:
        other, first = " ".join(words[size:]), True
    else:
        return None
    found = titles.named_exactly(other)
    if not found or titles.first_season(found[0]) == titles.first_season(named.ids[0]):
        return None
    ids = (named.ids[0], found[0]) if first else (found[0], named.ids[0])
    return Resolution(Kind.CANDIDATES, ids, query, hedged=True)


# A shown title's year: "Itaewon Class (2020)".
_SHOWN_YEAR = re.compile(r"\s*\(\d{4}\)\s*$")


def respelled(catalog: Catalog, query: str) -> Resolution | None:
    """The one drama one of whose Latin-letter names ``query`` spells another way, when the
    index found nothing: "my ajeossi" is My Mister (My Ahjussi), "moobing" is Moving
    (Mubing). The index is asked again for the query with each way of writing a sound above
    made one ("moobing" -> "mubing"); a drama it names is the answer only when one of its names
    sounds exactly as the query does (:func:`_sounds`) and no other drama's does. A handful of
    look-ups, never a scan; None otherwise."""
    parsed = parse_title_query(clean_query(strip_mentions(query)))
    if parsed.season is not None or parsed.year is not None or parsed.outlets:
        return None
    core = parsed.core
    typed = _sounds(core)
    if len(typed) < MIN_SOUNDED or not typed.isascii() or len(core.split()) > MAX_WORDS:
        return None  # ("ww", "ddp": a name of a letter or two with one doubled says too little)
    fitting: set[str] = set()
    tried = {core}
    for pattern, spelt in _SPELLINGS:
        variant = pattern.sub(spelt, core)
        if variant in tried:
            continue
        tried.add(variant)
        found = catalog.titles.resolve(variant)
        for slug in found.ids[:MAX_OFFERED]:
            card = catalog.cards.get(slug)
            if card is not None and any(_sounds(n) == typed for n in (card.title, *card.aliases)):
                fitting.add(slug)
    if len(fitting) != 1:
        return None
    return Resolution(Kind.MATCH, (fitting.pop(),), query)


def _sounds(name: str) -> str:
    """A name folded, without spaces, its romanization variants made one: "Naui Ajeossi",
    "naui ajusshi" and "naui ahjussi" are all ``nauiajusi``."""
    words = fold(name).split()
    for pattern, spelt in _SOUNDS:
        # word by word: "sunjae upgo" is not "sunja" and "eupgo" (fan pass 17)
        words = [pattern.sub(spelt, word) for word in words]
    pattern, spelt = _SOUNDS[-1]  # (doubled letters across words too: "jeong gim")
    return pattern.sub(spelt, "".join(words))
