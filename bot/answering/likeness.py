"""A drama named after "like" in a mood asked for (fan pass 17): "something healing like
navillera", "dark revenge like the glory", "office romance like business proposal but less
cringe". The query parser strips "like" at a title's start ("shows like the glory"); here the
words before it say what kind of drama is wanted, and the title is the words after the last
"like" (or "similar to"), when it names one drama confidently (a wish after it is read as
:func:`~bot.answering.loose_titles.before_a_wish` reads it). Asked only when nothing else
named the query: one or two look-ups."""

from __future__ import annotations

from dataclasses import replace

from bot.answering.loose_titles import before_a_wish
from bot.catalog.snapshot import Catalog
from bot.matching.folding import clean_query, fold
from bot.matching.index import Kind, Resolution
from bot.matching.query import strip_mentions

# At most this many words of mood before "like": more is a sentence, not a wish.
MOOD_WORDS = 5
_LIKE = ("like", "similar to", "similar with")


def after_a_like(catalog: Catalog, query: str) -> Resolution | None:
    """The drama the words after the last "like" name, when a few words of mood come before
    it; None otherwise."""
    text = f" {fold(clean_query(strip_mentions(query)))} "
    at, word = max((text.rfind(f" {w} "), w) for w in _LIKE)
    if at <= 0:
        return None
    mood, title = text[:at].split(), text[at + len(word) + 2 :].strip()
    if not title or len(mood) > MOOD_WORDS:
        return None
    found = catalog.titles.resolve(title)
    if found.kind is Kind.NONE:
        found = before_a_wish(catalog, title) or found  # "… like business proposal but less cringe"
    # Only a title named surely: words of mood beside a near name are no question about it
    # ("shows like good vibes" is not The Good Bad Mother).
    return replace(found, query=query) if found.kind is Kind.MATCH else None
