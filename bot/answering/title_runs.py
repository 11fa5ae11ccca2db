"""A drama's name first, other words after it, offered when nothing else found the query (fan
pass 19): "squid game s2 new players", "vincenzo mafia lawyer comedy", "dramas like the glory
revenge", "navillera ballet grandpa". The words after a name may be anything (a mood, a
question in slang, the rest of a longer title we lack: "goblin slayer"), so it is only ever a
did-you-mean, never an answer.

The longest run of words starting the query (the phrases before a title set aside: "dramas
like") that is exactly some drama's name (a dictionary look-up per run, no near spellings);
one word only when it is no everyday word ("goblin", not "signal" or "moving": a sentence may
use them as words). Not when the next word joins or starts a clause ("my name is kim sam soon",
"squid game and what is love", "goblin the one with the grim reaper": round 7's and 13's rule,
a short title in a sentence says too little), nor when a later word names another drama
("goblin hospital tunnel", an everyday word too). A season marked right after it ("s2",
"season 3") is asked with it. At most ``MAX_WORDS`` words: a few dozen look-ups.
"""

from __future__ import annotations

import itertools
import re

from bot.answering.hearsay import season_after
from bot.catalog.snapshot import Catalog
from bot.matching.common_words import is_everyday
from bot.matching.folding import clean_query, fold
from bot.matching.query import parse_title_query, strip_mentions

# More words than this are not looked through.
MAX_WORDS = 14
# The longest name looked for, in words.
NAME_WORDS = 8
# A one-word name is looked for from this many letters on.
ONE_WORD_LETTERS = 4
# Words after a name that join it to more, or start a clause about something else.
JOINING = frozenset(
    "and or n x vs versus is isnt was are were has had the a an with of in on from for to "
    "by at as but".split()
)


def titles_among_words(catalog: Catalog, query: str) -> tuple[str, ...]:
    """The ids of the drama (its season asked with it) whose name starts ``query``, more words
    after it; () when none does so (see the module's doc)."""
    words = parse_title_query(clean_query(strip_mentions(query))).plain.split()
    if not 2 <= len(words) <= MAX_WORDS:
        return ()
    titles = catalog.titles
    for size in range(min(NAME_WORDS, len(words) - 1), 0, -1):
        run = words[:size]
        if size == 1 and (len(run[0]) < ONE_WORD_LETTERS or is_everyday(run[0])):
            return ()
        if not titles.named_exactly(" ".join(run)):
            continue
        season = season_after(words, size)
        rest = words[size + len(season) :]
        if not rest or rest[0] in JOINING or _names_another(catalog, rest):
            return ()
        return titles.resolve(" ".join((*run, *season))).ids
    return ()


def _names_another(catalog: Catalog, words: list[str]) -> bool:
    """Whether a word of ``words`` (of three letters or more), or two in a row, are exactly
    some drama's name ("tunnel" of "goblin hospital tunnel")."""
    titles = catalog.titles
    return any(titles.named_exactly(word) for word in words if len(word) > 2) or any(
        titles.named_exactly(f"{one} {two}") for one, two in itertools.pairwise(words)
    )


# Fan pass 20: a name anywhere among the words. At most this many words are looked through
# (a long question's first words: a few hundred look-ups), and this many dramas offered.
INSIDE_WORDS = 64
INSIDE_OFFERED = 5
# A line of this many words or more is a long, rambling one: a name of everyday words ("the
# glory", "sky castle") in it is taken as a name. In a shorter line such a name says too
# little ("i just loved the glory so much tbh", "what is my name and where do i live": round
# 7's rule) unless a mark sets it apart ("lovely runner - is it a happy ending?").
LONG_LINE = 15
# The words beside an everyday one-word name ("signal", "kingdom") that set it apart as the
# subject of a question: "is signal scary", "said kingdom is basically zombies".
_SUBJECT_BESIDE = frozenset("is was isnt wasnt".split())
# Words after a name in a shorter line that join it to more, a title or a clause.
_JOINED = frozenset("and or n x vs versus".split())


def titles_inside_words(catalog: Catalog, query: str) -> tuple[str, ...]:
    """The ids of the dramas whose names are runs of ``query``'s words anywhere in it (fan pass
    20: "long story short my cousin made me promise to watch lovely runner so here i am", "is
    signal scary or not? and is it long"), each longest run first, left to right, its season
    asked with it; () when none. Only ever a did-you-mean (a sentence's words may name a
    drama by chance, or start a longer title we lack), asked when nothing else found the
    query. A line shorter than :data:`LONG_LINE` words must name one drama, not joined to
    more by "and", "or", "vs" (round 5's and 15's rules). A name all of everyday words needs
    to be set apart (:func:`_set_apart`) unless the line is long; a one-word name needs
    ``ONE_WORD_LETTERS`` letters, and to be set apart, or be the question's subject ("is
    signal scary"), when it is an everyday word."""
    words = fold(clean_query(strip_mentions(query))).split()[:INSIDE_WORDS]
    if len(words) < 2:
        return ()
    titles = catalog.titles
    lowered = query.lower()
    found: list[tuple[str, ...]] = []
    joined = False  # a name followed by a word that joins it to more
    unsure: set[str] = set()  # the dramas of names taken as everyday words
    at = 0
    while at < len(words) and len(found) < INSIDE_OFFERED:
        for size in range(min(NAME_WORDS, len(words) - at), 0, -1):
            run = words[at : at + size]
            if size == 1 and len(run[0]) < ONE_WORD_LETTERS:
                continue
            if not (named := titles.named_exactly(" ".join(run))):
                continue
            if all(is_everyday(word) for word in run) and not (
                (size > 1 and len(words) >= LONG_LINE)
                or _set_apart(lowered, run)
                or (size == 1 and _subject(words, at))
            ):
                # a name, or everyday words: "tunnel" of "goblin hospital tunnel"
                unsure.update(titles.first_season(i) for i in named)
                continue
            season = season_after(words, at + size)
            found.append(titles.resolve(" ".join((*run, *season))).ids)
            at += size + len(season)
            joined = joined or (at < len(words) and words[at] in _JOINED)
            break
        else:
            at += 1
    dramas = unsure | {titles.first_season(ids[0]) for ids in found if ids}
    if len(words) < LONG_LINE and (len(dramas) > 1 or joined):
        return ()  # "goblin hospital tunnel", "squid game and what is love": round 5's, 15's
    return tuple(dict.fromkeys(i for ids in found for i in ids))[:INSIDE_OFFERED]


def _set_apart(lowered: str, run: list[str]) -> bool:
    """Whether the words ``run`` are followed by a mark in ``lowered`` (the line as typed, in
    lower case): "kingdom: is it scary?", "lovely runner - is it"."""
    name = r"\W+".join(re.escape(word) for word in run)
    return re.search(rf"(?<!\w){name}\s*[:?!,;\-–—]", lowered) is not None


def _subject(words: list[str], at: int) -> bool:
    """Whether "is" or "was" stands right after ``words[at]``, or starts the line right before
    it ("is signal scary"; not "my friend is moving house")."""
    after = words[at + 1] if at + 1 < len(words) else ""
    return after in _SUBJECT_BESIDE or (at == 1 and words[0] in _SUBJECT_BESIDE)
