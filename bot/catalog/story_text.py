"""A card's story text, as the story index holds it (``bot.catalog.story_index``): the
review's words (headline, summary, highlights, verdict), its characters' names, its genres,
its network and its year, one text per column. Pure."""

from __future__ import annotations

from bot.cards.model import Card

#: The story index's columns, in order, and their weights in its BM25 score: a character's
#: name or a genre says more about which drama it is than a word of a review.
COLUMNS = ("story", "roles", "genres", "network", "year")
WEIGHTS = (1.0, 2.0, 1.5, 0.5, 0.5)


def story_row(card: Card) -> tuple[str, str, str, str, str]:
    """The card's text for each of :data:`COLUMNS`."""
    review = card.review
    story = ""
    if review is not None:
        parts = (review.headline, review.summary, *review.highlights, review.verdict)
        story = "\n".join(part for part in parts if part)
    roles = "\n".join(member.role for member in card.cast if member.role)
    return (story, roles, " ".join(card.genres), card.network or "", str(card.year))
