"""Dramas found by their story: "the one where the lawyer has autism", "zombie high school
drama", "the one with Woo Young-woo". Asked when a title option names no drama (and, worded
as a description, names none confidently), and by ``/browse about:``.

Never a confident answer: the dramas whose story holds the most of the query's content words
(``bot.matching.story_words``), ranked by FTS5's BM25 (``bot.catalog.story_index``), are
offered as a did-you-mean ("Dramas whose story matches …"). A query is a description when
enough of its words are found: worded as one ("the one where…", "a drama about…"), all but a
third of its content words (rounded down); otherwise every one of them, at least three, in the
review's words or the genres.
"""

from __future__ import annotations

import math

from bot.answering.answer_models import Choices, Notice, Subject
from bot.answering.escaping import query_echo
from bot.answering.i18n import Phrase
from bot.answering.story_names import dramas_named_in, short_names, with_named
from bot.catalog.snapshot import Catalog
from bot.catalog.story_following import story_index_of
from bot.matching.story_words import story_query

#: How many dramas a story search offers at most.
OFFERED = 5
#: The share of a query's content words a drama's story must hold.
HELD_SHARE = 2 / 3
#: A drama is offered beside the best one when its BM25 is at least this share of the best's.
NEAR_THE_BEST = 0.5
#: A query with no cue is read as a description from this many content words on (two are
#: a title we lack as often: "marry my husband", "rich man", "love to hate you").
UNCUED_WORDS = 3
#: A query with no cue of this many content words or more may miss one of them, a word some
#: other story holds ("the temp worker paid to get her boss fired": a title we lack is
#: shorter; nonsense, "zqx", no story holds).
LONG_UNCUED = 5
#: Worded as a description more weakly ("the dentist who moves to a seaside village", "the
#: zombie school one": ``story_words``' clause), from this many content words on.
CLAUSE_WORDS = 2
#: The columns a query with no cue is searched in (``story_text.COLUMNS``).
STORY_COLUMNS = ("story", "genres")
#: At most this many content words are searched (the first ones typed).
MOST_WORDS = 8


def story_matches(
    catalog: Catalog, query: str, *, asked: bool = False, offered: int = OFFERED
) -> list[str] | None:
    """The slugs of the dramas whose story matches ``query``, best first; None when it is
    not a description the index finds (``asked``: the asker asked for a story search, as
    ``/browse about:`` does: one word is enough)."""
    index = story_index_of(catalog)
    if index is None:
        return None
    wanted = story_query(query, short_names(catalog, query))
    words = wanted.searched()[:MOST_WORDS]
    # Worded as a description, most of its words; else every one (a title we lack made of
    # everyday words, "golden song time", is no description of a drama holding two of them).
    described = wanted.described or wanted.clause or asked
    least = 1 if wanted.described or asked else CLAUSE_WORDS if wanted.clause else UNCUED_WORDS
    if len(words) < least:
        return None
    # A drama's own name among the words ("the one with the goblin", "immortal goblin with a
    # sword in his chest": Goblin is Guardian's alias) is a word its story holds.
    named, at = dramas_named_in(catalog, wanted.words[:MOST_WORDS])
    rest = [word for place, word in enumerate(words) if place not in at]
    # With no cue, the review's words and the genres only: a title we lack typed with a
    # character's name in it ("queen in-hyun's man") is no description.
    hits = index.search(rest, columns=() if described else STORY_COLUMNS) if rest else []
    hits = with_named(hits, named, len(at))
    if not hits:
        return None
    if wanted.clause and not (wanted.described or asked) and len(words) <= UNCUED_WORDS:
        needed = len(words)  # (weakly cued and short: every word, as with no cue)
    elif described:
        needed = max(least, math.ceil(len(words) * HELD_SHARE - 1e-9))
    else:
        # Every word; from LONG_UNCUED words on, all but one (no title is that long), when
        # every word is some story's: a word none holds ("zqx") may be what tells it apart.
        needed = len(words) - (len(words) >= LONG_UNCUED and hits[0].held == len(words))
    best = hits[0].matched
    if best < needed:
        return None
    if wanted.clause and not wanted.described and len(words) < UNCUED_WORDS and len(hits) > 1:
        # Two words, weakly cued: a description when one drama's story holds both ("the
        # lawyer who has autism"); words any few stories hold are no description, but
        # likelier a title we lack ("the man who sets the table").
        return None
    # Of those holding as many words, the ones ranked near the best (BM25 is negative: the
    # lower, the better): a word in a review's aside ranks far below a drama's premise.
    floor = hits[0].rank * NEAR_THE_BEST
    slugs = [
        hit.slug
        for hit in hits
        if hit.matched == best and hit.rank <= floor and hit.slug in catalog.cards
    ]
    return slugs[:offered] or None


def story_choices(
    catalog: Catalog,
    command: str,
    query: str,
    extra: dict[str, str] | None = None,
    *,
    asked: bool = False,
) -> Choices | None:
    """A did-you-mean of the dramas whose story matches ``query`` (None: none does)."""
    slugs = story_matches(catalog, query, asked=asked)
    if slugs is None:
        return None
    options = tuple((slug, catalog.titles.labels[slug]) for slug in slugs)
    return Choices(command, query, Subject.DRAMA, options, dict(extra or {}), story=True)


def about_story(catalog: Catalog, about: str, kept: set[str] | None = None) -> Choices | Notice:
    """``/browse about:``: the dramas whose story matches ``about`` (one word is enough), of
    ``kept`` when the other options narrowed them, offered as a did-you-mean of dramas."""
    slugs = story_matches(catalog, about, asked=True, offered=OFFERED * 8) or []
    slugs = [slug for slug in slugs if kept is None or slug in kept][:OFFERED]
    if not slugs:
        index = story_index_of(catalog)
        if index is None or not index.searchable:  # (built, damaged, locked: no "no match")
            return Notice("browse", Phrase("browse.about_unavailable"))
        return Notice("browse", Phrase("browse.about_none", typed=query_echo(about)))
    options = tuple((slug, catalog.titles.labels[slug]) for slug in slugs)
    return Choices("drama", about, Subject.DRAMA, options, story=True)


def is_described(query: str) -> bool:
    """Whether ``query`` is worded as a description ("the one where…", "a drama about…")."""
    return story_query(query).described
