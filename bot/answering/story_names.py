"""Names among the words of a story described (fan pass 19): a drama's own name ("the one
with the goblin": Goblin is Guardian's alias; titles are not in the story index, so no
review need say it), and a person's name too short to be a content word ("the hotel for
ghosts with iu"). Dictionary look-ups only, after a title query found nothing."""

from __future__ import annotations

from bot.catalog.snapshot import Catalog
from bot.catalog.story_index import StoryHit
from bot.matching.common_words import is_everyday
from bot.matching.folding import fold
from bot.matching.story_words import MIN_LETTERS

#: A drama's name of up to this many content words in a row is looked for.
NAME_WORDS = 3
#: More dramas than this of one name say nothing about which one is meant.
MOST_NAMED = 3


def short_names(catalog: Catalog, query: str) -> frozenset[str]:
    """The words of ``query`` shorter than a content word that are a person's whole name
    ("iu"), kept as content words: a review names its lead ("IU in a sharp … role")."""
    return frozenset(
        word
        for word in fold(query).split()
        if len(word) < MIN_LETTERS and word.isalpha() and catalog.actor_names.named_exactly(word)
    )


def dramas_named_in(catalog: Catalog, words: tuple[str, ...]) -> tuple[dict[str, int], set[int]]:
    """({slug: how many of ``words`` name it}, the places of those words): runs of up to
    ``NAME_WORDS`` content words in a row that are exactly a drama's name, longest first; one
    word only when it is no everyday word ("goblin", "hellbound"; not "signal" or "casino",
    which a story may mean as words)."""
    named: dict[str, int] = {}
    at: set[int] = set()
    for size in range(min(NAME_WORDS, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            places = set(range(start, start + size))
            run = words[start : start + size]
            if places & at or (size == 1 and is_everyday(run[0])):
                continue
            ids = catalog.titles.named_exactly(" ".join(run))
            if not ids or len(ids) > MOST_NAMED:
                continue
            at |= places
            for slug in ids:
                named[slug] = named.get(slug, 0) + size
    return named, at


def with_named(hits: list[StoryHit], named: dict[str, int], words: int) -> list[StoryHit]:
    """``hits`` (of the other words) with each drama ``named`` holding its name's words too,
    ranked as the best hit (its name says more than a review's word), best first."""
    if not named:
        return hits
    best = min((hit.rank for hit in hits), default=-1.0)
    held = (hits[0].held if hits else 0) + words
    found = {hit.slug for hit in hits}
    merged = [
        StoryHit(
            hit.slug,
            hit.matched + named.get(hit.slug, 0),
            best if hit.slug in named else hit.rank,
            held,
        )
        for hit in hits
    ]
    merged += [
        StoryHit(slug, count, best, held) for slug, count in named.items() if slug not in found
    ]
    merged.sort(key=lambda hit: (-hit.matched, hit.rank))
    return merged
