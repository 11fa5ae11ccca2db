"""A title asked about in a chat question the query parser's phrases do not cover (fan pass
15): "does anyone know where i can watch boyhood", "hey where can u watch moving these days",
"any legal site to watch healer", "anyone know if sky castle is worth it", "how did u guys
rate run on". The parser strips known phrases from a title's ends; fans string chat words
together in more ways than any list of phrases holds. Here a run of the query's words that
is exactly some drama's name (a dictionary look-up per run, no near spellings) is that drama
when every other word is a chat word (:data:`CHAT_WORDS`, words that say nothing about which
drama) or names a network or service; those outlets are then asked with the title, so the
index's outlet rule holds ("the glory on disney" stays a did-you-mean). Runs naming several
dramas are offered. Asked only when nothing else found the query; at most ``MAX_WORDS``
words, so a few dozen look-ups.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.answering.particles import without_particle
from bot.catalog.snapshot import Catalog
from bot.matching.folding import clean_query, fold
from bot.matching.index import Kind, Resolution
from bot.matching.query import FILLERS, SERVICES, strip_mentions

# More words than this are no chat question about one title (bounded look-ups).
MAX_WORDS = 14
# At most this many dramas offered when runs name several.
MAX_OFFERED = 5
# A chat question typed without spaces is one word of this many letters (a few hundred
# look-ups at most), with a title of at least ``_GLUED_TITLE`` letters in it.
GLUED_MIN, GLUED_LETTERS, _GLUED_TITLE = 8, 40, 3

# Words of a chat question that name no drama: who asks, where and how to watch, whether it
# is good, rating sites, time words. Kept clear of words dramas' names are made of ("love",
# "day", "home", "game", "class", "doctor", "my", "good" is a title word too but says how
# a drama is, never which).
CHAT_WORDS = frozenset(
    (
        "a an the is are was were be been it its this that these those there here "
        "i u you ya we they he she me us anyone anybody someone somebody guys y'all yall "
        "do does did can could would should will may might must need want wanna gonna "
        "where what whats which how when why who if whether or and to of in on at for from by "
        "with about any some even still actually really just now currently rn atm legally "
        "legal legit site sites app apps place places website websites online free "
        "watch watching watched stream streaming streamed find found see seen get got "
        "know knows tell anywhere somewhere available out "
        # fan pass 17: "which app has lovely runner", "should i bother with sky castle or is
        # it overhyped"
        "has have had bother overhyped overrated underrated hyped "
        "hey hi yo pls please plz thanks thx ty lol omg bot "
        "good bad worth hype rated rate rating ratings score scores stars review reviews "
        "mydramalist mdl imdb rotten tomatoes "
        "these days lately anymore today tonight yet "
        # fan pass 18: "is vincenzo rated high on imdb" (how it is rated; never which drama)
        "high highly low well "
        # Korean: "is it there", "where", "can I watch", "is it good", "now"
        "있어 있어요 있나요 있음 있냐 어디서 어디 봐 봐요 볼 수 있어 재밌어 재밌어요 지금 요즘"
    ).split()
)
_OUTLETS = frozenset(s for s in SERVICES if " " not in s)
# The longest chat word or service a glued question is cut into.
_CHAT_LETTERS = max(len(w) for w in (*CHAT_WORDS, *_OUTLETS))
# A season marked as one: "season 2", "part 2", "s2" (a bare number may be a score: "10/10").
_SEASON = re.compile(r"(?<!\S)(?:(?:season|part)\s+\d{1,2}|ss?\d{1,2})(?!\S)")
# The word right before the title: what the question does with it ("watch healer", "rate
# run on", "is the glory", "if sky castle", "rating of my mister", "rotten tomatoes squid
# game"). The word right after it: where the question goes on ("moving these days", "sky
# castle is worth it", "navillera on netflix"); "on" only before a service. Any other word
# beside a title may be the rest of a longer title we lack: "glory days", "moving on".
_BEFORE = frozenset(
    "watch stream find see rate is was are if of about tomatoes mdl imdb mydramalist "
    # fan pass 17: "which app has lovely runner", "score for moving", "bother with sky castle"
    "has for with".split()
)
_AFTER = frozenset(
    "is was still actually really good bad worth these lately anymore yet now rn atm "
    "currently legally online in or please pls plz lol "
    "streaming "  # fan pass 17: "is the penthouse streaming anywhere"
    # fan pass 18: "pyramid game where can i watch it", "is vincenzo rated high on imdb"
    "where how what which rated".split()
)
# After "on", words of a question about where it is (fan pass 18: "is reborn rich on any
# app"), as a service after it is.
_ON_WHICH = frozenset("any which what some".split())


def titled_in_chat(catalog: Catalog, query: str) -> Resolution | None:
    """The drama a chat question names word for word, every other word a chat word or a
    service; None when no run of the words is a name so set among chat words."""
    words = fold(clean_query(strip_mentions(query))).split()
    if not 2 <= len(words) <= MAX_WORDS:
        return None
    if not (_chatty(_as_chat(words[0])) or _chatty(_as_chat(words[-1]))):
        return None  # (the common case, a title alone: nothing around it)
    # "tell me the rating of hellbound season 2 pls": a season marked so is asked with the
    # run it follows, and is no word of the question (fan pass 17).
    season: tuple[str, ...] = ()
    if marked := _SEASON.search(" ".join(words)):
        season = tuple(marked[0].split())
        words = " ".join(words).replace(marked[0], " ").split()
    titles = catalog.titles
    chat = [_as_chat(w) for w in words]  # "where cna i watch": "can" with two letters swapped
    told = [n for n, w in enumerate(chat) if not _chatty(w)]  # the words no chat word
    # A run may name the drama only when it holds every such word: it starts at or before
    # the first and ends after the last.
    first, last = (told[0], told[-1]) if told else (len(words), -1)
    named: dict[str, Resolution] = {}  # first season -> what the run names
    for size in range(len(words) - 1, max(last - first, 0), -1):
        for start in range(max(last + 1 - size, 0), min(first, len(words) - size) + 1):
            others = chat[:start] + chat[start + size :]
            run = words[start : start + size]
            if not _set_apart(chat, start, start + size):
                continue
            if not titles.named_exactly(" ".join(run)):
                continue
            outlets = [w for w in others if w in _OUTLETS]
            found = titles.resolve(" ".join((*run, *season, *outlets)))
            if found.ids:
                named.setdefault(titles.first_season(found.ids[0]), found)
        if named:
            break  # the longest runs that name a drama: a shorter run inside says less
    if not named:
        return None
    if len(named) == 1:
        return replace(next(iter(named.values())), query=query)
    ids = tuple(dict.fromkeys(i for found in named.values() for i in found.ids))
    return Resolution(Kind.CANDIDATES, ids[:MAX_OFFERED], query, hedged=True)


def titled_in_glued_chat(catalog: Catalog, query: str) -> Resolution | None:
    """ "whereismymister", "vincenzoonnetflix" (fan pass 17): a chat question typed without
    its spaces, one run of its letters some drama's name exactly and the rest chat words or
    services run together (a service is asked with the title, as in :func:`titled_in_chat`).
    The longest such run answers. One word of ``GLUED_LETTERS`` letters at most; the places a
    run of chat words can end or start are found first (a few hundred set look-ups), and only
    the letters between such places are looked up as names; None otherwise."""
    words = fold(clean_query(strip_mentions(query))).split()
    if len(words) != 1 or not GLUED_MIN <= len(word := words[0]) <= GLUED_LETTERS:
        return None
    heads = _chat_cuts(word)  # heads[i]: word[:i] cut into chat words, or None
    tails = [cut[::-1] if cut is not None else None for cut in _chat_cuts(word[::-1], True)]
    tails.reverse()  # tails[j]: word[j:] cut into chat words, or None
    titles = catalog.titles
    for size in range(len(word) - 1, _GLUED_TITLE - 1, -1):
        for start in range(len(word) - size + 1):
            before, after = heads[start], tails[start + size]
            if before is None or after is None:
                continue
            if not titles.named_exactly(run := word[start : start + size]):
                continue
            outlets = [w for w in (*before, *after) if w in _OUTLETS]
            found = titles.resolve(" ".join((run, *outlets)))
            return replace(found, query=query) if found.ids else None
    return None


def _chat_cuts(letters: str, backwards: bool = False) -> list[list[str] | None]:
    """For each place in ``letters``, the letters before it cut into chat words and services
    ("whereis" -> ["where", "is"]), or None when they cannot be (the fewest words).
    ``backwards``: ``letters`` are reversed, and so is each word looked up."""
    best: list[list[str] | None] = [[], *([None] * len(letters))]
    for end in range(1, len(letters) + 1):
        for start in range(max(0, end - _CHAT_LETTERS), end):
            piece = letters[start:end][::-1] if backwards else letters[start:end]
            before, so_far = best[start], best[end]
            if (
                before is not None
                and _chatty(piece)
                and (so_far is None or len(before) + 1 < len(so_far))
            ):
                best[end] = [*before, piece]
    return best


def _set_apart(words: list[str], start: int, end: int) -> bool:
    """Whether the run ``words[start:end]`` is set apart from the words beside it: a word
    of :data:`_BEFORE` before it (or none), and of :data:`_AFTER` after it ("on" followed
    by a service), or none."""
    before = words[start - 1] if start else None
    after = words[end] if end < len(words) else None
    if before is not None and before not in _BEFORE:
        return False
    if after == "on":
        return end + 1 < len(words) and (words[end + 1] in _OUTLETS or words[end + 1] in _ON_WHICH)
    return after is None or after in _AFTER or after in _OUTLETS  # ("빈센조 넷플릭스에 있어")


def _as_chat(word: str) -> str:
    """The chat word ``word`` is with two letters after its first swapped ("cna", "waht"),
    the service a Korean word names before its particle ("넷플릭스에"), or ``word`` itself."""
    if word in CHAT_WORDS or word in _OUTLETS:
        return word
    if (bare := without_particle(word)) is not None and bare in _OUTLETS:
        return bare  # "넷플릭스에": Netflix and a particle ("on")
    if len(word) < 3:
        return word
    for at in range(1, len(word) - 1):
        swapped = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
        if swapped in CHAT_WORDS:
            return swapped
    return word


def _chatty(word: str) -> bool:
    """Whether ``word`` says nothing about which drama: a chat word or a service."""
    return word in CHAT_WORDS or word in FILLERS or word in _OUTLETS
