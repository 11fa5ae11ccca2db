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

from bot.answering.hearsay import season_after
from bot.catalog.snapshot import Catalog
from bot.matching.common_words import is_everyday
from bot.matching.folding import clean_query
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
