"""Checks of names between cards: an alias may not be another drama's title, and `similar`
titles we have no card for are noted.

Both compare names by :func:`bot.text.name_key` (case, accents, spacing and punctuation fold
away), in one pass over the catalog: no pair of cards is compared directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from bot.cards.errors import NOTE, CardError
from bot.cards.model import Card
from bot.cards.reader import CARD_SUFFIX
from bot.text import name_key

_TRAILING_YEAR = re.compile(r"\s*\(?\b(?:19|20)\d\d\)?\s*$")

Lines = Mapping[str, Mapping[str, tuple[int, ...]]]


def names_across(
    cards: list[Card], lines: Lines, directory: Path, broken: Iterable[str] = ()
) -> tuple[list[CardError], list[CardError]]:
    """Errors (aliases that are another card's title) and notes (unlinked `similar` titles).
    ``broken``: the names (titles, native titles, aliases, slugs) of card files that did not
    load; a `similar` title naming one gets no note (the card exists; its own errors say why
    it is not linked)."""
    errors: list[CardError] = []
    notes: list[CardError] = []
    titles: dict[str, list[Card]] = {}
    known: set[str] = {name_key(name) for name in broken} - {""}
    title_keys: list[str] = []  # each card's, in order: the second pass reuses them
    for card in cards:
        title_key = name_key(card.title)
        title_keys.append(title_key)
        titles.setdefault(title_key, []).append(card)
        known.update((title_key, name_key(card.slug), name_key(f"{card.title} {card.year}")))
        known.update(name_key(alias) for alias in card.aliases)
        if card.native_title:
            known.add(name_key(card.native_title))

    def line(card: Card, key: str, index: int) -> int:
        found = lines.get(card.slug, {}).get(key, ())
        return found[index] if index < len(found) else 1

    def path(card: Card) -> str:
        return str(directory / f"{card.slug}{CARD_SUFFIX}")

    for card, own in zip(cards, title_keys, strict=True):
        for index, alias in enumerate(card.aliases):
            key = name_key(alias)
            if key == own:
                continue
            for other in titles.get(key, ()):
                errors.append(
                    CardError(
                        path(card),
                        line(card, "aliases", index),
                        f"aliases[{index}]",
                        f"'{alias[:60]}' is the title of {other.slug}{CARD_SUFFIX}; an alias "
                        f"that is another drama's title turns /drama {other.title[:60]} into "
                        "a did-you-mean",
                    )
                )
        for index, title in enumerate(card.similar):
            if name_key(title) in known:
                continue
            year = _TRAILING_YEAR.search(title)
            if year is None or name_key(title[: year.start()]) not in known:
                notes.append(
                    CardError(
                        path(card),
                        line(card, "similar", index),
                        f"similar[{index}]",
                        f"no card here is called '{title[:60]}'; /similar shows it without a "
                        "link (add its card, or spell it as our card does)",
                        NOTE,
                    )
                )
    return errors, notes
