"""A drama's name among other words, offered when nothing else found the query (fan pass
19): "goblin rewatch value", "squid game s2 new players", "kingdom zombies but modern", "ep 1
of start up free?", "guys pls reply 1988 is so good right". The words around a name may be
anything (a mood, a question in slang, the rest of a longer title we lack: "the glory days"),
so it is only ever a did-you-mean, never an answer.

A run of the query's words that is exactly some drama's name (a dictionary look-up per run, no
near spellings), longest runs first; one word only when it is no everyday word ("goblin", not
"signal" or "moving": a sentence may use them as words). A season marked right after it
("s2", "season 3") is asked with it. At most ``MAX_WORDS`` words: a few dozen look-ups.
"""

from __future__ import annotations

from bot.answering.hearsay import season_after
from bot.catalog.snapshot import Catalog
from bot.matching.common_words import is_everyday
from bot.matching.folding import clean_query, fold
from bot.matching.query import strip_mentions

# More words than this are not looked through.
MAX_WORDS = 14
# The longest name looked for, in words.
NAME_WORDS = 8
# A one-word name is looked for from this many letters on.
ONE_WORD_LETTERS = 4
# At most this many dramas offered.
MAX_OFFERED = 5


def titles_among_words(catalog: Catalog, query: str) -> tuple[str, ...]:
    """The ids of the dramas whose names ``query`` holds word for word among other words,
    longest names first (a shorter run inside a longer one is no other name); () when none."""
    words = fold(clean_query(strip_mentions(query))).split()
    if not 2 <= len(words) <= MAX_WORDS:
        return ()
    titles = catalog.titles
    found: dict[str, None] = {}
    covered: set[int] = set()
    for size in range(min(NAME_WORDS, len(words) - 1), 0, -1):
        for start in range(len(words) - size + 1):
            places = set(range(start, start + size))
            run = words[start : start + size]
            if places & covered or (
                size == 1 and (len(run[0]) < ONE_WORD_LETTERS or is_everyday(run[0]))
            ):
                continue
            if not titles.named_exactly(" ".join(run)):
                continue
            covered |= places
            season = season_after(words, start + size)
            named = titles.resolve(" ".join((*run, *season)))
            found.update(dict.fromkeys(named.ids))
    return tuple(found)[:MAX_OFFERED]
