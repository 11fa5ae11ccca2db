"""Which reviews are the catalog's own: a card's ``review.source`` ending in "(house review)"
(the shipped cards say "drama-bot editors (house review)") is a review its editors wrote, not
a published critic's, and lists and credits say so."""

from __future__ import annotations

from bot.cards.model import Review

HOUSE_MARK = "(house review)"


def is_house_review(review: Review | None) -> bool:
    """Whether ``review`` is a house review (its source ends with "(house review)")."""
    source = review.source if review is not None else None
    return bool(source) and source.strip().casefold().endswith(HOUSE_MARK)
